//! Credentials and keys (issue 9, items 8–10):
//! - `app_user.credential_version`: bumped by every password change; tokens carry the version
//!   they were issued at, so a change invalidates every earlier token.
//! - `bid_receipt.key_version`: which sealing key a receipt's content is sealed under — 1, the
//!   key derived from the token secret until now; 2, the separate sealing key. Existing rows are
//!   1, and the start re-seals them under version 2.
//! - `login_throttle`: failed logins counted per account and per client address, in the database
//!   so that the limit holds across instances.
//! - The token key that was kept in the database (`app_setting.jwt_secret`) is deleted: keys live
//!   in the settings or the key file, never in the database (the start moves it into the key file
//!   before this runs).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const THROTTLE: &str = "login_throttle";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("app_user"))
                    .add_column(
                        ColumnDef::new(Alias::new("credential_version"))
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("bid_receipt"))
                    .add_column(
                        ColumnDef::new(Alias::new("key_version"))
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new(THROTTLE))
                    .col(
                        ColumnDef::new(Alias::new("key"))
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Alias::new("failures")).integer().not_null())
                    .col(
                        ColumnDef::new(Alias::new("last_failure_at"))
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Alias::new("locked_until"))
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Alias::new("app_setting"))
                    .and_where(Expr::col(Alias::new("key")).eq("jwt_secret"))
                    .to_owned(),
            )
            .await
    }

    /// The deleted key is not restored (it is in the key file).
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new(THROTTLE)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("bid_receipt"))
                    .drop_column(Alias::new("key_version"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("app_user"))
                    .drop_column(Alias::new("credential_version"))
                    .to_owned(),
            )
            .await
    }
}
