//! Languages and message catalogues: zh-CN and English, from `i18n/*.ftl` (Project Fluent),
//! compiled into the binary. Codes stay stable; only labels and messages change with the language.
//!
//! The language of a request is request-scoped: [`language`] (middleware) reads `?lang=` and
//! `Accept-Language` and runs the rest of the request inside a task-local scope, so the
//! problem+json renderer (`ApiError::problem`) and the pages read it with [`current`] without
//! threading it through every call. The API answers in English unless asked; the HTML pages default to
//! zh-CN (they pass their own default to [`Lang::negotiate`]).

use std::sync::OnceLock;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// 简体中文 (zh-CN).
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag (for `lang=` attributes and `Content-Language`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The value of `?lang=` that selects it.
    pub fn param(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The other language (for the switch on the pages).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// A `?lang=` value: `zh`, `zh-CN`, `zh-Hans`, `en`, `en-GB` … (case-insensitive).
    pub fn from_param(s: &str) -> Option<Lang> {
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::Zh)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The best language for an `Accept-Language` value (RFC 9110 §12.5.4: the highest `q`,
    /// the first on ties; `q=0` refuses), `default` when it names neither language.
    pub fn from_accept_language(header: Option<&str>, default: Lang) -> Lang {
        let Some(header) = header else {
            return default;
        };
        let mut best: Option<(Lang, u16)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default().trim();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .next()
                .map_or(Some(1000), parse_q);
            let (Some(q), Some(lang)) = (q, Lang::from_param(tag)) else {
                continue;
            };
            if q > 0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map_or(default, |(l, _)| l)
    }

    /// `?lang=` first, then `Accept-Language`, then `default`.
    pub fn negotiate(query: &str, accept: Option<&str>, default: Lang) -> Lang {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::from_param(&v))
            .unwrap_or_else(|| Lang::from_accept_language(accept, default))
    }
}

/// A `q` value in thousandths (`1`, `0.8`, `0.125`); `None` when it is not one.
pub fn parse_q(s: &str) -> Option<u16> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let mut thousandths = 0u16;
    for (i, b) in frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .enumerate()
    {
        thousandths += u16::from(b - b'0') * [100, 10, 1][i];
    }
    let q = whole + thousandths;
    (q <= 1000).then_some(q)
}

const ZH_FTL: &str = include_str!("../i18n/zh-CN.ftl");
const EN_FTL: &str = include_str!("../i18n/en.ftl");

struct Catalogues {
    zh: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(tag: &str, source: &'static str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the texts go into HTML, CSV and JSON.
    b.set_use_isolating(false);
    // A catalogue that does not parse fails the `catalogues_parse` test; at run time the
    // messages that did parse are used and the others fall back to their id.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
    // Duplicate ids are caught by the same test; the first one wins.
    let _ = b.add_resource(resource);
    b
}

fn catalogues() -> &'static Catalogues {
    static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();
    CATALOGUES.get_or_init(|| Catalogues {
        zh: bundle("zh-CN", ZH_FTL),
        en: bundle("en", EN_FTL),
    })
}

/// Message `id` in `lang` with arguments; the English message when `lang` lacks it, the id
/// itself when neither has it (a test checks that both catalogues hold the same ids).
pub fn tr(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let c = catalogues();
    let bundles = match lang {
        Lang::Zh => [&c.zh, &c.en],
        Lang::En => [&c.en, &c.en],
    };
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, v.clone());
    }
    for b in bundles {
        if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = b.format_pattern(pattern, Some(&fargs), &mut errors);
            return text.into_owned();
        }
    }
    id.to_owned()
}

/// Message `id` in `lang` without arguments.
pub fn t(lang: Lang, id: &str) -> String {
    tr(lang, id, &[])
}

/// A text argument.
pub fn s(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::String(value.into().into())
}

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being handled; English outside a request.
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or(Lang::En)
}

/// Middleware: runs the request in the language it asks for (`?lang=`, then `Accept-Language`;
/// English by default). Problem documents read it when they render (`ApiError::problem`).
///
/// # Errors
/// Whatever the inner service returns.
pub async fn language(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(req.query_string(), accept, Lang::En);
    LANG.scope(lang, next.call(req)).await
}

/// Runs `f` with `lang` as the request's language (for the CLI and tests).
pub async fn scope<F: std::future::Future>(lang: Lang, f: F) -> F::Output {
    LANG.scope(lang, f).await
}

/// A field message in `lang`: a catalogue message rendered; a raw text (serde's and actix's
/// parser messages) in the catalogue's words when it is one of serde's fixed forms, else as
/// written.
pub fn render_field(message: &Msg, lang: Lang) -> String {
    match message {
        Msg::Raw(text) => field_message(lang, text),
        m => m.render(lang),
    }
}

/// The catalogue's version of a raw field message: serde's shape errors (and the common rules'
/// English forms), recognised by their fixed English form; any other message as written.
pub fn field_message(lang: Lang, message: &str) -> String {
    if lang == Lang::En {
        return message.to_owned();
    }
    let fixed = match message {
        "must not be blank" | "empty" => Some("field-blank"),
        "must not be negative" => Some("field-not-negative"),
        "must be 0 or more" => Some("field-zero-or-more"),
        "out of range" => Some("field-out-of-range"),
        "is in the future" => Some("field-in-future"),
        "named twice" => Some("field-named-twice"),
        _ => None,
    };
    if let Some(id) = fixed {
        return t(lang, id);
    }
    let backticked = |rest: &str| rest.split('`').nth(1).map(str::to_owned);
    if let Some(name) = message.strip_prefix("missing field ").and_then(backticked) {
        return tr(lang, "field-missing", &[("name", s(name))]);
    }
    if let Some(name) = message.strip_prefix("unknown field ").and_then(backticked) {
        return tr(lang, "field-unknown", &[("name", s(name))]);
    }
    for (prefix, id) in [
        ("invalid type: ", "field-invalid-type"),
        ("invalid value: ", "field-invalid-value"),
    ] {
        if let Some((got, expected)) = message
            .strip_prefix(prefix)
            .and_then(|r| r.split_once(", expected "))
        {
            return tr(lang, id, &[("got", s(got)), ("expected", s(expected))]);
        }
    }
    if let Some(min) = message.strip_prefix("must be at least ") {
        return tr(lang, "field-at-least", &[("min", s(min))]);
    }
    if let Some(max) = message
        .strip_prefix("must be at most ")
        .and_then(|r| r.strip_suffix(" characters"))
    {
        return tr(lang, "field-at-most-chars", &[("max", s(max))]);
    }
    if let Some((min, max)) = message
        .strip_prefix("must be between ")
        .and_then(|r| r.split_once(" and "))
    {
        return tr(lang, "field-between", &[("min", s(min)), ("max", s(max))]);
    }
    if let Some(range) = message.strip_prefix("must be ") {
        if let Some((min, max)) = range
            .strip_suffix(" characters")
            .and_then(|r| r.split_once('–'))
        {
            return tr(lang, "field-chars", &[("min", s(min)), ("max", s(max))]);
        }
        if let Some((min, max)) = range.split_once(" to ") {
            return tr(lang, "field-between", &[("min", s(min)), ("max", s(max))]);
        }
    }
    message.to_owned()
}

/// A sentence for a person: the domain's [`Msg`](crate::domain::msg::Msg) — a catalogue id and
/// its arguments, or a raw text written elsewhere — rendered here, in the reader's language, when
/// it is shown. Details of problem documents and field messages are `Msg`s, so that nothing the
/// service says is built by string concatenation in one language. Written
/// `msg!("not-found-call", id = call_id)` (the domain's macro, re-exported at the crate root).
pub use crate::domain::msg::Msg;

/// Renders a [`Msg`] in a language.
pub trait Render {
    /// The message in `lang`: a catalogue message from the catalogues, a raw text as it is.
    fn render(&self, lang: Lang) -> String;

    /// The message in English (logs, the CLI's errors, texts stored in English).
    fn en(&self) -> String {
        self.render(Lang::En)
    }
}

impl Render for Msg {
    fn render(&self, lang: Lang) -> String {
        match self {
            Msg::Catalogue { id, args } => {
                let args: Vec<(&str, FluentValue<'_>)> = args
                    .iter()
                    .map(|(k, v)| (*k, FluentValue::String(v.as_str().into())))
                    .collect();
                tr(lang, id, &args)
            }
            Msg::Raw(text) => text.clone(),
        }
    }
}

/// A raw text as a [`Msg`] (a parser's message, a text a person wrote): shown as is.
pub fn raw(text: impl Into<String>) -> Msg {
    Msg::Raw(text.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldError;

    fn ids(source: &str) -> Vec<String> {
        if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
            panic!("the catalogue does not parse: {errors:?}");
        }
        let mut ids: Vec<String> = source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.to_owned()))
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn catalogues_parse_and_hold_the_same_ids() {
        let zh = ids(ZH_FTL);
        let en = ids(EN_FTL);
        assert_eq!(zh, en, "zh-CN.ftl and en.ftl name the same messages");
        let mut dedup = zh.clone();
        dedup.dedup();
        assert_eq!(dedup, zh, "no id twice");
        assert!(zh.len() > 50);
    }

    /// Every catalogue id the code names (`msg!("…")`) in the service (`src/`) and in the rules
    /// (`domain/src/`) is in both catalogues, so nothing the service says falls back to its id
    /// or to English.
    #[test]
    fn every_id_used_in_code_is_in_both_catalogues() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("the source tree") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        walk(&root.join("src"), &mut files);
        let in_service = files.len();
        walk(&root.join("domain").join("src"), &mut files);
        assert!(
            files.len() > in_service + 30,
            "the domain's sources are walked too"
        );
        let zh = ids(ZH_FTL);
        let en = ids(EN_FTL);
        let mut used = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file");
            for marker in ["msg!(\"", "msg!(\n"] {
                for (i, _) in text.match_indices(marker) {
                    let rest = text[i + marker.len()..]
                        .trim_start()
                        .trim_start_matches('"');
                    let id = rest.split('"').next().unwrap_or_default();
                    if id.is_empty()
                        || !id
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    {
                        continue;
                    }
                    used += 1;
                    assert!(
                        zh.iter().any(|z| z == id) && en.iter().any(|e| e == id),
                        "{}: {id} is in both catalogues",
                        file.display()
                    );
                }
            }
        }
        assert!(used > 400, "{used} catalogue messages used in code");
    }

    #[test]
    fn problem_details_in_chinese_with_their_arguments() {
        let e = crate::error::ApiError::NotFound(crate::msg!("not-found-call", id = 7));
        assert_eq!(e.problem_in(Lang::En).detail, "call 7");
        assert_eq!(e.problem_in(Lang::Zh).detail, "榜单任务 7");
        assert_eq!(e.problem_in(Lang::Zh).title, "未找到");
        let e = crate::error::ApiError::MethodNotAllowed {
            allow: vec!["GET".into()],
        };
        assert_eq!(e.problem_in(Lang::Zh).detail, "此资源只允许：GET");
        let e = crate::error::ApiError::Validation(vec![
            FieldError::new("year", crate::msg!("field-out-of-range")),
            FieldError::new("title", crate::msg!("field-blank")),
        ]);
        assert_eq!(
            e.problem_in(Lang::Zh).detail,
            "共 2 个字段无效：year、title"
        );
        assert_eq!(
            e.problem_in(Lang::En).detail,
            "2 invalid field(s): year, title"
        );
    }

    /// The rules' messages render in both languages with their arguments, and the states and
    /// actions named by code are labelled from the catalogues (message references see the
    /// caller's arguments).
    #[test]
    fn rule_messages_and_state_labels_in_both_languages() {
        let m = crate::msg!(
            "conflict-call-illegal-move",
            action = "open_bids",
            status = "under_review"
        );
        assert_eq!(
            m.render(Lang::En),
            "cannot open the bids of a call that is under review"
        );
        assert_eq!(
            m.render(Lang::Zh),
            "榜单任务当前状态为“评审中”，不能开启揭榜方案"
        );
        let m = crate::msg!("field-notice-days", min = 5, max = 30);
        assert_eq!(
            m.render(Lang::En),
            "must be from 5 (招标投标法实施条例 Art. 54) to 30 natural days"
        );
        assert!(m.render(Lang::Zh).starts_with("公示期须为 5"));
        let m = crate::msg!("field-class-digits", digits = 3, level = "middle");
        assert_eq!(m.render(Lang::En), "must be 3 digits (middle (中类))");
        assert_eq!(m.render(Lang::Zh), "须为 3 位数字（中类）");
        // A raw text is shown as it is; serde's fixed forms are still recognised in fields.
        let raw = Msg::Raw("missing field `year`".into());
        assert_eq!(raw.render(Lang::Zh), "missing field `year`");
        assert_eq!(render_field(&raw, Lang::Zh), "缺少字段 `year`");
        assert_eq!(render_field(&raw, Lang::En), "missing field `year`");
    }

    #[test]
    fn accept_language_takes_the_highest_q() {
        let cases = [
            (None, Lang::En),
            (Some("zh-CN"), Lang::Zh),
            (Some("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh),
            (Some("en-GB,zh;q=0.5"), Lang::En),
            (Some("en;q=0.4, zh-Hans;q=0.7"), Lang::Zh),
            (Some("zh;q=0, fr"), Lang::En),
            (Some("fr-FR"), Lang::En),
            (Some("zh;q=bogus"), Lang::En),
        ];
        for (header, want) in cases {
            assert_eq!(
                Lang::from_accept_language(header, Lang::En),
                want,
                "{header:?}"
            );
        }
        assert_eq!(Lang::from_accept_language(None, Lang::Zh), Lang::Zh);
        assert_eq!(Lang::negotiate("lang=en", Some("zh"), Lang::Zh), Lang::En);
        assert_eq!(Lang::negotiate("x=1&lang=zh", None, Lang::En), Lang::Zh);
    }

    #[test]
    fn field_messages_in_chinese() {
        let cases = [
            ("must not be blank", "不能为空"),
            ("must be at least 1", "不能小于 1"),
            ("must be between 2020 and 2100", "须在 2020 至 2100 之间"),
            ("must be 1–200 characters", "须为 1–200 个字符"),
            ("missing field `year`", "缺少字段 `year`"),
            (
                "invalid type: string \"x\", expected i32",
                "类型无效：收到 string \"x\"，应为 i32",
            ),
            ("something new", "something new"),
        ];
        for (en, zh) in cases {
            assert_eq!(field_message(Lang::Zh, en), zh, "{en}");
            assert_eq!(field_message(Lang::En, en), en, "{en}");
        }
    }
}
