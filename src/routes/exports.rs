//! Spreadsheet exports for the panel: a round's scores with the explanation of its list, a
//! selection run's explanation, a call's ranking with the score sheets, and the public notices
//! (公示), as XLSX (one sheet per part) or CSV (the first part). The format is the path's
//! extension (`.xlsx`, `.csv`), or on the `…/export` path `?format=xlsx|csv`, else the `Accept`
//! header (content negotiation: the XLSX media type, `text/csv`, wildcards; XLSX when absent);
//! an `Accept` that allows neither is a 406 naming it. Headers are in zh-CN unless `?lang=en` or
//! `Accept-Language` asks for English.

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
        .service(get_ranking_csv)
        .service(get_ranking_export)
        .service(get_explanation_xlsx)
        .service(get_explanation_csv)
        .service(get_explanation_export)
        .service(get_notices_xlsx)
        .service(get_notices_csv)
        .service(get_notices_export);
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
    /// `xlsx` or `csv`; without it the `Accept` header chooses (XLSX when absent or `*/*`).
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

/// The format of an `…/export` request: `?format=` first, then `Accept` (the highest `q` among
/// the XLSX media type, `text/csv` and wildcards; XLSX on ties and when absent).
///
/// # Errors
/// 406 naming `Accept` when it allows neither format.
pub fn negotiate(req: &HttpRequest, format: Option<Format>) -> Result<Format> {
    if let Some(f) = format {
        return Ok(f);
    }
    let accept: Vec<&str> = req
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        // A media range is type/subtype; anything else is disregarded (RFC 9110 §12.5.1
        // lets a server disregard an Accept it cannot honour).
        .filter(|r| {
            r.split(';')
                .next()
                .and_then(|m| m.trim().split_once('/'))
                .is_some_and(|(t, s)| !t.is_empty() && !s.is_empty())
        })
        .collect();
    // No Accept, or only empty or malformed ones (no media range): no preference.
    if accept.is_empty() {
        return Ok(Format::Xlsx);
    }
    let mut best: Option<(Format, u16, u8)> = None;
    for range in &accept {
        let mut pieces = range.split(';');
        let media = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .next()
            .map_or(Some(1000), crate::i18n::parse_q);
        let Some(q) = q.filter(|q| *q > 0) else {
            continue;
        };
        // Each format this range allows, with how specific the match is (exact beats wildcard).
        let matches: &[(Format, u8)] = match media.as_str() {
            XLSX => &[(Format::Xlsx, 2)],
            "text/csv" => &[(Format::Csv, 2)],
            "application/*" => &[(Format::Xlsx, 1)],
            "text/*" => &[(Format::Csv, 1)],
            "*/*" => &[(Format::Xlsx, 0), (Format::Csv, 0)],
            _ => &[],
        };
        for &(f, specific) in matches {
            let better = best.is_none_or(|(bf, bq, bs)| {
                q > bq
                    || (q == bq && specific > bs)
                    || (q == bq && specific == bs && f == Format::Xlsx && bf != f)
            });
            if better {
                best = Some((f, q, specific));
            }
        }
    }
    best.map(|(f, _, _)| f).ok_or_else(|| {
        ApiError::NotAcceptable(crate::msg!(
            "not-acceptable-accept-header-allows-neither-nor",
            XLSX = XLSX
        ))
    })
}

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

/// The round's scores in the format asked by `?format=` or `Accept` (commission only); the same content as
/// `scores.xlsx` and `scores.csv`.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_scores_export",
    security(("bearer_auth" = [])),
    params(
        ("year" = i32, Path, description = "The round's year"),
        ExportQuery,
        ("Accept" = Option<String>, Header, description = "Used when `format` is absent: the XLSX media type or `text/csv` (wildcards allowed); XLSX when absent.")
    ),
    responses(
        (status = 200, description = "The workbook or the CSV",
         content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv")
         )),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 406, response = crate::error::responses::NotAcceptable)
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
    let format = negotiate(&req, q.0.format)?;
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

/// A call's ranking and score sheets in the format asked by `?format=` or `Accept`; the same
/// content and access as `ranking.xlsx` and `ranking.csv`.
#[utoipa::path(
    tag = "award",
    operation_id = "get_ranking_export",
    security((), ("bearer_auth" = [])),
    params(
        ("id" = i32, Path, description = "Call id"),
        ExportQuery,
        ("Accept" = Option<String>, Header, description = "Used when `format` is absent: the XLSX media type or `text/csv` (wildcards allowed); XLSX when absent.")
    ),
    responses(
        (status = 200, description = "The workbook or the CSV",
         content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv")
         )),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 406, response = crate::error::responses::NotAcceptable),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[get("/calls/{id}/ranking/export")]
async fn get_ranking_export(
    state: Data,
    caller: MaybeCaller,
    req: HttpRequest,
    id: crate::extract::IntPath,
    q: ValidQuery<ExportQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    let format = negotiate(&req, q.0.format)?;
    ranking(&state, caller.0.as_ref(), lang, id.into_inner(), format).await
}

async fn explanation(
    state: &Data,
    caller: &Caller,
    lang: Lang,
    id: i32,
    format: Format,
) -> Result<HttpResponse> {
    let (run, names) = app::exports::explanation(state, caller, id).await?;
    answer(
        &exports::run_tables(&run, &names, lang),
        format,
        &format!("jiebang-selection-{id}-explanation"),
    )
}

/// A selection run's explanation as a workbook (commission only, as `GET /selections/{id}`):
/// the chosen in rank order with district and cluster names, score parts, totals and margins;
/// the left out with the reason each was not chosen and the cost of forcing it in; the range
/// each weight can move without changing the list. Chinese headers, frozen header rows,
/// numbers as numbers.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_explanation_xlsx",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Selection run id"), LangQuery),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/selections/{id}/explanation.xlsx")]
async fn get_explanation_xlsx(
    state: Data,
    caller: Caller,
    req: HttpRequest,
    id: crate::extract::IntPath,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    explanation(&state, &caller, lang, id.into_inner(), Format::Xlsx).await
}

/// A selection run's chosen list as CSV (commission only): the first sheet of the workbook.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_explanation_csv",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Selection run id"), LangQuery),
    responses(
        (status = 200, description = "The chosen list", content_type = "text/csv", body = String),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/selections/{id}/explanation.csv")]
async fn get_explanation_csv(
    state: Data,
    caller: Caller,
    req: HttpRequest,
    id: crate::extract::IntPath,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    explanation(&state, &caller, lang, id.into_inner(), Format::Csv).await
}

/// A selection run's explanation in the format asked by `?format=` or `Accept` (commission
/// only); the same content as `explanation.xlsx` and `explanation.csv`.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_explanation_export",
    security(("bearer_auth" = [])),
    params(
        ("id" = i32, Path, description = "Selection run id"),
        ExportQuery,
        ("Accept" = Option<String>, Header, description = "Used when `format` is absent: the XLSX media type or `text/csv` (wildcards allowed); XLSX when absent.")
    ),
    responses(
        (status = 200, description = "The workbook or the CSV",
         content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv")
         )),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 406, response = crate::error::responses::NotAcceptable)
    )
)]
#[get("/selections/{id}/explanation/export")]
async fn get_explanation_export(
    state: Data,
    caller: Caller,
    req: HttpRequest,
    id: crate::extract::IntPath,
    q: ValidQuery<ExportQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    let format = negotiate(&req, q.0.format)?;
    explanation(&state, &caller, lang, id.into_inner(), format).await
}

async fn notices(state: &Data, lang: Lang, format: Format) -> Result<HttpResponse> {
    let n = app::exports::notices(state).await?;
    answer(
        &exports::notices_tables(&n, lang),
        format,
        "jiebang-notices",
    )
}

/// The public notices (公示) as a workbook (anyone, as `GET /notices`): one line per call under
/// notice or awarded (direction, status, notice period, bids, winners, objections counted);
/// the winners with their budgets; the answered objections with their answers, never the
/// objector.
#[utoipa::path(
    tag = "award",
    operation_id = "get_notices_xlsx",
    security(),
    params(LangQuery),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, response = crate::error::responses::BadRequest)
    )
)]
#[get("/notices.xlsx")]
async fn get_notices_xlsx(
    state: Data,
    req: HttpRequest,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    notices(&state, lang, Format::Xlsx).await
}

/// The public notices (公示) as CSV (anyone): the first sheet of the workbook.
#[utoipa::path(
    tag = "award",
    operation_id = "get_notices_csv",
    security(),
    params(LangQuery),
    responses(
        (status = 200, description = "The notices", content_type = "text/csv", body = String),
        (status = 400, response = crate::error::responses::BadRequest)
    )
)]
#[get("/notices.csv")]
async fn get_notices_csv(
    state: Data,
    req: HttpRequest,
    q: ValidQuery<LangQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    notices(&state, lang, Format::Csv).await
}

/// The public notices (公示) in the format asked by `?format=` or `Accept` (anyone); the same
/// content as `notices.xlsx` and `notices.csv`.
#[utoipa::path(
    tag = "award",
    operation_id = "get_notices_export",
    security(),
    params(
        ExportQuery,
        ("Accept" = Option<String>, Header, description = "Used when `format` is absent: the XLSX media type or `text/csv` (wildcards allowed); XLSX when absent.")
    ),
    responses(
        (status = 200, description = "The workbook or the CSV",
         content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv")
         )),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 406, response = crate::error::responses::NotAcceptable)
    )
)]
#[get("/notices/export")]
async fn get_notices_export(
    state: Data,
    req: HttpRequest,
    q: ValidQuery<ExportQuery>,
) -> Result<HttpResponse> {
    let lang = lang_of(&req, q.0.lang.as_deref());
    let format = negotiate(&req, q.0.format)?;
    notices(&state, lang, format).await
}
