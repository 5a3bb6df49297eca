//! District inventories: enterprises (链主, 专精特新) and characteristic clusters.

use chrono::{DateTime, Utc};
use entity::{district_cluster, district_enterprise};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::inventory::{
    ClusterInput, DistrictCluster, Enterprise, EnterpriseInput, EnterpriseKind,
};
use crate::domain::money::Money;

fn bad(what: &str, id: i32, e: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("stored {what} of inventory entry {id}: {e}"))
}

fn money(v: Option<i64>, id: i32) -> Result<Option<Money>, DbErr> {
    v.map(Money::from_hundredths)
        .transpose()
        .map_err(|e| bad("scale", id, e))
}

fn count(v: Option<i32>, id: i32) -> Result<Option<u32>, DbErr> {
    v.map(u32::try_from)
        .transpose()
        .map_err(|e| bad("count", id, e))
}

fn to_i32(v: Option<u32>) -> Option<i32> {
    // Counts come from the API as u32 and are far below i32::MAX in practice; saturate rather
    // than wrap should one not be.
    v.map(|n| i32::try_from(n).unwrap_or(i32::MAX))
}

fn decode_enterprise(m: district_enterprise::Model) -> Result<Enterprise, DbErr> {
    let kind: EnterpriseKind = m.kind.parse().map_err(|e| bad("kind", m.id, e))?;
    Ok(Enterprise {
        kind,
        scale: money(m.scale, m.id)?,
        in_city_suppliers: count(m.in_city_suppliers, m.id)?,
        id: m.id,
        district_code: m.district_code,
        name: m.name,
        uscc: m.uscc,
        cluster_code: m.cluster_code,
        industry_class: m.industry_class,
        year: m.year,
        version: m.version,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn decode_cluster(m: district_cluster::Model) -> Result<DistrictCluster, DbErr> {
    Ok(DistrictCluster {
        scale: money(m.scale, m.id)?,
        enterprise_count: count(m.enterprise_count, m.id)?,
        id: m.id,
        district_code: m.district_code,
        cluster_code: m.cluster_code,
        name: m.name,
        year: m.year,
        version: m.version,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// A district's enterprises, by kind and cluster when given, in id order.
///
/// # Errors
/// Database failures; a stored value that does not decode.
pub async fn enterprises(
    db: &impl ConnectionTrait,
    district: &str,
    kind: Option<EnterpriseKind>,
    cluster: Option<&str>,
) -> Result<Vec<Enterprise>, DbErr> {
    let mut q = district_enterprise::Entity::find()
        .filter(district_enterprise::Column::DistrictCode.eq(district));
    if let Some(k) = kind {
        q = q.filter(district_enterprise::Column::Kind.eq(k.as_str()));
    }
    if let Some(c) = cluster {
        q = q.filter(district_enterprise::Column::ClusterCode.eq(c));
    }
    q.order_by_asc(district_enterprise::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode_enterprise)
        .collect()
}

/// The enterprises with these ids (of any district).
///
/// # Errors
/// Database failures; a stored value that does not decode.
pub async fn enterprises_by_id(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<Enterprise>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    district_enterprise::Entity::find()
        .filter(district_enterprise::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(district_enterprise::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode_enterprise)
        .collect()
}

/// # Errors
/// Database failures; a stored value that does not decode.
pub async fn enterprise(db: &impl ConnectionTrait, id: i32) -> Result<Option<Enterprise>, DbErr> {
    district_enterprise::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode_enterprise)
        .transpose()
}

/// # Errors
/// Database failures (a unique violation for an enterprise already in that list).
pub async fn insert_enterprise(
    db: &impl ConnectionTrait,
    district: &str,
    e: &EnterpriseInput,
    by: i32,
    now: DateTime<Utc>,
) -> Result<Enterprise, DbErr> {
    let m = district_enterprise::ActiveModel {
        district_code: Set(district.to_owned()),
        kind: Set(e.kind.as_str().to_owned()),
        name: Set(e.name.clone()),
        uscc: Set(e.uscc.clone()),
        cluster_code: Set(e.cluster_code.clone()),
        industry_class: Set(e.industry_class.clone()),
        scale: Set(e.scale.map(Money::hundredths)),
        in_city_suppliers: Set(to_i32(e.in_city_suppliers)),
        year: Set(e.year),
        version: Set(1),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode_enterprise(m)
}

/// Replaces an enterprise's fields if it is still at `version`. False when another writer
/// changed it first.
///
/// # Errors
/// Database failures (a unique violation when the new kind and credit code are listed).
pub async fn update_enterprise(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    e: &EnterpriseInput,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use district_enterprise::Column as C;
    let r = district_enterprise::Entity::update_many()
        .col_expr(C::Kind, Expr::value(e.kind.as_str()))
        .col_expr(C::Name, Expr::value(e.name.clone()))
        .col_expr(C::Uscc, Expr::value(e.uscc.clone()))
        .col_expr(C::ClusterCode, Expr::value(e.cluster_code.clone()))
        .col_expr(C::IndustryClass, Expr::value(e.industry_class.clone()))
        .col_expr(C::Scale, Expr::value(e.scale.map(Money::hundredths)))
        .col_expr(C::InCitySuppliers, Expr::value(to_i32(e.in_city_suppliers)))
        .col_expr(C::Year, Expr::value(e.year))
        .col_expr(C::Version, Expr::value(version + 1))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::Id.eq(id))
        .filter(C::Version.eq(version))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// A district's characteristic clusters, by cluster when given, in id order.
///
/// # Errors
/// Database failures; a stored value that does not decode.
pub async fn clusters(
    db: &impl ConnectionTrait,
    district: &str,
    cluster: Option<&str>,
) -> Result<Vec<DistrictCluster>, DbErr> {
    let mut q = district_cluster::Entity::find()
        .filter(district_cluster::Column::DistrictCode.eq(district));
    if let Some(c) = cluster {
        q = q.filter(district_cluster::Column::ClusterCode.eq(c));
    }
    q.order_by_asc(district_cluster::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode_cluster)
        .collect()
}

/// # Errors
/// Database failures; a stored value that does not decode.
pub async fn cluster(db: &impl ConnectionTrait, id: i32) -> Result<Option<DistrictCluster>, DbErr> {
    district_cluster::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode_cluster)
        .transpose()
}

/// # Errors
/// Database failures (a unique violation for a cluster and year already recorded).
pub async fn insert_cluster(
    db: &impl ConnectionTrait,
    district: &str,
    c: &ClusterInput,
    by: i32,
    now: DateTime<Utc>,
) -> Result<DistrictCluster, DbErr> {
    let m = district_cluster::ActiveModel {
        district_code: Set(district.to_owned()),
        cluster_code: Set(c.cluster_code.clone()),
        name: Set(c.name.clone()),
        scale: Set(c.scale.map(Money::hundredths)),
        enterprise_count: Set(to_i32(c.enterprise_count)),
        year: Set(c.year),
        version: Set(1),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    decode_cluster(m)
}

/// Replaces a characteristic cluster's fields if it is still at `version`. False when another
/// writer changed it first.
///
/// # Errors
/// Database failures (a unique violation when the new cluster and year are recorded).
pub async fn update_cluster(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    c: &ClusterInput,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use district_cluster::Column as C;
    let r = district_cluster::Entity::update_many()
        .col_expr(C::ClusterCode, Expr::value(c.cluster_code.clone()))
        .col_expr(C::Name, Expr::value(c.name.clone()))
        .col_expr(C::Scale, Expr::value(c.scale.map(Money::hundredths)))
        .col_expr(C::EnterpriseCount, Expr::value(to_i32(c.enterprise_count)))
        .col_expr(C::Year, Expr::value(c.year))
        .col_expr(C::Version, Expr::value(version + 1))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::Id.eq(id))
        .filter(C::Version.eq(version))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
