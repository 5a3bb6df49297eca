//! Documents (issue 16 item 1): uploads as raw bodies, the media type sniffed from the bytes,
//! size limits, versions, the owner's visibility; a bid's attachments sealed with the bid
//! (encrypted at rest, the bidder's alone until the opening, the panel's after).

use chrono::Duration;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use jiebang::routes::views::documents::DocumentDto;
use jiebang::routes::views::proposals::ProposalDto;

use crate::calls::{bid, bid_id, bidder, closes, content, opens, with_call};
use crate::helpers::*;
use crate::proposals::{create_round, file, sample};

/// A small PDF whose text carries a marker to look for in the store.
fn pdf(marker: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj << /Type /Catalog >> endobj\n% {marker}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// PNG magic, an IHDR header, and some padding.
fn png(len: usize) -> Vec<u8> {
    let mut b = vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52,
    ];
    b.resize(len.max(16), 0);
    b
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Sends raw bytes (with a Content-Type the service must ignore).
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    bytes: Vec<u8>,
    if_match: Option<&str>,
) -> Reply {
    let mut req = app
        .client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(bytes);
    if let Some(t) = if_match {
        req = req.header("if-match", t);
    }
    let res = req.send().await.expect("request sent");
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.expect("body read");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        headers,
        body,
    }
}

/// Downloads a document's bytes: the status, the bytes and the content type.
async fn download(app: &TestApp, token: &str, path: &str) -> (StatusCode, Vec<u8>, String) {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent");
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, res.bytes().await.expect("body").to_vec(), ct)
}

/// The document events, in log order: (kind, visibility).
async fn document_events(app: &TestApp, id: i32) -> Vec<(String, String)> {
    entity::event::Entity::find()
        .filter(entity::event::Column::AggregateType.eq("document"))
        .filter(entity::event::Column::AggregateId.eq(id.to_string()))
        .order_by_asc(entity::event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.visibility))
        .collect()
}

#[tokio::test]
async fn a_bid_attachment_is_downloadable_by_the_bidder_alone_until_the_opening_then_by_the_panel()
{
    let (app, call) = with_call().await;
    let commission = app.token(Role::Commission).to_owned();
    let (_, a) = bidder(&app, "示例附件科技有限公司", 51, 2000.0).await;
    let (_, b) = bidder(&app, "示例旁观数据有限公司", 52, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let bid_a = bid_id(&bid(&app, &a, call, content("甲方案", 900.0)).await);
    let bid_b = bid_id(&bid(&app, &b, call, content("乙方案", 950.0)).await);

    // The bidder uploads; the client's Content-Type is ignored, the bytes say PDF.
    let marker = "SEALED-ATTACHMENT-PLAINTEXT-0451";
    let file = pdf(marker);
    let path =
        format!("/api/v1/bids/{bid_a}/attachments?name=%E4%BF%9D%E5%AF%86%E9%99%84%E4%BB%B6.pdf");
    let r = send(&app, Method::POST, &path, &a, file.clone(), None).await;
    let doc: DocumentDto = r.expect(StatusCode::CREATED);
    let v = &doc.versions[0];
    assert_eq!(
        (v.name.as_str(), v.media_type.as_str()),
        ("保密附件.pdf", "application/pdf")
    );
    assert_eq!(v.sha256, sha256_hex(&file));
    assert!(v.sealed_at_rest);
    let doc_id = doc.id;
    // Another organisation cannot upload to the bid, nor learn it exists.
    let r = send(&app, Method::POST, &path, &b, pdf("x"), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{:?}", r.body);

    // The bid names the document by id and hash: a wrong hash or another bid's document is
    // refused naming the field; the receipt then covers the file.
    let mut with = content("甲方案（附技术方案）", 900.0);
    with["attachments"] = json!([{"document_id": doc_id, "sha256": "0".repeat(64)}]);
    let r = bid(&app, &a, call, with.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), ["attachments[0].sha256"]);
    with["attachments"][0]["sha256"] = json!(sha256_hex(&file));
    let r = bid(&app, &b, call, with.clone()).await;
    assert_eq!(r.error_fields(), ["attachments[0].document_id"]);
    let mut legacy = content("旧格式", 900.0);
    legacy["attachments"] = json!([{"name": "x.pdf", "sha256": "a".repeat(64)}]);
    let r = bid(&app, &a, call, legacy).await;
    assert_eq!(
        r.error_fields(),
        ["attachments[0].document_id", "attachments[0].name"]
    );
    assert_eq!(bid_id(&bid(&app, &a, call, with).await), bid_a);

    // Before the opening: the bidder downloads its bytes; nobody else learns anything.
    let content_path = format!("/api/v1/documents/{doc_id}/content");
    let (status, bytes, ct) = download(&app, &a, &content_path).await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
    assert_eq!(bytes, file);
    let expert = app.token(Role::Expert).to_owned();
    for token in [&b, &commission, &expert] {
        let (status, bytes, _) = download(&app, token, &content_path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!String::from_utf8_lossy(&bytes).contains(marker));
        for p in [
            format!("/api/v1/documents/{doc_id}"),
            format!("/api/v1/bids/{bid_a}/attachments"),
        ] {
            let r = app.request(Method::GET, &p, Some(token), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}: {:?}", r.body);
            assert!(!r.body.to_string().contains("保密附件"));
        }
    }
    // Nothing in the commission's history of the call or its feed.
    let before = app
        .get(
            &format!("/api/v1/calls/{call}/history"),
            Some(Role::Commission),
        )
        .await;
    assert_eq!(before.status, StatusCode::OK);
    let feed = app
        .get("/api/v1/feed?after=0", Some(Role::Commission))
        .await;
    assert_eq!(feed.status, StatusCode::OK);
    for (what, body) in [("history", &before.body), ("feed", &feed.body)] {
        let text = body.to_string();
        assert!(!text.contains("保密附件"), "{what}: {text}");
        assert!(!text.contains(&v.sha256), "{what}");
        assert!(!text.contains("\"document\""), "{what}: {text}");
    }
    // The bidder sees its own attachment's steps in the call's history.
    let own = app
        .request(
            Method::GET,
            &format!("/api/v1/calls/{call}/history"),
            Some(&a),
            None,
        )
        .await;
    assert!(
        own.body.to_string().contains("保密附件.pdf"),
        "{:?}",
        own.body
    );

    // Encrypted at rest: the stored object is not the file and does not contain it.
    let row = entity::document_version::Entity::find()
        .filter(entity::document_version::Column::DocumentId.eq(doc_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let root = app.state.settings.documents.root.clone().unwrap();
    let stored = std::fs::read(root.join(&row.object_key)).expect("the stored object");
    assert_ne!(stored, file);
    assert!(!stored.windows(marker.len()).any(|w| w == marker.as_bytes()));
    assert_eq!(stored.len(), file.len() + 12 + 16, "nonce and tag");

    // The panel: the default expert, and one recused from the bid by a declared conflict.
    let second = app.add_user("expert-doc-2", Role::Expert, None, None).await;
    let users = app
        .get("/api/v1/users?role=expert", Some(Role::Commission))
        .await;
    let ids: Vec<i64> = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    let r = app
        .post(
            &format!("/api/v1/calls/{call}/panel"),
            Some(Role::Commission),
            json!({"experts": ids}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/conflicts"),
            Some(&second),
            Some(json!({"bid_id": bid_a, "kind": "family", "note": "亲属在甲公司任职"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    // After the close no upload is taken; then the opening.
    app.clock.set(closes() + Duration::seconds(1));
    let r = send(&app, Method::POST, &path, &a, pdf("late"), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/calls/{call}/opening"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    // After: the commission and the panel's expert read the bytes; the recused expert and the
    // other bidder still do not.
    for token in [&commission, &expert] {
        let (status, bytes, _) = download(&app, token, &content_path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(bytes, file);
    }
    for token in [&second, &b] {
        let (status, _, _) = download(&app, token, &content_path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let listed: Vec<DocumentDto> = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid_a}/attachments"),
            Some(&expert),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.len(), 1);
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{bid_b}/attachments"),
            Some(&expert),
            None,
        )
        .await;
    assert_eq!(r.parse::<Vec<DocumentDto>>().len(), 0);

    // Every upload and download is in the log, sealed.
    let events = document_events(&app, doc_id).await;
    let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["uploaded", "downloaded", "downloaded", "downloaded"]
    );
    assert!(events.iter().all(|(_, v)| v == "sealed"));
    // Opened: the commission's history of the call shows them.
    let after = app
        .get(
            &format!("/api/v1/calls/{call}/history"),
            Some(Role::Commission),
        )
        .await;
    assert!(after.body.to_string().contains("保密附件.pdf"));
}

#[tokio::test]
async fn proposal_documents_are_sniffed_limited_versioned_and_the_owners() {
    let app = spawn_app_with(|s| s.documents.max_bytes_proposal = 4096).await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let p = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let id = i64::from(p.parse::<ProposalDto>().id);
    let upload = |kind: &str, name: &str| {
        format!("/api/v1/proposals/{id}/documents?kind={kind}&name={name}")
    };

    // A `.pdf` name with PNG bytes is stored as PNG: the 意向表 admits scans.
    let first = png(300);
    let r = send(
        &app,
        Method::POST,
        &upload("intent_form", "scan.pdf"),
        &applicant,
        first.clone(),
        None,
    )
    .await;
    let doc: DocumentDto = r.expect(StatusCode::CREATED);
    assert_eq!(doc.versions[0].media_type, "image/png");
    assert_eq!(doc.versions[0].size, 300);
    assert!(!doc.versions[0].sealed_at_rest);
    let tag = r
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap()
        .to_owned();
    // Bytes of no admitted type are refused naming the body; a wrong kind names the kind.
    let r = send(
        &app,
        Method::POST,
        &upload("plan", "plan.pdf"),
        &applicant,
        b"plain text pretending to be a PDF".to_vec(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert!(r.is_problem());
    assert_eq!(r.error_fields(), ["body"]);
    let r = send(
        &app,
        Method::POST,
        &upload("bid_attachment", "x.pdf"),
        &applicant,
        pdf("x"),
        None,
    )
    .await;
    assert_eq!(r.error_fields(), ["kind"]);
    // Over the limit: 413 naming it.
    let r = send(
        &app,
        Method::POST,
        &upload("plan", "big.png"),
        &applicant,
        png(5000),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{:?}", r.body);
    assert!(r.is_problem());
    let detail = r.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("4096") && detail.contains("documents.max_bytes_proposal"),
        "{detail}"
    );

    // A new version needs the ETag; both versions stay readable.
    let second = pdf("second version");
    let version_path = format!("/api/v1/documents/{}/content", doc.id);
    let r = send(
        &app,
        Method::PUT,
        &version_path,
        &applicant,
        second.clone(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    let r = send(
        &app,
        Method::PUT,
        &version_path,
        &applicant,
        second.clone(),
        Some(&tag),
    )
    .await;
    let doc2: DocumentDto = r.expect(StatusCode::OK);
    assert_eq!(doc2.version, 2);
    assert_eq!(doc2.versions.len(), 2);
    assert_eq!(doc2.versions[1].name, "scan.pdf", "the name carries over");
    assert_eq!(doc2.versions[1].media_type, "application/pdf");
    let stale = send(
        &app,
        Method::PUT,
        &version_path,
        &applicant,
        pdf("x"),
        Some(&tag),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let (s1, b1, c1) = download(&app, &applicant, &format!("{version_path}?version=1")).await;
    assert_eq!((s1, b1, c1.as_str()), (StatusCode::OK, first, "image/png"));
    let (s2, b2, _) = download(&app, &applicant, &version_path).await;
    assert_eq!((s2, b2), (StatusCode::OK, second));
    let (s3, _, _) = download(&app, &applicant, &format!("{version_path}?version=3")).await;
    assert_eq!(s3, StatusCode::NOT_FOUND);

    // Another organisation's applicant: 404 everywhere, nothing learnt.
    let other_org = app
        .add_organisation("示例别家有限公司", HOME_DISTRICT, 61)
        .await;
    let other = app
        .add_user("other-applicant", Role::Applicant, None, Some(other_org))
        .await;
    for p in [
        format!("/api/v1/documents/{}", doc.id),
        format!("/api/v1/proposals/{id}/documents"),
        version_path.clone(),
    ] {
        let r = app.request(Method::GET, &p, Some(&other), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
    let r = send(
        &app,
        Method::POST,
        &upload("plan", "p.pdf"),
        &other,
        pdf("x"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The owner lists its documents.
    let listed: Vec<DocumentDto> = app
        .request(
            Method::GET,
            &format!("/api/v1/proposals/{id}/documents"),
            Some(&applicant),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.len(), 1);

    // Each upload is one event of the document (the proposal's parties'); reads of a party
    // document are not logged.
    let events = document_events(&app, doc.id).await;
    assert_eq!(
        events,
        [
            ("uploaded".to_owned(), "party".to_owned()),
            ("version_uploaded".to_owned(), "party".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_draft_findings_evidence_is_the_commissions_and_each_download_is_logged() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let commission = app.token(Role::Commission).to_owned();
    let p = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let proposal = i64::from(p.parse::<ProposalDto>().id);
    let r = app
        .post(
            "/api/v1/findings",
            Some(Role::Commission),
            json!({"subject_type": "proposal", "subject_id": proposal, "reason": "虚报链主企业产值", "evidence": "纳税证明"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let finding = r.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/findings/{finding}/evidence?name=proof.pdf");
    let r = send(&app, Method::POST, &path, &applicant, pdf("x"), None).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a draft is the commission's"
    );
    let evidence = pdf("纳税证明扫描件");
    let doc: DocumentDto = send(
        &app,
        Method::POST,
        &path,
        &commission,
        evidence.clone(),
        None,
    )
    .await
    .expect(StatusCode::CREATED);
    let content_path = format!("/api/v1/documents/{}/content", doc.id);
    let (status, bytes, _) = download(&app, &commission, &content_path).await;
    assert_eq!((status, bytes), (StatusCode::OK, evidence));
    let (status, _, _) = download(&app, &applicant, &content_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        document_events(&app, doc.id).await,
        [
            ("uploaded".to_owned(), "commission".to_owned()),
            ("downloaded".to_owned(), "commission".to_owned())
        ]
    );
}

/// A project's documents (the 任务书 as signed, acceptance evidence, evaluation reports): its
/// parties add and read them, anyone else is refused; a proposal's kind is not a project's.
#[tokio::test]
async fn a_projects_parties_keep_its_documents() {
    let a = crate::projects::awarded().await;
    let app = &a.app;
    let project = a.project;
    let path = format!("/api/v1/projects/{project}/documents?kind=task_agreement&name=任务书.pdf");
    let r = send(
        app,
        Method::POST,
        &path,
        &a.builder,
        pdf("task-agreement"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["kind"], "task_agreement");
    assert_eq!(r.body["versions"][0]["media_type"], "application/pdf");
    // The district's officer adds evidence; the commission reads both and downloads the bytes.
    let path =
        format!("/api/v1/projects/{project}/documents?kind=acceptance_evidence&name=验收材料.pdf");
    let r = send(app, Method::POST, &path, &a.officer, pdf("evidence"), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let commission = app.token(Role::Commission).to_owned();
    let list = app
        .request(
            Method::GET,
            &format!("/api/v1/projects/{project}/documents"),
            Some(&commission),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let kinds: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["task_agreement", "acceptance_evidence"]);
    let (status, bytes, ct) =
        download(app, &commission, &format!("/api/v1/documents/{id}/content")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, pdf("task-agreement"));
    assert_eq!(ct, "application/pdf");
    // Another applicant and an expert: refused, for the list, the document and its bytes.
    let (_, stranger) = crate::calls::bidder(app, "示例无关科技有限公司", 61, 1000.0).await;
    for token in [stranger.as_str(), app.token(Role::Expert)] {
        for path in [
            format!("/api/v1/projects/{project}/documents"),
            format!("/api/v1/documents/{id}"),
            format!("/api/v1/documents/{id}/content"),
        ] {
            let r = app.request(Method::GET, &path, Some(token), None).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {:?}", r.body);
        }
        let path =
            format!("/api/v1/projects/{project}/documents?kind=evaluation_report&name=x.pdf");
        let r = send(app, Method::POST, &path, token, pdf("x"), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    }
    // A proposal's kind is refused, naming the field; nothing is added.
    let path = format!("/api/v1/projects/{project}/documents?kind=plan&name=方案.pdf");
    let r = send(app, Method::POST, &path, &a.builder, pdf("plan"), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "kind");
    let list = app
        .request(
            Method::GET,
            &format!("/api/v1/projects/{project}/documents"),
            Some(&a.builder),
            None,
        )
        .await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(2));
}
