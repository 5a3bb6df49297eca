//! The review steps of a proposal: submit, return, seal, eligibility — each a transition of the
//! state machine in `domain::proposal_state`, each requiring `If-Match`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::views::proposals::{
    respond, EligibilityBody, ProposalDto, ReturnBody, SealBody, SubmitBody,
};
use super::Data;
use crate::app::proposals;
use crate::auth::Caller;
use crate::domain::score::Score;
use crate::error::Result;
use crate::extract::{IfMatch, ValidJson};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_proposal)
        .service(return_proposal)
        .service(seal_proposal)
        .service(decide_eligibility)
        .service(proposal_completeness);
}

/// Submit to the district for review (the owner, while `draft` or `returned`, until the intake
/// deadline), with the truthfulness statement (真实性承诺) of a named person, stored with the
/// submission.
#[utoipa::path(
    tag = "proposals",
    operation_id = "submit_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), ("If-Match" = String, Header, description = "The ETag you read")),
    request_body = SubmitBody,
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
#[post("/proposals/{id}/submit")]
async fn submit_proposal(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<SubmitBody>,
) -> Result<HttpResponse> {
    let p = proposals::submit(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        body.0.attestation,
    )
    .await?;
    Ok(respond(StatusCode::OK, p))
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
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<ReturnBody>,
) -> Result<HttpResponse> {
    let p = proposals::return_to_owner(&state, &caller, id.into_inner(), &if_match, &body.reasons)
        .await?;
    Ok(respond(StatusCode::OK, p))
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
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<SealBody>,
) -> Result<HttpResponse> {
    let p = proposals::seal(&state, &caller, id.into_inner(), &if_match, &body.statement).await?;
    Ok(respond(StatusCode::OK, p))
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
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<EligibilityBody>,
) -> Result<HttpResponse> {
    let p = proposals::decide_eligibility(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        body.eligible,
        body.reasons.as_deref(),
    )
    .await?;
    Ok(respond(StatusCode::OK, p))
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
    id: crate::extract::IntPath,
) -> Result<web::Json<Score>> {
    Ok(web::Json(
        proposals::completeness(&state, &caller, id.into_inner()).await?,
    ))
}
