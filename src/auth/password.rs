//! Argon2id password hashing, run off the async executor and bounded: each hash takes ~19 MiB
//! and a CPU for tens of milliseconds, so unbounded parallel logins would take the memory of the
//! machine (64 parallel logins once took RSS from 0.5 to 1.5 GB). A [`Hasher`] lets as many
//! hashes run as there are CPUs; the rest wait briefly, then are refused as [`HashError::Busy`]
//! (503 with `Retry-After`).

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

/// Why a hash was not computed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing slot stayed taken for the whole wait.
    #[error("every password-hashing slot is busy")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// Bounded password hashing: a semaphore of `permits` slots and how long to wait for one.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Hasher {
    /// `permits` slots (the CPU count when `None`), each waited for at most `wait`.
    pub fn new(permits: Option<usize>, wait: Duration) -> Self {
        let n = permits
            .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
            .unwrap_or(2)
            .max(1);
        Self {
            permits: Arc::new(Semaphore::new(n)),
            wait,
        }
    }

    /// Takes every slot until the guard is dropped: hashing waits, then is refused as busy
    /// (maintenance, and tests of the refusal).
    pub async fn pause(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let n = u32::try_from(self.permits.available_permits()).ok()?;
        self.permits.clone().acquire_many_owned(n).await.ok()
    }

    /// Runs `f` on the blocking pool once a slot is free.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        tokio::task::spawn_blocking(move || {
            let out = f();
            drop(permit);
            out
        })
        .await
        .map_err(|e| HashError::Failed(anyhow::anyhow!("password hashing task: {e}")))?
        .map_err(HashError::Failed)
    }

    /// Hashes a password with Argon2id (the crate's default parameters: 19 MiB, 2 passes).
    ///
    /// # Errors
    /// [`HashError::Busy`] when no slot came free in time; a failed hash.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || hash_now(&password)).await
    }

    /// Checks a password against a stored hash; `None` checks against a dummy hash and fails, so
    /// that an unknown account costs the same time as a wrong password.
    ///
    /// # Errors
    /// [`HashError::Busy`] when no slot came free in time.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, HashError> {
        self.run(move || Ok(verify_now(&password, stored.as_deref())))
            .await
    }
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// A hash of a random password, verified against when the user does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_now(&generate()).unwrap_or_default())
}

fn verify_now(password: &str, stored: Option<&str>) -> bool {
    let exists = stored.is_some();
    let stored: &str = match stored {
        Some(s) => s,
        None => dummy_hash(),
    };
    let ok = PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    exists && ok
}

/// A strong random password (for the bootstrap admin when none is configured).
pub fn generate() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::thread_rng(), 24)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let h = Hasher::new(Some(2), Duration::from_secs(5));
        let hash = h.hash("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(h
            .verify("correct horse".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!h.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!h.verify("anything".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_busy_hasher_refuses_after_the_wait() {
        let h = Hasher::new(Some(1), Duration::from_millis(50));
        let held = h.permits.clone().acquire_owned().await.unwrap();
        assert!(matches!(
            h.verify("x".into(), None).await,
            Err(HashError::Busy)
        ));
        drop(held);
        assert!(!h.verify("x".into(), None).await.unwrap());
    }
}
