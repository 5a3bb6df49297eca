//! A characteristic cluster (特色产业集群) of a district, for one data year.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "district_cluster")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub district_code: String,
    pub cluster_code: String,
    pub name: String,
    /// Hundredths of a 万元.
    pub scale: Option<i64>,
    pub enterprise_count: Option<i32>,
    pub year: i32,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
