//! The integrity of a call's decision, tried from outside (issue 9, items 1–4, 6, 7, 12) and the
//! ways a call ends early over HTTP (issue 15): who bid stays unknown until the opening, receipts
//! anyone can recompute, every bid receipted in time is the one opened, recused experts do not
//! count, the notice and objections as the law has them, and the clock's moves in the log.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Duration, Utc};
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use jiebang::domain::call::CallStatus;
use jiebang::routes::views::calls::CallDto;

use crate::calls::{bid, bid_id, bidder, call_dto, closes, content, opens, score, with_call};
use crate::helpers::*;

fn at(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .unwrap_or_else(|| panic!("not a time: {v:?}"))
        .parse()
        .unwrap()
}

async fn call_get(app: &TestApp, token: &str, path: &str) -> Reply {
    app.request(Method::GET, &format!("/api/v1{path}"), Some(token), None)
        .await
}

async fn call_post(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    app.request(
        Method::POST,
        &format!("/api/v1{path}"),
        Some(token),
        Some(body),
    )
    .await
}

/// Account ids by username, as the commission's `/users` shows them.
async fn account_ids(app: &TestApp) -> HashMap<String, i64> {
    app.get("/api/v1/users", Some(Role::Commission))
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["username"].as_str().unwrap().to_owned(),
                u["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The events of a call and what hangs under it, straight from the log.
async fn log_of(app: &TestApp, call: i64) -> Vec<entity::event::Model> {
    entity::event::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(entity::event::Column::AggregateType.eq("call"))
                        .add(entity::event::Column::AggregateId.eq(call.to_string())),
                )
                .add(entity::event::Column::ParentId.eq(call.to_string())),
        )
        .order_by_asc(entity::event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap()
}

/// Item 1: before the opening, the commission, a panel expert (whose employer bid, and who
/// declared a conflict with it) and another bidder cannot tell from anything they may read which
/// organisation or account bid; after the opening the commission can.
#[tokio::test]
async fn before_the_opening_nobody_but_the_bidder_can_tell_who_bid() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let expert = app.token(Role::Expert).to_owned();
    let (org1, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let (org2, b2) = bidder(&app, "示例乙数据有限公司", 2, 800.0).await;
    let ids = account_ids(&app).await;
    let (u1, u2, expert_id) = (ids["bidder-1"], ids["bidder-2"], ids["test-expert"]);
    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/users/{expert_id}/expert-profile"),
            Some(&commission),
            Some(json!({"organisation_id": org1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    let r = call_post(
        &app,
        &commission,
        &format!("/calls/{call}/panel"),
        json!({"experts": [expert_id]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.clock.set(opens() + Duration::hours(1));
    let bid1 = bid_id(&bid(&app, &b1, call, content("甲方案", 900.0)).await);
    bid(&app, &b1, call, content("甲方案第二版", 950.0)).await;
    let bid2 = bid_id(&bid(&app, &b2, call, content("乙方案", 700.0)).await);
    let r = call_post(
        &app,
        &expert,
        &format!("/calls/{call}/conflicts"),
        json!({"organisation": org1, "kind": "investment", "note": "持有甲公司股份"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    // The commission: receipts by number and time, no actor; no bidder in the bids or the panel.
    let history = call_get(&app, &commission, &format!("/calls/{call}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    let receipts: Vec<&Value> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("bid_"))
        .collect();
    assert_eq!(receipts.len(), 3);
    for e in &receipts {
        assert!(e["actor_id"].is_null(), "{e:?}");
        assert_eq!(e["actor_role"], "sealed", "{e:?}");
        assert_eq!(
            e["details"].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["receipt_id"],
            "{e:?}"
        );
    }
    let everyone_but_bidders: Vec<i64> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["actor_id"].as_i64())
        .collect();
    assert!(
        !everyone_but_bidders.contains(&u1) && !everyone_but_bidders.contains(&u2),
        "{everyone_but_bidders:?}"
    );
    let text = history.body.to_string();
    assert!(
        !text.contains("bidder-1") && !text.contains("示例甲"),
        "{text}"
    );
    for path in [
        format!("/calls/{call}/bids"),
        format!("/bids/{bid1}"),
        format!("/calls/{call}/panel"),
        format!("/calls/{call}"),
        "/calls".to_owned(),
    ] {
        let r = call_get(&app, &commission, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let text = r.body.to_string();
        assert!(
            !text.contains(&format!("\"organisation_id\":{org1}")) && !text.contains("示例甲"),
            "{path}: {text}"
        );
    }
    let panel = call_get(&app, &commission, &format!("/calls/{call}/panel")).await;
    assert_eq!(panel.body[0]["recusals"], json!([]), "{:?}", panel.body);

    // The expert: every receipt, sealed (none missing for being its employer's), no recusal yet.
    let seen = call_get(&app, &expert, &format!("/calls/{call}/bids")).await;
    assert_eq!(seen.status, StatusCode::OK);
    let seen: Vec<i64> = seen
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            assert!(b["organisation_id"].is_null() && b["content"].is_null());
            b["bid_id"].as_i64().unwrap()
        })
        .collect();
    assert_eq!(seen, [bid1, bid2]);
    let own = call_get(&app, &expert, &format!("/calls/{call}/panel")).await;
    assert_eq!(own.body[0]["recusals"], json!([]), "{:?}", own.body);
    let r = call_get(&app, &expert, &format!("/calls/{call}/bidders")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);

    // Another bidder: its own receipts only.
    let theirs = call_get(&app, &b2, &format!("/calls/{call}/history")).await;
    let theirs: Vec<(i64, i64)> = theirs
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["bid_id"].as_i64().unwrap(),
                e["actor_id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(theirs, [(bid2, u2)]);
    let r = call_get(&app, &b2, &format!("/bids/{bid1}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call_get(&app, &b2, &format!("/calls/{call}/bids")).await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(1));
    for role in [Role::Expert, Role::Platform, Role::Evaluator] {
        let r = call_get(&app, app.token(role), &format!("/calls/{call}/history")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}: no call history");
    }

    // After the opening: the commission sees who bid; the panel sees names, to declare conflicts.
    app.clock.set(closes() + Duration::seconds(1));
    let r = call_post(
        &app,
        &commission,
        &format!("/calls/{call}/opening"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let history = call_get(&app, &commission, &format!("/calls/{call}/history")).await;
    let actors: Vec<(i64, i64)> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("bid_"))
        .map(|e| {
            (
                e["bid_id"].as_i64().unwrap(),
                e["actor_id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(actors, [(bid1, u1), (bid1, u1), (bid2, u2)]);
    let names = call_get(&app, &expert, &format!("/calls/{call}/bidders")).await;
    assert_eq!(names.status, StatusCode::OK, "{:?}", names.body);
    assert_eq!(
        names.body,
        json!([
            {"bid_id": bid1, "organisation_id": org1, "name": "示例甲科技有限公司", "joint_builders": []},
            {"bid_id": bid2, "organisation_id": org2, "name": "示例乙数据有限公司", "joint_builders": []},
        ])
    );
    for token in [&b1, app.token(Role::Platform)] {
        let r = call_get(&app, token, &format!("/calls/{call}/bidders")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let off_panel = app.add_user("expert-off", Role::Expert, None, None).await;
    let r = call_get(&app, &off_panel, &format!("/calls/{call}/bidders")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // And the recusals now name the bid, from data and declared.
    let panel = call_get(&app, &commission, &format!("/calls/{call}/panel")).await;
    assert_eq!(panel.body[0]["recusals"][0]["bid_id"], bid1);
    assert_eq!(
        panel.body[0]["recusals"][0]["reasons"],
        json!([
            "from data: works at the bidder",
            "declared (investment): 持有甲公司股份"
        ])
    );
}

/// A writer shared with the log subscriber below.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line at info level (and above) of this test binary, spans' fields included.
fn captured_logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::NEW)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init()
            .expect("the first subscriber of this test binary");
        logs
    })
}

/// Item 1, logs: a bid's submission logs at info level no organisation or account of the bidder,
/// `#[tracing::instrument]` fields included.
#[tokio::test]
async fn info_logs_name_no_bidder() {
    let logs = captured_logs();
    let (app, call) = with_call().await;
    let (_, token) = bidder(&app, "示例日志有限公司", 7, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let r = bid(&app, &token, call, content("日志方案", 900.0)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let submit: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("submit{call_id="))
        .collect();
    assert!(!submit.is_empty(), "the bid's span was not logged:\n{text}");
    for line in submit {
        for banned in [
            "organisation",
            "org=",
            "user",
            "account",
            "caller",
            "submitted_by",
        ] {
            assert!(!line.contains(banned), "{banned:?} in {line}");
        }
    }
}

/// RFC 8785 (JCS) written here independently of the service (and of serde_jcs), for the values
/// this test sends: keys by UTF-16 code units, JSON's minimal string escapes, and numbers as
/// ECMAScript prints them — integers without a fraction, others in Rust's shortest round-trip
/// form, which is ECMAScript's for magnitudes from 1e-6 to 1e21 (all this test uses).
fn jcs(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            let members: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", jcs(&Value::String(k.clone())), jcs(&m[k])))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(jcs).collect::<Vec<_>>().join(",")),
        Value::String(s) => {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap();
            assert!(
                (1e-6..1e21).contains(&f.abs()) || f == 0.0,
                "outside this JCS: {f}"
            );
            if f.fract() == 0.0 {
                format!("{}", f as i64)
            } else {
                format!("{f}")
            }
        }
        other => other.to_string(),
    }
}

/// Item 3: the receipt is the SHA-256 of the body exactly as sent, in JCS form — floats as
/// written (`1200.50` is `1200.5`, `3.0` is `3`), defaults not filled in, unicode as is — which a
/// bidder recomputes with a standard JCS tool; the opening verifies it.
#[tokio::test]
async fn a_receipt_recomputes_from_the_body_as_sent_with_jcs() {
    let (app, call) = with_call().await;
    let (_, token) = bidder(&app, "示例哈希有限公司", 8, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    // Hand-written: key order of our own, floats, unicode (a non-BMP one too), nested objects,
    // and no `team` (the service would otherwise fill in `"team":[]`).
    let body = r#"{
        "technical_plan": "两江新区“工业大脑” — ü 😀 \"引号\" \\ 反斜杠\n第二行",
        "budget": 1200.50,
        "schedule": [{"name": "上线 v3.0", "due": "2024-12-31"}, {"due": "2025-06-30", "name": "验收"}],
        "commitments": ["按期建成", "接入企业不少于200家"],
        "attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "张三"}
    }"#;
    let res = app
        .client
        .post(format!("{}/api/v1/calls/{call}/bids", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let receipt: Value = res.json().await.unwrap();
    let sent: Value = serde_json::from_str(body).unwrap();
    let canonical = jcs(&sent);
    assert_eq!(
        canonical,
        concat!(
            r#"{"attestation":{"name":"张三","statement":"对建设方案的真实性负责，严禁弄虚作假"},"#,
            r#""budget":1200.5,"commitments":["按期建成","接入企业不少于200家"],"#,
            r#""schedule":[{"due":"2024-12-31","name":"上线 v3.0"},{"due":"2025-06-30","name":"验收"}],"#,
            r#""technical_plan":"两江新区“工业大脑” — ü 😀 \"引号\" \\ 反斜杠\n第二行"}"#
        )
    );
    let expected = hex::encode(Sha256::digest(canonical.as_bytes()));
    assert_eq!(receipt["sha256"], expected.as_str(), "{receipt:?}");

    // The README's recipe, with a standard JCS tool, when Python's `jcs` is there.
    let has_jcs = std::process::Command::new("python3")
        .args(["-c", "import jcs"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_jcs {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bid.json");
        std::fs::write(&file, body).unwrap();
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import jcs,hashlib,json,sys; print(hashlib.sha256(jcs.canonicalize(json.load(sys.stdin))).hexdigest())",
            ])
            .stdin(std::fs::File::open(&file).unwrap())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), expected);
    } else {
        eprintln!(
            "note: Python's jcs package is not installed (pip install jcs); the recomputation \
             with it was skipped, the independent one in Rust was done"
        );
    }

    // The opening re-hashes the sealed canonical bytes.
    app.clock.set(closes() + Duration::seconds(1));
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/opening"),
            Some(Role::Commission),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["verified"], 1, "{:?}", r.body);
    assert_eq!(r.body["checks"][0]["sha256"], expected.as_str());
    // Readers get the content with the defaults filled in.
    let opened = app
        .get(
            &format!("/api/v1/bids/{}", receipt["bid_id"]),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(opened.body["content"]["team"], json!([]));
    assert_eq!(opened.body["content"]["budget"], 1200.5);
}

/// Item 4: bids racing the close. Every receipt answered 2xx is dated at or before `closes_at`,
/// and every bid's last such receipt is the one the opening found and verified.
#[tokio::test]
async fn every_bid_receipted_before_the_close_is_the_one_opened() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let mut tokens = Vec::new();
    for i in 0..16u32 {
        tokens.push(
            bidder(&app, &format!("示例截止公司{i}"), 200 + i, 1000.0)
                .await
                .1,
        );
    }
    app.clock.set(closes() - Duration::seconds(1));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let total = tokens.len() * 3;
    for (i, token) in tokens.iter().enumerate() {
        for round in 0..3 {
            let (client, tx, token) = (app.client.clone(), tx.clone(), token.clone());
            let url = format!("{}/api/v1/calls/{call}/bids", app.base);
            let body = content(&format!("截止方案{i}-{round}"), 500.0 + f64::from(round));
            tokio::spawn(async move {
                let r = client.post(url).bearer_auth(token).json(&body).send().await;
                let r = match r {
                    Ok(r) => (r.status(), r.json::<Value>().await.unwrap_or(Value::Null)),
                    Err(e) => panic!("{e}"),
                };
                tx.send(r).unwrap();
            });
        }
    }
    drop(tx);
    // A third of the answers in, the clock passes the close and the commission opens, while the
    // other bids are still on their way.
    let mut answers = Vec::new();
    let mut opening = None;
    while let Some(a) = rx.recv().await {
        answers.push(a);
        if answers.len() == total / 3 {
            app.clock.set(closes() + Duration::seconds(1));
            let (client, token) = (app.client.clone(), commission.clone());
            let url = format!("{}/api/v1/calls/{call}/opening", app.base);
            opening = Some(tokio::spawn(async move {
                let r = client.post(url).bearer_auth(token).send().await.unwrap();
                (r.status(), r.json::<Value>().await.unwrap())
            }));
        }
    }
    let (status, report) = opening.unwrap().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{report:?}");
    let mut last: BTreeMap<i64, (i64, String)> = BTreeMap::new();
    for (status, body) in &answers {
        match *status {
            StatusCode::CREATED => {
                assert!(at(&body["received_at"]) <= closes(), "{body:?}");
                let (bid, receipt) = (
                    body["bid_id"].as_i64().unwrap(),
                    body["receipt_id"].as_i64().unwrap(),
                );
                let entry = last
                    .entry(bid)
                    .or_insert((receipt, body["sha256"].as_str().unwrap().to_owned()));
                if receipt > entry.0 {
                    *entry = (receipt, body["sha256"].as_str().unwrap().to_owned());
                }
            }
            StatusCode::CONFLICT => {}
            other => panic!("{other}: {body:?}"),
        }
    }
    assert!(!last.is_empty());
    let opened: BTreeMap<i64, (i64, String)> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["verified"], true, "{c:?}");
            (
                c["bid_id"].as_i64().unwrap(),
                (
                    c["receipt_id"].as_i64().unwrap(),
                    c["sha256"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect();
    assert_eq!(
        opened, last,
        "the opening found exactly the last receipted bids"
    );
    // And no receipt in the database is dated after the close.
    let rows = entity::bid_receipt::Entity::find()
        .filter(entity::bid_receipt::Column::CallId.eq(i32::try_from(call).unwrap()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r.received_at <= closes()));
    let version = app.get(&format!("/api/v1/calls/{call}"), None).await.body["version"].clone();
    assert_eq!(
        version, 4,
        "announce, window opened, window closed, opening: the lock never bumps the version"
    );
}

async fn put_profile(app: &TestApp, expert_id: i64, body: Value) -> Reply {
    app.request(
        Method::PUT,
        &format!("/api/v1/users/{expert_id}/expert-profile"),
        Some(app.token(Role::Commission)),
        Some(body),
    )
    .await
}

async fn own_recusals(app: &TestApp, expert: &str, call: i64) -> Value {
    call_get(app, expert, &format!("/calls/{call}/panel"))
        .await
        .body[0]["recusals"]
        .clone()
}

/// Announces a second call on the list item `item`, with `notice_days` if given.
async fn new_call(app: &TestApp, item: &Value, notice: Option<u32>) -> Reply {
    let mut body = json!({
        "requirements": "第二个榜单项",
        "opens_at": "2024-04-01T09:00:00+08:00",
        "closes_at": "2024-04-10T17:00:00+08:00",
        "rubric": [{"criterion": "技术方案", "weight": 1, "max_points": 100}]
    });
    if let Some(n) = notice {
        body["notice_days"] = json!(n);
    }
    app.post(
        &format!("/api/v1/list-items/{item}/calls"),
        Some(Role::Commission),
        body,
    )
    .await
}

/// An opened call under review with two bids and two experts who both scored both.
async fn scored_call() -> (TestApp, i64, [i64; 2], [String; 2], [String; 2]) {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (_, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let (_, b2) = bidder(&app, "示例乙数据有限公司", 2, 800.0).await;
    let e1 = app.token(Role::Expert).to_owned();
    let e2 = app.add_user("expert-2", Role::Expert, None, None).await;
    let ids = account_ids(&app).await;
    let r = call_post(
        &app,
        &commission,
        &format!("/calls/{call}/panel"),
        json!({"experts": [ids["test-expert"], ids["expert-2"]]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.clock.set(opens() + Duration::hours(1));
    let bid1 = bid_id(&bid(&app, &b1, call, content("甲方案", 900.0)).await);
    let bid2 = bid_id(&bid(&app, &b2, call, content("乙方案", 700.0)).await);
    app.clock.set(closes() + Duration::seconds(1));
    for step in ["opening", "review"] {
        let r = call_post(
            &app,
            &commission,
            &format!("/calls/{call}/{step}"),
            json!({}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {:?}", r.body);
    }
    // With both experts bid 1 leads: (60+40)/2, (40+20)/2 → 42.00 against (30+50)/2, (20+30)/2
    // → 34.00.
    for (token, bid_id, tech, team) in [
        (&e1, bid1, 60.0, 40.0),
        (&e1, bid2, 30.0, 20.0),
        (&e2, bid1, 40.0, 20.0),
        (&e2, bid2, 50.0, 30.0),
    ] {
        let r = score(&app, token, bid_id, tech, team).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
    (app, call, [bid1, bid2], [b1, b2], [e1, e2])
}

fn ranks(ranking: &Value) -> Vec<(i64, String)> {
    ranking["bids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["bid_id"].as_i64().unwrap(),
                b["total_display"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Item 2: a conflict declared after scoring takes that sheet out of the ranking (the public one
/// included), recorded with its reason; after the notice started a declaration is refused.
#[tokio::test]
async fn a_conflict_declared_after_scoring_changes_the_ranking() {
    let (app, call, [bid1, bid2], [_, b2], [e1, _]) = scored_call().await;
    let ranking = app
        .get(
            &format!("/api/v1/calls/{call}/ranking"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(
        ranks(&ranking.body),
        [(bid1, "42.00".into()), (bid2, "34.00".into())]
    );
    let r = call_post(
        &app,
        &e1,
        &format!("/calls/{call}/conflicts"),
        json!({"bid_id": bid1, "kind": "family", "note": "配偶在甲公司任职"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // Bid 1 now has E2's sheet only: 0.6×40 + 0.4×20 = 32.00, below bid 2.
    let ranking = app
        .get(
            &format!("/api/v1/calls/{call}/ranking"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(
        ranks(&ranking.body),
        [(bid2, "34.00".into()), (bid1, "32.00".into())]
    );
    assert_eq!(
        ranking.body["bids"][1]["per_criterion"][0]["values"],
        json!([{"expert": "E2", "points": 4000}])
    );
    // The log says which sheet left the ranking and why.
    let history = app
        .get(
            &format!("/api/v1/calls/{call}/history"),
            Some(Role::Commission),
        )
        .await;
    let set_aside: Vec<&Value> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "set_aside")
        .collect();
    assert_eq!(set_aside.len(), 1, "{:?}", history.body);
    assert_eq!(
        set_aside[0]["note"],
        format!("the expert is recused from bid {bid1}: declared (family): 配偶在甲公司任职")
    );
    // The award follows the new ranking; the public sees the same ranking during the notice.
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/award"),
            Some(Role::Commission),
            json!({"bid_ids": [bid2], "note": "拟由乙公司挂帅"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let public = app
        .get(&format!("/api/v1/calls/{call}/ranking"), None)
        .await;
    assert_eq!(
        ranks(&public.body),
        [(bid2, "34.00".into()), (bid1, "32.00".into())]
    );
    // Once the notice started, a conflict is grounds for an objection, not a declaration.
    let r = call_post(
        &app,
        &e1,
        &format!("/calls/{call}/conflicts"),
        json!({"bid_id": bid2, "kind": "other", "note": "迟到的申报"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert!(r.body["detail"].as_str().unwrap().contains("objection"));
    assert_eq!(r.body["current_state"], "notice");
    // A bidder objects; the objection is the way back to review.
    let r = call_post(
        &app,
        app.token(Role::Applicant),
        &format!("/calls/{call}/objections"),
        json!({"grounds": "x", "contact": "y"}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "not a bidder: {:?}",
        r.body
    );
    let r = call_post(
        &app,
        &b2,
        &format!("/calls/{call}/objections"),
        json!({"grounds": "x", "contact": "y"}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the proposed winner: {:?}",
        r.body
    );
}

/// Item 2: recusals found from data are frozen at the opening: the calendar moving past the
/// three years does not lift them, a later profile edit does not add one (and is recorded).
#[tokio::test]
async fn recusals_found_from_data_are_frozen_at_the_opening() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (org1, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let (org2, b2) = bidder(&app, "示例乙数据有限公司", 2, 800.0).await;
    let expert = app.token(Role::Expert).to_owned();
    let expert_id = account_ids(&app).await["test-expert"];
    // Worked at bidder 1 until mid-2021: within three years of the opening in March 2024.
    let r = put_profile(
        &app,
        expert_id,
        json!({"past_employers": [{"organisation_id": org1, "until": "2021-06-30"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    call_post(
        &app,
        &commission,
        &format!("/calls/{call}/panel"),
        json!({"experts": [expert_id]}),
    )
    .await;
    app.clock.set(opens() + Duration::hours(1));
    let bid1 = bid_id(&bid(&app, &b1, call, content("甲方案", 900.0)).await);
    bid(&app, &b2, call, content("乙方案", 700.0)).await;
    app.clock.set(closes() + Duration::seconds(1));
    for step in ["opening", "review"] {
        let r = call_post(
            &app,
            &commission,
            &format!("/calls/{call}/{step}"),
            json!({}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {:?}", r.body);
    }
    let frozen = json!([{"bid_id": bid1, "reasons": ["from data: worked at the bidder until 2021-06-30 (within 3 years)"]}]);
    assert_eq!(own_recusals(&app, &expert, call).await, frozen);
    // Four months on, the employment is past three years; the review goes on.
    app.clock.advance(Duration::days(130));
    assert_eq!(own_recusals(&app, &expert, call).await, frozen);
    assert_eq!(
        score(&app, &expert, bid1, 50.0, 30.0).await.status,
        StatusCode::FORBIDDEN
    );
    // The profile now says it works at bidder 2: recorded, but no new recusal mid-review.
    let r = put_profile(&app, expert_id, json!({"organisation_id": org2})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(own_recusals(&app, &expert, call).await, frozen);
    let edits = entity::event::Entity::find()
        .filter(entity::event::Column::AggregateType.eq("expert_profile"))
        .filter(entity::event::Column::AggregateId.eq(expert_id.to_string()))
        .order_by_asc(entity::event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        edits.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["create", "update"]
    );
    // The freezing itself is in the log.
    let log = log_of(&app, call).await;
    assert!(log
        .iter()
        .any(|e| e.kind == "recusals_frozen" && e.visibility == "commission"));
}

/// Item 6: the notice is at least 3 natural days, counted in Beijing; only a losing bidder objects;
/// an objection is answered within 3 days or flagged overdue, in the call and the notice; answered
/// objections are public in the notice without the objector; the contact is the commission's.
#[tokio::test]
async fn notice_and_objections_as_the_law_has_them() {
    let (app, call, [bid1, _], [_, b2], _) = scored_call().await;
    let commission = app.token(Role::Commission).to_owned();
    // A call asks for at least 3 days of notice; 7 when it says nothing.
    // (One live call per list item: the new calls go to two other items of the list.)
    let item = app.get(&format!("/api/v1/calls/{call}"), None).await.body["list_item_id"].clone();
    let list = app.get("/api/v1/rounds/2024/list", None).await;
    let others: Vec<Value> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].clone())
        .filter(|id| *id != item)
        .collect();
    let r = new_call(&app, &others[0], Some(2)).await;
    assert_eq!(r.error_fields(), ["notice_days"], "{:?}", r.body);
    assert!(r.body.to_string().contains("Art. 54"));
    assert_eq!(
        new_call(&app, &others[0], None).await.body["notice_days"],
        7
    );
    assert_eq!(
        new_call(&app, &others[1], Some(3)).await.status,
        StatusCode::CREATED
    );

    // The award at 2024-03-10 17:00:01 Beijing: 7 days from 11 March, ending 17 March 24:00.
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/award"),
            Some(Role::Commission),
            json!({"bid_ids": [bid1], "note": "拟由甲公司挂帅"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        at(&r.body["notice_ends_at"]).to_rfc3339(),
        "2024-03-17T16:00:00+00:00"
    );

    // Only a bidder passed over may object.
    for token in [app.token(Role::Platform), app.token(Role::Expert)] {
        let r = call_post(
            &app,
            token,
            &format!("/calls/{call}/objections"),
            json!({"grounds": "g", "contact": "c"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    }
    let o = call_post(
        &app,
        &b2,
        &format!("/calls/{call}/objections"),
        json!({"grounds": "评分存在错误", "contact": "乙公司 023-6000-0002"}),
    )
    .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert!(o.body["contact"].is_null(), "the commission's only");
    // Received 10 March 17:00:01 Beijing: answer due by the end of 13 March.
    assert_eq!(
        at(&o.body["answer_due_at"]).to_rfc3339(),
        "2024-03-13T16:00:00+00:00"
    );
    let oid = o.body["id"].as_i64().unwrap();
    let mine = call_get(&app, &b2, &format!("/calls/{call}/objections")).await;
    assert!(mine.body[0]["contact"].is_null());
    let all = call_get(&app, &commission, &format!("/calls/{call}/objections")).await;
    assert_eq!(all.body[0]["contact"], "乙公司 023-6000-0002");
    // No contact in the log.
    let log = log_of(&app, call).await;
    assert!(log
        .iter()
        .all(|e| !e.payload.to_string().contains("023-6000-0002")));

    // Three days on, unanswered: flagged overdue in the call and in the notice.
    app.clock
        .set(at(&o.body["answer_due_at"]) + Duration::hours(1));
    let c = app.get(&format!("/api/v1/calls/{call}"), None).await;
    assert_eq!(c.body["overdue_objections"], 1, "{:?}", c.body);
    let notices = app.get("/api/v1/notices", None).await;
    assert_eq!(notices.body[0]["overdue"], 1);
    assert_eq!(notices.body[0]["unanswered"], 1);
    assert_eq!(notices.body[0]["answered"], json!([]));

    // Answered (late): public in the notice, grounds and answer, no objector, no contact.
    let r = app
        .post(
            &format!("/api/v1/objections/{oid}/answer"),
            Some(Role::Commission),
            json!({"upheld": false, "answer": "经复核，评分无误"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["overdue"], true);
    let notices = app.get("/api/v1/notices", None).await;
    let answered = &notices.body[0]["answered"];
    assert_eq!(answered[0]["grounds"], "评分存在错误");
    assert_eq!(answered[0]["answer"], "经复核，评分无误");
    assert_eq!(answered[0]["overdue"], true);
    assert!(answered[0].get("contact").is_none() && answered[0].get("submitted_by").is_none());
    assert!(!notices.body.to_string().contains("023-6000-0002"));
    assert_eq!(notices.body[0]["overdue"], 1);
}

/// Item 7: the clock's moves are in the log at their scheduled instants, by the clock, once, however
/// many requests observe them at the same moment.
#[tokio::test]
async fn the_clocks_moves_are_logged_once_by_concurrent_observers() {
    let (app, call) = with_call().await;
    app.clock.set(closes() + Duration::days(1));
    let mut tasks = Vec::new();
    for i in 0..24 {
        let client = app.client.clone();
        let url = if i % 2 == 0 {
            format!("{}/api/v1/calls/{call}", app.base)
        } else {
            format!("{}/api/v1/calls", app.base)
        };
        tasks.push(tokio::spawn(async move {
            client.get(url).send().await.unwrap().status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    type Move = (String, String, Option<i32>, DateTime<Utc>, i32);
    let moves: Vec<Move> = log_of(&app, call)
        .await
        .into_iter()
        .map(|e| (e.kind, e.actor_role, e.actor_id, e.at, e.aggregate_version))
        .collect();
    assert_eq!(
        moves[1..],
        [
            ("window_opened".into(), "clock".into(), None, opens(), 2),
            ("window_closed".into(), "clock".into(), None, closes(), 3),
        ]
    );
    let c = app.get(&format!("/api/v1/calls/{call}"), None).await;
    assert_eq!(
        (c.body["status"].clone(), c.body["version"].clone()),
        (json!("closed"), json!(3))
    );
    let report = jiebang::app::audit::verify(&app.state.db).await.unwrap();
    assert!(report.ok(), "{report:?}");
}

/// The opening of a bid that has no receipt says so, never "receipt 0".
#[tokio::test]
async fn the_opening_reports_a_bid_without_receipt_as_missing() {
    use sea_orm::{ActiveModelTrait, Set};
    let (app, call) = with_call().await;
    let (org, _) = bidder(&app, "示例无回执有限公司", 9, 2000.0).await;
    let orphan = entity::bid::ActiveModel {
        call_id: Set(i32::try_from(call).unwrap()),
        organisation_id: Set(i32::try_from(org).unwrap()),
        created_at: Set(opens()),
        updated_at: Set(opens()),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    app.clock.set(closes() + Duration::seconds(1));
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/opening"),
            Some(Role::Commission),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let check = &r.body["checks"][0];
    assert_eq!(check["bid_id"], orphan.id);
    assert!(check["receipt_id"].is_null(), "{check:?}");
    assert!(check["sha256"].is_null(), "{check:?}");
    assert_eq!(check["verified"], false);
    assert_eq!(check["problem"], "the bid has no receipt");
}

/// Issue 15: cancelling a call over HTTP — who may, the state, the history, what the public sees.
#[tokio::test]
async fn a_call_is_cancelled_over_http() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (_, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let bid1 = bid_id(&bid(&app, &b1, call, content("甲方案XYZZY", 900.0)).await);
    let path = format!("/calls/{call}/cancel");
    // Who may: the commission only; reasons are required.
    for role in [
        Role::Applicant,
        Role::Expert,
        Role::District,
        Role::Platform,
        Role::Evaluator,
    ] {
        let r = call_post(&app, app.token(role), &path, json!({"reasons": "x"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
    }
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1{path}"),
            None,
            Some(json!({"reasons": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call_post(&app, &commission, &path, json!({"reasons": "  "})).await;
    assert_eq!(r.error_fields(), ["reasons"]);
    assert_eq!(call_dto(&app, call).await.status, CallStatus::Open);
    let r = call_post(
        &app,
        &commission,
        &path,
        json!({"reasons": "榜单项调整，本次揭榜终止"}),
    )
    .await;
    assert_eq!(
        r.expect::<CallDto>(StatusCode::OK).status,
        CallStatus::Cancelled
    );
    // The public sees the state and the reasons, not the bids.
    let public = call_dto(&app, call).await;
    assert_eq!(public.status, CallStatus::Cancelled);
    assert_eq!(public.reasons.as_deref(), Some("榜单项调整，本次揭榜终止"));
    assert_eq!(public.bid_count, 1);
    assert!(public.award.is_empty());
    assert_eq!(app.get("/api/v1/notices", None).await.body, json!([]));
    let r = app
        .get(&format!("/api/v1/calls/{call}/ranking"), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Cancelled before the opening, the bids stay sealed, their bidders unknown.
    let sealed = call_get(&app, &commission, &format!("/bids/{bid1}")).await;
    assert_eq!(sealed.body["sealed"], true);
    assert!(sealed.body["organisation_id"].is_null());
    assert!(!sealed.body.to_string().contains("XYZZY"));
    // No way out of cancelled; no more bids.
    let r = call_post(&app, &commission, &path, json!({"reasons": "again"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["current_state"], "cancelled");
    let r = call_post(
        &app,
        &commission,
        &format!("/calls/{call}/unsuccessful"),
        json!({"reasons": "x"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        bid(&app, &b1, call, content("再投", 900.0)).await.status,
        StatusCode::CONFLICT
    );
    // The history: the cancellation by the commission's account, with its reasons.
    let admin = account_ids(&app).await["admin"];
    let history = call_get(&app, &commission, &format!("/calls/{call}/history")).await;
    let last = history.body.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "cancel");
    assert_eq!(
        (last["from_status"].clone(), last["to_status"].clone()),
        (json!("open"), json!("cancelled"))
    );
    assert_eq!(last["note"], "榜单项调整，本次揭榜终止");
    assert_eq!(last["actor_id"], admin);
    assert_eq!(last["details"]["reasons"], "榜单项调整，本次揭榜终止");

    // A call in its notice cannot be cancelled: the way out is an upheld objection.
    let (app, call, [bid1, _], _, _) = scored_call().await;
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/award"),
            Some(Role::Commission),
            json!({"bid_ids": [bid1], "note": "拟授予"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/cancel"),
            Some(Role::Commission),
            json!({"reasons": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["current_state"], "notice");
}

/// Issue 15: declaring a call unsuccessful over HTTP — only once the window closed, the state, the
/// history, what the public sees.
#[tokio::test]
async fn a_call_is_declared_unsuccessful_over_http() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (_, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    bid(&app, &b1, call, content("甲方案", 900.0)).await;
    let path = format!("/calls/{call}/unsuccessful");
    let r = call_post(
        &app,
        app.token(Role::Applicant),
        &path,
        json!({"reasons": "x"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Not while bids are still taken.
    let r = call_post(&app, &commission, &path, json!({"reasons": "无有效投标"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.body["current_state"], "open");
    app.clock.set(closes() + Duration::seconds(1));
    let r = call_post(&app, &commission, &path, json!({"reasons": ""})).await;
    assert_eq!(r.error_fields(), ["reasons"]);
    let r = call_post(
        &app,
        &commission,
        &path,
        json!({"reasons": "仅一家投标，竞争不足"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "unsuccessful");
    let public = app.get(&format!("/api/v1/calls/{call}"), None).await;
    assert_eq!(public.body["status"], "unsuccessful");
    assert_eq!(public.body["reasons"], "仅一家投标，竞争不足");
    assert_eq!(app.get("/api/v1/notices", None).await.body, json!([]));
    // Final: neither opened nor cancelled after.
    for (step, body) in [
        ("opening", json!({})),
        ("cancel", json!({"reasons": "x"})),
        ("unsuccessful", json!({"reasons": "x"})),
    ] {
        let r = call_post(&app, &commission, &format!("/calls/{call}/{step}"), body).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{step}: {:?}", r.body);
    }
    let history = call_get(&app, &commission, &format!("/calls/{call}/history")).await;
    let actions: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "announce",
            "window_opened",
            "bid_received",
            "window_closed",
            "declare_unsuccessful"
        ]
    );
    let last = history.body.as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["from_status"].clone(), last["to_status"].clone()),
        (json!("closed"), json!("unsuccessful"))
    );
    assert_eq!(last["note"], "仅一家投标，竞争不足");
}
