//! Request and response types of the ranking, the notice, objections and the award.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calls::CallDto;
use crate::app::award;
use crate::domain::award::Objection;
use crate::domain::ranking::{BidResult, TIE_RULE, TRIMMING_RULE};

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
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
pub struct AwardBody {
    /// The winning bids: as many as the call has winners, the top of the ranking.
    pub bid_ids: Vec<i32>,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    pub call: CallDto,
    pub objections: usize,
    pub unanswered: usize,
}

impl From<award::Notice> for Notice {
    fn from(n: award::Notice) -> Self {
        Self {
            call: n.call.into(),
            objections: n.objections,
            unanswered: n.unanswered,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionBody {
    /// The grounds of the objection, in writing.
    pub grounds: String,
    /// How the commission reaches the objector.
    pub contact: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectionDto {
    pub id: i32,
    pub call_id: i32,
    pub submitted_by: i32,
    pub grounds: String,
    pub contact: String,
    pub submitted_at: DateTime<Utc>,
    pub upheld: Option<bool>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<Objection> for ObjectionDto {
    fn from(o: Objection) -> Self {
        Self {
            id: o.id,
            call_id: o.call_id,
            submitted_by: o.submitted_by,
            grounds: o.grounds,
            contact: o.contact,
            submitted_at: o.submitted_at,
            upheld: o.upheld,
            answer: o.answer,
            answered_at: o.answered_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// An upheld objection sends the call back to review.
    pub upheld: bool,
    pub answer: String,
}
