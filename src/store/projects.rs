//! Construction projects, their task agreements, progress reports and supervision records.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{agreement, follow_up, progress_report, project, supervision};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::project::{
    Agreement, AgreementContent, AgreementParty, AgreementStatus, Confirmation, FollowUp,
    ProgressReport, Project, ProjectStatus, Quarter, ReportContent, Supervision, SupervisionMethod,
    SupervisionRating,
};

fn bad(what: &str, id: i32, e: &dyn std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("stored {what} {id}: {e}"))
}

/// Reads a stored project back.
///
/// # Errors
/// A status that names no state.
pub fn decode(m: project::Model, year: i32) -> Result<Project, DbErr> {
    let status: ProjectStatus = m
        .status
        .parse()
        .map_err(|e| bad("status of project", m.id, &e))?;
    let acceptance_exception = match (m.acceptance_exception, m.exception_by, m.exception_at) {
        (Some(r), Some(by), Some(at)) => Some((r, by, at)),
        (None, None, None) => None,
        _ => return Err(bad("acceptance exception of project", m.id, &"partial")),
    };
    Ok(Project {
        id: m.id,
        round_id: m.round_id,
        year,
        list_item_id: m.list_item_id,
        call_id: m.call_id,
        bid_id: m.bid_id,
        organisation_id: m.organisation_id,
        district_code: m.district_code,
        name: m.name,
        status,
        version: m.version,
        completed_on: m.completed_on,
        acceptance_requested_at: m.acceptance_requested_at,
        acceptance_exception,
        rectify_until: m.rectify_until,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

async fn years(
    db: &impl ConnectionTrait,
    round_ids: &[i32],
) -> Result<std::collections::HashMap<i32, i32>, DbErr> {
    let rows: Vec<(i32, i32)> = entity::round::Entity::find()
        .select_only()
        .column(entity::round::Column::Id)
        .column(entity::round::Column::Year)
        .filter(entity::round::Column::Id.is_in(round_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn decode_all(
    db: &impl ConnectionTrait,
    rows: Vec<project::Model>,
) -> Result<Vec<Project>, DbErr> {
    let mut ids: Vec<i32> = rows.iter().map(|r| r.round_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let years = years(db, &ids).await?;
    rows.into_iter()
        .map(|m| {
            let year = *years
                .get(&m.round_id)
                .ok_or_else(|| DbErr::RecordNotFound(format!("round {}", m.round_id)))?;
            decode(m, year)
        })
        .collect()
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Project>, DbErr> {
    match project::Entity::find_by_id(id).one(db).await? {
        None => Ok(None),
        Some(m) => Ok(decode_all(db, vec![m]).await?.pop()),
    }
}

/// A project to insert.
pub struct NewProject {
    pub round_id: i32,
    pub list_item_id: i32,
    pub call_id: i32,
    pub bid_id: i32,
    pub organisation_id: i32,
    pub district_code: String,
    pub name: String,
}

/// # Errors
/// Database failures (a second project for one bid meets the unique index).
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewProject,
    now: DateTime<Utc>,
) -> Result<Project, DbErr> {
    let m = project::ActiveModel {
        round_id: Set(new.round_id),
        list_item_id: Set(new.list_item_id),
        call_id: Set(new.call_id),
        bid_id: Set(new.bid_id),
        organisation_id: Set(new.organisation_id),
        district_code: Set(new.district_code),
        name: Set(new.name),
        status: Set(ProjectStatus::Agreement.as_str().to_owned()),
        version: Set(1),
        completed_on: Set(None),
        acceptance_requested_at: Set(None),
        acceptance_exception: Set(None),
        exception_by: Set(None),
        exception_at: Set(None),
        rectify_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode_all(db, vec![m])
        .await?
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("project".into()))
}

/// What a project update changes; `None` leaves a column as it is.
#[derive(Debug, Default)]
pub struct ProjectChange {
    pub status: Option<ProjectStatus>,
    pub completed_on: Option<NaiveDate>,
    pub acceptance_requested_at: Option<DateTime<Utc>>,
    pub acceptance_exception: Option<(String, i32, DateTime<Utc>)>,
    pub rectify_until: Option<Option<NaiveDate>>,
}

/// Writes `c` if the project is still at `expected_version` (bumping it); `None` if someone else
/// changed it first.
///
/// # Errors
/// Database failures.
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    c: ProjectChange,
    now: DateTime<Utc>,
) -> Result<Option<Project>, DbErr> {
    let mut q = project::Entity::update_many()
        .col_expr(project::Column::Version, Expr::value(expected_version + 1))
        .col_expr(project::Column::UpdatedAt, Expr::value(now));
    if let Some(s) = c.status {
        q = q.col_expr(project::Column::Status, Expr::value(s.as_str()));
    }
    if let Some(d) = c.completed_on {
        q = q.col_expr(project::Column::CompletedOn, Expr::value(d));
    }
    if let Some(t) = c.acceptance_requested_at {
        q = q.col_expr(project::Column::AcceptanceRequestedAt, Expr::value(t));
    }
    if let Some((reason, by, at)) = c.acceptance_exception {
        q = q
            .col_expr(project::Column::AcceptanceException, Expr::value(reason))
            .col_expr(project::Column::ExceptionBy, Expr::value(by))
            .col_expr(project::Column::ExceptionAt, Expr::value(at));
    }
    if let Some(r) = c.rectify_until {
        q = q.col_expr(project::Column::RectifyUntil, Expr::value(r));
    }
    let r = q
        .filter(project::Column::Id.eq(id))
        .filter(project::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    get(db, id).await
}

/// Which projects to list.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub round_id: Option<i32>,
    pub district: Option<String>,
    pub organisation_id: Option<i32>,
    pub status: Option<ProjectStatus>,
    /// Keyset: only ids above this.
    pub after: Option<i32>,
    pub limit: u64,
}

/// A page of projects in id order.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn list(db: &impl ConnectionTrait, f: &ProjectFilter) -> Result<Vec<Project>, DbErr> {
    let mut q = project::Entity::find().order_by_asc(project::Column::Id);
    if let Some(r) = f.round_id {
        q = q.filter(project::Column::RoundId.eq(r));
    }
    if let Some(d) = &f.district {
        q = q.filter(project::Column::DistrictCode.eq(d.as_str()));
    }
    if let Some(o) = f.organisation_id {
        q = q.filter(project::Column::OrganisationId.eq(o));
    }
    if let Some(s) = f.status {
        q = q.filter(project::Column::Status.eq(s.as_str()));
    }
    if let Some(a) = f.after {
        q = q.filter(project::Column::Id.gt(a));
    }
    let rows = q.limit(f.limit).all(db).await?;
    decode_all(db, rows).await
}

/// The projects of a call (one per winning bid).
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn of_call(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<Project>, DbErr> {
    let rows = project::Entity::find()
        .filter(project::Column::CallId.eq(call_id))
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;
    decode_all(db, rows).await
}

// ---- agreements ----

fn confirmation(by: Option<i32>, at: Option<DateTime<Utc>>) -> Option<Confirmation> {
    Some(Confirmation { by: by?, at: at? })
}

/// Reads a stored agreement back.
///
/// # Errors
/// A status or content that does not decode.
pub fn decode_agreement(m: agreement::Model) -> Result<Agreement, DbErr> {
    Ok(Agreement {
        status: m
            .status
            .parse::<AgreementStatus>()
            .map_err(|e| bad("status of agreement", m.id, &e))?,
        content: serde_json::from_value::<AgreementContent>(m.content)
            .map_err(|e| bad("content of agreement", m.id, &e))?,
        commission: confirmation(m.commission_confirmed_by, m.commission_confirmed_at),
        builder: confirmation(m.builder_confirmed_by, m.builder_confirmed_at),
        district: confirmation(m.district_confirmed_by, m.district_confirmed_at),
        id: m.id,
        project_id: m.project_id,
        number: m.number,
        reason: m.reason,
        version: m.version,
        signed_at: m.signed_at,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Every agreement of a project (the original and its amendments), oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn agreements(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<Agreement>, DbErr> {
    agreement::Entity::find()
        .filter(agreement::Column::ProjectId.eq(project_id))
        .order_by_asc(agreement::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(decode_agreement)
        .collect()
}

/// # Errors
/// Database failures and an undecodable row.
pub async fn agreement(db: &impl ConnectionTrait, id: i32) -> Result<Option<Agreement>, DbErr> {
    agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode_agreement)
        .transpose()
}

/// Inserts a draft agreement (number 1) or amendment (number n + 1).
///
/// # Errors
/// Database failures (a second agreement with the same number meets the unique index).
pub async fn insert_agreement(
    db: &impl ConnectionTrait,
    project_id: i32,
    number: i32,
    content: &AgreementContent,
    reason: Option<String>,
    created_by: i32,
    now: DateTime<Utc>,
) -> Result<Agreement, DbErr> {
    let m = agreement::ActiveModel {
        project_id: Set(project_id),
        number: Set(number),
        status: Set(AgreementStatus::Draft.as_str().to_owned()),
        content: Set(serde_json::to_value(content).map_err(|e| DbErr::Custom(e.to_string()))?),
        reason: Set(reason),
        version: Set(1),
        commission_confirmed_by: Set(None),
        commission_confirmed_at: Set(None),
        builder_confirmed_by: Set(None),
        builder_confirmed_at: Set(None),
        district_confirmed_by: Set(None),
        district_confirmed_at: Set(None),
        signed_at: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode_agreement(m)
}

/// What an agreement update changes.
#[derive(Debug, Default)]
pub struct AgreementChange {
    /// New content: every confirmation so far is withdrawn (they confirmed other words).
    pub content: Option<AgreementContent>,
    pub confirm: Option<(AgreementParty, Confirmation)>,
    pub status: Option<AgreementStatus>,
    pub signed_at: Option<DateTime<Utc>>,
}

/// Writes `c` if the agreement is still at `expected_version` (bumping it); `None` if someone
/// else changed it first.
///
/// # Errors
/// Database failures.
pub async fn update_agreement(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    c: AgreementChange,
    now: DateTime<Utc>,
) -> Result<Option<Agreement>, DbErr> {
    use agreement::Column as C;
    let mut q = agreement::Entity::update_many()
        .col_expr(C::Version, Expr::value(expected_version + 1))
        .col_expr(C::UpdatedAt, Expr::value(now));
    if let Some(content) = &c.content {
        q = q.col_expr(
            C::Content,
            Expr::value(serde_json::to_value(content).map_err(|e| DbErr::Custom(e.to_string()))?),
        );
        for col in [
            C::CommissionConfirmedBy,
            C::BuilderConfirmedBy,
            C::DistrictConfirmedBy,
        ] {
            q = q.col_expr(col, Expr::value(Option::<i32>::None));
        }
        for col in [
            C::CommissionConfirmedAt,
            C::BuilderConfirmedAt,
            C::DistrictConfirmedAt,
        ] {
            q = q.col_expr(col, Expr::value(Option::<DateTime<Utc>>::None));
        }
    }
    if let Some((party, conf)) = c.confirm {
        let (by, at) = match party {
            AgreementParty::Commission => (C::CommissionConfirmedBy, C::CommissionConfirmedAt),
            AgreementParty::Builder => (C::BuilderConfirmedBy, C::BuilderConfirmedAt),
            AgreementParty::District => (C::DistrictConfirmedBy, C::DistrictConfirmedAt),
        };
        q = q
            .col_expr(by, Expr::value(conf.by))
            .col_expr(at, Expr::value(conf.at));
    }
    if let Some(s) = c.status {
        q = q.col_expr(C::Status, Expr::value(s.as_str()));
    }
    if let Some(t) = c.signed_at {
        q = q.col_expr(C::SignedAt, Expr::value(t));
    }
    let r = q
        .filter(C::Id.eq(id))
        .filter(C::Version.eq(expected_version))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    agreement(db, id).await
}

// ---- progress reports ----

fn decode_report(m: progress_report::Model) -> Result<ProgressReport, DbErr> {
    let period = Quarter {
        year: m.year,
        quarter: u32::try_from(m.quarter).map_err(|e| bad("quarter of report", m.id, &e))?,
    };
    Ok(ProgressReport {
        period,
        content: serde_json::from_value::<ReportContent>(m.content)
            .map_err(|e| bad("content of report", m.id, &e))?,
        id: m.id,
        project_id: m.project_id,
        filed_by: m.filed_by,
        filed_at: m.filed_at,
    })
}

/// # Errors
/// Database failures (a second report for a quarter meets the unique index).
pub async fn insert_report(
    db: &impl ConnectionTrait,
    project_id: i32,
    period: Quarter,
    content: &ReportContent,
    filed_by: i32,
    now: DateTime<Utc>,
) -> Result<ProgressReport, DbErr> {
    let m = progress_report::ActiveModel {
        project_id: Set(project_id),
        year: Set(period.year),
        quarter: Set(i32::try_from(period.quarter).map_err(|e| DbErr::Custom(e.to_string()))?),
        content: Set(serde_json::to_value(content).map_err(|e| DbErr::Custom(e.to_string()))?),
        filed_by: Set(filed_by),
        filed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode_report(m)
}

/// A project's reports, in period order.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn reports(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<ProgressReport>, DbErr> {
    progress_report::Entity::find()
        .filter(progress_report::Column::ProjectId.eq(project_id))
        .order_by_asc(progress_report::Column::Year)
        .order_by_asc(progress_report::Column::Quarter)
        .all(db)
        .await?
        .into_iter()
        .map(decode_report)
        .collect()
}

// ---- supervision ----

fn decode_follow_up(m: follow_up::Model) -> Result<FollowUp, DbErr> {
    let closed = match (m.closed_at, m.closed_by, m.closing_note) {
        (Some(at), Some(by), Some(note)) => Some((at, by, note)),
        (None, None, None) => None,
        _ => return Err(bad("closing of follow-up", m.id, &"partial")),
    };
    Ok(FollowUp {
        id: m.id,
        supervision_id: m.supervision_id,
        action: m.action,
        due_on: m.due_on,
        closed,
    })
}

fn decode_supervision(
    m: supervision::Model,
    follow_ups: Vec<FollowUp>,
) -> Result<Supervision, DbErr> {
    Ok(Supervision {
        method: m
            .method
            .parse::<SupervisionMethod>()
            .map_err(|e| bad("method of supervision", m.id, &e))?,
        rating: m
            .rating
            .parse::<SupervisionRating>()
            .map_err(|e| bad("rating of supervision", m.id, &e))?,
        id: m.id,
        project_id: m.project_id,
        visited_on: m.visited_on,
        findings: m.findings,
        warning: m.warning,
        recorded_by: m.recorded_by,
        recorded_at: m.recorded_at,
        follow_ups,
    })
}

/// A supervision record to insert.
pub struct NewSupervision {
    pub project_id: i32,
    pub visited_on: NaiveDate,
    pub method: SupervisionMethod,
    pub findings: String,
    pub rating: SupervisionRating,
    pub warning: Option<String>,
    pub follow_ups: Vec<(String, NaiveDate)>,
}

/// Inserts a supervision record with its follow-ups.
///
/// # Errors
/// Database failures.
pub async fn insert_supervision(
    db: &impl ConnectionTrait,
    new: NewSupervision,
    recorded_by: i32,
    now: DateTime<Utc>,
) -> Result<Supervision, DbErr> {
    let m = supervision::ActiveModel {
        project_id: Set(new.project_id),
        visited_on: Set(new.visited_on),
        method: Set(new.method.as_str().to_owned()),
        findings: Set(new.findings),
        rating: Set(new.rating.as_str().to_owned()),
        warning: Set(new.warning),
        recorded_by: Set(recorded_by),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut follow_ups = Vec::with_capacity(new.follow_ups.len());
    for (action, due_on) in new.follow_ups {
        let f = follow_up::ActiveModel {
            supervision_id: Set(m.id),
            project_id: Set(new.project_id),
            action: Set(action),
            due_on: Set(due_on),
            closed_at: Set(None),
            closed_by: Set(None),
            closing_note: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        follow_ups.push(decode_follow_up(f)?);
    }
    decode_supervision(m, follow_ups)
}

/// A project's supervision records with their follow-ups, oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn supervisions(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<Supervision>, DbErr> {
    let rows = supervision::Entity::find()
        .filter(supervision::Column::ProjectId.eq(project_id))
        .order_by_asc(supervision::Column::Id)
        .all(db)
        .await?;
    let mut follow: Vec<FollowUp> = follow_up::Entity::find()
        .filter(follow_up::Column::ProjectId.eq(project_id))
        .order_by_asc(follow_up::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode_follow_up)
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|m| {
            let mine: Vec<FollowUp> = follow
                .iter()
                .filter(|f| f.supervision_id == m.id)
                .cloned()
                .collect();
            follow.retain(|f| f.supervision_id != m.id);
            decode_supervision(m, mine)
        })
        .collect()
}

/// # Errors
/// Database failures and an undecodable row.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(FollowUp, i32)>, DbErr> {
    match follow_up::Entity::find_by_id(id).one(db).await? {
        None => Ok(None),
        Some(m) => {
            let project = m.project_id;
            Ok(Some((decode_follow_up(m)?, project)))
        }
    }
}

/// Closes a follow-up if it is still open; `None` if it was closed already.
///
/// # Errors
/// Database failures.
pub async fn close_follow_up(
    db: &impl ConnectionTrait,
    id: i32,
    by: i32,
    note: String,
    now: DateTime<Utc>,
) -> Result<Option<FollowUp>, DbErr> {
    let r = follow_up::Entity::update_many()
        .col_expr(follow_up::Column::ClosedAt, Expr::value(now))
        .col_expr(follow_up::Column::ClosedBy, Expr::value(by))
        .col_expr(follow_up::Column::ClosingNote, Expr::value(note))
        .filter(follow_up::Column::Id.eq(id))
        .filter(follow_up::Column::ClosedAt.is_null())
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    Ok(follow_up(db, id).await?.map(|(f, _)| f))
}
