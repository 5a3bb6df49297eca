//! Districts with their industry maps, clusters and industry classes.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::reference::{ClassRow, Cluster, District, IndustryClass};
use crate::domain::industry_map::IndustryMap;
use crate::domain::representativeness::Tier;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DistrictDto {
    /// GB/T 2260 code, or our own code for the three zones (CQLJ 两江新区, CQGX 高新区, CQWS 万盛经开区).
    #[schema(example = "500105")]
    pub code: String,
    #[schema(example = "江北区")]
    pub name: String,
    /// `district`, `county`, `autonomous_county` or `zone`.
    pub kind: String,
    /// 一区两群: `main_urban` 主城都市区, `northeast` 渝东北三峡库区城镇群, `southeast` 渝东南武陵山区城镇群.
    pub region: String,
    /// Within the main urban region: `central` or `new`; for zones, where they lie.
    pub subregion: Option<String>,
    pub industry_map: IndustryMap,
    /// Incremented on every change of the industry map.
    pub map_version: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<District> for DistrictDto {
    fn from(d: District) -> Self {
        Self {
            industry_map: d.map,
            code: d.code,
            name: d.name,
            kind: d.kind,
            region: d.region.as_str().to_owned(),
            subregion: d.subregion,
            map_version: d.map_version,
            updated_at: d.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DistrictQuery {
    /// Only districts of this region: `main_urban`, `northeast` or `southeast`.
    #[param(value_type = Option<String>, pattern = "^(main_urban|northeast|southeast)$")]
    pub region: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClusterDto {
    #[schema(example = "light_textile")]
    pub code: String,
    #[schema(example = "轻纺")]
    pub name: String,
    pub tier: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<Cluster> for ClusterDto {
    fn from(c: Cluster) -> Self {
        Self {
            code: c.code,
            name: c.name,
            tier: c.tier.as_str().to_owned(),
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "smart_home", "name": "智能家居", "tier": "rising_star"}))]
pub struct CreateCluster {
    /// 2–40 characters: lower-case letters, digits and `_`.
    #[schema(example = "smart_home", pattern = "^[a-z0-9_]{2,40}$")]
    pub code: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub tier: Tier,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "智能家居产业集群"}))]
pub struct UpdateCluster {
    pub name: Option<String>,
    pub tier: Option<Tier>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndustryClassDto {
    #[schema(example = "2683")]
    pub code: String,
    #[schema(example = "口腔清洁用品制造")]
    pub name: String,
    /// The code one digit shorter; none for a 大类.
    #[schema(example = "268")]
    pub parent: Option<String>,
}

impl From<IndustryClass> for IndustryClassDto {
    fn from(c: IndustryClass) -> Self {
        Self {
            code: c.code,
            name: c.name,
            parent: c.parent,
        }
    }
}

impl From<IndustryClassDto> for ClassRow {
    fn from(c: IndustryClassDto) -> Self {
        Self {
            code: c.code,
            name: c.name,
            parent: c.parent,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClassQuery {
    /// Only the children of this class.
    pub parent: Option<String>,
    /// Only this level: 1 = 大类, 2 = 中类, 3 = 小类.
    #[param(minimum = 1, maximum = 3)]
    pub level: Option<i16>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    /// Rows inserted or renamed.
    pub imported: usize,
}
