//! What the schema guarantees by itself (migration 7), on SQLite and PostgreSQL: one live call per
//! list item, foreign keys, CHECK constraints; the migration goes down and up again with data; and
//! the reference data compiled into migration 1 never changes.

use chrono::{Duration, TimeZone, Utc};
use jiebang::domain::role::Role;
use migration::{Migrator, MigratorTrait};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::*;

/// The constraints migration 7 adds, by name.
const CONSTRAINTS: [&str; 18] = [
    "ck_round_version",
    "ck_round_list_size",
    "ck_proposal_status",
    "ck_proposal_version",
    "ck_organisation_registered_capital",
    "fk_call_created_by",
    "fk_call_opened_by",
    "ck_call_status",
    "ck_call_version",
    "ck_call_winners",
    "ck_call_notice_days",
    "fk_conflict_expert",
    "fk_conflict_bid",
    "fk_conflict_organisation",
    "fk_expert_score_call",
    "fk_expert_score_expert",
    "fk_objection_submitted_by",
    "fk_objection_answered_by",
];

/// The indexes migration 7 adds, by name.
const INDEXES: [&str; 13] = [
    "ux_call_live_list_item",
    "idx_call_list_item",
    "idx_call_round",
    "idx_proposal_round_cluster",
    "idx_proposal_owner_round",
    "idx_conflict_call",
    "idx_expert_score_call",
    "idx_objection_call",
    "idx_panel_member_expert",
    "idx_list_item_version_rank",
    "idx_selection_run_round",
    "idx_app_user_role",
    "idx_organisation_district",
];

/// The tables whose rows the round trip must keep.
const TABLES: [&str; 14] = [
    "round",
    "proposal",
    "organisation",
    "app_user",
    "selection_run",
    "list_version",
    "list_item",
    "call",
    "bid",
    "bid_receipt",
    "conflict",
    "expert_score",
    "objection",
    "event",
];

/// The demo list published, one call announced on its first item, and one bid in it: ids of the
/// list item, the call, the bid, the bidder organisation and its applicant account.
struct World {
    app: TestApp,
    item: i64,
    call: i64,
    bid: i64,
    organisation: i64,
    applicant: i64,
    expert: i64,
}

fn call_body() -> Value {
    json!({
        "requirements": "建成行业大脑平台，接入企业不少于200家",
        "eligibility": {"registered_in_chongqing": true, "min_registered_capital": 500},
        "opens_at": "2024-03-01T09:00:00+08:00",
        "closes_at": "2024-03-10T17:00:00+08:00",
        "winners": 1,
        "notice_days": 7,
        "rubric": [
            {"criterion": "技术方案", "weight": 0.6, "max_points": 60},
            {"criterion": "团队与运营", "weight": 0.4, "max_points": 40}
        ]
    })
}

async fn world() -> World {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024)
        .await
        .expect("demo data");
    let run = app
        .post(
            "/api/v1/rounds/2024/selections",
            Some(Role::Commission),
            json!({}),
        )
        .await;
    let list = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": run.body["id"], "note": "2024年榜单"}),
        )
        .await;
    let item = list.body["items"][0]["id"].as_i64().expect("list item");
    let call = app
        .post(
            &format!("/api/v1/list-items/{item}/calls"),
            Some(Role::Commission),
            call_body(),
        )
        .await;
    assert_eq!(call.status, StatusCode::CREATED, "{:?}", call.body);
    let call = call.body["id"].as_i64().expect("call id");

    let uscc = jiebang::domain::codes::Uscc::with_check("91500112MA0000901").expect("uscc");
    let org = app
        .post(
            "/api/v1/organisations",
            Some(Role::Commission),
            json!({"name": "示例投标科技有限公司", "uscc": uscc, "district_code": "500112",
                   "registered_capital": 2000}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{:?}", org.body);
    let organisation = org.body["id"].as_i64().expect("organisation id");
    let token = app
        .add_user("schema-bidder", Role::Applicant, None, Some(organisation))
        .await;
    app.clock
        .set(Utc.with_ymd_and_hms(2024, 3, 1, 1, 0, 0).unwrap() + Duration::hours(1));
    let bid = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/bids"),
            Some(&token),
            Some(json!({
                "technical_plan": "示例方案",
                "team": [{"name": "示例负责人", "role": "项目经理"}],
                "budget": 900,
                "schedule": [{"name": "上线", "due": "2024-12-31"}],
                "commitments": ["按期建成"],
                        "attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "示例法定代表人", "position": "法定代表人"}
            })),
        )
        .await;
    assert_eq!(bid.status, StatusCode::CREATED, "{:?}", bid.body);
    let bid = bid.body["bid_id"].as_i64().expect("bid id");
    let db = &app.state.db;
    let applicant = scalar(
        db,
        "SELECT id FROM app_user WHERE username = 'schema-bidder'",
    )
    .await;
    let expert = scalar(db, "SELECT MIN(id) FROM app_user WHERE role = 'expert'").await;
    World {
        app,
        item,
        call,
        bid,
        organisation,
        applicant,
        expert,
    }
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<u64, DbErr> {
    db.execute(Statement::from_string(db.get_database_backend(), sql))
        .await
        .map(|r| r.rows_affected())
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<Option<i64>>(0)
        .or_else(|_| {
            row.try_get_by_index::<Option<i32>>(0)
                .map(|v| v.map(i64::from))
        })
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: null"))
}

/// A copy of call `from` for the same list item, in state `status`.
fn copy_call(from: i64, status: &str) -> String {
    format!(
        "INSERT INTO call (round_id, list_item_id, status, requirements, eligibility, opens_at, \
         closes_at, winners, notice_days, rubric, version, created_by, created_at, updated_at) \
         SELECT round_id, list_item_id, '{status}', requirements, eligibility, opens_at, closes_at, \
         winners, notice_days, rubric, version, created_by, created_at, updated_at \
         FROM call WHERE id = {from}"
    )
}

#[tokio::test]
async fn one_live_call_per_list_item() {
    let w = world().await;
    let db = &w.app.state.db;

    // The database refuses a second live call, whatever the application does.
    let err = exec(db, &copy_call(w.call, "announced")).await.unwrap_err();
    assert!(
        matches!(
            err.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ),
        "{err}"
    );
    // And the API answers 409.
    let again = w
        .app
        .post(
            &format!("/api/v1/list-items/{}/calls", w.item),
            Some(Role::Commission),
            call_body(),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
    assert!(again.is_problem());

    // A cancelled call frees its item: the commission may announce it again.
    let cancel = w
        .app
        .post(
            &format!("/api/v1/calls/{}/cancel", w.call),
            Some(Role::Commission),
            json!({"reasons": "需求调整，本次揭榜取消，另行发布"}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{:?}", cancel.body);
    let second = w
        .app
        .post(
            &format!("/api/v1/list-items/{}/calls", w.item),
            Some(Role::Commission),
            call_body(),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{:?}", second.body);
    let second = second.body["id"].as_i64().unwrap();

    // So does one declared unsuccessful; awarded and every other state holds it.
    exec(
        db,
        &format!("UPDATE call SET status = 'unsuccessful' WHERE id = {second}"),
    )
    .await
    .unwrap();
    exec(db, &copy_call(w.call, "announced")).await.unwrap();
    for status in [
        "announced",
        "open",
        "closed",
        "opened",
        "under_review",
        "notice",
        "awarded",
    ] {
        let err = exec(db, &copy_call(w.call, status)).await.unwrap_err();
        assert!(
            matches!(
                err.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ),
            "{status}: {err}"
        );
    }
    let live = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM call WHERE list_item_id = {} \
             AND status NOT IN ('cancelled', 'unsuccessful')",
            w.item
        ),
    )
    .await;
    assert_eq!(live, 1);
}

#[tokio::test]
async fn broken_references_are_refused() {
    let w = world().await;
    let db = &w.app.state.db;
    let pg = db.get_database_backend() == DatabaseBackend::Postgres;
    let (call, bid, org, expert, applicant) =
        (w.call, w.bid, w.organisation, w.expert, w.applicant);
    let nobody = 999_999;
    let conflict = |expert: i64, bid: i64, org: i64| {
        format!(
            "INSERT INTO conflict (call_id, expert_id, bid_id, organisation_id, kind, note, \
             declared_at) SELECT id, {expert}, {bid}, {org}, 'other', '示例', created_at \
             FROM call WHERE id = {call}"
        )
    };
    let score = |call: i64, expert: i64| {
        format!(
            "INSERT INTO expert_score (call_id, bid_id, expert_id, scores, submitted_at) \
             SELECT {call}, {bid}, {expert}, '[]', created_at FROM call WHERE id = {}",
            w.call
        )
    };
    let objection = |by: i64, answered_by: i64| {
        format!(
            "INSERT INTO objection (call_id, submitted_by, grounds, contact, submitted_at, \
             answered_by) SELECT id, {by}, '示例异议', '023-6000-0000', created_at, {answered_by} \
             FROM call WHERE id = {call}"
        )
    };
    let refused = [
        (
            "fk_call_created_by",
            format!("UPDATE call SET created_by = {nobody} WHERE id = {call}"),
        ),
        (
            "fk_call_opened_by",
            format!("UPDATE call SET opened_by = {nobody} WHERE id = {call}"),
        ),
        ("fk_conflict_expert", conflict(nobody, bid, org)),
        ("fk_conflict_bid", conflict(expert, nobody, org)),
        ("fk_conflict_organisation", conflict(expert, bid, nobody)),
        ("fk_expert_score_call", score(nobody, expert)),
        ("fk_expert_score_expert", score(call, nobody)),
        ("fk_objection_submitted_by", objection(nobody, applicant)),
        ("fk_objection_answered_by", objection(applicant, nobody)),
    ];
    for (name, sql) in &refused {
        let err = exec(db, sql).await.expect_err(name);
        let text = err.to_string();
        if pg {
            assert!(text.contains(name), "{name}: {text}");
        } else {
            assert!(
                text.contains("FOREIGN KEY constraint failed"),
                "{name}: {text}"
            );
        }
    }
    // The same statements with every reference good go through, so each refusal above was its
    // one bad reference.
    let commission = scalar(db, "SELECT MIN(id) FROM app_user WHERE role = 'commission'").await;
    for sql in [
        format!(
            "UPDATE call SET created_by = {commission}, opened_by = {commission} WHERE id = {call}"
        ),
        conflict(expert, bid, org),
        score(call, expert),
        objection(applicant, commission),
    ] {
        assert_eq!(
            exec(db, &sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            1,
            "{sql}"
        );
    }
}

#[tokio::test]
async fn states_and_ranges_out_of_bounds_are_refused() {
    let w = world().await;
    let db = &w.app.state.db;
    let call = w.call;
    let proposal = scalar(db, "SELECT MIN(id) FROM proposal").await;
    let org = w.organisation;
    let cases = [
        (
            "ck_round_version",
            "UPDATE round SET version = 0".to_owned(),
            "UPDATE round SET version = version".to_owned(),
        ),
        (
            "ck_round_list_size",
            "UPDATE round SET list_size = 0".into(),
            "UPDATE round SET list_size = 1".into(),
        ),
        (
            "ck_round_list_size",
            "UPDATE round SET list_size = 51".into(),
            "UPDATE round SET list_size = 50".into(),
        ),
        (
            "ck_proposal_status",
            format!("UPDATE proposal SET status = 'approved' WHERE id = {proposal}"),
            format!("UPDATE proposal SET status = status WHERE id = {proposal}"),
        ),
        (
            "ck_proposal_version",
            format!("UPDATE proposal SET version = 0 WHERE id = {proposal}"),
            format!("UPDATE proposal SET version = 1 WHERE id = {proposal}"),
        ),
        (
            "ck_organisation_registered_capital",
            format!("UPDATE organisation SET registered_capital = -1 WHERE id = {org}"),
            format!("UPDATE organisation SET registered_capital = 0 WHERE id = {org}"),
        ),
        (
            "ck_call_status",
            format!("UPDATE call SET status = 'paused' WHERE id = {call}"),
            format!("UPDATE call SET status = 'open' WHERE id = {call}"),
        ),
        (
            "ck_call_version",
            format!("UPDATE call SET version = 0 WHERE id = {call}"),
            format!("UPDATE call SET version = 1 WHERE id = {call}"),
        ),
        (
            "ck_call_winners",
            format!("UPDATE call SET winners = 0 WHERE id = {call}"),
            format!("UPDATE call SET winners = 1 WHERE id = {call}"),
        ),
        (
            "ck_call_notice_days",
            format!("UPDATE call SET notice_days = 0 WHERE id = {call}"),
            format!("UPDATE call SET notice_days = 1 WHERE id = {call}"),
        ),
    ];
    for (name, bad, good) in &cases {
        let err = exec(db, bad).await.expect_err(bad);
        assert!(err.to_string().contains(name), "{bad}: {err}");
        // The nearest good value passes: the refusal was the range, not the statement.
        assert!(
            exec(db, good)
                .await
                .unwrap_or_else(|e| panic!("{good}: {e}"))
                >= 1,
            "{good}"
        );
    }
    // Every state the domain knows is one the database admits: a new state needs a migration.
    for status in jiebang::domain::call::CallStatus::ALL {
        let sql = format!(
            "UPDATE call SET status = '{}' WHERE id = {call}",
            status.as_str()
        );
        assert_eq!(
            exec(db, &sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            1
        );
    }
    for status in jiebang::domain::proposal_state::Status::ALL {
        let sql = format!(
            "UPDATE proposal SET status = '{}' WHERE id = {proposal}",
            status.as_str()
        );
        assert_eq!(
            exec(db, &sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            1
        );
    }
}

/// The names, among `names`, that the schema declares (constraints or indexes).
async fn declared(db: &DatabaseConnection, names: &[&str]) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT conname AS name FROM pg_constraint UNION ALL SELECT indexname FROM pg_indexes"
        }
        _ => "SELECT name FROM sqlite_master UNION ALL SELECT sql FROM sqlite_master WHERE type = 'table'",
    };
    let rows = db
        .query_all(Statement::from_string(backend, sql))
        .await
        .unwrap();
    let texts: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<Option<String>>(0).ok().flatten())
        .collect();
    names
        .iter()
        .filter(|n| {
            texts
                .iter()
                .any(|t| t == *n || t.contains(&format!("CONSTRAINT \"{n}\"")))
        })
        .map(|n| (*n).to_owned())
        .collect()
}

async fn counts(db: &DatabaseConnection) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push((
            t,
            scalar(db, &format!("SELECT COUNT(*) FROM \"{t}\"")).await,
        ));
    }
    out
}

#[tokio::test]
async fn the_constraints_migration_goes_down_and_up_again_with_data() {
    let w = world().await;
    let db = &w.app.state.db;
    // A row in each of the tables the migration rebuilds on SQLite.
    let commission = scalar(db, "SELECT MIN(id) FROM app_user WHERE role = 'commission'").await;
    for sql in [
        format!(
            "INSERT INTO conflict (call_id, expert_id, bid_id, organisation_id, kind, note, \
             declared_at) SELECT id, {}, {}, {}, 'other', '示例', created_at FROM call WHERE id = {}",
            w.expert, w.bid, w.organisation, w.call
        ),
        format!(
            "INSERT INTO expert_score (call_id, bid_id, expert_id, scores, submitted_at) \
             SELECT id, {}, {}, '[]', created_at FROM call WHERE id = {}",
            w.bid, w.expert, w.call
        ),
        format!(
            "INSERT INTO objection (call_id, submitted_by, grounds, contact, submitted_at, \
             answered_by) SELECT id, {}, '示例异议', '023-6000-0000', created_at, {commission} \
             FROM call WHERE id = {}",
            w.applicant, w.call
        ),
    ] {
        exec(db, &sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let before = counts(db).await;
    assert!(before.iter().all(|(_, n)| *n > 0), "{before:?}");
    assert_eq!(declared(db, &CONSTRAINTS).await, CONSTRAINTS);
    assert_eq!(declared(db, &INDEXES).await, INDEXES);
    let sqlite = db.get_database_backend() == DatabaseBackend::Sqlite;
    let sequence = "SELECT seq FROM sqlite_sequence WHERE name = 'proposal'";
    let seq_before = if sqlite {
        scalar(db, sequence).await
    } else {
        0
    };

    // Down to just before migration 7 (the ones after it go too), then up again.
    let applied = Migrator::get_applied_migrations(db).await.unwrap();
    let after_six = u32::try_from(
        applied.len()
            - applied
                .iter()
                .position(|m| m.name().contains("000007_constraints"))
                .unwrap(),
    )
    .unwrap();
    Migrator::down(db, Some(after_six)).await.expect("down");
    assert_eq!(counts(db).await, before, "down keeps every row");
    assert_eq!(declared(db, &CONSTRAINTS).await, Vec::<String>::new());
    assert_eq!(declared(db, &INDEXES).await, Vec::<String>::new());
    let pending = Migrator::get_pending_migrations(db).await.unwrap();
    assert_eq!(pending.len(), after_six as usize);

    Migrator::up(db, None).await.expect("up again");
    assert_eq!(counts(db).await, before, "up keeps every row");
    assert_eq!(declared(db, &CONSTRAINTS).await, CONSTRAINTS);
    assert_eq!(declared(db, &INDEXES).await, INDEXES);
    if sqlite {
        assert_eq!(scalar(db, sequence).await, seq_before, "AUTOINCREMENT kept");
        assert_eq!(
            scalar(db, "PRAGMA foreign_keys").await,
            1,
            "foreign keys on"
        );
    }
    // The application still works on the rebuilt tables, the constraints hold.
    let calls = w.app.get("/api/v1/calls", None).await;
    assert_eq!(calls.status, StatusCode::OK);
    assert_eq!(calls.body.as_array().map(Vec::len), Some(1));
    assert!(exec(db, &copy_call(w.call, "announced")).await.is_err());
    assert!(exec(db, "UPDATE round SET list_size = 0").await.is_err());
}

/// The reference data migration 1 compiles in (`include_str!` in `migration/src/seed.rs`), pinned
/// by SHA-256.
const FROZEN: [(&str, &str); 2] = [
    (
        "chongqing-districts.tsv",
        "07c1accb783be68e586231ec7783bac7699403dff30690554096b9d687835b7e",
    ),
    (
        "industry-classes-gbt4754-2017.tsv",
        "30ae1fd7933aaeac3627810d64bb4ad26776b5049e19233f89a91ec536735d67",
    ),
];

#[test]
fn the_reference_data_of_landed_migrations_is_frozen() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migration/data");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut pinned: Vec<String> = FROZEN.iter().map(|(f, _)| (*f).to_owned()).collect();
    pinned.sort();
    assert_eq!(
        files, pinned,
        "every data file a migration compiles in is pinned here once its migration has landed"
    );
    for (file, sha) in FROZEN {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            sha,
            "migration/data/{file} changed. A landed migration is never edited, and this file is \
             part of migration 1: restore it, and add a new migration that changes the rows instead"
        );
    }
}

/// Several instances starting together on one PostgreSQL database: each takes the migration lock
/// in turn, so the first migrates and the others find nothing pending. (SQLite is served by one
/// process, which owns the file; there the test has nothing to race.)
#[tokio::test]
async fn instances_starting_together_migrate_once() {
    let (url, _dir) = fresh_database().await;
    if !url.starts_with("postgres") {
        return;
    }
    let database = settings(&url).database;
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let database = database.clone();
            tokio::spawn(async move { jiebang::db::connect_and_migrate(&database).await })
        })
        .collect();
    for start in starts {
        let db = start.await.unwrap().expect("every instance starts");
        db.close().await.unwrap();
    }
    let db = jiebang::db::connect(&database).await.unwrap();
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM seaql_migrations").await,
        i64::try_from(Migrator::migrations().len()).unwrap()
    );
    assert!(Migrator::get_pending_migrations(&db)
        .await
        .unwrap()
        .is_empty());
}
