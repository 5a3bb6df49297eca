//! Findings of falsification (弄虚作假) against a proposal, a bid or a project: recorded by the
//! commission with a reason and the evidence, a draft (the commission's) until final, then
//! public and unchangeable.

use serde_json::Value;

use super::{calls, AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::attestation::{check_finding, Finding, FindingStatus, FindingSubject};
use crate::domain::json_patch::PatchOp;
use crate::domain::role::Role;
use crate::error::{ApiError, Result};
use crate::extract::{etag, IfMatch};
use crate::state::AppState;
use crate::store;

pub fn finding_etag(f: &Finding) -> String {
    etag("finding", f.id, f.version)
}

fn doc(f: &Finding) -> Vec<PatchOp> {
    [
        ("/subject_type", Value::from(f.subject.as_str())),
        ("/subject_id", Value::from(f.subject_id)),
        ("/reason", Value::from(f.reason.clone())),
        ("/evidence", Value::from(f.evidence.clone())),
    ]
    .into_iter()
    .map(|(p, v)| PatchOp::add(p, v))
    .collect()
}

/// Checks the subject exists and may be named: a bid only once its call is opened (before,
/// which bid is whose is sealed).
async fn check_subject(state: &AppState, subject: FindingSubject, id: i32) -> Result<()> {
    let missing = || ApiError::NotFound(crate::msg!("not-found-msg", subject = subject, id = id));
    match subject {
        FindingSubject::Proposal => {
            store::proposals::get(&state.db, id)
                .await?
                .ok_or_else(missing)?;
        }
        FindingSubject::Project => {
            store::projects::get(&state.db, id)
                .await?
                .ok_or_else(missing)?;
        }
        FindingSubject::Bid => {
            let bid = store::bids::bid(&state.db, id).await?.ok_or_else(missing)?;
            if calls::find(state, bid.call_id).await?.opened_at.is_none() {
                return Err(ApiError::conflict(crate::msg!(
                    "conflict-bid-s-call-opened-yet"
                )));
            }
        }
    }
    Ok(())
}

/// Records a finding as a draft (commission).
///
/// # Errors
/// 403 for another role, 404 for an unknown subject, 409 for a sealed bid, 422 for a blank
/// reason or evidence.
#[tracing::instrument(skip_all, fields(subject = %subject, subject_id))]
pub async fn record(
    state: &AppState,
    caller: &Caller,
    subject: FindingSubject,
    subject_id: i32,
    reason: &str,
    evidence: &str,
) -> Result<Finding> {
    caller.require(&[Role::Commission])?;
    ApiError::check(check_finding(reason, evidence))?;
    check_subject(state, subject, subject_id).await?;
    let mut uow = Uow::begin(state, caller).await?;
    let f = store::findings::insert(
        uow.db(),
        subject,
        subject_id,
        reason.trim().to_owned(),
        evidence.trim().to_owned(),
        caller.id,
        uow.now(),
    )
    .await?;
    let mut ops = vec![PatchOp::add("/status", f.status.as_str())];
    ops.extend(doc(&f));
    uow.record(
        NewEvent::new(
            AggregateType::Finding,
            f.id,
            "finding_recorded",
            Visibility::Commission,
        )
        .version(f.version)
        .payload(ops),
    );
    uow.commit().await?;
    Ok(f)
}

/// Makes a draft finding final and public (commission, `If-Match`). The public event states the
/// whole finding.
///
/// # Errors
/// 403 for another role, 404 for an unknown finding, 409 when already final, 412/428.
#[tracing::instrument(skip_all, fields(finding_id = id))]
pub async fn finalise(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
) -> Result<Finding> {
    caller.require(&[Role::Commission])?;
    let f = store::findings::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-finding", id = id)))?;
    if_match.check(&finding_etag(&f))?;
    if f.status == FindingStatus::Final {
        return Err(
            ApiError::conflict(crate::msg!("conflict-finding-already-final"))
                .with("current_state", f.status),
        );
    }
    let mut uow = Uow::begin(state, caller).await?;
    if !store::findings::finalise(uow.db(), f.id, f.version, caller.id, uow.now()).await? {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-finding-changed-meanwhile-read-again"
        )));
    }
    let mut ops: Vec<PatchOp> =
        PatchOp::change("/status", f.status.as_str(), FindingStatus::Final.as_str())
            .into_iter()
            .collect();
    ops.extend(doc(&f));
    uow.record(
        NewEvent::new(
            AggregateType::Finding,
            f.id,
            "finding_finalised",
            Visibility::Public,
        )
        .version(f.version + 1)
        .payload(ops),
    );
    uow.commit().await?;
    store::findings::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-finding", id = id)))
}

/// Findings the caller may read: final ones for everyone, drafts too for the commission; only
/// those about this kind of object and/or this object id when given.
///
/// # Errors
/// Database failures.
pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    subject_type: Option<FindingSubject>,
    subject_id: Option<i32>,
) -> Result<Vec<Finding>> {
    let drafts = caller.is_some_and(|c| c.is(Role::Commission));
    Ok(store::findings::list(&state.db, subject_type, subject_id, drafts).await?)
}

/// One finding: a draft is the commission's (404 to others).
///
/// # Errors
/// 404.
pub async fn get(state: &AppState, caller: Option<&Caller>, id: i32) -> Result<Finding> {
    store::findings::get(&state.db, id)
        .await?
        .filter(|f| {
            f.status == FindingStatus::Final || caller.is_some_and(|c| c.is(Role::Commission))
        })
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-finding", id = id)))
}
