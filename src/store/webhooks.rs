//! Webhook subscriptions, the outbox of deliveries and their attempts. Reads decode the status
//! and filter columns into their types and fail loudly on anything they do not know.

use chrono::{DateTime, Utc};
use entity::{webhook, webhook_attempt, webhook_delivery};
use sea_orm::sea_query::{Expr, Func, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::webhook::{DeliveryStatus, EventFilter, Secret, WebhookStatus};

/// A subscription as the service sees it.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: i32,
    pub owner_id: i32,
    pub url: String,
    pub filters: Vec<EventFilter>,
    /// Never shown after creation and never in an event.
    pub secret: Secret,
    pub status: WebhookStatus,
    pub disabled_reason: Option<String>,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// The first of those failed attempts.
    pub failing_since: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn decode(m: webhook::Model) -> Result<Subscription, DbErr> {
    let bad = |what: &str, e: String| DbErr::Custom(format!("webhook {}: {what}: {e}", m.id));
    let texts: Vec<String> = serde_json::from_value(m.event_types.clone())
        .map_err(|e| bad("event_types", e.to_string()))?;
    let filters = texts
        .iter()
        .map(|t| EventFilter::parse(t))
        .collect::<Result<_, _>>()
        .map_err(|e: crate::domain::Msg| bad("event_types", e.debug_line()))?;
    Ok(Subscription {
        id: m.id,
        owner_id: m.owner_id,
        url: m.url.clone(),
        filters,
        secret: Secret::parse(&m.secret).map_err(|e| bad("secret", e.debug_line()))?,
        status: m
            .status
            .parse()
            .map_err(|_| bad("status", m.status.clone()))?,
        disabled_reason: m.disabled_reason,
        consecutive_failures: m.consecutive_failures,
        failing_since: m.failing_since,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Stores a new, active subscription.
///
/// # Errors
/// Database failures.
pub async fn insert(
    db: &impl ConnectionTrait,
    owner_id: i32,
    url: &str,
    filters: &[EventFilter],
    secret: &Secret,
    now: DateTime<Utc>,
) -> Result<Subscription, DbErr> {
    let texts: Vec<String> = filters.iter().map(EventFilter::as_text).collect();
    let m = webhook::ActiveModel {
        owner_id: Set(owner_id),
        url: Set(url.to_owned()),
        event_types: Set(serde_json::json!(texts)),
        secret: Set(secret.expose()),
        status: Set(WebhookStatus::Active.as_str().to_owned()),
        disabled_reason: Set(None),
        consecutive_failures: Set(0),
        failing_since: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode(m)
}

/// One subscription, deleted ones included.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Subscription>, DbErr> {
    webhook::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// The subscriptions not deleted, of one owner or of all, in id order.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn list(
    db: &impl ConnectionTrait,
    owner: Option<i32>,
) -> Result<Vec<Subscription>, DbErr> {
    let mut q =
        webhook::Entity::find().filter(webhook::Column::Status.ne(WebhookStatus::Deleted.as_str()));
    if let Some(o) = owner {
        q = q.filter(webhook::Column::OwnerId.eq(o));
    }
    q.order_by_asc(webhook::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// Moves a subscription from `from` to `to` if it is still in `from` (a conditional write);
/// enabling also clears the run of failures. `None` when it was not in `from`.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: i32,
    from: WebhookStatus,
    to: WebhookStatus,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<Subscription>, DbErr> {
    let mut q = webhook::Entity::update_many()
        .col_expr(webhook::Column::Status, Expr::value(to.as_str()))
        .col_expr(webhook::Column::DisabledReason, Expr::value(reason))
        .col_expr(
            webhook::Column::Version,
            Expr::col(webhook::Column::Version).add(1),
        )
        .col_expr(webhook::Column::UpdatedAt, Expr::value(now));
    if to == WebhookStatus::Active {
        q = q
            .col_expr(webhook::Column::ConsecutiveFailures, Expr::value(0))
            .col_expr(
                webhook::Column::FailingSince,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
    }
    q.filter(webhook::Column::Id.eq(id))
        .filter(webhook::Column::Status.eq(from.as_str()))
        .exec_with_returning(db)
        .await?
        .into_iter()
        .next()
        .map(decode)
        .transpose()
}

/// The subscriptions that take new events (active and disabled: a disabled one keeps its
/// deliveries until it is enabled again).
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn live(db: &impl ConnectionTrait) -> Result<Vec<Subscription>, DbErr> {
    webhook::Entity::find()
        .filter(webhook::Column::Status.ne(WebhookStatus::Deleted.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// A delivery to put in the outbox.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub webhook_id: i32,
    pub event_seq: i64,
    pub message_id: String,
    pub body: String,
}

/// Puts deliveries in the outbox, due at once.
///
/// # Errors
/// Database failures.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    rows: Vec<NewDelivery>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    webhook_delivery::Entity::insert_many(rows.into_iter().map(|d| {
        webhook_delivery::ActiveModel {
            webhook_id: Set(d.webhook_id),
            event_seq: Set(d.event_seq),
            message_id: Set(d.message_id),
            body: Set(d.body),
            status: Set(DeliveryStatus::Pending.as_str().to_owned()),
            attempts: Set(0),
            first_attempt_at: Set(None),
            next_at: Set(now),
            lease_until: Set(None),
            lease_owner: Set(None),
            created_at: Set(now),
            finished_at: Set(None),
            ..Default::default()
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A delivery claimed for sending, with what is needed to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub webhook_id: i32,
    pub event_seq: i64,
    pub message_id: String,
    pub body: String,
    pub attempts: i32,
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub url: String,
    pub secret: Secret,
}

/// Claims up to `limit` due deliveries of active subscriptions for `owner` until `until`: one
/// statement, its own transaction. On PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`,
/// so concurrent claimers take disjoint rows without waiting (a row another claimer has just
/// leased is re-checked against the lease and left out); SQLite runs one writer at a time, so
/// the statement is atomic there by itself. An unexpired lease keeps a row from everyone else;
/// a crashed instance's leases simply expire.
///
/// # Errors
/// Database failures and undecodable subscriptions.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    owner: &str,
    limit: u64,
) -> Result<Vec<Claimed>, DbErr> {
    let mut rows = claim_update(db.get_database_backend(), now, until, owner, limit)
        .exec_with_returning(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    rows.sort_by_key(|r| (r.next_at, r.id));
    let mut ids: Vec<i32> = rows.iter().map(|r| r.webhook_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let subs: Vec<Subscription> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|r| {
            let sub = subs
                .iter()
                .find(|s| s.id == r.webhook_id)
                .ok_or_else(|| DbErr::Custom(format!("delivery {}: no webhook", r.id)))?;
            Ok(Claimed {
                id: r.id,
                webhook_id: r.webhook_id,
                event_seq: r.event_seq,
                message_id: r.message_id,
                body: r.body,
                attempts: r.attempts,
                first_attempt_at: r.first_attempt_at,
                url: sub.url.clone(),
                secret: sub.secret.clone(),
            })
        })
        .collect()
}

/// The claim: `UPDATE … SET lease … WHERE id IN (SELECT id … LIMIT n [FOR UPDATE SKIP LOCKED])`.
fn claim_update(
    backend: DbBackend,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    owner: &str,
    limit: u64,
) -> sea_orm::UpdateMany<webhook_delivery::Entity> {
    let active = Query::select()
        .column(webhook::Column::Id)
        .from(webhook::Entity)
        .and_where(webhook::Column::Status.eq(WebhookStatus::Active.as_str()))
        .to_owned();
    let mut due = Query::select();
    due.column(webhook_delivery::Column::Id)
        .from(webhook_delivery::Entity)
        .and_where(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .and_where(webhook_delivery::Column::NextAt.lte(now))
        .cond_where(
            Condition::any()
                .add(webhook_delivery::Column::LeaseUntil.is_null())
                .add(webhook_delivery::Column::LeaseUntil.lt(now)),
        )
        .and_where(webhook_delivery::Column::WebhookId.in_subquery(active))
        .order_by(webhook_delivery::Column::NextAt, Order::Asc)
        .order_by(webhook_delivery::Column::Id, Order::Asc)
        .limit(limit);
    if backend == DbBackend::Postgres {
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(until))
        .col_expr(webhook_delivery::Column::LeaseOwner, Expr::value(owner))
        .filter(webhook_delivery::Column::Id.in_subquery(due))
}

/// Records an attempt's effect on its delivery, if `owner` still holds the claim (and the
/// delivery is still pending): its new status, the count, the first attempt's time, the next
/// retry. Releases the lease. `false` when the claim was lost (nothing written).
///
/// # Errors
/// Database failures.
#[expect(clippy::too_many_arguments)]
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    owner: &str,
    status: DeliveryStatus,
    attempts: i32,
    first_attempt_at: DateTime<Utc>,
    next_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let finished = (status != DeliveryStatus::Pending).then_some(now);
    let r = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(status.as_str()),
        )
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts))
        .col_expr(
            webhook_delivery::Column::FirstAttemptAt,
            Expr::value(Some(first_attempt_at)),
        )
        .col_expr(webhook_delivery::Column::NextAt, Expr::value(next_at))
        .col_expr(
            webhook_delivery::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_delivery::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(webhook_delivery::Column::FinishedAt, Expr::value(finished))
        .filter(webhook_delivery::Column::Id.eq(id))
        .filter(webhook_delivery::Column::LeaseOwner.eq(owner))
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// One attempt, as recorded.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub number: i32,
    pub at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub next_retry_at: Option<DateTime<Utc>>,
}

/// Records an attempt.
///
/// # Errors
/// Database failures.
pub async fn insert_attempt(
    db: &impl ConnectionTrait,
    delivery_id: i64,
    webhook_id: i32,
    a: Attempt,
) -> Result<(), DbErr> {
    webhook_attempt::ActiveModel {
        delivery_id: Set(delivery_id),
        webhook_id: Set(webhook_id),
        number: Set(a.number),
        at: Set(a.at),
        status_code: Set(a.status_code),
        error: Set(a.error),
        duration_ms: Set(a.duration_ms),
        next_retry_at: Set(a.next_retry_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A success ends a subscription's run of failures (written only when there was one, so a
/// healthy subscription's row is not locked by every delivery).
///
/// # Errors
/// Database failures.
pub async fn note_success(db: &impl ConnectionTrait, id: i32) -> Result<(), DbErr> {
    webhook::Entity::update_many()
        .col_expr(webhook::Column::ConsecutiveFailures, Expr::value(0))
        .col_expr(
            webhook::Column::FailingSince,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook::Column::Id.eq(id))
        .filter(webhook::Column::ConsecutiveFailures.ne(0))
        .exec(db)
        .await?;
    Ok(())
}

/// A failed attempt lengthens the run of failures; returns the subscription as it now is.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn note_failure(
    db: &impl ConnectionTrait,
    id: i32,
    at: DateTime<Utc>,
) -> Result<Option<Subscription>, DbErr> {
    webhook::Entity::update_many()
        .col_expr(
            webhook::Column::ConsecutiveFailures,
            Expr::col(webhook::Column::ConsecutiveFailures).add(1),
        )
        .col_expr(
            webhook::Column::FailingSince,
            Func::coalesce([
                Expr::col(webhook::Column::FailingSince).into(),
                Expr::value(at),
            ])
            .into(),
        )
        .filter(webhook::Column::Id.eq(id))
        .exec_with_returning(db)
        .await?
        .into_iter()
        .next()
        .map(decode)
        .transpose()
}

/// After a subscription is enabled again: every undelivered delivery (pending or failed) is due
/// now with a fresh 24-hour window. Returns how many.
///
/// # Errors
/// Database failures.
pub async fn requeue(
    db: &impl ConnectionTrait,
    webhook_id: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let r = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(DeliveryStatus::Pending.as_str()),
        )
        .col_expr(
            webhook_delivery::Column::FirstAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_delivery::Column::FinishedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(webhook_delivery::Column::NextAt, Expr::value(now))
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .filter(webhook_delivery::Column::Status.is_in([
            DeliveryStatus::Pending.as_str(),
            DeliveryStatus::Failed.as_str(),
        ]))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// A delivery with its attempts, as listed.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub event_seq: i64,
    pub message_id: String,
    pub status: DeliveryStatus,
    pub attempts: Vec<Attempt>,
    /// When it is next tried (pending ones).
    pub next_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A subscription's deliveries after `after` (id order), optionally of one status, each with its
/// attempts.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    webhook_id: i32,
    after: i64,
    status: Option<DeliveryStatus>,
    limit: u64,
) -> Result<Vec<Delivery>, DbErr> {
    let mut q = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .filter(webhook_delivery::Column::Id.gt(after));
    if let Some(s) = status {
        q = q.filter(webhook_delivery::Column::Status.eq(s.as_str()));
    }
    let rows = q
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let attempts = if ids.is_empty() {
        Vec::new()
    } else {
        webhook_attempt::Entity::find()
            .filter(webhook_attempt::Column::DeliveryId.is_in(ids))
            .order_by_asc(webhook_attempt::Column::Id)
            .all(db)
            .await?
    };
    rows.into_iter()
        .map(|r| {
            let status: DeliveryStatus = r.status.parse().map_err(|_| {
                DbErr::Custom(format!("delivery {}: unknown status {:?}", r.id, r.status))
            })?;
            Ok(Delivery {
                id: r.id,
                event_seq: r.event_seq,
                message_id: r.message_id,
                status,
                attempts: attempts
                    .iter()
                    .filter(|a| a.delivery_id == r.id)
                    .map(|a| Attempt {
                        number: a.number,
                        at: a.at,
                        status_code: a.status_code,
                        error: a.error.clone(),
                        duration_ms: a.duration_ms,
                        next_retry_at: a.next_retry_at,
                    })
                    .collect(),
                next_at: (status == DeliveryStatus::Pending).then_some(r.next_at),
                created_at: r.created_at,
                finished_at: r.finished_at,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use sea_orm::QueryTrait;

    use super::*;

    #[test]
    fn the_claim_skips_locked_rows_on_postgresql_only() {
        let now = Utc::now();
        let sql = |b| claim_update(b, now, now, "me", 10).build(b).to_string();
        let pg = sql(DbBackend::Postgres);
        assert!(pg.contains("FOR UPDATE SKIP LOCKED"), "{pg}");
        assert!(pg.contains("LIMIT 10"), "{pg}");
        let lite = sql(DbBackend::Sqlite);
        assert!(!lite.contains("FOR UPDATE"), "{lite}");
    }
}
