//! An annual evaluation (年度常态化评价) of a plaqued brain, or its re-evaluation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub plaque_id: i32,
    pub year: i32,
    pub attempt: i32,
    pub evaluator_id: i32,
    pub parts: Json,
    pub score: i64,
    pub grade: String,
    pub summary: String,
    pub filed_at: DateTimeUtc,
    pub confirmed_by: Option<i32>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub rectification_plan: Option<String>,
    pub plan_filed_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
