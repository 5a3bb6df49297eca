//! Proposals (意向征集): the intention form (附件1) and the preliminary construction plan (附件2),
//! filed by an applicant for its organisation or by a district officer for its district, then
//! submitted, returned or sealed by the district, and judged eligible by the commission. Paper
//! proposals enter already sealed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::history::{self, Entry};
use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::access::{self, Scope, Viewer};
use crate::domain::attestation::{self, Attestation, AttestationInput};
use crate::domain::completeness::completeness as score_completeness;
use crate::domain::event::AggregateRef;
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::proposal::{self, Proposal, ProposalForm, ProposalPlan, Seal, Summary};
use crate::domain::proposal_state::{check_intake_open, transition, Action, Status};
use crate::domain::role::Role;
use crate::domain::round::Round;
use crate::domain::score::Score;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{etag, parse_json, IfMatch};
use crate::state::AppState;
use crate::store;
use crate::store::proposals::{Filed, Filters, Update};

/// The strong entity tag of a proposal's version.
pub fn proposal_etag(p: &Proposal) -> String {
    etag("proposal", p.id, p.version)
}

pub(crate) fn viewer(caller: &Caller) -> Viewer<'_> {
    Viewer {
        role: caller.role,
        district: caller.district_code.as_deref(),
        organisation: caller.organisation_id,
    }
}

/// The content as one document (what merge patches apply to and history diffs), absent members
/// left out.
fn document(form: &ProposalForm, plan: &ProposalPlan) -> Result<Value> {
    Ok(json!({
        "form": store::proposals::to_stored(form)?,
        "plan": store::proposals::to_stored(plan)?,
    }))
}

async fn round(state: &AppState, year: i32) -> Result<Round> {
    store::rounds::get(&state.db, year)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-round", year = year)))
}

/// The proposal if the caller may see it; else 404 (its existence is not disclosed).
///
/// # Errors
/// 404.
pub async fn visible(state: &AppState, caller: &Caller, id: i32) -> Result<Proposal> {
    let p = store::proposals::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-proposal", id = id)))?;
    if !Scope::of(viewer(caller)).admits(p.facts()) {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-proposal",
            id = id
        )));
    }
    Ok(p)
}

/// Field rules on the content, the district required, the builder organisations (the intended
/// builder, the joint builders) and the inventory entries it references existing.
async fn check_content(
    state: &AppState,
    refs: &store::reference::RefData,
    form: &ProposalForm,
    plan: &ProposalPlan,
) -> Result<Vec<FieldError>> {
    let mut errors = proposal::validate(form, plan, refs);
    if form.district_code.is_none() {
        errors.push(FieldError::new(
            "form.district_code",
            crate::msg!("field-district-required"),
        ));
    }
    if let Some(b) = form.builder_organisation_id {
        if store::organisations::by_id(&state.db, b).await?.is_none() {
            errors.push(FieldError::new(
                "form.builder_organisation_id",
                crate::msg!("field-no-organisation", id = b),
            ));
        }
    }
    for (i, j) in form.joint_builders.iter().enumerate() {
        if j.organisation_id > 0
            && store::organisations::by_id(&state.db, j.organisation_id)
                .await?
                .is_none()
        {
            errors.push(FieldError::new(
                format!("form.joint_builders[{i}].organisation_id"),
                crate::msg!("field-no-organisation", id = j.organisation_id),
            ));
        }
    }
    errors.extend(super::inventories::unknown_references(state, form).await?);
    Ok(errors)
}

/// Files a proposal (an applicant for its own organisation, a district officer for its own
/// district); it starts as a `draft`.
///
/// # Errors
/// 403 for other roles or another district, 404 for no round, 422 for bad fields.
#[tracing::instrument(skip_all, fields(year, caller_id = caller.id))]
pub async fn create(
    state: &AppState,
    caller: &Caller,
    year: i32,
    mut form: ProposalForm,
    plan: ProposalPlan,
) -> Result<Proposal> {
    caller.require(&[Role::Applicant, Role::District])?;
    let round = round(state, year).await?;
    let owner = match caller.role {
        Role::Applicant => {
            let org = caller.organisation_id.ok_or_else(|| {
                ApiError::Forbidden(crate::msg!("forbidden-account-has-organisation"))
            })?;
            match form.builder_organisation_id {
                Some(b) if b != org => {
                    return Err(ApiError::field(
                        "form.builder_organisation_id",
                        crate::msg!("field-applicant-own-organisation"),
                    ))
                }
                _ => form.builder_organisation_id = Some(org),
            }
            Some(org)
        }
        _ => {
            if form.district_code.is_none() {
                form.district_code.clone_from(&caller.district_code);
            }
            if form.district_code != caller.district_code {
                return Err(ApiError::Forbidden(crate::msg!(
                    "forbidden-district-officer-files-proposals-own"
                )));
            }
            None
        }
    };
    let refs = store::reference::RefData::load(&state.db).await?;
    ApiError::check(check_content(state, &refs, &form, &plan).await?)?;
    let doc = document(&form, &plan)?;
    let mut uow = Uow::begin(state, caller).await?;
    let p = store::proposals::insert(
        uow.db(),
        Filed {
            round_id: round.id,
            status: Status::Draft,
            district_code: form.district_code.clone().unwrap_or_default(),
            cluster_code: form.cluster_code.clone(),
            owner_organisation_id: owner,
            created_by: caller.id,
            form,
            plan,
            seal: None,
        },
        uow.now(),
    )
    .await?;
    let mut ops = vec![PatchOp::add("/status", Status::Draft.as_str())];
    ops.extend(json_patch::diff(&json!({}), &doc));
    uow.record(
        NewEvent::new(AggregateType::Proposal, p.id, "create", Visibility::Party)
            .version(p.version)
            .payload(ops),
    );
    uow.commit().await?;
    Ok(p)
}

/// Which proposals to list, and which page.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub district: Option<String>,
    pub cluster: Option<String>,
    pub status: Option<Status>,
    /// Only proposals with a greater id (the `next_after` of the previous page).
    pub after: Option<i64>,
    /// At most this many, 1–[`MAX_PAGE`] (default 20).
    pub limit: Option<u64>,
    /// Also count the matches and each state (two more queries).
    pub counts: bool,
}

/// A page of proposals, in id order.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Summary>,
    /// The cursor of the next page; none on the last.
    pub next_after: Option<i32>,
    /// Proposals matching the filters that the caller may see (only when asked).
    pub total: Option<u64>,
    /// Proposals per state (only when asked).
    pub counts: Option<BTreeMap<String, u64>>,
}

/// The round's proposals the caller may see, a page at a time in id order: an applicant its
/// organisation's, a district officer its district's (not applicants' unsubmitted drafts), the
/// commission everything sealed or later (and, when counts are asked, counts of every state),
/// anyone else only listed ones. A page is one indexed query whatever its depth; the counts are
/// two more, made only when asked.
///
/// # Errors
/// 404 for no round, 422 naming `limit` or `after` out of range.
#[tracing::instrument(skip_all, fields(year))]
pub async fn list(state: &AppState, caller: &Caller, year: i32, query: ListQuery) -> Result<Page> {
    let ListQuery {
        district,
        cluster,
        status,
        after,
        limit,
        counts: with_counts,
    } = query;
    let args = super::paging::PageArgs::new(after, limit, 20, MAX_PAGE)?;
    let filters = Filters {
        district,
        cluster,
        status,
    };
    let round = round(state, year).await?;
    let scope = Scope::of(viewer(caller));
    let rows = store::proposals::summaries(
        &state.db,
        round.id,
        &scope,
        &filters,
        args.after_i32(),
        args.fetch(),
    )
    .await?;
    let page = args.cut(rows, |s| i64::from(s.id));
    let (total, counts) = if with_counts {
        let total = store::proposals::count(&state.db, round.id, &scope, &filters).await?;
        let counts_scope = (scope != Scope::SealedOrLater).then_some(&scope);
        let counts = store::proposals::counts(&state.db, round.id, counts_scope).await?;
        (Some(total), Some(counts))
    } else {
        (None, None)
    };
    Ok(Page {
        next_after: page.next.and_then(|n| i32::try_from(n).ok()),
        items: page.items,
        total,
        counts,
    })
}

/// One proposal, if the caller may see it.
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn get(state: &AppState, caller: &Caller, id: i32) -> Result<Proposal> {
    visible(state, caller, id).await
}

/// Edits a proposal (its owner, while `draft` or `returned`) with an RFC 7396 merge patch over
/// `{form, plan}`.
///
/// # Errors
/// 403 (not the owner), 404, 409 (state), 428/412 (If-Match), 422 (content).
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    patch: &Value,
) -> Result<Proposal> {
    let p = visible(state, caller, id).await?;
    if !access::is_owner(viewer(caller), p.facts()) {
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-only-proposal-s-owner-edits"
        )));
    }
    if_match.check(&proposal_etag(&p))?;
    transition(p.status, Action::Edit).map_err(|e| {
        ApiError::conflict(crate::msg!(
            "conflict-proposal-illegal-move",
            action = e.action.as_str(),
            status = e.from
        ))
        .with("current_state", p.status)
    })?;
    if !patch.is_object() {
        return Err(ApiError::field(
            "body",
            crate::msg!("field-merge-patch-object"),
        ));
    }
    let before = document(&p.form, &p.plan)?;
    let mut merged = before.clone();
    json_patch::merge(&mut merged, patch);
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Content {
        #[serde(default)]
        form: ProposalForm,
        #[serde(default)]
        plan: ProposalPlan,
    }
    let bytes = serde_json::to_vec(&merged).map_err(anyhow::Error::from)?;
    let Content { form, plan } = parse_json(&bytes)?;
    if let Some(org) = p.owner_organisation_id {
        if form.builder_organisation_id != Some(org) {
            return Err(ApiError::field(
                "form.builder_organisation_id",
                crate::msg!("field-applicant-builds-own"),
            ));
        }
    } else if form.district_code.as_deref() != Some(p.district_code.as_str()) {
        return Err(ApiError::field(
            "form.district_code",
            crate::msg!("field-officer-own-district"),
        ));
    }
    let refs = store::reference::RefData::load(&state.db).await?;
    ApiError::check(check_content(state, &refs, &form, &plan).await?)?;
    let ops = json_patch::diff(&before, &document(&form, &plan)?);
    if ops.is_empty() {
        return Ok(p);
    }
    let update = Update {
        district_code: form.district_code.clone(),
        cluster_code: Some(form.cluster_code.clone()),
        form: Some(form),
        plan: Some(plan),
        ..Default::default()
    };
    write(state, caller, &p, update, "edit", None, ops).await
}

/// The conditional write of a change and its event, in one unit of work.
async fn write(
    state: &AppState,
    caller: &Caller,
    p: &Proposal,
    update: Update,
    kind: &str,
    reason: Option<String>,
    ops: Vec<PatchOp>,
) -> Result<Proposal> {
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let Some(after) =
        store::proposals::update_if_version(uow.db(), p.id, p.version, update, now).await?
    else {
        drop(uow);
        let current = store::proposals::get(&state.db, p.id)
            .await
            .ok()
            .flatten()
            .map(|p| proposal_etag(&p));
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-someone-else-changed-proposal-at",
            id = p.id,
            into = current.unwrap_or_else(|| "unknown".into())
        )));
    };
    uow.record(
        NewEvent::new(AggregateType::Proposal, after.id, kind, Visibility::Party)
            .version(after.version)
            .reason(reason)
            .payload(ops),
    );
    uow.commit().await?;
    Ok(after)
}

/// Who may take a review step on a proposal they can see.
#[derive(Debug, Clone, Copy)]
enum Who {
    Owner,
    Reviewer,
    Commission,
}

/// One review step: permission, If-Match, the state machine, then the step's own rule and the
/// conditional write with its event.
#[expect(clippy::too_many_arguments, reason = "each is one part of the step")]
async fn step(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    who: Who,
    action: Action,
    reason: Option<String>,
    build: impl FnOnce(&Proposal, &Round) -> Result<(Update, Vec<PatchOp>)>,
) -> Result<Proposal> {
    let p = visible(state, caller, id).await?;
    let v = viewer(caller);
    let allowed = match who {
        Who::Owner => access::is_owner(v, p.facts()),
        Who::Reviewer => access::is_reviewer(v, p.facts()),
        Who::Commission => caller.is(Role::Commission),
    };
    if !allowed {
        let whom = match who {
            Who::Owner => "the proposal's owner",
            Who::Reviewer => "the proposal's district officer",
            Who::Commission => "the commission",
        };
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-only-may",
            whom = whom,
            action = action.as_str().replace('_', " ")
        )));
    }
    if_match.check(&proposal_etag(&p))?;
    let to = transition(p.status, action).map_err(|e| {
        ApiError::conflict(crate::msg!(
            "conflict-proposal-illegal-move",
            action = e.action.as_str(),
            status = e.from
        ))
        .with("current_state", p.status)
    })?;
    let round = store::rounds::get_by_id(&state.db, p.round_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("round of proposal {id} missing")))?;
    let (mut update, mut ops) = build(&p, &round)?;
    update.status = Some(to);
    ops.insert(
        0,
        PatchOp::change("/status", p.status.as_str(), to.as_str())
            .unwrap_or_else(|| PatchOp::add("/status", to.as_str())),
    );
    write(state, caller, &p, update, action.as_str(), reason, ops).await
}

fn deadline(state: &AppState, round: &Round) -> Result<()> {
    let now = state.clock.now();
    check_intake_open(now, round.intake_deadline, &round.intake_deadline_text).map_err(|msg| {
        ApiError::conflict(msg)
            .with("intake_deadline", &round.intake_deadline_text)
            .with("now", now)
    })
}

fn required_text(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > 4000 {
        return Err(ApiError::Validation(vec![FieldError::new(
            field,
            crate::msg!("field-chars", min = 1, max = 4000),
        )]));
    }
    Ok(v.to_owned())
}

fn reasons_op(p: &Proposal, new: Option<&str>) -> Option<PatchOp> {
    PatchOp::change("/reasons", p.reasons.as_deref(), new)
}

/// Submits to the district for review (the owner, while `draft` or `returned`, until the intake
/// deadline).
///
/// # Errors
/// 403, 404, 409 (state or deadline), 428/412.
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    attestation: AttestationInput,
) -> Result<Proposal> {
    ApiError::check(attestation::check(Some(&attestation), "attestation"))?;
    let now = super::now(state);
    let attested = Attestation::new(attestation, caller.id, now);
    let attested_doc = serde_json::to_value(&attested).map_err(anyhow::Error::from)?;
    step(
        state,
        caller,
        id,
        if_match,
        Who::Owner,
        Action::Submit,
        None,
        |p, round| {
            deadline(state, round)?;
            let mut ops: Vec<PatchOp> = PatchOp::change(
                "/submitted_at",
                p.submitted_at.map(|t| t.to_rfc3339()),
                now.to_rfc3339(),
            )
            .into_iter()
            .collect();
            ops.extend(reasons_op(p, None));
            let old = p
                .attestation
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .map_err(anyhow::Error::from)?;
            ops.extend(PatchOp::change(
                "/attestation",
                old.unwrap_or(Value::Null),
                attested_doc,
            ));
            Ok((
                Update {
                    submitted_at: Some(now),
                    reasons: Some(None),
                    attestation: Some(attested),
                    ..Default::default()
                },
                ops,
            ))
        },
    )
    .await
}

/// Returns a submitted proposal to its owner with reasons (its district officer).
///
/// # Errors
/// 403, 404, 409, 428/412, 422 (reasons).
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn return_to_owner(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    reasons: &str,
) -> Result<Proposal> {
    let reasons = required_text("reasons", reasons)?;
    step(
        state,
        caller,
        id,
        if_match,
        Who::Reviewer,
        Action::Return,
        Some(reasons.clone()),
        |p, _| {
            Ok((
                Update {
                    reasons: Some(Some(reasons.clone())),
                    ..Default::default()
                },
                reasons_op(p, Some(&reasons)).into_iter().collect(),
            ))
        },
    )
    .await
}

/// Reviews and seals (审核盖章) a submitted proposal (its district officer, until the intake
/// deadline), recording who sealed it, when, and the statement.
///
/// # Errors
/// 403, 404, 409 (state or deadline), 428/412, 422 (statement).
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn seal(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    statement: &str,
) -> Result<Proposal> {
    let statement = required_text("statement", statement)?;
    let now = super::now(state);
    let by = caller.id;
    step(
        state,
        caller,
        id,
        if_match,
        Who::Reviewer,
        Action::Seal,
        Some(statement.clone()),
        |p, round| {
            deadline(state, round)?;
            let mut ops = vec![PatchOp::add(
                "/seal",
                json!({"by": by, "at": now.to_rfc3339(), "statement": statement}),
            )];
            ops.extend(reasons_op(p, None));
            Ok((
                Update {
                    seal: Some(Seal {
                        by,
                        at: now,
                        statement: statement.clone(),
                    }),
                    reasons: Some(None),
                    ..Default::default()
                },
                ops,
            ))
        },
    )
    .await
}

/// Marks a sealed proposal eligible or ineligible for selection (commission; may be decided
/// again until the list is published). Reasons are required when ineligible.
///
/// # Errors
/// 403, 404, 409, 428/412, 422 (reasons).
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn decide_eligibility(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    eligible: bool,
    reasons: Option<&str>,
) -> Result<Proposal> {
    caller.require(&[Role::Commission])?;
    let reasons = match (reasons, eligible) {
        (Some(r), _) => Some(required_text("reasons", r)?),
        (None, false) => {
            return Err(ApiError::field(
                "reasons",
                crate::msg!("field-say-why-ineligible"),
            ))
        }
        (None, true) => None,
    };
    let action = if eligible {
        Action::MarkEligible
    } else {
        Action::MarkIneligible
    };
    step(
        state,
        caller,
        id,
        if_match,
        Who::Commission,
        action,
        reasons.clone(),
        |p, _| {
            Ok((
                Update {
                    reasons: Some(reasons.clone()),
                    ..Default::default()
                },
                reasons_op(p, reasons.as_deref()).into_iter().collect(),
            ))
        },
    )
    .await
}

/// The completeness score (方案完整性) of a proposal the caller may see.
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn completeness(state: &AppState, caller: &Caller, id: i32) -> Result<Score> {
    let p = visible(state, caller, id).await?;
    let round = store::rounds::get_by_id(&state.db, p.round_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("round of proposal {id} missing")))?;
    Ok(score_completeness(
        &p.form,
        &p.plan,
        &round.settings.scoring.completeness,
    ))
}

/// Every change and transition of a proposal the caller may see, oldest first.
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(proposal_id = id))]
pub async fn history(state: &AppState, caller: &Caller, id: i32) -> Result<Vec<Entry>> {
    let p = visible(state, caller, id).await?;
    history::of(state, &AggregateRef::new(AggregateType::Proposal, p.id)).await
}

/// Most rows one import request may carry.
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// Most proposals a page of the list holds.
pub const MAX_PAGE: u64 = 100;

/// A proposal received on paper before the service existed, entered already sealed.
#[derive(Debug, Clone)]
pub struct PaperProposal {
    pub form: ProposalForm,
    pub plan: ProposalPlan,
    /// The applicant organisation that filed it on paper, if not the district itself.
    pub owner_organisation_id: Option<i32>,
    /// Username of the district officer who sealed it.
    pub sealed_by: String,
    pub sealed_at: DateTime<Utc>,
    pub statement: String,
}

/// Imports sealed paper proposals (commission). All or nothing: every bad row is reported, one
/// bad row imports none. Returns the new ids in row order.
///
/// # Errors
/// 403, 404 (round), 422 naming `[row].field` for every bad row.
#[tracing::instrument(skip_all, fields(year, rows = rows.len()))]
pub async fn import(
    state: &AppState,
    caller: &Caller,
    year: i32,
    rows: Vec<PaperProposal>,
) -> Result<Vec<i32>> {
    caller.require(&[Role::Commission])?;
    let round = round(state, year).await?;
    if rows.is_empty() {
        return Err(ApiError::field("body", crate::msg!("field-rows-empty")));
    }
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(ApiError::field(
            "body",
            crate::msg!(
                "field-import-too-many-rows",
                max = MAX_IMPORT_ROWS,
                sent = rows.len()
            ),
        ));
    }
    let refs = store::reference::RefData::load(&state.db).await?;
    let mut errors = Vec::new();
    let mut prepared = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let at = |f: &str| format!("[{i}].{f}");
        errors.extend(
            check_content(state, &refs, &row.form, &row.plan)
                .await?
                .into_iter()
                .map(|e| FieldError::new(at(&e.field), e.message)),
        );
        let district = row.form.district_code.clone().unwrap_or_default();
        let officer = match store::users::by_username(&state.db, &row.sealed_by).await? {
            Some(u)
                if u.role == Role::District.as_str()
                    && u.district_code.as_deref() == Some(district.as_str()) =>
            {
                Some(u.id)
            }
            Some(_) => {
                errors.push(FieldError::new(
                    at("sealed_by"),
                    crate::msg!(
                        "field-not-district-officer-of",
                        name = format!("{:?}", row.sealed_by),
                        district = district
                    ),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    at("sealed_by"),
                    crate::msg!("field-no-account", name = format!("{:?}", row.sealed_by)),
                ));
                None
            }
        };
        if row.sealed_at > round.intake_deadline {
            errors.push(FieldError::new(
                at("sealed_at"),
                crate::msg!(
                    "field-after-intake-deadline",
                    deadline = round.intake_deadline_text
                ),
            ));
        }
        if row.statement.trim().is_empty() {
            errors.push(FieldError::new(at("statement"), crate::msg!("field-blank")));
        }
        if let Some(o) = row.owner_organisation_id {
            if store::organisations::by_id(&state.db, o).await?.is_none() {
                errors.push(FieldError::new(
                    at("owner_organisation_id"),
                    crate::msg!("field-no-organisation", id = o),
                ));
            }
        }
        prepared.push((row, officer));
    }
    ApiError::check(errors)?;

    let mut uow = Uow::begin(state, caller).await?;
    let mut ids = Vec::with_capacity(prepared.len());
    for (row, officer) in prepared {
        let Some(officer) = officer else {
            continue;
        };
        let statement = row.statement.trim().to_owned();
        let doc = document(&row.form, &row.plan)?;
        let p = store::proposals::insert(
            uow.db(),
            Filed {
                round_id: round.id,
                status: Status::Sealed,
                district_code: row.form.district_code.clone().unwrap_or_default(),
                cluster_code: row.form.cluster_code.clone(),
                owner_organisation_id: row.owner_organisation_id,
                created_by: caller.id,
                form: row.form,
                plan: row.plan,
                seal: Some(Seal {
                    by: officer,
                    at: row.sealed_at,
                    statement: statement.clone(),
                }),
            },
            uow.now(),
        )
        .await?;
        let mut ops = vec![PatchOp::add("/status", Status::Sealed.as_str())];
        ops.extend(json_patch::diff(&json!({}), &doc));
        ops.push(PatchOp::add(
            "/seal",
            json!({"by": officer, "at": row.sealed_at.to_rfc3339(), "statement": statement}),
        ));
        uow.record(
            NewEvent::new(AggregateType::Proposal, p.id, "import", Visibility::Party)
                .version(p.version)
                .reason(Some(format!(
                    "entered from paper; sealed by {} at {}: {statement}",
                    row.sealed_by,
                    row.sealed_at.to_rfc3339()
                )))
                .payload(ops),
        );
        ids.push(p.id);
    }
    uow.commit().await?;
    Ok(ids)
}
