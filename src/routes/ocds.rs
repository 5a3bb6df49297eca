//! The OCDS 1.1 export for data platforms: release packages, record packages, the bulk file of a
//! year and the extension's files. Anonymous: public data only.

use actix_web::{get, web, HttpResponse};
use futures_util::StreamExt;

use super::views::ocds::{ExtensionFile, RecordPackage, ReleasePackage, ReleasesQuery, YearQuery};
use super::Data;
use crate::app::ocds;
use crate::error::Result;
use crate::extract::ValidQuery;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_releases)
        .service(get_records)
        .service(get_record)
        .service(get_bulk)
        .service(get_extension_file);
}

/// OCDS releases in log order from a cursor (a position in the event log): a release at each
/// public stage of each contracting process (list item). Resume from `links.next` (or the
/// `x-next-cursor` header).
#[utoipa::path(
    tag = "platform",
    operation_id = "get_releases",
    security(),
    params(ReleasesQuery),
    responses(
        (status = 200, body = ReleasePackage,
         headers(("x-next-cursor" = i64, description = "The cursor of the next page"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/ocds/releases")]
async fn get_releases(state: Data, query: ValidQuery<ReleasesQuery>) -> Result<HttpResponse> {
    let q = query.into_inner();
    let page = ocds::releases(&state, q.after.unwrap_or(0), q.limit.unwrap_or(100)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("x-next-cursor", page.next.to_string()))
        .json(ReleasePackage(page.package)))
}

/// The records of a year's contracting processes: every release of each and its compiled
/// release.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_records",
    security(),
    params(YearQuery),
    responses(
        (status = 200, body = RecordPackage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/ocds/records")]
async fn get_records(
    state: Data,
    query: ValidQuery<YearQuery>,
) -> Result<web::Json<RecordPackage>> {
    let q = query.into_inner();
    Ok(web::Json(RecordPackage(
        ocds::records(&state, q.year).await?,
    )))
}

/// The record of one contracting process (`ocid` = prefix `-<year>-<list item>`).
#[utoipa::path(
    tag = "platform",
    operation_id = "get_record",
    security(),
    params(("ocid" = String, Path, description = "The contracting process's ocid")),
    responses(
        (status = 200, body = RecordPackage),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/ocds/records/{ocid}")]
async fn get_record(state: Data, ocid: web::Path<String>) -> Result<web::Json<RecordPackage>> {
    Ok(web::Json(RecordPackage(ocds::record(&state, &ocid).await?)))
}

/// Every release of a year as JSON Lines (one release a line), streamed a process at a time.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_bulk",
    security(),
    params(YearQuery),
    responses(
        (status = 200, content_type = "application/jsonl", body = String,
         description = "One OCDS release per line"),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/ocds/bulk")]
async fn get_bulk(state: Data, query: ValidQuery<YearQuery>) -> Result<HttpResponse> {
    let q = query.into_inner();
    let lines = ocds::bulk(state.into_inner(), q.year).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/jsonl")
        .streaming(lines.map(|r| r.map(web::Bytes::from))))
}

/// A file of the OCDS extension this service's packages declare: `extension.json`,
/// `release-schema.json` or `README.md`.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_extension_file",
    security(),
    params(("file" = String, Path, description = "extension.json, release-schema.json or README.md")),
    responses(
        (status = 200, body = ExtensionFile),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/ocds/extension/{file}")]
async fn get_extension_file(state: Data, file: web::Path<String>) -> Result<HttpResponse> {
    Ok(match ocds::extension_file(&state, &file)? {
        ocds::ExtensionFile::Json(v) => HttpResponse::Ok().json(ExtensionFile(v)),
        ocds::ExtensionFile::Text(t) => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(t),
    })
}
