//! The caller of a request, loaded from the token and the database on every request, so that a
//! deleted account or a changed binding takes effect at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use sea_orm::EntityTrait;

use super::TokenError;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// An authenticated caller: the handle every handler scopes its queries by.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: i32,
    pub username: String,
    pub role: Role,
    /// Set for `district` officers.
    pub district_code: Option<String>,
    /// Set for `applicant` accounts.
    pub organisation_id: Option<i32>,
    /// The account row the extractor loaded, so `/users/me` answers without reading it again
    /// (absent for callers the CLI and the demo build themselves).
    pub account: Option<std::sync::Arc<crate::store::users::Account>>,
}

impl Caller {
    /// # Errors
    /// 403 when the caller's role is not among `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!(
                "this action needs the role {}; you are {}",
                names.join(" or "),
                self.role
            )))
        }
    }

    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
}

/// A caller if a token was sent, else anonymous. A token that is sent but invalid is still a 401.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not valid text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`".into(),
        )),
    }
}

async fn load(state: web::Data<AppState>, token: String) -> Result<Caller, ApiError> {
    let claims = state
        .auth
        .verify(&token, state.clock.now().timestamp())
        .map_err(|e| ApiError::Unauthorized(e.to_string()))?;
    let id: i32 = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized(TokenError::Invalid.to_string()))?;
    let user = entity::user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("the token's account no longer exists".into()))?;
    if user.credential_version != claims.cv {
        return Err(ApiError::Unauthorized(
            "the token was issued before the account's password changed; log in again".into(),
        ));
    }
    let role = user
        .role
        .parse::<Role>()
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))?;
    if role != claims.role {
        return Err(ApiError::Unauthorized(
            "the account's role has changed; get a new token".into(),
        ));
    }
    let account = crate::store::users::decode(user.clone())?;
    Ok(Caller {
        account: Some(std::sync::Arc::new(account)),
        id: user.id,
        username: user.username,
        role,
        district_code: user.district_code,
        // Only an applicant acts for its organisation; an evaluator's binding (its third-party
        // body) is read where it matters, never taken for a builder's.
        organisation_id: if role == Role::Applicant {
            user.organisation_id
        } else {
            None
        },
    })
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("application state missing")))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = state(req);
        Box::pin(async move {
            let token =
                token?.ok_or_else(|| ApiError::Unauthorized("no bearer token was sent".into()))?;
            load(state?, token).await
        })
    }
}

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = state(req);
        Box::pin(async move {
            match token? {
                None => Ok(MaybeCaller(None)),
                Some(t) => Ok(MaybeCaller(Some(load(state?, t).await?))),
            }
        })
    }
}
