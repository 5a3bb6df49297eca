//! A list item (揭榜项) of a published list version.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "list_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub list_version_id: i32,
    pub rank: i32,
    pub proposal_id: i32,
    /// The direction: the brain's name.
    pub direction: String,
    pub district_code: String,
    pub cluster_code: Option<String>,
    /// `{major, middle, minor}`.
    pub industry_class: Json,
    /// Outcome targets from the plan's KPIs.
    pub targets: Json,
    /// Weighted total, units of 1e-4 point.
    pub total: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
