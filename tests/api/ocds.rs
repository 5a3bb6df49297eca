//! The OCDS 1.1 export: a release at each public stage of a contracting process, ocids from the
//! configured prefix, tags from the codelist, nothing of who bid before the opening, paging by a
//! log cursor that neither skips nor repeats, records with their compiled release, the bulk file.

use chrono::Duration;
use jiebang::domain::role::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::calls::{bid, bidder, closes, content, opens, with_call};
use crate::helpers::*;

const BIDDER: &str = "示例甲科技有限公司";

fn releases(package: &Value) -> Vec<Value> {
    package["releases"].as_array().cloned().unwrap_or_default()
}

fn tags(rs: &[Value]) -> Vec<String> {
    rs.iter()
        .map(|r| r["tag"][0].as_str().unwrap().to_owned())
        .collect()
}

/// The record package of the call's process, as the public gets it.
async fn record(app: &TestApp, ocid: &str) -> Value {
    let r = app.get(&format!("/api/v1/ocds/records/{ocid}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body
}

#[tokio::test]
async fn a_process_is_told_stage_by_stage_and_bidders_only_after_the_opening() {
    let (app, call) = with_call().await;
    let (_, applicant) = bidder(&app, BIDDER, 1, 2000.0).await;
    let item = app.get(&format!("/api/v1/calls/{call}"), None).await.body["list_item_id"]
        .as_i64()
        .unwrap();
    let ocid = format!("ocds-213czf-2024-{item}");

    // The list is published and the call announced: a planning release per item, a tender one.
    let all = app.get("/api/v1/ocds/releases?limit=1000", None).await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    assert_eq!(all.body["version"], "1.1");
    assert!(all.body["publisher"]["name"].is_string());
    assert!(all.body["extensions"][0]
        .as_str()
        .unwrap()
        .ends_with("/api/v1/ocds/extension/extension.json"));
    let rs = releases(&all.body);
    assert_eq!(
        tags(&rs),
        ["planning", "planning", "planning", "planning", "planning", "tender"]
    );
    for r in &rs {
        let o = r["ocid"].as_str().unwrap();
        assert!(o.starts_with("ocds-213czf-2024-"), "{o}");
        assert!(r["id"].as_str().unwrap().starts_with(o), "{r}");
        assert!(r["date"].as_str().unwrap().ends_with("+08:00"), "{r}");
        assert_eq!(r["initiationType"], "tender");
        assert_eq!(r["buyer"]["id"], r["parties"][0]["id"]);
    }
    let tender = &rs[5];
    assert_eq!(tender["ocid"], ocid.as_str());
    assert_eq!(tender["tender"]["status"], "active");
    assert_eq!(tender["tender"]["awardCriteria"], "ratedCriteria");
    assert_eq!(tender["tender"]["rubric"][0]["criterion"], "技术方案");
    assert_eq!(
        tender["tender"]["tenderPeriod"]["endDate"],
        "2024-03-10T17:00:00+08:00"
    );

    // A bid while the call is open: no release names it, counts it or says who.
    app.clock.set(opens() + Duration::hours(1));
    let r = bid(&app, &applicant, call, content("甲方案", 900.0)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let open = record(&app, &ocid).await;
    let text = open.to_string();
    assert!(
        !text.contains(BIDDER),
        "the bidder is named before the opening"
    );
    assert!(!text.contains("甲方案"), "bid content before the opening");
    let rec = &open["records"][0];
    assert_eq!(rec["ocid"], ocid.as_str());
    assert_eq!(
        tags(rec["releases"].as_array().unwrap()),
        ["planning", "tender", "tenderUpdate"],
        "the window's opening is a tender update"
    );
    for r in rec["releases"].as_array().unwrap() {
        assert!(r["tender"].get("tenderers").is_none(), "{r}");
        assert!(r["tender"].get("numberOfTenderers").is_none(), "{r}");
        assert_eq!(r["parties"].as_array().unwrap().len(), 1, "{r}");
    }
    let compiled = &rec["compiledRelease"];
    assert_eq!(compiled["tag"][0], "compiled");
    assert_eq!(compiled["id"], format!("{ocid}-compiled"));
    assert!(compiled["tender"].get("tenderers").is_none());
    assert!(compiled["planning"]["budget"]["amount"]["amount"].is_i64());

    // After the close, the number of bids; still not who.
    app.clock.set(closes() + Duration::seconds(1));
    let closed = record(&app, &ocid).await;
    assert!(!closed.to_string().contains(BIDDER));
    let compiled = &closed["records"][0]["compiledRelease"];
    assert_eq!(compiled["tender"]["numberOfTenderers"], 1);
    assert!(compiled["tender"].get("tenderers").is_none());

    // The opening names the bidders, from that release on, and the earlier releases stay as
    // they were (their ids and content do not change).
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/opening"),
            Some(Role::Commission),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let opened = record(&app, &ocid).await;
    let rels = opened["records"][0]["releases"].as_array().unwrap().clone();
    let before = closed["records"][0]["releases"].as_array().unwrap();
    assert_eq!(&rels[..before.len()], &before[..], "releases are immutable");
    let last = rels.last().unwrap();
    assert_eq!(last["tag"][0], "tenderUpdate");
    assert_eq!(last["tender"]["tenderers"][0]["name"], BIDDER);
    let party = &last["parties"][1];
    assert_eq!(party["name"], BIDDER);
    assert_eq!(party["roles"], serde_json::json!(["tenderer"]));
    assert_eq!(party["identifier"]["scheme"], "CN-USCC");
    assert_eq!(
        opened["records"][0]["compiledRelease"]["tender"]["tenderers"][0]["name"],
        BIDDER
    );
}

#[tokio::test]
async fn pages_by_cursor_neither_skip_nor_repeat_and_the_bulk_file_has_every_release() {
    let (app, call) = with_call().await;
    app.clock.set(closes() + Duration::seconds(1));
    // Closes the call in the log (a read of the call catches its clock moves up).
    let r = app.get(&format!("/api/v1/calls/{call}"), None).await;
    assert_eq!(r.body["status"], "closed");
    let whole = releases(&app.get("/api/v1/ocds/releases?limit=1000", None).await.body);
    let ids: Vec<&str> = whole.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 8, "{ids:?}");

    let mut seen = Vec::new();
    let mut after = 0;
    for _ in 0..20 {
        let page = app
            .get(
                &format!("/api/v1/ocds/releases?after={after}&limit=2"),
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        let rs = releases(&page.body);
        let next: i64 = page.headers["x-next-cursor"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(page.body["links"]["next"]
            .as_str()
            .unwrap()
            .contains(&format!("after={next}")));
        if rs.is_empty() {
            break;
        }
        seen.extend(rs.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        after = next;
    }
    assert_eq!(seen, ids, "every release once, in order");

    let bulk = app.get("/api/v1/ocds/bulk?year=2024", None).await;
    assert_eq!(bulk.status, StatusCode::OK);
    assert_eq!(bulk.headers["content-type"], "application/jsonl");
    let mut lines: Vec<String> = bulk
        .body
        .as_str()
        .unwrap()
        .lines()
        .map(|l| {
            let r: Value = serde_json::from_str(l).unwrap();
            r["id"].as_str().unwrap().to_owned()
        })
        .collect();
    lines.sort();
    let mut want: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    want.sort();
    assert_eq!(lines, want);

    let recs = app.get("/api/v1/ocds/records?year=2024", None).await;
    assert_eq!(recs.body["records"].as_array().unwrap().len(), 5);
    let none = app.get("/api/v1/ocds/records?year=2030", None).await;
    assert_eq!(none.body["records"], serde_json::json!([]));

    // The extension the packages name is served.
    let ext = app.get("/api/v1/ocds/extension/extension.json", None).await;
    assert_eq!(ext.status, StatusCode::OK);
    assert_eq!(ext.body["schemas"][0], "release-schema.json");
    let schema = app
        .get("/api/v1/ocds/extension/release-schema.json", None)
        .await;
    assert!(schema.body["definitions"]["Tender"]["properties"]["rubric"].is_object());
}

#[tokio::test]
async fn bad_cursors_years_and_ocids_are_refused() {
    let app = spawn_app().await;
    for (path, status, field) in [
        (
            "/api/v1/ocds/releases?limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("limit"),
        ),
        (
            "/api/v1/ocds/releases?limit=1001",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("limit"),
        ),
        (
            "/api/v1/ocds/releases?after=-1",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("after"),
        ),
        (
            "/api/v1/ocds/releases?after=x",
            StatusCode::BAD_REQUEST,
            Some("after"),
        ),
        (
            "/api/v1/ocds/records?year=1999",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("year"),
        ),
        (
            "/api/v1/ocds/records",
            StatusCode::BAD_REQUEST,
            Some("year"),
        ),
        (
            "/api/v1/ocds/bulk?year=3000",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("year"),
        ),
        (
            "/api/v1/ocds/records/ocds-213czf-2024-1",
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "/api/v1/ocds/records/ocds-other-2024-1",
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "/api/v1/ocds/records/ocds-213czf-2024-x",
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "/api/v1/ocds/extension/secret.json",
            StatusCode::NOT_FOUND,
            None,
        ),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, status, "{path}: {:?}", r.body);
        assert!(r.is_problem(), "{path}");
        if let Some(f) = field {
            assert!(
                r.error_fields().contains(&f.to_owned()),
                "{path}: {:?}",
                r.body
            );
        }
    }
}
