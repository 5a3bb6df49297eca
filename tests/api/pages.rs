//! The public pages (公示), the SVG charts, the spreadsheet exports and problem+json in zh-CN.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jiebang::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::calls::call_with_one_bid;
use crate::helpers::*;

/// A page as anyone reads it: status, content type, body.
async fn page(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let r = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("request sent");
    let status = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    (status, ct, r.text().await.expect("body"))
}

/// Every `href`/`src` of a page stays on this server (relative paths only).
fn assert_local(path: &str, html: &str) {
    for attr in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            assert!(
                rest.starts_with('/') || rest.starts_with("data:"),
                "{path}: {attr}… points elsewhere: {}",
                &rest[..rest.len().min(60)]
            );
        }
    }
    assert!(!html.contains("<script"), "{path}: no script");
}

async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    jiebang::demo_run::play(&app.state, 2024, &mut |_| {})
        .await
        .expect("the demo runs");
    app
}

#[tokio::test]
async fn public_pages_on_the_demo_in_chinese_and_english() {
    let app = demo_app().await;

    // The list: names beside codes, score parts, the chart, the left-out reasons, the weights.
    let (status, ct, html) = page(&app, "/public/2024/list").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(ct.starts_with("text/html"), "{ct}");
    for want in [
        "<html lang=\"zh-CN\"",
        "2024 年行业产业大脑建设榜单（第 1 版）",
        "两江新区 <span class=\"code\">CQLJ</span>",
        "智能网联新能源汽车 <span class=\"code\">icv_nev</span>",
        "方案完整性",
        "<svg",
        "class=\"bar chosen\"",
        "class=\"bar left-out\"",
        "未入选的高分申报",
        "同一区县已有 P-40 入选",
        "权重在",
        "/api/v1/rounds/2024/list?version=1",
        "/public/2024/list?version=1&amp;lang=en",
    ] {
        assert!(html.contains(want), "the list page lacks {want:?}");
    }
    assert_local("/public/2024/list", &html);

    let (_, _, en) = page(&app, "/public/2024/list?lang=en").await;
    assert!(en.contains("<html lang=\"en\""));
    assert!(en.contains("The 2024 industry brain list (version 1)"));
    assert!(en.contains("its district already has P-40"));

    // A call's notice: winners with the amount, the ranking with anonymised experts, the
    // objection and its answer, and no objector.
    let (status, _, call) = page(&app, "/public/calls/1").await;
    assert_eq!(status, StatusCode::OK, "{call}");
    for want in [
        "已挂帅",
        "已收到揭榜 2 份",
        "示例渝智工业互联网有限公司",
        "800.00",
        "评审排名（专家匿名）",
        "E1 ",
        "class=\"chart ranking-chart\"",
        "共收到异议 1 件，未答复 0 件",
        "请复核评分",
        "异议不成立",
    ] {
        assert!(call.contains(want), "the call page lacks {want:?}");
    }
    assert!(
        !call.contains("023-6000"),
        "the objector's contact stays private"
    );
    assert_local("/public/calls/1", &call);

    // The register and the home page.
    let (status, _, brains) = page(&app, "/public/brains").await;
    assert_eq!(status, StatusCode::OK);
    for want in ["CQ-HYDN-2025-001", "限期整改中", "不合格", "两江新区"] {
        assert!(brains.contains(want), "the register lacks {want:?}");
    }
    let (status, _, home) = page(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("/public/2024/list?lang=zh"));
    assert!(home.contains("/public/calls/1?lang=zh"));
    assert_local("/", &home);

    // The stylesheet is served from here; the pages' policy allows nothing else.
    let (status, ct, css) = page(&app, "/public/style.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/css"));
    assert!(css.contains("@page { size: A4"));
    let r = app
        .client
        .get(format!("{}/public/2024/list", app.base))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.starts_with("default-src 'none'; style-src 'self'"),
        "{csp}"
    );

    // Unknown things answer 404.
    assert_eq!(
        page(&app, "/public/2031/list").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&app, "/public/calls/999").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn charts_are_svg_and_only_published_runs_are_public() {
    let app = demo_app().await;
    let list = app.get("/api/v1/rounds/2024/list", None).await;
    let selection = list.body["selection_id"].as_i64().unwrap();

    let r = app
        .client
        .get(format!(
            "{}/api/v1/selections/{selection}/chart.svg",
            app.base
        ))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("image/svg+xml"));
    let svg = r.text().await.unwrap();
    assert!(svg.starts_with("<?xml"));
    assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(
        svg.matches("class=\"bar chosen\"").count(),
        5,
        "five chosen"
    );
    assert_eq!(svg.matches("class=\"weight-range\"").count(), 3);
    assert!(svg.contains("行业代表性"));

    // A run no list was drawn from is the commission's.
    let draft = app
        .post(
            "/api/v1/rounds/2024/selections",
            Some(Role::Commission),
            json!({}),
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{:?}", draft.body);
    let draft = draft.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/selections/{draft}/chart.svg");
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&path, Some(Role::Applicant)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&path, Some(Role::Commission)).await.status,
        StatusCode::OK
    );

    // The ranking chart marks the experts' points; public after the notice.
    let r = app.get("/api/v1/calls/1/ranking.svg", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let svg = r.body.as_str().unwrap();
    assert_eq!(svg.matches("<g class=\"bid\"").count(), 2);
    assert!(svg.matches("class=\"kept\"").count() >= 4);
}

#[tokio::test]
async fn sealed_calls_show_the_number_of_bids_only() {
    let app = spawn_app().await;
    let (call, _) = call_with_one_bid(&app).await;

    let (status, _, html) = page(&app, &format!("/public/calls/{call}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("已收到揭榜 1 份"), "{html}");
    assert!(html.contains("开标前不公开揭榜方"));
    assert!(
        !html.contains("示例升级科技有限公司"),
        "no bidder before opening"
    );
    assert!(!html.contains("评审排名"), "no ranking before the notice");
    assert_eq!(
        app.get(&format!("/api/v1/calls/{call}/ranking.svg"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&format!("/api/v1/calls/{call}/ranking.xlsx"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn scores_xlsx_reads_back_with_chinese_headers_and_exact_numbers() {
    let app = demo_app().await;
    let json = app
        .get("/api/v1/rounds/2024/scores", Some(Role::Commission))
        .await;
    assert_eq!(json.status, StatusCode::OK);

    let r = app
        .client
        .get(format!("{}/api/v1/rounds/2024/scores.xlsx", app.base))
        .bearer_auth(app.token(Role::Commission))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an XLSX workbook");
    assert_eq!(
        wb.sheet_names(),
        ["评分", "评分构成", "入选", "未入选", "权重区间"]
    );
    let sheet = wb.worksheet_range("评分").expect("the scores sheet");
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(cell_text).collect();
    assert_eq!(
        header,
        [
            "申报编号",
            "大脑名称",
            "区县代码",
            "区县",
            "区域",
            "产业集群代码",
            "产业集群",
            "状态",
            "方案完整性",
            "行业代表性",
            "区县产业布局",
            "加权总分"
        ]
    );
    let proposals = json.body["proposals"].as_array().unwrap();
    assert_eq!(sheet.height(), proposals.len() + 1, "a row per proposal");
    let rows: Vec<&[Data]> = sheet.rows().skip(1).collect();
    let mut checked = 0;
    for p in proposals {
        let id = p["proposal_id"].as_i64().unwrap() as f64;
        let row = rows
            .iter()
            .find(|r| r[0] == Data::Float(id))
            .unwrap_or_else(|| panic!("P-{id} in the sheet"));
        // Numbers are numbers, exact: hundredths / 100 and ten-thousandths / 10 000 are the
        // doubles nearest their decimals.
        let card = &p["card"];
        let completeness = card["completeness"]["total"].as_i64().unwrap();
        let total = card["weighted_total"].as_i64().unwrap();
        assert_eq!(row[8], Data::Float(completeness as f64 / 100.0), "P-{id}");
        assert_eq!(row[11], Data::Float(total as f64 / 10_000.0), "P-{id}");
        checked += 1;
    }
    assert_eq!(checked, proposals.len());
    let first = rows
        .iter()
        .find(|r| r[2] == Data::String("CQLJ".into()))
        .unwrap();
    assert_eq!(first[3], Data::String("两江新区".into()));

    let chosen = wb.worksheet_range("入选").unwrap();
    assert_eq!(chosen.height(), 6, "header and five chosen");
    let left = wb.worksheet_range("未入选").unwrap();
    assert!(cell_text(&left.rows().nth(1).unwrap()[2]).contains("入选"));

    // CSV: the first sheet, the same header, UTF-8 with a BOM; ?format= on the plain path.
    let csv = app
        .get("/api/v1/rounds/2024/scores.csv", Some(Role::Commission))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    assert!(
        text.starts_with("\u{feff}申报编号,大脑名称,区县代码"),
        "{text}"
    );
    assert_eq!(text.lines().count(), proposals.len() + 1);
    let via_param = app
        .get(
            "/api/v1/rounds/2024/scores/export?format=csv",
            Some(Role::Commission),
        )
        .await;
    assert_eq!(via_param.body, csv.body);
    let en = app
        .get(
            "/api/v1/rounds/2024/scores.csv?lang=en",
            Some(Role::Commission),
        )
        .await;
    assert!(en
        .body
        .as_str()
        .unwrap()
        .contains("Proposal,Brain,District code"));

    // The commission's only; a bad format names the parameter.
    for (role, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(Role::Applicant), StatusCode::FORBIDDEN),
        (Some(Role::Expert), StatusCode::FORBIDDEN),
    ] {
        let r = app.get("/api/v1/rounds/2024/scores.xlsx", role).await;
        assert_eq!(r.status, status, "{role:?}");
    }
    let bad = app
        .get(
            "/api/v1/rounds/2024/scores/export?format=pdf",
            Some(Role::Commission),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_fields(), ["format"]);

    // A call's ranking and score sheets, public after the notice.
    let r = app
        .client
        .get(format!("{}/api/v1/calls/1/ranking.xlsx", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(r.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(wb.sheet_names(), ["排名", "评分表"]);
    let sheets = wb.worksheet_range("评分表").unwrap();
    // 2 bids × 2 criteria × 3 experts.
    assert_eq!(sheets.height(), 1 + 2 * 2 * 3);
}

#[tokio::test]
async fn problems_speak_chinese_when_asked() {
    let app = spawn_app().await;
    let send = |lang: Option<&'static str>| {
        let mut req = app
            .client
            .post(format!("{}/api/v1/rounds", app.base))
            .bearer_auth(app.token(Role::Commission))
            .json(&json!({"year": "二〇二五", "title": "x"}));
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        async move {
            let r = req.send().await.unwrap();
            let status = r.status();
            let lang = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned());
            let body: Value = r.json().await.unwrap();
            (status, lang, body)
        }
    };
    let (status, ct, zh) = send(Some("zh-CN,zh;q=0.9,en;q=0.5")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{zh}");
    assert_eq!(ct.as_deref(), Some("application/problem+json"));
    assert_eq!(zh["title"], "输入无效");
    assert_eq!(zh["detail"], "共 1 个字段无效：year");
    assert_eq!(zh["errors"][0]["field"], "year", "codes stay stable");
    let message = zh["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("类型无效"), "{message}");

    let (_, _, en) = send(None).await;
    assert_eq!(en["title"], "Invalid input");
    assert!(en["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("invalid type"));
    let (_, _, en) = send(Some("en-GB, zh;q=0.3")).await;
    assert_eq!(en["title"], "Invalid input");

    // Other problems take their title from the catalogue too.
    let r = app
        .client
        .get(format!("{}/api/v1/calls/999", app.base))
        .header("accept-language", "zh")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["title"], "未找到");
    assert_eq!(body["type"], "https://jiebang.example/problems/not-found");
    // The detail too, from the catalogue with its argument; English unless asked.
    assert_eq!(body["detail"], "榜单任务 999");
    let en = app.get("/api/v1/calls/999", None).await;
    assert_eq!(en.body["detail"], "call 999");
    // A 405's detail and a 401's.
    let r = app
        .client
        .delete(format!("{}/api/v1/notices", app.base))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["title"], "不支持该请求方法", "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("此资源只允许："),
        "{body}"
    );
    let r = app
        .client
        .get(format!("{}/api/v1/rounds/2024/scores", app.base))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["detail"], "未发送 Bearer 令牌", "{body}");
}

/// A workbook read back: each sheet's rows, and whether every sheet freezes its header row.
fn workbook(bytes: &[u8]) -> (Xlsx<Cursor<Vec<u8>>>, bool) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
    let mut frozen = true;
    let mut sheets = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().starts_with("xl/worksheets/sheet") {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut f, &mut xml).unwrap();
            sheets += 1;
            frozen &= xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#);
        }
    }
    assert!(sheets > 0);
    (
        Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook"),
        frozen,
    )
}

fn header_of(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<String> {
    let range = wb.worksheet_range(sheet).expect("the sheet");
    range.rows().next().unwrap().iter().map(cell_text).collect()
}

/// GET with an optional bearer role and `Accept`: status, content type, body bytes.
async fn fetch(
    app: &TestApp,
    path: &str,
    role: Option<Role>,
    accept: Option<&str>,
) -> (StatusCode, String, Vec<u8>) {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(role) = role {
        req = req.bearer_auth(app.token(role));
    }
    if let Some(a) = accept {
        req = req.header("accept", a);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ct, r.bytes().await.unwrap().to_vec())
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[tokio::test]
async fn notices_and_explanation_export_and_negotiate_the_format() {
    let app = demo_app().await;

    // The notice list (公示): anyone; Chinese headers, frozen header rows, numbers as numbers.
    let json = app.get("/api/v1/notices", None).await;
    assert_eq!(json.status, StatusCode::OK);
    let notices = json.body.as_array().unwrap();
    assert!(
        !notices.is_empty(),
        "the demo has a call under notice or awarded"
    );
    let (status, ct, bytes) = fetch(&app, "/api/v1/notices.xlsx", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, XLSX);
    let (mut wb, frozen) = workbook(&bytes);
    assert!(frozen, "every sheet freezes its header row");
    assert_eq!(wb.sheet_names(), ["公示", "揭榜单位", "异议"]);
    assert_eq!(
        header_of(&mut wb, "公示"),
        [
            "榜单任务编号",
            "年度",
            "大脑名称",
            "状态",
            "公示开始",
            "公示截止",
            "揭榜数",
            "揭榜单位",
            "异议数",
            "未答复",
            "逾期答复"
        ]
    );
    let sheet = wb.worksheet_range("公示").unwrap();
    assert_eq!(sheet.height(), notices.len() + 1);
    let rows: Vec<&[Data]> = sheet.rows().skip(1).collect();
    let mut budgets = 0;
    let winners = wb.worksheet_range("揭榜单位").unwrap();
    for n in notices {
        let id = n["call"]["id"].as_i64().unwrap() as f64;
        let row = rows.iter().find(|r| r[0] == Data::Float(id)).unwrap();
        assert_eq!(
            row[8],
            Data::Float(n["objections"].as_u64().unwrap() as f64)
        );
        assert_eq!(
            row[9],
            Data::Float(n["unanswered"].as_u64().unwrap() as f64)
        );
        let status = cell_text(&row[3]);
        assert!(["公示中", "已挂帅"].contains(&status.as_str()), "{status}");
        for w in n["call"]["award"].as_array().unwrap() {
            let bid = w["bid_id"].as_i64().unwrap() as f64;
            let line = winners
                .rows()
                .find(|r| r[1] == Data::Float(bid))
                .expect("the winner's line");
            if let Some(b) = w["budget"].as_f64() {
                assert_eq!(line[3], Data::Float(b), "the budget to the hundredth");
                budgets += 1;
            }
        }
    }
    assert!(budgets > 0, "an awarded budget was compared");
    let objections = wb.worksheet_range("异议").unwrap();
    let answered: usize = notices
        .iter()
        .map(|n| n["answered"].as_array().unwrap().len())
        .sum();
    assert_eq!(objections.height(), answered + 1);

    // CSV by extension, by ?format= and by Accept: the same bytes; ?format= beats Accept.
    let (_, ct, csv) = fetch(&app, "/api/v1/notices.csv", None, None).await;
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(String::from_utf8(csv.clone())
        .unwrap()
        .starts_with("\u{feff}榜单任务编号,年度,大脑名称"));
    for (path, accept) in [
        ("/api/v1/notices/export?format=csv", None),
        ("/api/v1/notices/export", Some("text/csv")),
        (
            "/api/v1/notices/export",
            Some("text/*;q=0.9, application/json"),
        ),
        ("/api/v1/notices/export?format=csv", Some(XLSX)),
        (
            "/api/v1/notices/export",
            Some(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.5, text/csv",
            ),
        ),
    ] {
        let (status, ct, body) = fetch(&app, path, None, accept).await;
        assert_eq!(status, StatusCode::OK, "{path} {accept:?}");
        assert!(ct.starts_with("text/csv"), "{path} {accept:?}: {ct}");
        assert_eq!(body, csv, "{path} {accept:?}");
    }
    for accept in [
        None,
        Some(XLSX),
        Some("*/*"),
        Some("application/*"),
        Some("text/csv;q=0.2, */*"),
        // An empty Accept lists no media ranges: no preference (found by schemathesis).
        Some(""),
        Some("null"),
        Some("v=&Q2="),
    ] {
        let (status, ct, _) = fetch(&app, "/api/v1/notices/export", None, accept).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert_eq!(ct, XLSX, "{accept:?}");
    }
    // An Accept that allows neither is a 406 naming it; a bad format= a 400 naming it.
    for accept in ["application/json", "text/csv;q=0, application/pdf"] {
        let (status, ct, body) = fetch(&app, "/api/v1/notices/export", None, Some(accept)).await;
        assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{accept}");
        assert_eq!(ct, "application/problem+json");
        let p: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(p["type"], "https://jiebang.example/problems/not-acceptable");
        assert!(p["detail"].as_str().unwrap().contains("Accept"), "{p}");
    }
    let bad = app.get("/api/v1/notices/export?format=ods", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_fields(), ["format"]);

    // The selection run's explanation: the run's access (the commission's only).
    let runs = app
        .get("/api/v1/rounds/2024/selections", Some(Role::Commission))
        .await;
    let id = runs.body.as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap();
    let run = app
        .get(&format!("/api/v1/selections/{id}"), Some(Role::Commission))
        .await;
    let path = format!("/api/v1/selections/{id}/explanation.xlsx");
    for (role, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(Role::Applicant), StatusCode::FORBIDDEN),
        (Some(Role::District), StatusCode::FORBIDDEN),
    ] {
        assert_eq!(fetch(&app, &path, role, None).await.0, status, "{role:?}");
    }
    let (status, ct, bytes) = fetch(&app, &path, Some(Role::Commission), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, XLSX);
    let (mut wb, frozen) = workbook(&bytes);
    assert!(frozen);
    assert_eq!(wb.sheet_names(), ["入选", "未入选", "权重区间"]);
    assert_eq!(
        header_of(&mut wb, "入选")[..6],
        [
            "遴选运行",
            "序号",
            "申报编号",
            "大脑名称",
            "区县",
            "产业集群"
        ]
    );
    let chosen = wb.worksheet_range("入选").unwrap();
    let want = run.body["chosen"].as_array().unwrap();
    assert_eq!(chosen.height(), want.len() + 1);
    for (row, c) in chosen.rows().skip(1).zip(want) {
        assert_eq!(
            row[2],
            Data::Float(c["proposal_id"].as_i64().unwrap() as f64)
        );
        let total = c["total"].as_i64().unwrap();
        assert_eq!(row[9], Data::Float(total as f64 / 10_000.0), "exact total");
        let layout = c["card"]["layout"]["total"].as_i64().unwrap();
        assert_eq!(row[8], Data::Float(layout as f64 / 100.0), "exact part");
        assert!(!cell_text(&row[4]).is_empty() && !cell_text(&row[4]).starts_with("CQ"));
    }
    let left = wb.worksheet_range("未入选").unwrap();
    assert_eq!(
        left.height(),
        run.body["explanation"]["left_out"]
            .as_array()
            .unwrap()
            .len()
            + 1
    );
    let (status, ct, csv) = fetch(
        &app,
        &format!("/api/v1/selections/{id}/explanation/export"),
        Some(Role::Commission),
        Some("text/csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    let (_, _, by_ext) = fetch(
        &app,
        &format!("/api/v1/selections/{id}/explanation.csv"),
        Some(Role::Commission),
        None,
    )
    .await;
    assert_eq!(csv, by_ext);
    assert_eq!(
        String::from_utf8(csv).unwrap().lines().count(),
        want.len() + 1
    );

    // A call's ranking and the round's scores negotiate the same way.
    let (_, _, ranking_csv) = fetch(&app, "/api/v1/calls/1/ranking.csv", None, None).await;
    let (status, _, by_accept) = fetch(
        &app,
        "/api/v1/calls/1/ranking/export",
        None,
        Some("text/csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_accept, ranking_csv);
    let (status, ct, _) = fetch(
        &app,
        "/api/v1/rounds/2024/scores/export",
        Some(Role::Commission),
        Some("text/csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    let (status, _, _) = fetch(
        &app,
        "/api/v1/rounds/2024/scores/export",
        Some(Role::Commission),
        Some("image/png"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
}
