//! District industrial layout, 区县产业布局: whether a proposed brain serves an industry its district
//! has chosen to build on, as the notice asks districts to check against the 2023 industry map
//! (《重庆市先进制造业发展产业地图（2023年）》), and where the district lies in the "一区两群" layout.
//!
//! # Parts (defaults; all in [`LayoutParams`])
//!
//! | key | max | rule |
//! |---|---:|---|
//! | `industry_match` | 90 | the proposal's cluster, or its industry class at any level, matches one of the district's leading (主导) entries: 90; else a characteristic (特色) entry: 60; else 0 |
//! | `region` | 10 | points of the district's region: 10 for each of 主城都市区, 渝东北, 渝东南 |
//!
//! A class entry matches when one of the proposal's class codes starts with the entry's code, so an
//! entry naming 大类 26 covers a proposal filed under 小类 2683, but an entry naming 2683 does not cover
//! a proposal that gave only 26: the map is more specific than the proposal, which may serve another
//! part of the division.
//!
//! The region points are equal by default on purpose: the list's optimiser already requires each
//! region of 一区两群 to be represented where an eligible proposal exists, and a default bonus for
//! 渝东北 or 渝东南 would count that same policy twice. A round that wants a tilt sets the points.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::proposal::IndustryClassRef;
use super::score::{check_points, check_total, hundredths_text, Score, ScorePart};
use super::FieldError;

pub use super::industry_map::{IndustryMap, IndustryMapEntry, MapEntryKind};

pub use super::selection::Region;

/// Points per region, in hundredths of a point; each at most `region_max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RegionPoints {
    /// 主城都市区; default 1000.
    pub main_urban: i64,
    /// 渝东北; default 1000.
    pub northeast: i64,
    /// 渝东南; default 1000.
    pub southeast: i64,
}

impl Default for RegionPoints {
    /// Equal: see the module doc for why there is no default bonus.
    fn default() -> Self {
        Self {
            main_urban: 1000,
            northeast: 1000,
            southeast: 1000,
        }
    }
}

impl RegionPoints {
    fn of(&self, region: Region) -> i64 {
        match region {
            Region::MainUrban => self.main_urban,
            Region::Northeast => self.northeast,
            Region::Southeast => self.southeast,
        }
    }
}

/// The constants of the layout score, in hundredths of a point; the two maxima sum to 10000.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LayoutParams {
    /// Maximum of the industry-match part, earned by matching a leading industry; default 9000.
    pub match_max: i64,
    /// Points for matching only a characteristic industry; default 6000.
    pub characteristic_points: i64,
    /// Maximum of the region part; default 1000.
    pub region_max: i64,
    /// Points for each region.
    pub region_points: RegionPoints,
}

impl Default for LayoutParams {
    fn default() -> Self {
        Self {
            match_max: 9000,
            characteristic_points: 6000,
            region_max: 1000,
            region_points: RegionPoints::default(),
        }
    }
}

impl LayoutParams {
    /// Every inconsistency, under paths relative to these parameters.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_total(
            &mut errors,
            "maxima",
            &[
                ("match_max", self.match_max),
                ("region_max", self.region_max),
            ],
        );
        check_points(
            &mut errors,
            "characteristic_points",
            self.characteristic_points,
            self.match_max,
            "match_max",
        );
        let r = &self.region_points;
        for (name, value) in [
            ("region_points.main_urban", r.main_urban),
            ("region_points.northeast", r.northeast),
            ("region_points.southeast", r.southeast),
        ] {
            check_points(&mut errors, name, value, self.region_max, "region_max");
        }
        errors
    }
}

/// Scores a proposal's fit with its district's industry map and its region. Parts: `industry_match`,
/// `region`. `region` is `None` only when the district is unknown, which scores 0 for that part.
pub fn layout(
    cluster_code: Option<&str>,
    class: &IndustryClassRef,
    map: &IndustryMap,
    region: Option<Region>,
    params: &LayoutParams,
) -> Score {
    let cluster_code = cluster_code.map(str::trim).filter(|c| !c.is_empty());
    let matches = |entry: &&IndustryMapEntry| {
        let code = entry.code.trim();
        !code.is_empty()
            && match entry.kind {
                MapEntryKind::Cluster => cluster_code == Some(code),
                MapEntryKind::IndustryClass => class.codes().any(|c| c.starts_with(code)),
            }
    };
    const MATCH_LABEL: &str = "Fit with the district's industry map (区县产业布局)";
    let has_map = map
        .leading
        .iter()
        .chain(&map.characteristic)
        .any(|e| !e.code.trim().is_empty());
    let industry_match = if !has_map {
        ScorePart::with_points(
            "industry_match",
            MATCH_LABEL,
            0,
            params.match_max,
            NO_MAP_REASON,
        )
    } else if map.leading.iter().any(|e| matches(&e)) {
        ScorePart::with_points(
            "industry_match",
            MATCH_LABEL,
            params.match_max,
            params.match_max,
            "",
        )
    } else if let Some(entry) = map.characteristic.iter().find(matches) {
        ScorePart::with_points(
            "industry_match",
            MATCH_LABEL,
            params.characteristic_points,
            params.match_max,
            format!(
                "matches the characteristic (特色) industry {} '{}', not a leading (主导) one",
                kind_text(entry.kind),
                entry.code.trim()
            ),
        )
    } else {
        let why = if cluster_code.is_none() && class.codes().next().is_none() {
            "no cluster or industry class given"
        } else {
            "neither the cluster nor the industry class is a leading (主导) or characteristic (特色) \
             industry of the district"
        };
        ScorePart::with_points("industry_match", MATCH_LABEL, 0, params.match_max, why)
    };
    const REGION_LABEL: &str = "Region of 一区两群";
    let region = match region {
        None => ScorePart::with_points(
            "region",
            REGION_LABEL,
            0,
            params.region_max,
            "region unknown",
        ),
        Some(r) => {
            let points = params.region_points.of(r);
            ScorePart::with_points(
                "region",
                REGION_LABEL,
                points,
                params.region_max,
                format!(
                    "{} is worth {} of {} points this round",
                    r.label(),
                    hundredths_text(points.clamp(0, params.region_max.max(0))),
                    hundredths_text(params.region_max.max(0))
                ),
            )
        }
    };
    Score::from_parts(vec![industry_match, region])
}

/// The industry-match reason when the district's map names no industry: the part scores 0 for
/// want of data, not because the map left the industry out.
pub const NO_MAP_REASON: &str = "no industry map for this district";

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScoreWarningKind {
    /// The district has no industry map: its proposals' industry match scores 0 for want of data.
    NoIndustryMap,
}

/// Something about the scores the panel should know before relying on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScoreWarning {
    pub kind: ScoreWarningKind,
    /// The district concerned.
    pub district_code: String,
    /// The pool proposals it affects.
    pub proposal_ids: Vec<i32>,
    /// The same in words.
    pub message: String,
}

/// Whether a layout score says its district has no industry map.
pub fn has_no_map(layout: &Score) -> bool {
    layout
        .parts
        .iter()
        .any(|p| p.key == "industry_match" && p.reason == NO_MAP_REASON)
}

/// One warning per district whose proposals' layout scores say the district has no industry map,
/// in district-code order. `scored` gives each proposal's id, district and layout score.
pub fn no_map_warnings<'a>(
    scored: impl IntoIterator<Item = (i32, &'a str, &'a Score)>,
) -> Vec<ScoreWarning> {
    let mut by_district: std::collections::BTreeMap<&str, Vec<i32>> = Default::default();
    for (id, district, score) in scored {
        if has_no_map(score) {
            by_district.entry(district).or_default().push(id);
        }
    }
    by_district
        .into_iter()
        .map(|(district, mut ids)| {
            ids.sort_unstable();
            let list = ids
                .iter()
                .map(|id| format!("P-{id}"))
                .collect::<Vec<_>>()
                .join(", ");
            ScoreWarning {
                kind: ScoreWarningKind::NoIndustryMap,
                district_code: district.to_owned(),
                message: format!(
                    "district {district} has no industry map: the industry match of the layout \
                     score is 0 for {list}; set the map (PUT /districts/{district}/industry-map) \
                     before relying on these scores"
                ),
                proposal_ids: ids,
            }
        })
        .collect()
}

fn kind_text(kind: MapEntryKind) -> &'static str {
    match kind {
        MapEntryKind::Cluster => "cluster",
        MapEntryKind::IndustryClass => "class",
    }
}

#[cfg(test)]
mod tests {
    use super::super::score::tests::{assert_consistent, partition};
    use super::*;
    use proptest::prelude::*;

    fn cluster(code: &str) -> IndustryMapEntry {
        IndustryMapEntry {
            kind: MapEntryKind::Cluster,
            code: code.into(),
        }
    }

    fn class_entry(code: &str) -> IndustryMapEntry {
        IndustryMapEntry {
            kind: MapEntryKind::IndustryClass,
            code: code.into(),
        }
    }

    fn class(major: &str, middle: &str, minor: &str) -> IndustryClassRef {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        IndustryClassRef {
            major: opt(major),
            middle: opt(middle),
            minor: opt(minor),
        }
    }

    fn map() -> IndustryMap {
        IndustryMap {
            leading: vec![cluster("auto"), class_entry("39")],
            characteristic: vec![cluster("light_textile"), class_entry("2683")],
        }
    }

    #[test]
    fn industry_match_cases() {
        let params = LayoutParams::default();
        let cases = [
            ("leading cluster", Some("auto"), class("", "", ""), 9000),
            (
                "leading class by prefix",
                None,
                class("39", "391", "3911"),
                9000,
            ),
            (
                "leading beats characteristic",
                Some("light_textile"),
                class("39", "", ""),
                9000,
            ),
            (
                "characteristic cluster",
                Some("light_textile"),
                class("", "", ""),
                6000,
            ),
            (
                "characteristic class, exact minor",
                Some("x"),
                class("26", "268", "2683"),
                6000,
            ),
            (
                "entry more specific than proposal",
                None,
                class("26", "268", ""),
                0,
            ),
            ("neither", Some("food"), class("13", "", ""), 0),
            ("nothing given", None, class("", "", ""), 0),
            (
                "blank cluster does not match",
                Some(" "),
                class("", "", ""),
                0,
            ),
        ];
        for (name, cluster_code, class, want) in cases {
            let score = layout(
                cluster_code,
                &class,
                &map(),
                Some(Region::MainUrban),
                &params,
            );
            assert_eq!(score.parts[0].points, want, "case {name}");
            assert_eq!(score.total, want + 1000, "case {name}");
        }
    }

    #[test]
    fn match_reasons() {
        let params = LayoutParams::default();
        let reason = |code: Option<&str>, c: IndustryClassRef| {
            layout(code, &c, &map(), None, &params).parts[0]
                .reason
                .clone()
        };
        assert_eq!(reason(Some("auto"), class("", "", "")), "full marks");
        assert!(reason(None, class("26", "268", "2683")).contains("class '2683'"));
        assert_eq!(
            reason(None, class("", "", "")),
            "no cluster or industry class given"
        );
        assert!(reason(Some("food"), class("", "", "")).starts_with("neither"));
    }

    #[test]
    fn blank_map_entries_match_nothing() {
        let params = LayoutParams::default();
        let blank = IndustryMap {
            leading: vec![class_entry(""), cluster(" ")],
            characteristic: vec![],
        };
        let score = layout(Some("auto"), &class("26", "", ""), &blank, None, &params);
        assert_eq!(score.total, 0);
        assert_eq!(score.parts[0].reason, NO_MAP_REASON);
    }

    #[test]
    fn a_district_without_a_map_says_so_and_is_warned_about() {
        let params = LayoutParams::default();
        let none = IndustryMap::default();
        let missing = layout(
            Some("auto"),
            &class("39", "", ""),
            &none,
            Some(Region::MainUrban),
            &params,
        );
        assert_eq!(missing.parts[0].points, 0);
        assert_eq!(missing.parts[0].reason, "no industry map for this district");
        let given = layout(
            Some("food"),
            &class("13", "", ""),
            &map(),
            Some(Region::MainUrban),
            &params,
        );
        assert!(given.parts[0].reason.starts_with("neither"));
        let warnings = no_map_warnings([
            (7, "500102", &missing),
            (3, "500102", &missing),
            (4, "500101", &given),
        ]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].kind, ScoreWarningKind::NoIndustryMap);
        assert_eq!(warnings[0].district_code, "500102");
        assert_eq!(warnings[0].proposal_ids, vec![3, 7]);
        assert!(
            warnings[0]
                .message
                .starts_with("district 500102 has no industry map: "),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn region_part() {
        let mut params = LayoutParams::default();
        params.region_points.main_urban = 500;
        for (region, want) in [
            (Some(Region::MainUrban), 500),
            (Some(Region::Northeast), 1000),
            (Some(Region::Southeast), 1000),
            (None, 0),
        ] {
            let score = layout(None, &IndustryClassRef::default(), &map(), region, &params);
            assert_eq!(score.parts[1].points, want, "case {region:?}");
        }
        let score = layout(
            None,
            &IndustryClassRef::default(),
            &map(),
            Some(Region::MainUrban),
            &params,
        );
        assert_eq!(
            score.parts[1].reason,
            "主城都市区 is worth 5.00 of 10.00 points this round"
        );
    }

    #[test]
    fn params_are_checked() {
        assert_eq!(LayoutParams::default().validate(), vec![]);
        let params = LayoutParams {
            match_max: 8000,
            characteristic_points: 9000,
            region_max: 1000,
            region_points: RegionPoints {
                main_urban: 1001,
                northeast: -1,
                southeast: 0,
            },
        };
        let fields: Vec<String> = params.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "maxima",
                "characteristic_points",
                "region_points.main_urban",
                "region_points.northeast",
            ]
        );
    }

    fn code() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), "[0-9]{1,4}", "[a-z_]{1,6}"]
    }

    fn entry() -> impl Strategy<Value = IndustryMapEntry> {
        (any::<bool>(), code()).prop_map(|(is_cluster, code)| IndustryMapEntry {
            kind: if is_cluster {
                MapEntryKind::Cluster
            } else {
                MapEntryKind::IndustryClass
            },
            code,
        })
    }

    fn arb_params() -> impl Strategy<Value = LayoutParams> {
        (partition(2), prop::collection::vec(0..=10_000_i64, 4)).prop_map(|(m, p)| LayoutParams {
            match_max: m[0],
            characteristic_points: p[0] % (m[0] + 1),
            region_max: m[1],
            region_points: RegionPoints {
                main_urban: p[1] % (m[1] + 1),
                northeast: p[2] % (m[1] + 1),
                southeast: p[3] % (m[1] + 1),
            },
        })
    }

    proptest! {
        #[test]
        fn totals_stay_in_range_and_equal_the_sum_of_parts(
            cluster_code in prop::option::of(code()),
            codes in prop::collection::vec(prop::option::of(code()), 3),
            leading in prop::collection::vec(entry(), 0..4),
            characteristic in prop::collection::vec(entry(), 0..5),
            region in prop::option::of(prop_oneof![
                Just(Region::MainUrban), Just(Region::Northeast), Just(Region::Southeast)
            ]),
            params in prop_oneof![Just(LayoutParams::default()), arb_params()],
        ) {
            prop_assert_eq!(params.validate(), vec![]);
            let class = IndustryClassRef {
                major: codes[0].clone(),
                middle: codes[1].clone(),
                minor: codes[2].clone(),
            };
            let map = IndustryMap { leading, characteristic };
            let score = layout(cluster_code.as_deref(), &class, &map, region, &params);
            assert_consistent(&score)?;
        }
    }
}
