//! What the schema can guarantee by itself: foreign keys on the call tables, at most one live call
//! per list item, CHECK constraints for states and ranges, and an index for every column the
//! queries filter or join on.
//!
//! PostgreSQL adds the constraints in place (`ALTER TABLE … ADD CONSTRAINT`, inside the migration's
//! transaction). SQLite cannot add a constraint to an existing table, so each table is rebuilt the
//! documented way (<https://www.sqlite.org/lang_altertable.html#otheralter>): foreign keys off,
//! one transaction, the table recreated from its own stored definition with the constraints
//! appended, rows copied, the old table dropped and the new one renamed, its indexes recreated,
//! `PRAGMA foreign_key_check`, commit. `PRAGMA foreign_keys` only works outside a transaction and per
//! connection, so all of it runs on a pool of one connection of its own (closed afterwards),
//! whatever pool the migrator was given.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::sqlx::sqlite::SqlitePoolOptions;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, SqlxSqliteConnector, Statement,
    TryGetable,
};
use sea_orm_migration::SchemaManagerConnection;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(table, constraint name, clause)`: the same clause text on both databases.
const CONSTRAINTS: &[(&str, &str, &str)] = &[
    // Rounds.
    ("round", "ck_round_version", r#"CHECK ("version" >= 1)"#),
    (
        "round",
        "ck_round_list_size",
        r#"CHECK ("list_size" BETWEEN 1 AND 50)"#,
    ),
    // Proposals: the states of `domain::proposal_state::Status`.
    (
        "proposal",
        "ck_proposal_status",
        r#"CHECK ("status" IN ('draft', 'submitted', 'returned', 'sealed', 'eligible', 'ineligible', 'listed', 'not_listed'))"#,
    ),
    (
        "proposal",
        "ck_proposal_version",
        r#"CHECK ("version" >= 1)"#,
    ),
    // Organisations: registered capital is an amount (hundredths of 万元), never negative.
    (
        "organisation",
        "ck_organisation_registered_capital",
        r#"CHECK ("registered_capital" >= 0)"#,
    ),
    // Calls: the states of `domain::call::CallStatus`.
    (
        "call",
        "fk_call_created_by",
        r#"FOREIGN KEY ("created_by") REFERENCES "app_user" ("id")"#,
    ),
    (
        "call",
        "fk_call_opened_by",
        r#"FOREIGN KEY ("opened_by") REFERENCES "app_user" ("id")"#,
    ),
    (
        "call",
        "ck_call_status",
        r#"CHECK ("status" IN ('announced', 'open', 'closed', 'opened', 'under_review', 'notice', 'awarded', 'unsuccessful', 'cancelled'))"#,
    ),
    ("call", "ck_call_version", r#"CHECK ("version" >= 1)"#),
    ("call", "ck_call_winners", r#"CHECK ("winners" >= 1)"#),
    (
        "call",
        "ck_call_notice_days",
        r#"CHECK ("notice_days" >= 1)"#,
    ),
    // Conflicts of interest.
    (
        "conflict",
        "fk_conflict_expert",
        r#"FOREIGN KEY ("expert_id") REFERENCES "app_user" ("id")"#,
    ),
    (
        "conflict",
        "fk_conflict_bid",
        r#"FOREIGN KEY ("bid_id") REFERENCES "bid" ("id")"#,
    ),
    (
        "conflict",
        "fk_conflict_organisation",
        r#"FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id")"#,
    ),
    // Score sheets.
    (
        "expert_score",
        "fk_expert_score_call",
        r#"FOREIGN KEY ("call_id") REFERENCES "call" ("id")"#,
    ),
    (
        "expert_score",
        "fk_expert_score_expert",
        r#"FOREIGN KEY ("expert_id") REFERENCES "app_user" ("id")"#,
    ),
    // Objections.
    (
        "objection",
        "fk_objection_submitted_by",
        r#"FOREIGN KEY ("submitted_by") REFERENCES "app_user" ("id")"#,
    ),
    (
        "objection",
        "fk_objection_answered_by",
        r#"FOREIGN KEY ("answered_by") REFERENCES "app_user" ("id")"#,
    ),
];

/// `(index name, CREATE statement)`: the same text on both databases.
const INDEXES: &[(&str, &str)] = &[
    // At most one live call per list item. A call that was cancelled or declared unsuccessful no
    // longer holds its item: the application has always let the commission announce a new call
    // on an item, and after those two endings it still may.
    (
        "ux_call_live_list_item",
        r#"CREATE UNIQUE INDEX "ux_call_live_list_item" ON "call" ("list_item_id") WHERE "status" NOT IN ('cancelled', 'unsuccessful')"#,
    ),
    (
        "idx_call_list_item",
        r#"CREATE INDEX "idx_call_list_item" ON "call" ("list_item_id")"#,
    ),
    (
        "idx_call_round",
        r#"CREATE INDEX "idx_call_round" ON "call" ("round_id")"#,
    ),
    (
        "idx_proposal_round_cluster",
        r#"CREATE INDEX "idx_proposal_round_cluster" ON "proposal" ("round_id", "cluster_code")"#,
    ),
    (
        "idx_proposal_owner_round",
        r#"CREATE INDEX "idx_proposal_owner_round" ON "proposal" ("owner_organisation_id", "round_id")"#,
    ),
    (
        "idx_conflict_call",
        r#"CREATE INDEX "idx_conflict_call" ON "conflict" ("call_id")"#,
    ),
    (
        "idx_expert_score_call",
        r#"CREATE INDEX "idx_expert_score_call" ON "expert_score" ("call_id")"#,
    ),
    (
        "idx_objection_call",
        r#"CREATE INDEX "idx_objection_call" ON "objection" ("call_id")"#,
    ),
    (
        "idx_panel_member_expert",
        r#"CREATE INDEX "idx_panel_member_expert" ON "panel_member" ("expert_id")"#,
    ),
    (
        "idx_list_item_version_rank",
        r#"CREATE INDEX "idx_list_item_version_rank" ON "list_item" ("list_version_id", "rank")"#,
    ),
    (
        "idx_selection_run_round",
        r#"CREATE INDEX "idx_selection_run_round" ON "selection_run" ("round_id")"#,
    ),
    (
        "idx_app_user_role",
        r#"CREATE INDEX "idx_app_user_role" ON "app_user" ("role")"#,
    ),
    (
        "idx_organisation_district",
        r#"CREATE INDEX "idx_organisation_district" ON "organisation" ("district_code")"#,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                let conn = own_connection(db).await?;
                let result = sqlite_up(&conn).await;
                finish(conn, result).await
            }
            backend => {
                let statements: Vec<String> = CONSTRAINTS
                    .iter()
                    .map(|(table, name, clause)| {
                        format!(r#"ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {clause}"#)
                    })
                    .chain(INDEXES.iter().map(|(_, create)| (*create).to_owned()))
                    .collect();
                run(db, backend, statements).await
            }
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                let conn = own_connection(db).await?;
                let result = sqlite_down(&conn).await;
                finish(conn, result).await
            }
            backend => {
                let statements: Vec<String> = INDEXES
                    .iter()
                    .rev()
                    .map(|(name, _)| format!(r#"DROP INDEX "{name}""#))
                    .chain(CONSTRAINTS.iter().rev().map(|(table, name, _)| {
                        format!(r#"ALTER TABLE "{table}" DROP CONSTRAINT "{name}""#)
                    }))
                    .collect();
                run(db, backend, statements).await
            }
        }
    }
}

async fn run(
    db: &SchemaManagerConnection<'_>,
    backend: DatabaseBackend,
    statements: Vec<String>,
) -> Result<(), DbErr> {
    for sql in statements {
        db.execute(Statement::from_string(backend, sql.clone()))
            .await
            .map_err(|e| DbErr::Migration(format!("{sql}: {e}")))?;
    }
    Ok(())
}

/// A pool of one connection to the same database, for this migration alone: `PRAGMA foreign_keys`
/// must be switched off and on again on the very connection that runs the rebuild, and the
/// migrator's own pool must never get back a connection left with foreign keys off.
async fn own_connection(db: &SchemaManagerConnection<'_>) -> Result<DatabaseConnection, DbErr> {
    let SchemaManagerConnection::Connection(conn) = db else {
        return Err(DbErr::Migration(
            "on SQLite this migration runs outside a transaction (it needs PRAGMA foreign_keys)"
                .into(),
        ));
    };
    if !matches!(conn, DatabaseConnection::SqlxSqlitePoolConnection(_)) {
        return Err(DbErr::Migration("not a SQLite pool".into()));
    }
    let options = conn.get_sqlite_connection_pool().connect_options();
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with((*options).clone())
        .await
        .map_err(|e| DbErr::Migration(format!("opening a connection for the rebuild: {e}")))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Commits or rolls back, switches foreign keys on again and closes the connection.
async fn finish(db: DatabaseConnection, result: Result<(), DbErr>) -> Result<(), DbErr> {
    let ended = match &result {
        Ok(()) => exec(&db, "COMMIT").await,
        Err(_) => exec(&db, "ROLLBACK").await,
    };
    let restored = exec(&db, "PRAGMA foreign_keys = ON").await;
    let closed = db.close().await;
    result.and(ended).and(restored).and(closed)
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), DbErr> {
    db.execute_unprepared(sql)
        .await
        .map(|_| ())
        .map_err(|e| DbErr::Migration(format!("{sql}: {e}")))
}

/// Foreign keys off, then the transaction that [`finish`] ends.
async fn begin(db: &DatabaseConnection) -> Result<(), DbErr> {
    exec(db, "PRAGMA foreign_keys = OFF").await?;
    exec(db, "BEGIN IMMEDIATE").await
}

/// The tables that get constraints, each once, in the order first named.
fn tables() -> Vec<&'static str> {
    let mut out: Vec<&str> = Vec::new();
    for (table, _, _) in CONSTRAINTS {
        if !out.contains(table) {
            out.push(table);
        }
    }
    out
}

/// The text a constraint adds to its table's definition (and `down` takes out again).
fn clause(name: &str, clause: &str) -> String {
    format!(r#", CONSTRAINT "{name}" {clause}"#)
}

#[derive(Clone, Copy)]
enum Change {
    Add,
    Remove,
}

/// A table's column and constraint list with this migration's constraints added or taken out.
fn changed(table: &str, body: &str, change: Change) -> Result<String, DbErr> {
    let mut body = body.to_owned();
    for (t, name, text) in CONSTRAINTS {
        if *t != table {
            continue;
        }
        let added = clause(name, text);
        match change {
            Change::Add => body.push_str(&added),
            Change::Remove if body.contains(&added) => body = body.replacen(&added, "", 1),
            Change::Remove => {
                return Err(DbErr::Migration(format!(
                    "table {table} does not have the constraint {name} this migration added"
                )))
            }
        }
    }
    Ok(body)
}

async fn sqlite_up(conn: &DatabaseConnection) -> Result<(), DbErr> {
    begin(conn).await?;
    for table in tables() {
        rebuild(conn, table, Change::Add).await?;
    }
    for (_, create) in INDEXES {
        exec(conn, create).await?;
    }
    foreign_key_check(conn).await
}

async fn sqlite_down(conn: &DatabaseConnection) -> Result<(), DbErr> {
    begin(conn).await?;
    // Before the rebuild, which would otherwise recreate them with the table's other indexes.
    for (name, _) in INDEXES.iter().rev() {
        exec(conn, &format!(r#"DROP INDEX "{name}""#)).await?;
    }
    for table in tables() {
        rebuild(conn, table, Change::Remove).await?;
    }
    foreign_key_check(conn).await
}

/// Rebuilds `table` with this migration's constraints added to or taken from its column and
/// constraint list (the text between the outer parentheses of its stored `CREATE TABLE`), keeping
/// its rows, its indexes and its AUTOINCREMENT counter. Runs inside the caller's transaction.
async fn rebuild(conn: &DatabaseConnection, table: &str, change: Change) -> Result<(), DbErr> {
    let sql: String = one(
        conn,
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
        table,
    )
    .await?
    .ok_or_else(|| DbErr::Migration(format!("no table {table}")))?;
    let (Some(open), Some(close)) = (sql.find('('), sql.rfind(')')) else {
        return Err(DbErr::Migration(format!(
            "cannot read the definition of {table}: {sql}"
        )));
    };
    let body = changed(table, &sql[open + 1..close], change)?;
    let indexes: Vec<String> = all(
        conn,
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        table,
    )
    .await?;
    let sequence: Option<i64> = one(
        conn,
        "SELECT seq FROM sqlite_sequence WHERE name = ?",
        table,
    )
    .await?;

    let new = format!("{table}__new");
    exec(conn, &format!(r#"CREATE TABLE "{new}" ({body})"#)).await?;
    exec(
        conn,
        &format!(r#"INSERT INTO "{new}" SELECT * FROM "{table}""#),
    )
    .await?;
    exec(conn, &format!(r#"DROP TABLE "{table}""#)).await?;
    exec(conn, &format!(r#"ALTER TABLE "{new}" RENAME TO "{table}""#)).await?;
    for index in indexes {
        exec(conn, &index).await?;
    }
    if let Some(seq) = sequence {
        conn.execute(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "UPDATE sqlite_sequence SET seq = ? WHERE name = ?",
            [seq.into(), table.into()],
        ))
        .await?;
    }
    Ok(())
}

/// The first column of the first row of `sql` with one parameter, if there is a row.
async fn one<T: TryGetable>(
    conn: &DatabaseConnection,
    sql: &str,
    param: &str,
) -> Result<Option<T>, DbErr> {
    conn.query_one(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        sql,
        [param.into()],
    ))
    .await?
    .map(|row| row.try_get_by_index(0))
    .transpose()
}

/// The first column of every row of `sql` with one parameter.
async fn all<T: TryGetable>(
    conn: &DatabaseConnection,
    sql: &str,
    param: &str,
) -> Result<Vec<T>, DbErr> {
    conn.query_all(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        sql,
        [param.into()],
    ))
    .await?
    .iter()
    .map(|row| row.try_get_by_index(0))
    .collect()
}

/// Fails, naming the rows, if any foreign key does not hold.
async fn foreign_key_check(conn: &DatabaseConnection) -> Result<(), DbErr> {
    let rows = conn
        .query_all(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA foreign_key_check",
        ))
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut found = Vec::new();
    for r in rows.iter().take(10) {
        let table: String = r.try_get_by_index(0)?;
        let rowid: Option<i64> = r.try_get_by_index(1)?;
        let parent: String = r.try_get_by_index(2)?;
        let rowid = rowid.map_or_else(|| "?".to_owned(), |id| id.to_string());
        found.push(format!("{table} row {rowid} → {parent}"));
    }
    Err(DbErr::Migration(format!(
        "{} rows break a foreign key, e.g. {}",
        rows.len(),
        found.join(", ")
    )))
}
