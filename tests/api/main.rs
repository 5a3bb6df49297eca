#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

//! Integration tests: the real server on port 0, a fresh migrated database per test
//! (SQLite by default; PostgreSQL when `TEST_DATABASE_URL` is set).

mod acceptance;
mod attestation;
mod auth;
mod call_integrity;
mod calls;
mod chinese;
mod credentials;
mod demo;
mod documents;
mod enquiries;
mod errors;
mod events;
mod examples;
mod feed;
mod helpers;
mod hygiene;
mod inventories;
mod joint_builders;
mod notifications;
mod ocds;
mod openapi;
mod pages;
mod pagination;
mod projects;
mod proposals;
mod reference;
mod scale;
mod schema;
mod selection;
mod smtp_sink;
mod transparency;
mod users;
mod webhooks;
mod withdrawal;
