//! sea-orm entities: the database's shape, nothing more. Models never cross the HTTP boundary;
//! `src/routes/` maps them to response types of their own.

pub mod app_setting;
pub mod bid;
pub mod bid_receipt;
pub mod call;
pub mod cluster;
pub mod conflict;
pub mod district;
pub mod event;
pub mod event_head;
pub mod expert_profile;
pub mod expert_score;
pub mod industry_class;
pub mod list_item;
pub mod list_version;
pub mod objection;
pub mod organisation;
pub mod panel_member;
pub mod proposal;
pub mod recusal;
pub mod round;
pub mod selection_run;
pub mod user;
