//! `jiebang demo`: from an empty database to a published list of five, printed with its reasons,
//! and on through the years after it (`demo_year`): calls, awards, construction, acceptance,
//! plaques, the first annual evaluation and a rectification, ending with the public register.

use crate::i18n::{s, t, tr, Lang};
use crate::routes::views::pages::reason_text;
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
pub async fn run(settings: Settings, year: i32, lang: Lang) -> anyhow::Result<()> {
    let state = web::Data::new(AppState::prepare(settings, Arc::new(SystemClock)).await?);
    crate::i18n::scope(
        lang,
        play_in(&state, year, lang, &mut |line| println!("{line}")),
    )
    .await
}

/// The language of the demo's output: `--lang` if given, else the locale (`LC_ALL`, then
/// `LANG`: `zh_CN.UTF-8` → zh-CN, `en_GB.UTF-8` → English), else zh-CN (also for `C`/`POSIX`).
pub fn demo_lang(arg: Option<Lang>) -> Lang {
    arg.or_else(|| {
        ["LC_ALL", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::from_param(&v))
    })
    .unwrap_or(Lang::Zh)
}

/// The whole demo on `state`'s database: loads the demo data into the `year` round, publishes
/// the list, and follows it through the next two years on a clock of its own, a line per stage
/// through `out`.
///
/// # Errors
/// A database that already holds the round's proposals, or any failure on the way.
pub async fn play(state: &AppState, year: i32, out: &mut dyn FnMut(String)) -> anyhow::Result<()> {
    play_in(state, year, Lang::En, out).await
}

/// [`play`] with the whole output in `lang`, from the catalogues: the load, the list with
/// district and cluster names beside their codes, the left-out reasons, the weight ranges, and
/// the years after it.
///
/// # Errors
/// As [`play`].
pub async fn play_in(
    state: &AppState,
    year: i32,
    lang: Lang,
    out: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let report = demo_load::load(state, year).await?;
    out(tr(
        lang,
        "demo-loaded",
        &[
            ("count", s(report.proposals.to_string())),
            ("year", s(year.to_string())),
            ("organisations", s(report.organisations.to_string())),
            ("accounts", s(report.accounts.to_string())),
            ("password", s(format!("{:?}", demo_load::DEMO_PASSWORD))),
        ],
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
    out(tr(
        lang,
        "demo-list-title",
        &[
            ("year", s(year.to_string())),
            ("version", s(list.version.to_string())),
            ("run", s(run.id.to_string())),
        ],
    ));
    out(tr(
        lang,
        "demo-solver",
        &[
            ("solver", s(run.solver.clone())),
            ("version", s(run.solver_version.clone())),
        ],
    ));
    out(tr(
        lang,
        "demo-inputs",
        &[("hash", s(run.inputs_hash.clone()))],
    ));
    out(tr(
        lang,
        "demo-weights",
        &[
            ("c", s(run.weights.completeness.to_string())),
            ("r", s(run.weights.representativeness.to_string())),
            ("l", s(run.weights.layout.to_string())),
            ("objective", s(points(run.objective))),
        ],
    ));
    out(tr(
        lang,
        "demo-tie-rule",
        &[(
            "rule",
            // The rule the optimiser applies, in the catalogue's words; a run stored under
            // another rule shows the rule it recorded.
            s(if run.tie_rule == crate::domain::selection::TIE_RULE {
                t(lang, "selection-tie-rule")
            } else {
                run.tie_rule.clone()
            }),
        )],
    ));
    out(String::new());
    // Names beside codes, as the public pages show them.
    let names = crate::app::public::names(state).await?;
    for (item, chosen) in list.items.iter().zip(&run.chosen) {
        out(tr(
            lang,
            "demo-item",
            &[
                ("rank", s(format!("{:>2}", item.rank))),
                ("direction", s(item.direction.clone())),
                ("district", s(names.district(&item.district_code))),
                ("district_code", s(item.district_code.clone())),
                ("cluster", s(names.cluster(item.cluster_code.as_deref()))),
                (
                    "cluster_code",
                    s(item.cluster_code.clone().unwrap_or_else(|| "-".into())),
                ),
                ("total", s(points(item.total))),
                (
                    "completeness",
                    s(hundredths(chosen.card.completeness.total)),
                ),
                (
                    "representativeness",
                    s(hundredths(chosen.card.representativeness.total)),
                ),
                ("layout", s(hundredths(chosen.card.layout.total))),
            ],
        ));
        if lang == Lang::En {
            out(format!("    {}", chosen.message));
        }
    }
    out(String::new());
    out(t(lang, "demo-left-out"));
    for l in run.explanation.left_out.iter().take(12) {
        let why = if lang == Lang::En {
            l.message.clone()
        } else {
            reason_text(lang, &l.reason)
        };
        out(tr(
            lang,
            "demo-left-out-line",
            &[
                ("id", s(l.id.to_string())),
                ("total", s(points(l.total))),
                ("why", s(why)),
            ],
        ));
    }
    out(String::new());
    out(t(lang, "demo-weight-ranges"));
    for w in &run.explanation.weight_intervals {
        let line = if lang == Lang::En {
            w.message.clone()
        } else {
            tr(
                lang,
                "weight-range",
                &[
                    (
                        "name",
                        s(t(lang, &format!("criterion-{}", w.weight.as_str()))),
                    ),
                    ("low", w.low.into()),
                    ("high", w.high.into()),
                    ("current", w.current.into()),
                ],
            )
        };
        out(format!("  {line}"));
    }
    // The years after the list, in the same language (their lines read it from the scope).
    crate::i18n::scope(lang, demo_year::follow(state, &clock, &caller, &list, out)).await
}

fn hundredths(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}
