//! Proposals received on paper before the service existed, entered already sealed.

use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::proposals::{actor, check_content, document, to_json, ProposalInput};
use super::Data;
use crate::auth::Caller;
use crate::domain::json_patch;
use crate::domain::proposal::{ProposalForm, ProposalPlan};
use crate::domain::proposal_state::Status;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;
use crate::store::proposals::{EventNote, NewProposal};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_proposals);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRow {
    #[serde(default)]
    pub form: ProposalForm,
    #[serde(default)]
    pub plan: ProposalPlan,
    /// The applicant organisation that filed it on paper, if not the district itself.
    pub owner_organisation_id: Option<i32>,
    /// Username of the district officer who sealed it; must be an officer of the form's district.
    pub sealed_by: String,
    /// When it was sealed (RFC 3339 with offset); not after the intake deadline.
    #[schema(value_type = String, example = "2024-02-27T10:00:00+08:00")]
    pub sealed_at: DateTime<FixedOffset>,
    /// The district's review statement on the paper copy.
    pub statement: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub imported: usize,
    /// The new proposals' ids, in the order of the rows.
    pub ids: Vec<i32>,
}

/// Import sealed paper proposals (commission only). All or nothing: every bad row is reported,
/// and one bad row imports none.
#[utoipa::path(
    tag = "proposals",
    operation_id = "import_proposals",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = Vec<ImportRow>,
    responses(
        (status = 201, body = ImportReport),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/proposals/import")]
async fn import_proposals(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
    body: ValidJson<Vec<ImportRow>>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let round = super::rounds::find(&state, year.into_inner()).await?;
    let rows = body.0;
    if rows.is_empty() {
        return Err(ApiError::field("body", "at least one row"));
    }
    let mut errors = Vec::new();
    let mut prepared = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let at = |f: &str| format!("[{i}].{f}");
        let input = ProposalInput {
            form: row.form,
            plan: row.plan,
        };
        errors.extend(
            check_content(&state, &input)
                .await?
                .into_iter()
                .map(|e| FieldError::new(at(&e.field), e.message)),
        );
        let district = input.form.district_code.clone().unwrap_or_default();
        let officer = store::users::by_username(&state.db, &row.sealed_by).await?;
        let officer_id = match officer {
            Some(u)
                if u.role == Role::District.as_str()
                    && u.district_code.as_deref() == Some(district.as_str()) =>
            {
                Some(u.id)
            }
            Some(_) => {
                errors.push(FieldError::new(
                    at("sealed_by"),
                    format!(
                        "{:?} is not a district officer of {district}",
                        row.sealed_by
                    ),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    at("sealed_by"),
                    format!("no account {:?}", row.sealed_by),
                ));
                None
            }
        };
        let sealed_at = row.sealed_at.with_timezone(&Utc);
        if sealed_at > round.intake_deadline {
            errors.push(FieldError::new(
                at("sealed_at"),
                format!("after the intake deadline {}", round.intake_deadline_text),
            ));
        }
        if row.statement.trim().is_empty() {
            errors.push(FieldError::new(at("statement"), "must not be blank"));
        }
        if let Some(o) = row.owner_organisation_id {
            if store::organisations::by_id(&state.db, o).await?.is_none() {
                errors.push(FieldError::new(
                    at("owner_organisation_id"),
                    format!("no organisation {o}"),
                ));
            }
        }
        prepared.push((
            input,
            row.owner_organisation_id,
            officer_id,
            sealed_at,
            row.statement,
            row.sealed_by,
        ));
    }
    ApiError::check(errors)?;

    let now = state.clock.now();
    let who = actor(&caller);
    let txn = state.db.begin().await?;
    let mut ids = Vec::with_capacity(prepared.len());
    for (input, owner, officer, sealed_at, statement, officer_name) in prepared {
        let form = to_json(&input.form)?;
        let plan = to_json(&input.plan)?;
        let changes = json_patch::diff(&serde_json::json!({}), &document(&form, &plan));
        let p = store::proposals::create(
            &txn,
            NewProposal {
                round_id: round.id,
                status: Status::Sealed,
                district_code: input.form.district_code.clone().unwrap_or_default(),
                cluster_code: input.form.cluster_code.clone(),
                owner_organisation_id: owner,
                form,
                plan,
                sealed_at: Some(sealed_at),
                sealed_by: officer,
                seal_statement: Some(statement.trim().to_owned()),
            },
            &who,
            EventNote {
                action: "import".into(),
                changes,
                note: Some(format!(
                    "entered from paper; sealed by {officer_name} at {}: {}",
                    sealed_at.to_rfc3339(),
                    statement.trim()
                )),
            },
            now,
        )
        .await?;
        ids.push(p.id);
    }
    txn.commit().await?;
    Ok(HttpResponse::Created().json(ImportReport {
        imported: ids.len(),
        ids,
    }))
}
