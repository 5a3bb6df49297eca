//! Proposals: the intention form (附件1) and the preliminary construction plan (附件2), filed by an
//! applicant for its organisation or by a district officer for its district.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, HttpRequest, HttpResponse};

use super::views::proposals::{
    history, respond, HistoryEntry, ListQuery, ProposalDto, ProposalInput, ProposalPage,
};
use super::views::HistoryQuery;
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
/// or later, anyone else only listed ones. Summaries in id order, a page at a time: `limit`
/// (1–100, default 20) and `after` (the `next_after` of the previous page, also sent as a
/// `Link: <…>; rel="next"` header); `counts=true` adds `total` and `counts`.
#[utoipa::path(
    tag = "proposals",
    operation_id = "list_proposals",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), ListQuery),
    responses(
        (status = 200, body = ProposalPage, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there is one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/rounds/{year}/proposals")]
async fn list_proposals(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    query: ValidQuery<ListQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = proposals::list(
        &state,
        &caller,
        year.into_inner(),
        query.into_inner().into(),
    )
    .await?;
    let body = ProposalPage::from(page);
    let mut res = HttpResponse::Ok();
    if let Some(after) = body.next_after {
        res.insert_header((header::LINK, super::next_link(&req, &after.to_string())));
    }
    Ok(res.json(body))
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
    params(("id" = i32, Path, description = "Proposal id"), HistoryQuery),
    responses(
        (status = 200, body = Vec<HistoryEntry>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/proposals/{id}/history")]
async fn proposal_history(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let args = query.0.args()?;
    let entries = proposals::history(&state, &caller, id.into_inner()).await?;
    // Each step's `from_status` is the step before's: the page is cut after the whole history
    // is read (a proposal's history is short).
    let seqs: Vec<i64> = entries.iter().map(|e| e.event.seq).collect();
    let page = args.of_all(
        seqs.into_iter().zip(history(entries)).collect(),
        |(s, _)| *s,
    );
    let items: Vec<HistoryEntry> = page.items.into_iter().map(|(_, h)| h).collect();
    Ok(super::paged(&req, &items, page.next))
}
