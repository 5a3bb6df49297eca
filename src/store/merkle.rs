//! The verifiable log's Merkle tree as stored: its head (locked by whoever extends it), which
//! event each leaf is, and the hashes of its complete subtrees.

use std::collections::HashMap;

use entity::{merkle_head, merkle_leaf, merkle_node};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::merkle::{Hash, Subtree};

/// The head with its row locked until the transaction ends (a write, so SQLite takes its write
/// lock first too).
///
/// # Errors
/// Database failures, and a missing head row.
pub async fn lock_head(db: &impl ConnectionTrait) -> Result<merkle_head::Model, DbErr> {
    merkle_head::Entity::update_many()
        .col_expr(
            merkle_head::Column::Size,
            Expr::col(merkle_head::Column::Size).into(),
        )
        .filter(merkle_head::Column::Id.eq(1))
        .exec_with_returning(db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| DbErr::Custom("the Merkle tree has no head row".into()))
}

/// The head as it stands.
///
/// # Errors
/// Database failures, and a missing head row.
pub async fn head(db: &impl ConnectionTrait) -> Result<merkle_head::Model, DbErr> {
    merkle_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom("the Merkle tree has no head row".into()))
}

/// # Errors
/// Database failures.
pub async fn set_head(db: &impl ConnectionTrait, size: i64, last_seq: i64) -> Result<(), DbErr> {
    merkle_head::Entity::update_many()
        .col_expr(merkle_head::Column::Size, Expr::value(size))
        .col_expr(merkle_head::Column::LastSeq, Expr::value(last_seq))
        .filter(merkle_head::Column::Id.eq(1))
        .exec(db)
        .await
        .map(|_| ())
}

/// Stores leaves (index, event seq) and complete subtrees.
///
/// # Errors
/// Database failures.
pub async fn insert(
    db: &impl ConnectionTrait,
    leaves: Vec<(i64, i64)>,
    nodes: Vec<(Subtree, Hash)>,
) -> Result<(), DbErr> {
    for chunk in leaves.chunks(500) {
        merkle_leaf::Entity::insert_many(chunk.iter().map(|&(idx, seq)| {
            merkle_leaf::ActiveModel {
                idx: sea_orm::Set(idx),
                seq: sea_orm::Set(seq),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    for chunk in nodes.chunks(500) {
        let rows = chunk
            .iter()
            .map(|(s, h)| -> Result<merkle_node::ActiveModel, DbErr> {
                Ok(merkle_node::ActiveModel {
                    level: sea_orm::Set(to_i32(s.level)?),
                    idx: sea_orm::Set(to_i64(s.idx)?),
                    hash: sea_orm::Set(hex::encode(h)),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        merkle_node::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn to_i32(v: u32) -> Result<i32, DbErr> {
    i32::try_from(v).map_err(|e| DbErr::Custom(e.to_string()))
}

fn to_i64(v: u64) -> Result<i64, DbErr> {
    i64::try_from(v).map_err(|e| DbErr::Custom(e.to_string()))
}

/// The hashes of the given complete subtrees; fails loudly on one that is not stored.
///
/// # Errors
/// Database failures, a missing subtree, a hash that is not 32 bytes of hex.
pub async fn subtrees(
    db: &impl ConnectionTrait,
    wanted: &[Subtree],
) -> Result<HashMap<Subtree, Hash>, DbErr> {
    let mut out = HashMap::with_capacity(wanted.len());
    let mut want: Vec<Subtree> = wanted.to_vec();
    want.sort_unstable();
    want.dedup();
    for chunk in want.chunks(100) {
        let mut cond = Condition::any();
        for s in chunk {
            cond = cond.add(
                Condition::all()
                    .add(merkle_node::Column::Level.eq(to_i32(s.level)?))
                    .add(merkle_node::Column::Idx.eq(to_i64(s.idx)?)),
            );
        }
        for row in merkle_node::Entity::find().filter(cond).all(db).await? {
            let h: Hash = hex::decode(&row.hash)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| {
                    DbErr::Custom(format!(
                        "merkle node ({}, {}) holds {:?}, not a hash",
                        row.level, row.idx, row.hash
                    ))
                })?;
            let key = Subtree {
                level: u32::try_from(row.level).map_err(|e| DbErr::Custom(e.to_string()))?,
                idx: u64::try_from(row.idx).map_err(|e| DbErr::Custom(e.to_string()))?,
            };
            out.insert(key, h);
        }
    }
    if let Some(missing) = want.iter().find(|s| !out.contains_key(s)) {
        return Err(DbErr::Custom(format!(
            "the Merkle tree has no subtree at level {} index {}",
            missing.level, missing.idx
        )));
    }
    Ok(out)
}

/// The leaf index of event `seq` (none for an event that is not a leaf).
///
/// # Errors
/// Database failures.
pub async fn leaf_of(db: &impl ConnectionTrait, seq: i64) -> Result<Option<i64>, DbErr> {
    Ok(merkle_leaf::Entity::find()
        .filter(merkle_leaf::Column::Seq.eq(seq))
        .one(db)
        .await?
        .map(|l| l.idx))
}

/// Forgets the whole tree (it is then rebuilt from the log).
///
/// # Errors
/// Database failures.
pub async fn clear(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    merkle_node::Entity::delete_many().exec(db).await?;
    merkle_leaf::Entity::delete_many().exec(db).await?;
    set_head(db, 0, 0).await
}
