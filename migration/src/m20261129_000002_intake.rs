//! Intake: rounds, proposals and their history.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Round {
    Table,
    Id,
    Year,
    Title,
    IntakeDeadlineText,
    IntakeDeadline,
    ListSize,
    Settings,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Proposal {
    Table,
    Id,
    RoundId,
    Status,
    DistrictCode,
    ClusterCode,
    OwnerOrganisationId,
    CreatedBy,
    Form,
    Plan,
    Version,
    SubmittedAt,
    SealedAt,
    SealedBy,
    SealStatement,
    Reasons,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProposalEvent {
    Table,
    Id,
    ProposalId,
    Version,
    ActorId,
    ActorRole,
    At,
    Action,
    FromStatus,
    ToStatus,
    Changes,
    Note,
}

#[derive(DeriveIden)]
enum District {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
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
                    .table(Round::Table)
                    .col(pk(Round::Id))
                    .col(
                        ColumnDef::new(Round::Year)
                            .integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Round::Title).string().not_null())
                    .col(
                        ColumnDef::new(Round::IntakeDeadlineText)
                            .string()
                            .not_null(),
                    )
                    .col(ts(Round::IntakeDeadline))
                    .col(ColumnDef::new(Round::ListSize).integer().not_null())
                    .col(ColumnDef::new(Round::Settings).json().not_null())
                    .col(ColumnDef::new(Round::Version).integer().not_null())
                    .col(ts(Round::CreatedAt))
                    .col(ts(Round::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Proposal::Table)
                    .col(pk(Proposal::Id))
                    .col(ColumnDef::new(Proposal::RoundId).integer().not_null())
                    .col(ColumnDef::new(Proposal::Status).string().not_null())
                    .col(ColumnDef::new(Proposal::DistrictCode).string().not_null())
                    .col(ColumnDef::new(Proposal::ClusterCode).string().null())
                    .col(
                        ColumnDef::new(Proposal::OwnerOrganisationId)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(Proposal::CreatedBy).integer().not_null())
                    .col(ColumnDef::new(Proposal::Form).json().not_null())
                    .col(ColumnDef::new(Proposal::Plan).json().not_null())
                    .col(ColumnDef::new(Proposal::Version).integer().not_null())
                    .col(
                        ColumnDef::new(Proposal::SubmittedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Proposal::SealedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Proposal::SealedBy).integer().null())
                    .col(ColumnDef::new(Proposal::SealStatement).text().null())
                    .col(ColumnDef::new(Proposal::Reasons).text().null())
                    .col(ts(Proposal::CreatedAt))
                    .col(ts(Proposal::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Proposal::Table, Proposal::RoundId)
                            .to(Round::Table, Round::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Proposal::Table, Proposal::DistrictCode)
                            .to(District::Table, District::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Proposal::Table, Proposal::OwnerOrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Proposal::Table, Proposal::CreatedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_proposal_round_district")
                    .table(Proposal::Table)
                    .col(Proposal::RoundId)
                    .col(Proposal::DistrictCode)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_proposal_round_status")
                    .table(Proposal::Table)
                    .col(Proposal::RoundId)
                    .col(Proposal::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProposalEvent::Table)
                    .col(pk(ProposalEvent::Id))
                    .col(
                        ColumnDef::new(ProposalEvent::ProposalId)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProposalEvent::Version).integer().not_null())
                    .col(ColumnDef::new(ProposalEvent::ActorId).integer().not_null())
                    .col(ColumnDef::new(ProposalEvent::ActorRole).string().not_null())
                    .col(ts(ProposalEvent::At))
                    .col(ColumnDef::new(ProposalEvent::Action).string().not_null())
                    .col(ColumnDef::new(ProposalEvent::FromStatus).string().null())
                    .col(ColumnDef::new(ProposalEvent::ToStatus).string().not_null())
                    .col(ColumnDef::new(ProposalEvent::Changes).json().not_null())
                    .col(ColumnDef::new(ProposalEvent::Note).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProposalEvent::Table, ProposalEvent::ProposalId)
                            .to(Proposal::Table, Proposal::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One event per proposal version: a second writer of the same version fails here too.
        manager
            .create_index(
                Index::create()
                    .name("ux_proposal_event_version")
                    .table(ProposalEvent::Table)
                    .col(ProposalEvent::ProposalId)
                    .col(ProposalEvent::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProposalEvent::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Proposal::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Round::Table).to_owned())
            .await
    }
}
