//! Applicant organisations (建设主体 / 揭榜方).

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Data;
use crate::auth::Caller;
use crate::domain::codes::Uscc;
use crate::domain::money::Money;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_organisation)
        .service(list_organisations)
        .service(get_organisation);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationDto {
    pub id: i32,
    pub name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    pub district_code: String,
    /// Registered capital (注册资本), 万元.
    pub registered_capital: Option<Money>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<entity::organisation::Model> for OrganisationDto {
    fn from(o: entity::organisation::Model) -> Self {
        Self {
            id: o.id,
            name: o.name,
            uscc: o.uscc,
            district_code: o.district_code,
            registered_capital: o
                .registered_capital
                .and_then(|v| Money::from_hundredths(v).ok()),
            created_at: o.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    pub name: String,
    /// 统一社会信用代码: 18 characters with a valid check character.
    #[schema(example = "91500105MA5U0001XX")]
    pub uscc: String,
    /// Where it is registered.
    pub district_code: String,
    /// Registered capital (注册资本), 万元; calls may require a minimum.
    pub registered_capital: Option<Money>,
}

/// Register an applicant organisation (commission, or a district officer for its own district).
#[utoipa::path(
    tag = "organisations",
    operation_id = "create_organisation",
    security(("bearer_auth" = [])),
    request_body = CreateOrganisation,
    responses(
        (status = 201, body = OrganisationDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/organisations")]
async fn create_organisation(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateOrganisation>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission, Role::District])?;
    let body = body.0;
    let mut errors = Vec::new();
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "must be 1–200 characters"));
    }
    let uscc = match Uscc::parse(&body.uscc) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.push(FieldError::new("uscc", e));
            None
        }
    };
    if store::reference::district(&state.db, &body.district_code)
        .await?
        .is_none()
    {
        errors.push(FieldError::new(
            "district_code",
            format!("no district {:?}", body.district_code),
        ));
    } else if caller.is(Role::District)
        && caller.district_code.as_deref() != Some(body.district_code.as_str())
    {
        return Err(ApiError::Forbidden(
            "a district officer registers organisations of its own district only".into(),
        ));
    }
    ApiError::check(errors)?;
    let uscc = uscc.ok_or_else(|| ApiError::field("uscc", "invalid"))?;
    let org = store::organisations::create(
        &state.db,
        name,
        uscc.as_str().to_owned(),
        body.district_code,
        body.registered_capital.map(Money::hundredths),
        state.clock.now(),
    )
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Conflict { .. } => {
            ApiError::conflict("an organisation with this unified social credit code exists")
        }
        other => other,
    })?;
    Ok(HttpResponse::Created().json(OrganisationDto::from(org)))
}

/// The scope a caller may see: commission all, district its district's, applicant its own.
fn scope(caller: &Caller) -> Result<(Option<&str>, Option<i32>)> {
    match caller.role {
        Role::Commission => Ok((None, None)),
        Role::District => Ok((Some(caller.district_code.as_deref().unwrap_or("")), None)),
        Role::Applicant => Ok((None, Some(caller.organisation_id.unwrap_or(-1)))),
        _ => Err(ApiError::Forbidden(
            "organisations are visible to the commission, districts and applicants".into(),
        )),
    }
}

/// List organisations the caller may see.
#[utoipa::path(
    tag = "organisations",
    operation_id = "list_organisations",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, body = Vec<OrganisationDto>),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden)
    )
)]
#[get("/organisations")]
async fn list_organisations(
    state: Data,
    caller: Caller,
) -> Result<web::Json<Vec<OrganisationDto>>> {
    let (district, id) = scope(&caller)?;
    let orgs = store::organisations::list(&state.db, district, id).await?;
    Ok(web::Json(orgs.into_iter().map(Into::into).collect()))
}

/// One organisation, if the caller may see it.
#[utoipa::path(
    tag = "organisations",
    operation_id = "get_organisation",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Organisation id")),
    responses(
        (status = 200, body = OrganisationDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/organisations/{id}")]
async fn get_organisation(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<OrganisationDto>> {
    let (district, only) = scope(&caller)?;
    let id = id.into_inner();
    let org = store::organisations::by_id(&state.db, id)
        .await?
        .filter(|o| district.is_none_or(|d| d == o.district_code) && only.is_none_or(|x| x == o.id))
        .ok_or_else(|| ApiError::NotFound(format!("organisation {id}")))?;
    Ok(web::Json(org.into()))
}
