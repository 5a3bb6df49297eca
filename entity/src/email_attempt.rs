//! One attempt to send an email: when, how long, the error if it failed, the next try.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_attempt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email_id: i64,
    pub number: i32,
    pub at: DateTimeUtc,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub next_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
