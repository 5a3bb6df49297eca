//! Documents (issue 16 item 1): the files the notice asks for — a proposal's 意向表 and 方案
//! scans, a bid's attachments, a project's task agreement, acceptance evidence and evaluation
//! reports, a finding's evidence. Each document belongs to one object and is read by whoever may
//! read that object; a new upload of the same document is a new version, and every version stays
//! readable.
//!
//! The media type is sniffed from the bytes ([`sniff`]); what the client declares is not
//! trusted. Each kind admits a set of media types ([`allowed_media`]) and has a size limit (a
//! setting, [`Limits`]).
//!
//! A bid's attachments are sealed with the bid ([`is_sealed`]): encrypted at rest under the
//! bid's key, readable before the opening by the bidder only ([`bid_reader`]).

use chrono::{DateTime, Utc};

use super::role::Role;
use super::FieldError;

/// A document as stored: its owner, kind, and the number of its latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i32,
    pub owner_type: OwnerType,
    pub owner_id: i32,
    pub kind: DocumentKind,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    /// The latest version's number (1 for a new document); the ETag's version.
    pub version: i32,
}

/// One uploaded version of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: i32,
    pub document_id: i32,
    pub number: i32,
    pub name: String,
    /// Sniffed from the bytes.
    pub media_type: String,
    /// Bytes of the file (before any sealing).
    pub size: i64,
    /// Hex SHA-256 of the file (before any sealing).
    pub sha256: String,
    /// The object's key in the store.
    pub object_key: String,
    /// The sealing key's version when the object is encrypted.
    pub sealed_key_version: Option<i32>,
    pub uploaded_by: i32,
    pub uploader_organisation_id: Option<i32>,
    pub uploaded_at: DateTime<Utc>,
}

text_enum!(
    /// What a document is, which decides its owner, its media types and its size limit.
    DocumentKind {
        /// A proposal's 意向表 (附件1), scanned and signed.
        IntentForm,
        /// A proposal's 建设方案 (附件2), scanned.
        Plan,
        /// A bid's attachment (sealed with the bid until the opening).
        BidAttachment,
        /// A project's 任务书 as signed.
        TaskAgreement,
        /// Evidence for a project's acceptance (验收).
        AcceptanceEvidence,
        /// An evaluation report on a project.
        EvaluationReport,
        /// Evidence of a finding of falsification.
        FindingEvidence,
    }
);

text_enum!(
    /// The kinds of object a document belongs to.
    OwnerType {
        Proposal,
        Bid,
        Project,
        Finding,
    }
);

impl DocumentKind {
    /// The kind of object documents of this kind belong to.
    pub fn owner(self) -> OwnerType {
        match self {
            Self::IntentForm | Self::Plan => OwnerType::Proposal,
            Self::BidAttachment => OwnerType::Bid,
            Self::TaskAgreement | Self::AcceptanceEvidence | Self::EvaluationReport => {
                OwnerType::Project
            }
            Self::FindingEvidence => OwnerType::Finding,
        }
    }
}

/// Whether documents of this kind are sealed (encrypted at rest, hidden until the opening).
pub fn is_sealed(kind: DocumentKind) -> bool {
    kind == DocumentKind::BidAttachment
}

pub const PDF: &str = "application/pdf";
pub const PNG: &str = "image/png";
pub const JPEG: &str = "image/jpeg";
pub const TIFF: &str = "image/tiff";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
pub const DOC: &str = "application/msword";
pub const XLS: &str = "application/vnd.ms-excel";
pub const PPT: &str = "application/vnd.ms-powerpoint";

const SCANS: &[&str] = &[PDF, PNG, JPEG, TIFF];
const OFFICE: &[&str] = &[PDF, PNG, JPEG, TIFF, DOCX, XLSX, PPTX, DOC, XLS, PPT];

/// The media types a kind admits: scans (PDF and images) for signed forms and agreements; office
/// documents too for plans, attachments, evidence and reports.
pub fn allowed_media(kind: DocumentKind) -> &'static [&'static str] {
    match kind {
        DocumentKind::IntentForm | DocumentKind::TaskAgreement => SCANS,
        DocumentKind::Plan
        | DocumentKind::BidAttachment
        | DocumentKind::AcceptanceEvidence
        | DocumentKind::EvaluationReport
        | DocumentKind::FindingEvidence => OFFICE,
    }
}

/// The media type of `bytes` from their magic numbers, or `None` when no known type matches.
/// Office files are recognised by their container (OOXML zip parts, OLE compound files).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    infer::get(bytes).map(|t| t.mime_type())
}

/// Checks the sniffed type against the kind.
///
/// # Errors
/// A [`FieldError`] on `body` naming the types admitted.
pub fn check_media(kind: DocumentKind, sniffed: Option<&str>) -> Result<&'static str, FieldError> {
    let allowed = allowed_media(kind);
    match sniffed.and_then(|s| allowed.iter().find(|a| **a == s)) {
        Some(t) => Ok(t),
        None => Err(FieldError::new(
            "body",
            match sniffed {
                Some(t) => crate::msg!(
                    "field-media-type",
                    sniffed = t,
                    kind = kind,
                    allowed = allowed.join(", ")
                ),
                None => crate::msg!(
                    "field-media-type-unknown",
                    kind = kind,
                    allowed = allowed.join(", ")
                ),
            },
        )),
    }
}

/// The longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Checks a file name: not blank, no path, no control characters, at most
/// [`MAX_NAME_CHARS`] characters. Returns it trimmed.
///
/// # Errors
/// A [`FieldError`] on `name`.
pub fn check_name(name: &str) -> Result<String, FieldError> {
    let n = name.trim();
    let bad = |m: crate::msg::Msg| Err(FieldError::new("name", m));
    if n.is_empty() {
        return bad(crate::msg!("field-blank"));
    }
    if n.chars().count() > MAX_NAME_CHARS {
        return bad(crate::msg!("field-at-most-chars", max = MAX_NAME_CHARS));
    }
    if n.contains(['/', '\\']) || n == "." || n == ".." {
        return bad(crate::msg!("field-file-name-path"));
    }
    if n.chars().any(char::is_control) {
        return bad(crate::msg!("field-control-characters"));
    }
    Ok(n.to_owned())
}

/// The size limit of each kind, in bytes (the `documents.max_bytes_*` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub proposal: u64,
    pub bid: u64,
    pub project: u64,
    pub finding: u64,
}

impl Limits {
    /// The limit for a kind, by its owner.
    pub fn of(&self, kind: DocumentKind) -> u64 {
        match kind.owner() {
            OwnerType::Proposal => self.proposal,
            OwnerType::Bid => self.bid,
            OwnerType::Project => self.project,
            OwnerType::Finding => self.finding,
        }
    }

    /// The setting that holds a kind's limit.
    pub fn setting(kind: DocumentKind) -> &'static str {
        match kind.owner() {
            OwnerType::Proposal => "documents.max_bytes_proposal",
            OwnerType::Bid => "documents.max_bytes_bid",
            OwnerType::Project => "documents.max_bytes_project",
            OwnerType::Finding => "documents.max_bytes_finding",
        }
    }
}

/// How one reader may read a bid's attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BidFacts {
    /// The reader is of the bidder's organisation.
    pub own: bool,
    /// The call's bids are opened.
    pub opened: bool,
    /// The bid is withdrawn (its content then stays with its bidder).
    pub withdrawn: bool,
    /// For an expert: on the call's panel and not recused from this bid.
    pub on_panel: bool,
}

/// Whether `role` may read a bid's attachments: the bidder always; after the opening the
/// commission and the panel's experts not recused, unless the bid was withdrawn. Nobody else,
/// ever; before the opening nobody but the bidder learns that an attachment exists.
pub fn bid_reader(role: Role, f: BidFacts) -> bool {
    match role {
        Role::Applicant => f.own,
        Role::Commission => f.opened && !f.withdrawn,
        Role::Expert => f.on_panel && f.opened && !f.withdrawn,
        _ => false,
    }
}

/// The associated data binding a sealed attachment's bytes to its call, bidder and object, so
/// bytes moved to another object do not open.
pub fn sealed_aad(call_id: i32, organisation_id: i32, object_key: &str) -> Vec<u8> {
    format!("call:{call_id}/org:{organisation_id}/document:{object_key}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_BYTES: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52,
    ];

    #[test]
    fn the_bytes_decide_the_type_not_the_name() {
        assert_eq!(sniff(PNG_BYTES), Some(PNG));
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Some(PDF));
        assert_eq!(sniff(b"just some text"), None);
        assert_eq!(check_media(DocumentKind::IntentForm, Some(PNG)), Ok(PNG));
        let err = check_media(DocumentKind::IntentForm, None).unwrap_err();
        assert_eq!(err.field, "body");
        assert!(
            err.message
                .arg("allowed")
                .is_some_and(|a| a.contains("application/pdf")),
            "{:?}",
            err.message
        );
        // A zip that is no office document is refused everywhere.
        assert!(check_media(DocumentKind::BidAttachment, Some("application/zip")).is_err());
        assert!(check_media(DocumentKind::IntentForm, Some(DOCX)).is_err());
        assert_eq!(check_media(DocumentKind::Plan, Some(DOCX)), Ok(DOCX));
    }

    #[test]
    fn names_are_file_names() {
        assert_eq!(check_name(" 方案.pdf ").as_deref(), Ok("方案.pdf"));
        for bad in ["", "  ", "../x.pdf", "a/b.pdf", "a\\b", "a\nb", ".."] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name(&"x".repeat(201)).is_err());
        assert!(check_name(&"字".repeat(200)).is_ok());
    }

    #[test]
    fn each_kind_has_one_owner_and_only_attachments_are_sealed() {
        use strum::VariantArray;
        for k in DocumentKind::VARIANTS {
            assert_eq!(is_sealed(*k), k.owner() == OwnerType::Bid);
            assert!(allowed_media(*k).contains(&PDF));
        }
        let l = Limits {
            proposal: 1,
            bid: 2,
            project: 3,
            finding: 4,
        };
        assert_eq!(l.of(DocumentKind::BidAttachment), 2);
        assert_eq!(l.of(DocumentKind::EvaluationReport), 3);
        assert_eq!(
            Limits::setting(DocumentKind::Plan),
            "documents.max_bytes_proposal"
        );
    }

    #[test]
    fn a_bid_attachment_is_the_bidders_until_the_opening() {
        let f = |own, opened, withdrawn, on_panel| BidFacts {
            own,
            opened,
            withdrawn,
            on_panel,
        };
        assert!(bid_reader(Role::Applicant, f(true, false, false, false)));
        assert!(bid_reader(Role::Applicant, f(true, true, true, false)));
        assert!(!bid_reader(Role::Applicant, f(false, true, false, false)));
        assert!(!bid_reader(Role::Commission, f(false, false, false, false)));
        assert!(bid_reader(Role::Commission, f(false, true, false, false)));
        assert!(!bid_reader(Role::Commission, f(false, true, true, false)));
        assert!(!bid_reader(Role::Expert, f(false, false, false, true)));
        assert!(bid_reader(Role::Expert, f(false, true, false, true)));
        assert!(!bid_reader(Role::Expert, f(false, true, false, false)));
        assert!(!bid_reader(Role::District, f(false, true, false, true)));
        assert!(!bid_reader(Role::Platform, f(false, true, false, true)));
    }
}
