//! The "33618" cluster system.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::views::history::EventEntry;
use super::views::reference::{ClusterDto, CreateCluster, UpdateCluster};
use super::views::HistoryQuery;
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_clusters)
        .service(create_cluster)
        .service(update_cluster)
        .service(get_cluster_history);
}

/// Every cluster (anyone).
#[utoipa::path(
    tag = "reference",
    operation_id = "list_clusters",
    security(),
    responses(
        (status = 200, body = Vec<ClusterDto>, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified: `If-None-Match` names the current ETag")
    )
)]
#[get("/clusters")]
async fn list_clusters(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let body = app::public_cache::clusters(&state, |rows| {
        serde_json::to_vec(&rows.into_iter().map(ClusterDto::from).collect::<Vec<_>>())
    })
    .await?;
    Ok(super::cached(&req, &body))
}

/// Add a cluster, e.g. one of the 18 新星 clusters (commission only).
#[utoipa::path(
    tag = "reference",
    operation_id = "create_cluster",
    security(("bearer_auth" = [])),
    request_body = CreateCluster,
    responses(
        (status = 201, body = ClusterDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/clusters")]
async fn create_cluster(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateCluster>,
) -> Result<HttpResponse> {
    let b = body.0;
    let c = app::reference::create_cluster(&state, &caller, b.code, b.name, b.tier).await?;
    Ok(HttpResponse::Created().json(ClusterDto::from(c)))
}

/// Rename a cluster or change its tier (commission only).
#[utoipa::path(
    tag = "reference",
    operation_id = "update_cluster",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "Cluster code")),
    request_body(content = UpdateCluster, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, body = ClusterDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[patch("/clusters/{code}")]
async fn update_cluster(
    state: Data,
    caller: Caller,
    code: web::Path<String>,
    body: ValidJson<UpdateCluster>,
) -> Result<web::Json<ClusterDto>> {
    let b = body.0;
    let c = app::reference::update_cluster(&state, &caller, &code, b.name, b.tier).await?;
    Ok(web::Json(c.into()))
}

/// A cluster's changes, oldest first, each with its actor and what changed (anyone).
#[utoipa::path(
    tag = "reference",
    operation_id = "get_cluster_history",
    security(),
    params(("code" = String, Path, description = "Cluster code"), HistoryQuery),
    responses((status = 200, body = Vec<EventEntry>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))), (status = 400, response = crate::error::responses::BadRequest), (status = 404, response = crate::error::responses::NotFound), (status = 422, response = crate::error::responses::Unprocessable))
)]
#[get("/clusters/{code}/history")]
async fn get_cluster_history(
    state: Data,
    code: web::Path<String>,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::reference::cluster_history(&state, &code, query.0.args()?).await?;
    let items: Vec<EventEntry> = page.items.into_iter().map(Into::into).collect();
    Ok(super::paged(&req, &items, page.next))
}
