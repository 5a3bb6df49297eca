//! Charts as SVG, rendered by the server: a selection run's score parts and weight ranges, and a
//! call's ranking with each expert's points (trimmed ones marked). Labels follow
//! `Accept-Language` (English by default, zh-CN when asked).

use actix_web::{get, HttpResponse};

use super::views::charts;
use super::Data;
use crate::app;
use crate::auth::MaybeCaller;
use crate::error::Result;
use crate::i18n;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_selection_chart).service(get_ranking_chart);
}

fn svg(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header(("vary", "Accept-Language"))
        .body(body)
}

/// A selection run as a chart: a stacked bar per chosen and strongest left-out proposal
/// (completeness, representativeness and layout, each weighted), and each weight's stability
/// interval as a range. Any run for the commission; for anyone else a run a published list was
/// drawn from.
#[utoipa::path(
    tag = "selection",
    operation_id = "get_selection_chart",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Selection run id")),
    responses(
        (status = 200, description = "The chart", content_type = "image/svg+xml", body = String),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/selections/{id}/chart.svg")]
async fn get_selection_chart(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let run = app::public::selection(&state, caller.0.as_ref(), id.into_inner()).await?;
    let names = app::public::names(&state).await?;
    let lang = i18n::current();
    Ok(svg(charts::document(&charts::selection(
        &run, &names, lang,
    ))))
}

/// A call's ranking as a chart: each bid's points from each expert on each criterion, the
/// dropped highest and lowest marked. Who may read it is who may read the ranking: the
/// commission once the bids are opened, anyone from the notice on (experts anonymised).
#[utoipa::path(
    tag = "award",
    operation_id = "get_ranking_chart",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, description = "The chart", content_type = "image/svg+xml", body = String),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[get("/calls/{id}/ranking.svg")]
async fn get_ranking_chart(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let ranking = app::award::ranking(&state, caller.0.as_ref(), id.into_inner()).await?;
    Ok(svg(charts::document(&charts::ranking(
        &ranking,
        i18n::current(),
    ))))
}
