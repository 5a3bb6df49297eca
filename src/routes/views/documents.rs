//! Request and response types of documents.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::documents::DocumentRead;
use crate::domain::document::{DocumentKind, OwnerType, Version};

/// The file's bytes, sent as `application/octet-stream` (the media type is sniffed from them).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// The kinds a proposal's documents may be (the others belong to bids, projects and findings):
/// the schema of `kind` on a proposal's upload; a test holds it to the domain's kinds.
#[derive(ToSchema, strum::VariantArray, strum::IntoStaticStr)]
#[schema(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ProposalDocumentKind {
    IntentForm,
    Plan,
}

/// A new document of a proposal.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewProposalDocument {
    /// `intent_form` (意向表) or `plan` (方案).
    #[param(value_type = ProposalDocumentKind, inline)]
    pub kind: DocumentKind,
    /// The file name, e.g. `意向表.pdf` (kept as given; the type comes from the bytes).
    #[param(
        max_length = 200,
        pattern = r"^[^/\\\x00-\x1f\x7f-\x9f]*[^/\\\s.\x00-\x1f\x7f-\x9f][^/\\\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
}

/// The kinds of document a project takes.
#[derive(ToSchema, strum::VariantArray, strum::IntoStaticStr)]
#[schema(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ProjectDocumentKind {
    TaskAgreement,
    AcceptanceEvidence,
    EvaluationReport,
}

/// A new document of a project.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewProjectDocument {
    /// `task_agreement` (任务书 as signed), `acceptance_evidence` (验收 evidence) or
    /// `evaluation_report` (an evaluation report).
    #[param(value_type = ProjectDocumentKind, inline)]
    pub kind: DocumentKind,
    /// The file name, e.g. `任务书.pdf` (kept as given; the type comes from the bytes).
    #[param(
        max_length = 200,
        pattern = r"^[^/\\\x00-\x1f\x7f-\x9f]*[^/\\\s.\x00-\x1f\x7f-\x9f][^/\\\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
}

/// A new attachment of a bid.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewAttachment {
    /// The file name, e.g. `技术方案.pdf`.
    #[param(
        max_length = 200,
        pattern = r"^[^/\\\x00-\x1f\x7f-\x9f]*[^/\\\s.\x00-\x1f\x7f-\x9f][^/\\\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
}

/// A new piece of a finding's evidence.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewEvidence {
    /// The file name, e.g. `核查报告.pdf`.
    #[param(
        max_length = 200,
        pattern = r"^[^/\\\x00-\x1f\x7f-\x9f]*[^/\\\s.\x00-\x1f\x7f-\x9f][^/\\\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
}

/// A new version of a document.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewVersionQuery {
    /// The file name; the latest version's when absent.
    #[param(
        max_length = 200,
        pattern = r"^[^/\\\x00-\x1f\x7f-\x9f]*[^/\\\s.\x00-\x1f\x7f-\x9f][^/\\\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
}

/// Which version to download.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The version number (1 is the first upload); the latest when absent.
    pub version: Option<i32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VersionDto {
    /// 1 for the first upload, then 2, 3, …
    #[schema(example = 1)]
    pub number: i32,
    #[schema(example = "技术方案.pdf")]
    pub name: String,
    /// Sniffed from the bytes, not taken from the client.
    #[schema(example = "application/pdf")]
    pub media_type: String,
    /// Bytes.
    #[schema(example = 48213)]
    pub size: i64,
    /// Hex SHA-256 of the file as uploaded.
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
    pub uploaded_by: i32,
    pub uploader_organisation_id: Option<i32>,
    pub uploaded_at: DateTime<Utc>,
    /// True when the bytes are encrypted at rest (a bid's attachment).
    pub sealed_at_rest: bool,
}

impl From<Version> for VersionDto {
    fn from(v: Version) -> Self {
        Self {
            number: v.number,
            name: v.name,
            media_type: v.media_type,
            size: v.size,
            sha256: v.sha256,
            uploaded_by: v.uploaded_by,
            uploader_organisation_id: v.uploader_organisation_id,
            uploaded_at: v.uploaded_at,
            sealed_at_rest: v.sealed_key_version.is_some(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentDto {
    #[schema(example = 7)]
    pub id: i32,
    pub kind: DocumentKind,
    pub owner_type: OwnerType,
    pub owner_id: i32,
    /// The latest version's number (the ETag's version).
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// Every version, oldest first; each stays downloadable.
    pub versions: Vec<VersionDto>,
}

impl From<DocumentRead> for DocumentDto {
    fn from(r: DocumentRead) -> Self {
        let d = r.document;
        Self {
            id: d.id,
            kind: d.kind,
            owner_type: d.owner_type,
            owner_id: d.owner_id,
            version: d.version,
            created_at: d.created_at,
            versions: r.versions.into_iter().map(VersionDto::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_document_kinds_are_the_domains() {
        let schema: Vec<&str> = <ProjectDocumentKind as strum::VariantArray>::VARIANTS
            .iter()
            .map(|k| k.into())
            .collect();
        let domain: Vec<&str> = <DocumentKind as strum::VariantArray>::VARIANTS
            .iter()
            .filter(|k| k.owner() == OwnerType::Project)
            .map(|k| k.as_str())
            .collect();
        assert_eq!(schema, domain);
    }

    #[test]
    fn proposal_document_kinds_are_the_domains() {
        let schema: Vec<&str> = <ProposalDocumentKind as strum::VariantArray>::VARIANTS
            .iter()
            .map(|k| k.into())
            .collect();
        let domain: Vec<&str> = <DocumentKind as strum::VariantArray>::VARIANTS
            .iter()
            .filter(|k| k.owner() == OwnerType::Proposal)
            .map(|k| k.as_str())
            .collect();
        assert_eq!(schema, domain);
    }
}
