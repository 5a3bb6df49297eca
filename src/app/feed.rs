//! The change feed: the one event log read in order from a cursor, as the reader may see it.
//!
//! Why a cursor never skips an event that commits late: appends take the `event_head` row's
//! lock before they take a `seq` and hold it to commit (`store::events::append`), so `seq`
//! order is commit order on both databases (PostgreSQL makes a commit visible before it releases
//! the transaction's locks; SQLite has one writer). A page reads the head first and then only
//! rows up to it: every row up to a committed head is committed, so `next` never passes a row
//! that is still to appear.

use std::time::Duration;

use crate::auth::Caller;
use crate::domain::event::{AggregateType, Event, Visibility};
use crate::domain::role::Role;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store;

/// The largest page and the longest wait a reader may ask for.
pub const MAX_LIMIT: u64 = 1000;
pub const MAX_WAIT_SECS: u64 = 30;

/// One page of the feed.
#[derive(Debug, Clone)]
pub struct Page {
    pub events: Vec<FeedEvent>,
    /// The cursor to resume from: the last event read, or the head when the reader has seen
    /// everything up to it.
    pub next: i64,
    /// The log's head when the page was read.
    pub head: i64,
}

/// An event as the reader sees it.
#[derive(Debug, Clone)]
pub struct FeedEvent {
    pub event: Event,
    /// Whether the reader sees who acted (the commission does; others see the role only).
    pub names: bool,
    /// A bid's receipt shown as its number and time only: who bid stays hidden.
    pub sealed: bool,
}

/// Which events a reader gets: the commission all of them (sealed bid receipts as their number
/// and time only); everyone else, the public and data platforms included, the public ones.
/// Webhooks deliver what an anonymous reader gets (`None`).
pub(crate) fn visibilities(caller: Option<&Caller>) -> Option<&'static [Visibility]> {
    match caller.map(|c| c.role) {
        Some(Role::Commission) => None,
        _ => Some(&[Visibility::Public]),
    }
}

/// Reads the events after `after`, waiting up to `wait` seconds for one when none is new.
///
/// # Errors
/// 422 for a cursor below 0, a limit outside 1–1000 or a wait above 30 s.
#[tracing::instrument(skip_all, fields(after, limit, wait))]
pub async fn read(
    state: &AppState,
    caller: Option<&Caller>,
    after: i64,
    limit: u64,
    wait: u64,
) -> Result<Page> {
    let mut errors = Vec::new();
    if after < 0 {
        errors.push(crate::error::FieldError::new(
            "after",
            crate::msg!("field-zero-or-more"),
        ));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(crate::error::FieldError::new(
            "limit",
            crate::msg!("field-between", min = 1, max = 1000),
        ));
    }
    if wait > MAX_WAIT_SECS {
        errors.push(crate::error::FieldError::new(
            "wait",
            crate::msg!("field-seconds-between", min = 0, max = 30),
        ));
    }
    ApiError::check(errors)?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    loop {
        // Registered before the read, so a commit between the read and the wait still wakes us.
        let woken = state.appended.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let page = once(state, caller, after, limit).await?;
        let now = tokio::time::Instant::now();
        if !page.events.is_empty() || now >= deadline {
            return Ok(page);
        }
        // Another instance's commits wake no one here: look again at least every second.
        let nap = (deadline - now).min(Duration::from_secs(1));
        let _ = tokio::time::timeout(nap, woken).await;
    }
}

async fn once(state: &AppState, caller: Option<&Caller>, after: i64, limit: u64) -> Result<Page> {
    let head = store::events::head(&state.db).await?.map_or(0, |h| h.seq);
    let events =
        store::events::feed_page(&state.db, after, head, visibilities(caller), limit).await?;
    let full = u64::try_from(events.len()).unwrap_or(u64::MAX) >= limit;
    let next = match events.last() {
        Some(e) if full => e.seq,
        // Everything the reader may see up to the head is in this page.
        _ => head.max(after),
    };
    let names = caller.is_some_and(crate::app::history::sees_names);
    Ok(Page {
        // A bid's attachments are never in the feed: their events are the bidder's and, after
        // the opening, the call history's (`calls::history`).
        events: events
            .into_iter()
            .filter(|e| {
                !(e.visibility == Visibility::Sealed && e.aggregate.kind == AggregateType::Document)
            })
            .map(|e| as_seen(e, names))
            .collect(),
        next,
        head,
    })
}

/// An event as a reader of the feed sees it: a sealed bid receipt as its number and time only,
/// who acted only for a reader who `names` (the commission).
pub(crate) fn as_seen(mut event: Event, names: bool) -> FeedEvent {
    let sealed =
        event.visibility == Visibility::Sealed && event.aggregate.kind == AggregateType::Bid;
    if sealed {
        event.payload.retain(|o| o.path == "/receipt_id");
    }
    FeedEvent {
        names: names && !sealed,
        sealed,
        event,
    }
}
