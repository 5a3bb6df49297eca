//! Construction projects (建设项目) after the award: the task agreement and its amendments,
//! progress reports, the district's supervision, completion and the request for acceptance.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::views::history::EventEntry;
use super::views::projects::{
    agreement_response, project_response, AcceptanceRequestBody, AgreementAmendmentBody,
    AgreementDto, CloseBody, CompletionBody, ExceptionBody, FollowUpDto, ProjectDto, ProjectPage,
    ProjectQuery, ReportBody, ReportDto, SupervisionBody, SupervisionDto,
};
use super::views::HistoryQuery;
use super::Data;
use crate::app::projects;
use crate::auth::{Caller, MaybeCaller};
use crate::domain::project::AgreementContent;
use crate::error::Result;
use crate::extract::{IfMatch, ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_projects)
        .service(get_project)
        .service(project_history)
        .service(list_agreements)
        .service(update_agreement)
        .service(confirm_agreement)
        .service(create_amendment)
        .service(create_report)
        .service(list_reports)
        .service(create_supervision)
        .service(list_supervisions)
        .service(close_follow_up)
        .service(declare_completion)
        .service(record_exception)
        .service(request_acceptance);
}

/// Construction projects (建设项目), a page at a time in id order: a district officer sees its
/// district's, an applicant its organisation's, the commission all, anyone else the public
/// fields of all.
#[utoipa::path(
    tag = "projects",
    operation_id = "list_projects",
    security((), ("bearer_auth" = [])),
    params(ProjectQuery),
    responses(
        (status = 200, body = ProjectPage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/projects")]
async fn list_projects(
    state: Data,
    caller: MaybeCaller,
    query: ValidQuery<ProjectQuery>,
) -> Result<web::Json<ProjectPage>> {
    let page = projects::list(&state, caller.0.as_ref(), query.into_inner().into()).await?;
    Ok(web::Json(page.into()))
}

/// One project: public fields for everyone; deadlines and warnings for its parties.
#[utoipa::path(
    tag = "projects",
    operation_id = "get_project",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    responses(
        (status = 200, body = ProjectDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/projects/{id}")]
async fn get_project(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let v = projects::get(&state, caller.0.as_ref(), id.into_inner()).await?;
    Ok(project_response(v))
}

/// The project's history with its agreements', reports' and supervision's, oldest first:
/// public steps for everyone, the rest for the project's parties.
#[utoipa::path(
    tag = "projects",
    operation_id = "get_project_history",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id"), HistoryQuery),
    responses(
        (status = 200, body = Vec<EventEntry>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/projects/{id}/history")]
async fn project_history(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page =
        projects::history(&state, caller.0.as_ref(), id.into_inner(), query.0.args()?).await?;
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

/// The task agreement (任务书) and its amendments: signed ones for everyone, drafts for the
/// project's parties.
#[utoipa::path(
    tag = "projects",
    operation_id = "list_agreements",
    security((), ("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    responses(
        (status = 200, body = Vec<AgreementDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/projects/{id}/agreements")]
async fn list_agreements(
    state: Data,
    caller: MaybeCaller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<AgreementDto>>> {
    let all = projects::agreements(&state, caller.0.as_ref(), id.into_inner()).await?;
    Ok(web::Json(all.into_iter().map(AgreementDto::from).collect()))
}

/// Replace a draft agreement's content (commission; If-Match). Confirmations so far are
/// withdrawn.
#[utoipa::path(
    tag = "projects",
    operation_id = "update_agreement",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Agreement id"),
("If-Match" = String, Header, description = "The ETag you read")),
    request_body = AgreementContent,
    responses(
        (status = 200, body = AgreementDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[put("/agreements/{id}")]
async fn update_agreement(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<AgreementContent>,
) -> Result<HttpResponse> {
    let a = projects::edit_agreement(&state, &caller, id.into_inner(), &if_match, body.0).await?;
    Ok(agreement_response(StatusCode::OK, a))
}

/// Confirm a draft agreement as the caller's party: the commission, the builder or the
/// project's district (If-Match). The third confirmation signs it; the first signed agreement
/// starts construction, a signed amendment replaces the agreement in force.
#[utoipa::path(
    tag = "projects",
    operation_id = "confirm_agreement",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Agreement id"),
("If-Match" = String, Header, description = "The ETag you read")),
    responses(
        (status = 200, body = AgreementDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/agreements/{id}/confirm")]
async fn confirm_agreement(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    let a = projects::confirm_agreement(&state, &caller, id.into_inner(), &if_match).await?;
    Ok(agreement_response(StatusCode::OK, a))
}

/// Amend the signed agreement (commission), with the new content and a reason; the three
/// parties confirm it again.
#[utoipa::path(
    tag = "projects",
    operation_id = "create_amendment",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    request_body = AgreementAmendmentBody,
    responses(
        (status = 201, body = AgreementDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/projects/{id}/amendments")]
async fn create_amendment(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<AgreementAmendmentBody>,
) -> Result<HttpResponse> {
    let b = body.0;
    let a = projects::amend(&state, &caller, id.into_inner(), b.content, &b.reason).await?;
    Ok(agreement_response(StatusCode::CREATED, a))
}

/// File the progress report of a quarter (the builder): milestones, spend by source,
/// indicators, risks. One per quarter; overdue 15 days after the quarter ends.
#[utoipa::path(
    tag = "projects",
    operation_id = "create_report",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    request_body = ReportBody,
    responses(
        (status = 201, body = ReportDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/projects/{id}/reports")]
async fn create_report(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ReportBody>,
) -> Result<HttpResponse> {
    let (period, content) = body.0.into_parts();
    let r = projects::file_report(&state, &caller, id.into_inner(), &period, content).await?;
    Ok(HttpResponse::Created().json(ReportDto::from(r)))
}

/// The project's progress reports (its parties).
#[utoipa::path(
    tag = "projects",
    operation_id = "list_reports",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    responses(
        (status = 200, body = Vec<ReportDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/projects/{id}/reports")]
async fn list_reports(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<ReportDto>>> {
    let all = projects::reports(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(all.into_iter().map(ReportDto::from).collect()))
}

/// Record a supervision (督导) of a project of the officer's district: date, method, findings,
/// rating, follow-ups, and a warning for the commission if any.
#[utoipa::path(
    tag = "projects",
    operation_id = "create_supervision",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    request_body = SupervisionBody,
    responses(
        (status = 201, body = SupervisionDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/projects/{id}/supervisions")]
async fn create_supervision(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<SupervisionBody>,
) -> Result<HttpResponse> {
    let s = projects::supervise(&state, &caller, id.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(SupervisionDto::from(s)))
}

/// The project's supervision records with their follow-ups (its parties).
#[utoipa::path(
    tag = "projects",
    operation_id = "list_supervisions",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    responses(
        (status = 200, body = Vec<SupervisionDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/projects/{id}/supervisions")]
async fn list_supervisions(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<SupervisionDto>>> {
    let all = projects::supervisions(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(
        all.into_iter().map(SupervisionDto::from).collect(),
    ))
}

/// Close a follow-up action with a note (the district officer).
#[utoipa::path(
    tag = "projects",
    operation_id = "close_follow_up",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Follow-up id")),
    request_body = CloseBody,
    responses(
        (status = 200, body = FollowUpDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/follow-ups/{id}/close")]
async fn close_follow_up(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<CloseBody>,
) -> Result<web::Json<FollowUpDto>> {
    let f = projects::close_follow_up(&state, &caller, id.into_inner(), &body.note).await?;
    Ok(web::Json(f.into()))
}

/// Declare the brain built (建成) on a date (the builder; If-Match).
#[utoipa::path(
    tag = "projects",
    operation_id = "declare_completion",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id"),
("If-Match" = String, Header, description = "The ETag you read")),
    request_body = CompletionBody,
    responses(
        (status = 200, body = ProjectDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/projects/{id}/completion")]
async fn declare_completion(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<CompletionBody>,
) -> Result<HttpResponse> {
    let v = projects::declare_completion(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        body.completed_on,
    )
    .await?;
    Ok(project_response(v))
}

/// Record an exception (commission; If-Match) that lets a late request for acceptance in, or,
/// under rectification, a re-review after the deadline.
#[utoipa::path(
    tag = "projects",
    operation_id = "create_acceptance_exception",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id"),
("If-Match" = String, Header, description = "The ETag you read")),
    request_body = ExceptionBody,
    responses(
        (status = 200, body = ProjectDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/projects/{id}/acceptance-exception")]
async fn record_exception(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<ExceptionBody>,
) -> Result<HttpResponse> {
    let v = projects::record_exception(&state, &caller, id.into_inner(), &if_match, &body.reason)
        .await?;
    Ok(project_response(v))
}

/// Request acceptance in writing (the builder; If-Match), within one month of completion; a
/// later request is refused with the days over unless the commission recorded an exception.
#[utoipa::path(
    tag = "projects",
    operation_id = "request_acceptance",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id"),
("If-Match" = String, Header, description = "The ETag you read")),
    request_body = AcceptanceRequestBody,
    responses(
        (status = 200, body = ProjectDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[post("/projects/{id}/acceptance-request")]
async fn request_acceptance(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
    body: ValidJson<AcceptanceRequestBody>,
) -> Result<HttpResponse> {
    let v = projects::request_acceptance(&state, &caller, id.into_inner(), &if_match, &body.letter)
        .await?;
    Ok(project_response(v))
}
