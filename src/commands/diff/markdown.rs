//! The diff as Markdown for a pull-request comment: the story as a list,
//! the details folded below it. Every piece of plan text is escaped.

use std::fmt::Write as _;

use crate::diff::{
    EntityDiff, FieldChange, PlanDiff, Quoting, Tone, delta_text, describe_change, metric_text,
    number_text,
};

use super::{Header, change_heading, listed_moves, signed_days, summary_line};
use crate::model::is_valid_id;
use crate::report::markdown::escape_markdown;

/// How many critical-path ids a cell shows.
const PATH_IDS: usize = 12;

/// An id as inline code, or escaped when it is not a valid id (and so
/// could hold a backtick).
fn code(id: &str) -> String {
    if is_valid_id(id) {
        format!("`{id}`")
    } else {
        escape_markdown(id)
    }
}

fn quote_text(text: &str) -> String {
    format!("\"{}\"", escape_markdown(text))
}

fn quote_id(id: &str) -> String {
    code(id)
}

const QUOTING: Quoting<'static> = Quoting {
    text: &quote_text,
    id: &quote_id,
};

pub(super) fn render(diff: &PlanDiff, header: &Header) -> String {
    let mut out = String::new();
    let title = if header.old.trim_start_matches("a/") == header.new.trim_start_matches("b/") {
        escape_markdown(header.new.trim_start_matches("b/"))
    } else {
        format!(
            "{} → {}",
            escape_markdown(&header.old),
            escape_markdown(&header.new)
        )
    };
    let _ = writeln!(out, "### Plan changes: {title}");
    let _ = writeln!(out);
    for sentence in &diff.story {
        let text = sentence.render(&QUOTING);
        let marker = match sentence.tone {
            Tone::Bad => "🔴 ",
            Tone::Good => "🟢 ",
            Tone::Neutral => "",
        };
        let _ = writeln!(out, "- {marker}{text}");
    }
    let mut details = String::new();
    if diff.comparable {
        schedule(&mut details, diff);
        for (_, plural, entities) in diff.entity_sections() {
            entity_section(&mut details, plural, entities);
        }
        effort(&mut details, diff);
        if !diff.project.is_empty() {
            let _ = writeln!(details, "\n#### Project\n");
            field_list(&mut details, &diff.project, "");
        }
        numbers(&mut details, diff);
    }
    problems(&mut details, diff);
    if !details.is_empty() {
        let _ = writeln!(
            out,
            "\n<details><summary>Details</summary>\n{details}\n</details>"
        );
    }
    out
}

fn path_text(ids: &[String]) -> String {
    if ids.is_empty() {
        return "none".to_owned();
    }
    let shown: Vec<String> = ids.iter().take(PATH_IDS).map(|id| code(id)).collect();
    let mut text = shown.join(" → ");
    if ids.len() > PATH_IDS {
        let _ = write!(text, " → … ({} tasks)", ids.len());
    }
    text
}

fn schedule(out: &mut String, diff: &PlanDiff) {
    let (old, new) = (&diff.old, &diff.new);
    if old.finish.is_none() && new.finish.is_none() {
        return;
    }
    let date = |date: Option<chrono::NaiveDate>| date.map_or("—".to_owned(), |d| d.to_string());
    let _ = writeln!(out, "\n#### Schedule\n");
    let _ = writeln!(out, "| | before | after |");
    let _ = writeln!(out, "|---|---|---|");
    let mut finish = date(new.finish);
    if let Some(change) = &diff.schedule.finish
        && change.working_days != 0
    {
        let _ = write!(
            finish,
            " ({} working days)",
            signed_days(change.working_days)
        );
    }
    let _ = writeln!(out, "| finish | {} | {finish} |", date(old.finish));
    if old.slip.is_some() || new.slip.is_some() {
        let slip = |slip: Option<i64>| {
            slip.map_or("no baseline".to_owned(), |s| {
                format!("{} working days", signed_days(s))
            })
        };
        let _ = writeln!(
            out,
            "| slip against the baseline | {} | {} |",
            slip(old.slip),
            slip(new.slip)
        );
    }
    let _ = writeln!(
        out,
        "| critical path | {} | {} |",
        path_text(&old.critical_path),
        path_text(&new.critical_path)
    );
    let moved = listed_moves(diff);
    if moved.is_empty() {
        return;
    }
    let total = diff.schedule.moved.len();
    let _ = writeln!(out, "\n**Dates moved** ({total})\n");
    let _ = writeln!(out, "| task | before | after | moved | |");
    let _ = writeln!(out, "|---|---|---|---:|---|");
    for entry in &moved {
        let span = |start: chrono::NaiveDate, finish: chrono::NaiveDate| {
            if start == finish {
                start.to_string()
            } else {
                format!("{start} – {finish}")
            }
        };
        let mut notes = Vec::new();
        match (entry.old_critical, entry.new_critical) {
            (false, true) => notes.push("now critical"),
            (true, false) => notes.push("no longer critical"),
            _ => {}
        }
        if entry.edited {
            notes.push("edited");
        }
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} | {} |",
            code(&entry.id),
            escape_markdown(&entry.name),
            span(entry.old_start, entry.old_finish),
            span(entry.new_start, entry.new_finish),
            signed_days(entry.finish_days),
            notes.join(", ")
        );
    }
    if total > moved.len() {
        let _ = writeln!(
            out,
            "\n… and {} more; the largest moves are listed.",
            total - moved.len()
        );
    }
}

fn field_list(out: &mut String, fields: &[FieldChange], indent: &str) {
    for field in fields {
        let _ = writeln!(
            out,
            "{indent}- {}: {}",
            escape_markdown(&field.field),
            describe_change(&field.old, &field.new, &QUOTING)
        );
    }
}

fn entity_section(out: &mut String, title: &str, entities: &EntityDiff) {
    if entities.is_empty() {
        return;
    }
    let mut title = title.to_owned();
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let _ = writeln!(out, "\n#### {title}\n");
    for added in &entities.added {
        let _ = writeln!(out, "- **added** {}", summary_line(added, &QUOTING));
    }
    for removed in &entities.removed {
        let _ = writeln!(out, "- **removed** {}", summary_line(removed, &QUOTING));
    }
    for change in &entities.changed {
        let _ = writeln!(out, "- **changed** {}", change_heading(change, &QUOTING));
        field_list(out, &change.fields, "  ");
    }
}

fn effort(out: &mut String, diff: &PlanDiff) {
    if diff.log.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Effort\n");
    let line = |entry: &crate::diff::LogSummary| {
        let mut line = format!("{} {}", entry.date, code(&entry.task));
        if let Some(person) = &entry.person {
            let _ = write!(line, " by {}", code(person));
        }
        let _ = write!(line, ": {} h", number_text(entry.hours));
        if let Some(note) = &entry.note {
            let _ = write!(line, " {}", quote_text(note));
        }
        line
    };
    for entry in &diff.log.added {
        let _ = writeln!(out, "- **logged** {}", line(entry));
    }
    for entry in &diff.log.removed {
        let _ = writeln!(out, "- **removed** {}", line(entry));
    }
    for (old, new) in &diff.log.changed {
        let mut text = format!("{} {}", new.date, code(&new.task));
        if let Some(person) = &new.person {
            let _ = write!(text, " by {}", code(person));
        }
        let _ = writeln!(out, "- **changed** {text}");
        let mut fields = String::new();
        super::text::log_fields(&mut fields, old, new, &QUOTING);
        for field in fields.lines() {
            let (name, change) = field.trim().split_once(' ').unwrap_or((field.trim(), ""));
            let _ = writeln!(out, "  - {name}: {}", change.trim());
        }
    }
}

fn numbers(out: &mut String, diff: &PlanDiff) {
    if diff.metrics.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Numbers\n");
    let _ = writeln!(out, "| | before | after | change |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for change in &diff.metrics {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            change.metric.label(),
            metric_text(change.metric, change.old),
            metric_text(change.metric, change.new),
            change
                .delta()
                .map(|delta| delta_text(change.metric, delta))
                .unwrap_or_default()
        );
    }
}

fn problems(out: &mut String, diff: &PlanDiff) {
    let line = |label: &str, diagnostic: &crate::diagnostic::Diagnostic| {
        format!(
            "{}:{}:{}: {}: {}",
            escape_markdown(label),
            diagnostic.pos.line.max(1),
            diagnostic.pos.col.max(1),
            diagnostic.severity.as_str(),
            escape_markdown(&diagnostic.message)
        )
    };
    let mut lines = Vec::new();
    if !diff.comparable {
        for side in [&diff.old, &diff.new] {
            for diagnostic in &side.diagnostics {
                lines.push(line(&side.label, diagnostic));
            }
        }
    } else {
        for diagnostic in &diff.problems.introduced {
            lines.push(format!("{} (new)", line(&diff.new.label, diagnostic)));
        }
        for diagnostic in &diff.problems.fixed {
            lines.push(format!("{} (fixed)", line(&diff.old.label, diagnostic)));
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Problems\n");
    for text in lines {
        let _ = writeln!(out, "- {text}");
    }
}
