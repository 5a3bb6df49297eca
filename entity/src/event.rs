//! The one append-only event log: every change to every aggregate, hash-chained.
//!
//! `hash = SHA-256(prev_hash ‖ JCS(canonical event))`, where `prev_hash` is taken as its 32 raw
//! bytes (the first event's is 32 zero bytes) and the canonical event is the JSON object of every
//! column but the two hashes, in RFC 8785 (JCS) form, with `at` written as
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds). This is a protocol: an outside verifier
//! recomputes it, so it never changes.
use sea_orm::entity::prelude::*;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    /// The log's order: 1, 2, 3 … without gaps, assigned under the head row's lock.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    /// The aggregate's version this event produced.
    pub aggregate_version: i32,
    /// The aggregate this one belongs to (a bid's call), for histories that gather both.
    pub parent_type: Option<String>,
    pub parent_id: Option<String>,
    /// The acting account; none for the clock and the system.
    pub actor_id: Option<i32>,
    pub actor_role: String,
    pub at: DateTimeUtc,
    pub kind: String,
    pub reason: Option<String>,
    /// JSON Patch (RFC 6902) operations from the previous version, old values kept.
    pub payload: Json,
    /// `public`, `commission`, `party` or `sealed`.
    pub visibility: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The time as hashed: UTC, microseconds (what both databases store exactly).
pub fn time_text(at: &DateTimeUtc) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The canonical (JCS) bytes of an event, everything but its hashes.
///
/// # Errors
/// When the payload cannot be written as JSON (it always can: it came from JSON).
pub fn canonical(m: &Model) -> Result<Vec<u8>, serde_json::Error> {
    let doc = serde_json::json!({
        "seq": m.seq,
        "aggregate_type": m.aggregate_type,
        "aggregate_id": m.aggregate_id,
        "aggregate_version": m.aggregate_version,
        "parent_type": m.parent_type,
        "parent_id": m.parent_id,
        "actor_id": m.actor_id,
        "actor_role": m.actor_role,
        "at": time_text(&m.at),
        "kind": m.kind,
        "reason": m.reason,
        "payload": m.payload,
        "visibility": m.visibility,
    });
    serde_jcs::to_vec(&doc)
}

/// `SHA-256(prev ‖ canonical)` in hex; `None` when `prev` is not 64 hex digits.
pub fn chain_hash(prev: &str, canonical: &[u8]) -> Option<String> {
    let prev = hex::decode(prev).ok().filter(|b| b.len() == 32)?;
    let mut h = Sha256::new();
    h.update(&prev);
    h.update(canonical);
    Some(hex::encode(h.finalize()))
}

/// The hash this event must carry, given the one before it.
///
/// # Errors
/// See [`canonical`].
pub fn expected_hash(m: &Model, prev: &str) -> Result<Option<String>, serde_json::Error> {
    Ok(chain_hash(prev, &canonical(m)?))
}
