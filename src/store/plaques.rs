//! Plaques (授牌) in the public register and their annual evaluations (年度常态化评价).

use chrono::{DateTime, NaiveDate, Utc};
use entity::{evaluation, plaque};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::acceptance::{Evaluation, Plaque};
use crate::domain::project::{plaque_number, EvaluationParts, Grade, PlaqueStatus};

fn bad(what: &str, id: i32, e: &dyn std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("stored {what} {id}: {e}"))
}

/// Reads a stored plaque back.
///
/// # Errors
/// A status that names no state, or a half-written revocation.
pub fn decode(m: plaque::Model) -> Result<Plaque, DbErr> {
    let revoked = match (m.revoked_at, m.revoked_reason) {
        (Some(at), Some(why)) => Some((at, why)),
        (None, None) => None,
        _ => return Err(bad("revocation of plaque", m.id, &"partial")),
    };
    Ok(Plaque {
        id: m.id,
        project_id: m.project_id,
        year: m.year,
        serial: m.serial,
        number: m.number,
        brain_name: m.brain_name,
        organisation_id: m.organisation_id,
        district_code: m.district_code,
        issued_on: m.issued_on,
        status: m
            .status
            .parse()
            .map_err(|e| bad("status of plaque", m.id, &e))?,
        revoked,
        rectify_until: m.rectify_until,
        evaluator_id: m.evaluator_id,
        version: m.version,
    })
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn by_number(db: &impl ConnectionTrait, number: &str) -> Result<Option<Plaque>, DbErr> {
    plaque::Entity::find()
        .filter(plaque::Column::Number.eq(number))
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Plaque>, DbErr> {
    plaque::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn of_project(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Option<Plaque>, DbErr> {
    plaque::Entity::find()
        .filter(plaque::Column::ProjectId.eq(project_id))
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// Which plaques to list.
#[derive(Debug, Clone, Default)]
pub struct PlaqueFilter {
    pub year: Option<i32>,
    pub district: Option<String>,
    pub status: Option<PlaqueStatus>,
    /// Keyset: only ids above this.
    pub after: Option<i32>,
    pub limit: u64,
}

/// A page of plaques in id (issue) order.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn list(db: &impl ConnectionTrait, f: &PlaqueFilter) -> Result<Vec<Plaque>, DbErr> {
    let mut q = plaque::Entity::find().order_by_asc(plaque::Column::Id);
    if let Some(y) = f.year {
        q = q.filter(plaque::Column::Year.eq(y));
    }
    if let Some(d) = &f.district {
        q = q.filter(plaque::Column::DistrictCode.eq(d.as_str()));
    }
    if let Some(s) = f.status {
        q = q.filter(plaque::Column::Status.eq(s.as_str()));
    }
    if let Some(a) = f.after {
        q = q.filter(plaque::Column::Id.gt(a));
    }
    q.limit(f.limit)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// A plaque to issue.
pub struct NewPlaque {
    pub project_id: i32,
    pub year: i32,
    pub brain_name: String,
    pub organisation_id: i32,
    pub district_code: String,
    pub issued_on: NaiveDate,
}

/// Issues the next plaque of its year (serial = the year's largest + 1). Call it after the unit
/// of work has written (so it holds the write lock): two issues of one year cannot take one
/// serial, and if they raced the unique indexes on (year, serial) and number refuse the second.
///
/// # Errors
/// Database failures.
pub async fn insert(db: &impl ConnectionTrait, new: NewPlaque) -> Result<Plaque, DbErr> {
    let last: Option<Option<i32>> = plaque::Entity::find()
        .select_only()
        .column_as(plaque::Column::Serial.max(), "s")
        .filter(plaque::Column::Year.eq(new.year))
        .into_tuple()
        .one(db)
        .await?;
    let serial = last.flatten().unwrap_or(0) + 1;
    let m = plaque::ActiveModel {
        project_id: Set(new.project_id),
        year: Set(new.year),
        serial: Set(serial),
        number: Set(plaque_number(new.year, serial)),
        brain_name: Set(new.brain_name),
        organisation_id: Set(new.organisation_id),
        district_code: Set(new.district_code),
        issued_on: Set(new.issued_on),
        status: Set(PlaqueStatus::Active.as_str().to_owned()),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        rectify_until: Set(None),
        version: Set(1),
        evaluator_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode(m)
}

/// What a plaque update changes; `None` leaves a column as it is.
#[derive(Debug, Default)]
pub struct PlaqueChange {
    pub status: Option<PlaqueStatus>,
    pub rectify_until: Option<Option<NaiveDate>>,
    pub revoked: Option<(DateTime<Utc>, String)>,
    pub evaluator_id: Option<i32>,
}

/// Writes `c` if the plaque is still at `expected_version` (bumping it); `None` otherwise.
///
/// # Errors
/// Database failures.
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    c: PlaqueChange,
) -> Result<Option<Plaque>, DbErr> {
    let mut q = plaque::Entity::update_many()
        .col_expr(plaque::Column::Version, Expr::value(expected_version + 1));
    if let Some(s) = c.status {
        q = q.col_expr(plaque::Column::Status, Expr::value(s.as_str()));
    }
    if let Some(r) = c.rectify_until {
        q = q.col_expr(plaque::Column::RectifyUntil, Expr::value(r));
    }
    if let Some((at, why)) = c.revoked {
        q = q
            .col_expr(plaque::Column::RevokedAt, Expr::value(at))
            .col_expr(plaque::Column::RevokedReason, Expr::value(why));
    }
    if let Some(e) = c.evaluator_id {
        q = q.col_expr(plaque::Column::EvaluatorId, Expr::value(e));
    }
    let r = q
        .filter(plaque::Column::Id.eq(id))
        .filter(plaque::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    plaque::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

fn decode_evaluation(m: evaluation::Model) -> Result<Evaluation, DbErr> {
    let parts: EvaluationParts =
        serde_json::from_value(m.parts).map_err(|e| bad("parts of evaluation", m.id, &e))?;
    let grade: Grade = m
        .grade
        .parse()
        .map_err(|e| bad("grade of evaluation", m.id, &e))?;
    let confirmed = match (m.confirmed_by, m.confirmed_at) {
        (Some(by), Some(at)) => Some((by, at)),
        (None, None) => None,
        _ => return Err(bad("confirmation of evaluation", m.id, &"partial")),
    };
    let plan = match (m.rectification_plan, m.plan_filed_at) {
        (Some(p), Some(at)) => Some((p, at)),
        (None, None) => None,
        _ => return Err(bad("plan of evaluation", m.id, &"partial")),
    };
    Ok(Evaluation {
        id: m.id,
        plaque_id: m.plaque_id,
        year: m.year,
        attempt: m.attempt,
        evaluator_id: m.evaluator_id,
        parts,
        score: m.score,
        grade,
        summary: m.summary,
        filed_at: m.filed_at,
        confirmed,
        plan,
        version: m.version,
    })
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn evaluation(db: &impl ConnectionTrait, id: i32) -> Result<Option<Evaluation>, DbErr> {
    evaluation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode_evaluation)
        .transpose()
}

/// The evaluations of the plaques `ids`, in filing order.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn evaluations(
    db: &impl ConnectionTrait,
    plaque_ids: &[i32],
) -> Result<Vec<Evaluation>, DbErr> {
    evaluation::Entity::find()
        .filter(evaluation::Column::PlaqueId.is_in(plaque_ids.iter().copied()))
        .order_by_asc(evaluation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode_evaluation)
        .collect()
}

/// An evaluation to file.
pub struct NewEvaluation {
    pub plaque_id: i32,
    pub year: i32,
    pub attempt: i32,
    pub evaluator_id: i32,
    pub parts: EvaluationParts,
    pub score: i64,
    pub grade: Grade,
    pub summary: String,
}

/// # Errors
/// Database failures (a second evaluation of one attempt meets the unique index).
pub async fn insert_evaluation(
    db: &impl ConnectionTrait,
    new: NewEvaluation,
    now: DateTime<Utc>,
) -> Result<Evaluation, DbErr> {
    let m = evaluation::ActiveModel {
        plaque_id: Set(new.plaque_id),
        year: Set(new.year),
        attempt: Set(new.attempt),
        evaluator_id: Set(new.evaluator_id),
        parts: Set(serde_json::to_value(new.parts).map_err(|e| DbErr::Custom(e.to_string()))?),
        score: Set(new.score),
        grade: Set(new.grade.as_str().to_owned()),
        summary: Set(new.summary),
        filed_at: Set(now),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
        rectification_plan: Set(None),
        plan_filed_at: Set(None),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode_evaluation(m)
}

/// What an evaluation update changes.
#[derive(Debug, Default)]
pub struct EvaluationChange {
    pub confirmed: Option<(i32, DateTime<Utc>)>,
    pub plan: Option<(String, DateTime<Utc>)>,
}

/// Writes `c` if the evaluation is still at `expected_version`; `None` otherwise.
///
/// # Errors
/// Database failures.
pub async fn update_evaluation(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    c: EvaluationChange,
) -> Result<Option<Evaluation>, DbErr> {
    let mut q = evaluation::Entity::update_many().col_expr(
        evaluation::Column::Version,
        Expr::value(expected_version + 1),
    );
    if let Some((by, at)) = c.confirmed {
        q = q
            .col_expr(evaluation::Column::ConfirmedBy, Expr::value(by))
            .col_expr(evaluation::Column::ConfirmedAt, Expr::value(at));
    }
    if let Some((plan, at)) = c.plan {
        q = q
            .col_expr(evaluation::Column::RectificationPlan, Expr::value(plan))
            .col_expr(evaluation::Column::PlanFiledAt, Expr::value(at));
    }
    let r = q
        .filter(evaluation::Column::Id.eq(id))
        .filter(evaluation::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    evaluation(db, id).await
}
