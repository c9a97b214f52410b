//! `gantry status FILE [--json] [--date YYYY-MM-DD]`: the dashboard's
//! numbers and alerts, as a block of text or one JSON document.
//!
//! Also home to what the planning commands (status, risk, checkin, report)
//! share: opening and scheduling a plan, the status date, and fitting text
//! to the terminal.

use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::cli::StatusArgs;
use crate::metrics::{self, Alert, AlertSeverity, Metrics, format_money};
use crate::model::Plan;
use crate::sanitize::for_terminal;
use crate::schedule::{self, Schedule};
use crate::store::Loaded;

use super::layout::{output_width, prose_width};
use super::{EXIT_INVALID, EXIT_OK, read_plan};

/// The widest a line of text output may be.
pub(super) const WIDTH: usize = 80;

pub fn run(args: &StatusArgs) -> anyhow::Result<u8> {
    let (file, schedule) = match open_scheduled(&args.file)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let plan = &file.plan;
    let status_date = status_date(plan, args.date);
    let metrics = metrics::compute(plan, &schedule, status_date);
    let alerts = metrics::alerts(plan, &schedule, &metrics, status_date);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.json {
        write_json(&mut out, &metrics, &alerts)
    } else {
        write_text(&mut out, plan, &metrics, &alerts, output_width())
    };
    finish_output(written.and_then(|()| out.flush()))
}

/// Reads a valid plan and schedules it. Problems are printed as `check`
/// prints them and give the exit code to return.
pub(super) fn open_scheduled(path: &Path) -> anyhow::Result<Result<(Loaded, Schedule), u8>> {
    let loaded = match read_plan(path, true)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(Err(code)),
    };
    match scheduled(path, &loaded.plan) {
        Ok(schedule) => Ok(Ok((loaded, schedule))),
        Err(code) => Ok(Err(code)),
    }
}

/// The plan's schedule, or the exit code after printing why there is none.
pub(super) fn scheduled(path: &Path, plan: &Plan) -> Result<Schedule, u8> {
    schedule::schedule(plan).map_err(|error| {
        errln!("{}", error.diagnostic(plan).display(path));
        EXIT_INVALID
    })
}

/// The date the numbers are taken at: the one asked for, else the plan's
/// `project.status_date`, else today.
pub(super) fn status_date(plan: &Plan, asked: Option<NaiveDate>) -> NaiveDate {
    asked.or(plan.project.status_date).unwrap_or_else(today)
}

pub(super) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The exit code once output is written: a reader that stops early
/// (`| head`) is not an error.
pub(super) fn finish_output(written: io::Result<()>) -> anyhow::Result<u8> {
    match written {
        Ok(()) => Ok(EXIT_OK),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(error) => Err(error.into()),
    }
}

#[derive(Serialize)]
struct JsonStatus {
    status_date: String,
    bac: f64,
    pv: f64,
    ev: f64,
    ac: f64,
    sv: f64,
    cv: f64,
    spi: Option<f64>,
    cpi: Option<f64>,
    eac: Option<f64>,
    etc: Option<f64>,
    vac: Option<f64>,
    burn_rate: Option<f64>,
    planned_burn_rate: Option<f64>,
    open_blockers: usize,
    variance_days: Option<i64>,
    forecast_finish: Option<String>,
    percent_complete: f64,
    alerts: Vec<JsonAlert>,
    /// Which indices mean something yet (see `metrics::Meaningful`).
    meaningful: JsonMeaningful,
    /// Why the others do not, one sentence each.
    caveats: Vec<String>,
}

#[derive(Serialize)]
struct JsonMeaningful {
    spi: bool,
    cpi: bool,
    spi_t: bool,
    progress_as_of: Option<String>,
}

#[derive(Serialize)]
struct JsonAlert {
    kind: &'static str,
    message: String,
}

/// Rounded to `decimals` places, without a negative zero.
pub(super) fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10_f64.powi(decimals);
    let value = (value * scale).round() / scale;
    if value == 0.0 { 0.0 } else { value }
}

fn cents(value: f64) -> f64 {
    rounded(value, 2)
}

fn write_json(out: &mut impl Write, metrics: &Metrics, alerts: &[Alert]) -> io::Result<()> {
    let document = JsonStatus {
        status_date: metrics.status_date.to_string(),
        bac: cents(metrics.bac),
        pv: cents(metrics.pv),
        ev: cents(metrics.ev),
        ac: cents(metrics.ac),
        sv: cents(metrics.sv),
        cv: cents(metrics.cv),
        spi: metrics.spi.map(|spi| rounded(spi, 3)),
        cpi: metrics.cpi.map(|cpi| rounded(cpi, 3)),
        eac: metrics.eac.map(cents),
        etc: metrics.etc.map(cents),
        vac: metrics.vac.map(cents),
        burn_rate: metrics.burn_rate.map(cents),
        planned_burn_rate: metrics.planned_burn_rate.map(cents),
        open_blockers: metrics.open_blockers,
        variance_days: metrics.variance_days,
        forecast_finish: metrics.forecast_finish.map(|date| date.to_string()),
        percent_complete: rounded(metrics.percent_complete, 2),
        alerts: alerts
            .iter()
            .map(|alert| JsonAlert {
                kind: alert.kind.as_str(),
                message: alert.message.clone(),
            })
            .collect(),
        meaningful: JsonMeaningful {
            spi: metrics.meaningful.spi,
            cpi: metrics.meaningful.cpi,
            spi_t: metrics.meaningful.spi_t,
            progress_as_of: metrics
                .meaningful
                .progress_as_of
                .map(|date| date.to_string()),
        },
        caveats: metrics.caveats(),
    };
    let text = serde_json::to_string_pretty(&document)?;
    writeln!(out, "{}", crate::sanitize::json(text))
}

/// A ratio to two decimals, or `n/a`.
pub(super) fn index_text(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), metrics::format_index)
}

/// `text` marked `*` when the figure has a value but is not yet meaningful
/// (the note under the figures says why).
pub(super) fn marked(text: String, value_is_some: bool, meaningful: bool) -> String {
    if value_is_some && !meaningful {
        format!("{text}*")
    } else {
        text
    }
}

/// The note under figures marked `*`, wrapped to `width`; nothing when
/// every figure means something.
pub(super) fn caveat_lines(metrics: &Metrics, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for caveat in metrics.caveats() {
        for (number, line) in wrap(&caveat, width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if number == 0 { "* " } else { "  " };
            lines.push(format!("{lead}{line}"));
        }
    }
    lines
}

pub(super) fn money_text(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), format_money)
}

/// The variance to the baseline in words.
pub(super) fn variance_text(days: Option<i64>) -> String {
    match days {
        None => "no baseline".to_string(),
        Some(0) => "on the baseline".to_string(),
        Some(1) => "1 working day late".to_string(),
        Some(-1) => "1 working day early".to_string(),
        Some(days) if days > 0 => format!("{days} working days late"),
        Some(days) => format!("{} working days early", -days),
    }
}

/// The dashboard as text: figures laid out for 80 columns, the project
/// name whole unless `width` (the terminal's) is narrower, and the alerts
/// wrapped at `width` or 80.
fn write_text(
    out: &mut impl Write,
    plan: &Plan,
    metrics: &Metrics,
    alerts: &[Alert],
    width: Option<usize>,
) -> io::Result<()> {
    let line_fit = |text: &str| match width {
        Some(width) => fit(text, width),
        None => text.to_owned(),
    };
    writeln!(out, "{}", line_fit(&for_terminal(&plan.project.name)))?;
    let currency = plan
        .project
        .currency
        .as_deref()
        .map(|currency| format!("; money in {}", for_terminal(currency)))
        .unwrap_or_default();
    writeln!(
        out,
        "{}",
        line_fit(&format!("Status at {}{currency}", metrics.status_date))
    )?;
    writeln!(out)?;

    let forecast = marked(
        metrics
            .forecast_finish
            .map_or_else(|| "n/a".to_string(), |date| date.to_string()),
        metrics.forecast_finish.is_some(),
        metrics.meaningful.spi_t,
    );
    let pairs = [
        (
            ("Complete", format!("{:.1}%", metrics.percent_complete)),
            ("Open blockers", metrics.open_blockers.to_string()),
        ),
        (
            ("Forecast finish", forecast),
            ("Planned finish", metrics.planned_finish.to_string()),
        ),
        (
            ("Variance", variance_text(metrics.variance_days)),
            (
                "SPI(t)",
                marked(
                    index_text(metrics.spi_t),
                    metrics.spi_t.is_some(),
                    metrics.meaningful.spi_t,
                ),
            ),
        ),
        (
            ("Burn rate", per_week(metrics.burn_rate)),
            ("Planned burn", per_week(metrics.planned_burn_rate)),
        ),
    ];
    for ((left_label, left), (right_label, right)) in pairs {
        let left = format!("{left_label:<16}{left}");
        let line = format!("{}  {right_label:<16}{right}", pad(&fit(&left, 38), 38));
        writeln!(out, "{}", fit(line.trim_end(), WIDTH))?;
    }
    writeln!(out)?;

    let meaningful = metrics.meaningful;
    let cost = |value: Option<f64>| marked(money_text(value), value.is_some(), meaningful.cpi);
    let cells = [
        ("BAC", format_money(metrics.bac)),
        ("PV", format_money(metrics.pv)),
        ("EV", format_money(metrics.ev)),
        ("AC", format_money(metrics.ac)),
        ("SV", format_money(metrics.sv)),
        ("CV", format_money(metrics.cv)),
        (
            "SPI",
            marked(
                index_text(metrics.spi),
                metrics.spi.is_some(),
                meaningful.spi,
            ),
        ),
        (
            "CPI",
            marked(
                index_text(metrics.cpi),
                metrics.cpi.is_some(),
                meaningful.cpi,
            ),
        ),
        ("EAC", cost(metrics.eac)),
        ("ETC", cost(metrics.etc)),
        ("VAC", cost(metrics.vac)),
    ];
    // Values line up on their digits; a `*` mark hangs past them.
    let digits = |value: &str| value.trim_end_matches('*').len();
    let value_width = cells
        .iter()
        .map(|(_, value)| digits(value))
        .max()
        .unwrap_or(0);
    let any_mark = cells.iter().any(|(_, value)| value.ends_with('*'));
    // Label 4, value, a mark, and 3 spaces between cells; as many cells as fit.
    let mark_width = usize::from(any_mark);
    let cell_width = 4 + value_width + mark_width;
    let per_line = ((WIDTH + 3) / (cell_width + 3)).clamp(1, 3);
    for row in cells.chunks(per_line) {
        let line: Vec<String> = row
            .iter()
            .map(|(label, value)| {
                let mark = if value.ends_with('*') { "*" } else { "" };
                let value = value.trim_end_matches('*');
                format!("{label:<4}{value:>value_width$}{mark:<mark_width$}")
            })
            .collect();
        writeln!(out, "{}", line.join("   ").trim_end())?;
    }
    for line in caveat_lines(metrics, prose_width(width).min(WIDTH)) {
        writeln!(out, "{line}")?;
    }

    writeln!(out)?;
    if alerts.is_empty() {
        writeln!(out, "No alerts.")?;
        return Ok(());
    }
    writeln!(out, "Alerts ({}):", alerts.len())?;
    for alert in alerts {
        let marker = match alert.severity {
            AlertSeverity::High => "!!",
            AlertSeverity::Medium => "! ",
            AlertSeverity::Low => "- ",
        };
        let message = for_terminal(&alert.message);
        for (number, line) in wrap(&message, prose_width(width).saturating_sub(5))
            .iter()
            .enumerate()
        {
            let lead = if number == 0 { marker } else { "  " };
            writeln!(out, "  {lead} {line}")?;
        }
    }
    Ok(())
}

fn per_week(value: Option<f64>) -> String {
    value.map_or_else(
        || "n/a".to_string(),
        |value| format!("{}/wk", format_money(value)),
    )
}

/// Columns the text takes in a terminal.
pub(super) fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// The text cut to `width` columns, ending in an ellipsis when cut.
pub(super) fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let columns = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + columns + 1 > width {
            break;
        }
        kept.push(c);
        used += columns;
    }
    if width > 0 {
        // "The access…", not "The access …".
        kept.truncate(kept.trim_end().len());
        kept.push('…');
    }
    kept
}

/// The text padded with spaces to `width` columns.
pub(super) fn pad(text: &str, width: usize) -> String {
    let padding = width.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(padding))
}

/// The text broken into lines of at most `width` columns, at spaces where
/// possible.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = if line.is_empty() {
            display_width(word)
        } else {
            display_width(&line) + 1 + display_width(word)
        };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // A word longer than the line is cut into pieces.
        while display_width(&line) > width {
            let mut head = String::new();
            let mut used = 0;
            let mut rest = String::new();
            for c in line.chars() {
                let columns = UnicodeWidthChar::width(c).unwrap_or(0);
                if rest.is_empty() && used + columns <= width {
                    head.push(c);
                    used += columns;
                } else {
                    rest.push(c);
                }
            }
            if head.is_empty() {
                break;
            }
            lines.push(head);
            line = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_to_the_width_and_cuts_long_words() {
        let lines = wrap("risk R8 is still open and its trigger date has come", 20);
        assert!(
            lines.iter().all(|line| display_width(line) <= 20),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" "),
            "risk R8 is still open and its trigger date has come"
        );
        let lines = wrap(&"x".repeat(45), 20);
        assert_eq!(lines, vec!["x".repeat(20), "x".repeat(20), "x".repeat(5)]);
        assert_eq!(wrap("", 10), vec![String::new()]);
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis_and_counts_wide_characters_twice() {
        assert_eq!(fit("Payment API", 20), "Payment API");
        assert_eq!(fit("Payment API integration", 10), "Payment A…");
        assert_eq!(display_width(&fit("決済システム", 7)), 7);
    }

    #[test]
    fn rounding_never_gives_a_negative_zero() {
        assert_eq!(rounded(-0.001, 2).to_string(), "0");
        assert_eq!(rounded(1234.5678, 2), 1234.57);
        assert_eq!(variance_text(Some(3)), "3 working days late");
        assert_eq!(variance_text(Some(-1)), "1 working day early");
    }
}
