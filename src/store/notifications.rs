//! Notifications and the email outbox.

use chrono::{DateTime, Utc};
use entity::{email_attempt, email_outbox, notification, user};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::event::AggregateType;
use crate::domain::notification::{EmailStatus, Reason};
use crate::domain::role::Role;

/// A notification as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: i64,
    pub user_id: i32,
    pub reason: Reason,
    pub object_type: AggregateType,
    pub object_id: String,
    pub occasion: String,
    /// The texts' arguments (a JSON object).
    pub args: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

fn decode(m: notification::Model) -> Result<Notice, DbErr> {
    let bad = |what: &str| DbErr::Custom(format!("notification {}: stored {what}", m.id));
    Ok(Notice {
        id: m.id,
        user_id: m.user_id,
        reason: m.reason.parse().map_err(|_| bad("reason"))?,
        object_type: m.object_type.parse().map_err(|_| bad("object type"))?,
        object_id: m.object_id.clone(),
        occasion: m.occasion.clone(),
        args: serde_json::from_str(&m.args).map_err(|_| bad("args"))?,
        created_at: m.created_at,
        read_at: m.read_at,
    })
}

/// A notification to write.
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub user_id: i32,
    pub reason: Reason,
    pub object_type: AggregateType,
    pub object_id: String,
    pub occasion: String,
    pub args: serde_json::Value,
}

/// Writes a notification unless one with the same (user, reason, object, occasion) exists:
/// `None` then. `ON CONFLICT DO NOTHING`, so two writers at once (two instances) write one and
/// neither fails.
///
/// # Errors
/// Database failures.
pub async fn insert_once(
    db: &impl ConnectionTrait,
    n: NewNotice,
    now: DateTime<Utc>,
) -> Result<Option<Notice>, DbErr> {
    let am = notification::ActiveModel {
        user_id: Set(n.user_id),
        reason: Set(n.reason.as_str().to_owned()),
        object_type: Set(n.object_type.as_str().to_owned()),
        object_id: Set(n.object_id.clone()),
        occasion: Set(n.occasion.clone()),
        args: Set(n.args.to_string()),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    };
    let written = notification::Entity::insert(am)
        .on_conflict(
            OnConflict::columns([
                notification::Column::UserId,
                notification::Column::Reason,
                notification::Column::ObjectType,
                notification::Column::ObjectId,
                notification::Column::Occasion,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec(db)
        .await;
    let id = match written {
        Ok(r) => r.last_insert_id,
        Err(DbErr::RecordNotInserted) => return Ok(None),
        Err(e) => return Err(e),
    };
    notification::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// One notification.
///
/// # Errors
/// Database failures.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Option<Notice>, DbErr> {
    notification::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// A user's notifications, newest first, those older than the cursor `after` (an id) when
/// given, only unread ones when asked.
///
/// # Errors
/// Database failures.
pub async fn page(
    db: &impl ConnectionTrait,
    user_id: i32,
    after: Option<i64>,
    unread: bool,
    limit: u64,
) -> Result<Vec<Notice>, DbErr> {
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if let Some(a) = after {
        q = q.filter(notification::Column::Id.lt(a));
    }
    if unread {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    q.order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// Marks a notification read (once: a second call keeps the first time).
///
/// # Errors
/// Database failures.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Who is told: an account and its address, if it gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub id: i32,
    pub email: Option<String>,
}

/// Accounts of a role, optionally only those bound to an organisation or a district, by id.
///
/// # Errors
/// Database failures.
pub async fn recipients(
    db: &impl ConnectionTrait,
    role: Role,
    organisation_id: Option<i32>,
    district_code: Option<&str>,
) -> Result<Vec<Recipient>, DbErr> {
    let mut q = user::Entity::find().filter(user::Column::Role.eq(role.as_str()));
    if let Some(o) = organisation_id {
        q = q.filter(user::Column::OrganisationId.eq(o));
    } else if role == Role::Applicant {
        q = q.filter(user::Column::OrganisationId.is_not_null());
    }
    if let Some(d) = district_code {
        q = q.filter(user::Column::DistrictCode.eq(d));
    }
    Ok(q.order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Recipient {
            id: u.id,
            email: u.email,
        })
        .collect())
}

/// Sets (or clears) an account's email address.
///
/// # Errors
/// Database failures.
pub async fn set_email(
    db: &impl ConnectionTrait,
    user_id: i32,
    email: Option<String>,
) -> Result<bool, DbErr> {
    let r = user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(email))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// An account's email address.
///
/// # Errors
/// Database failures.
pub async fn email_of(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<String>, DbErr> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|u| u.email))
}

/// Puts an email in the outbox, due at once.
///
/// # Errors
/// Database failures.
pub async fn enqueue_email(
    db: &impl ConnectionTrait,
    notification_id: i64,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    email_outbox::ActiveModel {
        notification_id: Set(notification_id),
        to_address: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body: Set(body.to_owned()),
        status: Set(EmailStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// An email as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub id: i64,
    pub notification_id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: EmailStatus,
    pub attempts: i32,
    pub next_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn decode_email(m: email_outbox::Model) -> Result<Email, DbErr> {
    Ok(Email {
        id: m.id,
        notification_id: m.notification_id,
        status: m
            .status
            .parse()
            .map_err(|_| DbErr::Custom(format!("email {}: stored status", m.id)))?,
        to: m.to_address,
        subject: m.subject,
        body: m.body,
        attempts: m.attempts,
        next_at: m.next_at,
        sent_at: m.sent_at,
    })
}

/// Claims up to `limit` due emails for `owner` until `until`: one statement (`UPDATE … WHERE
/// id IN (SELECT … LIMIT n [FOR UPDATE SKIP LOCKED])`), so two instances never hold the same
/// email; then reads what `owner` holds.
///
/// # Errors
/// Database failures.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    owner: &str,
    limit: u64,
) -> Result<Vec<Email>, DbErr> {
    let mut due = Query::select();
    due.column(email_outbox::Column::Id)
        .from(email_outbox::Entity)
        .and_where(email_outbox::Column::Status.eq(EmailStatus::Pending.as_str()))
        .and_where(email_outbox::Column::NextAt.lte(now))
        .cond_where(
            Condition::any()
                .add(email_outbox::Column::LeaseUntil.is_null())
                .add(email_outbox::Column::LeaseUntil.lt(now)),
        )
        .order_by(email_outbox::Column::NextAt, Order::Asc)
        .order_by(email_outbox::Column::Id, Order::Asc)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::LeaseUntil, Expr::value(until))
        .col_expr(email_outbox::Column::LeaseOwner, Expr::value(owner))
        .filter(email_outbox::Column::Id.in_subquery(due))
        .exec(db)
        .await?;
    email_outbox::Entity::find()
        .filter(email_outbox::Column::LeaseOwner.eq(owner))
        .filter(email_outbox::Column::LeaseUntil.eq(until))
        .filter(email_outbox::Column::Status.eq(EmailStatus::Pending.as_str()))
        .order_by_asc(email_outbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode_email)
        .collect()
}

/// Records an attempt's effect on its email if `owner` still holds the claim, and releases it.
/// `false` when the claim was lost (nothing written).
///
/// # Errors
/// Database failures.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    owner: &str,
    status: EmailStatus,
    attempts: i32,
    next_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let sent = (status == EmailStatus::Sent).then_some(now);
    let r = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::Status, Expr::value(status.as_str()))
        .col_expr(email_outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(email_outbox::Column::NextAt, Expr::value(next_at))
        .col_expr(email_outbox::Column::SentAt, Expr::value(sent))
        .col_expr(
            email_outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            email_outbox::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .filter(email_outbox::Column::Id.eq(id))
        .filter(email_outbox::Column::LeaseOwner.eq(owner))
        .filter(email_outbox::Column::Status.eq(EmailStatus::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// One attempt to send an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAttempt {
    pub number: i32,
    pub at: DateTime<Utc>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub next_at: Option<DateTime<Utc>>,
}

/// # Errors
/// Database failures.
pub async fn insert_attempt(
    db: &impl ConnectionTrait,
    email_id: i64,
    a: EmailAttempt,
) -> Result<(), DbErr> {
    email_attempt::ActiveModel {
        email_id: Set(email_id),
        number: Set(a.number),
        at: Set(a.at),
        error: Set(a.error),
        duration_ms: Set(a.duration_ms),
        next_at: Set(a.next_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The emails of a user's notifications, with their attempts, oldest first.
///
/// # Errors
/// Database failures.
pub async fn emails_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<(Email, Vec<EmailAttempt>)>, DbErr> {
    let ids: Vec<i64> = notification::Entity::find()
        .select_only()
        .column(notification::Column::Id)
        .filter(notification::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    let emails = email_outbox::Entity::find()
        .filter(email_outbox::Column::NotificationId.is_in(ids))
        .order_by_asc(email_outbox::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for e in emails {
        let attempts = email_attempt::Entity::find()
            .filter(email_attempt::Column::EmailId.eq(e.id))
            .order_by_asc(email_attempt::Column::Number)
            .all(db)
            .await?
            .into_iter()
            .map(|a| EmailAttempt {
                number: a.number,
                at: a.at,
                error: a.error,
                duration_ms: a.duration_ms,
                next_at: a.next_at,
            })
            .collect();
        out.push((decode_email(e)?, attempts));
    }
    Ok(out)
}
