//! Applicant organisations.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::organisations::{NewOrganisation, Organisation};
use crate::domain::builders::OrganisationKind;
use crate::domain::money::Money;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrganisationDto {
    pub id: i32,
    pub name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    pub district_code: String,
    /// Registered capital (注册资本), 万元.
    pub registered_capital: Option<Money>,
    /// Its type (区县/园区平台公司, 链主企业, 第三方平台企业, other), as the notice's construction
    /// models name builders.
    pub kind: OrganisationKind,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Organisation> for OrganisationDto {
    fn from(o: Organisation) -> Self {
        Self {
            id: o.id,
            name: o.name,
            uscc: o.uscc,
            district_code: o.district_code,
            registered_capital: o.registered_capital,
            kind: o.kind,
            created_at: o.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "示例日化科技有限公司", "uscc": "91500105MA0000002U", "district_code": "500105", "registered_capital": 5000, "kind": "district_platform"}))]
pub struct CreateOrganisation {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// 统一社会信用代码: 18 characters (GB 32100-2015) with a valid check character.
    #[schema(
        example = "91500105MA0000002U",
        pattern = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
    )]
    pub uscc: String,
    /// Where it is registered: a district or zone code.
    #[schema(
        pattern = "^(5001(0[1-9]|1[0-9]|20|5[1-6])|5002(29|3[0135-8]|4[0-3])|CQLJ|CQGX|CQWS)$"
    )]
    pub district_code: String,
    /// Registered capital (注册资本), 万元; calls may require a minimum.
    pub registered_capital: Option<Money>,
    /// Its type; `other` when not given.
    #[serde(default)]
    pub kind: Option<OrganisationKind>,
}

impl From<CreateOrganisation> for NewOrganisation {
    fn from(b: CreateOrganisation) -> Self {
        Self {
            name: b.name,
            uscc: b.uscc,
            district_code: b.district_code,
            registered_capital: b.registered_capital,
            kind: b.kind,
        }
    }
}
