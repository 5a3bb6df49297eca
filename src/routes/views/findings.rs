//! Request and response types of findings of falsification.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::findings::finding_etag;
use crate::domain::attestation::{Finding, FindingStatus, FindingSubject};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFinding {
    pub subject_type: FindingSubject,
    pub subject_id: i32,
    /// What was falsified, and why the commission finds so.
    pub reason: String,
    /// The evidence: a description or a reference to the document holding it.
    pub evidence: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FindingDto {
    pub id: i32,
    pub subject_type: FindingSubject,
    pub subject_id: i32,
    pub reason: String,
    pub evidence: String,
    /// `draft` (the commission's only) or `final` (public).
    pub status: FindingStatus,
    pub version: i32,
    pub etag: String,
    pub created_at: DateTime<Utc>,
    pub finalised_at: Option<DateTime<Utc>>,
}

impl From<Finding> for FindingDto {
    fn from(f: Finding) -> Self {
        Self {
            etag: finding_etag(&f),
            id: f.id,
            subject_type: f.subject,
            subject_id: f.subject_id,
            reason: f.reason,
            evidence: f.evidence,
            status: f.status,
            version: f.version,
            created_at: f.created_at,
            finalised_at: f.finalised_at,
        }
    }
}

/// A finding with its ETag.
pub fn respond(status: StatusCode, f: Finding) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, finding_etag(&f)))
        .json(FindingDto::from(f))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FindingQuery {
    /// Only findings about this kind of object (with `subject_id`).
    pub subject_type: Option<FindingSubject>,
    pub subject_id: Option<i32>,
}
