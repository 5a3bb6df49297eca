//! One expert's score sheet at an acceptance.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "acceptance_score")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub acceptance_id: i32,
    pub expert_id: i32,
    pub scores: Json,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
