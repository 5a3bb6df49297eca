//! Expert recusal (回避) (DOMAIN.md §3, "Experts"): an expert is recused from a call where it
//! declares a link with a bidder, or where the data shows one. This module holds the part the data
//! can decide: employment now, or within the last 3 years *(ours, after procurement practice)*.
//! Investment, family and authorship links are known only from declarations ([`ConflictKind`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How far back a past employment still recuses, in calendar months (3 years).
pub const EMPLOYMENT_LOOKBACK_MONTHS: u32 = 36;

text_enum!(
    /// The kind of a declared (or data-found) link between an expert and a bidder.
    ConflictKind {
        /// Works, or worked within 3 years, at the bidder.
        Employment,
        /// Holds shares in, or a control relation with, the bidder.
        Investment,
        /// A close relative works at or controls the bidder.
        Family,
        /// Helped write the call's requirements, so could have written them for one bidder.
        DraftedRequirements,
        /// Any other link the expert declares; the declaration says which.
        Other,
    }
);

impl ConflictKind {
    pub const ALL: [ConflictKind; 5] = [
        ConflictKind::Employment,
        ConflictKind::Investment,
        ConflictKind::Family,
        ConflictKind::DraftedRequirements,
        ConflictKind::Other,
    ];
}

/// An organisation the expert worked at, and the last day there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PastEmployer {
    pub organisation_id: i32,
    /// Last day of employment (inclusive).
    pub until: NaiveDate,
}

/// What the expert pool records about an expert's employment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExpertProfile {
    /// Current employer, if any (retired experts have none).
    pub organisation_id: Option<i32>,
    pub past_employers: Vec<PastEmployer>,
}

/// The employment link between `expert` and the bidder organisation on `today`, as the English
/// sentence a frozen recusal stores (people read [`EmploymentLink::msg`]), or
/// `None` when the data shows none.
///
/// A past employment recuses when its last day is on or after `today` minus 3 calendar years
/// (`Months::new(36)`, so 2024-02-29 looks back to 2021-02-28): the cut-off day itself still
/// counts, erring towards recusal. With several past spells at the bidder the latest is named.
pub fn data_conflict(
    expert: &ExpertProfile,
    bidder_organisation: i32,
    today: NaiveDate,
) -> Option<String> {
    employment_link(expert, bidder_organisation, today).map(EmploymentLink::sentence)
}

/// An employment link that recuses an expert from an organisation's bid or acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmploymentLink {
    /// The organisation is the expert's current employer.
    Works,
    /// A past employment there, ending on this day (within the look-back).
    WorkedUntil(NaiveDate),
}

impl EmploymentLink {
    /// The link as stored with a frozen recusal (English, a record's own text).
    pub fn sentence(self) -> String {
        match self {
            EmploymentLink::Works => "works at the bidder".to_owned(),
            EmploymentLink::WorkedUntil(until) => format!(
                "worked at the bidder until {} (within 3 years)",
                until.format("%Y-%m-%d")
            ),
        }
    }

    /// The link with a joint builder of the bid, as stored with a frozen recusal.
    pub fn joint_sentence(self, organisation_id: i32) -> String {
        match self {
            EmploymentLink::Works => {
                format!("works at organisation {organisation_id}, a joint builder of the bid")
            }
            EmploymentLink::WorkedUntil(until) => format!(
                "worked at organisation {organisation_id}, a joint builder of the bid, until {} (within 3 years)",
                until.format("%Y-%m-%d")
            ),
        }
    }

    /// The link as said to a person, in their language.
    pub fn msg(self) -> crate::msg::Msg {
        match self {
            EmploymentLink::Works => crate::msg!("rule-link-works-at"),
            EmploymentLink::WorkedUntil(until) => {
                crate::msg!("rule-link-worked-until", until = until.format("%Y-%m-%d"))
            }
        }
    }
}

/// The employment link between `expert` and `organisation` on `today` (see [`data_conflict`]).
pub fn employment_link(
    expert: &ExpertProfile,
    bidder_organisation: i32,
    today: NaiveDate,
) -> Option<EmploymentLink> {
    if expert.organisation_id == Some(bidder_organisation) {
        return Some(EmploymentLink::Works);
    }
    // Out of chrono's range only near year −262144; then every past employment is recent.
    let cutoff = today
        .checked_sub_months(Months::new(EMPLOYMENT_LOOKBACK_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    expert
        .past_employers
        .iter()
        .filter(|p| p.organisation_id == bidder_organisation && p.until >= cutoff)
        .map(|p| p.until)
        .max()
        .map(EmploymentLink::WorkedUntil)
}

/// A conflict an expert declared on a call, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredConflict {
    pub id: i32,
    pub call_id: i32,
    pub expert_id: i32,
    /// The one bid it concerns, if it names one.
    pub bid_id: Option<i32>,
    /// The organisation it concerns (every bid of it), if it names one.
    pub organisation_id: Option<i32>,
    pub kind: ConflictKind,
    pub note: String,
    pub declared_at: DateTime<Utc>,
}

impl DeclaredConflict {
    /// Whether it recuses its expert from the bid `bid_id` of `members` (the bidder, then its
    /// joint builders): a named bid recuses from that bid, a named organisation from the bids it
    /// bid or builds jointly, neither from every bid.
    pub fn applies_to(&self, bid_id: i32, members: &[i32]) -> bool {
        match (self.bid_id, self.organisation_id) {
            (Some(bid), _) => bid == bid_id,
            (None, Some(org)) => members.contains(&org),
            (None, None) => true,
        }
    }
}

/// A recusal the data showed (a current or recent employer bid), frozen when the call's bids
/// were opened, or when the expert joined the panel of an opened call: later profile edits and
/// the passing of time do not change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenRecusal {
    pub expert_id: i32,
    pub bid_id: i32,
    /// The link, e.g. "works at the bidder".
    pub reason: String,
}

/// The recusals the data shows on `today` for panel members (with their profiles) and bids
/// (`(bid id, members)`: the bidder organisation first, then the joint builders the opened bid
/// names): what is frozen at the opening. An employment at a joint builder recuses as one at the
/// bidder does, and its reason names the joint builder.
pub fn data_recusals(
    panel: &[(i32, ExpertProfile)],
    bids: &[(i32, Vec<i32>)],
    today: NaiveDate,
) -> Vec<FrozenRecusal> {
    let mut out = Vec::new();
    for (expert, profile) in panel {
        for (bid, members) in bids {
            for (i, &organisation) in members.iter().enumerate() {
                let Some(link) = employment_link(profile, organisation, today) else {
                    continue;
                };
                let reason = if i == 0 {
                    link.sentence()
                } else {
                    link.joint_sentence(organisation)
                };
                out.push(FrozenRecusal {
                    expert_id: *expert,
                    bid_id: *bid,
                    reason,
                });
            }
        }
    }
    out
}

/// For each panel member, the bids (`(bid id, members)`, as for [`data_recusals`]) it is recused
/// from, each with its reasons: the frozen links found from data first, then declared ones.
/// Members recused from nothing map to an empty set.
pub fn recusals(
    panel: &[i32],
    bids: &[(i32, Vec<i32>)],
    frozen: &[FrozenRecusal],
    declared: &[DeclaredConflict],
) -> HashMap<i32, BTreeMap<i32, Vec<String>>> {
    let mut out: HashMap<i32, BTreeMap<i32, Vec<String>>> = HashMap::new();
    for expert in panel {
        let entry = out.entry(*expert).or_default();
        for (bid, members) in bids {
            let bid = *bid;
            let mut reasons: Vec<String> = frozen
                .iter()
                .filter(|f| f.expert_id == *expert && f.bid_id == bid)
                .map(|f| format!("from data: {}", f.reason))
                .collect();
            for d in declared
                .iter()
                .filter(|d| d.expert_id == *expert && d.applies_to(bid, members))
            {
                reasons.push(format!("declared ({}): {}", d.kind, d.note));
            }
            if !reasons.is_empty() {
                entry.insert(bid, reasons);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn worked_at(org: i32, until: NaiveDate) -> ExpertProfile {
        ExpertProfile {
            organisation_id: Some(99),
            past_employers: vec![PastEmployer {
                organisation_id: org,
                until,
            }],
        }
    }

    #[test]
    fn current_employer_is_a_conflict() {
        let e = ExpertProfile {
            organisation_id: Some(7),
            past_employers: vec![],
        };
        assert_eq!(
            data_conflict(&e, 7, d(2024, 3, 15)).as_deref(),
            Some("works at the bidder")
        );
        assert_eq!(data_conflict(&e, 8, d(2024, 3, 15)), None);
        assert_eq!(
            data_conflict(&ExpertProfile::default(), 7, d(2024, 3, 15)),
            None
        );
    }

    #[test]
    fn three_year_boundary() {
        let today = d(2024, 3, 15);
        assert_eq!(
            data_conflict(&worked_at(7, d(2021, 3, 16)), 7, today).as_deref(),
            Some("worked at the bidder until 2021-03-16 (within 3 years)")
        );
        assert_eq!(
            data_conflict(&worked_at(7, d(2021, 3, 15)), 7, today).as_deref(),
            Some("worked at the bidder until 2021-03-15 (within 3 years)"),
            "the cut-off day itself recuses"
        );
        assert_eq!(data_conflict(&worked_at(7, d(2021, 3, 14)), 7, today), None);
        assert_eq!(data_conflict(&worked_at(8, d(2024, 1, 1)), 7, today), None);
    }

    #[test]
    fn three_years_are_calendar_years() {
        // From a leap day, 36 months back is 2021-02-28 (chrono clamps to the month's end).
        let today = d(2024, 2, 29);
        assert!(data_conflict(&worked_at(7, d(2021, 2, 28)), 7, today).is_some());
        assert!(data_conflict(&worked_at(7, d(2021, 2, 27)), 7, today).is_none());
    }

    #[test]
    fn the_latest_spell_is_named() {
        let e = ExpertProfile {
            organisation_id: None,
            past_employers: vec![
                PastEmployer {
                    organisation_id: 7,
                    until: d(2022, 6, 30),
                },
                PastEmployer {
                    organisation_id: 7,
                    until: d(2023, 6, 30),
                },
                PastEmployer {
                    organisation_id: 7,
                    until: d(2010, 1, 1),
                },
            ],
        };
        assert_eq!(
            data_conflict(&e, 7, d(2024, 3, 15)).as_deref(),
            Some("worked at the bidder until 2023-06-30 (within 3 years)")
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in ConflictKind::ALL {
            assert_eq!(k.as_str().parse::<ConflictKind>(), Ok(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(k.as_str().into())
            );
        }
    }

    #[test]
    fn recusals_from_data_and_declarations() {
        let declared = |id, expert, bid, org| DeclaredConflict {
            id,
            call_id: 1,
            expert_id: expert,
            bid_id: bid,
            organisation_id: org,
            kind: ConflictKind::Family,
            note: "亲属".into(),
            declared_at: DateTime::<Utc>::MIN_UTC,
        };
        let panel = vec![
            (
                1,
                ExpertProfile {
                    organisation_id: Some(7),
                    past_employers: vec![],
                },
            ),
            (2, ExpertProfile::default()),
            (3, ExpertProfile::default()),
            (4, ExpertProfile::default()),
        ];
        // Bids 10 (organisation 7), 11 (8), 12 (9).
        let bids = [(10, vec![7]), (11, vec![8]), (12, vec![9])];
        let conflicts = [
            declared(1, 2, Some(11), None),
            declared(2, 3, None, Some(9)),
            declared(3, 4, None, None),
        ];
        let frozen = data_recusals(&panel, &bids, d(2024, 3, 15));
        assert_eq!(
            frozen,
            [FrozenRecusal {
                expert_id: 1,
                bid_id: 10,
                reason: "works at the bidder".into()
            }]
        );
        let members: Vec<i32> = panel.iter().map(|p| p.0).collect();
        let r = recusals(&members, &bids, &frozen, &conflicts);
        let bids_of = |e: i32| r[&e].keys().copied().collect::<Vec<_>>();
        assert_eq!(bids_of(1), [10]);
        assert_eq!(r[&1][&10], ["from data: works at the bidder"]);
        assert_eq!(bids_of(2), [11]);
        assert_eq!(r[&2][&11], ["declared (family): 亲属"]);
        assert_eq!(bids_of(3), [12]);
        assert_eq!(
            bids_of(4),
            [10, 11, 12],
            "neither bid nor organisation: every bid"
        );
    }

    /// A joint bid's members count as its bidder does: an employment at any of them recuses
    /// (naming the joint builder), and a conflict declared with any of them applies to the bid.
    #[test]
    fn joint_builders_recuse_as_the_bidder_does() {
        let today = d(2024, 3, 15);
        let panel = vec![
            (
                1,
                ExpertProfile {
                    organisation_id: Some(8),
                    past_employers: vec![],
                },
            ),
            (2, worked_at(9, d(2023, 1, 31))),
            (3, ExpertProfile::default()),
        ];
        // Bid 10: organisation 7 with joint builders 8 and 9; bid 11: organisation 12 alone.
        let bids = [(10, vec![7, 8, 9]), (11, vec![12])];
        let frozen = data_recusals(&panel, &bids, today);
        assert_eq!(
            frozen,
            [
                FrozenRecusal {
                    expert_id: 1,
                    bid_id: 10,
                    reason: "works at organisation 8, a joint builder of the bid".into()
                },
                FrozenRecusal {
                    expert_id: 2,
                    bid_id: 10,
                    reason: "worked at organisation 9, a joint builder of the bid, until \
                             2023-01-31 (within 3 years)"
                        .into()
                },
            ]
        );
        let declared = DeclaredConflict {
            id: 1,
            call_id: 1,
            expert_id: 3,
            bid_id: None,
            organisation_id: Some(9),
            kind: ConflictKind::Investment,
            note: "持股".into(),
            declared_at: DateTime::<Utc>::MIN_UTC,
        };
        assert!(declared.applies_to(10, &[7, 8, 9]));
        assert!(!declared.applies_to(11, &[12]));
        let r = recusals(&[1, 2, 3], &bids, &frozen, &[declared]);
        assert_eq!(r[&1].keys().copied().collect::<Vec<_>>(), [10]);
        assert_eq!(r[&2].keys().copied().collect::<Vec<_>>(), [10]);
        assert_eq!(r[&3][&10], ["declared (investment): 持股"]);
        assert!(!r[&3].contains_key(&11));
        // The bidder itself is still named as the bidder.
        let own = data_recusals(&panel, &[(13, vec![8])], today);
        assert_eq!(own[0].reason, "works at the bidder");
    }
}
