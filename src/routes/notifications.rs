//! Notices to people: the reader's own notifications, and the address they are emailed to.

use actix_web::{get, post, put, web};

use super::views::notifications::{
    EmailBody, NotificationDto, NotificationPage, NotificationQuery,
};
use super::Data;
use crate::app::notifications;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::{ValidJson, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_my_notifications)
        .service(read_my_notification)
        .service(set_my_email);
}

/// The caller's notifications, newest first (by id, descending): each with its reason code, its
/// text in the request's language, the object it concerns and when. `after=next` pages to older
/// ones; `unread=true` keeps the unread only.
#[utoipa::path(
    tag = "users",
    operation_id = "list_my_notifications",
    security(("bearer_auth" = [])),
    params(NotificationQuery),
    responses(
        (status = 200, body = NotificationPage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/users/me/notifications")]
async fn list_my_notifications(
    state: Data,
    caller: Caller,
    query: ValidQuery<NotificationQuery>,
) -> Result<web::Json<NotificationPage>> {
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(50);
    let list = notifications::list(
        &state,
        &caller,
        q.after,
        q.unread.unwrap_or(false),
        limit,
        crate::i18n::current(),
    )
    .await?;
    let full = u64::try_from(list.len()).unwrap_or(0) == limit;
    let next = list.last().filter(|_| full).map(|r| r.notice.id);
    Ok(web::Json(NotificationPage {
        notifications: list.into_iter().map(NotificationDto::from).collect(),
        next,
    }))
}

/// Mark one of the caller's notifications read (again: no change). Another account's → 404.
#[utoipa::path(
    tag = "users",
    operation_id = "read_my_notification",
    security(("bearer_auth" = [])),
    params(("id" = i64, Path, description = "Notification id")),
    responses(
        (status = 200, body = NotificationDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[post("/users/me/notifications/{id}/read")]
async fn read_my_notification(
    state: Data,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<NotificationDto>> {
    let n =
        notifications::mark_read(&state, &caller, id.into_inner(), crate::i18n::current()).await?;
    Ok(web::Json(n.into()))
}

/// Set (or, with null, remove) the caller's email address: notices are also emailed there when
/// the service has an SMTP server.
#[utoipa::path(
    tag = "users",
    operation_id = "set_my_email",
    security(("bearer_auth" = [])),
    request_body = EmailBody,
    responses(
        (status = 200, body = EmailBody),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/users/me/email")]
async fn set_my_email(
    state: Data,
    caller: Caller,
    body: ValidJson<EmailBody>,
) -> Result<web::Json<EmailBody>> {
    let email = notifications::set_own_email(&state, &caller, body.0.email.as_deref()).await?;
    Ok(web::Json(EmailBody { email }))
}
