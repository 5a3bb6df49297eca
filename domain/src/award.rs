//! The rules of a call's later steps that are not moves of the state machine itself: when the
//! panel may change, when scores and objections are taken, what an award must name, and when it
//! may be made final. Kept here so the handlers only ask.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::call::{notice_over, CallStatus};
use super::Msg;

/// The award of a call, under notice or made: the winning bids in rank order and the
/// commission's note. Stored with the call as it is serialised here (`{bid_ids, note}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub bid_ids: Vec<i32>,
    pub note: String,
}

/// An objection to an award under notice, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    pub id: i32,
    pub call_id: i32,
    pub submitted_by: i32,
    /// The grounds, in writing.
    pub grounds: String,
    /// How the commission reaches the objector.
    pub contact: String,
    pub submitted_at: DateTime<Utc>,
    /// `None` until answered; upheld sends the call back to review.
    pub upheld: Option<bool>,
    pub answer: Option<String>,
    pub answered_by: Option<i32>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The panel may change until the award is proposed.
pub fn panel_open(status: CallStatus) -> bool {
    matches!(
        status,
        CallStatus::Announced
            | CallStatus::Open
            | CallStatus::Closed
            | CallStatus::Opened
            | CallStatus::UnderReview
    )
}

/// Conflicts are declared until the award is proposed. Once the notice started, a conflict found
/// is grounds for an objection, which can return the call to review.
///
/// # Errors
/// A sentence naming the current status and the way left.
pub fn conflicts_open(status: CallStatus) -> Result<(), Msg> {
    if panel_open(status) {
        Ok(())
    } else if status == CallStatus::Notice {
        Err(crate::msg!("rule-conflicts-closed-notice"))
    } else {
        Err(crate::msg!("rule-conflicts-closed", status = status))
    }
}

/// Experts score only while the call is under review.
///
/// # Errors
/// A sentence naming the current status.
pub fn scoring_open(status: CallStatus) -> Result<(), Msg> {
    if status == CallStatus::UnderReview {
        Ok(())
    } else {
        Err(crate::msg!("rule-scoring-closed", status = status))
    }
}

/// Objections are taken during the notice period, until its end.
pub fn objection_open(
    status: CallStatus,
    notice_ends: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    status == CallStatus::Notice && notice_ends.is_some_and(|e| !notice_over(e, now))
}

/// An award names exactly the call's number of winners, and they are the top of the ranking.
/// Returns the winners in rank order.
///
/// # Errors
/// A sentence saying what is wrong with the request.
pub fn check_award(winners: usize, ranked: &[i32], asked: &[i32]) -> Result<Vec<i32>, Msg> {
    if asked.len() != winners {
        return Err(crate::msg!("rule-award-count", winners = winners));
    }
    if ranked.len() < winners {
        return Err(crate::msg!("rule-award-unranked", ranked = ranked.len()));
    }
    let top = &ranked[..winners];
    let mut a = asked.to_vec();
    a.sort_unstable();
    let mut t = top.to_vec();
    t.sort_unstable();
    if a != t {
        return Err(crate::msg!(
            "rule-award-not-top",
            winners = winners,
            top = format!("{top:?}")
        ));
    }
    Ok(top.to_vec())
}

/// An award becomes final only after the notice period and with every objection answered.
///
/// # Errors
/// A sentence naming the end of the notice or the unanswered objections.
pub fn finalize_ready(
    notice_ends: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    unanswered: &[i32],
) -> Result<(), Msg> {
    if let Some(ends) = notice_ends {
        if !notice_over(ends, now) {
            return Err(crate::msg!("rule-notice-running", ends = ends.to_rfc3339()));
        }
    }
    if !unanswered.is_empty() {
        return Err(crate::msg!(
            "rule-objections-unanswered",
            ids = format!("{unanswered:?}")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn award_must_follow_the_ranking() {
        assert_eq!(check_award(1, &[7, 3], &[7]), Ok(vec![7]));
        assert!(check_award(1, &[7, 3], &[3]).is_err());
        assert!(check_award(2, &[7], &[7, 3]).is_err());
        assert!(check_award(1, &[7], &[7, 3]).is_err());
        assert_eq!(check_award(2, &[7, 3, 5], &[3, 7]), Ok(vec![7, 3]));
    }

    #[test]
    fn objections_and_finalisation_around_the_end_of_the_notice() {
        let ends = Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).unwrap();
        let before = ends - Duration::seconds(1);
        assert!(objection_open(CallStatus::Notice, Some(ends), before));
        assert!(!objection_open(CallStatus::Notice, Some(ends), ends));
        assert!(!objection_open(CallStatus::UnderReview, Some(ends), before));
        assert!(finalize_ready(Some(ends), before, &[]).is_err());
        assert!(finalize_ready(Some(ends), ends, &[4]).is_err());
        assert_eq!(finalize_ready(Some(ends), ends, &[]), Ok(()));
    }

    #[test]
    fn scoring_and_panel_windows() {
        assert!(scoring_open(CallStatus::UnderReview).is_ok());
        assert!(scoring_open(CallStatus::Opened).is_err());
        assert!(panel_open(CallStatus::UnderReview) && !panel_open(CallStatus::Notice));
        assert!(conflicts_open(CallStatus::UnderReview).is_ok());
        assert_eq!(
            conflicts_open(CallStatus::Notice).unwrap_err().id(),
            Some("rule-conflicts-closed-notice")
        );
        assert!(conflicts_open(CallStatus::Awarded).is_err());
    }
}
