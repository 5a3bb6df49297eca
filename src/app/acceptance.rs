//! Acceptance (验收): the builder's written request opens an acceptance of the project; the
//! commission forms a panel (with the calls' conflict and recusal rules) and engages a
//! third-party evaluator; the evaluator measures each indicator; the experts score; the rule
//! (every mandatory indicator met and the panel's score at or above the round's threshold)
//! decides, and the commission concludes: accepted (the plaque), rectify (a deadline, then a new
//! review) or failed.

use super::Uow;
use crate::domain::project::Project;
use crate::error::Result;
use crate::store;

/// Opens the next acceptance of a project (its attempt number) for a request; returns its id.
///
/// # Errors
/// Database failures.
pub async fn open(uow: &mut Uow, p: &Project, requested_by: i32, letter: &str) -> Result<i32> {
    let now = uow.now();
    Ok(store::acceptance::open(uow.db(), p.id, requested_by, letter, now).await?)
}
