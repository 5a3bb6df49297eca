//! The integer program (good_lp + microlp) and the exact tie rule.
//!
//! microlp works in f64 with tolerances, so the program is kept small and
//! well scaled (objective coefficients are totals minus a common base, which
//! changes no decision because every list has exactly `list_size` members),
//! every answer is rounded, re-checked against all constraints in integers
//! and its objective recomputed in integers. A later solve that beats the
//! "optimum" restarts the tie rule from the better value rather than trusting
//! the first answer.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use good_lp::{
    microlp, variable, Expression, ProblemVariables, ResolutionError, Solution as _,
    SolutionStatus, SolverModel, Variable,
};

use super::diagnose;
use super::model::{check_set, reduce, Idx, Model, Ranking, Restriction};
use super::types::{
    Candidate, Chosen, Constraints, Infeasible, Solution, SolveStats, Weights, TIE_RULE,
};

/// How often the tie rule may restart because a solve beat the optimum it
/// was given (only a solver tolerance slip can cause that).
const MAX_RESTARTS: u32 = 4;

/// An optimal list and the reduced pool it was found in.
pub(super) struct Found {
    pub value: i64,
    pub set: Vec<Idx>,
    pub reduced: usize,
}

/// Solves integer programs over one model with one set of weights.
pub(super) struct Engine<'m, 'a> {
    pub model: &'m Model<'a>,
    pub ranking: Ranking,
    pub ip_solves: u32,
    /// Whether to apply the exact reductions (always, except in tests that
    /// check them against the unreduced program).
    pub reduce: bool,
}

impl<'m, 'a> Engine<'m, 'a> {
    pub fn new(model: &'m Model<'a>, weights: [i64; 3]) -> Self {
        Engine {
            model,
            ranking: Ranking::new(model, weights),
            ip_solves: 0,
            reduce: true,
        }
    }

    /// The pool the integer program is built over.
    fn pool(&self, r: &Restriction<'_>) -> Vec<Idx> {
        if self.reduce {
            reduce(self.model, &self.ranking, r)
        } else {
            let m = self.model;
            self.ranking
                .order
                .iter()
                .copied()
                .filter(|&i| r.allowed(m, i))
                .collect()
        }
    }

    /// The optimum under the restriction, with some optimal list (not
    /// necessarily the tie-rule winner). `None` if no list is feasible.
    pub fn best(&mut self, r: &Restriction<'_>) -> Result<Option<Found>, String> {
        let reduced = self.pool(r);
        let fixed_in: Vec<bool> = reduced.iter().map(|&i| r.fixed(self.model, i)).collect();
        let fixed_out = vec![false; reduced.len()];
        Ok(self
            .ip(&reduced, r, &fixed_in, &fixed_out)?
            .map(|(value, set)| Found {
                value,
                set,
                reduced: reduced.len(),
            }))
    }

    /// The tie-rule winner under the restriction. `None` if infeasible.
    pub fn select(&mut self, r: &Restriction<'_>) -> Result<Option<Found>, String> {
        let reduced = self.pool(r);
        let fixed_in: Vec<bool> = reduced.iter().map(|&i| r.fixed(self.model, i)).collect();
        let fixed_out = vec![false; reduced.len()];
        let Some((opt, witness)) = self.ip(&reduced, r, &fixed_in, &fixed_out)? else {
            return Ok(None);
        };
        let (value, set) = self.tie_walk(&reduced, r, opt, witness)?;
        Ok(Some(Found {
            value,
            set,
            reduced: reduced.len(),
        }))
    }

    /// Whether `set` is the tie-rule winner (no restriction). Cheaper than
    /// [`Engine::select`] when it is not: a member outside the reduced pool,
    /// or a value below the optimum, settles it without the tie rule.
    pub fn is_winner(&mut self, set: &[Idx]) -> Result<bool, String> {
        let r = Restriction::default();
        let reduced = self.pool(&r);
        if !set.iter().all(|i| reduced.contains(i)) {
            return Ok(false);
        }
        let Ok(value) = check_set(self.model, &self.ranking.totals, &r, set) else {
            return Ok(false);
        };
        let fixed_in: Vec<bool> = reduced.iter().map(|&i| r.fixed(self.model, i)).collect();
        let fixed_out = vec![false; reduced.len()];
        let opt = match self.ip(&reduced, &r, &fixed_in, &fixed_out)? {
            Some((opt, _)) => opt,
            None => return Err("no list is feasible although one was given".into()),
        };
        if value < opt {
            return Ok(false);
        }
        let (_, winner) = self.tie_walk(&reduced, &r, value, set.to_vec())?;
        let mut a = winner;
        let mut b = set.to_vec();
        a.sort_unstable();
        b.sort_unstable();
        Ok(a == b)
    }

    /// Applies the tie rule with the optimum fixed. Walks the reduced pool in
    /// priority order keeping a witness: an optimal list consistent with every
    /// decision so far. A candidate in the witness is accepted without a
    /// solve. Otherwise a cheap exact upper bound (the accepted totals, plus
    /// its total, plus the best totals still open after it that fit the caps)
    /// may show it is
    /// in no optimal list; else one solve with it forced in (and all earlier
    /// decisions fixed) tells whether the optimum is still reachable. Since
    /// each decision is made in priority order and kept, the result is the
    /// optimal list whose priority-sorted members are lexicographically
    /// smallest: exactly [`TIE_RULE`].
    fn tie_walk(
        &mut self,
        reduced: &[Idx],
        r: &Restriction<'_>,
        opt: i64,
        witness: Vec<Idx>,
    ) -> Result<(i64, Vec<Idx>), String> {
        let m = self.model;
        let l = m.list_size;
        let n = reduced.len();
        let pos_of: HashMap<Idx, usize> =
            reduced.iter().enumerate().map(|(p, &i)| (i, p)).collect();
        let mut by_prio: Vec<usize> = (0..n).collect();
        by_prio.sort_unstable_by_key(|&p| m.prio[reduced[p] as usize]);
        let base_fixed: Vec<bool> = reduced.iter().map(|&i| r.fixed(m, i)).collect();
        let tot: Vec<i64> = reduced.iter().map(|&i| self.ranking.total(i)).collect();
        let total = |p: usize| tot[p];

        let mut opt = opt;
        let mut witness = witness;
        let mut restarts = 0;
        'restart: loop {
            let mut in_witness = vec![false; n];
            for i in &witness {
                match pos_of.get(i) {
                    Some(&p) => in_witness[p] = true,
                    None => return Err("witness outside the reduced pool".into()),
                }
            }
            let mut fix_in = base_fixed.clone();
            let mut fix_out = vec![false; n];
            let mut accepted: Vec<usize> = Vec::with_capacity(l);
            let mut acc_sum = 0i64;
            for (step, &p) in by_prio.iter().enumerate() {
                if accepted.len() == l {
                    break;
                }
                if in_witness[p] {
                    accepted.push(p);
                    acc_sum += total(p);
                    fix_in[p] = true;
                    continue;
                }
                if base_fixed[p] {
                    return Err("a pinned proposal is missing from an optimal list".into());
                }
                let mut group: Vec<usize> = accepted.clone();
                group.push(p);
                let reject = !fits_caps(m, reduced, &group, None) || {
                    let slots = l - group.len();
                    let mut open: Vec<i64> = by_prio[step + 1..]
                        .iter()
                        .filter(|&&o| !fix_out[o] && fits_caps(m, reduced, &group, Some(o)))
                        .map(|&o| total(o))
                        .collect();
                    if open.len() < slots {
                        true
                    } else {
                        open.sort_unstable_by(|a, b| b.cmp(a));
                        let bound = acc_sum + total(p) + open[..slots].iter().sum::<i64>();
                        bound < opt
                    }
                };
                if reject {
                    fix_out[p] = true;
                    continue;
                }
                fix_in[p] = true;
                match self.ip(reduced, r, &fix_in, &fix_out)? {
                    Some((v, set)) if v == opt => {
                        accepted.push(p);
                        acc_sum += total(p);
                        witness = set;
                        in_witness.iter_mut().for_each(|w| *w = false);
                        for i in &witness {
                            if let Some(&q) = pos_of.get(i) {
                                in_witness[q] = true;
                            }
                        }
                    }
                    Some((v, set)) if v > opt => {
                        restarts += 1;
                        if restarts > MAX_RESTARTS {
                            return Err("the optimiser's optimum kept improving".into());
                        }
                        opt = v;
                        witness = set;
                        continue 'restart;
                    }
                    _ => {
                        fix_in[p] = false;
                        fix_out[p] = true;
                    }
                }
            }
            if accepted.len() != l {
                return Err("the tie rule ended with a short list".into());
            }
            let set: Vec<Idx> = accepted.iter().map(|&p| reduced[p]).collect();
            let value = check_set(m, &self.ranking.totals, r, &set)?;
            if value != opt {
                return Err("the tie-rule list is not optimal".into());
            }
            return Ok((opt, set));
        }
    }

    /// One integer program over the reduced pool: choose exactly
    /// `list_size`, caps, region and model minimums, with `fixed_in`
    /// positions forced to 1 and `fixed_out` positions removed. Returns the
    /// integer-checked objective and list, or `None` if infeasible.
    fn ip(
        &mut self,
        reduced: &[Idx],
        r: &Restriction<'_>,
        fixed_in: &[bool],
        fixed_out: &[bool],
    ) -> Result<Option<(i64, Vec<Idx>)>, String> {
        let m = self.model;
        let l = m.list_size;
        if m.pins.iter().chain(r.forced_in).any(|&i| !r.allowed(m, i)) {
            return Ok(None); // a must-have is unavailable
        }
        let free: Vec<usize> = (0..reduced.len()).filter(|&p| !fixed_out[p]).collect();
        let n_in = free.iter().filter(|&&p| fixed_in[p]).count();
        if free.len() < l || n_in > l {
            return Ok(None);
        }
        self.ip_solves += 1;

        // Shift every coefficient by the l-th best total: all lists have l
        // members, so this changes no decision, and it keeps the objective
        // near zero where the solver's relative tolerances are tightest.
        let mut totals: Vec<i64> = free
            .iter()
            .map(|&p| self.ranking.total(reduced[p]))
            .collect();
        totals.sort_unstable_by(|a, b| b.cmp(a));
        let base = totals.get(l.saturating_sub(1)).copied().unwrap_or(0);

        let mut vars = ProblemVariables::new();
        let mut objective = Expression::with_capacity(free.len());
        let mut xs: Vec<(usize, Variable)> = Vec::with_capacity(free.len());
        for &p in &free {
            let def = if fixed_in[p] {
                variable().binary().min(1)
            } else {
                variable().binary()
            };
            let x = vars.add(def);
            objective.add_mul((self.ranking.total(reduced[p]) - base) as f64, x);
            xs.push((p, x));
        }
        let mut problem = vars.maximise(objective).using(microlp);

        let mut all = Expression::with_capacity(xs.len());
        let mut by_district: HashMap<u32, Vec<Variable>> = HashMap::new();
        let mut by_cluster: HashMap<u32, Vec<Variable>> = HashMap::new();
        let mut by_region: [Vec<Variable>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let mut by_model: HashMap<u32, Vec<Variable>> = HashMap::new();
        for &(p, x) in &xs {
            let i = reduced[p] as usize;
            all.add_mul(1.0, x);
            by_district.entry(m.district[i]).or_default().push(x);
            by_cluster.entry(m.cluster[i]).or_default().push(x);
            by_region[m.region[i] as usize].push(x);
            by_model.entry(m.model[i]).or_default().push(x);
        }
        problem.add_constraint(all.eq(l as f64));
        for (cap, groups) in [(m.max_district, &by_district), (m.max_cluster, &by_cluster)] {
            let Some(cap) = cap else { continue };
            for g in groups.values().filter(|g| g.len() > cap as usize) {
                problem.add_constraint(sum(g).leq(f64::from(cap)));
            }
        }
        for (k, g) in by_region.iter().enumerate() {
            if m.required[k] {
                if g.is_empty() {
                    return Ok(None);
                }
                problem.add_constraint(sum(g).geq(1.0));
            }
        }
        for (md, &min) in m.model_min.iter().enumerate() {
            if min == 0 {
                continue;
            }
            let g = by_model.get(&(md as u32)).map(Vec::as_slice).unwrap_or(&[]);
            if g.len() < min as usize {
                return Ok(None);
            }
            problem.add_constraint(sum(g).geq(f64::from(min)));
        }

        let outcome = catch_unwind(AssertUnwindSafe(move || problem.solve()))
            .map_err(|_| "the optimiser panicked".to_string())?;
        let solution = match outcome {
            Ok(s) => s,
            Err(ResolutionError::Infeasible) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        if !matches!(solution.status(), SolutionStatus::Optimal) {
            return Err("the optimiser stopped before proving optimality".into());
        }
        let mut set = Vec::with_capacity(l);
        for &(p, x) in &xs {
            let v = solution.value(x);
            if (v - v.round()).abs() > 1e-4 {
                return Err(format!("non-integral solver value {v}"));
            }
            if v > 0.5 {
                set.push(reduced[p]);
            }
        }
        let value = check_set(m, &self.ranking.totals, r, &set)
            .map_err(|e| format!("the optimiser returned an infeasible list: {e}"))?;
        for &(p, _) in &xs {
            if fixed_in[p] && !set.contains(&reduced[p]) {
                return Err("the optimiser ignored a fixed decision".into());
            }
        }
        Ok(Some((value, set)))
    }
}

fn sum(vars: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(vars.len());
    for &v in vars {
        e.add_mul(1.0, v);
    }
    e
}

/// Whether `group` (positions), plus `extra` if given, respects the caps.
fn fits_caps(m: &Model<'_>, reduced: &[Idx], group: &[usize], extra: Option<usize>) -> bool {
    let members = || {
        group
            .iter()
            .chain(extra.iter())
            .map(|&p| reduced[p] as usize)
    };
    let over = |cap: Option<u32>, key: &dyn Fn(usize) -> u32| -> bool {
        let Some(cap) = cap else { return false };
        members().any(|i| members().filter(|&j| key(j) == key(i)).count() > cap as usize)
    };
    !over(m.max_district, &|i| m.district[i]) && !over(m.max_cluster, &|i| m.cluster[i])
}

/// Orders a list for display: total desc, then tie-rule priority.
pub(super) fn rank_order(m: &Model<'_>, rank: &Ranking, set: &[Idx]) -> Vec<Idx> {
    let mut v = set.to_vec();
    v.sort_unstable_by_key(|&i| (-rank.total(i), m.prio[i as usize]));
    v
}

fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// Chooses exactly `list_size` admissible candidates maximising the sum of
/// weighted totals under the constraints, with ties broken by [`TIE_RULE`].
/// See the module docs for how exactness is kept.
pub fn solve(
    candidates: &[Candidate],
    weights: &Weights,
    constraints: &Constraints,
) -> Result<Solution, Infeasible> {
    if weights.validate().is_err() {
        // The optimiser's diagnosis is English text (callers check the weights first, in the
        // reader's language, with `Weights::validate`).
        let [c, r, l] = weights.as_array();
        return Err(Infeasible {
            conflicts: vec![format!(
                "weights must each be between 0 and 100 and sum to 100 (got completeness {c} + representativeness {r} + layout {l} = {})",
                i128::from(c) + i128::from(r) + i128::from(l)
            )],
            relaxations: Vec::new(),
        });
    }
    let model = Model::new(candidates, constraints);
    let conflicts = diagnose::precheck(&model);
    if !conflicts.is_empty() {
        return Err(diagnose::infeasible(
            candidates,
            weights,
            constraints,
            conflicts,
        ));
    }
    let mut engine = Engine::new(&model, weights.as_array());
    match engine.select(&Restriction::default()) {
        Ok(Some(found)) => {
            let chosen = rank_order(&model, &engine.ranking, &found.set)
                .into_iter()
                .enumerate()
                .map(|(k, i)| Chosen {
                    rank: to_u32(k + 1),
                    id: model.id(i),
                    total: engine.ranking.total(i),
                })
                .collect();
            Ok(Solution {
                chosen,
                objective: found.value,
                tie_rule: TIE_RULE.to_string(),
                stats: SolveStats {
                    candidates: to_u32(model.len()),
                    admissible: to_u32(model.admissible_count()),
                    reduced: to_u32(found.reduced),
                    ip_solves: engine.ip_solves,
                },
            })
        }
        Ok(None) => Err(diagnose::after_infeasible(candidates, weights, constraints)),
        Err(e) => Err(Infeasible {
            conflicts: vec![format!(
                "internal: the optimiser failed ({e}); no list was chosen"
            )],
            relaxations: Vec::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::selection::{bench, Constraints, Weights};

    /// An inexact solver could hand the walk an optimum that is not one. The walk then meets a
    /// better list on its way, restarts from it, and still ends at the true optimum with the
    /// tie-rule list — here started from a deliberately poor witness.
    #[test]
    fn a_better_list_met_on_the_walk_restarts_it() {
        let cands = bench::random_pool(60, 7);
        let c = Constraints::default();
        let m = Model::new(&cands, &c);
        let w = Weights::default().as_array();
        let mut engine = Engine::new(&m, w);
        let r = Restriction::default();
        let best = engine.select(&r).unwrap().unwrap();
        // A poor feasible list: the answer with its first member by priority (earliest sealed)
        // swapped for a weak proposal later by priority that keeps the list feasible; the walk
        // meets the better list when it comes to that member.
        let reduced = engine.pool(&r);
        let first = *best
            .set
            .iter()
            .min_by_key(|&&i| m.prio[i as usize])
            .unwrap();
        let k = best.set.iter().position(|&i| i == first).unwrap();
        let mut poor = None;
        for &weak in engine.ranking.order.iter().rev() {
            if best.set.contains(&weak)
                || !reduced.contains(&weak)
                || m.prio[weak as usize] < m.prio[first as usize]
            {
                continue;
            }
            let mut set = best.set.clone();
            set[k] = weak;
            if let Ok(v) = check_set(&m, &engine.ranking.totals, &r, &set) {
                if v < best.value {
                    poor = Some((v, set));
                    break;
                }
            }
        }
        let (v, set) = poor.unwrap();
        let (value, walked) = engine.tie_walk(&reduced, &r, v, set).unwrap();
        assert_eq!(value, best.value);
        let mut a = walked;
        let mut b = best.set.clone();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    /// How many integer programs a selection solves on fixed pools: the walk's bound (what is
    /// accepted, the proposal, and the best totals that still fit the caps) rejects most
    /// proposals without a program, and is pinned here so that a weaker bound, or a caps check
    /// that lets too much through, shows.
    #[test]
    fn the_walks_bound_saves_programs() {
        // (seed, pool size, list size, max per district, max per cluster) → programs.
        let cases = [
            ((11, 150, 8, 2, 2), 2),
            ((1, 60, 5, 1, 1), 6),
            ((2, 40, 6, 1, 2), 1),
            ((2, 20, 3, 1, 1), 4),
            ((3, 12, 4, 2, 1), 1),
        ];
        for ((seed, n, l, p, q), programs) in cases {
            let cands = bench::random_pool(n, seed);
            let c = Constraints {
                list_size: l,
                max_per_district: Some(p),
                max_per_cluster: Some(q),
                ..Constraints::default()
            };
            let m = Model::new(&cands, &c);
            let mut engine = Engine::new(&m, Weights::default().as_array());
            engine.select(&Restriction::default()).unwrap().unwrap();
            assert_eq!(
                engine.ip_solves, programs,
                "seed {seed}, {n} proposals, L {l}"
            );
        }
    }

    /// The list is ranked 1, 2, … and the statistics count the pool, the admissible proposals
    /// and what the reductions left.
    #[test]
    fn ranks_and_statistics_are_counted() {
        let cands = bench::random_pool(40, 3);
        let mut completeness: Vec<i64> = cands.iter().map(|x| x.scores[0]).collect();
        completeness.sort_unstable();
        let floor = completeness[10];
        let c = Constraints {
            list_size: 5,
            min_completeness: Some(floor),
            ..Constraints::default()
        };
        let admissible = cands.iter().filter(|x| x.scores[0] >= floor).count();
        let sol = solve(&cands, &Weights::default(), &c).unwrap();
        let ranks: Vec<u32> = sol.chosen.iter().map(|x| x.rank).collect();
        assert_eq!(ranks, [1, 2, 3, 4, 5]);
        assert_eq!(sol.stats.candidates, 40);
        assert_eq!(usize::try_from(sol.stats.admissible).unwrap(), admissible);
        assert!(admissible > 5 && admissible < 40, "{admissible}");
        let m = Model::new(&cands, &c);
        let engine = Engine::new(&m, Weights::default().as_array());
        let reduced = engine.pool(&Restriction::default()).len();
        assert_eq!(usize::try_from(sol.stats.reduced).unwrap(), reduced);
        assert!(reduced > 1 && reduced < admissible, "{reduced}");
    }
}
