//! A selection run as a value: its inputs (frozen at the moment of the run), their hash, and
//! the solve with its explanation. Replaying a run re-solves the frozen inputs, not today's data.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use std::collections::HashMap;

use super::layout::{no_map_warnings, ScoreWarning};
use super::pool::ScoreCard;
use super::selection::{
    explain, solve, Candidate, Constraints, Explanation, Infeasible, Solution, Weights,
};
use super::FieldError;

/// Shortest written justification for a panel pin or exclusion.
pub const MIN_JUSTIFICATION_CHARS: usize = 20;

/// A panel decision to force a proposal in or out, with its written justification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelDecision {
    pub proposal_id: i32,
    /// At least 20 characters, stored with the run.
    pub justification: String,
}

/// Everything a run depends on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunInputs {
    pub weights: Weights,
    /// The constraints as solved (pins and exclusions included by id).
    pub constraints: Constraints,
    pub pins: Vec<PanelDecision>,
    pub exclusions: Vec<PanelDecision>,
    /// The eligible pool as the optimiser saw it.
    pub candidates: Vec<Candidate>,
    /// Each candidate's scores with their parts, as computed at the run.
    pub scores: Vec<ScoreCard>,
}

/// The outcome of a solved run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RunResult {
    pub solution: Solution,
    pub explanation: Explanation,
}

/// Checks the panel's decisions against the pool; field names are `pins[i]…`/`exclusions[i]…`.
pub fn check_panel(
    pins: &[PanelDecision],
    exclusions: &[PanelDecision],
    pool: &[Candidate],
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (list, decisions) in [("pins", pins), ("exclusions", exclusions)] {
        for (i, d) in decisions.iter().enumerate() {
            if d.justification.trim().chars().count() < MIN_JUSTIFICATION_CHARS {
                errors.push(FieldError::new(
                    format!("{list}[{i}].justification"),
                    crate::msg!("field-justification-short", min = MIN_JUSTIFICATION_CHARS),
                ));
            }
            if !pool.iter().any(|c| c.id == d.proposal_id) {
                errors.push(FieldError::new(
                    format!("{list}[{i}].proposal_id"),
                    crate::msg!("field-not-in-pool", id = d.proposal_id),
                ));
            }
        }
    }
    for (i, p) in pins.iter().enumerate() {
        if exclusions.iter().any(|e| e.proposal_id == p.proposal_id) {
            errors.push(FieldError::new(
                format!("pins[{i}].proposal_id"),
                crate::msg!("field-pinned-and-excluded"),
            ));
        }
    }
    errors
}

/// JSON with object keys sorted at every level: the same inputs always hash the same.
pub fn canonical_json(v: &serde_json::Value) -> String {
    fn write(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String((*k).clone()).to_string());
                    out.push(':');
                    if let Some(x) = m.get(*k) {
                        write(x, out);
                    }
                }
                out.push('}');
            }
            serde_json::Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// SHA-256 (hex) of the canonical JSON.
pub fn hash(v: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(canonical_json(v).as_bytes()))
}

/// Solves and explains.
///
/// # Errors
/// [`Infeasible`] with the conflicting constraints and the single relaxations that would help.
pub fn run(inputs: &RunInputs) -> Result<RunResult, Infeasible> {
    let solution = solve(&inputs.candidates, &inputs.weights, &inputs.constraints)?;
    let explanation = explain(
        &inputs.candidates,
        &inputs.weights,
        &inputs.constraints,
        &solution,
    );
    Ok(RunResult {
        solution,
        explanation,
    })
}

/// What the panel should know about the run's scores (e.g. a district without an industry map),
/// read from the frozen inputs.
pub fn warnings(inputs: &RunInputs) -> Vec<ScoreWarning> {
    let districts: HashMap<i32, &str> = inputs
        .candidates
        .iter()
        .map(|c| (c.id, c.district.as_str()))
        .collect();
    no_map_warnings(inputs.scores.iter().filter_map(|card| {
        districts
            .get(&card.id)
            .map(|&district| (card.id, district, &card.layout))
    }))
}

/// A solver failure reported through `Infeasible` (not the user's constraints).
pub fn is_internal(e: &Infeasible) -> bool {
    e.conflicts.iter().any(|c| c.starts_with("internal:"))
}

/// Writes units of 1e-4 point as points with two decimals ("82.15"), rounding half up.
pub use super::score::units_rounded_text as points;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_everywhere() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b":1,"a":{"d":[{"y":1,"x":2}],"c":null}}"#).unwrap();
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1}"#
        );
        let b: serde_json::Value =
            serde_json::from_str(r#"{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1}"#).unwrap();
        assert_eq!(hash(&a), hash(&b));
    }

    #[test]
    fn panel_decisions_need_reasons_and_pool_members() {
        let pool = vec![Candidate {
            id: 1,
            district: "500105".into(),
            region: super::super::selection::Region::MainUrban,
            cluster: "c".into(),
            model: "third_party".into(),
            scores: [0, 0, 0],
            sealed_at: 0,
        }];
        let pins = vec![PanelDecision {
            proposal_id: 1,
            justification: "too short".into(),
        }];
        let exclusions = vec![PanelDecision {
            proposal_id: 9,
            justification: "a justification long enough to stand".into(),
        }];
        let fields: Vec<String> = check_panel(&pins, &exclusions, &pool)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["pins[0].justification", "exclusions[0].proposal_id"]
        );
    }
}
