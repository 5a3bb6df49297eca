//! Applicant organisations (建设主体 / 揭榜方).

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::history::EventEntry;
use super::views::organisations::{CreateOrganisation, OrganisationDto};
use super::views::{HistoryQuery, PageQuery};
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_organisation)
        .service(list_organisations)
        .service(get_organisation)
        .service(get_organisation_history);
}

/// Register an applicant organisation (commission, or a district officer for its own district).
#[utoipa::path(
    tag = "organisations",
    operation_id = "create_organisation",
    security(("bearer_auth" = [])),
    request_body = CreateOrganisation,
    responses(
        (status = 201, body = OrganisationDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/organisations")]
async fn create_organisation(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateOrganisation>,
) -> Result<HttpResponse> {
    let org = app::organisations::create(&state, &caller, body.0.into()).await?;
    Ok(HttpResponse::Created().json(OrganisationDto::from(org)))
}

/// List organisations the caller may see, in id order, a page at a time (`after`, `limit`; the
/// next page in the `Link` header).
#[utoipa::path(
    tag = "organisations",
    operation_id = "list_organisations",
    security(("bearer_auth" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = Vec<OrganisationDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/organisations")]
async fn list_organisations(
    state: Data,
    caller: Caller,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::organisations::list(&state, &caller, query.0.args()?).await?;
    let items: Vec<OrganisationDto> = page.items.into_iter().map(Into::into).collect();
    Ok(super::paged(&req, &items, page.next))
}

/// One organisation, if the caller may see it.
#[utoipa::path(
    tag = "organisations",
    operation_id = "get_organisation",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Organisation id")),
    responses(
        (status = 200, body = OrganisationDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/organisations/{id}")]
async fn get_organisation(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<OrganisationDto>> {
    let org = app::organisations::get(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(org.into()))
}

/// An organisation's history, oldest first, each change with its actor (the commission, and the
/// organisation's own applicant accounts).
#[utoipa::path(
    tag = "organisations",
    operation_id = "get_organisation_history",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Organisation id"), HistoryQuery),
    responses(
        (status = 200, body = Vec<EventEntry>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/organisations/{id}/history")]
async fn get_organisation_history(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page =
        app::organisations::history(&state, &caller, id.into_inner(), query.0.args()?).await?;
    let items: Vec<EventEntry> = page.items.into_iter().map(Into::into).collect();
    Ok(super::paged(&req, &items, page.next))
}
