//! The review steps of a proposal: submit, return, seal, eligibility — each a transition of the
//! state machine in `domain::proposal_state`, each requiring `If-Match`.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::proposals::{
    actor, facts, load_visible, proposal_etag, respond, stale, viewer, ProposalDto,
};
use super::Data;
use crate::auth::Caller;
use crate::domain::access;
use crate::domain::completeness::completeness;
use crate::domain::proposal_state::{check_intake_open, transition, Action, Status};
use crate::domain::role::Role;
use crate::domain::round::RoundSettings;
use crate::domain::score::Score;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{IfMatch, ValidJson};
use crate::store;
use crate::store::proposals::{Applied, Change, EventNote};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_proposal)
        .service(return_proposal)
        .service(seal_proposal)
        .service(decide_eligibility)
        .service(proposal_completeness);
}

/// Who may take an action on a proposal they can see.
enum Who {
    Owner,
    Reviewer,
    Commission,
}

/// Runs one step: permission, precondition, transition, deadline, then the conditional write.
async fn step(
    state: &Data,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    who: Who,
    action: Action,
    build: impl FnOnce(Status, &entity::round::Model) -> Result<(Change, Option<String>)>,
) -> Result<HttpResponse> {
    let (p, round) = load_visible(state, caller, id).await?;
    let f = facts(&p)?;
    let v = viewer(caller);
    let allowed = match who {
        Who::Owner => access::is_owner(v, f),
        Who::Reviewer => access::is_reviewer(v, f),
        Who::Commission => caller.is(Role::Commission),
    };
    if !allowed {
        let whom = match who {
            Who::Owner => "the proposal's owner",
            Who::Reviewer => "the proposal's district officer",
            Who::Commission => "the commission",
        };
        return Err(ApiError::Forbidden(format!(
            "only {whom} may {}",
            action.as_str().replace('_', " ")
        )));
    }
    if_match.check(&proposal_etag(&p))?;
    let to = transition(f.status, action)
        .map_err(|e| ApiError::conflict(e.to_string()).with("current_state", f.status))?;
    let (mut change, note) = build(to, &round)?;
    change.status = Some(to);
    let event = EventNote {
        action: action.as_str().to_owned(),
        changes: Vec::new(),
        note,
    };
    match store::proposals::apply(
        &state.db,
        &p,
        p.version,
        change,
        &actor(caller),
        event,
        state.clock.now(),
    )
    .await?
    {
        Applied::Done(after) => respond(actix_web::http::StatusCode::OK, *after, round.year),
        Applied::Stale => Err(stale(state, p.id).await),
    }
}

fn deadline(state: &Data, round: &entity::round::Model) -> Result<()> {
    check_intake_open(
        state.clock.now(),
        round.intake_deadline,
        &round.intake_deadline_text,
    )
    .map_err(|msg| {
        ApiError::conflict(msg)
            .with("intake_deadline", &round.intake_deadline_text)
            .with("now", state.clock.now())
    })
}

fn required_text(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > 4000 {
        return Err(ApiError::Validation(vec![FieldError::new(
            field,
            "must be 1–4000 characters",
        )]));
    }
    Ok(v.to_owned())
}

/// Submit to the district for review (the owner, while `draft` or `returned`, until the intake
/// deadline).
#[utoipa::path(
    tag = "proposals",
    operation_id = "submit_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), ("If-Match" = String, Header, description = "The ETag you read")),
    responses(
        (status = 200, body = ProposalDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/proposals/{id}/submit")]
async fn submit_proposal(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    let now = state.clock.now();
    step(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        Who::Owner,
        Action::Submit,
        |_, round| {
            deadline(&state, round)?;
            Ok((
                Change {
                    submitted_at: Some(now),
                    reasons: Some(None),
                    ..Default::default()
                },
                None,
            ))
        },
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// Why it goes back, for the owner to fix.
    pub reasons: String,
}

/// Return to the owner with reasons (the proposal's district officer, while `submitted`).
#[utoipa::path(
    tag = "proposals",
    operation_id = "return_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), ("If-Match" = String, Header, description = "The ETag you read")),
    request_body = ReturnBody,
    responses(
        (status = 200, body = ProposalDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/proposals/{id}/return")]
async fn return_proposal(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    if_match: IfMatch,
    body: ValidJson<ReturnBody>,
) -> Result<HttpResponse> {
    let reasons = required_text("reasons", &body.reasons)?;
    step(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        Who::Reviewer,
        Action::Return,
        |_, _| {
            Ok((
                Change {
                    reasons: Some(Some(reasons.clone())),
                    ..Default::default()
                },
                Some(reasons),
            ))
        },
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SealBody {
    /// The district's review statement (审核意见) that goes with the seal.
    pub statement: String,
}

/// Review and seal (审核盖章): the proposal's district officer, while `submitted`, until the intake
/// deadline. Records who sealed and when.
#[utoipa::path(
    tag = "proposals",
    operation_id = "seal_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), ("If-Match" = String, Header, description = "The ETag you read")),
    request_body = SealBody,
    responses(
        (status = 200, body = ProposalDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/proposals/{id}/seal")]
async fn seal_proposal(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    if_match: IfMatch,
    body: ValidJson<SealBody>,
) -> Result<HttpResponse> {
    let statement = required_text("statement", &body.statement)?;
    let now = state.clock.now();
    let by = caller.id;
    step(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        Who::Reviewer,
        Action::Seal,
        |_, round| {
            deadline(&state, round)?;
            Ok((
                Change {
                    sealed: Some((now, by, statement.clone())),
                    reasons: Some(None),
                    ..Default::default()
                },
                Some(statement),
            ))
        },
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibilityBody {
    pub eligible: bool,
    /// Required when not eligible; recorded either way.
    #[serde(default)]
    pub reasons: Option<String>,
}

/// Mark a sealed proposal eligible or ineligible for selection (commission; may be decided again
/// until the list is published).
#[utoipa::path(
    tag = "proposals",
    operation_id = "decide_eligibility",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), ("If-Match" = String, Header, description = "The ETag you read")),
    request_body = EligibilityBody,
    responses(
        (status = 200, body = ProposalDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/proposals/{id}/eligibility")]
async fn decide_eligibility(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    if_match: IfMatch,
    body: ValidJson<EligibilityBody>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let body = body.0;
    let reasons = match (&body.reasons, body.eligible) {
        (Some(r), _) => Some(required_text("reasons", r)?),
        (None, false) => return Err(ApiError::field("reasons", "say why it is ineligible")),
        (None, true) => None,
    };
    let action = if body.eligible {
        Action::MarkEligible
    } else {
        Action::MarkIneligible
    };
    step(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        Who::Commission,
        action,
        |_, _| {
            Ok((
                Change {
                    reasons: Some(reasons.clone()),
                    ..Default::default()
                },
                reasons,
            ))
        },
    )
    .await
}

/// The completeness score (方案完整性) of a proposal: total 0–100 and each rubric item with its
/// points, maximum and why it lost points. Points are in hundredths.
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_proposal_completeness",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id")),
    responses(
        (status = 200, body = Score),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/proposals/{id}/completeness")]
async fn proposal_completeness(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<Score>> {
    let (p, round) = load_visible(&state, &caller, id.into_inner()).await?;
    let settings: RoundSettings = serde_json::from_value(round.settings)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("round settings: {e}")))?;
    let (form, plan) = super::proposals::content(&p)?;
    Ok(web::Json(completeness(
        &form,
        &plan,
        &settings.scoring.completeness,
    )))
}
