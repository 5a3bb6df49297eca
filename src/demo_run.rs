//! `jiebang demo`: from an empty database to a published list of five, printed with its reasons,
//! then the calls on its items some months on (`demo_calls`), on the demo's own clock: the list
//! is published two weeks after the intake deadline.

use std::sync::Arc;

use actix_web::web;
use anyhow::Context;
use chrono::Duration;

use crate::app::lists::PublishedList;
use crate::app::lists::{publish, Publish};
use crate::app::selection::{run as run_selection, Request, Run};
use crate::auth::Caller;
use crate::clock::{ManualClock, SystemClock};
use crate::demo_calls::CallsReport;
use crate::domain::role::Role;
use crate::domain::selection_run::points;
use crate::settings::Settings;
use crate::state::AppState;
use crate::{demo_load, store};

/// What the demo built.
pub struct Built {
    pub load: demo_load::DemoReport,
    pub run: Run,
    pub list: PublishedList,
    pub calls: CallsReport,
}

/// Loads the demo round into `state`, runs the selection, publishes the list and takes its
/// calls on (`demo_calls`), on the demo's own clock.
///
/// # Errors
/// A database that already holds the round's proposals, or any failure on the way.
pub async fn build(state: &AppState, year: i32) -> anyhow::Result<Built> {
    let load = demo_load::load(state, year).await?;
    let admin = store::users::list(&state.db, Some(Role::Commission))
        .await?
        .into_iter()
        .next()
        .context("no commission account")?;
    let caller = Caller {
        id: admin.id,
        username: admin.username,
        role: Role::Commission,
        district_code: None,
        organisation_id: None,
    };
    let deadline = store::rounds::by_year(&state.db, year)
        .await?
        .context("the demo round")?
        .intake_deadline;
    // The deadline is 23:59:59 Beijing time: the selection runs a fortnight later at 10:00.
    let clock = ManualClock::new(deadline + Duration::days(13) + Duration::seconds(36_001));
    let demo = demo_load::on_clock(state, &clock);
    let run = run_selection(&demo, &caller, year, Request::default()).await?;
    clock.advance(Duration::hours(2));
    let list = publish(
        &demo,
        &caller,
        year,
        Publish {
            selection_id: run.id,
            note: format!("{year}年行业大脑建设榜单（示例数据）"),
            correction_reason: None,
        },
    )
    .await?;
    let calls = crate::demo_calls::run(&demo, &clock, &caller, year).await?;
    Ok(Built {
        load,
        run,
        list,
        calls,
    })
}

/// Runs the whole demo and prints the list.
///
/// # Errors
/// A database that already holds the round's proposals, or any failure on the way.
pub async fn run(settings: Settings, year: i32) -> anyhow::Result<()> {
    let state = web::Data::new(AppState::prepare(settings, Arc::new(SystemClock)).await?);
    let Built {
        load: report,
        run,
        list,
        calls,
    } = build(&state, year).await?;
    println!(
        "Loaded {} demo proposals into the {year} round ({} organisations, {} accounts, password {:?}).",
        report.proposals,
        report.organisations,
        report.accounts,
        demo_load::DEMO_PASSWORD
    );
    println!();
    println!(
        "{year} 行业大脑建设榜单, version {} — from selection #{} ",
        list.version, run.id
    );
    println!("  solver: {} ({})", run.solver, run.solver_version);
    println!("  inputs sha256: {}", run.inputs_hash);
    println!(
        "  weights: completeness {} / representativeness {} / layout {}; objective {} points",
        run.weights.completeness,
        run.weights.representativeness,
        run.weights.layout,
        points(run.objective)
    );
    println!("  tie rule: {}", run.tie_rule);
    println!();
    for (item, chosen) in list.items.iter().zip(&run.chosen) {
        println!(
            "{:>2}. {} — district {}, cluster {}, total {} (completeness {}, representativeness {}, layout {})",
            item.rank,
            item.direction,
            item.district_code,
            item.cluster_code.as_deref().unwrap_or("-"),
            points(item.total),
            hundredths(chosen.card.completeness.total),
            hundredths(chosen.card.representativeness.total),
            hundredths(chosen.card.layout.total),
        );
        println!("    {}", chosen.message);
    }
    println!();
    println!("Left out, strongest first:");
    for l in run.explanation.left_out.iter().take(12) {
        println!("  P-{} ({}): {}", l.id, points(l.total), l.message);
    }
    println!();
    println!("How far each weight can move before the list changes:");
    for w in &run.explanation.weight_intervals {
        println!("  {}", w.message);
    }
    println!();
    println!(
        "Then the calls: {} announced, {} bids, {} awarded, {} task agreements signed, {} progress reports (the fifth call is still open; the fourth award in public notice).",
        calls.calls, calls.bids, calls.awarded, calls.signed, calls.reports
    );
    Ok(())
}

fn hundredths(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}
