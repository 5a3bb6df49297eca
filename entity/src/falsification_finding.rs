//! A finding of falsification (弄虚作假) against a proposal, a bid or a project: the
//! commission's, with its reason and evidence; public once final.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "falsification_finding")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `proposal`, `bid` or `project`.
    pub subject_type: String,
    pub subject_id: i32,
    pub reason: String,
    pub evidence: String,
    /// `draft` or `final`.
    pub status: String,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub finalised_by: Option<i32>,
    pub finalised_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
