//! Layered settings: defaults → optional config file → `JIEBANG__…` environment variables.
//!
//! Every value is read as text and parsed here, so that a bad value stops start-up with a message
//! naming the environment variable that would set it.

use std::net::SocketAddr;
use std::path::Path;

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub bootstrap: BootstrapSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub addr: SocketAddr,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Seconds in-flight requests get to finish on SIGINT/SIGTERM.
    pub shutdown_timeout: u64,
    pub workers: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
}

#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// The JWT signing key; generated and kept in the database when unset.
    pub secret: Option<SecretString>,
    pub token_ttl_secs: u64,
    pub issuer: String,
    pub audience: String,
}

#[derive(Debug, Clone)]
pub struct BootstrapSettings {
    pub admin_password: Option<SecretString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            server: ServerSettings {
                addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
                body_limit: 1024 * 1024,
                shutdown_timeout: 30,
                workers: None,
            },
            database: DatabaseSettings {
                url: "sqlite://jiebang.db?mode=rwc".into(),
                max_connections: 10,
            },
            auth: AuthSettings {
                secret: None,
                token_ttl_secs: 3600,
                issuer: "jiebang".into(),
                audience: "jiebang-api".into(),
            },
            bootstrap: BootstrapSettings {
                admin_password: None,
            },
            log: LogSettings {
                format: LogFormat::Pretty,
                level: "info".into(),
            },
        }
    }
}

/// The raw, textual layer; each field is parsed by [`Settings::load`].
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Raw {
    server: RawServer,
    database: RawDatabase,
    auth: RawAuth,
    bootstrap: RawBootstrap,
    log: RawLog,
}
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawServer {
    addr: Option<String>,
    body_limit: Option<String>,
    shutdown_timeout: Option<String>,
    workers: Option<String>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawDatabase {
    url: Option<String>,
    max_connections: Option<String>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawAuth {
    secret: Option<String>,
    token_ttl_secs: Option<String>,
    issuer: Option<String>,
    audience: Option<String>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawBootstrap {
    admin_password: Option<String>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawLog {
    format: Option<String>,
    level: Option<String>,
}

/// A setting that could not be used, named by its environment variable.
#[derive(Debug, thiserror::Error)]
#[error("setting {var}: {message}")]
pub struct SettingsError {
    pub var: String,
    pub message: String,
}

fn bad(key: &str, message: impl Into<String>) -> SettingsError {
    SettingsError {
        var: format!("JIEBANG__{}", key.replace('.', "__").to_ascii_uppercase()),
        message: message.into(),
    }
}

fn parse<T: std::str::FromStr>(
    key: &str,
    value: Option<String>,
    default: T,
) -> Result<T, SettingsError>
where
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|e| bad(key, format!("{v:?} is not valid: {e}"))),
    }
}

fn secret(
    key: &str,
    value: Option<String>,
    min_len: usize,
) -> Result<Option<SecretString>, SettingsError> {
    match value {
        None => Ok(None),
        Some(v) if v.chars().count() < min_len => {
            Err(bad(key, format!("must be at least {min_len} characters")))
        }
        Some(v) => Ok(Some(SecretString::from(v))),
    }
}

impl Settings {
    /// Reads the optional config file (TOML) and then the environment.
    ///
    /// # Errors
    /// A file that cannot be read, or any value that does not parse; the message names the variable.
    pub fn load(config_file: Option<&Path>) -> Result<Self, SettingsError> {
        let mut builder = config::Config::builder();
        if let Some(path) = config_file {
            builder = builder.add_source(config::File::from(path).required(true));
        } else {
            builder = builder.add_source(config::File::with_name("jiebang").required(false));
        }
        let config = builder
            .add_source(
                config::Environment::with_prefix("JIEBANG")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(false),
            )
            .build()
            .map_err(|e| SettingsError {
                var: "config file".into(),
                message: e.to_string(),
            })?;
        let raw: Raw = config.try_deserialize().map_err(|e| SettingsError {
            var: "JIEBANG__…".into(),
            message: e.to_string(),
        })?;
        Self::from_raw(raw)
    }

    fn from_raw(raw: Raw) -> Result<Self, SettingsError> {
        let d = Settings::default();
        let format = match raw.log.format.as_deref().map(str::trim) {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(bad(
                    "log.format",
                    format!("{other:?} is not one of pretty, json"),
                ))
            }
        };
        let url = raw.database.url.unwrap_or(d.database.url);
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(bad(
                "database.url",
                "must start with sqlite:, postgres:// or postgresql://",
            ));
        }
        let body_limit: usize = parse(
            "server.body_limit",
            raw.server.body_limit,
            d.server.body_limit,
        )?;
        if body_limit < 1024 {
            return Err(bad("server.body_limit", "must be at least 1024 bytes"));
        }
        let ttl: u64 = parse(
            "auth.token_ttl_secs",
            raw.auth.token_ttl_secs,
            d.auth.token_ttl_secs,
        )?;
        if !(60..=86_400).contains(&ttl) {
            return Err(bad("auth.token_ttl_secs", "must be between 60 and 86400"));
        }
        let max_connections: u32 =
            parse("database.max_connections", raw.database.max_connections, 10)?;
        if max_connections == 0 {
            return Err(bad("database.max_connections", "must be at least 1"));
        }
        Ok(Self {
            server: ServerSettings {
                addr: parse("server.addr", raw.server.addr, d.server.addr)?,
                body_limit,
                shutdown_timeout: parse(
                    "server.shutdown_timeout",
                    raw.server.shutdown_timeout,
                    30,
                )?,
                workers: match raw.server.workers {
                    None => None,
                    v => Some(parse("server.workers", v, 1usize)?),
                },
            },
            database: DatabaseSettings {
                url,
                max_connections,
            },
            auth: AuthSettings {
                secret: secret("auth.secret", raw.auth.secret, 32)?,
                token_ttl_secs: ttl,
                issuer: raw.auth.issuer.unwrap_or(d.auth.issuer),
                audience: raw.auth.audience.unwrap_or(d.auth.audience),
            },
            bootstrap: BootstrapSettings {
                admin_password: secret(
                    "bootstrap.admin_password",
                    raw.bootstrap.admin_password,
                    12,
                )?,
            },
            log: LogSettings {
                format,
                level: raw.log.level.unwrap_or(d.log.level),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_address_names_the_variable() {
        let raw = Raw {
            server: RawServer {
                addr: Some("nowhere".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let err = Settings::from_raw(raw).unwrap_err();
        assert_eq!(err.var, "JIEBANG__SERVER__ADDR");
    }

    #[test]
    fn short_secret_is_refused() {
        let raw = Raw {
            auth: RawAuth {
                secret: Some("short".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            Settings::from_raw(raw).unwrap_err().var,
            "JIEBANG__AUTH__SECRET"
        );
    }

    #[test]
    fn defaults_hold() {
        let s = Settings::from_raw(Raw::default()).unwrap();
        assert_eq!(s.server.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database.url, "sqlite://jiebang.db?mode=rwc");
    }
}
