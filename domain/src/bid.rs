//! A bid (揭榜方案) and its receipts (DOMAIN.md §3, "Bids are sealed"): the content a bidder sends,
//! the rules it must meet, and what the opening of a call checks of each receipt.
//!
//! The content is sealed (see [`super::sealing`]); the receipt is the bidder's proof of what it
//! sent and when. A bid is replaceable until the call closes: each submission is a new receipt, and
//! the bid's content is that of its latest receipt.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::attestation::{self, AttestationInput};
use super::money::Money;
use super::sealing;
use super::FieldError;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidMilestone {
    pub name: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The uploaded document (`POST /bids/{id}/attachments`): required on every submission.
    /// Bids received before documents were kept name a file only (`name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 7)]
    pub document_id: Option<i32>,
    /// The SHA-256 of the document's version this bid attaches, 64 hex digits: the receipt then
    /// covers the file's bytes too.
    pub sha256: String,
    /// Only in bids received before documents were kept (the file stayed with the bidder); not
    /// accepted any more: the name is the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A bid's content. Sealed: stored encrypted, readable by the bidder only until the call is opened.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidContent {
    pub technical_plan: String,
    #[serde(default)]
    pub team: Vec<TeamMember>,
    /// The budget asked for, 万元.
    pub budget: Money,
    #[serde(default)]
    pub schedule: Vec<BidMilestone>,
    #[serde(default)]
    pub commitments: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Joint builders (联合建设单位) beside the bidder, each with its role: a joint bid. Sealed
    /// with the rest (who bids jointly is unknown until the opening); each must meet the call's
    /// eligibility rules as the bidder must, and the panel's conflicts consider each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joint_builders: Vec<super::builders::JointBuilder>,
    /// The truthfulness statement (真实性承诺) by a named person: required on every submission
    /// (bids received before it was asked have none). Sealed with the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<AttestationInput>,
}

/// Checks a bid's content; field names are those of [`BidContent`] (`team[i].name`, …).
pub fn validate_content(c: &BidContent) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if c.technical_plan.trim().is_empty() {
        errors.push(FieldError::new(
            "technical_plan",
            crate::msg!("field-blank"),
        ));
    }
    for (i, m) in c.team.iter().enumerate() {
        if m.name.trim().is_empty() {
            errors.push(FieldError::new(
                format!("team[{i}].name"),
                crate::msg!("field-blank"),
            ));
        }
    }
    for (i, a) in c.attachments.iter().enumerate() {
        if a.document_id.is_none() {
            errors.push(FieldError::new(
                format!("attachments[{i}].document_id"),
                crate::msg!("field-attachment-document-required"),
            ));
        }
        if a.name.is_some() {
            errors.push(FieldError::new(
                format!("attachments[{i}].name"),
                crate::msg!("field-attachment-name-not-accepted"),
            ));
        }
        if a.sha256.len() != 64 || !a.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            errors.push(FieldError::new(
                format!("attachments[{i}].sha256"),
                crate::msg!("field-hex-digits", count = 64),
            ));
        }
    }
    for w in c.schedule.windows(2) {
        if w[1].due < w[0].due {
            errors.push(FieldError::new(
                "schedule",
                crate::msg!("field-milestones-order"),
            ));
            break;
        }
    }
    errors.extend(super::builders::validate("", None, &c.joint_builders));
    errors.extend(attestation::check(c.attestation.as_ref(), "attestation"));
    errors
}

/// Associated data binding a sealed bid to its call and organisation.
pub fn aad(call_id: i32, organisation_id: i32) -> Vec<u8> {
    format!("call:{call_id}/org:{organisation_id}").into_bytes()
}

/// A bid as stored: one per organisation per call. Its content is that of its latest receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bid {
    pub id: i32,
    pub call_id: i32,
    pub organisation_id: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One accepted submission of a bid: its receipt and its sealed content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: i32,
    pub bid_id: i32,
    pub call_id: i32,
    pub organisation_id: i32,
    pub submitted_by: i32,
    /// Server time of receipt.
    pub received_at: DateTime<Utc>,
    /// SHA-256 (hex) of the canonical form of the content as sent ([`sealing::jcs`]; receipts
    /// issued before RFC 8785: [`sealing::legacy_canonical_json`]).
    pub sha256: String,
    /// Nonce and ChaCha20-Poly1305 ciphertext of those canonical bytes.
    pub sealed: Vec<u8>,
}

/// The receipt of a bid's withdrawal (before the close). The bid stays withdrawn while the
/// receipt it withdrew is its current one; a later submission reinstates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub id: i32,
    pub bid_id: i32,
    pub call_id: i32,
    /// The receipt withdrawn.
    pub receipt_id: i32,
    pub withdrawn_by: i32,
    pub withdrawn_at: DateTime<Utc>,
    /// SHA-256 of the canonical (RFC 8785) [`withdrawal_statement`].
    pub sha256: String,
}

/// What a withdrawal's receipt hashes: the bid, its call, the receipt withdrawn (id and hash) and
/// the server time, so that the bidder can show which submission it took back and when.
pub fn withdrawal_statement(
    bid_id: i32,
    call_id: i32,
    receipt: &Receipt,
    withdrawn_at: DateTime<Utc>,
) -> serde_json::Value {
    serde_json::json!({
        "bid_id": bid_id,
        "call_id": call_id,
        "withdrawn_receipt_id": receipt.id,
        "withdrawn_receipt_sha256": receipt.sha256,
        "withdrawn_at": withdrawn_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    })
}

/// What the opening found for one bid's current receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningCheck {
    pub bid_id: i32,
    /// `None` when the bid has no receipt (reported as a problem, never as a receipt 0).
    pub receipt_id: Option<i32>,
    pub sha256: Option<String>,
    /// The stored content decrypts and hashes to the receipt's SHA-256.
    pub verified: bool,
    pub problem: Option<String>,
    /// When the bid was withdrawn: a withdrawn bid is reported, never opened (its content stays
    /// sealed), and `verified` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// The record of a call's opening, stored with the call as it is serialised here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningReport {
    pub opened_at: DateTime<Utc>,
    pub opened_by: i32,
    pub bids: usize,
    pub verified: usize,
    /// Bids withdrawn before the close (counted in `bids`, not opened).
    #[serde(default)]
    pub withdrawn: usize,
    /// Every receipt, with any mismatch reported (never hidden).
    pub checks: Vec<OpeningCheck>,
}

impl OpeningReport {
    pub fn new(opened_at: DateTime<Utc>, opened_by: i32, checks: Vec<OpeningCheck>) -> Self {
        Self {
            opened_at,
            opened_by,
            bids: checks.len(),
            verified: checks.iter().filter(|c| c.verified).count(),
            withdrawn: checks.iter().filter(|c| c.withdrawn_at.is_some()).count(),
            checks,
        }
    }
}

/// Re-verifies a bid's receipt at the opening: the sealed content must open with the call's key
/// and the bid's place (`call_id`, the bid's organisation), its bytes must hash to the receipt's
/// SHA-256, and they must be a canonical form of JSON (RFC 8785, or the form of receipts issued
/// before it), so that the bidder can recompute the hash from its body. `None` when it holds;
/// else the problem, in words.
pub fn check_receipt(
    key: &[u8; 32],
    call_id: i32,
    organisation_id: i32,
    receipt: &Receipt,
) -> Option<String> {
    match sealing::unseal(key, &aad(call_id, organisation_id), &receipt.sealed) {
        Err(_) => Some(
            "the stored content does not decrypt (altered, or sealed under another key)".to_owned(),
        ),
        Ok(plain) if sealing::receipt_hash(&plain) != receipt.sha256 => {
            Some("the stored content does not hash to the receipt".to_owned())
        }
        Ok(plain) => match sealing::canonical_form(&plain) {
            Some(_) => None,
            None => Some("the stored content is not canonical JSON".to_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> BidContent {
        serde_json::from_value(serde_json::json!({
            "technical_plan": "方案",
            "budget": 900,
            "schedule": [{"name": "a", "due": "2024-06-01"}, {"name": "b", "due": "2024-12-31"}],
            "attachments": [{"document_id": 3, "sha256": "a".repeat(64)}],
            "attestation": {"statement": attestation::STATEMENT, "name": "张三"}
        }))
        .unwrap()
    }

    #[test]
    fn content_rules_name_each_bad_field() {
        assert!(validate_content(&content()).is_empty());
        let mut c = content();
        c.technical_plan = " ".into();
        c.attachments[0].sha256 = "xyz".into();
        c.attachments.push(Attachment {
            document_id: None,
            sha256: "b".repeat(64),
            name: Some("legacy.pdf".into()),
        });
        c.schedule.reverse();
        c.attestation = None;
        c.joint_builders = serde_json::from_value(serde_json::json!([
            {"organisation_id": 4, "role": "operator"},
            {"organisation_id": 4, "role": "data_provider"}
        ]))
        .unwrap();
        let fields: Vec<String> = validate_content(&c).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "technical_plan",
                "attachments[0].sha256",
                "attachments[1].document_id",
                "attachments[1].name",
                "schedule",
                "joint_builders[1].organisation_id",
                "attestation"
            ]
        );
    }

    #[test]
    fn a_receipt_verifies_only_as_sealed() {
        let key = sealing::bid_key(b"a server secret of at least 32 bytes, really", 3);
        let value: serde_json::Value =
            serde_json::from_str(r#"{"technical_plan":"方案","budget":1200.0}"#).unwrap();
        let canonical = sealing::jcs(&value).unwrap();
        assert_eq!(
            canonical,
            r#"{"budget":1200,"technical_plan":"方案"}"#.as_bytes()
        );
        let sealed = sealing::seal(&key, &aad(3, 7), &canonical).unwrap();
        let mut r = Receipt {
            id: 1,
            bid_id: 1,
            call_id: 3,
            organisation_id: 7,
            submitted_by: 1,
            received_at: DateTime::<Utc>::MIN_UTC,
            sha256: sealing::receipt_hash(&canonical),
            sealed,
        };
        assert_eq!(check_receipt(&key, 3, 7, &r), None);
        // A receipt issued before RFC 8785: the legacy form of the content with defaults filled.
        let legacy = serde_json::to_value(content()).unwrap();
        let old = Receipt {
            sha256: sealing::legacy_content_hash(&legacy),
            sealed: sealing::seal(
                &key,
                &aad(3, 7),
                sealing::legacy_canonical_json(&legacy).as_bytes(),
            )
            .unwrap(),
            ..r.clone()
        };
        assert_eq!(check_receipt(&key, 3, 7, &old), None);
        // Bytes that hash right but are not canonical are reported.
        let loose = r#"{ "technical_plan": "方案", "budget": 1200.0 }"#.as_bytes();
        let odd = Receipt {
            sha256: sealing::receipt_hash(loose),
            sealed: sealing::seal(&key, &aad(3, 7), loose).unwrap(),
            ..r.clone()
        };
        assert!(check_receipt(&key, 3, 7, &odd)
            .unwrap()
            .contains("not canonical"));
        r.sha256 = "0".repeat(64);
        assert!(check_receipt(&key, 3, 7, &r)
            .unwrap()
            .contains("does not hash"));
        assert!(check_receipt(&key, 3, 8, &r)
            .unwrap()
            .contains("does not decrypt"));
    }
}
