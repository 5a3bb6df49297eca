//! Use cases: one file per aggregate. Each takes the state and the [`Caller`] (and its input),
//! checks access, runs the domain rule, writes, and returns domain values. Every change goes
//! through one path: load → check the version read (`If-Match`) → the domain's transition →
//! conditional write → one event in the log, all in one [`Uow`] (one transaction).
//!
//! Nothing here knows about HTTP beyond the `ApiError` it returns.

pub mod acceptance;
pub mod audit;
pub mod award;
pub mod bids;
pub mod brains;
pub mod calls;
pub mod documents;
pub mod enquiries;
pub mod exports;
pub mod feed;
pub mod findings;
pub mod health;
pub mod history;
pub mod inventories;
pub mod lists;
pub mod notifications;
pub mod ocds;
pub mod organisations;
pub mod paging;
pub mod panel;
pub mod projects;
pub mod proposals;
pub mod public;
pub mod public_cache;
pub mod reference;
pub mod rounds;
pub mod selection;
pub mod transparency;
pub mod users;
pub mod webhooks;

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{DatabaseTransaction, TransactionTrait};
use tokio::sync::Notify;

use crate::auth::Caller;
pub use crate::domain::event::{Actor, AggregateType, NewEvent, Visibility};
use crate::error::Result;
use crate::state::AppState;
use crate::store;

impl From<&Caller> for Actor {
    fn from(c: &Caller) -> Self {
        Actor::Account {
            id: c.id,
            role: c.role,
        }
    }
}

/// One unit of work: a transaction, the acting party, the moment (taken once, to the
/// microsecond, so that rows and events agree), and the events to append at commit.
pub struct Uow {
    txn: DatabaseTransaction,
    actor: Actor,
    now: DateTime<Utc>,
    events: Vec<NewEvent>,
    /// Woken after a commit that appended events (the change feed's long polls).
    appended: Arc<Notify>,
    /// Told after a commit that appended events (what it had read is stale).
    cache: Arc<public_cache::PublicCache>,
    /// Whether notices also put emails in the outbox (an SMTP server is set).
    email_on: bool,
}

impl Uow {
    /// Begins a unit of work at the clock's present moment.
    ///
    /// # Errors
    /// When no transaction can be begun.
    pub async fn begin(state: &AppState, actor: impl Into<Actor>) -> Result<Self> {
        Ok(Self {
            txn: state.db.begin().await?,
            actor: actor.into(),
            now: now(state),
            events: Vec::new(),
            appended: state.appended.clone(),
            cache: state.public_cache.clone(),
            email_on: notifications::email_on(&state.settings.email),
        })
    }

    /// The transaction, for the writes (write before reading: see `store::events::append`).
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// Records an event, appended when the work commits.
    pub fn record(&mut self, event: NewEvent) {
        self.events.push(event);
    }

    /// Appends the recorded events, puts the public ones' webhook deliveries in the outbox
    /// (`webhooks::enqueue`), writes the notices they call for (`notifications::on_commit`),
    /// and commits: the writes, their events, the deliveries and the notices stand or fall
    /// together.
    ///
    /// # Errors
    /// Database failures (nothing is then written).
    pub async fn commit(self) -> Result<Vec<i64>> {
        let public = self
            .events
            .iter()
            .any(|e| e.visibility == Visibility::Public);
        let triggers: Vec<(usize, notifications::Trigger)> = self
            .events
            .iter()
            .enumerate()
            .filter_map(|(i, e)| notifications::Trigger::of(e).map(|t| (i, t)))
            .collect();
        let seqs = store::events::append(&self.txn, self.actor, self.now, self.events).await?;
        if public {
            webhooks::enqueue(&self.txn, &seqs, self.now).await?;
        }
        if !triggers.is_empty() {
            let triggers = triggers
                .into_iter()
                .filter_map(|(i, t)| seqs.get(i).map(|s| (*s, t)))
                .collect();
            notifications::on_commit(&self.txn, self.email_on, triggers, self.now).await?;
        }
        self.txn.commit().await?;
        if !seqs.is_empty() {
            self.cache.invalidate();
            self.appended.notify_waiters();
        }
        Ok(seqs)
    }
}

/// The clock's present moment to the microsecond (what both databases store exactly).
pub fn now(state: &AppState) -> DateTime<Utc> {
    state.clock.now().trunc_subsecs(6)
}

impl Uow {
    /// Begins a unit of work dated `at` rather than now: for a move that happened at a scheduled
    /// instant (a call opening or closing at its time, by the clock), written when a request
    /// first observes it. The log's `at` need not grow with `seq`.
    ///
    /// # Errors
    /// When no transaction can be begun.
    pub async fn begin_at(
        state: &AppState,
        actor: impl Into<Actor>,
        at: DateTime<Utc>,
    ) -> Result<Self> {
        Ok(Self {
            txn: state.db.begin().await?,
            actor: actor.into(),
            now: at.trunc_subsecs(6),
            events: Vec::new(),
            appended: state.appended.clone(),
            cache: state.public_cache.clone(),
            email_on: notifications::email_on(&state.settings.email),
        })
    }

    /// Takes the clock's moment again: for work that must be timed after a lock it waited for
    /// (a bid's receipt time is taken under the call's lock, so that no receipt dated before the
    /// close can commit after the opening read the bids).
    pub fn restamp(&mut self, state: &AppState) {
        self.now = now(state);
    }
}
