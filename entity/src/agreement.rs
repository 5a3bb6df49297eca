//! A task agreement (任务书) or one of its amendments.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub number: i32,
    pub status: String,
    pub content: Json,
    pub reason: Option<String>,
    pub version: i32,
    pub commission_confirmed_by: Option<i32>,
    pub commission_confirmed_at: Option<DateTimeUtc>,
    pub builder_confirmed_by: Option<i32>,
    pub builder_confirmed_at: Option<DateTimeUtc>,
    pub district_confirmed_by: Option<i32>,
    pub district_confirmed_at: Option<DateTimeUtc>,
    pub signed_at: Option<DateTimeUtc>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
