//! Persistence: functions over `&impl ConnectionTrait`, one file per kind of object.

pub mod calls;
pub mod events;
pub mod organisations;
pub mod proposals;
pub mod reference;
pub mod rounds;
pub mod selections;
pub mod settings;
pub mod users;
