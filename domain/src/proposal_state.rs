//! The proposal state machine (DOMAIN.md §3). The HTTP layer never sets a status: it asks
//! [`transition`] and stores what it answers.
//!
//! ```text
//! draft ──submit──▶ submitted ──seal──▶ sealed ──eligibility──▶ eligible ──publish──▶ listed
//!   ▲                  │                   │                        │                  ⇅ (correction)
//!   │               return                 └──────────────▶ ineligible   └──publish──▶ not_listed
//! returned ◀───────────┘ (edit, then submit again)
//! ```
//! Eligibility may be decided again (eligible ⇄ ineligible) until the list is published; a
//! corrected list version may move a proposal between listed and not_listed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

text_enum!(Status {
    /// Being written by its owner; visible to the owner only.
    Draft,
    /// Sent to its district for review (审核).
    Submitted,
    /// Sent back by the district with reasons; the owner edits and submits again.
    Returned,
    /// Approved and sealed by the district (审核盖章).
    Sealed,
    /// Marked eligible for selection by the commission.
    Eligible,
    /// Marked ineligible by the commission, with reasons.
    Ineligible,
    /// On the published list.
    Listed,
    /// Not on the published list.
    NotListed,
});

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Submitted,
        Status::Returned,
        Status::Sealed,
        Status::Eligible,
        Status::Ineligible,
        Status::Listed,
        Status::NotListed,
    ];

    /// The owner may change the content.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }

    /// Sealed by the district, so visible to the commission.
    pub fn sealed_or_later(self) -> bool {
        !matches!(self, Status::Draft | Status::Submitted | Status::Returned)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Edit,
    Submit,
    Return,
    Seal,
    MarkEligible,
    MarkIneligible,
    List,
    NotList,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Edit => "edit",
            Action::Submit => "submit",
            Action::Return => "return",
            Action::Seal => "seal",
            Action::MarkEligible => "mark_eligible",
            Action::MarkIneligible => "mark_ineligible",
            Action::List => "list",
            Action::NotList => "not_list",
        }
    }
}

/// An action the current state does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalMove {
    pub from: Status,
    pub action: Action,
}

impl std::fmt::Display for IllegalMove {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot {} a proposal that is {}",
            self.action.as_str().replace('_', " "),
            self.from
        )
    }
}

/// The one place where a proposal's status changes.
///
/// # Errors
/// [`IllegalMove`] when `action` is not allowed from `from`.
pub fn transition(from: Status, action: Action) -> Result<Status, IllegalMove> {
    use Action as A;
    use Status as S;
    let to = match (from, action) {
        (S::Draft | S::Returned, A::Edit) => from,
        (S::Draft | S::Returned, A::Submit) => S::Submitted,
        (S::Submitted, A::Return) => S::Returned,
        (S::Submitted, A::Seal) => S::Sealed,
        (S::Sealed | S::Eligible | S::Ineligible, A::MarkEligible) => S::Eligible,
        (S::Sealed | S::Eligible | S::Ineligible, A::MarkIneligible) => S::Ineligible,
        // Publication moves the eligible pool; a corrected version may move a proposal back.
        (S::Eligible | S::NotListed, A::List) => S::Listed,
        (S::Eligible | S::Listed, A::NotList) => S::NotListed,
        _ => return Err(IllegalMove { from, action }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The owner may change the content only before the district has it or after it came back.
    #[test]
    fn only_drafts_and_returned_proposals_are_editable() {
        let editable: Vec<Status> = Status::ALL.into_iter().filter(|s| s.editable()).collect();
        assert_eq!(editable, [Status::Draft, Status::Returned]);
    }

    /// The refusal names the action in words and the state by its code.
    #[test]
    fn an_illegal_move_says_what_and_from_where() {
        let refusal = IllegalMove {
            from: Status::NotListed,
            action: Action::MarkEligible,
        };
        assert_eq!(
            refusal.to_string(),
            "cannot mark eligible a proposal that is not_listed"
        );
    }

    const ACTIONS: [Action; 8] = [
        Action::Edit,
        Action::Submit,
        Action::Return,
        Action::Seal,
        Action::MarkEligible,
        Action::MarkIneligible,
        Action::List,
        Action::NotList,
    ];

    /// Every (state, action) pair: the legal ones and where they lead; everything else is illegal.
    #[test]
    fn every_move() {
        use Action as A;
        use Status as S;
        let legal = [
            (S::Draft, A::Edit, S::Draft),
            (S::Draft, A::Submit, S::Submitted),
            (S::Returned, A::Edit, S::Returned),
            (S::Returned, A::Submit, S::Submitted),
            (S::Submitted, A::Return, S::Returned),
            (S::Submitted, A::Seal, S::Sealed),
            (S::Sealed, A::MarkEligible, S::Eligible),
            (S::Sealed, A::MarkIneligible, S::Ineligible),
            (S::Eligible, A::MarkIneligible, S::Ineligible),
            (S::Ineligible, A::MarkEligible, S::Eligible),
            (S::Eligible, A::MarkEligible, S::Eligible),
            (S::Ineligible, A::MarkIneligible, S::Ineligible),
            (S::Eligible, A::List, S::Listed),
            (S::Eligible, A::NotList, S::NotListed),
            (S::NotListed, A::List, S::Listed),
            (S::Listed, A::NotList, S::NotListed),
        ];
        for from in Status::ALL {
            for action in ACTIONS {
                let expected = legal
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|l| l.2);
                match (transition(from, action), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from} {action:?}"),
                    (Err(e), None) => assert_eq!(e, IllegalMove { from, action }),
                    (got, want) => panic!("{from} {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn published_states_move_only_by_publication() {
        for action in ACTIONS {
            let publication = matches!(action, Action::List | Action::NotList);
            assert_eq!(
                transition(Status::Listed, action).is_ok(),
                action == Action::NotList
            );
            assert_eq!(
                transition(Status::NotListed, action).is_ok(),
                action == Action::List
            );
            assert!(publication || transition(Status::Listed, action).is_err());
        }
    }

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
        }
    }
}

/// Submission and sealing close at the round's intake deadline (inclusive: a submission at
/// exactly 23:59:59 is on time).
///
/// # Errors
/// A sentence naming the deadline when `now` is after it.
pub fn check_intake_open(
    now: chrono::DateTime<chrono::Utc>,
    deadline: chrono::DateTime<chrono::Utc>,
    shown: &str,
) -> Result<(), crate::msg::Msg> {
    if now > deadline {
        Err(crate::msg!("rule-intake-closed", deadline = shown))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod deadline_tests {
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn deadline_is_inclusive_to_the_second() {
        let d = Utc.with_ymd_and_hms(2024, 2, 29, 15, 59, 59).unwrap();
        assert!(super::check_intake_open(d - Duration::seconds(1), d, "x").is_ok());
        assert!(super::check_intake_open(d, d, "x").is_ok());
        assert!(super::check_intake_open(d + Duration::seconds(1), d, "x").is_err());
    }
}
