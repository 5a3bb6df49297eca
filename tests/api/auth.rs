use jiebang::clock::Clock;
use jiebang::domain::role::Role;
use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use sea_orm::EntityTrait;
use serde_json::json;

use crate::helpers::*;

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn claims(now: i64, aud: &str, exp: i64) -> serde_json::Value {
    json!({"sub": "1", "role": "commission", "iss": "jiebang", "aud": aud, "iat": now, "exp": now + exp})
}

fn sign(c: &serde_json::Value, secret: &str) -> String {
    encode(
        &Header::default(),
        c,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn login_good_and_bad() {
    let app = spawn_app().await;
    let ok = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["token_type"], "Bearer");
    assert_eq!(
        ok.body["expires_in"],
        settings("sqlite::memory:").auth.token_ttl_secs
    );

    let wrong_password = app.login("admin", "not-the-password").await;
    let no_such_user = app.login("nobody-here", "not-the-password").await;
    for r in [&wrong_password, &no_such_user] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.is_problem());
    }
    // The same answer whether or not the user exists.
    assert_eq!(wrong_password.body, no_such_user.body);

    let me = app.get("/api/v1/users/me", Some(Role::District)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["role"], "district");
    assert_eq!(me.body["district_code"], HOME_DISTRICT);
}

#[tokio::test]
async fn bad_tokens_are_401() {
    let app = spawn_app().await;
    let now = app.clock_now();
    let good = sign(&claims(now, "jiebang-api", 600), SECRET);
    let r = app
        .request(Method::GET, "/api/v1/users/me", Some(&good), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a well-formed token works: {:?}",
        r.body
    );

    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let forged_payload = b64url(
        serde_json::to_string(&claims(now, "jiebang-api", 99_999))
            .unwrap()
            .as_bytes(),
    );
    parts[1] = forged_payload;
    let tampered = parts.join(".");
    let expired = sign(&claims(now - 7200, "jiebang-api", 600), SECRET);
    let wrong_aud = sign(&claims(now, "someone-else", 600), SECRET);
    let wrong_key = sign(
        &claims(now, "jiebang-api", 600),
        "another-secret-another-secret-another",
    );
    let none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(
            serde_json::to_string(&claims(now, "jiebang-api", 600))
                .unwrap()
                .as_bytes()
        )
    );
    let mut no_exp = claims(now, "jiebang-api", 600);
    no_exp.as_object_mut().unwrap().remove("exp");
    let no_exp = sign(&no_exp, SECRET);
    let with_header = |h: Header| {
        encode(
            &h,
            &claims(now, "jiebang-api", 600),
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap()
    };
    let crit = with_header(Header {
        crit: Some(vec!["exp".into()]),
        ..Header::default()
    });
    let unknown_kid = with_header(Header {
        kid: Some("no-such-key".into()),
        ..Header::default()
    });
    let mut later = claims(now, "jiebang-api", 7200);
    later["nbf"] = json!(now + 3600);
    let not_yet = sign(&later, SECRET);
    let bad_role = sign(
        &json!({"sub": "1", "role": "none", "iss": "jiebang", "aud": "jiebang-api", "iat": now, "exp": now + 600}),
        SECRET,
    );
    for (case, token) in [
        ("crit header", crit),
        ("unknown kid", unknown_kid),
        ("nbf in the future", not_yet),
        ("unknown role", bad_role),
        ("tampered", tampered),
        ("expired", expired),
        ("wrong audience", wrong_aud),
        ("wrong key", wrong_key),
        ("alg none", none),
        ("no exp", no_exp),
        ("garbage", "not.a.token".to_owned()),
    ] {
        let r = app
            .request(Method::GET, "/api/v1/users/me", Some(&token), None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{case}: {:?}", r.body);
        assert!(r.is_problem(), "{case}");
        // Generic sentences, never the parser's own words.
        let detail = r.body["detail"].as_str().unwrap();
        assert!(
            [
                "the token is not valid; log in again",
                "the token has expired; log in again",
                "the token is not valid yet",
            ]
            .contains(&detail),
            "{case}: {detail}"
        );
    }
    let r = app
        .request(Method::GET, "/api/v1/users/me", None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers.get("www-authenticate").unwrap(), "Bearer");
}

#[tokio::test]
async fn commission_only_routes_refuse_other_roles() {
    let app = spawn_app().await;
    let routes: Vec<(Method, &str, serde_json::Value)> = vec![
        (Method::GET, "/api/v1/users", json!(null)),
        (
            Method::POST,
            "/api/v1/users",
            json!({"username": "someone", "password": PASSWORD, "role": "expert"}),
        ),
        (
            Method::PUT,
            "/api/v1/districts/500101/industry-map",
            json!({"leading": [], "characteristic": []}),
        ),
        (
            Method::POST,
            "/api/v1/clusters",
            json!({"code": "smart_home", "name": "智能家居", "tier": "rising_star"}),
        ),
        (
            Method::PATCH,
            "/api/v1/clusters/motorcycle",
            json!({"name": "摩托车"}),
        ),
        (
            Method::POST,
            "/api/v1/industry-classes/import",
            json!([{"code": "269", "name": "x", "parent": "26"}]),
        ),
    ];
    for (method, path, body) in &routes {
        let body = (!body.is_null()).then(|| body.clone());
        let anon = app.request(method.clone(), path, None, body.clone()).await;
        assert_eq!(
            anon.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} anonymous"
        );
        assert!(anon.is_problem());
        for role in [
            Role::District,
            Role::Applicant,
            Role::Expert,
            Role::Evaluator,
            Role::Platform,
        ] {
            let r = app
                .request(method.clone(), path, Some(app.token(role)), body.clone())
                .await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{method} {path} as {role}: {:?}",
                r.body
            );
            assert!(r.is_problem());
        }
    }
    // Nothing was changed by the refused calls.
    let clusters = app.get("/api/v1/clusters", None).await;
    assert_eq!(clusters.body.as_array().unwrap().len(), 12);
    let m = app.get("/api/v1/clusters", None).await;
    assert!(m
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "高端摩托车"));
}

#[tokio::test]
async fn restart_on_the_same_sqlite_file_keeps_users_and_tokens() {
    let (db_url, dir) = fresh_database().await;
    let mut first = start(&db_url, dir).await;
    first.tokens.insert(
        Role::Commission,
        first.login_token("admin", ADMIN_PASSWORD).await,
    );
    let token = first.add_user("keeper", Role::Expert, None, None).await;
    let dir = first.stop().await;

    let second = start(&db_url, dir).await;
    let r = second
        .request(Method::GET, "/api/v1/users/me", Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["username"], "keeper");
    assert_eq!(
        second.login("keeper", PASSWORD).await.status,
        StatusCode::OK
    );
    // The bootstrap did not run twice.
    assert_eq!(admins(&second).await, 1);
    second.stop().await;
}

/// The number of accounts named `admin`, read from the database.
async fn admins(app: &TestApp) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::user::Entity::find()
        .filter(entity::user::Column::Username.eq("admin"))
        .all(&app.state.db)
        .await
        .unwrap()
        .len()
}

/// Every byte of the SQLite database's files (the main file, its WAL and shared memory).
fn database_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("test.db") && !name.ends_with(".keys") {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(all.len() > 10_000, "the database files were read");
    all
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The secrets of a key file (token keys and the sealing key).
fn key_file_secrets(path: &std::path::Path) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut out: Vec<String> = v["token_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["secret"].as_str().unwrap().to_owned())
        .collect();
    out.push(v["sealing_key"].as_str().unwrap().to_owned());
    out
}

/// Settings with no configured token or sealing key, on an SQLite file in `dir`.
fn keyless(dir: &std::path::Path) -> jiebang::settings::Settings {
    let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
    let mut s = settings(&url);
    s.auth.secret = None;
    s.sealing.key = None;
    s
}

/// Issue 15: the path a fresh install takes — no secret configured — keeps users and tokens
/// across a restart, with the keys in a private file beside the database and none in it.
#[tokio::test]
async fn restart_without_a_configured_secret_keeps_users_and_tokens_and_no_key_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let key_file = path.join("test.db.keys");
    let s = keyless(&path);
    let mut first = start_with_settings(s.clone(), Some(dir)).await;
    first.tokens.insert(
        Role::Commission,
        first.login_token("admin", ADMIN_PASSWORD).await,
    );
    let token = first.add_user("keeper", Role::Expert, None, None).await;
    let dir = first.stop().await;

    assert!(key_file.exists(), "the key file is beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
    let secrets = key_file_secrets(&key_file);
    assert_eq!(secrets.len(), 2, "one token key and the sealing key");
    assert_ne!(secrets[0], secrets[1], "the keys are kept apart");

    let second = start_with_settings(s, dir).await;
    let r = second
        .request(Method::GET, "/api/v1/users/me", Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "the token survives: {:?}", r.body);
    assert_eq!(r.body["username"], "keeper");
    assert_eq!(
        second.login("keeper", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(admins(&second).await, 1, "the bootstrap ran once");
    assert_eq!(key_file_secrets(&key_file), secrets, "the same keys");
    let settings_rows = entity::app_setting::Entity::find()
        .all(&second.state.db)
        .await
        .unwrap();
    assert!(settings_rows.is_empty(), "{settings_rows:?}");
    let _dir = second.stop().await;

    let bytes = database_bytes(&path);
    for secret in &secrets {
        assert!(
            !contains(&bytes, secret.as_bytes()),
            "a key is in the database"
        );
        assert!(!contains(&bytes, &hex::decode(secret).unwrap()));
    }
}

/// An existing deployment: the database still holds the generated key of an earlier version and
/// has run every migration but the credentials one (9, landed after 11). The start moves the key
/// into the key file and deletes it; tokens signed with it still work; bids sealed under it are
/// re-sealed under the new sealing key and still open and verify.
#[tokio::test]
async fn an_upgrade_moves_the_key_out_of_the_database_and_keeps_tokens_and_sealed_bids() {
    use chrono::Duration;
    use jiebang::domain::sealing;
    use sea_orm::{ConnectionTrait, EntityTrait, Statement};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let key_file = path.join("test.db.keys");
    let s = keyless(&path);
    let mut first = start_with_settings(s.clone(), Some(dir)).await;
    first.tokens.insert(
        Role::Commission,
        first.login_token("admin", ADMIN_PASSWORD).await,
    );
    let (call, sha) = crate::calls::call_with_one_bid(&first).await;
    let sealing_key = key_file_secrets(&key_file).pop().unwrap();

    // Back to the earlier version's state: receipts sealed under the key derived from the
    // token secret kept in the database, and migration 9 not applied.
    let old = "5e".repeat(32);
    let db = first.state.db.clone();
    let backend = db.get_database_backend();
    let sql = |q: &str| Statement::from_string(backend, q.to_owned());
    for r in entity::bid_receipt::Entity::find().all(&db).await.unwrap() {
        let aad = jiebang::domain::bid::aad(r.call_id, r.organisation_id);
        let plain = sealing::unseal(
            &sealing::bid_key_v2(sealing_key.as_bytes(), r.call_id),
            &aad,
            &r.sealed,
        )
        .unwrap();
        let v1 = sealing::seal(&sealing::bid_key(old.as_bytes(), r.call_id), &aad, &plain).unwrap();
        db.execute(Statement::from_sql_and_values(
            backend,
            "UPDATE bid_receipt SET sealed = ? WHERE id = ?",
            [v1.into(), r.id.into()],
        ))
        .await
        .unwrap();
    }
    for q in [
        "ALTER TABLE bid_receipt DROP COLUMN key_version",
        "ALTER TABLE app_user DROP COLUMN credential_version",
        "DROP TABLE login_throttle",
        "DELETE FROM seaql_migrations WHERE version = 'm20261202_000009_credentials'",
    ] {
        db.execute(sql(q)).await.unwrap();
    }
    db.execute(Statement::from_sql_and_values(
        backend,
        "INSERT INTO app_setting (key, value, updated_at) VALUES (?, ?, ?)",
        ["jwt_secret".into(), old.clone().into(), start_time().into()],
    ))
    .await
    .unwrap();
    // A token of the earlier version: no kid, no credential version, no nbf.
    let now = start_time().timestamp();
    let old_token = sign(
        &json!({"sub": "1", "role": "commission", "iss": "jiebang", "aud": "jiebang-api", "iat": now, "exp": now + 60 * 86_400}),
        &old,
    );
    let dir = first.stop().await;
    std::fs::remove_file(&key_file).unwrap();

    let second = start_with_settings(s, dir).await;
    // The migration skipped in the list's order ran.
    let applied: Vec<String> = migration::Migrator::get_applied_migrations(&second.state.db)
        .await
        .unwrap()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    use migration::MigratorTrait;
    assert!(applied.contains(&"m20261202_000009_credentials".to_owned()));
    assert!(
        migration::Migrator::get_pending_migrations(&second.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    // The key moved into the file, and out of the database.
    assert!(key_file.exists());
    let secrets = key_file_secrets(&key_file);
    assert!(secrets.contains(&old), "the old key is in the key file");
    assert!(entity::app_setting::Entity::find()
        .all(&second.state.db)
        .await
        .unwrap()
        .is_empty());
    // Its tokens still work.
    let r = second
        .request(Method::GET, "/api/v1/users/me", Some(&old_token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["username"], "admin");
    // The bids were re-sealed under the new key and open and verify.
    let receipts = entity::bid_receipt::Entity::find()
        .all(&second.state.db)
        .await
        .unwrap();
    assert!(!receipts.is_empty());
    assert!(receipts.iter().all(|r| r.key_version == 2), "{receipts:?}");
    second
        .clock
        .set(crate::calls::closes() + Duration::minutes(1));
    let opening = second
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/opening"),
            Some(&old_token),
            None,
        )
        .await;
    assert_eq!(opening.status, StatusCode::OK, "{:?}", opening.body);
    let checks = opening.body["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0]["verified"], true, "{:?}", opening.body);
    assert_eq!(checks[0]["sha256"], sha);
    let _dir = second.stop().await;
    // No copy of the old key is left in the database's files.
    let bytes = database_bytes(&path);
    assert!(
        !contains(&bytes, old.as_bytes()),
        "the old key is still in the database files"
    );
}

impl TestApp {
    pub fn clock_now(&self) -> i64 {
        self.clock.now().timestamp()
    }
}

/// `jiebang keys rotate` (here its function) on the key file of a running deployment: after the
/// restart a new key signs (another `kid`), and tokens of the previous key still verify.
#[tokio::test]
async fn a_rotated_key_signs_and_the_previous_one_still_verifies_its_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let s = keyless(dir.path());
    let mut first = start_with_settings(s.clone(), Some(dir)).await;
    first.tokens.insert(
        Role::Commission,
        first.login_token("admin", ADMIN_PASSWORD).await,
    );
    let before = first.add_user("rotator", Role::Expert, None, None).await;
    let kid = |t: &str| jsonwebtoken::decode_header(t).unwrap().kid.unwrap();
    let old_kid = kid(&before);
    let dir = first.stop().await;

    let rotation = jiebang::keys::rotate(&s, start_time()).unwrap();
    assert_eq!(rotation.retired_kid.as_deref(), Some(old_kid.as_str()));

    let second = start_with_settings(s, dir).await;
    let after = second.login_token("rotator", PASSWORD).await;
    assert_eq!(kid(&after), rotation.new_kid);
    assert_ne!(kid(&after), old_kid);
    for token in [&before, &after] {
        let r = second
            .request(Method::GET, "/api/v1/users/me", Some(token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
    let _dir = second.stop().await;
}
