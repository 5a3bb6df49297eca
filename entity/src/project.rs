//! A construction project (建设项目): one per winning bid, once the award is final.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub list_item_id: i32,
    pub call_id: i32,
    pub bid_id: i32,
    pub organisation_id: i32,
    pub district_code: String,
    pub name: String,
    pub status: String,
    pub version: i32,
    pub completed_on: Option<Date>,
    pub acceptance_requested_at: Option<DateTimeUtc>,
    pub acceptance_exception: Option<String>,
    pub exception_by: Option<i32>,
    pub exception_at: Option<DateTimeUtc>,
    pub rectify_until: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
