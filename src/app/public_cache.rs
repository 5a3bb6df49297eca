//! Reads served from memory: the public reference data (districts, clusters, industry classes)
//! and the published lists as pre-serialised bytes, and the accounts callers are loaded from.
//!
//! Freshness comes from the event log. Every write appends to it (`app::Uow`), and the log's head
//! row holds the last `seq`. A [`LogWatch`] keeps a generation number: this instance's own
//! commits bump it at once (so a writer reads its own write on its next request), and at most
//! every `cache.revalidate_ms` one request reads the head's `seq` (one primary-key read) and
//! bumps the generation when it moved (so another instance's write is seen within that interval;
//! 0 checks on every request). An entry is served only at the generation it was rendered at.
//! Bodies carry a strong ETag (a digest of the bytes) for `If-None-Match`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store;

/// Entries kept at most; past it the cache starts over (keys are few: a region, a parent class, a
/// list version).
const CAPACITY: usize = 1024;

/// Accounts kept at most; past it the map starts over.
const ACCOUNTS: usize = 10_000;

/// The generation of what this instance has read, moved on by its own commits and by the log's
/// head moving (another instance's writes).
#[derive(Debug)]
pub struct LogWatch {
    interval: Duration,
    origin: Instant,
    /// Microseconds after `origin` of the last look at the head, plus one (0: never).
    looked: AtomicU64,
    /// Whether a request is looking now (the others go on at the generation they have).
    looking: AtomicBool,
    /// The head's `seq` at the last look.
    seen: AtomicI64,
    generation: AtomicU64,
}

/// Clears `looking` however the look ends (a request's future can be dropped mid-query).
struct Looking<'a>(&'a AtomicBool);

impl Drop for Looking<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl LogWatch {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            origin: Instant::now(),
            looked: AtomicU64::new(0),
            looking: AtomicBool::new(false),
            seen: AtomicI64::new(-1),
            generation: AtomicU64::new(0),
        }
    }

    /// Everything read before now is stale: called after this instance commits a write.
    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn micros(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_micros()).unwrap_or(u64::MAX - 1)
    }

    /// The generation to read at: after a look at the log's head when the last one is older than
    /// the interval (and no other request is looking). A failed look is logged and the
    /// generation kept (the next request looks again).
    pub async fn generation(&self, db: &DatabaseConnection) -> u64 {
        let due = self.interval.is_zero() || {
            let looked = self.looked.load(Ordering::Acquire);
            let interval = u64::try_from(self.interval.as_micros()).unwrap_or(u64::MAX);
            looked == 0 || self.micros().saturating_sub(looked - 1) >= interval
        };
        if !due {
            return self.generation.load(Ordering::Acquire);
        }
        // With an interval of 0 every request looks itself: reads are then as fresh as the log.
        let _guard = if self.interval.is_zero() {
            None
        } else if self
            .looking
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            Some(Looking(&self.looking))
        } else {
            return self.generation.load(Ordering::Acquire);
        };
        match store::events::head_seq(db).await {
            Ok(seq) => {
                if self.seen.swap(seq, Ordering::AcqRel) != seq {
                    self.bump();
                }
                self.looked.store(self.micros() + 1, Ordering::Release);
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading the event log's head for the read caches")
            }
        }
        self.generation.load(Ordering::Acquire)
    }
}

/// One rendered body.
#[derive(Debug)]
pub struct Cached {
    /// Strong ETag, quoted.
    pub etag: String,
    /// Shared, not copied, by every answer.
    pub body: bytes::Bytes,
}

impl Cached {
    fn new(body: Vec<u8>) -> Arc<Self> {
        let digest = Sha256::digest(&body);
        Arc::new(Self {
            etag: format!("\"{}\"", hex::encode(&digest[..16])),
            body: body.into(),
        })
    }
}

/// A map whose entries are served only at the generation they were made at.
#[derive(Debug)]
struct Generational<K, V> {
    capacity: usize,
    entries: Mutex<HashMap<K, (u64, Arc<V>)>>,
}

impl<K: std::hash::Hash + Eq, V> Generational<K, V> {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, key: &K, generation: u64) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v.clone())
    }

    fn put(&self, key: K, generation: u64, value: Arc<V>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity && !entries.contains_key(&key) {
                entries.retain(|_, (g, _)| *g == generation);
                if entries.len() >= self.capacity {
                    entries.clear();
                }
            }
            entries.insert(key, (generation, value));
        }
    }
}

/// The read caches of one instance.
#[derive(Debug)]
pub struct PublicCache {
    watch: LogWatch,
    bodies: Generational<String, Cached>,
    accounts: Generational<i32, entity::user::Model>,
}

impl PublicCache {
    /// Caches revalidated against the log's head at most every `revalidate` (0: every request).
    pub fn new(revalidate: Duration) -> Self {
        Self {
            watch: LogWatch::new(revalidate),
            bodies: Generational::new(CAPACITY),
            accounts: Generational::new(ACCOUNTS),
        }
    }

    /// Forgets everything read so far: called after this instance commits a write.
    pub fn invalidate(&self) {
        self.watch.bump();
    }
}

/// The account row `id` (the token's subject), from memory when this generation read it.
///
/// # Errors
/// Database failures.
pub async fn account(state: &AppState, id: i32) -> Result<Option<Arc<entity::user::Model>>> {
    let cache = &state.public_cache;
    let generation = cache.watch.generation(&state.db).await;
    if let Some(hit) = cache.accounts.get(&id, generation) {
        return Ok(Some(hit));
    }
    let Some(row) = store::users::row(&state.db, id).await? else {
        return Ok(None);
    };
    let row = Arc::new(row);
    cache.accounts.put(id, generation, row.clone());
    Ok(Some(row))
}

fn render_error(e: serde_json::Error) -> ApiError {
    ApiError::Unexpected(anyhow::anyhow!("rendering a public read: {e}"))
}

/// The bytes under `key` as rendered at this generation, or `load` and `render` them now and
/// keep them.
async fn through<T, F, R>(state: &AppState, key: String, load: F, render: R) -> Result<Arc<Cached>>
where
    F: std::future::Future<Output = Result<T>>,
    R: FnOnce(T) -> serde_json::Result<Vec<u8>>,
{
    let cache = &state.public_cache;
    let generation = cache.watch.generation(&state.db).await;
    if let Some(hit) = cache.bodies.get(&key, generation) {
        return Ok(hit);
    }
    let value = load.await?;
    let cached = Cached::new(render(value).map_err(render_error)?);
    cache.bodies.put(key, generation, cached.clone());
    Ok(cached)
}

/// `GET /districts[?region=]`, rendered by `render`.
///
/// # Errors
/// As `reference::districts`.
pub async fn districts<R>(state: &AppState, region: Option<&str>, render: R) -> Result<Arc<Cached>>
where
    R: FnOnce(Vec<super::reference::District>) -> serde_json::Result<Vec<u8>>,
{
    // `{:?}` keeps `?region=` (Some("")) apart from no filter, so the loader validates it.
    let key = format!("districts?{region:?}");
    let load = super::reference::districts(state, region);
    through(state, key, load, render).await
}

/// `GET /clusters`, rendered by `render`.
///
/// # Errors
/// Database failures.
pub async fn clusters<R>(state: &AppState, render: R) -> Result<Arc<Cached>>
where
    R: FnOnce(Vec<super::reference::Cluster>) -> serde_json::Result<Vec<u8>>,
{
    let load = super::reference::clusters(state);
    through(state, "clusters".into(), load, render).await
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
    let key = format!("industry-classes?{parent:?}&{level:?}");
    let load = super::reference::industry_classes(state, parent, level);
    through(state, key, load, render).await
}

/// `GET /rounds/{year}/list[?version=]`, rendered by `render`. An error (nothing published, no
/// such round or version) is answered and not kept.
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
    let key = format!("list:{year}:{version:?}");
    let load = super::lists::get(state, year, version);
    through(state, key, load, render).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_served_only_at_its_generation() {
        let map: Generational<i32, i32> = Generational::new(2);
        map.put(1, 5, Arc::new(10));
        assert_eq!(map.get(&1, 5).as_deref(), Some(&10));
        assert_eq!(map.get(&1, 6), None, "a later generation misses");
        assert_eq!(map.get(&1, 4), None, "so does an earlier one");
        map.put(2, 6, Arc::new(20));
        // Full: the entries of other generations go first.
        map.put(3, 6, Arc::new(30));
        assert_eq!(map.get(&1, 5), None);
        assert_eq!(map.get(&2, 6).as_deref(), Some(&20));
        assert_eq!(map.get(&3, 6).as_deref(), Some(&30));
        // Full of the current generation: it starts over.
        map.put(4, 6, Arc::new(40));
        assert_eq!(map.get(&2, 6), None);
        assert_eq!(map.get(&4, 6).as_deref(), Some(&40));
    }

    #[test]
    fn a_bump_moves_the_generation() {
        let watch = LogWatch::new(Duration::from_secs(3600));
        let g = watch.generation.load(Ordering::Acquire);
        watch.bump();
        assert_eq!(watch.generation.load(Ordering::Acquire), g + 1);
    }
}
