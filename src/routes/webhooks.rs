//! Webhook subscriptions for data platforms (Standard Webhooks): each public event the
//! subscription takes is posted to its URL, signed, at least once, retried for 24 hours.

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};

use super::views::webhooks::{
    CreateWebhook, CreatedWebhook, DeliveryDto, DeliveryPage, DeliveryQuery, WebhookDto,
};
use super::views::PageQuery;
use super::Data;
use crate::app::webhooks;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_webhook)
        .service(list_webhooks)
        .service(get_webhook)
        .service(delete_webhook)
        .service(enable_webhook)
        .service(list_webhook_deliveries);
}

/// Subscribe to public events (data platforms and the commission). Each delivery is a `POST`
/// of `{"type": "<object>.<kind>", "timestamp", "data": <the feed's entry>}` with the headers
/// `webhook-id` (dedupe by it), `webhook-timestamp` and `webhook-signature` (`v1,` and the
/// base64 HMAC-SHA256 of `id.timestamp.body` under the secret's bytes). Only a 2xx counts;
/// anything else is retried with backoff for 24 hours; a `410 Gone` disables the subscription.
/// The secret is shown in this response only.
#[utoipa::path(
    tag = "platform",
    operation_id = "create_webhook",
    security(("bearer_auth" = [])),
    request_body = CreateWebhook,
    responses(
        (status = 201, body = CreatedWebhook, headers(("Location" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/webhooks")]
async fn create_webhook(
    state: Data,
    caller: Caller,
    body: ValidJson<CreateWebhook>,
) -> Result<HttpResponse> {
    let created = webhooks::create(&state, &caller, body.0.into()).await?;
    let location = format!("/api/v1/webhooks/{}", created.webhook.id);
    let mut res = HttpResponse::Created().json(CreatedWebhook::from(created));
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// The caller's subscriptions (the commission sees everyone's), without their secrets.
#[utoipa::path(
    tag = "platform",
    operation_id = "list_webhooks",
    security(("bearer_auth" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = Vec<WebhookDto>, headers(("Link" = String, description = "RFC 8288 `rel=\"next\"` link to the next page, when there may be one"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/webhooks")]
async fn list_webhooks(
    state: Data,
    caller: Caller,
    query: ValidQuery<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let args = query.0.args()?;
    let subs = webhooks::list(&state, &caller).await?;
    Ok(super::paged_from(
        &req,
        args,
        subs,
        |s| i64::from(s.id),
        WebhookDto::from,
    ))
}

/// One subscription: its state and its current run of failures.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_webhook",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Webhook id")),
    responses(
        (status = 200, body = WebhookDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/webhooks/{id}")]
async fn get_webhook(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<WebhookDto>> {
    let sub = webhooks::get(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(sub.into()))
}

/// Delete a subscription: nothing more is queued or sent for it.
#[utoipa::path(
    tag = "platform",
    operation_id = "delete_webhook",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[delete("/webhooks/{id}")]
async fn delete_webhook(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    webhooks::delete(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Enable a subscription disabled after repeated failure: every delivery held or failed since
/// is due at once, with a fresh 24-hour window.
#[utoipa::path(
    tag = "platform",
    operation_id = "enable_webhook",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Webhook id")),
    responses(
        (status = 200, body = WebhookDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict)
    )
)]
#[post("/webhooks/{id}/enable")]
async fn enable_webhook(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<WebhookDto>> {
    let sub = webhooks::enable(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(sub.into()))
}

/// A subscription's deliveries in order, each with its attempts (time, the receiver's status
/// code or the error, the next retry).
#[utoipa::path(
    tag = "platform",
    operation_id = "list_webhook_deliveries",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Webhook id"), DeliveryQuery),
    responses(
        (status = 200, body = DeliveryPage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/webhooks/{id}/deliveries")]
async fn list_webhook_deliveries(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<DeliveryQuery>,
) -> Result<web::Json<DeliveryPage>> {
    let q = query.into_inner();
    let after = q.after.unwrap_or(0);
    let list = webhooks::deliveries(
        &state,
        &caller,
        id.into_inner(),
        after,
        q.status,
        q.limit.unwrap_or(50),
    )
    .await?;
    let next = list.last().map_or(after, |d| d.id);
    Ok(web::Json(DeliveryPage {
        deliveries: list.into_iter().map(DeliveryDto::from).collect(),
        next,
    }))
}
