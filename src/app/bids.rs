//! Bids: sealed until opening, one per organisation per call, replaceable until close; each
//! accepted submission gets a receipt (server time and the SHA-256 of its canonical content).
//! Experts' score sheets for bids.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{calls, panel, Uow};
use crate::auth::Caller;
use crate::domain::award::scoring_open;
use crate::domain::bid::{
    aad, validate_content, withdrawal_statement, Bid, BidContent, Receipt, Withdrawal,
};
use crate::domain::call::{bid_window_open, check_eligibility, BidderFacts, Call, CallStatus};
use crate::domain::document::DocumentKind;
use crate::domain::event::{AggregateType, NewEvent, Visibility};
use crate::domain::json_patch::PatchOp;
use crate::domain::money::Money;
use crate::domain::ranking::{check_sheet, ScoreDraft, SheetLine};
use crate::domain::role::Role;
use crate::domain::sealing;
use crate::domain::FieldError;
use crate::error::{is_contention, ApiError, Result};
use crate::state::AppState;
use crate::store;

/// Decrypts a bid's current content (for those allowed to read it).
///
/// # Errors
/// A bid without a receipt, or whose content does not unseal or read back: stored data that
/// does not hold together.
pub async fn content_of(state: &AppState, bid: &Bid) -> Result<BidContent> {
    let r = store::bids::current_receipt(&state.db, bid.id).await?;
    unseal(state, bid, &r)
}

/// Decrypts one receipt's content.
///
/// # Errors
/// Content that does not unseal or read back.
pub(crate) fn unseal(state: &AppState, bid: &Bid, r: &Receipt) -> Result<BidContent> {
    let key = sealing::bid_key_v2(&state.sealing_key, bid.call_id);
    let plain = sealing::unseal(&key, &aad(bid.call_id, bid.organisation_id), &r.sealed)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("unsealing bid {}: {e:?}", bid.id)))?;
    serde_json::from_slice(&plain)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("bid {} content: {e}", bid.id)))
}

/// Re-seals the receipts still sealed under the version-1 key (derived from the token secret,
/// before the keys were separated) under the sealing key, at start. The content and its receipt
/// hash do not change, only the key that guards them, so this is no event of the bid's; each row
/// is updated only while it is still under version 1, so instances starting together agree.
/// Returns how many receipts this start re-sealed.
///
/// # Errors
/// Version-1 receipts and no `legacy` secret to open them (the message names the setting), a
/// receipt that does not open under it, or a database failure.
pub async fn reseal_legacy(state: &AppState, legacy: Option<&[u8]>) -> anyhow::Result<usize> {
    let old = store::bids::receipts_sealed_before(&state.db, sealing::KEY_VERSION).await?;
    if old.is_empty() {
        return Ok(0);
    }
    let Some(legacy) = legacy else {
        anyhow::bail!(
            "{} bid receipts are sealed under the key derived from the token secret used before \
             this version, and that secret is not available: set JIEBANG__AUTH__SECRET to it (or \
             restore the key file holding it)",
            old.len()
        );
    };
    let mut done = 0;
    for (id, call_id, org, sealed, version) in old {
        let ctx = aad(call_id, org);
        let plain = sealing::unseal(&sealing::bid_key(legacy, call_id), &ctx, &sealed)
            .map_err(|e| anyhow::anyhow!("re-sealing bid receipt {id}: {e}"))?;
        let resealed = sealing::seal(
            &sealing::bid_key_v2(&state.sealing_key, call_id),
            &ctx,
            &plain,
        )
        .map_err(|e| anyhow::anyhow!("re-sealing bid receipt {id}: {e}"))?;
        if store::bids::reseal(&state.db, id, version, sealing::KEY_VERSION, resealed).await? {
            done += 1;
        }
    }
    Ok(done)
}

/// Facts about an organisation that the eligibility rules look at (as a bidder or as a joint
/// builder of a bid).
///
/// # Errors
/// 404 for an unknown organisation; stored data that does not read back.
pub async fn bidder_facts(
    state: &AppState,
    call: &Call,
    organisation_id: i32,
) -> Result<BidderFacts> {
    bidder_facts_many(state, call, &[organisation_id])
        .await?
        .remove(&organisation_id)
        .ok_or_else(|| {
            ApiError::NotFound(crate::msg!(
                "not-found-organisation",
                organisation_id = organisation_id
            ))
        })
}

/// [`bidder_facts`] for many organisations at once (the ranking's bidders): a fixed number of
/// queries whatever their number (organisations, joint memberships, the round's calls, the
/// winning bids), by organisation id.
///
/// # Errors
/// 404 for an unknown organisation; database failures.
pub async fn bidder_facts_many(
    state: &AppState,
    call: &Call,
    organisation_ids: &[i32],
) -> Result<std::collections::HashMap<i32, BidderFacts>> {
    let orgs = store::organisations::by_ids(&state.db, organisation_ids).await?;
    let joined = store::bids::bids_joined_by_each(&state.db, organisation_ids).await?;
    let now = state.clock.now();
    let mut winning: Vec<i32> = Vec::new();
    for other in store::calls::calls_of_round(&state.db, call.round_id).await? {
        if other.id == call.id || other.status_at(now) != CallStatus::Awarded {
            continue;
        }
        winning.extend(calls::award_of(&other)?.map_or(&[][..], |a| &a.bid_ids));
    }
    let winners = store::bids::bids_by_ids(&state.db, &winning).await?;
    let mut out = std::collections::HashMap::new();
    for &organisation_id in organisation_ids {
        let org = orgs.get(&organisation_id).ok_or_else(|| {
            ApiError::NotFound(crate::msg!(
                "not-found-organisation",
                organisation_id = organisation_id
            ))
        })?;
        let joins = joined.get(&organisation_id);
        // An award held as a joint builder counts as one held as the bidder.
        let has_award = winning.iter().any(|bid_id| {
            winners
                .get(bid_id)
                .is_some_and(|b| b.organisation_id == organisation_id)
                || joins.is_some_and(|j| j.contains(bid_id))
        });
        let registered_capital = org
            .registered_capital
            .map(Money::from_hundredths)
            .transpose()
            .map_err(|e| {
                ApiError::Unexpected(anyhow::anyhow!(
                    "stored registered capital of organisation {organisation_id}: {e}"
                ))
            })?;
        out.insert(
            organisation_id,
            BidderFacts {
                district_code: Some(org.district_code.clone()),
                registered_capital,
                has_award_this_round: has_award,
            },
        );
    }
    Ok(out)
}

/// An accepted submission's receipt.
#[derive(Debug, Clone)]
pub struct Submission {
    pub bid_id: i32,
    pub receipt_id: i32,
    pub received_at: DateTime<Utc>,
    pub sha256: String,
    /// The receipt this submission replaces, if it is a replacement.
    pub replaces_receipt_id: Option<i32>,
}

/// Refuses a bid arriving at `now` outside the window or on a call that is not open.
pub(crate) fn check_open(call: &Call, now: DateTime<Utc>) -> Result<()> {
    if !bid_window_open(call.opens_at, call.closes_at, now) {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-bids-accepted-from-now",
            opens_at = call.opens_at.to_rfc3339(),
            closes_at = call.closes_at.to_rfc3339(),
            now = now.to_rfc3339()
        ))
        .with("opens_at", call.opens_at)
        .with("closes_at", call.closes_at)
        .with("now", now));
    }
    let status = call.status_at(now);
    if status != CallStatus::Open {
        return Err(
            ApiError::conflict(crate::msg!("conflict-call", status = status))
                .with("current_state", status),
        );
    }
    Ok(())
}

/// Submits or replaces the caller's organisation's bid (applicant, inside the window).
///
/// `sent` is the body exactly as sent: its RFC 8785 canonical form is what the receipt hashes and
/// what is sealed and stored (`content` is its typed reading, for the rules). The receipt time is
/// taken, and the window checked, under the call's lock, which the opening takes too: a receipt
/// dated before the close has committed before the opening reads the bids, and none is dated
/// after it.
///
/// # Errors
/// 403 for another role or an account without an organisation, 404 for an unknown call, 409
/// outside the window (with the window) or when the call is not open, 422 for bad content or an
/// organisation failing the call's eligibility rules (naming each rule).
// No organisation or account in the span: who bid is sealed until the opening, logs included.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
    content: BidContent,
    sent: &Value,
) -> Result<Submission> {
    caller.require(&[Role::Applicant])?;
    let org = caller
        .organisation_id
        .ok_or_else(|| ApiError::Forbidden(crate::msg!("forbidden-account-has-organisation")))?;
    let call = calls::find(state, call_id).await?;
    // A first answer without the lock, so that late or bad bids cost nothing; the window is asked
    // again under the lock.
    check_open(&call, super::now(state))?;
    ApiError::check(validate_content(&content))?;
    let mut errors: Vec<FieldError> =
        check_eligibility(&call.eligibility, &bidder_facts(state, &call, org).await?)
            .into_iter()
            .map(|f| FieldError::new(format!("eligibility.{}", f.rule), f.why))
            .collect();
    // A joint bid: every member meets the call's rules as the bidder does.
    for (i, j) in content.joint_builders.iter().enumerate() {
        let field = format!("joint_builders[{i}]");
        if j.organisation_id == org {
            errors.push(FieldError::new(
                format!("{field}.organisation_id"),
                crate::msg!("field-joint-builder-is-lead"),
            ));
            continue;
        }
        if store::organisations::by_id(&state.db, j.organisation_id)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                format!("{field}.organisation_id"),
                crate::msg!("field-no-organisation", id = j.organisation_id),
            ));
            continue;
        }
        let facts = bidder_facts(state, &call, j.organisation_id).await?;
        errors.extend(
            check_eligibility(&call.eligibility, &facts)
                .into_iter()
                .map(|f| FieldError::new(format!("{field}.eligibility.{}", f.rule), f.why)),
        );
    }
    ApiError::check(errors)?;
    check_attachments(state, call.id, org, &content).await?;
    let canonical = sealing::jcs(sent).map_err(anyhow::Error::from)?;
    let sha256 = sealing::receipt_hash(&canonical);
    let key = sealing::bid_key_v2(&state.sealing_key, call.id);
    let sealed = sealing::seal(&key, &aad(call.id, org), &canonical)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("sealing a bid: {e}")))?;
    // A first submission racing another from the same organisation meets the unique index; the
    // second try then replaces.
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut uow = Uow::begin(state, caller).await?;
        store::calls::lock_call(uow.db(), call.id).await?;
        uow.restamp(state);
        let locked = store::calls::call(uow.db(), call.id)
            .await?
            .ok_or_else(|| {
                ApiError::NotFound(crate::msg!("not-found-call-2", call_id = call_id))
            })?;
        check_open(&locked, uow.now())?;
        let new = store::bids::NewReceipt {
            call_id: call.id,
            organisation_id: org,
            submitted_by: caller.id,
            sha256: sha256.clone(),
            sealed: sealed.clone(),
        };
        match store::bids::submit(uow.db(), new, uow.now()).await {
            Ok(s) => {
                uow.record(
                    NewEvent::new(
                        AggregateType::Bid,
                        s.bid.id,
                        if s.replaced.is_some() {
                            "bid_replaced"
                        } else {
                            "bid_received"
                        },
                        Visibility::Sealed,
                    )
                    .parent(AggregateType::Call, call.id)
                    .payload(receipt_ops(s.replaced.as_ref(), &s.receipt)),
                );
                uow.commit().await?;
                metrics::counter!(crate::metrics::BIDS_RECEIVED).increment(1);
                return Ok(Submission {
                    bid_id: s.bid.id,
                    receipt_id: s.receipt.id,
                    received_at: s.receipt.received_at,
                    sha256: s.receipt.sha256,
                    replaces_receipt_id: s.replaced.map(|r| r.id),
                });
            }
            // Dropping the unit rolls it back.
            Err(e) if attempt < 3 && (e.sql_err().is_some() || is_contention(&e)) => drop(uow),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Each attachment must be a document uploaded to this organisation's bid on this call, and its
/// SHA-256 that of one of the document's versions.
async fn check_attachments(
    state: &AppState,
    call_id: i32,
    org: i32,
    content: &BidContent,
) -> Result<()> {
    if content.attachments.is_empty() {
        return Ok(());
    }
    let bid = store::bids::bid_of(&state.db, call_id, org).await?;
    let mut errors = Vec::new();
    for (i, a) in content.attachments.iter().enumerate() {
        let Some(id) = a.document_id else { continue };
        let doc = store::documents::get(&state.db, id).await?.filter(|d| {
            d.kind == DocumentKind::BidAttachment
                && bid.as_ref().is_some_and(|b| b.id == d.owner_id)
        });
        let Some(doc) = doc else {
            errors.push(FieldError::new(
                format!("attachments[{i}].document_id"),
                crate::msg!("field-no-attachment", id = id),
            ));
            continue;
        };
        let versions = store::documents::versions(&state.db, doc.id).await?;
        if !versions
            .iter()
            .any(|v| v.sha256.eq_ignore_ascii_case(&a.sha256))
        {
            errors.push(FieldError::new(
                format!("attachments[{i}].sha256"),
                crate::msg!("field-no-document-version-sha", id = id),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// A bid's change of current receipt: its id and hash, with the replaced ones as old values.
/// The hash is always stated, even when a resubmission repeats it, so that every receipt's hash
/// is in the log.
fn receipt_ops(replaced: Option<&Receipt>, new: &Receipt) -> Vec<PatchOp> {
    let stated = |path: &str, old: Option<Value>, new: Value| PatchOp {
        op: if old.is_some() { "replace" } else { "add" }.into(),
        path: path.into(),
        value: Some(new),
        old,
    };
    vec![
        stated(
            "/receipt_id",
            replaced.map(|r| Value::from(r.id)),
            Value::from(new.id),
        ),
        stated(
            "/sha256",
            replaced.map(|r| Value::from(r.sha256.clone())),
            Value::from(new.sha256.clone()),
        ),
    ]
}

/// Withdraws the caller's organisation's bid before the close (its bidder, inside the window):
/// the withdrawal gets a receipt of its own (server time and the SHA-256 of its canonical
/// statement, naming the receipt withdrawn); the sealed content stays sealed and is never opened.
/// A later submission inside the window reinstates the bid. Under the call's lock, as bids are.
///
/// # Errors
/// 403 for another role; 404 for an unknown bid or another organisation's; 409 outside the
/// window, when the call is not open, or when the bid is already withdrawn.
// No organisation or account in the span, as for a submission.
#[tracing::instrument(skip_all, fields(bid_id = %bid_id))]
pub async fn withdraw(state: &AppState, caller: &Caller, bid_id: i32) -> Result<Withdrawal> {
    caller.require(&[Role::Applicant])?;
    let not_found = || ApiError::NotFound(crate::msg!("not-found-bid", bid_id = bid_id));
    let bid = store::bids::bid(&state.db, bid_id)
        .await?
        .filter(|b| caller.organisation_id == Some(b.organisation_id))
        .ok_or_else(not_found)?;
    let call = calls::find(state, bid.call_id).await?;
    check_open(&call, super::now(state))?;
    let mut uow = Uow::begin(state, caller).await?;
    store::calls::lock_call(uow.db(), call.id).await?;
    uow.restamp(state);
    let locked = store::calls::call(uow.db(), call.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-call", id = call.id)))?;
    check_open(&locked, uow.now())?;
    let current = store::bids::current_receipt(uow.db(), bid.id).await?;
    if let Some(w) = store::bids::withdrawn(uow.db(), call.id)
        .await?
        .remove(&bid.id)
    {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-bid-was-withdrawn-at-submit",
            withdrawn_at = w.withdrawn_at.to_rfc3339()
        ))
        .with("withdrawn_at", w.withdrawn_at));
    }
    let now = uow.now();
    let statement = withdrawal_statement(bid.id, call.id, &current, now);
    let sha256 = sealing::receipt_hash(&sealing::jcs(&statement).map_err(anyhow::Error::from)?);
    let w = store::bids::withdraw(uow.db(), &bid, current.id, caller.id, now, sha256).await?;
    uow.record(
        NewEvent::new(
            AggregateType::Bid,
            bid.id,
            "bid_withdrawn",
            Visibility::Sealed,
        )
        .parent(AggregateType::Call, call.id)
        .payload(vec![
            PatchOp::add("/withdrawal_id", Value::from(w.id)),
            PatchOp::add("/withdrawn_receipt_id", Value::from(current.id)),
            PatchOp::add("/withdrawal_sha256", Value::from(w.sha256.clone())),
        ]),
    );
    uow.commit().await?;
    Ok(w)
}

/// A receipt as a reader sees it.
#[derive(Debug, Clone)]
pub struct ReceiptInfo {
    pub receipt_id: i32,
    pub received_at: DateTime<Utc>,
    pub sha256: String,
    pub current: bool,
}

/// A bid as one caller may see it.
#[derive(Debug, Clone)]
pub struct BidRead {
    pub bid_id: i32,
    pub call_id: i32,
    /// The bidder, where this caller may know it.
    pub organisation_id: Option<i32>,
    pub current: ReceiptInfo,
    /// True while the content is sealed to this caller.
    pub sealed: bool,
    pub content: Option<BidContent>,
    /// Every receipt, where this caller may see them (the bidder, and readers once opened).
    pub receipts: Vec<ReceiptInfo>,
    /// The withdrawal in force, if the bid is withdrawn (its content then stays sealed to all
    /// but its bidder, after the opening too).
    pub withdrawn: Option<Withdrawal>,
    /// Every withdrawal's receipt, where this caller may see the receipts.
    pub withdrawals: Vec<Withdrawal>,
}

/// Who may read what of a call's bids: `None` may not see a bid at all, `Some(readable)` sees
/// its receipt and, if readable, its content and bidder.
struct Reader {
    revealed: bool,
    role: Role,
    organisation_id: Option<i32>,
    /// For an expert: `None` off the panel, else the bids it is recused from.
    recused: Option<BTreeMap<i32, Vec<String>>>,
}

impl Reader {
    async fn new(state: &AppState, caller: &Caller, call: &Call) -> Result<Self> {
        let revealed =
            call.status_at(state.clock.now()).bids_revealed() && call.opened_at.is_some();
        let recused = if caller.role == Role::Expert {
            panel::recusals_of(&state.db, call, caller.id).await?
        } else {
            None
        };
        Ok(Self {
            revealed,
            role: caller.role,
            organisation_id: caller.organisation_id,
            recused,
        })
    }

    fn reading(&self, bid: &Bid) -> Option<bool> {
        match self.role {
            Role::Applicant => (self.organisation_id == Some(bid.organisation_id)).then_some(true),
            Role::Commission => Some(self.revealed),
            Role::Expert => match &self.recused {
                None => None,
                Some(recused) if recused.contains_key(&bid.id) => None,
                Some(_) => Some(self.revealed),
            },
            _ => None,
        }
    }
}

async fn read(state: &AppState, bid: &Bid, readable: bool, owner: bool) -> Result<BidRead> {
    let receipts = store::bids::receipts(&state.db, bid.id).await?;
    let withdrawals = store::bids::withdrawals(&state.db, bid.id).await?;
    read_with(state, bid, readable, owner, receipts, withdrawals)
}

/// [`read`] from the bid's receipts and withdrawals already read.
fn read_with(
    state: &AppState,
    bid: &Bid,
    readable: bool,
    owner: bool,
    receipts: Vec<Receipt>,
    withdrawals: Vec<crate::domain::bid::Withdrawal>,
) -> Result<BidRead> {
    let current = receipts.last().ok_or_else(|| {
        ApiError::Unexpected(anyhow::anyhow!("receipt of bid {} missing", bid.id))
    })?;
    let withdrawn = withdrawals
        .last()
        .filter(|w| w.receipt_id == current.id)
        .cloned();
    // A withdrawn bid is never opened: its content stays with its bidder.
    let content_readable = readable && (owner || withdrawn.is_none());
    let info = |r: &Receipt| ReceiptInfo {
        receipt_id: r.id,
        received_at: r.received_at,
        sha256: r.sha256.clone(),
        current: r.id == current.id,
    };
    Ok(BidRead {
        bid_id: bid.id,
        call_id: bid.call_id,
        organisation_id: readable.then_some(bid.organisation_id),
        current: info(current),
        sealed: !content_readable,
        content: if content_readable {
            Some(unseal(state, bid, current)?)
        } else {
            None
        },
        receipts: receipts
            .iter()
            .filter(|_| readable || owner)
            .map(info)
            .collect(),
        withdrawn,
        withdrawals: withdrawals
            .into_iter()
            .filter(|_| readable || owner)
            .collect(),
    })
}

/// The bids of a call the caller may see: the commission and the panel get receipts (and, once
/// opened, contents — experts not those they are recused from); an applicant its own bid.
///
/// # Errors
/// 404 for an unknown call.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn list(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<BidRead>> {
    let call = calls::find(state, call_id).await?;
    let reader = Reader::new(state, caller, &call).await?;
    // Which bids this reader sees is decided on the bid rows (small); only the page's bids have
    // their receipts and withdrawals read, together.
    let mut visible = Vec::new();
    for bid in store::bids::bids(&state.db, call.id).await? {
        if let Some(readable) = reader.reading(&bid) {
            visible.push((bid, readable));
        }
    }
    let page = args.of_all(visible, |(b, _)| i64::from(b.id));
    let ids: Vec<i32> = page.items.iter().map(|(b, _)| b.id).collect();
    let (mut receipts, mut withdrawals) =
        store::bids::receipts_and_withdrawals(&state.db, &ids).await?;
    let mut out = Vec::with_capacity(page.items.len());
    for (bid, readable) in &page.items {
        let owner = caller.organisation_id == Some(bid.organisation_id);
        out.push(read_with(
            state,
            bid,
            *readable,
            owner,
            receipts.remove(&bid.id).unwrap_or_default(),
            withdrawals.remove(&bid.id).unwrap_or_default(),
        )?);
    }
    Ok(super::paging::Paged {
        items: out,
        next: page.next,
    })
}

/// One bid, sealed or not depending on the caller (see [`list`]).
///
/// # Errors
/// 404 for an unknown bid or one the caller may not see.
#[tracing::instrument(skip_all, fields(bid_id = %id))]
pub async fn get(state: &AppState, caller: &Caller, id: i32) -> Result<BidRead> {
    let bid = store::bids::bid(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-bid-2", id = id)))?;
    let call = calls::find(state, bid.call_id).await?;
    let readable = Reader::new(state, caller, &call)
        .await?
        .reading(&bid)
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-bid-2", id = id)))?;
    let owner = caller.organisation_id == Some(bid.organisation_id);
    read(state, &bid, readable, owner).await
}

/// Scores a bid on every criterion of the rubric (an assigned, non-recused expert, while the call
/// is under review), replacing the expert's earlier sheet for the bid. Under the call's lock, so
/// that a score never lands on a call that left the review or from an expert whose conflict was
/// declared meanwhile. Returns the sheet's lines in rubric order.
///
/// # Errors
/// 403 for another role, off the panel or recused; 404 for an unknown bid; 409 outside the
/// review; 422 naming each bad score.
#[tracing::instrument(skip_all, fields(bid_id = %bid_id, expert_id = %caller.id))]
pub async fn put_scores(
    state: &AppState,
    caller: &Caller,
    bid_id: i32,
    drafts: Vec<ScoreDraft>,
) -> Result<Vec<SheetLine>> {
    caller.require(&[Role::Expert])?;
    let bid = store::bids::bid(&state.db, bid_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-bid", bid_id = bid_id)))?;
    let call = calls::find(state, bid.call_id).await?;
    let may_score = |recused: Option<BTreeMap<i32, Vec<String>>>, status: CallStatus| {
        let recused = recused
            .ok_or_else(|| ApiError::Forbidden(crate::msg!("forbidden-you-call-s-panel")))?;
        if let Some(reasons) = recused.get(&bid.id) {
            return Err(ApiError::Forbidden(crate::msg!(
                "forbidden-you-recused-from-bid",
                reasons = reasons.join("; ")
            )));
        }
        scoring_open(status).map_err(|m| ApiError::conflict(m).with("current_state", status))
    };
    may_score(
        panel::recusals_of(&state.db, &call, caller.id).await?,
        call.status_at(state.clock.now()),
    )?;
    if store::bids::withdrawn(&state.db, call.id)
        .await?
        .contains_key(&bid.id)
    {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-bid-was-withdrawn-before-close"
        )));
    }
    let lines = check_sheet(&call.rubric, drafts).map_err(ApiError::Validation)?;
    let new_lines = serde_json::to_value(&lines).map_err(anyhow::Error::from)?;
    let mut uow = Uow::begin(state, caller).await?;
    let call = calls::locked(&uow, call.id).await?;
    may_score(
        panel::recusals_of(uow.db(), &call, caller.id).await?,
        call.status_at(uow.now()),
    )?;
    let earlier = store::scores::sheet_of(uow.db(), bid.id, caller.id).await?;
    let (sheet_id, ops) = match earlier {
        Some(s) => {
            if !store::scores::replace(uow.db(), s.id, s.submitted_at, &lines, uow.now()).await? {
                return Err(ApiError::conflict(crate::msg!(
                    "conflict-score-sheet-changed-at-same"
                )));
            }
            let old = serde_json::to_value(&s.lines).map_err(anyhow::Error::from)?;
            let ops = PatchOp::change("/scores", old, new_lines)
                .into_iter()
                .collect();
            (s.id, ops)
        }
        None => {
            let s = store::scores::insert(uow.db(), call.id, bid.id, caller.id, &lines, uow.now())
                .await?;
            let ops = [
                ("/id", Value::from(s.id)),
                ("/bid_id", Value::from(bid.id)),
                ("/expert_id", Value::from(caller.id)),
                ("/scores", new_lines),
            ]
            .into_iter()
            .map(|(p, v)| PatchOp::add(p, v))
            .collect();
            (s.id, ops)
        }
    };
    uow.record(
        NewEvent::new(
            AggregateType::ScoreSheet,
            sheet_id,
            "scored",
            Visibility::Commission,
        )
        .parent(AggregateType::Call, call.id)
        .payload(ops),
    );
    uow.commit().await?;
    Ok(lines)
}
