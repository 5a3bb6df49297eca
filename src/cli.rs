//! The command line: `serve` (default), `migrate`, `openapi`, `user add`, `keys rotate`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

use crate::clock::SystemClock;
use crate::domain::role::Role;
use crate::settings::Settings;
use crate::startup::Application;
use crate::state::AppState;
use crate::{db, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "jiebang",
    version,
    about = "揭榜挂帅 competition service for Chongqing's industry brains"
)]
pub struct Cli {
    /// A TOML config file (default: ./jiebang.toml if present). Environment variables
    /// `JIEBANG__SECTION__KEY` override it.
    #[arg(long, global = true, env = "JIEBANG_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the OpenAPI document (regenerate the committed spec with
    /// `cargo run -- openapi > openapi/openapi.json`).
    Openapi,
    /// Accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Load the demo data set (about 40 proposals, invented names) into a round.
    DemoData {
        /// The round's year; the round must have no proposals yet.
        #[arg(long, default_value_t = 2024)]
        year: i32,
    },
    /// From an empty database to a published list and on through the years after it: load the
    /// demo data, run the selection, publish version 1 and print the list with its reasons; then
    /// calls, awards, construction, acceptance, plaques and an annual evaluation, ending with the
    /// public register.
    Demo {
        /// The round's year; the round must have no proposals yet (run the demo again with
        /// another year, or on a fresh database: the event log keeps every demo step, so a demo
        /// round is never emptied in place).
        #[arg(long, default_value_t = 2024)]
        year: i32,
        /// The language of the output: `zh-CN` or `en`. Without it the locale decides
        /// (`LC_ALL`, then `LANG`: `zh_*` → zh-CN, `en_*` → English); otherwise zh-CN.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<crate::i18n::Lang>,
    },
    /// The OCDS 1.1 export.
    Ocds {
        #[command(subcommand)]
        action: OcdsAction,
    },
    /// The token-signing keys in the key file.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// The event log's tamper evidence.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Benchmarks (not tests).
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchWhat {
    /// Time the selection (solve, and solve with explanation) on random pools.
    Selection {
        /// Pool sizes, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [50usize, 500, 5_000, 50_000])]
        sizes: Vec<usize>,
        /// Runs per size (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Time the whole selection path a panel uses (scores, selection run with explanation and
    /// stored run, runs listed, run read) on the demo round's pool copied to each size.
    SelectionPath {
        /// Eligible pool sizes, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [5_000usize, 50_000])]
        sizes: Vec<usize>,
    },
    /// Time the proposal list (first page, deep page, filtered, counts) with many proposals in
    /// a round.
    ProposalList {
        /// Proposals in the round.
        #[arg(long, default_value_t = 50_000)]
        proposals: usize,
        /// Calls timed per page (the median is printed).
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
    /// Time the OCDS export: the demo's year from a temporary SQLite database, then its
    /// processes copied to a larger year, built and compiled in memory.
    Ocds {
        /// How many copies of the demo year's processes to compile in memory.
        #[arg(long, default_value_t = 200)]
        copies: usize,
        /// Runs per measurement (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Time the change feed and the verifiable log on a generated log (a temporary SQLite
    /// database).
    Log {
        /// Events to generate.
        #[arg(long, default_value_t = 100_000)]
        events: u64,
    },
    /// Time webhook delivery to a receiver on 127.0.0.1: the events with their outbox rows,
    /// then the worker's passes until every delivery is made.
    Webhooks {
        /// Public events to generate (one delivery each).
        #[arg(long, default_value_t = 10_000)]
        events: u64,
        /// Deliveries claimed and sent concurrently at a time (`webhooks.batch`),
        /// comma-separated to compare.
        #[arg(long, value_delimiter = ',', default_values_t = [1u64, 32, 128])]
        batch: Vec<u64>,
        /// An empty database to use instead of a temporary SQLite file (e.g. a fresh
        /// PostgreSQL database).
        #[arg(long)]
        database_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OcdsAction {
    /// Write a year's `release-package.json` (every release) and `record-package.json` (every
    /// record, with its compiled release) from the configured database.
    Export {
        /// The round's year.
        #[arg(long)]
        year: i32,
        /// The directory to write to (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Make a new token key current. The previous key verifies only the tokens it signed, until
    /// they expire; keys retired more than a token lifetime ago are removed. Restart every
    /// instance afterwards so that they all sign with the new key.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Without `--server`: walk the event log's hash chain in the configured database and name
    /// the first row that does not verify (exit status 1 then). With `--server URL`: audit a
    /// running service from outside over HTTP: the signed tree head, its consistency with the
    /// head saved in `--saved FILE` (then replaced by the new one), and sampled inclusions.
    Verify {
        /// The service's base URL, e.g. http://127.0.0.1:8080 (plain HTTP).
        #[arg(long)]
        server: Option<String>,
        /// Where the last verified tree head is kept between runs.
        #[arg(long, requires = "server")]
        saved: Option<PathBuf>,
        /// The log's public key (base64) to insist on, instead of trusting the published one.
        #[arg(long, requires = "server")]
        key: Option<String>,
        /// Public events to check for inclusion.
        #[arg(long, default_value_t = 8, requires = "server")]
        samples: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply pending migrations.
    Up,
    /// Roll back the last migration (or `-n N`).
    Down {
        /// How many migrations to roll back, newest first.
        #[arg(short, default_value_t = 1)]
        n: u32,
    },
    /// List applied and pending migrations.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account. The password is read from `JIEBANG_NEW_PASSWORD` or the first line of stdin.
    Add {
        /// 3–64 characters: letters, digits, '.', '_' or '-'.
        username: String,
        /// One of: commission, district, applicant, expert, evaluator, platform.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The district or zone a `district` officer is bound to: a GB/T 2260 code such as
        /// 500105, or CQLJ (两江新区), CQGX (西部科学城重庆高新区), CQWS (万盛经开区).
        #[arg(long)]
        district: Option<String>,
        /// The organisation id an `applicant` account is bound to (see GET /api/v1/organisations).
        #[arg(long)]
        organisation: Option<i32>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse::<Role>().map_err(|_| {
        format!(
            "unknown role {s:?}; the roles are commission, district, applicant, expert, evaluator, platform"
        )
    })
}

/// `audit verify --server`: checks, reports, then saves the new head.
async fn audit_server(
    server: &str,
    saved: Option<&std::path::Path>,
    key: Option<&str>,
    samples: usize,
) -> anyhow::Result<()> {
    let old = match saved {
        Some(p) => crate::auditor::load(p)?,
        None => None,
    };
    let report = crate::auditor::check(server, old.as_ref(), key, samples).await?;
    println!(
        "tree head verifies: {} leaves, root {}, signed {}",
        report.head.tree_size, report.head.root_hash, report.head.timestamp
    );
    match report.consistent_with {
        Some(n) => println!("consistent with the saved head of {n} leaves"),
        None => println!("no saved head to compare with"),
    }
    println!(
        "{} sampled events verify as included: {:?}",
        report.included.len(),
        report.included
    );
    if let Some(p) = saved {
        crate::auditor::save(p, &report.head)?;
        println!("saved the new head to {}", p.display());
    }
    Ok(())
}

/// Runs the command line.
///
/// # Errors
/// Anything that stops the command; printed by `main`.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Some(Command::Openapi) => {
            let doc = crate::routes::openapi();
            println!("{}", serde_json::to_string_pretty(&doc)?);
            return Ok(());
        }
        Some(Command::Bench {
            what: BenchWhat::Selection { sizes, runs },
        }) => return crate::bench::selection(sizes, *runs),
        Some(Command::Bench {
            what: BenchWhat::SelectionPath { sizes },
        }) => return crate::bench::selection_path(sizes).await,
        Some(Command::Bench {
            what: BenchWhat::ProposalList { proposals, runs },
        }) => return crate::bench::proposal_list(*proposals, *runs).await,
        Some(Command::Bench {
            what: BenchWhat::Log { events },
        }) => return crate::bench::log(*events).await,
        Some(Command::Bench {
            what:
                BenchWhat::Webhooks {
                    events,
                    batch,
                    database_url,
                },
        }) => return crate::bench::webhooks(*events, batch, database_url.as_deref()).await,
        Some(Command::Bench {
            what: BenchWhat::Ocds { copies, runs },
        }) => return crate::bench::ocds(*copies, *runs).await,
        Some(Command::Audit {
            action:
                AuditAction::Verify {
                    server: Some(server),
                    saved,
                    key,
                    samples,
                },
        }) => return audit_server(server, saved.as_deref(), key.as_deref(), *samples).await,
        _ => {}
    }
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tracing::info!(addr = %settings.server.addr, database = %db::redact(&settings.database.url), "starting");
            let app = Application::build(settings).await?;
            tracing::info!(port = app.port(), "listening; Swagger UI at /swagger-ui/");
            app.run_until_stopped().await?;
            tracing::info!("stopped");
        }
        Command::Migrate { action } => {
            if matches!(action, MigrateAction::Up) {
                // A key an earlier version kept in the database moves into the key file before
                // the migration that deletes it, as at a start.
                let stored = db::stored_jwt_secret(&settings.database).await?;
                if stored.is_some() {
                    crate::keys::resolve(
                        &settings,
                        stored,
                        crate::clock::Clock::now(&SystemClock),
                    )?;
                }
            }
            let conn = db::connect_for_migrations(&settings.database).await?;
            match action {
                MigrateAction::Up => Migrator::up(&conn, None).await?,
                MigrateAction::Down { n } => Migrator::down(&conn, Some(n)).await?,
                MigrateAction::Status => {
                    for m in Migrator::get_applied_migrations(&conn).await? {
                        println!("applied  {}", m.name());
                    }
                    for m in Migrator::get_pending_migrations(&conn).await? {
                        println!("pending  {}", m.name());
                    }
                }
            }
        }
        Command::User {
            action:
                UserAction::Add {
                    username,
                    role,
                    district,
                    organisation,
                },
        } => {
            let password = match std::env::var("JIEBANG_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("reading the password from stdin")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let state = AppState::open(settings, Arc::new(SystemClock)).await?;
            // The same use case and the same checks as POST /users (roles, bindings, username,
            // password), as the system's act; refusals are sentences naming each field.
            let user = crate::app::users::create_by_system(
                &state,
                crate::app::users::NewAccount {
                    username,
                    password,
                    role,
                    district_code: district,
                    organisation_id: organisation,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("the account was not created: {}", e.sentence()))?;
            println!(
                "created user {} ({}) with id {}",
                user.username, user.role, user.id
            );
        }
        Command::DemoData { year } => {
            let state = AppState::prepare(settings, Arc::new(SystemClock)).await?;
            let report = crate::demo_load::load(&state, year).await?;
            println!(
                "loaded the {} demo: {} proposals ({:?}), {} organisations, {} accounts (password {:?})",
                report.year,
                report.proposals,
                report.by_status,
                report.organisations,
                report.accounts,
                crate::demo_load::DEMO_PASSWORD
            );
        }
        Command::Demo { year, lang } => {
            crate::demo_run::run(settings, year, crate::demo_run::demo_lang(lang)).await?;
        }
        Command::Ocds {
            action: OcdsAction::Export { year, out },
        } => {
            let state = AppState::open(settings, Arc::new(SystemClock)).await?;
            let (releases, records) = crate::app::ocds::export(&state, year)
                .await
                .map_err(|e| anyhow::anyhow!("the export failed: {}", e.sentence()))?;
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for (name, doc, key) in [
                ("release-package.json", &releases, "releases"),
                ("record-package.json", &records, "records"),
            ] {
                let path = out.join(name);
                std::fs::write(&path, serde_json::to_vec_pretty(doc)?)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!(
                    "wrote {} ({} {key})",
                    path.display(),
                    doc[key].as_array().map_or(0, Vec::len)
                );
            }
        }
        Command::Keys {
            action: KeysAction::Rotate,
        } => {
            let r = crate::keys::rotate(&settings, crate::clock::Clock::now(&SystemClock))?;
            println!(
                "key file {}: key {} now signs tokens",
                r.file.display(),
                r.new_kid
            );
            if let Some(old) = r.retired_kid {
                println!(
                    "key {old} is retired: it verifies the tokens it signed until they expire"
                );
            }
            if r.removed > 0 {
                println!("removed {} key(s) whose tokens have all expired", r.removed);
            }
            println!("restart every instance so that they sign with the new key");
        }
        Command::Audit {
            action: AuditAction::Verify { .. },
        } => {
            let conn = db::connect(&settings.database).await?;
            let report = crate::app::audit::verify(&conn).await?;
            match &report.first_bad {
                None => println!(
                    "the event log verifies: {} events, head {} {}",
                    report.verified, report.head_seq, report.head_hash
                ),
                Some(bad) => anyhow::bail!(
                    "the event log does not verify at row {}: {} ({} rows before it verify)",
                    bad.seq,
                    bad.problem,
                    report.verified
                ),
            }
        }
        Command::Openapi | Command::Bench { .. } => {}
    }
    Ok(())
}

/// `--lang zh-CN|en` (also `zh`, `zh-Hans`, `en-GB` …).
fn parse_lang(s: &str) -> Result<crate::i18n::Lang, String> {
    crate::i18n::Lang::from_param(s).ok_or_else(|| format!("{s:?} is neither zh-CN nor en"))
}
