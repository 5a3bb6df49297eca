//! The expert panel of a call: appointment (named or drawn with a recorded seed), declared
//! conflicts, conflicts found from data, and the recusals they cause.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::views::panel::{AppointPanel, Bidder, DeclareConflict, ExpertProfileBody, PanelMember};
use super::views::PageQuery;
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(appoint_panel)
        .service(get_panel)
        .service(declare_conflict)
        .service(list_bidders)
        .service(put_expert_profile);
}

/// Appoint experts to the panel, by name or by a random draw with a recorded seed (commission;
/// before the notice).
#[utoipa::path(
    tag = "panel",
    operation_id = "appoint_panel",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = AppointPanel,
    responses(
        (status = 200, body = Vec<PanelMember>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/panel")]
async fn appoint_panel(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<AppointPanel>,
) -> Result<web::Json<Vec<PanelMember>>> {
    let panel = app::panel::appoint(&state, &caller, id.into_inner(), body.0.into()).await?;
    Ok(web::Json(
        panel.into_iter().map(PanelMember::from).collect(),
    ))
}

/// The panel with each member's recusals and their reasons (the commission sees all; a panel
/// expert sees its own entry).
#[utoipa::path(
    tag = "panel",
    operation_id = "get_panel",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = Vec<PanelMember>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/calls/{id}/panel")]
async fn get_panel(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<PanelMember>>> {
    let panel = app::panel::get(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(
        panel.into_iter().map(PanelMember::from).collect(),
    ))
}

/// Declare a conflict of interest (a panel expert), until the award is proposed. With neither
/// `bid_id` nor `organisation` the expert is recused from every bid of the call. A sheet the
/// expert already gave for a bid it is now recused from leaves the ranking (recorded with the
/// reason). Once the notice started → 409: a conflict found then is grounds for an objection.
#[utoipa::path(
    tag = "panel",
    operation_id = "declare_conflict",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = DeclareConflict,
    responses(
        (status = 201, body = Vec<PanelMember>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/conflicts")]
async fn declare_conflict(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<DeclareConflict>,
) -> Result<HttpResponse> {
    let own = app::panel::declare_conflict(&state, &caller, id.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(own.into_iter().map(PanelMember::from).collect::<Vec<_>>()))
}

/// The organisations that bid on a call, once its bids are opened (the commission and the call's
/// panel experts, to declare conflicts): id and name only. Before the opening → 409: who bid is
/// sealed.
#[utoipa::path(
    tag = "panel",
    operation_id = "list_bidders",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id"), PageQuery),
    responses(
        (status = 200, body = Vec<Bidder>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/calls/{id}/bidders")]
async fn list_bidders(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let args = query.0.args()?;
    let bidders = app::panel::bidders(&state, &caller, id.into_inner()).await?;
    Ok(super::paged_from(
        &req,
        args,
        bidders,
        |b| i64::from(b.bid_id),
        Bidder::from,
    ))
}

/// Record an expert's organisation and past employers, from which conflicts are found (commission).
#[utoipa::path(
    tag = "panel",
    operation_id = "put_expert_profile",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "The expert's user id")),
    request_body = ExpertProfileBody,
    responses(
        (status = 204, description = "Stored"),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/users/{id}/expert-profile")]
async fn put_expert_profile(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ExpertProfileBody>,
) -> Result<HttpResponse> {
    app::panel::put_expert_profile(&state, &caller, id.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}
