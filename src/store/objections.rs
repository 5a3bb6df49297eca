//! Objections to awards under notice, and their answers.

use chrono::{DateTime, Utc};
use entity::objection;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::award::Objection;

fn decode(o: objection::Model) -> Objection {
    Objection {
        id: o.id,
        call_id: o.call_id,
        submitted_by: o.submitted_by,
        grounds: o.grounds,
        contact: o.contact,
        submitted_at: o.submitted_at,
        upheld: o.upheld,
        answer: o.answer,
        answered_by: o.answered_by,
        answered_at: o.answered_at,
    }
}

/// A call's objections, oldest first.
///
/// # Errors
/// Database failures.
pub async fn of_call(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<Objection>, DbErr> {
    Ok(objection::Entity::find()
        .filter(objection::Column::CallId.eq(call_id))
        .order_by_asc(objection::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect())
}

/// The objections of each of the calls, oldest first (one query).
///
/// # Errors
/// Database failures.
pub async fn of_calls(
    db: &impl ConnectionTrait,
    call_ids: &[i32],
) -> Result<std::collections::HashMap<i32, Vec<Objection>>, DbErr> {
    let mut out: std::collections::HashMap<i32, Vec<Objection>> = std::collections::HashMap::new();
    if call_ids.is_empty() {
        return Ok(out);
    }
    for o in objection::Entity::find()
        .filter(objection::Column::CallId.is_in(call_ids.iter().copied()))
        .order_by_asc(objection::Column::Id)
        .all(db)
        .await?
    {
        out.entry(o.call_id).or_default().push(decode(o));
    }
    Ok(out)
}

/// # Errors
/// Database failures.
pub async fn objection(db: &impl ConnectionTrait, id: i32) -> Result<Option<Objection>, DbErr> {
    Ok(objection::Entity::find_by_id(id).one(db).await?.map(decode))
}

/// # Errors
/// Database failures.
pub async fn add(
    db: &impl ConnectionTrait,
    call_id: i32,
    submitted_by: i32,
    grounds: String,
    contact: String,
    now: DateTime<Utc>,
) -> Result<Objection, DbErr> {
    let m = objection::ActiveModel {
        call_id: Set(call_id),
        submitted_by: Set(submitted_by),
        grounds: Set(grounds),
        contact: Set(contact),
        submitted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(decode(m))
}

/// Records the answer if the objection is still unanswered; `None` if it was answered already.
///
/// # Errors
/// Database failures.
pub async fn answer(
    db: &impl ConnectionTrait,
    id: i32,
    upheld: bool,
    answer: String,
    by: i32,
    now: DateTime<Utc>,
) -> Result<Option<Objection>, DbErr> {
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
