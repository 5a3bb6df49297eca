//! What the public pages (公示) and the charts read: the programme's rounds, a published list
//! with the run that chose it (score parts, the strongest left out and why, how far each weight
//! can move), a call with its notice, and reference names beside codes. Read-only; everything
//! here is public once published. Sealed stays sealed: a call page carries the number of bids
//! only, and the ranking and winners only from the notice on (as [`super::award::ranking`] and
//! [`super::calls::info`] decide).

use std::collections::HashMap;

use super::award::{self, ObjectionSummary, Ranking};
use super::calls::{self, CallInfo};
use super::lists::{self, PublishedList};
use super::selection::load_run;
use crate::auth::Caller;
use crate::domain::call::CallStatus;
use crate::domain::role::Role;
use crate::domain::round::Round;
use crate::domain::selection::{ForcingCost, LeftOutReason, Region, WeightInterval, Weights};
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store;

/// How many of the strongest left-out proposals the list page and the chart show.
pub const LEFT_OUT_SHOWN: usize = 5;

/// Names beside codes: districts (with their region) and clusters.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub districts: HashMap<String, (String, Region)>,
    pub clusters: HashMap<String, String>,
}

impl Names {
    /// The district's name, or its code when unknown.
    pub fn district(&self, code: &str) -> String {
        self.districts
            .get(code)
            .map_or_else(|| code.to_owned(), |(n, _)| n.clone())
    }

    /// The cluster's name, or its code when unknown (or `—` for none).
    pub fn cluster(&self, code: Option<&str>) -> String {
        match code {
            None => "—".to_owned(),
            Some(c) => self
                .clusters
                .get(c)
                .cloned()
                .unwrap_or_else(|| c.to_owned()),
        }
    }
}

/// The reference names (anyone).
///
/// # Errors
/// Database failures.
pub async fn names(state: &AppState) -> Result<Names> {
    let districts = store::reference::districts(&state.db, None)
        .await?
        .into_iter()
        .map(|d| (d.code, (d.name, d.region)))
        .collect();
    let clusters = store::reference::clusters(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    Ok(Names {
        districts,
        clusters,
    })
}

/// A round as the home page shows it.
#[derive(Debug, Clone)]
pub struct RoundLine {
    pub round: Round,
    /// The current version of its list, if published.
    pub list_version: Option<i32>,
}

/// The home page: the rounds and the calls.
#[derive(Debug, Clone)]
pub struct Home {
    pub rounds: Vec<RoundLine>,
    pub calls: Vec<CallInfo>,
}

/// The programme's rounds and calls (anyone).
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip_all)]
pub async fn home(state: &AppState) -> Result<Home> {
    let mut rounds = Vec::new();
    for round in store::rounds::all(&state.db).await? {
        let list_version = store::selections::list_versions(&state.db, round.id)
            .await?
            .last()
            .map(|v| v.version);
        rounds.push(RoundLine {
            round,
            list_version,
        });
    }
    Ok(Home {
        rounds,
        calls: calls::list(state).await?,
    })
}

/// One proposal's bar: its three scores (hundredths) and weighted total (1e-4 point).
#[derive(Debug, Clone)]
pub struct Bar {
    pub proposal_id: i32,
    pub district_code: String,
    pub cluster_code: String,
    /// Completeness, representativeness, layout, hundredths of a point.
    pub scores: [i64; 3],
    /// Weighted total, units of 1e-4 point.
    pub total: i64,
    pub chosen: bool,
}

/// A left-out proposal with what kept it out.
#[derive(Debug, Clone)]
pub struct LeftOutLine {
    pub bar: Bar,
    pub reason: LeftOutReason,
    pub forcing_cost: Option<ForcingCost>,
}

/// The public face of a selection run: what the chart and the list page show.
#[derive(Debug, Clone)]
pub struct RunFacts {
    pub id: i32,
    pub year: i32,
    pub weights: Weights,
    /// Chosen in rank order.
    pub chosen: Vec<Bar>,
    /// The strongest left out, strongest first (at most [`LEFT_OUT_SHOWN`]).
    pub left_out: Vec<LeftOutLine>,
    pub weight_intervals: Vec<WeightInterval>,
}

async fn run_facts(state: &AppState, id: i32) -> Result<RunFacts> {
    let (run, round) = load_run(state, id).await?;
    let by_id: HashMap<i32, &crate::domain::selection::Candidate> =
        run.inputs.candidates.iter().map(|c| (c.id, c)).collect();
    let bar = |pid: i32, total: i64, chosen: bool| -> Result<Bar> {
        let c = by_id.get(&pid).ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!("P-{pid} missing from run {id}'s inputs"))
        })?;
        Ok(Bar {
            proposal_id: pid,
            district_code: c.district.clone(),
            cluster_code: c.cluster.clone(),
            scores: c.scores,
            total,
            chosen,
        })
    };
    let ex = &run.result.explanation;
    let chosen = ex
        .chosen
        .iter()
        .map(|c| bar(c.id, c.total, true))
        .collect::<Result<Vec<_>>>()?;
    let left_out = ex
        .left_out
        .iter()
        .take(LEFT_OUT_SHOWN)
        .map(|l| {
            Ok(LeftOutLine {
                bar: bar(l.id, l.total, false)?,
                reason: l.reason.clone(),
                forcing_cost: l.forcing_cost.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RunFacts {
        id,
        year: round.year,
        weights: run.inputs.weights,
        chosen,
        left_out,
        weight_intervals: ex.weight_intervals.clone(),
    })
}

/// A selection run's chart data: any run for the commission; for anyone else only a run some
/// published version of its round's list was drawn from (others answer 404, so drafts are not
/// disclosed).
///
/// # Errors
/// 404 for an unknown or unpublished run.
#[tracing::instrument(skip_all, fields(selection_run_id = id))]
pub async fn selection(state: &AppState, caller: Option<&Caller>, id: i32) -> Result<RunFacts> {
    let commission = caller.is_some_and(|c| c.is(Role::Commission));
    if !commission {
        let (run, _) = load_run(state, id).await?;
        let published = store::selections::list_versions(&state.db, run.meta.round_id)
            .await?
            .iter()
            .any(|v| v.selection_id == id);
        if !published {
            return Err(ApiError::NotFound(crate::msg!(
                "not-found-selection",
                id = id
            )));
        }
    }
    run_facts(state, id).await
}

/// The list page: the published list, the run behind it and the names.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub list: PublishedList,
    pub run: RunFacts,
    pub names: Names,
}

/// A published list with its run's explanation (anyone).
///
/// # Errors
/// 404 for an unknown round, an unpublished list or an unknown version.
#[tracing::instrument(skip_all, fields(round_year = year))]
pub async fn list_page(state: &AppState, year: i32, version: Option<i32>) -> Result<ListPage> {
    let list = lists::get(state, year, version).await?;
    let run = run_facts(state, list.selection_id).await?;
    Ok(ListPage {
        list,
        run,
        names: names(state).await?,
    })
}

/// A call as its public page shows it.
#[derive(Debug, Clone)]
pub struct CallPage {
    pub call: CallInfo,
    /// From the notice on: the ranking with anonymised experts.
    pub ranking: Option<Ranking>,
    /// From the notice on: the objections counted, the answered ones in full.
    pub objections: Option<ObjectionSummary>,
    pub names: Names,
}

/// A call with, from the notice on, its ranking and objections (anyone).
///
/// # Errors
/// 404 for an unknown call.
#[tracing::instrument(skip_all, fields(call_id = id))]
pub async fn call_page(state: &AppState, id: i32) -> Result<CallPage> {
    let call = calls::get(state, id).await?;
    let public = matches!(call.status, CallStatus::Notice | CallStatus::Awarded);
    let (ranking, objections) = if public {
        let stored = store::objections::of_call(&state.db, id).await?;
        (
            Some(award::ranking(state, None, id).await?),
            Some(award::summarise(&stored, super::now(state))),
        )
    } else {
        (None, None)
    };
    Ok(CallPage {
        call,
        ranking,
        objections,
        names: names(state).await?,
    })
}
