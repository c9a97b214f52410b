//! The report as one self-contained HTML page: inline CSS and inline SVG,
//! no script, nothing loaded from anywhere (a Content-Security-Policy of
//! `default-src 'none'` says so to the browser too). Light and dark follow
//! `prefers-color-scheme`; the page reads on a phone and prints on A4.
//!
//! Escaping is the default: the page is written through [`Html`], whose
//! only way to add markup is a `&'static str` written in this file, and
//! whose every other value (plan text, dates, numbers) is escaped for text
//! and quoted attributes alike. Plan text never goes in a script, a style
//! or an unquoted attribute.

use std::fmt::Display;
use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate};

use super::{
    Gantt, GanttRowKind, Headline, Health, Item, ItemList, Report, change_status_word,
    finish_against_baseline, forecast_relation, plural,
};
use crate::metrics::format_money;

/// A page being written. Markup comes only from string literals; anything
/// else is escaped on the way in.
struct Html {
    out: String,
}

impl Html {
    /// Markup written in this file.
    fn raw(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    /// Any text, escaped for HTML text and quoted attribute values.
    fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text);
    }

    /// A value's display form (a date, a count), escaped like text.
    fn display(&mut self, value: impl Display) {
        let mut shown = String::new();
        let _ = write!(shown, "{value}");
        self.text(&shown);
    }

    /// A coordinate or length, always a finite number.
    fn num(&mut self, value: f64) {
        let value = if value.is_finite() { value } else { 0.0 };
        let _ = write!(self.out, "{:.1}", value);
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'`; control characters other than tab
/// and line breaks, and the bidirectional overrides that could disguise
/// the text around them, become U+FFFD.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
}

const STYLE: &str = r#"
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--ok:#1a7f37;--ok-bg:#dafbe1;--watch:#9a6700;--watch-bg:#fff8c5;--act:#cf222e;--act-bg:#ffebe9;
--bar:#8c959f;--prog:#0969da;--done:#1a7f37;--crit:#cf222e;--base:#afb8c1;--phase:#424a53;--status:#8250df;
--h1:#dafbe1;--h2:#fff8c5;--h3:#ffd8b5;--h4:#ffcecb}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;
--ok:#3fb950;--ok-bg:#12261e;--watch:#d29922;--watch-bg:#272115;--act:#f85149;--act-bg:#301a1f;
--bar:#656c76;--prog:#4493f8;--done:#3fb950;--crit:#f85149;--base:#3d444d;--phase:#b7bdc8;--status:#ab7df8;
--h1:#12261e;--h2:#272115;--h3:#3d2410;--h4:#4a1c1f}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1em;margin:.8em 0 .3em}
.sub,.muted{color:var(--muted)}
.note{border-left:4px solid var(--prog);padding:.4em .8em;background:var(--card)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:10px;margin:12px 0}
.card{border:1px solid var(--line);border-left-width:6px;border-radius:6px;padding:8px 10px;background:var(--card)}
.card .label{display:block;font-size:.85em;color:var(--muted)}
.card .value{display:block;font-size:1.35em;font-weight:600;overflow-wrap:anywhere}
.card .detail{display:block;font-size:.85em;color:var(--muted)}
.badge{display:inline-block;font-size:.8em;font-weight:700;border-radius:9px;padding:0 7px;margin-left:4px;vertical-align:middle}
.ok{border-left-color:var(--ok)}.ok .badge{color:var(--ok);background:var(--ok-bg)}
.watch{border-left-color:var(--watch)}.watch .badge{color:var(--watch);background:var(--watch-bg)}
.act{border-left-color:var(--act)}.act .badge{color:var(--act);background:var(--act-bg)}
.unknown .badge{color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:0 20px}
ul{padding-left:1.2em;margin:.3em 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.gantt svg{display:block;width:100%;min-width:760px;height:auto}
.legend{font-size:.85em;color:var(--muted)}
.legend span{margin-right:14px;white-space:nowrap}
svg text{fill:var(--fg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.g-grid{stroke:var(--line);stroke-width:1}
.g-tick{font-size:10px;fill:var(--muted)}
.g-name{font-size:11px}.g-phase{font-size:11px;font-weight:700}
.g-bar{fill:var(--bar)}.g-prog{fill:var(--prog)}.g-done{fill:var(--done)}
.g-crit{stroke:var(--crit);stroke-width:2}
.g-sum{fill:var(--phase)}.g-row{fill:var(--card)}
.g-base{fill:var(--base)}
.g-ms{fill:var(--fg)}.g-ms.g-crit{fill:var(--crit)}
.g-status{stroke:var(--status);stroke-width:1.5;stroke-dasharray:4 3}
.g-status-label{font-size:10px;fill:var(--status)}
.g-mark{font-size:10px;font-weight:700}.g-mark.crit{fill:var(--crit)}
.heat{border-collapse:separate;border-spacing:3px;width:auto}
.heat td,.heat th{border:0;text-align:center;min-width:44px;padding:6px 4px}
.heat td{border-radius:4px;font-weight:600}
.s1{background:var(--h1)}.s2{background:var(--h2)}.s3{background:var(--h3)}.s4{background:var(--h4)}
.heat td.empty{color:var(--muted);font-weight:400}
.t-line{fill:none;stroke:var(--prog);stroke-width:2}.t-dot{fill:var(--prog)}
.t-axis{stroke:var(--line)}
footer{margin-top:2em;font-size:.8em;color:var(--muted)}
@media (max-width:600px){body{font-size:14px}main{padding:10px}.cards{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}.card{padding:6px 8px}.card .value{font-size:1.1em}}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--card:#fff;--ok:#1a7f37;--ok-bg:#fff;--watch:#7d5300;--watch-bg:#fff;
--act:#b3141f;--act-bg:#fff;--bar:#999;--prog:#0550ae;--done:#1a7f37;--crit:#b3141f;--base:#ccc;--phase:#333;--status:#6639ba;
--h1:#e6f4ea;--h2:#fff5cc;--h3:#ffe0c2;--h4:#ffd5d2}
@page{size:A4;margin:12mm}
body{font-size:10pt}main{max-width:none;padding:0}
.gantt svg{min-width:0}
.card,tr,.heat,.trend{break-inside:avoid}
h2{break-after:avoid}
.scroll{overflow:visible}
}
"#;

/// The whole report as one HTML page.
pub fn render(report: &Report) -> String {
    let mut h = Html {
        out: String::with_capacity(64 * 1024 + report.gantt.rows.len() * 700),
    };
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<meta name=\"color-scheme\" content=\"light dark\">\n");
    h.raw(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    h.raw("<meta name=\"generator\" content=\"gantry\">\n<title>Status update: ");
    h.text(&report.project);
    h.raw(", week of ");
    h.display(report.week);
    h.raw("</title>\n<style>");
    h.raw(STYLE);
    h.raw("</style>\n</head>\n<body>\n<main>\n<header>\n<h1>Status update: <bdi>");
    h.text(&report.project);
    h.raw("</bdi></h1>\n<p class=\"sub\">Week ");
    h.display(format_args!("{}-W{:02}", report.iso_year, report.iso_week));
    h.raw(" (");
    h.display(report.week);
    h.raw(" to ");
    h.display(report.sunday);
    h.raw("); figures as of ");
    h.display(report.as_of);
    h.raw(".</p>\n");
    if let Some(note) = &report.note {
        h.raw("<p class=\"note\"><strong>Check-in note:</strong> <bdi>");
        h.text(note);
        h.raw("</bdi></p>\n");
    }
    h.raw("</header>\n");

    cards(&mut h, report);
    if !report.headline.caveats.is_empty() {
        h.raw("<section class=\"caveats\">\n<p class=\"muted\">Why some figures are not meaningful:</p>\n<ul>\n");
        for caveat in &report.headline.caveats {
            h.raw("<li>");
            h.text(caveat);
            h.raw("</li>\n");
        }
        h.raw("</ul>\n</section>\n");
    }

    h.raw("<section>\n<h2>Schedule</h2>\n");
    gantt(&mut h, &report.gantt, report.as_of);
    h.raw("</section>\n");

    milestones(&mut h, report);

    h.raw("<section class=\"cols\">\n");
    for (title, list) in [
        ("<div>\n<h2>Done this week</h2>\n", &report.done),
        ("<div>\n<h2>Next week</h2>\n", &report.next),
        ("<div>\n<h2>Blocked</h2>\n", &report.blocked),
    ] {
        h.raw(title);
        item_list(&mut h, list, report.checkin_recorded);
        h.raw("</div>\n");
    }
    h.raw("</section>\n");

    risks(&mut h, report);
    changes(&mut h, report);
    trend(&mut h, report);

    h.raw("<footer>Written by gantry. Figures are defined in gantry's docs/metrics.md.</footer>\n");
    h.raw("</main>\n</body>\n</html>\n");
    h.out
}

fn health_class(health: Health) -> &'static str {
    match health {
        Health::Ok => "card ok",
        Health::Watch => "card watch",
        Health::Act => "card act",
        Health::Unknown => "card unknown",
    }
}

/// The badge: a symbol and a word, so health never rests on colour alone.
fn health_badge(health: Health) -> &'static str {
    match health {
        Health::Ok => "<span class=\"badge\">\u{2713} ok</span>",
        Health::Watch => "<span class=\"badge\">! watch</span>",
        Health::Act => "<span class=\"badge\">\u{2715} act</span>",
        Health::Unknown => "<span class=\"badge\">\u{2013} n/a</span>",
    }
}

fn money(value: Option<f64>) -> String {
    value.map(format_money).unwrap_or_else(|| "n/a".to_owned())
}

fn index(value: Option<f64>) -> String {
    value
        .map(|value| format!("{value:.2}"))
        .unwrap_or_else(|| "n/a".to_owned())
}

/// A headline number; `health` is None for a number that is not judged.
fn card(h: &mut Html, label: &str, value: &str, detail: &str, health: Option<Health>) {
    h.raw("<div class=\"");
    h.raw(health.map_or("card", health_class));
    h.raw("\"><span class=\"label\">");
    h.text(label);
    h.raw("</span><span class=\"value\">");
    h.text(value);
    if let Some(health) = health {
        h.raw(" ");
        h.raw(health_badge(health));
    }
    h.raw("</span><span class=\"detail\">");
    h.text(detail);
    h.raw("</span></div>\n");
}

fn cards(h: &mut Html, report: &Report) {
    let m = &report.headline;
    let currency = report.currency.as_deref().unwrap_or("");
    let with_currency = |amount: String| {
        if currency.is_empty() {
            amount
        } else {
            format!("{amount} {currency}")
        }
    };
    h.raw("<section class=\"cards\" aria-label=\"Headline numbers\">\n");
    card(
        h,
        "Complete",
        &format!("{:.1}%", m.percent_complete),
        &format!(
            "SPI {}{}, CPI {}{}",
            index(m.spi),
            Headline::mark(m.spi.is_some(), m.meaningful.spi),
            index(m.cpi),
            Headline::mark(m.cpi.is_some(), m.meaningful.cpi)
        ),
        None,
    );
    card(
        h,
        "Scheduled finish",
        &m.scheduled_finish.to_string(),
        &finish_against_baseline(m),
        Some(m.variance_health),
    );
    card(
        h,
        "Forecast finish (earned schedule)",
        &m.forecast_finish
            .map(|date| date.to_string())
            .unwrap_or_else(|| "not yet known".to_owned()),
        &format!(
            "{}{}; SPI {}{}",
            forecast_relation(m),
            Headline::mark(m.forecast_finish.is_some(), m.meaningful.spi_t),
            index(m.spi),
            Headline::mark(m.spi.is_some(), m.meaningful.spi)
        ),
        Some(m.forecast_health),
    );
    let (budget_value, budget_detail) = match (m.budget, m.eac, m.budget_margin) {
        (Some(budget), Some(eac), Some(margin)) => (
            with_currency(format_money(eac)),
            format!(
                "forecast cost (EAC) against the budget of {}: {} {} budget",
                with_currency(format_money(budget)),
                format_money(margin.abs()),
                if margin >= 0.0 { "under" } else { "over" }
            ),
        ),
        (Some(budget), _, _) => (
            "not yet known".to_owned(),
            format!(
                "forecast cost (EAC) against the budget of {}",
                with_currency(format_money(budget))
            ),
        ),
        (None, eac, _) => (
            with_currency(money(eac)),
            format!(
                "forecast cost (EAC); no budget set, planned cost (BAC) {}",
                format_money(m.bac)
            ),
        ),
    };
    card(
        h,
        "Forecast cost (EAC)",
        &budget_value,
        &budget_detail,
        Some(m.budget_health),
    );
    card(
        h,
        "Spent (AC)",
        &with_currency(format_money(m.ac)),
        &format!(
            "of a planned cost (BAC) of {}; variance at completion {}",
            format_money(m.bac),
            money(m.vac)
        ),
        None,
    );
    card(
        h,
        "Burn rate a week",
        &money(m.burn_rate),
        &format!("planned {}", money(m.planned_burn_rate)),
        Some(m.burn_health),
    );
    card(
        h,
        "Open blockers",
        &m.open_blockers.to_string(),
        if m.open_blockers == 0 {
            "nothing blocked"
        } else {
            "tasks with status blocked"
        },
        Some(m.blocker_health),
    );
    h.raw("</section>\n");
}

/// Cut to `limit` characters with an ellipsis.
fn shorten(text: &str, limit: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= limit {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(limit.saturating_sub(1)).collect();
    cut.push('\u{2026}');
    cut
}

const LABEL_WIDTH: f64 = 250.0;
const CHART_WIDTH: f64 = 740.0;
const ROW_HEIGHT: f64 = 18.0;
const AXIS_HEIGHT: f64 = 30.0;

fn gantt(h: &mut Html, gantt: &Gantt, as_of: NaiveDate) {
    if gantt.rows.is_empty() {
        h.raw("<p class=\"muted\">The plan has no tasks yet.</p>\n");
        return;
    }
    if gantt.collapsed {
        h.raw("<p class=\"muted\">");
        h.display(gantt.task_count);
        h.raw(" tasks: shown one row per phase, with the phase\u{2019}s milestones as diamonds (above ");
        h.display(super::GANTT_TASK_LIMIT);
        h.raw(" tasks the chart folds tasks into their phases).</p>\n");
    }
    let days = (gantt.to.signed_duration_since(gantt.from).num_days() + 1).max(1) as f64;
    let x_of = |date: NaiveDate| -> f64 {
        let offset = date.signed_duration_since(gantt.from).num_days() as f64;
        LABEL_WIDTH + offset.clamp(0.0, days) / days * CHART_WIDTH
    };
    let width = LABEL_WIDTH + CHART_WIDTH + 10.0;
    let height = AXIS_HEIGHT + gantt.rows.len() as f64 * ROW_HEIGHT + 8.0;

    h.raw("<div class=\"gantt scroll\">\n<svg role=\"img\" viewBox=\"0 0 ");
    h.num(width);
    h.raw(" ");
    h.num(height);
    h.raw("\" aria-label=\"Gantt chart of the phases and tasks\">\n");

    // Every other row shaded, under the grid, so a row reads across.
    for row_index in (1..gantt.rows.len()).step_by(2) {
        h.raw("<rect class=\"g-row\" x=\"0\" y=\"");
        h.num(AXIS_HEIGHT + row_index as f64 * ROW_HEIGHT);
        h.raw("\" width=\"");
        h.num(width);
        h.raw("\" height=\"");
        h.num(ROW_HEIGHT);
        h.raw("\"/>\n");
    }

    // The time axis: weeks, months, quarters or years, as the span allows.
    let months = (gantt.to.year() - gantt.from.year()) * 12 + gantt.to.month0() as i32
        - gantt.from.month0() as i32;
    let mut tick = gantt.from;
    let step_months = if days <= 75.0 {
        0
    } else if months <= 18 {
        1
    } else if months <= 54 {
        3
    } else {
        12
    };
    if step_months == 0 {
        // Mondays.
        let back = u64::from(tick.weekday().num_days_from_monday());
        tick = tick.checked_sub_days(Days::new(back)).unwrap_or(tick);
    } else {
        tick = NaiveDate::from_ymd_opt(gantt.from.year(), gantt.from.month(), 1).unwrap_or(tick);
        while step_months > 1 && !tick.month0().is_multiple_of(step_months) {
            tick = tick
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX);
        }
    }
    let mut guard = 0;
    while tick <= gantt.to && guard < 400 {
        guard += 1;
        if tick >= gantt.from {
            let x = x_of(tick);
            h.raw("<line class=\"g-grid\" x1=\"");
            h.num(x);
            h.raw("\" x2=\"");
            h.num(x);
            h.raw("\" y1=\"");
            h.num(AXIS_HEIGHT - 8.0);
            h.raw("\" y2=\"");
            h.num(height - 4.0);
            h.raw("\"/><text class=\"g-tick\" x=\"");
            h.num(x + 2.0);
            h.raw("\" y=\"");
            h.num(AXIS_HEIGHT - 12.0);
            h.raw("\">");
            match step_months {
                0 => h.display(tick.format("%m-%d")),
                12 => h.display(tick.year()),
                _ => h.display(tick.format("%Y-%m")),
            }
            h.raw("</text>\n");
        }
        tick = if step_months == 0 {
            tick.checked_add_days(Days::new(7))
        } else {
            tick.checked_add_months(chrono::Months::new(step_months))
        }
        .unwrap_or(NaiveDate::MAX);
        if tick == NaiveDate::MAX {
            break;
        }
    }

    for (row_index, row) in gantt.rows.iter().enumerate() {
        let y = AXIS_HEIGHT + row_index as f64 * ROW_HEIGHT;
        let phase = row.kind == GanttRowKind::Phase;
        let (label_x, label_class, limit) = if phase {
            (4.0, "g-phase", 36)
        } else {
            (16.0, "g-name", 36)
        };
        h.raw("<g><title>");
        h.text(&row.name);
        if !row.id.is_empty() {
            h.raw(" (");
            h.text(&row.id);
            h.raw(")");
        }
        h.raw(": ");
        if row.milestone {
            h.display(row.finish);
        } else {
            h.display(row.start);
            h.raw(" to ");
            h.display(row.finish);
        }
        h.raw(", ");
        h.display(format_args!("{:.0}% complete", row.progress));
        if phase {
            h.raw(", ");
            h.display(plural(row.tasks as i64, "task"));
        }
        if row.critical {
            h.raw(", critical");
        }
        if row.blocked {
            h.raw(", blocked");
        }
        if let Some((start, finish)) = row.baseline {
            h.raw("; baseline ");
            h.display(start);
            h.raw(" to ");
            h.display(finish);
        }
        h.raw("</title>\n<text class=\"");
        h.raw(label_class);
        h.raw("\" x=\"");
        h.num(label_x);
        h.raw("\" y=\"");
        h.num(y + 13.0);
        h.raw("\">");
        h.text(&shorten(&row.name, limit));
        h.raw("</text>\n");

        if let Some((start, finish)) = row.baseline {
            let x = x_of(start);
            let end = x_of(finish.succ_opt().unwrap_or(finish));
            h.raw("<rect class=\"g-base\" x=\"");
            h.num(x);
            h.raw("\" y=\"");
            h.num(y + 13.0);
            h.raw("\" width=\"");
            h.num((end - x).max(1.5));
            h.raw("\" height=\"3\"/>\n");
        }
        let x = x_of(row.start);
        let end = x_of(row.finish.succ_opt().unwrap_or(row.finish));
        let bar_end = if row.milestone {
            let center = (x + end) / 2.0;
            h.raw("<polygon class=\"g-ms");
            if row.critical {
                h.raw(" g-crit");
            }
            h.raw("\" points=\"");
            h.num(center);
            h.raw(",");
            h.num(y + 2.0);
            h.raw(" ");
            h.num(center + 6.0);
            h.raw(",");
            h.num(y + 8.0);
            h.raw(" ");
            h.num(center);
            h.raw(",");
            h.num(y + 14.0);
            h.raw(" ");
            h.num(center - 6.0);
            h.raw(",");
            h.num(y + 8.0);
            h.raw("\"/>\n");
            center + 7.0
        } else {
            let bar_width = (end - x).max(2.0);
            let (top, bar_height) = if phase {
                (y + 5.0, 7.0)
            } else {
                (y + 3.0, 10.0)
            };
            h.raw("<rect class=\"");
            h.raw(if phase { "g-sum" } else { "g-bar" });
            if row.critical && !phase {
                h.raw(" g-crit");
            }
            h.raw("\" x=\"");
            h.num(x);
            h.raw("\" y=\"");
            h.num(top);
            h.raw("\" width=\"");
            h.num(bar_width);
            h.raw("\" height=\"");
            h.num(bar_height);
            h.raw("\" rx=\"2\"/>\n");
            if row.progress > 0.0 {
                h.raw("<rect class=\"");
                h.raw(if row.finished && !phase {
                    "g-done"
                } else {
                    "g-prog"
                });
                h.raw("\" x=\"");
                h.num(x);
                h.raw("\" y=\"");
                h.num(top + 2.0);
                h.raw("\" width=\"");
                h.num(bar_width * row.progress.clamp(0.0, 100.0) / 100.0);
                h.raw("\" height=\"");
                h.num(bar_height - 4.0);
                h.raw("\"/>\n");
            }
            for &milestone in &row.milestones {
                let center = x_of(milestone) + CHART_WIDTH / days / 2.0;
                h.raw("<polygon class=\"g-ms\" points=\"");
                h.num(center);
                h.raw(",");
                h.num(y + 3.0);
                h.raw(" ");
                h.num(center + 5.0);
                h.raw(",");
                h.num(y + 8.5);
                h.raw(" ");
                h.num(center);
                h.raw(",");
                h.num(y + 14.0);
                h.raw(" ");
                h.num(center - 5.0);
                h.raw(",");
                h.num(y + 8.5);
                h.raw("\"/>\n");
            }
            x + bar_width + 3.0
        };
        // Marks after the bar, so state never rests on colour alone.
        let mut marks = Vec::new();
        if row.critical {
            marks.push("!");
        }
        if row.finished && !phase {
            marks.push("\u{2713}");
        }
        if row.blocked {
            marks.push("blocked");
        }
        if !marks.is_empty() {
            h.raw("<text class=\"g-mark");
            if row.critical {
                h.raw(" crit");
            }
            // Near the right edge the marks go before the bar instead.
            let room = 8.0 * marks.iter().map(|m| m.chars().count() + 1).sum::<usize>() as f64;
            if bar_end + room <= width {
                h.raw("\" x=\"");
                h.num(bar_end);
            } else if x - room - 3.0 >= LABEL_WIDTH {
                h.raw("\" text-anchor=\"end\" x=\"");
                h.num(x - 3.0);
            } else {
                h.raw("\" text-anchor=\"end\" x=\"");
                h.num(width - 2.0);
            }
            h.raw("\" y=\"");
            h.num(y + 12.0);
            h.raw("\">");
            h.text(&marks.join(" "));
            h.raw("</text>\n");
        }
        h.raw("</g>\n");
    }

    if gantt.from <= as_of && as_of <= gantt.to {
        let x = x_of(as_of) + CHART_WIDTH / days / 2.0;
        h.raw("<line class=\"g-status\" x1=\"");
        h.num(x);
        h.raw("\" x2=\"");
        h.num(x);
        h.raw("\" y1=\"");
        h.num(AXIS_HEIGHT - 6.0);
        h.raw("\" y2=\"");
        h.num(height - 4.0);
        h.raw("\"/><text class=\"g-status-label\" x=\"");
        h.num((x + 3.0).min(width - 80.0));
        h.raw("\" y=\"");
        h.num(AXIS_HEIGHT - 1.0);
        h.raw("\">as of ");
        h.display(as_of);
        h.raw("</text>\n");
    }
    h.raw("</svg>\n</div>\n");
    h.raw(
        "<p class=\"legend\"><span>\u{25ac} bar: planned dates</span><span>darker fill: progress</span>\
         <span>thin bar below: baseline</span><span>\u{25c6} milestone</span>\
         <span>red outline and ! : critical path</span><span>\u{2713} done</span>\
         <span>dashed line: status date</span></p>\n",
    );
}

fn milestones(h: &mut Html, report: &Report) {
    h.raw("<section>\n<h2>Milestones</h2>\n");
    if report.milestones.is_empty() {
        h.raw("<p class=\"muted\">The plan has no milestones.</p>\n</section>\n");
        return;
    }
    h.raw("<div class=\"scroll\"><table>\n<thead><tr><th>Date</th><th>Milestone</th><th>State</th><th>Baseline</th></tr></thead>\n<tbody>\n");
    for milestone in &report.milestones {
        h.raw("<tr><td>");
        h.display(milestone.date);
        h.raw("</td><td><bdi>");
        h.text(&milestone.name);
        h.raw("</bdi> <code>");
        h.text(&milestone.id);
        h.raw("</code></td><td>");
        let state = if milestone.finished {
            "\u{2713} reached".to_owned()
        } else if milestone.days_away < 0 {
            format!("! {} overdue", plural(-milestone.days_away, "day"))
        } else if milestone.days_away == 0 {
            "due today".to_owned()
        } else {
            format!("due in {}", plural(milestone.days_away, "day"))
        };
        h.text(&state);
        h.raw("</td><td>");
        match (milestone.baseline, milestone.slip) {
            (Some(baseline), Some(0)) => {
                h.display(baseline);
                h.raw(", on time");
            }
            (Some(baseline), Some(slip)) => {
                h.display(baseline);
                h.raw(", ");
                h.text(&format!(
                    "{} {}",
                    plural(slip.abs(), "working day"),
                    if slip > 0 { "late" } else { "early" }
                ));
            }
            (Some(baseline), None) => h.display(baseline),
            _ => h.raw("\u{2013}"),
        }
        h.raw("</td></tr>\n");
    }
    h.raw("</tbody></table></div>\n</section>\n");
}

fn item(h: &mut Html, item: &Item) {
    h.raw("<li><bdi>");
    h.text(&item.text);
    h.raw("</bdi>");
    if let Some(id) = &item.task {
        h.raw(" <code>");
        h.text(id);
        h.raw("</code>");
    }
    if let Some((start, finish)) = item.dates {
        if start == finish {
            h.raw(", on ");
            h.display(start);
        } else {
            h.raw(", ");
            h.display(start);
            h.raw(" to ");
            h.display(finish);
        }
    }
    if let Some(blocker) = &item.blocker {
        h.raw(": <bdi>");
        h.text(blocker);
        h.raw("</bdi>");
    }
    if let Some(since) = item.blocked_since {
        h.raw(" (since ");
        h.display(since);
        h.raw(")");
    }
    h.raw("</li>\n");
}

fn items(h: &mut Html, list: &[Item], more: usize) {
    if list.is_empty() {
        h.raw("<p class=\"muted\">None</p>\n");
        return;
    }
    h.raw("<ul>\n");
    for entry in list {
        item(h, entry);
    }
    if more > 0 {
        h.raw("<li class=\"muted\">and ");
        h.text(&plural(more as i64, "more task"));
        h.raw(" (<code>gantry checkin</code> lists them all)</li>\n");
    }
    h.raw("</ul>\n");
}

fn item_list(h: &mut Html, list: &ItemList, recorded: bool) {
    if !recorded {
        items(h, &list.from_plan, list.more);
        return;
    }
    h.raw("<h3>Recorded in the check-in</h3>\n");
    items(h, &list.recorded, 0);
    if !list.from_plan.is_empty() {
        h.raw("<h3>Also from the plan</h3>\n");
        items(h, &list.from_plan, list.more);
    }
}

fn risks(h: &mut Html, report: &Report) {
    h.raw("<section>\n<h2>Risks</h2>\n<div class=\"cols\">\n<div>\n<h3>Heat map (risks not closed)</h3>\n");
    h.raw("<table class=\"heat\" aria-label=\"Risks by likelihood and impact\">\n");
    h.raw("<tr><th scope=\"col\">likelihood \\ impact</th>");
    for impact in 1..=5 {
        h.raw("<th scope=\"col\">");
        h.display(impact);
        h.raw("</th>");
    }
    h.raw("</tr>\n");
    for likelihood in (1..=5usize).rev() {
        h.raw("<tr><th scope=\"row\">");
        h.display(likelihood);
        h.raw("</th>");
        for impact in 1..=5usize {
            let count = report.heat_map[likelihood - 1][impact - 1];
            let score = likelihood * impact;
            let band = match score {
                0..=4 => "s1",
                5..=9 => "s2",
                10..=14 => "s3",
                _ => "s4",
            };
            h.raw("<td class=\"");
            h.raw(band);
            if count == 0 {
                h.raw(" empty");
            }
            h.raw("\" title=\"");
            h.display(format_args!(
                "likelihood {likelihood} x impact {impact} = score {score}: {}",
                plural(count as i64, "risk")
            ));
            h.raw("\">");
            if count == 0 {
                h.raw("\u{00b7}");
            } else {
                h.display(count);
            }
            h.raw("</td>");
        }
        h.raw("</tr>\n");
    }
    h.raw("</table>\n<p class=\"legend\">Each cell counts the risks of that likelihood and impact; \
           the shade darkens with the score (1\u{2013}4, 5\u{2013}9, 10\u{2013}14, 15\u{2013}25).</p>\n</div>\n");

    h.raw("<div>\n<h3>Top open risks</h3>\n");
    if report.top_risks.is_empty() {
        h.raw("<p class=\"muted\">No open risks.</p>\n");
    } else {
        h.raw("<div class=\"scroll\"><table>\n<thead><tr><th>Risk</th><th class=\"num\">Score</th><th>Owner</th><th>Trigger</th><th>Mitigation</th></tr></thead>\n<tbody>\n");
        for risk in &report.top_risks {
            h.raw("<tr><td><code>");
            h.text(&risk.id);
            h.raw("</code> <bdi>");
            h.text(&risk.title);
            h.raw("</bdi></td><td class=\"num\">");
            h.display(format_args!(
                "{} ({}x{}{})",
                risk.score,
                risk.likelihood,
                risk.impact,
                if risk.urgent { ", urgent" } else { "" }
            ));
            h.raw("</td><td><bdi>");
            h.text(risk.owner.as_deref().unwrap_or(""));
            h.raw("</bdi></td><td>");
            if let Some(trigger) = risk.trigger {
                h.display(trigger);
                if risk.trigger_passed {
                    h.raw(" <strong>! passed</strong>");
                }
            }
            h.raw("</td><td><bdi>");
            h.text(risk.mitigation.as_deref().unwrap_or(""));
            h.raw("</bdi></td></tr>\n");
        }
        h.raw("</tbody></table></div>\n");
        if report.more_risks > 0 {
            h.raw("<p class=\"muted\">");
            h.text(&plural(report.more_risks as i64, "more open risk"));
            h.raw(" with lower scores.</p>\n");
        }
    }
    h.raw("</div>\n</div>\n</section>\n");
}

fn changes(h: &mut Html, report: &Report) {
    h.raw("<section>\n<h2>Changes decided this week</h2>\n");
    if report.changes.is_empty() {
        h.raw("<p class=\"muted\">None</p>\n</section>\n");
        return;
    }
    let currency = report.currency.as_deref().unwrap_or("");
    h.raw("<ul>\n");
    for change in &report.changes {
        h.raw("<li><code>");
        h.text(&change.id);
        h.raw("</code> <bdi>");
        h.text(&change.title);
        h.raw("</bdi>: ");
        h.text(change_status_word(change.status));
        if let Some(by) = &change.decided_by {
            h.raw(" by <bdi>");
            h.text(by);
            h.raw("</bdi>");
        }
        if let Some(date) = change.decided {
            h.raw(" on ");
            h.display(date);
        }
        let mut impact = Vec::new();
        if let Some(cost) = change.cost {
            let sign = if cost > 0.0 { "+" } else { "" };
            impact.push(format!("cost {sign}{} {currency}", format_money(cost)));
        }
        if let Some(days) = change.days {
            let sign = if days > 0 { "+" } else { "" };
            impact.push(format!("{sign}{}", plural(days, "working day")));
        }
        if !impact.is_empty() {
            h.raw(" (");
            h.text(impact.join(", ").trim_end());
            h.raw(")");
        }
        h.raw("</li>\n");
    }
    h.raw("</ul>\n</section>\n");
}

fn trend(h: &mut Html, report: &Report) {
    h.raw("<section class=\"trend\">\n<h2>Check-in trend</h2>\n");
    let points: Vec<(usize, f64)> = report
        .trend
        .iter()
        .enumerate()
        .filter_map(|(index, point)| point.percent_complete.map(|p| (index, p)))
        .collect();
    if points.len() > 1 {
        let width = 600.0;
        let height = 140.0;
        let left = 36.0;
        let span = (report.trend.len() - 1).max(1) as f64;
        let x_of = |index: usize| left + index as f64 / span * (width - left - 20.0);
        let y_of =
            |percent: f64| 10.0 + (100.0 - percent.clamp(0.0, 100.0)) / 100.0 * (height - 30.0);
        h.raw("<div class=\"scroll\"><svg role=\"img\" viewBox=\"0 0 600 140\" style=\"max-width:600px;width:100%;height:auto\" aria-label=\"Percent complete by week\">\n");
        for percent in [0.0, 50.0, 100.0] {
            h.raw("<line class=\"t-axis\" x1=\"");
            h.num(left);
            h.raw("\" x2=\"");
            h.num(width - 10.0);
            h.raw("\" y1=\"");
            h.num(y_of(percent));
            h.raw("\" y2=\"");
            h.num(y_of(percent));
            h.raw("\"/><text class=\"g-tick\" x=\"2\" y=\"");
            h.num(y_of(percent) + 3.0);
            h.raw("\">");
            h.display(format_args!("{percent:.0}%"));
            h.raw("</text>\n");
        }
        h.raw("<polyline class=\"t-line\" points=\"");
        for (index, percent) in &points {
            h.num(x_of(*index));
            h.raw(",");
            h.num(y_of(*percent));
            h.raw(" ");
        }
        h.raw("\"/>\n");
        for (index, percent) in &points {
            h.raw("<circle class=\"t-dot\" r=\"3\" cx=\"");
            h.num(x_of(*index));
            h.raw("\" cy=\"");
            h.num(y_of(*percent));
            h.raw("\"><title>");
            h.display(report.trend[*index].week);
            h.raw(": ");
            h.display(format_args!("{percent:.1}% complete"));
            h.raw("</title></circle>\n");
        }
        h.raw("<text class=\"g-tick\" x=\"");
        h.num(left);
        h.raw("\" y=\"136\">");
        h.display(report.trend[0].week);
        h.raw("</text><text class=\"g-tick\" text-anchor=\"end\" x=\"");
        h.num(width - 10.0);
        h.raw("\" y=\"136\">");
        h.display(report.trend[report.trend.len() - 1].week);
        h.raw("</text>\n</svg></div>\n");
    }
    h.raw("<div class=\"scroll\"><table>\n<thead><tr><th>Week</th><th class=\"num\">Complete</th><th class=\"num\">SPI</th><th class=\"num\">CPI</th><th class=\"num\">Open blockers</th></tr></thead>\n<tbody>\n");
    for point in &report.trend {
        h.raw("<tr><td>");
        h.display(point.week);
        if point.computed {
            h.raw(" <span class=\"muted\">(this report, not recorded)</span>");
        }
        h.raw("</td><td class=\"num\">");
        h.text(
            &point
                .percent_complete
                .map(|p| format!("{p:.1}%"))
                .unwrap_or_else(|| "n/a".to_owned()),
        );
        h.raw("</td><td class=\"num\">");
        h.text(&index(point.spi));
        h.raw("</td><td class=\"num\">");
        h.text(&index(point.cpi));
        h.raw("</td><td class=\"num\">");
        h.text(
            &point
                .open_blockers
                .map(|b| b.to_string())
                .unwrap_or_else(|| "n/a".to_owned()),
        );
        h.raw("</td></tr>\n");
    }
    h.raw("</tbody></table></div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_text_and_attributes() {
        let mut out = String::new();
        escape_into(&mut out, "<a href='x'>\"&\"</a>\u{1b}[2J\u{202E}\t\n");
        assert_eq!(
            out,
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;\u{FFFD}[2J\u{FFFD}\t\n"
        );
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(shorten("abc", 5), "abc");
        assert_eq!(shorten("abcdefgh", 5), "abcd\u{2026}");
        assert_eq!(shorten("a\nb", 5), "a b");
    }
}
