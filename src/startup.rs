//! Building and running the application: database, keys, bootstrap account, HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{web, HttpServer};
use anyhow::Context;

use crate::auth::{AuthKeys, Hasher};
use crate::clock::{Clock, SystemClock};
use crate::settings::Settings;
use crate::{db, keys, routes};

pub use crate::state::AppState;

impl AppState {
    /// Opens the database (migrations) and the keys, without creating any account.
    ///
    /// # Errors
    /// When the database cannot be reached or prepared.
    pub async fn open(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        // A key an earlier version kept in the database moves into the key file before the
        // migration deletes it.
        let stored = db::stored_jwt_secret(&settings.database).await?;
        let moved = stored.is_some();
        let keys = keys::resolve(&settings, stored, clock.now())?;
        let db = db::connect_and_migrate(&settings.database).await?;
        let auth = AuthKeys::new(
            &keys.token,
            &settings.auth.issuer,
            &settings.auth.audience,
            settings.auth.token_ttl_secs,
        )?;
        let hasher = Hasher::new(
            settings.auth.hash_concurrency,
            Duration::from_millis(settings.auth.hash_wait_ms),
        );
        let state = Self {
            db,
            clock,
            auth,
            sealing_key: keys.sealing,
            hasher,
            settings,
        };
        let resealed =
            crate::app::bids::reseal_legacy(&state, keys.legacy_sealing.as_deref()).await?;
        if resealed > 0 {
            tracing::info!(receipts = resealed, "re-sealed bids under the sealing key");
        }
        if moved || resealed > 0 {
            // No copy of the old key or of the bytes it sealed stays behind in free pages.
            db::scrub(&state.db).await?;
        }
        Ok(state)
    }

    /// [`AppState::open`], then the first commission account on an empty database.
    ///
    /// # Errors
    /// When the database cannot be reached or prepared.
    pub async fn prepare(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let state = Self::open(settings, clock).await?;
        let password = state.settings.bootstrap.admin_password.clone();
        crate::app::users::bootstrap_admin(&state, password.as_ref())
            .await
            .map_err(|e| anyhow::anyhow!(e.sentence()))
            .context("creating the first commission account")?;
        Ok(state)
    }
}

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    /// # Errors
    /// See [`Application::build_with_clock`].
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Binds the listener (port 0 picks a free one), prepares the database and builds the server.
    ///
    /// # Errors
    /// When the address cannot be bound or the database cannot be prepared.
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.server.addr)
            .with_context(|| format!("binding {}", settings.server.addr))?;
        let port = listener.local_addr()?.port();
        let workers = settings.server.workers;
        let shutdown = settings.server.shutdown_timeout;
        let state = web::Data::new(AppState::prepare(settings, clock).await?);
        let data = state.clone();
        let mut server = HttpServer::new(move || routes::app(data.clone()))
            .listen(listener)?
            .shutdown_timeout(shutdown);
        if let Some(n) = workers {
            server = server.workers(n);
        }
        Ok(Self {
            port,
            server: server.run(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until SIGINT/SIGTERM, then stops accepting and lets in-flight requests finish.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// A handle to stop the server from outside (tests restarting on the same database).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
