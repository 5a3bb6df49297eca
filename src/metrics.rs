//! The process's metrics: the `metrics` facade with a Prometheus recorder, installed once per
//! process (it is global by nature: every instrumented call site reaches it without a handle),
//! rendered by `GET /metrics`.
//!
//! What is recorded, and where:
//! - `http_requests_total` and `http_request_duration_seconds` by route template, method and
//!   status (`telemetry::request_span`);
//! - `db_pool_connections` (in use / idle) and `db_pool_max_connections`, read at each scrape;
//! - `jiebang_bids_received_total`, `jiebang_selections_run_total`, `jiebang_logins_failed_total`,
//!   `jiebang_webhook_deliveries_total` by outcome (the use cases).

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "http_requests_total";
pub const HTTP_DURATION: &str = "http_request_duration_seconds";
pub const DB_POOL_CONNECTIONS: &str = "db_pool_connections";
pub const DB_POOL_MAX: &str = "db_pool_max_connections";
pub const BIDS_RECEIVED: &str = "jiebang_bids_received_total";
pub const SELECTIONS_RUN: &str = "jiebang_selections_run_total";
pub const LOGINS_FAILED: &str = "jiebang_logins_failed_total";
pub const WEBHOOK_DELIVERIES: &str = "jiebang_webhook_deliveries_total";
pub const NOTICES: &str = "jiebang_notices_total";
pub const EMAILS: &str = "jiebang_email_attempts_total";

/// Latency buckets in seconds: 0.5 ms to 10 s.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's recorder, installed on the first call. `None` when another recorder was
/// installed first (the cause is logged once); the service then runs without metrics.
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match built {
                Ok(h) => {
                    describe();
                    Some(h)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests served, by route template, method and status"
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time from the request's arrival to its response head, by route template and status"
    );
    describe_gauge!(
        DB_POOL_CONNECTIONS,
        "Database pool connections, by state (in_use, idle)"
    );
    describe_gauge!(DB_POOL_MAX, "The database pool's size limit");
    describe_counter!(BIDS_RECEIVED, "Bids accepted with a receipt");
    describe_counter!(SELECTIONS_RUN, "Selection runs stored");
    describe_counter!(
        LOGINS_FAILED,
        "Token requests refused (wrong credentials or throttled)"
    );
    describe_counter!(WEBHOOK_DELIVERIES, "Webhook delivery attempts, by outcome");
    describe_counter!(NOTICES, "Notifications written, by reason");
    describe_counter!(EMAILS, "Email attempts, by outcome");
}
