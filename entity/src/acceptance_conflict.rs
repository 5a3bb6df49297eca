//! An expert's declared conflict with an accepted project's builder.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "acceptance_conflict")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub acceptance_id: i32,
    pub expert_id: i32,
    pub kind: String,
    pub note: String,
    pub declared_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
