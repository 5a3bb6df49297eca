//! Keyset pages on the list endpoints: walking `after`/`limit` (or the `Link` header) to the end
//! gives every item once, in order; filters and the caller's scope hold on every page; bad
//! `limit` and `after` are refused naming the field.

use std::collections::BTreeSet;

use jiebang::domain::role::Role;
use jiebang::routes::views::proposals::ProposalPage;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// The path and query of a `Link: <…>; rel="next"` header.
fn next_link(r: &Reply) -> Option<String> {
    let v = r.headers.get("link")?.to_str().ok()?;
    assert!(v.ends_with("; rel=\"next\""), "{v}");
    let start = v.find('<')? + 1;
    let end = v.find('>')?;
    Some(v[start..end].to_owned())
}

/// Walks the proposal list from `query` in pages of `limit`, following `next_after`, and checks
/// the `Link` header says the same.
async fn walk_proposals(
    app: &TestApp,
    token: &str,
    query: &str,
    limit: u64,
) -> Vec<ProposalPageItem> {
    let mut out = Vec::new();
    let mut after: Option<i32> = None;
    for _ in 0..1000 {
        let path = match after {
            Some(a) => format!("/api/v1/rounds/2024/proposals?{query}&limit={limit}&after={a}"),
            None => format!("/api/v1/rounds/2024/proposals?{query}&limit={limit}"),
        };
        let r = app
            .request(reqwest::Method::GET, &path, Some(token), None)
            .await;
        let link = next_link(&r);
        let page: ProposalPage = r.expect(StatusCode::OK);
        assert!(page.items.len() as u64 <= limit, "{path}");
        assert!(page.total.is_none() && page.counts.is_none(), "{path}");
        match page.next_after {
            Some(n) => {
                assert_eq!(
                    page.items.len() as u64,
                    limit,
                    "a full page before the last"
                );
                assert_eq!(Some(n), page.items.last().map(|p| p.id));
                let link = link.expect("a Link header while there is a next page");
                assert!(link.contains(&format!("after={n}")), "{link}");
                assert!(link.contains(&format!("limit={limit}")), "{link}");
            }
            None => assert!(link.is_none(), "no Link on the last page"),
        }
        out.extend(page.items.into_iter().map(|p| ProposalPageItem {
            id: p.id,
            district: p.district_code,
            cluster: p.cluster_code,
        }));
        match page.next_after {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
    panic!("the walk did not end");
}

#[derive(Debug, Clone, PartialEq)]
struct ProposalPageItem {
    id: i32,
    district: String,
    cluster: Option<String>,
}

fn assert_once_in_order(ids: &[i32], what: &str) {
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{what}: {ids:?}");
}

#[tokio::test]
async fn proposal_pages_walk_to_the_end_without_skip_or_repeat() {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024)
        .await
        .expect("demo data");
    let commission = app.token(Role::Commission).to_owned();
    let all: ProposalPage = app
        .get(
            "/api/v1/rounds/2024/proposals?limit=100&counts=true",
            Some(Role::Commission),
        )
        .await
        .expect(StatusCode::OK);
    let total = all.total.expect("counts asked");
    assert!(total >= 20, "the demo's round: {total}");
    assert_eq!(all.items.len() as u64, total);
    assert_eq!(all.next_after, None);
    let every: Vec<i32> = all.items.iter().map(|p| p.id).collect();
    for limit in [1, 3, 7, 100] {
        let walked = walk_proposals(&app, &commission, "", limit).await;
        let ids: Vec<i32> = walked.iter().map(|p| p.id).collect();
        assert_eq!(ids, every, "limit {limit}");
    }
    // A filter holds on every page, and the pages together are every match.
    let cluster = all
        .items
        .iter()
        .find_map(|p| p.cluster_code.clone())
        .expect("a proposal with a cluster");
    let walked = walk_proposals(&app, &commission, &format!("cluster={cluster}"), 2).await;
    let ids: Vec<i32> = walked.iter().map(|p| p.id).collect();
    assert_once_in_order(&ids, "cluster");
    let expected: Vec<i32> = all
        .items
        .iter()
        .filter(|p| p.cluster_code.as_deref() == Some(cluster.as_str()))
        .map(|p| p.id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids, expected);
    // `counts=true` counts the matches of the filter, whatever the page.
    let filtered: ProposalPage = app
        .get(
            &format!("/api/v1/rounds/2024/proposals?cluster={cluster}&limit=1&counts=true"),
            Some(Role::Commission),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(filtered.total, Some(expected.len() as u64));
}

#[tokio::test]
async fn a_district_officer_never_sees_another_district_on_any_page() {
    let app = spawn_app().await;
    jiebang::demo_load::load(&app.state, 2024)
        .await
        .expect("demo data");
    let all: ProposalPage = app
        .get(
            "/api/v1/rounds/2024/proposals?limit=100",
            Some(Role::Commission),
        )
        .await
        .expect(StatusCode::OK);
    let districts: BTreeSet<String> = all.items.iter().map(|p| p.district_code.clone()).collect();
    assert!(
        districts.len() >= 2,
        "the demo spans districts: {districts:?}"
    );
    for (k, district) in districts.iter().enumerate() {
        let officer = app
            .add_user(
                &format!("officer-{k}"),
                Role::District,
                Some(district),
                None,
            )
            .await;
        let walked = walk_proposals(&app, &officer, "", 2).await;
        assert!(!walked.is_empty(), "{district} sees its own");
        assert!(
            walked.iter().all(|p| &p.district == district),
            "{district}: {walked:?}"
        );
        let ids: Vec<i32> = walked.iter().map(|p| p.id).collect();
        assert_once_in_order(&ids, district);
        // Asking for another district's narrows to nothing, on every page.
        let other = districts.iter().find(|d| *d != district).expect("another");
        let walked = walk_proposals(&app, &officer, &format!("district={other}"), 1).await;
        assert!(
            walked.is_empty(),
            "{district} asked for {other}: {walked:?}"
        );
        // And the commission's cursor does not open a page of another district's.
        let deep = walk_proposals(&app, &officer, &format!("after={}", all.items[0].id), 3).await;
        assert!(deep.iter().all(|p| &p.district == district));
    }
}

/// Follows the `Link` headers of an array endpoint from `path` (with `limit`) to the end.
async fn walk_array(app: &TestApp, token: &str, path: &str, limit: u64) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut next = Some(format!("{path}{sep}limit={limit}"));
    let mut out = Vec::new();
    let mut pages = 0;
    while let Some(p) = next {
        pages += 1;
        assert!(pages < 10_000, "{path}: the walk did not end");
        let r = app
            .request(reqwest::Method::GET, &p, Some(token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{p}: {:?}", r.body);
        let items = r.body.as_array().expect("an array").clone();
        assert!(items.len() as u64 <= limit, "{p}");
        next = next_link(&r).map(|l| l.trim_start_matches(&app.base).to_owned());
        if next.is_some() {
            assert_eq!(
                items.len() as u64,
                limit,
                "{p}: a full page before the last"
            );
        }
        out.extend(items);
    }
    out
}

#[tokio::test]
async fn array_lists_walk_by_their_link_headers_to_the_whole_list() {
    let app = spawn_app().await;
    let mut lines = Vec::new();
    jiebang::demo_run::play(&app.state, 2024, &mut |l| lines.push(l))
        .await
        .expect("the demo runs");
    let commission = app.token(Role::Commission).to_owned();
    let calls = app
        .get("/api/v1/calls?limit=1000", None)
        .await
        .body
        .as_array()
        .expect("calls")
        .clone();
    assert!(calls.len() >= 2, "the demo announces calls");
    let call = calls[0]["id"].as_i64().expect("an id");
    let org = app
        .get("/api/v1/organisations?limit=1", Some(Role::Commission))
        .await
        .body[0]["id"]
        .as_i64()
        .expect("an organisation");
    let user = app
        .get("/api/v1/users?limit=1", Some(Role::Commission))
        .await
        .body[0]["id"]
        .as_i64()
        .expect("an account");
    let project = app.get("/api/v1/projects?limit=1", None).await.body["items"][0]["id"]
        .as_i64()
        .expect("a project");
    let proposal = app
        .get(
            "/api/v1/rounds/2024/proposals?limit=1",
            Some(Role::Commission),
        )
        .await
        .body["items"][0]["id"]
        .as_i64()
        .expect("a proposal");
    for (path, key) in [
        ("/api/v1/calls".to_owned(), "id"),
        ("/api/v1/notices".to_owned(), "id"),
        ("/api/v1/organisations".to_owned(), "id"),
        ("/api/v1/users".to_owned(), "id"),
        ("/api/v1/users?role=expert".to_owned(), "id"),
        ("/api/v1/rounds/2024/selections".to_owned(), "id"),
        ("/api/v1/rounds/2024/history".to_owned(), "seq"),
        // A call's history shows no `seq` (its cursor is in the `Link` header only).
        (format!("/api/v1/calls/{call}/history"), "at"),
        (format!("/api/v1/proposals/{proposal}/history"), "version"),
        (format!("/api/v1/calls/{call}/bids"), "bid_id"),
        (format!("/api/v1/calls/{call}/bidders"), "bid_id"),
        (format!("/api/v1/organisations/{org}/history"), "seq"),
        (format!("/api/v1/users/{user}/history"), "seq"),
        (format!("/api/v1/projects/{project}/history"), "seq"),
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let whole = app
            .request(
                reqwest::Method::GET,
                &format!("{path}{sep}limit=1000"),
                Some(&commission),
                None,
            )
            .await;
        assert_eq!(whole.status, StatusCode::OK, "{path}: {:?}", whole.body);
        assert!(whole.headers.get("link").is_none(), "{path}: one page");
        let whole = whole.body.as_array().expect("an array").clone();
        assert!(!whole.is_empty(), "{path} is empty in the demo");
        if key != "at" {
            let keys: Vec<i64> = whole
                .iter()
                .map(|v| {
                    v[key]
                        .as_i64()
                        .or_else(|| v["call"][key].as_i64())
                        .unwrap_or(0)
                })
                .collect();
            assert!(
                keys.windows(2).all(|w| w[0] < w[1]),
                "{path}: in {key} order: {keys:?}"
            );
        }
        for limit in [1, 2, 5] {
            let walked = walk_array(&app, &commission, &path, limit).await;
            assert_eq!(walked, whole, "{path} in pages of {limit}");
        }
    }
}

#[tokio::test]
async fn bad_page_parameters_are_refused_naming_the_field() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/calls",
        "/api/v1/notices",
        "/api/v1/organisations",
        "/api/v1/users",
        "/api/v1/users/1/history",
        "/api/v1/clusters/auto/history",
        "/api/v1/calls/1/bids",
        "/api/v1/calls/1/enquiries",
        "/api/v1/findings",
        "/api/v1/webhooks",
    ] {
        for (query, status, field) in [
            ("limit=0", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
            ("limit=5000", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
            ("after=-1", StatusCode::UNPROCESSABLE_ENTITY, "after"),
            ("limit=ten", StatusCode::BAD_REQUEST, "limit"),
            ("after=x", StatusCode::BAD_REQUEST, "after"),
        ] {
            let r = app
                .get(&format!("{path}?{query}"), Some(Role::Commission))
                .await;
            assert_eq!(r.status, status, "{path}?{query}: {:?}", r.body);
            assert!(r.is_problem(), "{path}?{query}");
            assert!(
                r.error_fields().iter().any(|f| f == field),
                "{path}?{query}: {:?}",
                r.body
            );
        }
    }
}
