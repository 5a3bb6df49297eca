//! A proposal: the intention form (附件1 行业产业大脑建设意向表) and the preliminary construction plan
//! (附件2 初步建设方案), as a district officer and a builder fill them in.
//!
//! Every leaf is optional because a draft is saved long before it is complete, and completeness is
//! *scored* (see `super::completeness`) rather than demanded. [`validate`] therefore rejects only values
//! that are malformed — a code that names nothing, dates that contradict each other, a blank string
//! where a value was given — and reports all of them at once, so a user fixes a form in one pass.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::money::Money;
use super::FieldError;

/// The intention form, 行业产业大脑建设意向表 (annex 1 of the notice).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProposalForm {
    /// Name of the intended industry brain, 意向建设的行业产业大脑名称 (e.g. "口腔清洁用品行业产业大脑").
    pub brain_name: Option<String>,
    /// District or zone, 所属区县: a code from the districts reference list.
    pub district_code: Option<String>,
    /// Cluster of the "33618" system, 所属产业集群: a code from the clusters reference list.
    pub cluster_code: Option<String>,
    /// Industry class, 所属行业类别 (GB/T 4754-2017 大类 / 中类 / 小类).
    pub industry_class: IndustryClassRef,
    /// Intended builder organisation, 意向建设单位: an organisation id known to the service.
    pub builder_organisation_id: Option<i32>,
    /// Joint builders beside the intended builder (政府主导: 平台公司单独或联合相关企业建设), each
    /// an organisation known to the service, with its role.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub joint_builders: Vec<super::builders::JointBuilder>,
    /// The chain-leader enterprise, 链主企业 (2022 data).
    pub chain_leader: ChainLeader,
    /// The industrial cluster, 产业集群 (2022 data).
    pub cluster_stats: ClusterStats,
    /// Construction model, 建设模式.
    pub construction_model: Option<ConstructionModel>,
    /// Contact person of the filing unit, 联系人 / 手机号码.
    pub contact: ProposalContact,
    /// The chain leader's main suppliers in Chongqing (附件1 counts them), each an entry of a
    /// district inventory (`GET /api/v1/districts/{code}/enterprises`): at most 50, none twice.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supplier_inventory_ids: Vec<i32>,
}

/// GB/T 4754-2017 industry class at its three levels; each code's prefix names its parent
/// (26 化学原料和化学制品制造业 / 268 日用化学产品制造 / 2683 口腔清洁用品制造).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct IndustryClassRef {
    /// Division, 大类: 2 digits.
    pub major: Option<String>,
    /// Group, 中类: 3 digits starting with the 大类.
    pub middle: Option<String>,
    /// Class, 小类: 4 digits starting with the 中类.
    pub minor: Option<String>,
}

impl IndustryClassRef {
    /// The given codes, most general first; layout matching looks at every level.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        [&self.major, &self.middle, &self.minor]
            .into_iter()
            .filter_map(|code| code.as_deref())
            .map(str::trim)
            .filter(|code| !code.is_empty())
    }
}

/// The chain-leader enterprise, 链主企业.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ChainLeader {
    /// Enterprise name.
    pub name: Option<String>,
    /// Enterprise scale, 链主企业规模, in 万元 (2022 data).
    pub scale: Option<Money>,
    /// Number of its suppliers inside Chongqing, 链主企业市内供应商数量（个）.
    pub in_city_suppliers: Option<u32>,
    /// The chain leader's entry in its district's inventory (领军（链主）企业), when the form
    /// names it so; the inventory check compares the figures above with that entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory_id: Option<i32>,
}

/// The industrial cluster's size, 产业集群情况.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ClusterStats {
    /// Cluster scale, 产业集群规模, in 万元.
    pub scale: Option<Money>,
    /// Number of enterprises in the cluster, 产业集群企业数量（个）.
    pub enterprise_count: Option<u32>,
    /// Year the figures are from; the notice asks for 2022 (按照2022年度数据填报).
    pub data_year: Option<i32>,
}

/// Construction model, 建设模式 (the notice's 填报说明 3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ConstructionModel {
    /// 政府主导建设模式: a government-led platform company builds, alone or with enterprises.
    GovernmentLed,
    /// 链主企业建设模式: the chain-leader enterprise leads.
    ChainLeaderLed,
    /// 第三方平台建设模式: a third-party platform leads.
    ThirdParty,
}

impl ConstructionModel {
    /// The serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GovernmentLed => "government_led",
            Self::ChainLeaderLed => "chain_leader_led",
            Self::ThirdParty => "third_party",
        }
    }
}

/// Contact of the filing unit, 联系人 and 手机号码.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProposalContact {
    /// Contact name, 联系人.
    pub name: Option<String>,
    /// Phone number, 手机号码: 7–20 characters of digits, `+` and `-`.
    pub phone: Option<String>,
}

/// The preliminary construction plan, 初步建设方案 (annex 2 of the notice, the reference outline).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProposalPlan {
    /// Construction basis, 建设基础: the existing industrial base and state of digitalisation.
    pub basis: Option<String>,
    /// Project introduction, 项目简介.
    pub introduction: PlanIntroduction,
    /// Funding and investment estimate, 资金筹措及投资估算.
    pub funding: PlanFunding,
    /// Construction content, 建设内容, with its task breakdown (任务分解).
    pub content: PlanContent,
    /// Application scenarios and their assessment indicators, 应用场景及考核指标.
    pub scenarios: Vec<PlanScenario>,
    /// Technical support plan, 技术支撑方案.
    pub technology: PlanTechnology,
    /// Operation model, 运营模式.
    pub operation: PlanOperation,
    /// Economic and social benefits, 经济及社会效益.
    pub benefits: PlanBenefits,
    /// Construction schedule, 建设计划.
    pub schedule: PlanSchedule,
}

/// Project introduction, 项目简介: goal, investment, model and builder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanIntroduction {
    /// Project goal, 项目目标.
    pub goal: Option<String>,
    /// Investment in brief, 投资.
    pub investment_summary: Option<String>,
    /// Construction model in words, 建设模式.
    pub model: Option<String>,
    /// Builder in words, 建设主体.
    pub builder: Option<String>,
}

/// Funding and investment estimate, 资金筹措及投资估算.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanFunding {
    /// Total estimated spending, 总体经费支出概算, in 万元.
    pub total: Option<Money>,
    /// Breakdown of the estimate with its explanation and use, 测算说明 / 用途.
    pub breakdown: Vec<FundingItem>,
    /// Where the money comes from, 经费来源.
    pub sources: Vec<FundingSource>,
}

/// One line of the investment estimate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FundingItem {
    /// What the money is for, 用途.
    pub item: Option<String>,
    /// Amount in 万元.
    pub amount: Option<Money>,
    /// How it was estimated, 测算说明.
    pub note: Option<String>,
}

/// One source of funds, 经费来源.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FundingSource {
    /// Source (e.g. 企业自筹, 区县财政).
    pub source: Option<String>,
    /// Amount in 万元.
    pub amount: Option<Money>,
}

/// Construction content, 建设内容.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanContent {
    /// Main construction content, 主要建设内容.
    pub summary: Option<String>,
    /// Task breakdown, 任务分解.
    pub tasks: Vec<PlanTask>,
}

/// One task of the breakdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanTask {
    /// Task name.
    pub name: Option<String>,
    /// What the task delivers.
    pub description: Option<String>,
}

/// An application scenario, 应用场景, with its assessment indicators, 考核指标.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanScenario {
    /// Scenario name.
    pub name: Option<String>,
    /// What the brain does in this scenario, 功能.
    pub description: Option<String>,
    /// Assessment indicators, 考核指标.
    pub kpis: Vec<PlanKpi>,
}

/// A quantified assessment indicator, 考核指标. Its numbers are measures (rates, counts), not money,
/// and are only checked for presence, so a float is acceptable here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanKpi {
    /// Indicator name (e.g. 设备联网率).
    pub name: Option<String>,
    /// Unit (e.g. %, 家, 万元).
    pub unit: Option<String>,
    /// Value today, 基准值.
    pub baseline: Option<f64>,
    /// Value promised at completion, 目标值.
    pub target: Option<f64>,
}

/// Technical support plan, 技术支撑方案.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanTechnology {
    /// Overall architecture, 整体架构.
    pub architecture: Option<String>,
    /// Key technologies developed or applied, 关键技术.
    pub key_technologies: Option<String>,
    /// Innovations, 创新点.
    pub innovations: Option<String>,
}

/// Operation model, 运营模式.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanOperation {
    /// The operating unit, 运营单位基本情况.
    pub operator: Option<String>,
    /// The operation model, 运营模式: long-term market-based operation.
    pub model: Option<String>,
    /// How the brain pays for itself, 自我造血 capability.
    pub self_funding: Option<String>,
}

/// Economic and social benefits, 经济及社会效益.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanBenefits {
    /// Economic return, 经济收益.
    pub economic: Option<String>,
    /// Social benefit of pooling and sharing industrial resources, 社会效益.
    pub social: Option<String>,
    /// Cost reduction for small and medium enterprises, 降低中小企业生产经营成本.
    pub sme_cost_reduction: Option<String>,
}

/// Construction schedule, 建设计划.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanSchedule {
    /// Start of construction, 开工时间.
    pub start: Option<NaiveDate>,
    /// Implementation milestones in date order, 实施计划.
    pub milestones: Vec<PlanMilestone>,
    /// Expected completion, 预计完成时间.
    pub end: Option<NaiveDate>,
}

/// One milestone of the schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanMilestone {
    /// What is reached.
    pub name: Option<String>,
    /// When it is due.
    pub due: Option<NaiveDate>,
}

/// The reference data a proposal's codes are checked against, kept abstract so that the domain needs
/// no database.
pub trait ReferenceLookup {
    /// Whether a district or zone with this code exists.
    fn district_exists(&self, code: &str) -> bool;
    /// Whether a cluster with this code exists.
    fn cluster_exists(&self, code: &str) -> bool;
    /// `None` when the class code is unknown; `Some(parent)` otherwise, `Some(None)` for a 大类.
    fn industry_class_parent(&self, code: &str) -> Option<Option<String>>;
}

/// Lowest accepted `data_year`: the forms speak of 2022 figures; older than 2000 is a typing error.
pub const MIN_DATA_YEAR: i32 = 2000;
/// Highest accepted `data_year`.
pub const MAX_DATA_YEAR: i32 = 2100;

/// The district's seal (审核盖章): who, when, and the review statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub by: i32,
    pub at: chrono::DateTime<chrono::Utc>,
    pub statement: String,
}

/// A proposal as stored, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub id: i32,
    pub round_id: i32,
    /// The round's year.
    pub year: i32,
    pub status: super::proposal_state::Status,
    pub district_code: String,
    pub cluster_code: Option<String>,
    /// The applicant organisation that owns it; none when a district officer filed it.
    pub owner_organisation_id: Option<i32>,
    pub created_by: i32,
    pub form: ProposalForm,
    pub plan: ProposalPlan,
    pub version: i32,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub seal: Option<Seal>,
    /// Reasons of the last return or eligibility decision.
    pub reasons: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The truthfulness statement of the latest submission.
    pub attestation: Option<super::attestation::Attestation>,
}

/// A row of a proposal list: what a list shows, not the whole form and plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: i32,
    pub brain_name: Option<String>,
    pub status: super::proposal_state::Status,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub owner_organisation_id: Option<i32>,
    pub version: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Proposal {
    pub fn facts(&self) -> super::access::Facts<'_> {
        super::access::Facts {
            district: &self.district_code,
            owner_organisation: self.owner_organisation_id,
            status: self.status,
        }
    }
}

/// Reports every malformed value of a proposal, each under its JSON path (`form.industry_class.middle`,
/// `plan.schedule.milestones[2].due`). Missing values are not errors; completeness scores them.
pub fn validate(
    form: &ProposalForm,
    plan: &ProposalPlan,
    refs: &impl ReferenceLookup,
) -> Vec<FieldError> {
    let mut errors = Errors::default();
    validate_form(form, refs, &mut errors);
    errors.0.extend(super::inventory::validate_references(form));
    validate_plan(plan, &mut errors);
    errors.0
}

/// Collects errors; the helpers return whether the value is usable for further checks.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: impl Into<String>, message: crate::msg::Msg) {
        self.0.push(FieldError::new(field, message));
    }

    /// A given value must say something: "" or whitespace is an error, not a missing value, because a
    /// client that meant "missing" sends null. The value is returned untrimmed, so that a code with
    /// stray spaces is reported rather than stored as it came.
    fn text<'a>(&mut self, field: &str, value: &'a Option<String>) -> Option<&'a str> {
        let value = value.as_deref()?;
        if value.trim().is_empty() {
            self.push(field, crate::msg!("field-blank"));
            None
        } else {
            Some(value)
        }
    }
}

fn validate_form(form: &ProposalForm, refs: &impl ReferenceLookup, errors: &mut Errors) {
    errors.text("form.brain_name", &form.brain_name);
    if let Some(code) = errors.text("form.district_code", &form.district_code) {
        if !refs.district_exists(code) {
            errors.push(
                "form.district_code",
                crate::msg!("field-unknown-district", code = code),
            );
        }
    }
    if let Some(code) = errors.text("form.cluster_code", &form.cluster_code) {
        if !refs.cluster_exists(code) {
            errors.push(
                "form.cluster_code",
                crate::msg!("field-unknown-cluster", code = code),
            );
        }
    }
    validate_industry_class(&form.industry_class, refs, errors);
    if let Some(id) = form.builder_organisation_id {
        if id <= 0 {
            errors.push(
                "form.builder_organisation_id",
                crate::msg!("field-positive-id"),
            );
        }
    }
    for e in super::builders::validate("form.", form.builder_organisation_id, &form.joint_builders)
    {
        errors.push(e.field, e.message);
    }
    errors.text("form.chain_leader.name", &form.chain_leader.name);
    if let Some(year) = form.cluster_stats.data_year {
        if !(MIN_DATA_YEAR..=MAX_DATA_YEAR).contains(&year) {
            errors.push(
                "form.cluster_stats.data_year",
                crate::msg!("field-between", min = MIN_DATA_YEAR, max = MAX_DATA_YEAR),
            );
        }
    }
    errors.text("form.contact.name", &form.contact.name);
    if let Some(phone) = errors.text("form.contact.phone", &form.contact.phone) {
        let length = phone.chars().count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || c == '+' || c == '-');
        if !(7..=20).contains(&length) || !allowed {
            errors.push("form.contact.phone", crate::msg!("field-phone"));
        }
    }
}

/// Each level must have the right number of digits, exist, and have the previous level as its parent.
/// A level whose own code is already reported as bad is not used to judge the next one, so that one
/// typing error yields one error.
fn validate_industry_class(
    class: &IndustryClassRef,
    refs: &impl ReferenceLookup,
    errors: &mut Errors,
) {
    let levels = [
        ("major", 2, &class.major),
        ("middle", 3, &class.middle),
        ("minor", 4, &class.minor),
    ];
    let mut previous = Previous::Missing;
    let mut previous_name = "";
    for (key, digits, value) in levels {
        let field = format!("form.industry_class.{key}");
        let current = match (value, errors.text(&field, value)) {
            (None, _) => Previous::Missing,
            (Some(_), None) => Previous::Invalid,
            (Some(_), Some(code)) => check_class_code(code, digits, key, &field, refs, errors),
        };
        if let Previous::Valid(code) = current {
            match (&previous, refs.industry_class_parent(code).flatten()) {
                (Previous::Missing, None) | (Previous::Invalid, _) => {}
                (Previous::Missing, Some(_)) => {
                    errors.push(
                        &field,
                        crate::msg!("field-class-requires-level", level = previous_name),
                    );
                }
                (Previous::Valid(parent), actual) => {
                    if actual.as_deref() != Some(*parent) {
                        errors.push(
                            &field,
                            crate::msg!(
                                "field-class-not-under",
                                code = code,
                                level = previous_name,
                                parent = parent
                            ),
                        );
                    }
                }
            }
        }
        previous = current;
        previous_name = key;
    }
}

/// What the previous level of an industry class told us.
enum Previous<'a> {
    Missing,
    /// Bad, and already reported.
    Invalid,
    Valid(&'a str),
}

/// Checks one class code on its own: its shape, that it exists, and that a 大类 has no parent.
/// `level` is `major`, `middle` or `minor` (the catalogues name it).
fn check_class_code<'a>(
    code: &'a str,
    digits: usize,
    level: &str,
    field: &str,
    refs: &impl ReferenceLookup,
    errors: &mut Errors,
) -> Previous<'a> {
    if code.len() != digits || !code.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(
            field,
            crate::msg!("field-class-digits", digits = digits, level = level),
        );
        return Previous::Invalid;
    }
    match refs.industry_class_parent(code) {
        None => {
            errors.push(field, crate::msg!("field-unknown-class", code = code));
            Previous::Invalid
        }
        Some(Some(_)) if digits == 2 => {
            errors.push(
                field,
                crate::msg!("field-class-not-level", code = code, level = level),
            );
            Previous::Invalid
        }
        Some(_) => Previous::Valid(code),
    }
}

fn validate_plan(plan: &ProposalPlan, errors: &mut Errors) {
    errors.text("plan.basis", &plan.basis);
    let intro = &plan.introduction;
    errors.text("plan.introduction.goal", &intro.goal);
    errors.text(
        "plan.introduction.investment_summary",
        &intro.investment_summary,
    );
    errors.text("plan.introduction.model", &intro.model);
    errors.text("plan.introduction.builder", &intro.builder);
    for (i, line) in plan.funding.breakdown.iter().enumerate() {
        errors.text(&format!("plan.funding.breakdown[{i}].item"), &line.item);
        errors.text(&format!("plan.funding.breakdown[{i}].note"), &line.note);
    }
    for (i, source) in plan.funding.sources.iter().enumerate() {
        errors.text(&format!("plan.funding.sources[{i}].source"), &source.source);
    }
    errors.text("plan.content.summary", &plan.content.summary);
    for (i, task) in plan.content.tasks.iter().enumerate() {
        errors.text(&format!("plan.content.tasks[{i}].name"), &task.name);
        errors.text(
            &format!("plan.content.tasks[{i}].description"),
            &task.description,
        );
    }
    for (i, scenario) in plan.scenarios.iter().enumerate() {
        errors.text(&format!("plan.scenarios[{i}].name"), &scenario.name);
        errors.text(
            &format!("plan.scenarios[{i}].description"),
            &scenario.description,
        );
        for (k, kpi) in scenario.kpis.iter().enumerate() {
            let path = format!("plan.scenarios[{i}].kpis[{k}]");
            errors.text(&format!("{path}.name"), &kpi.name);
            errors.text(&format!("{path}.unit"), &kpi.unit);
            for (key, value) in [("baseline", kpi.baseline), ("target", kpi.target)] {
                if value.is_some_and(|v| !v.is_finite()) {
                    errors.push(format!("{path}.{key}"), crate::msg!("field-finite-number"));
                }
            }
        }
    }
    let tech = &plan.technology;
    errors.text("plan.technology.architecture", &tech.architecture);
    errors.text("plan.technology.key_technologies", &tech.key_technologies);
    errors.text("plan.technology.innovations", &tech.innovations);
    let op = &plan.operation;
    errors.text("plan.operation.operator", &op.operator);
    errors.text("plan.operation.model", &op.model);
    errors.text("plan.operation.self_funding", &op.self_funding);
    let benefits = &plan.benefits;
    errors.text("plan.benefits.economic", &benefits.economic);
    errors.text("plan.benefits.social", &benefits.social);
    errors.text(
        "plan.benefits.sme_cost_reduction",
        &benefits.sme_cost_reduction,
    );
    validate_schedule(&plan.schedule, errors);
}

/// The dates must tell one story: start ≤ every milestone ≤ end, milestones in non-decreasing order.
fn validate_schedule(schedule: &PlanSchedule, errors: &mut Errors) {
    if let (Some(start), Some(end)) = (schedule.start, schedule.end) {
        if end < start {
            errors.push(
                "plan.schedule.end",
                crate::msg!("field-end-before-start", start = start),
            );
        }
    }
    let mut latest: Option<(usize, NaiveDate)> = None;
    for (i, milestone) in schedule.milestones.iter().enumerate() {
        errors.text(
            &format!("plan.schedule.milestones[{i}].name"),
            &milestone.name,
        );
        let Some(due) = milestone.due else { continue };
        let field = format!("plan.schedule.milestones[{i}].due");
        if let Some(start) = schedule.start.filter(|start| due < *start) {
            errors.push(&field, crate::msg!("field-due-before-start", start = start));
        }
        if let Some(end) = schedule.end.filter(|end| due > *end) {
            errors.push(&field, crate::msg!("field-due-after-end", end = end));
        }
        match latest {
            Some((j, before)) if due < before => {
                errors.push(
                    &field,
                    crate::msg!("field-milestone-out-of-order", index = j, before = before),
                );
            }
            _ => latest = Some((i, due)),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Reference data for tests: districts 500105 and 500000LJ, clusters `light_textile` and `auto`,
    /// classes 26 / 268 / 2683 and 39 / 391 / 3911.
    pub(in super::super) struct Refs;

    impl ReferenceLookup for Refs {
        fn district_exists(&self, code: &str) -> bool {
            matches!(code, "500105" | "500000LJ")
        }
        fn cluster_exists(&self, code: &str) -> bool {
            matches!(code, "light_textile" | "auto")
        }
        fn industry_class_parent(&self, code: &str) -> Option<Option<String>> {
            match code {
                "26" | "39" => Some(None),
                "268" => Some(Some("26".into())),
                "2683" => Some(Some("268".into())),
                "391" => Some(Some("39".into())),
                "3911" => Some(Some("391".into())),
                _ => None,
            }
        }
    }

    fn s(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// A complete, valid proposal, the notice's own example (江北区, 轻纺, 26/268/2683).
    pub(in super::super) fn full_form() -> ProposalForm {
        ProposalForm {
            joint_builders: Vec::new(),
            brain_name: s("口腔清洁用品行业产业大脑"),
            district_code: s("500105"),
            cluster_code: s("light_textile"),
            industry_class: IndustryClassRef {
                major: s("26"),
                middle: s("268"),
                minor: s("2683"),
            },
            builder_organisation_id: Some(7),
            chain_leader: ChainLeader {
                name: s("重庆某某口腔护理用品有限公司"),
                scale: Money::from_hundredths(50_000_000).ok(),
                in_city_suppliers: Some(120),
                inventory_id: None,
            },
            cluster_stats: ClusterStats {
                scale: Money::from_hundredths(900_000_000).ok(),
                enterprise_count: Some(85),
                data_year: Some(2022),
            },
            construction_model: Some(ConstructionModel::ChainLeaderLed),
            contact: ProposalContact {
                name: s("周静"),
                phone: s("18996191312"),
            },
            supplier_inventory_ids: Vec::new(),
        }
    }

    /// 43 characters of Chinese text: above the default substantive threshold (30).
    pub(in super::super) const LONG: &str =
        "围绕口腔清洁用品产业链上下游企业开展数据贯通与资源整合，建设行业级工业互联网平台及应用";

    pub(in super::super) fn full_plan() -> ProposalPlan {
        let money = |h| Money::from_hundredths(h).ok();
        ProposalPlan {
            basis: s(LONG),
            introduction: PlanIntroduction {
                goal: s(LONG),
                investment_summary: s(LONG),
                model: s(LONG),
                builder: s(LONG),
            },
            funding: PlanFunding {
                total: money(300_000),
                breakdown: vec![
                    FundingItem {
                        item: s("软件开发"),
                        amount: money(200_000),
                        note: s("按人月测算"),
                    },
                    FundingItem {
                        item: s("硬件购置"),
                        amount: money(100_000),
                        note: None,
                    },
                ],
                sources: vec![
                    FundingSource {
                        source: s("企业自筹"),
                        amount: money(250_000),
                    },
                    FundingSource {
                        source: s("区县配套"),
                        amount: money(50_000),
                    },
                ],
            },
            content: PlanContent {
                summary: s(LONG),
                tasks: vec![
                    PlanTask {
                        name: s("数据中台"),
                        description: s("汇聚产业链数据"),
                    },
                    PlanTask {
                        name: s("应用开发"),
                        description: s("开发供需对接应用"),
                    },
                ],
            },
            scenarios: vec![PlanScenario {
                name: s("供应链协同"),
                description: s(LONG),
                kpis: vec![PlanKpi {
                    name: s("接入企业数"),
                    unit: s("家"),
                    baseline: Some(10.0),
                    target: Some(200.0),
                }],
            }],
            technology: PlanTechnology {
                architecture: s(LONG),
                key_technologies: s(LONG),
                innovations: s(LONG),
            },
            operation: PlanOperation {
                operator: s(LONG),
                model: s(LONG),
                self_funding: s(LONG),
            },
            benefits: PlanBenefits {
                economic: s(LONG),
                social: s(LONG),
                sme_cost_reduction: s(LONG),
            },
            schedule: PlanSchedule {
                start: date(2024, 4, 1),
                milestones: vec![
                    PlanMilestone {
                        name: s("平台上线"),
                        due: date(2024, 9, 30),
                    },
                    PlanMilestone {
                        name: s("试运行"),
                        due: date(2024, 12, 31),
                    },
                ],
                end: date(2025, 3, 31),
            },
        }
    }

    /// Each error as its field and its message's id and arguments.
    fn errors_of(form: &ProposalForm, plan: &ProposalPlan) -> Vec<(String, String)> {
        validate(form, plan, &Refs)
            .into_iter()
            .map(|e| (e.field, e.message.debug_line()))
            .collect()
    }

    fn fields_of(form: &ProposalForm, plan: &ProposalPlan) -> Vec<String> {
        errors_of(form, plan).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_full_proposal_and_an_empty_draft_are_both_valid() {
        assert_eq!(errors_of(&full_form(), &full_plan()), vec![]);
        assert_eq!(
            errors_of(&ProposalForm::default(), &ProposalPlan::default()),
            vec![]
        );
    }

    #[test]
    fn bad_form_values_are_each_reported() {
        type Case = (
            &'static str,
            fn(&mut ProposalForm),
            &'static str,
            &'static str,
        );
        let cases: [Case; 16] = [
            (
                "blank name",
                |f| f.brain_name = s("  "),
                "form.brain_name",
                "field-blank",
            ),
            (
                "unknown district",
                |f| f.district_code = s("999999"),
                "form.district_code",
                "field-unknown-district",
            ),
            (
                "blank district",
                |f| f.district_code = s(""),
                "form.district_code",
                "field-blank",
            ),
            (
                "unknown cluster",
                |f| f.cluster_code = s("nope"),
                "form.cluster_code",
                "field-unknown-cluster",
            ),
            (
                "major too long",
                |f| f.industry_class.major = s("260"),
                "form.industry_class.major",
                "field-class-digits(digits=2, level=major)",
            ),
            (
                "major not digits",
                |f| f.industry_class.major = s("2a"),
                "form.industry_class.major",
                "field-class-digits(digits=2, level=major)",
            ),
            (
                "unknown major",
                |f| {
                    f.industry_class = IndustryClassRef {
                        major: s("99"),
                        ..Default::default()
                    }
                },
                "form.industry_class.major",
                "field-unknown-class",
            ),
            (
                "middle wrong parent",
                |f| {
                    f.industry_class.major = s("39");
                    f.industry_class.minor = None;
                },
                "form.industry_class.middle",
                "level=major",
            ),
            (
                "minor wrong parent",
                |f| f.industry_class.minor = s("3911"),
                "form.industry_class.minor",
                "level=middle",
            ),
            (
                "minor without middle",
                |f| f.industry_class.middle = None,
                "form.industry_class.minor",
                "field-class-requires-level(level=middle)",
            ),
            (
                "middle without major",
                |f| {
                    f.industry_class.major = None;
                    f.industry_class.minor = None;
                },
                "form.industry_class.middle",
                "field-class-requires-level(level=major)",
            ),
            (
                "bad builder id",
                |f| f.builder_organisation_id = Some(0),
                "form.builder_organisation_id",
                "field-positive-id",
            ),
            (
                "old data year",
                |f| f.cluster_stats.data_year = Some(1999),
                "form.cluster_stats.data_year",
                "field-between(min=2000, max=2100)",
            ),
            (
                "future data year",
                |f| f.cluster_stats.data_year = Some(2101),
                "form.cluster_stats.data_year",
                "field-between(min=2000, max=2100)",
            ),
            (
                "short phone",
                |f| f.contact.phone = s("123456"),
                "form.contact.phone",
                "field-phone",
            ),
            (
                "letters in phone",
                |f| f.contact.phone = s("1899619131x"),
                "form.contact.phone",
                "field-phone",
            ),
        ];
        for (name, change, field, message) in cases {
            let mut form = full_form();
            change(&mut form);
            let errors = errors_of(&form, &full_plan());
            assert_eq!(errors.len(), 1, "case {name}: {errors:?}");
            assert_eq!(errors[0].0, field, "case {name}");
            assert!(errors[0].1.contains(message), "case {name}: {errors:?}");
        }
    }

    #[test]
    fn codes_with_stray_spaces_are_reported() {
        let mut form = full_form();
        form.district_code = s(" 500105");
        form.industry_class.minor = s("2683 ");
        assert_eq!(
            fields_of(&form, &full_plan()),
            vec!["form.district_code", "form.industry_class.minor"]
        );
    }

    #[test]
    fn phone_edges() {
        for (phone, ok) in [
            ("1234567", true),
            ("+86-189-9619-1312", true),
            ("12345678901234567890", true),
            ("123456789012345678901", false),
            ("023 63897436", false),
        ] {
            let mut form = full_form();
            form.contact.phone = s(phone);
            assert_eq!(
                errors_of(&form, &full_plan()).is_empty(),
                ok,
                "case {phone}"
            );
        }
    }

    #[test]
    fn bad_plan_values_are_each_reported() {
        type Case = (
            &'static str,
            fn(&mut ProposalPlan),
            &'static str,
            &'static str,
        );
        let cases: [Case; 10] = [
            (
                "blank basis",
                |p| p.basis = s(""),
                "plan.basis",
                "field-blank",
            ),
            (
                "blank intro",
                |p| p.introduction.builder = s(" "),
                "plan.introduction.builder",
                "field-blank",
            ),
            (
                "blank item",
                |p| p.funding.breakdown[1].item = s(""),
                "plan.funding.breakdown[1].item",
                "field-blank",
            ),
            (
                "blank kpi unit",
                |p| p.scenarios[0].kpis[0].unit = s(""),
                "plan.scenarios[0].kpis[0].unit",
                "field-blank",
            ),
            (
                "nan kpi",
                |p| p.scenarios[0].kpis[0].target = Some(f64::NAN),
                "plan.scenarios[0].kpis[0].target",
                "field-finite-number",
            ),
            (
                "blank sme",
                |p| p.benefits.sme_cost_reduction = s("\t"),
                "plan.benefits.sme_cost_reduction",
                "field-blank",
            ),
            (
                "end before start",
                |p| {
                    p.schedule.end = date(2024, 3, 1);
                    p.schedule.milestones.clear();
                },
                "plan.schedule.end",
                "field-end-before-start",
            ),
            (
                "milestone before start",
                |p| p.schedule.milestones[0].due = date(2024, 1, 1),
                "plan.schedule.milestones[0].due",
                "field-due-before-start",
            ),
            (
                "milestone after end",
                |p| p.schedule.milestones[1].due = date(2026, 1, 1),
                "plan.schedule.milestones[1].due",
                "field-due-after-end",
            ),
            (
                "milestones out of order",
                |p| p.schedule.milestones[1].due = date(2024, 6, 1),
                "plan.schedule.milestones[1].due",
                "field-milestone-out-of-order",
            ),
        ];
        for (name, change, field, message) in cases {
            let mut plan = full_plan();
            change(&mut plan);
            let errors = errors_of(&full_form(), &plan);
            assert_eq!(errors.len(), 1, "case {name}: {errors:?}");
            assert_eq!(errors[0].0, field, "case {name}");
            assert!(errors[0].1.contains(message), "case {name}: {errors:?}");
        }
    }

    #[test]
    fn a_funding_mismatch_is_not_an_error() {
        let mut plan = full_plan();
        plan.funding.total = Money::from_hundredths(1).ok();
        assert_eq!(errors_of(&full_form(), &plan), vec![]);
    }

    #[test]
    fn every_error_is_reported_not_just_the_first() {
        let mut form = full_form();
        form.brain_name = s("");
        form.district_code = s("x");
        form.contact.phone = s("abc");
        let mut plan = full_plan();
        plan.schedule.milestones.push(PlanMilestone {
            name: s(""),
            due: date(2030, 1, 1),
        });
        assert_eq!(
            fields_of(&form, &plan),
            vec![
                "form.brain_name",
                "form.district_code",
                "form.contact.phone",
                "plan.schedule.milestones[2].name",
                "plan.schedule.milestones[2].due",
            ]
        );
    }

    #[test]
    fn unknown_fields_are_refused_and_drafts_may_be_partial() {
        let unknown = serde_json::from_str::<ProposalForm>(r#"{"brain_nam": "x"}"#);
        assert!(unknown.is_err());
        let nested = serde_json::from_str::<ProposalPlan>(r#"{"funding": {"totl": 1}}"#);
        assert!(nested.is_err());
        let partial = serde_json::from_str::<ProposalPlan>(
            r#"{"funding": {"total": 12.5}, "schedule": {"start": "2024-04-01"}}"#,
        );
        assert_eq!(
            partial
                .ok()
                .and_then(|p| p.funding.total)
                .map(Money::hundredths),
            Some(1250)
        );
    }

    #[test]
    fn negative_money_is_a_readable_deserialisation_error() {
        let err = serde_json::from_str::<ProposalForm>(r#"{"chain_leader": {"scale": -5}}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("must not be negative"), "{err}");
    }

    #[test]
    fn construction_model_is_snake_case() {
        let json = serde_json::to_string(&ConstructionModel::ChainLeaderLed).unwrap_or_default();
        assert_eq!(json, "\"chain_leader_led\"");
    }
}
