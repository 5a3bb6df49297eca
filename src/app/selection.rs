//! Use cases of the selection (揭榜挂帅 step 2): score the eligible pool on the notice's three
//! criteria, choose the list exactly, store each run (inputs, solver, result) as one
//! commission-only event, and replay a run from its frozen inputs. Commission only; callable from
//! the CLI with the commission's [`Caller`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::industry_map::IndustryMap;
use crate::domain::json_patch;
use crate::domain::layout::has_no_map;
use crate::domain::layout::{no_map_warnings, ScoreWarning};
use crate::domain::pool::{PoolEntry, RankedScorer, ScoreCard};
use crate::domain::proposal::ConstructionModel;
use crate::domain::proposal_state::Status;
use crate::domain::representativeness::Tier;
use crate::domain::role::Role;
use crate::domain::round::{ConstraintDefaults, RoundSettings};
use crate::domain::selection::{Candidate, Constraints, Explanation, Infeasible, Region, Weights};
use crate::domain::selection_run::{
    self, check_panel, write_card, InputsRest, PanelDecision, RunInputs, RunResult,
};
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;
pub use crate::store::selections::RunSummary;
use crate::store::selections::{PoolProposal, ScoresEncoder, SelectionRound, Shown, StoredRun};

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

/// One pool proposal's scores.
#[derive(Debug, Clone)]
pub struct Scored {
    pub proposal_id: i32,
    pub brain_name: Option<String>,
    pub district_code: String,
    pub region: Region,
    pub cluster_code: Option<String>,
    pub status: Status,
    /// The three scores with their parts and the weighted total.
    pub card: ScoreCard,
}

/// The round's pool scored under its weights, strongest first.
#[derive(Debug, Clone)]
pub struct Scores {
    pub year: i32,
    pub weights: Weights,
    pub proposals: Vec<Scored>,
    /// E.g. districts without an industry map.
    pub warnings: Vec<ScoreWarning>,
}

/// Constraints a run sets for itself; each member left `None` takes the round's setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConstraintOverrides {
    /// `Some(None)` lifts the cap.
    pub max_per_district: Option<Option<u32>>,
    /// `Some(None)` lifts the cap.
    pub max_per_cluster: Option<Option<u32>>,
    pub each_region: Option<bool>,
    /// Hundredths of a point; `Some(None)` drops the floor.
    pub min_completeness: Option<Option<i64>>,
    /// Replaces the round's minimums as a whole.
    pub min_per_model: Option<BTreeMap<ConstructionModel, u32>>,
}

impl ConstraintOverrides {
    /// The round's constraints with these members replaced.
    pub fn over(self, round: &ConstraintDefaults) -> ConstraintDefaults {
        ConstraintDefaults {
            max_per_district: self.max_per_district.unwrap_or(round.max_per_district),
            max_per_cluster: self.max_per_cluster.unwrap_or(round.max_per_cluster),
            each_region: self.each_region.unwrap_or(round.each_region),
            min_completeness: self.min_completeness.unwrap_or(round.min_completeness),
            min_per_model: self
                .min_per_model
                .unwrap_or_else(|| round.min_per_model.clone()),
        }
    }
}

/// A selection request; omitted members take the round's settings.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Weights for this run; default the round's.
    pub weights: Option<Weights>,
    /// Constraints for this run, member by member over the round's (`settings.constraints`).
    pub constraints: ConstraintOverrides,
    /// Proposals the panel puts in, each with its justification.
    pub pins: Vec<PanelDecision>,
    /// Proposals the panel keeps out, each with its justification.
    pub exclusions: Vec<PanelDecision>,
}

/// A chosen proposal of a run.
#[derive(Debug, Clone)]
pub struct ChosenEntry {
    pub rank: u32,
    pub proposal_id: i32,
    pub brain_name: Option<String>,
    pub district_code: String,
    pub region: Region,
    pub cluster_code: String,
    /// Weighted total, units of 1e-4 point.
    pub total: i64,
    /// How much its total could drop (units) before it leaves the list.
    pub margin: Option<i64>,
    pub card: ScoreCard,
    pub message: String,
}

/// A stored run: what it was asked, how it was solved, what it chose and why.
#[derive(Debug, Clone)]
pub struct Run {
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
    pub tie_rule: String,
    pub weights: Weights,
    pub constraints: Constraints,
    pub pins: Vec<PanelDecision>,
    pub exclusions: Vec<PanelDecision>,
    /// The list in rank order.
    pub chosen: Vec<ChosenEntry>,
    pub explanation: Explanation,
    /// E.g. districts without an industry map, read from the frozen inputs.
    pub warnings: Vec<ScoreWarning>,
}

/// A run re-solved from its stored inputs, compared with what was stored.
#[derive(Debug, Clone)]
pub struct Replay {
    pub identical: bool,
    pub inputs_intact: bool,
    pub inputs_hash: String,
    pub stored_objective: i64,
    pub replayed_objective: i64,
    pub stored_chosen: Vec<i32>,
    pub replayed_chosen: Vec<i32>,
    pub differences: Vec<String>,
}

/// Finds a round or answers 404.
pub(crate) async fn find_round(state: &AppState, year: i32) -> Result<SelectionRound> {
    store::selections::round_by_year(&state.db, year)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-round", year = year)))
}

/// The reference data scoring reads: each district's region and industry map, each cluster's
/// tier.
struct Reference {
    districts: HashMap<String, (Region, IndustryMap)>,
    tiers: HashMap<String, Tier>,
}

impl Reference {
    async fn load(state: &AppState) -> Result<Self> {
        Ok(Self {
            districts: store::reference::districts(&state.db, None)
                .await?
                .into_iter()
                .map(|d| (d.code, (d.region, d.map)))
                .collect(),
            tiers: store::reference::clusters(&state.db)
                .await?
                .into_iter()
                .map(|c| (c.code, c.tier))
                .collect(),
        })
    }

    fn tier(&self, cluster: Option<&str>) -> Option<Tier> {
        cluster.and_then(|c| self.tiers.get(c)).copied()
    }

    /// The proposal as scoring reads it, with its district's region.
    fn entry<'p>(&'p self, p: &'p PoolProposal) -> Result<PoolEntry<'p>> {
        let (region, map) = self.districts.get(&p.district_code).ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!(
                "district {} of P-{} missing",
                p.district_code,
                p.id
            ))
        })?;
        Ok(PoolEntry {
            id: p.id,
            form: &p.form,
            plan: &p.plan,
            district: &p.district_code,
            region: *region,
            map,
            cluster_tier: self.tier(p.form.cluster_code.as_deref()),
            sealed_at: p.sealed_at.map_or(i64::MAX, |t| t.timestamp()),
        })
    }
}

/// A pool scored: the scorer (to make a few cards again), the pool's ids in entry order, and
/// what the caller kept.
struct ScoredPool<T> {
    scorer: Arc<RankedScorer>,
    ids: Arc<Vec<i32>>,
    kept: T,
}

impl<T> ScoredPool<T> {
    /// The cards of those of `ids` in the pool, with the proposals, made again from a fresh
    /// read (a page, the chosen): 409 when one is no longer the proposal that was scored.
    async fn cards(
        &self,
        state: &AppState,
        round_id: i32,
        reference: &Reference,
        ids: &[i32],
    ) -> Result<HashMap<i32, (PoolProposal, ScoreCard)>> {
        let changed = || ApiError::conflict(crate::msg!("conflict-pool-changed-while-scored"));
        let mut out = HashMap::with_capacity(ids.len());
        for p in store::selections::pool_by_ids(&state.db, round_id, &POOL, ids).await? {
            let i = self.ids.binary_search(&p.id).map_err(|_| changed())?;
            let (card, _) = self
                .scorer
                .score(i, &reference.entry(&p)?)
                .ok_or_else(changed)?;
            out.insert(p.id, (p, card));
        }
        if out.len() != ids.len() {
            return Err(changed());
        }
        Ok(out)
    }
}

/// Proposals decoded and scored together on the blocking pool, and how many such chunks may
/// be under way while the next is read.
const SCORE_CHUNK: usize = 256;
const CHUNKS_IN_FLIGHT: usize = 4;

/// A proposal that is not the one the pool was ranked with (see [`score_pool`]).
struct PoolChanged;

/// Scores the round's pool under `settings` in two reads, so that its forms and plans never
/// stand in memory together (at 50,000 proposals they would weigh a gigabyte): the forms'
/// representativeness figures first, to rank the pool, then each proposal whole, decoded and
/// scored a chunk at a time on the blocking pool (the machine's cores), where `map` turns each
/// (index in the pool, proposal, region, card, candidate) into what the caller keeps; `fold`
/// then takes those in id order. A pool that changes between the two reads (a proposal in or
/// out, or its figures) is read again, up to three times, then answered 409.
async fn score_pool<T, U: Send + 'static>(
    state: &AppState,
    round_id: i32,
    settings: &RoundSettings,
    reference: &Arc<Reference>,
    map: impl Fn(usize, &PoolProposal, Region, ScoreCard, Candidate) -> U + Send + Sync + 'static,
    mut start: impl FnMut() -> T,
    mut fold: impl FnMut(&mut T, U),
) -> Result<ScoredPool<T>> {
    use futures_util::stream::FuturesOrdered;
    use futures_util::{StreamExt, TryStreamExt};

    let map = Arc::new(map);
    for _ in 0..3 {
        let figures = store::selections::pool_figures(&state.db, round_id, &POOL).await?;
        let ids: Arc<Vec<i32>> = Arc::new(figures.iter().map(|(id, _)| *id).collect());
        let inputs = figures
            .iter()
            .map(|(_, f)| f.input(reference.tier(f.cluster_code.as_deref())))
            .collect();
        drop(figures);
        let scorer = Arc::new(RankedScorer::new(inputs, settings.clone()));
        let mut kept = start();
        let mut rows = std::pin::pin!(store::selections::pool_rows(&state.db, round_id, &POOL)
            .await?
            .try_chunks(SCORE_CHUNK));
        let mut pending = FuturesOrdered::new();
        let mut next = 0usize;
        let mut changed = false;
        let mut exhausted = false;
        loop {
            if !exhausted && pending.len() < CHUNKS_IN_FLIGHT {
                match rows.try_next().await.map_err(|e| ApiError::from(e.1))? {
                    Some(chunk) => {
                        let (scorer, ids, reference, map) = (
                            Arc::clone(&scorer),
                            Arc::clone(&ids),
                            Arc::clone(reference),
                            Arc::clone(&map),
                        );
                        let base = next;
                        next += chunk.len();
                        pending.push_back(tokio::task::spawn_blocking(move || {
                            let mut out = Vec::with_capacity(chunk.len());
                            for (k, row) in chunk.into_iter().enumerate() {
                                let i = base + k;
                                if ids.get(i) != Some(&row.id()) {
                                    return Ok(Err(PoolChanged));
                                }
                                let p = row.decode()?;
                                let entry = reference.entry(&p)?;
                                let region = entry.region;
                                let Some((card, cand)) = scorer.score(i, &entry) else {
                                    return Ok(Err(PoolChanged));
                                };
                                out.push(map(i, &p, region, card, cand));
                            }
                            Ok::<_, ApiError>(Ok(out))
                        }));
                        continue;
                    }
                    None => exhausted = true,
                }
            }
            let Some(done) = pending.next().await else {
                break;
            };
            match done.map_err(|e| ApiError::Unexpected(anyhow::anyhow!("scoring task: {e}")))?? {
                Ok(out) => out.into_iter().for_each(|u| fold(&mut kept, u)),
                Err(PoolChanged) => changed = true,
            }
        }
        if !changed && next == ids.len() {
            return Ok(ScoredPool { scorer, ids, kept });
        }
    }
    Err(ApiError::conflict(crate::msg!(
        "conflict-pool-changed-while-scored"
    )))
}

/// The no-map warnings' inputs: the cards' ids, districts and layout scores that say their
/// district has no industry map (few; the other cards are not kept).
#[derive(Default)]
struct NoMap(Vec<NoMapItem>);

/// One of [`NoMap`]'s inputs.
type NoMapItem = (i32, String, crate::domain::score::Score);

impl NoMap {
    /// The card's input, when its layout says its district has no map.
    fn item(district: &str, card: &ScoreCard) -> Option<NoMapItem> {
        has_no_map(&card.layout).then(|| (card.id, district.to_owned(), card.layout.clone()))
    }

    fn warnings(&self) -> Vec<ScoreWarning> {
        no_map_warnings(self.0.iter().map(|(id, d, l)| (*id, d.as_str(), l)))
    }
}

/// Which scored proposals to return, and how many: a page in the stable order (weighted total
/// descending, then proposal id), after a keyset cursor.
#[derive(Debug, Clone, Default)]
pub struct ScoreQuery {
    pub district: Option<String>,
    pub cluster: Option<String>,
    pub status: Option<Status>,
    pub region: Option<Region>,
    /// At most this many (1..=`MAX_SCORE_PAGE`; default `DEFAULT_SCORE_PAGE`).
    pub limit: Option<u32>,
    /// Only those after this `(weighted_total, proposal_id)` in the order.
    pub after: Option<(i64, i32)>,
}

pub const DEFAULT_SCORE_PAGE: u32 = 1000;
pub const MAX_SCORE_PAGE: u32 = 5000;

/// The pool and the matching proposals at a glance, over every match (not only the page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreSummary {
    /// Proposals in the round's pool.
    pub pool: u64,
    /// Proposals matching the filters.
    pub matched: u64,
    /// Weighted totals of the matches, units of 1e-4 point.
    pub max_total: Option<i64>,
    pub min_total: Option<i64>,
    pub mean_total: Option<i64>,
    /// The cursor of the next page, when there is one.
    pub next: Option<(i64, i32)>,
}

/// The pool's proposals matching `query`, their three scores, their parts and the weighted
/// total, strongest first, one page at a time (commission only). Representativeness is always
/// normalised over the whole pool; the filters only choose what is returned.
///
/// # Errors
/// 403 for another role, 404 for an unknown round, 400 for a limit out of range.
#[tracing::instrument(skip_all, fields(round_year = year))]
pub async fn scores(
    state: &AppState,
    caller: &Caller,
    year: i32,
    query: ScoreQuery,
) -> Result<(Scores, ScoreSummary)> {
    caller.require(&[Role::Commission])?;
    let limit = query.limit.unwrap_or(DEFAULT_SCORE_PAGE);
    if !(1..=MAX_SCORE_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest {
            detail: crate::msg!("detail-limit-must-1", MAX_SCORE_PAGE = MAX_SCORE_PAGE),
            errors: vec![FieldError::new(
                "limit",
                crate::msg!("field-between", min = 1, max = MAX_SCORE_PAGE),
            )],
        });
    }
    let round = find_round(state, year).await?;
    let reference = Arc::new(Reference::load(state).await?);
    let w = round.settings.weights.as_array();
    let filter = query.clone();
    let matches = move |p: &PoolProposal, region: Region| {
        filter
            .district
            .as_ref()
            .is_none_or(|d| *d == p.district_code)
            && filter
                .cluster
                .as_ref()
                .is_none_or(|c| Some(c) == p.cluster_code.as_ref())
            && filter.status.is_none_or(|s| s == p.status)
            && filter.region.is_none_or(|r| r == region)
    };
    // Every card is made to total and rank the pool, but only the page's are kept (at 50,000
    // the cards with their parts would weigh hundreds of megabytes); those are made again.
    // Kept: (weighted total, proposal id, index in the pool) of each match, and the no-map
    // warnings' inputs.
    let mut scored = score_pool(
        state,
        round.id,
        &round.settings,
        &reference,
        move |i, p, region, card, c| {
            let total: i64 = c.scores.iter().zip(w).map(|(s, w)| s * w).sum();
            (
                matches(p, region).then_some((total, p.id, i)),
                NoMap::item(&p.district_code, &card),
            )
        },
        || (Vec::new(), NoMap::default()),
        |(order, no_map), (m, item)| {
            order.extend(m);
            no_map.0.extend(item);
        },
    )
    .await?;
    let (mut order, no_map) = std::mem::take(&mut scored.kept);
    let warnings = no_map.warnings();
    let pool = scored.ids.len() as u64;
    let key = |&(total, id, _): &(i64, i32, usize)| (std::cmp::Reverse(total), id);
    order.sort_unstable_by_key(key);
    let matched = order.len() as u64;
    let sum: i128 = order.iter().map(|o| i128::from(o.0)).sum();
    let mut summary = ScoreSummary {
        pool,
        matched,
        max_total: order.first().map(|o| o.0),
        min_total: order.last().map(|o| o.0),
        mean_total: (matched > 0)
            .then(|| i64::try_from(sum / i128::from(matched)).unwrap_or(i64::MAX)),
        next: None,
    };
    let start = query.after.map_or(0, |(total, id)| {
        order.partition_point(|o| key(o) <= (std::cmp::Reverse(total), id))
    });
    let limit = limit as usize;
    let mut page: Vec<(i64, i32, usize)> = order.drain(start..).take(limit + 1).collect();
    if page.len() > limit {
        page.truncate(limit);
        summary.next = page.last().map(|&(total, id, _)| (total, id));
    }
    let ids: Vec<i32> = page.iter().map(|&(_, id, _)| id).collect();
    let mut cards = scored.cards(state, round.id, &reference, &ids).await?;
    let proposals = ids
        .iter()
        .map(|id| {
            let (p, card) = cards.remove(id).ok_or_else(|| {
                ApiError::Unexpected(anyhow::anyhow!("scores: P-{id} left the pool"))
            })?;
            let region = reference.entry(&p)?.region;
            Ok(Scored {
                proposal_id: p.id,
                brain_name: p.form.brain_name,
                district_code: p.district_code,
                region,
                cluster_code: p.cluster_code,
                status: p.status,
                card,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((
        Scores {
            year: round.year,
            weights: round.settings.weights,
            proposals,
            warnings,
        },
        summary,
    ))
}

/// Solves on the blocking pool (it is CPU work) and maps infeasibility to a 422 that names the
/// conflicting constraints and the single relaxations that would allow a list.
async fn solve_blocking(inputs: RunInputs) -> Result<(RunInputs, RunResult)> {
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

/// A 422 for constraints no list satisfies: what conflicts, and each single change that allows a
/// list, in words and as a change a client can apply (`relaxations`).
fn infeasible(e: &Infeasible) -> ApiError {
    let mut extensions = serde_json::Map::new();
    extensions.insert("conflicts".into(), json!(e.conflicts));
    extensions.insert(
        "relaxations".into(),
        serde_json::to_value(&e.relaxations).unwrap_or_default(),
    );
    let texts = e.relaxation_texts();
    ApiError::Unprocessable {
        // The conflicts and relaxations are the optimiser's diagnosis, in English (see the
        // README, "Chinese."); the sentence around them is the catalogue's.
        detail: if texts.is_empty() {
            crate::msg!(
                "detail-no-list-no-relaxation",
                conflicts = e.conflicts.join("; ")
            )
        } else {
            crate::msg!(
                "detail-no-list-relaxations",
                conflicts = e.conflicts.join("; "),
                relaxations = texts.join("; ")
            )
        },
        errors: e
            .conflicts
            .iter()
            // The optimiser's diagnosis is English text (see the README, "Chinese.").
            .map(|c| FieldError::new("constraints", crate::i18n::raw(c.clone())))
            .collect(),
        extensions,
    }
}

/// Runs the selection over the round's pool and stores the run (commission only): an exact
/// integer program, its explanation, and one event with what was asked and what was chosen.
///
/// # Errors
/// 403 for another role, 404 for an unknown round, 422 for bad weights, constraints or panel
/// decisions, or constraints no list satisfies.
#[tracing::instrument(skip_all, fields(round_year = year))]
pub async fn run(state: &AppState, caller: &Caller, year: i32, req: Request) -> Result<Run> {
    caller.require(&[Role::Commission])?;
    let round = find_round(state, year).await?;
    let mut settings = round.settings.clone();
    let mut errors = Vec::new();
    if let Some(w) = req.weights {
        if let Err(e) = w.validate() {
            errors.push(FieldError::new("weights", e));
        }
        settings.weights = w;
    }
    settings.constraints = req.constraints.over(&round.settings.constraints);
    errors.extend(settings.constraints.validate("constraints"));
    ApiError::check(errors)?;
    let reference = Arc::new(Reference::load(state).await?);
    // Each card goes into the stored inputs as compressed canonical JSON as it is made, and is
    // then dropped: only the candidates, and later the chosen proposals' cards, are kept. The
    // cards are written on the cores that make them, and compressed in order here.
    let mut scored = score_pool(
        state,
        round.id,
        &settings,
        &reference,
        |_, p, _, card, c| {
            let mut json = Vec::with_capacity(4 << 10);
            write_card(&card, &mut json);
            (json, c, NoMap::item(&p.district_code, &card))
        },
        || (ScoresEncoder::new(), NoMap::default(), Vec::new()),
        |(scores_z, no_map, candidates), (json, c, item)| {
            scores_z.push_written(&json);
            candidates.push(c);
            no_map.0.extend(item);
        },
    )
    .await?;
    let (scores_z, no_map, candidates) = std::mem::take(&mut scored.kept);
    ApiError::check(check_panel(&req.pins, &req.exclusions, &candidates))?;
    let c = &settings.constraints;
    let constraints = Constraints {
        list_size: round.list_size,
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
    let rest = InputsRest {
        weights: settings.weights,
        constraints,
        pins: req.pins,
        exclusions: req.exclusions,
        candidates,
    };
    // The stored inputs are encoded and hashed (the cards decompressed through the hash) on
    // one core while the run is solved and explained on another.
    let scores_z = scores_z.finish()?;
    let to_store = rest.clone();
    let preparing = tokio::task::spawn_blocking(move || {
        let prepared = store::selections::prepare_inputs(&to_store, &scores_z);
        prepared.map(|p| (p, scores_z))
    });
    let (inputs, result) = solve_blocking(rest.with_scores(Vec::new())).await?;
    let (prepared, scores_z) = preparing
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("selection inputs task: {e}")))??;
    let (rest, _) = inputs.split();
    let chosen = result.solution.ids();
    let mut cards = scored.cards(state, round.id, &reference, &chosen).await?;
    let mut names = HashMap::new();
    let chosen_cards = chosen
        .iter()
        .map(|id| {
            let (p, card) = cards.remove(id).ok_or_else(|| {
                ApiError::Unexpected(anyhow::anyhow!("selection: chosen P-{id} not in the pool"))
            })?;
            if let Some(name) = p.form.brain_name {
                names.insert(*id, name);
            }
            Ok(card)
        })
        .collect::<Result<Vec<_>>>()?;
    let shown = Shown {
        chosen: chosen.clone(),
        chosen_cards,
        warnings: no_map.warnings(),
    };

    let mut uow = Uow::begin(state, caller).await?;
    let meta = store::selections::create_run(
        uow.db(),
        store::selections::NewRun {
            round_id: round.id,
            created_by: caller.id,
            inputs: prepared,
            scores_z,
            shown: &shown,
            result: &result,
            solver: SOLVER,
            solver_version: SOLVER_VERSION,
        },
        uow.now(),
    )
    .await?;
    let asked = json!({
        "weights": rest.weights,
        "constraints": rest.constraints,
        "pins": rest.pins,
        "exclusions": rest.exclusions,
        "chosen": chosen,
        "inputs_hash": meta.inputs_hash,
    });
    uow.record(
        NewEvent::new(
            AggregateType::SelectionRun,
            meta.id,
            "run",
            Visibility::Commission,
        )
        .parent(AggregateType::Round, round.year)
        .payload(json_patch::diff(&json!({}), &asked)),
    );
    uow.commit().await?;
    metrics::counter!(crate::metrics::SELECTIONS_RUN).increment(1);

    present(
        StoredRun {
            meta,
            inputs: rest.with_scores(shown.chosen_cards),
            result,
            warnings: shown.warnings,
        },
        round.year,
        &names,
    )
}

/// Builds a run from its stored parts; a chosen proposal without its candidate or score card in
/// the stored inputs is a corrupt run and fails loudly.
fn present(run: StoredRun, year: i32, names: &HashMap<i32, String>) -> Result<Run> {
    let cards: HashMap<i32, &ScoreCard> = run.inputs.scores.iter().map(|c| (c.id, c)).collect();
    let cands: HashMap<i32, &Candidate> = run.inputs.candidates.iter().map(|c| (c.id, c)).collect();
    let id = run.meta.id;
    let corrupt = |what: &str, p: i32| {
        ApiError::Unexpected(anyhow::anyhow!(
            "selection {id}: chosen P-{p} has no {what} in the stored inputs"
        ))
    };
    let chosen = run
        .result
        .explanation
        .chosen
        .iter()
        .map(|c| {
            let cand = cands.get(&c.id).ok_or_else(|| corrupt("candidate", c.id))?;
            let card = cards
                .get(&c.id)
                .ok_or_else(|| corrupt("score card", c.id))?;
            Ok(ChosenEntry {
                rank: c.rank,
                proposal_id: c.id,
                brain_name: names.get(&c.id).cloned(),
                district_code: cand.district.clone(),
                region: cand.region,
                cluster_code: cand.cluster.clone(),
                total: c.total,
                margin: c.margin,
                card: (*card).clone(),
                message: c.message.clone(),
            })
        })
        .collect::<Result<_>>()?;
    let warnings = run.warnings;
    Ok(Run {
        id,
        year,
        created_at: run.meta.created_at,
        created_by: run.meta.created_by,
        inputs_hash: run.meta.inputs_hash,
        solver: run.meta.solver,
        solver_version: run.meta.solver_version,
        objective: run.result.solution.objective,
        tie_rule: run.result.solution.tie_rule,
        weights: run.inputs.weights,
        constraints: run.inputs.constraints,
        pins: run.inputs.pins,
        exclusions: run.inputs.exclusions,
        chosen,
        explanation: run.result.explanation,
        warnings,
    })
}

/// Loads a run with its round.
///
/// # Errors
/// 404 for an unknown run.
pub(crate) async fn load_run(state: &AppState, id: i32) -> Result<(StoredRun, SelectionRound)> {
    let run = store::selections::run(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-selection", id = id)))?;
    let round = store::selections::round_by_id(&state.db, run.meta.round_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("round of selection {id} missing")))?;
    Ok((run, round))
}

/// One stored run (commission only).
///
/// # Errors
/// 403 for another role, 404 for an unknown run.
#[tracing::instrument(skip_all, fields(selection_run_id = id))]
pub async fn get(state: &AppState, caller: &Caller, id: i32) -> Result<Run> {
    caller.require(&[Role::Commission])?;
    let (run, round) = load_run(state, id).await?;
    let chosen = run.result.solution.ids();
    let names = store::selections::brain_names(&state.db, round.id, &chosen).await?;
    present(run, round.year, &names)
}

/// How many left-out proposals a run's answer explains unless asked (`GET /selections/{id}`
/// `left_out_limit`), and the most it explains in one answer: every proposal of the pool but the
/// chosen is left out, 49,995 at 50,000, so the whole explanation is had a window at a time.
pub const DEFAULT_LEFT_OUT_PAGE: u32 = 100;
pub const MAX_LEFT_OUT_PAGE: u32 = 5000;

/// Which of a run's left-out proposals (strongest first) an answer explains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOutWindow {
    /// Skip this many (default 0).
    pub offset: Option<u32>,
    /// At most this many (1..=`MAX_LEFT_OUT_PAGE`; default `DEFAULT_LEFT_OUT_PAGE`).
    pub limit: Option<u32>,
}

/// The window of left-out proposals an answer explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeftOutPage {
    /// Proposals left out in all.
    pub total: u64,
    /// Skipped before the first explained.
    pub offset: u64,
    /// The offset of the next window, when there is more.
    pub next_offset: Option<u64>,
}

impl LeftOutWindow {
    fn check(self) -> Result<(usize, usize)> {
        let limit = self.limit.unwrap_or(DEFAULT_LEFT_OUT_PAGE);
        if !(1..=MAX_LEFT_OUT_PAGE).contains(&limit) {
            return Err(ApiError::BadRequest {
                detail: crate::msg!("detail-left-out-limit", max = MAX_LEFT_OUT_PAGE),
                errors: vec![FieldError::new(
                    "left_out_limit",
                    crate::msg!("field-between", min = 1, max = MAX_LEFT_OUT_PAGE),
                )],
            });
        }
        Ok((self.offset.unwrap_or(0) as usize, limit as usize))
    }

    /// The run with only this window of its left-out proposals explained.
    ///
    /// # Errors
    /// 400 for a limit out of range.
    pub fn apply(self, mut run: Run) -> Result<(Run, LeftOutPage)> {
        let (offset, limit) = self.check()?;
        let left_out = &mut run.explanation.left_out;
        let total = left_out.len();
        let start = offset.min(total);
        let end = start.saturating_add(limit).min(total);
        left_out.truncate(end);
        left_out.drain(..start);
        let page = LeftOutPage {
            total: total as u64,
            offset: start as u64,
            next_offset: (end < total).then_some(end as u64),
        };
        Ok((run, page))
    }
}

/// One stored run with a window of its left-out proposals explained (commission only).
///
/// # Errors
/// 403 for another role, 400 for a limit out of range, 404 for an unknown run.
pub async fn get_window(
    state: &AppState,
    caller: &Caller,
    id: i32,
    window: LeftOutWindow,
) -> Result<(Run, LeftOutPage)> {
    caller.require(&[Role::Commission])?;
    window.check()?;
    window.apply(get(state, caller, id).await?)
}

/// The round's runs, oldest first (commission only).
///
/// # Errors
/// 403 for another role, 404 for an unknown round.
#[tracing::instrument(skip_all, fields(round_year = year))]
pub async fn list(state: &AppState, caller: &Caller, year: i32) -> Result<Vec<RunSummary>> {
    caller.require(&[Role::Commission])?;
    let round = find_round(state, year).await?;
    Ok(store::selections::runs(&state.db, round.id).await?)
}

/// A page of the round's runs, oldest first (commission only).
///
/// # Errors
/// 403 for another role, 404 for an unknown round.
#[tracing::instrument(skip_all, fields(round_year = year))]
pub async fn page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<RunSummary>> {
    caller.require(&[Role::Commission])?;
    let round = find_round(state, year).await?;
    let rows =
        store::selections::runs_after(&state.db, round.id, args.after_i32(), Some(args.fetch()))
            .await?;
    Ok(args.cut(rows, |r| i64::from(r.id)))
}

/// Re-solves a run from its stored inputs (not today's data) and compares (commission only).
///
/// # Errors
/// 403 for another role, 404 for an unknown run.
#[tracing::instrument(skip_all, fields(selection_run_id = id))]
pub async fn replay(state: &AppState, caller: &Caller, id: i32) -> Result<Replay> {
    caller.require(&[Role::Commission])?;
    let (run, _) = load_run(state, id).await?;
    let inputs_intact = store::selections::inputs_intact(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-selection", id = id)))?;
    let stored_result = run.result;
    let (_, replayed) = solve_blocking(run.inputs).await?;
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
    Ok(Replay {
        identical: differences.is_empty(),
        inputs_intact,
        inputs_hash: run.meta.inputs_hash,
        stored_objective: stored_result.solution.objective,
        replayed_objective: replayed.solution.objective,
        stored_chosen: stored_result.solution.ids(),
        replayed_chosen: replayed.solution.ids(),
        differences,
    })
}
