//! Industry representativeness, 行业代表性: how much of Chongqing's industry a proposed brain would
//! reach — the tier of its cluster in the "33618" system, the cluster's size, and the chain leader's
//! size and pull on local suppliers (annex 1's 链主企业或产业集群情况).
//!
//! # Normalisation
//!
//! Each numeric part scores the **percentile rank** of the proposal's value within the round's
//! eligible pool: the share of the pool's values that are less than or equal to this value, ties
//! counted fully, i.e. `points = max × #{pool values ≤ v} / #{pool values}`, rounded half up to a
//! hundredth of a point. "Pool values" are the values present in the pool for that part; a pool
//! entry without the value is not counted. A proposal whose own value is missing scores 0 for that
//! part. With no value in the pool at all, a present value scores full marks (nothing is above it).
//!
//! A rank depends only on order, and the logarithm preserves order, so this is exactly the percentile
//! of the log of the scale: a cluster a hundred times larger than the rest cannot crowd everyone else
//! to zero, as a share of the largest value would, and units (万元 or yuan) do not matter.
//! The pool is expected to include the proposal itself, so the largest value scores full marks.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::money::Money;
use super::proposal::ProposalForm;
use super::score::{check_points, check_total, hundredths_text, round_half_up, Score, ScorePart};
use super::FieldError;

text_enum!(
    /// The tiers of the "33618" system.
    Tier {
        /// 万亿级: the three trillion-yuan clusters.
        Trillion,
        /// 五千亿级: the three five-hundred-billion clusters.
        FiveHundredBillion,
        /// 千亿级: the six hundred-billion clusters.
        HundredBillion,
        /// 新星: the eighteen rising-star clusters.
        RisingStar,
    }
);

impl Tier {
    pub const ALL: [Tier; 4] = [
        Tier::Trillion,
        Tier::FiveHundredBillion,
        Tier::HundredBillion,
        Tier::RisingStar,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Trillion => "trillion-level (万亿级)",
            Self::FiveHundredBillion => "five-hundred-billion-level (五千亿级)",
            Self::HundredBillion => "hundred-billion-level (千亿级)",
            Self::RisingStar => "rising-star (新星)",
        }
    }
}

/// What representativeness looks at for one proposal; also one entry of the pool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RepresentativenessInput {
    /// Tier of the proposal's cluster.
    pub cluster_tier: Option<Tier>,
    /// Cluster scale, 产业集群规模, in hundredths of a 万元 (`Money::hundredths`).
    pub cluster_scale: Option<i64>,
    /// Enterprises in the cluster, 产业集群企业数量.
    pub cluster_enterprises: Option<u32>,
    /// Chain-leader scale, 链主企业规模, in hundredths of a 万元.
    pub chain_leader_scale: Option<i64>,
    /// The chain leader's in-city suppliers, 链主企业市内供应商数量.
    pub suppliers: Option<u32>,
}

impl RepresentativenessInput {
    /// Takes the figures from an intention form; the tier comes from the cluster reference data.
    pub fn from_form(form: &ProposalForm, cluster_tier: Option<Tier>) -> Self {
        Self::from_figures(
            cluster_tier,
            form.cluster_stats.scale,
            form.cluster_stats.enterprise_count,
            form.chain_leader.scale,
            form.chain_leader.in_city_suppliers,
        )
    }

    /// The input of a cluster scale and enterprise count and a chain leader's scale and in-city
    /// suppliers, however they were read (a whole form, or only these figures of it).
    pub fn from_figures(
        cluster_tier: Option<Tier>,
        cluster_scale: Option<Money>,
        cluster_enterprises: Option<u32>,
        chain_leader_scale: Option<Money>,
        suppliers: Option<u32>,
    ) -> Self {
        Self {
            cluster_tier,
            cluster_scale: cluster_scale.map(|m| m.hundredths()),
            cluster_enterprises,
            chain_leader_scale: chain_leader_scale.map(|m| m.hundredths()),
            suppliers,
        }
    }
}

/// Points per tier, in hundredths of a point; each at most `tier_max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TierPoints {
    /// Default 3000 (30 points): the largest clusters reach the most enterprises.
    pub trillion: i64,
    /// Default 2400.
    pub five_hundred_billion: i64,
    /// Default 1800.
    pub hundred_billion: i64,
    /// Default 1200: still part of the "33618" system the notice builds around.
    pub rising_star: i64,
}

impl Default for TierPoints {
    fn default() -> Self {
        Self {
            trillion: 3000,
            five_hundred_billion: 2400,
            hundred_billion: 1800,
            rising_star: 1200,
        }
    }
}

impl TierPoints {
    fn of(&self, tier: Tier) -> i64 {
        match tier {
            Tier::Trillion => self.trillion,
            Tier::FiveHundredBillion => self.five_hundred_billion,
            Tier::HundredBillion => self.hundred_billion,
            Tier::RisingStar => self.rising_star,
        }
    }
}

/// The constants of representativeness, in hundredths of a point; the five maxima sum to 10000.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RepresentativenessParams {
    /// Maximum of the cluster-tier part; default 3000.
    pub tier_max: i64,
    /// Points for each tier.
    pub tier_points: TierPoints,
    /// Maximum of the cluster-scale part; default 2000.
    pub cluster_scale_max: i64,
    /// Maximum of the cluster enterprise-count part; default 1500.
    pub cluster_enterprises_max: i64,
    /// Maximum of the chain-leader-scale part; default 2000.
    pub chain_leader_scale_max: i64,
    /// Maximum of the in-city-suppliers part; default 1500.
    pub suppliers_max: i64,
}

impl Default for RepresentativenessParams {
    fn default() -> Self {
        Self {
            tier_max: 3000,
            tier_points: TierPoints::default(),
            cluster_scale_max: 2000,
            cluster_enterprises_max: 1500,
            chain_leader_scale_max: 2000,
            suppliers_max: 1500,
        }
    }
}

impl RepresentativenessParams {
    /// Every inconsistency, under paths relative to these parameters.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_total(
            &mut errors,
            "maxima",
            &[
                ("tier_max", self.tier_max),
                ("cluster_scale_max", self.cluster_scale_max),
                ("cluster_enterprises_max", self.cluster_enterprises_max),
                ("chain_leader_scale_max", self.chain_leader_scale_max),
                ("suppliers_max", self.suppliers_max),
            ],
        );
        let t = &self.tier_points;
        for (name, value) in [
            ("tier_points.trillion", t.trillion),
            ("tier_points.five_hundred_billion", t.five_hundred_billion),
            ("tier_points.hundred_billion", t.hundred_billion),
            ("tier_points.rising_star", t.rising_star),
        ] {
            check_points(&mut errors, name, value, self.tier_max, "tier_max");
        }
        errors
    }
}

/// Scores one proposal against the round's eligible pool (which should include it); see the module
/// doc for the normalisation. Parts: `cluster_tier`, `cluster_scale`, `cluster_enterprises`,
/// `chain_leader_scale`, `suppliers`.
///
/// This sorts the pool's values, O(n log n), for one proposal; to score a whole pool, build its
/// [`RankedPool`] once and call [`RankedPool::score`] for each proposal.
pub fn representativeness(
    input: &RepresentativenessInput,
    pool: &[RepresentativenessInput],
    params: &RepresentativenessParams,
) -> Score {
    RankedPool::new(pool).score(input, params)
}

/// A pool's values of each numeric part, sorted once (missing values left out), so that a
/// proposal's percentile rank is a binary search: scoring a pool of n proposals is O(n log n).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RankedPool {
    cluster_scale: Vec<i64>,
    cluster_enterprises: Vec<i64>,
    chain_leader_scale: Vec<i64>,
    suppliers: Vec<i64>,
}

impl RankedPool {
    pub fn new(pool: &[RepresentativenessInput]) -> Self {
        let sorted = |values: &mut dyn Iterator<Item = Option<i64>>| {
            let mut v: Vec<i64> = values.flatten().collect();
            v.sort_unstable();
            v
        };
        let widen = |v: Option<u32>| v.map(i64::from);
        Self {
            cluster_scale: sorted(&mut pool.iter().map(|p| p.cluster_scale)),
            cluster_enterprises: sorted(&mut pool.iter().map(|p| widen(p.cluster_enterprises))),
            chain_leader_scale: sorted(&mut pool.iter().map(|p| p.chain_leader_scale)),
            suppliers: sorted(&mut pool.iter().map(|p| widen(p.suppliers))),
        }
    }

    /// Scores one proposal against this pool (which should include it); see
    /// [`representativeness`].
    pub fn score(
        &self,
        input: &RepresentativenessInput,
        params: &RepresentativenessParams,
    ) -> Score {
        let tier = match input.cluster_tier {
            None => ScorePart::with_points(
                "cluster_tier",
                TIER_LABEL,
                0,
                params.tier_max,
                "cluster tier unknown",
            ),
            Some(tier) => {
                let points = params.tier_points.of(tier);
                ScorePart::with_points(
                    "cluster_tier",
                    TIER_LABEL,
                    points,
                    params.tier_max,
                    format!("{} cluster", tier.label()),
                )
            }
        };
        let widen = |v: Option<u32>| v.map(i64::from);
        Score::from_parts(vec![
            tier,
            percentile_part(
                "cluster_scale",
                "Cluster scale (产业集群规模)",
                params.cluster_scale_max,
                input.cluster_scale,
                &self.cluster_scale,
            ),
            percentile_part(
                "cluster_enterprises",
                "Cluster enterprise count (产业集群企业数量)",
                params.cluster_enterprises_max,
                widen(input.cluster_enterprises),
                &self.cluster_enterprises,
            ),
            percentile_part(
                "chain_leader_scale",
                "Chain-leader scale (链主企业规模)",
                params.chain_leader_scale_max,
                input.chain_leader_scale,
                &self.chain_leader_scale,
            ),
            percentile_part(
                "suppliers",
                "Chain-leader in-city suppliers (链主企业市内供应商数量)",
                params.suppliers_max,
                widen(input.suppliers),
                &self.suppliers,
            ),
        ])
    }
}

const TIER_LABEL: &str = "Cluster tier (\"33618\" 集群层级)";

/// `max × #{pool values ≤ value} / #{pool values}`, rounded half up; see the module doc. `sorted`
/// holds the pool's present values in ascending order, so the count is a binary search.
fn percentile_part(
    key: &str,
    label: &str,
    max: i64,
    value: Option<i64>,
    sorted: &[i64],
) -> ScorePart {
    let Some(value) = value else {
        return ScorePart::with_points(key, label, 0, max, "value missing");
    };
    if sorted.is_empty() {
        return ScorePart::with_points(key, label, max, max, "");
    }
    let count = i64::try_from(sorted.len()).unwrap_or(i64::MAX);
    let at_or_below =
        i64::try_from(sorted.partition_point(|&other| other <= value)).unwrap_or(i64::MAX);
    let percent = round_half_up(i128::from(at_or_below) * 10_000, i128::from(count));
    ScorePart::fraction(
        key,
        label,
        max,
        at_or_below,
        count,
        format!(
            "at or above {at_or_below} of {count} values in the pool (percentile {}%)",
            hundredths_text(percent)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::score::tests::{assert_consistent, partition};
    use super::*;
    use proptest::prelude::*;

    fn entry(tier: Option<Tier>, values: [Option<i64>; 4]) -> RepresentativenessInput {
        let small = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
        RepresentativenessInput {
            cluster_tier: tier,
            cluster_scale: values[0],
            cluster_enterprises: small(values[1]),
            chain_leader_scale: values[2],
            suppliers: small(values[3]),
        }
    }

    fn points(score: &Score, key: &str) -> i64 {
        score
            .parts
            .iter()
            .find(|p| p.key == key)
            .map_or(-1, |p| p.points)
    }

    #[test]
    fn tier_part_uses_the_tier_points() {
        let params = RepresentativenessParams::default();
        for (tier, want) in [
            (Some(Tier::Trillion), 3000),
            (Some(Tier::FiveHundredBillion), 2400),
            (Some(Tier::HundredBillion), 1800),
            (Some(Tier::RisingStar), 1200),
            (None, 0),
        ] {
            let input = entry(tier, [None; 4]);
            let score = representativeness(&input, std::slice::from_ref(&input), &params);
            assert_eq!(points(&score, "cluster_tier"), want, "case {tier:?}");
        }
        let input = entry(Some(Tier::Trillion), [None; 4]);
        let score = representativeness(&input, &[], &params);
        assert_eq!(score.parts[0].reason, "full marks");
    }

    /// Below full marks the reason names the tier, in English and Chinese, as applicants read it.
    #[test]
    fn tier_part_reason_names_the_tier() {
        let params = RepresentativenessParams::default();
        for (tier, want) in [
            (
                Tier::FiveHundredBillion,
                "five-hundred-billion-level (五千亿级) cluster",
            ),
            (
                Tier::HundredBillion,
                "hundred-billion-level (千亿级) cluster",
            ),
            (Tier::RisingStar, "rising-star (新星) cluster"),
            (Tier::Trillion, "full marks"),
        ] {
            let input = entry(Some(tier), [None; 4]);
            let score = representativeness(&input, &[], &params);
            assert_eq!(score.parts[0].reason, want, "case {tier:?}");
        }
        let mut less = params.clone();
        less.tier_points = TierPoints {
            trillion: params.tier_max - 1,
            ..params.tier_points
        };
        let input = entry(Some(Tier::Trillion), [None; 4]);
        let score = representativeness(&input, &[], &less);
        assert_eq!(score.parts[0].reason, "trillion-level (万亿级) cluster");
    }

    /// Pool of values 10, 20, 20, 40 and one missing: the ranks are 1/4, 3/4, 3/4, 4/4.
    #[test]
    fn numeric_parts_are_percentile_ranks_with_ties_counted_fully() {
        let params = RepresentativenessParams::default();
        let column = [Some(10), Some(20), Some(20), Some(40), None];
        let pool: Vec<_> = column.iter().map(|v| entry(None, [*v; 4])).collect();
        let parts = [
            ("cluster_scale", 2000),
            ("cluster_enterprises", 1500),
            ("chain_leader_scale", 2000),
            ("suppliers", 1500),
        ];
        for (key, max) in parts {
            let got: Vec<i64> = pool
                .iter()
                .map(|input| points(&representativeness(input, &pool, &params), key))
                .collect();
            let want = vec![max / 4, max * 3 / 4, max * 3 / 4, max, 0];
            assert_eq!(got, want, "part {key}");
        }
    }

    #[test]
    fn rounding_is_half_up_and_reasons_explain() {
        let params = RepresentativenessParams::default();
        // 1 of 3 values: 2000 / 3 = 666.67 → 667; 1500 / 3 = 500.
        let pool: Vec<_> = [1, 2, 3]
            .iter()
            .map(|v| entry(None, [Some(*v); 4]))
            .collect();
        let score = representativeness(&pool[0], &pool, &params);
        assert_eq!(points(&score, "cluster_scale"), 667);
        assert_eq!(points(&score, "suppliers"), 500);
        assert_eq!(
            score.parts[1].reason,
            "at or above 1 of 3 values in the pool (percentile 33.33%)"
        );
        assert_eq!(
            score.parts[4].reason,
            "at or above 1 of 3 values in the pool (percentile 33.33%)"
        );
        let missing = representativeness(&entry(None, [None; 4]), &pool, &params);
        assert_eq!(missing.total, 0);
        assert_eq!(missing.parts[1].reason, "value missing");
    }

    #[test]
    fn rank_ignores_the_scale_of_outliers() {
        // Percentile of log scale: multiplying the top value by 1000 changes no one's points.
        let params = RepresentativenessParams::default();
        let pool: Vec<_> = [100, 200, 300]
            .iter()
            .map(|v| entry(None, [Some(*v); 4]))
            .collect();
        let mut stretched = pool.clone();
        stretched[2].cluster_scale = Some(300_000);
        let before = representativeness(&pool[1], &pool, &params);
        let after = representativeness(&stretched[1], &stretched, &params);
        assert_eq!(before, after);
    }

    #[test]
    fn empty_pool_gives_full_marks_to_a_present_value() {
        let params = RepresentativenessParams::default();
        let input = entry(Some(Tier::Trillion), [Some(1); 4]);
        let score = representativeness(&input, &[], &params);
        assert_eq!(score.total, 10_000);
        assert!(score.parts.iter().all(|p| p.reason == "full marks"));
    }

    #[test]
    fn params_are_checked() {
        let mut params = RepresentativenessParams::default();
        assert_eq!(params.validate(), vec![]);
        params.tier_points.rising_star = -1;
        params.suppliers_max = 1400;
        let fields: Vec<String> = params.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["maxima", "tier_points.rising_star"]);
    }

    #[test]
    fn from_form_takes_the_figures() {
        let form = super::super::proposal::tests::full_form();
        let input = RepresentativenessInput::from_form(&form, Some(Tier::RisingStar));
        assert_eq!(input.cluster_scale, Some(900_000_000));
        assert_eq!(input.cluster_enterprises, Some(85));
        assert_eq!(input.chain_leader_scale, Some(50_000_000));
        assert_eq!(input.suppliers, Some(120));
    }

    fn arb_tier() -> impl Strategy<Value = Option<Tier>> {
        prop::option::of(prop_oneof![
            Just(Tier::Trillion),
            Just(Tier::FiveHundredBillion),
            Just(Tier::HundredBillion),
            Just(Tier::RisingStar),
        ])
    }

    fn arb_input() -> impl Strategy<Value = RepresentativenessInput> {
        let scale = prop::option::of(prop_oneof![
            0..10_i64,
            0..=super::super::money::MAX_HUNDREDTHS
        ]);
        let count = prop::option::of(prop_oneof![0..10_u32, any::<u32>()]);
        (arb_tier(), scale.clone(), count.clone(), scale, count).prop_map(
            |(cluster_tier, cluster_scale, cluster_enterprises, chain_leader_scale, suppliers)| {
                RepresentativenessInput {
                    cluster_tier,
                    cluster_scale,
                    cluster_enterprises,
                    chain_leader_scale,
                    suppliers,
                }
            },
        )
    }

    fn arb_params() -> impl Strategy<Value = RepresentativenessParams> {
        (partition(5), prop::collection::vec(0..=10_000_i64, 4)).prop_map(|(m, t)| {
            let tier = |x: i64| x % (m[0] + 1);
            RepresentativenessParams {
                tier_max: m[0],
                tier_points: TierPoints {
                    trillion: tier(t[0]),
                    five_hundred_billion: tier(t[1]),
                    hundred_billion: tier(t[2]),
                    rising_star: tier(t[3]),
                },
                cluster_scale_max: m[1],
                cluster_enterprises_max: m[2],
                chain_leader_scale_max: m[3],
                suppliers_max: m[4],
            }
        })
    }

    /// The normalisation by its definition, counted directly over the pool (the quadratic way):
    /// `max × #{present pool values ≤ v} / #{present pool values}` rounded half up; 0 for a
    /// missing value; full marks when the pool has no value.
    fn points_by_definition(value: Option<i64>, column: &[Option<i64>], max: i64) -> i64 {
        let Some(v) = value else { return 0 };
        let present: Vec<i64> = column.iter().flatten().copied().collect();
        if present.is_empty() {
            return max;
        }
        let below = present.iter().filter(|&&x| x <= v).count() as i128;
        let count = present.len() as i128;
        let max = i128::from(max);
        i64::try_from((2 * max * below + count) / (2 * count)).unwrap()
    }

    proptest! {
        /// Sorting once and binary search give exactly the ranks of the definition, ties and
        /// missing values included, for pool members and for proposals outside the pool.
        #[test]
        fn ranks_from_the_sorted_pool_equal_the_definition(
            pool in prop::collection::vec(arb_input(), 0..40),
            outsiders in prop::collection::vec(arb_input(), 0..4),
            params in prop_oneof![Just(RepresentativenessParams::default()), arb_params()],
        ) {
            let ranked = RankedPool::new(&pool);
            type Column = fn(&RepresentativenessInput) -> Option<i64>;
            let columns: [(&str, i64, Column); 4] = [
                ("cluster_scale", params.cluster_scale_max, |p| p.cluster_scale),
                ("cluster_enterprises", params.cluster_enterprises_max, |p| {
                    p.cluster_enterprises.map(i64::from)
                }),
                ("chain_leader_scale", params.chain_leader_scale_max, |p| p.chain_leader_scale),
                ("suppliers", params.suppliers_max, |p| p.suppliers.map(i64::from)),
            ];
            for input in pool.iter().chain(&outsiders) {
                let score = ranked.score(input, &params);
                prop_assert_eq!(&score, &representativeness(input, &pool, &params));
                for (key, max, of) in columns {
                    let column: Vec<Option<i64>> = pool.iter().map(of).collect();
                    prop_assert_eq!(
                        points(&score, key),
                        points_by_definition(of(input), &column, max),
                        "part {}", key
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn totals_stay_in_range_and_equal_the_sum_of_parts(
            input in arb_input(),
            others in prop::collection::vec(arb_input(), 0..12),
            include_self in any::<bool>(),
            params in prop_oneof![Just(RepresentativenessParams::default()), arb_params()],
        ) {
            prop_assert_eq!(params.validate(), vec![]);
            let mut pool = others;
            if include_self {
                pool.push(input.clone());
            }
            let score = representativeness(&input, &pool, &params);
            assert_consistent(&score)?;
            // Order of the pool does not matter: a rank is a count.
            pool.reverse();
            prop_assert_eq!(&score, &representativeness(&input, &pool, &params));
        }

        #[test]
        fn a_larger_value_never_scores_less(
            pool in prop::collection::vec(arb_input(), 1..12),
            a in 0..=1_000_000_i64,
            b in 0..=1_000_000_i64,
        ) {
            let params = RepresentativenessParams::default();
            let (low, high) = (a.min(b), a.max(b));
            let with = |v| RepresentativenessInput { cluster_scale: Some(v), ..Default::default() };
            let low = representativeness(&with(low), &pool, &params);
            let high = representativeness(&with(high), &pool, &params);
            prop_assert!(low.total <= high.total);
        }
    }
}
