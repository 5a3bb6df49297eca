//! Enquiries (issue 16 item 5): asked during the open window, answered for all without revealing
//! who asked; an amending answer changes the call and extends its window.

use chrono::Duration;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use jiebang::routes::views::enquiries::EnquiryDto;

use crate::calls::{bid, bidder, call_dto, closes, content, opens, with_call};
use crate::helpers::*;

async fn ask(app: &TestApp, token: &str, call: i64, q: &str) -> Reply {
    app.request(
        Method::POST,
        &format!("/api/v1/calls/{call}/enquiries"),
        Some(token),
        Some(json!({"question": q})),
    )
    .await
}

async fn listed(app: &TestApp, token: Option<&str>, call: i64) -> Vec<EnquiryDto> {
    app.request(
        Method::GET,
        &format!("/api/v1/calls/{call}/enquiries"),
        token,
        None,
    )
    .await
    .expect(StatusCode::OK)
}

#[tokio::test]
async fn an_enquiry_is_answered_for_all_without_revealing_who_asked() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (org_a, a) = bidder(&app, "示例提问科技有限公司", 51, 2000.0).await;
    let (_org_b, b) = bidder(&app, "示例旁观数据有限公司", 52, 2000.0).await;

    // Before the window opens nobody may ask.
    app.clock.set(opens() - Duration::hours(1));
    let r = ask(&app, &a, call, "接入企业数量如何统计？").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);

    app.clock.set(opens() + Duration::hours(1));
    let q1: EnquiryDto = ask(&app, &a, call, "接入企业数量如何统计？")
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(q1.organisation_id.map(i64::from), Some(org_a));
    let q2: EnquiryDto = ask(&app, &b, call, "是否接受联合体揭榜？")
        .await
        .expect(StatusCode::CREATED);
    let r = ask(&app, &a, call, "   ").await;
    assert_eq!(r.error_fields(), ["question"]);
    assert_eq!(
        ask(&app, &commission, call, "?").await.status,
        StatusCode::FORBIDDEN
    );

    // Unanswered: the public sees none, a bidder its own, the commission all with the asker.
    assert!(listed(&app, None, call).await.is_empty());
    let seen_by_b = listed(&app, Some(&b), call).await;
    assert_eq!(seen_by_b.len(), 1);
    assert!(seen_by_b[0].mine);
    let all = listed(&app, Some(&commission), call).await;
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|e| e.organisation_id.is_some()));

    // A plain answer: published to all, without who asked.
    let path = |id: i32| format!("/api/v1/enquiries/{id}/answer");
    let r = app
        .request(
            Method::POST,
            &path(q1.id),
            Some(&a),
            Some(json!({"answer": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let answered: EnquiryDto = app
        .post(
            &path(q1.id),
            Some(Role::Commission),
            json!({"answer": "按签订数据接入协议的企业统计。"}),
        )
        .await
        .expect(StatusCode::OK);
    assert!(!answered.amended);
    let public = listed(&app, None, call).await;
    assert_eq!(public.len(), 1);
    assert_eq!(
        public[0].answer.as_deref(),
        Some("按签订数据接入协议的企业统计。")
    );
    assert_eq!(public[0].organisation_id, None);
    let seen_by_b = listed(&app, Some(&b), call).await;
    let q1_for_b = seen_by_b.iter().find(|e| e.id == q1.id).unwrap();
    assert!(!q1_for_b.mine && q1_for_b.organisation_id.is_none());
    let again = app
        .post(
            &path(q1.id),
            Some(Role::Commission),
            json!({"answer": "再答"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // An amending answer: below the minimum extension is refused; by default 72 hours.
    let amended_text = "建成行业大脑平台，接入企业不少于200家；允许联合体揭榜";
    let r = app
        .post(
            &path(q2.id),
            Some(Role::Commission),
            json!({"answer": "接受联合体揭榜。", "amendment": {"requirements": amended_text, "extend_hours": 10}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), ["amendment.extend_hours"]);
    let amended: EnquiryDto = app
        .post(
            &path(q2.id),
            Some(Role::Commission),
            json!({"answer": "接受联合体揭榜。", "amendment": {"requirements": amended_text}}),
        )
        .await
        .expect(StatusCode::OK);
    assert!(amended.amended);
    assert_eq!(amended.closes_at_before, Some(closes()));
    assert_eq!(
        amended.closes_at_after,
        Some(closes() + Duration::hours(72))
    );
    let dto = call_dto(&app, call).await;
    assert_eq!(dto.closes_at, closes() + Duration::hours(72));
    assert_eq!(dto.requirements, amended_text);

    // A bid after the original close is now inside the window.
    app.clock.set(closes() + Duration::hours(1));
    let late = bid(&app, &a, call, content("延期后的方案", 900.0)).await;
    assert_eq!(late.status, StatusCode::CREATED, "{:?}", late.body);

    // The log: questions are the commission's; answers and the amendment public, without the
    // asker.
    let rows = entity::event::Entity::find()
        .filter(
            entity::event::Column::AggregateType
                .is_in(["enquiry", "call"])
                .and(entity::event::Column::Kind.is_in([
                    "enquiry_asked",
                    "enquiry_answered",
                    "amend",
                ])),
        )
        .order_by_asc(entity::event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|e| (e.kind.as_str(), e.visibility.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("enquiry_asked", "commission"),
            ("enquiry_asked", "commission"),
            ("enquiry_answered", "public"),
            ("amend", "public"),
            ("enquiry_answered", "public"),
        ]
    );
    for e in rows.iter().filter(|e| e.visibility == "public") {
        assert!(!e.payload.to_string().contains("organisation"), "{e:?}");
    }
    assert_eq!(
        rows[3].reason.as_deref(),
        Some(format!("answer to enquiry {}", q2.id).as_str())
    );
}
