//! Enquiries (答疑/澄清) during a call's open window (issue 16 item 5): a prospective bidder's
//! question (who asked stays with the commission), the commission's answer, and whether the
//! answer amended the call.

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
            .create_table(
                Table::create()
                    .table(Alias::new("enquiry"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(int("call_id"))
                    .col(int("asked_by"))
                    .col(int_null("organisation_id"))
                    .col(text("question"))
                    .col(ts("asked_at"))
                    .col(text_null("answer"))
                    .col(int_null("answered_by"))
                    .col(ts_null("answered_at"))
                    // The call's closes_at before and after, when the answer amended the call.
                    .col(ts_null("closes_at_before"))
                    .col(ts_null("closes_at_after"))
                    .col(int("version"))
                    .foreign_key(&mut fk("enquiry", "call_id", "call"))
                    .foreign_key(&mut fk("enquiry", "asked_by", "app_user"))
                    .foreign_key(&mut fk("enquiry", "answered_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enquiry_call")
                    .table(Alias::new("enquiry"))
                    .col(Alias::new("call_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("enquiry")).to_owned())
            .await?;
        Ok(())
    }
}
