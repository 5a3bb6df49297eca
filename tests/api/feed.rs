//! The change feed: in log order, filtered by the reader, exactly once across concurrent writers,
//! long-polling without sleeps.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::proposals::{create_round, etag_of, file, sample};

/// The public events' seqs as the database holds them, in order.
async fn public_seqs(app: &TestApp) -> Vec<i64> {
    let rows = app
        .state
        .db
        .query_all(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT seq FROM event WHERE visibility = 'public' ORDER BY seq",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<i64>("", "seq").unwrap())
        .collect()
}

fn seqs(page: &Value) -> Vec<i64> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_reader_polling_through_concurrent_writers_sees_every_public_event_once_in_order() {
    let app = spawn_app().await;
    create_round(&app).await;
    let officer = app.token(Role::District).to_owned();
    let mut proposals = Vec::new();
    for _ in 0..3 {
        let r = file(&app, &officer, sample(HOME_DISTRICT, "light_textile")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        proposals.push((r.body["id"].as_i64().unwrap(), etag_of(&r)));
    }
    let app = Arc::new(app);
    let done = Arc::new(AtomicBool::new(false));

    // The reader follows the feed from the start as a data platform, storing only its cursor.
    let reader = {
        let app = app.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let token = app.token(Role::Platform).to_owned();
            let mut after = 0i64;
            let mut seen = Vec::new();
            loop {
                let finished = done.load(Ordering::SeqCst);
                let r = app
                    .request(
                        Method::GET,
                        &format!("/api/v1/feed?after={after}&limit=2"),
                        Some(&token),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
                for e in r.body["events"].as_array().unwrap() {
                    assert_eq!(e["visibility"], "public", "{e}");
                    assert!(e["actor"]["id"].is_null(), "accounts stay hidden: {e}");
                }
                seen.extend(seqs(&r.body));
                let next = r.body["next"].as_i64().unwrap();
                assert!(next >= after, "the cursor never goes back");
                after = next;
                // One more full read after the writers finished, then stop.
                if finished && r.body["events"].as_array().unwrap().is_empty() {
                    return seen;
                }
            }
        })
    };

    // Writers: public cluster creations interleaved with party-only proposal edits.
    let mut writers = Vec::new();
    for w in 0..4 {
        let app = app.clone();
        writers.push(tokio::spawn(async move {
            for n in 0..6 {
                let r = app
                    .post(
                        "/api/v1/clusters",
                        Some(Role::Commission),
                        json!({"code": format!("feed_{w}_{n}"), "name": format!("集群{w}{n}"), "tier": "rising_star"}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            }
        }));
    }
    for (w, (id, etag)) in proposals.into_iter().enumerate() {
        let app = app.clone();
        let officer = officer.clone();
        writers.push(tokio::spawn(async move {
            let mut etag = etag;
            for n in 0..5 {
                let r = app
                    .request_with(
                        Method::PATCH,
                        &format!("/api/v1/proposals/{id}"),
                        Some(&officer),
                        Some(json!({"form": {"brain_name": format!("示例大脑 {w}-{n}")}})),
                        &[("if-match", &etag)],
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
                etag = etag_of(&r);
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let seen = reader.await.unwrap();

    let expected = public_seqs(&app).await;
    assert!(expected.len() >= 24, "the writers made public events");
    assert_eq!(seen, expected, "every public event once, in log order");
}

#[tokio::test]
async fn the_commission_reads_everything_but_who_bid_and_others_the_public_events() {
    let app = spawn_app().await;
    create_round(&app).await;
    let officer = app.token(Role::District).to_owned();
    let r = file(&app, &officer, sample(HOME_DISTRICT, "light_textile")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    let all = app
        .get("/api/v1/feed?limit=1000", Some(Role::Commission))
        .await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    let head = all.body["head"].as_i64().unwrap();
    assert_eq!(seqs(&all.body), (1..=head).collect::<Vec<_>>());
    assert!(all.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["visibility"] == "party" && e["object"]["type"] == "proposal"));

    for role in [
        None,
        Some(Role::Platform),
        Some(Role::District),
        Some(Role::Applicant),
    ] {
        let r = app.get("/api/v1/feed?limit=1000", role).await;
        assert_eq!(r.status, StatusCode::OK, "{role:?}: {:?}", r.body);
        assert_eq!(seqs(&r.body), public_seqs(&app).await, "{role:?}");
        assert_eq!(r.body["next"].as_i64().unwrap(), head, "{role:?}");
    }

    // Pages: a full page ends at its last event, the rest at the head.
    let p = app
        .get("/api/v1/feed?limit=2", Some(Role::Commission))
        .await;
    assert_eq!(seqs(&p.body), vec![1, 2]);
    assert_eq!(p.body["next"], 2);

    for (q, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("wait=31", "wait"),
        ("after=-1", "after"),
    ] {
        let r = app.get(&format!("/api/v1/feed?{q}"), None).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), vec![field], "{q}");
    }
    let r = app.get("/api/v1/feed?after=x", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
}

#[tokio::test]
async fn a_long_poll_returns_when_an_event_commits() {
    let app = Arc::new(spawn_app().await);
    let head = app.get("/api/v1/feed", None).await.body["head"]
        .as_i64()
        .unwrap();
    let waiting = {
        let app = app.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let r = app
                .get(&format!("/api/v1/feed?after={head}&wait=30"), None)
                .await;
            (r, started.elapsed())
        })
    };
    // The poll is waiting (nothing new); a public event commits and wakes it.
    let r = app
        .post(
            "/api/v1/clusters",
            Some(Role::Commission),
            json!({"code": "long_poll", "name": "长轮询", "tier": "rising_star"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let (r, took) = waiting.await.unwrap();
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["events"][0]["object"]["id"], "long_poll");
    assert!(
        took.as_secs() < 25,
        "woken by the commit, not by the timeout"
    );
}
