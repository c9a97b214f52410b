//! The report as Markdown, for an email or a wiki.
//!
//! Every piece of text from the plan is escaped, so a task named `*x*` or
//! `<script>` reads as written and cannot turn into markup.

use std::fmt::Write as _;

use super::{
    Headline, Health, Item, ItemList, Milestone, Report, change_status_word,
    finish_against_baseline, forecast_against_schedule, plural,
};
use crate::metrics::format_money;
use crate::model::is_valid_id;

/// Plan text made inert for Markdown: on one line, with every character
/// that could start markup (emphasis, links, HTML, headings, tables, code,
/// entities, math) escaped, and control characters dropped.
pub fn escape_markdown(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut escaped = String::with_capacity(one_line.len() + 8);
    // A leading `-`, `+`, `=` or `1.` would start a list or an underline.
    let digits = one_line.chars().take_while(char::is_ascii_digit).count();
    for (position, c) in one_line.chars().enumerate() {
        if crate::sanitize::is_unsafe(c) {
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

fn index_text(value: Option<f64>) -> String {
    value
        .map(|value| format!("{value:.2}"))
        .unwrap_or_else(|| "n/a".to_owned())
}

fn money(value: Option<f64>) -> String {
    value.map(format_money).unwrap_or_else(|| "n/a".to_owned())
}

/// The health word after a headline number, so it does not rely on colour.
fn health(health: Health) -> String {
    match health {
        Health::Unknown => String::new(),
        health => format!(" ({})", health.word()),
    }
}

fn item(item: &Item) -> String {
    let mut line = escape_markdown(&item.text);
    if let Some(id) = &item.task {
        let _ = write!(line, " ({})", code(id));
    }
    if let Some((start, finish)) = item.dates {
        if start == finish {
            let _ = write!(line, ", on {start}");
        } else {
            let _ = write!(line, ", {start} to {finish}");
        }
    }
    if let Some(blocker) = &item.blocker {
        let _ = write!(line, ": {}", escape_markdown(blocker));
    }
    if let Some(since) = item.blocked_since {
        let _ = write!(line, " (since {since})");
    }
    line
}

fn list(out: &mut String, items: &[String]) {
    if items.is_empty() {
        out.push_str("- None\n");
    }
    for item in items {
        let _ = writeln!(out, "- {item}");
    }
}

fn item_list(out: &mut String, list_of: &ItemList, recorded: bool) {
    let mut from_plan: Vec<String> = list_of.from_plan.iter().map(item).collect();
    if list_of.more > 0 {
        from_plan.push(format!(
            "and {} (`gantry checkin` lists them all)",
            plural(list_of.more as i64, "more task")
        ));
    }
    if !recorded {
        list(out, &from_plan);
        return;
    }
    let lines: Vec<String> = list_of.recorded.iter().map(item).collect();
    out.push_str("Recorded in the check-in:\n\n");
    list(out, &lines);
    if !from_plan.is_empty() {
        out.push_str("\nAlso from the plan:\n\n");
        list(out, &from_plan);
    }
}

fn milestone_line(milestone: &Milestone, ahead: bool) -> String {
    let mut line = format!(
        "{}: {} ({})",
        milestone.date,
        escape_markdown(&milestone.name),
        code(&milestone.id)
    );
    if ahead {
        let _ = write!(line, ", in {}", plural(milestone.days_away, "day"));
    } else if !milestone.finished {
        line.push_str(", not marked done");
    }
    line
}

/// The whole report as Markdown.
pub fn render(report: &Report) -> String {
    let h = &report.headline;
    let currency = report
        .currency
        .as_deref()
        .map(|currency| format!(" {}", escape_markdown(currency)))
        .unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Status update: {}, week of {}",
        escape_markdown(&report.project),
        report.week
    );
    out.push('\n');
    let _ = writeln!(
        out,
        "Week {}-W{:02} ({} to {}); figures as of {}.",
        report.iso_year, report.iso_week, report.week, report.sunday, report.as_of
    );
    if let Some(note) = &report.note {
        let _ = writeln!(out, "\n**Check-in note:** {}", escape_markdown(note));
    }

    out.push_str("\n## Headline\n\n");
    let budget = match (h.budget, h.eac, h.budget_margin) {
        (Some(budget), Some(eac), Some(margin)) if margin >= 0.0 => format!(
            "{}{currency}; forecast cost (EAC) {}, {} under budget",
            format_money(budget),
            format_money(eac),
            format_money(margin)
        ),
        (Some(budget), Some(eac), Some(margin)) => format!(
            "{}{currency}; forecast cost (EAC) {}, {} over budget",
            format_money(budget),
            format_money(eac),
            format_money(-margin)
        ),
        (Some(budget), _, _) => format!(
            "{}{currency}; forecast cost (EAC) not yet known",
            format_money(budget)
        ),
        (None, Some(eac), _) => format!(
            "not set (project.budget); forecast cost (EAC) {}{currency}",
            format_money(eac)
        ),
        (None, None, _) => "not set (project.budget); forecast cost (EAC) not yet known".to_owned(),
    };
    let blockers = match h.open_blockers {
        0 => "none".to_owned(),
        count => count.to_string(),
    };
    let headline = [
        ("Complete", format!("{:.1}%", h.percent_complete)),
        (
            "Scheduled finish",
            format!(
                "{}, {}{}",
                h.scheduled_finish,
                finish_against_baseline(h),
                health(h.variance_health)
            ),
        ),
        (
            "Forecast finish (earned schedule)",
            format!(
                "{}{}; SPI {}{}{}",
                forecast_against_schedule(h),
                Headline::mark(h.forecast_finish.is_some(), h.meaningful.spi_t),
                index_text(h.spi),
                Headline::mark(h.spi.is_some(), h.meaningful.spi),
                health(h.forecast_health)
            ),
        ),
        (
            "Budget",
            format!(
                "{budget}{}{}",
                Headline::mark(h.eac.is_some(), h.meaningful.cpi),
                health(h.budget_health)
            ),
        ),
        (
            "Spent",
            format!(
                "{}{currency} (AC) of a planned cost of {} (BAC); CPI {}{}, variance at completion against BAC {}",
                format_money(h.ac),
                format_money(h.bac),
                index_text(h.cpi),
                Headline::mark(h.cpi.is_some(), h.meaningful.cpi),
                money(h.vac)
            ),
        ),
        (
            "Burn rate",
            match (h.burn_rate, h.planned_burn_rate) {
                (None, None) => "not yet known: no working week has passed".to_owned(),
                (burn, planned) => format!(
                    "{} a week (planned {}){}",
                    money(burn),
                    money(planned),
                    health(h.burn_health)
                ),
            },
        ),
        (
            "Open blockers",
            format!("{blockers}{}", health(h.blocker_health)),
        ),
    ];
    for (label, value) in headline {
        let _ = writeln!(out, "- **{label}:** {value}");
    }
    if !h.caveats.is_empty() {
        out.push_str("\nWhy some figures are not meaningful:\n\n");
        for caveat in &h.caveats {
            let _ = writeln!(out, "- {}", escape_markdown(caveat));
        }
    }

    out.push_str("\n## Milestones\n\n");
    let reached: Vec<String> = report
        .reached
        .iter()
        .map(|m| milestone_line(m, false))
        .collect();
    let ahead: Vec<String> = report
        .ahead
        .iter()
        .map(|m| milestone_line(m, true))
        .collect();
    out.push_str("Reached this week:\n\n");
    list(&mut out, &reached);
    let _ = writeln!(out, "\nDue in the next {} days:\n", super::MILESTONE_DAYS);
    list(&mut out, &ahead);

    out.push_str("\n## Done this week\n\n");
    item_list(&mut out, &report.done, report.checkin_recorded);
    out.push_str("\n## Next week\n\n");
    item_list(&mut out, &report.next, report.checkin_recorded);
    out.push_str("\n## Blocked\n\n");
    item_list(&mut out, &report.blocked, report.checkin_recorded);

    out.push_str("\n## Top risks\n\n");
    if report.top_risks.is_empty() {
        out.push_str("No open risks.\n");
    } else {
        out.push_str("| Risk | Score | Owner | Trigger | Mitigation |\n");
        out.push_str("|---|---|---|---|---|\n");
        for risk in &report.top_risks {
            let owner = risk
                .owner
                .as_deref()
                .map(escape_markdown)
                .unwrap_or_default();
            let trigger = match risk.trigger {
                Some(trigger) if risk.trigger_passed => format!("{trigger} (passed)"),
                Some(trigger) => trigger.to_string(),
                None => String::new(),
            };
            let tier = if risk.urgent { ", urgent" } else { "" };
            let _ = writeln!(
                out,
                "| {} {} | {} ({}x{}{tier}) | {owner} | {trigger} | {} |",
                code(&risk.id),
                escape_markdown(&risk.title),
                risk.score,
                risk.likelihood,
                risk.impact,
                risk.mitigation
                    .as_deref()
                    .map(escape_markdown)
                    .unwrap_or_default()
            );
        }
        if report.more_risks > 0 {
            let _ = writeln!(
                out,
                "\n{} with lower scores.",
                plural(report.more_risks as i64, "more open risk")
            );
        }
    }

    out.push_str("\n## Changes decided this week\n\n");
    let decided: Vec<String> = report
        .changes
        .iter()
        .map(|change| {
            let mut item = format!(
                "{} {}: {}",
                code(&change.id),
                escape_markdown(&change.title),
                change_status_word(change.status)
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

    if report.trend.len() > 1 {
        out.push_str("\n## Trend\n\n");
        out.push_str("| Week | Complete | SPI | CPI | Open blockers |\n");
        out.push_str("|---|---|---|---|---|\n");
        for point in &report.trend {
            let week = if point.computed {
                format!("{} (this report)", point.week)
            } else {
                point.week.to_string()
            };
            let _ = writeln!(
                out,
                "| {week} | {} | {} | {} | {} |",
                point
                    .percent_complete
                    .map(|p| format!("{p:.1}%"))
                    .unwrap_or_else(|| "n/a".to_owned()),
                index_text(point.spi),
                index_text(point.cpi),
                point
                    .open_blockers
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "n/a".to_owned()),
            );
        }
    }
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
