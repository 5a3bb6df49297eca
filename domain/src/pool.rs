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
    let inputs: Vec<RepresentativenessInput> = entries
        .iter()
        .map(|e| RepresentativenessInput::from_form(e.form, e.cluster_tier))
        .collect();
    // Sorted once: each proposal's percentile ranks are then binary searches.
    let ranked = RankedPool::new(&inputs);
    let w = settings.weights.as_array();
    let mut cards = Vec::with_capacity(entries.len());
    let mut candidates = Vec::with_capacity(entries.len());
    for (e, input) in entries.iter().zip(&inputs) {
        let c = completeness(e.form, e.plan, &settings.scoring.completeness);
        let r = ranked.score(input, &settings.scoring.representativeness);
        let l = layout(
            e.form.cluster_code.as_deref(),
            &e.form.industry_class,
            e.map,
            Some(e.region),
            &settings.scoring.layout,
        );
        let scores = [c.total, r.total, l.total];
        let weighted_total = scores.iter().zip(w).map(|(s, w)| s * w).sum();
        candidates.push(Candidate {
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
            scores,
            sealed_at: e.sealed_at,
        });
        cards.push(ScoreCard {
            id: e.id,
            completeness: c,
            representativeness: r,
            layout: l,
            weighted_total,
        });
    }
    (cards, candidates)
}
