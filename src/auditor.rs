//! `jiebang audit verify --server URL`: what an outside auditor does, over HTTP only. It checks
//! the current tree head's signature against the published key (or a pinned one), that the tree
//! is consistent with a head saved earlier (nothing published was changed or removed), and that
//! sampled public events are in the tree; then it saves the new head.

use std::path::Path;

use anyhow::{bail, Context};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::de::DeserializeOwned;

use crate::domain::merkle::{self, Hash};
use crate::routes::views::audit::{AuditKey, ConsistencyProofDto, InclusionProofDto, TreeHeadDto};

/// What the check found.
#[derive(Debug, Clone)]
pub struct AuditReport {
    pub head: TreeHeadDto,
    /// The size of the saved head the new one was proved consistent with.
    pub consistent_with: Option<u64>,
    /// The events whose inclusion verified.
    pub included: Vec<i64>,
}

async fn get<T: DeserializeOwned>(client: &reqwest::Client, url: String) -> anyhow::Result<T> {
    let res = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = res.status();
    if !status.is_success() {
        bail!(
            "GET {url}: {status}: {}",
            res.text().await.unwrap_or_default()
        );
    }
    res.json().await.with_context(|| format!("reading {url}"))
}

fn hash(b64: &str, what: &str) -> anyhow::Result<Hash> {
    B64.decode(b64)
        .ok()
        .and_then(|b| b.try_into().ok())
        .with_context(|| format!("{what} is not a base64 SHA-256 hash"))
}

fn hashes(b64: &[String], what: &str) -> anyhow::Result<Vec<Hash>> {
    b64.iter().map(|h| hash(h, what)).collect()
}

/// Checks a head's signature and that its signed text says what its fields say.
///
/// # Errors
/// A head that is not signed by `key` or does not match its checkpoint.
pub fn check_head(head: &TreeHeadDto, key: &VerifyingKey) -> anyhow::Result<Hash> {
    let root = hash(&head.root_hash, "the root hash")?;
    let expected = crate::app::transparency::TreeHead::body(
        &head.origin,
        head.tree_size,
        &root,
        &head.timestamp,
    );
    if expected != head.checkpoint {
        bail!("the tree head's fields do not match its signed checkpoint");
    }
    let sig: [u8; 64] = B64
        .decode(&head.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("the signature is not 64 bytes of base64")?;
    key.verify_strict(head.checkpoint.as_bytes(), &Signature::from_bytes(&sig))
        .context("the tree head's signature does not verify with the log's key")?;
    Ok(root)
}

/// Audits the server at `base` (e.g. `http://127.0.0.1:8080`). `saved` is a head saved by an
/// earlier run; `samples` public events (spread over the first feed page and the newest leaf)
/// are checked for inclusion.
///
/// # Errors
/// Anything that does not verify, or a server that cannot be read.
pub async fn check(
    base: &str,
    saved: Option<&TreeHeadDto>,
    pinned_key: Option<&str>,
    samples: usize,
) -> anyhow::Result<AuditReport> {
    let client = reqwest::Client::new();
    let base = base.trim_end_matches('/');
    let published: AuditKey = get(&client, format!("{base}/api/v1/audit/key")).await?;
    if let Some(pin) = pinned_key {
        if pin != published.public_key {
            bail!(
                "the server's key {} is not the pinned key {pin}",
                published.public_key
            );
        }
    }
    let key_bytes: [u8; 32] = B64
        .decode(&published.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("the published key is not 32 bytes of base64")?;
    let key = VerifyingKey::from_bytes(&key_bytes).context("the published key is not a key")?;
    let head: TreeHeadDto = get(&client, format!("{base}/api/v1/audit/tree-head")).await?;
    let root = check_head(&head, &key)?;

    let mut consistent_with = None;
    if let Some(old) = saved {
        let old_root = check_head(old, &key).context("the saved tree head")?;
        if old.origin != head.origin {
            bail!(
                "the saved head is of log {:?}, not {:?}",
                old.origin,
                head.origin
            );
        }
        let proof = if old.tree_size == 0 || old.tree_size >= head.tree_size {
            Vec::new()
        } else {
            let p: ConsistencyProofDto = get(
                &client,
                format!(
                    "{base}/api/v1/audit/proof/consistency?first={}&second={}",
                    old.tree_size, head.tree_size
                ),
            )
            .await?;
            hashes(&p.proof, "a consistency proof hash")?
        };
        merkle::verify_consistency(&old_root, old.tree_size, &root, head.tree_size, &proof)
            .map_err(anyhow::Error::msg)
            .with_context(|| {
                format!(
                    "the log of {} leaves is not an extension of the saved one of {}",
                    head.tree_size, old.tree_size
                )
            })?;
        consistent_with = Some(old.tree_size);
    }

    let mut included = Vec::new();
    if head.tree_size > 0 && samples > 0 {
        let page: serde_json::Value =
            get(&client, format!("{base}/api/v1/feed?limit=1000")).await?;
        let seqs: Vec<i64> = page["events"]
            .as_array()
            .context("the feed has no events array")?
            .iter()
            .filter_map(|e| e["seq"].as_i64())
            .collect();
        let step = (seqs.len() / samples).max(1);
        for seq in seqs.iter().step_by(step).take(samples) {
            let p: InclusionProofDto = get(
                &client,
                format!(
                    "{base}/api/v1/audit/proof/inclusion?seq={seq}&tree_size={}",
                    head.tree_size
                ),
            )
            .await?;
            let path = hashes(&p.audit_path, "an audit path hash")?;
            merkle::verify_inclusion(
                &root,
                head.tree_size,
                p.leaf.as_bytes(),
                p.leaf_index,
                &path,
            )
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("event {seq}"))?;
            let leaf: serde_json::Value =
                serde_json::from_str(&p.leaf).context("the leaf is not JSON")?;
            if leaf["seq"] != *seq || leaf["visibility"] != "public" {
                bail!("the leaf proved for event {seq} is another event or not public");
            }
            included.push(*seq);
        }
    }
    Ok(AuditReport {
        head,
        consistent_with,
        included,
    })
}

/// Reads a saved head (none when the file does not exist yet).
///
/// # Errors
/// A file that cannot be read or is not a tree head.
pub fn load(path: &Path) -> anyhow::Result<Option<TreeHeadDto>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            Ok(Some(serde_json::from_str(&text).with_context(|| {
                format!("{} is not a tree head", path.display())
            })?))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Saves a verified head for the next run.
///
/// # Errors
/// A file that cannot be written.
pub fn save(path: &Path, head: &TreeHeadDto) -> anyhow::Result<()> {
    std::fs::write(path, serde_json::to_string_pretty(head)?)
        .with_context(|| format!("writing {}", path.display()))
}
