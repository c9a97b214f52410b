//! `gantry history FILE [--rev RANGE] [--json]`: one line per commit that
//! changed the plan, oldest first, and the milestone trend chart.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::json;

use crate::cli::HistoryArgs;
use crate::diff::{Metric, SideState, metric_text};
use crate::git::{GitError, RepoFile};
use crate::history::{self, Cell, Snapshot, Trend};
use crate::sanitize::for_terminal;

use super::EXIT_USAGE;
use super::diff::signed_days;
use super::status::{display_width, finish_output, fit, pad};

pub fn run(args: &HistoryArgs) -> anyhow::Result<u8> {
    let refused = |error: GitError| -> anyhow::Result<u8> {
        match error {
            GitError::NotARepository { .. } | GitError::BadRevision { .. } => {
                errln!("gantry history: {}", for_terminal(&error.to_string()));
                Ok(EXIT_USAGE)
            }
            other => Err(other.into()),
        }
    };
    let file = match RepoFile::locate(&args.file) {
        Ok(file) => file,
        Err(error) => return refused(error),
    };
    let snapshots = match history::collect(&file, args.rev.as_deref()) {
        Ok(snapshots) => snapshots,
        Err(error) => return refused(error),
    };
    let trend = history::trend(&snapshots, &args.milestones);
    for id in &trend.unknown {
        errln!(
            "gantry history: no milestone `{}` in the history of {}",
            for_terminal(id),
            for_terminal(&file.path)
        );
    }
    let output = if args.json {
        json_output(&file, &snapshots, &trend)
    } else {
        let color = super::diff::use_color(args.color);
        text_output(&file, &snapshots, &trend, args.width.max(40), color)
    };
    let mut out = io::stdout().lock();
    finish_output(out.write_all(output.as_bytes()).and_then(|()| out.flush()))
}

fn money(value: Option<f64>) -> String {
    metric_text(Metric::Eac, value)
}

/// What a commit's plan said, in a few words, when it says no numbers.
fn state_words(snapshot: &Snapshot) -> Option<String> {
    match snapshot.state {
        SideState::Absent => Some("the file was removed".to_owned()),
        SideState::Unparsable => Some(format!(
            "does not parse: {}",
            snapshot.problem.as_deref().unwrap_or_default()
        )),
        SideState::Invalid if snapshot.finish.is_none() => Some(format!(
            "invalid: {}",
            snapshot.problem.as_deref().unwrap_or_default()
        )),
        _ if snapshot.finish.is_none() => Some("cannot be scheduled".to_owned()),
        _ => None,
    }
}

fn text_output(
    file: &RepoFile,
    snapshots: &[Snapshot],
    trend: &Trend,
    width: usize,
    color: bool,
) -> String {
    let mut out = String::new();
    let path = for_terminal(&file.path);
    if snapshots.is_empty() {
        let _ = writeln!(out, "No commit in this range changed {path}.");
        return out;
    }
    let _ = writeln!(
        out,
        "History of {path}: {} commit{}, oldest first",
        snapshots.len(),
        if snapshots.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(out);
    let rows: Vec<[String; 7]> = snapshots
        .iter()
        .map(|s| {
            [
                s.finish.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                s.slip.map_or_else(|| "-".to_owned(), signed_days),
                s.percent_complete
                    .map_or_else(|| "-".to_owned(), |p| format!("{p:.1}%")),
                if s.finish.is_some() {
                    money(s.eac)
                } else {
                    "-".to_owned()
                },
                s.open_risks
                    .map_or_else(|| "-".to_owned(), |n| n.to_string()),
                s.blockers.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                if s.state == SideState::Invalid {
                    "!".to_owned()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let titles = ["finish", "slip", "done", "EAC", "risks", "blocked"];
    let widths: Vec<usize> = (0..6)
        .map(|column| {
            rows.iter()
                .map(|row| display_width(&row[column]))
                .chain([titles[column].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // date, commit, author, then the numbers; the author gets what is left.
    let numbers_width: usize = widths.iter().map(|w| w + 1).sum::<usize>() + 1;
    let author_width = width
        .saturating_sub(10 + 1 + 7 + 1 + numbers_width + 1)
        .clamp(6, 20);
    let mut header = format!(
        "{} {} {}",
        pad("date", 10),
        pad("commit", 7),
        pad("author", author_width)
    );
    for (title, width) in titles.iter().zip(&widths) {
        let _ = write!(header, " {title:>width$}");
    }
    let bold = |text: &str| {
        if color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let _ = writeln!(out, "{}", bold(header.trim_end()));
    for (snapshot, row) in snapshots.iter().zip(&rows) {
        let author = fit(&for_terminal(&snapshot.author), author_width);
        let mut line = format!(
            "{} {} {}",
            snapshot.date,
            pad(snapshot.short_hash(), 7),
            pad(&author, author_width)
        );
        match state_words(snapshot) {
            Some(words) => {
                let room = width.saturating_sub(display_width(&line) + 1);
                let _ = write!(line, " {}", fit(&for_terminal(&words), room));
            }
            None => {
                for (column, width) in widths.iter().enumerate() {
                    let _ = write!(line, " {:>width$}", row[column]);
                }
                if !row[6].is_empty() {
                    line.push_str(" ! invalid");
                }
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if snapshots
        .iter()
        .any(|s| s.state == SideState::Invalid && s.finish.is_some())
    {
        let _ = writeln!(
            out,
            "(! the plan had errors in that commit; its numbers are what could be worked out)"
        );
    }
    let _ = writeln!(out);
    out.push_str(&chart_text(snapshots, trend, width, color));
    out
}

/// The milestone trend chart as text: the same layout the app draws.
pub(crate) fn chart_text(
    snapshots: &[Snapshot],
    trend: &Trend,
    width: usize,
    color: bool,
) -> String {
    let mut out = String::new();
    if trend.lines.is_empty() {
        let _ = writeln!(out, "No milestones to chart.");
        return out;
    }
    let _ = writeln!(
        out,
        "Milestone trend: each milestone's forecast per commit; drifting right is slipping{}",
        if trend.lines.len() < trend.total {
            format!(
                " ({} of {} milestones; --milestone ID chooses)",
                trend.lines.len(),
                trend.total
            )
        } else {
            String::new()
        }
    );
    let label_width = 10 + 1 + 7 + 1;
    let chart_width = width.saturating_sub(label_width).max(10);
    let chart = history::chart(snapshots, trend, chart_width);
    let _ = writeln!(
        out,
        "{}{}",
        " ".repeat(label_width),
        chart.axis[0].trim_end()
    );
    let _ = writeln!(out, "{}{}", " ".repeat(label_width), chart.axis[1]);
    let palette = ["31", "32", "33", "34", "35", "36"];
    for (snapshot, cells) in snapshots.iter().zip(&chart.rows) {
        let mut line = format!("{} {} ", snapshot.date, pad(snapshot.short_hash(), 7));
        if snapshot.milestones.is_empty() && snapshot.state != SideState::Valid {
            let _ = write!(
                line,
                "({})",
                state_words(snapshot)
                    .map(|w| fit(&for_terminal(&w), chart_width - 2))
                    .unwrap_or_default()
            );
            let _ = writeln!(out, "{line}");
            continue;
        }
        for cell in cells {
            match cell {
                Cell::Empty => line.push(' '),
                Cell::Grid => line.push(if color { '·' } else { '.' }),
                Cell::Milestone(index) => {
                    let mark = history::mark(*index).to_string();
                    if color {
                        let _ = write!(
                            line,
                            "\x1b[1;{}m{mark}\x1b[0m",
                            palette[index % palette.len()]
                        );
                    } else {
                        line.push_str(&mark);
                    }
                }
                Cell::Several => line.push('*'),
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let _ = writeln!(out);
    let legend: Vec<(String, String)> = trend
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let dates = match (line.first(), line.last()) {
                (Some(first), Some(last)) if first == last => format!("{last}, unchanged"),
                (Some(first), Some(last)) => format!(
                    "{first} → {last} ({} working days)",
                    signed_days(line.drift)
                ),
                _ => String::new(),
            };
            let label = format!(
                "  {} `{}` {}",
                history::mark(index),
                for_terminal(&line.id),
                for_terminal(&line.name)
            );
            (label, dates)
        })
        .collect();
    let dates_width = legend
        .iter()
        .map(|(_, d)| display_width(d))
        .max()
        .unwrap_or(0);
    let label_room = width.saturating_sub(dates_width + 2).max(12);
    let label_width = legend
        .iter()
        .map(|(l, _)| display_width(l))
        .max()
        .unwrap_or(0)
        .min(label_room);
    for (label, dates) in legend {
        let _ = writeln!(
            out,
            "{}  {dates}",
            pad(&fit(&label, label_width), label_width)
        );
    }
    if chart.rows.iter().any(|row| row.contains(&Cell::Several)) {
        let _ = writeln!(out, "  * several milestones on the same column");
    }
    out
}

fn json_output(file: &RepoFile, snapshots: &[Snapshot], trend: &Trend) -> String {
    use super::diff::json::rounded;
    let commits: Vec<serde_json::Value> = snapshots
        .iter()
        .map(|s| {
            let milestones: serde_json::Map<String, serde_json::Value> = s
                .milestones
                .iter()
                .map(|(id, _, date)| (id.clone(), json!(date.to_string())))
                .collect();
            json!({
                "commit": s.hash,
                "date": s.date.to_string(),
                "author": s.author,
                "subject": s.subject,
                "path": s.path,
                "state": s.state.as_str(),
                "errors": s.errors,
                "problem": s.problem,
                "finish": s.finish.map(|d| d.to_string()),
                "slip": s.slip,
                "percent_complete": rounded(s.percent_complete, 2),
                "bac": rounded(s.bac, 2),
                "eac": rounded(s.eac, 2),
                "open_risks": s.open_risks,
                "blockers": s.blockers,
                "milestones": milestones,
            })
        })
        .collect();
    let lines: Vec<serde_json::Value> = trend
        .lines
        .iter()
        .map(|line| {
            json!({
                "id": line.id,
                "name": line.name,
                "first": line.first().map(|d| d.to_string()),
                "last": line.last().map(|d| d.to_string()),
                "drift": line.drift,
                "dates": line.dates.iter().map(|d| d.map(|d| d.to_string())).collect::<Vec<_>>(),
            })
        })
        .collect();
    let document = json!({
        "format": super::diff::json::FORMAT,
        "file": file.path,
        "commits": commits,
        "milestones": lines,
        "milestones_total": trend.total,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".to_owned());
    text = crate::sanitize::json_inert(text);
    text.push('\n');
    text
}
