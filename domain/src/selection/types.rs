//! Public, serialisable types of the selection: inputs (candidates, weights,
//! constraints) and outputs (solution, infeasibility report, explanation).
//!
//! Every score and total is an exact integer, in one unit per kind across the
//! API. Scores (criteria, their parts, floors) are in hundredths of a point
//! (0..=10000 for 0.00..=100.00) and weights in percent (summing to 100), so a
//! weighted total `Σ w_k · s_k` — and the objective, margins and forcing costs
//! built from totals — is in ten-thousandths of a point, exactly: 100.00
//! points is [`UNITS_PER_POINT`]` * 100` = 1_000_000. (Rounding totals to
//! hundredths would make distinct totals tie and small margins vanish.) Texts
//! write points with `domain::score::{hundredths_text, units_text}`. Floats
//! never decide anything: the solver's f64 answers are rounded and re-checked
//! in integers before they are used.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::model::pid;
use crate::score::hundredths_text;

/// Integer units of a weighted total per point: totals are in ten-thousandths of a point.
pub const UNITS_PER_POINT: i64 = 10_000;

/// Highest score, in hundredths of a point (100.00).
pub const MAX_SCORE: i64 = 10_000;

/// The tie rule, stated verbatim in every [`Solution`] so that a published
/// list carries the rule that produced it; [`super::solve()`] applies exactly this
/// rule (never whatever optimal set the solver happens to return first).
pub const TIE_RULE: &str =
    "maximise the sum of weighted totals; among lists with the same maximum, \
prefer the list containing the earliest-sealed proposal that can be in an optimal list, then the \
next earliest, and so on (earlier sealed_at first, then lower id)";

/// The three regions of 一区两群 (one zone, two groups).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Region {
    /// 主城都市区, the main urban zone.
    MainUrban,
    /// 渝东北三峡库区城镇群, the northeast group.
    Northeast,
    /// 渝东南武陵山区城镇群, the southeast group.
    Southeast,
}

impl Region {
    /// All regions, in a fixed order (used as an index 0..3).
    pub const ALL: [Region; 3] = [Region::MainUrban, Region::Northeast, Region::Southeast];

    /// The serde name, also used in messages.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The Chinese name of the region.
    pub fn label(self) -> &'static str {
        match self {
            Region::MainUrban => "主城都市区",
            Region::Northeast => "渝东北三峡库区城镇群",
            Region::Southeast => "渝东南武陵山区城镇群",
        }
    }

    /// Position in [`Region::ALL`].
    pub fn index(self) -> usize {
        match self {
            Region::MainUrban => 0,
            Region::Northeast => 1,
            Region::Southeast => 2,
        }
    }
}

/// An eligible proposal as the selection sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Proposal id (shown as `P-<id>` in messages). Must be unique in a pool.
    pub id: i32,
    /// District code, e.g. "500105".
    pub district: String,
    /// Region of the district.
    pub region: Region,
    /// Industrial cluster code.
    pub cluster: String,
    /// Construction model: "government_led" | "chain_leader_led" | "third_party".
    pub model: String,
    /// Completeness, representativeness, layout: hundredths of a point, 0..=10000.
    pub scores: [i64; 3],
    /// Unix seconds at which the district sealed the proposal (tie rule).
    pub sealed_at: i64,
}

/// Weights of the three criteria, in percent (hundredths of the whole); each 0..=100, summing
/// to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of plan completeness (方案完整性).
    #[schema(minimum = 0, maximum = 100)]
    pub completeness: i64,
    /// Weight of industry representativeness (行业代表性).
    #[schema(minimum = 0, maximum = 100)]
    pub representativeness: i64,
    /// Weight of district industrial layout (区县产业布局).
    #[schema(minimum = 0, maximum = 100)]
    pub layout: i64,
}

impl Default for Weights {
    /// Layout and representativeness first, as the notice lists them; completeness close behind.
    fn default() -> Self {
        Weights {
            completeness: 30,
            representativeness: 35,
            layout: 35,
        }
    }
}

impl Weights {
    /// The weights in score order (completeness, representativeness, layout).
    pub fn as_array(&self) -> [i64; 3] {
        [self.completeness, self.representativeness, self.layout]
    }

    /// Each weight in 0..=100 and the three summing to exactly 100.
    pub fn validate(&self) -> Result<(), crate::msg::Msg> {
        let w = self.as_array();
        if w.iter().any(|&x| !(0..=100).contains(&x)) || w.iter().sum::<i64>() != 100 {
            return Err(crate::msg!(
                "rule-weights-sum",
                completeness = w[0],
                representativeness = w[1],
                layout = w[2],
                total = w.iter().map(|&x| i128::from(x)).sum::<i128>()
            ));
        }
        Ok(())
    }
}

fn default_list_size() -> u32 {
    5
}

fn default_one() -> Option<u32> {
    Some(1)
}

fn default_true() -> bool {
    true
}

/// Constraints on the list. Omitted fields take their defaults; an explicit
/// `null` turns an optional cap off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Exactly this many proposals are chosen (default 5).
    #[serde(default = "default_list_size")]
    pub list_size: u32,
    /// At most this many per district (default 1; null = no cap).
    #[serde(default = "default_one")]
    pub max_per_district: Option<u32>,
    /// At most this many per cluster: "one brain per industry" (default 1; null = no cap).
    #[serde(default = "default_one")]
    pub max_per_cluster: Option<u32>,
    /// At least one chosen from each region that has an admissible proposal (default true).
    #[serde(default = "default_true")]
    pub each_region: bool,
    /// Completeness floor in hundredths of a point (0..=10000); proposals below it are not
    /// admissible.
    #[serde(default)]
    pub min_completeness: Option<i64>,
    /// Minimum number chosen per construction model.
    #[serde(default)]
    pub min_per_model: BTreeMap<String, u32>,
    /// Proposal ids that must be in the list.
    #[serde(default)]
    pub pins: Vec<i32>,
    /// Proposal ids that must be out of the list.
    #[serde(default)]
    pub exclusions: Vec<i32>,
}

impl Default for Constraints {
    fn default() -> Self {
        Constraints {
            list_size: default_list_size(),
            max_per_district: default_one(),
            max_per_cluster: default_one(),
            each_region: true,
            min_completeness: None,
            min_per_model: BTreeMap::new(),
            pins: Vec::new(),
            exclusions: Vec::new(),
        }
    }
}

/// One proposal of the chosen list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Chosen {
    /// 1-based rank: total descending, then the tie-rule priority.
    pub rank: u32,
    /// Proposal id.
    pub id: i32,
    /// Weighted total, in ten-thousandths of a point (1,000,000 = 100.00).
    pub total: i64,
}

/// How much work the solve did; for logs and benchmarks, not for decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct SolveStats {
    /// Candidates given.
    pub candidates: u32,
    /// Candidates neither excluded nor under the completeness floor.
    pub admissible: u32,
    /// Candidates left after the exact reductions (the integer program's size).
    pub reduced: u32,
    /// Integer programs solved.
    pub ip_solves: u32,
}

/// The chosen list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Solution {
    /// The list in rank order.
    pub chosen: Vec<Chosen>,
    /// Sum of the chosen totals, in ten-thousandths of a point (1,000,000 = 100.00).
    pub objective: i64,
    /// The tie rule that was applied ([`TIE_RULE`]).
    pub tie_rule: String,
    /// Work done.
    pub stats: SolveStats,
}

impl Solution {
    /// Ids of the chosen proposals in rank order.
    pub fn ids(&self) -> Vec<i32> {
        self.chosen.iter().map(|c| c.id).collect()
    }
}

/// Smallest list size a round (and so a relaxation) may set.
pub const MIN_LIST_SIZE: u32 = 1;

/// Largest list size a round (and so a relaxation) may set.
pub const MAX_LIST_SIZE: u32 = 50;

/// One change to a selection's inputs, the kind a [`Relaxation`] proposes. Every value is one the
/// API accepts: list sizes in [`MIN_LIST_SIZE`]..=[`MAX_LIST_SIZE`], caps of at least 1 (or none),
/// floors in hundredths of a point 0..=[`MAX_SCORE`] (or none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Set the round's list size.
    ListSize(u32),
    /// Set the district cap (`None` lifts it).
    MaxPerDistrict(Option<u32>),
    /// Set the cluster cap (`None` lifts it).
    MaxPerCluster(Option<u32>),
    /// Turn the region rule on or off.
    EachRegion(bool),
    /// Set the completeness floor, hundredths of a point (`None` drops it).
    MinCompleteness(Option<i64>),
    /// Set one construction model's minimum (0 drops it).
    MinPerModel(String, u32),
    /// Drop every model minimum.
    NoMinPerModel,
    /// Take these proposals out of the pins.
    Unpin(Vec<i32>),
    /// Take these proposals out of the exclusions.
    LiftExclusions(Vec<i32>),
}

impl Change {
    /// The constraints with this change made.
    pub fn apply(&self, c: &Constraints) -> Constraints {
        let mut t = c.clone();
        match self {
            Change::ListSize(v) => t.list_size = *v,
            Change::MaxPerDistrict(v) => t.max_per_district = *v,
            Change::MaxPerCluster(v) => t.max_per_cluster = *v,
            Change::EachRegion(v) => t.each_region = *v,
            Change::MinCompleteness(v) => t.min_completeness = *v,
            Change::MinPerModel(model, 0) => {
                t.min_per_model.remove(model);
            }
            Change::MinPerModel(model, v) => {
                t.min_per_model.insert(model.clone(), *v);
            }
            Change::NoMinPerModel => t.min_per_model.clear(),
            Change::Unpin(ids) => t.pins.retain(|p| !ids.contains(p)),
            Change::LiftExclusions(ids) => t.exclusions.retain(|p| !ids.contains(p)),
        }
        t
    }
}

/// Which request a [`Relaxation`] edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelaxationTarget {
    /// The body of `POST /rounds/{year}/selections`; resend it with the change.
    Selection,
    /// The round itself (`PATCH /rounds/{year}`): the list size is the round's.
    Round,
}

/// How a [`Relaxation`] edits its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelaxationOp {
    /// Set the field to `value` (`null` turns a cap or floor off).
    Set,
    /// Remove from the list in `field` the entries whose `proposal_id` is in `value`.
    Remove,
}

/// A single change that, applied alone, makes a list possible: each one offered was checked by
/// solving with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Relaxation {
    /// The change itself, for callers in this crate.
    #[serde(skip)]
    pub edit: Change,
    /// Which request it edits.
    pub target: RelaxationTarget,
    /// How it edits the field.
    pub change: RelaxationOp,
    /// The member it edits, as a dotted path in the target's body (e.g.
    /// `constraints.max_per_district`, `pins`, `list_size`).
    pub field: String,
    /// The new value, in the unit the target takes (hundredths of a point for
    /// `constraints.min_completeness`; the whole map for `constraints.min_per_model`; proposal ids
    /// for `pins` and `exclusions`).
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    /// The same change in words.
    pub text: String,
}

impl Relaxation {
    /// Describes `edit` as a change of `before`.
    pub fn new(edit: Change, before: &Constraints) -> Relaxation {
        let after = edit.apply(before);
        let pids = |ids: &[i32]| ids.iter().map(|&id| pid(id)).collect::<Vec<_>>().join(", ");
        let raise = |from: Option<u32>, to: u32| {
            if from.is_some_and(|f| f > to) {
                "lower"
            } else {
                "raise"
            }
        };
        let (target, op, field, value, text) = match &edit {
            Change::ListSize(v) => (
                RelaxationTarget::Round,
                RelaxationOp::Set,
                "list_size".to_string(),
                json!(v),
                format!("{} list_size to {v}", raise(Some(before.list_size), *v)),
            ),
            Change::MaxPerDistrict(v) | Change::MaxPerCluster(v) => {
                let (name, from) = match &edit {
                    Change::MaxPerDistrict(_) => ("max_per_district", before.max_per_district),
                    _ => ("max_per_cluster", before.max_per_cluster),
                };
                let text = match v {
                    Some(v) => format!("{} {name} to {v}", raise(from, *v)),
                    None => format!("lift {name} (no cap)"),
                };
                (
                    RelaxationTarget::Selection,
                    RelaxationOp::Set,
                    format!("constraints.{name}"),
                    json!(v),
                    text,
                )
            }
            Change::EachRegion(v) => (
                RelaxationTarget::Selection,
                RelaxationOp::Set,
                "constraints.each_region".to_string(),
                json!(v),
                format!("turn {} each_region", if *v { "on" } else { "off" }),
            ),
            Change::MinCompleteness(v) => (
                RelaxationTarget::Selection,
                RelaxationOp::Set,
                "constraints.min_completeness".to_string(),
                json!(v),
                match v {
                    Some(v) => format!(
                        "lower min_completeness to {v} ({} points)",
                        hundredths_text(*v)
                    ),
                    None => "drop min_completeness".to_string(),
                },
            ),
            Change::MinPerModel(model, v) => (
                RelaxationTarget::Selection,
                RelaxationOp::Set,
                "constraints.min_per_model".to_string(),
                json!(after.min_per_model),
                if *v == 0 {
                    format!("drop the min_per_model minimum for {model}")
                } else {
                    format!("lower min_per_model for {model} to {v}")
                },
            ),
            Change::NoMinPerModel => (
                RelaxationTarget::Selection,
                RelaxationOp::Set,
                "constraints.min_per_model".to_string(),
                json!(after.min_per_model),
                "drop min_per_model".to_string(),
            ),
            Change::Unpin(ids) => (
                RelaxationTarget::Selection,
                RelaxationOp::Remove,
                "pins".to_string(),
                json!(ids),
                format!("unpin {}", pids(ids)),
            ),
            Change::LiftExclusions(ids) => (
                RelaxationTarget::Selection,
                RelaxationOp::Remove,
                "exclusions".to_string(),
                json!(ids),
                format!(
                    "lift the {} of {}",
                    if ids.len() == 1 {
                        "exclusion"
                    } else {
                        "exclusions"
                    },
                    pids(ids)
                ),
            ),
        };
        Relaxation {
            edit,
            target,
            change: op,
            field,
            value,
            text,
        }
    }
}

/// No list satisfies the constraints (or the inputs are invalid): what
/// conflicts, and which single changes would make a list possible.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct Infeasible {
    /// Plain-English statements of what cannot hold together.
    pub conflicts: Vec<String>,
    /// Single changes, each of which, applied alone, makes a list possible (each was checked by
    /// solving with it).
    pub relaxations: Vec<Relaxation>,
}

impl Infeasible {
    /// The relaxations in words.
    pub fn relaxation_texts(&self) -> Vec<&str> {
        self.relaxations.iter().map(|r| r.text.as_str()).collect()
    }
}

impl fmt::Display for Infeasible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no list is possible: {}", self.conflicts.join("; "))?;
        if !self.relaxations.is_empty() {
            write!(
                f,
                " (possible relaxations: {})",
                self.relaxation_texts().join("; ")
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Infeasible {}

/// Which weight a [`WeightInterval`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeightName {
    /// [`Weights::completeness`].
    Completeness,
    /// [`Weights::representativeness`].
    Representativeness,
    /// [`Weights::layout`].
    Layout,
}

impl WeightName {
    /// In score order.
    pub const ALL: [WeightName; 3] = [
        WeightName::Completeness,
        WeightName::Representativeness,
        WeightName::Layout,
    ];

    /// The serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            WeightName::Completeness => "completeness",
            WeightName::Representativeness => "representativeness",
            WeightName::Layout => "layout",
        }
    }
}

/// How far one weight can move (the other two keeping their ratio and
/// renormalised to sum to 100) before the chosen *set* changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WeightInterval {
    /// The weight that moves.
    pub weight: WeightName,
    /// Its current value (percent).
    pub current: i64,
    /// Lowest value (percent, 0..=100) with the same chosen set.
    pub low: i64,
    /// Highest value (percent, 0..=100) with the same chosen set.
    pub high: i64,
    /// Human sentence.
    pub message: String,
}

/// A chosen proposal, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChosenExplanation {
    /// 1-based rank.
    pub rank: u32,
    /// Proposal id.
    pub id: i32,
    /// Weighted total, in ten-thousandths of a point (1,000,000 = 100.00).
    pub total: i64,
    /// The three scores it was built from, in hundredths of a point.
    pub scores: [i64; 3],
    /// How much its total could drop (ten-thousandths of a point) before it leaves the list:
    /// the optimum minus the best list without it. A drop of exactly the
    /// margin ties and the tie rule decides. `None` if it cannot leave (pinned,
    /// or no list is possible without it).
    pub margin: Option<i64>,
    /// Human sentence.
    pub message: String,
}

/// Why a proposal is not in the list; the most specific true reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LeftOutReason {
    /// Excluded by the panel.
    Excluded,
    /// Completeness below the floor (both in hundredths of a point).
    BelowFloor {
        /// Its completeness.
        completeness: i64,
        /// The floor.
        floor: i64,
    },
    /// Its district is full, with a chosen proposal whose total is at least as high.
    SameDistrict {
        /// That chosen proposal.
        as_id: i32,
        /// Its total, in ten-thousandths of a point.
        as_total: i64,
    },
    /// Its cluster is full, with a chosen proposal whose total is at least as high.
    SameCluster {
        /// That chosen proposal.
        as_id: i32,
        /// Its total, in ten-thousandths of a point.
        as_total: i64,
    },
    /// Its total is below the lowest chosen total.
    Outranked {
        /// The lowest-ranked chosen proposal.
        lowest_chosen_id: i32,
        /// Its total, in ten-thousandths of a point.
        lowest_chosen_total: i64,
    },
    /// It outscores a chosen proposal, but a constraint keeps that one in
    /// (or keeps it out): `constraint` is one of `pins`, `each_region`,
    /// `min_per_model`, `max_per_district`, `max_per_cluster`, `combination`.
    DisplacedByConstraint {
        /// The constraint's name.
        constraint: String,
    },
    /// An equally good list contains it, but the tie rule prefers the chosen one.
    TieRule {
        /// The chosen proposal it tied with (sealed earlier, or same time and lower id).
        preferred_id: i32,
    },
}

/// What forcing a left-out proposal into the list would cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ForcingCost {
    /// The optimum minus the best list that contains it (0 = a tie).
    Cost {
        /// In ten-thousandths of a point (1,000,000 = 100.00).
        units: i64,
    },
    /// No list satisfying the constraints contains it.
    Impossible,
}

/// A proposal left out, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LeftOut {
    /// Proposal id.
    pub id: i32,
    /// Weighted total, in ten-thousandths of a point (1,000,000 = 100.00).
    pub total: i64,
    /// Why it is out.
    pub reason: LeftOutReason,
    /// Computed for (at least) the strongest admissible proposals left out;
    /// `None` where not computed.
    pub forcing_cost: Option<ForcingCost>,
    /// Human sentence.
    pub message: String,
}

/// Why the list is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Explanation {
    /// The optimum, in ten-thousandths of a point (1,000,000 = 100.00).
    pub objective: i64,
    /// The chosen proposals, in rank order.
    pub chosen: Vec<ChosenExplanation>,
    /// Every other candidate, strongest first (by total, then tie-rule priority).
    pub left_out: Vec<LeftOut>,
    /// One interval per weight.
    pub weight_intervals: Vec<WeightInterval>,
    /// Integer programs solved for this explanation.
    pub ip_solves: u32,
}
