//! Documents: uploads as a raw body (`application/octet-stream`, the file name in the query),
//! versions, downloads. Visibility is the owning object's (see `app::documents`).

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::views::documents::{
    DocumentDto, FileBytes, NewAttachment, NewEvidence, NewProjectDocument, NewProposalDocument,
    NewVersionQuery, VersionQuery,
};
use super::Data;
use crate::app::documents::{self, document_etag, DocumentRead};
use crate::auth::Caller;
use crate::domain::document::{DocumentKind, OwnerType};
use crate::error::{ApiError, FieldError, Result};
use crate::extract::{IfMatch, ValidQuery};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(upload_proposal_document)
        .service(list_proposal_documents)
        .service(upload_bid_attachment)
        .service(list_bid_attachments)
        .service(upload_finding_evidence)
        .service(list_finding_evidence)
        .service(upload_project_document)
        .service(list_project_documents)
        .service(get_document)
        .service(upload_document_version)
        .service(download_document);
}

/// Reads an upload's body, stopping past the largest size any kind admits (the use case then
/// checks the kind's own limit). Any declared content type is accepted and ignored: the bytes
/// are sniffed.
async fn read_body(state: &Data, req: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>> {
    let limit = documents::largest(state);
    let too_large =
        || ApiError::PayloadTooLarge(crate::msg!("payload-too-large-document", limit = limit));
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest {
            detail: crate::msg!("bad-request-body-unreadable", error = e),
            errors: vec![FieldError::new("body", crate::msg!("field-unreadable"))],
        })?;
        if u64::try_from(body.len() + chunk.len()).unwrap_or(u64::MAX) > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn respond(status: StatusCode, r: DocumentRead) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, document_etag(&r.document)))
        .json(DocumentDto::from(r))
}

/// Upload a proposal's 意向表 (`kind=intent_form`) or 方案 scan (`kind=plan`) as the raw body
/// (its owner, while the proposal is a draft or returned). The media type is sniffed from the
/// bytes: the 意向表 admits PDF and images, the 方案 office documents too.
#[utoipa::path(
    tag = "documents",
    operation_id = "upload_proposal_document",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id"), NewProposalDocument),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file"),
    responses(
        (status = 201, description = "The new document and its first version", body = DocumentDto, headers(("ETag" = String, description = "Send it back in If-Match to upload a new version"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/proposals/{id}/documents")]
async fn upload_proposal_document(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<NewProposalDocument>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    if q.kind.owner() != OwnerType::Proposal {
        return Err(ApiError::field(
            "kind",
            crate::msg!("field-proposal-document-kinds"),
        ));
    }
    let bytes = read_body(&state, &req, payload).await?;
    let r = documents::upload(&state, &caller, q.kind, id.into_inner(), &q.name, &bytes).await?;
    Ok(respond(StatusCode::CREATED, r))
}

/// A proposal's documents with their versions (whoever may see the proposal).
#[utoipa::path(
    tag = "documents",
    operation_id = "list_proposal_documents",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Proposal id")),
    responses(
        (status = 200, description = "The documents, oldest first", body = Vec<DocumentDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/proposals/{id}/documents")]
async fn list_proposal_documents(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<DocumentDto>>> {
    let list = documents::list(&state, &caller, OwnerType::Proposal, id.into_inner()).await?;
    Ok(web::Json(list.into_iter().map(DocumentDto::from).collect()))
}

/// Upload a project's 任务书 as signed (`kind=task_agreement`), evidence for its acceptance
/// (`kind=acceptance_evidence`) or an evaluation report (`kind=evaluation_report`) as the raw
/// body (the project's parties: the commission, its district's officers, the builder). The media
/// type is sniffed from the bytes.
#[utoipa::path(
    tag = "documents",
    operation_id = "upload_project_document",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id"), NewProjectDocument),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file"),
    responses(
        (status = 201, description = "The new document and its first version", body = DocumentDto, headers(("ETag" = String, description = "Send it back in If-Match to upload a new version"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/projects/{id}/documents")]
async fn upload_project_document(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<NewProjectDocument>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    if q.kind.owner() != OwnerType::Project {
        return Err(ApiError::field(
            "kind",
            crate::msg!("field-project-document-kinds"),
        ));
    }
    let bytes = read_body(&state, &req, payload).await?;
    let r = documents::upload(&state, &caller, q.kind, id.into_inner(), &q.name, &bytes).await?;
    Ok(respond(StatusCode::CREATED, r))
}

/// A project's documents with their versions (the project's parties).
#[utoipa::path(
    tag = "documents",
    operation_id = "list_project_documents",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Project id")),
    responses(
        (status = 200, description = "The documents, oldest first", body = Vec<DocumentDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/projects/{id}/documents")]
async fn list_project_documents(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<DocumentDto>>> {
    let list = documents::list(&state, &caller, OwnerType::Project, id.into_inner()).await?;
    Ok(web::Json(list.into_iter().map(DocumentDto::from).collect()))
}

/// Upload an attachment to the caller's bid as the raw body (its bidder, while the call is
/// open). Sealed with the bid: encrypted at rest under the bid's key, and nothing about it
/// (name, size, hash, uploader) is shown to anyone but the bidder before the opening. Name it in
/// the bid's `attachments` (document id and SHA-256) when submitting the bid again.
#[utoipa::path(
    tag = "documents",
    operation_id = "upload_bid_attachment",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Bid id"), NewAttachment),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file"),
    responses(
        (status = 201, description = "The new attachment and its first version", body = DocumentDto, headers(("ETag" = String, description = "Send it back in If-Match to upload a new version"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/bids/{id}/attachments")]
async fn upload_bid_attachment(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<NewAttachment>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    let bytes = read_body(&state, &req, payload).await?;
    let r = documents::upload(
        &state,
        &caller,
        DocumentKind::BidAttachment,
        id.into_inner(),
        &q.name,
        &bytes,
    )
    .await?;
    Ok(respond(StatusCode::CREATED, r))
}

/// A bid's attachments: its bidder's at any time; after the opening the commission's and the
/// panel's (experts not recused), unless the bid was withdrawn. 404 to everyone else.
#[utoipa::path(
    tag = "documents",
    operation_id = "list_bid_attachments",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Bid id")),
    responses(
        (status = 200, description = "The attachments, oldest first", body = Vec<DocumentDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/bids/{id}/attachments")]
async fn list_bid_attachments(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<DocumentDto>>> {
    let list = documents::list(&state, &caller, OwnerType::Bid, id.into_inner()).await?;
    Ok(web::Json(list.into_iter().map(DocumentDto::from).collect()))
}

/// Upload evidence of a finding as the raw body (commission, while the finding is a draft).
#[utoipa::path(
    tag = "documents",
    operation_id = "upload_finding_evidence",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Finding id"), NewEvidence),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file"),
    responses(
        (status = 201, description = "The new document and its first version", body = DocumentDto, headers(("ETag" = String, description = "Send it back in If-Match to upload a new version"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[post("/findings/{id}/evidence")]
async fn upload_finding_evidence(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<NewEvidence>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    let bytes = read_body(&state, &req, payload).await?;
    let r = documents::upload(
        &state,
        &caller,
        DocumentKind::FindingEvidence,
        id.into_inner(),
        &q.name,
        &bytes,
    )
    .await?;
    Ok(respond(StatusCode::CREATED, r))
}

/// A finding's evidence (the commission; anyone signed in once the finding is final).
#[utoipa::path(
    tag = "documents",
    operation_id = "list_finding_evidence",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Finding id")),
    responses(
        (status = 200, description = "The evidence, oldest first", body = Vec<DocumentDto>),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/findings/{id}/evidence")]
async fn list_finding_evidence(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<web::Json<Vec<DocumentDto>>> {
    let list = documents::list(&state, &caller, OwnerType::Finding, id.into_inner()).await?;
    Ok(web::Json(list.into_iter().map(DocumentDto::from).collect()))
}

/// A document and its versions (whoever may read its owner).
#[utoipa::path(
    tag = "documents",
    operation_id = "get_document",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Document id")),
    responses(
        (status = 200, description = "The document", body = DocumentDto, headers(("ETag" = String, description = "Send it back in If-Match to upload a new version"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound)
    )
)]
#[get("/documents/{id}")]
async fn get_document(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let r = documents::get(&state, &caller, id.into_inner()).await?;
    Ok(respond(StatusCode::OK, r))
}

/// Upload a new version of a document as the raw body (`If-Match` its ETag; whoever may upload
/// to its owner). Earlier versions stay readable.
#[utoipa::path(
    tag = "documents",
    operation_id = "upload_document_version",
    security(("bearer_auth" = [])),
    params(
        ("id" = i32, Path, description = "Document id"),
        ("If-Match" = String, Header, description = "The ETag you read"),
        NewVersionQuery
    ),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file"),
    responses(
        (status = 200, description = "The document with its new version", body = DocumentDto, headers(("ETag" = String))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 403, response = crate::error::responses::Forbidden),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 409, response = crate::error::responses::Conflict),
        (status = 412, response = crate::error::responses::PreconditionFailed),
        (status = 413, response = crate::error::responses::PayloadTooLarge),
        (status = 422, response = crate::error::responses::Unprocessable),
        (status = 428, response = crate::error::responses::PreconditionRequired)
    )
)]
#[put("/documents/{id}/content")]
async fn upload_document_version(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    if_match: IfMatch,
    query: ValidQuery<NewVersionQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    let bytes = read_body(&state, &req, payload).await?;
    let r = documents::upload_version(
        &state,
        &caller,
        id.into_inner(),
        &if_match,
        q.name.as_deref(),
        &bytes,
    )
    .await?;
    Ok(respond(StatusCode::OK, r))
}

/// Download a version of a document (the latest unless `version` is given), with its sniffed
/// media type. A bid's attachment is unsealed for its bidder, and after the opening for the
/// commission and the panel; every download of a sealed or commission-only document is logged.
#[utoipa::path(
    tag = "documents",
    operation_id = "download_document",
    security(("bearer_auth" = [])),
    params(("id" = i32, Path, description = "Document id"), VersionQuery),
    responses(
        (status = 200, description = "The file as uploaded", content_type = "application/octet-stream", body = FileBytes, headers(("ETag" = String, description = "The file's SHA-256, quoted"))),
        (status = 400, response = crate::error::responses::BadRequest),
        (status = 401, response = crate::error::responses::Unauthorized),
        (status = 404, response = crate::error::responses::NotFound),
        (status = 422, response = crate::error::responses::Unprocessable)
    )
)]
#[get("/documents/{id}/content")]
async fn download_document(
    state: Data,
    caller: Caller,
    id: crate::extract::IntPath,
    query: ValidQuery<VersionQuery>,
) -> Result<HttpResponse> {
    let d =
        documents::download(&state, &caller, id.into_inner(), query.into_inner().version).await?;
    let v = d.version;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, v.media_type))
        .insert_header((header::ETAG, format!("\"{}\"", v.sha256)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: v.name.into_bytes(),
            })],
        })
        .body(d.bytes))
}
