//! Reference data: districts and their industry maps, clusters, industry classes. Reads decode
//! their columns into records (a stored region, tier or map that does not read back fails loudly);
//! writes are conditional on what the caller read.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{cluster, district, industry_class};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::industry_map::IndustryMap;
use crate::domain::representativeness::Tier;
use crate::domain::selection::Region;

/// A county-level division or zone with its industry map.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    pub code: String,
    pub name: String,
    /// `district`, `county`, `autonomous_county` or `zone`.
    pub kind: String,
    pub region: Region,
    pub subregion: Option<String>,
    pub map: IndustryMap,
    /// Incremented on every change of the industry map.
    pub map_version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A cluster of the "33618" system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub code: String,
    pub name: String,
    pub tier: Tier,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A GB/T 4754-2017 industry class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndustryClass {
    pub code: String,
    pub name: String,
    /// The code one digit shorter; none for a 大类.
    pub parent: Option<String>,
    /// 1 = 大类, 2 = 中类, 3 = 小类.
    pub level: i16,
}

fn map_json(map: &IndustryMap) -> Result<(serde_json::Value, serde_json::Value), DbErr> {
    let enc = |e: serde_json::Error| DbErr::Custom(format!("encoding an industry map: {e}"));
    Ok((
        serde_json::to_value(&map.leading).map_err(enc)?,
        serde_json::to_value(&map.characteristic).map_err(enc)?,
    ))
}

/// Reads a stored district back.
///
/// # Errors
/// A region or industry map that does not read back.
pub fn decode_district(d: district::Model) -> Result<District, DbErr> {
    let region = d
        .region
        .parse::<Region>()
        .map_err(|e| DbErr::Custom(format!("stored region of district {}: {e}", d.code)))?;
    let corrupt =
        |e: serde_json::Error| DbErr::Custom(format!("stored industry map of {}: {e}", d.code));
    let map = IndustryMap {
        leading: serde_json::from_value(d.leading.clone()).map_err(corrupt)?,
        characteristic: serde_json::from_value(d.characteristic.clone()).map_err(corrupt)?,
    };
    Ok(District {
        code: d.code,
        name: d.name,
        kind: d.kind,
        region,
        subregion: d.subregion,
        map,
        map_version: d.map_version,
        updated_at: d.updated_at,
    })
}

/// Every district, or one region's, by code.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn districts(
    db: &impl ConnectionTrait,
    region: Option<Region>,
) -> Result<Vec<District>, DbErr> {
    let mut q = district::Entity::find().order_by_asc(district::Column::Code);
    if let Some(r) = region {
        q = q.filter(district::Column::Region.eq(r.as_str()));
    }
    q.all(db).await?.into_iter().map(decode_district).collect()
}

/// One district, decoded.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn find_district(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<District>, DbErr> {
    district::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .map(decode_district)
        .transpose()
}

/// The stored row of one district (for the demo loader).
///
/// # Errors
/// Database failures.
pub async fn district(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<district::Model>, DbErr> {
    district::Entity::find_by_id(code.to_owned()).one(db).await
}

/// Replaces a district's industry map if it is still at `expected_version`; the new version is
/// `expected_version + 1`. False when another writer changed it first.
///
/// # Errors
/// Database failures.
pub async fn write_industry_map(
    db: &impl ConnectionTrait,
    code: &str,
    expected_version: i32,
    map: &IndustryMap,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (leading, characteristic) = map_json(map)?;
    let r = district::Entity::update_many()
        .col_expr(district::Column::Leading, Expr::value(leading))
        .col_expr(
            district::Column::Characteristic,
            Expr::value(characteristic),
        )
        .col_expr(
            district::Column::MapVersion,
            Expr::value(expected_version + 1),
        )
        .col_expr(district::Column::UpdatedAt, Expr::value(now))
        .filter(district::Column::Code.eq(code))
        .filter(district::Column::MapVersion.eq(expected_version))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

fn decode_cluster(c: cluster::Model) -> Result<Cluster, DbErr> {
    let tier = c
        .tier
        .parse::<Tier>()
        .map_err(|e| DbErr::Custom(format!("stored tier of cluster {}: {e}", c.code)))?;
    Ok(Cluster {
        code: c.code,
        name: c.name,
        tier,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

/// Every cluster, oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn clusters(db: &impl ConnectionTrait) -> Result<Vec<Cluster>, DbErr> {
    cluster::Entity::find()
        .order_by_asc(cluster::Column::CreatedAt)
        .order_by_asc(cluster::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(decode_cluster)
        .collect()
}

/// # Errors
/// Database failures and an undecodable row.
pub async fn cluster(db: &impl ConnectionTrait, code: &str) -> Result<Option<Cluster>, DbErr> {
    cluster::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .map(decode_cluster)
        .transpose()
}

/// # Errors
/// Database failures, including a duplicate code (a unique violation).
pub async fn create_cluster(
    db: &impl ConnectionTrait,
    code: String,
    name: String,
    tier: Tier,
    now: DateTime<Utc>,
) -> Result<Cluster, DbErr> {
    let m = cluster::ActiveModel {
        code: Set(code),
        name: Set(name),
        tier: Set(tier.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    decode_cluster(m)
}

/// Renames a cluster or changes its tier if it still has the name and tier the caller read.
/// False when another writer changed it first.
///
/// # Errors
/// Database failures.
pub async fn update_cluster(
    db: &impl ConnectionTrait,
    current: &Cluster,
    name: &str,
    tier: Tier,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = cluster::Entity::update_many()
        .col_expr(cluster::Column::Name, Expr::value(name))
        .col_expr(cluster::Column::Tier, Expr::value(tier.as_str()))
        .col_expr(cluster::Column::UpdatedAt, Expr::value(now))
        .filter(cluster::Column::Code.eq(current.code.as_str()))
        .filter(cluster::Column::Name.eq(current.name.as_str()))
        .filter(cluster::Column::Tier.eq(current.tier.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

fn decode_class(c: industry_class::Model) -> IndustryClass {
    IndustryClass {
        code: c.code,
        name: c.name,
        parent: c.parent,
        level: c.level,
    }
}

/// Industry classes by code, optionally only one parent's children or one level.
///
/// # Errors
/// Database failures.
pub async fn industry_classes(
    db: &impl ConnectionTrait,
    parent: Option<&str>,
    level: Option<i16>,
) -> Result<Vec<IndustryClass>, DbErr> {
    let mut q = industry_class::Entity::find().order_by_asc(industry_class::Column::Code);
    if let Some(p) = parent {
        q = q.filter(industry_class::Column::Parent.eq(p));
    }
    if let Some(l) = level {
        q = q.filter(industry_class::Column::Level.eq(l));
    }
    Ok(q.all(db).await?.into_iter().map(decode_class).collect())
}

/// The classes among `codes` that exist.
///
/// # Errors
/// Database failures.
pub async fn existing_classes(
    db: &impl ConnectionTrait,
    codes: &[&str],
) -> Result<HashSet<String>, DbErr> {
    if codes.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(industry_class::Entity::find()
        .filter(industry_class::Column::Code.is_in(codes.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect())
}

/// Inserts a new class.
///
/// # Errors
/// Database failures, including a class inserted by another writer (a unique violation).
pub async fn insert_industry_class(
    db: &impl ConnectionTrait,
    class: &IndustryClass,
) -> Result<(), DbErr> {
    industry_class::Entity::insert(industry_class::ActiveModel {
        code: Set(class.code.clone()),
        name: Set(class.name.clone()),
        parent: Set(class.parent.clone()),
        level: Set(class.level),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Renames a class if it still has the name the caller read. False when another writer changed it
/// first.
///
/// # Errors
/// Database failures.
pub async fn rename_industry_class(
    db: &impl ConnectionTrait,
    code: &str,
    from: &str,
    to: &str,
) -> Result<bool, DbErr> {
    let r = industry_class::Entity::update_many()
        .col_expr(industry_class::Column::Name, Expr::value(to))
        .filter(industry_class::Column::Code.eq(code))
        .filter(industry_class::Column::Name.eq(from))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Reference data held in memory for validating a proposal (a few hundred rows at most).
pub struct RefData {
    districts: HashSet<String>,
    clusters: HashSet<String>,
    classes: HashMap<String, Option<String>>,
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
                .map(|c| c.code)
                .collect(),
            classes: industry_class::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.code, c.parent))
                .collect(),
        })
    }
}

impl crate::domain::proposal::ReferenceLookup for RefData {
    fn district_exists(&self, code: &str) -> bool {
        self.districts.contains(code)
    }
    fn cluster_exists(&self, code: &str) -> bool {
        self.clusters.contains(code)
    }
    fn industry_class_parent(&self, code: &str) -> Option<Option<String>> {
        self.classes.get(code).cloned()
    }
}

/// The version of the reference data as a whole: the `seq` of the last event of each of its
/// aggregate types (industry maps, clusters, classes), read in one query over the
/// `(aggregate_type, seq)` index (reference events are few). Every change of reference data is
/// such an event.
///
/// # Errors
/// Database failures.
pub async fn version(db: &impl ConnectionTrait) -> Result<String, DbErr> {
    use crate::domain::event::AggregateType;
    use entity::event;
    use sea_orm::sea_query::Func;
    use sea_orm::QuerySelect;
    let types = [
        AggregateType::IndustryMap,
        AggregateType::Cluster,
        AggregateType::IndustryClass,
    ];
    let mut last: Vec<(String, Option<i64>)> = event::Entity::find()
        .select_only()
        .column(event::Column::AggregateType)
        .expr(Func::max(Expr::col(event::Column::Seq)))
        .filter(event::Column::AggregateType.is_in(types.iter().map(|t| t.as_str())))
        .group_by(event::Column::AggregateType)
        .into_tuple()
        .all(db)
        .await?;
    last.sort();
    Ok(last
        .iter()
        .map(|(t, seq)| format!("{t}:{}", seq.unwrap_or(0)))
        .collect::<Vec<_>>()
        .join(","))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 29, 9, 0, 0).unwrap()
    }

    fn row(region: &str, leading: serde_json::Value) -> district::Model {
        district::Model {
            code: "500105".into(),
            name: "江北区".into(),
            kind: "district".into(),
            region: region.into(),
            subregion: None,
            leading,
            characteristic: json!([]),
            map_version: 3,
            updated_at: at(),
        }
    }

    #[test]
    fn a_district_reads_back_typed() {
        let d = decode_district(row(
            "main_urban",
            json!([{"kind": "cluster", "code": "icv_nev"}]),
        ))
        .unwrap();
        assert_eq!(d.region, Region::MainUrban);
        assert_eq!(d.map.leading.len(), 1);
        assert_eq!(d.map_version, 3);
    }

    #[test]
    fn stored_values_that_do_not_read_back_fail_loudly_naming_the_row() {
        for (case, model) in [
            ("unknown region", row("downtown", json!([]))),
            ("map not a list", row("main_urban", json!({"code": "x"}))),
            (
                "map entry of unknown kind",
                row("main_urban", json!([{"kind": "street", "code": "x"}])),
            ),
        ] {
            let e = decode_district(model).unwrap_err().to_string();
            assert!(e.contains("500105"), "{case}: {e}");
        }
        let cluster_row = |tier: &str| cluster::Model {
            code: "smart_home".into(),
            name: "智能家居".into(),
            tier: tier.into(),
            created_at: at(),
            updated_at: at(),
        };
        let e = decode_cluster(cluster_row("billion"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("tier of cluster smart_home"), "{e}");
        let good = cluster_row("rising_star");
        assert_eq!(decode_cluster(good).unwrap().tier, Tier::RisingStar);
    }
}
