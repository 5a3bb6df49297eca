//! Who may see and do what to a proposal — the one statement of the rules, used both to filter
//! lists (turned into SQL by the store) and to check single objects.

use super::proposal_state::Status;
use super::role::Role;

/// The caller as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub role: Role,
    pub district: Option<&'a str>,
    pub organisation: Option<i32>,
}

/// The facts about a proposal the rules look at.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub district: &'a str,
    /// The owning applicant organisation; none when a district officer filed it.
    pub owner_organisation: Option<i32>,
    pub status: Status,
}

/// Which proposals a viewer may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The commission: everything sealed or later (drafts and reviews are the districts' business).
    SealedOrLater,
    /// A district officer: its district's proposals, except applicants' unsubmitted drafts.
    District(String),
    /// An applicant: its own organisation's proposals, in every state.
    Organisation(i32),
    /// Everyone else: only proposals on the published list.
    ListedOnly,
}

impl Scope {
    pub fn of(v: Viewer<'_>) -> Scope {
        match (v.role, v.district, v.organisation) {
            (Role::Commission, _, _) => Scope::SealedOrLater,
            (Role::District, Some(d), _) => Scope::District(d.to_owned()),
            (Role::Applicant, _, Some(o)) => Scope::Organisation(o),
            _ => Scope::ListedOnly,
        }
    }

    pub fn admits(&self, f: Facts<'_>) -> bool {
        match self {
            Scope::SealedOrLater => f.status.sealed_or_later(),
            Scope::District(d) => {
                d == f.district && (f.owner_organisation.is_none() || f.status != Status::Draft)
            }
            Scope::Organisation(o) => f.owner_organisation == Some(*o),
            Scope::ListedOnly => f.status == Status::Listed,
        }
    }
}

/// The owner writes and submits: the applicant organisation, or the district that filed it.
pub fn is_owner(v: Viewer<'_>, f: Facts<'_>) -> bool {
    match (v.role, f.owner_organisation) {
        (Role::Applicant, Some(o)) => v.organisation == Some(o),
        (Role::District, None) => v.district == Some(f.district),
        _ => false,
    }
}

/// The proposal's district reviews, returns and seals it.
pub fn is_reviewer(v: Viewer<'_>, f: Facts<'_>) -> bool {
    v.role == Role::District && v.district == Some(f.district)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(
        role: Role,
        district: Option<&'static str>,
        organisation: Option<i32>,
    ) -> Viewer<'static> {
        Viewer {
            role,
            district,
            organisation,
        }
    }

    #[test]
    fn matrix() {
        let applicant_draft = Facts {
            district: "500105",
            owner_organisation: Some(7),
            status: Status::Draft,
        };
        let district_draft = Facts {
            owner_organisation: None,
            ..applicant_draft
        };
        let submitted = Facts {
            status: Status::Submitted,
            ..applicant_draft
        };
        let sealed = Facts {
            status: Status::Sealed,
            ..applicant_draft
        };
        let listed = Facts {
            status: Status::Listed,
            ..applicant_draft
        };
        let own_district = viewer(Role::District, Some("500105"), None);
        let other_district = viewer(Role::District, Some("500101"), None);
        let own_org = viewer(Role::Applicant, None, Some(7));
        let other_org = viewer(Role::Applicant, None, Some(8));
        let commission = viewer(Role::Commission, None, None);
        let expert = viewer(Role::Expert, None, None);
        let sees = |v: Viewer<'_>, f: Facts<'_>| Scope::of(v).admits(f);

        assert!(sees(own_org, applicant_draft) && !sees(other_org, applicant_draft));
        assert!(
            !sees(own_district, applicant_draft),
            "an applicant's draft is its own"
        );
        assert!(sees(own_district, district_draft) && sees(own_district, submitted));
        assert!(!sees(other_district, submitted) && !sees(other_district, district_draft));
        assert!(!sees(commission, submitted) && sees(commission, sealed));
        assert!(!sees(expert, sealed) && sees(expert, listed));

        assert!(is_owner(own_org, applicant_draft) && !is_owner(own_district, applicant_draft));
        assert!(
            is_owner(own_district, district_draft) && !is_owner(other_district, district_draft)
        );
        assert!(is_reviewer(own_district, submitted) && !is_reviewer(other_district, submitted));
        assert!(!is_reviewer(commission, submitted));
    }
}
