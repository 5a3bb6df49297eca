//! The verifiable log: a Merkle tree (RFC 9162) over the public events, signed tree heads
//! (Ed25519), and inclusion and consistency proofs, so that an outsider can check that what was
//! published is never altered or removed.
//!
//! Leaf i is the canonical (JCS) form of the i-th public event, the same bytes the hash chain
//! hashes (`entity::event::canonical`); only public events are leaves, so nothing sealed or
//! confidential is ever served as a leaf. The tree is extended from the log on demand, under the
//! `merkle_head` row's lock, and kept as its complete subtrees (`store::merkle`).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use ed25519_dalek::Signer;
use sea_orm::TransactionTrait;

use crate::domain::event::Visibility;
use crate::domain::merkle::{self, Frontier, Hash, Subtree};
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;

/// A signed tree head.
#[derive(Debug, Clone)]
pub struct TreeHead {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    pub at: DateTime<Utc>,
    /// Ed25519 over [`TreeHead::body`].
    pub signature: [u8; 64],
}

impl TreeHead {
    /// What is signed: the log's origin, the size, the root in base64 (a C2SP checkpoint's three
    /// lines) and the time as a fourth line (RFC 3339, UTC, seconds).
    pub fn body(origin: &str, size: u64, root: &Hash, at: &DateTime<Utc>) -> String {
        format!(
            "{origin}\n{size}\n{}\n{}\n",
            B64.encode(root),
            at.format("%Y-%m-%dT%H:%M:%SZ")
        )
    }
}

/// The public key tree heads are signed with.
pub fn public_key(state: &AppState) -> [u8; 32] {
    state.audit_key.verifying_key().to_bytes()
}

/// Reads the public events the tree does not hold yet into it. Returns the tree's size.
///
/// # Errors
/// Database failures, and a stored tree that does not hold together.
#[tracing::instrument(skip_all)]
pub async fn sync(state: &AppState) -> Result<u64> {
    let log_head = store::events::head(&state.db).await?.map_or(0, |h| h.seq);
    let tree = store::merkle::head(&state.db).await?;
    if tree.last_seq >= log_head {
        return to_u64(tree.size);
    }
    let txn = state.db.begin().await?;
    let tree = store::merkle::lock_head(&txn).await?;
    let size = to_u64(tree.size)?;
    let wanted = Frontier::subtrees(size);
    let stored = store::merkle::subtrees(&txn, &wanted).await?;
    let mut frontier = Frontier {
        size,
        levels: vec![None; 64],
    };
    for s in &wanted {
        frontier.levels[s.level as usize] = stored.get(s).copied();
    }
    let mut last_seq = tree.last_seq;
    loop {
        let page = store::events::raw_page(&txn, last_seq, 1000).await?;
        let Some(last) = page.last() else { break };
        last_seq = last.seq;
        let mut leaves = Vec::new();
        let mut nodes = Vec::new();
        for row in page {
            if row.visibility != Visibility::Public.as_str() {
                continue;
            }
            let data = entity::event::canonical(&row).map_err(anyhow::Error::from)?;
            leaves.push((
                i64::try_from(frontier.size).map_err(anyhow::Error::from)?,
                row.seq,
            ));
            nodes.extend(
                frontier
                    .push(merkle::leaf_hash(&data))
                    .map_err(anyhow::Error::msg)?,
            );
        }
        store::merkle::insert(&txn, leaves, nodes).await?;
    }
    let size = frontier.size;
    store::merkle::set_head(
        &txn,
        i64::try_from(size).map_err(anyhow::Error::from)?,
        last_seq,
    )
    .await?;
    txn.commit().await?;
    Ok(size)
}

fn to_u64(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|e| ApiError::Unexpected(e.into()))
}

/// Evaluates a plan: each proof node as the fold of its subtrees.
async fn evaluate(state: &AppState, plan: Vec<Vec<Subtree>>) -> Result<Vec<Hash>> {
    let all: Vec<Subtree> = plan.iter().flatten().copied().collect();
    let stored = store::merkle::subtrees(&state.db, &all).await?;
    plan.iter()
        .map(|p| {
            let hashes: Vec<Hash> = p.iter().filter_map(|s| stored.get(s).copied()).collect();
            merkle::fold(&hashes)
                .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("an empty proof node")))
        })
        .collect()
}

/// The root of the tree's first `size` leaves.
async fn root_at(state: &AppState, size: u64) -> Result<Hash> {
    match merkle::decompose(0, size) {
        None => Ok(merkle::empty_root()),
        Some(p) => Ok(evaluate(state, vec![p]).await?[0]),
    }
}

/// The current tree head, signed.
///
/// # Errors
/// Database failures.
pub async fn tree_head(state: &AppState) -> Result<TreeHead> {
    let size = sync(state).await?;
    let root = root_at(state, size).await?;
    let at = crate::app::now(state);
    let origin = state.settings.audit.origin.clone();
    let signature = state
        .audit_key
        .sign(TreeHead::body(&origin, size, &root, &at).as_bytes())
        .to_bytes();
    Ok(TreeHead {
        origin,
        size,
        root,
        at,
        signature,
    })
}

/// An inclusion proof: the leaf's bytes, its index and the audit path.
#[derive(Debug, Clone)]
pub struct Inclusion {
    pub seq: i64,
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The leaf: the event's canonical JSON (RFC 8785).
    pub leaf: String,
    pub path: Vec<Hash>,
}

/// Proves that public event `seq` is in the tree of `tree_size` leaves.
///
/// # Errors
/// 404 for an event that is not a leaf (unknown, or not public); 422 for a tree size that is
/// 0, larger than the tree, or too small to hold the event.
#[tracing::instrument(skip_all, fields(seq, tree_size))]
pub async fn inclusion(state: &AppState, seq: i64, tree_size: u64) -> Result<Inclusion> {
    let size = sync(state).await?;
    if tree_size == 0 || tree_size > size {
        return Err(ApiError::field(
            "tree_size",
            crate::msg!("field-tree-size-between", size = size),
        ));
    }
    let idx = store::merkle::leaf_of(&state.db, seq)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-public-event", seq = seq)))?;
    let idx = to_u64(idx)?;
    let plan = merkle::inclusion_plan(tree_size, idx).ok_or_else(|| {
        ApiError::field(
            "tree_size",
            crate::msg!("field-tree-too-small", seq = seq, idx = idx),
        )
    })?;
    let path = evaluate(state, plan).await?;
    let row = store::events::raw_page(&state.db, seq - 1, 1)
        .await?
        .into_iter()
        .next()
        .filter(|r| r.seq == seq)
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-event", seq = seq)))?;
    let leaf = entity::event::canonical(&row).map_err(anyhow::Error::from)?;
    Ok(Inclusion {
        seq,
        leaf_index: idx,
        tree_size,
        leaf: String::from_utf8(leaf).map_err(anyhow::Error::from)?,
        path,
    })
}

/// Proves that the tree of `first` leaves is a prefix of the tree of `second`.
///
/// # Errors
/// 422 unless `1 ≤ first ≤ second ≤` the tree's size.
#[tracing::instrument(skip_all, fields(first, second))]
pub async fn consistency(state: &AppState, first: u64, second: u64) -> Result<Vec<Hash>> {
    let size = sync(state).await?;
    let mut errors = Vec::new();
    if first == 0 {
        errors.push(FieldError::new(
            "first",
            crate::msg!("field-at-least", min = 1),
        ));
    }
    if second > size {
        errors.push(FieldError::new(
            "second",
            crate::msg!("field-tree-size-at-most", size = size),
        ));
    }
    if first > second {
        errors.push(FieldError::new(
            "first",
            crate::msg!("field-first-after-second"),
        ));
    }
    ApiError::check(errors)?;
    let plan = merkle::consistency_plan(first, second)
        .ok_or_else(|| ApiError::field("first", crate::msg!("field-between-one-and-second")))?;
    evaluate(state, plan).await
}
