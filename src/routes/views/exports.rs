//! Spreadsheet exports for the panel: tables built once from the app's values, written as XLSX
//! (`rust_xlsxwriter`: one sheet per part, bold frozen header row, numbers as numbers with their
//! exact decimals) or as CSV (one table, UTF-8 with a BOM so spreadsheet programs read the
//! Chinese headers). Headers come from the message catalogues.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::pages::{beijing, cost_text, reason_text};
use crate::app::award::Notice;
use crate::app::award::Ranking;
use crate::app::exports::ScoresExport;
use crate::app::public::Names;
use crate::app::selection::Run;
use crate::domain::selection::WeightName;
use crate::i18n::{t, Lang};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// An integer (ids, ranks, percentages).
    Int(i64),
    /// Hundredths of a point, written as a number with two decimals (exact: every hundredth is
    /// the nearest double of its decimal, and the format prints it back).
    Hundredths(i64),
    /// Ten-thousandths of a point (weighted totals), four decimals.
    Units(i64),
    Empty,
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(v) => v.to_string(),
            Cell::Hundredths(h) => crate::domain::score::hundredths_text(*h),
            Cell::Units(u) => fixed(*u, 10_000, 4),
            Cell::Empty => String::new(),
        }
    }
}

fn fixed(value: i64, scale: i64, decimals: usize) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let a = value.unsigned_abs();
    let s = scale.unsigned_abs();
    format!("{sign}{}.{:0decimals$}", a / s, a % s)
}

/// One table: a sheet of the workbook.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(lang: Lang, name: &str, headers: &[&str]) -> Self {
        Self {
            name: t(lang, name),
            headers: headers.iter().map(|h| t(lang, h)).collect(),
            rows: Vec::new(),
        }
    }
}

/// The tables as an XLSX workbook.
///
/// # Errors
/// The writer's own failures (none expected for these sizes).
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let two = Format::new().set_num_format("0.00");
    let four = Format::new().set_num_format("0.0000");
    for table in tables {
        let ws = wb.add_worksheet();
        ws.set_name(&table.name)?;
        for (c, h) in table.headers.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, col, h, &bold)?;
            ws.set_column_width(col, 14)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Int(v) => {
                        ws.write_number(r, c, *v as f64)?;
                    }
                    Cell::Hundredths(h) => {
                        ws.write_number_with_format(r, c, *h as f64 / 100.0, &two)?;
                    }
                    Cell::Units(u) => {
                        ws.write_number_with_format(r, c, *u as f64 / 10_000.0, &four)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    wb.save_to_buffer()
}

/// One table as CSV (RFC 4180 quoting, CRLF), UTF-8 with a byte-order mark.
pub fn csv(table: &Table) -> Vec<u8> {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = table.headers.iter().map(|h| field(h)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| field(&c.csv())).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn weight_id(w: WeightName) -> &'static str {
    match w {
        WeightName::Completeness => "criterion-completeness",
        WeightName::Representativeness => "criterion-representativeness",
        WeightName::Layout => "criterion-layout",
    }
}

/// A round's scores: the pool (first; the CSV), each score's parts, then the explaining run's
/// chosen, left out and weight ranges.
pub fn scores_tables(e: &ScoresExport, lang: Lang) -> Vec<Table> {
    let mut pool = Table::new(
        lang,
        "sheet-scores",
        &[
            "col-proposal",
            "col-direction",
            "col-district-code",
            "col-district",
            "col-region",
            "col-cluster-code",
            "col-cluster",
            "col-status",
            "criterion-completeness",
            "criterion-representativeness",
            "criterion-layout",
            "col-total",
        ],
    );
    let mut parts = Table::new(
        lang,
        "sheet-parts",
        &[
            "col-proposal",
            "col-criterion",
            "col-part",
            "col-points",
            "col-max",
            "col-message",
        ],
    );
    for p in &e.scores.proposals {
        pool.rows.push(vec![
            Cell::Int(i64::from(p.proposal_id)),
            p.brain_name.clone().map_or(Cell::Empty, Cell::Text),
            Cell::Text(p.district_code.clone()),
            Cell::Text(e.names.district(&p.district_code)),
            Cell::Text(t(lang, &format!("region-{}", p.region.as_str()))),
            p.cluster_code.clone().map_or(Cell::Empty, Cell::Text),
            Cell::Text(e.names.cluster(p.cluster_code.as_deref())),
            Cell::Text(p.status.as_str().to_owned()),
            Cell::Hundredths(p.card.completeness.total),
            Cell::Hundredths(p.card.representativeness.total),
            Cell::Hundredths(p.card.layout.total),
            Cell::Units(p.card.weighted_total),
        ]);
        for (crit, score) in [
            ("criterion-completeness", &p.card.completeness),
            ("criterion-representativeness", &p.card.representativeness),
            ("criterion-layout", &p.card.layout),
        ] {
            for part in &score.parts {
                parts.rows.push(vec![
                    Cell::Int(i64::from(p.proposal_id)),
                    Cell::Text(t(lang, crit)),
                    Cell::Text(part.label.clone()),
                    Cell::Hundredths(part.points),
                    Cell::Hundredths(part.max),
                    Cell::Text(part.reason.clone()),
                ]);
            }
        }
    }
    let mut tables = vec![pool, parts];
    if let Some(run) = &e.run {
        tables.extend(run_tables(run, &e.names, lang));
    }
    tables
}

/// A selection run's explanation: the chosen with their parts and margins (first; the CSV), the
/// left out with reasons and forcing costs, and the weight ranges.
pub fn run_tables(run: &Run, names: &Names, lang: Lang) -> Vec<Table> {
    let mut chosen = Table::new(
        lang,
        "sheet-chosen",
        &[
            "col-run",
            "col-rank",
            "col-proposal",
            "col-direction",
            "col-district",
            "col-cluster",
            "criterion-completeness",
            "criterion-representativeness",
            "criterion-layout",
            "col-total",
            "col-margin",
        ],
    );
    for c in &run.chosen {
        chosen.rows.push(vec![
            Cell::Int(i64::from(run.id)),
            Cell::Int(i64::from(c.rank)),
            Cell::Int(i64::from(c.proposal_id)),
            c.brain_name.clone().map_or(Cell::Empty, Cell::Text),
            Cell::Text(names.district(&c.district_code)),
            Cell::Text(names.cluster(Some(&c.cluster_code))),
            Cell::Hundredths(c.card.completeness.total),
            Cell::Hundredths(c.card.representativeness.total),
            Cell::Hundredths(c.card.layout.total),
            Cell::Units(c.total),
            c.margin.map_or(Cell::Empty, Cell::Units),
        ]);
    }
    let mut left = Table::new(
        lang,
        "sheet-left-out",
        &["col-proposal", "col-total", "col-reason", "col-cost"],
    );
    for l in &run.explanation.left_out {
        left.rows.push(vec![
            Cell::Int(i64::from(l.id)),
            Cell::Units(l.total),
            Cell::Text(reason_text(lang, &l.reason)),
            Cell::Text(cost_text(lang, l.forcing_cost.as_ref())),
        ]);
    }
    let mut weights = Table::new(
        lang,
        "sheet-weights",
        &["col-criterion", "col-current", "col-low", "col-high"],
    );
    for w in &run.explanation.weight_intervals {
        weights.rows.push(vec![
            Cell::Text(t(lang, weight_id(w.weight))),
            Cell::Int(w.current),
            Cell::Int(w.low),
            Cell::Int(w.high),
        ]);
    }
    vec![chosen, left, weights]
}

/// The public notices (公示): one line per call under notice or awarded (first; the CSV), its
/// winners with their budgets, and the answered objections with their answers (never the
/// objector).
pub fn notices_tables(notices: &[Notice], lang: Lang) -> Vec<Table> {
    let mut calls = Table::new(
        lang,
        "sheet-notices",
        &[
            "col-call",
            "col-year",
            "col-direction",
            "col-status",
            "col-notice-start",
            "col-notice-end",
            "col-bids",
            "col-winners",
            "col-objections",
            "col-unanswered",
            "col-overdue",
        ],
    );
    let mut winners = Table::new(
        lang,
        "sheet-winners",
        &["col-call", "col-bid", "col-bidder", "col-budget"],
    );
    let mut objections = Table::new(
        lang,
        "sheet-objections",
        &[
            "col-call",
            "col-objection",
            "objection-grounds",
            "col-submitted",
            "col-due",
            "col-outcome",
            "objection-answer",
            "col-answered",
            "col-overdue",
        ],
    );
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map_or(Cell::Empty, |a| Cell::Text(beijing(a)))
    };
    for n in notices {
        let c = &n.call;
        let names: Vec<&str> = c
            .winners
            .iter()
            .map(|w| w.organisation_name.as_str())
            .collect();
        calls.rows.push(vec![
            Cell::Int(i64::from(c.call.id)),
            Cell::Int(i64::from(c.year)),
            Cell::Text(c.direction.clone()),
            Cell::Text(t(lang, &format!("call-status-{}", c.status.as_str()))),
            when(c.call.notice_started_at),
            when(c.call.notice_ends_at),
            Cell::Int(i64::try_from(c.bid_count).unwrap_or(i64::MAX)),
            Cell::Text(names.join("、")),
            Cell::Int(i64::try_from(n.objections.total).unwrap_or(i64::MAX)),
            Cell::Int(i64::try_from(n.objections.unanswered).unwrap_or(i64::MAX)),
            Cell::Int(i64::try_from(n.objections.overdue).unwrap_or(i64::MAX)),
        ]);
        for w in &c.winners {
            winners.rows.push(vec![
                Cell::Int(i64::from(c.call.id)),
                Cell::Int(i64::from(w.bid_id)),
                Cell::Text(w.organisation_name.clone()),
                w.budget
                    .map_or(Cell::Empty, |b| Cell::Hundredths(b.hundredths())),
            ]);
        }
        for o in &n.objections.answered {
            objections.rows.push(vec![
                Cell::Int(i64::from(c.call.id)),
                Cell::Int(i64::from(o.id)),
                Cell::Text(o.grounds.clone()),
                Cell::Text(beijing(o.submitted_at)),
                Cell::Text(beijing(o.answer_due_at)),
                Cell::Text(t(
                    lang,
                    if o.upheld {
                        "objection-upheld"
                    } else {
                        "objection-dismissed"
                    },
                )),
                Cell::Text(o.answer.clone()),
                Cell::Text(beijing(o.answered_at)),
                Cell::Text(t(lang, if o.overdue { "yes" } else { "no" })),
            ]);
        }
    }
    vec![calls, winners, objections]
}

/// A call's ranking (first; the CSV) and its score sheets, one line per expert and criterion.
pub fn ranking_tables(r: &Ranking, lang: Lang) -> Vec<Table> {
    let mut ranking = Table::new(
        lang,
        "sheet-ranking",
        &[
            "col-rank",
            "col-bid",
            "col-eligible",
            "col-criterion",
            "col-weight-pct",
            "col-mean",
            "col-dropped-high",
            "col-dropped-low",
            "col-total",
        ],
    );
    let mut sheets = Table::new(
        lang,
        "sheet-sheets",
        &["col-bid", "col-expert", "col-criterion", "col-points"],
    );
    for b in &r.bids {
        for c in &b.per_criterion {
            ranking.rows.push(vec![
                b.rank.map_or(Cell::Empty, |k| Cell::Int(i64::from(k))),
                Cell::Int(i64::from(b.bid_id)),
                Cell::Text(t(lang, if b.eligible { "yes" } else { "no" })),
                Cell::Text(c.criterion.clone()),
                Cell::Int(c.weight),
                Cell::Text(c.mean_display.clone()),
                c.dropped_high.map_or(Cell::Empty, Cell::Hundredths),
                c.dropped_low.map_or(Cell::Empty, Cell::Hundredths),
                Cell::Text(b.total_display.clone()),
            ]);
            for v in &c.values {
                sheets.rows.push(vec![
                    Cell::Int(i64::from(b.bid_id)),
                    Cell::Text(v.expert.clone()),
                    Cell::Text(c.criterion.clone()),
                    Cell::Hundredths(v.points),
                ]);
            }
        }
    }
    vec![ranking, sheets]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_writes_exact_decimals() {
        let table = Table {
            name: "x".into(),
            headers: vec!["名称".into(), "分".into(), "总".into()],
            rows: vec![vec![
                Cell::Text("a,\"b\"".into()),
                Cell::Hundredths(7833),
                Cell::Units(-5),
            ]],
        };
        let text = String::from_utf8(csv(&table)).expect("utf-8");
        assert_eq!(
            text,
            "\u{feff}名称,分,总\r\n\"a,\"\"b\"\"\",78.33,-0.0005\r\n"
        );
    }
}
