//! Request extractors whose failures are problem+json naming the bad field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError, Msg};
use crate::i18n::{current, Render};
use crate::state::AppState;

/// A JSON body, parsed with the path of any bad field. Malformed JSON is a 400; a well-formed body
/// of the wrong shape (wrong type, unknown or missing field, a value a type refuses) is a 422 naming
/// the field; a body over the limit is a 413; a non-JSON content type is a 415.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T> std::ops::Deref for ValidJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Parses JSON bytes into `T`, reporting the path of a bad field. Every string in the body is
/// held to [`text_hygiene`] first.
///
/// # Errors
/// 400 for malformed JSON, 422 for a body of the wrong shape or text that is not clean.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|inner| ApiError::BadRequest {
            detail: crate::msg!("detail-body-valid-json", inner = inner),
            errors: vec![FieldError::new("body", Msg::Raw(inner.to_string()))],
        })?;
    ApiError::check(text_hygiene(&value))?;
    integral_numbers(&mut value);
    serde_path_to_error::deserialize(ObjectBody(value)).map_err(|err| {
        let path = err.path().to_string();
        let msg = strip_position(&err.inner().to_string());
        let field = named_field(&msg)
            .map(|name| join(&path, &name))
            .unwrap_or_else(|| {
                if path == "." {
                    "body".to_owned()
                } else {
                    path.clone()
                }
            });
        ApiError::Validation(vec![FieldError::new(field, Msg::Raw(msg))])
    })
}

/// A body read as a struct must be a JSON object: serde would also fill a struct from an array
/// of its members in order (`[null, null]`), which the contract does not allow.
struct ObjectBody(serde_json::Value);

impl<'de> serde::Deserializer<'de> for ObjectBody {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_any(self.0, visitor)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if self.0.is_array() {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Seq,
                &"a JSON object",
            ));
        }
        serde::Deserializer::deserialize_struct(self.0, name, fields, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// A number without a fractional part is an integer, as JSON Schema counts it (`3.0` is valid
/// where the contract says `integer`, and some clients send integers so): such numbers are read
/// as integers. Decimals and numbers beyond the 64-bit range stay as they were.
fn integral_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // 2^63 bounds the exactly representable range on both sides.
                const LIMIT: f64 = 9_223_372_036_854_775_808.0;
                if f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) {
                    *v = serde_json::Value::from(f as i64);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Members that hold one line (names, codes, titles): no tab or line break there.
pub(crate) const SINGLE_LINE: &[&str] = &[
    "username",
    "name",
    "brain_name",
    "title",
    "code",
    "uscc",
    "district_code",
    "cluster_code",
    "criterion",
    "phone",
    "major",
    "middle",
    "minor",
    "item",
    "source",
    "role",
    "sealed_by",
    "direction",
    "unit",
    "kind",
    "organisation_name",
    "password",
];

/// Refuses text no official record should hold, naming each field: control characters (NUL and
/// the rest of C0 and C1, DEL; tab and line breaks only in long texts), bidirectional overrides
/// and isolates (which make text read differently from what it is), and values made only of
/// invisible characters.
pub fn text_hygiene(v: &serde_json::Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    walk_text(v, String::new(), None, &mut errors);
    errors
}

fn walk_text(v: &serde_json::Value, path: String, key: Option<&str>, out: &mut Vec<FieldError>) {
    match v {
        serde_json::Value::String(s) => {
            if let Some(problem) = text_problem(s, key.is_some_and(|k| SINGLE_LINE.contains(&k))) {
                out.push(FieldError::new(
                    if path.is_empty() {
                        "body".to_owned()
                    } else {
                        path
                    },
                    problem,
                ));
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_text(item, format!("{path}[{i}]"), key, out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let at = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(problem) = text_problem(k, true) {
                    out.push(FieldError::new(
                        at.clone(),
                        crate::msg!("field-member-name", problem = problem.render(current())),
                    ));
                }
                walk_text(item, at, Some(k), out);
            }
        }
        _ => {}
    }
}

fn text_problem(s: &str, single_line: bool) -> Option<Msg> {
    for c in s.chars() {
        let allowed_break = !single_line && matches!(c, '\t' | '\n' | '\r');
        if c.is_control() && !allowed_break {
            let code = format!("U+{:04X}", u32::from(c));
            return Some(if matches!(c, '\t' | '\n' | '\r') {
                crate::msg!("field-line-break-in-one-line", code = code)
            } else {
                crate::msg!("field-control-character", code = code)
            });
        }
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            return Some(crate::msg!(
                "field-bidi-control",
                code = format!("U+{:04X}", u32::from(c))
            ));
        }
    }
    let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}');
    if s.chars().any(invisible) && s.chars().all(|c| invisible(c) || c.is_whitespace()) {
        return Some(crate::msg!("field-only-invisible"));
    }
    None
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// For "unknown field `x`" and "missing field `x`", the field is `x` under the current path.
fn named_field(msg: &str) -> Option<String> {
    for prefix in ["unknown field `", "missing field `"] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            return rest.split('`').next().map(str::to_owned);
        }
    }
    None
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_owned()
    } else if path == name || path.ends_with(&format!(".{name}")) {
        // An unknown field's path already ends with it.
        path.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(1024 * 1024, |s| s.settings.server.body_limit);
        let content_type_ok = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_none_or(|v| v == "application/json" || v.ends_with("+json"));
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType(crate::msg!(
                    "media-type-send-body-application-json"
                )));
            }
            let too_large = || {
                ApiError::PayloadTooLarge(crate::msg!(
                    "too-large-body-must-at-most-bytes",
                    limit = limit
                ))
            };
            if declared.is_some_and(|n| n > limit) {
                return Err(too_large());
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::BadRequest {
                    detail: crate::msg!("detail-body-could-read", e = e),
                    errors: vec![],
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            if body.is_empty() {
                return Err(ApiError::BadRequest {
                    detail: crate::msg!("detail-json-body-required"),
                    errors: vec![FieldError::new("body", crate::msg!("field-body-empty"))],
                });
            }
            parse_json(&body).map(ValidJson)
        })
    }
}

/// Query parameters, parsed with the name of a bad one: a value of the wrong type or out of its
/// type's range, an unknown parameter — a 400 naming it.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T> ValidQuery<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Parses a query string into `T`, naming the bad parameter.
///
/// # Errors
/// 400 naming the parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let msg = err.inner().to_string();
        let field = named_field(&msg).unwrap_or_else(|| {
            if path == "." || path.is_empty() {
                "query".to_owned()
            } else {
                path.clone()
            }
        });
        ApiError::BadRequest {
            detail: crate::msg!("detail-query-parameter-valid", field = field, msg = msg),
            errors: vec![FieldError::new(field, Msg::Raw(msg))],
        }
    })
}

impl<T: DeserializeOwned> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ValidQuery))
    }
}

/// An integer path parameter (`{id}`, `{year}`, `{number}`). As JSON Schema counts integers, a
/// number written with a zero fraction (`2024.0`) or an exponent (`2.024e3`) is the same integer,
/// so it is read as one; anything else that is not an `int32` is a 400 naming the parameter.
#[derive(Debug, Clone, Copy)]
pub struct IntPath(i32);

impl IntPath {
    pub fn into_inner(self) -> i32 {
        self.0
    }
}

/// Reads an integer path segment: `2024`, `2024.0`, `2.024e3`; not `2024.5`, `inf` or `NaN`.
pub fn parse_int_segment(segment: &str) -> Option<i32> {
    if let Ok(n) = segment.parse::<i32>() {
        return Some(n);
    }
    let numeric = segment
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    if !numeric {
        return None;
    }
    let f = segment.parse::<f64>().ok()?;
    if f.is_finite() && f.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&f)
    {
        // In range and integral: the conversion is exact.
        #[expect(clippy::cast_possible_truncation)]
        let n = f as i32;
        Some(n)
    } else {
        None
    }
}

impl FromRequest for IntPath {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let param = req.match_info().iter().last();
        let result = match param {
            Some((name, value)) => parse_int_segment(value).map(IntPath).ok_or_else(|| {
                let value = format!("{value:?}");
                ApiError::BadRequest {
                    detail: crate::msg!(
                        "bad-request-path-parameter-int",
                        name = name,
                        value = value
                    ),
                    errors: vec![FieldError::new(
                        name,
                        crate::msg!("field-not-int32", value = value),
                    )],
                }
            }),
            None => Err(ApiError::BadRequest {
                detail: crate::msg!("bad-request-path-no-integer"),
                errors: vec![],
            }),
        };
        std::future::ready(result)
    }
}

/// Path parameters that do not parse are a 400 naming the parameter.
pub fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    let PathError::Deserialize(e) = &err else {
        return ApiError::BadRequest {
            detail: Msg::Raw(err.to_string()),
            errors: vec![],
        }
        .into();
    };
    let msg = e.to_string();
    ApiError::BadRequest {
        detail: crate::msg!("detail-path-parameter-valid", msg = msg),
        errors: vec![FieldError::new("path", Msg::Raw(msg))],
    }
    .into()
}

/// Query parameters that do not parse are a 400 naming the parameter.
pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let msg = match &err {
        QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    let field = named_field(&msg).unwrap_or_else(|| "query".to_owned());
    ApiError::BadRequest {
        detail: crate::msg!("detail-query-parameter-valid-2", msg = msg),
        errors: vec![FieldError::new(field, Msg::Raw(msg))],
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code)]
    struct Inner {
        n: u32,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code)]
    struct Outer {
        inner: Inner,
        list: Vec<Inner>,
    }

    fn field_of(body: &str) -> String {
        match parse_json::<Outer>(body.as_bytes()) {
            Err(ApiError::Validation(e)) => e[0].field.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_the_bad_field() {
        assert_eq!(field_of(r#"{"inner":{"n":"x"},"list":[]}"#), "inner.n");
        assert_eq!(
            field_of(r#"{"inner":{"n":1},"list":[{"n":1},{"m":2}]}"#),
            "list[1].m"
        );
        assert_eq!(field_of(r#"{"inner":{"n":1}}"#), "list");
        assert_eq!(
            field_of(r#"{"inner":{"n":1},"list":[],"extra":1}"#),
            "extra"
        );
    }

    #[test]
    fn dirty_text_is_refused_by_field() {
        let fields = |body: &str| -> Vec<String> {
            text_hygiene(&serde_json::from_str(body).unwrap())
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert!(fields(r#"{"note":"第一行\n第二行\t缩进","name":"示例"}"#).is_empty());
        assert_eq!(fields(r#"{"note":"a\u0000b"}"#), ["note"]);
        assert_eq!(
            fields(r#"{"form":{"brain_name":"a\nb"}}"#),
            ["form.brain_name"]
        );
        assert_eq!(
            fields(r#"{"list":[{"name":"ok"},{"name":"\u202egnp.exe"}]}"#),
            ["list[1].name"]
        );
        assert_eq!(fields(r#"{"title":"\u200b\u200b"}"#), ["title"]);
        assert_eq!(fields(r#"{"x\u0007":1}"#), ["x\u{7}"]);
        assert_eq!(fields(r#"{"note":"\u0085"}"#), ["note"]);
    }

    #[test]
    fn an_integral_number_in_a_path_is_that_integer() {
        assert_eq!(parse_int_segment("2024"), Some(2024));
        assert_eq!(parse_int_segment("2092.0"), Some(2092));
        assert_eq!(parse_int_segment("-7.00"), Some(-7));
        assert_eq!(parse_int_segment("2.024e3"), Some(2024));
        assert_eq!(parse_int_segment("2147483647.0"), Some(i32::MAX));
        for bad in [
            "2024.5",
            "2147483648",
            "2147483648.0",
            "inf",
            "NaN",
            "",
            "12a",
            "1e400",
        ] {
            assert_eq!(parse_int_segment(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_struct_is_not_read_from_an_array() {
        assert!(matches!(
            parse_json::<Inner>(b"[1]"),
            Err(ApiError::Validation(_))
        ));
        assert!(parse_json::<Inner>(br#"{"n": 1}"#).is_ok());
        assert!(parse_json::<Vec<Inner>>(br#"[{"n": 1}]"#).is_ok());
    }

    #[test]
    fn malformed_is_bad_request() {
        assert!(matches!(
            parse_json::<Outer>(b"{"),
            Err(ApiError::BadRequest { .. })
        ));
    }
}

/// The `If-Match` header of a conditional write, as sent (absent → 428 when required).
#[derive(Debug, Clone)]
pub struct IfMatch(pub Option<String>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req
            .headers()
            .get(actix_web::http::header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_owned())
            // An empty list names no version: as good as no header (428, not 412).
            .filter(|v| !v.is_empty());
        std::future::ready(Ok(IfMatch(value)))
    }
}

/// A strong entity tag for one version of one object.
pub fn etag(kind: &str, id: i32, version: i32) -> String {
    format!("\"{kind}-{id}-v{version}\"")
}

impl IfMatch {
    /// Requires the header to name exactly the current version (strong comparison), or `*`.
    ///
    /// # Errors
    /// 428 when the header is missing, 412 when it names another version.
    pub fn check(&self, current: &str) -> Result<(), ApiError> {
        match self.0.as_deref() {
            None => Err(ApiError::PreconditionRequired(crate::msg!(
                "precondition-required-send-if-match-etag-you",
                current = current
            ))),
            // RFC 9110 §13.1.1: `*` matches any current representation.
            Some(v) if v.trim() == "*" => Ok(()),
            Some(v) if v.split(',').any(|t| t.trim() == current) => Ok(()),
            Some(v) => Err(ApiError::PreconditionFailed(crate::msg!(
                "precondition-failed-object-changed-since-you-read",
                v = v,
                current = current
            ))),
        }
    }
}

/// A JSON number with at most two decimals, as an integer count of hundredths (exact: read from
/// the number's decimal text, never through a float).
///
/// # Errors
/// A [`FieldError`] naming `field` for a negative number, more than two decimals or a huge value.
pub fn hundredths(field: &str, n: &serde_json::Number) -> Result<i64, FieldError> {
    let text = n.to_string();
    let bad = || FieldError::new(field, crate::msg!("field-hundredths-number", value = text));
    if text.starts_with('-') || text.contains(['e', 'E']) {
        return Err(bad());
    }
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if frac.len() > 2 || whole.len() > 12 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    Ok(whole * 100 + frac)
}

#[cfg(test)]
mod hundredths_tests {
    #[test]
    fn exact_decimal_reading() {
        let n = |s: &str| serde_json::from_str::<serde_json::Number>(s).unwrap();
        assert_eq!(super::hundredths("f", &n("0.35")), Ok(35));
        assert_eq!(super::hundredths("f", &n("40")), Ok(4000));
        assert_eq!(super::hundredths("f", &n("7.5")), Ok(750));
        assert!(super::hundredths("f", &n("0.355")).is_err());
        assert!(super::hundredths("f", &n("-1")).is_err());
    }
}

/// A JSON body as [`ValidJson`] reads it, together with the body as sent, parsed but untouched by
/// the typed reading (no defaults filled in, numbers as written): for what must be kept exactly as
/// the client sent it, such as a bid whose receipt hashes the body's canonical form.
#[derive(Debug)]
pub struct JsonAsSent<T> {
    pub value: T,
    pub sent: serde_json::Value,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonAsSent<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let sent = ValidJson::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let ValidJson(sent) = sent.await?;
            // Written back out and read as `T` with the same field-naming errors; serde_json
            // round-trips every value it parsed (floats print in their shortest exact form).
            let bytes = serde_json::to_vec(&sent).map_err(|e| ApiError::BadRequest {
                detail: crate::msg!("detail-body-could-read-back", e = e),
                errors: vec![],
            })?;
            let value = parse_json::<T>(&bytes)?;
            Ok(JsonAsSent { value, sent })
        })
    }
}
