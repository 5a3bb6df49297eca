//! A follow-up action of a supervision, with its due date and its closing.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_up")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub supervision_id: i32,
    pub project_id: i32,
    pub action: String,
    pub due_on: Date,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<i32>,
    pub closing_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
