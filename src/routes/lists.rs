//! The published list (榜单): immutable versions, each of list items (揭榜项) drawn from a
//! selection run. Publication moves the pool's proposals to `listed` / `not_listed`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::lists::{ListQuery, PublishRequest, PublishedList};
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::ValidJson;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(publish_list).service(get_list);
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
    year: crate::extract::IntPath,
    body: ValidJson<PublishRequest>,
) -> Result<HttpResponse> {
    let list = app::lists::publish(&state, &caller, year.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(PublishedList::from(list)))
}

/// The published list of a round (anyone): the current version, or `?version=N`.
#[utoipa::path(
    tag = "list",
    operation_id = "get_list",
    security(),
    params(("year" = i32, Path, description = "The round's year"), ListQuery),
    responses(
        (status = 200, body = PublishedList, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified: `If-None-Match` names the current ETag"),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/list")]
async fn get_list(
    state: Data,
    req: HttpRequest,
    year: crate::extract::IntPath,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse> {
    let body = app::public_cache::list(&state, year.into_inner(), query.version, |list| {
        serde_json::to_vec(&PublishedList::from(list))
    })
    .await?;
    Ok(super::cached(&req, &body))
}
