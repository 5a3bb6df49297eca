//! Acceptances of projects: requests, panels, conflicts, score sheets, the evaluator's report and
//! the conclusion.

use chrono::{DateTime, Utc};
use entity::acceptance;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};

/// Inserts the next acceptance attempt of a project; returns its id.
///
/// # Errors
/// Database failures.
pub async fn open(
    db: &impl ConnectionTrait,
    project_id: i32,
    requested_by: i32,
    letter: &str,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let last: Option<Option<i32>> = acceptance::Entity::find()
        .select_only()
        .column_as(acceptance::Column::Attempt.max(), "a")
        .filter(acceptance::Column::ProjectId.eq(project_id))
        .into_tuple()
        .one(db)
        .await?;
    let m = acceptance::ActiveModel {
        project_id: Set(project_id),
        attempt: Set(last.flatten().unwrap_or(0) + 1),
        requested_at: Set(now),
        requested_by: Set(requested_by),
        request_text: Set(letter.to_owned()),
        evaluator_id: Set(None),
        rubric: Set(None),
        report: Set(None),
        report_filed_at: Set(None),
        outcome: Set(None),
        outcome_reason: Set(None),
        panel_score: Set(None),
        rule: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(m.id)
}
