//! Rounds.

use chrono::{DateTime, Utc};
use entity::round;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

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
