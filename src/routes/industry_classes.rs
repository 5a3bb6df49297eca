//! GB/T 4754-2017 industry classes.

use std::collections::{HashMap, HashSet};

use actix_web::{get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Data;
use crate::auth::Caller;
use crate::domain::codes::IndustryClassCode;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_industry_classes)
        .service(import_industry_classes);
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClassQuery {
    /// Only the children of this class.
    pub parent: Option<String>,
    /// Only this level: 1 = 大类, 2 = 中类, 3 = 小类.
    pub level: Option<i16>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Rows inserted or renamed.
    pub imported: usize,
}

/// Industry classes (anyone), e.g. `?parent=26` for the 中类 of 26.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_industry_classes",
    params(ClassQuery),
    responses((status = 200, body = Vec<IndustryClassDto>), (status = 400, response = crate::error::responses::BadRequest))
)]
#[get("/industry-classes")]
async fn list_industry_classes(
    state: Data,
    query: web::Query<ClassQuery>,
) -> Result<web::Json<Vec<IndustryClassDto>>> {
    let rows =
        store::reference::industry_classes(&state.db, query.parent.as_deref(), query.level).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|r| IndustryClassDto {
                code: r.code,
                name: r.name,
                parent: r.parent,
            })
            .collect(),
    ))
}

/// Check every row of an import; parents may be earlier rows or classes already stored.
fn check_rows(rows: &[IndustryClassDto], stored: &HashSet<String>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut in_batch: HashMap<&str, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let at = |f: &str| format!("[{i}].{f}");
        if row.name.trim().is_empty() || row.name.chars().count() > 200 {
            errors.push(FieldError::new(at("name"), "must be 1–200 characters"));
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
                format!("{:?} also appears in row {first}", row.code),
            ));
        }
        match (code.expected_parent(), row.parent.as_deref()) {
            (None, None) => {}
            (None, Some(p)) => errors.push(FieldError::new(
                at("parent"),
                format!("a 大类 has no parent, got {p:?}"),
            )),
            (Some(want), None) => {
                errors.push(FieldError::new(at("parent"), format!("must be {want:?}")))
            }
            (Some(want), Some(p)) if want != p => {
                errors.push(FieldError::new(
                    at("parent"),
                    format!("must be {want:?} (the code's prefix), got {p:?}"),
                ));
            }
            (Some(want), Some(_)) => {
                let earlier = in_batch.get(want).is_some_and(|&j| j < i);
                if !earlier && !stored.contains(want) {
                    errors.push(FieldError::new(
                        at("parent"),
                        format!("parent {want:?} is neither stored nor an earlier row"),
                    ));
                }
            }
        }
    }
    errors
}

/// Import classes in bulk (commission only). Every row is checked — a 3-digit code's parent is its
/// first 2 digits, a 4-digit code's its first 3 — and one bad row imports nothing. An existing code
/// is renamed.
#[utoipa::path(
    tag = "reference",
    operation_id = "import_industry_classes",
    security(("bearer_auth" = [])),
    request_body = Vec<IndustryClassDto>,
    responses(
        (status = 200, body = ImportResult),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/industry-classes/import")]
async fn import_industry_classes(
    state: Data,
    caller: Caller,
    body: ValidJson<Vec<IndustryClassDto>>,
) -> Result<web::Json<ImportResult>> {
    caller.require(&[Role::Commission])?;
    let rows = body.0;
    if rows.is_empty() {
        return Err(ApiError::field("body", "at least one row"));
    }
    let stored: HashSet<String> = store::reference::industry_classes(&state.db, None, None)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    ApiError::check(check_rows(&rows, &stored))?;
    let mut prepared: Vec<(String, String, Option<String>, i16)> = rows
        .into_iter()
        .map(|r| {
            let level = IndustryClassCode::parse(&r.code)
                .map(|c| c.level())
                .unwrap_or(1);
            (r.code, r.name.trim().to_owned(), r.parent, level)
        })
        .collect();
    prepared.sort_by_key(|r| (r.3, r.0.clone()));
    let imported = store::reference::import_industry_classes(&state.db, prepared).await?;
    Ok(web::Json(ImportResult { imported }))
}
