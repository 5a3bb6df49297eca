//! Bid withdrawal before the close (issue 16 item 6): a receipt for the withdrawal, the bid
//! never opened and reported as withdrawn, who bid still sealed.

use chrono::Duration;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use jiebang::routes::views::bids::{BidView, WithdrawalReceipt};
use jiebang::routes::views::calls::OpeningReport;

use crate::calls::{bid, bid_id, bidder, call_dto, closes, content, opens, with_call};
use crate::helpers::*;

async fn withdraw(app: &TestApp, token: &str, bid: i64) -> Reply {
    app.request(
        Method::POST,
        &format!("/api/v1/bids/{bid}/withdrawal"),
        Some(token),
        None,
    )
    .await
}

#[tokio::test]
async fn a_withdrawn_bid_keeps_its_receipt_and_is_reported_at_the_opening() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (org_a, a) = bidder(&app, "示例撤回科技有限公司", 31, 2000.0).await;
    let (_org_b, b) = bidder(&app, "示例坚持数据有限公司", 32, 2000.0).await;
    let (_org_c, c) = bidder(&app, "示例反复工业有限公司", 33, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let first = bid(&app, &a, call, content("甲方案", 900.0)).await;
    let bid_a = bid_id(&first);
    let bid_b = bid_id(&bid(&app, &b, call, content("乙方案", 950.0)).await);
    let bid_c = bid_id(&bid(&app, &c, call, content("丙方案", 990.0)).await);
    assert_eq!(call_dto(&app, call).await.bid_count, 3);

    // Only the bidder may withdraw: another bidder does not learn the bid exists, the
    // commission may not act.
    assert_eq!(
        withdraw(&app, &b, bid_a).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        withdraw(&app, &commission, bid_a).await.status,
        StatusCode::FORBIDDEN
    );
    app.clock.set(opens() + Duration::hours(2));
    let r = withdraw(&app, &a, bid_a).await;
    let w: WithdrawalReceipt = r.expect(StatusCode::CREATED);
    assert_eq!(w.bid_id as i64, bid_a);
    assert_eq!(
        w.receipt_id as i64,
        first.body["receipt_id"].as_i64().unwrap()
    );
    // The withdrawal's hash is of its canonical statement, which names the receipt withdrawn.
    let statement = json!({
        "bid_id": bid_a,
        "call_id": call,
        "withdrawn_at": w.withdrawn_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "withdrawn_receipt_id": w.receipt_id,
        "withdrawn_receipt_sha256": first.body["sha256"],
    });
    let canonical = serde_json::to_string(&statement).unwrap();
    assert_eq!(w.sha256, sha256_hex(canonical.as_bytes()));
    // Twice is refused; the public count drops.
    let again = withdraw(&app, &a, bid_a).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
    assert_eq!(call_dto(&app, call).await.bid_count, 2);

    // A withdrawal and a resubmission reinstate a bid.
    withdraw(&app, &c, bid_c)
        .await
        .expect::<WithdrawalReceipt>(StatusCode::CREATED);
    assert_eq!(call_dto(&app, call).await.bid_count, 1);
    bid(&app, &c, call, content("丙方案第二版", 980.0))
        .await
        .expect::<Value>(StatusCode::CREATED);
    let own: BidView = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid_c}"),
            Some(&c),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert!(own.withdrawn.is_none());
    assert_eq!(own.withdrawals.len(), 1);
    assert_eq!(call_dto(&app, call).await.bid_count, 2);

    // The bidder sees its withdrawal; the commission sees a sealed receipt, never the bidder.
    let own: BidView = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid_a}"),
            Some(&a),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        own.withdrawn.as_ref().map(|x| x.withdrawal_id),
        Some(w.withdrawal_id)
    );
    assert!(own.content.is_some());
    let seen: Vec<BidView> = app
        .get(
            &format!("/api/v1/calls/{call}/bids"),
            Some(Role::Commission),
        )
        .await
        .expect(StatusCode::OK);
    let seen_a = seen.iter().find(|x| x.bid_id as i64 == bid_a).unwrap();
    assert!(seen_a.sealed && seen_a.organisation_id.is_none() && seen_a.content.is_none());
    let history = app
        .get(
            &format!("/api/v1/calls/{call}/history"),
            Some(Role::Commission),
        )
        .await;
    let steps = history.body.as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| s["action"] == "bid_withdrawn")
        .expect("the withdrawal in the call's history");
    assert_eq!(step["actor_role"], "sealed");
    assert_eq!(step["actor_id"], Value::Null);
    assert!(!history.body.to_string().contains(&w.sha256));

    // After the close a withdrawal is refused; the opening reports the withdrawn bid.
    app.clock.set(closes() + Duration::seconds(1));
    let late = withdraw(&app, &b, bid_b).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{:?}", late.body);
    let report: OpeningReport = app
        .post(
            &format!("/api/v1/calls/{call}/opening"),
            Some(Role::Commission),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!((report.bids, report.verified, report.withdrawn), (3, 2, 1));
    let check = report
        .checks
        .iter()
        .find(|x| x.bid_id as i64 == bid_a)
        .unwrap();
    assert_eq!(check.withdrawn_at, Some(w.withdrawn_at));
    assert!(!check.verified && check.problem.is_none());
    // Opened: the bidder is known, the withdrawn content is never shown.
    let opened: BidView = app
        .get(&format!("/api/v1/bids/{bid_a}"), Some(Role::Commission))
        .await
        .expect(StatusCode::OK);
    assert_eq!(opened.organisation_id.map(i64::from), Some(org_a));
    assert!(opened.sealed && opened.content.is_none() && opened.withdrawn.is_some());
    let other: BidView = app
        .get(&format!("/api/v1/bids/{bid_b}"), Some(Role::Commission))
        .await
        .expect(StatusCode::OK);
    assert!(other.content.is_some());

    // The log holds the withdrawal, sealed, under the call.
    let rows = entity::event::Entity::find()
        .filter(entity::event::Column::Kind.eq("bid_withdrawn"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|e| e.visibility == "sealed"
            && e.parent_id.as_deref() == Some(call.to_string().as_str())));
    assert!(rows
        .iter()
        .any(|e| e.aggregate_id == bid_a.to_string() && e.payload.to_string().contains(&w.sha256)));
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
