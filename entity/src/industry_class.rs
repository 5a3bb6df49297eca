//! A GB/T 4754-2017 industry class: 大类 (2 digits), 中类 (3), 小类 (4).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "industry_class")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    /// 1 = 大类, 2 = 中类, 3 = 小类.
    pub level: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
