//! Webhooks for data platforms, after the Standard Webhooks convention: subscriptions (their
//! owner's, a platform account or the commission), a durable outbox written by the events' own
//! transaction, and the worker that delivers it at least once.
//!
//! **The outbox holds one row per subscription per matching public event**, inserted by
//! [`enqueue`] inside `Uow::commit` right after the events are appended, so an event and its
//! deliveries stand or fall together. One row per event, fanned out by the worker, would write
//! less at commit, but then a delivery's state (attempts, lease, next retry, failure) would need
//! rows of its own anyway, and a subscription created after an event could be handed events from
//! before it. Per-subscription rows give each delivery one row to claim, retry, list and fail,
//! and the body stored with it is the exact bytes signed on every attempt.
//!
//! **What a delivery carries** is what the feed shows an anonymous reader or a data platform:
//! public events only ([`feed::visibilities`]`(None)`), each as the feed's entry
//! ([`feed::as_seen`], no account ids), wrapped as `{"type", "timestamp", "data"}`. The
//! commission reads everything else from the feed.
//!
//! **Delivery**: [`deliver_due`] claims due rows under a lease (`store::webhooks::claim`: `FOR
//! UPDATE SKIP LOCKED` on PostgreSQL, one atomic statement on SQLite), posts them outside any
//! transaction, then records the batch's outcomes in one unit of work, each only if its claim still
//! stands. A crash between the post and the record means the row is sent again after its lease
//! expires: at least once, never lost; receivers dedupe by `webhook-id`. Retries back off (5 s,
//! 5 min, 30 min, 2 h, 5 h, 10 h, 14 h …) until 24 h after the first attempt, then the delivery
//! fails. Every failed attempt in a row for 24 h (at least five), or a `410 Gone`, disables the
//! subscription (an event); its deliveries wait, and enabling it makes them all due again.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;

use super::feed::{self, FeedEvent};
use super::{Actor, AggregateType, NewEvent, Uow, Visibility};
use crate::auth::Caller;
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::role::Role;
use crate::domain::webhook::{
    next_retry, parse_url, should_disable, wanted, DeliveryStatus, EventFilter, Secret,
    WebhookStatus, MAX_EVENT_TYPES,
};
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;
pub use crate::store::webhooks::{Attempt, Claimed, Delivery, Subscription};

/// A subscription as asked for.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    /// `*`, aggregate types (`call`) or `type.kind` (`call.announce`).
    pub event_types: Vec<String>,
    /// `whsec_…`; generated when absent.
    pub secret: Option<String>,
}

/// A new subscription and its secret, shown this once.
#[derive(Debug, Clone)]
pub struct Created {
    pub webhook: Subscription,
    pub secret: String,
}

const ROLES: [Role; 2] = [Role::Platform, Role::Commission];

/// Whether the caller may see a subscription: its owner, and the commission any.
fn sees(caller: &Caller, s: &Subscription) -> bool {
    s.status != WebhookStatus::Deleted
        && (caller.role == Role::Commission || s.owner_id == caller.id)
}

async fn find(state: &AppState, caller: &Caller, id: i32) -> Result<Subscription> {
    caller.require(&ROLES)?;
    store::webhooks::get(&state.db, id)
        .await?
        .filter(|s| sees(caller, s))
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-webhook", id = id)))
}

/// The subscription's fields as its events record them (never the secret).
fn doc(s: &Subscription) -> serde_json::Value {
    json!({
        "owner_id": s.owner_id,
        "url": s.url,
        "event_types": s.filters.iter().map(EventFilter::as_text).collect::<Vec<_>>(),
        "status": s.status,
    })
}

/// Subscribes the caller (a data platform or the commission) to events.
///
/// # Errors
/// 403 for other roles; 422 naming `url`, `event_types` (or one of them) or `secret`.
#[tracing::instrument(skip_all, fields(user_id = caller.id))]
pub async fn create(state: &AppState, caller: &Caller, new: NewWebhook) -> Result<Created> {
    caller.require(&ROLES)?;
    let mut errors = Vec::new();
    let url = parse_url(new.url.trim())
        .map_err(|e| errors.push(FieldError::new("url", e)))
        .ok();
    if new.event_types.is_empty() {
        errors.push(FieldError::new(
            "event_types",
            crate::msg!("field-webhook-event-types-empty"),
        ));
    } else if new.event_types.len() > MAX_EVENT_TYPES {
        errors.push(FieldError::new(
            "event_types",
            crate::msg!("field-at-most-items", max = MAX_EVENT_TYPES),
        ));
    }
    let mut filters = Vec::new();
    for (i, t) in new.event_types.iter().enumerate() {
        match EventFilter::parse(t) {
            Ok(f) if !filters.contains(&f) => filters.push(f),
            Ok(_) => errors.push(FieldError::new(
                format!("event_types/{i}"),
                crate::msg!("field-named-twice"),
            )),
            Err(e) => errors.push(FieldError::new(format!("event_types/{i}"), e)),
        }
    }
    let secret = match &new.secret {
        None => Some(Secret::generate()),
        Some(s) => Secret::parse(s)
            .map_err(|e| errors.push(FieldError::new("secret", e)))
            .ok(),
    };
    ApiError::check(errors)?;
    let (Some(url), Some(secret)) = (url, secret) else {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "a checked webhook lost its url or secret"
        )));
    };
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let sub =
        store::webhooks::insert(uow.db(), caller.id, url.as_str(), &filters, &secret, now).await?;
    uow.record(
        NewEvent::new(
            AggregateType::Webhook,
            sub.id,
            "create",
            Visibility::Commission,
        )
        .version(sub.version)
        .payload(json_patch::diff(&json!({}), &doc(&sub))),
    );
    uow.commit().await?;
    Ok(Created {
        webhook: sub,
        secret: secret.expose(),
    })
}

/// The caller's subscriptions (the commission: everyone's), deleted ones left out.
///
/// # Errors
/// 403 for other roles.
#[tracing::instrument(skip_all, fields(user_id = caller.id))]
pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<Subscription>> {
    caller.require(&ROLES)?;
    let owner = (caller.role != Role::Commission).then_some(caller.id);
    Ok(store::webhooks::list(&state.db, owner).await?)
}

/// One subscription.
///
/// # Errors
/// 403 for other roles; 404 for someone else's or a deleted one.
#[tracing::instrument(skip_all, fields(user_id = caller.id, webhook_id = id))]
pub async fn get(state: &AppState, caller: &Caller, id: i32) -> Result<Subscription> {
    find(state, caller, id).await
}

/// Moves a subscription between states as one event.
async fn change(
    state: &AppState,
    caller: &Caller,
    current: &Subscription,
    to: WebhookStatus,
    kind: &str,
) -> Result<Subscription> {
    let mut uow = Uow::begin(state, caller).await?;
    let now = uow.now();
    let Some(sub) =
        store::webhooks::set_status(uow.db(), current.id, current.status, to, None, now).await?
    else {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-webhook-changed-at-same-moment",
            id = current.id
        )));
    };
    if to == WebhookStatus::Active {
        store::webhooks::requeue(uow.db(), sub.id, now).await?;
    }
    uow.record(
        NewEvent::new(AggregateType::Webhook, sub.id, kind, Visibility::Commission)
            .version(sub.version)
            .payload(
                PatchOp::change("/status", json!(current.status), json!(to))
                    .into_iter()
                    .collect(),
            ),
    );
    uow.commit().await?;
    Ok(sub)
}

/// Deletes a subscription: nothing more is kept or sent for it.
///
/// # Errors
/// 403 for other roles; 404 for someone else's or a deleted one.
#[tracing::instrument(skip_all, fields(user_id = caller.id, webhook_id = id))]
pub async fn delete(state: &AppState, caller: &Caller, id: i32) -> Result<()> {
    let current = find(state, caller, id).await?;
    change(state, caller, &current, WebhookStatus::Deleted, "delete").await?;
    Ok(())
}

/// Enables a disabled subscription again: its undelivered deliveries (held while it was
/// disabled, or failed) are all due at once, each with a fresh 24-hour window.
///
/// # Errors
/// 403 for other roles; 404 for someone else's or a deleted one; 409 when it is not disabled.
#[tracing::instrument(skip_all, fields(user_id = caller.id, webhook_id = id))]
pub async fn enable(state: &AppState, caller: &Caller, id: i32) -> Result<Subscription> {
    let current = find(state, caller, id).await?;
    if current.status != WebhookStatus::Disabled {
        return Err(ApiError::conflict(crate::msg!(
            "conflict-webhook-disabled",
            id = id,
            status = current.status
        ))
        .with("current_status", current.status));
    }
    change(state, caller, &current, WebhookStatus::Active, "enable").await
}

/// The most deliveries listed at a time.
pub const MAX_LIMIT: u64 = 200;

/// A subscription's deliveries after the cursor `after` (a delivery id), each with its
/// attempts.
///
/// # Errors
/// 403 for other roles; 404 for someone else's subscription; 422 for a bad cursor or limit.
#[tracing::instrument(skip_all, fields(user_id = caller.id, webhook_id = id))]
pub async fn deliveries(
    state: &AppState,
    caller: &Caller,
    id: i32,
    after: i64,
    status: Option<DeliveryStatus>,
    limit: u64,
) -> Result<Vec<Delivery>> {
    let mut errors = Vec::new();
    if after < 0 {
        errors.push(FieldError::new("after", crate::msg!("field-zero-or-more")));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::new(
            "limit",
            crate::msg!("field-between", min = 1, max = 200),
        ));
    }
    ApiError::check(errors)?;
    let sub = find(state, caller, id).await?;
    Ok(store::webhooks::deliveries(&state.db, sub.id, after, status, limit).await?)
}

/// The feed entry as a webhook's `data`: the same members as `GET /feed` shows a data platform.
fn entry(f: FeedEvent) -> serde_json::Value {
    let e = f.event;
    let object = |kind: AggregateType, id: String| json!({"type": kind.as_str(), "id": id});
    json!({
        "seq": e.seq,
        "at": e.at,
        "object": object(e.aggregate.kind, e.aggregate.id),
        "version": e.version,
        "parent": e.parent.map(|p| object(p.kind, p.id)),
        "actor": {
            "id": if f.names { e.actor.id() } else { None },
            "role": (!f.sealed).then(|| e.actor.role_text()),
        },
        "kind": e.kind,
        "reason": if f.sealed { None } else { e.reason },
        "changes": e.payload,
        "visibility": e.visibility.as_str(),
    })
}

/// The message body for an event: `{"type": "<aggregate>.<kind>", "timestamp", "data"}`.
///
/// # Errors
/// A payload that does not serialize.
fn body(f: FeedEvent) -> Result<String, DbErr> {
    let kind = format!("{}.{}", f.event.aggregate.kind.as_str(), f.event.kind);
    let at = f.event.at;
    serde_json::to_string(&json!({"type": kind, "timestamp": at, "data": entry(f)}))
        .map_err(|e| DbErr::Custom(format!("webhook body: {e}")))
}

/// The `webhook-id` of an event's deliveries: the same on every retry and for every
/// subscription, so a receiver dedupes by it.
pub fn message_id(seq: i64) -> String {
    format!("evt_{seq}")
}

/// Puts the deliveries of the events just appended (`seqs`) in the outbox, in the same
/// transaction: one row per subscription (active or disabled) per public event it takes. Called
/// by `Uow::commit` after `store::events::append`; it only reads the log and the subscriptions
/// and inserts new rows, so it takes no lock a waiting writer could hold against it.
///
/// # Errors
/// Database failures.
pub(crate) async fn enqueue(
    db: &impl ConnectionTrait,
    seqs: &[i64],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (Some(first), Some(last)) = (seqs.first(), seqs.last()) else {
        return Ok(());
    };
    let subs = store::webhooks::live(db).await?;
    if subs.is_empty() {
        return Ok(());
    }
    let n = u64::try_from(seqs.len()).unwrap_or(u64::MAX);
    let events =
        store::events::feed_page(db, first - 1, *last, feed::visibilities(None), n).await?;
    let mut rows = Vec::new();
    for e in events {
        let takers: Vec<i32> = subs
            .iter()
            .filter(|s| wanted(&s.filters, e.aggregate.kind, &e.kind))
            .map(|s| s.id)
            .collect();
        if takers.is_empty() {
            continue;
        }
        let seq = e.seq;
        let body = body(feed::as_seen(e, false))?;
        rows.extend(takers.into_iter().map(|id| store::webhooks::NewDelivery {
            webhook_id: id,
            event_seq: seq,
            message_id: message_id(seq),
            body: body.clone(),
        }));
    }
    store::webhooks::enqueue(db, rows, now).await
}

/// What one pass of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub claimed: u64,
    pub delivered: u64,
    /// Failed attempts with a retry scheduled.
    pub retrying: u64,
    /// Deliveries that failed for good.
    pub failed: u64,
    /// Subscriptions disabled.
    pub disabled: u64,
    /// Outcomes not recorded because the claim had been lost (its lease expired and another
    /// instance took the delivery).
    pub lost: u64,
}

/// Claims up to `limit` due deliveries for `owner` (a name for this claimer), leased for the
/// configured time: the first half of [`deliver_due`], public so that tests can show two
/// instances never hold the same delivery.
///
/// # Errors
/// Database failures.
pub async fn claim(state: &AppState, owner: &str, limit: u64) -> Result<Vec<Claimed>> {
    let now = super::now(state);
    let lease = Duration::seconds(i64::try_from(state.settings.webhooks.lease_secs).unwrap_or(60));
    Ok(store::webhooks::claim(&state.db, now, now + lease, owner, limit).await?)
}

/// An attempt's outcome.
struct Outcome {
    at: DateTime<Utc>,
    status_code: Option<u16>,
    error: Option<String>,
    duration_ms: i64,
}

/// Posts one delivery, signed, with the configured timeout.
async fn send(state: &AppState, c: &Claimed) -> Outcome {
    let at = super::now(state);
    let ts = at.timestamp();
    let signature = c.secret.sign(&c.message_id, ts, c.body.as_bytes());
    let started = Instant::now();
    let sent = state
        .http
        .post(&c.url)
        .header("content-type", "application/json")
        .header("webhook-id", &c.message_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", signature)
        .timeout(std::time::Duration::from_secs(
            state.settings.webhooks.timeout_secs,
        ))
        .body(c.body.clone())
        .send()
        .await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match sent {
        Ok(res) => Outcome {
            at,
            status_code: Some(res.status().as_u16()),
            error: None,
            duration_ms,
        },
        Err(e) => {
            let mut text = if e.is_timeout() {
                "timed out".to_owned()
            } else if e.is_connect() {
                "could not connect".to_owned()
            } else {
                "request failed".to_owned()
            };
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            Outcome {
                at,
                status_code: None,
                error: Some(text.chars().take(500).collect()),
                duration_ms,
            }
        }
    }
}

/// Records a batch's outcomes in one unit of work, each only if its claim still stands: first
/// every delivery and its attempt (in id order), then each subscription's run of failures (in
/// subscription order, so that two instances recording at once lock subscriptions in the same
/// order), then any disabling event.
async fn record(
    state: &AppState,
    owner: &str,
    mut outcomes: Vec<(Claimed, Outcome)>,
    report: &mut Report,
) -> Result<()> {
    let mut uow = Uow::begin(state, Actor::System).await?;
    let now = uow.now();
    outcomes.sort_by_key(|(c, _)| c.id);
    // (subscription, attempt time, status code) of each recorded outcome.
    let mut notes: Vec<(i32, i64, DateTime<Utc>, Option<u16>)> = Vec::new();
    for (c, o) in outcomes {
        let ok = o.status_code.is_some_and(|s| (200..300).contains(&s));
        let attempts = c.attempts + 1;
        let first = c.first_attempt_at.unwrap_or(o.at);
        let next = if ok {
            None
        } else {
            next_retry(first, attempts, o.at)
        };
        let status = match (ok, next) {
            (true, _) => DeliveryStatus::Delivered,
            (false, Some(_)) => DeliveryStatus::Pending,
            (false, None) => DeliveryStatus::Failed,
        };
        if !store::webhooks::finish(
            uow.db(),
            c.id,
            owner,
            status,
            attempts,
            first,
            next.unwrap_or(o.at),
            now,
        )
        .await?
        {
            report.lost += 1;
            continue;
        }
        store::webhooks::insert_attempt(
            uow.db(),
            c.id,
            c.webhook_id,
            Attempt {
                number: attempts,
                at: o.at,
                status_code: o.status_code.map(i32::from),
                error: o.error,
                duration_ms: o.duration_ms,
                next_retry_at: next,
            },
        )
        .await?;
        metrics::counter!(crate::metrics::WEBHOOK_DELIVERIES, "outcome" => status.as_str())
            .increment(1);
        match status {
            DeliveryStatus::Delivered => report.delivered += 1,
            DeliveryStatus::Pending => report.retrying += 1,
            DeliveryStatus::Failed => report.failed += 1,
        }
        notes.push((c.webhook_id, c.id, o.at, o.status_code));
    }
    notes.sort_by_key(|(w, d, _, _)| (*w, *d));
    for (webhook_id, _, at, code) in notes {
        if code.is_some_and(|s| (200..300).contains(&s)) {
            store::webhooks::note_success(uow.db(), webhook_id).await?;
            continue;
        }
        let Some(sub) = store::webhooks::note_failure(uow.db(), webhook_id, at).await? else {
            continue;
        };
        let gone = code == Some(410);
        if sub.status != WebhookStatus::Active
            || !should_disable(gone, sub.consecutive_failures, sub.failing_since, at)
        {
            continue;
        }
        let reason = if gone {
            "the receiver answered 410 Gone".to_owned()
        } else {
            format!(
                "{} attempts in a row failed since {}",
                sub.consecutive_failures,
                sub.failing_since
                    .map_or_else(String::new, |t| t.to_rfc3339())
            )
        };
        if let Some(off) = store::webhooks::set_status(
            uow.db(),
            sub.id,
            WebhookStatus::Active,
            WebhookStatus::Disabled,
            Some(reason.clone()),
            now,
        )
        .await?
        {
            uow.record(
                NewEvent::new(
                    AggregateType::Webhook,
                    off.id,
                    "disable",
                    Visibility::Commission,
                )
                .version(off.version)
                .reason(Some(reason))
                .payload(
                    PatchOp::change(
                        "/status",
                        json!(WebhookStatus::Active),
                        json!(WebhookStatus::Disabled),
                    )
                    .into_iter()
                    .collect(),
                ),
            );
            report.disabled += 1;
        }
    }
    uow.commit().await?;
    Ok(())
}

/// Delivers everything due now: claims a batch, posts it concurrently, records the outcomes,
/// and again until nothing is due. The background worker calls it on an interval; tests call it
/// after moving the clock.
///
/// # Errors
/// Database failures (what was recorded before stays recorded; the rest is retried after its
/// lease expires).
#[tracing::instrument(skip_all)]
pub async fn deliver_due(state: &AppState) -> Result<Report> {
    let owner = uuid::Uuid::new_v4().simple().to_string();
    let batch = state.settings.webhooks.batch.max(1);
    let mut report = Report::default();
    loop {
        let claimed = claim(state, &owner, batch).await?;
        if claimed.is_empty() {
            break;
        }
        report.claimed += u64::try_from(claimed.len()).unwrap_or(0);
        let parallel = usize::try_from(batch).unwrap_or(1);
        let outcomes: Vec<(Claimed, Outcome)> = futures_util::stream::iter(claimed)
            .map(|c| async move {
                let o = send(state, &c).await;
                (c, o)
            })
            .buffer_unordered(parallel)
            .collect()
            .await;
        record(state, &owner, outcomes, &mut report).await?;
    }
    if report.claimed > 0 {
        tracing::info!(?report, "webhook deliveries");
    }
    Ok(report)
}
