//! Proposals received on paper before the service existed, entered already sealed.

use actix_web::{post, HttpResponse};

use super::views::proposals::{ImportReport, ImportRow};
use super::Data;
use crate::app::proposals;
use crate::auth::Caller;
use crate::error::Result;
use crate::extract::ValidJson;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_proposals);
}

/// Import sealed paper proposals (commission only). All or nothing: every bad row is reported,
/// and one bad row imports none.
#[utoipa::path(
    tag = "proposals",
    operation_id = "import_proposals",
    security(("bearer_auth" = [])),
    params(("year" = i32, Path, description = "The round's year")),
    request_body(content = Vec<ImportRow>, example = json!([{
        "form": {
            "brain_name": "示例洗护用品行业产业大脑",
            "district_code": "500105",
            "cluster_code": "light_textile",
            "industry_class": {"major": "26", "middle": "268", "minor": "2683"},
            "builder_organisation_id": 1,
            "chain_leader": {"name": "示例日化有限公司", "scale": 98000, "in_city_suppliers": 85},
            "cluster_stats": {"scale": 1800000, "enterprise_count": 220, "data_year": 2024},
            "construction_model": "chain_leader_led",
            "contact": {"name": "示例联系人", "phone": "023-6000-0001"}
        },
        "plan": {
            "basis": "本区日化产业链条完整，链主企业已建成工业互联网平台，具备建设行业产业大脑的数据基础。",
            "funding": {
                "total": 800,
                "breakdown": [{"item": "平台建设", "amount": 500}, {"item": "运营", "amount": 300}],
                "sources": [{"source": "企业自筹", "amount": 800}]
            },
            "schedule": {"start": "2026-04-01", "milestones": [{"name": "上线", "due": "2026-12-31"}], "end": "2027-06-30"}
        },
        "owner_organisation_id": 1,
        "sealed_by": "jb-officer",
        "sealed_at": "2025-11-05T10:00:00+08:00",
        "statement": "纸质申报材料经审核，同意报送。"
    }])),
    responses(
        (status = 201, body = ImportReport),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/rounds/{year}/proposals/import")]
async fn import_proposals(
    state: Data,
    caller: Caller,
    year: crate::extract::IntPath,
    body: ValidJson<Vec<ImportRow>>,
) -> Result<HttpResponse> {
    let rows = body.0.into_iter().map(Into::into).collect();
    let ids = proposals::import(&state, &caller, year.into_inner(), rows).await?;
    Ok(HttpResponse::Created().json(ImportReport {
        imported: ids.len(),
        ids,
    }))
}
