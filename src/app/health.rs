//! Readiness: whether the service can reach its database and the schema is the binary's.

use crate::state::AppState;
use crate::store;

/// Why an instance is not ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReady {
    /// The database does not answer.
    Database,
    /// The database lacks this many of the binary's migrations.
    Migrations(usize),
}

/// `Ok` when the database answers and every migration of this binary is applied; a failure is
/// logged with its cause, the caller only learns whether to send traffic here.
///
/// # Errors
/// What is not ready.
#[tracing::instrument(skip_all)]
pub async fn ready(state: &AppState) -> Result<(), NotReady> {
    if let Err(e) = store::settings::ping(&state.db).await {
        tracing::warn!(error = %e, "readiness check failed");
        return Err(NotReady::Database);
    }
    match store::settings::pending_migrations(&state.db).await {
        Ok(0) => Ok(()),
        Ok(n) => {
            tracing::warn!(pending = n, "readiness: migrations pending");
            Err(NotReady::Migrations(n))
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness: migrations could not be read");
            Err(NotReady::Database)
        }
    }
}

/// The Prometheus text of the process's metrics, with the database pool read now. Only for the
/// scraper holding `metrics.token`: without the setting the endpoint does not exist (404).
///
/// # Errors
/// 404 when metrics are not enabled, 401 without the right bearer token.
pub fn metrics(state: &AppState, token: Option<&str>) -> crate::error::Result<String> {
    use secrecy::ExposeSecret;
    use sha2::{Digest, Sha256};

    use crate::error::ApiError;

    let Some(expected) = &state.settings.metrics.token else {
        return Err(ApiError::NotFound(crate::msg!("not-found-route-metrics")));
    };
    // Compared as digests: equal-length values whose comparison time says nothing of the token.
    let sent = token.map(|t| Sha256::digest(t.as_bytes()));
    if sent != Some(Sha256::digest(expected.expose_secret().as_bytes())) {
        return Err(ApiError::Unauthorized(crate::msg!(
            "unauthorized-send-metrics-token-authorization-bearer"
        )));
    }
    let Some(handle) = crate::metrics::handle() else {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "the metrics recorder is not installed"
        )));
    };
    let (size, idle, max) = store::settings::pool_stats(&state.db);
    let in_use = size.saturating_sub(idle);
    metrics::gauge!(crate::metrics::DB_POOL_CONNECTIONS, "state" => "in_use")
        .set(f64::from(in_use));
    metrics::gauge!(crate::metrics::DB_POOL_CONNECTIONS, "state" => "idle").set(f64::from(idle));
    metrics::gauge!(crate::metrics::DB_POOL_MAX).set(f64::from(max));
    handle.run_upkeep();
    Ok(handle.render())
}
