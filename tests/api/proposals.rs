//! Intake: proposals, review and sealing, history, no lost updates.

use chrono::{Duration, TimeZone, Utc};
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use jiebang::domain::proposal_state::Status;
use jiebang::routes::views::proposals::{ProposalDto, ProposalPage};

use crate::helpers::*;

pub const DEADLINE: &str = "2024-02-29T23:59:59+08:00";

pub async fn create_round(app: &TestApp) {
    let r = app
        .post(
            "/api/v1/rounds",
            Some(Role::Commission),
            json!({"year": 2024, "title": "2024年行业产业大脑建设", "intake_deadline": DEADLINE, "list_size": 5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
}

/// A complete, valid proposal for a district and cluster.
pub fn sample(district: &str, cluster: &str) -> Value {
    json!({
        "form": {
            "brain_name": "示例口腔清洁用品行业产业大脑",
            "district_code": district,
            "cluster_code": cluster,
            "industry_class": {"major": "26", "middle": "268", "minor": "2683"},
            "chain_leader": {"name": "示例日化有限公司", "scale": 123456.78, "in_city_suppliers": 120},
            "cluster_stats": {"scale": 2500000, "enterprise_count": 300, "data_year": 2022},
            "construction_model": "chain_leader_led",
            "contact": {"name": "示例联系人", "phone": "023-6000-0001"}
        },
        "plan": {
            "basis": "本区日化产业集聚明显，龙头企业数字化基础较好，已建成多条智能产线和工业互联网平台。",
            "funding": {"total": 1000, "breakdown": [{"item": "平台建设", "amount": 600}, {"item": "运营", "amount": 400}],
                        "sources": [{"source": "企业自筹", "amount": 1000}]},
            "schedule": {"start": "2024-04-01", "milestones": [{"name": "上线", "due": "2024-12-31"}], "end": "2025-06-30"}
        }
    })
}

pub async fn file(app: &TestApp, token: &str, body: Value) -> Reply {
    app.request(
        Method::POST,
        "/api/v1/rounds/2024/proposals",
        Some(token),
        Some(body),
    )
    .await
}

pub fn etag_of(r: &Reply) -> String {
    r.headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned()
}

/// Runs an action with If-Match, returning the reply.
pub async fn act(
    app: &TestApp,
    token: &str,
    id: i64,
    action: &str,
    etag: &str,
    body: Option<Value>,
) -> Reply {
    // A submission carries the truthfulness statement.
    let body = match (action, body) {
        ("submit", None) => Some(attestation()),
        (_, b) => b,
    };
    app.request_with(
        Method::POST,
        &format!("/api/v1/proposals/{id}/{action}"),
        Some(token),
        body,
        &[("if-match", etag)],
    )
    .await
}

/// A submission's body: the truthfulness statement by a named person.
pub fn attestation() -> Value {
    json!({"attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "示例法定代表人", "position": "法定代表人"}})
}

async fn get(app: &TestApp, token: &str, id: i64) -> Reply {
    app.request(
        Method::GET,
        &format!("/api/v1/proposals/{id}"),
        Some(token),
        None,
    )
    .await
}

async fn list_ids(app: &TestApp, token: &str) -> Vec<i64> {
    let r = app
        .request(
            Method::GET,
            "/api/v1/rounds/2024/proposals",
            Some(token),
            None,
        )
        .await;
    r.expect::<ProposalPage>(StatusCode::OK)
        .items
        .iter()
        .map(|p| i64::from(p.id))
        .collect()
}

/// Takes a proposal from draft to sealed; returns its ETag after sealing.
pub async fn submit_and_seal(app: &TestApp, owner: &str, officer: &str, id: i64) -> String {
    let r = get(app, owner, id).await;
    let r = act(app, owner, id, "submit", &etag_of(&r), None).await;
    assert_eq!(r.status, StatusCode::OK, "submit: {:?}", r.body);
    let r = act(
        app,
        officer,
        id,
        "seal",
        &etag_of(&r),
        Some(json!({"statement": "经审核，同意报送。"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "seal: {:?}", r.body);
    etag_of(&r)
}

#[tokio::test]
async fn malformed_values_are_named_and_nothing_is_stored() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutation, &str)> = vec![
        (
            "negative money",
            Box::new(|v| v["form"]["chain_leader"]["scale"] = json!(-1)),
            "form.chain_leader.scale",
        ),
        (
            "three decimals",
            Box::new(|v| v["plan"]["funding"]["total"] = json!(1.234)),
            "plan.funding.total",
        ),
        (
            "unknown district",
            Box::new(|v| v["form"]["district_code"] = json!("509999")),
            "form.district_code",
        ),
        (
            "unknown cluster",
            Box::new(|v| v["form"]["cluster_code"] = json!("no_such")),
            "form.cluster_code",
        ),
        (
            "class parent wrong",
            Box::new(|v| {
                v["form"]["industry_class"] =
                    json!({"major": "26", "middle": "361", "minor": "3612"})
            }),
            "form.industry_class.middle",
        ),
        (
            "end before start",
            Box::new(|v| {
                v["plan"]["schedule"] = json!({"start": "2025-01-01", "end": "2024-01-01"})
            }),
            "plan.schedule.end",
        ),
        (
            "unknown field",
            Box::new(|v| v["form"]["colour"] = json!("red")),
            "form.colour",
        ),
        (
            "wrong type",
            Box::new(|v| v["form"]["cluster_stats"]["enterprise_count"] = json!("many")),
            "form.cluster_stats.enterprise_count",
        ),
    ];
    for (case, mutate, field) in cases {
        let mut body = sample(HOME_DISTRICT, "light_textile");
        mutate(&mut body);
        let r = file(&app, &applicant, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {:?}",
            r.body
        );
        assert!(r.is_problem(), "{case}");
        assert!(
            r.error_fields().contains(&field.to_owned()),
            "{case}: {:?}",
            r.error_fields()
        );
    }
    assert!(
        list_ids(&app, &applicant).await.is_empty(),
        "nothing was stored"
    );
    let ok = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let ok: ProposalDto = ok.expect(StatusCode::CREATED);
    assert_eq!(ok.status, Status::Draft);
    assert_eq!(
        ok.owner_organisation_id.map(i64::from),
        Some(app.organisation_id)
    );
}

#[tokio::test]
async fn the_state_machine_over_http() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let officer = app.token(Role::District).to_owned();
    let commission = app.token(Role::Commission).to_owned();
    // A district's own draft: its officer may see it, but not return or seal it before submission.
    let d = file(&app, &officer, sample(HOME_DISTRICT, "food_agri")).await;
    let did = i64::from(d.parse::<ProposalDto>().id);
    for (action, body) in [
        ("return", json!({"reasons": "缺少资金来源说明"})),
        ("seal", json!({"statement": "同意"})),
    ] {
        let r = act(&app, &officer, did, action, &etag_of(&d), Some(body)).await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "{action} from draft: {:?}",
            r.body
        );
        assert_eq!(r.body["current_state"], "draft");
    }
    // The commission cannot even see a draft.
    let r = act(
        &app,
        &commission,
        did,
        "eligibility",
        &etag_of(&d),
        Some(json!({"eligible": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let p = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let id = i64::from(p.parse::<ProposalDto>().id);
    let mut tag = etag_of(&p);
    // The officer does not see an applicant's draft at all.
    assert_eq!(
        act(
            &app,
            &officer,
            id,
            "seal",
            &tag,
            Some(json!({"statement": "同意"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = act(&app, &applicant, id, "submit", &tag, None).await;
    assert_eq!(
        r.expect::<ProposalDto>(StatusCode::OK).status,
        Status::Submitted
    );
    tag = etag_of(&r);
    // Submitted: the owner cannot edit or submit again.
    let r = app
        .request_with(
            Method::PATCH,
            &format!("/api/v1/proposals/{id}"),
            Some(&applicant),
            Some(json!({"form": {"brain_name": "x"}})),
            &[("if-match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["current_state"], "submitted");
    assert_eq!(
        act(&app, &applicant, id, "submit", &tag, None).await.status,
        StatusCode::CONFLICT
    );
    // The applicant cannot seal its own.
    let r = act(
        &app,
        &applicant,
        id,
        "seal",
        &tag,
        Some(json!({"statement": "自己盖章"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Return with reasons, edit, submit again, seal.
    let r = act(
        &app,
        &officer,
        id,
        "return",
        &tag,
        Some(json!({"reasons": "缺少资金来源说明"})),
    )
    .await;
    let returned: ProposalDto = r.expect(StatusCode::OK);
    assert_eq!(returned.status, Status::Returned);
    assert_eq!(returned.reasons.as_deref(), Some("缺少资金来源说明"));
    tag = etag_of(&r);
    let r = app
        .request_with(
            Method::PATCH,
            &format!("/api/v1/proposals/{id}"),
            Some(&applicant),
            Some(json!({"plan": {"funding": {"sources": [{"source": "区级财政", "amount": 300}, {"source": "企业自筹", "amount": 700}]}}})),
            &[("if-match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        r.body["plan"]["funding"]["total"], 1000.0,
        "merge patch keeps the rest"
    );
    tag = etag_of(&r);
    let r = act(&app, &applicant, id, "submit", &tag, None).await;
    tag = etag_of(&r);
    let r = act(
        &app,
        &officer,
        id,
        "seal",
        &tag,
        Some(json!({"statement": "经审核，同意报送。"})),
    )
    .await;
    let sealed: ProposalDto = r.expect(StatusCode::OK);
    assert_eq!(sealed.status, Status::Sealed);
    assert_eq!(
        sealed.seal.map(|s| s.statement).as_deref(),
        Some("经审核，同意报送。")
    );
    tag = etag_of(&r);
    // Sealed: no more return; ineligible needs reasons.
    assert_eq!(
        act(
            &app,
            &officer,
            id,
            "return",
            &tag,
            Some(json!({"reasons": "晚了"}))
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let r = act(
        &app,
        &commission,
        id,
        "eligibility",
        &tag,
        Some(json!({"eligible": false})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["reasons"]);
    let r = act(
        &app,
        &commission,
        id,
        "eligibility",
        &tag,
        Some(json!({"eligible": true})),
    )
    .await;
    assert_eq!(
        r.expect::<ProposalDto>(StatusCode::OK).status,
        Status::Eligible
    );
    // Only the commission decides eligibility.
    let r = act(
        &app,
        &officer,
        id,
        "eligibility",
        &etag_of(&r),
        Some(json!({"eligible": false, "reasons": "x"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn submission_and_sealing_close_at_the_deadline_to_the_second() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let deadline = Utc.with_ymd_and_hms(2024, 2, 29, 15, 59, 59).unwrap();
    let a = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let b = file(&app, &applicant, sample(HOME_DISTRICT, "food_agri")).await;

    app.clock.set(deadline - Duration::seconds(1));
    // Tokens follow the injected clock too: log in again at the new time.
    let applicant = app.login_token("test-applicant", PASSWORD).await;
    let r = act(
        &app,
        &applicant,
        i64::from(a.parse::<ProposalDto>().id),
        "submit",
        &etag_of(&a),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "one second before: {:?}", r.body);
    let sealed_before = r;

    app.clock.set(deadline + Duration::seconds(1));
    let applicant = app.login_token("test-applicant", PASSWORD).await;
    let officer = app.login_token("test-district", PASSWORD).await;
    let r = act(
        &app,
        &applicant,
        i64::from(b.parse::<ProposalDto>().id),
        "submit",
        &etag_of(&b),
        None,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "one second after: {:?}",
        r.body
    );
    assert!(r.body["detail"].as_str().unwrap().contains("deadline"));
    assert_eq!(r.body["intake_deadline"], "2024-02-29T23:59:59+08:00");
    let still = get(&app, &applicant, i64::from(b.parse::<ProposalDto>().id)).await;
    assert_eq!(
        still.parse::<ProposalDto>().status,
        Status::Draft,
        "a refused submission changes nothing"
    );
    // Sealing is refused after the deadline too.
    let r = act(
        &app,
        &officer,
        i64::from(sealed_before.parse::<ProposalDto>().id),
        "seal",
        &etag_of(&sealed_before),
        Some(json!({"statement": "同意"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn authorisation_matrix_on_lists_and_objects() {
    let app = spawn_app().await;
    create_round(&app).await;
    // District B (500101) with its own officer and applicant organisation.
    let org_b = app.add_organisation("示例万州公司", "500101", 2).await;
    let officer_b = app
        .add_user("officer-b", Role::District, Some("500101"), None)
        .await;
    let applicant_b = app
        .add_user("applicant-b", Role::Applicant, None, Some(org_b))
        .await;
    let officer_a = app.token(Role::District).to_owned();
    let applicant_a = app.token(Role::Applicant).to_owned();

    let a_draft: i64 = file(&app, &applicant_a, sample(HOME_DISTRICT, "light_textile"))
        .await
        .parse::<ProposalDto>()
        .id
        .into();
    let a_district: i64 = file(&app, &officer_a, sample(HOME_DISTRICT, "food_agri"))
        .await
        .parse::<ProposalDto>()
        .id
        .into();
    let b_sub = file(&app, &applicant_b, sample("500101", "motorcycle")).await;
    let b_id = i64::from(b_sub.parse::<ProposalDto>().id);
    let r = act(&app, &applicant_b, b_id, "submit", &etag_of(&b_sub), None).await;
    let b_tag = etag_of(&r);

    // Lists hold exactly what each may see.
    assert_eq!(list_ids(&app, &applicant_a).await, vec![a_draft]);
    assert_eq!(list_ids(&app, &applicant_b).await, vec![b_id]);
    assert_eq!(
        list_ids(&app, &officer_a).await,
        vec![a_district],
        "not the applicant's unsubmitted draft"
    );
    assert_eq!(list_ids(&app, &officer_b).await, vec![b_id]);
    assert!(
        list_ids(&app, app.token(Role::Commission)).await.is_empty(),
        "nothing sealed yet"
    );
    assert!(list_ids(&app, app.token(Role::Expert)).await.is_empty());
    assert!(list_ids(&app, app.token(Role::Platform)).await.is_empty());
    let r = app
        .get("/api/v1/rounds/2024/proposals", Some(Role::Commission))
        .await;
    let page: ProposalPage = r.expect(StatusCode::OK);
    assert!(
        page.counts.is_none() && page.total.is_none(),
        "counts only when asked"
    );
    let r = app
        .get(
            "/api/v1/rounds/2024/proposals?counts=true",
            Some(Role::Commission),
        )
        .await;
    let page: ProposalPage = r.expect(StatusCode::OK);
    let counts = page.counts.expect("counts asked");
    assert_eq!(counts["draft"], 2, "the commission sees counts");
    assert_eq!(counts["submitted"], 1);
    assert_eq!(page.total, Some(0), "nothing sealed yet");
    // Filters narrow, never widen.
    let r = app
        .request(
            Method::GET,
            "/api/v1/rounds/2024/proposals?district=500101",
            Some(&officer_a),
            None,
        )
        .await;
    assert!(r.expect::<ProposalPage>(StatusCode::OK).items.is_empty());

    // District A cannot read, edit, return or seal district B's.
    assert_eq!(
        get(&app, &officer_a, b_id).await.status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .request_with(
            Method::PATCH,
            &format!("/api/v1/proposals/{b_id}"),
            Some(&officer_a),
            Some(json!({"form": {"brain_name": "x"}})),
            &[("if-match", &b_tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        act(
            &app,
            &officer_a,
            b_id,
            "return",
            &b_tag,
            Some(json!({"reasons": "x"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(
            &app,
            &officer_a,
            b_id,
            "seal",
            &b_tag,
            Some(json!({"statement": "x"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.request(
            Method::GET,
            &format!("/api/v1/proposals/{b_id}/history"),
            Some(&officer_a),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Applicant A cannot see B's; experts and platforms see no drafts.
    for token in [
        &applicant_a,
        &app.token(Role::Expert).to_owned(),
        &app.token(Role::Platform).to_owned(),
    ] {
        assert_eq!(get(&app, token, b_id).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            get(&app, token, a_district).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // A district officer cannot file for another district; without a district it files for its own.
    let r = file(&app, &officer_a, sample("500101", "motorcycle")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut own = sample("500101", "motorcycle");
    own["form"].as_object_mut().unwrap().remove("district_code");
    let r = file(&app, &officer_a, own).await;
    assert_eq!(
        r.expect::<ProposalDto>(StatusCode::CREATED).district_code,
        HOME_DISTRICT
    );
    // B is unchanged by all of it.
    let b = get(&app, &officer_b, b_id)
        .await
        .expect::<ProposalDto>(StatusCode::OK);
    assert_eq!((b.status, b.version), (Status::Submitted, 2));
}

#[tokio::test]
async fn stale_and_missing_if_match_and_a_real_race() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let p = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let id = i64::from(p.parse::<ProposalDto>().id);
    let tag = etag_of(&p);
    let path = format!("/api/v1/proposals/{id}");

    let r = app
        .request(
            Method::PATCH,
            &path,
            Some(&applicant),
            Some(json!({"form": {"brain_name": "甲"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    assert!(r.is_problem());
    let r = app
        .request_with(
            Method::PATCH,
            &path,
            Some(&applicant),
            Some(json!({"form": {"brain_name": "甲"}})),
            &[("if-match", "\"proposal-1-v99\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);

    // Two officers of the same organisation edit the same version at once: exactly one wins.
    let second = app
        .add_user(
            "applicant-two",
            Role::Applicant,
            None,
            Some(app.organisation_id),
        )
        .await;
    let mut tasks = Vec::new();
    for (token, name) in [(applicant.clone(), "甲方案"), (second.clone(), "乙方案")] {
        let client = app.client.clone();
        let url = format!("{}{path}", app.base);
        let tag = tag.clone();
        tasks.push(tokio::spawn(async move {
            client
                .patch(url)
                .bearer_auth(token)
                .header("if-match", tag)
                .json(&json!({"form": {"brain_name": name}}))
                .send()
                .await
                .unwrap()
        }));
    }
    let mut statuses = Vec::new();
    let mut winner = None;
    for t in tasks {
        let res = t.await.unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        if status == StatusCode::OK {
            winner = body["form"]["brain_name"].as_str().map(str::to_owned);
        } else {
            assert!(
                body["detail"].as_str().unwrap().contains("read it again"),
                "{body:?}"
            );
        }
        statuses.push(status);
    }
    statuses.sort();
    assert_eq!(
        statuses,
        vec![StatusCode::OK, StatusCode::PRECONDITION_FAILED]
    );
    let now: ProposalDto = get(&app, &applicant, id).await.expect(StatusCode::OK);
    assert_eq!(now.version, 2, "one write happened");
    assert_eq!(now.form.brain_name, winner);
    // The stale tag is refused and changes nothing.
    let r = app
        .request_with(
            Method::PATCH,
            &path,
            Some(&applicant),
            Some(json!({"form": {"brain_name": "丙"}})),
            &[("if-match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        get(&app, &applicant, id)
            .await
            .parse::<ProposalDto>()
            .version,
        2
    );
}

#[tokio::test]
async fn history_records_every_step() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let officer = app.token(Role::District).to_owned();
    let p = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let id = i64::from(p.parse::<ProposalDto>().id);
    let r = app
        .request_with(
            Method::PATCH,
            &format!("/api/v1/proposals/{id}"),
            Some(&applicant),
            Some(json!({"form": {"brain_name": "示例新名称"}, "plan": {"basis": null}})),
            &[("if-match", &etag_of(&p))],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let tag = submit_and_seal(&app, &applicant, &officer, id).await;
    let r = act(
        &app,
        app.token(Role::Commission),
        id,
        "eligibility",
        &tag,
        Some(json!({"eligible": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);

    let h = app
        .request(
            Method::GET,
            &format!("/api/v1/proposals/{id}/history"),
            Some(&applicant),
            None,
        )
        .await;
    let steps: Vec<(&str, &str, i64)> = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["to_status"].as_str().unwrap(),
                e["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("create", "draft", 1),
            ("edit", "draft", 2),
            ("submit", "submitted", 3),
            ("seal", "sealed", 4),
            ("mark_eligible", "eligible", 5)
        ]
    );
    let edit = &h.body[1];
    assert_eq!(edit["actor"]["username"], "test-applicant");
    let ops: Vec<(&str, &str)> = edit["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["op"].as_str().unwrap(), o["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        vec![("replace", "/form/brain_name"), ("remove", "/plan/basis")]
    );
    assert_eq!(edit["changes"][0]["old"], "示例口腔清洁用品行业产业大脑");
    assert_eq!(h.body[3]["actor"]["role"], "district");
    assert_eq!(h.body[3]["note"], "经审核，同意报送。");
}

#[tokio::test]
async fn import_is_all_or_nothing() {
    let app = spawn_app().await;
    create_round(&app).await;
    let row = |district: &str, cluster: &str, by: &str, at: &str| {
        let mut v = sample(district, cluster);
        v["sealed_by"] = json!(by);
        v["sealed_at"] = json!(at);
        v["statement"] = json!("纸质材料已审核盖章");
        v
    };
    let bad = json!([
        row(
            HOME_DISTRICT,
            "light_textile",
            "test-district",
            "2024-02-20T10:00:00+08:00"
        ),
        row(
            HOME_DISTRICT,
            "food_agri",
            "test-district",
            "2024-03-02T10:00:00+08:00"
        ),
        row(
            "500101",
            "motorcycle",
            "test-district",
            "2024-02-20T10:00:00+08:00"
        ),
    ]);
    let r = app
        .post(
            "/api/v1/rounds/2024/proposals/import",
            Some(Role::Commission),
            bad,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), vec!["[1].sealed_at", "[2].sealed_by"]);
    assert!(
        list_ids(&app, app.token(Role::Commission)).await.is_empty(),
        "nothing imported"
    );

    let good = json!([
        row(
            HOME_DISTRICT,
            "light_textile",
            "test-district",
            "2024-02-20T10:00:00+08:00"
        ),
        row(
            HOME_DISTRICT,
            "food_agri",
            "test-district",
            "2024-02-21T10:00:00+08:00"
        ),
    ]);
    let r = app
        .post(
            "/api/v1/rounds/2024/proposals/import",
            Some(Role::Commission),
            good,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let ids = list_ids(&app, app.token(Role::Commission)).await;
    assert_eq!(ids.len(), 2);
    let p = get(&app, app.token(Role::Commission), ids[0]).await;
    let p: ProposalDto = p.expect(StatusCode::OK);
    assert_eq!(p.status, Status::Sealed);
    assert_eq!(
        p.seal.map(|s| s.at),
        Some(Utc.with_ymd_and_hms(2024, 2, 20, 2, 0, 0).unwrap())
    );
    let h = app
        .request(
            Method::GET,
            &format!("/api/v1/proposals/{}/history", ids[0]),
            Some(app.token(Role::Commission)),
            None,
        )
        .await;
    assert_eq!(h.body[0]["action"], "import");
    assert!(h.body[0]["note"]
        .as_str()
        .unwrap()
        .contains("test-district"));
}

#[tokio::test]
async fn completeness_is_scored_with_reasons() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let p = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let id = i64::from(p.parse::<ProposalDto>().id);
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/proposals/{id}/completeness"),
            Some(&applicant),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let total = r.body["total"].as_i64().unwrap();
    let parts = r.body["parts"].as_array().unwrap();
    assert_eq!(
        parts
            .iter()
            .map(|p| p["points"].as_i64().unwrap())
            .sum::<i64>(),
        total
    );
    assert_eq!(
        parts
            .iter()
            .map(|p| p["max"].as_i64().unwrap())
            .sum::<i64>(),
        10_000
    );
    assert!(
        total > 0 && total < 10_000,
        "a partial plan scores partially: {total}"
    );
    let tech = parts.iter().find(|p| p["key"] == "technology").unwrap();
    assert_eq!(tech["points"], 0);
    assert_ne!(tech["reason"], "full marks");
}
