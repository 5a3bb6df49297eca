//! Values the service keeps for itself.

use chrono::{DateTime, Utc};
use entity::app_setting;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

const JWT_SECRET: &str = "jwt_secret";

/// The JWT key kept in the database, created on first use. Two servers starting at once agree:
/// the insert does nothing on conflict and both read back the one stored value.
///
/// # Errors
/// Database failures.
pub async fn jwt_secret(db: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<String> {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let candidate = app_setting::ActiveModel {
        key: Set(JWT_SECRET.into()),
        value: Set(hex::encode(bytes)),
        updated_at: Set(now),
    };
    app_setting::Entity::insert(candidate)
        .on_conflict(
            OnConflict::column(app_setting::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .do_nothing()
        .exec(db)
        .await?;
    let stored = app_setting::Entity::find_by_id(JWT_SECRET.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("JWT key missing after insert"))?;
    Ok(stored.value)
}

/// Whether the database answers (readiness).
///
/// # Errors
/// When it does not.
pub async fn ping(db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.ping().await
}
