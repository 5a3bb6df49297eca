//! Deadline-burst benchmark for bids (not a test): against a running jiebang, sets up five open
//! calls through the API, then 200 clients submit 2,000 bids as fast as the server takes them,
//! and records every receipt. `--verify` (after a `kill -9` and a restart) checks that every
//! receipt is in the calls' history with the same hash and, once the calls close, opens them so
//! the server re-verifies every stored bid against its receipt. See `bench/bid-burst.sh`.
//!
//! `cargo run --release --example bid_burst -- --base http://127.0.0.1:8080 --admin-password P \
//!     --out receipts.json` then `... --verify receipts.json`.
//!
//! `--base` may list several instances of one service (comma-separated): bidders are spread over
//! them in turn. `--edits N` then runs N concurrent editors of one round, each reading it from one
//! instance and writing it with `If-Match` through the next (see `bench/two-instances.sh`): every
//! write answers 200 or 412, and the round's version and history must count exactly the 200s.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark harness fails loudly

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{json, Value};

struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> (u16, Value, Option<String>) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        if let Some(e) = if_match {
            req = req.header("if-match", e);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let etag = res
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = res.json::<Value>().await.unwrap_or(Value::Null);
        (status, body, etag)
    }

    async fn ok(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> (Value, Option<String>) {
        let (status, body, etag) = self.send(method.clone(), path, token, body, if_match).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {body}"
        );
        (body, etag)
    }

    /// Every item of an array list, following its `Link: <…>; rel="next"` headers to the end.
    async fn all(&self, path: &str, token: Option<&str>) -> Vec<Value> {
        let mut items = Vec::new();
        let mut next = Some(format!("{}{path}", self.base));
        while let Some(url) = next {
            let mut req = self.http.get(&url);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let res = req.send().await.expect("request");
            assert!(res.status().is_success(), "GET {url}: {}", res.status());
            next = res
                .headers()
                .get("link")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| Some(v[v.find('<')? + 1..v.find('>')?].to_owned()))
                .map(|p| format!("{}{p}", self.base));
            let page = res.json::<Value>().await.expect("a JSON array");
            items.extend(page.as_array().expect("an array").iter().cloned());
        }
        items
    }

    async fn token(&self, username: &str, password: &str) -> String {
        let (b, _) = self
            .ok(
                reqwest::Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"username": username, "password": password})),
                None,
            )
            .await;
        b["access_token"].as_str().unwrap().to_owned()
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn uscc(prefix17: &str) -> String {
    jiebang::domain::codes::Uscc::with_check(prefix17).unwrap()
}

const PASSWORD: &str = "bench-password-123";

#[tokio::main]
async fn main() {
    let bases: Vec<String> = arg("--base")
        .unwrap_or_else(|| "http://127.0.0.1:8080".into())
        .split(',')
        .map(str::to_owned)
        .collect();
    let api = Api {
        base: bases[0].clone(),
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()
            .unwrap(),
    };
    let admin = api
        .token("admin", &arg("--admin-password").expect("--admin-password"))
        .await;
    if let Some(file) = arg("--verify") {
        verify(&api, &admin, &file).await;
        return;
    }
    let clients: usize = arg("--clients").map_or(200, |v| v.parse().unwrap());
    let total: usize = arg("--bids").map_or(2000, |v| v.parse().unwrap());
    let close_in: i64 = arg("--close-in-secs").map_or(120, |v| v.parse().unwrap());
    let out = arg("--out").unwrap_or_else(|| "receipts.json".into());
    // The deadline burst: every bid arrives within this window, each client spacing its
    // submissions evenly (staggered between clients). `--flat-out` sends as fast as possible.
    let window = Duration::from_secs_f64(arg("--within-secs").map_or(10.0, |v| v.parse().unwrap()));
    let flat_out = std::env::args().any(|a| a == "--flat-out");
    let tag = Utc::now().timestamp() % 1_000_000;
    let calls = setup(&api, &admin, tag, close_in).await;
    eprintln!(
        "set up {} open calls; creating {clients} bidders…",
        calls.len()
    );
    let mut bidders = Vec::new();
    for i in 0..clients {
        let (org, _) = api
            .ok(
                reqwest::Method::POST,
                "/api/v1/organisations",
                Some(&admin),
                Some(json!({"name": format!("示例压测公司{tag}-{i}"), "uscc": uscc(&format!("91500112MB{:01}{:06}", tag % 10, (tag * 1000 + i as i64) % 1_000_000)), "district_code": "500112", "registered_capital": 1000})),
                None,
            )
            .await;
        let username = format!("bench-{tag}-{i}");
        api.ok(
            reqwest::Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": username, "password": PASSWORD, "role": "applicant", "organisation_id": org["id"]})),
            None,
        )
        .await;
        bidders.push(api.token(&username, PASSWORD).await);
    }
    eprintln!(
        "burst: {clients} clients, {total} bids over {} calls, {}",
        calls.len(),
        if flat_out {
            "flat out".to_owned()
        } else {
            format!("within {:.0} s", window.as_secs_f64())
        }
    );
    let per_client = total / clients;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, token) in bidders.into_iter().enumerate() {
        let http = api.http.clone();
        let base = bases[i % bases.len()].clone();
        let calls = calls.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for k in 0..per_client {
                if !flat_out {
                    let slot = window.as_secs_f64() / per_client as f64;
                    let due = started + Duration::from_secs_f64(slot * (k as f64 + i as f64 / clients as f64));
                    tokio::time::sleep_until(due.into()).await;
                }
                let call = calls[(i + k) % calls.len()];
                let body = json!({
                    "technical_plan": format!("压测方案 client {i} submission {k}"),
                    "team": [{"name": "示例负责人", "role": "项目经理"}],
                    "budget": 100 + k,
                    // No attachment: an upload is its own request, not part of the burst.
                    "attachments": [],
                    "attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "示例法定代表人", "position": "法定代表人"}
                });
                let t = Instant::now();
                let res = http.post(format!("{base}/api/v1/calls/{call}/bids")).bearer_auth(&token).json(&body).send().await;
                let elapsed = t.elapsed();
                match res {
                    Ok(r) if r.status().as_u16() == 201 => {
                        let v: Value = r.json().await.unwrap();
                        out.push((elapsed, Some((call, v))));
                    }
                    Ok(r) => {
                        eprintln!("refused: {} {}", r.status(), r.text().await.unwrap_or_default());
                        out.push((elapsed, None));
                    }
                    Err(e) => {
                        eprintln!("failed: {e}");
                        out.push((elapsed, None));
                    }
                }
            }
            out
        }));
    }
    let mut latencies = Vec::new();
    let mut receipts = Vec::new();
    let mut failed = 0;
    for t in tasks {
        for (d, r) in t.await.unwrap() {
            latencies.push(d);
            match r {
                Some((call, v)) => receipts.push(json!({"call": call, "bid_id": v["bid_id"], "receipt_id": v["receipt_id"], "sha256": v["sha256"]})),
                None => failed += 1,
            }
        }
    }
    let wall = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "bids: {} accepted, {failed} failed, in {:.2} s → {:.0} bids/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        receipts.len(),
        wall.as_secs_f64(),
        receipts.len() as f64 / wall.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*latencies.last().unwrap())
    );
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&json!({"calls": calls, "receipts": receipts})).unwrap(),
    )
    .unwrap();
    eprintln!("receipts written to {out}");
    let editors: usize = arg("--edits").map_or(0, |v| v.parse().unwrap());
    if editors > 0 {
        edits(&api, &admin, &bases, editors, tag).await;
    }
}

/// `editors` clients each make 20 read-then-write attempts on one round, reading through one
/// instance and writing with `If-Match` through the next. Nothing may be lost: the round's version
/// rises by exactly the number of 200s, and its history holds exactly that many updates.
async fn edits(api: &Api, admin: &str, bases: &[String], editors: usize, tag: i64) {
    let year = 2100 - i32::try_from(tag % 70).unwrap();
    let path = format!("/api/v1/rounds/{year}");
    let (before, _) = api
        .ok(reqwest::Method::GET, &path, Some(admin), None, None)
        .await;
    let history_path = format!("{path}/history");
    let history_before = api.all(&history_path, Some(admin)).await.len();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for e in 0..editors {
        let bases = bases.to_vec();
        let http = api.http.clone();
        let admin = admin.to_owned();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut stale) = (0u32, 0u32);
            for k in 0..20 {
                let read = &bases[(e + k) % bases.len()];
                let write = &bases[(e + k + 1) % bases.len()];
                let res = http
                    .get(format!("{read}{path}"))
                    .bearer_auth(&admin)
                    .send()
                    .await
                    .unwrap();
                let etag = res.headers()["etag"].to_str().unwrap().to_owned();
                let res = http
                    .patch(format!("{write}{path}"))
                    .bearer_auth(&admin)
                    .header("if-match", etag)
                    .json(&json!({"title": format!("压测 {tag} editor {e} edit {k}")}))
                    .send()
                    .await
                    .unwrap();
                match res.status().as_u16() {
                    200 => ok += 1,
                    412 | 409 => stale += 1,
                    s => panic!(
                        "edit answered {s}: {}",
                        res.text().await.unwrap_or_default()
                    ),
                }
            }
            (ok, stale)
        }));
    }
    let (mut ok, mut stale) = (0, 0);
    for t in tasks {
        let (o, s) = t.await.unwrap();
        ok += o;
        stale += s;
    }
    let wall = started.elapsed();
    let (after, _) = api
        .ok(reqwest::Method::GET, &path, Some(admin), None, None)
        .await;
    let history_after = api.all(&history_path, Some(admin)).await.len();
    let rose = after["version"].as_i64().unwrap() - before["version"].as_i64().unwrap();
    let recorded = history_after - history_before;
    let lost = i64::from(ok) - rose;
    println!(
        "edits: {editors} editors over {} instances, {ok} written (200), {stale} refused as stale (412/409) in {:.2} s; version rose by {rose}, history gained {recorded}; {} lost",
        bases.len(),
        wall.as_secs_f64(),
        lost.abs() + (i64::from(ok) - recorded as i64).abs()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Five districts file one proposal each (distinct clusters), seal them, the commission marks them
/// eligible, selects, publishes, and announces a call per list item, open now, closing soon.
async fn setup(api: &Api, admin: &str, tag: i64, close_in: i64) -> Vec<i64> {
    let year = 2100 - i32::try_from(tag % 70).unwrap();
    let now = Utc::now();
    let deadline = (now + chrono::Duration::days(1)).to_rfc3339();
    api.ok(
        reqwest::Method::POST,
        "/api/v1/rounds",
        Some(admin),
        Some(json!({"year": year, "title": format!("压测 {tag}"), "intake_deadline": deadline})),
        None,
    )
    .await;
    let districts = ["500103", "500104", "500105", "500106", "500107"];
    let clusters = [
        "icv_nev",
        "electronic_info",
        "advanced_materials",
        "food_agri",
        "software_info",
    ];
    for (d, c) in districts.iter().zip(clusters) {
        let user = format!("bench-officer-{tag}-{d}");
        api.ok(reqwest::Method::POST, "/api/v1/users", Some(admin), Some(json!({"username": user, "password": PASSWORD, "role": "district", "district_code": d})), None)
            .await;
        let officer = api.token(&user, PASSWORD).await;
        let (p, etag) = api
            .ok(
                reqwest::Method::POST,
                &format!("/api/v1/rounds/{year}/proposals"),
                Some(&officer),
                Some(json!({"form": {"brain_name": format!("示例{c}行业产业大脑"), "district_code": d, "cluster_code": c, "construction_model": "government_led"}})),
                None,
            )
            .await;
        let id = p["id"].as_i64().unwrap();
        let (_, etag) = api
            .ok(
                reqwest::Method::POST,
                &format!("/api/v1/proposals/{id}/submit"),
                Some(&officer),
                Some(json!({"attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "压测负责人"}})),
                etag.as_deref(),
            )
            .await;
        let (_, etag) = api
            .ok(
                reqwest::Method::POST,
                &format!("/api/v1/proposals/{id}/seal"),
                Some(&officer),
                Some(json!({"statement": "同意"})),
                etag.as_deref(),
            )
            .await;
        api.ok(
            reqwest::Method::POST,
            &format!("/api/v1/proposals/{id}/eligibility"),
            Some(admin),
            Some(json!({"eligible": true})),
            etag.as_deref(),
        )
        .await;
    }
    let (run, _) = api
        .ok(
            reqwest::Method::POST,
            &format!("/api/v1/rounds/{year}/selections"),
            Some(admin),
            Some(json!({})),
            None,
        )
        .await;
    let (list, _) = api
        .ok(
            reqwest::Method::POST,
            &format!("/api/v1/rounds/{year}/list"),
            Some(admin),
            Some(json!({"selection_id": run["id"], "note": "压测榜单"})),
            None,
        )
        .await;
    let opens = (now - chrono::Duration::minutes(1)).to_rfc3339();
    let closes = (now + chrono::Duration::seconds(close_in)).to_rfc3339();
    let mut calls = Vec::new();
    for item in list["items"].as_array().unwrap() {
        let (c, _) = api
            .ok(
                reqwest::Method::POST,
                &format!("/api/v1/list-items/{}/calls", item["id"]),
                Some(admin),
                Some(json!({"requirements": "压测", "opens_at": opens, "closes_at": closes, "rubric": [{"criterion": "方案", "weight": 1, "max_points": 100}]})),
                None,
            )
            .await;
        calls.push(c["id"].as_i64().unwrap());
    }
    calls
}

/// Once the calls close, the opening re-verifies every stored bid and opens exactly each bid's
/// last receipt issued; every receipt is then in its call's history with its hash (before the
/// opening the history shows receipts by number and time only).
async fn verify(api: &Api, admin: &str, file: &str) {
    let data: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let receipts = data["receipts"].as_array().unwrap();
    let mut closes = Utc::now();
    for call in data["calls"].as_array().unwrap() {
        let (c, _) = api
            .ok(
                reqwest::Method::GET,
                &format!("/api/v1/calls/{call}"),
                None,
                None,
                None,
            )
            .await;
        closes = closes.max(c["closes_at"].as_str().unwrap().parse().unwrap());
    }
    let mut last_of_bid: HashMap<i64, i64> = HashMap::new();
    for r in receipts {
        let id = r["receipt_id"].as_i64().unwrap();
        let bid = r["bid_id"].as_i64().unwrap();
        let last = last_of_bid.entry(bid).or_insert(id);
        *last = (*last).max(id);
    }
    let wait = (closes - Utc::now()).num_milliseconds();
    if wait > 0 {
        eprintln!(
            "waiting {:.0} s for the calls to close before opening them…",
            wait as f64 / 1e3
        );
        tokio::time::sleep(Duration::from_millis(u64::try_from(wait).unwrap() + 1500)).await;
    }
    let (mut bids, mut verified) = (0, 0);
    let mut opened: HashMap<i64, i64> = HashMap::new();
    for call in data["calls"].as_array().unwrap() {
        let (report, _) = api
            .ok(
                reqwest::Method::POST,
                &format!("/api/v1/calls/{call}/opening"),
                Some(admin),
                None,
                None,
            )
            .await;
        bids += report["bids"].as_i64().unwrap();
        verified += report["verified"].as_i64().unwrap();
        for c in report["checks"].as_array().unwrap() {
            opened.insert(
                c["bid_id"].as_i64().unwrap(),
                c["receipt_id"].as_i64().unwrap_or(0),
            );
        }
    }
    let mut recorded: HashMap<i64, String> = HashMap::new();
    for call in data["calls"].as_array().unwrap() {
        let history = api
            .all(&format!("/api/v1/calls/{call}/history"), Some(admin))
            .await;
        for e in &history {
            if let Some(r) = e["details"]["receipt_id"].as_i64() {
                recorded.insert(
                    r,
                    e["details"]["sha256"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
        }
    }
    let lost = receipts
        .iter()
        .filter(|r| {
            recorded
                .get(&r["receipt_id"].as_i64().unwrap())
                .map(String::as_str)
                != r["sha256"].as_str()
        })
        .count();
    let not_last = last_of_bid
        .iter()
        .filter(|(bid, last)| opened.get(bid) != Some(last))
        .count();
    println!(
        "verify: {} receipts issued, {lost} missing from the history or with another hash; {} bids, {not_last} whose opened receipt is not the last issued",
        receipts.len(),
        last_of_bid.len()
    );
    println!("opening: {bids} bids opened, {verified} verified against their receipts, {} of {} receipted bids present", opened.len(), last_of_bid.len());
}
