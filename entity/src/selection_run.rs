//! One run of the selection: its inputs as they were, the solver, and the result.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "selection_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    /// Everything the solve used (candidates with their scores, weights, constraints, pins and
    /// exclusions with justifications); without `scores` when `scores_z` holds them.
    pub inputs: Json,
    /// SHA-256 of the canonical inputs, hex.
    pub inputs_hash: String,
    pub solver: String,
    pub solver_version: String,
    /// `solved` or `infeasible`.
    pub outcome: String,
    /// Sum of the chosen weighted totals, units of 1e-4 point.
    pub objective: Option<i64>,
    /// The solution, explanation and score parts (or the infeasibility report).
    pub result: Json,
    /// zlib of the canonical JSON of the inputs' `scores` (runs stored since migration 22).
    pub scores_z: Option<Vec<u8>>,
    /// What a read shows without the pool: `{chosen, chosen_cards, warnings}` (since migration 22).
    pub shown: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
