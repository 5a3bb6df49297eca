//! The event log's vocabulary: what changed (the aggregate), who did it, and who may read it.
//! Every change to anything is one event; the log is each object's history, the audit trail and,
//! later, the change feed.

use chrono::{DateTime, Utc};

use super::json_patch::PatchOp;
use super::role::Role;

text_enum!(
    /// The kinds of object the log records changes of.
    AggregateType {
        /// A yearly round and its settings (weights, deadline, constraints).
        Round,
        Proposal,
        SelectionRun,
        /// A round's published list (its versions).
        List,
        Call,
        /// A bid: its receipts.
        Bid,
        /// A call's expert panel.
        Panel,
        /// A declared conflict of interest.
        Conflict,
        /// One expert's scores for one bid.
        ScoreSheet,
        Objection,
        User,
        ExpertProfile,
        Organisation,
        /// A district's industry map (identified by the district code).
        IndustryMap,
        /// A cluster (identified by its code).
        Cluster,
        /// An industry class (identified by its code).
        IndustryClass,
        /// A construction project (建设项目).
        Project,
        /// A task agreement (任务书) or an amendment of it.
        Agreement,
        /// A quarterly progress report.
        ProgressReport,
        /// A district's supervision record (with its follow-ups).
        Supervision,
        /// One acceptance (验收) of a project.
        Acceptance,
        /// A plaque (授牌) in the register.
        Plaque,
        /// An annual evaluation (年度常态化评价).
        Evaluation,
        /// A data platform's webhook subscription.
        Webhook,
        /// Logins of a client address or of a username that names no account (identified as
        /// `address:<ip>` or `account:<username>`): their throttling.
        Login,
        /// A finding of falsification (弄虚作假) against a proposal, a bid or a project.
        Finding,
        /// An enquiry (答疑/澄清) on a call and its answer.
        Enquiry,
        /// An uploaded document and its versions (and, for sealed or commission-only ones,
        /// every download).
        Document,
        /// An enterprise of a district's inventory (领军（链主）企业 or 专精特新).
        DistrictEnterprise,
        /// A characteristic cluster (特色产业集群) of a district's inventory.
        DistrictCluster,
    }
);

text_enum!(
    /// Who may read an event.
    Visibility {
        /// Anyone, the public and data platforms included.
        Public,
        /// The commission only.
        Commission,
        /// The parties of the object (its owner, its district, the commission).
        Party,
        /// Sealed until the call is opened: bid receipts (who bid stays hidden).
        Sealed,
    }
);

/// Who made a change: an account, or the clock (time-driven moves), or the system (migrations,
/// start-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Account { id: i32, role: Role },
    Clock,
    System,
}

impl Actor {
    pub fn id(self) -> Option<i32> {
        match self {
            Actor::Account { id, .. } => Some(id),
            Actor::Clock | Actor::System => None,
        }
    }

    /// The stored role text: the account's role, `clock` or `system`.
    pub fn role_text(self) -> &'static str {
        match self {
            Actor::Account { role, .. } => role.as_str(),
            Actor::Clock => "clock",
            Actor::System => "system",
        }
    }

    /// Reads a stored actor back.
    ///
    /// # Errors
    /// When the stored pair names no actor.
    pub fn decode(id: Option<i32>, role: &str) -> Result<Self, String> {
        match (id, role) {
            (None, "clock") => Ok(Actor::Clock),
            (None, "system") => Ok(Actor::System),
            (Some(id), r) => r
                .parse::<Role>()
                .map(|role| Actor::Account { id, role })
                .map_err(|_| format!("unknown actor role {r:?}")),
            (None, r) => Err(format!("actor role {r:?} without an account")),
        }
    }
}

/// A reference to one aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AggregateRef {
    pub kind: AggregateType,
    pub id: String,
}

impl AggregateRef {
    pub fn new(kind: AggregateType, id: impl ToString) -> Self {
        Self {
            kind,
            id: id.to_string(),
        }
    }
}

/// An event to append: the change of one aggregate.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub aggregate: AggregateRef,
    /// The aggregate's version after this change, for aggregates that carry one (proposals, rounds,
    /// calls); otherwise the log counts it.
    pub version: Option<i32>,
    pub parent: Option<AggregateRef>,
    pub kind: String,
    pub reason: Option<String>,
    pub payload: Vec<PatchOp>,
    pub visibility: Visibility,
}

impl NewEvent {
    pub fn new(
        kind: AggregateType,
        id: impl ToString,
        event: impl Into<String>,
        visibility: Visibility,
    ) -> Self {
        Self {
            aggregate: AggregateRef::new(kind, id),
            version: None,
            parent: None,
            kind: event.into(),
            reason: None,
            payload: Vec::new(),
            visibility,
        }
    }

    #[must_use]
    pub fn version(mut self, v: i32) -> Self {
        self.version = Some(v);
        self
    }

    #[must_use]
    pub fn parent(mut self, kind: AggregateType, id: impl ToString) -> Self {
        self.parent = Some(AggregateRef::new(kind, id));
        self
    }

    #[must_use]
    pub fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }

    #[must_use]
    pub fn payload(mut self, ops: Vec<PatchOp>) -> Self {
        self.payload = ops;
        self
    }

    /// Adds an operation to the payload.
    #[must_use]
    pub fn op(mut self, op: PatchOp) -> Self {
        self.payload.push(op);
        self
    }
}

/// An event as the log holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub seq: i64,
    pub aggregate: AggregateRef,
    pub version: i32,
    pub parent: Option<AggregateRef>,
    pub actor: Actor,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub reason: Option<String>,
    pub payload: Vec<PatchOp>,
    pub visibility: Visibility,
}

impl Event {
    /// The status this event moved its aggregate to and from, read from its `/status` operation.
    pub fn status_change(&self) -> (Option<&str>, Option<&str>) {
        self.payload
            .iter()
            .find(|o| o.path == "/status")
            .map_or((None, None), |o| {
                (
                    o.old.as_ref().and_then(|v| v.as_str()),
                    o.value.as_ref().and_then(|v| v.as_str()),
                )
            })
    }
}
