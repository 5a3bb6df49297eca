//! Request and response types of construction projects, task agreements, progress reports and
//! supervision.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::projects::{
    agreement_etag, project_etag, Flags, NewVisit, ProjectPage as Page, ProjectQuery as Query,
    ProjectView,
};
use crate::domain::money::Money;
use crate::domain::project::{
    Agreement, AgreementContent, AgreementStatus, BudgetLine, Confirmation, FollowUp,
    MilestoneProgress, ProgressReport, ProjectStatus, ReportContent, Supervision,
    SupervisionMethod, SupervisionRating, TargetProgress,
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Only this round's projects.
    pub year: Option<i32>,
    /// Only this district's (for a district officer, always its own).
    pub district: Option<String>,
    /// Only projects in this state.
    pub status: Option<ProjectStatus>,
    /// The cursor: the `next` of the previous page.
    pub after: Option<i32>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

impl From<ProjectQuery> for Query {
    fn from(q: ProjectQuery) -> Self {
        Self {
            year: q.year,
            district: q.district,
            status: q.status,
            after: q.after,
            limit: q.limit,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConfirmationDto {
    /// The confirming account.
    pub by: i32,
    pub at: DateTime<Utc>,
}

fn conf(c: Option<Confirmation>) -> Option<ConfirmationDto> {
    c.map(|c| ConfirmationDto { by: c.by, at: c.at })
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Confirmations {
    pub commission: Option<ConfirmationDto>,
    pub builder: Option<ConfirmationDto>,
    pub district: Option<ConfirmationDto>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgreementDto {
    pub id: i32,
    pub project_id: i32,
    /// 1 for the agreement, 2, 3 … for its amendments.
    pub number: i32,
    pub status: AgreementStatus,
    pub content: AgreementContent,
    /// The budget's total (万元).
    pub total: Option<Money>,
    /// Why the amendment changes the agreement before it.
    pub reason: Option<String>,
    pub confirmations: Confirmations,
    pub signed_at: Option<DateTime<Utc>>,
    pub version: i32,
    /// Send it back in If-Match to edit or confirm.
    pub etag: String,
    pub created_at: DateTime<Utc>,
}

impl From<Agreement> for AgreementDto {
    fn from(a: Agreement) -> Self {
        Self {
            etag: agreement_etag(&a),
            total: a.content.total(),
            confirmations: Confirmations {
                commission: conf(a.commission),
                builder: conf(a.builder),
                district: conf(a.district),
            },
            id: a.id,
            project_id: a.project_id,
            number: a.number,
            status: a.status,
            content: a.content,
            reason: a.reason,
            signed_at: a.signed_at,
            version: a.version,
            created_at: a.created_at,
        }
    }
}

/// An agreement with its ETag header.
pub fn agreement_response(status: StatusCode, a: Agreement) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, agreement_etag(&a)))
        .json(AgreementDto::from(a))
}

/// What the clock says today, for the project's parties.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProjectFlags {
    /// Quarters (`2024Q3`) whose progress report is overdue: not filed within 15 days after the
    /// quarter ended.
    pub overdue_reports: Vec<String>,
    /// Milestones past their due date and not reported met.
    pub overdue_milestones: Vec<String>,
    /// The last day to request acceptance (one month after completion).
    pub acceptance_request_due: Option<NaiveDate>,
    /// Completed more than a month ago and acceptance not requested.
    pub acceptance_request_overdue: bool,
    /// Under rectification ordered at acceptance, past `rectify_until`, and no re-review started.
    pub rectification_overdue: bool,
    /// Follow-up actions past their due date and still open.
    pub overdue_follow_ups: Vec<i32>,
    /// Warnings the district raised to the commission.
    pub warnings: usize,
}

impl From<Flags> for ProjectFlags {
    fn from(f: Flags) -> Self {
        Self {
            overdue_reports: f.overdue_reports.iter().map(ToString::to_string).collect(),
            overdue_milestones: f.overdue_milestones,
            acceptance_request_due: f.acceptance_request_due,
            acceptance_request_overdue: f.acceptance_request_overdue,
            rectification_overdue: f.rectification_overdue,
            overdue_follow_ups: f.overdue_follow_ups,
            warnings: f.warnings,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AcceptanceException {
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProjectDto {
    pub id: i32,
    pub year: i32,
    /// The brain's name (the list item's direction).
    pub name: String,
    pub status: ProjectStatus,
    pub list_item_id: i32,
    pub call_id: i32,
    /// The builder (建设主体).
    pub organisation_id: i32,
    pub builder_name: String,
    /// The builder's district, which supervises.
    pub district_code: String,
    /// The agreement in force (signed), public.
    pub agreement: Option<AgreementDto>,
    pub completed_on: Option<NaiveDate>,
    pub acceptance_requested_at: Option<DateTime<Utc>>,
    /// An exception the commission recorded for a late acceptance request.
    pub acceptance_exception: Option<AcceptanceException>,
    /// The deadline of a rectification ordered at acceptance.
    pub rectify_until: Option<NaiveDate>,
    /// Deadlines and warnings, for the project's parties only.
    pub flags: Option<ProjectFlags>,
    pub version: i32,
    /// Send it back in If-Match to act on the project.
    pub etag: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ProjectView> for ProjectDto {
    fn from(v: ProjectView) -> Self {
        let p = v.project;
        Self {
            etag: project_etag(&p),
            id: p.id,
            year: p.year,
            name: p.name,
            status: p.status,
            list_item_id: p.list_item_id,
            call_id: p.call_id,
            organisation_id: p.organisation_id,
            builder_name: v.builder,
            district_code: p.district_code,
            agreement: v.agreement.map(AgreementDto::from),
            completed_on: p.completed_on,
            acceptance_requested_at: p.acceptance_requested_at,
            acceptance_exception: p
                .acceptance_exception
                .map(|(reason, _, at)| AcceptanceException { reason, at }),
            rectify_until: p.rectify_until,
            flags: v.flags.map(ProjectFlags::from),
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A project (as the reader may see it) with its ETag header.
pub fn project_response(v: ProjectView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, project_etag(&v.project)))
        .json(ProjectDto::from(v))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectDto>,
    /// Pass as `after` for the next page; none on the last page.
    pub next: Option<i32>,
}

impl From<Page> for ProjectPage {
    fn from(p: Page) -> Self {
        Self {
            items: p.items.into_iter().map(ProjectDto::from).collect(),
            next: p.next,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "content": {
        "targets": [
            {"key": "K1", "name": "接入规上企业数", "unit": "家", "baseline": 0, "target": 200, "mandatory": true},
            {"key": "K2", "name": "企业综合成本降低", "unit": "%", "baseline": 0, "target": 5.5, "mandatory": false}
        ],
        "budget": [{"source": "企业自筹", "amount": 650}, {"source": "市级专项资金", "amount": 300}],
        "milestones": [{"key": "M1", "name": "平台一期上线", "due": "2024-09-30"}, {"key": "M2", "name": "全面建成", "due": "2025-06-30"}],
        "completion_date": "2025-06-30"
    },
    "reason": "受智能网关芯片供货延迟影响，全面建成时间顺延三个月。"
}))]
pub struct AgreementAmendmentBody {
    /// The whole amended content.
    pub content: AgreementContent,
    /// Why, at least 10 characters.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "period": "2024Q1",
    "milestones": [{"key": "M1", "status": "scheduled"}],
    "spend": [{"source": "企业自筹", "amount": 120}],
    "targets": [{"key": "K1", "value": 35}],
    "risks": "部分企业设备协议不统一，数据接入进度偏慢。"
}))]
pub struct ReportBody {
    /// The quarter reported, e.g. `2024Q3`.
    #[schema(example = "2024Q3")]
    pub period: String,
    pub milestones: Vec<MilestoneProgress>,
    /// Spend to date by funding source (万元).
    pub spend: Vec<BudgetLine>,
    pub targets: Vec<TargetProgress>,
    #[serde(default)]
    pub risks: String,
}

impl ReportBody {
    pub fn into_parts(self) -> (String, ReportContent) {
        (
            self.period,
            ReportContent {
                milestones: self.milestones,
                spend: self.spend,
                targets: self.targets,
                risks: self.risks,
            },
        )
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportDto {
    pub id: i32,
    pub period: String,
    pub milestones: Vec<MilestoneProgress>,
    pub spend: Vec<BudgetLine>,
    pub targets: Vec<TargetProgress>,
    pub risks: String,
    pub filed_by: i32,
    pub filed_at: DateTime<Utc>,
}

impl From<ProgressReport> for ReportDto {
    fn from(r: ProgressReport) -> Self {
        Self {
            id: r.id,
            period: r.period.to_string(),
            milestones: r.content.milestones,
            spend: r.content.spend,
            targets: r.content.targets,
            risks: r.content.risks,
            filed_by: r.filed_by,
            filed_at: r.filed_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    pub action: String,
    pub due_on: NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "visited_on": "2024-04-08",
    "method": "on_site",
    "findings": "平台一期开发按计划推进，已接入企业35家。",
    "rating": "fair",
    "warning": "数据接入进度滞后于计划。",
    "follow_ups": [{"action": "报送补充数据接入计划", "due_on": "2024-04-30"}]
}))]
pub struct SupervisionBody {
    pub visited_on: NaiveDate,
    pub method: SupervisionMethod,
    pub findings: String,
    pub rating: SupervisionRating,
    /// A warning raised to the commission, if any.
    pub warning: Option<String>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUpInput>,
}

impl From<SupervisionBody> for NewVisit {
    fn from(b: SupervisionBody) -> Self {
        Self {
            visited_on: b.visited_on,
            method: b.method,
            findings: b.findings,
            rating: b.rating,
            warning: b.warning,
            follow_ups: b
                .follow_ups
                .into_iter()
                .map(|f| (f.action, f.due_on))
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FollowUpDto {
    pub id: i32,
    pub action: String,
    pub due_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<i32>,
    pub closing_note: Option<String>,
}

impl From<FollowUp> for FollowUpDto {
    fn from(f: FollowUp) -> Self {
        let (closed_at, closed_by, closing_note) = match f.closed {
            Some((at, by, note)) => (Some(at), Some(by), Some(note)),
            None => (None, None, None),
        };
        Self {
            id: f.id,
            action: f.action,
            due_on: f.due_on,
            closed_at,
            closed_by,
            closing_note,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SupervisionDto {
    pub id: i32,
    pub visited_on: NaiveDate,
    pub method: SupervisionMethod,
    pub findings: String,
    pub rating: SupervisionRating,
    pub warning: Option<String>,
    pub recorded_by: i32,
    pub recorded_at: DateTime<Utc>,
    pub follow_ups: Vec<FollowUpDto>,
}

impl From<Supervision> for SupervisionDto {
    fn from(s: Supervision) -> Self {
        Self {
            id: s.id,
            visited_on: s.visited_on,
            method: s.method,
            findings: s.findings,
            rating: s.rating,
            warning: s.warning,
            recorded_by: s.recorded_by,
            recorded_at: s.recorded_at,
            follow_ups: s.follow_ups.into_iter().map(FollowUpDto::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "企业已报送补充数据接入计划，经核查可行。"}))]
pub struct CloseBody {
    /// How it was done.
    pub note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"completed_on": "2025-06-30"}))]
pub struct CompletionBody {
    /// The day the brain was built (建成).
    pub completed_on: NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "因汛期停工，建设单位未能按期提请验收，经研究同意受理。"}))]
pub struct ExceptionBody {
    /// Why a late request for acceptance is let in, at least 10 characters.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"letter": "我司智能家居行业产业大脑已于2025年6月30日建成，各项考核指标已达成，特书面提请验收。"}))]
pub struct AcceptanceRequestBody {
    /// The written request (书面提请).
    pub letter: String,
}
