//! An enquiry (答疑/澄清) on a call: the question, who asked (the commission's to know), the
//! answer, and the call's close before and after when the answer amended the call.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enquiry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub call_id: i32,
    pub asked_by: i32,
    pub organisation_id: Option<i32>,
    pub question: String,
    pub asked_at: DateTimeUtc,
    pub answer: Option<String>,
    pub answered_by: Option<i32>,
    pub answered_at: Option<DateTimeUtc>,
    pub closes_at_before: Option<DateTimeUtc>,
    pub closes_at_after: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
