//! Every request-body example in the served OpenAPI document is accepted by a fresh server: the
//! examples are posted as they stand, in the programme's order, each to the object the one
//! before it made (a client copying them from Swagger UI meets the same answers).

use std::collections::BTreeMap;

use jiebang::clock::Clock;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

/// Each operation's method, path template, request content type and example body.
fn examples(doc: &Value) -> BTreeMap<String, (Method, String, String, Option<Value>)> {
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(content) = op["requestBody"]["content"].as_object() else {
                continue;
            };
            let id = op["operationId"].as_str().unwrap().to_owned();
            let (content_type, media) = content.iter().next().unwrap();
            let example = media.get("example").cloned().or_else(|| {
                let name = media["schema"]["$ref"].as_str()?.rsplit('/').next()?;
                doc["components"]["schemas"][name].get("example").cloned()
            });
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            out.insert(id, (method, path.clone(), content_type.clone(), example));
        }
    }
    out
}

struct Walk<'a> {
    app: &'a TestApp,
    examples: BTreeMap<String, (Method, String, String, Option<Value>)>,
    posted: Vec<String>,
}

impl Walk<'_> {
    /// Sends the operation's example with the path parameters given, as `token`, and expects a
    /// 2xx answer.
    async fn post(
        &mut self,
        operation: &str,
        params: &[(&str, &str)],
        token: &str,
        if_match: Option<&str>,
    ) -> Reply {
        let (method, template, content_type, body) = self
            .examples
            .get(operation)
            .unwrap_or_else(|| panic!("{operation} has no request body"))
            .clone();
        let body = body.unwrap_or_else(|| panic!("{operation} has no request-body example"));
        let mut path = template.clone();
        for (name, value) in params {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        let mut req = self
            .app
            .client
            .request(method, format!("{}{path}", self.app.base))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(serde_json::to_vec(&body).unwrap());
        if let Some(etag) = if_match {
            req = req.header("if-match", etag);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let reply = Reply {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        };
        assert!(
            reply.status.is_success(),
            "the example of {operation} ({template}) was refused with {}: {}\nexample: {body}",
            reply.status,
            reply.body
        );
        self.posted.push(operation.to_owned());
        reply
    }
}

/// A user made by the commission (not an example: the walk needs more people than the examples
/// make); its id and token.
async fn account(
    app: &TestApp,
    commission: &str,
    username: &str,
    role: &str,
    organisation: Option<i64>,
) -> (i64, String) {
    let r = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(commission),
            Some(
                json!({"username": username, "password": PASSWORD, "role": role,
                        "organisation_id": organisation}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = app.login_token(username, PASSWORD).await;
    (r.body["id"].as_i64().unwrap(), token)
}

/// A call announced on list item `item` with `body` (not as the example's own post: the walk
/// posts each example once).
async fn announce(app: &TestApp, commission: &str, item: &str, body: Option<Value>) -> Reply {
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/list-items/{item}/calls"),
            Some(commission),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r
}

fn etag(r: &Reply) -> String {
    r.headers["etag"].to_str().unwrap().to_owned()
}

fn id(r: &Reply, member: &str) -> String {
    r.body[member].to_string().trim_matches('"').to_owned()
}

#[tokio::test]
async fn every_request_body_example_is_accepted_by_a_fresh_server() {
    let app = spawn_app().await;
    let doc = app.get("/api-docs/openapi.json", None).await.body;
    let mut walk = Walk {
        app: &app,
        examples: examples(&doc),
        posted: Vec::new(),
    };
    let commission = app.token(Role::Commission).to_owned();
    let applicant = app.token(Role::Applicant).to_owned();
    let district = app.token(Role::District).to_owned();
    let platform = app.token(Role::Platform).to_owned();

    // Reference data and accounts.
    walk.post("import_industry_classes", &[], &commission, None)
        .await;
    walk.post("put_industry_map", &[("code", "500105")], &commission, None)
        .await;
    let cluster = walk.post("create_cluster", &[], &commission, None).await;
    walk.post(
        "update_cluster",
        &[("code", &id(&cluster, "code"))],
        &commission,
        None,
    )
    .await;
    walk.post("create_organisation", &[], &commission, None)
        .await;
    // The district's inventory: a chain leader and a characteristic cluster, each replaced once.
    let enterprise = walk
        .post(
            "create_district_enterprise",
            &[("code", "500105")],
            &commission,
            None,
        )
        .await;
    walk.post(
        "replace_district_enterprise",
        &[("code", "500105"), ("id", &id(&enterprise, "id"))],
        &commission,
        Some(&etag(&enterprise)),
    )
    .await;
    let characteristic = walk
        .post(
            "create_characteristic_cluster",
            &[("code", "500105")],
            &commission,
            None,
        )
        .await;
    walk.post(
        "replace_characteristic_cluster",
        &[("code", "500105"), ("id", &id(&characteristic, "id"))],
        &commission,
        Some(&etag(&characteristic)),
    )
    .await;
    let officer = walk.post("create_user", &[], &commission, None).await;
    let expert = app
        .get("/api/v1/users?role=expert", Some(Role::Commission))
        .await;
    let expert_id = expert.body[0]["id"].to_string();
    walk.post(
        "put_expert_profile",
        &[("id", &expert_id)],
        &commission,
        None,
    )
    .await;
    // The new officer signs in with the example's password and changes it; the commission
    // then sets the admin's password to the one the token example uses.
    let officer_token = app.login_token("jb-officer", "a-long-password-here").await;
    walk.post("change_own_password", &[], &officer_token, None)
        .await;
    assert!(officer.status == StatusCode::CREATED);
    walk.post("reset_password", &[("id", "1")], &commission, None)
        .await;
    let token = walk.post("create_token", &[], "", None).await;
    let commission = token.body["access_token"].as_str().unwrap().to_owned();
    walk.post("create_webhook", &[], &platform, None).await;
    walk.post("set_my_email", &[], &applicant, None).await;

    // A round, a proposal through review, the selection and the published list.
    walk.post("create_round", &[], &commission, None).await;
    let p = walk
        .post("create_proposal", &[("year", "2024")], &applicant, None)
        .await;
    let pid = id(&p, "id");
    let p = walk
        .post(
            "update_proposal",
            &[("id", &pid)],
            &applicant,
            Some(&etag(&p)),
        )
        .await;
    let submitted = walk
        .post(
            "submit_proposal",
            &[("id", &pid)],
            &applicant,
            Some(&etag(&p)),
        )
        .await;
    let p = walk
        .post(
            "return_proposal",
            &[("id", &pid)],
            &district,
            Some(&etag(&submitted)),
        )
        .await;
    let submitted = app
        .request_with(
            Method::POST,
            &format!("/api/v1/proposals/{pid}/submit"),
            Some(&applicant),
            Some(crate::proposals::attestation()),
            &[("if-match", &etag(&p))],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let p = walk
        .post(
            "seal_proposal",
            &[("id", &pid)],
            &district,
            Some(&etag(&submitted)),
        )
        .await;
    walk.post(
        "decide_eligibility",
        &[("id", &pid)],
        &commission,
        Some(&etag(&p)),
    )
    .await;
    assert_eq!(pid, "1", "the finding example names proposal 1");
    walk.post("create_finding", &[], &commission, None).await;
    let round = app.get("/api/v1/rounds/2024", None).await;
    walk.post(
        "update_round",
        &[("year", "2024")],
        &commission,
        Some(&etag(&round)),
    )
    .await;
    let run = walk
        .post("create_selection", &[("year", "2024")], &commission, None)
        .await;
    assert_eq!(id(&run, "id"), "1", "the publish example names selection 1");
    walk.post("publish_list", &[("year", "2024")], &commission, None)
        .await;

    // A call on the list's item, asked about and answered with an amendment while open, two
    // bids (the example's by the example organisation), a panel of two experts (one declares a
    // conflict with the second bid), the opening, scores, the award and an objection to it.
    let list = app.get("/api/v1/rounds/2024/list", None).await;
    let item = list.body["items"][0]["id"].to_string();
    // The item's first call is cancelled before it opens; its second, with a short window before
    // the example's, closes with no bid and is declared unsuccessful; each frees the item for
    // the next call.
    let cancelled = announce(
        &app,
        &commission,
        &item,
        walk.examples["create_call"].3.clone(),
    )
    .await;
    let cancelled = walk
        .post(
            "cancel_call",
            &[("id", &id(&cancelled, "id"))],
            &commission,
            None,
        )
        .await;
    assert_eq!(cancelled.body["status"], "cancelled");
    let example_opens = walk.examples["create_call"].3.as_ref().unwrap()["opens_at"]
        .as_str()
        .unwrap()
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    let now = app.clock.now();
    assert!(
        now + chrono::Duration::hours(3) < example_opens,
        "the short call ends before the example's opens"
    );
    let mut short = walk.examples["create_call"].3.clone().unwrap();
    short["opens_at"] = json!((now + chrono::Duration::hours(1)).to_rfc3339());
    short["closes_at"] = json!((now + chrono::Duration::hours(2)).to_rfc3339());
    let short = announce(&app, &commission, &item, Some(short)).await;
    app.clock
        .set(now + chrono::Duration::hours(2) + chrono::Duration::minutes(1));
    let unsuccessful = walk
        .post(
            "declare_unsuccessful",
            &[("id", &id(&short, "id"))],
            &commission,
            None,
        )
        .await;
    assert_eq!(unsuccessful.body["status"], "unsuccessful");
    let call = walk
        .post("create_call", &[("id", &item)], &commission, None)
        .await;
    let call = id(&call, "id");
    let expert2 = account(&app, &commission, "jb-expert-2", "expert", None).await;
    assert_eq!(expert2.0, 8, "the panel example names experts 4 and 8");
    let winner = account(&app, &commission, "jb-bidder-2", "applicant", Some(2)).await;
    let rival_org = app
        .request(
            Method::POST,
            "/api/v1/organisations",
            Some(&commission),
            Some(
                json!({"name": "示例智联数据有限公司", "uscc": "91500112MA00000033",
                        "district_code": "500112", "registered_capital": 800}),
            ),
        )
        .await;
    assert_eq!(rival_org.status, StatusCode::CREATED, "{}", rival_org.body);
    let rival_org = rival_org.body["id"].as_i64().unwrap();
    let rival = account(
        &app,
        &commission,
        "jb-bidder-3",
        "applicant",
        Some(rival_org),
    )
    .await;
    let call_time = |body: &Value, member: &str| {
        body[member]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    let dto = app.get(&format!("/api/v1/calls/{call}"), None).await;
    app.clock
        .set(call_time(&dto.body, "opens_at") + chrono::Duration::hours(1));
    let enquiry = walk
        .post("create_enquiry", &[("id", &call)], &applicant, None)
        .await;
    walk.post(
        "answer_enquiry",
        &[("id", &id(&enquiry, "id"))],
        &commission,
        None,
    )
    .await;
    let bid = walk
        .post("submit_bid", &[("id", &call)], &winner.1, None)
        .await;
    assert_eq!(id(&bid, "bid_id"), "1", "the award example names bid 1");
    let mut content = walk.examples["submit_bid"].3.clone().unwrap();
    content["technical_plan"] = json!("建设家居供应链协同平台，首年接入企业200家。");
    content["budget"] = json!(700);
    let rival_bid = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/bids"),
            Some(&rival.1),
            Some(content),
        )
        .await;
    assert_eq!(rival_bid.status, StatusCode::CREATED, "{}", rival_bid.body);
    assert_eq!(
        rival_bid.body["bid_id"], 2,
        "the conflict example names bid 2"
    );
    walk.post("appoint_panel", &[("id", &call)], &commission, None)
        .await;
    let expert = app.token(Role::Expert).to_owned();
    walk.post("declare_conflict", &[("id", &call)], &expert, None)
        .await;
    let dto = app.get(&format!("/api/v1/calls/{call}"), None).await;
    let closes = call_time(&dto.body, "closes_at");
    app.clock.set(closes + chrono::Duration::minutes(1));
    for step in ["opening", "review"] {
        let r = app
            .request(
                Method::POST,
                &format!("/api/v1/calls/{call}/{step}"),
                Some(&commission),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.body);
    }
    walk.post("put_scores", &[("id", "1")], &expert, None).await;
    for (bid, tech, team) in [("1", 50, 32), ("2", 41, 25)] {
        let r = app
            .request(
                Method::PUT,
                &format!("/api/v1/bids/{bid}/scores"),
                Some(&expert2.1),
                Some(json!({"scores": [{"criterion": "技术方案", "points": tech},
                                       {"criterion": "团队与运营", "points": team}]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    walk.post("award_call", &[("id", &call)], &commission, None)
        .await;
    let objection = walk
        .post("create_objection", &[("id", &call)], &rival.1, None)
        .await;
    walk.post(
        "answer_objection",
        &[("id", &id(&objection, "id"))],
        &commission,
        None,
    )
    .await;

    // The notice over, the call is finalized and its project made; the agreement is drafted
    // and signed by the three parties, the builder reports, the district visits and closes its
    // follow-up, and the agreement is amended.
    app.clock.set(closes + chrono::Duration::days(12));
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/finalize"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "finalize: {}", r.body);
    let projects = app
        .request(Method::GET, "/api/v1/projects", Some(&commission), None)
        .await;
    let project = projects.body["items"][0]["id"].to_string();
    let agreements = app
        .request(
            Method::GET,
            &format!("/api/v1/projects/{project}/agreements"),
            Some(&commission),
            None,
        )
        .await;
    let draft = agreements.body[0].clone();
    let agreement = draft["id"].to_string();
    let r = walk
        .post(
            "update_agreement",
            &[("id", &agreement)],
            &commission,
            draft["etag"].as_str(),
        )
        .await;
    let confirm = |agreement: String, tag: String| {
        let (app, commission, builder, district) =
            (&app, commission.clone(), winner.1.clone(), district.clone());
        async move {
            let mut tag = tag;
            for token in [&commission, &builder, &district] {
                let r = app
                    .request_with(
                        Method::POST,
                        &format!("/api/v1/agreements/{agreement}/confirm"),
                        Some(token),
                        None,
                        &[("if-match", &tag)],
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "confirm: {}", r.body);
                tag = etag(&r);
            }
        }
    };
    confirm(agreement, etag(&r)).await;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2024-04-10T10:00:00+08:00")
            .unwrap()
            .into(),
    );
    walk.post("create_report", &[("id", &project)], &winner.1, None)
        .await;
    let visit = walk
        .post("create_supervision", &[("id", &project)], &district, None)
        .await;
    walk.post(
        "close_follow_up",
        &[("id", &visit.body["follow_ups"][0]["id"].to_string())],
        &district,
        None,
    )
    .await;
    let amendment = walk
        .post("create_amendment", &[("id", &project)], &commission, None)
        .await;
    confirm(id(&amendment, "id"), etag(&amendment)).await;

    // The brain is built on the amended completion date; the request for acceptance comes
    // late, after the commission has recorded why it is let in.
    let at = |s: &str| -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().into()
    };
    app.clock.set(at("2025-06-30T12:00:00+08:00"));
    // The tokens of 2024 have expired: everyone signs in again.
    let admin = walk.examples["create_token"].3.clone().unwrap();
    let admin_password = admin["password"].as_str().unwrap().to_owned();
    let relogin = || async {
        (
            app.login_token("admin", &admin_password).await,
            app.login_token("jb-bidder-2", PASSWORD).await,
        )
    };
    let (_, builder) = relogin().await;
    let p = app
        .request(
            Method::GET,
            &format!("/api/v1/projects/{project}"),
            Some(&builder),
            None,
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let p = walk
        .post(
            "declare_completion",
            &[("id", &project)],
            &builder,
            Some(&etag(&p)),
        )
        .await;
    app.clock.set(at("2025-08-04T10:00:00+08:00"));
    let (commission, builder) = relogin().await;
    let p = walk
        .post(
            "create_acceptance_exception",
            &[("id", &project)],
            &commission,
            Some(&etag(&p)),
        )
        .await;
    walk.post(
        "request_acceptance",
        &[("id", &project)],
        &builder,
        Some(&etag(&p)),
    )
    .await;

    // The acceptance: a third-party evaluator and a panel of four, one of whom declares a link
    // and is recused; the other three score, the evaluator reports, the commission concludes.
    let third = app
        .request(
            Method::POST,
            "/api/v1/organisations",
            Some(&commission),
            Some(
                json!({"name": "重庆示例检测认证有限公司", "uscc": "91500103MA00000045",
                        "district_code": "500103"}),
            ),
        )
        .await;
    assert_eq!(third.status, StatusCode::CREATED, "{}", third.body);
    let evaluator = account(
        &app,
        &commission,
        "jb-evaluator",
        "evaluator",
        third.body["id"].as_i64(),
    )
    .await;
    let expert3 = account(&app, &commission, "jb-expert-3", "expert", None).await;
    let expert4 = account(&app, &commission, "jb-expert-4", "expert", None).await;
    assert_eq!(
        (evaluator.0, expert3.0, expert4.0),
        (11, 12, 13),
        "the acceptance example names experts 4, 8, 12 and 13 and evaluator 11"
    );
    let acceptance = walk
        .post("create_acceptance", &[("id", &project)], &commission, None)
        .await;
    let acceptance = id(&acceptance, "id");
    walk.post(
        "create_acceptance_conflict",
        &[("id", &acceptance)],
        &expert4.1,
        None,
    )
    .await;
    let expert = app.login_token("test-expert", PASSWORD).await;
    walk.post(
        "update_acceptance_scores",
        &[("id", &acceptance)],
        &expert,
        None,
    )
    .await;
    for (name, points) in [("jb-expert-2", 82), ("jb-expert-3", 86)] {
        let token = app.login_token(name, PASSWORD).await;
        let r = app
            .request(
                Method::PUT,
                &format!("/api/v1/acceptances/{acceptance}/scores"),
                Some(&token),
                Some(json!({"scores": [
                    {"criterion": "建设目标完成情况", "points": points},
                    {"criterion": "技术与数据能力", "points": points},
                    {"criterion": "运行与服务成效", "points": points}]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
    }
    walk.post(
        "create_acceptance_report",
        &[("id", &acceptance)],
        &evaluator.1,
        None,
    )
    .await;
    walk.post(
        "create_acceptance_conclusion",
        &[("id", &acceptance)],
        &commission,
        None,
    )
    .await;

    // The brain: its evaluator engaged, an annual evaluation graded 不合格 and confirmed, the
    // builder's rectification plan, a re-evaluation still failing, and the revocation.
    let brains = app.get("/api/v1/brains", None).await;
    let number = brains.body["items"][0]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    walk.post(
        "update_brain_evaluator",
        &[("number", &number)],
        &commission,
        None,
    )
    .await;
    app.clock.set(at("2025-08-20T10:00:00+08:00"));
    let (commission, builder) = relogin().await;
    let evaluator = app.login_token("jb-evaluator", PASSWORD).await;
    let evaluation = walk
        .post(
            "create_evaluation",
            &[("number", &number)],
            &evaluator,
            None,
        )
        .await;
    let evaluation = id(&evaluation, "id");
    let confirm_evaluation = |evaluation: String, commission: String| {
        let app = &app;
        async move {
            let r = app
                .request(
                    Method::POST,
                    &format!("/api/v1/evaluations/{evaluation}/confirmation"),
                    Some(&commission),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "confirmation: {}", r.body);
        }
    };
    confirm_evaluation(evaluation.clone(), commission.clone()).await;
    walk.post(
        "create_evaluation_plan",
        &[("id", &evaluation)],
        &builder,
        None,
    )
    .await;
    app.clock.set(at("2025-11-10T10:00:00+08:00"));
    let (commission, _) = relogin().await;
    let evaluator = app.login_token("jb-evaluator", PASSWORD).await;
    let again = app
        .request(
            Method::POST,
            &format!("/api/v1/brains/{number}/evaluations"),
            Some(&evaluator),
            Some(
                json!({"parts": {"operation": 5_900, "data_integration": 5_900,
                                  "users_served": 5_900, "revenue": 5_900, "kpi_attainment": 5_900},
                        "summary": "整改后复评：数据接入扩容未完成，仍不合格。"}),
            ),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    confirm_evaluation(id(&again, "id"), commission.clone()).await;
    walk.post(
        "create_revocation",
        &[("number", &number)],
        &commission,
        None,
    )
    .await;

    // The next round (not an example) takes in proposals filed on paper.
    let r = app
        .request(
            Method::POST,
            "/api/v1/rounds",
            Some(&commission),
            Some(json!({"year": 2026, "title": "2026年行业产业大脑建设",
                        "intake_deadline": "2026-02-28T23:59:59+08:00", "list_size": 5})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    walk.post("import_proposals", &[("year", "2026")], &commission, None)
        .await;

    // Every example in the document was posted, and none twice.
    let mut posted = walk.posted.clone();
    posted.sort();
    posted.dedup();
    assert_eq!(
        posted.len(),
        walk.posted.len(),
        "an example was posted twice"
    );
    let exampled: Vec<String> = walk
        .examples
        .iter()
        .filter(|(_, e)| e.3.is_some())
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(
        posted, exampled,
        "the request-body examples in the document and the ones this walk posts differ"
    );
    // Every JSON body has an example. The file uploads (application/octet-stream) have none: a
    // file is no JSON value, Swagger UI offers a file picker for them, and
    // tests/api/documents.rs uploads real files through each of them.
    let missing: Vec<&str> = walk
        .examples
        .iter()
        .filter(|(_, e)| e.3.is_none())
        .map(|(id, _)| id.as_str())
        .collect();
    let files: Vec<&str> = walk
        .examples
        .iter()
        .filter(|(_, e)| e.2 == "application/octet-stream")
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(missing, files, "request bodies without an example");
    assert_eq!(files.len(), 5, "the five uploads: {files:?}");
}
