use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn districts_are_41_in_24_11_6() {
    let app = spawn_app().await;
    let all = app.get("/api/v1/districts", None).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body.as_array().unwrap().len(), 41);
    for (region, n) in [("main_urban", 24), ("northeast", 11), ("southeast", 6)] {
        let r = app
            .get(&format!("/api/v1/districts?region={region}"), None)
            .await;
        assert_eq!(r.body.as_array().unwrap().len(), n, "{region}");
    }
    // The unfiltered list is cached now; an empty or unknown region is still refused, never
    // answered from the cache of the unfiltered list.
    for bad in ["", "east"] {
        let r = app
            .get(&format!("/api/v1/districts?region={bad}"), None)
            .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "region {bad:?}: {}",
            r.body
        );
        assert_eq!(r.body["errors"][0]["field"], "region", "{bad:?}");
    }
    let jb = app.get("/api/v1/districts/500105", None).await;
    assert_eq!(jb.body["name"], "江北区");
    let lj = app.get("/api/v1/districts/CQLJ", None).await;
    assert_eq!(
        (lj.body["name"].as_str(), lj.body["kind"].as_str()),
        (Some("两江新区"), Some("zone"))
    );
    assert_eq!(
        app.get("/api/v1/districts/999999", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn industry_map_limits() {
    let app = spawn_app().await;
    let entry = |code: &str| json!({"kind": "cluster", "code": code});
    let put = |code: &'static str, body: serde_json::Value| {
        let token = app.token(Role::Commission).to_owned();
        let app = &app;
        async move {
            app.request(
                Method::PUT,
                &format!("/api/v1/districts/{code}/industry-map"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let three = json!({"leading": [entry("icv_nev"), entry("electronic_info"), entry("new_display")],
                       "characteristic": [{"kind": "industry_class", "code": "2683"}]});
    let r = put("500105", three.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["leading"]);
    let r = put("CQLJ", three).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["map_version"], 1);
    assert_eq!(r.body["industry_map"]["characteristic"][0]["code"], "2683");

    let chars: Vec<_> = [
        "icv_nev",
        "food_agri",
        "motorcycle",
        "light_alloy",
        "biomedicine",
    ]
    .map(entry)
    .into();
    let five = json!({"leading": [], "characteristic": chars});
    let r = put("500101", five).await;
    assert_eq!(r.error_fields(), vec!["characteristic"]);
    let unknown = json!({"leading": [entry("no_such")], "characteristic": [{"kind": "industry_class", "code": "9999"}]});
    let r = put("500101", unknown).await;
    assert_eq!(
        r.error_fields(),
        vec!["leading[0].code", "characteristic[0].code"]
    );
    // Refused maps changed nothing.
    let d = app.get("/api/v1/districts/500101", None).await;
    assert_eq!(d.body["map_version"], 0);
    assert_eq!(d.body["industry_map"]["leading"], json!([]));
}

#[tokio::test]
async fn clusters_ship_twelve_and_commission_adds_rising_stars() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/clusters", None).await;
    let tiers: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers.iter().filter(|t| **t == "trillion").count(), 3);
    assert_eq!(
        tiers
            .iter()
            .filter(|t| **t == "five_hundred_billion")
            .count(),
        3
    );
    assert_eq!(tiers.iter().filter(|t| **t == "hundred_billion").count(), 6);

    let r = app
        .post(
            "/api/v1/clusters",
            Some(Role::Commission),
            json!({"code": "smart_home", "name": "智能家居", "tier": "rising_star"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let again = app
        .post(
            "/api/v1/clusters",
            Some(Role::Commission),
            json!({"code": "smart_home", "name": "智能家居", "tier": "rising_star"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let r = app
        .request(
            Method::PATCH,
            "/api/v1/clusters/smart_home",
            Some(app.token(Role::Commission)),
            Some(json!({"tier": "hundred_billion"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["tier"], "hundred_billion");
    assert_eq!(
        app.get("/api/v1/clusters", None)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        13
    );
}

#[tokio::test]
async fn industry_classes_ship_manufacturing_and_import_is_all_or_nothing() {
    let app = spawn_app().await;
    let majors = app.get("/api/v1/industry-classes?level=1", None).await;
    let codes: Vec<&str> = majors
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    for n in (13..=43).chain(63..=65) {
        assert!(codes.contains(&n.to_string().as_str()), "大类 {n} missing");
    }
    let chain = app.get("/api/v1/industry-classes?parent=268", None).await;
    assert_eq!(chain.body[0]["code"], "2683");

    let bad = json!([
        {"code": "269", "name": "其他化学产品制造", "parent": "26"},
        {"code": "2691", "name": "化学试剂制造", "parent": "26"},
        {"code": "2692", "name": "x", "parent": "269"},
        {"code": "27A", "name": "bad", "parent": "27"},
        {"code": "2771", "name": "orphan", "parent": "277"}
    ]);
    let r = app
        .post(
            "/api/v1/industry-classes/import",
            Some(Role::Commission),
            bad,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_fields(),
        vec!["[1].parent", "[3].code", "[4].parent"]
    );
    let r = app.get("/api/v1/industry-classes?parent=26", None).await;
    assert_eq!(r.body.as_array().unwrap().len(), 1, "nothing was imported");

    let good = json!([
        {"code": "269", "name": "其他化学产品制造", "parent": "26"},
        {"code": "2691", "name": "化学试剂和助剂制造", "parent": "269"}
    ]);
    let r = app
        .post(
            "/api/v1/industry-classes/import",
            Some(Role::Commission),
            good,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["imported"], 2);
    let r = app.get("/api/v1/industry-classes?parent=269", None).await;
    assert_eq!(r.body[0]["code"], "2691");
}

#[tokio::test]
async fn anyone_reads_an_industry_maps_history_with_who_changed_what() {
    let app = spawn_app().await;
    let empty = app.get("/api/v1/districts/CQLJ/history", None).await;
    assert_eq!(empty.status, StatusCode::OK, "{:?}", empty.body);
    assert_eq!(empty.body, json!([]), "the shipped map has no changes yet");
    let before = app.get("/api/v1/districts/CQLJ", None).await;

    let map = json!({"leading": [{"kind": "cluster", "code": "icv_nev"}],
                     "characteristic": [{"kind": "industry_class", "code": "2683"}]});
    let put = |body: serde_json::Value| {
        let token = app.token(Role::Commission).to_owned();
        let app = &app;
        async move {
            app.request(
                Method::PUT,
                "/api/v1/districts/CQLJ/industry-map",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    assert_eq!(put(map.clone()).await.status, StatusCode::OK);
    // A refused map is not in the history.
    let bad = json!({"leading": [{"kind": "cluster", "code": "no_such"}], "characteristic": []});
    assert_eq!(put(bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let second = json!({"leading": [{"kind": "cluster", "code": "electronic_info"}],
                        "characteristic": [{"kind": "industry_class", "code": "2683"}]});
    let r = put(second).await;
    assert_eq!(r.body["map_version"], 2);

    for who in [None, Some(Role::Platform), Some(Role::Applicant)] {
        let h = app.get("/api/v1/districts/CQLJ/history", who).await;
        assert_eq!(h.status, StatusCode::OK, "{who:?}");
        let entries = h.body.as_array().unwrap();
        assert_eq!(entries.len(), 2, "{who:?}: {:?}", h.body);
        for (e, version) in entries.iter().zip([1, 2]) {
            assert_eq!(e["kind"], "set");
            assert_eq!(e["version"], version, "the map's version");
            assert_eq!(e["actor"]["username"], "admin");
            assert_eq!(e["actor"]["role"], "commission");
        }
        let first = entries[0]["changes"].as_array().unwrap();
        let leading = first.iter().find(|c| c["path"] == "/leading").unwrap();
        assert_eq!(leading["old"], before.body["industry_map"]["leading"]);
        assert_eq!(leading["value"], map["leading"]);
        let change = &entries[1]["changes"];
        assert_eq!(
            change,
            &json!([{"op": "replace", "path": "/leading",
                     "value": [{"kind": "cluster", "code": "electronic_info"}],
                     "old": [{"kind": "cluster", "code": "icv_nev"}]}]),
            "only what changed, with its old value"
        );
    }
    assert_eq!(
        app.get("/api/v1/districts/999999/history", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn anyone_reads_a_clusters_history_and_class_imports_are_logged_per_class() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/clusters",
            Some(Role::Commission),
            json!({"code": "smart_home", "name": "智能家居", "tier": "rising_star"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = app
        .request(
            Method::PATCH,
            "/api/v1/clusters/smart_home",
            Some(app.token(Role::Commission)),
            Some(json!({"name": "智能家居 ", "tier": "hundred_billion"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    let h = app.get("/api/v1/clusters/smart_home/history", None).await;
    assert_eq!(h.status, StatusCode::OK, "{:?}", h.body);
    let entries = h.body.as_array().unwrap();
    let kinds: Vec<(&str, i64)> = entries
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["version"].as_i64().unwrap()))
        .collect();
    assert_eq!(kinds, vec![("create", 1), ("update", 2)]);
    assert!(entries
        .iter()
        .all(|e| e["actor"]["username"] == "admin" && e["actor"]["role"] == "commission"));
    assert_eq!(
        entries[0]["changes"],
        json!([{"op": "add", "path": "/name", "value": "智能家居"},
               {"op": "add", "path": "/tier", "value": "rising_star"}])
    );
    assert_eq!(
        entries[1]["changes"],
        json!([{"op": "replace", "path": "/tier", "value": "hundred_billion", "old": "rising_star"}]),
        "the trimmed name did not change; the tier did"
    );
    let shipped = app
        .get("/api/v1/clusters/light_textile/history", None)
        .await;
    assert_eq!(shipped.status, StatusCode::OK);
    assert_eq!(shipped.body, json!([]));
    assert_eq!(
        app.get("/api/v1/clusters/no_such/history", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // An import: one event per class added or renamed, none for a row that changes nothing.
    let rows = json!([
        {"code": "269", "name": "其他化学产品制造", "parent": "26"},
        {"code": "2691", "name": "化学试剂和助剂制造", "parent": "269"}
    ]);
    let r = app
        .post(
            "/api/v1/industry-classes/import",
            Some(Role::Commission),
            rows,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let rows = json!([
        {"code": "269", "name": "其他化学产品制造", "parent": "26"},
        {"code": "2691", "name": "化学试剂制造", "parent": "269"}
    ]);
    let r = app
        .post(
            "/api/v1/industry-classes/import",
            Some(Role::Commission),
            rows,
        )
        .await;
    assert_eq!(r.body["imported"], 2);
    let log = |code: &'static str| {
        let db = app.state.db.clone();
        async move {
            jiebang::store::events::of(
                &db,
                &jiebang::domain::event::AggregateRef::new(
                    jiebang::domain::event::AggregateType::IndustryClass,
                    code,
                ),
            )
            .await
            .unwrap()
        }
    };
    let parent = log("269").await;
    assert_eq!(parent.len(), 1, "added once, unchanged after: {parent:?}");
    assert_eq!(parent[0].kind, "import");
    assert_eq!(
        parent[0].visibility,
        jiebang::domain::event::Visibility::Public
    );
    let child = log("2691").await;
    assert_eq!(child.len(), 2, "added, then renamed: {child:?}");
    let mut added: Vec<(&str, &str)> = child[0]
        .payload
        .iter()
        .map(|o| (o.op.as_str(), o.path.as_str()))
        .collect();
    added.sort_unstable();
    assert_eq!(
        added,
        vec![("add", "/level"), ("add", "/name"), ("add", "/parent")]
    );
    assert_eq!(child[1].payload.len(), 1);
    assert_eq!(
        (
            child[1].payload[0].op.as_str(),
            child[1].payload[0].path.as_str()
        ),
        ("replace", "/name")
    );
    assert_eq!(child[1].payload[0].old, Some(json!("化学试剂和助剂制造")));
}
