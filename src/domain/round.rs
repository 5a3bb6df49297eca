//! A round's own rules: its deadline, list size, and the selection's weights, constraint defaults
//! and scoring constants — every number marked *(ours)* in DOMAIN.md, changeable per round.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::proposal::ConstructionModel;
use super::score::ScoringParams;
use super::FieldError;

pub use super::selection::Weights;

fn one() -> Option<u32> {
    Some(1)
}

fn yes() -> bool {
    true
}

/// The round's default constraints for a selection run; a run may override each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConstraintDefaults {
    /// At most this many per district (default 1; null = no cap).
    #[serde(default = "one")]
    pub max_per_district: Option<u32>,
    /// At most this many per cluster, "one brain per industry" (default 1; null = no cap).
    #[serde(default = "one")]
    pub max_per_cluster: Option<u32>,
    /// At least one from each region of 一区两群 that has an admissible proposal (default true).
    #[serde(default = "yes")]
    pub each_region: bool,
    /// Completeness floor in hundredths of a point (default none).
    #[serde(default)]
    pub min_completeness: Option<i64>,
    /// Minimum chosen per construction model (default none).
    #[serde(default)]
    pub min_per_model: BTreeMap<ConstructionModel, u32>,
}

impl Default for ConstraintDefaults {
    fn default() -> Self {
        Self {
            max_per_district: one(),
            max_per_cluster: one(),
            each_region: true,
            min_completeness: None,
            min_per_model: BTreeMap::new(),
        }
    }
}

impl ConstraintDefaults {
    pub fn validate(&self, field: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.max_per_district == Some(0) {
            errors.push(FieldError::new(
                format!("{field}.max_per_district"),
                "must be at least 1, or null for no cap",
            ));
        }
        if self.max_per_cluster == Some(0) {
            errors.push(FieldError::new(
                format!("{field}.max_per_cluster"),
                "must be at least 1, or null for no cap",
            ));
        }
        if self
            .min_completeness
            .is_some_and(|m| !(0..=10_000).contains(&m))
        {
            errors.push(FieldError::new(
                format!("{field}.min_completeness"),
                "must be between 0 and 10000 (hundredths of a point)",
            ));
        }
        errors
    }
}

/// Everything a round decides about selection, stored with the round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundSettings {
    #[serde(default)]
    pub weights: Weights,
    #[serde(default)]
    pub constraints: ConstraintDefaults,
    #[serde(default)]
    pub scoring: ScoringParams,
}

impl RoundSettings {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(e) = self.weights.validate() {
            errors.push(FieldError::new("weights", e));
        }
        errors.extend(self.constraints.validate("constraints"));
        errors.extend(
            self.scoring
                .validate()
                .into_iter()
                .map(|e| FieldError::new(format!("scoring.{}", e.field), e.message)),
        );
        errors
    }
}

/// Checks a round's own fields.
pub fn validate_round(year: i32, title: &str, list_size: i64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(2020..=2100).contains(&year) {
        errors.push(FieldError::new("year", "must be between 2020 and 2100"));
    }
    if title.trim().is_empty() || title.chars().count() > 200 {
        errors.push(FieldError::new("title", "must be 1–200 characters"));
    }
    if !(1..=50).contains(&list_size) {
        errors.push(FieldError::new("list_size", "must be between 1 and 50"));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_settings_are_valid() {
        assert!(RoundSettings::default().validate().is_empty());
    }

    #[test]
    fn round_fields() {
        let e = validate_round(1999, " ", 0);
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["year", "title", "list_size"]);
    }
}
