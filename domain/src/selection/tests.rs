//! Tests: brute-force property tests of optimality, the tie rule,
//! infeasibility, margins, forcing costs, weight intervals and the
//! reductions; unit tests of hand-checked cases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;

use super::model::{reduce, Idx, Model, Restriction};
use super::solve::Engine;
use super::*;

// ---------------------------------------------------------------------------
// An independent brute force (shares no code with the module under test).

/// Ids of the brute-force winner, sorted by priority, with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Brute {
    value: i64,
    ids: Vec<i32>,
}

fn total(c: &Candidate, w: [i64; 3]) -> i64 {
    c.scores.iter().zip(w).map(|(s, w)| s * w).sum()
}

/// The tie-rule winner by enumeration: combinations are visited in
/// lexicographic order of priority positions, and only a strictly better
/// value replaces the best, so the first optimal one found is the
/// lexicographically smallest. `force_in`/`force_out` are ids.
fn brute(
    cands: &[Candidate],
    w: [i64; 3],
    c: &Constraints,
    force_in: &[i32],
    force_out: &[i32],
) -> Option<Brute> {
    let l = c.list_size as usize;
    let admissible = |x: &Candidate| {
        !c.exclusions.contains(&x.id) && c.min_completeness.is_none_or(|f| x.scores[0] >= f)
    };
    let mut required = [false; 3];
    if c.each_region {
        for x in cands.iter().filter(|x| admissible(x)) {
            required[x.region.index()] = true;
        }
    }
    let mut pool: Vec<&Candidate> = cands
        .iter()
        .filter(|x| admissible(x) && !force_out.contains(&x.id))
        .collect();
    pool.sort_by_key(|x| (x.sealed_at, x.id));
    let must: Vec<i32> = c.pins.iter().chain(force_in).copied().collect();
    if must.iter().any(|id| !pool.iter().any(|x| x.id == *id)) {
        return None;
    }
    let mut best: Option<Brute> = None;
    let mut stack: Vec<usize> = Vec::new();
    fn rec(
        pool: &[&Candidate],
        start: usize,
        stack: &mut Vec<usize>,
        l: usize,
        f: &mut dyn FnMut(&[usize]),
    ) {
        if stack.len() == l {
            f(stack);
            return;
        }
        for k in start..pool.len() {
            if pool.len() - k < l - stack.len() {
                break;
            }
            stack.push(k);
            rec(pool, k + 1, stack, l, f);
            stack.pop();
        }
    }
    let mut visit = |set: &[usize]| {
        let members: Vec<&Candidate> = set.iter().map(|&k| pool[k]).collect();
        let count = |f: &dyn Fn(&Candidate) -> bool| members.iter().filter(|x| f(x)).count();
        for x in &members {
            if c.max_per_district
                .is_some_and(|p| count(&|y| y.district == x.district) > p as usize)
                || c.max_per_cluster
                    .is_some_and(|q| count(&|y| y.cluster == x.cluster) > q as usize)
            {
                return;
            }
        }
        for (k, r) in Region::ALL.iter().enumerate() {
            if required[k] && count(&|y| y.region == *r) == 0 {
                return;
            }
        }
        for (model, &min) in &c.min_per_model {
            if count(&|y| &y.model == model) < min as usize {
                return;
            }
        }
        if must.iter().any(|id| !members.iter().any(|x| x.id == *id)) {
            return;
        }
        let value: i64 = members.iter().map(|x| total(x, w)).sum();
        if best.as_ref().is_none_or(|b| value > b.value) {
            best = Some(Brute {
                value,
                ids: members.iter().map(|x| x.id).collect(),
            });
        }
    };
    rec(&pool, 0, &mut stack, l, &mut visit);
    best
}

/// Ids sorted by priority (sealed_at, id), the order the brute force uses.
fn by_priority(cands: &[Candidate], ids: &[i32]) -> Vec<i32> {
    let key: HashMap<i32, (i64, i32)> = cands.iter().map(|x| (x.id, (x.sealed_at, x.id))).collect();
    let mut v = ids.to_vec();
    v.sort_by_key(|id| key.get(id).copied());
    v
}

// ---------------------------------------------------------------------------
// Generators.

#[derive(Debug, Clone)]
struct Case {
    cands: Vec<Candidate>,
    weights: Weights,
    constraints: Constraints,
}

const MODEL_NAMES: [&str; 3] = ["government_led", "chain_leader_led", "third_party"];

type Row = (u8, u8, u8, [i64; 3], i64, Option<u8>);

fn arb_row() -> impl Strategy<Value = Row> {
    (
        0u8..7,
        0u8..7,
        0u8..3,
        proptest::array::uniform3(0i64..=4),
        0i64..5,
        proptest::option::weighted(0.1, 0u8..3),
    )
}

fn arb_weights() -> impl Strategy<Value = Weights> {
    let w = |a: i64, b: i64| Weights {
        completeness: a,
        representativeness: b.min(100 - a),
        layout: 100 - a - b.min(100 - a),
    };
    // Round weights make equal totals (ties) common.
    prop_oneof![
        3 => (0i64..=100, 0i64..=100).prop_map(move |(a, b)| w(a, b)),
        1 => Just(w(34, 33)),
        1 => Just(w(100, 0)),
        1 => Just(w(50, 50)),
        1 => Just(w(0, 50)),
    ]
}

fn arb_cap() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![Just(None), Just(Some(1)), Just(Some(1)), Just(Some(2))]
}

fn build_case(
    rows: Vec<Row>,
    district_region: Vec<u8>,
    weights: Weights,
    c: (u32, Option<u32>, Option<u32>, bool, Option<i64>),
    mins: Vec<(u8, u32)>,
    pins: Vec<usize>,
    exclusions: Vec<usize>,
) -> Case {
    let n = rows.len();
    let cands: Vec<Candidate> = rows
        .into_iter()
        .enumerate()
        .map(|(k, (d, cl, md, s, sealed, reg))| Candidate {
            // Ids run against the index so that id order and input order differ.
            id: 1000 - 3 * k as i32,
            district: format!("D{d}"),
            region: Region::ALL[reg.unwrap_or(district_region[d as usize]) as usize],
            cluster: format!("C{cl}"),
            model: MODEL_NAMES[md as usize].to_string(),
            scores: s.map(|x| x * 2500),
            sealed_at: sealed,
        })
        .collect();
    let id_of = |k: usize| if k < n { cands[k].id } else { 7 };
    let constraints = Constraints {
        list_size: c.0,
        max_per_district: c.1,
        max_per_cluster: c.2,
        each_region: c.3,
        min_completeness: c.4.map(|f| f * 2500),
        min_per_model: mins
            .into_iter()
            .map(|(md, x)| (MODEL_NAMES[md as usize].to_string(), x))
            .collect::<BTreeMap<_, _>>(),
        pins: pins.into_iter().map(id_of).collect(),
        exclusions: exclusions.into_iter().map(id_of).collect(),
    };
    Case {
        cands,
        weights,
        constraints,
    }
}

prop_compose! {
    fn arb_case(max_n: usize, max_l: u32)(n in 1..=max_n)(
        rows in proptest::collection::vec(arb_row(), n),
        district_region in proptest::collection::vec(0u8..3, 7),
        weights in arb_weights(),
        c in (1..=max_l, arb_cap(), arb_cap(), any::<bool>(),
              proptest::option::weighted(0.3, 0i64..=3)),
        mins in proptest::collection::vec((0u8..3, 0u32..=2), 0..=2),
        pins in prop_oneof![
            3 => Just(Vec::new()),
            2 => proptest::collection::vec(0..n, 1..=2),
            1 => proptest::collection::vec(0..=n, 1..=3),
        ],
        exclusions in proptest::collection::vec(0..n, 0..=2),
    ) -> Case {
        build_case(rows, district_region, weights, c, mins, pins, exclusions)
    }
}

/// Independent feasibility check of a solution.
fn feasible(case: &Case, ids: &[i32]) -> Result<i64, String> {
    let c = &case.constraints;
    let w = case.weights.as_array();
    let members: Vec<&Candidate> = ids
        .iter()
        .map(|id| case.cands.iter().find(|x| x.id == *id).ok_or("unknown id"))
        .collect::<Result<_, _>>()?;
    if members.len() != c.list_size as usize {
        return Err("wrong size".into());
    }
    let b = brute(&case.cands, w, c, ids, &[]).ok_or("infeasible when forced")?;
    if by_priority(&case.cands, &b.ids) != by_priority(&case.cands, ids) {
        return Err("not feasible as a list".into());
    }
    Ok(members.iter().map(|x| total(x, w)).sum())
}

// ---------------------------------------------------------------------------
// Property tests.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Optimality, the exact tie rule, feasibility and infeasibility against
    /// brute force; the brute-force winner survives the reductions.
    #[test]
    fn solve_matches_brute_force(case in arb_case(25, 5)) {
        let w = case.weights.as_array();
        let expected = brute(&case.cands, w, &case.constraints, &[], &[]);
        let got = solve(&case.cands, &case.weights, &case.constraints);
        match (&got, &expected) {
            (Ok(sol), Some(b)) => {
                prop_assert_eq!(sol.objective, b.value);
                prop_assert_eq!(by_priority(&case.cands, &sol.ids()), b.ids.clone());
                prop_assert_eq!(feasible(&case, &sol.ids()), Ok(b.value));
                prop_assert_eq!(sol.tie_rule.as_str(), TIE_RULE);
                let totals: Vec<i64> = sol.chosen.iter().map(|x| x.total).collect();
                prop_assert!(totals.windows(2).all(|p| p[0] >= p[1]));
                prop_assert_eq!(totals.iter().sum::<i64>(), sol.objective);

                // The reductions keep the winner.
                let m = Model::new(&case.cands, &case.constraints);
                let engine = Engine::new(&m, w);
                let kept: Vec<i32> = reduce(&m, &engine.ranking, &Restriction::default())
                    .into_iter()
                    .map(|i| m.id(i))
                    .collect();
                for id in &b.ids {
                    prop_assert!(kept.contains(id), "winner {} dropped by reduce", id);
                }
            }
            (Err(inf), None) => {
                prop_assert!(!inf.conflicts.is_empty());
            }
            _ => prop_assert!(false, "solve {:?} but brute force {:?}", got, expected),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// Margins, forcing costs and the left-out reasons against brute force.
    #[test]
    fn explain_matches_brute_force(case in arb_case(12, 4)) {
        let w = case.weights.as_array();
        let c = &case.constraints;
        let Ok(sol) = solve(&case.cands, &case.weights, c) else {
            return Ok(());
        };
        let ex = explain(&case.cands, &case.weights, c, &sol);
        prop_assert_eq!(ex.objective, sol.objective);
        prop_assert_eq!(ex.chosen.len(), sol.chosen.len());
        for ch in &ex.chosen {
            let expected = if c.pins.contains(&ch.id) {
                None
            } else {
                brute(&case.cands, w, c, &[], &[ch.id]).map(|b| sol.objective - b.value)
            };
            prop_assert_eq!(ch.margin, expected, "margin of {}", ch.id);
        }
        let by_id: HashMap<i32, &Candidate> = case.cands.iter().map(|x| (x.id, x)).collect();
        let chosen_ids = sol.ids();
        let min_chosen = sol.chosen.iter().map(|x| x.total).min().unwrap();
        let mut costed = 0;
        let admissible_out = ex
            .left_out
            .iter()
            .filter(|l| {
                let x = by_id[&l.id];
                !c.exclusions.contains(&l.id) && c.min_completeness.is_none_or(|f| x.scores[0] >= f)
            })
            .count();
        prop_assert_eq!(ex.left_out.len() + ex.chosen.len(), case.cands.len());
        for lo in &ex.left_out {
            let x = by_id[&lo.id];
            prop_assert_eq!(lo.total, total(x, w));
            if let Some(fc) = &lo.forcing_cost {
                costed += 1;
                let expected = match brute(&case.cands, w, c, &[lo.id], &[]) {
                    Some(b) => ForcingCost::Cost { units: sol.objective - b.value },
                    None => ForcingCost::Impossible,
                };
                prop_assert_eq!(fc, &expected, "forcing cost of {}", lo.id);
            }
            match &lo.reason {
                LeftOutReason::Excluded => prop_assert!(c.exclusions.contains(&lo.id)),
                LeftOutReason::BelowFloor { completeness, floor } => {
                    prop_assert!(completeness < floor);
                    prop_assert_eq!(Some(*floor), c.min_completeness);
                }
                LeftOutReason::SameDistrict { as_id, as_total } => {
                    prop_assert!(chosen_ids.contains(as_id));
                    prop_assert_eq!(&by_id[as_id].district, &x.district);
                    prop_assert!(*as_total >= lo.total);
                }
                LeftOutReason::SameCluster { as_id, as_total } => {
                    prop_assert!(chosen_ids.contains(as_id));
                    prop_assert_eq!(&by_id[as_id].cluster, &x.cluster);
                    prop_assert!(*as_total >= lo.total);
                }
                LeftOutReason::Outranked { lowest_chosen_total, .. } => {
                    prop_assert_eq!(*lowest_chosen_total, min_chosen);
                    prop_assert!(lo.total < min_chosen);
                }
                LeftOutReason::TieRule { preferred_id } => {
                    prop_assert!(chosen_ids.contains(preferred_id));
                    prop_assert_eq!(total(by_id[preferred_id], w), lo.total);
                    let forced = brute(&case.cands, w, c, &[lo.id], &[]);
                    prop_assert_eq!(forced.map(|b| b.value), Some(sol.objective));
                }
                LeftOutReason::DisplacedByConstraint { .. } => {
                    prop_assert!(lo.total >= min_chosen);
                }
            }
        }
        prop_assert_eq!(costed, admissible_out.min(FORCING_COST_COUNT));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Every relaxation offered for an infeasible instance makes it feasible when applied alone
    /// (checked by brute force), carries a value the API accepts, and the obvious single changes
    /// that work are offered: the region rule, each pin, the lowest working cap and the nearest
    /// working list size below.
    #[test]
    fn every_offered_relaxation_works_alone(case in arb_case(10, 4)) {
        let w = case.weights.as_array();
        let c = &case.constraints;
        if brute(&case.cands, w, c, &[], &[]).is_some() {
            return Ok(());
        }
        let err = solve(&case.cands, &case.weights, c).unwrap_err();
        let works = |t: &Constraints| brute(&case.cands, w, t, &[], &[]).is_some();
        for r in &err.relaxations {
            let t = r.edit.apply(c);
            prop_assert!(works(&t), "{:?} does not allow a list", r.text);
            match &r.edit {
                Change::ListSize(v) => {
                    prop_assert!((MIN_LIST_SIZE..=MAX_LIST_SIZE).contains(v));
                    prop_assert_eq!(r.target, RelaxationTarget::Round);
                }
                Change::MaxPerDistrict(v) | Change::MaxPerCluster(v) => {
                    prop_assert!(v.is_none_or(|v| v >= 1));
                }
                Change::MinCompleteness(v) => {
                    prop_assert!(v.is_none_or(|v| (0..=MAX_SCORE).contains(&v)));
                    prop_assert_eq!(&r.value, &serde_json::json!(v));
                }
                _ => {}
            }
        }
        let offered = |ch: &Change| err.relaxations.iter().any(|r| &r.edit == ch);
        if c.each_region && works(&Change::EachRegion(false).apply(c)) {
            prop_assert!(offered(&Change::EachRegion(false)));
        }
        for &id in &c.pins {
            let ch = Change::Unpin(vec![id]);
            if works(&ch.apply(c)) {
                prop_assert!(offered(&ch), "unpin {} works", id);
            }
        }
        if let Some(p) = c.max_per_district {
            if let Some(v) = (p + 1..=c.list_size).find(|&v| works(&Change::MaxPerDistrict(Some(v)).apply(c))) {
                prop_assert!(offered(&Change::MaxPerDistrict(Some(v))), "district cap {}", v);
            }
        }
        if let Some(v) = (1..c.list_size).rev().find(|&v| works(&Change::ListSize(v).apply(c))) {
            prop_assert!(offered(&Change::ListSize(v)), "list size {}", v);
        }
    }
}

/// The trial weights of the brief, computed independently.
fn trial_weights(w: [i64; 3], j: usize, v: i64) -> [i64; 3] {
    let mut out = [0; 3];
    for k in 0..3 {
        out[k] = match (w[j] == 100, k == j) {
            (true, true) => 2 * v,
            (true, false) => 100 - v,
            (false, true) => v * (100 - w[j]),
            (false, false) => w[k] * (100 - v),
        };
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(50))]

    /// Weight intervals against brute force over the whole 0..=100 grid;
    /// also checks that the winning values form one interval, the fact the
    /// binary search relies on.
    #[test]
    fn weight_intervals_match_brute_force(case in arb_case(9, 4)) {
        let c = &case.constraints;
        let Ok(sol) = solve(&case.cands, &case.weights, c) else {
            return Ok(());
        };
        let ex = explain(&case.cands, &case.weights, c, &sol);
        let w = case.weights.as_array();
        let mine = by_priority(&case.cands, &sol.ids());
        prop_assert_eq!(ex.weight_intervals.len(), 3);
        for (j, wi) in ex.weight_intervals.iter().enumerate() {
            let same: Vec<bool> = (0..=100)
                .map(|v| {
                    brute(&case.cands, trial_weights(w, j, v), c, &[], &[])
                        .is_some_and(|b| b.ids == mine)
                })
                .collect();
            let first = same.iter().position(|&s| s).unwrap() as i64;
            let last = same.iter().rposition(|&s| s).unwrap() as i64;
            prop_assert!(
                (first..=last).all(|v| same[v as usize]),
                "winning values not contiguous for weight {}", j
            );
            prop_assert_eq!((wi.low, wi.high), (first, last), "weight {}", j);
            prop_assert_eq!(wi.current, w[j]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// On pools too large for brute force, the reduced program picks the
    /// same list as the unreduced one (also with model minimums, pins,
    /// exclusions and districts that straddle regions).
    #[test]
    fn reduction_matches_unreduced(
        seed in any::<u64>(),
        l in 1u32..=12,
        caps in (arb_cap(), arb_cap()),
        each_region in any::<bool>(),
        weights in arb_weights(),
        mins in proptest::collection::vec((0u8..3, 0u32..=2), 0..=2),
        pins in proptest::collection::vec(0usize..150, 0..=2),
        exclusions in proptest::collection::vec(0usize..150, 0..=5),
        impure in proptest::collection::vec((0usize..150, 0u8..3), 0..=4),
    ) {
        let mut cands = bench::random_pool(150, seed);
        for (k, r) in impure {
            cands[k].region = Region::ALL[r as usize];
        }
        let c = Constraints {
            list_size: l,
            max_per_district: caps.0,
            max_per_cluster: caps.1,
            each_region,
            min_completeness: None,
            min_per_model: mins
                .into_iter()
                .map(|(md, x)| (MODEL_NAMES[md as usize].to_string(), x))
                .collect(),
            pins: pins.into_iter().map(|k| cands[k].id).collect(),
            exclusions: exclusions.into_iter().map(|k| cands[k].id).collect(),
        };
        let m = Model::new(&cands, &c);
        let w = weights.as_array();
        let mut full = Engine::new(&m, w);
        full.reduce = false;
        let mut reduced = Engine::new(&m, w);
        let a = full.select(&Restriction::default()).unwrap().map(|f| (f.value, sorted(f.set)));
        let b = reduced.select(&Restriction::default()).unwrap().map(|f| (f.value, sorted(f.set)));
        prop_assert_eq!(a, b);
    }
}

fn sorted(mut v: Vec<Idx>) -> Vec<Idx> {
    v.sort_unstable();
    v
}

// ---------------------------------------------------------------------------
// Unit tests.

fn cand(
    id: i32,
    district: &str,
    cluster: &str,
    region: Region,
    scores: [i64; 3],
    sealed_at: i64,
) -> Candidate {
    Candidate {
        id,
        district: district.into(),
        region,
        cluster: cluster.into(),
        model: "government_led".into(),
        scores,
        sealed_at,
    }
}

#[test]
fn two_top_proposals_in_one_district() {
    use Region::*;
    // Totals with weights 40/30/30 (in points): 95, 94, 90, 85, 80, 75.
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9500, 9500, 9500], 10),
        cand(2, "500101", "C2", MainUrban, [9400, 9400, 9400], 11),
        cand(3, "500102", "C3", MainUrban, [9000, 9000, 9000], 12),
        cand(4, "500235", "C4", Northeast, [8500, 8500, 8500], 13),
        cand(5, "500241", "C5", Southeast, [8000, 8000, 8000], 14),
        cand(6, "500103", "C6", MainUrban, [7500, 7500, 7500], 15),
    ];
    let w = Weights {
        completeness: 40,
        representativeness: 30,
        layout: 30,
    };
    let sol = solve(&pool, &w, &Constraints::default()).unwrap();
    // The top five by total would be 1..=5; one per district drops 2 for 6.
    assert_eq!(sol.ids(), vec![1, 3, 4, 5, 6]);
    assert_eq!(sol.objective, (95 + 90 + 85 + 80 + 75) * 10_000);
    assert_eq!(sol.tie_rule, TIE_RULE);

    let ex = explain(&pool, &w, &Constraints::default(), &sol);
    let two = ex.left_out.iter().find(|l| l.id == 2).unwrap();
    assert_eq!(
        two.reason,
        LeftOutReason::SameDistrict {
            as_id: 1,
            as_total: 950_000
        }
    );
    assert!(
        two.message
            .starts_with("same district (500101) as P-1, whose total is higher (95.00 vs 94.00)"),
        "{}",
        two.message
    );
    // Forcing 2 in means dropping 1 (the other district members stay).
    assert_eq!(two.forcing_cost, Some(ForcingCost::Cost { units: 10_000 }));
    // 6 is the weakest; the best list without it replaces it by nothing
    // (2 cannot come in beside 1): without 6 no list of 5 exists.
    let six = ex.chosen.iter().find(|c| c.id == 6).unwrap();
    assert_eq!(six.margin, None);
    let one = ex.chosen.iter().find(|c| c.id == 1).unwrap();
    assert_eq!(one.margin, Some(10_000)); // 2 replaces it: 95 → 94
}

#[test]
fn four_districts_cannot_fill_five_places() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500101", "C2", MainUrban, [8000, 8000, 8000], 2),
        cand(3, "500102", "C3", MainUrban, [7000, 7000, 7000], 3),
        cand(4, "500103", "C4", MainUrban, [6000, 6000, 6000], 4),
        cand(5, "500104", "C5", MainUrban, [5000, 5000, 5000], 5),
    ];
    let err = solve(&pool, &Weights::default(), &Constraints::default()).unwrap_err();
    assert_eq!(
        err.conflicts,
        vec!["only 4 districts have admissible proposals; list_size 5 with max_per_district 1 is impossible".to_string()]
    );
    assert_eq!(
        err.relaxation_texts(),
        vec!["raise max_per_district to 2", "lower list_size to 4"]
    );
}

#[test]
fn pin_conflicts_are_named() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500101", "C2", MainUrban, [5000, 8000, 8000], 2),
        cand(3, "500102", "C3", MainUrban, [7000, 7000, 7000], 3),
    ];
    let c = Constraints {
        list_size: 2,
        pins: vec![1, 2, 99],
        exclusions: vec![1],
        min_completeness: Some(6000),
        ..Constraints::default()
    };
    let err = solve(&pool, &Weights::default(), &c).unwrap_err();
    let text = err.conflicts.join("\n");
    assert!(
        text.contains("pinned proposal P-99 is not in the pool"),
        "{text}"
    );
    assert!(text.contains("P-1 is both pinned and excluded"), "{text}");
    assert!(
        text.contains("pinned P-2 has completeness 50.00, below the floor 60.00"),
        "{text}"
    );
    assert!(
        text.contains("3 proposals are pinned but list_size is 2"),
        "{text}"
    );
    assert!(
        text.contains("pinned P-1, P-2 are all in district 500101, but max_per_district is 1"),
        "{text}"
    );
}

/// Two third-party proposals in the main urban zone and a government-led one in the northeast.
fn two_third_party_and_a_northeast() -> Vec<Candidate> {
    use Region::*;
    let mut pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500102", "C2", MainUrban, [8000, 8000, 8000], 2),
        cand(3, "500235", "C3", Northeast, [7000, 7000, 7000], 3),
    ];
    pool[0].model = "third_party".into();
    pool[1].model = "third_party".into();
    pool
}

#[test]
fn infeasible_combination_lists_single_relaxations() {
    // Two places: one must be northeast (only a government_led proposal
    // there) but both must be third_party. No count alone shows it.
    let pool = two_third_party_and_a_northeast();
    let c = Constraints {
        list_size: 2,
        // A zero minimum asks for nothing and is not named.
        min_per_model: [
            ("third_party".to_string(), 2),
            ("government_led".to_string(), 0),
        ]
        .into_iter()
        .collect(),
        ..Constraints::default()
    };
    let err = solve(&pool, &Weights::default(), &c).unwrap_err();
    assert_eq!(
        err.conflicts,
        vec!["no list satisfies all the constraints together (list_size 2, max_per_district 1, max_per_cluster 1, each_region, min_per_model third_party 2)".to_string()]
    );
    // Each single change, checked by a solve: no region rule; one third_party beside the
    // northeast proposal; or a third place for the northeast proposal.
    assert_eq!(
        err.relaxation_texts(),
        vec![
            "turn off each_region",
            "lower min_per_model for third_party to 1",
            "raise list_size to 3"
        ]
    );
    assert_eq!(
        wire(&err.relaxations[1]),
        (
            RelaxationTarget::Selection,
            RelaxationOp::Set,
            "constraints.min_per_model",
            // The whole map as it would be: the zero minimum stays as it was given.
            serde_json::json!({"government_led": 0, "third_party": 1})
        )
    );
    assert_eq!(
        wire(&err.relaxations[2]),
        (
            RelaxationTarget::Round,
            RelaxationOp::Set,
            "list_size",
            serde_json::json!(3)
        )
    );
}

#[test]
fn zero_list_size_is_a_conflict() {
    let c = Constraints {
        list_size: 0,
        ..Constraints::default()
    };
    let err = solve(&bench::random_pool(10, 1), &Weights::default(), &c).unwrap_err();
    // The smallest list size that works, never 0 (which the API refuses).
    assert_eq!(err.relaxation_texts(), vec!["raise list_size to 2"]);
}

#[test]
fn tie_rule_prefers_the_earliest_sealed() {
    use Region::*;
    // Three equal totals for two places: 20 and 30 are sealed first.
    let pool = vec![
        cand(10, "500101", "C1", MainUrban, [8000, 8000, 8000], 300),
        cand(20, "500102", "C2", MainUrban, [8000, 8000, 8000], 100),
        cand(30, "500103", "C3", MainUrban, [8000, 8000, 8000], 100),
    ];
    let c = Constraints {
        list_size: 2,
        ..Constraints::default()
    };
    let sol = solve(&pool, &Weights::default(), &c).unwrap();
    assert_eq!(sol.ids(), vec![20, 30]);
    let ex = explain(&pool, &Weights::default(), &c, &sol);
    assert_eq!(
        ex.left_out[0].reason,
        LeftOutReason::TieRule { preferred_id: 30 }
    );
    assert_eq!(
        ex.left_out[0].forcing_cost,
        Some(ForcingCost::Cost { units: 0 })
    );
}

#[test]
fn weight_interval_on_a_hand_example() {
    use Region::*;
    // A is strong on completeness, B on representativeness; B is sealed first.
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [8000, 2000, 0], 2),
        cand(2, "500102", "C2", MainUrban, [2000, 8000, 0], 1),
    ];
    let w = Weights {
        completeness: 60,
        representativeness: 40,
        layout: 0,
    };
    let c = Constraints {
        list_size: 1,
        ..Constraints::default()
    };
    let sol = solve(&pool, &w, &c).unwrap();
    assert_eq!(sol.ids(), vec![1]);
    let ex = explain(&pool, &w, &c, &sol);
    let iv: Vec<(i64, i64, i64)> = ex
        .weight_intervals
        .iter()
        .map(|i| (i.current, i.low, i.high))
        .collect();
    // Completeness at v: A wins iff 8000v + 2000(100 − v) > 2000v + 8000(100 − v),
    // i.e. v > 50 (at 50 they tie and B, sealed first, wins). Symmetrically
    // representativeness must stay below 50. Layout: both score 0 there, so
    // only at 100 do they tie (and B wins).
    assert_eq!(iv, vec![(60, 51, 100), (40, 0, 49), (0, 0, 99)]);
    assert_eq!(
        ex.weight_intervals[0].message,
        "the list stays the same while the completeness weight is between 51% and 100% (now 60%), the other two keeping their ratio"
    );
}

#[test]
fn serde_defaults_and_strictness() {
    let c: Constraints = serde_json::from_str("{}").unwrap();
    assert_eq!(c, Constraints::default());
    let c: Constraints =
        serde_json::from_str(r#"{"max_per_district": null, "list_size": 3}"#).unwrap();
    assert_eq!(c.max_per_district, None);
    assert_eq!(c.max_per_cluster, Some(1));
    assert!(serde_json::from_str::<Constraints>(r#"{"list_sise": 3}"#).is_err());
    assert!(
        serde_json::from_str::<Weights>(r#"{"completeness": 50, "representativeness": 50}"#)
            .is_err()
    );
    let r: Region = serde_json::from_str(r#""main_urban""#).unwrap();
    assert_eq!(r, Region::MainUrban);
    let reason = serde_json::to_value(LeftOutReason::SameDistrict {
        as_id: 1,
        as_total: 2,
    })
    .unwrap();
    assert_eq!(reason["kind"], "same_district");
    assert!(Weights::default().validate().is_ok());
    assert!(Weights {
        completeness: 101,
        representativeness: 0,
        layout: -1
    }
    .validate()
    .is_err());
}

#[test]
fn large_pools_reduce_to_a_small_program() {
    let pool = bench::random_pool(20_000, 7);
    let sol = solve(&pool, &Weights::default(), &Constraints::default()).unwrap();
    assert_eq!(sol.chosen.len(), 5);
    assert!(sol.stats.reduced < 200, "{:?}", sol.stats);
}

#[test]
fn openapi_schemas_build() {
    use utoipa::PartialSchema;
    let schemas = [
        Candidate::schema(),
        Weights::schema(),
        Constraints::schema(),
        Solution::schema(),
        Infeasible::schema(),
        Explanation::schema(),
        LeftOutReason::schema(),
    ];
    for s in schemas {
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.len() > 20, "{json}");
    }
    let json = serde_json::to_string(&Constraints::schema()).unwrap();
    assert!(json.contains("max_per_district"), "{json}");
}

/// What a relaxation changes, as a comparable tuple.
fn wire(r: &Relaxation) -> (RelaxationTarget, RelaxationOp, &str, serde_json::Value) {
    (r.target, r.change, r.field.as_str(), r.value.clone())
}

#[test]
fn two_pins_in_one_district_and_one_cluster_are_not_fixed_by_one_cap() {
    use Region::*;
    // Raising max_per_district alone leaves the cluster cap blocking, and the other way round:
    // only unpinning one of the two allows a list.
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500101", "C1", MainUrban, [8000, 8000, 8000], 2),
        cand(3, "500102", "C2", MainUrban, [7000, 7000, 7000], 3),
    ];
    let c = Constraints {
        list_size: 2,
        pins: vec![1, 2],
        ..Constraints::default()
    };
    let err = solve(&pool, &Weights::default(), &c).unwrap_err();
    assert_eq!(err.relaxation_texts(), vec!["unpin P-1", "unpin P-2"]);
    assert_eq!(
        wire(&err.relaxations[0]),
        (
            RelaxationTarget::Selection,
            RelaxationOp::Remove,
            "pins",
            serde_json::json!([1])
        )
    );
    for r in &err.relaxations {
        assert!(
            solve(&pool, &Weights::default(), &r.edit.apply(&c)).is_ok(),
            "{r:?}"
        );
    }
}

#[test]
fn a_floor_above_everyone_is_lowered_never_the_list_size_to_zero() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [7000, 9000, 9000], 1),
        cand(2, "500102", "C2", MainUrban, [6000, 8000, 8000], 2),
        cand(3, "500103", "C3", MainUrban, [5000, 7000, 7000], 3),
    ];
    let c = Constraints {
        list_size: 2,
        min_completeness: Some(9000),
        ..Constraints::default()
    };
    let err = solve(&pool, &Weights::default(), &c).unwrap_err();
    // The highest floor that admits two proposals is P-2's 60.00, in the request's unit.
    assert_eq!(
        err.relaxation_texts(),
        vec!["lower min_completeness to 6000 (60.00 points)"]
    );
    assert_eq!(
        wire(&err.relaxations[0]),
        (
            RelaxationTarget::Selection,
            RelaxationOp::Set,
            "constraints.min_completeness",
            serde_json::json!(6000)
        )
    );
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(
        json["relaxations"][0],
        serde_json::json!({
            "target": "selection",
            "change": "set",
            "field": "constraints.min_completeness",
            "value": 6000,
            "text": "lower min_completeness to 6000 (60.00 points)"
        })
    );
}

// ---------------------------------------------------------------------------
// The counting arguments (`diagnose::precheck`), each at its boundary: the conflict is named
// exactly when the count fails, and nothing else is said.

fn prechecked(pool: &[Candidate], c: &Constraints) -> Vec<String> {
    super::diagnose::precheck(&Model::new(pool, c))
}

/// Three proposals in the main urban zone, each in its own district and cluster.
fn three_main_urban() -> Vec<Candidate> {
    use Region::*;
    vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500102", "C2", MainUrban, [8000, 8000, 8000], 2),
        cand(3, "500103", "C3", MainUrban, [7000, 7000, 7000], 3),
    ]
}

#[test]
fn precheck_a_zero_cap_or_an_empty_list() {
    let pool = three_main_urban();
    let zero_cap = Constraints {
        list_size: 2,
        max_per_district: Some(0),
        ..Constraints::default()
    };
    assert_eq!(
        prechecked(&pool, &zero_cap),
        ["max_per_district is 0, so no proposal can be chosen"]
    );
    // An empty list is its own conflict; the caps, regions and models then ask for nothing.
    let empty = Constraints {
        list_size: 0,
        max_per_district: Some(0),
        min_per_model: [("third_party".to_string(), 1)].into_iter().collect(),
        ..Constraints::default()
    };
    let mut pool = pool;
    pool[0].region = Region::Northeast;
    assert_eq!(
        prechecked(&pool, &empty),
        ["list_size is 0: a list needs at least one proposal"]
    );
    assert!(prechecked(
        &pool,
        &Constraints {
            list_size: 2,
            ..Constraints::default()
        }
    )
    .is_empty());
}

#[test]
fn precheck_pins_against_the_list_size() {
    let pool = three_main_urban();
    let c = |pins: Vec<i32>| Constraints {
        list_size: 2,
        pins,
        ..Constraints::default()
    };
    assert!(prechecked(&pool, &c(vec![1, 2])).is_empty());
    assert_eq!(
        prechecked(&pool, &c(vec![1, 2, 3])),
        ["3 proposals are pinned but list_size is 2"]
    );
}

#[test]
fn precheck_too_few_admissible_counts_excluded_and_below_the_floor_apart() {
    use Region::*;
    // 1 excluded and below the floor, 2 excluded, 3 and 4 below the floor, 5 admissible.
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [1000, 9000, 9000], 1),
        cand(2, "500102", "C2", MainUrban, [9000, 9000, 9000], 2),
        cand(3, "500103", "C3", MainUrban, [1000, 9000, 9000], 3),
        cand(4, "500104", "C4", MainUrban, [1000, 9000, 9000], 4),
        cand(5, "500105", "C5", MainUrban, [9000, 9000, 9000], 5),
    ];
    let c = Constraints {
        list_size: 2,
        exclusions: vec![1, 2],
        min_completeness: Some(5000),
        ..Constraints::default()
    };
    assert_eq!(
        prechecked(&pool, &c),
        ["only 1 proposal is admissible (2 excluded, 2 below the completeness floor); list_size 2 is impossible"]
    );
}

#[test]
fn precheck_min_per_model() {
    use Region::*;
    // Two third-party proposals, both in district 500101; two others elsewhere.
    let mut pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500101", "C2", MainUrban, [8000, 8000, 8000], 2),
        cand(3, "500102", "C3", MainUrban, [7000, 7000, 7000], 3),
        cand(4, "500103", "C4", MainUrban, [6000, 6000, 6000], 4),
    ];
    pool[0].model = "third_party".into();
    pool[1].model = "third_party".into();
    let c = |min: u32, list_size: u32| Constraints {
        list_size,
        min_per_model: [("third_party".to_string(), min)].into_iter().collect(),
        ..Constraints::default()
    };
    // The caps allow one of the two (both in one district).
    assert_eq!(
        prechecked(&pool, &c(2, 3)),
        ["min_per_model requires 2 third_party proposals but the district and cluster caps allow at most 1 of the 2 admissible ones"]
    );
    assert!(prechecked(&pool, &c(1, 3)).is_empty());
    // More than there are.
    assert_eq!(
        prechecked(&pool, &c(3, 3)),
        ["min_per_model requires 3 third_party proposals but only 2 are admissible"]
    );
    // More than the list holds: the sum names only the models asked for.
    assert_eq!(
        prechecked(&pool, &c(3, 2))[0],
        "min_per_model asks for 3 proposals in total (third_party 3) but list_size is 2"
    );
}

#[test]
fn precheck_what_the_pins_leave_for_regions_and_models() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500102", "C2", MainUrban, [8000, 8000, 8000], 2),
        cand(3, "500103", "C3", MainUrban, [7000, 7000, 7000], 3),
        cand(4, "500235", "C4", Northeast, [6000, 6000, 6000], 4),
        cand(5, "500241", "C5", Southeast, [5000, 5000, 5000], 5),
        cand(6, "500236", "C6", Northeast, [4000, 4000, 4000], 5),
    ];
    let c = |list_size: u32, pins: Vec<i32>| Constraints {
        list_size,
        pins,
        ..Constraints::default()
    };
    assert_eq!(
        prechecked(&pool, &c(3, vec![1, 2])),
        ["with 2 proposals pinned, 1 place remains, but region(s) northeast, southeast still need one each"]
    );
    // Two places left for two regions: fine.
    assert!(prechecked(&pool, &c(5, vec![1, 2, 3])).is_empty());
    // Without pins nothing is left over to check (the region count itself is not short).
    assert!(prechecked(&pool, &c(3, vec![])).is_empty());
    assert_eq!(
        prechecked(&pool, &c(2, vec![])),
        ["each_region requires one proposal from each of the 3 regions with admissible proposals, but list_size is 2"]
    );
    // Models: two government-led pins leave one place for two third-party proposals.
    let mut pool = pool;
    pool[3].model = "third_party".into();
    pool[5].model = "third_party".into();
    let models = Constraints {
        list_size: 3,
        pins: vec![1, 2],
        each_region: false,
        min_per_model: [("third_party".to_string(), 2)].into_iter().collect(),
        ..Constraints::default()
    };
    assert_eq!(
        prechecked(&pool, &models),
        ["with 2 proposals pinned, 1 place remains, but min_per_model still needs 2"]
    );
}

#[test]
fn relaxations_drop_every_model_minimum_only_when_no_single_one_works() {
    let mut pool = three_main_urban();
    let two_minimums = |list_size: u32| Constraints {
        list_size,
        min_per_model: [
            ("third_party".to_string(), 1),
            ("chain_leader_led".to_string(), 1),
        ]
        .into_iter()
        .collect(),
        ..Constraints::default()
    };
    // No proposal of either model: dropping one minimum leaves the other; only both go.
    let err = solve(&pool, &Weights::default(), &two_minimums(1)).unwrap_err();
    assert_eq!(err.relaxation_texts(), ["drop min_per_model"]);
    // One third-party proposal: dropping the chain-leader minimum is enough, and is the answer.
    pool[2].model = "third_party".into();
    let err = solve(&pool, &Weights::default(), &two_minimums(2)).unwrap_err();
    assert_eq!(
        err.relaxation_texts(),
        ["drop the min_per_model minimum for chain_leader_led"]
    );
}

#[test]
fn a_zero_cap_is_raised_to_one() {
    let c = Constraints {
        list_size: 2,
        max_per_district: Some(0),
        ..Constraints::default()
    };
    let err = solve(&three_main_urban(), &Weights::default(), &c).unwrap_err();
    assert_eq!(
        err.conflicts,
        ["max_per_district is 0, so no proposal can be chosen"]
    );
    assert_eq!(err.relaxation_texts(), ["raise max_per_district to 1"]);
}

// ---------------------------------------------------------------------------
// What the explanation says of each chosen proposal, in which order it lists the others, and
// where it stops computing forcing costs.

/// `n` main-urban proposals, each in its own district and cluster, totals 90, 80, 70, … points
/// (the last ones may repeat a total: `scores` gives them).
fn distinct_pool(scores: &[i64]) -> Vec<Candidate> {
    scores
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let id = i32::try_from(k + 1).unwrap();
            cand(
                id,
                &format!("D{id}"),
                &format!("C{id}"),
                Region::MainUrban,
                [s, s, s],
                i64::from(id),
            )
        })
        .collect()
}

fn two_places() -> Constraints {
    Constraints {
        list_size: 2,
        ..Constraints::default()
    }
}

#[test]
fn chosen_messages_ranks_and_left_out_order() {
    // 2 and 3 tie; the tie rule keeps 2 (sealed first), so 3 can replace it at no cost.
    let pool = distinct_pool(&[9000, 8000, 8000, 7000]);
    let w = Weights::default();
    let sol = solve(&pool, &w, &two_places()).unwrap();
    let ex = explain(&pool, &w, &two_places(), &sol);
    let ranks: Vec<(u32, i32)> = ex.chosen.iter().map(|c| (c.rank, c.id)).collect();
    assert_eq!(ranks, [(1, 1), (2, 2)]);
    assert_eq!(ex.chosen[0].margin, Some(1_000 * 100));
    assert!(
        ex.chosen[0]
            .message
            .ends_with("its total could drop by 10.00 points before a list without it is as good"),
        "{}",
        ex.chosen[0].message
    );
    assert_eq!(ex.chosen[1].margin, Some(0));
    assert!(
        ex.chosen[1]
            .message
            .ends_with("an equally good list without it exists, and the tie rule keeps it"),
        "{}",
        ex.chosen[1].message
    );
    // The others from the strongest down.
    let left: Vec<i32> = ex.left_out.iter().map(|l| l.id).collect();
    assert_eq!(left, [3, 4]);
    assert_eq!(ex.weight_intervals.len(), 3);
}

#[test]
fn forcing_costs_stop_after_the_first_twenty() {
    let scores: Vec<i64> = (0..23).map(|k| 9000 - 100 * k).collect();
    let pool = distinct_pool(&scores);
    let w = Weights::default();
    let sol = solve(&pool, &w, &two_places()).unwrap();
    let ex = explain(&pool, &w, &two_places(), &sol);
    assert_eq!(ex.left_out.len(), 21);
    let costed = ex
        .left_out
        .iter()
        .take_while(|l| l.forcing_cost.is_some())
        .count();
    assert_eq!(costed, FORCING_COST_COUNT);
    assert_eq!(ex.left_out[20].forcing_cost, None);
}

#[test]
fn a_pinned_proposal_has_no_margin() {
    let pool = distinct_pool(&[9000, 8000, 7000]);
    let w = Weights::default();
    let c = Constraints {
        pins: vec![3],
        ..two_places()
    };
    let sol = solve(&pool, &w, &c).unwrap();
    let ex = explain(&pool, &w, &c, &sol);
    let three = ex.chosen.iter().find(|x| x.id == 3).unwrap();
    assert_eq!(three.margin, None);
    assert!(
        three
            .message
            .ends_with("pinned by the panel, so it cannot leave the list"),
        "{}",
        three.message
    );
    let one = ex.chosen.iter().find(|x| x.id == 1).unwrap();
    assert!(one.margin.is_some());
}

#[test]
fn inputs_without_a_list_get_reasons_but_no_solves() {
    let pool = distinct_pool(&[9000, 8000, 7000]);
    let w = Weights::default();
    // A list solved under other constraints, explained under ones the counting rules refuse.
    let sol = solve(&pool, &w, &two_places()).unwrap();
    let refused = Constraints {
        pins: vec![1, 2, 3],
        ..two_places()
    };
    let ex = explain(&pool, &w, &refused, &sol);
    for c in &ex.chosen {
        assert_eq!(c.margin, None);
        assert!(
            c.message
                .ends_with("no margin: the inputs do not admit a list"),
            "{}",
            c.message
        );
    }
    assert!(ex.left_out.iter().all(|l| l.forcing_cost.is_none()));
    assert!(ex.weight_intervals.is_empty());
    // Weights that do not sum to 100 are refused the same way.
    let bad = Weights {
        completeness: 50,
        representativeness: 50,
        layout: 50,
    };
    let ex = explain(&pool, &bad, &two_places(), &sol);
    assert!(ex.chosen.iter().all(|c| c.margin.is_none()));
    assert!(ex.weight_intervals.is_empty());
}

#[test]
fn probe_weights_keep_the_others_ratio_and_divide_by_the_gcd() {
    use super::explain::probe_weights;
    // 40/30/30 with completeness moved to 50: 50·60 : 30·50 : 30·50 = 2 : 1 : 1.
    assert_eq!(probe_weights([40, 30, 30], 0, 50), [2, 1, 1]);
    // 100/0/0 moved to 60: the others split the rest equally, 2·60 : 40 : 40 = 3 : 1 : 1.
    assert_eq!(probe_weights([100, 0, 0], 0, 60), [3, 1, 1]);
    // 41·60 : 30·59 : 30·59 = 2460 : 1770 : 1770, divided by their gcd 30.
    assert_eq!(probe_weights([40, 30, 30], 0, 41), [82, 59, 59]);
}

#[test]
fn pins_that_only_fail_together_are_unpinned_together() {
    use Region::*;
    // Three pins in one district with one place per district: unpinning any one leaves two.
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000, 9000, 9000], 1),
        cand(2, "500101", "C2", MainUrban, [8000, 8000, 8000], 2),
        cand(3, "500101", "C3", MainUrban, [7000, 7000, 7000], 3),
        cand(4, "500102", "C4", MainUrban, [6000, 6000, 6000], 4),
        cand(5, "500103", "C5", MainUrban, [5000, 5000, 5000], 5),
        cand(6, "500104", "C6", MainUrban, [4000, 4000, 4000], 6),
    ];
    let c = Constraints {
        list_size: 3,
        pins: vec![1, 2, 3],
        ..Constraints::default()
    };
    let err = solve(&pool, &Weights::default(), &c).unwrap_err();
    assert_eq!(
        err.relaxation_texts(),
        ["raise max_per_district to 3", "unpin P-1, P-2, P-3"]
    );
}

#[test]
fn a_larger_list_is_offered_up_to_the_proposals_above_the_floor() {
    // As in `infeasible_combination_lists_single_relaxations`, with a floor every proposal
    // clears: a third place is still possible.
    let pool = two_third_party_and_a_northeast();
    let c = Constraints {
        list_size: 2,
        min_completeness: Some(6000),
        min_per_model: [("third_party".to_string(), 2)].into_iter().collect(),
        ..Constraints::default()
    };
    let err = solve(&pool, &Weights::default(), &c).unwrap_err();
    assert_eq!(
        err.relaxation_texts(),
        [
            "turn off each_region",
            "lower min_per_model for third_party to 1",
            "raise list_size to 3"
        ]
    );
}

// ---------------------------------------------------------------------------
// How much the reductions drop: each rule of `reduce` (see its documentation) on a pool built so
// that the rule's bound is reached exactly. The property tests show that the reductions keep an
// optimal list; these show that they drop what their bounds allow, no less (a weaker reduction
// is still exact, only slower: the bench's figures rest on these).

/// The ids `reduce` keeps, in rank order.
fn kept(pool: &[Candidate], c: &Constraints) -> Vec<i32> {
    let m = Model::new(pool, c);
    let engine = Engine::new(&m, Weights::default().as_array());
    reduce(&m, &engine.ranking, &Restriction::default())
        .into_iter()
        .map(|i| m.id(i))
        .collect()
}

/// `n` proposals, each in a district and a cluster of its own, best first from id `from`.
fn spread(from: i32, n: i32, region: Region, model: &str) -> Vec<Candidate> {
    (from..from + n)
        .map(|id| {
            let s = 9_000 - i64::from(id) * 10;
            let mut c = cand(
                id,
                &format!("D{id}"),
                &format!("K{id}"),
                region,
                [s, s, s],
                i64::from(id),
            );
            c.model = model.into();
            c
        })
        .collect()
}

fn caps(list_size: u32, p: Option<u32>, q: Option<u32>) -> Constraints {
    Constraints {
        list_size,
        max_per_district: p,
        max_per_cluster: q,
        each_region: false,
        ..Constraints::default()
    }
}

/// Rule 2a: with every proposal in a district and cluster of its own, the one after the first
/// `B_A + 1` is dominated, `B_A` as the documentation gives it for each kind of caps.
#[test]
fn the_global_matching_drops_all_after_its_bound() {
    let pool = spread(1, 40, Region::MainUrban, "government_led");
    let ids = |n: i32| (1..=n).collect::<Vec<i32>>();
    // p = q = 1, L = 5: B_A = (L−1) + ⌊(L−1)/q⌋ = 8.
    assert_eq!(kept(&pool, &caps(5, Some(1), Some(1))), ids(9));
    // p = 1, no q: 4 + 0.
    assert_eq!(kept(&pool, &caps(5, Some(1), None)), ids(5));
    // p = 3, q = 1: (L−1) + ⌊(L−1)/p⌋ = 4 + 1.
    assert_eq!(kept(&pool, &caps(5, Some(3), Some(1))), ids(6));
    // No p, q = 2: 4 + 0 + 2.
    assert_eq!(kept(&pool, &caps(5, None, Some(2))), ids(7));
    // p = 2, q = 3, L = 7: 6 + 3 + 2.
    assert_eq!(kept(&pool, &caps(7, Some(2), Some(3))), ids(12));
    // No caps, L = 3: 2.
    assert_eq!(kept(&pool, &caps(3, None, None)), ids(3));
    // Nothing can be chosen: everything is kept for the solver to say so.
    assert_eq!(kept(&pool, &caps(0, Some(1), Some(1))).len(), 40);
    assert_eq!(kept(&pool, &caps(5, Some(0), Some(1))).len(), 40);
    assert_eq!(kept(&pool, &caps(5, Some(1), Some(0))).len(), 40);
}

/// Rule 1: one class (same district, cluster, region, model) keeps its best `min(L, p, q)`.
#[test]
fn a_class_keeps_its_best_k() {
    let pool: Vec<Candidate> = (1..=10)
        .map(|id| {
            let s = 9_000 - i64::from(id) * 10;
            cand(id, "D", "K", Region::MainUrban, [s, s, s], i64::from(id))
        })
        .collect();
    assert_eq!(kept(&pool, &caps(5, Some(3), None)), [1, 2, 3]);
    assert_eq!(kept(&pool, &caps(5, Some(4), Some(2))), [1, 2]);
    assert_eq!(kept(&pool, &caps(2, Some(4), Some(3))), [1, 2]);
    assert_eq!(kept(&pool, &caps(5, None, None)), [1, 2, 3, 4, 5]);
    // A pinned proposal is kept whatever its class holds.
    let mut c = caps(5, Some(3), None);
    c.pins = vec![9];
    assert_eq!(kept(&pool, &c), [1, 2, 3, 9]);
}

/// Rule 2b (both caps on): `c` in district D and cluster K is dominated when more than
/// `⌊(L−1)/p⌋ + ⌊(L−1)/q⌋ + min(p + q − 2, L − 1)` better ones sit in D with distinct other
/// clusters or in K with distinct other districts; here L = 10, p = q = 2: 4 + 4 + 2 = 10.
#[test]
fn the_neighbourhood_drops_past_its_bound() {
    let neighbourhood = |in_d: i32, in_k: i32| {
        let mut pool = Vec::new();
        let mut id = 0;
        let mut push = |district: String, cluster: String| {
            id += 1;
            let s = 9_000 - i64::from(id) * 10;
            pool.push(cand(
                id,
                &district,
                &cluster,
                Region::MainUrban,
                [s, s, s],
                i64::from(id),
            ));
        };
        for j in 1..=in_d {
            push("D0".into(), format!("K{j}"));
        }
        for j in 1..=in_k {
            push(format!("D{j}"), "K0".into());
        }
        push("D0".into(), "K0".into());
        pool
    };
    let c = caps(10, Some(2), Some(2));
    let last = |pool: &[Candidate]| pool.last().unwrap().id;
    let pool = neighbourhood(6, 5);
    assert!(!kept(&pool, &c).contains(&last(&pool)), "11 > 10");
    assert_eq!(kept(&pool, &c).len(), 11);
    let pool = neighbourhood(5, 5);
    assert!(kept(&pool, &c).contains(&last(&pool)), "10 is not > 10");
    let pool = neighbourhood(4, 7);
    assert!(!kept(&pool, &c).contains(&last(&pool)), "4 + 7 > 10");
    // Only one cap: no neighbourhood rule (the global matching holds 2 ≤ its bound).
    let pool = neighbourhood(6, 5);
    assert!(kept(&pool, &caps(10, Some(2), None)).contains(&last(&pool)));
    // p = 2, q = 3: 4 + 3 + min(3, 9) = 10 again.
    let c23 = caps(10, Some(2), Some(3));
    let pool = neighbourhood(6, 5);
    assert!(!kept(&pool, &c23).contains(&last(&pool)), "11 > 10");
    let pool = neighbourhood(5, 5);
    assert!(kept(&pool, &c23).contains(&last(&pool)), "10 is not > 10");
    // Clusters are counted once: a second better one in D0 and K1 adds nothing.
    let mut pool = neighbourhood(5, 5);
    let mut twin = pool[0].clone();
    twin.id = 99;
    twin.sealed_at = 99;
    pool.insert(1, twin);
    assert!(kept(&pool, &c).contains(&last(&pool)), "still 10");
    // With a minimum on their (common) model the same counts hold, in that model's own tables.
    let mut min = c.clone();
    min.min_per_model = BTreeMap::from([("government_led".to_owned(), 1)]);
    let pool = neighbourhood(6, 5);
    assert!(!kept(&pool, &min).contains(&last(&pool)), "11 > 10");
    let pool = neighbourhood(5, 5);
    assert!(kept(&pool, &min).contains(&last(&pool)), "10 is not > 10");
    let pool = neighbourhood(4, 7);
    assert!(!kept(&pool, &min).contains(&last(&pool)), "4 + 7 > 10");
}

/// Rules 2c and 2d, with the region rule on: a proposal that may be its region's only member
/// is dropped only for better ones of its own region — more than `⌊(L−1)/q⌋` in distinct
/// clusters (2c), or one in its own cluster (2d).
#[test]
fn the_region_rule_keeps_each_regions_best() {
    let mut pool = spread(1, 9, Region::MainUrban, "government_led");
    pool.extend(spread(10, 7, Region::Northeast, "government_led"));
    pool.extend(spread(20, 7, Region::Southeast, "government_led"));
    let mut c = caps(5, Some(1), Some(1));
    c.each_region = true;
    // Past the first 9 every proposal is dominated by the global matching (case A); with the
    // region rule each region also keeps its first ⌊4/1⌋ + 1 = 5.
    let mut expected: Vec<i32> = (1..=9).collect();
    expected.extend(10..=14);
    expected.extend(20..=24);
    assert_eq!(kept(&pool, &c), expected);
    // 2d: a northeastern proposal in the cluster of a better northeastern one (its district
    // northeastern only) is dropped although its region has kept only two.
    let mut pool = spread(1, 9, Region::MainUrban, "government_led");
    pool.extend(spread(10, 2, Region::Northeast, "government_led"));
    let mut twin = spread(12, 1, Region::Northeast, "government_led");
    twin[0].cluster = "K10".into();
    pool.extend(twin);
    pool.extend(spread(13, 1, Region::Northeast, "government_led"));
    pool.extend(spread(20, 1, Region::Southeast, "government_led"));
    let kept_ids = kept(&pool, &c);
    assert!(!kept_ids.contains(&12), "{kept_ids:?}");
    assert!(kept_ids.contains(&13), "{kept_ids:?}");
    // The same with a minimum on their (common) model, in that model's own tables.
    let mut min = c.clone();
    min.min_per_model = BTreeMap::from([("government_led".to_owned(), 1)]);
    let kept_ids = kept(&pool, &min);
    assert!(!kept_ids.contains(&12), "{kept_ids:?}");
    assert!(kept_ids.contains(&13), "{kept_ids:?}");
    let mut big = spread(1, 9, Region::MainUrban, "government_led");
    big.extend(spread(10, 7, Region::Northeast, "government_led"));
    big.extend(spread(20, 7, Region::Southeast, "government_led"));
    assert_eq!(kept(&big, &min), expected);
    // Without the region rule the same pool keeps only the first 9.
    c.each_region = false;
    assert_eq!(kept(&pool, &c), (1..=9).collect::<Vec<_>>());
}

/// Compatibility: a proposal whose model has a minimum is dominated only by better ones of its
/// model (dropping it could break the minimum); models without one are interchangeable.
#[test]
fn a_model_minimum_keeps_its_models_best() {
    let mut pool = spread(1, 9, Region::MainUrban, "third_party");
    pool.extend(spread(10, 12, Region::MainUrban, "government_led"));
    let c = caps(5, Some(1), Some(1));
    assert_eq!(kept(&pool, &c), (1..=9).collect::<Vec<_>>());
    let mut with_min = c.clone();
    with_min.min_per_model = BTreeMap::from([("government_led".to_owned(), 1)]);
    // The government-led ones count among themselves: their first 9 are kept.
    let mut expected: Vec<i32> = (1..=9).collect();
    expected.extend(10..=18);
    assert_eq!(kept(&pool, &with_min), expected);
    // A minimum of 0 is no minimum.
    let mut zero = c.clone();
    zero.min_per_model = BTreeMap::from([("government_led".to_owned(), 0)]);
    assert_eq!(kept(&pool, &zero), (1..=9).collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------
// Why a proposal is left out: each constraint that can keep the lowest chosen one in, and each
// earlier reason at its edge, on a hand-built pool.

/// The left-out proposal `id`'s reason and message under `c` (default weights).
fn left_out(pool: &[Candidate], c: &Constraints, id: i32) -> (LeftOutReason, String) {
    let w = Weights::default();
    let sol = solve(pool, &w, c).unwrap();
    let ex = explain(pool, &w, c, &sol);
    let lo = ex
        .left_out
        .iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("P-{id} is chosen: {:?}", sol.ids()));
    (lo.reason.clone(), lo.message.clone())
}

fn displaced(constraint: &str) -> LeftOutReason {
    LeftOutReason::DisplacedByConstraint {
        constraint: constraint.into(),
    }
}

fn free(list_size: u32) -> Constraints {
    Constraints {
        list_size,
        max_per_district: None,
        max_per_cluster: None,
        each_region: false,
        ..Constraints::default()
    }
}

fn modelled(mut c: Candidate, model: &str) -> Candidate {
    c.model = model.into();
    c
}

#[test]
fn the_only_member_of_a_required_region_keeps_a_stronger_one_out() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9500; 3], 1),
        cand(2, "500102", "C2", MainUrban, [9000; 3], 2),
        cand(5, "500235", "C5", Northeast, [6000; 3], 5),
        cand(6, "500241", "C6", Southeast, [5000; 3], 6),
    ];
    let mut c = free(3);
    c.each_region = true;
    let (reason, msg) = left_out(&pool, &c, 2);
    assert_eq!(reason, displaced("each_region"), "{msg}");
    assert!(
        msg.contains("P-6 is the only chosen proposal from region"),
        "{msg}"
    );
    // Without the region rule it is simply in.
    let sol = solve(&pool, &Weights::default(), &free(3)).unwrap();
    assert_eq!(sol.ids(), vec![1, 2, 5]);
}

#[test]
fn a_model_minimum_keeps_a_stronger_one_out() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9500; 3], 1),
        cand(2, "500102", "C2", MainUrban, [9000; 3], 2),
        modelled(
            cand(3, "500103", "C3", MainUrban, [5000; 3], 3),
            "third_party",
        ),
    ];
    let mut c = free(2);
    c.min_per_model = BTreeMap::from([("third_party".to_owned(), 1)]);
    let (reason, msg) = left_out(&pool, &c, 2);
    assert_eq!(reason, displaced("min_per_model"), "{msg}");
    assert!(
        msg.contains("P-3 is needed for the min_per_model of third_party"),
        "{msg}"
    );
}

/// The district (or cluster) is full with proposals weaker than the left-out one, each held in
/// by another rule, and the lowest chosen is elsewhere: the cap is named.
#[test]
fn a_full_district_or_cluster_of_weaker_ones_is_named() {
    use Region::*;
    // x (third-party, the only one: needed for the minimum) fills district D1; c in D1 is
    // stronger than x and than the lowest chosen d, but can replace neither.
    let pool = vec![
        modelled(
            cand(1, "500101", "C1", MainUrban, [7000; 3], 1),
            "third_party",
        ),
        cand(2, "500102", "C2", MainUrban, [6000; 3], 2),
        cand(3, "500101", "C3", MainUrban, [8000; 3], 3),
    ];
    let mut c = free(2);
    c.max_per_district = Some(1);
    c.min_per_model = BTreeMap::from([("third_party".to_owned(), 1)]);
    let (reason, msg) = left_out(&pool, &c, 3);
    assert_eq!(reason, displaced("max_per_district"), "{msg}");
    assert!(
        msg.contains("its district 500101 already has the most chosen proposals"),
        "{msg}"
    );
    // The same with clusters.
    let pool = vec![
        modelled(
            cand(1, "500101", "C1", MainUrban, [7000; 3], 1),
            "third_party",
        ),
        cand(2, "500102", "C2", MainUrban, [6000; 3], 2),
        cand(3, "500103", "C1", MainUrban, [8000; 3], 3),
    ];
    let mut c = free(2);
    c.max_per_cluster = Some(1);
    c.min_per_model = BTreeMap::from([("third_party".to_owned(), 1)]);
    let (reason, msg) = left_out(&pool, &c, 3);
    assert_eq!(reason, displaced("max_per_cluster"), "{msg}");
    assert!(
        msg.contains("its cluster C1 already has the most chosen proposals"),
        "{msg}"
    );
}

/// A district not yet full is no reason, even beside a stronger chosen one of it.
#[test]
fn a_district_with_room_is_not_the_reason() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9500; 3], 1),
        cand(2, "500102", "C2", MainUrban, [9000; 3], 2),
        cand(3, "500101", "C3", MainUrban, [5000; 3], 3),
    ];
    let mut c = free(2);
    c.max_per_district = Some(2);
    let (reason, msg) = left_out(&pool, &c, 3);
    assert!(
        matches!(
            reason,
            LeftOutReason::Outranked {
                lowest_chosen_id: 2,
                ..
            }
        ),
        "{reason:?}: {msg}"
    );
}

/// Equal totals: the message says "equal", and a tie lost on the rule says why the other one
/// is preferred — sealed earlier, or sealed at the same time with a lower id; with three places,
/// the swap is one for one.
#[test]
fn equal_totals_are_said_as_such() {
    use Region::*;
    // d is pinned (so no tie swap): c is out for the same district, whose total is equal.
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [8000; 3], 1),
        cand(2, "500101", "C2", MainUrban, [8000; 3], 2),
        cand(3, "500102", "C3", MainUrban, [7000; 3], 3),
    ];
    let mut c = free(2);
    c.max_per_district = Some(1);
    c.pins = vec![2];
    let (reason, msg) = left_out(&pool, &c, 1);
    assert_eq!(
        reason,
        LeftOutReason::SameDistrict {
            as_id: 2,
            as_total: 80 * Weights::default().as_array().iter().sum::<i64>() * 100
        },
        "{msg}"
    );
    assert!(msg.contains("whose total is equal ("), "{msg}");

    let pool = vec![
        cand(10, "500101", "C1", MainUrban, [9000; 3], 5),
        cand(20, "500102", "C2", MainUrban, [8000; 3], 1),
        cand(30, "500103", "C3", MainUrban, [8000; 3], 2),
        cand(40, "500104", "C4", MainUrban, [8000; 3], 2),
    ];
    let (reason, msg) = left_out(&pool, &free(3), 40);
    assert_eq!(reason, LeftOutReason::TieRule { preferred_id: 30 }, "{msg}");
    assert!(msg.contains("(sealed at the same time, lower id)"), "{msg}");
    let pool = vec![
        cand(10, "500101", "C1", MainUrban, [9000; 3], 5),
        cand(20, "500102", "C2", MainUrban, [8000; 3], 1),
        cand(30, "500103", "C3", MainUrban, [8000; 3], 2),
        cand(40, "500104", "C4", MainUrban, [8000; 3], 3),
    ];
    let (reason, msg) = left_out(&pool, &free(3), 40);
    assert_eq!(reason, LeftOutReason::TieRule { preferred_id: 30 }, "{msg}");
    assert!(msg.contains("(sealed earlier)"), "{msg}");
}

/// The explanation reports how many integer programs it solved (stored with the run): its own
/// margins and forcing costs plus every probe of the weight intervals. Pinned on the hand
/// example above, where each part is small enough to count: a change in the count is a change
/// in the work done, to be made on purpose.
#[test]
fn the_explanations_solve_count_adds_up() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [8000, 2000, 0], 2),
        cand(2, "500102", "C2", MainUrban, [2000, 8000, 0], 1),
    ];
    let w = Weights {
        completeness: 60,
        representativeness: 40,
        layout: 0,
    };
    let c = Constraints {
        list_size: 1,
        ..Constraints::default()
    };
    let sol = solve(&pool, &w, &c).unwrap();
    let ex = explain(&pool, &w, &c, &sol);
    assert_eq!(sol.stats.ip_solves, 1);
    assert_eq!(ex.ip_solves, 18);
}

#[test]
fn region_labels_are_the_notices_names() {
    assert_eq!(Region::MainUrban.label(), "主城都市区");
    assert_eq!(Region::Northeast.label(), "渝东北三峡库区城镇群");
    assert_eq!(Region::Southeast.label(), "渝东南武陵山区城镇群");
}

#[test]
fn an_infeasible_run_says_why_and_what_would_help() {
    use Region::*;
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9000; 3], 1),
        cand(2, "500101", "C2", MainUrban, [8000; 3], 2),
        cand(3, "500102", "C3", MainUrban, [7000; 3], 3),
    ];
    let err = solve(&pool, &Weights::default(), &free(4)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "no list is possible: {} (possible relaxations: {})",
            err.conflicts.join("; "),
            err.relaxation_texts().join("; ")
        )
    );
    assert!(!err.relaxations.is_empty());
    // Lifting an exclusion keeps the other exclusions.
    let mut c = free(2);
    c.exclusions = vec![1, 2, 3];
    let lifted = Change::LiftExclusions(vec![2]).apply(&c);
    assert_eq!(lifted.exclusions, [1, 3]);
    let unpinned = Change::Unpin(vec![2]).apply(&Constraints {
        pins: vec![1, 2],
        ..free(2)
    });
    assert_eq!(unpinned.pins, [1]);
}

/// The edges between the constraint reasons: each rule speaks only when its whole condition
/// holds, and a later rule is reached when an earlier one's condition holds only in part.
#[test]
fn each_constraint_reason_needs_its_whole_condition() {
    use Region::*;
    // The district scenario again, with the region rule on (one region, so it is required) and
    // c's model unlike d's: neither the region rule nor a model without a minimum is the reason.
    let pool = vec![
        modelled(
            cand(1, "500101", "C1", MainUrban, [7000; 3], 1),
            "third_party",
        ),
        modelled(
            cand(2, "500102", "C2", MainUrban, [6000; 3], 2),
            "chain_leader_led",
        ),
        cand(3, "500101", "C3", MainUrban, [8000; 3], 3),
    ];
    let mut c = free(2);
    c.max_per_district = Some(1);
    c.each_region = true;
    c.min_per_model = BTreeMap::from([("third_party".to_owned(), 1)]);
    let (reason, msg) = left_out(&pool, &c, 3);
    assert_eq!(reason, displaced("max_per_district"), "{msg}");

    // d is its region's only chosen proposal but c is of the same region: the model minimum,
    // not the region rule, keeps c out.
    let pool = vec![
        cand(1, "500101", "C1", MainUrban, [9500; 3], 1),
        modelled(
            cand(2, "500235", "C2", Northeast, [5000; 3], 2),
            "third_party",
        ),
        cand(3, "500236", "C3", Northeast, [8000; 3], 3),
    ];
    let mut c = free(2);
    c.each_region = true;
    c.min_per_model = BTreeMap::from([("third_party".to_owned(), 1)]);
    let (reason, msg) = left_out(&pool, &c, 3);
    assert_eq!(reason, displaced("min_per_model"), "{msg}");

    // A minimum met twice over holds nobody in: with x pinned in c's district, the district
    // cap is the reason, not d's model.
    let pool = vec![
        modelled(
            cand(1, "500101", "C1", MainUrban, [9000; 3], 1),
            "third_party",
        ),
        cand(2, "500103", "C2", MainUrban, [7000; 3], 2),
        modelled(
            cand(3, "500102", "C3", MainUrban, [6000; 3], 3),
            "third_party",
        ),
        cand(4, "500103", "C4", MainUrban, [8000; 3], 4),
    ];
    let mut c = free(3);
    c.max_per_district = Some(1);
    c.pins = vec![2];
    c.min_per_model = BTreeMap::from([("third_party".to_owned(), 1)]);
    let (reason, msg) = left_out(&pool, &c, 4);
    assert_eq!(reason, displaced("max_per_district"), "{msg}");

    // With both caps on and c's district not full, the cluster is named.
    let pool = vec![
        modelled(
            cand(1, "500101", "C1", MainUrban, [7000; 3], 1),
            "third_party",
        ),
        cand(2, "500102", "C2", MainUrban, [6000; 3], 2),
        cand(3, "500103", "C1", MainUrban, [8000; 3], 3),
    ];
    let mut c = free(2);
    c.max_per_district = Some(1);
    c.max_per_cluster = Some(1);
    c.min_per_model = BTreeMap::from([("third_party".to_owned(), 1)]);
    let (reason, msg) = left_out(&pool, &c, 3);
    assert_eq!(reason, displaced("max_per_cluster"), "{msg}");
}
