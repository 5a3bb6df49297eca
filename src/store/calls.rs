//! Calls: reading them decoded, announcing one, moving one conditionally on its version, and the
//! row lock a bid takes.

use chrono::{DateTime, Utc};
use entity::call;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::call::{Call, CallChange, CallStatus, Criterion, Eligibility};

fn json<T: serde::Serialize>(what: &str, v: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(v).map_err(|e| DbErr::Custom(format!("encoding {what}: {e}")))
}

/// Reads a stored call, failing loudly on a status, rubric, eligibility or award it cannot read.
///
/// # Errors
/// The first column that does not decode, named with the call.
pub fn decode(m: call::Model) -> Result<Call, DbErr> {
    let id = m.id;
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        DbErr::Custom(format!("stored {what} of call {id}: {e}"))
    };
    Ok(Call {
        id,
        round_id: m.round_id,
        list_item_id: m.list_item_id,
        status: m
            .status
            .parse::<CallStatus>()
            .map_err(|e| bad("status", &format!("{:?}: {e}", m.status)))?,
        requirements: m.requirements,
        eligibility: serde_json::from_value::<Eligibility>(m.eligibility)
            .map_err(|e| bad("eligibility", &e))?,
        opens_at: m.opens_at,
        closes_at: m.closes_at,
        winners: m.winners,
        notice_days: m.notice_days,
        rubric: serde_json::from_value::<Vec<Criterion>>(m.rubric)
            .map_err(|e| bad("rubric", &e))?,
        version: m.version,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        opened_by: m.opened_by,
        opened_at: m.opened_at,
        notice_started_at: m.notice_started_at,
        notice_ends_at: m.notice_ends_at,
        award: m
            .award
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| bad("award", &e))?,
        finalized_at: m.finalized_at,
        reasons: m.reasons,
    })
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn call(db: &impl ConnectionTrait, id: i32) -> Result<Option<Call>, DbErr> {
    call::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// Every call, oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn calls(db: &impl ConnectionTrait) -> Result<Vec<Call>, DbErr> {
    call::Entity::find()
        .order_by_asc(call::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// Calls after the id `after`, in id order, at most `fetch`; only those in `statuses` when given.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn page(
    db: &impl ConnectionTrait,
    statuses: Option<&[CallStatus]>,
    after: Option<i32>,
    fetch: u64,
) -> Result<Vec<Call>, DbErr> {
    let mut q = call::Entity::find();
    if let Some(s) = statuses {
        q = q.filter(call::Column::Status.is_in(s.iter().map(|s| s.as_str())));
    }
    if let Some(a) = after {
        q = q.filter(call::Column::Id.gt(a));
    }
    q.order_by_asc(call::Column::Id)
        .limit(fetch)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn calls_of_round(db: &impl ConnectionTrait, round_id: i32) -> Result<Vec<Call>, DbErr> {
    call::Entity::find()
        .filter(call::Column::RoundId.eq(round_id))
        .order_by_asc(call::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// A call to announce.
#[derive(Debug, Clone)]
pub struct NewCall {
    pub round_id: i32,
    pub list_item_id: i32,
    pub requirements: String,
    pub eligibility: Eligibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub winners: i32,
    pub notice_days: i32,
    pub rubric: Vec<Criterion>,
    pub created_by: i32,
}

/// Inserts an announced call at version 1.
///
/// # Errors
/// Database failures.
pub async fn insert(
    db: &impl ConnectionTrait,
    c: NewCall,
    now: DateTime<Utc>,
) -> Result<Call, DbErr> {
    let m = call::ActiveModel {
        round_id: Set(c.round_id),
        list_item_id: Set(c.list_item_id),
        status: Set(CallStatus::Announced.as_str().to_owned()),
        requirements: Set(c.requirements),
        eligibility: Set(json("eligibility", &c.eligibility)?),
        opens_at: Set(c.opens_at),
        closes_at: Set(c.closes_at),
        winners: Set(c.winners),
        notice_days: Set(c.notice_days),
        rubric: Set(json("rubric", &c.rubric)?),
        version: Set(1),
        created_by: Set(c.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode(m)
}

/// Moves the call to `to` with `change`, if it is still at `version` (bumping it). `false` if
/// someone else changed it first (nothing is written then).
///
/// # Errors
/// Database failures.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    to: CallStatus,
    change: &CallChange,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut a = call::ActiveModel {
        status: Set(to.as_str().to_owned()),
        version: Set(version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(v) = change.opened_by {
        a.opened_by = Set(v);
    }
    if let Some(v) = change.opened_at {
        a.opened_at = Set(v);
    }
    if let Some(r) = &change.opening_report {
        a.opening_report = Set(Some(json("opening report", r)?));
    }
    if let Some(v) = change.notice_started_at {
        a.notice_started_at = Set(v);
    }
    if let Some(v) = change.notice_ends_at {
        a.notice_ends_at = Set(v);
    }
    if let Some(v) = &change.award {
        a.award = Set(v.as_ref().map(|w| json("award", w)).transpose()?);
    }
    if let Some(v) = change.finalized_at {
        a.finalized_at = Set(v);
    }
    if let Some(v) = &change.reasons {
        a.reasons = Set(v.clone());
    }
    let result = call::Entity::update_many()
        .set(a)
        .filter(call::Column::Id.eq(id))
        .filter(call::Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Takes the call's row lock as the transaction's first statement (a write that changes nothing,
/// the version included), so that on SQLite the transaction holds the write lock before it reads
/// anything — concurrent bidders then wait their turn (busy timeout) instead of failing on a stale
/// read snapshot — and on PostgreSQL everything that takes it on one call (bids, the opening,
/// conflicts, scores, panel changes, objections) is serialised.
///
/// # Errors
/// Database failures.
pub async fn lock_call(db: &impl ConnectionTrait, call_id: i32) -> Result<(), DbErr> {
    call::Entity::update_many()
        .col_expr(call::Column::Id, Expr::col(call::Column::Id).into())
        .filter(call::Column::Id.eq(call_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a move time made (`from` → `to`, dated `at`) if the call is still at `version` and
/// `from`, bumping the version. `false` if another observer wrote it first or the call moved
/// otherwise (nothing is written then).
///
/// # Errors
/// Database failures.
pub async fn clock_move(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    from: CallStatus,
    to: CallStatus,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = call::Entity::update_many()
        .col_expr(call::Column::Status, Expr::value(to.as_str()))
        .col_expr(call::Column::Version, Expr::value(version + 1))
        .col_expr(call::Column::UpdatedAt, Expr::value(at))
        .filter(call::Column::Id.eq(id))
        .filter(call::Column::Version.eq(version))
        .filter(call::Column::Status.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Amends an open call's requirements and close, if it is still at `version` (bumping it).
/// `false` if someone else changed it first.
///
/// # Errors
/// Database failures.
pub async fn amend(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    requirements: &str,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = call::Entity::update_many()
        .col_expr(call::Column::Requirements, Expr::value(requirements))
        .col_expr(call::Column::ClosesAt, Expr::value(closes_at))
        .col_expr(call::Column::Version, Expr::value(version + 1))
        .col_expr(call::Column::UpdatedAt, Expr::value(now))
        .filter(call::Column::Id.eq(id))
        .filter(call::Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
