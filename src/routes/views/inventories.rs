//! Request and response types of district inventories (链主 and 专精特新 enterprises,
//! characteristic clusters) and of a proposal's inventory check.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::app::inventories::{cluster_etag, enterprise_etag, Check};
use crate::domain::inventory::{
    ClusterInput, DistrictCluster, Enterprise, EnterpriseInput, EnterpriseKind, Finding,
    InventoryOutcome,
};
use crate::domain::money::Money;
use crate::i18n::Render;

/// An enterprise of a district's inventory, as written (create or replace).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "chain_leader",
    "name": "重庆示例日化有限公司",
    "uscc": "91500105MA0000009H",
    "cluster_code": "light_textile",
    "industry_class": "2683",
    "scale": 50000,
    "in_city_suppliers": 120,
    "year": 2022
}))]
pub struct EnterpriseBody {
    /// `chain_leader` (领军（链主）企业) or `specialised` (专精特新企业).
    pub kind: EnterpriseKind,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// 统一社会信用代码: 18 characters (GB 32100-2015) with a valid check character.
    #[schema(
        example = "91500105MA0000009H",
        pattern = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
    )]
    pub uscc: String,
    /// Its "33618" cluster, a code of the clusters reference list.
    #[serde(default)]
    pub cluster_code: Option<String>,
    /// Its GB/T 4754-2017 industry class (any level), a code of the reference list.
    #[serde(default)]
    pub industry_class: Option<String>,
    /// Enterprise scale (企业规模) in 万元.
    #[serde(default)]
    pub scale: Option<Money>,
    /// Suppliers inside Chongqing (市内供应商数量): chain leaders only.
    #[serde(default)]
    pub in_city_suppliers: Option<u32>,
    /// The year the figures are from (the notice asks for 2022), 2000–2100.
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

impl From<EnterpriseBody> for EnterpriseInput {
    fn from(b: EnterpriseBody) -> Self {
        Self {
            kind: b.kind,
            name: b.name,
            uscc: b.uscc,
            cluster_code: b.cluster_code,
            industry_class: b.industry_class,
            scale: b.scale,
            in_city_suppliers: b.in_city_suppliers,
            year: b.year,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EnterpriseDto {
    pub id: i32,
    pub district_code: String,
    pub kind: EnterpriseKind,
    pub name: String,
    pub uscc: String,
    pub cluster_code: Option<String>,
    pub industry_class: Option<String>,
    pub scale: Option<Money>,
    pub in_city_suppliers: Option<u32>,
    pub year: i32,
    pub version: i32,
    pub etag: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Enterprise> for EnterpriseDto {
    fn from(e: Enterprise) -> Self {
        Self {
            etag: enterprise_etag(&e),
            id: e.id,
            district_code: e.district_code,
            kind: e.kind,
            name: e.name,
            uscc: e.uscc,
            cluster_code: e.cluster_code,
            industry_class: e.industry_class,
            scale: e.scale,
            in_city_suppliers: e.in_city_suppliers,
            year: e.year,
            version: e.version,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An enterprise with its ETag.
pub fn respond_enterprise(status: StatusCode, e: Enterprise) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, enterprise_etag(&e)))
        .json(EnterpriseDto::from(e))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EnterpriseQuery {
    /// Only this list: `chain_leader` or `specialised`.
    pub kind: Option<EnterpriseKind>,
    /// Only enterprises of this "33618" cluster.
    pub cluster: Option<String>,
    /// The cursor: the last id seen, as in the `Link` header's next page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Items per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CharacteristicClusterQuery {
    /// Only records of this "33618" cluster.
    pub cluster: Option<String>,
}

/// A characteristic cluster (特色产业集群) of a district for one data year, as written.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "cluster_code": "light_textile",
    "name": "口腔清洁用品产业集群",
    "scale": 900000,
    "enterprise_count": 85,
    "year": 2022
}))]
pub struct CharacteristicClusterBody {
    /// The "33618" cluster it belongs to, a code of the clusters reference list.
    pub cluster_code: String,
    /// The district's name for it.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Cluster scale (产业集群规模) in 万元.
    #[serde(default)]
    pub scale: Option<Money>,
    /// Number of enterprises (产业集群企业数量).
    #[serde(default)]
    pub enterprise_count: Option<u32>,
    /// The year the figures are from, 2000–2100.
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

impl From<CharacteristicClusterBody> for ClusterInput {
    fn from(b: CharacteristicClusterBody) -> Self {
        Self {
            cluster_code: b.cluster_code,
            name: b.name,
            scale: b.scale,
            enterprise_count: b.enterprise_count,
            year: b.year,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DistrictClusterDto {
    pub id: i32,
    pub district_code: String,
    pub cluster_code: String,
    pub name: String,
    pub scale: Option<Money>,
    pub enterprise_count: Option<u32>,
    pub year: i32,
    pub version: i32,
    pub etag: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DistrictCluster> for DistrictClusterDto {
    fn from(c: DistrictCluster) -> Self {
        Self {
            etag: cluster_etag(&c),
            id: c.id,
            district_code: c.district_code,
            cluster_code: c.cluster_code,
            name: c.name,
            scale: c.scale,
            enterprise_count: c.enterprise_count,
            year: c.year,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A characteristic cluster with its ETag.
pub fn respond_cluster(status: StatusCode, c: DistrictCluster) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, cluster_etag(&c)))
        .json(DistrictClusterDto::from(c))
}

/// One claim of the form beside the inventory.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InventoryFindingDto {
    /// The form's field, e.g. `form.chain_leader.scale`.
    pub field: String,
    pub outcome: InventoryOutcome,
    /// What the form says.
    pub claimed: Option<Value>,
    /// What the inventory records.
    pub recorded: Option<Value>,
    /// The inventory entry compared with (an enterprise or a characteristic cluster).
    pub entry_id: Option<i32>,
    /// The finding in words, in the request's language.
    pub message: String,
}

impl From<Finding> for InventoryFindingDto {
    fn from(f: Finding) -> Self {
        Self {
            message: f.message.render(crate::i18n::current()),
            field: f.field,
            outcome: f.outcome,
            claimed: f.claimed,
            recorded: f.recorded,
            entry_id: f.entry_id,
        }
    }
}

/// A proposal's claims set beside its district's inventory. The score does not use it: the
/// claimed figures stay what the applicant said; a mismatch is for the reviewer to see.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InventoryCheckDto {
    pub proposal_id: i32,
    pub district_code: String,
    /// True when some finding is not a `match`.
    pub attention: bool,
    pub findings: Vec<InventoryFindingDto>,
}

impl From<Check> for InventoryCheckDto {
    fn from(c: Check) -> Self {
        Self {
            attention: c
                .findings
                .iter()
                .any(|f| f.outcome != InventoryOutcome::Match),
            proposal_id: c.proposal_id,
            district_code: c.district_code,
            findings: c
                .findings
                .into_iter()
                .map(InventoryFindingDto::from)
                .collect(),
        }
    }
}
