//! Reference data: districts and their industry maps, clusters, industry classes.

use chrono::{DateTime, Utc};
use entity::{cluster, district, industry_class};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

use crate::domain::industry_map::IndustryMap;

/// # Errors
/// Database failures.
pub async fn districts(
    db: &impl ConnectionTrait,
    region: Option<&str>,
) -> Result<Vec<district::Model>, DbErr> {
    let mut q = district::Entity::find().order_by_asc(district::Column::Code);
    if let Some(r) = region {
        q = q.filter(district::Column::Region.eq(r));
    }
    q.all(db).await
}

/// # Errors
/// Database failures.
pub async fn district(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<district::Model>, DbErr> {
    district::Entity::find_by_id(code.to_owned()).one(db).await
}

/// Replaces a district's industry map and bumps its version.
///
/// # Errors
/// Database failures.
pub async fn set_industry_map(
    db: &impl ConnectionTrait,
    current: district::Model,
    map: &IndustryMap,
    now: DateTime<Utc>,
) -> Result<district::Model, DbErr> {
    let version = current.map_version + 1;
    let mut active: district::ActiveModel = current.into();
    active.leading = Set(serde_json::to_value(&map.leading).unwrap_or_default());
    active.characteristic = Set(serde_json::to_value(&map.characteristic).unwrap_or_default());
    active.map_version = Set(version);
    active.updated_at = Set(now);
    active.update(db).await
}

/// # Errors
/// Database failures.
pub async fn clusters(db: &impl ConnectionTrait) -> Result<Vec<cluster::Model>, DbErr> {
    cluster::Entity::find()
        .order_by_asc(cluster::Column::CreatedAt)
        .order_by_asc(cluster::Column::Code)
        .all(db)
        .await
}

/// # Errors
/// Database failures.
pub async fn cluster(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<cluster::Model>, DbErr> {
    cluster::Entity::find_by_id(code.to_owned()).one(db).await
}

/// # Errors
/// Database failures, including a duplicate code.
pub async fn create_cluster(
    db: &impl ConnectionTrait,
    code: String,
    name: String,
    tier: String,
    now: DateTime<Utc>,
) -> Result<cluster::Model, DbErr> {
    cluster::ActiveModel {
        code: Set(code),
        name: Set(name),
        tier: Set(tier),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// # Errors
/// Database failures.
pub async fn update_cluster(
    db: &impl ConnectionTrait,
    current: cluster::Model,
    name: Option<String>,
    tier: Option<String>,
    now: DateTime<Utc>,
) -> Result<cluster::Model, DbErr> {
    let mut active: cluster::ActiveModel = current.into();
    if let Some(n) = name {
        active.name = Set(n);
    }
    if let Some(t) = tier {
        active.tier = Set(t);
    }
    active.updated_at = Set(now);
    active.update(db).await
}

/// # Errors
/// Database failures.
pub async fn industry_classes(
    db: &impl ConnectionTrait,
    parent: Option<&str>,
    level: Option<i16>,
) -> Result<Vec<industry_class::Model>, DbErr> {
    let mut q = industry_class::Entity::find().order_by_asc(industry_class::Column::Code);
    if let Some(p) = parent {
        q = q.filter(industry_class::Column::Parent.eq(p));
    }
    if let Some(l) = level {
        q = q.filter(industry_class::Column::Level.eq(l));
    }
    q.all(db).await
}

/// # Errors
/// Database failures.
pub async fn industry_class(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<industry_class::Model>, DbErr> {
    industry_class::Entity::find_by_id(code.to_owned())
        .one(db)
        .await
}

/// Inserts or renames classes in one transaction; rows must come parents first.
///
/// # Errors
/// Database failures; nothing is written then.
pub async fn import_industry_classes<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    rows: Vec<(String, String, Option<String>, i16)>,
) -> Result<usize, DbErr> {
    let txn = db.begin().await?;
    let n = rows.len();
    for (code, name, parent, level) in rows {
        industry_class::Entity::insert(industry_class::ActiveModel {
            code: Set(code),
            name: Set(name),
            parent: Set(parent),
            level: Set(level),
        })
        .on_conflict(
            OnConflict::column(industry_class::Column::Code)
                .update_column(industry_class::Column::Name)
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}

/// Reference data held in memory for validating a proposal (a few hundred rows at most).
pub struct RefData {
    districts: std::collections::HashSet<String>,
    clusters: std::collections::HashMap<String, String>,
    classes: std::collections::HashMap<String, Option<String>>,
}

impl RefData {
    /// # Errors
    /// Database failures.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        Ok(Self {
            districts: district::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|d| d.code)
                .collect(),
            clusters: cluster::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.code, c.tier))
                .collect(),
            classes: industry_class::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.code, c.parent))
                .collect(),
        })
    }

    /// The stored tier name of a cluster.
    pub fn cluster_tier(&self, code: &str) -> Option<&str> {
        self.clusters.get(code).map(String::as_str)
    }
}

impl crate::domain::proposal::ReferenceLookup for RefData {
    fn district_exists(&self, code: &str) -> bool {
        self.districts.contains(code)
    }
    fn cluster_exists(&self, code: &str) -> bool {
        self.clusters.contains_key(code)
    }
    fn industry_class_parent(&self, code: &str) -> Option<Option<String>> {
        self.classes.get(code).cloned()
    }
}
