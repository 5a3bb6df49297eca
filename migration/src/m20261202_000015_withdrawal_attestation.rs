//! Bid withdrawal and attestation (issue 16 items 6 and 4): the receipts of withdrawn bids, the
//! truthfulness statement (真实性承诺) stored with a proposal's submission, and the commission's
//! findings of falsification.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn int(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .integer()
        .not_null()
        .to_owned()
}
fn text(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .text()
        .not_null()
        .to_owned()
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
fn int_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).integer().null().to_owned()
}
fn fk(table: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}
fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id"))
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A withdrawal's receipt: the receipt it withdrew, when, by whom, and the SHA-256 of its
        // canonical statement. A bid is withdrawn while its latest withdrawal names its current
        // receipt (a later submission reinstates it); rows are never changed.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("bid_withdrawal"))
                    .col(id())
                    .col(int("bid_id"))
                    .col(int("call_id"))
                    .col(int("receipt_id"))
                    .col(int("withdrawn_by"))
                    .col(ts("withdrawn_at"))
                    .col(text("sha256"))
                    .foreign_key(&mut fk("bid_withdrawal", "bid_id", "bid"))
                    .foreign_key(&mut fk("bid_withdrawal", "call_id", "call"))
                    .foreign_key(&mut fk("bid_withdrawal", "receipt_id", "bid_receipt"))
                    .foreign_key(&mut fk("bid_withdrawal", "withdrawn_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_bid_withdrawal_receipt")
                    .table(Alias::new("bid_withdrawal"))
                    .col(Alias::new("receipt_id"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bid_withdrawal_call")
                    .table(Alias::new("bid_withdrawal"))
                    .col(Alias::new("call_id"))
                    .to_owned(),
            )
            .await?;
        // The truthfulness statement of a proposal's latest submission (JSON: the statement, the
        // person who made it, when); bids carry theirs inside the sealed content.
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("proposal"))
                    .add_column(ColumnDef::new(Alias::new("attestation")).json().null())
                    .to_owned(),
            )
            .await?;
        // A finding of falsification: what it concerns, why, on what evidence; `draft` (the
        // commission's) until `final` (public).
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("falsification_finding"))
                    .col(id())
                    .col(text("subject_type"))
                    .col(int("subject_id"))
                    .col(text("reason"))
                    .col(text("evidence"))
                    .col(text("status"))
                    .col(int("version"))
                    .col(int("created_by"))
                    .col(ts("created_at"))
                    .col(int_null("finalised_by"))
                    .col(ts_null("finalised_at"))
                    .foreign_key(&mut fk("falsification_finding", "created_by", "app_user"))
                    .foreign_key(&mut fk("falsification_finding", "finalised_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_falsification_finding_subject")
                    .table(Alias::new("falsification_finding"))
                    .col(Alias::new("subject_type"))
                    .col(Alias::new("subject_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("falsification_finding"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("proposal"))
                    .drop_column(Alias::new("attestation"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Alias::new("bid_withdrawal")).to_owned())
            .await?;
        Ok(())
    }
}
