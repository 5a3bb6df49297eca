//! Use cases of the published list (榜单): publishing a selection run's list as an immutable
//! version (a correction publishes the next one, with its reason) and reading any version.
//! Publication is one unit of work: the version with its items, one public `List` event, and each
//! pool proposal moved to `listed` / `not_listed` with its own public event. Callable from the CLI
//! with the commission's [`Caller`].

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::selection::{find_round, load_run, POOL};
use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::proposal_state::{transition, Action};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;
pub use crate::store::selections::{ListItem, Target};
use crate::store::selections::{NewItem, NewVersion, SelectionRound};

/// What to publish.
#[derive(Debug, Clone)]
pub struct Publish {
    /// The selection run whose list is published.
    pub selection_id: i32,
    /// The publication note.
    pub note: String,
    /// Required for a correction (version 2 and later): why the list changes.
    pub correction_reason: Option<String>,
}

/// One published version of a round's list.
#[derive(Debug, Clone)]
pub struct PublishedList {
    pub year: i32,
    pub version: i32,
    /// Every published version number, oldest first.
    pub versions: Vec<i32>,
    pub published_at: DateTime<Utc>,
    pub note: String,
    pub correction_reason: Option<String>,
    pub selection_id: i32,
    pub items: Vec<ListItem>,
}

/// A list version as its event records it.
fn list_doc(
    selection_id: i32,
    note: &str,
    correction_reason: Option<&str>,
    items: &[ListItem],
) -> serde_json::Value {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            json_patch::strip_nulls(&json!({
                "id": i.id,
                "rank": i.rank,
                "proposal_id": i.proposal_id,
                "direction": i.direction,
                "district_code": i.district_code,
                "cluster_code": i.cluster_code,
                "industry_class": i.industry_class,
                "targets": i.targets,
                "total": i.total,
            }))
        })
        .collect();
    json_patch::strip_nulls(&json!({
        "selection_id": selection_id,
        "note": note,
        "correction_reason": correction_reason,
        "items": items,
    }))
}

/// Publishes a run's list (commission only): version 1 first; a correction publishes the next
/// version with a reason, and older versions stay readable. The run's chosen proposals must
/// still be in the pool.
///
/// # Errors
/// 403 for another role, 404 for an unknown round or run, 422 for a bad request, 409 when the
/// pool moved or another version was published at the same moment.
#[tracing::instrument(skip_all, fields(round_year = year, selection_run_id = req.selection_id))]
pub async fn publish(
    state: &AppState,
    caller: &Caller,
    year: i32,
    req: Publish,
) -> Result<PublishedList> {
    caller.require(&[Role::Commission])?;
    let round = find_round(state, year).await?;
    let (run, run_round) = load_run(state, req.selection_id).await?;
    let mut errors = Vec::new();
    if run_round.id != round.id {
        errors.push(FieldError::new(
            "selection_id",
            crate::msg!(
                "field-selection-other-round",
                id = run.meta.id,
                year = run_round.year
            ),
        ));
    }
    if req.note.trim().is_empty() {
        errors.push(FieldError::new("note", crate::msg!("field-blank")));
    }
    let previous = store::selections::list_versions(&state.db, round.id).await?;
    let version = previous.last().map_or(1, |v| v.version + 1);
    match (&req.correction_reason, version) {
        (Some(_), 1) => errors.push(FieldError::new(
            "correction_reason",
            crate::msg!("field-first-version-corrects-nothing"),
        )),
        (None, v) if v > 1 => errors.push(FieldError::new(
            "correction_reason",
            crate::msg!("field-correction-reason-required", version = v - 1),
        )),
        (Some(r), _) if r.trim().chars().count() < 10 => {
            errors.push(FieldError::new(
                "correction_reason",
                crate::msg!("field-say-why-at-least", min = 10),
            ));
        }
        _ => {}
    }
    ApiError::check(errors)?;

    let pool = store::selections::pool(&state.db, round.id, &POOL).await?;
    let chosen_ids: HashSet<i32> = run.result.solution.chosen.iter().map(|c| c.id).collect();
    let missing: Vec<String> = chosen_ids
        .iter()
        .filter(|id| !pool.iter().any(|p| p.id == **id))
        .map(|id| format!("P-{id}"))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-run-chose-which-longer-eligible",
            missing = missing.join(", ")
        )));
    }
    let mut items = Vec::with_capacity(chosen_ids.len());
    for c in &run.result.solution.chosen {
        let p = pool
            .iter()
            .find(|p| p.id == c.id)
            .ok_or_else(|| ApiError::conflict(crate::msg!("conflict-pool-changed")))?;
        let targets: Vec<Target> = p
            .plan
            .scenarios
            .iter()
            .flat_map(|s| {
                s.kpis.iter().map(move |k| Target {
                    scenario: s.name.clone(),
                    name: k.name.clone(),
                    unit: k.unit.clone(),
                    baseline: k.baseline,
                    target: k.target,
                })
            })
            .collect();
        items.push(NewItem {
            rank: i32::try_from(c.rank)
                .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("rank {}: {e}", c.rank)))?,
            proposal_id: c.id,
            direction: p
                .form
                .brain_name
                .clone()
                .unwrap_or_else(|| format!("P-{}", c.id)),
            district_code: p.district_code.clone(),
            cluster_code: p.cluster_code.clone(),
            industry_class: p.form.industry_class.clone(),
            targets,
            total: c.total,
        });
    }
    let old_doc = match previous.last() {
        Some(v) => {
            let old_items = store::selections::items(&state.db, v.id).await?;
            list_doc(
                v.selection_id,
                &v.note,
                v.correction_reason.as_deref(),
                &old_items,
            )
        }
        None => json!({}),
    };
    let note = req.note.trim().to_owned();
    let correction_reason = req.correction_reason.map(|r| r.trim().to_owned());

    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let (published, stored_items) = store::selections::publish(
        uow.db(),
        NewVersion {
            round_id: round.id,
            version,
            selection_id: run.meta.id,
            note: note.clone(),
            correction_reason: correction_reason.clone(),
            published_by: caller.id,
        },
        items,
        now,
    )
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Conflict { .. } => {
            ApiError::conflict(crate::msg!("conflict-another-version-was-published-at"))
        }
        other => other,
    })?;
    let new_doc = list_doc(
        run.meta.id,
        &note,
        correction_reason.as_deref(),
        &stored_items,
    );
    uow.record(
        NewEvent::new(
            AggregateType::List,
            round.year,
            "publish",
            Visibility::Public,
        )
        .version(published.version)
        .reason(correction_reason)
        .payload(json_patch::diff(&old_doc, &new_doc)),
    );
    for p in &pool {
        let action = if chosen_ids.contains(&p.id) {
            Action::List
        } else {
            Action::NotList
        };
        let Ok(to) = transition(p.status, action) else {
            continue; // already where this version puts it
        };
        if !store::selections::move_proposal(uow.db(), p.id, p.version, to, now).await? {
            return Err(ApiError::conflict(crate::msg!(
                "conflict-p-changed-during-publication-publish",
                id = p.id
            )));
        }
        uow.record(
            NewEvent::new(
                AggregateType::Proposal,
                p.id,
                action.as_str(),
                Visibility::Public,
            )
            .version(p.version + 1)
            .parent(AggregateType::List, round.year)
            .reason(Some(format!("list version {version} published")))
            .payload(
                PatchOp::change("/status", p.status.as_str(), to.as_str())
                    .into_iter()
                    .collect(),
            ),
        );
    }
    uow.commit().await?;
    read(state, &round, Some(published.version)).await
}

async fn read(
    state: &AppState,
    round: &SelectionRound,
    version: Option<i32>,
) -> Result<PublishedList> {
    let versions = store::selections::list_versions(&state.db, round.id).await?;
    let v = match version {
        Some(n) => versions.iter().find(|v| v.version == n),
        None => versions.last(),
    }
    .ok_or_else(|| match version {
        Some(n) => ApiError::NotFound(crate::msg!(
            "not-found-list-has-version",
            year = round.year,
            n = n
        )),
        None => ApiError::NotFound(crate::msg!(
            "not-found-list-published-yet",
            year = round.year
        )),
    })?;
    let items = store::selections::items(&state.db, v.id).await?;
    Ok(PublishedList {
        year: round.year,
        version: v.version,
        versions: versions.iter().map(|v| v.version).collect(),
        published_at: v.published_at,
        note: v.note.clone(),
        correction_reason: v.correction_reason.clone(),
        selection_id: v.selection_id,
        items,
    })
}

/// The published list of a round (anyone): the current version, or an older one.
///
/// # Errors
/// 404 for an unknown round, a list not published yet, or an unknown version.
#[tracing::instrument(skip_all, fields(round_year = year, list_version = ?version))]
pub async fn get(state: &AppState, year: i32, version: Option<i32>) -> Result<PublishedList> {
    let round = find_round(state, year).await?;
    read(state, &round, version).await
}
