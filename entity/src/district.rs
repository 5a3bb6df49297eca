//! A county-level division or zone of Chongqing, with its 2023 industry map.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "district")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    /// `district`, `county`, `autonomous_county` or `zone`.
    pub kind: String,
    /// `main_urban`, `northeast` or `southeast` (一区两群).
    pub region: String,
    pub subregion: Option<String>,
    /// Leading (主导) industries: JSON array of `{kind, code}`.
    pub leading: Json,
    /// Characteristic (特色) industries: JSON array of `{kind, code}`.
    pub characteristic: Json,
    /// Incremented on every industry-map change.
    pub map_version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
