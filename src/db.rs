//! Connecting to the database: SQLite by default, PostgreSQL when the URL says so.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::settings::DatabaseSettings;

/// Opens the pool. SQLite gets WAL, `synchronous=FULL` (an acknowledged write survives power loss),
/// foreign keys and a busy timeout, so concurrent writers wait instead of failing.
///
/// # Errors
/// When the database cannot be reached.
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(settings.url.clone());
    opts.max_connections(settings.max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
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

/// Connects and brings the schema up to date.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn connect_and_migrate(
    settings: &DatabaseSettings,
) -> anyhow::Result<DatabaseConnection> {
    let db = connect(settings).await?;
    Migrator::up(&db, None)
        .await
        .context("running migrations")?;
    Ok(db)
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
