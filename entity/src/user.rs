//! An account. The role decides what it may do; the bindings decide on which objects.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub role: String,
    pub district_code: Option<String>,
    pub organisation_id: Option<i32>,
    pub created_at: DateTimeUtc,
    /// Bumped by every password change; tokens issued at an earlier version are refused.
    pub credential_version: i32,
    /// Where notices are emailed; none: in the API only.
    pub email: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
