use jiebang::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn bindings_must_exist_and_fit_the_role() {
    let app = spawn_app().await;
    for (case, body, fields) in [
        (
            "unknown district",
            json!({"username": "dist2", "password": PASSWORD, "role": "district", "district_code": "999999"}),
            vec!["district_code"],
        ),
        (
            "district without binding",
            json!({"username": "dist3", "password": PASSWORD, "role": "district"}),
            vec!["district_code"],
        ),
        (
            "unknown organisation",
            json!({"username": "appl2", "password": PASSWORD, "role": "applicant", "organisation_id": 9999}),
            vec!["organisation_id"],
        ),
        (
            "expert with a district",
            json!({"username": "expert2", "password": PASSWORD, "role": "expert", "district_code": "500101"}),
            vec!["district_code"],
        ),
        (
            "short password and bad name",
            json!({"username": "a b", "password": "short", "role": "expert"}),
            vec!["username", "password"],
        ),
    ] {
        let r = app
            .post("/api/v1/users", Some(Role::Commission), body)
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), fields, "{case}");
    }
    let users = app.get("/api/v1/users", Some(Role::Commission)).await;
    assert_eq!(
        users.body.as_array().unwrap().len(),
        6,
        "admin + five role accounts, nothing more"
    );

    let dup = app
        .post(
            "/api/v1/users",
            Some(Role::Commission),
            json!({"username": "test-expert", "password": PASSWORD, "role": "expert"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn organisations_check_the_credit_code_and_are_scoped() {
    let app = spawn_app().await;
    let bad = app
        .post(
            "/api/v1/organisations",
            Some(Role::Commission),
            json!({"name": "示例公司", "uscc": "91500105MA00000010", "district_code": "500105"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["uscc"]);

    let other = app.add_organisation("示例另一公司", "500101", 2).await;
    // The district officer of 500105 sees its own district's only; the applicant its own only.
    let seen = app.get("/api/v1/organisations", Some(Role::District)).await;
    let ids: Vec<i64> = seen
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![app.organisation_id]);
    let seen = app
        .get("/api/v1/organisations", Some(Role::Applicant))
        .await;
    let ids: Vec<i64> = seen
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![app.organisation_id]);
    let r = app
        .get(
            &format!("/api/v1/organisations/{other}"),
            Some(Role::Applicant),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .get(
            &format!("/api/v1/organisations/{other}"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // A district officer cannot register an organisation in another district.
    let r = app
        .post(
            "/api/v1/organisations",
            Some(Role::District),
            json!({"name": "示例外区公司", "uscc": jiebang::domain::codes::Uscc::with_check("91500101MA0000099").unwrap(), "district_code": "500101"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.get("/api/v1/organisations", Some(Role::Platform)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
