//! Selection runs and published list versions, with what they read of rounds and proposals.
//! Stored JSON (round settings, a run's inputs and result, a list item's class and targets, a
//! proposal's form and plan) is decoded here and fails loudly when it does not read back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{list_item, list_version, proposal, round, selection_run};
use sea_orm::sea_query::{Alias, Expr, IntoColumnRef, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set, StreamTrait,
};
use serde::{Deserialize, Serialize};

use crate::domain::json_patch::strip_nulls;
use crate::domain::layout::ScoreWarning;
use crate::domain::pool::{FormFigures, ScoreCard};
use crate::domain::proposal::{IndustryClassRef, ProposalForm, ProposalPlan};
use crate::domain::proposal_state::Status;
use crate::domain::round::RoundSettings;
use crate::domain::selection_run::{
    canonical_around, hash as inputs_hash_of, hash_spliced, warnings as inputs_warnings,
    InputsRest, RunInputs, RunResult, SCORES,
};

fn stored<T: serde::de::DeserializeOwned>(v: &serde_json::Value, what: &str) -> Result<T, DbErr> {
    serde_json::from_value(v.clone()).map_err(|e| DbErr::Custom(format!("stored {what}: {e}")))
}

/// Decodes JSON read as text (see [`as_text`]) straight into its type.
fn stored_text<T: serde::de::DeserializeOwned>(v: &str, what: &str) -> Result<T, DbErr> {
    serde_json::from_str(v).map_err(|e| DbErr::Custom(format!("stored {what}: {e}")))
}

/// A JSON column read as its text, to be decoded straight into a type: large JSON (a pool's
/// forms, a run's candidates and explanation) read as a `serde_json::Value` first costs a tree
/// of maps many times its size, then a copy. `CAST(… AS TEXT)` reads the same text on SQLite and
/// PostgreSQL.
fn as_text(col: impl IntoColumnRef) -> SimpleExpr {
    Expr::col(col).cast_as(Alias::new("TEXT"))
}

fn encode<T: Serialize>(v: &T, what: &str) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(v).map_err(|e| DbErr::Custom(format!("encoding {what}: {e}")))
}

// ---------------------------------------------------------------------------------------------
// Rounds, as the selection reads them

/// What a selection needs of its round.
#[derive(Debug, Clone)]
pub struct SelectionRound {
    pub id: i32,
    pub year: i32,
    pub list_size: u32,
    pub settings: RoundSettings,
}

fn decode_round(r: round::Model) -> Result<SelectionRound, DbErr> {
    let list_size = u32::try_from(r.list_size)
        .map_err(|e| DbErr::Custom(format!("stored list size of round {}: {e}", r.year)))?;
    Ok(SelectionRound {
        settings: stored(&r.settings, &format!("settings of round {}", r.year))?,
        id: r.id,
        year: r.year,
        list_size,
    })
}

/// The round of a year.
///
/// # Errors
/// Database failures and settings that do not read back.
pub async fn round_by_year(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Option<SelectionRound>, DbErr> {
    round::Entity::find()
        .filter(round::Column::Year.eq(year))
        .one(db)
        .await?
        .map(decode_round)
        .transpose()
}

/// # Errors
/// Database failures and settings that do not read back.
pub async fn round_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<SelectionRound>, DbErr> {
    round::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode_round)
        .transpose()
}

// ---------------------------------------------------------------------------------------------
// Proposals, as the selection reads and publication moves them

/// A proposal of the selection pool, decoded.
#[derive(Debug, Clone)]
pub struct PoolProposal {
    pub id: i32,
    pub status: Status,
    /// The version the publication's conditional write expects.
    pub version: i32,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub sealed_at: Option<DateTime<Utc>>,
    pub form: ProposalForm,
    pub plan: ProposalPlan,
}

/// A pool row: the columns the selection reads, the form and plan as JSON text.
#[derive(FromQueryResult)]
struct PoolRow {
    id: i32,
    status: String,
    version: i32,
    district_code: String,
    cluster_code: Option<String>,
    sealed_at: Option<DateTime<Utc>>,
    form: String,
    plan: String,
}

fn decode_proposal(p: PoolRow) -> Result<PoolProposal, DbErr> {
    let status = p
        .status
        .parse::<Status>()
        .map_err(|e| DbErr::Custom(format!("stored status of proposal {}: {e}", p.id)))?;
    Ok(PoolProposal {
        form: stored_text(&p.form, &format!("form of proposal {}", p.id))?,
        plan: stored_text(&p.plan, &format!("plan of proposal {}", p.id))?,
        id: p.id,
        status,
        version: p.version,
        district_code: p.district_code,
        cluster_code: p.cluster_code,
        sealed_at: p.sealed_at,
    })
}

/// Every proposal of a round in the given states, by id. Rows are decoded as they arrive (at
/// 50,000 proposals, holding every row's JSON text before decoding any would double the pool).
///
/// # Errors
/// Database failures and rows that do not read back.
pub async fn pool<C>(db: &C, round_id: i32, states: &[Status]) -> Result<Vec<PoolProposal>, DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    use futures_util::TryStreamExt;
    let mut rows = pool_query(round_id, states)
        .into_model::<PoolRow>()
        .stream(db)
        .await?;
    let mut out = Vec::new();
    while let Some(row) = rows.try_next().await? {
        out.push(decode_proposal(row)?);
    }
    Ok(out)
}

/// The pool's rows (the columns the selection reads, form and plan as text), by id.
fn pool_query(round_id: i32, states: &[Status]) -> sea_orm::Select<proposal::Entity> {
    use proposal::Column as C;
    proposal::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::Status,
            C::Version,
            C::DistrictCode,
            C::ClusterCode,
            C::SealedAt,
        ])
        .column_as(as_text(C::Form), "form")
        .column_as(as_text(C::Plan), "plan")
        .filter(C::RoundId.eq(round_id))
        .filter(C::Status.is_in(states.iter().map(|s| s.as_str())))
        .order_by_asc(C::Id)
}

/// The pool's proposals in the given states, by id, each with the figures of its form that
/// representativeness ranks by ([`FormFigures`]): the first of the two reads of a pool scored
/// at scale (see [`pool_rows`]).
///
/// # Errors
/// Database failures and forms that do not read back.
pub async fn pool_figures<C>(
    db: &C,
    round_id: i32,
    states: &[Status],
) -> Result<Vec<(i32, FormFigures)>, DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    use futures_util::TryStreamExt;
    use proposal::Column as C;
    let mut rows = proposal::Entity::find()
        .select_only()
        .column(C::Id)
        .column_as(as_text(C::Form), "form")
        .filter(C::RoundId.eq(round_id))
        .filter(C::Status.is_in(states.iter().map(|s| s.as_str())))
        .order_by_asc(C::Id)
        .into_tuple::<(i32, String)>()
        .stream(db)
        .await?;
    let mut out = Vec::new();
    while let Some((id, form)) = rows.try_next().await? {
        out.push((id, stored_text(&form, &format!("form of proposal {id}"))?));
    }
    Ok(out)
}

/// A pool row as read, its form and plan still JSON text, to be decoded ([`PoolRowText::decode`])
/// wherever the caller likes: on other cores, a chunk at a time.
pub struct PoolRowText(PoolRow);

impl PoolRowText {
    pub fn id(&self) -> i32 {
        self.0.id
    }

    /// The proposal, decoded.
    ///
    /// # Errors
    /// A row that does not read back.
    pub fn decode(self) -> Result<PoolProposal, DbErr> {
        decode_proposal(self.0)
    }
}

/// Every proposal of a round in the given states, by id, as a stream of undecoded rows: the
/// second read of a pool scored at scale, which never holds more than a few chunks of forms
/// and plans.
///
/// # Errors
/// Database failures.
pub async fn pool_rows<'a, C>(
    db: &'a C,
    round_id: i32,
    states: &[Status],
) -> Result<impl futures_util::Stream<Item = Result<PoolRowText, DbErr>> + Send + 'a, DbErr>
where
    C: ConnectionTrait + StreamTrait + Sync,
{
    use futures_util::TryStreamExt;
    Ok(pool_query(round_id, states)
        .into_model::<PoolRow>()
        .stream(db)
        .await?
        .map_ok(PoolRowText))
}

/// Those of `ids` that are in the round's pool (in the given states), decoded, by id.
///
/// # Errors
/// Database failures and rows that do not read back.
pub async fn pool_by_ids(
    db: &impl ConnectionTrait,
    round_id: i32,
    states: &[Status],
    ids: &[i32],
) -> Result<Vec<PoolProposal>, DbErr> {
    let mut out = Vec::with_capacity(ids.len());
    // A page at a time: SQLite takes at most 32,766 parameters in one statement.
    for part in ids.chunks(1000) {
        let rows = pool_query(round_id, states)
            .filter(proposal::Column::Id.is_in(part.iter().copied()))
            .into_model::<PoolRow>()
            .all(db)
            .await?;
        for row in rows {
            out.push(decode_proposal(row)?);
        }
    }
    out.sort_unstable_by_key(|p| p.id);
    Ok(out)
}

/// The brain names of those of `ids` that belong to the round and have one.
///
/// # Errors
/// Database failures and forms that do not read back.
pub async fn brain_names(
    db: &impl ConnectionTrait,
    round_id: i32,
    ids: &[i32],
) -> Result<HashMap<i32, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = proposal::Entity::find()
        .filter(proposal::Column::RoundId.eq(round_id))
        .filter(proposal::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for p in rows {
        let form: ProposalForm = stored(&p.form, &format!("form of proposal {}", p.id))?;
        if let Some(name) = form.brain_name {
            out.insert(p.id, name);
        }
    }
    Ok(out)
}

/// Moves a proposal to `to` if it is still at `expected_version`; its version becomes
/// `expected_version + 1`. False when another writer changed it first.
///
/// # Errors
/// Database failures.
pub async fn move_proposal(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    to: Status,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = proposal::Entity::update_many()
        .col_expr(proposal::Column::Status, Expr::value(to.as_str()))
        .col_expr(proposal::Column::Version, Expr::value(expected_version + 1))
        .col_expr(proposal::Column::UpdatedAt, Expr::value(now))
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

// ---------------------------------------------------------------------------------------------
// Selection runs

/// A stored run without its inputs and result.
#[derive(Debug, Clone)]
pub struct RunMeta {
    pub id: i32,
    pub round_id: i32,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    /// SHA-256 of the canonical JSON of the inputs, as stored at the run.
    pub inputs_hash: String,
    pub solver: String,
    pub solver_version: String,
}

/// A stored run, decoded for reading: everything but the cards of the proposals left out (a run
/// stored before migration 22 reads back with all its cards).
#[derive(Debug, Clone)]
pub struct StoredRun {
    pub meta: RunMeta,
    /// The inputs; `scores` holds at least the chosen proposals' cards.
    pub inputs: RunInputs,
    pub result: RunResult,
    /// The score warnings of the whole pool, as at the run.
    pub warnings: Vec<ScoreWarning>,
}

/// A run as the round's list of runs shows it.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: i32,
    pub inputs_hash: String,
    pub objective: Option<i64>,
    /// Chosen proposal ids in rank order.
    pub chosen: Vec<i32>,
}

/// What reading a run shows without the whole pool (the `shown` column).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shown {
    /// Chosen proposal ids in rank order.
    pub chosen: Vec<i32>,
    /// The chosen proposals' cards, as in the inputs.
    pub chosen_cards: Vec<ScoreCard>,
    /// The score warnings of the whole pool.
    pub warnings: Vec<ScoreWarning>,
}

/// A run's score cards as they are made: their canonical JSON array, zlib-compressed (fast level:
/// the text is repetitive, and this is on the run's path), so that 50,000 cards never stand in
/// memory as JSON or as structs.
pub struct ScoresEncoder {
    z: flate2::write::ZlibEncoder<Vec<u8>>,
    count: usize,
    error: Option<std::io::Error>,
}

impl Default for ScoresEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ScoresEncoder {
    pub fn new() -> Self {
        Self {
            z: flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast()),
            count: 0,
            error: None,
        }
    }

    /// Appends a card (in the inputs' order), written as canonical JSON
    /// ([`write_card`](crate::domain::selection_run::write_card)) by the
    /// caller: on the core that made it.
    pub fn push_written(&mut self, card: &[u8]) {
        let sep: &[u8] = if self.count == 0 { b"[" } else { b"," };
        self.count += 1;
        if self.error.is_none() {
            self.error = std::io::Write::write_all(&mut self.z, sep)
                .and_then(|()| std::io::Write::write_all(&mut self.z, card))
                .err();
        }
    }

    /// The compressed array.
    ///
    /// # Errors
    /// A failure of the compressor (writing to memory: not expected).
    pub fn finish(mut self) -> Result<Vec<u8>, DbErr> {
        let close: &[u8] = if self.count == 0 { b"[]" } else { b"]" };
        if self.error.is_none() {
            self.error = std::io::Write::write_all(&mut self.z, close).err();
        }
        if let Some(e) = self.error {
            return Err(DbErr::Custom(format!("compressing score cards: {e}")));
        }
        self.z
            .finish()
            .map_err(|e| DbErr::Custom(format!("compressing score cards: {e}")))
    }
}

/// SHA-256 of the canonical JSON of inputs stored apart from their cards: `rest` (the JSON of
/// the other members) with the cards' compressed canonical array spliced in as `scores`. The
/// same hash as [`inputs_hash_of`] over the whole inputs.
fn spliced_hash(rest: &serde_json::Value, scores_z: &[u8]) -> Result<String, DbErr> {
    let rest = rest
        .as_object()
        .ok_or_else(|| DbErr::Custom("selection inputs are not an object".into()))?;
    let (before, after) = canonical_around(rest, SCORES);
    hash_spliced(&before, flate2::read::ZlibDecoder::new(scores_z), &after)
        .map_err(|e| DbErr::Custom(format!("reading stored score cards: {e}")))
}

/// A run's inputs ready to store: the JSON text of all but their cards, and the hash of the
/// whole (cards included). Made apart from the write ([`prepare_inputs`]), so that the caller
/// can make it while the run is solved.
pub struct PreparedInputs {
    inputs: String,
    inputs_hash: String,
}

/// Encodes a run's inputs apart from their cards and hashes the whole as the canonical JSON
/// of the inputs with the compressed cards ([`ScoresEncoder`]) spliced in: CPU work, megabytes
/// at scale.
///
/// # Errors
/// Inputs that do not encode; cards that do not decompress.
pub fn prepare_inputs(rest: &InputsRest, scores_z: &[u8]) -> Result<PreparedInputs, DbErr> {
    let inputs = encode(rest, "selection inputs")?;
    let inputs_hash = spliced_hash(&inputs, scores_z)?;
    Ok(PreparedInputs {
        inputs: encode_text(&inputs, "selection inputs")?,
        inputs_hash,
    })
}

fn encode_text<T: Serialize>(v: &T, what: &str) -> Result<String, DbErr> {
    serde_json::to_string(v).map_err(|e| DbErr::Custom(format!("encoding {what}: {e}")))
}

/// A JSON column's value written from its text: megabytes at scale, which as a
/// `serde_json::Value` the statement builder and the driver would each copy as a tree.
/// PostgreSQL's `json` takes the text cast; SQLite keeps JSON as text.
fn json_text(backend: DbBackend, text: String) -> SimpleExpr {
    match backend {
        DbBackend::Postgres => Expr::val(text).cast_as(Alias::new("json")),
        _ => Expr::val(text).into(),
    }
}

/// A run to store: its inputs apart from their cards ([`prepare_inputs`]), the cards
/// compressed ([`ScoresEncoder`]), what reads show, the result and the solver.
pub struct NewRun<'a> {
    pub round_id: i32,
    pub created_by: i32,
    pub inputs: PreparedInputs,
    pub scores_z: Vec<u8>,
    pub shown: &'a Shown,
    pub result: &'a RunResult,
    pub solver: &'a str,
    pub solver_version: &'a str,
}

/// Stores a solved run: its inputs (hashed as the canonical JSON of the whole, cards included),
/// solver, result and what reads show. Only the new id comes back (the row read back whole
/// would be megabytes of inputs and result decoded again at scale).
///
/// # Errors
/// Database failures.
pub async fn create_run(
    db: &impl ConnectionTrait,
    run: NewRun<'_>,
    now: DateTime<Utc>,
) -> Result<RunMeta, DbErr> {
    use selection_run::Column as C;
    let backend = db.get_database_backend();
    let PreparedInputs {
        inputs,
        inputs_hash,
    } = run.inputs;
    let mut insert = Query::insert();
    insert
        .into_table(selection_run::Entity)
        .columns([
            C::RoundId,
            C::CreatedBy,
            C::CreatedAt,
            C::InputsHash,
            C::Inputs,
            C::Solver,
            C::SolverVersion,
            C::Outcome,
            C::Objective,
            C::Result,
            C::ScoresZ,
            C::Shown,
        ])
        .values([
            run.round_id.into(),
            run.created_by.into(),
            now.into(),
            inputs_hash.clone().into(),
            json_text(backend, inputs),
            run.solver.into(),
            run.solver_version.into(),
            "solved".into(),
            run.result.solution.objective.into(),
            json_text(backend, encode_text(run.result, "selection result")?),
            run.scores_z.into(),
            json_text(backend, encode_text(run.shown, "what a run shows")?),
        ])
        .map_err(|e| DbErr::Custom(format!("selection run insert: {e}")))?
        .returning_col(C::Id);
    let row = db
        .query_one(backend.build(&insert))
        .await?
        .ok_or_else(|| DbErr::Custom("selection run insert returned no id".into()))?;
    Ok(RunMeta {
        id: row.try_get("", "id")?,
        round_id: run.round_id,
        created_by: run.created_by,
        created_at: now,
        inputs_hash,
        solver: run.solver.to_owned(),
        solver_version: run.solver_version.to_owned(),
    })
}

/// A run row without its cards, JSON as text.
#[derive(FromQueryResult)]
struct RunRow {
    id: i32,
    round_id: i32,
    created_by: i32,
    created_at: DateTime<Utc>,
    inputs_hash: String,
    solver: String,
    solver_version: String,
    inputs: String,
    result: String,
    shown: Option<String>,
}

/// One run with its inputs (without the left-out proposals' cards, see [`StoredRun`]) and
/// result. Does not check the inputs against their hash ([`inputs_intact`] does).
///
/// # Errors
/// Database failures and inputs or a result that do not read back.
pub async fn run(db: &impl ConnectionTrait, id: i32) -> Result<Option<StoredRun>, DbErr> {
    use selection_run::Column as C;
    let Some(r) = selection_run::Entity::find_by_id(id)
        .select_only()
        .columns([
            C::Id,
            C::RoundId,
            C::CreatedBy,
            C::CreatedAt,
            C::InputsHash,
            C::Solver,
            C::SolverVersion,
        ])
        .column_as(as_text(C::Inputs), "inputs")
        .column_as(as_text(C::Result), "result")
        .column_as(as_text(C::Shown), "shown")
        .into_model::<RunRow>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let what = |part: &str| format!("{part} of selection {id}");
    let (inputs, warnings) = match &r.shown {
        Some(shown) => {
            let shown: Shown = stored_text(shown, &what("what reads show"))?;
            let rest: InputsRest = stored_text(&r.inputs, &what("inputs"))?;
            (rest.with_scores(shown.chosen_cards), shown.warnings)
        }
        None => {
            let inputs: RunInputs = stored_text(&r.inputs, &what("inputs"))?;
            let warnings = inputs_warnings(&inputs);
            (inputs, warnings)
        }
    };
    Ok(Some(StoredRun {
        meta: RunMeta {
            id: r.id,
            round_id: r.round_id,
            created_by: r.created_by,
            created_at: r.created_at,
            inputs_hash: r.inputs_hash,
            solver: r.solver,
            solver_version: r.solver_version,
        },
        inputs,
        result: stored_text(&r.result, &what("result"))?,
        warnings,
    }))
}

/// Whether a run's stored inputs still hash to its stored hash: the canonical JSON of the whole
/// inputs, cards included, rebuilt from how they are stored (one JSON value before migration 22;
/// since, the other members and the compressed cards, streamed through the hash). Compressed
/// cards that no longer decompress are not intact. `None` for an unknown run.
///
/// # Errors
/// Database failures and inputs that are not JSON.
pub async fn inputs_intact(db: &impl ConnectionTrait, id: i32) -> Result<Option<bool>, DbErr> {
    use selection_run::Column as C;
    let row: Option<(String, String, Option<Vec<u8>>)> = selection_run::Entity::find_by_id(id)
        .select_only()
        .column_as(as_text(C::Inputs), "inputs")
        .column(C::InputsHash)
        .column(C::ScoresZ)
        .into_tuple()
        .one(db)
        .await?;
    let Some((inputs, inputs_hash, scores_z)) = row else {
        return Ok(None);
    };
    let inputs: serde_json::Value = stored_text(&inputs, &format!("inputs of selection {id}"))?;
    Ok(Some(match scores_z {
        Some(z) => spliced_hash(&inputs, &z).is_ok_and(|h| h == inputs_hash),
        None => inputs_hash_of(&inputs) == inputs_hash,
    }))
}

/// A round's runs, oldest first. Reads neither the inputs (every scored proposal of the pool:
/// megabytes at scale) nor the result (every proposal left out, explained), but what reads show
/// (runs stored before migration 22 have no such column and read their result).
///
/// # Errors
/// Database failures and results that do not read back.
pub async fn runs(db: &impl ConnectionTrait, round_id: i32) -> Result<Vec<RunSummary>, DbErr> {
    runs_after(db, round_id, None, None).await
}

/// A round's runs after the id `after`, oldest first, at most `fetch` (as [`runs`]).
///
/// # Errors
/// Database failures and results that do not read back.
pub async fn runs_after(
    db: &impl ConnectionTrait,
    round_id: i32,
    after: Option<i32>,
    fetch: Option<u64>,
) -> Result<Vec<RunSummary>, DbErr> {
    use selection_run::Column as C;
    /// id, created at, by, inputs hash, objective, what reads show.
    type Row = (i32, DateTime<Utc>, i32, String, Option<i64>, Option<String>);
    let mut q = selection_run::Entity::find();
    if let Some(a) = after {
        q = q.filter(C::Id.gt(a));
    }
    if let Some(n) = fetch {
        q = q.limit(n);
    }
    let rows: Vec<Row> = q
        .select_only()
        .columns([
            C::Id,
            C::CreatedAt,
            C::CreatedBy,
            C::InputsHash,
            C::Objective,
        ])
        .column_as(as_text(C::Shown), "shown")
        .filter(C::RoundId.eq(round_id))
        .order_by_asc(C::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, created_at, created_by, inputs_hash, objective, shown) in rows {
        let chosen = match shown {
            Some(shown) => {
                stored_text::<Shown>(&shown, &format!("what reads show of selection {id}"))?.chosen
            }
            None => {
                let result: Option<String> = selection_run::Entity::find_by_id(id)
                    .select_only()
                    .column_as(as_text(C::Result), "result")
                    .into_tuple()
                    .one(db)
                    .await?;
                let result = result.ok_or_else(|| {
                    DbErr::Custom(format!("selection {id} vanished while listed"))
                })?;
                stored_text::<RunResult>(&result, &format!("result of selection {id}"))?
                    .solution
                    .ids()
            }
        };
        out.push(RunSummary {
            id,
            created_at,
            created_by,
            inputs_hash,
            objective,
            chosen,
        });
    }
    Ok(out)
}

/// The size in bytes of a run's stored inputs: the JSON text of `inputs` and the compressed
/// cards (benchmarks).
///
/// # Errors
/// Database failures.
pub async fn inputs_size(db: &impl ConnectionTrait, id: i32) -> Result<usize, DbErr> {
    use selection_run::Column as C;
    let row: Option<(String, Option<Vec<u8>>)> = selection_run::Entity::find_by_id(id)
        .select_only()
        .column_as(as_text(C::Inputs), "inputs")
        .column(C::ScoresZ)
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map_or(0, |(inputs, z)| inputs.len() + z.map_or(0, |z| z.len())))
}

// ---------------------------------------------------------------------------------------------
// Published lists

/// One outcome target of a list item, from the plan's scenarios and KPIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub scenario: Option<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

/// A published version of a round's list.
#[derive(Debug, Clone)]
pub struct ListVersion {
    pub id: i32,
    pub round_id: i32,
    pub version: i32,
    pub selection_id: i32,
    pub note: String,
    pub correction_reason: Option<String>,
    pub published_by: i32,
    pub published_at: DateTime<Utc>,
}

/// A list item (揭榜项).
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub id: i32,
    pub rank: i32,
    /// The direction: the brain's name.
    pub direction: String,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub industry_class: IndustryClassRef,
    pub targets: Vec<Target>,
    pub proposal_id: i32,
    /// Weighted total, units of 1e-4 point.
    pub total: i64,
}

fn decode_version(v: list_version::Model) -> ListVersion {
    ListVersion {
        id: v.id,
        round_id: v.round_id,
        version: v.version,
        selection_id: v.selection_id,
        note: v.note,
        correction_reason: v.correction_reason,
        published_by: v.published_by,
        published_at: v.published_at,
    }
}

fn decode_item(i: list_item::Model) -> Result<ListItem, DbErr> {
    Ok(ListItem {
        industry_class: stored(
            &i.industry_class,
            &format!("industry class of list item {}", i.id),
        )?,
        targets: stored(&i.targets, &format!("targets of list item {}", i.id))?,
        id: i.id,
        rank: i.rank,
        direction: i.direction,
        district_code: i.district_code,
        cluster_code: i.cluster_code,
        proposal_id: i.proposal_id,
        total: i.total,
    })
}

/// All published versions of a round's list, oldest first.
///
/// # Errors
/// Database failures.
pub async fn versions(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<list_version::Model>, DbErr> {
    list_version::Entity::find()
        .filter(list_version::Column::RoundId.eq(round_id))
        .order_by_asc(list_version::Column::Version)
        .all(db)
        .await
}

/// All published versions of a round's list, oldest first, as records.
///
/// # Errors
/// Database failures.
pub async fn list_versions(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<ListVersion>, DbErr> {
    Ok(versions(db, round_id)
        .await?
        .into_iter()
        .map(decode_version)
        .collect())
}

/// The items of a list version in rank order.
///
/// # Errors
/// Database failures and items that do not read back.
pub async fn items(db: &impl ConnectionTrait, version_id: i32) -> Result<Vec<ListItem>, DbErr> {
    list_item::Entity::find()
        .filter(list_item::Column::ListVersionId.eq(version_id))
        .order_by_asc(list_item::Column::Rank)
        .all(db)
        .await?
        .into_iter()
        .map(decode_item)
        .collect()
}

/// List items by id (one query).
///
/// # Errors
/// Database failures.
pub async fn items_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<std::collections::HashMap<i32, list_item::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(list_item::Entity::find()
        .filter(list_item::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect())
}

/// # Errors
/// Database failures.
pub async fn item(db: &impl ConnectionTrait, id: i32) -> Result<Option<list_item::Model>, DbErr> {
    list_item::Entity::find_by_id(id).one(db).await
}

/// A list item to publish.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub rank: i32,
    pub proposal_id: i32,
    pub direction: String,
    pub district_code: String,
    pub cluster_code: Option<String>,
    pub industry_class: IndustryClassRef,
    pub targets: Vec<Target>,
    pub total: i64,
}

/// A list version to publish.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub round_id: i32,
    pub version: i32,
    pub selection_id: i32,
    pub note: String,
    pub correction_reason: Option<String>,
    pub published_by: i32,
}

/// Writes a version and its items (inside the caller's transaction); returns them as stored.
///
/// # Errors
/// Database failures, including a concurrent publisher of the same version (a unique violation).
pub async fn publish(
    db: &impl ConnectionTrait,
    v: NewVersion,
    items: Vec<NewItem>,
    now: DateTime<Utc>,
) -> Result<(ListVersion, Vec<ListItem>), DbErr> {
    let version = list_version::ActiveModel {
        round_id: Set(v.round_id),
        version: Set(v.version),
        selection_id: Set(v.selection_id),
        note: Set(v.note),
        correction_reason: Set(v.correction_reason),
        published_by: Set(v.published_by),
        published_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        let m = list_item::ActiveModel {
            list_version_id: Set(version.id),
            rank: Set(i.rank),
            proposal_id: Set(i.proposal_id),
            direction: Set(i.direction),
            district_code: Set(i.district_code),
            cluster_code: Set(i.cluster_code),
            industry_class: Set(strip_nulls(&encode(
                &i.industry_class,
                "an industry class",
            )?)),
            targets: Set(encode(&i.targets, "list item targets")?),
            total: Set(i.total),
            ..Default::default()
        }
        .insert(db)
        .await?;
        out.push(decode_item(m)?);
    }
    Ok((decode_version(version), out))
}

/// The id of the latest published list version of the round of `year`; `None` when nothing is
/// published or there is no such round. One indexed query.
///
/// # Errors
/// Database failures.
pub async fn latest_list_version(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Option<i32>, DbErr> {
    use sea_orm::sea_query::{Func, Query};
    let round_id = Query::select()
        .column(round::Column::Id)
        .from(round::Entity)
        .and_where(round::Column::Year.eq(year))
        .to_owned();
    let latest: Option<Option<i32>> = list_version::Entity::find()
        .select_only()
        .expr(Func::max(Expr::col(list_version::Column::Id)))
        .filter(list_version::Column::RoundId.in_subquery(round_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(latest.flatten())
}

/// # Errors
/// Database failures.
pub async fn version(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<list_version::Model>, DbErr> {
    list_version::Entity::find_by_id(id).one(db).await
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
    }

    fn round_row(list_size: i32, settings: serde_json::Value) -> round::Model {
        round::Model {
            id: 1,
            year: 2024,
            title: "2024年行业产业大脑建设".into(),
            intake_deadline_text: "2024-02-29T23:59:59+08:00".into(),
            intake_deadline: at(),
            list_size,
            settings,
            version: 1,
            created_at: at(),
            updated_at: at(),
        }
    }

    fn item_row(industry_class: serde_json::Value, targets: serde_json::Value) -> list_item::Model {
        list_item::Model {
            id: 11,
            list_version_id: 1,
            rank: 1,
            proposal_id: 5,
            direction: "示例行业产业大脑".into(),
            district_code: "500105".into(),
            cluster_code: None,
            industry_class,
            targets,
            total: 800_000,
        }
    }

    #[test]
    fn round_settings_and_list_items_read_back_or_fail_loudly() {
        let default = serde_json::to_value(RoundSettings::default()).unwrap();
        let r = decode_round(round_row(5, default.clone())).unwrap();
        assert_eq!(r.list_size, 5);
        let e = decode_round(round_row(5, json!({"weights": "heavy"})))
            .unwrap_err()
            .to_string();
        assert!(e.contains("settings of round 2024"), "{e}");
        let e = decode_round(round_row(-1, default))
            .unwrap_err()
            .to_string();
        assert!(e.contains("list size of round 2024"), "{e}");

        let target = json!([{"scenario": "质量追溯", "name": "设备联网率", "unit": "%", "baseline": 40.0, "target": 90.0}]);
        let i = decode_item(item_row(json!({"major": "26"}), target.clone())).unwrap();
        assert_eq!(i.industry_class.major.as_deref(), Some("26"));
        assert_eq!(i.targets[0].target, Some(90.0));
        for (case, class, targets) in [
            ("class not an object", json!("26"), target.clone()),
            ("unknown class member", json!({"sector": "26"}), target),
            ("targets not a list", json!({}), json!({"name": "x"})),
        ] {
            let e = decode_item(item_row(class, targets))
                .unwrap_err()
                .to_string();
            assert!(e.contains("list item 11"), "{case}: {e}");
        }
    }
}
