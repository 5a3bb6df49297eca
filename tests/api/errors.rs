//! Every kind of bad input answers problem+json and changes nothing.

use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn bad_input_is_problem_json() {
    let app = spawn_app().await;
    let admin = app.token(Role::Commission).to_owned();
    let url = |p: &str| format!("{}{p}", app.base);

    // Malformed JSON.
    let r = app
        .client
        .post(url("/api/v1/clusters"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"code\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/problem+json"));

    // Wrong type, unknown field, missing field: 422 naming the field.
    for (case, body, field) in [
        (
            "wrong type",
            json!({"code": "x_y", "name": 5, "tier": "trillion"}),
            "name",
        ),
        (
            "unknown field",
            json!({"code": "x_y", "name": "n", "tier": "trillion", "colour": 1}),
            "colour",
        ),
        ("missing field", json!({"code": "x_y", "name": "n"}), "tier"),
        (
            "bad enum",
            json!({"code": "x_y", "name": "n", "tier": "huge"}),
            "tier",
        ),
        (
            "bad code",
            json!({"code": "X Y", "name": "n", "tier": "trillion"}),
            "code",
        ),
    ] {
        let r = app
            .post("/api/v1/clusters", Some(Role::Commission), body)
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {:?}",
            r.body
        );
        assert!(r.is_problem(), "{case}");
        assert_eq!(r.error_fields(), vec![field.to_owned()], "{case}");
    }

    // A path that does not parse.
    let r = app
        .get("/api/v1/organisations/not-a-number", Some(Role::Commission))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());

    // A query that does not parse.
    let r = app.get("/api/v1/industry-classes?level=high", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());

    // Unknown route and wrong method.
    let r = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.is_problem());
    let r = app
        .request(
            Method::DELETE,
            "/api/v1/districts/500101",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.is_problem());
    assert_eq!(r.headers["allow"], "GET");

    // A body over the limit (64 KiB in tests).
    let big: Vec<_> = (0..5000)
        .map(|i| json!({"code": "269", "name": format!("名称{i}"), "parent": "26"}))
        .collect();
    let r = app
        .request(
            Method::POST,
            "/api/v1/industry-classes/import",
            Some(&admin),
            Some(json!(big)),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.is_problem());

    // Not JSON at all.
    let r = app
        .client
        .post(url("/api/v1/clusters"))
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // None of it changed anything.
    let clusters = app.get("/api/v1/clusters", None).await;
    assert_eq!(clusters.body.as_array().unwrap().len(), 12);
    let r = app.get("/api/v1/industry-classes?parent=26", None).await;
    assert_eq!(r.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let r = app.get("/healthz", None).await;
    assert!(r.headers.contains_key("x-request-id"));
    let r = app
        .request_with(
            Method::GET,
            "/readyz",
            None,
            None,
            &[("x-request-id", "abc-123")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["x-request-id"], "abc-123");
}
