//! Documents: uploads (new documents and new versions), reads and downloads, with the visibility
//! of the object each belongs to (see `domain::document`).
//!
//! An upload is checked (name, size, media type sniffed from the bytes), hashed, sealed when it
//! is a bid's attachment (ChaCha20-Poly1305 under the bid's call key, as the bid's content), and
//! written to the object store under a random key **before** the unit of work that records its
//! row and its event commits; a commit that fails removes the object again. Every upload is an
//! event; so is every download of a sealed (bid) or commission-only (draft finding) document.
//!
//! A bid's attachments say nothing to anyone but the bidder before the opening: they are not
//! listed, their events are kept out of the call's history and the feed, and this module's spans
//! carry no name, organisation or account.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{bids, calls, panel, proposals, Uow};
use crate::auth::Caller;
use crate::domain::access;
use crate::domain::attestation::FindingStatus;
use crate::domain::bid::Bid;
use crate::domain::document::{
    self, bid_reader, check_media, check_name, sealed_aad, BidFacts, Document, DocumentKind,
    Limits, OwnerType, Version,
};
use crate::domain::event::{AggregateType, NewEvent, Visibility};
use crate::domain::json_patch::PatchOp;
use crate::domain::role::Role;
use crate::domain::sealing;
use crate::error::{ApiError, Result};
use crate::extract::{etag, IfMatch};
use crate::objects;
use crate::state::AppState;
use crate::store;

/// A document with its versions, oldest first.
#[derive(Debug, Clone)]
pub struct DocumentRead {
    pub document: Document,
    pub versions: Vec<Version>,
}

/// The ETag of a document (its latest version's number).
pub fn document_etag(d: &Document) -> String {
    etag("document", d.id, d.version)
}

/// The largest upload of any kind (the routes stop reading a body past it).
pub fn largest(state: &AppState) -> u64 {
    let l = state.settings.documents.limits();
    l.proposal.max(l.bid).max(l.project).max(l.finding)
}

/// What the owner of a document lets a reader do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Access {
    /// Uploads are accepted from this caller now (before the lock's re-check).
    write: bool,
    /// Events of this document are sealed (a bid's attachment).
    sealed: bool,
    /// Downloads by this caller are logged (sealed, or commission-only).
    log_downloads: bool,
    /// The call whose lock an upload takes, for a bid's attachment.
    call_id: Option<i32>,
    /// The parent of the document's events.
    parent: (AggregateType, i32),
    /// For a sealed attachment: the bidder (the associated data of its bytes).
    organisation_id: Option<i32>,
}

/// The facts about a bid that decide who reads its attachments.
async fn bid_facts(state: &AppState, caller: &Caller, bid: &Bid) -> Result<(BidFacts, i32)> {
    let call = calls::find(state, bid.call_id).await?;
    let opened = call.status_at(state.clock.now()).bids_revealed() && call.opened_at.is_some();
    let withdrawn = store::bids::withdrawn(&state.db, call.id)
        .await?
        .contains_key(&bid.id);
    let on_panel = if caller.role == Role::Expert {
        panel::recusals_of(&state.db, &call, caller.id)
            .await?
            .is_some_and(|r| !r.contains_key(&bid.id))
    } else {
        false
    };
    let facts = BidFacts {
        own: caller.role == Role::Applicant && caller.organisation_id == Some(bid.organisation_id),
        opened,
        withdrawn,
        on_panel,
    };
    Ok((facts, call.id))
}

/// What the caller may do with the documents of an object; 404 when it may not see the object
/// (its existence is not disclosed).
async fn access_to(
    state: &AppState,
    caller: &Caller,
    owner: OwnerType,
    owner_id: i32,
) -> Result<Access> {
    let not_found =
        || ApiError::NotFound(crate::msg!("not-found-owner", owner = owner, id = owner_id));
    match owner {
        OwnerType::Proposal => {
            let p = proposals::visible(state, caller, owner_id).await?;
            Ok(Access {
                write: access::is_owner(proposals::viewer(caller), p.facts()),
                sealed: false,
                log_downloads: false,
                call_id: None,
                parent: (AggregateType::Proposal, p.id),
                organisation_id: None,
            })
        }
        OwnerType::Bid => {
            let bid = store::bids::bid(&state.db, owner_id)
                .await?
                .ok_or_else(not_found)?;
            let (facts, call_id) = bid_facts(state, caller, &bid).await?;
            if !bid_reader(caller.role, facts) {
                return Err(not_found());
            }
            Ok(Access {
                write: facts.own,
                sealed: true,
                log_downloads: true,
                call_id: Some(call_id),
                parent: (AggregateType::Call, call_id),
                organisation_id: Some(bid.organisation_id),
            })
        }
        OwnerType::Finding => {
            let f = super::findings::get(state, Some(caller), owner_id).await?;
            let commission = caller.is(Role::Commission);
            Ok(Access {
                write: commission && f.status != FindingStatus::Final,
                sealed: false,
                log_downloads: f.status != FindingStatus::Final,
                call_id: None,
                parent: (AggregateType::Finding, f.id),
                organisation_id: None,
            })
        }
        OwnerType::Project => {
            // A project is public, its documents are its parties': the commission, its
            // district's officers and the builder read and add them.
            let p = super::projects::find(state, owner_id).await?;
            if !super::projects::Standing::of(Some(caller), &p).party() {
                return Err(ApiError::Forbidden(crate::msg!(
                    "forbidden-project-documents-parties"
                )));
            }
            Ok(Access {
                write: true,
                sealed: false,
                log_downloads: false,
                call_id: None,
                parent: (AggregateType::Project, p.id),
                organisation_id: None,
            })
        }
    }
}

fn visibility(a: &Access) -> Visibility {
    if a.sealed {
        Visibility::Sealed
    } else if a.log_downloads {
        Visibility::Commission
    } else {
        Visibility::Party
    }
}

/// An upload checked and prepared: the bytes as they will be stored, and what the row records.
struct Prepared {
    new: store::documents::NewVersion,
    stored: Vec<u8>,
}

fn prepare(
    state: &AppState,
    caller: &Caller,
    kind: DocumentKind,
    a: &Access,
    name: &str,
    bytes: &[u8],
) -> Result<Prepared> {
    let limit = state.settings.documents.limits().of(kind);
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(ApiError::PayloadTooLarge(crate::msg!(
            "payload-too-large-document-kind",
            kind = kind,
            limit = limit,
            setting = Limits::setting(kind)
        )));
    }
    if bytes.is_empty() {
        return Err(ApiError::field("body", crate::msg!("field-file-empty")));
    }
    let name = check_name(name).map_err(|e| ApiError::Validation(vec![e]))?;
    let media_type =
        check_media(kind, document::sniff(bytes)).map_err(|e| ApiError::Validation(vec![e]))?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    let object_key = objects::new_key();
    let (stored, sealed_key_version) = match (a.sealed, a.call_id, a.organisation_id) {
        (true, Some(call_id), Some(org)) => {
            let key = sealing::bid_key_v2(&state.sealing_key, call_id);
            let sealed = sealing::seal(&key, &sealed_aad(call_id, org, &object_key), bytes)
                .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("sealing a document: {e}")))?;
            (sealed, Some(sealing::KEY_VERSION))
        }
        _ => (bytes.to_vec(), None),
    };
    Ok(Prepared {
        new: store::documents::NewVersion {
            name,
            media_type: media_type.to_owned(),
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256,
            object_key,
            sealed_key_version,
            uploaded_by: caller.id,
            uploader_organisation_id: caller.organisation_id,
        },
        stored,
    })
}

fn version_ops(v: &Version) -> Vec<PatchOp> {
    vec![
        PatchOp::add("/version", Value::from(v.number)),
        PatchOp::add("/name", Value::from(v.name.clone())),
        PatchOp::add("/media_type", Value::from(v.media_type.clone())),
        PatchOp::add("/size", Value::from(v.size)),
        PatchOp::add("/sha256", Value::from(v.sha256.clone())),
    ]
}

/// Writes the object, then runs `commit` (the row and its event); removes the object again when
/// the commit fails.
async fn write_then<T, F>(state: &AppState, p: &Prepared, commit: F) -> Result<T>
where
    F: std::future::Future<Output = Result<T>>,
{
    objects::put(&state.documents, &p.new.object_key, p.stored.clone())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "writing a document to the store");
            ApiError::Unavailable {
                detail: crate::msg!("unavailable-document-store-write"),
                retry_after: 5,
            }
        })?;
    match commit.await {
        Ok(t) => Ok(t),
        Err(e) => {
            objects::forget(&state.documents, &p.new.object_key).await;
            Err(e)
        }
    }
}

/// Under the call's lock, refuses an upload to a bid once the call is no longer open.
async fn lock_owner(uow: &Uow, a: &Access) -> Result<()> {
    if let Some(call_id) = a.call_id {
        store::calls::lock_call(uow.db(), call_id).await?;
        let call = store::calls::call(uow.db(), call_id)
            .await?
            .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-call", id = call_id)))?;
        bids::check_open(&call, uow.now())?;
    }
    Ok(())
}

/// Uploads a new document of `kind` to the object `owner_id` (of the kind's owner type): an
/// applicant or district owning the proposal; the bidder, while the call is open; the commission
/// for a finding not yet final.
///
/// # Errors
/// 404 for an object the caller may not see, 403 when it may not upload to it, 409 outside the
/// call's window (a bid) or when the object no longer takes documents, 413 over the kind's limit
/// (naming the setting), 422 for a bad name or bytes of a type the kind does not admit.
// No name, organisation or account in the span: a bid's attachment is sealed.
#[tracing::instrument(skip_all, fields(owner_id = %owner_id))]
pub async fn upload(
    state: &AppState,
    caller: &Caller,
    kind: DocumentKind,
    owner_id: i32,
    name: &str,
    bytes: &[u8],
) -> Result<DocumentRead> {
    let a = access_to(state, caller, kind.owner(), owner_id).await?;
    check_write(state, caller, kind.owner(), owner_id, &a).await?;
    let p = prepare(state, caller, kind, &a, name, bytes)?;
    write_then(state, &p, async {
        let mut uow = Uow::begin(state, caller).await?;
        lock_owner(&uow, &a).await?;
        uow.restamp(state);
        let (d, v) =
            store::documents::create(uow.db(), kind, owner_id, p.new.clone(), uow.now()).await?;
        let mut ops = vec![
            PatchOp::add("/kind", Value::from(kind.as_str())),
            PatchOp::add("/owner_type", Value::from(kind.owner().as_str())),
            PatchOp::add("/owner_id", Value::from(owner_id)),
        ];
        ops.extend(version_ops(&v));
        uow.record(
            NewEvent::new(AggregateType::Document, d.id, "uploaded", visibility(&a))
                .parent(a.parent.0, a.parent.1)
                .payload(ops),
        );
        uow.commit().await?;
        Ok(DocumentRead {
            document: d,
            versions: vec![v],
        })
    })
    .await
}

/// The checks of a write beyond seeing the object: the right party, and an object that still
/// takes documents.
async fn check_write(
    state: &AppState,
    caller: &Caller,
    owner: OwnerType,
    owner_id: i32,
    a: &Access,
) -> Result<()> {
    if !a.write {
        return Err(ApiError::Forbidden(crate::msg!(
            "forbidden-only-owner-uploads",
            owner = owner
        )));
    }
    match owner {
        OwnerType::Proposal => {
            let p = proposals::visible(state, caller, owner_id).await?;
            if !p.status.editable() {
                return Err(ApiError::conflict(crate::msg!(
                    "conflict-proposal-documents-status",
                    status = p.status
                ))
                .with("current_state", p.status));
            }
        }
        OwnerType::Bid => {
            if let Some(call_id) = a.call_id {
                let call = calls::find(state, call_id).await?;
                bids::check_open(&call, super::now(state))?;
            }
        }
        OwnerType::Finding | OwnerType::Project => {}
    }
    Ok(())
}

/// Uploads a new version of a document (`If-Match` its ETag); the name stays that of the latest
/// version unless one is given. Every earlier version stays readable.
///
/// # Errors
/// As [`upload`]; 428 without `If-Match`, 412 when another version came first.
#[tracing::instrument(skip_all, fields(document_id = %id))]
pub async fn upload_version(
    state: &AppState,
    caller: &Caller,
    id: i32,
    if_match: &IfMatch,
    name: Option<&str>,
    bytes: &[u8],
) -> Result<DocumentRead> {
    let (d, a) = find(state, caller, id).await?;
    check_write(state, caller, d.owner_type, d.owner_id, &a).await?;
    if_match.check(&document_etag(&d))?;
    let latest = store::documents::versions(&state.db, d.id)
        .await?
        .pop()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("document {id} has no version")))?;
    let p = prepare(
        state,
        caller,
        d.kind,
        &a,
        name.unwrap_or(&latest.name),
        bytes,
    )?;
    write_then(state, &p, async {
        let mut uow = Uow::begin(state, caller).await?;
        lock_owner(&uow, &a).await?;
        uow.restamp(state);
        let v = store::documents::add_version(uow.db(), &d, p.new.clone(), uow.now())
            .await?
            .ok_or_else(|| {
                ApiError::PreconditionFailed(crate::msg!(
                    "precondition-failed-document-version-race"
                ))
            })?;
        uow.record(
            NewEvent::new(
                AggregateType::Document,
                d.id,
                "version_uploaded",
                visibility(&a),
            )
            .parent(a.parent.0, a.parent.1)
            .payload(version_ops(&v)),
        );
        uow.commit().await?;
        let document = Document {
            version: v.number,
            ..d
        };
        let versions = store::documents::versions(&state.db, id).await?;
        Ok(DocumentRead { document, versions })
    })
    .await
}

/// A document and what the caller may do with it; 404 when it may not see its owner.
async fn find(state: &AppState, caller: &Caller, id: i32) -> Result<(Document, Access)> {
    let d = store::documents::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(crate::msg!("not-found-document", id = id)))?;
    let a = access_to(state, caller, d.owner_type, d.owner_id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::NotFound(crate::msg!("not-found-document", id = id)),
            e => e,
        })?;
    Ok((d, a))
}

/// One document with its versions.
///
/// # Errors
/// 404 for an unknown document or one whose owner the caller may not see.
#[tracing::instrument(skip_all, fields(document_id = %id))]
pub async fn get(state: &AppState, caller: &Caller, id: i32) -> Result<DocumentRead> {
    let (document, _) = find(state, caller, id).await?;
    let versions = store::documents::versions(&state.db, id).await?;
    Ok(DocumentRead { document, versions })
}

/// An object's documents, oldest first.
///
/// # Errors
/// 404 for an object the caller may not see (a bid's, before the opening, anyone's but the
/// bidder's).
#[tracing::instrument(skip_all, fields(owner_id = %owner_id))]
pub async fn list(
    state: &AppState,
    caller: &Caller,
    owner: OwnerType,
    owner_id: i32,
) -> Result<Vec<DocumentRead>> {
    access_to(state, caller, owner, owner_id).await?;
    let mut out = Vec::new();
    for document in store::documents::of_owner(&state.db, owner, owner_id).await? {
        let versions = store::documents::versions(&state.db, document.id).await?;
        out.push(DocumentRead { document, versions });
    }
    Ok(out)
}

/// A version's bytes as uploaded.
#[derive(Debug, Clone)]
pub struct Download {
    pub version: Version,
    pub bytes: actix_web::web::Bytes,
    pub at: DateTime<Utc>,
}

/// Downloads a version of a document (the latest when `number` is `None`), unsealing a bid's
/// attachment; the download of a sealed or commission-only document is an event.
///
/// # Errors
/// 404 for an unknown document or version, or one the caller may not read; 503 when the store
/// does not answer.
#[tracing::instrument(skip_all, fields(document_id = %id))]
pub async fn download(
    state: &AppState,
    caller: &Caller,
    id: i32,
    number: Option<i32>,
) -> Result<Download> {
    let (d, a) = find(state, caller, id).await?;
    let wanted = number.unwrap_or(d.version);
    let version = store::documents::versions(&state.db, id)
        .await?
        .into_iter()
        .find(|v| v.number == wanted)
        .ok_or_else(|| {
            ApiError::NotFound(crate::msg!(
                "not-found-document-version",
                id = id,
                version = wanted
            ))
        })?;
    let stored = objects::get(&state.documents, &version.object_key)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading a document from the store");
            ApiError::Unavailable {
                detail: crate::msg!("unavailable-document-store-read"),
                retry_after: 5,
            }
        })?;
    let bytes = match (version.sealed_key_version, a.call_id, a.organisation_id) {
        (Some(sealing::KEY_VERSION), Some(call_id), Some(org)) => {
            let key = sealing::bid_key_v2(&state.sealing_key, call_id);
            let plain = sealing::unseal(
                &key,
                &sealed_aad(call_id, org, &version.object_key),
                &stored,
            )
            .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("unsealing document {id}: {e}")))?;
            actix_web::web::Bytes::from(plain)
        }
        (None, _, _) => stored,
        (Some(k), _, _) => {
            return Err(ApiError::Unexpected(anyhow::anyhow!(
                "document {id} is sealed under key version {k}, which this service cannot open"
            )))
        }
    };
    if hex::encode(Sha256::digest(&bytes)) != version.sha256 {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "document {id} version {wanted}: the stored bytes do not match their SHA-256"
        )));
    }
    let mut at = super::now(state);
    if a.log_downloads {
        let mut uow = Uow::begin(state, caller).await?;
        at = uow.now();
        uow.record(
            NewEvent::new(AggregateType::Document, d.id, "downloaded", visibility(&a))
                .parent(a.parent.0, a.parent.1)
                .payload(vec![PatchOp::add("/version", Value::from(version.number))]),
        );
        uow.commit().await?;
    }
    Ok(Download { version, bytes, at })
}
