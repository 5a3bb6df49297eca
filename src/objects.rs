//! The document store (`object_store`): a local folder by default, any S3-compatible store by
//! setting. Objects are written under random keys before the row naming them commits, so a write
//! that fails changes nothing and a row never names bytes that are not there; a commit that fails
//! after the write leaves an object no row names (removed at once when possible), never one that
//! a later upload could be mistaken for.

use std::sync::Arc;

use anyhow::Context;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use secrecy::ExposeSecret;

use crate::settings::{DocumentStoreKind, Settings};

/// The store documents are written to.
pub type Store = Arc<dyn ObjectStore>;

/// The store the settings name (the local folder is created when missing).
///
/// # Errors
/// A folder that cannot be created, or S3 settings the client refuses.
pub fn open(settings: &Settings) -> anyhow::Result<Store> {
    let d = &settings.documents;
    match d.store {
        DocumentStoreKind::Local => {
            let root = match &d.root {
                Some(r) => r.clone(),
                None => default_root(&settings.database.url),
            };
            std::fs::create_dir_all(&root)
                .with_context(|| format!("creating the documents folder {}", root.display()))?;
            let fs = LocalFileSystem::new_with_prefix(&root)
                .with_context(|| format!("opening the documents folder {}", root.display()))?;
            Ok(Arc::new(fs))
        }
        DocumentStoreKind::S3 => {
            let mut b = AmazonS3Builder::new()
                .with_bucket_name(d.s3_bucket.clone().unwrap_or_default())
                .with_region(d.s3_region.clone())
                .with_allow_http(d.s3_allow_http);
            if let Some(e) = &d.s3_endpoint {
                b = b.with_endpoint(e.clone());
            }
            if let Some(k) = &d.s3_access_key_id {
                b = b.with_access_key_id(k.expose_secret());
            }
            if let Some(k) = &d.s3_secret_access_key {
                b = b.with_secret_access_key(k.expose_secret());
            }
            Ok(Arc::new(
                b.build().context("configuring the S3 document store")?,
            ))
        }
    }
}

/// `<sqlite file>.documents` beside a SQLite database, else `jiebang-documents`.
fn default_root(url: &str) -> std::path::PathBuf {
    let file = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|f| !f.is_empty() && !f.contains(":memory:"));
    match file {
        Some(f) => std::path::PathBuf::from(format!("{f}.documents")),
        None => std::path::PathBuf::from("jiebang-documents"),
    }
}

/// A new object key: random (never reused, never derived from the content, so a key says
/// nothing about a sealed file), fanned out over 256 folders.
pub fn new_key() -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{}/{id}", &id[..2])
}

/// Writes an object.
///
/// # Errors
/// The store's failure.
pub async fn put(store: &Store, key: &str, bytes: Vec<u8>) -> object_store::Result<()> {
    store
        .put(&Path::from(key), PutPayload::from(bytes))
        .await
        .map(|_| ())
}

/// Reads an object whole.
///
/// # Errors
/// The store's failure (a missing object included).
pub async fn get(store: &Store, key: &str) -> object_store::Result<actix_web::web::Bytes> {
    store.get(&Path::from(key)).await?.bytes().await
}

/// Removes an object no row names (after a failed commit); failures are only logged.
pub async fn forget(store: &Store, key: &str) {
    if let Err(e) = store.delete(&Path::from(key)).await {
        tracing::warn!(error = %e, "removing an unreferenced document object");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_folder_is_beside_the_database() {
        assert_eq!(
            default_root("sqlite:///var/lib/j.db?mode=rwc"),
            std::path::PathBuf::from("/var/lib/j.db.documents")
        );
        assert_eq!(
            default_root("postgres://x@h/db"),
            std::path::PathBuf::from("jiebang-documents")
        );
        assert_eq!(
            default_root("sqlite::memory:"),
            std::path::PathBuf::from("jiebang-documents")
        );
    }

    #[test]
    fn keys_are_random_and_fanned_out() {
        let (a, b) = (new_key(), new_key());
        assert_ne!(a, b);
        assert_eq!(a.len(), 2 + 1 + 32);
        assert_eq!(&a[..2], &a[3..5]);
    }

    /// The S3 path cannot be run here (no S3 server); `object_store`'s in-memory store stands in
    /// for it behind the same `Store` and the same calls the use cases make.
    #[tokio::test]
    async fn the_same_calls_work_on_any_object_store() {
        let store: Store = Arc::new(object_store::memory::InMemory::new());
        let key = new_key();
        put(&store, &key, b"%PDF-1.4 bytes".to_vec()).await.unwrap();
        assert_eq!(get(&store, &key).await.unwrap().as_ref(), b"%PDF-1.4 bytes");
        forget(&store, &key).await;
        assert!(get(&store, &key).await.is_err());
        // Forgetting what is not there is only logged.
        forget(&store, &key).await;
    }

    #[test]
    fn an_s3_store_is_configured_from_the_settings() {
        let mut s = Settings::default();
        s.documents.store = DocumentStoreKind::S3;
        s.documents.s3_bucket = Some("docs".into());
        s.documents.s3_endpoint = Some("http://127.0.0.1:9".into());
        s.documents.s3_allow_http = true;
        s.documents.s3_access_key_id = Some("id".into());
        s.documents.s3_secret_access_key = Some("secret".into());
        assert!(open(&s).is_ok());
    }
}
