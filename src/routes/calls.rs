//! Calls (揭榜) for list items: announcement, the bid window (decided by the injected clock at each
//! request), the opening of the sealed bids, review, cancellation, and history.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::proposals::actor;
use super::Data;
use crate::auth::Caller;
use crate::domain::call::{
    effective_status, transition, validate_call, validate_rubric, CallAction, CallStatus,
    Criterion, Eligibility,
};
use crate::domain::role::Role;
use crate::domain::sealing;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{hundredths, ValidJson};
use crate::state::AppState;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_call)
        .service(list_calls)
        .service(get_call)
        .service(open_bids)
        .service(start_review)
        .service(cancel_call)
        .service(declare_unsuccessful)
        .service(call_history);
}

/// A rubric criterion as sent: weights are fractions summing to 1 (e.g. 0.4), points are numbers
/// with at most two decimals.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    #[schema(example = "技术方案")]
    pub criterion: String,
    /// Fraction of the total, two decimals at most; the rubric's weights sum to 1.
    #[schema(value_type = f64, example = 0.4)]
    pub weight: serde_json::Number,
    /// The most points an expert may give, two decimals at most.
    #[schema(value_type = f64, example = 40)]
    pub max_points: serde_json::Number,
}

/// A rubric criterion as stored and shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionDto {
    pub criterion: String,
    /// Fraction of the total (the weights sum to 1).
    pub weight: f64,
    pub max_points: f64,
}

fn criterion_dto(c: &Criterion) -> CriterionDto {
    CriterionDto {
        criterion: c.criterion.clone(),
        weight: c.weight as f64 / 100.0,
        max_points: c.max_points as f64 / 100.0,
    }
}

fn default_winners() -> u32 {
    1
}

fn default_notice_days() -> u32 {
    7
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCall {
    /// What the builder must deliver.
    pub requirements: String,
    /// Who may bid.
    #[serde(default)]
    pub eligibility: Eligibility,
    #[schema(value_type = String, example = "2024-06-01T09:00:00+08:00")]
    pub opens_at: DateTime<chrono::FixedOffset>,
    #[schema(value_type = String, example = "2024-06-30T17:00:00+08:00")]
    pub closes_at: DateTime<chrono::FixedOffset>,
    /// How many winners (default 1; more is a "horse race" 赛马).
    #[serde(default = "default_winners")]
    pub winners: u32,
    /// Length of the public notice (公示) in natural days (default 7).
    #[serde(default = "default_notice_days")]
    pub notice_days: u32,
    pub rubric: Vec<CriterionInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Winner {
    pub bid_id: i32,
    pub organisation_id: i32,
    pub organisation_name: String,
    /// The winning budget (万元), public once awarded.
    pub budget: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallDto {
    pub id: i32,
    pub year: i32,
    pub list_item_id: i32,
    /// The direction of the list item.
    pub direction: String,
    /// The status at this moment (time-driven moves applied).
    pub status: CallStatus,
    pub requirements: String,
    pub eligibility: Eligibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub winners: i32,
    pub notice_days: i32,
    pub rubric: Vec<CriterionDto>,
    /// Bids received (their content stays sealed until opening).
    pub bid_count: u64,
    pub opened_at: Option<DateTime<Utc>>,
    pub opened_by: Option<i32>,
    pub notice_started_at: Option<DateTime<Utc>>,
    pub notice_ends_at: Option<DateTime<Utc>>,
    /// The proposed (during notice) or awarded winners.
    pub award: Vec<Winner>,
    pub award_note: Option<String>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub reasons: Option<String>,
    pub version: i32,
}

pub fn rubric_of(call: &entity::call::Model) -> Result<Vec<Criterion>> {
    serde_json::from_value(call.rubric.clone())
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("stored rubric: {e}")))
}

pub fn eligibility_of(call: &entity::call::Model) -> Result<Eligibility> {
    serde_json::from_value(call.eligibility.clone())
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("stored eligibility: {e}")))
}

/// The status now.
pub fn status_now(state: &AppState, call: &entity::call::Model) -> Result<CallStatus> {
    let stored = call
        .status
        .parse::<CallStatus>()
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(effective_status(
        stored,
        call.opens_at,
        call.closes_at,
        state.clock.now(),
    ))
}

/// The award as stored: `{bid_ids, note}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Award {
    pub bid_ids: Vec<i32>,
    pub note: String,
}

pub fn award_of(call: &entity::call::Model) -> Award {
    call.award
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

pub async fn find(state: &Data, id: i32) -> Result<entity::call::Model> {
    store::calls::call(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("call {id}")))
}

/// Builds a call's public view.
pub async fn present(state: &Data, call: &entity::call::Model) -> Result<CallDto> {
    let status = status_now(state, call)?;
    let round = store::rounds::by_id(&state.db, call.round_id).await?;
    let item = store::selections::item(&state.db, call.list_item_id).await?;
    let award = award_of(call);
    let mut winners = Vec::new();
    if matches!(status, CallStatus::Notice | CallStatus::Awarded) {
        for bid_id in &award.bid_ids {
            let Some(bid) = store::calls::bid(&state.db, *bid_id).await? else {
                continue;
            };
            let org = store::organisations::by_id(&state.db, bid.organisation_id).await?;
            let budget = if status == CallStatus::Awarded {
                super::bids::content_of(state, call, &bid)
                    .await
                    .ok()
                    .map(|c| c.budget.hundredths() as f64 / 100.0)
            } else {
                None
            };
            winners.push(Winner {
                bid_id: bid.id,
                organisation_id: bid.organisation_id,
                organisation_name: org.map(|o| o.name).unwrap_or_default(),
                budget,
            });
        }
    }
    Ok(CallDto {
        id: call.id,
        year: round.map_or(0, |r| r.year),
        list_item_id: call.list_item_id,
        direction: item.map(|i| i.direction).unwrap_or_default(),
        status,
        requirements: call.requirements.clone(),
        eligibility: eligibility_of(call)?,
        opens_at: call.opens_at,
        closes_at: call.closes_at,
        winners: call.winners,
        notice_days: call.notice_days,
        rubric: rubric_of(call)?.iter().map(criterion_dto).collect(),
        bid_count: store::calls::bid_count(&state.db, call.id).await?,
        opened_at: call.opened_at,
        opened_by: call.opened_by,
        notice_started_at: call.notice_started_at,
        notice_ends_at: call.notice_ends_at,
        award_note: (!award.note.is_empty() && !winners.is_empty()).then(|| award.note.clone()),
        award: winners,
        finalized_at: call.finalized_at,
        reasons: call.reasons.clone(),
        version: call.version,
    })
}

/// Announce a call for a list item (commission only).
#[utoipa::path(
    tag = "calls",
    operation_id = "create_call",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "List item id")),
    request_body = CreateCall,
    responses(
        (status = 201, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/list-items/{id}/calls")]
async fn create_call(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<CreateCall>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let item = store::selections::item(&state.db, id.into_inner())
        .await?
        .ok_or_else(|| ApiError::NotFound("list item".into()))?;
    let version = store::selections::version(&state.db, item.list_version_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("list version missing")))?;
    let current = store::selections::versions(&state.db, version.round_id).await?;
    if current.last().map(|v| v.id) != Some(version.id) {
        return Err(ApiError::conflict(
            "this list item belongs to a superseded list version; use the current list",
        ));
    }
    let b = body.0;
    let opens = b.opens_at.with_timezone(&Utc);
    let closes = b.closes_at.with_timezone(&Utc);
    let mut errors = validate_call(opens, closes, b.winners, b.notice_days, &b.requirements);
    let mut rubric = Vec::with_capacity(b.rubric.len());
    for (i, c) in b.rubric.iter().enumerate() {
        let weight = hundredths(&format!("rubric[{i}].weight"), &c.weight);
        let max_points = hundredths(&format!("rubric[{i}].max_points"), &c.max_points);
        match (weight, max_points) {
            (Ok(weight), Ok(max_points)) => rubric.push(Criterion {
                criterion: c.criterion.trim().to_owned(),
                weight,
                max_points,
            }),
            (w, m) => errors.extend(w.err().into_iter().chain(m.err())),
        }
    }
    if errors.is_empty() {
        errors.extend(validate_rubric(&rubric));
    }
    ApiError::check(errors)?;
    let now = state.clock.now();
    let who = actor(&caller);
    let txn = state.db.begin().await?;
    let call = store::calls::insert_call(
        &txn,
        entity::call::ActiveModel {
            round_id: Set(version.round_id),
            list_item_id: Set(item.id),
            status: Set(CallStatus::Announced.as_str().into()),
            requirements: Set(b.requirements.trim().to_owned()),
            eligibility: Set(serde_json::to_value(&b.eligibility).map_err(anyhow::Error::from)?),
            opens_at: Set(opens),
            closes_at: Set(closes),
            winners: Set(i32::try_from(b.winners).unwrap_or(1)),
            notice_days: Set(i32::try_from(b.notice_days).unwrap_or(7)),
            rubric: Set(serde_json::to_value(&rubric).map_err(anyhow::Error::from)?),
            version: Set(1),
            created_by: Set(caller.id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    store::calls::event(
        &txn,
        call.id,
        None,
        &who,
        "announce",
        None,
        Some("announced"),
        None,
        serde_json::json!({}),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(present(&state, &call).await?))
}

/// Every call (anyone): status now, window, rubric, bid count — never bid contents.
#[utoipa::path(tag = "calls", operation_id = "list_calls", responses((status = 200, body = Vec<CallDto>)))]
#[get("/calls")]
async fn list_calls(state: Data) -> Result<web::Json<Vec<CallDto>>> {
    let mut out = Vec::new();
    for c in store::calls::calls(&state.db).await? {
        out.push(present(&state, &c).await?);
    }
    Ok(web::Json(out))
}

/// One call (anyone).
#[utoipa::path(
    tag = "calls",
    operation_id = "get_call",
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/calls/{id}")]
async fn get_call(state: Data, id: web::Path<i32>) -> Result<web::Json<CallDto>> {
    let call = find(&state, id.into_inner()).await?;
    Ok(web::Json(present(&state, &call).await?))
}

/// Applies an action to a call: the state machine decides, the write is conditional on the version
/// read, and the step is recorded.
pub async fn act(
    state: &Data,
    caller: &Caller,
    call: &entity::call::Model,
    action: CallAction,
    mut changes: entity::call::ActiveModel,
    note: Option<String>,
    details: serde_json::Value,
) -> Result<entity::call::Model> {
    let from = status_now(state, call)?;
    let to = transition(from, action)
        .map_err(|e| ApiError::conflict(e.to_string()).with("current_state", from))?;
    changes.status = Set(to.as_str().to_owned());
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let Some(updated) = store::calls::update_call(&txn, call, changes, now).await? else {
        return Err(ApiError::conflict(
            "the call changed at the same moment; read it again",
        ));
    };
    store::calls::event(
        &txn,
        call.id,
        None,
        &actor(caller),
        action.as_str(),
        Some(from.as_str()),
        Some(to.as_str()),
        note,
        details,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpeningCheck {
    pub bid_id: i32,
    pub receipt_id: i32,
    pub sha256: String,
    /// The stored content decrypts and hashes to the receipt's SHA-256.
    pub verified: bool,
    pub problem: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpeningReport {
    pub opened_at: DateTime<Utc>,
    pub opened_by: i32,
    pub bids: usize,
    pub verified: usize,
    /// Every receipt, with any mismatch reported (never hidden).
    pub checks: Vec<OpeningCheck>,
}

/// Open the sealed bids (commission, only after the call closed): records who and when, and
/// re-verifies every receipt's hash against the stored content.
#[utoipa::path(
    tag = "calls",
    operation_id = "open_bids",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = OpeningReport),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[post("/calls/{id}/opening")]
async fn open_bids(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<OpeningReport>> {
    caller.require(&[Role::Commission])?;
    let call = find(&state, id.into_inner()).await?;
    let now = state.clock.now();
    if now <= call.closes_at {
        return Err(ApiError::conflict(format!(
            "bids can be opened only after the call closes at {}",
            call.closes_at.to_rfc3339()
        ))
        .with("closes_at", call.closes_at));
    }
    let key = sealing::bid_key(&state.sealing_secret, call.id);
    let mut checks = Vec::new();
    for bid in store::calls::bids(&state.db, call.id).await? {
        let Some(r) = store::calls::receipt(&state.db, bid.current_receipt_id).await? else {
            checks.push(OpeningCheck {
                bid_id: bid.id,
                receipt_id: bid.current_receipt_id,
                sha256: String::new(),
                verified: false,
                problem: Some("the receipt is missing".into()),
            });
            continue;
        };
        let problem = match sealing::unseal(
            &key,
            &super::bids::aad(call.id, bid.organisation_id),
            &r.sealed,
        ) {
            Err(_) => Some(
                "the stored content does not decrypt (altered, or sealed under another key)"
                    .to_owned(),
            ),
            Ok(plain) => match serde_json::from_slice::<serde_json::Value>(&plain) {
                Ok(v) if sealing::content_hash(&v) == r.sha256 => None,
                Ok(_) => Some("the stored content does not hash to the receipt".to_owned()),
                Err(_) => Some("the stored content is not JSON".to_owned()),
            },
        };
        checks.push(OpeningCheck {
            bid_id: bid.id,
            receipt_id: r.id,
            sha256: r.sha256,
            verified: problem.is_none(),
            problem,
        });
    }
    let report = OpeningReport {
        opened_at: now,
        opened_by: caller.id,
        bids: checks.len(),
        verified: checks.iter().filter(|c| c.verified).count(),
        checks,
    };
    let value = serde_json::to_value(&report).map_err(anyhow::Error::from)?;
    let changes = entity::call::ActiveModel {
        opened_by: Set(Some(caller.id)),
        opened_at: Set(Some(now)),
        opening_report: Set(Some(value.clone())),
        ..Default::default()
    };
    act(
        &state,
        &caller,
        &call,
        CallAction::OpenBids,
        changes,
        None,
        value,
    )
    .await?;
    Ok(web::Json(report))
}

/// Hand the opened bids to the panel for review (commission). Needs a panel.
#[utoipa::path(
    tag = "calls",
    operation_id = "start_review",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[post("/calls/{id}/review")]
async fn start_review(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<CallDto>> {
    caller.require(&[Role::Commission])?;
    let call = find(&state, id.into_inner()).await?;
    if store::calls::panel(&state.db, call.id).await?.is_empty() {
        return Err(ApiError::conflict(
            "appoint the expert panel first (POST /calls/{id}/panel)",
        ));
    }
    let updated = act(
        &state,
        &caller,
        &call,
        CallAction::StartReview,
        Default::default(),
        None,
        serde_json::json!({}),
    )
    .await?;
    Ok(web::Json(present(&state, &updated).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonsBody {
    pub reasons: String,
}

async fn end_call(
    state: Data,
    caller: Caller,
    id: i32,
    action: CallAction,
    reasons: String,
) -> Result<web::Json<CallDto>> {
    caller.require(&[Role::Commission])?;
    let reasons = reasons.trim().to_owned();
    if reasons.is_empty() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "reasons",
            "must not be blank",
        )]));
    }
    let call = find(&state, id).await?;
    let changes = entity::call::ActiveModel {
        reasons: Set(Some(reasons.clone())),
        ..Default::default()
    };
    let updated = act(
        &state,
        &caller,
        &call,
        action,
        changes,
        Some(reasons),
        serde_json::json!({}),
    )
    .await?;
    Ok(web::Json(present(&state, &updated).await?))
}

/// Cancel a call with reasons (commission; before the notice).
#[utoipa::path(
    tag = "calls",
    operation_id = "cancel_call",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = ReasonsBody,
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/cancel")]
async fn cancel_call(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<ReasonsBody>,
) -> Result<web::Json<CallDto>> {
    end_call(
        state,
        caller,
        id.into_inner(),
        CallAction::Cancel,
        body.0.reasons,
    )
    .await
}

/// Declare a call unsuccessful with reasons, e.g. no valid bid (commission).
#[utoipa::path(
    tag = "calls",
    operation_id = "declare_unsuccessful",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = ReasonsBody,
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/unsuccessful")]
async fn declare_unsuccessful(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<ReasonsBody>,
) -> Result<web::Json<CallDto>> {
    end_call(
        state,
        caller,
        id.into_inner(),
        CallAction::DeclareUnsuccessful,
        body.0.reasons,
    )
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallEvent {
    pub at: DateTime<Utc>,
    pub actor_id: i32,
    pub actor_role: String,
    pub action: String,
    pub bid_id: Option<i32>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// A call's history, its bids' receipts included (commission; an applicant sees its own bid's
/// steps only).
#[utoipa::path(
    tag = "calls",
    operation_id = "get_call_history",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = Vec<CallEvent>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/calls/{id}/history")]
async fn call_history(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<Vec<CallEvent>>> {
    let call = find(&state, id.into_inner()).await?;
    let own_bid = match (caller.role, caller.organisation_id) {
        (Role::Commission, _) => None,
        (Role::Applicant, Some(org)) => Some(
            store::calls::bid_of(&state.db, call.id, org)
                .await?
                .map(|b| b.id),
        ),
        _ => {
            return Err(ApiError::Forbidden(
                "a call's history is the commission's record".into(),
            ))
        }
    };
    let events = store::calls::history(&state.db, call.id)
        .await?
        .into_iter()
        .filter(|e| match &own_bid {
            None => true,
            Some(bid) => {
                e.aggregate.kind == crate::domain::event::AggregateType::Bid
                    && bid.is_some_and(|b| e.aggregate.id == b.to_string())
            }
        })
        .map(|e| {
            let (from, to) = e.status_change();
            let (from, to) = (from.map(str::to_owned), to.map(str::to_owned));
            let details: serde_json::Map<String, serde_json::Value> = e
                .payload
                .iter()
                .filter(|o| o.path != "/status")
                .map(|o| {
                    (
                        o.path.trim_start_matches('/').to_owned(),
                        o.value.clone().unwrap_or_default(),
                    )
                })
                .collect();
            CallEvent {
                at: e.at,
                actor_id: e.actor.id().unwrap_or(0),
                actor_role: e.actor.role_text().to_owned(),
                action: e.kind,
                bid_id: (e.aggregate.kind == crate::domain::event::AggregateType::Bid)
                    .then(|| e.aggregate.id.parse().ok())
                    .flatten(),
                from_status: from,
                to_status: to,
                note: e.reason,
                details: serde_json::Value::Object(details),
            }
        })
        .collect::<Vec<_>>();
    Ok(web::Json(events))
}
