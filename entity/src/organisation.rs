//! An applicant organisation (建设主体 / 揭榜方).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    /// 统一社会信用代码, 18 characters, unique.
    #[sea_orm(unique)]
    pub uscc: String,
    pub district_code: String,
    /// Registered capital (注册资本) in hundredths of 万元, when known.
    pub registered_capital: Option<i64>,
    /// The organisation's type (`OrganisationKind` as text): district_platform, chain_leader,
    /// third_party_platform or other.
    pub kind: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
