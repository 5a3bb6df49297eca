//! A joint builder of an opened bid (the bidder itself is the bid's organisation), in the order
//! the bid names them: written at the opening from the unsealed content, never changed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub bid_id: i32,
    pub call_id: i32,
    pub organisation_id: i32,
    /// The joint builder's role (`BuilderRole` as text).
    pub role: String,
    /// Its place in the bid's list, from 0.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
