//! `jiebang bench selection`: times the optimiser on random pools; `bench log`: the feed and the
//! verifiable log; `bench webhooks`: webhook delivery (benchmarks, not tests).

use std::time::{Duration, Instant};

use crate::domain::selection::bench::random_pool;
use crate::domain::selection::{explain, solve, Constraints, Weights};

fn median_ms(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v.get(v.len() / 2)
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
}

/// Prints a Markdown table: pool size, reduced size, integer programs solved, and the median
/// wall time of a bare solve and of a solve with the full explanation.
pub fn selection(sizes: &[usize], runs: usize) -> anyhow::Result<()> {
    let weights = Weights::default();
    let constraints = Constraints::default();
    println!("| N | reduced | IPs (solve) | solve ms | IPs (explain) | solve+explain ms |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let pool = random_pool(n, 42 + n as u64);
        let (mut bare, mut full) = (Vec::new(), Vec::new());
        let (mut reduced, mut ips, mut explain_ips) = (0, 0, 0);
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let s =
                solve(&pool, &weights, &constraints).map_err(|e| anyhow::anyhow!("N={n}: {e}"))?;
            bare.push(t.elapsed());
            reduced = s.stats.reduced;
            ips = s.stats.ip_solves;
            let t = Instant::now();
            let s =
                solve(&pool, &weights, &constraints).map_err(|e| anyhow::anyhow!("N={n}: {e}"))?;
            let e = explain(&pool, &weights, &constraints, &s);
            full.push(t.elapsed());
            explain_ips = e.ip_solves;
        }
        println!(
            "| {n} | {reduced} | {ips} | {:.1} | {explain_ips} | {:.1} |",
            median_ms(bare),
            median_ms(full)
        );
    }
    Ok(())
}

/// `jiebang bench log`: fills a fresh SQLite database in a temp directory with `events`
/// synthetic public events, then times the change feed read in pages of 1,000, the first build of
/// the Merkle tree, a tree head, and inclusion and consistency proofs.
///
/// # Errors
/// Database failures.
pub async fn log(events: u64) -> anyhow::Result<()> {
    use crate::domain::event::{Actor, AggregateType, NewEvent, Visibility};
    use sea_orm::TransactionTrait;

    let dir = std::env::temp_dir().join(format!("jiebang-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let mut settings = crate::settings::Settings::default();
    settings.database.url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    settings.audit.signing_key = Some(secrecy::SecretString::from(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    ));
    let state =
        crate::state::AppState::open(settings, std::sync::Arc::new(crate::clock::SystemClock))
            .await?;
    let t = Instant::now();
    let mut n = 0u64;
    while n < events {
        let batch = (events - n).min(1000);
        let txn = state.db.begin().await?;
        let list = (n..n + batch)
            .map(|i| {
                NewEvent::new(
                    AggregateType::Cluster,
                    format!("c{i}"),
                    "create",
                    Visibility::Public,
                )
                .version(1)
            })
            .collect();
        crate::store::events::append(&txn, Actor::System, crate::app::now(&state), list).await?;
        txn.commit().await?;
        n += batch;
    }
    println!("| step | time |\n|---|---:|");
    println!(
        "| append {events} events (batches of 1,000) | {:.1} s |",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let mut after = 0;
    let mut read = 0usize;
    loop {
        let page = crate::app::feed::read(&state, None, after, 1000, 0)
            .await
            .map_err(|e| anyhow::anyhow!(e.sentence()))?;
        if page.events.is_empty() {
            break;
        }
        read += page.events.len();
        after = page.next;
    }
    let feed = t.elapsed();
    println!(
        "| feed: {read} events in pages of 1,000 | {:.2} s ({:.1} ms/page) |",
        feed.as_secs_f64(),
        feed.as_secs_f64() * 1e3 / (read as f64 / 1000.0).max(1.0)
    );

    let api = |e: crate::error::ApiError| anyhow::anyhow!(e.sentence());
    let t = Instant::now();
    let size = crate::app::transparency::sync(&state).await.map_err(api)?;
    println!(
        "| first build of the tree ({size} leaves) | {:.1} s |",
        t.elapsed().as_secs_f64()
    );
    let runs = 100u32;
    let t = Instant::now();
    for _ in 0..runs {
        crate::app::transparency::tree_head(&state)
            .await
            .map_err(api)?;
    }
    println!(
        "| signed tree head | {:.2} ms |",
        t.elapsed().as_secs_f64() * 1e3 / f64::from(runs)
    );
    let t = Instant::now();
    for i in 0..u64::from(runs) {
        let seq = i64::try_from(1 + (i * 7919) % size.max(1))?;
        crate::app::transparency::inclusion(&state, seq, size)
            .await
            .map_err(api)?;
    }
    println!(
        "| inclusion proof | {:.2} ms |",
        t.elapsed().as_secs_f64() * 1e3 / f64::from(runs)
    );
    let t = Instant::now();
    for i in 1..=u64::from(runs) {
        crate::app::transparency::consistency(&state, (i * 7919) % size.max(1) + 1, size)
            .await
            .map_err(api)?;
    }
    println!(
        "| consistency proof | {:.2} ms |",
        t.elapsed().as_secs_f64() * 1e3 / f64::from(runs)
    );
    drop(state);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// `jiebang bench webhooks`: for each batch size, appends `events` public events (in units of
/// work of 100, so their outbox rows are written as in service) for one subscription to a local
/// receiver answering 204, then runs `deliver_due` until every delivery is made, and prints the
/// rates. The database is a temporary SQLite file unless `database_url` names an empty one.
///
/// # Errors
/// Database failures, a receiver that cannot bind, or a delivery that is not made.
pub async fn webhooks(
    events: u64,
    batches: &[u64],
    database_url: Option<&str>,
) -> anyhow::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    use crate::app::webhooks::{deliver_due, NewWebhook};
    use crate::app::{Actor, Uow};
    use crate::domain::event::{AggregateType, NewEvent, Visibility};

    let api = |e: crate::error::ApiError| anyhow::anyhow!(e.sentence());
    let received = Arc::new(AtomicU64::new(0));
    let counter = received.clone();
    let receiver = actix_web::HttpServer::new(move || {
        let counter = counter.clone();
        actix_web::App::new().default_service(actix_web::web::to(
            move |_body: actix_web::web::Bytes| {
                counter.fetch_add(1, Ordering::Relaxed);
                async { actix_web::HttpResponse::NoContent().finish() }
            },
        ))
    })
    .workers(2)
    .bind(("127.0.0.1", 0))?;
    let port = receiver.addrs()[0].port();
    let receiver = receiver.run();
    let receiver_handle = receiver.handle();
    tokio::spawn(receiver);

    let dir = std::env::temp_dir().join(format!("jiebang-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let mut settings = crate::settings::Settings::default();
    settings.database.url = match database_url {
        Some(u) => u.to_owned(),
        None => format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
    };
    settings.audit.signing_key = Some(secrecy::SecretString::from(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    ));
    settings.bootstrap.admin_password = Some(secrecy::SecretString::from("bench-password-0123"));
    let backend = if settings.database.url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let mut state =
        crate::state::AppState::prepare(settings, Arc::new(crate::clock::SystemClock)).await?;
    let admin = crate::store::users::by_username(&state.db, "admin")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no admin account"))?;
    let caller = crate::auth::Caller {
        id: admin.id,
        username: admin.username,
        role: crate::domain::role::Role::Commission,
        district_code: None,
        organisation_id: None,
        account: None,
    };

    println!("{events} public events per run, one subscription, receiver on 127.0.0.1 answering 204, {backend}\n");
    println!("| batch | append events + outbox | deliver | deliveries/s |");
    println!("|---:|---:|---:|---:|");
    for (run, &batch) in batches.iter().enumerate() {
        state.settings.webhooks.batch = batch.max(1);
        let sub = crate::app::webhooks::create(
            &state,
            &caller,
            NewWebhook {
                url: format!("http://127.0.0.1:{port}/hook"),
                event_types: vec!["cluster".into()],
                secret: None,
            },
        )
        .await
        .map_err(api)?;
        let before = received.load(Ordering::Relaxed);
        let t = Instant::now();
        let mut n = 0u64;
        while n < events {
            let size = (events - n).min(100);
            let mut uow = Uow::begin(&state, Actor::System).await.map_err(api)?;
            for i in n..n + size {
                uow.record(
                    NewEvent::new(
                        AggregateType::Cluster,
                        format!("b{run}_{i}"),
                        "create",
                        Visibility::Public,
                    )
                    .version(1),
                );
            }
            uow.commit().await.map_err(api)?;
            n += size;
        }
        let append = t.elapsed();
        let t = Instant::now();
        let mut delivered = 0;
        loop {
            let r = deliver_due(&state).await.map_err(api)?;
            if r.claimed == 0 {
                break;
            }
            delivered += r.delivered;
        }
        let deliver = t.elapsed();
        anyhow::ensure!(
            delivered == events && received.load(Ordering::Relaxed) - before == events,
            "only {delivered} of {events} delivered"
        );
        // The next run's events go to the next subscription only.
        crate::app::webhooks::delete(&state, &caller, sub.webhook.id)
            .await
            .map_err(api)?;
        println!(
            "| {batch} | {:.2} s | {:.2} s | {:.0} |",
            append.as_secs_f64(),
            deliver.as_secs_f64(),
            events as f64 / deliver.as_secs_f64()
        );
    }
    receiver_handle.stop(true).await;
    drop(state);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// `jiebang bench ocds`: runs the demo (intake, list, calls, awards, agreements, reports) into a
/// fresh SQLite database in a temp directory, then times the OCDS record package of the year
/// from the database (gather, build every release, compile every record) and the pure build and
/// compilation on the year's processes copied `copies` times (as if the year had that many).
///
/// # Errors
/// Database failures; a demo step refused.
pub async fn ocds(copies: usize, runs: usize) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("jiebang-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let mut settings = crate::settings::Settings::default();
    settings.database.url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    settings.audit.signing_key = Some(secrecy::SecretString::from(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    ));
    settings.bootstrap.admin_password = Some(secrecy::SecretString::from("bench-admin-password-1"));
    let state =
        crate::state::AppState::prepare(settings, std::sync::Arc::new(crate::clock::SystemClock))
            .await?;
    let api = |e: crate::error::ApiError| anyhow::anyhow!(e.sentence());
    let t = Instant::now();
    crate::demo_run::play(&state, 2024, &mut |_| {}).await?;
    println!("| step | time |\n|---|---:|");
    println!(
        "| the demo, from an empty database through calls, awards, acceptance, plaques and a year's evaluations | {:.2} s |",
        t.elapsed().as_secs_f64()
    );
    let (mut from_db, mut exports) = (Vec::new(), Vec::new());
    let mut shape = (0, 0);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let p = crate::app::ocds::records(&state, 2024).await.map_err(api)?;
        from_db.push(t.elapsed());
        let records = p["records"].as_array().map_or(&[][..], Vec::as_slice);
        shape = (
            records.len(),
            records
                .iter()
                .map(|r| r["releases"].as_array().map_or(0, Vec::len))
                .sum::<usize>(),
        );
        let t = Instant::now();
        crate::app::ocds::export(&state, 2024).await.map_err(api)?;
        exports.push(t.elapsed());
    }
    println!(
        "| record package of 2024 from the database ({} processes, {} releases) | {:.1} ms |",
        shape.0,
        shape.1,
        median_ms(from_db)
    );
    println!(
        "| `ocds export` of 2024 (release and record packages) | {:.1} ms |",
        median_ms(exports)
    );
    let year = crate::app::ocds::processes(&state, 2024)
        .await
        .map_err(api)?;
    let publisher = crate::app::ocds::publisher(&state);
    let mut many = Vec::with_capacity(year.len() * copies.max(1));
    for k in 0..copies.max(1) {
        for p in &year {
            let mut p = p.clone();
            p.item.id += i32::try_from(k * 1000)?;
            many.push(p);
        }
    }
    let mut pure = Vec::new();
    let mut releases = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let records: Vec<serde_json::Value> = many.iter().map(|p| p.record(&publisher)).collect();
        pure.push(t.elapsed());
        releases = records
            .iter()
            .map(|r| r["releases"].as_array().map_or(0, Vec::len))
            .sum();
    }
    let ms = median_ms(pure);
    println!(
        "| build and compile {} records ({releases} releases) in memory | {ms:.1} ms ({:.3} ms/record) |",
        many.len(),
        ms / many.len().max(1) as f64
    );
    drop(state);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// The process's peak resident set (`VmHWM`, MB) since the last `reset_peak_rss`; Linux only.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets `VmHWM` to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A temporary SQLite database (its folder returned, for removal) holding the 2024 demo round,
/// and the commission's `admin` as the caller: where the API-path benchmarks start.
async fn demo_round() -> anyhow::Result<(
    std::path::PathBuf,
    crate::state::AppState,
    crate::auth::Caller,
)> {
    let dir = std::env::temp_dir().join(format!("jiebang-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let mut settings = crate::settings::Settings::default();
    settings.database.url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    settings.audit.signing_key = Some(secrecy::SecretString::from(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    ));
    settings.bootstrap.admin_password = Some(secrecy::SecretString::from("bench-admin-password-1"));
    let state =
        crate::state::AppState::prepare(settings, std::sync::Arc::new(crate::clock::SystemClock))
            .await?;
    crate::demo_load::load(&state, 2024).await?;
    let admin = crate::store::users::by_username(&state.db, "admin")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no admin account"))?;
    let caller = crate::auth::Caller {
        id: admin.id,
        username: admin.username,
        role: crate::domain::role::Role::Commission,
        district_code: None,
        organisation_id: None,
        account: None,
    };
    Ok((dir, state, caller))
}

/// `jiebang bench selection-path`: the whole path a panel uses, through the use cases, on a
/// temporary SQLite database: the demo round's eligible pool copied to `n` eligible proposals
/// (districts, clusters and the form's figures varied), then the scores (first page and summary),
/// one selection (score, solve, explain, store the run and its event), the round's runs listed,
/// and the run read back. Prints wall times and the peak RSS of each step.
///
/// # Errors
/// Database failures; a use case refused.
pub async fn selection_path(sizes: &[usize]) -> anyhow::Result<()> {
    use rand::{Rng, SeedableRng};
    use sea_orm::{ActiveValue, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

    let api = |e: crate::error::ApiError| anyhow::anyhow!(e.sentence());
    println!("| eligible N | scores (page of 1000 + summary) | selection run (score, solve, explain, store) | runs listed | run read | stored inputs | peak RSS |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let (dir, state, caller) = demo_round().await?;
        // The pool: copies of the demo's eligible proposals, spread over every district and
        // cluster, each chain-leader and cluster figure scaled by a random factor.
        let seeds = entity::proposal::Entity::find()
            .filter(entity::proposal::Column::Status.eq("eligible"))
            .all(&state.db)
            .await?;
        let districts: Vec<String> = crate::store::reference::districts(&state.db, None)
            .await?
            .into_iter()
            .map(|d| d.code)
            .collect();
        let clusters: Vec<String> = crate::store::reference::clusters(&state.db)
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect();
        anyhow::ensure!(!seeds.is_empty(), "the demo has no eligible proposal");
        let mut rng = rand::rngs::StdRng::seed_from_u64(42 + n as u64);
        let extra = n.saturating_sub(seeds.len());
        let txn = state.db.begin().await?;
        let mut batch = Vec::with_capacity(500);
        for i in 0..extra {
            let seed = &seeds[i % seeds.len()];
            let district = districts[rng.gen_range(0..districts.len())].clone();
            let cluster = clusters[rng.gen_range(0..clusters.len())].clone();
            let mut form = seed.form.clone();
            form["district_code"] = district.clone().into();
            form["cluster_code"] = cluster.clone().into();
            form["brain_name"] = format!("压测行业产业大脑 {i}").into();
            for (part, key) in [
                ("chain_leader", "scale"),
                ("chain_leader", "in_city_suppliers"),
                ("cluster_stats", "scale"),
                ("cluster_stats", "enterprise_count"),
            ] {
                if let Some(x) = form[part][key].as_i64() {
                    let scaled = ((x as f64) * rng.gen_range(0.2..5.0)).round() as i64;
                    form[part][key] = scaled.max(1).into();
                }
            }
            let mut row: entity::proposal::ActiveModel = seed.clone().into();
            row.id = ActiveValue::NotSet;
            row.district_code = ActiveValue::Set(district);
            row.cluster_code = ActiveValue::Set(Some(cluster));
            row.form = ActiveValue::Set(form);
            batch.push(row);
            if batch.len() == 500 || i + 1 == extra {
                entity::proposal::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;

        reset_peak_rss();
        let t = Instant::now();
        let (_, summary) = crate::app::selection::scores(
            &state,
            &caller,
            2024,
            crate::app::selection::ScoreQuery::default(),
        )
        .await
        .map_err(api)?;
        let scores_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let run = crate::app::selection::run(
            &state,
            &caller,
            2024,
            crate::app::selection::Request::default(),
        )
        .await
        .map_err(api)?;
        let run_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        crate::app::selection::list(&state, &caller, 2024)
            .await
            .map_err(api)?;
        let list_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        crate::app::selection::get(&state, &caller, run.id)
            .await
            .map_err(api)?;
        let get_ms = t.elapsed().as_secs_f64() * 1e3;
        let peak = peak_rss_mb().unwrap_or(f64::NAN);
        let stored = crate::store::selections::inputs_size(&state.db, run.id).await?;
        println!(
            "| {} | {scores_ms:.0} ms | {run_ms:.0} ms | {list_ms:.1} ms | {get_ms:.0} ms | {:.1} MB | {peak:.0} MB |",
            summary.pool,
            stored as f64 / 1e6
        );
        drop(state);
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// `jiebang bench proposal-list`: the commission's proposal list (`GET /rounds/{year}/proposals`)
/// through its use case on a temporary SQLite database holding `n` proposals in the 2024 round
/// (the demo's proposals copied, spread over every district and cluster): the first page, a page
/// deep in the list (`after` near the last id), a page filtered by cluster, a district officer's
/// page, and the first page with `counts=true`. Prints the median of `runs` calls of each.
///
/// # Errors
/// Database failures; a use case refused.
pub async fn proposal_list(n: usize, runs: usize) -> anyhow::Result<()> {
    use rand::{Rng, SeedableRng};
    use sea_orm::{ActiveValue, EntityTrait, QueryOrder, TransactionTrait};

    use crate::app::proposals::{list, ListQuery};

    let api = |e: crate::error::ApiError| anyhow::anyhow!(e.sentence());
    let (dir, state, commission) = demo_round().await?;
    // Copies of the demo's proposals (every state it holds), over every district and cluster.
    let seeds = entity::proposal::Entity::find()
        .order_by_asc(entity::proposal::Column::Id)
        .all(&state.db)
        .await?;
    let districts: Vec<String> = crate::store::reference::districts(&state.db, None)
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let clusters: Vec<String> = crate::store::reference::clusters(&state.db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    anyhow::ensure!(
        !seeds.is_empty() && !districts.is_empty() && !clusters.is_empty(),
        "the demo has no proposal"
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(42 + n as u64);
    let extra = n.saturating_sub(seeds.len());
    let txn = state.db.begin().await?;
    let mut batch = Vec::with_capacity(500);
    for i in 0..extra {
        let seed = &seeds[i % seeds.len()];
        let district = districts[rng.gen_range(0..districts.len())].clone();
        let cluster = clusters[rng.gen_range(0..clusters.len())].clone();
        let mut form = seed.form.clone();
        form["district_code"] = district.clone().into();
        form["cluster_code"] = cluster.clone().into();
        form["brain_name"] = format!("压测行业产业大脑 {i}").into();
        let mut row: entity::proposal::ActiveModel = seed.clone().into();
        row.id = ActiveValue::NotSet;
        row.district_code = ActiveValue::Set(district);
        row.cluster_code = ActiveValue::Set(Some(cluster));
        row.form = ActiveValue::Set(form);
        batch.push(row);
        if batch.len() == 500 || i + 1 == extra {
            entity::proposal::Entity::insert_many(std::mem::take(&mut batch))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    let last_id = entity::proposal::Entity::find()
        .order_by_desc(entity::proposal::Column::Id)
        .one(&state.db)
        .await?
        .map_or(0, |p| p.id);
    let officer = crate::auth::Caller {
        role: crate::domain::role::Role::District,
        district_code: districts.first().cloned(),
        ..commission.clone()
    };
    let cases: Vec<(String, &crate::auth::Caller, ListQuery)> = vec![
        (
            "first page (limit 20)".into(),
            &commission,
            ListQuery::default(),
        ),
        (
            format!("deep page (`after={}`)", last_id - 40),
            &commission,
            ListQuery {
                after: Some(i64::from(last_id - 40)),
                ..ListQuery::default()
            },
        ),
        (
            "last page of 100 (`limit=100`, `after` = last id − 50)".into(),
            &commission,
            ListQuery {
                after: Some(i64::from(last_id - 50)),
                limit: Some(100),
                ..ListQuery::default()
            },
        ),
        (
            format!("filtered (`cluster={}`), first page", clusters[0]),
            &commission,
            ListQuery {
                cluster: Some(clusters[0].clone()),
                ..ListQuery::default()
            },
        ),
        (
            format!("filtered (`cluster={}`), deep page", clusters[0]),
            &commission,
            ListQuery {
                cluster: Some(clusters[0].clone()),
                after: Some(i64::from((last_id - 2_000).max(0))),
                ..ListQuery::default()
            },
        ),
        (
            format!("district officer ({}), first page", districts[0]),
            &officer,
            ListQuery::default(),
        ),
        (
            "first page with `counts=true` (total + per state)".into(),
            &commission,
            ListQuery {
                counts: true,
                ..ListQuery::default()
            },
        ),
    ];
    println!("{n} proposals in the round (temporary SQLite database), median of {runs} calls:");
    println!();
    println!("| page | items | median |");
    println!("|---|---:|---:|");
    for (label, caller, query) in cases {
        let mut times = Vec::with_capacity(runs);
        let mut items = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let page = list(&state, caller, 2024, query.clone())
                .await
                .map_err(api)?;
            times.push(t.elapsed());
            items = page.items.len();
        }
        println!("| {label} | {items} | {:.2} ms |", median_ms(times));
    }
    drop(state);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
