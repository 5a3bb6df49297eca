//! Loads the demo data set (`demo.rs`) into a round through the same use cases the API runs, as
//! the people the data names, with the clock set to each step's moment: every demo object has a
//! true history in the event log — created by its owner, submitted, returned or sealed by its
//! district's officer, judged by the commission — and the log's times follow its order.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use crate::app::organisations::NewOrganisation;
use crate::app::rounds::NewRound;
use crate::app::users::NewAccount;
use crate::app::{organisations, proposals, reference, rounds, users};
use crate::auth::Caller;
use crate::clock::ManualClock;
use crate::demo::{try_demo_set, DemoFate, DemoOwner};
use crate::domain::attestation::{self, AttestationInput};
use crate::domain::money::Money;
use crate::domain::proposal_state::Status;
use crate::domain::role::Role;
use crate::domain::round::RoundSettings;
use crate::extract::IfMatch;
use crate::state::AppState;
use crate::store;

/// The password of every demo account (demo data only; never on a production database).
pub const DEMO_PASSWORD: &str = "demo-password-2024";

#[derive(Debug)]
pub struct DemoReport {
    pub year: i32,
    pub organisations: usize,
    pub accounts: usize,
    pub proposals: usize,
    pub by_status: HashMap<&'static str, usize>,
}

/// One step of a demo proposal's life, at its moment.
#[derive(Debug, Clone)]
enum Step {
    Create,
    Submit,
    Return(String),
    Seal(String),
    Eligible,
    Ineligible(String),
}

/// The caller an account acts as.
pub(crate) fn caller_of(a: &users::Account) -> Caller {
    Caller {
        id: a.id,
        username: a.username.clone(),
        role: a.role,
        district_code: a.district_code.clone(),
        organisation_id: a.organisation_id,
        account: None,
    }
}

/// Loads the demo set into the round of `year` (created with the notice's deadline — the last
/// day of February, 23:59:59 Beijing time — if it does not exist). Refuses a round that already
/// has proposals.
///
/// # Errors
/// A round with proposals, no commission account, or any use case refusing a step.
pub async fn load(state: &AppState, year: i32) -> anyhow::Result<DemoReport> {
    let set = try_demo_set()?;
    let last_of_february = chrono::NaiveDate::from_ymd_opt(year, 3, 1)
        .and_then(|d| d.pred_opt())
        .context("year out of range")?;
    let deadline =
        chrono::DateTime::parse_from_rfc3339(&format!("{last_of_february}T23:59:59+08:00"))?;
    let deadline_utc = deadline.with_timezone(&Utc);
    let opened = deadline_utc - Duration::days(30);

    // The demo's own clock, moved to each step's moment.
    let clock = ManualClock::new(opened);
    let demo = state.with_clock(Arc::new(clock.clone()));
    let commission = store::users::accounts(&state.db, Some(Role::Commission))
        .await?
        .into_iter()
        .next()
        .context("no commission account (start the service once to create admin)")?;
    let commission = caller_of(&commission);

    let round = match store::rounds::get(&state.db, year).await? {
        Some(r) => r,
        None => {
            rounds::create(
                &demo,
                &commission,
                NewRound {
                    year,
                    title: format!("{year}年行业产业大脑建设（示例数据）"),
                    intake_deadline: deadline,
                    list_size: 5,
                    settings: RoundSettings::default(),
                },
            )
            .await?
        }
    };
    if !store::proposals::counts(&state.db, round.id, None)
        .await?
        .is_empty()
    {
        anyhow::bail!(
            "the {year} round already has proposals: load the demo into another year (--year {}) or a fresh database (JIEBANG__DATABASE__URL='sqlite://demo.db?mode=rwc'); a demo round is never emptied in place, since the event log keeps every step",
            year + 1
        );
    }
    let deadline_utc = round.intake_deadline;

    for (code, map) in &set.industry_maps {
        reference::set_industry_map(&demo, &commission, code, map.clone()).await?;
    }

    let mut org_ids = HashMap::new();
    for o in &set.organisations {
        let existing = store::organisations::organisations(&state.db, None, None)
            .await?
            .into_iter()
            .find(|x| x.uscc == o.uscc);
        let id = match existing {
            Some(x) => x.id,
            None => {
                organisations::create(
                    &demo,
                    &commission,
                    NewOrganisation {
                        name: o.name.clone(),
                        uscc: o.uscc.clone(),
                        district_code: o.district_code.clone(),
                        // Invented figure: 1,000 万元 registered capital for every demo builder.
                        registered_capital: Some(Money::from_hundredths(100_000)?),
                        kind: None,
                    },
                )
                .await?
                .id
            }
        };
        org_ids.insert(o.key, id);
    }

    // Accounts: one applicant per organisation, one officer per district that files.
    let mut wanted = Vec::new();
    for o in &set.organisations {
        wanted.push(NewAccount {
            username: format!("demo-{}", o.key.to_lowercase()),
            password: String::new(),
            role: Role::Applicant,
            district_code: None,
            organisation_id: org_ids.get(&o.key).copied(),
        });
    }
    let mut districts: Vec<String> = set
        .proposals
        .iter()
        .filter_map(|p| p.form.district_code.clone())
        .collect();
    districts.sort();
    districts.dedup();
    for code in &districts {
        wanted.push(NewAccount {
            username: format!("demo-officer-{}", code.to_lowercase()),
            password: String::new(),
            role: Role::District,
            district_code: Some(code.clone()),
            organisation_id: None,
        });
    }
    let accounts = users::ensure_with_shared_password(&demo, DEMO_PASSWORD, wanted).await?;
    let by_name: HashMap<String, Caller> = accounts
        .iter()
        .map(|a| (a.username.clone(), caller_of(a)))
        .collect();
    let account = |name: &str| {
        by_name
            .get(name)
            .cloned()
            .with_context(|| format!("demo account {name}"))
    };

    // Every step of every proposal, in time order, so the log's times follow its order.
    let mut steps: Vec<(DateTime<Utc>, usize, Step)> = Vec::new();
    for (i, p) in set.proposals.iter().enumerate() {
        let sealed_at = deadline_utc - Duration::minutes(p.sealed_minutes_before_deadline);
        let created_at = match p.fate {
            DemoFate::Draft => deadline_utc - Duration::days(5),
            _ if p.fate.is_sealed_or_later() => sealed_at - Duration::days(2),
            _ => deadline_utc - Duration::days(4),
        };
        steps.push((created_at, i, Step::Create));
        let statement = "经审核，材料真实完整，同意报送。".to_owned();
        match &p.fate {
            DemoFate::Draft => {}
            DemoFate::Submitted => {
                steps.push((deadline_utc - Duration::hours(30), i, Step::Submit))
            }
            DemoFate::Returned { reasons } => {
                steps.push((deadline_utc - Duration::days(3), i, Step::Submit));
                steps.push((
                    deadline_utc - Duration::days(2),
                    i,
                    Step::Return(reasons.join("；")),
                ));
            }
            DemoFate::Sealed | DemoFate::Eligible | DemoFate::Ineligible { .. } => {
                steps.push((sealed_at - Duration::days(1), i, Step::Submit));
                steps.push((sealed_at, i, Step::Seal(statement)));
                let judged = deadline_utc + Duration::days(3);
                match &p.fate {
                    DemoFate::Eligible => steps.push((judged, i, Step::Eligible)),
                    DemoFate::Ineligible { reasons } => {
                        steps.push((judged, i, Step::Ineligible(reasons.join("；"))));
                    }
                    _ => {}
                }
            }
        }
    }
    steps.sort_by_key(|(at, i, _)| (*at, *i));

    let mut filed: HashMap<usize, crate::domain::proposal::Proposal> = HashMap::new();
    for (at, i, step) in steps {
        clock.set(at);
        let p = &set.proposals[i];
        let district = p.form.district_code.clone().unwrap_or_default();
        let officer = account(&format!("demo-officer-{}", district.to_lowercase()))?;
        let owner = match &p.owner {
            DemoOwner::Applicant { organisation_key } => {
                account(&format!("demo-{}", organisation_key.to_lowercase()))?
            }
            DemoOwner::District => officer.clone(),
        };
        let current = filed
            .get(&i)
            .map(|x| IfMatch(Some(proposals::proposal_etag(x))));
        let if_match = || current.clone().context("a step before the proposal exists");
        let after = match step {
            Step::Create => {
                let mut form = p.form.clone();
                form.builder_organisation_id =
                    p.builder_key.as_ref().and_then(|k| org_ids.get(k).copied());
                proposals::create(&demo, &owner, year, form, p.plan.clone()).await
            }
            Step::Submit => {
                proposals::submit(
                    &demo,
                    &owner,
                    filed_id(&filed, i)?,
                    &if_match()?,
                    AttestationInput {
                        statement: attestation::STATEMENT.to_owned(),
                        name: "示例法定代表人".to_owned(),
                        position: Some("法定代表人".to_owned()),
                    },
                )
                .await
            }
            Step::Return(reasons) => {
                proposals::return_to_owner(
                    &demo,
                    &officer,
                    filed_id(&filed, i)?,
                    &if_match()?,
                    &reasons,
                )
                .await
            }
            Step::Seal(statement) => {
                proposals::seal(
                    &demo,
                    &officer,
                    filed_id(&filed, i)?,
                    &if_match()?,
                    &statement,
                )
                .await
            }
            Step::Eligible => {
                proposals::decide_eligibility(
                    &demo,
                    &commission,
                    filed_id(&filed, i)?,
                    &if_match()?,
                    true,
                    None,
                )
                .await
            }
            Step::Ineligible(reasons) => {
                proposals::decide_eligibility(
                    &demo,
                    &commission,
                    filed_id(&filed, i)?,
                    &if_match()?,
                    false,
                    Some(&reasons),
                )
                .await
            }
        }
        .map_err(|e| anyhow::anyhow!("demo proposal {}: {e:?}", p.key))?;
        filed.insert(i, after);
    }

    let mut by_status: HashMap<&'static str, usize> = HashMap::new();
    for p in filed.values() {
        *by_status.entry(p.status.as_str()).or_default() += 1;
    }
    debug_assert!(by_status.keys().all(|s| s.parse::<Status>().is_ok()));
    Ok(DemoReport {
        year,
        organisations: org_ids.len(),
        accounts: accounts.len(),
        proposals: filed.len(),
        by_status,
    })
}

fn filed_id(
    filed: &HashMap<usize, crate::domain::proposal::Proposal>,
    i: usize,
) -> anyhow::Result<i32> {
    filed
        .get(&i)
        .map(|p| p.id)
        .context("a step before the proposal exists")
}
