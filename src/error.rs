//! The one error type of the HTTP layer, rendered as RFC 9457 `application/problem+json`.
//!
//! Every failure a client can see goes through [`ApiError`]: handler errors, actix's own extractor
//! failures (see `extract.rs`), unknown routes and wrong methods (see `routes::fallback`). A 5xx says
//! nothing of its cause; the cause is logged with its chain.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, RuntimeErr, SqlErr};
use serde::Serialize;
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};
use utoipa::ToSchema;

pub use crate::domain::FieldError;
pub use crate::i18n::Msg;
use crate::i18n::{render_field, s as text, tr, Lang, Render};

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type.
    #[schema(example = "https://jiebang.example/problems/validation")]
    pub r#type: String,
    /// A short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence, for a person to read.
    pub detail: String,
    /// For validation problems: every bad field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
    /// Problem-specific members (e.g. the current state of an object on a 409).
    #[serde(flatten, skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// One bad input field, reported in a problem+json `errors` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct ProblemField {
    /// JSON path of the field, e.g. `form.industry_class.middle`.
    pub field: String,
    pub message: String,
}

impl ProblemField {
    /// A [`FieldError`] with its message rendered in `lang`.
    pub fn rendered(e: &FieldError, lang: Lang) -> Self {
        Self {
            field: e.field.clone(),
            message: render_field(&e.message, lang),
        }
    }
}

/// Field errors rendered in `lang`.
fn rendered(errors: &[FieldError], lang: Lang) -> Vec<ProblemField> {
    errors
        .iter()
        .map(|e| ProblemField::rendered(e, lang))
        .collect()
}

// The `Display` texts below are for logs: the id and arguments of a catalogue message
// (`Msg` has no `Display`; people read the problem document, rendered in their language).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}", .detail.debug_line())]
    BadRequest {
        detail: Msg,
        errors: Vec<FieldError>,
    },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A 422 that is not about one field's shape (e.g. constraints no list satisfies).
    #[error("unprocessable: {}", .detail.debug_line())]
    Unprocessable {
        detail: Msg,
        errors: Vec<FieldError>,
        extensions: serde_json::Map<String, serde_json::Value>,
    },
    #[error("authentication required: {}", .0.debug_line())]
    Unauthorized(Msg),
    #[error("forbidden: {}", .0.debug_line())]
    Forbidden(Msg),
    #[error("not found: {}", .0.debug_line())]
    NotFound(Msg),
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("conflict: {}", .detail.debug_line())]
    Conflict {
        detail: Msg,
        extensions: serde_json::Map<String, serde_json::Value>,
    },
    #[error("precondition failed: {}", .0.debug_line())]
    PreconditionFailed(Msg),
    #[error("precondition required: {}", .0.debug_line())]
    PreconditionRequired(Msg),
    #[error("payload too large: {}", .0.debug_line())]
    PayloadTooLarge(Msg),
    #[error("unsupported media type: {}", .0.debug_line())]
    UnsupportedMediaType(Msg),
    /// 406: no representation the `Accept` header allows.
    #[error("not acceptable: {}", .0.debug_line())]
    NotAcceptable(Msg),
    /// 429 with `Retry-After` (seconds): too many failed logins.
    #[error("too many requests: {}", .detail.debug_line())]
    TooManyRequests { detail: Msg, retry_after: u64 },
    /// 503 with `Retry-After` (seconds): a bounded resource stayed busy (password hashing).
    #[error("unavailable: {}", .detail.debug_line())]
    Unavailable { detail: Msg, retry_after: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    /// A 422 naming one field.
    pub fn field(field: impl Into<String>, message: Msg) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// A 409 with the given extension members (e.g. `current_state`).
    pub fn conflict(detail: Msg) -> Self {
        Self::Conflict {
            detail,
            extensions: serde_json::Map::new(),
        }
    }

    /// Adds a problem member to a 409.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        if let Self::Conflict { extensions, .. } = &mut self {
            extensions.insert(
                key.to_owned(),
                serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
            );
        }
        self
    }

    /// Turns a non-empty list of field errors into a 422, an empty one into `Ok`.
    ///
    /// # Errors
    /// [`ApiError::Validation`] when `errors` is not empty.
    pub fn check(errors: Vec<FieldError>) -> Result<()> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Self::Validation(errors))
        }
    }

    /// The problem type's slug (the catalogue's title is `problem-{slug}`) and English title.
    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            Self::BadRequest { .. } => ("bad-request", "Bad request"),
            Self::Validation(_) => ("validation", "Invalid input"),
            Self::Unprocessable { .. } => ("unprocessable", "Cannot be done as asked"),
            Self::Unauthorized(_) => ("unauthorized", "Authentication required"),
            Self::Forbidden(_) => ("forbidden", "Forbidden"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            Self::Conflict { .. } => ("conflict", "Conflict"),
            Self::PreconditionFailed(_) => ("precondition-failed", "Precondition failed"),
            Self::PreconditionRequired(_) => ("precondition-required", "Precondition required"),
            Self::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            Self::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported media type"),
            Self::NotAcceptable(_) => ("not-acceptable", "Not acceptable"),
            Self::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            Self::Unavailable { .. } => ("unavailable", "Service unavailable"),
            Self::Unexpected(_) => ("internal", "Internal server error"),
        }
    }

    /// The error as a sentence for a person at a terminal: the detail and every bad field, never
    /// a database's own text (that goes to the log).
    pub fn sentence(&self) -> String {
        if let Self::Unexpected(e) = self {
            tracing::error!(error = ?e, "command failed");
            return "the command failed on the database or the system; the log says why".into();
        }
        let p = self.problem();
        let mut out = p.detail;
        for e in p.errors.unwrap_or_default() {
            out.push_str(&format!("\n  {}: {}", e.field, e.message));
        }
        out
    }

    /// The problem document in the request's language (English outside a request).
    pub fn problem(&self) -> Problem {
        self.problem_in(crate::i18n::current())
    }

    /// The problem document in `lang`: the title by its type and the detail from the catalogues.
    pub fn problem_in(&self, lang: Lang) -> Problem {
        let (slug, _) = self.kind();
        let title = tr(lang, &format!("problem-{slug}"), &[]);
        let status = self.status_code();
        let mut errors = None;
        let mut extensions = serde_json::Map::new();
        let detail = match self {
            Self::BadRequest { detail, errors: e } => {
                if !e.is_empty() {
                    errors = Some(rendered(e, lang));
                }
                detail.render(lang)
            }
            Self::Validation(e) => {
                errors = Some(rendered(e, lang));
                let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
                // The field codes stay as they are; only the list separator is the language's.
                let sep = if lang == Lang::Zh { "、" } else { ", " };
                tr(
                    lang,
                    "problem-validation-detail",
                    &[
                        ("count", text(e.len().to_string())),
                        ("fields", text(fields.join(sep))),
                    ],
                )
            }
            Self::Unprocessable {
                detail,
                errors: e,
                extensions: ext,
            } => {
                errors = Some(rendered(e, lang));
                extensions = ext.clone();
                detail.render(lang)
            }
            Self::Unauthorized(d)
            | Self::Forbidden(d)
            | Self::NotFound(d)
            | Self::PreconditionFailed(d)
            | Self::PreconditionRequired(d)
            | Self::PayloadTooLarge(d)
            | Self::UnsupportedMediaType(d)
            | Self::NotAcceptable(d) => d.render(lang),
            Self::TooManyRequests { detail, .. } | Self::Unavailable { detail, .. } => {
                detail.render(lang)
            }
            Self::MethodNotAllowed { allow } => tr(
                lang,
                "problem-method-not-allowed-detail",
                &[("allow", text(allow.join(", ")))],
            ),
            Self::Conflict {
                detail,
                extensions: ext,
            } => {
                extensions = ext.clone();
                detail.render(lang)
            }
            Self::Unexpected(_) => tr(lang, "problem-internal-detail", &[]),
        };
        Problem {
            r#type: format!("https://jiebang.example/problems/{slug}"),
            title,
            status: status.as_u16(),
            detail,
            errors,
            extensions,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation(_) | Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Unexpected(e) = self {
            tracing::error!(error = ?e, "request failed");
        }
        let mut res = HttpResponse::build(self.status_code());
        res.content_type("application/problem+json");
        match self {
            Self::Unauthorized(_) => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::MethodNotAllowed { allow } => {
                res.insert_header((header::ALLOW, allow.join(", ")));
            }
            Self::TooManyRequests { retry_after, .. } | Self::Unavailable { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        // In the request's language (`i18n::language` middleware); English outside a request.
        res.json(self.problem())
    }
}

impl From<DbErr> for ApiError {
    fn from(e: DbErr) -> Self {
        match e {
            DbErr::RecordNotFound(what) => Self::NotFound(Msg::Raw(what)),
            e => match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    Self::conflict(crate::msg!("conflict-unique-key"))
                }
                _ => Self::Unexpected(anyhow::Error::new(e).context("database")),
            },
        }
    }
}

/// True when a database error means "another writer got there first" (SQLite busy, PostgreSQL
/// serialization failure); the caller may retry.
pub fn is_contention(e: &DbErr) -> bool {
    let text = match e {
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => {
            s.to_string()
        }
        DbErr::Conn(RuntimeErr::SqlxError(s)) => s.to_string(),
        _ => return false,
    };
    text.contains("database is locked")
        || text.contains("could not serialize")
        || text.contains("deadlock")
}

/// Reusable problem+json responses for the OpenAPI document.
pub mod responses {
    use super::*;

    macro_rules! problem_response {
        ($name:ident, $desc:literal) => {
            #[doc = $desc]
            pub struct $name;
            impl<'r> utoipa::ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<Response>) {
                    (
                        stringify!($name),
                        RefOr::T(
                            ResponseBuilder::new()
                                .description($desc)
                                .content(
                                    "application/problem+json",
                                    ContentBuilder::new()
                                        .schema(Some(RefOr::Ref(
                                            utoipa::openapi::Ref::from_schema_name(Problem::name()),
                                        )))
                                        .build(),
                                )
                                .build(),
                        ),
                    )
                }
            }
        };
    }

    problem_response!(
        BadRequest,
        "The request could not be parsed (malformed JSON, a bad path or query parameter)."
    );
    problem_response!(Unauthorized, "No valid bearer token.");
    problem_response!(
        Forbidden,
        "The caller's role or bindings do not allow this."
    );
    problem_response!(NotFound, "No such object, or not one the caller may see.");
    problem_response!(
        Conflict,
        "The object's state or a unique key does not allow this."
    );
    problem_response!(PreconditionFailed, "The If-Match ETag is stale.");
    problem_response!(
        NotAcceptable,
        "The `Accept` header names no format this resource has; the detail lists them."
    );
    problem_response!(PayloadTooLarge, "The body is over the size limit.");
    problem_response!(
        Unprocessable,
        "One or more fields are invalid; `errors` names each."
    );
    problem_response!(PreconditionRequired, "The request must carry If-Match.");
    problem_response!(
        TooManyRequests,
        "Too many failed logins for this account or address; `Retry-After` says when to try again."
    );
    problem_response!(
        ServiceUnavailable,
        "Password checking is saturated; `Retry-After` says when to try again."
    );
}
