//! Plan completeness, 方案完整性: how fully a proposal answers annex 1 (the intention form) and annex 2
//! (the plan outline) of the notice.
//!
//! A draft may be incomplete; this score says how incomplete, part by part, so that a builder knows
//! what to add and the panel sees why one plan outranks another. It never looks at reference data: a
//! malformed value is `super::proposal::validate`'s business.
//!
//! # Rubric (defaults; every maximum and threshold is a [`CompletenessParams`] field)
//!
//! Each part is made of checks with weights. A check earns all its weight, half of it, or nothing; the
//! part earns `max × earned / possible`, rounded half up to a hundredth of a point. "Text" below means a
//! string graded by length: full when it has at least `min_text_chars` (30) non-whitespace characters
//! — characters, not bytes, because the plans are written in Chinese — half when shorter, nothing
//! when absent or blank.
//!
//! | key | max | rule |
//! |---|---:|---|
//! | `brain_name` | 2 | 意向建设的行业产业大脑名称 given |
//! | `district` | 2 | 所属区县 given |
//! | `cluster` | 2 | 所属产业集群 given |
//! | `industry_class` | 4 | 大类 (weight 1), 中类 (1), 小类 (2) given |
//! | `builder` | 2 | 意向建设单位 given |
//! | `chain_leader` | 6 | 链主 name (1), scale (1), in-city suppliers (1) given |
//! | `cluster_stats` | 6 | cluster scale (1), enterprise count (1), data year (1: full when it is `data_year` = 2022, half for another year) |
//! | `construction_model` | 2 | 建设模式 given |
//! | `contact` | 4 | contact name (1), phone (1) given |
//! | `basis` | 5 | 建设基础 text |
//! | `introduction` | 4 | goal, investment, model, builder: text (1 each) |
//! | `funding_total` | 3 | total investment given and above 0 |
//! | `funding_breakdown` | 8 | items (1: full when every item has a name and an amount, half when only some do); sum (1: full when the amounts sum exactly to the total) |
//! | `funding_sources` | 4 | sources (1: as for items); sum (1: sources sum exactly to the total) |
//! | `content` | 8 | summary text (1); tasks (1: full with at least `min_tasks` = 2 tasks having a name and a description, half with one) |
//! | `scenarios` | 4 | best scenario with a name: its description as text |
//! | `kpis` | 8 | best KPI: full with name, unit, baseline and target; half with name and target only |
//! | `technology` | 6 | architecture, key technologies, innovations: text (1 each) |
//! | `operation` | 8 | operator (1), model (1), self-funding 自我造血 (2): text |
//! | `benefits` | 6 | economic, social, SME cost reduction 降低中小企业成本: text (1 each) |
//! | `schedule` | 6 | dates (1: full with start ≤ end, half with only one of them, none when end < start); milestones (1: full when every milestone has a name and a due date, in order and within start..end; half when some have a due date but not all of this holds) |
//!
//! The form's parts total 30 points and the plan's 70.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::money::Money;
use super::proposal::{PlanSchedule, ProposalForm, ProposalPlan, MAX_DATA_YEAR, MIN_DATA_YEAR};
use super::score::{check_total, Score, ScorePart};
use super::FieldError;

/// The constants of the completeness rubric, per round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CompletenessParams {
    /// Non-whitespace characters (not bytes) a text needs to count as substantive; default 30, about
    /// one full Chinese sentence.
    pub min_text_chars: u32,
    /// Complete tasks needed for full marks on the task breakdown (任务分解); default 2, since a
    /// single task is no breakdown.
    pub min_tasks: u32,
    /// The year the form's figures must be from; default 2022, as the notice asks.
    pub data_year: i32,
    /// The maximum of each part, in hundredths of a point; they must sum to 10000.
    pub weights: CompletenessWeights,
}

impl Default for CompletenessParams {
    fn default() -> Self {
        Self {
            min_text_chars: 30,
            min_tasks: 2,
            data_year: 2022,
            weights: CompletenessWeights::default(),
        }
    }
}

/// Maximum of each completeness part, in hundredths of a point; field names are the part keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CompletenessWeights {
    pub brain_name: i64,
    pub district: i64,
    pub cluster: i64,
    pub industry_class: i64,
    pub builder: i64,
    pub chain_leader: i64,
    pub cluster_stats: i64,
    pub construction_model: i64,
    pub contact: i64,
    pub basis: i64,
    pub introduction: i64,
    pub funding_total: i64,
    pub funding_breakdown: i64,
    pub funding_sources: i64,
    pub content: i64,
    pub scenarios: i64,
    pub kpis: i64,
    pub technology: i64,
    pub operation: i64,
    pub benefits: i64,
    pub schedule: i64,
}

impl Default for CompletenessWeights {
    /// The rubric in the module documentation: form 30 points, plan 70.
    fn default() -> Self {
        Self {
            brain_name: 200,
            district: 200,
            cluster: 200,
            industry_class: 400,
            builder: 200,
            chain_leader: 600,
            cluster_stats: 600,
            construction_model: 200,
            contact: 400,
            basis: 500,
            introduction: 400,
            funding_total: 300,
            funding_breakdown: 800,
            funding_sources: 400,
            content: 800,
            scenarios: 400,
            kpis: 800,
            technology: 600,
            operation: 800,
            benefits: 600,
            schedule: 600,
        }
    }
}

impl CompletenessWeights {
    /// Every part's key and maximum, in score order.
    pub fn entries(&self) -> [(&'static str, i64); 21] {
        [
            ("brain_name", self.brain_name),
            ("district", self.district),
            ("cluster", self.cluster),
            ("industry_class", self.industry_class),
            ("builder", self.builder),
            ("chain_leader", self.chain_leader),
            ("cluster_stats", self.cluster_stats),
            ("construction_model", self.construction_model),
            ("contact", self.contact),
            ("basis", self.basis),
            ("introduction", self.introduction),
            ("funding_total", self.funding_total),
            ("funding_breakdown", self.funding_breakdown),
            ("funding_sources", self.funding_sources),
            ("content", self.content),
            ("scenarios", self.scenarios),
            ("kpis", self.kpis),
            ("technology", self.technology),
            ("operation", self.operation),
            ("benefits", self.benefits),
            ("schedule", self.schedule),
        ]
    }
}

impl CompletenessParams {
    /// Every inconsistency, under paths relative to these parameters.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.min_text_chars == 0 {
            errors.push(FieldError::new(
                "min_text_chars",
                crate::msg!("field-at-least", min = 1),
            ));
        }
        if self.min_tasks == 0 {
            errors.push(FieldError::new(
                "min_tasks",
                crate::msg!("field-at-least", min = 1),
            ));
        }
        if !(MIN_DATA_YEAR..=MAX_DATA_YEAR).contains(&self.data_year) {
            errors.push(FieldError::new(
                "data_year",
                crate::msg!("field-between", min = MIN_DATA_YEAR, max = MAX_DATA_YEAR),
            ));
        }
        let names: Vec<(String, i64)> = self
            .weights
            .entries()
            .iter()
            .map(|(key, value)| (format!("weights.{key}"), *value))
            .collect();
        let maxima: Vec<(&str, i64)> = names.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        check_total(&mut errors, "weights", &maxima);
        errors
    }
}

/// Scores how complete a proposal is, 0–100 points in hundredths; see the rubric in the module doc.
/// Pure and deterministic: the same proposal and parameters always give the same score.
pub fn completeness(
    form: &ProposalForm,
    plan: &ProposalPlan,
    params: &CompletenessParams,
) -> Score {
    let w = &params.weights;
    let min = params.min_text_chars;
    let mut parts = Vec::with_capacity(21);

    let mut t = Tally::default();
    t.given(
        1,
        "brain name (行业产业大脑名称)",
        has_text(&form.brain_name),
    );
    parts.push(t.part(
        "brain_name",
        "Brain name (意向建设的行业产业大脑名称)",
        w.brain_name,
    ));

    let mut t = Tally::default();
    t.given(1, "district (所属区县)", has_text(&form.district_code));
    parts.push(t.part("district", "District (所属区县)", w.district));

    let mut t = Tally::default();
    t.given(1, "cluster (所属产业集群)", has_text(&form.cluster_code));
    parts.push(t.part("cluster", "Cluster (所属产业集群)", w.cluster));

    let class = &form.industry_class;
    let mut t = Tally::default();
    t.given(1, "major class (大类)", has_text(&class.major));
    t.given(1, "middle class (中类)", has_text(&class.middle));
    t.given(2, "minor class (小类)", has_text(&class.minor));
    parts.push(t.part(
        "industry_class",
        "Industry class (所属行业类别)",
        w.industry_class,
    ));

    let mut t = Tally::default();
    t.given(
        1,
        "builder (意向建设单位)",
        form.builder_organisation_id.is_some(),
    );
    parts.push(t.part("builder", "Intended builder (意向建设单位)", w.builder));

    let leader = &form.chain_leader;
    let mut t = Tally::default();
    t.given(1, "chain-leader name", has_text(&leader.name));
    t.given(
        1,
        "chain-leader scale (链主企业规模)",
        leader.scale.is_some(),
    );
    t.given(
        1,
        "in-city suppliers (市内供应商数量)",
        leader.in_city_suppliers.is_some(),
    );
    parts.push(t.part(
        "chain_leader",
        "Chain-leader enterprise (链主企业)",
        w.chain_leader,
    ));

    let stats = &form.cluster_stats;
    let mut t = Tally::default();
    t.given(1, "cluster scale (产业集群规模)", stats.scale.is_some());
    t.given(
        1,
        "cluster enterprise count (产业集群企业数量)",
        stats.enterprise_count.is_some(),
    );
    match stats.data_year {
        None => t.add(1, 0, "data year missing".into()),
        Some(year) if year == params.data_year => t.add(1, 2, String::new()),
        Some(year) => t.add(
            1,
            1,
            format!(
                "data year is {year}, the notice asks for {}",
                params.data_year
            ),
        ),
    }
    parts.push(t.part(
        "cluster_stats",
        "Industrial cluster (产业集群情况)",
        w.cluster_stats,
    ));

    let mut t = Tally::default();
    t.given(
        1,
        "construction model (建设模式)",
        form.construction_model.is_some(),
    );
    parts.push(t.part(
        "construction_model",
        "Construction model (建设模式)",
        w.construction_model,
    ));

    let mut t = Tally::default();
    t.given(1, "contact name (联系人)", has_text(&form.contact.name));
    t.given(1, "contact phone (手机号码)", has_text(&form.contact.phone));
    parts.push(t.part("contact", "Contact (联系人)", w.contact));

    let mut t = Tally::default();
    t.text(1, "basis (建设基础)", &plan.basis, min);
    parts.push(t.part("basis", "Construction basis (建设基础)", w.basis));

    let intro = &plan.introduction;
    let mut t = Tally::default();
    t.text(1, "goal (项目目标)", &intro.goal, min);
    t.text(1, "investment (投资)", &intro.investment_summary, min);
    t.text(1, "model (建设模式)", &intro.model, min);
    t.text(1, "builder (建设主体)", &intro.builder, min);
    parts.push(t.part(
        "introduction",
        "Project introduction (项目简介)",
        w.introduction,
    ));

    let total = plan.funding.total;
    let mut t = Tally::default();
    match total {
        None => t.add(1, 0, "total investment missing".into()),
        Some(m) if m.hundredths() == 0 => t.add(1, 0, "total investment is 0".into()),
        Some(_) => t.add(1, 2, String::new()),
    }
    parts.push(t.part(
        "funding_total",
        "Total investment (经费支出概算)",
        w.funding_total,
    ));

    let lines: Vec<(bool, Option<Money>)> = plan
        .funding
        .breakdown
        .iter()
        .map(|l| (has_text(&l.item), l.amount))
        .collect();
    let mut t = Tally::default();
    t.itemised(&lines, "breakdown (投资估算)", total);
    parts.push(t.part(
        "funding_breakdown",
        "Investment breakdown (投资估算)",
        w.funding_breakdown,
    ));

    let lines: Vec<(bool, Option<Money>)> = plan
        .funding
        .sources
        .iter()
        .map(|s| (has_text(&s.source), s.amount))
        .collect();
    let mut t = Tally::default();
    t.itemised(&lines, "sources (经费来源)", total);
    parts.push(t.part(
        "funding_sources",
        "Funding sources (经费来源)",
        w.funding_sources,
    ));

    let mut t = Tally::default();
    t.text(1, "content summary (建设内容)", &plan.content.summary, min);
    let complete_tasks = plan
        .content
        .tasks
        .iter()
        .filter(|task| has_text(&task.name) && has_text(&task.description))
        .count();
    let min_tasks = usize::try_from(params.min_tasks).unwrap_or(usize::MAX);
    match complete_tasks {
        0 => t.add(
            1,
            0,
            "no task with a name and a description (任务分解)".into(),
        ),
        n if n >= min_tasks => t.add(1, 2, String::new()),
        n => t.add(
            1,
            1,
            format!(
                "{n} complete task(s), {} wanted (任务分解)",
                params.min_tasks
            ),
        ),
    }
    parts.push(t.part("content", "Construction content (建设内容)", w.content));

    let mut t = Tally::default();
    let best_scenario = plan
        .scenarios
        .iter()
        .filter(|s| has_text(&s.name))
        .map(|s| text_grade(&s.description, min))
        .max();
    match best_scenario {
        None => t.add(1, 0, "no named scenario (应用场景)".into()),
        Some(2) => t.add(1, 2, String::new()),
        Some(grade) => t.add(
            1,
            grade,
            format!("no scenario has a description of {min} characters or more"),
        ),
    }
    parts.push(t.part("scenarios", "Application scenarios (应用场景)", w.scenarios));

    let mut t = Tally::default();
    let best_kpi = plan
        .scenarios
        .iter()
        .flat_map(|s| s.kpis.iter())
        .map(|k| {
            let named = has_text(&k.name) && k.target.is_some();
            match (named, has_text(&k.unit) && k.baseline.is_some()) {
                (true, true) => 2,
                (true, false) => 1,
                (false, _) => 0,
            }
        })
        .max();
    match best_kpi {
        Some(2) => t.add(1, 2, String::new()),
        Some(1) => t.add(1, 1, "no KPI has both a unit and a baseline".into()),
        _ => t.add(1, 0, "no KPI with a name and a target (考核指标)".into()),
    }
    parts.push(t.part("kpis", "Quantified KPIs (考核指标)", w.kpis));

    let tech = &plan.technology;
    let mut t = Tally::default();
    t.text(1, "architecture (整体架构)", &tech.architecture, min);
    t.text(
        1,
        "key technologies (关键技术)",
        &tech.key_technologies,
        min,
    );
    t.text(1, "innovations (创新点)", &tech.innovations, min);
    parts.push(t.part(
        "technology",
        "Technical support (技术支撑方案)",
        w.technology,
    ));

    let op = &plan.operation;
    let mut t = Tally::default();
    t.text(1, "operator (运营单位)", &op.operator, min);
    t.text(1, "operation model (运营模式)", &op.model, min);
    t.text(2, "self-funding (自我造血)", &op.self_funding, min);
    parts.push(t.part("operation", "Operation model (运营模式)", w.operation));

    let benefits = &plan.benefits;
    let mut t = Tally::default();
    t.text(1, "economic benefit (经济收益)", &benefits.economic, min);
    t.text(1, "social benefit (社会效益)", &benefits.social, min);
    t.text(
        1,
        "SME cost reduction (降低中小企业成本)",
        &benefits.sme_cost_reduction,
        min,
    );
    parts.push(t.part(
        "benefits",
        "Economic and social benefits (经济及社会效益)",
        w.benefits,
    ));

    let mut t = Tally::default();
    schedule_checks(&plan.schedule, &mut t);
    parts.push(t.part("schedule", "Construction schedule (建设计划)", w.schedule));

    Score::from_parts(parts)
}

/// Counts "half-units": each check of weight `w` can earn 0, `w` or `2w` of `2w`.
#[derive(Default)]
struct Tally {
    earned: i64,
    possible: i64,
    lost: Vec<String>,
}

impl Tally {
    /// A check of `weight` earning `halves` (0, 1 or 2) halves of it; `why` explains a loss.
    fn add(&mut self, weight: i64, halves: i64, why: String) {
        self.earned += weight * halves.clamp(0, 2);
        self.possible += weight * 2;
        if halves < 2 && !why.is_empty() {
            self.lost.push(why);
        }
    }

    fn given(&mut self, weight: i64, what: &str, present: bool) {
        let halves = if present { 2 } else { 0 };
        self.add(weight, halves, format!("{what} missing"));
    }

    fn text(&mut self, weight: i64, what: &str, value: &Option<String>, min: u32) {
        let grade = text_grade(value, min);
        let why = if grade == 0 {
            format!("{what} missing")
        } else {
            format!("{what} shorter than {min} characters")
        };
        self.add(weight, grade, why);
    }

    /// Breakdown lines or funding sources: that they are there and complete, and that they add up.
    fn itemised(&mut self, lines: &[(bool, Option<Money>)], what: &str, total: Option<Money>) {
        let complete = lines
            .iter()
            .filter(|(named, amount)| *named && amount.is_some())
            .count();
        match (lines.len(), complete) {
            (0, _) => self.add(1, 0, format!("no {what}")),
            (_, 0) => self.add(
                1,
                0,
                format!("no {what} line has both a name and an amount"),
            ),
            (n, c) if c < n => self.add(
                1,
                1,
                format!("{} of {n} {what} lines lack a name or an amount", n - c),
            ),
            _ => self.add(1, 2, String::new()),
        }
        let amounts: Option<Vec<Money>> = lines.iter().map(|(_, amount)| *amount).collect();
        match (total, amounts) {
            (_, _) if lines.is_empty() => self.add(1, 0, String::new()),
            (None, _) => self.add(1, 0, format!("{what} cannot be checked: no total")),
            (Some(_), None) => self.add(1, 0, format!("some {what} lines have no amount")),
            (Some(total), Some(amounts)) => {
                let sum = amounts
                    .iter()
                    .map(|m| m.hundredths())
                    .fold(0_i64, i64::saturating_add);
                if sum == total.hundredths() {
                    self.add(1, 2, String::new());
                } else {
                    let sum_text = Money::from_hundredths(sum)
                        .map_or_else(|_| "more than the maximum".to_owned(), |m| m.to_string());
                    self.add(
                        1,
                        0,
                        format!("{what} sum to {sum_text} 万元, the total is {total} 万元"),
                    );
                }
            }
        }
    }

    fn part(self, key: &str, label: &str, max: i64) -> ScorePart {
        ScorePart::fraction(
            key,
            label,
            max,
            self.earned,
            self.possible,
            self.lost.join("; "),
        )
    }
}

/// The schedule's dates must hold together for full marks (see the rubric).
fn schedule_checks(schedule: &PlanSchedule, t: &mut Tally) {
    match (schedule.start, schedule.end) {
        (Some(start), Some(end)) if end < start => {
            t.add(1, 0, format!("end {end} is before start {start}"));
        }
        (Some(_), Some(_)) => t.add(1, 2, String::new()),
        (Some(_), None) => t.add(1, 1, "expected completion (预计完成时间) missing".into()),
        (None, Some(_)) => t.add(1, 1, "start (开工时间) missing".into()),
        (None, None) => t.add(1, 0, "start and end missing".into()),
    }
    let dated = schedule
        .milestones
        .iter()
        .filter(|m| m.due.is_some())
        .count();
    if dated == 0 {
        t.add(1, 0, "no milestone with a due date".into());
        return;
    }
    let mut problems = Vec::new();
    if dated < schedule.milestones.len() {
        problems.push("some milestones have no due date");
    }
    if schedule.milestones.iter().any(|m| !has_text(&m.name)) {
        problems.push("some milestones have no name");
    }
    let dues: Vec<_> = schedule.milestones.iter().filter_map(|m| m.due).collect();
    if dues.windows(2).any(|pair| pair[1] < pair[0]) {
        problems.push("milestones are out of date order");
    }
    let outside = dues.iter().any(|due| {
        schedule.start.is_some_and(|start| *due < start)
            || schedule.end.is_some_and(|end| *due > end)
    });
    if outside {
        problems.push("milestones fall outside start..end");
    }
    if problems.is_empty() {
        t.add(1, 2, String::new());
    } else {
        t.add(1, 1, problems.join(", "));
    }
}

fn has_text(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.trim().is_empty())
}

/// 2 when substantive, 1 when present but short, 0 when absent or blank.
fn text_grade(value: &Option<String>, min: u32) -> i64 {
    let Some(value) = value.as_deref() else {
        return 0;
    };
    let chars = value.chars().filter(|c| !c.is_whitespace()).count();
    if chars == 0 {
        0
    } else if chars >= usize::try_from(min).unwrap_or(usize::MAX) {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::super::proposal::tests::{full_form, full_plan, LONG};
    use super::super::proposal::{
        ChainLeader, ClusterStats, ConstructionModel, FundingItem, FundingSource, IndustryClassRef,
        PlanKpi, PlanMilestone, PlanScenario, PlanTask, ProposalContact,
    };
    use super::super::score::tests::{assert_consistent, partition};
    use super::super::score::FULL_MARKS;
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn s(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn money(h: i64) -> Option<Money> {
        Money::from_hundredths(h).ok()
    }

    fn score_of(form: &ProposalForm, plan: &ProposalPlan) -> Score {
        completeness(form, plan, &CompletenessParams::default())
    }

    #[test]
    fn default_weights_follow_the_rubric() {
        let weights = CompletenessWeights::default();
        let entries = weights.entries();
        let form: i64 = entries[..9].iter().map(|(_, v)| v).sum();
        let plan: i64 = entries[9..].iter().map(|(_, v)| v).sum();
        assert_eq!((form, plan), (3000, 7000));
        assert_eq!(CompletenessParams::default().validate(), vec![]);
    }

    #[test]
    fn a_full_proposal_has_full_marks_in_every_part() {
        let score = score_of(&full_form(), &full_plan());
        let lost: Vec<_> = score.parts.iter().filter(|p| p.points != p.max).collect();
        assert_eq!(lost, Vec::<&ScorePart>::new());
        assert_eq!(score.total, FULL_MARKS);
        let keys: Vec<&str> = score.parts.iter().map(|p| p.key.as_str()).collect();
        let want: Vec<&str> = CompletenessWeights::default()
            .entries()
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(keys, want);
    }

    #[test]
    fn an_empty_draft_scores_zero_in_every_part() {
        let score = score_of(&ProposalForm::default(), &ProposalPlan::default());
        let earned: Vec<_> = score.parts.iter().filter(|p| p.points != 0).collect();
        assert_eq!(earned, Vec::<&ScorePart>::new());
        assert_eq!(score.total, 0);
        assert!(score.parts.iter().all(|p| p.reason != "full marks"));
    }

    type FormCase = (
        &'static str,
        fn(&mut ProposalForm),
        &'static [(&'static str, i64)],
    );
    type PlanCase = (
        &'static str,
        fn(&mut ProposalPlan),
        &'static [(&'static str, i64)],
    );

    /// Applies each change to a full proposal and checks the listed parts' points; every other part
    /// must keep full marks, so each case shows it touches only what it names.
    fn check_cases(form_cases: &[FormCase], plan_cases: &[PlanCase]) {
        let run = |name: &str, form: ProposalForm, plan: ProposalPlan, want: &[(&str, i64)]| {
            let score = score_of(&form, &plan);
            for part in &score.parts {
                let expected = want
                    .iter()
                    .find(|(key, _)| *key == part.key)
                    .map_or(part.max, |(_, points)| *points);
                assert_eq!(
                    part.points, expected,
                    "case {name}, part {}: {part:?}",
                    part.key
                );
                if part.points < part.max {
                    assert_ne!(part.reason, "full marks", "case {name}");
                }
            }
        };
        for (name, change, want) in form_cases {
            let mut form = full_form();
            change(&mut form);
            run(name, form, full_plan(), want);
        }
        for (name, change, want) in plan_cases {
            let mut plan = full_plan();
            change(&mut plan);
            run(name, full_form(), plan, want);
        }
    }

    #[test]
    fn form_parts_zero_and_partial() {
        let cases: &[FormCase] = &[
            (
                "no brain name",
                |f| f.brain_name = None,
                &[("brain_name", 0)],
            ),
            (
                "blank brain name",
                |f| f.brain_name = s(" "),
                &[("brain_name", 0)],
            ),
            (
                "no district",
                |f| f.district_code = None,
                &[("district", 0)],
            ),
            ("no cluster", |f| f.cluster_code = s(""), &[("cluster", 0)]),
            (
                "no minor class",
                |f| f.industry_class.minor = None,
                &[("industry_class", 200)],
            ),
            (
                "major only",
                |f| {
                    f.industry_class.middle = None;
                    f.industry_class.minor = None
                },
                &[("industry_class", 100)],
            ),
            (
                "no class",
                |f| f.industry_class = IndustryClassRef::default(),
                &[("industry_class", 0)],
            ),
            (
                "no builder",
                |f| f.builder_organisation_id = None,
                &[("builder", 0)],
            ),
            (
                "no leader scale",
                |f| f.chain_leader.scale = None,
                &[("chain_leader", 400)],
            ),
            (
                "leader name only",
                |f| {
                    f.chain_leader = ChainLeader {
                        name: s("某公司"),
                        ..Default::default()
                    }
                },
                &[("chain_leader", 200)],
            ),
            (
                "no leader",
                |f| f.chain_leader = ChainLeader::default(),
                &[("chain_leader", 0)],
            ),
            (
                "data year 2023",
                |f| f.cluster_stats.data_year = Some(2023),
                &[("cluster_stats", 500)],
            ),
            (
                "no data year",
                |f| f.cluster_stats.data_year = None,
                &[("cluster_stats", 400)],
            ),
            (
                "no cluster stats",
                |f| f.cluster_stats = ClusterStats::default(),
                &[("cluster_stats", 0)],
            ),
            (
                "no model",
                |f| f.construction_model = None,
                &[("construction_model", 0)],
            ),
            ("no phone", |f| f.contact.phone = None, &[("contact", 200)]),
            (
                "no contact",
                |f| f.contact = ProposalContact::default(),
                &[("contact", 0)],
            ),
        ];
        check_cases(cases, &[]);
    }

    #[test]
    fn plan_parts_zero_and_partial() {
        let cases: &[PlanCase] = &[
            ("short basis", |p| p.basis = s("有基础"), &[("basis", 250)]),
            ("no basis", |p| p.basis = None, &[("basis", 0)]),
            (
                "short goal",
                |p| p.introduction.goal = s("目标"),
                &[("introduction", 350)],
            ),
            (
                "no goal",
                |p| p.introduction.goal = None,
                &[("introduction", 300)],
            ),
            (
                "no intro",
                |p| p.introduction = Default::default(),
                &[("introduction", 0)],
            ),
            (
                "zero total",
                |p| p.funding.total = money(0),
                &[
                    ("funding_total", 0),
                    ("funding_breakdown", 400),
                    ("funding_sources", 200),
                ],
            ),
            (
                "no total",
                |p| p.funding.total = None,
                &[
                    ("funding_total", 0),
                    ("funding_breakdown", 400),
                    ("funding_sources", 200),
                ],
            ),
            (
                "breakdown off by 0.01",
                |p| p.funding.breakdown[1].amount = money(99_999),
                &[("funding_breakdown", 400)],
            ),
            (
                "breakdown line without amount",
                |p| p.funding.breakdown[1].amount = None,
                &[("funding_breakdown", 200)],
            ),
            (
                "breakdown line without name",
                |p| p.funding.breakdown[1].item = None,
                &[("funding_breakdown", 600)],
            ),
            (
                "no complete breakdown line",
                |p| {
                    p.funding.breakdown = vec![FundingItem {
                        item: s("x"),
                        amount: None,
                        note: None,
                    }]
                },
                &[("funding_breakdown", 0)],
            ),
            (
                "no breakdown",
                |p| p.funding.breakdown.clear(),
                &[("funding_breakdown", 0)],
            ),
            (
                "sources short of total",
                |p| p.funding.sources.truncate(1),
                &[("funding_sources", 200)],
            ),
            (
                "source without name",
                |p| p.funding.sources[0].source = s(""),
                &[("funding_sources", 300)],
            ),
            (
                "no sources",
                |p| p.funding.sources.clear(),
                &[("funding_sources", 0)],
            ),
            (
                "one task",
                |p| p.content.tasks.truncate(1),
                &[("content", 600)],
            ),
            (
                "tasks without description",
                |p| {
                    p.content
                        .tasks
                        .iter_mut()
                        .for_each(|t| t.description = None)
                },
                &[("content", 400)],
            ),
            (
                "short summary",
                |p| p.content.summary = s("建设平台"),
                &[("content", 600)],
            ),
            (
                "no content",
                |p| p.content = Default::default(),
                &[("content", 0)],
            ),
            (
                "short scenario",
                |p| p.scenarios[0].description = s("协同"),
                &[("scenarios", 200)],
            ),
            (
                "unnamed scenario",
                |p| p.scenarios[0].name = None,
                &[("scenarios", 0)],
            ),
            (
                "no baseline",
                |p| p.scenarios[0].kpis[0].baseline = None,
                &[("kpis", 400)],
            ),
            (
                "no unit",
                |p| p.scenarios[0].kpis[0].unit = None,
                &[("kpis", 400)],
            ),
            (
                "no target",
                |p| p.scenarios[0].kpis[0].target = None,
                &[("kpis", 0)],
            ),
            (
                "no scenarios",
                |p| p.scenarios.clear(),
                &[("scenarios", 0), ("kpis", 0)],
            ),
            (
                "no innovations",
                |p| p.technology.innovations = None,
                &[("technology", 400)],
            ),
            (
                "short architecture",
                |p| p.technology.architecture = s("云边端"),
                &[("technology", 500)],
            ),
            (
                "no technology",
                |p| p.technology = Default::default(),
                &[("technology", 0)],
            ),
            (
                "no self-funding",
                |p| p.operation.self_funding = None,
                &[("operation", 400)],
            ),
            (
                "short self-funding",
                |p| p.operation.self_funding = s("收费服务"),
                &[("operation", 600)],
            ),
            (
                "no operation",
                |p| p.operation = Default::default(),
                &[("operation", 0)],
            ),
            (
                "no SME benefit",
                |p| p.benefits.sme_cost_reduction = None,
                &[("benefits", 400)],
            ),
            (
                "no benefits",
                |p| p.benefits = Default::default(),
                &[("benefits", 0)],
            ),
            ("no end", |p| p.schedule.end = None, &[("schedule", 450)]),
            (
                "end before start",
                |p| p.schedule.end = date(2024, 3, 1),
                &[("schedule", 150)],
            ),
            (
                "milestones out of order",
                |p| p.schedule.milestones.reverse(),
                &[("schedule", 450)],
            ),
            (
                "milestone without date",
                |p| p.schedule.milestones[1].due = None,
                &[("schedule", 450)],
            ),
            (
                "milestone without name",
                |p| p.schedule.milestones[1].name = None,
                &[("schedule", 450)],
            ),
            (
                "no milestones",
                |p| p.schedule.milestones.clear(),
                &[("schedule", 300)],
            ),
            (
                "no schedule",
                |p| p.schedule = Default::default(),
                &[("schedule", 0)],
            ),
        ];
        check_cases(&[], cases);
    }

    #[test]
    fn text_length_counts_characters_not_bytes_nor_whitespace() {
        let params = CompletenessParams::default();
        let mut plan = full_plan();
        let thirty: String = LONG.chars().take(30).collect();
        assert_eq!(thirty.len(), 90, "Chinese characters are 3 bytes each");
        plan.basis = Some(thirty.clone());
        let basis = |plan: &ProposalPlan| completeness(&full_form(), plan, &params).parts[9].points;
        assert_eq!(basis(&plan), 500);
        plan.basis = Some(thirty.chars().take(29).collect());
        assert_eq!(basis(&plan), 250);
        plan.basis = Some(format!(
            "{}      \n\t",
            thirty.chars().take(29).collect::<String>()
        ));
        assert_eq!(basis(&plan), 250);
    }

    #[test]
    fn thresholds_come_from_params() {
        let mut params = CompletenessParams {
            min_text_chars: 3,
            min_tasks: 1,
            data_year: 2023,
            ..Default::default()
        };
        let mut form = full_form();
        form.cluster_stats.data_year = Some(2023);
        let mut plan = full_plan();
        plan.basis = s("有基础");
        plan.content.tasks.truncate(1);
        assert_eq!(completeness(&form, &plan, &params).total, FULL_MARKS);
        params.weights.basis = 0;
        params.weights.brain_name += 500;
        assert_eq!(params.validate(), vec![]);
        let score = completeness(&form, &plan, &params);
        assert_eq!((score.parts[0].max, score.parts[9].max), (700, 0));
    }

    #[test]
    fn reasons_say_what_is_missing() {
        let mut plan = full_plan();
        plan.funding.breakdown[1].amount = money(99_999);
        plan.operation.self_funding = None;
        plan.schedule.milestones.reverse();
        let score = score_of(&full_form(), &plan);
        let reason = |key: &str| {
            score
                .parts
                .iter()
                .find(|p| p.key == key)
                .map(|p| p.reason.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            reason("funding_breakdown"),
            "breakdown (投资估算) sum to 2999.99 万元, the total is 3000.00 万元"
        );
        assert_eq!(reason("operation"), "self-funding (自我造血) missing");
        assert_eq!(reason("schedule"), "milestones are out of date order");
        assert_eq!(reason("basis"), "full marks");
    }

    /// An empty breakdown is "no breakdown" (not a line without a name and an amount, nor a sum
    /// of nothing against the total), and loses both of its points; a plan that starts and ends on
    /// the same day, with its milestones on that day, keeps the schedule's full marks.
    #[test]
    fn empty_breakdown_and_a_one_day_schedule() {
        let part = |plan: &ProposalPlan, key: &str| {
            score_of(&full_form(), plan)
                .parts
                .into_iter()
                .find(|p| p.key == key)
                .map(|p| (p.points, p.reason))
                .unwrap_or_default()
        };
        let mut plan = full_plan();
        plan.funding.breakdown.clear();
        let (points, reason) = part(&plan, "funding_breakdown");
        assert_eq!(points, 0);
        assert_eq!(reason, "no breakdown (投资估算)");
        plan.funding.total = money(0);
        let (points, reason) = part(&plan, "funding_breakdown");
        assert_eq!((points, reason.as_str()), (0, "no breakdown (投资估算)"));

        let mut plan = full_plan();
        let day = date(2024, 9, 30);
        plan.schedule.start = day;
        plan.schedule.end = day;
        for m in &mut plan.schedule.milestones {
            m.due = day;
        }
        let max = part(&full_plan(), "schedule").0;
        assert_eq!(part(&plan, "schedule"), (max, "full marks".to_owned()));
    }

    #[test]
    fn params_are_checked() {
        let mut params = CompletenessParams {
            min_tasks: 0,
            data_year: 1990,
            ..Default::default()
        };
        params.weights.kpis = -800;
        let fields: Vec<String> = params.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["min_tasks", "data_year", "weights.kpis"]);
        params.weights.kpis = 0;
        let fields: Vec<String> = params.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["min_tasks", "data_year", "weights"]);
    }

    fn text() -> impl Strategy<Value = Option<String>> {
        prop::option::of(prop_oneof![
            Just(String::new()),
            Just("   ".to_owned()),
            "[a-z 口腔清洁用品产业大脑]{0,40}",
            Just(LONG.to_owned()),
        ])
    }

    fn amount() -> impl Strategy<Value = Option<Money>> {
        prop::option::of(prop_oneof![
            0..=5_i64,
            0..=super::super::money::MAX_HUNDREDTHS
        ])
        .prop_map(|h| h.and_then(|h| Money::from_hundredths(h).ok()))
    }

    fn day() -> impl Strategy<Value = Option<NaiveDate>> {
        prop::option::of(0..1500_i32)
            .prop_map(|d| d.and_then(|d| NaiveDate::from_num_days_from_ce_opt(738_000 + d)))
    }

    fn number() -> impl Strategy<Value = Option<f64>> {
        prop::option::of(-1e6..1e6_f64)
    }

    fn arb_form() -> impl Strategy<Value = ProposalForm> {
        (
            (text(), text(), text(), text(), text(), text()),
            prop::option::of(any::<i32>()),
            (text(), amount(), prop::option::of(any::<u32>())),
            (
                amount(),
                prop::option::of(any::<u32>()),
                prop::option::of(1990..2110_i32),
            ),
            prop::option::of(prop_oneof![
                Just(ConstructionModel::GovernmentLed),
                Just(ConstructionModel::ChainLeaderLed),
                Just(ConstructionModel::ThirdParty),
            ]),
            (text(), text()),
        )
            .prop_map(
                |(codes, builder, leader, stats, model, contact)| ProposalForm {
                    joint_builders: Vec::new(),
                    brain_name: codes.0,
                    district_code: codes.1,
                    cluster_code: codes.2,
                    industry_class: IndustryClassRef {
                        major: codes.3,
                        middle: codes.4,
                        minor: codes.5,
                    },
                    builder_organisation_id: builder,
                    chain_leader: ChainLeader {
                        name: leader.0,
                        scale: leader.1,
                        in_city_suppliers: leader.2,
                        inventory_id: None,
                    },
                    cluster_stats: ClusterStats {
                        scale: stats.0,
                        enterprise_count: stats.1,
                        data_year: stats.2,
                    },
                    construction_model: model,
                    contact: ProposalContact {
                        name: contact.0,
                        phone: contact.1,
                    },
                    supplier_inventory_ids: Vec::new(),
                },
            )
    }

    fn arb_plan() -> impl Strategy<Value = ProposalPlan> {
        let funding = (
            amount(),
            prop::collection::vec((text(), amount(), text()), 0..4),
            prop::collection::vec((text(), amount()), 0..4),
        );
        let kpi =
            (text(), text(), number(), number()).prop_map(|(name, unit, baseline, target)| {
                PlanKpi {
                    name,
                    unit,
                    baseline,
                    target,
                }
            });
        let scenario = (text(), text(), prop::collection::vec(kpi, 0..3)).prop_map(
            |(name, description, kpis)| PlanScenario {
                name,
                description,
                kpis,
            },
        );
        (
            (text(), text(), text(), text(), text()),
            funding,
            (text(), prop::collection::vec((text(), text()), 0..4)),
            prop::collection::vec(scenario, 0..3),
            (text(), text(), text(), text(), text(), text()),
            (text(), text(), text()),
            (day(), prop::collection::vec((text(), day()), 0..4), day()),
        )
            .prop_map(
                |(intro, funding, content, scenarios, tech_op, benefits, schedule)| {
                    let mut plan = ProposalPlan {
                        basis: intro.0,
                        scenarios,
                        ..Default::default()
                    };
                    plan.introduction.goal = intro.1;
                    plan.introduction.investment_summary = intro.2;
                    plan.introduction.model = intro.3;
                    plan.introduction.builder = intro.4;
                    plan.funding.total = funding.0;
                    plan.funding.breakdown = funding
                        .1
                        .into_iter()
                        .map(|(item, amount, note)| FundingItem { item, amount, note })
                        .collect();
                    plan.funding.sources = funding
                        .2
                        .into_iter()
                        .map(|(source, amount)| FundingSource { source, amount })
                        .collect();
                    plan.content.summary = content.0;
                    plan.content.tasks = content
                        .1
                        .into_iter()
                        .map(|(name, description)| PlanTask { name, description })
                        .collect();
                    plan.technology.architecture = tech_op.0;
                    plan.technology.key_technologies = tech_op.1;
                    plan.technology.innovations = tech_op.2;
                    plan.operation.operator = tech_op.3;
                    plan.operation.model = tech_op.4;
                    plan.operation.self_funding = tech_op.5;
                    plan.benefits.economic = benefits.0;
                    plan.benefits.social = benefits.1;
                    plan.benefits.sme_cost_reduction = benefits.2;
                    plan.schedule.start = schedule.0;
                    plan.schedule.milestones = schedule
                        .1
                        .into_iter()
                        .map(|(name, due)| PlanMilestone { name, due })
                        .collect();
                    plan.schedule.end = schedule.2;
                    plan
                },
            )
    }

    fn arb_params() -> impl Strategy<Value = CompletenessParams> {
        (1..80_u32, 1..5_u32, 2000..=2100_i32, partition(21)).prop_map(
            |(min_text_chars, min_tasks, data_year, w)| CompletenessParams {
                min_text_chars,
                min_tasks,
                data_year,
                weights: CompletenessWeights {
                    brain_name: w[0],
                    district: w[1],
                    cluster: w[2],
                    industry_class: w[3],
                    builder: w[4],
                    chain_leader: w[5],
                    cluster_stats: w[6],
                    construction_model: w[7],
                    contact: w[8],
                    basis: w[9],
                    introduction: w[10],
                    funding_total: w[11],
                    funding_breakdown: w[12],
                    funding_sources: w[13],
                    content: w[14],
                    scenarios: w[15],
                    kpis: w[16],
                    technology: w[17],
                    operation: w[18],
                    benefits: w[19],
                    schedule: w[20],
                },
            },
        )
    }

    proptest! {
        #[test]
        fn totals_stay_in_range_and_equal_the_sum_of_parts(
            form in arb_form(),
            plan in arb_plan(),
            params in prop_oneof![Just(CompletenessParams::default()), arb_params()],
        ) {
            prop_assert_eq!(params.validate(), vec![]);
            let score = completeness(&form, &plan, &params);
            assert_consistent(&score)?;
            prop_assert_eq!(&score, &completeness(&form, &plan, &params), "deterministic");
        }
    }
}
