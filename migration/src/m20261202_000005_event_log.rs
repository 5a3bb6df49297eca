//! One append-only, hash-chained event log for every aggregate. The per-kind history tables
//! (`proposal_event`, `call_event`) are carried into it in time order and dropped.

use std::collections::HashMap;

use entity::event;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{
    ActiveValue::Set, ConnectionTrait, EntityTrait, QueryResult, Statement,
};
use serde_json::{json, Value};

#[derive(DeriveMigrationName)]
pub struct Migration;

type Time = chrono::DateTime<chrono::Utc>;

fn col(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).to_owned()
}

fn get<T: sea_orm_migration::sea_orm::TryGetable>(row: &QueryResult, c: &str) -> Result<T, DbErr> {
    row.try_get::<T>("", c)
}

/// A row of an old history table turned into an event, before it has its place in the chain.
struct Pending {
    at: Time,
    /// Old table (0 proposal_event, 1 call_event) and row id: the tie-break within one instant.
    source: (u8, i32),
    aggregate_type: String,
    aggregate_id: String,
    parent: Option<(String, String)>,
    actor_id: i32,
    actor_role: String,
    kind: String,
    reason: Option<String>,
    payload: Value,
    visibility: &'static str,
    /// The version the old table recorded (proposals); others are counted.
    version: Option<i32>,
}

fn status_op(from: Option<String>, to: Option<String>) -> Option<Value> {
    match (from, to) {
        (None, Some(to)) => Some(json!({"op": "add", "path": "/status", "value": to})),
        (Some(from), Some(to)) if from != to => {
            Some(json!({"op": "replace", "path": "/status", "value": to, "old": from}))
        }
        _ => None,
    }
}

/// Each member of an old `details` object becomes an `add` of that member.
fn detail_ops(details: &Value) -> Vec<Value> {
    details
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| json!({"op": "add", "path": format!("/{k}"), "value": v}))
                .collect()
        })
        .unwrap_or_default()
}

async fn old_proposal_events(db: &SchemaManagerConnection<'_>) -> Result<Vec<Pending>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all(Statement::from_string(
            backend,
            "SELECT id, proposal_id, version, actor_id, actor_role, at, action, from_status, \
             to_status, changes, note FROM proposal_event ORDER BY id",
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let action: String = get(&r, "action")?;
        let mut ops: Vec<Value> = status_op(get(&r, "from_status")?, get(&r, "to_status")?)
            .into_iter()
            .collect();
        let changes: Value = get(&r, "changes")?;
        ops.extend(changes.as_array().cloned().unwrap_or_default());
        let proposal_id: i32 = get(&r, "proposal_id")?;
        out.push(Pending {
            at: get(&r, "at")?,
            source: (0, get(&r, "id")?),
            aggregate_type: "proposal".into(),
            aggregate_id: proposal_id.to_string(),
            parent: None,
            actor_id: get(&r, "actor_id")?,
            actor_role: get(&r, "actor_role")?,
            visibility: if matches!(action.as_str(), "list" | "not_list") {
                "public"
            } else {
                "party"
            },
            kind: action,
            reason: get(&r, "note")?,
            payload: Value::Array(ops),
            version: Some(get(&r, "version")?),
        });
    }
    Ok(out)
}

async fn lookup_id(
    db: &SchemaManagerConnection<'_>,
    sql: &str,
    values: Vec<sea_orm_migration::sea_orm::Value>,
) -> Result<Option<i32>, DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    row.map(|r| get::<i32>(&r, "id")).transpose()
}

async fn old_call_events(db: &SchemaManagerConnection<'_>) -> Result<Vec<Pending>, DbErr> {
    let backend = db.get_database_backend();
    let pg = backend == sea_orm_migration::sea_orm::DatabaseBackend::Postgres;
    let p = |i: usize| if pg { format!("${i}") } else { "?".to_owned() };
    let rows = db
        .query_all(Statement::from_string(
            backend,
            "SELECT id, call_id, bid_id, actor_id, actor_role, at, action, from_status, \
             to_status, note, details FROM call_event ORDER BY id",
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let call_id: i32 = get(&r, "call_id")?;
        let bid_id: Option<i32> = get(&r, "bid_id")?;
        let actor_id: i32 = get(&r, "actor_id")?;
        let action: String = get(&r, "action")?;
        let details: Value = get(&r, "details")?;
        let note: Option<String> = get(&r, "note")?;
        let mut ops: Vec<Value> = status_op(get(&r, "from_status")?, get(&r, "to_status")?)
            .into_iter()
            .collect();
        ops.extend(detail_ops(&details));
        let call = call_id.to_string();
        let (aggregate_type, aggregate_id, visibility) = match action.as_str() {
            "bid_received" | "bid_replaced" => (
                "bid",
                bid_id.map_or_else(|| call.clone(), |b| b.to_string()),
                "sealed",
            ),
            "scored" => {
                let sheet = match bid_id {
                    Some(b) => {
                        lookup_id(
                            db,
                            &format!(
                                "SELECT id FROM expert_score WHERE bid_id = {} AND expert_id = {}",
                                p(1),
                                p(2)
                            ),
                            vec![b.into(), actor_id.into()],
                        )
                        .await?
                    }
                    None => None,
                };
                (
                    "score_sheet",
                    sheet.map_or_else(|| call.clone(), |s| s.to_string()),
                    "commission",
                )
            }
            "panel" => ("panel", call.clone(), "commission"),
            "conflict_declared" => {
                let id = lookup_id(
                    db,
                    &format!(
                        "SELECT id FROM conflict WHERE call_id = {} AND expert_id = {} ORDER BY id",
                        p(1),
                        p(2)
                    ),
                    vec![call_id.into(), actor_id.into()],
                )
                .await?;
                (
                    "conflict",
                    id.map_or_else(|| call.clone(), |c| c.to_string()),
                    "commission",
                )
            }
            "objection" | "objection_answered" => (
                "objection",
                details
                    .get("objection_id")
                    .and_then(Value::as_i64)
                    .map_or_else(|| call.clone(), |o| o.to_string()),
                "party",
            ),
            _ => ("call", call.clone(), "public"),
        };
        let parent = (aggregate_type != "call").then(|| ("call".to_owned(), call.clone()));
        out.push(Pending {
            at: get(&r, "at")?,
            source: (1, get(&r, "id")?),
            aggregate_type: aggregate_type.into(),
            aggregate_id,
            parent,
            actor_id,
            actor_role: get(&r, "actor_role")?,
            kind: action,
            reason: note,
            payload: Value::Array(ops),
            visibility,
            version: None,
        });
    }
    Ok(out)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("event"))
                    .col(col("seq").big_integer().not_null().primary_key())
                    .col(col("aggregate_type").text().not_null())
                    .col(col("aggregate_id").text().not_null())
                    .col(col("aggregate_version").integer().not_null())
                    .col(col("parent_type").text().null())
                    .col(col("parent_id").text().null())
                    .col(col("actor_id").integer().null())
                    .col(col("actor_role").text().not_null())
                    .col(col("at").timestamp_with_time_zone().not_null())
                    .col(col("kind").text().not_null())
                    .col(col("reason").text().null())
                    .col(col("payload").json().not_null())
                    .col(col("visibility").text().not_null())
                    .col(col("prev_hash").text().not_null())
                    .col(col("hash").text().not_null())
                    .to_owned(),
            )
            .await?;
        // One event per aggregate version: a second writer of the same version fails here too.
        manager
            .create_index(
                Index::create()
                    .name("ux_event_aggregate_version")
                    .table(Alias::new("event"))
                    .col(Alias::new("aggregate_type"))
                    .col(Alias::new("aggregate_id"))
                    .col(Alias::new("aggregate_version"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_parent")
                    .table(Alias::new("event"))
                    .col(Alias::new("parent_type"))
                    .col(Alias::new("parent_id"))
                    .col(Alias::new("seq"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("event_head"))
                    .col(col("id").integer().not_null().primary_key())
                    .col(col("seq").big_integer().not_null())
                    .col(col("hash").text().not_null())
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        let mut pending = old_proposal_events(db).await?;
        pending.extend(old_call_events(db).await?);
        pending.sort_by(|a, b| a.at.cmp(&b.at).then(a.source.cmp(&b.source)));
        let mut versions: HashMap<(String, String), i32> = HashMap::new();
        let mut prev = event::GENESIS.to_owned();
        let mut seq = 0i64;
        for p in pending {
            seq += 1;
            let counted = versions
                .entry((p.aggregate_type.clone(), p.aggregate_id.clone()))
                .or_insert(0);
            *counted += 1;
            let mut m = event::Model {
                seq,
                aggregate_version: p.version.unwrap_or(*counted),
                aggregate_type: p.aggregate_type,
                aggregate_id: p.aggregate_id,
                parent_type: p.parent.as_ref().map(|x| x.0.clone()),
                parent_id: p.parent.map(|x| x.1),
                actor_id: Some(p.actor_id),
                actor_role: p.actor_role,
                at: chrono::DurationRound::duration_trunc(p.at, chrono::Duration::microseconds(1))
                    .unwrap_or(p.at),
                kind: p.kind,
                reason: p.reason,
                payload: p.payload,
                visibility: p.visibility.to_owned(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            m.hash = event::expected_hash(&m, &prev)
                .map_err(|e| DbErr::Custom(format!("hashing event {seq}: {e}")))?
                .ok_or_else(|| DbErr::Custom("a bad previous hash".into()))?;
            prev = m.hash.clone();
            event::Entity::insert(event::ActiveModel::from(m))
                .exec_without_returning(db)
                .await?;
        }
        entity::event_head::Entity::insert(entity::event_head::ActiveModel {
            id: Set(1),
            seq: Set(seq),
            hash: Set(prev),
        })
        .exec_without_returning(db)
        .await?;
        for t in ["proposal_event", "call_event"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The old tables come back empty of what they never held (rounds, users, reference
        // data); proposal and call histories are copied back.
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("proposal_event"))
                    .col(
                        col("id")
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(col("proposal_id").integer().not_null())
                    .col(col("version").integer().not_null())
                    .col(col("actor_id").integer().not_null())
                    .col(col("actor_role").string().not_null())
                    .col(col("at").timestamp_with_time_zone().not_null())
                    .col(col("action").string().not_null())
                    .col(col("from_status").string().null())
                    .col(col("to_status").string().not_null())
                    .col(col("changes").json().not_null())
                    .col(col("note").text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("call_event"))
                    .col(
                        col("id")
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(col("call_id").integer().not_null())
                    .col(col("bid_id").integer().null())
                    .col(col("actor_id").integer().not_null())
                    .col(col("actor_role").text().not_null())
                    .col(col("at").timestamp_with_time_zone().not_null())
                    .col(col("action").text().not_null())
                    .col(col("from_status").text().null())
                    .col(col("to_status").text().null())
                    .col(col("note").text().null())
                    .col(col("details").json().not_null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let events = event::Entity::find().all(db).await?;
        let mut status: HashMap<(String, String), String> = HashMap::new();
        for e in events {
            let ops = e.payload.as_array().cloned().unwrap_or_default();
            let key = (e.aggregate_type.clone(), e.aggregate_id.clone());
            let from = status.get(&key).cloned();
            let to = ops
                .iter()
                .find(|o| o["path"] == "/status")
                .and_then(|o| o["value"].as_str().map(str::to_owned));
            if let Some(t) = &to {
                status.insert(key.clone(), t.clone());
            }
            let rest: Vec<Value> = ops.into_iter().filter(|o| o["path"] != "/status").collect();
            let actor = e.actor_id.unwrap_or(0);
            let backend = db.get_database_backend();
            if e.aggregate_type == "proposal" {
                let to = to.or(from.clone()).unwrap_or_default();
                let q = Query::insert()
                    .into_table(Alias::new("proposal_event"))
                    .columns(
                        [
                            "proposal_id",
                            "version",
                            "actor_id",
                            "actor_role",
                            "at",
                            "action",
                            "from_status",
                            "to_status",
                            "changes",
                            "note",
                        ]
                        .map(Alias::new),
                    )
                    .values_panic([
                        e.aggregate_id.parse::<i32>().unwrap_or(0).into(),
                        e.aggregate_version.into(),
                        actor.into(),
                        e.actor_role.into(),
                        e.at.into(),
                        e.kind.into(),
                        from.into(),
                        to.into(),
                        Value::Array(rest).into(),
                        e.reason.into(),
                    ])
                    .to_owned();
                db.execute(backend.build(&q)).await?;
            } else {
                let call = if e.aggregate_type == "call" {
                    Some(e.aggregate_id.clone())
                } else {
                    e.parent_id.clone()
                };
                let Some(call) = call.and_then(|c| c.parse::<i32>().ok()) else {
                    continue;
                };
                let bid = (e.aggregate_type == "bid")
                    .then(|| e.aggregate_id.parse::<i32>().ok())
                    .flatten();
                let details: serde_json::Map<String, Value> = rest
                    .iter()
                    .filter_map(|o| {
                        Some((
                            o["path"].as_str()?.trim_start_matches('/').to_owned(),
                            o["value"].clone(),
                        ))
                    })
                    .collect();
                let q = Query::insert()
                    .into_table(Alias::new("call_event"))
                    .columns(
                        [
                            "call_id",
                            "bid_id",
                            "actor_id",
                            "actor_role",
                            "at",
                            "action",
                            "from_status",
                            "to_status",
                            "note",
                            "details",
                        ]
                        .map(Alias::new),
                    )
                    .values_panic([
                        call.into(),
                        bid.into(),
                        actor.into(),
                        e.actor_role.into(),
                        e.at.into(),
                        e.kind.into(),
                        to.as_ref().and(from).into(),
                        to.into(),
                        e.reason.into(),
                        Value::Object(details).into(),
                    ])
                    .to_owned();
                db.execute(backend.build(&q)).await?;
            }
        }
        for t in ["event", "event_head"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
