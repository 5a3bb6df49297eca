//! The ranking, the award under public notice (公示), objections and their answers, and the final
//! award (挂帅).

use std::collections::HashMap;

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calls::{
    act, award_of, eligibility_of, find, present, rubric_of, status_now, Award, CallDto,
};
use super::proposals::actor;
use super::Data;
use crate::auth::{Caller, MaybeCaller};
use crate::domain::award::{check_award, finalize_ready, objection_open};
use crate::domain::call::{check_eligibility, notice_ends, transition, CallAction, CallStatus};
use crate::domain::ranking::{rank, BidInput, BidResult, ExpertScore, TIE_RULE};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_ranking)
        .service(award_call)
        .service(list_notices)
        .service(create_objection)
        .service(list_objections)
        .service(answer_objection)
        .service(finalize_call);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ranking {
    pub call_id: i32,
    /// How ties are broken, applied exactly.
    pub tie_rule: String,
    /// How a criterion's score is formed.
    pub trimming_rule: String,
    /// Expert labels: real ids are shown to the commission only.
    pub experts: Vec<ExpertLabel>,
    /// Ranked bids first, then unranked ones (ineligible, or not scored) with reasons.
    pub bids: Vec<BidResult>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertLabel {
    pub label: String,
    /// Shown to the commission only.
    pub expert_id: Option<i32>,
}

pub const TRIMMING_RULE: &str = "per criterion: when at least 5 experts scored the bid, the highest and the lowest score \
are dropped and the rest averaged; otherwise all scores are averaged; the total is the rubric-weighted sum";

/// Computes the ranking from the stored scores.
pub async fn compute(
    state: &Data,
    call: &entity::call::Model,
    commission: bool,
) -> Result<Ranking> {
    let rubric = rubric_of(call)?;
    let rules = eligibility_of(call)?;
    let panel = store::calls::panel(&state.db, call.id).await?;
    let labels: HashMap<i32, String> = panel
        .iter()
        .enumerate()
        .map(|(i, m)| (m.expert_id, format!("E{}", i + 1)))
        .collect();
    let scores = store::calls::scores(&state.db, call.id).await?;
    let mut inputs = Vec::new();
    for bid in store::calls::bids(&state.db, call.id).await? {
        let receipt = store::calls::receipt(&state.db, bid.current_receipt_id).await?;
        let facts = super::bids::bidder_facts(state, call, bid.organisation_id).await?;
        let mut expert_scores = Vec::new();
        for s in scores.iter().filter(|s| s.bid_id == bid.id) {
            // A score sheet that does not read back is corruption: fail rather than rank without it.
            let lines: Vec<super::bids::StoredScore> = serde_json::from_value(s.scores.clone())
                .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("score sheet {}: {e}", s.id)))?;
            expert_scores.push(ExpertScore {
                expert_label: labels
                    .get(&s.expert_id)
                    .cloned()
                    .unwrap_or_else(|| "E?".into()),
                expert_id: s.expert_id,
                points: lines.into_iter().map(|l| (l.criterion, l.points)).collect(),
            });
        }
        inputs.push(BidInput {
            bid_id: bid.id,
            received_at: receipt.map_or(bid.updated_at, |r| r.received_at),
            ineligible: check_eligibility(&rules, &facts),
            scores: expert_scores,
        });
    }
    let mut experts: Vec<ExpertLabel> = panel
        .iter()
        .map(|m| ExpertLabel {
            label: labels.get(&m.expert_id).cloned().unwrap_or_default(),
            expert_id: commission.then_some(m.expert_id),
        })
        .collect();
    experts.sort_by_key(|e| e.label.trim_start_matches('E').parse::<u32>().unwrap_or(0));
    Ok(Ranking {
        call_id: call.id,
        tie_rule: TIE_RULE.into(),
        trimming_rule: TRIMMING_RULE.into(),
        experts,
        bids: rank(&rubric, &inputs),
    })
}

/// The ranking with every expert's scores, trimmed means and totals: for the commission once the
/// call is opened; for anyone during and after the notice, with experts anonymised as E1..En.
#[utoipa::path(
    tag = "award",
    operation_id = "get_ranking",
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = Ranking),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[get("/calls/{id}/ranking")]
async fn get_ranking(
    state: Data,
    caller: MaybeCaller,
    id: web::Path<i32>,
) -> Result<web::Json<Ranking>> {
    let call = find(&state, id.into_inner()).await?;
    let status = status_now(&state, &call)?;
    let commission = caller.0.as_ref().is_some_and(|c| c.is(Role::Commission));
    let public = matches!(status, CallStatus::Notice | CallStatus::Awarded);
    if commission && call.opened_at.is_none() {
        return Err(ApiError::conflict("the bids are still sealed").with("current_state", status));
    }
    if !commission && !public {
        return Err(match caller.0 {
            None => ApiError::Unauthorized("the ranking is public from the notice on".into()),
            Some(_) => {
                ApiError::Forbidden("the ranking is the commission's until the notice".into())
            }
        });
    }
    Ok(web::Json(compute(&state, &call, commission).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardBody {
    /// The winning bids: as many as the call has winners, the top of the ranking.
    pub bid_ids: Vec<i32>,
    pub note: String,
}

/// Propose the award and start the public notice (commission, while under review).
#[utoipa::path(
    tag = "award",
    operation_id = "award_call",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = AwardBody,
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
#[post("/calls/{id}/award")]
async fn award_call(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<AwardBody>,
) -> Result<web::Json<CallDto>> {
    caller.require(&[Role::Commission])?;
    let call = find(&state, id.into_inner()).await?;
    let status = status_now(&state, &call)?;
    // Asked of the state machine before the ranking is computed; `act` asks again when writing.
    transition(status, CallAction::Award)
        .map_err(|e| ApiError::conflict(e.to_string()).with("current_state", status))?;
    let body = body.0;
    let ranking = compute(&state, &call, true).await?;
    let winners = usize::try_from(call.winners).unwrap_or(1);
    let ranked: Vec<i32> = ranking
        .bids
        .iter()
        .filter(|b| b.rank.is_some())
        .map(|b| b.bid_id)
        .collect();
    let mut errors = Vec::new();
    if body.note.trim().is_empty() {
        errors.push(FieldError::new("note", "must not be blank"));
    }
    let top = match check_award(winners, &ranked, &body.bid_ids) {
        Ok(top) => top,
        Err(m) => {
            errors.push(FieldError::new("bid_ids", m));
            Vec::new()
        }
    };
    ApiError::check(errors)?;
    let now = state.clock.now();
    let ends = notice_ends(now, u32::try_from(call.notice_days).unwrap_or(7));
    let award = Award {
        bid_ids: top,
        note: body.note.trim().to_owned(),
    };
    let value = serde_json::to_value(&award).map_err(anyhow::Error::from)?;
    let changes = entity::call::ActiveModel {
        award: Set(Some(value.clone())),
        notice_started_at: Set(Some(now)),
        notice_ends_at: Set(Some(ends)),
        ..Default::default()
    };
    let updated = act(
        &state,
        &caller,
        &call,
        CallAction::Award,
        changes,
        Some(award.note.clone()),
        value,
    )
    .await?;
    Ok(web::Json(present(&state, &updated).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    pub call: CallDto,
    pub objections: usize,
    pub unanswered: usize,
}

/// Public notices (公示): every call under notice or awarded (anyone).
#[utoipa::path(tag = "award", operation_id = "list_notices", responses((status = 200, body = Vec<Notice>)))]
#[get("/notices")]
async fn list_notices(state: Data) -> Result<web::Json<Vec<Notice>>> {
    let mut out = Vec::new();
    for c in store::calls::calls(&state.db).await? {
        if matches!(
            status_now(&state, &c)?,
            CallStatus::Notice | CallStatus::Awarded
        ) {
            let objections = store::calls::objections(&state.db, c.id).await?;
            out.push(Notice {
                objections: objections.len(),
                unanswered: objections.iter().filter(|o| o.upheld.is_none()).count(),
                call: present(&state, &c).await?,
            });
        }
    }
    Ok(web::Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionBody {
    /// The grounds of the objection, in writing.
    pub grounds: String,
    /// How the commission reaches the objector.
    pub contact: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectionDto {
    pub id: i32,
    pub call_id: i32,
    pub submitted_by: i32,
    pub grounds: String,
    pub contact: String,
    pub submitted_at: DateTime<Utc>,
    pub upheld: Option<bool>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<entity::objection::Model> for ObjectionDto {
    fn from(o: entity::objection::Model) -> Self {
        Self {
            id: o.id,
            call_id: o.call_id,
            submitted_by: o.submitted_by,
            grounds: o.grounds,
            contact: o.contact,
            submitted_at: o.submitted_at,
            upheld: o.upheld,
            answer: o.answer,
            answered_at: o.answered_at,
        }
    }
}

/// Object in writing during the notice (any identified caller).
#[utoipa::path(
    tag = "award",
    operation_id = "create_objection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = ObjectionBody,
    responses(
        (status = 201, body = ObjectionDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/objections")]
async fn create_objection(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<ObjectionBody>,
) -> Result<HttpResponse> {
    let call = find(&state, id.into_inner()).await?;
    let status = status_now(&state, &call)?;
    let now = state.clock.now();
    let open = objection_open(status, call.notice_ends_at, now);
    if !open {
        return Err(
            ApiError::conflict("objections are taken only during the notice period")
                .with("current_state", status)
                .with("notice_ends_at", call.notice_ends_at),
        );
    }
    let body = body.0;
    let mut errors = Vec::new();
    if body.grounds.trim().is_empty() {
        errors.push(FieldError::new("grounds", "must not be blank"));
    }
    if body.contact.trim().is_empty() {
        errors.push(FieldError::new("contact", "must not be blank"));
    }
    ApiError::check(errors)?;
    let txn = state.db.begin().await?;
    let o = store::calls::add_objection(
        &txn,
        entity::objection::ActiveModel {
            call_id: Set(call.id),
            submitted_by: Set(caller.id),
            grounds: Set(body.grounds.trim().to_owned()),
            contact: Set(body.contact.trim().to_owned()),
            submitted_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    store::calls::event(
        &txn,
        call.id,
        None,
        &actor(&caller),
        "objection",
        None,
        None,
        Some(o.grounds.clone()),
        serde_json::json!({"objection_id": o.id}),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(ObjectionDto::from(o)))
}

/// A call's objections and answers (commission; an objector sees its own).
#[utoipa::path(
    tag = "award",
    operation_id = "list_objections",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = Vec<ObjectionDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/calls/{id}/objections")]
async fn list_objections(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<Vec<ObjectionDto>>> {
    let call = find(&state, id.into_inner()).await?;
    let all = store::calls::objections(&state.db, call.id).await?;
    Ok(web::Json(
        all.into_iter()
            .filter(|o| caller.is(Role::Commission) || o.submitted_by == caller.id)
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// An upheld objection sends the call back to review.
    pub upheld: bool,
    pub answer: String,
}

/// Answer an objection (commission). Upheld: the call goes back under review and the award is
/// withdrawn.
#[utoipa::path(
    tag = "award",
    operation_id = "answer_objection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Objection id")),
    request_body = AnswerBody,
    responses(
        (status = 200, body = ObjectionDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/objections/{id}/answer")]
async fn answer_objection(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<AnswerBody>,
) -> Result<web::Json<ObjectionDto>> {
    caller.require(&[Role::Commission])?;
    let id = id.into_inner();
    let o = store::calls::objection(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("objection {id}")))?;
    let body = body.0;
    if body.answer.trim().is_empty() {
        return Err(ApiError::field("answer", "must not be blank"));
    }
    if o.upheld.is_some() {
        return Err(ApiError::conflict("this objection has been answered"));
    }
    let call = find(&state, o.call_id).await?;
    if body.upheld {
        // Back to review first: if the call moved meanwhile, nothing is recorded.
        let changes = entity::call::ActiveModel {
            award: Set(None),
            notice_started_at: Set(None),
            notice_ends_at: Set(None),
            ..Default::default()
        };
        act(
            &state,
            &caller,
            &call,
            CallAction::UpholdObjection,
            changes,
            Some(body.answer.trim().to_owned()),
            serde_json::json!({"objection_id": id}),
        )
        .await?;
    }
    let now = state.clock.now();
    let answered = store::calls::answer_objection(
        &state.db,
        id,
        body.upheld,
        body.answer.trim().to_owned(),
        caller.id,
        now,
    )
    .await?
    .ok_or_else(|| ApiError::conflict("this objection has been answered"))?;
    store::calls::event(
        &state.db,
        call.id,
        None,
        &actor(&caller),
        "objection_answered",
        None,
        None,
        answered.answer.clone(),
        serde_json::json!({"objection_id": id, "upheld": body.upheld}),
        now,
    )
    .await?;
    Ok(web::Json(answered.into()))
}

/// Make the award final (commission): only after the notice period ended and every objection is
/// answered. The winners and their amounts are then public.
#[utoipa::path(
    tag = "award",
    operation_id = "finalize_call",
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
#[post("/calls/{id}/finalize")]
async fn finalize_call(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<CallDto>> {
    caller.require(&[Role::Commission])?;
    let call = find(&state, id.into_inner()).await?;
    let now = state.clock.now();
    let unanswered: Vec<i32> = store::calls::objections(&state.db, call.id)
        .await?
        .into_iter()
        .filter(|o| o.upheld.is_none())
        .map(|o| o.id)
        .collect();
    finalize_ready(call.notice_ends_at, now, &unanswered).map_err(|m| {
        ApiError::conflict(m)
            .with("notice_ends_at", call.notice_ends_at)
            .with("unanswered", &unanswered)
    })?;
    let changes = entity::call::ActiveModel {
        finalized_at: Set(Some(now)),
        ..Default::default()
    };
    let award = award_of(&call);
    let updated = act(
        &state,
        &caller,
        &call,
        CallAction::Finalize,
        changes,
        Some(award.note.clone()),
        serde_json::json!({"bid_ids": award.bid_ids}),
    )
    .await?;
    Ok(web::Json(present(&state, &updated).await?))
}
