//! The verifiable log's key, tree heads and proofs. Hashes, keys and signatures are base64
//! (standard alphabet, padded).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::transparency::{Inclusion, TreeHead};
use crate::domain::merkle::Hash;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditKey {
    /// Always `Ed25519`.
    pub algorithm: String,
    /// The 32-byte public key, base64.
    pub public_key: String,
}

impl AuditKey {
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            algorithm: "Ed25519".into(),
            public_key: B64.encode(key),
        }
    }
}

/// A signed tree head. Save it: a later head must be consistent with it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TreeHeadDto {
    /// The log's name (the checkpoint's first line).
    pub origin: String,
    /// Leaves (public events) in the tree.
    pub tree_size: u64,
    /// The RFC 9162 Merkle Tree Hash, base64.
    pub root_hash: String,
    pub timestamp: DateTime<Utc>,
    /// The signed text: `origin\nsize\nroot_hash\ntimestamp\n` (timestamp in RFC 3339 UTC,
    /// seconds).
    pub checkpoint: String,
    /// Ed25519 over `checkpoint`, base64.
    pub signature: String,
}

impl From<TreeHead> for TreeHeadDto {
    fn from(h: TreeHead) -> Self {
        Self {
            checkpoint: TreeHead::body(&h.origin, h.size, &h.root, &h.at),
            origin: h.origin,
            tree_size: h.size,
            root_hash: B64.encode(h.root),
            timestamp: h.at,
            signature: B64.encode(h.signature),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The public event's `seq`.
    #[param(minimum = 1)]
    pub seq: i64,
    /// The tree size of the head to prove against (1 to the current size).
    #[param(minimum = 1)]
    pub tree_size: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InclusionProofDto {
    pub seq: i64,
    /// The event's place among the leaves (public events only, in log order).
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The leaf's bytes: the event's canonical JSON (RFC 8785), as hashed into the chain.
    pub leaf: String,
    /// The audit path (RFC 9162 §2.1.3), base64 hashes from the leaf up.
    pub audit_path: Vec<String>,
}

impl From<Inclusion> for InclusionProofDto {
    fn from(i: Inclusion) -> Self {
        Self {
            seq: i.seq,
            leaf_index: i.leaf_index,
            tree_size: i.tree_size,
            leaf: i.leaf,
            audit_path: i.path.iter().map(|h| B64.encode(h)).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The earlier tree size (at least 1).
    #[param(minimum = 1)]
    pub first: u64,
    /// The later tree size (at most the current one).
    #[param(minimum = 1)]
    pub second: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConsistencyProofDto {
    pub first: u64,
    pub second: u64,
    /// The proof (RFC 9162 §2.1.4), base64 hashes.
    pub proof: Vec<String>,
}

impl ConsistencyProofDto {
    pub fn new(first: u64, second: u64, proof: &[Hash]) -> Self {
        Self {
            first,
            second,
            proof: proof.iter().map(|h| B64.encode(h)).collect(),
        }
    }
}
