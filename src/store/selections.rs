//! Selection runs and published list versions.

use chrono::{DateTime, Utc};
use entity::{list_item, list_version, selection_run};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

pub struct NewRun {
    pub round_id: i32,
    pub created_by: i32,
    pub inputs: serde_json::Value,
    pub inputs_hash: String,
    pub solver: String,
    pub solver_version: String,
    pub objective: Option<i64>,
    pub result: serde_json::Value,
}

/// # Errors
/// Database failures.
pub async fn create_run(
    db: &impl ConnectionTrait,
    r: NewRun,
    now: DateTime<Utc>,
) -> Result<selection_run::Model, DbErr> {
    selection_run::ActiveModel {
        round_id: Set(r.round_id),
        created_by: Set(r.created_by),
        created_at: Set(now),
        inputs: Set(r.inputs),
        inputs_hash: Set(r.inputs_hash),
        solver: Set(r.solver),
        solver_version: Set(r.solver_version),
        outcome: Set("solved".into()),
        objective: Set(r.objective),
        result: Set(r.result),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// # Errors
/// Database failures.
pub async fn run(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<selection_run::Model>, DbErr> {
    selection_run::Entity::find_by_id(id).one(db).await
}

/// # Errors
/// Database failures.
pub async fn runs(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<selection_run::Model>, DbErr> {
    selection_run::Entity::find()
        .filter(selection_run::Column::RoundId.eq(round_id))
        .order_by_asc(selection_run::Column::Id)
        .all(db)
        .await
}

/// All published versions of a round's list, oldest first.
///
/// # Errors
/// Database failures.
pub async fn versions(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<list_version::Model>, DbErr> {
    list_version::Entity::find()
        .filter(list_version::Column::RoundId.eq(round_id))
        .order_by_asc(list_version::Column::Version)
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn items(
    db: &impl ConnectionTrait,
    version_id: i32,
) -> Result<Vec<list_item::Model>, DbErr> {
    list_item::Entity::find()
        .filter(list_item::Column::ListVersionId.eq(version_id))
        .order_by_asc(list_item::Column::Rank)
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn item(db: &impl ConnectionTrait, id: i32) -> Result<Option<list_item::Model>, DbErr> {
    list_item::Entity::find_by_id(id).one(db).await
}

pub struct NewItem {
    pub rank: i32,
    pub proposal_id: i32,
    pub direction: String,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub industry_class: serde_json::Value,
    pub targets: serde_json::Value,
    pub total: i64,
}

/// Writes a version and its items (inside the caller's transaction).
///
/// # Errors
/// Database failures, including a concurrent publisher of the same version.
#[expect(
    clippy::too_many_arguments,
    reason = "one column each; a struct would only rename them"
)]
pub async fn publish(
    db: &impl ConnectionTrait,
    round_id: i32,
    version: i32,
    selection_id: i32,
    note: String,
    correction_reason: Option<String>,
    published_by: i32,
    items: Vec<NewItem>,
    now: DateTime<Utc>,
) -> Result<list_version::Model, DbErr> {
    let v = list_version::ActiveModel {
        round_id: Set(round_id),
        version: Set(version),
        selection_id: Set(selection_id),
        note: Set(note),
        correction_reason: Set(correction_reason),
        published_by: Set(published_by),
        published_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for i in items {
        list_item::ActiveModel {
            list_version_id: Set(v.id),
            rank: Set(i.rank),
            proposal_id: Set(i.proposal_id),
            direction: Set(i.direction),
            district_code: Set(i.district_code),
            cluster_code: Set(i.cluster_code),
            industry_class: Set(i.industry_class),
            targets: Set(i.targets),
            total: Set(i.total),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(v)
}

/// # Errors
/// Database failures.
pub async fn version(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<list_version::Model>, DbErr> {
    list_version::Entity::find_by_id(id).one(db).await
}
