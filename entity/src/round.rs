//! A yearly round (年度批次) of the competition.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "round")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub year: i32,
    pub title: String,
    /// The intake deadline as given (RFC 3339 with its offset), for display.
    pub intake_deadline_text: String,
    /// The intake deadline in UTC, for comparisons.
    pub intake_deadline: DateTimeUtc,
    pub list_size: i32,
    /// Scoring parameters, weights and constraint defaults (JSON of `domain::round::RoundSettings`).
    pub settings: Json,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
