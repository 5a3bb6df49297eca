//! The round's eligible pool, scored on the notice's three criteria and turned into the
//! optimiser's candidates. Pure: the caller loads the proposals and the reference data.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::completeness::completeness;
use super::industry_map::IndustryMap;
use super::layout::layout;
use super::proposal::{ProposalForm, ProposalPlan};
use super::representativeness::{RankedPool, RepresentativenessInput, Tier};
use super::round::RoundSettings;
use super::score::Score;
use super::selection::{Candidate, Region};

/// One eligible proposal with what scoring needs.
pub struct PoolEntry<'a> {
    pub id: i32,
    pub form: &'a ProposalForm,
    pub plan: &'a ProposalPlan,
    pub district: &'a str,
    pub region: Region,
    pub map: &'a IndustryMap,
    pub cluster_tier: Option<Tier>,
    /// Unix seconds of the district's seal (the tie rule).
    pub sealed_at: i64,
}

/// A proposal's three scores, each with its parts, and its weighted total.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoreCard {
    pub id: i32,
    /// 方案完整性.
    pub completeness: Score,
    /// 行业代表性 (normalised over the round's eligible pool).
    pub representativeness: Score,
    /// 区县产业布局.
    pub layout: Score,
    /// Σ weight × score, in units of 1e-4 point (1,000,000 = 100.00 points).
    pub weighted_total: i64,
}

/// Cluster placeholder for a proposal that names none: unique, so it shares no cluster cap.
pub fn no_cluster(id: i32) -> String {
    format!("(none:{id})")
}

/// Scores every entry (representativeness against the whole pool) and builds the candidates.
pub fn score_pool(
    entries: &[PoolEntry<'_>],
    settings: &RoundSettings,
) -> (Vec<ScoreCard>, Vec<Candidate>) {
    let mut cards = Vec::with_capacity(entries.len());
    let candidates = score_pool_with(entries, settings, |_, card| cards.push(card));
    (cards, candidates)
}

/// As [`score_pool`], but hands each entry's card to `sink` as it is made, in entry order,
/// instead of keeping them: at scale the cards (every part with its label and reason) weigh far
/// more than the candidates, and a caller may need only a few of them or only their bytes.
pub fn score_pool_with(
    entries: &[PoolEntry<'_>],
    settings: &RoundSettings,
    mut sink: impl FnMut(&PoolEntry<'_>, ScoreCard),
) -> Vec<Candidate> {
    let inputs = entries
        .iter()
        .map(|e| RepresentativenessInput::from_form(e.form, e.cluster_tier))
        .collect();
    let scorer = RankedScorer::new(inputs, settings.clone());
    entries
        .iter()
        .zip(&scorer.inputs)
        .map(|(e, input)| {
            let (card, candidate) = scorer.make(e, input);
            sink(e, card);
            candidate
        })
        .collect()
}

/// The few figures of an intention form that representativeness ranks the pool by, read from
/// the form's JSON without the rest of it (its texts, contacts, suppliers): at scale a pool is
/// ranked from these first, and each proposal is then scored whole as it is read, so that the
/// pool's forms and plans never stand in memory together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FormFigures {
    pub cluster_code: Option<String>,
    pub chain_leader: LeaderFigures,
    pub cluster_stats: ClusterFigures,
}

/// [`super::proposal::ChainLeader`]'s figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct LeaderFigures {
    pub scale: Option<super::money::Money>,
    pub in_city_suppliers: Option<u32>,
}

/// [`super::proposal::ClusterStats`]'s figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ClusterFigures {
    pub scale: Option<super::money::Money>,
    pub enterprise_count: Option<u32>,
}

impl FormFigures {
    /// The representativeness input, as [`RepresentativenessInput::from_form`] takes it from
    /// the whole form.
    pub fn input(&self, cluster_tier: Option<Tier>) -> RepresentativenessInput {
        RepresentativenessInput::from_figures(
            cluster_tier,
            self.cluster_stats.scale,
            self.cluster_stats.enterprise_count,
            self.chain_leader.scale,
            self.chain_leader.in_city_suppliers,
        )
    }
}

/// A pool ranked from its entries' representativeness inputs alone (e.g. from
/// [`FormFigures`]), whose entries are then scored one at a time, in any order: each card is
/// the one [`score_pool`] makes for the same pool.
pub struct RankedScorer {
    inputs: Vec<RepresentativenessInput>,
    ranked: RankedPool,
    settings: RoundSettings,
}

impl RankedScorer {
    /// The pool of these inputs, in entry order, scored under `settings`.
    pub fn new(inputs: Vec<RepresentativenessInput>, settings: RoundSettings) -> Self {
        let ranked = RankedPool::new(&inputs);
        Self {
            inputs,
            ranked,
            settings,
        }
    }

    /// Entries in the pool.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Entry `i`'s card and candidate; `None` past the end, or when the entry is not the one
    /// the pool was ranked with (its form's figures or tier differ: the pool changed between
    /// the two reads).
    pub fn score(&self, i: usize, e: &PoolEntry<'_>) -> Option<(ScoreCard, Candidate)> {
        let input = self.inputs.get(i)?;
        if RepresentativenessInput::from_form(e.form, e.cluster_tier) != *input {
            return None;
        }
        Some(self.make(e, input))
    }

    /// The card and candidate of an entry whose input is `input`.
    fn make(&self, e: &PoolEntry<'_>, input: &RepresentativenessInput) -> (ScoreCard, Candidate) {
        let s = &self.settings;
        let c = completeness(e.form, e.plan, &s.scoring.completeness);
        let r = self.ranked.score(input, &s.scoring.representativeness);
        let l = layout(
            e.form.cluster_code.as_deref(),
            &e.form.industry_class,
            e.map,
            Some(e.region),
            &s.scoring.layout,
        );
        let w = s.weights.as_array();
        let weighted_total = [c.total, r.total, l.total]
            .iter()
            .zip(w)
            .map(|(s, w)| s * w)
            .sum();
        let card = ScoreCard {
            id: e.id,
            completeness: c,
            representativeness: r,
            layout: l,
            weighted_total,
        };
        let cand = candidate(e, &card);
        (card, cand)
    }
}

/// The optimiser's view of a scored entry.
fn candidate(e: &PoolEntry<'_>, card: &ScoreCard) -> Candidate {
    Candidate {
        id: e.id,
        district: e.district.to_owned(),
        region: e.region,
        cluster: e
            .form
            .cluster_code
            .clone()
            .unwrap_or_else(|| no_cluster(e.id)),
        model: e
            .form
            .construction_model
            .map_or("unspecified", |m| m.as_str())
            .to_owned(),
        scores: [
            card.completeness.total,
            card.representativeness.total,
            card.layout.total,
        ],
        sealed_at: e.sealed_at,
    }
}
