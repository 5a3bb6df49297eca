//! Findings of falsification (弄虚作假): the commission records one against a proposal, a bid
//! or a project with a reason and the evidence; public once final.

use actix_web::http::StatusCode;
use actix_web::{get, post, HttpRequest, HttpResponse};

use super::views::findings::{respond, FindingDto, FindingQuery, NewFinding};
use super::Data;
use crate::app::findings;
use crate::auth::{Caller, MaybeCaller};
use crate::error::Result;
use crate::extract::{IfMatch, ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_finding)
        .service(finalise_finding)
        .service(list_findings)
        .service(get_finding);
}

/// Record a finding of falsification as a draft (commission). A bid can be named only once its
/// call is opened.
#[utoipa::path(
    tag = "findings",
    operation_id = "create_finding",
    security(("bearer_auth" = [])),
    request_body = NewFinding,
    responses(
        (status = 201, body = FindingDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/findings")]
async fn create_finding(
    state: Data,
    caller: Caller,
    body: ValidJson<NewFinding>,
) -> Result<HttpResponse> {
    let b = body.0;
    let f = findings::record(
        &state,
        &caller,
        b.subject_type,
        b.subject_id,
        &b.reason,
        &b.evidence,
    )
    .await?;
    Ok(respond(StatusCode::CREATED, f))
}

/// Make a draft finding final: public from then on, and unchangeable (commission).
#[utoipa::path(
    tag = "findings",
    operation_id = "finalise_finding",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Finding id"), ("If-Match" = String, Header, description = "The ETag you read")),
    responses(
        (status = 200, body = FindingDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/findings/{id}/finalise")]
async fn finalise_finding(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    let f = findings::finalise(&state, &caller, id.into_inner(), &if_match).await?;
    Ok(respond(StatusCode::OK, f))
}

/// Findings of falsification: final ones for anyone, drafts too for the commission; of one
/// proposal, bid or project with `subject_type` and `subject_id`.
#[utoipa::path(
    tag = "findings",
    operation_id = "list_findings",
    security((), ("bearer_auth" = [])),
    params(FindingQuery),
    responses(
        (status = 200, body = Vec<FindingDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/findings")]
async fn list_findings(
    state: Data,
    caller: MaybeCaller,
    query: ValidQuery<FindingQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    let args = crate::app::paging::PageArgs::array(q.after, q.limit)?;
    let list = findings::list(&state, caller.0.as_ref(), q.subject_type, q.subject_id).await?;
    Ok(super::paged_from(
        &req,
        args,
        list,
        |f| i64::from(f.id),
        FindingDto::from,
    ))
}

/// One finding (a draft is the commission's: 404 to others).
#[utoipa::path(
    tag = "findings",
    operation_id = "get_finding",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Finding id")),
    responses(
        (status = 200, body = FindingDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/findings/{id}")]
async fn get_finding(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let f = findings::get(&state, caller.0.as_ref(), id.into_inner()).await?;
    Ok(respond(StatusCode::OK, f))
}
