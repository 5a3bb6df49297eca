//! `jiebang demo`, after the list: the programme's next two years on the published list, run
//! through the same use cases the API runs, as the people who act, on the demo's own clock.
//!
//! For every list item: a call (揭榜) with bids from invented 示例 organisations, the opening, a
//! drawn panel's scores, the ranking, the award notice and the final award → a project; its task
//! agreement (任务书) confirmed by the commission, the builder and the district; two quarterly
//! progress reports and a supervision visit (督导); completion (建成); the written request for
//! acceptance within the month; the acceptance (验收) with a drawn panel and a third-party
//! evaluator's report → accepted → the plaque (授牌). A year later the annual evaluation
//! (年度常态化评价) grades the last brain 不合格, which puts it under rectification (限期整改) with a
//! deadline and the builder's plan. Every step is one event in the log, dated by the clock.
//!
//! Steps run stage by stage over the items, so that the log's times follow its order.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde_json::json;

use crate::app::acceptance::{self, Start};
use crate::app::brains::{self, BrainQuery};
use crate::app::calls::{self, CriterionDraft, NewCall};
use crate::app::lists::PublishedList;
use crate::app::organisations::{self, NewOrganisation};
use crate::app::panel::{self, Appointment};
use crate::app::projects::{self, agreement_etag, project_etag, NewVisit, ProjectQuery};
use crate::app::users::{self, NewAccount};
use crate::app::{award, bids};
use crate::auth::Caller;
use crate::clock::ManualClock;
use crate::demo_load::{caller_of, DEMO_PASSWORD};
use crate::domain::acceptance::{AcceptanceReport, Evidence, Outcome};
use crate::domain::bid::BidContent;
use crate::domain::call::Eligibility;
use crate::domain::codes::Uscc;
use crate::domain::money::{Money, Quantity};
use crate::domain::project::{
    AgreementContent, EvaluationParts, Measurement, MilestoneProgress, MilestoneStatus,
    ReportContent, SupervisionMethod, SupervisionRating, Target, TargetProgress,
};
use crate::domain::ranking::ScoreDraft;
use crate::domain::role::Role;
use crate::domain::score::hundredths_text;
use crate::extract::IfMatch;
use crate::state::AppState;

/// The bidders: for list item `k`, `WINNERS[k]` (the builder to be) and `RIVALS[k]` bid.
/// Invented names, all starting with 示例.
const WINNERS: [&str; 5] = [
    "示例渝智工业互联网有限公司",
    "示例山城数据科技有限公司",
    "示例两江智造科技有限公司",
    "示例巴渝云链信息技术有限公司",
    "示例嘉陵数智科技有限公司",
];
const RIVALS: [&str; 5] = [
    "示例长江数字技术有限公司",
    "示例缙云软件有限公司",
    "示例南岸智算有限公司",
    "示例渝北链数科技有限公司",
    "示例江津产业互联网有限公司",
];
/// The third-party evaluation body (第三方机构) and its evaluator account.
const EVALUATION_BODY: &str = "示例数智评估中心有限公司";
const EVALUATOR: &str = "demo-evaluator";
/// Acceptance and call experts (drawn from the whole pool, which holds these at least).
const EXPERTS: usize = 5;
/// A stand-in for a document's SHA-256 (the file itself is the bidder's or evaluator's).
const DOC_SHA256: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// A moment in Beijing time.
///
/// # Errors
/// A date that does not exist.
pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> anyhow::Result<DateTime<Utc>> {
    FixedOffset::east_opt(8 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(y, m, d, h, min, 0).single())
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("no such moment {y}-{m}-{d} {h}:{min}"))
}

fn day(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).with_context(|| format!("no such day {y}-{m}-{d}"))
}

fn money(hundredths: i64) -> anyhow::Result<Money> {
    Ok(Money::from_hundredths(hundredths)?)
}

fn quantity(hundredths: i64) -> anyhow::Result<Quantity> {
    Ok(Quantity::from_hundredths(hundredths)?)
}

fn points(criterion: &str, hundredths: i64) -> ScoreDraft {
    ScoreDraft {
        criterion: criterion.to_owned(),
        points: Ok(hundredths),
        comment: String::new(),
    }
}

/// One list item followed through the years.
struct Item {
    direction: String,
    district: String,
    /// The district's name, shown beside its code.
    district_name: String,
    list_item_id: i32,
    winner: Caller,
    winner_name: String,
    rival: Caller,
    rival_name: String,
    officer: Caller,
    call_id: i32,
    /// Bid id → bidder name.
    bidders: HashMap<i32, String>,
    winning_bid: i32,
    project_id: i32,
    acceptance_id: i32,
    plaque: String,
}

/// The people of the years after the list.
struct Cast {
    commission: Caller,
    experts: HashMap<i32, Caller>,
    evaluator: Caller,
}

/// Runs the years after the list on `demo` (a state on `clock`, which this moves), printing a
/// line per stage through `out`.
///
/// # Errors
/// Any use case refusing a step (named), or data that is not there.
pub async fn follow(
    demo: &AppState,
    clock: &ManualClock,
    commission: &Caller,
    list: &PublishedList,
    out: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let y = list.year;
    clock.set(at(y, 3, 5, 11, 0)?);
    let (cast, mut items) = cast(demo, commission, list).await?;
    let c = &cast.commission;
    out(String::new());
    out(say(crate::msg!(
        "demo-y-cast",
        y = y,
        organisations = items.len() * 2,
        experts = cast.experts.len(),
        evaluator = EVALUATOR,
        body = EVALUATION_BODY
    )));

    // Calls (揭榜) on every item.
    clock.set(at(y, 3, 6, 9, 0)?);
    for it in &mut items {
        let call = calls::announce(
            demo,
            c,
            it.list_item_id,
            NewCall {
                requirements: format!(
                    "建成{}，接入规上企业不少于100家，形成可复制推广的行业解决方案",
                    it.direction
                ),
                eligibility: Eligibility {
                    registered_in_chongqing: true,
                    min_registered_capital: Some(money(50_000)?),
                    no_earlier_award: false,
                },
                opens_at: at(y, 3, 11, 9, 0)?,
                closes_at: at(y, 3, 20, 17, 0)?,
                winners: 1,
                notice_days: 7,
                rubric: vec![
                    CriterionDraft {
                        criterion: "技术方案".into(),
                        weight: Ok(60),
                        max_points: Ok(10_000),
                    },
                    CriterionDraft {
                        criterion: "团队与运营".into(),
                        weight: Ok(40),
                        max_points: Ok(10_000),
                    },
                ],
            },
        )
        .await
        .with_context(|| format!("announce the call on {}", it.direction))?;
        it.call_id = call.call.id;
        clock.advance(chrono::Duration::minutes(5));
    }
    out(say(crate::msg!("demo-y-calls", y = y, count = items.len())));

    clock.set(at(y, 3, 7, 10, 0)?);
    for (k, it) in items.iter().enumerate() {
        let seed = u64::try_from(y)? * 100 + k as u64;
        let panel = panel::appoint(
            demo,
            c,
            it.call_id,
            Appointment {
                experts: Vec::new(),
                draw: Some((3, Some(seed))),
            },
        )
        .await
        .with_context(|| format!("draw the panel of {}", it.direction))?;
        let names: Vec<String> = panel
            .iter()
            .map(|p| {
                p.username
                    .clone()
                    .unwrap_or_else(|| p.member.expert_id.to_string())
            })
            .collect();
        out(say(crate::msg!(
            "demo-y-panel",
            y = y,
            direction = it.direction,
            seed = seed,
            names = names.join(", ")
        )));
    }

    // Sealed bids, inside the window.
    clock.set(at(y, 3, 12, 10, 0)?);
    for (k, it) in items.iter_mut().enumerate() {
        let step = i64::try_from(k)?;
        for (who, name, budget, plan) in [
            (
                it.winner.clone(),
                it.winner_name.clone(),
                80_000 + 6_000 * step,
                "以工业互联网平台为底座，打通产业链上下游数据，建设行业知识库与场景应用",
            ),
            (
                it.rival.clone(),
                it.rival_name.clone(),
                95_000 + 4_000 * step,
                "建设行业数据中台与应用市场，分期接入重点企业",
            ),
        ] {
            let sent = json!({
                "technical_plan": format!("{}：{plan}", it.direction),
                "team": [{"name": "示例项目负责人", "role": "项目经理"}],
                "budget": money(budget)?,
                "schedule": [{"name": "平台一期上线", "due": format!("{y}-09-30")},
                             {"name": "全面建成", "due": format!("{y}-12-31")}],
                "commitments": ["按期建成", "建成后持续运营不少于三年"],
                "attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "示例法定代表人", "position": "法定代表人"}
            });
            let content: BidContent = serde_json::from_value(sent.clone())?;
            let receipt = bids::submit(demo, &who, it.call_id, content, &sent)
                .await
                .with_context(|| format!("{name} bids on {}", it.direction))?;
            it.bidders.insert(receipt.bid_id, name);
            clock.advance(chrono::Duration::minutes(17));
        }
    }
    out(say(crate::msg!("demo-y-sealed-bids", y = y)));
    for it in &items {
        out(say(crate::msg!(
            "demo-y-sealed-bids-item",
            direction = it.direction,
            count = 2,
            winner = it.winner_name,
            rival = it.rival_name
        )));
    }

    clock.set(at(y, 3, 20, 17, 30)?);
    let mut verified = 0;
    for it in &items {
        verified += calls::open_bids(demo, c, it.call_id).await?.verified;
        calls::start_review(demo, c, it.call_id).await?;
    }
    out(say(crate::msg!(
        "demo-y-opened",
        y = y,
        verified = verified
    )));

    // The panels score; the builder-to-be a little better on every sheet.
    clock.set(at(y, 3, 22, 9, 0)?);
    for (k, it) in items.iter().enumerate() {
        let k = i64::try_from(k)?;
        let panel = panel::get(demo, c, it.call_id).await?;
        for (e, member) in panel.iter().enumerate() {
            let expert = cast
                .experts
                .get(&member.member.expert_id)
                .context("a drawn expert without an account")?;
            let e = i64::try_from(e)?;
            for (&bid, name) in &it.bidders {
                let (tech, team) = if *name == it.winner_name {
                    (8_400 + 150 * e + 120 * k, 8_000 + 100 * e)
                } else {
                    (7_600 + 150 * e, 7_800 + 100 * e - 90 * k)
                };
                bids::put_scores(
                    demo,
                    expert,
                    bid,
                    vec![points("技术方案", tech), points("团队与运营", team)],
                )
                .await
                .with_context(|| format!("{} scores a bid on {}", expert.username, it.direction))?;
            }
            clock.advance(chrono::Duration::minutes(11));
        }
    }

    clock.set(at(y, 3, 25, 10, 0)?);
    for it in &mut items {
        let ranking = award::ranking(demo, Some(c), it.call_id).await?;
        let ranked: Vec<String> = ranking
            .bids
            .iter()
            .filter(|b| b.rank.is_some())
            .map(|b| {
                format!(
                    "{} {}",
                    it.bidders.get(&b.bid_id).map_or("?", String::as_str),
                    b.total_display
                )
            })
            .collect();
        let top = ranking
            .bids
            .iter()
            .find(|b| b.rank == Some(1))
            .context("no bid ranked first")?;
        it.winning_bid = top.bid_id;
        let winner = it.bidders.get(&top.bid_id).cloned().unwrap_or_default();
        award::award(
            demo,
            c,
            it.call_id,
            &[top.bid_id],
            &format!("拟由{winner}揭榜挂帅，建设{}", it.direction),
        )
        .await
        .with_context(|| format!("award {}", it.direction))?;
        out(say(crate::msg!(
            "demo-y-ranking",
            y = y,
            direction = it.direction,
            ranking = ranked.join(" > "),
            winner = winner
        )));
    }

    // The losing bidder of the first call objects in writing during the notice; the commission
    // answers within the 3 days, not upheld: the public notice page shows both.
    if let Some(first) = items.first() {
        clock.set(at(y, 3, 27, 9, 30)?);
        let objection = award::object(
            demo,
            &first.rival,
            first.call_id,
            "我方认为技术方案评分未充分考虑我方已接入的重点企业数量，请复核评分。",
            "示例联系人 023-6000 0000",
        )
        .await
        .with_context(|| format!("{} objects to the notice", first.rival_name))?;
        clock.set(at(y, 3, 28, 15, 0)?);
        award::answer(
            demo,
            c,
            objection.objection.id,
            false,
            "经复核，各位专家已按评分细则就接入企业数量评分，去掉最高分和最低分后的平均分无误，异议不成立。",
        )
        .await
        .context("the commission answers the objection")?;
        out(say(crate::msg!(
            "demo-y-objection",
            y = y,
            direction = first.direction,
            rival = first.rival_name
        )));
    }

    clock.set(at(y, 4, 2, 10, 0)?);
    for it in &items {
        award::finalize(demo, c, it.call_id).await?;
    }
    let page = projects::list(
        demo,
        Some(c),
        ProjectQuery {
            year: Some(y),
            limit: Some(projects::MAX_PAGE),
            ..Default::default()
        },
    )
    .await?;
    for it in &mut items {
        it.project_id = page
            .items
            .iter()
            .find(|p| p.project.call_id == it.call_id)
            .map(|p| p.project.id)
            .with_context(|| format!("no project for {}", it.direction))?;
    }
    out(say(crate::msg!(
        "demo-y-awards-final",
        y = y,
        count = items.len()
    )));

    agreements(demo, clock, c, &items, y, out).await?;
    construction(demo, clock, &items, y, out).await?;
    acceptances(demo, clock, &cast, &mut items, y, out).await?;
    evaluation(demo, clock, &cast, &items, y + 2, out).await?;
    register(demo, out).await
}

/// The demo organisation with this serial's credit code, created the first time.
async fn ensure_org(
    demo: &AppState,
    commission: &Caller,
    orgs: &mut HashMap<String, i32>,
    name: &str,
    serial: usize,
    district: &str,
) -> anyhow::Result<i32> {
    let uscc = Uscc::with_check(&format!("91500000MA{:07}", 90_000 + serial))
        .context("a demo credit code")?;
    if let Some(id) = orgs.get(&uscc) {
        return Ok(*id);
    }
    let o = organisations::create(
        demo,
        commission,
        NewOrganisation {
            name: name.to_owned(),
            uscc: uscc.clone(),
            district_code: district.to_owned(),
            // Invented figure: 2,000 万元 registered capital.
            registered_capital: Some(money(200_000)?),
            kind: None,
        },
    )
    .await
    .with_context(|| format!("create {name}"))?;
    orgs.insert(uscc, o.id);
    Ok(o.id)
}

/// Accounts and organisations: the bidders, the experts, the evaluation body and its evaluator,
/// and the list's items with their people.
async fn cast(
    demo: &AppState,
    commission: &Caller,
    list: &PublishedList,
) -> anyhow::Result<(Cast, Vec<Item>)> {
    let mut orgs: HashMap<String, i32> =
        organisations::list(demo, commission, crate::app::paging::PageArgs::ALL)
            .await?
            .items
            .into_iter()
            .map(|o| (o.uscc, o.id))
            .collect();
    let n = list.items.len().min(WINNERS.len());
    let mut wanted = Vec::new();
    for (k, item) in list.items.iter().take(n).enumerate() {
        for (serial, name) in [(2 * k + 1, WINNERS[k]), (2 * k + 2, RIVALS[k])] {
            let org = ensure_org(
                demo,
                commission,
                &mut orgs,
                name,
                serial,
                &item.district_code,
            )
            .await?;
            wanted.push(NewAccount {
                username: format!("demo-bidder-{serial:02}"),
                password: String::new(),
                role: Role::Applicant,
                district_code: None,
                organisation_id: Some(org),
            });
        }
        wanted.push(NewAccount {
            username: format!("demo-officer-{}", item.district_code.to_lowercase()),
            password: String::new(),
            role: Role::District,
            district_code: Some(item.district_code.clone()),
            organisation_id: None,
        });
    }
    let body = ensure_org(demo, commission, &mut orgs, EVALUATION_BODY, 99, "500105").await?;
    wanted.push(NewAccount {
        username: EVALUATOR.to_owned(),
        password: String::new(),
        role: Role::Evaluator,
        district_code: None,
        organisation_id: Some(body),
    });
    for e in 1..=EXPERTS {
        wanted.push(NewAccount {
            username: format!("demo-expert-{e}"),
            password: String::new(),
            role: Role::Expert,
            district_code: None,
            organisation_id: None,
        });
    }
    let accounts: HashMap<String, Caller> =
        users::ensure_with_shared_password(demo, DEMO_PASSWORD, wanted)
            .await?
            .iter()
            .map(|a| (a.username.clone(), caller_of(a)))
            .collect();
    let account = |name: &str| {
        accounts
            .get(name)
            .cloned()
            .with_context(|| format!("demo account {name}"))
    };
    // Every expert of the pool may be drawn: each acts as itself.
    let experts = users::list(
        demo,
        commission,
        Some(Role::Expert),
        crate::app::paging::PageArgs::ALL,
    )
    .await?
    .items
    .iter()
    .map(|a| (a.id, caller_of(a)))
    .collect();
    let names = crate::app::public::names(demo).await?;
    let mut items = Vec::with_capacity(n);
    for (k, item) in list.items.iter().take(n).enumerate() {
        items.push(Item {
            direction: item.direction.clone(),
            district: item.district_code.clone(),
            district_name: names.district(&item.district_code),
            list_item_id: item.id,
            winner: account(&format!("demo-bidder-{:02}", 2 * k + 1))?,
            winner_name: WINNERS[k].to_owned(),
            rival: account(&format!("demo-bidder-{:02}", 2 * k + 2))?,
            rival_name: RIVALS[k].to_owned(),
            officer: account(&format!(
                "demo-officer-{}",
                item.district_code.to_lowercase()
            ))?,
            call_id: 0,
            bidders: HashMap::new(),
            winning_bid: 0,
            project_id: 0,
            acceptance_id: 0,
            plaque: String::new(),
        });
    }
    Ok((
        Cast {
            commission: commission.clone(),
            experts,
            evaluator: account(EVALUATOR)?,
        },
        items,
    ))
}

/// The commission completes each draft 任务书 from the bid and the proposal's plan; the three
/// parties confirm it on three days.
async fn agreements(
    demo: &AppState,
    clock: &ManualClock,
    c: &Caller,
    items: &[Item],
    y: i32,
    out: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    clock.set(at(y, 4, 8, 10, 0)?);
    let mut drafted = Vec::with_capacity(items.len());
    for it in items {
        let draft = projects::agreements(demo, Some(c), it.project_id)
            .await?
            .into_iter()
            .next()
            .context("no draft agreement")?;
        let mut content: AgreementContent = draft.content.clone();
        content.targets.truncate(3);
        if content.targets.is_empty() {
            content.targets.push(Target {
                key: "K1".into(),
                name: "接入规上企业数".into(),
                unit: "家".into(),
                baseline: quantity(0)?,
                target: quantity(10_000)?,
                mandatory: true,
            });
        }
        content.completion_date = day(y, 12, 31)?;
        let a = projects::edit_agreement(
            demo,
            c,
            draft.id,
            &IfMatch(Some(agreement_etag(&draft))),
            content,
        )
        .await
        .with_context(|| format!("complete the agreement of {}", it.direction))?;
        drafted.push(a);
    }
    for (d, party) in [(9, "commission"), (10, "builder"), (11, "district")] {
        clock.set(at(y, 4, d, 10, 0)?);
        for (it, a) in items.iter().zip(drafted.iter_mut()) {
            let who = match party {
                "commission" => c,
                "builder" => &it.winner,
                _ => &it.officer,
            };
            *a = projects::confirm_agreement(demo, who, a.id, &IfMatch(Some(agreement_etag(a))))
                .await
                .with_context(|| {
                    format!("the {party} confirms the agreement of {}", it.direction)
                })?;
        }
    }
    for (it, a) in items.iter().zip(&drafted) {
        let indicators: Vec<String> = a
            .content
            .targets
            .iter()
            .map(|t| format!("{} {}{}", t.name, t.target, t.unit))
            .collect();
        out(say(crate::msg!(
            "demo-y-agreement",
            y = y,
            direction = it.direction,
            builder = it.winner_name,
            district = it.district_name,
            district_code = it.district,
            indicators = indicators.join("、"),
            budget = a.content.total().map(|m| m.to_string()).unwrap_or_default(),
            completion = a.content.completion_date
        )));
    }
    out(say(crate::msg!(
        "demo-y-in-construction",
        y = y,
        count = items.len()
    )));
    Ok(())
}

/// Two quarterly reports, a supervision visit each (one with a warning and a follow-up, closed),
/// and completion.
async fn construction(
    demo: &AppState,
    clock: &ManualClock,
    items: &[Item],
    y: i32,
    out: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let report =
        |a: &AgreementContent, m1: MilestoneStatus, share: i64| -> anyhow::Result<ReportContent> {
            Ok(ReportContent {
                milestones: a
                    .milestones
                    .iter()
                    .enumerate()
                    .map(|(i, m)| MilestoneProgress {
                        key: m.key.clone(),
                        status: if i == 0 {
                            m1
                        } else {
                            MilestoneStatus::Scheduled
                        },
                        note: String::new(),
                    })
                    .collect(),
                spend: a
                    .budget
                    .iter()
                    .take(1)
                    .map(|b| {
                        Ok(crate::domain::project::BudgetLine {
                            source: b.source.clone(),
                            amount: money(b.amount.hundredths() * share / 100)?,
                        })
                    })
                    .collect::<anyhow::Result<_>>()?,
                targets: a
                    .targets
                    .iter()
                    .map(|t| {
                        Ok(TargetProgress {
                            key: t.key.clone(),
                            value: quantity(t.target.hundredths() * share / 100)?,
                        })
                    })
                    .collect::<anyhow::Result<_>>()?,
                risks: "数据接入进度需持续跟踪".into(),
            })
        };
    for (when, period, m1, share) in [
        (
            at(y, 7, 8, 10, 0)?,
            format!("{y}Q2"),
            MilestoneStatus::Scheduled,
            30,
        ),
        (
            at(y, 10, 9, 10, 0)?,
            format!("{y}Q3"),
            MilestoneStatus::Met,
            70,
        ),
    ] {
        clock.set(when);
        for it in items {
            let view = projects::get(demo, Some(&it.winner), it.project_id).await?;
            let a = view.agreement.context("no signed agreement")?;
            projects::file_report(
                demo,
                &it.winner,
                it.project_id,
                &period,
                report(&a.content, m1, share)?,
            )
            .await
            .with_context(|| format!("{} reports {period}", it.winner_name))?;
        }
        out(say(crate::msg!(
            "demo-y-progress",
            day = when.with_timezone(&beijing()?).date_naive(),
            period = period,
            count = items.len()
        )));
        if period.ends_with("Q2") {
            // The districts supervise in September; the last brain's gets a warning.
            clock.set(at(y, 9, 18, 10, 0)?);
            let last = items.len().saturating_sub(1);
            let mut follow_ups = Vec::new();
            for (k, it) in items.iter().enumerate() {
                let weak = k == last;
                let s = projects::supervise(
                    demo,
                    &it.officer,
                    it.project_id,
                    NewVisit {
                        visited_on: day(y, 9, 18)?,
                        method: SupervisionMethod::OnSite,
                        findings: if weak {
                            "平台一期上线推迟，运营团队尚未组建".into()
                        } else {
                            "平台一期按计划建设，数据接入进展顺利".into()
                        },
                        rating: if weak {
                            SupervisionRating::Fair
                        } else {
                            SupervisionRating::Good
                        },
                        warning: weak.then(|| "运营团队尚未组建，自我造血能力不足".to_owned()),
                        follow_ups: if weak {
                            vec![("报送运营团队组建方案".to_owned(), day(y, 10, 31)?)]
                        } else {
                            Vec::new()
                        },
                    },
                )
                .await
                .with_context(|| format!("supervise {}", it.direction))?;
                out(say(match s.warning.as_deref() {
                    None => crate::msg!(
                        "demo-y-supervision",
                        y = y,
                        direction = it.direction,
                        district = it.district_name,
                        district_code = it.district,
                        rating = s.rating
                    ),
                    Some(w) => crate::msg!(
                        "demo-y-supervision-warning",
                        y = y,
                        direction = it.direction,
                        district = it.district_name,
                        district_code = it.district,
                        rating = s.rating,
                        warning = w
                    ),
                }));
                follow_ups.extend(s.follow_ups.into_iter().map(|f| (it, f)));
            }
            clock.set(at(y, 10, 8, 10, 0)?);
            for (it, f) in follow_ups.drain(..) {
                projects::close_follow_up(demo, &it.officer, f.id, "运营团队组建方案已报送")
                    .await?;
                out(say(crate::msg!(
                    "demo-y-follow-up",
                    y = y,
                    direction = it.direction,
                    action = f.action,
                    due = f.due_on
                )));
            }
        }
    }
    clock.set(at(y, 12, 28, 16, 0)?);
    for it in items {
        let view = projects::get(demo, Some(&it.winner), it.project_id).await?;
        projects::declare_completion(
            demo,
            &it.winner,
            it.project_id,
            &IfMatch(Some(project_etag(&view.project))),
            day(y, 12, 28)?,
        )
        .await
        .with_context(|| format!("{} declares completion", it.winner_name))?;
    }
    out(say(crate::msg!(
        "demo-y-built",
        y = y,
        count = items.len(),
        due = crate::domain::project::acceptance_request_due(day(y, 12, 28)?)
            .map(|d| d.to_string())
            .unwrap_or_default()
    )));
    Ok(())
}

/// Requests within the month; acceptances with a drawn panel and the evaluator; plaques.
async fn acceptances(
    demo: &AppState,
    clock: &ManualClock,
    cast: &Cast,
    items: &mut [Item],
    y: i32,
    out: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let c = &cast.commission;
    let next = y + 1;
    clock.set(at(next, 1, 8, 10, 0)?);
    for it in items.iter() {
        let view = projects::get(demo, Some(&it.winner), it.project_id).await?;
        projects::request_acceptance(
            demo,
            &it.winner,
            it.project_id,
            &IfMatch(Some(project_etag(&view.project))),
            &format!("{}已于{y}年12月28日建成，特书面提请验收。", it.direction),
        )
        .await
        .with_context(|| format!("{} requests acceptance", it.winner_name))?;
    }
    out(say(crate::msg!(
        "demo-y-acceptance-requested",
        y = next,
        count = items.len()
    )));
    clock.set(at(next, 1, 12, 10, 0)?);
    for (k, it) in items.iter_mut().enumerate() {
        let seed = u64::try_from(next)? * 100 + k as u64;
        let a = acceptance::start(
            demo,
            c,
            it.project_id,
            Start {
                rubric: None,
                experts: Vec::new(),
                draw: Some((3, Some(seed))),
                evaluator_id: cast.evaluator.id,
            },
        )
        .await
        .with_context(|| format!("start the acceptance of {}", it.direction))?;
        it.acceptance_id = a.acceptance.id;
        let names: Vec<String> = a
            .panel
            .iter()
            .map(|p| {
                p.username
                    .clone()
                    .unwrap_or_else(|| p.member.expert_id.to_string())
            })
            .collect();
        out(say(crate::msg!(
            "demo-y-acceptance-panel",
            y = next,
            direction = it.direction,
            seed = seed,
            names = names.join(", "),
            evaluator = EVALUATOR
        )));
    }
    clock.set(at(next, 1, 16, 10, 0)?);
    for (k, it) in items.iter().enumerate() {
        let a = acceptance::get(demo, c, it.acceptance_id).await?;
        for (e, seat) in a.panel.iter().enumerate() {
            let expert = cast
                .experts
                .get(&seat.member.expert_id)
                .context("a drawn expert without an account")?;
            let p = 7_800 + 300 * i64::try_from(e)? + 150 * i64::try_from(k)?;
            acceptance::put_scores(
                demo,
                expert,
                it.acceptance_id,
                vec![
                    points("建设目标完成情况", p),
                    points("技术与数据能力", p + 200),
                    points("运行与服务成效", p - 200),
                ],
            )
            .await
            .with_context(|| {
                format!(
                    "{} scores the acceptance of {}",
                    expert.username, it.direction
                )
            })?;
        }
        let view = projects::get(demo, Some(c), it.project_id).await?;
        let agreement = view.agreement.context("no signed agreement")?;
        let measurements = agreement
            .content
            .targets
            .iter()
            .map(|t| {
                let h = t.target.hundredths();
                Ok(Measurement {
                    key: t.key.clone(),
                    measured: quantity(h + h / 10)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        acceptance::file_report(
            demo,
            &cast.evaluator,
            it.acceptance_id,
            AcceptanceReport {
                measurements,
                evidence: vec![Evidence {
                    name: format!("{}第三方评估报告.pdf", it.direction),
                    sha256: DOC_SHA256.to_owned(),
                }],
                summary: "逐项核验任务书考核指标，均已达到目标值。".into(),
            },
        )
        .await
        .with_context(|| format!("the evaluator reports on {}", it.direction))?;
    }
    out(say(crate::msg!("demo-y-acceptance-scored", y = next)));
    clock.set(at(next, 1, 20, 10, 0)?);
    for it in items.iter_mut() {
        let done = acceptance::conclude(
            demo,
            c,
            it.acceptance_id,
            Outcome::Accepted,
            "经专家组评审和第三方评估，考核指标全部达到，同意通过验收。",
        )
        .await
        .with_context(|| format!("conclude the acceptance of {}", it.direction))?;
        let plaque = done.plaque.context("accepted without a plaque")?;
        it.plaque = plaque.plaque.number.clone();
        let score = done
            .acceptance
            .acceptance
            .conclusion
            .as_ref()
            .and_then(|x| x.panel_score)
            .map(hundredths_text)
            .unwrap_or_default();
        out(say(crate::msg!(
            "demo-y-accepted",
            y = next,
            direction = it.direction,
            score = score,
            plaque = it.plaque
        )));
    }
    Ok(())
}

/// The first annual evaluation, a year after the plaques: the last brain is graded 不合格 and
/// goes under rectification; its builder files a plan.
async fn evaluation(
    demo: &AppState,
    clock: &ManualClock,
    cast: &Cast,
    items: &[Item],
    y: i32,
    out: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let c = &cast.commission;
    clock.set(at(y, 1, 20, 10, 0)?);
    for it in items {
        brains::engage_evaluator(demo, c, &it.plaque, cast.evaluator.id).await?;
    }
    out(say(crate::msg!(
        "demo-y-evaluator-engaged",
        y = y,
        evaluator = EVALUATOR,
        count = items.len()
    )));
    clock.set(at(y, 2, 10, 10, 0)?);
    let last = items.len().saturating_sub(1);
    let mut filed = Vec::with_capacity(items.len());
    for (k, it) in items.iter().enumerate() {
        let base = if k == last {
            5_400
        } else {
            [9_200, 8_400, 7_600, 8_800][k % 4]
        };
        let parts = EvaluationParts {
            operation: base + 200,
            data_integration: base,
            users_served: base + 100,
            revenue: base - 400,
            kpi_attainment: base + 100,
        };
        let e = brains::file_evaluation(
            demo,
            &cast.evaluator,
            &it.plaque,
            parts,
            "年度常态化评价：运行情况、数据汇聚、服务企业、自我造血与指标完成情况。",
        )
        .await
        .with_context(|| format!("evaluate {}", it.plaque))?;
        filed.push(e);
    }
    out(say(crate::msg!(
        "demo-y-evaluations-filed",
        y = y,
        count = filed.len()
    )));
    clock.set(at(y, 2, 15, 10, 0)?);
    for (it, e) in items.iter().zip(&filed) {
        let done = brains::confirm_evaluation(demo, c, e.id).await?;
        out(say(match done.brain.plaque.rectify_until {
            None => crate::msg!(
                "demo-y-evaluation",
                y = y,
                plaque = it.plaque,
                direction = it.direction,
                score = hundredths_text(e.score),
                grade = e.grade
            ),
            Some(until) => crate::msg!(
                "demo-y-evaluation-rectify",
                y = y,
                plaque = it.plaque,
                direction = it.direction,
                score = hundredths_text(e.score),
                grade = e.grade,
                until = until
            ),
        }));
    }
    clock.set(at(y, 2, 25, 10, 0)?);
    for (it, e) in items.iter().zip(&filed) {
        if e.grade == crate::domain::project::Grade::Fail {
            brains::file_plan(
                demo,
                &it.winner,
                e.id,
                "三个月内补齐数据接入、组建专职运营团队并上线付费服务，整改完成后申请复评。",
            )
            .await?;
            out(say(crate::msg!(
                "demo-y-rectification-plan",
                y = y,
                plaque = it.plaque,
                builder = it.winner_name
            )));
        }
    }
    Ok(())
}

/// The public register as anyone reads it (`GET /api/v1/brains`).
async fn register(demo: &AppState, out: &mut dyn FnMut(String)) -> anyhow::Result<()> {
    out(String::new());
    out(say(crate::msg!("demo-y-register")));
    let names = crate::app::public::names(demo).await?;
    let mut after = None;
    loop {
        let page = brains::list(
            demo,
            None,
            BrainQuery {
                after,
                limit: Some(projects::MAX_PAGE),
                ..Default::default()
            },
        )
        .await?;
        for b in &page.items {
            let p = &b.plaque;
            let evaluations: Vec<String> = b
                .evaluations
                .iter()
                .map(|e| {
                    say(crate::msg!(
                        "demo-y-register-evaluation",
                        year = e.year,
                        attempt = e.attempt,
                        score = hundredths_text(e.score),
                        grade = e.grade
                    ))
                })
                .collect();
            let evaluations = if evaluations.is_empty() {
                say(crate::msg!("demo-y-register-no-evaluation"))
            } else {
                evaluations.join(", ")
            };
            let district = names.district(&p.district_code);
            out(say(match p.rectify_until {
                None => crate::msg!(
                    "demo-y-register-line",
                    number = p.number,
                    brain = p.brain_name,
                    builder = b.builder,
                    district = district,
                    district_code = p.district_code,
                    issued = p.issued_on,
                    status = p.status,
                    evaluations = evaluations
                ),
                Some(until) => crate::msg!(
                    "demo-y-register-line-until",
                    number = p.number,
                    brain = p.brain_name,
                    builder = b.builder,
                    district = district,
                    district_code = p.district_code,
                    issued = p.issued_on,
                    status = p.status,
                    until = until,
                    evaluations = evaluations
                ),
            }));
        }
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    Ok(())
}

/// A line of the demo in the language it runs in (`demo_run::play_in` sets it).
fn say(m: crate::i18n::Msg) -> String {
    crate::i18n::Render::render(&m, crate::i18n::current())
}

fn beijing() -> anyhow::Result<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).context("UTC+8")
}
