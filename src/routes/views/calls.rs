//! Request and response types of calls.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::calls::{CallInfo, CriterionDraft, HistoryEntry, NewCall};
use crate::domain::bid;
use crate::domain::call::{CallStatus, Criterion, Eligibility};
use crate::domain::event::AggregateType;
use crate::extract::hundredths;

/// A rubric criterion as sent: weights are fractions summing to 1 (e.g. 0.4), points are numbers
/// with at most two decimals.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    #[schema(example = "技术方案")]
    pub criterion: String,
    /// Fraction of the total, two decimals at most; the rubric's weights sum to 1.
    #[schema(value_type = f64, example = 0.4)]
    pub weight: serde_json::Number,
    /// The most points an expert may give, two decimals at most.
    #[schema(value_type = f64, example = 40)]
    pub max_points: serde_json::Number,
}

/// A rubric criterion as stored and shown.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CriterionDto {
    pub criterion: String,
    /// Fraction of the total (the weights sum to 1).
    pub weight: f64,
    pub max_points: f64,
}

impl From<&Criterion> for CriterionDto {
    fn from(c: &Criterion) -> Self {
        Self {
            criterion: c.criterion.clone(),
            weight: c.weight as f64 / 100.0,
            max_points: c.max_points as f64 / 100.0,
        }
    }
}

fn default_winners() -> u32 {
    1
}

fn default_notice_days() -> u32 {
    7
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "requirements": "建设智能家居行业产业大脑：汇聚设备接入、供应链协同和质量追溯数据，服务企业不少于200家。",
    "eligibility": {"registered_in_chongqing": true, "min_registered_capital": 500},
    "opens_at": "2024-03-01T09:00:00+08:00",
    "closes_at": "2024-03-10T17:00:00+08:00",
    "winners": 1,
    "notice_days": 7,
    "rubric": [
        {"criterion": "技术方案", "weight": 0.6, "max_points": 60},
        {"criterion": "团队与运营", "weight": 0.4, "max_points": 40}
    ]
}))]
pub struct CreateCall {
    /// What the builder must deliver.
    pub requirements: String,
    /// Who may bid.
    #[serde(default)]
    pub eligibility: Eligibility,
    #[schema(value_type = String, format = DateTime, example = "2024-06-01T09:00:00+08:00")]
    pub opens_at: DateTime<chrono::FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2024-06-30T17:00:00+08:00")]
    pub closes_at: DateTime<chrono::FixedOffset>,
    /// How many winners (default 1; more is a "horse race" 赛马).
    #[serde(default = "default_winners")]
    pub winners: u32,
    /// Length of the public notice (公示) in natural days: at least 3 (招标投标法实施条例 Art. 54),
    /// at most 60, default 7. Counted in Beijing time as Chinese law counts periods: the day the
    /// notice starts is not counted, and it ends at 24:00 of its last day.
    #[serde(default = "default_notice_days")]
    pub notice_days: u32,
    pub rubric: Vec<CriterionInput>,
}

impl From<CreateCall> for NewCall {
    /// Reads the decimals of the rubric (each bad one becomes a field error the use case reports
    /// with the others).
    fn from(b: CreateCall) -> Self {
        Self {
            rubric: b
                .rubric
                .into_iter()
                .enumerate()
                .map(|(i, c)| CriterionDraft {
                    weight: hundredths(&format!("rubric[{i}].weight"), &c.weight),
                    max_points: hundredths(&format!("rubric[{i}].max_points"), &c.max_points),
                    criterion: c.criterion,
                })
                .collect(),
            requirements: b.requirements,
            eligibility: b.eligibility,
            opens_at: b.opens_at.with_timezone(&Utc),
            closes_at: b.closes_at.with_timezone(&Utc),
            winners: b.winners,
            notice_days: b.notice_days,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Winner {
    pub bid_id: i32,
    pub organisation_id: i32,
    pub organisation_name: String,
    /// The winning budget (万元), public once awarded.
    pub budget: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CallDto {
    pub id: i32,
    pub year: i32,
    pub list_item_id: i32,
    /// The direction of the list item.
    pub direction: String,
    /// The status at this moment (time-driven moves applied).
    pub status: CallStatus,
    pub requirements: String,
    pub eligibility: Eligibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub winners: i32,
    pub notice_days: i32,
    pub rubric: Vec<CriterionDto>,
    /// Bids received and not withdrawn (their content stays sealed until opening).
    pub bid_count: u64,
    pub opened_at: Option<DateTime<Utc>>,
    pub opened_by: Option<i32>,
    pub notice_started_at: Option<DateTime<Utc>>,
    pub notice_ends_at: Option<DateTime<Utc>>,
    /// The proposed (during notice) or awarded winners.
    pub award: Vec<Winner>,
    pub award_note: Option<String>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub reasons: Option<String>,
    /// Objections whose answer came later than 3 natural days after receipt, or is still missing
    /// past that (招标投标法实施条例 Art. 54).
    pub overdue_objections: usize,
    pub version: i32,
}

impl From<CallInfo> for CallDto {
    fn from(i: CallInfo) -> Self {
        let c = i.call;
        Self {
            id: c.id,
            year: i.year,
            list_item_id: c.list_item_id,
            direction: i.direction,
            status: i.status,
            rubric: c.rubric.iter().map(CriterionDto::from).collect(),
            requirements: c.requirements,
            eligibility: c.eligibility,
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            winners: c.winners,
            notice_days: c.notice_days,
            bid_count: i.bid_count,
            opened_at: c.opened_at,
            opened_by: c.opened_by,
            notice_started_at: c.notice_started_at,
            notice_ends_at: c.notice_ends_at,
            award: i
                .winners
                .into_iter()
                .map(|w| Winner {
                    bid_id: w.bid_id,
                    organisation_id: w.organisation_id,
                    organisation_name: w.organisation_name,
                    budget: w.budget.map(|b| b.hundredths() as f64 / 100.0),
                })
                .collect(),
            award_note: i.award_note,
            finalized_at: c.finalized_at,
            reasons: c.reasons,
            overdue_objections: i.overdue_objections,
            version: c.version,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpeningCheck {
    pub bid_id: i32,
    /// The current receipt; null when the bid has none (then `problem` says so).
    pub receipt_id: Option<i32>,
    pub sha256: Option<String>,
    /// The stored content decrypts and hashes to the receipt's SHA-256.
    pub verified: bool,
    pub problem: Option<String>,
    /// Set for a bid withdrawn before the close: reported as withdrawn, never opened.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpeningReport {
    pub opened_at: DateTime<Utc>,
    pub opened_by: i32,
    pub bids: usize,
    pub verified: usize,
    /// Bids withdrawn before the close (counted in `bids`, not opened).
    pub withdrawn: usize,
    /// Every receipt, with any mismatch reported (never hidden).
    pub checks: Vec<OpeningCheck>,
}

impl From<bid::OpeningReport> for OpeningReport {
    fn from(r: bid::OpeningReport) -> Self {
        Self {
            opened_at: r.opened_at,
            opened_by: r.opened_by,
            bids: r.bids,
            verified: r.verified,
            withdrawn: r.withdrawn,
            checks: r
                .checks
                .into_iter()
                .map(|c| OpeningCheck {
                    bid_id: c.bid_id,
                    receipt_id: c.receipt_id,
                    sha256: c.sha256,
                    verified: c.verified,
                    problem: c.problem,
                    withdrawn_at: c.withdrawn_at,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonsBody {
    pub reasons: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CallEvent {
    /// When it happened; for the clock's moves (`window_opened`, `window_closed`) the scheduled
    /// instant, whenever it was first observed.
    pub at: DateTime<Utc>,
    /// The account; none for the clock and while who bid is sealed.
    pub actor_id: Option<i32>,
    /// The account's role, `clock`, or `sealed` for a bid's receipt before the opening (shown
    /// then as its receipt number and time only).
    pub actor_role: String,
    pub action: String,
    pub bid_id: Option<i32>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<HistoryEntry> for CallEvent {
    /// The event as a call's history shows it: the status it moved from and to, and the other
    /// members of its change as `details` (the new values).
    fn from(h: HistoryEntry) -> Self {
        let e = h.event;
        let (from, to) = e.status_change();
        let (from, to) = (from.map(str::to_owned), to.map(str::to_owned));
        let details: serde_json::Map<String, serde_json::Value> = e
            .payload
            .iter()
            .filter(|o| o.path != "/status")
            .map(|o| {
                (
                    o.path.trim_start_matches('/').to_owned(),
                    o.value.clone().unwrap_or_default(),
                )
            })
            .collect();
        CallEvent {
            at: e.at,
            actor_id: e.actor.id().filter(|_| !h.actor_sealed),
            actor_role: if h.actor_sealed {
                "sealed".to_owned()
            } else {
                e.actor.role_text().to_owned()
            },
            bid_id: (e.aggregate.kind == AggregateType::Bid)
                .then(|| e.aggregate.id.parse().ok())
                .flatten(),
            action: e.kind,
            from_status: from,
            to_status: to,
            note: e.reason,
            details: serde_json::Value::Object(details),
        }
    }
}
