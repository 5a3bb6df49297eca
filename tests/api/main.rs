#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

//! Integration tests: the real server on port 0, a fresh migrated database per test
//! (SQLite by default; PostgreSQL when `TEST_DATABASE_URL` is set).

mod auth;
mod call_integrity;
mod calls;
mod credentials;
mod errors;
mod events;
mod helpers;
mod hygiene;
mod openapi;
mod projects;
mod proposals;
mod reference;
mod schema;
mod selection;
mod users;
