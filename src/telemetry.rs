//! Logs: tracing, pretty or JSON, with a request id on every request span.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::settings::{LogFormat, LogSettings};

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_new(&settings.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match settings.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Requests served and their summed latency since the last summary (`summarise`).
static SERVED: AtomicU64 = AtomicU64::new(0);
static SERVER_ERRORS: AtomicU64 = AtomicU64::new(0);
static MICROS: AtomicU64 = AtomicU64::new(0);

/// Logs, at info, what was served since the last call (nothing when nothing was): the aggregated
/// access log. Per-request lines are at debug (5xx at warn); at info they cost as much as the
/// cheapest request itself.
pub fn summarise(period: std::time::Duration) {
    let served = SERVED.swap(0, Ordering::Relaxed);
    let errors = SERVER_ERRORS.swap(0, Ordering::Relaxed);
    let micros = MICROS.swap(0, Ordering::Relaxed);
    if served > 0 {
        tracing::info!(
            requests = served,
            server_errors = errors,
            mean_ms = (micros as f64 / served as f64 / 1e3),
            period_s = period.as_secs(),
            "served"
        );
    }
}

/// Gives each request an id (the caller's `x-request-id` if it is short and printable, else a new
/// UUID), runs the request inside a span carrying it, logs the outcome (at debug; 5xx at warn),
/// counts it in the metrics by route template and echoes the id.
///
/// # Errors
/// Passes on the inner service's error.
pub async fn request_span(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
    );
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let mut res = next.call(req).instrument(span.clone()).await?;
    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    SERVED.fetch_add(1, Ordering::Relaxed);
    MICROS.fetch_add(micros, Ordering::Relaxed);
    if status >= 500 {
        SERVER_ERRORS.fetch_add(1, Ordering::Relaxed);
        span.in_scope(|| tracing::warn!(status, elapsed_ms = micros / 1000, "served"));
    } else {
        span.in_scope(|| tracing::debug!(status, elapsed_ms = micros / 1000, "served"));
    }
    if crate::metrics::handle().is_some() {
        // The route's template (`/api/v1/calls/{id}`), never the raw path: bounded labels.
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let labels = [
            ("route", route),
            ("method", method.as_str().to_owned()),
            ("status", status.to_string()),
        ];
        metrics::counter!(crate::metrics::HTTP_REQUESTS, &labels).increment(1);
        metrics::histogram!(crate::metrics::HTTP_DURATION, &labels).record(elapsed.as_secs_f64());
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    Ok(res)
}
