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

/// A run's inputs but their score cards: what the optimiser reads (the cards are the record of
/// how each candidate's scores were made). Stored apart from the cards at scale.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputsRest {
    pub weights: Weights,
    pub constraints: Constraints,
    pub pins: Vec<PanelDecision>,
    pub exclusions: Vec<PanelDecision>,
    pub candidates: Vec<Candidate>,
}

impl InputsRest {
    /// The whole inputs, with these cards.
    pub fn with_scores(self, scores: Vec<ScoreCard>) -> RunInputs {
        RunInputs {
            weights: self.weights,
            constraints: self.constraints,
            pins: self.pins,
            exclusions: self.exclusions,
            candidates: self.candidates,
            scores,
        }
    }
}

impl RunInputs {
    /// The inputs apart from their cards, and the cards.
    pub fn split(self) -> (InputsRest, Vec<ScoreCard>) {
        (
            InputsRest {
                weights: self.weights,
                constraints: self.constraints,
                pins: self.pins,
                exclusions: self.exclusions,
                candidates: self.candidates,
            },
            self.scores,
        )
    }
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

/// The name of the inputs' member that holds the score cards.
pub const SCORES: &str = "scores";

/// The canonical JSON of the object `rest` with one more member, `key`, whose value is left
/// out: the text before that value and the text after it. With the value's canonical JSON
/// between them, this is [`canonical_json`] of the whole object.
pub fn canonical_around(
    rest: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> (String, String) {
    let mut keys: Vec<&str> = rest.keys().map(String::as_str).chain([key]).collect();
    keys.sort_unstable();
    let (mut before, mut after) = (String::from("{"), String::new());
    let mut out = &mut before;
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::String(k.to_owned()).to_string());
        out.push(':');
        match rest.get(k) {
            Some(v) if k != key => out.push_str(&canonical_json(v)),
            _ => out = &mut after,
        }
    }
    after.push('}');
    (before, after)
}

/// Appends the canonical JSON of a score card (what [`canonical_json`] makes of its JSON value,
/// written straight from the struct: at scale the cards are most of a run's inputs).
pub fn write_card(card: &ScoreCard, out: &mut Vec<u8>) {
    fn text(s: &str, out: &mut Vec<u8>) {
        // Writing JSON text into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
    fn int(n: i64, out: &mut Vec<u8>) {
        out.extend_from_slice(n.to_string().as_bytes());
    }
    fn score(s: &super::score::Score, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"parts\":[");
        for (i, p) in s.parts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"key\":");
            text(&p.key, out);
            out.extend_from_slice(b",\"label\":");
            text(&p.label, out);
            out.extend_from_slice(b",\"max\":");
            int(p.max, out);
            out.extend_from_slice(b",\"points\":");
            int(p.points, out);
            out.extend_from_slice(b",\"reason\":");
            text(&p.reason, out);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"total\":");
        int(s.total, out);
        out.push(b'}');
    }
    out.extend_from_slice(b"{\"completeness\":");
    score(&card.completeness, out);
    out.extend_from_slice(b",\"id\":");
    int(i64::from(card.id), out);
    out.extend_from_slice(b",\"layout\":");
    score(&card.layout, out);
    out.extend_from_slice(b",\"representativeness\":");
    score(&card.representativeness, out);
    out.extend_from_slice(b",\"weighted_total\":");
    int(card.weighted_total, out);
    out.push(b'}');
}

/// SHA-256 (hex) of `before`, then everything `middle` reads, then `after`: the inputs hash of a
/// run whose cards are stored apart (see [`canonical_around`]), without holding their text.
///
/// # Errors
/// What reading `middle` fails with.
pub fn hash_spliced(
    before: &str,
    middle: impl std::io::Read,
    after: &str,
) -> std::io::Result<String> {
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(Sha256::new());
    h.0.update(before.as_bytes());
    let mut middle = middle;
    std::io::copy(&mut middle, &mut h)?;
    h.0.update(after.as_bytes());
    Ok(hex::encode(h.0.finalize()))
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
    fn inputs_stored_apart_from_their_cards_hash_as_the_whole() {
        use super::super::score::{Score, ScorePart};
        use super::super::selection::Region;
        let part = |key: &str, reason: &str| ScorePart {
            key: key.into(),
            label: "标签 \"quoted\" \\ back/slash".into(),
            points: 5,
            max: 10,
            reason: reason.into(),
        };
        let score = |total| Score {
            total,
            parts: vec![
                part("a_key", "full marks"),
                part("b", "失分\n原因\u{1}\u{2028}"),
            ],
        };
        let card = |id, total| ScoreCard {
            id,
            completeness: score(1),
            representativeness: score(2),
            layout: Score {
                total: 0,
                parts: vec![],
            },
            weighted_total: total,
        };
        let candidate = |id| Candidate {
            id,
            district: "500105".into(),
            region: Region::MainUrban,
            cluster: "c".into(),
            model: "third_party".into(),
            scores: [1, 2, 0],
            sealed_at: -3,
        };
        let decision = |id| PanelDecision {
            proposal_id: id,
            justification: "一个足够长的理由，写满二十个字以上才算数呢。".into(),
        };
        for scores in [
            vec![],
            vec![card(7, 70)],
            vec![card(7, -1), card(-9, 1 << 40)],
        ] {
            let inputs = RunInputs {
                weights: Weights {
                    completeness: 40,
                    representativeness: 30,
                    layout: 30,
                },
                constraints: Constraints::default(),
                pins: vec![decision(7)],
                exclusions: vec![decision(-9)],
                candidates: vec![candidate(7), candidate(-9)],
                scores,
            };
            let whole = hash(&serde_json::to_value(&inputs).unwrap());
            let (rest, cards) = inputs.split();
            let rest = serde_json::to_value(&rest).unwrap();
            let (before, after) = canonical_around(rest.as_object().unwrap(), SCORES);
            let mut middle = b"[".to_vec();
            for (i, c) in cards.iter().enumerate() {
                if i > 0 {
                    middle.push(b',');
                }
                write_card(c, &mut middle);
            }
            middle.push(b']');
            assert_eq!(
                String::from_utf8(middle.clone()).unwrap(),
                canonical_json(&serde_json::to_value(&cards).unwrap())
            );
            assert_eq!(hash_spliced(&before, &middle[..], &after).unwrap(), whole);
            assert_ne!(hash_spliced(&before, &b"[]x"[..], &after).unwrap(), whole);
        }
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
