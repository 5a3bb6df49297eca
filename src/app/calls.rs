//! Calls (揭榜) for list items: announcing one, reading them with the status at this moment, the
//! opening of the sealed bids, review, ending one with reasons, and a call's history from the one
//! log. Every move of a call goes through [`act`]: the state machine decides, the write is
//! conditional on the version read, and one event records it.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{bids, panel, Uow};
use crate::auth::Caller;
use crate::domain::award::Award;
use crate::domain::bid::{check_receipt, OpeningCheck, OpeningReport};
use crate::domain::call::{
    answer_overdue, due_clock_moves, transition, validate_call, validate_rubric, Call, CallAction,
    CallChange, CallStatus, Criterion, Eligibility,
};
use crate::domain::document::OwnerType;
use crate::domain::event::{Actor, AggregateRef, AggregateType, Event, NewEvent, Visibility};
use crate::domain::json_patch::PatchOp;
use crate::domain::money::Money;
use crate::domain::role::Role;
use crate::domain::sealing;
use crate::domain::FieldError;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store;

/// A call as its readers see it: the record, the status at this moment and what it refers to.
#[derive(Debug, Clone)]
pub struct CallInfo {
    pub call: Call,
    /// The status at this moment (time-driven moves applied).
    pub status: CallStatus,
    pub year: i32,
    /// The direction of the list item.
    pub direction: String,
    pub bid_count: u64,
    /// The proposed (during notice) or awarded winners.
    pub winners: Vec<Winner>,
    /// The award's note, while there are winners to show.
    pub award_note: Option<String>,
    /// Objections answered later than 3 natural days after receipt, or unanswered past that.
    pub overdue_objections: usize,
}

/// A winner of a call under notice or awarded.
#[derive(Debug, Clone)]
pub struct Winner {
    pub bid_id: i32,
    pub organisation_id: i32,
    pub organisation_name: String,
    /// The winning budget, public once awarded.
    pub budget: Option<Money>,
}

/// A rubric criterion as sent, its numbers already read as hundredths (or why they could not be).
#[derive(Debug, Clone)]
pub struct CriterionDraft {
    pub criterion: String,
    pub weight: std::result::Result<i64, FieldError>,
    pub max_points: std::result::Result<i64, FieldError>,
}

/// A call to announce, as sent.
#[derive(Debug, Clone)]
pub struct NewCall {
    pub requirements: String,
    pub eligibility: Eligibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub winners: u32,
    pub notice_days: u32,
    pub rubric: Vec<CriterionDraft>,
}

fn unexpected(what: String) -> ApiError {
    ApiError::Unexpected(anyhow::anyhow!(what))
}

/// The call, or 404, with the moves time has made on it written to the log first
/// ([`catch_up`]): every use case reads a call through here, so the stored status is the status
/// at this moment.
///
/// # Errors
/// 404 for an unknown call; database failures.
pub async fn find(state: &AppState, id: i32) -> Result<Call> {
    let call = store::calls::call(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-call", id = id)))?;
    catch_up(state, call).await
}

/// Writes the moves time has made on `call` (announced → open at `opens_at`, → closed at
/// `closes_at`) that its stored status does not show yet: each one event by the clock, dated its
/// scheduled instant, the first time any request observes it. Idempotent under concurrent
/// observers: the write is conditional on the version and status read, so a second observer
/// writes nothing and reads the first one's result (a duplicate version in the log, should one
/// slip through, is taken the same way).
///
/// # Errors
/// Database failures.
pub async fn catch_up(state: &AppState, mut call: Call) -> Result<Call> {
    // Each round writes one move or re-reads after another observer's; two moves at most.
    for _ in 0..8 {
        let now = super::now(state);
        let Some(m) = due_clock_moves(call.status, call.opens_at, call.closes_at, now)
            .into_iter()
            .next()
        else {
            return Ok(call);
        };
        let mut uow = Uow::begin_at(state, Actor::Clock, m.at).await?;
        let written =
            store::calls::clock_move(uow.db(), call.id, call.version, m.from, m.to, uow.now())
                .await?;
        if written {
            uow.record(
                NewEvent::new(AggregateType::Call, call.id, m.kind(), Visibility::Public)
                    .version(call.version + 1)
                    .payload(
                        PatchOp::change("/status", m.from.as_str(), m.to.as_str())
                            .into_iter()
                            .collect(),
                    ),
            );
            match uow.commit().await {
                Ok(_) => {
                    call.status = m.to;
                    call.version += 1;
                    call.updated_at = m.at;
                    continue;
                }
                Err(ApiError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        } else {
            drop(uow);
        }
        // Another observer (or a person's move) got there first: read what it left.
        call = store::calls::call(&state.db, call.id)
            .await?
            .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-call", id = call.id)))?;
    }
    Err(unexpected(format!(
        "call {}: the clock's moves did not settle",
        call.id
    )))
}

/// Takes the call's lock inside `uow` (a write that changes nothing, so it comes first) and reads
/// the call as it is now: use cases that must not act on a call whose state changed under them
/// (scores, conflicts, panel changes, objections and answers, the opening) check their rule
/// against this read.
///
/// # Errors
/// 404 for a call gone; database failures.
pub async fn locked(uow: &Uow, id: i32) -> Result<Call> {
    store::calls::lock_call(uow.db(), id).await?;
    store::calls::call(uow.db(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-call", id = id)))
}

/// What readers see of a call (anyone: bid contents stay out, budgets only once awarded).
///
/// # Errors
/// Database failures, and stored data that does not hold together (a missing round, list item,
/// winning bid or organisation; a winning bid that does not unseal).
pub async fn info(state: &AppState, call: Call) -> Result<CallInfo> {
    infos(state, vec![call])
        .await?
        .pop()
        .ok_or_else(|| unexpected("a call read without its information".into()))
}

/// [`info`] for many calls at once, in their order: a fixed number of queries whatever their
/// number (rounds, list items, bid counts, objections, winners' bids and organisations), plus
/// one receipt read per winner of an awarded call for its amount.
///
/// # Errors
/// Database failures and stored data that does not read back.
pub async fn infos(state: &AppState, calls: Vec<Call>) -> Result<Vec<CallInfo>> {
    use std::collections::HashMap;
    let ids: Vec<i32> = calls.iter().map(|c| c.id).collect();
    let years: HashMap<i32, i32> = store::rounds::list(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.year))
        .collect();
    let item_ids: Vec<i32> = calls.iter().map(|c| c.list_item_id).collect();
    let items = store::selections::items_by_ids(&state.db, &item_ids).await?;
    let counts = store::bids::standing_counts(&state.db, &ids).await?;
    let mut objections = store::objections::of_calls(&state.db, &ids).await?;
    let clock_now = state.clock.now();
    let mut shown = Vec::with_capacity(calls.len());
    for call in &calls {
        let status = call.status_at(clock_now);
        shown.push(match status {
            CallStatus::Notice | CallStatus::Awarded => award_of(call)?.cloned(),
            _ => None,
        });
    }
    let bid_ids: Vec<i32> = shown
        .iter()
        .flatten()
        .flat_map(|a| a.bid_ids.iter().copied())
        .collect();
    let winning = store::bids::bids_by_ids(&state.db, &bid_ids).await?;
    let org_ids: Vec<i32> = winning.values().map(|b| b.organisation_id).collect();
    let orgs = store::organisations::by_ids(&state.db, &org_ids).await?;
    let now = super::now(state);
    let mut out = Vec::with_capacity(calls.len());
    for (call, shown) in calls.into_iter().zip(shown) {
        let status = call.status_at(clock_now);
        let year = *years.get(&call.round_id).ok_or_else(|| {
            unexpected(format!("call {}: round {} missing", call.id, call.round_id))
        })?;
        let direction = items
            .get(&call.list_item_id)
            .ok_or_else(|| {
                unexpected(format!(
                    "call {}: list item {} missing",
                    call.id, call.list_item_id
                ))
            })?
            .direction
            .clone();
        let mut winners = Vec::new();
        if let Some(award) = shown {
            for &bid_id in &award.bid_ids {
                let bid = winning.get(&bid_id).ok_or_else(|| {
                    unexpected(format!("call {}: winning bid {bid_id} missing", call.id))
                })?;
                let org = orgs.get(&bid.organisation_id).ok_or_else(|| {
                    unexpected(format!(
                        "bid {bid_id}: organisation {} missing",
                        bid.organisation_id
                    ))
                })?;
                let budget = if status == CallStatus::Awarded {
                    Some(bids::content_of(state, bid).await?.budget)
                } else {
                    None
                };
                winners.push(Winner {
                    bid_id: bid.id,
                    organisation_id: bid.organisation_id,
                    organisation_name: org.name.clone(),
                    budget,
                });
            }
        }
        let award_note = call
            .award
            .as_ref()
            .filter(|a| !a.note.is_empty() && !winners.is_empty())
            .map(|a| a.note.clone());
        let overdue_objections = objections
            .remove(&call.id)
            .unwrap_or_default()
            .iter()
            .filter(|o| answer_overdue(o.submitted_at, o.answered_at, now))
            .count();
        out.push(CallInfo {
            overdue_objections,
            bid_count: counts.get(&call.id).copied().unwrap_or(0),
            status,
            year,
            direction,
            winners,
            award_note,
            call,
        });
    }
    Ok(out)
}

/// Every call (anyone), oldest first.
///
/// # Errors
/// Database failures and stored data that does not read back.
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState) -> Result<Vec<CallInfo>> {
    Ok(page(state, super::paging::PageArgs::ALL).await?.items)
}

/// A page of calls (anyone), in id order: a fixed number of queries per page (see [`infos`]).
///
/// # Errors
/// Database failures and stored data that does not read back.
#[tracing::instrument(skip_all)]
pub async fn page(
    state: &AppState,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<CallInfo>> {
    let rows = store::calls::page(&state.db, None, args.after_i32(), args.fetch()).await?;
    let page = args.cut(rows, |c| i64::from(c.id));
    let mut caught = Vec::with_capacity(page.items.len());
    for c in page.items {
        caught.push(catch_up(state, c).await?);
    }
    Ok(super::paging::Paged {
        items: infos(state, caught).await?,
        next: page.next,
    })
}

/// One call (anyone).
///
/// # Errors
/// 404 for an unknown call.
#[tracing::instrument(skip_all, fields(call_id = %id))]
pub async fn get(state: &AppState, id: i32) -> Result<CallInfo> {
    let call = find(state, id).await?;
    info(state, call).await
}

/// Announces a call for a list item of the current list (commission).
///
/// # Errors
/// 403 for another role, 404 for an unknown list item, 409 for an item of a superseded list,
/// 422 naming each bad field.
#[tracing::instrument(skip_all, fields(list_item_id = %list_item_id))]
pub async fn announce(
    state: &AppState,
    caller: &Caller,
    list_item_id: i32,
    new: NewCall,
) -> Result<CallInfo> {
    caller.require(&[Role::Commission])?;
    let item = store::selections::item(&state.db, list_item_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-list-item")))?;
    let version = store::selections::version(&state.db, item.list_version_id)
        .await?
        .ok_or_else(|| unexpected("list version missing".into()))?;
    let current = store::selections::versions(&state.db, version.round_id).await?;
    if current.last().map(|v| v.id) != Some(version.id) {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-list-item-belongs-superseded-list"
        )));
    }
    let mut errors = validate_call(
        new.opens_at,
        new.closes_at,
        new.winners,
        new.notice_days,
        &new.requirements,
    );
    let mut rubric = Vec::with_capacity(new.rubric.len());
    for c in new.rubric {
        match (c.weight, c.max_points) {
            (Ok(weight), Ok(max_points)) => rubric.push(Criterion {
                criterion: c.criterion.trim().to_owned(),
                weight,
                max_points,
            }),
            (w, m) => errors.extend(w.err().into_iter().chain(m.err())),
        }
    }
    if errors.is_empty() {
        errors.extend(validate_rubric(&rubric));
    }
    ApiError::check(errors)?;
    let new = store::calls::NewCall {
        round_id: version.round_id,
        list_item_id: item.id,
        requirements: new.requirements.trim().to_owned(),
        eligibility: new.eligibility,
        opens_at: new.opens_at,
        closes_at: new.closes_at,
        // Both were checked above to be small.
        winners: i32::try_from(new.winners).map_err(anyhow::Error::from)?,
        notice_days: i32::try_from(new.notice_days).map_err(anyhow::Error::from)?,
        rubric,
        created_by: caller.id,
    };
    let mut uow = Uow::begin(state, caller).await?;
    let call = store::calls::insert(uow.db(), new, uow.now()).await?;
    let ops = announced(&call).map_err(anyhow::Error::from)?;
    uow.record(
        NewEvent::new(AggregateType::Call, call.id, "announce", Visibility::Public)
            .version(call.version)
            .payload(ops),
    );
    uow.commit().await?;
    info(state, call).await
}

/// The announcement as patch operations: the call's status and terms, added.
fn announced(call: &Call) -> std::result::Result<Vec<PatchOp>, serde_json::Error> {
    let add = |path: &str, v: Value| PatchOp::change(path, Value::Null, v);
    Ok([
        add("/status", Value::from(call.status.as_str())),
        add("/list_item_id", Value::from(call.list_item_id)),
        add("/requirements", Value::from(call.requirements.clone())),
        add("/eligibility", serde_json::to_value(&call.eligibility)?),
        add("/opens_at", serde_json::to_value(call.opens_at)?),
        add("/closes_at", serde_json::to_value(call.closes_at)?),
        add("/winners", Value::from(call.winners)),
        add("/notice_days", Value::from(call.notice_days)),
        add("/rubric", serde_json::to_value(&call.rubric)?),
    ]
    .into_iter()
    .flatten()
    .collect())
}

/// A person's move of a call, inside `uow`: the state machine decides from the status at the
/// unit's moment, the write is conditional on the version `call` was read at, and one public event
/// records the status change with `change`'s fields (old values kept).
///
/// # Errors
/// 409 for a move the status does not allow (with `current_state`) and when the call changed
/// since it was read; database failures.
pub async fn act(
    uow: &mut Uow,
    call: &Call,
    action: CallAction,
    change: CallChange,
    reason: Option<String>,
) -> Result<()> {
    let from = call.status_at(uow.now());
    let to = transition(from, action)
        .map_err(|e| ApiError::conflict(illegal_call_move(&e)).with("current_state", from))?;
    if from != call.status {
        // Time moved the call after it was read and before this unit: the clock's move is not
        // in the log yet, and this move must follow it there.
        return Err(ApiError::conflict(crate::msg!(
            "conflict-call-changed-at-same-moment"
        )));
    }
    if !store::calls::update(uow.db(), call.id, call.version, to, &change, uow.now()).await? {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-call-changed-at-same-moment"
        )));
    }
    let mut ops: Vec<PatchOp> = PatchOp::change("/status", from.as_str(), to.as_str())
        .into_iter()
        .collect();
    ops.extend(change.ops(call).map_err(anyhow::Error::from)?);
    uow.record(
        NewEvent::new(
            AggregateType::Call,
            call.id,
            action.as_str(),
            Visibility::Public,
        )
        .version(call.version + 1)
        .reason(reason)
        .payload(ops),
    );
    Ok(())
}

/// Opens the sealed bids (commission, only after the call closed): records who and when, and
/// re-verifies every current receipt against the stored content. Under the call's lock, which
/// every bid takes too: every receipt committed before is read, none can commit after.
///
/// # Errors
/// 403 for another role, 404 for an unknown call, 409 before the close or from a status that
/// does not open.
#[tracing::instrument(skip_all, fields(call_id = %id))]
pub async fn open_bids(state: &AppState, caller: &Caller, id: i32) -> Result<OpeningReport> {
    caller.require(&[Role::Commission])?;
    let too_early = |closes_at: DateTime<Utc>| {
        ApiError::conflict(crate::msg!(
            "conflict-bids-can-opened-only-after",
            closes_at = closes_at.to_rfc3339()
        ))
        .with("closes_at", closes_at)
    };
    let call = find(state, id).await?;
    if super::now(state) <= call.closes_at {
        return Err(too_early(call.closes_at));
    }
    let mut uow = Uow::begin(state, caller).await?;
    let call = locked(&uow, id).await?;
    uow.restamp(state);
    let now = uow.now();
    if now <= call.closes_at {
        return Err(too_early(call.closes_at));
    }
    let key = sealing::bid_key_v2(&state.sealing_key, call.id);
    let receipts = store::bids::current_receipts(uow.db(), call.id).await?;
    let bids = store::bids::bids(uow.db(), call.id).await?;
    let withdrawn = store::bids::withdrawn(uow.db(), call.id).await?;
    let mut checks = Vec::new();
    for bid in &bids {
        checks.push(match receipts.get(&bid.id) {
            None => OpeningCheck {
                bid_id: bid.id,
                receipt_id: None,
                sha256: None,
                verified: false,
                problem: Some("the bid has no receipt".into()),
                withdrawn_at: None,
            },
            // Withdrawn before the close: reported, never opened.
            Some(r) if withdrawn.contains_key(&bid.id) => OpeningCheck {
                bid_id: bid.id,
                receipt_id: Some(r.id),
                sha256: Some(r.sha256.clone()),
                verified: false,
                problem: None,
                withdrawn_at: withdrawn.get(&bid.id).map(|w| w.withdrawn_at),
            },
            Some(r) => {
                let problem = check_receipt(&key, call.id, bid.organisation_id, r);
                OpeningCheck {
                    bid_id: bid.id,
                    receipt_id: Some(r.id),
                    sha256: Some(r.sha256.clone()),
                    verified: problem.is_none(),
                    problem,
                    withdrawn_at: None,
                }
            }
        });
    }
    // The joint builders of each bid that verified are revealed with its content.
    for check in checks.iter().filter(|c| c.verified) {
        if let (Some(bid), Some(r)) = (
            bids.iter().find(|b| b.id == check.bid_id),
            receipts.get(&check.bid_id),
        ) {
            let content = super::bids::unseal(state, bid, r)?;
            store::bids::insert_members(uow.db(), bid, &content.joint_builders).await?;
        }
    }
    let report = OpeningReport::new(now, caller.id, checks);
    let change = CallChange {
        opened_by: Some(Some(caller.id)),
        opened_at: Some(Some(now)),
        opening_report: Some(report.clone()),
        ..Default::default()
    };
    act(&mut uow, &call, CallAction::OpenBids, change, None).await?;
    panel::freeze_recusals(&mut uow, &call).await?;
    uow.commit().await?;
    Ok(report)
}

/// Hands the opened bids to the panel (commission). Needs a panel.
///
/// # Errors
/// 403 for another role, 404 for an unknown call, 409 without a panel or from a status other
/// than opened.
#[tracing::instrument(skip_all, fields(call_id = %id))]
pub async fn start_review(state: &AppState, caller: &Caller, id: i32) -> Result<CallInfo> {
    caller.require(&[Role::Commission])?;
    let call = find(state, id).await?;
    if store::panel::panel(&state.db, call.id).await?.is_empty() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-appoint-expert-panel-first-post",
            id = id
        )));
    }
    let mut uow = Uow::begin(state, caller).await?;
    act(
        &mut uow,
        &call,
        CallAction::StartReview,
        CallChange::default(),
        None,
    )
    .await?;
    uow.commit().await?;
    get(state, id).await
}

/// Cancels a call with reasons (commission; before the notice).
///
/// # Errors
/// As [`end`].
#[tracing::instrument(skip_all, fields(call_id = %id))]
pub async fn cancel(state: &AppState, caller: &Caller, id: i32, reasons: &str) -> Result<CallInfo> {
    end(state, caller, id, CallAction::Cancel, reasons).await
}

/// Declares a call unsuccessful with reasons, e.g. no valid bid (commission).
///
/// # Errors
/// As [`end`].
#[tracing::instrument(skip_all, fields(call_id = %id))]
pub async fn declare_unsuccessful(
    state: &AppState,
    caller: &Caller,
    id: i32,
    reasons: &str,
) -> Result<CallInfo> {
    end(state, caller, id, CallAction::DeclareUnsuccessful, reasons).await
}

/// Ends a call by `action`, with reasons.
///
/// # Errors
/// 403 for another role, 422 for blank reasons, 404 for an unknown call, 409 from a status that
/// does not allow it.
async fn end(
    state: &AppState,
    caller: &Caller,
    id: i32,
    action: CallAction,
    reasons: &str,
) -> Result<CallInfo> {
    caller.require(&[Role::Commission])?;
    let reasons = reasons.trim().to_owned();
    if reasons.is_empty() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "reasons",
            crate::msg!("field-blank"),
        )]));
    }
    let call = find(state, id).await?;
    let change = CallChange {
        reasons: Some(Some(reasons.clone())),
        ..Default::default()
    };
    let mut uow = Uow::begin(state, caller).await?;
    act(&mut uow, &call, action, change, Some(reasons)).await?;
    uow.commit().await?;
    get(state, id).await
}

/// One event of a call's history as its reader may see it.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub event: Event,
    /// Who acted is sealed: a bid's receipt before the opening, shown to others than its bidder
    /// as its receipt number and time only.
    pub actor_sealed: bool,
}

/// A call's history with that of everything under it (bids' receipts, panel, conflicts, score
/// sheets, objections), oldest first, from the one log: the commission's record; an applicant
/// sees its own bid's steps only; other roles none (they never see accounts in it).
///
/// The log keeps who bid; this read decides from the call what a reader sees of it: until the
/// bids are opened, a receipt shows the commission its receipt number and time only (no actor,
/// no hash), so nothing in it can be joined to an account or an organisation.
///
/// # Errors
/// 404 for an unknown call, 403 for other roles.
#[tracing::instrument(skip_all, fields(call_id = %id))]
pub async fn history(
    state: &AppState,
    caller: &Caller,
    id: i32,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<HistoryEntry>> {
    let call = find(state, id).await?;
    let own_bid = match (caller.role, caller.organisation_id) {
        (Role::Commission, _) => None,
        (Role::Applicant, Some(org)) => Some(
            store::bids::bid_of(&state.db, call.id, org)
                .await?
                .map(|b| b.id),
        ),
        _ => {
            return Err(ApiError::Forbidden(crate::msg!(
                "forbidden-call-s-history-commission-s"
            )))
        }
    };
    let sealed = call.opened_at.is_none();
    // A bid's attachments (documents under the call): its bidder's steps, and the commission's
    // record once the bids are opened; before that nothing shows that one exists.
    let own_documents: Vec<String> = match own_bid {
        Some(Some(b)) => store::documents::of_owner(&state.db, OwnerType::Bid, b)
            .await?
            .into_iter()
            .map(|d| d.id.to_string())
            .collect(),
        _ => Vec::new(),
    };
    let events =
        store::events::of_tree(&state.db, &AggregateRef::new(AggregateType::Call, call.id)).await?;
    let shown: Vec<HistoryEntry> = events
        .into_iter()
        .filter(|e| match &own_bid {
            None => !(sealed && e.aggregate.kind == AggregateType::Document),
            Some(bid) => {
                (e.aggregate.kind == AggregateType::Bid
                    && bid.is_some_and(|b| e.aggregate.id == b.to_string()))
                    || (e.aggregate.kind == AggregateType::Document
                        && own_documents.contains(&e.aggregate.id))
            }
        })
        .map(|mut event| {
            let actor_sealed =
                sealed && own_bid.is_none() && event.aggregate.kind == AggregateType::Bid;
            if actor_sealed {
                event.payload.retain(|o| o.path == "/receipt_id");
            }
            HistoryEntry {
                event,
                actor_sealed,
            }
        })
        .collect();
    Ok(args.of_all(shown, |h| h.event.seq))
}

/// The award a call holds: it must hold one in notice or once awarded.
///
/// # Errors
/// A call in notice or awarded without an award (stored data that does not hold together).
pub fn award_of(call: &Call) -> Result<Option<&Award>> {
    match (&call.award, call.status) {
        (None, CallStatus::Notice | CallStatus::Awarded) => Err(unexpected(format!(
            "call {} is {} without an award",
            call.id, call.status
        ))),
        (a, _) => Ok(a.as_ref()),
    }
}

/// A move the call's status does not allow, from the catalogues: the status and the action are
/// passed by their codes and labelled in the reader's language.
pub(crate) fn illegal_call_move(e: &crate::domain::call::IllegalCallMove) -> crate::i18n::Msg {
    crate::msg!(
        "conflict-call-illegal-move",
        action = e.action.as_str(),
        status = e.from
    )
}
