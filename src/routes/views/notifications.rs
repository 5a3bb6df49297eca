//! Notices to people.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::notifications::Rendered;
use crate::domain::event::AggregateType;
use crate::domain::notification::Reason;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// The cursor: the `next` of the previous page (the id of its last, oldest, notification);
    /// absent for the newest.
    #[param(minimum = 1)]
    pub after: Option<i64>,
    /// Notifications per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// Only unread ones.
    pub unread: Option<bool>,
}

/// What a notice concerns.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoticeObject {
    #[serde(rename = "type")]
    pub kind: AggregateType,
    pub id: String,
    /// Where to read it in this API.
    #[schema(example = "/api/v1/proposals/12")]
    pub link: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 7, "reason": "proposal_returned",
    "text": "Proposal 12 was returned for changes: the budget table is incomplete",
    "object": {"type": "proposal", "id": "12", "link": "/api/v1/proposals/12"},
    "created_at": "2024-02-03T08:00:00Z", "read_at": null
}))]
pub struct NotificationDto {
    pub id: i64,
    /// Why the reader is told (a stable code).
    pub reason: Reason,
    /// The notice in the request's language (`Accept-Language` or `?lang=`: zh-CN or English).
    pub text: String,
    pub object: NoticeObject,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When the reader marked it read; null while unread.
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<Rendered> for NotificationDto {
    fn from(r: Rendered) -> Self {
        Self {
            id: r.notice.id,
            reason: r.notice.reason,
            text: r.text,
            object: NoticeObject {
                kind: r.notice.object_type,
                id: r.notice.object_id,
                link: r.link,
            },
            created_at: r.notice.created_at,
            read_at: r.notice.read_at,
        }
    }
}

/// A page of the reader's notifications, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationPage {
    pub notifications: Vec<NotificationDto>,
    /// Resume from here (`after=next`) for older ones; null when this page is the last.
    pub next: Option<i64>,
}

/// One's own email address, where notices are also sent (when the service sends email).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "li.ming@example.com"}))]
pub struct EmailBody {
    /// An address like `name@example.com` (at most 254 characters); null removes it.
    #[schema(max_length = 254)]
    pub email: Option<String>,
}
