//! What every use case can reach: the database, the injected clock, the keys and the settings.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::AuthKeys;
use crate::clock::Clock;
use crate::settings::Settings;

pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub auth: AuthKeys,
    /// The server secret that bid-sealing keys are derived from (HKDF, per call).
    pub sealing_secret: Vec<u8>,
    pub settings: Settings,
}
