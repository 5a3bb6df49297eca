//! Tokens.

use actix_web::{post, web, HttpRequest};

use super::views::users::{TokenRequest, TokenResponse};
use super::Data;
use crate::app;
use crate::error::Result;
use crate::extract::ValidJson;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token);
}

/// Exchange a username and password for a bearer token.
///
/// Wrong credentials get the same 401 whether or not the account exists. Failed logins are
/// throttled per account and per client address: from the 5th failure of an account a growing
/// delay, at the 20th a 15-minute lock (per address: 20 and 100), answered 429 with
/// `Retry-After`; when password checking is saturated, 503 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    operation_id = "create_token",
    security(),
    request_body = TokenRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 429, response = crate::error::responses::TooManyRequests),
        (status = 503, response = crate::error::responses::ServiceUnavailable)
    )
)]
#[post("/auth/token")]
async fn token(
    state: Data,
    req: HttpRequest,
    body: ValidJson<TokenRequest>,
) -> Result<web::Json<TokenResponse>> {
    let body = body.0;
    let client = req.peer_addr().map(|a| a.ip());
    let token = app::users::login(&state, &body.username, body.password, client).await?;
    Ok(web::Json(token.into()))
}
