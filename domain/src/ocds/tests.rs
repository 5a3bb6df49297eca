use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};

use super::*;
use crate::call::{Call, CallStatus, Criterion};
use crate::event::{Actor, AggregateRef, AggregateType, Event, Visibility};
use crate::json_patch::PatchOp;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0).unwrap()
}

fn publisher() -> Publisher {
    Publisher {
        prefix: "ocds-213czf".into(),
        name: "重庆市经济和信息化委员会".into(),
        base_url: "http://127.0.0.1:8080".into(),
    }
}

fn event(seq: i64, kind: AggregateType, id: i32, what: &str, ops: Vec<PatchOp>) -> Event {
    Event {
        seq,
        aggregate: AggregateRef::new(kind, id),
        version: 1,
        parent: None,
        actor: Actor::Clock,
        at: t0() + Duration::days(seq),
        kind: what.into(),
        reason: None,
        payload: ops,
        visibility: Visibility::Public,
    }
}

fn call_event(seq: i64, what: &str, ops: Vec<(&str, Value)>) -> Event {
    event(
        seq,
        AggregateType::Call,
        7,
        what,
        ops.into_iter().map(|(p, v)| PatchOp::add(p, v)).collect(),
    )
}

fn call() -> Call {
    Call {
        id: 7,
        round_id: 1,
        list_item_id: 3,
        status: CallStatus::Awarded,
        requirements: "建成平台".into(),
        eligibility: Eligibility::default(),
        opens_at: t0() + Duration::days(2),
        closes_at: t0() + Duration::days(3),
        winners: 1,
        notice_days: 7,
        rubric: vec![Criterion {
            criterion: "技术方案".into(),
            weight: 100,
            max_points: 10_000,
        }],
        version: 9,
        created_by: 1,
        created_at: t0(),
        updated_at: t0(),
        opened_by: Some(1),
        opened_at: Some(t0() + Duration::days(5)),
        notice_started_at: None,
        notice_ends_at: None,
        award: None,
        finalized_at: None,
        reasons: None,
    }
}

/// A process whose first award was overturned by an objection and whose second stood.
fn process() -> Process {
    let at = |d: i64| json!((t0() + Duration::days(d)).to_rfc3339());
    let mut year = event(1, AggregateType::List, 2024, "publish", Vec::new());
    year.aggregate = AggregateRef::new(AggregateType::List, 2024);
    let events = vec![
        year,
        call_event(2, "announce", vec![("/status", json!("announced"))]),
        call_event(3, "window_opened", vec![("/status", json!("open"))]),
        call_event(4, "window_closed", vec![("/status", json!("closed"))]),
        call_event(
            5,
            "open_bids",
            vec![("/status", json!("opened")), ("/opened_at", at(5))],
        ),
        call_event(
            6,
            "award",
            vec![
                ("/status", json!("notice")),
                ("/award", json!({"bid_ids": [10], "note": "甲"})),
                ("/notice_started_at", at(6)),
                ("/notice_ends_at", at(13)),
            ],
        ),
        call_event(
            7,
            "uphold_objection",
            vec![("/status", json!("under_review"))],
        ),
        call_event(
            8,
            "award",
            vec![
                ("/status", json!("notice")),
                ("/award", json!({"bid_ids": [11], "note": "乙"})),
                ("/notice_started_at", at(8)),
                ("/notice_ends_at", at(15)),
            ],
        ),
        call_event(9, "finalize", vec![("/status", json!("awarded"))]),
    ];
    let bid = |id, org, budget| BidFacts {
        id,
        organisation_id: org,
        received_at: t0() + Duration::days(2) + Duration::hours(1),
        budget,
    };
    Process {
        item: ItemFacts {
            id: 3,
            year: 2024,
            rank: 1,
            direction: "示例行业产业大脑".into(),
            district_code: "500112".into(),
            cluster_code: None,
            total: 912_345,
            list_version: 1,
            proposal_id: 40,
            plan_total: Money::from_hundredths(480_000).ok(),
            plan_sources: Vec::new(),
            goal: None,
        },
        calls: vec![CallFacts {
            call: call(),
            bids: vec![
                bid(10, 100, None),
                bid(11, 101, Money::from_hundredths(90_000).ok()),
            ],
            objections: vec![t0() + Duration::days(6) + Duration::hours(3)],
        }],
        projects: Vec::new(),
        orgs: BTreeMap::from([
            (
                100,
                Org {
                    name: "示例甲".into(),
                    uscc: "91500112MA0000001X".into(),
                },
            ),
            (
                101,
                Org {
                    name: "示例乙".into(),
                    uscc: "91500112MA0000002X".into(),
                },
            ),
        ]),
        events,
    }
}

fn at_seq(rs: &[Release], seq: i64) -> &Value {
    &rs.iter().find(|r| r.seq == seq).unwrap().json
}

#[test]
fn each_public_stage_is_one_release_with_a_codelist_tag_and_a_stable_id() {
    let p = process();
    let rs = p.releases(&publisher());
    let tags: Vec<&str> = rs
        .iter()
        .map(|r| r.json["tag"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        [
            "planning",
            "tender",
            "tenderUpdate",
            "tenderUpdate",
            "tenderUpdate",
            "award",
            "awardCancellation",
            "award",
            "awardUpdate"
        ]
    );
    assert_eq!(rs[0].json["ocid"], "ocds-213czf-2024-3");
    assert_eq!(rs[0].json["id"], "ocds-213czf-2024-3-planning-1");
    assert_eq!(rs[5].json["id"], "ocds-213czf-2024-3-award-6");
    assert_eq!(
        rs[0].json["planning"]["listItem"]["selectionPoints"],
        "91.2345"
    );
    assert_eq!(
        rs[0].json["planning"]["budget"]["amount"]["amount"],
        48_000_000
    );
    let again: Vec<Value> = p
        .releases(&publisher())
        .into_iter()
        .map(|r| r.json)
        .collect();
    let first: Vec<Value> = rs.into_iter().map(|r| r.json).collect();
    assert_eq!(first, again, "the same log gives the same releases");
}

#[test]
fn who_bid_is_told_only_from_the_opening_and_how_many_only_from_the_close() {
    let rs = process().releases(&publisher());
    for (seq, count, named) in [
        (2, None, false),
        (3, None, false),
        (4, Some(2), false),
        (5, Some(2), true),
    ] {
        let t = &at_seq(&rs, seq)["tender"];
        assert_eq!(
            t.get("numberOfTenderers").and_then(Value::as_u64),
            count,
            "seq {seq}"
        );
        assert_eq!(t.get("tenderers").is_some(), named, "seq {seq}");
        let parties = at_seq(&rs, seq)["parties"].as_array().unwrap().len();
        assert_eq!(parties, if named { 3 } else { 1 }, "seq {seq}");
    }
    assert_eq!(at_seq(&rs, 4)["tender"]["status"], "active");
    assert_eq!(at_seq(&rs, 9)["tender"]["status"], "complete");
}

#[test]
fn an_overturned_award_is_cancelled_and_the_final_one_active_with_its_amount() {
    let rs = process().releases(&publisher());
    let first = &at_seq(&rs, 6)["awards"];
    assert_eq!(first.as_array().unwrap().len(), 1);
    assert_eq!(first[0]["status"], "pending");
    assert_eq!(first[0]["suppliers"][0]["name"], "示例甲");
    assert!(first[0].get("value").is_none(), "no amount while in notice");
    assert_eq!(first[0]["objectionCount"], 0, "the objection came later");
    let cancelled = &at_seq(&rs, 7)["awards"][0];
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["objectionCount"], 1);
    let last = &at_seq(&rs, 9)["awards"];
    assert_eq!(last[0]["status"], "cancelled");
    assert_eq!(last[1]["status"], "active");
    assert_eq!(
        last[1]["value"],
        json!({"amount": 9_000_000, "currency": "CNY"})
    );
    assert_eq!(last[1]["id"], "ocds-213czf-2024-3-award-8-11");
    // Only the standing award's winner is a supplier.
    let roles: Vec<(String, Value)> = at_seq(&rs, 9)["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["roles"].clone()))
        .collect();
    assert_eq!(roles[1], ("示例甲".into(), json!(["tenderer"])));
    assert_eq!(roles[2], ("示例乙".into(), json!(["tenderer", "supplier"])));
    assert_eq!(
        roles[0].1,
        json!(["buyer", "procuringEntity", "reviewBody"])
    );
}

#[test]
fn ocids_parse_back_only_for_this_publisher() {
    let p = publisher();
    assert_eq!(p.parse_ocid(&p.ocid(2024, 12)), Some((2024, 12)));
    for bad in [
        "ocds-213czf-2024",
        "ocds-213czf-2024-",
        "ocds-213czf-2024-1x",
        "ocds-213czf-x-1",
        "ocds-other-2024-1",
        "ocds-213czf2024-1",
        "ocds-213czf-2024-+1",
    ] {
        assert_eq!(p.parse_ocid(bad), None, "{bad}");
    }
}

#[test]
fn statuses_map_onto_closed_codelists() {
    let tender: Vec<&str> = CallStatus::ALL.iter().map(|s| tender_status(*s)).collect();
    for s in &tender {
        assert!(
            [
                "planning",
                "planned",
                "active",
                "cancelled",
                "unsuccessful",
                "complete",
                "withdrawn"
            ]
            .contains(s),
            "{s}"
        );
    }
    assert_eq!(tender_status(CallStatus::Cancelled), "cancelled");
    assert_eq!(
        milestone_status(MilestoneStatus::PartiallyMet),
        "partiallyMet"
    );
}
