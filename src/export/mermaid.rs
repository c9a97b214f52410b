//! The schedule as a Mermaid `gantt` chart, which GitHub and GitLab draw
//! from a ```` ```mermaid ```` block.
//!
//! One section per phase (tasks without a phase come last), each task with
//! its computed start and finish (Mermaid's end date is exclusive, so the
//! day after the finish), tagged `crit` on the critical path, `done` when
//! finished, `active` while in progress, and `milestone` for milestones.
//!
//! Names cannot be quoted in Mermaid, so every character it reads as
//! syntax is swapped for a look-alike that it does not: `:` for `∶`, `#`
//! for `＃`, `;` for `；`, `%` for `％`, `&` for `＆`, `<` and `>` for `‹`
//! and `›`; line breaks and tabs become spaces, control characters and
//! bidirectional overrides U+FFFD. A name that would begin with one of
//! Mermaid's keywords or a date is put in quotes (“…”).

use std::fmt::Write as _;

use chrono::{Days, NaiveDate};

use crate::metrics::is_finished;
use crate::model::{Plan, TaskStatus};
use crate::schedule::Schedule;

use super::is_hostile;

/// Words that start a statement in a Mermaid gantt chart (compared in
/// lower case, as Mermaid does).
const KEYWORDS: &[&str] = &[
    "gantt",
    "title",
    "section",
    "dateformat",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "inclusiveenddates",
    "topaxis",
    "weekday",
    "weekend",
    "acctitle",
    "accdescr",
    "click",
    "href",
    "call",
    "displaymode",
];

/// Plan text as a Mermaid name: on one line, with no character Mermaid
/// would read as syntax.
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(match c {
            ':' => '\u{2236}',
            '#' => '\u{FF03}',
            ';' => '\u{FF1B}',
            '%' => '\u{FF05}',
            '&' => '\u{FF06}',
            '<' => '\u{2039}',
            '>' => '\u{203A}',
            '\t' | '\n' | '\r' => ' ',
            c if is_hostile(c) => '\u{FFFD}',
            c => c,
        });
    }
    let trimmed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = trimmed.to_lowercase();
    let starts_with_keyword = KEYWORDS.iter().any(|keyword| lower.starts_with(keyword));
    let starts_with_date = trimmed.len() >= 10
        && trimmed.as_bytes()[..10]
            .iter()
            .enumerate()
            .all(|(at, b)| match at {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
    if starts_with_keyword || starts_with_date {
        format!("\u{201C}{trimmed}\u{201D}")
    } else {
        trimmed
    }
}

fn day_after(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1)).unwrap_or(date)
}

/// The chart; with `markdown`, inside a ```` ```mermaid ```` fence.
pub fn to_mermaid(plan: &Plan, schedule: &Schedule, markdown: bool) -> String {
    let mut out = String::with_capacity(128 + plan.tasks.len() * 72);
    if markdown {
        out.push_str("```mermaid\n");
    }
    out.push_str("gantt\n");
    let title = neutralise(&plan.project.name);
    if !title.is_empty() {
        let _ = writeln!(out, "    title {title}");
    }
    out.push_str("    dateFormat YYYY-MM-DD\n");
    out.push_str("    axisFormat %Y-%m-%d\n");

    let mut by_phase: Vec<Vec<usize>> = vec![Vec::new(); plan.phases.len()];
    let mut loose = Vec::new();
    for (index, task) in plan.tasks.iter().enumerate() {
        match task
            .phase
            .as_ref()
            .and_then(|phase| phase.index)
            .and_then(|phase| by_phase.get_mut(phase))
        {
            Some(members) => members.push(index),
            None => loose.push(index),
        }
    }
    let sections = plan
        .phases
        .iter()
        .map(|phase| neutralise(&phase.name))
        .zip(by_phase)
        .chain(std::iter::once(("Without a phase".to_owned(), loose)));
    for (name, members) in sections {
        if members.is_empty() {
            continue;
        }
        let name = if name.is_empty() {
            "Unnamed phase".to_owned()
        } else {
            name
        };
        let _ = writeln!(out, "    section {name}");
        for index in members {
            let task = &plan.tasks[index];
            let dates = &schedule.tasks[index];
            let mut name = neutralise(&task.name);
            if name.is_empty() {
                name = neutralise(&task.id.value);
            }
            let mut tags = Vec::with_capacity(3);
            if dates.critical {
                tags.push("crit");
            }
            if is_finished(task) {
                tags.push("done");
            } else if task.status == TaskStatus::Doing || task.progress > 0 {
                tags.push("active");
            }
            if dates.milestone {
                tags.push("milestone");
            }
            let mut line = format!("    {name} :");
            for tag in tags {
                let _ = write!(line, "{tag}, ");
            }
            if dates.milestone {
                let _ = write!(line, "{}, 0d", dates.start);
            } else {
                let _ = write!(line, "{}, {}", dates.start, day_after(dates.finish));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    if markdown {
        out.push_str("```\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_characters_are_swapped_for_look_alikes() {
        assert_eq!(
            neutralise("a: b # c; d"),
            "a\u{2236} b \u{FF03} c\u{FF1B} d"
        );
        assert_eq!(neutralise("x\ny\tz"), "x y z");
        assert_eq!(
            neutralise("%%{init}%%"),
            "\u{FF05}\u{FF05}{init}\u{FF05}\u{FF05}"
        );
        assert_eq!(
            neutralise("<b>&amp;"),
            "\u{2039}b\u{203A}\u{FF06}amp\u{FF1B}"
        );
        assert_eq!(neutralise("\u{1b}[2J\u{202E}"), "\u{FFFD}[2J\u{FFFD}");
    }

    #[test]
    fn a_name_that_mermaid_would_read_as_a_statement_is_quoted() {
        assert_eq!(
            neutralise("Section review"),
            "\u{201C}Section review\u{201D}"
        );
        assert_eq!(neutralise("gantt chart"), "\u{201C}gantt chart\u{201D}");
        assert_eq!(neutralise("2027-01-04 go"), "\u{201C}2027-01-04 go\u{201D}");
        assert_eq!(neutralise("Review the sections"), "Review the sections");
    }
}
