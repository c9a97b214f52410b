//! The task table that `gantry export --to csv` writes, read back into a
//! new plan: the same ids, names, phases, owners, durations, dependencies
//! (with their types and lags), start-no-earlier-than dates, milestones,
//! status, progress, estimates, baselines, blockers and notes.
//!
//! The computed columns (`start`, `finish`, `slack`, `critical`) are not
//! kept, since gantry computes them again; the earliest `start` becomes the
//! project's start. A text cell that begins with `'` loses it (the export
//! adds one against spreadsheet formulas). Each value the plan cannot hold
//! (an id with a space, a status gantry does not know, a link to a task
//! not in the table, a column gantry does not read) is left out with a
//! warning naming its line.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Defaults, ImportError, Imported, Warning, toml_string};
use crate::export::csv::{TASK_COLUMNS, uncell};
use crate::model::{DependencyKind, TaskStatus, is_valid_id};

#[derive(Debug, Default)]
struct Row {
    line: u64,
    id: String,
    name: String,
    phase: Option<String>,
    owner: Option<String>,
    duration: Option<i64>,
    status: Option<TaskStatus>,
    progress: Option<u8>,
    milestone: bool,
    depends: Vec<(String, DependencyKind, i64)>,
    not_before: Option<NaiveDate>,
    estimate: Option<f64>,
    baseline: Option<(NaiveDate, NaiveDate)>,
    blocker: Option<String>,
    blocked_since: Option<NaiveDate>,
    notes: Option<String>,
    /// The computed start and finish the CSV gave, to compare with.
    start: Option<NaiveDate>,
    finish: Option<NaiveDate>,
}

/// One dependency as the export writes it: `id`, `id:ss`, `id:fs+2`, `id:ff-1`.
fn parse_dependency(text: &str) -> Result<(String, DependencyKind, i64), String> {
    let Some((id, rest)) = text.split_once(':') else {
        return Ok((text.to_owned(), DependencyKind::FinishToStart, 0));
    };
    let (kind, lag) = match rest.find(['+', '-']) {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let kind = DependencyKind::parse(kind)
        .ok_or_else(|| format!("`{kind}` in `{text}` is not a dependency type (fs, ss or ff)"))?;
    let lag = if lag.is_empty() {
        0
    } else {
        lag.trim_start_matches('+')
            .parse::<i64>()
            .map_err(|_| format!("`{lag}` in `{text}` is not a lag in whole working days"))?
    };
    Ok((id.to_owned(), kind, lag))
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Reads the table. Errors only when there is no table to read.
pub fn from_csv(text: &str, defaults: &Defaults) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|error| ImportError::Malformed {
            line: 1,
            message: error.to_string(),
        })?
        .clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(at, name)| (name.trim().to_lowercase(), at))
        .collect();
    if !columns.contains_key("id") || !columns.contains_key("name") {
        return Err(ImportError::NotATable(
            "the CSV has no `id` and `name` columns; it is not a task table (one that \
             `gantry export --to csv` writes begins with `id,name,phase,...`)"
                .to_owned(),
        ));
    }
    let mut warnings = Vec::new();
    for name in headers.iter() {
        let name = name.trim().to_lowercase();
        if !TASK_COLUMNS.contains(&name.as_str()) {
            warnings.push(Warning {
                line: Some(1),
                message: format!(
                    "column `{name}` is not one gantry reads; its values are left out"
                ),
            });
        }
    }

    let mut rows: Vec<Row> = Vec::new();
    let mut seen = HashSet::new();
    let mut phases: Vec<(String, String)> = Vec::new();
    let mut people: Vec<(String, String)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| ImportError::Malformed {
            line: error.position().map(|p| p.line()).unwrap_or(0),
            message: error.to_string(),
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |column: &str| -> &str {
            columns
                .get(column)
                .and_then(|&at| record.get(at))
                .unwrap_or("")
        };
        let text_cell = |column: &str| uncell(get(column)).to_owned();
        let mut warn = |message: String| {
            warnings.push(Warning {
                line: Some(line),
                message,
            })
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let id = text_cell("id").trim().to_owned();
        if !is_valid_id(&id) {
            warn(format!(
                "task id `{id}` is not an id (letters, digits, '-', '_', '.'); the row is left out"
            ));
            continue;
        }
        if !seen.insert(id.clone()) {
            warn(format!(
                "task `{id}` comes twice; the later row is left out"
            ));
            continue;
        }
        let mut row = Row {
            line,
            id: id.clone(),
            name: text_cell("name"),
            ..Row::default()
        };
        if row.name.trim().is_empty() {
            warn(format!("task `{id}` has no name; it is named after its id"));
            row.name = id.clone();
        }
        for (column, name_column, list, what) in [
            ("phase", "phase_name", &mut phases, "phase"),
            ("owner", "owner_name", &mut people, "person"),
        ] {
            let value = text_cell(column).trim().to_owned();
            if value.is_empty() {
                continue;
            }
            if !is_valid_id(&value) {
                warn(format!(
                    "task `{id}`: {what} `{value}` is not an id (letters, digits, '-', '_', '.'); left out"
                ));
                continue;
            }
            if !list.iter().any(|(known, _)| *known == value) {
                let name = text_cell(name_column);
                let name = if name.trim().is_empty() {
                    value.clone()
                } else {
                    name
                };
                list.push((value.clone(), name));
            }
            if column == "phase" {
                row.phase = Some(value);
            } else {
                row.owner = Some(value);
            }
        }
        let duration = get("duration").trim();
        if !duration.is_empty() {
            match duration.parse::<i64>() {
                Ok(days) if days >= 0 => row.duration = Some(days),
                _ => warn(format!(
                    "task `{id}`: duration `{duration}` is not a whole number of working days, 0 or more; left out (one day)"
                )),
            }
        }
        let status = get("status").trim();
        if !status.is_empty() {
            match TaskStatus::parse(status) {
                Some(status) => row.status = Some(status),
                None => warn(format!(
                    "task `{id}`: status `{status}` is not todo, doing, done or blocked; left out (todo)"
                )),
            }
        }
        let progress = get("progress").trim();
        if !progress.is_empty() {
            match progress.parse::<u8>() {
                Ok(percent) if percent <= 100 => row.progress = Some(percent),
                _ => warn(format!(
                    "task `{id}`: progress `{progress}` is not a percent from 0 to 100; left out"
                )),
            }
        }
        match get("milestone").trim().to_lowercase().as_str() {
            "" | "false" | "no" | "0" => {}
            "true" | "yes" | "1" => row.milestone = true,
            other => warn(format!(
                "task `{id}`: milestone `{other}` is not true or false; left out"
            )),
        }
        for part in text_cell("depends")
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            match parse_dependency(part) {
                Ok(dependency) => row.depends.push(dependency),
                Err(message) => warn(format!("task `{id}`: {message}; the link is left out")),
            }
        }
        for (column, slot) in [
            ("not_before", &mut row.not_before),
            ("blocked_since", &mut row.blocked_since),
            ("start", &mut row.start),
            ("finish", &mut row.finish),
        ] {
            let value = get(column).trim();
            if value.is_empty() {
                continue;
            }
            match parse_date(value) {
                Some(date) => *slot = Some(date),
                None => warn(format!(
                    "task `{id}`: {column} `{value}` is not a date (YYYY-MM-DD); left out"
                )),
            }
        }
        let estimate = get("estimate").trim();
        if !estimate.is_empty() {
            match estimate.parse::<f64>() {
                Ok(hours) if hours.is_finite() && hours >= 0.0 => row.estimate = Some(hours),
                _ => warn(format!(
                    "task `{id}`: estimate `{estimate}` is not a number of hours, 0 or more; left out"
                )),
            }
        }
        let (baseline_start, baseline_finish) =
            (get("baseline_start").trim(), get("baseline_finish").trim());
        match (
            parse_date(baseline_start),
            parse_date(baseline_finish),
            baseline_start.is_empty() && baseline_finish.is_empty(),
        ) {
            (_, _, true) => {}
            (Some(start), Some(finish), _) if start <= finish => {
                row.baseline = Some((start, finish))
            }
            _ => warn(format!(
                "task `{id}`: the baseline `{baseline_start}` to `{baseline_finish}` is not two dates in order; left out"
            )),
        }
        for (column, slot) in [("blocker", &mut row.blocker), ("notes", &mut row.notes)] {
            let value = text_cell(column);
            if !value.is_empty() {
                *slot = Some(value);
            }
        }
        rows.push(row);
    }

    // Links to tasks that are not in the table cannot be kept.
    for row in &mut rows {
        let id = row.id.clone();
        let line = row.line;
        row.depends.retain(|(target, _, _)| {
            let message = if *target == id {
                format!("task `{id}` depends on itself; the link is left out")
            } else if !seen.contains(target) {
                format!(
                    "task `{id}` depends on `{target}`, which is not a task in the table; the link is left out"
                )
            } else {
                return true;
            };
            warnings.push(Warning {
                line: Some(line),
                message,
            });
            false
        });
    }

    let start = rows
        .iter()
        .filter_map(|row| row.start.or(row.not_before))
        .min();
    let dated = start.is_some();
    let start = match start {
        Some(start) => start,
        None => {
            warnings.push(Warning {
                line: None,
                message: format!(
                    "no task has a start date; the project starts on {}",
                    defaults.start
                ),
            });
            defaults.start
        }
    };
    Ok(Imported {
        text: write_plan(&rows, &phases, &people, (start, dated), defaults),
        warnings,
    })
}

fn write_plan(
    rows: &[Row],
    phases: &[(String, String)],
    people: &[(String, String)],
    (start, dated): (NaiveDate, bool),
    defaults: &Defaults,
) -> String {
    let mut out = String::with_capacity(256 + rows.len() * 200);
    let source: String = defaults
        .source
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let _ = writeln!(
        out,
        "# A gantry plan made by `gantry import` from {source}."
    );
    out.push_str(
        "# Dates, slack and the critical path are computed from the durations and\n\
         # dependencies below (`gantry schedule` prints them); docs/format.md lists\n\
         # every key a plan can have.\n\n",
    );
    out.push_str("[project]\n");
    let _ = writeln!(out, "name = {}", toml_string(&defaults.name));
    if dated {
        let _ = writeln!(out, "start = {start}  # the earliest start in the table");
    } else {
        let _ = writeln!(
            out,
            "start = {start}  # the table has no dates: the day of the import"
        );
    }
    out.push_str("# status_date = YYYY-MM-DD  # set it to track progress against the schedule\n");

    if !people.is_empty() {
        out.push_str(
            "\n# The task owners. Add `rate` (per hour) and `capacity` for cost and load.\n",
        );
        for (id, name) in people {
            out.push_str("\n[[person]]\n");
            let _ = writeln!(out, "id = {}", toml_string(id));
            let _ = writeln!(out, "name = {}", toml_string(name));
        }
    }
    if !phases.is_empty() {
        out.push_str("\n# Phases, in the order the table first names them.\n");
        for (id, name) in phases {
            out.push_str("\n[[phase]]\n");
            let _ = writeln!(out, "id = {}", toml_string(id));
            let _ = writeln!(out, "name = {}", toml_string(name));
        }
    }
    if !rows.is_empty() {
        out.push_str("\n# Tasks, in the table's order.\n");
    }
    for row in rows {
        out.push_str("\n[[task]]\n");
        let _ = writeln!(out, "id = {}", toml_string(&row.id));
        let _ = writeln!(out, "name = {}", toml_string(&row.name));
        if let Some(phase) = &row.phase {
            let _ = writeln!(out, "phase = {}", toml_string(phase));
        }
        if let Some(owner) = &row.owner {
            let _ = writeln!(out, "owner = {}", toml_string(owner));
        }
        if row.milestone {
            out.push_str("milestone = true\n");
        }
        if let Some(days) = row.duration
            && !(row.milestone && days == 0)
        {
            let _ = writeln!(out, "duration = {days}");
        }
        if let Some(hours) = row.estimate {
            let _ = writeln!(out, "estimate = {hours}");
        }
        if !row.depends.is_empty() {
            let parts: Vec<String> = row
                .depends
                .iter()
                .map(|(task, kind, lag)| {
                    if *kind == DependencyKind::FinishToStart && *lag == 0 {
                        toml_string(task)
                    } else {
                        let mut part = format!("{{ task = {}", toml_string(task));
                        if *kind != DependencyKind::FinishToStart {
                            let _ = write!(part, ", type = \"{}\"", kind.as_str());
                        }
                        if *lag != 0 {
                            let _ = write!(part, ", lag = {lag}");
                        }
                        part.push_str(" }");
                        part
                    }
                })
                .collect();
            let _ = writeln!(out, "depends = [{}]", parts.join(", "));
        }
        if let Some(date) = row.not_before {
            let _ = writeln!(out, "start = {date}  # no earlier than");
        }
        if let Some(status) = row.status
            && status != TaskStatus::Todo
        {
            let _ = writeln!(out, "status = \"{}\"", status.as_str());
        }
        if let Some(progress) = row.progress
            && progress > 0
        {
            let _ = writeln!(out, "progress = {progress}");
        }
        if let Some(blocker) = &row.blocker {
            let _ = writeln!(out, "blocker = {}", toml_string(blocker));
        }
        if let Some(date) = row.blocked_since {
            let _ = writeln!(out, "blocked_since = {date}");
        }
        if let Some(notes) = &row.notes {
            let _ = writeln!(out, "notes = {}", toml_string(notes));
        }
        if let Some((start, finish)) = row.baseline {
            let _ = writeln!(out, "baseline = {{ start = {start}, finish = {finish} }}");
        }
    }
    out
}

/// The computed dates the table gave for each task, by id, to compare
/// with the imported plan's schedule.
pub fn table_dates(text: &str) -> HashMap<String, (NaiveDate, NaiveDate)> {
    let mut dates = HashMap::new();
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.strip_prefix('\u{FEFF}').unwrap_or(text).as_bytes());
    let Ok(headers) = reader.headers().cloned() else {
        return dates;
    };
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(id), Some(start), Some(finish)) = (at("id"), at("start"), at("finish")) else {
        return dates;
    };
    for record in reader.records().flatten() {
        if let (Some(i), Some(s), Some(f)) = (
            record.get(id),
            record.get(start).and_then(|s| parse_date(s.trim())),
            record.get(finish).and_then(|f| parse_date(f.trim())),
        ) {
            dates.insert(uncell(i).trim().to_owned(), (s, f));
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_parse_as_the_export_writes_them() {
        assert_eq!(
            parse_dependency("step-2").unwrap(),
            ("step-2".to_owned(), DependencyKind::FinishToStart, 0)
        );
        assert_eq!(
            parse_dependency("a:fs+2").unwrap(),
            ("a".to_owned(), DependencyKind::FinishToStart, 2)
        );
        assert_eq!(
            parse_dependency("qa-env:ss").unwrap(),
            ("qa-env".to_owned(), DependencyKind::StartToStart, 0)
        );
        assert_eq!(
            parse_dependency("d:ff-1").unwrap(),
            ("d".to_owned(), DependencyKind::FinishToFinish, -1)
        );
        assert!(parse_dependency("d:xx").is_err());
    }
}
