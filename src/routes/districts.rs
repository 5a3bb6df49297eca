//! Districts and zones, with their industry maps.

use actix_web::{get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Data;
use crate::auth::Caller;
use crate::domain::industry_map::{self, IndustryMap, IndustryMapEntry, MapEntryKind};
use crate::domain::role::Role;
use crate::error::{ApiError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_districts)
        .service(get_district)
        .service(put_industry_map);
}

#[derive(Debug, Serialize, ToSchema)]
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

impl From<entity::district::Model> for DistrictDto {
    fn from(d: entity::district::Model) -> Self {
        Self {
            industry_map: IndustryMap {
                leading: serde_json::from_value(d.leading).unwrap_or_default(),
                characteristic: serde_json::from_value(d.characteristic).unwrap_or_default(),
            },
            code: d.code,
            name: d.name,
            kind: d.kind,
            region: d.region,
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
    pub region: Option<String>,
}

/// Chongqing's 38 county-level divisions and the three zones (anyone).
#[utoipa::path(
    tag = "reference",
    operation_id = "list_districts",
    params(DistrictQuery),
    responses((status = 200, body = Vec<DistrictDto>), (status = 400, response = crate::error::responses::BadRequest))
)]
#[get("/districts")]
async fn list_districts(
    state: Data,
    query: web::Query<DistrictQuery>,
) -> Result<web::Json<Vec<DistrictDto>>> {
    if let Some(r) = &query.region {
        if !["main_urban", "northeast", "southeast"].contains(&r.as_str()) {
            return Err(ApiError::BadRequest {
                detail: format!("unknown region {r:?}"),
                errors: vec![crate::error::FieldError::new(
                    "region",
                    "one of main_urban, northeast, southeast",
                )],
            });
        }
    }
    let rows = store::reference::districts(&state.db, query.region.as_deref()).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// One district or zone (anyone).
#[utoipa::path(
    tag = "reference",
    operation_id = "get_district",
    params(("code" = String, Path, description = "District code")),
    responses((status = 200, body = DistrictDto), (status = 404, response = crate::error::responses::NotFound))
)]
#[get("/districts/{code}")]
async fn get_district(state: Data, code: web::Path<String>) -> Result<web::Json<DistrictDto>> {
    let d = store::reference::district(&state.db, &code)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("district {code}")))?;
    Ok(web::Json(d.into()))
}

/// Replace a district's industry map (commission only): at most 2 leading industries (3 for
/// 两江新区 and 高新区) and 4 characteristic ones, each an existing cluster or industry class.
#[utoipa::path(
    tag = "reference",
    operation_id = "put_industry_map",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "District code")),
    request_body = IndustryMap,
    responses(
        (status = 200, body = DistrictDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/districts/{code}/industry-map")]
async fn put_industry_map(
    state: Data,
    caller: Caller,
    code: web::Path<String>,
    body: ValidJson<IndustryMap>,
) -> Result<web::Json<DistrictDto>> {
    caller.require(&[Role::Commission])?;
    let current = store::reference::district(&state.db, &code)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("district {code}")))?;
    let map = body.0;
    let clusters: Vec<String> = store::reference::clusters(&state.db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut classes = std::collections::HashSet::new();
    for e in map.leading.iter().chain(&map.characteristic) {
        if e.kind == MapEntryKind::IndustryClass
            && store::reference::industry_class(&state.db, &e.code)
                .await?
                .is_some()
        {
            classes.insert(e.code.clone());
        }
    }
    let exists = |e: &IndustryMapEntry| match e.kind {
        MapEntryKind::Cluster => clusters.contains(&e.code),
        MapEntryKind::IndustryClass => classes.contains(&e.code),
    };
    ApiError::check(industry_map::validate(&code, &map, exists))?;
    let updated =
        store::reference::set_industry_map(&state.db, current, &map, state.clock.now()).await?;
    Ok(web::Json(updated.into()))
}
