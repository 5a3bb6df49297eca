//! The third-party evaluator engaged for a plaqued brain's annual evaluations (年度常态化评价):
//! `plaque.evaluator_id`. The acceptance's evaluator is `acceptance.evaluator_id` already.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("plaque"))
                    .add_column(ColumnDef::new(Alias::new("evaluator_id")).integer().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("plaque"))
                    .drop_column(Alias::new("evaluator_id"))
                    .to_owned(),
            )
            .await
    }
}
