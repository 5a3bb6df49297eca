//! The rules of the programme: codes, roles, proposals, scoring and the optimiser.
//! Nothing here knows about actix or SQL.

/// An enum stored and sent as snake_case text: serde, strum (`FromStr`, `&'static str`,
/// `Display`, every variant) and the OpenAPI schema derived once, with `as_str`.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize, utoipa::ToSchema, strum::EnumString, strum::IntoStaticStr,
            strum::Display, strum::VariantArray,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    };
}

pub mod acceptance;
pub mod access;
pub mod attestation;
pub mod award;
pub mod bid;
pub mod builders;
pub mod calendar;
pub mod call;
pub mod codes;
pub mod completeness;
pub mod conflict;
pub mod document;
pub mod enquiry;
pub mod event;
pub mod industry_map;
pub mod inventory;
pub mod json_patch;
pub mod layout;
pub mod login_throttle;
pub mod merkle;
pub mod money;
pub mod msg;
pub mod notification;
pub mod ocds;
pub mod panel_draw;
pub mod password_policy;
pub mod pool;
pub mod project;
pub mod proposal;
pub mod proposal_state;
pub mod ranking;
pub mod representativeness;
pub mod role;
pub mod round;
pub mod score;
pub mod sealing;
pub mod selection;
pub mod selection_run;
pub mod webhook;

pub use msg::Msg;

/// One bad input field: where, and what is wrong with it as a catalogue message (rendered in
/// the reader's language in a problem+json `errors` array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path of the field, e.g. `form.industry_class.middle`.
    pub field: String,
    pub message: Msg,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: Msg) -> Self {
        Self {
            field: field.into(),
            message,
        }
    }
}
