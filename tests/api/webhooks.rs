//! Webhooks: signed deliveries from a durable outbox to a receiver on 127.0.0.1, retried with
//! backoff as the clock moves, disabled after a day of failure and enabled again by the owner,
//! surviving a restart, never held by two instances at once.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::Duration;
use hmac::{Hmac, Mac};
use jiebang::app::webhooks::{claim, deliver_due};
use jiebang::clock::Clock;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::helpers::*;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A receiver on 127.0.0.1 answering every request with the status in `answer` (and recording
/// it); it can be stopped (the port then refuses connections) and started again on its port.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Got>>>,
    answer: Arc<AtomicU16>,
    handle: Option<actix_web::dev::ServerHandle>,
    arrived: Arc<tokio::sync::Notify>,
}

impl Receiver {
    async fn start() -> Self {
        let mut r = Self {
            port: 0,
            got: Arc::default(),
            answer: Arc::new(AtomicU16::new(204)),
            handle: None,
            arrived: Arc::default(),
        };
        r.up().await;
        r
    }

    async fn up(&mut self) {
        let got = self.got.clone();
        let answer = self.answer.clone();
        let arrived = self.arrived.clone();
        let server = HttpServer::new(move || {
            let got = got.clone();
            let answer = answer.clone();
            let arrived = arrived.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let got = got.clone();
                let answer = answer.clone();
                let arrived = arrived.clone();
                async move {
                    let h = |n: &str| {
                        req.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    got.lock().unwrap().push(Got {
                        id: h("webhook-id"),
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body: body.to_vec(),
                    });
                    arrived.notify_waiters();
                    let code = answer.load(Ordering::SeqCst);
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(code).unwrap())
                        .finish()
                }
            }))
        })
        .workers(1)
        .bind(("127.0.0.1", self.port))
        .unwrap();
        self.port = server.addrs()[0].port();
        let server = server.run();
        self.handle = Some(server.handle());
        tokio::spawn(server);
    }

    async fn down(&mut self) {
        if let Some(h) = self.handle.take() {
            h.stop(false).await;
        }
    }

    fn answer(&self, code: u16) {
        self.answer.store(code, Ordering::SeqCst);
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks", self.port)
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }
}

/// Verifies a delivery as a receiver following Standard Webhooks would: HMAC-SHA256 under the
/// secret's bytes over `id.timestamp.body`, compared in constant time with each `v1,` signature.
fn verifies(secret: &str, g: &Got) -> bool {
    let key = B64.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    g.signature.split(' ').any(|sig| {
        let Some(b64) = sig.strip_prefix("v1,") else {
            return false;
        };
        let Ok(sig) = B64.decode(b64) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(format!("{}.{}.", g.id, g.timestamp).as_bytes());
        mac.update(&g.body);
        mac.verify_slice(&sig).is_ok()
    })
}

async fn subscribe(app: &TestApp, token: &str, url: &str, types: Value) -> (i64, String) {
    let r = app
        .request(
            Method::POST,
            "/api/v1/webhooks",
            Some(token),
            Some(json!({"url": url, "event_types": types})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(
        r.headers["location"].to_str().unwrap(),
        format!("/api/v1/webhooks/{id}")
    );
    (id, r.body["secret"].as_str().unwrap().to_owned())
}

/// A public event: a new cluster (`cluster.create`).
async fn cluster(app: &TestApp, code: &str) {
    let r = app
        .post(
            "/api/v1/clusters",
            Some(Role::Commission),
            json!({"code": code, "name": format!("集群{code}"), "tier": "rising_star"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
}

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    app.state
        .db
        .query_all(Statement::from_string(
            app.state.db.get_database_backend(),
            sql,
        ))
        .await
        .unwrap()
}

/// The public `cluster` events' seqs, in order.
async fn cluster_seqs(app: &TestApp) -> Vec<i64> {
    rows(
        app,
        "SELECT seq FROM event WHERE aggregate_type = 'cluster' AND visibility = 'public' ORDER BY seq",
    )
    .await
    .iter()
    .map(|r| r.try_get::<i64>("", "seq").unwrap())
    .collect()
}

/// The outbox's rows of a subscription: (event seq, status, attempts).
async fn outbox(app: &TestApp, webhook: i64) -> Vec<(i64, String, i32)> {
    rows(
        app,
        &format!(
            "SELECT event_seq, status, attempts FROM webhook_delivery WHERE webhook_id = {webhook} ORDER BY event_seq"
        ),
    )
    .await
    .iter()
    .map(|r| {
        (
            r.try_get::<i64>("", "event_seq").unwrap(),
            r.try_get::<String>("", "status").unwrap(),
            r.try_get::<i32>("", "attempts").unwrap(),
        )
    })
    .collect()
}

fn seq_of(g: &Got) -> i64 {
    g.json()["data"]["seq"].as_i64().unwrap()
}

#[tokio::test]
async fn subscriptions_are_validated_naming_the_bad_field() {
    let app = spawn_app().await;
    let platform = app.token(Role::Platform).to_owned();
    let cases = [
        (
            json!({"url": "ftp://x.example/h", "event_types": ["*"]}),
            "url",
        ),
        (json!({"url": "not a url", "event_types": ["*"]}), "url"),
        (
            json!({"url": "https://u:p@x.example/h", "event_types": ["*"]}),
            "url",
        ),
        (
            json!({"url": "https://x.example/h", "event_types": []}),
            "event_types",
        ),
        (
            json!({"url": "https://x.example/h", "event_types": ["calls"]}),
            "event_types/0",
        ),
        (
            json!({"url": "https://x.example/h", "event_types": ["call", "call.Open"]}),
            "event_types/1",
        ),
        (
            json!({"url": "https://x.example/h", "event_types": ["call", "call"]}),
            "event_types/1",
        ),
        (
            json!({"url": "https://x.example/h", "event_types": ["*"], "secret": "hunter2"}),
            "secret",
        ),
        (
            json!({"url": "https://x.example/h", "event_types": ["*"], "secret": "whsec_AAAA"}),
            "secret",
        ),
    ];
    for (body, field) in cases {
        let r = app
            .request(
                Method::POST,
                "/api/v1/webhooks",
                Some(&platform),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            r.body
        );
        assert!(r.is_problem(), "{body}");
        assert_eq!(r.error_fields(), vec![field.to_owned()], "{body}");
    }
    // A missing member and an unknown one are refused too.
    let r = app
        .request(
            Method::POST,
            "/api/v1/webhooks",
            Some(&platform),
            Some(json!({"url": "https://x.example/h"})),
        )
        .await;
    assert!(r.status.is_client_error() && r.is_problem(), "{:?}", r.body);
    // Roles that may not subscribe.
    let r = app
        .post(
            "/api/v1/webhooks",
            Some(Role::Applicant),
            json!({"url": "https://x.example/h", "event_types": ["*"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            "/api/v1/webhooks",
            None,
            json!({"url": "https://x.example/h", "event_types": ["*"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        rows(&app, "SELECT id FROM webhook").await.is_empty(),
        "nothing was stored"
    );

    // A good one with the caller's own secret: shown back once, never listed, never in the log.
    let secret = format!("whsec_{}", B64.encode([7u8; 32]));
    let r = app
        .request(
            Method::POST,
            "/api/v1/webhooks",
            Some(&platform),
            Some(json!({"url": " https://x.example/h ", "event_types": ["call.announce", "list"], "secret": secret})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["secret"], secret.as_str());
    assert_eq!(r.body["url"], "https://x.example/h");
    assert_eq!(r.body["event_types"], json!(["call.announce", "list"]));
    assert_eq!(r.body["status"], "active");
    let id = r.body["id"].as_i64().unwrap();
    let one = app
        .get(&format!("/api/v1/webhooks/{id}"), Some(Role::Platform))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.get("secret").is_none(), "{:?}", one.body);
    let events = rows(
        &app,
        "SELECT kind, visibility, payload FROM event WHERE aggregate_type = 'webhook'",
    )
    .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].try_get::<String>("", "kind").unwrap(), "create");
    assert_eq!(
        events[0].try_get::<String>("", "visibility").unwrap(),
        "commission"
    );
    let payload: Value = events[0].try_get("", "payload").unwrap();
    assert!(
        !payload.to_string().contains(&secret[6..]),
        "the secret is not in the log"
    );
    assert!(payload.to_string().contains("https://x.example/h"));
    // A generated secret has the Standard Webhooks shape.
    let (_, generated) = subscribe(&app, &platform, "https://y.example/h", json!(["*"])).await;
    let bytes = B64
        .decode(generated.strip_prefix("whsec_").unwrap())
        .unwrap();
    assert!((24..=64).contains(&bytes.len()));
}

#[tokio::test]
async fn a_subscription_is_its_owners_only() {
    let app = spawn_app().await;
    let mine = app.token(Role::Platform).to_owned();
    let other = app
        .add_user("other-platform", Role::Platform, None, None)
        .await;
    let (id, _) = subscribe(&app, &mine, "https://x.example/h", json!(["*"])).await;
    for (method, path) in [
        (Method::GET, format!("/api/v1/webhooks/{id}")),
        (Method::GET, format!("/api/v1/webhooks/{id}/deliveries")),
        (Method::POST, format!("/api/v1/webhooks/{id}/enable")),
        (Method::DELETE, format!("/api/v1/webhooks/{id}")),
    ] {
        let r = app.request(method.clone(), &path, Some(&other), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
        assert!(r.is_problem());
    }
    let theirs = app
        .request(Method::GET, "/api/v1/webhooks", Some(&other), None)
        .await;
    assert_eq!(theirs.body, json!([]));
    let own = app
        .request(Method::GET, "/api/v1/webhooks", Some(&mine), None)
        .await;
    assert_eq!(own.body.as_array().unwrap().len(), 1);
    // The commission oversees every subscription.
    let all = app.get("/api/v1/webhooks", Some(Role::Commission)).await;
    assert_eq!(all.body.as_array().unwrap().len(), 1);
    // Still there after the refused delete; enabling an active one is a conflict.
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/webhooks/{id}/enable"),
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .get(&format!("/api/v1/webhooks/{id}"), Some(Role::Expert))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The owner deletes it: gone for everyone, and a delete event is in the log.
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/v1/webhooks/{id}"),
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}"),
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let kinds: Vec<String> = rows(
        &app,
        "SELECT kind FROM event WHERE aggregate_type = 'webhook' ORDER BY seq",
    )
    .await
    .iter()
    .map(|r| r.try_get("", "kind").unwrap())
    .collect();
    assert_eq!(kinds, ["create", "delete"]);
    // A deleted subscription takes no more events.
    cluster(&app, "wh_after_delete").await;
    assert!(outbox(&app, id).await.is_empty());
}

#[tokio::test]
async fn deliveries_are_signed_and_carry_what_the_feed_shows_a_platform() {
    let app = spawn_app().await;
    let receiver = Receiver::start().await;
    let platform = app.token(Role::Platform).to_owned();
    let (id, secret) = subscribe(
        &app,
        &platform,
        &receiver.url(),
        json!(["cluster", "round.create"]),
    )
    .await;

    crate::proposals::create_round(&app).await; // round.create: public, taken
    cluster(&app, "wh_one").await; // cluster.create: taken
    cluster(&app, "wh_two").await;
    app.add_user("someone", Role::Expert, None, None).await; // commission-only: never sent
    let r = app
        .request(
            Method::PATCH,
            "/api/v1/clusters/wh_one",
            Some(app.token(Role::Commission)),
            Some(json!({"name": "改名"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    // Written with the events, in their transactions: before any delivery.
    let queued = outbox(&app, id).await;
    assert_eq!(queued.len(), 4, "{queued:?}");
    assert!(queued.iter().all(|(_, s, n)| s == "pending" && *n == 0));

    let report = deliver_due(&app.state).await.unwrap();
    assert_eq!((report.claimed, report.delivered), (4, 4), "{report:?}");
    let got = receiver.got();
    assert_eq!(got.len(), 4);
    let feed = app
        .get("/api/v1/feed?limit=1000", Some(Role::Platform))
        .await;
    let entries: HashMap<i64, &Value> = feed.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["seq"].as_i64().unwrap(), e))
        .collect();
    let mut types = Vec::new();
    for g in &got {
        assert!(verifies(&secret, g), "signature of {}", g.id);
        let body = g.json();
        let seq = seq_of(g);
        assert_eq!(g.id, format!("evt_{seq}"));
        assert_eq!(
            g.timestamp,
            start_time().timestamp().to_string(),
            "the clock's time"
        );
        assert_eq!(
            &&body["data"],
            entries.get(&seq).unwrap(),
            "the feed's entry for {seq}"
        );
        assert_eq!(
            body["data"]["actor"]["id"],
            Value::Null,
            "accounts stay hidden"
        );
        types.push(body["type"].as_str().unwrap().to_owned());
        // A tampered body does not verify.
        let mut bad = g.clone();
        bad.body.push(b' ');
        assert!(!verifies(&secret, &bad));
    }
    types.sort();
    assert_eq!(
        types,
        [
            "cluster.create",
            "cluster.create",
            "cluster.update",
            "round.create"
        ]
    );
    assert!(outbox(&app, id)
        .await
        .iter()
        .all(|(_, s, n)| s == "delivered" && *n == 1));

    // The attempts, as the owner sees them.
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}/deliveries?limit=2"),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let page = r.body["deliveries"].as_array().unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0]["status"], "delivered");
    assert_eq!(page[0]["attempts"][0]["status_code"], 204);
    assert_eq!(page[0]["attempts"][0]["next_retry_at"], Value::Null);
    let next = r.body["next"].as_i64().unwrap();
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}/deliveries?after={next}"),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(r.body["deliveries"].as_array().unwrap().len(), 2);
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}/deliveries?limit=0&after=-1"),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, ["after", "limit"]);

    // Nothing is due any more.
    assert_eq!(deliver_due(&app.state).await.unwrap().claimed, 0);
    assert_eq!(receiver.got().len(), 4);
}

#[tokio::test]
async fn a_receiver_down_for_a_while_gets_every_event_once_it_is_back() {
    let app = spawn_app().await;
    let mut receiver = Receiver::start().await;
    let platform = app.token(Role::Platform).to_owned();
    let (id, secret) = subscribe(&app, &platform, &receiver.url(), json!(["cluster"])).await;

    // Down: answering 503.
    receiver.answer(503);
    for i in 0..3 {
        cluster(&app, &format!("wh_down_{i}")).await;
    }
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!((r.claimed, r.retrying, r.delivered), (3, 3, 0), "{r:?}");
    // Not due again until the backoff has passed.
    assert_eq!(deliver_due(&app.state).await.unwrap().claimed, 0);
    app.clock.advance(Duration::seconds(4));
    assert_eq!(deliver_due(&app.state).await.unwrap().claimed, 0);
    app.clock.advance(Duration::seconds(1));
    assert_eq!(deliver_due(&app.state).await.unwrap().retrying, 3);

    // Down: the port is closed. More events meanwhile.
    receiver.down().await;
    cluster(&app, "wh_down_3").await;
    app.clock.advance(Duration::minutes(5));
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!((r.claimed, r.retrying), (4, 4), "{r:?}");

    // Back up: after the next backoff every event arrives, signed.
    receiver.answer(200);
    receiver.up().await;
    app.clock.advance(Duration::minutes(30));
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!(r.delivered, 4, "{r:?}");
    let got = receiver.got();
    assert_eq!(
        got.len(),
        3 + 3 + 4,
        "two rounds of 503, then the four (none while closed)"
    );
    assert!(got.iter().all(|g| verifies(&secret, g)));
    let delivered: BTreeSet<i64> = got[6..].iter().map(seq_of).collect();
    assert_eq!(delivered, cluster_seqs(&app).await.into_iter().collect());
    assert!(outbox(&app, id)
        .await
        .iter()
        .all(|(_, s, _)| s == "delivered"));

    // The first event's attempts: 503, 503, no connection, 200, each with its next retry.
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}/deliveries?limit=1"),
            Some(&platform),
            None,
        )
        .await;
    let attempts = r.body["deliveries"][0]["attempts"].as_array().unwrap();
    let codes: Vec<Value> = attempts.iter().map(|a| a["status_code"].clone()).collect();
    assert_eq!(codes, [json!(503), json!(503), Value::Null, json!(200)]);
    assert!(
        attempts[2]["error"].as_str().unwrap().contains("connect"),
        "{:?}",
        attempts[2]
    );
    let t0 = chrono::DateTime::parse_from_rfc3339(attempts[0]["at"].as_str().unwrap()).unwrap();
    let retry0 =
        chrono::DateTime::parse_from_rfc3339(attempts[0]["next_retry_at"].as_str().unwrap())
            .unwrap();
    assert_eq!(retry0 - t0, Duration::seconds(5));
    assert_eq!(attempts[3]["next_retry_at"], Value::Null);
    // The subscription's run of failures ended with the success.
    let w = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}"),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(w.body["consecutive_failures"], 0);
    assert_eq!(w.body["status"], "active");
}

#[tokio::test]
async fn a_day_of_failure_disables_the_subscription_and_its_owner_enables_it() {
    let app = spawn_app().await;
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let platform = app.token(Role::Platform).to_owned();
    let (id, _) = subscribe(&app, &platform, &receiver.url(), json!(["*"])).await;
    cluster(&app, "wh_fail").await;

    let mut attempts = 0;
    loop {
        let r = deliver_due(&app.state).await.unwrap();
        attempts += r.claimed;
        if r.failed > 0 {
            assert_eq!(r.disabled, 1, "{r:?}");
            break;
        }
        assert!(attempts < 20, "the delivery never failed");
        // To the next retry.
        app.clock.advance(Duration::hours(1));
    }
    assert!(app.clock.now() - start_time() >= Duration::hours(24));
    assert_eq!(outbox(&app, id).await[0].1, "failed");
    let w = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}"),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(w.body["status"], "disabled");
    assert!(
        w.body["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("in a row"),
        "{:?}",
        w.body
    );
    let disabled: Vec<String> = rows(
        &app,
        "SELECT kind FROM event WHERE aggregate_type = 'webhook' AND kind = 'disable'",
    )
    .await
    .iter()
    .map(|r| r.try_get("", "kind").unwrap())
    .collect();
    assert_eq!(disabled, ["disable"]);

    // Events while disabled are kept, not sent.
    cluster(&app, "wh_held").await;
    app.clock.advance(Duration::hours(1));
    assert_eq!(deliver_due(&app.state).await.unwrap().claimed, 0);
    let before = receiver.got().len();

    // The owner enables it: the failed and the held deliveries both arrive.
    receiver.answer(200);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/webhooks/{id}/enable"),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["consecutive_failures"], 0);
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!(r.delivered, 2, "{r:?}");
    let arrived: BTreeSet<i64> = receiver.got()[before..].iter().map(seq_of).collect();
    assert_eq!(arrived, cluster_seqs(&app).await.into_iter().collect());
    assert!(outbox(&app, id)
        .await
        .iter()
        .all(|(_, s, _)| s == "delivered"));
}

#[tokio::test]
async fn a_410_gone_disables_the_subscription_at_once() {
    let app = spawn_app().await;
    let receiver = Receiver::start().await;
    receiver.answer(410);
    let platform = app.token(Role::Platform).to_owned();
    let (id, _) = subscribe(&app, &platform, &receiver.url(), json!(["cluster.create"])).await;
    cluster(&app, "wh_gone").await;
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!((r.claimed, r.disabled), (1, 1), "{r:?}");
    let w = app
        .request(
            Method::GET,
            &format!("/api/v1/webhooks/{id}"),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(w.body["status"], "disabled");
    assert!(w.body["disabled_reason"].as_str().unwrap().contains("410"));
    // Still pending (held), retried once enabled.
    assert_eq!(outbox(&app, id).await[0].1, "pending");
}

#[tokio::test]
async fn pending_deliveries_survive_a_restart_and_a_crashed_instances_claims_expire() {
    let app = spawn_app().await;
    let receiver = Receiver::start().await;
    let platform = app.token(Role::Platform).to_owned();
    let (id, secret) = subscribe(&app, &platform, &receiver.url(), json!(["cluster"])).await;
    for i in 0..5 {
        cluster(&app, &format!("wh_restart_{i}")).await;
    }
    // An instance claims two and dies before sending them.
    let held = claim(&app.state, "crashed-instance", 2).await.unwrap();
    assert_eq!(held.len(), 2);
    let db_url = app.db_url.clone();
    let dir = app.stop().await;

    // A new instance on the same database.
    let app = start(&db_url, dir).await;
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!(r.delivered, 3, "the unclaimed ones: {r:?}");
    // Once the dead instance's lease has run out, the rest.
    app.clock.advance(Duration::seconds(61));
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!(r.delivered, 2, "{r:?}");
    let got = receiver.got();
    assert!(got.iter().all(|g| verifies(&secret, g)));
    let seqs: Vec<i64> = {
        let mut v: Vec<i64> = got.iter().map(seq_of).collect();
        v.sort_unstable();
        v
    };
    assert_eq!(seqs, cluster_seqs(&app).await, "every event once");
    assert!(outbox(&app, id)
        .await
        .iter()
        .all(|(_, s, n)| s == "delivered" && *n == 1));
}

#[tokio::test]
async fn two_instances_never_hold_the_same_delivery() {
    let app = spawn_app().await;
    let platform = app.token(Role::Platform).to_owned();
    subscribe(&app, &platform, "http://127.0.0.1:9/a", json!(["*"])).await;
    subscribe(&app, &platform, "http://127.0.0.1:9/b", json!(["cluster"])).await;
    for i in 0..15 {
        cluster(&app, &format!("wh_two_{i}")).await;
    }
    let all: BTreeSet<i64> = rows(&app, "SELECT id FROM webhook_delivery")
        .await
        .iter()
        .map(|r| r.try_get::<i64>("", "id").unwrap())
        .collect();
    assert_eq!(all.len(), 30);
    let other = start(&app.db_url, None).await;

    let mut seen: Vec<i64> = Vec::new();
    loop {
        let (a, b) = tokio::join!(
            claim(&app.state, "instance-a", 4),
            claim(&other.state, "instance-b", 4)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        if a.is_empty() && b.is_empty() {
            break;
        }
        seen.extend(a.iter().chain(&b).map(|c| c.id));
    }
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        seen.len(),
        "a delivery claimed twice: {seen:?}"
    );
    assert_eq!(distinct, all, "every delivery claimed");

    // The leases hold until they expire; then another instance may take them.
    assert!(claim(&other.state, "instance-c", 100)
        .await
        .unwrap()
        .is_empty());
    other.clock.advance(Duration::seconds(61));
    assert_eq!(
        claim(&other.state, "instance-c", 100).await.unwrap().len(),
        30
    );
    // An outcome for a claim that was taken over is not recorded.
    app.clock.advance(Duration::seconds(61));
    let r = deliver_due(&app.state).await.unwrap();
    assert_eq!(r.claimed, 0, "instance-c holds them now: {r:?}");
}

#[tokio::test]
async fn the_background_worker_delivers_without_being_asked() {
    let app = spawn_app_with(|s| s.webhooks.interval_ms = 20).await;
    let receiver = Receiver::start().await;
    let platform = app.token(Role::Platform).to_owned();
    let (_, secret) = subscribe(&app, &platform, &receiver.url(), json!(["cluster"])).await;
    let arrived = receiver.arrived.notified();
    tokio::pin!(arrived);
    arrived.as_mut().enable();
    cluster(&app, "wh_bg").await;
    tokio::time::timeout(std::time::Duration::from_secs(20), arrived)
        .await
        .expect("the worker delivered");
    let got = receiver.got();
    assert_eq!(got.len(), 1);
    assert!(verifies(&secret, &got[0]));
}
