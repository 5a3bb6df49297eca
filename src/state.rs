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
}
