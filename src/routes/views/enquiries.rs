//! Request and response types of enquiries (答疑/澄清).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::enquiries::{Amendment, EnquiryRead};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"question": "“服务企业不少于200家”是否包括区外的配套企业？"}))]
pub struct NewEnquiry {
    pub question: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentBody {
    /// The call's requirements as amended (the whole text).
    pub requirements: String,
    /// Hours the window is extended by: at least the service's minimum
    /// (`calls.enquiry_extension_hours`), which is the default.
    pub extend_hours: Option<u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "answer": "包括在本市注册的配套企业，区外企业不计入。榜单要求相应修改，揭榜期限顺延。",
    "amendment": {
        "requirements": "建设智能家居行业产业大脑：汇聚设备接入、供应链协同和质量追溯数据，服务本市注册企业不少于200家。",
        "extend_hours": 72
    }
}))]
pub struct AnswerBody {
    pub answer: String,
    /// Set when the answer changes the requirements: it amends the call.
    pub amendment: Option<AmendmentBody>,
}

impl AnswerBody {
    pub fn amendment(&self) -> Option<Amendment> {
        self.amendment.as_ref().map(|a| Amendment {
            requirements: a.requirements.clone(),
            extend_hours: a.extend_hours,
        })
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EnquiryDto {
    pub id: i32,
    pub call_id: i32,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    /// Who asked: shown to the commission and to the asker only.
    pub organisation_id: Option<i32>,
    /// True for the caller's own question.
    pub mine: bool,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// True when the answer amended the call (requirements and window).
    pub amended: bool,
    /// The call's close before and after the amendment.
    pub closes_at_before: Option<DateTime<Utc>>,
    pub closes_at_after: Option<DateTime<Utc>>,
}

impl From<EnquiryRead> for EnquiryDto {
    fn from(r: EnquiryRead) -> Self {
        let e = r.enquiry;
        Self {
            amended: e.amended(),
            id: e.id,
            call_id: e.call_id,
            question: e.question,
            asked_at: e.asked_at,
            organisation_id: e.organisation_id.filter(|_| r.asker_shown),
            mine: r.mine,
            answer: e.answer,
            answered_at: e.answered_at,
            closes_at_before: e.closes_at_before,
            closes_at_after: e.closes_at_after,
        }
    }
}
