//! Accounts and tokens.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::users::{Account, NewAccount, Token};
use crate::domain::role::Role;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
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

impl From<Account> for UserDto {
    fn from(u: Account) -> Self {
        Self {
            id: u.id,
            username: u.username,
            role: u.role,
            district_code: u.district_code,
            organisation_id: u.organisation_id,
            created_at: u.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "jb-officer", "password": "a-long-password-here", "role": "district", "district_code": "500105"}))]
pub struct CreateUser {
    /// 3–64 characters: letters, digits, `.`, `_`, `-`.
    #[schema(min_length = 3, max_length = 64, pattern = "^[A-Za-z0-9._-]{3,64}$")]
    pub username: String,
    /// At least 12 characters, not all whitespace, not the username, not a commonly used
    /// password.
    #[schema(min_length = 12)]
    pub password: String,
    pub role: Role,
    /// Required for `district`, refused otherwise: a district or zone code.
    #[schema(
        pattern = "^(5001(0[1-9]|1[0-9]|20|5[1-6])|5002(29|3[0135-8]|4[0-3])|CQLJ|CQGX|CQWS)$"
    )]
    pub district_code: Option<String>,
    /// Required for `applicant`, refused otherwise.
    #[schema(minimum = 1)]
    pub organisation_id: Option<i32>,
}

impl From<CreateUser> for NewAccount {
    fn from(b: CreateUser) -> Self {
        Self {
            username: b.username,
            password: b.password,
            role: b.role,
            district_code: b.district_code,
            organisation_id: b.organisation_id,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only accounts with this role.
    pub role: Option<Role>,
    /// The cursor: the last id seen, as in the `Link` header's next page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Items per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

/// A change of one's own password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "a-long-password-here", "new_password": "another-long-password"}))]
pub struct ChangePassword {
    pub current_password: String,
    /// At least 12 characters, not all whitespace, not the username, not a commonly used
    /// password, not the current one.
    pub new_password: String,
}

/// A password set by the commission.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"new_password": "choose-a-strong-one"}))]
pub struct ResetPassword {
    /// At least 12 characters, not all whitespace, not the username, not a commonly used
    /// password.
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "admin", "password": "choose-a-strong-one"}))]
pub struct TokenRequest {
    #[schema(example = "admin")]
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

impl From<Token> for TokenResponse {
    fn from(t: Token) -> Self {
        Self {
            access_token: t.access_token,
            token_type: "Bearer".into(),
            expires_in: t.expires_in,
        }
    }
}
