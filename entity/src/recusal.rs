//! A recusal found from data (an expert's current or recent employer bid), frozen when the call's
//! bids were opened or the expert joined the panel of an opened call.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recusal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub call_id: i32,
    pub expert_id: i32,
    pub bid_id: i32,
    /// The link the data showed, e.g. "works at the bidder".
    pub reason: String,
    pub frozen_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
