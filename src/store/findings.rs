//! Findings of falsification.

use chrono::{DateTime, Utc};
use entity::falsification_finding as finding;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::attestation::{Finding, FindingStatus, FindingSubject};

fn decode(m: finding::Model) -> Result<Finding, DbErr> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        DbErr::Custom(format!("stored {what} of finding {}: {e}", m.id))
    };
    Ok(Finding {
        id: m.id,
        subject: m
            .subject_type
            .parse()
            .map_err(|e| bad("subject type", &e))?,
        subject_id: m.subject_id,
        status: m.status.parse().map_err(|e| bad("status", &e))?,
        reason: m.reason,
        evidence: m.evidence,
        version: m.version,
        created_by: m.created_by,
        created_at: m.created_at,
        finalised_by: m.finalised_by,
        finalised_at: m.finalised_at,
    })
}

/// # Errors
/// Database failures and stored data that does not decode.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Finding>, DbErr> {
    finding::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// Findings, oldest first: of one subject if given, final ones only unless `drafts`.
///
/// # Errors
/// Database failures and stored data that does not decode.
pub async fn list(
    db: &impl ConnectionTrait,
    subject_type: Option<FindingSubject>,
    subject_id: Option<i32>,
    drafts: bool,
) -> Result<Vec<Finding>, DbErr> {
    let mut q = finding::Entity::find();
    if let Some(kind) = subject_type {
        q = q.filter(finding::Column::SubjectType.eq(kind.as_str()));
    }
    if let Some(id) = subject_id {
        q = q.filter(finding::Column::SubjectId.eq(id));
    }
    if !drafts {
        q = q.filter(finding::Column::Status.eq(FindingStatus::Final.as_str()));
    }
    q.order_by_asc(finding::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// # Errors
/// Database failures.
pub async fn insert(
    db: &impl ConnectionTrait,
    subject: FindingSubject,
    subject_id: i32,
    reason: String,
    evidence: String,
    created_by: i32,
    now: DateTime<Utc>,
) -> Result<Finding, DbErr> {
    let m = finding::ActiveModel {
        subject_type: Set(subject.as_str().to_owned()),
        subject_id: Set(subject_id),
        reason: Set(reason),
        evidence: Set(evidence),
        status: Set(FindingStatus::Draft.as_str().to_owned()),
        version: Set(1),
        created_by: Set(created_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode(m)
}

/// Makes a draft final if it is still at `version`; false when someone changed it first.
///
/// # Errors
/// Database failures.
pub async fn finalise(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = finding::Entity::update_many()
        .col_expr(
            finding::Column::Status,
            Expr::value(FindingStatus::Final.as_str()),
        )
        .col_expr(finding::Column::Version, Expr::value(version + 1))
        .col_expr(finding::Column::FinalisedBy, Expr::value(by))
        .col_expr(finding::Column::FinalisedAt, Expr::value(now))
        .filter(finding::Column::Id.eq(id))
        .filter(finding::Column::Version.eq(version))
        .filter(finding::Column::Status.eq(FindingStatus::Draft.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
