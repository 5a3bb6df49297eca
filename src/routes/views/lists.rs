//! The published list and its versions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::lists::{self, Publish};
use crate::domain::proposal::IndustryClassRef;
use crate::domain::selection_run::points;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"selection_id": 1, "note": "渝经信智能〔2024〕1号"}))]
pub struct PublishRequest {
    /// The selection run whose list is published.
    pub selection_id: i32,
    /// The publication note (e.g. the notice's reference).
    pub note: String,
    /// Required for a correction (version 2 and later): why the list changes.
    pub correction_reason: Option<String>,
}

impl From<PublishRequest> for Publish {
    fn from(r: PublishRequest) -> Self {
        Self {
            selection_id: r.selection_id,
            note: r.note,
            correction_reason: r.correction_reason,
        }
    }
}

/// One outcome target of a list item, from the plan's scenarios and KPIs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Target {
    pub scenario: Option<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

impl From<lists::Target> for Target {
    fn from(t: lists::Target) -> Self {
        Self {
            scenario: t.scenario,
            name: t.name,
            unit: t.unit,
            baseline: t.baseline,
            target: t.target,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ListItem {
    /// The list item id (揭榜项), which calls are opened for.
    pub id: i32,
    pub rank: i32,
    /// The direction: the industry brain's name.
    pub direction: String,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub industry_class: IndustryClassRef,
    /// Outcome targets (成效目标) from the plan's KPIs.
    pub targets: Vec<Target>,
    /// The proposal it came from.
    pub proposal_id: i32,
    /// Weighted total in points.
    pub total_points: String,
}

impl From<lists::ListItem> for ListItem {
    fn from(i: lists::ListItem) -> Self {
        Self {
            id: i.id,
            rank: i.rank,
            direction: i.direction,
            district_code: i.district_code,
            cluster_code: i.cluster_code,
            industry_class: i.industry_class,
            targets: i.targets.into_iter().map(Into::into).collect(),
            proposal_id: i.proposal_id,
            total_points: points(i.total),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublishedList {
    pub year: i32,
    pub version: i32,
    /// Every published version number, oldest first.
    pub versions: Vec<i32>,
    pub published_at: DateTime<Utc>,
    pub note: String,
    pub correction_reason: Option<String>,
    pub selection_id: i32,
    pub items: Vec<ListItem>,
}

impl From<lists::PublishedList> for PublishedList {
    fn from(l: lists::PublishedList) -> Self {
        Self {
            year: l.year,
            version: l.version,
            versions: l.versions,
            published_at: l.published_at,
            note: l.note,
            correction_reason: l.correction_reason,
            selection_id: l.selection_id,
            items: l.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// An older version; default the current one.
    pub version: Option<i32>,
}
