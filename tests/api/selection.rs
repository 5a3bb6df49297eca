//! Selection and publication on the demo data set.

use std::collections::HashSet;

use jiebang::domain::event::{AggregateRef, AggregateType, Visibility};
use jiebang::domain::role::Role;
use jiebang::domain::selection::LeftOutReason;
use jiebang::routes::views::selection::{ChosenProposal, SelectionRun};
use jiebang::store::events;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

async fn with_demo() -> TestApp {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024)
        .await
        .expect("demo data loads");
    app
}

async fn select(app: &TestApp, body: Value) -> Reply {
    app.post(
        "/api/v1/rounds/2024/selections",
        Some(Role::Commission),
        body,
    )
    .await
}

/// The proposals a run chose, in rank order.
fn chosen_ids(run: &Reply) -> Vec<i64> {
    run.parse::<SelectionRun>()
        .chosen
        .iter()
        .map(|c| c.proposal_id.into())
        .collect()
}

#[tokio::test]
async fn the_list_is_the_constrained_optimum_with_reasons_for_everyone_left_out() {
    let app = with_demo().await;
    let scores = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await;
    assert_eq!(scores.status, StatusCode::OK, "{:?}", scores.body);
    let pool = scores.body["proposals"].as_array().unwrap();
    assert_eq!(pool.len(), 30, "the demo's eligible pool");
    let top5: Vec<i64> = pool
        .iter()
        .take(5)
        .map(|p| p["proposal_id"].as_i64().unwrap())
        .collect();
    // The two strongest share a district, so the top five by total break the district cap.
    assert_eq!(pool[0]["district_code"], pool[1]["district_code"]);

    let run: SelectionRun = select(&app, json!({})).await.expect(StatusCode::CREATED);
    let chosen_ids: Vec<i64> = run.chosen.iter().map(|c| c.proposal_id.into()).collect();
    assert_eq!(chosen_ids.len(), 5);
    assert_ne!(chosen_ids, top5, "the optimum is not the top five by total");
    let distinct = |key: fn(&ChosenProposal) -> String| {
        run.chosen.iter().map(key).collect::<HashSet<_>>().len()
    };
    assert_eq!(distinct(|c| c.district_code.clone()), 5, "one per district");
    assert_eq!(distinct(|c| c.cluster_code.clone()), 5, "one per cluster");
    assert_eq!(
        distinct(|c| format!("{:?}", c.region)),
        3,
        "every region of 一区两群"
    );
    let sum: i64 = run.chosen.iter().map(|c| c.total).sum();
    assert_eq!(run.objective, sum);
    assert_eq!(run.inputs_hash.len(), 64);
    assert!(run.tie_rule.contains("earliest-sealed"));
    assert!(run.solver_version.contains("microlp"));
    // Every eligible proposal left out has a reason; the strongest have a forcing cost.
    let left = &run.explanation.left_out;
    assert_eq!(left.len(), 25);
    assert!(left.iter().all(|l| !l.message.is_empty()), "{left:?}");
    assert!(left.iter().take(20).all(|l| l.forcing_cost.is_some()));
    let second = left
        .iter()
        .find(|l| Some(i64::from(l.id)) == pool[1]["proposal_id"].as_i64())
        .unwrap();
    assert!(
        matches!(second.reason, LeftOutReason::SameDistrict { .. }),
        "{second:?}"
    );
    assert_eq!(run.explanation.weight_intervals.len(), 3);
    for c in &run.chosen {
        assert!(!c.card.completeness.parts.is_empty(), "{c:?}");
    }
}

#[tokio::test]
async fn replay_is_identical_after_the_data_changes() {
    let app = with_demo().await;
    let run = select(&app, json!({})).await;
    let id = i64::from(run.parse::<SelectionRun>().id);
    let first = chosen_ids(&run);
    // Change what the scores depend on: the weights, a district's industry map, an eligibility.
    let round = app.get("/api/v1/rounds/2024", None).await;
    let etag = round.headers["etag"].to_str().unwrap().to_owned();
    let r = app
        .request_with(
            Method::PATCH,
            "/api/v1/rounds/2024",
            Some(app.token(Role::Commission)),
            Some(json!({"settings": {"weights": {"completeness": 80, "representativeness": 10, "layout": 10}},
                        "reason": "专家组建议突出方案完整性（测试）"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let district = run.body["chosen"][0]["district_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/districts/{district}/industry-map"),
            Some(app.token(Role::Commission)),
            Some(json!({"leading": [], "characteristic": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let p = app
        .get(
            &format!("/api/v1/proposals/{}", first[0]),
            Some(Role::Commission),
        )
        .await;
    let tag = p.headers["etag"].to_str().unwrap().to_owned();
    let r = app
        .request_with(
            Method::POST,
            &format!("/api/v1/proposals/{}/eligibility", first[0]),
            Some(app.token(Role::Commission)),
            Some(json!({"eligible": false, "reasons": "复核发现材料不全"})),
            &[("if-match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    let replay = app
        .request(
            Method::POST,
            &format!("/api/v1/selections/{id}/replay"),
            Some(app.token(Role::Commission)),
            None,
        )
        .await;
    assert_eq!(replay.status, StatusCode::OK, "{:?}", replay.body);
    assert_eq!(replay.body["identical"], true, "{:?}", replay.body);
    assert_eq!(replay.body["inputs_intact"], true);
    assert_eq!(replay.body["replayed_chosen"].as_array().unwrap().len(), 5);
    // A new run sees today's data and differs.
    let again = select(&app, json!({})).await;
    assert!(!chosen_ids(&again).contains(&first[0]));
    let runs = app
        .get("/api/v1/rounds/2024/selections", Some(Role::Commission))
        .await;
    assert_eq!(runs.body.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn infeasible_requests_say_why_and_bad_panel_decisions_are_named() {
    let app = with_demo().await;
    let scores = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await;
    let pool = scores.body["proposals"].as_array().unwrap();
    let (a, b) = (
        pool[0]["proposal_id"].as_i64().unwrap(),
        pool[1]["proposal_id"].as_i64().unwrap(),
    );
    let why = "专家组一致认为该方向必须列入榜单以体现布局";
    let r = select(&app, json!({"pins": [{"proposal_id": a, "justification": why}, {"proposal_id": b, "justification": why}]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert!(r.is_problem());
    let detail = r.body["detail"].as_str().unwrap();
    assert!(detail.contains("district"), "{detail}");
    assert!(
        !r.body["relaxations"].as_array().unwrap().is_empty(),
        "{:?}",
        r.body
    );

    let r = select(
        &app,
        json!({"constraints": {"min_per_model": {"third_party": 6}}}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        r.body["detail"]
    );
    assert!(!r.body["conflicts"].as_array().unwrap().is_empty());

    let r = select(&app, json!({"exclusions": [{"proposal_id": a, "justification": "太短"}, {"proposal_id": 99999, "justification": why}]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_fields(),
        vec!["exclusions[0].justification", "exclusions[1].proposal_id"]
    );
    let r = select(
        &app,
        json!({"weights": {"completeness": 50, "representativeness": 50, "layout": 50}}),
    )
    .await;
    assert_eq!(r.error_fields(), vec!["weights"]);
    // Nothing was stored by refused runs.
    assert_eq!(
        app.get("/api/v1/rounds/2024/selections", Some(Role::Commission))
            .await
            .body,
        json!([])
    );

    // An exclusion with its justification is honoured and recorded.
    let r = select(
        &app,
        json!({"exclusions": [{"proposal_id": a, "justification": why}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(!chosen_ids(&r).contains(&a));
    assert_eq!(r.body["exclusions"][0]["justification"], why);
    let out = r.body["explanation"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == a)
        .unwrap()
        .clone();
    assert_eq!(out["reason"]["kind"], "excluded");
}

#[tokio::test]
async fn only_the_commission_selects_and_publishes_and_anyone_reads_the_list() {
    let app = with_demo().await;
    for role in [
        Role::District,
        Role::Applicant,
        Role::Expert,
        Role::Evaluator,
        Role::Platform,
    ] {
        assert_eq!(select_as(&app, role).await, StatusCode::FORBIDDEN, "{role}");
        let r = app
            .post(
                "/api/v1/rounds/2024/list",
                Some(role),
                json!({"selection_id": 1, "note": "x"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(
            app.get("/api/v1/rounds/2024/scores", Some(role))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        app.get("/api/v1/rounds/2024/list", None).await.status,
        StatusCode::NOT_FOUND,
        "nothing published yet"
    );

    let run = select(&app, json!({})).await;
    let sel = i64::from(run.parse::<SelectionRun>().id);
    let chosen = chosen_ids(&run);
    let r = app.post("/api/v1/rounds/2024/list", Some(Role::Commission), json!({"selection_id": sel, "note": "渝经信智能〔2024〕榜单", "correction_reason": "nothing to correct"})).await;
    assert_eq!(r.error_fields(), vec!["correction_reason"]);
    let r = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": sel, "note": "渝经信智能〔2024〕榜单"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["version"], 1);

    let public = app.get("/api/v1/rounds/2024/list", None).await;
    assert_eq!(public.status, StatusCode::OK);
    let items = public.body["items"].as_array().unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| i["proposal_id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        chosen
    );
    assert!(items.iter().all(|i| i["direction"].is_string()
        && i["id"].is_i64()
        && i["industry_class"].is_object()));
    assert!(
        items
            .iter()
            .any(|i| !i["targets"].as_array().unwrap().is_empty()),
        "outcome targets from the KPIs"
    );
    // Proposals moved: chosen listed, the rest of the pool not listed.
    let p = app
        .get(
            &format!("/api/v1/proposals/{}", chosen[0]),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(p.body["status"], "listed");
    let listed = app
        .get(
            "/api/v1/rounds/2024/proposals?status=not_listed&limit=100&counts=true",
            Some(Role::Commission),
        )
        .await;
    assert_eq!(listed.body["total"], 25);
    // Now the public can see the listed proposals, platforms included.
    assert_eq!(
        app.get(
            &format!("/api/v1/proposals/{}", chosen[0]),
            Some(Role::Platform)
        )
        .await
        .status,
        StatusCode::OK
    );

    // A correction needs a reason and publishes version 2; version 1 stays readable.
    let why = "专家组一致认为该方向应由其他区县承担以平衡布局";
    let run2 = select(
        &app,
        json!({"exclusions": [{"proposal_id": chosen[0], "justification": why}]}),
    )
    .await;
    let sel2 = i64::from(run2.parse::<SelectionRun>().id);
    let r = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": sel2, "note": "更正"}),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["correction_reason"]);
    let r = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": sel2, "note": "更正", "correction_reason": why}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["versions"], json!([1, 2]));
    let v1 = app.get("/api/v1/rounds/2024/list?version=1", None).await;
    assert_eq!(v1.body["items"][0]["proposal_id"], chosen[0]);
    let v2 = app.get("/api/v1/rounds/2024/list", None).await;
    assert_eq!(v2.body["version"], 2);
    assert_eq!(v2.body["correction_reason"], why);
    let p = app
        .get(
            &format!("/api/v1/proposals/{}", chosen[0]),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(p.body["status"], "not_listed");
    assert_eq!(
        app.get("/api/v1/rounds/2024/list?version=9", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn select_as(app: &TestApp, role: Role) -> StatusCode {
    app.post("/api/v1/rounds/2024/selections", Some(role), json!({}))
        .await
        .status
}

fn aggregate(kind: AggregateType, id: impl ToString) -> AggregateRef {
    AggregateRef::new(kind, id)
}

#[tokio::test]
async fn runs_and_publications_are_in_the_log_with_each_proposals_move() {
    let app = with_demo().await;
    let db = app.state.db.clone();
    let why = "专家组一致认为该方向应由其他区县承担以平衡布局";
    let run = select(&app, json!({})).await;
    let sel = i64::from(run.parse::<SelectionRun>().id);
    let chosen = chosen_ids(&run);

    // The run: what was asked and what was chosen, for the commission, not the frozen pool.
    let log = events::of(&db, &aggregate(AggregateType::SelectionRun, sel))
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    let e = &log[0];
    assert_eq!(
        (e.kind.as_str(), e.visibility),
        ("run", Visibility::Commission)
    );
    assert_eq!(e.parent, Some(aggregate(AggregateType::Round, 2024)));
    let at = |path: &str| {
        e.payload
            .iter()
            .find(|o| o.path == path)
            .and_then(|o| o.value.clone())
    };
    assert_eq!(at("/chosen"), Some(json!(chosen)));
    assert_eq!(at("/weights"), Some(run.body["weights"].clone()));
    assert_eq!(at("/exclusions"), Some(json!([])));
    assert_eq!(at("/inputs_hash"), Some(run.body["inputs_hash"].clone()));
    assert!(at("/candidates").is_none() && at("/scores").is_none());

    let r = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": sel, "note": "渝经信智能〔2024〕榜单"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let run2 = select(
        &app,
        json!({"exclusions": [{"proposal_id": chosen[0], "justification": why}]}),
    )
    .await;
    let sel2 = i64::from(run2.parse::<SelectionRun>().id);
    let log = events::of(&db, &aggregate(AggregateType::SelectionRun, sel2))
        .await
        .unwrap();
    assert_eq!(
        log[0]
            .payload
            .iter()
            .find(|o| o.path == "/exclusions")
            .and_then(|o| o.value.clone()),
        Some(json!([{"proposal_id": chosen[0], "justification": why}]))
    );
    let r = app
        .post(
            "/api/v1/rounds/2024/list",
            Some(Role::Commission),
            json!({"selection_id": sel2, "note": "更正", "correction_reason": why}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    // The list: one public event per version, the correction with its reason and the old items.
    let list = events::of(&db, &aggregate(AggregateType::List, 2024))
        .await
        .unwrap();
    let versions: Vec<(i32, &str, Visibility)> = list
        .iter()
        .map(|e| (e.version, e.kind.as_str(), e.visibility))
        .collect();
    assert_eq!(
        versions,
        vec![
            (1, "publish", Visibility::Public),
            (2, "publish", Visibility::Public)
        ]
    );
    assert_eq!(list[0].reason, None);
    assert_eq!(list[1].reason.as_deref(), Some(why));
    let items = |e: &jiebang::domain::event::Event| {
        e.payload
            .iter()
            .find(|o| o.path == "/items")
            .cloned()
            .unwrap()
    };
    let first = items(&list[0]);
    assert_eq!(first.op, "add");
    let listed: Vec<i64> = first
        .value
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["proposal_id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, chosen);
    let correction = items(&list[1]);
    assert_eq!(correction.op, "replace");
    assert_eq!(correction.old.unwrap()[0]["proposal_id"], chosen[0]);
    assert!(list[1]
        .payload
        .iter()
        .any(|o| o.path == "/correction_reason" && o.op == "add"));

    // Each proposal's move is its own public event under the list, with its new version.
    let moved = events::of(&db, &aggregate(AggregateType::Proposal, chosen[0]))
        .await
        .unwrap();
    let tail: Vec<String> = moved
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|e| {
            let (from, to) = e.status_change();
            format!(
                "{} {}→{} ({})",
                e.kind,
                from.unwrap_or("-"),
                to.unwrap_or("-"),
                e.reason.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        tail,
        vec![
            "list eligible→listed (list version 1 published)",
            "not_list listed→not_listed (list version 2 published)"
        ]
    );
    let last = moved.last().unwrap();
    assert_eq!(last.visibility, Visibility::Public);
    assert_eq!(last.parent, Some(aggregate(AggregateType::List, 2024)));
    let p = app
        .get(
            &format!("/api/v1/proposals/{}", chosen[0]),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(
        p.body["version"], last.version,
        "the event carries the new version"
    );
    assert_eq!(p.body["status"], "not_listed");
    let tree = events::of_tree(&db, &aggregate(AggregateType::List, 2024))
        .await
        .unwrap();
    let v1_moves = tree
        .iter()
        .filter(|e| e.reason.as_deref() == Some("list version 1 published"))
        .count();
    assert_eq!(
        v1_moves, 30,
        "the whole pool moved at the first publication"
    );
}

/// Changes the round's settings through `PATCH /rounds/2024` (If-Match, with a reason).
async fn patch_round(app: &TestApp, body: Value) -> Reply {
    let round = app.get("/api/v1/rounds/2024", None).await;
    let etag = round.headers["etag"].to_str().unwrap().to_owned();
    app.request_with(
        Method::PATCH,
        "/api/v1/rounds/2024",
        Some(app.token(Role::Commission)),
        Some(body),
        &[("if-match", &etag)],
    )
    .await
}

#[tokio::test]
async fn omitted_constraint_members_take_the_rounds_settings() {
    let app = with_demo().await;
    let r = patch_round(
        &app,
        json!({"settings": {"constraints": {"max_per_district": 2, "each_region": false,
                                            "min_completeness": 1000,
                                            "min_per_model": {"third_party": 1}}},
               "reason": "专家组建议放宽区县限制（测试）"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let round = json!({"max_per_district": 2, "max_per_cluster": 1, "each_region": false,
                       "min_completeness": 1000});
    let cases = [
        ("no constraints member", json!({}), json!({})),
        (
            "an empty constraints member",
            json!({"constraints": {}}),
            json!({}),
        ),
        (
            "one member given",
            json!({"constraints": {"max_per_cluster": null}}),
            json!({"max_per_cluster": null}),
        ),
        (
            "a floor turned off and the region rule on",
            json!({"constraints": {"min_completeness": null, "each_region": true}}),
            json!({"min_completeness": null, "each_region": true}),
        ),
    ];
    for (case, body, overrides) in cases {
        let run = select(&app, body).await;
        assert_eq!(run.status, StatusCode::CREATED, "{case}: {:?}", run.body);
        let mut want = round.clone();
        for (k, v) in overrides.as_object().unwrap() {
            want[k] = v.clone();
        }
        let got = &run.body["constraints"];
        for (k, v) in want.as_object().unwrap() {
            assert_eq!(&got[k], v, "{case}: constraints.{k}");
        }
        assert_eq!(got["min_per_model"], json!({"third_party": 1}), "{case}");
        assert_eq!(got["list_size"], 5, "{case}");
    }
    // A member given still has to be valid.
    let r = select(&app, json!({"constraints": {"max_per_district": 0}})).await;
    assert_eq!(r.error_fields(), vec!["constraints.max_per_district"]);
}

/// Arrange: moves a proposal into another cluster in the database (no API edits an eligible
/// proposal), in its column and its form.
async fn move_to_cluster(app: &TestApp, id: i64, cluster: &str) {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let id = i32::try_from(id).unwrap();
    let row = entity::proposal::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut form = row.form.clone();
    form["cluster_code"] = json!(cluster);
    let mut row: entity::proposal::ActiveModel = row.into();
    row.cluster_code = Set(Some(cluster.to_owned()));
    row.form = Set(form);
    row.update(&app.state.db).await.unwrap();
}

/// Applies one relaxation from a 422 to the request (or, for the list size, to the round) and
/// runs the selection again.
async fn select_relaxed(app: &TestApp, body: &Value, relaxation: &Value) -> Reply {
    let field = relaxation["field"].as_str().unwrap();
    let value = relaxation["value"].clone();
    match (
        relaxation["target"].as_str().unwrap(),
        relaxation["change"].as_str().unwrap(),
    ) {
        ("selection", "set") => {
            let mut body = body.clone();
            let mut at = &mut body;
            let path: Vec<&str> = field.split('.').collect();
            for key in &path[..path.len() - 1] {
                if at.get(*key).is_none() {
                    at[*key] = json!({});
                }
                at = &mut at[*key];
            }
            at[path[path.len() - 1]] = value;
            select(app, body).await
        }
        ("selection", "remove") => {
            let mut body = body.clone();
            let ids = value.as_array().unwrap();
            body[field]
                .as_array_mut()
                .unwrap()
                .retain(|d| !ids.contains(&d["proposal_id"]));
            select(app, body).await
        }
        ("round", "set") => {
            let before = app.get("/api/v1/rounds/2024", None).await.body[field].clone();
            let r = patch_round(
                app,
                json!({field: value, "reason": "按诊断建议调整（测试）"}),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            let run = select(app, body.clone()).await;
            let r = patch_round(app, json!({field: before, "reason": "恢复原设置（测试）"})).await;
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            run
        }
        other => panic!("unknown relaxation {other:?}"),
    }
}

#[tokio::test]
async fn every_relaxation_offered_allows_a_list_when_applied_alone() {
    let app = with_demo().await;
    let scores = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await;
    let pool = scores.body["proposals"].as_array().unwrap().clone();
    let why = "专家组一致认为该方向必须列入榜单以体现布局";
    // Two proposals in one district (the demo's two strongest) put into one cluster: raising
    // one cap alone cannot help.
    let (a, b) = (
        pool[0]["proposal_id"].as_i64().unwrap(),
        pool[1]["proposal_id"].as_i64().unwrap(),
    );
    assert_eq!(pool[0]["district_code"], pool[1]["district_code"]);
    let cluster = pool[0]["cluster_code"].clone();
    move_to_cluster(&app, b, cluster.as_str().unwrap()).await;
    let scores = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await;
    let pool = scores.body["proposals"].as_array().unwrap().clone();
    let of = |id: i64| pool.iter().find(|p| p["proposal_id"] == id).unwrap();
    assert_eq!(of(b)["cluster_code"], cluster);
    assert_eq!(of(a)["district_code"], of(b)["district_code"]);
    let best = pool
        .iter()
        .map(|p| p["card"]["completeness"]["total"].as_i64().unwrap())
        .max()
        .unwrap();
    // The floor can be at most 100.00, so the proposals at 100.00 are excluded: the floor is then
    // above everyone admissible.
    let full: Vec<Value> = pool
        .iter()
        .filter(|p| p["card"]["completeness"]["total"] == 10_000)
        .map(|p| json!({"proposal_id": p["proposal_id"], "justification": why}))
        .collect();
    let floor = if full.is_empty() { best + 1 } else { 10_000 };
    let cases = [
        (
            "two pins in one district and one cluster",
            json!({"pins": [{"proposal_id": a, "justification": why},
                            {"proposal_id": b, "justification": why}]}),
        ),
        (
            "a floor above everyone",
            json!({"constraints": {"min_completeness": floor}, "exclusions": full}),
        ),
        (
            "more third_party proposals than places",
            json!({"constraints": {"min_per_model": {"third_party": 6}}}),
        ),
    ];
    for (case, body) in cases {
        let r = select(&app, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {:?}",
            r.body
        );
        let relaxations = r.body["relaxations"].as_array().unwrap().clone();
        assert!(!relaxations.is_empty(), "{case}: {:?}", r.body);
        for relaxation in &relaxations {
            let text = relaxation["text"].as_str().unwrap();
            assert!(
                r.body["detail"].as_str().unwrap().contains(text),
                "{case}: the detail names {text}"
            );
            if relaxation["field"] == "list_size" {
                let v = relaxation["value"].as_i64().unwrap();
                assert!((1..=50).contains(&v), "{case}: {relaxation:?}");
            }
            let run = select_relaxed(&app, &body, relaxation).await;
            assert_eq!(
                run.status,
                StatusCode::CREATED,
                "{case}: {text} applied alone: {:?}",
                run.body
            );
        }
        if case.starts_with("two pins") {
            let texts: Vec<&str> = relaxations
                .iter()
                .map(|r| r["text"].as_str().unwrap())
                .collect();
            assert_eq!(
                texts,
                vec![format!("unpin P-{a}"), format!("unpin P-{b}")],
                "{case}"
            );
        }
        if case.starts_with("a floor") {
            let lowered = relaxations
                .iter()
                .find(|r| r["field"] == "constraints.min_completeness")
                .unwrap_or_else(|| panic!("{case}: {relaxations:?}"));
            // In the request's unit: hundredths of a point, below the floor asked.
            let value = lowered["value"].as_i64().unwrap();
            assert!(value < floor, "{lowered:?}");
            assert!(
                relaxations
                    .iter()
                    .all(|r| r["field"] != "list_size" || r["value"] != 0),
                "{relaxations:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_district_without_an_industry_map_is_warned_about_in_scores_and_runs() {
    let app = with_demo().await;
    let scores = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await;
    let district = scores.body["proposals"][0]["district_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let names = |body: &Value| -> Vec<String> {
        body["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["district_code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        !names(&scores.body).contains(&district),
        "{:?}",
        scores.body["warnings"]
    );

    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/districts/{district}/industry-map"),
            Some(app.token(Role::Commission)),
            Some(json!({"leading": [], "characteristic": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    let scores = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await;
    let in_district: Vec<Value> = scores.body["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["district_code"] == district.as_str())
        .cloned()
        .collect();
    assert!(!in_district.is_empty());
    for p in &in_district {
        let part = &p["card"]["layout"]["parts"][0];
        assert_eq!(part["key"], "industry_match");
        assert_eq!(part["points"], 0);
        assert_eq!(part["reason"], "no industry map for this district", "{p:?}");
    }
    let warning = |body: &Value| -> Value {
        body["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["district_code"] == district.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no warning for {district}: {:?}", body["warnings"]))
    };
    let w = warning(&scores.body);
    assert_eq!(w["kind"], "no_industry_map");
    let mut ids: Vec<Value> = in_district
        .iter()
        .map(|p| p["proposal_id"].clone())
        .collect();
    ids.sort_by_key(|v| v.as_i64());
    assert_eq!(w["proposal_ids"], json!(ids));
    assert!(w["message"].as_str().unwrap().contains(&district), "{w:?}");

    let run = select(&app, json!({})).await;
    assert_eq!(run.status, StatusCode::CREATED, "{:?}", run.body);
    assert_eq!(warning(&run.body), w);
    let stored = app
        .get(
            &format!("/api/v1/selections/{}", run.body["id"]),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(warning(&stored.body), w);
}

/// Runs store their score cards compressed beside the rest of their inputs (migration 22); the
/// inputs hash is still the SHA-256 of the canonical JSON of the whole inputs, so a run stored
/// the old way (one JSON value) reads, lists and replays as before, and altering either kind of
/// storage shows in the replay.
#[tokio::test]
async fn runs_stored_with_compressed_cards_and_runs_stored_before_read_list_and_verify() {
    use std::io::{Read, Write};

    use entity::selection_run;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};

    let app = with_demo().await;
    let run = select(&app, json!({})).await;
    assert_eq!(run.status, StatusCode::CREATED, "{:?}", run.body);
    let id = run.body["id"].as_i64().unwrap() as i32;
    let row = selection_run::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let z = row.scores_z.clone().expect("cards stored apart");
    assert!(row.inputs.get("scores").is_none());
    assert!(row.shown.is_some());
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(&z[..])
        .read_to_string(&mut text)
        .unwrap();
    let cards: Value = serde_json::from_str(&text).unwrap();
    // The same cards the scores show, in the pool's order, and the hash of the whole inputs.
    let scores = app
        .get(
            "/api/v1/rounds/2024/scores?limit=5000",
            Some(Role::Commission),
        )
        .await;
    let mut shown: Vec<Value> = scores.body["proposals"].as_array().unwrap().clone();
    shown.sort_by_key(|p| p["proposal_id"].as_i64());
    assert_eq!(cards.as_array().unwrap().len(), shown.len());
    for (card, p) in cards.as_array().unwrap().iter().zip(&shown) {
        assert_eq!(card, &p["card"]);
    }
    let mut whole = row.inputs.clone();
    whole["scores"] = cards.clone();
    assert_eq!(
        jiebang::domain::selection_run::hash(&whole),
        row.inputs_hash
    );
    assert_eq!(
        jiebang::domain::selection_run::canonical_json(&cards),
        text,
        "the stored cards are canonical JSON"
    );

    // The same run stored the old way: one JSON value, nothing apart.
    let old = selection_run::ActiveModel {
        round_id: Set(row.round_id),
        created_by: Set(row.created_by),
        created_at: Set(row.created_at),
        inputs: Set(whole.clone()),
        inputs_hash: Set(row.inputs_hash.clone()),
        solver: Set(row.solver.clone()),
        solver_version: Set(row.solver_version.clone()),
        outcome: Set(row.outcome.clone()),
        objective: Set(row.objective),
        result: Set(row.result.clone()),
        scores_z: Set(None),
        shown: Set(None),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let old_id = old.id;
    let read = |id: i32| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/selections/{id}"), Some(Role::Commission))
                .await
        }
    };
    let (new_read, old_read) = (read(id).await, read(old_id).await);
    assert_eq!(new_read.status, StatusCode::OK, "{:?}", new_read.body);
    assert_eq!(old_read.status, StatusCode::OK, "{:?}", old_read.body);
    for member in [
        "chosen",
        "explanation",
        "warnings",
        "inputs_hash",
        "objective",
    ] {
        assert_eq!(new_read.body[member], old_read.body[member], "{member}");
        assert_eq!(new_read.body[member], run.body[member], "{member}");
    }
    let runs = app
        .get("/api/v1/rounds/2024/selections", Some(Role::Commission))
        .await;
    let runs = runs.body.as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["chosen"], runs[1]["chosen"]);
    assert_eq!(runs[0]["chosen"].as_array().unwrap().len(), 5);

    let replay = |id: i32| {
        let app = &app;
        async move {
            app.request(
                Method::POST,
                &format!("/api/v1/selections/{id}/replay"),
                Some(app.token(Role::Commission)),
                None,
            )
            .await
        }
    };
    for id in [id, old_id] {
        let r = replay(id).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.body["identical"], true, "{:?}", r.body);
        assert_eq!(r.body["inputs_intact"], true, "{:?}", r.body);
    }

    // One card's points altered, recompressed: no longer intact. The old way likewise.
    let altered = text.replacen("\"points\":", "\"points\":1", 1);
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(altered.as_bytes()).unwrap();
    let mut m: selection_run::ActiveModel = row.into();
    m.scores_z = Set(Some(enc.finish().unwrap()));
    m.update(&app.state.db).await.unwrap();
    let mut whole_altered = whole;
    whole_altered["scores"][0]["weighted_total"] = json!(1);
    let mut m: selection_run::ActiveModel = old.into();
    m.inputs = Set(whole_altered);
    m.update(&app.state.db).await.unwrap();
    for id in [id, old_id] {
        let r = replay(id).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.body["inputs_intact"], false, "{:?}", r.body);
        assert_eq!(r.body["identical"], false, "{:?}", r.body);
    }
}

/// A run's answer explains a window of its left-out proposals (every proposal of the pool but the
/// chosen: 49,995 at 50,000), the strongest 100 unless asked; the windows add up to the whole.
#[tokio::test]
async fn a_run_explains_its_left_out_a_window_at_a_time() {
    let app = with_demo().await;
    let run = select(&app, json!({})).await;
    assert_eq!(run.status, StatusCode::CREATED, "{:?}", run.body);
    let id = run.body["id"].as_i64().unwrap();
    let all = run.body["explanation"]["left_out"]
        .as_array()
        .unwrap()
        .clone();
    let total = all.len() as u64;
    assert!(total > 6 && total < 100, "the demo's pool: {total}");
    assert_eq!(run.body["left_out_page"]["total"], total);
    assert_eq!(run.body["left_out_page"]["offset"], 0);
    assert!(run.body["left_out_page"]["next_offset"].is_null());

    let mut seen = Vec::new();
    let mut offset = Some(0u64);
    while let Some(at) = offset {
        let r = app
            .get(
                &format!("/api/v1/selections/{id}?left_out_offset={at}&left_out_limit=4"),
                Some(Role::Commission),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.body["left_out_page"]["total"], total);
        assert_eq!(r.body["left_out_page"]["offset"], at);
        let window = r.body["explanation"]["left_out"].as_array().unwrap();
        assert!(!window.is_empty() && window.len() <= 4);
        assert_eq!(r.body["chosen"], run.body["chosen"]);
        seen.extend(window.iter().cloned());
        offset = r.body["left_out_page"]["next_offset"].as_u64();
    }
    assert_eq!(seen, all);
    let past = app
        .get(
            &format!("/api/v1/selections/{id}?left_out_offset=100000"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(past.body["explanation"]["left_out"], json!([]));

    for bad in [
        "left_out_limit=0",
        "left_out_limit=5001",
        "left_out_offset=-1",
    ] {
        let r = app
            .get(
                &format!("/api/v1/selections/{id}?{bad}"),
                Some(Role::Commission),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {:?}", r.body);
        let field = bad.split('=').next().unwrap();
        assert!(r.body.to_string().contains(field), "{bad}: {:?}", r.body);
    }
}
