//! The change feed for data platforms.

use actix_web::{get, web};

use super::views::feed::{FeedPage, FeedQuery};
use super::Data;
use crate::app;
use crate::auth::MaybeCaller;
use crate::error::Result;
use crate::extract::ValidQuery;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_feed);
}

/// Every change in log order from a cursor, as the reader may see it: public events for anyone
/// (data platforms included), everything for the commission (sealed bid receipts as their number
/// and time only). A reader that stores `next` and resumes from it sees each event once, in
/// order, even with concurrent writers. `wait` long-polls when nothing is new.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_feed",
    security((), ("bearer_auth" = [])),
    params(FeedQuery),
    responses(
        (status = 200, body = FeedPage),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/feed")]
async fn get_feed(
    state: Data,
    caller: MaybeCaller,
    query: ValidQuery<FeedQuery>,
) -> Result<web::Json<FeedPage>> {
    let q = query.into_inner();
    let page = app::feed::read(
        &state,
        caller.0.as_ref(),
        q.after.unwrap_or(0),
        q.limit.unwrap_or(100),
        q.wait.unwrap_or(0),
    )
    .await?;
    Ok(web::Json(page.into()))
}
