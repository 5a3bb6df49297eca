//! After the award: construction projects, task agreements and their amendments, progress
//! reports, district supervision with follow-ups, acceptance (panel, conflicts, scores, the
//! evaluator's report, the conclusion), plaques and annual evaluations.

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
fn ts_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}
fn date(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .date()
        .not_null()
        .to_owned()
}
fn date_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().null().to_owned()
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
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}
fn table(name: &str) -> TableCreateStatement {
    Table::create().table(Alias::new(name)).to_owned()
}
fn index(name: &str, table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create()
        .name(name)
        .table(Alias::new(table))
        .to_owned();
    if unique {
        i.unique();
    }
    for c in cols {
        i.col(Alias::new(*c));
    }
    i
}

const TABLES: [&str; 11] = [
    "evaluation",
    "plaque",
    "acceptance_score",
    "acceptance_conflict",
    "acceptance_panel",
    "acceptance",
    "follow_up",
    "supervision",
    "progress_report",
    "agreement",
    "project",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("project")
                    .col(id())
                    .col(int("round_id"))
                    .col(int("list_item_id"))
                    .col(int("call_id"))
                    .col(int("bid_id"))
                    .col(int("organisation_id"))
                    .col(text("district_code"))
                    .col(text("name"))
                    .col(text("status"))
                    .col(int("version"))
                    .col(date_null("completed_on"))
                    .col(ts_null("acceptance_requested_at"))
                    .col(text_null("acceptance_exception"))
                    .col(int_null("exception_by"))
                    .col(ts_null("exception_at"))
                    .col(date_null("rectify_until"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk("project", "round_id", "round"))
                    .foreign_key(&mut fk("project", "list_item_id", "list_item"))
                    .foreign_key(&mut fk("project", "call_id", "call"))
                    .foreign_key(&mut fk("project", "bid_id", "bid"))
                    .foreign_key(&mut fk("project", "organisation_id", "organisation"))
                    .foreign_key(&mut fk("project", "exception_by", "app_user"))
                    .check(Expr::cust(
                        "status IN ('agreement','in_construction','completed','acceptance_requested','under_acceptance','rectifying','accepted','failed')",
                    ))
                    .check(Expr::cust("version >= 1"))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            ("ux_project_bid", &["bid_id"][..], true),
            (
                "idx_project_round_status",
                &["round_id", "status"][..],
                false,
            ),
            ("idx_project_district", &["district_code"][..], false),
            ("idx_project_organisation", &["organisation_id"][..], false),
        ] {
            manager
                .create_index(index(name, "project", cols, unique))
                .await?;
        }

        manager
            .create_table(
                table("agreement")
                    .col(id())
                    .col(int("project_id"))
                    .col(int("number"))
                    .col(text("status"))
                    .col(json("content"))
                    .col(text_null("reason"))
                    .col(int("version"))
                    .col(int_null("commission_confirmed_by"))
                    .col(ts_null("commission_confirmed_at"))
                    .col(int_null("builder_confirmed_by"))
                    .col(ts_null("builder_confirmed_at"))
                    .col(int_null("district_confirmed_by"))
                    .col(ts_null("district_confirmed_at"))
                    .col(ts_null("signed_at"))
                    .col(int("created_by"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk("agreement", "project_id", "project"))
                    .foreign_key(&mut fk("agreement", "created_by", "app_user"))
                    .check(Expr::cust("status IN ('draft','signed','superseded')"))
                    .check(Expr::cust("number >= 1 AND version >= 1"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_agreement_project_number",
                "agreement",
                &["project_id", "number"],
                true,
            ))
            .await?;

        manager
            .create_table(
                table("progress_report")
                    .col(id())
                    .col(int("project_id"))
                    .col(int("year"))
                    .col(int("quarter"))
                    .col(json("content"))
                    .col(int("filed_by"))
                    .col(ts("filed_at"))
                    .foreign_key(&mut fk("progress_report", "project_id", "project"))
                    .foreign_key(&mut fk("progress_report", "filed_by", "app_user"))
                    .check(Expr::cust("quarter BETWEEN 1 AND 4"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_progress_report_quarter",
                "progress_report",
                &["project_id", "year", "quarter"],
                true,
            ))
            .await?;

        manager
            .create_table(
                table("supervision")
                    .col(id())
                    .col(int("project_id"))
                    .col(date("visited_on"))
                    .col(text("method"))
                    .col(text("findings"))
                    .col(text("rating"))
                    .col(text_null("warning"))
                    .col(int("recorded_by"))
                    .col(ts("recorded_at"))
                    .foreign_key(&mut fk("supervision", "project_id", "project"))
                    .foreign_key(&mut fk("supervision", "recorded_by", "app_user"))
                    .check(Expr::cust(
                        "method IN ('on_site','remote','document_review')",
                    ))
                    .check(Expr::cust("rating IN ('good','fair','poor')"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_supervision_project",
                "supervision",
                &["project_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                table("follow_up")
                    .col(id())
                    .col(int("supervision_id"))
                    .col(int("project_id"))
                    .col(text("action"))
                    .col(date("due_on"))
                    .col(ts_null("closed_at"))
                    .col(int_null("closed_by"))
                    .col(text_null("closing_note"))
                    .foreign_key(&mut fk("follow_up", "supervision_id", "supervision"))
                    .foreign_key(&mut fk("follow_up", "project_id", "project"))
                    .foreign_key(&mut fk("follow_up", "closed_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_follow_up_project",
                "follow_up",
                &["project_id"],
                false,
            ))
            .await?;

        manager
            .create_table(
                table("acceptance")
                    .col(id())
                    .col(int("project_id"))
                    .col(int("attempt"))
                    .col(ts("requested_at"))
                    .col(int("requested_by"))
                    .col(text("request_text"))
                    .col(int_null("evaluator_id"))
                    .col(json_null("rubric"))
                    .col(json_null("report"))
                    .col(ts_null("report_filed_at"))
                    .col(text_null("outcome"))
                    .col(text_null("outcome_reason"))
                    .col(big_null("panel_score"))
                    .col(text_null("rule"))
                    .col(int_null("decided_by"))
                    .col(ts_null("decided_at"))
                    .col(int("version"))
                    .col(ts("created_at"))
                    .foreign_key(&mut fk("acceptance", "project_id", "project"))
                    .foreign_key(&mut fk("acceptance", "requested_by", "app_user"))
                    .foreign_key(&mut fk("acceptance", "evaluator_id", "app_user"))
                    .foreign_key(&mut fk("acceptance", "decided_by", "app_user"))
                    .check(Expr::cust(
                        "outcome IS NULL OR outcome IN ('accepted','rectify','failed')",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_acceptance_attempt",
                "acceptance",
                &["project_id", "attempt"],
                true,
            ))
            .await?;
        manager
            .create_table(
                table("acceptance_panel")
                    .col(id())
                    .col(int("acceptance_id"))
                    .col(int("expert_id"))
                    .col(text("how"))
                    .col(big_null("seed"))
                    .col(int("added_by"))
                    .col(ts("added_at"))
                    .foreign_key(&mut fk("acceptance_panel", "acceptance_id", "acceptance"))
                    .foreign_key(&mut fk("acceptance_panel", "expert_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_acceptance_panel_expert",
                "acceptance_panel",
                &["acceptance_id", "expert_id"],
                true,
            ))
            .await?;
        manager
            .create_table(
                table("acceptance_conflict")
                    .col(id())
                    .col(int("acceptance_id"))
                    .col(int("expert_id"))
                    .col(text("kind"))
                    .col(text("note"))
                    .col(ts("declared_at"))
                    .foreign_key(&mut fk(
                        "acceptance_conflict",
                        "acceptance_id",
                        "acceptance",
                    ))
                    .foreign_key(&mut fk("acceptance_conflict", "expert_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_acceptance_conflict",
                "acceptance_conflict",
                &["acceptance_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                table("acceptance_score")
                    .col(id())
                    .col(int("acceptance_id"))
                    .col(int("expert_id"))
                    .col(json("scores"))
                    .col(ts("submitted_at"))
                    .foreign_key(&mut fk("acceptance_score", "acceptance_id", "acceptance"))
                    .foreign_key(&mut fk("acceptance_score", "expert_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_acceptance_score_expert",
                "acceptance_score",
                &["acceptance_id", "expert_id"],
                true,
            ))
            .await?;

        manager
            .create_table(
                table("plaque")
                    .col(id())
                    .col(int("project_id"))
                    .col(int("year"))
                    .col(int("serial"))
                    .col(text("number"))
                    .col(text("brain_name"))
                    .col(int("organisation_id"))
                    .col(text("district_code"))
                    .col(date("issued_on"))
                    .col(text("status"))
                    .col(ts_null("revoked_at"))
                    .col(text_null("revoked_reason"))
                    .col(date_null("rectify_until"))
                    .col(int("version"))
                    .foreign_key(&mut fk("plaque", "project_id", "project"))
                    .foreign_key(&mut fk("plaque", "organisation_id", "organisation"))
                    .check(Expr::cust("status IN ('active','rectifying','revoked')"))
                    .check(Expr::cust("serial >= 1 AND version >= 1"))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ux_plaque_project", &["project_id"][..]),
            ("ux_plaque_year_serial", &["year", "serial"][..]),
            ("ux_plaque_number", &["number"][..]),
        ] {
            manager
                .create_index(index(name, "plaque", cols, true))
                .await?;
        }

        manager
            .create_table(
                table("evaluation")
                    .col(id())
                    .col(int("plaque_id"))
                    .col(int("year"))
                    .col(int("attempt"))
                    .col(int("evaluator_id"))
                    .col(json("parts"))
                    .col(ColumnDef::new(Alias::new("score")).big_integer().not_null())
                    .col(text("grade"))
                    .col(text("summary"))
                    .col(ts("filed_at"))
                    .col(int_null("confirmed_by"))
                    .col(ts_null("confirmed_at"))
                    .col(text_null("rectification_plan"))
                    .col(ts_null("plan_filed_at"))
                    .col(int("version"))
                    .foreign_key(&mut fk("evaluation", "plaque_id", "plaque"))
                    .foreign_key(&mut fk("evaluation", "evaluator_id", "app_user"))
                    .foreign_key(&mut fk("evaluation", "confirmed_by", "app_user"))
                    .check(Expr::cust("grade IN ('excellent','good','pass','fail')"))
                    .check(Expr::cust("attempt >= 1 AND version >= 1"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_evaluation_attempt",
                "evaluation",
                &["plaque_id", "year", "attempt"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // In reverse dependency order.
        for t in TABLES {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
