//! Why the list is what it is: margins of the chosen, reasons and forcing
//! costs of the left-out, and how far each weight can move.

use std::collections::HashMap;

use super::diagnose;
use super::model::{check_set, pid, Idx, Model, Restriction};
use super::solve::{rank_order, Engine};
use super::types::{
    Candidate, ChosenExplanation, Constraints, Explanation, ForcingCost, LeftOut, LeftOutReason,
    Solution, WeightInterval, WeightName, Weights,
};
use crate::score::{hundredths_text, units_text};

/// Forcing costs are computed for at least this many of the strongest
/// admissible proposals left out (each costs one integer program).
pub const FORCING_COST_COUNT: usize = 20;

/// Explains `solution`, which should be what [`super::solve()`] returned for
/// the same inputs. Values that need a solve and cannot be had (the
/// optimiser failed) are left `None`.
pub fn explain(
    candidates: &[Candidate],
    weights: &Weights,
    constraints: &Constraints,
    solution: &Solution,
) -> Explanation {
    let m = Model::new(candidates, constraints);
    let w = weights.as_array();
    let mut engine = Engine::new(&m, w);
    // Inputs that `solve` would reject get reasons but no solves.
    let solvable = weights.validate().is_ok() && diagnose::precheck(&m).is_empty();
    let index: HashMap<i32, Idx> = (0..m.len()).map(|i| (m.id(i as Idx), i as Idx)).collect();
    let given: Vec<Idx> = solution
        .chosen
        .iter()
        .filter_map(|c| index.get(&c.id).copied())
        .collect();
    let chosen = rank_order(&m, &engine.ranking, &given);
    let mut in_list = vec![false; m.len()];
    for &i in &chosen {
        in_list[i as usize] = true;
    }
    let opt: i64 = chosen.iter().map(|&i| engine.ranking.total(i)).sum();
    let totals = engine.ranking.totals.clone();
    let ctx = Ctx {
        m: &m,
        totals: &totals,
        chosen: &chosen,
        opt,
    };

    let mut chosen_out = Vec::with_capacity(chosen.len());
    let mut margins = Vec::with_capacity(chosen.len());
    for &i in &chosen {
        let margin = if m.pinned[i as usize] || !solvable {
            None
        } else {
            let out = [i];
            let r = Restriction {
                forced_in: &[],
                forced_out: &out,
            };
            match engine.best(&r) {
                Ok(Some(f)) => Some(opt - f.value),
                _ => None,
            }
        };
        margins.push(margin);
    }
    for (k, (&i, margin)) in chosen.iter().zip(margins).enumerate() {
        let total = ctx.totals[i as usize];
        let head = format!("rank {}, total {}", k + 1, units_text(total));
        let message = match margin {
            _ if !solvable => format!("{head}; no margin: the inputs do not admit a list"),
            _ if m.pinned[i as usize] => {
                format!("{head}; pinned by the panel, so it cannot leave the list")
            }
            None => format!("{head}; no list satisfying the constraints is possible without it"),
            Some(0) => {
                format!("{head}; an equally good list without it exists, and the tie rule keeps it")
            }
            Some(g) => format!(
                "{head}; its total could drop by {} points before a list without it is as good",
                units_text(g)
            ),
        };
        chosen_out.push(ChosenExplanation {
            rank: u32::try_from(k + 1).unwrap_or(u32::MAX),
            id: m.id(i),
            total,
            scores: m.cands[i as usize].scores,
            margin,
            message,
        });
    }

    let mut rest: Vec<Idx> = (0..m.len() as Idx)
        .filter(|&i| !in_list[i as usize])
        .collect();
    rest.sort_unstable_by_key(|&i| (-ctx.totals[i as usize], m.prio[i as usize]));
    let mut forced_left = FORCING_COST_COUNT;
    let mut left_out = Vec::with_capacity(rest.len());
    for i in rest {
        let (reason, mut message) = ctx.reason(i);
        let mut forcing_cost = None;
        if solvable && m.admissible[i as usize] && forced_left > 0 {
            forced_left -= 1;
            let inn = [i];
            let r = Restriction {
                forced_in: &inn,
                forced_out: &[],
            };
            forcing_cost = match engine.best(&r) {
                Ok(Some(f)) => Some(ForcingCost::Cost {
                    units: opt - f.value,
                }),
                Ok(None) => Some(ForcingCost::Impossible),
                Err(_) => None,
            };
            match &forcing_cost {
                Some(ForcingCost::Cost { units }) => message.push_str(&format!(
                    "; forcing it in would cost {} points",
                    units_text(*units)
                )),
                Some(ForcingCost::Impossible) => {
                    message.push_str("; no list satisfying the constraints can include it")
                }
                None => {}
            }
        }
        left_out.push(LeftOut {
            id: m.id(i),
            total: ctx.totals[i as usize],
            reason,
            forcing_cost,
            message,
        });
    }

    let mut ip_solves = engine.ip_solves;
    let mut weight_intervals = Vec::new();
    if solvable && chosen.len() == m.list_size && !chosen.is_empty() {
        for (j, name) in WeightName::ALL.into_iter().enumerate() {
            let (interval, solves) = weight_interval(&m, w, j, name, &chosen);
            ip_solves += solves;
            weight_intervals.push(interval);
        }
    }

    Explanation {
        objective: opt,
        chosen: chosen_out,
        left_out,
        weight_intervals,
        ip_solves,
    }
}

/// Integer weights for weight `j` moved to `v` (hundredths), the others
/// keeping their ratio: `w_j' = v·(100 − w_j)`, `w_o' = w_o·(100 − v)`, which
/// is proportional to the renormalised weights (they sum to
/// `100·(100 − w_j)`); if `w_j = 100` the others split equally. Divided by
/// their gcd to keep the solver's numbers small; proportional weights pick
/// the same list.
pub(super) fn probe_weights(w: [i64; 3], j: usize, v: i64) -> [i64; 3] {
    let mut out = [0i64; 3];
    for (k, o) in out.iter_mut().enumerate() {
        *o = if w[j] == 100 {
            if k == j {
                2 * v
            } else {
                100 - v
            }
        } else if k == j {
            v * (100 - w[j])
        } else {
            w[k] * (100 - v)
        };
    }
    let g = out.iter().fold(0i64, |g, &x| gcd(g, x));
    if g > 1 {
        out.iter_mut().for_each(|x| *x /= g);
    }
    out
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Each list's objective is linear in `v`, so the optimum is their upper
/// envelope and the set of `v` where the current list wins is one interval
/// (at the ends a tie may go either way, but the tie rule is a fixed order
/// of lists, so the winning `v`s stay contiguous on the 0.01 grid). Hence a
/// binary search on each side, each probe a full solve with the tie rule.
fn weight_interval(
    m: &Model<'_>,
    w: [i64; 3],
    j: usize,
    name: WeightName,
    chosen: &[Idx],
) -> (WeightInterval, u32) {
    let mut solves = 0u32;
    let mut memo: HashMap<i64, bool> = HashMap::new();
    let mut same = |v: i64| -> bool {
        if let Some(&s) = memo.get(&v) {
            return s;
        }
        let mut engine = Engine::new(m, probe_weights(w, j, v));
        let s = engine.is_winner(chosen).unwrap_or(false);
        solves += engine.ip_solves;
        memo.insert(v, s);
        s
    };
    let cur = w[j];
    let (low, high, message);
    if !same(cur) {
        (low, high) = (cur, cur);
        message = format!(
            "could not confirm the list at the current {} weight, so no interval is given",
            name.as_str()
        );
    } else {
        let mut hi = cur;
        if cur < 100 {
            if same(100) {
                hi = 100;
            } else {
                let (mut a, mut b) = (cur, 100);
                while b - a > 1 {
                    let mid = a + (b - a) / 2;
                    if same(mid) {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                hi = a;
            }
        }
        let mut lo = cur;
        if cur > 0 {
            if same(0) {
                lo = 0;
            } else {
                let (mut a, mut b) = (0, cur);
                while b - a > 1 {
                    let mid = a + (b - a) / 2;
                    if same(mid) {
                        b = mid;
                    } else {
                        a = mid;
                    }
                }
                lo = b;
            }
        }
        (low, high) = (lo, hi);
        message = format!(
            "the list stays the same while the {} weight is between {low}% and {high}% (now {cur}%), the other two keeping their ratio",
            name.as_str(),
        );
    }
    (
        WeightInterval {
            weight: name,
            current: cur,
            low,
            high,
            message,
        },
        solves,
    )
}

struct Ctx<'c, 'a> {
    m: &'c Model<'a>,
    totals: &'c [i64],
    chosen: &'c [Idx],
    opt: i64,
}

impl Ctx<'_, '_> {
    fn total(&self, i: Idx) -> i64 {
        self.totals[i as usize]
    }

    fn versus(&self, d: Idx, c: Idx) -> String {
        let (td, tc) = (self.total(d), self.total(c));
        if td > tc {
            format!("higher ({} vs {})", units_text(td), units_text(tc))
        } else {
            format!("equal ({})", units_text(td))
        }
    }

    /// `S − d + c` is feasible (and then, by optimality, no better).
    fn swap_feasible(&self, d: Idx, c: Idx) -> bool {
        let set: Vec<Idx> = self
            .chosen
            .iter()
            .map(|&x| if x == d { c } else { x })
            .collect();
        check_set(self.m, self.totals, &Restriction::default(), &set).is_ok()
    }

    /// The most specific true reason `c` is not in the list.
    fn reason(&self, c: Idx) -> (LeftOutReason, String) {
        let m = self.m;
        let cu = c as usize;
        if m.excluded[cu] {
            return (LeftOutReason::Excluded, "excluded by the panel".into());
        }
        if m.below_floor[cu] || !m.admissible[cu] {
            let completeness = m.cands[cu].scores[0];
            let floor = m.floor.unwrap_or(0);
            let msg = format!(
                "completeness {} is below the floor {}",
                hundredths_text(completeness),
                hundredths_text(floor)
            );
            return (
                LeftOutReason::BelowFloor {
                    completeness,
                    floor,
                },
                msg,
            );
        }
        let tc = self.total(c);
        let Some(&lowest) = self.chosen.last() else {
            return (
                LeftOutReason::DisplacedByConstraint {
                    constraint: "combination".into(),
                },
                "no list was chosen".into(),
            );
        };

        // An equally good list with c instead of a chosen d: lost on the tie rule.
        for &d in self.chosen.iter().rev() {
            if self.total(d) == tc && !m.pinned[d as usize] && self.swap_feasible(d, c) {
                let how = if m.cands[d as usize].sealed_at < m.cands[cu].sealed_at {
                    "sealed earlier"
                } else {
                    "sealed at the same time, lower id"
                };
                let msg = format!(
                    "ties with {} (both {}); an equally good list has it instead, and the tie rule prefers {} ({how})",
                    pid(m.id(d)),
                    units_text(tc),
                    pid(m.id(d))
                );
                return (
                    LeftOutReason::TieRule {
                        preferred_id: m.id(d),
                    },
                    msg,
                );
            }
        }

        for (what, cap, key, names) in [
            ("district", m.max_district, &m.district, &m.district_names),
            ("cluster", m.max_cluster, &m.cluster, &m.cluster_names),
        ] {
            let Some(cap) = cap else { continue };
            let same: Vec<Idx> = self
                .chosen
                .iter()
                .copied()
                .filter(|&d| key[d as usize] == key[cu])
                .collect();
            if same.len() < cap as usize {
                continue;
            }
            // The weakest chosen one that is still at least as strong.
            if let Some(&d) = same.iter().rev().find(|&&d| self.total(d) >= tc) {
                let (as_id, as_total) = (m.id(d), self.total(d));
                let name = names.get(key[cu] as usize).copied().unwrap_or("?");
                let msg = format!(
                    "same {what} ({name}) as {}, whose total is {}",
                    pid(as_id),
                    self.versus(d, c)
                );
                let reason = if what == "district" {
                    LeftOutReason::SameDistrict { as_id, as_total }
                } else {
                    LeftOutReason::SameCluster { as_id, as_total }
                };
                return (reason, msg);
            }
        }

        let low_total = self.total(lowest);
        if tc < low_total {
            let msg = format!(
                "total {} is below the lowest chosen total ({}, {})",
                units_text(tc),
                pid(m.id(lowest)),
                units_text(low_total)
            );
            return (
                LeftOutReason::Outranked {
                    lowest_chosen_id: m.id(lowest),
                    lowest_chosen_total: low_total,
                },
                msg,
            );
        }

        // It is at least as strong as some chosen d: say what keeps d in.
        let d = lowest;
        let du = d as usize;
        let count =
            |f: &dyn Fn(usize) -> bool| self.chosen.iter().filter(|&&x| f(x as usize)).count();
        let (constraint, why) = if m.pinned[du] {
            ("pins", format!("{} is pinned", pid(m.id(d))))
        } else if m.required[m.region[du] as usize]
            && m.region[cu] != m.region[du]
            && count(&|x| m.region[x] == m.region[du]) == 1
        {
            (
                "each_region",
                format!(
                    "{} is the only chosen proposal from region {}",
                    pid(m.id(d)),
                    m.region_of(d)
                ),
            )
        } else if m.model[cu] != m.model[du]
            && m.model_min.get(m.model[du] as usize).is_some_and(|&min| {
                min > 0 && count(&|x| m.model[x] == m.model[du]) <= min as usize
            })
        {
            (
                "min_per_model",
                format!(
                    "{} is needed for the min_per_model of {}",
                    pid(m.id(d)),
                    m.model_names[m.model[du] as usize]
                ),
            )
        } else if m
            .max_district
            .is_some_and(|p| count(&|x| x != du && m.district[x] == m.district[cu]) >= p as usize)
        {
            (
                "max_per_district",
                format!(
                    "its district {} already has the most chosen proposals max_per_district allows",
                    m.district_names[m.district[cu] as usize]
                ),
            )
        } else if m
            .max_cluster
            .is_some_and(|q| count(&|x| x != du && m.cluster[x] == m.cluster[cu]) >= q as usize)
        {
            (
                "max_per_cluster",
                format!(
                    "its cluster {} already has the most chosen proposals max_per_cluster allows",
                    m.cluster_names[m.cluster[cu] as usize]
                ),
            )
        } else {
            (
                "combination",
                "no swap keeps every constraint and the objective (optimum ".to_string()
                    + &units_text(self.opt)
                    + ")",
            )
        };
        let msg = format!(
            "total {} is not below {}'s {}, but it cannot take its place: {why}",
            units_text(tc),
            pid(m.id(d)),
            units_text(self.total(d))
        );
        (
            LeftOutReason::DisplacedByConstraint {
                constraint: constraint.into(),
            },
            msg,
        )
    }
}
