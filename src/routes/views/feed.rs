//! The change feed's page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::feed::{FeedEvent, Page};
use crate::domain::json_patch::PatchOp;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The cursor: 0 (the default) for the beginning, else the `next` of the previous page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Events per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
    /// Seconds (0–30, default 0) to wait for a new event when there is none.
    #[param(minimum = 0, maximum = 30)]
    pub wait: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    /// The events after the cursor, in log order.
    pub events: Vec<FeedEntry>,
    /// Resume from here (`after=next`); store it only once the events are processed.
    pub next: i64,
    /// The log's last `seq` when the page was read (events the reader may not see included).
    pub head: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedObject {
    /// e.g. `proposal`, `call`, `list`, `project`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedActor {
    /// The account (for the commission only).
    pub id: Option<i32>,
    /// The account's role, or `clock` / `system`; none on a sealed bid receipt.
    pub role: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedEntry {
    /// The event's place in the one log (gap-free there; a reader's page skips what it may not
    /// see).
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The object that changed.
    pub object: FeedObject,
    /// The object's version this event produced.
    pub version: i32,
    /// The object it belongs to (a bid's call).
    pub parent: Option<FeedObject>,
    pub actor: FeedActor,
    /// What happened, e.g. `create`, `publish`, `award`.
    pub kind: String,
    pub reason: Option<String>,
    /// What changed, as JSON Patch operations with the old values kept.
    pub changes: Vec<PatchOp>,
    /// `public`, `commission`, `party` or `sealed`.
    pub visibility: String,
}

impl From<FeedEvent> for FeedEntry {
    fn from(f: FeedEvent) -> Self {
        let e = f.event;
        Self {
            seq: e.seq,
            at: e.at,
            object: FeedObject {
                kind: e.aggregate.kind.as_str().to_owned(),
                id: e.aggregate.id,
            },
            version: e.version,
            parent: e.parent.map(|p| FeedObject {
                kind: p.kind.as_str().to_owned(),
                id: p.id,
            }),
            actor: FeedActor {
                id: if f.names { e.actor.id() } else { None },
                role: (!f.sealed).then(|| e.actor.role_text().to_owned()),
            },
            kind: e.kind,
            reason: if f.sealed { None } else { e.reason },
            changes: e.payload,
            visibility: e.visibility.as_str().to_owned(),
        }
    }
}

impl From<Page> for FeedPage {
    fn from(p: Page) -> Self {
        Self {
            events: p.events.into_iter().map(FeedEntry::from).collect(),
            next: p.next,
            head: p.head,
        }
    }
}
