//! Readiness: whether the service can reach its database.

use crate::state::AppState;
use crate::store;

/// True when the database answers; a failure is logged, not returned (the caller only needs to
/// know whether to send traffic here).
#[tracing::instrument(skip_all)]
pub async fn ready(state: &AppState) -> bool {
    match store::settings::ping(&state.db).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            false
        }
    }
}
