//! Accounts. Reads decode the role column into [`Role`] (failing loudly on an unknown one).

use chrono::{DateTime, Utc};
use entity::user;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::role::Role;

/// An account as the service sees it (the password hash stays in the store, see [`credentials`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i32,
    pub username: String,
    pub role: Role,
    /// The district a `district` officer is bound to.
    pub district_code: Option<String>,
    /// The organisation an `applicant` (or an `evaluator`: its third-party body) is bound to.
    pub organisation_id: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// Reads a stored account back.
///
/// # Errors
/// An unknown role.
pub fn decode(u: user::Model) -> Result<Account, DbErr> {
    let role = u
        .role
        .parse::<Role>()
        .map_err(|e| DbErr::Custom(format!("stored role of account {}: {e}", u.id)))?;
    Ok(Account {
        id: u.id,
        username: u.username,
        role,
        district_code: u.district_code,
        organisation_id: u.organisation_id,
        created_at: u.created_at,
    })
}

/// One account, decoded.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn account(db: &impl ConnectionTrait, id: i32) -> Result<Option<Account>, DbErr> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// One account's row as stored (the caller's extractor checks its credential version).
///
/// # Errors
/// Database failures.
pub async fn row(db: &impl ConnectionTrait, id: i32) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// Accounts by id, optionally only one role's, decoded.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn accounts(
    db: &impl ConnectionTrait,
    role: Option<Role>,
) -> Result<Vec<Account>, DbErr> {
    list(db, role).await?.into_iter().map(decode).collect()
}

/// [`list_after`], decoded.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn accounts_after(
    db: &impl ConnectionTrait,
    role: Option<Role>,
    after: Option<i32>,
    fetch: u64,
) -> Result<Vec<Account>, DbErr> {
    list_after(db, role, after, Some(fetch))
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// What a password check needs of an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub account: Account,
    /// Argon2id PHC string.
    pub hash: String,
    /// Bumped by every password change; written into tokens.
    pub version: i32,
}

fn credentials_of(u: user::Model) -> Result<Credentials, DbErr> {
    let hash = u.password_hash.clone();
    let version = u.credential_version;
    decode(u).map(|account| Credentials {
        account,
        hash,
        version,
    })
}

/// The account of a username with its password hash, for a login.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn credentials(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<Credentials>, DbErr> {
    by_username(db, username)
        .await?
        .map(credentials_of)
        .transpose()
}

/// The credentials of an account by id.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn credentials_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<Credentials>, DbErr> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(credentials_of)
        .transpose()
}

/// Sets an account's password hash if its credential version is still `version`, and bumps the
/// version (every token issued before stops working). `false` when the account is gone or its
/// password changed meanwhile.
///
/// # Errors
/// Database failures.
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    hash: String,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    let r = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::CredentialVersion, Expr::value(version + 1))
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::CredentialVersion.eq(version))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Inserts an account whose password is already hashed (hash outside the transaction: it is slow).
///
/// # Errors
/// Database failures, including a duplicate username (a unique violation).
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewUser,
    hash: String,
    now: DateTime<Utc>,
) -> Result<Account, DbErr> {
    decode(insert_model(db, new, hash, now).await?)
}

async fn insert_model(
    db: &impl ConnectionTrait,
    new: NewUser,
    hash: String,
    now: DateTime<Utc>,
) -> Result<user::Model, DbErr> {
    user::ActiveModel {
        username: Set(new.username),
        password_hash: Set(hash),
        role: Set(new.role.as_str().into()),
        district_code: Set(new.district_code),
        organisation_id: Set(new.organisation_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub district_code: Option<String>,
    pub organisation_id: Option<i32>,
}

/// # Errors
/// Database failures.
pub async fn by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn list(
    db: &impl ConnectionTrait,
    role: Option<Role>,
) -> Result<Vec<user::Model>, DbErr> {
    list_after(db, role, None, None).await
}

/// Accounts after the id `after` in id order, at most `fetch`, optionally only one role's.
///
/// # Errors
/// Database failures.
pub async fn list_after(
    db: &impl ConnectionTrait,
    role: Option<Role>,
    after: Option<i32>,
    fetch: Option<u64>,
) -> Result<Vec<user::Model>, DbErr> {
    let mut q = user::Entity::find().order_by_asc(user::Column::Id);
    if let Some(r) = role {
        q = q.filter(user::Column::Role.eq(r.as_str()));
    }
    if let Some(a) = after {
        q = q.filter(user::Column::Id.gt(a));
    }
    if let Some(n) = fetch {
        q = q.limit(n);
    }
    q.all(db).await
}

/// The usernames of these accounts (one query), for histories.
///
/// # Errors
/// Database failures.
pub async fn usernames(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(i32, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Username)
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_unknown_stored_role_fails_loudly() {
        let row = |role: &str| user::Model {
            id: 7,
            username: "someone".into(),
            password_hash: "x".into(),
            role: role.into(),
            district_code: None,
            organisation_id: None,
            created_at: Utc.with_ymd_and_hms(2024, 1, 29, 9, 0, 0).unwrap(),
            credential_version: 0,
            email: None,
        };
        assert_eq!(decode(row("expert")).unwrap().role, Role::Expert);
        let e = decode(row("admin")).unwrap_err().to_string();
        assert!(e.contains("role of account 7"), "{e}");
    }
}
