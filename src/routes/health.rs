//! Liveness and readiness.

use actix_web::{get, HttpResponse};

use super::Data;
use crate::app;
use crate::error::Result;

/// The process is alive.
#[utoipa::path(tag = "operations", operation_id = "get_healthz", security(), responses((status = 200, description = "Alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The database answers.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_readyz",
    security(),
    responses((status = 200, description = "Ready"), (status = 503, description = "The database does not answer"))
)]
#[get("/readyz")]
pub async fn readyz(state: Data) -> Result<HttpResponse> {
    Ok(if app::health::ready(&state).await {
        HttpResponse::Ok().json(serde_json::json!({"status": "ready"}))
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("application/problem+json")
            .json(serde_json::json!({
                    "type": "https://jiebang.example/problems/unavailable",
                    "title": "Service unavailable",
                    "status": 503,
                "detail": "the database does not answer"
            }))
    })
}
