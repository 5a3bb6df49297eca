//! sea-orm entities: the database's shape, nothing more. Models never cross the HTTP boundary;
//! `src/routes/` maps them to response types of their own.

pub mod app_setting;
pub mod cluster;
pub mod district;
pub mod industry_class;
pub mod list_item;
pub mod list_version;
pub mod organisation;
pub mod proposal;
pub mod proposal_event;
pub mod round;
pub mod selection_run;
pub mod user;
