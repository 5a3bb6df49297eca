//! Request and response types (DTOs), one file per resource: what crosses the HTTP boundary.
//! Built from the domain values the `app::` use cases return; never from entity models.

pub mod acceptance;
pub mod audit;
pub mod award;
pub mod bids;
pub mod brains;
pub mod calls;
pub mod charts;
pub mod documents;
pub mod enquiries;
pub mod exports;
pub mod feed;
pub mod findings;
pub mod history;
pub mod inventories;
pub mod lists;
pub mod notifications;
pub mod ocds;
pub mod organisations;
pub mod pages;
pub mod panel;
pub mod projects;
pub mod proposals;
pub mod reference;
pub mod rounds;
pub mod selection;
pub mod users;
pub mod webhooks;

/// The page of an array endpoint: items after a cursor, in id (or `seq`) order. When another
/// page may follow, the answer carries `Link: <…>; rel="next"` (RFC 8288) with the next cursor.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The cursor: the last id (or `seq`) seen, as in the `Link` header's next page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Items per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

impl PageQuery {
    /// The validated page.
    ///
    /// # Errors
    /// 422 naming `limit` or `after`.
    pub fn args(&self) -> crate::error::Result<crate::app::paging::PageArgs> {
        crate::app::paging::PageArgs::array(self.after, self.limit)
    }
}

/// The page of a history: its entries after a `seq`, oldest first. When another page may
/// follow, the answer carries `Link: <…>; rel="next"` (RFC 8288) with the next cursor.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// The cursor: the last `seq` seen, as in the `Link` header's next page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Entries per page, 1–1000 (default 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

impl HistoryQuery {
    /// The validated page.
    ///
    /// # Errors
    /// 422 naming `limit` or `after`.
    pub fn args(&self) -> crate::error::Result<crate::app::paging::PageArgs> {
        use crate::app::paging::{PageArgs, MAX_LIMIT};
        PageArgs::new(self.after, self.limit, MAX_LIMIT, MAX_LIMIT)
    }
}
