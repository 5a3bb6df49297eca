//! Applicant organisations. Reads decode the registered capital into [`Money`] (failing loudly on
//! an amount the API would have refused).

use chrono::{DateTime, Utc};
use entity::organisation;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::builders::OrganisationKind;
use crate::domain::money::Money;

/// An applicant organisation (建设主体 / 揭榜方).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: i32,
    pub name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    pub district_code: String,
    /// Registered capital (注册资本), 万元.
    pub registered_capital: Option<Money>,
    /// Its type, as the notice's construction models name builders.
    pub kind: OrganisationKind,
    pub created_at: DateTime<Utc>,
}

/// Reads a stored organisation back.
///
/// # Errors
/// A registered capital out of range, an unknown type.
pub fn decode(o: organisation::Model) -> Result<Organisation, DbErr> {
    let registered_capital = o
        .registered_capital
        .map(Money::from_hundredths)
        .transpose()
        .map_err(|e| {
            DbErr::Custom(format!(
                "stored registered capital of organisation {}: {e}",
                o.id
            ))
        })?;
    let kind = o.kind.parse().map_err(|_| {
        DbErr::Custom(format!(
            "stored type of organisation {}: {:?}",
            o.id, o.kind
        ))
    })?;
    Ok(Organisation {
        kind,
        id: o.id,
        name: o.name,
        uscc: o.uscc,
        district_code: o.district_code,
        registered_capital,
        created_at: o.created_at,
    })
}

/// # Errors
/// Database failures, including a duplicate USCC.
pub async fn create(
    db: &impl ConnectionTrait,
    name: String,
    uscc: String,
    district_code: String,
    registered_capital: Option<i64>,
    kind: OrganisationKind,
    now: DateTime<Utc>,
) -> Result<organisation::Model, DbErr> {
    organisation::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        name: Set(name),
        uscc: Set(uscc),
        district_code: Set(district_code),
        registered_capital: Set(registered_capital),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Inserts an organisation.
///
/// # Errors
/// Database failures, including a duplicate USCC (a unique violation).
pub async fn insert(
    db: &impl ConnectionTrait,
    name: String,
    uscc: String,
    district_code: String,
    registered_capital: Option<Money>,
    kind: OrganisationKind,
    now: DateTime<Utc>,
) -> Result<Organisation, DbErr> {
    let m = create(
        db,
        name,
        uscc,
        district_code,
        registered_capital.map(Money::hundredths),
        kind,
        now,
    )
    .await?;
    decode(m)
}

/// # Errors
/// Database failures.
pub async fn by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}

/// Organisations by id (one query).
///
/// # Errors
/// Database failures.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<std::collections::HashMap<i32, organisation::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect())
}

/// One organisation, decoded.
///
/// # Errors
/// Database failures and an undecodable row.
pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<Option<Organisation>, DbErr> {
    by_id(db, id).await?.map(decode).transpose()
}

/// Organisations, optionally only one district's or only one id.
///
/// # Errors
/// Database failures.
pub async fn list(
    db: &impl ConnectionTrait,
    district: Option<&str>,
    only_id: Option<i32>,
) -> Result<Vec<organisation::Model>, DbErr> {
    list_after(db, district, only_id, None, None).await
}

/// Organisations after the id `after` in id order, at most `fetch`, optionally only one
/// district's or only one id.
///
/// # Errors
/// Database failures.
pub async fn list_after(
    db: &impl ConnectionTrait,
    district: Option<&str>,
    only_id: Option<i32>,
    after: Option<i32>,
    fetch: Option<u64>,
) -> Result<Vec<organisation::Model>, DbErr> {
    let mut q = organisation::Entity::find().order_by_asc(organisation::Column::Id);
    if let Some(a) = after {
        q = q.filter(organisation::Column::Id.gt(a));
    }
    if let Some(n) = fetch {
        q = q.limit(n);
    }
    if let Some(d) = district {
        q = q.filter(organisation::Column::DistrictCode.eq(d));
    }
    if let Some(id) = only_id {
        q = q.filter(organisation::Column::Id.eq(id));
    }
    q.all(db).await
}

/// Organisations, optionally only one district's or only one id, decoded.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn organisations(
    db: &impl ConnectionTrait,
    district: Option<&str>,
    only_id: Option<i32>,
) -> Result<Vec<Organisation>, DbErr> {
    organisations_after(db, district, only_id, None, None).await
}

/// [`list_after`], decoded.
///
/// # Errors
/// Database failures and undecodable rows.
pub async fn organisations_after(
    db: &impl ConnectionTrait,
    district: Option<&str>,
    only_id: Option<i32>,
    after: Option<i32>,
    fetch: Option<u64>,
) -> Result<Vec<Organisation>, DbErr> {
    list_after(db, district, only_id, after, fetch)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_registered_capital_out_of_range_fails_loudly() {
        let row = |capital: Option<i64>| organisation::Model {
            id: 3,
            name: "示例科技有限公司".into(),
            uscc: "91500105MA00000010".into(),
            district_code: "500105".into(),
            registered_capital: capital,
            kind: "other".into(),
            created_at: Utc.with_ymd_and_hms(2024, 1, 29, 9, 0, 0).unwrap(),
        };
        assert_eq!(
            decode(row(Some(100_050))).unwrap().registered_capital,
            Some(Money::from_hundredths(100_050).unwrap())
        );
        assert_eq!(decode(row(None)).unwrap().registered_capital, None);
        let e = decode(row(Some(-1))).unwrap_err().to_string();
        assert!(e.contains("registered capital of organisation 3"), "{e}");
        // So does a type the service does not know.
        let mut odd = row(None);
        odd.kind = "boss".into();
        let e = decode(odd).unwrap_err().to_string();
        assert!(e.contains("stored type of organisation 3"), "{e}");
    }
}
