//! Schema migrations. A migration that has landed is never edited: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_foundation;
mod m20261129_000002_intake;
mod m20261129_000003_selection;
mod m20261129_000004_calls;
mod m20261202_000005_event_log;
mod m20261202_000006_bid_receipts;
mod m20261202_000007_constraints;
mod m20261202_000008_call_integrity;
mod m20261202_000009_credentials;
mod m20261202_000010_platform;
mod m20261202_000011_projects;
mod m20261202_000012_lifecycle;
mod m20261202_000013_webhooks;
mod m20261202_000014_scale;
mod m20261202_000015_withdrawal_attestation;
mod m20261202_000016_enquiries;
mod m20261202_000017_documents;
mod m20261202_000018_notifications;
mod m20261203_000019_builders;
mod m20261203_000020_inventories;
mod m20261203_000021_pagination;
mod m20261203_000022_selection_storage;
mod seed;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_intake::Migration),
            Box::new(m20261129_000003_selection::Migration),
            Box::new(m20261129_000004_calls::Migration),
            Box::new(m20261202_000005_event_log::Migration),
            Box::new(m20261202_000006_bid_receipts::Migration),
            Box::new(m20261202_000007_constraints::Migration),
            Box::new(m20261202_000008_call_integrity::Migration),
            Box::new(m20261202_000009_credentials::Migration),
            Box::new(m20261202_000010_platform::Migration),
            Box::new(m20261202_000011_projects::Migration),
            Box::new(m20261202_000012_lifecycle::Migration),
            Box::new(m20261202_000013_webhooks::Migration),
            Box::new(m20261202_000014_scale::Migration),
            Box::new(m20261202_000015_withdrawal_attestation::Migration),
            Box::new(m20261202_000016_enquiries::Migration),
            Box::new(m20261202_000017_documents::Migration),
            Box::new(m20261202_000018_notifications::Migration),
            Box::new(m20261203_000019_builders::Migration),
            Box::new(m20261203_000020_inventories::Migration),
            Box::new(m20261203_000021_pagination::Migration),
            Box::new(m20261203_000022_selection_storage::Migration),
        ]
    }
}
