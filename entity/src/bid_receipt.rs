//! One accepted submission of a bid: its receipt and its sealed (encrypted) content.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_receipt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub bid_id: i32,
    pub call_id: i32,
    pub organisation_id: i32,
    pub submitted_by: i32,
    pub received_at: DateTimeUtc,
    /// SHA-256 (hex) of the canonical JSON of the content.
    pub sha256: String,
    /// Nonce and ChaCha20-Poly1305 ciphertext of the canonical content.
    pub sealed: Vec<u8>,
    /// The sealing key `sealed` is under: 1, derived from the token secret (before the keys
    /// were separated; re-sealed at start); 2, the sealing key.
    pub key_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
