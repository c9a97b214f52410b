//! The diff as plain text: the story, then the details by kind.

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::diff::{
    EntityDiff, FieldChange, Metric, PlanDiff, Quoting, SideState, Tone, describe_change,
    number_text,
};
use crate::sanitize::for_terminal;

use super::super::status::{display_width, pad, wrap};
use super::{Header, change_heading, listed_moves, signed_days, summary_line};

/// The width story sentences are wrapped to.
const WIDTH: usize = 80;
/// How many critical-path ids a line shows.
const PATH_IDS: usize = 12;

/// ANSI colour, or nothing.
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn green(&self, text: &str) -> String {
        self.wrap("32", text)
    }

    fn red(&self, text: &str) -> String {
        self.wrap("31", text)
    }

    fn yellow(&self, text: &str) -> String {
        self.wrap("33", text)
    }

    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }

    fn tone(&self, tone: Tone, text: &str) -> String {
        match tone {
            Tone::Good => self.green(text),
            Tone::Bad => self.red(text),
            Tone::Neutral => text.to_owned(),
        }
    }
}

fn quote_text(text: &str) -> String {
    format!("\"{}\"", for_terminal(text))
}

fn quote_id(id: &str) -> String {
    format!("`{}`", for_terminal(id))
}

pub(crate) const QUOTING: Quoting<'static> = Quoting {
    text: &quote_text,
    id: &quote_id,
};

pub(super) fn render(diff: &PlanDiff, header: &Header, color: bool) -> String {
    let paint = Paint { on: color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "diff {} {}",
            for_terminal(&header.old),
            for_terminal(&header.new)
        ))
    );
    if let Some(index) = &header.index {
        let _ = writeln!(
            out,
            "{}",
            paint.dim(&format!("index {}", for_terminal(index)))
        );
    }
    for sentence in &diff.story {
        let text = sentence.render(&QUOTING);
        for (number, line) in wrap(&text, WIDTH - 2).into_iter().enumerate() {
            if number == 0 {
                let _ = writeln!(out, "{} {}", paint.tone(sentence.tone, "*"), line);
            } else {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    if diff.comparable {
        schedule(&mut out, diff, &paint);
        for (_, plural, entities) in diff.entity_sections() {
            entity_section(&mut out, &paint, &capitalised(plural), entities);
        }
        effort(&mut out, diff, &paint);
        fields_section(&mut out, &paint, "Project", &diff.project);
        numbers(&mut out, diff, &paint);
    }
    problems(&mut out, diff, &paint);
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn heading(out: &mut String, paint: &Paint, title: &str) {
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", paint.bold(title));
}

fn path_text(ids: &[String]) -> String {
    if ids.is_empty() {
        return "none".to_owned();
    }
    let shown: Vec<String> = ids.iter().take(PATH_IDS).map(|id| quote_id(id)).collect();
    let mut text = shown.join(" → ");
    if ids.len() > PATH_IDS {
        let _ = write!(text, " → … ({} tasks)", ids.len());
    }
    text
}

fn slip_text(slip: Option<i64>) -> String {
    super::super::status::variance_text(slip)
        .replace("late", "behind")
        .replace("early", "ahead")
}

fn schedule(out: &mut String, diff: &PlanDiff, paint: &Paint) {
    let (old, new) = (&diff.old, &diff.new);
    if old.finish.is_none() && new.finish.is_none() {
        return;
    }
    let date = |date: Option<chrono::NaiveDate>, state: SideState| match (date, state) {
        (Some(date), _) => date.to_string(),
        (None, SideState::Absent) => "none".to_owned(),
        (None, _) => "cannot be scheduled".to_owned(),
    };
    let mut lines = Vec::new();
    let mut finish = format!(
        "{} → {}",
        date(old.finish, old.state),
        date(new.finish, new.state)
    );
    if let Some(change) = &diff.schedule.finish
        && change.working_days != 0
    {
        let days = format!(" ({} working days)", signed_days(change.working_days));
        finish.push_str(&if change.working_days > 0 {
            paint.red(&days)
        } else {
            paint.green(&days)
        });
    }
    if old.finish == new.finish && old.state != SideState::Absent && new.state != SideState::Absent
    {
        finish = format!("{} (unchanged)", date(new.finish, new.state));
    }
    lines.push(("finish", finish));
    if old.slip.is_some() || new.slip.is_some() {
        let text = if old.slip == new.slip {
            slip_text(new.slip)
        } else {
            format!("{} → {}", slip_text(old.slip), slip_text(new.slip))
        };
        lines.push(("baseline", text));
    }
    if old.critical_path == new.critical_path {
        lines.push((
            "critical path",
            format!("{} (unchanged)", path_text(&new.critical_path)),
        ));
    } else {
        lines.push((
            "critical path",
            format!("before {}", path_text(&old.critical_path)),
        ));
        lines.push(("", format!("after  {}", path_text(&new.critical_path))));
    }
    heading(out, paint, "Schedule");
    for (label, text) in lines {
        let _ = writeln!(out, "  {}{text}", pad(label, 15));
    }
    let moved = listed_moves(diff);
    if moved.is_empty() {
        return;
    }
    let total = diff.schedule.moved.len();
    let _ = writeln!(
        out,
        "  {}{}",
        pad("dates moved", 15),
        if total == 1 {
            "1 task".to_owned()
        } else {
            format!("{total} tasks")
        }
    );
    let ids: Vec<String> = moved.iter().map(|entry| quote_id(&entry.id)).collect();
    let id_width = ids
        .iter()
        .map(|id| display_width(id))
        .max()
        .unwrap_or(0)
        .min(24);
    for (entry, id) in moved.iter().zip(ids) {
        let span = |start: chrono::NaiveDate, finish: chrono::NaiveDate| {
            if start == finish {
                start.to_string()
            } else {
                format!("{start}..{finish}")
            }
        };
        let mut line = format!(
            "    {} {} → {}",
            pad(&id, id_width),
            span(entry.old_start, entry.old_finish),
            span(entry.new_start, entry.new_finish)
        );
        let moves = if entry.start_days == entry.finish_days {
            format!(" ({})", signed_days(entry.finish_days))
        } else if entry.start_days == 0 {
            format!(" (finish {})", signed_days(entry.finish_days))
        } else if entry.finish_days == 0 {
            format!(" (start {})", signed_days(entry.start_days))
        } else {
            format!(
                " (start {}, finish {})",
                signed_days(entry.start_days),
                signed_days(entry.finish_days)
            )
        };
        line.push_str(&if entry.finish_days > 0 {
            paint.red(&moves)
        } else {
            paint.green(&moves)
        });
        match (entry.old_critical, entry.new_critical) {
            (false, true) => line.push_str(", now critical"),
            (true, false) => line.push_str(", no longer critical"),
            _ => {}
        }
        if entry.edited {
            line.push_str(", edited");
        }
        let _ = writeln!(out, "{line}");
    }
    if total > moved.len() {
        let _ = writeln!(
            out,
            "    … and {} more (the largest moves are listed; --json lists all)",
            total - moved.len()
        );
    }
}

fn field_lines(out: &mut String, fields: &[FieldChange]) {
    let width = fields
        .iter()
        .map(|f| display_width(&f.field))
        .max()
        .unwrap_or(0);
    for field in fields {
        let _ = writeln!(
            out,
            "      {}  {}",
            pad(&field.field, width),
            describe_change(&field.old, &field.new, &QUOTING)
        );
    }
}

fn entity_section(out: &mut String, paint: &Paint, title: &str, entities: &EntityDiff) {
    if entities.is_empty() {
        return;
    }
    heading(out, paint, title);
    for added in &entities.added {
        let _ = writeln!(
            out,
            "  {} {}",
            paint.green("+"),
            summary_line(added, &QUOTING)
        );
    }
    for removed in &entities.removed {
        let _ = writeln!(
            out,
            "  {} {}",
            paint.red("-"),
            summary_line(removed, &QUOTING)
        );
    }
    for change in &entities.changed {
        let _ = writeln!(
            out,
            "  {} {}",
            paint.yellow("~"),
            change_heading(change, &QUOTING)
        );
        field_lines(out, &change.fields);
    }
}

fn fields_section(out: &mut String, paint: &Paint, title: &str, fields: &[FieldChange]) {
    if fields.is_empty() {
        return;
    }
    heading(out, paint, title);
    let width = fields
        .iter()
        .map(|f| display_width(&f.field))
        .max()
        .unwrap_or(0);
    for field in fields {
        let _ = writeln!(
            out,
            "  {} {}  {}",
            paint.yellow("~"),
            pad(&field.field, width),
            describe_change(&field.old, &field.new, &QUOTING)
        );
    }
}

fn effort(out: &mut String, diff: &PlanDiff, paint: &Paint) {
    if diff.log.is_empty() {
        return;
    }
    heading(out, paint, "Effort");
    let line = |entry: &crate::diff::LogSummary| {
        let mut line = format!("{} {}", entry.date, quote_id(&entry.task));
        if let Some(person) = &entry.person {
            let _ = write!(line, " by {}", quote_id(person));
        }
        let _ = write!(line, ": {} h", number_text(entry.hours));
        if let Some(note) = &entry.note {
            let _ = write!(line, " {}", quote_text(note));
        }
        line
    };
    for entry in &diff.log.added {
        let _ = writeln!(out, "  {} {}", paint.green("+"), line(entry));
    }
    for entry in &diff.log.removed {
        let _ = writeln!(out, "  {} {}", paint.red("-"), line(entry));
    }
    for (old, new) in &diff.log.changed {
        let mut text = format!("{} {}", new.date, quote_id(&new.task));
        if let Some(person) = &new.person {
            let _ = write!(text, " by {}", quote_id(person));
        }
        let _ = writeln!(out, "  {} {text}", paint.yellow("~"));
        log_fields(out, old, new, &QUOTING);
    }
}

/// The fields of a log entry that changed, one per line.
pub(crate) fn log_fields(
    out: &mut String,
    old: &crate::diff::LogSummary,
    new: &crate::diff::LogSummary,
    quoting: &Quoting<'_>,
) {
    use crate::diff::Value;
    if old.hours.to_bits() != new.hours.to_bits() {
        let _ = writeln!(
            out,
            "      hours  {}",
            describe_change(
                &Value::Number(old.hours),
                &Value::Number(new.hours),
                quoting
            )
        );
    }
    if old.note != new.note {
        let _ = writeln!(
            out,
            "      note   {}",
            describe_change(
                &Value::opt_text(old.note.as_deref()),
                &Value::opt_text(new.note.as_deref()),
                quoting
            )
        );
    }
}

fn numbers(out: &mut String, diff: &PlanDiff, paint: &Paint) {
    if diff.metrics.is_empty() {
        return;
    }
    let dates = match (&diff.old.metrics, &diff.new.metrics) {
        (Some(old), Some(new)) if old.status_date == new.status_date => {
            format!(" (at {})", new.status_date)
        }
        (Some(old), Some(new)) => format!(" (at {} and {})", old.status_date, new.status_date),
        _ => String::new(),
    };
    heading(out, paint, &format!("Numbers{dates}"));
    let rows: Vec<[String; 4]> = diff
        .metrics
        .iter()
        .map(|change| {
            [
                change.metric.label().to_owned(),
                crate::diff::metric_text(change.metric, change.old),
                crate::diff::metric_text(change.metric, change.new),
                change
                    .delta()
                    .map(|delta| crate::diff::delta_text(change.metric, delta))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..4)
        .map(|column| {
            rows.iter()
                .map(|row| display_width(&row[column]))
                .max()
                .unwrap_or(0)
                .max(["", "before", "after", "change"][column].len())
        })
        .collect();
    let _ = writeln!(
        out,
        "  {}  {:>w1$}  {:>w2$}  {:>w3$}",
        pad("", widths[0]),
        "before",
        "after",
        "change",
        w1 = widths[1],
        w2 = widths[2],
        w3 = widths[3]
    );
    for (row, change) in rows.iter().zip(&diff.metrics) {
        let worse = match (change.metric, change.delta()) {
            (Metric::Eac | Metric::Ac | Metric::OpenBlockers | Metric::OpenRisks, Some(d)) => {
                d > 0.0
            }
            (Metric::PercentComplete | Metric::Spi | Metric::Cpi | Metric::Ev, Some(d)) => d < 0.0,
            _ => false,
        };
        let delta = format!("{:>w$}", row[3], w = widths[3]);
        let _ = writeln!(
            out,
            "  {}  {:>w1$}  {:>w2$}  {}",
            pad(&row[0], widths[0]),
            row[1],
            row[2],
            if worse {
                paint.red(&delta)
            } else {
                delta.clone()
            },
            w1 = widths[1],
            w2 = widths[2],
        );
    }
}

fn problems(out: &mut String, diff: &PlanDiff, paint: &Paint) {
    let line = |label: &str, diagnostic: &Diagnostic| {
        format!(
            "{}:{}:{}: {}: {}",
            for_terminal(label),
            diagnostic.pos.line.max(1),
            diagnostic.pos.col.max(1),
            diagnostic.severity.as_str(),
            for_terminal(&diagnostic.message)
        )
    };
    let mut lines = Vec::new();
    if !diff.comparable {
        for side in [&diff.old, &diff.new] {
            for diagnostic in &side.diagnostics {
                lines.push((diagnostic.is_error(), line(&side.label, diagnostic)));
            }
        }
    } else {
        for diagnostic in &diff.problems.introduced {
            lines.push((
                diagnostic.is_error(),
                format!("{} (new)", line(&diff.new.label, diagnostic)),
            ));
        }
        for diagnostic in &diff.problems.fixed {
            lines.push((
                false,
                format!("{} (fixed)", line(&diff.old.label, diagnostic)),
            ));
        }
        // Problems the new version still has from before.
        let kept = diff
            .new
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && !diff.problems.introduced.contains(d))
            .count();
        if kept > 0 {
            lines.push((
                true,
                format!(
                    "{} more error{} in {} as before (gantry check lists them)",
                    kept,
                    if kept == 1 { "" } else { "s" },
                    for_terminal(&diff.new.label)
                ),
            ));
        }
    }
    if lines.is_empty() {
        return;
    }
    heading(out, paint, "Problems");
    for (is_error, text) in lines {
        let _ = writeln!(out, "  {}", if is_error { paint.red(&text) } else { text });
    }
}
