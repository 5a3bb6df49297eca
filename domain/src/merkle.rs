//! The verifiable log's Merkle tree (RFC 9162 §2.1) kept as its complete subtrees: a tree of n
//! leaves, any of its earlier sizes, and every inclusion and consistency proof are folds of at
//! most O(log n) stored complete-subtree hashes. Which nodes a proof holds, and proof
//! verification, come from `ct-merkle`; this module maps its node indices to leaf ranges and
//! ranges to stored subtrees.

use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];
/// The digest type `ct-merkle` proves with (SHA-256, digest 0.11).
pub type Hasher = sha2_011::Sha256;

/// A complete subtree: 2^level leaves from leaf `idx · 2^level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subtree {
    pub level: u32,
    pub idx: u64,
}

/// `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: `SHA-256()`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The leaves `[start, end)` under `ct-merkle`'s array-tree node `x` in a tree of `n` leaves.
pub fn range_of(x: u64, n: u64) -> (u64, u64) {
    let k = x.trailing_ones();
    let start = (x >> (k + 1)) << k;
    (start, start.saturating_add(1u64 << k).min(n))
}

/// The complete subtrees, left to right, whose right fold is the Merkle Tree Hash of leaves
/// `[start, end)` (RFC 9162: split at the largest power of two below the count). `None` for an
/// empty or unaligned range (never one a tree or a proof asks for).
pub fn decompose(start: u64, end: u64) -> Option<Vec<Subtree>> {
    let mut out = Vec::new();
    let mut s = start;
    while s < end {
        let m = end - s;
        let k = if m.is_power_of_two() {
            m
        } else {
            1u64 << (63 - (m - 1).leading_zeros())
        };
        if s % k != 0 {
            return None;
        }
        out.push(Subtree {
            level: k.trailing_zeros(),
            idx: s / k,
        });
        s += k;
    }
    (!out.is_empty()).then_some(out)
}

/// The right fold of subtree hashes: `H(a, H(b, … z))`.
pub fn fold(hashes: &[Hash]) -> Option<Hash> {
    let (last, rest) = hashes.split_last()?;
    Some(rest.iter().rev().fold(*last, |acc, h| node_hash(h, &acc)))
}

/// The right edge of a tree being extended: for each set bit `l` of its size, the hash of the
/// complete subtree of 2^l leaves there.
#[derive(Debug, Clone, Default)]
pub struct Frontier {
    pub size: u64,
    pub levels: Vec<Option<Hash>>,
}

impl Frontier {
    /// The subtrees a frontier of `size` leaves is made of (to load it).
    pub fn subtrees(size: u64) -> Vec<Subtree> {
        (0..64)
            .filter(|l| (size >> l) & 1 == 1)
            .map(|l| Subtree {
                level: l,
                idx: (size >> l) - 1,
            })
            .collect()
    }

    /// Appends a leaf; returns every complete subtree it completes (the leaf itself first).
    ///
    /// # Errors
    /// A frontier without the subtree its size says it has.
    pub fn push(&mut self, leaf: Hash) -> Result<Vec<(Subtree, Hash)>, String> {
        let size = self.size;
        let mut out = vec![(
            Subtree {
                level: 0,
                idx: size,
            },
            leaf,
        )];
        let mut h = leaf;
        let mut l = 0u32;
        while (size >> l) & 1 == 1 {
            let left = self
                .levels
                .get_mut(l as usize)
                .and_then(Option::take)
                .ok_or_else(|| format!("the tree's frontier has no subtree at level {l}"))?;
            h = node_hash(&left, &h);
            l += 1;
            out.push((
                Subtree {
                    level: l,
                    idx: ((size + 1) >> l) - 1,
                },
                h,
            ));
        }
        if self.levels.len() <= l as usize {
            self.levels.resize(l as usize + 1, None);
        }
        self.levels[l as usize] = Some(h);
        self.size += 1;
        Ok(out)
    }
}

/// The subtrees each node of an inclusion proof (leaf `idx` in a tree of `n`) is folded from.
/// `None` when `idx ≥ n`.
pub fn inclusion_plan(n: u64, idx: u64) -> Option<Vec<Vec<Subtree>>> {
    if idx >= n || idx > u64::MAX / 2 {
        return None;
    }
    ct_merkle::indices_for_inclusion_proof(n, idx)
        .into_iter()
        .map(|x| {
            let (s, e) = range_of(x, n);
            decompose(s, e)
        })
        .collect()
}

/// The subtrees each node of a consistency proof from `first` to `second` leaves is folded from.
/// `None` unless `1 ≤ first ≤ second`.
pub fn consistency_plan(first: u64, second: u64) -> Option<Vec<Vec<Subtree>>> {
    if first == 0 || first > second || second > u64::MAX / 2 {
        return None;
    }
    ct_merkle::indices_for_consistency_proof(first, second - first)
        .into_iter()
        .map(|x| {
            let (s, e) = range_of(x, second);
            decompose(s, e)
        })
        .collect()
}

fn root(hash: &Hash, size: u64) -> RootHash<Hasher> {
    RootHash::new((*hash).into(), size)
}

/// Checks that `leaf` is leaf `idx` of the tree of `size` leaves with root `root_hash`.
///
/// # Errors
/// When it is not (or the proof is malformed).
pub fn verify_inclusion(
    root_hash: &Hash,
    size: u64,
    leaf: &[u8],
    idx: u64,
    proof: &[Hash],
) -> Result<(), String> {
    let proof = InclusionProof::<Hasher>::try_from_bytes(proof.concat())
        .map_err(|e| format!("malformed inclusion proof: {e:?}"))?;
    root(root_hash, size)
        .verify_inclusion(&leaf, idx, &proof)
        .map_err(|e| format!("the inclusion proof does not verify: {e:?}"))
}

/// Checks that the tree of `old_size` leaves with root `old_root` is a prefix of the tree of
/// `new_size` leaves with root `new_root`.
///
/// # Errors
/// When it is not (or the proof is malformed).
pub fn verify_consistency(
    old_root: &Hash,
    old_size: u64,
    new_root: &Hash,
    new_size: u64,
    proof: &[Hash],
) -> Result<(), String> {
    if old_size > new_size {
        return Err(format!(
            "the log shrank from {old_size} to {new_size} leaves"
        ));
    }
    if old_size == new_size || old_size == 0 {
        return if old_size == 0 || old_root == new_root {
            Ok(())
        } else {
            Err("the same size with another root: the log was rewritten".into())
        };
    }
    let proof = ConsistencyProof::<Hasher>::try_from_bytes(proof.concat())
        .map_err(|e| format!("malformed consistency proof: {e:?}"))?;
    root(new_root, new_size)
        .verify_consistency(&root(old_root, old_size), &proof)
        .map_err(|e| format!("the consistency proof does not verify: {e:?}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use ct_merkle::mem_backed_tree::MemoryBackedTree;

    /// A tree kept as this module keeps it: every complete subtree by its place.
    fn stored(leaves: &[Vec<u8>]) -> std::collections::HashMap<Subtree, Hash> {
        let mut f = Frontier::default();
        let mut m = std::collections::HashMap::new();
        for l in leaves {
            for (s, h) in f.push(leaf_hash(l)).unwrap() {
                m.insert(s, h);
            }
        }
        m
    }

    fn eval(m: &std::collections::HashMap<Subtree, Hash>, plan: &[Vec<Subtree>]) -> Vec<Hash> {
        plan.iter()
            .map(|p| fold(&p.iter().map(|s| m[s]).collect::<Vec<_>>()).unwrap())
            .collect()
    }

    #[test]
    fn roots_and_proofs_match_ct_merkles_own_tree_for_every_size_up_to_40() {
        let leaves: Vec<Vec<u8>> = (0..40u32)
            .map(|i| format!("leaf {i}").into_bytes())
            .collect();
        let m = stored(&leaves);
        let mut reference = MemoryBackedTree::<Hasher, Vec<u8>>::new();
        let mut roots = Vec::new();
        for n in 1..=leaves.len() as u64 {
            reference.push(leaves[n as usize - 1].clone());
            let r = fold(
                &decompose(0, n)
                    .unwrap()
                    .iter()
                    .map(|s| m[s])
                    .collect::<Vec<_>>(),
            )
            .unwrap();
            assert_eq!(&r[..], &reference.root().as_bytes()[..], "root of {n}");
            roots.push(r);
            for i in 0..n {
                let ours = eval(&m, &inclusion_plan(n, i).unwrap());
                assert_eq!(
                    ours.concat(),
                    reference.prove_inclusion(i as usize).as_bytes(),
                    "inclusion {i} of {n}"
                );
                verify_inclusion(&r, n, &leaves[i as usize], i, &ours).unwrap();
                assert!(verify_inclusion(&r, n, b"another", i, &ours).is_err());
            }
        }
        for second in 1..=40u64 {
            for first in 1..=second {
                let proof = eval(&m, &consistency_plan(first, second).unwrap());
                let (a, b) = (roots[first as usize - 1], roots[second as usize - 1]);
                verify_consistency(&a, first, &b, second, &proof)
                    .unwrap_or_else(|e| panic!("{first}→{second}: {e}"));
                if first < second {
                    let mut bad = a;
                    bad[0] ^= 1;
                    assert!(verify_consistency(&bad, first, &b, second, &proof).is_err());
                }
            }
        }
    }

    #[test]
    fn the_empty_tree_and_bad_ranges() {
        assert_eq!(
            hex::encode(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(decompose(3, 3).is_none());
        assert!(decompose(1, 3).is_none());
        assert!(inclusion_plan(3, 3).is_none());
        assert!(consistency_plan(0, 3).is_none());
        assert!(consistency_plan(4, 3).is_none());
    }
}
