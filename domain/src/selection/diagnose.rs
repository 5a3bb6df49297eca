//! Infeasibility diagnosis in plain English: cheap counting arguments
//! before any solve, and single-relaxation trials when the integer program
//! alone proves that no list exists.

use std::collections::BTreeMap;

use super::model::{pid, Idx, Model, Restriction};
use super::solve::Engine;
use super::types::{
    Candidate, Change, Constraints, Infeasible, Region, Relaxation, Weights, MAX_LIST_SIZE,
    MAX_SCORE, MIN_LIST_SIZE,
};
use crate::score::hundredths_text;

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn ids(m: &Model<'_>, set: &[Idx]) -> String {
    set.iter()
        .map(|&i| pid(m.id(i)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Most that can be chosen from groups of the given sizes with a cap.
fn capacity(sizes: &[usize], cap: usize) -> usize {
    sizes.iter().map(|&s| s.min(cap)).sum()
}

/// Group sizes of the admissible candidates by a key.
fn sizes_by(
    m: &Model<'_>,
    key: impl Fn(usize) -> u32,
    filter: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for i in (0..m.len()).filter(|&i| m.admissible[i] && filter(i)) {
        *counts.entry(key(i)).or_insert(0) += 1;
    }
    counts.into_values().collect()
}

/// Counting arguments that show infeasibility without solving: each a
/// plain-English conflict. Empty if none applies (the problem may still be
/// infeasible).
pub(super) fn precheck(m: &Model<'_>) -> Vec<String> {
    let mut rep: Vec<String> = Vec::new();
    let l = m.list_size;
    for &id in &m.duplicate_ids {
        rep.push(format!(
            "proposal id {id} appears more than once in the pool"
        ));
    }
    for &id in &m.bad_scores {
        rep.push(format!("{} has a score outside 0.00..=100.00", pid(id)));
    }
    if l == 0 {
        rep.push("list_size is 0: a list needs at least one proposal".into());
    }
    for (name, cap) in [
        ("max_per_district", m.max_district),
        ("max_per_cluster", m.max_cluster),
    ] {
        if cap == Some(0) && l > 0 {
            rep.push(format!("{name} is 0, so no proposal can be chosen"));
        }
    }

    // Pins.
    for &id in &m.unknown_pins {
        rep.push(format!(
            "pinned proposal {} is not in the pool of eligible proposals",
            pid(id)
        ));
    }
    let mut pins_ok = m.unknown_pins.is_empty();
    for &i in &m.pins {
        let iu = i as usize;
        let p = pid(m.id(i));
        if m.excluded[iu] {
            pins_ok = false;
            rep.push(format!("{p} is both pinned and excluded"));
        } else if m.below_floor[iu] {
            pins_ok = false;
            rep.push(format!(
                "pinned {p} has completeness {}, below the floor {}",
                hundredths_text(m.cands[iu].scores[0]),
                hundredths_text(m.floor.unwrap_or(0))
            ));
        }
    }
    let n_pins = m.pins.len() + m.unknown_pins.len();
    if n_pins > l {
        pins_ok = false;
        rep.push(format!(
            "{} pinned but list_size is {l}",
            plural(n_pins, "proposal is", "proposals are")
        ));
    }
    for (what, cap, key, names) in [
        ("district", m.max_district, &m.district, &m.district_names),
        ("cluster", m.max_cluster, &m.cluster, &m.cluster_names),
    ] {
        let Some(cap) = cap else { continue };
        let mut groups: BTreeMap<u32, Vec<Idx>> = BTreeMap::new();
        for &i in &m.pins {
            groups.entry(key[i as usize]).or_default().push(i);
        }
        for (g, members) in groups {
            if members.len() > cap as usize {
                pins_ok = false;
                let name = names.get(g as usize).copied().unwrap_or("?");
                rep.push(format!(
                    "pinned {} are all in {what} {name}, but max_per_{what} is {cap}",
                    ids(m, &members)
                ));
            }
        }
    }

    // The admissible pool.
    let admissible = m.admissible_count();
    if l > 0 && admissible < l {
        let excluded = m.excluded.iter().filter(|&&x| x).count();
        let below = (0..m.len())
            .filter(|&i| !m.excluded[i] && m.below_floor[i])
            .count();
        rep.push(format!(
            "only {} admissible ({excluded} excluded, {below} below the completeness floor); list_size {l} is impossible",
            plural(admissible, "proposal is", "proposals are")
        ));
    } else if l > 0 {
        for (what, cap, key) in [
            ("district", m.max_district, &m.district),
            ("cluster", m.max_cluster, &m.cluster),
        ] {
            let Some(cap) = cap.filter(|&c| c > 0) else {
                continue;
            };
            let sizes = sizes_by(m, |i| key[i], |_| true);
            let most = capacity(&sizes, cap as usize);
            if most >= l {
                continue;
            }
            rep.push(if cap == 1 {
                format!(
                    "only {} admissible proposals; list_size {l} with max_per_{what} 1 is impossible",
                    plural(sizes.len(), &format!("{what} has"), &format!("{what}s have"))
                )
            } else {
                format!(
                    "with max_per_{what} {cap}, at most {most} proposals can be chosen from the {} with admissible proposals; list_size {l} is impossible",
                    plural(sizes.len(), what, &format!("{what}s"))
                )
            });
        }

        let n_req = m.required.iter().filter(|&&r| r).count();
        if n_req > l {
            rep.push(format!(
                "each_region requires one proposal from each of the {n_req} regions with admissible proposals, but list_size is {l}"
            ));
        }

        let wanted: Vec<(usize, u32)> = m
            .model_min
            .iter()
            .enumerate()
            .filter(|(_, &x)| x > 0)
            .map(|(k, &x)| (k, x))
            .collect();
        let sum_min: usize = wanted.iter().map(|&(_, x)| x as usize).sum();
        if sum_min > l {
            let parts: Vec<String> = wanted
                .iter()
                .map(|&(k, x)| format!("{} {x}", m.model_names[k]))
                .collect();
            rep.push(format!(
                "min_per_model asks for {sum_min} proposals in total ({}) but list_size is {l}",
                parts.join(", ")
            ));
        }
        for &(k, min) in &wanted {
            let of_model = |i: usize| m.model[i] as usize == k;
            let count = (0..m.len())
                .filter(|&i| m.admissible[i] && of_model(i))
                .count();
            let mut most = count;
            if let Some(p) = m.max_district {
                most = most.min(capacity(
                    &sizes_by(m, |i| m.district[i], of_model),
                    p as usize,
                ));
            }
            if let Some(q) = m.max_cluster {
                most = most.min(capacity(
                    &sizes_by(m, |i| m.cluster[i], of_model),
                    q as usize,
                ));
            }
            if most >= min as usize {
                continue;
            }
            let name = m.model_names[k];
            rep.push(if count < min as usize {
                format!(
                    "min_per_model requires {min} {name} proposals but only {} admissible",
                    plural(count, "is", "are")
                )
            } else {
                format!(
                    "min_per_model requires {min} {name} proposals but the district and cluster caps allow at most {most} of the {count} admissible ones"
                )
            });
        }

        // What the pins leave over for the region and model requirements.
        if pins_ok && !m.pins.is_empty() {
            let free = l - m.pins.len();
            let covered: Vec<usize> = m
                .pins
                .iter()
                .map(|&i| m.region[i as usize] as usize)
                .collect();
            let missing: Vec<&str> = (0..3)
                .filter(|&k| m.required[k] && !covered.contains(&k))
                .map(|k| Region::ALL[k].as_str())
                .collect();
            if missing.len() > free {
                rep.push(format!(
                    "with {} pinned, {}, but region(s) {} still need one each",
                    plural(m.pins.len(), "proposal", "proposals"),
                    plural(free, "place remains", "places remain"),
                    missing.join(", ")
                ));
            }
            let needed: usize = wanted
                .iter()
                .map(|&(k, min)| {
                    let have = m
                        .pins
                        .iter()
                        .filter(|&&i| m.model[i as usize] as usize == k)
                        .count();
                    (min as usize).saturating_sub(have)
                })
                .sum();
            if needed > free && sum_min <= l {
                rep.push(format!(
                    "with {} pinned, {}, but min_per_model still needs {needed}",
                    plural(m.pins.len(), "proposal", "proposals"),
                    plural(free, "place remains", "places remain"),
                ));
            }
        }
    }
    rep
}

/// Whether any list satisfies the constraints (used for relaxation trials).
fn feasible(cands: &[Candidate], weights: &Weights, c: &Constraints) -> bool {
    let m = Model::new(cands, c);
    if !precheck(&m).is_empty() {
        return false;
    }
    let mut engine = Engine::new(&m, weights.as_array());
    matches!(engine.best(&Restriction::default()), Ok(Some(_)))
}

fn summary(c: &Constraints) -> String {
    let mut parts = vec![format!("list_size {}", c.list_size)];
    if let Some(p) = c.max_per_district {
        parts.push(format!("max_per_district {p}"));
    }
    if let Some(q) = c.max_per_cluster {
        parts.push(format!("max_per_cluster {q}"));
    }
    if c.each_region {
        parts.push("each_region".into());
    }
    if let Some(f) = c.min_completeness {
        parts.push(format!(
            "min_completeness {f} ({} points)",
            hundredths_text(f)
        ));
    }
    let mins: Vec<String> = c
        .min_per_model
        .iter()
        .filter(|(_, &v)| v > 0)
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    if !mins.is_empty() {
        parts.push(format!("min_per_model {}", mins.join(", ")));
    }
    if !c.pins.is_empty() {
        parts.push(plural(c.pins.len(), "pin", "pins"));
    }
    if !c.exclusions.is_empty() {
        parts.push(plural(c.exclusions.len(), "exclusion", "exclusions"));
    }
    parts.join(", ")
}

/// Most single-proposal trials (unpin one, lift one exclusion) made before
/// trying them all at once.
const MAX_SINGLE_TRIALS: usize = 20;

/// Most completeness floors tried below the current one before dropping it.
const MAX_FLOOR_TRIALS: usize = 24;

/// The first change that works.
fn first_working(
    changes: impl Iterator<Item = Change>,
    works: impl Fn(&Change) -> bool,
) -> Option<Change> {
    let mut changes = changes;
    changes.find(|change| works(change))
}

/// Every single change that makes a list possible, each checked by solving
/// with it alone, in a fixed order: caps, region rule, model minimums, floor,
/// pins, exclusions, list size. Numeric changes are the smallest that work
/// (the lowest cap, the highest floor, the nearest list size in each
/// direction); values are always ones the API accepts.
pub(super) fn relaxations(
    cands: &[Candidate],
    weights: &Weights,
    c: &Constraints,
) -> Vec<Relaxation> {
    let works = |change: &Change| feasible(cands, weights, &change.apply(c));
    let first = |changes: &mut dyn Iterator<Item = Change>| first_working(changes, works);
    let mut found: Vec<Change> = Vec::new();
    let l = c.list_size;

    // Caps: the lowest higher cap that works (a cap of list_size is no cap).
    for (cap, make) in [
        (
            c.max_per_district,
            Change::MaxPerDistrict as fn(Option<u32>) -> Change,
        ),
        (c.max_per_cluster, Change::MaxPerCluster),
    ] {
        if let Some(cap) = cap {
            found.extend(first(&mut (cap + 1..=l).map(|v| make(Some(v)))));
        }
    }

    if c.each_region {
        found.extend(first(&mut std::iter::once(Change::EachRegion(false))));
    }

    // Model minimums: the highest lower minimum that works, per model.
    let minimums: Vec<(&String, u32)> = c
        .min_per_model
        .iter()
        .filter(|(_, &v)| v > 0)
        .map(|(k, &v)| (k, v))
        .collect();
    let before = found.len();
    for &(model, min) in &minimums {
        found.extend(first(
            &mut (0..min)
                .rev()
                .map(|v| Change::MinPerModel(model.clone(), v)),
        ));
    }
    if found.len() == before && minimums.len() > 1 {
        found.extend(first(&mut std::iter::once(Change::NoMinPerModel)));
    }

    // The floor: the highest lower floor that works, else none.
    if let Some(floor) = c.min_completeness {
        let mut values: Vec<i64> = cands
            .iter()
            .filter(|x| !c.exclusions.contains(&x.id))
            .map(|x| x.scores[0])
            .filter(|v| (0..=MAX_SCORE).contains(v))
            .collect();
        values.sort_unstable_by(|a, b| b.cmp(a));
        // No floor above the list_size-th best completeness, or above a
        // pinned proposal's, can work.
        let mut top = floor.saturating_sub(1);
        if let Some(&v) = values.get((l as usize).saturating_sub(1)) {
            top = top.min(v);
        }
        for x in cands.iter().filter(|x| c.pins.contains(&x.id)) {
            top = top.min(x.scores[0]);
        }
        values.dedup();
        let mut floors = values
            .into_iter()
            .filter(|&v| v <= top)
            .take(MAX_FLOOR_TRIALS)
            .map(|v| Change::MinCompleteness(Some(v)))
            .chain(std::iter::once(Change::MinCompleteness(None)));
        found.extend(first(&mut floors));
    }

    // Pins and exclusions: each alone, else all at once.
    for (list, make) in [
        (&c.pins, Change::Unpin as fn(Vec<i32>) -> Change),
        (&c.exclusions, Change::LiftExclusions),
    ] {
        let mut ids: Vec<i32> = Vec::new();
        for &id in list.iter() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let singles: Vec<Change> = ids
            .iter()
            .take(MAX_SINGLE_TRIALS)
            .map(|&id| make(vec![id]))
            .filter(|ch| works(ch))
            .collect();
        if singles.is_empty() && ids.len() > 1 {
            found.extend(first(&mut std::iter::once(make(ids))));
        }
        found.extend(singles);
    }

    // The list size: the nearest that works below, and above (no more than
    // the proposals that could be admissible).
    let possible = cands
        .iter()
        .filter(|x| !c.exclusions.contains(&x.id))
        .filter(|x| c.min_completeness.is_none_or(|f| x.scores[0] >= f))
        .count();
    let possible = u32::try_from(possible).unwrap_or(u32::MAX);
    found.extend(first(
        &mut (MIN_LIST_SIZE..l.min(MAX_LIST_SIZE.saturating_add(1)))
            .rev()
            .map(Change::ListSize),
    ));
    found.extend(first(
        &mut (l.saturating_add(1).max(MIN_LIST_SIZE)..=MAX_LIST_SIZE.min(possible))
            .map(Change::ListSize),
    ));

    found
        .into_iter()
        .map(|change| Relaxation::new(change, c))
        .collect()
}

/// The report for an infeasible problem: the conflicts found, and every
/// single relaxation that makes a list possible.
pub(super) fn infeasible(
    cands: &[Candidate],
    weights: &Weights,
    c: &Constraints,
    conflicts: Vec<String>,
) -> Infeasible {
    let mut report = Infeasible {
        conflicts,
        relaxations: relaxations(cands, weights, c),
    };
    if report.relaxations.is_empty() {
        report.conflicts.push(
            "no single change (of a cap, the region rule, a model minimum, the completeness floor, a pin, an exclusion or the list size) makes a list possible; more than one must change".into(),
        );
    }
    report
}

/// The counting arguments found nothing but the integer program is
/// infeasible: report the constraints together and every single relaxation
/// that makes a list possible (each tried by an actual solve).
pub(super) fn after_infeasible(
    cands: &[Candidate],
    weights: &Weights,
    c: &Constraints,
) -> Infeasible {
    infeasible(
        cands,
        weights,
        c,
        vec![format!(
            "no list satisfies all the constraints together ({})",
            summary(c)
        )],
    )
}
