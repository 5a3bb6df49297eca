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
#[schema(example = json!({"subject_type": "proposal", "subject_id": 1, "reason": "申报书所列产业集群规模与统计公报不符。", "evidence": "2023年度区统计公报第3页"}))]
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
    /// Only findings about this kind of object.
    pub subject_type: Option<FindingSubject>,
    /// Only findings about objects with this id (with `subject_type`: about that one object).
    pub subject_id: Option<i32>,
    /// The cursor: the last id seen, as in the `Link` header's next page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Items per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}
