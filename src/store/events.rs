//! The event log: appending under the head row's lock (so appends are serialised, gap-free and
//! commit in `seq` order, on SQLite and PostgreSQL alike) and reading histories back, decoded.

use chrono::{DateTime, Utc};
use entity::{event, event_head};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::event::{Actor, AggregateRef, AggregateType, Event, NewEvent, Visibility};

/// Appends `events` (in order) as the work of `actor` at `at`, chaining each to the one before.
/// Call it last in a transaction, after every other write: it takes the head row's lock, which is
/// then held until commit, and no lock is taken after it (so no lock cycle can form).
///
/// # Errors
/// Database failures, and a duplicate aggregate version (another writer got there first).
pub async fn append(
    db: &impl ConnectionTrait,
    actor: Actor,
    at: DateTime<Utc>,
    events: Vec<NewEvent>,
) -> Result<Vec<i64>, DbErr> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let n = i64::try_from(events.len()).map_err(|e| DbErr::Custom(e.to_string()))?;
    // A write first: it takes the lock (SQLite's write lock, PostgreSQL's row lock) before anything
    // is read, and returns the head as it was plus our reservation.
    let head = event_head::Entity::update_many()
        .col_expr(
            event_head::Column::Seq,
            Expr::col(event_head::Column::Seq).add(n),
        )
        .filter(event_head::Column::Id.eq(1))
        .exec_with_returning(db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| DbErr::Custom("the event log has no head row".into()))?;
    let mut seq = head.seq - n;
    let mut prev = head.hash;
    let mut out = Vec::with_capacity(events.len());
    let mut counted: Vec<(AggregateRef, i32)> = Vec::new();
    for e in events {
        seq += 1;
        let version = match e.version {
            Some(v) => v,
            None => {
                let last = match counted.iter().rev().find(|(a, _)| *a == e.aggregate) {
                    Some((_, v)) => *v,
                    None => last_version(db, &e.aggregate).await?,
                };
                last + 1
            }
        };
        counted.push((e.aggregate.clone(), version));
        let mut m = event::Model {
            seq,
            aggregate_type: e.aggregate.kind.as_str().to_owned(),
            aggregate_id: e.aggregate.id,
            aggregate_version: version,
            parent_type: e.parent.as_ref().map(|p| p.kind.as_str().to_owned()),
            parent_id: e.parent.map(|p| p.id),
            actor_id: actor.id(),
            actor_role: actor.role_text().to_owned(),
            at,
            kind: e.kind,
            reason: e.reason,
            payload: serde_json::to_value(&e.payload).map_err(|e| DbErr::Custom(e.to_string()))?,
            visibility: e.visibility.as_str().to_owned(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        m.hash = event::expected_hash(&m, &prev)
            .map_err(|e| DbErr::Custom(format!("hashing event {seq}: {e}")))?
            .ok_or_else(|| DbErr::Custom(format!("the head's hash {prev:?} is not a hash")))?;
        prev = m.hash.clone();
        event::Entity::insert(event::ActiveModel::from(m))
            .exec_without_returning(db)
            .await?;
        out.push(seq);
    }
    event_head::Entity::update_many()
        .col_expr(event_head::Column::Hash, Expr::value(prev))
        .filter(event_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(out)
}

async fn last_version(db: &impl ConnectionTrait, a: &AggregateRef) -> Result<i32, DbErr> {
    let v: Option<Option<i32>> = event::Entity::find()
        .select_only()
        .column_as(event::Column::AggregateVersion.max(), "v")
        .filter(event::Column::AggregateType.eq(a.kind.as_str()))
        .filter(event::Column::AggregateId.eq(a.id.as_str()))
        .into_tuple()
        .one(db)
        .await?;
    Ok(v.flatten().unwrap_or(0))
}

/// Reads a stored event, failing loudly on anything it does not know.
///
/// # Errors
/// A stored value that names no known kind, role or visibility, or a payload that is not patch
/// operations.
pub fn decode(m: event::Model) -> Result<Event, DbErr> {
    let bad = |what: &str, v: &str| DbErr::Custom(format!("event {}: unknown {what} {v:?}", m.seq));
    let kind: AggregateType = m
        .aggregate_type
        .parse()
        .map_err(|_| bad("aggregate type", &m.aggregate_type))?;
    let parent = match (&m.parent_type, &m.parent_id) {
        (Some(t), Some(id)) => Some(AggregateRef {
            kind: t.parse().map_err(|_| bad("parent type", t))?,
            id: id.clone(),
        }),
        _ => None,
    };
    let actor = Actor::decode(m.actor_id, &m.actor_role)
        .map_err(|e| DbErr::Custom(format!("event {}: {e}", m.seq)))?;
    let visibility = m
        .visibility
        .parse()
        .map_err(|_| bad("visibility", &m.visibility))?;
    let payload = serde_json::from_value(m.payload.clone())
        .map_err(|e| DbErr::Custom(format!("event {}: payload: {e}", m.seq)))?;
    Ok(Event {
        seq: m.seq,
        aggregate: AggregateRef {
            kind,
            id: m.aggregate_id,
        },
        version: m.aggregate_version,
        parent,
        actor,
        at: m.at,
        kind: m.kind,
        reason: m.reason,
        payload,
        visibility,
    })
}

/// One aggregate's history, oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn of(db: &impl ConnectionTrait, a: &AggregateRef) -> Result<Vec<Event>, DbErr> {
    event::Entity::find()
        .filter(event::Column::AggregateType.eq(a.kind.as_str()))
        .filter(event::Column::AggregateId.eq(a.id.as_str()))
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// A page of an aggregate's history: its events after `seq` `after`, oldest first, at most
/// `fetch` (through `ix_event_aggregate_seq`).
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn of_after(
    db: &impl ConnectionTrait,
    a: &AggregateRef,
    after: Option<i64>,
    fetch: u64,
) -> Result<Vec<Event>, DbErr> {
    let mut q = event::Entity::find()
        .filter(event::Column::AggregateType.eq(a.kind.as_str()))
        .filter(event::Column::AggregateId.eq(a.id.as_str()));
    if let Some(after) = after {
        q = q.filter(event::Column::Seq.gt(after));
    }
    q.order_by_asc(event::Column::Seq)
        .limit(fetch)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// An aggregate's history together with that of everything under it (a call with its bids,
/// panel, conflicts, score sheets and objections), oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn of_tree(db: &impl ConnectionTrait, a: &AggregateRef) -> Result<Vec<Event>, DbErr> {
    event::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(event::Column::AggregateType.eq(a.kind.as_str()))
                        .add(event::Column::AggregateId.eq(a.id.as_str())),
                )
                .add(
                    Condition::all()
                        .add(event::Column::ParentType.eq(a.kind.as_str()))
                        .add(event::Column::ParentId.eq(a.id.as_str())),
                ),
        )
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// Raw rows after `after`, in log order (for verification and, later, the feed).
///
/// # Errors
/// Database failures.
pub async fn raw_page(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::Seq.gt(after))
        .order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(db)
        .await
}

/// The head row: the last `seq` and hash.
///
/// # Errors
/// Database failures.
pub async fn head(db: &impl ConnectionTrait) -> Result<Option<event_head::Model>, DbErr> {
    event_head::Entity::find_by_id(1).one(db).await
}

/// The head's `seq` alone (0 before the first event): one primary-key read, for the read caches.
///
/// # Errors
/// Database failures.
pub async fn head_seq(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let seq: Option<i64> = event_head::Entity::find_by_id(1)
        .select_only()
        .column(event_head::Column::Seq)
        .into_tuple()
        .one(db)
        .await?;
    Ok(seq.unwrap_or(0))
}

/// Events after `after` and up to `upto`, in log order, of the given visibilities (all when
/// `None`), decoded: the change feed's page.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn feed_page(
    db: &impl ConnectionTrait,
    after: i64,
    upto: i64,
    visibilities: Option<&[Visibility]>,
    limit: u64,
) -> Result<Vec<Event>, DbErr> {
    let mut q = event::Entity::find()
        .filter(event::Column::Seq.gt(after))
        .filter(event::Column::Seq.lte(upto));
    if let Some(v) = visibilities {
        q = q.filter(event::Column::Visibility.is_in(v.iter().map(|v| v.as_str())));
    }
    q.order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}
