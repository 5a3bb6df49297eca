//! Bids: sealed until opening, one per organisation per call, replaceable until close; each
//! accepted submission gets a receipt (server time and the SHA-256 of its canonical content).

use std::collections::{BTreeMap, HashMap};

use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calls::{eligibility_of, find, rubric_of, status_now};
use super::proposals::actor;
use super::Data;
use crate::auth::Caller;
use crate::domain::award::scoring_open;
use crate::domain::call::{bid_window_open, check_eligibility, BidderFacts, CallStatus};
use crate::domain::money::Money;
use crate::domain::ranking::validate_sheet;
use crate::domain::role::Role;
use crate::domain::sealing;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{hundredths, ValidJson};
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_bid)
        .service(list_bids)
        .service(get_bid)
        .service(put_scores);
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidMilestone {
    pub name: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub name: String,
    /// SHA-256 of the file, 64 hex digits (the file itself is kept by the bidder).
    pub sha256: String,
}

/// A bid's content. Sealed: stored encrypted, readable by the bidder only until the call is opened.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidContent {
    pub technical_plan: String,
    #[serde(default)]
    pub team: Vec<TeamMember>,
    /// The budget asked for, 万元.
    pub budget: Money,
    #[serde(default)]
    pub schedule: Vec<BidMilestone>,
    #[serde(default)]
    pub commitments: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

fn validate_content(c: &BidContent) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if c.technical_plan.trim().is_empty() {
        errors.push(FieldError::new("technical_plan", "must not be blank"));
    }
    for (i, m) in c.team.iter().enumerate() {
        if m.name.trim().is_empty() {
            errors.push(FieldError::new(
                format!("team[{i}].name"),
                "must not be blank",
            ));
        }
    }
    for (i, a) in c.attachments.iter().enumerate() {
        if a.name.trim().is_empty() {
            errors.push(FieldError::new(
                format!("attachments[{i}].name"),
                "must not be blank",
            ));
        }
        if a.sha256.len() != 64 || !a.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            errors.push(FieldError::new(
                format!("attachments[{i}].sha256"),
                "must be 64 hex digits",
            ));
        }
    }
    for w in c.schedule.windows(2) {
        if w[1].due < w[0].due {
            errors.push(FieldError::new(
                "schedule",
                "milestones must be in date order",
            ));
            break;
        }
    }
    errors
}

/// Associated data binding a sealed bid to its call and organisation.
pub fn aad(call_id: i32, organisation_id: i32) -> Vec<u8> {
    format!("call:{call_id}/org:{organisation_id}").into_bytes()
}

/// Decrypts a bid's current content (for those allowed to read it).
pub async fn content_of(
    state: &Data,
    call: &entity::call::Model,
    bid: &entity::bid::Model,
) -> Result<BidContent> {
    let r = store::calls::receipt(&state.db, bid.current_receipt_id)
        .await?
        .ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!("receipt of bid {} missing", bid.id))
        })?;
    let key = sealing::bid_key(&state.sealing_secret, call.id);
    let plain = sealing::unseal(&key, &aad(call.id, bid.organisation_id), &r.sealed)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("unsealing bid {}: {e:?}", bid.id)))?;
    serde_json::from_slice(&plain)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("bid {} content: {e}", bid.id)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub bid_id: i32,
    pub receipt_id: i32,
    /// Server time of receipt.
    pub received_at: DateTime<Utc>,
    /// SHA-256 of the canonical JSON of the content (keys sorted at every level).
    pub sha256: String,
    /// The receipt this submission replaces, if it is a replacement.
    pub replaces_receipt_id: Option<i32>,
}

/// Facts about an organisation that the eligibility rules look at.
pub async fn bidder_facts(
    state: &Data,
    call: &entity::call::Model,
    organisation_id: i32,
) -> Result<BidderFacts> {
    let org = store::organisations::by_id(&state.db, organisation_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("organisation {organisation_id}")))?;
    let mut has_award = false;
    for other in store::calls::calls_of_round(&state.db, call.round_id).await? {
        if other.id == call.id || !matches!(status_now(state, &other)?, CallStatus::Awarded) {
            continue;
        }
        for bid_id in super::calls::award_of(&other).bid_ids {
            if store::calls::bid(&state.db, bid_id)
                .await?
                .is_some_and(|b| b.organisation_id == organisation_id)
            {
                has_award = true;
            }
        }
    }
    Ok(BidderFacts {
        district_code: Some(org.district_code),
        registered_capital: org
            .registered_capital
            .and_then(|v| Money::from_hundredths(v).ok()),
        has_award_this_round: has_award,
    })
}

/// Submit or replace the caller's organisation's bid (applicant, inside the window). Returns the
/// receipt. Outside the window → 409 with the window; an organisation failing the call's
/// eligibility rules → 422 naming each rule.
#[utoipa::path(
    tag = "bids",
    operation_id = "submit_bid",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = BidContent,
    responses(
        (status = 201, body = Receipt),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/bids")]
async fn submit_bid(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<BidContent>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Applicant])?;
    let org = caller
        .organisation_id
        .ok_or_else(|| ApiError::Forbidden("this account has no organisation".into()))?;
    let call = find(&state, id.into_inner()).await?;
    let now = state.clock.now();
    if !bid_window_open(call.opens_at, call.closes_at, now) {
        return Err(ApiError::conflict(format!(
            "bids are accepted from {} to {}; it is now {}",
            call.opens_at.to_rfc3339(),
            call.closes_at.to_rfc3339(),
            now.to_rfc3339()
        ))
        .with("opens_at", call.opens_at)
        .with("closes_at", call.closes_at)
        .with("now", now));
    }
    let status = status_now(&state, &call)?;
    if status != CallStatus::Open {
        return Err(
            ApiError::conflict(format!("the call is {status}")).with("current_state", status)
        );
    }
    let content = body.0;
    ApiError::check(validate_content(&content))?;
    let failed = check_eligibility(
        &eligibility_of(&call)?,
        &bidder_facts(&state, &call, org).await?,
    );
    if !failed.is_empty() {
        return Err(ApiError::Validation(
            failed
                .into_iter()
                .map(|f| {
                    let (rule, why) = f
                        .split_once(':')
                        .map_or((f.as_str(), f.as_str()), |(r, w)| (r, w.trim()));
                    FieldError::new(format!("eligibility.{rule}"), why)
                })
                .collect(),
        ));
    }
    let value = serde_json::to_value(&content).map_err(anyhow::Error::from)?;
    let sha256 = sealing::content_hash(&value);
    let canonical = sealing::canonical_json(&value);
    let key = sealing::bid_key(&state.sealing_secret, call.id);
    let sealed = sealing::seal(&key, &aad(call.id, org), canonical.as_bytes())
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("sealing a bid: {e}")))?;
    let who = actor(&caller);
    // A first submission racing another from the same organisation meets the unique index; the
    // second try then replaces.
    let mut attempt = 0;
    let (bid, receipt, replaced) = loop {
        attempt += 1;
        let txn = state.db.begin().await?;
        store::calls::lock_call(&txn, call.id).await?;
        let new = store::calls::NewReceipt {
            call_id: call.id,
            organisation_id: org,
            submitted_by: caller.id,
            sha256: sha256.clone(),
            sealed: sealed.clone(),
        };
        match store::calls::submit(&txn, new, now).await {
            Ok((bid, receipt, replaced)) => {
                store::calls::event(
                    &txn,
                    call.id,
                    Some(bid.id),
                    &who,
                    if replaced.is_some() { "bid_replaced" } else { "bid_received" },
                    None,
                    None,
                    None,
                    serde_json::json!({"receipt_id": receipt.id, "sha256": receipt.sha256, "replaces_receipt_id": replaced}),
                    now,
                )
                .await?;
                txn.commit().await?;
                break (bid, receipt, replaced);
            }
            Err(e) if attempt < 3 && (e.sql_err().is_some() || crate::error::is_contention(&e)) => {
                txn.rollback().await?;
            }
            Err(e) => return Err(e.into()),
        }
    };
    Ok(HttpResponse::Created().json(Receipt {
        bid_id: bid.id,
        receipt_id: receipt.id,
        received_at: receipt.received_at,
        sha256: receipt.sha256,
        replaces_receipt_id: replaced,
    }))
}

/// Whether an expert is on the call's panel and, if so, the bids it is recused from (with reasons).
pub async fn recusals(
    state: &Data,
    call: &entity::call::Model,
    expert_id: i32,
) -> Result<Option<BTreeMap<i32, Vec<String>>>> {
    let panel = store::calls::panel(&state.db, call.id).await?;
    if !panel.iter().any(|m| m.expert_id == expert_id) {
        return Ok(None);
    }
    let map = super::panel::recusal_map(state, call).await?;
    Ok(Some(map.get(&expert_id).cloned().unwrap_or_default()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BidView {
    pub bid_id: i32,
    pub call_id: i32,
    /// The bidder, shown to the bidder itself and, once the call is opened, to the commission and
    /// the panel.
    pub organisation_id: Option<i32>,
    pub receipt_id: i32,
    pub received_at: DateTime<Utc>,
    pub sha256: String,
    /// True while the content is sealed to this caller.
    pub sealed: bool,
    /// The content, where this caller may read it.
    pub content: Option<BidContent>,
    /// Every receipt of this bid (the bidder and, once opened, the commission).
    pub receipts: Vec<ReceiptLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptLine {
    pub receipt_id: i32,
    pub received_at: DateTime<Utc>,
    pub sha256: String,
    pub current: bool,
}

/// Who may read what of a bid. `None`: may not see the bid at all.
async fn reading(
    state: &Data,
    caller: &Caller,
    call: &entity::call::Model,
    bid: &entity::bid::Model,
) -> Result<Option<bool>> {
    let revealed = status_now(state, call)?.bids_revealed() && call.opened_at.is_some();
    Ok(match caller.role {
        Role::Applicant => (caller.organisation_id == Some(bid.organisation_id)).then_some(true),
        Role::Commission => Some(revealed),
        Role::Expert => match recusals(state, call, caller.id).await? {
            None => None,
            Some(recused) if recused.contains_key(&bid.id) => None,
            Some(_) => Some(revealed),
        },
        _ => None,
    })
}

async fn view(
    state: &Data,
    call: &entity::call::Model,
    bid: &entity::bid::Model,
    readable: bool,
    owner: bool,
) -> Result<BidView> {
    let receipts = store::calls::receipts(&state.db, bid.id).await?;
    let current = receipts
        .iter()
        .find(|r| r.id == bid.current_receipt_id)
        .ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!("receipt of bid {} missing", bid.id))
        })?;
    Ok(BidView {
        bid_id: bid.id,
        call_id: call.id,
        organisation_id: readable.then_some(bid.organisation_id),
        receipt_id: current.id,
        received_at: current.received_at,
        sha256: current.sha256.clone(),
        sealed: !readable,
        content: if readable {
            Some(content_of(state, call, bid).await?)
        } else {
            None
        },
        receipts: receipts
            .iter()
            .filter(|_| readable || owner)
            .map(|r| ReceiptLine {
                receipt_id: r.id,
                received_at: r.received_at,
                sha256: r.sha256.clone(),
                current: r.id == bid.current_receipt_id,
            })
            .collect(),
    })
}

/// The bids of a call the caller may see: the commission and the panel get receipts (and, once
/// opened, contents — experts not those they are recused from); an applicant its own bid.
#[utoipa::path(
    tag = "bids",
    operation_id = "list_bids",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = Vec<BidView>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/calls/{id}/bids")]
async fn list_bids(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<Vec<BidView>>> {
    let call = find(&state, id.into_inner()).await?;
    let mut out = Vec::new();
    for bid in store::calls::bids(&state.db, call.id).await? {
        if let Some(readable) = reading(&state, &caller, &call, &bid).await? {
            let owner = caller.organisation_id == Some(bid.organisation_id);
            out.push(view(&state, &call, &bid, readable, owner).await?);
        }
    }
    Ok(web::Json(out))
}

/// One bid, sealed or not depending on the caller (see `list_bids`).
#[utoipa::path(
    tag = "bids",
    operation_id = "get_bid",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Bid id")),
    responses(
        (status = 200, body = BidView),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/bids/{id}")]
async fn get_bid(state: Data, caller: Caller, id: web::Path<i32>) -> Result<web::Json<BidView>> {
    let id = id.into_inner();
    let bid = store::calls::bid(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("bid {id}")))?;
    let call = find(&state, bid.call_id).await?;
    let readable = reading(&state, &caller, &call, &bid)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("bid {id}")))?;
    let owner = caller.organisation_id == Some(bid.organisation_id);
    Ok(web::Json(view(&state, &call, &bid, readable, owner).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    pub criterion: String,
    /// 0 to the criterion's max_points, two decimals at most.
    #[schema(value_type = f64)]
    pub points: serde_json::Number,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresBody {
    pub scores: Vec<ScoreInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StoredScore {
    pub criterion: String,
    /// Hundredths of a point.
    pub points: i64,
    pub comment: String,
}

/// Score a bid on every criterion of the rubric (an assigned, non-recused expert, while the call
/// is under review). Replaces the expert's earlier scores for the bid.
#[utoipa::path(
    tag = "bids",
    operation_id = "put_scores",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Bid id")),
    request_body = ScoresBody,
    responses(
        (status = 200, body = Vec<StoredScore>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/bids/{id}/scores")]
async fn put_scores(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<ScoresBody>,
) -> Result<web::Json<Vec<StoredScore>>> {
    caller.require(&[Role::Expert])?;
    let id = id.into_inner();
    let bid = store::calls::bid(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("bid {id}")))?;
    let call = find(&state, bid.call_id).await?;
    let recused = recusals(&state, &call, caller.id)
        .await?
        .ok_or_else(|| ApiError::Forbidden("you are not on this call's panel".into()))?;
    if let Some(reasons) = recused.get(&bid.id) {
        return Err(ApiError::Forbidden(format!(
            "you are recused from this bid: {}",
            reasons.join("; ")
        )));
    }
    let status = status_now(&state, &call)?;
    scoring_open(status).map_err(|m| ApiError::conflict(m).with("current_state", status))?;
    let rubric = rubric_of(&call)?;
    // Parse the request (decimals, duplicates); the rubric rules themselves are the domain's
    // `validate_sheet`, whose fields are mapped back onto the request's items.
    let mut errors = Vec::new();
    let mut points = BTreeMap::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut comments: HashMap<String, String> = HashMap::new();
    for (i, s) in body.0.scores.into_iter().enumerate() {
        if at.insert(s.criterion.clone(), i).is_some() {
            errors.push(FieldError::new(
                format!("scores[{i}].criterion"),
                "scored twice",
            ));
        }
        match hundredths(&format!("scores[{i}].points"), &s.points) {
            Ok(p) => {
                points.insert(s.criterion.clone(), p);
                comments.insert(s.criterion, s.comment);
            }
            Err(e) => errors.push(e),
        }
    }
    for e in validate_sheet(&rubric, &points) {
        let criterion = e.field.strip_prefix("points.").unwrap_or_default();
        let field = match at.get(criterion) {
            Some(i) if rubric.iter().any(|c| c.criterion == criterion) => {
                format!("scores[{i}].points")
            }
            Some(i) => format!("scores[{i}].criterion"),
            None => "scores".to_owned(),
        };
        errors.push(FieldError::new(
            field,
            format!("{criterion:?} {}", e.message),
        ));
    }
    ApiError::check(errors)?;
    let stored: Vec<StoredScore> = rubric
        .iter()
        .filter_map(|c| {
            Some(StoredScore {
                criterion: c.criterion.clone(),
                points: *points.get(&c.criterion)?,
                comment: comments.remove(&c.criterion).unwrap_or_default(),
            })
        })
        .collect();
    let now = state.clock.now();
    let value = serde_json::to_value(&stored).map_err(anyhow::Error::from)?;
    let txn = state.db.begin().await?;
    store::calls::put_scores(&txn, call.id, bid.id, caller.id, value.clone(), now).await?;
    store::calls::event(
        &txn,
        call.id,
        Some(bid.id),
        &actor(&caller),
        "scored",
        None,
        None,
        None,
        value,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(web::Json(stored))
}
