//! Use cases of applicant organisations (建设主体 / 揭榜方): registration by the commission or a
//! district officer for its own district, reading within the caller's scope, and the history.
//! Each organisation registered is one commission-only event.

use serde_json::json;

use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::builders::OrganisationKind;
use crate::domain::codes::Uscc;
use crate::domain::event::AggregateRef;
use crate::domain::json_patch;
use crate::domain::money::Money;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;
pub use crate::store::organisations::Organisation;

/// A new organisation as asked for.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub uscc: String,
    pub district_code: String,
    pub registered_capital: Option<Money>,
    /// Its type; `other` when not given.
    pub kind: Option<OrganisationKind>,
}

/// Registers an applicant organisation (commission, or a district officer for its own district).
///
/// # Errors
/// 403 for another role or another district, 422 for a bad name, credit code or district, 409
/// for a credit code that is registered.
#[tracing::instrument(skip_all, fields(district_code = %new.district_code))]
pub async fn create(
    state: &AppState,
    caller: &Caller,
    new: NewOrganisation,
) -> Result<Organisation> {
    caller.require(&[Role::Commission, Role::District])?;
    let mut errors = Vec::new();
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            crate::msg!("field-chars", min = 1, max = 200),
        ));
    }
    let uscc = match Uscc::parse(&new.uscc) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.push(FieldError::new("uscc", e));
            None
        }
    };
    if store::reference::district(&state.db, &new.district_code)
        .await?
        .is_none()
    {
        errors.push(FieldError::new(
            "district_code",
            crate::msg!(
                "field-no-district",
                code = format!("{:?}", new.district_code)
            ),
        ));
    } else if caller.is(Role::District)
        && caller.district_code.as_deref() != Some(new.district_code.as_str())
    {
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-district-officer-registers-organisations-own"
        )));
    }
    ApiError::check(errors)?;
    let uscc = uscc.ok_or_else(|| ApiError::field("uscc", crate::msg!("field-invalid")))?;

    let mut uow = Uow::begin(state, caller).await?;
    let org = store::organisations::insert(
        uow.db(),
        name,
        uscc.as_str().to_owned(),
        new.district_code,
        new.registered_capital,
        new.kind.unwrap_or(OrganisationKind::Other),
        uow.now(),
    )
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Conflict { .. } => ApiError::conflict(crate::msg!(
            "conflict-organisation-unified-social-credit-code"
        )),
        other => other,
    })?;
    let doc = json_patch::strip_nulls(&json!({
        "name": org.name,
        "uscc": org.uscc,
        "district_code": org.district_code,
        "registered_capital": org.registered_capital,
        "kind": org.kind,
    }));
    uow.record(
        NewEvent::new(
            AggregateType::Organisation,
            org.id,
            "create",
            Visibility::Commission,
        )
        .payload(json_patch::diff(&json!({}), &doc)),
    );
    uow.commit().await?;
    Ok(org)
}

/// The scope a caller may see: commission all, district its district's, applicant its own.
fn scope(caller: &Caller) -> Result<(Option<&str>, Option<i32>)> {
    match caller.role {
        Role::Commission => Ok((None, None)),
        Role::District => Ok((Some(caller.district_code.as_deref().unwrap_or("")), None)),
        Role::Applicant => Ok((None, Some(caller.organisation_id.unwrap_or(-1)))),
        _ => Err(ApiError::Forbidden(crate::msg!(
            "forbidden-organisations-visible-commission-districts-applicants"
        ))),
    }
}

/// The organisations the caller may see, a page at a time in id order.
///
/// # Errors
/// 403 for a role that sees none.
#[tracing::instrument(skip_all, fields(user_id = caller.id))]
pub async fn list(
    state: &AppState,
    caller: &Caller,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<Organisation>> {
    let (district, id) = scope(caller)?;
    let rows = store::organisations::organisations_after(
        &state.db,
        district,
        id,
        args.after_i32(),
        Some(args.fetch()),
    )
    .await?;
    Ok(args.cut(rows, |o| i64::from(o.id)))
}

/// One organisation, if the caller may see it.
///
/// # Errors
/// 403 for a role that sees none, 404 for one outside the caller's scope or unknown.
#[tracing::instrument(skip_all, fields(organisation_id = id))]
pub async fn get(state: &AppState, caller: &Caller, id: i32) -> Result<Organisation> {
    let (district, only) = scope(caller)?;
    store::organisations::find(&state.db, id)
        .await?
        .filter(|o| district.is_none_or(|d| d == o.district_code) && only.is_none_or(|x| x == o.id))
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-organisation-2", id = id)))
}

/// An organisation's history, oldest first (the commission, and the organisation's own
/// applicant accounts).
///
/// # Errors
/// 403 for another role, 404 for an unknown organisation or another applicant's.
#[tracing::instrument(skip_all, fields(organisation_id = id))]
pub async fn history(
    state: &AppState,
    caller: &Caller,
    id: i32,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<super::history::Entry>> {
    caller.require(&[Role::Commission, Role::Applicant])?;
    let visible = store::organisations::find(&state.db, id)
        .await?
        .is_some_and(|o| caller.is(Role::Commission) || caller.organisation_id == Some(o.id));
    if !visible {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-organisation-2",
            id = id
        )));
    }
    super::history::page(
        state,
        &AggregateRef::new(AggregateType::Organisation, id),
        args,
    )
    .await
}
