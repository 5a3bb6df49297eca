//! The verifiable log, for outside auditors: the signing key, signed tree heads and proofs.

use actix_web::{get, web};

use super::views::audit::{
    AuditKey, ConsistencyProofDto, ConsistencyQuery, InclusionProofDto, InclusionQuery, TreeHeadDto,
};
use super::Data;
use crate::app::transparency;
use crate::error::Result;
use crate::extract::ValidQuery;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_audit_key)
        .service(get_tree_head)
        .service(get_inclusion_proof)
        .service(get_consistency_proof);
}

/// The Ed25519 public key tree heads are signed with (pin it).
#[utoipa::path(
    tag = "platform",
    operation_id = "get_audit_key",
    security(),
    responses((status = 200, body = AuditKey))
)]
#[get("/audit/key")]
async fn get_audit_key(state: Data) -> web::Json<AuditKey> {
    web::Json(AuditKey::new(transparency::public_key(&state)))
}

/// The current signed tree head of the Merkle tree (RFC 9162) over the public events.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_tree_head",
    security(),
    responses((status = 200, body = TreeHeadDto))
)]
#[get("/audit/tree-head")]
async fn get_tree_head(state: Data) -> Result<web::Json<TreeHeadDto>> {
    Ok(web::Json(transparency::tree_head(&state).await?.into()))
}

/// Proof that a public event is a leaf of the tree of `tree_size` leaves.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_inclusion_proof",
    security(),
    params(InclusionQuery),
    responses(
        (status = 200, body = InclusionProofDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/audit/proof/inclusion")]
async fn get_inclusion_proof(
    state: Data,
    query: ValidQuery<InclusionQuery>,
) -> Result<web::Json<InclusionProofDto>> {
    let q = query.into_inner();
    let proof = transparency::inclusion(&state, q.seq, q.tree_size).await?;
    Ok(web::Json(proof.into()))
}

/// Proof that the tree of `first` leaves is a prefix of the tree of `second` leaves: nothing
/// published was changed or removed in between.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_consistency_proof",
    security(),
    params(ConsistencyQuery),
    responses(
        (status = 200, body = ConsistencyProofDto),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/audit/proof/consistency")]
async fn get_consistency_proof(
    state: Data,
    query: ValidQuery<ConsistencyQuery>,
) -> Result<web::Json<ConsistencyProofDto>> {
    let q = query.into_inner();
    let proof = transparency::consistency(&state, q.first, q.second).await?;
    Ok(web::Json(ConsistencyProofDto::new(
        q.first, q.second, &proof,
    )))
}
