//! Panels, the expert pool, declared conflicts and expert profiles, decoded.

use chrono::{DateTime, Utc};
use entity::{conflict, expert_profile, panel_member, recusal, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::conflict::{
    ConflictKind, DeclaredConflict, ExpertProfile, FrozenRecusal, PastEmployer,
};
use crate::domain::panel_draw::{Appointed, PanelMember};
use crate::domain::role::Role;

fn member(m: panel_member::Model) -> Result<PanelMember, DbErr> {
    Ok(PanelMember {
        id: m.id,
        call_id: m.call_id,
        expert_id: m.expert_id,
        how: m.how.parse::<Appointed>().map_err(|e| {
            DbErr::Custom(format!(
                "stored appointment {:?} of panel member {}: {e}",
                m.how, m.id
            ))
        })?,
        // The seed is a u64 kept bit for bit in a signed 64-bit column.
        seed: m.seed.map(|s| u64::from_ne_bytes(s.to_ne_bytes())),
        added_by: m.added_by,
        added_at: m.added_at,
    })
}

/// A call's panel, in the order of appointment.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn panel(db: &impl ConnectionTrait, call_id: i32) -> Result<Vec<PanelMember>, DbErr> {
    panel_member::Entity::find()
        .filter(panel_member::Column::CallId.eq(call_id))
        .order_by_asc(panel_member::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(member)
        .collect()
}

/// # Errors
/// Database failures, including an expert already on the panel (unique index).
pub async fn add_member(
    db: &impl ConnectionTrait,
    call_id: i32,
    expert_id: i32,
    how: Appointed,
    seed: Option<u64>,
    added_by: i32,
    now: DateTime<Utc>,
) -> Result<PanelMember, DbErr> {
    let m = panel_member::ActiveModel {
        call_id: Set(call_id),
        expert_id: Set(expert_id),
        how: Set(how.as_str().to_owned()),
        seed: Set(seed.map(|s| i64::from_ne_bytes(s.to_ne_bytes()))),
        added_by: Set(added_by),
        added_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    member(m)
}

/// The expert pool: every account with the expert role, by id.
///
/// # Errors
/// Database failures.
pub async fn expert_pool(db: &impl ConnectionTrait) -> Result<Vec<i32>, DbErr> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq(Role::Expert.as_str()))
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(db)
        .await
}

/// An account's role, if the account exists.
///
/// # Errors
/// Database failures and an unknown stored role.
pub async fn role_of(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<Role>, DbErr> {
    let role: Option<String> = user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Role)
        .into_tuple()
        .one(db)
        .await?;
    role.map(|r| {
        r.parse::<Role>()
            .map_err(|e| DbErr::Custom(format!("stored role {r:?} of user {user_id}: {e}")))
    })
    .transpose()
}

fn declared(m: conflict::Model) -> Result<DeclaredConflict, DbErr> {
    Ok(DeclaredConflict {
        id: m.id,
        call_id: m.call_id,
        expert_id: m.expert_id,
        bid_id: m.bid_id,
        organisation_id: m.organisation_id,
        kind: m.kind.parse::<ConflictKind>().map_err(|e| {
            DbErr::Custom(format!(
                "stored kind {:?} of conflict {}: {e}",
                m.kind, m.id
            ))
        })?,
        note: m.note,
        declared_at: m.declared_at,
    })
}

/// The conflicts declared on a call, oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn conflicts(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<Vec<DeclaredConflict>, DbErr> {
    conflict::Entity::find()
        .filter(conflict::Column::CallId.eq(call_id))
        .order_by_asc(conflict::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(declared)
        .collect()
}

/// A conflict to record.
#[derive(Debug, Clone)]
pub struct NewConflict {
    pub call_id: i32,
    pub expert_id: i32,
    pub bid_id: Option<i32>,
    pub organisation_id: Option<i32>,
    pub kind: ConflictKind,
    pub note: String,
}

/// # Errors
/// Database failures.
pub async fn declare(
    db: &impl ConnectionTrait,
    c: NewConflict,
    now: DateTime<Utc>,
) -> Result<DeclaredConflict, DbErr> {
    let m = conflict::ActiveModel {
        call_id: Set(c.call_id),
        expert_id: Set(c.expert_id),
        bid_id: Set(c.bid_id),
        organisation_id: Set(c.organisation_id),
        kind: Set(c.kind.as_str().to_owned()),
        note: Set(c.note),
        declared_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    declared(m)
}

/// An expert's profile, if recorded.
///
/// # Errors
/// Database failures, and past employers that do not read back.
pub async fn profile(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<ExpertProfile>, DbErr> {
    expert_profile::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|p| {
            Ok(ExpertProfile {
                organisation_id: p.organisation_id,
                past_employers: serde_json::from_value::<Vec<PastEmployer>>(p.past_employers)
                    .map_err(|e| {
                        DbErr::Custom(format!("stored past employers of expert {user_id}: {e}"))
                    })?,
            })
        })
        .transpose()
}

/// Records an expert's profile, replacing any earlier one. Writes first (an update, then an
/// insert when there was none), so it may open a unit of work.
///
/// # Errors
/// Database failures.
pub async fn put_profile(
    db: &impl ConnectionTrait,
    user_id: i32,
    p: &ExpertProfile,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let employers = serde_json::to_value(&p.past_employers)
        .map_err(|e| DbErr::Custom(format!("encoding past employers: {e}")))?;
    let model = expert_profile::ActiveModel {
        user_id: Set(user_id),
        organisation_id: Set(p.organisation_id),
        past_employers: Set(employers),
        updated_at: Set(now),
    };
    let updated = expert_profile::Entity::update_many()
        .set(model.clone())
        .filter(expert_profile::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        expert_profile::Entity::insert(model)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The recusals found from data and frozen on a call, by expert and bid.
///
/// # Errors
/// Database failures.
pub async fn frozen_recusals(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<Vec<FrozenRecusal>, DbErr> {
    Ok(recusal::Entity::find()
        .filter(recusal::Column::CallId.eq(call_id))
        .order_by_asc(recusal::Column::ExpertId)
        .order_by_asc(recusal::Column::BidId)
        .all(db)
        .await?
        .into_iter()
        .map(|r| FrozenRecusal {
            expert_id: r.expert_id,
            bid_id: r.bid_id,
            reason: r.reason,
        })
        .collect())
}

/// Freezes recusals found from data (once per expert and bid: the unique index refuses a second).
///
/// # Errors
/// Database failures.
pub async fn freeze(
    db: &impl ConnectionTrait,
    call_id: i32,
    recusals: &[FrozenRecusal],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for r in recusals {
        recusal::Entity::insert(recusal::ActiveModel {
            call_id: Set(call_id),
            expert_id: Set(r.expert_id),
            bid_id: Set(r.bid_id),
            reason: Set(r.reason.clone()),
            frozen_at: Set(now),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}
