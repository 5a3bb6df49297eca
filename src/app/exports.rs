//! What the panel's spreadsheet exports read: a round's scores with the explanation of the run
//! behind its current list (or its latest run before publication), and a call's ranking with its
//! score sheets. The same access as the JSON they mirror.

use super::award::{self, Ranking};
use super::calls::{self, CallInfo};
use super::public::{self, Names};
use super::selection::{self, Run, Scores};
use crate::auth::Caller;
use crate::error::Result;
use crate::state::AppState;

/// A round's scores and the run that explains its list.
#[derive(Debug, Clone)]
pub struct ScoresExport {
    pub scores: Scores,
    /// The run of the current published list, else the latest run, else none.
    pub run: Option<Run>,
    pub names: Names,
}

/// The round's scores and explanation (commission only, as `GET /rounds/{year}/scores`).
///
/// # Errors
/// 403 for another role, 404 for an unknown round.
#[tracing::instrument(skip_all, fields(round_year = year))]
pub async fn scores(state: &AppState, caller: &Caller, year: i32) -> Result<ScoresExport> {
    // Every proposal of the pool, page by page in the scores' own order.
    let mut query = selection::ScoreQuery {
        limit: Some(selection::MAX_SCORE_PAGE),
        ..Default::default()
    };
    let (mut scores, mut summary) = selection::scores(state, caller, year, query.clone()).await?;
    while let Some(after) = summary.next {
        query.after = Some(after);
        let (page, next) = selection::scores(state, caller, year, query.clone()).await?;
        scores.proposals.extend(page.proposals);
        summary = next;
    }
    let published = super::lists::get(state, year, None)
        .await
        .ok()
        .map(|l| l.selection_id);
    let latest = selection::list(state, caller, year)
        .await?
        .last()
        .map(|r| r.id);
    let run = match published.or(latest) {
        Some(id) => Some(selection::get(state, caller, id).await?),
        None => None,
    };
    Ok(ScoresExport {
        scores,
        run,
        names: public::names(state).await?,
    })
}

/// A call with its ranking and score sheets (whoever may read the ranking).
///
/// # Errors
/// As [`award::ranking`].
#[tracing::instrument(skip_all, fields(call_id = call_id))]
pub async fn ranking(
    state: &AppState,
    caller: Option<&Caller>,
    call_id: i32,
) -> Result<(CallInfo, Ranking)> {
    let ranking = award::ranking(state, caller, call_id).await?;
    Ok((calls::get(state, call_id).await?, ranking))
}

/// A selection run with the names its explanation shows (commission only, as
/// `GET /selections/{id}`).
///
/// # Errors
/// 403 for another role, 404 for an unknown run.
#[tracing::instrument(skip_all, fields(selection_id = id))]
pub async fn explanation(state: &AppState, caller: &Caller, id: i32) -> Result<(Run, Names)> {
    let run = selection::get(state, caller, id).await?;
    Ok((run, public::names(state).await?))
}

/// The public notices (公示) with their objections (anyone, as `GET /notices`).
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip_all)]
pub async fn notices(state: &AppState) -> Result<Vec<award::Notice>> {
    award::notices(state).await
}
