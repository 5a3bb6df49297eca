//! OCDS 1.1 (Open Contracting Data Standard) releases of the programme: each list item is one
//! contracting process (`ocid` = prefix `-<year>-<list item id>`), and each stage of it that the
//! log records publicly is one release, built from the facts *as they stood at that event*:
//!
//! | event in the log | release tag | section |
//! |---|---|---|
//! | the list version naming the item is published | `planning` | `planning` (the proposal's plan and budget) |
//! | the call is announced | `tender` | `tender` (requirements, rubric as award criteria, window) |
//! | the window opens, closes; bids are opened; the call fails | `tenderUpdate` | `tender` (+ `numberOfTenderers` once closed, `tenderers` once opened) |
//! | the call is cancelled | `tenderCancellation` | `tender` |
//! | an award is proposed (public notice) | `award` | `awards` (pending) |
//! | an objection is upheld | `awardCancellation` | `awards` |
//! | the award is finalized | `awardUpdate` | `awards` (active, with amounts) |
//! | the task agreement is signed / an amendment is signed | `contract` / `contractAmendment` | `contracts` |
//! | a progress report is filed; the project is completed, accepted …; the plaque issued or revoked | `implementation` / `implementationUpdate` | `contracts[].implementation` |
//!
//! A release's `id` is `<ocid>-<stage>-<seq>` (the event's place in the log), its `date` the
//! event's time: the same log gives the same releases, byte for byte. Bid content and bidder
//! identity are never in a release dated before the opening; the number of bids only after the
//! close. Programme fields outside the core schema are those of the extension in
//! `ocds/extension/` (documented there). Pure: no I/O; the app gathers the [`Process`].

pub mod merge;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::calendar::beijing;
use super::call::{Call, CallStatus, Eligibility};
use super::event::{AggregateType, Event};
use super::money::Money;
use super::project::{
    Agreement, MilestoneStatus, ProgressReport, Project, ProjectAction, ProjectStatus,
};

/// The OCDS version the packages declare.
pub const VERSION: &str = "1.1";
/// The party id of the commission (buyer, procuring entity, review body).
pub const COMMISSION_ID: &str = "CN-CQ-JXW";
/// The identifier scheme of organisations: the unified social credit code (统一社会信用代码).
pub const ORG_SCHEME: &str = "CN-USCC";

/// Who publishes: the registered prefix, the publisher's name and where the service is reached.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub prefix: String,
    pub name: String,
    pub base_url: String,
}

impl Publisher {
    pub fn ocid(&self, year: i32, item: i32) -> String {
        format!("{}-{year}-{item}", self.prefix)
    }

    /// The year and list item an ocid of this publisher names, if it is one.
    pub fn parse_ocid(&self, ocid: &str) -> Option<(i32, i32)> {
        let rest = ocid.strip_prefix(&self.prefix)?.strip_prefix('-')?;
        let (year, item) = rest.split_once('-')?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(year) || !all_digits(item) {
            return None;
        }
        Some((year.parse().ok()?, item.parse().ok()?))
    }

    /// The extension's `extension.json`, as served by the service.
    pub fn extension_url(&self) -> String {
        format!(
            "{}/api/v1/ocds/extension/extension.json",
            self.base_url.trim_end_matches('/')
        )
    }

    /// The package metadata every package carries (`uri` is the package's own address).
    pub fn package(&self, uri: String, published: DateTime<Utc>) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("uri".into(), Value::from(uri));
        m.insert("version".into(), Value::from(VERSION));
        m.insert("publishedDate".into(), Value::from(date(published)));
        m.insert(
            "publisher".into(),
            json!({"name": self.name, "uri": self.base_url}),
        );
        m.insert("extensions".into(), json!([self.extension_url()]));
        m
    }
}

/// An organisation that bid or builds.
#[derive(Debug, Clone)]
pub struct Org {
    pub name: String,
    pub uscc: String,
}

/// The list item and its source proposal (what the planning release tells).
#[derive(Debug, Clone)]
pub struct ItemFacts {
    pub id: i32,
    pub year: i32,
    pub rank: i32,
    pub direction: String,
    pub district_code: String,
    pub cluster_code: Option<String>,
    /// Weighted selection total, units of 1e-4 point.
    pub total: i64,
    /// The list version that named the item.
    pub list_version: i32,
    pub proposal_id: i32,
    /// The plan's total estimated spending (资金筹措及投资估算), 万元.
    pub plan_total: Option<Money>,
    /// The plan's funding sources (source, amount).
    pub plan_sources: Vec<(String, Option<Money>)>,
    /// The plan's goal (项目目标).
    pub goal: Option<String>,
}

/// A bid as the release may tell it: who, when (only once opened), and the budget of a winner
/// (only once the award is final).
#[derive(Debug, Clone)]
pub struct BidFacts {
    pub id: i32,
    pub organisation_id: i32,
    pub received_at: DateTime<Utc>,
    /// A winning bid's budget, given by the app only for finalized awards.
    pub budget: Option<Money>,
}

#[derive(Debug, Clone)]
pub struct CallFacts {
    pub call: Call,
    pub bids: Vec<BidFacts>,
    /// When each objection to the call was received.
    pub objections: Vec<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct ProjectFacts {
    pub project: Project,
    pub agreements: Vec<Agreement>,
    pub reports: Vec<ProgressReport>,
}

/// Everything a contracting process's releases are built from.
#[derive(Debug, Clone)]
pub struct Process {
    pub item: ItemFacts,
    pub calls: Vec<CallFacts>,
    pub projects: Vec<ProjectFacts>,
    pub orgs: BTreeMap<i32, Org>,
    /// The log's events about the process, by `seq`: the round's list publications, the calls',
    /// the projects' (with their agreements and reports).
    pub events: Vec<Event>,
}

/// One release: its place in the log, its process and the JSON.
#[derive(Debug, Clone)]
pub struct Release {
    pub seq: i64,
    pub ocid: String,
    pub json: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Planning,
    Tender,
    Award,
    Contract,
    Implementation,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Planning => "planning",
            Stage::Tender => "tender",
            Stage::Award => "award",
            Stage::Contract => "contract",
            Stage::Implementation => "implementation",
        }
    }
}

/// An RFC 3339 time in Beijing time (`+08:00`), to the second.
pub fn date(at: DateTime<Utc>) -> String {
    at.with_timezone(&beijing())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A calendar day at `time` Beijing time.
fn day_at(d: NaiveDate, time: NaiveTime) -> String {
    format!("{}T{}+08:00", d.format("%Y-%m-%d"), time.format("%H:%M:%S"))
}

fn end_of(d: NaiveDate) -> String {
    day_at(d, NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default())
}

/// A 万元 amount as an OCDS value in yuan (exact: hundredths of 万元 are 100 yuan).
fn value(m: Money) -> Value {
    json!({"amount": m.hundredths().saturating_mul(100), "currency": "CNY"})
}

fn hundredths_text(h: i64) -> String {
    format!("{}.{:02}", h / 100, (h % 100).abs())
}

fn org_id(o: &Org) -> String {
    format!("{ORG_SCHEME}-{}", o.uscc)
}

impl Process {
    pub fn ocid(&self, p: &Publisher) -> String {
        p.ocid(self.item.year, self.item.id)
    }

    fn org_ref(&self, id: i32) -> Value {
        match self.orgs.get(&id) {
            Some(o) => json!({"id": org_id(o), "name": o.name}),
            None => {
                json!({"id": format!("jiebang-organisation-{id}"), "name": format!("organisation {id}")})
            }
        }
    }

    fn call(&self, id: &str) -> Option<&CallFacts> {
        self.calls.iter().find(|c| c.call.id.to_string() == id)
    }

    fn project(&self, id: i32) -> Option<&ProjectFacts> {
        self.projects.iter().find(|p| p.project.id == id)
    }

    /// The events of one aggregate up to `seq`.
    fn events_of(
        &self,
        kind: AggregateType,
        id: &str,
        seq: i64,
    ) -> impl Iterator<Item = &Event> + '_ {
        let id = id.to_owned();
        self.events
            .iter()
            .filter(move |e| e.seq <= seq && e.aggregate.kind == kind && e.aggregate.id == id)
    }

    /// A call's members as its events left them at `seq` (each event's operations folded in).
    fn call_doc(&self, call_id: i32, seq: i64) -> Map<String, Value> {
        let mut doc = Map::new();
        for e in self.events_of(AggregateType::Call, &call_id.to_string(), seq) {
            for op in &e.payload {
                let key = op.path.trim_start_matches('/');
                if key.contains('/') {
                    continue;
                }
                doc.insert(key.to_owned(), op.value.clone().unwrap_or(Value::Null));
            }
        }
        doc
    }

    /// A project's status at `seq`, from its events.
    fn project_status(&self, project_id: i32, seq: i64) -> Option<ProjectStatus> {
        self.events_of(AggregateType::Project, &project_id.to_string(), seq)
            .filter_map(|e| e.status_change().1.and_then(|s| s.parse().ok()))
            .last()
    }

    /// The `seq` of an aggregate's event of `kind`, if any.
    fn seq_of(&self, kind: AggregateType, id: i32, event: &str) -> Option<i64> {
        let id = id.to_string();
        self.events
            .iter()
            .find(|e| e.aggregate.kind == kind && e.aggregate.id == id && e.kind == event)
            .map(|e| e.seq)
    }

    /// Every release of the process, in log order.
    pub fn releases(&self, publisher: &Publisher) -> Vec<Release> {
        let ocid = self.ocid(publisher);
        let mut out = Vec::new();
        let mut implementation_seen = false;
        for e in &self.events {
            let Some((stage, tag)) = self.classify(e, &mut implementation_seen) else {
                continue;
            };
            let json = self.release(publisher, &ocid, e, stage, tag);
            out.push(Release {
                seq: e.seq,
                ocid: ocid.clone(),
                json,
            });
        }
        out
    }

    /// The record: every release and the compiled release.
    pub fn record(&self, publisher: &Publisher) -> Value {
        let ocid = self.ocid(publisher);
        let releases: Vec<Value> = self
            .releases(publisher)
            .into_iter()
            .map(|r| r.json)
            .collect();
        let compiled = merge::compile(&ocid, &releases);
        json!({"ocid": ocid, "releases": releases, "compiledRelease": compiled})
    }

    /// Which stage and tag an event publishes, if any.
    fn classify(&self, e: &Event, implementation_seen: &mut bool) -> Option<(Stage, &'static str)> {
        let id = e.aggregate.id.as_str();
        match e.aggregate.kind {
            AggregateType::List
                if e.kind == "publish"
                    && e.version == self.item.list_version
                    && id == self.item.year.to_string() =>
            {
                Some((Stage::Planning, "planning"))
            }
            AggregateType::Call if self.call(id).is_some() => match e.kind.as_str() {
                "announce" => Some((Stage::Tender, "tender")),
                "window_opened" | "window_closed" | "open_bids" | "declare_unsuccessful" => {
                    Some((Stage::Tender, "tenderUpdate"))
                }
                "cancel" => Some((Stage::Tender, "tenderCancellation")),
                "award" => Some((Stage::Award, "award")),
                "uphold_objection" => Some((Stage::Award, "awardCancellation")),
                "finalize" => Some((Stage::Award, "awardUpdate")),
                _ => None,
            },
            AggregateType::Agreement if e.kind == "sign" => {
                let a = self
                    .projects
                    .iter()
                    .flat_map(|p| &p.agreements)
                    .find(|a| a.id.to_string() == id)?;
                Some((
                    Stage::Contract,
                    if a.number == 1 {
                        "contract"
                    } else {
                        "contractAmendment"
                    },
                ))
            }
            AggregateType::ProgressReport if e.kind == "file" => Some((
                Stage::Implementation,
                implementation_tag(implementation_seen),
            )),
            AggregateType::Plaque if matches!(e.kind.as_str(), "issue" | "revoke") => Some((
                Stage::Implementation,
                implementation_tag(implementation_seen),
            )),
            AggregateType::Project => {
                let action: ProjectAction = e.kind.parse().ok()?;
                if action == ProjectAction::SignAgreement {
                    return None;
                }
                Some((
                    Stage::Implementation,
                    implementation_tag(implementation_seen),
                ))
            }
            _ => None,
        }
    }

    fn release(
        &self,
        publisher: &Publisher,
        ocid: &str,
        e: &Event,
        stage: Stage,
        tag: &str,
    ) -> Value {
        let mut r = Map::new();
        r.insert("ocid".into(), Value::from(ocid));
        r.insert(
            "id".into(),
            Value::from(format!("{ocid}-{}-{}", stage.as_str(), e.seq)),
        );
        r.insert("date".into(), Value::from(date(e.at)));
        r.insert("tag".into(), json!([tag]));
        r.insert("initiationType".into(), Value::from("tender"));
        r.insert("language".into(), Value::from("zh"));
        r.insert(
            "buyer".into(),
            json!({"id": COMMISSION_ID, "name": publisher.name}),
        );
        r.insert("parties".into(), self.parties(publisher, e.seq));
        match stage {
            Stage::Planning => {
                r.insert("planning".into(), self.planning());
            }
            Stage::Tender | Stage::Award => {
                if let Some(c) = self.call(&e.aggregate.id) {
                    r.insert("tender".into(), self.tender(publisher, c, e.seq));
                    if stage == Stage::Award {
                        r.insert(
                            "awards".into(),
                            Value::Array(self.awards(ocid, c, e.seq, e.at)),
                        );
                    }
                }
            }
            Stage::Contract | Stage::Implementation => {
                let project_id = match e.aggregate.kind {
                    AggregateType::Project => e.aggregate.id.parse().ok(),
                    _ => e
                        .parent
                        .as_ref()
                        .filter(|p| p.kind == AggregateType::Project)
                        .and_then(|p| p.id.parse().ok()),
                };
                if let Some(p) = project_id.and_then(|id| self.project(id)) {
                    let c = if stage == Stage::Contract {
                        self.contract(ocid, p, e.seq)
                    } else {
                        self.implementation(ocid, p, e.seq)
                    };
                    r.insert("contracts".into(), Value::Array(c.into_iter().collect()));
                }
            }
        }
        Value::Object(r)
    }

    /// The parties known at `seq`: the commission; bidders once their call is opened; winners.
    fn parties(&self, publisher: &Publisher, seq: i64) -> Value {
        let mut commission_roles = vec!["buyer", "procuringEntity"];
        let mut roles: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
        for c in &self.calls {
            let doc = self.call_doc(c.call.id, seq);
            if doc.is_empty() {
                continue;
            }
            if doc.get("opened_at").is_some_and(|v| !v.is_null()) {
                for b in &c.bids {
                    roles.entry(b.organisation_id).or_default().push("tenderer");
                }
            }
            let awarded = self
                .events_of(AggregateType::Call, &c.call.id.to_string(), seq)
                .any(|e| e.kind == "award");
            if awarded && !commission_roles.contains(&"reviewBody") {
                // The commission answers the objections to an award (招标投标法实施条例 Art. 54).
                commission_roles.push("reviewBody");
            }
            // The winners of the award standing at `seq` (a cancelled one names no supplier).
            let standing = self
                .award_events(c, seq)
                .into_iter()
                .last()
                .filter(|(s, _)| {
                    !self
                        .events_of(AggregateType::Call, &c.call.id.to_string(), seq)
                        .any(|e| e.seq > *s && e.kind == "uphold_objection")
                });
            if let Some((_, bid_ids)) = standing {
                for b in c.bids.iter().filter(|b| bid_ids.contains(&b.id)) {
                    let r = roles.entry(b.organisation_id).or_default();
                    if !r.contains(&"supplier") {
                        r.push("supplier");
                    }
                }
            }
        }
        let mut out = vec![json!({
            "id": COMMISSION_ID,
            "name": publisher.name,
            "roles": commission_roles,
        })];
        for (id, roles) in roles {
            let mut party = self.org_ref(id);
            if let (Some(o), Some(m)) = (self.orgs.get(&id), party.as_object_mut()) {
                m.insert(
                    "identifier".into(),
                    json!({"scheme": ORG_SCHEME, "id": o.uscc, "legalName": o.name}),
                );
                m.insert("roles".into(), json!(roles));
            }
            out.push(party);
        }
        Value::Array(out)
    }

    fn planning(&self) -> Value {
        let i = &self.item;
        let mut budget = Map::new();
        budget.insert("id".into(), Value::from(format!("P-{}", i.proposal_id)));
        budget.insert(
            "description".into(),
            Value::from("建设方案：资金筹措及投资估算（总体经费支出概算）"),
        );
        if let Some(total) = i.plan_total {
            budget.insert("amount".into(), value(total));
        }
        budget.insert("project".into(), Value::from(i.direction.clone()));
        budget.insert(
            "projectID".into(),
            Value::from(format!("P-{}", i.proposal_id)),
        );
        let sources: Vec<Value> = i
            .plan_sources
            .iter()
            .map(|(s, a)| {
                let mut m = Map::new();
                m.insert("source".into(), Value::from(s.clone()));
                if let Some(a) = a {
                    m.insert("amount".into(), value(*a));
                }
                Value::Object(m)
            })
            .collect();
        budget.insert("fundingSources".into(), Value::Array(sources));
        let mut rationale = format!(
            "{}年揭榜挂帅行业产业大脑建设榜单第{}名（榜单第{}版）：{}",
            i.year, i.rank, i.list_version, i.direction
        );
        if let Some(goal) = &i.goal {
            rationale.push_str("。建设目标：");
            rationale.push_str(goal);
        }
        let mut list_item = Map::new();
        list_item.insert("id".into(), Value::from(i.id));
        list_item.insert("rank".into(), Value::from(i.rank));
        list_item.insert("listVersion".into(), Value::from(i.list_version));
        list_item.insert("districtCode".into(), Value::from(i.district_code.clone()));
        if let Some(c) = &i.cluster_code {
            list_item.insert("clusterCode".into(), Value::from(c.clone()));
        }
        list_item.insert(
            "selectionPoints".into(),
            Value::from(format!("{}.{:04}", i.total / 10_000, i.total % 10_000)),
        );
        json!({"rationale": rationale, "budget": budget, "listItem": list_item})
    }

    fn tender(&self, publisher: &Publisher, c: &CallFacts, seq: i64) -> Value {
        let call = &c.call;
        let doc = self.call_doc(call.id, seq);
        let status = doc
            .get("status")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<CallStatus>().ok())
            .unwrap_or(CallStatus::Announced);
        let mut t = Map::new();
        t.insert("id".into(), Value::from(format!("call-{}", call.id)));
        t.insert("title".into(), Value::from(self.item.direction.clone()));
        t.insert("description".into(), Value::from(call.requirements.clone()));
        t.insert("status".into(), Value::from(tender_status(status)));
        t.insert(
            "procuringEntity".into(),
            json!({"id": COMMISSION_ID, "name": publisher.name}),
        );
        t.insert("procurementMethod".into(), Value::from("open"));
        t.insert(
            "procurementMethodDetails".into(),
            Value::from("揭榜挂帅（unveil the list and take command）"),
        );
        t.insert("mainProcurementCategory".into(), Value::from("services"));
        t.insert("awardCriteria".into(), Value::from("ratedCriteria"));
        t.insert(
            "awardCriteriaDetails".into(),
            Value::from(
                call.rubric
                    .iter()
                    .map(|r| {
                        format!(
                            "{}：权重{}%，满分{}分",
                            r.criterion,
                            r.weight,
                            hundredths_text(r.max_points)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
        );
        t.insert(
            "eligibilityCriteria".into(),
            Value::from(eligibility_text(&call.eligibility)),
        );
        t.insert(
            "tenderPeriod".into(),
            json!({"startDate": date(call.opens_at), "endDate": date(call.closes_at)}),
        );
        if !matches!(status, CallStatus::Announced | CallStatus::Open) {
            // After the close the count is public; who bid stays sealed until the opening.
            let n = c
                .bids
                .iter()
                .filter(|b| b.received_at <= call.closes_at)
                .count();
            t.insert("numberOfTenderers".into(), Value::from(n));
        }
        if doc.get("opened_at").is_some_and(|v| !v.is_null()) {
            t.insert(
                "tenderers".into(),
                Value::Array(
                    c.bids
                        .iter()
                        .map(|b| self.org_ref(b.organisation_id))
                        .collect(),
                ),
            );
        }
        t.insert(
            "rubric".into(),
            Value::Array(
                call.rubric
                    .iter()
                    .map(|r| {
                        json!({
                            "criterion": r.criterion,
                            "weight": r.weight,
                            "maxPoints": hundredths_text(r.max_points),
                        })
                    })
                    .collect(),
            ),
        );
        t.insert("winners".into(), Value::from(call.winners));
        t.insert("noticeDays".into(), Value::from(call.notice_days));
        Value::Object(t)
    }

    /// The call's award events up to `seq`: each one's `seq` and winning bids.
    fn award_events(&self, c: &CallFacts, seq: i64) -> Vec<(i64, Vec<i32>)> {
        self.events_of(AggregateType::Call, &c.call.id.to_string(), seq)
            .filter(|e| e.kind == "award")
            .map(|e| (e.seq, award_bids(e)))
            .collect()
    }

    /// The awards as they stood at `seq`: one per winning bid of each proposal, pending while in
    /// notice, cancelled by an upheld objection, active once final (with the winning budget).
    fn awards(&self, ocid: &str, c: &CallFacts, seq: i64, at: DateTime<Utc>) -> Vec<Value> {
        let mut out = Vec::new();
        let events: Vec<&Event> = self
            .events_of(AggregateType::Call, &c.call.id.to_string(), seq)
            .collect();
        for (i, e) in events.iter().enumerate() {
            if e.kind != "award" {
                continue;
            }
            let doc = self.call_doc(c.call.id, e.seq);
            let later = &events[i + 1..];
            let next_award = later.iter().position(|x| x.kind == "award");
            let until = next_award.map_or(later, |n| &later[..n]);
            let status = if until.iter().any(|x| x.kind == "uphold_objection") {
                "cancelled"
            } else if until.iter().any(|x| x.kind == "finalize") {
                "active"
            } else {
                "pending"
            };
            let note = doc
                .get("award")
                .and_then(|a| a.get("note"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let start = doc.get("notice_started_at").cloned().unwrap_or(Value::Null);
            let end = doc.get("notice_ends_at").cloned().unwrap_or(Value::Null);
            let parse = |v: &Value| {
                v.as_str()
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.with_timezone(&Utc))
            };
            let (start, end) = (parse(&start), parse(&end));
            let objections = c
                .objections
                .iter()
                .filter(|o| start.is_none_or(|s| **o >= s) && **o <= at)
                .count();
            let bid_ids = award_bids(e);
            for b in c.bids.iter().filter(|b| bid_ids.contains(&b.id)) {
                let mut a = Map::new();
                a.insert("id".into(), Value::from(award_id(ocid, e.seq, b.id)));
                a.insert("title".into(), Value::from(self.item.direction.clone()));
                a.insert("description".into(), Value::from(note.clone()));
                a.insert("status".into(), Value::from(status));
                a.insert("date".into(), Value::from(date(e.at)));
                if status == "active" {
                    if let Some(m) = b.budget {
                        a.insert("value".into(), value(m));
                    }
                }
                a.insert(
                    "suppliers".into(),
                    Value::Array(vec![self.org_ref(b.organisation_id)]),
                );
                let mut notice = Map::new();
                if let Some(s) = start {
                    notice.insert("startDate".into(), Value::from(date(s)));
                }
                if let Some(x) = end {
                    notice.insert("endDate".into(), Value::from(date(x)));
                }
                a.insert("noticePeriod".into(), Value::Object(notice));
                a.insert("objectionCount".into(), Value::from(objections));
                out.push(Value::Object(a));
            }
        }
        out
    }

    /// The agreements signed by `seq`, by their signing.
    fn signed<'a>(&self, p: &'a ProjectFacts, seq: i64) -> Vec<(i64, &'a Agreement)> {
        let mut v: Vec<(i64, &'a Agreement)> = p
            .agreements
            .iter()
            .filter_map(|a| {
                self.seq_of(AggregateType::Agreement, a.id, "sign")
                    .filter(|s| *s <= seq)
                    .map(|s| (s, a))
            })
            .collect();
        v.sort_by_key(|(s, _)| *s);
        v
    }

    fn contract_status(&self, p: &ProjectFacts, seq: i64) -> &'static str {
        match self.project_status(p.project.id, seq) {
            Some(ProjectStatus::Accepted | ProjectStatus::Failed) => "terminated",
            _ => "active",
        }
    }

    fn contract(&self, ocid: &str, p: &ProjectFacts, seq: i64) -> Option<Value> {
        let signed = self.signed(p, seq);
        let (_, first) = signed.first()?;
        let (_, in_force) = signed.last()?;
        let mut c = Map::new();
        c.insert("id".into(), Value::from(contract_id(ocid, p.project.id)));
        if let Some(award) = self.award_of(ocid, p, seq) {
            c.insert("awardID".into(), Value::from(award));
        }
        c.insert("title".into(), Value::from(p.project.name.clone()));
        c.insert(
            "description".into(),
            Value::from("任务书（批复文件）：建设内容、考核指标、资金与里程碑"),
        );
        c.insert("status".into(), Value::from(self.contract_status(p, seq)));
        let mut period = Map::new();
        if let Some(s) = first.signed_at {
            period.insert("startDate".into(), Value::from(date(s)));
            c.insert("dateSigned".into(), Value::from(date(s)));
        }
        period.insert(
            "endDate".into(),
            Value::from(end_of(in_force.content.completion_date)),
        );
        c.insert("period".into(), Value::Object(period));
        if let Some(total) = in_force.content.total() {
            c.insert("value".into(), value(total));
        }
        c.insert(
            "milestones".into(),
            Value::Array(
                in_force
                    .content
                    .milestones
                    .iter()
                    .map(|m| {
                        json!({"id": m.key, "title": m.name, "type": "delivery",
                               "dueDate": end_of(m.due), "status": "scheduled"})
                    })
                    .collect(),
            ),
        );
        let amendments: Vec<Value> = signed
            .iter()
            .filter(|(_, a)| a.number > 1)
            .map(|(_, a)| {
                let mut m = Map::new();
                m.insert("id".into(), Value::from(format!("amendment-{}", a.number)));
                if let Some(s) = a.signed_at {
                    m.insert("date".into(), Value::from(date(s)));
                }
                if let Some(r) = &a.reason {
                    m.insert("rationale".into(), Value::from(r.clone()));
                }
                Value::Object(m)
            })
            .collect();
        if !amendments.is_empty() {
            c.insert("amendments".into(), Value::Array(amendments));
        }
        Some(Value::Object(c))
    }

    /// The award the project's bid won (the latest proposal naming it).
    fn award_of(&self, ocid: &str, p: &ProjectFacts, seq: i64) -> Option<String> {
        let c = self.calls.iter().find(|c| c.call.id == p.project.call_id)?;
        self.award_events(c, seq)
            .into_iter()
            .rev()
            .find(|(_, bids)| bids.contains(&p.project.bid_id))
            .map(|(s, _)| award_id(ocid, s, p.project.bid_id))
    }

    fn implementation(&self, ocid: &str, p: &ProjectFacts, seq: i64) -> Option<Value> {
        let signed = self.signed(p, seq);
        let (_, in_force) = signed.last()?;
        let reports: Vec<&ProgressReport> = {
            let mut r: Vec<&ProgressReport> = p
                .reports
                .iter()
                .filter(|r| {
                    self.seq_of(AggregateType::ProgressReport, r.id, "file")
                        .is_some_and(|s| s <= seq)
                })
                .collect();
            r.sort_by_key(|r| (r.period, r.filed_at));
            r
        };
        let latest = reports.last();
        let mut milestones: Vec<Value> = in_force
            .content
            .milestones
            .iter()
            .map(|m| {
                let status = latest
                    .and_then(|r| r.content.milestones.iter().find(|x| x.key == m.key))
                    .map_or(MilestoneStatus::Scheduled, |x| x.status);
                let mut v = Map::new();
                v.insert("id".into(), Value::from(m.key.clone()));
                v.insert("title".into(), Value::from(m.name.clone()));
                v.insert("type".into(), Value::from("delivery"));
                v.insert("dueDate".into(), Value::from(end_of(m.due)));
                v.insert("status".into(), Value::from(milestone_status(status)));
                if let Some(r) = latest {
                    v.insert("dateModified".into(), Value::from(date(r.filed_at)));
                }
                Value::Object(v)
            })
            .collect();
        let status = self.project_status(p.project.id, seq);
        let completed = matches!(
            status,
            Some(
                ProjectStatus::Completed
                    | ProjectStatus::AcceptanceRequested
                    | ProjectStatus::UnderAcceptance
                    | ProjectStatus::Rectifying
                    | ProjectStatus::Accepted
                    | ProjectStatus::Failed
            )
        );
        let mut done = json!({"id": "completion", "title": "建成", "type": "delivery",
            "dueDate": end_of(in_force.content.completion_date),
            "status": if completed { "met" } else { "scheduled" }});
        if let (true, Some(d), Some(m)) = (completed, p.project.completed_on, done.as_object_mut())
        {
            m.insert(
                "dateMet".into(),
                Value::from(day_at(d, NaiveTime::default())),
            );
        }
        milestones.push(done);
        milestones.push(
            json!({"id": "acceptance", "title": "验收", "type": "assessment",
            "status": match status {
                Some(ProjectStatus::Accepted) => "met",
                Some(ProjectStatus::Failed) => "notMet",
                _ => "scheduled",
            }}),
        );
        // The plaque (授牌): issued on acceptance, revoked after a failed annual evaluation.
        let plaque = self.events.iter().rev().find(|e| {
            e.seq <= seq
                && e.aggregate.kind == AggregateType::Plaque
                && e.parent.as_ref().is_some_and(|x| {
                    x.kind == AggregateType::Project && x.id == p.project.id.to_string()
                })
                && matches!(e.kind.as_str(), "issue" | "revoke")
        });
        let mut m = json!({"id": "plaque", "title": "授牌", "type": "approval",
        "status": match plaque.map(|e| e.kind.as_str()) {
            Some("issue") => "met",
            Some(_) => "notMet",
            None => "scheduled",
        }});
        if let (Some(e), Some(o)) = (plaque, m.as_object_mut()) {
            let key = if e.kind == "issue" {
                "dateMet"
            } else {
                "dateModified"
            };
            o.insert(key.into(), Value::from(date(e.at)));
            if e.kind == "revoke" {
                o.insert("description".into(), Value::from("牌匾已撤销（revoked）"));
            }
        }
        milestones.push(m);
        // Spend is reported to date per funding source: each report's increase is a transaction.
        let mut so_far: BTreeMap<&str, i64> = BTreeMap::new();
        let mut transactions = Vec::new();
        for r in &reports {
            for (i, line) in r.content.spend.iter().enumerate() {
                let before = so_far
                    .insert(&line.source, line.amount.hundredths())
                    .unwrap_or(0);
                let delta = line.amount.hundredths() - before;
                if let (true, Ok(m)) = (delta > 0, Money::from_hundredths(delta)) {
                    transactions.push(json!({
                        "id": format!("report-{}-{}", r.id, i + 1),
                        "date": date(r.filed_at),
                        "value": value(m),
                        "payee": self.org_ref(p.project.organisation_id),
                        "fundingSource": line.source,
                    }));
                }
            }
        }
        let mut c = json!({
            "id": contract_id(ocid, p.project.id),
            "status": self.contract_status(p, seq),
            "implementation": {"milestones": milestones, "transactions": transactions},
        });
        if let (Some(award), Some(m)) = (self.award_of(ocid, p, seq), c.as_object_mut()) {
            m.insert("awardID".into(), Value::from(award));
        }
        Some(c)
    }
}

/// The bids an `award` event proposes, from its `/award` operation.
fn award_bids(e: &Event) -> Vec<i32> {
    e.payload
        .iter()
        .find(|o| o.path == "/award")
        .and_then(|o| o.value.as_ref())
        .and_then(|v| v.get("bid_ids"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_i64().and_then(|x| i32::try_from(x).ok()))
                .collect()
        })
        .unwrap_or_default()
}

fn implementation_tag(seen: &mut bool) -> &'static str {
    if std::mem::replace(seen, true) {
        "implementationUpdate"
    } else {
        "implementation"
    }
}

fn award_id(ocid: &str, seq: i64, bid: i32) -> String {
    format!("{ocid}-award-{seq}-{bid}")
}

fn contract_id(ocid: &str, project: i32) -> String {
    format!("{ocid}-contract-{project}")
}

/// The tender status codelist's value for a call's status.
pub fn tender_status(s: CallStatus) -> &'static str {
    match s {
        CallStatus::Announced
        | CallStatus::Open
        | CallStatus::Closed
        | CallStatus::Opened
        | CallStatus::UnderReview
        | CallStatus::Notice => "active",
        CallStatus::Awarded => "complete",
        CallStatus::Unsuccessful => "unsuccessful",
        CallStatus::Cancelled => "cancelled",
    }
}

/// The milestone status codelist's value.
pub fn milestone_status(s: MilestoneStatus) -> &'static str {
    match s {
        MilestoneStatus::Scheduled => "scheduled",
        MilestoneStatus::Met => "met",
        MilestoneStatus::PartiallyMet => "partiallyMet",
        MilestoneStatus::NotMet => "notMet",
    }
}

fn eligibility_text(e: &Eligibility) -> String {
    let mut parts = Vec::new();
    if e.registered_in_chongqing {
        parts.push("在重庆市区县（含两江新区、西部科学城重庆高新区、万盛经开区）注册".to_owned());
    }
    if let Some(m) = e.min_registered_capital {
        parts.push(format!("注册资本不低于{m}万元"));
    }
    if e.no_earlier_award {
        parts.push("本轮未获其他揭榜项目".to_owned());
    }
    if parts.is_empty() {
        "不限".to_owned()
    } else {
        parts.join("；")
    }
}

#[cfg(test)]
mod tests;
