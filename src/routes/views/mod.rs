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
