//! Calls, bids and their receipts, panels, conflicts, scores, objections, history.

use chrono::{DateTime, Utc};
use entity::{
    bid, bid_receipt, call, conflict, expert_profile, expert_score, objection, panel_member,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use super::proposals::Actor;
use crate::domain::event::{AggregateRef, AggregateType, Event, NewEvent, Visibility};
use crate::domain::json_patch::PatchOp;

/// # Errors
/// Database failures.
pub async fn call(db: &impl ConnectionTrait, id: i32) -> Result<Option<call::Model>, DbErr> {
    call::Entity::find_by_id(id).one(db).await
}

/// # Errors
/// Database failures.
pub async fn calls(db: &impl ConnectionTrait) -> Result<Vec<call::Model>, DbErr> {
    call::Entity::find()
        .order_by_asc(call::Column::Id)
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn calls_of_round(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<call::Model>, DbErr> {
    call::Entity::find()
        .filter(call::Column::RoundId.eq(round_id))
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn insert_call(
    db: &impl ConnectionTrait,
    model: call::ActiveModel,
) -> Result<call::Model, DbErr> {
    model.insert(db).await
}

/// Writes `changes` if the call is still at `expected_version` (bumping it); `None` if someone
/// else changed it first.
///
/// # Errors
/// Database failures.
pub async fn update_call(
    db: &impl ConnectionTrait,
    current: &call::Model,
    mut changes: call::ActiveModel,
    now: DateTime<Utc>,
) -> Result<Option<call::Model>, DbErr> {
    changes.version = Set(current.version + 1);
    changes.updated_at = Set(now);
    let result = call::Entity::update_many()
        .set(changes)
        .filter(call::Column::Id.eq(current.id))
        .filter(call::Column::Version.eq(current.version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    call(db, current.id).await
}

/// Records a step of a call's (or one of its bids') history in the event log.
///
/// # Errors
/// Database failures.
#[expect(
    clippy::too_many_arguments,
    reason = "transitional: the call use cases move to app::calls"
)]
pub async fn event(
    db: &impl ConnectionTrait,
    call_id: i32,
    bid_id: Option<i32>,
    actor: &Actor,
    action: &str,
    from: Option<&str>,
    to: Option<&str>,
    note: Option<String>,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut ops: Vec<PatchOp> = match (from, to) {
        (f, Some(t)) => PatchOp::change("/status", f, t).into_iter().collect(),
        _ => Vec::new(),
    };
    if let Some(m) = details.as_object() {
        ops.extend(
            m.iter()
                .map(|(k, v)| PatchOp::add(format!("/{k}"), v.clone())),
        );
    }
    let (kind, id, visibility) = match action {
        "bid_received" | "bid_replaced" => (
            AggregateType::Bid,
            bid_id.unwrap_or(call_id).to_string(),
            Visibility::Sealed,
        ),
        "scored" => (
            AggregateType::ScoreSheet,
            format!("{}:{}", bid_id.unwrap_or(0), actor.id),
            Visibility::Commission,
        ),
        "panel" => (
            AggregateType::Panel,
            call_id.to_string(),
            Visibility::Commission,
        ),
        "conflict_declared" => (
            AggregateType::Conflict,
            format!("{call_id}:{}", actor.id),
            Visibility::Commission,
        ),
        "objection" | "objection_answered" => (
            AggregateType::Objection,
            details
                .get("objection_id")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0)
                .to_string(),
            Visibility::Party,
        ),
        _ => (AggregateType::Call, call_id.to_string(), Visibility::Public),
    };
    let mut e = NewEvent::new(kind, id, action, visibility)
        .reason(note)
        .payload(ops);
    if kind != AggregateType::Call {
        e = e.parent(AggregateType::Call, call_id);
    }
    super::events::append(db, actor.to_domain()?, now, vec![e]).await?;
    Ok(())
}

/// A call's history with its bids', panel's, conflicts', scores' and objections'.
///
/// # Errors
/// Database failures.
pub async fn history(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<Event>, DbErr> {
    super::events::of_tree(db, &AggregateRef::new(AggregateType::Call, call_id)).await
}

/// # Errors
/// Database failures.
pub async fn bid(db: &impl ConnectionTrait, id: i32) -> Result<Option<bid::Model>, DbErr> {
    bid::Entity::find_by_id(id).one(db).await
}

/// # Errors
/// Database failures.
pub async fn bids(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<bid::Model>, DbErr> {
    bid::Entity::find()
        .filter(bid::Column::CallId.eq(call_id))
        .order_by_asc(bid::Column::Id)
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn bid_count(db: &impl ConnectionTrait, call_id: i32) -> Result<u64, DbErr> {
    bid::Entity::find()
        .filter(bid::Column::CallId.eq(call_id))
        .count(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn bid_of(
    db: &impl ConnectionTrait,
    call_id: i32,
    organisation_id: i32,
) -> Result<Option<bid::Model>, DbErr> {
    bid::Entity::find()
        .filter(bid::Column::CallId.eq(call_id))
        .filter(bid::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn receipt(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<bid_receipt::Model>, DbErr> {
    bid_receipt::Entity::find_by_id(id).one(db).await
}

/// Every receipt of a bid, oldest first.
///
/// # Errors
/// Database failures.
pub async fn receipts(
    db: &impl ConnectionTrait,
    bid_id: i32,
) -> Result<Vec<bid_receipt::Model>, DbErr> {
    bid_receipt::Entity::find()
        .filter(bid_receipt::Column::BidId.eq(bid_id))
        .order_by_asc(bid_receipt::Column::Id)
        .all(db)
        .await
}

pub struct NewReceipt {
    pub call_id: i32,
    pub organisation_id: i32,
    pub submitted_by: i32,
    pub sha256: String,
    pub sealed: Vec<u8>,
}

/// Stores a submission: creates the organisation's bid on first submission, else replaces its
/// current receipt (the old receipt stays). Returns the bid, the new receipt and the replaced one.
///
/// # Errors
/// Database failures (a concurrent first submission by the same organisation fails on the
/// unique index; the caller retries).
pub async fn submit(
    db: &impl ConnectionTrait,
    r: NewReceipt,
    now: DateTime<Utc>,
) -> Result<(bid::Model, bid_receipt::Model, Option<i32>), DbErr> {
    let existing = bid_of(db, r.call_id, r.organisation_id).await?;
    let b = match existing.clone() {
        Some(b) => b,
        None => {
            bid::ActiveModel {
                call_id: Set(r.call_id),
                organisation_id: Set(r.organisation_id),
                current_receipt_id: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
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
        ..Default::default()
    }
    .insert(db)
    .await?;
    bid::Entity::update_many()
        .col_expr(bid::Column::CurrentReceiptId, Expr::value(receipt.id))
        .col_expr(bid::Column::UpdatedAt, Expr::value(now))
        .filter(bid::Column::Id.eq(b.id))
        .exec(db)
        .await?;
    let replaced = existing.map(|e| e.current_receipt_id);
    let b = bid(db, b.id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("bid {}", b.id)))?;
    Ok((b, receipt, replaced))
}

/// # Errors
/// Database failures.
pub async fn panel(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<Vec<panel_member::Model>, DbErr> {
    panel_member::Entity::find()
        .filter(panel_member::Column::CallId.eq(call_id))
        .order_by_asc(panel_member::Column::Id)
        .all(db)
        .await
}

/// # Errors
/// Database failures, including an expert already on the panel.
pub async fn add_member(
    db: &impl ConnectionTrait,
    call_id: i32,
    expert_id: i32,
    how: &str,
    seed: Option<i64>,
    added_by: i32,
    now: DateTime<Utc>,
) -> Result<panel_member::Model, DbErr> {
    panel_member::ActiveModel {
        call_id: Set(call_id),
        expert_id: Set(expert_id),
        how: Set(how.to_owned()),
        seed: Set(seed),
        added_by: Set(added_by),
        added_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// # Errors
/// Database failures.
pub async fn conflicts(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<Vec<conflict::Model>, DbErr> {
    conflict::Entity::find()
        .filter(conflict::Column::CallId.eq(call_id))
        .order_by_asc(conflict::Column::Id)
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn declare(
    db: &impl ConnectionTrait,
    model: conflict::ActiveModel,
) -> Result<conflict::Model, DbErr> {
    model.insert(db).await
}

/// # Errors
/// Database failures.
pub async fn scores(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<Vec<expert_score::Model>, DbErr> {
    expert_score::Entity::find()
        .filter(expert_score::Column::CallId.eq(call_id))
        .order_by_asc(expert_score::Column::Id)
        .all(db)
        .await
}

/// Stores an expert's scores for a bid, replacing earlier ones.
///
/// # Errors
/// Database failures.
pub async fn put_scores(
    db: &impl ConnectionTrait,
    call_id: i32,
    bid_id: i32,
    expert_id: i32,
    scores: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<expert_score::Model, DbErr> {
    let existing = expert_score::Entity::find()
        .filter(expert_score::Column::BidId.eq(bid_id))
        .filter(expert_score::Column::ExpertId.eq(expert_id))
        .one(db)
        .await?;
    match existing {
        Some(e) => {
            let mut a: expert_score::ActiveModel = e.into();
            a.scores = Set(scores);
            a.submitted_at = Set(now);
            a.update(db).await
        }
        None => {
            expert_score::ActiveModel {
                call_id: Set(call_id),
                bid_id: Set(bid_id),
                expert_id: Set(expert_id),
                scores: Set(scores),
                submitted_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
        }
    }
}

/// # Errors
/// Database failures.
pub async fn objections(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<Vec<objection::Model>, DbErr> {
    objection::Entity::find()
        .filter(objection::Column::CallId.eq(call_id))
        .order_by_asc(objection::Column::Id)
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn objection(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<objection::Model>, DbErr> {
    objection::Entity::find_by_id(id).one(db).await
}

/// # Errors
/// Database failures.
pub async fn add_objection(
    db: &impl ConnectionTrait,
    model: objection::ActiveModel,
) -> Result<objection::Model, DbErr> {
    model.insert(db).await
}

/// Records the answer if the objection is still unanswered; `None` if it was answered already.
///
/// # Errors
/// Database failures.
pub async fn answer_objection(
    db: &impl ConnectionTrait,
    id: i32,
    upheld: bool,
    answer: String,
    by: i32,
    now: DateTime<Utc>,
) -> Result<Option<objection::Model>, DbErr> {
    let r = objection::Entity::update_many()
        .col_expr(objection::Column::Upheld, Expr::value(upheld))
        .col_expr(objection::Column::Answer, Expr::value(answer))
        .col_expr(objection::Column::AnsweredBy, Expr::value(by))
        .col_expr(objection::Column::AnsweredAt, Expr::value(now))
        .filter(objection::Column::Id.eq(id))
        .filter(objection::Column::Upheld.is_null())
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    objection(db, id).await
}

/// # Errors
/// Database failures.
pub async fn profile(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<expert_profile::Model>, DbErr> {
    expert_profile::Entity::find_by_id(user_id).one(db).await
}

/// # Errors
/// Database failures.
pub async fn put_profile(
    db: &impl ConnectionTrait,
    user_id: i32,
    organisation_id: Option<i32>,
    past_employers: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<expert_profile::Model, DbErr> {
    let model = expert_profile::ActiveModel {
        user_id: Set(user_id),
        organisation_id: Set(organisation_id),
        past_employers: Set(past_employers),
        updated_at: Set(now),
    };
    match profile(db, user_id).await? {
        Some(_) => model.update(db).await,
        None => model.insert(db).await,
    }
}

/// Takes the call's row lock as the transaction's first statement (a write), so that on SQLite the
/// transaction holds the write lock before it reads anything — concurrent bidders then wait their
/// turn (busy timeout) instead of failing on a stale read snapshot — and on PostgreSQL bids into
/// one call are serialised.
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
