//! Enquiries (答疑/澄清) during a call's open window: an identified prospective bidder asks (who
//! asked is the commission's to know: never shown to other bidders or the public, and its event
//! is the commission's); the commission answers, and answers are published to all. An answer
//! that changes the requirements amends the call: the new requirements, and the window extended
//! by at least `calls.enquiry_extension_hours`, in the same unit as the answer, with a public
//! `amend` event of the call.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{calls, AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::call::CallStatus;
use crate::domain::enquiry::{check_text, extended_close, Enquiry};
use crate::domain::json_patch::PatchOp;
use crate::domain::role::Role;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store;

/// An amendment of the call an answer makes.
#[derive(Debug, Clone)]
pub struct Amendment {
    /// The call's requirements as amended (the whole text).
    pub requirements: String,
    /// Hours to extend the window by; at least the setting, which is the default.
    pub extend_hours: Option<u32>,
}

/// An enquiry as one reader may see it.
#[derive(Debug, Clone)]
pub struct EnquiryRead {
    pub enquiry: Enquiry,
    /// Whether the reader may know who asked (the commission; the asker of its own).
    pub asker_shown: bool,
    pub mine: bool,
}

fn not_open(status: CallStatus) -> ApiError {
    ApiError::conflict(crate::msg!(
        "conflict-enquiries-taken-while-call-open",
        status = status
    ))
    .with("current_state", status)
}

/// Asks a question on an open call (an applicant with an organisation).
///
/// # Errors
/// 403 for another role or an account without an organisation, 404 for an unknown call, 409
/// outside the open window, 422 for a blank or over-long question.
#[tracing::instrument(skip_all, fields(call_id))]
pub async fn ask(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
    question: &str,
) -> Result<EnquiryRead> {
    caller.require(&[Role::Applicant])?;
    let org = caller
        .organisation_id
        .ok_or_else(|| ApiError::Forbidden(crate::msg!("forbidden-account-has-organisation")))?;
    ApiError::check(check_text("question", question, 4000))?;
    let call = calls::find(state, call_id).await?;
    let mut uow = Uow::begin(state, caller).await?;
    let call = calls::locked(&uow, call.id).await?;
    uow.restamp(state);
    let status = call.status_at(uow.now());
    if status != CallStatus::Open {
        return Err(not_open(status));
    }
    let e = store::enquiries::insert(
        uow.db(),
        call.id,
        caller.id,
        Some(org),
        question.trim().to_owned(),
        uow.now(),
    )
    .await?;
    uow.record(
        NewEvent::new(
            AggregateType::Enquiry,
            e.id,
            "enquiry_asked",
            Visibility::Commission,
        )
        .version(e.version)
        .parent(AggregateType::Call, call.id)
        .payload(vec![
            PatchOp::add("/question", e.question.clone()),
            PatchOp::add("/organisation_id", Value::from(org)),
        ]),
    );
    uow.commit().await?;
    Ok(EnquiryRead {
        enquiry: e,
        asker_shown: true,
        mine: true,
    })
}

/// Answers an enquiry (commission), before the call closes; with an amendment, the call's
/// requirements change and its window is extended.
///
/// # Errors
/// 403 for another role, 404 for an unknown enquiry, 409 when already answered or the call is
/// not open, 422 for a blank answer or requirements, or an extension below the minimum.
#[tracing::instrument(skip_all, fields(enquiry_id = id))]
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    id: i32,
    answer: &str,
    amendment: Option<Amendment>,
) -> Result<EnquiryRead> {
    caller.require(&[Role::Commission])?;
    let mut errors = check_text("answer", answer, 4000);
    if let Some(a) = &amendment {
        errors.extend(check_text("amendment.requirements", &a.requirements, 20000));
    }
    ApiError::check(errors)?;
    let e = store::enquiries::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-enquiry", id = id)))?;
    calls::find(state, e.call_id).await?;
    let mut uow = Uow::begin(state, caller).await?;
    let call = calls::locked(&uow, e.call_id).await?;
    uow.restamp(state);
    let now = uow.now();
    let status = call.status_at(now);
    if status != CallStatus::Open {
        return Err(not_open(status));
    }
    if let Some(at) = e.answered_at {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-enquiry-was-answered-at",
            at = at.to_rfc3339()
        )));
    }
    let closes: Option<(DateTime<Utc>, DateTime<Utc>)> = match &amendment {
        None => None,
        Some(a) => {
            let after = extended_close(
                call.closes_at,
                state.settings.calls.enquiry_extension_hours,
                a.extend_hours,
            )
            .map_err(|f| ApiError::Validation(vec![f]))?;
            Some((call.closes_at, after))
        }
    };
    let answer = answer.trim().to_owned();
    if !store::enquiries::answer(uow.db(), &e, answer.clone(), caller.id, now, closes).await? {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-enquiry-was-answered-meanwhile"
        )));
    }
    let mut ops = vec![
        PatchOp::add("/question", e.question.clone()),
        PatchOp::add("/answer", answer),
        PatchOp::add("/amended", closes.is_some()),
    ];
    if let (Some(a), Some((before, after))) = (&amendment, closes) {
        let requirements = a.requirements.trim();
        if !store::calls::amend(uow.db(), call.id, call.version, requirements, after, now).await? {
            return Err(ApiError::conflict(crate::msg!(
                "conflict-call-changed-meanwhile-answer-again"
            )));
        }
        let mut call_ops: Vec<PatchOp> =
            PatchOp::change("/requirements", call.requirements.as_str(), requirements)
                .into_iter()
                .collect();
        call_ops.extend(PatchOp::change(
            "/closes_at",
            before.to_rfc3339(),
            after.to_rfc3339(),
        ));
        ops.push(PatchOp::add("/closes_at", after.to_rfc3339()));
        uow.record(
            NewEvent::new(AggregateType::Call, call.id, "amend", Visibility::Public)
                .version(call.version + 1)
                .reason(Some(format!("answer to enquiry {}", e.id)))
                .payload(call_ops),
        );
    }
    // The answer is public; who asked is not in it.
    uow.record(
        NewEvent::new(
            AggregateType::Enquiry,
            e.id,
            "enquiry_answered",
            Visibility::Public,
        )
        .version(e.version + 1)
        .parent(AggregateType::Call, call.id)
        .payload(ops),
    );
    uow.commit().await?;
    let e = store::enquiries::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-enquiry", id = id)))?;
    Ok(EnquiryRead {
        enquiry: e,
        asker_shown: true,
        mine: false,
    })
}

/// A call's enquiries as the caller may see them: the answered ones for everyone (without who
/// asked); the commission every one with its asker; an applicant also its own unanswered ones.
///
/// # Errors
/// 404 for an unknown call.
pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    call_id: i32,
) -> Result<Vec<EnquiryRead>> {
    let call = calls::find(state, call_id).await?;
    let commission = caller.is_some_and(|c| c.is(Role::Commission));
    let me = caller.filter(|c| c.is(Role::Applicant)).map(|c| c.id);
    Ok(store::enquiries::of_call(&state.db, call.id)
        .await?
        .into_iter()
        .filter_map(|e| {
            let mine = me == Some(e.asked_by);
            (commission || mine || e.answered_at.is_some()).then_some(EnquiryRead {
                asker_shown: commission || mine,
                mine,
                enquiry: e,
            })
        })
        .collect())
}
