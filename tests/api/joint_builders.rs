//! Builders as the notice defines them (issue 16 item 2), from outside: an organisation's type,
//! a joint bid whose members must each meet the call's rules and whose member's employee is
//! recused once the bids are opened, and a proposal naming joint builders.

use chrono::Duration;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use jiebang::routes::views::organisations::OrganisationDto;
use jiebang::routes::views::panel::Bidder;

use crate::calls::{bid, bid_id, bidder, closes, content, opens, score, with_call};
use crate::helpers::*;
use crate::proposals::{create_round, file, sample};

fn joint(body: Value, members: Value) -> Value {
    let mut body = body;
    body["joint_builders"] = members;
    body
}

fn fields(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {:?}", r.body))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// Must show: a joint bid whose member's employee is recused. Before the opening nobody can tell
/// who bid jointly; at the opening the member is revealed with the content, the expert who works
/// there is recused from the bid (the reason names the joint builder) and cannot score it.
#[tokio::test]
async fn a_joint_bid_whose_members_employee_is_recused() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let expert = app.token(Role::Expert).to_owned();
    let (_lead, b1) = bidder(&app, "示例牵头科技有限公司", 31, 2000.0).await;
    let (member, _) = bidder(&app, "示例联合数据有限公司", 32, 1000.0).await;
    let (small, _) = bidder(&app, "示例小微技术有限公司", 33, 100.0).await;
    let (_other, b4) = bidder(&app, "示例独立平台有限公司", 34, 3000.0).await;
    let expert_id = app.get("/api/v1/users/me", Some(Role::Expert)).await.body["id"]
        .as_i64()
        .unwrap();
    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/users/{expert_id}/expert-profile"),
            Some(&commission),
            Some(json!({"organisation_id": member})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/panel"),
            Some(&commission),
            Some(json!({"experts": [expert_id]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.clock.set(opens() + Duration::hours(1));

    // Each member must meet the call's rules (here a registered capital of 500 万元), exist, and
    // not be the bidder itself; a refused bid leaves no receipt.
    for (members, field) in [
        (
            json!([{"organisation_id": small, "role": "data_provider"}]),
            "joint_builders[0].eligibility.min_registered_capital",
        ),
        (
            json!([{"organisation_id": 999_999, "role": "operator"}]),
            "joint_builders[0].organisation_id",
        ),
        (
            json!([{"organisation_id": member, "role": "operator"}, {"organisation_id": member, "role": "co_funder"}]),
            "joint_builders[1].organisation_id",
        ),
    ] {
        let r = bid(&app, &b1, call, joint(content("联合方案", 900.0), members)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
        assert_eq!(fields(&r), [field], "{:?}", r.body);
    }
    let r = bid(
        &app,
        &b1,
        call,
        joint(
            content("联合方案", 900.0),
            json!([{"organisation_id": member, "role": "technology_provider"}]),
        ),
    )
    .await;
    let joint_bid = bid_id(&r);
    let other_bid = bid_id(&bid(&app, &b4, call, content("独立方案", 800.0)).await);

    // Before the opening: no recusal, no member named anywhere the panel or commission reads.
    let panel = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/panel"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(panel.body[0]["recusals"], json!([]), "{:?}", panel.body);
    for path in [
        format!("/api/v1/calls/{call}/bids"),
        format!("/api/v1/calls/{call}/history"),
        format!("/api/v1/bids/{joint_bid}"),
    ] {
        let r = app
            .request(Method::GET, &path, Some(&commission), None)
            .await;
        assert!(
            !r.body.to_string().contains("示例联合数据")
                && !r.body.to_string().contains("technology_provider"),
            "{path}: {:?}",
            r.body
        );
    }

    // The opening reveals the member; the expert who works there is recused from the joint bid.
    app.clock.set(closes() + Duration::seconds(1));
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/opening"),
            Some(&commission),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let bidders: Vec<Bidder> = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/bidders"),
            Some(&expert),
            None,
        )
        .await
        .expect(StatusCode::OK);
    let joint_entry = bidders.iter().find(|b| i64::from(b.bid_id) == joint_bid);
    let joint_entry = joint_entry.expect("the joint bid is listed");
    assert_eq!(joint_entry.joint_builders.len(), 1);
    assert_eq!(
        i64::from(joint_entry.joint_builders[0].organisation_id),
        member
    );
    assert_eq!(joint_entry.joint_builders[0].name, "示例联合数据有限公司");
    assert_eq!(
        serde_json::to_value(joint_entry.joint_builders[0].role).unwrap(),
        "technology_provider"
    );
    let panel = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/panel"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(
        panel.body[0]["recusals"],
        json!([{
            "bid_id": joint_bid,
            "reasons": [format!("from data: works at organisation {member}, a joint builder of the bid")]
        }]),
        "{:?}",
        panel.body
    );
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/review"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        score(&app, &expert, joint_bid, 50.0, 30.0).await.status,
        StatusCode::FORBIDDEN,
        "recused from the joint bid"
    );
    assert_eq!(
        score(&app, &expert, other_bid, 50.0, 30.0).await.status,
        StatusCode::OK,
        "not recused from the other bid"
    );
}

/// An organisation's type is kept, shown, and checked; a proposal's joint builders must be
/// known organisations other than the builder.
#[tokio::test]
async fn organisation_types_and_a_proposals_joint_builders() {
    let app = spawn_app().await;
    create_round(&app).await;
    let r = app
        .post(
            "/api/v1/organisations",
            Some(Role::Commission),
            json!({"name": "示例区县平台公司", "uscc": "91500105MA0000002U", "district_code": "500105", "kind": "district_platform"}),
        )
        .await;
    let platform: OrganisationDto = r.expect(StatusCode::CREATED);
    assert_eq!(
        serde_json::to_value(platform.kind).unwrap(),
        "district_platform"
    );
    let r = app
        .post(
            "/api/v1/organisations",
            Some(Role::Commission),
            json!({
                "name": "示例企业",
                "uscc": jiebang::domain::codes::Uscc::with_check("91500112MA0000031").unwrap(),
                "district_code": "500112",
                "kind": "boss"
            }),
        )
        .await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::BAD_REQUEST,
        "{:?}",
        r.body
    );
    assert!(r.body.to_string().contains("kind"), "{:?}", r.body);
    // Registered without a type: `other`.
    let untyped = app
        .get(
            &format!("/api/v1/organisations/{}", app.organisation_id),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(untyped.body["kind"], "other", "{:?}", untyped.body);

    let applicant = app.token(Role::Applicant).to_owned();
    let mut body = sample(HOME_DISTRICT, "light_textile");
    body["form"]["joint_builders"] = json!([
        {"organisation_id": 999_999, "role": "co_builder"},
        {"organisation_id": platform.id, "role": "operator"},
        {"organisation_id": platform.id, "role": "co_funder"}
    ]);
    let r = file(&app, &applicant, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(
        fields(&r),
        [
            "form.joint_builders[2].organisation_id",
            "form.joint_builders[0].organisation_id"
        ]
    );
    body["form"]["joint_builders"] = json!([{"organisation_id": platform.id, "role": "operator"}]);
    let r = file(&app, &applicant, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(
        r.body["form"]["joint_builders"],
        json!([{"organisation_id": platform.id, "role": "operator"}])
    );
}
