//! Indexes for reads at scale: the filter columns of the list endpoints (a proposal's cluster and
//! owner, a call's round and status, a project's round and status), the keyset orders of the
//! paginated lists, and the event log by aggregate type in `seq` order (the public caches read
//! the last change of the reference data from it in one cheap query).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(name, table, columns)`.
const INDEXES: [(&str, &str, &[&str]); 8] = [
    ("ix_event_type_seq", "event", &["aggregate_type", "seq"]),
    (
        "ix_proposal_round_cluster",
        "proposal",
        &["round_id", "cluster_code", "id"],
    ),
    (
        "ix_proposal_round_owner",
        "proposal",
        &["round_id", "owner_organisation_id", "id"],
    ),
    (
        "ix_call_round_status",
        "call",
        &["round_id", "status", "id"],
    ),
    ("ix_call_list_item", "call", &["list_item_id"]),
    ("ix_bid_call", "bid", &["call_id", "id"]),
    (
        "ix_project_round_status",
        "project",
        &["round_id", "status", "id"],
    ),
    (
        "ix_selection_run_round",
        "selection_run",
        &["round_id", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(Alias::new(table)).if_not_exists();
            for c in columns {
                index.col(Alias::new(*c));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
