//! One published version of a round's list (榜单). Immutable once written.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "list_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub version: i32,
    pub selection_id: i32,
    pub note: String,
    /// Why this version corrects the previous one (none for version 1).
    pub correction_reason: Option<String>,
    pub published_by: i32,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
