//! Tokens.

use actix_web::{post, web};

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
/// Wrong credentials get the same 401 whether or not the account exists.
#[utoipa::path(
    tag = "auth",
    operation_id = "create_token",
    request_body = TokenRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/auth/token")]
async fn token(state: Data, body: ValidJson<TokenRequest>) -> Result<web::Json<TokenResponse>> {
    let body = body.0;
    let token = app::users::login(&state, &body.username, body.password).await?;
    Ok(web::Json(token.into()))
}
