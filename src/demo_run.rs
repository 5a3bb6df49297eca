//! `jiebang demo`: from an empty database to a published list of five, printed with its reasons,
//! and on through the years after it (`demo_year`): calls, awards, construction, acceptance,
//! plaques, the first annual evaluation and a rectification, ending with the public register.

use std::sync::Arc;

use actix_web::web;
use anyhow::Context;

use crate::app::lists::{publish, Publish};
use crate::app::selection::{run as run_selection, Request};
use crate::auth::Caller;
use crate::clock::{ManualClock, SystemClock};
use crate::domain::role::Role;
use crate::domain::selection_run::points;
use crate::settings::Settings;
use crate::state::AppState;
use crate::{demo_load, demo_year, store};

/// Runs the whole demo and prints it.
///
/// # Errors
/// A database that already holds the round's proposals, or any failure on the way.
pub async fn run(settings: Settings, year: i32) -> anyhow::Result<()> {
    let state = web::Data::new(AppState::prepare(settings, Arc::new(SystemClock)).await?);
    play(&state, year, &mut |line| println!("{line}")).await
}

/// The whole demo on `state`'s database: loads the demo data into the `year` round, publishes
/// the list, and follows it through the next two years on a clock of its own, a line per stage
/// through `out`.
///
/// # Errors
/// A database that already holds the round's proposals, or any failure on the way.
pub async fn play(state: &AppState, year: i32, out: &mut dyn FnMut(String)) -> anyhow::Result<()> {
    let report = demo_load::load(state, year).await?;
    out(format!(
        "Loaded {} demo proposals into the {year} round ({} organisations, {} accounts, password {:?}).",
        report.proposals,
        report.organisations,
        report.accounts,
        demo_load::DEMO_PASSWORD
    ));
    // From here the demo's own clock: the list on 5 March, then the years after it.
    let clock = ManualClock::new(demo_year::at(year, 3, 5, 10, 0)?);
    let state = &state.with_clock(Arc::new(clock.clone()));
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
        account: None,
    };
    let run = run_selection(state, &caller, year, Request::default()).await?;
    let list = publish(
        state,
        &caller,
        year,
        Publish {
            selection_id: run.id,
            note: format!("{year}年行业大脑建设榜单（示例数据）"),
            correction_reason: None,
        },
    )
    .await?;
    out(String::new());
    out(format!(
        "{year} 行业大脑建设榜单, version {} — from selection #{} ",
        list.version, run.id
    ));
    out(format!("  solver: {} ({})", run.solver, run.solver_version));
    out(format!("  inputs sha256: {}", run.inputs_hash));
    out(format!(
        "  weights: completeness {} / representativeness {} / layout {}; objective {} points",
        run.weights.completeness,
        run.weights.representativeness,
        run.weights.layout,
        points(run.objective)
    ));
    out(format!("  tie rule: {}", run.tie_rule));
    out(String::new());
    // Names beside codes, as the public pages show them.
    let names = crate::app::public::names(state).await?;
    for (item, chosen) in list.items.iter().zip(&run.chosen) {
        out(format!(
            "{:>2}. {} — district {} {}, cluster {} {}, total {} (completeness {}, representativeness {}, layout {})",
            item.rank,
            item.direction,
            names.district(&item.district_code),
            item.district_code,
            names.cluster(item.cluster_code.as_deref()),
            item.cluster_code.as_deref().unwrap_or("-"),
            points(item.total),
            hundredths(chosen.card.completeness.total),
            hundredths(chosen.card.representativeness.total),
            hundredths(chosen.card.layout.total),
        ));
        out(format!("    {}", chosen.message));
    }
    out(String::new());
    out("Left out, strongest first:".into());
    for l in run.explanation.left_out.iter().take(12) {
        out(format!("  P-{} ({}): {}", l.id, points(l.total), l.message));
    }
    out(String::new());
    out("How far each weight can move before the list changes:".into());
    for w in &run.explanation.weight_intervals {
        out(format!("  {}", w.message));
    }
    demo_year::follow(state, &clock, &caller, &list, out).await
}

fn hundredths(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}
