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

/// How many of the binary's migrations the database has not applied (readiness: an instance
/// older or newer than the schema should not take traffic).
///
/// # Errors
/// Database failures.
pub async fn pending_migrations(db: &sea_orm::DatabaseConnection) -> Result<usize, DbErr> {
    use migration::MigratorTrait;
    Ok(migration::Migrator::get_pending_migrations(db).await?.len())
}

/// The pool's open connections, idle connections and limit.
pub fn pool_stats(db: &sea_orm::DatabaseConnection) -> (u32, u32, u32) {
    use sea_orm::{ConnectionTrait, DatabaseBackend};
    fn of<D: sea_orm::sqlx::Database>(p: &sea_orm::sqlx::Pool<D>) -> (u32, u32, u32) {
        let idle = u32::try_from(p.num_idle()).unwrap_or(u32::MAX);
        (p.size(), idle, p.options().get_max_connections())
    }
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => of(db.get_sqlite_connection_pool()),
        DatabaseBackend::Postgres => of(db.get_postgres_connection_pool()),
        DatabaseBackend::MySql => (0, 0, 0),
    }
}
