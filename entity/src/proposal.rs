//! A proposal: the intention form (附件1) and the preliminary construction plan (附件2).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "proposal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub status: String,
    /// The district that reviews and seals it (from the form; fixed once submitted).
    pub district_code: String,
    pub cluster_code: Option<String>,
    /// The applicant organisation that owns it, or none when a district officer filed it.
    pub owner_organisation_id: Option<i32>,
    pub created_by: i32,
    /// JSON of `domain::proposal::ProposalForm`.
    pub form: Json,
    /// JSON of `domain::proposal::ProposalPlan`.
    pub plan: Json,
    /// Incremented on every change; the ETag.
    pub version: i32,
    pub submitted_at: Option<DateTimeUtc>,
    pub sealed_at: Option<DateTimeUtc>,
    pub sealed_by: Option<i32>,
    pub seal_statement: Option<String>,
    /// Reasons of the last return or eligibility decision.
    pub reasons: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// JSON of `domain::attestation::Attestation`: the truthfulness statement of the latest
    /// submission (none before the first, and for proposals submitted before it was asked).
    pub attestation: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
