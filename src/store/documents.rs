//! Documents and their versions (the bytes are in the object store, see `app::documents`).

use std::str::FromStr;

use chrono::{DateTime, Utc};
use entity::{document, document_version};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::document::{Document, DocumentKind, OwnerType, Version};

fn decode(m: document::Model) -> Result<Document, DbErr> {
    let bad = |what: &str, v: &str| DbErr::Custom(format!("document {}: {what} {v:?}", m.id));
    Ok(Document {
        id: m.id,
        owner_type: OwnerType::from_str(&m.owner_type)
            .map_err(|_| bad("owner type", &m.owner_type))?,
        owner_id: m.owner_id,
        kind: DocumentKind::from_str(&m.kind).map_err(|_| bad("kind", &m.kind))?,
        created_by: m.created_by,
        created_at: m.created_at,
        version: m.version,
    })
}

fn decode_version(m: document_version::Model) -> Version {
    Version {
        id: m.id,
        document_id: m.document_id,
        number: m.number,
        name: m.name,
        media_type: m.media_type,
        size: m.size,
        sha256: m.sha256,
        object_key: m.object_key,
        sealed_key_version: m.sealed_key_version,
        uploaded_by: m.uploaded_by,
        uploader_organisation_id: m.uploader_organisation_id,
        uploaded_at: m.uploaded_at,
    }
}

/// # Errors
/// Database failures and undecodable rows.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Document>, DbErr> {
    document::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// An object's documents, oldest first.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn of_owner(
    db: &impl ConnectionTrait,
    owner: OwnerType,
    owner_id: i32,
) -> Result<Vec<Document>, DbErr> {
    document::Entity::find()
        .filter(document::Column::OwnerType.eq(owner.as_str()))
        .filter(document::Column::OwnerId.eq(owner_id))
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// A document's versions, oldest first.
///
/// # Errors
/// Database failures.
pub async fn versions(db: &impl ConnectionTrait, document_id: i32) -> Result<Vec<Version>, DbErr> {
    Ok(document_version::Entity::find()
        .filter(document_version::Column::DocumentId.eq(document_id))
        .order_by_asc(document_version::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(decode_version)
        .collect())
}

/// What a new version records.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub object_key: String,
    pub sealed_key_version: Option<i32>,
    pub uploaded_by: i32,
    pub uploader_organisation_id: Option<i32>,
}

async fn insert_version(
    db: &impl ConnectionTrait,
    document_id: i32,
    number: i32,
    v: NewVersion,
    now: DateTime<Utc>,
) -> Result<Version, DbErr> {
    let m = document_version::ActiveModel {
        document_id: Set(document_id),
        number: Set(number),
        name: Set(v.name),
        media_type: Set(v.media_type),
        size: Set(v.size),
        sha256: Set(v.sha256),
        object_key: Set(v.object_key),
        sealed_key_version: Set(v.sealed_key_version),
        uploaded_by: Set(v.uploaded_by),
        uploader_organisation_id: Set(v.uploader_organisation_id),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(decode_version(m))
}

/// A new document with its first version.
///
/// # Errors
/// Database failures.
pub async fn create(
    db: &impl ConnectionTrait,
    kind: DocumentKind,
    owner_id: i32,
    v: NewVersion,
    now: DateTime<Utc>,
) -> Result<(Document, Version), DbErr> {
    let by = v.uploaded_by;
    let d = document::ActiveModel {
        owner_type: Set(kind.owner().as_str().to_owned()),
        owner_id: Set(owner_id),
        kind: Set(kind.as_str().to_owned()),
        created_by: Set(by),
        created_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let d = decode(d)?;
    let v = insert_version(db, d.id, 1, v, now).await?;
    Ok((d, v))
}

/// A new version of a document still at `version`; `None` when another upload came first.
///
/// # Errors
/// Database failures.
pub async fn add_version(
    db: &impl ConnectionTrait,
    d: &Document,
    v: NewVersion,
    now: DateTime<Utc>,
) -> Result<Option<Version>, DbErr> {
    let next = d.version + 1;
    let moved = document::Entity::update_many()
        .col_expr(document::Column::Version, Expr::value(next))
        .filter(document::Column::Id.eq(d.id))
        .filter(document::Column::Version.eq(d.version))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(None);
    }
    insert_version(db, d.id, next, v, now).await.map(Some)
}
