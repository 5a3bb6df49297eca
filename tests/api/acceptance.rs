//! Acceptance (验收), the plaque (授牌) and the public register, annual evaluation, rectification
//! (限期整改) and revocation (取消授牌): the whole path from the award, the computed conclusion
//! rule, the acceptance panel's conflict rules, the clock's deadlines, and each role's access to
//! someone else's project.

use chrono::{TimeZone, Utc};
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::projects::{awarded, signed, Awarded};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// The accounts of the path beyond the fixture's, with ids.
struct World {
    a: Awarded,
    /// The builder organisation.
    builder_org: i64,
    /// The third-party evaluator (bound to an evaluation body) and its user id.
    evaluator: String,
    evaluator_id: i64,
    /// Acceptance experts `(username, id)`.
    experts: Vec<(String, i64)>,
    /// An expert who works at the builder.
    insider: i64,
    /// An expert who left the builder two years ago.
    alumnus: i64,
}

async fn call(
    app: &TestApp,
    method: Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> Reply {
    app.request(method, &format!("/api/v1{path}"), Some(token), body)
        .await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    call(app, Method::POST, token, path, Some(body)).await
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> Reply {
    app.request(Method::GET, &format!("/api/v1{path}"), token, None)
        .await
}

fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap()
}

async fn user_id(app: &TestApp, role: &str, username: &str) -> i64 {
    let r = app
        .get(
            &format!("/api/v1/users?role={role}"),
            Some(Role::Commission),
        )
        .await;
    r.body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .map(|u| u["id"].as_i64().unwrap())
        .unwrap_or_else(|| panic!("no user {username}: {:?}", r.body))
}

/// Tokens outlive only ~400 days of test clock: log everyone in again at the present moment.
async fn relogin(w: &mut World) {
    let app = &mut w.a.app;
    let admin = app.login_token("admin", ADMIN_PASSWORD).await;
    app.tokens.insert(Role::Commission, admin);
    for role in [
        Role::District,
        Role::Applicant,
        Role::Expert,
        Role::Evaluator,
        Role::Platform,
    ] {
        let t = app.login_token(&format!("test-{role}"), PASSWORD).await;
        app.tokens.insert(role, t);
    }
    w.a.builder = app.login_token("bidder-1", PASSWORD).await;
    w.a.officer = app.login_token("officer-500112", PASSWORD).await;
    w.evaluator = app.login_token("eval-third", PASSWORD).await;
}

/// The fixture's award with its agreement signed, the brain built on 2024-12-31 and acceptance
/// requested on 2025-01-10; an evaluation body's evaluator, three clean experts, and two the data
/// links with the builder.
async fn requested() -> World {
    let a = awarded().await;
    signed(&a).await;
    let app = &a.app;
    let commission = app.token(Role::Commission).to_owned();
    app.clock.set(at(2024, 12, 31));
    let p = get(app, Some(&a.builder), &format!("/projects/{}", a.project)).await;
    let builder_org = p.body["organisation_id"].as_i64().unwrap();
    let r = app
        .request_with(
            Method::POST,
            &format!("/api/v1/projects/{}/completion", a.project),
            Some(&a.builder),
            Some(json!({"completed_on": "2024-12-31"})),
            &[("if-match", p.headers["etag"].to_str().unwrap())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.clock.set(at(2025, 1, 10));
    let r = app
        .request_with(
            Method::POST,
            &format!("/api/v1/projects/{}/acceptance-request", a.project),
            Some(&a.builder),
            Some(json!({"letter": "我司行业大脑已建成，特书面提请验收。"})),
            &[("if-match", r.headers["etag"].to_str().unwrap())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let body_org = app
        .add_organisation("重庆某第三方评估机构", "500105", 77)
        .await;
    let evaluator = app
        .add_user("eval-third", Role::Evaluator, None, Some(body_org))
        .await;
    let evaluator_id = user_id(app, "evaluator", "eval-third").await;
    let mut experts = Vec::new();
    for i in 1..=3 {
        let name = format!("ae-{i}");
        app.add_user(&name, Role::Expert, None, None).await;
        let id = user_id(app, "expert", &name).await;
        experts.push((name, id));
    }
    app.add_user("ae-insider", Role::Expert, None, None).await;
    let insider = user_id(app, "expert", "ae-insider").await;
    app.add_user("ae-alumnus", Role::Expert, None, None).await;
    let alumnus = user_id(app, "expert", "ae-alumnus").await;
    for (id, profile) in [
        (
            insider,
            json!({"organisation_id": builder_org, "past_employers": []}),
        ),
        (
            alumnus,
            json!({"organisation_id": null, "past_employers": [{"organisation_id": builder_org, "until": "2023-01-31"}]}),
        ),
    ] {
        let r = call(
            app,
            Method::PUT,
            &commission,
            &format!("/users/{id}/expert-profile"),
            Some(profile),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    }
    World {
        a,
        builder_org,
        evaluator,
        evaluator_id,
        experts,
        insider,
        alumnus,
    }
}

fn expert_ids(w: &World) -> Vec<i64> {
    w.experts.iter().map(|e| e.1).collect()
}

/// Starts the acceptance with the three clean experts; returns the acceptance id.
async fn start(w: &World) -> i64 {
    let app = &w.a.app;
    let r = post(
        app,
        app.token(Role::Commission),
        &format!("/projects/{}/acceptances", w.a.project),
        json!({"experts": expert_ids(w), "evaluator_id": w.evaluator_id}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["project_status"], "under_acceptance");
    r.body["id"].as_i64().unwrap()
}

async fn score_all(w: &World, acceptance: i64, points: [f64; 3]) {
    let app = &w.a.app;
    for ((name, _), p) in w.experts.iter().zip(points) {
        let token = app.login_token(name, PASSWORD).await;
        let r = call(
            app,
            Method::PUT,
            &token,
            &format!("/acceptances/{acceptance}/scores"),
            Some(json!({"scores": [
                {"criterion": "建设目标完成情况", "points": p},
                {"criterion": "技术与数据能力", "points": p},
                {"criterion": "运行与服务成效", "points": p}
            ]})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {:?}", r.body);
    }
}

async fn report(w: &World, acceptance: i64, k1: f64) -> Reply {
    post(
        &w.a.app,
        &w.evaluator,
        &format!("/acceptances/{acceptance}/report"),
        json!({
            "measurements": [{"key": "K1", "measured": k1}, {"key": "K2", "measured": 3}],
            "evidence": [{"name": "第三方检测报告.pdf", "sha256": SHA}],
            "summary": "逐项核验考核指标。"
        }),
    )
    .await
}

async fn conclude(w: &World, acceptance: i64, outcome: &str) -> Reply {
    post(
        &w.a.app,
        w.a.app.token(Role::Commission),
        &format!("/acceptances/{acceptance}/conclusion"),
        json!({"outcome": outcome, "reason": "经专家组评审和第三方评估，形成验收结论。"}),
    )
    .await
}

/// From the request to the plaque (every mandatory indicator met, the panel above 60).
async fn plaqued() -> (World, String) {
    let w = requested().await;
    let acc = start(&w).await;
    score_all(&w, acc, [80.0, 85.0, 90.0]).await;
    let r = report(&w, acc, 250.0).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    w.a.app.clock.set(at(2025, 1, 20));
    let r = conclude(&w, acc, "accepted").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let number = r.body["plaque"]["number"].as_str().unwrap().to_owned();
    (w, number)
}

fn kinds(h: &Reply) -> Vec<String> {
    h.body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_project_goes_from_the_award_to_its_plaque_in_the_public_register() {
    let w = requested().await;
    let app = &w.a.app;
    let acc = start(&w).await;
    // The panel and the engaged evaluator are recorded; the builder sees no names.
    let seen = get(app, Some(&w.a.builder), &format!("/acceptances/{acc}")).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body["panel_size"], 3);
    assert_eq!(seen.body["panel"], json!([]));
    assert_eq!(seen.body["evaluator_id"], w.evaluator_id);
    // Not concluded before the report and every sheet.
    let r = conclude(&w, acc, "accepted").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    score_all(&w, acc, [80.0, 85.0, 90.0]).await;
    let r = report(&w, acc, 250.0).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        r.body["indicator_results"],
        json!([{"key": "K1", "met": true}, {"key": "K2", "met": false}])
    );
    // Acceptable: the rule leaves only `accepted`.
    let r = conclude(&w, acc, "rectify").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.body["acceptable"], true);
    app.clock.set(at(2025, 1, 20));
    let r = conclude(&w, acc, "accepted").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let c = &r.body["acceptance"]["conclusion"];
    assert_eq!(c["outcome"], "accepted");
    assert_eq!(
        c["panel_score"], 8_500,
        "the mean of 80, 85, 90 on every criterion"
    );
    let rule = c["rule"].as_str().unwrap();
    assert!(rule.contains("all met") && rule.contains("85.00"), "{rule}");
    assert_eq!(r.body["project"]["status"], "accepted");
    let plaque = &r.body["plaque"];
    assert_eq!(plaque["number"], "CQ-HYDN-2025-001");
    assert_eq!(plaque["issued_on"], "2025-01-20");
    assert_eq!(plaque["builder_name"], "示例甲科技有限公司");
    assert_eq!(plaque["district_code"], "500112");

    // The anonymous register.
    let reg = get(app, None, "/brains").await;
    assert_eq!(reg.status, StatusCode::OK, "{:?}", reg.body);
    assert_eq!(reg.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(reg.body["items"][0]["status"], "active");
    let one = get(app, None, "/brains/CQ-HYDN-2025-001").await;
    assert_eq!(one.body["brain_name"], plaque["brain_name"]);
    assert_eq!(
        get(app, None, "/brains/CQ-HYDN-2025-002").await.status,
        StatusCode::NOT_FOUND
    );
    let r = get(app, None, "/brains?limit=0").await;
    assert_eq!(r.error_fields(), ["limit"]);

    // Every step in the project's history, with actor and time; the panel is the commission's.
    let h = get(app, None, &format!("/projects/{}/history", w.a.project)).await;
    let k = kinds(&h);
    for step in [
        "request_acceptance",
        "request",
        "start_acceptance",
        "start",
        "conclude",
        "accept",
        "issue",
    ] {
        assert!(k.iter().any(|x| x == step), "{step} in {k:?}");
    }
    assert!(!k.iter().any(|x| x == "panel" || x == "scored"), "{k:?}");
    let issue = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "issue")
        .unwrap();
    assert!(
        issue["at"].as_str().unwrap().starts_with("2025-01-20"),
        "{issue:?}"
    );
    assert!(
        issue["actor"].is_object() || issue["actor"].is_string(),
        "{issue:?}"
    );
    let full = get(
        app,
        Some(app.token(Role::Commission)),
        &format!("/projects/{}/history", w.a.project),
    )
    .await;
    let k = kinds(&full);
    assert!(k.iter().any(|x| x == "panel"), "{k:?}");
    assert_eq!(k.iter().filter(|x| *x == "scored").count(), 3);
    // The officer (a party) sees the report but not the panel's sheets.
    let officer = get(
        app,
        Some(&w.a.officer),
        &format!("/projects/{}/history", w.a.project),
    )
    .await;
    let k = kinds(&officer);
    assert!(k.iter().any(|x| x == "report"), "{k:?}");
    assert!(!k.iter().any(|x| x == "scored"), "{k:?}");
}

#[tokio::test]
async fn the_conclusion_follows_the_indicators_and_a_rectification_is_re_reviewed() {
    let w = requested().await;
    let app = &w.a.app;
    let acc = start(&w).await;
    score_all(&w, acc, [90.0, 90.0, 90.0]).await;
    // The mandatory K1 (target 200) measured 150: not acceptable, whatever the panel says.
    let r = report(&w, acc, 150.0).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = conclude(&w, acc, "accepted").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.body["unmet_mandatory"], json!(["K1"]));
    let r = conclude(&w, acc, "rectify").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(r.body["acceptance"]["conclusion"]["rule"]
        .as_str()
        .unwrap()
        .contains("not met: K1"));
    assert_eq!(r.body["project"]["status"], "rectifying");
    // 90 days from 2025-01-10 (the round's default).
    assert_eq!(r.body["project"]["rectify_until"], "2025-04-10");
    assert!(r.body["plaque"].is_null());
    assert_eq!(get(app, None, "/brains").await.body["items"], json!([]));

    // The re-review is a new attempt, with a panel and report of its own.
    app.clock.set(at(2025, 3, 1));
    let r = post(
        app,
        app.token(Role::Commission),
        &format!("/projects/{}/acceptances", w.a.project),
        json!({"experts": expert_ids(&w), "evaluator_id": w.evaluator_id}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["attempt"], 2);
    let again = r.body["id"].as_i64().unwrap();
    score_all(&w, again, [70.0, 72.0, 74.0]).await;
    // Still short at the re-review: only `failed` is open.
    let r = report(&w, again, 199.99).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = conclude(&w, again, "rectify").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    let r = conclude(&w, again, "failed").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["project"]["status"], "failed");
    let list = get(
        app,
        Some(&w.a.builder),
        &format!("/projects/{}/acceptances", w.a.project),
    )
    .await;
    let outcomes: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["conclusion"]["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["rectify", "failed"]);
}

#[tokio::test]
async fn the_acceptance_panel_keeps_out_the_builders_people() {
    let w = requested().await;
    let app = &w.a.app;
    let commission = app.token(Role::Commission).to_owned();
    let path = format!("/projects/{}/acceptances", w.a.project);
    // Named: the builder's employee and its employee of two years ago are refused, by name.
    let r = post(
        app,
        &commission,
        &path,
        json!({"experts": [w.experts[0].1, w.insider, w.alumnus], "evaluator_id": w.evaluator_id}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), ["experts[1]", "experts[2]"]);
    // An evaluator without a third-party body, or the builder's own, is refused.
    let r = post(
        app,
        &commission,
        &path,
        json!({"experts": [w.experts[0].1], "evaluator_id": user_id(app, "evaluator", "test-evaluator").await}),
    )
    .await;
    assert_eq!(r.error_fields(), ["evaluator_id"], "{:?}", r.body);
    app.add_user("eval-inside", Role::Evaluator, None, Some(w.builder_org))
        .await;
    let inside = user_id(app, "evaluator", "eval-inside").await;
    let r = post(
        app,
        &commission,
        &path,
        json!({"experts": [w.experts[0].1], "evaluator_id": inside}),
    )
    .await;
    assert_eq!(r.error_fields(), ["evaluator_id"], "{:?}", r.body);
    // Nothing was written by the refusals.
    let p = get(
        app,
        Some(&commission),
        &format!("/projects/{}", w.a.project),
    )
    .await;
    assert_eq!(p.body["status"], "acceptance_requested");
    // A draw of the whole pool never includes them: 4 unconflicted experts (test-expert and the
    // three), and asking for a fifth is refused.
    let r = post(
        app,
        &commission,
        &path,
        json!({"draw": {"n": 5, "seed": "7"}, "evaluator_id": w.evaluator_id}),
    )
    .await;
    assert_eq!(r.error_fields(), ["draw.n"], "{:?}", r.body);
    let r = post(
        app,
        &commission,
        &path,
        json!({"draw": {"n": 4, "seed": "7"}, "evaluator_id": w.evaluator_id}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let acc = r.body["id"].as_i64().unwrap();
    let panel: Vec<i64> = r.body["panel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["expert_id"].as_i64().unwrap())
        .collect();
    assert_eq!(panel.len(), 4);
    assert!(
        !panel.contains(&w.insider) && !panel.contains(&w.alumnus),
        "{panel:?}"
    );
    assert!(r.body["panel"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["how"] == "drawn" && m["seed"] == "7"));
    // A declared link (a partner) recuses: the expert may no longer score, its sheet is set aside.
    let (name, id) = w.experts[0].clone();
    let token = app.login_token(&name, PASSWORD).await;
    let sheet = json!({"scores": [
        {"criterion": "建设目标完成情况", "points": 10},
        {"criterion": "技术与数据能力", "points": 10},
        {"criterion": "运行与服务成效", "points": 10}]});
    let r = call(
        app,
        Method::PUT,
        &token,
        &format!("/acceptances/{acc}/scores"),
        Some(sheet.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = post(
        app,
        &token,
        &format!("/acceptances/{acc}/conflicts"),
        json!({"kind": "investment", "note": "本人持有建设主体合作伙伴股份"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        r.body["panel"][0]["expert_id"], id,
        "an expert sees its own seat"
    );
    assert_eq!(r.body["panel"].as_array().unwrap().len(), 1);
    let r = call(
        app,
        Method::PUT,
        &token,
        &format!("/acceptances/{acc}/scores"),
        Some(sheet),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    // The other three score 80; the recused expert's 10 does not count.
    for other in ["test-expert", &w.experts[1].0, &w.experts[2].0] {
        let t = app.login_token(other, PASSWORD).await;
        let r = call(
            app,
            Method::PUT,
            &t,
            &format!("/acceptances/{acc}/scores"),
            Some(json!({"scores": [
            {"criterion": "建设目标完成情况", "points": 80},
            {"criterion": "技术与数据能力", "points": 80},
            {"criterion": "运行与服务成效", "points": 80}]})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{other}: {:?}", r.body);
    }
    let r = report(&w, acc, 200.0).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = conclude(&w, acc, "accepted").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["acceptance"]["conclusion"]["panel_score"], 8_000);
}

/// Engages the evaluator for the brain and files an evaluation with every part at `points`.
async fn evaluate(w: &World, number: &str, points: i64) -> Reply {
    let app = &w.a.app;
    post(
        app,
        &w.evaluator,
        &format!("/brains/{number}/evaluations"),
        json!({"parts": {"operation": points, "data_integration": points, "users_served": points,
                         "revenue": points, "kpi_attainment": points},
               "summary": "年度常态化评价：运行、数据汇聚、服务企业、自我造血与指标完成情况。"}),
    )
    .await
}

async fn engage(w: &World, number: &str) {
    let app = &w.a.app;
    let r = call(
        app,
        Method::PUT,
        app.token(Role::Commission),
        &format!("/brains/{number}/evaluator"),
        Some(json!({"evaluator_id": w.evaluator_id})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

async fn confirm(w: &World, evaluation: i64) -> Reply {
    let app = &w.a.app;
    post(
        app,
        app.token(Role::Commission),
        &format!("/evaluations/{evaluation}/confirmation"),
        json!(null),
    )
    .await
}

/// An annual evaluation graded 不合格, confirmed, with the builder's plan: under rectification.
async fn rectifying() -> (World, String, i64) {
    let (w, number) = plaqued().await;
    engage(&w, &number).await;
    w.a.app.clock.set(at(2025, 2, 20));
    let r = evaluate(&w, &number, 5_500).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(
        (r.body["score"].as_i64(), r.body["grade_label"].as_str()),
        (Some(5_500), Some("不合格"))
    );
    let eval = r.body["id"].as_i64().unwrap();
    // Not public until the commission confirms.
    let reg = get(&w.a.app, None, &format!("/brains/{number}")).await;
    assert_eq!(reg.body["evaluations"], json!([]));
    let r = confirm(&w, eval).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["brain"]["status"], "rectifying");
    assert_eq!(r.body["brain"]["rectify_until"], "2025-05-21");
    // Re-evaluation only after the plan.
    let r = evaluate(&w, &number, 7_000).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    let r = post(
        &w.a.app,
        &w.a.builder,
        &format!("/evaluations/{eval}/plan"),
        json!({"plan": "三个月内完成数据接入扩容并建立运营团队。"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    (w, number, eval)
}

#[tokio::test]
async fn a_failed_re_evaluation_leads_to_revocation_shown_in_the_register() {
    let (mut w, number, _) = rectifying().await;
    let app = &w.a.app;
    // Before the re-evaluation and the deadline there are no grounds.
    let r = post(
        app,
        app.token(Role::Commission),
        &format!("/brains/{number}/revocation"),
        json!({"reason": "限期整改仍不符合要求，取消授牌。"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    app.clock.set(at(2025, 5, 1));
    relogin(&mut w).await;
    let app = &w.a.app;
    let r = evaluate(&w, &number, 5_900).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["attempt"], 2);
    let r = confirm(&w, r.body["id"].as_i64().unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["brain"]["status"], "rectifying");
    let r = post(
        app,
        app.token(Role::Commission),
        &format!("/brains/{number}/revocation"),
        json!({"reason": "限期整改仍不符合要求，取消授牌。"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(
        r.body["grounds"]
            .as_str()
            .unwrap()
            .contains("re-evaluation"),
        "{:?}",
        r.body
    );
    // The anonymous register shows it, with both evaluations.
    let reg = get(app, None, "/brains?status=revoked").await;
    let b = &reg.body["items"][0];
    assert_eq!(b["number"], number.as_str());
    assert_eq!(b["status"], "revoked");
    assert_eq!(b["revoked_reason"], "限期整改仍不符合要求，取消授牌。");
    let grades: Vec<(i64, &str)> = b["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["attempt"].as_i64().unwrap(), e["grade"].as_str().unwrap()))
        .collect();
    assert_eq!(grades, [(1, "fail"), (2, "fail")]);
    assert_eq!(
        get(app, None, "/brains?status=active").await.body["items"],
        json!([])
    );
    let h = get(app, None, &format!("/projects/{}/history", w.a.project)).await;
    let k = kinds(&h);
    for step in ["confirm", "rectify", "revoke"] {
        assert!(k.iter().any(|x| x == step), "{step} in {k:?}");
    }
    // A revoked brain is evaluated no more.
    let r = evaluate(&w, &number, 9_000).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
}

#[tokio::test]
async fn the_rectification_deadline_is_kept_by_the_clock() {
    let (mut w, number, _) = rectifying().await;
    // On the deadline day there are no grounds; the day after, there are, and no re-evaluation
    // is taken any more.
    w.a.app.clock.set(at(2025, 5, 21));
    relogin(&mut w).await;
    let app = &w.a.app;
    let path = format!("/brains/{number}/revocation");
    let body = json!({"reason": "整改期满未通过复评，取消授牌。"});
    let r = post(app, app.token(Role::Commission), &path, body.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    app.clock.set(at(2025, 5, 22));
    let r = evaluate(&w, &number, 8_000).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    let r = post(app, &w.a.builder, &path, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    let r = post(app, app.token(Role::Commission), &path, body).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(
        r.body["grounds"]
            .as_str()
            .unwrap()
            .contains("deadline 2025-05-21 passed"),
        "{:?}",
        r.body
    );
    assert_eq!(
        get(app, None, &format!("/brains/{number}")).await.body["status"],
        "revoked"
    );
}

#[tokio::test]
async fn a_passing_re_evaluation_restores_the_brain_and_one_evaluation_a_year() {
    let (mut w, number, _) = rectifying().await;
    w.a.app.clock.set(at(2025, 4, 1));
    relogin(&mut w).await;
    let app = &w.a.app;
    let r = evaluate(&w, &number, 7_000).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["grade_label"], "合格");
    let r = confirm(&w, r.body["id"].as_i64().unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["brain"]["status"], "active");
    assert!(r.body["brain"]["rectify_until"].is_null());
    // The 2025 evaluation is done: the next one is in 2026.
    let r = evaluate(&w, &number, 9_000).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    // The register shows both 2025 evaluations and the brain back in good standing.
    let reg = get(app, None, &format!("/brains/{number}")).await;
    assert_eq!(reg.body["status"], "active");
    assert_eq!(reg.body["evaluations"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn each_role_may_touch_only_its_own_acceptance_and_brain() {
    let (w, number) = plaqued().await;
    let app = &w.a.app;
    let acc = get(
        app,
        Some(app.token(Role::Commission)),
        &format!("/projects/{}/acceptances", w.a.project),
    )
    .await;
    let acc = acc.body[0]["id"].as_i64().unwrap();
    let other_applicant = app.token(Role::Applicant).to_owned();
    let other_district = app.token(Role::District).to_owned();
    let other_expert = app.token(Role::Expert).to_owned(); // not on this panel
    let other_evaluator = app.token(Role::Evaluator).to_owned(); // not engaged
    let start = json!({"experts": expert_ids(&w), "evaluator_id": w.evaluator_id});
    let scores = json!({"scores": [{"criterion": "建设目标完成情况", "points": 1}]});
    let rep = json!({"measurements": [], "evidence": [], "summary": ""});
    let concl = json!({"outcome": "failed", "reason": "某某某某某某某某某某某"});
    let cases: Vec<(&str, Method, &str, String, Value, StatusCode)> = vec![
        (
            "builder starts",
            Method::POST,
            &w.a.builder,
            format!("/projects/{}/acceptances", w.a.project),
            start.clone(),
            StatusCode::FORBIDDEN,
        ),
        (
            "district starts",
            Method::POST,
            &w.a.officer,
            format!("/projects/{}/acceptances", w.a.project),
            start,
            StatusCode::FORBIDDEN,
        ),
        (
            "someone else reads",
            Method::GET,
            &other_applicant,
            format!("/acceptances/{acc}"),
            Value::Null,
            StatusCode::NOT_FOUND,
        ),
        (
            "another district reads",
            Method::GET,
            &other_district,
            format!("/projects/{}/acceptances", w.a.project),
            Value::Null,
            StatusCode::NOT_FOUND,
        ),
        (
            "expert off the panel scores",
            Method::PUT,
            &other_expert,
            format!("/acceptances/{acc}/scores"),
            scores.clone(),
            StatusCode::NOT_FOUND,
        ),
        (
            "applicant scores",
            Method::PUT,
            &w.a.builder,
            format!("/acceptances/{acc}/scores"),
            scores,
            StatusCode::FORBIDDEN,
        ),
        (
            "evaluator not engaged reports",
            Method::POST,
            &other_evaluator,
            format!("/acceptances/{acc}/report"),
            rep.clone(),
            StatusCode::NOT_FOUND,
        ),
        (
            "builder reports",
            Method::POST,
            &w.a.builder,
            format!("/acceptances/{acc}/report"),
            rep,
            StatusCode::FORBIDDEN,
        ),
        (
            "district concludes",
            Method::POST,
            &w.a.officer,
            format!("/acceptances/{acc}/conclusion"),
            concl,
            StatusCode::FORBIDDEN,
        ),
        (
            "builder engages",
            Method::PUT,
            &w.a.builder,
            format!("/brains/{number}/evaluator"),
            json!({"evaluator_id": w.evaluator_id}),
            StatusCode::FORBIDDEN,
        ),
        (
            "evaluator not engaged evaluates",
            Method::POST,
            &other_evaluator,
            format!("/brains/{number}/evaluations"),
            json!({"parts": {"operation": 1, "data_integration": 1, "users_served": 1, "revenue": 1, "kpi_attainment": 1}, "summary": "x"}),
            StatusCode::NOT_FOUND,
        ),
        (
            "builder evaluates",
            Method::POST,
            &w.a.builder,
            format!("/brains/{number}/evaluations"),
            json!({"parts": {"operation": 1, "data_integration": 1, "users_served": 1, "revenue": 1, "kpi_attainment": 1}, "summary": "x"}),
            StatusCode::FORBIDDEN,
        ),
        (
            "builder revokes",
            Method::POST,
            &w.a.builder,
            format!("/brains/{number}/revocation"),
            json!({"reason": "某某某某某某某某某某某"}),
            StatusCode::FORBIDDEN,
        ),
    ];
    for (case, method, token, path, body, want) in cases {
        let body = (!body.is_null()).then_some(body);
        let r = call(app, method, token, &path, body).await;
        assert_eq!(r.status, want, "{case}: {:?}", r.body);
    }
    // Evaluations: another applicant's plan is a 404, an evaluator's a 403.
    engage(&w, &number).await;
    let r = evaluate(&w, &number, 5_000).await;
    let eval = r.body["id"].as_i64().unwrap();
    let r = confirm(&w, eval).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let plan = json!({"plan": "三个月内完成数据接入扩容并建立运营团队。"});
    let r = post(
        app,
        &other_applicant,
        &format!("/evaluations/{eval}/plan"),
        plan.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{:?}", r.body);
    let r = post(
        app,
        &w.evaluator,
        &format!("/evaluations/{eval}/plan"),
        plan.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    let r = post(
        app,
        &w.a.builder,
        &format!("/evaluations/{eval}/plan"),
        plan,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // What the refused calls left: nothing but the engagement, the evaluation and the plan.
    let b = get(app, Some(&w.a.builder), &format!("/brains/{number}")).await;
    assert_eq!(b.body["evaluations"].as_array().unwrap().len(), 1);
    assert_eq!(b.body["status"], "rectifying");
}
