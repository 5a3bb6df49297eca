//! Accounts and roles.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::views::history::EventEntry;
use super::views::users::{
    ChangePassword, CreateUser, ResetPassword, TokenResponse, UserDto, UserQuery,
};
use super::views::HistoryQuery;
use super::Data;
use crate::app;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(me)
        .service(create_user)
        .service(list_users)
        .service(get_user_history)
        .service(change_own_password)
        .service(reset_password);
}

/// The caller's own account.
#[utoipa::path(
    tag = "users",
    operation_id = "get_me",
    security(("bearer_auth" = [])),
    responses((status = 200, body = UserDto), (status = 401, response = crate::error::responses::Unauthorized))
)]
#[get("/users/me")]
async fn me(state: Data, caller: Caller) -> Result<web::Json<UserDto>> {
    Ok(web::Json(app::users::me(&state, &caller).await?.into()))
}

/// Create an account (commission only).
#[utoipa::path(
    tag = "users",
    operation_id = "create_user",
    security(("bearer_auth" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, body = UserDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/users")]
async fn create_user(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateUser>,
) -> Result<HttpResponse> {
    let user = app::users::create(&state, &caller, body.0.into()).await?;
    Ok(HttpResponse::Created().json(UserDto::from(user)))
}

/// List accounts (commission only), in id order, a page at a time (`after`, `limit`; the next
/// page in the `Link` header).
#[utoipa::path(
    tag = "users",
    operation_id = "list_users",
    security(("bearer_auth" = [])),
    params(UserQuery),
    responses(
        (status = 200, body = Vec<UserDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/users")]
async fn list_users(
    state: Data,
    caller: Caller,
    query: ValidQuery<UserQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    let args = crate::app::paging::PageArgs::array(q.after, q.limit)?;
    let page = app::users::list(&state, &caller, q.role, args).await?;
    let items: Vec<UserDto> = page.items.into_iter().map(Into::into).collect();
    Ok(super::paged(&req, &items, page.next))
}

/// An account's history, oldest first, each change with its actor (commission only).
#[utoipa::path(
    tag = "users",
    operation_id = "get_user_history",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Account id"), HistoryQuery),
    responses(
        (status = 200, body = Vec<EventEntry>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/users/{id}/history")]
async fn get_user_history(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<HistoryQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let page = app::users::history(&state, &caller, id.into_inner(), query.0.args()?).await?;
    let items: Vec<EventEntry> = page.items.into_iter().map(Into::into).collect();
    Ok(super::paged(&req, &items, page.next))
}

/// Change your own password (any role), giving the current one.
///
/// Every token issued before — the one this request carries included — stops working; the
/// response holds a new token. Wrong current passwords count as failed logins of the account.
#[utoipa::path(
    tag = "users",
    operation_id = "change_own_password",
    security(("bearer_auth" = [])),
    request_body = ChangePassword,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 429, response = crate::error::responses::TooManyRequests),
        (status = 503, response = crate::error::responses::ServiceUnavailable)
    )
)]
#[post("/users/me/password")]
async fn change_own_password(
    state: Data,
    caller: Caller,
    body: ValidJson<ChangePassword>,
) -> Result<web::Json<TokenResponse>> {
    let body = body.0;
    let token =
        app::users::change_own_password(&state, &caller, body.current_password, body.new_password)
            .await?;
    Ok(web::Json(token.into()))
}

/// Set an account's password (commission only).
///
/// Every token of that account stops working, and its failed logins (a lock included) are
/// cleared.
#[utoipa::path(
    tag = "users",
    operation_id = "reset_password",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Account id")),
    request_body = ResetPassword,
    responses(
        (status = 204, description = "The password is set"),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 503, response = crate::error::responses::ServiceUnavailable)
    )
)]
#[post("/users/{id}/password")]
async fn reset_password(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    body: ValidJson<ResetPassword>,
) -> Result<HttpResponse> {
    app::users::reset_password(&state, &caller, id.into_inner(), body.0.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}
