//! Infeasibility diagnosis in plain English: cheap counting arguments
//! before any solve, and single-relaxation trials when the integer program
//! alone proves that no list exists.

use std::collections::BTreeMap;

use super::model::{hundredths, pid, Idx, Model, Restriction};
use super::solve::Engine;
use super::types::{Candidate, Constraints, Infeasible, Region, Weights};

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

/// Smallest cap (above `cap`, at most `l`) under which `l` can be chosen.
fn cap_needed(sizes: &[usize], cap: usize, l: usize) -> Option<usize> {
    (cap + 1..=l).find(|&c| capacity(sizes, c) >= l)
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

struct Report {
    conflicts: Vec<String>,
    relaxations: Vec<String>,
}

impl Report {
    fn conflict(&mut self, text: String, relax: impl IntoIterator<Item = String>) {
        self.conflicts.push(text);
        for r in relax {
            if !self.relaxations.contains(&r) {
                self.relaxations.push(r);
            }
        }
    }
}

/// Counting arguments that show infeasibility without solving. `None` if
/// none applies (the problem may still be infeasible).
pub(super) fn precheck(m: &Model<'_>) -> Option<Infeasible> {
    let mut rep = Report {
        conflicts: Vec::new(),
        relaxations: Vec::new(),
    };
    let l = m.list_size;
    for &id in &m.duplicate_ids {
        rep.conflict(
            format!("proposal id {id} appears more than once in the pool"),
            ["remove the duplicate proposals from the pool".to_string()],
        );
    }
    for &id in &m.bad_scores {
        rep.conflict(
            format!("{} has a score outside 0.00..=100.00", pid(id)),
            ["correct the scores of the pool".to_string()],
        );
    }
    if l == 0 {
        rep.conflict(
            "list_size is 0: a list needs at least one proposal".into(),
            ["set list_size to at least 1".to_string()],
        );
    }
    for (name, cap) in [
        ("max_per_district", m.max_district),
        ("max_per_cluster", m.max_cluster),
    ] {
        if cap == Some(0) && l > 0 {
            rep.conflict(
                format!("{name} is 0, so no proposal can be chosen"),
                [format!("raise {name} to 1")],
            );
        }
    }

    // Pins.
    for &id in &m.unknown_pins {
        rep.conflict(
            format!(
                "pinned proposal {} is not in the pool of eligible proposals",
                pid(id)
            ),
            [format!("unpin {}", pid(id))],
        );
    }
    let mut pins_ok = m.unknown_pins.is_empty();
    for &i in &m.pins {
        let iu = i as usize;
        let p = pid(m.id(i));
        if m.excluded[iu] {
            pins_ok = false;
            rep.conflict(
                format!("{p} is both pinned and excluded"),
                [format!("unpin {p} or lift its exclusion")],
            );
        } else if m.below_floor[iu] {
            pins_ok = false;
            let completeness = m.cands[iu].scores[0];
            let floor = m.floor.unwrap_or(0);
            rep.conflict(
                format!(
                    "pinned {p} has completeness {}, below the floor {}",
                    hundredths(completeness),
                    hundredths(floor)
                ),
                [format!(
                    "unpin {p} or lower min_completeness to {}",
                    hundredths(completeness)
                )],
            );
        }
    }
    let n_pins = m.pins.len() + m.unknown_pins.len();
    if n_pins > l {
        pins_ok = false;
        rep.conflict(
            format!(
                "{} pinned but list_size is {l}",
                plural(n_pins, "proposal is", "proposals are")
            ),
            [format!(
                "unpin {} or raise list_size to {n_pins}",
                plural(n_pins - l, "proposal", "proposals")
            )],
        );
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
                rep.conflict(
                    format!(
                        "pinned {} are all in {what} {name}, but max_per_{what} is {cap}",
                        ids(m, &members)
                    ),
                    [
                        format!("raise max_per_{what} to {}", members.len()),
                        format!(
                            "unpin {} of {}",
                            members.len() - cap as usize,
                            ids(m, &members)
                        ),
                    ],
                );
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
        let mut relax = vec![format!("lower list_size to {admissible}")];
        if below > 0 {
            let mut comp: Vec<i64> = (0..m.len())
                .filter(|&i| !m.excluded[i] && !m.bad_scores.contains(&m.cands[i].id))
                .map(|i| m.cands[i].scores[0])
                .collect();
            comp.sort_unstable_by(|a, b| b.cmp(a));
            match comp.get(l - 1) {
                Some(&c) => relax.push(format!("lower min_completeness to {}", hundredths(c))),
                None => relax.push("drop min_completeness".into()),
            }
        }
        if excluded > 0 {
            relax.push("lift some exclusions".into());
        }
        rep.conflict(
            format!(
                "only {} admissible ({excluded} excluded, {below} below the completeness floor); list_size {l} is impossible",
                plural(admissible, "proposal is", "proposals are")
            ),
            relax,
        );
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
            let text = if cap == 1 {
                format!(
                    "only {} admissible proposals; list_size {l} with max_per_{what} 1 is impossible",
                    plural(sizes.len(), &format!("{what} has"), &format!("{what}s have"))
                )
            } else {
                format!(
                    "with max_per_{what} {cap}, at most {most} proposals can be chosen from the {} with admissible proposals; list_size {l} is impossible",
                    plural(sizes.len(), what, &format!("{what}s"))
                )
            };
            let mut relax = Vec::new();
            if let Some(c) = cap_needed(&sizes, cap as usize, l) {
                relax.push(format!("raise max_per_{what} to {c}"));
            }
            relax.push(format!("lower list_size to {most}"));
            rep.conflict(text, relax);
        }

        let n_req = m.required.iter().filter(|&&r| r).count();
        if n_req > l {
            rep.conflict(
                format!(
                    "each_region requires one proposal from each of the {n_req} regions with admissible proposals, but list_size is {l}"
                ),
                [
                    format!("raise list_size to {n_req}"),
                    "turn off each_region".to_string(),
                ],
            );
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
            rep.conflict(
                format!(
                    "min_per_model asks for {sum_min} proposals in total ({}) but list_size is {l}",
                    parts.join(", ")
                ),
                [
                    format!("raise list_size to {sum_min}"),
                    "lower the min_per_model minimums".to_string(),
                ],
            );
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
            let text = if count < min as usize {
                format!(
                    "min_per_model requires {min} {name} proposals but only {} admissible",
                    plural(count, "is", "are")
                )
            } else {
                format!(
                    "min_per_model requires {min} {name} proposals but the district and cluster caps allow at most {most} of the {count} admissible ones"
                )
            };
            rep.conflict(text, [format!("lower min_per_model for {name} to {most}")]);
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
                rep.conflict(
                    format!(
                        "with {} pinned, {}, but region(s) {} still need one each",
                        plural(m.pins.len(), "proposal", "proposals"),
                        plural(free, "place remains", "places remain"),
                        missing.join(", ")
                    ),
                    [
                        format!("raise list_size to {}", m.pins.len() + missing.len()),
                        "unpin a proposal".to_string(),
                        "turn off each_region".to_string(),
                    ],
                );
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
                rep.conflict(
                    format!(
                        "with {} pinned, {}, but min_per_model still needs {needed}",
                        plural(m.pins.len(), "proposal", "proposals"),
                        plural(free, "place remains", "places remain"),
                    ),
                    [
                        "unpin a proposal".to_string(),
                        "lower the min_per_model minimums".to_string(),
                    ],
                );
            }
        }
    }

    if rep.conflicts.is_empty() {
        None
    } else {
        Some(Infeasible {
            conflicts: rep.conflicts,
            relaxations: rep.relaxations,
        })
    }
}

/// Whether any list satisfies the constraints (used for relaxation trials).
fn feasible(cands: &[Candidate], weights: &Weights, c: &Constraints) -> bool {
    let m = Model::new(cands, c);
    if precheck(&m).is_some() {
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
        parts.push(format!("min_completeness {}", hundredths(f)));
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

/// The counting arguments found nothing but the integer program is
/// infeasible: report the constraints together and every single relaxation
/// that makes a list possible (each tried by an actual solve).
pub(super) fn after_infeasible(
    cands: &[Candidate],
    weights: &Weights,
    c: &Constraints,
) -> Infeasible {
    let mut trials: Vec<(&str, Constraints)> = Vec::new();
    let mut push = |text: &'static str, applies: bool, change: &dyn Fn(&mut Constraints)| {
        if applies {
            let mut t = c.clone();
            change(&mut t);
            trials.push((text, t));
        }
    };
    push("turn off each_region", c.each_region, &|t| {
        t.each_region = false
    });
    push(
        "turn off max_per_district",
        c.max_per_district.is_some(),
        &|t| t.max_per_district = None,
    );
    push(
        "turn off max_per_cluster",
        c.max_per_cluster.is_some(),
        &|t| t.max_per_cluster = None,
    );
    push(
        "drop min_per_model",
        c.min_per_model.values().any(|&v| v > 0),
        &|t| t.min_per_model.clear(),
    );
    push(
        "drop min_completeness",
        c.min_completeness.is_some(),
        &|t| t.min_completeness = None,
    );
    push("unpin all pinned proposals", !c.pins.is_empty(), &|t| {
        t.pins.clear()
    });

    let relaxations: Vec<String> = trials
        .iter()
        .filter(|(_, t)| feasible(cands, weights, t))
        .map(|(text, _)| (*text).to_string())
        .collect();
    let mut conflicts = vec![format!(
        "no list satisfies all the constraints together ({})",
        summary(c)
    )];
    if relaxations.is_empty() {
        conflicts.push(
            "no single relaxation (region rule, district cap, cluster cap, model minimums, completeness floor, pins) makes a list possible; more than one must change".into(),
        );
    }
    Infeasible {
        conflicts,
        relaxations,
    }
}
