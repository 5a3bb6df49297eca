//! The "33618" cluster system.

use actix_web::{get, patch, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Data;
use crate::auth::Caller;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_clusters)
        .service(create_cluster)
        .service(update_cluster);
}

/// The tiers of the "33618" system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 万亿级 (3 clusters).
    Trillion,
    /// 五千亿级 (3 clusters).
    FiveHundredBillion,
    /// 千亿级 (6 clusters).
    HundredBillion,
    /// 新星 (18 clusters, loaded by the commission).
    RisingStar,
}

impl Tier {
    fn as_str(self) -> &'static str {
        match self {
            Tier::Trillion => "trillion",
            Tier::FiveHundredBillion => "five_hundred_billion",
            Tier::HundredBillion => "hundred_billion",
            Tier::RisingStar => "rising_star",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClusterDto {
    #[schema(example = "light_textile")]
    pub code: String,
    #[schema(example = "轻纺")]
    pub name: String,
    pub tier: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<entity::cluster::Model> for ClusterDto {
    fn from(c: entity::cluster::Model) -> Self {
        Self {
            code: c.code,
            name: c.name,
            tier: c.tier,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCluster {
    /// 2–40 characters: lower-case letters, digits and `_`.
    #[schema(example = "smart_home")]
    pub code: String,
    pub name: String,
    pub tier: Tier,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCluster {
    pub name: Option<String>,
    pub tier: Option<Tier>,
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    if name.trim().is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new("name", "must be 1–100 characters"));
    }
}

/// Every cluster (anyone).
#[utoipa::path(tag = "reference", operation_id = "list_clusters", responses((status = 200, body = Vec<ClusterDto>)))]
#[get("/clusters")]
async fn list_clusters(state: Data) -> Result<web::Json<Vec<ClusterDto>>> {
    let rows = store::reference::clusters(&state.db).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// Add a cluster, e.g. one of the 18 新星 clusters (commission only).
#[utoipa::path(
    tag = "reference",
    operation_id = "create_cluster",
    security(("bearer_auth" = [])),
    request_body = CreateCluster,
    responses(
        (status = 201, body = ClusterDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/clusters")]
async fn create_cluster(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateCluster>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let body = body.0;
    let mut errors = Vec::new();
    let code_ok = (2..=40).contains(&body.code.len())
        && body
            .code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !code_ok {
        errors.push(FieldError::new(
            "code",
            "must be 2–40 characters: a-z, 0-9 and _",
        ));
    }
    check_name(&body.name, &mut errors);
    ApiError::check(errors)?;
    if store::reference::cluster(&state.db, &body.code)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(format!(
            "cluster {:?} exists",
            body.code
        )));
    }
    let c = store::reference::create_cluster(
        &state.db,
        body.code,
        body.name.trim().to_owned(),
        body.tier.as_str().into(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(ClusterDto::from(c)))
}

/// Rename a cluster or change its tier (commission only).
#[utoipa::path(
    tag = "reference",
    operation_id = "update_cluster",
    security(("bearer_auth" = [])),
    params(("code" = String, Path, description = "Cluster code")),
    request_body = UpdateCluster,
    responses(
        (status = 200, body = ClusterDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[patch("/clusters/{code}")]
async fn update_cluster(
    state: Data,
    caller: Caller,
    code: web::Path<String>,
    body: ValidJson<UpdateCluster>,
) -> Result<web::Json<ClusterDto>> {
    caller.require(&[Role::Commission])?;
    let body = body.0;
    let mut errors = Vec::new();
    if let Some(n) = &body.name {
        check_name(n, &mut errors);
    }
    ApiError::check(errors)?;
    let current = store::reference::cluster(&state.db, &code)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("cluster {code}")))?;
    let c = store::reference::update_cluster(
        &state.db,
        current,
        body.name.map(|n| n.trim().to_owned()),
        body.tier.map(|t| t.as_str().to_owned()),
        state.clock.now(),
    )
    .await?;
    Ok(web::Json(c.into()))
}
