//! Input hygiene: text no official record should hold is refused by field and changes nothing;
//! pages out of range are a 400, never a panic.

use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;
use crate::proposals::{create_round, file, sample};

#[tokio::test]
async fn dirty_text_is_refused_by_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    create_round(&app).await;
    let officer = app.token(Role::District).to_owned();
    let cases = [
        (
            "/form/brain_name",
            json!("示例\u{0000}大脑"),
            "form.brain_name",
        ),
        ("/form/brain_name", json!("示例\n大脑"), "form.brain_name"),
        (
            "/form/brain_name",
            json!("\u{202E}脑大例示"),
            "form.brain_name",
        ),
        (
            "/form/brain_name",
            json!("\u{200B}\u{200D}"),
            "form.brain_name",
        ),
        ("/plan/basis", json!("第一段\u{0007}"), "plan.basis"),
    ];
    for (pointer, value, field) in cases {
        let mut body = sample(HOME_DISTRICT, "light_textile");
        *body.pointer_mut(pointer).unwrap() = value.clone();
        let r = file(&app, &officer, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value:?}: {:?}",
            r.body
        );
        assert!(r.is_problem());
        assert_eq!(r.error_fields(), [field], "{value:?}");
    }
    // Long texts keep their line breaks and tabs.
    let mut body = sample(HOME_DISTRICT, "light_textile");
    body["plan"]["basis"] = json!(
        "本区日化产业集聚明显。\n\t龙头企业数字化基础较好，已建成多条智能产线和工业互联网平台。"
    );
    let r = file(&app, &officer, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let list = app
        .get(
            "/api/v1/rounds/2024/proposals?counts=true",
            Some(Role::District),
        )
        .await;
    assert_eq!(list.body["total"], 1, "only the clean proposal was stored");
}

#[tokio::test]
async fn pages_out_of_range_are_refused_naming_the_field() {
    let app = spawn_app().await;
    create_round(&app).await;
    for (query, status, field) in [
        ("limit=0", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
        ("limit=101", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
        ("after=-1", StatusCode::UNPROCESSABLE_ENTITY, "after"),
        (
            "limit=18446744073709551616",
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        ("limit=-1", StatusCode::BAD_REQUEST, "limit"),
        ("after=abc", StatusCode::BAD_REQUEST, "after"),
        (
            "after=9223372036854775808",
            StatusCode::BAD_REQUEST,
            "after",
        ),
        ("counts=yes", StatusCode::BAD_REQUEST, "counts"),
        ("page=2", StatusCode::BAD_REQUEST, "page"),
        ("per_page=10", StatusCode::BAD_REQUEST, "per_page"),
    ] {
        let r = app
            .get(
                &format!("/api/v1/rounds/2024/proposals?{query}"),
                Some(Role::Commission),
            )
            .await;
        assert_eq!(r.status, status, "{query}: {:?}", r.body);
        assert!(r.is_problem(), "{query}");
        assert!(
            r.error_fields().iter().any(|f| f == field),
            "{query}: {:?}",
            r.body
        );
    }
    let r = app
        .get(
            "/api/v1/rounds/2024/proposals?after=9223372036854775807&limit=100",
            Some(Role::Commission),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["next_after"], serde_json::Value::Null);
}

#[tokio::test]
async fn an_import_over_the_row_limit_is_refused_whole() {
    let app = spawn_app().await;
    create_round(&app).await;
    let row = json!({"sealed_by": "nobody", "sealed_at": "2024-02-27T10:00:00+08:00", "statement": "同意"});
    let rows = vec![row; 5_001];
    let r = app
        .post(
            "/api/v1/rounds/2024/proposals/import",
            Some(Role::Commission),
            json!(rows),
        )
        .await;
    // Either the body limit or the row limit stops it; nothing is imported and nothing fails.
    assert!(
        matches!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::PAYLOAD_TOO_LARGE
        ),
        "{:?}",
        r.status
    );
    assert!(r.is_problem());
}

#[tokio::test]
async fn security_headers_on_every_answer() {
    let app = spawn_app().await;
    let header = |r: &Reply, name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    for (path, cache) in [
        ("/healthz", None),
        ("/api/v1/nowhere", None),
        // Cached public reads say so: any cache may keep them, revalidating by ETag.
        ("/api/v1/districts", Some("public, no-cache")),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(
            header(&r, "x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            header(&r, "cache-control").as_deref(),
            cache,
            "{path}: public answers may be cached"
        );
    }
    let r = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some("no-store"),
        "the token response"
    );
    let r = app.get("/api/v1/users/me", Some(Role::Commission)).await;
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some("no-store"),
        "authenticated"
    );
    assert_eq!(
        header(&r, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let r = app.get("/swagger-ui/", None).await;
    let csp = header(&r, "content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
}

#[tokio::test]
async fn if_match_star_matches_any_current_version_and_swagger_ui_is_found_without_the_slash() {
    let app = spawn_app().await;
    create_round(&app).await;
    let officer = app.token(Role::District).to_owned();
    let r = file(&app, &officer, sample(HOME_DISTRICT, "light_textile")).await;
    let id = r.body["id"].as_i64().unwrap();
    let r = app
        .request_with(
            reqwest::Method::PATCH,
            &format!("/api/v1/proposals/{id}"),
            Some(&officer),
            Some(json!({"form": {"brain_name": "示例改名大脑"}})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["version"], 2);
    let r = app
        .request_with(
            reqwest::Method::PATCH,
            &format!("/api/v1/proposals/{id}"),
            Some(&officer),
            Some(json!({"form": {"brain_name": "示例再改"}})),
            &[("if-match", "W/\"proposal-1-v2\"")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::PRECONDITION_FAILED,
        "a weak tag never matches"
    );

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // `/` is the public home page (see `pages.rs`); `/swagger-ui` leads to the Swagger UI.
    let r = client
        .get(format!("{}/swagger-ui", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers()["location"], "/swagger-ui/");
}

/// What schemathesis found (issue 12): a path integer written as JSON Schema counts integers
/// (`2024.0`) is that integer; a struct body sent as an array is refused; an empty `If-Match`
/// names no version (428, as when absent); a query filter may be given alone.
#[tokio::test]
async fn the_contract_s_integers_arrays_and_preconditions_are_read_as_it_says() {
    let app = spawn_app().await;
    create_round(&app).await;
    let r = app.get("/api/v1/rounds/2024.0", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["year"], 2024);
    let r = app.get("/api/v1/rounds/2024.5", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_fields(), vec!["year"]);

    let commission = app.token(Role::Commission).to_owned();
    let r = app
        .request(
            Method::PATCH,
            "/api/v1/clusters/smart_home",
            Some(&commission),
            Some(json!([null, null])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    let r = app
        .request_with(
            Method::PATCH,
            "/api/v1/rounds/2024",
            Some(&commission),
            Some(json!({"list_size": 3})),
            &[("if-match", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{}", r.body);
    // Invalid content is a 422 whatever version it names.
    let r = app
        .request_with(
            Method::PATCH,
            "/api/v1/rounds/2024",
            Some(&commission),
            Some(json!({"title": ""})),
            &[("if-match", "\"stale\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    let r = app
        .get(
            "/api/v1/findings?subject_type=proposal",
            Some(Role::Commission),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// `jiebang user add` goes through the use case `POST /users` does: an empty username is
/// refused with a sentence naming the field, never database text.
#[tokio::test]
async fn the_cli_s_account_creation_refuses_an_empty_username_with_a_sentence() {
    let app = spawn_app().await;
    let err = jiebang::app::users::create_by_system(
        &app.state,
        jiebang::app::users::NewAccount {
            username: String::new(),
            password: "a-long-password-here".into(),
            role: Role::District,
            district_code: None,
            organisation_id: None,
        },
    )
    .await
    .unwrap_err();
    let sentence = err.sentence();
    assert!(
        sentence.contains("username: must be 3–64 characters"),
        "{sentence}"
    );
    assert!(sentence.contains("district_code: required"), "{sentence}");
    assert!(!sentence.to_lowercase().contains("sql"), "{sentence}");
}
