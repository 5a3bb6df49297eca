//! Acceptances of projects: requests, panels, conflicts, score sheets, the evaluator's report and
//! the conclusion.

use chrono::{DateTime, Utc};
use entity::{acceptance, acceptance_conflict, acceptance_panel, acceptance_score};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::acceptance::{
    Acceptance, AcceptanceConflict, AcceptanceMember, AcceptanceReport, AcceptanceSheet,
    Conclusion, Outcome,
};
use crate::domain::call::Criterion;
use crate::domain::conflict::ConflictKind;
use crate::domain::panel_draw::Appointed;
use crate::domain::ranking::SheetLine;

fn bad(what: &str, id: i32, e: &dyn std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("stored {what} {id}: {e}"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(v).map_err(|e| DbErr::Custom(e.to_string()))
}

/// Reads a stored acceptance back.
///
/// # Errors
/// A rubric, report or outcome that does not decode, or a half-written conclusion.
pub fn decode(m: acceptance::Model) -> Result<Acceptance, DbErr> {
    let rubric: Option<Vec<Criterion>> = m
        .rubric
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| bad("rubric of acceptance", m.id, &e))?;
    let report: Option<AcceptanceReport> = m
        .report
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| bad("report of acceptance", m.id, &e))?;
    let conclusion = match (
        m.outcome,
        m.outcome_reason,
        m.rule,
        m.decided_by,
        m.decided_at,
    ) {
        (Some(o), Some(reason), Some(rule), Some(by), Some(at)) => Some(Conclusion {
            outcome: o
                .parse::<Outcome>()
                .map_err(|e| bad("outcome of acceptance", m.id, &e))?,
            reason,
            panel_score: m.panel_score,
            rule,
            by,
            at,
        }),
        (None, None, None, None, None) => None,
        _ => return Err(bad("conclusion of acceptance", m.id, &"partial")),
    };
    Ok(Acceptance {
        id: m.id,
        project_id: m.project_id,
        attempt: m.attempt,
        requested_at: m.requested_at,
        requested_by: m.requested_by,
        request_text: m.request_text,
        evaluator_id: m.evaluator_id,
        rubric,
        report,
        report_filed_at: m.report_filed_at,
        conclusion,
        version: m.version,
        created_at: m.created_at,
    })
}

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

/// # Errors
/// Database failures and undecodable rows.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Acceptance>, DbErr> {
    acceptance::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// A project's acceptances, by attempt.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn of_project(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<Acceptance>, DbErr> {
    acceptance::Entity::find()
        .filter(acceptance::Column::ProjectId.eq(project_id))
        .order_by_asc(acceptance::Column::Attempt)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// What an acceptance update changes; `None` leaves a column as it is.
#[derive(Debug, Default)]
pub struct AcceptanceChange {
    pub start: Option<(Vec<Criterion>, i32)>,
    pub report: Option<(AcceptanceReport, DateTime<Utc>)>,
    pub conclusion: Option<Conclusion>,
}

/// Writes `c` if the acceptance is still at `expected_version` (bumping it); `None` if someone
/// else changed it first.
///
/// # Errors
/// Database failures.
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    c: AcceptanceChange,
) -> Result<Option<Acceptance>, DbErr> {
    let mut q = acceptance::Entity::update_many().col_expr(
        acceptance::Column::Version,
        Expr::value(expected_version + 1),
    );
    if let Some((rubric, evaluator)) = c.start {
        q = q
            .col_expr(acceptance::Column::Rubric, Expr::value(to_json(&rubric)?))
            .col_expr(acceptance::Column::EvaluatorId, Expr::value(evaluator));
    }
    if let Some((report, at)) = c.report {
        q = q
            .col_expr(acceptance::Column::Report, Expr::value(to_json(&report)?))
            .col_expr(acceptance::Column::ReportFiledAt, Expr::value(at));
    }
    if let Some(k) = c.conclusion {
        q = q
            .col_expr(acceptance::Column::Outcome, Expr::value(k.outcome.as_str()))
            .col_expr(acceptance::Column::OutcomeReason, Expr::value(k.reason))
            .col_expr(acceptance::Column::PanelScore, Expr::value(k.panel_score))
            .col_expr(acceptance::Column::Rule, Expr::value(k.rule))
            .col_expr(acceptance::Column::DecidedBy, Expr::value(k.by))
            .col_expr(acceptance::Column::DecidedAt, Expr::value(k.at));
    }
    let r = q
        .filter(acceptance::Column::Id.eq(id))
        .filter(acceptance::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    get(db, id).await
}

/// # Errors
/// Database failures (an expert twice on one panel meets the unique index).
pub async fn add_member(
    db: &impl ConnectionTrait,
    acceptance_id: i32,
    m: &AcceptanceMember,
) -> Result<(), DbErr> {
    acceptance_panel::ActiveModel {
        acceptance_id: Set(acceptance_id),
        expert_id: Set(m.expert_id),
        how: Set(m.how.as_str().to_owned()),
        // The seed is a u64 kept bit for bit in a signed 64-bit column.
        seed: Set(m.seed.map(|s| i64::from_ne_bytes(s.to_ne_bytes()))),
        added_by: Set(m.added_by),
        added_at: Set(m.added_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// An acceptance's panel, in the order its members joined.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn panel(
    db: &impl ConnectionTrait,
    acceptance_id: i32,
) -> Result<Vec<AcceptanceMember>, DbErr> {
    acceptance_panel::Entity::find()
        .filter(acceptance_panel::Column::AcceptanceId.eq(acceptance_id))
        .order_by_asc(acceptance_panel::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(AcceptanceMember {
                expert_id: m.expert_id,
                how: m
                    .how
                    .parse::<Appointed>()
                    .map_err(|e| bad("appointment of acceptance panel member", m.id, &e))?,
                seed: m.seed.map(|s| u64::from_ne_bytes(s.to_ne_bytes())),
                added_by: m.added_by,
                added_at: m.added_at,
            })
        })
        .collect()
}

/// Records an expert's declared conflict with the acceptance's builder.
///
/// # Errors
/// Database failures.
pub async fn declare(
    db: &impl ConnectionTrait,
    acceptance_id: i32,
    expert_id: i32,
    kind: ConflictKind,
    note: &str,
    now: DateTime<Utc>,
) -> Result<AcceptanceConflict, DbErr> {
    let m = acceptance_conflict::ActiveModel {
        acceptance_id: Set(acceptance_id),
        expert_id: Set(expert_id),
        kind: Set(kind.as_str().to_owned()),
        note: Set(note.to_owned()),
        declared_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(AcceptanceConflict {
        id: m.id,
        acceptance_id,
        expert_id,
        kind,
        note: m.note,
        declared_at: m.declared_at,
    })
}

/// An acceptance's declared conflicts, oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn conflicts(
    db: &impl ConnectionTrait,
    acceptance_id: i32,
) -> Result<Vec<AcceptanceConflict>, DbErr> {
    acceptance_conflict::Entity::find()
        .filter(acceptance_conflict::Column::AcceptanceId.eq(acceptance_id))
        .order_by_asc(acceptance_conflict::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(AcceptanceConflict {
                id: m.id,
                acceptance_id: m.acceptance_id,
                expert_id: m.expert_id,
                kind: m
                    .kind
                    .parse()
                    .map_err(|e| bad("kind of acceptance conflict", m.id, &e))?,
                note: m.note,
                declared_at: m.declared_at,
            })
        })
        .collect()
}

fn decode_sheet(m: acceptance_score::Model) -> Result<AcceptanceSheet, DbErr> {
    Ok(AcceptanceSheet {
        id: m.id,
        expert_id: m.expert_id,
        lines: serde_json::from_value(m.scores)
            .map_err(|e| bad("acceptance score sheet", m.id, &e))?,
        submitted_at: m.submitted_at,
    })
}

/// An acceptance's score sheets, in the order they were first submitted.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn sheets(
    db: &impl ConnectionTrait,
    acceptance_id: i32,
) -> Result<Vec<AcceptanceSheet>, DbErr> {
    acceptance_score::Entity::find()
        .filter(acceptance_score::Column::AcceptanceId.eq(acceptance_id))
        .order_by_asc(acceptance_score::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode_sheet)
        .collect()
}

/// Writes an expert's sheet (replacing an earlier one); returns its id and the lines it replaced.
///
/// # Errors
/// Database failures and an earlier sheet that does not decode.
pub async fn put_sheet(
    db: &impl ConnectionTrait,
    acceptance_id: i32,
    expert_id: i32,
    lines: &[SheetLine],
    now: DateTime<Utc>,
) -> Result<(i32, Option<Vec<SheetLine>>), DbErr> {
    let scores = to_json(&lines)?;
    // Write first (an update that may touch nothing), then read: see `store::events::append`.
    let r = acceptance_score::Entity::update_many()
        .col_expr(acceptance_score::Column::SubmittedAt, Expr::value(now))
        .filter(acceptance_score::Column::AcceptanceId.eq(acceptance_id))
        .filter(acceptance_score::Column::ExpertId.eq(expert_id))
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        let m = acceptance_score::ActiveModel {
            acceptance_id: Set(acceptance_id),
            expert_id: Set(expert_id),
            scores: Set(scores),
            submitted_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        return Ok((m.id, None));
    }
    let old = acceptance_score::Entity::find()
        .filter(acceptance_score::Column::AcceptanceId.eq(acceptance_id))
        .filter(acceptance_score::Column::ExpertId.eq(expert_id))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("acceptance score sheet".into()))?;
    let before = decode_sheet(old.clone())?;
    acceptance_score::Entity::update_many()
        .col_expr(acceptance_score::Column::Scores, Expr::value(scores))
        .filter(acceptance_score::Column::Id.eq(old.id))
        .exec(db)
        .await?;
    Ok((old.id, Some(before.lines)))
}
