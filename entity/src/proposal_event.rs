//! One entry of a proposal's history: who did what, when, and what changed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "proposal_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub proposal_id: i32,
    /// The proposal version this event produced.
    pub version: i32,
    pub actor_id: i32,
    pub actor_role: String,
    pub at: DateTimeUtc,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// JSON Patch (RFC 6902) operations from the previous version to this one.
    pub changes: Json,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
