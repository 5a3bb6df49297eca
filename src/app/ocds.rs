//! The OCDS 1.1 export: release packages (paged by a log cursor), record packages with their
//! compiled release, and every release of a year as JSON Lines, streamed a process at a time.
//!
//! Public data only, whoever asks: the releases are built (`domain::ocds`) from the log's public
//! events about each process and from the facts as they stood at each event. Progress reports
//! are the one exception to "public events only": the implementation stage publishes each
//! report's milestone statuses and spend (never its narrative, risks or targets), as the issue
//! asks of an OCDS implementation stage.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::stream::{self, Stream};
use serde_json::{json, Value};

use crate::domain::award::Award;
use crate::domain::call::CallStatus;
use crate::domain::event::{AggregateRef, AggregateType, Event, Visibility};
use crate::domain::ocds::{
    BidFacts, CallFacts, ItemFacts, Org, Process, ProjectFacts, Publisher, Release,
};
use crate::error::{ApiError, FieldError, Result};
use crate::state::AppState;
use crate::store;

/// The largest page of releases.
pub const MAX_LIMIT: u64 = 1000;

/// The publisher from the settings.
pub fn publisher(state: &AppState) -> Publisher {
    let s = &state.settings.ocds;
    Publisher {
        prefix: s.prefix.clone(),
        name: s.publisher.clone(),
        base_url: s.base_url.trim_end_matches('/').to_owned(),
    }
}

fn api_url(state: &AppState, path: &str) -> String {
    format!("{}/api/v1/ocds{path}", publisher(state).base_url)
}

/// A page of releases and the cursor after it.
#[derive(Debug, Clone)]
pub struct ReleasePage {
    /// The release package.
    pub package: Value,
    /// The cursor to resume from (a position in the event log).
    pub next: i64,
}

/// The log's head: releases are built from events up to it only, so a page never passes an
/// event still to commit (see `app::feed`).
async fn head(state: &AppState) -> Result<i64> {
    Ok(store::events::head(&state.db).await?.map_or(0, |h| h.seq))
}

/// Writes the moves time has made on the round's calls (a call past its deadline is closed in
/// the log the first time anyone reads it), so the releases tell the calls as they stand.
async fn catch_up_calls(state: &AppState, round_id: i32) -> Result<()> {
    for c in store::calls::calls_of_round(&state.db, round_id).await? {
        super::calls::catch_up(state, c).await?;
    }
    Ok(())
}

/// The list items of a round that are contracting processes: those of the list in force, and
/// those of earlier versions that had a call. Each with the list version that named it.
async fn items_of_round(
    state: &AppState,
    round_id: i32,
) -> Result<Vec<(i32, store::selections::ListItem)>> {
    let versions = store::selections::list_versions(&state.db, round_id).await?;
    let with_calls: Vec<i32> = store::calls::calls_of_round(&state.db, round_id)
        .await?
        .iter()
        .map(|c| c.list_item_id)
        .collect();
    let mut out = Vec::new();
    let last = versions.last().map(|v| v.id);
    for v in &versions {
        for item in store::selections::items(&state.db, v.id).await? {
            if Some(v.id) == last || with_calls.contains(&item.id) {
                out.push((v.version, item));
            }
        }
    }
    Ok(out)
}

/// Gathers one process's facts and events (up to `head`).
async fn process(
    state: &AppState,
    year: i32,
    round_id: i32,
    list_version: i32,
    item: store::selections::ListItem,
    head: i64,
) -> Result<Process> {
    let db = &state.db;
    let upto = |events: Vec<Event>| -> Vec<Event> {
        events.into_iter().filter(|e| e.seq <= head).collect()
    };
    let proposal = store::proposals::get(db, item.proposal_id).await?;
    let (plan_total, plan_sources, goal) = match &proposal {
        Some(p) => (
            p.plan.funding.total,
            p.plan
                .funding
                .sources
                .iter()
                .map(|s| (s.source.clone().unwrap_or_default(), s.amount))
                .collect(),
            p.plan.introduction.goal.clone(),
        ),
        None => (None, Vec::new(), None),
    };
    let mut events =
        upto(store::events::of(db, &AggregateRef::new(AggregateType::List, year)).await?);
    let mut orgs = BTreeMap::new();
    let mut calls = Vec::new();
    let mut projects = Vec::new();
    for call in store::calls::calls_of_round(db, round_id)
        .await?
        .into_iter()
        .filter(|c| c.list_item_id == item.id)
    {
        let call_events =
            upto(store::events::of(db, &AggregateRef::new(AggregateType::Call, call.id)).await?);
        let finalized = call_events.iter().any(|e| e.kind == "finalize");
        let winners: Vec<i32> = call
            .award
            .as_ref()
            .map(|a: &Award| a.bid_ids.clone())
            .unwrap_or_default();
        let mut bids = Vec::new();
        // A withdrawn bid is no tender.
        for b in store::bids::active_bids(db, call.id).await? {
            // A winning budget is public once the award is final; nothing else of a bid is read.
            let budget =
                if finalized && call.status == CallStatus::Awarded && winners.contains(&b.id) {
                    Some(super::bids::content_of(state, &b).await?.budget)
                } else {
                    None
                };
            bids.push(BidFacts {
                id: b.id,
                organisation_id: b.organisation_id,
                received_at: b.created_at,
                budget,
            });
        }
        let objections = store::objections::of_call(db, call.id)
            .await?
            .into_iter()
            .map(|o| o.submitted_at)
            .collect();
        for p in store::projects::of_call(db, call.id).await? {
            let tree = store::events::of_tree(db, &AggregateRef::new(AggregateType::Project, p.id))
                .await?;
            events.extend(upto(tree).into_iter().filter(|e| {
                e.visibility == Visibility::Public
                    || (e.aggregate.kind == AggregateType::ProgressReport && e.kind == "file")
            }));
            projects.push(ProjectFacts {
                agreements: store::projects::agreements(db, p.id).await?,
                reports: store::projects::reports(db, p.id).await?,
                project: p,
            });
        }
        events.extend(
            call_events
                .into_iter()
                .filter(|e| e.visibility == Visibility::Public),
        );
        calls.push(CallFacts {
            call,
            bids,
            objections,
        });
    }
    for id in calls
        .iter()
        .flat_map(|c| c.bids.iter().map(|b| b.organisation_id))
        .chain(projects.iter().map(|p| p.project.organisation_id))
    {
        if orgs.contains_key(&id) {
            continue;
        }
        if let Some(o) = store::organisations::find(db, id).await? {
            orgs.insert(
                id,
                Org {
                    name: o.name,
                    uscc: o.uscc,
                },
            );
        }
    }
    events.retain(|e| {
        e.visibility == Visibility::Public || e.aggregate.kind == AggregateType::ProgressReport
    });
    events.sort_by_key(|e| e.seq);
    events.dedup_by_key(|e| e.seq);
    Ok(Process {
        item: ItemFacts {
            id: item.id,
            year,
            rank: item.rank,
            direction: item.direction,
            district_code: item.district_code,
            cluster_code: item.cluster_code,
            total: item.total,
            list_version,
            proposal_id: item.proposal_id,
            plan_total,
            plan_sources,
            goal,
        },
        calls,
        projects,
        orgs,
        events,
    })
}

/// Every process of a year (none for a year without a round), its calls caught up first.
///
/// # Errors
/// Database failures.
pub async fn processes(state: &AppState, year: i32) -> Result<Vec<Process>> {
    let Some(round) = store::rounds::by_year(&state.db, year).await? else {
        return Ok(Vec::new());
    };
    catch_up_calls(state, round.id).await?;
    let head = head(state).await?;
    let mut out = Vec::new();
    for (version, item) in items_of_round(state, round.id).await? {
        out.push(process(state, year, round.id, version, item, head).await?);
    }
    Ok(out)
}

fn release_package(state: &AppState, uri: String, releases: Vec<Value>) -> Value {
    let mut p = publisher(state).package(uri, super::now(state));
    p.insert("releases".into(), Value::Array(releases));
    Value::Object(p)
}

fn record_package(state: &AppState, uri: String, records: Vec<Value>) -> Value {
    let mut p = publisher(state).package(uri, super::now(state));
    p.insert("records".into(), Value::Array(records));
    Value::Object(p)
}

/// Releases after the cursor `after` (a position in the event log), in log order, up to about
/// `limit`: a page ends after a whole event (one list publication is a release per item), so a
/// page may hold a few more. Store `next` and resume from it.
///
/// # Errors
/// 422 for a cursor below 0 or a limit outside 1–1000.
#[tracing::instrument(skip_all, fields(after, limit))]
pub async fn releases(state: &AppState, after: i64, limit: u64) -> Result<ReleasePage> {
    let mut errors = Vec::new();
    if after < 0 {
        errors.push(FieldError::new("after", crate::msg!("field-zero-or-more")));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::new(
            "limit",
            crate::msg!("field-between", min = 1, max = 1000),
        ));
    }
    ApiError::check(errors)?;
    let publisher = publisher(state);
    let mut all: Vec<Release> = Vec::new();
    let mut years: Vec<i32> = store::rounds::list(&state.db)
        .await?
        .iter()
        .map(|r| r.year)
        .collect();
    years.sort_unstable();
    for r in &years {
        if let Some(round) = store::rounds::by_year(&state.db, *r).await? {
            catch_up_calls(state, round.id).await?;
        }
    }
    let head = head(state).await?;
    for year in years {
        let Some(round) = store::rounds::by_year(&state.db, year).await? else {
            continue;
        };
        for (version, item) in items_of_round(state, round.id).await? {
            let p = process(state, year, round.id, version, item, head).await?;
            all.extend(p.releases(&publisher).into_iter().filter(|r| r.seq > after));
        }
    }
    all.sort_by(|a, b| a.seq.cmp(&b.seq).then_with(|| a.ocid.cmp(&b.ocid)));
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut page = Vec::new();
    let mut next = head.max(after);
    let mut iter = all.into_iter().peekable();
    while let Some(r) = iter.next() {
        let seq = r.seq;
        page.push(r.json);
        let more_of_this_event = iter.peek().is_some_and(|n| n.seq == seq);
        if page.len() >= cap && !more_of_this_event {
            if iter.peek().is_some() {
                next = seq;
            }
            break;
        }
    }
    let uri = api_url(state, &format!("/releases?after={after}&limit={limit}"));
    let mut package = release_package(state, uri, page);
    if let Some(m) = package.as_object_mut() {
        m.insert(
            "links".into(),
            json!({"next": api_url(state, &format!("/releases?after={next}&limit={limit}"))}),
        );
    }
    Ok(ReleasePage { package, next })
}

/// The record package of one process.
///
/// # Errors
/// 404 for an ocid that names no process of this publisher.
#[tracing::instrument(skip_all, fields(ocid))]
pub async fn record(state: &AppState, ocid: &str) -> Result<Value> {
    let publisher = publisher(state);
    let not_found =
        || ApiError::NotFound(crate::msg!("not-found-contracting-process", ocid = ocid));
    let (year, item) = publisher.parse_ocid(ocid).ok_or_else(not_found)?;
    let p = processes(state, year)
        .await?
        .into_iter()
        .find(|p| p.item.id == item)
        .ok_or_else(not_found)?;
    Ok(record_package(
        state,
        api_url(state, &format!("/records/{ocid}")),
        vec![p.record(&publisher)],
    ))
}

/// The record package of every process of a year (empty for a year without one).
///
/// # Errors
/// 422 for a year outside 2000–2100.
#[tracing::instrument(skip_all, fields(year))]
pub async fn records(state: &AppState, year: i32) -> Result<Value> {
    check_year(year)?;
    let publisher = publisher(state);
    let records = processes(state, year)
        .await?
        .iter()
        .map(|p| p.record(&publisher))
        .collect();
    Ok(record_package(
        state,
        api_url(state, &format!("/records?year={year}")),
        records,
    ))
}

fn check_year(year: i32) -> Result<()> {
    ApiError::check(if (2000..=2100).contains(&year) {
        Vec::new()
    } else {
        vec![FieldError::new(
            "year",
            crate::msg!("field-between", min = 2000, max = 2100),
        )]
    })
}

/// Both packages of a year, for `jiebang ocds export`: every release, and every record.
///
/// # Errors
/// 422 for a year outside 2000–2100; database failures.
pub async fn export(state: &AppState, year: i32) -> Result<(Value, Value)> {
    check_year(year)?;
    let publisher = publisher(state);
    let processes = processes(state, year).await?;
    let mut releases: Vec<Release> = processes
        .iter()
        .flat_map(|p| p.releases(&publisher))
        .collect();
    releases.sort_by(|a, b| a.seq.cmp(&b.seq).then_with(|| a.ocid.cmp(&b.ocid)));
    let releases = release_package(
        state,
        api_url(state, &format!("/bulk?year={year}")),
        releases.into_iter().map(|r| r.json).collect(),
    );
    let records = record_package(
        state,
        api_url(state, &format!("/records?year={year}")),
        processes.iter().map(|p| p.record(&publisher)).collect(),
    );
    Ok((releases, records))
}

/// Every release of a year as JSON Lines (one release a line), produced a process at a time:
/// what is held in memory is one process's releases, never the year's.
///
/// # Errors
/// 422 for a year outside 2000–2100 (before anything is sent); a database failure later ends
/// the stream with that error.
pub async fn bulk(
    state: Arc<AppState>,
    year: i32,
) -> Result<impl Stream<Item = Result<Vec<u8>>> + 'static> {
    check_year(year)?;
    let round = store::rounds::by_year(&state.db, year).await?;
    let mut items = Vec::new();
    let mut head_seq = 0;
    if let Some(r) = &round {
        catch_up_calls(&state, r.id).await?;
        head_seq = head(&state).await?;
        items = items_of_round(&state, r.id).await?;
    }
    let round_id = round.map_or(0, |r| r.id);
    let publisher = publisher(&state);
    Ok(stream::unfold(
        (state, items.into_iter()),
        move |(state, mut items)| {
            let publisher = publisher.clone();
            async move {
                let (version, item) = items.next()?;
                let lines = process(&state, year, round_id, version, item, head_seq)
                    .await
                    .and_then(|p| {
                        let mut out = Vec::new();
                        for r in p.releases(&publisher) {
                            serde_json::to_writer(&mut out, &r.json)
                                .map_err(|e| ApiError::Unexpected(e.into()))?;
                            out.push(b'\n');
                        }
                        Ok(out)
                    });
                Some((lines, (state, items)))
            }
        },
    ))
}

/// The extension's files, compiled in from `ocds/extension/`.
const EXTENSION_JSON: &str = include_str!("../../ocds/extension/extension.json");
const EXTENSION_SCHEMA: &str = include_str!("../../ocds/extension/release-schema.json");
const EXTENSION_README: &str = include_str!("../../ocds/extension/README.md");

/// A file of the extension: `extension.json` (its documentation URL on this service),
/// `release-schema.json`, or `README.md` (as text).
///
/// # Errors
/// 404 for another name.
pub fn extension_file(state: &AppState, name: &str) -> Result<ExtensionFile> {
    let parse = |text: &str| -> Result<Value> {
        serde_json::from_str(text).map_err(|e| ApiError::Unexpected(e.into()))
    };
    match name {
        "extension.json" => {
            let mut v = parse(EXTENSION_JSON)?;
            if let Some(doc) = v.pointer_mut("/documentationUrl/en") {
                *doc = Value::from(api_url(state, "/extension/README.md"));
            }
            Ok(ExtensionFile::Json(v))
        }
        "release-schema.json" => Ok(ExtensionFile::Json(parse(EXTENSION_SCHEMA)?)),
        "README.md" => Ok(ExtensionFile::Text(EXTENSION_README)),
        _ => Err(ApiError::NotFound(crate::msg!(
            "not-found-extension-file",
            name = name
        ))),
    }
}

/// A file of the extension, as served.
#[derive(Debug, Clone)]
pub enum ExtensionFile {
    Json(Value),
    Text(&'static str),
}
