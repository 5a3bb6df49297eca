//! Districts and zones, with their industry maps.

use actix_web::{get, put, web, HttpRequest, HttpResponse};

use super::views::history::EventEntry;
use super::views::reference::{DistrictDto, DistrictQuery};
use super::views::HistoryQuery;
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::domain::industry_map::IndustryMap;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_districts)
        .service(get_district)
        .service(put_industry_map)
        .service(get_district_history);
}

/// Chongqing's 38 county-level divisions and the three zones (anyone).
#[utoipa::path(
    tag = "reference",
    operation_id = "list_districts",
    security(),
    params(DistrictQuery),
    responses((status = 200, body = Vec<DistrictDto>, headers(("ETag" = String), ("Cache-Control" = String))), (status = 304, description = "Not modified: `If-None-Match` names the current ETag"), (status = 400, response = crate::error::responses::BadRequest))
)]
#[get("/districts")]
async fn list_districts(
    state: Data,
    req: HttpRequest,
    query: web::Query<DistrictQuery>,
) -> Result<HttpResponse> {
    let body = app::public_cache::districts(&state, query.region.as_deref(), |rows| {
        serde_json::to_vec(&rows.into_iter().map(DistrictDto::from).collect::<Vec<_>>())
    })
    .await?;
    Ok(super::cached(&req, &body))
}

/// One district or zone (anyone).
#[utoipa::path(
    tag = "reference",
    operation_id = "get_district",
    security(),
    params(("code" = String, Path, description = "District code")),
    responses((status = 200, body = DistrictDto), (status = 404, response = crate::error::responses::NotFound))
)]
#[get("/districts/{code}")]
async fn get_district(state: Data, code: web::Path<String>) -> Result<web::Json<DistrictDto>> {
    let d = app::reference::district(&state, &code).await?;
    Ok(web::Json(d.into()))
}

/// Replace a district's industry map (commission only): at most 2 leading industries (3 for
/// 两江新区 and 高新区) and 4 characteristic ones, each an existing cluster or industry class.
#[utoipa::path(
    tag = "reference",
    operation_id = "put_industry_map",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "District code")),
    request_body = IndustryMap,
    responses(
        (status = 200, body = DistrictDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/districts/{code}/industry-map")]
async fn put_industry_map(
    state: Data,
    caller: Caller,
    code: web::Path<String>,
    body: ValidJson<IndustryMap>,
) -> Result<web::Json<DistrictDto>> {
    let d = app::reference::set_industry_map(&state, &caller, &code, body.0).await?;
    Ok(web::Json(d.into()))
}

/// The changes of a district's industry map, oldest first, each with its actor and what changed
/// (anyone).
#[utoipa::path(
    tag = "reference",
    operation_id = "get_district_history",
    security(),
    params(("code" = String, Path, description = "District code"), HistoryQuery),
    responses((status = 200, body = Vec<EventEntry>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))), (status = 400, response = crate::error::responses::BadRequest), (status = 404, response = crate::error::responses::NotFound), (status = 422, response = crate::error::responses::Unprocessable))
)]
#[get("/districts/{code}/history")]
async fn get_district_history(
    state: Data,
    code: web::Path<String>,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::reference::district_history(&state, &code, query.0.args()?).await?;
    let items: Vec<EventEntry> = page.items.into_iter().map(Into::into).collect();
    Ok(super::paged(&req, &items, page.next))
}
