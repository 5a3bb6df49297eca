//! District inventories (issue 16 item 3; 二.1 and 三(一) of the notice): a district records its
//! chain leaders, 专精特新 enterprises and characteristic clusters; a proposal's claims are set
//! beside them for the reviewer, never silently used.

use jiebang::domain::codes::Uscc;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use jiebang::routes::views::inventories::{DistrictClusterDto, EnterpriseDto, InventoryCheckDto};
use jiebang::routes::views::proposals::ProposalDto;

use crate::helpers::*;
use crate::proposals::{act, create_round, etag_of, file, sample};

const OTHER_DISTRICT: &str = "500106";

fn uscc(serial: u32) -> String {
    Uscc::with_check(&format!("91{HOME_DISTRICT}MB{serial:07}")).unwrap()
}

fn leader(serial: u32, name: &str, scale: f64) -> Value {
    json!({"kind": "chain_leader", "name": name, "uscc": uscc(serial),
           "cluster_code": "light_textile", "industry_class": "2683",
           "scale": scale, "in_city_suppliers": 120, "year": 2022})
}

fn specialised(serial: u32, name: &str) -> Value {
    json!({"kind": "specialised", "name": name, "uscc": uscc(serial),
           "cluster_code": "light_textile", "scale": 3000, "year": 2022})
}

fn enterprises_path(district: &str) -> String {
    format!("/api/v1/districts/{district}/enterprises")
}

fn clusters_path(district: &str) -> String {
    format!("/api/v1/districts/{district}/characteristic-clusters")
}

async fn add(app: &TestApp, token: &str, district: &str, body: Value) -> Reply {
    app.request(
        Method::POST,
        &enterprises_path(district),
        Some(token),
        Some(body),
    )
    .await
}

async fn listed(app: &TestApp, district: &str) -> Vec<EnterpriseDto> {
    app.get(&enterprises_path(district), Some(Role::Expert))
        .await
        .expect(StatusCode::OK)
}

async fn events_of(app: &TestApp, kind: &str) -> u64 {
    entity::event::Entity::find()
        .filter(entity::event::Column::AggregateType.eq(kind))
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn put(app: &TestApp, token: &str, path: &str, tag: Option<&str>, body: Value) -> Reply {
    let headers: Vec<(&str, &str)> = tag.map(|t| vec![("if-match", t)]).unwrap_or_default();
    app.request_with(Method::PUT, path, Some(token), Some(body), &headers)
        .await
}

async fn check(app: &TestApp, token: &str, id: i64) -> Reply {
    app.request(
        Method::GET,
        &format!("/api/v1/proposals/{id}/inventory-check"),
        Some(token),
        None,
    )
    .await
}

fn finding<'a>(
    c: &'a InventoryCheckDto,
    field: &str,
) -> &'a jiebang::routes::views::inventories::InventoryFindingDto {
    c.findings
        .iter()
        .find(|f| f.field == field)
        .unwrap_or_else(|| panic!("no finding for {field}: {:?}", c.findings))
}

#[tokio::test]
async fn a_district_inventory_entry_is_shown_against_a_proposals_claimed_chain_leader() {
    let app = spawn_app().await;
    create_round(&app).await;
    let officer = app.token(Role::District).to_owned();
    let applicant = app.token(Role::Applicant).to_owned();

    // The district records its chain leader, a 专精特新 supplier and its characteristic cluster.
    let chain: EnterpriseDto = add(
        &app,
        &officer,
        HOME_DISTRICT,
        leader(1, "示例日化有限公司", 100_000.0),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(chain.district_code, HOME_DISTRICT);
    assert_eq!(chain.in_city_suppliers, Some(120));
    let supplier: EnterpriseDto = add(
        &app,
        &officer,
        HOME_DISTRICT,
        specialised(2, "示例包材有限公司"),
    )
    .await
    .expect(StatusCode::CREATED);
    let cluster: DistrictClusterDto = app
        .request(
            Method::POST,
            &clusters_path(HOME_DISTRICT),
            Some(&officer),
            Some(
                json!({"cluster_code": "light_textile", "name": "口腔清洁用品产业集群",
                        "scale": 2_500_000, "enterprise_count": 300, "year": 2022}),
            ),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(events_of(&app, "district_enterprise").await, 2);
    assert_eq!(events_of(&app, "district_cluster").await, 1);

    // Any signed-in user reads the lists, filtered by kind; the anonymous public does not.
    let leaders: Vec<EnterpriseDto> = app
        .get(
            &format!("{}?kind=chain_leader", enterprises_path(HOME_DISTRICT)),
            Some(Role::Applicant),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(leaders.iter().map(|e| e.id).collect::<Vec<_>>(), [chain.id]);
    assert_eq!(
        app.get(&enterprises_path(HOME_DISTRICT), None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The applicant claims that chain leader with another scale (and names the supplier).
    let mut body = sample(HOME_DISTRICT, "light_textile");
    body["form"]["chain_leader"]["inventory_id"] = json!(chain.id);
    body["form"]["supplier_inventory_ids"] = json!([supplier.id]);
    let filed = file(&app, &applicant, body).await;
    let p: ProposalDto = filed.expect(StatusCode::CREATED);
    let id = i64::from(p.id);
    let r = act(&app, &applicant, id, "submit", &etag_of(&filed), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    // The reviewer (the district officer) sees the mismatch with both figures.
    let c: InventoryCheckDto = check(&app, &officer, id).await.expect(StatusCode::OK);
    assert!(c.attention);
    let scale = finding(&c, "form.chain_leader.scale");
    assert_eq!(scale.outcome.as_str(), "mismatch");
    assert_eq!(scale.claimed, Some(json!(123456.78)));
    assert_eq!(scale.recorded, Some(json!(100000)));
    assert_eq!(scale.entry_id, Some(chain.id));
    assert!(scale.message.contains("123456.78"), "{}", scale.message);
    for field in [
        "form.chain_leader.name",
        "form.chain_leader.in_city_suppliers",
    ] {
        assert_eq!(finding(&c, field).outcome.as_str(), "match", "{field}");
    }
    for field in [
        "form.cluster_stats.scale",
        "form.cluster_stats.enterprise_count",
        "form.cluster_stats.data_year",
    ] {
        let f = finding(&c, field);
        assert_eq!(f.outcome.as_str(), "match", "{field}");
        assert_eq!(f.entry_id, Some(cluster.id));
    }
    let s = finding(&c, "form.supplier_inventory_ids[0]");
    assert_eq!(
        (s.outcome.as_str(), s.entry_id),
        ("match", Some(supplier.id))
    );
    // The commission sees the same once it may read the proposal; the claim itself is unchanged.
    let zh = app
        .request(
            Method::GET,
            &format!("/api/v1/proposals/{id}/inventory-check?lang=zh-CN"),
            Some(&officer),
            None,
        )
        .await
        .expect::<InventoryCheckDto>(StatusCode::OK);
    assert!(finding(&zh, "form.chain_leader.scale")
        .message
        .contains("意向表填报"));
    let stored: ProposalDto = app
        .get(&format!("/api/v1/proposals/{id}"), Some(Role::District))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        stored.form.chain_leader.scale.map(|m| m.hundredths()),
        Some(12_345_678)
    );

    // A claim that agrees with the inventory shows `match` everywhere.
    let mut body = sample(HOME_DISTRICT, "light_textile");
    body["form"]["chain_leader"] =
        json!({"name": "示例日化有限公司", "scale": 100000, "in_city_suppliers": 120});
    let p: ProposalDto = file(&app, &applicant, body)
        .await
        .expect(StatusCode::CREATED);
    let c: InventoryCheckDto = check(&app, &applicant, i64::from(p.id))
        .await
        .expect(StatusCode::OK);
    assert!(!c.attention, "{:?}", c.findings);
    let scale = finding(&c, "form.chain_leader.scale");
    assert_eq!(scale.outcome.as_str(), "match");
    assert_eq!(
        scale.entry_id,
        Some(chain.id),
        "found by name in the district"
    );
}

#[tokio::test]
async fn writers_are_the_commission_and_the_districts_own_officer() {
    let app = spawn_app().await;
    let officer = app.token(Role::District).to_owned();
    let commission = app.token(Role::Commission).to_owned();

    let r = add(&app, &officer, OTHER_DISTRICT, leader(1, "甲公司", 1.0)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    let r = app
        .request(
            Method::POST,
            &clusters_path(OTHER_DISTRICT),
            Some(&officer),
            Some(json!({"cluster_code": "light_textile", "name": "轻纺", "year": 2022})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for role in [Role::Applicant, Role::Expert] {
        let token = app.token(role).to_owned();
        let r = add(&app, &token, HOME_DISTRICT, leader(1, "甲公司", 1.0)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
    }
    assert!(listed(&app, OTHER_DISTRICT).await.is_empty());
    assert!(listed(&app, HOME_DISTRICT).await.is_empty());
    assert_eq!(events_of(&app, "district_enterprise").await, 0);

    // The commission writes any district's; an unknown district is 404.
    add(&app, &commission, OTHER_DISTRICT, leader(1, "甲公司", 1.0))
        .await
        .expect::<EnterpriseDto>(StatusCode::CREATED);
    let r = add(&app, &commission, "999999", leader(2, "乙公司", 1.0)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The same enterprise twice in one list is a conflict; in the other list it is not.
    let r = add(&app, &commission, OTHER_DISTRICT, leader(1, "甲公司", 1.0)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    let mut as_specialised = specialised(1, "甲公司");
    as_specialised["uscc"] = json!(uscc(1));
    add(&app, &commission, OTHER_DISTRICT, as_specialised)
        .await
        .expect::<EnterpriseDto>(StatusCode::CREATED);
}

#[tokio::test]
async fn bad_input_is_named_and_changes_nothing() {
    let app = spawn_app().await;
    let officer = app.token(Role::District).to_owned();
    let cases: Vec<(&str, Value)> = vec![
        ("uscc", json!({"uscc": "91500105MB000000"})),
        ("kind", json!({"kind": "supplier"})),
        ("scale", json!({"scale": -1})),
        ("in_city_suppliers", json!({"in_city_suppliers": -3})),
        ("year", json!({"year": 1999})),
        ("name", json!({"name": "  "})),
        ("cluster_code", json!({"cluster_code": "no_such_cluster"})),
        ("industry_class", json!({"industry_class": "9999"})),
    ];
    for (field, change) in cases {
        let mut body = leader(1, "甲公司", 1.0);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = add(&app, &officer, HOME_DISTRICT, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), [field], "{field}");
    }
    // Suppliers are a chain leader's figure.
    let mut body = specialised(1, "乙公司");
    body["in_city_suppliers"] = json!(3);
    let r = add(&app, &officer, HOME_DISTRICT, body).await;
    assert_eq!(r.error_fields(), ["in_city_suppliers"]);
    let r = app
        .request(
            Method::POST,
            &clusters_path(HOME_DISTRICT),
            Some(&officer),
            Some(json!({"cluster_code": "nope", "name": "", "year": 2101})),
        )
        .await;
    assert_eq!(r.error_fields(), ["cluster_code", "name", "year"]);
    assert!(listed(&app, HOME_DISTRICT).await.is_empty());
    let clusters: Vec<DistrictClusterDto> = app
        .get(&clusters_path(HOME_DISTRICT), Some(Role::Expert))
        .await
        .expect(StatusCode::OK);
    assert!(clusters.is_empty());
    assert_eq!(events_of(&app, "district_enterprise").await, 0);
    assert_eq!(events_of(&app, "district_cluster").await, 0);
}

#[tokio::test]
async fn a_replacement_names_the_version_it_read() {
    let app = spawn_app().await;
    let officer = app.token(Role::District).to_owned();
    let r = add(&app, &officer, HOME_DISTRICT, leader(1, "甲公司", 100.0)).await;
    let first = etag_of(&r);
    let e: EnterpriseDto = r.expect(StatusCode::CREATED);
    assert_eq!(first, e.etag);
    let path = format!("{}/{}", enterprises_path(HOME_DISTRICT), e.id);
    assert_eq!(
        put(&app, &officer, &path, None, leader(1, "甲公司", 200.0))
            .await
            .status,
        StatusCode::PRECONDITION_REQUIRED
    );
    let r = put(
        &app,
        &officer,
        &path,
        Some(&first),
        leader(1, "甲公司", 200.0),
    )
    .await;
    let second: EnterpriseDto = r.expect(StatusCode::OK);
    assert_eq!(second.version, 2);
    assert_eq!(second.scale.map(|m| m.hundredths()), Some(20_000));
    let r = put(
        &app,
        &officer,
        &path,
        Some(&first),
        leader(1, "甲公司", 300.0),
    )
    .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{:?}", r.body);
    let now = listed(&app, HOME_DISTRICT).await;
    assert_eq!(now[0].scale.map(|m| m.hundredths()), Some(20_000));
    assert_eq!(events_of(&app, "district_enterprise").await, 2);

    // Another district's path does not reach the entry; another district's officer may not write.
    let r = app
        .request_with(
            Method::PUT,
            &format!("{}/{}", enterprises_path(OTHER_DISTRICT), e.id),
            Some(app.token(Role::Commission)),
            Some(leader(1, "甲公司", 1.0)),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Characteristic clusters likewise.
    let r = app
        .request(
            Method::POST,
            &clusters_path(HOME_DISTRICT),
            Some(&officer),
            Some(json!({"cluster_code": "light_textile", "name": "轻纺", "year": 2022})),
        )
        .await;
    let tag = etag_of(&r);
    let c: DistrictClusterDto = r.expect(StatusCode::CREATED);
    let path = format!("{}/{}", clusters_path(HOME_DISTRICT), c.id);
    let body = json!({"cluster_code": "light_textile", "name": "轻纺", "enterprise_count": 9, "year": 2022});
    let r = put(&app, &officer, &path, None, body.clone()).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    let r = put(&app, &officer, &path, Some(&tag), body.clone()).await;
    assert_eq!(
        r.expect::<DistrictClusterDto>(StatusCode::OK)
            .enterprise_count,
        Some(9)
    );
    let r = put(&app, &officer, &path, Some(&tag), body).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
}

#[tokio::test]
async fn unknown_references_are_refused_and_checks_stay_in_scope() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();

    let mut body = sample(HOME_DISTRICT, "light_textile");
    body["form"]["chain_leader"]["inventory_id"] = json!(4242);
    let r = file(&app, &applicant, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), ["form.chain_leader.inventory_id"]);

    let mut body = sample(HOME_DISTRICT, "light_textile");
    body["form"]["supplier_inventory_ids"] = json!([7, 7]);
    let r = file(&app, &applicant, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    let fields = r.error_fields();
    // Named twice (the second), and neither names an entry.
    assert!(
        fields
            .iter()
            .all(|f| f.starts_with("form.supplier_inventory_ids[")),
        "{fields:?}"
    );
    assert!(fields.contains(&"form.supplier_inventory_ids[0]".to_owned()));
    assert_eq!(
        fields
            .iter()
            .filter(|f| *f == "form.supplier_inventory_ids[1]")
            .count(),
        2,
        "{fields:?}"
    );
    let mut body = sample(HOME_DISTRICT, "light_textile");
    body["form"]["supplier_inventory_ids"] = json!((1..=51).collect::<Vec<i32>>());
    let r = file(&app, &applicant, body).await;
    assert!(r
        .error_fields()
        .contains(&"form.supplier_inventory_ids".to_owned()));
    assert_eq!(events_of(&app, "proposal").await, 0, "nothing was filed");

    // On edit too.
    let filed = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let tag = etag_of(&filed);
    let p: ProposalDto = filed.expect(StatusCode::CREATED);
    let r = app
        .request_with(
            Method::PATCH,
            &format!("/api/v1/proposals/{}", p.id),
            Some(&applicant),
            Some(json!({"form": {"supplier_inventory_ids": [99]}})),
            &[("if-match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), ["form.supplier_inventory_ids[0]"]);

    // Another applicant's proposal: its check does not exist for this caller.
    let other_org = app
        .add_organisation("示例别家有限公司", HOME_DISTRICT, 77)
        .await;
    let other = app
        .add_user(
            "inv-other-applicant",
            Role::Applicant,
            None,
            Some(other_org),
        )
        .await;
    let r = check(&app, &other, i64::from(p.id)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{:?}", r.body);
    // The district officer does not see an unsubmitted draft either; the owner does.
    let officer = app.token(Role::District).to_owned();
    assert_eq!(
        check(&app, &officer, i64::from(p.id)).await.status,
        StatusCode::NOT_FOUND
    );
    let c: InventoryCheckDto = check(&app, &applicant, i64::from(p.id))
        .await
        .expect(StatusCode::OK);
    // Nothing recorded: the claimed chain leader and cluster are not in the inventory.
    assert_eq!(
        finding(&c, "form.chain_leader").outcome.as_str(),
        "not_in_inventory"
    );
    assert_eq!(
        finding(&c, "form.cluster_stats").outcome.as_str(),
        "not_in_inventory"
    );
}
