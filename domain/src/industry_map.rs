//! A district's industry map (《重庆市先进制造业发展产业地图（2023年）》): leading and characteristic
//! industries, each a cluster or an industry class.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MapEntryKind {
    /// A cluster of the "33618" system, by its code.
    Cluster,
    /// A GB/T 4754-2017 industry class, by its code; it also covers the classes under it.
    IndustryClass,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndustryMapEntry {
    pub kind: MapEntryKind,
    pub code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"leading": [{"kind": "cluster", "code": "icv_nev"}], "characteristic": [{"kind": "industry_class", "code": "26"}]}))]
pub struct IndustryMap {
    /// Leading industries (主导产业): at most 2, or 3 for 两江新区 and 高新区.
    pub leading: Vec<IndustryMapEntry>,
    /// Characteristic industries (特色产业): at most 4.
    pub characteristic: Vec<IndustryMapEntry>,
}

/// Zones allowed three leading industries by the 2023 map.
pub const THREE_LEADING: [&str; 2] = ["CQLJ", "CQGX"];
pub const MAX_CHARACTERISTIC: usize = 4;

pub fn max_leading(district_code: &str) -> usize {
    if THREE_LEADING.contains(&district_code) {
        3
    } else {
        2
    }
}

/// Checks the limits and that no industry is named twice. Whether each code exists is checked by
/// the caller with `exists`.
pub fn validate(
    district_code: &str,
    map: &IndustryMap,
    exists: impl Fn(&IndustryMapEntry) -> bool,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let max = max_leading(district_code);
    if map.leading.len() > max {
        errors.push(FieldError::new(
            "leading",
            crate::msg!(
                "field-too-many-leading",
                max = max,
                district = district_code,
                count = map.leading.len()
            ),
        ));
    }
    if map.characteristic.len() > MAX_CHARACTERISTIC {
        errors.push(FieldError::new(
            "characteristic",
            crate::msg!(
                "field-too-many-characteristic",
                max = MAX_CHARACTERISTIC,
                count = map.characteristic.len()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (list, entries) in [
        ("leading", &map.leading),
        ("characteristic", &map.characteristic),
    ] {
        for (i, e) in entries.iter().enumerate() {
            let field = format!("{list}[{i}].code");
            if !exists(e) {
                errors.push(FieldError::new(
                    &field,
                    crate::msg!(
                        "field-no-such-code",
                        kind = format!("{:?}", e.kind),
                        code = format!("{:?}", e.code)
                    ),
                ));
            }
            if !seen.insert(e) {
                errors.push(FieldError::new(
                    &field,
                    crate::msg!("field-code-named-twice", code = format!("{:?}", e.code)),
                ));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str) -> IndustryMapEntry {
        IndustryMapEntry {
            kind: MapEntryKind::Cluster,
            code: code.into(),
        }
    }

    #[test]
    fn limits_depend_on_district() {
        let map = IndustryMap {
            leading: vec![entry("a"), entry("b"), entry("c")],
            characteristic: vec![],
        };
        assert_eq!(validate("500105", &map, |_| true).len(), 1);
        assert!(validate("CQLJ", &map, |_| true).is_empty());
        let five = IndustryMap {
            leading: vec![],
            characteristic: (0..5).map(|i| entry(&i.to_string())).collect(),
        };
        assert_eq!(validate("CQLJ", &five, |_| true)[0].field, "characteristic");
    }

    #[test]
    fn duplicates_and_unknown_codes_are_named() {
        let map = IndustryMap {
            leading: vec![entry("a")],
            characteristic: vec![entry("a"), entry("zz")],
        };
        let errors = validate("500105", &map, |e| e.code != "zz");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["characteristic[0].code", "characteristic[1].code"]);
    }
}
