//! Request and response types of the public register of plaqued brains and their annual
//! evaluations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::brains::{BrainPage as Page, BrainQuery as Query, BrainView, Confirmed, Revoked};
use crate::domain::acceptance::Evaluation;
use crate::domain::project::{EvaluationParts, Grade, PlaqueStatus};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BrainQuery {
    /// Only plaques issued in this year.
    pub year: Option<i32>,
    /// Only this district's brains.
    pub district: Option<String>,
    /// Only brains in this standing.
    pub status: Option<PlaqueStatus>,
    /// The cursor: the `next` of the previous page.
    pub after: Option<i32>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

impl From<BrainQuery> for Query {
    fn from(q: BrainQuery) -> Self {
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
pub struct EvaluationDto {
    pub id: i32,
    /// The year evaluated.
    pub year: i32,
    /// 1: the annual evaluation; 2, 3 …: re-evaluations after rectification.
    pub attempt: i32,
    pub evaluator_id: i32,
    pub parts: EvaluationParts,
    /// Hundredths of a point: the mean of the five parts.
    pub score: i64,
    pub grade: Grade,
    /// 优秀 / 良好 / 合格 / 不合格.
    pub grade_label: String,
    pub summary: String,
    pub filed_at: DateTime<Utc>,
    /// When the commission confirmed it (the register shows confirmed ones only).
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The builder's rectification plan (整改方案), when the grade was 不合格.
    pub rectification_plan: Option<String>,
    pub plan_filed_at: Option<DateTime<Utc>>,
}

impl From<Evaluation> for EvaluationDto {
    fn from(e: Evaluation) -> Self {
        Self {
            id: e.id,
            year: e.year,
            attempt: e.attempt,
            evaluator_id: e.evaluator_id,
            parts: e.parts,
            score: e.score,
            grade: e.grade,
            grade_label: e.grade.label().to_owned(),
            summary: e.summary,
            filed_at: e.filed_at,
            confirmed_at: e.confirmed.map(|c| c.1),
            rectification_plan: e.plan.as_ref().map(|p| p.0.clone()),
            plan_filed_at: e.plan.map(|p| p.1),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BrainDto {
    /// The plaque number, e.g. `CQ-HYDN-2025-001`.
    pub number: String,
    pub brain_name: String,
    pub project_id: i32,
    /// The builder (建设主体).
    pub organisation_id: i32,
    pub builder_name: String,
    pub district_code: String,
    pub year: i32,
    pub issued_on: NaiveDate,
    pub status: PlaqueStatus,
    /// Under rectification: the deadline (限期整改).
    pub rectify_until: Option<NaiveDate>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why the plaque was revoked (取消授牌).
    pub revoked_reason: Option<String>,
    /// The evaluator engaged for the annual evaluations.
    pub evaluator_id: Option<i32>,
    /// Oldest first.
    pub evaluations: Vec<EvaluationDto>,
}

impl From<BrainView> for BrainDto {
    fn from(v: BrainView) -> Self {
        let p = v.plaque;
        let (revoked_at, revoked_reason) = match p.revoked {
            Some((at, why)) => (Some(at), Some(why)),
            None => (None, None),
        };
        Self {
            number: p.number,
            brain_name: p.brain_name,
            project_id: p.project_id,
            organisation_id: p.organisation_id,
            builder_name: v.builder,
            district_code: p.district_code,
            year: p.year,
            issued_on: p.issued_on,
            status: p.status,
            rectify_until: p.rectify_until,
            revoked_at,
            revoked_reason,
            evaluator_id: p.evaluator_id,
            evaluations: v.evaluations.into_iter().map(EvaluationDto::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BrainPage {
    pub items: Vec<BrainDto>,
    /// Pass as `after` for the next page; none on the last page.
    pub next: Option<i32>,
}

impl From<Page> for BrainPage {
    fn from(p: Page) -> Self {
        Self {
            items: p.items.into_iter().map(BrainDto::from).collect(),
            next: p.next,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"evaluator_id": 11}))]
pub struct EvaluatorBody {
    pub evaluator_id: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "parts": {"operation": 5800, "data_integration": 5200, "users_served": 6000, "revenue": 5000, "kpi_attainment": 5500},
    "summary": "年度常态化评价：平台运行基本稳定，但数据汇聚不足、服务企业数下降，自我造血能力弱，评为不合格。"
}))]
pub struct EvaluationBody {
    /// Each part 0–10000 (hundredths of a point).
    pub parts: EvaluationParts,
    pub summary: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"plan": "三个月内完成数据接入扩容，新增接入企业50家，并组建专职运营团队。"}))]
pub struct PlanBody {
    /// The rectification plan (整改方案), 10–20000 characters.
    pub plan: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "限期整改期满复评仍不合格，取消授牌。"}))]
pub struct RevocationBody {
    /// Why, at least 10 characters.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedDto {
    pub evaluation: EvaluationDto,
    pub brain: BrainDto,
}

impl From<Confirmed> for ConfirmedDto {
    fn from(c: Confirmed) -> Self {
        Self {
            evaluation: c.evaluation.into(),
            brain: c.brain.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevokedDto {
    pub brain: BrainDto,
    /// The grounds the rule found (computed): a failed re-evaluation, or the deadline passed.
    pub grounds: String,
}

impl From<Revoked> for RevokedDto {
    fn from(r: Revoked) -> Self {
        Self {
            brain: r.brain.into(),
            grounds: r.grounds,
        }
    }
}
