//! Login under attack and credentials (issue 9, items 9 and 10): throttled failures counted in
//! the database, bounded hashing, password change and reset invalidating earlier tokens, the
//! password policy.

use chrono::Duration;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

async fn user_id(app: &TestApp, username: &str) -> i64 {
    let users = app.get("/api/v1/users", Some(Role::Commission)).await;
    users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .and_then(|u| u["id"].as_i64())
        .unwrap()
}

fn retry_after(r: &Reply) -> u64 {
    r.headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {:?}", r.headers))
}

async fn history(app: &TestApp, id: i64) -> Vec<Value> {
    let h = app
        .get(
            &format!("/api/v1/users/{id}/history"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(h.status, StatusCode::OK, "{:?}", h.body);
    h.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn failed_logins_get_a_growing_delay_then_a_lock_recorded_in_history() {
    let app = spawn_app().await;
    app.add_user("target", Role::Expert, None, None).await;
    let id = user_id(&app, "target").await;
    for i in 1..=5 {
        let r = app.login("target", "wrong-password-guess").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }
    // The 6th attempt waits a second after the 5th failure, even with the right password.
    let r = app.login("target", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{:?}", r.body);
    assert!(r.is_problem());
    assert_eq!(retry_after(&r), 1);
    app.clock.advance(Duration::seconds(1));
    assert_eq!(
        app.login("target", "wrong-password-guess").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app.login("target", "wrong-password-guess").await;
    assert_eq!(retry_after(&r), 2, "the delay grows");

    // On to the 20th failure, each as soon as allowed: then a 15-minute lock.
    let mut failures = 6;
    while failures < 20 {
        let r = app.login("target", "wrong-password-guess").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            app.clock
                .advance(Duration::seconds(i64::try_from(retry_after(&r)).unwrap()));
            continue;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        failures += 1;
    }
    let r = app.login("target", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&r), 900, "locked for 15 minutes");
    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.login("target", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.login("target", PASSWORD).await.status, StatusCode::OK);
    // A success clears the account's count: a wrong password is a plain 401 again (once the
    // address, which failed twenty times too, has waited its second).
    app.clock.advance(Duration::minutes(1));
    assert_eq!(
        app.login("target", "wrong-password-guess").await.status,
        StatusCode::UNAUTHORIZED
    );

    let h = history(&app, id).await;
    let kinds: Vec<&str> = h.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert!(kinds.contains(&"login_throttled"), "{kinds:?}");
    assert!(kinds.contains(&"login_locked"), "{kinds:?}");
    let text = serde_json::to_string(&h).unwrap();
    assert!(!text.contains("wrong-password-guess") && !text.contains(PASSWORD));
    // Counted in the database (shared by every instance).
    use sea_orm::EntityTrait;
    let rows = entity::login_throttle::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .any(|r| r.key == "account:target" && r.failures == 1),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.key.starts_with("address:")),
        "{rows:?}"
    );
}

#[tokio::test]
async fn an_unknown_account_and_a_wrong_password_answer_alike_throttled_or_not() {
    let app = spawn_app().await;
    app.add_user("target", Role::Expert, None, None).await;
    let mut answers = Vec::new();
    for name in ["target", "no-such-account"] {
        let mut seen = Vec::new();
        for _ in 0..7 {
            let r = app.login(name, "wrong-password-guess").await;
            seen.push((
                r.status,
                r.body.clone(),
                r.headers.get("retry-after").cloned(),
            ));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0][6].0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_burst_of_parallel_wrong_logins_is_charged_one_by_one() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let client = app.client.clone();
        let url = format!("{}/api/v1/auth/token", app.base);
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"username": "admin", "password": "wrong-password-guess"}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let count = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
    // The clock stands still: exactly the first five are checked, the rest refused.
    assert_eq!(count(StatusCode::UNAUTHORIZED), 5, "{statuses:?}");
    assert_eq!(count(StatusCode::TOO_MANY_REQUESTS), 35, "{statuses:?}");
}

#[tokio::test]
async fn saturated_hashing_is_answered_503_with_retry_after() {
    let (db_url, dir) = fresh_database().await;
    let mut s = settings(&db_url);
    s.auth.hash_concurrency = Some(1);
    s.auth.hash_wait_ms = 50;
    let app = start_with_settings(s, dir).await;
    let paused = app.state.hasher.pause().await;
    let r = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{:?}", r.body);
    assert!(r.is_problem());
    assert!(retry_after(&r) >= 1);
    drop(paused);
    assert_eq!(
        app.login("admin", ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_password_change_invalidates_every_earlier_token() {
    let app = spawn_app().await;
    let t1 = app.add_user("changer", Role::Expert, None, None).await;
    let t2 = app.login_token("changer", PASSWORD).await;
    let change = |token: String, body: Value| {
        let app = &app;
        async move {
            app.request(
                Method::POST,
                "/api/v1/users/me/password",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let new = "a-brand-new-password-42";
    for (case, body, field) in [
        (
            "wrong current",
            json!({"current_password": "not-the-password", "new_password": new}),
            "current_password",
        ),
        (
            "common",
            json!({"current_password": PASSWORD, "new_password": "Password1234"}),
            "new_password",
        ),
        (
            "too short",
            json!({"current_password": PASSWORD, "new_password": "short"}),
            "new_password",
        ),
        (
            "same",
            json!({"current_password": PASSWORD, "new_password": PASSWORD}),
            "new_password",
        ),
    ] {
        let r = change(t1.clone(), body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), [field], "{case}");
    }
    let r = change(
        t1.clone(),
        json!({"current_password": PASSWORD, "new_password": new}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let t3 = r.body["access_token"].as_str().unwrap().to_owned();
    for old in [&t1, &t2] {
        let r = app
            .request(Method::GET, "/api/v1/users/me", Some(old), None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap()
                .contains("password changed"),
            "{:?}",
            r.body
        );
    }
    let r = app
        .request(Method::GET, "/api/v1/users/me", Some(&t3), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.login("changer", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.login("changer", new).await.status, StatusCode::OK);
    let id = user_id(&app, "changer").await;
    let h = history(&app, id).await;
    assert!(h.iter().any(|e| e["kind"] == "password_changed"), "{h:?}");
    let text = serde_json::to_string(&h).unwrap();
    assert!(!text.contains(new) && !text.contains(PASSWORD));
}

#[tokio::test]
async fn the_commission_resets_a_password_and_lifts_a_lock() {
    let app = spawn_app().await;
    let old_token = app.add_user("forgetful", Role::Expert, None, None).await;
    let id = user_id(&app, "forgetful").await;
    // Locked out by twenty failures.
    let mut failures = 0;
    while failures < 20 {
        let r = app.login("forgetful", "wrong-password-guess").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            app.clock
                .advance(Duration::seconds(i64::try_from(retry_after(&r)).unwrap()));
            continue;
        }
        failures += 1;
    }
    assert_eq!(
        app.login("forgetful", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let path = format!("/api/v1/users/{id}/password");
    let new = "reset-by-the-commission-7";
    let r = app
        .post(&path, Some(Role::Expert), json!({"new_password": new}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            "/api/v1/users/99999/password",
            Some(Role::Commission),
            json!({"new_password": new}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for weak in ["short", "            ", "qwerty123456"] {
        let r = app
            .post(&path, Some(Role::Commission), json!({"new_password": weak}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak:?}");
        assert_eq!(r.error_fields(), ["new_password"]);
    }
    let r = app
        .post(&path, Some(Role::Commission), json!({"new_password": new}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    let r = app
        .request(Method::GET, "/api/v1/users/me", Some(&old_token), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Within the lock's fifteen minutes (past the address's own delay), the new password works.
    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.login("forgetful", new).await.status, StatusCode::OK);
    let h = history(&app, id).await;
    let reset = h.iter().find(|e| e["kind"] == "password_reset").unwrap();
    assert_eq!(reset["actor"]["role"], "commission", "{reset:?}");
}

#[tokio::test]
async fn new_accounts_follow_the_password_policy() {
    let app = spawn_app().await;
    for (case, username, password) in [
        ("common", "someone-new", "1qaz2wsx3edc"),
        ("the username", "someone-long-name", "Someone-Long-Name"),
        ("whitespace", "someone-new", "              "),
        ("short", "someone-new", "short-pass"),
    ] {
        let r = app
            .post(
                "/api/v1/users",
                Some(Role::Commission),
                json!({"username": username, "password": password, "role": "expert"}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), ["password"], "{case}");
    }
}
