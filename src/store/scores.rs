//! Experts' score sheets, decoded.

use chrono::{DateTime, Utc};
use entity::expert_score;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::ranking::{ScoreSheet, SheetLine};

fn sheet(m: expert_score::Model) -> Result<ScoreSheet, DbErr> {
    Ok(ScoreSheet {
        id: m.id,
        call_id: m.call_id,
        bid_id: m.bid_id,
        expert_id: m.expert_id,
        lines: serde_json::from_value::<Vec<SheetLine>>(m.scores)
            .map_err(|e| DbErr::Custom(format!("stored scores of score sheet {}: {e}", m.id)))?,
        submitted_at: m.submitted_at,
    })
}

fn encode(lines: &[SheetLine]) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(lines).map_err(|e| DbErr::Custom(format!("encoding scores: {e}")))
}

/// Every sheet of a call, oldest first.
///
/// # Errors
/// Database failures, and a sheet that does not read back (corruption: ranking without it would
/// be wrong).
pub async fn sheets(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<ScoreSheet>, DbErr> {
    expert_score::Entity::find()
        .filter(expert_score::Column::CallId.eq(call_id))
        .order_by_asc(expert_score::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(sheet)
        .collect()
}

/// One expert's sheet for one bid, if any.
///
/// # Errors
/// Database failures and an undecodable sheet.
pub async fn sheet_of(
    db: &impl ConnectionTrait,
    bid_id: i32,
    expert_id: i32,
) -> Result<Option<ScoreSheet>, DbErr> {
    expert_score::Entity::find()
        .filter(expert_score::Column::BidId.eq(bid_id))
        .filter(expert_score::Column::ExpertId.eq(expert_id))
        .one(db)
        .await?
        .map(sheet)
        .transpose()
}

/// Stores a first sheet.
///
/// # Errors
/// Database failures, including a sheet of the same expert for the same bid (unique index).
pub async fn insert(
    db: &impl ConnectionTrait,
    call_id: i32,
    bid_id: i32,
    expert_id: i32,
    lines: &[SheetLine],
    now: DateTime<Utc>,
) -> Result<ScoreSheet, DbErr> {
    let m = expert_score::ActiveModel {
        call_id: Set(call_id),
        bid_id: Set(bid_id),
        expert_id: Set(expert_id),
        scores: Set(encode(lines)?),
        submitted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    sheet(m)
}

/// Replaces a sheet's lines if it is still as read (submitted at `read_at`); `false` if it changed
/// meanwhile.
///
/// # Errors
/// Database failures.
pub async fn replace(
    db: &impl ConnectionTrait,
    id: i32,
    read_at: DateTime<Utc>,
    lines: &[SheetLine],
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = expert_score::Entity::update_many()
        .set(expert_score::ActiveModel {
            scores: Set(encode(lines)?),
            submitted_at: Set(now),
            ..Default::default()
        })
        .filter(expert_score::Column::Id.eq(id))
        .filter(expert_score::Column::SubmittedAt.eq(read_at))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
