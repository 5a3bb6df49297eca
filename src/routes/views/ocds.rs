//! The OCDS export's queries and packages. The packages are OCDS 1.1 documents (their schema is
//! the standard's, with the extension in `ocds/extension/`), so they cross the boundary as JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReleasesQuery {
    /// The cursor: 0 (the default) for the beginning, else the `next` of the previous page.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Releases per page, 1–1000 (default 100); a page ends after a whole event, so it may hold
    /// a few more.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The round's year (2000–2100).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

/// An OCDS 1.1 release package (`uri`, `version`, `publishedDate`, `publisher`, `extensions`,
/// `releases`; the API's pages add `links.next`, the next page's address).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct ReleasePackage(pub Value);

/// An OCDS 1.1 record package: per contracting process its `ocid`, every release and the
/// `compiledRelease`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct RecordPackage(pub Value);

/// A file of the OCDS extension (`extension.json` or `release-schema.json`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct ExtensionFile(pub Value);
