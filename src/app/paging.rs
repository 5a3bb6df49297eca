//! Keyset pages for the list endpoints: the items after a cursor (the last id or `seq` seen), in
//! ascending key order, at most `limit`. A page fetches one row more than it shows, so it knows
//! without a count whether another follows.

use crate::error::{ApiError, Result};

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageArgs {
    /// Only keys greater than this.
    pub after: Option<i64>,
    /// At most this many items (≥ 1).
    pub limit: u64,
}

/// Most items a page of an array endpoint holds, and how many it holds when not told.
pub const MAX_LIMIT: u64 = 1000;
pub const DEFAULT_LIMIT: u64 = 100;

impl PageArgs {
    /// Checks a request's `after` (0 or more) and `limit` (1–`max`, `default` when absent).
    ///
    /// # Errors
    /// 422 naming `limit` or `after`.
    pub fn new(after: Option<i64>, limit: Option<u64>, default: u64, max: u64) -> Result<Self> {
        let limit = limit.unwrap_or(default);
        let mut errors = Vec::new();
        if !(1..=max).contains(&limit) {
            errors.push(crate::error::FieldError::new(
                "limit",
                crate::msg!("field-limit-range", max = max),
            ));
        }
        if after.is_some_and(|a| a < 0) {
            errors.push(crate::error::FieldError::new(
                "after",
                crate::msg!("field-after-cursor"),
            ));
        }
        if errors.is_empty() {
            Ok(Self { after, limit })
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// An array endpoint's page: `limit` 1–1000, 100 when not told.
    ///
    /// # Errors
    /// 422 naming `limit` or `after`.
    pub fn array(after: Option<i64>, limit: Option<u64>) -> Result<Self> {
        Self::new(after, limit, DEFAULT_LIMIT, MAX_LIMIT)
    }

    /// Every item (for the service's own readers: exports, the demo).
    pub const ALL: Self = Self {
        after: None,
        limit: 1 << 40,
    };

    /// How many rows to fetch: one more than shown.
    pub fn fetch(&self) -> u64 {
        self.limit.saturating_add(1)
    }

    /// The `after` bound as an `i32` key (ids): a cursor beyond every `i32` admits nothing.
    pub fn after_i32(&self) -> Option<i32> {
        self.after.map(|a| i32::try_from(a).unwrap_or(i32::MAX))
    }

    /// Whether a key lies after the cursor.
    pub fn admits(&self, key: i64) -> bool {
        self.after.is_none_or(|a| key > a)
    }

    /// Cuts rows fetched with [`fetch`](Self::fetch) (in key order) to the page and its next
    /// cursor.
    pub fn cut<T>(&self, mut rows: Vec<T>, key: impl Fn(&T) -> i64) -> Paged<T> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(&key)
        } else {
            None
        };
        Paged { items: rows, next }
    }

    /// A page out of every item in memory (already in key order): for the short lists whose
    /// rows are read whole anyway.
    pub fn of_all<T>(&self, rows: Vec<T>, key: impl Fn(&T) -> i64) -> Paged<T> {
        let limit = usize::try_from(self.fetch()).unwrap_or(usize::MAX);
        let rows: Vec<T> = rows
            .into_iter()
            .filter(|r| self.admits(key(r)))
            .take(limit)
            .collect();
        self.cut(rows, key)
    }
}

/// A page and the cursor of the next (none on the last).
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next: Option<i64>,
}

impl<T> Paged<T> {
    /// The same page with its items mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked_and_named() {
        assert!(PageArgs::array(None, None).is_ok_and(|p| p.limit == 100));
        for (after, limit, field) in [
            (None, Some(0), "limit"),
            (None, Some(1001), "limit"),
            (Some(-1), None, "after"),
        ] {
            match PageArgs::array(after, limit) {
                Err(ApiError::Validation(e)) => {
                    assert_eq!(e[0].field, field, "{after:?} {limit:?}")
                }
                other => panic!("{after:?} {limit:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn pages_cover_everything_once() {
        let all: Vec<i64> = (1..=25).collect();
        let args = |after| PageArgs::new(after, Some(10), 10, 10).unwrap();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let p = args(after).of_all(all.clone(), |k| *k);
            seen.extend(p.items);
            match p.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(seen, all);
        assert_eq!(args(Some(20)).of_all(all, |k| *k).next, None);
    }
}
