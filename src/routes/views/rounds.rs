//! Request and response types of rounds.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::rounds::{NewRound, RoundPatch};
use crate::domain::round::{Round, RoundSettings};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoundDto {
    pub year: i32,
    pub title: String,
    /// The intake deadline as set, with its offset (2024: `2024-02-29T23:59:59+08:00`).
    pub intake_deadline: String,
    /// The same instant in UTC.
    pub intake_deadline_utc: DateTime<Utc>,
    pub list_size: i32,
    pub settings: RoundSettings,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Round> for RoundDto {
    fn from(r: Round) -> Self {
        Self {
            year: r.year,
            title: r.title,
            intake_deadline: r.intake_deadline_text,
            intake_deadline_utc: r.intake_deadline,
            list_size: r.list_size,
            settings: r.settings,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn default_list_size() -> i64 {
    5
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2024, "title": "2024年行业产业大脑建设", "intake_deadline": "2024-02-29T23:59:59+08:00", "list_size": 5}))]
pub struct CreateRound {
    #[schema(example = 2024, minimum = 2020, maximum = 2100)]
    pub year: i32,
    #[schema(example = "2024年行业产业大脑建设", min_length = 1, max_length = 200)]
    pub title: String,
    /// RFC 3339 with an offset.
    #[schema(value_type = String, format = DateTime, example = "2024-02-29T23:59:59+08:00")]
    pub intake_deadline: DateTime<FixedOffset>,
    /// How many proposals the list holds (2024: 5).
    #[serde(default = "default_list_size")]
    #[schema(minimum = 1, maximum = 50)]
    pub list_size: i64,
    /// Weights, constraint defaults and scoring constants; omitted parts take the documented defaults.
    #[serde(default)]
    pub settings: RoundSettings,
}

impl From<CreateRound> for NewRound {
    fn from(c: CreateRound) -> Self {
        Self {
            year: c.year,
            title: c.title,
            intake_deadline: c.intake_deadline,
            list_size: c.list_size,
            settings: c.settings,
        }
    }
}

/// Body of `PATCH /rounds/{year}`: every member optional; `settings` is merged (RFC 7396) into the
/// stored settings, so `{"settings": {"weights": {...}}}` changes only the weights.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"list_size": 1, "reason": "本年度仅一个方案通过审核，榜单调整为一项。"}))]
pub struct UpdateRound {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime, example = "2024-02-29T23:59:59+08:00")]
    pub intake_deadline: Option<DateTime<FixedOffset>>,
    #[schema(minimum = 1, maximum = 50)]
    pub list_size: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub settings: Option<serde_json::Value>,
    /// Why the round changes; recorded in its history. Required (at least 10 characters) when
    /// the deadline or the weights change after intake opened (a proposal has been filed).
    pub reason: Option<String>,
}

impl From<UpdateRound> for RoundPatch {
    fn from(u: UpdateRound) -> Self {
        Self {
            title: u.title,
            intake_deadline: u.intake_deadline,
            list_size: u.list_size,
            settings: u.settings,
            reason: u.reason,
        }
    }
}
