//! For the data platform: the verifiable log's Merkle tree (RFC 9162) over the public events,
//! kept as the hashes of its complete subtrees so that any tree head and any proof is read from
//! O(log n) stored nodes, never recomputed from the whole log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn big(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .big_integer()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The tree's head: how many leaves it holds and the last event seq read into it. One
        // row, locked by whoever extends the tree.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("merkle_head"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(big("size"))
                    .col(big("last_seq"))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("INSERT INTO merkle_head (id, size, last_seq) VALUES (1, 0, 0)")
            .await?;
        // Leaf i of the tree is the public event `seq`.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("merkle_leaf"))
                    .col(
                        ColumnDef::new(Alias::new("idx"))
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(big("seq").unique_key())
                    .to_owned(),
            )
            .await?;
        // The hash of the complete subtree of 2^level leaves starting at leaf idx·2^level
        // (level 0: the leaf hashes), hex.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("merkle_node"))
                    .col(ColumnDef::new(Alias::new("level")).integer().not_null())
                    .col(big("idx"))
                    .col(ColumnDef::new(Alias::new("hash")).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(Alias::new("level"))
                            .col(Alias::new("idx")),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["merkle_node", "merkle_leaf", "merkle_head"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
