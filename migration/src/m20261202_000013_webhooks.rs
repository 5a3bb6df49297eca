//! Webhooks for data platforms (Standard Webhooks): subscriptions, the durable outbox of
//! deliveries written in the same transaction as the events they carry, and every delivery
//! attempt.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn int(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .integer()
        .not_null()
        .to_owned()
}
fn int_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).integer().null().to_owned()
}
fn big(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .big_integer()
        .not_null()
        .to_owned()
}
fn text(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .text()
        .not_null()
        .to_owned()
}
fn text_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).text().null().to_owned()
}
fn ts(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}
fn ts_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}
fn fk(table: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A subscription: its owner's account, where to post, which events, the signing secret
        // (kept as sent: HMAC needs it), and the run of failures that disables it.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("webhook"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(int("owner_id"))
                    .col(text("url"))
                    .col(ColumnDef::new(Alias::new("event_types")).json().not_null())
                    .col(text("secret"))
                    .col(text("status"))
                    .col(text_null("disabled_reason"))
                    .col(int("consecutive_failures"))
                    .col(ts_null("failing_since"))
                    .col(int("version"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk("webhook", "owner_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        // The outbox: one row per subscription per public event, written by the event's own
        // transaction. `body` is the exact bytes signed and sent on every attempt.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("webhook_delivery"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(int("webhook_id"))
                    .col(big("event_seq"))
                    .col(text("message_id"))
                    .col(text("body"))
                    .col(text("status"))
                    .col(int("attempts"))
                    .col(ts_null("first_attempt_at"))
                    .col(ts("next_at"))
                    .col(ts_null("lease_until"))
                    .col(text_null("lease_owner"))
                    .col(ts("created_at"))
                    .col(ts_null("finished_at"))
                    .foreign_key(&mut fk("webhook_delivery", "webhook_id", "webhook"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_webhook_delivery_event")
                    .table(Alias::new("webhook_delivery"))
                    .col(Alias::new("webhook_id"))
                    .col(Alias::new("event_seq"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        // What the worker looks for: due, pending rows.
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_delivery_due")
                    .table(Alias::new("webhook_delivery"))
                    .col(Alias::new("status"))
                    .col(Alias::new("next_at"))
                    .to_owned(),
            )
            .await?;
        // Every attempt: when, the receiver's status code or the error, and the next retry.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("webhook_attempt"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big("delivery_id"))
                    .col(int("webhook_id"))
                    .col(int("number"))
                    .col(ts("at"))
                    .col(int_null("status_code"))
                    .col(text_null("error"))
                    .col(big("duration_ms"))
                    .col(ts_null("next_retry_at"))
                    .foreign_key(&mut fk(
                        "webhook_attempt",
                        "delivery_id",
                        "webhook_delivery",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_attempt_delivery")
                    .table(Alias::new("webhook_attempt"))
                    .col(Alias::new("delivery_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["webhook_attempt", "webhook_delivery", "webhook"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
