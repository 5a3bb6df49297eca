//! The contract's finishing pass: what utoipa's derives cannot say, applied once to the generated
//! document so that client generators (openapi-python-client), linters (Redocly) and stateful
//! fuzzers (schemathesis) read it as the service behaves.
//!
//! - A field with a `#[serde(default)]` struct type comes out of utoipa as a one-member `oneOf`
//!   with the default beside it; generators refuse a default on an object and drop the schema.
//!   The member is inlined (a `$ref` may carry a description in OpenAPI 3.1) and the default goes:
//!   the field is optional, and absent means the type's defaults.
//! - Every response gets a description (utoipa leaves `""` where the annotation names a body only).
//! - Every shared error response carries an example problem document, rendered from the
//!   [`ApiError`] the service itself would answer with.
//! - Create operations get OpenAPI `links` to their follow-ups, so a stateful fuzzer (and a
//!   reader) can walk the programme: round → proposal → submit/seal/eligibility, call → bids →
//!   opening, and so on.

use serde_json::{json, Map, Value};

use crate::domain::FieldError;
use crate::error::ApiError;
use crate::i18n::raw;

/// The document as served: utoipa's, finished. A JSON value rather than utoipa's types, because
/// those cannot hold a link's `operationId` (utoipa 5 spells it `operation_id`).
pub(super) fn finish(doc: &utoipa::openapi::OpenApi) -> Value {
    let mut value = serde_json::to_value(doc).unwrap_or_else(|_| json!({}));
    finish_value(&mut value);
    value
}

fn finish_value(doc: &mut Value) {
    inline_single_member_one_of(doc);
    domain_examples(doc);
    let inputs = input_schemas(doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if inputs.contains(name) {
                clean_text_patterns(schema);
            }
        }
    }
    constrain(doc);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                finish_operation(op);
            }
        }
    }
    if let Some(responses) = doc
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for (name, response) in responses.iter_mut() {
            if let Some(example) = problem_example(name) {
                if let Some(content) = response
                    .pointer_mut("/content/application~1problem+json")
                    .and_then(Value::as_object_mut)
                {
                    content.insert("example".into(), example);
                }
            }
        }
    }
}

/// The examples of request bodies whose types live in the domain crate (which knows no
/// `serde_json` examples): each one the service accepts in the programme's order
/// (`tests/api/examples.rs` posts them).
fn domain_examples(doc: &mut Value) {
    let examples = [
        (
            "AcceptanceReport",
            json!({
                "measurements": [{"key": "K1", "measured": 236}, {"key": "K2", "measured": 6.2}],
                "evidence": [{
                    "name": "智能家居产业大脑第三方检测报告.pdf",
                    "sha256": "bf60f45141f843762fc944b03021185cc3e146ff4219b9fa9c1d8ae3cb0bfbe5"
                }],
                "summary": "逐项核验考核指标：接入规上企业236家，企业综合成本降低6.2%，均达到协议目标。"
            }),
        ),
        (
            "AgreementContent",
            json!({
                "targets": [
                    {"key": "K1", "name": "接入规上企业数", "unit": "家", "baseline": 0, "target": 200, "mandatory": true},
                    {"key": "K2", "name": "企业综合成本降低", "unit": "%", "baseline": 0, "target": 5.5, "mandatory": false}
                ],
                "budget": [{"source": "企业自筹", "amount": 650}, {"source": "市级专项资金", "amount": 300}],
                "milestones": [
                    {"key": "M1", "name": "平台一期上线", "due": "2024-09-30"},
                    {"key": "M2", "name": "全面建成", "due": "2025-03-31"}
                ],
                "completion_date": "2025-03-31"
            }),
        ),
        (
            "BidContent",
            json!({
                "technical_plan": "基于工业互联网标识解析体系建设智能家居产业大脑：设备接入、供应链协同、质量追溯三个中心，首年接入企业220家。",
                "team": [
                    {"name": "王建国", "role": "项目负责人"},
                    {"name": "陈晓燕", "role": "数据平台架构师"}
                ],
                "budget": 950,
                "schedule": [
                    {"name": "平台上线试运行", "due": "2024-09-30"},
                    {"name": "接入企业达到200家", "due": "2024-12-31"}
                ],
                "commitments": ["按期建成并持续运营不少于3年", "数据存储在本市"],
                "attestation": {
                    "statement": crate::domain::attestation::STATEMENT,
                    "name": "王建国",
                    "position": "法定代表人"
                }
            }),
        ),
    ];
    for (name, example) in examples {
        if let Some(schema) = doc
            .pointer_mut(&format!("/components/schemas/{name}"))
            .and_then(Value::as_object_mut)
        {
            schema.insert("example".into(), example);
        }
    }
}

/// What [`crate::extract::text_hygiene`] refuses in any string of a body: C0 and C1 controls
/// (tab and line breaks only in one-line members) and bidirectional overrides and isolates.
const ONE_LINE_TEXT: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$";
const LONG_TEXT: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$";

/// Gives every free-text string member (no format, enum or pattern of its own) the pattern of
/// the text the service accepts, so that a client's (or a fuzzer's) valid text is accepted.
fn clean_text_patterns(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                for (name, property) in properties.iter_mut() {
                    let single = crate::extract::SINGLE_LINE.contains(&name.as_str());
                    add_text_pattern(property, if single { ONE_LINE_TEXT } else { LONG_TEXT });
                }
            }
            for (key, x) in map.iter_mut() {
                if key != "properties" {
                    clean_text_patterns(x);
                }
            }
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                for property in properties.values_mut() {
                    clean_text_patterns(property);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_text_patterns),
        _ => {}
    }
}

fn add_text_pattern(schema: &mut Value, pattern: &str) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    let is_string = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_string {
        if !["format", "enum", "pattern", "const"]
            .iter()
            .any(|k| map.contains_key(*k))
        {
            map.insert("pattern".into(), Value::String(pattern.into()));
        }
    } else if map.get("type").and_then(Value::as_str) == Some("array") {
        if let Some(items) = map.get_mut("items") {
            add_text_pattern(items, pattern);
        }
    }
}

/// What `text_hygiene` refuses in a one-line member, as a character class body.
const ONE_LINE_CONTROLS: &str = "\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069";
/// The same for a long text (tab and line breaks allowed).
const LONG_CONTROLS: &str =
    "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069";

/// An absolute `http`/`https` URL with a host, no credentials and no fragment (a plain subset of
/// what `domain::webhook::parse_url` accepts).
const WEBHOOK_URL: &str = "^https?://[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?(\\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?$";

/// Clean text with at least one character that is not white space: what the service's
/// "must not be blank" (a `trim()` that leaves something) accepts.
fn non_blank(controls: &str) -> String {
    format!("^[^{controls}]*[^\\s{controls}][^{controls}]*$")
}

/// An email address as the service accepts one.
const EMAIL: &str = r"^[!#-+\-/-;=?A-~]([!#-+\-./-;=?A-~]{0,62}[!#-+\-/-;=?A-~])?@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";

/// Constraints the service enforces on body members that the derives do not state: schema,
/// member, and what to add to the member's schema (a `pattern` here replaces the plain
/// clean-text one). Each entry must name an existing member (a unit test checks).
fn member_constraints() -> Vec<(&'static str, &'static str, Value)> {
    let one = non_blank(ONE_LINE_CONTROLS);
    let long = non_blank(LONG_CONTROLS);
    let event_types: Vec<&str> =
        <crate::domain::event::AggregateType as strum::VariantArray>::VARIANTS
            .iter()
            .map(|v| v.as_str())
            .collect();
    let event_type = format!(
        "^(\\*|({})(\\.[a-z][a-z_]{{0,63}})?)$",
        event_types.join("|")
    );
    vec![
        (
            "AttestationInput",
            "statement",
            json!({"const": crate::domain::attestation::STATEMENT}),
        ),
        (
            "AttestationInput",
            "name",
            json!({"maxLength": 100, "pattern": one}),
        ),
        (
            "AttestationInput",
            "position",
            json!({"maxLength": 100, "pattern": one}),
        ),
        (
            "AnswerBody",
            "answer",
            json!({"maxLength": 4000, "pattern": long}),
        ),
        (
            "ObjectionAnswerBody",
            "answer",
            json!({"maxLength": 4000, "pattern": long}),
        ),
        ("ReasonsBody", "reasons", json!({"pattern": long})),
        (
            "AmendmentBody",
            "requirements",
            json!({"maxLength": 20000, "pattern": long}),
        ),
        (
            "CreateWebhook",
            "url",
            json!({"format": "uri", "maxLength": 2048, "pattern": WEBHOOK_URL}),
        ),
        // As `domain::notification::parse_email` reads an address (ASCII; the local part without
        // a leading or trailing dot, the domain of two or more labels).
        ("EmailBody", "email", json!({"pattern": EMAIL})),
        ("NewFinding", "reason", json!({"pattern": long})),
        ("NewFinding", "evidence", json!({"pattern": long})),
        ("DrawBody", "seed", json!({"pattern": "^[0-9]{1,19}$"})),
        (
            "CreateWebhook",
            "event_types",
            json!({"minItems": 1, "maxItems": crate::domain::webhook::MAX_EVENT_TYPES, "uniqueItems": true}),
        ),
        (
            "CreateWebhook",
            "event_types/items",
            json!({"pattern": event_type}),
        ),
    ]
}

fn constrain(doc: &mut Value) {
    // An If-Match that names nothing (empty or blank) is no precondition: 428, as when absent.
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for op in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|i| i.values_mut())
        {
            let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                continue;
            };
            for p in params.iter_mut() {
                if p.get("in").and_then(Value::as_str) == Some("header")
                    && p.get("name").and_then(Value::as_str) == Some("If-Match")
                {
                    if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
                        schema.insert("minLength".into(), json!(1));
                        schema.insert("pattern".into(), json!("\\S"));
                    }
                }
            }
        }
    }
    for (schema, member, extra) in member_constraints() {
        let pointer = format!("/components/schemas/{schema}/properties/{}", member);
        let Some(target) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        if extra.get("const").is_some() {
            target.remove("pattern");
        }
        if let Value::Object(extra) = extra {
            target.extend(extra);
        }
    }
}

/// The component schemas request bodies use, directly or through others (text patterns belong
/// to what clients send, not to what the service says back, such as a problem's `detail`).
fn input_schemas(doc: &Value) -> std::collections::BTreeSet<String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    if let Some(name) = r.strip_prefix("#/components/schemas/") {
                        out.push(name.to_owned());
                    }
                }
                map.values().for_each(|x| refs(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut pending = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values() {
                if let Some(body) = op.get("requestBody") {
                    refs(body, &mut pending);
                }
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            if let Some(schema) = doc.pointer(&format!("/components/schemas/{name}")) {
                refs(schema, &mut pending);
            }
        }
    }
    seen
}

/// `{"oneOf": [X], "default": …}` → X (keeping a description written beside it).
fn inline_single_member_one_of(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let single = map
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|a| a.len() == 1);
            if single {
                if let Some(Value::Array(mut members)) = map.remove("oneOf") {
                    map.remove("default");
                    if let Some(Value::Object(member)) = members.pop() {
                        for (k, x) in member {
                            map.entry(k).or_insert(x);
                        }
                    }
                }
            }
            for x in map.values_mut() {
                inline_single_member_one_of(x);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(inline_single_member_one_of),
        _ => {}
    }
}

fn finish_operation(op: &mut Value) {
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        if response.contains_key("$ref") {
            continue;
        }
        let empty = response
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if empty {
            let body = response
                .get("content")
                .and_then(|c| c.pointer("/application~1json/schema"))
                .map(schema_name);
            response.insert(
                "description".into(),
                Value::String(describe(status, body.as_deref())),
            );
        }
        if status.starts_with('2') {
            let links = links_of(&id);
            if !links.is_empty() {
                response.insert("links".into(), Value::Object(links));
            }
        }
    }
}

/// `RoundDto`, `a list of CallDto`, … for a response description.
fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return format!("`{}`", r.rsplit('/').next().unwrap_or(r));
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        if let Some(items) = schema.get("items") {
            return format!("a list of {}", schema_name(items));
        }
    }
    "the result".into()
}

fn describe(status: &str, body: Option<&str>) -> String {
    let what = body.unwrap_or("the result");
    match status {
        "200" => format!("OK: {what}."),
        "201" => format!("Created: {what}."),
        "202" => format!("Accepted: {what}."),
        "204" => "Done; no content.".into(),
        s => format!("{s}: {what}."),
    }
}

/// An example problem document for each shared error response, as the service renders it.
fn problem_example(response: &str) -> Option<Value> {
    let error = match response {
        "BadRequest" => ApiError::BadRequest {
            detail: raw("the body is not valid JSON: expected `,` or `}` at line 1 column 18"),
            errors: vec![FieldError::new(
                "body",
                raw("expected `,` or `}` at line 1 column 18"),
            )],
        },
        "Unauthorized" => ApiError::Unauthorized(raw("no bearer token")),
        "Forbidden" => ApiError::Forbidden(raw("this needs the commission role")),
        "NotFound" => ApiError::NotFound(raw("no proposal 7")),
        "Conflict" => ApiError::conflict(raw(
            "the proposal is sealed; only draft or returned proposals can be edited",
        ))
        .with("current_state", "sealed"),
        "NotAcceptable" => ApiError::NotAcceptable(crate::msg!(
            "not-acceptable-accept-header-allows-neither-nor",
            XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )),
        "PreconditionFailed" => ApiError::PreconditionFailed(raw(
            "the object changed since you read it: read it again (its ETag is \"3\")",
        )),
        "PreconditionRequired" => {
            ApiError::PreconditionRequired(raw("send If-Match with the ETag you read"))
        }
        "PayloadTooLarge" => {
            ApiError::PayloadTooLarge(raw("the body must be at most 1048576 bytes"))
        }
        "Unprocessable" => ApiError::Validation(vec![FieldError::new(
            "username",
            raw("3 to 64 characters: letters, digits, '.', '_' or '-'"),
        )]),
        "TooManyRequests" => ApiError::TooManyRequests {
            detail: raw("too many failed logins for this account; try again in 4 seconds"),
            retry_after: 4,
        },
        "ServiceUnavailable" => ApiError::Unavailable {
            detail: raw("password checking is busy; try again in 1 second"),
            retry_after: 1,
        },
        _ => return None,
    };
    serde_json::to_value(error.problem()).ok()
}

/// A create operation, its follow-ups (link name, operation id), the follow-ups' path
/// parameter and where its value is in the created object.
type Links = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

/// The follow-ups of each create operation.
const LINKS: &[Links] = &[
    (
        "create_round",
        &[
            ("GetRound", "get_round"),
            ("UpdateRound", "update_round"),
            ("CreateProposal", "create_proposal"),
            ("ListProposals", "list_proposals"),
            ("GetRoundScores", "get_round_scores"),
            ("CreateSelection", "create_selection"),
            ("PublishList", "publish_list"),
            ("GetRoundHistory", "get_round_history"),
        ],
        "year",
        "/year",
    ),
    (
        "create_proposal",
        &[
            ("GetProposal", "get_proposal"),
            ("UpdateProposal", "update_proposal"),
            ("SubmitProposal", "submit_proposal"),
            ("ReturnProposal", "return_proposal"),
            ("SealProposal", "seal_proposal"),
            ("DecideEligibility", "decide_eligibility"),
            ("GetCompleteness", "get_proposal_completeness"),
            ("GetProposalHistory", "get_proposal_history"),
        ],
        "id",
        "/id",
    ),
    (
        "create_organisation",
        &[
            ("GetOrganisation", "get_organisation"),
            ("GetOrganisationHistory", "get_organisation_history"),
        ],
        "id",
        "/id",
    ),
    (
        "create_user",
        &[
            ("GetUserHistory", "get_user_history"),
            ("PutExpertProfile", "put_expert_profile"),
            ("ResetPassword", "reset_password"),
        ],
        "id",
        "/id",
    ),
    (
        "create_cluster",
        &[
            ("UpdateCluster", "update_cluster"),
            ("GetClusterHistory", "get_cluster_history"),
        ],
        "code",
        "/code",
    ),
    (
        "create_selection",
        &[
            ("GetSelection", "get_selection"),
            ("ReplaySelection", "replay_selection"),
        ],
        "id",
        "/id",
    ),
    (
        "create_call",
        &[
            ("GetCall", "get_call"),
            ("SubmitBid", "submit_bid"),
            ("ListBids", "list_bids"),
            ("AppointPanel", "appoint_panel"),
            ("GetPanel", "get_panel"),
            ("DeclareConflict", "declare_conflict"),
            ("OpenBids", "open_bids"),
            ("StartReview", "start_review"),
            ("GetRanking", "get_ranking"),
            ("CancelCall", "cancel_call"),
            ("GetCallHistory", "get_call_history"),
        ],
        "id",
        "/id",
    ),
    (
        "submit_bid",
        &[("GetBid", "get_bid"), ("PutScores", "put_scores")],
        "id",
        "/bid_id",
    ),
    (
        "create_objection",
        &[("AnswerObjection", "answer_objection")],
        "id",
        "/id",
    ),
    (
        "create_acceptance",
        &[
            ("GetAcceptance", "get_acceptance"),
            ("DeclareAcceptanceConflict", "create_acceptance_conflict"),
            ("SubmitAcceptanceReport", "create_acceptance_report"),
            ("PutAcceptanceScores", "update_acceptance_scores"),
            ("Conclude", "create_acceptance_conclusion"),
        ],
        "id",
        "/id",
    ),
    (
        "create_evaluation",
        &[
            ("ConfirmEvaluation", "create_evaluation_confirmation"),
            ("SubmitPlan", "create_evaluation_plan"),
        ],
        "id",
        "/id",
    ),
    (
        "create_amendment",
        &[("ConfirmAgreement", "confirm_agreement")],
        "id",
        "/id",
    ),
];

fn links_of(operation_id: &str) -> Map<String, Value> {
    LINKS
        .iter()
        .filter(|(from, ..)| *from == operation_id)
        .flat_map(|(_, targets, param, pointer)| {
            targets.iter().map(move |(name, target)| {
                (
                    (*name).to_owned(),
                    json!({
                        "operationId": target,
                        "parameters": { *param: format!("$response.body#{pointer}") },
                    }),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_member_one_of_is_inlined_without_its_default() {
        let mut v = json!({"properties": {"contact": {
            "oneOf": [{"$ref": "#/components/schemas/Contact", "description": "who"}],
            "default": {"name": null}
        }}});
        inline_single_member_one_of(&mut v);
        assert_eq!(
            v,
            json!({"properties": {"contact": {"$ref": "#/components/schemas/Contact", "description": "who"}}})
        );
    }

    #[test]
    fn every_member_constraint_names_a_member_of_the_served_document() {
        let doc = crate::routes::openapi();
        for (schema, member, _) in member_constraints() {
            let pointer = format!("/components/schemas/{schema}/properties/{member}");
            assert!(
                doc.pointer(&pointer).is_some(),
                "{pointer} is not in the document"
            );
        }
        assert_eq!(
            doc.pointer("/components/schemas/AttestationInput/properties/statement/const")
                .and_then(Value::as_str),
            Some("对建设方案的真实性负责，严禁弄虚作假")
        );
    }

    #[test]
    fn every_shared_error_response_has_an_example() {
        for name in [
            "BadRequest",
            "Unauthorized",
            "Forbidden",
            "NotFound",
            "Conflict",
            "PreconditionFailed",
            "PreconditionRequired",
            "PayloadTooLarge",
            "Unprocessable",
            "TooManyRequests",
            "ServiceUnavailable",
        ] {
            let example = problem_example(name).unwrap_or_default();
            assert!(example["status"].as_u64().is_some(), "{name}");
            assert!(example["detail"].as_str().is_some(), "{name}");
        }
    }
}
