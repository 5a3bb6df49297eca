//! Rounds (年度批次): the year's deadline, list size, selection weights, constraints and scoring
//! constants. Changes need the version read (`If-Match`) and, once intake has opened, a reason
//! for moving the deadline or the weights; each is an event in the log.

use chrono::{DateTime, FixedOffset, Utc};

use super::history::{self, Entry};
use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::event::AggregateRef;
use crate::domain::json_patch;
use crate::domain::role::Role;
use crate::domain::round::{check_reason, validate_round, Round, RoundSettings};
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{etag, parse_json, IfMatch};
use crate::state::AppState;
use crate::store;

/// A new round as asked for.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub year: i32,
    pub title: String,
    pub intake_deadline: DateTime<FixedOffset>,
    pub list_size: i64,
    pub settings: RoundSettings,
}

/// A change to a round: members left out stay; `settings` is an RFC 7396 merge patch over the
/// stored settings.
#[derive(Debug, Clone, Default)]
pub struct RoundPatch {
    pub title: Option<String>,
    pub intake_deadline: Option<DateTime<FixedOffset>>,
    pub list_size: Option<i64>,
    pub settings: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// The strong entity tag of a round's version.
pub fn round_etag(r: &Round) -> String {
    etag("round", r.id, r.version)
}

fn settings_errors(settings: &RoundSettings) -> Vec<FieldError> {
    settings
        .validate()
        .into_iter()
        .map(|e| FieldError::new(format!("settings.{}", e.field), e.message))
        .collect()
}

/// Creates the round of a year (commission). One round per year.
///
/// # Errors
/// 403 for other roles, 422 for bad fields, 409 when the year has a round.
#[tracing::instrument(skip_all, fields(year = new.year))]
pub async fn create(state: &AppState, caller: &Caller, new: NewRound) -> Result<Round> {
    caller.require(&[Role::Commission])?;
    let mut errors = validate_round(new.year, &new.title, new.list_size);
    errors.extend(settings_errors(&new.settings));
    ApiError::check(errors)?;
    if store::rounds::by_year(&state.db, new.year).await?.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-round-exists-change-patch",
            year = new.year
        )));
    }
    let list_size = i32::try_from(new.list_size).map_err(|_| {
        ApiError::field("list_size", crate::msg!("field-between", min = 1, max = 50))
    })?;
    let mut uow = Uow::begin(state, caller).await?;
    let round = store::rounds::insert(
        uow.db(),
        new.year,
        new.title.trim().to_owned(),
        new.intake_deadline,
        list_size,
        &new.settings,
        uow.now(),
    )
    .await?;
    let doc = round.document().map_err(anyhow::Error::from)?;
    uow.record(
        NewEvent::new(
            AggregateType::Round,
            round.year,
            "create",
            Visibility::Public,
        )
        .version(round.version)
        .payload(json_patch::diff(&serde_json::json!({}), &doc)),
    );
    uow.commit().await?;
    Ok(round)
}

/// Every round, newest first (anyone).
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState) -> Result<Vec<Round>> {
    Ok(store::rounds::all(&state.db).await?)
}

/// The round of a year (anyone), or 404.
///
/// # Errors
/// 404 when the year has no round.
#[tracing::instrument(skip_all, fields(year))]
pub async fn get(state: &AppState, year: i32) -> Result<Round> {
    store::rounds::get(&state.db, year)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-round", year = year)))
}

/// Changes a round (commission): needs `If-Match` with the version read; a change to the
/// deadline or the weights after intake opened (a proposal has been filed) needs a reason of at
/// least ten characters. The change and its reason are an event in the round's history.
///
/// # Errors
/// 403, 404, 428/412 (If-Match), 422 for bad fields or a missing reason.
#[tracing::instrument(skip_all, fields(year))]
pub async fn update(
    state: &AppState,
    caller: &Caller,
    year: i32,
    if_match: &IfMatch,
    patch: RoundPatch,
) -> Result<Round> {
    caller.require(&[Role::Commission])?;
    let current = get(state, year).await?;
    let mut changed = current.clone();
    if let Some(t) = patch.title {
        changed.title = t.trim().to_owned();
    }
    if let Some(d) = patch.intake_deadline {
        changed.intake_deadline_text = d.to_rfc3339();
        changed.intake_deadline = d.with_timezone(&Utc);
    }
    let mut errors = Vec::new();
    if let Some(n) = patch.list_size {
        match i32::try_from(n) {
            Ok(n) => changed.list_size = n,
            Err(_) => errors.push(FieldError::new(
                "list_size",
                crate::msg!("field-between", min = 1, max = 50),
            )),
        }
    }
    errors.extend(validate_round(
        changed.year,
        &changed.title,
        i64::from(changed.list_size),
    ));
    if let Some(p) = &patch.settings {
        let mut merged = serde_json::to_value(&current.settings).map_err(anyhow::Error::from)?;
        json_patch::merge(&mut merged, p);
        let bytes = serde_json::to_vec(&merged).map_err(anyhow::Error::from)?;
        changed.settings = parse_json(&bytes).map_err(|e| match e {
            ApiError::Validation(errs) => ApiError::Validation(
                errs.into_iter()
                    .map(|f| FieldError::new(format!("settings.{}", f.field), f.message))
                    .collect(),
            ),
            other => other,
        })?;
        errors.extend(settings_errors(&changed.settings));
    }
    let needs_reason = current.moves_goalposts(&changed)
        && store::rounds::has_proposals(&state.db, current.id).await?;
    let reason = match check_reason(needs_reason, patch.reason.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    ApiError::check(errors)?;
    // Invalid content is refused as such (422) whatever version it names; a valid change must
    // name the current one.
    if_match.check(&round_etag(&current))?;
    let before = current.document().map_err(anyhow::Error::from)?;
    let after = changed.document().map_err(anyhow::Error::from)?;
    let ops = json_patch::diff(&before, &after);
    if ops.is_empty() {
        return Ok(current);
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let Some(updated) =
        store::rounds::update_if_version(uow.db(), &changed, current.version, now).await?
    else {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-someone-else-changed-round-at",
            year = year
        )));
    };
    uow.record(
        NewEvent::new(AggregateType::Round, year, "update", Visibility::Public)
            .version(updated.version)
            .reason(reason)
            .payload(ops),
    );
    uow.commit().await?;
    Ok(updated)
}

/// The round's history, oldest first (anyone: rounds are public).
///
/// # Errors
/// 404 when the year has no round.
#[tracing::instrument(skip_all, fields(year))]
pub async fn history(
    state: &AppState,
    year: i32,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<Entry>> {
    let round = get(state, year).await?;
    history::page(
        state,
        &AggregateRef::new(AggregateType::Round, round.year),
        args,
    )
    .await
}
