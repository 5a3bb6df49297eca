//! Proposals: the intention form (附件1) and the preliminary construction plan (附件2), filed by an
//! applicant for its organisation or by a district officer for its district.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Data;
use crate::auth::Caller;
use crate::domain::access::{self, Facts, Scope, Viewer};
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::proposal::{self, ProposalForm, ProposalPlan};
use crate::domain::proposal_state::{transition, Action, Status};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{etag, parse_json, IfMatch, ValidJson};
use crate::store;
use crate::store::proposals::{Actor, Applied, Change, EventNote};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_proposal)
        .service(list_proposals)
        .service(get_proposal)
        .service(update_proposal)
        .service(proposal_history);
}

/// The form and the plan. Every member may be left out while a draft: completeness is scored, not
/// demanded; only malformed values are refused.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    #[serde(default)]
    pub form: ProposalForm,
    #[serde(default)]
    pub plan: ProposalPlan,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Seal {
    /// The district officer who sealed it.
    pub by: i32,
    pub at: DateTime<Utc>,
    pub statement: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDto {
    pub id: i32,
    pub year: i32,
    pub status: Status,
    pub district_code: String,
    pub cluster_code: Option<String>,
    /// The applicant organisation that owns it; none when a district officer filed it.
    pub owner_organisation_id: Option<i32>,
    pub form: ProposalForm,
    pub plan: ProposalPlan,
    /// Incremented on every change; the ETag is built from it.
    pub version: i32,
    pub etag: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub seal: Option<Seal>,
    /// Reasons of the last return or eligibility decision.
    pub reasons: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn proposal_etag(p: &entity::proposal::Model) -> String {
    etag("proposal", p.id, p.version)
}

pub fn status_of(p: &entity::proposal::Model) -> Result<Status> {
    p.status
        .parse::<Status>()
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))
}

/// The stored form and plan, typed.
pub fn content(p: &entity::proposal::Model) -> Result<(ProposalForm, ProposalPlan)> {
    let form = serde_json::from_value(p.form.clone())
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("stored form of {}: {e}", p.id)))?;
    let plan = serde_json::from_value(p.plan.clone())
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("stored plan of {}: {e}", p.id)))?;
    Ok((form, plan))
}

pub fn to_dto(p: entity::proposal::Model, year: i32) -> Result<ProposalDto> {
    let (form, plan) = content(&p)?;
    Ok(ProposalDto {
        status: status_of(&p)?,
        etag: proposal_etag(&p),
        seal: match (p.sealed_at, p.sealed_by, p.seal_statement.clone()) {
            (Some(at), Some(by), Some(statement)) => Some(Seal { by, at, statement }),
            _ => None,
        },
        id: p.id,
        year,
        district_code: p.district_code,
        cluster_code: p.cluster_code,
        owner_organisation_id: p.owner_organisation_id,
        form,
        plan,
        version: p.version,
        submitted_at: p.submitted_at,
        reasons: p.reasons,
        created_at: p.created_at,
        updated_at: p.updated_at,
    })
}

/// A proposal with its ETag header.
pub fn respond(
    status: actix_web::http::StatusCode,
    p: entity::proposal::Model,
    year: i32,
) -> Result<HttpResponse> {
    let tag = proposal_etag(&p);
    let dto = to_dto(p, year)?;
    Ok(HttpResponse::build(status)
        .insert_header((header::ETAG, tag))
        .json(dto))
}

pub fn viewer(caller: &Caller) -> Viewer<'_> {
    Viewer {
        role: caller.role,
        district: caller.district_code.as_deref(),
        organisation: caller.organisation_id,
    }
}

pub fn facts(p: &entity::proposal::Model) -> Result<Facts<'_>> {
    Ok(Facts {
        district: &p.district_code,
        owner_organisation: p.owner_organisation_id,
        status: status_of(p)?,
    })
}

pub fn actor(caller: &Caller) -> Actor {
    Actor {
        id: caller.id,
        role: caller.role.as_str().to_owned(),
    }
}

/// The proposal and its round's year, if the caller may see it; else 404 (its existence is not
/// disclosed).
pub async fn load_visible(
    state: &Data,
    caller: &Caller,
    id: i32,
) -> Result<(entity::proposal::Model, entity::round::Model)> {
    let p = store::proposals::by_id(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("proposal {id}")))?;
    if !Scope::of(viewer(caller)).admits(facts(&p)?) {
        return Err(ApiError::NotFound(format!("proposal {id}")));
    }
    let round = store::rounds::by_id(&state.db, p.round_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("round of proposal {id} missing")))?;
    Ok((p, round))
}

/// Field rules on the content plus the builder organisation existing.
pub async fn check_content(state: &Data, input: &ProposalInput) -> Result<Vec<FieldError>> {
    let refs = store::reference::RefData::load(&state.db).await?;
    let mut errors = proposal::validate(&input.form, &input.plan, &refs);
    if input.form.district_code.is_none() {
        errors.push(FieldError::new(
            "form.district_code",
            "required: it decides which district reviews the proposal",
        ));
    }
    if let Some(b) = input.form.builder_organisation_id {
        if store::organisations::by_id(&state.db, b).await?.is_none() {
            errors.push(FieldError::new(
                "form.builder_organisation_id",
                format!("no organisation {b}"),
            ));
        }
    }
    Ok(errors)
}

/// The whole content as one JSON document (what merge patches apply to and history diffs).
pub fn document(form: &serde_json::Value, plan: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({"form": form, "plan": plan})
}

/// The stored JSON of a form or plan: absent members are left out rather than stored as `null`,
/// so the history shows a removal as a removal.
pub fn to_json<T: Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v)
        .map(|v| json_patch::strip_nulls(&v))
        .map_err(|e| ApiError::Unexpected(e.into()))
}

/// File a proposal (an applicant for its own organisation, or a district officer for its own
/// district). It starts as a `draft`.
#[utoipa::path(
    tag = "proposals",
    operation_id = "create_proposal",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body = ProposalInput,
    responses(
        (status = 201, body = ProposalDto, headers(("ETag" = String, description = "Send it back in If-Match to change the proposal"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/proposals")]
async fn create_proposal(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
    body: ValidJson<ProposalInput>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Applicant, Role::District])?;
    let round = super::rounds::find(&state, year.into_inner()).await?;
    let mut input = body.0;
    let owner = match caller.role {
        Role::Applicant => {
            let org = caller
                .organisation_id
                .ok_or_else(|| ApiError::Forbidden("this account has no organisation".into()))?;
            match input.form.builder_organisation_id {
                Some(b) if b != org => {
                    return Err(ApiError::field(
                        "form.builder_organisation_id",
                        "an applicant files proposals for its own organisation",
                    ))
                }
                _ => input.form.builder_organisation_id = Some(org),
            }
            Some(org)
        }
        _ => {
            if input.form.district_code.is_none() {
                input.form.district_code.clone_from(&caller.district_code);
            }
            if input.form.district_code != caller.district_code {
                return Err(ApiError::Forbidden(
                    "a district officer files proposals for its own district only".into(),
                ));
            }
            None
        }
    };
    ApiError::check(check_content(&state, &input).await?)?;
    let district = input.form.district_code.clone().unwrap_or_default();
    let form = to_json(&input.form)?;
    let plan = to_json(&input.plan)?;
    let changes = json_patch::diff(&serde_json::json!({}), &document(&form, &plan));
    let p = store::proposals::create(
        &state.db,
        store::proposals::NewProposal {
            round_id: round.id,
            status: Status::Draft,
            district_code: district,
            cluster_code: input.form.cluster_code.clone(),
            owner_organisation_id: owner,
            form,
            plan,
            sealed_at: None,
            sealed_by: None,
            seal_statement: None,
        },
        &actor(&caller),
        EventNote {
            action: "create".into(),
            changes,
            note: None,
        },
        state.clock.now(),
    )
    .await?;
    let location = format!("/api/v1/proposals/{}", p.id);
    let mut res = respond(actix_web::http::StatusCode::CREATED, p, round.year)?;
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this district's.
    pub district: Option<String>,
    /// Only this cluster's.
    pub cluster: Option<String>,
    /// Only proposals in this state.
    pub status: Option<Status>,
    /// 1-based page (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalSummary {
    pub id: i32,
    pub brain_name: Option<String>,
    pub status: Status,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub owner_organisation_id: Option<i32>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalPage {
    pub items: Vec<ProposalSummary>,
    pub page: u64,
    pub per_page: u64,
    /// Proposals matching the filters that the caller may see.
    pub total: u64,
    /// Proposals per state: for the commission over the whole round (drafts included, as numbers
    /// only); for others over what they may see.
    pub counts: BTreeMap<String, u64>,
}

/// List the round's proposals the caller may see: an applicant its organisation's, a district
/// officer its district's (not applicants' unsubmitted drafts), the commission everything sealed
/// or later, anyone else only listed ones.
#[utoipa::path(
    tag = "proposals",
    operation_id = "list_proposals",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year"), ListQuery),
    responses(
        (status = 200, body = ProposalPage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/rounds/{year}/proposals")]
async fn list_proposals(
    state: Data,
    caller: Caller,
    year: web::Path<i32>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<ProposalPage>> {
    let round = super::rounds::find(&state, year.into_inner()).await?;
    let q = query.into_inner();
    let per_page = q.per_page.unwrap_or(20);
    let page = q.page.unwrap_or(1);
    if !(1..=100).contains(&per_page) || page == 0 {
        return Err(ApiError::BadRequest {
            detail: "page starts at 1 and per_page is 1–100".into(),
            errors: vec![FieldError::new(
                if page == 0 { "page" } else { "per_page" },
                "out of range",
            )],
        });
    }
    let scope = Scope::of(viewer(&caller));
    let filters = store::proposals::Filters {
        district: q.district,
        cluster: q.cluster,
        status: q.status,
    };
    let (rows, total) =
        store::proposals::list(&state.db, round.id, &scope, &filters, page, per_page).await?;
    let counts_scope = (scope != Scope::SealedOrLater).then_some(&scope);
    let counts = store::proposals::counts(&state.db, round.id, counts_scope).await?;
    let items = rows
        .into_iter()
        .map(|p| {
            Ok(ProposalSummary {
                brain_name: p
                    .form
                    .get("brain_name")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                status: status_of(&p)?,
                id: p.id,
                district_code: p.district_code,
                cluster_code: p.cluster_code,
                owner_organisation_id: p.owner_organisation_id,
                version: p.version,
                updated_at: p.updated_at,
            })
        })
        .collect::<Result<_>>()?;
    Ok(web::Json(ProposalPage {
        items,
        page,
        per_page,
        total,
        counts,
    }))
}

/// One proposal, if the caller may see it, with its ETag.
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id")),
    responses(
        (status = 200, body = ProposalDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/proposals/{id}")]
async fn get_proposal(state: Data, caller: Caller, id: web::Path<i32>) -> Result<HttpResponse> {
    let (p, round) = load_visible(&state, &caller, id.into_inner()).await?;
    respond(actix_web::http::StatusCode::OK, p, round.year)
}

/// Edit a proposal (its owner, while `draft` or `returned`). The body is a JSON merge patch
/// (RFC 7396) over `{form, plan}`: members given replace, `null` removes. Requires `If-Match`.
#[utoipa::path(
    tag = "proposals",
    operation_id = "update_proposal",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), ("If-Match" = String, Header, description = "The ETag you read")),
    request_body(content = Object, description = "A merge patch over `{form, plan}` (see ProposalInput)"),
    responses(
        (status = 200, body = ProposalDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[patch("/proposals/{id}")]
async fn update_proposal(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    if_match: IfMatch,
    body: ValidJson<serde_json::Value>,
) -> Result<HttpResponse> {
    let (p, round) = load_visible(&state, &caller, id.into_inner()).await?;
    let f = facts(&p)?;
    if !access::is_owner(viewer(&caller), f) {
        return Err(ApiError::Forbidden(
            "only the proposal's owner edits it".into(),
        ));
    }
    if_match.check(&proposal_etag(&p))?;
    transition(f.status, Action::Edit)
        .map_err(|e| ApiError::conflict(e.to_string()).with("current_state", f.status))?;
    let patch = body.0;
    if !patch.is_object() {
        return Err(ApiError::field(
            "body",
            "a merge patch object with `form` and/or `plan`",
        ));
    }
    let before = document(&p.form, &p.plan);
    let mut merged = before.clone();
    json_patch::merge(&mut merged, &patch);
    let bytes = serde_json::to_vec(&merged).map_err(anyhow::Error::from)?;
    let mut input: ProposalInput = parse_json(&bytes)?;
    if let Some(org) = p.owner_organisation_id {
        if input.form.builder_organisation_id != Some(org) {
            return Err(ApiError::field(
                "form.builder_organisation_id",
                "an applicant's proposal is built by its own organisation",
            ));
        }
    } else if input.form.district_code.as_deref() != Some(p.district_code.as_str()) {
        return Err(ApiError::field(
            "form.district_code",
            "a district officer's proposal stays in its district",
        ));
    }
    ApiError::check(check_content(&state, &input).await?)?;
    let form = to_json(&input.form)?;
    let plan = to_json(&input.plan)?;
    let changes = json_patch::diff(&before, &document(&form, &plan));
    if changes.is_empty() {
        return respond(actix_web::http::StatusCode::OK, p, round.year);
    }
    let change = Change {
        district_code: input.form.district_code.take(),
        cluster_code: Some(input.form.cluster_code.take()),
        form: Some(form),
        plan: Some(plan),
        ..Default::default()
    };
    let note = EventNote {
        action: "edit".into(),
        changes,
        note: None,
    };
    match store::proposals::apply(
        &state.db,
        &p,
        p.version,
        change,
        &actor(&caller),
        note,
        state.clock.now(),
    )
    .await?
    {
        Applied::Done(after) => respond(actix_web::http::StatusCode::OK, *after, round.year),
        Applied::Stale => Err(stale(&state, p.id).await),
    }
}

/// The 412 for a writer that lost the race.
pub async fn stale(state: &Data, id: i32) -> ApiError {
    let current = store::proposals::by_id(&state.db, id)
        .await
        .ok()
        .flatten()
        .map(|p| proposal_etag(&p));
    ApiError::PreconditionFailed(format!(
        "someone else changed proposal {id} at the same moment; its ETag is now {}; read it again and redo your change",
        current.unwrap_or_else(|| "unknown".into())
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryActor {
    pub id: i32,
    pub username: Option<String>,
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// The proposal version this step produced.
    pub version: i32,
    pub at: DateTime<Utc>,
    pub actor: HistoryActor,
    /// `create`, `edit`, `submit`, `return`, `seal`, `mark_eligible`, `mark_ineligible`, `import`, `list`, `not_list`.
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// What changed in the content, as JSON Patch operations (with the old values kept).
    pub changes: Vec<PatchOp>,
    /// Reasons, statements and other words that came with the step.
    pub note: Option<String>,
}

/// Every change and transition of a proposal, oldest first (whoever may see the proposal).
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_proposal_history",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id")),
    responses(
        (status = 200, body = Vec<HistoryEntry>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/proposals/{id}/history")]
async fn proposal_history(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<Vec<HistoryEntry>>> {
    let (p, _) = load_visible(&state, &caller, id.into_inner()).await?;
    let events = store::proposals::history(&state.db, p.id).await?;
    let mut names: BTreeMap<i32, Option<String>> = BTreeMap::new();
    let mut out = Vec::with_capacity(events.len());
    let mut current: Option<String> = None;
    for e in events {
        let actor_id = e.actor.id().unwrap_or(0);
        if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(actor_id) {
            slot.insert(
                store::users::by_id(&state.db, actor_id)
                    .await?
                    .map(|u| u.username),
            );
        }
        let from = current.clone();
        let to = e
            .status_change()
            .1
            .map(str::to_owned)
            .or_else(|| current.clone());
        current.clone_from(&to);
        out.push(HistoryEntry {
            version: e.version,
            at: e.at,
            actor: HistoryActor {
                id: actor_id,
                username: names.get(&actor_id).cloned().flatten(),
                role: e.actor.role_text().to_owned(),
            },
            action: e.kind,
            to_status: to.clone().unwrap_or_default(),
            from_status: from,
            changes: e
                .payload
                .into_iter()
                .filter(|o| o.path.starts_with("/form") || o.path.starts_with("/plan"))
                .collect(),
            note: e.reason,
        });
    }
    Ok(web::Json(out))
}
