//! The verifiable log from outside: signed tree heads, inclusion proofs that verify with the
//! published key, consistency across growth, and a rewritten event caught by the auditor.

use jiebang::auditor;
use jiebang::domain::role::Role;
use jiebang::routes::views::audit::TreeHeadDto;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::*;

async fn clusters(app: &TestApp, from: usize, n: usize) {
    for i in from..from + n {
        let r = app
            .post(
                "/api/v1/clusters",
                Some(Role::Commission),
                json!({"code": format!("audit_{i}"), "name": format!("审计{i}"), "tier": "rising_star"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }
}

async fn exec(app: &TestApp, sql: &str) {
    app.state
        .db
        .execute(Statement::from_string(
            app.state.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn heads_are_signed_proofs_verify_and_a_rewritten_event_fails_the_auditor() {
    let app = spawn_app().await;
    clusters(&app, 0, 5).await;

    // The first audit: a signed head, sampled inclusions, nothing saved yet.
    let first = auditor::check(&app.base, None, None, 4).await.unwrap();
    assert!(first.head.tree_size >= 5, "{:?}", first.head);
    assert_eq!(first.consistent_with, None);
    assert!(!first.included.is_empty());
    let saved: TreeHeadDto = first.head.clone();

    // The published key is the configured one.
    let key = app.get("/api/v1/audit/key", None).await;
    let pinned = key.body["public_key"].as_str().unwrap().to_owned();
    let configured =
        ed25519_dalek::SigningKey::from_bytes(&hex::decode(AUDIT_KEY).unwrap().try_into().unwrap());
    assert_eq!(
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            configured.verifying_key().to_bytes()
        ),
        pinned
    );

    // The log grows (public events and a party-only one); the new head extends the saved one.
    clusters(&app, 5, 4).await;
    let grown = auditor::check(&app.base, Some(&saved), Some(&pinned), 8)
        .await
        .unwrap();
    assert_eq!(grown.head.tree_size, saved.tree_size + 4);
    assert_eq!(grown.consistent_with, Some(saved.tree_size));

    // A forged head (its size changed) does not pass the signature check.
    let mut forged = grown.head.clone();
    forged.tree_size -= 1;
    assert!(auditor::check(&app.base, Some(&forged), None, 0)
        .await
        .is_err());

    // Bad proof requests name their parameter.
    let size = grown.head.tree_size;
    for (q, field) in [
        (format!("first=0&second={size}"), "first"),
        (format!("first=2&second={}", size + 1), "second"),
        ("first=3&second=2".to_owned(), "first"),
    ] {
        let r = app
            .get(&format!("/api/v1/audit/proof/consistency?{q}"), None)
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), vec![field], "{q}");
    }
    // A non-public event is not a leaf.
    let party: i64 = app
        .state
        .db
        .query_one(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT MIN(seq) AS s FROM event WHERE visibility <> 'public'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "s")
        .unwrap();
    let r = app
        .get(
            &format!("/api/v1/audit/proof/inclusion?seq={party}&tree_size={size}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{:?}", r.body);

    // Someone with database access rewrites a published event: a cluster's name.
    let target: i64 = app
        .state
        .db
        .query_one(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT MIN(seq) AS s FROM event WHERE aggregate_type = 'cluster'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "s")
        .unwrap();
    exec(
        &app,
        &format!("UPDATE event SET reason = 'rewritten' WHERE seq = {target}"),
    )
    .await;
    // Left at that, the tree still holds the old leaf: the event's inclusion proof fails.
    let r = app
        .get(
            &format!("/api/v1/audit/proof/inclusion?seq={target}&tree_size={size}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let p: jiebang::routes::views::audit::InclusionProofDto =
        serde_json::from_value(r.body).unwrap();
    let root: [u8; 32] = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        &grown.head.root_hash,
    )
    .unwrap()
    .try_into()
    .unwrap();
    let path: Vec<[u8; 32]> = p
        .audit_path
        .iter()
        .map(|h| {
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, h)
                .unwrap()
                .try_into()
                .unwrap()
        })
        .collect();
    assert!(p.leaf.contains("rewritten"));
    assert!(jiebang::domain::merkle::verify_inclusion(
        &root,
        size,
        p.leaf.as_bytes(),
        p.leaf_index,
        &path
    )
    .is_err());

    // Covering it up by rebuilding the tree from the rewritten log changes the root: the next
    // head is not consistent with the one saved before.
    jiebang::store::merkle::clear(&app.state.db).await.unwrap();
    let err = auditor::check(&app.base, Some(&saved), Some(&pinned), 0)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("not an extension"), "{err:#}");
    // While the unchanged later part of the history still is consistent with itself.
    let after = auditor::check(&app.base, None, Some(&pinned), 0)
        .await
        .unwrap();
    assert_eq!(after.head.tree_size, size);
    assert_ne!(after.head.root_hash, grown.head.root_hash);
}

#[tokio::test]
async fn the_tree_is_built_once_and_extended_not_rebuilt() {
    let app = spawn_app().await;
    clusters(&app, 0, 3).await;
    let a = app.get("/api/v1/audit/tree-head", None).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let nodes = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            db.query_one(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM merkle_node",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    let n = a.body["tree_size"].as_i64().unwrap();
    // A tree of n leaves keeps n leaf hashes and n − popcount(n) inner subtrees: 2n − popcount.
    assert_eq!(nodes(&app).await, 2 * n - i64::from(n.count_ones() as i32));
    clusters(&app, 3, 2).await;
    let b = app.get("/api/v1/audit/tree-head", None).await;
    let m = b.body["tree_size"].as_i64().unwrap();
    assert_eq!(m, n + 2);
    assert_eq!(nodes(&app).await, 2 * m - i64::from(m.count_ones() as i32));
}
