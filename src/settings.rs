//! Layered settings: defaults → optional config file → `JIEBANG__…` environment variables.
//!
//! The layers deserialize straight into the typed structs below. Start-up stops with a message
//! naming the variable (or the file key) when a value does not parse or is out of range, and when
//! a name is not a setting at all: a misspelt `JIEBANG__SERVER__ADRR` would otherwise be ignored
//! silently and the server would listen where nobody expects. `jiebang.example.toml` at the
//! repository root lists every setting with its default.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use config::{Config, ConfigError, Environment, File, FileFormat};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub use crate::domain::notification::SmtpTls;

const PREFIX: &str = "JIEBANG__";
const SEPARATOR: &str = "__";
/// The config file read from the working directory when `--config` is not given.
const DEFAULT_FILE: &str = "jiebang.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub sealing: SealingSettings,
    pub bootstrap: BootstrapSettings,
    pub log: LogSettings,
    pub audit: AuditSettings,
    pub ocds: OcdsSettings,
    pub webhooks: WebhookSettings,
    pub calls: CallSettings,
    pub metrics: MetricsSettings,
    pub documents: DocumentSettings,
    pub email: EmailSettings,
    pub cache: CacheSettings,
}

/// The read caches (public reads, the accounts callers are loaded from).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheSettings {
    /// Milliseconds between looks at the event log's head, which tell this instance of other
    /// instances' writes (its own are seen at once); 0 looks on every request.
    pub revalidate_ms: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self { revalidate_ms: 250 }
    }
}

/// Where uploaded documents are kept, and how large they may be.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentSettings {
    /// `local` (a folder) or `s3` (any S3-compatible store).
    pub store: DocumentStoreKind,
    /// The folder of the `local` store. Unset: beside the SQLite database
    /// (`<database file>.documents`), or `jiebang-documents` for PostgreSQL.
    pub root: Option<PathBuf>,
    /// The S3 bucket (required for `s3`).
    pub s3_bucket: Option<String>,
    /// The S3 endpoint, for stores other than AWS (e.g. `https://minio.example:9000`).
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<SecretString>,
    pub s3_secret_access_key: Option<SecretString>,
    /// Allow plain `http://` endpoints (a store on the same host or network only).
    pub s3_allow_http: bool,
    /// Largest proposal document (意向表, 方案), in bytes.
    pub max_bytes_proposal: u64,
    /// Largest bid attachment, in bytes.
    pub max_bytes_bid: u64,
    /// Largest project document (task agreement, acceptance evidence, evaluation report).
    pub max_bytes_project: u64,
    /// Largest piece of a finding's evidence, in bytes.
    pub max_bytes_finding: u64,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            store: DocumentStoreKind::Local,
            root: None,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_allow_http: false,
            max_bytes_proposal: 20 * 1024 * 1024,
            max_bytes_bid: 50 * 1024 * 1024,
            max_bytes_project: 50 * 1024 * 1024,
            max_bytes_finding: 20 * 1024 * 1024,
        }
    }
}

impl DocumentSettings {
    /// The size limits by kind.
    pub fn limits(&self) -> crate::domain::document::Limits {
        crate::domain::document::Limits {
            proposal: self.max_bytes_proposal,
            bid: self.max_bytes_bid,
            project: self.max_bytes_project,
            finding: self.max_bytes_finding,
        }
    }
}

/// Where documents are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum DocumentStoreKind {
    #[default]
    Local,
    S3,
}

impl TryFrom<String> for DocumentStoreKind {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        match s.trim() {
            "local" => Ok(Self::Local),
            "s3" => Ok(Self::S3),
            other => Err(format!("{other:?} is not one of local, s3")),
        }
    }
}

/// Notices to people: the worker that writes deadline reminders and sends emails through SMTP.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// The SMTP server's host name. Unset: no email is written or sent (notices stay in the API).
    pub host: Option<String>,
    pub port: u16,
    pub tls: SmtpTls,
    /// SMTP AUTH user name; set with `password`, or neither.
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// The sender mailbox (`Name <address>` or an address).
    pub from: String,
    /// Milliseconds between the notice worker's passes (reminders, then due emails); 0 runs no
    /// worker in this instance (another instance, or a test, runs it).
    pub interval_ms: u64,
    /// Seconds the server has for one email (connection and dialogue).
    pub timeout_secs: u64,
    /// Seconds a claim holds an email; a crashed instance's claims expire after it.
    pub lease_secs: u64,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            host: None,
            port: 587,
            tls: SmtpTls::Starttls,
            username: None,
            password: None,
            from: "揭榜挂帅 <noreply@jiebang.invalid>".into(),
            interval_ms: 5000,
            timeout_secs: 30,
            lease_secs: 120,
        }
    }
}

/// Calls (揭榜).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallSettings {
    /// Hours an answer to an enquiry that amends a call extends its window by, at the least.
    pub enquiry_extension_hours: u32,
}

impl Default for CallSettings {
    fn default() -> Self {
        Self {
            enquiry_extension_hours: 72,
        }
    }
}

/// `GET /metrics` (Prometheus text format).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// The bearer token a scraper sends (at least 16 characters). Unset: `/metrics` answers 404.
    pub token: Option<SecretString>,
}

/// The webhook worker.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookSettings {
    /// Milliseconds between the worker's looks for due deliveries; 0 runs no worker in this
    /// instance (another instance, or a test, delivers).
    pub interval_ms: u64,
    /// Seconds a receiver has to answer one delivery.
    pub timeout_secs: u64,
    /// Deliveries claimed (and sent concurrently) at a time.
    pub batch: u64,
    /// Seconds a claim holds a delivery; a crashed instance's claims expire after it.
    pub lease_secs: u64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            interval_ms: 1000,
            timeout_secs: 15,
            batch: 32,
            lease_secs: 60,
        }
    }
}

/// The verifiable log's signing key and name.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditSettings {
    /// The Ed25519 key signing tree heads, as 64 hex digits (its 32-byte seed), instead of a
    /// key file.
    pub signing_key: Option<SecretString>,
    /// The key file (64 hex digits), created with mode 0600 when missing. Unset: beside the
    /// SQLite database (`<file>.audit-key`), or `jiebang-audit.key` for PostgreSQL. Never in the
    /// database: whoever can rewrite the log must not also be able to sign for it.
    pub key_file: Option<std::path::PathBuf>,
    /// The log's name, the first line of every signed tree head.
    pub origin: String,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            signing_key: None,
            key_file: None,
            origin: "jiebang".into(),
        }
    }
}

/// The OCDS export.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OcdsSettings {
    /// The publisher's registered ocid prefix (`ocds-` and six characters, from
    /// data@open-contracting.org); the default is a placeholder.
    pub prefix: String,
    /// The publisher's name in every package.
    pub publisher: String,
    /// Where this service is reached from outside: the packages' `uri` and the extension's URL.
    pub base_url: String,
}

impl Default for OcdsSettings {
    fn default() -> Self {
        Self {
            prefix: "ocds-jiebang".into(),
            publisher: "重庆市经济和信息化委员会".into(),
            base_url: "http://127.0.0.1:8080".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub addr: SocketAddr,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Seconds in-flight requests get to finish on SIGINT/SIGTERM.
    pub shutdown_timeout: u64,
    /// HTTP worker threads; the CPU count when unset.
    pub workers: Option<usize>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            body_limit: 1024 * 1024,
            shutdown_timeout: 30,
            workers: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://jiebang.db?mode=rwc".into(),
            max_connections: 10,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// The token-signing key. When unset, keys are generated into (and rotated in) the key file.
    pub secret: Option<SecretString>,
    /// The key file: token keys and the bid-sealing key when they are not configured. Default
    /// beside an SQLite database (`<database file>.keys`); required on PostgreSQL unless both
    /// `auth.secret` and `sealing.key` are set. Never inside the database.
    pub key_file: Option<PathBuf>,
    pub token_ttl_secs: u64,
    pub issuer: String,
    pub audience: String,
    /// Password hashes computed at once (each takes ~19 MiB); the CPU count when unset.
    pub hash_concurrency: Option<usize>,
    /// Milliseconds a login waits for a hashing slot before it is answered 503.
    pub hash_wait_ms: u64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            secret: None,
            key_file: None,
            token_ttl_secs: 3600,
            issuer: "jiebang".into(),
            audience: "jiebang-api".into(),
            hash_concurrency: None,
            hash_wait_ms: 2000,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SealingSettings {
    /// The bid-sealing key (at least 32 characters); kept in the key file when unset.
    pub key: Option<SecretString>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BootstrapSettings {
    pub admin_password: Option<SecretString>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

impl TryFrom<String> for LogFormat {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        match s.trim() {
            "pretty" => Ok(Self::Pretty),
            "json" => Ok(Self::Json),
            other => Err(format!("{other:?} is not one of pretty, json")),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Pretty,
            level: "info".into(),
        }
    }
}

/// Why the settings could not be used. Messages never contain a secret's value.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value that does not parse or is out of range; `var` is the environment variable that set
    /// it, or the key and file it came from.
    #[error("{var}: {message}")]
    Invalid { var: String, message: String },
    /// A name under `JIEBANG__` or a key in the config file that is not a setting.
    #[error("unknown setting {name}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default())]
    Unknown {
        name: String,
        suggestion: Option<String>,
    },
    /// The config file cannot be read or is not TOML.
    #[error("config file {file}: {message}")]
    File { file: String, message: String },
}

impl Settings {
    /// Reads the config file (`config_file`, else `./jiebang.toml` when present) and then the
    /// `JIEBANG__…` environment variables.
    ///
    /// # Errors
    /// A file that cannot be read, an unknown setting, or a value that does not parse or is out of
    /// range; the message names the variable or the file key.
    pub fn load(config_file: Option<&Path>) -> Result<Self, SettingsError> {
        let file = match config_file {
            Some(path) => {
                let name = path.display().to_string();
                let source = File::from(path).format(FileFormat::Toml).required(true);
                Some((read_file(source, &name)?, name))
            }
            None => {
                // Exactly `jiebang.toml`: the name alone would also match the `jiebang` binary.
                let source = File::new(DEFAULT_FILE, FileFormat::Toml).required(false);
                Some((read_file(source, DEFAULT_FILE)?, DEFAULT_FILE.to_owned()))
            }
        };
        let env = jiebang_vars(std::env::vars_os())?;
        Self::from_layers(file, env)
    }

    /// The layers merged and checked; `file` is the parsed config file and its name for messages,
    /// `env` the `JIEBANG__…` variables by their names as given.
    fn from_layers(
        file: Option<(Config, String)>,
        env: BTreeMap<String, String>,
    ) -> Result<Self, SettingsError> {
        let names = Names {
            env: env.keys().map(|k| (key_of_var(k), k.clone())).collect(),
            file: file.as_ref().map(|(_, name)| name.clone()),
        };
        for var in env.keys() {
            check_var(var)?;
        }
        let mut builder = Config::builder();
        if let Some((config, name)) = file {
            check_file_keys(&config, &name)?;
            builder = builder.add_source(config);
        }
        let config = builder
            .add_source(
                Environment::with_prefix("JIEBANG")
                    .prefix_separator(SEPARATOR)
                    .separator(SEPARATOR)
                    .try_parsing(false)
                    .source(Some(env.into_iter().collect())),
            )
            .build()
            .map_err(|e| SettingsError::File {
                file: names.file.clone().unwrap_or_default(),
                message: e.to_string(),
            })?;
        let settings: Settings = serde_path_to_error::deserialize(config).map_err(|e| {
            let key = e.path().to_string();
            names.invalid(&key, without_key(e.inner()))
        })?;
        settings.check(&names)?;
        Ok(settings)
    }

    /// The rules a value's type cannot express.
    fn check(&self, names: &Names) -> Result<(), SettingsError> {
        let url = &self.database.url;
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(names.invalid(
                "database.url",
                "must start with sqlite:, postgres:// or postgresql://",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(names.invalid("database.max_connections", "must be at least 1"));
        }
        if self.server.body_limit < 1024 {
            return Err(names.invalid("server.body_limit", "must be at least 1024 bytes"));
        }
        if self.documents.store == DocumentStoreKind::S3 && self.documents.s3_bucket.is_none() {
            return Err(names.invalid(
                "documents.s3_bucket",
                "is required when documents.store is s3",
            ));
        }
        for (key, v) in [
            (
                "documents.max_bytes_proposal",
                self.documents.max_bytes_proposal,
            ),
            ("documents.max_bytes_bid", self.documents.max_bytes_bid),
            (
                "documents.max_bytes_project",
                self.documents.max_bytes_project,
            ),
            (
                "documents.max_bytes_finding",
                self.documents.max_bytes_finding,
            ),
        ] {
            if !(1..=1024 * 1024 * 1024).contains(&v) {
                return Err(names.invalid(key, "must be 1 byte to 1 GiB"));
            }
        }
        if self.server.workers == Some(0) {
            return Err(names.invalid("server.workers", "must be at least 1"));
        }
        if !(60..=86_400).contains(&self.auth.token_ttl_secs) {
            return Err(names.invalid("auth.token_ttl_secs", "must be between 60 and 86400"));
        }
        if self.auth.hash_concurrency == Some(0) {
            return Err(names.invalid("auth.hash_concurrency", "must be at least 1"));
        }
        if self.auth.hash_wait_ms > 60_000 {
            return Err(names.invalid("auth.hash_wait_ms", "must be at most 60000"));
        }
        if self
            .auth
            .key_file
            .as_ref()
            .is_some_and(|p| p.as_os_str().is_empty())
        {
            return Err(names.invalid("auth.key_file", "must not be empty"));
        }
        min_len(names, "auth.secret", self.auth.secret.as_ref(), 32)?;
        if let Some(k) = &self.audit.signing_key {
            let k = k.expose_secret();
            if k.len() != 64 || !k.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(names.invalid("audit.signing_key", "must be 64 hex digits"));
            }
        }
        if self.audit.origin.trim().is_empty() || self.audit.origin.contains('\n') {
            return Err(names.invalid("audit.origin", "must be one non-empty line"));
        }
        let p = &self.ocds.prefix;
        if !p.starts_with("ocds-")
            || p.len() < 6
            || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(names.invalid(
                "ocds.prefix",
                "must be ocds- followed by letters and digits (the registered prefix)",
            ));
        }
        if !(self.ocds.base_url.starts_with("http://")
            || self.ocds.base_url.starts_with("https://"))
        {
            return Err(names.invalid("ocds.base_url", "must start with http:// or https://"));
        }
        let w = &self.webhooks;
        if !(1..=60).contains(&w.timeout_secs) {
            return Err(names.invalid("webhooks.timeout_secs", "must be 1 to 60"));
        }
        if !(1..=1000).contains(&w.batch) {
            return Err(names.invalid("webhooks.batch", "must be 1 to 1000"));
        }
        if w.lease_secs <= w.timeout_secs {
            return Err(names.invalid(
                "webhooks.lease_secs",
                "must be longer than webhooks.timeout_secs",
            ));
        }
        let e = &self.email;
        if e.host.as_ref().is_some_and(|h| h.trim().is_empty()) {
            return Err(names.invalid(
                "email.host",
                "must not be empty (leave it unset for no email)",
            ));
        }
        if e.port == 0 {
            return Err(names.invalid("email.port", "must be 1 to 65535"));
        }
        if e.username.is_some() != e.password.is_some() {
            return Err(names.invalid(
                "email.password",
                "set email.username and email.password together, or neither",
            ));
        }
        if e.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(names.invalid(
                "email.from",
                "must be a mailbox like 揭榜挂帅 <noreply@example.com>",
            ));
        }
        if !(1..=300).contains(&e.timeout_secs) {
            return Err(names.invalid("email.timeout_secs", "must be 1 to 300"));
        }
        if e.lease_secs <= e.timeout_secs {
            return Err(names.invalid("email.lease_secs", "must be longer than email.timeout_secs"));
        }
        min_len(names, "metrics.token", self.metrics.token.as_ref(), 16)?;
        if self.cache.revalidate_ms > 60_000 {
            return Err(names.invalid(
                "cache.revalidate_ms",
                "must be at most 60000 (other instances' writes are seen within it)",
            ));
        }
        min_len(names, "sealing.key", self.sealing.key.as_ref(), 32)?;
        if let (Some(a), Some(b)) = (&self.auth.secret, &self.sealing.key) {
            if a.expose_secret() == b.expose_secret() {
                return Err(names.invalid(
                    "sealing.key",
                    "must differ from auth.secret (the keys are kept apart)",
                ));
            }
        }
        min_len(
            names,
            "bootstrap.admin_password",
            self.bootstrap.admin_password.as_ref(),
            12,
        )
    }
}

fn min_len(
    names: &Names,
    key: &str,
    secret: Option<&SecretString>,
    min: usize,
) -> Result<(), SettingsError> {
    match secret {
        Some(s) if s.expose_secret().chars().count() < min => {
            Err(names.invalid(key, format!("must be at least {min} characters")))
        }
        _ => Ok(()),
    }
}

/// Where each setting came from, so that a message names what the operator wrote.
struct Names {
    /// Dotted key (`server.addr`) → the environment variable that set it, as spelt.
    env: BTreeMap<String, String>,
    file: Option<String>,
}

impl Names {
    fn invalid(&self, key: &str, message: impl Into<String>) -> SettingsError {
        let var = match (self.env.get(key), &self.file) {
            (Some(var), _) => var.clone(),
            (None, Some(file)) => format!("{key} in {file} (or {})", var_of_key(key)),
            (None, None) => var_of_key(key),
        };
        SettingsError::Invalid {
            var,
            message: message.into(),
        }
    }
}

/// `server.addr` → `JIEBANG__SERVER__ADDR`.
fn var_of_key(key: &str) -> String {
    format!(
        "{PREFIX}{}",
        key.replace('.', SEPARATOR).to_ascii_uppercase()
    )
}

/// `JIEBANG__SERVER__ADDR` → `server.addr` (case-insensitive, as the `config` crate reads them).
fn key_of_var(var: &str) -> String {
    var.get(PREFIX.len()..)
        .unwrap_or_default()
        .to_lowercase()
        .replace(SEPARATOR, ".")
}

/// The error's own text, without the key `config` appends: the caller names the variable.
fn without_key(e: &ConfigError) -> String {
    match e {
        ConfigError::At { error, .. } => without_key(error),
        ConfigError::Type {
            unexpected,
            expected,
            ..
        } => format!("invalid type: {unexpected}, expected {expected}"),
        other => other.to_string(),
    }
}

/// The `JIEBANG__…` variables of the process environment (any case).
fn jiebang_vars(
    vars: impl Iterator<Item = (OsString, OsString)>,
) -> Result<BTreeMap<String, String>, SettingsError> {
    let mut out = BTreeMap::new();
    for (name, value) in vars {
        let Some(name) = name.to_str() else { continue };
        if !name.to_ascii_uppercase().starts_with(PREFIX) {
            continue;
        }
        let value = value.into_string().map_err(|_| SettingsError::Invalid {
            var: name.to_owned(),
            message: "is not valid UTF-8".into(),
        })?;
        out.insert(name.to_owned(), value);
    }
    Ok(out)
}

fn read_file<T>(source: File<T, FileFormat>, name: &str) -> Result<Config, SettingsError>
where
    File<T, FileFormat>: config::Source + Send + Sync + 'static,
{
    Config::builder()
        .add_source(source)
        .build()
        .map_err(|e| SettingsError::File {
            file: name.to_owned(),
            message: e.to_string(),
        })
}

/// Every setting as `(section, key)`, read from the structs' derived `Deserialize`, so the list
/// cannot drift from the fields.
fn known() -> Vec<(&'static str, &'static str)> {
    let sections: [(&str, &[&str]); 14] = [
        ("server", fields_of::<ServerSettings>()),
        ("database", fields_of::<DatabaseSettings>()),
        ("auth", fields_of::<AuthSettings>()),
        ("sealing", fields_of::<SealingSettings>()),
        ("bootstrap", fields_of::<BootstrapSettings>()),
        ("log", fields_of::<LogSettings>()),
        ("audit", fields_of::<AuditSettings>()),
        ("ocds", fields_of::<OcdsSettings>()),
        ("webhooks", fields_of::<WebhookSettings>()),
        ("calls", fields_of::<CallSettings>()),
        ("metrics", fields_of::<MetricsSettings>()),
        ("documents", fields_of::<DocumentSettings>()),
        ("email", fields_of::<EmailSettings>()),
        ("cache", fields_of::<CacheSettings>()),
    ];
    sections
        .into_iter()
        .flat_map(|(section, keys)| keys.iter().map(move |k| (section, *k)))
        .collect()
}

/// Refuses a `JIEBANG__…` variable that names no setting.
fn check_var(var: &str) -> Result<(), SettingsError> {
    let key = key_of_var(var);
    let known = known();
    if known.iter().any(|(s, k)| format!("{s}.{k}") == key) {
        return Ok(());
    }
    Err(SettingsError::Unknown {
        name: var.to_owned(),
        suggestion: nearest(&key, known.iter().map(|(s, k)| format!("{s}.{k}")))
            .map(|k| var_of_key(&k)),
    })
}

/// Refuses a section or key in the config file that names no setting.
fn check_file_keys(config: &Config, file: &str) -> Result<(), SettingsError> {
    let known = known();
    let table = config::Source::collect(config).map_err(|e| SettingsError::File {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    for (section, value) in table {
        if !known.iter().any(|(s, _)| *s == section) {
            let is_table = value.into_table().is_ok();
            let sections = known.iter().map(|(s, _)| (*s).to_owned());
            return Err(SettingsError::Unknown {
                name: if is_table {
                    format!("[{section}] in {file}")
                } else {
                    format!("{section} in {file}")
                },
                suggestion: nearest(&section, sections).map(|s| format!("[{s}]")),
            });
        }
        // A section that is not a table is a type error, reported by the deserialization.
        let Ok(keys) = value.into_table() else {
            continue;
        };
        for key in keys.keys() {
            let dotted = format!("{section}.{key}");
            if !known.iter().any(|(s, k)| *s == section && k == key) {
                return Err(SettingsError::Unknown {
                    name: format!("{dotted} in {file}"),
                    suggestion: nearest(&dotted, known.iter().map(|(s, k)| format!("{s}.{k}"))),
                });
            }
        }
    }
    Ok(())
}

/// The candidate closest to `name`, if it is close enough to be a typo.
fn nearest(name: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, &candidate), candidate))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The field names the derived `Deserialize` of struct `T` expects (what `deny_unknown_fields`
/// accepts), obtained by asking it to deserialize from a probe that records them.
fn fields_of<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    struct Probe<'a>(&'a mut &'static [&'static str]);

    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("probed"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _probed = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> BTreeMap<String, String> {
        vars.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn toml(text: &str) -> Option<(Config, String)> {
        let config = read_file(File::from_str(text, FileFormat::Toml), "test.toml")
            .expect("the test's TOML parses");
        Some((config, "test.toml".to_owned()))
    }

    fn example() -> Option<(Config, String)> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("jiebang.example.toml");
        let source = File::from(path.as_path()).format(FileFormat::Toml);
        let config = read_file(source, "jiebang.example.toml").expect("the example file parses");
        Some((config, "jiebang.example.toml".to_owned()))
    }

    fn invalid_var(err: SettingsError) -> String {
        match err {
            SettingsError::Invalid { var, .. } => var,
            other => panic!("expected an invalid value, got {other}"),
        }
    }

    #[test]
    fn defaults_hold() {
        let s = Settings::from_layers(None, BTreeMap::new()).unwrap();
        assert_eq!(s.server.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.server.body_limit, 1024 * 1024);
        assert_eq!(s.server.shutdown_timeout, 30);
        assert_eq!(s.server.workers, None);
        assert_eq!(s.database.url, "sqlite://jiebang.db?mode=rwc");
        assert_eq!(s.database.max_connections, 10);
        assert!(s.auth.secret.is_none());
        assert!(s.auth.key_file.is_none());
        assert!(s.sealing.key.is_none());
        assert_eq!(s.auth.hash_concurrency, None);
        assert_eq!(s.auth.hash_wait_ms, 2000);
        assert_eq!(s.auth.token_ttl_secs, 3600);
        assert_eq!(s.auth.issuer, "jiebang");
        assert_eq!(s.auth.audience, "jiebang-api");
        assert!(s.bootstrap.admin_password.is_none());
        assert_eq!(s.log.format, LogFormat::Pretty);
        assert_eq!(s.log.level, "info");
        assert_eq!(s.cache.revalidate_ms, 250);
    }

    #[test]
    fn the_cache_interval_is_bounded() {
        let ok = Settings::from_layers(None, env(&[("JIEBANG__CACHE__REVALIDATE_MS", "0")]));
        assert_eq!(ok.unwrap().cache.revalidate_ms, 0);
        let err = Settings::from_layers(None, env(&[("JIEBANG__CACHE__REVALIDATE_MS", "60001")]))
            .unwrap_err();
        assert_eq!(invalid_var(err), "JIEBANG__CACHE__REVALIDATE_MS");
    }

    #[test]
    fn environment_overrides_the_file() {
        let s = Settings::from_layers(
            toml("[server]\naddr = \"0.0.0.0:9000\"\nworkers = 2\n[log]\nformat = \"json\"\n"),
            env(&[
                ("JIEBANG__SERVER__ADDR", "127.0.0.1:7000"),
                ("JIEBANG__DATABASE__MAX_CONNECTIONS", "3"),
                ("jiebang__log__level", "debug"),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.addr.to_string(), "127.0.0.1:7000");
        assert_eq!(s.server.workers, Some(2));
        assert_eq!(s.database.max_connections, 3);
        assert_eq!(s.log.format, LogFormat::Json);
        assert_eq!(s.log.level, "debug");
    }

    #[test]
    fn a_bad_value_names_the_variable() {
        let cases: &[(&str, &str, &str)] = &[
            ("JIEBANG__SERVER__ADDR", "nowhere", "invalid socket address"),
            ("JIEBANG__SERVER__BODY_LIMIT", "lots", "expected an integer"),
            ("JIEBANG__SERVER__BODY_LIMIT", "100", "at least 1024"),
            ("JIEBANG__SERVER__WORKERS", "0", "at least 1"),
            ("JIEBANG__DATABASE__URL", "mysql://x", "must start with"),
            ("JIEBANG__DATABASE__MAX_CONNECTIONS", "-1", "expected"),
            ("JIEBANG__AUTH__TOKEN_TTL_SECS", "5", "between 60 and 86400"),
            ("JIEBANG__LOG__FORMAT", "xml", "is not one of pretty, json"),
        ];
        for (var, value, message) in cases {
            let err = Settings::from_layers(None, env(&[(var, value)])).unwrap_err();
            let text = err.to_string();
            assert!(
                text.starts_with(&format!("{var}: ")) && text.contains(message),
                "{var}={value}: got {text:?}"
            );
            assert_eq!(invalid_var(err), *var, "{var}={value}");
        }
    }

    #[test]
    fn a_bad_value_in_the_file_names_the_key_and_the_file() {
        let err = Settings::from_layers(toml("[server]\naddr = \"nowhere\"\n"), BTreeMap::new())
            .unwrap_err();
        assert_eq!(
            invalid_var(err),
            "server.addr in test.toml (or JIEBANG__SERVER__ADDR)"
        );
    }

    #[test]
    fn secrets_are_checked_and_never_printed() {
        let short = "tiny-secret-value";
        let err =
            Settings::from_layers(None, env(&[("JIEBANG__AUTH__SECRET", short)])).unwrap_err();
        assert!(!err.to_string().contains(short), "{err}");
        assert_eq!(invalid_var(err), "JIEBANG__AUTH__SECRET");
        let err = Settings::from_layers(
            None,
            env(&[("JIEBANG__BOOTSTRAP__ADMIN_PASSWORD", "short")]),
        )
        .unwrap_err();
        assert_eq!(invalid_var(err), "JIEBANG__BOOTSTRAP__ADMIN_PASSWORD");
        let err =
            Settings::from_layers(None, env(&[("JIEBANG__SEALING__KEY", short)])).unwrap_err();
        assert_eq!(invalid_var(err), "JIEBANG__SEALING__KEY");
        let same = "the-same-secret-for-both-keys-0123456789";
        let err = Settings::from_layers(
            None,
            env(&[
                ("JIEBANG__AUTH__SECRET", same),
                ("JIEBANG__SEALING__KEY", same),
            ]),
        )
        .unwrap_err();
        assert!(!err.to_string().contains(same), "{err}");
        assert_eq!(invalid_var(err), "JIEBANG__SEALING__KEY");

        let secret = "a-secret-of-at-least-thirty-two-characters";
        let password = "a-long-admin-password";
        let s = Settings::from_layers(
            None,
            env(&[
                ("JIEBANG__AUTH__SECRET", secret),
                ("JIEBANG__BOOTSTRAP__ADMIN_PASSWORD", password),
            ]),
        )
        .unwrap();
        assert_eq!(s.auth.secret.as_ref().unwrap().expose_secret(), secret);
        let printed = format!("{s:?}");
        assert!(
            !printed.contains(secret) && !printed.contains(password),
            "{printed}"
        );
    }

    #[test]
    fn an_unknown_variable_is_refused_by_name() {
        let err = Settings::from_layers(None, env(&[("JIEBANG__SERVER__ADRR", "127.0.0.1:1")]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown setting JIEBANG__SERVER__ADRR (did you mean JIEBANG__SERVER__ADDR?)"
        );
        for var in [
            "JIEBANG__NOPE",
            "JIEBANG__SERVER",
            "JIEBANG__SERVER__ADDR__PORT",
            "JIEBANG__X__Y",
        ] {
            match Settings::from_layers(None, env(&[(var, "1")])).unwrap_err() {
                SettingsError::Unknown { name, .. } => assert_eq!(name, var),
                other => panic!("{var}: {other}"),
            }
        }
    }

    #[test]
    fn an_unknown_file_key_is_refused_by_name() {
        let err =
            Settings::from_layers(toml("[server]\nadrr = \"127.0.0.1:1\"\n"), BTreeMap::new())
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown setting server.adrr in test.toml (did you mean server.addr?)"
        );
        let err = Settings::from_layers(toml("[servr]\naddr = \"127.0.0.1:1\"\n"), BTreeMap::new())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown setting [servr] in test.toml (did you mean [server]?)"
        );
        let err =
            Settings::from_layers(toml("addr = \"127.0.0.1:1\"\n"), BTreeMap::new()).unwrap_err();
        assert!(
            matches!(&err, SettingsError::Unknown { name, .. } if name == "addr in test.toml"),
            "{err}"
        );
    }

    #[test]
    fn the_example_file_loads_and_lists_every_setting_with_its_default() {
        let s = Settings::from_layers(example(), BTreeMap::new()).unwrap();
        let d = Settings::default();
        assert_eq!(s.server.addr, d.server.addr);
        assert_eq!(s.server.body_limit, d.server.body_limit);
        assert_eq!(s.server.shutdown_timeout, d.server.shutdown_timeout);
        assert_eq!(s.server.workers, d.server.workers);
        assert_eq!(s.database.url, d.database.url);
        assert_eq!(s.database.max_connections, d.database.max_connections);
        assert!(s.auth.secret.is_none());
        assert!(s.auth.key_file.is_none());
        assert!(s.sealing.key.is_none());
        assert_eq!(s.auth.hash_concurrency, d.auth.hash_concurrency);
        assert_eq!(s.auth.hash_wait_ms, d.auth.hash_wait_ms);
        assert_eq!(s.auth.token_ttl_secs, d.auth.token_ttl_secs);
        assert_eq!(s.auth.issuer, d.auth.issuer);
        assert_eq!(s.auth.audience, d.auth.audience);
        assert!(s.bootstrap.admin_password.is_none());
        assert_eq!(s.log.format, d.log.format);
        assert_eq!(s.log.level, d.log.level);
        assert!(s.audit.signing_key.is_none() && s.audit.key_file.is_none());
        assert_eq!(s.audit.origin, d.audit.origin);
        assert_eq!(s.ocds.prefix, d.ocds.prefix);
        assert_eq!(s.ocds.publisher, d.ocds.publisher);
        assert_eq!(s.ocds.base_url, d.ocds.base_url);
        assert_eq!(s.webhooks.interval_ms, d.webhooks.interval_ms);
        assert_eq!(s.webhooks.timeout_secs, d.webhooks.timeout_secs);
        assert_eq!(s.webhooks.batch, d.webhooks.batch);
        assert_eq!(s.webhooks.lease_secs, d.webhooks.lease_secs);
        assert!(s.email.host.is_none() && s.email.username.is_none());
        assert_eq!(s.email.port, d.email.port);
        assert_eq!(s.email.tls, d.email.tls);
        assert_eq!(s.email.from, d.email.from);
        assert_eq!(s.email.interval_ms, d.email.interval_ms);
        assert_eq!(s.email.timeout_secs, d.email.timeout_secs);
        assert_eq!(s.email.lease_secs, d.email.lease_secs);

        // Every setting appears, set or commented out (`# key = …`), under its section.
        let text = include_str!("../jiebang.example.toml");
        let mut listed = Vec::new();
        let mut section = String::new();
        for line in text.lines().map(str::trim) {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.to_owned();
            } else if let Some((key, _)) = line.trim_start_matches("# ").split_once(" = ") {
                if !key.contains(' ') {
                    listed.push(format!("{section}.{key}"));
                }
            }
        }
        let mut known: Vec<String> = known().iter().map(|(s, k)| format!("{s}.{k}")).collect();
        known.sort();
        listed.sort();
        assert_eq!(listed, known);
    }

    #[test]
    fn the_sections_are_the_fields_of_settings() {
        let mut sections: Vec<&str> = known().iter().map(|(s, _)| *s).collect();
        sections.dedup();
        assert_eq!(sections, fields_of::<Settings>());
        assert!(known().contains(&("server", "addr")));
        assert_eq!(known().len(), 51);
    }

    #[test]
    fn non_jiebang_variables_are_ignored() {
        let vars = [
            ("PATH", "/bin"),
            ("JIEBANG_CONFIG", "x.toml"),
            ("JIEBANG_NEW_PASSWORD", "x"),
            ("JIEBANG__LOG__LEVEL", "warn"),
        ]
        .map(|(k, v)| (OsString::from(k), OsString::from(v)));
        let vars = jiebang_vars(vars.into_iter()).unwrap();
        assert_eq!(vars, env(&[("JIEBANG__LOG__LEVEL", "warn")]));
    }
}
