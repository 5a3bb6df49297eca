//! The published list (榜单): immutable versions, each of list items (揭榜项) drawn from a
//! selection run. Publication moves the pool's proposals to `listed` / `not_listed`.

use std::collections::HashSet;

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::proposals::{actor, content, status_of, to_json};
use super::selections::{load_run, POOL};
use super::Data;
use crate::auth::Caller;
use crate::domain::proposal::IndustryClassRef;
use crate::domain::proposal_state::{transition, Action};
use crate::domain::role::Role;
use crate::domain::selection_run::points;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;
use crate::store::proposals::{Applied, Change, EventNote};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(publish_list).service(get_list);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The selection run whose list is published.
    pub selection_id: i32,
    /// The publication note (e.g. the notice's reference).
    pub note: String,
    /// Required for a correction (version 2 and later): why the list changes.
    pub correction_reason: Option<String>,
}

/// One outcome target of a list item, from the plan's scenarios and KPIs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Target {
    pub scenario: Option<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListItem {
    /// The list item id (揭榜项), which calls are opened for.
    pub id: i32,
    pub rank: i32,
    /// The direction: the industry brain's name.
    pub direction: String,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub industry_class: IndustryClassRef,
    /// Outcome targets (成效目标) from the plan's KPIs.
    pub targets: Vec<Target>,
    /// The proposal it came from.
    pub proposal_id: i32,
    /// Weighted total in points.
    pub total_points: String,
}

#[derive(Debug, Serialize, ToSchema)]
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

/// Publish the list from a selection run (commission only). Version 1 first; a correction
/// publishes the next version with a reason, and older versions stay readable. The run's chosen
/// proposals must still be in the pool (eligible, listed or not listed).
#[utoipa::path(
    tag = "list",
    operation_id = "publish_list",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = PublishRequest,
    responses(
        (status = 201, body = PublishedList),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/list")]
async fn publish_list(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
    body: ValidJson<PublishRequest>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let list = publish(&state, &caller, year.into_inner(), body.0).await?;
    Ok(HttpResponse::Created().json(list))
}

/// Publishes a run's list; see [`publish_list`].
///
/// # Errors
/// 404 for an unknown round or run, 422 for a bad request, 409 when the pool moved.
pub async fn publish(
    state: &Data,
    caller: &Caller,
    year: i32,
    req: PublishRequest,
) -> Result<PublishedList> {
    let round = super::rounds::find(state, year).await?;
    let (run, run_round, _, result) = load_run(state, req.selection_id).await?;
    let mut errors = Vec::new();
    if run_round.id != round.id {
        errors.push(FieldError::new(
            "selection_id",
            format!(
                "selection {} belongs to the {} round",
                run.id, run_round.year
            ),
        ));
    }
    if req.note.trim().is_empty() {
        errors.push(FieldError::new("note", "must not be blank"));
    }
    let previous = store::selections::versions(&state.db, round.id).await?;
    let version = previous.last().map_or(1, |v| v.version + 1);
    match (&req.correction_reason, version) {
        (Some(_), 1) => errors.push(FieldError::new(
            "correction_reason",
            "the first version corrects nothing",
        )),
        (None, v) if v > 1 => errors.push(FieldError::new(
            "correction_reason",
            format!(
                "version {} is published; a new version is a correction and needs its reason",
                v - 1
            ),
        )),
        (Some(r), _) if r.trim().chars().count() < 10 => {
            errors.push(FieldError::new(
                "correction_reason",
                "say why in at least 10 characters",
            ));
        }
        _ => {}
    }
    ApiError::check(errors)?;

    let pool = store::proposals::in_states(&state.db, round.id, &POOL).await?;
    let chosen: Vec<(u32, i32, i64)> = result
        .solution
        .chosen
        .iter()
        .map(|c| (c.rank, c.id, c.total))
        .collect();
    let chosen_ids: HashSet<i32> = chosen.iter().map(|c| c.1).collect();
    let missing: Vec<String> = chosen_ids
        .iter()
        .filter(|id| !pool.iter().any(|p| p.id == **id))
        .map(|id| format!("P-{id}"))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::conflict(format!(
            "the run chose {} which are no longer eligible; run the selection again",
            missing.join(", ")
        )));
    }
    let mut items = Vec::with_capacity(chosen.len());
    for (rank, id, total) in &chosen {
        let p = pool
            .iter()
            .find(|p| p.id == *id)
            .ok_or_else(|| ApiError::conflict("pool changed"))?;
        let (form, plan) = content(p)?;
        let targets: Vec<Target> = plan
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
        items.push(store::selections::NewItem {
            rank: i32::try_from(*rank).unwrap_or(i32::MAX),
            proposal_id: *id,
            direction: form.brain_name.clone().unwrap_or_else(|| format!("P-{id}")),
            district_code: p.district_code.clone(),
            cluster_code: p.cluster_code.clone(),
            industry_class: to_json(&form.industry_class)?,
            targets: serde_json::to_value(&targets).map_err(anyhow::Error::from)?,
            total: *total,
        });
    }

    let now = state.clock.now();
    let who = actor(caller);
    let txn = state.db.begin().await?;
    let published = store::selections::publish(
        &txn,
        round.id,
        version,
        run.id,
        req.note.trim().to_owned(),
        req.correction_reason.map(|r| r.trim().to_owned()),
        caller.id,
        items,
        now,
    )
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Conflict { .. } => ApiError::conflict(
            "another version was published at the same moment; read the list again",
        ),
        other => other,
    })?;
    for p in &pool {
        let from = status_of(p)?;
        let action = if chosen_ids.contains(&p.id) {
            Action::List
        } else {
            Action::NotList
        };
        let Ok(to) = transition(from, action) else {
            continue; // already where this version puts it
        };
        let change = Change {
            status: Some(to),
            ..Default::default()
        };
        let event = EventNote {
            action: action.as_str().to_owned(),
            changes: Vec::new(),
            note: Some(format!("list version {version} published")),
        };
        if let Applied::Stale =
            store::proposals::apply(&txn, p, p.version, change, &who, event, now).await?
        {
            return Err(ApiError::conflict(format!(
                "P-{} changed during publication; publish again",
                p.id
            )));
        }
    }
    txn.commit().await?;
    read(state, &round, Some(published.version)).await
}

async fn read(
    state: &Data,
    round: &entity::round::Model,
    version: Option<i32>,
) -> Result<PublishedList> {
    let versions = store::selections::versions(&state.db, round.id).await?;
    let v = match version {
        Some(n) => versions.iter().find(|v| v.version == n),
        None => versions.last(),
    }
    .ok_or_else(|| match version {
        Some(n) => ApiError::NotFound(format!("the {} list has no version {n}", round.year)),
        None => ApiError::NotFound(format!("the {} list is not published yet", round.year)),
    })?;
    let items = store::selections::items(&state.db, v.id)
        .await?
        .into_iter()
        .map(|i| ListItem {
            id: i.id,
            rank: i.rank,
            direction: i.direction,
            district_code: i.district_code,
            cluster_code: i.cluster_code,
            industry_class: serde_json::from_value(i.industry_class).unwrap_or_default(),
            targets: serde_json::from_value(i.targets).unwrap_or_default(),
            proposal_id: i.proposal_id,
            total_points: points(i.total),
        })
        .collect();
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// An older version; default the current one.
    pub version: Option<i32>,
}

/// The published list of a round (anyone): the current version, or `?version=N`.
#[utoipa::path(
    tag = "list",
    operation_id = "get_list",
    params(("year" = i32, Path, description = "The round's year"), ListQuery),
    responses(
        (status = 200, body = PublishedList),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/list")]
async fn get_list(
    state: Data,
    year: web::Path<i32>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<PublishedList>> {
    let round = super::rounds::find(&state, year.into_inner()).await?;
    Ok(web::Json(read(&state, &round, query.version).await?))
}
