//! A call (揭榜) for one list item: organisations bid to build it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "call")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub list_item_id: i32,
    /// The stored status; time-driven moves (open, closed) are derived at each request.
    pub status: String,
    pub requirements: String,
    /// JSON of `domain::call::Eligibility`.
    pub eligibility: Json,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub winners: i32,
    pub notice_days: i32,
    /// JSON array of `domain::call::Criterion`.
    pub rubric: Json,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub opened_by: Option<i32>,
    pub opened_at: Option<DateTimeUtc>,
    /// What the opening found (hash verification per receipt).
    pub opening_report: Option<Json>,
    pub notice_started_at: Option<DateTimeUtc>,
    pub notice_ends_at: Option<DateTimeUtc>,
    /// `{bid_ids, note}` of the award under notice or made.
    pub award: Option<Json>,
    pub finalized_at: Option<DateTimeUtc>,
    /// Reasons for `unsuccessful` or `cancelled`.
    pub reasons: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
