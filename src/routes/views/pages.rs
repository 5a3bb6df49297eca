//! The public pages (公示) as HTML, rendered with `maud` (escaped by default). No script; one
//! stylesheet from this server (`/public/style.css`, compiled in); charts inline as SVG; every
//! label from the message catalogues; a switch to the other language and a link to the same
//! data as JSON and OCDS on every page; an A4 print layout.

use chrono::{DateTime, FixedOffset, Utc};
use maud::{html, Markup, DOCTYPE};

use super::charts;
use crate::app::brains::BrainPage;
use crate::app::public::{CallPage, Home, ListPage, Names};
use crate::domain::score::{hundredths_text, units_text};
use crate::domain::selection::{ForcingCost, LeftOutReason, WeightName};
use crate::i18n::{s, t, tr, Lang};

/// The stylesheet, compiled in.
pub const STYLE_CSS: &str = include_str!("pages.css");

/// The pages' content security policy: this server's stylesheet, inline SVG, nothing else.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub fn beijing(at: DateTime<Utc>) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).map_or_else(
        || at.format("%Y-%m-%d %H:%M UTC").to_string(),
        |tz| at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
    );
    cst
}

/// Links that keep the page and switch the language.
struct Frame<'a> {
    lang: Lang,
    title: String,
    /// The page's path without the query (for the language switch).
    path: &'a str,
    /// Other query members to keep (already encoded), e.g. `version=2`.
    keep: Option<String>,
    json: String,
    ocds: Option<String>,
}

fn layout(f: &Frame<'_>, body: Markup) -> Markup {
    let other = f.lang.other();
    let switch = match &f.keep {
        Some(k) => format!("{}?{k}&lang={}", f.path, other.param()),
        None => format!("{}?lang={}", f.path, other.param()),
    };
    let here = |p: &str| format!("{p}?lang={}", f.lang.param());
    html! {
        (DOCTYPE)
        html lang=(f.lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (f.title) " — " (t(f.lang, "site-title")) }
                link rel="stylesheet" href="/public/style.css";
                // No favicon request: an empty one inline.
                link rel="icon" href="data:,";
            }
            body {
                header class="site" {
                    div class="brand" {
                        a href=(here("/")) { (t(f.lang, "site-title")) }
                        div class="sub" { (t(f.lang, "site-subtitle")) }
                    }
                    nav {
                        a href=(here("/")) { (t(f.lang, "nav-home")) }
                        a href=(here("/public/brains")) { (t(f.lang, "nav-brains")) }
                        a class="lang" hreflang=(other.tag()) href=(switch) { (t(f.lang, "lang-switch")) }
                    }
                }
                main {
                    h1 { (f.title) }
                    (body)
                }
                footer {
                    p class="data" {
                        a href=(f.json) { (t(f.lang, "json-link")) }
                        @if let Some(o) = &f.ocds { " · " a href=(o) { (t(f.lang, "ocds-link")) } }
                    }
                    p { (t(f.lang, "footer")) " " span class="no-print" { (t(f.lang, "print-hint")) } }
                }
            }
        }
    }
}

/// `/`: the programme, its rounds and calls.
pub fn home(h: &Home, lang: Lang) -> Markup {
    let frame = Frame {
        lang,
        title: t(lang, "site-title"),
        path: "/",
        keep: None,
        json: "/api/v1/calls".into(),
        ocds: None,
    };
    layout(
        &frame,
        html! {
            p class="intro" { (t(lang, "home-intro")) }
            h2 { (t(lang, "home-rounds")) }
            ul class="rounds" {
                @for r in &h.rounds {
                    li {
                        (tr(lang, "round-line", &[
                            ("year", r.round.year.into()),
                            ("title", s(r.round.title.clone())),
                            ("deadline", s(r.round.intake_deadline_text.clone())),
                            ("size", r.round.list_size.into()),
                        ]))
                        " — "
                        @if r.list_version.is_some() {
                            a href=(format!("/public/{}/list?lang={}", r.round.year, lang.param())) {
                                (tr(lang, "round-list-link", &[("year", r.round.year.into())]))
                            }
                        } @else {
                            (t(lang, "no-list"))
                        }
                    }
                }
            }
            h2 { (t(lang, "home-calls")) }
            table {
                thead { tr { th { "#" } th { (t(lang, "col-direction")) } th { (t(lang, "col-window")) } th { (t(lang, "col-bids")) } th { (t(lang, "col-status")) } } }
                tbody {
                    @for c in &h.calls {
                        tr {
                            td { (c.call.id) }
                            td { a href=(format!("/public/calls/{}?lang={}", c.call.id, lang.param())) { (c.direction) } }
                            td { (beijing(c.call.opens_at)) " – " (beijing(c.call.closes_at)) }
                            td class="num" { (c.bid_count) }
                            td { (status_label(lang, c.status.as_str())) }
                        }
                    }
                }
            }
        },
    )
}

fn status_label(lang: Lang, code: &str) -> String {
    t(lang, &format!("call-status-{code}"))
}

fn pid(id: i32) -> String {
    format!("P-{id}")
}

fn weight_label(lang: Lang, w: WeightName) -> String {
    t(lang, &format!("criterion-{}", w.as_str()))
}

/// A left-out proposal's reason in the page's language.
pub fn reason_text(lang: Lang, r: &LeftOutReason) -> String {
    match r {
        LeftOutReason::Excluded => t(lang, "reason-excluded"),
        LeftOutReason::BelowFloor {
            completeness,
            floor,
        } => tr(
            lang,
            "reason-below_floor",
            &[
                ("completeness", s(hundredths_text(*completeness))),
                ("floor", s(hundredths_text(*floor))),
            ],
        ),
        LeftOutReason::SameDistrict { as_id, as_total } => tr(
            lang,
            "reason-same_district",
            &[("as", s(pid(*as_id))), ("total", s(units_text(*as_total)))],
        ),
        LeftOutReason::SameCluster { as_id, as_total } => tr(
            lang,
            "reason-same_cluster",
            &[("as", s(pid(*as_id))), ("total", s(units_text(*as_total)))],
        ),
        LeftOutReason::Outranked {
            lowest_chosen_id,
            lowest_chosen_total,
        } => tr(
            lang,
            "reason-outranked",
            &[
                ("as", s(pid(*lowest_chosen_id))),
                ("total", s(units_text(*lowest_chosen_total))),
            ],
        ),
        LeftOutReason::DisplacedByConstraint { constraint } => {
            let id = format!("constraint-{constraint}");
            let label = t(lang, &id);
            let label = if label == id {
                constraint.clone()
            } else {
                label
            };
            tr(lang, "reason-displaced", &[("constraint", s(label))])
        }
        LeftOutReason::TieRule { preferred_id } => {
            tr(lang, "reason-tie_rule", &[("as", s(pid(*preferred_id)))])
        }
    }
}

/// What forcing a left-out proposal in would cost, in the page's language.
pub fn cost_text(lang: Lang, c: Option<&ForcingCost>) -> String {
    match c {
        Some(ForcingCost::Cost { units }) => {
            tr(lang, "forcing-cost", &[("cost", s(units_text(*units)))])
        }
        Some(ForcingCost::Impossible) => t(lang, "forcing-impossible"),
        None => "—".into(),
    }
}

fn district_cell(names: &Names, code: &str) -> Markup {
    html! { (names.district(code)) " " span class="code" { (code) } }
}

fn cluster_cell(names: &Names, code: Option<&str>) -> Markup {
    html! {
        (names.cluster(code))
        @if let Some(c) = code { " " span class="code" { (c) } }
    }
}

/// `/public/{year}/list`: the list, its versions, the score parts, the chart, the strongest left
/// out and why, the weight ranges.
pub fn list(p: &ListPage, lang: Lang) -> Markup {
    let l = &p.list;
    let path = format!("/public/{}/list", l.year);
    let frame = Frame {
        lang,
        title: tr(
            lang,
            "list-title",
            &[("year", l.year.into()), ("version", l.version.into())],
        ),
        path: &path,
        keep: Some(format!("version={}", l.version)),
        json: format!("/api/v1/rounds/{}/list?version={}", l.year, l.version),
        ocds: Some(format!("/api/v1/ocds/records?year={}", l.year)),
    };
    let w = p.run.weights;
    let scores_of = |id: i32| p.run.chosen.iter().find(|b| b.proposal_id == id);
    layout(
        &frame,
        html! {
            p { (tr(lang, "list-published", &[("at", s(beijing(l.published_at))), ("note", s(l.note.clone()))])) }
            @if let Some(r) = &l.correction_reason {
                p class="correction" { (tr(lang, "list-correction", &[("reason", s(r.clone()))])) }
            }
            @if l.versions.len() > 1 {
                p class="versions" {
                    (t(lang, "list-versions")) ": "
                    @for v in &l.versions {
                        @if *v == l.version { strong { "v" (v) } " " }
                        @else { a href=(format!("{path}?version={v}&lang={}", lang.param())) { "v" (v) } " " }
                    }
                }
            }
            p { (tr(lang, "weights-line", &[("c", w.completeness.into()), ("r", w.representativeness.into()), ("l", w.layout.into())])) }
            h2 { (t(lang, "list-items")) }
            table class="list" {
                thead { tr {
                    th { (t(lang, "col-rank")) }
                    th { (t(lang, "col-direction")) }
                    th { (t(lang, "col-district")) }
                    th { (t(lang, "col-cluster")) }
                    th { (t(lang, "col-class")) }
                    th { (t(lang, "criterion-completeness")) }
                    th { (t(lang, "criterion-representativeness")) }
                    th { (t(lang, "criterion-layout")) }
                    th { (t(lang, "col-total")) }
                } }
                tbody {
                    @for item in &l.items {
                        tr {
                            td class="num" { (item.rank) }
                            td { (item.direction) br; span class="code" { (pid(item.proposal_id)) } }
                            td { (district_cell(&p.names, &item.district_code)) }
                            td { (cluster_cell(&p.names, item.cluster_code.as_deref())) }
                            td class="code" { (item.industry_class.minor.clone().or(item.industry_class.middle.clone()).or(item.industry_class.major.clone()).unwrap_or_default()) }
                            @if let Some(b) = scores_of(item.proposal_id) {
                                @for k in 0..3 { td class="num" { (hundredths_text(b.scores[k])) } }
                            } @else {
                                td {} td {} td {}
                            }
                            td class="num" { strong { (units_text(item.total)) } }
                        }
                    }
                }
            }
            figure class="chart" {
                (charts::selection(&p.run, &p.names, lang))
                figcaption {
                    (t(lang, "list-chart")) " · "
                    a href=(format!("/api/v1/selections/{}/chart.svg", p.run.id)) { "SVG" }
                }
            }
            h2 { (t(lang, "list-left-out")) }
            table class="left-out" {
                thead { tr {
                    th { (t(lang, "col-proposal")) }
                    th { (t(lang, "col-district")) }
                    th { (t(lang, "col-cluster")) }
                    th { (t(lang, "col-total")) }
                    th { (t(lang, "col-reason")) }
                    th { (t(lang, "col-cost")) }
                } }
                tbody {
                    @for o in &p.run.left_out {
                        tr {
                            td { (pid(o.bar.proposal_id)) }
                            td { (district_cell(&p.names, &o.bar.district_code)) }
                            td { (cluster_cell(&p.names, Some(o.bar.cluster_code.as_str()))) }
                            td class="num" { (units_text(o.bar.total)) }
                            td { (reason_text(lang, &o.reason)) }
                            td { (cost_text(lang, o.forcing_cost.as_ref())) }
                        }
                    }
                }
            }
            h2 { (t(lang, "list-weights")) }
            ul class="weights" {
                @for iv in &p.run.weight_intervals {
                    li { (tr(lang, "weight-range", &[
                        ("name", s(weight_label(lang, iv.weight))),
                        ("low", iv.low.into()),
                        ("high", iv.high.into()),
                        ("current", iv.current.into()),
                    ])) }
                }
            }
        },
    )
}

/// `/public/calls/{id}`: the call, its window, the number of bids; from the notice on the
/// winners, the ranking (anonymised experts) and the objections with their answers.
pub fn call(p: &CallPage, lang: Lang) -> Markup {
    let c = &p.call;
    let path = format!("/public/calls/{}", c.call.id);
    let frame = Frame {
        lang,
        title: tr(
            lang,
            "call-title",
            &[
                ("id", c.call.id.into()),
                ("direction", s(c.direction.clone())),
            ],
        ),
        path: &path,
        keep: None,
        json: format!("/api/v1/calls/{}", c.call.id),
        ocds: Some(format!("/api/v1/ocds/records?year={}", c.year)),
    };
    layout(
        &frame,
        html! {
            p class="status" { strong { (status_label(lang, c.status.as_str())) } }
            p { (tr(lang, "call-window", &[("opens", s(beijing(c.call.opens_at))), ("closes", s(beijing(c.call.closes_at)))])) }
            p class="bids" { (tr(lang, "call-bids", &[("count", c.bid_count.into())])) }
            @if c.call.opened_at.is_none() {
                p class="sealed" { (t(lang, "call-sealed")) }
            }
            h2 { (t(lang, "call-requirements")) }
            p class="requirements" { (c.call.requirements) }
            @if !c.winners.is_empty() {
                h2 { (t(lang, "call-winners")) }
                table class="winners" {
                    thead { tr { th { (t(lang, "col-bidder")) } th { (t(lang, "col-budget")) } } }
                    tbody {
                        @for w in &c.winners {
                            tr {
                                td { (w.organisation_name) " " span class="code" { "B-" (w.bid_id) } }
                                td class="num" { @if let Some(b) = &w.budget { (b.to_string()) } @else { "—" } }
                            }
                        }
                    }
                }
                @if let Some(n) = &c.award_note { p { (t(lang, "call-award-note")) ": " (n) } }
            }
            @if let Some(r) = &p.ranking {
                h2 { (t(lang, "call-ranking")) }
                table class="ranking" {
                    thead { tr {
                        th { (t(lang, "col-rank")) }
                        th { (t(lang, "col-bid")) }
                        @for crit in r.bids.first().map(|b| b.per_criterion.as_slice()).unwrap_or_default() {
                            th { (crit.criterion) " (" (crit.weight) "%)" }
                        }
                        th { (t(lang, "col-total")) }
                    } }
                    tbody {
                        @for b in &r.bids {
                            tr {
                                td class="num" { @if let Some(k) = b.rank { (k) } @else { "—" } }
                                td { "B-" (b.bid_id) }
                                @for cr in &b.per_criterion {
                                    td class="num" {
                                        (cr.mean_display)
                                        br;
                                        span class="experts" {
                                            @for v in &cr.values { (v.expert) " " (hundredths_text(v.points)) " " }
                                        }
                                    }
                                }
                                td class="num" { strong { (b.total_display) } }
                            }
                        }
                    }
                }
                figure class="chart" { (charts::ranking(r, lang)) }
            }
            @if let Some(o) = &p.objections {
                h2 { (t(lang, "call-objections")) }
                @if o.total == 0 {
                    p { (t(lang, "call-no-objections")) }
                } @else {
                    p { (tr(lang, "call-objections-count", &[("total", o.total.into()), ("unanswered", o.unanswered.into())])) }
                    @for a in &o.answered {
                        section class="objection" {
                            p { strong { (t(lang, "objection-grounds")) } " (" (beijing(a.submitted_at)) "): " (a.grounds) }
                            p {
                                strong { (t(lang, "objection-answer")) } " (" (beijing(a.answered_at)) ", "
                                (t(lang, if a.upheld { "objection-upheld" } else { "objection-dismissed" })) "): "
                                (a.answer)
                            }
                        }
                    }
                }
            }
            p class="no-print" { a href=(format!("/?lang={}", lang.param())) { "← " (t(lang, "nav-home")) } }
            @let _ = &p.names;
        },
    )
}

/// `/public/brains`: the plaque register.
pub fn brains(page: &BrainPage, names: &Names, lang: Lang) -> Markup {
    let frame = Frame {
        lang,
        title: t(lang, "brains-title"),
        path: "/public/brains",
        keep: None,
        json: "/api/v1/brains?limit=100".into(),
        ocds: None,
    };
    layout(
        &frame,
        html! {
            @if page.items.is_empty() {
                p { (t(lang, "brains-empty")) }
            } @else {
                table class="brains" {
                    thead { tr {
                        th { (t(lang, "col-number")) }
                        th { (t(lang, "col-direction")) }
                        th { (t(lang, "col-district")) }
                        th { (t(lang, "col-builder")) }
                        th { (t(lang, "col-date")) }
                        th { (t(lang, "col-status")) }
                        th { (t(lang, "col-grade")) }
                    } }
                    tbody {
                        @for b in &page.items {
                            tr {
                                td class="code" { (b.plaque.number) }
                                td { (b.plaque.brain_name) }
                                td { (district_cell(names, &b.plaque.district_code)) }
                                td { (b.builder) }
                                td { (b.plaque.issued_on.to_string()) }
                                td {
                                    (t(lang, &format!("plaque-status-{}", b.plaque.status.as_str())))
                                    @if let Some(d) = b.plaque.rectify_until { " (" (d.to_string()) ")" }
                                }
                                td {
                                    @if let Some(e) = b.evaluations.last() {
                                        (e.year) " " (t(lang, &format!("grade-{}", e.grade.as_str())))
                                    } @else { "—" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
