//! Server-side SVG charts, hand-built with `maud` (escaped text, no script, no external font or
//! style: presentation attributes only, so a strict content security policy holds):
//! - a selection run: a stacked bar per chosen and strongest left-out proposal (each criterion's
//!   weighted contribution), then each weight's stability interval as a range;
//! - a call's ranking: each bid's per-expert points on each criterion, the trimmed ones marked.

use maud::{html, Markup, PreEscaped};

use crate::app::award::Ranking;
use crate::app::public::{Names, RunFacts};
use crate::domain::score::units_text;
use crate::domain::selection::WeightName;
use crate::i18n::{t, tr, Lang};

const COLOURS: [&str; 3] = ["#2b6cb0", "#c05621", "#2f855a"];
const CRITERIA: [&str; 3] = [
    "criterion-completeness",
    "criterion-representativeness",
    "criterion-layout",
];
const FONT: &str = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif";

/// An SVG document (with its XML declaration) for `image/svg+xml` answers.
pub fn document(svg: &Markup) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        svg.0.as_str()
    )
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// The selection chart: stacked weighted contributions (0–100 points), chosen then left out,
/// then the weight-stability ranges.
pub fn selection(run: &RunFacts, names: &Names, lang: Lang) -> Markup {
    const LABEL: f64 = 230.0;
    const BAR: f64 = 430.0;
    const ROW: f64 = 24.0;
    let w = run.weights.as_array();
    let rows: Vec<_> = run
        .chosen
        .iter()
        .chain(run.left_out.iter().map(|l| &l.bar))
        .collect();
    let top = 46.0;
    let bars_end = top + ROW * rows.len() as f64 + 14.0;
    let ranges_top = bars_end + 30.0;
    let height = ranges_top + 26.0 * run.weight_intervals.len() as f64 + 10.0;
    let width = LABEL + BAR + 70.0;
    let scale = BAR / 100.0;
    let title = tr(lang, "list-chart", &[]);
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"
            viewBox=(format!("0 0 {} {}", px(width), px(height)))
            width=(px(width)) height=(px(height)) font-family=(FONT) font-size="12" {
            title { (title) " (" (run.year) ", #" (run.id) ")" }
            // legend
            @for (k, id) in CRITERIA.iter().enumerate() {
                rect x=(px(10.0 + 240.0 * k as f64)) y="8" width="12" height="12" fill=(COLOURS[k]) {}
                text x=(px(26.0 + 240.0 * k as f64)) y="18" { (t(lang, id)) " " (w[k]) "%" }
            }
            // axis
            @for tick in [0, 25, 50, 75, 100] {
                line x1=(px(LABEL + scale * f64::from(tick))) x2=(px(LABEL + scale * f64::from(tick)))
                    y1=(px(top - 6.0)) y2=(px(bars_end - 10.0)) stroke="#ccc" stroke-width="0.5" {}
                text x=(px(LABEL + scale * f64::from(tick))) y=(px(top - 9.0)) text-anchor="middle" fill="#555" { (tick) }
            }
            @for (i, b) in rows.iter().enumerate() {
                @let y = top + ROW * i as f64;
                @let segs = segments(w, b.scores, LABEL, scale);
                @let end = segs.last().map_or(LABEL, |(x, width)| x + width);
                g class=(if b.chosen { "bar chosen" } else { "bar left-out" }) opacity=(if b.chosen { "1" } else { "0.55" }) {
                    text x=(px(LABEL - 6.0)) y=(px(y + 15.0)) text-anchor="end" {
                        "P-" (b.proposal_id) " " (names.district(&b.district_code))
                    }
                    @for (k, (x, seg)) in segs.iter().enumerate() {
                        rect x=(px(*x)) y=(px(y + 4.0)) width=(px(*seg)) height=(px(ROW - 8.0)) fill=(COLOURS[k]) {
                            title { (t(lang, CRITERIA[k])) ": " (units_text(w[k] * b.scores[k])) }
                        }
                    }
                    text x=(px(end + 4.0)) y=(px(y + 15.0)) { (units_text(b.total)) }
                }
                @if !b.chosen && i == run.chosen.len() {
                    line x1="0" x2=(px(width)) y1=(px(y)) y2=(px(y)) stroke="#999" stroke-dasharray="4 3" {}
                }
            }
            // weight stability
            @for (k, iv) in run.weight_intervals.iter().enumerate() {
                @let y = ranges_top + 26.0 * k as f64;
                @let c = weight_colour(iv.weight);
                g class="weight-range" {
                    text x=(px(LABEL - 6.0)) y=(px(y + 13.0)) text-anchor="end" { (t(lang, weight_id(iv.weight))) }
                    rect x=(px(LABEL)) y=(px(y + 6.0)) width=(px(BAR)) height="4" fill="#e2e8f0" {}
                    rect x=(px(LABEL + scale * iv.low as f64)) y=(px(y + 2.0))
                        width=(px((scale * (iv.high - iv.low) as f64).max(1.0))) height="12" fill=(c) opacity="0.6" {
                        title { (iv.low) "%–" (iv.high) "%" }
                    }
                    line x1=(px(LABEL + scale * iv.current as f64)) x2=(px(LABEL + scale * iv.current as f64))
                        y1=(px(y)) y2=(px(y + 16.0)) stroke="#000" stroke-width="2" {}
                    text x=(px(LABEL + BAR + 6.0)) y=(px(y + 13.0)) { (iv.low) "–" (iv.high) "%" }
                }
            }
        }
    }
}

/// Each criterion's weighted contribution as `(x, width)`, laid end to end from `left`: a weight
/// in percent times a score in hundredths is ten-thousandths of a point.
fn segments(w: [i64; 3], scores: [i64; 3], left: f64, scale: f64) -> Vec<(f64, f64)> {
    let mut x = left;
    (0..3)
        .map(|k| {
            let width = (w[k] * scores[k]) as f64 / 10_000.0 * scale;
            let seg = (x, width);
            x += width;
            seg
        })
        .collect()
}

fn weight_id(w: WeightName) -> &'static str {
    match w {
        WeightName::Completeness => CRITERIA[0],
        WeightName::Representativeness => CRITERIA[1],
        WeightName::Layout => CRITERIA[2],
    }
}

fn weight_colour(w: WeightName) -> &'static str {
    match w {
        WeightName::Completeness => COLOURS[0],
        WeightName::Representativeness => COLOURS[1],
        WeightName::Layout => COLOURS[2],
    }
}

/// The ranking chart: a row per bid, a panel per criterion, a dot per expert's points (scaled to
/// the highest points on that criterion); the dropped highest and lowest hollow and red.
pub fn ranking(r: &Ranking, lang: Lang) -> Markup {
    const LABEL: f64 = 120.0;
    const PANEL: f64 = 180.0;
    const ROW: f64 = 26.0;
    let criteria: Vec<String> = r
        .bids
        .iter()
        .flat_map(|b| b.per_criterion.iter().map(|c| c.criterion.clone()))
        .fold(Vec::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        });
    // Each panel spans its criterion's values, widened to whole tens of points.
    let span_of = |crit: &str| -> (i64, i64) {
        let values = || {
            r.bids
                .iter()
                .flat_map(|b| b.per_criterion.iter())
                .filter(|c| c.criterion == crit)
                .flat_map(|c| c.values.iter().map(|v| v.points))
        };
        let lo = values().min().unwrap_or(0).div_euclid(1000) * 1000;
        let hi = (values().max().unwrap_or(0) + 999).div_euclid(1000) * 1000;
        (lo, hi.max(lo + 1000))
    };
    let spans: Vec<(i64, i64)> = criteria.iter().map(|c| span_of(c)).collect();
    let top = 54.0;
    let width = LABEL + PANEL * criteria.len().max(1) as f64 + 10.0;
    let height = top + ROW * r.bids.len() as f64 + 10.0;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="chart ranking-chart" role="img"
            viewBox=(format!("0 0 {} {}", px(width), px(height)))
            width=(px(width)) height=(px(height)) font-family=(FONT) font-size="12" {
            title { (t(lang, "call-ranking")) " — " (r.call_id) }
            circle cx="10" cy="12" r="4" fill="#2b6cb0" {}
            text x="18" y="16" { (t(lang, "chart-kept")) }
            circle cx="110" cy="12" r="4" fill="none" stroke="#c53030" stroke-width="1.5" {}
            text x="118" y="16" { (t(lang, "chart-trimmed")) }
            @for (j, c) in criteria.iter().enumerate() {
                text x=(px(LABEL + PANEL * j as f64 + PANEL / 2.0)) y=(px(top - 18.0)) text-anchor="middle" font-weight="bold" { (c) }
                text x=(px(LABEL + PANEL * j as f64 + 12.0)) y=(px(top - 5.0)) text-anchor="start" fill="#555" font-size="10" { (spans[j].0 / 100) }
                text x=(px(LABEL + PANEL * (j + 1) as f64 - 12.0)) y=(px(top - 5.0)) text-anchor="end" fill="#555" font-size="10" { (spans[j].1 / 100) }
                line x1=(px(LABEL + PANEL * j as f64 + 8.0)) x2=(px(LABEL + PANEL * j as f64 + 8.0))
                    y1=(px(top - 4.0)) y2=(px(height - 6.0)) stroke="#ccc" {}
            }
            @for (i, b) in r.bids.iter().enumerate() {
                @let y = top + ROW * i as f64 + ROW / 2.0;
                g class="bid" {
                    text x="4" y=(px(y + 4.0)) {
                        @if let Some(rank) = b.rank { "#" (rank) " " }
                        "B-" (b.bid_id) " " (b.total_display)
                    }
                    @for (j, c) in criteria.iter().enumerate() {
                        @if let Some(cr) = b.per_criterion.iter().find(|x| &x.criterion == c) {
                            @let trimmed = trimmed_indices(&cr.values, cr.dropped_high, cr.dropped_low);
                            @for (k, ev) in cr.values.iter().enumerate() {
                                @let (label, v) = (&ev.expert, &ev.points);
                                @let (lo, hi) = spans[j];
                                @let cx = LABEL + PANEL * j as f64 + 12.0 + (PANEL - 24.0) * ((*v - lo) as f64) / ((hi - lo) as f64);
                                @if trimmed.contains(&k) {
                                    circle class="trimmed" cx=(px(cx)) cy=(px(y)) r="4.5" fill="none" stroke="#c53030" stroke-width="1.5" {
                                        title { (label) ": " (crate::domain::score::hundredths_text(*v)) }
                                    }
                                } @else {
                                    circle class="kept" cx=(px(cx)) cy=(px(y)) r="4" fill="#2b6cb0" opacity="0.8" {
                                        title { (label) ": " (crate::domain::score::hundredths_text(*v)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Which of `values` were dropped: the first holding the dropped highest, and another (or the
/// same when there is only one value) holding the dropped lowest.
fn trimmed_indices(
    values: &[crate::domain::ranking::ExpertValue],
    high: Option<i64>,
    low: Option<i64>,
) -> Vec<usize> {
    let mut out = Vec::new();
    if let Some(h) = high {
        if let Some(i) = values.iter().position(|v| v.points == h) {
            out.push(i);
        }
    }
    if let Some(l) = low {
        if let Some(i) = values
            .iter()
            .enumerate()
            .rposition(|(i, v)| v.points == l && !out.contains(&i))
        {
            out.push(i);
        }
    }
    out
}

/// An empty marker when a page has no chart to show.
pub fn none() -> Markup {
    PreEscaped(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_marks_one_highest_and_one_lowest() {
        let v = |xs: &[i64]| -> Vec<crate::domain::ranking::ExpertValue> {
            xs.iter()
                .enumerate()
                .map(|(i, x)| crate::domain::ranking::ExpertValue {
                    expert: format!("E{}", i + 1),
                    points: *x,
                })
                .collect()
        };
        assert_eq!(
            trimmed_indices(&v(&[5, 9, 1, 9, 1]), Some(9), Some(1)),
            [1, 4]
        );
        assert_eq!(
            trimmed_indices(&v(&[5, 5, 5, 5, 5]), Some(5), Some(5)),
            [0, 4]
        );
        assert!(trimmed_indices(&v(&[5, 6]), None, None).is_empty());
    }
}
