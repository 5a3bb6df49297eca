//! Persistence: functions over `&impl ConnectionTrait`, one file per kind of object.

pub mod acceptance;
pub mod bids;
pub mod calls;
pub mod documents;
pub mod enquiries;
pub mod events;
pub mod findings;
pub mod inventories;
pub mod merkle;
pub mod notifications;
pub mod objections;
pub mod organisations;
pub mod panel;
pub mod plaques;
pub mod projects;
pub mod proposals;
pub mod reference;
pub mod rounds;
pub mod scores;
pub mod selections;
pub mod settings;
pub mod throttle;
pub mod users;
pub mod webhooks;
