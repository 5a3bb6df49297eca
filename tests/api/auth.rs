use jiebang::clock::Clock;
use jiebang::domain::role::Role;
use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::{Method, StatusCode};
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
    for (case, token) in [
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
    second.stop().await;
}

impl TestApp {
    pub fn clock_now(&self) -> i64 {
        self.clock.now().timestamp()
    }
}
