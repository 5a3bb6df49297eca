//! District inventories (二.1 and 三(一) of the notice): each district's leading (链主) and
//! 专精特新 enterprises and its characteristic clusters, written by the commission or the
//! district's own officer, read by any signed-in user (the programme's lists). A proposal's
//! claims are set beside them by [`check`]: shown to whoever may read the proposal, never used
//! in its score. Each write is one commission-readable event.

use serde_json::Value;

use super::{proposals, AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::inventory::{
    self, ClusterInput, DistrictCluster, Enterprise, EnterpriseInput, EnterpriseKind, Finding,
};
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::role::Role;
use crate::error::{ApiError, Result};
use crate::extract::{etag, IfMatch};
use crate::state::AppState;
use crate::store;

pub fn enterprise_etag(e: &Enterprise) -> String {
    etag("district-enterprise", e.id, e.version)
}

pub fn cluster_etag(c: &DistrictCluster) -> String {
    etag("district-cluster", c.id, c.version)
}

/// The district must exist (404 otherwise).
async fn district(state: &AppState, code: &str) -> Result<()> {
    store::reference::district(&state.db, code)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-district", code = code)))
}

/// Writers: the commission, or a district officer for its own district.
fn may_write(caller: &Caller, code: &str) -> Result<()> {
    caller.require(&[Role::Commission, Role::District])?;
    if caller.is(Role::District) && caller.district_code.as_deref() != Some(code) {
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-district-officer-inventory-own"
        )));
    }
    Ok(())
}

fn enterprise_doc(e: &Enterprise) -> Value {
    json_patch::strip_nulls(&serde_json::json!({
        "district_code": e.district_code,
        "kind": e.kind.as_str(),
        "name": e.name,
        "uscc": e.uscc,
        "cluster_code": e.cluster_code,
        "industry_class": e.industry_class,
        "scale": e.scale,
        "in_city_suppliers": e.in_city_suppliers,
        "year": e.year,
    }))
}

fn cluster_doc(c: &DistrictCluster) -> Value {
    json_patch::strip_nulls(&serde_json::json!({
        "district_code": c.district_code,
        "cluster_code": c.cluster_code,
        "name": c.name,
        "scale": c.scale,
        "enterprise_count": c.enterprise_count,
        "year": c.year,
    }))
}

fn conflict_enterprise(e: sea_orm::DbErr) -> ApiError {
    match ApiError::from(e) {
        ApiError::Conflict { .. } => {
            ApiError::conflict(crate::msg!("conflict-inventory-enterprise-listed"))
        }
        other => other,
    }
}

fn conflict_cluster(e: sea_orm::DbErr) -> ApiError {
    match ApiError::from(e) {
        ApiError::Conflict { .. } => {
            ApiError::conflict(crate::msg!("conflict-inventory-cluster-recorded"))
        }
        other => other,
    }
}

/// A district's enterprises (any signed-in user), of one kind or cluster when given.
///
/// # Errors
/// 404 for an unknown district.
pub async fn enterprises(
    state: &AppState,
    code: &str,
    kind: Option<EnterpriseKind>,
    cluster: Option<&str>,
) -> Result<Vec<Enterprise>> {
    district(state, code).await?;
    Ok(store::inventories::enterprises(&state.db, code, kind, cluster).await?)
}

/// One enterprise of a district (any signed-in user).
///
/// # Errors
/// 404 for an unknown district or an entry of another district.
pub async fn enterprise(state: &AppState, code: &str, id: i32) -> Result<Enterprise> {
    store::inventories::enterprise(&state.db, id)
        .await?
        .filter(|e| e.district_code == code)
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-inventory-entry", id = id)))
}

/// Lists an enterprise in a district's inventory.
///
/// # Errors
/// 403 for another role or another district, 404 for an unknown district, 409 for an
/// enterprise already in that list, 422 for bad fields.
#[tracing::instrument(skip_all, fields(district_code = code))]
pub async fn add_enterprise(
    state: &AppState,
    caller: &Caller,
    code: &str,
    input: EnterpriseInput,
) -> Result<Enterprise> {
    may_write(caller, code)?;
    district(state, code).await?;
    let refs = store::reference::RefData::load(&state.db).await?;
    let input = inventory::validate_enterprise(&input, &refs).map_err(ApiError::Validation)?;
    let mut uow = Uow::begin(state, caller).await?;
    let e = store::inventories::insert_enterprise(uow.db(), code, &input, caller.id, uow.now())
        .await
        .map_err(conflict_enterprise)?;
    uow.record(
        NewEvent::new(
            AggregateType::DistrictEnterprise,
            e.id,
            "create",
            Visibility::Commission,
        )
        .version(e.version)
        .payload(json_patch::diff(
            &serde_json::json!({}),
            &enterprise_doc(&e),
        )),
    );
    uow.commit().await?;
    Ok(e)
}

/// Replaces an enterprise's fields (`If-Match`).
///
/// # Errors
/// 403, 404, 409 (listed), 412/428, 422.
#[tracing::instrument(skip_all, fields(district_code = code, id))]
pub async fn replace_enterprise(
    state: &AppState,
    caller: &Caller,
    code: &str,
    id: i32,
    if_match: &IfMatch,
    input: EnterpriseInput,
) -> Result<Enterprise> {
    may_write(caller, code)?;
    // Bad input is a 422 whatever the version sent.
    let refs = store::reference::RefData::load(&state.db).await?;
    let input = inventory::validate_enterprise(&input, &refs).map_err(ApiError::Validation)?;
    let before = enterprise(state, code, id).await?;
    if_match.check(&enterprise_etag(&before))?;
    let after = Enterprise {
        kind: input.kind,
        name: input.name.clone(),
        uscc: input.uscc.clone(),
        cluster_code: input.cluster_code.clone(),
        industry_class: input.industry_class.clone(),
        scale: input.scale,
        in_city_suppliers: input.in_city_suppliers,
        year: input.year,
        version: before.version + 1,
        ..before.clone()
    };
    let ops: Vec<PatchOp> = json_patch::diff(&enterprise_doc(&before), &enterprise_doc(&after));
    if ops.is_empty() {
        return Ok(before);
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    if !store::inventories::update_enterprise(uow.db(), id, before.version, &input, now)
        .await
        .map_err(conflict_enterprise)?
    {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-inventory-changed-meanwhile"
        )));
    }
    let after = Enterprise {
        updated_at: now,
        ..after
    };
    uow.record(
        NewEvent::new(
            AggregateType::DistrictEnterprise,
            id,
            "update",
            Visibility::Commission,
        )
        .version(after.version)
        .payload(ops),
    );
    uow.commit().await?;
    Ok(after)
}

/// A district's characteristic clusters (any signed-in user), of one cluster when given.
///
/// # Errors
/// 404 for an unknown district.
pub async fn clusters(
    state: &AppState,
    code: &str,
    cluster: Option<&str>,
) -> Result<Vec<DistrictCluster>> {
    district(state, code).await?;
    Ok(store::inventories::clusters(&state.db, code, cluster).await?)
}

async fn cluster(state: &AppState, code: &str, id: i32) -> Result<DistrictCluster> {
    store::inventories::cluster(&state.db, id)
        .await?
        .filter(|c| c.district_code == code)
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-inventory-entry", id = id)))
}

/// Records a characteristic cluster of a district for a data year.
///
/// # Errors
/// 403, 404 (district), 409 (that cluster and year recorded), 422.
#[tracing::instrument(skip_all, fields(district_code = code))]
pub async fn add_cluster(
    state: &AppState,
    caller: &Caller,
    code: &str,
    input: ClusterInput,
) -> Result<DistrictCluster> {
    may_write(caller, code)?;
    district(state, code).await?;
    let refs = store::reference::RefData::load(&state.db).await?;
    let input = inventory::validate_cluster(&input, &refs).map_err(ApiError::Validation)?;
    let mut uow = Uow::begin(state, caller).await?;
    let c = store::inventories::insert_cluster(uow.db(), code, &input, caller.id, uow.now())
        .await
        .map_err(conflict_cluster)?;
    uow.record(
        NewEvent::new(
            AggregateType::DistrictCluster,
            c.id,
            "create",
            Visibility::Commission,
        )
        .version(c.version)
        .payload(json_patch::diff(&serde_json::json!({}), &cluster_doc(&c))),
    );
    uow.commit().await?;
    Ok(c)
}

/// Replaces a characteristic cluster's fields (`If-Match`).
///
/// # Errors
/// 403, 404, 409 (that cluster and year recorded), 412/428, 422.
#[tracing::instrument(skip_all, fields(district_code = code, id))]
pub async fn replace_cluster(
    state: &AppState,
    caller: &Caller,
    code: &str,
    id: i32,
    if_match: &IfMatch,
    input: ClusterInput,
) -> Result<DistrictCluster> {
    may_write(caller, code)?;
    // Bad input is a 422 whatever the version sent.
    let refs = store::reference::RefData::load(&state.db).await?;
    let input = inventory::validate_cluster(&input, &refs).map_err(ApiError::Validation)?;
    let before = cluster(state, code, id).await?;
    if_match.check(&cluster_etag(&before))?;
    let after = DistrictCluster {
        cluster_code: input.cluster_code.clone(),
        name: input.name.clone(),
        scale: input.scale,
        enterprise_count: input.enterprise_count,
        year: input.year,
        version: before.version + 1,
        ..before.clone()
    };
    let ops = json_patch::diff(&cluster_doc(&before), &cluster_doc(&after));
    if ops.is_empty() {
        return Ok(before);
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    if !store::inventories::update_cluster(uow.db(), id, before.version, &input, now)
        .await
        .map_err(conflict_cluster)?
    {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-inventory-changed-meanwhile"
        )));
    }
    let after = DistrictCluster {
        updated_at: now,
        ..after
    };
    uow.record(
        NewEvent::new(
            AggregateType::DistrictCluster,
            id,
            "update",
            Visibility::Commission,
        )
        .version(after.version)
        .payload(ops),
    );
    uow.commit().await?;
    Ok(after)
}

/// The inventory check of one proposal.
#[derive(Debug, Clone)]
pub struct Check {
    pub proposal_id: i32,
    pub district_code: String,
    pub findings: Vec<Finding>,
}

/// What a proposal's form claims set beside its district's inventory (whoever may read the
/// proposal). Nothing is changed; the score does not use it.
///
/// # Errors
/// 404 for a proposal outside the caller's scope.
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn check(state: &AppState, caller: &Caller, id: i32) -> Result<Check> {
    let p = proposals::visible(state, caller, id).await?;
    let district = p.district_code.clone();
    let mut enterprises = store::inventories::enterprises(&state.db, &district, None, None).await?;
    let missing: Vec<i32> = inventory::referenced_ids(&p.form)
        .into_iter()
        .filter(|id| !enterprises.iter().any(|e| e.id == *id))
        .collect();
    enterprises.extend(store::inventories::enterprises_by_id(&state.db, &missing).await?);
    let clusters = store::inventories::clusters(&state.db, &district, None).await?;
    let findings = inventory::check(&p.form, &district, &enterprises, &clusters);
    Ok(Check {
        proposal_id: p.id,
        district_code: district,
        findings,
    })
}

/// The form's inventory references that name no entry, as field errors (create and edit).
///
/// # Errors
/// Database failures.
pub(crate) async fn unknown_references(
    state: &AppState,
    form: &crate::domain::proposal::ProposalForm,
) -> Result<Vec<crate::error::FieldError>> {
    let ids: Vec<i32> = inventory::referenced_ids(form)
        .into_iter()
        .filter(|id| *id > 0)
        .collect();
    let found: Vec<i32> = store::inventories::enterprises_by_id(&state.db, &ids)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut errors = Vec::new();
    let unknown = |id: &i32| *id > 0 && !found.contains(id);
    if let Some(id) = form.chain_leader.inventory_id.filter(unknown) {
        errors.push(crate::error::FieldError::new(
            "form.chain_leader.inventory_id",
            crate::msg!("field-no-inventory-entry", id = id),
        ));
    }
    for (i, id) in form.supplier_inventory_ids.iter().enumerate() {
        if unknown(id) {
            errors.push(crate::error::FieldError::new(
                format!("form.supplier_inventory_ids[{i}]"),
                crate::msg!("field-no-inventory-entry", id = id),
            ));
        }
    }
    Ok(errors)
}
