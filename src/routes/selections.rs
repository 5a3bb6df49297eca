//! Selection (揭榜挂帅 step 2): score the eligible pool on the notice's three criteria and choose
//! the list exactly, with explanations and replay.

use std::collections::HashMap;

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::proposals::content;
use super::Data;
use crate::auth::Caller;
use crate::domain::industry_map::IndustryMap;
use crate::domain::pool::{score_pool, PoolEntry, ScoreCard};
use crate::domain::proposal::{ProposalForm, ProposalPlan};
use crate::domain::proposal_state::Status;
use crate::domain::representativeness::Tier;
use crate::domain::role::Role;
use crate::domain::round::{ConstraintDefaults, RoundSettings};
use crate::domain::selection::{Candidate, Constraints, Explanation, Region, Weights};
use crate::domain::selection_run::{
    self, check_panel, points, PanelDecision, RunInputs, RunResult,
};
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(round_scores)
        .service(create_selection)
        .service(list_selections)
        .service(get_selection)
        .service(replay_selection);
}

pub const SOLVER: &str = "good_lp (microlp backend), exact integer program";
pub const SOLVER_VERSION: &str = concat!(
    "good_lp ",
    env!("JIEBANG_GOOD_LP_VERSION"),
    ", microlp ",
    env!("JIEBANG_MICROLP_VERSION")
);

/// The states whose proposals form the selection pool: eligible, and after publication the
/// listed and not-listed ones (a correction re-selects from the same pool).
pub const POOL: [Status; 3] = [Status::Eligible, Status::Listed, Status::NotListed];

pub fn settings_of(round: &entity::round::Model) -> Result<RoundSettings> {
    serde_json::from_value(round.settings.clone())
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("round settings: {e}")))
}

/// A pool proposal with what scoring needs, loaded.
pub struct Loaded {
    pub proposal: entity::proposal::Model,
    pub form: ProposalForm,
    pub plan: ProposalPlan,
    pub region: Region,
    pub map: IndustryMap,
    pub tier: Option<Tier>,
}

/// Loads the round's pool with districts, maps and cluster tiers.
pub async fn load_pool(state: &Data, round: &entity::round::Model) -> Result<Vec<Loaded>> {
    let proposals = store::proposals::in_states(&state.db, round.id, &POOL).await?;
    let districts: HashMap<String, entity::district::Model> =
        store::reference::districts(&state.db, None)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), d))
            .collect();
    let refs = store::reference::RefData::load(&state.db).await?;
    let mut out = Vec::with_capacity(proposals.len());
    for p in proposals {
        let (form, plan) = content(&p)?;
        let d = districts.get(&p.district_code).ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!("district {} missing", p.district_code))
        })?;
        let region = d
            .region
            .parse::<Region>()
            .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))?;
        // A map that does not read back would silently change layout scores: fail instead.
        let corrupt = |e: serde_json::Error| {
            ApiError::Unexpected(anyhow::anyhow!("industry map of {}: {e}", d.code))
        };
        let map = IndustryMap {
            leading: serde_json::from_value(d.leading.clone()).map_err(corrupt)?,
            characteristic: serde_json::from_value(d.characteristic.clone()).map_err(corrupt)?,
        };
        let tier = form
            .cluster_code
            .as_deref()
            .and_then(|c| refs.cluster_tier(c))
            .and_then(|t| t.parse::<Tier>().ok());
        out.push(Loaded {
            proposal: p,
            form,
            plan,
            region,
            map,
            tier,
        });
    }
    Ok(out)
}

/// Scores the loaded pool under the round's settings (weights possibly overridden).
pub fn score(loaded: &[Loaded], settings: &RoundSettings) -> (Vec<ScoreCard>, Vec<Candidate>) {
    let entries: Vec<PoolEntry<'_>> = loaded
        .iter()
        .map(|l| PoolEntry {
            id: l.proposal.id,
            form: &l.form,
            plan: &l.plan,
            district: &l.proposal.district_code,
            region: l.region,
            map: &l.map,
            cluster_tier: l.tier,
            sealed_at: l.proposal.sealed_at.map_or(i64::MAX, |t| t.timestamp()),
        })
        .collect();
    score_pool(&entries, settings)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoredProposal {
    pub proposal_id: i32,
    pub brain_name: Option<String>,
    pub district_code: String,
    pub region: Region,
    pub cluster_code: Option<String>,
    pub status: Status,
    /// The three scores with their parts (hundredths of a point) and the weighted total.
    pub card: ScoreCard,
    /// The weighted total in points, two decimals.
    pub total_points: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundScores {
    pub year: i32,
    pub weights: Weights,
    /// How representativeness is normalised over the pool.
    pub normalisation: String,
    /// Strongest first.
    pub proposals: Vec<ScoredProposal>,
}

pub const NORMALISATION: &str =
    "each numeric part of representativeness scores the percentile rank of the proposal's value \
among the pool's values (share of pool values ≤ it, ties counted fully; a missing value scores 0), \
which equals the percentile of its log scale";

/// Every eligible proposal's three scores, their parts and the weighted total (commission only).
#[utoipa::path(
    tag = "selection",
    operation_id = "get_round_scores",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    responses(
        (status = 200, body = RoundScores),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/scores")]
async fn round_scores(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
) -> Result<web::Json<RoundScores>> {
    caller.require(&[Role::Commission])?;
    let round = super::rounds::find(&state, year.into_inner()).await?;
    let settings = settings_of(&round)?;
    let loaded = load_pool(&state, &round).await?;
    let (cards, _) = score(&loaded, &settings);
    let mut proposals: Vec<ScoredProposal> = loaded
        .iter()
        .zip(cards)
        .map(|(l, card)| {
            Ok(ScoredProposal {
                proposal_id: l.proposal.id,
                brain_name: l.form.brain_name.clone(),
                district_code: l.proposal.district_code.clone(),
                region: l.region,
                cluster_code: l.proposal.cluster_code.clone(),
                status: super::proposals::status_of(&l.proposal)?,
                total_points: points(card.weighted_total),
                card,
            })
        })
        .collect::<Result<_>>()?;
    proposals.sort_by(|a, b| {
        b.card
            .weighted_total
            .cmp(&a.card.weighted_total)
            .then(a.proposal_id.cmp(&b.proposal_id))
    });
    Ok(web::Json(RoundScores {
        year: round.year,
        weights: settings.weights,
        normalisation: NORMALISATION.into(),
        proposals,
    }))
}

/// A selection request. Omitted members take the round's settings.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectionRequest {
    /// Weights for this run (hundredths summing to 100); default the round's.
    pub weights: Option<Weights>,
    /// Constraints for this run, replacing the round's defaults as a whole; omitted members take
    /// the built-in defaults (1 per district, 1 per cluster, every region, no floor).
    pub constraints: Option<ConstraintDefaults>,
    /// Proposals the panel puts in, each with a justification of at least 20 characters.
    #[serde(default)]
    pub pins: Vec<PanelDecision>,
    /// Proposals the panel keeps out, each with a justification of at least 20 characters.
    #[serde(default)]
    pub exclusions: Vec<PanelDecision>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChosenProposal {
    pub rank: u32,
    pub proposal_id: i32,
    pub brain_name: Option<String>,
    pub district_code: String,
    pub region: Region,
    pub cluster_code: String,
    /// Weighted total, units of 1e-4 point.
    pub total: i64,
    pub total_points: String,
    /// How much its total could drop (units) before it leaves the list; none if it cannot leave.
    pub margin: Option<i64>,
    /// Its three scores with their parts.
    pub card: ScoreCard,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SelectionRun {
    pub id: i32,
    pub year: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: i32,
    /// SHA-256 of the canonical JSON of the inputs.
    pub inputs_hash: String,
    pub solver: String,
    pub solver_version: String,
    /// Sum of the chosen weighted totals, units of 1e-4 point.
    pub objective: i64,
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
    /// strongest), and how far each weight can move before the list changes.
    pub explanation: Explanation,
}

/// Builds the run's response from its stored inputs and result.
pub fn present(
    run: &entity::selection_run::Model,
    year: i32,
    inputs: &RunInputs,
    result: &RunResult,
) -> SelectionRun {
    let cards: HashMap<i32, &ScoreCard> = inputs.scores.iter().map(|c| (c.id, c)).collect();
    let cands: HashMap<i32, &Candidate> = inputs.candidates.iter().map(|c| (c.id, c)).collect();
    let chosen = result
        .explanation
        .chosen
        .iter()
        .filter_map(|c| {
            let cand = cands.get(&c.id)?;
            let card = (*cards.get(&c.id)?).clone();
            Some(ChosenProposal {
                rank: c.rank,
                proposal_id: c.id,
                brain_name: None,
                district_code: cand.district.clone(),
                region: cand.region,
                cluster_code: cand.cluster.clone(),
                total: c.total,
                total_points: points(c.total),
                margin: c.margin,
                card,
                message: c.message.clone(),
            })
        })
        .collect();
    SelectionRun {
        id: run.id,
        year,
        created_at: run.created_at,
        created_by: run.created_by,
        inputs_hash: run.inputs_hash.clone(),
        solver: run.solver.clone(),
        solver_version: run.solver_version.clone(),
        objective: result.solution.objective,
        objective_points: points(result.solution.objective),
        tie_rule: result.solution.tie_rule.clone(),
        weights: inputs.weights,
        constraints: inputs.constraints.clone(),
        pins: inputs.pins.clone(),
        exclusions: inputs.exclusions.clone(),
        chosen,
        explanation: result.explanation.clone(),
    }
}

fn stored<T: serde::de::DeserializeOwned>(v: &serde_json::Value, what: &str) -> Result<T> {
    serde_json::from_value(v.clone())
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("stored {what}: {e}")))
}

/// Solves on the blocking pool (it is CPU work) and maps infeasibility to a 422 that names the
/// conflicting constraints and the single relaxations that would allow a list.
pub async fn solve_blocking(inputs: RunInputs) -> Result<(RunInputs, RunResult)> {
    let (inputs, outcome) = tokio::task::spawn_blocking(move || {
        let outcome = selection_run::run(&inputs);
        (inputs, outcome)
    })
    .await
    .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("selection task: {e}")))?;
    match outcome {
        Ok(result) => Ok((inputs, result)),
        Err(e) if selection_run::is_internal(&e) => {
            Err(ApiError::Unexpected(anyhow::anyhow!("{e}")))
        }
        Err(e) => Err(infeasible(&e)),
    }
}

/// A 422 for constraints no list satisfies: what conflicts and which single relaxation helps.
fn infeasible(e: &crate::domain::selection::Infeasible) -> ApiError {
    let mut extensions = serde_json::Map::new();
    extensions.insert("conflicts".into(), serde_json::json!(e.conflicts));
    extensions.insert("relaxations".into(), serde_json::json!(e.relaxations));
    ApiError::Unprocessable {
        detail: format!(
            "no list satisfies these constraints: {}; {}",
            e.conflicts.join("; "),
            if e.relaxations.is_empty() {
                "no single relaxation helps".to_owned()
            } else {
                format!(
                    "any one of these would allow a list: {}",
                    e.relaxations.join("; ")
                )
            }
        ),
        errors: e
            .conflicts
            .iter()
            .map(|c| FieldError::new("constraints", c.clone()))
            .collect(),
        extensions,
    }
}

/// Run the selection (commission only): an exact integer program over the round's eligible pool.
/// Returns the run with its inputs hash, solver, objective, the chosen list in rank order and the
/// explanation. Infeasible constraints → 422 naming the conflict and a single relaxation.
#[utoipa::path(
    tag = "selection",
    operation_id = "create_selection",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = SelectionRequest,
    responses(
        (status = 201, body = SelectionRun),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/selections")]
async fn create_selection(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
    body: ValidJson<SelectionRequest>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let dto = run_selection(&state, &caller, year.into_inner(), body.0).await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Runs and stores a selection; see [`create_selection`].
///
/// # Errors
/// 404 for an unknown round, 422 for bad input or infeasible constraints.
pub async fn run_selection(
    state: &Data,
    caller: &Caller,
    year: i32,
    req: SelectionRequest,
) -> Result<SelectionRun> {
    let state = state.clone();
    let round = super::rounds::find(&state, year).await?;
    let mut settings = settings_of(&round)?;
    let mut errors = Vec::new();
    if let Some(w) = req.weights {
        if let Err(e) = w.validate() {
            errors.push(FieldError::new("weights", e));
        }
        settings.weights = w;
    }
    if let Some(c) = req.constraints {
        errors.extend(c.validate("constraints"));
        settings.constraints = c;
    }
    ApiError::check(errors)?;
    let loaded = load_pool(&state, &round).await?;
    let (cards, candidates) = score(&loaded, &settings);
    ApiError::check(check_panel(&req.pins, &req.exclusions, &candidates))?;
    let c = &settings.constraints;
    let constraints = Constraints {
        list_size: u32::try_from(round.list_size).unwrap_or(5),
        max_per_district: c.max_per_district,
        max_per_cluster: c.max_per_cluster,
        each_region: c.each_region,
        min_completeness: c.min_completeness,
        min_per_model: c
            .min_per_model
            .iter()
            .map(|(m, n)| (m.as_str().to_owned(), *n))
            .collect(),
        pins: req.pins.iter().map(|d| d.proposal_id).collect(),
        exclusions: req.exclusions.iter().map(|d| d.proposal_id).collect(),
    };
    let inputs = RunInputs {
        weights: settings.weights,
        constraints,
        pins: req.pins,
        exclusions: req.exclusions,
        candidates,
        scores: cards,
    };
    let (inputs, result) = solve_blocking(inputs).await?;
    let inputs_json = serde_json::to_value(&inputs).map_err(anyhow::Error::from)?;
    let run = store::selections::create_run(
        &state.db,
        store::selections::NewRun {
            round_id: round.id,
            created_by: caller.id,
            inputs_hash: selection_run::hash(&inputs_json),
            inputs: inputs_json,
            solver: SOLVER.into(),
            solver_version: SOLVER_VERSION.into(),
            objective: Some(result.solution.objective),
            result: serde_json::to_value(&result).map_err(anyhow::Error::from)?,
        },
        state.clock.now(),
    )
    .await?;
    let mut dto = present(&run, round.year, &inputs, &result);
    name_chosen(&loaded, &mut dto);
    Ok(dto)
}

fn name_chosen(loaded: &[Loaded], dto: &mut SelectionRun) {
    for c in &mut dto.chosen {
        c.brain_name = loaded
            .iter()
            .find(|l| l.proposal.id == c.proposal_id)
            .and_then(|l| l.form.brain_name.clone());
    }
}

/// Loads a run with its round and parsed inputs and result.
pub async fn load_run(
    state: &Data,
    id: i32,
) -> Result<(
    entity::selection_run::Model,
    entity::round::Model,
    RunInputs,
    RunResult,
)> {
    let run = store::selections::run(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("selection {id}")))?;
    let round = store::rounds::by_id(&state.db, run.round_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("round of selection {id} missing")))?;
    let inputs: RunInputs = stored(&run.inputs, "selection inputs")?;
    let result: RunResult = stored(&run.result, "selection result")?;
    Ok((run, round, inputs, result))
}

async fn named(
    state: &Data,
    round: &entity::round::Model,
    mut dto: SelectionRun,
) -> Result<SelectionRun> {
    for c in &mut dto.chosen {
        if let Some(p) = store::proposals::by_id(&state.db, c.proposal_id).await? {
            if p.round_id == round.id {
                c.brain_name = p
                    .form
                    .get("brain_name")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
            }
        }
    }
    Ok(dto)
}

/// One selection run (commission only).
#[utoipa::path(
    tag = "selection",
    operation_id = "get_selection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Selection run id")),
    responses(
        (status = 200, body = SelectionRun),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/selections/{id}")]
async fn get_selection(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<SelectionRun>> {
    caller.require(&[Role::Commission])?;
    let (run, round, inputs, result) = load_run(&state, id.into_inner()).await?;
    let dto = present(&run, round.year, &inputs, &result);
    Ok(web::Json(named(&state, &round, dto).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SelectionSummary {
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: i32,
    pub inputs_hash: String,
    pub objective: Option<i64>,
    /// Chosen proposal ids in rank order.
    pub chosen: Vec<i32>,
}

/// The round's selection runs, oldest first (commission only).
#[utoipa::path(
    tag = "selection",
    operation_id = "list_selections",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    responses(
        (status = 200, body = Vec<SelectionSummary>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/selections")]
async fn list_selections(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
) -> Result<web::Json<Vec<SelectionSummary>>> {
    caller.require(&[Role::Commission])?;
    let round = super::rounds::find(&state, year.into_inner()).await?;
    let runs = store::selections::runs(&state.db, round.id).await?;
    let out = runs
        .into_iter()
        .map(|r| {
            let result: RunResult = stored(&r.result, "selection result")?;
            Ok(SelectionSummary {
                id: r.id,
                created_at: r.created_at,
                created_by: r.created_by,
                inputs_hash: r.inputs_hash,
                objective: r.objective,
                chosen: result.solution.ids(),
            })
        })
        .collect::<Result<_>>()?;
    Ok(web::Json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Replay {
    /// The re-solve gave the same list, objective and explanation as stored.
    pub identical: bool,
    /// The stored inputs still hash to the stored hash (nothing altered them).
    pub inputs_intact: bool,
    pub inputs_hash: String,
    pub stored_objective: i64,
    pub replayed_objective: i64,
    pub stored_chosen: Vec<i32>,
    pub replayed_chosen: Vec<i32>,
    /// What differs, if anything.
    pub differences: Vec<String>,
}

/// Re-solve a run from its stored inputs (not today's data) and compare (commission only).
#[utoipa::path(
    tag = "selection",
    operation_id = "replay_selection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Selection run id")),
    responses(
        (status = 200, body = Replay),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[post("/selections/{id}/replay")]
async fn replay_selection(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<Replay>> {
    caller.require(&[Role::Commission])?;
    let (run, _, inputs, stored_result) = load_run(&state, id.into_inner()).await?;
    let inputs_intact = selection_run::hash(&run.inputs) == run.inputs_hash;
    let (_, replayed) = solve_blocking(inputs).await?;
    let mut differences = Vec::new();
    if replayed.solution.ids() != stored_result.solution.ids() {
        differences.push("the chosen list differs".into());
    }
    if replayed.solution.objective != stored_result.solution.objective {
        differences.push("the objective differs".into());
    }
    if replayed.explanation != stored_result.explanation {
        differences.push("the explanation differs".into());
    }
    if !inputs_intact {
        differences.push("the stored inputs no longer match their hash".into());
    }
    Ok(web::Json(Replay {
        identical: differences.is_empty(),
        inputs_intact,
        inputs_hash: run.inputs_hash,
        stored_objective: stored_result.solution.objective,
        replayed_objective: replayed.solution.objective,
        stored_chosen: stored_result.solution.ids(),
        replayed_chosen: replayed.solution.ids(),
        differences,
    }))
}
