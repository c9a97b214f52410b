//! `gantry report FILE [--week DATE] [-o FILE]`: the weekly status update
//! in Markdown, for the people who do not open a terminal.
//!
//! Every piece of text from the plan is escaped, so a task named `*x*` or
//! `<script>` reads as written and cannot turn into markup.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};

use crate::cli::ReportArgs;
use crate::metrics::{self, CheckinDraft, Metrics, format_money, week_as_of, week_monday};
use crate::model::{Plan, RiskStatus, is_valid_id};
use crate::schedule::Schedule;
use crate::store::write_atomically;

use super::status::{finish_output, index_text, money_text, open_scheduled, status_date};
use super::{EXIT_OK, EXIT_USAGE};

/// How many open risks the report lists.
const TOP_RISKS: usize = 5;
/// How far ahead the report looks for milestones, in days.
const MILESTONE_DAYS: i64 = 30;

pub fn run(args: &ReportArgs) -> anyhow::Result<u8> {
    let (file, schedule) = match open_scheduled(&args.file)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let plan = &file.plan;
    let status_date = status_date(plan, None);
    let week = week_monday(args.week.unwrap_or(status_date));
    let as_of = week_as_of(week, status_date);
    let metrics = metrics::compute(plan, &schedule, as_of);
    let draft = metrics::checkin_draft(plan, &schedule, week);
    let report = render(plan, &schedule, &metrics, &draft, week);
    match &args.output {
        Some(path) if is_same_file(path, &args.file) => {
            eprintln!(
                "gantry: {} is the plan itself; write the report to another file",
                path.display()
            );
            Ok(EXIT_USAGE)
        }
        Some(path) => match write_atomically(path, report.as_bytes()) {
            Ok(()) => {
                println!(
                    "wrote the report for the week of {week} to {}",
                    path.display()
                );
                Ok(EXIT_OK)
            }
            Err(error) => {
                eprintln!("gantry: cannot write {}: {error}", path.display());
                Ok(EXIT_USAGE)
            }
        },
        None => {
            let mut out = io::stdout().lock();
            finish_output(out.write_all(report.as_bytes()).and_then(|()| out.flush()))
        }
    }
}

/// Whether two paths name the same existing file (through links too).
fn is_same_file(first: &Path, second: &Path) -> bool {
    match (std::fs::canonicalize(first), std::fs::canonicalize(second)) {
        (Ok(first), Ok(second)) => first == second,
        _ => false,
    }
}

/// Plan text made inert for Markdown: on one line, with every character
/// that could start markup (emphasis, links, HTML, headings, tables, code,
/// entities, math) escaped, and control characters dropped.
pub(super) fn escape_markdown(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut escaped = String::with_capacity(one_line.len() + 8);
    // A leading `-`, `+`, `=` or `1.` would start a list or an underline.
    let digits = one_line.chars().take_while(char::is_ascii_digit).count();
    for (position, c) in one_line.chars().enumerate() {
        if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            continue;
        }
        let at_start = position == 0 && matches!(c, '-' | '+' | '=');
        let after_number = position == digits && digits > 0 && matches!(c, '.' | ')');
        if at_start
            || after_number
            || matches!(
                c,
                '\\' | '`'
                    | '*'
                    | '_'
                    | '{'
                    | '}'
                    | '['
                    | ']'
                    | '<'
                    | '>'
                    | '#'
                    | '|'
                    | '~'
                    | '&'
                    | '$'
            )
        {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// An id as inline code; ids are letters, digits, `-`, `_` and `.`, but an
/// id that is not gets escaped instead.
fn code(id: &str) -> String {
    if is_valid_id(id) {
        format!("`{id}`")
    } else {
        escape_markdown(id)
    }
}

fn task_item(plan: &Plan, index: usize) -> String {
    match plan.tasks.get(index) {
        Some(task) => format!("{} ({})", escape_markdown(&task.name), code(&task.id.value)),
        None => String::new(),
    }
}

fn list(out: &mut String, items: &[String]) {
    if items.is_empty() {
        out.push_str("- None\n");
    }
    for item in items {
        let _ = writeln!(out, "- {item}");
    }
}

fn plural(count: i64, one: &str) -> String {
    if count.abs() == 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {one}s")
    }
}

fn finish_against_baseline(variance_days: Option<i64>) -> String {
    match variance_days {
        None => "no baseline recorded".to_string(),
        Some(0) => "the finish is on the baseline date".to_string(),
        Some(days) if days > 0 => format!(
            "the finish is {} later than the baseline",
            plural(days, "working day")
        ),
        Some(days) => format!(
            "the finish is {} earlier than the baseline",
            plural(-days, "working day")
        ),
    }
}

/// The whole report.
pub(super) fn render(
    plan: &Plan,
    schedule: &Schedule,
    metrics: &Metrics,
    draft: &CheckinDraft,
    week: NaiveDate,
) -> String {
    let sunday = week.checked_add_days(Days::new(6)).unwrap_or(week);
    let as_of = metrics.status_date;
    let iso = week.iso_week();
    let currency = plan
        .project
        .currency
        .as_deref()
        .map(|currency| format!(" {}", escape_markdown(currency)))
        .unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Status update: {}, week of {week}",
        escape_markdown(&plan.project.name)
    );
    out.push('\n');
    let _ = writeln!(
        out,
        "Week {}-W{:02} ({week} to {sunday}); figures as of {as_of}.",
        iso.year(),
        iso.week()
    );

    out.push_str("\n## Headline\n\n");
    let forecast = match metrics.forecast_finish {
        Some(date) => format!("{date} (planned {})", metrics.planned_finish),
        None => format!("not yet known (planned {})", metrics.planned_finish),
    };
    let blockers = match metrics.open_blockers {
        0 => "none".to_string(),
        count => count.to_string(),
    };
    let headline = [
        ("Complete", format!("{:.1}%", metrics.percent_complete)),
        (
            "Schedule",
            format!(
                "SPI {}; {}",
                index_text(metrics.spi),
                finish_against_baseline(metrics.variance_days)
            ),
        ),
        ("Forecast finish", forecast),
        (
            "Cost",
            format!(
                "CPI {}; {} spent of {}{currency} budgeted",
                index_text(metrics.cpi),
                format_money(metrics.ac),
                format_money(metrics.bac)
            ),
        ),
        (
            "Forecast cost",
            format!(
                "EAC {}, variance at completion {}",
                money_text(metrics.eac),
                money_text(metrics.vac)
            ),
        ),
        (
            "Burn rate",
            format!(
                "{} a week (planned {})",
                money_text(metrics.burn_rate),
                money_text(metrics.planned_burn_rate)
            ),
        ),
        ("Open blockers", blockers),
    ];
    for (label, value) in headline {
        let _ = writeln!(out, "- **{label}:** {value}");
    }

    out.push_str("\n## Milestones\n\n");
    let reached: Vec<String> = metrics::upcoming_milestones(plan, schedule, week, 6)
        .into_iter()
        .filter(|&index| schedule.tasks[index].finish <= as_of)
        .map(|index| {
            format!(
                "{}: {}",
                schedule.tasks[index].finish,
                task_item(plan, index)
            )
        })
        .collect();
    let ahead_from = as_of.checked_add_days(Days::new(1)).unwrap_or(as_of);
    let ahead: Vec<String> =
        metrics::upcoming_milestones(plan, schedule, ahead_from, MILESTONE_DAYS - 1)
            .into_iter()
            .map(|index| {
                let date = schedule.tasks[index].finish;
                let days = date.signed_duration_since(as_of).num_days();
                format!(
                    "{date}: {}, in {}",
                    task_item(plan, index),
                    plural(days, "day")
                )
            })
            .collect();
    out.push_str("Reached this week:\n\n");
    list(&mut out, &reached);
    let _ = writeln!(out, "\nDue in the next {MILESTONE_DAYS} days:\n");
    list(&mut out, &ahead);

    let done: Vec<String> = draft
        .done
        .iter()
        .map(|&index| task_item(plan, index))
        .collect();
    let next: Vec<String> = draft
        .next
        .iter()
        .map(|&index| {
            let dates = &schedule.tasks[index];
            if dates.start == dates.finish {
                format!("{}, on {}", task_item(plan, index), dates.start)
            } else {
                format!(
                    "{}, {} to {}",
                    task_item(plan, index),
                    dates.start,
                    dates.finish
                )
            }
        })
        .collect();
    let blocked: Vec<String> = draft
        .blocked
        .iter()
        .filter_map(|&index| plan.tasks.get(index).map(|task| (index, task)))
        .map(|(index, task)| {
            let mut item = task_item(plan, index);
            if let Some(blocker) = task.blocker.as_deref().filter(|b| !b.trim().is_empty()) {
                let _ = write!(item, ": {}", escape_markdown(blocker));
            }
            if let Some(since) = task.blocked_since {
                let _ = write!(item, " (since {since})");
            }
            item
        })
        .collect();
    out.push_str("\n## Done this week\n\n");
    list(&mut out, &done);
    out.push_str("\n## Next week\n\n");
    list(&mut out, &next);
    out.push_str("\n## Blocked\n\n");
    list(&mut out, &blocked);

    out.push_str("\n## Top risks\n\n");
    let mut open: Vec<usize> = (0..plan.risks.len())
        .filter(|&index| plan.risks[index].status == RiskStatus::Open)
        .collect();
    open.sort_by_key(|&index| (std::cmp::Reverse(plan.risks[index].score()), index));
    if open.is_empty() {
        out.push_str("No open risks.\n");
    } else {
        out.push_str("| Risk | Score | Owner | Trigger | Mitigation |\n");
        out.push_str("|---|---|---|---|---|\n");
        for &index in open.iter().take(TOP_RISKS) {
            let risk = &plan.risks[index];
            let owner = risk
                .owner
                .as_ref()
                .and_then(|owner| owner.index.and_then(|person| plan.people.get(person)))
                .map(|person| escape_markdown(&person.name))
                .unwrap_or_default();
            let trigger = match risk.trigger {
                Some(trigger) if trigger <= as_of => format!("{trigger} (passed)"),
                Some(trigger) => trigger.to_string(),
                None => String::new(),
            };
            let tier = if risk.tier == crate::model::RiskTier::Urgent {
                ", urgent"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "| {} {} | {} ({}x{}{tier}) | {owner} | {trigger} | {} |",
                code(&risk.id.value),
                escape_markdown(&risk.title),
                risk.score(),
                risk.likelihood,
                risk.impact,
                risk.mitigation
                    .as_deref()
                    .map(escape_markdown)
                    .unwrap_or_default()
            );
        }
        if open.len() > TOP_RISKS {
            let _ = writeln!(
                out,
                "\n{} more open risks with lower scores.",
                open.len() - TOP_RISKS
            );
        }
    }

    out.push_str("\n## Changes decided this week\n\n");
    let decided: Vec<String> = plan
        .changes
        .iter()
        .filter(|change| {
            change
                .decided
                .is_some_and(|date| week <= date && date <= sunday)
        })
        .map(|change| {
            let mut item = format!(
                "{} {}: {}",
                code(&change.id.value),
                escape_markdown(&change.title),
                change.status.as_str()
            );
            if let Some(by) = change.decided_by.as_deref() {
                let _ = write!(item, " by {}", escape_markdown(by));
            }
            if let Some(date) = change.decided {
                let _ = write!(item, " on {date}");
            }
            let mut impact = Vec::new();
            if let Some(cost) = change.cost {
                let sign = if cost > 0.0 { "+" } else { "" };
                impact.push(format!("cost {sign}{}{currency}", format_money(cost)));
            }
            if let Some(days) = change.days {
                let sign = if days > 0 { "+" } else { "" };
                impact.push(format!("{sign}{}", plural(days, "working day")));
            }
            if !impact.is_empty() {
                let _ = write!(item, " ({})", impact.join(", "));
            }
            item
        })
        .collect();
    list(&mut out, &decided);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_plan_text_is_escaped() {
        assert_eq!(escape_markdown("*x*"), "\\*x\\*");
        assert_eq!(
            escape_markdown("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(escape_markdown("a | b"), "a \\| b");
        assert_eq!(escape_markdown("[link](http://x)"), "\\[link\\](http://x)");
        assert_eq!(escape_markdown("# not a heading"), "\\# not a heading");
        assert_eq!(escape_markdown("- item"), "\\- item");
        assert_eq!(escape_markdown("1. item"), "1\\. item");
        assert_eq!(
            escape_markdown("3-D Secure, e.g. 1.5"),
            "3-D Secure, e.g. 1.5"
        );
        assert_eq!(escape_markdown("two\nlines\u{1b}[2J"), "two lines\\[2J");
        assert_eq!(
            escape_markdown("a_b `c` \\ &amp;"),
            "a\\_b \\`c\\` \\\\ \\&amp;"
        );
    }

    #[test]
    fn ids_are_code_unless_they_could_break_out() {
        assert_eq!(code("qa_env"), "`qa_env`");
        assert_eq!(code("a`b"), "a\\`b");
    }
}
