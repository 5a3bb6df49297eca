//! Calls, bids (sealed), panels, conflicts, expert scores, objections, and their history.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id"))
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}
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
fn json(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .json()
        .not_null()
        .to_owned()
}
fn json_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).json().null().to_owned()
}
fn fk(table: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}
fn table(name: &str) -> TableCreateStatement {
    Table::create().table(Alias::new(name)).to_owned()
}
fn unique(name: &str, table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create()
        .name(name)
        .table(Alias::new(table))
        .unique()
        .to_owned();
    for c in cols {
        i.col(Alias::new(*c));
    }
    i
}
fn index(name: &str, table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create()
        .name(name)
        .table(Alias::new(table))
        .to_owned();
    for c in cols {
        i.col(Alias::new(*c));
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("organisation"))
                    .add_column(
                        ColumnDef::new(Alias::new("registered_capital"))
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table("expert_profile")
                    .col(
                        ColumnDef::new(Alias::new("user_id"))
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(int_null("organisation_id"))
                    .col(json("past_employers"))
                    .col(ts("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Alias::new("expert_profile"), Alias::new("user_id"))
                            .to(Alias::new("app_user"), Alias::new("id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table("call")
                    .col(id())
                    .col(int("round_id"))
                    .col(int("list_item_id"))
                    .col(text("status"))
                    .col(text("requirements"))
                    .col(json("eligibility"))
                    .col(ts("opens_at"))
                    .col(ts("closes_at"))
                    .col(int("winners"))
                    .col(int("notice_days"))
                    .col(json("rubric"))
                    .col(int("version"))
                    .col(int("created_by"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .col(int_null("opened_by"))
                    .col(ts_null("opened_at"))
                    .col(json_null("opening_report"))
                    .col(ts_null("notice_started_at"))
                    .col(ts_null("notice_ends_at"))
                    .col(json_null("award"))
                    .col(ts_null("finalized_at"))
                    .col(text_null("reasons"))
                    .foreign_key(&mut fk("call", "round_id", "round"))
                    .foreign_key(&mut fk("call", "list_item_id", "list_item"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table("bid")
                    .col(id())
                    .col(int("call_id"))
                    .col(int("organisation_id"))
                    .col(int("current_receipt_id"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk("bid", "call_id", "call"))
                    .foreign_key(&mut fk("bid", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        // One bid per organisation per call, whatever the race.
        manager
            .create_index(unique(
                "ux_bid_call_org",
                "bid",
                &["call_id", "organisation_id"],
            ))
            .await?;
        manager
            .create_table(
                table("bid_receipt")
                    .col(id())
                    .col(int("bid_id"))
                    .col(int("call_id"))
                    .col(int("organisation_id"))
                    .col(int("submitted_by"))
                    .col(ts("received_at"))
                    .col(text("sha256"))
                    .col(ColumnDef::new(Alias::new("sealed")).blob().not_null())
                    .foreign_key(&mut fk("bid_receipt", "bid_id", "bid"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_bid_receipt_bid", "bid_receipt", &["bid_id"]))
            .await?;
        manager
            .create_table(
                table("panel_member")
                    .col(id())
                    .col(int("call_id"))
                    .col(int("expert_id"))
                    .col(text("how"))
                    .col(ColumnDef::new(Alias::new("seed")).big_integer().null())
                    .col(int("added_by"))
                    .col(ts("added_at"))
                    .foreign_key(&mut fk("panel_member", "call_id", "call"))
                    .foreign_key(&mut fk("panel_member", "expert_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique(
                "ux_panel_call_expert",
                "panel_member",
                &["call_id", "expert_id"],
            ))
            .await?;
        manager
            .create_table(
                table("conflict")
                    .col(id())
                    .col(int("call_id"))
                    .col(int("expert_id"))
                    .col(int_null("bid_id"))
                    .col(int_null("organisation_id"))
                    .col(text("kind"))
                    .col(text("note"))
                    .col(ts("declared_at"))
                    .foreign_key(&mut fk("conflict", "call_id", "call"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table("expert_score")
                    .col(id())
                    .col(int("call_id"))
                    .col(int("bid_id"))
                    .col(int("expert_id"))
                    .col(json("scores"))
                    .col(ts("submitted_at"))
                    .foreign_key(&mut fk("expert_score", "bid_id", "bid"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique(
                "ux_expert_score_bid_expert",
                "expert_score",
                &["bid_id", "expert_id"],
            ))
            .await?;
        manager
            .create_table(
                table("objection")
                    .col(id())
                    .col(int("call_id"))
                    .col(int("submitted_by"))
                    .col(text("grounds"))
                    .col(text("contact"))
                    .col(ts("submitted_at"))
                    .col(ColumnDef::new(Alias::new("upheld")).boolean().null())
                    .col(text_null("answer"))
                    .col(int_null("answered_by"))
                    .col(ts_null("answered_at"))
                    .foreign_key(&mut fk("objection", "call_id", "call"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table("call_event")
                    .col(id())
                    .col(int("call_id"))
                    .col(int_null("bid_id"))
                    .col(int("actor_id"))
                    .col(text("actor_role"))
                    .col(ts("at"))
                    .col(text("action"))
                    .col(text_null("from_status"))
                    .col(text_null("to_status"))
                    .col(text_null("note"))
                    .col(json("details"))
                    .foreign_key(&mut fk("call_event", "call_id", "call"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_call_event_call", "call_event", &["call_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "call_event",
            "objection",
            "expert_score",
            "conflict",
            "panel_member",
            "bid_receipt",
            "bid",
            "call",
            "expert_profile",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("organisation"))
                    .drop_column(Alias::new("registered_capital"))
                    .to_owned(),
            )
            .await
    }
}
