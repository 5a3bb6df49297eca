//! Enquiries (答疑/澄清) on a call during its open window: bidders ask, the commission answers
//! for all; an amending answer changes the requirements and extends the window.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::enquiries::{AnswerBody, EnquiryDto, NewEnquiry};
use super::views::PageQuery;
use super::Data;
use crate::app::enquiries;
use crate::auth::{Caller, MaybeCaller};
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(ask_enquiry)
        .service(list_enquiries)
        .service(answer_enquiry);
}

/// Ask a question on a call open for bids (an applicant with an organisation). Who asked is
/// shown to the commission only.
#[utoipa::path(
    tag = "calls",
    operation_id = "create_enquiry",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = NewEnquiry,
    responses(
        (status = 201, body = EnquiryDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/enquiries")]
async fn ask_enquiry(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<NewEnquiry>,
) -> Result<HttpResponse> {
    let e = enquiries::ask(&state, &caller, id.into_inner(), &body.0.question).await?;
    Ok(HttpResponse::Created().json(EnquiryDto::from(e)))
}

/// A call's enquiries: answered ones for anyone (never who asked); the commission sees every one
/// with its asker, an applicant also its own unanswered ones.
#[utoipa::path(
    tag = "calls",
    operation_id = "list_enquiries",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id"), PageQuery),
    responses(
        (status = 200, body = Vec<EnquiryDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/calls/{id}/enquiries")]
async fn list_enquiries(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let args = query.0.args()?;
    let list = enquiries::list(&state, caller.0.as_ref(), id.into_inner()).await?;
    Ok(super::paged_from(
        &req,
        args,
        list,
        |e| i64::from(e.enquiry.id),
        EnquiryDto::from,
    ))
}

/// Answer an enquiry for all to read (commission, while the call is open). With `amendment` the
/// call's requirements change and its window is extended by at least the service's minimum:
/// a public `amend` event of the call.
#[utoipa::path(
    tag = "calls",
    operation_id = "answer_enquiry",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Enquiry id")),
    request_body = AnswerBody,
    responses(
        (status = 200, body = EnquiryDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/enquiries/{id}/answer")]
async fn answer_enquiry(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<AnswerBody>,
) -> Result<web::Json<EnquiryDto>> {
    let amendment = body.0.amendment();
    let e = enquiries::answer(&state, &caller, id.into_inner(), &body.0.answer, amendment).await?;
    Ok(web::Json(e.into()))
}
