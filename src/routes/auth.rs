//! Tokens.

use actix_web::{post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Data;
use crate::auth::password;
use crate::domain::role::Role;
use crate::error::{ApiError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(example = "admin")]
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
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
    let user = store::users::by_username(&state.db, &body.username).await?;
    let ok = password::verify(
        body.password,
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let user = match user {
        Some(u) if ok => u,
        _ => return Err(ApiError::Unauthorized("wrong username or password".into())),
    };
    let role = user
        .role
        .parse::<Role>()
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))?;
    let access_token = state
        .auth
        .issue(user.id, role, state.clock.now().timestamp())?;
    Ok(web::Json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: state.auth.ttl_secs,
    }))
}
