//! One acceptance (验收) of a project: the request, the panel, the evaluator, the conclusion.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "acceptance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub attempt: i32,
    pub requested_at: DateTimeUtc,
    pub requested_by: i32,
    pub request_text: String,
    pub evaluator_id: Option<i32>,
    pub rubric: Option<Json>,
    pub report: Option<Json>,
    pub report_filed_at: Option<DateTimeUtc>,
    pub outcome: Option<String>,
    pub outcome_reason: Option<String>,
    pub panel_score: Option<i64>,
    pub rule: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
