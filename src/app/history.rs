//! Histories read from the one event log, with the actors' usernames.

use crate::auth::Caller;
use crate::domain::event::{AggregateRef, Event};
use crate::domain::role::Role;
use crate::error::Result;
use crate::state::AppState;
use crate::store;

/// One event of a history with the username of its actor (none for the clock and the system, or
/// an account that is gone).
#[derive(Debug, Clone)]
pub struct Entry {
    pub event: Event,
    pub username: Option<String>,
}

/// Attaches usernames (one query for all the actors).
///
/// # Errors
/// Database failures.
pub async fn with_names(state: &AppState, events: Vec<Event>) -> Result<Vec<Entry>> {
    let mut ids: Vec<i32> = events.iter().filter_map(|e| e.actor.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    let names = store::users::usernames(&state.db, &ids).await?;
    Ok(events
        .into_iter()
        .map(|event| Entry {
            username: event.actor.id().and_then(|id| names.get(&id).cloned()),
            event,
        })
        .collect())
}

/// One aggregate's whole history, oldest first. The caller has already checked that the reader
/// may see the aggregate.
///
/// # Errors
/// Database failures.
pub async fn of(state: &AppState, aggregate: &AggregateRef) -> Result<Vec<Entry>> {
    let events = store::events::of(&state.db, aggregate).await?;
    with_names(state, events).await
}

/// A page of one aggregate's history, oldest first (by `seq`). The caller has already checked
/// that the reader may see the aggregate.
///
/// # Errors
/// Database failures.
pub async fn page(
    state: &AppState,
    aggregate: &AggregateRef,
    args: super::paging::PageArgs,
) -> Result<super::paging::Paged<Entry>> {
    let events = store::events::of_after(&state.db, aggregate, args.after, args.fetch()).await?;
    let page = args.cut(events, |e| e.seq);
    Ok(super::paging::Paged {
        items: with_names(state, page.items).await?,
        next: page.next,
    })
}

/// Whether a reader of a public history sees who (which account) made each change, or only the
/// role: the commission does; the public and other roles see roles only.
pub fn sees_names(caller: &Caller) -> bool {
    caller.role == Role::Commission
}
