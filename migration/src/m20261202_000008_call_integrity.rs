//! Recusals found from data are frozen when a call's bids are opened (or when an expert joins the
//! panel of an opened call): one row per expert and bid with the reason the data gave then. Later
//! profile edits and the passing of time do not change them, so a recusal can neither lapse nor
//! appear in the middle of a review.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "recusal";
const UNIQUE: &str = "ux_recusal_call_expert_bid";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new(TABLE))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Alias::new("call_id")).integer().not_null())
                    .col(ColumnDef::new(Alias::new("expert_id")).integer().not_null())
                    .col(ColumnDef::new(Alias::new("bid_id")).integer().not_null())
                    .col(ColumnDef::new(Alias::new("reason")).text().not_null())
                    .col(
                        ColumnDef::new(Alias::new("frozen_at"))
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Alias::new(TABLE), Alias::new("call_id"))
                            .to(Alias::new("call"), Alias::new("id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Alias::new(TABLE), Alias::new("bid_id"))
                            .to(Alias::new("bid"), Alias::new("id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(UNIQUE)
                    .table(Alias::new(TABLE))
                    .col(Alias::new("call_id"))
                    .col(Alias::new("expert_id"))
                    .col(Alias::new("bid_id"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new(TABLE)).to_owned())
            .await
    }
}
