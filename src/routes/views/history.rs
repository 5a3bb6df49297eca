//! The generic history view: one event of the log, as the history endpoints of rounds, users,
//! organisations and reference data show it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::history::Entry;
use crate::domain::json_patch::PatchOp;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventActor {
    /// The account; none for the clock (time-driven moves) and the system.
    pub id: Option<i32>,
    pub username: Option<String>,
    /// The account's role, or `clock` / `system`.
    pub role: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventEntry {
    /// The event's place in the one log.
    pub seq: i64,
    /// The object's version this event produced.
    pub version: i32,
    pub at: DateTime<Utc>,
    pub actor: EventActor,
    /// What happened, e.g. `create`, `update`.
    pub kind: String,
    /// The reason given with the change.
    pub reason: Option<String>,
    /// What changed, as JSON Patch operations with the old values kept.
    pub changes: Vec<PatchOp>,
}

impl EventEntry {
    /// The entry with the actor's account shown, or only its role (`names == false`).
    pub fn shown(e: Entry, names: bool) -> Self {
        let mut v = Self::from(e);
        if !names {
            v.actor.id = None;
            v.actor.username = None;
        }
        v
    }
}

impl From<Entry> for EventEntry {
    fn from(e: Entry) -> Self {
        Self {
            seq: e.event.seq,
            version: e.event.version,
            at: e.event.at,
            actor: EventActor {
                id: e.event.actor.id(),
                username: e.username,
                role: e.event.actor.role_text().to_owned(),
            },
            kind: e.event.kind,
            reason: e.event.reason,
            changes: e.event.payload,
        }
    }
}
