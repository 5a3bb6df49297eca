//! The call and the award, end to end on the published demo list.

use chrono::{Duration, TimeZone, Utc};
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use jiebang::domain::call::CallStatus;
use jiebang::routes::views::bids::{BidView, Receipt};
use jiebang::routes::views::calls::{CallDto, OpeningReport};
use jiebang::routes::views::lists::PublishedList;
use jiebang::routes::views::selection::SelectionRun;

use crate::helpers::*;

/// The demo list published, and one call announced on its first item: opens 2024-03-01 09:00,
/// closes 2024-03-10 17:00 (Beijing time).
pub(crate) async fn with_call() -> (TestApp, i64) {
    let app = spawn_app().await;
    let call = announce_call(&app).await;
    (app, call)
}

/// A call announced on the demo list (see [`with_call`]) and one bid in it, on an app whose
/// commission token is set; the call and the receipt's SHA-256.
pub(crate) async fn call_with_one_bid(app: &TestApp) -> (i64, String) {
    let call = announce_call(app).await;
    let (_, token) = bidder(app, "示例升级科技有限公司", 77, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let r = bid(app, &token, call, content("升级前的方案", 900.0)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    (call, r.body["sha256"].as_str().unwrap().to_owned())
}

async fn announce_call(app: &TestApp) -> i64 {
    jiebang::demo_load::load(&app.state, 2024)
        .await
        .expect("demo data");
    let run = app
        .post(
            "/api/v1/rounds/2024/selections",
            Some(Role::Commission),
            json!({}),
        )
        .await;
    let sel = run.expect::<SelectionRun>(StatusCode::CREATED).id;
    let list = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": sel, "note": "2024年榜单"}),
        )
        .await;
    let item = list.expect::<PublishedList>(StatusCode::CREATED).items[0].id;
    let call = app
        .post(
            &format!("/api/v1/list-items/{item}/calls"),
            Some(Role::Commission),
            json!({
                "requirements": "建成行业大脑平台，接入企业不少于200家",
                "eligibility": {"registered_in_chongqing": true, "min_registered_capital": 500},
                "opens_at": "2024-03-01T09:00:00+08:00",
                "closes_at": "2024-03-10T17:00:00+08:00",
                "winners": 1,
                "notice_days": 7,
                "rubric": [
                    {"criterion": "技术方案", "weight": 0.6, "max_points": 60},
                    {"criterion": "团队与运营", "weight": 0.4, "max_points": 40}
                ]
            }),
        )
        .await;
    let call: CallDto = call.expect(StatusCode::CREATED);
    assert_eq!(call.status, CallStatus::Announced);
    call.id.into()
}

/// The call as anyone reads it.
pub(crate) async fn call_dto(app: &TestApp, call: i64) -> CallDto {
    app.get(&format!("/api/v1/calls/{call}"), None)
        .await
        .expect(StatusCode::OK)
}

/// The bid id of an accepted submission.
pub(crate) fn bid_id(r: &Reply) -> i64 {
    r.expect::<Receipt>(StatusCode::CREATED).bid_id.into()
}

pub(crate) fn opens() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 1, 0, 0).unwrap()
}

pub(crate) fn closes() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 10, 9, 0, 0).unwrap()
}

/// A bidder organisation with its applicant token.
pub(crate) async fn bidder(app: &TestApp, name: &str, serial: u32, capital: f64) -> (i64, String) {
    let uscc = jiebang::domain::codes::Uscc::with_check(&format!("91500112MA{serial:07}")).unwrap();
    let r = app
        .post(
            "/api/v1/organisations",
            Some(Role::Commission),
            json!({"name": name, "uscc": uscc, "district_code": "500112", "registered_capital": capital}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let org = r.body["id"].as_i64().unwrap();
    let token = app
        .add_user(
            &format!("bidder-{serial}"),
            Role::Applicant,
            None,
            Some(org),
        )
        .await;
    (org, token)
}

pub(crate) fn content(plan: &str, budget: f64) -> Value {
    json!({
        "technical_plan": plan,
        "team": [{"name": "示例负责人", "role": "项目经理"}],
        "budget": budget,
        "schedule": [{"name": "上线", "due": "2024-12-31"}],
        "commitments": ["按期建成"],
        "attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "示例法定代表人", "position": "法定代表人"}
    })
}

pub(crate) async fn bid(app: &TestApp, token: &str, call: i64, body: Value) -> Reply {
    app.request(
        Method::POST,
        &format!("/api/v1/calls/{call}/bids"),
        Some(token),
        Some(body),
    )
    .await
}

pub(crate) async fn score(app: &TestApp, token: &str, bid: i64, tech: f64, team: f64) -> Reply {
    app.request(
        Method::PUT,
        &format!("/api/v1/bids/{bid}/scores"),
        Some(token),
        Some(json!({"scores": [{"criterion": "技术方案", "points": tech, "comment": ""}, {"criterion": "团队与运营", "points": team}]})),
    )
    .await
}

#[tokio::test]
async fn a_whole_call_from_bids_to_award() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (org1, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let (_org2, b2) = bidder(&app, "示例乙数据有限公司", 2, 800.0).await;
    let (_org3, b3) = bidder(&app, "示例丙工业互联网有限公司", 3, 5000.0).await;
    let (_poor, b4) = bidder(&app, "示例丁小微有限公司", 4, 100.0).await;

    // Before the window opens.
    let r = bid(&app, &b1, call, content("早到的方案", 900.0)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body["opens_at"].is_string());

    app.clock.set(opens() + Duration::hours(1));
    assert_eq!(call_dto(&app, call).await.status, CallStatus::Open);
    let r1: Receipt = bid(&app, &b1, call, content("甲方案：第一版", 900.0))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(r1.sha256.len(), 64);
    let bid1 = i64::from(r1.bid_id);
    let r1b = bid(
        &app,
        &b1,
        call,
        content("甲方案：独一无二的技术路线XYZZY", 950.0),
    )
    .await;
    let r1b: Receipt = r1b.expect(StatusCode::CREATED);
    assert_eq!(
        i64::from(r1b.bid_id),
        bid1,
        "one bid per organisation, replaced"
    );
    assert_eq!(r1b.replaces_receipt_id, Some(r1.receipt_id));
    let bid2 = bid_id(&bid(&app, &b2, call, content("乙方案", 700.0)).await);
    let bid3 = bid_id(&bid(&app, &b3, call, content("丙方案", 1200.0)).await);
    // Eligibility: registered capital below 500 万元.
    let r = bid(&app, &b4, call, content("丁方案", 100.0)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), vec!["eligibility.min_registered_capital"]);

    // Sealed: the bid count is public, the content nobody's but the bidder's.
    assert_eq!(call_dto(&app, call).await.bid_count, 3);
    let own = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid1}"),
            Some(&b1),
            None,
        )
        .await;
    let own: BidView = own.expect(StatusCode::OK);
    assert_eq!(
        own.content.map(|c| c.technical_plan).as_deref(),
        Some("甲方案：独一无二的技术路线XYZZY")
    );
    assert_eq!(own.receipts.len(), 2, "the old receipt is kept");
    let sealed = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid1}"),
            Some(&commission),
            None,
        )
        .await;
    let view: BidView = sealed.expect(StatusCode::OK);
    assert!(view.sealed);
    assert!(view.content.is_none() && view.organisation_id.is_none());
    assert!(!sealed.body.to_string().contains("XYZZY"));
    for token in [app.token(Role::Expert).to_owned(), b2.clone()] {
        let r = app
            .request(
                Method::GET,
                &format!("/api/v1/bids/{bid1}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(!r.body.to_string().contains("XYZZY"));
    }
    assert_eq!(
        app.get(&format!("/api/v1/bids/{bid1}"), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let listed = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/bids"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(listed.body.as_array().unwrap().len(), 3);
    assert!(!listed.body.to_string().contains("XYZZY"));
    // The stored rows hold no plaintext.
    let rows = entity::bid_receipt::Entity::find()
        .filter(entity::bid_receipt::Column::CallId.eq(i32::try_from(call).unwrap()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    for row in &rows {
        let needle = "XYZZY".as_bytes();
        assert!(
            !row.sealed.windows(needle.len()).any(|w| w == needle),
            "plaintext in the database"
        );
        assert!(!row
            .sealed
            .windows("甲方案".len())
            .any(|w| w == "甲方案".as_bytes()));
    }

    // The panel: five experts; one works at bidder 1 (found from data), one declares a conflict.
    let mut experts = vec![app.token(Role::Expert).to_owned()];
    for i in 2..=5 {
        experts.push(
            app.add_user(&format!("expert-{i}"), Role::Expert, None, None)
                .await,
        );
    }
    let users = app
        .get("/api/v1/users?role=expert", Some(Role::Commission))
        .await;
    let expert_ids: Vec<i64> = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/users/{}/expert-profile", expert_ids[0]),
            Some(&commission),
            Some(json!({"organisation_id": org1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/panel"),
            Some(Role::Commission),
            json!({"experts": expert_ids}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/conflicts"),
            Some(&experts[1]),
            Some(json!({"bid_id": bid2, "kind": "family", "note": "亲属在乙公司任职"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // Before the opening nobody may know who bid: no recusal names a bid yet.
    let panel = app
        .get(
            &format!("/api/v1/calls/{call}/panel"),
            Some(Role::Commission),
        )
        .await;
    assert!(
        panel
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["recusals"] == json!([])),
        "{:?}",
        panel.body
    );

    // A bid one second after the close is refused; opening is refused before the close.
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/opening"),
            Some(Role::Commission),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    app.clock.set(closes() + Duration::seconds(1));
    let r = bid(&app, &b3, call, content("丙方案：迟到的修改", 1100.0)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.body["closes_at"], "2024-03-10T09:00:00Z");
    // Opening: who and when, every receipt verified.
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/opening"),
            Some(&commission),
            None,
        )
        .await;
    let report: OpeningReport = r.expect(StatusCode::OK);
    assert_eq!((report.bids, report.verified), (3, 3));
    let opened = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid1}"),
            Some(&commission),
            None,
        )
        .await;
    let opened: BidView = opened.expect(StatusCode::OK);
    assert_eq!(opened.content.map(|c| c.budget.hundredths()), Some(95_000));
    // Opened: the recusals, found from data (frozen now) and declared.
    let panel = app
        .get(
            &format!("/api/v1/calls/{call}/panel"),
            Some(Role::Commission),
        )
        .await;
    let recusals: Vec<(i64, Vec<i64>)> = panel
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["expert_id"].as_i64().unwrap(),
                m["recusals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["bid_id"].as_i64().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(recusals[0], (expert_ids[0], vec![bid1]));
    assert_eq!(recusals[1], (expert_ids[1], vec![bid2]));
    assert!(panel.body[0]["recusals"][0]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("works at the bidder"));

    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/review"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(
        r.expect::<CallDto>(StatusCode::OK).status,
        CallStatus::UnderReview
    );

    // The recused expert can neither read nor score bid 1.
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid1}"),
            Some(&experts[0]),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        score(&app, &experts[0], bid1, 50.0, 30.0).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        score(&app, &experts[1], bid2, 50.0, 30.0).await.status,
        StatusCode::FORBIDDEN
    );
    // Bad scores: over the maximum, a criterion missing.
    let r = score(&app, &experts[2], bid1, 61.0, 30.0).await;
    assert_eq!(r.error_fields(), vec!["scores[0].points"]);
    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/bids/{bid1}/scores"),
            Some(&experts[2]),
            Some(json!({"scores": [{"criterion": "技术方案", "points": 50}]})),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["scores"]);

    // Bid 3: five experts → drop the highest and the lowest. Bids 1 and 2: four experts → mean.
    let s3 = [
        (50.0, 30.0),
        (55.0, 36.0),
        (40.0, 20.0),
        (58.0, 38.0),
        (45.0, 32.0),
    ];
    for (e, (t, m)) in experts.iter().zip(s3) {
        assert_eq!(score(&app, e, bid3, t, m).await.status, StatusCode::OK);
    }
    let s1 = [(52.0, 30.0), (48.0, 34.0), (56.0, 36.0), (50.0, 28.0)];
    for (e, (t, m)) in experts[1..].iter().zip(s1) {
        assert_eq!(score(&app, e, bid1, t, m).await.status, StatusCode::OK);
    }
    let s2 = [(40.0, 20.0), (42.0, 26.0), (38.0, 24.0), (44.0, 30.0)];
    for (e, (t, m)) in [&experts[0], &experts[2], &experts[3], &experts[4]]
        .into_iter()
        .zip(s2)
    {
        assert_eq!(score(&app, e, bid2, t, m).await.status, StatusCode::OK);
    }
    let ranking = app
        .get(
            &format!("/api/v1/calls/{call}/ranking"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(ranking.status, StatusCode::OK, "{:?}", ranking.body);
    let by_id = |id: i64| {
        ranking.body["bids"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["bid_id"] == id)
            .unwrap()
            .clone()
    };
    // Bid 3, 技术方案: 50 55 40 58 45 → drop 58 and 40 → (50+55+45)/3 = 50.00; 团队与运营: 30 36 20 38 32 →
    // drop 38 and 20 → (30+36+32)/3 = 32.67; total 0.6×50 + 0.4×32.666… = 43.07.
    let b3 = by_id(bid3);
    assert_eq!(b3["per_criterion"][0]["mean_display"], "50.00");
    assert_eq!(b3["per_criterion"][1]["mean_display"], "32.67");
    assert_eq!(b3["total_display"], "43.07");
    // Bid 1: (52+48+56+50)/4 = 51.50 and (30+34+36+28)/4 = 32.00 → 0.6×51.5 + 0.4×32 = 43.70.
    let b1r = by_id(bid1);
    assert_eq!(b1r["per_criterion"][0]["mean_display"], "51.50");
    assert_eq!(b1r["total_display"], "43.70");
    // Bid 2: 41.00 and 25.00 → 34.60.
    assert_eq!(by_id(bid2)["total_display"], "34.60");
    assert_eq!(
        (
            b1r["rank"].as_i64(),
            b3["rank"].as_i64(),
            by_id(bid2)["rank"].as_i64()
        ),
        (Some(1), Some(2), Some(3))
    );

    // The award follows the ranking and starts the notice.
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/award"),
            Some(Role::Commission),
            json!({"bid_ids": [bid3], "note": "x"}),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["bid_ids"]);
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/award"),
            Some(Role::Commission),
            json!({"bid_ids": [bid1], "note": "拟由示例甲科技有限公司挂帅"}),
        )
        .await;
    assert_eq!(
        r.expect::<CallDto>(StatusCode::OK).status,
        CallStatus::Notice
    );
    let notices = app.get("/api/v1/notices", None).await;
    assert_eq!(notices.body[0]["call"]["award"][0]["bid_id"], bid1);
    assert!(
        notices.body[0]["call"]["award"][0]["budget"].is_null(),
        "amounts are public after the award"
    );
    // The public ranking names experts only as E1..En.
    let public = app
        .get(&format!("/api/v1/calls/{call}/ranking"), None)
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body["experts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["expert_id"].is_null()));
    assert_eq!(
        public.body["bids"][0]["per_criterion"][0]["values"][0]["expert"],
        "E2"
    );

    // Objection during the notice; finalize refused during the notice and while unanswered.
    let o = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/objections"),
            Some(&b2),
            Some(json!({"grounds": "评分存在错误", "contact": "023-6000-0002"})),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/finalize"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body["detail"]
        .as_str()
        .unwrap()
        .contains("notice runs until"));
    app.clock.advance(Duration::days(8));
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/finalize"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body["detail"].as_str().unwrap().contains("not answered"));
    let oid = o.body["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/objections/{oid}/answer"),
            Some(Role::Commission),
            json!({"upheld": false, "answer": "经复核，评分无误"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/finalize"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(
        r.expect::<CallDto>(StatusCode::OK).status,
        CallStatus::Awarded
    );
    let public = app.get(&format!("/api/v1/calls/{call}"), None).await;
    assert_eq!(
        public.body["award"][0]["organisation_name"],
        "示例甲科技有限公司"
    );
    assert_eq!(public.body["award"][0]["budget"], 950.0);
    let history = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/history"),
            Some(&commission),
            None,
        )
        .await;
    let actions: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "announce",
        "bid_received",
        "bid_replaced",
        "panel",
        "conflict_declared",
        "open_bids",
        "start_review",
        "scored",
        "award",
        "objection",
        "objection_answered",
        "finalize",
    ] {
        assert!(actions.contains(&a), "history lacks {a}: {actions:?}");
    }
}

#[tokio::test]
async fn an_upheld_objection_returns_the_call_to_review() {
    let (app, call) = with_call().await;
    let (_, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let (_, b2) = bidder(&app, "示例乙数据有限公司", 2, 800.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let bid1 = bid_id(&bid(&app, &b1, call, content("甲方案", 900.0)).await);
    assert_eq!(
        bid(&app, &b2, call, content("乙方案", 700.0)).await.status,
        StatusCode::CREATED
    );
    let expert = app.token(Role::Expert).to_owned();
    let users = app
        .get("/api/v1/users?role=expert", Some(Role::Commission))
        .await;
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/panel"),
            Some(Role::Commission),
            json!({"draw": {"n": 1, "seed": 42}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body[0]["expert_id"], users.body[0]["id"]);
    assert_eq!(r.body[0]["seed"], "42");
    app.clock.set(closes() + Duration::seconds(1));
    app.post(
        &format!("/api/v1/calls/{call}/opening"),
        Some(Role::Commission),
        json!({}),
    )
    .await;
    app.post(
        &format!("/api/v1/calls/{call}/review"),
        Some(Role::Commission),
        json!({}),
    )
    .await;
    assert_eq!(
        score(&app, &expert, bid1, 50.0, 30.0).await.status,
        StatusCode::OK
    );
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/award"),
            Some(Role::Commission),
            json!({"bid_ids": [bid1], "note": "拟授予"}),
        )
        .await;
    assert_eq!(
        r.expect::<CallDto>(StatusCode::OK).status,
        CallStatus::Notice
    );
    let o = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/objections"),
            Some(&b2),
            Some(json!({"grounds": "专家回避不当", "contact": "乙公司联系人"})),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let oid = o.body["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/objections/{oid}/answer"),
            Some(Role::Commission),
            json!({"upheld": true, "answer": "异议成立，重新评审"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let c = call_dto(&app, call).await;
    assert_eq!(c.status, CallStatus::UnderReview);
    assert!(c.award.is_empty());
    let r = app
        .post(
            &format!("/api/v1/objections/{oid}/answer"),
            Some(Role::Commission),
            json!({"upheld": false, "answer": "again"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "answered once");
}

#[tokio::test]
async fn fifty_concurrent_bidders_all_get_receipts_and_survive_a_restart() {
    let (app, call) = with_call().await;
    let mut tokens = Vec::new();
    for i in 0..50u32 {
        tokens.push(
            bidder(&app, &format!("示例并发公司{i}"), 100 + i, 1000.0)
                .await
                .1,
        );
    }
    app.clock.set(opens() + Duration::hours(2));
    let mut tasks = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let client = app.client.clone();
        let url = format!("{}/api/v1/calls/{call}/bids", app.base);
        let body = content(&format!("并发方案{i}"), 500.0 + i as f64);
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(t)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut receipts = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body:?}");
        receipts.push((
            body["bid_id"].as_i64().unwrap(),
            body["sha256"].as_str().unwrap().to_owned(),
        ));
    }
    let db_url = app.db_url.clone();
    let dir = app.stop().await;
    let again = start(&db_url, dir).await;
    let admin = again.login_token("admin", ADMIN_PASSWORD).await;
    let bids = again
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/bids"),
            Some(&admin),
            None,
        )
        .await;
    let stored: Vec<(i64, String)> = bids
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["bid_id"].as_i64().unwrap(),
                b["sha256"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    receipts.sort();
    assert_eq!(
        stored, receipts,
        "every receipted bid is there after the restart"
    );
}

/// The history of a whole call (announce → bids → panel → opening → review → scores → award →
/// objection → finalize) is the one hash-chained log: every step is there once, in order, with
/// its object, visibility and status change, and the chain verifies.
#[tokio::test]
async fn a_whole_call_is_told_by_the_one_log() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (org1, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let (_, b2) = bidder(&app, "示例乙数据有限公司", 2, 800.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let first = bid(&app, &b1, call, content("甲方案：第一版", 900.0)).await;
    let again = bid(&app, &b1, call, content("甲方案：第二版", 950.0)).await;
    let bid1 = again.body["bid_id"].as_i64().unwrap();
    let bid2 = bid_id(&bid(&app, &b2, call, content("乙方案", 700.0)).await);
    let expert = app.token(Role::Expert).to_owned();
    let second = app.add_user("expert-2", Role::Expert, None, None).await;
    let users = app
        .get("/api/v1/users?role=expert", Some(Role::Commission))
        .await;
    let expert_ids: Vec<i64> = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/users/{}/expert-profile", expert_ids[1]),
            Some(&commission),
            Some(json!({"past_employers": [{"organisation_id": org1, "until": "2020-01-31"}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/panel"),
            Some(Role::Commission),
            json!({"experts": expert_ids}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/conflicts"),
            Some(&second),
            Some(json!({"bid_id": bid2, "kind": "investment", "note": "持有乙公司股份"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    app.clock.set(closes() + Duration::seconds(1));
    for step in ["opening", "review"] {
        let r = app
            .request(
                Method::POST,
                &format!("/api/v1/calls/{call}/{step}"),
                Some(&commission),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {:?}", r.body);
    }
    for (token, bid_id, tech) in [
        (&expert, bid1, 50.0),
        (&expert, bid2, 40.0),
        (&second, bid1, 54.0),
        (&expert, bid1, 52.0),
    ] {
        let r = score(&app, token, bid_id, tech, 30.0).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/award"),
            Some(Role::Commission),
            json!({"bid_ids": [bid1], "note": "拟由示例甲科技有限公司挂帅"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let o = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/objections"),
            Some(&b2),
            Some(json!({"grounds": "评分存在错误", "contact": "023-6000-0002"})),
        )
        .await;
    let oid = o.body["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/objections/{oid}/answer"),
            Some(Role::Commission),
            json!({"upheld": false, "answer": "经复核，评分无误"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.clock.advance(Duration::days(8));
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/finalize"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(
        r.expect::<CallDto>(StatusCode::OK).status,
        CallStatus::Awarded
    );

    // The chain verifies, to its head.
    let report = jiebang::app::audit::verify(&app.state.db).await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.verified, report.head_seq);

    // Every step, once, in order.
    let history = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/history"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(history.status, StatusCode::OK);
    let steps = history.body.as_array().unwrap();
    let actions: Vec<&str> = steps
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "announce",
            "window_opened",
            "bid_received",
            "bid_replaced",
            "bid_received",
            "panel",
            "conflict_declared",
            "window_closed",
            "open_bids",
            "recusals_frozen",
            "start_review",
            "scored",
            "scored",
            "scored",
            "scored",
            "award",
            "objection",
            "objection_answered",
            "finalize",
        ]
    );
    // The call's own steps chain their statuses; only they carry one.
    let moves: Vec<(Option<&str>, &str)> = steps
        .iter()
        .filter_map(|e| Some((e["from_status"].as_str(), e["to_status"].as_str()?)))
        .collect();
    assert_eq!(
        moves,
        [
            (None, "announced"),
            (Some("announced"), "open"),
            (Some("open"), "closed"),
            (Some("closed"), "opened"),
            (Some("opened"), "under_review"),
            (Some("under_review"), "notice"),
            (Some("notice"), "awarded"),
        ]
    );
    // The clock's moves by the clock, at their scheduled instants.
    for (step, at) in [(1, opens()), (7, closes())] {
        assert_eq!(steps[step]["actor_role"], "clock", "{:?}", steps[step]);
        assert!(steps[step]["actor_id"].is_null());
        assert_eq!(
            steps[step]["at"]
                .as_str()
                .unwrap()
                .parse::<chrono::DateTime<Utc>>()
                .unwrap(),
            at
        );
    }
    // The receipts are in the history with their hashes, the replaced one as the old value.
    assert_eq!(steps[2]["bid_id"], bid1);
    assert_eq!(steps[2]["details"]["receipt_id"], first.body["receipt_id"]);
    assert_eq!(steps[2]["details"]["sha256"], first.body["sha256"]);
    assert_eq!(steps[3]["details"]["receipt_id"], again.body["receipt_id"]);
    assert_eq!(steps[4]["bid_id"], bid2);
    assert_eq!(steps[16]["note"], "评分存在错误");
    assert_eq!(steps[17]["details"]["upheld"], false);

    // The history is exactly the log's events of the call and of what hangs under it, each of
    // its kind of object with the visibility of its kind.
    let rows = entity::event::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(entity::event::Column::AggregateType.eq("call"))
                        .add(entity::event::Column::AggregateId.eq(call.to_string())),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(entity::event::Column::ParentType.eq("call"))
                        .add(entity::event::Column::ParentId.eq(call.to_string())),
                ),
        )
        .order_by_asc(entity::event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    let kinds: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.aggregate_type.as_str(),
                e.visibility.as_str(),
            )
        })
        .collect();
    assert_eq!(kinds.len(), actions.len());
    for (kind, aggregate, visibility) in &kinds {
        let expected = match *kind {
            "bid_received" | "bid_replaced" => ("bid", "sealed"),
            "panel" | "recusals_frozen" => ("panel", "commission"),
            "conflict_declared" => ("conflict", "commission"),
            "scored" => ("score_sheet", "commission"),
            "objection" | "objection_answered" => ("objection", "party"),
            _ => ("call", "public"),
        };
        assert_eq!((*aggregate, *visibility), expected, "{kind}");
    }
    assert!(rows
        .iter()
        .filter(|e| e.aggregate_type != "call")
        .all(|e| e.parent_type.as_deref() == Some("call")));
    // One sheet per expert and bid: the expert's second sheet for bid 1 is version 2 of it.
    let sheets: Vec<(&str, i32)> = rows
        .iter()
        .filter(|e| e.aggregate_type == "score_sheet")
        .map(|e| (e.aggregate_id.as_str(), e.aggregate_version))
        .collect();
    assert_eq!(sheets[3], (sheets[0].0, 2), "{sheets:?}");
    // The call's versions are the events' versions.
    let versions: Vec<i32> = rows
        .iter()
        .filter(|e| e.aggregate_type == "call")
        .map(|e| e.aggregate_version)
        .collect();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(r.body["version"], 7);
    // The expert profile has its own history in the log.
    let profile = entity::event::Entity::find()
        .filter(entity::event::Column::AggregateType.eq("expert_profile"))
        .filter(entity::event::Column::AggregateId.eq(expert_ids[1].to_string()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(profile.len(), 1);
    assert_eq!(
        (profile[0].kind.as_str(), profile[0].visibility.as_str()),
        ("create", "commission")
    );

    // A bidder sees its own bid's steps only.
    let own = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/history"),
            Some(&b1),
            None,
        )
        .await;
    let own: Vec<(&str, i64)> = own
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["bid_id"].as_i64().unwrap()))
        .collect();
    assert_eq!(own, [("bid_received", bid1), ("bid_replaced", bid1)]);
}

/// Migration 6 drops `bid.current_receipt_id` (a bid's current receipt is its latest): going
/// down restores the column from the receipts, going up again refuses a bid whose column names
/// another receipt, and serves the same bids once it is fixed.
#[tokio::test]
async fn the_current_receipt_column_goes_and_comes_back_from_the_receipts() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::{ConnectionTrait, Statement};

    let (app, call) = with_call().await;
    let (_, b1) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let (_, b2) = bidder(&app, "示例乙数据有限公司", 2, 800.0).await;
    app.clock.set(opens() + Duration::hours(1));
    bid(&app, &b1, call, content("甲方案：第一版", 900.0)).await;
    let latest1 = bid(&app, &b1, call, content("甲方案：第二版", 950.0)).await;
    let latest2 = bid(&app, &b2, call, content("乙方案", 700.0)).await;
    let before = app
        .get(
            &format!("/api/v1/calls/{call}/bids"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(before.body.as_array().map(Vec::len), Some(2));

    let db = &app.state.db;
    let applied = Migrator::get_applied_migrations(db).await.unwrap();
    let at = applied
        .iter()
        .position(|m| m.name() == "m20261202_000006_bid_receipts")
        .expect("migration 6 applied");
    let down = u32::try_from(applied.len() - at).unwrap();
    Migrator::down(db, Some(down)).await.unwrap();
    let backend = db.get_database_backend();
    let column = |sql: &str| Statement::from_string(backend, sql.to_owned());
    let rows = db
        .query_all(column("SELECT id, current_receipt_id FROM bid ORDER BY id"))
        .await
        .unwrap();
    let restored: Vec<(i64, i64)> = rows
        .iter()
        .map(|r| {
            (
                i64::from(r.try_get::<i32>("", "id").unwrap()),
                i64::from(r.try_get::<i32>("", "current_receipt_id").unwrap()),
            )
        })
        .collect();
    assert_eq!(
        restored,
        [
            (
                latest1.body["bid_id"].as_i64().unwrap(),
                latest1.body["receipt_id"].as_i64().unwrap()
            ),
            (
                latest2.body["bid_id"].as_i64().unwrap(),
                latest2.body["receipt_id"].as_i64().unwrap()
            ),
        ]
    );

    // A bid naming an older receipt is refused, by id.
    let bid1 = restored[0].0;
    db.execute(column(&format!(
        "UPDATE bid SET current_receipt_id = current_receipt_id - 1 WHERE id = {bid1}"
    )))
    .await
    .unwrap();
    let refused = Migrator::up(db, None).await.unwrap_err().to_string();
    assert!(
        refused.contains(&format!("bid(s) {bid1} name a current receipt")),
        "{refused}"
    );
    db.execute(column(&format!(
        "UPDATE bid SET current_receipt_id = current_receipt_id + 1 WHERE id = {bid1}"
    )))
    .await
    .unwrap();
    Migrator::up(db, None).await.unwrap();
    assert!(db
        .query_all(column("SELECT current_receipt_id FROM bid"))
        .await
        .is_err());
    let after = app
        .get(
            &format!("/api/v1/calls/{call}/bids"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(after.body, before.body);
}
