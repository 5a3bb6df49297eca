//! The expert panel of a call: appointment (named or drawn with a recorded seed), declared
//! conflicts, conflicts found from data, the recusals they cause, and the expert profiles the data
//! comes from.

use std::collections::{BTreeMap, HashMap};

use sea_orm::ConnectionTrait;
use serde_json::Value;

use super::{calls, Uow};
use crate::auth::Caller;
use crate::domain::award::{conflicts_open, panel_open};
use crate::domain::builders::{self, JointBuilder};
use crate::domain::call::{beijing_date, Call, CallStatus};
use crate::domain::conflict::{
    data_recusals, recusals, ConflictKind, ExpertProfile, FrozenRecusal,
};
use crate::domain::event::{AggregateType, NewEvent, Visibility};
use crate::domain::json_patch::{self, PatchOp};
use crate::domain::panel_draw::{choose, new_seed, PanelMember};
use crate::domain::role::Role;
use crate::domain::FieldError;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store;

/// For each panel member, the bids it is recused from and why: the recusals found from data and
/// frozen at the opening (or when the expert joined the panel after it), and the declared ones.
/// Before the opening nobody may know who bid, so no recusal names a bid yet: every member maps
/// to nothing.
///
/// # Errors
/// Database failures and stored data that does not read back.
pub async fn recusal_map(
    db: &impl ConnectionTrait,
    call: &Call,
) -> Result<HashMap<i32, BTreeMap<i32, Vec<String>>>> {
    let members: Vec<i32> = store::panel::panel(db, call.id)
        .await?
        .into_iter()
        .map(|m| m.expert_id)
        .collect();
    if call.opened_at.is_none() {
        return Ok(members.into_iter().map(|m| (m, BTreeMap::new())).collect());
    }
    let bids = parties(db, call.id).await?;
    let frozen = store::panel::frozen_recusals(db, call.id).await?;
    let declared = store::panel::conflicts(db, call.id).await?;
    Ok(recusals(&members, &bids, &frozen, &declared))
}

/// Each bid of a call with its members: the bidder, then the joint builders the opened bid names
/// (recorded at the opening; before it, the bidder alone).
///
/// # Errors
/// Database failures and stored data that does not read back.
pub async fn parties(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<(i32, Vec<i32>)>> {
    let mut joint = store::bids::members_of_call(db, call_id).await?;
    Ok(store::bids::bids(db, call_id)
        .await?
        .into_iter()
        .map(|b| {
            let members = joint.remove(&b.id).unwrap_or_default();
            (b.id, builders::members(b.organisation_id, &members))
        })
        .collect())
}

/// Whether an expert is on the call's panel and, if so, the bids it is recused from (with
/// reasons; none before the opening).
///
/// # Errors
/// Database failures and stored data that does not read back.
pub async fn recusals_of(
    db: &impl ConnectionTrait,
    call: &Call,
    expert_id: i32,
) -> Result<Option<BTreeMap<i32, Vec<String>>>> {
    let mut map = recusal_map(db, call).await?;
    Ok(map.remove(&expert_id))
}

/// The recusals the data shows now for `experts` and `bids` (with their members), from their
/// profiles, on today's date in Beijing.
async fn found_from_data(
    uow: &Uow,
    experts: &[i32],
    bids: &[(i32, Vec<i32>)],
) -> Result<Vec<FrozenRecusal>> {
    let mut profiles = Vec::with_capacity(experts.len());
    for &e in experts {
        let profile = store::panel::profile(uow.db(), e)
            .await?
            .unwrap_or_default();
        profiles.push((e, profile));
    }
    Ok(data_recusals(&profiles, bids, beijing_date(uow.now())))
}

fn recusals_doc(frozen: &[FrozenRecusal]) -> Result<Value> {
    Ok(serde_json::to_value(frozen).map_err(anyhow::Error::from)?)
}

/// Freezes the recusals the data shows for the whole panel, inside the opening's unit (which
/// holds the call's lock, and has recorded the bids' joint builders), with one panel event
/// listing them.
///
/// # Errors
/// Database failures.
pub async fn freeze_recusals(uow: &mut Uow, call: &Call) -> Result<()> {
    let members: Vec<i32> = store::panel::panel(uow.db(), call.id)
        .await?
        .into_iter()
        .map(|m| m.expert_id)
        .collect();
    if members.is_empty() {
        return Ok(());
    }
    let bids = parties(uow.db(), call.id).await?;
    let frozen = found_from_data(uow, &members, &bids).await?;
    store::panel::freeze(uow.db(), call.id, &frozen, uow.now()).await?;
    uow.record(
        NewEvent::new(
            AggregateType::Panel,
            call.id,
            "recusals_frozen",
            Visibility::Commission,
        )
        .parent(AggregateType::Call, call.id)
        .op(PatchOp::add("/recusals", recusals_doc(&frozen)?)),
    );
    Ok(())
}

/// A panel member as the panel's readers see it.
#[derive(Debug, Clone)]
pub struct PanelEntry {
    pub member: PanelMember,
    pub username: Option<String>,
    /// The bids it is recused from, each with its reasons, by bid id.
    pub recusals: Vec<(i32, Vec<String>)>,
}

async fn entries(state: &AppState, call: &Call, only: Option<i32>) -> Result<Vec<PanelEntry>> {
    let recused = recusal_map(&state.db, call).await?;
    let members: Vec<PanelMember> = store::panel::panel(&state.db, call.id)
        .await?
        .into_iter()
        .filter(|m| only.is_none_or(|o| o == m.expert_id))
        .collect();
    let ids: Vec<i32> = members.iter().map(|m| m.expert_id).collect();
    let names = store::users::usernames(&state.db, &ids).await?;
    Ok(members
        .into_iter()
        .map(|m| PanelEntry {
            username: names.get(&m.expert_id).cloned(),
            recusals: recused
                .get(&m.expert_id)
                .map(|r| r.iter().map(|(b, why)| (*b, why.clone())).collect())
                .unwrap_or_default(),
            member: m,
        })
        .collect())
}

/// The panel's members as the log records them.
fn members_doc(members: &[PanelMember]) -> Value {
    if members.is_empty() {
        return Value::Null;
    }
    Value::Array(
        members
            .iter()
            .map(|m| {
                serde_json::json!({
                    "expert_id": m.expert_id,
                    "how": m.how.as_str(),
                    "seed": m.seed.map(|s| s.to_string()),
                })
            })
            .collect(),
    )
}

/// Experts to appoint: named by user id, and/or `draw = Some((n, seed))` drawn from the pool
/// (a fresh seed, recorded, when none is given).
#[derive(Debug, Clone, Default)]
pub struct Appointment {
    pub experts: Vec<i32>,
    pub draw: Option<(u32, Option<u64>)>,
}

/// Appoints experts to the panel, by name or by a random draw with a recorded seed
/// (commission; before the notice). Returns the whole panel. Under the call's lock; an expert
/// joining an opened call has its recusals found from data frozen at once.
///
/// # Errors
/// 403 for another role, 404 for an unknown call, 409 once the panel is fixed, 422 naming each
/// bad expert or draw.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn appoint(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
    a: Appointment,
) -> Result<Vec<PanelEntry>> {
    caller.require(&[Role::Commission])?;
    let call = calls::find(state, call_id).await?;
    let fixed = |status: CallStatus| {
        ApiError::conflict(crate::msg!(
            "conflict-panel-fixed-once-call",
            status = status
        ))
        .with("current_state", status)
    };
    let status = call.status_at(state.clock.now());
    if !panel_open(status) {
        return Err(fixed(status));
    }
    let pool = store::panel::expert_pool(&state.db).await?;
    let draw = a.draw.map(|(n, seed)| (n, seed.unwrap_or_else(new_seed)));
    let mut uow = Uow::begin(state, caller).await?;
    let call = calls::locked(&uow, call_id).await?;
    let status = call.status_at(uow.now());
    if !panel_open(status) {
        return Err(fixed(status));
    }
    let current: Vec<i32> = store::panel::panel(uow.db(), call.id)
        .await?
        .iter()
        .map(|m| m.expert_id)
        .collect();
    let chosen = choose(&pool, &current, &a.experts, draw).map_err(ApiError::Validation)?;
    for c in &chosen {
        store::panel::add_member(
            uow.db(),
            call.id,
            c.expert_id,
            c.how,
            c.seed,
            caller.id,
            uow.now(),
        )
        .await?;
    }
    let after = store::panel::panel(uow.db(), call.id).await?;
    let before: Vec<PanelMember> = after
        .iter()
        .filter(|m| !chosen.iter().any(|c| c.expert_id == m.expert_id))
        .cloned()
        .collect();
    let mut ops: Vec<PatchOp> =
        PatchOp::change("/members", members_doc(&before), members_doc(&after))
            .into_iter()
            .collect();
    if call.opened_at.is_some() {
        let joined: Vec<i32> = chosen.iter().map(|c| c.expert_id).collect();
        let bids = parties(uow.db(), call.id).await?;
        let frozen = found_from_data(&uow, &joined, &bids).await?;
        store::panel::freeze(uow.db(), call.id, &frozen, uow.now()).await?;
        ops.push(PatchOp::add("/recusals", recusals_doc(&frozen)?));
    }
    uow.record(
        NewEvent::new(
            AggregateType::Panel,
            call.id,
            "panel",
            Visibility::Commission,
        )
        .parent(AggregateType::Call, call.id)
        .payload(ops),
    );
    uow.commit().await?;
    entries(state, &call, None).await
}

/// The panel with each member's recusals and their reasons: the commission sees all, a panel
/// expert its own entry.
///
/// # Errors
/// 404 for an unknown call, 403 for other roles.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn get(state: &AppState, caller: &Caller, call_id: i32) -> Result<Vec<PanelEntry>> {
    let call = calls::find(state, call_id).await?;
    let only = match caller.role {
        Role::Commission => None,
        Role::Expert => Some(caller.id),
        _ => {
            return Err(ApiError::Forbidden(crate::msg!(
                "forbidden-panel-shown-commission-experts"
            )))
        }
    };
    entries(state, &call, only).await
}

/// A conflict as an expert declares it: a bid, an organisation (every bid of it), or neither
/// (every bid of the call).
#[derive(Debug, Clone)]
pub struct Declaration {
    pub bid_id: Option<i32>,
    pub organisation_id: Option<i32>,
    pub kind: ConflictKind,
    pub note: String,
}

/// Declares a conflict of interest (a panel expert), until the award is proposed. Under the
/// call's lock. A declaration that recuses the expert from a bid it has scored sets that sheet
/// aside: the ranking no longer counts it, and the log says so with the reason. Returns the
/// expert's own panel entry.
///
/// # Errors
/// 403 for another role or an expert off the panel, 404 for an unknown call, 409 once the notice
/// started (a conflict found then is grounds for an objection) or the call ended, 422 naming each
/// bad field.
#[tracing::instrument(skip_all, fields(call_id = %call_id, expert_id = %caller.id))]
pub async fn declare_conflict(
    state: &AppState,
    caller: &Caller,
    call_id: i32,
    d: Declaration,
) -> Result<Vec<PanelEntry>> {
    caller.require(&[Role::Expert])?;
    let call = calls::find(state, call_id).await?;
    let off_panel = || ApiError::Forbidden(crate::msg!("forbidden-you-call-s-panel"));
    if !store::panel::panel(&state.db, call.id)
        .await?
        .iter()
        .any(|m| m.expert_id == caller.id)
    {
        return Err(off_panel());
    }
    let closed = |status: CallStatus| {
        conflicts_open(status).map_err(|m| ApiError::conflict(m).with("current_state", status))
    };
    closed(call.status_at(state.clock.now()))?;
    let mut errors = Vec::new();
    if d.note.trim().is_empty() {
        errors.push(FieldError::new("note", crate::msg!("field-blank")));
    }
    if let Some(b) = d.bid_id {
        if store::bids::bid(&state.db, b)
            .await?
            .is_none_or(|x| x.call_id != call.id)
        {
            errors.push(FieldError::new(
                "bid_id",
                crate::msg!("field-no-bid-in-call", id = b),
            ));
        }
    }
    if let Some(o) = d.organisation_id {
        if store::organisations::by_id(&state.db, o).await?.is_none() {
            errors.push(FieldError::new(
                "organisation",
                crate::msg!("field-no-organisation", id = o),
            ));
        }
    }
    ApiError::check(errors)?;
    let note = d.note.trim().to_owned();
    let mut uow = Uow::begin(state, caller).await?;
    let call = calls::locked(&uow, call_id).await?;
    closed(call.status_at(uow.now()))?;
    let before = recusals_of(uow.db(), &call, caller.id)
        .await?
        .ok_or_else(off_panel)?;
    let c = store::panel::declare(
        uow.db(),
        store::panel::NewConflict {
            call_id: call.id,
            expert_id: caller.id,
            bid_id: d.bid_id,
            organisation_id: d.organisation_id,
            kind: d.kind,
            note: note.clone(),
        },
        uow.now(),
    )
    .await?;
    let after = recusals_of(uow.db(), &call, caller.id)
        .await?
        .unwrap_or_default();
    // The expert's sheets for bids it is newly recused from leave the ranking.
    for sheet in store::scores::sheets(uow.db(), call.id).await? {
        if sheet.expert_id == caller.id
            && after.contains_key(&sheet.bid_id)
            && !before.contains_key(&sheet.bid_id)
        {
            uow.record(
                NewEvent::new(
                    AggregateType::ScoreSheet,
                    sheet.id,
                    "set_aside",
                    Visibility::Commission,
                )
                .parent(AggregateType::Call, call.id)
                .reason(Some(format!(
                    "the expert is recused from bid {}: declared ({}): {note}",
                    sheet.bid_id, c.kind
                )))
                .op(PatchOp::add("/set_aside_by_conflict", c.id)),
            );
        }
    }
    let ops = [
        ("/id", Value::from(c.id)),
        ("/expert_id", Value::from(c.expert_id)),
        ("/bid_id", Value::from(c.bid_id)),
        ("/organisation_id", Value::from(c.organisation_id)),
        ("/kind", Value::from(c.kind.as_str())),
        ("/note", Value::from(c.note.clone())),
    ]
    .into_iter()
    .filter_map(|(p, v)| PatchOp::change(p, Value::Null, v))
    .collect();
    uow.record(
        NewEvent::new(
            AggregateType::Conflict,
            c.id,
            "conflict_declared",
            Visibility::Commission,
        )
        .parent(AggregateType::Call, call.id)
        .reason(Some(note))
        .payload(ops),
    );
    uow.commit().await?;
    entries(state, &call, Some(caller.id)).await
}

/// An organisation that bid on a call, as the call's experts may look it up (to declare
/// conflicts): its id and name, nothing more.
#[derive(Debug, Clone)]
pub struct Bidder {
    pub bid_id: i32,
    pub organisation_id: i32,
    pub name: String,
    /// The joint builders the bid names, each with its name and role.
    pub joint_builders: Vec<(JointBuilder, String)>,
}

/// The organisations that bid on a call, once its bids are opened: for the commission and the
/// call's panel experts (recused ones included: they declare conflicts from this list). Before
/// the opening who bid is sealed, for everyone.
///
/// # Errors
/// 403 for other roles and experts off the panel, 404 for an unknown call, 409 before the
/// opening.
#[tracing::instrument(skip_all, fields(call_id = %call_id))]
pub async fn bidders(state: &AppState, caller: &Caller, call_id: i32) -> Result<Vec<Bidder>> {
    caller.require(&[Role::Commission, Role::Expert])?;
    let call = calls::find(state, call_id).await?;
    if caller.is(Role::Expert)
        && !store::panel::panel(&state.db, call.id)
            .await?
            .iter()
            .any(|m| m.expert_id == caller.id)
    {
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-you-call-s-panel"
        )));
    }
    if call.opened_at.is_none() {
        return Err(
            ApiError::conflict(crate::msg!("conflict-who-bid-sealed-until-bids"))
                .with("current_state", call.status_at(state.clock.now())),
        );
    }
    let name_of = |b: i32, org: i32| async move {
        Ok::<_, ApiError>(
            store::organisations::by_id(&state.db, org)
                .await?
                .ok_or_else(|| {
                    ApiError::Unexpected(anyhow::anyhow!("bid {b}: organisation {org} missing"))
                })?
                .name,
        )
    };
    let mut joint = store::bids::members_of_call(&state.db, call.id).await?;
    let mut out = Vec::new();
    for b in store::bids::bids(&state.db, call.id).await? {
        let mut joint_builders = Vec::new();
        for j in joint.remove(&b.id).unwrap_or_default() {
            let name = name_of(b.id, j.organisation_id).await?;
            joint_builders.push((j, name));
        }
        out.push(Bidder {
            bid_id: b.id,
            organisation_id: b.organisation_id,
            name: name_of(b.id, b.organisation_id).await?,
            joint_builders,
        });
    }
    Ok(out)
}

/// Records an expert's organisation and past employers, from which conflicts are found
/// (commission).
///
/// # Errors
/// 403 for another role, 404 for an unknown user, 422 for a user who is not an expert or an
/// unknown organisation.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn put_expert_profile(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
    profile: ExpertProfile,
) -> Result<()> {
    caller.require(&[Role::Commission])?;
    let role = store::panel::role_of(&state.db, user_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-user", user_id = user_id)))?;
    if role != Role::Expert {
        return Err(ApiError::field(
            "id",
            crate::msg!("field-only-expert-profile"),
        ));
    }
    let mut errors = Vec::new();
    if let Some(o) = profile.organisation_id {
        if store::organisations::by_id(&state.db, o).await?.is_none() {
            errors.push(FieldError::new(
                "organisation_id",
                crate::msg!("field-no-organisation", id = o),
            ));
        }
    }
    for (i, p) in profile.past_employers.iter().enumerate() {
        if store::organisations::by_id(&state.db, p.organisation_id)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                format!("past_employers[{i}].organisation_id"),
                crate::msg!("field-no-organisation", id = p.organisation_id),
            ));
        }
    }
    ApiError::check(errors)?;
    let before = store::panel::profile(&state.db, user_id).await?;
    let doc = |p: Option<&ExpertProfile>| -> Result<Value> {
        Ok(match p {
            Some(p) => {
                json_patch::strip_nulls(&serde_json::to_value(p).map_err(anyhow::Error::from)?)
            }
            None => Value::Object(serde_json::Map::new()),
        })
    };
    let ops = json_patch::diff(&doc(before.as_ref())?, &doc(Some(&profile))?);
    let mut uow = Uow::begin(state, caller).await?;
    store::panel::put_profile(uow.db(), user_id, &profile, uow.now()).await?;
    uow.record(
        NewEvent::new(
            AggregateType::ExpertProfile,
            user_id,
            if before.is_some() { "update" } else { "create" },
            Visibility::Commission,
        )
        .payload(ops),
    );
    uow.commit().await?;
    Ok(())
}
