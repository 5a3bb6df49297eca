//! The served spec is the committed contract.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn served_spec_matches_committed_file() {
    let app = spawn_app().await;
    let served = app.get("/api-docs/openapi.json", None).await;
    assert_eq!(served.status, StatusCode::OK);
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(
        served.body == committed,
        "the served OpenAPI document differs from openapi/openapi.json; if the change is deliberate, \
         regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[tokio::test]
async fn every_operation_has_tag_id_and_error_responses() {
    let doc = serde_json::to_value(jiebang::routes::openapi()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operation id");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id} has no tag"
            );
            // A token is required where the security requirements are not empty and none is
            // the empty (anonymous) one.
            let secured = op["security"].as_array().is_some_and(|s| {
                !s.is_empty()
                    && s.iter()
                        .all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
            });
            let responses = op["responses"].as_object().unwrap();
            if secured {
                assert!(responses.contains_key("401"), "{id} lacks 401");
            }
            if op.get("requestBody").is_some() {
                assert!(responses.contains_key("422"), "{id} lacks 422");
                assert!(responses.contains_key("400"), "{id} lacks 400");
            }
            // A query string is parsed strictly: an unknown or malformed parameter is a 400.
            let queried = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            if queried {
                assert!(
                    responses.contains_key("400"),
                    "{id} takes a query but lacks 400"
                );
            }
        }
    }
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app().await;
    let page = app
        .client
        .get(format!("{}/swagger-ui/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui-bundle.js"));
    assert!(
        !html.contains("https://"),
        "the page must not load anything from another host"
    );
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-initializer.js",
    ] {
        let r = app
            .client
            .get(format!("{}/swagger-ui/{asset}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{asset}");
    }
    let init = app
        .client
        .get(format!("{}/swagger-ui/swagger-initializer.js", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        init.contains("\"validatorUrl\": \"none\""),
        "the validator badge calls an outside host"
    );
    assert!(
        init.contains("\"persistAuthorization\": true"),
        "Swagger UI keeps the token across reloads"
    );
}

/// Generators and Swagger UI send a token only where an operation declares it: every operation
/// says what it needs — `[]` for public ones, `[{}, bearer]` where a token is optional.
#[tokio::test]
async fn every_operation_declares_its_security() {
    let doc = jiebang::routes::openapi();
    let mut optional = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            let security = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} ({id}) declares no security"));
            if security.len() == 2 && security[0] == serde_json::json!({}) {
                optional.push(id.to_owned());
            }
        }
    }
    for id in [
        "get_ranking",
        "get_round_history",
        "list_brains",
        "get_feed",
    ] {
        assert!(
            optional.iter().any(|o| o == id),
            "{id}: the token is optional there"
        );
    }
}

/// The shapes client generators choke on stay out of the document.
#[tokio::test]
async fn the_document_has_no_tuples_single_member_one_ofs_or_odd_formats() {
    fn walk(v: &serde_json::Value, at: &str) {
        match v {
            serde_json::Value::Object(map) => {
                assert!(!map.contains_key("prefixItems"), "a tuple at {at}");
                if let Some(members) = map.get("oneOf").and_then(|o| o.as_array()) {
                    assert!(members.len() > 1, "a one-member oneOf at {at}");
                }
                if let Some(format) = map.get("format").and_then(|f| f.as_str()) {
                    assert!(
                        [
                            "int32",
                            "int64",
                            "double",
                            "float",
                            "date-time",
                            "date",
                            "binary",
                            "uri"
                        ]
                        .contains(&format),
                        "format {format} at {at}"
                    );
                }
                for (k, x) in map {
                    walk(x, &format!("{at}/{k}"));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    walk(x, &format!("{at}/{i}"));
                }
            }
            _ => {}
        }
    }
    let doc = jiebang::routes::openapi();
    walk(&doc, "");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                let described = response.get("$ref").is_some()
                    || response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty());
                assert!(described, "{method} {path} {status} has no description");
            }
            if method == "patch" {
                assert!(
                    op["requestBody"]["content"]["application/merge-patch+json"]["schema"]
                        .is_object(),
                    "{method} {path}: a typed merge patch"
                );
            }
        }
    }
}

/// Each operation declares exactly the path parameters its path template names, and nothing else
/// `in: path` (a query struct without `parameter_in = Query` once put its fields there: Redocly's
/// `path-parameters-defined` error, and generated clients that cannot call the operation).
#[tokio::test]
async fn path_parameters_are_exactly_the_template_names() {
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap(),
    )
    .unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let mut template: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        template.sort_unstable();
        for (method, op) in item.as_object().unwrap() {
            let mut declared: Vec<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            declared.sort_unstable();
            assert_eq!(declared, template, "{method} {path}: path parameters");
        }
    }
}
