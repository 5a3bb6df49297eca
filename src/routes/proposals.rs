//! Proposals: the intention form (附件1) and the preliminary construction plan (附件2), filed by an
//! applicant for its organisation or by a district officer for its district.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};

use super::views::proposals::{
    history, respond, HistoryEntry, ListQuery, ProposalDto, ProposalInput, ProposalPage,
};
use super::Data;
use crate::app::proposals;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{IfMatch, ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_proposal)
        .service(list_proposals)
        .service(get_proposal)
        .service(update_proposal)
        .service(proposal_history);
}

/// File a proposal (an applicant for its own organisation, or a district officer for its own
/// district). It starts as a `draft`.
#[utoipa::path(
    tag = "proposals",
    operation_id = "create_proposal",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = ProposalInput,
    responses(
        (status = 201, body = ProposalDto, headers(("ETag" = String, description = "Send it back in If-Match to change the proposal"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/proposals")]
async fn create_proposal(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    body: ValidJson<ProposalInput>,
) -> Result<HttpResponse> {
    let ProposalInput { form, plan } = body.0;
    let p = proposals::create(&state, &caller, year.into_inner(), form, plan).await?;
    let location = format!("/api/v1/proposals/{}", p.id);
    let mut res = respond(StatusCode::CREATED, p);
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// List the round's proposals the caller may see: an applicant its organisation's, a district
/// officer its district's (not applicants' unsubmitted drafts), the commission everything sealed
/// or later, anyone else only listed ones.
#[utoipa::path(
    tag = "proposals",
    operation_id = "list_proposals",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), ListQuery),
    responses(
        (status = 200, body = ProposalPage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/proposals")]
async fn list_proposals(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    query: ValidQuery<ListQuery>,
) -> Result<web::Json<ProposalPage>> {
    let page = proposals::list(
        &state,
        &caller,
        year.into_inner(),
        query.into_inner().into(),
    )
    .await?;
    Ok(web::Json(page.into()))
}

/// One proposal, if the caller may see it, with its ETag.
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id")),
    responses(
        (status = 200, body = ProposalDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/proposals/{id}")]
async fn get_proposal(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let p = proposals::get(&state, &caller, id.into_inner()).await?;
    Ok(respond(StatusCode::OK, p))
}

/// Edit a proposal (its owner, while `draft` or `returned`). The body is a JSON merge patch
/// (RFC 7396) over `{form, plan}`: members given replace, `null` removes. Requires `If-Match`.
#[utoipa::path(
    tag = "proposals",
    operation_id = "update_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), ("If-Match" = String, Header, description = "The ETag you read")),
    request_body(content = ProposalInput, content_type = "application/merge-patch+json", description = "A JSON merge patch (RFC 7396) over `{form, plan}`: members given replace, `null` removes."),
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
#[patch("/proposals/{id}")]
async fn update_proposal(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<serde_json::Value>,
) -> Result<HttpResponse> {
    let p = proposals::edit(&state, &caller, id.into_inner(), &if_match, &body.0).await?;
    Ok(respond(StatusCode::OK, p))
}

/// Every change and transition of a proposal, oldest first (whoever may see the proposal).
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_proposal_history",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id")),
    responses(
        (status = 200, body = Vec<HistoryEntry>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/proposals/{id}/history")]
async fn proposal_history(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<HistoryEntry>>> {
    let entries = proposals::history(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(history(entries)))
}
