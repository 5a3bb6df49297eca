//! Accounts and roles.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Data;
use crate::auth::Caller;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(me).service(create_user).service(list_users);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: i32,
    pub username: String,
    pub role: Role,
    /// The district a `district` officer is bound to.
    pub district_code: Option<String>,
    /// The organisation an `applicant` account is bound to.
    pub organisation_id: Option<i32>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl TryFrom<entity::user::Model> for UserDto {
    type Error = ApiError;
    fn try_from(u: entity::user::Model) -> Result<Self> {
        Ok(Self {
            id: u.id,
            role: u
                .role
                .parse::<Role>()
                .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))?,
            username: u.username,
            district_code: u.district_code,
            organisation_id: u.organisation_id,
            created_at: u.created_at,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// 3–64 characters: letters, digits, `.`, `_`, `-`.
    pub username: String,
    /// At least 12 characters.
    pub password: String,
    pub role: Role,
    /// Required for `district`, refused otherwise.
    pub district_code: Option<String>,
    /// Required for `applicant`, refused otherwise.
    pub organisation_id: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Only accounts with this role.
    pub role: Option<Role>,
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
    let user = store::users::by_id(&state.db, caller.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("account".into()))?;
    Ok(web::Json(user.try_into()?))
}

/// Checks a new account's fields and bindings (which must exist), naming every bad field.
pub async fn validate_new_user(state: &Data, body: &CreateUser) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    let name_ok = (3..=64).contains(&body.username.chars().count())
        && body
            .username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !name_ok {
        errors.push(FieldError::new(
            "username",
            "must be 3–64 characters: letters, digits, '.', '_' or '-'",
        ));
    }
    if body.password.chars().count() < 12 {
        errors.push(FieldError::new(
            "password",
            "must be at least 12 characters",
        ));
    }
    match (body.role, &body.district_code) {
        (Role::District, None) => errors.push(FieldError::new(
            "district_code",
            "required for a district officer",
        )),
        (Role::District, Some(code)) => {
            if store::reference::district(&state.db, code).await?.is_none() {
                errors.push(FieldError::new(
                    "district_code",
                    format!("no district {code:?}"),
                ));
            }
        }
        (_, Some(_)) => errors.push(FieldError::new(
            "district_code",
            "only a district officer is bound to a district",
        )),
        (_, None) => {}
    }
    match (body.role, body.organisation_id) {
        (Role::Applicant, None) => errors.push(FieldError::new(
            "organisation_id",
            "required for an applicant",
        )),
        (Role::Applicant, Some(id)) => {
            if store::organisations::by_id(&state.db, id).await?.is_none() {
                errors.push(FieldError::new(
                    "organisation_id",
                    format!("no organisation {id}"),
                ));
            }
        }
        (_, Some(_)) => errors.push(FieldError::new(
            "organisation_id",
            "only an applicant is bound to an organisation",
        )),
        (_, None) => {}
    }
    Ok(errors)
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
    caller.require(&[Role::Commission])?;
    let body = body.0;
    ApiError::check(validate_new_user(&state, &body).await?)?;
    if store::users::by_username(&state.db, &body.username)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(format!(
            "the username {:?} is taken",
            body.username
        )));
    }
    let user = store::users::create(
        &state.db,
        store::users::NewUser {
            username: body.username,
            password: body.password,
            role: body.role,
            district_code: body.district_code,
            organisation_id: body.organisation_id,
        },
        state.clock.now(),
    )
    .await
    .map_err(|e| match e.downcast::<sea_orm::DbErr>() {
        Ok(db) => ApiError::from(db),
        Err(e) => ApiError::Unexpected(e),
    })?;
    Ok(HttpResponse::Created().json(UserDto::try_from(user)?))
}

/// List accounts (commission only).
#[utoipa::path(
    tag = "users",
    operation_id = "list_users",
    security(("bearer_auth" = [])),
    params(UserQuery),
    responses(
        (status = 200, body = Vec<UserDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden)
    )
)]
#[get("/users")]
async fn list_users(
    state: Data,
    caller: Caller,
    query: web::Query<UserQuery>,
) -> Result<web::Json<Vec<UserDto>>> {
    caller.require(&[Role::Commission])?;
    let users = store::users::list(&state.db, query.role).await?;
    Ok(web::Json(
        users
            .into_iter()
            .map(UserDto::try_from)
            .collect::<Result<_>>()?,
    ))
}
