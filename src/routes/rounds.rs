//! Rounds (年度批次): deadline, list size, selection weights, constraints and scoring constants.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Data;
use crate::auth::Caller;
use crate::domain::json_patch;
use crate::domain::role::Role;
use crate::domain::round::{validate_round, RoundSettings};
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{parse_json, ValidJson};
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_round)
        .service(list_rounds)
        .service(get_round)
        .service(update_round);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDto {
    pub year: i32,
    pub title: String,
    /// The intake deadline as set, with its offset (2024: `2024-02-29T23:59:59+08:00`).
    pub intake_deadline: String,
    /// The same instant in UTC.
    pub intake_deadline_utc: DateTime<Utc>,
    pub list_size: i32,
    pub settings: RoundSettings,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<entity::round::Model> for RoundDto {
    type Error = ApiError;
    fn try_from(r: entity::round::Model) -> Result<Self> {
        Ok(Self {
            settings: serde_json::from_value(r.settings)
                .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("stored round settings: {e}")))?,
            year: r.year,
            title: r.title,
            intake_deadline: r.intake_deadline_text,
            intake_deadline_utc: r.intake_deadline,
            list_size: r.list_size,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn default_list_size() -> i64 {
    5
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRound {
    #[schema(example = 2024)]
    pub year: i32,
    #[schema(example = "2024年行业产业大脑建设")]
    pub title: String,
    /// RFC 3339 with an offset.
    #[schema(value_type = String, example = "2024-02-29T23:59:59+08:00")]
    pub intake_deadline: DateTime<FixedOffset>,
    /// How many proposals the list holds (2024: 5).
    #[serde(default = "default_list_size")]
    pub list_size: i64,
    /// Weights, constraint defaults and scoring constants; omitted parts take the documented defaults.
    #[serde(default)]
    pub settings: RoundSettings,
}

/// Create the round of a year (commission only). One round per year.
#[utoipa::path(
    tag = "rounds",
    operation_id = "create_round",
    security(("bearer_auth" = [])),
    request_body = CreateRound,
    responses(
        (status = 201, body = RoundDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds")]
async fn create_round(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateRound>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let body = body.0;
    let mut errors = validate_round(body.year, &body.title, body.list_size);
    errors.extend(
        body.settings
            .validate()
            .into_iter()
            .map(|e| FieldError::new(format!("settings.{}", e.field), e.message)),
    );
    ApiError::check(errors)?;
    if store::rounds::by_year(&state.db, body.year)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(format!(
            "the {} round exists; change it with PATCH",
            body.year
        )));
    }
    let round = store::rounds::create(
        &state.db,
        store::rounds::NewRound {
            year: body.year,
            title: body.title.trim().to_owned(),
            deadline_text: body.intake_deadline.to_rfc3339(),
            deadline: body.intake_deadline.with_timezone(&Utc),
            list_size: i32::try_from(body.list_size).unwrap_or(5),
            settings: serde_json::to_value(&body.settings).map_err(anyhow::Error::from)?,
        },
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(RoundDto::try_from(round)?))
}

/// Every round (anyone).
#[utoipa::path(tag = "rounds", operation_id = "list_rounds", responses((status = 200, body = Vec<RoundDto>)))]
#[get("/rounds")]
async fn list_rounds(state: Data) -> Result<web::Json<Vec<RoundDto>>> {
    let rounds = store::rounds::list(&state.db).await?;
    Ok(web::Json(
        rounds
            .into_iter()
            .map(RoundDto::try_from)
            .collect::<Result<_>>()?,
    ))
}

/// Finds a round or answers 404.
pub async fn find(state: &Data, year: i32) -> Result<entity::round::Model> {
    store::rounds::by_year(&state.db, year)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no round for {year}")))
}

/// One round (anyone).
#[utoipa::path(
    tag = "rounds",
    operation_id = "get_round",
    params(("year" = i32, Path, description = "The round's year")),
    responses(
        (status = 200, body = RoundDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}")]
async fn get_round(state: Data, year: web::Path<i32>) -> Result<web::Json<RoundDto>> {
    Ok(web::Json(
        find(&state, year.into_inner()).await?.try_into()?,
    ))
}

/// Body of `PATCH /rounds/{year}`: every member optional; `settings` is merged (RFC 7396) into the
/// stored settings, so `{"settings": {"weights": {...}}}` changes only the weights.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRound {
    pub title: Option<String>,
    #[schema(value_type = Option<String>, example = "2024-02-29T23:59:59+08:00")]
    pub intake_deadline: Option<DateTime<FixedOffset>>,
    pub list_size: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub settings: Option<serde_json::Value>,
}

/// Change a round (commission only): title, deadline, list size, weights, constraints, scoring.
#[utoipa::path(
    tag = "rounds",
    operation_id = "update_round",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = UpdateRound,
    responses(
        (status = 200, body = RoundDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[patch("/rounds/{year}")]
async fn update_round(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
    body: ValidJson<UpdateRound>,
) -> Result<web::Json<RoundDto>> {
    caller.require(&[Role::Commission])?;
    let current = find(&state, year.into_inner()).await?;
    let body = body.0;
    let mut changed = current.clone();
    if let Some(t) = body.title {
        changed.title = t.trim().to_owned();
    }
    if let Some(d) = body.intake_deadline {
        changed.intake_deadline_text = d.to_rfc3339();
        changed.intake_deadline = d.with_timezone(&Utc);
    }
    if let Some(n) = body.list_size {
        changed.list_size = i32::try_from(n).unwrap_or(0);
    }
    let mut errors = validate_round(changed.year, &changed.title, i64::from(changed.list_size));
    if let Some(patch) = body.settings {
        let mut merged = changed.settings.clone();
        json_patch::merge(&mut merged, &patch);
        let bytes = serde_json::to_vec(&merged).map_err(anyhow::Error::from)?;
        let settings: RoundSettings = parse_json(&bytes).map_err(|e| match e {
            ApiError::Validation(errs) => ApiError::Validation(
                errs.into_iter()
                    .map(|f| FieldError::new(format!("settings.{}", f.field), f.message))
                    .collect(),
            ),
            other => other,
        })?;
        errors.extend(
            settings
                .validate()
                .into_iter()
                .map(|e| FieldError::new(format!("settings.{}", e.field), e.message)),
        );
        changed.settings = serde_json::to_value(&settings).map_err(anyhow::Error::from)?;
    }
    ApiError::check(errors)?;
    let updated = store::rounds::update(&state.db, current, changed, state.clock.now()).await?;
    Ok(web::Json(updated.try_into()?))
}
