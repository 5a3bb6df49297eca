//! Acceptance (验收) and the plaqued brain's life after it (DOMAIN.md §3; the notice's
//! "4.考核评估"): the acceptance panel's conflicts, the evaluator's report, the panel's score, the
//! conclusion's rule, and the plaque's state machine with the rule that lets the commission
//! revoke it (取消授牌).
//!
//! ```text
//! plaque: active ─annual evaluation 不合格─▶ rectifying ─passing re-evaluation─▶ active
//!                                              └─failed re-evaluation, or the deadline passed─▶ revoked
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::call::Criterion;
use super::conflict::{employment_link, ConflictKind, EmploymentLink, ExpertProfile};
use super::project::{
    target_met, AgreementContent, EvaluationParts, Grade, Measurement, PlaqueStatus, Verdict,
};
use super::ranking::{rank, BidInput, CriterionResult, ExpertScore};
use super::{FieldError, Msg};

/// Points an acceptance criterion is scored out of (hundredths): 100 points, so the weighted
/// total is on the 100-point scale of the round's threshold.
pub const ACCEPTANCE_MAX_POINTS: i64 = 10_000;

/// The rubric used when the commission names none.
pub fn default_rubric() -> Vec<Criterion> {
    [
        ("建设目标完成情况", 40),
        ("技术与数据能力", 30),
        ("运行与服务成效", 30),
    ]
    .into_iter()
    .map(|(c, w)| Criterion {
        criterion: c.to_owned(),
        weight: w,
        max_points: ACCEPTANCE_MAX_POINTS,
    })
    .collect()
}

/// An acceptance rubric: a valid call rubric whose criteria are each scored out of 100 points.
pub fn validate_rubric(rubric: &[Criterion]) -> Vec<FieldError> {
    let mut errors = super::call::validate_rubric(rubric);
    for (i, c) in rubric.iter().enumerate() {
        if c.max_points != ACCEPTANCE_MAX_POINTS {
            errors.push(FieldError::new(
                format!("rubric[{i}].max_points"),
                crate::msg!("field-acceptance-max-points"),
            ));
        }
    }
    errors
}

/// For each expert of the pool linked with a builder by the data (works there, or worked
/// there within 3 years: the calls' rule, [`super::conflict::data_conflict`]), the link (with
/// the first of `builders` — the builder, then its joint builders — that links). Such an expert
/// is never named to, nor drawn for, the acceptance panel.
pub fn builder_conflicts(
    pool: &[(i32, ExpertProfile)],
    builders: &[i32],
    today: NaiveDate,
) -> BTreeMap<i32, EmploymentLink> {
    pool.iter()
        .filter_map(|(e, p)| {
            builders
                .iter()
                .find_map(|&b| employment_link(p, b, today))
                .map(|link| (*e, link))
        })
        .collect()
}

/// A conflict an expert declared on an acceptance (investment, family — the builder's partners —
/// or any other link): it recuses the expert from the whole acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceConflict {
    pub id: i32,
    pub acceptance_id: i32,
    pub expert_id: i32,
    pub kind: ConflictKind,
    pub note: String,
    pub declared_at: DateTime<Utc>,
}

/// An evidence document the evaluator relied on, recorded by name and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[schema(example = "第三方检测报告.pdf")]
    pub name: String,
    /// Lowercase hex SHA-256 of the document.
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
}

/// The third-party evaluator's acceptance report: each indicator of the signed agreement
/// measured, the evidence, a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptanceReport {
    pub measurements: Vec<Measurement>,
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub summary: String,
}

impl AcceptanceReport {
    /// Every bad field: each indicator of the agreement measured exactly once and nothing else,
    /// at least one evidence document, each named and with a SHA-256 in lowercase hex.
    pub fn validate(&self, agreement: &AgreementContent) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, m) in self.measurements.iter().enumerate() {
            if !agreement.targets.iter().any(|t| t.key == m.key) {
                errors.push(FieldError::new(
                    format!("measurements[{i}].key"),
                    crate::msg!("field-agreement-no-indicator", key = format!("{:?}", m.key)),
                ));
            } else if !seen.insert(m.key.clone()) {
                errors.push(FieldError::new(
                    format!("measurements[{i}].key"),
                    crate::msg!("field-measured-twice"),
                ));
            }
        }
        let missing: Vec<&str> = agreement
            .targets
            .iter()
            .filter(|t| !seen.contains(&t.key))
            .map(|t| t.key.as_str())
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                "measurements",
                crate::msg!(
                    "field-measure-every-indicator",
                    missing = missing.join(", ")
                ),
            ));
        }
        if self.evidence.is_empty() {
            errors.push(FieldError::new(
                "evidence",
                crate::msg!("field-evidence-required"),
            ));
        }
        for (i, e) in self.evidence.iter().enumerate() {
            if e.name.trim().is_empty() || e.name.chars().count() > 500 {
                errors.push(FieldError::new(
                    format!("evidence[{i}].name"),
                    crate::msg!("field-chars", min = 1, max = 500),
                ));
            }
            if e.sha256.len() != 64
                || !e
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                errors.push(FieldError::new(
                    format!("evidence[{i}].sha256"),
                    crate::msg!("field-lower-hex-digits", count = 64),
                ));
            }
        }
        if self.summary.chars().count() > 20_000 {
            errors.push(FieldError::new(
                "summary",
                crate::msg!("field-at-most-chars", max = 20000),
            ));
        }
        errors
    }

    /// Each indicator with its target and whether it is met, for readers.
    pub fn results(&self, agreement: &AgreementContent) -> Vec<(String, bool)> {
        agreement
            .targets
            .iter()
            .map(|t| {
                let met = self
                    .measurements
                    .iter()
                    .any(|m| m.key == t.key && target_met(t, m.measured));
                (t.key.clone(), met)
            })
            .collect()
    }
}

/// The panel's score: the calls' rule (per criterion the trimmed mean — highest and lowest
/// dropped from 5 sheets up — then the rubric-weighted total), rounded half up to a hundredth.
/// `None` without a sheet or when a criterion has no value.
pub fn panel_score(
    rubric: &[Criterion],
    sheets: &[(i32, BTreeMap<String, i64>)],
) -> (Option<i64>, Vec<CriterionResult>) {
    if sheets.is_empty() {
        return (None, Vec::new());
    }
    let input = BidInput {
        bid_id: 0,
        received_at: DateTime::<Utc>::default(),
        ineligible: Vec::new(),
        scores: sheets
            .iter()
            .enumerate()
            .map(|(i, (expert, points))| ExpertScore {
                expert_label: super::ranking::expert_label(i),
                expert_id: *expert,
                points: points.clone(),
            })
            .collect(),
    };
    match rank(rubric, &[input]).pop() {
        Some(r) if r.complete => (i64::try_from(r.total.round_half_up()).ok(), r.per_criterion),
        Some(r) => (None, r.per_criterion),
        None => (None, Vec::new()),
    }
}

text_enum!(
    /// The commission's conclusion of an acceptance.
    Outcome {
        /// 验收通过: the plaque is issued.
        Accepted,
        /// 限期整改: rectify by a deadline, then a new review.
        Rectify,
        /// 验收不通过.
        Failed,
    }
);

/// The conclusion's rule: an acceptable verdict is accepted (and only then); an unacceptable one
/// is sent to rectification once, and fails when it is a re-review after a rectification (or the
/// commission finds it beyond repair). Returns the rule as applied, in words.
///
/// # Errors
/// Why the chosen outcome is not the rule's.
pub fn conclude(
    verdict: &Verdict,
    after_rectification: bool,
    chosen: Outcome,
) -> Result<String, Msg> {
    let allowed: &[Outcome] = if verdict.acceptable {
        &[Outcome::Accepted]
    } else if after_rectification {
        &[Outcome::Failed]
    } else {
        &[Outcome::Rectify, Outcome::Failed]
    };
    let names: Vec<&str> = allowed.iter().map(|o| o.as_str()).collect();
    let why = if verdict.acceptable {
        "acceptable, so accepted"
    } else if after_rectification {
        "not acceptable at a re-review after rectification, so failed"
    } else {
        "not acceptable, so rectify (with a deadline) or failed"
    };
    let rule = format!("{}; {why}", verdict.rule);
    if allowed.contains(&chosen) {
        Ok(rule)
    } else {
        Err(crate::msg!(
            "rule-acceptance-outcome",
            allowed = names.join(" or "),
            rule = rule
        ))
    }
}

/// The commission's conclusion of one acceptance, with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conclusion {
    pub outcome: Outcome,
    pub reason: String,
    /// The panel's score (hundredths of a point) as the rule used it.
    pub panel_score: Option<i64>,
    /// The rule as applied (computed, never typed in).
    pub rule: String,
    pub by: i32,
    pub at: DateTime<Utc>,
}

/// One acceptance (attempt 1, or 2, 3 … for re-reviews after rectification), decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptance {
    pub id: i32,
    pub project_id: i32,
    pub attempt: i32,
    pub requested_at: DateTime<Utc>,
    pub requested_by: i32,
    pub request_text: String,
    /// The third-party evaluator engaged (set when the commission starts the acceptance).
    pub evaluator_id: Option<i32>,
    /// The rubric the panel scores (set at the start).
    pub rubric: Option<Vec<Criterion>>,
    pub report: Option<AcceptanceReport>,
    pub report_filed_at: Option<DateTime<Utc>>,
    pub conclusion: Option<Conclusion>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl Acceptance {
    /// Started: the panel formed, the evaluator engaged, the rubric set.
    pub fn started(&self) -> bool {
        self.rubric.is_some()
    }
}

/// A member of an acceptance panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceMember {
    pub expert_id: i32,
    pub how: super::panel_draw::Appointed,
    pub seed: Option<u64>,
    pub added_by: i32,
    pub added_at: DateTime<Utc>,
}

/// One expert's score sheet at an acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceSheet {
    pub id: i32,
    pub expert_id: i32,
    pub lines: Vec<super::ranking::SheetLine>,
    pub submitted_at: DateTime<Utc>,
}

text_enum!(
    /// The moves of a plaque.
    PlaqueAction {
        /// An annual evaluation graded 不合格: rectify by a deadline (限期整改).
        Rectify,
        /// A passing re-evaluation: back in good standing.
        Restore,
        /// 取消授牌.
        Revoke,
    }
);

/// An illegal move of a plaque.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a plaque that is {from} cannot {action}")]
pub struct IllegalPlaqueMove {
    pub from: PlaqueStatus,
    pub action: PlaqueAction,
}

/// The plaque's state machine.
///
/// # Errors
/// [`IllegalPlaqueMove`].
pub fn plaque_transition(
    from: PlaqueStatus,
    action: PlaqueAction,
) -> Result<PlaqueStatus, IllegalPlaqueMove> {
    use PlaqueAction as A;
    use PlaqueStatus as S;
    match (from, action) {
        (S::Active, A::Rectify) => Ok(S::Rectifying),
        (S::Rectifying, A::Restore) => Ok(S::Active),
        (S::Rectifying, A::Revoke) => Ok(S::Revoked),
        _ => Err(IllegalPlaqueMove { from, action }),
    }
}

/// A plaque in the register, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Plaque {
    pub id: i32,
    pub project_id: i32,
    pub year: i32,
    pub serial: i32,
    /// `CQ-HYDN-2025-001`.
    pub number: String,
    pub brain_name: String,
    pub organisation_id: i32,
    pub district_code: String,
    pub issued_on: NaiveDate,
    pub status: PlaqueStatus,
    /// Revoked: when and why.
    pub revoked: Option<(DateTime<Utc>, String)>,
    /// Under rectification: the deadline.
    pub rectify_until: Option<NaiveDate>,
    /// The third-party evaluator engaged for its annual evaluations.
    pub evaluator_id: Option<i32>,
    pub version: i32,
}

/// An annual evaluation (attempt 1 of its year) or a re-evaluation after rectification
/// (attempt 2, 3, …), decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub id: i32,
    pub plaque_id: i32,
    pub year: i32,
    pub attempt: i32,
    pub evaluator_id: i32,
    pub parts: EvaluationParts,
    pub score: i64,
    pub grade: Grade,
    pub summary: String,
    pub filed_at: DateTime<Utc>,
    /// The commission's confirmation: who, when.
    pub confirmed: Option<(i32, DateTime<Utc>)>,
    /// The builder's rectification plan: text, when.
    pub plan: Option<(String, DateTime<Utc>)>,
    pub version: i32,
}

impl Evaluation {
    pub fn is_re_evaluation(&self) -> bool {
        self.attempt > 1
    }
}

/// What kind of evaluation an evaluator may file today, given the plaque and its evaluations
/// (oldest first): `(year, attempt)`.
///
/// # Errors
/// Why none may be filed now.
pub fn next_evaluation(
    plaque: &Plaque,
    evaluations: &[Evaluation],
    today: NaiveDate,
) -> Result<(i32, i32), Msg> {
    use chrono::Datelike;
    if evaluations.iter().any(|e| e.confirmed.is_none()) {
        return Err(crate::msg!("rule-evaluation-awaits-confirmation"));
    }
    match plaque.status {
        PlaqueStatus::Revoked => Err(crate::msg!("conflict-plaque-revoked")),
        PlaqueStatus::Active => {
            let year = today.year();
            if evaluations.iter().any(|e| e.year == year && e.attempt == 1) {
                Err(crate::msg!("rule-evaluation-once-a-year", year = year))
            } else {
                Ok((year, 1))
            }
        }
        PlaqueStatus::Rectifying => {
            let Some(failed) = evaluations.last() else {
                return Err(crate::msg!("rule-evaluation-no-failed"));
            };
            if failed.plan.is_none() {
                return Err(crate::msg!("rule-evaluation-plan-first"));
            }
            if let Some(until) = plaque.rectify_until {
                if today > until {
                    return Err(crate::msg!(
                        "rule-rectification-deadline-passed",
                        until = until
                    ));
                }
            }
            if failed.grade != Grade::Fail {
                return Err(crate::msg!("rule-evaluation-last-passed"));
            }
            Ok((failed.year, failed.attempt + 1))
        }
    }
}

/// The grounds on which the commission may revoke a plaque today, in words: a re-evaluation after
/// rectification graded 不合格, or the rectification deadline passed without a passing
/// re-evaluation. `evaluations` oldest first.
///
/// # Errors
/// Why there are none (yet).
pub fn revocation_grounds(
    plaque: &Plaque,
    evaluations: &[Evaluation],
    today: NaiveDate,
) -> Result<String, Msg> {
    if plaque.status != PlaqueStatus::Rectifying {
        return Err(crate::msg!(
            "rule-revoke-not-rectifying",
            status = plaque.status
        ));
    }
    let last = evaluations.iter().rev().find(|e| e.confirmed.is_some());
    if let Some(e) = last.filter(|e| e.is_re_evaluation() && e.grade == Grade::Fail) {
        return Ok(format!(
            "the re-evaluation after rectification (year {}, attempt {}) graded {} ({} points)",
            e.year,
            e.attempt,
            e.grade.label(),
            super::score::hundredths_text(e.score)
        ));
    }
    match plaque.rectify_until {
        Some(until) if today > until => Ok(format!(
            "the rectification deadline {until} passed without a passing re-evaluation"
        )),
        Some(until) => Err(crate::msg!("rule-rectification-running", until = until)),
        None => Err(crate::msg!("rule-rectification-no-deadline")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::PastEmployer;
    use crate::money::{Money, Quantity};
    use crate::project::{verdict, BudgetLine, Target};
    use strum::VariantArray;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn q(n: i64) -> Quantity {
        Quantity::from_hundredths(n).unwrap()
    }

    fn agreement() -> AgreementContent {
        AgreementContent {
            targets: vec![
                Target {
                    key: "K1".into(),
                    name: "接入企业".into(),
                    unit: "家".into(),
                    baseline: q(0),
                    target: q(20_000),
                    mandatory: true,
                },
                Target {
                    key: "K2".into(),
                    name: "降本".into(),
                    unit: "%".into(),
                    baseline: q(0),
                    target: q(550),
                    mandatory: false,
                },
            ],
            budget: vec![BudgetLine {
                source: "企业自筹".into(),
                amount: Money::from_hundredths(100_000).unwrap(),
            }],
            milestones: Vec::new(),
            completion_date: day(2025, 3, 31),
        }
    }

    fn m(key: &str, v: i64) -> Measurement {
        Measurement {
            key: key.into(),
            measured: q(v),
        }
    }

    fn plaque(status: PlaqueStatus, until: Option<NaiveDate>) -> Plaque {
        Plaque {
            id: 1,
            project_id: 1,
            year: 2025,
            serial: 1,
            number: "CQ-HYDN-2025-001".into(),
            brain_name: "x".into(),
            organisation_id: 1,
            district_code: "500112".into(),
            issued_on: day(2025, 5, 1),
            status,
            revoked: None,
            rectify_until: until,
            evaluator_id: Some(9),
            version: 1,
        }
    }

    fn evaluation(
        year: i32,
        attempt: i32,
        grade: Grade,
        confirmed: bool,
        plan: bool,
    ) -> Evaluation {
        let at = DateTime::<Utc>::default();
        Evaluation {
            id: attempt,
            plaque_id: 1,
            year,
            attempt,
            evaluator_id: 9,
            parts: EvaluationParts {
                operation: 5_000,
                data_integration: 5_000,
                users_served: 5_000,
                revenue: 5_000,
                kpi_attainment: 5_000,
            },
            score: 5_000,
            grade,
            summary: String::new(),
            filed_at: at,
            confirmed: confirmed.then_some((1, at)),
            plan: plan.then(|| ("整改方案".to_owned(), at)),
            version: 1,
        }
    }

    #[test]
    fn the_conclusion_follows_the_rule_computed_from_the_indicators() {
        let a = agreement();
        // Every mandatory indicator met (K2 is not mandatory) and the score at the threshold.
        let ok = verdict(&a, &[m("K1", 20_000), m("K2", 0)], Some(6_000), 6_000);
        assert!(ok.acceptable);
        assert!(conclude(&ok, false, Outcome::Accepted).is_ok());
        let e = conclude(&ok, false, Outcome::Failed).unwrap_err();
        assert_eq!(e.id(), Some("rule-acceptance-outcome"));
        assert_eq!(e.arg("allowed"), Some("accepted"), "{e:?}");
        // A mandatory indicator short: never accepted; rectify once, then only failed.
        let short = verdict(&a, &[m("K1", 19_999), m("K2", 900)], Some(9_500), 6_000);
        assert!(!short.acceptable);
        assert_eq!(short.unmet_mandatory, ["K1"]);
        assert!(conclude(&short, false, Outcome::Accepted).is_err());
        let rule = conclude(&short, false, Outcome::Rectify).unwrap();
        assert!(rule.contains("not met: K1"), "{rule}");
        assert!(conclude(&short, false, Outcome::Failed).is_ok());
        assert!(conclude(&short, true, Outcome::Rectify).is_err());
        assert!(conclude(&short, true, Outcome::Failed).is_ok());
        // The score below the threshold is enough to refuse.
        let low = verdict(&a, &[m("K1", 30_000)], Some(5_999), 6_000);
        assert!(conclude(&low, false, Outcome::Accepted).is_err());
    }

    #[test]
    fn the_report_measures_every_indicator_with_hashed_evidence() {
        let a = agreement();
        let good = AcceptanceReport {
            measurements: vec![m("K1", 1), m("K2", 1)],
            evidence: vec![Evidence {
                name: "检测报告.pdf".into(),
                sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            }],
            summary: String::new(),
        };
        assert!(good.validate(&a).is_empty());
        let bad = AcceptanceReport {
            measurements: vec![m("K1", 1), m("K1", 2), m("K9", 1)],
            evidence: vec![Evidence {
                name: " ".into(),
                sha256: "9F86".into(),
            }],
            summary: String::new(),
        };
        let fields: Vec<String> = bad.validate(&a).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "measurements[1].key",
                "measurements[2].key",
                "measurements",
                "evidence[0].name",
                "evidence[0].sha256"
            ]
        );
        assert_eq!(
            good.results(&a),
            [("K1".to_owned(), false), ("K2".to_owned(), false)]
        );
    }

    #[test]
    fn the_builders_staff_and_recent_employees_are_conflicted() {
        let today = day(2025, 5, 1);
        let pool = vec![
            (
                1,
                ExpertProfile {
                    organisation_id: Some(7),
                    past_employers: Vec::new(),
                },
            ),
            (
                2,
                ExpertProfile {
                    organisation_id: None,
                    past_employers: vec![PastEmployer {
                        organisation_id: 7,
                        until: day(2022, 5, 1),
                    }],
                },
            ),
            (
                3,
                ExpertProfile {
                    organisation_id: None,
                    past_employers: vec![PastEmployer {
                        organisation_id: 7,
                        until: day(2022, 4, 30),
                    }],
                },
            ),
            (4, ExpertProfile::default()),
        ];
        let c = builder_conflicts(&pool, &[7], today);
        assert_eq!(c.keys().copied().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(c[&1], EmploymentLink::Works);
        assert_eq!(c[&1].sentence(), "works at the bidder");
        // A joint builder's employee is linked too.
        let c = builder_conflicts(&pool, &[8, 7], today);
        assert_eq!(c.keys().copied().collect::<Vec<_>>(), [1, 2]);
        assert!(builder_conflicts(&pool, &[8], today).is_empty());
    }

    #[test]
    fn the_panel_score_drops_the_extremes_from_five_sheets() {
        let rubric = vec![Criterion {
            criterion: "c".into(),
            weight: 100,
            max_points: ACCEPTANCE_MAX_POINTS,
        }];
        let sheet = |e: i32, p: i64| (e, BTreeMap::from([("c".to_owned(), p)]));
        let four = [
            sheet(1, 6_000),
            sheet(2, 7_000),
            sheet(3, 8_000),
            sheet(4, 10_000),
        ];
        assert_eq!(panel_score(&rubric, &four).0, Some(7_750));
        let mut five = four.to_vec();
        five.push(sheet(5, 0));
        // 0 and 10000 dropped: (6000 + 7000 + 8000) / 3.
        assert_eq!(panel_score(&rubric, &five).0, Some(7_000));
        assert_eq!(panel_score(&rubric, &[]).0, None);
        assert!(validate_rubric(&default_rubric()).is_empty());
        assert_eq!(
            validate_rubric(&[Criterion {
                criterion: "c".into(),
                weight: 100,
                max_points: 5_000
            }])[0]
                .field,
            "rubric[0].max_points"
        );
    }

    #[test]
    fn the_plaque_moves_only_as_its_machine_allows() {
        use PlaqueAction as A;
        use PlaqueStatus as S;
        let allowed = [
            (S::Active, A::Rectify, S::Rectifying),
            (S::Rectifying, A::Restore, S::Active),
            (S::Rectifying, A::Revoke, S::Revoked),
        ];
        for &from in S::VARIANTS {
            for &action in A::VARIANTS {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(plaque_transition(from, action).ok(), expected);
            }
        }
    }

    #[test]
    fn evaluations_come_once_a_year_and_re_evaluations_after_a_plan() {
        let today = day(2025, 12, 1);
        let active = plaque(PlaqueStatus::Active, None);
        assert_eq!(next_evaluation(&active, &[], today), Ok((2025, 1)));
        let done = [evaluation(2025, 1, Grade::Good, true, false)];
        assert!(next_evaluation(&active, &done, today).is_err());
        assert_eq!(
            next_evaluation(&active, &done, day(2026, 1, 2)),
            Ok((2026, 1))
        );
        let pending = [evaluation(2025, 1, Grade::Good, false, false)];
        assert!(next_evaluation(&active, &pending, day(2026, 1, 2)).is_err());
        let rect = plaque(PlaqueStatus::Rectifying, Some(day(2026, 3, 1)));
        let failed = [evaluation(2025, 1, Grade::Fail, true, false)];
        assert_eq!(
            next_evaluation(&rect, &failed, today).unwrap_err().id(),
            Some("rule-evaluation-plan-first")
        );
        let planned = [evaluation(2025, 1, Grade::Fail, true, true)];
        assert_eq!(next_evaluation(&rect, &planned, today), Ok((2025, 2)));
        assert!(next_evaluation(&rect, &planned, day(2026, 3, 2)).is_err());
    }

    #[test]
    fn revocation_needs_a_failed_re_evaluation_or_a_passed_deadline() {
        let until = day(2026, 3, 1);
        let rect = plaque(PlaqueStatus::Rectifying, Some(until));
        let first = evaluation(2025, 1, Grade::Fail, true, true);
        assert!(revocation_grounds(&rect, std::slice::from_ref(&first), until).is_err());
        let why = revocation_grounds(&rect, std::slice::from_ref(&first), day(2026, 3, 2)).unwrap();
        assert!(why.contains("deadline 2026-03-01 passed"), "{why}");
        let again = evaluation(2025, 2, Grade::Fail, true, false);
        let why = revocation_grounds(&rect, &[first.clone(), again], until).unwrap();
        assert!(why.contains("不合格"), "{why}");
        let unconfirmed = evaluation(2025, 2, Grade::Fail, false, false);
        assert!(revocation_grounds(&rect, &[first, unconfirmed], until).is_err());
        assert!(revocation_grounds(&plaque(PlaqueStatus::Active, None), &[], until).is_err());
    }
}
