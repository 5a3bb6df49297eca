//! Webhooks as the Standard Webhooks specification has them (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64 HMAC-SHA256 over "id.timestamp.body">`, `whsec_` secrets), and
//! the rules of delivery: which events a subscription takes, when to retry, when to give up on
//! a delivery and when to disable a subscription.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::event::AggregateType;
use super::Msg;

text_enum!(
    /// A subscription's state.
    WebhookStatus {
        /// Deliveries are attempted.
        Active,
        /// After repeated failure (or a `410 Gone`): new events are still kept for it, nothing
        /// is sent until its owner enables it again.
        Disabled,
        /// Deleted by its owner: nothing more is kept or sent.
        Deleted,
    }
);

text_enum!(
    /// A delivery's state.
    DeliveryStatus {
        /// To be attempted (now or at its next retry).
        Pending,
        /// A 2xx was received.
        Delivered,
        /// No 2xx within 24 hours of the first attempt.
        Failed,
    }
);

/// The prefix of a secret as shown to people (Standard Webhooks).
pub const SECRET_PREFIX: &str = "whsec_";

/// How long after its first attempt a delivery is retried.
pub const RETRY_WINDOW: Duration = Duration::hours(24);

/// Failed attempts in a row (over at least [`RETRY_WINDOW`]) that disable a subscription.
pub const DISABLE_AFTER_FAILURES: i32 = 5;

/// At most this many event types per subscription.
pub const MAX_EVENT_TYPES: usize = 64;

/// A signing secret: 24 to 64 random bytes, shown as `whsec_` and their base64.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// 32 bytes from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        Self(bytes)
    }

    /// Reads `whsec_<base64>`.
    ///
    /// # Errors
    /// A text without the prefix, not base64, or not 24–64 bytes long.
    pub fn parse(text: &str) -> Result<Self, Msg> {
        let b64 = text
            .strip_prefix(SECRET_PREFIX)
            .ok_or_else(|| crate::msg!("field-secret-prefix", prefix = SECRET_PREFIX))?;
        let bytes = B64
            .decode(b64)
            .map_err(|_| crate::msg!("field-secret-base64", prefix = SECRET_PREFIX))?;
        if !(24..=64).contains(&bytes.len()) {
            return Err(crate::msg!("field-secret-length", count = bytes.len()));
        }
        Ok(Self(bytes))
    }

    /// `whsec_<base64>`: what is stored and shown once.
    pub fn expose(&self) -> String {
        format!("{SECRET_PREFIX}{}", B64.encode(&self.0))
    }

    /// The `webhook-signature` header's value for a message: `v1,<base64 HMAC-SHA256 over
    /// "id.timestamp.body">`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        // HMAC takes a key of any length.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", B64.encode(mac.finalize().into_bytes()))
    }
}

/// Which events a subscription takes: `*` (every public event), an aggregate type (`call`: all
/// of its events) or a type and an event kind (`call.announce`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventFilter {
    All,
    Type(AggregateType),
    Kind(AggregateType, String),
}

impl EventFilter {
    /// Reads a filter. The aggregate type must be one the log knows; an event kind, which the
    /// state machines name (`submit`, `announce`, `award` …), must be a lower-case word.
    ///
    /// # Errors
    /// An unknown aggregate type or a malformed kind, as a sentence.
    pub fn parse(text: &str) -> Result<Self, Msg> {
        if text == "*" {
            return Ok(Self::All);
        }
        let (kind, event) = match text.split_once('.') {
            Some((k, e)) => (k, Some(e)),
            None => (text, None),
        };
        let kind: AggregateType = kind.parse().map_err(|_| {
            let known: Vec<&str> = <AggregateType as strum::VariantArray>::VARIANTS
                .iter()
                .map(|v| v.as_str())
                .collect();
            crate::msg!(
                "field-event-type",
                kind = format!("{kind:?}"),
                known = known.join(", ")
            )
        })?;
        match event {
            None => Ok(Self::Type(kind)),
            Some(e)
                if (1..=64).contains(&e.len())
                    && e.starts_with(|c: char| c.is_ascii_lowercase())
                    && e.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
            {
                Ok(Self::Kind(kind, e.to_owned()))
            }
            Some(e) => Err(crate::msg!("field-event-kind", kind = format!("{e:?}"))),
        }
    }

    pub fn matches(&self, kind: AggregateType, event: &str) -> bool {
        match self {
            Self::All => true,
            Self::Type(k) => *k == kind,
            Self::Kind(k, e) => *k == kind && e == event,
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            Self::All => "*".into(),
            Self::Type(k) => k.as_str().into(),
            Self::Kind(k, e) => format!("{}.{e}", k.as_str()),
        }
    }
}

/// Whether any of `filters` takes the event.
pub fn wanted(filters: &[EventFilter], kind: AggregateType, event: &str) -> bool {
    filters.iter().any(|f| f.matches(kind, event))
}

/// Checks a subscription URL: absolute `http` or `https`, with a host, without credentials or
/// a fragment, at most 2,048 characters.
///
/// # Errors
/// The reason, as a sentence.
pub fn parse_url(text: &str) -> Result<url::Url, Msg> {
    if text.len() > 2048 {
        return Err(crate::msg!("field-at-most-chars", max = 2048));
    }
    let url = url::Url::parse(text).map_err(|e| crate::msg!("field-url-absolute", error = e))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(crate::msg!(
            "field-url-scheme",
            scheme = format!("{:?}", url.scheme())
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(crate::msg!("field-url-host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(crate::msg!("field-url-credentials"));
    }
    if url.fragment().is_some() {
        return Err(crate::msg!("field-url-fragment"));
    }
    Ok(url)
}

/// The waits after the 1st, 2nd … failed attempt (Standard Webhooks' example schedule).
const BACKOFF: [Duration; 8] = [
    Duration::seconds(5),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(5),
    Duration::hours(10),
    Duration::hours(14),
    Duration::hours(20),
];

/// When to try again after `attempts` failed attempts, the first at `first`, the last at `now`:
/// the schedule's wait, but never later than 24 hours after the first attempt, and `None` once
/// that moment has been tried (the delivery has failed).
pub fn next_retry(
    first: DateTime<Utc>,
    attempts: i32,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let end = first + RETRY_WINDOW;
    if now >= end {
        return None;
    }
    let i = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    let wait = BACKOFF.get(i).copied().unwrap_or(RETRY_WINDOW);
    Some((now + wait).min(end))
}

/// Whether a subscription is to be disabled after a failed attempt: the receiver said `410
/// Gone`, or every attempt has failed for 24 hours and at least [`DISABLE_AFTER_FAILURES`]
/// times in a row.
pub fn should_disable(
    gone: bool,
    consecutive_failures: i32,
    failing_since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    gone || (consecutive_failures >= DISABLE_AFTER_FAILURES
        && failing_since.is_some_and(|s| now - s >= RETRY_WINDOW))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn signs_the_standard_webhooks_test_vector() {
        let s = Secret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert_eq!(
            s.sign(
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1_649_367_553,
                br#"{"email":"test@example.com","username":"test_user"}"#
            ),
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        );
    }

    #[test]
    fn secrets_round_trip_and_bad_ones_are_refused() {
        let s = Secret::generate();
        assert_eq!(Secret::parse(&s.expose()).unwrap(), s);
        for bad in [
            "C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "whsec_!!!",
            "whsec_AAAA",
        ] {
            assert!(Secret::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(format!("{s:?}"), "Secret(..)");
    }

    #[test]
    fn filters_parse_and_match() {
        assert_eq!(EventFilter::parse("*").unwrap(), EventFilter::All);
        let call = EventFilter::parse("call").unwrap();
        assert!(call.matches(AggregateType::Call, "announce"));
        assert!(!call.matches(AggregateType::Bid, "announce"));
        let k = EventFilter::parse("call.announce").unwrap();
        assert!(k.matches(AggregateType::Call, "announce"));
        assert!(!k.matches(AggregateType::Call, "open"));
        assert_eq!(k.as_text(), "call.announce");
        for bad in ["", "calls", "call.", "call.Announce", "call.a-b", "*.x"] {
            assert!(EventFilter::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn urls_are_http_or_https_with_a_host() {
        assert!(parse_url("https://platform.example/hooks?x=1").is_ok());
        assert!(parse_url("http://127.0.0.1:9000/h").is_ok());
        for bad in [
            "ftp://x.example/",
            "/relative",
            "https://user:pw@x.example/",
            "https://x.example/#frag",
            "mailto:a@b.c",
            "javascript:alert(1)",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retries_back_off_and_stop_24_hours_after_the_first_attempt() {
        let t0 = Utc::now();
        let mut now = t0;
        let mut attempts = 0;
        let mut waits = Vec::new();
        while let Some(next) = next_retry(
            t0,
            {
                attempts += 1;
                attempts
            },
            now,
        ) {
            waits.push(next - now);
            now = next;
        }
        assert_eq!(waits[0], Duration::seconds(5));
        assert_eq!(waits[1], Duration::minutes(5));
        assert_eq!(now, t0 + RETRY_WINDOW, "the last attempt is at 24 h");
        assert_eq!(attempts, 8, "eight attempts in all");
        assert!(waits
            .windows(2)
            .all(|w| w[0] <= w[1] || w[1] < Duration::hours(14)));
    }

    #[test]
    fn disabling_needs_a_day_of_failures_or_a_gone() {
        let t0 = Utc::now();
        assert!(should_disable(true, 1, Some(t0), t0));
        assert!(!should_disable(
            false,
            10,
            Some(t0),
            t0 + Duration::hours(23)
        ));
        assert!(!should_disable(
            false,
            4,
            Some(t0),
            t0 + Duration::hours(30)
        ));
        assert!(should_disable(false, 5, Some(t0), t0 + Duration::hours(24)));
    }
}
