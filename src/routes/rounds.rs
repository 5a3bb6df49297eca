//! Rounds (年度批次): deadline, list size, selection weights, constraints and scoring constants.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::views::history::EventEntry;
use super::views::rounds::{CreateRound, RoundDto, UpdateRound};
use super::views::HistoryQuery;
use super::Data;
use crate::app::rounds::{self, round_etag};
use crate::auth::{Caller, MaybeCaller};
use crate::domain::round::Round;
use crate::error::Result;
use crate::extract::{IfMatch, ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_round)
        .service(list_rounds)
        .service(get_round)
        .service(update_round)
        .service(round_history);
}

fn respond(status: StatusCode, round: Round) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, round_etag(&round)))
        .json(RoundDto::from(round))
}

/// Create the round of a year (commission only). One round per year.
#[utoipa::path(
    tag = "rounds",
    operation_id = "create_round",
    security(("bearer_auth" = [])),
    request_body = CreateRound,
    responses(
        (status = 201, body = RoundDto, headers(("ETag" = String, description = "Send it back in If-Match to change the round"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds")]
async fn create_round(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateRound>,
) -> Result<HttpResponse> {
    let round = rounds::create(&state, &caller, body.0.into()).await?;
    Ok(respond(StatusCode::CREATED, round))
}

/// Every round (anyone).
#[utoipa::path(tag = "rounds", operation_id = "list_rounds", security(), responses((status = 200, body = Vec<RoundDto>)))]
#[get("/rounds")]
async fn list_rounds(state: Data) -> Result<web::Json<Vec<RoundDto>>> {
    let all = rounds::list(&state).await?;
    Ok(web::Json(all.into_iter().map(RoundDto::from).collect()))
}

/// One round (anyone), with its ETag.
#[utoipa::path(
    tag = "rounds",
    operation_id = "get_round",
    security(),
    params(("year" = i32, Path, description = "The round's year")),
    responses(
        (status = 200, body = RoundDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}")]
async fn get_round(state: Data, year: crate::extract::IntPath) -> Result<HttpResponse> {
    let round = rounds::get(&state, year.into_inner()).await?;
    Ok(respond(StatusCode::OK, round))
}

/// Change a round (commission only): title, deadline, list size, weights, constraints, scoring.
/// Requires `If-Match`; a change to the deadline or the weights after intake opened needs a
/// `reason`. Every change is in the round's history.
#[utoipa::path(
    tag = "rounds",
    operation_id = "update_round",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), ("If-Match" = String, Header, description = "The ETag you read")),
    request_body(content = UpdateRound, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, body = RoundDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[patch("/rounds/{year}")]
async fn update_round(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<UpdateRound>,
) -> Result<HttpResponse> {
    let round =
        rounds::update(&state, &caller, year.into_inner(), &if_match, body.0.into()).await?;
    Ok(respond(StatusCode::OK, round))
}

/// Every change of a round, oldest first, with its reason (anyone: rounds are public; the
/// account names of the commission's staff are shown to the commission only).
#[utoipa::path(
    tag = "rounds",
    operation_id = "get_round_history",
    security((), ("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), HistoryQuery),
    responses(
        (status = 200, body = Vec<EventEntry>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/rounds/{year}/history")]
async fn round_history(
    state: Data,
    caller: MaybeCaller,
    year: crate::extract::IntPath,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = rounds::history(&state, year.into_inner(), query.0.args()?).await?;
    let names = caller
        .0
        .as_ref()
        .is_some_and(crate::app::history::sees_names);
    let items: Vec<EventEntry> = page
        .items
        .into_iter()
        .map(|e| EventEntry::shown(e, names))
        .collect();
    Ok(super::paged(&req, &items, page.next))
}
