//! Request and response types of acceptances (验收).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bids::StoredScore;
use super::brains::BrainDto;
use super::projects::ProjectDto;
use crate::app::acceptance::{AcceptanceView, Concluded, PanelSeat, Start};
use crate::domain::acceptance::{AcceptanceReport, AcceptanceSheet, Outcome};
use crate::domain::call::Criterion;
use crate::domain::conflict::ConflictKind;
use crate::domain::project::{ProjectStatus, Verdict};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawBody {
    /// How many experts to draw from the pool's unconflicted experts.
    pub n: u32,
    /// The seed, as a decimal string (a fresh one is drawn and recorded when absent).
    pub seed: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"experts": [4, 8, 12, 13], "evaluator_id": 11}))]
pub struct StartBody {
    /// The criteria the panel scores, each out of 100 points (`max_points` 10000); a default
    /// rubric when absent.
    pub rubric: Option<Vec<Criterion>>,
    /// Experts named by user id.
    #[serde(default)]
    pub experts: Vec<i32>,
    pub draw: Option<DrawBody>,
    /// The third-party evaluator (an `evaluator` bound to an organisation that is not the
    /// builder).
    pub evaluator_id: i32,
}

impl StartBody {
    /// The use case's input; a seed that is not a number is a field error.
    ///
    /// # Errors
    /// 422 naming `draw.seed`.
    pub fn into_start(self) -> crate::error::Result<Start> {
        let draw = match self.draw {
            Some(d) => {
                let seed = match d.seed {
                    Some(s) => Some(s.parse::<u64>().map_err(|_| {
                        crate::error::ApiError::field("draw.seed", crate::msg!("field-decimal-u64"))
                    })?),
                    None => None,
                };
                Some((d.n, seed))
            }
            None => None,
        };
        Ok(Start {
            rubric: self.rubric,
            experts: self.experts,
            draw,
            evaluator_id: self.evaluator_id,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "investment", "note": "本人持有建设单位合作伙伴的股份。"}))]
pub struct AcceptanceConflictBody {
    pub kind: ConflictKind,
    /// What the link is.
    pub note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"outcome": "accepted", "reason": "经专家组评审和第三方评估，约束性指标全部达成，同意通过验收。"}))]
pub struct ConclusionBody {
    pub outcome: Outcome,
    /// Why, at least 10 characters.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PanelSeatDto {
    pub expert_id: i32,
    pub username: Option<String>,
    /// `named` or `drawn`.
    pub how: String,
    /// The draw's seed (decimal), for drawn members.
    pub seed: Option<String>,
    /// The expert's declared conflicts: it is recused when any.
    pub recused: Vec<String>,
}

impl From<PanelSeat> for PanelSeatDto {
    fn from(s: PanelSeat) -> Self {
        Self {
            expert_id: s.member.expert_id,
            username: s.username,
            how: s.member.how.as_str().to_owned(),
            seed: s.member.seed.map(|x| x.to_string()),
            recused: s.recused,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SheetDto {
    pub expert_id: i32,
    pub scores: Vec<StoredScore>,
    pub submitted_at: DateTime<Utc>,
}

impl From<AcceptanceSheet> for SheetDto {
    fn from(s: AcceptanceSheet) -> Self {
        Self {
            expert_id: s.expert_id,
            scores: s.lines.into_iter().map(StoredScore::from).collect(),
            submitted_at: s.submitted_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorResult {
    pub key: String,
    /// Whether the evaluator's measurement reaches the target.
    pub met: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConclusionDto {
    pub outcome: Outcome,
    pub reason: String,
    /// Hundredths of a point.
    pub panel_score: Option<i64>,
    /// The rule as applied (computed).
    pub rule: String,
    pub decided_by: i32,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceDto {
    pub id: i32,
    pub project_id: i32,
    /// 1, then 2, 3 … for re-reviews after rectification.
    pub attempt: i32,
    pub project_status: ProjectStatus,
    pub requested_at: DateTime<Utc>,
    pub request_text: String,
    pub evaluator_id: Option<i32>,
    pub rubric: Option<Vec<Criterion>>,
    pub panel_size: usize,
    /// The commission sees every seat; a panel expert its own.
    pub panel: Vec<PanelSeatDto>,
    /// The commission sees every sheet; a panel expert its own.
    pub sheets: Vec<SheetDto>,
    pub report: Option<AcceptanceReport>,
    pub report_filed_at: Option<DateTime<Utc>>,
    pub indicator_results: Vec<IndicatorResult>,
    /// The rule applied to what is filed (the commission), or as it decided (everyone who sees
    /// the acceptance).
    pub verdict: Option<Verdict>,
    pub conclusion: Option<ConclusionDto>,
    pub version: i32,
}

impl From<AcceptanceView> for AcceptanceDto {
    fn from(v: AcceptanceView) -> Self {
        let a = v.acceptance;
        Self {
            id: a.id,
            project_id: a.project_id,
            attempt: a.attempt,
            project_status: v.project_status,
            requested_at: a.requested_at,
            request_text: a.request_text,
            evaluator_id: a.evaluator_id,
            rubric: a.rubric,
            panel_size: v.panel_size,
            panel: v.panel.into_iter().map(PanelSeatDto::from).collect(),
            sheets: v.sheets.into_iter().map(SheetDto::from).collect(),
            report: a.report,
            report_filed_at: a.report_filed_at,
            indicator_results: v
                .indicator_results
                .into_iter()
                .map(|(key, met)| IndicatorResult { key, met })
                .collect(),
            verdict: v.verdict,
            conclusion: a.conclusion.map(|c| ConclusionDto {
                outcome: c.outcome,
                reason: c.reason,
                panel_score: c.panel_score,
                rule: c.rule,
                decided_by: c.by,
                decided_at: c.at,
            }),
            version: a.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConcludedDto {
    pub acceptance: AcceptanceDto,
    pub project: ProjectDto,
    /// The plaque issued on `accepted`.
    pub plaque: Option<BrainDto>,
}

impl From<Concluded> for ConcludedDto {
    fn from(c: Concluded) -> Self {
        Self {
            acceptance: c.acceptance.into(),
            project: c.project.into(),
            plaque: c.plaque.map(BrainDto::from),
        }
    }
}
