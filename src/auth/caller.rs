//! The caller of a request, loaded from the token and the account's row on every request. The row
//! comes from the read cache (`app::public_cache::account`): this instance's own writes evict it at
//! once, another instance's within `cache.revalidate_ms`, so a changed password or binding takes
//! effect at once here and within that interval everywhere.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};

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
            Err(ApiError::Forbidden(crate::msg!(
                "forbidden-action-needs-role-you",
                names = names.join(" or "),
                role = self.role
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
    let value = value.to_str().map_err(|_| {
        ApiError::Unauthorized(crate::msg!("unauthorized-authorization-header-valid-text"))
    })?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(ApiError::Unauthorized(crate::msg!(
            "unauthorized-authorization-header-must-bearer-token"
        ))),
    }
}

async fn load(state: web::Data<AppState>, token: String) -> Result<Caller, ApiError> {
    let claims = state
        .auth
        .verify(&token, state.clock.now().timestamp())
        .map_err(|e| ApiError::Unauthorized(token_msg(&e)))?;
    let id: i32 = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized(token_msg(&TokenError::Invalid)))?;
    let user = crate::app::public_cache::account(&state, id)
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized(crate::msg!("unauthorized-token-s-account-longer-exists"))
        })?;
    if user.credential_version != claims.cv {
        return Err(ApiError::Unauthorized(crate::msg!(
            "unauthorized-token-was-issued-before-account"
        )));
    }
    let role = user
        .role
        .parse::<Role>()
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))?;
    if role != claims.role {
        return Err(ApiError::Unauthorized(crate::msg!(
            "unauthorized-account-s-role-has-changed"
        )));
    }
    let account = crate::store::users::decode(entity::user::Model::clone(&user))?;
    Ok(Caller {
        account: Some(std::sync::Arc::new(account)),
        id: user.id,
        username: user.username.clone(),
        role,
        district_code: user.district_code.clone(),
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
            let token = token?.ok_or_else(|| {
                ApiError::Unauthorized(crate::msg!("unauthorized-bearer-token-was-sent"))
            })?;
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

/// Why a token is refused, from the catalogues.
fn token_msg(e: &TokenError) -> crate::i18n::Msg {
    match e {
        TokenError::Invalid => crate::msg!("unauthorized-token-invalid"),
        TokenError::Expired => crate::msg!("unauthorized-token-expired"),
        TokenError::NotYetValid => crate::msg!("unauthorized-token-not-yet-valid"),
    }
}
