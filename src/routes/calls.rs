//! Calls (揭榜) for list items: announcement, the bid window (decided by the injected clock at each
//! request), the opening of the sealed bids, review, cancellation, and history.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::calls::{CallDto, CallEvent, CreateCall, OpeningReport, ReasonsBody};
use super::views::{HistoryQuery, PageQuery};
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_call)
        .service(list_calls)
        .service(get_call)
        .service(open_bids)
        .service(start_review)
        .service(cancel_call)
        .service(declare_unsuccessful)
        .service(call_history);
}

/// Announce a call for a list item (commission only).
#[utoipa::path(
    tag = "calls",
    operation_id = "create_call",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "List item id")),
    request_body = CreateCall,
    responses(
        (status = 201, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/list-items/{id}/calls")]
async fn create_call(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<CreateCall>,
) -> Result<HttpResponse> {
    let call = app::calls::announce(&state, &caller, id.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(CallDto::from(call)))
}

/// Every call (anyone), in id order, a page at a time (`after`, `limit`; the next page in the
/// `Link` header): status now, window, rubric, bid count — never bid contents.
#[utoipa::path(
    tag = "calls",
    operation_id = "list_calls",
    security(),
    params(PageQuery),
    responses(
        (status = 200, body = Vec<CallDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/calls")]
async fn list_calls(
    state: Data,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::calls::page(&state, query.0.args()?).await?;
    let items: Vec<CallDto> = page.items.into_iter().map(CallDto::from).collect();
    Ok(super::paged(&req, &items, page.next))
}

/// One call (anyone).
#[utoipa::path(
    tag = "calls",
    operation_id = "get_call",
    security(),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/calls/{id}")]
async fn get_call(state: Data, id: crate::extract::IntPath) -> Result<web::Json<CallDto>> {
    Ok(web::Json(
        app::calls::get(&state, id.into_inner()).await?.into(),
    ))
}

/// Open the sealed bids (commission, only after the call closed): records who and when, and
/// re-verifies every receipt's hash against the stored content.
#[utoipa::path(
    tag = "calls",
    operation_id = "open_bids",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = OpeningReport),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[post("/calls/{id}/opening")]
async fn open_bids(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<OpeningReport>> {
    let report = app::calls::open_bids(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(report.into()))
}

/// Hand the opened bids to the panel for review (commission). Needs a panel.
#[utoipa::path(
    tag = "calls",
    operation_id = "start_review",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[post("/calls/{id}/review")]
async fn start_review(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<CallDto>> {
    let call = app::calls::start_review(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(call.into()))
}

/// Cancel a call with reasons (commission; before the notice).
#[utoipa::path(
    tag = "calls",
    operation_id = "cancel_call",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body(content = ReasonsBody, example = json!({
        "reasons": "榜单事项的建设内容调整，本次征集取消，调整后另行公告。"
    })),
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/cancel")]
async fn cancel_call(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ReasonsBody>,
) -> Result<web::Json<CallDto>> {
    let call = app::calls::cancel(&state, &caller, id.into_inner(), &body.reasons).await?;
    Ok(web::Json(call.into()))
}

/// Declare a call unsuccessful with reasons, e.g. no valid bid (commission).
#[utoipa::path(
    tag = "calls",
    operation_id = "declare_unsuccessful",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body(content = ReasonsBody, example = json!({
        "reasons": "截止时间前未收到有效投标，本次征集不成功，将重新组织征集。"
    })),
    responses(
        (status = 200, body = CallDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/unsuccessful")]
async fn declare_unsuccessful(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ReasonsBody>,
) -> Result<web::Json<CallDto>> {
    let call =
        app::calls::declare_unsuccessful(&state, &caller, id.into_inner(), &body.reasons).await?;
    Ok(web::Json(call.into()))
}

/// A call's history, its bids' receipts included (commission; an applicant sees its own bid's
/// steps only).
#[utoipa::path(
    tag = "calls",
    operation_id = "get_call_history",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id"), HistoryQuery),
    responses(
        (status = 200, body = Vec<CallEvent>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/calls/{id}/history")]
async fn call_history(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::calls::history(&state, &caller, id.into_inner(), query.0.args()?).await?;
    let items: Vec<CallEvent> = page.items.into_iter().map(CallEvent::from).collect();
    Ok(super::paged(&req, &items, page.next))
}
