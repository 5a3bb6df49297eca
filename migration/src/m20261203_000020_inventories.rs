//! District inventories (issue 16 item 3; the notice's 二.1 and 三(一)): each district's leading
//! (链主) and 专精特新 enterprises, and its characteristic (特色) clusters by data year.
//!
//! An enterprise is listed once per district and list (`district_code`, `kind`, `uscc`): the
//! same enterprise may be listed by two districts (registered in one, producing in the other)
//! and in both lists of one district; a new data year replaces the figures (the old ones stay in
//! the event log). A characteristic cluster is one row per district, cluster and data year.

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
fn big_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .big_integer()
        .null()
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
fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id"))
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}
fn fk(table: &str, col: &str, to: &str, to_col: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new(to_col))
        .to_owned()
}
fn index(name: &str, table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Alias::new(table));
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("district_enterprise"))
                    .col(id())
                    .col(text("district_code"))
                    // `chain_leader` (领军（链主）企业) or `specialised` (专精特新).
                    .col(text("kind"))
                    .col(text("name"))
                    .col(text("uscc"))
                    .col(text_null("cluster_code"))
                    .col(text_null("industry_class"))
                    // Hundredths of a 万元.
                    .col(big_null("scale"))
                    .col(int_null("in_city_suppliers"))
                    .col(int("year"))
                    .col(int("version"))
                    .col(int("created_by"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk(
                        "district_enterprise",
                        "district_code",
                        "district",
                        "code",
                    ))
                    .foreign_key(&mut fk(
                        "district_enterprise",
                        "cluster_code",
                        "cluster",
                        "code",
                    ))
                    .foreign_key(&mut fk(
                        "district_enterprise",
                        "industry_class",
                        "industry_class",
                        "code",
                    ))
                    .foreign_key(&mut fk(
                        "district_enterprise",
                        "created_by",
                        "app_user",
                        "id",
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "ux_district_enterprise",
                &["district_code", "kind", "uscc"][..],
                true,
            ),
            (
                "ix_district_enterprise_district",
                &["district_code"][..],
                false,
            ),
            ("ix_district_enterprise_uscc", &["uscc"][..], false),
        ] {
            manager
                .create_index(index(name, "district_enterprise", cols, unique))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("district_cluster"))
                    .col(id())
                    .col(text("district_code"))
                    .col(text("cluster_code"))
                    .col(text("name"))
                    .col(big_null("scale"))
                    .col(int_null("enterprise_count"))
                    .col(int("year"))
                    .col(int("version"))
                    .col(int("created_by"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk(
                        "district_cluster",
                        "district_code",
                        "district",
                        "code",
                    ))
                    .foreign_key(&mut fk(
                        "district_cluster",
                        "cluster_code",
                        "cluster",
                        "code",
                    ))
                    .foreign_key(&mut fk("district_cluster", "created_by", "app_user", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_district_cluster",
                "district_cluster",
                &["district_code", "cluster_code", "year"],
                true,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["district_cluster", "district_enterprise"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
