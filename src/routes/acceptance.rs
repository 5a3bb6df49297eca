//! Acceptance (验收) of a project: the commission starts it (rubric, panel under the conflict
//! rules, third-party evaluator), the experts score, the evaluator files its measured report, and
//! the commission concludes as the computed rule allows.

use actix_web::{get, post, put, HttpResponse};

use super::views::acceptance::{
    AcceptanceConflictBody, AcceptanceDto, ConcludedDto, ConclusionBody, StartBody,
};
use super::views::bids::{ScoresBody, StoredScore};
use super::Data;
use crate::app::acceptance;
use crate::auth::Caller;
use crate::domain::acceptance::AcceptanceReport;
use crate::error::Result;
use crate::extract::ValidJson;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_acceptances)
        .service(create_acceptance)
        .service(get_acceptance)
        .service(create_acceptance_conflict)
        .service(update_acceptance_scores)
        .service(create_acceptance_report)
        .service(create_acceptance_conclusion);
}

/// A project's acceptances (attempt 1, then re-reviews) as the caller may see them: the
/// commission, the project's district and builder, the panel's experts and the engaged evaluator.
#[utoipa::path(
    tag = "acceptance",
    operation_id = "list_acceptances",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    responses(
        (status = 200, body = Vec<AcceptanceDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/projects/{id}/acceptances")]
async fn list_acceptances(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let all = acceptance::of_project(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(all.into_iter().map(AcceptanceDto::from).collect::<Vec<_>>()))
}

/// Start the acceptance (commission): the rubric, the panel — named and/or drawn with a recorded
/// seed; experts the data links with the builder (its staff, its employees of the last 3 years)
/// are refused and never drawn — and the third-party evaluator. A project under rectification
/// gets a new attempt (re-review).
#[utoipa::path(
    tag = "acceptance",
    operation_id = "create_acceptance",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    request_body = StartBody,
    responses(
        (status = 201, body = AcceptanceDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/projects/{id}/acceptances")]
async fn create_acceptance(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<StartBody>,
) -> Result<HttpResponse> {
    let start = body.0.into_start()?;
    let v = acceptance::start(&state, &caller, id.into_inner(), start).await?;
    Ok(HttpResponse::Created().json(AcceptanceDto::from(v)))
}

/// One acceptance, as the caller may see it.
#[utoipa::path(
    tag = "acceptance",
    operation_id = "get_acceptance",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Acceptance id")),
    responses(
        (status = 200, body = AcceptanceDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/acceptances/{id}")]
async fn get_acceptance(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let v = acceptance::get(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(AcceptanceDto::from(v)))
}

/// Declare a link with the builder (a panel expert): the expert is recused from this acceptance
/// and a sheet it filed no longer counts.
#[utoipa::path(
    tag = "acceptance",
    operation_id = "create_acceptance_conflict",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Acceptance id")),
    request_body = AcceptanceConflictBody,
    responses(
        (status = 200, body = AcceptanceDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/acceptances/{id}/conflicts")]
async fn create_acceptance_conflict(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<AcceptanceConflictBody>,
) -> Result<HttpResponse> {
    let v = acceptance::declare_conflict(&state, &caller, id.into_inner(), body.kind, &body.note)
        .await?;
    Ok(HttpResponse::Ok().json(AcceptanceDto::from(v)))
}

/// Score the acceptance's rubric (a panel expert who is not recused); replaces an earlier sheet.
#[utoipa::path(
    tag = "acceptance",
    operation_id = "update_acceptance_scores",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Acceptance id")),
    request_body(content = ScoresBody, example = json!({"scores": [
        {"criterion": "建设目标完成情况", "points": 85, "comment": "约束性指标全部达成。"},
        {"criterion": "技术与数据能力", "points": 80, "comment": "数据接入稳定。"},
        {"criterion": "运行与服务成效", "points": 78, "comment": "服务企业数量超过目标。"}
    ]})),
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
#[put("/acceptances/{id}/scores")]
async fn update_acceptance_scores(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ScoresBody>,
) -> Result<HttpResponse> {
    let lines = acceptance::put_scores(&state, &caller, id.into_inner(), body.0.drafts()).await?;
    Ok(HttpResponse::Ok().json(lines.into_iter().map(StoredScore::from).collect::<Vec<_>>()))
}

/// File the acceptance report (the engaged third-party evaluator): every indicator of the
/// agreement in force measured, the evidence by name and SHA-256.
#[utoipa::path(
    tag = "acceptance",
    operation_id = "create_acceptance_report",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Acceptance id")),
    request_body = AcceptanceReport,
    responses(
        (status = 200, body = AcceptanceDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/acceptances/{id}/report")]
async fn create_acceptance_report(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<AcceptanceReport>,
) -> Result<HttpResponse> {
    let v = acceptance::file_report(&state, &caller, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(AcceptanceDto::from(v)))
}

/// Conclude the acceptance (commission) with a reason. The rule decides which outcome is open
/// — `accepted` only when every mandatory indicator is met and the panel's score reaches the
/// round's threshold; otherwise `rectify` (a deadline, then a re-review; once) or `failed` — and
/// is stated in the response. `accepted` issues the plaque.
#[utoipa::path(
    tag = "acceptance",
    operation_id = "create_acceptance_conclusion",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Acceptance id")),
    request_body = ConclusionBody,
    responses(
        (status = 200, body = ConcludedDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/acceptances/{id}/conclusion")]
async fn create_acceptance_conclusion(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ConclusionBody>,
) -> Result<HttpResponse> {
    let c =
        acceptance::conclude(&state, &caller, id.into_inner(), body.outcome, &body.reason).await?;
    Ok(HttpResponse::Ok().json(ConcludedDto::from(c)))
}
