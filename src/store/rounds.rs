//! Rounds.

use chrono::{DateTime, Utc};
use entity::round;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::round::{Round, RoundSettings};

pub struct NewRound {
    pub year: i32,
    pub title: String,
    pub deadline_text: String,
    pub deadline: DateTime<Utc>,
    pub list_size: i32,
    pub settings: serde_json::Value,
}

/// # Errors
/// Database failures, including a second round for the same year.
pub async fn create(
    db: &impl ConnectionTrait,
    r: NewRound,
    now: DateTime<Utc>,
) -> Result<round::Model, DbErr> {
    round::ActiveModel {
        year: Set(r.year),
        title: Set(r.title),
        intake_deadline_text: Set(r.deadline_text),
        intake_deadline: Set(r.deadline),
        list_size: Set(r.list_size),
        settings: Set(r.settings),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// # Errors
/// Database failures.
pub async fn by_year(db: &impl ConnectionTrait, year: i32) -> Result<Option<round::Model>, DbErr> {
    round::Entity::find()
        .filter(round::Column::Year.eq(year))
        .one(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<round::Model>, DbErr> {
    round::Entity::find_by_id(id).one(db).await
}

/// # Errors
/// Database failures.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<round::Model>, DbErr> {
    round::Entity::find()
        .order_by_desc(round::Column::Year)
        .all(db)
        .await
}

/// Writes a changed round, bumping its version.
///
/// # Errors
/// Database failures.
pub async fn update(
    db: &impl ConnectionTrait,
    current: round::Model,
    changed: round::Model,
    now: DateTime<Utc>,
) -> Result<round::Model, DbErr> {
    let mut active: round::ActiveModel = current.clone().into();
    active.title = Set(changed.title);
    active.intake_deadline_text = Set(changed.intake_deadline_text);
    active.intake_deadline = Set(changed.intake_deadline);
    active.list_size = Set(changed.list_size);
    active.settings = Set(changed.settings);
    active.version = Set(current.version + 1);
    active.updated_at = Set(now);
    active.update(db).await
}

/// Reads a stored round, decoding its settings (loudly: a round whose settings do not read back
/// is an error, not defaults).
///
/// # Errors
/// Settings that do not decode.
pub fn decode(m: round::Model) -> Result<Round, DbErr> {
    let settings: RoundSettings = serde_json::from_value(m.settings)
        .map_err(|e| DbErr::Custom(format!("stored settings of round {}: {e}", m.year)))?;
    Ok(Round {
        id: m.id,
        year: m.year,
        title: m.title,
        intake_deadline: m.intake_deadline,
        intake_deadline_text: m.intake_deadline_text,
        list_size: m.list_size,
        settings,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The round of a year, decoded.
///
/// # Errors
/// Database failures and undecodable settings.
pub async fn get(db: &impl ConnectionTrait, year: i32) -> Result<Option<Round>, DbErr> {
    by_year(db, year).await?.map(decode).transpose()
}

/// A round by id, decoded.
///
/// # Errors
/// Database failures and undecodable settings.
pub async fn get_by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<Round>, DbErr> {
    by_id(db, id).await?.map(decode).transpose()
}

/// Every round, newest first, decoded.
///
/// # Errors
/// Database failures and undecodable settings.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Round>, DbErr> {
    list(db).await?.into_iter().map(decode).collect()
}

/// Inserts a round (version 1).
///
/// # Errors
/// Database failures, including a second round for the same year.
pub async fn insert(
    db: &impl ConnectionTrait,
    year: i32,
    title: String,
    deadline: DateTime<chrono::FixedOffset>,
    list_size: i32,
    settings: &RoundSettings,
    now: DateTime<Utc>,
) -> Result<Round, DbErr> {
    let settings = serde_json::to_value(settings).map_err(|e| DbErr::Custom(e.to_string()))?;
    decode(
        create(
            db,
            NewRound {
                year,
                title,
                deadline_text: deadline.to_rfc3339(),
                deadline: deadline.with_timezone(&Utc),
                list_size,
                settings,
            },
            now,
        )
        .await?,
    )
}

/// Writes `changed` over the round if it is still at `expected_version` (the conditional write
/// comes first, so SQLite's write lock is taken before anything is read). `None`: someone else
/// changed it first.
///
/// # Errors
/// Database failures.
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    changed: &Round,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<Option<Round>, DbErr> {
    let settings =
        serde_json::to_value(&changed.settings).map_err(|e| DbErr::Custom(e.to_string()))?;
    let r = round::Entity::update_many()
        .col_expr(round::Column::Title, Expr::value(changed.title.clone()))
        .col_expr(
            round::Column::IntakeDeadline,
            Expr::value(changed.intake_deadline),
        )
        .col_expr(
            round::Column::IntakeDeadlineText,
            Expr::value(changed.intake_deadline_text.clone()),
        )
        .col_expr(round::Column::ListSize, Expr::value(changed.list_size))
        .col_expr(round::Column::Settings, Expr::value(settings))
        .col_expr(round::Column::Version, Expr::value(expected_version + 1))
        .col_expr(round::Column::UpdatedAt, Expr::value(now))
        .filter(round::Column::Id.eq(changed.id))
        .filter(round::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    get_by_id(db, changed.id).await
}

/// Whether anyone has filed a proposal in the round yet (intake has opened).
///
/// # Errors
/// Database failures.
pub async fn has_proposals(db: &impl ConnectionTrait, round_id: i32) -> Result<bool, DbErr> {
    let first: Option<i32> = entity::proposal::Entity::find()
        .select_only()
        .column(entity::proposal::Column::Id)
        .filter(entity::proposal::Column::RoundId.eq(round_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(first.is_some())
}
