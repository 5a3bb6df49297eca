//! `jiebang demo` end to end: from an empty round to the public register, through the years
//! after the list, on the demo's own clock.

use jiebang::domain::project::{Grade, PlaqueStatus, ProjectStatus};
use jiebang::domain::role::Role;
use jiebang::routes::views::brains::BrainPage;
use jiebang::routes::views::projects::ProjectPage;
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_demo_follows_the_list_to_plaques_and_a_rectification() {
    let app = spawn_app().await;
    let mut lines = Vec::new();
    jiebang::demo_run::play(&app.state, 2024, &mut |l| lines.push(l))
        .await
        .expect("the demo runs");

    // The register as anyone reads it: a plaque per list item, numbered in the year of issue,
    // one brain under rectification after its 不合格 evaluation.
    let reg: BrainPage = app
        .get("/api/v1/brains?limit=100", None)
        .await
        .expect(StatusCode::OK);
    let numbers: Vec<&str> = reg.items.iter().map(|b| b.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "CQ-HYDN-2025-001",
            "CQ-HYDN-2025-002",
            "CQ-HYDN-2025-003",
            "CQ-HYDN-2025-004",
            "CQ-HYDN-2025-005"
        ]
    );
    let rectifying: Vec<&str> = reg
        .items
        .iter()
        .filter(|b| b.status == PlaqueStatus::Rectifying)
        .map(|b| b.number.as_str())
        .collect();
    assert_eq!(rectifying, ["CQ-HYDN-2025-005"]);
    assert_eq!(
        reg.items
            .iter()
            .filter(|b| b.status == PlaqueStatus::Active)
            .count(),
        4
    );
    for b in &reg.items {
        assert!(b.builder_name.starts_with("示例"), "{}", b.builder_name);
        assert_eq!(
            b.evaluations.len(),
            1,
            "{}: one confirmed evaluation",
            b.number
        );
        let e = &b.evaluations[0];
        assert_eq!(e.year, 2026);
        assert!(e.confirmed_at.is_some());
        assert_eq!(
            e.grade == Grade::Fail,
            b.status == PlaqueStatus::Rectifying,
            "{}: only the 不合格 brain rectifies",
            b.number
        );
    }
    let failing = &reg.items[4];
    assert_eq!(
        failing.rectify_until.map(|d| d.to_string()).as_deref(),
        Some("2026-05-16"),
        "90 days after the confirmation on 2026-02-15"
    );
    assert!(
        failing.evaluations[0].rectification_plan.is_some(),
        "the builder's rectification plan is filed"
    );

    // Each plaque is its own accepted project's.
    let projects: ProjectPage = app
        .get(
            "/api/v1/projects?year=2024&limit=100",
            Some(Role::Commission),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(projects.items.len(), 5);
    assert!(projects
        .items
        .iter()
        .all(|p| p.status == ProjectStatus::Accepted));
    let mut plaqued: Vec<i32> = reg.items.iter().map(|b| b.project_id).collect();
    let mut accepted: Vec<i32> = projects.items.iter().map(|p| p.id).collect();
    plaqued.sort_unstable();
    accepted.sort_unstable();
    assert_eq!(plaqued, accepted);

    // One project's history holds every stage, each with its actor and time, in time order.
    let h = app
        .get(
            &format!("/api/v1/projects/{}/history", failing.project_id),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(h.status, StatusCode::OK, "{:?}", h.body);
    let entries = h.body.as_array().unwrap();
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for step in [
        "create",
        "draft",
        "edit",
        "sign_agreement",
        "file",
        "warn",
        "close_follow_up",
        "declare_completion",
        "request_acceptance",
        "start_acceptance",
        "scored",
        "report",
        "accept",
        "issue",
        "engage_evaluator",
        "rectify",
        "plan",
    ] {
        assert!(kinds.contains(&step), "{step} in {kinds:?}");
    }
    assert_eq!(
        kinds.iter().filter(|k| **k == "file").count(),
        3,
        "two quarterly reports and the annual evaluation"
    );
    let times: Vec<&str> = entries.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable();
    assert_eq!(times, sorted, "the log's times follow its order");
    assert!(entries.iter().all(|e| e["actor"]["role"].is_string()));

    // The printout ends with the register, and the log verifies.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("CQ-HYDN-2025-005") && l.contains("rectifying until 2026-05-16")),
        "{lines:#?}"
    );
    let report = jiebang::app::audit::verify(&app.state.db).await.unwrap();
    assert!(report.ok(), "{report:?}");
}

/// `jiebang demo --lang zh-CN`: the list part from the Chinese catalogue, district and cluster
/// names beside their codes, the left-out reasons and the weight ranges in Chinese; the English
/// run says the same in English.
#[tokio::test]
async fn the_demo_prints_the_list_in_chinese_when_asked() {
    let app = spawn_app().await;
    let mut lines = Vec::new();
    jiebang::demo_run::play_in(&app.state, 2024, jiebang::i18n::Lang::Zh, &mut |l| {
        lines.push(l)
    })
    .await
    .expect("the demo runs");
    let text = lines.join("\n");
    assert!(text.contains("2024 年行业大脑建设榜单，第 1 版"), "{text}");
    let items: Vec<&String> = lines.iter().filter(|l| l.contains(" — 区县 ")).collect();
    assert_eq!(items.len(), 5, "{text}");
    for l in &items {
        assert!(l.contains("产业集群") && l.contains("方案完整性"), "{l}");
    }
    assert!(text.contains("区县 两江新区（CQLJ）"), "{text}");
    assert!(text.contains("未入选（按得分从高到低）："), "{text}");
    assert!(
        text.contains("各项权重在榜单不变前可调整的范围："),
        "{text}"
    );
    // The years after the list too: calls, awards, construction, acceptance, plaques, the
    // annual evaluation and the register, each line from the Chinese catalogue.
    for expected in [
        "发布 5 项榜单任务（揭榜）",
        "提出异议；2024-03-28 答复，异议不成立",
        "与区县 两江新区（CQLJ）签订任务书",
        "验收通过（专家组评分",
        "年度常态化评价 54.00 分，不合格 → 限期整改至 2026-05-16",
        "行业产业大脑公开名录（GET /api/v1/brains，无需登录）：",
        "限期整改中至 2026-05-16；评价：2026 年第 1 次 54.00 分 不合格",
        "同分规则：榜单加权总分之和最大",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    // No English sentence is left: no line has three English words in a row, but for the
    // solver's own name.
    for l in lines.iter().filter(|l| !l.contains("求解器")) {
        // Words between spaces, commas and semicolons (a code such as `demo-expert-4` or a
        // hash is no English word).
        let words: Vec<&str> = l.split([' ', ',', ';']).collect();
        assert!(
            !words.windows(3).any(|w| w
                .iter()
                .all(|x| x.len() > 1 && x.bytes().all(|b| b.is_ascii_lowercase()))),
            "an English sentence in the Chinese demo: {l}"
        );
    }
    assert_eq!(
        jiebang::demo_run::demo_lang(Some(jiebang::i18n::Lang::En)),
        jiebang::i18n::Lang::En
    );
}
