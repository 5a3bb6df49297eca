//! Selection runs and the published list.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SelectionRun {
    Table,
    Id,
    RoundId,
    CreatedBy,
    CreatedAt,
    Inputs,
    InputsHash,
    Solver,
    SolverVersion,
    Outcome,
    Objective,
    Result,
}

#[derive(DeriveIden)]
enum ListVersion {
    Table,
    Id,
    RoundId,
    Version,
    SelectionId,
    Note,
    CorrectionReason,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum ListItem {
    Table,
    Id,
    ListVersionId,
    Rank,
    ProposalId,
    Direction,
    DistrictCode,
    ClusterCode,
    IndustryClass,
    Targets,
    Total,
}

#[derive(DeriveIden)]
enum Round {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Proposal {
    Table,
    Id,
}

fn pk(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SelectionRun::Table)
                    .col(pk(SelectionRun::Id))
                    .col(ColumnDef::new(SelectionRun::RoundId).integer().not_null())
                    .col(ColumnDef::new(SelectionRun::CreatedBy).integer().not_null())
                    .col(
                        ColumnDef::new(SelectionRun::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SelectionRun::Inputs).json().not_null())
                    .col(ColumnDef::new(SelectionRun::InputsHash).string().not_null())
                    .col(ColumnDef::new(SelectionRun::Solver).string().not_null())
                    .col(
                        ColumnDef::new(SelectionRun::SolverVersion)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SelectionRun::Outcome).string().not_null())
                    .col(ColumnDef::new(SelectionRun::Objective).big_integer().null())
                    .col(ColumnDef::new(SelectionRun::Result).json().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelectionRun::Table, SelectionRun::RoundId)
                            .to(Round::Table, Round::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ListVersion::Table)
                    .col(pk(ListVersion::Id))
                    .col(ColumnDef::new(ListVersion::RoundId).integer().not_null())
                    .col(ColumnDef::new(ListVersion::Version).integer().not_null())
                    .col(
                        ColumnDef::new(ListVersion::SelectionId)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ListVersion::Note).text().not_null())
                    .col(ColumnDef::new(ListVersion::CorrectionReason).text().null())
                    .col(
                        ColumnDef::new(ListVersion::PublishedBy)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ListVersion::PublishedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListVersion::Table, ListVersion::RoundId)
                            .to(Round::Table, Round::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListVersion::Table, ListVersion::SelectionId)
                            .to(SelectionRun::Table, SelectionRun::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Two publishers racing for the same version: the second insert fails.
        manager
            .create_index(
                Index::create()
                    .name("ux_list_version_round_version")
                    .table(ListVersion::Table)
                    .col(ListVersion::RoundId)
                    .col(ListVersion::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ListItem::Table)
                    .col(pk(ListItem::Id))
                    .col(ColumnDef::new(ListItem::ListVersionId).integer().not_null())
                    .col(ColumnDef::new(ListItem::Rank).integer().not_null())
                    .col(ColumnDef::new(ListItem::ProposalId).integer().not_null())
                    .col(ColumnDef::new(ListItem::Direction).string().not_null())
                    .col(ColumnDef::new(ListItem::DistrictCode).string().not_null())
                    .col(ColumnDef::new(ListItem::ClusterCode).string().null())
                    .col(ColumnDef::new(ListItem::IndustryClass).json().not_null())
                    .col(ColumnDef::new(ListItem::Targets).json().not_null())
                    .col(ColumnDef::new(ListItem::Total).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListItem::Table, ListItem::ListVersionId)
                            .to(ListVersion::Table, ListVersion::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListItem::Table, ListItem::ProposalId)
                            .to(Proposal::Table, Proposal::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ListItem::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ListVersion::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SelectionRun::Table).to_owned())
            .await
    }
}
