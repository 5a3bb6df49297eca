//! Connecting to the database: SQLite by default, PostgreSQL when the URL says so.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement,
};

use crate::settings::DatabaseSettings;

/// Opens the pool. SQLite gets WAL, `synchronous=FULL` (an acknowledged write survives power loss),
/// foreign keys and a busy timeout, so concurrent writers wait instead of failing.
///
/// # Errors
/// When the database cannot be reached.
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    open(settings, settings.max_connections).await
}

/// A pool of exactly one connection, for running migrations: every statement of a migration then
/// runs on the same connection, which SQLite needs for `PRAGMA foreign_keys` (per connection, and
/// only outside a transaction) and PostgreSQL for a session advisory lock.
///
/// # Errors
/// When the database cannot be reached.
pub async fn connect_for_migrations(
    settings: &DatabaseSettings,
) -> anyhow::Result<DatabaseConnection> {
    open(settings, 1).await
}

async fn open(settings: &DatabaseSettings, connections: u32) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(settings.url.clone());
    opts.max_connections(connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // No ping before every checkout (a round trip per checkout, several per request): a
        // connection that broke fails its statement and is dropped from the pool.
        .test_before_acquire(false)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(opts)
        .await
        .with_context(|| format!("connecting to the database at {}", redact(&settings.url)))
}

/// The JWT key an earlier version kept in the database, read before the migrations delete it (see
/// `keys::resolve`), over a connection of its own.
///
/// # Errors
/// When the database cannot be reached or read.
pub async fn stored_jwt_secret(settings: &DatabaseSettings) -> anyhow::Result<Option<String>> {
    let single = connect_for_migrations(settings).await?;
    let found = crate::store::settings::stored_jwt_secret(&single)
        .await
        .context("reading the key kept in the database by an earlier version");
    let closed = single.close().await;
    let found = found?;
    closed.context("closing the connection")?;
    Ok(found)
}

/// Rewrites the storage after a key was deleted from the database and old sealed bytes were
/// replaced, so that no copy is left in free pages: SQLite `VACUUM` and a truncating WAL
/// checkpoint, PostgreSQL `VACUUM FULL` of the two tables. Run once, at the start that moved the
/// key out.
///
/// # Errors
/// When the database refuses.
pub async fn scrub(db: &DatabaseConnection) -> anyhow::Result<()> {
    let statements: &[&str] = match db.get_database_backend() {
        DatabaseBackend::Sqlite => &["VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"],
        DatabaseBackend::Postgres => &["VACUUM FULL app_setting", "VACUUM FULL bid_receipt"],
        _ => &[],
    };
    for sql in statements {
        db.execute_unprepared(sql)
            .await
            .with_context(|| format!("running {sql}"))?;
    }
    Ok(())
}

/// The key of the PostgreSQL session advisory lock held while migrating ("jiebang" in ASCII), so
/// that several instances starting together migrate once: the others wait, then find nothing
/// pending.
const MIGRATION_LOCK: i64 = 0x006a_6965_6261_6e67;

/// Brings the schema up to date over a connection of its own (closed afterwards), then opens the
/// pool. On PostgreSQL the migration holds a session advisory lock.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn connect_and_migrate(
    settings: &DatabaseSettings,
) -> anyhow::Result<DatabaseConnection> {
    let single = connect_for_migrations(settings).await?;
    let migrated = migrate_locked(&single).await;
    let closed = single.close().await;
    migrated?;
    closed.context("closing the migration connection")?;
    connect(settings).await
}

async fn migrate_locked(db: &DatabaseConnection) -> anyhow::Result<()> {
    let pg = db.get_database_backend() == DatabaseBackend::Postgres;
    let lock = |f: &str| {
        Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            format!("SELECT {f}($1)"),
            [MIGRATION_LOCK.into()],
        )
    };
    if pg {
        db.execute(lock("pg_advisory_lock"))
            .await
            .context("taking the migration lock")?;
    }
    let migrated = Migrator::up(db, None).await.context("running migrations");
    if pg {
        let unlocked = db.execute(lock("pg_advisory_unlock")).await;
        migrated?;
        unlocked.context("releasing the migration lock")?;
        return Ok(());
    }
    migrated
}

/// The URL without its password, for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }
}
