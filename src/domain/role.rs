//! The roles carried in a token (DOMAIN.md §1).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 市经济信息委 staff and its selection panel.
    Commission,
    /// A district's 经信部门 officer, bound to one district or zone.
    District,
    /// A builder organisation (建设主体 / 揭榜方), bound to one organisation.
    Applicant,
    /// A member of the expert pool.
    Expert,
    /// A third-party evaluation body (第三方机构).
    Evaluator,
    /// A municipal data platform (integration client); reads only.
    Platform,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Commission,
        Role::District,
        Role::Applicant,
        Role::Expert,
        Role::Evaluator,
        Role::Platform,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Commission => "commission",
            Role::District => "district",
            Role::Applicant => "applicant",
            Role::Expert => "expert",
            Role::Evaluator => "evaluator",
            Role::Platform => "platform",
        }
    }

    /// # Errors
    /// When `s` names no role.
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role {s:?}; expected one of commission, district, applicant, expert, evaluator, platform"))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
