//! After the award: construction projects (建设项目) — one per winning bid, created when the
//! award is finalized — their task agreements (任务书) confirmed by the commission, the builder
//! and the district, construction with quarterly progress reports and the district's supervision
//! (督导), completion (建成) and the request for acceptance (验收) within one month of it.
//!
//! Who sees what: the commission sees every project whole; a district officer its district's
//! projects; an applicant its organisation's; everyone else (the public, data platforms,
//! experts, evaluators) the public fields of every project. A write on someone else's project is
//! a 404, a write by the wrong role a 403.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::history::{self, Entry};
use super::{AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::award::Award;
use crate::domain::call::Call;
use crate::domain::event::{AggregateRef, Event};
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::project::{
    acceptance_request_due, acceptance_request_in_time, draft_agreement, overdue_milestones,
    overdue_reports, rectification_in_time, transition, Agreement, AgreementContent,
    AgreementParty, AgreementStatus, Confirmation, FollowUp, ProgressReport, Project,
    ProjectAction, ProjectStatus, Quarter, ReportContent, Supervision, SupervisionMethod,
    SupervisionRating,
};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{etag, IfMatch};
use crate::state::AppState;
use crate::store;
use crate::store::projects::{
    AgreementChange, NewProject, NewSupervision, ProjectChange, ProjectFilter,
};

/// How the caller stands to a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Commission,
    /// The officer of the project's district.
    District,
    /// An account of the builder organisation.
    Builder,
    /// Anyone else: the public fields only.
    Public,
}

impl Standing {
    pub fn of(caller: Option<&Caller>, p: &Project) -> Self {
        match caller {
            Some(c) if c.role == Role::Commission => Standing::Commission,
            Some(c)
                if c.role == Role::District
                    && c.district_code.as_deref() == Some(p.district_code.as_str()) =>
            {
                Standing::District
            }
            Some(c)
                if c.role == Role::Applicant && c.organisation_id == Some(p.organisation_id) =>
            {
                Standing::Builder
            }
            _ => Standing::Public,
        }
    }

    /// A party of the project (sees it whole).
    pub fn party(self) -> bool {
        self != Standing::Public
    }

    /// The agreement party this standing confirms as.
    pub fn agreement_party(self) -> Option<AgreementParty> {
        match self {
            Standing::Commission => Some(AgreementParty::Commission),
            Standing::District => Some(AgreementParty::District),
            Standing::Builder => Some(AgreementParty::Builder),
            Standing::Public => None,
        }
    }
}

/// The strong entity tag of a project's version.
pub fn project_etag(p: &Project) -> String {
    etag("project", p.id, p.version)
}

/// The strong entity tag of an agreement's version.
pub fn agreement_etag(a: &Agreement) -> String {
    etag("agreement", a.id, a.version)
}

/// # Errors
/// 404.
pub async fn find(state: &AppState, id: i32) -> Result<Project> {
    store::projects::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-project", id = id)))
}

/// The project, for a write that only `role` may make and only as a party: the wrong role is a
/// 403, someone else's project a 404.
///
/// # Errors
/// 403, 404.
pub async fn for_write(
    state: &AppState,
    caller: &Caller,
    id: i32,
    role: Role,
) -> Result<(Project, Standing)> {
    caller.require(&[role])?;
    let p = find(state, id).await?;
    let standing = Standing::of(Some(caller), &p);
    if !standing.party() {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-project",
            id = id
        )));
    }
    Ok((p, standing))
}

/// The project, for reading what only its parties see: someone else's is a 404.
///
/// # Errors
/// 404.
pub async fn for_party_read(
    state: &AppState,
    caller: &Caller,
    id: i32,
) -> Result<(Project, Standing)> {
    let p = find(state, id).await?;
    let standing = Standing::of(Some(caller), &p);
    if !standing.party() {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-project",
            id = id
        )));
    }
    Ok((p, standing))
}

/// Moves a project (the state machine decides) with its conditional write and event, in `uow`.
///
/// # Errors
/// 409 for an illegal move, 412 when the project changed since it was read.
pub async fn act(
    uow: &mut Uow,
    p: &Project,
    action: ProjectAction,
    mut change: ProjectChange,
    reason: Option<String>,
    mut ops: Vec<PatchOp>,
) -> Result<Project> {
    let to = transition(p.status, action).map_err(|e| {
        ApiError::conflict(crate::msg!(
            "conflict-project-illegal-move",
            status = e.from,
            action = e.action
        ))
        .with("current_state", p.status)
    })?;
    change.status = Some(to);
    let now = uow.now();
    let Some(after) =
        store::projects::update_if_version(uow.db(), p.id, p.version, change, now).await?
    else {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-project-changed-at-same-moment",
            id = p.id
        )));
    };
    ops.insert(
        0,
        PatchOp::change("/status", p.status.as_str(), to.as_str())
            .unwrap_or_else(|| PatchOp::add("/status", to.as_str())),
    );
    uow.record(
        NewEvent::new(
            AggregateType::Project,
            p.id,
            action.as_str(),
            Visibility::Public,
        )
        .version(after.version)
        .reason(reason)
        .payload(ops),
    );
    Ok(after)
}

/// Creates one project per winning bid of a call whose award is being finalized, each with a
/// first draft of its task agreement (from the bid and the proposal's plan), in the finalizing
/// unit of work.
///
/// # Errors
/// Database failures; a bid or organisation that is gone.
#[tracing::instrument(skip_all, fields(call_id = call.id))]
pub async fn create_for_award(
    state: &AppState,
    uow: &mut Uow,
    call: &Call,
    award: &Award,
) -> Result<Vec<Project>> {
    let item = store::selections::item(uow.db(), call.list_item_id)
        .await?
        .ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!("list item {} missing", call.list_item_id))
        })?;
    let plan = match store::proposals::get(uow.db(), item.proposal_id).await? {
        Some(p) => p.plan,
        None => crate::domain::proposal::ProposalPlan::default(),
    };
    let mut out = Vec::new();
    for bid_id in &award.bid_ids {
        let bid = store::bids::bid(uow.db(), *bid_id)
            .await?
            .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("bid {bid_id} missing")))?;
        let org = store::organisations::find(uow.db(), bid.organisation_id)
            .await?
            .ok_or_else(|| {
                ApiError::Unexpected(anyhow::anyhow!(
                    "organisation {} missing",
                    bid.organisation_id
                ))
            })?;
        let content = super::bids::content_of(state, &bid).await?;
        let schedule: Vec<(String, NaiveDate)> = content
            .schedule
            .iter()
            .map(|m| (m.name.clone(), m.due))
            .collect();
        let now = uow.now();
        let p = store::projects::insert(
            uow.db(),
            NewProject {
                round_id: call.round_id,
                list_item_id: call.list_item_id,
                call_id: call.id,
                bid_id: bid.id,
                organisation_id: org.id,
                district_code: org.district_code.clone(),
                name: item.direction.clone(),
            },
            now,
        )
        .await?;
        uow.record(
            NewEvent::new(AggregateType::Project, p.id, "create", Visibility::Public)
                .version(p.version)
                .payload(vec![
                    PatchOp::add("/status", p.status.as_str()),
                    PatchOp::add(
                        "/project",
                        json!({"name": p.name, "call_id": call.id, "bid_id": bid.id,
                               "list_item_id": call.list_item_id, "organisation_id": org.id,
                               "district_code": p.district_code}),
                    ),
                ]),
        );
        let draft = draft_agreement(&plan, content.budget, &schedule, now.date_naive());
        let creator = uow.actor().id().unwrap_or(call.created_by);
        let a = store::projects::insert_agreement(uow.db(), p.id, 1, &draft, None, creator, now)
            .await?;
        uow.record(
            NewEvent::new(AggregateType::Agreement, a.id, "draft", Visibility::Party)
                .version(a.version)
                .parent(AggregateType::Project, p.id)
                .payload(vec![
                    PatchOp::add("/status", a.status.as_str()),
                    PatchOp::add("/content", content_json(&draft)?),
                ]),
        );
        out.push(p);
    }
    Ok(out)
}

fn content_json(c: &AgreementContent) -> Result<serde_json::Value> {
    serde_json::to_value(c).map_err(|e| ApiError::Unexpected(e.into()))
}

/// What the clock says about a project today (for its parties).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// Quarters whose progress report is overdue (15 days after the quarter).
    pub overdue_reports: Vec<Quarter>,
    /// Milestones past due and not reported met.
    pub overdue_milestones: Vec<String>,
    /// The last day to request acceptance (completed projects).
    pub acceptance_request_due: Option<NaiveDate>,
    /// Completed more than a month ago and no request.
    pub acceptance_request_overdue: bool,
    /// Under rectification ordered at acceptance, past its deadline, and no re-review started.
    pub rectification_overdue: bool,
    /// Follow-ups past due and still open.
    pub overdue_follow_ups: Vec<i32>,
    /// Warnings the district raised.
    pub warnings: usize,
}

/// A project as one reader may see it.
#[derive(Debug, Clone)]
pub struct ProjectView {
    pub project: Project,
    /// The builder's name.
    pub builder: String,
    /// The agreement in force (signed), if any.
    pub agreement: Option<Agreement>,
    /// Present for the project's parties.
    pub flags: Option<Flags>,
}

async fn flags(state: &AppState, p: &Project, signed: Option<&Agreement>) -> Result<Flags> {
    let today = crate::domain::calendar::local_day(state.clock.now());
    let reports = store::projects::reports(&state.db, p.id).await?;
    let supervisions = store::projects::supervisions(&state.db, p.id).await?;
    let mut f = Flags::default();
    if let Some(a) = signed {
        let signed_on = a
            .signed_at
            .map_or(today, crate::domain::calendar::local_day);
        if matches!(
            p.status,
            ProjectStatus::InConstruction | ProjectStatus::Completed
        ) || p.completed_on.is_some()
        {
            let filed: Vec<Quarter> = reports.iter().map(|r| r.period).collect();
            f.overdue_reports = overdue_reports(signed_on, p.completed_on, &filed, today);
        }
        if p.status == ProjectStatus::InConstruction {
            let latest = reports
                .last()
                .map(|r| r.content.milestones.clone())
                .unwrap_or_default();
            f.overdue_milestones = overdue_milestones(&a.content, &latest, today);
        }
    }
    if let Some(done) = p.completed_on {
        f.acceptance_request_due = acceptance_request_due(done);
        f.acceptance_request_overdue = p.status == ProjectStatus::Completed
            && acceptance_request_in_time(done, today).is_err();
    }
    if let (ProjectStatus::Rectifying, Some(until)) = (p.status, p.rectify_until) {
        f.rectification_overdue = rectification_in_time(until, today).is_err();
    }
    for s in &supervisions {
        if s.warning.is_some() {
            f.warnings += 1;
        }
        f.overdue_follow_ups.extend(
            s.follow_ups
                .iter()
                .filter(|x| x.closed.is_none() && x.due_on < today)
                .map(|x| x.id),
        );
    }
    Ok(f)
}

async fn view(state: &AppState, p: Project, standing: Standing) -> Result<ProjectView> {
    let builder = store::organisations::find(&state.db, p.organisation_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let agreements = store::projects::agreements(&state.db, p.id).await?;
    let signed = agreements
        .into_iter()
        .rev()
        .find(|a| a.status == AgreementStatus::Signed);
    let flags = if standing.party() {
        Some(flags(state, &p, signed.as_ref()).await?)
    } else {
        None
    };
    Ok(ProjectView {
        project: p,
        builder,
        agreement: signed,
        flags,
    })
}

/// Which projects to list.
#[derive(Debug, Clone, Default)]
pub struct ProjectQuery {
    pub year: Option<i32>,
    pub district: Option<String>,
    pub status: Option<ProjectStatus>,
    pub after: Option<i32>,
    pub limit: Option<u64>,
}

/// A page of projects and the cursor of the next.
#[derive(Debug, Clone)]
pub struct ProjectPage {
    pub items: Vec<ProjectView>,
    pub next: Option<i32>,
}

/// Most projects a page holds.
pub const MAX_PAGE: u64 = 100;

/// Projects, in id order, a page at a time: a district officer its district's, an applicant its
/// organisation's, the commission all, anyone else the public fields of all.
///
/// # Errors
/// 400 for a limit out of range, 404 for an unknown year.
#[tracing::instrument(skip_all)]
pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    q: ProjectQuery,
) -> Result<ProjectPage> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest {
            detail: crate::msg!("detail-limit-1", MAX_PAGE = MAX_PAGE),
            errors: vec![FieldError::new("limit", crate::msg!("field-out-of-range"))],
        });
    }
    let round_id = match q.year {
        Some(y) => Some(
            store::rounds::get(&state.db, y)
                .await?
                .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-round-2", y = y)))?
                .id,
        ),
        None => None,
    };
    let mut filter = ProjectFilter {
        round_id,
        district: q.district,
        organisation_id: None,
        status: q.status,
        after: q.after,
        limit: limit + 1,
    };
    match caller {
        Some(c) if c.role == Role::District => filter.district.clone_from(&c.district_code),
        Some(c) if c.role == Role::Applicant => filter.organisation_id = c.organisation_id,
        _ => {}
    }
    if caller.is_some_and(|c| c.role == Role::Applicant && c.organisation_id.is_none()) {
        return Ok(ProjectPage {
            items: Vec::new(),
            next: None,
        });
    }
    let mut rows = store::projects::list(&state.db, &filter).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        rows.last().map(|p| p.id)
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for p in rows {
        let standing = Standing::of(caller, &p);
        items.push(view(state, p, standing).await?);
    }
    Ok(ProjectPage { items, next })
}

/// One project as the caller may see it (public fields for everyone, the rest for its parties).
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn get(state: &AppState, caller: Option<&Caller>, id: i32) -> Result<ProjectView> {
    let p = find(state, id).await?;
    let standing = Standing::of(caller, &p);
    view(state, p, standing).await
}

/// The project's history and its agreements', reports', supervisions' (oldest first), as the
/// reader may see it: public events for everyone, the rest for the project's parties.
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn history(
    state: &AppState,
    caller: Option<&Caller>,
    id: i32,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<Entry>> {
    let p = find(state, id).await?;
    let standing = Standing::of(caller, &p);
    let events: Vec<Event> =
        store::events::of_tree(&state.db, &AggregateRef::new(AggregateType::Project, p.id))
            .await?
            .into_iter()
            .filter(|e| match e.visibility {
                Visibility::Public => true,
                // Panels, conflicts and score sheets: the commission's.
                Visibility::Commission => standing == Standing::Commission,
                _ => standing.party(),
            })
            .collect();
    let page = args.of_all(events, |e| e.seq);
    Ok(super::paging::Paged {
        items: history::with_names(state, page.items).await?,
        next: page.next,
    })
}

// ---- the task agreement ----

/// The project's agreements (the original and its amendments): signed ones for everyone, drafts
/// for the project's parties.
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn agreements(
    state: &AppState,
    caller: Option<&Caller>,
    id: i32,
) -> Result<Vec<Agreement>> {
    let p = find(state, id).await?;
    let party = Standing::of(caller, &p).party();
    Ok(store::projects::agreements(&state.db, p.id)
        .await?
        .into_iter()
        .filter(|a| party || a.status != AgreementStatus::Draft)
        .collect())
}

async fn agreement_for_write(
    state: &AppState,
    caller: &Caller,
    id: i32,
) -> Result<(Agreement, Project, Standing)> {
    let a = store::projects::agreement(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-agreement", id = id)))?;
    let p = find(state, a.project_id).await?;
    let standing = Standing::of(Some(caller), &p);
    if !standing.party() {
        return Err(ApiError::NotFound(crate::msg!(
            "not-found-agreement",
            id = id
        )));
    }
    Ok((a, p, standing))
}

/// Replaces a draft agreement's content (the commission; `If-Match`). Every confirmation so far
/// is withdrawn: the parties confirmed other words.
///
/// # Errors
/// 403, 404, 409 (not a draft), 412/428, 422 (content).
#[tracing::instrument(skip_all, fields(agreement_id = id))]
pub async fn edit_agreement(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    content: AgreementContent,
) -> Result<Agreement> {
    caller.require(&[Role::Commission])?;
    let (a, _, _) = agreement_for_write(state, caller, id).await?;
    if_match.check(&agreement_etag(&a))?;
    if a.status != AgreementStatus::Draft {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-signed-agreement-changes-only-amendment",
            id = id
        ))
        .with("current_state", a.status));
    }
    ApiError::check(content.validate())?;
    let ops = json_patch::diff(&content_json(&a.content)?, &content_json(&content)?)
        .into_iter()
        .map(|mut o| {
            o.path = format!("/content{}", o.path);
            o
        })
        .collect::<Vec<_>>();
    if ops.is_empty() {
        return Ok(a);
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let Some(after) = store::projects::update_agreement(
        uow.db(),
        a.id,
        a.version,
        AgreementChange {
            content: Some(content),
            ..Default::default()
        },
        now,
    )
    .await?
    else {
        return Err(stale_agreement(a.id));
    };
    uow.record(
        NewEvent::new(AggregateType::Agreement, a.id, "edit", Visibility::Party)
            .version(after.version)
            .parent(AggregateType::Project, a.project_id)
            .payload(ops),
    );
    uow.commit().await?;
    Ok(after)
}

fn stale_agreement(id: i32) -> ApiError {
    ApiError::PreconditionFailed(crate::msg!(
        "precondition-failed-agreement-changed-at-same-moment",
        id = id
    ))
}

/// Confirms a draft agreement as the caller's party (the commission, the builder, the district;
/// `If-Match`). The third confirmation signs it: the first agreement starts construction; a
/// signed amendment replaces the agreement in force.
///
/// # Errors
/// 403 (not a party role), 404, 409 (not a draft, already confirmed, content not valid), 412/428.
#[tracing::instrument(skip_all, fields(agreement_id = id))]
pub async fn confirm_agreement(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
) -> Result<Agreement> {
    caller.require(&[Role::Commission, Role::Applicant, Role::District])?;
    let (a, p, standing) = agreement_for_write(state, caller, id).await?;
    let party = standing
        .agreement_party()
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-agreement", id = id)))?;
    if_match.check(&agreement_etag(&a))?;
    if a.status != AgreementStatus::Draft {
        return Err(
            ApiError::conflict(crate::msg!("conflict-only-draft-confirmed"))
                .with("current_state", a.status),
        );
    }
    if a.confirmation(party).is_some() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-has-confirmed-text-already",
            party = party
        )));
    }
    let errors = a.content.validate();
    if !errors.is_empty() {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-draft-complete-enough-confirm-commission"
        ))
        .with(
            "errors",
            errors
                .iter()
                .map(|e| crate::error::ProblemField::rendered(e, crate::i18n::current()))
                .collect::<Vec<_>>(),
        ));
    }
    let signs = a.completes_with(party);
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let conf = Confirmation {
        by: caller.id,
        at: now,
    };
    let Some(after) = store::projects::update_agreement(
        uow.db(),
        a.id,
        a.version,
        AgreementChange {
            confirm: Some((party, conf)),
            status: signs.then_some(AgreementStatus::Signed),
            signed_at: signs.then_some(now),
            ..Default::default()
        },
        now,
    )
    .await?
    else {
        return Err(stale_agreement(a.id));
    };
    let mut ops = vec![PatchOp::add(
        format!("/confirmations/{party}"),
        json!({"by": caller.id, "at": now.to_rfc3339()}),
    )];
    if signs {
        ops.push(
            PatchOp::change(
                "/status",
                a.status.as_str(),
                AgreementStatus::Signed.as_str(),
            )
            .unwrap_or_else(|| PatchOp::add("/status", "signed")),
        );
        // Once signed, the agreement's words are public (they are the 批复文件's content).
        ops.push(PatchOp::add("/content", content_json(&after.content)?));
    }
    uow.record(
        NewEvent::new(
            AggregateType::Agreement,
            a.id,
            if signs { "sign" } else { "confirm" },
            if signs {
                Visibility::Public
            } else {
                Visibility::Party
            },
        )
        .version(after.version)
        .parent(AggregateType::Project, a.project_id)
        .reason(a.reason.clone())
        .payload(ops),
    );
    if signs {
        if a.number == 1 {
            act(
                &mut uow,
                &p,
                ProjectAction::SignAgreement,
                ProjectChange::default(),
                None,
                Vec::new(),
            )
            .await?;
        } else {
            for old in store::projects::agreements(uow.db(), p.id).await? {
                if old.status == AgreementStatus::Signed && old.id != a.id {
                    let Some(done) = store::projects::update_agreement(
                        uow.db(),
                        old.id,
                        old.version,
                        AgreementChange {
                            status: Some(AgreementStatus::Superseded),
                            ..Default::default()
                        },
                        now,
                    )
                    .await?
                    else {
                        return Err(stale_agreement(old.id));
                    };
                    uow.record(
                        NewEvent::new(
                            AggregateType::Agreement,
                            old.id,
                            "supersede",
                            Visibility::Public,
                        )
                        .version(done.version)
                        .parent(AggregateType::Project, p.id)
                        .payload(vec![PatchOp::change("/status", "signed", "superseded")
                            .unwrap_or_else(|| PatchOp::add("/status", "superseded"))])
                        .reason(Some(format!("replaced by amendment {}", a.number))),
                    );
                }
            }
        }
    }
    uow.commit().await?;
    Ok(after)
}

/// Starts an amendment of a signed agreement (the commission), with the new content and the
/// reason (at least 10 characters); the three parties confirm it again. The agreement in force
/// stays in force until the amendment is signed.
///
/// # Errors
/// 403, 404, 409 (nothing signed yet, or an amendment already open), 422.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn amend(
    state: &AppState,
    caller: &Caller,
    id: i32,
    content: AgreementContent,
    reason: &str,
) -> Result<Agreement> {
    let (p, _) = for_write(state, caller, id, Role::Commission).await?;
    let reason = reason.trim();
    let mut errors = content.validate();
    if reason.chars().count() < 10 || reason.chars().count() > 4000 {
        errors.push(FieldError::new(
            "reason",
            crate::msg!("field-say-why-chars", min = 10, max = 4000),
        ));
    }
    ApiError::check(errors)?;
    let all = store::projects::agreements(&state.db, p.id).await?;
    if all.iter().any(|a| a.status == AgreementStatus::Draft) {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-draft-open-confirm-edit-before"
        )));
    }
    let Some(current) = all
        .iter()
        .rev()
        .find(|a| a.status == AgreementStatus::Signed)
    else {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-nothing-signed-yet-edit-draft"
        )));
    };
    let number = all.iter().map(|a| a.number).max().unwrap_or(0) + 1;
    let ops = json_patch::diff(&content_json(&current.content)?, &content_json(&content)?)
        .into_iter()
        .map(|mut o| {
            o.path = format!("/content{}", o.path);
            o
        })
        .collect::<Vec<_>>();
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let a = store::projects::insert_agreement(
        uow.db(),
        p.id,
        number,
        &content,
        Some(reason.to_owned()),
        caller.id,
        now,
    )
    .await?;
    let mut payload = vec![
        PatchOp::add("/status", a.status.as_str()),
        PatchOp::add("/amends", current.number),
    ];
    payload.extend(ops);
    uow.record(
        NewEvent::new(AggregateType::Agreement, a.id, "amend", Visibility::Party)
            .version(a.version)
            .parent(AggregateType::Project, p.id)
            .reason(Some(reason.to_owned()))
            .payload(payload),
    );
    uow.commit().await?;
    Ok(a)
}

/// The agreement in force, or 409.
async fn signed_agreement(state: &AppState, p: &Project) -> Result<Agreement> {
    signed_agreement_in(&state.db, p).await
}

/// The agreement in force, read through `db`, or 409.
///
/// # Errors
/// 409 when none is signed; database failures.
pub async fn signed_agreement_in(
    db: &impl sea_orm::ConnectionTrait,
    p: &Project,
) -> Result<Agreement> {
    store::projects::agreements(db, p.id)
        .await?
        .into_iter()
        .rev()
        .find(|a| a.status == AgreementStatus::Signed)
        .ok_or_else(|| ApiError::conflict(crate::msg!("conflict-task-agreement-signed-yet")))
}

// ---- construction ----

/// Files the progress report of a quarter (the builder, while the project is in construction,
/// or completed for the quarter of completion): one per quarter, for a quarter that has begun
/// and is not before the agreement was signed.
///
/// # Errors
/// 403, 404, 409 (state, quarter already reported, quarter not begun), 422.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn file_report(
    state: &AppState,
    caller: &Caller,
    id: i32,
    period: &str,
    content: ReportContent,
) -> Result<ProgressReport> {
    let (p, _) = for_write(state, caller, id, Role::Applicant).await?;
    let period = Quarter::parse(period).map_err(|e| ApiError::field("period", e))?;
    if !matches!(
        p.status,
        ProjectStatus::InConstruction | ProjectStatus::Completed
    ) {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-progress-reported-while-project-construction",
            status = p.status
        ))
        .with("current_state", p.status));
    }
    let agreement = signed_agreement(state, &p).await?;
    ApiError::check(content.validate(&agreement.content))?;
    let today = crate::domain::calendar::local_day(state.clock.now());
    let signed_q = Quarter::of(
        agreement
            .signed_at
            .map_or(today, crate::domain::calendar::local_day),
    );
    if period < signed_q || period > Quarter::of(today) {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-reports-cover-quarters-from-agreement",
            signed_q = signed_q,
            today = Quarter::of(today)
        )));
    }
    if store::projects::reports(&state.db, p.id)
        .await?
        .iter()
        .any(|r| r.period == period)
    {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-report-has-been-filed",
            period = period
        )));
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let r =
        store::projects::insert_report(uow.db(), p.id, period, &content, caller.id, now).await?;
    uow.record(
        NewEvent::new(
            AggregateType::ProgressReport,
            r.id,
            "file",
            Visibility::Party,
        )
        .parent(AggregateType::Project, p.id)
        .payload(vec![
            PatchOp::add("/period", period.to_string()),
            PatchOp::add(
                "/content",
                serde_json::to_value(&content).map_err(|e| ApiError::Unexpected(e.into()))?,
            ),
        ]),
    );
    uow.commit().await?;
    Ok(r)
}

/// The project's progress reports (its parties).
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn reports(state: &AppState, caller: &Caller, id: i32) -> Result<Vec<ProgressReport>> {
    let (p, _) = for_party_read(state, caller, id).await?;
    Ok(store::projects::reports(&state.db, p.id).await?)
}

/// A supervision to record.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub visited_on: NaiveDate,
    pub method: SupervisionMethod,
    pub findings: String,
    pub rating: SupervisionRating,
    pub warning: Option<String>,
    pub follow_ups: Vec<(String, NaiveDate)>,
}

/// Records the district's supervision (督导) of a project of its district: date, method,
/// findings, rating, follow-up actions with due dates, and a warning for the commission if any.
///
/// # Errors
/// 403, 404, 409 (before signing or after acceptance), 422.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn supervise(
    state: &AppState,
    caller: &Caller,
    id: i32,
    v: NewVisit,
) -> Result<Supervision> {
    let (p, _) = for_write(state, caller, id, Role::District).await?;
    if matches!(
        p.status,
        ProjectStatus::Agreement | ProjectStatus::Accepted | ProjectStatus::Failed
    ) {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-supervision-runs-from-agreement-s",
            status = p.status
        ))
        .with("current_state", p.status));
    }
    let today = crate::domain::calendar::local_day(state.clock.now());
    let mut errors = Vec::new();
    if v.visited_on > today {
        errors.push(FieldError::new(
            "visited_on",
            crate::msg!("field-in-future"),
        ));
    }
    let text = |s: &str, max: usize| !s.trim().is_empty() && s.chars().count() <= max;
    if !text(&v.findings, 10_000) {
        errors.push(FieldError::new(
            "findings",
            crate::msg!("field-chars", min = 1, max = 10000),
        ));
    }
    if v.warning.as_deref().is_some_and(|w| !text(w, 4000)) {
        errors.push(FieldError::new(
            "warning",
            crate::msg!("field-chars-when-given", min = 1, max = 4000),
        ));
    }
    for (i, (action, due)) in v.follow_ups.iter().enumerate() {
        if !text(action, 1000) {
            errors.push(FieldError::new(
                format!("follow_ups[{i}].action"),
                crate::msg!("field-chars", min = 1, max = 1000),
            ));
        }
        if *due < v.visited_on {
            errors.push(FieldError::new(
                format!("follow_ups[{i}].due_on"),
                crate::msg!("field-before-visit"),
            ));
        }
    }
    ApiError::check(errors)?;
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let s = store::projects::insert_supervision(
        uow.db(),
        NewSupervision {
            project_id: p.id,
            visited_on: v.visited_on,
            method: v.method,
            findings: v.findings.trim().to_owned(),
            rating: v.rating,
            warning: v.warning.map(|w| w.trim().to_owned()),
            follow_ups: v
                .follow_ups
                .into_iter()
                .map(|(a, d)| (a.trim().to_owned(), d))
                .collect(),
        },
        caller.id,
        now,
    )
    .await?;
    uow.record(
        NewEvent::new(
            AggregateType::Supervision,
            s.id,
            if s.warning.is_some() { "warn" } else { "record" },
            Visibility::Party,
        )
        .parent(AggregateType::Project, p.id)
        .payload(vec![PatchOp::add(
            "/supervision",
            json!({
                "visited_on": s.visited_on, "method": s.method, "findings": s.findings,
                "rating": s.rating, "warning": s.warning,
                "follow_ups": s.follow_ups.iter().map(|f| json!({"id": f.id, "action": f.action, "due_on": f.due_on})).collect::<Vec<_>>(),
            }),
        )]),
    );
    uow.commit().await?;
    Ok(s)
}

/// The project's supervision records (its parties).
///
/// # Errors
/// 404.
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn supervisions(state: &AppState, caller: &Caller, id: i32) -> Result<Vec<Supervision>> {
    let (p, _) = for_party_read(state, caller, id).await?;
    Ok(store::projects::supervisions(&state.db, p.id).await?)
}

/// Closes a follow-up action with a note (the district officer of the project's district).
///
/// # Errors
/// 403, 404, 409 (closed already), 422.
#[tracing::instrument(skip_all, fields(follow_up_id = id))]
pub async fn close_follow_up(
    state: &AppState,
    caller: &Caller,
    id: i32,
    note: &str,
) -> Result<FollowUp> {
    caller.require(&[Role::District])?;
    let (f, project_id) = store::projects::follow_up(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-follow-up", id = id)))?;
    let (p, _) = for_write(state, caller, project_id, Role::District)
        .await
        .map_err(|_| ApiError::NotFound(crate::msg!("not-found-follow-up", id = id)))?;
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 4000 {
        return Err(ApiError::field(
            "note",
            crate::msg!("field-chars", min = 1, max = 4000),
        ));
    }
    if f.closed.is_some() {
        return Err(ApiError::conflict(crate::msg!("conflict-follow-up-closed")));
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let closed = store::projects::close_follow_up(uow.db(), id, caller.id, note.to_owned(), now)
        .await?
        .ok_or_else(|| ApiError::conflict(crate::msg!("conflict-follow-up-closed")))?;
    uow.record(
        NewEvent::new(
            AggregateType::Supervision,
            f.supervision_id,
            "close_follow_up",
            Visibility::Party,
        )
        .parent(AggregateType::Project, p.id)
        .payload(vec![PatchOp::add(
            format!("/follow_ups/{id}/closed"),
            json!({"at": now.to_rfc3339(), "by": caller.id, "note": note}),
        )]),
    );
    uow.commit().await?;
    Ok(closed)
}

/// The builder declares the brain built (建成) on a date (not in the future, not before the
/// agreement was signed); from then the month to request acceptance runs.
///
/// # Errors
/// 403, 404, 409 (state), 412/428, 422 (date).
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn declare_completion(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    completed_on: NaiveDate,
) -> Result<ProjectView> {
    let (p, _) = for_write(state, caller, id, Role::Applicant).await?;
    if_match.check(&project_etag(&p))?;
    let agreement = signed_agreement(state, &p).await?;
    let today = crate::domain::calendar::local_day(state.clock.now());
    let signed_on = agreement
        .signed_at
        .map_or(today, crate::domain::calendar::local_day);
    if completed_on > today || completed_on < signed_on {
        return Err(ApiError::field(
            "completed_on",
            crate::msg!(
                "field-completed-on-range",
                signed_on = signed_on,
                today = today
            ),
        ));
    }
    let mut uow = Uow::begin(state, caller).await?;
    let after = act(
        &mut uow,
        &p,
        ProjectAction::DeclareCompletion,
        ProjectChange {
            completed_on: Some(completed_on),
            ..Default::default()
        },
        None,
        vec![PatchOp::add("/completed_on", completed_on.to_string())],
    )
    .await?;
    uow.commit().await?;
    get(state, Some(caller), after.id).await
}

/// When the rectification in force was ordered: the conclusion `rectify` of the project's latest
/// acceptance that has one.
///
/// # Errors
/// Database failures.
pub async fn rectification_ordered_at(
    db: &impl sea_orm::ConnectionTrait,
    p: &Project,
) -> Result<Option<DateTime<Utc>>> {
    Ok(store::acceptance::of_project(db, p.id)
        .await?
        .into_iter()
        .rev()
        .filter_map(|a| a.conclusion)
        .find(|c| c.outcome == crate::domain::acceptance::Outcome::Rectify)
        .map(|c| c.at))
}

/// Whether the commission recorded an exception for the rectification in force (one recorded
/// since it was ordered; an earlier one let a late acceptance request in and covers nothing more).
///
/// # Errors
/// Database failures.
pub async fn rectification_excepted(
    db: &impl sea_orm::ConnectionTrait,
    p: &Project,
) -> Result<bool> {
    let Some((_, _, at)) = &p.acceptance_exception else {
        return Ok(false);
    };
    Ok(rectification_ordered_at(db, p)
        .await?
        .is_some_and(|ordered| *at >= ordered))
}

/// The commission records an exception with its reason: for a completed project, it lets a late
/// acceptance request in; for a project under rectification, a re-review after the deadline.
///
/// # Errors
/// 403, 404, 409 (neither completed nor rectifying, or an exception for this stage exists),
/// 412/428, 422 (reason).
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn record_exception(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    reason: &str,
) -> Result<ProjectView> {
    let (p, _) = for_write(state, caller, id, Role::Commission).await?;
    if_match.check(&project_etag(&p))?;
    let reason = reason.trim();
    if reason.chars().count() < 10 || reason.chars().count() > 4000 {
        return Err(ApiError::field(
            "reason",
            crate::msg!("field-say-why-chars", min = 10, max = 4000),
        ));
    }
    let covers = match p.status {
        ProjectStatus::Completed => {
            if p.acceptance_exception.is_some() {
                return Err(ApiError::conflict(crate::msg!(
                    "conflict-exception-recorded-already"
                )));
            }
            "acceptance_request"
        }
        ProjectStatus::Rectifying => {
            if rectification_excepted(&state.db, &p).await? {
                return Err(ApiError::conflict(crate::msg!(
                    "conflict-exception-rectification-recorded-already"
                )));
            }
            "re_review"
        }
        _ => {
            return Err(ApiError::conflict(crate::msg!(
                "conflict-exception-completed-project-whose-request"
            ))
            .with("current_state", p.status))
        }
    };
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let Some(after) = store::projects::update_if_version(
        uow.db(),
        p.id,
        p.version,
        ProjectChange {
            acceptance_exception: Some((reason.to_owned(), caller.id, now)),
            ..Default::default()
        },
        now,
    )
    .await?
    else {
        return Err(ApiError::PreconditionFailed(crate::msg!(
            "precondition-failed-project-changed-at-same-moment",
            id = p.id
        )));
    };
    uow.record(
        NewEvent::new(
            AggregateType::Project,
            p.id,
            "acceptance_exception",
            Visibility::Public,
        )
        .version(after.version)
        .reason(Some(reason.to_owned()))
        .payload(vec![{
            let new =
                json!({"reason": reason, "by": caller.id, "at": now.to_rfc3339(), "covers": covers});
            // A rectification's exception replaces the one that let the request in (the log
            // keeps both).
            match &p.acceptance_exception {
                Some((r, by, at)) => PatchOp::change(
                    "/acceptance_exception",
                    json!({"reason": r, "by": by, "at": at.to_rfc3339()}),
                    new.clone(),
                )
                .unwrap_or_else(|| PatchOp::add("/acceptance_exception", new)),
                None => PatchOp::add("/acceptance_exception", new),
            }
        }]),
    );
    uow.commit().await?;
    get(state, Some(caller), after.id).await
}

/// The builder requests acceptance in writing (书面提请验收), within one month of completion; a
/// later request is refused (409, saying how many days over) unless the commission recorded an
/// exception. Opens the project's acceptance.
///
/// # Errors
/// 403, 404, 409 (state, late), 412/428, 422 (letter).
#[tracing::instrument(skip_all, fields(project_id = id))]
pub async fn request_acceptance(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    letter: &str,
) -> Result<ProjectView> {
    let (p, _) = for_write(state, caller, id, Role::Applicant).await?;
    if_match.check(&project_etag(&p))?;
    let letter = letter.trim();
    if letter.is_empty() || letter.chars().count() > 20_000 {
        return Err(ApiError::field(
            "letter",
            crate::msg!("field-chars", min = 1, max = 20000),
        ));
    }
    if p.status != ProjectStatus::Completed {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-acceptance-requested-once-brain-declared",
            status = p.status
        ))
        .with("current_state", p.status));
    }
    let today = crate::domain::calendar::local_day(state.clock.now());
    if let Some(done) = p.completed_on {
        if let Err(days) = acceptance_request_in_time(done, today) {
            if p.acceptance_exception.is_none() {
                return Err(ApiError::conflict(crate::msg!(
                    "conflict-acceptance-must-requested-within-one",
                    done = done,
                    to_string = acceptance_request_due(done)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    days = days
                ))
                .with("days_over", days)
                .with("completed_on", done));
            }
        }
    }
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let after = act(
        &mut uow,
        &p,
        ProjectAction::RequestAcceptance,
        ProjectChange {
            acceptance_requested_at: Some(now),
            ..Default::default()
        },
        None,
        vec![PatchOp::add("/acceptance_requested_at", now.to_rfc3339())],
    )
    .await?;
    let attempt = super::acceptance::open(&mut uow, &after, caller.id, letter).await?;
    uow.record(
        NewEvent::new(
            AggregateType::Acceptance,
            attempt,
            "request",
            Visibility::Public,
        )
        .parent(AggregateType::Project, p.id)
        .payload(vec![PatchOp::add("/letter", letter)]),
    );
    uow.commit().await?;
    get(state, Some(caller), after.id).await
}
