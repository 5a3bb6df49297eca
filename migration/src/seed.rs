//! Reference data shipped with the service (copied from the programme's reference tables).

/// Our own stable codes for the three zones that have no GB/T 2260 code.
pub const ZONE_CODES: [(&str, &str); 3] = [
    ("两江新区", "CQLJ"),
    ("西部科学城重庆高新区", "CQGX"),
    ("万盛经开区", "CQWS"),
];

pub struct DistrictRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region: String,
    pub subregion: Option<String>,
}

/// The 38 GB/T 2260 county-level divisions plus the three zones.
pub fn districts() -> Vec<DistrictRow> {
    rows(include_str!("../data/chongqing-districts.tsv"))
        .filter_map(|cols| {
            let [code, name, kind, region, sub] = cols_n::<5>(&cols)?;
            let code = if code == "-" {
                ZONE_CODES.iter().find(|(n, _)| *n == name)?.1.to_owned()
            } else {
                code.to_owned()
            };
            Some(DistrictRow {
                code,
                name: name.to_owned(),
                kind: kind.to_owned(),
                region: region.to_owned(),
                subregion: (!sub.is_empty()).then(|| sub.to_owned()),
            })
        })
        .collect()
}

/// GB/T 4754-2017 classes: `(code, name, parent)`.
pub fn industry_classes() -> Vec<(String, String, Option<String>)> {
    rows(include_str!("../data/industry-classes-gbt4754-2017.tsv"))
        .filter_map(|cols| {
            let code = cols.first()?;
            let name = cols.get(1)?;
            let parent = cols.get(2).filter(|p| !p.is_empty());
            Some((
                (*code).to_owned(),
                (*name).to_owned(),
                parent.map(|p| (*p).to_owned()),
            ))
        })
        .collect()
}

/// The twelve named clusters of the "33618" system: `(code, name, tier)`.
/// The 18 "新星" clusters are loaded by the commission through the API.
pub const CLUSTERS: [(&str, &str, &str); 12] = [
    ("icv_nev", "智能网联新能源汽车", "trillion"),
    ("electronic_info", "新一代电子信息制造业", "trillion"),
    ("advanced_materials", "先进材料", "trillion"),
    (
        "intelligent_equipment",
        "智能装备及智能制造",
        "five_hundred_billion",
    ),
    ("food_agri", "食品及农产品加工", "five_hundred_billion"),
    ("software_info", "软件信息服务", "five_hundred_billion"),
    ("new_display", "新型显示", "hundred_billion"),
    ("motorcycle", "高端摩托车", "hundred_billion"),
    ("light_alloy", "轻合金材料", "hundred_billion"),
    ("light_textile", "轻纺", "hundred_billion"),
    ("biomedicine", "生物医药", "hundred_billion"),
    ("new_energy_storage", "新能源及新型储能", "hundred_billion"),
];

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1) // header
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn cols_n<const N: usize>(cols: &[&'static str]) -> Option<[&'static str; N]> {
    let mut out = [""; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = cols.get(i).copied().unwrap_or("");
    }
    (!out[0].is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_41_districts_in_24_11_6_regions() {
        let d = districts();
        assert_eq!(d.len(), 41);
        let count = |r: &str| d.iter().filter(|x| x.region == r).count();
        assert_eq!(
            (count("main_urban"), count("northeast"), count("southeast")),
            (24, 11, 6)
        );
    }

    #[test]
    fn class_parents_are_prefixes() {
        for (code, _, parent) in industry_classes() {
            if let Some(p) = parent {
                assert!(code.starts_with(&p) && code.len() == p.len() + 1, "{code}");
            } else {
                assert_eq!(code.len(), 2, "{code}");
            }
        }
    }
}
