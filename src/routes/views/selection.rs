//! Scores, selection runs and replays.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::selection::{
    ChosenEntry, ConstraintOverrides, LeftOutPage as AppLeftOutPage, LeftOutWindow,
    Replay as ReplayOutcome, Request, Run, RunSummary, ScoreQuery as AppScoreQuery,
    ScoreSummary as AppScoreSummary, Scored, Scores,
};
use crate::domain::layout::ScoreWarning;
use crate::domain::pool::ScoreCard;
use crate::domain::proposal::ConstructionModel;
use crate::domain::proposal_state::Status;
use crate::domain::score::units_rounded_text as points;
use crate::domain::selection::{Constraints, Explanation, Region, Weights};
use crate::domain::selection_run::PanelDecision;
use crate::error::{ApiError, FieldError};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScoredProposal {
    pub proposal_id: i32,
    pub brain_name: Option<String>,
    pub district_code: String,
    pub region: Region,
    pub cluster_code: Option<String>,
    pub status: Status,
    /// The three scores with their parts (hundredths of a point) and the weighted total.
    pub card: ScoreCard,
    /// The weighted total in points, rounded half up to two decimals.
    pub total_points: String,
}

impl From<Scored> for ScoredProposal {
    fn from(s: Scored) -> Self {
        Self {
            proposal_id: s.proposal_id,
            brain_name: s.brain_name,
            district_code: s.district_code,
            region: s.region,
            cluster_code: s.cluster_code,
            status: s.status,
            total_points: points(s.card.weighted_total),
            card: s.card,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoundScores {
    pub year: i32,
    pub weights: Weights,
    /// How representativeness is normalised over the pool.
    pub normalisation: String,
    /// Strongest first.
    pub proposals: Vec<ScoredProposal>,
    /// What to know before relying on these scores, e.g. a district without an industry map
    /// (its proposals' industry match scores 0 for want of data).
    pub warnings: Vec<ScoreWarning>,
    /// The pool and every match at a glance (not only this page), and the next page's cursor.
    pub summary: ScoreSummary,
}

/// Counts and weighted totals over every proposal matching the filters.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScoreSummary {
    /// Proposals in the round's pool (representativeness is normalised over all of them).
    pub pool: u64,
    /// Proposals matching the filters.
    pub matched: u64,
    /// Highest, lowest and mean weighted total of the matches, units of 1e-4 point.
    pub max_total: Option<i64>,
    pub min_total: Option<i64>,
    pub mean_total: Option<i64>,
    /// Send as `after` for the next page (also in the `Link: <…>; rel="next"` header); absent on
    /// the last page.
    pub next_after: Option<String>,
}

impl From<AppScoreSummary> for ScoreSummary {
    fn from(s: AppScoreSummary) -> Self {
        Self {
            pool: s.pool,
            matched: s.matched,
            max_total: s.max_total,
            min_total: s.min_total,
            mean_total: s.mean_total,
            next_after: s.next.map(|(total, id)| format!("{total}:{id}")),
        }
    }
}

/// Filters and the page of `GET /rounds/{year}/scores`. The order is stable: weighted total
/// descending, then proposal id.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScoreQuery {
    /// Only this district's.
    pub district: Option<String>,
    /// Only this cluster's.
    pub cluster: Option<String>,
    /// Only proposals in this state.
    pub status: Option<Status>,
    /// Only this region's.
    pub region: Option<Region>,
    /// At most this many, 1–5000 (default 1000).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<u32>,
    /// The cursor `summary.next_after` of the previous page: `<weighted total>:<proposal id>`.
    #[param(pattern = r"^-?[0-9]{1,18}:-?[0-9]{1,9}$")]
    pub after: Option<String>,
}

impl TryFrom<ScoreQuery> for AppScoreQuery {
    type Error = ApiError;

    fn try_from(q: ScoreQuery) -> Result<Self, ApiError> {
        let after = q
            .after
            .map(|a| {
                a.split_once(':')
                    .and_then(|(t, id)| Some((t.parse().ok()?, id.parse().ok()?)))
                    .ok_or_else(|| ApiError::BadRequest {
                        detail: crate::msg!("detail-after-must-cursor-previous-page"),
                        errors: vec![FieldError::new("after", crate::msg!("field-not-a-cursor"))],
                    })
            })
            .transpose()?;
        Ok(Self {
            district: q.district,
            cluster: q.cluster,
            status: q.status,
            region: q.region,
            limit: q.limit,
            after,
        })
    }
}

pub const NORMALISATION: &str =
    "each numeric part of representativeness scores the percentile rank of the proposal's value \
among the pool's values (share of pool values ≤ it, ties counted fully; a missing value scores 0), \
which equals the percentile of its log scale";

impl From<(Scores, AppScoreSummary)> for RoundScores {
    fn from((s, summary): (Scores, AppScoreSummary)) -> Self {
        Self {
            year: s.year,
            weights: s.weights,
            normalisation: NORMALISATION.into(),
            proposals: s.proposals.into_iter().map(Into::into).collect(),
            warnings: s.warnings,
            summary: summary.into(),
        }
    }
}

/// Deserialises a member that is present, as a value or `null`, to `Some(..)`; with
/// `#[serde(default)]` an absent member stays `None`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Constraints for one run. Each member omitted takes the round's setting
/// (`settings.constraints` of `GET /rounds/{year}`); `null` turns a cap or the floor off.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectionConstraints {
    /// At most this many per district (at least 1; null = no cap).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<u32>)]
    pub max_per_district: Option<Option<u32>>,
    /// At most this many per cluster, "one brain per industry" (at least 1; null = no cap).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<u32>)]
    pub max_per_cluster: Option<Option<u32>>,
    /// At least one from each region of 一区两群 that has an admissible proposal.
    pub each_region: Option<bool>,
    /// Completeness floor in hundredths of a point, 0..=10000 (null = no floor).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub min_completeness: Option<Option<i64>>,
    /// Minimum chosen per construction model; replaces the round's minimums as a whole.
    pub min_per_model: Option<BTreeMap<ConstructionModel, u32>>,
}

impl From<SelectionConstraints> for ConstraintOverrides {
    fn from(c: SelectionConstraints) -> Self {
        Self {
            max_per_district: c.max_per_district,
            max_per_cluster: c.max_per_cluster,
            each_region: c.each_region,
            min_completeness: c.min_completeness,
            min_per_model: c.min_per_model,
        }
    }
}

/// A selection request. Omitted members take the round's settings.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"weights": {"completeness": 40, "representativeness": 30, "layout": 30}}))]
pub struct SelectionRequest {
    /// Weights for this run (percent, summing to 100); default the round's.
    pub weights: Option<Weights>,
    /// Constraints for this run; each member omitted takes the round's setting.
    pub constraints: Option<SelectionConstraints>,
    /// Proposals the panel puts in, each with a justification of at least 20 characters.
    #[serde(default)]
    pub pins: Vec<PanelDecision>,
    /// Proposals the panel keeps out, each with a justification of at least 20 characters.
    #[serde(default)]
    pub exclusions: Vec<PanelDecision>,
}

impl From<SelectionRequest> for Request {
    fn from(r: SelectionRequest) -> Self {
        Self {
            weights: r.weights,
            constraints: r.constraints.map(Into::into).unwrap_or_default(),
            pins: r.pins,
            exclusions: r.exclusions,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChosenProposal {
    pub rank: u32,
    pub proposal_id: i32,
    pub brain_name: Option<String>,
    pub district_code: String,
    pub region: Region,
    pub cluster_code: String,
    /// Weighted total, in ten-thousandths of a point (1,000,000 = 100.00).
    pub total: i64,
    /// The weighted total in points, rounded half up to two decimals.
    pub total_points: String,
    /// How much its total could drop (ten-thousandths of a point) before it leaves the list;
    /// none if it cannot leave.
    pub margin: Option<i64>,
    /// Its three scores with their parts.
    pub card: ScoreCard,
    pub message: String,
}

impl From<ChosenEntry> for ChosenProposal {
    fn from(c: ChosenEntry) -> Self {
        Self {
            rank: c.rank,
            proposal_id: c.proposal_id,
            brain_name: c.brain_name,
            district_code: c.district_code,
            region: c.region,
            cluster_code: c.cluster_code,
            total: c.total,
            total_points: points(c.total),
            margin: c.margin,
            card: c.card,
            message: c.message,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SelectionRun {
    pub id: i32,
    pub year: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: i32,
    /// SHA-256 of the canonical JSON of the inputs.
    pub inputs_hash: String,
    pub solver: String,
    pub solver_version: String,
    /// Sum of the chosen weighted totals, in ten-thousandths of a point (1,000,000 = 100.00).
    pub objective: i64,
    /// The objective in points, rounded half up to two decimals.
    pub objective_points: String,
    /// The stated tie rule, applied exactly.
    pub tie_rule: String,
    pub weights: Weights,
    pub constraints: Constraints,
    pub pins: Vec<PanelDecision>,
    pub exclusions: Vec<PanelDecision>,
    /// The list in rank order.
    pub chosen: Vec<ChosenProposal>,
    /// Margins, the reason each left-out proposal is out (with the cost of forcing it in for the
    /// strongest), and how far each weight can move before the list changes. `left_out` holds
    /// the window `left_out_page` says (the strongest 100 unless asked, see `GET
    /// /selections/{id}`); the spreadsheet export has them all.
    pub explanation: Explanation,
    /// Which of the left-out proposals `explanation.left_out` explains.
    pub left_out_page: LeftOutPage,
    /// What to know before relying on the run's scores, e.g. a district without an industry map.
    pub warnings: Vec<ScoreWarning>,
}

/// The window of left-out proposals an answer explains.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeftOutPage {
    /// Proposals left out in all.
    pub total: u64,
    /// Skipped before the first explained (strongest first).
    pub offset: u64,
    /// Send as `left_out_offset` for the next window; absent on the last.
    pub next_offset: Option<u64>,
}

/// Which left-out proposals `GET /selections/{id}` explains, strongest first.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeftOutQuery {
    /// Skip this many (default 0).
    pub left_out_offset: Option<u32>,
    /// At most this many, 1–5000 (default 100).
    #[param(minimum = 1, maximum = 5000)]
    pub left_out_limit: Option<u32>,
}

impl From<LeftOutQuery> for LeftOutWindow {
    fn from(q: LeftOutQuery) -> Self {
        Self {
            offset: q.left_out_offset,
            limit: q.left_out_limit,
        }
    }
}

impl From<(Run, AppLeftOutPage)> for SelectionRun {
    fn from((r, page): (Run, AppLeftOutPage)) -> Self {
        Self {
            id: r.id,
            year: r.year,
            created_at: r.created_at,
            created_by: r.created_by,
            inputs_hash: r.inputs_hash,
            solver: r.solver,
            solver_version: r.solver_version,
            objective: r.objective,
            objective_points: points(r.objective),
            tie_rule: r.tie_rule,
            weights: r.weights,
            constraints: r.constraints,
            pins: r.pins,
            exclusions: r.exclusions,
            chosen: r.chosen.into_iter().map(Into::into).collect(),
            explanation: r.explanation,
            left_out_page: LeftOutPage {
                total: page.total,
                offset: page.offset,
                next_offset: page.next_offset,
            },
            warnings: r.warnings,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SelectionSummary {
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: i32,
    pub inputs_hash: String,
    /// Sum of the chosen weighted totals, in ten-thousandths of a point (1,000,000 = 100.00).
    pub objective: Option<i64>,
    /// Chosen proposal ids in rank order.
    pub chosen: Vec<i32>,
}

impl From<RunSummary> for SelectionSummary {
    fn from(r: RunSummary) -> Self {
        Self {
            id: r.id,
            created_at: r.created_at,
            created_by: r.created_by,
            inputs_hash: r.inputs_hash,
            objective: r.objective,
            chosen: r.chosen,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Replay {
    /// The re-solve gave the same list, objective and explanation as stored.
    pub identical: bool,
    /// The stored inputs still hash to the stored hash (nothing altered them).
    pub inputs_intact: bool,
    pub inputs_hash: String,
    /// The stored objective, in ten-thousandths of a point.
    pub stored_objective: i64,
    /// The re-solved objective, in ten-thousandths of a point.
    pub replayed_objective: i64,
    pub stored_chosen: Vec<i32>,
    pub replayed_chosen: Vec<i32>,
    /// What differs, if anything.
    pub differences: Vec<String>,
}

impl From<ReplayOutcome> for Replay {
    fn from(r: ReplayOutcome) -> Self {
        Self {
            identical: r.identical,
            inputs_intact: r.inputs_intact,
            inputs_hash: r.inputs_hash,
            stored_objective: r.stored_objective,
            replayed_objective: r.replayed_objective,
            stored_chosen: r.stored_chosen,
            replayed_chosen: r.replayed_chosen,
            differences: r.differences,
        }
    }
}
