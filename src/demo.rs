//! A deterministic demo data set for the 2024 round: builder organisations, every used district's
//! industry map, and about forty proposals (附件1 form + 附件2 plan) in every state a round goes through.
//!
//! The set is data, `demo/demo-2024.json` at the repository root, compiled in and parsed here into
//! the types below; this module holds only the types, the parse and the tests that keep the file
//! honest.
//!
//! It exists so that a fresh service can be shown doing something interesting: the data is shaped so
//! that the selection is not a sort. With weights completeness 30 / representativeness 35 / layout 35,
//! the two highest-scoring eligible proposals lie in the same district (两江新区), two strong proposals
//! share a cluster, and every region of 一区两群 has an eligible proposal, so "take the top five" breaks
//! the at-most-one-per-district rule and the constrained optimum differs from it.
//!
//! Every name of an organisation, enterprise or person is invented and starts with 示例, phone numbers
//! are of the form 023-6000-00NN, and unified social credit codes are built with a valid check character
//! from `91{district}MA{serial}`; nothing here names a real firm. Industry classes come only from the
//! shipped GB/T 4754-2017 reference rows, and all amounts are in 万元 with 2022 figures. The tests
//! below check each of these properties, so an edit of the file that breaks one fails the build's
//! tests.
//!
//! The output is plain data and the same on every call; the loader inserts it, filling each form's
//! `builder_organisation_id` from `builder_key` once the organisations have ids.

use serde::{Deserialize, Serialize};

use crate::domain::industry_map::IndustryMap;
use crate::domain::proposal::{ProposalForm, ProposalPlan};

/// The data set, compiled in.
const DEMO_2024: &str = include_str!("../demo/demo-2024.json");

/// A builder organisation (建设主体): a district platform company, a chain-leader enterprise or a
/// third-party platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoOrganisation {
    /// Stable key that proposals refer to (`builder_key`, `DemoOwner::Applicant`).
    pub key: &'static str,
    /// Invented name, always starting with 示例.
    pub name: String,
    /// Unified social credit code with a valid check character; distinct across the set.
    pub uscc: String,
    /// Home district or zone (our codes CQLJ, CQGX, CQWS for the zones).
    pub district_code: String,
}

/// Who filed the proposal and owns its drafts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
pub enum DemoOwner {
    /// The builder organisation itself, through an applicant account.
    Applicant { organisation_key: &'static str },
    /// The officer of the proposal's district, as the notice asks districts to fill in 附件1.
    District,
}

/// Where the proposal stands when the demo round is shown: the loader replays the state machine up
/// to this state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum DemoFate {
    Draft,
    Submitted,
    /// Sent back by the district with its reasons.
    Returned {
        reasons: Vec<String>,
    },
    /// Sealed by the district (审核盖章), not yet judged by the commission.
    Sealed,
    /// Marked eligible by the commission: part of the selection pool.
    Eligible,
    /// Marked ineligible by the commission with its reasons.
    Ineligible {
        reasons: Vec<String>,
    },
}

impl DemoFate {
    /// Whether the district has sealed the proposal (sealed, eligible or ineligible).
    pub fn is_sealed_or_later(&self) -> bool {
        matches!(
            self,
            Self::Sealed | Self::Eligible | Self::Ineligible { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoProposal {
    /// Stable key, "P01" … "P40".
    pub key: String,
    pub owner: DemoOwner,
    /// The intention form; `builder_organisation_id` is `None`, the loader fills it from `builder_key`.
    pub form: ProposalForm,
    /// Key of the intended builder organisation, if the form names one.
    pub builder_key: Option<&'static str>,
    pub plan: ProposalPlan,
    pub fate: DemoFate,
    /// For sealed-or-later proposals: how many minutes before the 2024 intake deadline the district
    /// sealed it, distinct per proposal so that orderings by time are unambiguous; 0 otherwise.
    pub sealed_minutes_before_deadline: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "'de: 'static"))]
pub struct DemoSet {
    pub organisations: Vec<DemoOrganisation>,
    /// The 2023 industry map of every district or zone that a proposal uses: `(district code, map)`.
    pub industry_maps: Vec<(String, IndustryMap)>,
    pub proposals: Vec<DemoProposal>,
}

/// The demo data set, parsed from the embedded `demo/demo-2024.json`.
///
/// # Errors
/// When the embedded file does not parse into [`DemoSet`] (named with the line and column); the
/// test `the_embedded_file_parses_and_round_trips` keeps that from shipping.
pub fn try_demo_set() -> Result<DemoSet, serde_json::Error> {
    serde_json::from_str(DEMO_2024)
}

#[cfg(test)]
mod tests {
    fn demo_set() -> super::DemoSet {
        super::try_demo_set().expect("the embedded demo data parses")
    }

    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::domain::codes::Uscc;
    use crate::domain::completeness::{completeness, CompletenessParams};
    use crate::domain::industry_map::{self, IndustryMapEntry, MapEntryKind};
    use crate::domain::layout::{layout, LayoutParams, Region};
    use crate::domain::money::Money;
    use crate::domain::proposal::ConstructionModel;
    use crate::domain::proposal::{validate, ReferenceLookup};
    use crate::domain::representativeness::{
        representativeness, RepresentativenessInput, RepresentativenessParams, Tier,
    };
    use crate::domain::score::{hundredths_text, round_half_up};

    /// The districts reference (chongqing-districts.tsv, zones under our codes): code and region.
    const DISTRICTS: [(&str, Region); 41] = [
        ("500101", Region::Northeast),
        ("500102", Region::MainUrban),
        ("500103", Region::MainUrban),
        ("500104", Region::MainUrban),
        ("500105", Region::MainUrban),
        ("500106", Region::MainUrban),
        ("500107", Region::MainUrban),
        ("500108", Region::MainUrban),
        ("500109", Region::MainUrban),
        ("500110", Region::MainUrban),
        ("500111", Region::MainUrban),
        ("500112", Region::MainUrban),
        ("500113", Region::MainUrban),
        ("500114", Region::Southeast),
        ("500115", Region::MainUrban),
        ("500116", Region::MainUrban),
        ("500117", Region::MainUrban),
        ("500118", Region::MainUrban),
        ("500119", Region::MainUrban),
        ("500120", Region::MainUrban),
        ("500151", Region::MainUrban),
        ("500152", Region::MainUrban),
        ("500153", Region::MainUrban),
        ("500154", Region::Northeast),
        ("500155", Region::Northeast),
        ("500156", Region::Southeast),
        ("500229", Region::Northeast),
        ("500230", Region::Northeast),
        ("500231", Region::Northeast),
        ("500233", Region::Northeast),
        ("500235", Region::Northeast),
        ("500236", Region::Northeast),
        ("500237", Region::Northeast),
        ("500238", Region::Northeast),
        ("500240", Region::Southeast),
        ("500241", Region::Southeast),
        ("500242", Region::Southeast),
        ("500243", Region::Southeast),
        ("CQLJ", Region::MainUrban),
        ("CQGX", Region::MainUrban),
        ("CQWS", Region::MainUrban),
    ];

    /// industry-classes-gbt4754-2017.tsv: code and parent.
    const CLASSES: [(&str, &str); 49] = [
        ("13", ""),
        ("14", ""),
        ("15", ""),
        ("16", ""),
        ("17", ""),
        ("18", ""),
        ("19", ""),
        ("20", ""),
        ("21", ""),
        ("22", ""),
        ("23", ""),
        ("24", ""),
        ("25", ""),
        ("26", ""),
        ("27", ""),
        ("28", ""),
        ("29", ""),
        ("30", ""),
        ("31", ""),
        ("32", ""),
        ("33", ""),
        ("34", ""),
        ("35", ""),
        ("36", ""),
        ("37", ""),
        ("38", ""),
        ("39", ""),
        ("40", ""),
        ("41", ""),
        ("42", ""),
        ("43", ""),
        ("63", ""),
        ("64", ""),
        ("65", ""),
        ("268", "26"),
        ("2683", "268"),
        ("361", "36"),
        ("3612", "361"),
        ("375", "37"),
        ("3751", "375"),
        ("397", "39"),
        ("3973", "397"),
        ("3974", "397"),
        ("384", "38"),
        ("3841", "384"),
        ("276", "27"),
        ("2761", "276"),
        ("651", "65"),
        ("6513", "651"),
    ];

    /// The twelve shipped clusters of the "33618" system and their tiers.
    const CLUSTERS: [(&str, Tier); 12] = [
        ("icv_nev", Tier::Trillion),
        ("electronic_info", Tier::Trillion),
        ("advanced_materials", Tier::Trillion),
        ("intelligent_equipment", Tier::FiveHundredBillion),
        ("food_agri", Tier::FiveHundredBillion),
        ("software_info", Tier::FiveHundredBillion),
        ("new_display", Tier::HundredBillion),
        ("motorcycle", Tier::HundredBillion),
        ("light_alloy", Tier::HundredBillion),
        ("light_textile", Tier::HundredBillion),
        ("biomedicine", Tier::HundredBillion),
        ("new_energy_storage", Tier::HundredBillion),
    ];

    /// Selection weights of the demo round, in hundredths: completeness, representativeness, layout.
    const WEIGHTS: (i64, i64, i64) = (30, 35, 35);

    struct Refs;

    impl ReferenceLookup for Refs {
        fn district_exists(&self, code: &str) -> bool {
            region_of(code).is_some()
        }
        fn cluster_exists(&self, code: &str) -> bool {
            tier_of(code).is_some()
        }
        fn industry_class_parent(&self, code: &str) -> Option<Option<String>> {
            CLASSES
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, parent)| code_opt(parent))
        }
    }

    fn code_opt(value: &str) -> Option<String> {
        (!value.is_empty()).then(|| value.to_owned())
    }

    fn region_of(code: &str) -> Option<Region> {
        DISTRICTS.iter().find(|(c, _)| *c == code).map(|(_, r)| *r)
    }

    fn tier_of(code: &str) -> Option<Tier> {
        CLUSTERS.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
    }

    /// What the loader does: the builder's id is its position among the organisations, from 1.
    fn with_builder_ids(set: &DemoSet) -> Vec<DemoProposal> {
        set.proposals
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.form.builder_organisation_id = p.builder_key.and_then(|key| {
                    set.organisations
                        .iter()
                        .position(|o| o.key == key)
                        .and_then(|i| i32::try_from(i + 1).ok())
                });
                p
            })
            .collect()
    }

    fn district(p: &DemoProposal) -> &str {
        p.form.district_code.as_deref().unwrap_or("")
    }

    fn cluster(p: &DemoProposal) -> &str {
        p.form.cluster_code.as_deref().unwrap_or("")
    }

    #[derive(Debug, Clone)]
    struct Scored {
        key: String,
        district: String,
        cluster: String,
        region: Region,
        completeness: i64,
        representativeness: i64,
        layout: i64,
        /// Σ weight × score: hundredths of a point × 100.
        total: i64,
    }

    /// Every eligible proposal's three scores and weighted total, best first (ties by key).
    fn scored(set: &DemoSet) -> Vec<Scored> {
        let eligible: Vec<DemoProposal> = with_builder_ids(set)
            .into_iter()
            .filter(|p| p.fate == DemoFate::Eligible)
            .collect();
        let input =
            |p: &DemoProposal| RepresentativenessInput::from_form(&p.form, tier_of(cluster(p)));
        let pool: Vec<RepresentativenessInput> = eligible.iter().map(input).collect();
        let maps: BTreeMap<&str, &IndustryMap> = set
            .industry_maps
            .iter()
            .map(|(d, m)| (d.as_str(), m))
            .collect();
        let mut all: Vec<Scored> = eligible
            .iter()
            .map(|p| {
                let c = completeness(&p.form, &p.plan, &CompletenessParams::default()).total;
                let r = representativeness(&input(p), &pool, &RepresentativenessParams::default())
                    .total;
                let empty = IndustryMap::default();
                let map = maps.get(district(p)).copied().unwrap_or(&empty);
                let l = layout(
                    p.form.cluster_code.as_deref(),
                    &p.form.industry_class,
                    map,
                    region_of(district(p)),
                    &LayoutParams::default(),
                )
                .total;
                Scored {
                    key: p.key.clone(),
                    district: district(p).to_owned(),
                    cluster: cluster(p).to_owned(),
                    region: region_of(district(p)).unwrap_or(Region::MainUrban),
                    completeness: c,
                    representativeness: r,
                    layout: l,
                    total: WEIGHTS.0 * c + WEIGHTS.1 * r + WEIGHTS.2 * l,
                }
            })
            .collect();
        all.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
        all
    }

    /// The best list of five under one-per-district, one-per-cluster and every region represented,
    /// by brute force (ties broken by the keys, in order).
    fn constrained_optimum(all: &[Scored]) -> Vec<String> {
        let regions: BTreeSet<String> = all.iter().map(|s| format!("{:?}", s.region)).collect();
        let n = all.len();
        let mut best: Option<(i64, Vec<usize>)> = None;
        let mut pick = [0_usize; 5];
        fn next(pick: &mut [usize; 5], n: usize) -> bool {
            for i in (0..5).rev() {
                if pick[i] < n - 5 + i {
                    pick[i] += 1;
                    for j in i + 1..5 {
                        pick[j] = pick[j - 1] + 1;
                    }
                    return true;
                }
            }
            false
        }
        for (i, slot) in pick.iter_mut().enumerate() {
            *slot = i;
        }
        loop {
            let chosen: Vec<&Scored> = pick.iter().map(|&i| &all[i]).collect();
            let districts: BTreeSet<&str> = chosen.iter().map(|s| s.district.as_str()).collect();
            let clusters: BTreeSet<&str> = chosen.iter().map(|s| s.cluster.as_str()).collect();
            let covered: BTreeSet<String> =
                chosen.iter().map(|s| format!("{:?}", s.region)).collect();
            if districts.len() == 5 && clusters.len() == 5 && covered == regions {
                let sum: i64 = chosen.iter().map(|s| s.total).sum();
                if best.as_ref().is_none_or(|(b, _)| sum > *b) {
                    best = Some((sum, pick.to_vec()));
                }
            }
            if !next(&mut pick, n) {
                break;
            }
        }
        best.map(|(_, picks)| picks.iter().map(|&i| all[i].key.clone()).collect())
            .unwrap_or_default()
    }

    fn points(total: i64) -> String {
        hundredths_text(round_half_up(i128::from(total), 100))
    }

    #[test]
    fn the_embedded_file_parses_and_round_trips() {
        let set = try_demo_set().unwrap();
        // Nothing in the file is dropped or reshaped on the way in: serialising the parsed set
        // gives the file's JSON value back.
        let file: serde_json::Value = serde_json::from_str(DEMO_2024).unwrap();
        assert_eq!(serde_json::to_value(&set).unwrap(), file);
        assert_eq!(demo_set(), set);
    }

    #[test]
    fn a_broken_file_is_refused() {
        let broken = DEMO_2024.replacen("\"state\": \"draft\"", "\"state\": \"drafted\"", 1);
        assert_ne!(broken, DEMO_2024, "the file has a draft to break");
        assert!(serde_json::from_str::<DemoSet>(Box::leak(broken.into_boxed_str())).is_err());
    }

    #[test]
    fn the_set_is_deterministic() {
        assert_eq!(demo_set(), demo_set());
    }

    #[test]
    fn sizes_and_fates() {
        let set = demo_set();
        assert!((38..=42).contains(&set.proposals.len()));
        let mut fates: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &set.proposals {
            let name = match p.fate {
                DemoFate::Draft => "draft",
                DemoFate::Submitted => "submitted",
                DemoFate::Returned { .. } => "returned",
                DemoFate::Sealed => "sealed",
                DemoFate::Eligible => "eligible",
                DemoFate::Ineligible { .. } => "ineligible",
            };
            *fates.entry(name).or_default() += 1;
        }
        let want: BTreeMap<&str, usize> = [
            ("draft", 2),
            ("submitted", 2),
            ("returned", 1),
            ("sealed", 2),
            ("eligible", 30),
            ("ineligible", 3),
        ]
        .into_iter()
        .collect();
        assert_eq!(fates, want);
        for p in &set.proposals {
            if let DemoFate::Returned { reasons } | DemoFate::Ineligible { reasons } = &p.fate {
                assert!(!reasons.is_empty(), "{}", p.key);
            }
        }
        let keys: BTreeSet<&str> = set.proposals.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys.len(), set.proposals.len(), "keys are distinct");
    }

    #[test]
    fn sealing_times_are_distinct_for_sealed_proposals_only() {
        let set = demo_set();
        let mut seen = BTreeSet::new();
        for p in &set.proposals {
            if p.fate.is_sealed_or_later() {
                // Within the intake window: after the notice of 2024-01-29, before 2024-02-29.
                assert!(
                    (1..31 * 24 * 60).contains(&p.sealed_minutes_before_deadline),
                    "{}",
                    p.key
                );
                assert!(seen.insert(p.sealed_minutes_before_deadline), "{}", p.key);
            } else {
                assert_eq!(p.sealed_minutes_before_deadline, 0, "{}", p.key);
            }
        }
    }

    #[test]
    fn every_proposal_validates_against_the_reference_data() {
        let set = demo_set();
        for p in with_builder_ids(&set) {
            assert_eq!(validate(&p.form, &p.plan, &Refs), vec![], "{}", p.key);
        }
        for p in &set.proposals {
            assert_eq!(p.form.builder_organisation_id, None, "{}", p.key);
        }
    }

    #[test]
    fn spread_over_regions_districts_clusters_and_models() {
        let set = demo_set();
        let regions: BTreeSet<String> = set
            .proposals
            .iter()
            .filter_map(|p| region_of(district(p)))
            .map(|r| format!("{r:?}"))
            .collect();
        assert_eq!(regions.len(), 3);
        let districts: BTreeSet<&str> = set.proposals.iter().map(district).collect();
        assert!(districts.len() >= 30, "{}", districts.len());
        for zone in ["CQLJ", "CQGX", "CQWS"] {
            assert!(districts.contains(zone), "{zone}");
        }
        let clusters: BTreeSet<&str> = set.proposals.iter().map(cluster).collect();
        assert_eq!(clusters.len(), 12);
        let models: BTreeSet<String> = set
            .proposals
            .iter()
            .filter_map(|p| p.form.construction_model)
            .map(|m| format!("{m:?}"))
            .collect();
        assert_eq!(models.len(), 3);
    }

    #[test]
    fn figures_are_plausible() {
        let set = demo_set();
        for p in &set.proposals {
            let f = &p.form;
            let wan = |m: Option<Money>| m.map(|m| m.hundredths() / 100);
            if let Some(total) = wan(p.plan.funding.total) {
                assert!((500..=5000).contains(&total), "{}", p.key);
            }
            if let Some(scale) = wan(f.cluster_stats.scale) {
                assert!((100_000..=50_000_000).contains(&scale), "{}", p.key);
            }
            if let Some(scale) = wan(f.chain_leader.scale) {
                assert!((10_000..=5_000_000).contains(&scale), "{}", p.key);
            }
            if let Some(n) = f.chain_leader.in_city_suppliers {
                assert!((20..=800).contains(&n), "{}", p.key);
            }
            if let Some(n) = f.cluster_stats.enterprise_count {
                assert!((30..=2000).contains(&n), "{}", p.key);
            }
            if let Some(year) = f.cluster_stats.data_year {
                assert_eq!(year, 2022, "{}", p.key);
            }
            let s = &p.plan.schedule;
            let dates = s
                .start
                .iter()
                .chain(s.end.iter())
                .chain(s.milestones.iter().filter_map(|m| m.due.as_ref()));
            for d in dates {
                assert!(
                    (2024..=2026).contains(&chrono::Datelike::year(d)),
                    "{}",
                    p.key
                );
            }
        }
    }

    /// An organisation name mentioned in text ("…有限公司", "…集团") must be an invented one.
    fn named_firms_are_invented(text: &str) -> bool {
        let boundaries = |c: char| "，。、；：（）“”《》 ".contains(c);
        ["有限公司", "集团"].iter().all(|suffix| {
            text.match_indices(suffix).all(|(at, _)| {
                let segment = text[..at].rsplit(boundaries).next().unwrap_or("");
                segment.contains("示例")
            })
        })
    }

    #[test]
    fn every_name_is_invented() {
        let set = demo_set();
        let organisation_names: BTreeSet<&str> =
            set.organisations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(organisation_names.len(), set.organisations.len());
        for o in &set.organisations {
            assert!(o.name.starts_with("示例"), "{}", o.name);
        }
        for p in &set.proposals {
            let f = &p.form;
            if let Some(name) = &f.chain_leader.name {
                assert!(name.starts_with("示例"), "{}: {name}", p.key);
            }
            let contact = f.contact.name.as_deref().unwrap_or("");
            assert!(contact.starts_with("示例联系人"), "{}", p.key);
            if let Some(phone) = &f.contact.phone {
                assert!(phone.starts_with("023-6000-"), "{}", p.key);
            }
            let json = serde_json::to_string(&(f, &p.plan)).unwrap_or_default();
            assert!(named_firms_are_invented(&json), "{}", p.key);
            if f.construction_model == Some(ConstructionModel::ChainLeaderLed) {
                let builder = set
                    .organisations
                    .iter()
                    .find(|o| Some(o.key) == p.builder_key);
                assert_eq!(
                    builder.map(|o| o.name.as_str()),
                    f.chain_leader.name.as_deref(),
                    "{}: a chain-leader-led brain is built by its chain leader",
                    p.key
                );
            }
        }
        assert!(!named_firms_are_invented("由重庆某某有限公司牵头"));
        assert!(named_firms_are_invented("由示例某某有限公司牵头"));
    }

    #[test]
    fn credit_codes_are_valid_and_distinct() {
        let set = demo_set();
        let mut seen = BTreeSet::new();
        for o in &set.organisations {
            assert!(Uscc::parse(&o.uscc).is_ok(), "{}: {}", o.key, o.uscc);
            let district6 = if o.district_code.starts_with("CQ") {
                "500000"
            } else {
                o.district_code.as_str()
            };
            assert!(o.uscc.starts_with(&format!("91{district6}MA")), "{}", o.key);
            assert!(region_of(&o.district_code).is_some(), "{}", o.key);
            assert!(seen.insert(o.uscc.clone()), "{}", o.key);
        }
        let keys: BTreeSet<&str> = set.organisations.iter().map(|o| o.key).collect();
        assert_eq!(keys.len(), set.organisations.len());
        for p in &set.proposals {
            if let Some(key) = p.builder_key {
                assert!(keys.contains(key), "{}", p.key);
            }
            if let DemoOwner::Applicant { organisation_key } = p.owner {
                assert!(keys.contains(organisation_key), "{}", p.key);
            }
        }
    }

    #[test]
    fn industry_maps_cover_every_district_within_limits() {
        let set = demo_set();
        let exists = |e: &IndustryMapEntry| match e.kind {
            MapEntryKind::Cluster => tier_of(&e.code).is_some(),
            MapEntryKind::IndustryClass => Refs.industry_class_parent(&e.code).is_some(),
        };
        let mut mapped = BTreeSet::new();
        for (district, map) in &set.industry_maps {
            assert!(region_of(district).is_some(), "{district}");
            assert_eq!(
                industry_map::validate(district, map, exists),
                vec![],
                "{district}"
            );
            assert!(mapped.insert(district.as_str()), "{district} mapped twice");
        }
        let used: BTreeSet<&str> = set.proposals.iter().map(district).collect();
        assert_eq!(
            mapped, used,
            "a map for every district used, and only those"
        );
    }

    #[test]
    fn completeness_varies_and_some_breakdowns_do_not_sum() {
        let set = demo_set();
        let proposals = with_builder_ids(&set);
        let params = CompletenessParams::default();
        let scores: Vec<(String, i64, bool)> = proposals
            .iter()
            .map(|p| {
                let s = completeness(&p.form, &p.plan, &params);
                let breakdown_sums = s
                    .parts
                    .iter()
                    .find(|part| part.key == "funding_breakdown")
                    .is_some_and(|part| part.points == part.max);
                (p.key.clone(), s.total, breakdown_sums)
            })
            .collect();
        let full = scores.iter().filter(|s| s.1 == 10_000).count();
        let thin = scores.iter().filter(|s| s.1 < 7_000).count();
        assert!(full >= 8, "{full} full plans");
        assert!(thin >= 8, "{thin} thin plans");
        let mismatched: Vec<&str> = scores
            .iter()
            .filter(|s| !s.2 && s.1 > 3_000)
            .map(|s| s.0.as_str())
            .collect();
        assert_eq!(mismatched, ["P13", "P28", "P38"]);
    }

    #[test]
    fn the_selection_is_interesting() {
        let set = demo_set();
        let all = scored(&set);
        println!("key  district cluster                C       R       L       weighted");
        for s in &all {
            println!(
                "{}  {:<8} {:<22} {:>6}  {:>6}  {:>6}  {:>7}",
                s.key,
                s.district,
                s.cluster,
                hundredths_text(s.completeness),
                hundredths_text(s.representativeness),
                hundredths_text(s.layout),
                points(s.total)
            );
        }
        assert_eq!(all.len(), 30);
        // The two best are in the same district, so the top five break one-per-district.
        assert_eq!(all[0].district, all[1].district, "{:?}", &all[..2]);
        let top5: BTreeSet<&str> = all[..5].iter().map(|s| s.district.as_str()).collect();
        assert!(top5.len() < 5);
        // Strong proposals compete for a cluster.
        let top6_clusters: BTreeSet<&str> = all[..6].iter().map(|s| s.cluster.as_str()).collect();
        assert!(
            top6_clusters.len() < 6,
            "two of the top six share a cluster"
        );
        // Each region has an eligible proposal.
        let regions: BTreeSet<String> = all.iter().map(|s| format!("{:?}", s.region)).collect();
        assert_eq!(regions.len(), 3);
        // Layout: leading, characteristic and no match all occur.
        for want in [10_000, 7_000, 1_000] {
            assert!(all.iter().any(|s| s.layout == want), "layout {want}");
        }
        // The constrained optimum differs from the top five.
        let optimum = constrained_optimum(&all);
        let naive: Vec<String> = all[..5].iter().map(|s| s.key.clone()).collect();
        println!("top five by weighted total: {naive:?}");
        println!("constrained optimum:        {optimum:?}");
        assert_eq!(optimum.len(), 5);
        let optimum_set: BTreeSet<&String> = optimum.iter().collect();
        let naive_set: BTreeSet<&String> = naive.iter().collect();
        assert_ne!(optimum_set, naive_set);
    }

    /// The pool ranked from the figures read out of each form's JSON alone, then scored one
    /// proposal at a time in any order (as the API scores at scale), makes exactly the cards and
    /// candidates of `score_pool`; a proposal whose figures are not those it was ranked with
    /// is refused.
    #[test]
    fn ranked_scorer_matches_score_pool() {
        use crate::domain::money::Money;
        use crate::domain::pool::{score_pool, FormFigures, PoolEntry, RankedScorer};
        use crate::domain::representativeness::{RepresentativenessInput, Tier};
        use crate::domain::round::RoundSettings;
        use crate::domain::selection::bench::SplitMix64;
        use crate::domain::selection::Region;

        let demo = crate::demo::try_demo_set().unwrap();
        let mut rng = SplitMix64::new(7);
        let forms: Vec<_> = (0..120)
            .map(|k| {
                let p = &demo.proposals[k % demo.proposals.len()];
                let mut form = p.form.clone();
                // Ties and missing figures included.
                let money = |r: &mut SplitMix64| {
                    (r.range(0, 4) > 0)
                        .then(|| Money::from_hundredths(r.range(0, 50) * 1_000).ok())
                        .flatten()
                };
                form.cluster_stats.scale = money(&mut rng);
                form.chain_leader.scale = money(&mut rng);
                form.cluster_stats.enterprise_count = u32::try_from(rng.range(0, 30)).ok();
                form.chain_leader.in_city_suppliers =
                    (k % 5 != 0).then(|| u32::try_from(rng.range(0, 30)).unwrap_or(0));
                (form, &p.plan)
            })
            .collect();
        let map = demo.industry_maps[0].1.clone();
        let tiers = [None, Some(Tier::Trillion), Some(Tier::HundredBillion)];
        let entries: Vec<PoolEntry<'_>> = forms
            .iter()
            .enumerate()
            .map(|(k, (form, plan))| PoolEntry {
                id: i32::try_from(k).unwrap() + 1,
                form,
                plan,
                district: "500105",
                region: Region::MainUrban,
                map: &map,
                cluster_tier: tiers[k % 3],
                sealed_at: i64::try_from(k % 7).unwrap(),
            })
            .collect();
        let settings = RoundSettings::default();
        let (cards, candidates) = score_pool(&entries, &settings);

        let inputs: Vec<RepresentativenessInput> = entries
            .iter()
            .map(|e| {
                let json = serde_json::to_string(e.form).unwrap();
                let figures: FormFigures = serde_json::from_str(&json).unwrap();
                assert_eq!(figures.cluster_code, e.form.cluster_code);
                figures.input(e.cluster_tier)
            })
            .collect();
        let scorer = RankedScorer::new(inputs, settings);
        assert_eq!(scorer.len(), entries.len());
        for i in (0..entries.len()).rev() {
            let (card, cand) = scorer.score(i, &entries[i]).unwrap();
            assert_eq!(
                serde_json::to_value(&card).unwrap(),
                serde_json::to_value(&cards[i]).unwrap()
            );
            assert_eq!(cand, candidates[i]);
        }
        assert!(scorer.score(entries.len(), &entries[0]).is_none());
        // Another proposal's figures, or a changed one, at this index: refused.
        let changed = (0..entries.len())
            .find(|&i| {
                RepresentativenessInput::from_form(entries[i].form, entries[i].cluster_tier)
                    != RepresentativenessInput::from_form(entries[0].form, entries[0].cluster_tier)
            })
            .unwrap();
        assert!(scorer.score(changed, &entries[0]).is_none());
        let mut form = entries[3].form.clone();
        form.chain_leader.in_city_suppliers =
            Some(form.chain_leader.in_city_suppliers.unwrap_or(0) + 1);
        let e = &entries[3];
        let moved = PoolEntry {
            id: e.id,
            form: &form,
            plan: e.plan,
            district: e.district,
            region: e.region,
            map: e.map,
            cluster_tier: e.cluster_tier,
            sealed_at: e.sealed_at,
        };
        assert!(scorer.score(3, &moved).is_none());
    }

    /// Scoring as `GET /rounds/{year}/scores` does it, over 50,000 proposals made from the demo's
    /// forms with random figures. A benchmark, not a test: run by hand in release mode with
    /// `cargo test --release --lib demo::tests::score_pool_50k -- --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark: run by hand in release mode"]
    fn score_pool_50k() {
        use crate::domain::money::Money;
        use crate::domain::pool::{score_pool, PoolEntry};
        use crate::domain::round::RoundSettings;
        use crate::domain::selection::bench::SplitMix64;
        use crate::domain::selection::Region;

        const N: usize = 50_000;
        let demo = crate::demo::try_demo_set().unwrap();
        let mut rng = SplitMix64::new(13);
        let forms: Vec<_> = (0..N)
            .map(|k| {
                let p = &demo.proposals[k % demo.proposals.len()];
                let mut form = p.form.clone();
                let money = |r: &mut SplitMix64| Money::from_hundredths(r.range(0, 1 << 40)).ok();
                form.cluster_stats.scale = money(&mut rng);
                form.chain_leader.scale = money(&mut rng);
                form.cluster_stats.enterprise_count = u32::try_from(rng.range(0, 5_000)).ok();
                form.chain_leader.in_city_suppliers = u32::try_from(rng.range(0, 800)).ok();
                (form, &p.plan)
            })
            .collect();
        let map = demo.industry_maps[0].1.clone();
        let entries: Vec<PoolEntry<'_>> = forms
            .iter()
            .enumerate()
            .map(|(k, (form, plan))| PoolEntry {
                id: i32::try_from(k).unwrap_or(i32::MAX),
                form,
                plan,
                district: "500105",
                region: Region::MainUrban,
                map: &map,
                cluster_tier: Some(crate::domain::representativeness::Tier::HundredBillion),
                sealed_at: i64::try_from(k).unwrap_or(0),
            })
            .collect();
        let settings = RoundSettings::default();
        let started = std::time::Instant::now();
        let (cards, _) = score_pool(&entries, &settings);
        let elapsed = started.elapsed();
        assert_eq!(cards.len(), N);
        println!(
            "score_pool over {N} proposals: {:.3} s",
            elapsed.as_secs_f64()
        );
    }
}
