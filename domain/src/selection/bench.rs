//! Deterministic synthetic pools for benchmarks and tests (no `rand`: a
//! splitmix64 generator, so a seed always gives the same pool).

use super::types::{Candidate, Region};

/// splitmix64: tiny, fast, good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = hi.saturating_sub(lo).saturating_add(1).max(1) as u64;
        lo + self.below(span) as i64
    }
}

/// Districts per region in Chongqing's 一区两群 (41 in all).
pub const DISTRICTS_PER_REGION: [usize; 3] = [24, 11, 6];
/// Clusters in the synthetic pools.
pub const CLUSTERS: usize = 30;
/// Construction models.
pub const MODELS: [&str; 3] = ["government_led", "chain_leader_led", "third_party"];

/// `n` random candidates: 41 districts split 24/11/6 over the regions, 30
/// clusters, 3 models, scores 30.00..=100.00, sealed_at spread over about a
/// minute per candidate (so mostly distinct, with some equal times).
pub fn random_pool(n: usize, seed: u64) -> Vec<Candidate> {
    let mut rng = SplitMix64::new(seed);
    let districts: Vec<(String, Region)> = DISTRICTS_PER_REGION
        .iter()
        .zip(Region::ALL)
        .flat_map(|(&count, region)| (0..count).map(move |k| (k, region)))
        .enumerate()
        .map(|(i, (_, region))| (format!("5001{:02}", i + 1), region))
        .collect();
    let start = 1_767_225_600i64; // 2026-01-01T00:00:00Z
    let spread = (n as i64).saturating_mul(60).max(1);
    (0..n)
        .map(|k| {
            let (district, region) = districts[rng.below(districts.len() as u64) as usize].clone();
            Candidate {
                id: i32::try_from(k + 1).unwrap_or(i32::MAX),
                district,
                region,
                cluster: format!("C{:02}", rng.below(CLUSTERS as u64) + 1),
                model: MODELS[rng.below(MODELS.len() as u64) as usize].to_string(),
                scores: [
                    rng.range(3000, 10_000),
                    rng.range(3000, 10_000),
                    rng.range(3000, 10_000),
                ],
                sealed_at: start + rng.range(0, spread),
            }
        })
        .collect()
}
