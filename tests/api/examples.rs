//! Every request-body example in the served OpenAPI document is accepted by a fresh server: the
//! examples are posted as they stand, in the programme's order, each to the object the one
//! before it made (a client copying them from Swagger UI meets the same answers).

use std::collections::BTreeMap;

use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::*;

/// Each operation's method, path template, request content type and example body.
fn examples(doc: &Value) -> BTreeMap<String, (Method, String, String, Option<Value>)> {
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(content) = op["requestBody"]["content"].as_object() else {
                continue;
            };
            let id = op["operationId"].as_str().unwrap().to_owned();
            let (content_type, media) = content.iter().next().unwrap();
            let example = media.get("example").cloned().or_else(|| {
                let name = media["schema"]["$ref"].as_str()?.rsplit('/').next()?;
                doc["components"]["schemas"][name].get("example").cloned()
            });
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            out.insert(id, (method, path.clone(), content_type.clone(), example));
        }
    }
    out
}

struct Walk<'a> {
    app: &'a TestApp,
    examples: BTreeMap<String, (Method, String, String, Option<Value>)>,
    posted: Vec<String>,
}

impl Walk<'_> {
    /// Sends the operation's example with the path parameters given, as `token`, and expects a
    /// 2xx answer.
    async fn post(
        &mut self,
        operation: &str,
        params: &[(&str, &str)],
        token: &str,
        if_match: Option<&str>,
    ) -> Reply {
        let (method, template, content_type, body) = self
            .examples
            .get(operation)
            .unwrap_or_else(|| panic!("{operation} has no request body"))
            .clone();
        let body = body.unwrap_or_else(|| panic!("{operation} has no request-body example"));
        let mut path = template.clone();
        for (name, value) in params {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        let mut req = self
            .app
            .client
            .request(method, format!("{}{path}", self.app.base))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(serde_json::to_vec(&body).unwrap());
        if let Some(etag) = if_match {
            req = req.header("if-match", etag);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let reply = Reply {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        };
        assert!(
            reply.status.is_success(),
            "the example of {operation} ({template}) was refused with {}: {}\nexample: {body}",
            reply.status,
            reply.body
        );
        self.posted.push(operation.to_owned());
        reply
    }
}

fn etag(r: &Reply) -> String {
    r.headers["etag"].to_str().unwrap().to_owned()
}

fn id(r: &Reply, member: &str) -> String {
    r.body[member].to_string().trim_matches('"').to_owned()
}

#[tokio::test]
async fn every_request_body_example_is_accepted_by_a_fresh_server() {
    let app = spawn_app().await;
    let doc = app.get("/api-docs/openapi.json", None).await.body;
    let mut walk = Walk {
        app: &app,
        examples: examples(&doc),
        posted: Vec::new(),
    };
    let commission = app.token(Role::Commission).to_owned();
    let applicant = app.token(Role::Applicant).to_owned();
    let district = app.token(Role::District).to_owned();
    let platform = app.token(Role::Platform).to_owned();

    // Reference data and accounts.
    walk.post("import_industry_classes", &[], &commission, None)
        .await;
    walk.post("put_industry_map", &[("code", "500105")], &commission, None)
        .await;
    let cluster = walk.post("create_cluster", &[], &commission, None).await;
    walk.post(
        "update_cluster",
        &[("code", &id(&cluster, "code"))],
        &commission,
        None,
    )
    .await;
    walk.post("create_organisation", &[], &commission, None)
        .await;
    let officer = walk.post("create_user", &[], &commission, None).await;
    let expert = app
        .get("/api/v1/users?role=expert", Some(Role::Commission))
        .await;
    let expert_id = expert.body[0]["id"].to_string();
    walk.post(
        "put_expert_profile",
        &[("id", &expert_id)],
        &commission,
        None,
    )
    .await;
    // The new officer signs in with the example's password and changes it; the commission
    // then sets the admin's password to the one the token example uses.
    let officer_token = app.login_token("jb-officer", "a-long-password-here").await;
    walk.post("change_own_password", &[], &officer_token, None)
        .await;
    assert!(officer.status == StatusCode::CREATED);
    walk.post("reset_password", &[("id", "1")], &commission, None)
        .await;
    let token = walk.post("create_token", &[], "", None).await;
    let commission = token.body["access_token"].as_str().unwrap().to_owned();
    walk.post("create_webhook", &[], &platform, None).await;
    walk.post("set_my_email", &[], &applicant, None).await;

    // A round, a proposal through review, the selection and the published list.
    walk.post("create_round", &[], &commission, None).await;
    let p = walk
        .post("create_proposal", &[("year", "2024")], &applicant, None)
        .await;
    let pid = id(&p, "id");
    let p = walk
        .post(
            "update_proposal",
            &[("id", &pid)],
            &applicant,
            Some(&etag(&p)),
        )
        .await;
    let submitted = walk
        .post(
            "submit_proposal",
            &[("id", &pid)],
            &applicant,
            Some(&etag(&p)),
        )
        .await;
    let p = walk
        .post(
            "return_proposal",
            &[("id", &pid)],
            &district,
            Some(&etag(&submitted)),
        )
        .await;
    let submitted = app
        .request_with(
            Method::POST,
            &format!("/api/v1/proposals/{pid}/submit"),
            Some(&applicant),
            Some(crate::proposals::attestation()),
            &[("if-match", &etag(&p))],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let p = walk
        .post(
            "seal_proposal",
            &[("id", &pid)],
            &district,
            Some(&etag(&submitted)),
        )
        .await;
    walk.post(
        "decide_eligibility",
        &[("id", &pid)],
        &commission,
        Some(&etag(&p)),
    )
    .await;
    assert_eq!(pid, "1", "the finding example names proposal 1");
    walk.post("create_finding", &[], &commission, None).await;
    let round = app.get("/api/v1/rounds/2024", None).await;
    walk.post(
        "update_round",
        &[("year", "2024")],
        &commission,
        Some(&etag(&round)),
    )
    .await;
    let run = walk
        .post("create_selection", &[("year", "2024")], &commission, None)
        .await;
    assert_eq!(id(&run, "id"), "1", "the publish example names selection 1");
    walk.post("publish_list", &[("year", "2024")], &commission, None)
        .await;

    // Every example in the document was posted, and none twice.
    let mut posted = walk.posted.clone();
    posted.sort();
    posted.dedup();
    assert_eq!(
        posted.len(),
        walk.posted.len(),
        "an example was posted twice"
    );
    let exampled: Vec<String> = walk
        .examples
        .iter()
        .filter(|(_, e)| e.3.is_some())
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(
        posted, exampled,
        "the request-body examples in the document and the ones this walk posts differ"
    );
    // Every body has an example, save those listed here (not written yet: they need the walk to
    // go on through calls, bids, projects and acceptance). A new body without one fails; one
    // that gains an example must leave the list and join the walk.
    let missing: Vec<&str> = walk
        .examples
        .iter()
        .filter(|(_, e)| e.3.is_none())
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        missing, NOT_YET_EXAMPLED,
        "request bodies without an example"
    );
}

/// Request bodies still without an example (issue 12: to be emptied).
const NOT_YET_EXAMPLED: &[&str] = &[
    "answer_enquiry",
    "answer_objection",
    "appoint_panel",
    "award_call",
    "cancel_call",
    "close_follow_up",
    "create_acceptance",
    "create_acceptance_conclusion",
    "create_acceptance_conflict",
    "create_acceptance_exception",
    "create_acceptance_report",
    "create_amendment",
    "create_call",
    "create_enquiry",
    "create_evaluation",
    "create_evaluation_plan",
    "create_objection",
    "create_report",
    "create_revocation",
    "create_supervision",
    "declare_completion",
    "declare_conflict",
    "declare_unsuccessful",
    "import_proposals",
    "put_scores",
    "request_acceptance",
    "submit_bid",
    "update_acceptance_scores",
    "update_agreement",
    "update_brain_evaluator",
    // Raw file bodies (application/octet-stream): bytes, not JSON; tests/api/documents.rs
    // uploads real files through them.
    "upload_bid_attachment",
    "upload_document_version",
    "upload_finding_evidence",
    "upload_proposal_document",
];
