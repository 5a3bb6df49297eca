//! District inventories (二.1 and 三(一) of the notice): a district's leading (链主) and 专精特新
//! enterprises and its characteristic clusters, and a proposal's claims set beside them.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::views::inventories::{
    respond_cluster, respond_enterprise, CharacteristicClusterBody, CharacteristicClusterQuery,
    DistrictClusterDto, EnterpriseBody, EnterpriseDto, EnterpriseQuery, InventoryCheckDto,
};
use super::Data;
use crate::app::inventories;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{IfMatch, ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_district_enterprises)
        .service(create_district_enterprise)
        .service(replace_district_enterprise)
        .service(list_characteristic_clusters)
        .service(create_characteristic_cluster)
        .service(replace_characteristic_cluster)
        .service(get_inventory_check);
}

/// A district's inventory of enterprises: its leading (领军（链主）) and 专精特新 enterprises (any
/// signed-in user), of one list with `kind` or one cluster with `cluster`.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_district_enterprises",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "District code"), EnterpriseQuery),
    responses(
        (status = 200, body = Vec<EnterpriseDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/districts/{code}/enterprises")]
async fn list_district_enterprises(
    state: Data,
    _caller: Caller,
    code: web::Path<String>,
    query: ValidQuery<EnterpriseQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    let args = crate::app::paging::PageArgs::array(q.after, q.limit)?;
    let list = inventories::enterprises(&state, &code, q.kind, q.cluster.as_deref()).await?;
    Ok(super::paged_from(
        &req,
        args,
        list,
        |e| i64::from(e.id),
        EnterpriseDto::from,
    ))
}

/// List an enterprise in a district's inventory (the commission, or the district's own
/// officer). An enterprise is listed once per district and list (`kind`).
#[utoipa::path(
    tag = "reference",
    operation_id = "create_district_enterprise",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "District code")),
    request_body = EnterpriseBody,
    responses(
        (status = 201, body = EnterpriseDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/districts/{code}/enterprises")]
async fn create_district_enterprise(
    state: Data,
    caller: Caller,
    code: web::Path<String>,
    body: ValidJson<EnterpriseBody>,
) -> Result<HttpResponse> {
    let e = inventories::add_enterprise(&state, &caller, &code, body.0.into()).await?;
    Ok(respond_enterprise(StatusCode::CREATED, e))
}

/// Replace an enterprise of a district's inventory (the commission, or the district's own
/// officer), naming the version read in `If-Match`.
#[utoipa::path(
    tag = "reference",
    operation_id = "replace_district_enterprise",
    security(("bearer_auth" = [])),
    params(
        ("code" = String, Path, description = "District code"),
        ("id" = i32, Path, description = "Inventory entry id"),
        ("If-Match" = String, Header, description = "The ETag you read")
    ),
    request_body = EnterpriseBody,
    responses(
        (status = 200, body = EnterpriseDto, headers(("ETag" = String))),
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
#[put("/districts/{code}/enterprises/{id}")]
async fn replace_district_enterprise(
    state: Data,
    caller: Caller,
    path: web::Path<(String, i32)>,
    if_match: IfMatch,
    body: ValidJson<EnterpriseBody>,
) -> Result<HttpResponse> {
    let (code, id) = path.into_inner();
    let e = inventories::replace_enterprise(&state, &caller, &code, id, &if_match, body.0.into())
        .await?;
    Ok(respond_enterprise(StatusCode::OK, e))
}

/// A district's characteristic clusters (特色产业集群) by data year (any signed-in user), of one
/// "33618" cluster with `cluster`.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_characteristic_clusters",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "District code"), CharacteristicClusterQuery),
    responses(
        (status = 200, body = Vec<DistrictClusterDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/districts/{code}/characteristic-clusters")]
async fn list_characteristic_clusters(
    state: Data,
    _caller: Caller,
    code: web::Path<String>,
    query: ValidQuery<CharacteristicClusterQuery>,
) -> Result<web::Json<Vec<DistrictClusterDto>>> {
    let q = query.into_inner();
    let list = inventories::clusters(&state, &code, q.cluster.as_deref()).await?;
    Ok(web::Json(
        list.into_iter().map(DistrictClusterDto::from).collect(),
    ))
}

/// Record a characteristic cluster of a district for a data year (the commission, or the
/// district's own officer): one record per cluster and year.
#[utoipa::path(
    tag = "reference",
    operation_id = "create_characteristic_cluster",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "District code")),
    request_body = CharacteristicClusterBody,
    responses(
        (status = 201, body = DistrictClusterDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/districts/{code}/characteristic-clusters")]
async fn create_characteristic_cluster(
    state: Data,
    caller: Caller,
    code: web::Path<String>,
    body: ValidJson<CharacteristicClusterBody>,
) -> Result<HttpResponse> {
    let c = inventories::add_cluster(&state, &caller, &code, body.0.into()).await?;
    Ok(respond_cluster(StatusCode::CREATED, c))
}

/// Replace a characteristic cluster record (the commission, or the district's own officer),
/// naming the version read in `If-Match`.
#[utoipa::path(
    tag = "reference",
    operation_id = "replace_characteristic_cluster",
    security(("bearer_auth" = [])),
    params(
        ("code" = String, Path, description = "District code"),
        ("id" = i32, Path, description = "Characteristic cluster id"),
        ("If-Match" = String, Header, description = "The ETag you read")
    ),
    request_body = CharacteristicClusterBody,
    responses(
        (status = 200, body = DistrictClusterDto, headers(("ETag" = String))),
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
#[put("/districts/{code}/characteristic-clusters/{id}")]
async fn replace_characteristic_cluster(
    state: Data,
    caller: Caller,
    path: web::Path<(String, i32)>,
    if_match: IfMatch,
    body: ValidJson<CharacteristicClusterBody>,
) -> Result<HttpResponse> {
    let (code, id) = path.into_inner();
    let c =
        inventories::replace_cluster(&state, &caller, &code, id, &if_match, body.0.into()).await?;
    Ok(respond_cluster(StatusCode::OK, c))
}

/// A proposal's claims set beside its district's inventory (whoever may read the proposal): the
/// chain leader (by its `inventory_id`, else by name in the district), the cluster figures
/// against the district's characteristic cluster of that cluster and year, and each referenced
/// supplier; each claim `match`, `mismatch`, `not_in_inventory`, `other_district` or
/// `wrong_kind`, with the claimed and the recorded value. The score does not use it.
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_inventory_check",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id")),
    responses(
        (status = 200, body = InventoryCheckDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/proposals/{id}/inventory-check")]
async fn get_inventory_check(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<InventoryCheckDto>> {
    let c = inventories::check(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(c.into()))
}
