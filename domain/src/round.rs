//! A round's own rules: its deadline, list size, and the selection's weights, constraint defaults
//! and scoring constants — every number marked *(ours)* in DOMAIN.md, changeable per round.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
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
                crate::msg!("field-cap-at-least-one"),
            ));
        }
        if self.max_per_cluster == Some(0) {
            errors.push(FieldError::new(
                format!("{field}.max_per_cluster"),
                crate::msg!("field-cap-at-least-one"),
            ));
        }
        if self
            .min_completeness
            .is_some_and(|m| !(0..=10_000).contains(&m))
        {
            errors.push(FieldError::new(
                format!("{field}.min_completeness"),
                crate::msg!("field-hundredths-range", min = 0, max = 10000),
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
    /// After the award: the acceptance threshold, the annual evaluation's grades, the time given
    /// to rectify.
    #[serde(default)]
    pub lifecycle: super::project::LifecycleParams,
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
        errors.extend(self.lifecycle.validate("lifecycle"));
        errors
    }
}

/// A round as stored, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub id: i32,
    pub year: i32,
    pub title: String,
    /// The deadline as an instant, and as it was set (with its offset).
    pub intake_deadline: DateTime<Utc>,
    pub intake_deadline_text: String,
    pub list_size: i32,
    pub settings: RoundSettings,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Shortest reason accepted for a change that moves the goalposts after intake opened.
pub const MIN_REASON_CHARS: usize = 10;

impl Round {
    /// What the round's history diffs: every member a user can change.
    ///
    /// # Errors
    /// Never in practice (the settings are plain data); serde's error otherwise.
    pub fn document(&self) -> Result<serde_json::Value, serde_json::Error> {
        Ok(serde_json::json!({
            "title": self.title,
            "intake_deadline": self.intake_deadline_text,
            "list_size": self.list_size,
            "settings": serde_json::to_value(&self.settings)?,
        }))
    }

    /// Whether changing `self` into `after` moves a deadline or a weight: once intake has opened
    /// (someone has filed a proposal), such a change must say why.
    pub fn moves_goalposts(&self, after: &Round) -> bool {
        self.intake_deadline != after.intake_deadline
            || self.settings.weights != after.settings.weights
    }
}

/// The reason given for a change, checked: required (at least [`MIN_REASON_CHARS`] characters)
/// when the change moves a deadline or a weight after intake opened.
///
/// # Errors
/// A [`FieldError`] on `reason`.
pub fn check_reason(needed: bool, reason: Option<&str>) -> Result<Option<String>, FieldError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match reason {
        Some(r) if r.chars().count() > 4000 => Err(FieldError::new(
            "reason",
            crate::msg!("field-at-most-chars", max = 4000),
        )),
        Some(r) if needed && r.chars().count() < MIN_REASON_CHARS => Err(FieldError::new(
            "reason",
            crate::msg!("field-reason-too-short", min = MIN_REASON_CHARS),
        )),
        None if needed => Err(FieldError::new(
            "reason",
            crate::msg!("field-reason-required", min = MIN_REASON_CHARS),
        )),
        r => Ok(r.map(str::to_owned)),
    }
}

/// Checks a round's own fields.
pub fn validate_round(year: i32, title: &str, list_size: i64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(2020..=2100).contains(&year) {
        errors.push(FieldError::new(
            "year",
            crate::msg!("field-between", min = 2020, max = 2100),
        ));
    }
    if title.trim().is_empty() || title.chars().count() > 200 {
        errors.push(FieldError::new(
            "title",
            crate::msg!("field-chars", min = 1, max = 200),
        ));
    }
    if !(1..=50).contains(&list_size) {
        errors.push(FieldError::new(
            "list_size",
            crate::msg!("field-between", min = 1, max = 50),
        ));
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
    fn a_reason_is_needed_only_for_moved_goalposts() {
        assert_eq!(check_reason(false, None), Ok(None));
        assert_eq!(check_reason(false, Some("  ")), Ok(None));
        assert!(check_reason(true, None).is_err());
        assert!(check_reason(true, Some("too short")).is_err());
        assert_eq!(
            check_reason(true, Some(" 专家组建议调整权重以突出方案完整性 ")),
            Ok(Some("专家组建议调整权重以突出方案完整性".to_owned()))
        );
    }

    #[test]
    fn round_fields() {
        let e = validate_round(1999, " ", 0);
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["year", "title", "list_size"]);
    }
}
