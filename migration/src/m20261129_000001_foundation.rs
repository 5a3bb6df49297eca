//! Foundation: settings, reference data (districts, clusters, industry classes), organisations, users.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::seed;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppSetting {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum District {
    Table,
    Code,
    Name,
    Kind,
    Region,
    Subregion,
    Leading,
    Characteristic,
    MapVersion,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Cluster {
    Table,
    Code,
    Name,
    Tier,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IndustryClass {
    Table,
    Code,
    Name,
    Parent,
    Level,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Name,
    Uscc,
    DistrictCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    DistrictCode,
    OrganisationId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AppSetting::Table)
                    .col(
                        ColumnDef::new(AppSetting::Key)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AppSetting::Value).text().not_null())
                    .col(
                        ColumnDef::new(AppSetting::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(District::Table)
                    .col(
                        ColumnDef::new(District::Code)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(District::Name).string().not_null())
                    .col(ColumnDef::new(District::Kind).string().not_null())
                    .col(ColumnDef::new(District::Region).string().not_null())
                    .col(ColumnDef::new(District::Subregion).string().null())
                    .col(ColumnDef::new(District::Leading).json().not_null())
                    .col(ColumnDef::new(District::Characteristic).json().not_null())
                    .col(
                        ColumnDef::new(District::MapVersion)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(District::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Cluster::Table)
                    .col(
                        ColumnDef::new(Cluster::Code)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Cluster::Name).string().not_null())
                    .col(ColumnDef::new(Cluster::Tier).string().not_null())
                    .col(
                        ColumnDef::new(Cluster::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Cluster::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IndustryClass::Table)
                    .col(
                        ColumnDef::new(IndustryClass::Code)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(IndustryClass::Name).string().not_null())
                    .col(ColumnDef::new(IndustryClass::Parent).string().null())
                    .col(
                        ColumnDef::new(IndustryClass::Level)
                            .small_integer()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IndustryClass::Table, IndustryClass::Parent)
                            .to(IndustryClass::Table, IndustryClass::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_industry_class_parent")
                    .table(IndustryClass::Table)
                    .col(IndustryClass::Parent)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(
                        ColumnDef::new(Organisation::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Organisation::Name).string().not_null())
                    .col(
                        ColumnDef::new(Organisation::Uscc)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Organisation::DistrictCode)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Organisation::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Organisation::Table, Organisation::DistrictCode)
                            .to(District::Table, District::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(
                        ColumnDef::new(AppUser::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AppUser::Username)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(AppUser::PasswordHash).string().not_null())
                    .col(ColumnDef::new(AppUser::Role).string().not_null())
                    .col(ColumnDef::new(AppUser::DistrictCode).string().null())
                    .col(ColumnDef::new(AppUser::OrganisationId).integer().null())
                    .col(
                        ColumnDef::new(AppUser::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::DistrictCode)
                            .to(District::Table, District::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;

        seed_reference(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AppUser::Table.into_iden(),
            Organisation::Table.into_iden(),
            IndustryClass::Table.into_iden(),
            Cluster::Table.into_iden(),
            District::Table.into_iden(),
            AppSetting::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn seed_reference(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let now = chrono::Utc::now();
    let empty = serde_json_empty_array();

    let mut insert = Query::insert();
    insert.into_table(District::Table).columns([
        District::Code,
        District::Name,
        District::Kind,
        District::Region,
        District::Subregion,
        District::Leading,
        District::Characteristic,
        District::MapVersion,
        District::UpdatedAt,
    ]);
    for d in seed::districts() {
        insert.values_panic([
            d.code.into(),
            d.name.into(),
            d.kind.into(),
            d.region.into(),
            d.subregion.into(),
            empty.clone().into(),
            empty.clone().into(),
            0.into(),
            now.into(),
        ]);
    }
    db.execute(backend.build(&insert)).await?;

    let mut insert = Query::insert();
    insert.into_table(Cluster::Table).columns([
        Cluster::Code,
        Cluster::Name,
        Cluster::Tier,
        Cluster::CreatedAt,
        Cluster::UpdatedAt,
    ]);
    for (code, name, tier) in seed::CLUSTERS {
        insert.values_panic([
            code.into(),
            name.into(),
            tier.into(),
            now.into(),
            now.into(),
        ]);
    }
    db.execute(backend.build(&insert)).await?;

    // Parents before children, so the self-referencing key holds row by row.
    let mut classes = seed::industry_classes();
    classes.sort_by_key(|(code, _, _)| (code.len(), code.clone()));
    let mut insert = Query::insert();
    insert.into_table(IndustryClass::Table).columns([
        IndustryClass::Code,
        IndustryClass::Name,
        IndustryClass::Parent,
        IndustryClass::Level,
    ]);
    for (code, name, parent) in classes {
        let level: i16 = match code.len() {
            2 => 1,
            3 => 2,
            _ => 3,
        };
        insert.values_panic([code.into(), name.into(), parent.into(), level.into()]);
    }
    db.execute(backend.build(&insert)).await?;
    Ok(())
}

fn serde_json_empty_array() -> sea_orm_migration::sea_orm::JsonValue {
    sea_orm_migration::sea_orm::JsonValue::Array(Vec::new())
}
