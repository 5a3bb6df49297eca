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

/// The `(kind, actor username, actor role)` of each entry of a history.
fn steps(h: &serde_json::Value) -> Vec<(String, String, String)> {
    h.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["actor"]["username"].as_str().unwrap_or("").to_owned(),
                e["actor"]["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `path → new value` of each change of a history entry.
fn changed(entry: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["path"].as_str().unwrap().to_owned(), c["value"].clone()))
        .collect()
}

#[tokio::test]
async fn an_accounts_history_is_the_commissions_and_never_shows_the_password() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/users",
            Some(Role::Commission),
            json!({"username": "officer-2", "password": PASSWORD, "role": "district", "district_code": "500101"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/users/{id}/history");

    let h = app.get(&path, Some(Role::Commission)).await;
    assert_eq!(h.status, StatusCode::OK, "{:?}", h.body);
    assert_eq!(
        steps(&h.body),
        vec![("create".into(), "admin".into(), "commission".into())]
    );
    assert_eq!(h.body[0]["version"], 1);
    let mut changes = changed(&h.body[0]);
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        changes,
        vec![
            ("/district_code".into(), json!("500101")),
            ("/role".into(), json!("district")),
            ("/username".into(), json!("officer-2")),
        ],
        "what was created, and nothing of the password"
    );
    assert!(!h.body.to_string().contains(PASSWORD));

    for role in [
        Role::District,
        Role::Applicant,
        Role::Expert,
        Role::Evaluator,
        Role::Platform,
    ] {
        assert_eq!(
            app.get(&path, Some(role)).await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
    assert_eq!(app.get(&path, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/users/9999/history", Some(Role::Commission))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A refused account leaves nothing in the log.
    let r = app
        .post(
            "/api/v1/users",
            Some(Role::Commission),
            json!({"username": "officer-2", "password": PASSWORD, "role": "expert"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let h = app.get(&path, Some(Role::Commission)).await;
    assert_eq!(h.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_organisations_history_is_read_by_the_commission_and_its_own_applicants() {
    let app = spawn_app().await;
    let own = app.organisation_id;
    let other = app.add_organisation("示例另一公司", "500101", 2).await;
    // A district officer registers one of its own district's.
    let uscc = jiebang::domain::codes::Uscc::with_check("91500105MA0000077").unwrap();
    let r = app
        .post(
            "/api/v1/organisations",
            Some(Role::District),
            json!({"name": "示例区县登记公司", "uscc": uscc, "district_code": HOME_DISTRICT, "registered_capital": 1000.5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let by_officer = r.body["id"].as_i64().unwrap();

    let h = app
        .get(
            &format!("/api/v1/organisations/{own}/history"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(h.status, StatusCode::OK, "{:?}", h.body);
    assert_eq!(
        steps(&h.body),
        vec![("create".into(), "admin".into(), "commission".into())]
    );
    let changes = changed(&h.body[0]);
    assert!(
        changes.contains(&("/name".into(), json!("示例科技有限公司"))),
        "{changes:?}"
    );
    assert!(changes.iter().any(|(p, _)| p == "/uscc"), "{changes:?}");

    let h = app
        .get(
            &format!("/api/v1/organisations/{by_officer}/history"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(
        steps(&h.body),
        vec![("create".into(), "test-district".into(), "district".into())]
    );
    assert!(changed(&h.body[0]).contains(&("/registered_capital".into(), json!(1000.5))));

    // Its own applicant account reads it; another organisation's is not there for it.
    let h = app
        .get(
            &format!("/api/v1/organisations/{own}/history"),
            Some(Role::Applicant),
        )
        .await;
    assert_eq!(h.status, StatusCode::OK, "{:?}", h.body);
    assert_eq!(h.body.as_array().unwrap().len(), 1);
    for (id, role, want) in [
        (other, Role::Applicant, StatusCode::NOT_FOUND),
        (own, Role::District, StatusCode::FORBIDDEN),
        (own, Role::Expert, StatusCode::FORBIDDEN),
        (own, Role::Platform, StatusCode::FORBIDDEN),
        (9999, Role::Commission, StatusCode::NOT_FOUND),
    ] {
        let r = app
            .get(&format!("/api/v1/organisations/{id}/history"), Some(role))
            .await;
        assert_eq!(r.status, want, "{role} reading organisation {id}");
    }
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{own}/history"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
