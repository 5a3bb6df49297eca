//! Documents (issue 16 item 1): uploaded files owned by a proposal, a bid, a project or a
//! finding, each with its versions. The bytes live in the object store (never in the database);
//! a version row names its object, the media type sniffed from the bytes, size, SHA-256, who
//! uploaded it and when, and whether the object is sealed (encrypted under the bid's key).

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
fn ts(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .not_null()
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
                    .table(Alias::new("document"))
                    .col(id())
                    // proposal, bid, project or finding, and that object's id.
                    .col(text("owner_type"))
                    .col(int("owner_id"))
                    .col(text("kind"))
                    .col(int("created_by"))
                    .col(ts("created_at"))
                    // The number of its latest version; also the row's version for If-Match.
                    .col(int("version"))
                    .foreign_key(&mut fk("document", "created_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_document_owner")
                    .table(Alias::new("document"))
                    .col(Alias::new("owner_type"))
                    .col(Alias::new("owner_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("document_version"))
                    .col(id())
                    .col(int("document_id"))
                    .col(int("number"))
                    .col(text("name"))
                    .col(text("media_type"))
                    .col(
                        ColumnDef::new(Alias::new("size"))
                            .big_integer()
                            .not_null()
                            .to_owned(),
                    )
                    .col(text("sha256"))
                    // The object's key in the store (random, never reused).
                    .col(text("object_key"))
                    // The sealing key version when the object is encrypted, else null.
                    .col(int_null("sealed_key_version"))
                    .col(int("uploaded_by"))
                    .col(int_null("uploader_organisation_id"))
                    .col(ts("uploaded_at"))
                    .foreign_key(&mut fk("document_version", "document_id", "document"))
                    .foreign_key(&mut fk("document_version", "uploaded_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_document_version_number")
                    .table(Alias::new("document_version"))
                    .col(Alias::new("document_id"))
                    .col(Alias::new("number"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("document_version"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Alias::new("document")).to_owned())
            .await?;
        Ok(())
    }
}
