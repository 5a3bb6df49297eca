//! Values the service keeps for itself — never a key (see `keys`).

use entity::app_setting;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

/// The row where versions before the key file kept a generated JWT key.
const JWT_SECRET: &str = "jwt_secret";

/// The JWT key earlier versions kept in the database, if it is still there (the start moves it
/// into the key file; a migration then deletes it). `None` on a database not created yet.
///
/// # Errors
/// Database failures.
pub async fn stored_jwt_secret(db: &DatabaseConnection) -> Result<Option<String>, DbErr> {
    if !migration::SchemaManager::new(db)
        .has_table("app_setting")
        .await?
    {
        return Ok(None);
    }
    Ok(app_setting::Entity::find_by_id(JWT_SECRET.to_owned())
        .one(db)
        .await?
        .map(|row| row.value))
}

/// Whether the database answers (readiness).
///
/// # Errors
/// When it does not.
pub async fn ping(db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.ping().await
}
