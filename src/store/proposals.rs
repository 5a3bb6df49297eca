//! Proposals: inserted by [`insert`], changed only by [`update_if_version`] (against the version
//! the caller read, so of two concurrent writers exactly one wins), read back decoded. Their
//! history is the event log's (the `app::proposals` use cases record it in the same unit of work).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::proposal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::domain::access::Scope;
use crate::domain::proposal::{Proposal, ProposalForm, ProposalPlan, Seal, Summary};
use crate::domain::proposal_state::Status;

/// # Errors
/// Database failures.
pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<proposal::Model>, DbErr> {
    proposal::Entity::find_by_id(id).one(db).await
}

/// The rows a scope admits, as SQL (the same rules as `Scope::admits`).
pub fn condition(scope: &Scope) -> Condition {
    use proposal::Column as C;
    match scope {
        Scope::SealedOrLater => Condition::all().add(
            C::Status.is_in(
                Status::ALL
                    .iter()
                    .filter(|s| s.sealed_or_later())
                    .map(|s| s.as_str()),
            ),
        ),
        Scope::District(d) => Condition::all().add(C::DistrictCode.eq(d.as_str())).add(
            Condition::any()
                .add(C::OwnerOrganisationId.is_null())
                .add(C::Status.ne(Status::Draft.as_str())),
        ),
        Scope::Organisation(o) => Condition::all().add(C::OwnerOrganisationId.eq(*o)),
        Scope::ListedOnly => Condition::all().add(C::Status.eq(Status::Listed.as_str())),
    }
}

#[derive(Debug, Default)]
pub struct Filters {
    pub district: Option<String>,
    pub cluster: Option<String>,
    pub status: Option<Status>,
}

/// The rows of a round a scope and the filters admit, as a query.
fn matching(round_id: i32, scope: &Scope, filters: &Filters) -> sea_orm::Select<proposal::Entity> {
    let mut q = proposal::Entity::find()
        .filter(proposal::Column::RoundId.eq(round_id))
        .filter(condition(scope));
    if let Some(d) = &filters.district {
        q = q.filter(proposal::Column::DistrictCode.eq(d.as_str()));
    }
    if let Some(c) = &filters.cluster {
        q = q.filter(proposal::Column::ClusterCode.eq(c.as_str()));
    }
    if let Some(s) = filters.status {
        q = q.filter(proposal::Column::Status.eq(s.as_str()));
    }
    q
}

/// How many proposals of a round a scope and the filters admit (one query).
///
/// # Errors
/// Database failures.
pub async fn count(
    db: &impl ConnectionTrait,
    round_id: i32,
    scope: &Scope,
    filters: &Filters,
) -> Result<u64, DbErr> {
    let n: Option<i64> = matching(round_id, scope, filters)
        .select_only()
        .column_as(proposal::Column::Id.count(), "n")
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

/// Number of proposals per status in a round, optionally within a scope.
///
/// # Errors
/// Database failures.
pub async fn counts(
    db: &impl ConnectionTrait,
    round_id: i32,
    scope: Option<&Scope>,
) -> Result<BTreeMap<String, u64>, DbErr> {
    let mut q = proposal::Entity::find()
        .select_only()
        .column(proposal::Column::Status)
        .column_as(proposal::Column::Id.count(), "n")
        .filter(proposal::Column::RoundId.eq(round_id))
        .group_by(proposal::Column::Status);
    if let Some(s) = scope {
        q = q.filter(condition(s));
    }
    let rows: Vec<(String, i64)> = q.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(s, n)| (s, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Every proposal of a round in the given states (for selection and publication).
///
/// # Errors
/// Database failures.
pub async fn in_states(
    db: &impl ConnectionTrait,
    round_id: i32,
    states: &[Status],
) -> Result<Vec<proposal::Model>, DbErr> {
    proposal::Entity::find()
        .filter(proposal::Column::RoundId.eq(round_id))
        .filter(proposal::Column::Status.is_in(states.iter().map(|s| s.as_str())))
        .order_by_asc(proposal::Column::Id)
        .all(db)
        .await
}

/// The stored JSON of a form or plan: absent members are left out rather than stored as `null`,
/// so the history shows a removal as a removal.
///
/// # Errors
/// When the value cannot be written as JSON (it always can: plain data).
pub fn to_stored<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(v)
        .map(|v| crate::domain::json_patch::strip_nulls(&v))
        .map_err(|e| DbErr::Custom(e.to_string()))
}

/// Reads a stored proposal, decoding its status, form and plan loudly.
///
/// # Errors
/// A stored value that does not decode.
pub fn decode(m: proposal::Model, year: i32) -> Result<Proposal, DbErr> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        DbErr::Custom(format!("stored {what} of proposal {}: {e}", m.id))
    };
    let status: Status = m.status.parse().map_err(|e| bad("status", &e))?;
    let form: ProposalForm = serde_json::from_value(m.form.clone()).map_err(|e| bad("form", &e))?;
    let plan: ProposalPlan = serde_json::from_value(m.plan.clone()).map_err(|e| bad("plan", &e))?;
    let attestation = m
        .attestation
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| bad("attestation", &e))?;
    let seal = match (m.sealed_at, m.sealed_by, m.seal_statement) {
        (Some(at), Some(by), Some(statement)) => Some(Seal { by, at, statement }),
        (None, None, None) => None,
        _ => return Err(bad("seal", &"a partial seal")),
    };
    Ok(Proposal {
        id: m.id,
        round_id: m.round_id,
        year,
        status,
        district_code: m.district_code,
        cluster_code: m.cluster_code,
        owner_organisation_id: m.owner_organisation_id,
        created_by: m.created_by,
        form,
        plan,
        version: m.version,
        submitted_at: m.submitted_at,
        seal,
        reasons: m.reasons,
        created_at: m.created_at,
        updated_at: m.updated_at,
        attestation,
    })
}

async fn year_of(db: &impl ConnectionTrait, round_id: i32) -> Result<i32, DbErr> {
    let year: Option<i32> = entity::round::Entity::find_by_id(round_id)
        .select_only()
        .column(entity::round::Column::Year)
        .into_tuple()
        .one(db)
        .await?;
    year.ok_or_else(|| DbErr::RecordNotFound(format!("round {round_id}")))
}

/// One proposal, decoded.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Proposal>, DbErr> {
    let Some(m) = by_id(db, id).await? else {
        return Ok(None);
    };
    let year = year_of(db, m.round_id).await?;
    decode(m, year).map(Some)
}

/// A proposal to insert.
pub struct Filed {
    pub round_id: i32,
    pub status: Status,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub owner_organisation_id: Option<i32>,
    pub created_by: i32,
    pub form: ProposalForm,
    pub plan: ProposalPlan,
    pub seal: Option<Seal>,
}

/// Inserts a proposal (version 1).
///
/// # Errors
/// Database failures.
pub async fn insert(
    db: &impl ConnectionTrait,
    new: Filed,
    now: DateTime<Utc>,
) -> Result<Proposal, DbErr> {
    let (sealed_at, sealed_by, statement) = match new.seal {
        Some(s) => (Some(s.at), Some(s.by), Some(s.statement)),
        None => (None, None, None),
    };
    let m = proposal::ActiveModel {
        round_id: Set(new.round_id),
        status: Set(new.status.as_str().into()),
        district_code: Set(new.district_code),
        cluster_code: Set(new.cluster_code),
        owner_organisation_id: Set(new.owner_organisation_id),
        created_by: Set(new.created_by),
        form: Set(to_stored(&new.form)?),
        plan: Set(to_stored(&new.plan)?),
        version: Set(1),
        submitted_at: Set(sealed_at),
        sealed_at: Set(sealed_at),
        sealed_by: Set(sealed_by),
        seal_statement: Set(statement),
        reasons: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let year = year_of(db, m.round_id).await?;
    decode(m, year)
}

/// What an update changes; `None` leaves a column as it is.
#[derive(Debug, Default)]
pub struct Update {
    pub status: Option<Status>,
    pub district_code: Option<String>,
    pub cluster_code: Option<Option<String>>,
    pub form: Option<ProposalForm>,
    pub plan: Option<ProposalPlan>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub seal: Option<Seal>,
    pub reasons: Option<Option<String>>,
    pub attestation: Option<crate::domain::attestation::Attestation>,
}

/// Writes `u` if the proposal is still at `expected_version`, bumping it (the conditional write
/// comes first, so SQLite's write lock is taken before anything is read). `None`: someone else
/// changed it first.
///
/// # Errors
/// Database failures.
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    u: Update,
    now: DateTime<Utc>,
) -> Result<Option<Proposal>, DbErr> {
    let mut q = proposal::Entity::update_many()
        .col_expr(proposal::Column::Version, Expr::value(expected_version + 1))
        .col_expr(proposal::Column::UpdatedAt, Expr::value(now));
    if let Some(s) = u.status {
        q = q.col_expr(proposal::Column::Status, Expr::value(s.as_str()));
    }
    if let Some(d) = u.district_code {
        q = q.col_expr(proposal::Column::DistrictCode, Expr::value(d));
    }
    if let Some(c) = u.cluster_code {
        q = q.col_expr(proposal::Column::ClusterCode, Expr::value(c));
    }
    if let Some(f) = &u.form {
        q = q.col_expr(proposal::Column::Form, Expr::value(to_stored(f)?));
    }
    if let Some(p) = &u.plan {
        q = q.col_expr(proposal::Column::Plan, Expr::value(to_stored(p)?));
    }
    if let Some(t) = u.submitted_at {
        q = q.col_expr(proposal::Column::SubmittedAt, Expr::value(t));
    }
    if let Some(s) = u.seal {
        q = q
            .col_expr(proposal::Column::SealedAt, Expr::value(s.at))
            .col_expr(proposal::Column::SealedBy, Expr::value(s.by))
            .col_expr(proposal::Column::SealStatement, Expr::value(s.statement));
    }
    if let Some(r) = u.reasons {
        q = q.col_expr(proposal::Column::Reasons, Expr::value(r));
    }
    if let Some(a) = &u.attestation {
        q = q.col_expr(proposal::Column::Attestation, Expr::value(to_stored(a)?));
    }
    let result = q
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    get(db, id).await
}

/// The summaries a scope and the filters admit after the id `after`, in id order, at most
/// `fetch`: the summary columns only (the brain's name read out of the form by the database, the
/// form and plan themselves never leave it), walking the `(round_id, …, id)` indexes.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn summaries(
    db: &impl ConnectionTrait,
    round_id: i32,
    scope: &Scope,
    filters: &Filters,
    after: Option<i32>,
    fetch: u64,
) -> Result<Vec<Summary>, DbErr> {
    use proposal::Column as C;
    let mut q = matching(round_id, scope, filters);
    if let Some(a) = after {
        q = q.filter(C::Id.gt(a));
    }
    type Row = (
        i32,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<i32>,
        i32,
        DateTime<Utc>,
    );
    // `->>` reads a member of JSON as text on both databases (SQLite 3.38+, PostgreSQL).
    let rows: Vec<Row> = q
        .select_only()
        .column(C::Id)
        .column_as(
            Expr::cust(r#""proposal"."form" ->> 'brain_name'"#),
            "brain_name",
        )
        .column(C::Status)
        .column(C::DistrictCode)
        .column(C::ClusterCode)
        .column(C::OwnerOrganisationId)
        .column(C::Version)
        .column(C::UpdatedAt)
        .order_by_asc(C::Id)
        .limit(fetch)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(
            |(id, brain_name, status, district_code, cluster_code, owner, version, updated_at)| {
                Ok(Summary {
                    brain_name,
                    status: status.parse().map_err(|e| {
                        DbErr::Custom(format!("stored status of proposal {id}: {e}"))
                    })?,
                    id,
                    district_code,
                    cluster_code,
                    owner_organisation_id: owner,
                    version,
                    updated_at,
                })
            },
        )
        .collect()
}
