//! The ranking, the award under public notice (公示), objections and their answers, and the final
//! award (挂帅).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::calls::{self, CallInfo};
use super::{bids, panel, Uow};
use crate::auth::Caller;
use crate::domain::award::{check_award, finalize_ready, objection_open, Award, Objection};
use crate::domain::call::{
    answer_due, answer_overdue, check_eligibility, notice_ends, transition, Call, CallAction,
    CallChange, CallStatus,
};
use crate::domain::event::{AggregateType, NewEvent, Visibility};
use crate::domain::json_patch::PatchOp;
use crate::domain::ranking::{expert_label, label_order, rank, BidInput, BidResult, ExpertScore};
use crate::domain::role::Role;
use crate::domain::FieldError;
use crate::error::{ApiError, Result};
use crate::i18n::Render;
use crate::state::AppState;
use crate::store;

/// An expert as a ranking names it.
#[derive(Debug, Clone)]
pub struct ExpertLabel {
    /// `E1`, `E2`, … in the order of appointment.
    pub label: String,
    /// Shown to the commission only.
    pub expert_id: Option<i32>,
}

/// A call's ranking with everything that put each bid where it is.
#[derive(Debug, Clone)]
pub struct Ranking {
    pub call_id: i32,
    pub experts: Vec<ExpertLabel>,
    /// Ranked bids first, then unranked ones (ineligible, or not scored) with reasons.
    pub bids: Vec<BidResult>,
}

/// Computes the ranking from the stored score sheets; expert ids only for the commission. Only
/// the sheets of experts on the panel and not recused from the bid count: a sheet whose expert
/// was recused after scoring stays stored, and out of the ranking.
///
/// # Errors
/// Database failures and stored data that does not read back (a score sheet, a bid without a
/// receipt): ranking without them would be wrong.
pub async fn compute(
    db: &impl ConnectionTrait,
    state: &AppState,
    call: &Call,
    commission: bool,
) -> Result<Ranking> {
    let panel = store::panel::panel(db, call.id).await?;
    let labels: HashMap<i32, String> = panel
        .iter()
        .enumerate()
        .map(|(i, m)| (m.expert_id, expert_label(i)))
        .collect();
    let recused = panel::recusal_map(db, call).await?;
    let sheets = store::scores::sheets(db, call.id).await?;
    let receipts = store::bids::current_receipts(db, call.id).await?;
    let mut inputs = Vec::new();
    // A withdrawn bid is not ranked.
    let active = store::bids::active_bids(db, call.id).await?;
    let org_ids: Vec<i32> = active.iter().map(|b| b.organisation_id).collect();
    let mut all_facts = bids::bidder_facts_many(state, call, &org_ids).await?;
    for bid in active {
        let received_at = receipts
            .get(&bid.id)
            .ok_or_else(|| {
                ApiError::Unexpected(anyhow::anyhow!("receipt of bid {} missing", bid.id))
            })?
            .received_at;
        let facts = all_facts.remove(&bid.organisation_id).ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!(
                "bid {}: organisation {} missing",
                bid.id,
                bid.organisation_id
            ))
        })?;
        let mut scores: Vec<ExpertScore> = sheets
            .iter()
            .filter(|s| s.bid_id == bid.id)
            .filter_map(|s| {
                let counted = recused
                    .get(&s.expert_id)
                    .is_some_and(|r| !r.contains_key(&bid.id));
                Some(ExpertScore {
                    expert_label: labels.get(&s.expert_id).filter(|_| counted)?.clone(),
                    expert_id: s.expert_id,
                    points: s
                        .lines
                        .iter()
                        .map(|l| (l.criterion.clone(), l.points))
                        .collect(),
                })
            })
            .collect();
        scores.sort_by(|a, b| label_order(&a.expert_label).cmp(&label_order(&b.expert_label)));
        inputs.push(BidInput {
            bid_id: bid.id,
            received_at,
            // Read, not stored: in the reader's language.
            ineligible: check_eligibility(&call.eligibility, &facts)
                .iter()
                .map(|f| {
                    crate::msg!(
                        "rule-eligibility-failed",
                        rule = f.rule,
                        why = f.why.render(crate::i18n::current())
                    )
                    .render(crate::i18n::current())
                })
                .collect(),
            scores,
        });
    }
    let mut experts: Vec<ExpertLabel> = panel
        .iter()
        .enumerate()
        .map(|(i, m)| ExpertLabel {
            label: expert_label(i),
            expert_id: commission.then_some(m.expert_id),
        })
        .collect();
    experts.sort_by(|a, b| label_order(&a.label).cmp(&label_order(&b.label)));
    Ok(Ranking {
        call_id: call.id,
        experts,
        bids: rank(&call.rubric, &inputs),
    })
}

/// The ranking: for the commission once the call is opened; for anyone during and after the
/// notice, with experts anonymised.
///
/// # Errors
/// 404 for an unknown call; 409 for the commission while the bids are sealed; 401 (anonymous)
/// or 403 for others before the notice.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn ranking(state: &AppState, caller: Option<&Caller>, call_id: i32) -> Result<Ranking> {
    let call = calls::find(state, call_id).await?;
    let status = call.status_at(state.clock.now());
    let commission = caller.is_some_and(|c| c.is(Role::Commission));
    let public = matches!(status, CallStatus::Notice | CallStatus::Awarded);
    if commission && call.opened_at.is_none() {
        return Err(
            ApiError::conflict(crate::msg!("conflict-bids-still-sealed"))
                .with("current_state", status),
        );
    }
    if !commission && !public {
        return Err(match caller {
            None => ApiError::Unauthorized(crate::msg!("unauthorized-ranking-public-from-notice")),
            Some(_) => {
                ApiError::Forbidden(crate::msg!("forbidden-ranking-commission-s-until-notice"))
            }
        });
    }
    compute(&state.db, state, &call, commission).await
}

/// Proposes the award and starts the public notice (commission, while under review). The ranking
/// is computed under the call's lock, so no score or conflict lands between it and the award.
///
/// # Errors
/// 403 for another role, 404 for an unknown call, 409 from a status other than under review,
/// 422 for a blank note or winners that are not the top of the ranking.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn award(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
    bid_ids: &[i32],
    note: &str,
) -> Result<CallInfo> {
    caller.require(&[Role::Commission])?;
    let call = calls::find(state, call_id).await?;
    let may_award = |call: &Call, now| {
        let status = call.status_at(now);
        transition(status, CallAction::Award).map_err(|e| {
            ApiError::conflict(calls::illegal_call_move(&e)).with("current_state", status)
        })
    };
    // Asked of the state machine before anything is computed; `act` asks again when writing.
    may_award(&call, state.clock.now())?;
    let mut uow = Uow::begin(state, caller).await?;
    let call = calls::locked(&uow, call_id).await?;
    may_award(&call, uow.now())?;
    let ranking = compute(uow.db(), state, &call, true).await?;
    let winners = usize::try_from(call.winners).map_err(|e| {
        ApiError::Unexpected(anyhow::anyhow!("stored winners of call {}: {e}", call.id))
    })?;
    let ranked: Vec<i32> = ranking
        .bids
        .iter()
        .filter(|b| b.rank.is_some())
        .map(|b| b.bid_id)
        .collect();
    let mut errors = Vec::new();
    if note.trim().is_empty() {
        errors.push(FieldError::new("note", crate::msg!("field-blank")));
    }
    let top = match check_award(winners, &ranked, bid_ids) {
        Ok(top) => top,
        Err(m) => {
            errors.push(FieldError::new("bid_ids", m));
            Vec::new()
        }
    };
    ApiError::check(errors)?;
    let now = uow.now();
    let days = u32::try_from(call.notice_days).map_err(|e| {
        ApiError::Unexpected(anyhow::anyhow!(
            "stored notice days of call {}: {e}",
            call.id
        ))
    })?;
    let award = Award {
        bid_ids: top,
        note: note.trim().to_owned(),
    };
    let reason = Some(award.note.clone());
    let change = CallChange {
        award: Some(Some(award)),
        notice_started_at: Some(Some(now)),
        notice_ends_at: Some(Some(notice_ends(now, days))),
        ..Default::default()
    };
    calls::act(&mut uow, &call, CallAction::Award, change, reason).await?;
    uow.commit().await?;
    calls::get(state, call_id).await
}

/// An objection as the public notice shows it once answered: the grounds and the answer, never
/// who objected or how to reach them.
#[derive(Debug, Clone)]
pub struct PublicObjection {
    pub id: i32,
    pub grounds: String,
    pub submitted_at: DateTime<Utc>,
    pub answer_due_at: DateTime<Utc>,
    pub upheld: bool,
    pub answer: String,
    pub answered_at: DateTime<Utc>,
    /// Answered after the 3 natural days.
    pub overdue: bool,
}

/// What the objections of a call come to at `now`: how many, how many unanswered, how many
/// answered late or still unanswered past their due day, and the answered ones for the public.
#[derive(Debug, Clone, Default)]
pub struct ObjectionSummary {
    pub total: usize,
    pub unanswered: usize,
    pub overdue: usize,
    pub answered: Vec<PublicObjection>,
}

/// Summarises a call's objections at `now`.
pub fn summarise(objections: &[Objection], now: DateTime<Utc>) -> ObjectionSummary {
    ObjectionSummary {
        total: objections.len(),
        unanswered: objections.iter().filter(|o| o.upheld.is_none()).count(),
        overdue: objections
            .iter()
            .filter(|o| answer_overdue(o.submitted_at, o.answered_at, now))
            .count(),
        answered: objections
            .iter()
            .filter_map(|o| {
                Some(PublicObjection {
                    id: o.id,
                    grounds: o.grounds.clone(),
                    submitted_at: o.submitted_at,
                    answer_due_at: answer_due(o.submitted_at),
                    upheld: o.upheld?,
                    answer: o.answer.clone()?,
                    answered_at: o.answered_at?,
                    overdue: answer_overdue(o.submitted_at, o.answered_at, now),
                })
            })
            .collect(),
    }
}

/// A call under notice or awarded, with its objections: counted, flagged when answered late
/// (or not answered by their due day), and the answered ones in full, without their objectors.
#[derive(Debug, Clone)]
pub struct Notice {
    pub call: CallInfo,
    pub objections: ObjectionSummary,
}

/// Public notices (公示): every call under notice or awarded (anyone).
///
/// # Errors
/// Database failures and stored data that does not read back.
#[tracing::instrument(skip_all)]
pub async fn notices(state: &AppState) -> Result<Vec<Notice>> {
    Ok(notices_page(state, super::paging::PageArgs::ALL)
        .await?
        .items)
}

/// A page of the public notices, in call id order: one query for the calls (by the stored
/// status; time moves a call only up to `closed`), a fixed number more for their information.
///
/// # Errors
/// Database failures and stored data that does not read back.
#[tracing::instrument(skip_all)]
pub async fn notices_page(
    state: &AppState,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<Notice>> {
    let now = super::now(state);
    let rows = store::calls::page(
        &state.db,
        Some(&[CallStatus::Notice, CallStatus::Awarded]),
        args.after_i32(),
        args.fetch(),
    )
    .await?;
    let page = args.cut(rows, |c| i64::from(c.id));
    let ids: Vec<i32> = page.items.iter().map(|c| c.id).collect();
    let mut objections = store::objections::of_calls(&state.db, &ids).await?;
    let infos = calls::infos(state, page.items).await?;
    Ok(super::paging::Paged {
        items: infos
            .into_iter()
            .map(|call| Notice {
                objections: summarise(&objections.remove(&call.call.id).unwrap_or_default(), now),
                call,
            })
            .collect(),
        next: page.next,
    })
}

/// An objection as one reader may see it: the contact for the commission only.
#[derive(Debug, Clone)]
pub struct ObjectionRead {
    pub objection: Objection,
    pub contact_shown: bool,
    pub answer_due_at: DateTime<Utc>,
    /// Answered after its due moment, or not answered by now though it passed.
    pub overdue: bool,
}

fn read_objection(o: Objection, commission: bool, now: DateTime<Utc>) -> ObjectionRead {
    ObjectionRead {
        answer_due_at: answer_due(o.submitted_at),
        overdue: answer_overdue(o.submitted_at, o.answered_at, now),
        contact_shown: commission,
        objection: o,
    }
}

/// Objects in writing during the notice. Only a bidder may object (招标投标法实施条例 Art. 54:
/// 投标人或者其他利害关系人), and only one whose bid is not proposed for the award: an applicant
/// account of an organisation that bid on the call and lost. Under the call's lock.
///
/// # Errors
/// 403 for another role, an applicant whose organisation did not bid on the call or is among
/// the proposed winners; 404 for an unknown call, 409 outside the notice period, 422 for blank
/// grounds or contact.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn object(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
    grounds: &str,
    contact: &str,
) -> Result<ObjectionRead> {
    caller.require(&[Role::Applicant])?;
    let call = calls::find(state, call_id).await?;
    let not_open = |call: &Call, now| {
        let status = call.status_at(now);
        if objection_open(status, call.notice_ends_at, now) {
            Ok(())
        } else {
            Err(
                ApiError::conflict(crate::msg!("conflict-objections-taken-only-during-notice"))
                    .with("current_state", status)
                    .with("notice_ends_at", call.notice_ends_at),
            )
        }
    };
    not_open(&call, super::now(state))?;
    let bid = match caller.organisation_id {
        Some(org) => store::bids::bid_of(&state.db, call.id, org).await?,
        None => None,
    }
    .ok_or_else(|| ApiError::Forbidden(crate::msg!("forbidden-only-bidder-call-may-object")))?;
    if calls::award_of(&call)?.is_some_and(|a| a.bid_ids.contains(&bid.id)) {
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-your-bid-proposed-award-objections"
        )));
    }
    let mut errors = Vec::new();
    if grounds.trim().is_empty() {
        errors.push(FieldError::new("grounds", crate::msg!("field-blank")));
    }
    if contact.trim().is_empty() {
        errors.push(FieldError::new("contact", crate::msg!("field-blank")));
    }
    ApiError::check(errors)?;
    let mut uow = Uow::begin(state, caller).await?;
    let locked = calls::locked(&uow, call.id).await?;
    not_open(&locked, uow.now())?;
    let o = store::objections::add(
        uow.db(),
        call.id,
        caller.id,
        grounds.trim().to_owned(),
        contact.trim().to_owned(),
        uow.now(),
    )
    .await?;
    // The contact is personal data for the commission: kept in the objection, not in the log,
    // whose objection events other parties may read.
    let ops = vec![
        PatchOp::add("/id", o.id),
        PatchOp::add("/grounds", o.grounds.clone()),
    ];
    uow.record(
        NewEvent::new(
            AggregateType::Objection,
            o.id,
            "objection",
            Visibility::Party,
        )
        .parent(AggregateType::Call, call.id)
        .reason(Some(o.grounds.clone()))
        .payload(ops),
    );
    let now = uow.now();
    uow.commit().await?;
    Ok(read_objection(o, caller.is(Role::Commission), now))
}

/// A call's objections and answers: all for the commission (with the objectors' contacts), an
/// objector's own for others (without).
///
/// # Errors
/// 404 for an unknown call.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn objections(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
) -> Result<Vec<ObjectionRead>> {
    let call = calls::find(state, call_id).await?;
    let commission = caller.is(Role::Commission);
    let now = super::now(state);
    Ok(store::objections::of_call(&state.db, call.id)
        .await?
        .into_iter()
        .filter(|o| commission || o.submitted_by == caller.id)
        .map(|o| read_objection(o, commission, now))
        .collect())
}

/// Answers an objection (commission). Upheld: in the same unit, the call goes back under review
/// and the award is withdrawn.
///
/// # Errors
/// 403 for another role, 404 for an unknown objection, 422 for a blank answer, 409 for an
/// objection answered already or (upheld) a call no longer in notice.
#[tracing::instrument(skip_all, fields(objection_id = %objection_id))]
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    objection_id: i32,
    upheld: bool,
    answer: &str,
) -> Result<ObjectionRead> {
    caller.require(&[Role::Commission])?;
    let o = store::objections::objection(&state.db, objection_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(crate::msg!(
                "not-found-objection",
                objection_id = objection_id
            ))
        })?;
    let answer = answer.trim().to_owned();
    if answer.is_empty() {
        return Err(ApiError::field("answer", crate::msg!("field-blank")));
    }
    if o.upheld.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-objection-has-been-answered"
        )));
    }
    calls::find(state, o.call_id).await?;
    let mut uow = Uow::begin(state, caller).await?;
    // Under the call's lock: an upheld objection moves the call from the state read here.
    let call = calls::locked(&uow, o.call_id).await?;
    if upheld {
        let change = CallChange {
            award: Some(None),
            notice_started_at: Some(None),
            notice_ends_at: Some(None),
            ..Default::default()
        };
        calls::act(
            &mut uow,
            &call,
            CallAction::UpholdObjection,
            change,
            Some(answer.clone()),
        )
        .await?;
    }
    let answered = store::objections::answer(
        uow.db(),
        objection_id,
        upheld,
        answer.clone(),
        caller.id,
        uow.now(),
    )
    .await?
    .ok_or_else(|| ApiError::conflict(crate::msg!("conflict-objection-has-been-answered")))?;
    let ops = vec![
        PatchOp::add("/upheld", upheld),
        PatchOp::add("/answer", answer.clone()),
    ];
    uow.record(
        NewEvent::new(
            AggregateType::Objection,
            objection_id,
            "objection_answered",
            Visibility::Party,
        )
        .parent(AggregateType::Call, call.id)
        .reason(Some(answer))
        .payload(ops),
    );
    let now = uow.now();
    uow.commit().await?;
    Ok(read_objection(answered, true, now))
}

/// Makes the award final (commission): only after the notice period ended and with every
/// objection answered, both checked under the call's lock.
///
/// # Errors
/// 403 for another role, 404 for an unknown call, 409 during the notice, with objections
/// unanswered, or from a status other than notice.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn finalize(state: &AppState, caller: &Caller, call_id: i32) -> Result<CallInfo> {
    caller.require(&[Role::Commission])?;
    calls::find(state, call_id).await?;
    let mut uow = Uow::begin(state, caller).await?;
    let call = calls::locked(&uow, call_id).await?;
    let now = uow.now();
    let unanswered: Vec<i32> = store::objections::of_call(uow.db(), call.id)
        .await?
        .into_iter()
        .filter(|o| o.upheld.is_none())
        .map(|o| o.id)
        .collect();
    finalize_ready(call.notice_ends_at, now, &unanswered).map_err(|m| {
        ApiError::conflict(m)
            .with("notice_ends_at", call.notice_ends_at)
            .with("unanswered", &unanswered)
    })?;
    let reason = calls::award_of(&call)?.map(|a| a.note.clone());
    let change = CallChange {
        finalized_at: Some(Some(now)),
        ..Default::default()
    };
    let award = calls::award_of(&call)?.cloned();
    calls::act(&mut uow, &call, CallAction::Finalize, change, reason).await?;
    // The award stands: each winning bid becomes a construction project (建设项目) with a first
    // draft of its task agreement, in the same unit of work.
    if let Some(award) = award {
        super::projects::create_for_award(state, &mut uow, &call, &award).await?;
    }
    uow.commit().await?;
    calls::get(state, call_id).await
}
