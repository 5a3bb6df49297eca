//! Use cases of accounts: creating them (the commission, or the system for the CLI and the first
//! start), reading them, and exchanging a password for a token. Each account created is one
//! commission-only event.

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{Actor, AggregateType, NewEvent, Uow, Visibility};
use crate::auth::{password, Caller};
use crate::domain::event::AggregateRef;
use crate::domain::json_patch;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;
pub use crate::store::users::Account;

/// A new account as asked for.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub district_code: Option<String>,
    pub organisation_id: Option<i32>,
}

/// A bearer token issued on a login.
#[derive(Debug, Clone)]
pub struct Token {
    pub access_token: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

/// The caller's own account.
///
/// # Errors
/// 404 when the account is gone.
#[tracing::instrument(skip_all, fields(user_id = caller.id))]
pub async fn me(state: &AppState, caller: &Caller) -> Result<Account> {
    store::users::account(&state.db, caller.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("account".into()))
}

/// Accounts, optionally only one role's (commission only).
///
/// # Errors
/// 403 for another role.
#[tracing::instrument(skip_all, fields(role = ?role))]
pub async fn list(state: &AppState, caller: &Caller, role: Option<Role>) -> Result<Vec<Account>> {
    caller.require(&[Role::Commission])?;
    Ok(store::users::accounts(&state.db, role).await?)
}

/// Checks a new account's fields and bindings (which must exist), naming every bad field.
async fn validate(state: &AppState, new: &NewAccount) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    let name_ok = (3..=64).contains(&new.username.chars().count())
        && new
            .username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !name_ok {
        errors.push(FieldError::new(
            "username",
            "must be 3–64 characters: letters, digits, '.', '_' or '-'",
        ));
    }
    if new.password.chars().count() < 12 {
        errors.push(FieldError::new(
            "password",
            "must be at least 12 characters",
        ));
    }
    match (new.role, &new.district_code) {
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
    match (new.role, new.organisation_id) {
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
        // A third-party evaluator is bound to its evaluation body (so that it is never engaged
        // to evaluate its own organisation's brain).
        (Role::Evaluator, Some(id)) => {
            if store::organisations::by_id(&state.db, id).await?.is_none() {
                errors.push(FieldError::new(
                    "organisation_id",
                    format!("no organisation {id}"),
                ));
            }
        }
        (_, Some(_)) => errors.push(FieldError::new(
            "organisation_id",
            "only an applicant or an evaluator is bound to an organisation",
        )),
        (_, None) => {}
    }
    Ok(errors)
}

/// Creates an account (commission only).
///
/// # Errors
/// 403 for another role, 422 for bad fields or bindings that do not exist, 409 for a username
/// that is taken.
#[tracing::instrument(skip_all, fields(username = %new.username))]
pub async fn create(state: &AppState, caller: &Caller, new: NewAccount) -> Result<Account> {
    caller.require(&[Role::Commission])?;
    register(state, Actor::from(caller), new).await
}

/// Creates an account as the system's act (the `jiebang user add` command), with the same checks
/// as [`create`].
///
/// # Errors
/// As [`create`], less the role check.
#[tracing::instrument(skip_all, fields(username = %new.username))]
pub async fn create_by_system(state: &AppState, new: NewAccount) -> Result<Account> {
    register(state, Actor::System, new).await
}

async fn register(state: &AppState, actor: Actor, new: NewAccount) -> Result<Account> {
    ApiError::check(validate(state, &new).await?)?;
    if store::users::by_username(&state.db, &new.username)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(format!(
            "the username {:?} is taken",
            new.username
        )));
    }
    insert(state, actor, new).await
}

/// Creates accounts that share one password, hashed once (the demo data's accounts), as the
/// system's act, with the same checks as [`create`] for each; an existing username is left as
/// it is and returned.
///
/// # Errors
/// As [`create`].
#[tracing::instrument(skip_all, fields(accounts = accounts.len()))]
pub async fn ensure_with_shared_password(
    state: &AppState,
    password_text: &str,
    accounts: Vec<NewAccount>,
) -> Result<Vec<Account>> {
    let hash = password::hash(password_text.to_owned()).await?;
    let mut out = Vec::with_capacity(accounts.len());
    for mut new in accounts {
        new.password = password_text.to_owned();
        if let Some(existing) = store::users::by_username(&state.db, &new.username).await? {
            out.push(store::users::decode(existing)?);
            continue;
        }
        ApiError::check(validate(state, &new).await?)?;
        out.push(insert_hashed(state, Actor::System, new, hash.clone()).await?);
    }
    Ok(out)
}

/// Hashes (outside the transaction: it is slow), inserts and records the event.
async fn insert(state: &AppState, actor: Actor, new: NewAccount) -> Result<Account> {
    let hash = password::hash(new.password.clone()).await?;
    insert_hashed(state, actor, new, hash).await
}

async fn insert_hashed(
    state: &AppState,
    actor: Actor,
    new: NewAccount,
    hash: String,
) -> Result<Account> {
    let mut uow = Uow::begin(state, actor).await?;
    let now = uow.now();
    let account = store::users::insert(
        uow.db(),
        store::users::NewUser {
            username: new.username,
            password: new.password,
            role: new.role,
            district_code: new.district_code,
            organisation_id: new.organisation_id,
        },
        hash,
        now,
    )
    .await?;
    let doc = json_patch::strip_nulls(&json!({
        "username": account.username,
        "role": account.role,
        "district_code": account.district_code,
        "organisation_id": account.organisation_id,
    }));
    uow.record(
        NewEvent::new(
            AggregateType::User,
            account.id,
            "create",
            Visibility::Commission,
        )
        .payload(json_patch::diff(&json!({}), &doc)),
    );
    uow.commit().await?;
    Ok(account)
}

/// On an empty database, creates the commission account `admin` as the system's act. Without a
/// configured password a strong one is generated and logged once.
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip_all)]
pub async fn bootstrap_admin(state: &AppState, configured: Option<&SecretString>) -> Result<()> {
    if !store::users::accounts(&state.db, None).await?.is_empty() {
        return Ok(());
    }
    let (password, generated) = match configured {
        Some(p) => (p.expose_secret().to_owned(), false),
        None => (password::generate(), true),
    };
    let new = NewAccount {
        username: "admin".into(),
        password: password.clone(),
        role: Role::Commission,
        district_code: None,
        organisation_id: None,
    };
    match insert(state, Actor::System, new).await {
        Ok(_) if generated => {
            tracing::warn!(
                username = "admin",
                password = %password,
                "created the first commission account with a generated password; it is shown only this once"
            );
        }
        Ok(_) => tracing::info!(username = "admin", "created the first commission account"),
        // Another instance created it at the same moment.
        Err(e)
            if store::users::by_username(&state.db, "admin")
                .await?
                .is_some() =>
        {
            tracing::debug!(error = %e, "admin already created by another instance");
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Exchanges a username and password for a bearer token. Wrong credentials get the same 401
/// whether or not the account exists (and cost the same time).
///
/// # Errors
/// 401 for wrong credentials.
#[tracing::instrument(skip_all, fields(username = %username))]
pub async fn login(state: &AppState, username: &str, password_text: String) -> Result<Token> {
    let found = store::users::credentials(&state.db, username).await?;
    let ok = password::verify(password_text, found.as_ref().map(|(_, h)| h.clone())).await?;
    let account = match found {
        Some((a, _)) if ok => a,
        _ => return Err(ApiError::Unauthorized("wrong username or password".into())),
    };
    let access_token = state
        .auth
        .issue(account.id, account.role, state.clock.now().timestamp())?;
    Ok(Token {
        access_token,
        expires_in: state.auth.ttl_secs,
    })
}

/// An account's history, oldest first (commission only).
///
/// # Errors
/// 403 for another role, 404 for an unknown account.
#[tracing::instrument(skip_all, fields(user_id = id))]
pub async fn history(
    state: &AppState,
    caller: &Caller,
    id: i32,
) -> Result<Vec<super::history::Entry>> {
    caller.require(&[Role::Commission])?;
    if store::users::account(&state.db, id).await?.is_none() {
        return Err(ApiError::NotFound(format!("account {id}")));
    }
    super::history::of(state, &AggregateRef::new(AggregateType::User, id)).await
}
