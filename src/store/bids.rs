//! Bids and their receipts. A bid's current receipt is its latest one (the highest receipt id):
//! no column points at it, so no row ever holds a placeholder.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{bid, bid_member, bid_receipt, bid_withdrawal};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::bid::{Bid, Receipt, Withdrawal};
use crate::domain::builders::JointBuilder;

fn bid_of_model(m: bid::Model) -> Bid {
    Bid {
        id: m.id,
        call_id: m.call_id,
        organisation_id: m.organisation_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn receipt_of_model(m: bid_receipt::Model) -> Receipt {
    Receipt {
        id: m.id,
        bid_id: m.bid_id,
        call_id: m.call_id,
        organisation_id: m.organisation_id,
        submitted_by: m.submitted_by,
        received_at: m.received_at,
        sha256: m.sha256,
        sealed: m.sealed,
    }
}

/// # Errors
/// Database failures.
pub async fn bid(db: &impl ConnectionTrait, id: i32) -> Result<Option<Bid>, DbErr> {
    Ok(bid::Entity::find_by_id(id).one(db).await?.map(bid_of_model))
}

/// A call's bids, by id.
///
/// # Errors
/// Database failures.
pub async fn bids(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<Bid>, DbErr> {
    Ok(bid::Entity::find()
        .filter(bid::Column::CallId.eq(call_id))
        .order_by_asc(bid::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(bid_of_model)
        .collect())
}

/// # Errors
/// Database failures.
pub async fn bid_count(db: &impl ConnectionTrait, call_id: i32) -> Result<u64, DbErr> {
    bid::Entity::find()
        .filter(bid::Column::CallId.eq(call_id))
        .count(db)
        .await
}

/// Bids by id (for a page of calls' winners: one query).
///
/// # Errors
/// Database failures.
pub async fn bids_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, Bid>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(bid::Entity::find()
        .filter(bid::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, bid_of_model(m)))
        .collect())
}

/// How many bids each of the calls holds that were not withdrawn (a withdrawal counts while it
/// is against the bid's current receipt, as [`withdrawn`] reads it): one query for the counts,
/// one for the withdrawals, and only when there are any, one for the current receipts.
///
/// # Errors
/// Database failures.
pub async fn standing_counts(
    db: &impl ConnectionTrait,
    call_ids: &[i32],
) -> Result<HashMap<i32, u64>, DbErr> {
    if call_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, i64)> = bid::Entity::find()
        .select_only()
        .column(bid::Column::CallId)
        .column_as(bid::Column::Id.count(), "n")
        .filter(bid::Column::CallId.is_in(call_ids.iter().copied()))
        .group_by(bid::Column::CallId)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<i32, u64> = rows
        .into_iter()
        .map(|(c, n)| (c, u64::try_from(n).unwrap_or(0)))
        .collect();
    let withdrawals = bid_withdrawal::Entity::find()
        .filter(bid_withdrawal::Column::CallId.is_in(call_ids.iter().copied()))
        .all(db)
        .await?;
    if withdrawals.is_empty() {
        return Ok(counts);
    }
    let of_calls = Query::select()
        .column(bid::Column::Id)
        .from(bid::Entity)
        .and_where(bid::Column::CallId.is_in(call_ids.iter().copied()))
        .to_owned();
    let latest = Query::select()
        .expr(Expr::col(bid_receipt::Column::Id).max())
        .from(bid_receipt::Entity)
        .and_where(bid_receipt::Column::BidId.in_subquery(of_calls))
        .group_by_col(bid_receipt::Column::BidId)
        .to_owned();
    let current: HashMap<i32, i32> = bid_receipt::Entity::find()
        .filter(bid_receipt::Column::Id.in_subquery(latest))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.bid_id, r.id))
        .collect();
    let mut withdrawn: Vec<(i32, i32)> = withdrawals
        .into_iter()
        .map(withdrawal_of_model)
        .filter(|w| current.get(&w.bid_id) == Some(&w.receipt_id))
        .map(|w| (w.call_id, w.bid_id))
        .collect();
    withdrawn.sort_unstable();
    withdrawn.dedup();
    for (call_id, _) in withdrawn {
        if let Some(n) = counts.get_mut(&call_id) {
            *n = n.saturating_sub(1);
        }
    }
    Ok(counts)
}

/// The bid of an organisation in a call.
///
/// # Errors
/// Database failures.
pub async fn bid_of(
    db: &impl ConnectionTrait,
    call_id: i32,
    organisation_id: i32,
) -> Result<Option<Bid>, DbErr> {
    Ok(bid::Entity::find()
        .filter(bid::Column::CallId.eq(call_id))
        .filter(bid::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .map(bid_of_model))
}

/// A bid's current receipt: its latest.
///
/// # Errors
/// Database failures, and a bid without a receipt (every bid is stored with its first one).
pub async fn current_receipt(db: &impl ConnectionTrait, bid_id: i32) -> Result<Receipt, DbErr> {
    bid_receipt::Entity::find()
        .filter(bid_receipt::Column::BidId.eq(bid_id))
        .order_by_desc(bid_receipt::Column::Id)
        .one(db)
        .await?
        .map(receipt_of_model)
        .ok_or_else(|| DbErr::Custom(format!("bid {bid_id} has no receipt")))
}

/// The current receipt of every bid of a call, by bid id.
///
/// # Errors
/// Database failures.
pub async fn current_receipts(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<HashMap<i32, Receipt>, DbErr> {
    // Through the call's bids (ux_bid_call_org) and each bid's receipts (bid_id, id): both
    // searches by index.
    let of_call = Query::select()
        .column(bid::Column::Id)
        .from(bid::Entity)
        .and_where(bid::Column::CallId.eq(call_id))
        .to_owned();
    let latest = Query::select()
        .expr(Expr::col(bid_receipt::Column::Id).max())
        .from(bid_receipt::Entity)
        .and_where(bid_receipt::Column::BidId.in_subquery(of_call))
        .group_by_col(bid_receipt::Column::BidId)
        .to_owned();
    Ok(bid_receipt::Entity::find()
        .filter(bid_receipt::Column::Id.in_subquery(latest))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.bid_id, receipt_of_model(r)))
        .collect())
}

/// Every receipt of a bid, oldest first.
///
/// # Errors
/// Database failures.
pub async fn receipts(db: &impl ConnectionTrait, bid_id: i32) -> Result<Vec<Receipt>, DbErr> {
    Ok(bid_receipt::Entity::find()
        .filter(bid_receipt::Column::BidId.eq(bid_id))
        .order_by_asc(bid_receipt::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(receipt_of_model)
        .collect())
}

/// A submission to store.
pub struct NewReceipt {
    pub call_id: i32,
    pub organisation_id: i32,
    pub submitted_by: i32,
    pub sha256: String,
    pub sealed: Vec<u8>,
}

/// What storing a submission did.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub bid: Bid,
    pub receipt: Receipt,
    /// The receipt it replaces, for a bid submitted before.
    pub replaced: Option<Receipt>,
}

/// Stores a submission: creates the organisation's bid on first submission, else adds a receipt
/// that becomes its current one (the old receipt stays). Call it after `calls::lock_call`, which
/// takes the write lock first.
///
/// # Errors
/// Database failures (a concurrent first submission by the same organisation fails on the
/// unique index; the caller retries).
pub async fn submit(
    db: &impl ConnectionTrait,
    r: NewReceipt,
    now: DateTime<Utc>,
) -> Result<Submitted, DbErr> {
    let (b, replaced) = match bid_of(db, r.call_id, r.organisation_id).await? {
        Some(b) => {
            let replaced = current_receipt(db, b.id).await?;
            bid::Entity::update_many()
                .col_expr(bid::Column::UpdatedAt, Expr::value(now))
                .filter(bid::Column::Id.eq(b.id))
                .exec(db)
                .await?;
            (
                Bid {
                    updated_at: now,
                    ..b
                },
                Some(replaced),
            )
        }
        None => {
            let m = bid::ActiveModel {
                call_id: Set(r.call_id),
                organisation_id: Set(r.organisation_id),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            (bid_of_model(m), None)
        }
    };
    let receipt = bid_receipt::ActiveModel {
        bid_id: Set(b.id),
        call_id: Set(r.call_id),
        organisation_id: Set(r.organisation_id),
        submitted_by: Set(r.submitted_by),
        received_at: Set(now),
        sha256: Set(r.sha256),
        sealed: Set(r.sealed),
        key_version: Set(crate::domain::sealing::KEY_VERSION),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Submitted {
        bid: b,
        receipt: receipt_of_model(receipt),
        replaced,
    })
}

/// Receipts sealed under an older key version than `version`: `(id, call, organisation, sealed,
/// key version)`.
///
/// # Errors
/// Database failures.
pub async fn receipts_sealed_before(
    db: &impl ConnectionTrait,
    version: i32,
) -> Result<Vec<(i32, i32, i32, Vec<u8>, i32)>, DbErr> {
    Ok(bid_receipt::Entity::find()
        .filter(bid_receipt::Column::KeyVersion.lt(version))
        .order_by_asc(bid_receipt::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.call_id, m.organisation_id, m.sealed, m.key_version))
        .collect())
}

/// Replaces a receipt's sealed bytes with the same content sealed under key `version`, if it is
/// still under `from` (another instance may have done it first). True when this call did.
///
/// # Errors
/// Database failures.
pub async fn reseal(
    db: &impl ConnectionTrait,
    id: i32,
    from: i32,
    version: i32,
    sealed: Vec<u8>,
) -> Result<bool, DbErr> {
    let r = bid_receipt::Entity::update_many()
        .col_expr(bid_receipt::Column::Sealed, Expr::value(sealed))
        .col_expr(bid_receipt::Column::KeyVersion, Expr::value(version))
        .filter(bid_receipt::Column::Id.eq(id))
        .filter(bid_receipt::Column::KeyVersion.eq(from))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

fn withdrawal_of_model(m: bid_withdrawal::Model) -> Withdrawal {
    Withdrawal {
        id: m.id,
        bid_id: m.bid_id,
        call_id: m.call_id,
        receipt_id: m.receipt_id,
        withdrawn_by: m.withdrawn_by,
        withdrawn_at: m.withdrawn_at,
        sha256: m.sha256,
    }
}

/// Stores a withdrawal's receipt for the bid's current receipt `receipt_id`. Call it under the
/// call's lock.
///
/// # Errors
/// Database failures (a second withdrawal of the same receipt fails on the unique index).
pub async fn withdraw(
    db: &impl ConnectionTrait,
    bid: &Bid,
    receipt_id: i32,
    withdrawn_by: i32,
    withdrawn_at: DateTime<Utc>,
    sha256: String,
) -> Result<Withdrawal, DbErr> {
    let m = bid_withdrawal::ActiveModel {
        bid_id: Set(bid.id),
        call_id: Set(bid.call_id),
        receipt_id: Set(receipt_id),
        withdrawn_by: Set(withdrawn_by),
        withdrawn_at: Set(withdrawn_at),
        sha256: Set(sha256),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(withdrawal_of_model(m))
}

/// Every withdrawal of a bid, oldest first.
///
/// # Errors
/// Database failures.
pub async fn withdrawals(db: &impl ConnectionTrait, bid_id: i32) -> Result<Vec<Withdrawal>, DbErr> {
    Ok(bid_withdrawal::Entity::find()
        .filter(bid_withdrawal::Column::BidId.eq(bid_id))
        .order_by_asc(bid_withdrawal::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(withdrawal_of_model)
        .collect())
}

/// The receipts and the withdrawals of each of these bids, oldest first (two queries: a page
/// of bids reads them together).
///
/// # Errors
/// Database failures.
pub async fn receipts_and_withdrawals(
    db: &impl ConnectionTrait,
    bid_ids: &[i32],
) -> Result<(HashMap<i32, Vec<Receipt>>, HashMap<i32, Vec<Withdrawal>>), DbErr> {
    let mut receipts: HashMap<i32, Vec<Receipt>> = HashMap::new();
    let mut withdrawals: HashMap<i32, Vec<Withdrawal>> = HashMap::new();
    if bid_ids.is_empty() {
        return Ok((receipts, withdrawals));
    }
    for r in bid_receipt::Entity::find()
        .filter(bid_receipt::Column::BidId.is_in(bid_ids.iter().copied()))
        .order_by_asc(bid_receipt::Column::Id)
        .all(db)
        .await?
    {
        receipts
            .entry(r.bid_id)
            .or_default()
            .push(receipt_of_model(r));
    }
    for w in bid_withdrawal::Entity::find()
        .filter(bid_withdrawal::Column::BidId.is_in(bid_ids.iter().copied()))
        .order_by_asc(bid_withdrawal::Column::Id)
        .all(db)
        .await?
    {
        withdrawals
            .entry(w.bid_id)
            .or_default()
            .push(withdrawal_of_model(w));
    }
    Ok((receipts, withdrawals))
}

/// The bids of a call withdrawn now (their latest withdrawal names their current receipt), by
/// bid id, with that withdrawal.
///
/// # Errors
/// Database failures.
pub async fn withdrawn(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<HashMap<i32, Withdrawal>, DbErr> {
    let all = bid_withdrawal::Entity::find()
        .filter(bid_withdrawal::Column::CallId.eq(call_id))
        .order_by_asc(bid_withdrawal::Column::Id)
        .all(db)
        .await?;
    if all.is_empty() {
        return Ok(HashMap::new());
    }
    let current = current_receipts(db, call_id).await?;
    Ok(all
        .into_iter()
        .map(withdrawal_of_model)
        .filter(|w| current.get(&w.bid_id).is_some_and(|r| r.id == w.receipt_id))
        .map(|w| (w.bid_id, w))
        .collect())
}

/// A call's bids that are not withdrawn, by id.
///
/// # Errors
/// Database failures.
pub async fn active_bids(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<Bid>, DbErr> {
    let withdrawn = withdrawn(db, call_id).await?;
    Ok(bids(db, call_id)
        .await?
        .into_iter()
        .filter(|b| !withdrawn.contains_key(&b.id))
        .collect())
}

/// Records the joint builders an opened bid names (at the opening, from its unsealed content).
///
/// # Errors
/// Database failures, an organisation recorded twice for the bid.
pub async fn insert_members(
    db: &impl ConnectionTrait,
    bid: &Bid,
    joint: &[JointBuilder],
) -> Result<(), DbErr> {
    for (position, j) in (0..).zip(joint) {
        bid_member::ActiveModel {
            bid_id: Set(bid.id),
            call_id: Set(bid.call_id),
            organisation_id: Set(j.organisation_id),
            role: Set(j.role.as_str().to_owned()),
            position: Set(position),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn member_of_model(m: bid_member::Model) -> Result<(i32, JointBuilder), DbErr> {
    let role = m
        .role
        .parse()
        .map_err(|_| DbErr::Custom(format!("stored role of bid member {}: {:?}", m.id, m.role)))?;
    Ok((
        m.bid_id,
        JointBuilder {
            organisation_id: m.organisation_id,
            role,
        },
    ))
}

/// The joint builders of a call's opened bids, by bid, each bid's in its order (none before the
/// opening: they are sealed with the content).
///
/// # Errors
/// Database failures, a stored role that does not read back.
pub async fn members_of_call(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<HashMap<i32, Vec<JointBuilder>>, DbErr> {
    let rows = bid_member::Entity::find()
        .filter(bid_member::Column::CallId.eq(call_id))
        .order_by_asc(bid_member::Column::BidId)
        .order_by_asc(bid_member::Column::Position)
        .all(db)
        .await?;
    let mut out: HashMap<i32, Vec<JointBuilder>> = HashMap::new();
    for m in rows {
        let (bid, j) = member_of_model(m)?;
        out.entry(bid).or_default().push(j);
    }
    Ok(out)
}

/// The joint builders of one opened bid, in its order.
///
/// # Errors
/// Database failures, a stored role that does not read back.
pub async fn members_of_bid(
    db: &impl ConnectionTrait,
    bid_id: i32,
) -> Result<Vec<JointBuilder>, DbErr> {
    bid_member::Entity::find()
        .filter(bid_member::Column::BidId.eq(bid_id))
        .order_by_asc(bid_member::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| member_of_model(m).map(|(_, j)| j))
        .collect()
}

/// The bids each of these organisations is a joint builder of (one query).
///
/// # Errors
/// Database failures.
pub async fn bids_joined_by_each(
    db: &impl ConnectionTrait,
    organisation_ids: &[i32],
) -> Result<HashMap<i32, Vec<i32>>, DbErr> {
    let mut out: HashMap<i32, Vec<i32>> = HashMap::new();
    if organisation_ids.is_empty() {
        return Ok(out);
    }
    for m in bid_member::Entity::find()
        .filter(bid_member::Column::OrganisationId.is_in(organisation_ids.iter().copied()))
        .order_by_asc(bid_member::Column::BidId)
        .all(db)
        .await?
    {
        out.entry(m.organisation_id).or_default().push(m.bid_id);
    }
    Ok(out)
}

/// The opened bids an organisation is a joint builder of.
///
/// # Errors
/// Database failures.
pub async fn bids_joined_by(
    db: &impl ConnectionTrait,
    organisation_id: i32,
) -> Result<Vec<i32>, DbErr> {
    Ok(bid_member::Entity::find()
        .filter(bid_member::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(bid_member::Column::BidId)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.bid_id)
        .collect())
}
