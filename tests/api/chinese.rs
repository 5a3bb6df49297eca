//! Issue 14 item 4: what the service says to people — field messages, the rules' sentences, the
//! states and actions a 409 names — in zh-CN from the catalogues when `Accept-Language` asks for
//! it, in English otherwise; the codes (`field`, `current_state`, `type`) never change.

use chrono::Duration;
use jiebang::domain::role::Role;
use jiebang::routes::views::lists::PublishedList;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::calls::{bidder, content, opens, with_call};
use crate::helpers::*;

const ZH: &[(&str, &str)] = &[("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")];

/// The same request in Chinese and without the header (English).
async fn both(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Value,
) -> (Reply, Reply) {
    let path = format!("/api/v1{path}");
    let zh = app
        .request_with(method.clone(), &path, Some(token), Some(body.clone()), ZH)
        .await;
    let en = app
        .request_with(method, &path, Some(token), Some(body), &[])
        .await;
    assert!(
        zh.is_problem() && en.is_problem(),
        "{} / {}",
        zh.body,
        en.body
    );
    assert_eq!(zh.status, en.status);
    assert_eq!(zh.body["type"], en.body["type"], "the type is a code");
    assert_eq!(zh.error_fields(), en.error_fields(), "fields are codes");
    (zh, en)
}

/// The message of the problem's field `field`.
fn message<'a>(r: &'a Reply, field: &str) -> &'a str {
    r.body["errors"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no message for {field}: {}", r.body))
}

/// A call with a notice period the law does not allow, and a rubric whose weights do not sum to
/// 100: each field in Chinese when asked, in English otherwise.
#[tokio::test]
async fn a_call_with_bad_fields_is_refused_in_chinese_when_asked() {
    let (app, _) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let list: PublishedList = app
        .get("/api/v1/rounds/2024/list", None)
        .await
        .expect(StatusCode::OK);
    let item = list.items[1].id;
    let call = |notice_days: u32, second_weight: f64| {
        json!({
            "requirements": "建成行业大脑平台",
            "eligibility": {},
            "opens_at": "2024-03-01T09:00:00+08:00",
            "closes_at": "2024-03-10T17:00:00+08:00",
            "winners": 1,
            "notice_days": notice_days,
            "rubric": [
                {"criterion": "技术方案", "weight": 0.5, "max_points": 60},
                {"criterion": "团队与运营", "weight": second_weight, "max_points": 40}
            ]
        })
    };
    let path = format!("/list-items/{item}/calls");
    let (zh, en) = both(&app, Method::POST, &path, &commission, call(1, 0.5)).await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zh.body);
    assert_eq!(zh.error_fields(), ["notice_days"]);
    assert_eq!(zh.body["title"], "输入无效");
    assert_eq!(zh.body["detail"], "共 1 个字段无效：notice_days");
    assert_eq!(
        message(&zh, "notice_days"),
        "公示期须为 3（《招标投标法实施条例》第五十四条）至 60 个自然日"
    );
    assert_eq!(
        message(&en, "notice_days"),
        "must be from 3 (招标投标法实施条例 Art. 54) to 60 natural days"
    );
    assert_eq!(en.body["title"], "Invalid input");
    assert_eq!(en.body["detail"], "1 invalid field(s): notice_days");

    let (zh, en) = both(&app, Method::POST, &path, &commission, call(7, 0.4)).await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zh.body);
    assert_eq!(zh.error_fields(), ["rubric"]);
    assert_eq!(message(&zh, "rubric"), "各评分项权重合计须为 100，现为 90");
    assert_eq!(
        message(&en, "rubric"),
        "the weights must sum to 100; they sum to 90"
    );
}

/// Selection weights that do not sum to 100, in both languages.
#[tokio::test]
async fn selection_weights_not_summing_to_100_in_chinese() {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024)
        .await
        .expect("demo data");
    let commission = app.token(Role::Commission).to_owned();
    let (zh, en) = both(
        &app,
        Method::POST,
        "/rounds/2024/selections",
        &commission,
        json!({"weights": {"completeness": 50, "representativeness": 30, "layout": 30}}),
    )
    .await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zh.body);
    assert_eq!(zh.error_fields(), ["weights"]);
    assert_eq!(
        message(&zh, "weights"),
        "各项权重须在 0 至 100 之间且合计为 100（现为：方案完整性 50 + 行业代表性 30 + 区县产业布局 30 = 110）"
    );
    assert_eq!(
        message(&en, "weights"),
        "weights must each be between 0 and 100 and sum to 100 (got completeness 50 + representativeness 30 + layout 30 = 110)"
    );
}

/// A move the call's state does not allow: the 409 names the state and the action by their
/// Chinese labels; `current_state` keeps the code.
#[tokio::test]
async fn an_illegal_move_names_state_and_action_in_chinese() {
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let path = format!("/calls/{call}/cancel");
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1{path}"),
            Some(&commission),
            Some(json!({"reasons": "榜单项调整，本次揭榜终止"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (zh, en) = both(
        &app,
        Method::POST,
        &path,
        &commission,
        json!({"reasons": "再次取消"}),
    )
    .await;
    assert_eq!(zh.status, StatusCode::CONFLICT, "{}", zh.body);
    assert_eq!(zh.body["title"], "状态冲突");
    assert_eq!(
        zh.body["detail"],
        "榜单任务当前状态为“已取消”，不能取消榜单任务"
    );
    assert_eq!(zh.body["current_state"], "cancelled", "the code stays");
    assert_eq!(en.body["title"], "Conflict");
    assert_eq!(en.body["detail"], "cannot cancel a call that is cancelled");
    assert_eq!(en.body["current_state"], "cancelled");
}

/// A bid that fails a call's eligibility rule (揭榜条件): the rule names its field and says why,
/// in Chinese when asked.
#[tokio::test]
async fn an_eligibility_rule_is_explained_in_chinese() {
    let (app, call) = with_call().await;
    let (_, poor) = bidder(&app, "示例丁小微有限公司", 4, 100.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let (zh, en) = both(
        &app,
        Method::POST,
        &format!("/calls/{call}/bids"),
        &poor,
        content("丁方案", 100.0),
    )
    .await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zh.body);
    assert_eq!(zh.error_fields(), ["eligibility.min_registered_capital"]);
    assert_eq!(
        message(&zh, "eligibility.min_registered_capital"),
        "注册资本 100.00 万元，低于要求的 500.00 万元"
    );
    assert_eq!(
        message(&en, "eligibility.min_registered_capital"),
        "registered capital 100.00 万元 is below the required 500.00 万元"
    );
    assert_eq!(
        zh.body["detail"],
        "共 1 个字段无效：eligibility.min_registered_capital"
    );
}
