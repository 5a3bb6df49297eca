//! Applicant organisations.

use chrono::{DateTime, Utc};
use entity::organisation;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

/// # Errors
/// Database failures, including a duplicate USCC.
pub async fn create(
    db: &impl ConnectionTrait,
    name: String,
    uscc: String,
    district_code: String,
    registered_capital: Option<i64>,
    now: DateTime<Utc>,
) -> Result<organisation::Model, DbErr> {
    organisation::ActiveModel {
        name: Set(name),
        uscc: Set(uscc),
        district_code: Set(district_code),
        registered_capital: Set(registered_capital),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// # Errors
/// Database failures.
pub async fn by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}

/// Organisations, optionally only one district's or only one id.
///
/// # Errors
/// Database failures.
pub async fn list(
    db: &impl ConnectionTrait,
    district: Option<&str>,
    only_id: Option<i32>,
) -> Result<Vec<organisation::Model>, DbErr> {
    let mut q = organisation::Entity::find().order_by_asc(organisation::Column::Id);
    if let Some(d) = district {
        q = q.filter(organisation::Column::DistrictCode.eq(d));
    }
    if let Some(id) = only_id {
        q = q.filter(organisation::Column::Id.eq(id));
    }
    q.all(db).await
}
