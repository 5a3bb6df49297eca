//! Indexes for keyset pages: every list walks `(filter columns…, id)` in id order from a cursor,
//! so a page costs the same at any depth. The round's proposals by id alone and by district and
//! by state (by cluster and by owner are in `m20261202_000014_scale`), an aggregate's history by
//! `seq`, the notices (calls by state) and the accounts of one role.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(name, table, columns)`.
const INDEXES: [(&str, &str, &[&str]); 6] = [
    ("ix_proposal_round_id", "proposal", &["round_id", "id"]),
    (
        "ix_proposal_round_district_id",
        "proposal",
        &["round_id", "district_code", "id"],
    ),
    (
        "ix_proposal_round_status_id",
        "proposal",
        &["round_id", "status", "id"],
    ),
    (
        "ix_event_aggregate_seq",
        "event",
        &["aggregate_type", "aggregate_id", "seq"],
    ),
    ("ix_call_status_id", "call", &["status", "id"]),
    ("ix_app_user_role_id", "app_user", &["role", "id"]),
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
