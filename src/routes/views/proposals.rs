//! Request and response types of proposals.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::history::Entry;
use crate::app::proposals::{self, proposal_etag, Page, PaperProposal};
use crate::domain::attestation::{Attestation, AttestationInput};
use crate::domain::json_patch::PatchOp;
use crate::domain::proposal::{Proposal, ProposalForm, ProposalPlan, Summary};
use crate::domain::proposal_state::Status;

/// The form and the plan. Every member may be left out while a draft: completeness is scored, not
/// demanded; only malformed values are refused.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
        "form": {
            "brain_name": "示例口腔清洁用品行业产业大脑",
            "district_code": "500105",
            "cluster_code": "light_textile",
            "industry_class": {"major": "26", "middle": "268", "minor": "2683"},
            "builder_organisation_id": 1,
            "chain_leader": {"name": "示例日化有限公司", "scale": 123456.78, "in_city_suppliers": 120},
            "cluster_stats": {"scale": 2500000, "enterprise_count": 300, "data_year": 2022},
            "construction_model": "chain_leader_led",
            "contact": {"name": "示例联系人", "phone": "023-6000-0001"}
        },
        "plan": {
            "basis": "本区日化产业集聚明显，龙头企业数字化基础较好，已建成多条智能产线和工业互联网平台。",
            "funding": {
                "total": 1000,
                "breakdown": [{"item": "平台建设", "amount": 600}, {"item": "运营", "amount": 400}],
                "sources": [{"source": "企业自筹", "amount": 1000}]
            },
            "schedule": {"start": "2024-04-01", "milestones": [{"name": "上线", "due": "2024-12-31"}], "end": "2025-06-30"}
        }
    }))]
pub struct ProposalInput {
    #[serde(default)]
    pub form: ProposalForm,
    #[serde(default)]
    pub plan: ProposalPlan,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Seal {
    /// The district officer who sealed it.
    pub by: i32,
    pub at: DateTime<Utc>,
    pub statement: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProposalDto {
    pub id: i32,
    pub year: i32,
    pub status: Status,
    pub district_code: String,
    pub cluster_code: Option<String>,
    /// The applicant organisation that owns it; none when a district officer filed it.
    pub owner_organisation_id: Option<i32>,
    pub form: ProposalForm,
    pub plan: ProposalPlan,
    /// Incremented on every change; the ETag is built from it.
    pub version: i32,
    pub etag: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub seal: Option<Seal>,
    /// Reasons of the last return or eligibility decision.
    pub reasons: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The truthfulness statement of the latest submission.
    pub attestation: Option<AttestationView>,
}

/// A truthfulness statement (真实性承诺) as stored with a submission.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttestationView {
    pub statement: String,
    /// The person who made it.
    pub name: String,
    pub position: Option<String>,
    /// The account that submitted.
    pub account_id: i32,
    pub at: DateTime<Utc>,
}

impl From<Attestation> for AttestationView {
    fn from(a: Attestation) -> Self {
        Self {
            statement: a.statement,
            name: a.name,
            position: a.position,
            account_id: a.account_id,
            at: a.at,
        }
    }
}

/// The body of a submission: the truthfulness statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"attestation": {"statement": "对建设方案的真实性负责，严禁弄虚作假", "name": "张三", "position": "法定代表人"}}))]
pub struct SubmitBody {
    pub attestation: AttestationInput,
}

impl From<Proposal> for ProposalDto {
    fn from(p: Proposal) -> Self {
        Self {
            etag: proposal_etag(&p),
            id: p.id,
            year: p.year,
            status: p.status,
            district_code: p.district_code,
            cluster_code: p.cluster_code,
            owner_organisation_id: p.owner_organisation_id,
            form: p.form,
            plan: p.plan,
            version: p.version,
            submitted_at: p.submitted_at,
            seal: p.seal.map(|s| Seal {
                by: s.by,
                at: s.at,
                statement: s.statement,
            }),
            attestation: p.attestation.map(AttestationView::from),
            reasons: p.reasons,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A proposal with its ETag header.
pub fn respond(status: StatusCode, p: Proposal) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, proposal_etag(&p)))
        .json(ProposalDto::from(p))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this district's.
    pub district: Option<String>,
    /// Only this cluster's.
    pub cluster: Option<String>,
    /// Only proposals in this state.
    pub status: Option<Status>,
    /// The cursor: the `next_after` of the previous page (the last id seen).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `true`: also give `total` and `counts` (two more queries; leave it out when paging on).
    pub counts: Option<bool>,
}

impl From<ListQuery> for proposals::ListQuery {
    fn from(q: ListQuery) -> Self {
        Self {
            district: q.district,
            cluster: q.cluster,
            status: q.status,
            after: q.after,
            limit: q.limit,
            counts: q.counts.unwrap_or(false),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProposalSummary {
    pub id: i32,
    pub brain_name: Option<String>,
    pub status: Status,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub owner_organisation_id: Option<i32>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<Summary> for ProposalSummary {
    fn from(s: Summary) -> Self {
        Self {
            id: s.id,
            brain_name: s.brain_name,
            status: s.status,
            district_code: s.district_code,
            cluster_code: s.cluster_code,
            owner_organisation_id: s.owner_organisation_id,
            version: s.version,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProposalPage {
    /// In id order.
    pub items: Vec<ProposalSummary>,
    /// Pass as `after` for the next page (also in the `Link` header); null on the last page.
    pub next_after: Option<i32>,
    /// Proposals matching the filters that the caller may see (only with `counts=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Proposals per state (only with `counts=true`): for the commission over the whole round
    /// (drafts included, as numbers only); for others over what they may see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<BTreeMap<String, u64>>,
}

impl From<Page> for ProposalPage {
    fn from(p: Page) -> Self {
        Self {
            items: p.items.into_iter().map(ProposalSummary::from).collect(),
            next_after: p.next_after,
            total: p.total,
            counts: p.counts,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryActor {
    pub id: i32,
    pub username: Option<String>,
    pub role: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    /// The proposal version this step produced.
    pub version: i32,
    pub at: DateTime<Utc>,
    pub actor: HistoryActor,
    /// `create`, `edit`, `submit`, `return`, `seal`, `mark_eligible`, `mark_ineligible`, `import`, `list`, `not_list`.
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// What changed in the content, as JSON Patch operations (with the old values kept).
    pub changes: Vec<PatchOp>,
    /// Reasons, statements and other words that came with the step.
    pub note: Option<String>,
}

/// A proposal's history as its entries show it: the status each step left it in (and came
/// from), the content changes (form and plan) and the words that came with it.
pub fn history(entries: Vec<Entry>) -> Vec<HistoryEntry> {
    let mut current: Option<String> = None;
    entries
        .into_iter()
        .map(|Entry { event: e, username }| {
            let from = current.clone();
            let to = e
                .status_change()
                .1
                .map(str::to_owned)
                .or_else(|| current.clone());
            current.clone_from(&to);
            HistoryEntry {
                version: e.version,
                at: e.at,
                actor: HistoryActor {
                    id: e.actor.id().unwrap_or(0),
                    username,
                    role: e.actor.role_text().to_owned(),
                },
                action: e.kind,
                from_status: from,
                to_status: to.unwrap_or_default(),
                changes: e
                    .payload
                    .into_iter()
                    .filter(|o| o.path.starts_with("/form") || o.path.starts_with("/plan"))
                    .collect(),
                note: e.reason,
            }
        })
        .collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reasons": "投资估算明细与总额不符，请补充后重新提交。"}))]
pub struct ReturnBody {
    /// Why it goes back, for the owner to fix (1–4000 characters, not only spaces;
    /// line breaks and tabs but no other control characters).
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
    )]
    pub reasons: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"statement": "经审核，同意报送。"}))]
pub struct SealBody {
    /// The district's review statement (审核意见) that goes with the seal (1–4000 characters,
    /// not only spaces; line breaks and tabs but no other control characters).
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
    )]
    pub statement: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"eligible": true, "reasons": "符合申报条件。"}))]
pub struct EligibilityBody {
    pub eligible: bool,
    /// Required when not eligible; recorded either way.
    #[serde(default)]
    pub reasons: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRow {
    #[serde(default)]
    pub form: ProposalForm,
    #[serde(default)]
    pub plan: ProposalPlan,
    /// The applicant organisation that filed it on paper, if not the district itself.
    pub owner_organisation_id: Option<i32>,
    /// Username of the district officer who sealed it; must be an officer of the form's district.
    pub sealed_by: String,
    /// When it was sealed (RFC 3339 with offset); not after the intake deadline.
    #[schema(value_type = String, format = DateTime, example = "2024-02-27T10:00:00+08:00")]
    pub sealed_at: DateTime<FixedOffset>,
    /// The district's review statement on the paper copy.
    pub statement: String,
}

impl From<ImportRow> for PaperProposal {
    fn from(r: ImportRow) -> Self {
        Self {
            form: r.form,
            plan: r.plan,
            owner_organisation_id: r.owner_organisation_id,
            sealed_by: r.sealed_by,
            sealed_at: r.sealed_at.with_timezone(&Utc),
            statement: r.statement,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    pub imported: usize,
    /// The new proposals' ids, in the order of the rows.
    pub ids: Vec<i32>,
}
