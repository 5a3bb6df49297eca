//! A notice to one account: why (the reason code), about what (the object), on which occasion
//! (an event's seq or a deadline), with the arguments its texts are rendered from.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i32,
    pub reason: String,
    pub object_type: String,
    pub object_id: String,
    pub occasion: String,
    /// A JSON object of the texts' arguments.
    pub args: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
