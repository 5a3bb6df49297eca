//! Loads the demo data set (`demo.rs`) into a round through the same store functions and state
//! machine the API uses, so every demo proposal has a true history: created by its owner,
//! submitted, returned or sealed by its district's officer, judged by the commission.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::demo::{demo_set, DemoFate, DemoOwner};
use crate::domain::json_patch;
use crate::domain::proposal_state::{transition, Action, Status};
use crate::domain::role::Role;
use crate::domain::round::RoundSettings;
use crate::store;
use crate::store::proposals::{Actor, Applied, Change, EventNote, NewProposal};

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

/// Loads the demo set into the round of `year` (created with the 2024 notice's deadline if it
/// does not exist). Refuses a round that already has proposals.
///
/// # Errors
/// A round with proposals, or database failures.
pub async fn load<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    year: i32,
) -> anyhow::Result<DemoReport> {
    let set = demo_set();
    // The notice's deadline: the last day of February, 23:59:59 Beijing time.
    let last_of_february = chrono::NaiveDate::from_ymd_opt(year, 3, 1)
        .and_then(|d| d.pred_opt())
        .context("year out of range")?;
    let deadline_text = format!("{last_of_february}T23:59:59+08:00");
    let deadline = chrono::DateTime::parse_from_rfc3339(&deadline_text)?.with_timezone(&Utc);
    let round = match store::rounds::by_year(db, year).await? {
        Some(r) => r,
        None => {
            store::rounds::create(
                db,
                store::rounds::NewRound {
                    year,
                    title: format!("{year}年行业产业大脑建设（示例数据）"),
                    deadline_text,
                    deadline,
                    list_size: 5,
                    settings: serde_json::to_value(RoundSettings::default())?,
                },
                deadline - Duration::days(30),
            )
            .await?
        }
    };
    if !store::proposals::counts(db, round.id, None)
        .await?
        .is_empty()
    {
        anyhow::bail!(
            "the {year} round already has proposals; load the demo data into an empty round"
        );
    }
    let deadline = round.intake_deadline;
    let opened = deadline - Duration::days(30);
    let commission = store::users::list(db, Some(Role::Commission))
        .await?
        .into_iter()
        .next()
        .context("no commission account (start the service once to create admin)")?;
    let hash = crate::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let txn = db.begin().await?;

    for (code, map) in &set.industry_maps {
        let d = store::reference::district(&txn, code)
            .await?
            .with_context(|| format!("district {code}"))?;
        store::reference::set_industry_map(&txn, d, map, opened).await?;
    }
    let mut org_ids = HashMap::new();
    let mut applicants = HashMap::new();
    let mut officers = HashMap::new();
    for o in &set.organisations {
        let org = match store::organisations::list(&txn, None, None)
            .await?
            .into_iter()
            .find(|x| x.uscc == o.uscc)
        {
            Some(x) => x,
            None => {
                store::organisations::create(
                    &txn,
                    o.name.clone(),
                    o.uscc.clone(),
                    o.district_code.clone(),
                    // Invented figure: 1,000 万元 registered capital for every demo builder.
                    Some(100_000),
                    opened,
                )
                .await?
            }
        };
        org_ids.insert(o.key, org.id);
        let user = account(
            &txn,
            &hash,
            &format!("demo-{}", o.key.to_lowercase()),
            Role::Applicant,
            None,
            Some(org.id),
        )
        .await?;
        applicants.insert(o.key, user);
    }
    for p in &set.proposals {
        let code = p.form.district_code.clone().unwrap_or_default();
        if let std::collections::hash_map::Entry::Vacant(slot) = officers.entry(code.clone()) {
            let username = format!("demo-officer-{}", code.to_lowercase());
            slot.insert(account(&txn, &hash, &username, Role::District, Some(code), None).await?);
        }
    }

    let mut by_status: HashMap<&'static str, usize> = HashMap::new();
    for p in &set.proposals {
        let district = p.form.district_code.clone().unwrap_or_default();
        let officer = officers.get(&district).context("officer")?.clone();
        let (owner, owner_org) = match &p.owner {
            DemoOwner::Applicant { organisation_key } => (
                applicants
                    .get(organisation_key)
                    .context("applicant")?
                    .clone(),
                org_ids.get(organisation_key).copied(),
            ),
            DemoOwner::District => (officer.clone(), None),
        };
        let mut form = p.form.clone();
        form.builder_organisation_id = p.builder_key.and_then(|k| org_ids.get(k).copied());
        let form = json_patch::strip_nulls(&serde_json::to_value(&form)?);
        let plan = json_patch::strip_nulls(&serde_json::to_value(&p.plan)?);
        let sealed_at = deadline - Duration::minutes(p.sealed_minutes_before_deadline);
        let created_at = match p.fate {
            DemoFate::Draft => deadline - Duration::days(5),
            _ if p.fate.is_sealed_or_later() => sealed_at - Duration::days(2),
            _ => deadline - Duration::days(4),
        };
        let doc = serde_json::json!({"form": form, "plan": plan});
        let mut current = store::proposals::create(
            &txn,
            NewProposal {
                round_id: round.id,
                status: Status::Draft,
                district_code: district.clone(),
                cluster_code: p.form.cluster_code.clone(),
                owner_organisation_id: owner_org,
                form,
                plan,
                sealed_at: None,
                sealed_by: None,
                seal_statement: None,
            },
            &owner,
            EventNote {
                action: "create".into(),
                changes: json_patch::diff(&serde_json::json!({}), &doc),
                note: Some(format!("demo proposal {}", p.key)),
            },
            created_at,
        )
        .await?;
        let commission_actor = Actor {
            id: commission.id,
            role: Role::Commission.as_str().into(),
        };
        let steps: Vec<(Action, &Actor, chrono::DateTime<Utc>, Option<String>)> = match &p.fate {
            DemoFate::Draft => vec![],
            DemoFate::Submitted => {
                vec![(Action::Submit, &owner, deadline - Duration::hours(30), None)]
            }
            DemoFate::Returned { reasons } => vec![
                (Action::Submit, &owner, deadline - Duration::days(3), None),
                (
                    Action::Return,
                    &officer,
                    deadline - Duration::days(2),
                    Some(reasons.join("；")),
                ),
            ],
            DemoFate::Sealed | DemoFate::Eligible | DemoFate::Ineligible { .. } => {
                let mut s = vec![
                    (Action::Submit, &owner, sealed_at - Duration::days(1), None),
                    (
                        Action::Seal,
                        &officer,
                        sealed_at,
                        Some("经审核，材料真实完整，同意报送。".to_owned()),
                    ),
                ];
                match &p.fate {
                    DemoFate::Eligible => s.push((
                        Action::MarkEligible,
                        &commission_actor,
                        deadline + Duration::days(3),
                        None,
                    )),
                    DemoFate::Ineligible { reasons } => {
                        s.push((
                            Action::MarkIneligible,
                            &commission_actor,
                            deadline + Duration::days(3),
                            Some(reasons.join("；")),
                        ));
                    }
                    _ => {}
                }
                s
            }
        };
        for (action, who, at, note) in steps {
            let from = current
                .status
                .parse::<Status>()
                .map_err(anyhow::Error::msg)?;
            let to = transition(from, action).map_err(|e| anyhow::anyhow!("{}: {e}", p.key))?;
            let mut change = Change {
                status: Some(to),
                ..Default::default()
            };
            match action {
                Action::Submit => change.submitted_at = Some(at),
                Action::Seal => {
                    change.sealed = Some((at, who.id, note.clone().unwrap_or_default()))
                }
                Action::Return | Action::MarkIneligible => change.reasons = Some(note.clone()),
                _ => {}
            }
            let event = EventNote {
                action: action.as_str().into(),
                changes: Vec::new(),
                note,
            };
            current = match store::proposals::apply(
                &txn,
                &current,
                current.version,
                change,
                who,
                event,
                at,
            )
            .await?
            {
                Applied::Done(after) => *after,
                Applied::Stale => anyhow::bail!("{} changed while loading", p.key),
            };
        }
        *by_status
            .entry(
                current
                    .status
                    .parse::<Status>()
                    .map_err(anyhow::Error::msg)?
                    .as_str(),
            )
            .or_default() += 1;
    }
    txn.commit().await?;
    Ok(DemoReport {
        year,
        organisations: org_ids.len(),
        accounts: applicants.len() + officers.len(),
        proposals: set.proposals.len(),
        by_status,
    })
}

async fn account(
    db: &impl ConnectionTrait,
    hash: &str,
    username: &str,
    role: Role,
    district: Option<String>,
    organisation: Option<i32>,
) -> anyhow::Result<Actor> {
    let user = match store::users::by_username(db, username).await? {
        Some(u) => u,
        None => {
            store::users::create_hashed(
                db,
                store::users::NewUser {
                    username: username.to_owned(),
                    password: DEMO_PASSWORD.to_owned(),
                    role,
                    district_code: district,
                    organisation_id: organisation,
                },
                hash.to_owned(),
                Utc.with_ymd_and_hms(2024, 1, 29, 9, 0, 0)
                    .single()
                    .unwrap_or_else(Utc::now),
            )
            .await?
        }
    };
    Ok(Actor {
        id: user.id,
        role: role.as_str().into(),
    })
}
