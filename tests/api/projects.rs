//! After the award: a project per winning bid, its task agreement confirmed by three parties,
//! progress reports and supervision under the clock, completion and the one-month rule for
//! requesting acceptance; each role's access to someone else's project.

use chrono::{Duration, TimeZone, Utc};
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::calls::{bid, bidder, closes, content, opens, score, with_call};
use crate::helpers::*;

pub(crate) struct Awarded {
    pub app: TestApp,
    pub project: i64,
    /// The builder's applicant token.
    pub builder: String,
    /// The officer of the builder's district (500112).
    pub officer: String,
}

async fn post(
    app: &TestApp,
    token: &str,
    path: &str,
    body: Value,
    if_match: Option<&str>,
) -> Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|t| ("if-match", t)).into_iter().collect();
    app.request_with(
        Method::POST,
        &format!("/api/v1{path}"),
        Some(token),
        Some(body),
        &headers,
    )
    .await
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> Reply {
    app.request(Method::GET, &format!("/api/v1{path}"), token, None)
        .await
}

fn etag(r: &Reply) -> String {
    r.headers["etag"].to_str().unwrap().to_owned()
}

/// A call taken through bids, opening, review, award and notice to its final award: one project.
pub(crate) async fn awarded() -> Awarded {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (_, builder) = bidder(&app, "示例甲科技有限公司", 1, 2000.0).await;
    let expert = app.token(Role::Expert).to_owned();
    let experts = app
        .get("/api/v1/users?role=expert", Some(Role::Commission))
        .await;
    let expert_id = experts.body[0]["id"].as_i64().unwrap();
    let r = post(
        &app,
        &commission,
        &format!("/calls/{call}/panel"),
        json!({"experts": [expert_id]}),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.clock.set(opens() + Duration::hours(1));
    let r = bid(&app, &builder, call, content("甲方案", 900.0)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let bid_id = r.body["bid_id"].as_i64().unwrap();
    app.clock.set(closes() + Duration::seconds(1));
    for step in ["opening", "review"] {
        let r = post(
            &app,
            &commission,
            &format!("/calls/{call}/{step}"),
            json!({}),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {:?}", r.body);
    }
    let r = score(&app, &expert, bid_id, 50.0, 30.0).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = post(
        &app,
        &commission,
        &format!("/calls/{call}/award"),
        json!({"bid_ids": [bid_id], "note": "拟由示例甲科技有限公司挂帅"}),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.clock.set(closes() + Duration::days(12));
    let r = post(
        &app,
        &commission,
        &format!("/calls/{call}/finalize"),
        json!({}),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let officer = app
        .add_user("officer-500112", Role::District, Some("500112"), None)
        .await;
    let list = get(&app, Some(&commission), "/projects").await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let project = list.body["items"][0]["id"].as_i64().unwrap();
    Awarded {
        app,
        project,
        builder,
        officer,
    }
}

/// A complete agreement for the test project.
fn agreement_content() -> Value {
    json!({
        "targets": [
            {"key": "K1", "name": "接入规上企业数", "unit": "家", "baseline": 0, "target": 200, "mandatory": true},
            {"key": "K2", "name": "企业综合成本降低", "unit": "%", "baseline": 0, "target": 5.5, "mandatory": false}
        ],
        "budget": [{"source": "企业自筹", "amount": 600}, {"source": "市级专项资金", "amount": 300.5}],
        "milestones": [{"key": "M1", "name": "平台一期上线", "due": "2024-09-30"}, {"key": "M2", "name": "全面建成", "due": "2025-03-31"}],
        "completion_date": "2025-03-31"
    })
}

/// Drafts, edits and has the three parties confirm the agreement; returns it signed.
pub(crate) async fn signed(a: &Awarded) -> Value {
    let app = &a.app;
    let commission = app.token(Role::Commission).to_owned();
    let list = get(
        app,
        Some(&commission),
        &format!("/projects/{}/agreements", a.project),
    )
    .await;
    let draft = &list.body[0];
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["number"], 1);
    let id = draft["id"].as_i64().unwrap();
    let r = app
        .request_with(
            Method::PUT,
            &format!("/api/v1/agreements/{id}"),
            Some(&commission),
            Some(agreement_content()),
            &[("if-match", draft["etag"].as_str().unwrap())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["total"], 900.5);
    let mut tag = etag(&r);
    for token in [&commission, &a.builder, &a.officer] {
        let r = post(
            app,
            token,
            &format!("/agreements/{id}/confirm"),
            json!({}),
            Some(&tag),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        tag = etag(&r);
    }
    let r = get(app, None, &format!("/projects/{}/agreements", a.project)).await;
    assert_eq!(r.body[0]["status"], "signed", "{:?}", r.body);
    r.body[0].clone()
}

#[tokio::test]
async fn an_award_makes_a_project_whose_agreement_three_parties_sign() {
    let a = awarded().await;
    let app = &a.app;
    let p = get(app, None, &format!("/projects/{}", a.project)).await;
    assert_eq!(p.status, StatusCode::OK, "{:?}", p.body);
    assert_eq!(p.body["status"], "agreement");
    assert_eq!(p.body["builder_name"], "示例甲科技有限公司");
    assert_eq!(p.body["district_code"], "500112");
    assert!(p.body["flags"].is_null(), "the public sees no deadlines");
    // The draft is the parties' until signed: the public sees no agreement yet.
    let public = get(app, None, &format!("/projects/{}/agreements", a.project)).await;
    assert_eq!(public.body, json!([]));
    let draft = get(
        app,
        Some(&a.builder),
        &format!("/projects/{}/agreements", a.project),
    )
    .await;
    let d = &draft.body[0];
    // Drafted from the proposal's plan (its funding sources) and the bid (its schedule).
    assert!(!d["content"]["budget"].as_array().unwrap().is_empty());
    assert_eq!(d["content"]["milestones"][0]["name"], "上线");

    // An incomplete draft cannot be confirmed; editing needs If-Match; only the commission edits.
    let id = d["id"].as_i64().unwrap();
    let tag = d["etag"].as_str().unwrap().to_owned();
    if d["content"]["targets"].as_array().unwrap().is_empty() {
        let r = post(
            app,
            &a.builder,
            &format!("/agreements/{id}/confirm"),
            json!({}),
            Some(&tag),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    }
    let r = app
        .request_with(
            Method::PUT,
            &format!("/api/v1/agreements/{id}"),
            Some(&a.builder),
            Some(agreement_content()),
            &[("if-match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    let r = app
        .request_with(
            Method::PUT,
            &format!("/api/v1/agreements/{id}"),
            Some(app.token(Role::Commission)),
            Some(agreement_content()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{:?}", r.body);

    let s = signed(&a).await;
    assert!(s["confirmations"]["commission"]["by"].is_i64());
    assert!(s["confirmations"]["builder"]["by"].is_i64());
    assert!(s["confirmations"]["district"]["by"].is_i64());
    let p = get(app, None, &format!("/projects/{}", a.project)).await;
    assert_eq!(p.body["status"], "in_construction");
    assert_eq!(p.body["agreement"]["content"]["targets"][0]["key"], "K1");

    // After signing, changes only by an amendment with a reason, confirmed again by all three.
    let r = app
        .request_with(
            Method::PUT,
            &format!("/api/v1/agreements/{id}"),
            Some(app.token(Role::Commission)),
            Some(agreement_content()),
            &[("if-match", s["etag"].as_str().unwrap())],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    let mut amended = agreement_content();
    amended["completion_date"] = json!("2025-06-30");
    let r = post(
        app,
        app.token(Role::Commission),
        &format!("/projects/{}/amendments", a.project),
        json!({"content": amended, "reason": "短"}),
        None,
    )
    .await;
    assert_eq!(r.error_fields(), ["reason"]);
    let r = post(
        app,
        app.token(Role::Commission),
        &format!("/projects/{}/amendments", a.project),
        json!({"content": amended, "reason": "受疫情影响，完工日期顺延三个月"}),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["number"], 2);
    let amendment = r.body["id"].as_i64().unwrap();
    let mut tag = etag(&r);
    for token in [
        app.token(Role::Commission).to_owned(),
        a.officer.clone(),
        a.builder.clone(),
    ] {
        let r = post(
            app,
            &token,
            &format!("/agreements/{amendment}/confirm"),
            json!({}),
            Some(&tag),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        tag = etag(&r);
    }
    let all = get(app, None, &format!("/projects/{}/agreements", a.project)).await;
    let states: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["superseded", "signed"]);
    let p = get(app, None, &format!("/projects/{}", a.project)).await;
    assert_eq!(
        p.body["agreement"]["content"]["completion_date"],
        "2025-06-30"
    );

    // Every step with actor and time in the history; the public sees the public steps only.
    let h = get(
        app,
        Some(app.token(Role::Commission)),
        &format!("/projects/{}/history", a.project),
    )
    .await;
    let kinds: Vec<&str> = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "create",
            "draft",
            "edit",
            "confirm",
            "confirm",
            "sign",
            "sign_agreement",
            "amend",
            "confirm",
            "confirm",
            "sign",
            "supersede"
        ]
    );
    assert!(h
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["at"].is_string() && e["actor"]["role"].is_string()));
    let h = get(app, None, &format!("/projects/{}/history", a.project)).await;
    let kinds: Vec<&str> = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["create", "sign", "sign_agreement", "sign", "supersede"]
    );
    let report = jiebang::app::audit::verify(&app.state.db).await.unwrap();
    assert!(report.ok(), "{report:?}");
}

#[tokio::test]
async fn a_missed_report_and_milestone_are_flagged_by_the_clock() {
    let a = awarded().await;
    let app = &a.app;
    signed(&a).await;
    // Signed 2024-03-22: the 2024Q1 report is due by 15 April.
    app.clock
        .set(Utc.with_ymd_and_hms(2024, 4, 15, 15, 0, 0).unwrap());
    let p = get(app, Some(&a.officer), &format!("/projects/{}", a.project)).await;
    assert_eq!(
        p.body["flags"]["overdue_reports"],
        json!([]),
        "{:?}",
        p.body
    );
    app.clock
        .set(Utc.with_ymd_and_hms(2024, 4, 15, 16, 0, 0).unwrap());
    let p = get(app, Some(&a.officer), &format!("/projects/{}", a.project)).await;
    assert_eq!(p.body["flags"]["overdue_reports"], json!(["2024Q1"]));

    let report = |period: &str, m1: &str| {
        json!({"period": period, "milestones": [{"key": "M1", "status": m1}],
               "spend": [{"source": "企业自筹", "amount": 120}], "targets": [{"key": "K1", "value": 35}],
               "risks": "数据接入进度偏慢"})
    };
    // Only the builder files; someone else's project is a 404; a bad key is named.
    let r = post(
        app,
        &a.officer,
        &format!("/projects/{}/reports", a.project),
        report("2024Q1", "scheduled"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app.token(Role::Applicant).to_owned();
    let r = post(
        app,
        &other,
        &format!("/projects/{}/reports", a.project),
        report("2024Q1", "scheduled"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut bad = report("2024Q1", "scheduled");
    bad["targets"][0]["key"] = json!("K9");
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/reports", a.project),
        bad,
        None,
    )
    .await;
    assert_eq!(r.error_fields(), ["targets[0].key"]);
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/reports", a.project),
        report("2024Q1", "scheduled"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/reports", a.project),
        report("2024Q1", "scheduled"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "one per quarter");
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/reports", a.project),
        report("2024Q3", "scheduled"),
        None,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "not a quarter that has begun"
    );
    let p = get(app, Some(&a.officer), &format!("/projects/{}", a.project)).await;
    assert_eq!(p.body["flags"]["overdue_reports"], json!([]));

    // Past M1's due date (30 September) without it met: overdue; a met report clears it.
    app.clock
        .set(Utc.with_ymd_and_hms(2024, 10, 2, 2, 0, 0).unwrap());
    let p = get(app, Some(&a.builder), &format!("/projects/{}", a.project)).await;
    assert_eq!(p.body["flags"]["overdue_milestones"], json!(["M1"]));
    assert_eq!(
        p.body["flags"]["overdue_reports"],
        json!(["2024Q2"]),
        "2024Q3 is due by 15 October"
    );
    app.clock
        .set(Utc.with_ymd_and_hms(2024, 10, 20, 2, 0, 0).unwrap());
    let p = get(app, Some(&a.builder), &format!("/projects/{}", a.project)).await;
    assert_eq!(
        p.body["flags"]["overdue_reports"],
        json!(["2024Q2", "2024Q3"])
    );
    for q in ["2024Q2", "2024Q3"] {
        let r = post(
            app,
            &a.builder,
            &format!("/projects/{}/reports", a.project),
            report(q, "met"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }
    let p = get(app, Some(&a.builder), &format!("/projects/{}", a.project)).await;
    assert_eq!(p.body["flags"]["overdue_reports"], json!([]));
    assert_eq!(p.body["flags"]["overdue_milestones"], json!([]));
    // The reports are the parties': the public and other applicants get 404.
    assert_eq!(
        get(
            app,
            Some(&other),
            &format!("/projects/{}/reports", a.project)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(
            app,
            Some(&a.officer),
            &format!("/projects/{}/reports", a.project)
        )
        .await
        .body
        .as_array()
        .unwrap()
        .len(),
        3
    );
}

#[tokio::test]
async fn supervision_is_the_districts_with_follow_ups_and_warnings() {
    let a = awarded().await;
    let app = &a.app;
    let visit = json!({"visited_on": "2024-03-20", "method": "on_site", "findings": "平台建设按计划推进",
        "rating": "fair", "warning": "数据接入进度滞后", "follow_ups": [{"action": "补充数据接入计划", "due_on": "2024-04-30"}]});
    // Before signing there is nothing to supervise.
    let r = post(
        app,
        &a.officer,
        &format!("/projects/{}/supervisions", a.project),
        visit.clone(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    signed(&a).await;
    // Another district's officer: 404; the builder: 403.
    let r = post(
        app,
        app.token(Role::District),
        &format!("/projects/{}/supervisions", a.project),
        visit.clone(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/supervisions", a.project),
        visit.clone(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        app,
        &a.officer,
        &format!("/projects/{}/supervisions", a.project),
        visit,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let follow = r.body["follow_ups"][0]["id"].as_i64().unwrap();
    app.clock
        .set(Utc.with_ymd_and_hms(2024, 5, 2, 2, 0, 0).unwrap());
    let p = get(
        app,
        Some(app.token(Role::Commission)),
        &format!("/projects/{}", a.project),
    )
    .await;
    assert_eq!(p.body["flags"]["warnings"], 1);
    assert_eq!(p.body["flags"]["overdue_follow_ups"], json!([follow]));
    let r = post(
        app,
        &a.officer,
        &format!("/follow-ups/{follow}/close"),
        json!({"note": "计划已报送"}),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = post(
        app,
        &a.officer,
        &format!("/follow-ups/{follow}/close"),
        json!({"note": "again"}),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let p = get(
        app,
        Some(app.token(Role::Commission)),
        &format!("/projects/{}", a.project),
    )
    .await;
    assert_eq!(p.body["flags"]["overdue_follow_ups"], json!([]));
    let s = get(
        app,
        Some(&a.builder),
        &format!("/projects/{}/supervisions", a.project),
    )
    .await;
    assert_eq!(s.body[0]["follow_ups"][0]["closing_note"], "计划已报送");
    assert_eq!(
        get(app, None, &format!("/projects/{}/supervisions", a.project))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_late_acceptance_request_is_refused_then_let_in_by_a_recorded_exception() {
    let a = awarded().await;
    let app = &a.app;
    signed(&a).await;
    app.clock
        .set(Utc.with_ymd_and_hms(2024, 12, 31, 4, 0, 0).unwrap());
    let p = get(app, Some(&a.builder), &format!("/projects/{}", a.project)).await;
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/completion", a.project),
        json!({"completed_on": "2025-01-01"}),
        Some(&etag(&p)),
    )
    .await;
    assert_eq!(r.error_fields(), ["completed_on"], "not in the future");
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/completion", a.project),
        json!({"completed_on": "2024-12-31"}),
        Some(&etag(&p)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "completed");
    assert_eq!(r.body["flags"]["acceptance_request_due"], "2025-01-31");
    let tag = etag(&r);

    // A month and three days later: overdue, and a request is refused with the days over.
    app.clock
        .set(Utc.with_ymd_and_hms(2025, 2, 3, 4, 0, 0).unwrap());
    let p = get(
        app,
        Some(app.token(Role::Commission)),
        &format!("/projects/{}", a.project),
    )
    .await;
    assert_eq!(p.body["flags"]["acceptance_request_overdue"], true);
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/acceptance-request", a.project),
        json!({"letter": "我司申请验收。"}),
        Some(&tag),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.body["days_over"], 3);
    // Only the commission records an exception, with a reason.
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/acceptance-exception", a.project),
        json!({"reason": "因不可抗力延误申请"}),
        Some(&tag),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        app,
        app.token(Role::Commission),
        &format!("/projects/{}/acceptance-exception", a.project),
        json!({"reason": "因春节停工延误申请，经研究同意受理"}),
        Some(&tag),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let tag = etag(&r);
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/acceptance-request", a.project),
        json!({"letter": "我司申请验收。"}),
        Some(&tag),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "acceptance_requested");
    let h = get(app, None, &format!("/projects/{}/history", a.project)).await;
    let kinds: Vec<&str> = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.ends_with(&[
            "declare_completion",
            "acceptance_exception",
            "request_acceptance",
            "request"
        ]),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn each_role_sees_and_lists_what_is_its_own() {
    let a = awarded().await;
    let app = &a.app;
    let count = |r: &Reply| r.body["items"].as_array().unwrap().len();
    assert_eq!(
        count(&get(app, None, "/projects").await),
        1,
        "the public sees every project's public fields"
    );
    assert_eq!(
        count(&get(app, Some(app.token(Role::Platform)), "/projects").await),
        1
    );
    assert_eq!(count(&get(app, Some(&a.officer), "/projects").await), 1);
    assert_eq!(
        count(&get(app, Some(app.token(Role::District)), "/projects").await),
        0,
        "another district's"
    );
    assert_eq!(count(&get(app, Some(&a.builder), "/projects").await), 1);
    assert_eq!(
        count(&get(app, Some(app.token(Role::Applicant)), "/projects").await),
        0,
        "another organisation's"
    );
    assert_eq!(
        count(
            &get(
                app,
                Some(&a.builder),
                "/projects?year=2024&status=agreement"
            )
            .await
        ),
        1
    );
    assert_eq!(
        count(&get(app, Some(&a.builder), "/projects?status=accepted").await),
        0
    );
    let r = get(app, None, "/projects?limit=0").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_fields(), ["limit"]);
    // Someone else's project: writes are 404; the wrong role 403.
    let p = get(app, None, &format!("/projects/{}", a.project)).await;
    let tag = etag(&p);
    let other = app.token(Role::Applicant).to_owned();
    let r = post(
        app,
        &other,
        &format!("/projects/{}/completion", a.project),
        json!({"completed_on": "2024-03-01"}),
        Some(&tag),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        app,
        app.token(Role::Expert),
        &format!("/projects/{}/completion", a.project),
        json!({"completed_on": "2024-03-01"}),
        Some(&tag),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        app,
        &a.builder,
        &format!("/projects/{}/completion", a.project),
        json!({"completed_on": "2024-03-01"}),
        Some(&tag),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "no signed agreement yet");
}
