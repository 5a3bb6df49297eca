//! GB/T 4754-2017 industry classes.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::reference::{ClassQuery, ImportResult, IndustryClassDto};
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::ValidJson;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_industry_classes)
        .service(import_industry_classes);
}

/// Industry classes (anyone), e.g. `?parent=26` for the 中类 of 26.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_industry_classes",
    security(),
    params(ClassQuery),
    responses((status = 200, body = Vec<IndustryClassDto>, headers(("ETag" = String), ("Cache-Control" = String))), (status = 304, description = "Not modified: `If-None-Match` names the current ETag"), (status = 400, response = crate::error::responses::BadRequest), (status = 422, response = crate::error::responses::Unprocessable))
)]
#[get("/industry-classes")]
async fn list_industry_classes(
    state: Data,
    req: HttpRequest,
    query: web::Query<ClassQuery>,
) -> Result<HttpResponse> {
    let body =
        app::public_cache::industry_classes(&state, query.parent.as_deref(), query.level, |rows| {
            serde_json::to_vec(
                &rows
                    .into_iter()
                    .map(IndustryClassDto::from)
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(super::cached(&req, &body))
}

/// Import classes in bulk (commission only). Every row is checked — a 3-digit code's parent is its
/// first 2 digits, a 4-digit code's its first 3 — and one bad row imports nothing. An existing code
/// is renamed.
#[utoipa::path(
    tag = "reference",
    operation_id = "import_industry_classes",
    security(("bearer_auth" = [])),
    request_body(content = Vec<IndustryClassDto>, example = json!([{"code": "2684", "name": "化妆品制造", "parent": "268"}])),
    responses(
        (status = 200, body = ImportResult),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/industry-classes/import")]
async fn import_industry_classes(
    state: Data,
    caller: Caller,
    body: ValidJson<Vec<IndustryClassDto>>,
) -> Result<web::Json<ImportResult>> {
    let rows = body.0.into_iter().map(Into::into).collect();
    let imported = app::reference::import_industry_classes(&state, &caller, rows).await?;
    Ok(web::Json(ImportResult { imported }))
}
