//! The receipt of a bid's withdrawal: the receipt it withdrew, when and by whom, and the SHA-256
//! of its canonical statement. Never changed; a later submission reinstates the bid.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_withdrawal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub bid_id: i32,
    pub call_id: i32,
    /// The receipt withdrawn (the bid's current one at the time).
    pub receipt_id: i32,
    pub withdrawn_by: i32,
    pub withdrawn_at: DateTimeUtc,
    pub sha256: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
