//! District inventories (二.1 and 三(一) of the notice): each district's 经信部门 records its
//! leading (链主) enterprises, its 专精特新 enterprises and its characteristic (特色) clusters.
//! A proposal's intention form (附件1) may name its chain leader and suppliers from the
//! inventory; [`check`] then sets what the form claims beside what the district recorded, so a
//! reviewer sees a mismatch instead of the service silently using either figure. The check
//! changes no score: the claimed figure stays what the applicant said.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::codes::Uscc;
use super::money::Money;
use super::proposal::{ProposalForm, ReferenceLookup, MAX_DATA_YEAR, MIN_DATA_YEAR};
use super::{FieldError, Msg};

text_enum!(
    /// The two lists of enterprises a district keeps (三(一)).
    EnterpriseKind {
        /// 领军（链主）企业: a leading enterprise of an industrial chain.
        ChainLeader,
        /// 专精特新企业: a specialised, refined, distinctive and innovative enterprise.
        Specialised,
    }
);

text_enum!(
    /// What the inventory says of one claimed figure or reference.
    InventoryOutcome {
        /// The claim and the record agree.
        Match,
        /// The claim and the record differ: both are shown.
        Mismatch,
        /// The inventory has no record to compare with.
        NotInInventory,
        /// The entry belongs to another district than the proposal's.
        OtherDistrict,
        /// The entry is of the other list (a 专精特新 enterprise named as the chain leader).
        WrongKind,
    }
);

/// The most suppliers a form may reference (附件1 counts them; the list names the main ones).
pub const MAX_SUPPLIERS: usize = 50;

/// The longest enterprise or cluster name.
pub const MAX_NAME_CHARS: usize = 200;

/// An enterprise in a district's inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enterprise {
    pub id: i32,
    pub district_code: String,
    pub kind: EnterpriseKind,
    pub name: String,
    pub uscc: String,
    pub cluster_code: Option<String>,
    pub industry_class: Option<String>,
    pub scale: Option<Money>,
    /// Suppliers inside Chongqing (chain leaders only).
    pub in_city_suppliers: Option<u32>,
    /// The year the figures are from.
    pub year: i32,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A characteristic cluster (特色产业集群) of a district, for one data year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictCluster {
    pub id: i32,
    pub district_code: String,
    /// A "33618" cluster code.
    pub cluster_code: String,
    pub name: String,
    pub scale: Option<Money>,
    pub enterprise_count: Option<u32>,
    pub year: i32,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An enterprise entry as asked for (create or replace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseInput {
    pub kind: EnterpriseKind,
    pub name: String,
    pub uscc: String,
    pub cluster_code: Option<String>,
    pub industry_class: Option<String>,
    pub scale: Option<Money>,
    pub in_city_suppliers: Option<u32>,
    pub year: i32,
}

/// A characteristic cluster as asked for (create or replace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterInput {
    pub cluster_code: String,
    pub name: String,
    pub scale: Option<Money>,
    pub enterprise_count: Option<u32>,
    pub year: i32,
}

fn check_name(field: &str, name: &str, errors: &mut Vec<FieldError>) -> String {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            field,
            crate::msg!("field-chars", min = 1, max = MAX_NAME_CHARS),
        ));
    }
    name.to_owned()
}

fn check_year(year: i32, errors: &mut Vec<FieldError>) {
    if !(MIN_DATA_YEAR..=MAX_DATA_YEAR).contains(&year) {
        errors.push(FieldError::new(
            "year",
            crate::msg!("field-between", min = MIN_DATA_YEAR, max = MAX_DATA_YEAR),
        ));
    }
}

fn check_cluster_code(code: &str, refs: &impl ReferenceLookup, errors: &mut Vec<FieldError>) {
    if !refs.cluster_exists(code) {
        errors.push(FieldError::new(
            "cluster_code",
            crate::msg!("field-unknown-cluster", code = code),
        ));
    }
}

/// Checks an enterprise entry, returning it normalised (names trimmed, the credit code in
/// capitals). Every bad field is named at once.
///
/// # Errors
/// Each bad field: a blank or over-long name, a bad credit code, an unknown cluster or class
/// code, a year outside 2000–2100, or a supplier count on a 专精特新 entry.
pub fn validate_enterprise(
    input: &EnterpriseInput,
    refs: &impl ReferenceLookup,
) -> Result<EnterpriseInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = check_name("name", &input.name, &mut errors);
    let uscc = match Uscc::parse(&input.uscc) {
        Ok(u) => u.as_str().to_owned(),
        Err(e) => {
            errors.push(FieldError::new("uscc", e));
            input.uscc.clone()
        }
    };
    if let Some(code) = &input.cluster_code {
        check_cluster_code(code, refs, &mut errors);
    }
    if let Some(code) = &input.industry_class {
        if refs.industry_class_parent(code).is_none() {
            errors.push(FieldError::new(
                "industry_class",
                crate::msg!("field-unknown-class", code = code),
            ));
        }
    }
    check_count("in_city_suppliers", input.in_city_suppliers, &mut errors);
    if input.kind == EnterpriseKind::Specialised && input.in_city_suppliers.is_some() {
        errors.push(FieldError::new(
            "in_city_suppliers",
            crate::msg!("field-inventory-chain-leader-only"),
        ));
    }
    check_year(input.year, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(EnterpriseInput {
        name,
        uscc,
        ..input.clone()
    })
}

/// A count is stored as a 32-bit signed integer (the schema's `int32`): above its maximum it is
/// refused, naming the field.
fn check_count(field: &str, count: Option<u32>, errors: &mut Vec<FieldError>) {
    if count.is_some_and(|n| i32::try_from(n).is_err()) {
        errors.push(FieldError::new(
            field,
            crate::msg!("field-between", min = 0, max = i32::MAX),
        ));
    }
}

/// Checks a characteristic cluster, returning it normalised.
///
/// # Errors
/// Each bad field: an unknown cluster code, a blank or over-long name, a year outside 2000–2100.
pub fn validate_cluster(
    input: &ClusterInput,
    refs: &impl ReferenceLookup,
) -> Result<ClusterInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    check_cluster_code(&input.cluster_code, refs, &mut errors);
    let name = check_name("name", &input.name, &mut errors);
    check_count("enterprise_count", input.enterprise_count, &mut errors);
    check_year(input.year, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ClusterInput {
        name,
        ..input.clone()
    })
}

/// Field rules on a form's inventory references that need no database: positive ids, at most
/// [`MAX_SUPPLIERS`] suppliers, none twice. Whether each id names an entry is the caller's.
pub fn validate_references(form: &ProposalForm) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if form.chain_leader.inventory_id.is_some_and(|id| id <= 0) {
        errors.push(FieldError::new(
            "form.chain_leader.inventory_id",
            crate::msg!("field-positive-id"),
        ));
    }
    let ids = &form.supplier_inventory_ids;
    if ids.len() > MAX_SUPPLIERS {
        errors.push(FieldError::new(
            "form.supplier_inventory_ids",
            crate::msg!("field-at-most-items", max = MAX_SUPPLIERS),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        let field = format!("form.supplier_inventory_ids[{i}]");
        if *id <= 0 {
            errors.push(FieldError::new(field, crate::msg!("field-positive-id")));
        } else if ids[..i].contains(id) {
            errors.push(FieldError::new(field, crate::msg!("field-named-twice")));
        }
    }
    errors
}

/// Every inventory id a form references (the chain leader first), each once.
pub fn referenced_ids(form: &ProposalForm) -> Vec<i32> {
    let mut ids: Vec<i32> = form.chain_leader.inventory_id.into_iter().collect();
    for id in &form.supplier_inventory_ids {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    ids
}

/// One claim of a form set beside the inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The form's field, e.g. `form.chain_leader.scale`.
    pub field: String,
    pub outcome: InventoryOutcome,
    /// What the form says (absent when it says nothing).
    pub claimed: Option<Value>,
    /// What the inventory records (absent when there is no record).
    pub recorded: Option<Value>,
    /// The inventory entry (enterprise or characteristic cluster) compared with.
    pub entry_id: Option<i32>,
    #[serde(skip)]
    pub message: Msg,
}

fn money(m: Option<Money>) -> Option<Value> {
    m.and_then(|m| serde_json::to_value(m).ok())
}

fn text(s: &str) -> Option<Value> {
    Some(Value::from(s.to_owned()))
}

/// One figure compared: `match` or `mismatch` when both sides are given, `not_in_inventory`
/// when only the form gives it; nothing when the form says nothing.
fn compare(
    findings: &mut Vec<Finding>,
    field: &str,
    claimed: Option<Value>,
    recorded: Option<Value>,
    entry_id: i32,
) {
    let Some(claimed) = claimed else { return };
    let (outcome, message) = match &recorded {
        None => (
            InventoryOutcome::NotInInventory,
            crate::msg!("inventory-figure-not-recorded", entry = entry_id),
        ),
        Some(r) if *r == claimed => (
            InventoryOutcome::Match,
            crate::msg!("inventory-figure-match", entry = entry_id),
        ),
        Some(r) => (
            InventoryOutcome::Mismatch,
            crate::msg!(
                "inventory-figure-mismatch",
                claimed = claimed,
                recorded = r,
                entry = entry_id
            ),
        ),
    };
    findings.push(Finding {
        field: field.to_owned(),
        outcome,
        claimed: Some(claimed),
        recorded,
        entry_id: Some(entry_id),
        message,
    });
}

fn names_equal(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

/// The chain leader the form means: its reference, else the district's chain leader of that
/// name, else any listed enterprise of that name (to say where it is listed).
fn chain_leader_entry<'a>(
    form: &ProposalForm,
    district: &str,
    enterprises: &'a [Enterprise],
) -> Option<&'a Enterprise> {
    if let Some(id) = form.chain_leader.inventory_id {
        return enterprises.iter().find(|e| e.id == id);
    }
    let name = form.chain_leader.name.as_deref()?;
    let named = |e: &&Enterprise| names_equal(&e.name, name);
    enterprises
        .iter()
        .filter(named)
        .find(|e| e.district_code == district && e.kind == EnterpriseKind::ChainLeader)
        .or_else(|| {
            enterprises
                .iter()
                .filter(named)
                .find(|e| e.district_code == district)
        })
        .or_else(|| enterprises.iter().find(named))
}

fn check_chain_leader(
    form: &ProposalForm,
    district: &str,
    enterprises: &[Enterprise],
    findings: &mut Vec<Finding>,
) {
    let leader = &form.chain_leader;
    let claims_anything = leader.inventory_id.is_some()
        || leader.name.is_some()
        || leader.scale.is_some()
        || leader.in_city_suppliers.is_some();
    if !claims_anything {
        return;
    }
    let Some(entry) = chain_leader_entry(form, district, enterprises) else {
        let (field, claimed) = match leader.inventory_id {
            Some(id) => ("form.chain_leader.inventory_id", Some(Value::from(id))),
            None => ("form.chain_leader", leader.name.as_deref().and_then(text)),
        };
        findings.push(Finding {
            field: field.to_owned(),
            outcome: InventoryOutcome::NotInInventory,
            claimed,
            recorded: None,
            entry_id: None,
            message: crate::msg!("inventory-chain-leader-not-listed", district = district),
        });
        return;
    };
    if entry.kind != EnterpriseKind::ChainLeader {
        findings.push(Finding {
            field: "form.chain_leader".to_owned(),
            outcome: InventoryOutcome::WrongKind,
            claimed: text(EnterpriseKind::ChainLeader.as_str()),
            recorded: text(entry.kind.as_str()),
            entry_id: Some(entry.id),
            message: crate::msg!("inventory-chain-leader-wrong-kind", entry = entry.id),
        });
    }
    if entry.district_code != district {
        findings.push(Finding {
            field: "form.chain_leader".to_owned(),
            outcome: InventoryOutcome::OtherDistrict,
            claimed: text(district),
            recorded: text(&entry.district_code),
            entry_id: Some(entry.id),
            message: crate::msg!(
                "inventory-chain-leader-other-district",
                entry = entry.id,
                recorded = entry.district_code,
                district = district
            ),
        });
    }
    compare(
        findings,
        "form.chain_leader.name",
        leader.name.as_deref().map(|n| Value::from(n.trim())),
        text(&entry.name),
        entry.id,
    );
    compare(
        findings,
        "form.chain_leader.scale",
        money(leader.scale),
        money(entry.scale),
        entry.id,
    );
    compare(
        findings,
        "form.chain_leader.in_city_suppliers",
        leader.in_city_suppliers.map(Value::from),
        entry.in_city_suppliers.map(Value::from),
        entry.id,
    );
}

fn check_cluster_stats(
    form: &ProposalForm,
    district: &str,
    clusters: &[DistrictCluster],
    findings: &mut Vec<Finding>,
) {
    let stats = &form.cluster_stats;
    let Some(code) = form.cluster_code.as_deref() else {
        return;
    };
    if stats.scale.is_none() && stats.enterprise_count.is_none() && stats.data_year.is_none() {
        return;
    }
    let mut records: Vec<&DistrictCluster> = clusters
        .iter()
        .filter(|c| c.district_code == district && c.cluster_code == code)
        .collect();
    records.sort_by_key(|c| std::cmp::Reverse(c.year));
    let record = stats
        .data_year
        .and_then(|y| records.iter().find(|c| c.year == y))
        .or_else(|| records.first());
    let Some(record) = record else {
        findings.push(Finding {
            field: "form.cluster_stats".to_owned(),
            outcome: InventoryOutcome::NotInInventory,
            claimed: text(code),
            recorded: None,
            entry_id: None,
            message: crate::msg!(
                "inventory-cluster-not-listed",
                cluster = code,
                district = district
            ),
        });
        return;
    };
    compare(
        findings,
        "form.cluster_stats.data_year",
        stats.data_year.map(Value::from),
        Some(Value::from(record.year)),
        record.id,
    );
    compare(
        findings,
        "form.cluster_stats.scale",
        money(stats.scale),
        money(record.scale),
        record.id,
    );
    compare(
        findings,
        "form.cluster_stats.enterprise_count",
        stats.enterprise_count.map(Value::from),
        record.enterprise_count.map(Value::from),
        record.id,
    );
}

fn check_suppliers(form: &ProposalForm, enterprises: &[Enterprise], findings: &mut Vec<Finding>) {
    for (i, id) in form.supplier_inventory_ids.iter().enumerate() {
        let field = format!("form.supplier_inventory_ids[{i}]");
        let finding = match enterprises.iter().find(|e| e.id == *id) {
            None => Finding {
                field,
                outcome: InventoryOutcome::NotInInventory,
                claimed: Some(Value::from(*id)),
                recorded: None,
                entry_id: None,
                message: crate::msg!("inventory-supplier-not-listed", entry = id),
            },
            // Any Chongqing district's chain leader or 专精特新 enterprise is a supplier in the city.
            Some(e) => Finding {
                field,
                outcome: InventoryOutcome::Match,
                claimed: Some(Value::from(*id)),
                recorded: text(&e.name),
                entry_id: Some(e.id),
                message: crate::msg!(
                    "inventory-supplier-listed",
                    name = e.name,
                    kind = e.kind,
                    district = e.district_code
                ),
            },
        };
        findings.push(finding);
    }
}

/// What a proposal's form claims set beside the inventory: the chain leader (its reference, else
/// its name within the proposal's district), the cluster figures against the district's
/// characteristic cluster of the form's cluster and data year, and each referenced supplier.
/// `enterprises` holds the district's entries and every entry the form references;
/// `clusters` the district's characteristic clusters. Pure: nothing is changed, no score.
pub fn check(
    form: &ProposalForm,
    district: &str,
    enterprises: &[Enterprise],
    clusters: &[DistrictCluster],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    check_chain_leader(form, district, enterprises, &mut findings);
    check_cluster_stats(form, district, clusters, &mut findings);
    check_suppliers(form, enterprises, &mut findings);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::ChainLeader;

    struct Refs;
    impl ReferenceLookup for Refs {
        fn district_exists(&self, code: &str) -> bool {
            code == "500105"
        }
        fn cluster_exists(&self, code: &str) -> bool {
            code == "C01"
        }
        fn industry_class_parent(&self, code: &str) -> Option<Option<String>> {
            (code == "26").then_some(None)
        }
    }

    fn uscc() -> String {
        Uscc::with_check("91500105MA0000001").unwrap()
    }

    fn money_of(wan: i64) -> Money {
        Money::from_hundredths(wan * 100).unwrap()
    }

    fn input() -> EnterpriseInput {
        EnterpriseInput {
            kind: EnterpriseKind::ChainLeader,
            name: " 示例日化有限公司 ".to_owned(),
            uscc: uscc().to_ascii_lowercase(),
            cluster_code: Some("C01".to_owned()),
            industry_class: Some("26".to_owned()),
            scale: Some(money_of(100_000)),
            in_city_suppliers: Some(120),
            year: 2022,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_valid_entry_is_normalised() {
        let v = validate_enterprise(&input(), &Refs).unwrap();
        assert_eq!(v.name, "示例日化有限公司");
        assert_eq!(v.uscc, uscc());
    }

    #[test]
    fn each_bad_field_is_named() {
        type Change = fn(&mut EnterpriseInput);
        let cases: [(&str, Change); 9] = [
            ("in_city_suppliers", |i| i.in_city_suppliers = Some(1 << 31)),
            ("name", |i| i.name = "  ".into()),
            ("name", |i| i.name = "企".repeat(201)),
            ("uscc", |i| i.uscc = "91500105MA0000001".into()),
            ("cluster_code", |i| i.cluster_code = Some("X".into())),
            ("industry_class", |i| i.industry_class = Some("99".into())),
            ("year", |i| i.year = 1999),
            ("year", |i| i.year = 2101),
            ("in_city_suppliers", |i| {
                i.kind = EnterpriseKind::Specialised
            }),
        ];
        for (field, change) in cases {
            let mut i = input();
            change(&mut i);
            let errors = validate_enterprise(&i, &Refs).unwrap_err();
            assert_eq!(fields(&errors), [field], "case {field}: {errors:?}");
        }
        // The bounds themselves are accepted.
        for year in [2000, 2100] {
            let i = EnterpriseInput { year, ..input() };
            assert!(validate_enterprise(&i, &Refs).is_ok(), "year {year}");
        }
    }

    #[test]
    fn unknown_kinds_and_negative_figures_do_not_parse() {
        assert!(serde_json::from_value::<EnterpriseKind>(Value::from("supplier")).is_err());
        assert!(serde_json::from_value::<Money>(Value::from(-1)).is_err());
        assert!(serde_json::from_value::<u32>(Value::from(-1)).is_err());
    }

    #[test]
    fn a_cluster_is_checked() {
        let c = ClusterInput {
            cluster_code: "C02".into(),
            name: "".into(),
            scale: None,
            enterprise_count: Some(3),
            year: 1990,
        };
        let errors = validate_cluster(&c, &Refs).unwrap_err();
        assert_eq!(fields(&errors), ["cluster_code", "name", "year"]);
        let ok = ClusterInput {
            cluster_code: "C01".into(),
            name: " 日化 ".into(),
            year: 2022,
            ..c
        };
        assert_eq!(validate_cluster(&ok, &Refs).unwrap().name, "日化");
    }

    #[test]
    fn references_are_positive_bounded_and_distinct() {
        let mut form = ProposalForm::default();
        form.chain_leader.inventory_id = Some(0);
        form.supplier_inventory_ids = vec![3, -1, 3];
        let errors = validate_references(&form);
        assert_eq!(
            fields(&errors),
            [
                "form.chain_leader.inventory_id",
                "form.supplier_inventory_ids[1]",
                "form.supplier_inventory_ids[2]"
            ]
        );
        form.chain_leader.inventory_id = Some(3);
        form.supplier_inventory_ids = (1..=51).collect();
        assert_eq!(
            fields(&validate_references(&form)),
            ["form.supplier_inventory_ids"]
        );
        form.supplier_inventory_ids = (1..=50).collect();
        assert!(validate_references(&form).is_empty());
        assert_eq!(referenced_ids(&form).len(), 50);
    }

    fn entry(id: i32, district: &str, kind: EnterpriseKind, name: &str) -> Enterprise {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        Enterprise {
            id,
            district_code: district.into(),
            kind,
            name: name.into(),
            uscc: uscc(),
            cluster_code: None,
            industry_class: None,
            scale: Some(money_of(100_000)),
            in_city_suppliers: Some(120),
            year: 2022,
            version: 1,
            created_by: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn cluster(id: i32, year: i32, scale: i64, count: u32) -> DistrictCluster {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        DistrictCluster {
            id,
            district_code: "500105".into(),
            cluster_code: "C01".into(),
            name: "日化".into(),
            scale: Some(money_of(scale)),
            enterprise_count: Some(count),
            year,
            version: 1,
            created_by: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn leader_form(id: Option<i32>, name: &str, scale: i64) -> ProposalForm {
        ProposalForm {
            chain_leader: ChainLeader {
                name: Some(name.into()),
                scale: Some(money_of(scale)),
                in_city_suppliers: Some(120),
                inventory_id: id,
            },
            ..ProposalForm::default()
        }
    }

    fn outcome_of<'a>(findings: &'a [Finding], field: &str) -> Option<&'a Finding> {
        findings.iter().find(|f| f.field == field)
    }

    #[test]
    fn a_different_scale_is_a_mismatch_with_both_figures() {
        let list = [entry(
            7,
            "500105",
            EnterpriseKind::ChainLeader,
            "示例日化有限公司",
        )];
        let f = check(
            &leader_form(Some(7), "示例日化有限公司", 150_000),
            "500105",
            &list,
            &[],
        );
        let scale = outcome_of(&f, "form.chain_leader.scale").unwrap();
        assert_eq!(scale.outcome, InventoryOutcome::Mismatch);
        assert_eq!(scale.claimed, Some(serde_json::json!(150000)));
        assert_eq!(scale.recorded, Some(serde_json::json!(100000)));
        assert_eq!(scale.entry_id, Some(7));
        assert_eq!(scale.message.id(), Some("inventory-figure-mismatch"));
        for field in [
            "form.chain_leader.name",
            "form.chain_leader.in_city_suppliers",
        ] {
            assert_eq!(
                outcome_of(&f, field).unwrap().outcome,
                InventoryOutcome::Match
            );
        }
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[test]
    fn without_a_reference_the_name_is_looked_up_in_the_district() {
        let list = [
            entry(1, "500106", EnterpriseKind::ChainLeader, "示例日化有限公司"),
            entry(2, "500105", EnterpriseKind::ChainLeader, "示例日化有限公司"),
        ];
        let f = check(
            &leader_form(None, " 示例日化有限公司", 100_000),
            "500105",
            &list,
            &[],
        );
        assert!(
            f.iter().all(|x| x.outcome == InventoryOutcome::Match),
            "{f:?}"
        );
        assert!(f.iter().all(|x| x.entry_id == Some(2)));

        let f = check(&leader_form(None, "别的公司", 1), "500105", &list, &[]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field, "form.chain_leader");
        assert_eq!(f[0].outcome, InventoryOutcome::NotInInventory);
        assert_eq!(f[0].claimed, Some(Value::from("别的公司")));
    }

    #[test]
    fn wrong_kind_and_other_district_are_said() {
        let list = [
            entry(1, "500106", EnterpriseKind::ChainLeader, "甲"),
            entry(2, "500105", EnterpriseKind::Specialised, "乙"),
        ];
        let f = check(&leader_form(Some(1), "甲", 100_000), "500105", &list, &[]);
        let other = outcome_of(&f, "form.chain_leader").unwrap();
        assert_eq!(other.outcome, InventoryOutcome::OtherDistrict);
        assert_eq!(other.recorded, Some(Value::from("500106")));
        let f = check(&leader_form(Some(2), "乙", 100_000), "500105", &list, &[]);
        let kind = outcome_of(&f, "form.chain_leader").unwrap();
        assert_eq!(kind.outcome, InventoryOutcome::WrongKind);
        assert_eq!(kind.recorded, Some(Value::from("specialised")));
        // By name, a 专精特新 entry of the district is found and said to be of the wrong list.
        let f = check(&leader_form(None, "乙", 100_000), "500105", &list, &[]);
        assert_eq!(
            outcome_of(&f, "form.chain_leader").unwrap().outcome,
            InventoryOutcome::WrongKind
        );
        // An unknown reference.
        let f = check(&leader_form(Some(9), "乙", 1), "500105", &list, &[]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field, "form.chain_leader.inventory_id");
        assert_eq!(f[0].outcome, InventoryOutcome::NotInInventory);
    }

    #[test]
    fn a_figure_the_inventory_lacks_is_not_in_inventory_and_silence_is_not_checked() {
        let mut e = entry(1, "500105", EnterpriseKind::ChainLeader, "甲");
        e.scale = None;
        let mut form = leader_form(Some(1), "甲", 5);
        form.chain_leader.in_city_suppliers = None;
        let f = check(&form, "500105", &[e], &[]);
        assert_eq!(
            outcome_of(&f, "form.chain_leader.scale").unwrap().outcome,
            InventoryOutcome::NotInInventory
        );
        assert!(outcome_of(&f, "form.chain_leader.in_city_suppliers").is_none());
        assert!(check(&ProposalForm::default(), "500105", &[], &[]).is_empty());
    }

    #[test]
    fn cluster_figures_are_compared_with_the_record_of_the_year() {
        let clusters = [cluster(4, 2021, 1_000, 10), cluster(5, 2022, 2_000, 20)];
        let mut form = ProposalForm {
            cluster_code: Some("C01".into()),
            ..ProposalForm::default()
        };
        form.cluster_stats.scale = Some(money_of(1_000));
        form.cluster_stats.enterprise_count = Some(10);
        form.cluster_stats.data_year = Some(2021);
        let f = check(&form, "500105", &[], &clusters);
        assert_eq!(f.len(), 3);
        assert!(f
            .iter()
            .all(|x| x.outcome == InventoryOutcome::Match && x.entry_id == Some(4)));

        // A year the district did not record: compared with its latest record.
        form.cluster_stats.data_year = Some(2020);
        let f = check(&form, "500105", &[], &clusters);
        let year = outcome_of(&f, "form.cluster_stats.data_year").unwrap();
        assert_eq!(year.outcome, InventoryOutcome::Mismatch);
        assert_eq!(year.recorded, Some(Value::from(2022)));
        assert_eq!(
            outcome_of(&f, "form.cluster_stats.enterprise_count")
                .unwrap()
                .outcome,
            InventoryOutcome::Mismatch
        );

        // Another district's records do not count.
        let f = check(&form, "500106", &[], &clusters);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].outcome, InventoryOutcome::NotInInventory);
        assert_eq!(f[0].field, "form.cluster_stats");
    }

    #[test]
    fn suppliers_are_listed_entries_of_any_district() {
        let list = [
            entry(1, "500106", EnterpriseKind::Specialised, "甲"),
            entry(2, "500105", EnterpriseKind::ChainLeader, "乙"),
        ];
        let form = ProposalForm {
            supplier_inventory_ids: vec![1, 2, 3],
            ..ProposalForm::default()
        };
        let f = check(&form, "500105", &list, &[]);
        let outcomes: Vec<InventoryOutcome> = f.iter().map(|x| x.outcome).collect();
        assert_eq!(
            outcomes,
            [
                InventoryOutcome::Match,
                InventoryOutcome::Match,
                InventoryOutcome::NotInInventory
            ]
        );
        assert_eq!(f[2].field, "form.supplier_inventory_ids[2]");
    }
}
