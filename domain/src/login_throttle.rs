//! Throttling failed logins, per account and per client address. Every attempt is charged
//! before its password is checked (so a burst of parallel attempts cannot all slip past one
//! count); a success clears the account's count.
//!
//! Per account: from the 5th failure each further attempt waits a growing delay after the last
//! failure (1 s, 2 s, 4 s … at most 5 minutes); the 20th failure locks the account for 15
//! minutes. Per address the thresholds are 20 and 100 (many people may share one address). A
//! count starts afresh after an hour without failures.

use chrono::{DateTime, Duration, Utc};

/// The thresholds of one kind of counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures after which each attempt waits [`Policy::delay`].
    pub delay_after: i32,
    /// Failures at which the key is locked for `lock`.
    pub lock_after: i32,
    pub lock: Duration,
    pub max_delay: Duration,
    /// A quiet time after which the count starts afresh.
    pub quiet: Duration,
}

pub const ACCOUNT: Policy = Policy {
    delay_after: 5,
    lock_after: 20,
    lock: Duration::minutes(15),
    max_delay: Duration::minutes(5),
    quiet: Duration::hours(1),
};

pub const ADDRESS: Policy = Policy {
    delay_after: 20,
    lock_after: 100,
    lock: Duration::minutes(15),
    max_delay: Duration::minutes(5),
    quiet: Duration::hours(1),
};

/// The stored count of one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub failures: i32,
    pub last_failure_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// What to do with an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Refused: no attempt before `until`.
    Refuse { until: DateTime<Utc> },
    /// Let through, charged as a failure until it succeeds: the counter to store.
    Charge(Counter),
}

impl Policy {
    /// The wait after the last failure once there have been `failures`.
    pub fn delay(&self, failures: i32) -> Duration {
        if failures < self.delay_after {
            return Duration::zero();
        }
        let doublings = u32::try_from(failures - self.delay_after)
            .unwrap_or(0)
            .min(20);
        Duration::seconds(1_i64 << doublings).min(self.max_delay)
    }

    /// Decides an attempt at `now` given the key's counter.
    pub fn charge(&self, counter: Option<&Counter>, now: DateTime<Utc>) -> Decision {
        let current = counter.filter(|c| {
            let locked = c.locked_until.is_some_and(|l| l > now);
            locked || now - c.last_failure_at < self.quiet
        });
        let Some(c) = current else {
            return Decision::Charge(Counter {
                failures: 1,
                last_failure_at: now,
                locked_until: None,
            });
        };
        if let Some(until) = c.locked_until.filter(|l| *l > now) {
            return Decision::Refuse { until };
        }
        let until = c.last_failure_at + self.delay(c.failures);
        if until > now {
            return Decision::Refuse { until };
        }
        let failures = c.failures.saturating_add(1);
        Decision::Charge(Counter {
            failures,
            last_failure_at: now,
            locked_until: (failures >= self.lock_after).then(|| now + self.lock),
        })
    }
}

/// Whole seconds from `now` to `until`, at least 1: a `Retry-After` value.
pub fn retry_after(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds().max(0);
    u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap()
    }

    /// Charges `n` attempts each as soon as allowed, returning the last counter and time.
    fn fail(policy: &Policy, n: i32) -> (Counter, DateTime<Utc>) {
        let mut now = t0();
        let mut c: Option<Counter> = None;
        for _ in 0..n {
            match policy.charge(c.as_ref(), now) {
                Decision::Charge(next) => c = Some(next),
                Decision::Refuse { until } => {
                    now = until;
                    match policy.charge(c.as_ref(), now) {
                        Decision::Charge(next) => c = Some(next),
                        Decision::Refuse { .. } => panic!("refused at its own until"),
                    }
                }
            }
        }
        (c.unwrap(), now)
    }

    #[test]
    fn four_failures_cost_nothing_the_fifth_starts_a_growing_delay() {
        let (c, now) = fail(&ACCOUNT, 4);
        assert_eq!(c.failures, 4);
        assert!(matches!(ACCOUNT.charge(Some(&c), now), Decision::Charge(_)));
        let (c, now) = fail(&ACCOUNT, 5);
        assert_eq!(
            ACCOUNT.charge(Some(&c), now),
            Decision::Refuse {
                until: now + Duration::seconds(1)
            }
        );
        let (c, now) = fail(&ACCOUNT, 8);
        assert_eq!(
            ACCOUNT.charge(Some(&c), now),
            Decision::Refuse {
                until: now + Duration::seconds(8)
            }
        );
        assert_eq!(ACCOUNT.delay(19), Duration::minutes(5));
        assert_eq!(ACCOUNT.delay(4), Duration::zero());
        assert_eq!(ACCOUNT.delay(1000), Duration::minutes(5));
    }

    #[test]
    fn the_twentieth_failure_locks_for_fifteen_minutes() {
        let (c, now) = fail(&ACCOUNT, 19);
        assert_eq!(c.locked_until, None);
        let (c, now2) = fail(&ACCOUNT, 20);
        assert!(now2 > now);
        assert_eq!(c.locked_until, Some(now2 + Duration::minutes(15)));
        let until = now2 + Duration::minutes(15);
        assert_eq!(
            ACCOUNT.charge(Some(&c), now2 + Duration::minutes(14)),
            Decision::Refuse { until }
        );
        // After the lock, one more attempt; failing it locks again.
        match ACCOUNT.charge(Some(&c), until) {
            Decision::Charge(next) => {
                assert_eq!(next.failures, 21);
                assert_eq!(next.locked_until, Some(until + Duration::minutes(15)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_quiet_hour_starts_the_count_afresh_but_not_during_a_lock() {
        let (c, now) = fail(&ACCOUNT, 10);
        match ACCOUNT.charge(Some(&c), now + Duration::hours(1)) {
            Decision::Charge(next) => assert_eq!(next.failures, 1),
            other => panic!("{other:?}"),
        }
        let locked = Counter {
            failures: 20,
            last_failure_at: now,
            locked_until: Some(now + Duration::hours(2)),
        };
        assert!(matches!(
            ACCOUNT.charge(Some(&locked), now + Duration::hours(1)),
            Decision::Refuse { .. }
        ));
    }

    #[test]
    fn addresses_allow_more() {
        let (c, now) = fail(&ADDRESS, 19);
        assert!(matches!(ADDRESS.charge(Some(&c), now), Decision::Charge(_)));
        let (c, now) = fail(&ADDRESS, 20);
        assert!(matches!(
            ADDRESS.charge(Some(&c), now),
            Decision::Refuse { .. }
        ));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let now = t0();
        assert_eq!(retry_after(now + Duration::milliseconds(1), now), 1);
        assert_eq!(retry_after(now + Duration::milliseconds(1500), now), 2);
        assert_eq!(retry_after(now + Duration::seconds(900), now), 900);
        assert_eq!(retry_after(now - Duration::seconds(1), now), 1);
    }
}
