//! Fast reads and operations at scale: cached public reads with strong ETags, the scores page by
//! page with a summary, `/metrics` in the Prometheus text format, readiness.

use std::collections::HashSet;

use jiebang::domain::role::Role;
use jiebang::routes::views::selection::RoundScores;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

const METRICS_TOKEN: &str = "metrics-token-for-tests-0001";

#[tokio::test]
async fn public_reads_carry_a_strong_etag_answer_304_and_change_when_the_data_does() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/districts",
        "/api/v1/districts?region=northeast",
        "/api/v1/clusters",
        "/api/v1/industry-classes?parent=26",
    ] {
        let first = app.get(path, None).await;
        assert_eq!(first.status, StatusCode::OK, "{path}: {}", first.body);
        let etag = first.headers["etag"].to_str().unwrap().to_owned();
        assert!(
            etag.starts_with('"') && !etag.starts_with("W/"),
            "{path}: strong ETag {etag}"
        );
        assert_eq!(first.headers["cache-control"], "public, no-cache", "{path}");
        assert!(
            first.body.as_array().is_some_and(|a| !a.is_empty()),
            "{path}"
        );
        let again = app.get(path, None).await;
        assert_eq!(
            again.body, first.body,
            "{path}: the cached bytes are the same answer"
        );
        let not_modified = app
            .request_with(Method::GET, path, None, None, &[("if-none-match", &etag)])
            .await;
        assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(not_modified.headers["etag"].to_str().unwrap(), etag);
        let other = app
            .request_with(
                Method::GET,
                path,
                None,
                None,
                &[("if-none-match", "\"other\"")],
            )
            .await;
        assert_eq!(
            other.status,
            StatusCode::OK,
            "{path}: another ETag gets the body"
        );
    }

    // A change of reference data (here an industry map) is seen on the next read.
    let before = app.get("/api/v1/districts", None).await;
    let etag = before.headers["etag"].to_str().unwrap().to_owned();
    let map = json!({"leading": [{"kind": "cluster", "code": "food_agri"}], "characteristic": []});
    let put = app
        .request(
            Method::PUT,
            "/api/v1/districts/500101/industry-map",
            Some(app.token(Role::Commission)),
            Some(map),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let after = app
        .request_with(
            Method::GET,
            "/api/v1/districts",
            None,
            None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(
        after.status,
        StatusCode::OK,
        "the old ETag no longer matches"
    );
    assert_ne!(after.headers["etag"].to_str().unwrap(), etag);
    let wanzhou = after
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "500101")
        .unwrap();
    assert_eq!(
        wanzhou["industry_map"]["leading"][0]["code"], "food_agri",
        "{wanzhou}"
    );
}

#[tokio::test]
async fn the_published_list_is_served_cached_and_a_new_version_changes_every_versions_etag() {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024).await.unwrap();
    let missing = app.get("/api/v1/rounds/2024/list", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "not published yet");
    assert!(missing.is_problem());

    let run = app
        .post(
            "/api/v1/rounds/2024/selections",
            Some(Role::Commission),
            json!({}),
        )
        .await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.body);
    let publish = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": run.body["id"], "note": "2024年行业产业大脑建设榜单"}),
        )
        .await;
    assert_eq!(publish.status, StatusCode::CREATED, "{}", publish.body);
    let list = app.get("/api/v1/rounds/2024/list", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 5);
    let etag = list.headers["etag"].to_str().unwrap().to_owned();
    let v1 = app.get("/api/v1/rounds/2024/list?version=1", None).await;
    assert_eq!(v1.body, list.body, "version 1 is the current one");
    let cached = app
        .request_with(
            Method::GET,
            "/api/v1/rounds/2024/list",
            None,
            None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn scores_come_a_page_at_a_time_in_a_stable_order_with_a_summary_over_every_match() {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024).await.unwrap();
    let all: RoundScores = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        all.proposals.len(),
        30,
        "the default page holds a small pool whole"
    );
    assert_eq!((all.summary.pool, all.summary.matched), (30, 30));
    assert!(all.summary.next_after.is_none());
    let totals: Vec<i64> = all
        .proposals
        .iter()
        .map(|p| p.card.weighted_total)
        .collect();
    assert_eq!(all.summary.max_total, totals.iter().max().copied());
    assert_eq!(all.summary.min_total, totals.iter().min().copied());

    // Pages of 7 by the cursor (body and Link header agree) give back the same order.
    let mut path = "/api/v1/rounds/2024/scores?limit=7".to_owned();
    let mut paged = Vec::new();
    let mut pages = 0;
    loop {
        let reply = app.get(&path, Some(Role::Commission)).await;
        let page: RoundScores = reply.expect(StatusCode::OK);
        pages += 1;
        assert!(page.proposals.len() <= 7);
        paged.extend(page.proposals.iter().map(|p| p.proposal_id));
        match page.summary.next_after {
            Some(after) => {
                let link = reply.headers["link"].to_str().unwrap().to_owned();
                assert!(link.ends_with("rel=\"next\""), "{link}");
                let next = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_owned();
                assert!(next.contains("limit=7"), "{next}");
                assert!(
                    next.contains(&format!("after={}", after.replace(':', "%3A"))),
                    "{next}"
                );
                path = next;
            }
            None => {
                assert!(reply.headers.get("link").is_none());
                break;
            }
        }
    }
    assert_eq!(pages, 5, "30 in pages of 7");
    let whole: Vec<i32> = all.proposals.iter().map(|p| p.proposal_id).collect();
    assert_eq!(paged, whole);

    // A filter narrows what is returned and summarised, not the pool it is scored over.
    let district = all.proposals[0].district_code.clone();
    let one: RoundScores = app
        .get(
            &format!("/api/v1/rounds/2024/scores?district={district}"),
            Some(Role::Commission),
        )
        .await
        .expect(StatusCode::OK);
    let expected: Vec<i32> = all
        .proposals
        .iter()
        .filter(|p| p.district_code == district)
        .map(|p| p.proposal_id)
        .collect();
    assert_eq!(
        one.proposals
            .iter()
            .map(|p| p.proposal_id)
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(one.summary.pool, 30);
    assert_eq!(one.summary.matched, expected.len() as u64);
    for p in &one.proposals {
        let same = all
            .proposals
            .iter()
            .find(|q| q.proposal_id == p.proposal_id)
            .unwrap();
        assert_eq!(
            p.card.weighted_total, same.card.weighted_total,
            "scored over the whole pool"
        );
    }
    let regions: HashSet<_> = all.proposals.iter().map(|p| p.region).collect();
    assert!(regions.len() > 1);

    for (case, query, field) in [
        ("limit 0", "limit=0", "limit"),
        ("limit too large", "limit=5001", "limit"),
        ("cursor not a cursor", "after=abc", "after"),
        ("unknown parameter", "page=2", ""),
    ] {
        let reply = app
            .get(
                &format!("/api/v1/rounds/2024/scores?{query}"),
                Some(Role::Commission),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{case}: {}",
            reply.body
        );
        assert!(reply.is_problem(), "{case}");
        if !field.is_empty() {
            assert_eq!(reply.error_fields(), vec![field.to_owned()], "{case}");
        }
    }
}

#[tokio::test]
async fn metrics_need_the_setting_and_the_token() {
    let app = spawn_app().await;
    let reply = app.get("/metrics", None).await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "no token set: no endpoint"
    );
    assert!(reply.is_problem());
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_requests_by_route_the_pool_and_bids() {
    let app = spawn_app_with(|s| {
        s.metrics.token = Some(METRICS_TOKEN.to_owned().into());
    })
    .await;
    for (case, token) in [
        ("no token", None),
        ("wrong token", Some("wrong-token-wrong-token")),
    ] {
        let reply = app.request(Method::GET, "/metrics", token, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{case}");
        assert!(reply.is_problem(), "{case}");
    }
    // Something to count: public reads, a refused login.
    for _ in 0..3 {
        app.get("/api/v1/districts", None).await;
    }
    let refused = app.login("nobody-here", "not-the-password").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    let res = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = res.text().await.unwrap();
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
        .unwrap_or_else(|e| panic!("not Prometheus text: {e}\n{text}"));
    let sample = |name: &str, label: (&str, &str)| {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == name && s.labels.get(label.0) == Some(label.1))
            .unwrap_or_else(|| panic!("no {name} with {label:?} in\n{text}"))
    };
    // Labelled by the route's template; the process's recorder is shared by every test app in
    // this process, so counts are at least this test's own.
    // Other tests in this process may have had other answers there (a 400, a 304): take the 200s.
    let districts = scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == "http_requests_total"
                && s.labels.get("route") == Some("/api/v1/districts")
                && s.labels.get("status") == Some("200")
        })
        .unwrap_or_else(|| panic!("no 200s of /api/v1/districts in\n{text}"));
    match districts.value {
        prometheus_parse::Value::Counter(n) | prometheus_parse::Value::Untyped(n) => {
            assert!(n >= 3.0, "{n}")
        }
        ref v => panic!("http_requests_total is a counter, not {v:?}"),
    }
    assert_eq!(districts.labels.get("status"), Some("200"));
    assert!(scrape
        .samples
        .iter()
        .any(|s| s.metric.starts_with("http_request_duration_seconds")));
    sample("db_pool_connections", ("state", "idle"));
    sample("db_pool_connections", ("state", "in_use"));
    sample("jiebang_logins_failed_total", ("reason", "credentials"));
    assert!(scrape.docs.contains_key("http_requests_total"), "described");
}

#[tokio::test]
async fn readiness_checks_the_database_and_the_migrations() {
    let app = spawn_app().await;
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.body["status"], "ready");
    // One migration rolled back: this binary's schema is no longer the database's.
    let db = sea_orm::Database::connect(&app.db_url).await.unwrap();
    use migration::MigratorTrait;
    migration::Migrator::down(&db, Some(1)).await.unwrap();
    let not_ready = app.get("/readyz", None).await;
    assert_eq!(not_ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(not_ready.is_problem());
    assert!(
        not_ready.body["detail"]
            .as_str()
            .unwrap()
            .contains("1 migration"),
        "{}",
        not_ready.body
    );
}

#[tokio::test]
async fn users_me_answers_from_the_loaded_caller() {
    let app = spawn_app().await;
    for role in [Role::Commission, Role::District, Role::Applicant] {
        let me = app.get("/api/v1/users/me", Some(role)).await;
        assert_eq!(me.status, StatusCode::OK, "{role:?}: {}", me.body);
        assert_eq!(me.body["role"], role.as_str());
        assert!(me.body["created_at"].is_string());
    }
}

/// The industry map of Wanzhou (500101) as `/districts` shows it through `app`, with the ETag.
async fn wanzhou_leading(app: &TestApp) -> (Value, String) {
    let r = app.get("/api/v1/districts", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    let d = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "500101")
        .unwrap()
        .clone();
    (d["industry_map"]["leading"].clone(), etag)
}

async fn put_wanzhou_map(app: &TestApp, cluster: &str) {
    let map = json!({"leading": [{"kind": "cluster", "code": cluster}], "characteristic": []});
    let put = app
        .request(
            Method::PUT,
            "/api/v1/districts/500101/industry-map",
            Some(app.token(Role::Commission)),
            Some(map),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
}

/// Changes the password of the account `token` belongs to, through `app`.
async fn change_password(app: &TestApp, token: &str) {
    let change = app
        .request(
            Method::POST,
            "/api/v1/users/me/password",
            Some(token),
            Some(json!({"current_password": PASSWORD, "new_password": "a-brand-new-password-42"})),
        )
        .await;
    assert!(change.status.is_success(), "{}", change.body);
}

#[tokio::test]
async fn an_instances_own_write_is_read_at_once_however_long_the_revalidation_interval() {
    let app = spawn_app_with(|s| s.cache.revalidate_ms = 60_000).await;
    let (_, before) = wanzhou_leading(&app).await;
    put_wanzhou_map(&app, "food_agri").await;
    let (leading, after) = wanzhou_leading(&app).await;
    assert_eq!(leading[0]["code"], "food_agri", "{leading}");
    assert_ne!(after, before);

    // The caller's account too: a new password ends the old token on its next request.
    let old = app.add_user("mover", Role::Expert, None, None).await;
    let me = app
        .request(Method::GET, "/api/v1/users/me", Some(&old), None)
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    change_password(&app, &old).await;
    let me = app
        .request(Method::GET, "/api/v1/users/me", Some(&old), None)
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{}", me.body);
}

#[tokio::test]
async fn another_instances_writes_are_read_once_the_log_head_is_looked_at() {
    let a = spawn_app().await;
    // `b` looks at the log's head on every request (interval 0); `c` once a minute.
    let b = start_with(&a.db_url, None, |s| s.cache.revalidate_ms = 0).await;
    let c = start_with(&a.db_url, None, |s| s.cache.revalidate_ms = 60_000).await;
    let (first_b, etag_b) = wanzhou_leading(&b).await;
    let (first_c, etag_c) = wanzhou_leading(&c).await;
    assert_eq!(first_b, first_c);
    put_wanzhou_map(&a, "food_agri").await;
    let (leading, etag) = wanzhou_leading(&b).await;
    assert_eq!(leading[0]["code"], "food_agri", "{leading}");
    assert_ne!(etag, etag_b);
    // `c` keeps what it read until its next look (within its interval): the bound is the setting.
    let (stale, same) = wanzhou_leading(&c).await;
    assert_eq!((stale, same), (first_c, etag_c));

    // An account changed through `a` is read again by `b` on its next request.
    let old = a.add_user("roamer", Role::Expert, None, None).await;
    let me = b
        .request(Method::GET, "/api/v1/users/me", Some(&old), None)
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    change_password(&a, &old).await;
    let me = b
        .request(Method::GET, "/api/v1/users/me", Some(&old), None)
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{}", me.body);
}
