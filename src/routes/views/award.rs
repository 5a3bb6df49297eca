//! Request and response types of the ranking, the notice, objections and the award.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calls::CallDto;
use crate::app::award;
use crate::domain::ranking::{BidResult, TIE_RULE, TRIMMING_RULE};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Ranking {
    pub call_id: i32,
    /// How ties are broken, applied exactly.
    pub tie_rule: String,
    /// How a criterion's score is formed.
    pub trimming_rule: String,
    /// Expert labels: real ids are shown to the commission only.
    pub experts: Vec<ExpertLabel>,
    /// Ranked bids first, then unranked ones (ineligible, or not scored) with reasons.
    pub bids: Vec<BidResult>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExpertLabel {
    pub label: String,
    /// Shown to the commission only.
    pub expert_id: Option<i32>,
}

impl From<award::Ranking> for Ranking {
    fn from(r: award::Ranking) -> Self {
        Self {
            call_id: r.call_id,
            tie_rule: TIE_RULE.into(),
            trimming_rule: TRIMMING_RULE.into(),
            experts: r
                .experts
                .into_iter()
                .map(|e| ExpertLabel {
                    label: e.label,
                    expert_id: e.expert_id,
                })
                .collect(),
            bids: r.bids,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"bid_ids": [1], "note": "经专家评审，拟由示例日化科技有限公司挂帅。"}))]
pub struct AwardBody {
    /// The winning bids: as many as the call has winners, the top of the ranking.
    pub bid_ids: Vec<i32>,
    pub note: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Notice {
    pub call: CallDto,
    pub objections: usize,
    pub unanswered: usize,
    /// Objections answered later than 3 natural days after their receipt (Beijing time; the day
    /// of receipt not counted, the last day ending at 24:00), or still unanswered past that.
    pub overdue: usize,
    /// The answered objections, public once answered: grounds and answer, never the objector or
    /// its contact.
    pub answered: Vec<PublicObjection>,
}

/// An answered objection as the public notice shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicObjection {
    pub id: i32,
    pub grounds: String,
    pub submitted_at: DateTime<Utc>,
    /// The end of the third natural day after the day of receipt.
    pub answer_due_at: DateTime<Utc>,
    /// An upheld objection sent the call back to review.
    pub upheld: bool,
    pub answer: String,
    pub answered_at: DateTime<Utc>,
    /// Answered after `answer_due_at`.
    pub overdue: bool,
}

impl From<award::PublicObjection> for PublicObjection {
    fn from(o: award::PublicObjection) -> Self {
        Self {
            id: o.id,
            grounds: o.grounds,
            submitted_at: o.submitted_at,
            answer_due_at: o.answer_due_at,
            upheld: o.upheld,
            answer: o.answer,
            answered_at: o.answered_at,
            overdue: o.overdue,
        }
    }
}

impl From<award::Notice> for Notice {
    fn from(n: award::Notice) -> Self {
        Self {
            call: n.call.into(),
            objections: n.objections.total,
            unanswered: n.objections.unanswered,
            overdue: n.objections.overdue,
            answered: n
                .objections
                .answered
                .into_iter()
                .map(PublicObjection::from)
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grounds": "评分未按评审细则进行，请求复核技术方案得分。", "contact": "023-6000-0002"}))]
pub struct ObjectionBody {
    /// The grounds of the objection, in writing.
    pub grounds: String,
    /// How the commission reaches the objector.
    pub contact: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ObjectionDto {
    pub id: i32,
    pub call_id: i32,
    pub submitted_by: i32,
    pub grounds: String,
    /// How the commission reaches the objector: shown to the commission only.
    pub contact: Option<String>,
    pub submitted_at: DateTime<Utc>,
    /// The end of the third natural day after the day of receipt (Beijing time).
    pub answer_due_at: DateTime<Utc>,
    /// Answered after `answer_due_at`, or still unanswered past it.
    pub overdue: bool,
    pub upheld: Option<bool>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<award::ObjectionRead> for ObjectionDto {
    fn from(r: award::ObjectionRead) -> Self {
        let o = r.objection;
        Self {
            id: o.id,
            call_id: o.call_id,
            submitted_by: o.submitted_by,
            grounds: o.grounds,
            contact: r.contact_shown.then_some(o.contact),
            submitted_at: o.submitted_at,
            answer_due_at: r.answer_due_at,
            overdue: r.overdue,
            upheld: o.upheld,
            answer: o.answer,
            answered_at: o.answered_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"upheld": false, "answer": "经复核，评分符合评审细则，异议不成立。"}))]
pub struct ObjectionAnswerBody {
    /// An upheld objection sends the call back to review.
    pub upheld: bool,
    pub answer: String,
}
