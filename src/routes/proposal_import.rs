//! Proposals received on paper before the service existed, entered already sealed.

use actix_web::{post, HttpResponse};

use super::views::proposals::{ImportReport, ImportRow};
use super::Data;
use crate::app::proposals;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::ValidJson;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_proposals);
}

/// Import sealed paper proposals (commission only). All or nothing: every bad row is reported,
/// and one bad row imports none.
#[utoipa::path(
    tag = "proposals",
    operation_id = "import_proposals",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = Vec<ImportRow>,
    responses(
        (status = 201, body = ImportReport),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/proposals/import")]
async fn import_proposals(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    body: ValidJson<Vec<ImportRow>>,
) -> Result<HttpResponse> {
    let rows = body.0.into_iter().map(Into::into).collect();
    let ids = proposals::import(&state, &caller, year.into_inner(), rows).await?;
    Ok(HttpResponse::Created().json(ImportReport {
        imported: ids.len(),
        ids,
    }))
}
