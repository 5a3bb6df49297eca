//! The call (揭榜) for one list item: its state machine, its rubric and its eligibility rules
//! (DOMAIN.md §3).
//!
//! ```text
//! announced ─(opens_at)─▶ open ─(closes_at)─▶ closed ──open bids──▶ opened ──start review──▶ under_review
//!                                                                                       ▲            │
//!                                                             uphold objection ─────────┘          award
//!                                                                                                    ▼
//!                                                     awarded ◀──finalize (notice over)── notice (公示)
//! declare unsuccessful: closed | opened | under_review ─▶ unsuccessful
//! cancel: announced | open | closed | opened | under_review ─▶ cancelled
//! ```
//!
//! The first two moves are driven by time, not by anybody: a call is open from `opens_at` and closed
//! after `closes_at` whether or not a request came in at that moment. So the stored status is never
//! trusted alone; every request computes [`effective_status`] from it and an injected clock, and
//! [`transition`] is asked about the effective status. That keeps bid acceptance exact to the second
//! without a scheduler, and makes the rules testable with any clock.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_patch::PatchOp;
use super::money::Money;
use super::{FieldError, Msg};

/// Winners when the commission does not ask for a "horse race" (赛马) *(ours)*.
pub const DEFAULT_WINNERS: u32 = 1;
/// Most winners of one call: a horse race among more than ten builders is no longer a selection.
pub const MAX_WINNERS: u32 = 10;
/// Length of the award notice (公示) in natural days *(ours)*.
pub const DEFAULT_NOTICE_DAYS: u32 = 7;
/// Shortest notice: 招标投标法实施条例 Art. 54 has the winning candidates published for at least
/// 3 days.
pub const MIN_NOTICE_DAYS: u32 = 3;
/// Days within which an objection must be answered, from the day of receipt (Art. 54: 自收到异议
/// 之日起3日内作出答复), counted as [`end_of_natural_days`] does.
pub const OBJECTION_ANSWER_DAYS: u32 = 3;
/// Longest notice period accepted; longer would stall the round's construction year.
pub const MAX_NOTICE_DAYS: u32 = 60;
/// Largest `max_points` of one criterion, in hundredths (1000 points): beyond that it is a typo.
pub const MAX_CRITERION_POINTS: i64 = 100_000;

text_enum!(CallStatus {
    /// Published with its requirements; bids are not yet accepted.
    Announced,
    /// Accepting bids (`opens_at <= now <= closes_at`).
    Open,
    /// Past `closes_at`: later bids are refused, the received ones are still sealed.
    Closed,
    /// Bids revealed; who opened them and when is recorded by the caller.
    Opened,
    /// Experts are scoring.
    UnderReview,
    /// The proposed award is in public notice (公示) and may be objected to.
    Notice,
    /// The award stands (挂帅).
    Awarded,
    /// No bid deserved the award (with reasons).
    Unsuccessful,
    /// Withdrawn by the commission (with reasons).
    Cancelled,
});

impl CallStatus {
    pub const ALL: [CallStatus; 9] = [
        CallStatus::Announced,
        CallStatus::Open,
        CallStatus::Closed,
        CallStatus::Opened,
        CallStatus::UnderReview,
        CallStatus::Notice,
        CallStatus::Awarded,
        CallStatus::Unsuccessful,
        CallStatus::Cancelled,
    ];

    /// Bid contents may be shown to people other than their bidder: the call has been opened.
    /// A call cancelled or declared unsuccessful before opening keeps its bids sealed, which the
    /// caller decides from the history, not from this flag.
    pub fn bids_revealed(self) -> bool {
        matches!(
            self,
            CallStatus::Opened | CallStatus::UnderReview | CallStatus::Notice | CallStatus::Awarded
        )
    }

    /// No move leaves this status.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CallStatus::Awarded | CallStatus::Unsuccessful | CallStatus::Cancelled
        )
    }
}

/// The status a call has at `now`, given what is stored.
///
/// Only `announced` and `open` move with time: `announced` is `open` from `opens_at`, and both are
/// `closed` once `now > closes_at` (the deadline second itself still accepts bids, as
/// [`bid_window_open`] does). Every other status moves only by a person's [`CallAction`].
pub fn effective_status(
    stored: CallStatus,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> CallStatus {
    match stored {
        CallStatus::Announced | CallStatus::Open if now > closes_at => CallStatus::Closed,
        CallStatus::Announced if now >= opens_at => CallStatus::Open,
        other => other,
    }
}

/// A move time makes on a call, at its scheduled instant: the window opens at `opens_at` and
/// closes at `closes_at` (the deadline second itself still takes bids; the call is closed after
/// it). Written to the log by the clock when a request first observes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockMove {
    pub from: CallStatus,
    pub to: CallStatus,
    /// The scheduled instant, the event's `at` (not the moment it was observed).
    pub at: DateTime<Utc>,
}

impl ClockMove {
    /// The event kind: `window_opened` or `window_closed`.
    pub fn kind(self) -> &'static str {
        match self.to {
            CallStatus::Open => "window_opened",
            _ => "window_closed",
        }
    }
}

/// The moves time has made on a call stored as `stored` by `now` that the stored status does not
/// show yet, in order: what [`effective_status`] applies, step by step, each at its instant.
pub fn due_clock_moves(
    stored: CallStatus,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<ClockMove> {
    let mut out = Vec::new();
    let mut at = stored;
    if at == CallStatus::Announced && now >= opens_at && opens_at <= closes_at {
        out.push(ClockMove {
            from: at,
            to: CallStatus::Open,
            at: opens_at,
        });
        at = CallStatus::Open;
    }
    if matches!(at, CallStatus::Announced | CallStatus::Open) && now > closes_at {
        out.push(ClockMove {
            from: at,
            to: CallStatus::Closed,
            at: closes_at,
        });
    }
    out
}

/// Whether a bid arriving at `now` (server time) is on time: inclusive at both ends, to the second
/// as the timestamps are stored, so a bid at exactly the deadline is accepted.
pub fn bid_window_open(
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    opens_at <= now && now <= closes_at
}

/// What a person may do to a call. Time-driven moves (announced → open → closed) are not actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallAction {
    /// closed → opened: reveal the sealed bids. Only a closed call, i.e. after `closes_at`.
    OpenBids,
    /// opened → under_review: hand the bids to the drawn experts.
    StartReview,
    /// under_review → notice: propose the winners and start the public notice.
    Award,
    /// notice → under_review: an objection was upheld, the review resumes.
    UpholdObjection,
    /// notice → awarded: the notice is over and every objection answered.
    Finalize,
    /// closed | opened | under_review → unsuccessful: no bid (or no acceptable bid).
    DeclareUnsuccessful,
    /// Any status before the notice → cancelled. Once a winner is in public notice, the way out is
    /// an upheld objection, not a silent cancellation.
    Cancel,
}

impl CallAction {
    pub const ALL: [CallAction; 7] = [
        CallAction::OpenBids,
        CallAction::StartReview,
        CallAction::Award,
        CallAction::UpholdObjection,
        CallAction::Finalize,
        CallAction::DeclareUnsuccessful,
        CallAction::Cancel,
    ];

    /// The action's code (`open_bids` …), also the key the catalogues label it by
    /// (`label-call-action`).
    pub fn as_str(self) -> &'static str {
        match self {
            CallAction::OpenBids => "open_bids",
            CallAction::StartReview => "start_review",
            CallAction::Award => "award",
            CallAction::UpholdObjection => "uphold_objection",
            CallAction::Finalize => "finalize",
            CallAction::DeclareUnsuccessful => "declare_unsuccessful",
            CallAction::Cancel => "cancel",
        }
    }

    /// The action as a verb phrase taking "a call" as its object, for error messages.
    pub fn phrase(self) -> &'static str {
        match self {
            CallAction::OpenBids => "open the bids of",
            CallAction::StartReview => "start the review of",
            CallAction::Award => "award",
            CallAction::UpholdObjection => "uphold an objection against",
            CallAction::Finalize => "finalize",
            CallAction::DeclareUnsuccessful => "declare unsuccessful",
            CallAction::Cancel => "cancel",
        }
    }
}

/// An action the call's effective status does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalCallMove {
    pub from: CallStatus,
    pub action: CallAction,
}

impl std::fmt::Display for IllegalCallMove {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot {} a call that is {}",
            self.action.phrase(),
            self.from.as_str().replace('_', " ")
        )
    }
}

impl std::error::Error for IllegalCallMove {}

/// The one place where a call's status changes by a person's action.
///
/// `from` must be the [`effective_status`] at the moment of the request: that is what makes
/// `open_bids` impossible before `closes_at` (a call is only `closed` after it). Finalizing also
/// needs the notice to be over ([`notice_over`]) and every objection answered; the caller checks
/// those facts, which live outside the status.
///
/// # Errors
/// [`IllegalCallMove`] when `action` is not allowed from `from`.
pub fn transition(from: CallStatus, action: CallAction) -> Result<CallStatus, IllegalCallMove> {
    use CallAction as A;
    use CallStatus as S;
    let to = match (from, action) {
        (S::Closed, A::OpenBids) => S::Opened,
        (S::Opened, A::StartReview) => S::UnderReview,
        (S::UnderReview, A::Award) => S::Notice,
        (S::Notice, A::UpholdObjection) => S::UnderReview,
        (S::Notice, A::Finalize) => S::Awarded,
        (S::Closed | S::Opened | S::UnderReview, A::DeclareUnsuccessful) => S::Unsuccessful,
        (S::Announced | S::Open | S::Closed | S::Opened | S::UnderReview, A::Cancel) => {
            S::Cancelled
        }
        _ => return Err(IllegalCallMove { from, action }),
    };
    Ok(to)
}

/// Hours east of UTC of Beijing time (Asia/Shanghai): UTC+8 all year, no daylight saving since
/// 1991.
const BEIJING_OFFSET_HOURS: i64 = 8;

/// The natural day (自然日) in Beijing that `at` falls on.
pub fn beijing_date(at: DateTime<Utc>) -> NaiveDate {
    at.naive_utc()
        .checked_add_signed(Duration::hours(BEIJING_OFFSET_HOURS))
        // Only the last hours chrono can represent: they are that day's end.
        .map_or(NaiveDate::MAX, |t| t.date())
}

/// The end of a period of `days` natural days begun at `start`, as Chinese law counts periods
/// (民法典 Art. 201 and 203): the day it begins is not counted, the period runs from the next day
/// in Beijing time, and it ends at 24:00 of its last day. A notice begun on Monday 10:00 with 7
/// days ends when the next Monday ends (Tuesday 00:00 Beijing time). Holidays do not extend it:
/// natural days, not working days.
pub fn end_of_natural_days(start: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    beijing_date(start)
        .checked_add_days(Days::new(u64::from(days) + 1))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|midnight| midnight.and_utc() - Duration::hours(BEIJING_OFFSET_HOURS))
        // Only reachable near year 262143; saturating keeps the period running, the safe side.
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// When a notice started at `started` ends: [`end_of_natural_days`].
pub fn notice_ends(started: DateTime<Utc>, notice_days: u32) -> DateTime<Utc> {
    end_of_natural_days(started, notice_days)
}

/// When an objection received at `received` must be answered by: [`OBJECTION_ANSWER_DAYS`]
/// natural days, counted as [`end_of_natural_days`] does.
pub fn answer_due(received: DateTime<Utc>) -> DateTime<Utc> {
    end_of_natural_days(received, OBJECTION_ANSWER_DAYS)
}

/// An answer is overdue when given after its due moment, or not given by `now` once it passed.
pub fn answer_overdue(
    received: DateTime<Utc>,
    answered: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    answered.unwrap_or(now) >= answer_due(received)
}

/// The notice period is over at `ends` itself: a notice of 7 days started Monday 10:00 may be
/// finalized from the next Monday 10:00.
pub fn notice_over(ends: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= ends
}

/// One row of a call's scoring rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Name of the criterion, unique within the rubric, e.g. `技术方案`.
    pub criterion: String,
    /// Share of the weighted total in percent (1–100); the rubric's weights sum to 100, so the
    /// weighted total stays on the experts' own point scale.
    pub weight: i64,
    /// Most points an expert may give on this criterion, in hundredths of a point (> 0).
    pub max_points: i64,
}

/// Checks a rubric; field names are `rubric` and `rubric[i].criterion|weight|max_points`.
pub fn validate_rubric(rubric: &[Criterion]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if rubric.is_empty() {
        errors.push(FieldError::new("rubric", crate::msg!("field-rubric-empty")));
        return errors;
    }
    for (i, c) in rubric.iter().enumerate() {
        let name = c.criterion.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                format!("rubric[{i}].criterion"),
                crate::msg!("field-blank"),
            ));
        } else if let Some(j) = rubric[..i]
            .iter()
            .position(|earlier| earlier.criterion.trim() == name)
        {
            errors.push(FieldError::new(
                format!("rubric[{i}].criterion"),
                crate::msg!(
                    "field-criterion-duplicate",
                    name = format!("{name:?}"),
                    index = j
                ),
            ));
        }
        if !(1..=100).contains(&c.weight) {
            errors.push(FieldError::new(
                format!("rubric[{i}].weight"),
                crate::msg!("field-whole-percentage"),
            ));
        }
        if !(1..=MAX_CRITERION_POINTS).contains(&c.max_points) {
            errors.push(FieldError::new(
                format!("rubric[{i}].max_points"),
                crate::msg!(
                    "field-criterion-max-points",
                    max = MAX_CRITERION_POINTS,
                    points = MAX_CRITERION_POINTS / 100
                ),
            ));
        }
    }
    // Saturating: absurd weights are already reported one by one; the sum must not overflow.
    let total = rubric
        .iter()
        .fold(0_i64, |sum, c| sum.saturating_add(c.weight));
    if total != 100 {
        errors.push(FieldError::new(
            "rubric",
            crate::msg!("field-rubric-weights-sum", total = total),
        ));
    }
    errors
}

/// A call as stored, decoded. Its `status` is the stored one: ask [`Call::status_at`] for the
/// status at a moment (time-driven moves applied).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: i32,
    pub round_id: i32,
    pub list_item_id: i32,
    pub status: CallStatus,
    pub requirements: String,
    pub eligibility: Eligibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub winners: i32,
    pub notice_days: i32,
    pub rubric: Vec<Criterion>,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub opened_by: Option<i32>,
    pub opened_at: Option<DateTime<Utc>>,
    pub notice_started_at: Option<DateTime<Utc>>,
    pub notice_ends_at: Option<DateTime<Utc>>,
    /// The award under notice or made.
    pub award: Option<super::award::Award>,
    pub finalized_at: Option<DateTime<Utc>>,
    /// Reasons for `unsuccessful` or `cancelled`.
    pub reasons: Option<String>,
}

impl Call {
    /// The status at `now`: see [`effective_status`].
    pub fn status_at(&self, now: DateTime<Utc>) -> CallStatus {
        effective_status(self.status, self.opens_at, self.closes_at, now)
    }
}

/// The fields a person's move of a call sets besides its status: `Some(v)` sets the field to `v`
/// (`Some(None)` clears it), `None` leaves it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallChange {
    pub opened_by: Option<Option<i32>>,
    pub opened_at: Option<Option<DateTime<Utc>>>,
    /// What the opening found; written once, never cleared.
    pub opening_report: Option<super::bid::OpeningReport>,
    pub notice_started_at: Option<Option<DateTime<Utc>>>,
    pub notice_ends_at: Option<Option<DateTime<Utc>>>,
    pub award: Option<Option<super::award::Award>>,
    pub finalized_at: Option<Option<DateTime<Utc>>>,
    pub reasons: Option<Option<String>>,
}

impl CallChange {
    /// The change as patch operations on `old` (a member per changed field, with its old value).
    ///
    /// # Errors
    /// A value that does not serialise (none of these fail in practice).
    pub fn ops(&self, old: &Call) -> Result<Vec<PatchOp>, serde_json::Error> {
        fn op<T: Serialize>(
            out: &mut Vec<PatchOp>,
            path: &str,
            old: &T,
            new: Option<&T>,
        ) -> Result<(), serde_json::Error> {
            if let Some(new) = new {
                out.extend(PatchOp::change(
                    path,
                    serde_json::to_value(old)?,
                    serde_json::to_value(new)?,
                ));
            }
            Ok(())
        }
        let mut out = Vec::new();
        op(
            &mut out,
            "/opened_by",
            &old.opened_by,
            self.opened_by.as_ref(),
        )?;
        op(
            &mut out,
            "/opened_at",
            &old.opened_at,
            self.opened_at.as_ref(),
        )?;
        // The report exists only once the bids are opened, and bids are opened once.
        op(
            &mut out,
            "/opening_report",
            &None,
            self.opening_report.as_ref().map(Some).as_ref(),
        )?;
        op(
            &mut out,
            "/notice_started_at",
            &old.notice_started_at,
            self.notice_started_at.as_ref(),
        )?;
        op(
            &mut out,
            "/notice_ends_at",
            &old.notice_ends_at,
            self.notice_ends_at.as_ref(),
        )?;
        op(&mut out, "/award", &old.award, self.award.as_ref())?;
        op(
            &mut out,
            "/finalized_at",
            &old.finalized_at,
            self.finalized_at.as_ref(),
        )?;
        op(&mut out, "/reasons", &old.reasons, self.reasons.as_ref())?;
        Ok(out)
    }
}

/// A call's eligibility rules (揭榜条件). Every rule is off unless set, so `{}` means "anyone".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Eligibility {
    /// The bidder must be registered in a Chongqing district or zone.
    #[serde(default)]
    pub registered_in_chongqing: bool,
    /// The bidder's registered capital must be at least this, in 万元.
    pub min_registered_capital: Option<Money>,
    /// The bidder must not already hold an award in this round (spreads the brains over builders).
    #[serde(default)]
    pub no_earlier_award: bool,
}

/// What the service knows about a bidder when it checks [`Eligibility`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BidderFacts {
    /// The bidder's registered district or zone code, present only if it is a Chongqing one.
    pub district_code: Option<String>,
    /// Registered capital in 万元, if known.
    pub registered_capital: Option<Money>,
    /// The bidder already holds an award (or a winning notice) in this round.
    pub has_award_this_round: bool,
}

/// An eligibility rule a bidder fails: the rule's name (a member of [`Eligibility`]) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRule {
    pub rule: &'static str,
    pub why: Msg,
}

/// The rules a bidder fails; empty means eligible.
///
/// Unknown facts fail the rule that needs them: eligibility is for the bidder to show, and a
/// bid cannot be ranked on a guess.
pub fn check_eligibility(rules: &Eligibility, facts: &BidderFacts) -> Vec<FailedRule> {
    let mut failed = Vec::new();
    if rules.registered_in_chongqing
        && facts
            .district_code
            .as_deref()
            .is_none_or(|code| code.trim().is_empty())
    {
        failed.push(FailedRule {
            rule: "registered_in_chongqing",
            why: crate::msg!("rule-eligibility-not-in-chongqing"),
        });
    }
    if let Some(required) = rules.min_registered_capital {
        match facts.registered_capital {
            None => failed.push(FailedRule {
                rule: "min_registered_capital",
                why: crate::msg!("rule-eligibility-capital-unknown", required = required),
            }),
            Some(capital) if capital < required => failed.push(FailedRule {
                rule: "min_registered_capital",
                why: crate::msg!(
                    "rule-eligibility-capital-below",
                    capital = capital,
                    required = required
                ),
            }),
            Some(_) => {}
        }
    }
    if rules.no_earlier_award && facts.has_award_this_round {
        failed.push(FailedRule {
            rule: "no_earlier_award",
            why: crate::msg!("rule-eligibility-earlier-award"),
        });
    }
    failed
}

/// Checks a call's window and parameters; field names are `closes_at`, `winners`,
/// `notice_days` and `requirements`.
pub fn validate_call(
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    winners: u32,
    notice_days: u32,
    requirements: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if closes_at <= opens_at {
        errors.push(FieldError::new(
            "closes_at",
            crate::msg!("field-closes-before-opens"),
        ));
    }
    if !(1..=MAX_WINNERS).contains(&winners) {
        errors.push(FieldError::new(
            "winners",
            crate::msg!("field-between", min = 1, max = MAX_WINNERS),
        ));
    }
    if !(MIN_NOTICE_DAYS..=MAX_NOTICE_DAYS).contains(&notice_days) {
        errors.push(FieldError::new(
            "notice_days",
            crate::msg!(
                "field-notice-days",
                min = MIN_NOTICE_DAYS,
                max = MAX_NOTICE_DAYS
            ),
        ));
    }
    if requirements.trim().is_empty() {
        errors.push(FieldError::new(
            "requirements",
            crate::msg!("field-requirements-blank"),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 1, h, m, s).unwrap()
    }

    /// Which statuses show bid contents to others and which are final, status by status (bids stay
    /// sealed until the opening; nothing leaves an award, a failure or a cancellation).
    #[test]
    fn revealed_and_final_statuses() {
        use CallStatus as S;
        let table = [
            (S::Announced, false, false),
            (S::Open, false, false),
            (S::Closed, false, false),
            (S::Opened, true, false),
            (S::UnderReview, true, false),
            (S::Notice, true, false),
            (S::Awarded, true, true),
            (S::Unsuccessful, false, true),
            (S::Cancelled, false, true),
        ];
        assert_eq!(table.len(), S::ALL.len());
        for (status, revealed, last) in table {
            assert_eq!(status.bids_revealed(), revealed, "{status:?} revealed");
            assert_eq!(status.is_final(), last, "{status:?} final");
        }
    }

    /// Every (state, action) pair: the legal ones and where they lead; everything else is illegal.
    #[test]
    fn every_move() {
        use CallAction as A;
        use CallStatus as S;
        let legal = [
            (S::Closed, A::OpenBids, S::Opened),
            (S::Opened, A::StartReview, S::UnderReview),
            (S::UnderReview, A::Award, S::Notice),
            (S::Notice, A::UpholdObjection, S::UnderReview),
            (S::Notice, A::Finalize, S::Awarded),
            (S::Closed, A::DeclareUnsuccessful, S::Unsuccessful),
            (S::Opened, A::DeclareUnsuccessful, S::Unsuccessful),
            (S::UnderReview, A::DeclareUnsuccessful, S::Unsuccessful),
            (S::Announced, A::Cancel, S::Cancelled),
            (S::Open, A::Cancel, S::Cancelled),
            (S::Closed, A::Cancel, S::Cancelled),
            (S::Opened, A::Cancel, S::Cancelled),
            (S::UnderReview, A::Cancel, S::Cancelled),
        ];
        let mut checked = 0;
        for from in CallStatus::ALL {
            for action in CallAction::ALL {
                let expected = legal
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|l| l.2);
                match (transition(from, action), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from} {action:?}"),
                    (Err(e), None) => assert_eq!(e, IllegalCallMove { from, action }),
                    (got, want) => panic!("{from} {action:?}: got {got:?}, want {want:?}"),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 9 * 7);
    }

    #[test]
    fn final_states_have_no_way_out() {
        for from in CallStatus::ALL.into_iter().filter(|s| s.is_final()) {
            for action in CallAction::ALL {
                assert!(transition(from, action).is_err(), "{from} {action:?}");
            }
        }
    }

    #[test]
    fn illegal_move_reads_as_a_sentence() {
        let e = transition(CallStatus::Open, CallAction::OpenBids).unwrap_err();
        assert_eq!(e.to_string(), "cannot open the bids of a call that is open");
        let e = transition(CallStatus::Awarded, CallAction::Cancel).unwrap_err();
        assert_eq!(e.to_string(), "cannot cancel a call that is awarded");
        let e = transition(CallStatus::UnderReview, CallAction::Finalize).unwrap_err();
        assert_eq!(e.to_string(), "cannot finalize a call that is under review");
    }

    #[test]
    fn names_round_trip() {
        for s in CallStatus::ALL {
            assert_eq!(s.as_str().parse::<CallStatus>(), Ok(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::String(s.as_str().into())
            );
        }
        for a in CallAction::ALL {
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::Value::String(a.as_str().into())
            );
        }
        assert!("closing".parse::<CallStatus>().is_err());
    }

    #[test]
    fn time_moves_announced_and_open_only() {
        let opens = at(8, 0, 0);
        let closes = at(17, 0, 0);
        let s = |stored, now| effective_status(stored, opens, closes, now);
        let one = Duration::seconds(1);
        assert_eq!(s(CallStatus::Announced, opens - one), CallStatus::Announced);
        assert_eq!(s(CallStatus::Announced, opens), CallStatus::Open);
        assert_eq!(s(CallStatus::Announced, closes), CallStatus::Open);
        assert_eq!(s(CallStatus::Announced, closes + one), CallStatus::Closed);
        assert_eq!(s(CallStatus::Open, closes), CallStatus::Open);
        assert_eq!(s(CallStatus::Open, closes + one), CallStatus::Closed);
        for stored in CallStatus::ALL {
            if !matches!(stored, CallStatus::Announced | CallStatus::Open) {
                for now in [opens - one, opens, closes, closes + one] {
                    assert_eq!(s(stored, now), stored);
                }
            }
        }
    }

    #[test]
    fn clock_moves_at_their_instants_and_end_where_time_does() {
        let opens = at(8, 0, 0);
        let closes = at(17, 0, 0);
        let one = Duration::seconds(1);
        let moves = |stored, now| due_clock_moves(stored, opens, closes, now);
        assert_eq!(moves(CallStatus::Announced, opens - one), vec![]);
        let opened = ClockMove {
            from: CallStatus::Announced,
            to: CallStatus::Open,
            at: opens,
        };
        assert_eq!(moves(CallStatus::Announced, opens), vec![opened]);
        assert_eq!(moves(CallStatus::Announced, closes), vec![opened]);
        let closed = ClockMove {
            from: CallStatus::Open,
            to: CallStatus::Closed,
            at: closes,
        };
        assert_eq!(
            moves(CallStatus::Announced, closes + one),
            vec![opened, closed]
        );
        assert_eq!(moves(CallStatus::Open, closes), vec![]);
        assert_eq!(moves(CallStatus::Open, closes + one), vec![closed]);
        assert_eq!(
            (opened.kind(), closed.kind()),
            ("window_opened", "window_closed")
        );
        for stored in CallStatus::ALL {
            let last = moves(stored, closes + one).last().map_or(stored, |m| m.to);
            assert_eq!(last, effective_status(stored, opens, closes, closes + one));
            let last = moves(stored, opens).last().map_or(stored, |m| m.to);
            assert_eq!(last, effective_status(stored, opens, closes, opens));
        }
    }

    #[test]
    fn open_bids_needs_the_deadline_passed() {
        let opens = at(8, 0, 0);
        let closes = at(17, 0, 0);
        let at_deadline = effective_status(CallStatus::Open, opens, closes, closes);
        assert!(transition(at_deadline, CallAction::OpenBids).is_err());
        let after = effective_status(
            CallStatus::Open,
            opens,
            closes,
            closes + Duration::seconds(1),
        );
        assert_eq!(
            transition(after, CallAction::OpenBids),
            Ok(CallStatus::Opened)
        );
    }

    #[test]
    fn bid_window_is_inclusive_to_the_second() {
        let opens = at(8, 0, 0);
        let closes = at(17, 0, 0);
        let one = Duration::seconds(1);
        assert!(!bid_window_open(opens, closes, opens - one));
        assert!(bid_window_open(opens, closes, opens));
        assert!(bid_window_open(opens, closes, closes));
        assert!(!bid_window_open(opens, closes, closes + one));
    }

    #[test]
    fn notice_counts_natural_days_in_beijing() {
        // Monday 2024-02-26 10:00 Beijing: the day itself is not counted; 7 days run 27 February
        // to 4 March (across the leap day) and end at 24:00 Beijing, 16:00 UTC.
        let started = Utc.with_ymd_and_hms(2024, 2, 26, 2, 0, 0).unwrap();
        let ends = notice_ends(started, 7);
        assert_eq!(ends, Utc.with_ymd_and_hms(2024, 3, 4, 16, 0, 0).unwrap());
        assert!(!notice_over(ends, ends - Duration::seconds(1)));
        assert!(notice_over(ends, ends));
        // 23:30 UTC is already the next day in Beijing: that day is the uncounted first one.
        let late = Utc.with_ymd_and_hms(2024, 2, 26, 23, 30, 0).unwrap();
        assert_eq!(
            beijing_date(late),
            NaiveDate::from_ymd_opt(2024, 2, 27).unwrap()
        );
        assert_eq!(
            notice_ends(late, 3),
            Utc.with_ymd_and_hms(2024, 3, 1, 16, 0, 0).unwrap()
        );
        // 15:59:59 UTC is the last second of a Beijing day.
        let edge = Utc.with_ymd_and_hms(2024, 2, 26, 15, 59, 59).unwrap();
        assert_eq!(
            notice_ends(edge, 3),
            Utc.with_ymd_and_hms(2024, 2, 29, 16, 0, 0).unwrap()
        );
        assert_eq!(
            notice_ends(DateTime::<Utc>::MAX_UTC, 1),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn objections_are_answered_within_three_natural_days() {
        let received = Utc.with_ymd_and_hms(2024, 3, 12, 3, 0, 0).unwrap();
        let due = answer_due(received);
        assert_eq!(due, Utc.with_ymd_and_hms(2024, 3, 15, 16, 0, 0).unwrap());
        let second = Duration::seconds(1);
        assert!(!answer_overdue(received, None, due - second));
        assert!(answer_overdue(received, None, due));
        assert!(!answer_overdue(received, Some(due - second), due + second));
        assert!(answer_overdue(received, Some(due), due - second));
    }

    fn crit(name: &str, weight: i64, max_points: i64) -> Criterion {
        Criterion {
            criterion: name.into(),
            weight,
            max_points,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_good_rubric_passes() {
        let rubric = [
            crit("技术方案", 50, 10_000),
            crit("建设基础", 30, 10_000),
            crit("运营模式", 20, 5_000),
        ];
        assert_eq!(validate_rubric(&rubric), vec![]);
    }

    #[test]
    fn rubric_errors_name_their_fields() {
        assert_eq!(fields(&validate_rubric(&[])), ["rubric"]);
        let rubric = [
            crit("技术方案", 50, 10_000),
            crit(" ", 0, 0),
            crit("技术方案 ", 101, 100_001),
        ];
        let errors = validate_rubric(&rubric);
        assert_eq!(
            fields(&errors),
            [
                "rubric[1].criterion",
                "rubric[1].weight",
                "rubric[1].max_points",
                "rubric[2].criterion",
                "rubric[2].weight",
                "rubric[2].max_points",
                "rubric",
            ]
        );
        assert_eq!(errors[3].message.arg("index"), Some("0"), "{:?}", errors[3]);
        assert_eq!(
            errors[6].message.arg("total"),
            Some("151"),
            "{:?}",
            errors[6]
        );
        let short = [crit("a", 60, 100), crit("b", 30, 100)];
        assert_eq!(fields(&validate_rubric(&short)), ["rubric"]);
        let huge = [crit("a", i64::MAX, 100), crit("b", i64::MAX, 100)];
        assert!(fields(&validate_rubric(&huge)).contains(&"rubric"));
    }

    #[test]
    fn rubric_rejects_unknown_fields() {
        let bad = serde_json::from_str::<Criterion>(
            r#"{"criterion":"a","weight":100,"max_points":100,"extra":1}"#,
        );
        assert!(bad.is_err());
    }

    fn money(h: i64) -> Money {
        Money::from_hundredths(h).unwrap()
    }

    #[test]
    fn eligibility_defaults_to_anyone() {
        let rules: Eligibility = serde_json::from_str("{}").unwrap();
        assert_eq!(rules, Eligibility::default());
        assert_eq!(
            check_eligibility(&rules, &BidderFacts::default()),
            Vec::<FailedRule>::new()
        );
        assert!(serde_json::from_str::<Eligibility>(r#"{"foo":true}"#).is_err());
    }

    #[test]
    fn eligibility_names_each_failed_rule() {
        let rules = Eligibility {
            registered_in_chongqing: true,
            min_registered_capital: Some(money(50_000)),
            no_earlier_award: true,
        };
        let bad = BidderFacts {
            district_code: None,
            registered_capital: Some(money(30_000)),
            has_award_this_round: true,
        };
        assert_eq!(
            check_eligibility(&rules, &bad),
            [
                FailedRule {
                    rule: "registered_in_chongqing",
                    why: crate::msg!("rule-eligibility-not-in-chongqing"),
                },
                FailedRule {
                    rule: "min_registered_capital",
                    why: crate::msg!(
                        "rule-eligibility-capital-below",
                        capital = "300.00",
                        required = "500.00"
                    ),
                },
                FailedRule {
                    rule: "no_earlier_award",
                    why: crate::msg!("rule-eligibility-earlier-award"),
                },
            ]
        );
        let unknown = BidderFacts {
            district_code: Some("500105".into()),
            registered_capital: None,
            has_award_this_round: false,
        };
        let failed = check_eligibility(&rules, &unknown);
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].rule, "min_registered_capital");
        assert_eq!(failed[0].why.id(), Some("rule-eligibility-capital-unknown"));
        let good = BidderFacts {
            district_code: Some("500105".into()),
            registered_capital: Some(money(50_000)),
            has_award_this_round: false,
        };
        assert!(check_eligibility(&rules, &good).is_empty());
    }

    #[test]
    fn call_parameters() {
        let opens = at(8, 0, 0);
        assert!(validate_call(opens, at(17, 0, 0), 1, 7, "建成行业大脑").is_empty());
        assert!(validate_call(opens, opens + Duration::seconds(1), 10, 60, "x").is_empty());
        assert_eq!(
            fields(&validate_call(opens, opens, 0, 0, "  ")),
            ["closes_at", "winners", "notice_days", "requirements"]
        );
        assert_eq!(
            fields(&validate_call(
                opens,
                at(17, 0, 0),
                1,
                MIN_NOTICE_DAYS - 1,
                "x"
            )),
            ["notice_days"]
        );
        assert!(validate_call(opens, at(17, 0, 0), 1, MIN_NOTICE_DAYS, "x").is_empty());
        assert_eq!(
            fields(&validate_call(opens, at(7, 0, 0), 11, 61, "x")),
            ["closes_at", "winners", "notice_days"]
        );
    }

    /// A call's move as patch operations: one per changed field, in field order, `add` from
    /// nothing, `replace` with the old value, `remove` when cleared, none when unchanged or
    /// untouched.
    #[test]
    fn call_change_ops_name_each_changed_field_with_its_old_value() {
        let t = at(9, 0, 0);
        let old = Call {
            id: 1,
            round_id: 1,
            list_item_id: 1,
            status: CallStatus::Opened,
            requirements: "建成平台".into(),
            eligibility: Eligibility::default(),
            opens_at: t,
            closes_at: t,
            winners: 1,
            notice_days: 7,
            rubric: Vec::new(),
            version: 3,
            created_by: 1,
            created_at: t,
            updated_at: t,
            opened_by: None,
            opened_at: Some(t),
            notice_started_at: Some(t),
            notice_ends_at: None,
            award: None,
            finalized_at: None,
            reasons: Some("old reason".into()),
        };
        let later = t + Duration::hours(1);
        let change = CallChange {
            opened_by: Some(Some(5)),
            opened_at: Some(Some(later)),
            notice_started_at: Some(Some(t)),
            reasons: Some(None),
            ..CallChange::default()
        };
        let ops = change.ops(&old).unwrap();
        let got: Vec<(
            &str,
            &str,
            Option<serde_json::Value>,
            Option<serde_json::Value>,
        )> = ops
            .iter()
            .map(|o| {
                (
                    o.op.as_str(),
                    o.path.as_str(),
                    o.value.clone(),
                    o.old.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("add", "/opened_by", Some(serde_json::json!(5)), None),
                (
                    "replace",
                    "/opened_at",
                    Some(serde_json::to_value(later).unwrap()),
                    Some(serde_json::to_value(t).unwrap())
                ),
                (
                    "remove",
                    "/reasons",
                    None,
                    Some(serde_json::json!("old reason"))
                ),
            ]
        );
        assert!(CallChange::default().ops(&old).unwrap().is_empty());
    }
}
