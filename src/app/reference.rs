//! Use cases of the reference data: districts and their industry maps, clusters, industry
//! classes. Reading is open to anyone; every change is the commission's and is one public event
//! per changed object (a district's map, a cluster, a class).

use std::collections::{HashMap, HashSet};

use serde_json::json;

use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::codes::IndustryClassCode;
use crate::domain::event::AggregateRef;
use crate::domain::industry_map::{self, IndustryMap, IndustryMapEntry, MapEntryKind};
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::representativeness::Tier;
use crate::domain::role::Role;
use crate::domain::selection::Region;
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;
pub use crate::store::reference::{Cluster, District, IndustryClass};

fn changed_at_the_same_moment(what: String) -> ApiError {
    ApiError::conflict(crate::msg!(
        "conflict-was-changed-someone-else-at",
        what = what
    ))
}

/// Chongqing's districts and zones, optionally one region's (`main_urban`, `northeast`,
/// `southeast`).
///
/// # Errors
/// 400 for an unknown region.
#[tracing::instrument(skip_all, fields(region = ?region))]
pub async fn districts(state: &AppState, region: Option<&str>) -> Result<Vec<District>> {
    let region = region
        .map(|r| {
            r.parse::<Region>().map_err(|_| ApiError::BadRequest {
                detail: crate::msg!("detail-unknown-region", r = r),
                errors: vec![FieldError::new(
                    "region",
                    crate::msg!("field-one-of", values = "main_urban, northeast, southeast"),
                )],
            })
        })
        .transpose()?;
    Ok(store::reference::districts(&state.db, region).await?)
}

async fn find_district(state: &AppState, code: &str) -> Result<District> {
    store::reference::find_district(&state.db, code)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-district", code = code)))
}

/// One district or zone.
///
/// # Errors
/// 404 for an unknown code.
#[tracing::instrument(skip_all, fields(district_code = %code))]
pub async fn district(state: &AppState, code: &str) -> Result<District> {
    find_district(state, code).await
}

/// Replaces a district's industry map (commission only): within the limits, each entry an
/// existing cluster or industry class.
///
/// # Errors
/// 403 for another role, 404 for an unknown district, 422 for a map out of limits or naming
/// unknown codes, 409 when another writer changed the map at the same moment.
#[tracing::instrument(skip_all, fields(district_code = %code))]
pub async fn set_industry_map(
    state: &AppState,
    caller: &Caller,
    code: &str,
    map: IndustryMap,
) -> Result<District> {
    caller.require(&[Role::Commission])?;
    let current = find_district(state, code).await?;
    let clusters: HashSet<String> = store::reference::clusters(&state.db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let class_codes: Vec<&str> = map
        .leading
        .iter()
        .chain(&map.characteristic)
        .filter(|e| e.kind == MapEntryKind::IndustryClass)
        .map(|e| e.code.as_str())
        .collect();
    let classes = store::reference::existing_classes(&state.db, &class_codes).await?;
    let exists = |e: &IndustryMapEntry| match e.kind {
        MapEntryKind::Cluster => clusters.contains(&e.code),
        MapEntryKind::IndustryClass => classes.contains(&e.code),
    };
    ApiError::check(industry_map::validate(code, &map, exists))?;
    let payload = json_patch::diff(&map_doc(&current.map)?, &map_doc(&map)?);

    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    if !store::reference::write_industry_map(uow.db(), code, current.map_version, &map, now).await?
    {
        return Err(changed_at_the_same_moment(format!(
            "the industry map of {code}"
        )));
    }
    let version = current.map_version + 1;
    uow.record(
        NewEvent::new(AggregateType::IndustryMap, code, "set", Visibility::Public)
            .version(version)
            .payload(payload),
    );
    uow.commit().await?;
    Ok(District {
        map,
        map_version: version,
        updated_at: now,
        ..current
    })
}

fn map_doc(map: &IndustryMap) -> Result<serde_json::Value> {
    serde_json::to_value(map).map_err(|e| ApiError::Unexpected(e.into()))
}

/// The changes of a district's industry map, oldest first (anyone).
///
/// # Errors
/// 404 for an unknown district.
#[tracing::instrument(skip_all, fields(district_code = %code))]
pub async fn district_history(
    state: &AppState,
    code: &str,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<super::history::Entry>> {
    find_district(state, code).await?;
    super::history::page(
        state,
        &AggregateRef::new(AggregateType::IndustryMap, code),
        args,
    )
    .await
}

/// Every cluster, oldest first.
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip_all)]
pub async fn clusters(state: &AppState) -> Result<Vec<Cluster>> {
    Ok(store::reference::clusters(&state.db).await?)
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    if name.trim().is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            crate::msg!("field-chars", min = 1, max = 100),
        ));
    }
}

/// Adds a cluster, e.g. one of the 18 新星 clusters (commission only).
///
/// # Errors
/// 403 for another role, 422 for a bad code or name, 409 for a code that exists.
#[tracing::instrument(skip_all, fields(cluster_code = %code))]
pub async fn create_cluster(
    state: &AppState,
    caller: &Caller,
    code: String,
    name: String,
    tier: Tier,
) -> Result<Cluster> {
    caller.require(&[Role::Commission])?;
    let mut errors = Vec::new();
    let code_ok = (2..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !code_ok {
        errors.push(FieldError::new("code", crate::msg!("field-code-chars")));
    }
    check_name(&name, &mut errors);
    ApiError::check(errors)?;
    if store::reference::cluster(&state.db, &code).await?.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-cluster-exists",
            code = code
        )));
    }
    let name = name.trim().to_owned();
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let cluster = store::reference::create_cluster(uow.db(), code.clone(), name.clone(), tier, now)
        .await
        .map_err(|e| match ApiError::from(e) {
            ApiError::Conflict { .. } => {
                ApiError::conflict(crate::msg!("conflict-cluster-exists", code = code))
            }
            other => other,
        })?;
    uow.record(
        NewEvent::new(AggregateType::Cluster, &code, "create", Visibility::Public).payload(
            json_patch::diff(&json!({}), &json!({"name": name, "tier": tier.as_str()})),
        ),
    );
    uow.commit().await?;
    Ok(cluster)
}

async fn find_cluster(state: &AppState, code: &str) -> Result<Cluster> {
    store::reference::cluster(&state.db, code)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-cluster", code = code)))
}

/// Renames a cluster or changes its tier (commission only).
///
/// # Errors
/// 403 for another role, 422 for a bad name, 404 for an unknown cluster, 409 when another writer
/// changed it at the same moment.
#[tracing::instrument(skip_all, fields(cluster_code = %code))]
pub async fn update_cluster(
    state: &AppState,
    caller: &Caller,
    code: &str,
    name: Option<String>,
    tier: Option<Tier>,
) -> Result<Cluster> {
    caller.require(&[Role::Commission])?;
    let mut errors = Vec::new();
    if let Some(n) = &name {
        check_name(n, &mut errors);
    }
    ApiError::check(errors)?;
    let current = find_cluster(state, code).await?;
    let name = name.map_or_else(|| current.name.clone(), |n| n.trim().to_owned());
    let tier = tier.unwrap_or(current.tier);
    let payload: Vec<PatchOp> = [
        PatchOp::change("/name", current.name.as_str(), name.as_str()),
        PatchOp::change("/tier", current.tier.as_str(), tier.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();

    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    if !store::reference::update_cluster(uow.db(), &current, &name, tier, now).await? {
        return Err(changed_at_the_same_moment(format!("cluster {code}")));
    }
    uow.record(
        NewEvent::new(AggregateType::Cluster, code, "update", Visibility::Public).payload(payload),
    );
    uow.commit().await?;
    Ok(Cluster {
        name,
        tier,
        updated_at: now,
        ..current
    })
}

/// A cluster's changes, oldest first (anyone).
///
/// # Errors
/// 404 for an unknown cluster.
#[tracing::instrument(skip_all, fields(cluster_code = %code))]
pub async fn cluster_history(
    state: &AppState,
    code: &str,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<super::history::Entry>> {
    find_cluster(state, code).await?;
    super::history::page(
        state,
        &AggregateRef::new(AggregateType::Cluster, code),
        args,
    )
    .await
}

/// Industry classes by code, optionally one parent's children or one level.
///
/// # Errors
/// 422 for a level other than 1–3; database failures.
#[tracing::instrument(skip_all, fields(parent = ?parent, level = ?level))]
pub async fn industry_classes(
    state: &AppState,
    parent: Option<&str>,
    level: Option<i16>,
) -> Result<Vec<IndustryClass>> {
    if level.is_some_and(|l| !(1..=3).contains(&l)) {
        return Err(ApiError::field("level", crate::msg!("field-class-level")));
    }
    Ok(store::reference::industry_classes(&state.db, parent, level).await?)
}

/// One row of an import.
#[derive(Debug, Clone)]
pub struct ClassRow {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
}

/// Checks every row of an import; parents may be earlier rows or classes already stored.
fn check_rows(rows: &[ClassRow], stored: &HashMap<String, IndustryClass>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut in_batch: HashMap<&str, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let at = |f: &str| format!("[{i}].{f}");
        if row.name.trim().is_empty() || row.name.chars().count() > 200 {
            errors.push(FieldError::new(
                at("name"),
                crate::msg!("field-chars", min = 1, max = 200),
            ));
        }
        let code = match IndustryClassCode::parse(&row.code) {
            Ok(c) => c,
            Err(e) => {
                errors.push(FieldError::new(at("code"), e));
                continue;
            }
        };
        if let Some(first) = in_batch.insert(&row.code, i) {
            errors.push(FieldError::new(
                at("code"),
                crate::msg!(
                    "field-code-also-in-row",
                    code = format!("{:?}", row.code),
                    row = first
                ),
            ));
        }
        match (code.expected_parent(), row.parent.as_deref()) {
            (None, None) => {}
            (None, Some(p)) => errors.push(FieldError::new(
                at("parent"),
                crate::msg!("field-major-has-no-parent", got = format!("{p:?}")),
            )),
            (Some(want), None) => errors.push(FieldError::new(
                at("parent"),
                crate::msg!("field-parent-must-be", want = format!("{want:?}")),
            )),
            (Some(want), Some(p)) if want != p => {
                errors.push(FieldError::new(
                    at("parent"),
                    crate::msg!(
                        "field-parent-prefix",
                        want = format!("{want:?}"),
                        got = format!("{p:?}")
                    ),
                ));
            }
            (Some(want), Some(_)) => {
                let earlier = in_batch.get(want).is_some_and(|&j| j < i);
                if !earlier && !stored.contains_key(want) {
                    errors.push(FieldError::new(
                        at("parent"),
                        crate::msg!("field-parent-unknown", want = format!("{want:?}")),
                    ));
                }
            }
        }
    }
    errors
}

/// Imports classes in bulk (commission only), all or nothing: every row is checked (a code's
/// parent is its prefix one digit shorter, stored or an earlier row); a new code is added, an
/// existing one renamed. One event per class added or renamed, in one transaction. Returns the
/// number of rows imported.
///
/// # Errors
/// 403 for another role, 422 for an empty import or any bad row, 409 when another writer
/// changed a class at the same moment.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn import_industry_classes(
    state: &AppState,
    caller: &Caller,
    rows: Vec<ClassRow>,
) -> Result<usize> {
    caller.require(&[Role::Commission])?;
    if rows.is_empty() {
        return Err(ApiError::field("body", crate::msg!("field-rows-empty")));
    }
    let stored: HashMap<String, IndustryClass> =
        store::reference::industry_classes(&state.db, None, None)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), c))
            .collect();
    ApiError::check(check_rows(&rows, &stored))?;
    let n = rows.len();
    let mut prepared = rows
        .into_iter()
        .map(|r| {
            let level = IndustryClassCode::parse(&r.code)
                .map_err(|e| {
                    ApiError::Unexpected(anyhow::anyhow!("a checked row: {}", e.debug_line()))
                })?
                .level();
            Ok(IndustryClass {
                code: r.code,
                name: r.name.trim().to_owned(),
                parent: r.parent,
                level,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // Parents first.
    prepared.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));

    let mut uow = Uow::begin(state, caller).await?;
    for class in prepared {
        let event = |ops: Vec<PatchOp>| {
            NewEvent::new(
                AggregateType::IndustryClass,
                &class.code,
                "import",
                Visibility::Public,
            )
            .payload(ops)
        };
        match stored.get(&class.code) {
            None => {
                store::reference::insert_industry_class(uow.db(), &class)
                    .await
                    .map_err(|e| match ApiError::from(e) {
                        ApiError::Conflict { .. } => {
                            changed_at_the_same_moment(format!("industry class {}", class.code))
                        }
                        other => other,
                    })?;
                let doc = json!({"name": class.name, "parent": class.parent, "level": class.level});
                uow.record(event(json_patch::diff(
                    &json!({}),
                    &json_patch::strip_nulls(&doc),
                )));
            }
            Some(old) if old.name == class.name => {}
            Some(old) => {
                if !store::reference::rename_industry_class(
                    uow.db(),
                    &class.code,
                    &old.name,
                    &class.name,
                )
                .await?
                {
                    return Err(changed_at_the_same_moment(format!(
                        "industry class {}",
                        class.code
                    )));
                }
                uow.record(event(
                    PatchOp::change("/name", old.name.as_str(), class.name.as_str())
                        .into_iter()
                        .collect(),
                ));
            }
        }
    }
    uow.commit().await?;
    Ok(n)
}
