//! Notices to people (issue 16 item 7): each account's notifications, written once per (user,
//! reason, object, deadline); the email outbox sent by the worker, with every attempt; an
//! optional email address on accounts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id"))
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}
fn int(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .integer()
        .not_null()
        .to_owned()
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
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("app_user"))
                    .add_column(text_null("email"))
                    .to_owned(),
            )
            .await?;
        // `occasion` tells apart two notices of one reason on one object: the event's seq for
        // an event-driven one, the deadline for a time-driven one. The unique key makes every
        // writer (several instances on one database included) write it once.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("notification"))
                    .col(id())
                    .col(int("user_id"))
                    .col(text("reason"))
                    .col(text("object_type"))
                    .col(text("object_id"))
                    .col(text("occasion"))
                    .col(text("args"))
                    .col(ts("created_at"))
                    .col(ts_null("read_at"))
                    .foreign_key(&mut fk("notification", "user_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_notification_once")
                    .table(Alias::new("notification"))
                    .col(Alias::new("user_id"))
                    .col(Alias::new("reason"))
                    .col(Alias::new("object_type"))
                    .col(Alias::new("object_id"))
                    .col(Alias::new("occasion"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The email outbox: one row per notification sent by email, written with it.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("email_outbox"))
                    .col(id())
                    .col(big("notification_id"))
                    .col(text("to_address"))
                    .col(text("subject"))
                    .col(text("body"))
                    .col(text("status"))
                    .col(int("attempts"))
                    .col(ts("next_at"))
                    .col(ts_null("lease_until"))
                    .col(text_null("lease_owner"))
                    .col(ts("created_at"))
                    .col(ts_null("sent_at"))
                    .foreign_key(&mut fk("email_outbox", "notification_id", "notification"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_email_outbox_notification")
                    .table(Alias::new("email_outbox"))
                    .col(Alias::new("notification_id"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_email_outbox_due")
                    .table(Alias::new("email_outbox"))
                    .col(Alias::new("status"))
                    .col(Alias::new("next_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("email_attempt"))
                    .col(id())
                    .col(big("email_id"))
                    .col(int("number"))
                    .col(ts("at"))
                    .col(text_null("error"))
                    .col(big("duration_ms"))
                    .col(ts_null("next_at"))
                    .foreign_key(&mut fk("email_attempt", "email_id", "email_outbox"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_email_attempt_email")
                    .table(Alias::new("email_attempt"))
                    .col(Alias::new("email_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["email_attempt", "email_outbox", "notification"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("app_user"))
                    .drop_column(Alias::new("email"))
                    .to_owned(),
            )
            .await
    }
}
