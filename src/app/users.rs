//! Use cases of accounts: creating them (the commission, or the system for the CLI and the first
//! start), reading them, and exchanging a password for a token. Each account created is one
//! commission-only event.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{Actor, AggregateType, NewEvent, Uow, Visibility};
use crate::auth::password::{self, HashError};
use crate::auth::Caller;
use crate::domain::event::AggregateRef;
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::login_throttle::{self, Counter, Decision, Policy};
use crate::domain::password_policy;
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
    if let Some(a) = &caller.account {
        return Ok(a.as_ref().clone());
    }
    store::users::account(&state.db, caller.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-account")))
}

/// Accounts, optionally only one role's (commission only).
///
/// # Errors
/// 403 for another role.
#[tracing::instrument(skip_all, fields(role = ?role))]
pub async fn list(
    state: &AppState,
    caller: &Caller,
    role: Option<Role>,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<Account>> {
    caller.require(&[Role::Commission])?;
    let rows =
        store::users::accounts_after(&state.db, role, args.after_i32(), args.fetch()).await?;
    Ok(args.cut(rows, |a| i64::from(a.id)))
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
        errors.push(FieldError::new("username", crate::msg!("field-username")));
    }
    if let Some(why) = password_policy::check(&new.username, &new.password) {
        errors.push(FieldError::new("password", why));
    }
    match (new.role, &new.district_code) {
        (Role::District, None) => errors.push(FieldError::new(
            "district_code",
            crate::msg!("field-required-for-district-officer"),
        )),
        (Role::District, Some(code)) => {
            if store::reference::district(&state.db, code).await?.is_none() {
                errors.push(FieldError::new(
                    "district_code",
                    crate::msg!("field-no-district", code = format!("{code:?}")),
                ));
            }
        }
        (_, Some(_)) => errors.push(FieldError::new(
            "district_code",
            crate::msg!("field-only-district-officer-district"),
        )),
        (_, None) => {}
    }
    match (new.role, new.organisation_id) {
        (Role::Applicant, None) => errors.push(FieldError::new(
            "organisation_id",
            crate::msg!("field-required-for-applicant"),
        )),
        (Role::Applicant, Some(id)) => {
            if store::organisations::by_id(&state.db, id).await?.is_none() {
                errors.push(FieldError::new(
                    "organisation_id",
                    crate::msg!("field-no-organisation", id = id),
                ));
            }
        }
        // A third-party evaluator is bound to its evaluation body (so that it is never engaged
        // to evaluate its own organisation's brain).
        (Role::Evaluator, Some(id)) => {
            if store::organisations::by_id(&state.db, id).await?.is_none() {
                errors.push(FieldError::new(
                    "organisation_id",
                    crate::msg!("field-no-organisation", id = id),
                ));
            }
        }
        (_, Some(_)) => errors.push(FieldError::new(
            "organisation_id",
            crate::msg!("field-only-applicant-evaluator-organisation"),
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
        return Err(ApiError::conflict(crate::msg!(
            "conflict-username-taken",
            username = new.username
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
    let hash = hash(state, password_text.to_owned()).await?;
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
    let hash = hash(state, new.password.clone()).await?;
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
    if let Some(why) = password_policy::check("admin", &password) {
        return Err(ApiError::field("JIEBANG__BOOTSTRAP__ADMIN_PASSWORD", why));
    }
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

/// Hashes a password within the hashing bound.
async fn hash(state: &AppState, password_text: String) -> Result<String> {
    state.hasher.hash(password_text).await.map_err(hash_error)
}

fn hash_error(e: HashError) -> ApiError {
    match e {
        HashError::Busy => ApiError::Unavailable {
            detail: crate::msg!("detail-password-checking-saturated-try-again"),
            retry_after: 2,
        },
        HashError::Failed(e) => ApiError::Unexpected(e),
    }
}

/// The throttle key of a username, and of a client address.
fn account_key(username: &str) -> String {
    format!("account:{username}")
}

fn address_key(addr: IpAddr) -> String {
    format!("address:{addr}")
}

/// Charges an attempt to each key (see `domain::login_throttle`), in one transaction that
/// serialises attempts on the same keys across instances; the counters after the charge.
///
/// # Errors
/// 429 with `Retry-After` when a key is delayed or locked (nothing is charged then).
async fn charge(state: &AppState, keys: &[(&str, Policy)]) -> Result<Vec<Counter>> {
    let uow = Uow::begin(state, Actor::System).await?;
    let now = uow.now();
    let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
    store::throttle::lock(uow.db(), &names, now).await?;
    let mut charged = Vec::with_capacity(keys.len());
    let mut refused: Option<DateTime<Utc>> = None;
    for (key, policy) in keys {
        let counter = store::throttle::get(uow.db(), key).await?;
        match policy.charge(counter.as_ref(), now) {
            Decision::Refuse { until } => refused = Some(refused.map_or(until, |u| u.max(until))),
            Decision::Charge(next) => charged.push(next),
        }
    }
    if let Some(until) = refused {
        // Nothing is written: the transaction rolls back when dropped.
        let retry_after = login_throttle::retry_after(until, now);
        tracing::info!(retry_after, "login refused: too many failures");
        metrics::counter!(crate::metrics::LOGINS_FAILED, "reason" => "throttled").increment(1);
        return Err(ApiError::TooManyRequests {
            detail: crate::msg!("detail-too-many-failed-logins-account"),
            retry_after,
        });
    }
    for ((key, _), counter) in keys.iter().zip(&charged) {
        store::throttle::put(uow.db(), key, counter).await?;
    }
    uow.commit().await?;
    Ok(charged)
}

/// Records, after a failed attempt, each key whose throttling has just begun (its delay) or that
/// is now locked: one commission-only event, on the account when it exists, else on the login
/// key. Never the password.
async fn record_throttling(
    state: &AppState,
    account_id: Option<i32>,
    keys: &[(&str, Policy)],
    counters: &[Counter],
) -> Result<()> {
    let mut events = Vec::new();
    for ((key, policy), c) in keys.iter().zip(counters) {
        let (kind, until) = match c.locked_until {
            Some(until) => ("login_locked", until),
            None if c.failures == policy.delay_after => (
                "login_throttled",
                c.last_failure_at + policy.delay(c.failures),
            ),
            None => continue,
        };
        let (scope, aggregate) = match (key.split_once(':'), account_id) {
            (Some(("account", _)), Some(id)) => ("account", (AggregateType::User, id.to_string())),
            (Some(("account", _)), None) => ("account", (AggregateType::Login, (*key).to_owned())),
            _ => ("address", (AggregateType::Login, (*key).to_owned())),
        };
        events.push(
            NewEvent::new(aggregate.0, aggregate.1, kind, Visibility::Commission)
                .op(PatchOp::add("/scope", scope))
                .op(PatchOp::add("/failures", c.failures))
                .op(PatchOp::add("/until", until.to_rfc3339())),
        );
    }
    if events.is_empty() {
        return Ok(());
    }
    let mut uow = Uow::begin(state, Actor::System).await?;
    for e in events {
        uow.record(e);
    }
    uow.commit().await?;
    Ok(())
}

/// Exchanges a username and password for a bearer token. Wrong credentials get the same 401
/// whether or not the account exists (and cost the same time: an unknown account is checked
/// against a dummy hash, and throttled alike). Failed attempts are throttled per account and per
/// client address (`domain::login_throttle`).
///
/// # Errors
/// 401 for wrong credentials, 429 while throttled, 503 when password checking stays saturated.
#[tracing::instrument(skip_all, fields(username = %username))]
pub async fn login(
    state: &AppState,
    username: &str,
    password_text: String,
    client: Option<IpAddr>,
) -> Result<Token> {
    let account = account_key(username);
    let address = client.map(address_key);
    let mut keys = vec![(account.as_str(), login_throttle::ACCOUNT)];
    if let Some(a) = &address {
        keys.push((a.as_str(), login_throttle::ADDRESS));
    }
    let counters = charge(state, &keys).await?;
    let found = store::users::credentials(&state.db, username).await?;
    let ok = state
        .hasher
        .verify(password_text, found.as_ref().map(|c| c.hash.clone()))
        .await
        .map_err(hash_error)?;
    let creds = match found {
        Some(c) if ok => c,
        found => {
            record_throttling(state, found.map(|c| c.account.id), &keys, &counters).await?;
            metrics::counter!(crate::metrics::LOGINS_FAILED, "reason" => "credentials")
                .increment(1);
            return Err(ApiError::Unauthorized(crate::msg!(
                "unauthorized-wrong-username-password"
            )));
        }
    };
    let uow = Uow::begin(state, Actor::System).await?;
    store::throttle::clear(uow.db(), &account).await?;
    if let Some(a) = &address {
        store::throttle::refund(uow.db(), a).await?;
    }
    uow.commit().await?;
    let access_token = state.auth.issue(
        creds.account.id,
        creds.account.role,
        creds.version,
        state.clock.now().timestamp(),
    )?;
    Ok(Token {
        access_token,
        expires_in: state.auth.ttl_secs,
    })
}

/// Sets a checked new password: bumps the credential version (every earlier token stops
/// working), clears the account's failed logins and records the event, in one unit of work.
async fn set_password(
    state: &AppState,
    actor: Actor,
    creds: &store::users::Credentials,
    new_password: String,
    event: &str,
) -> Result<i32> {
    let hash = hash(state, new_password).await?;
    let mut uow = Uow::begin(state, actor).await?;
    if !store::users::set_password(uow.db(), creds.account.id, creds.version, hash).await? {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-password-was-changed-someone-else"
        )));
    }
    store::throttle::clear(uow.db(), &account_key(&creds.account.username)).await?;
    let version = creds.version + 1;
    uow.record(
        NewEvent::new(
            AggregateType::User,
            creds.account.id,
            event,
            Visibility::Commission,
        )
        .payload(
            PatchOp::change("/credential_version", creds.version, version)
                .into_iter()
                .collect(),
        ),
    );
    uow.commit().await?;
    Ok(version)
}

/// Changes the caller's own password, given the current one, and returns a new token (every
/// token issued before, this request's included, stops working). Wrong current passwords are
/// throttled as failed logins of the account.
///
/// # Errors
/// 422 for a wrong current password or a new one the policy refuses, 429 while throttled, 503
/// when password checking stays saturated, 409 when the password changed meanwhile.
#[tracing::instrument(skip_all, fields(user_id = caller.id))]
pub async fn change_own_password(
    state: &AppState,
    caller: &Caller,
    current: String,
    new_password: String,
) -> Result<Token> {
    let mut errors = Vec::new();
    if let Some(why) = password_policy::check(&caller.username, &new_password) {
        errors.push(FieldError::new("new_password", why));
    } else if new_password == current {
        errors.push(FieldError::new(
            "new_password",
            crate::msg!("field-password-unchanged"),
        ));
    }
    ApiError::check(errors)?;
    let account = account_key(&caller.username);
    let keys = [(account.as_str(), login_throttle::ACCOUNT)];
    let counters = charge(state, &keys).await?;
    let creds = store::users::credentials_by_id(&state.db, caller.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-account")))?;
    let ok = state
        .hasher
        .verify(current, Some(creds.hash.clone()))
        .await
        .map_err(hash_error)?;
    if !ok {
        record_throttling(state, Some(caller.id), &keys, &counters).await?;
        return Err(ApiError::field(
            "current_password",
            crate::msg!("field-password-wrong"),
        ));
    }
    let version = set_password(
        state,
        Actor::from(caller),
        &creds,
        new_password,
        "password_changed",
    )
    .await?;
    let access_token = state.auth.issue(
        creds.account.id,
        creds.account.role,
        version,
        state.clock.now().timestamp(),
    )?;
    Ok(Token {
        access_token,
        expires_in: state.auth.ttl_secs,
    })
}

/// Sets another account's password (commission only): every token of that account stops working
/// and its failed logins (a lock included) are cleared.
///
/// # Errors
/// 403 for another role, 404 for an unknown account, 422 for a password the policy refuses, 503
/// when password hashing stays saturated.
#[tracing::instrument(skip_all, fields(user_id = id))]
pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    id: i32,
    new_password: String,
) -> Result<()> {
    caller.require(&[Role::Commission])?;
    let creds = store::users::credentials_by_id(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-account-2", id = id)))?;
    if let Some(why) = password_policy::check(&creds.account.username, &new_password) {
        return Err(ApiError::field("new_password", why));
    }
    set_password(
        state,
        Actor::from(caller),
        &creds,
        new_password,
        "password_reset",
    )
    .await?;
    Ok(())
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
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<super::history::Entry>> {
    caller.require(&[Role::Commission])?;
    if store::users::account(&state.db, id).await?.is_none() {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-account-2",
            id = id
        )));
    }
    super::history::page(state, &AggregateRef::new(AggregateType::User, id), args).await
}
