//! Enquiries on calls.

use chrono::{DateTime, Utc};
use entity::enquiry;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::enquiry::Enquiry;

fn decode(m: enquiry::Model) -> Enquiry {
    Enquiry {
        id: m.id,
        call_id: m.call_id,
        asked_by: m.asked_by,
        organisation_id: m.organisation_id,
        question: m.question,
        asked_at: m.asked_at,
        answer: m.answer,
        answered_by: m.answered_by,
        answered_at: m.answered_at,
        closes_at_before: m.closes_at_before,
        closes_at_after: m.closes_at_after,
        version: m.version,
    }
}

/// # Errors
/// Database failures.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Enquiry>, DbErr> {
    Ok(enquiry::Entity::find_by_id(id).one(db).await?.map(decode))
}

/// A call's enquiries, oldest first.
///
/// # Errors
/// Database failures.
pub async fn of_call(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<Enquiry>, DbErr> {
    Ok(enquiry::Entity::find()
        .filter(enquiry::Column::CallId.eq(call_id))
        .order_by_asc(enquiry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect())
}

/// # Errors
/// Database failures.
pub async fn insert(
    db: &impl ConnectionTrait,
    call_id: i32,
    asked_by: i32,
    organisation_id: Option<i32>,
    question: String,
    now: DateTime<Utc>,
) -> Result<Enquiry, DbErr> {
    let m = enquiry::ActiveModel {
        call_id: Set(call_id),
        asked_by: Set(asked_by),
        organisation_id: Set(organisation_id),
        question: Set(question),
        asked_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(decode(m))
}

/// Answers an enquiry still unanswered at `version`; `closes` is the call's close before and
/// after when the answer amends the call. False when someone answered first.
///
/// # Errors
/// Database failures.
pub async fn answer(
    db: &impl ConnectionTrait,
    e: &Enquiry,
    answer: String,
    by: i32,
    now: DateTime<Utc>,
    closes: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<bool, DbErr> {
    let r = enquiry::Entity::update_many()
        .col_expr(enquiry::Column::Answer, Expr::value(answer))
        .col_expr(enquiry::Column::AnsweredBy, Expr::value(by))
        .col_expr(enquiry::Column::AnsweredAt, Expr::value(now))
        .col_expr(
            enquiry::Column::ClosesAtBefore,
            Expr::value(closes.map(|c| c.0)),
        )
        .col_expr(
            enquiry::Column::ClosesAtAfter,
            Expr::value(closes.map(|c| c.1)),
        )
        .col_expr(enquiry::Column::Version, Expr::value(e.version + 1))
        .filter(enquiry::Column::Id.eq(e.id))
        .filter(enquiry::Column::Version.eq(e.version))
        .filter(enquiry::Column::Answer.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
