//! An expert on an acceptance panel.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "acceptance_panel")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub acceptance_id: i32,
    pub expert_id: i32,
    pub how: String,
    pub seed: Option<i64>,
    pub added_by: i32,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
