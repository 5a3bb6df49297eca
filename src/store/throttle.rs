//! Failed-login counters (`login_throttle`), one row per account or client address.

use chrono::{DateTime, Utc};
use entity::login_throttle;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::domain::login_throttle::Counter;

/// Takes the rows of `keys` for this transaction (creating empty ones), in the order given: a
/// write first, so that concurrent attempts on one key are serialised on both databases (see
/// `events::append` on writing before reading).
///
/// # Errors
/// Database failures.
pub async fn lock(
    db: &impl ConnectionTrait,
    keys: &[&str],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for key in keys {
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set((*key).to_owned()),
            failures: Set(0),
            last_failure_at: Set(now),
            locked_until: Set(None),
        })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .do_nothing()
        .exec(db)
        .await?;
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::Failures,
                Expr::col(login_throttle::Column::Failures).into(),
            )
            .filter(login_throttle::Column::Key.eq(*key))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The counter of a key; `None` when it has none (or only an empty row).
///
/// # Errors
/// Database failures.
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<Counter>, DbErr> {
    Ok(login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .filter(|m| m.failures > 0 || m.locked_until.is_some())
        .map(|m| Counter {
            failures: m.failures,
            last_failure_at: m.last_failure_at,
            locked_until: m.locked_until,
        }))
}

/// Stores a key's counter (its row exists: see [`lock`]).
///
/// # Errors
/// Database failures.
pub async fn put(db: &impl ConnectionTrait, key: &str, c: &Counter) -> Result<(), DbErr> {
    login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::Failures, Expr::value(c.failures))
        .col_expr(
            login_throttle::Column::LastFailureAt,
            Expr::value(c.last_failure_at),
        )
        .col_expr(
            login_throttle::Column::LockedUntil,
            Expr::value(c.locked_until),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets a key's failures (a successful login, a password reset).
///
/// # Errors
/// Database failures.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Takes back one charged failure of a key that turned out to be a success (the address of a
/// successful login); a lock stays.
///
/// # Errors
/// Database failures.
pub async fn refund(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            Expr::col(login_throttle::Column::Failures).sub(1),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .filter(login_throttle::Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}
