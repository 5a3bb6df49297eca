//! From the experts' score sheets to a call's ranking, exactly (DOMAIN.md §3, "Experts").
//!
//! Points are integers in hundredths of a point. A bid's score on one criterion is the mean of its
//! experts' points, after dropping one highest and one lowest value when at least
//! [`MIN_EXPERTS_FOR_TRIM`] experts scored it *(ours, after procurement practice)*. Its weighted
//! total is Σ weight × mean / 100 with the rubric's percentages. Means of integers are rarely
//! integers (235/3), and rounding them before comparing could decide an award by a rounding
//! artefact, so every mean and total is kept as an exact fraction ([`Ratio`]) and compared exactly;
//! the two-decimal text beside each is for people only and never used to rank.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::call::Criterion;
use super::FieldError;

/// How bids with equal weighted totals are ordered, published with every ranking.
///
/// Criteria of equal weight are taken in rubric order. The last step (bid ids are unique) makes
/// the order total, so two bids never share a rank.
pub const TIE_RULE: &str = "higher weighted total; then the higher mean on the criterion with the largest weight (then the next largest, …); then the earlier receipt time of the bid; then the lower bid id";

/// From this many scores on a criterion up, the single highest and lowest are dropped: with fewer,
/// dropping two would leave too little to average.
pub const MIN_EXPERTS_FOR_TRIM: usize = 5;

/// How a criterion's score is formed, published with every ranking.
pub const TRIMMING_RULE: &str = "per criterion: when at least 5 experts scored the bid, the highest and the lowest score \
are dropped and the rest averaged; otherwise all scores are averaged; the total is the rubric-weighted sum";

/// An exact fraction `num / den`, always in lowest terms with `den > 0`, so that equal values have
/// equal fields and serialise identically.
///
/// Comparison never multiplies (it compares integer parts, then the reciprocals of the remainders),
/// so it cannot overflow whatever the values; arithmetic is checked and reports overflow as `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "RatioParts")]
pub struct Ratio {
    /// Numerator, in the unit of the value (hundredths of a point for means and totals).
    num: i128,
    /// Denominator, > 0.
    den: i128,
}

/// The wire form of a [`Ratio`], checked and normalised on the way in.
#[derive(Deserialize)]
struct RatioParts {
    num: i128,
    den: i128,
}

impl TryFrom<RatioParts> for Ratio {
    type Error = String;
    fn try_from(p: RatioParts) -> Result<Self, Self::Error> {
        Ratio::new(p.num, p.den).ok_or_else(|| "den must not be 0".to_owned())
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    /// `num / den` in lowest terms; `None` when `den` is 0 (or the sign cannot be moved, which
    /// only `i128::MIN` in the denominator causes).
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs());
        // g ≥ 1 fits in i128 unless both values are i128::MIN; that one case falls back to 1 and
        // is then refused below by `checked_neg`, never wrapped.
        let g = i128::try_from(g).unwrap_or(1);
        let (num, den) = (num / g, den / g);
        if den < 0 {
            Some(Ratio {
                num: num.checked_neg()?,
                den: den.checked_neg()?,
            })
        } else {
            Some(Ratio { num, den })
        }
    }

    pub const fn from_integer(n: i128) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    pub const fn num(self) -> i128 {
        self.num
    }

    pub const fn den(self) -> i128 {
        self.den
    }

    /// `self + other`, `None` on overflow.
    pub fn checked_add(self, other: Ratio) -> Option<Ratio> {
        let g = i128::try_from(gcd(self.den.unsigned_abs(), other.den.unsigned_abs())).ok()?;
        let left = self.num.checked_mul(other.den / g)?;
        let right = other.num.checked_mul(self.den / g)?;
        Ratio::new(
            left.checked_add(right)?,
            (self.den / g).checked_mul(other.den)?,
        )
    }

    /// `self × k`, `None` on overflow.
    pub fn checked_mul_int(self, k: i128) -> Option<Ratio> {
        let g = i128::try_from(gcd(k.unsigned_abs(), self.den.unsigned_abs())).ok()?;
        Ratio::new(self.num.checked_mul(k / g)?, self.den / g)
    }

    /// `self / k`, `None` when `k` is 0 or on overflow.
    pub fn checked_div_int(self, k: i128) -> Option<Ratio> {
        if k == 0 {
            return None;
        }
        let g = i128::try_from(gcd(k.unsigned_abs(), self.num.unsigned_abs())).ok()?;
        Ratio::new(self.num / g, self.den.checked_mul(k / g)?)
    }

    /// The nearest integer, halves rounded up (towards +∞).
    pub fn round_half_up(self) -> i128 {
        let q = self.num.div_euclid(self.den);
        let r = self.num.rem_euclid(self.den);
        // r ∈ [0, den): round up when r/den ≥ 1/2, written without overflowing 2r.
        if r >= self.den - r {
            q + 1
        } else {
            q
        }
    }

    /// Reads the value as hundredths of a point and writes points with two decimals, half up:
    /// 23500/3 hundredths → `"78.33"`.
    pub fn points_display(self) -> String {
        let h = self.round_half_up();
        let sign = if h < 0 { "-" } else { "" };
        let a = h.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Ord for Ratio {
    /// Exact comparison by continued fractions: integer parts first, then the remainders'
    /// reciprocals in reverse order. Every step shrinks the denominators, so it terminates, and no
    /// step multiplies.
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut a, mut b) = (self.num, self.den);
        let (mut c, mut d) = (other.num, other.den);
        let mut flipped = false;
        loop {
            let (qa, ra) = (a.div_euclid(b), a.rem_euclid(b));
            let (qc, rc) = (c.div_euclid(d), c.rem_euclid(d));
            let ord = match qa.cmp(&qc) {
                Ordering::Equal => match (ra == 0, rc == 0) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => {
                        // ra/b vs rc/d, both in (0, 1): the larger has the smaller reciprocal.
                        (a, b, c, d) = (b, ra, d, rc);
                        flipped = !flipped;
                        continue;
                    }
                },
                ord => ord,
            };
            return if flipped { ord.reverse() } else { ord };
        }
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The anonymous label of the `i`-th expert of a panel (0-based): `E1`, `E2`, …
pub fn expert_label(i: usize) -> String {
    format!("E{}", i.saturating_add(1))
}

/// The order of expert labels: by their number (E2 before E10), labels without one last, by text.
pub fn label_order(label: &str) -> (u64, &str) {
    let n = label
        .strip_prefix('E')
        .and_then(|d| d.parse::<u64>().ok())
        .unwrap_or(u64::MAX);
    (n, label)
}

/// One expert's sheet for one bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExpertScore {
    /// The anonymous label shown in results ("E1", "E2", …), so a published ranking shows every
    /// value without naming who gave it.
    pub expert_label: String,
    pub expert_id: i32,
    /// Points per criterion name, in hundredths of a point.
    pub points: BTreeMap<String, i64>,
}

/// A bid as the ranking sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BidInput {
    pub bid_id: i32,
    /// Server time of the bid's receipt: a step of the tie rule.
    pub received_at: DateTime<Utc>,
    /// Failed eligibility rules; a bid with any is listed but not ranked.
    pub ineligible: Vec<String>,
    /// One sheet per expert who scored the bid, in the order the values should be shown.
    pub scores: Vec<ExpertScore>,
}

/// One expert's value for one criterion (a named pair, so that client generators need no tuples).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExpertValue {
    /// The expert's label in this call (E1, E2, …); never the expert's identity before the award.
    pub expert: String,
    /// Points in hundredths.
    pub points: i64,
}

/// One criterion of one bid: every value, what was dropped, and the exact mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CriterionResult {
    pub criterion: String,
    /// Weight in percent, from the rubric.
    pub weight: i64,
    /// Every expert who scored this criterion, in the labels' order (E1, E2, …, E10).
    pub values: Vec<ExpertValue>,
    /// The highest value, dropped because at least 5 experts scored; `None` otherwise.
    pub dropped_high: Option<i64>,
    /// The lowest value, dropped likewise.
    pub dropped_low: Option<i64>,
    /// Exact mean of the kept values, in hundredths of a point; 0 when nobody scored it.
    pub mean: Ratio,
    /// `mean` in points with two decimals, half up (display only).
    pub mean_display: String,
}

/// A bid's place in the ranking with everything that put it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BidResult {
    pub bid_id: i32,
    /// No failed eligibility rule.
    pub eligible: bool,
    pub ineligible_reasons: Vec<String>,
    /// In rubric order.
    pub per_criterion: Vec<CriterionResult>,
    /// Exact Σ weight × mean / 100, in hundredths of a point.
    pub total: Ratio,
    /// `total` in points with two decimals, half up (display only).
    pub total_display: String,
    /// 1 = best; `None` for bids that are ineligible or not fully scored.
    pub rank: Option<u32>,
    /// At least one expert scored the bid and every criterion has at least one value. Whether every
    /// *assigned* expert has scored is the caller's question; it knows the assignments.
    pub complete: bool,
}

/// The kept values' exact mean and what was dropped, or `None` for no values (or, with absurd
/// inputs, on overflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trimmed {
    pub mean: Ratio,
    pub dropped_high: Option<i64>,
    pub dropped_low: Option<i64>,
}

/// The score rule for one criterion: with at least [`MIN_EXPERTS_FOR_TRIM`] values, drop one
/// highest and one lowest and average the rest; with fewer, average all.
pub fn trimmed_mean(values: &[i64]) -> Option<Trimmed> {
    let (&min, &max) = (values.iter().min()?, values.iter().max()?);
    let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
    let count = i128::try_from(values.len()).ok()?;
    if values.len() >= MIN_EXPERTS_FOR_TRIM {
        let kept = sum - i128::from(min) - i128::from(max);
        Some(Trimmed {
            mean: Ratio::new(kept, count - 2)?,
            dropped_high: Some(max),
            dropped_low: Some(min),
        })
    } else {
        Some(Trimmed {
            mean: Ratio::new(sum, count)?,
            dropped_high: None,
            dropped_low: None,
        })
    }
}

/// Checks one expert's sheet against the rubric before it is stored; field names are
/// `points.<criterion>`. Every criterion must be scored, within `0..=max_points`, and nothing else.
pub fn validate_sheet(rubric: &[Criterion], points: &BTreeMap<String, i64>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for c in rubric {
        let field = format!("points.{}", c.criterion);
        match points.get(&c.criterion) {
            None => errors.push(FieldError::new(
                field,
                crate::msg!("field-score-every-criterion"),
            )),
            Some(p) if !(0..=c.max_points).contains(p) => errors.push(FieldError::new(
                field,
                crate::msg!("field-hundredths-range", min = 0, max = c.max_points),
            )),
            Some(_) => {}
        }
    }
    for name in points.keys() {
        if !rubric.iter().any(|c| &c.criterion == name) {
            errors.push(FieldError::new(
                format!("points.{name}"),
                crate::msg!("field-not-a-criterion"),
            ));
        }
    }
    errors
}

/// One line of an expert's score sheet, as stored (`[{criterion, points, comment}]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetLine {
    pub criterion: String,
    /// Hundredths of a point.
    pub points: i64,
    pub comment: String,
}

/// One expert's score sheet for one bid, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreSheet {
    pub id: i32,
    pub call_id: i32,
    pub bid_id: i32,
    pub expert_id: i32,
    pub lines: Vec<SheetLine>,
    pub submitted_at: DateTime<Utc>,
}

/// A score as sent, its points already read as hundredths (or the reason they could not be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreDraft {
    pub criterion: String,
    pub points: Result<i64, FieldError>,
    pub comment: String,
}

/// Reads a sheet as sent (`scores[i]`) against the rubric: each criterion once, points readable,
/// and [`validate_sheet`]'s rules, its fields mapped back onto the request's items. Returns the
/// lines in rubric order.
///
/// # Errors
/// Every bad field, as `scores[i].criterion`, `scores[i].points` or `scores`.
pub fn check_sheet(
    rubric: &[Criterion],
    drafts: Vec<ScoreDraft>,
) -> Result<Vec<SheetLine>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut points = BTreeMap::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut comments: HashMap<String, String> = HashMap::new();
    for (i, s) in drafts.into_iter().enumerate() {
        if at.insert(s.criterion.clone(), i).is_some() {
            errors.push(FieldError::new(
                format!("scores[{i}].criterion"),
                crate::msg!("field-scored-twice"),
            ));
        }
        match s.points {
            Ok(p) => {
                points.insert(s.criterion.clone(), p);
                comments.insert(s.criterion, s.comment);
            }
            Err(e) => errors.push(e),
        }
    }
    for e in validate_sheet(rubric, &points) {
        let criterion = e.field.strip_prefix("points.").unwrap_or_default();
        let field = match at.get(criterion) {
            Some(i) if rubric.iter().any(|c| c.criterion == criterion) => {
                format!("scores[{i}].points")
            }
            Some(i) => format!("scores[{i}].criterion"),
            None => "scores".to_owned(),
        };
        // The same rule, naming the criterion (the field is a position in the request).
        let criterion = format!("{criterion:?}");
        let message = match e.message.id() {
            Some("field-score-every-criterion") => {
                crate::msg!("field-criterion-not-scored", criterion = criterion)
            }
            Some("field-not-a-criterion") => {
                crate::msg!("field-criterion-unknown", criterion = criterion)
            }
            _ => crate::msg!(
                "field-criterion-points-range",
                criterion = criterion,
                max = e.message.arg("max").unwrap_or_default()
            ),
        };
        errors.push(FieldError::new(field, message));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(rubric
        .iter()
        .filter_map(|c| {
            Some(SheetLine {
                criterion: c.criterion.clone(),
                points: *points.get(&c.criterion)?,
                comment: comments.remove(&c.criterion).unwrap_or_default(),
            })
        })
        .collect())
}

/// A bid's criterion results and total, or `None` if the arithmetic overflowed (only possible
/// with values far outside what [`validate_sheet`] and `validate_rubric` accept).
fn score_bid(rubric: &[Criterion], bid: &BidInput) -> Option<(Vec<CriterionResult>, Ratio, bool)> {
    let mut per_criterion = Vec::with_capacity(rubric.len());
    let mut weighted = Ratio::ZERO;
    let mut every_criterion_scored = true;
    for c in rubric {
        let mut values: Vec<ExpertValue> = bid
            .scores
            .iter()
            .filter_map(|s| {
                s.points.get(&c.criterion).map(|&p| ExpertValue {
                    expert: s.expert_label.clone(),
                    points: p,
                })
            })
            .collect();
        values.sort_by(|a, b| label_order(&a.expert).cmp(&label_order(&b.expert)));
        let points: Vec<i64> = values.iter().map(|v| v.points).collect();
        let trimmed = match trimmed_mean(&points) {
            Some(t) => t,
            None if points.is_empty() => {
                every_criterion_scored = false;
                Trimmed {
                    mean: Ratio::ZERO,
                    dropped_high: None,
                    dropped_low: None,
                }
            }
            None => return None,
        };
        weighted = weighted.checked_add(trimmed.mean.checked_mul_int(i128::from(c.weight))?)?;
        per_criterion.push(CriterionResult {
            criterion: c.criterion.clone(),
            weight: c.weight,
            values,
            dropped_high: trimmed.dropped_high,
            dropped_low: trimmed.dropped_low,
            mean: trimmed.mean,
            mean_display: trimmed.mean.points_display(),
        });
    }
    let total = weighted.checked_div_int(100)?;
    let complete = !bid.scores.is_empty() && every_criterion_scored;
    Some((per_criterion, total, complete))
}

/// Ranks a call's bids: eligible and complete bids by [`TIE_RULE`], ranks 1, 2, …; then every
/// other bid, unranked, by bid id.
pub fn rank(rubric: &[Criterion], bids: &[BidInput]) -> Vec<BidResult> {
    let mut results: Vec<(BidResult, DateTime<Utc>)> = bids
        .iter()
        .map(|bid| {
            let mut reasons = bid.ineligible.clone();
            let (per_criterion, total, complete) = score_bid(rubric, bid).unwrap_or_else(|| {
                reasons.push(
                    "the scores are out of range and could not be added up; check the stored sheets"
                        .to_owned(),
                );
                (Vec::new(), Ratio::ZERO, false)
            });
            let result = BidResult {
                bid_id: bid.bid_id,
                eligible: reasons.is_empty(),
                ineligible_reasons: reasons,
                per_criterion,
                total,
                total_display: total.points_display(),
                rank: None,
                complete,
            };
            (result, bid.received_at)
        })
        .collect();

    // Criteria by weight, largest first; equal weights keep rubric order (stable sort).
    let mut by_weight: Vec<usize> = (0..rubric.len()).collect();
    by_weight.sort_by_key(|&i| std::cmp::Reverse(rubric.get(i).map_or(0, |c| c.weight)));

    let rankable = |r: &BidResult| r.eligible && r.complete;
    let mean_at = |r: &BidResult, i: usize| r.per_criterion.get(i).map_or(Ratio::ZERO, |c| c.mean);
    results.sort_by(|(a, a_at), (b, b_at)| {
        match (rankable(a), rankable(b)) {
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => return a.bid_id.cmp(&b.bid_id),
            (true, true) => {}
        }
        b.total
            .cmp(&a.total)
            .then_with(|| {
                by_weight
                    .iter()
                    .map(|&i| mean_at(b, i).cmp(&mean_at(a, i)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
            .then_with(|| a_at.cmp(b_at))
            .then_with(|| a.bid_id.cmp(&b.bid_id))
    });

    let mut next = 1_u32;
    results
        .into_iter()
        .map(|(mut r, _)| {
            if rankable(&r) {
                r.rank = Some(next);
                next = next.saturating_add(1);
            }
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn r(num: i128, den: i128) -> Ratio {
        Ratio::new(num, den).unwrap()
    }

    fn crit(name: &str, weight: i64) -> Criterion {
        Criterion {
            criterion: name.into(),
            weight,
            max_points: 10_000,
        }
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 4, 1, 2, 0, 0).unwrap()
    }

    /// A bid whose expert `k` gave `sheets[k][c]` on criterion `c` of `rubric`.
    fn bid(id: i32, rubric: &[Criterion], sheets: &[&[i64]]) -> BidInput {
        BidInput {
            bid_id: id,
            received_at: t0() + Duration::minutes(i64::from(id)),
            ineligible: vec![],
            scores: sheets
                .iter()
                .enumerate()
                .map(|(k, sheet)| ExpertScore {
                    expert_label: format!("E{}", k + 1),
                    expert_id: 100 + i32::try_from(k).unwrap(),
                    points: rubric
                        .iter()
                        .zip(sheet.iter())
                        .map(|(c, &p)| (c.criterion.clone(), p))
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_sheet_as_sent_is_read_against_the_rubric() {
        let rubric = [crit("a", 60), crit("b", 40)];
        let draft = |c: &str, p: i64| ScoreDraft {
            criterion: c.into(),
            points: Ok(p),
            comment: format!("on {c}"),
        };
        let lines = check_sheet(&rubric, vec![draft("b", 20), draft("a", 50)]).unwrap();
        assert_eq!(
            lines
                .iter()
                .map(|l| (l.criterion.as_str(), l.points, l.comment.as_str()))
                .collect::<Vec<_>>(),
            [("a", 50, "on a"), ("b", 20, "on b")],
            "rubric order, comments kept"
        );
        let fields = |drafts| -> Vec<String> {
            check_sheet(&rubric, drafts)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(vec![draft("a", 10_001), draft("b", 1)]),
            ["scores[0].points"]
        );
        assert_eq!(fields(vec![draft("a", 1)]), ["scores"]);
        // Each rule is said naming its criterion: the one not scored, the one not in the rubric,
        // the one out of range.
        let messages = |drafts| -> Vec<crate::msg::Msg> {
            check_sheet(&rubric, drafts)
                .unwrap_err()
                .into_iter()
                .map(|e| e.message)
                .collect()
        };
        assert_eq!(
            messages(vec![draft("a", 1)]),
            [crate::msg!(
                "field-criterion-not-scored",
                criterion = "\"b\""
            )]
        );
        assert_eq!(
            messages(vec![draft("a", 1), draft("b", 1), draft("c", 1)]),
            [crate::msg!("field-criterion-unknown", criterion = "\"c\"")]
        );
        assert_eq!(
            messages(vec![draft("a", 10_001), draft("b", 1)]),
            [crate::msg!(
                "field-criterion-points-range",
                criterion = "\"a\"",
                max = "10000"
            )]
        );
        assert_eq!(
            fields(vec![draft("a", 1), draft("a", 2), draft("b", 1)]),
            ["scores[1].criterion"]
        );
        assert_eq!(
            fields(vec![draft("a", 1), draft("b", 1), draft("c", 1)]),
            ["scores[2].criterion"]
        );
        let bad = ScoreDraft {
            criterion: "a".into(),
            points: Err(FieldError::new(
                "scores[0].points",
                crate::msg!("field-invalid"),
            )),
            comment: String::new(),
        };
        assert_eq!(
            fields(vec![bad, draft("b", 1)]),
            ["scores[0].points", "scores[0].points"]
        );
    }

    #[test]
    fn ratios_are_normalised_and_compared_exactly() {
        assert_eq!(r(2, 4), r(-1, -2));
        assert_eq!((r(2, 4).num(), r(2, 4).den()), (1, 2));
        assert_eq!((r(3, -6).num(), r(3, -6).den()), (-1, 2));
        assert!(Ratio::new(1, 0).is_none());
        assert!(Ratio::new(1, i128::MIN).is_none());
        assert!(r(1, 3) < r(34, 100));
        assert!(r(-1, 3) > r(-34, 100));
        assert!(r(23_500, 3) > r(7833, 1));
        assert!(r(7, 3) == r(14, 6));
        // Would overflow by cross-multiplication.
        let big = r(i128::MAX, i128::MAX - 1);
        let bigger = r(i128::MAX - 1, i128::MAX - 2);
        assert!(big < bigger);
        assert_eq!(big.cmp(&big), Ordering::Equal);
        assert_eq!(r(1, 2).checked_add(r(1, 3)), Some(r(5, 6)));
        assert_eq!(r(1, 6).checked_add(r(1, 4)), Some(r(5, 12)));
        assert_eq!(r(1, 2).checked_add(r(1, 2)), Some(r(1, 1)));
        assert_eq!(r(5, 6).checked_mul_int(3), Some(r(5, 2)));
        assert_eq!(r(5, 6).checked_div_int(10), Some(r(1, 12)));
        assert_eq!(r(5, 6).checked_div_int(0), None);
        assert_eq!(Ratio::from_integer(i128::MAX).checked_add(r(1, 1)), None);
    }

    #[test]
    fn display_rounds_half_up() {
        assert_eq!(r(23_500, 3).points_display(), "78.33");
        assert_eq!(r(47_000, 6).points_display(), "78.33");
        assert_eq!(r(15_667, 2).points_display(), "78.34"); // 7833.5 → 7834
        assert_eq!(r(15_665, 2).points_display(), "78.33"); // 7832.5 → 7833
        assert_eq!(r(10_000, 1).points_display(), "100.00");
        assert_eq!(r(1, 3).points_display(), "0.00");
        assert_eq!(r(1, 2).points_display(), "0.01");
        assert_eq!(r(-1, 2).points_display(), "0.00");
        assert_eq!(r(-3, 2).points_display(), "-0.01");
    }

    #[test]
    fn ratio_serde_round_trips_and_refuses_zero_den() {
        let json = serde_json::to_value(r(23_500, 3)).unwrap();
        assert_eq!(json, serde_json::json!({"num": 23500, "den": 3}));
        assert_eq!(serde_json::from_value::<Ratio>(json).unwrap(), r(23_500, 3));
        assert_eq!(
            serde_json::from_str::<Ratio>(r#"{"num":4,"den":-8}"#).unwrap(),
            r(-1, 2)
        );
        assert!(serde_json::from_str::<Ratio>(r#"{"num":4,"den":0}"#).is_err());
    }

    #[test]
    fn five_experts_drop_the_highest_and_lowest() {
        let rubric = [crit("技术方案", 100)];
        let b = bid(1, &rubric, &[&[8000], &[9000], &[7000], &[8500], &[6000]]);
        let out = rank(&rubric, &[b]);
        let c = &out[0].per_criterion[0];
        assert_eq!(c.dropped_high, Some(9000));
        assert_eq!(c.dropped_low, Some(6000));
        // (8000 + 7000 + 8500) / 3 = 23500/3 hundredths = 78.333… points.
        assert_eq!(c.mean, r(23_500, 3));
        assert_eq!(c.mean_display, "78.33");
        assert_eq!(
            c.values,
            [
                ("E1", 8000),
                ("E2", 9000),
                ("E3", 7000),
                ("E4", 8500),
                ("E5", 6000)
            ]
            .map(|(e, p)| ExpertValue {
                expert: e.to_owned(),
                points: p
            })
        );
        assert_eq!(out[0].total, r(23_500, 3));
        assert_eq!(out[0].total_display, "78.33");
        assert_eq!(out[0].rank, Some(1));
        assert!(out[0].complete && out[0].eligible);
    }

    #[test]
    fn equal_extremes_drop_only_one_each() {
        let t = trimmed_mean(&[9000, 9000, 6000, 6000, 7500]).unwrap();
        // Keeps 9000, 6000, 7500.
        assert_eq!(t.mean, r(22_500, 3));
        assert_eq!((t.dropped_high, t.dropped_low), (Some(9000), Some(6000)));
    }

    #[test]
    fn three_experts_take_the_plain_mean() {
        let rubric = [crit("技术方案", 100)];
        let b = bid(1, &rubric, &[&[8000], &[9000], &[7050]]);
        let out = rank(&rubric, &[b]);
        let c = &out[0].per_criterion[0];
        assert_eq!((c.dropped_high, c.dropped_low), (None, None));
        assert_eq!(c.mean, r(24_050, 3)); // 80.1666…
        assert_eq!(c.mean_display, "80.17");
    }

    #[test]
    fn weighted_totals_over_three_criteria() {
        let rubric = [
            crit("技术方案", 50),
            crit("建设基础", 30),
            crit("运营模式", 20),
        ];
        // Means: 8000, 7000, (9000 + 6000 + 7500)/3 = 7500.
        let b = bid(
            1,
            &rubric,
            &[
                &[8000, 7000, 9000],
                &[8000, 7000, 6000],
                &[8000, 7000, 7500],
            ],
        );
        let out = rank(&rubric, &[b]);
        // (50 × 8000 + 30 × 7000 + 20 × 7500) / 100 = 7600.
        assert_eq!(out[0].total, Ratio::from_integer(7600));
        assert_eq!(out[0].total_display, "76.00");
        // Two criteria with thirds: (60 × 23500/3 + 40 × 8001/1) / 100 = 4700 + 3200.4 = 7900.4.
        let rubric = [crit("a", 60), crit("b", 40)];
        let b = bid(
            2,
            &rubric,
            &[
                &[8000, 8001],
                &[9000, 8001],
                &[7000, 8001],
                &[8500, 8001],
                &[6000, 8001],
            ],
        );
        let out = rank(&rubric, &[b]);
        assert_eq!(out[0].total, r(39_502, 5));
        assert_eq!(out[0].total_display, "79.00");
    }

    #[test]
    fn higher_total_ranks_first() {
        let rubric = [crit("a", 100)];
        let out = rank(
            &rubric,
            &[bid(1, &rubric, &[&[7000]]), bid(2, &rubric, &[&[7001]])],
        );
        assert_eq!(
            out.iter().map(|b| (b.bid_id, b.rank)).collect::<Vec<_>>(),
            [(2, Some(1)), (1, Some(2))]
        );
    }

    #[test]
    fn exact_totals_decide_where_rounded_ones_tie() {
        // 23500/3 = 7833.33… vs 7833: both display 78.33, the exact one is higher.
        let rubric = [crit("a", 100)];
        let out = rank(
            &rubric,
            &[
                bid(1, &rubric, &[&[7833]]),
                bid(2, &rubric, &[&[8000], &[9000], &[7000], &[8500], &[6000]]),
            ],
        );
        assert_eq!(out[0].total_display, out[1].total_display);
        assert_eq!(out[0].bid_id, 2);
    }

    #[test]
    fn tie_goes_to_the_heaviest_criterion_then_the_next() {
        // Weights 20 / 50 / 30: the heaviest is "b", then "c", then "a".
        let rubric = [crit("a", 20), crit("b", 50), crit("c", 30)];
        // Bid 2: a 5000, b 8000, c 6000 → 1000 + 4000 + 1800 = 6800.
        // Bid 1: a 6000, b 7000, c 7000 → 1200 + 3500 + 2100 = 6800.
        // Equal totals; b decides for bid 2 although it is later and has the higher id.
        let b2 = bid(2, &rubric, &[&[5000, 8000, 6000]]);
        let b1 = bid(1, &rubric, &[&[6000, 7000, 7000]]);
        let out = rank(&rubric, &[b1, b2]);
        assert_eq!(out[0].total, out[1].total);
        assert_eq!(
            out[0].bid_id, 2,
            "the higher mean on the heaviest criterion wins"
        );

        // Equal on b too: c decides. a 5000, b 7000, c 7000 → 1000 + 3500 + 2100 = 6600;
        // a 6500, b 7000, c 6000 → 1300 + 3500 + 1800 = 6600.
        let c1 = bid(2, &rubric, &[&[5000, 7000, 7000]]);
        let c2 = bid(1, &rubric, &[&[6500, 7000, 6000]]);
        let out = rank(&rubric, &[c2, c1]);
        assert_eq!(out[0].total, out[1].total);
        assert_eq!(out[0].bid_id, 2, "then the next heaviest");
    }

    #[test]
    fn equal_weights_are_taken_in_rubric_order() {
        let rubric = [crit("a", 50), crit("b", 50)];
        let out = rank(
            &rubric,
            &[
                bid(1, &rubric, &[&[6000, 8000]]),
                bid(2, &rubric, &[&[8000, 6000]]),
            ],
        );
        assert_eq!(out[0].total, out[1].total);
        assert_eq!(out[0].bid_id, 2);
    }

    #[test]
    fn then_earlier_receipt_then_lower_id() {
        let rubric = [crit("a", 100)];
        let mut early = bid(9, &rubric, &[&[8000]]);
        let mut late = bid(3, &rubric, &[&[8000]]);
        early.received_at = t0();
        late.received_at = t0() + Duration::seconds(1);
        let out = rank(&rubric, &[late.clone(), early.clone()]);
        assert_eq!(out[0].bid_id, 9, "earlier receipt wins");
        late.received_at = t0();
        let out = rank(&rubric, &[early, late]);
        assert_eq!(out[0].bid_id, 3, "same second: lower id wins");
        assert_eq!((out[0].rank, out[1].rank), (Some(1), Some(2)));
    }

    /// Values are shown in the labels' numeric order whatever order the sheets came in.
    #[test]
    fn values_follow_the_labels_numerically() {
        let rubric = [crit("a", 100)];
        let mut b = bid(1, &rubric, &[&[10], &[20], &[30]]);
        for (s, label) in b.scores.iter_mut().zip(["E10", "E2", "E1"]) {
            s.expert_label = label.into();
        }
        let r = rank(&rubric, &[b]);
        let labels: Vec<&str> = r[0].per_criterion[0]
            .values
            .iter()
            .map(|v| v.expert.as_str())
            .collect();
        assert_eq!(labels, ["E1", "E2", "E10"]);
        let mut all = vec!["E10", "x", "E2", "E1"];
        all.sort_by_key(|l| label_order(l));
        assert_eq!(all, ["E1", "E2", "E10", "x"]);
        assert_eq!(expert_label(9), "E10");
    }

    #[test]
    fn unranked_bids_follow_by_id() {
        let rubric = [crit("a", 60), crit("b", 40)];
        let mut ineligible = bid(2, &rubric, &[&[9900, 9900]]);
        ineligible.ineligible = vec!["no_earlier_award: …".into()];
        let unscored = bid(1, &rubric, &[]);
        let partial = BidInput {
            scores: vec![ExpertScore {
                expert_label: "E1".into(),
                expert_id: 1,
                points: [("a".into(), 9000)].into(),
            }],
            ..bid(3, &rubric, &[])
        };
        let scored = bid(7, &rubric, &[&[5000, 5000]]);
        let out = rank(&rubric, &[ineligible, unscored, partial, scored]);
        assert_eq!(
            out.iter()
                .map(|b| (b.bid_id, b.rank, b.eligible, b.complete))
                .collect::<Vec<_>>(),
            [
                (7, Some(1), true, true),
                (1, None, true, false),
                (2, None, false, true),
                (3, None, true, false),
            ]
        );
        assert_eq!(out[1].total_display, "0.00");
        assert_eq!(out[2].ineligible_reasons, ["no_earlier_award: …"]);
    }

    #[test]
    fn absurd_values_are_reported_not_panicked() {
        // Each weighted mean is ≈ 8.5e37; three of them exceed i128::MAX ≈ 1.7e38.
        let rubric: Vec<Criterion> = ["a", "b", "c"]
            .into_iter()
            .map(|name| Criterion {
                criterion: name.into(),
                weight: i64::MAX,
                max_points: 1,
            })
            .collect();
        let b = bid(1, &rubric, &[&[i64::MAX, i64::MAX, i64::MAX]]);
        let out = rank(&rubric, &[b]);
        assert_eq!(out[0].rank, None);
        assert!(!out[0].eligible);
        assert!(out[0].ineligible_reasons[0].contains("out of range"));
    }

    #[test]
    fn sheets_are_checked_against_the_rubric() {
        let rubric = [crit("a", 60), crit("b", 40)];
        let ok: BTreeMap<String, i64> = [("a".into(), 0), ("b".into(), 10_000)].into();
        assert!(validate_sheet(&rubric, &ok).is_empty());
        let bad: BTreeMap<String, i64> = [("a".into(), 10_001), ("z".into(), 1)].into();
        let fields: Vec<String> = validate_sheet(&rubric, &bad)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["points.a", "points.b", "points.z"]);
    }

    #[test]
    fn results_serialise() {
        let rubric = [crit("a", 100)];
        let out = rank(&rubric, &[bid(1, &rubric, &[&[8000]])]);
        let json = serde_json::to_value(&out).unwrap();
        assert_eq!(
            json[0]["per_criterion"][0]["values"][0],
            serde_json::json!({"expert": "E1", "points": 8000})
        );
        assert_eq!(json[0]["total"], serde_json::json!({"num": 8000, "den": 1}));
        let back: Vec<BidResult> = serde_json::from_value(json).unwrap();
        assert_eq!(back, out);
    }

    #[test]
    fn schemas_describe_the_wire_form() {
        let ratio = serde_json::to_value(<Ratio as utoipa::PartialSchema>::schema()).unwrap();
        assert!(ratio["properties"]["num"].is_object() && ratio["properties"]["den"].is_object());
        let result = serde_json::to_value(<BidResult as utoipa::PartialSchema>::schema()).unwrap();
        assert!(result["properties"]["per_criterion"].is_object());
    }

    proptest! {
        #[test]
        fn trimmed_mean_lies_between_min_and_max(values in prop::collection::vec(0_i64..=100_000, 1..12)) {
            let t = trimmed_mean(&values).unwrap();
            let min = Ratio::from_integer(i128::from(*values.iter().min().unwrap()));
            let max = Ratio::from_integer(i128::from(*values.iter().max().unwrap()));
            prop_assert!(min <= t.mean && t.mean <= max);
            if values.len() < MIN_EXPERTS_FOR_TRIM {
                let sum: i64 = values.iter().sum();
                let plain = Ratio::new(i128::from(sum), values.len() as i128).unwrap();
                prop_assert_eq!(t.mean, plain);
                prop_assert_eq!((t.dropped_high, t.dropped_low), (None, None));
            } else {
                prop_assert_eq!(t.dropped_high, values.iter().max().copied());
                prop_assert_eq!(t.dropped_low, values.iter().min().copied());
            }
        }

        /// Sums agree with the schoolbook a/b + c/d = (ad + cb)/bd, also when the denominators
        /// share a factor (where the sum first divides by their gcd).
        #[test]
        fn ratio_sum_matches_cross_multiplication(
            a in -1_000_000_i128..1_000_000, b in 1_i128..1_000,
            c in -1_000_000_i128..1_000_000, d in 1_i128..1_000,
        ) {
            prop_assert_eq!(r(a, b).checked_add(r(c, d)), Some(r(a * d + c * b, b * d)));
        }

        #[test]
        fn ratio_order_matches_cross_multiplication(
            a in -1_000_000_i128..1_000_000, b in 1_i128..1_000,
            c in -1_000_000_i128..1_000_000, d in 1_i128..1_000,
        ) {
            prop_assert_eq!(r(a, b).cmp(&r(c, d)), (a * d).cmp(&(c * b)));
        }

        #[test]
        fn ranking_ignores_input_order(
            totals in prop::collection::vec((0_i64..=3, 0_i64..=3), 1..8),
            rotate in 0_usize..8,
        ) {
            let rubric = [crit("a", 50), crit("b", 50)];
            let bids: Vec<BidInput> = totals
                .iter()
                .enumerate()
                .map(|(i, &(x, y))| bid(i32::try_from(i).unwrap(), &rubric, &[&[x, y]]))
                .collect();
            let mut turned = bids.clone();
            turned.rotate_left(rotate % bids.len());
            prop_assert_eq!(rank(&rubric, &bids), rank(&rubric, &turned));
        }
    }
}
