//! Request and response types of expert panels, conflicts and expert profiles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::panel::{Appointment, Bidder as BidderInfo, Declaration, PanelEntry};
use crate::domain::builders::BuilderRole;
use crate::domain::conflict::{ConflictKind, ExpertProfile, PastEmployer};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draw {
    /// How many experts to draw from the pool of `expert` accounts not yet on the panel.
    pub n: u32,
    /// The seed; a random one is chosen and recorded when omitted.
    pub seed: Option<u64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"experts": [4, 8]}))]
pub struct AppointPanel {
    /// Experts named by user id.
    #[serde(default)]
    pub experts: Vec<i32>,
    /// Or a random draw.
    pub draw: Option<Draw>,
}

impl From<AppointPanel> for Appointment {
    fn from(b: AppointPanel) -> Self {
        Self {
            experts: b.experts,
            draw: b.draw.map(|d| (d.n, d.seed)),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Recusal {
    pub bid_id: i32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PanelMember {
    pub expert_id: i32,
    pub username: Option<String>,
    /// `named` or `drawn`.
    pub how: String,
    /// The seed of the draw that chose it.
    pub seed: Option<String>,
    pub added_at: DateTime<Utc>,
    /// The bids it is recused from, with reasons: links found from data, frozen when the bids
    /// were opened (or when it joined the panel after that), and declared conflicts. Empty until
    /// the opening: before it nobody may know who bid.
    pub recusals: Vec<Recusal>,
}

impl From<PanelEntry> for PanelMember {
    fn from(e: PanelEntry) -> Self {
        Self {
            expert_id: e.member.expert_id,
            username: e.username,
            how: e.member.how.as_str().to_owned(),
            seed: e.member.seed.map(|s| s.to_string()),
            added_at: e.member.added_at,
            recusals: e
                .recusals
                .into_iter()
                .map(|(bid_id, reasons)| Recusal { bid_id, reasons })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"bid_id": 2, "kind": "family", "note": "本人配偶在该揭榜单位任职。"}))]
pub struct DeclareConflict {
    /// A bid the conflict concerns.
    pub bid_id: Option<i32>,
    /// An organisation (id) the conflict concerns: every bid of it.
    pub organisation: Option<i32>,
    pub kind: ConflictKind,
    pub note: String,
}

impl From<DeclareConflict> for Declaration {
    fn from(b: DeclareConflict) -> Self {
        Self {
            bid_id: b.bid_id,
            organisation_id: b.organisation,
            kind: b.kind,
            note: b.note,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"past_employers": [{"organisation_id": 1, "until": "2023-06-30"}]}))]
pub struct ExpertProfileBody {
    /// The organisation the expert works for now.
    pub organisation_id: Option<i32>,
    /// Past employers with the date each employment ended.
    #[serde(default)]
    pub past_employers: Vec<PastEmployer>,
}

impl From<ExpertProfileBody> for ExpertProfile {
    fn from(b: ExpertProfileBody) -> Self {
        Self {
            organisation_id: b.organisation_id,
            past_employers: b.past_employers,
        }
    }
}

/// An organisation that bid on a call: what the call's experts may look up to declare conflicts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Bidder {
    pub bid_id: i32,
    pub organisation_id: i32,
    pub name: String,
    /// The joint builders the bid names (联合建设单位), each with its role: conflicts with any of
    /// them recuse as conflicts with the bidder do.
    pub joint_builders: Vec<JointBidder>,
}

/// A joint builder of an opened bid.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JointBidder {
    pub organisation_id: i32,
    pub name: String,
    pub role: BuilderRole,
}

impl From<BidderInfo> for Bidder {
    fn from(b: BidderInfo) -> Self {
        Self {
            bid_id: b.bid_id,
            organisation_id: b.organisation_id,
            name: b.name,
            joint_builders: b
                .joint_builders
                .into_iter()
                .map(|(j, name)| JointBidder {
                    organisation_id: j.organisation_id,
                    name,
                    role: j.role,
                })
                .collect(),
        }
    }
}
