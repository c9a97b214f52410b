//! The Plan pane: the charter of the project in one scrollable page —
//! objectives, scope, people, change requests, quality gates, the
//! communication plan, handover and review.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::App;
use crate::model::{ChangeStatus, ChecklistItem, Plan};
use crate::sanitize::for_terminal;
use crate::theme::Theme;

use super::fit_with;

/// The page as styled lines; the pane shows a window of it.
pub fn lines(plan: &Plan, theme: &Theme) -> Vec<(String, Style)> {
    let mut out: Vec<(String, Style)> = Vec::new();
    let text = |s: &str| for_terminal(s).into_owned();
    let heading = |out: &mut Vec<(String, Style)>, title: &str| {
        if !out.is_empty() {
            out.push((String::new(), theme.base));
        }
        out.push((title.to_owned(), theme.title));
    };
    let project = &plan.project;
    out.push((text(&project.name), theme.title));
    let mut facts = format!("starts {}", project.start);
    if let Some(date) = project.status_date {
        facts.push_str(&format!(", as of {date}"));
    }
    if let Some(budget) = project.budget {
        facts.push_str(&format!(
            ", budget {budget:.0} {}",
            project.currency.as_deref().map(text).unwrap_or_default()
        ));
    }
    out.push((facts, theme.dim));
    if let Some(description) = &project.description {
        out.push((text(description), theme.base));
    }
    if !plan.objectives.is_empty() {
        heading(&mut out, "Objectives");
        for objective in &plan.objectives {
            let target = objective
                .target
                .as_deref()
                .map(|t| format!(" - {}", text(t)))
                .unwrap_or_default();
            out.push((
                format!(
                    "  {} {}{target}",
                    objective.id.value,
                    text(&objective.title)
                ),
                theme.base,
            ));
        }
    }
    if !plan.scope.included.is_empty() || !plan.scope.excluded.is_empty() {
        heading(&mut out, "Scope");
        for item in &plan.scope.included {
            out.push((format!("  in   {}", text(item)), theme.base));
        }
        for item in &plan.scope.excluded {
            out.push((format!("  out  {}", text(item)), theme.dim));
        }
    }
    if !plan.people.is_empty() {
        heading(&mut out, "People");
        for person in &plan.people {
            let role = person.role.as_deref().map(text).unwrap_or_default();
            let rate = person.rate.map(|r| format!(", {r}/h")).unwrap_or_default();
            let capacity = if person.capacity < 1.0 {
                format!(", {:.0}% time", person.capacity * 100.0)
            } else {
                String::new()
            };
            out.push((
                format!(
                    "  {:<10} {} - {role}{rate}{capacity}",
                    person.id.value,
                    text(&person.name)
                ),
                theme.base,
            ));
        }
    }
    if !plan.changes.is_empty() {
        heading(&mut out, "Change requests");
        for change in &plan.changes {
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
            out.push((
                format!(
                    "  {:<6} {:<9} {} [{}]{decided}",
                    change.id.value,
                    change.status.as_str(),
                    text(&change.title),
                    impact.join(", ")
                ),
                style,
            ));
        }
    }
    if !plan.gates.is_empty() {
        heading(&mut out, "Quality gates");
        for gate in &plan.gates {
            let signed = match gate.signed {
                Some(date) => format!("signed {date}"),
                None => "not signed".to_owned(),
            };
            let milestone = gate
                .milestone
                .as_ref()
                .map(|m| format!(" guards {}", m.id.value))
                .unwrap_or_default();
            out.push((
                format!(
                    "  {} {}{milestone}: {signed}",
                    gate.id.value,
                    text(&gate.name)
                ),
                theme.base,
            ));
            checklist(&mut out, &gate.checklist, theme);
        }
    }
    if !plan.communications.is_empty() {
        heading(&mut out, "Communication plan");
        for item in &plan.communications {
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
            out.push((
                format!("  {}: {}{owner}", text(&item.what), parts.join(", ")),
                theme.base,
            ));
        }
    }
    if let Some(handover) = &plan.handover {
        heading(&mut out, "Handover");
        let to = handover
            .to
            .as_deref()
            .map(text)
            .unwrap_or_else(|| "(not named)".to_owned());
        let date = handover
            .date
            .map(|d| format!(" on {d}"))
            .unwrap_or_default();
        out.push((format!("  to {to}{date}"), theme.base));
        checklist(&mut out, &handover.checklist, theme);
    }
    if let Some(review) = &plan.review {
        heading(&mut out, "Post-implementation review");
        if let Some(date) = review.date {
            out.push((format!("  held {date}"), theme.dim));
        }
        if let Some(planned) = &review.planned {
            out.push((format!("  planned: {}", text(planned)), theme.base));
        }
        if let Some(actual) = &review.actual {
            out.push((format!("  actual:  {}", text(actual)), theme.base));
        }
        for (label, items) in [
            ("went well", &review.went_well),
            ("improve", &review.improve),
            ("lesson", &review.lessons),
        ] {
            for item in items {
                out.push((format!("  {label}: {}", text(item)), theme.base));
            }
        }
    }
    out
}

fn checklist(out: &mut Vec<(String, Style)>, items: &[ChecklistItem], theme: &Theme) {
    let (done, open) = if theme.glyphs.done.is_ascii() {
        ("[x]", "[ ]")
    } else {
        ("☑", "☐")
    };
    for item in items {
        let mark = if item.done { done } else { open };
        let style = if item.done { theme.dim } else { theme.base };
        out.push((format!("      {mark} {}", for_terminal(&item.item)), style));
    }
}

pub fn render(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let lines = lines(&app.file.plan, theme);
    let scroll = app
        .plan_scroll
        .min(lines.len().saturating_sub(area.height as usize));
    for (row, (text, style)) in lines
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        buffer.set_string(
            area.x + 1,
            area.y + row as u16,
            fit_with(
                text,
                area.width.saturating_sub(2) as usize,
                theme.glyphs.ellipsis,
            ),
            *style,
        );
    }
}
