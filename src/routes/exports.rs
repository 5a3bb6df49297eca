//! Spreadsheet exports for the panel: a round's scores with the explanation of its list, and a
//! call's ranking with the score sheets, as XLSX (one sheet per part) or CSV (the first part).
//! The format is the path's extension, or `?format=xlsx|csv` on the plain path. Headers are in
//! zh-CN unless `?lang=en` or `Accept-Language` asks for English.

use actix_web::http::header;
use actix_web::{get, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::views::exports::{self, Table};
use super::Data;
use crate::app;
use crate::auth::{Caller, MaybeCaller};
use crate::error::{ApiError, Result};
use crate::extract::ValidQuery;
use crate::i18n::Lang;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_scores_xlsx)
        .service(get_scores_csv)
        .service(get_scores_export)
        .service(get_ranking_xlsx)
        .service(get_ranking_csv);
}

/// A spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv`.
    #[param(inline)]
    pub format: Option<Format>,
    /// `zh` (default) or `en`: the language of the headers and labels.
    pub lang: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LangQuery {
    /// `zh` (default) or `en`: the language of the headers and labels.
    pub lang: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `?lang=`, then `Accept-Language`, then zh-CN: spreadsheets are for people.
fn lang_of(req: &HttpRequest, param: Option<&str>) -> Lang {
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    param
        .and_then(Lang::from_param)
        .unwrap_or_else(|| Lang::from_accept_language(accept, Lang::Zh))
}

fn answer(tables: &[Table], format: Format, name: &str) -> Result<HttpResponse> {
    let (body, content_type, ext) = match format {
        Format::Xlsx => (
            exports::xlsx(tables).map_err(|e| {
                ApiError::Unexpected(anyhow::Error::new(e).context("writing the workbook"))
            })?,
            XLSX,
            "xlsx",
        ),
        Format::Csv => (
            tables.first().map(exports::csv).unwrap_or_default(),
            "text/csv; charset=utf-8",
            "csv",
        ),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.{ext}\""),
        ))
        .body(body))
}

async fn scores(
    state: &Data,
    caller: &Caller,
    lang: Lang,
    year: i32,
    format: Format,
) -> Result<HttpResponse> {
    let e = app::exports::scores(state, caller, year).await?;
    answer(
        &exports::scores_tables(&e, lang),
        format,
        &format!("jiebang-{year}-scores"),
    )
}

/// The round's scores as a workbook (commission only): the pool's three scores and weighted
/// totals with district and cluster names, each score's parts, and the explaining run (the
/// current list's, else the latest): chosen with margins, left out with reasons and forcing
/// costs, weight ranges. Chinese headers, frozen header rows, numbers as numbers.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_scores_xlsx",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), LangQuery),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/scores.xlsx")]
async fn get_scores_xlsx(
    state: Data,
    caller: Caller,
    req: HttpRequest,
    year: crate::extract::IntPath,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    scores(&state, &caller, lang, year.into_inner(), Format::Xlsx).await
}

/// The round's scores as CSV (commission only): the pool's sheet of the workbook.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_scores_csv",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), LangQuery),
    responses(
        (status = 200, description = "The pool's scores", content_type = "text/csv", body = String),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/scores.csv")]
async fn get_scores_csv(
    state: Data,
    caller: Caller,
    req: HttpRequest,
    year: crate::extract::IntPath,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    scores(&state, &caller, lang, year.into_inner(), Format::Csv).await
}

/// The round's scores in the format asked by `?format=` (commission only); the same content as
/// `scores.xlsx` and `scores.csv`.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_scores_export",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), ExportQuery),
    responses(
        (status = 200, description = "The workbook or the CSV",
         content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv")
         )),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/scores/export")]
async fn get_scores_export(
    state: Data,
    caller: Caller,
    req: HttpRequest,
    year: crate::extract::IntPath,
    q: ValidQuery<ExportQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    let format = q.0.format.unwrap_or(Format::Xlsx);
    scores(&state, &caller, lang, year.into_inner(), format).await
}

async fn ranking(
    state: &Data,
    caller: Option<&Caller>,
    lang: Lang,
    id: i32,
    format: Format,
) -> Result<HttpResponse> {
    let (call, r) = app::exports::ranking(state, caller, id).await?;
    answer(
        &exports::ranking_tables(&r, lang),
        format,
        &format!("jiebang-call-{}-ranking", call.call.id),
    )
}

/// A call's ranking and score sheets as a workbook: per bid and criterion the weight, the mean,
/// the dropped highest and lowest and the total; then every expert's points. Who may read it is
/// who may read the ranking (the commission once opened, anyone from the notice on, experts
/// anonymised).
#[utoipa::path(
    tag = "award",
    operation_id = "get_ranking_xlsx",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id"), LangQuery),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[get("/calls/{id}/ranking.xlsx")]
async fn get_ranking_xlsx(
    state: Data,
    caller: MaybeCaller,
    req: HttpRequest,
    id: crate::extract::IntPath,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    ranking(
        &state,
        caller.0.as_ref(),
        lang,
        id.into_inner(),
        Format::Xlsx,
    )
    .await
}

/// A call's ranking as CSV: the ranking sheet of the workbook.
#[utoipa::path(
    tag = "award",
    operation_id = "get_ranking_csv",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id"), LangQuery),
    responses(
        (status = 200, description = "The ranking", content_type = "text/csv", body = String),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[get("/calls/{id}/ranking.csv")]
async fn get_ranking_csv(
    state: Data,
    caller: MaybeCaller,
    req: HttpRequest,
    id: crate::extract::IntPath,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    ranking(
        &state,
        caller.0.as_ref(),
        lang,
        id.into_inner(),
        Format::Csv,
    )
    .await
}
