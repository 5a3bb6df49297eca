//! An enterprise of a district's inventory: a leading (链主) or a 专精特新 enterprise.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "district_enterprise")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub district_code: String,
    /// `chain_leader` or `specialised`.
    pub kind: String,
    pub name: String,
    pub uscc: String,
    pub cluster_code: Option<String>,
    pub industry_class: Option<String>,
    /// Hundredths of a 万元.
    pub scale: Option<i64>,
    pub in_city_suppliers: Option<i32>,
    pub year: i32,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
