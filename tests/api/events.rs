//! The one event log: round changes need If-Match and are in history; the chain verifies under
//! concurrent writers and names the first row after any single-row tampering.

use entity::event;
use jiebang::app::audit;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Statement};
use serde_json::json;

use crate::helpers::*;
use crate::proposals::{create_round, etag_of, file, sample};

async fn patch_round(app: &TestApp, body: serde_json::Value, if_match: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|t| ("if-match", t)).into_iter().collect();
    app.request_with(
        Method::PATCH,
        "/api/v1/rounds/2024",
        Some(app.token(Role::Commission)),
        Some(body),
        &headers,
    )
    .await
}

#[tokio::test]
async fn round_changes_need_if_match_a_reason_once_intake_opened_and_are_in_history() {
    let app = spawn_app().await;
    create_round(&app).await;
    let r = app.get("/api/v1/rounds/2024", None).await;
    let v1 = etag_of(&r);

    // Without If-Match: 428; with a stale one: 412; nothing changes either way.
    let r = patch_round(&app, json!({"title": "改名"}), None).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{:?}", r.body);
    let r = patch_round(&app, json!({"title": "改名"}), Some("\"round-1-v9\"")).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{:?}", r.body);

    // Before intake opened, weights change without a reason.
    let r = patch_round(
        &app,
        json!({"settings": {"weights": {"completeness": 40, "representativeness": 30, "layout": 30}}}),
        Some(&v1),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let v2 = etag_of(&r);
    assert_ne!(v1, v2);

    // A proposal is filed: intake has opened.
    let officer = app.token(Role::District).to_owned();
    let r = file(&app, &officer, sample(HOME_DISTRICT, "light_textile")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    // Now a deadline change needs a reason of 10+ characters, named as the field; a title does not.
    for (body, case) in [
        (
            json!({"intake_deadline": "2024-03-10T23:59:59+08:00"}),
            "no reason",
        ),
        (
            json!({"intake_deadline": "2024-03-10T23:59:59+08:00", "reason": "太短"}),
            "short reason",
        ),
    ] {
        let r = patch_round(&app, body, Some(&v2)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), ["reason"], "{case}");
    }
    let r = patch_round(
        &app,
        json!({"title": "2024年行业产业大脑建设（修订）"}),
        Some(&v2),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let v3 = etag_of(&r);
    let reason = "因春节假期顺延意向征集截止时间";
    let r = patch_round(
        &app,
        json!({"intake_deadline": "2024-03-10T23:59:59+08:00", "reason": reason}),
        Some(&v3),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["intake_deadline"], "2024-03-10T23:59:59+08:00");

    // The history shows every change, oldest first, with the reason and the old value; the
    // public sees roles, the commission sees the account.
    let public = app.get("/api/v1/rounds/2024/history", None).await;
    assert_eq!(public.status, StatusCode::OK, "{:?}", public.body);
    let kinds: Vec<&str> = public
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["create", "update", "update", "update"]);
    let last = &public.body[3];
    assert_eq!(last["version"], 4);
    assert_eq!(last["reason"], reason);
    assert_eq!(last["actor"]["role"], "commission");
    assert!(last["actor"]["username"].is_null());
    let change = &last["changes"][0];
    assert_eq!(change["path"], "/intake_deadline");
    assert_eq!(change["old"], "2024-02-29T23:59:59+08:00");
    let staff = app
        .get("/api/v1/rounds/2024/history", Some(Role::Commission))
        .await;
    assert_eq!(staff.body[3]["actor"]["username"], "admin");

    let report = audit::verify(&app.state.db).await.unwrap();
    assert!(report.ok(), "{report:?}");
}

/// Eight writers editing at once: every accepted change is one event, the log has no gap and
/// the chain verifies (on PostgreSQL the head row's lock serialises the appends).
#[tokio::test]
async fn eight_concurrent_writers_leave_a_gap_free_verifying_chain() {
    let app = spawn_app().await;
    create_round(&app).await;
    let officer = app.token(Role::District).to_owned();
    let mut ids = Vec::new();
    for _ in 0..8 {
        let r = file(&app, &officer, sample(HOME_DISTRICT, "light_textile")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        ids.push((r.body["id"].as_i64().unwrap(), etag_of(&r)));
    }
    let before = audit::verify(&app.state.db).await.unwrap().head_seq;
    let edits = 6;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for (w, (id, etag)) in ids.into_iter().enumerate() {
        let app = app.clone();
        let officer = officer.clone();
        tasks.push(tokio::spawn(async move {
            let mut etag = etag;
            for n in 0..edits {
                let r = app
                    .request_with(
                        Method::PATCH,
                        &format!("/api/v1/proposals/{id}"),
                        Some(&officer),
                        Some(json!({"form": {"brain_name": format!("示例大脑 {w}-{n}")}})),
                        &[("if-match", &etag)],
                    )
                    .await;
                assert_eq!(
                    r.status,
                    StatusCode::OK,
                    "writer {w} edit {n}: {:?}",
                    r.body
                );
                etag = etag_of(&r);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = audit::verify(&app.state.db).await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.head_seq, before + 8 * edits);
    assert_eq!(report.verified, report.head_seq);
}

async fn sql(app: &TestApp, text: &str) {
    let db = &app.state.db;
    db.execute(Statement::from_string(
        db.get_database_backend(),
        text.to_owned(),
    ))
    .await
    .unwrap();
}

async fn row(app: &TestApp, seq: i64) -> event::Model {
    event::Entity::find_by_id(seq)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn first_bad(app: &TestApp) -> Option<i64> {
    audit::verify(&app.state.db)
        .await
        .unwrap()
        .first_bad
        .map(|b| b.seq)
}

/// Each single-row edit of the log is found and named: a payload edited, a row deleted, two rows
/// swapped, the last row deleted; undoing it makes the chain verify again. The command line
/// says the same.
#[tokio::test]
async fn any_single_row_tampering_is_detected_and_named() {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024).await.unwrap();
    let report = audit::verify(&app.state.db).await.unwrap();
    assert!(report.ok(), "{report:?}");
    let last = report.head_seq;
    assert!(last > 20, "the demo writes a history: {last}");
    let k = 7;

    // An edited payload.
    let original = row(&app, k).await;
    sql(
        &app,
        &format!("UPDATE event SET payload = '[]' WHERE seq = {k}"),
    )
    .await;
    assert_eq!(first_bad(&app).await, Some(k));
    let mut undo = original.clone().into_active_model();
    undo.payload = sea_orm::ActiveValue::Set(original.payload.clone());
    undo.reset_all().update(&app.state.db).await.unwrap();
    assert_eq!(first_bad(&app).await, None);

    // A deleted row.
    sql(&app, &format!("DELETE FROM event WHERE seq = {k}")).await;
    assert_eq!(first_bad(&app).await, Some(k));
    event::Entity::insert(original.clone().into_active_model())
        .exec_without_returning(&app.state.db)
        .await
        .unwrap();
    assert_eq!(first_bad(&app).await, None);

    // Two rows swapped.
    sql(&app, &format!("UPDATE event SET seq = -1 WHERE seq = {k}")).await;
    sql(
        &app,
        &format!("UPDATE event SET seq = {k} WHERE seq = {}", k + 1),
    )
    .await;
    sql(
        &app,
        &format!("UPDATE event SET seq = {} WHERE seq = -1", k + 1),
    )
    .await;
    assert_eq!(first_bad(&app).await, Some(k));
    sql(&app, &format!("UPDATE event SET seq = -1 WHERE seq = {k}")).await;
    sql(
        &app,
        &format!("UPDATE event SET seq = {k} WHERE seq = {}", k + 1),
    )
    .await;
    sql(
        &app,
        &format!("UPDATE event SET seq = {} WHERE seq = -1", k + 1),
    )
    .await;
    assert_eq!(first_bad(&app).await, None);

    // The last row deleted: the head still remembers it.
    sql(&app, &format!("DELETE FROM event WHERE seq = {last}")).await;
    assert_eq!(first_bad(&app).await, Some(last));

    // From outside: the command names the row and exits non-zero.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiebang"))
        .args(["audit", "verify"])
        .env("JIEBANG__DATABASE__URL", &app.db_url)
        .env("JIEBANG__LOG__LEVEL", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&format!("at row {last}")), "{said}");
}
