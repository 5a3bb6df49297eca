//! The shape shared by the notice's three selection criteria — district layout (区县产业布局), industry
//! representativeness (行业代表性) and plan completeness (方案完整性) — and the parameters behind them.
//!
//! A score is 0–100 points kept as an integer count of hundredths of a point (0..=10000), so that the
//! optimiser that builds the list compares exact numbers and a replayed run gives the same list. Each
//! score carries its parts, with the reason each part lost points, because the panel must be able to
//! explain every choice.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::completeness::CompletenessParams;
use super::layout::LayoutParams;
use super::representativeness::RepresentativenessParams;
use super::FieldError;

/// 100 points in hundredths: every score's parts have maxima summing to this.
pub const FULL_MARKS: i64 = 10_000;

/// The reason given for a part that lost nothing.
pub const FULL_MARKS_REASON: &str = "full marks";

/// One criterion's score, 0–100 points in hundredths of a point, with its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Score {
    /// Sum of the parts' points, in hundredths of a point (0..=10000).
    pub total: i64,
    /// The parts, in a stable order.
    pub parts: Vec<ScorePart>,
}

/// One part of a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScorePart {
    /// Stable snake_case id of the part, for clients and for replaying a selection.
    pub key: String,
    /// Human-readable name, English with the notice's Chinese term.
    pub label: String,
    /// Points earned, in hundredths of a point (0..=max).
    pub points: i64,
    /// Most points the part can give, in hundredths of a point.
    pub max: i64,
    /// Why points were lost, or "full marks".
    pub reason: String,
}

impl Score {
    /// Builds a score whose total is, by construction, the sum of its parts.
    pub fn from_parts(parts: Vec<ScorePart>) -> Self {
        let total = parts.iter().map(|p| p.points).sum();
        Self { total, parts }
    }

    /// Sum of the parts' maxima; [`FULL_MARKS`] whenever the parameters are valid.
    pub fn max(&self) -> i64 {
        self.parts.iter().map(|p| p.max).sum()
    }
}

impl ScorePart {
    /// A part worth `max` (negative maxima count as 0) that earned the fraction `num / den` of it,
    /// rounded half up to a hundredth of a point. A zero `den` earns nothing. The fraction is clamped
    /// to 0..=1, so a part can never leave its range whatever its caller computes.
    ///
    /// `reason` is used only when the part lost points.
    pub fn fraction(
        key: &str,
        label: &str,
        max: i64,
        num: i64,
        den: i64,
        reason: impl Into<String>,
    ) -> Self {
        let max = max.max(0);
        let points = if den <= 0 {
            0
        } else {
            round_half_up(
                i128::from(max) * i128::from(num.clamp(0, den)),
                i128::from(den),
            )
        };
        Self::with_points(key, label, points, max, reason)
    }

    /// A part with the given points (clamped to 0..=max); "full marks" replaces `reason` when nothing
    /// was lost, so that reasons never contradict points.
    pub fn with_points(
        key: &str,
        label: &str,
        points: i64,
        max: i64,
        reason: impl Into<String>,
    ) -> Self {
        let max = max.max(0);
        let points = points.clamp(0, max);
        let reason = if points == max {
            FULL_MARKS_REASON.to_owned()
        } else {
            reason.into()
        };
        Self {
            key: key.to_owned(),
            label: label.to_owned(),
            points,
            max,
            reason,
        }
    }
}

/// `num / den` rounded half up, for non-negative `num` and positive `den`; the one rounding rule of
/// all scores. Results that do not fit an `i64` saturate (they cannot occur with valid parameters).
pub fn round_half_up(num: i128, den: i128) -> i64 {
    if den <= 0 {
        return 0;
    }
    let rounded = (2 * num + den) / (2 * den);
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// Formats hundredths of a point or of a percent as `12.34`. This (with [`units_text`] and
/// [`units_rounded_text`], built on the same digits) is the one way points are written in texts.
pub fn hundredths_text(value: i64) -> String {
    fixed_text(value, 100, 2)
}

/// Formats a weighted total — a weight in percent times a score in hundredths, so ten-thousandths
/// of a point — as points, exactly: two decimals when it is a whole number of hundredths
/// (`821_500` → `82.15`), else four (`821_550` → `82.1550`).
pub fn units_text(units: i64) -> String {
    if units % 100 == 0 {
        hundredths_text(units / 100)
    } else {
        fixed_text(units, 10_000, 4)
    }
}

/// A weighted total (ten-thousandths of a point) as points rounded half up to two decimals
/// (`821_550` → `82.16`), for display beside the exact integer.
pub fn units_rounded_text(units: i64) -> String {
    hundredths_text((units + 50).div_euclid(100))
}

/// `value / per` with `decimals` digits after the point, sign first.
fn fixed_text(value: i64, per: u64, decimals: usize) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let value = value.unsigned_abs();
    format!("{sign}{}.{:0decimals$}", value / per, value % per)
}

/// Every constant of the three criteria, per round: a user changes them through the API.
/// Missing fields take the documented defaults; unknown fields are refused so a typo is not silently
/// ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScoringParams {
    /// Plan completeness, 方案完整性.
    pub completeness: CompletenessParams,
    /// Industry representativeness, 行业代表性.
    pub representativeness: RepresentativenessParams,
    /// District industrial layout, 区县产业布局.
    pub layout: LayoutParams,
}

impl ScoringParams {
    /// Every inconsistency, each under its path (e.g. `representativeness.tier_max`).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (prefix, found) in [
            ("completeness", self.completeness.validate()),
            ("representativeness", self.representativeness.validate()),
            ("layout", self.layout.validate()),
        ] {
            errors.extend(
                found
                    .into_iter()
                    .map(|e| FieldError::new(format!("{prefix}.{}", e.field), e.message)),
            );
        }
        errors
    }
}

/// Shared checks for parameter structs: points in range and maxima summing to [`FULL_MARKS`].
pub(super) fn check_points(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: i64,
    max: i64,
    max_name: &str,
) {
    if !(0..=max.max(0)).contains(&value) {
        errors.push(FieldError::new(
            field,
            crate::msg!("field-points-up-to", name = max_name, max = max),
        ));
    }
}

/// Reports when part maxima do not add up to 100 points.
pub(super) fn check_total(errors: &mut Vec<FieldError>, field: &str, maxima: &[(&str, i64)]) {
    for (name, value) in maxima {
        if *value < 0 {
            errors.push(FieldError::new(*name, crate::msg!("field-not-negative")));
        }
    }
    let sum: i64 = maxima
        .iter()
        .map(|(_, v)| v.saturating_abs())
        .fold(0, i64::saturating_add);
    if sum != FULL_MARKS {
        errors.push(FieldError::new(
            field,
            crate::msg!("field-maxima-sum", full = FULL_MARKS, sum = sum),
        ));
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `parts` non-negative maxima summing to [`FULL_MARKS`], for property tests over valid parameters.
    pub(in super::super) fn partition(parts: usize) -> impl Strategy<Value = Vec<i64>> {
        prop::collection::vec(0..=FULL_MARKS, parts.saturating_sub(1)).prop_map(|mut cuts| {
            cuts.push(0);
            cuts.push(FULL_MARKS);
            cuts.sort_unstable();
            cuts.windows(2).map(|w| w[1] - w[0]).collect()
        })
    }

    /// The invariant every score keeps.
    pub(in super::super) fn assert_consistent(score: &Score) -> Result<(), TestCaseError> {
        prop_assert!(
            (0..=FULL_MARKS).contains(&score.total),
            "total {}",
            score.total
        );
        prop_assert_eq!(
            score.total,
            score.parts.iter().map(|p| p.points).sum::<i64>()
        );
        prop_assert_eq!(score.max(), FULL_MARKS);
        for part in &score.parts {
            prop_assert!((0..=part.max).contains(&part.points), "part {:?}", part);
            prop_assert_eq!(
                part.points == part.max,
                part.reason == FULL_MARKS_REASON,
                "part {:?}",
                part
            );
        }
        Ok(())
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(round_half_up(1, 2), 1);
        assert_eq!(round_half_up(1, 3), 0);
        assert_eq!(round_half_up(2, 3), 1);
        assert_eq!(round_half_up(5, 10), 1);
        assert_eq!(round_half_up(4, 10), 0);
        assert_eq!(round_half_up(0, 7), 0);
        assert_eq!(round_half_up(7, 0), 0);
    }

    #[test]
    fn fraction_parts_stay_in_range() {
        let part = ScorePart::fraction("k", "l", 1000, 1, 3, "lost");
        assert_eq!((part.points, part.reason.as_str()), (333, "lost"));
        let part = ScorePart::fraction("k", "l", 1000, 5, 3, "lost");
        assert_eq!(
            (part.points, part.reason.as_str()),
            (1000, FULL_MARKS_REASON)
        );
        let part = ScorePart::fraction("k", "l", 1000, -5, 3, "lost");
        assert_eq!(part.points, 0);
        let part = ScorePart::fraction("k", "l", -10, 1, 1, "lost");
        assert_eq!((part.points, part.max), (0, 0));
    }

    #[test]
    fn total_is_the_sum_of_parts() {
        let score = Score::from_parts(vec![
            ScorePart::with_points("a", "A", 250, 500, "half"),
            ScorePart::with_points("b", "B", 9500, 9500, "ignored"),
        ]);
        assert_eq!((score.total, score.max()), (9750, FULL_MARKS));
        assert_eq!(score.parts[1].reason, FULL_MARKS_REASON);
    }

    #[test]
    fn hundredths_are_printed_with_two_decimals() {
        assert_eq!(hundredths_text(6667), "66.67");
        assert_eq!(hundredths_text(5), "0.05");
        assert_eq!(hundredths_text(-150), "-1.50");
    }

    #[test]
    fn weighted_totals_are_printed_exactly_or_rounded() {
        assert_eq!(units_text(821_500), "82.15");
        assert_eq!(units_text(821_550), "82.1550");
        assert_eq!(units_text(5), "0.0005");
        assert_eq!(units_text(-10_000), "-1.00");
        assert_eq!(units_text(1_000_000), "100.00");
        assert_eq!(units_rounded_text(821_550), "82.16");
        assert_eq!(units_rounded_text(821_549), "82.15");
        assert_eq!(units_rounded_text(1_000_000), "100.00");
        assert_eq!(units_rounded_text(0), "0.00");
    }

    proptest! {
        /// Whatever fractions its parts earn, a score built from parts worth full marks keeps
        /// every invariant, and each part earns exactly its fraction rounded half up (checked
        /// against exact rational arithmetic: 2·max·num ≥ (2·points − 1)·den and
        /// 2·max·num < (2·points + 1)·den).
        #[test]
        fn scores_from_fractions_are_consistent_and_exact(
            maxima in partition(7),
            fractions in prop::collection::vec((-5_i64..2_000, 0_i64..1_000), 7),
        ) {
            let parts: Vec<ScorePart> = maxima
                .iter()
                .zip(&fractions)
                .enumerate()
                .map(|(i, (&max, &(num, den)))| {
                    ScorePart::fraction(&format!("p{i}"), "part", max, num, den, "lost")
                })
                .collect();
            let score = Score::from_parts(parts);
            assert_consistent(&score)?;
            for (part, (&max, &(num, den))) in score.parts.iter().zip(maxima.iter().zip(&fractions)) {
                if den == 0 {
                    prop_assert_eq!(part.points, 0);
                    continue;
                }
                let num = i128::from(num.clamp(0, den));
                let (max, den, points) = (i128::from(max), i128::from(den), i128::from(part.points));
                prop_assert!(2 * max * num >= (2 * points - 1) * den, "{:?}", part);
                prop_assert!(2 * max * num < (2 * points + 1) * den, "{:?}", part);
            }
        }
    }

    #[test]
    fn default_params_are_valid_and_round_trip() {
        let params = ScoringParams::default();
        assert_eq!(params.validate(), vec![]);
        let json = serde_json::to_string(&params).unwrap_or_default();
        let back: Result<ScoringParams, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(params));
        let empty: Result<ScoringParams, _> = serde_json::from_str("{}");
        assert_eq!(empty.ok(), Some(ScoringParams::default()));
        assert!(serde_json::from_str::<ScoringParams>(r#"{"layot": {}}"#).is_err());
    }

    #[test]
    fn invalid_params_name_their_field() {
        let mut params = ScoringParams::default();
        params.representativeness.tier_max += 1;
        params.layout.characteristic_points = params.layout.match_max + 1;
        params.completeness.min_text_chars = 0;
        let fields: Vec<String> = params.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "completeness.min_text_chars",
                "representativeness.maxima",
                "layout.characteristic_points",
            ]
        );
    }
}
