//! Checking the event log's hash chain: every row links to the one before and hashes to what it
//! holds, without gaps, up to the head.

use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::store;

/// What a walk of the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Rows that verified before the first problem (all of them when there is none).
    pub verified: i64,
    /// The head as recorded.
    pub head_seq: i64,
    pub head_hash: String,
    /// The first row that does not verify, and why.
    pub first_bad: Option<BadRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRow {
    pub seq: i64,
    pub problem: String,
}

impl ChainReport {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Walks the whole log in order, in pages.
///
/// # Errors
/// Database failures (a broken chain is a report, not an error).
#[tracing::instrument(skip_all)]
pub async fn verify(db: &impl ConnectionTrait) -> anyhow::Result<ChainReport> {
    let head = store::events::head(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the event log has no head row"))?;
    let mut report = ChainReport {
        verified: 0,
        head_seq: head.seq,
        head_hash: head.hash.clone(),
        first_bad: None,
    };
    let mut prev_seq = 0i64;
    let mut prev_hash = entity::event::GENESIS.to_owned();
    loop {
        let page = store::events::raw_page(db, prev_seq, 1000).await?;
        if page.is_empty() {
            break;
        }
        for row in page {
            let problem = if row.seq != prev_seq + 1 {
                Some(format!(
                    "row {} is missing: the log goes from {prev_seq} to {}",
                    prev_seq + 1,
                    row.seq
                ))
            } else if row.prev_hash != prev_hash {
                Some(format!(
                    "its prev_hash does not link to row {prev_seq} (rows removed, inserted or reordered)"
                ))
            } else {
                match entity::event::expected_hash(&row, &prev_hash)? {
                    Some(h) if h == row.hash => None,
                    _ => Some("its content does not hash to its stored hash (edited)".to_owned()),
                }
            };
            if let Some(problem) = problem {
                report.first_bad = Some(BadRow {
                    seq: if row.seq != prev_seq + 1 {
                        prev_seq + 1
                    } else {
                        row.seq
                    },
                    problem,
                });
                return Ok(report);
            }
            report.verified += 1;
            prev_seq = row.seq;
            prev_hash = row.hash;
        }
    }
    if head.seq != prev_seq || head.hash != prev_hash {
        report.first_bad = Some(BadRow {
            seq: prev_seq + 1,
            problem: format!(
                "the head records {} rows ending in {}, but the log ends at row {prev_seq} (rows removed from the end)",
                head.seq, head.hash
            ),
        });
    }
    Ok(report)
}
