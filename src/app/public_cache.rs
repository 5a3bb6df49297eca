//! Public reads served from pre-serialised bytes: the reference data (districts, clusters,
//! industry classes) and the published lists. Each entry is kept with the version of the data it
//! was rendered from; a request first reads that version in one cheap query (the last event of
//! the reference data's aggregate types; the round's latest list version), so a write through any
//! instance sharing the database is seen by every instance on its next request. Bodies carry a
//! strong ETag (a digest of the bytes) for `If-None-Match`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store;

/// Entries kept at most; past it the cache starts over (keys are few: a region, a parent class, a
/// list version).
const CAPACITY: usize = 1024;

/// One rendered body.
#[derive(Debug)]
pub struct Cached {
    /// Strong ETag, quoted.
    pub etag: String,
    pub body: Vec<u8>,
}

impl Cached {
    fn new(body: Vec<u8>) -> Arc<Self> {
        let digest = Sha256::digest(&body);
        Arc::new(Self {
            etag: format!("\"{}\"", hex::encode(&digest[..16])),
            body,
        })
    }
}

#[derive(Debug, Default)]
pub struct PublicCache {
    entries: Mutex<HashMap<String, (String, Arc<Cached>)>>,
}

impl PublicCache {
    fn get(&self, key: &str, version: &str) -> Option<Arc<Cached>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(v, _)| v == version)
            .map(|(_, c)| c.clone())
    }

    fn put(&self, key: String, version: String, body: Vec<u8>) -> Arc<Cached> {
        let cached = Cached::new(body);
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, (version, cached.clone()));
        }
        cached
    }
}

fn render_error(e: serde_json::Error) -> ApiError {
    ApiError::Unexpected(anyhow::anyhow!("rendering a public read: {e}"))
}

/// The bytes under `key` rendered at the data's current `version`, or `load` and `render` them
/// now and keep them.
async fn through<T, F, R>(
    state: &AppState,
    key: String,
    version: String,
    load: F,
    render: R,
) -> Result<Arc<Cached>>
where
    F: std::future::Future<Output = Result<T>>,
    R: FnOnce(T) -> serde_json::Result<Vec<u8>>,
{
    if let Some(hit) = state.public_cache.get(&key, &version) {
        return Ok(hit);
    }
    let value = load.await?;
    let body = render(value).map_err(render_error)?;
    Ok(state.public_cache.put(key, version, body))
}

/// `GET /districts[?region=]`, rendered by `render`.
///
/// # Errors
/// As `reference::districts`.
pub async fn districts<R>(state: &AppState, region: Option<&str>, render: R) -> Result<Arc<Cached>>
where
    R: FnOnce(Vec<super::reference::District>) -> serde_json::Result<Vec<u8>>,
{
    let version = store::reference::version(&state.db).await?;
    // `{:?}` keeps `?region=` (Some("")) apart from no filter, so the loader validates it.
    let key = format!("districts?{region:?}");
    let load = super::reference::districts(state, region);
    through(state, key, version, load, render).await
}

/// `GET /clusters`, rendered by `render`.
///
/// # Errors
/// Database failures.
pub async fn clusters<R>(state: &AppState, render: R) -> Result<Arc<Cached>>
where
    R: FnOnce(Vec<super::reference::Cluster>) -> serde_json::Result<Vec<u8>>,
{
    let version = store::reference::version(&state.db).await?;
    let load = super::reference::clusters(state);
    through(state, "clusters".into(), version, load, render).await
}

/// `GET /industry-classes[?parent=&level=]`, rendered by `render`.
///
/// # Errors
/// Database failures.
pub async fn industry_classes<R>(
    state: &AppState,
    parent: Option<&str>,
    level: Option<i16>,
    render: R,
) -> Result<Arc<Cached>>
where
    R: FnOnce(Vec<super::reference::IndustryClass>) -> serde_json::Result<Vec<u8>>,
{
    let version = store::reference::version(&state.db).await?;
    let key = format!("industry-classes?{parent:?}&{level:?}");
    let load = super::reference::industry_classes(state, parent, level);
    through(state, key, version, load, render).await
}

/// `GET /rounds/{year}/list[?version=]`, rendered by `render`. A published version never
/// changes, but every version's body lists the versions there are: the key is the round's latest.
///
/// # Errors
/// As `lists::get`.
pub async fn list<R>(
    state: &AppState,
    year: i32,
    version: Option<i32>,
    render: R,
) -> Result<Arc<Cached>>
where
    R: FnOnce(super::lists::PublishedList) -> serde_json::Result<Vec<u8>>,
{
    let latest = store::selections::latest_list_version(&state.db, year).await?;
    let load = super::lists::get(state, year, version);
    let Some(latest) = latest else {
        // Nothing published (or no such round): the use case answers 404; nothing is cached.
        let value = load.await?;
        return Ok(Cached::new(render(value).map_err(render_error)?));
    };
    let key = format!(
        "list:{year}:{}",
        version.map(|v| v.to_string()).unwrap_or_default()
    );
    through(state, key, latest.to_string(), load, render).await
}
