//! A plaque (授牌): an accepted industry brain in the public register.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plaque")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub year: i32,
    pub serial: i32,
    pub number: String,
    pub brain_name: String,
    pub organisation_id: i32,
    pub district_code: String,
    pub issued_on: Date,
    pub status: String,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
    pub rectify_until: Option<Date>,
    pub version: i32,
    /// The evaluator engaged for the annual evaluations (migration 000012).
    pub evaluator_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
