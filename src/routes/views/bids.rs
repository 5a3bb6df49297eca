//! Request and response types of bids and experts' scores. The content of a bid is the domain's
//! [`BidContent`] (it is also what is sealed), served under the same schema names.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::bids::{BidRead, ReceiptInfo, Submission};
use crate::domain::bid::Withdrawal;
pub use crate::domain::bid::{Attachment, BidContent, BidMilestone, TeamMember};
use crate::domain::ranking::{ScoreDraft, SheetLine};
use crate::extract::hundredths;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    pub bid_id: i32,
    pub receipt_id: i32,
    /// Server time of receipt.
    pub received_at: DateTime<Utc>,
    /// SHA-256 (hex) of the body exactly as sent, in the RFC 8785 JSON Canonicalization Scheme
    /// (JCS): recompute it from your own body with any JCS tool. These canonical bytes are what is
    /// sealed and what the opening re-hashes.
    pub sha256: String,
    /// The receipt this submission replaces, if it is a replacement.
    pub replaces_receipt_id: Option<i32>,
}

impl From<Submission> for Receipt {
    fn from(s: Submission) -> Self {
        Self {
            bid_id: s.bid_id,
            receipt_id: s.receipt_id,
            received_at: s.received_at,
            sha256: s.sha256,
            replaces_receipt_id: s.replaces_receipt_id,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BidView {
    pub bid_id: i32,
    pub call_id: i32,
    /// The bidder, shown to the bidder itself and, once the call is opened, to the commission and
    /// the panel.
    pub organisation_id: Option<i32>,
    pub receipt_id: i32,
    pub received_at: DateTime<Utc>,
    pub sha256: String,
    /// True while the content is sealed to this caller.
    pub sealed: bool,
    /// The content, where this caller may read it.
    pub content: Option<BidContent>,
    /// Every receipt of this bid (the bidder and, once opened, the commission).
    pub receipts: Vec<ReceiptLine>,
    /// Set while the bid is withdrawn: the receipt of its withdrawal. A withdrawn bid is never
    /// opened; its content stays sealed to all but its bidder.
    pub withdrawn: Option<WithdrawalReceipt>,
    /// Every withdrawal's receipt (where `receipts` are shown).
    pub withdrawals: Vec<WithdrawalReceipt>,
}

/// The receipt of a bid's withdrawal.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WithdrawalReceipt {
    pub withdrawal_id: i32,
    pub bid_id: i32,
    /// The receipt withdrawn.
    pub receipt_id: i32,
    /// Server time of the withdrawal.
    pub withdrawn_at: DateTime<Utc>,
    /// SHA-256 (hex) of the RFC 8785 canonical form of the statement
    /// `{"bid_id", "call_id", "withdrawn_at" (RFC 3339, microseconds, Z), "withdrawn_receipt_id",
    /// "withdrawn_receipt_sha256"}`.
    pub sha256: String,
}

impl From<Withdrawal> for WithdrawalReceipt {
    fn from(w: Withdrawal) -> Self {
        Self {
            withdrawal_id: w.id,
            bid_id: w.bid_id,
            receipt_id: w.receipt_id,
            withdrawn_at: w.withdrawn_at,
            sha256: w.sha256,
        }
    }
}

impl From<BidRead> for BidView {
    fn from(b: BidRead) -> Self {
        Self {
            bid_id: b.bid_id,
            call_id: b.call_id,
            organisation_id: b.organisation_id,
            receipt_id: b.current.receipt_id,
            received_at: b.current.received_at,
            sha256: b.current.sha256,
            sealed: b.sealed,
            content: b.content,
            receipts: b.receipts.into_iter().map(ReceiptLine::from).collect(),
            withdrawn: b.withdrawn.map(WithdrawalReceipt::from),
            withdrawals: b
                .withdrawals
                .into_iter()
                .map(WithdrawalReceipt::from)
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReceiptLine {
    pub receipt_id: i32,
    pub received_at: DateTime<Utc>,
    pub sha256: String,
    pub current: bool,
}

impl From<ReceiptInfo> for ReceiptLine {
    fn from(r: ReceiptInfo) -> Self {
        Self {
            receipt_id: r.receipt_id,
            received_at: r.received_at,
            sha256: r.sha256,
            current: r.current,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    pub criterion: String,
    /// 0 to the criterion's max_points, two decimals at most.
    #[schema(value_type = f64)]
    pub points: serde_json::Number,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"scores": [
    {"criterion": "技术方案", "points": 52.5, "comment": "技术路线清晰，数据接入方案可行。"},
    {"criterion": "团队与运营", "points": 34, "comment": "运营团队有同类平台经验。"}
]}))]
pub struct ScoresBody {
    pub scores: Vec<ScoreInput>,
}

impl ScoresBody {
    /// The scores with their points read as hundredths (a bad number becomes a field error the
    /// use case reports with the others).
    pub fn drafts(self) -> Vec<ScoreDraft> {
        self.scores
            .into_iter()
            .enumerate()
            .map(|(i, s)| ScoreDraft {
                points: hundredths(&format!("scores[{i}].points"), &s.points),
                criterion: s.criterion,
                comment: s.comment,
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StoredScore {
    pub criterion: String,
    /// Hundredths of a point.
    pub points: i64,
    pub comment: String,
}

impl From<SheetLine> for StoredScore {
    fn from(l: SheetLine) -> Self {
        Self {
            criterion: l.criterion,
            points: l.points,
            comment: l.comment,
        }
    }
}
