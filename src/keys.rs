//! The service's keys: the token-signing keys (each with an id, rotated) and the bid-sealing key,
//! kept apart. They come from the settings (`auth.secret`, `sealing.key`) or from the key file —
//! a JSON file of mode 0600 beside an SQLite database, or at `auth.key_file` — and never from the
//! database, so that whoever reads the database (a backup, a dump, an SQL injection) can neither
//! forge a token nor unseal a bid.
//!
//! Up to this version a key generated when `auth.secret` was unset was kept in the database
//! (`app_setting.jwt_secret`) and served both purposes. On the first start after the upgrade,
//! [`resolve`] moves that secret into the key file (tokens signed with it stay valid until they
//! expire, as an `imported` token key) and hands it on as the legacy sealing secret, with which
//! the start re-seals the old bids under the new sealing key; the migration then deletes the row.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use rand::RngCore;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::TokenKeySpec;
use crate::settings::Settings;

/// The format tag at the top of a key file.
const FORMAT: &str = "jiebang-keys/1";

/// The keys a running service holds.
pub struct Keys {
    /// Token keys, the current (signing) one last.
    pub token: Vec<TokenKeySpec>,
    /// The root of the per-call bid-sealing keys (see `domain::sealing`).
    pub sealing: Vec<u8>,
    /// The secret bids were sealed with before the sealing key was separated, when known: the
    /// configured `auth.secret`, or the secret moved out of the database.
    pub legacy_sealing: Option<Vec<u8>>,
    /// Where the keys not configured live (`None`: configured, or in memory only).
    pub file: Option<PathBuf>,
}

/// The key file as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    #[serde(default)]
    token_keys: Vec<StoredTokenKey>,
    #[serde(default)]
    sealing_key: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredTokenKey {
    kid: String,
    secret: String,
    created_at: DateTime<Utc>,
    /// Set when a newer key took over signing: from then on this key only verifies tokens issued
    /// before that moment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retired_at: Option<DateTime<Utc>>,
    /// The secret moved out of the database: it also verifies the tokens issued before key ids
    /// (no `kid` in their header).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    imported: bool,
}

impl KeyFile {
    fn empty() -> Self {
        Self {
            format: FORMAT.into(),
            token_keys: Vec::new(),
            sealing_key: None,
        }
    }

    fn current(&self) -> Option<&StoredTokenKey> {
        self.token_keys
            .iter()
            .rev()
            .find(|k| k.retired_at.is_none())
    }
}

/// 256 random bits as 64 hex characters (the key is the text's bytes, as configured keys are).
fn random_secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn random_kid() -> String {
    let mut bytes = [0_u8; 8];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The key id of a configured or imported secret: a short hash that names it without revealing
/// it, so that a changed secret is a different id.
pub fn kid_of(secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"jiebang/kid/v1\0");
    h.update(secret);
    hex::encode(&h.finalize()[..8])
}

/// Where the key file is: `auth.key_file`, else `<database file>.keys` for an SQLite file, else
/// nowhere (an in-memory SQLite database, or PostgreSQL without the setting).
pub fn key_file_path(settings: &Settings) -> Option<PathBuf> {
    if let Some(p) = &settings.auth.key_file {
        return Some(p.clone());
    }
    sqlite_file(&settings.database.url).map(|db| {
        let mut name = db.into_os_string();
        name.push(".keys");
        PathBuf::from(name)
    })
}

/// The file of an SQLite URL, `None` for an in-memory database or another backend.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let memory =
        path.is_empty() || path == ":memory:" || query.split('&').any(|kv| kv == "mode=memory");
    (!memory).then(|| PathBuf::from(path))
}

fn is_postgres(settings: &Settings) -> bool {
    settings.database.url.starts_with("postgres")
}

/// The keys for a start: from the settings, the key file (created, or completed, as needed) and
/// the secret the database still holds from before (`db_secret`, moved into the key file).
///
/// # Errors
/// PostgreSQL with keys to keep and no key file configured; a key file that cannot be read,
/// written, parsed, or is readable by others.
pub fn resolve(
    settings: &Settings,
    db_secret: Option<String>,
    now: DateTime<Utc>,
) -> anyhow::Result<Keys> {
    let configured_token = settings
        .auth
        .secret
        .as_ref()
        .map(|s| s.expose_secret().as_bytes().to_vec());
    let configured_sealing = settings
        .sealing
        .key
        .as_ref()
        .map(|s| s.expose_secret().as_bytes().to_vec());
    // The stored secret was used only when none was configured.
    let db_secret = db_secret.filter(|_| configured_token.is_none());

    let need_file = configured_token.is_none() || configured_sealing.is_none();
    let path = key_file_path(settings);
    let file = match (&path, need_file) {
        (_, false) => None,
        (Some(path), true) => Some(ensure_file(
            path,
            configured_token.is_none(),
            configured_sealing.is_none(),
            db_secret.as_deref(),
            now,
        )?),
        (None, true) if is_postgres(settings) => bail!(
            "on PostgreSQL set JIEBANG__AUTH__KEY_FILE (a key file shared by every instance on \
             this database), or both JIEBANG__AUTH__SECRET and JIEBANG__SEALING__KEY: keys are \
             never kept in the database"
        ),
        (None, true) => {
            tracing::warn!(
                "in-memory database: keys are generated for this process only and die with it"
            );
            let mut f = KeyFile::empty();
            complete(
                &mut f,
                configured_token.is_none(),
                configured_sealing.is_none(),
                None,
                now,
            );
            Some(f)
        }
    };

    let token = match (&configured_token, &file) {
        (Some(secret), _) => vec![TokenKeySpec {
            kid: kid_of(secret),
            secret: secret.clone(),
            retired_at: None,
            accepts_unkeyed: true,
        }],
        (None, Some(f)) => {
            let mut keys: Vec<TokenKeySpec> = f
                .token_keys
                .iter()
                .filter(|k| k.retired_at.is_some())
                .chain(f.current())
                .map(|k| TokenKeySpec {
                    kid: k.kid.clone(),
                    secret: k.secret.as_bytes().to_vec(),
                    retired_at: k.retired_at.map(|t| t.timestamp()),
                    accepts_unkeyed: k.imported,
                })
                .collect();
            keys.dedup_by(|a, b| a.kid == b.kid);
            keys
        }
        (None, None) => Vec::new(),
    };
    let sealing = match (configured_sealing, &file) {
        (Some(key), _) => key,
        (None, Some(f)) => f
            .sealing_key
            .as_ref()
            .map(|k| k.as_bytes().to_vec())
            .context("the key file holds no sealing key")?,
        (None, None) => bail!("no sealing key"),
    };
    let legacy_sealing = configured_token.clone().or_else(|| {
        db_secret.map(String::into_bytes).or_else(|| {
            file.as_ref().and_then(|f| {
                f.token_keys
                    .iter()
                    .find(|k| k.imported)
                    .map(|k| k.secret.as_bytes().to_vec())
            })
        })
    });
    Ok(Keys {
        token,
        sealing,
        legacy_sealing,
        file: path.filter(|_| need_file),
    })
}

/// Fills in what the file lacks; true when it changed.
fn complete(
    f: &mut KeyFile,
    want_token: bool,
    want_sealing: bool,
    db_secret: Option<&str>,
    now: DateTime<Utc>,
) -> bool {
    let mut changed = false;
    if want_token {
        if let Some(old) = db_secret {
            if !f.token_keys.iter().any(|k| k.secret == old) {
                // The secret that signed every token until now: current when the file has no key
                // of its own yet, otherwise kept to verify the tokens it signed.
                let retired_at = f.current().map(|_| now);
                f.token_keys.insert(
                    0,
                    StoredTokenKey {
                        kid: kid_of(old.as_bytes()),
                        secret: old.to_owned(),
                        created_at: now,
                        retired_at,
                        imported: true,
                    },
                );
                changed = true;
            }
        }
        if f.current().is_none() {
            f.token_keys.push(StoredTokenKey {
                kid: random_kid(),
                secret: random_secret(),
                created_at: now,
                retired_at: None,
                imported: false,
            });
            changed = true;
        }
    }
    if want_sealing && f.sealing_key.is_none() {
        f.sealing_key = Some(random_secret());
        changed = true;
    }
    changed
}

/// Reads the key file, creating or completing it as needed.
fn ensure_file(
    path: &Path,
    want_token: bool,
    want_sealing: bool,
    db_secret: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<KeyFile> {
    // Two instances starting at once: the file is created with O_EXCL semantics (a hard link
    // of a complete temporary file); the one that loses reads the winner's file.
    for _ in 0..3 {
        match read(path)? {
            Some(mut f) => {
                if complete(&mut f, want_token, want_sealing, db_secret, now) {
                    replace(path, &f)?;
                    tracing::info!(file = %path.display(), "added missing keys to the key file");
                }
                if db_secret.is_some() {
                    tracing::info!(
                        file = %path.display(),
                        "moved the token key kept in the database into the key file"
                    );
                }
                tracing::info!(file = %path.display(), "keys read from the key file");
                return Ok(f);
            }
            None => {
                let mut f = KeyFile::empty();
                complete(&mut f, want_token, want_sealing, db_secret, now);
                if create_new(path, &f)? {
                    if db_secret.is_some() {
                        tracing::info!(
                            file = %path.display(),
                            "moved the token key kept in the database into a new key file (mode 0600)"
                        );
                    } else {
                        tracing::info!(
                            file = %path.display(),
                            "generated keys into a new key file (mode 0600); back it up apart from the database"
                        );
                    }
                    return Ok(f);
                }
            }
        }
    }
    bail!("the key file {} could not be created", path.display())
}

/// The key file, `None` when it does not exist.
fn read(path: &Path) -> anyhow::Result<Option<KeyFile>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(e).with_context(|| format!("reading the key file {}", path.display()))
        }
    };
    check_mode(path)?;
    let f: KeyFile = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "the key file {} is not a jiebang key file (line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if f.format != FORMAT {
        bail!(
            "the key file {} has format {:?}; this version reads {FORMAT:?}",
            path.display(),
            f.format
        );
    }
    Ok(Some(f))
}

#[cfg(unix)]
fn check_mode(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)
        .with_context(|| format!("reading the key file {}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        bail!(
            "the key file {} can be read by others (mode {:o}); run `chmod 600` on it",
            path.display(),
            mode & 0o777
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_: &Path) -> anyhow::Result<()> {
    Ok(())
}

fn render(f: &KeyFile) -> anyhow::Result<Vec<u8>> {
    let mut text = serde_json::to_vec_pretty(f)?;
    text.push(b'\n');
    Ok(text)
}

/// A complete temporary file of mode 0600 beside `path`.
fn write_temp(path: &Path, f: &KeyFile) -> anyhow::Result<PathBuf> {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".tmp-{}", random_kid()));
    let tmp = PathBuf::from(name);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options
        .open(&tmp)
        .and_then(|mut file| {
            file.write_all(&render(f).map_err(std::io::Error::other)?)?;
            file.sync_all()
        })
        .with_context(|| format!("writing the key file {}", tmp.display()));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map(|()| tmp)
}

/// Creates the file unless it exists; false when another process created it first.
fn create_new(path: &Path, f: &KeyFile) -> anyhow::Result<bool> {
    let tmp = write_temp(path, f)?;
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("creating the key file {}", path.display())),
    }
}

fn replace(path: &Path, f: &KeyFile) -> anyhow::Result<()> {
    let tmp = write_temp(path, f)?;
    fs::rename(&tmp, path).with_context(|| format!("replacing the key file {}", path.display()))
}

/// What a rotation did.
#[derive(Debug)]
pub struct Rotation {
    pub file: PathBuf,
    pub new_kid: String,
    pub retired_kid: Option<String>,
    /// Keys retired long enough ago that no token they signed is still valid, now removed.
    pub removed: usize,
}

/// Makes a new token key current; the previous one keeps verifying the tokens it signed until
/// they expire, and keys retired more than a token lifetime ago are removed.
///
/// # Errors
/// When token keys are configured (`auth.secret`), or the key file cannot be resolved, read or
/// written.
pub fn rotate(settings: &Settings, now: DateTime<Utc>) -> anyhow::Result<Rotation> {
    if settings.auth.secret.is_some() {
        bail!(
            "JIEBANG__AUTH__SECRET is set, so the token key comes from it: change it there (tokens \
             signed with the old secret then stop working); unset it to use rotating keys in the \
             key file"
        );
    }
    let path = key_file_path(settings).context(
        "no key file: set JIEBANG__AUTH__KEY_FILE (or use an SQLite database file, beside which \
         the key file lives)",
    )?;
    let mut f = read(&path)?.with_context(|| {
        format!(
            "the key file {} does not exist yet: start the service once to create it",
            path.display()
        )
    })?;
    let ttl = chrono::Duration::seconds(i64::try_from(settings.auth.token_ttl_secs).unwrap_or(0));
    let before = f.token_keys.len();
    f.token_keys.retain(|k| {
        k.retired_at
            .is_none_or(|t| t + ttl + chrono::Duration::seconds(5) >= now)
    });
    let removed = before - f.token_keys.len();
    let retired_kid = f.current().map(|k| k.kid.clone());
    for k in &mut f.token_keys {
        if k.retired_at.is_none() {
            k.retired_at = Some(now);
        }
    }
    let new_kid = random_kid();
    f.token_keys.push(StoredTokenKey {
        kid: new_kid.clone(),
        secret: random_secret(),
        created_at: now,
        retired_at: None,
        imported: false,
    });
    replace(&path, &f)?;
    Ok(Rotation {
        file: path,
        new_kid,
        retired_kid,
        removed,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use secrecy::SecretString;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap()
    }

    fn sqlite_settings(dir: &Path) -> Settings {
        let mut s = Settings::default();
        s.database.url = format!("sqlite://{}?mode=rwc", dir.join("j.db").display());
        s
    }

    #[test]
    fn the_key_file_lives_beside_an_sqlite_file_only() {
        let mut s = Settings::default();
        assert_eq!(key_file_path(&s), Some(PathBuf::from("jiebang.db.keys")));
        s.database.url = "sqlite:///var/lib/j/x.db?mode=rwc".into();
        assert_eq!(
            key_file_path(&s),
            Some(PathBuf::from("/var/lib/j/x.db.keys"))
        );
        for memory in [
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite://x.db?mode=memory",
        ] {
            s.database.url = memory.into();
            assert_eq!(key_file_path(&s), None, "{memory}");
        }
        s.database.url = "postgres://u@h/db".into();
        assert_eq!(key_file_path(&s), None);
        s.auth.key_file = Some("/etc/jiebang/keys.json".into());
        assert_eq!(
            key_file_path(&s),
            Some(PathBuf::from("/etc/jiebang/keys.json"))
        );
    }

    #[test]
    fn postgres_without_a_key_file_or_both_keys_fails_by_name() {
        let mut s = Settings::default();
        s.database.url = "postgres://u@h/db".into();
        let e = resolve(&s, None, now()).err().unwrap().to_string();
        assert!(e.contains("JIEBANG__AUTH__KEY_FILE"), "{e}");
        s.auth.secret = Some(SecretString::from("t".repeat(40)));
        let e = resolve(&s, None, now()).err().unwrap().to_string();
        assert!(e.contains("JIEBANG__SEALING__KEY"), "{e}");
        s.sealing.key = Some(SecretString::from("s".repeat(40)));
        let k = resolve(&s, None, now()).unwrap();
        assert_eq!(k.sealing, "s".repeat(40).into_bytes());
        assert_eq!(k.token.len(), 1);
        assert_eq!(k.legacy_sealing, Some("t".repeat(40).into_bytes()));
        assert!(k.file.is_none());
    }

    #[test]
    fn a_generated_file_is_private_stable_and_keeps_the_keys_apart() {
        let dir = tempfile::tempdir().unwrap();
        let s = sqlite_settings(dir.path());
        let first = resolve(&s, None, now()).unwrap();
        let path = dir.path().join("j.db.keys");
        assert_eq!(first.file.as_deref(), Some(path.as_path()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(first.token.len(), 1);
        assert_ne!(first.token[0].secret, first.sealing);
        assert!(first.legacy_sealing.is_none());
        let again = resolve(&s, None, now()).unwrap();
        assert_eq!(again.token[0].secret, first.token[0].secret);
        assert_eq!(again.token[0].kid, first.token[0].kid);
        assert_eq!(again.sealing, first.sealing);
        // No temporary file left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let s = sqlite_settings(dir.path());
        resolve(&s, None, now()).unwrap();
        let path = dir.path().join("j.db.keys");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let e = resolve(&s, None, now()).err().unwrap().to_string();
        assert!(e.contains("chmod 600"), "{e}");
    }

    #[test]
    fn a_secret_from_the_database_moves_into_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = sqlite_settings(dir.path());
        let old = "ab".repeat(32);
        let k = resolve(&s, Some(old.clone()), now()).unwrap();
        assert_eq!(k.token.len(), 1);
        assert_eq!(k.token[0].secret, old.as_bytes());
        assert!(k.token[0].accepts_unkeyed);
        assert_eq!(k.legacy_sealing.as_deref(), Some(old.as_bytes()));
        assert_ne!(k.sealing, old.as_bytes());
        // Once the row is gone, the file alone still has it.
        let k = resolve(&s, None, now()).unwrap();
        assert_eq!(k.token[0].secret, old.as_bytes());
        assert_eq!(k.legacy_sealing.as_deref(), Some(old.as_bytes()));
    }

    #[test]
    fn rotation_keeps_the_previous_key_for_verification_then_drops_it() {
        let dir = tempfile::tempdir().unwrap();
        let s = sqlite_settings(dir.path());
        let first = resolve(&s, None, now()).unwrap();
        let r = rotate(&s, now()).unwrap();
        assert_eq!(r.retired_kid.as_deref(), Some(first.token[0].kid.as_str()));
        let k = resolve(&s, None, now()).unwrap();
        assert_eq!(k.token.len(), 2);
        assert_eq!(k.token[0].kid, first.token[0].kid);
        assert_eq!(k.token[0].retired_at, Some(now().timestamp()));
        assert_eq!(k.token[1].kid, r.new_kid);
        assert_eq!(k.token[1].retired_at, None);
        assert_eq!(
            k.sealing, first.sealing,
            "rotation leaves the sealing key alone"
        );
        let later = now() + chrono::Duration::seconds(3600 + 60);
        let r2 = rotate(&s, later).unwrap();
        assert_eq!(r2.removed, 1);
        let k = resolve(&s, None, later).unwrap();
        assert_eq!(
            k.token.iter().map(|t| t.kid.as_str()).collect::<Vec<_>>(),
            vec![r.new_kid.as_str(), r2.new_kid.as_str()]
        );
    }

    #[test]
    fn rotation_is_refused_when_the_token_key_is_configured() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = sqlite_settings(dir.path());
        s.auth.secret = Some(SecretString::from("t".repeat(40)));
        let e = rotate(&s, now()).unwrap_err().to_string();
        assert!(e.contains("JIEBANG__AUTH__SECRET"), "{e}");
    }
}
