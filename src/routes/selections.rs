//! Selection (揭榜挂帅 step 2): score the eligible pool on the notice's three criteria and choose
//! the list exactly, with explanations and replay.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::selection::{
    LeftOutQuery, Replay, RoundScores, ScoreQuery, SelectionRequest, SelectionRun, SelectionSummary,
};
use super::views::PageQuery;
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(round_scores)
        .service(create_selection)
        .service(list_selections)
        .service(get_selection)
        .service(replay_selection);
}

/// The pool's proposals' three scores, their parts and the weighted total, strongest first
/// (commission only), filtered and a page at a time (`limit`, `after`: the next page's cursor is
/// `summary.next_after` and the `Link: <…>; rel="next"` header), with a summary over every match.
/// 409 when the pool kept changing while it was scored (ask again).
#[utoipa::path(
    tag = "selection",
    operation_id = "get_round_scores",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), ScoreQuery),
    responses(
        (status = 200, body = RoundScores, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there is one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[get("/rounds/{year}/scores")]
async fn round_scores(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    query: ValidQuery<ScoreQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let year = year.into_inner();
    let scores =
        app::selection::scores(&state, &caller, year, query.into_inner().try_into()?).await?;
    let body = RoundScores::from(scores);
    let mut res = HttpResponse::Ok();
    if let Some(after) = &body.summary.next_after {
        res.insert_header((header::LINK, super::next_link(&req, after)));
    }
    Ok(res.json(body))
}

/// Run the selection (commission only): an exact integer program over the round's eligible pool.
/// Omitted members of the body, and of its `constraints`, take the round's settings. Returns the
/// run with its inputs hash, solver, objective, the chosen list in rank order and the
/// explanation (of the strongest 100 left out; `GET /selections/{id}` has the rest). Infeasible constraints → 422 with `conflicts` (what cannot hold together) and
/// `relaxations`: each `{target, change, field, value, text}` is one change that, applied alone,
/// allows a list (each was checked by solving with it). `target` `selection` edits this body
/// (`change` `set`: put `value` at `field`, e.g. `constraints.max_per_district`; `remove`: drop
/// the proposal ids in `value` from `pins` or `exclusions`); `round` edits the round
/// (`PATCH /rounds/{year}`, e.g. `list_size`). Values are in the unit the target takes
/// (`min_completeness` in hundredths of a point). 409 when the pool kept changing while it was
/// scored (run again).
#[utoipa::path(
    tag = "selection",
    operation_id = "create_selection",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = SelectionRequest,
    responses(
        (status = 201, body = SelectionRun),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/selections")]
async fn create_selection(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    body: ValidJson<SelectionRequest>,
) -> Result<HttpResponse> {
    let run = app::selection::run(&state, &caller, year.into_inner(), body.0.into()).await?;
    let run = app::selection::LeftOutWindow::default().apply(run)?;
    Ok(HttpResponse::Created().json(SelectionRun::from(run)))
}

/// One selection run (commission only), explaining a window of its left-out proposals, strongest
/// first: the first 100 unless asked (`left_out_offset`, `left_out_limit` up to 5000; the next
/// window's offset is `left_out_page.next_offset`).
#[utoipa::path(
    tag = "selection",
    operation_id = "get_selection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Selection run id"), LeftOutQuery),
    responses(
        (status = 200, body = SelectionRun),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/selections/{id}")]
async fn get_selection(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<LeftOutQuery>,
) -> Result<web::Json<SelectionRun>> {
    let run =
        app::selection::get_window(&state, &caller, id.into_inner(), query.into_inner().into())
            .await?;
    Ok(web::Json(run.into()))
}

/// The round's selection runs, oldest first (commission only).
#[utoipa::path(
    tag = "selection",
    operation_id = "list_selections",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), PageQuery),
    responses(
        (status = 200, body = Vec<SelectionSummary>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/rounds/{year}/selections")]
async fn list_selections(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::selection::page(&state, &caller, year.into_inner(), query.0.args()?).await?;
    let items: Vec<SelectionSummary> = page.items.into_iter().map(Into::into).collect();
    Ok(super::paged(&req, &items, page.next))
}

/// Re-solve a run from its stored inputs (not today's data) and compare (commission only).
#[utoipa::path(
    tag = "selection",
    operation_id = "replay_selection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Selection run id")),
    responses(
        (status = 200, body = Replay),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[post("/selections/{id}/replay")]
async fn replay_selection(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Replay>> {
    let replay = app::selection::replay(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(replay.into()))
}
