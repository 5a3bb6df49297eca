//! Liveness and readiness.

use actix_web::{get, HttpRequest, HttpResponse};

use super::Data;
use crate::app;
use crate::error::Result;

/// The process is alive.
#[utoipa::path(tag = "operations", operation_id = "get_healthz", security(), responses((status = 200, description = "Alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The database answers and has every migration of this binary applied.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_readyz",
    security(),
    responses((status = 200, description = "Ready"), (status = 503, description = "The database does not answer, or lacks migrations of this binary"))
)]
#[get("/readyz")]
pub async fn readyz(state: Data) -> Result<HttpResponse> {
    Ok(match app::health::ready(&state).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ready"})),
        Err(why) => HttpResponse::ServiceUnavailable()
            .content_type("application/problem+json")
            .json(serde_json::json!({
                    "type": "https://jiebang.example/problems/unavailable",
                    "title": "Service unavailable",
                    "status": 503,
                "detail": match why {
                    app::health::NotReady::Database => "the database does not answer".to_owned(),
                    app::health::NotReady::Migrations(n) =>
                        format!("the database lacks {n} migration(s) of this binary"),
                }
            })),
    })
}

/// The process's metrics in Prometheus text format: requests and latency by route template and
/// status, the database pool, bids received, selections run, failed logins, webhook deliveries.
/// Needs the `metrics.token` setting (404 without it) sent as a bearer token.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_metrics",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Prometheus text exposition format 0.0.4", content_type = "text/plain; version=0.0.4", body = String),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/metrics")]
pub async fn metrics(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let text = app::health::metrics(&state, token)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}
