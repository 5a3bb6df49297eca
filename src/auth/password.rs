//! Argon2id password hashing, off the async executor and bounded: each hash takes ~19 MiB and a
//! CPU for tens of milliseconds, so unbounded parallel logins would take the memory of the
//! machine (64 parallel logins once took RSS from 0.5 to 1.5 GB). A [`Hasher`] runs hashes on a
//! fixed set of threads, as many as there are CPUs; the rest wait briefly for a slot, then are
//! refused as [`HashError::Busy`] (503 with `Retry-After`). Fixed threads matter as much as the
//! bound: each thread reuses the memory of its previous hash, whereas hashes spread over a
//! blocking pool's ever-new threads leave a freed 19 MiB block behind in each allocator arena.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::{oneshot, Semaphore};

/// Why a hash was not computed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing slot stayed taken for the whole wait.
    #[error("every password-hashing slot is busy")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

type Job = Box<dyn FnOnce() + Send>;

/// Bounded password hashing: `permits` threads, a semaphore of as many slots, and how long to
/// wait for one. The threads end when the last clone of the hasher is dropped.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    wait: Duration,
    jobs: mpsc::Sender<Job>,
}

impl Hasher {
    /// `permits` slots and threads (the CPU count when `None`), each slot waited for at most
    /// `wait`.
    pub fn new(permits: Option<usize>, wait: Duration) -> Self {
        let n = permits
            .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
            .unwrap_or(2)
            .max(1);
        pin_mmap_threshold();
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..n {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || loop {
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        // A panicking hash fails its own request (its reply is dropped), not
                        // the thread.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "starting a password-hashing thread");
            }
        }
        Self {
            permits: Arc::new(Semaphore::new(n)),
            wait,
            jobs,
        }
    }

    /// Takes every slot until the guard is dropped: hashing waits, then is refused as busy
    /// (maintenance, and tests of the refusal).
    pub async fn pause(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let n = u32::try_from(self.permits.available_permits()).ok()?;
        self.permits.clone().acquire_many_owned(n).await.ok()
    }

    /// Runs `f` on a hashing thread once a slot is free.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let out = f();
                drop(permit);
                let _ = tx.send(out);
            }))
            .map_err(|_| {
                HashError::Failed(anyhow::anyhow!("the password-hashing threads are gone"))
            })?;
        rx.await
            .map_err(|_| HashError::Failed(anyhow::anyhow!("a password-hashing thread failed")))?
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

/// glibc raises its mmap threshold after the first large block is freed; from then on each 19 MiB
/// Argon2 block (an over-aligned allocation) is carved from an arena and hardly ever reused, so
/// resident memory grew by ~19 MiB with every hash (measured on the release build: eight failed
/// logins in a row took RSS from 190 to 345 MB, and a storm of 200 to 340–810 MB). Pinning the
/// threshold at its default keeps such blocks mmapped and returns them to the system when freed:
/// the same eight logins leave RSS at 31 MB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn pin_mmap_threshold() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `mallopt` only tunes the allocator and is thread-safe (it takes the arena
        // locks); no memory is handed over.
        let pinned = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024) };
        if pinned != 1 {
            tracing::warn!("could not pin the allocator's mmap threshold; hashing may hold memory");
        }
    });
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn pin_mmap_threshold() {}

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
