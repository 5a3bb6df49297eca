//! Selection runs at scale (issue 13 item 2): a run's score cards (every pool proposal's three
//! scores with their parts: about 4 KB each, 200 MB of JSON at 50,000) are stored compressed
//! beside the rest of its inputs, and what reading a run shows (the chosen ids, the chosen
//! proposals' cards, the score warnings) is kept small on the row, so that neither the list of
//! runs nor a run read has to load the whole pool's cards.
//!
//! - `selection_run.scores_z` (nullable): zlib-compressed canonical JSON of the inputs' `scores`
//!   array; when set, `inputs` holds the other members of the inputs. Null for runs stored before
//!   (their `inputs` holds everything). `inputs_hash` is, either way, the SHA-256 of the canonical
//!   JSON of the whole inputs.
//! - `selection_run.shown` (nullable): `{chosen, chosen_cards, warnings}` for the reads; null for
//!   runs stored before (read from their inputs and result instead).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("selection_run"))
                    .add_column(ColumnDef::new(Alias::new("scores_z")).blob().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("selection_run"))
                    .add_column(ColumnDef::new(Alias::new("shown")).json().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["shown", "scores_z"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("selection_run"))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
