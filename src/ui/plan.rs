//! The Plan pane: the charter of the project in one scrollable page —
//! objectives, scope, people, change requests, quality gates, the
//! communication plan, handover and review. Which lines the page has is
//! the app's (`app::plan::page`); how each reads and looks is drawn here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::App;
use crate::app::plan::{PlanLine, page};
use crate::model::{ChangeStatus, ChecklistItem, Plan};
use crate::sanitize::for_terminal;
use crate::theme::Theme;

use super::fit_with;

/// A line of the page as text and style.
fn line(plan: &Plan, line: PlanLine, theme: &Theme) -> (String, Style) {
    let text = |s: &str| for_terminal(s).into_owned();
    let project = &plan.project;
    match line {
        PlanLine::Name => (text(&project.name), theme.title),
        PlanLine::Facts => {
            let mut facts = format!("starts {}", project.start);
            if let Some(date) = project.status_date {
                facts.push_str(&format!(", as of {date}"));
            }
            if let Some(budget) = project.budget {
                facts.push_str(&format!(
                    ", budget {} {}",
                    crate::metrics::format_money(budget),
                    project.currency.as_deref().map(text).unwrap_or_default()
                ));
            }
            (facts, theme.dim)
        }
        PlanLine::Description => (
            project.description.as_deref().map(text).unwrap_or_default(),
            theme.base,
        ),
        PlanLine::Gap => (String::new(), theme.base),
        PlanLine::Heading(section) => (section.title().to_owned(), theme.title),
        PlanLine::Objective(index) => {
            let objective = &plan.objectives[index];
            let target = objective
                .target
                .as_deref()
                .map(|t| format!(" - {}", text(t)))
                .unwrap_or_default();
            (
                format!(
                    "  {} {}{target}",
                    objective.id.value,
                    text(&objective.title)
                ),
                theme.base,
            )
        }
        PlanLine::ScopeIn(index) => (
            format!("  in   {}", text(&plan.scope.included[index])),
            theme.base,
        ),
        PlanLine::ScopeOut(index) => (
            format!("  out  {}", text(&plan.scope.excluded[index])),
            theme.dim,
        ),
        PlanLine::Person(index) => {
            let person = &plan.people[index];
            let role = person.role.as_deref().map(text).unwrap_or_default();
            let rate = person.rate.map(|r| format!(", {r}/h")).unwrap_or_default();
            let capacity = if person.capacity < 1.0 {
                format!(", {:.0}% time", person.capacity * 100.0)
            } else {
                String::new()
            };
            (
                format!(
                    "  {:<10} {} - {role}{rate}{capacity}",
                    person.id.value,
                    text(&person.name)
                ),
                theme.base,
            )
        }
        PlanLine::Change(index) => {
            let change = &plan.changes[index];
            let mut impact = Vec::new();
            if let Some(cost) = change.cost {
                impact.push(format!("{cost:+.0}"));
            }
            if let Some(days) = change.days {
                impact.push(format!("{days:+} days"));
            }
            let decided = match (&change.decided_by, change.decided) {
                (Some(by), Some(date)) => format!(", by {} on {date}", text(by)),
                (None, Some(date)) => format!(" on {date}"),
                _ => String::new(),
            };
            let style = match change.status {
                ChangeStatus::Proposed => theme.warning,
                ChangeStatus::Rejected => theme.dim,
                _ => theme.base,
            };
            (
                format!(
                    "  {:<6} {:<9} {} [{}]{decided}",
                    change.id.value,
                    change.status.as_str(),
                    text(&change.title),
                    impact.join(", ")
                ),
                style,
            )
        }
        PlanLine::Gate(index) => {
            let gate = &plan.gates[index];
            let signed = match gate.signed {
                Some(date) => format!("signed {date}"),
                None => "not signed".to_owned(),
            };
            let milestone = gate
                .milestone
                .as_ref()
                .map(|m| format!(" guards {}", m.id.value))
                .unwrap_or_default();
            (
                format!(
                    "  {} {}{milestone}: {signed}",
                    gate.id.value,
                    text(&gate.name)
                ),
                theme.base,
            )
        }
        PlanLine::GateItem { gate, item } => {
            checklist_item(&plan.gates[gate].checklist[item], theme)
        }
        PlanLine::Communication(index) => {
            let item = &plan.communications[index];
            let parts: Vec<String> = [&item.audience, &item.cadence, &item.channel]
                .into_iter()
                .flatten()
                .map(|s| text(s))
                .collect();
            let owner = item
                .owner
                .as_ref()
                .map(|o| format!(" ({})", o.id.value))
                .unwrap_or_default();
            (
                format!("  {}: {}{owner}", text(&item.what), parts.join(", ")),
                theme.base,
            )
        }
        PlanLine::Handover => {
            let handover = plan.handover.as_ref();
            let to = handover
                .and_then(|h| h.to.as_deref())
                .map(text)
                .unwrap_or_else(|| "(not named)".to_owned());
            let date = handover
                .and_then(|h| h.date)
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            (format!("  to {to}{date}"), theme.base)
        }
        PlanLine::HandoverItem(item) => match &plan.handover {
            Some(handover) => checklist_item(&handover.checklist[item], theme),
            None => (String::new(), theme.base),
        },
        PlanLine::ReviewDate => {
            let date = plan.review.as_ref().and_then(|r| r.date);
            (
                date.map(|d| format!("  held {d}")).unwrap_or_default(),
                theme.dim,
            )
        }
        PlanLine::ReviewPlanned => {
            let planned = plan.review.as_ref().and_then(|r| r.planned.as_deref());
            (
                format!("  planned: {}", planned.map(text).unwrap_or_default()),
                theme.base,
            )
        }
        PlanLine::ReviewActual => {
            let actual = plan.review.as_ref().and_then(|r| r.actual.as_deref());
            (
                format!("  actual:  {}", actual.map(text).unwrap_or_default()),
                theme.base,
            )
        }
        PlanLine::ReviewNote { list, index } => {
            let note = plan
                .review
                .as_ref()
                .and_then(|review| list.items(review).get(index))
                .map(|note| text(note))
                .unwrap_or_default();
            (format!("  {}: {note}", list.label()), theme.base)
        }
    }
}

fn checklist_item(item: &ChecklistItem, theme: &Theme) -> (String, Style) {
    let (done, open) = if theme.glyphs.done.is_ascii() {
        ("[x]", "[ ]")
    } else {
        ("☑", "☐")
    };
    let mark = if item.done { done } else { open };
    let style = if item.done { theme.dim } else { theme.base };
    (format!("      {mark} {}", for_terminal(&item.item)), style)
}

pub fn render(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let plan = &app.file.plan;
    let lines = page(plan);
    let scroll = app
        .plan
        .scroll
        .min(lines.len().saturating_sub(area.height as usize));
    for (row, &page_line) in lines
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        let (text, style) = line(plan, page_line, theme);
        buffer.set_string(
            area.x + 1,
            area.y + row as u16,
            fit_with(
                &text,
                area.width.saturating_sub(2) as usize,
                theme.glyphs.ellipsis,
            ),
            style,
        );
    }
}
