//! Builders as the notice defines them (issue 16 item 2): an organisation's type (区县/园区平台公司,
//! 链主企业, 第三方平台企业, other), and the members of a joint bid, revealed at the opening (the
//! joint builders a bid names are sealed with its content until then).

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
        // Organisations registered before types were kept are `other` until the commission says.
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("organisation"))
                    .add_column(
                        ColumnDef::new(Alias::new("kind"))
                            .text()
                            .not_null()
                            .default("other"),
                    )
                    .to_owned(),
            )
            .await?;
        // The joint builders of an opened bid, in the order the bid names them (the bidder itself
        // is the bid's organisation): written once, at the opening, from the unsealed content.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("bid_member"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(int("bid_id"))
                    .col(int("call_id"))
                    .col(int("organisation_id"))
                    .col(text("role"))
                    .col(int("position"))
                    .foreign_key(&mut fk("bid_member", "bid_id", "bid"))
                    .foreign_key(&mut fk("bid_member", "call_id", "call"))
                    .foreign_key(&mut fk("bid_member", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_bid_member")
                    .table(Alias::new("bid_member"))
                    .col(Alias::new("bid_id"))
                    .col(Alias::new("organisation_id"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bid_member_call")
                    .table(Alias::new("bid_member"))
                    .col(Alias::new("call_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bid_member_organisation")
                    .table(Alias::new("bid_member"))
                    .col(Alias::new("organisation_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("bid_member")).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("organisation"))
                    .drop_column(Alias::new("kind"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
