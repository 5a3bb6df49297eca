//! No placeholder ids: a bid's current receipt is its latest receipt (the highest `bid_receipt.id`
//! of the bid), not a `bid.current_receipt_id` column that held 0 between the bid's insert and its
//! first receipt's. The column goes; an index on `bid_receipt (bid_id, id)` finds the latest
//! receipt of a bid, and of every bid of a call, without a sort.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "idx_bid_receipt_bid_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // The column must say what the rule will: each bid's current receipt is its latest. A bid
        // where it does not (or one without any receipt) would silently change content, so the
        // migration refuses.
        let drifted = db
            .query_all(Statement::from_string(
                db.get_database_backend(),
                "SELECT b.id AS id FROM bid b WHERE b.current_receipt_id <> \
                 COALESCE((SELECT MAX(r.id) FROM bid_receipt r WHERE r.bid_id = b.id), -1) \
                 ORDER BY b.id",
            ))
            .await?;
        if !drifted.is_empty() {
            let ids = drifted
                .iter()
                .map(|r| r.try_get::<i32>("", "id").map(|i| i.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            return Err(DbErr::Migration(format!(
                "bid(s) {} name a current receipt other than their latest; fix them before \
                 dropping bid.current_receipt_id",
                ids.join(", ")
            )));
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Alias::new("bid_receipt"))
                    .col(Alias::new("bid_id"))
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("bid"))
                    .drop_column(Alias::new("current_receipt_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("bid"))
                    .add_column(
                        ColumnDef::new(Alias::new("current_receipt_id"))
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute(Statement::from_string(
            db.get_database_backend(),
            "UPDATE bid SET current_receipt_id = \
             (SELECT MAX(r.id) FROM bid_receipt r WHERE r.bid_id = bid.id) \
             WHERE EXISTS (SELECT 1 FROM bid_receipt r WHERE r.bid_id = bid.id)",
        ))
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Alias::new("bid_receipt"))
                    .to_owned(),
            )
            .await
    }
}
