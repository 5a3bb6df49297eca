//! The expert panel of a call: appointment (named or drawn with a recorded seed), declared
//! conflicts, conflicts found from data, and the recusals they cause.

use std::collections::{BTreeMap, HashMap};

use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calls::{find, status_now};
use super::proposals::actor;
use super::Data;
use crate::auth::Caller;
use crate::domain::award::panel_open;
use crate::domain::conflict::{data_conflict, ConflictKind, ExpertProfile, PastEmployer};
use crate::domain::panel_draw::{draw, new_seed};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::extract::ValidJson;
use crate::store;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(appoint_panel)
        .service(get_panel)
        .service(declare_conflict)
        .service(put_expert_profile);
}

/// For each panel member, the bids it is recused from and why (declared or from data).
pub async fn recusal_map(
    state: &Data,
    call: &entity::call::Model,
) -> Result<HashMap<i32, BTreeMap<i32, Vec<String>>>> {
    let panel = store::calls::panel(&state.db, call.id).await?;
    let bids = store::calls::bids(&state.db, call.id).await?;
    let declared = store::calls::conflicts(&state.db, call.id).await?;
    let today = state.clock.now().date_naive();
    let mut out: HashMap<i32, BTreeMap<i32, Vec<String>>> = HashMap::new();
    for m in &panel {
        let profile = match store::calls::profile(&state.db, m.expert_id).await? {
            Some(p) => ExpertProfile {
                organisation_id: p.organisation_id,
                past_employers: serde_json::from_value(p.past_employers).unwrap_or_default(),
            },
            None => ExpertProfile {
                organisation_id: None,
                past_employers: Vec::new(),
            },
        };
        let entry = out.entry(m.expert_id).or_default();
        for b in &bids {
            let mut reasons = Vec::new();
            if let Some(r) = data_conflict(&profile, b.organisation_id, today) {
                reasons.push(format!("from data: {r}"));
            }
            for d in declared.iter().filter(|d| d.expert_id == m.expert_id) {
                let applies = match (d.bid_id, d.organisation_id) {
                    (Some(bid), _) => bid == b.id,
                    (None, Some(org)) => org == b.organisation_id,
                    (None, None) => true,
                };
                if applies {
                    reasons.push(format!("declared ({}): {}", d.kind, d.note));
                }
            }
            if !reasons.is_empty() {
                entry.insert(b.id, reasons);
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draw {
    /// How many experts to draw from the pool of `expert` accounts not yet on the panel.
    pub n: u32,
    /// The seed; a random one is chosen and recorded when omitted.
    pub seed: Option<u64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointPanel {
    /// Experts named by user id.
    #[serde(default)]
    pub experts: Vec<i32>,
    /// Or a random draw.
    pub draw: Option<Draw>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recusal {
    pub bid_id: i32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PanelMember {
    pub expert_id: i32,
    pub username: Option<String>,
    /// `named` or `drawn`.
    pub how: String,
    /// The seed of the draw that chose it.
    pub seed: Option<String>,
    pub added_at: DateTime<Utc>,
    pub recusals: Vec<Recusal>,
}

async fn panel_view(
    state: &Data,
    call: &entity::call::Model,
    only: Option<i32>,
) -> Result<Vec<PanelMember>> {
    let recused = recusal_map(state, call).await?;
    let mut out = Vec::new();
    for m in store::calls::panel(&state.db, call.id).await? {
        if only.is_some_and(|o| o != m.expert_id) {
            continue;
        }
        let username = store::users::by_id(&state.db, m.expert_id)
            .await?
            .map(|u| u.username);
        out.push(PanelMember {
            expert_id: m.expert_id,
            username,
            how: m.how,
            seed: m.seed.map(|s| (s as u64).to_string()),
            added_at: m.added_at,
            recusals: recused
                .get(&m.expert_id)
                .map(|r| {
                    r.iter()
                        .map(|(bid_id, reasons)| Recusal {
                            bid_id: *bid_id,
                            reasons: reasons.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Appoint experts to the panel, by name or by a random draw with a recorded seed (commission;
/// before the notice).
#[utoipa::path(
    tag = "panel",
    operation_id = "appoint_panel",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = AppointPanel,
    responses(
        (status = 200, body = Vec<PanelMember>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/panel")]
async fn appoint_panel(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<AppointPanel>,
) -> Result<web::Json<Vec<PanelMember>>> {
    caller.require(&[Role::Commission])?;
    let call = find(&state, id.into_inner()).await?;
    let status = status_now(&state, &call)?;
    if !panel_open(status) {
        return Err(
            ApiError::conflict(format!("the panel is fixed once the call is {status}"))
                .with("current_state", status),
        );
    }

    let body = body.0;
    let current: Vec<i32> = store::calls::panel(&state.db, call.id)
        .await?
        .into_iter()
        .map(|m| m.expert_id)
        .collect();
    let experts: Vec<i32> = store::users::list(&state.db, Some(Role::Expert))
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut errors = Vec::new();
    for (i, e) in body.experts.iter().enumerate() {
        if !experts.contains(e) {
            errors.push(FieldError::new(
                format!("experts[{i}]"),
                format!("user {e} is not an expert"),
            ));
        } else if current.contains(e) {
            errors.push(FieldError::new(
                format!("experts[{i}]"),
                format!("expert {e} is already on the panel"),
            ));
        }
    }
    if body.experts.is_empty() && body.draw.is_none() {
        errors.push(FieldError::new("experts", "name experts or ask for a draw"));
    }
    let mut chosen: Vec<(i32, &str, Option<i64>)> =
        body.experts.iter().map(|e| (*e, "named", None)).collect();
    if let Some(d) = &body.draw {
        let pool: Vec<i32> = experts
            .iter()
            .copied()
            .filter(|e| !current.contains(e) && !body.experts.contains(e))
            .collect();
        if d.n == 0 || d.n as usize > pool.len() {
            errors.push(FieldError::new(
                "draw.n",
                format!("between 1 and the {} experts available", pool.len()),
            ));
        } else {
            let seed = d.seed.unwrap_or_else(new_seed);
            for e in draw(&pool, d.n as usize, seed) {
                chosen.push((e, "drawn", Some(seed as i64)));
            }
        }
    }
    ApiError::check(errors)?;
    let now = state.clock.now();
    let who = actor(&caller);
    for (expert, how, seed) in &chosen {
        store::calls::add_member(&state.db, call.id, *expert, how, *seed, caller.id, now).await?;
    }
    store::calls::event(
        &state.db,
        call.id,
        None,
        &who,
        "panel",
        None,
        None,
        None,
        serde_json::json!({"added": chosen.iter().map(|(e, how, seed)| serde_json::json!({"expert_id": e, "how": how, "seed": seed.map(|s| (s as u64).to_string())})).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    Ok(web::Json(panel_view(&state, &call, None).await?))
}

/// The panel with each member's recusals and their reasons (the commission sees all; a panel
/// expert sees its own entry).
#[utoipa::path(
    tag = "panel",
    operation_id = "get_panel",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    responses(
        (status = 200, body = Vec<PanelMember>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/calls/{id}/panel")]
async fn get_panel(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
) -> Result<web::Json<Vec<PanelMember>>> {
    let call = find(&state, id.into_inner()).await?;
    let only = match caller.role {
        Role::Commission => None,
        Role::Expert => Some(caller.id),
        _ => {
            return Err(ApiError::Forbidden(
                "the panel is shown to the commission and its experts".into(),
            ))
        }
    };
    Ok(web::Json(panel_view(&state, &call, only).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareConflict {
    /// A bid the conflict concerns.
    pub bid_id: Option<i32>,
    /// An organisation (id) the conflict concerns: every bid of it.
    pub organisation: Option<i32>,
    pub kind: ConflictKind,
    pub note: String,
}

/// Declare a conflict of interest (a panel expert). With neither `bid_id` nor `organisation` the
/// expert is recused from every bid of the call.
#[utoipa::path(
    tag = "panel",
    operation_id = "declare_conflict",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Call id")),
    request_body = DeclareConflict,
    responses(
        (status = 201, body = Vec<PanelMember>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/calls/{id}/conflicts")]
async fn declare_conflict(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<DeclareConflict>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Expert])?;
    let call = find(&state, id.into_inner()).await?;
    if !store::calls::panel(&state.db, call.id)
        .await?
        .iter()
        .any(|m| m.expert_id == caller.id)
    {
        return Err(ApiError::Forbidden(
            "you are not on this call's panel".into(),
        ));
    }
    let body = body.0;
    let mut errors = Vec::new();
    if body.note.trim().is_empty() {
        errors.push(FieldError::new("note", "must not be blank"));
    }
    if let Some(b) = body.bid_id {
        if store::calls::bid(&state.db, b)
            .await?
            .is_none_or(|x| x.call_id != call.id)
        {
            errors.push(FieldError::new(
                "bid_id",
                format!("no bid {b} in this call"),
            ));
        }
    }
    if let Some(o) = body.organisation {
        if store::organisations::by_id(&state.db, o).await?.is_none() {
            errors.push(FieldError::new(
                "organisation",
                format!("no organisation {o}"),
            ));
        }
    }
    ApiError::check(errors)?;
    let now = state.clock.now();
    let kind = serde_json::to_value(body.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    store::calls::declare(
        &state.db,
        entity::conflict::ActiveModel {
            call_id: Set(call.id),
            expert_id: Set(caller.id),
            bid_id: Set(body.bid_id),
            organisation_id: Set(body.organisation),
            kind: Set(kind.clone()),
            note: Set(body.note.trim().to_owned()),
            declared_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    store::calls::event(
        &state.db,
        call.id,
        body.bid_id,
        &actor(&caller),
        "conflict_declared",
        None,
        None,
        Some(body.note.trim().to_owned()),
        serde_json::json!({"kind": kind, "organisation": body.organisation}),
        now,
    )
    .await?;
    Ok(HttpResponse::Created().json(panel_view(&state, &call, Some(caller.id)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpertProfileBody {
    /// The organisation the expert works for now.
    pub organisation_id: Option<i32>,
    /// Past employers with the date each employment ended.
    #[serde(default)]
    pub past_employers: Vec<PastEmployer>,
}

/// Record an expert's organisation and past employers, from which conflicts are found (commission).
#[utoipa::path(
    tag = "panel",
    operation_id = "put_expert_profile",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "The expert's user id")),
    request_body = ExpertProfileBody,
    responses(
        (status = 204, description = "Stored"),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[put("/users/{id}/expert-profile")]
async fn put_expert_profile(
    state: Data,
    caller: Caller,
    id: web::Path<i32>,
    body: ValidJson<ExpertProfileBody>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Commission])?;
    let id = id.into_inner();
    let user = store::users::by_id(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("user {id}")))?;
    if user.role != Role::Expert.as_str() {
        return Err(ApiError::field(
            "id",
            "only an expert has an expert profile",
        ));
    }
    let body = body.0;
    let mut errors = Vec::new();
    if let Some(o) = body.organisation_id {
        if store::organisations::by_id(&state.db, o).await?.is_none() {
            errors.push(FieldError::new(
                "organisation_id",
                format!("no organisation {o}"),
            ));
        }
    }
    for (i, p) in body.past_employers.iter().enumerate() {
        if store::organisations::by_id(&state.db, p.organisation_id)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                format!("past_employers[{i}].organisation_id"),
                format!("no organisation {}", p.organisation_id),
            ));
        }
    }
    ApiError::check(errors)?;
    let employers = serde_json::to_value(&body.past_employers).map_err(anyhow::Error::from)?;
    store::calls::put_profile(
        &state.db,
        id,
        body.organisation_id,
        employers,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
