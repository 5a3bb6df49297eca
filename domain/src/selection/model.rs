//! The resolved problem: interned codes, admissibility, the tie-rule
//! priority, per-weights rankings and the exact reductions that keep the
//! integer program small however large the pool grows.

use std::collections::{HashMap, HashSet};

use super::types::{Candidate, Constraints, Region, MAX_SCORE};

/// Candidate index (position in the caller's slice).
pub(super) type Idx = u32;

/// The problem with strings interned to dense indices and everything that
/// does not depend on the weights precomputed once.
pub(super) struct Model<'a> {
    pub cands: &'a [Candidate],
    pub district: Vec<u32>,
    pub district_names: Vec<&'a str>,
    pub cluster: Vec<u32>,
    pub cluster_names: Vec<&'a str>,
    pub model: Vec<u32>,
    pub model_names: Vec<&'a str>,
    pub region: Vec<u8>,
    /// Rank of each candidate in tie-rule priority (sealed_at asc, id asc).
    pub prio: Vec<u32>,
    pub excluded: Vec<bool>,
    pub below_floor: Vec<bool>,
    /// Neither excluded nor under the completeness floor (and with valid scores).
    pub admissible: Vec<bool>,
    pub pinned: Vec<bool>,
    /// Resolved pins, deduplicated, in input order.
    pub pins: Vec<Idx>,
    pub unknown_pins: Vec<i32>,
    pub duplicate_ids: Vec<i32>,
    pub bad_scores: Vec<i32>,
    pub list_size: usize,
    pub max_district: Option<u32>,
    pub max_cluster: Option<u32>,
    pub each_region: bool,
    /// Regions that must be represented: those with an admissible candidate
    /// when `each_region` is on. Fixed here, from the caller's constraints,
    /// so that "what if this one were out" questions keep the same rule.
    pub required: [bool; 3],
    /// Minimum per model index (0 = none).
    pub model_min: Vec<u32>,
    /// District whose admissible candidates all share one region.
    pub district_pure: Vec<bool>,
    pub floor: Option<i64>,
}

fn intern<'a>(map: &mut HashMap<&'a str, u32>, names: &mut Vec<&'a str>, s: &'a str) -> u32 {
    if let Some(&i) = map.get(s) {
        return i;
    }
    let i = u32::try_from(names.len()).unwrap_or(u32::MAX);
    names.push(s);
    map.insert(s, i);
    i
}

impl<'a> Model<'a> {
    pub fn new(cands: &'a [Candidate], c: &'a Constraints) -> Model<'a> {
        let n = cands.len();
        let (mut dmap, mut cmap, mut mmap) = (HashMap::new(), HashMap::new(), HashMap::new());
        let (mut district_names, mut cluster_names, mut model_names) =
            (Vec::new(), Vec::new(), Vec::new());
        let mut district = Vec::with_capacity(n);
        let mut cluster = Vec::with_capacity(n);
        let mut model = Vec::with_capacity(n);
        let mut region = Vec::with_capacity(n);
        let mut index: HashMap<i32, Idx> = HashMap::with_capacity(n);
        let mut duplicate_ids = Vec::new();
        let mut bad_scores = Vec::new();
        for (i, cand) in cands.iter().enumerate() {
            district.push(intern(&mut dmap, &mut district_names, &cand.district));
            cluster.push(intern(&mut cmap, &mut cluster_names, &cand.cluster));
            model.push(intern(&mut mmap, &mut model_names, &cand.model));
            region.push(cand.region.index() as u8);
            let idx = Idx::try_from(i).unwrap_or(Idx::MAX);
            if index.insert(cand.id, idx).is_some() && !duplicate_ids.contains(&cand.id) {
                duplicate_ids.push(cand.id);
            }
            if cand.scores.iter().any(|s| !(0..=MAX_SCORE).contains(s)) {
                bad_scores.push(cand.id);
            }
        }
        let mut model_min = vec![0u32; model_names.len()];
        for (name, &min) in &c.min_per_model {
            let m = intern(&mut mmap, &mut model_names, name) as usize;
            if m >= model_min.len() {
                model_min.resize(m + 1, 0);
            }
            model_min[m] = min;
        }

        let mut by_prio: Vec<usize> = (0..n).collect();
        by_prio.sort_unstable_by_key(|&i| (cands[i].sealed_at, cands[i].id, i));
        let mut prio = vec![0u32; n];
        for (rank, &i) in by_prio.iter().enumerate() {
            prio[i] = u32::try_from(rank).unwrap_or(u32::MAX);
        }

        let excl: HashSet<i32> = c.exclusions.iter().copied().collect();
        let excluded: Vec<bool> = cands.iter().map(|x| excl.contains(&x.id)).collect();
        let below_floor: Vec<bool> = cands
            .iter()
            .map(|x| c.min_completeness.is_some_and(|f| x.scores[0] < f))
            .collect();
        let admissible: Vec<bool> = (0..n)
            .map(|i| !excluded[i] && !below_floor[i] && !bad_scores.contains(&cands[i].id))
            .collect();

        let mut pinned = vec![false; n];
        let mut pins = Vec::new();
        let mut unknown_pins = Vec::new();
        for &id in &c.pins {
            match index.get(&id) {
                Some(&i) if !pinned[i as usize] => {
                    pinned[i as usize] = true;
                    pins.push(i);
                }
                Some(_) => {}
                None if !unknown_pins.contains(&id) => unknown_pins.push(id),
                None => {}
            }
        }

        let mut required = [false; 3];
        let mut district_region: Vec<Option<u8>> = vec![None; district_names.len()];
        let mut district_pure = vec![true; district_names.len()];
        for i in 0..n {
            if !admissible[i] {
                continue;
            }
            if c.each_region {
                required[region[i] as usize] = true;
            }
            let d = district[i] as usize;
            match district_region[d] {
                None => district_region[d] = Some(region[i]),
                Some(r) if r != region[i] => district_pure[d] = false,
                Some(_) => {}
            }
        }

        Model {
            cands,
            district,
            district_names,
            cluster,
            cluster_names,
            model,
            model_names,
            region,
            prio,
            excluded,
            below_floor,
            admissible,
            pinned,
            pins,
            unknown_pins,
            duplicate_ids,
            bad_scores,
            list_size: c.list_size as usize,
            max_district: c.max_per_district,
            max_cluster: c.max_per_cluster,
            each_region: c.each_region,
            required,
            model_min,
            district_pure,
            floor: c.min_completeness,
        }
    }

    pub fn len(&self) -> usize {
        self.cands.len()
    }

    pub fn id(&self, i: Idx) -> i32 {
        self.cands[i as usize].id
    }

    pub fn region_of(&self, i: Idx) -> Region {
        Region::ALL[self.region[i as usize] as usize]
    }

    pub fn admissible_count(&self) -> usize {
        self.admissible.iter().filter(|&&a| a).count()
    }
}

/// Totals and the best-first order for one set of (integer) weights.
pub(super) struct Ranking {
    /// Weighted total of every candidate (also the inadmissible ones).
    pub totals: Vec<i64>,
    /// Admissible candidates, best first: total desc, then tie-rule priority.
    pub order: Vec<Idx>,
}

impl Ranking {
    pub fn new(m: &Model<'_>, weights: [i64; 3]) -> Ranking {
        let totals: Vec<i64> = m
            .cands
            .iter()
            .map(|c| {
                c.scores
                    .iter()
                    .zip(weights)
                    .fold(0i64, |acc, (&s, w)| acc.saturating_add(s.saturating_mul(w)))
            })
            .collect();
        let mut keyed: Vec<(i64, u32, Idx)> = (0..m.len())
            .filter(|&i| m.admissible[i])
            .map(|i| (-totals[i], m.prio[i], i as Idx))
            .collect();
        keyed.sort_unstable();
        let order = keyed.into_iter().map(|(_, _, i)| i).collect();
        Ranking { totals, order }
    }

    pub fn total(&self, i: Idx) -> i64 {
        self.totals[i as usize]
    }
}

/// A what-if on top of the caller's constraints: candidates forced into the
/// list (treated like pins) and forced out (made unavailable). The region
/// requirement stays as the caller's constraints fixed it.
#[derive(Clone, Copy, Default)]
pub(super) struct Restriction<'r> {
    pub forced_in: &'r [Idx],
    pub forced_out: &'r [Idx],
}

impl Restriction<'_> {
    pub fn fixed(&self, m: &Model<'_>, i: Idx) -> bool {
        m.pinned[i as usize] || self.forced_in.contains(&i)
    }

    pub fn allowed(&self, m: &Model<'_>, i: Idx) -> bool {
        m.admissible[i as usize] && !self.forced_out.contains(&i)
    }
}

/// Greedy set of better candidates with pairwise distinct districts and/or
/// clusters (a matching in the district–cluster graph); see [`reduce`].
#[derive(Default)]
struct Matching {
    members: Vec<(u32, u32)>,
}

impl Matching {
    fn try_add(&mut self, d: Option<u32>, c: Option<u32>, limit: usize) {
        if self.members.len() > limit {
            return; // already large enough to prove anything it can prove
        }
        let clash = self
            .members
            .iter()
            .any(|&(md, mc)| d.is_some_and(|d| d == md) || c.is_some_and(|c| c == mc));
        if !clash {
            self.members.push((d.unwrap_or(0), c.unwrap_or(0)));
        }
    }
}

/// Distinct values seen, kept only up to a limit (enough to prove a bound).
#[derive(Default)]
struct Distinct {
    seen: Vec<u32>,
}

impl Distinct {
    fn add(&mut self, x: u32, limit: usize) {
        if self.seen.len() <= limit && !self.seen.contains(&x) {
            self.seen.push(x);
        }
    }

    /// How many seen values differ from `x`.
    fn count_except(&self, x: u32) -> usize {
        self.seen.len() - usize::from(self.seen.contains(&x))
    }
}

/// The exact reductions. Returns the candidates that may still be in the
/// tie-rule winner, best first; every other candidate is provably not in it,
/// so the integer program over the returned ones has the same optimum and
/// the same tie-rule winner as over the whole pool.
///
/// Every rule drops a candidate `c` only when every feasible list `S` holding
/// `c` can swap `c` for some `d` that is strictly better in the order
/// (total desc, then tie-rule priority), giving a feasible list `S − c + d`
/// with a larger objective, or an equal one that the tie rule prefers
/// (replacing one member by an earlier-priority non-member makes the
/// priority-sorted member list lexicographically smaller). So `c` is in no
/// winner. The rules only ever use `d`s that are better than `c`, so all
/// drops are valid together, even when a `d` is itself dropped. Fixed
/// candidates (pins, forced in) are never dropped.
///
/// Notation: `L = list_size`, `p`/`q` the district/cluster caps, `D`/`K`/`R`
/// the district/cluster/region of `c`. A `d` is *free* if it is not in `S`,
/// and `S − c` leaves room in `d`'s district and cluster. `d` is
/// *compatible* if it has `c`'s model when that model has a minimum (else
/// any model: losing `c` breaks no minimum, and adding `d` only helps).
///
/// 1. **Class reduction.** Candidates with the same district, cluster,
///    region, model and fixed status have identical constraint coefficients.
///    A list holds at most `k = min(L, p, q)` of one class (they share a
///    district and a cluster), so if it holds `c` beyond the class's best
///    `k`, one of those best `k` is free and swaps in for `c` without
///    changing any constraint's left-hand side.
///
/// 2. **Dominance.** Case A: no region rule, or `R` keeps another member in
///    `S − c`; then any free compatible `d` gives a feasible `S − c + d`.
///    Case B: the region rule is on and `c` is `R`'s only member of `S`; then
///    `d` must also be in `R`. `c` is dropped when it has a free `d` in case
///    A (by 2a or 2b) and, with the region rule on, in case B (by 2c or 2d).
///    Each is certified by counting: the `L − 1` other members can block only
///    so many `d`s of a suitably spread set `M` of better compatible
///    candidates, built greedily in the best-first scan.
///    * 2a (global matching): `M` with pairwise distinct districts (if `p` is
///      on) and clusters (if `q` is on). A `d ∈ M` is blocked by being in `S`
///      (at most `L − 1`), by a full district (at most `⌊(L−1)/p⌋`, one `d`
///      each) or by a full cluster (at most `⌊(L−1)/q⌋`). With `p = 1` a `d`
///      in `S` fills its own district, so it is already counted there (same
///      for `q = 1`). So `|M| > B_A = (L−1) + ⌊(L−1)/p⌋ + ⌊(L−1)/q⌋`, or
///      `(L−1) + ⌊(L−1)/q⌋` when `p = 1` (symmetrically for `q = 1`), leaves
///      a free `d`.
///    * 2b (neighbourhood, both caps on): `M` = better compatible candidates
///      in `D` with pairwise distinct clusters other than `K`, plus those in
///      `K` with pairwise distinct districts other than `D`. In `S − c`,
///      `D` and `K` are never full. So a `d` in `D` is blocked only by a
///      full cluster (at most `⌊(L−1)/q⌋`) or by being in `S` (at most
///      `p − 1`), and a `d` in `K` only by a full district (at most
///      `⌊(L−1)/p⌋`) or by being in `S` (at most `q − 1`), with at most
///      `L − 1` in `S` in all. So `|M| > ⌊(L−1)/p⌋ + ⌊(L−1)/q⌋ +
///      min(p + q − 2, L − 1)` leaves a free `d`. This one scales to long
///      lists, where 2a's spread-out matching runs out of districts.
///    * 2c: `M` from better compatible candidates of `R` whose district has
///      admissible candidates of `R` only (needed only when `p` is on), with
///      pairwise distinct clusters (if `q` is on). No other member of `S` is
///      in `R`, hence none is a `d` or shares a `d`'s district. Only full
///      clusters block, so `|M| > ⌊(L−1)/q⌋` leaves a free `d`.
///    * 2d: as 2c, a better compatible candidate of `R` in cluster `K`
///      (in an `R`-only district if `p` is on). `K` is never full in `S − c`,
///      so it is free.
pub(super) fn reduce(m: &Model<'_>, rank: &Ranking, r: &Restriction<'_>) -> Vec<Idx> {
    let l = m.list_size;
    let (p, q) = (m.max_district, m.max_cluster);
    let candidates = rank.order.iter().copied().filter(|&i| r.allowed(m, i));
    if l == 0 || p == Some(0) || q == Some(0) {
        // Nothing can be chosen; keep everything and let the solver say so.
        return candidates.collect();
    }
    let lm1 = l - 1;
    let floor_div = |cap: Option<u32>| cap.map_or(0, |c| lm1 / (c as usize).max(1));
    let (fd, fc) = (floor_div(p), floor_div(q));
    let bound_a = if p == Some(1) {
        lm1 + fc
    } else if q == Some(1) {
        lm1 + fd
    } else {
        lm1 + fd + fc
    };
    let bound_b = fc;
    // Rule 2b, only with both caps on.
    let bound_n = match (p, q) {
        (Some(p), Some(q)) => Some(fd + fc + (p as usize + q as usize).saturating_sub(2).min(lm1)),
        _ => None,
    };
    let k = [Some(l as u32), p, q]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(1) as usize;

    // Compatibility keys: 0 = any model, 1 + j = the j-th model with a minimum.
    let mut n_keys = 1usize;
    let model_key: Vec<usize> = m
        .model_min
        .iter()
        .map(|&min| {
            if min > 0 {
                n_keys += 1;
                n_keys - 1
            } else {
                0
            }
        })
        .collect();
    let (n_districts, n_clusters) = (m.district_names.len(), m.cluster_names.len());
    // Rules 2b and 2d use dense tables; on absurdly fragmented inputs they
    // are skipped (no rule is needed for exactness, only for speed).
    let dense = (n_districts + 3 * n_clusters).saturating_mul(n_keys) <= 1 << 22;
    let bound_n = bound_n.filter(|_| dense);
    let mut a_states: Vec<Matching> = (0..n_keys).map(|_| Matching::default()).collect();
    let mut b_states: Vec<Matching> = (0..3 * n_keys).map(|_| Matching::default()).collect();
    let table = |rows: usize| -> Vec<Distinct> {
        if bound_n.is_some() {
            (0..rows * n_keys).map(|_| Distinct::default()).collect()
        } else {
            Vec::new()
        }
    };
    let mut district_clusters = table(n_districts);
    let mut cluster_districts = table(n_clusters);
    let mut in_cluster_of_region = vec![false; if dense { n_clusters * 3 * n_keys } else { 0 }];
    let mut class_count: HashMap<(u32, u32, u8, u32, bool), usize> = HashMap::new();
    let mut kept = Vec::new();

    for i in candidates {
        let iu = i as usize;
        let fixed = r.fixed(m, i);
        let (d, c, reg, md) = (m.district[iu], m.cluster[iu], m.region[iu], m.model[iu]);
        let (du, cu, ru) = (d as usize, c as usize, reg as usize);
        let key = model_key.get(md as usize).copied().unwrap_or(0);

        let dominated = !fixed && {
            let case_a = a_states[key].members.len() > bound_a
                || bound_n.is_some_and(|b| {
                    let near_d = district_clusters[du * n_keys + key].count_except(c);
                    let near_c = cluster_districts[cu * n_keys + key].count_except(d);
                    near_d + near_c > b
                });
            let case_b = !m.each_region
                || b_states[ru * n_keys + key].members.len() > bound_b
                || in_cluster_of_region
                    .get((cu * 3 + ru) * n_keys + key)
                    .is_some_and(|&b| b);
            case_a && case_b
        };

        let keep = fixed || {
            // Classes are counted among non-dominated candidates only: all
            // later members of a class share its keys and are dominated too
            // (the states only grow), so this loses nothing and keeps the
            // map small.
            !dominated && {
                let n_class = class_count.entry((d, c, reg, md, fixed)).or_insert(0);
                *n_class += 1;
                *n_class <= k
            }
        };
        if keep {
            kept.push(i);
        }

        let (dd, cc) = (p.map(|_| d), q.map(|_| c));
        let region_only = p.is_none() || m.district_pure[du];
        let keys: &[usize] = if key == 0 { &[0] } else { &[0, key] };
        for &mk in keys {
            a_states[mk].try_add(dd, cc, bound_a);
            if region_only {
                b_states[ru * n_keys + mk].try_add(None, cc, bound_b);
                if let Some(b) = in_cluster_of_region.get_mut((cu * 3 + ru) * n_keys + mk) {
                    *b = true;
                }
            }
            if let Some(b) = bound_n {
                district_clusters[du * n_keys + mk].add(c, b + 1);
                cluster_districts[cu * n_keys + mk].add(d, b + 1);
            }
        }
    }
    kept
}

/// Checks a list in integers against every constraint and the restriction;
/// returns its objective.
pub(super) fn check_set(
    m: &Model<'_>,
    totals: &[i64],
    r: &Restriction<'_>,
    set: &[Idx],
) -> Result<i64, String> {
    if set.len() != m.list_size {
        return Err(format!("{} chosen instead of {}", set.len(), m.list_size));
    }
    let mut seen = HashSet::new();
    let mut districts: HashMap<u32, u32> = HashMap::new();
    let mut clusters: HashMap<u32, u32> = HashMap::new();
    let mut models: HashMap<u32, u32> = HashMap::new();
    let mut regions = [false; 3];
    let mut objective = 0i64;
    for &i in set {
        if !seen.insert(i) {
            return Err(format!("{} chosen twice", pid(m.id(i))));
        }
        if !r.allowed(m, i) {
            return Err(format!("{} is not available", pid(m.id(i))));
        }
        let iu = i as usize;
        *districts.entry(m.district[iu]).or_insert(0) += 1;
        *clusters.entry(m.cluster[iu]).or_insert(0) += 1;
        *models.entry(m.model[iu]).or_insert(0) += 1;
        regions[m.region[iu] as usize] = true;
        objective += totals[iu];
    }
    if let Some(p) = m.max_district {
        if districts.values().any(|&x| x > p) {
            return Err("max_per_district violated".into());
        }
    }
    if let Some(q) = m.max_cluster {
        if clusters.values().any(|&x| x > q) {
            return Err("max_per_cluster violated".into());
        }
    }
    if (0..3).any(|k| m.required[k] && !regions[k]) {
        return Err("a required region is missing".into());
    }
    for (md, &min) in m.model_min.iter().enumerate() {
        if models.get(&(md as u32)).copied().unwrap_or(0) < min {
            return Err("min_per_model violated".into());
        }
    }
    let fixed_missing = m
        .pins
        .iter()
        .chain(r.forced_in.iter())
        .any(|i| !seen.contains(i));
    if fixed_missing {
        return Err("a pinned proposal is missing".into());
    }
    Ok(objective)
}

/// `P-<id>`, the way messages name a proposal.
pub(super) fn pid(id: i32) -> String {
    format!("P-{id}")
}
