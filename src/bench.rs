//! `jiebang bench selection`: times the optimiser on random pools (a benchmark, not a test).

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
