//! The random draw of a call's expert panel from the pool, reproducible by anyone.
//!
//! Drawing experts by hand invites the suspicion of choosing them; drawing them with an opaque
//! random generator invites the suspicion of redrawing until the panel suits. So the draw is a
//! published algorithm over a recorded seed: the service stores the seed with the draw, and anyone
//! holding the pool and the seed can recompute the panel, in any language, from this description:
//!
//! 1. Sort the pool's expert ids ascending and remove duplicates (so the result depends on the pool
//!    as a set, not on the order the database returned it). Call it `a`, of length `m`.
//! 2. SplitMix64 with state `s = seed`; each `next()` does, in wrapping 64-bit arithmetic:
//!    `s += 0x9E3779B97F4A7C15; z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
//!    z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)`.
//! 3. Fisher–Yates, from the end: for `i` from `m − 1` down to `1`, `j = next() mod (i + 1)`,
//!    swap `a[i]` and `a[j]`.
//! 4. The panel is `a[0..n]` in that order (all of `a` when `n ≥ m`); the order ranks reserves.
//!
//! The modulo in step 3 favours small `j` by at most `(i + 1) / 2⁶⁴` — below 10⁻¹⁵ for any real pool —
//! a bias kept in exchange for a description that fits in four lines.
//!
//! Recusals are applied to the pool before the draw, so a recused expert is never drawn and no
//! redraw is needed.

use chrono::{DateTime, Utc};

use super::FieldError;

/// How an expert came onto a panel.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumString, strum::IntoStaticStr, strum::Display,
)]
#[strum(serialize_all = "snake_case")]
pub enum Appointed {
    /// Named by the commission.
    Named,
    /// Drawn from the pool with a recorded seed.
    Drawn,
}

impl Appointed {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A member of a call's panel, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelMember {
    pub id: i32,
    pub call_id: i32,
    pub expert_id: i32,
    pub how: Appointed,
    /// The seed of the draw that chose it.
    pub seed: Option<u64>,
    pub added_by: i32,
    pub added_at: DateTime<Utc>,
}

/// An expert to add to a panel, and how it was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen {
    pub expert_id: i32,
    pub how: Appointed,
    pub seed: Option<u64>,
}

/// Who joins a panel: the experts named (each an expert of the pool, none already on the panel)
/// and, with `draw = Some((n, seed))`, `n` drawn with `seed` from the pool's other experts. At
/// least one of the two must be asked for. Field names are `experts[i]`, `experts` and `draw.n`.
///
/// # Errors
/// Every bad field.
pub fn choose(
    pool: &[i32],
    current: &[i32],
    named: &[i32],
    draw_of: Option<(u32, u64)>,
) -> Result<Vec<Chosen>, Vec<FieldError>> {
    let mut errors = Vec::new();
    for (i, e) in named.iter().enumerate() {
        if !pool.contains(e) {
            errors.push(FieldError::new(
                format!("experts[{i}]"),
                crate::msg!("field-not-an-expert", id = e),
            ));
        } else if current.contains(e) {
            errors.push(FieldError::new(
                format!("experts[{i}]"),
                crate::msg!("field-already-on-panel", id = e),
            ));
        }
    }
    if named.is_empty() && draw_of.is_none() {
        errors.push(FieldError::new(
            "experts",
            crate::msg!("field-name-experts-or-draw"),
        ));
    }
    let mut chosen: Vec<Chosen> = named
        .iter()
        .map(|&expert_id| Chosen {
            expert_id,
            how: Appointed::Named,
            seed: None,
        })
        .collect();
    if let Some((n, seed)) = draw_of {
        let rest: Vec<i32> = pool
            .iter()
            .copied()
            .filter(|e| !current.contains(e) && !named.contains(e))
            .collect();
        if n == 0 || n as usize > rest.len() {
            errors.push(FieldError::new(
                "draw.n",
                crate::msg!("field-draw-size", available = rest.len()),
            ));
        } else {
            chosen.extend(
                draw(&rest, n as usize, seed)
                    .into_iter()
                    .map(|expert_id| Chosen {
                        expert_id,
                        how: Appointed::Drawn,
                        seed: Some(seed),
                    }),
            );
        }
    }
    if errors.is_empty() {
        Ok(chosen)
    } else {
        Err(errors)
    }
}

/// The next SplitMix64 output (step 2 of the module docs), advancing `state`.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Draws `n` experts from `pool` with `seed`, as the module docs describe step by step.
pub fn draw(pool: &[i32], n: usize, seed: u64) -> Vec<i32> {
    let mut a = pool.to_vec();
    a.sort_unstable();
    a.dedup();
    let mut state = seed;
    for i in (1..a.len()).rev() {
        let bound = (i as u64).wrapping_add(1);
        // j ≤ i < a.len(), so the conversion back to usize cannot fail.
        let j = usize::try_from(splitmix64(&mut state) % bound).unwrap_or(i);
        a.swap(i, j);
    }
    a.truncate(n);
    a
}

/// A fresh seed from the operating system's generator, to be recorded with the draw before it is
/// made (so the seed cannot be chosen after seeing its panel).
pub fn new_seed() -> u64 {
    rand::random()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference() {
        // Outputs of Vigna's splitmix64.c for seed 0.
        let mut s = 0;
        assert_eq!(splitmix64(&mut s), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut s), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(splitmix64(&mut s), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn deterministic_for_the_pool_as_a_set() {
        let pool = [31, 4, 15, 9, 26, 5, 35, 8, 97, 93];
        let panel = draw(&pool, 5, 2024);
        assert_eq!(panel.len(), 5);
        assert_eq!(draw(&pool, 5, 2024), panel);
        let mut shuffled = pool;
        shuffled.reverse();
        assert_eq!(draw(&shuffled, 5, 2024), panel);
        let with_duplicates = [pool.as_slice(), &[4, 4, 97]].concat();
        assert_eq!(draw(&with_duplicates, 5, 2024), panel);
        // A prefix of a bigger draw: asking for fewer just cuts the list.
        assert_eq!(draw(&pool, 3, 2024), panel[..3]);
        let mut sorted = panel.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 5, "no expert drawn twice");
        assert!(panel.iter().all(|e| pool.contains(e)));
    }

    #[test]
    fn a_known_draw_can_be_recomputed() {
        // Worked by hand from the module docs: a = [1, 2, 3], seed 0.
        // i = 2: 0xE220A8397B1DCDAF mod 3 = 1 → swap a[2], a[1] → [1, 3, 2]
        // i = 1: 0x6E789E6AA1B965F4 mod 2 = 0 → swap a[1], a[0] → [3, 1, 2]
        assert_eq!(0xE220_A839_7B1D_CDAF_u64 % 3, 1);
        assert_eq!(0x6E78_9E6A_A1B9_65F4_u64 % 2, 0);
        assert_eq!(draw(&[3, 1, 2], 3, 0), [3, 1, 2]);
    }

    #[test]
    fn different_seeds_differ() {
        let pool: Vec<i32> = (1..=40).collect();
        let panels: std::collections::BTreeSet<Vec<i32>> =
            (0..20).map(|seed| draw(&pool, 7, seed)).collect();
        assert_eq!(panels.len(), 20);
    }

    #[test]
    fn small_pools() {
        assert_eq!(draw(&[], 5, 1), Vec::<i32>::new());
        assert_eq!(draw(&[7], 5, 1), [7]);
        let mut all = draw(&[5, 3, 9], 10, 42);
        assert_eq!(all.len(), 3);
        all.sort_unstable();
        assert_eq!(all, [3, 5, 9]);
        assert_eq!(draw(&[5, 3, 9], 0, 42), Vec::<i32>::new());
    }

    #[test]
    fn seeds_are_fresh() {
        assert_ne!(new_seed(), new_seed());
    }

    #[test]
    fn choosing_named_and_drawn_experts() {
        let pool = [1, 2, 3, 4, 5];
        let fields = |r: Result<Vec<Chosen>, Vec<FieldError>>| -> Vec<String> {
            r.unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(choose(&pool, &[], &[], None)), ["experts"]);
        assert_eq!(
            fields(choose(&pool, &[2], &[9, 2], Some((9, 1)))),
            ["experts[0]", "experts[1]", "draw.n"]
        );
        let chosen = choose(&pool, &[1], &[2], Some((2, 42))).unwrap();
        assert_eq!(chosen[0].how, Appointed::Named);
        let drawn: Vec<i32> = chosen[1..].iter().map(|c| c.expert_id).collect();
        assert_eq!(drawn, draw(&[3, 4, 5], 2, 42));
        assert!(chosen[1..]
            .iter()
            .all(|c| c.how == Appointed::Drawn && c.seed == Some(42)));
    }
}
