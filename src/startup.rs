//! Building and running the application: database, keys, bootstrap account, HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{web, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;

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
        let audit_key = audit_key(&settings)?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("jiebang-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("building the webhook HTTP client")?;
        let documents = crate::objects::open(&settings)?;
        let public_cache = Arc::new(crate::app::public_cache::PublicCache::new(
            Duration::from_millis(settings.cache.revalidate_ms),
        ));
        let state = Self {
            db,
            clock,
            auth,
            sealing_key: keys.sealing,
            hasher,
            settings,
            appended: Arc::new(tokio::sync::Notify::new()),
            audit_key,
            http,
            public_cache,
            documents,
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

/// The tree-head signing key: the `audit.signing_key` setting, else the key file (created, mode
/// 0600, when missing).
///
/// # Errors
/// A key file that cannot be read or created, or does not hold 64 hex digits.
pub fn audit_key(settings: &Settings) -> anyhow::Result<ed25519_dalek::SigningKey> {
    let from_hex = |text: &str, what: &str| -> anyhow::Result<ed25519_dalek::SigningKey> {
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("{what} must hold 64 hex digits"))?;
        Ok(ed25519_dalek::SigningKey::from_bytes(&bytes))
    };
    if let Some(k) = &settings.audit.signing_key {
        return from_hex(k.expose_secret(), "audit.signing_key");
    }
    let path = match &settings.audit.key_file {
        Some(p) => p.clone(),
        None => default_key_file(&settings.database.url),
    };
    let what = format!("the audit key file {}", path.display());
    match std::fs::read_to_string(&path) {
        Ok(text) => from_hex(&text, &what),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
            write_private(&path, &hex::encode(seed)).with_context(|| format!("creating {what}"))?;
            tracing::info!(path = %path.display(), "created the audit signing key");
            Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
        }
        Err(e) => Err(e).with_context(|| format!("reading {what}")),
    }
}

/// `<sqlite file>.audit-key` beside a SQLite database, else `jiebang-audit.key`.
fn default_key_file(url: &str) -> std::path::PathBuf {
    let file = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|f| !f.is_empty() && !f.contains(":memory:"));
    match file {
        Some(f) => std::path::PathBuf::from(format!("{f}.audit-key")),
        None => std::path::PathBuf::from("jiebang-audit.key"),
    }
}

/// Writes a new file readable by its owner only (never replacing one).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    worker: Option<Worker>,
    /// The notice worker (reminders and emails), when `email.interval_ms` is not 0.
    notices: Option<Worker>,
}

/// A background worker: the webhook worker (delivers what is due every `webhooks.interval_ms`)
/// or the notice worker (writes the reminders due and sends the emails due every
/// `email.interval_ms`). Stopped when the server stops (between passes: a pass in flight
/// finishes, up to the shutdown timeout; what it leaves is done after its lease expires, by this
/// or another instance).
struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    fn spawn<F, Fut>(state: web::Data<AppState>, every: std::time::Duration, job: F) -> Self
    where
        F: Fn(web::Data<AppState>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send,
    {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    _ = tick.tick() => job(state.clone()).await,
                }
            }
        });
        Self { stop, task }
    }

    async fn shut_down(self, grace: std::time::Duration) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(grace, self.task).await.is_err() {
            abort.abort();
        }
    }
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
        crate::metrics::handle();
        let data = state.clone();
        let mut server = HttpServer::new(move || routes::app(data.clone()))
            .listen(listener)?
            .shutdown_timeout(shutdown);
        if let Some(n) = workers {
            server = server.workers(n);
        }
        let every = state.settings.webhooks.interval_ms;
        let worker = (every > 0).then(|| {
            Worker::spawn(
                state.clone(),
                std::time::Duration::from_millis(every),
                |state| async move {
                    if let Err(e) = crate::app::webhooks::deliver_due(&state).await {
                        tracing::error!(error = %e.sentence(), "webhook delivery pass failed");
                    }
                },
            )
        });
        let every = state.settings.email.interval_ms;
        let notices = (every > 0).then(|| {
            Worker::spawn(
                state.clone(),
                std::time::Duration::from_millis(every),
                |state| async move {
                    if let Err(e) = crate::app::notifications::run_once(&state).await {
                        tracing::error!(error = %e.sentence(), "notice pass failed");
                    }
                },
            )
        });
        // The aggregated access log: one info line a minute (per-request lines are at debug).
        tokio::spawn(async {
            let period = std::time::Duration::from_secs(60);
            let mut tick = tokio::time::interval(period);
            tick.tick().await;
            loop {
                tick.tick().await;
                crate::telemetry::summarise(period);
            }
        });
        Ok(Self {
            port,
            server: server.run(),
            state,
            worker,
            notices,
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
        let served = self.server.await;
        let grace = std::time::Duration::from_secs(self.state.settings.server.shutdown_timeout);
        for w in [self.worker, self.notices].into_iter().flatten() {
            w.shut_down(grace).await;
        }
        served
    }

    /// A handle to stop the server from outside (tests restarting on the same database).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
