//! Webhook subscriptions and their deliveries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::webhooks::{Attempt, Created, Delivery, NewWebhook, Subscription};
use crate::domain::webhook::{DeliveryStatus, EventFilter, WebhookStatus};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://platform.example/hooks/jiebang", "event_types": ["list.publish", "call"]}))]
pub struct CreateWebhook {
    /// Where to post: an absolute `http` or `https` URL, without credentials.
    #[schema(example = "https://platform.example/hooks/jiebang")]
    pub url: String,
    /// Which public events: `"*"` for all, an object type (`"call"`: all its events) or a type
    /// and an event kind (`"call.announce"`).
    #[schema(example = json!(["call", "list.publish"]))]
    pub event_types: Vec<String>,
    /// The signing secret, `whsec_` and the base64 of 24–64 random bytes; generated when
    /// absent. Shown only in this request's response.
    #[schema(
        pattern = "^whsec_(?:(?:[A-Za-z0-9+/]{4}){8,20}(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?|(?:[A-Za-z0-9+/]{4}){21}(?:[A-Za-z0-9+/][AQgw]==)?)$"
    )]
    pub secret: Option<String>,
}

impl From<CreateWebhook> for NewWebhook {
    fn from(b: CreateWebhook) -> Self {
        Self {
            url: b.url,
            event_types: b.event_types,
            secret: b.secret,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookDto {
    pub id: i32,
    /// The account that owns it.
    pub owner_id: i32,
    pub url: String,
    pub event_types: Vec<String>,
    /// `active`, or `disabled` after repeated failure (enable it again with `POST …/enable`).
    pub status: WebhookStatus,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// The first of those failed attempts.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Subscription> for WebhookDto {
    fn from(s: Subscription) -> Self {
        Self {
            id: s.id,
            owner_id: s.owner_id,
            url: s.url,
            event_types: s.filters.iter().map(EventFilter::as_text).collect(),
            status: s.status,
            disabled_reason: s.disabled_reason,
            consecutive_failures: s.consecutive_failures,
            failing_since: s.failing_since,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A new subscription with its secret, shown this once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookDto,
    /// `whsec_…`: verify each delivery's `webhook-signature` with it. Not shown again.
    pub secret: String,
}

impl From<Created> for CreatedWebhook {
    fn from(c: Created) -> Self {
        Self {
            webhook: c.webhook.into(),
            secret: c.secret,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// The cursor: 0 (the default) for the first, else the `next` of the previous page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Deliveries per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// Only deliveries in this state.
    pub status: Option<DeliveryStatus>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttemptDto {
    /// 1 for the first attempt.
    pub number: i32,
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status; none when no answer came.
    pub status_code: Option<i32>,
    /// Why no answer came (connection refused, timed out …).
    pub error: Option<String>,
    pub duration_ms: i64,
    /// When the delivery is tried again after this attempt; none after a success or the last
    /// attempt.
    pub next_retry_at: Option<DateTime<Utc>>,
}

impl From<Attempt> for AttemptDto {
    fn from(a: Attempt) -> Self {
        Self {
            number: a.number,
            at: a.at,
            status_code: a.status_code,
            error: a.error,
            duration_ms: a.duration_ms,
            next_retry_at: a.next_retry_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryDto {
    pub id: i64,
    /// The event delivered (its `seq` in the log and the feed).
    pub event_seq: i64,
    /// The `webhook-id` header: the same on every attempt, dedupe by it.
    pub message_id: String,
    /// `pending`, `delivered` or `failed` (no 2xx within 24 hours of the first attempt).
    pub status: DeliveryStatus,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Every attempt, first first.
    pub attempts: Vec<AttemptDto>,
}

impl From<Delivery> for DeliveryDto {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            event_seq: d.event_seq,
            message_id: d.message_id,
            status: d.status,
            next_attempt_at: d.next_at,
            created_at: d.created_at,
            finished_at: d.finished_at,
            attempts: d.attempts.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryPage {
    pub deliveries: Vec<DeliveryDto>,
    /// Resume from here (`after=next`).
    pub next: i64,
}
