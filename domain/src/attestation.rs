//! Attestation (真实性承诺): a submission of a proposal or a bid carries an explicit truthfulness
//! statement by a named person; a later finding of falsification (弄虚作假) by the commission
//! marks the proposal, bid or project, and is public once final.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldError;

/// The statement a submitter makes, word for word (the notice's 真实性承诺).
pub const STATEMENT: &str = "对建设方案的真实性负责，严禁弄虚作假";

/// The truthfulness statement as sent with a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttestationInput {
    /// Exactly `对建设方案的真实性负责，严禁弄虚作假`.
    pub statement: String,
    /// The person making it (the organisation's legal or authorised representative).
    pub name: String,
    /// Their position, e.g. 法定代表人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
}

/// A statement as stored with a submission: what was sent, by which account, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    pub statement: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    pub account_id: i32,
    pub at: DateTime<Utc>,
}

/// Checks a statement; `field` prefixes the names of bad fields (`attestation`).
pub fn check(a: Option<&AttestationInput>, field: &str) -> Vec<FieldError> {
    let Some(a) = a else {
        return vec![FieldError::new(
            field,
            crate::msg!("field-statement-required", statement = STATEMENT),
        )];
    };
    let mut errors = Vec::new();
    if a.statement.trim() != STATEMENT {
        errors.push(FieldError::new(
            format!("{field}.statement"),
            crate::msg!("field-statement-exact", statement = STATEMENT),
        ));
    }
    let name = a.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            format!("{field}.name"),
            crate::msg!("field-statement-name"),
        ));
    }
    if a.position
        .as_deref()
        .is_some_and(|p| p.trim().is_empty() || p.chars().count() > 100)
    {
        errors.push(FieldError::new(
            format!("{field}.position"),
            crate::msg!("field-chars-when-given", min = 1, max = 100),
        ));
    }
    errors
}

impl Attestation {
    pub fn new(input: AttestationInput, account_id: i32, at: DateTime<Utc>) -> Self {
        Self {
            statement: input.statement.trim().to_owned(),
            name: input.name.trim().to_owned(),
            position: input.position.map(|p| p.trim().to_owned()),
            account_id,
            at,
        }
    }
}

text_enum!(
    /// What a finding of falsification concerns.
    FindingSubject {
        Proposal,
        Bid,
        Project,
    }
);

text_enum!(
    /// A finding's state: the commission's draft, then final (public, unchangeable).
    FindingStatus {
        Draft,
        Final,
    }
);

/// A finding of falsification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub id: i32,
    pub subject: FindingSubject,
    pub subject_id: i32,
    pub reason: String,
    pub evidence: String,
    pub status: FindingStatus,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    pub finalised_by: Option<i32>,
    pub finalised_at: Option<DateTime<Utc>>,
}

/// Checks a finding's text: a reason and the evidence, neither blank.
pub fn check_finding(reason: &str, evidence: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if reason.trim().is_empty() {
        errors.push(FieldError::new("reason", crate::msg!("field-blank")));
    }
    if evidence.trim().is_empty() {
        errors.push(FieldError::new(
            "evidence",
            crate::msg!("field-evidence-blank"),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(statement: &str, name: &str) -> AttestationInput {
        AttestationInput {
            statement: statement.into(),
            name: name.into(),
            position: None,
        }
    }

    #[test]
    fn a_statement_is_required_word_for_word_with_a_name() {
        assert!(check(Some(&input(STATEMENT, "张三")), "attestation").is_empty());
        let fields = |a: Option<&AttestationInput>| -> Vec<String> {
            check(a, "attestation")
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields(None), ["attestation"]);
        assert_eq!(
            fields(Some(&input("我保证", " "))),
            ["attestation.statement", "attestation.name"]
        );
    }

    #[test]
    fn a_finding_needs_a_reason_and_evidence() {
        assert!(check_finding("虚报产值", "审计报告第3页").is_empty());
        let fields: Vec<String> = check_finding(" ", "")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["reason", "evidence"]);
    }
}
