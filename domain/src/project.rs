//! After the award (DOMAIN.md §3, the notice's "3.项目实施" and "4.考核评估"): the construction
//! project (建设项目) of each winning bid, its task agreement (任务书), construction under the
//! district's supervision (督导), completion (建成) and acceptance (验收).
//!
//! ```text
//! agreement ─sign─▶ in_construction ─declare completion─▶ completed ─request acceptance─▶
//!   acceptance_requested ─start acceptance─▶ under_acceptance ─┬─accept─▶ accepted (plaque)
//!                                  ▲                           ├─rectify─▶ rectifying
//!                                  └──────start acceptance─────┘ (re-review)
//!                                                              └─fail───▶ failed
//! ```
//!
//! Deadlines are decided by the injected clock at each request: a quarterly progress report is
//! overdue 15 days after its quarter ends, a milestone after its due date, an acceptance request
//! one month after completion (the notice: "项目建成后一个月内书面提请"), a re-review after the
//! rectification deadline set at acceptance.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use strum::VariantArray;
use utoipa::ToSchema;

use super::money::{Money, Quantity};
use super::FieldError;

/// Days after a quarter's end within which its progress report is due *(ours, DOMAIN.md)*.
pub const REPORT_GRACE_DAYS: u64 = 15;
/// Months after completion within which the builder requests acceptance (the notice).
pub const ACCEPTANCE_REQUEST_MONTHS: u32 = 1;

text_enum!(
    /// Where a construction project stands.
    ProjectStatus {
        /// The task agreement is being drafted and confirmed.
        Agreement,
        /// The agreement is signed; the builder builds, the district supervises.
        InConstruction,
        /// The builder has declared the brain built (建成), with a date.
        Completed,
        /// The builder has asked in writing for acceptance (验收).
        AcceptanceRequested,
        /// The acceptance panel and the third-party evaluator are at work.
        UnderAcceptance,
        /// Not accepted yet: to be rectified by a deadline, then reviewed again.
        Rectifying,
        /// Accepted: the brain gets its plaque (授牌).
        Accepted,
        /// Not accepted, finally.
        Failed,
    }
);

text_enum!(
    /// The moves of a project.
    ProjectAction {
        SignAgreement,
        DeclareCompletion,
        RequestAcceptance,
        StartAcceptance,
        Accept,
        Rectify,
        Fail,
    }
);

/// An illegal move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a project that is {from} cannot {action}")]
pub struct IllegalMove {
    pub from: ProjectStatus,
    pub action: ProjectAction,
}

/// The one statement of the project's state machine.
///
/// # Errors
/// [`IllegalMove`] for a move the state does not allow.
pub fn transition(
    from: ProjectStatus,
    action: ProjectAction,
) -> Result<ProjectStatus, IllegalMove> {
    use ProjectAction as A;
    use ProjectStatus as S;
    match (from, action) {
        (S::Agreement, A::SignAgreement) => Ok(S::InConstruction),
        (S::InConstruction, A::DeclareCompletion) => Ok(S::Completed),
        (S::Completed, A::RequestAcceptance) => Ok(S::AcceptanceRequested),
        (S::AcceptanceRequested | S::Rectifying, A::StartAcceptance) => Ok(S::UnderAcceptance),
        (S::UnderAcceptance, A::Accept) => Ok(S::Accepted),
        (S::UnderAcceptance, A::Rectify) => Ok(S::Rectifying),
        (S::UnderAcceptance, A::Fail) => Ok(S::Failed),
        _ => Err(IllegalMove { from, action }),
    }
}

text_enum!(
    /// The three parties who confirm a task agreement.
    AgreementParty {
        /// 市经济信息委.
        Commission,
        /// The builder organisation (建设主体).
        Builder,
        /// The builder's district (区县经信部门), which supervises.
        District,
    }
);

text_enum!(
    /// A task agreement's state.
    AgreementStatus {
        /// Being drafted or confirmed.
        Draft,
        /// Confirmed by all three parties: in force.
        Signed,
        /// Replaced by a signed amendment.
        Superseded,
    }
);

/// A key performance indicator (考核指标) of the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Short stable key, e.g. `K1`, that reports and measurements refer to.
    #[schema(example = "K1")]
    pub key: String,
    #[schema(example = "接入规上企业数")]
    pub name: String,
    #[schema(example = "家")]
    pub unit: String,
    pub baseline: Quantity,
    pub target: Quantity,
    /// Whether acceptance requires it met (约束性指标), or it is only expected (预期性指标).
    pub mandatory: bool,
}

/// An amount of the budget from one funding source (万元).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    #[schema(example = "企业自筹")]
    pub source: String,
    pub amount: Money,
}

/// A milestone with its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    #[schema(example = "M1")]
    pub key: String,
    #[schema(example = "平台一期上线")]
    pub name: String,
    pub due: NaiveDate,
}

/// The content of a task agreement (任务书, the 批复文件's content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementContent {
    pub targets: Vec<Target>,
    pub budget: Vec<BudgetLine>,
    pub milestones: Vec<Milestone>,
    /// When the brain is to be built.
    pub completion_date: NaiveDate,
}

impl AgreementContent {
    /// The budget's total (万元), exact; `None` if it overflows the largest amount.
    pub fn total(&self) -> Option<Money> {
        let sum = self
            .budget
            .iter()
            .try_fold(0_i64, |a, b| a.checked_add(b.amount.hundredths()))?;
        Money::from_hundredths(sum).ok()
    }

    /// Every bad field, named (`targets[1].key`, `milestones[0].due`, …).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let blank = |s: &str| s.trim().is_empty() || s.chars().count() > 200;
        let mut keys = std::collections::HashSet::new();
        if self.targets.is_empty() {
            errors.push(FieldError::new(
                "targets",
                crate::msg!("field-targets-empty"),
            ));
        }
        for (i, t) in self.targets.iter().enumerate() {
            if blank(&t.key) || !keys.insert(t.key.trim().to_owned()) {
                errors.push(FieldError::new(
                    format!("targets[{i}].key"),
                    crate::msg!("field-unique-target-key"),
                ));
            }
            if blank(&t.name) {
                errors.push(FieldError::new(
                    format!("targets[{i}].name"),
                    crate::msg!("field-chars", min = 1, max = 200),
                ));
            }
            if blank(&t.unit) {
                errors.push(FieldError::new(
                    format!("targets[{i}].unit"),
                    crate::msg!("field-chars", min = 1, max = 200),
                ));
            }
        }
        if self.budget.is_empty() {
            errors.push(FieldError::new("budget", crate::msg!("field-budget-empty")));
        }
        let mut sources = std::collections::HashSet::new();
        for (i, b) in self.budget.iter().enumerate() {
            if blank(&b.source) || !sources.insert(b.source.trim().to_owned()) {
                errors.push(FieldError::new(
                    format!("budget[{i}].source"),
                    crate::msg!("field-unique-budget-source"),
                ));
            }
        }
        if self.total().is_none() {
            errors.push(FieldError::new(
                "budget",
                crate::msg!("field-budget-total-too-large"),
            ));
        }
        let mut keys = std::collections::HashSet::new();
        for (i, m) in self.milestones.iter().enumerate() {
            if blank(&m.key) || !keys.insert(m.key.trim().to_owned()) {
                errors.push(FieldError::new(
                    format!("milestones[{i}].key"),
                    crate::msg!("field-unique-milestone-key"),
                ));
            }
            if blank(&m.name) {
                errors.push(FieldError::new(
                    format!("milestones[{i}].name"),
                    crate::msg!("field-chars", min = 1, max = 200),
                ));
            }
            if m.due > self.completion_date {
                errors.push(FieldError::new(
                    format!("milestones[{i}].due"),
                    crate::msg!("field-after-completion"),
                ));
            }
        }
        errors
    }
}

/// A calendar quarter (`2024Q3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub quarter: u32,
}

impl Quarter {
    /// The quarter a day falls in.
    pub fn of(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            quarter: (day.month() - 1) / 3 + 1,
        }
    }

    /// The quarter's first day.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, (self.quarter - 1) * 3 + 1, 1)
    }

    /// The quarter's last day.
    pub fn last_day(self) -> Option<NaiveDate> {
        self.first_day()?
            .checked_add_months(Months::new(3))?
            .pred_opt()
    }

    /// The last day its progress report may be filed without being overdue.
    pub fn report_due(self) -> Option<NaiveDate> {
        self.last_day()?
            .checked_add_days(chrono::Days::new(REPORT_GRACE_DAYS))
    }

    pub fn next(self) -> Self {
        if self.quarter == 4 {
            Self {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Self {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    /// Parses `2024Q3`.
    ///
    /// # Errors
    /// A readable reason.
    pub fn parse(text: &str) -> Result<Self, crate::msg::Msg> {
        let bad = || crate::msg!("field-quarter", text = format!("{text:?}"));
        let (y, q) = text.split_once(['Q', 'q']).ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let quarter: u32 = q.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) || !(1..=4).contains(&quarter) {
            return Err(bad());
        }
        Ok(Self { year, quarter })
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

/// The quarters whose progress reports are overdue on `today`: every quarter from the one the
/// agreement was signed in, up to the last one whose grace period has ended, that has no report
/// (`filed`), stopping at the quarter of completion when the brain was declared built.
pub fn overdue_reports(
    signed_on: NaiveDate,
    completed_on: Option<NaiveDate>,
    filed: &[Quarter],
    today: NaiveDate,
) -> Vec<Quarter> {
    let mut out = Vec::new();
    let mut q = Quarter::of(signed_on);
    let last = completed_on.map(Quarter::of);
    for _ in 0..400 {
        if last.is_some_and(|l| q > l) {
            break;
        }
        match q.report_due() {
            Some(due) if due < today => {
                if !filed.contains(&q) {
                    out.push(q);
                }
            }
            _ => break,
        }
        q = q.next();
    }
    out
}

text_enum!(
    /// How a milestone stands, as reported (the OCDS milestone codelist's values).
    MilestoneStatus {
        Scheduled,
        Met,
        PartiallyMet,
        NotMet,
    }
);

/// One milestone's status in a progress report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneProgress {
    pub key: String,
    pub status: MilestoneStatus,
    #[serde(default)]
    pub note: String,
}

/// One indicator's value so far, in a progress report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetProgress {
    pub key: String,
    pub value: Quantity,
}

/// A quarterly progress report's content (by the builder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportContent {
    pub milestones: Vec<MilestoneProgress>,
    /// Spend to date by funding source (万元).
    pub spend: Vec<BudgetLine>,
    pub targets: Vec<TargetProgress>,
    #[serde(default)]
    pub risks: String,
}

impl ReportContent {
    /// Every bad field: keys must name the agreement's milestones, targets and funding sources.
    pub fn validate(&self, agreement: &AgreementContent) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (i, m) in self.milestones.iter().enumerate() {
            if !agreement.milestones.iter().any(|x| x.key == m.key) {
                errors.push(FieldError::new(
                    format!("milestones[{i}].key"),
                    crate::msg!("field-agreement-no-milestone", key = format!("{:?}", m.key)),
                ));
            }
        }
        for (i, t) in self.targets.iter().enumerate() {
            if !agreement.targets.iter().any(|x| x.key == t.key) {
                errors.push(FieldError::new(
                    format!("targets[{i}].key"),
                    crate::msg!("field-agreement-no-indicator", key = format!("{:?}", t.key)),
                ));
            }
        }
        for (i, s) in self.spend.iter().enumerate() {
            if !agreement.budget.iter().any(|x| x.source == s.source) {
                errors.push(FieldError::new(
                    format!("spend[{i}].source"),
                    crate::msg!(
                        "field-agreement-no-source",
                        source = format!("{:?}", s.source)
                    ),
                ));
            }
        }
        if self.risks.chars().count() > 10_000 {
            errors.push(FieldError::new(
                "risks",
                crate::msg!("field-at-most-chars", max = 10000),
            ));
        }
        errors
    }
}

/// Milestones overdue on `today`: past their due date and not reported `met` in the latest
/// report that mentions them.
pub fn overdue_milestones(
    agreement: &AgreementContent,
    latest: &[MilestoneProgress],
    today: NaiveDate,
) -> Vec<String> {
    agreement
        .milestones
        .iter()
        .filter(|m| m.due < today)
        .filter(|m| {
            !latest
                .iter()
                .any(|p| p.key == m.key && p.status == MilestoneStatus::Met)
        })
        .map(|m| m.key.clone())
        .collect()
}

text_enum!(
    /// How the district supervised (督导方式).
    SupervisionMethod {
        /// 现场督导.
        OnSite,
        /// 远程督导.
        Remote,
        /// 资料审查.
        DocumentReview,
    }
);

text_enum!(
    /// The district's rating of a visit.
    SupervisionRating {
        /// 良好: on track.
        Good,
        /// 一般: concerns.
        Fair,
        /// 较差: off track.
        Poor,
    }
);

/// The last day the builder may request acceptance, one month after completion.
pub fn acceptance_request_due(completed_on: NaiveDate) -> Option<NaiveDate> {
    completed_on.checked_add_months(Months::new(ACCEPTANCE_REQUEST_MONTHS))
}

/// Whether a request for acceptance made on `today` is in time; `Err(days over)` if late.
///
/// # Errors
/// The number of days past the deadline.
pub fn acceptance_request_in_time(completed_on: NaiveDate, today: NaiveDate) -> Result<(), i64> {
    match acceptance_request_due(completed_on) {
        Some(due) if today > due => Err((today - due).num_days()),
        _ => Ok(()),
    }
}

/// Whether a re-review (复验) started on `today` is within the rectification deadline set at
/// acceptance (the deadline day itself is in time); `Err(days over)` if late.
///
/// # Errors
/// The number of days past the deadline.
pub fn rectification_in_time(rectify_until: NaiveDate, today: NaiveDate) -> Result<(), i64> {
    if today > rectify_until {
        Err((today - rectify_until).num_days())
    } else {
        Ok(())
    }
}

/// One indicator as the third-party evaluator measured it at acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    pub key: String,
    pub measured: Quantity,
}

/// Whether a measured value meets its target (a value at or above the target meets it; the
/// agreement states targets as levels to reach).
pub fn target_met(target: &Target, measured: Quantity) -> bool {
    measured >= target.target
}

/// The acceptance conclusion the rule gives, with the rule's own statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Verdict {
    /// `true`: every mandatory indicator met and the panel's score at or above the threshold.
    pub acceptable: bool,
    /// Mandatory indicators not met (or not measured).
    pub unmet_mandatory: Vec<String>,
    /// The panel's score (hundredths of a point), if any sheet counts.
    pub panel_score: Option<i64>,
    /// The threshold the round sets (hundredths of a point).
    pub threshold: i64,
    /// The rule as applied, in words.
    pub rule: String,
}

/// The acceptance rule (computed, never typed in): accepted iff every mandatory indicator of the
/// agreement is met by the evaluator's measurement and the panel's score is at or above the
/// round's threshold.
pub fn verdict(
    agreement: &AgreementContent,
    measured: &[Measurement],
    panel_score: Option<i64>,
    threshold: i64,
) -> Verdict {
    let unmet: Vec<String> = agreement
        .targets
        .iter()
        .filter(|t| t.mandatory)
        .filter(|t| {
            !measured
                .iter()
                .any(|m| m.key == t.key && target_met(t, m.measured))
        })
        .map(|t| t.key.clone())
        .collect();
    let score_ok = panel_score.is_some_and(|s| s >= threshold);
    let rule = format!(
        "accepted only if every mandatory indicator is met ({}) and the panel's score is at least {} ({}); here: {}",
        if unmet.is_empty() {
            "all met".to_owned()
        } else {
            format!("not met: {}", unmet.join(", "))
        },
        super::score::hundredths_text(threshold),
        panel_score.map_or_else(|| "no score".to_owned(), super::score::hundredths_text),
        if unmet.is_empty() && score_ok {
            "acceptable"
        } else {
            "not acceptable"
        }
    );
    Verdict {
        acceptable: unmet.is_empty() && score_ok,
        unmet_mandatory: unmet,
        panel_score,
        threshold,
        rule,
    }
}

/// The plaque number: `CQ-HYDN-<year>-<serial, three digits>`.
pub fn plaque_number(year: i32, serial: i32) -> String {
    format!("CQ-HYDN-{year}-{serial:03}")
}

text_enum!(
    /// A plaqued brain's standing in the public register.
    PlaqueStatus {
        Active,
        /// An annual evaluation found it 不合格: under rectification by a deadline (限期整改).
        Rectifying,
        /// The plaque was withdrawn (取消授牌).
        Revoked,
    }
);

text_enum!(
    /// The grade of an annual evaluation (年度常态化评价).
    Grade {
        /// 优秀.
        Excellent,
        /// 良好.
        Good,
        /// 合格.
        Pass,
        /// 不合格 ("结果欠佳").
        Fail,
    }
);

impl Grade {
    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }
}

/// The lower bounds of the grades, in hundredths of a point *(ours; per round)*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeBounds {
    /// 优秀 from (default 9000, i.e. 90 points).
    pub excellent: i64,
    /// 良好 from (default 8000).
    pub good: i64,
    /// 合格 from (default 6000); below is 不合格.
    pub pass: i64,
}

impl Default for GradeBounds {
    fn default() -> Self {
        Self {
            excellent: 9_000,
            good: 8_000,
            pass: 6_000,
        }
    }
}

impl GradeBounds {
    pub fn grade(self, score: i64) -> Grade {
        if score >= self.excellent {
            Grade::Excellent
        } else if score >= self.good {
            Grade::Good
        } else if score >= self.pass {
            Grade::Pass
        } else {
            Grade::Fail
        }
    }

    pub fn validate(self, field: &str) -> Vec<FieldError> {
        let ok = 0 <= self.pass
            && self.pass <= self.good
            && self.good <= self.excellent
            && self.excellent <= 10_000;
        if ok {
            Vec::new()
        } else {
            vec![FieldError::new(
                field,
                crate::msg!("field-grade-thresholds"),
            )]
        }
    }
}

/// The parts of an annual evaluation's score, each 0–100 points in hundredths, weighted equally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationParts {
    /// 运行情况: the brain runs, is available and maintained.
    pub operation: i64,
    /// 数据汇聚: data integrated from the industry.
    pub data_integration: i64,
    /// 服务企业: users and enterprises served.
    pub users_served: i64,
    /// 自我造血: self-sustaining revenue.
    pub revenue: i64,
    /// 指标完成: the agreement's indicators attained.
    pub kpi_attainment: i64,
}

impl EvaluationParts {
    /// The score: the mean of the five parts, rounded half up to a hundredth.
    pub fn score(self) -> i64 {
        let sum = self.operation
            + self.data_integration
            + self.users_served
            + self.revenue
            + self.kpi_attainment;
        super::score::round_half_up(i128::from(sum), 5)
    }

    pub fn validate(self) -> Vec<FieldError> {
        [
            ("operation", self.operation),
            ("data_integration", self.data_integration),
            ("users_served", self.users_served),
            ("revenue", self.revenue),
            ("kpi_attainment", self.kpi_attainment),
        ]
        .into_iter()
        .filter(|(_, v)| !(0..=10_000).contains(v))
        .map(|(f, _)| {
            FieldError::new(
                f,
                crate::msg!("field-hundredths-range", min = 0, max = 10000),
            )
        })
        .collect()
    }
}

/// The round's numbers for the life after the award *(ours; per round)*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LifecycleParams {
    /// The acceptance panel's score needed for acceptance, hundredths of a point (default 6000).
    #[serde(default = "default_threshold")]
    pub acceptance_threshold: i64,
    /// Grades of the annual evaluation.
    #[serde(default)]
    pub grades: GradeBounds,
    /// Days given to rectify (限期整改) after a failed evaluation or acceptance (default 90).
    #[serde(default = "default_rectify_days")]
    pub rectification_days: u32,
}

fn default_threshold() -> i64 {
    6_000
}

fn default_rectify_days() -> u32 {
    90
}

impl Default for LifecycleParams {
    fn default() -> Self {
        Self {
            acceptance_threshold: default_threshold(),
            grades: GradeBounds::default(),
            rectification_days: default_rectify_days(),
        }
    }
}

impl LifecycleParams {
    pub fn validate(&self, field: &str) -> Vec<FieldError> {
        let mut errors = self.grades.validate(&format!("{field}.grades"));
        if !(0..=10_000).contains(&self.acceptance_threshold) {
            errors.push(FieldError::new(
                format!("{field}.acceptance_threshold"),
                crate::msg!("field-hundredths-range", min = 0, max = 10000),
            ));
        }
        if !(7..=365).contains(&self.rectification_days) {
            errors.push(FieldError::new(
                format!("{field}.rectification_days"),
                crate::msg!("field-days-between", min = 7, max = 365),
            ));
        }
        errors
    }
}

/// A project as stored, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: i32,
    pub round_id: i32,
    pub year: i32,
    pub list_item_id: i32,
    pub call_id: i32,
    pub bid_id: i32,
    /// The builder (建设主体): the winning bid's organisation.
    pub organisation_id: i32,
    /// The builder's district, whose officers supervise.
    pub district_code: String,
    /// The brain's name (the list item's direction).
    pub name: String,
    pub status: ProjectStatus,
    pub version: i32,
    /// When the builder declared the brain built (建成).
    pub completed_on: Option<NaiveDate>,
    pub acceptance_requested_at: Option<DateTime<Utc>>,
    /// A recorded exception that lets a late acceptance request in: why, who, when.
    pub acceptance_exception: Option<(String, i32, DateTime<Utc>)>,
    /// The deadline of a rectification ordered at acceptance.
    pub rectify_until: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One party's confirmation of an agreement: who and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmation {
    pub by: i32,
    pub at: DateTime<Utc>,
}

/// A task agreement (number 1) or an amendment (2, 3, …), decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: i32,
    pub project_id: i32,
    pub number: i32,
    pub status: AgreementStatus,
    pub content: AgreementContent,
    /// Why it amends the one before (amendments only).
    pub reason: Option<String>,
    pub version: i32,
    pub commission: Option<Confirmation>,
    pub builder: Option<Confirmation>,
    pub district: Option<Confirmation>,
    pub signed_at: Option<DateTime<Utc>>,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Agreement {
    pub fn confirmation(&self, party: AgreementParty) -> Option<Confirmation> {
        match party {
            AgreementParty::Commission => self.commission,
            AgreementParty::Builder => self.builder,
            AgreementParty::District => self.district,
        }
    }

    /// Whether the other two parties have confirmed, so `party`'s confirmation signs it.
    pub fn completes_with(&self, party: AgreementParty) -> bool {
        AgreementParty::VARIANTS
            .iter()
            .filter(|p| **p != party)
            .all(|p| self.confirmation(*p).is_some())
    }
}

/// A progress report, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressReport {
    pub id: i32,
    pub project_id: i32,
    pub period: Quarter,
    pub content: ReportContent,
    pub filed_by: i32,
    pub filed_at: DateTime<Utc>,
}

/// A supervision record with its follow-ups, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Supervision {
    pub id: i32,
    pub project_id: i32,
    pub visited_on: NaiveDate,
    pub method: SupervisionMethod,
    pub findings: String,
    pub rating: SupervisionRating,
    /// A warning raised to the commission.
    pub warning: Option<String>,
    pub recorded_by: i32,
    pub recorded_at: DateTime<Utc>,
    pub follow_ups: Vec<FollowUp>,
}

/// A follow-up action of a supervision.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: i32,
    pub supervision_id: i32,
    pub action: String,
    pub due_on: NaiveDate,
    /// Closed: when, by whom, with what note.
    pub closed: Option<(DateTime<Utc>, i32, String)>,
}

/// A first draft of the task agreement, from the winning bid and the proposal's plan: the plan's
/// indicators (all mandatory until the commission says otherwise), its funding sources (or the
/// bid's budget as one line), the bid's schedule (or the plan's), and the plan's end date (or
/// the last milestone's, or a year after `award_day`). The commission edits it before anyone
/// confirms.
pub fn draft_agreement(
    plan: &super::proposal::ProposalPlan,
    bid_budget: Money,
    bid_schedule: &[(String, NaiveDate)],
    award_day: NaiveDate,
) -> AgreementContent {
    let quantity = |v: Option<f64>| {
        v.filter(|x| x.is_finite() && *x >= 0.0)
            .and_then(|x| format!("{x:.2}").parse::<Money>().ok())
            .and_then(|m| Quantity::from_hundredths(m.hundredths()).ok())
            .unwrap_or_default()
    };
    let targets: Vec<Target> = plan
        .scenarios
        .iter()
        .flat_map(|s| s.kpis.iter())
        .filter(|k| k.name.as_deref().is_some_and(|n| !n.trim().is_empty()))
        .enumerate()
        .map(|(i, k)| Target {
            key: format!("K{}", i + 1),
            name: k.name.clone().unwrap_or_default(),
            unit: k
                .unit
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| "项".to_owned()),
            baseline: quantity(k.baseline),
            target: quantity(k.target),
            mandatory: true,
        })
        .collect();
    let mut budget: Vec<BudgetLine> = plan
        .funding
        .sources
        .iter()
        .filter_map(|s| {
            Some(BudgetLine {
                source: s.source.clone().filter(|x| !x.trim().is_empty())?,
                amount: s.amount?,
            })
        })
        .collect();
    if budget.is_empty() {
        budget.push(BudgetLine {
            source: "建设资金".to_owned(),
            amount: bid_budget,
        });
    }
    let from_bid: Vec<(String, NaiveDate)> = bid_schedule.to_vec();
    let from_plan: Vec<(String, NaiveDate)> = plan
        .schedule
        .milestones
        .iter()
        .filter_map(|m| Some((m.name.clone()?, m.due?)))
        .collect();
    let chosen = if from_bid.is_empty() {
        from_plan
    } else {
        from_bid
    };
    let milestones: Vec<Milestone> = chosen
        .into_iter()
        .enumerate()
        .map(|(i, (name, due))| Milestone {
            key: format!("M{}", i + 1),
            name,
            due,
        })
        .collect();
    let last = milestones.iter().map(|m| m.due).max();
    let completion_date = plan
        .schedule
        .end
        .or(last)
        .or_else(|| award_day.checked_add_months(Months::new(12)))
        .unwrap_or(award_day);
    AgreementContent {
        targets,
        budget,
        completion_date: last.map_or(completion_date, |l| completion_date.max(l)),
        milestones,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn q(n: i64) -> Quantity {
        Quantity::from_hundredths(n).unwrap()
    }

    fn agreement() -> AgreementContent {
        AgreementContent {
            targets: vec![
                Target {
                    key: "K1".into(),
                    name: "接入企业".into(),
                    unit: "家".into(),
                    baseline: q(0),
                    target: q(50_000),
                    mandatory: true,
                },
                Target {
                    key: "K2".into(),
                    name: "降本".into(),
                    unit: "%".into(),
                    baseline: q(0),
                    target: q(1_000),
                    mandatory: false,
                },
            ],
            budget: vec![BudgetLine {
                source: "企业自筹".into(),
                amount: Money::from_hundredths(100_000).unwrap(),
            }],
            milestones: vec![Milestone {
                key: "M1".into(),
                name: "上线".into(),
                due: day(2024, 12, 31),
            }],
            completion_date: day(2025, 6, 30),
        }
    }

    #[test]
    fn the_state_machine_allows_exactly_its_moves() {
        use ProjectAction as A;
        use ProjectStatus as S;
        let allowed = [
            (S::Agreement, A::SignAgreement, S::InConstruction),
            (S::InConstruction, A::DeclareCompletion, S::Completed),
            (S::Completed, A::RequestAcceptance, S::AcceptanceRequested),
            (
                S::AcceptanceRequested,
                A::StartAcceptance,
                S::UnderAcceptance,
            ),
            (S::Rectifying, A::StartAcceptance, S::UnderAcceptance),
            (S::UnderAcceptance, A::Accept, S::Accepted),
            (S::UnderAcceptance, A::Rectify, S::Rectifying),
            (S::UnderAcceptance, A::Fail, S::Failed),
        ];
        for &from in S::VARIANTS {
            for &action in A::VARIANTS {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(transition(from, action).ok(), expected, "{from} {action}");
            }
        }
    }

    #[test]
    fn quarters_and_their_report_deadlines() {
        let q3 = Quarter::parse("2024Q3").unwrap();
        assert_eq!(q3.last_day(), Some(day(2024, 9, 30)));
        assert_eq!(q3.report_due(), Some(day(2024, 10, 15)));
        assert_eq!(
            Quarter::of(day(2024, 12, 31)).next(),
            Quarter::parse("2025Q1").unwrap()
        );
        assert!(Quarter::parse("2024Q5").is_err());
        assert!(Quarter::parse("24-3").is_err());
        assert_eq!(q3.to_string(), "2024Q3");
    }

    #[test]
    fn a_report_is_overdue_from_the_sixteenth_day_after_its_quarter() {
        let signed = day(2024, 8, 1);
        assert!(overdue_reports(signed, None, &[], day(2024, 10, 15)).is_empty());
        assert_eq!(
            overdue_reports(signed, None, &[], day(2024, 10, 16)),
            [Quarter::parse("2024Q3").unwrap()]
        );
        let filed = [Quarter::parse("2024Q3").unwrap()];
        assert!(overdue_reports(signed, None, &filed, day(2024, 12, 1)).is_empty());
        assert_eq!(
            overdue_reports(signed, None, &filed, day(2025, 4, 16)).len(),
            2
        );
        // After completion, no more quarters fall due.
        let done = Some(day(2024, 11, 1));
        assert_eq!(
            overdue_reports(signed, done, &filed, day(2026, 1, 1)).len(),
            1
        );
    }

    #[test]
    fn milestones_are_overdue_after_their_due_date_unless_met() {
        let a = agreement();
        assert!(overdue_milestones(&a, &[], day(2024, 12, 31)).is_empty());
        assert_eq!(overdue_milestones(&a, &[], day(2025, 1, 1)), ["M1"]);
        let met = [MilestoneProgress {
            key: "M1".into(),
            status: MilestoneStatus::Met,
            note: String::new(),
        }];
        assert!(overdue_milestones(&a, &met, day(2025, 1, 1)).is_empty());
    }

    #[test]
    fn acceptance_must_be_requested_within_a_month_of_completion() {
        let done = day(2025, 1, 31);
        assert_eq!(acceptance_request_due(done), Some(day(2025, 2, 28)));
        assert_eq!(acceptance_request_in_time(done, day(2025, 2, 28)), Ok(()));
        assert_eq!(acceptance_request_in_time(done, day(2025, 3, 3)), Err(3));
    }

    #[test]
    fn a_re_review_is_due_by_the_rectification_deadline() {
        let until = day(2025, 4, 10);
        assert_eq!(rectification_in_time(until, day(2025, 4, 10)), Ok(()));
        assert_eq!(rectification_in_time(until, day(2025, 4, 11)), Err(1));
        assert_eq!(rectification_in_time(until, day(2025, 5, 10)), Err(30));
    }

    #[test]
    fn the_verdict_needs_every_mandatory_indicator_and_the_threshold() {
        let a = agreement();
        let all = [
            Measurement {
                key: "K1".into(),
                measured: q(50_000),
            },
            Measurement {
                key: "K2".into(),
                measured: q(0),
            },
        ];
        let v = verdict(&a, &all, Some(6_000), 6_000);
        assert!(v.acceptable, "{}", v.rule);
        assert!(!verdict(&a, &all, Some(5_999), 6_000).acceptable);
        assert!(!verdict(&a, &all, None, 6_000).acceptable);
        let short = [Measurement {
            key: "K1".into(),
            measured: q(49_999),
        }];
        let v = verdict(&a, &short, Some(9_000), 6_000);
        assert_eq!(
            (v.acceptable, v.unmet_mandatory.as_slice()),
            (false, &["K1".to_owned()][..])
        );
        assert!(v.rule.contains("not met: K1"), "{}", v.rule);
    }

    #[test]
    fn grades_and_scores() {
        let b = GradeBounds::default();
        assert_eq!(b.grade(9_000), Grade::Excellent);
        assert_eq!(b.grade(8_999), Grade::Good);
        assert_eq!(b.grade(6_000), Grade::Pass);
        assert_eq!(b.grade(5_999), Grade::Fail);
        let parts = EvaluationParts {
            operation: 6_000,
            data_integration: 6_000,
            users_served: 6_000,
            revenue: 6_000,
            kpi_attainment: 6_003,
        };
        assert_eq!(parts.score(), 6_001);
        assert!(parts.validate().is_empty());
        assert_eq!(plaque_number(2024, 1), "CQ-HYDN-2024-001");
    }

    #[test]
    fn agreements_name_every_bad_field() {
        let mut a = agreement();
        assert!(a.validate().is_empty());
        a.targets.push(a.targets[0].clone());
        a.milestones[0].due = day(2026, 1, 1);
        let fields: Vec<String> = a.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["targets[2].key", "milestones[0].due"]);
    }
}
