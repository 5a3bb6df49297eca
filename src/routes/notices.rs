//! The ranking, the award under public notice (公示), objections and their answers, and the final
//! award (挂帅).

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::award::{
    AwardBody, Notice, ObjectionAnswerBody, ObjectionBody, ObjectionDto, Ranking,
};
use super::views::calls::CallDto;
use super::views::PageQuery;
use super::Data;
use crate::app;
use crate::auth::{Caller, MaybeCaller};
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_ranking)
        .service(award_call)
        .service(list_notices)
        .service(create_objection)
        .service(list_objections)
        .service(answer_objection)
        .service(finalize_call);
}

/// The ranking with every expert's scores, trimmed means and totals: for the commission once the
/// call is opened; for anyone during and after the notice, with experts anonymised as E1..En.
#[utoipa::path(
    tag = "award",
    operation_id = "get_ranking",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = Ranking),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[get("/calls/{id}/ranking")]
async fn get_ranking(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Ranking>> {
    let ranking = app::award::ranking(&state, caller.0.as_ref(), id.into_inner()).await?;
    Ok(web::Json(ranking.into()))
}

/// Propose the award and start the public notice (commission, while under review).
#[utoipa::path(
    tag = "award",
    operation_id = "award_call",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = AwardBody,
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
#[post("/calls/{id}/award")]
async fn award_call(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<AwardBody>,
) -> Result<web::Json<CallDto>> {
    let call =
        app::award::award(&state, &caller, id.into_inner(), &body.bid_ids, &body.note).await?;
    Ok(web::Json(call.into()))
}

/// Public notices (公示): every call under notice or awarded (anyone), with its objections counted,
/// late answers flagged, and the answered objections shown without their objectors.
/// In call id order, a page at a time (`after`: a call id; `limit`; the next page in the `Link`
/// header).
#[utoipa::path(
    tag = "award",
    operation_id = "list_notices",
    security(),
    params(PageQuery),
    responses(
        (status = 200, body = Vec<Notice>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/notices")]
async fn list_notices(
    state: Data,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::award::notices_page(&state, query.0.args()?).await?;
    let items: Vec<Notice> = page.items.into_iter().map(Notice::from).collect();
    Ok(super::paged(&req, &items, page.next))
}

/// Object in writing during the notice: an applicant of an organisation that bid on the call and
/// is not proposed for the award (a losing bidder; 招标投标法实施条例 Art. 54). The contact is for
/// the commission only; the objection must be answered within 3 natural days.
#[utoipa::path(
    tag = "award",
    operation_id = "create_objection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = ObjectionBody,
    responses(
        (status = 201, body = ObjectionDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/objections")]
async fn create_objection(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ObjectionBody>,
) -> Result<HttpResponse> {
    let o = app::award::object(
        &state,
        &caller,
        id.into_inner(),
        &body.grounds,
        &body.contact,
    )
    .await?;
    Ok(HttpResponse::Created().json(ObjectionDto::from(o)))
}

/// A call's objections and answers (commission, with contacts; an objector sees its own, without).
#[utoipa::path(
    tag = "award",
    operation_id = "list_objections",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id"), PageQuery),
    responses(
        (status = 200, body = Vec<ObjectionDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/calls/{id}/objections")]
async fn list_objections(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let args = query.0.args()?;
    let all = app::award::objections(&state, &caller, id.into_inner()).await?;
    Ok(super::paged_from(
        &req,
        args,
        all,
        |o| i64::from(o.objection.id),
        ObjectionDto::from,
    ))
}

/// Answer an objection (commission). Upheld: the call goes back under review and the award is
/// withdrawn.
#[utoipa::path(
    tag = "award",
    operation_id = "answer_objection",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Objection id")),
    request_body = ObjectionAnswerBody,
    responses(
        (status = 200, body = ObjectionDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/objections/{id}/answer")]
async fn answer_objection(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ObjectionAnswerBody>,
) -> Result<web::Json<ObjectionDto>> {
    let o = app::award::answer(&state, &caller, id.into_inner(), body.upheld, &body.answer).await?;
    Ok(web::Json(o.into()))
}

/// Make the award final (commission): only after the notice period ended and every objection is
/// answered. The winners and their amounts are then public.
#[utoipa::path(
    tag = "award",
    operation_id = "finalize_call",
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
#[post("/calls/{id}/finalize")]
async fn finalize_call(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<CallDto>> {
    let call = app::award::finalize(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(call.into()))
}
