//! Builders as the notice defines them (issue 16 item 2). The notice's 填报说明 3 names three
//! construction models and who builds under each: 政府主导 — "区县（园区）平台公司单独或联合相关企业
//! 建设"; 链主企业 — the chain-leader enterprise leads; 第三方平台 — a third-party platform enterprise
//! leads. So an organisation has a type ([`OrganisationKind`]), and a proposal or a bid names a
//! lead builder (its owner) and joint builders ([`JointBuilder`]), each with a role
//! ([`BuilderRole`]). Conflicts and eligibility consider every member ([`members`]).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldError;

/// The most joint builders a proposal or bid may name (besides its lead).
pub const MAX_JOINT_BUILDERS: usize = 10;

text_enum!(
    /// An organisation's type, as the notice's construction models name builders.
    OrganisationKind {
        /// 区县（园区）平台公司: a district's or zone's platform company (government-led model).
        DistrictPlatform,
        /// 链主企业: a chain-leader enterprise.
        ChainLeader,
        /// 第三方平台企业: a third-party platform enterprise.
        ThirdPartyPlatform,
        /// Any other organisation (a supplier, a university, a research institute, …).
        Other,
    }
);

text_enum!(
    /// What a joint builder does in a joint proposal or bid.
    BuilderRole {
        /// 联合建设: builds a part of the brain beside the lead.
        CoBuilder,
        /// 技术支撑: provides the technology (platform, models, integration).
        TechnologyProvider,
        /// 数据提供: brings the industry's data.
        DataProvider,
        /// 运营服务: runs the brain after it is built.
        Operator,
        /// 资金投入: co-funds the construction.
        CoFunder,
    }
);

/// A joint builder (联合建设单位) named beside the lead, with its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JointBuilder {
    /// An organisation known to the service (`GET /organisations`).
    #[schema(example = 2)]
    pub organisation_id: i32,
    pub role: BuilderRole,
}

/// Checks the joint builders named beside `lead` (when known): positive ids, none twice, not the
/// lead, at most [`MAX_JOINT_BUILDERS`]. Fields are `{prefix}joint_builders[i].organisation_id`
/// (and `{prefix}joint_builders` for the count).
pub fn validate(prefix: &str, lead: Option<i32>, joint: &[JointBuilder]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if joint.len() > MAX_JOINT_BUILDERS {
        errors.push(FieldError::new(
            format!("{prefix}joint_builders"),
            crate::msg!("field-at-most-items", max = MAX_JOINT_BUILDERS),
        ));
    }
    for (i, j) in joint.iter().enumerate() {
        let field = format!("{prefix}joint_builders[{i}].organisation_id");
        if j.organisation_id <= 0 {
            errors.push(FieldError::new(field, crate::msg!("field-positive-id")));
        } else if Some(j.organisation_id) == lead {
            errors.push(FieldError::new(
                field,
                crate::msg!("field-joint-builder-is-lead"),
            ));
        } else if joint[..i]
            .iter()
            .any(|k| k.organisation_id == j.organisation_id)
        {
            errors.push(FieldError::new(
                field,
                crate::msg!("field-joint-builder-twice", id = j.organisation_id),
            ));
        }
    }
    errors
}

/// Every member of a joint undertaking: the lead first, then the joint builders in their order
/// (each once).
pub fn members(lead: i32, joint: &[JointBuilder]) -> Vec<i32> {
    let mut out = vec![lead];
    for j in joint {
        if !out.contains(&j.organisation_id) {
            out.push(j.organisation_id);
        }
    }
    out
}

/// The type a lead builder has under each construction model (填报说明 3), for the reviewer:
/// `None` when the lead's type fits the model (an organisation of type `other` fits none).
pub fn lead_fits(
    model: super::proposal::ConstructionModel,
    lead: OrganisationKind,
) -> Option<OrganisationKind> {
    use super::proposal::ConstructionModel as M;
    let expected = match model {
        M::GovernmentLed => OrganisationKind::DistrictPlatform,
        M::ChainLeaderLed => OrganisationKind::ChainLeader,
        M::ThirdParty => OrganisationKind::ThirdPartyPlatform,
    };
    (lead != expected).then_some(expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::ConstructionModel;

    fn j(id: i32) -> JointBuilder {
        JointBuilder {
            organisation_id: id,
            role: BuilderRole::CoBuilder,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_valid_list_passes() {
        assert!(validate("", Some(1), &[j(2), j(3)]).is_empty());
        assert!(validate("form.", None, &[]).is_empty());
        let ten: Vec<_> = (2..12).map(j).collect();
        assert!(validate("", Some(1), &ten).is_empty());
    }

    #[test]
    fn the_lead_twice_a_duplicate_a_bad_id_and_too_many_are_named() {
        let errors = validate("form.", Some(1), &[j(1), j(2), j(2), j(0), j(-3)]);
        assert_eq!(
            fields(&errors),
            [
                "form.joint_builders[0].organisation_id",
                "form.joint_builders[2].organisation_id",
                "form.joint_builders[3].organisation_id",
                "form.joint_builders[4].organisation_id",
            ]
        );
        assert_eq!(
            errors[0].message,
            crate::msg!("field-joint-builder-is-lead")
        );
        assert_eq!(
            errors[1].message,
            crate::msg!("field-joint-builder-twice", id = 2)
        );
        let eleven: Vec<_> = (2..13).map(j).collect();
        assert_eq!(fields(&validate("", Some(1), &eleven)), ["joint_builders"]);
        // Without a known lead, only the list itself is judged.
        assert!(validate("", None, &[j(1)]).is_empty());
    }

    #[test]
    fn members_are_the_lead_then_each_joint_builder_once() {
        assert_eq!(members(5, &[]), [5]);
        assert_eq!(members(5, &[j(7), j(5), j(8), j(7)]), [5, 7, 8]);
    }

    #[test]
    fn each_model_has_its_lead_type() {
        use OrganisationKind as K;
        assert_eq!(
            lead_fits(ConstructionModel::GovernmentLed, K::DistrictPlatform),
            None
        );
        assert_eq!(
            lead_fits(ConstructionModel::ChainLeaderLed, K::ChainLeader),
            None
        );
        assert_eq!(
            lead_fits(ConstructionModel::ThirdParty, K::ThirdPartyPlatform),
            None
        );
        assert_eq!(
            lead_fits(ConstructionModel::GovernmentLed, K::ChainLeader),
            Some(K::DistrictPlatform)
        );
        assert_eq!(
            lead_fits(ConstructionModel::ThirdParty, K::Other),
            Some(K::ThirdPartyPlatform)
        );
        assert_eq!(
            lead_fits(ConstructionModel::ChainLeaderLed, K::DistrictPlatform),
            Some(K::ChainLeader)
        );
    }

    #[test]
    fn types_and_roles_read_as_snake_case() {
        assert_eq!(
            serde_json::to_string(&OrganisationKind::DistrictPlatform).unwrap(),
            "\"district_platform\""
        );
        let j: JointBuilder =
            serde_json::from_str(r#"{"organisation_id": 3, "role": "data_provider"}"#).unwrap();
        assert_eq!(j.role, BuilderRole::DataProvider);
        assert!(
            serde_json::from_str::<JointBuilder>(r#"{"organisation_id": 3, "role": "boss"}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<JointBuilder>(
            r#"{"organisation_id": 3, "role": "operator", "x": 1}"#
        )
        .is_err());
    }
}
