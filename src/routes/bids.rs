//! Bids: sealed until opening, one per organisation per call, replaceable until close; each
//! accepted submission gets a receipt (server time and the SHA-256 of its canonical content).

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::views::bids::{
    BidContent, BidView, Receipt, ScoresBody, StoredScore, WithdrawalReceipt,
};
use super::views::HistoryQuery;
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{JsonAsSent, ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_bid)
        .service(list_bids)
        .service(get_bid)
        .service(withdraw_bid)
        .service(put_scores);
}

/// Submit or replace the caller's organisation's bid (applicant, inside the window). Returns the
/// receipt. Outside the window → 409 with the window; an organisation failing the call's
/// eligibility rules → 422 naming each rule.
#[utoipa::path(
    tag = "bids",
    operation_id = "submit_bid",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = BidContent,
    responses(
        (status = 201, body = Receipt),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/bids")]
async fn submit_bid(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: JsonAsSent<BidContent>,
) -> Result<HttpResponse> {
    let receipt =
        app::bids::submit(&state, &caller, id.into_inner(), body.value, &body.sent).await?;
    Ok(HttpResponse::Created().json(Receipt::from(receipt)))
}

/// The bids of a call the caller may see: the commission and the panel get receipts (and, once
/// opened, contents — experts not those they are recused from); an applicant its own bid.
#[utoipa::path(
    tag = "bids",
    operation_id = "list_bids",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id"), HistoryQuery),
    responses(
        (status = 200, body = Vec<BidView>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/calls/{id}/bids")]
async fn list_bids(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::bids::list(&state, &caller, id.into_inner(), query.0.args()?).await?;
    let items: Vec<BidView> = page.items.into_iter().map(BidView::from).collect();
    Ok(super::paged(&req, &items, page.next))
}

/// One bid, sealed or not depending on the caller (see `list_bids`).
#[utoipa::path(
    tag = "bids",
    operation_id = "get_bid",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Bid id")),
    responses(
        (status = 200, body = BidView),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/bids/{id}")]
async fn get_bid(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<BidView>> {
    Ok(web::Json(
        app::bids::get(&state, &caller, id.into_inner())
            .await?
            .into(),
    ))
}

/// Withdraw the caller's organisation's bid (its bidder, before the close). Returns the
/// withdrawal's receipt; the opening reports the bid as withdrawn and never opens it. Submitting
/// again inside the window reinstates it. Outside the window or already withdrawn → 409.
#[utoipa::path(
    tag = "bids",
    operation_id = "withdraw_bid",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Bid id")),
    responses(
        (status = 201, body = WithdrawalReceipt),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[post("/bids/{id}/withdrawal")]
async fn withdraw_bid(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let w = app::bids::withdraw(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(WithdrawalReceipt::from(w)))
}

/// Score a bid on every criterion of the rubric (an assigned, non-recused expert, while the call
/// is under review). Replaces the expert's earlier scores for the bid.
#[utoipa::path(
    tag = "bids",
    operation_id = "put_scores",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Bid id")),
    request_body = ScoresBody,
    responses(
        (status = 200, body = Vec<StoredScore>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/bids/{id}/scores")]
async fn put_scores(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ScoresBody>,
) -> Result<web::Json<Vec<StoredScore>>> {
    let lines = app::bids::put_scores(&state, &caller, id.into_inner(), body.0.drafts()).await?;
    Ok(web::Json(
        lines.into_iter().map(StoredScore::from).collect(),
    ))
}
