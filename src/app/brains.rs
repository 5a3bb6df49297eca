//! The public register of plaqued industry brains (授牌) and their annual evaluations
//! (年度常态化评价): once a year per active plaque, by the third-party evaluator the commission
//! engaged for it, confirmed by the commission; 不合格 puts the brain under rectification with a
//! deadline (限期整改) and a plan from the builder; a passing re-evaluation restores it; a failing
//! one, or the deadline passing without a passing one, lets the commission revoke the plaque
//! (取消授牌) with a reason, public in the register.
//!
//! Anyone reads the register (confirmed evaluations); the plaque's parties (the commission, the
//! builder, its district, the engaged evaluator) also see evaluations awaiting confirmation and
//! the plans.

use serde_json::json;

use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::acceptance::{
    next_evaluation, plaque_transition, revocation_grounds, Evaluation, Plaque, PlaqueAction,
};
use crate::domain::calendar::local_day;
use crate::domain::json_patch::PatchOp;
use crate::domain::project::{EvaluationParts, Grade, PlaqueStatus};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;
use crate::store::plaques::{EvaluationChange, NewEvaluation, PlaqueChange, PlaqueFilter};

/// A brain in the register as one reader sees it.
#[derive(Debug, Clone)]
pub struct BrainView {
    pub plaque: Plaque,
    pub builder: String,
    /// Oldest first: confirmed ones for everyone; pending ones too for the plaque's parties.
    pub evaluations: Vec<Evaluation>,
}

fn is_party(caller: Option<&Caller>, p: &Plaque) -> bool {
    caller.is_some_and(|c| match c.role {
        Role::Commission => true,
        Role::District => c.district_code.as_deref() == Some(p.district_code.as_str()),
        Role::Applicant => c.organisation_id == Some(p.organisation_id),
        Role::Evaluator => p.evaluator_id == Some(c.id),
        _ => false,
    })
}

async fn views(
    state: &AppState,
    caller: Option<&Caller>,
    plaques: Vec<Plaque>,
) -> Result<Vec<BrainView>> {
    let ids: Vec<i32> = plaques.iter().map(|p| p.id).collect();
    let all = store::plaques::evaluations(&state.db, &ids).await?;
    let mut out = Vec::with_capacity(plaques.len());
    for p in plaques {
        let party = is_party(caller, &p);
        let builder = store::organisations::find(&state.db, p.organisation_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let evaluations = all
            .iter()
            .filter(|e| e.plaque_id == p.id && (party || e.confirmed.is_some()))
            .cloned()
            .collect();
        out.push(BrainView {
            plaque: p,
            builder,
            evaluations,
        });
    }
    Ok(out)
}

/// Which brains to list.
#[derive(Debug, Clone, Default)]
pub struct BrainQuery {
    /// The year of the plaque.
    pub year: Option<i32>,
    pub district: Option<String>,
    pub status: Option<PlaqueStatus>,
    pub after: Option<i32>,
    pub limit: Option<u64>,
}

/// A page of the register and the cursor of the next.
#[derive(Debug, Clone)]
pub struct BrainPage {
    pub items: Vec<BrainView>,
    pub next: Option<i32>,
}

/// The register, in issue order, a page at a time.
///
/// # Errors
/// 400 for a limit out of range.
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, caller: Option<&Caller>, q: BrainQuery) -> Result<BrainPage> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=super::projects::MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest {
            detail: crate::msg!("detail-limit-1", MAX_PAGE = super::projects::MAX_PAGE),
            errors: vec![FieldError::new("limit", crate::msg!("field-out-of-range"))],
        });
    }
    let mut rows = store::plaques::list(
        &state.db,
        &PlaqueFilter {
            year: q.year,
            district: q.district,
            status: q.status,
            after: q.after,
            limit: limit + 1,
        },
    )
    .await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        rows.last().map(|p| p.id)
    } else {
        None
    };
    Ok(BrainPage {
        items: views(state, caller, rows).await?,
        next,
    })
}

async fn find(state: &AppState, number: &str) -> Result<Plaque> {
    store::plaques::by_number(&state.db, number)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-brain-plaque", number = number)))
}

/// One brain of the register by its plaque number.
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(number = number))]
pub async fn get(state: &AppState, caller: Option<&Caller>, number: &str) -> Result<BrainView> {
    let p = find(state, number).await?;
    let mut v = views(state, caller, vec![p]).await?;
    v.pop()
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-brain-plaque", number = number)))
}

async fn lifecycle(
    state: &AppState,
    p: &Plaque,
) -> Result<crate::domain::project::LifecycleParams> {
    let project = super::projects::find(state, p.project_id).await?;
    let round = store::rounds::get_by_id(&state.db, project.round_id)
        .await?
        .ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!("round {} missing", project.round_id))
        })?;
    Ok(round.settings.lifecycle)
}

fn stale(what: &str, id: i32) -> ApiError {
    ApiError::PreconditionFailed(crate::msg!(
        "precondition-failed-changed-at-same-moment-read",
        what = what,
        id = id
    ))
}

/// The commission engages the third-party evaluator of a brain's annual evaluations (an
/// `evaluator` bound to an organisation that is not the builder).
///
/// # Errors
/// 403, 404, 409 (revoked), 422 (the evaluator).
#[tracing::instrument(skip_all, fields(number = number))]
pub async fn engage_evaluator(
    state: &AppState,
    caller: &Caller,
    number: &str,
    evaluator_id: i32,
) -> Result<BrainView> {
    caller.require(&[Role::Commission])?;
    let p = find(state, number).await?;
    if p.status == PlaqueStatus::Revoked {
        return Err(ApiError::conflict(crate::msg!("conflict-plaque-revoked"))
            .with("current_state", p.status));
    }
    super::acceptance::check_evaluator(&state.db, evaluator_id, p.organisation_id, "evaluator_id")
        .await?;
    let mut uow = Uow::begin(state, caller).await?;
    let after = store::plaques::update_if_version(
        uow.db(),
        p.id,
        p.version,
        PlaqueChange {
            evaluator_id: Some(evaluator_id),
            ..Default::default()
        },
    )
    .await?
    .ok_or_else(|| stale("plaque", p.id))?;
    uow.record(
        NewEvent::new(
            AggregateType::Plaque,
            p.id,
            "engage_evaluator",
            Visibility::Party,
        )
        .version(after.version)
        .parent(AggregateType::Project, p.project_id)
        .op(
            PatchOp::change("/evaluator_id", p.evaluator_id, evaluator_id)
                .unwrap_or_else(|| PatchOp::add("/evaluator_id", evaluator_id)),
        ),
    );
    uow.commit().await?;
    get(state, Some(caller), number).await
}

/// The engaged evaluator files the annual evaluation of an active brain (once a calendar year),
/// or the re-evaluation of one under rectification (after the builder's plan, before the
/// deadline). The score and grade are computed from the parts and the round's bounds.
///
/// # Errors
/// 403 (not an evaluator), 404 (unknown, or not engaged for this brain), 409 (not due), 422.
#[tracing::instrument(skip_all, fields(number = number))]
pub async fn file_evaluation(
    state: &AppState,
    caller: &Caller,
    number: &str,
    parts: EvaluationParts,
    summary: &str,
) -> Result<Evaluation> {
    caller.require(&[Role::Evaluator])?;
    let p = find(state, number).await?;
    if p.evaluator_id != Some(caller.id) {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-brain-plaque",
            number = number
        )));
    }
    let mut errors = parts.validate();
    let summary = summary.trim();
    if summary.is_empty() || summary.chars().count() > 20_000 {
        errors.push(FieldError::new(
            "summary",
            crate::msg!("field-chars", min = 1, max = 20000),
        ));
    }
    ApiError::check(errors)?;
    // The binding may have changed since the engagement.
    super::acceptance::check_evaluator(&state.db, caller.id, p.organisation_id, "evaluator")
        .await
        .map_err(|e| match e {
            ApiError::Validation(errors) => ApiError::Forbidden(crate::msg!(
                "forbidden-evaluator-binding",
                why = errors
                    .iter()
                    .map(|f| crate::i18n::Render::render(&f.message, crate::i18n::current()))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            other => other,
        })?;
    let today = local_day(state.clock.now());
    let earlier = store::plaques::evaluations(&state.db, &[p.id]).await?;
    let (year, attempt) = next_evaluation(&p, &earlier, today)
        .map_err(|why| ApiError::conflict(why).with("current_state", p.status))?;
    let bounds = lifecycle(state, &p).await?.grades;
    let score = parts.score();
    let grade = bounds.grade(score);
    let mut uow = Uow::begin(state, caller).await?;
    let e = store::plaques::insert_evaluation(
        uow.db(),
        NewEvaluation {
            plaque_id: p.id,
            year,
            attempt,
            evaluator_id: caller.id,
            parts,
            score,
            grade,
            summary: summary.to_owned(),
        },
        uow.now(),
    )
    .await?;
    uow.record(
        NewEvent::new(AggregateType::Evaluation, e.id, "file", Visibility::Party)
            .version(e.version)
            .parent(AggregateType::Project, p.project_id)
            .payload(vec![
                PatchOp::add("/plaque", p.number.clone()),
                PatchOp::add("/year", year),
                PatchOp::add("/attempt", attempt),
                PatchOp::add(
                    "/parts",
                    serde_json::to_value(parts).map_err(|x| ApiError::Unexpected(x.into()))?,
                ),
                PatchOp::add("/score", score),
                PatchOp::add("/grade", grade.as_str()),
                PatchOp::add("/summary", summary),
            ]),
    );
    uow.commit().await?;
    Ok(e)
}

async fn evaluation_with_plaque(state: &AppState, id: i32) -> Result<(Evaluation, Plaque)> {
    let e = store::plaques::evaluation(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-evaluation", id = id)))?;
    let p = store::plaques::get(&state.db, e.plaque_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("plaque {} missing", e.plaque_id)))?;
    Ok((e, p))
}

/// What a confirmation did.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub evaluation: Evaluation,
    pub brain: BrainView,
}

/// The commission confirms an evaluation; its grade then acts: an annual 不合格 puts the brain
/// under rectification until the deadline (today + the round's rectification days); a passing
/// re-evaluation restores it; a failing re-evaluation leaves it to the commission's revocation.
///
/// # Errors
/// 403, 404, 409 (confirmed already, or the plaque cannot move).
#[tracing::instrument(skip_all, fields(evaluation_id = id))]
pub async fn confirm_evaluation(state: &AppState, caller: &Caller, id: i32) -> Result<Confirmed> {
    caller.require(&[Role::Commission])?;
    let (e, p) = evaluation_with_plaque(state, id).await?;
    if e.confirmed.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-evaluation-confirmed-already"
        )));
    }
    let days = lifecycle(state, &p).await?.rectification_days;
    let today = local_day(state.clock.now());
    let passes = e.grade != Grade::Fail;
    let action = match (e.is_re_evaluation(), passes) {
        (false, false) => Some(PlaqueAction::Rectify),
        (true, true) => Some(PlaqueAction::Restore),
        _ => None,
    };
    let to = match action {
        Some(a) => Some(plaque_transition(p.status, a).map_err(|x| {
            ApiError::conflict(illegal_plaque_move(&x)).with("current_state", p.status)
        })?),
        None => None,
    };
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let after = store::plaques::update_evaluation(
        uow.db(),
        e.id,
        e.version,
        EvaluationChange {
            confirmed: Some((caller.id, now)),
            ..Default::default()
        },
    )
    .await?
    .ok_or_else(|| stale("evaluation", e.id))?;
    uow.record(
        NewEvent::new(
            AggregateType::Evaluation,
            e.id,
            "confirm",
            Visibility::Public,
        )
        .version(after.version)
        .parent(AggregateType::Project, p.project_id)
        .payload(vec![
            PatchOp::add("/plaque", p.number.clone()),
            PatchOp::add("/year", e.year),
            PatchOp::add("/attempt", e.attempt),
            PatchOp::add("/score", e.score),
            PatchOp::add("/grade", e.grade.as_str()),
        ]),
    );
    if let (Some(action), Some(to)) = (action, to) {
        let until = (action == PlaqueAction::Rectify)
            .then(|| today.checked_add_days(chrono::Days::new(u64::from(days))))
            .flatten();
        let moved = store::plaques::update_if_version(
            uow.db(),
            p.id,
            p.version,
            PlaqueChange {
                status: Some(to),
                rectify_until: Some(until),
                ..Default::default()
            },
        )
        .await?
        .ok_or_else(|| stale("plaque", p.id))?;
        let mut ops = vec![PatchOp::change("/status", p.status.as_str(), to.as_str())
            .unwrap_or_else(|| PatchOp::add("/status", to.as_str()))];
        ops.extend(PatchOp::change(
            "/rectify_until",
            p.rectify_until.map(|d| d.to_string()),
            until.map(|d| d.to_string()),
        ));
        uow.record(
            NewEvent::new(
                AggregateType::Plaque,
                p.id,
                action.as_str(),
                Visibility::Public,
            )
            .version(moved.version)
            .parent(AggregateType::Project, p.project_id)
            .reason(Some(format!(
                "evaluation {} (year {}, attempt {}) graded {}",
                e.id,
                e.year,
                e.attempt,
                e.grade.label()
            )))
            .payload(ops),
        );
    }
    uow.commit().await?;
    let brain = get(state, Some(caller), &p.number).await?;
    Ok(Confirmed {
        evaluation: after,
        brain,
    })
}

/// The builder files its rectification plan (整改方案) for the confirmed 不合格 evaluation that put
/// its brain under rectification.
///
/// # Errors
/// 403 (not an applicant), 404 (not its brain), 409 (not the evaluation to answer, or filed
/// already), 422 (plan).
#[tracing::instrument(skip_all, fields(evaluation_id = id))]
pub async fn file_plan(
    state: &AppState,
    caller: &Caller,
    id: i32,
    plan: &str,
) -> Result<Evaluation> {
    caller.require(&[Role::Applicant])?;
    let (e, p) = evaluation_with_plaque(state, id).await?;
    if caller.organisation_id != Some(p.organisation_id) {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-evaluation",
            id = id
        )));
    }
    let plan = plan.trim();
    if plan.chars().count() < 10 || plan.chars().count() > 20_000 {
        return Err(ApiError::field(
            "plan",
            crate::msg!("field-chars", min = 10, max = 20000),
        ));
    }
    let latest = store::plaques::evaluations(&state.db, &[p.id])
        .await?
        .pop()
        .map(|x| x.id);
    if p.status != PlaqueStatus::Rectifying
        || e.grade != Grade::Fail
        || e.confirmed.is_none()
        || latest != Some(e.id)
    {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-plan-answers-confirmed-evaluation-put"
        ))
        .with("current_state", p.status));
    }
    if e.plan.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-plan-filed-already"
        )));
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let after = store::plaques::update_evaluation(
        uow.db(),
        e.id,
        e.version,
        EvaluationChange {
            plan: Some((plan.to_owned(), now)),
            ..Default::default()
        },
    )
    .await?
    .ok_or_else(|| stale("evaluation", e.id))?;
    uow.record(
        NewEvent::new(AggregateType::Evaluation, e.id, "plan", Visibility::Party)
            .version(after.version)
            .parent(AggregateType::Project, p.project_id)
            .op(PatchOp::add("/rectification_plan", plan)),
    );
    uow.commit().await?;
    Ok(after)
}

/// What a revocation did and on what grounds.
#[derive(Debug, Clone)]
pub struct Revoked {
    pub brain: BrainView,
    /// The grounds the rule found (computed, not typed in).
    pub grounds: String,
}

/// The commission revokes the plaque (取消授牌) with a reason, when the rule finds grounds: a
/// failed re-evaluation after rectification, or the rectification deadline passed (by the
/// clock) without a passing re-evaluation.
///
/// # Errors
/// 403, 404, 409 (no grounds), 422 (reason).
#[tracing::instrument(skip_all, fields(number = number))]
pub async fn revoke(
    state: &AppState,
    caller: &Caller,
    number: &str,
    reason: &str,
) -> Result<Revoked> {
    caller.require(&[Role::Commission])?;
    let p = find(state, number).await?;
    let reason = reason.trim();
    if reason.chars().count() < 10 || reason.chars().count() > 4000 {
        return Err(ApiError::field(
            "reason",
            crate::msg!("field-say-why-chars", min = 10, max = 4000),
        ));
    }
    let today = local_day(state.clock.now());
    let evaluations = store::plaques::evaluations(&state.db, &[p.id]).await?;
    let grounds = revocation_grounds(&p, &evaluations, today)
        .map_err(|why| ApiError::conflict(why).with("current_state", p.status))?;
    let to = plaque_transition(p.status, PlaqueAction::Revoke)
        .map_err(|x| ApiError::conflict(illegal_plaque_move(&x)).with("current_state", p.status))?;
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let after = store::plaques::update_if_version(
        uow.db(),
        p.id,
        p.version,
        PlaqueChange {
            status: Some(to),
            revoked: Some((now, reason.to_owned())),
            ..Default::default()
        },
    )
    .await?
    .ok_or_else(|| stale("plaque", p.id))?;
    uow.record(
        NewEvent::new(AggregateType::Plaque, p.id, "revoke", Visibility::Public)
            .version(after.version)
            .parent(AggregateType::Project, p.project_id)
            .reason(Some(reason.to_owned()))
            .payload(vec![
                PatchOp::change("/status", p.status.as_str(), to.as_str())
                    .unwrap_or_else(|| PatchOp::add("/status", to.as_str())),
                PatchOp::add(
                    "/revoked",
                    json!({"at": now.to_rfc3339(), "reason": reason, "grounds": grounds}),
                ),
            ]),
    );
    uow.commit().await?;
    let brain = get(state, Some(caller), number).await?;
    Ok(Revoked { brain, grounds })
}

/// A move the plaque's status does not allow, from the catalogues (the status and the action by
/// their codes, labelled in the reader's language).
fn illegal_plaque_move(e: &crate::domain::acceptance::IllegalPlaqueMove) -> crate::i18n::Msg {
    crate::msg!(
        "conflict-plaque-illegal-move",
        status = e.from,
        action = e.action
    )
}
