//! jiebang: the 揭榜挂帅 competition service. `main.rs` is a thin CLI over this library.

pub mod app;
pub mod auditor;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod db;
pub mod demo;
pub mod demo_load;
pub mod demo_run;
pub mod demo_year;
pub use jiebang_domain as domain;
// The domain's `msg!` macro (and its module): `crate::msg!("field-blank")` everywhere.
pub use jiebang_domain::msg;
pub mod error;
pub mod extract;
pub mod headers;
pub mod i18n;
pub mod keys;
pub mod metrics;
pub mod objects;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
