//! The public register of plaqued industry brains (授牌) and their annual evaluations
//! (年度常态化评价), rectification (限期整改) and revocation (取消授牌).

use actix_web::{get, post, put, web, HttpResponse};

use super::views::brains::{
    BrainDto, BrainPage, BrainQuery, ConfirmedDto, EvaluationBody, EvaluationDto, EvaluatorBody,
    PlanBody, RevocationBody, RevokedDto,
};
use super::Data;
use crate::app::brains;
use crate::auth::{Caller, MaybeCaller};
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_brains)
        .service(get_brain)
        .service(update_brain_evaluator)
        .service(create_evaluation)
        .service(create_evaluation_confirmation)
        .service(create_evaluation_plan)
        .service(create_revocation);
}

/// The public register of plaqued brains, in issue order, a page at a time: number, name,
/// builder, district, date, standing (`active`, `rectifying`, `revoked`) and confirmed
/// evaluations. Anonymous readers welcome.
#[utoipa::path(
    tag = "brains",
    operation_id = "list_brains",
    security((), ("bearer_auth" = [])),
    params(BrainQuery),
    responses(
        (status = 200, body = BrainPage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized)
    )
)]
#[get("/brains")]
async fn list_brains(
    state: Data,
    caller: MaybeCaller,
    query: ValidQuery<BrainQuery>,
) -> Result<HttpResponse> {
    let page = brains::list(&state, caller.0.as_ref(), query.into_inner().into()).await?;
    Ok(HttpResponse::Ok().json(BrainPage::from(page)))
}

/// One brain of the register by its plaque number (its parties also see evaluations awaiting
/// confirmation and rectification plans).
#[utoipa::path(
    tag = "brains",
    operation_id = "get_brain",
    security((), ("bearer_auth" = [])),
    params(("number" = String, Path, description = "Plaque number, e.g. CQ-HYDN-2025-001")),
    responses(
        (status = 200, body = BrainDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/brains/{number}")]
async fn get_brain(
    state: Data,
    caller: MaybeCaller,
    number: web::Path<String>,
) -> Result<HttpResponse> {
    let v = brains::get(&state, caller.0.as_ref(), &number).await?;
    Ok(HttpResponse::Ok().json(BrainDto::from(v)))
}

/// Engage the third-party evaluator of the brain's annual evaluations (commission).
#[utoipa::path(
    tag = "brains",
    operation_id = "update_brain_evaluator",
    security(("bearer_auth" = [])),
    params(("number" = String, Path, description = "Plaque number, e.g. CQ-HYDN-2025-001")),
    request_body = EvaluatorBody,
    responses(
        (status = 200, body = BrainDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/brains/{number}/evaluator")]
async fn update_brain_evaluator(
    state: Data,
    caller: Caller,
    number: web::Path<String>,
    body: ValidJson<EvaluatorBody>,
) -> Result<HttpResponse> {
    let v = brains::engage_evaluator(&state, &caller, &number, body.evaluator_id).await?;
    Ok(HttpResponse::Ok().json(BrainDto::from(v)))
}

/// File the annual evaluation (once a calendar year for an active brain) or the re-evaluation
/// after rectification (after the builder's plan, before the deadline): the engaged evaluator.
/// The score and grade are computed with the round's bounds.
#[utoipa::path(
    tag = "brains",
    operation_id = "create_evaluation",
    security(("bearer_auth" = [])),
    params(("number" = String, Path, description = "Plaque number, e.g. CQ-HYDN-2025-001")),
    request_body = EvaluationBody,
    responses(
        (status = 201, body = EvaluationDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/brains/{number}/evaluations")]
async fn create_evaluation(
    state: Data,
    caller: Caller,
    number: web::Path<String>,
    body: ValidJson<EvaluationBody>,
) -> Result<HttpResponse> {
    let e = brains::file_evaluation(&state, &caller, &number, body.parts, &body.summary).await?;
    Ok(HttpResponse::Created().json(EvaluationDto::from(e)))
}

/// Confirm an evaluation (commission). An annual 不合格 puts the brain under rectification with
/// a deadline; a passing re-evaluation restores it; a failing one is grounds for revocation.
#[utoipa::path(
    tag = "brains",
    operation_id = "create_evaluation_confirmation",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Evaluation id")),
    responses(
        (status = 200, body = ConfirmedDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed)
    )
)]
#[post("/evaluations/{id}/confirmation")]
async fn create_evaluation_confirmation(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let c = brains::confirm_evaluation(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ConfirmedDto::from(c)))
}

/// File the rectification plan (整改方案) answering a confirmed 不合格 evaluation (the builder).
#[utoipa::path(
    tag = "brains",
    operation_id = "create_evaluation_plan",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Evaluation id")),
    request_body = PlanBody,
    responses(
        (status = 200, body = EvaluationDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/evaluations/{id}/plan")]
async fn create_evaluation_plan(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<PlanBody>,
) -> Result<HttpResponse> {
    let e = brains::file_plan(&state, &caller, id.into_inner(), &body.plan).await?;
    Ok(HttpResponse::Ok().json(EvaluationDto::from(e)))
}

/// Revoke the plaque (取消授牌; commission) with a reason, when the rule finds grounds: a failed
/// re-evaluation after rectification, or the rectification deadline passed without a passing
/// one. Public in the register.
#[utoipa::path(
    tag = "brains",
    operation_id = "create_revocation",
    security(("bearer_auth" = [])),
    params(("number" = String, Path, description = "Plaque number, e.g. CQ-HYDN-2025-001")),
    request_body = RevocationBody,
    responses(
        (status = 200, body = RevokedDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/brains/{number}/revocation")]
async fn create_revocation(
    state: Data,
    caller: Caller,
    number: web::Path<String>,
    body: ValidJson<RevocationBody>,
) -> Result<HttpResponse> {
    let r = brains::revoke(&state, &caller, &number, &body.reason).await?;
    Ok(HttpResponse::Ok().json(RevokedDto::from(r)))
}
