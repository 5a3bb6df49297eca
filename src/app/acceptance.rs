//! Acceptance (验收): the builder's written request opens an acceptance of the project; the
//! commission starts it — a panel formed with the calls' conflict rules (the builder's staff and
//! its employees of the last 3 years are never named nor drawn; declared links recuse), a
//! third-party evaluator engaged (an `evaluator` bound to an organisation that is not the
//! builder), a rubric; the evaluator measures each indicator with hashed evidence; the experts
//! score; the rule (every mandatory indicator met and the panel's trimmed-mean score at or above
//! the round's threshold) decides, and the commission concludes: accepted (the plaque), rectify
//! (a deadline, then a new review) or failed.
//!
//! Who sees an acceptance: the commission whole; the project's district and builder all but the
//! panel's names and sheets; a panel expert its own seat and sheet; the engaged evaluator what
//! it works on. Anyone else gets a 404.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Value};

use super::projects::{self, Standing};
use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::acceptance::{
    builder_conflicts, conclude as rule_of, default_rubric, panel_score, validate_rubric,
    Acceptance, AcceptanceConflict, AcceptanceMember, AcceptanceReport, AcceptanceSheet,
    Conclusion, Outcome,
};
use crate::domain::calendar::local_day;
use crate::domain::call::Criterion;
use crate::domain::conflict::ConflictKind;
use crate::domain::json_patch::PatchOp;
use crate::domain::panel_draw::{choose, new_seed};
use crate::domain::project::{
    rectification_in_time, verdict, Project, ProjectAction, ProjectStatus, Verdict,
};
use crate::domain::ranking::{check_sheet, ScoreDraft, SheetLine};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::i18n::Render;
use crate::state::AppState;
use crate::store;
use crate::store::acceptance::AcceptanceChange;
use crate::store::plaques::NewPlaque;
use crate::store::projects::ProjectChange;

/// Opens the next acceptance of a project (its attempt number) for a request; returns its id.
///
/// # Errors
/// Database failures.
pub async fn open(uow: &mut Uow, p: &Project, requested_by: i32, letter: &str) -> Result<i32> {
    let now = uow.now();
    Ok(store::acceptance::open(uow.db(), p.id, requested_by, letter, now).await?)
}

fn json_of<T: serde::Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| ApiError::Unexpected(e.into()))
}

/// How the caller stands to one acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Commission,
    /// The project's district officer or builder.
    Party,
    /// An expert on this acceptance's panel.
    Expert,
    /// The evaluator engaged for this acceptance.
    Evaluator,
}

async fn seat_of(
    state: &AppState,
    caller: &Caller,
    p: &Project,
    a: &Acceptance,
) -> Result<Option<Seat>> {
    Ok(match Standing::of(Some(caller), p) {
        Standing::Commission => Some(Seat::Commission),
        Standing::District | Standing::Builder => Some(Seat::Party),
        Standing::Public if caller.is(Role::Expert) => store::acceptance::panel(&state.db, a.id)
            .await?
            .iter()
            .any(|m| m.expert_id == caller.id)
            .then_some(Seat::Expert),
        Standing::Public if caller.is(Role::Evaluator) && a.evaluator_id == Some(caller.id) => {
            Some(Seat::Evaluator)
        }
        Standing::Public => None,
    })
}

/// A panel seat as its readers see it.
#[derive(Debug, Clone)]
pub struct PanelSeat {
    pub member: AcceptanceMember,
    pub username: Option<String>,
    /// Why the expert is recused (its declared conflicts), if it is.
    pub recused: Vec<String>,
}

/// An acceptance as one reader may see it.
#[derive(Debug, Clone)]
pub struct AcceptanceView {
    pub acceptance: Acceptance,
    pub project_status: ProjectStatus,
    /// The commission: every seat; a panel expert: its own; others: none.
    pub panel: Vec<PanelSeat>,
    pub panel_size: usize,
    /// The commission: every sheet; a panel expert: its own; others: none.
    pub sheets: Vec<AcceptanceSheet>,
    /// Each indicator of the agreement in force and whether the evaluator's measurement meets it.
    pub indicator_results: Vec<(String, bool)>,
    /// The rule applied to what is filed so far (the commission), or as it decided.
    pub verdict: Option<Verdict>,
}

/// The rule applied to what is filed: the evaluator's measurements, the counted sheets (the
/// panel's members not recused), the round's threshold.
struct Evaluated {
    verdict: Verdict,
    /// Panel members (not recused) who have not scored.
    missing: Vec<i32>,
    counted: usize,
}

async fn evaluate(
    db: &impl sea_orm::ConnectionTrait,
    p: &Project,
    a: &Acceptance,
) -> Result<Evaluated> {
    let agreement = projects::signed_agreement_in(db, p).await?;
    let round = store::rounds::get_by_id(db, p.round_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("round {} missing", p.round_id)))?;
    let members = store::acceptance::panel(db, a.id).await?;
    let recused: HashSet<i32> = store::acceptance::conflicts(db, a.id)
        .await?
        .into_iter()
        .map(|c| c.expert_id)
        .collect();
    let sheets = store::acceptance::sheets(db, a.id).await?;
    let counted: Vec<(i32, BTreeMap<String, i64>)> = sheets
        .iter()
        .filter(|s| !recused.contains(&s.expert_id))
        .filter(|s| members.iter().any(|m| m.expert_id == s.expert_id))
        .map(|s| {
            (
                s.expert_id,
                s.lines
                    .iter()
                    .map(|l| (l.criterion.clone(), l.points))
                    .collect(),
            )
        })
        .collect();
    let missing = members
        .iter()
        .map(|m| m.expert_id)
        .filter(|e| !recused.contains(e) && !counted.iter().any(|(x, _)| x == e))
        .collect();
    let rubric = a.rubric.clone().unwrap_or_default();
    let (score, _) = panel_score(&rubric, &counted);
    let measured = a
        .report
        .as_ref()
        .map(|r| r.measurements.clone())
        .unwrap_or_default();
    Ok(Evaluated {
        verdict: verdict(
            &agreement.content,
            &measured,
            score,
            round.settings.lifecycle.acceptance_threshold,
        ),
        missing,
        counted: counted.len(),
    })
}

async fn view(
    state: &AppState,
    p: &Project,
    a: Acceptance,
    seat: Seat,
    caller: &Caller,
) -> Result<AcceptanceView> {
    let members = store::acceptance::panel(&state.db, a.id).await?;
    let conflicts = store::acceptance::conflicts(&state.db, a.id).await?;
    let ids: Vec<i32> = members.iter().map(|m| m.expert_id).collect();
    let names = store::users::usernames(&state.db, &ids).await?;
    let panel_size = members.len();
    let panel = members
        .into_iter()
        .filter(|m| seat == Seat::Commission || (seat == Seat::Expert && m.expert_id == caller.id))
        .map(|m| PanelSeat {
            username: names.get(&m.expert_id).cloned(),
            recused: conflicts
                .iter()
                .filter(|c| c.expert_id == m.expert_id)
                .map(|c| format!("declared ({}): {}", c.kind, c.note))
                .collect(),
            member: m,
        })
        .collect();
    let sheets = store::acceptance::sheets(&state.db, a.id)
        .await?
        .into_iter()
        .filter(|s| seat == Seat::Commission || (seat == Seat::Expert && s.expert_id == caller.id))
        .collect();
    let indicator_results = match (&a.report, projects::signed_agreement_in(&state.db, p).await) {
        (Some(r), Ok(ag)) => r.results(&ag.content),
        _ => Vec::new(),
    };
    let verdict = if a.started() && (seat == Seat::Commission || a.conclusion.is_some()) {
        Some(evaluate(&state.db, p, &a).await?.verdict)
    } else {
        None
    };
    Ok(AcceptanceView {
        acceptance: a,
        project_status: p.status,
        panel,
        panel_size,
        sheets,
        indicator_results,
        verdict,
    })
}

async fn load(state: &AppState, id: i32) -> Result<(Acceptance, Project)> {
    let a = store::acceptance::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-acceptance", id = id)))?;
    let p = projects::find(state, a.project_id).await?;
    Ok((a, p))
}

/// One acceptance, as the caller may see it.
///
/// # Errors
/// 404 (unknown, or not the caller's to see).
#[tracing::instrument(skip_all, fields(acceptance_id = id))]
pub async fn get(state: &AppState, caller: &Caller, id: i32) -> Result<AcceptanceView> {
    let (a, p) = load(state, id).await?;
    let seat = seat_of(state, caller, &p, &a)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-acceptance", id = id)))?;
    view(state, &p, a, seat, caller).await
}

/// A project's acceptances (attempt 1, then the re-reviews), those the caller may see.
///
/// # Errors
/// 404 for an unknown project or one with nothing the caller may see.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn of_project(state: &AppState, caller: &Caller, id: i32) -> Result<Vec<AcceptanceView>> {
    let p = projects::find(state, id).await?;
    let mut out = Vec::new();
    for a in store::acceptance::of_project(&state.db, p.id).await? {
        if let Some(seat) = seat_of(state, caller, &p, &a).await? {
            out.push(view(state, &p, a, seat, caller).await?);
        }
    }
    if out.is_empty() && !Standing::of(Some(caller), &p).party() {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-project",
            id = id
        )));
    }
    Ok(out)
}

/// What the commission starts an acceptance with.
#[derive(Debug, Clone, Default)]
pub struct Start {
    /// The rubric the panel scores; the default one when `None`.
    pub rubric: Option<Vec<Criterion>>,
    /// Experts named by user id.
    pub experts: Vec<i32>,
    /// `(n, seed)`: `n` more drawn from the pool's unconflicted experts (a fresh recorded seed
    /// when none is given).
    pub draw: Option<(u32, Option<u64>)>,
    pub evaluator_id: i32,
}

/// Checks that `evaluator_id` is an evaluator bound to an organisation that is not the builder.
pub(crate) async fn check_evaluator(
    db: &impl sea_orm::ConnectionTrait,
    evaluator_id: i32,
    builder: i32,
    field: &str,
) -> Result<i32> {
    let account = store::users::account(db, evaluator_id).await?;
    match account {
        Some(a) if a.role == Role::Evaluator => match a.organisation_id {
            Some(o) if o != builder => Ok(o),
            Some(_) => Err(ApiError::field(
                field,
                crate::msg!("field-evaluator-is-builder"),
            )),
            None => Err(ApiError::field(
                field,
                crate::msg!("field-evaluator-unbound"),
            )),
        },
        _ => Err(ApiError::field(
            field,
            crate::msg!("field-not-an-evaluator", id = evaluator_id),
        )),
    }
}

/// Starts the acceptance of a project whose acceptance was requested (or a re-review of one under
/// rectification, as a new attempt): the rubric, the panel (named and/or drawn; experts the data
/// links with the builder are refused when named and left out of the draw), the engaged
/// evaluator. The project goes `under_acceptance`. A re-review after the rectification deadline
/// is refused (409, with the days over) unless the commission recorded an exception for it.
///
/// # Errors
/// 403, 404, 409 (state, late re-review), 422 (rubric, experts, draw, evaluator).
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn start(state: &AppState, caller: &Caller, id: i32, s: Start) -> Result<AcceptanceView> {
    let (p, _) = projects::for_write(state, caller, id, Role::Commission).await?;
    crate::domain::project::transition(p.status, ProjectAction::StartAcceptance).map_err(|e| {
        ApiError::conflict(crate::msg!(
            "conflict-acceptance-starts-once-builder-requested",
            e = e
        ))
        .with("current_state", p.status)
    })?;
    let today = local_day(state.clock.now());
    if let (ProjectStatus::Rectifying, Some(until)) = (p.status, p.rectify_until) {
        if let Err(days) = rectification_in_time(until, today) {
            if !projects::rectification_excepted(&state.db, &p).await? {
                return Err(ApiError::conflict(crate::msg!(
                    "conflict-re-review-was-due-rectification",
                    until = until,
                    days = days,
                    id = p.id
                ))
                .with("days_over", days)
                .with("rectify_until", until));
            }
        }
    }
    let rubric = s.rubric.unwrap_or_else(default_rubric);
    let mut errors = validate_rubric(&rubric);
    match check_evaluator(&state.db, s.evaluator_id, p.organisation_id, "evaluator_id").await {
        Ok(_) => {}
        Err(ApiError::Validation(e)) => errors.extend(e),
        Err(other) => return Err(other),
    }
    let pool = store::panel::expert_pool(&state.db).await?;
    let mut profiles = Vec::with_capacity(pool.len());
    for &e in &pool {
        profiles.push((
            e,
            store::panel::profile(&state.db, e)
                .await?
                .unwrap_or_default(),
        ));
    }
    let joint = store::bids::members_of_bid(&state.db, p.bid_id).await?;
    let builders = crate::domain::builders::members(p.organisation_id, &joint);
    let conflicted = builder_conflicts(&profiles, &builders, today);
    for (i, e) in s.experts.iter().enumerate() {
        if let Some(link) = conflicted.get(e) {
            errors.push(FieldError::new(
                format!("experts[{i}]"),
                crate::msg!(
                    "field-expert-conflicted",
                    id = e,
                    why = link.msg().render(crate::i18n::current())
                ),
            ));
        }
    }
    let eligible: Vec<i32> = pool
        .iter()
        .copied()
        .filter(|e| !conflicted.contains_key(e))
        .collect();
    let draw = s.draw.map(|(n, seed)| (n, seed.unwrap_or_else(new_seed)));
    let chosen = if errors.is_empty() {
        choose(&eligible, &[], &s.experts, draw).map_err(ApiError::Validation)?
    } else {
        return Err(ApiError::Validation(errors));
    };
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let after = projects::act(
        &mut uow,
        &p,
        ProjectAction::StartAcceptance,
        ProjectChange::default(),
        None,
        Vec::new(),
    )
    .await?;
    let open = store::acceptance::of_project(uow.db(), p.id)
        .await?
        .into_iter()
        .rev()
        .find(|a| a.conclusion.is_none());
    let a = match open {
        Some(a) => a,
        None => {
            let aid = super::acceptance::open(
                &mut uow,
                &after,
                caller.id,
                "限期整改后重新验收 (re-review after rectification)",
            )
            .await?;
            uow.record(
                NewEvent::new(
                    AggregateType::Acceptance,
                    aid,
                    "re_review",
                    Visibility::Public,
                )
                .parent(AggregateType::Project, p.id),
            );
            store::acceptance::get(uow.db(), aid)
                .await?
                .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("acceptance {aid} missing")))?
        }
    };
    let Some(started) = store::acceptance::update_if_version(
        uow.db(),
        a.id,
        a.version,
        AcceptanceChange {
            start: Some((rubric.clone(), s.evaluator_id)),
            ..Default::default()
        },
    )
    .await?
    else {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-acceptance-changed-at-same-moment",
            id = a.id
        )));
    };
    let mut members = Vec::new();
    for c in &chosen {
        let m = AcceptanceMember {
            expert_id: c.expert_id,
            how: c.how,
            seed: c.seed,
            added_by: caller.id,
            added_at: now,
        };
        store::acceptance::add_member(uow.db(), a.id, &m).await?;
        members.push(json!({"expert_id": m.expert_id, "how": m.how.as_str(),
                            "seed": m.seed.map(|x| x.to_string())}));
    }
    uow.record(
        NewEvent::new(AggregateType::Acceptance, a.id, "start", Visibility::Public)
            .parent(AggregateType::Project, p.id)
            .payload(vec![
                PatchOp::add("/attempt", a.attempt),
                PatchOp::add("/rubric", json_of(&rubric)?),
                PatchOp::add("/evaluator_id", s.evaluator_id),
                PatchOp::add("/panel_size", chosen.len()),
            ]),
    );
    let excluded: Vec<Value> = conflicted
        .iter()
        .map(|(e, link)| json!({"expert_id": e, "reason": link.sentence()}))
        .collect();
    uow.record(
        NewEvent::new(
            AggregateType::Acceptance,
            a.id,
            "panel",
            Visibility::Commission,
        )
        .parent(AggregateType::Project, p.id)
        .payload(vec![
            PatchOp::add("/panel", Value::Array(members)),
            PatchOp::add("/excluded_by_conflict", Value::Array(excluded)),
        ]),
    );
    uow.commit().await?;
    view(state, &after, started, Seat::Commission, caller).await
}

async fn for_expert(state: &AppState, caller: &Caller, id: i32) -> Result<(Acceptance, Project)> {
    caller.require(&[Role::Expert])?;
    let (a, p) = load(state, id).await?;
    if seat_of(state, caller, &p, &a).await? != Some(Seat::Expert) {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-acceptance",
            id = id
        )));
    }
    Ok((a, p))
}

fn still_open(a: &Acceptance, p: &Project) -> Result<()> {
    if a.conclusion.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-acceptance-concluded"
        )));
    }
    if p.status != ProjectStatus::UnderAcceptance || !a.started() {
        return Err(
            ApiError::conflict(crate::msg!("conflict-acceptance-under-way"))
                .with("current_state", p.status),
        );
    }
    Ok(())
}

/// A panel expert declares a link with the builder (investment or control — a partner —,
/// family, or another): it is recused from this acceptance, and a sheet it filed no longer
/// counts.
///
/// # Errors
/// 403 (not an expert), 404 (not on this panel), 409 (concluded), 422 (note).
#[tracing::instrument(skip_all, fields(acceptance_id = id))]
pub async fn declare_conflict(
    state: &AppState,
    caller: &Caller,
    id: i32,
    kind: ConflictKind,
    note: &str,
) -> Result<AcceptanceView> {
    let (a, p) = for_expert(state, caller, id).await?;
    if a.conclusion.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-acceptance-concluded"
        )));
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 4000 {
        return Err(ApiError::field(
            "note",
            crate::msg!("field-chars", min = 1, max = 4000),
        ));
    }
    let mut uow = Uow::begin(state, caller).await?;
    let c: AcceptanceConflict =
        store::acceptance::declare(uow.db(), a.id, caller.id, kind, note, uow.now()).await?;
    uow.record(
        NewEvent::new(
            AggregateType::Acceptance,
            a.id,
            "conflict_declared",
            Visibility::Commission,
        )
        .parent(AggregateType::Project, p.id)
        .reason(Some(note.to_owned()))
        .payload(vec![PatchOp::add(
            format!("/conflicts/{}", c.id),
            json!({"expert_id": caller.id, "kind": kind.as_str(), "note": note}),
        )]),
    );
    if let Some(sheet) = store::acceptance::sheets(uow.db(), a.id)
        .await?
        .into_iter()
        .find(|s| s.expert_id == caller.id)
    {
        uow.record(
            NewEvent::new(
                AggregateType::Acceptance,
                a.id,
                "set_aside",
                Visibility::Commission,
            )
            .parent(AggregateType::Project, p.id)
            .reason(Some(format!(
                "the expert is recused: declared ({kind}): {note}"
            )))
            .op(PatchOp::add("/set_aside_sheet", sheet.id)),
        );
    }
    uow.commit().await?;
    let a = store::acceptance::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-acceptance", id = id)))?;
    view(state, &p, a, Seat::Expert, caller).await
}

/// A panel expert scores the acceptance's rubric (replacing an earlier sheet).
///
/// # Errors
/// 403 (not an expert, or recused), 404 (not on this panel), 409 (not under way), 422 (scores).
#[tracing::instrument(skip_all, fields(acceptance_id = id))]
pub async fn put_scores(
    state: &AppState,
    caller: &Caller,
    id: i32,
    drafts: Vec<ScoreDraft>,
) -> Result<Vec<SheetLine>> {
    let (a, p) = for_expert(state, caller, id).await?;
    let declared = store::acceptance::conflicts(&state.db, a.id).await?;
    let mine: Vec<String> = declared
        .iter()
        .filter(|c| c.expert_id == caller.id)
        .map(|c| format!("declared ({}): {}", c.kind, c.note))
        .collect();
    if !mine.is_empty() {
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-you-recused-from-acceptance",
            mine = mine.join("; ")
        )));
    }
    still_open(&a, &p)?;
    let rubric = a.rubric.clone().unwrap_or_default();
    let lines = check_sheet(&rubric, drafts).map_err(ApiError::Validation)?;
    let mut uow = Uow::begin(state, caller).await?;
    let (sheet, before) =
        store::acceptance::put_sheet(uow.db(), a.id, caller.id, &lines, uow.now()).await?;
    let new = json_of(&lines)?;
    let op = match before {
        Some(old) => PatchOp::change(format!("/sheets/{sheet}"), json_of(&old)?, new),
        None => Some(PatchOp::add(format!("/sheets/{sheet}"), new)),
    };
    uow.record(
        NewEvent::new(
            AggregateType::Acceptance,
            a.id,
            "scored",
            Visibility::Commission,
        )
        .parent(AggregateType::Project, p.id)
        .payload(op.into_iter().collect()),
    );
    uow.commit().await?;
    Ok(lines)
}

/// The engaged evaluator files its report: each indicator of the agreement in force measured,
/// the evidence by name and SHA-256. Once per acceptance.
///
/// # Errors
/// 403 (not an evaluator), 404 (not engaged for this acceptance), 409 (not under way, filed
/// already), 422 (the report).
#[tracing::instrument(skip_all, fields(acceptance_id = id))]
pub async fn file_report(
    state: &AppState,
    caller: &Caller,
    id: i32,
    report: AcceptanceReport,
) -> Result<AcceptanceView> {
    caller.require(&[Role::Evaluator])?;
    let (a, p) = load(state, id).await?;
    if seat_of(state, caller, &p, &a).await? != Some(Seat::Evaluator) {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-acceptance",
            id = id
        )));
    }
    still_open(&a, &p)?;
    if a.report.is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-report-filed-already"
        )));
    }
    let agreement = projects::signed_agreement_in(&state.db, &p).await?;
    ApiError::check(report.validate(&agreement.content))?;
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let Some(after) = store::acceptance::update_if_version(
        uow.db(),
        a.id,
        a.version,
        AcceptanceChange {
            report: Some((report.clone(), now)),
            ..Default::default()
        },
    )
    .await?
    else {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-acceptance-changed-at-same-moment",
            id = id
        )));
    };
    uow.record(
        NewEvent::new(AggregateType::Acceptance, a.id, "report", Visibility::Party)
            .parent(AggregateType::Project, p.id)
            .payload(vec![PatchOp::add("/report", json_of(&report)?)]),
    );
    uow.commit().await?;
    view(state, &p, after, Seat::Evaluator, caller).await
}

/// The outcome of a conclusion.
#[derive(Debug, Clone)]
pub struct Concluded {
    pub acceptance: AcceptanceView,
    pub project: projects::ProjectView,
    /// Issued on `accepted`.
    pub plaque: Option<super::brains::BrainView>,
}

/// The commission concludes the acceptance with a reason; the rule decides which outcomes are
/// open ([`crate::domain::acceptance::conclude`]): accepted (the plaque is issued, numbered in
/// its year), rectify (a deadline the round's settings give; then a re-review), or failed. The
/// rule as applied is stored and returned.
///
/// # Errors
/// 403, 404, 409 (not under way, report or sheets missing, an outcome the rule does not
/// allow), 422 (reason).
#[tracing::instrument(skip_all, fields(acceptance_id = id))]
pub async fn conclude(
    state: &AppState,
    caller: &Caller,
    id: i32,
    outcome: Outcome,
    reason: &str,
) -> Result<Concluded> {
    caller.require(&[Role::Commission])?;
    let (a, p) = load(state, id).await?;
    still_open(&a, &p)?;
    let reason = reason.trim();
    if reason.chars().count() < 10 || reason.chars().count() > 4000 {
        return Err(ApiError::field(
            "reason",
            crate::msg!("field-say-why-chars", min = 10, max = 4000),
        ));
    }
    if a.report.is_none() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-third-party-evaluator-has-filed"
        )));
    }
    let e = evaluate(&state.db, &p, &a).await?;
    if !e.missing.is_empty() || e.counted == 0 {
        return Err(
            ApiError::conflict(crate::msg!("conflict-every-panel-expert-who-recused"))
                .with("missing", &e.missing),
        );
    }
    let earlier = store::acceptance::of_project(&state.db, p.id).await?;
    let after_rectification = earlier.iter().any(|x| {
        x.id != a.id
            && x.conclusion
                .as_ref()
                .is_some_and(|c| c.outcome == Outcome::Rectify)
    });
    let rule = rule_of(&e.verdict, after_rectification, outcome).map_err(|why| {
        ApiError::conflict(why)
            .with("acceptable", e.verdict.acceptable)
            .with("unmet_mandatory", &e.verdict.unmet_mandatory)
    })?;
    let round = store::rounds::get_by_id(&state.db, p.round_id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("round {} missing", p.round_id)))?;
    let today = local_day(state.clock.now());
    let (action, rectify_until) = match outcome {
        Outcome::Accepted => (ProjectAction::Accept, None),
        Outcome::Rectify => (
            ProjectAction::Rectify,
            today.checked_add_days(chrono::Days::new(u64::from(
                round.settings.lifecycle.rectification_days,
            ))),
        ),
        Outcome::Failed => (ProjectAction::Fail, None),
    };
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let conclusion = Conclusion {
        outcome,
        reason: reason.to_owned(),
        panel_score: e.verdict.panel_score,
        rule: rule.clone(),
        by: caller.id,
        at: now,
    };
    let Some(decided) = store::acceptance::update_if_version(
        uow.db(),
        a.id,
        a.version,
        AcceptanceChange {
            conclusion: Some(conclusion),
            ..Default::default()
        },
    )
    .await?
    else {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-acceptance-changed-at-same-moment",
            id = id
        )));
    };
    uow.record(
        NewEvent::new(
            AggregateType::Acceptance,
            a.id,
            "conclude",
            Visibility::Public,
        )
        .parent(AggregateType::Project, p.id)
        .reason(Some(reason.to_owned()))
        .payload(vec![
            PatchOp::add("/outcome", outcome.as_str()),
            PatchOp::add("/panel_score", e.verdict.panel_score),
            PatchOp::add("/unmet_mandatory", json_of(&e.verdict.unmet_mandatory)?),
            PatchOp::add("/rule", rule),
        ]),
    );
    let mut ops = Vec::new();
    if let Some(d) = rectify_until {
        ops.push(PatchOp::add("/rectify_until", d.to_string()));
    }
    let project = projects::act(
        &mut uow,
        &p,
        action,
        ProjectChange {
            rectify_until: Some(rectify_until),
            ..Default::default()
        },
        Some(reason.to_owned()),
        ops,
    )
    .await?;
    let plaque = if outcome == Outcome::Accepted {
        use chrono::Datelike;
        let pl = store::plaques::insert(
            uow.db(),
            NewPlaque {
                project_id: p.id,
                year: today.year(),
                brain_name: p.name.clone(),
                organisation_id: p.organisation_id,
                district_code: p.district_code.clone(),
                issued_on: today,
            },
        )
        .await?;
        uow.record(
            NewEvent::new(AggregateType::Plaque, pl.id, "issue", Visibility::Public)
                .version(pl.version)
                .parent(AggregateType::Project, p.id)
                .payload(vec![
                    PatchOp::add("/number", pl.number.clone()),
                    PatchOp::add("/brain_name", pl.brain_name.clone()),
                    PatchOp::add("/organisation_id", pl.organisation_id),
                    PatchOp::add("/district_code", pl.district_code.clone()),
                    PatchOp::add("/issued_on", pl.issued_on.to_string()),
                    PatchOp::add("/status", pl.status.as_str()),
                ]),
        );
        Some(pl)
    } else {
        None
    };
    uow.commit().await?;
    let acceptance = view(state, &project, decided, Seat::Commission, caller).await?;
    let plaque = match plaque {
        Some(pl) => Some(super::brains::get(state, Some(caller), &pl.number).await?),
        None => None,
    };
    Ok(Concluded {
        acceptance,
        project: projects::get(state, Some(caller), project.id).await?,
        plaque,
    })
}
