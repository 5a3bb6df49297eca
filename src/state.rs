//! What every use case can reach: the database, the injected clock, the keys and the settings.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::{AuthKeys, Hasher};
use crate::clock::Clock;
use crate::settings::Settings;

pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    /// The token keys (one signs, retired ones verify what they signed).
    pub auth: AuthKeys,
    /// The root of the bid-sealing keys (HKDF, per call), apart from the token keys.
    pub sealing_key: Vec<u8>,
    /// Password hashing, bounded to the CPUs.
    pub hasher: Hasher,
    pub settings: Settings,
    /// Woken after every commit that appended events: the change feed's long polls wait on it
    /// (other instances' writes are seen by a bounded poll).
    pub appended: Arc<tokio::sync::Notify>,
    /// Signs the verifiable log's tree heads; read from its own key file or a setting, never
    /// from the database.
    pub audit_key: ed25519_dalek::SigningKey,
    /// The webhook worker's HTTP client (no redirects followed: a receiver answers itself).
    pub http: reqwest::Client,
    /// Pre-serialised public reads and the accounts callers are loaded from, each kept with the
    /// generation it was read at (moved on by this instance's commits and the log's head).
    pub public_cache: Arc<crate::app::public_cache::PublicCache>,
    /// Where uploaded documents' bytes are kept (a local folder or an S3-compatible store).
    pub documents: crate::objects::Store,
}

impl AppState {
    /// The same state on another clock: for replays (the demo) that move time themselves.
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Self {
        Self {
            db: self.db.clone(),
            clock,
            auth: self.auth.clone(),
            sealing_key: self.sealing_key.clone(),
            hasher: self.hasher.clone(),
            settings: self.settings.clone(),
            appended: self.appended.clone(),
            audit_key: self.audit_key.clone(),
            http: self.http.clone(),
            public_cache: self.public_cache.clone(),
            documents: self.documents.clone(),
        }
    }
}
