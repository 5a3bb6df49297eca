//! Exact selection of the list of industry-brain proposals.
//!
//! [`solve()`] chooses exactly `list_size` admissible proposals maximising the
//! sum of weighted totals under the round's constraints (district and
//! cluster caps, one per region, completeness floor, model minimums, pins and
//! exclusions), by an integer program (good_lp with the pure-Rust microlp
//! backend), and breaks ties by the stated [`TIE_RULE`]. [`explain()`] says why:
//! margins of the chosen, reasons and forcing costs of the left-out, and how
//! far each weight can move before the list changes.
//!
//! Everything that decides is an exact integer: scores and weights are in
//! hundredths, totals in 1e-4 point. The solver's floating-point answers are
//! only proposals, rounded and re-checked in integers. Exact reductions (see
//! `model::reduce`) keep the integer program at a few dozen variables however
//! large the pool, so solve time stays flat as the pool grows.

pub mod bench;
mod diagnose;
mod explain;
mod model;
mod solve;
mod types;

#[cfg(test)]
mod tests;

pub use explain::{explain, FORCING_COST_COUNT};
pub use solve::solve;
pub use types::{
    Candidate, Change, Chosen, ChosenExplanation, Constraints, Explanation, ForcingCost,
    Infeasible, LeftOut, LeftOutReason, Region, Relaxation, RelaxationOp, RelaxationTarget,
    Solution, SolveStats, WeightInterval, WeightName, Weights, MAX_LIST_SIZE, MAX_SCORE,
    MIN_LIST_SIZE, TIE_RULE, UNITS_PER_POINT,
};
