//! The demo after the list: a call on each list item, taken as far as a real round would be some
//! months on, through the same use cases the API runs, as the people involved, on the demo's own
//! clock. Every stage an OCDS export shows then has data:
//!
//! | item | where it stands |
//! |---|---|
//! | 1 | awarded; task agreement signed by the three parties; two quarterly progress reports |
//! | 2 | awarded; task agreement signed |
//! | 3 | awarded after an objection (answered, not upheld); agreement still in drafting |
//! | 4 | award proposed, in public notice (公示) |
//! | 5 | call open, two sealed bids received |
//!
//! Two organisations bid on each call (the item's builder and another); three demo experts
//! score; the builder wins.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

use crate::app::calls::{CriterionDraft, NewCall};
use crate::app::panel::Appointment;
use crate::app::users::{Account, NewAccount};
use crate::app::{award, bids, calls, panel, projects, users};
use crate::auth::Caller;
use crate::clock::ManualClock;
use crate::domain::calendar::beijing;
use crate::domain::call::Eligibility;
use crate::domain::ranking::ScoreDraft;
use crate::domain::role::Role;
use crate::extract::IfMatch;
use crate::state::AppState;
use crate::store;

/// What the calls reached.
#[derive(Debug, Default)]
pub struct CallsReport {
    pub calls: usize,
    pub bids: usize,
    pub awarded: usize,
    pub signed: usize,
    pub reports: usize,
}

fn caller_of(a: &Account) -> Caller {
    Caller {
        id: a.id,
        username: a.username.clone(),
        role: a.role,
        district_code: a.district_code.clone(),
        organisation_id: a.organisation_id,
    }
}

/// A moment of the year in Beijing time.
fn at(year: i32, month: u32, day: u32, hour: u32) -> anyhow::Result<DateTime<Utc>> {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .and_then(|t| t.and_local_timezone(beijing()).single())
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("no moment {year}-{month}-{day} {hour}:00"))
}

fn err(what: &str) -> impl FnOnce(crate::error::ApiError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo {what}: {}", e.sentence())
}

/// Runs the calls of the year's published list on `state` (whose clock is `clock`), as
/// `commission`. The list must be published and its calls not yet announced.
///
/// # Errors
/// A use case refusing a step.
#[expect(clippy::too_many_lines, reason = "one story, told in order")]
pub async fn run(
    state: &AppState,
    clock: &ManualClock,
    commission: &Caller,
    year: i32,
) -> anyhow::Result<CallsReport> {
    let mut report = CallsReport::default();
    let round = store::rounds::by_year(&state.db, year)
        .await?
        .context("no round")?;
    let version = store::selections::list_versions(&state.db, round.id)
        .await?
        .pop()
        .context("no published list")?;
    let items = store::selections::items(&state.db, version.id).await?;

    // The experts, and every applicant account by organisation.
    let mut wanted: Vec<NewAccount> = (1..=3)
        .map(|i| NewAccount {
            username: format!("demo-expert-{i}"),
            password: String::new(),
            role: Role::Expert,
            district_code: None,
            organisation_id: None,
        })
        .collect();
    let orgs = store::organisations::organisations(&state.db, None, None).await?;
    for o in &orgs {
        wanted.push(NewAccount {
            username: format!("demo-officer-{}", o.district_code.to_lowercase()),
            password: String::new(),
            role: Role::District,
            district_code: Some(o.district_code.clone()),
            organisation_id: None,
        });
    }
    wanted.sort_by(|a, b| a.username.cmp(&b.username));
    wanted.dedup_by(|a, b| a.username == b.username);
    let accounts =
        users::ensure_with_shared_password(state, crate::demo_load::DEMO_PASSWORD, wanted)
            .await
            .map_err(err("accounts"))?;
    let experts: Vec<Caller> = accounts
        .iter()
        .filter(|a| a.role == Role::Expert)
        .map(caller_of)
        .collect();
    let officers: HashMap<String, Caller> = accounts
        .iter()
        .filter_map(|a| Some((a.district_code.clone()?, caller_of(a))))
        .collect();
    let applicants: HashMap<i32, Caller> = store::users::accounts(&state.db, Some(Role::Applicant))
        .await?
        .iter()
        .filter_map(|a| {
            Some((
                a.organisation_id?,
                Caller {
                    id: a.id,
                    username: a.username.clone(),
                    role: a.role,
                    district_code: None,
                    organisation_id: a.organisation_id,
                },
            ))
        })
        .collect();

    // The calls: announced together, a window of ten days (the last call's runs to the year's end).
    clock.set(at(year, 3, 15, 10)?);
    let mut call_ids = Vec::new();
    let mut bidders = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let closes = if i + 1 == items.len() {
            at(year, 12, 31, 17)?
        } else {
            at(year, 3, 29, 17)?
        };
        let info = calls::announce(
            state,
            commission,
            item.id,
            NewCall {
                requirements: format!(
                    "建成{}，接入规上企业不少于200家，形成不少于5个典型应用场景",
                    item.direction
                ),
                eligibility: Eligibility {
                    registered_in_chongqing: true,
                    min_registered_capital: None,
                    no_earlier_award: false,
                },
                opens_at: at(year, 3, 18, 9)?,
                closes_at: closes,
                winners: 1,
                notice_days: 7,
                rubric: vec![
                    CriterionDraft {
                        criterion: "技术方案".into(),
                        weight: Ok(60),
                        max_points: Ok(6000),
                    },
                    CriterionDraft {
                        criterion: "团队与运营".into(),
                        weight: Ok(40),
                        max_points: Ok(4000),
                    },
                ],
            },
        )
        .await
        .map_err(err("call"))?;
        call_ids.push(info.call.id);
        report.calls += 1;
        // The builder named by the proposal, and another organisation.
        let proposal = store::proposals::get(&state.db, item.proposal_id)
            .await?
            .context("listed proposal")?;
        let builder = proposal
            .form
            .builder_organisation_id
            .or(proposal.owner_organisation_id)
            .or_else(|| orgs.first().map(|o| o.id))
            .context("no organisation")?;
        let other = orgs
            .iter()
            .map(|o| o.id)
            .filter(|id| *id != builder)
            .nth(i)
            .context("a second organisation")?;
        bidders.push((builder, other));
    }

    // The panels, then the bids.
    clock.set(at(year, 3, 17, 10)?);
    let expert_ids: Vec<i32> = experts.iter().map(|e| e.id).collect();
    for id in &call_ids {
        panel::appoint(
            state,
            commission,
            *id,
            Appointment {
                experts: expert_ids.clone(),
                draw: None,
            },
        )
        .await
        .map_err(err("panel"))?;
    }
    let mut bid_ids: Vec<(i32, i32)> = Vec::new();
    for (n, (id, (builder, other))) in call_ids.iter().zip(&bidders).enumerate() {
        let mut pair = Vec::new();
        for (k, org) in [builder, other].into_iter().enumerate() {
            clock.set(at(year, 3, 20, 9)? + Duration::minutes(i64::try_from(n * 10 + k)?));
            let who = applicants.get(org).context("an applicant account")?;
            let budget = if k == 0 { 900 } else { 1100 };
            let sent = json!({
                "technical_plan": format!("{}建设方案（示例）", if k == 0 { "建设主体" } else { "联合体" }),
                "team": [{"name": "示例负责人", "role": "项目经理"}],
                "budget": budget,
                "schedule": [{"name": "平台一期上线", "due": format!("{year}-09-30")}],
                "commitments": ["按期建成"],
                "attachments": [{"name": "技术方案.pdf", "sha256": "ab".repeat(32)}]
            });
            let content = serde_json::from_value(sent.clone())?;
            let s = bids::submit(state, who, *id, content, &sent)
                .await
                .map_err(err("bid"))?;
            pair.push(s.bid_id);
            report.bids += 1;
        }
        bid_ids.push((pair[0], pair[1]));
    }

    // Calls 1–4: opened, reviewed, scored, awarded; the fifth stays open.
    let reviewed = call_ids.len().saturating_sub(1);
    for (id, (win, lose)) in call_ids.iter().zip(&bid_ids).take(reviewed) {
        clock.set(at(year, 3, 30, 10)?);
        calls::open_bids(state, commission, *id)
            .await
            .map_err(err("opening"))?;
        clock.set(at(year, 3, 30, 14)?);
        calls::start_review(state, commission, *id)
            .await
            .map_err(err("review"))?;
        clock.set(at(year, 4, 2, 10)?);
        for e in &experts {
            for (bid, tech, team) in [(*win, 5200, 3400), (*lose, 4600, 3000)] {
                let sheet = vec![
                    ScoreDraft {
                        criterion: "技术方案".into(),
                        points: Ok(tech),
                        comment: String::new(),
                    },
                    ScoreDraft {
                        criterion: "团队与运营".into(),
                        points: Ok(team),
                        comment: String::new(),
                    },
                ];
                bids::put_scores(state, e, bid, sheet)
                    .await
                    .map_err(err("scores"))?;
            }
        }
        clock.set(at(year, 4, 8, 10)?);
        award::award(
            state,
            commission,
            *id,
            &[*win],
            "拟由建设主体挂帅（示例数据）",
        )
        .await
        .map_err(err("award"))?;
    }

    // Call 3: the other bidder objects; the commission answers within three days, not upheld.
    if let (Some(id), Some((_, other))) = (call_ids.get(2), bidders.get(2)) {
        clock.set(at(year, 4, 10, 10)?);
        let who = applicants.get(other).context("an applicant account")?;
        let o = award::object(
            state,
            who,
            *id,
            "评分标准适用有误（示例异议）",
            "023-6000-0099",
        )
        .await
        .map_err(err("objection"))?;
        clock.set(at(year, 4, 11, 16)?);
        award::answer(
            state,
            commission,
            o.objection.id,
            false,
            "经复核，评分符合评审规则，异议不成立（示例答复）",
        )
        .await
        .map_err(err("answer"))?;
    }

    // Calls 1–3 finalized after the notice: a project each.
    clock.set(at(year, 4, 17, 10)?);
    for id in call_ids.iter().take(3) {
        award::finalize(state, commission, *id)
            .await
            .map_err(err("finalize"))?;
        report.awarded += 1;
    }

    // Items 1 and 2: the agreement completed by the commission and confirmed by all three.
    let content = |year: i32| {
        json!({
            "targets": [
                {"key": "K1", "name": "接入规上企业数", "unit": "家", "baseline": 0, "target": 200, "mandatory": true},
                {"key": "K2", "name": "典型应用场景", "unit": "个", "baseline": 0, "target": 5, "mandatory": false}
            ],
            "budget": [{"source": "企业自筹", "amount": 600}, {"source": "市级专项资金", "amount": 300}],
            "milestones": [
                {"key": "M1", "name": "平台一期上线", "due": format!("{year}-09-30")},
                {"key": "M2", "name": "全面建成", "due": format!("{}-03-31", year + 1)}
            ],
            "completion_date": format!("{}-03-31", year + 1)
        })
    };
    let mut signed_projects = Vec::new();
    for id in call_ids.iter().take(2) {
        let project = store::projects::of_call(&state.db, *id)
            .await?
            .pop()
            .context("the award's project")?;
        let draft = store::projects::agreements(&state.db, project.id)
            .await?
            .pop()
            .context("the draft agreement")?;
        clock.set(at(year, 4, 20, 10)?);
        let mut a = projects::edit_agreement(
            state,
            commission,
            draft.id,
            &IfMatch(Some(projects::agreement_etag(&draft))),
            serde_json::from_value(content(year))?,
        )
        .await
        .map_err(err("agreement"))?;
        let builder = applicants
            .get(&project.organisation_id)
            .context("the builder's account")?;
        let officer = officers
            .get(&project.district_code)
            .context("the district's officer")?;
        for (day, who) in [(22, commission), (23, builder), (24, officer)] {
            clock.set(at(year, 4, day, 10)?);
            a = projects::confirm_agreement(
                state,
                who,
                a.id,
                &IfMatch(Some(projects::agreement_etag(&a))),
            )
            .await
            .map_err(err("confirmation"))?;
        }
        report.signed += 1;
        signed_projects.push((project, builder.clone()));
    }

    // Item 1: two quarterly reports (spend to date by source; the first milestone met in Q3).
    if let Some((project, builder)) = signed_projects.first() {
        for (month, quarter, m1, own, city) in
            [(7, 2, "scheduled", 200, 0), (10, 3, "met", 450, 150)]
        {
            clock.set(at(year, month, 10, 10)?);
            let r = json!({
                "milestones": [{"key": "M1", "status": m1, "note": ""}, {"key": "M2", "status": "scheduled"}],
                "spend": [{"source": "企业自筹", "amount": own}, {"source": "市级专项资金", "amount": city}],
                "targets": [{"key": "K1", "value": 60 * quarter}, {"key": "K2", "value": quarter - 1}],
                "risks": ""
            });
            projects::file_report(
                state,
                builder,
                project.id,
                &format!("{year}Q{quarter}"),
                serde_json::from_value(r)?,
            )
            .await
            .map_err(err("report"))?;
            report.reports += 1;
        }
    }
    Ok(report)
}
