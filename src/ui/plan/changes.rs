//! How a change request reads in the Plan pane: its computed impact in
//! one line of the list, and its what-if (the plan before and after it,
//! and the tasks it moves) in the dialog Enter opens.

use ratatui::style::Style;

use crate::app::App;
use crate::governance::Impact;
use crate::metrics::format_money;
use crate::model::ChangeRequest;
use crate::sanitize::for_terminal;

/// "finish 03-22 → 03-25 (+3d), cost +2,500.00" for the list.
pub fn impact_summary(app: &App, change: &ChangeRequest) -> String {
    let id = &change.id.value;
    if let Some(impact) = app.change_impact(id) {
        let arrow = arrow(app);
        return format!(
            "finish {}{arrow}{} ({:+}d), cost {}",
            impact.finish_before.format("%m-%d"),
            impact.finish_after.format("%m-%d"),
            impact.days,
            signed_money(impact.cost)
        );
    }
    if app.change_impact_error(id).is_some() {
        return "impact cannot be computed: Enter says why".to_owned();
    }
    let mut declared = Vec::new();
    if let Some(days) = change.days {
        declared.push(format!("{days:+}d"));
    }
    if let Some(cost) = change.cost {
        declared.push(format!("cost {}", signed_money(cost)));
    }
    if declared.is_empty() {
        String::new()
    } else {
        format!("declared {}", declared.join(", "))
    }
}

fn arrow(app: &App) -> &'static str {
    if app.config.theme.glyphs.done.is_ascii() {
        " -> "
    } else {
        " → "
    }
}

fn signed_money(value: f64) -> String {
    if value < 0.0 {
        format!("-{}", format_money(-value))
    } else {
        format!("+{}", format_money(value))
    }
}

/// The what-if of the change request `id`, line by line.
pub fn what_if(app: &App, id: &str) -> Vec<(String, Style)> {
    let theme = &app.config.theme;
    let plan = &app.file.plan;
    let Some(change) = plan.changes.iter().find(|c| c.id.value == id) else {
        return vec![(
            format!("there is no change request {id} any more"),
            theme.error,
        )];
    };
    let text = |s: &str| for_terminal(s).into_owned();
    let arrow = arrow(app);
    let mut lines = vec![(
        format!(
            "{} {}: {}",
            text(&change.id.value),
            text(&change.title),
            change.status.as_str()
        ),
        theme.title,
    )];
    if let Some(by) = &change.requested_by {
        let when = change
            .requested
            .map(|d| format!(" on {d}"))
            .unwrap_or_default();
        lines.push((format!("requested by {}{when}", text(by)), theme.dim));
    }
    match (app.change_impact(id), app.change_impact_error(id)) {
        (Some(impact), _) => lines.extend(impact_lines(app, impact, arrow)),
        (None, Some(error)) => lines.push((
            format!("its impact cannot be computed: {}", text(error)),
            theme.error,
        )),
        (None, None) => {
            let why = if change.changes_tasks() {
                "decided: its task edits are the plan's now"
            } else {
                "it carries no task edits ([[change.edit]]), so only what it declares is known"
            };
            lines.push((why.to_owned(), theme.dim));
            let declared = impact_summary(app, change);
            if !declared.is_empty() {
                lines.push((declared, theme.base));
            }
        }
    }
    if let Some(note) = &change.note {
        lines.push((format!("note: {}", text(note)), theme.dim));
    }
    lines
}

fn impact_lines(app: &App, impact: &Impact, arrow: &str) -> Vec<(String, Style)> {
    let theme = &app.config.theme;
    let mut lines = vec![
        (
            format!(
                "finish {}{arrow}{} ({:+} working days)",
                impact.finish_before, impact.finish_after, impact.days
            ),
            if impact.days > 0 {
                theme.warning
            } else {
                theme.base
            },
        ),
        (
            format!(
                "cost {} (budget at completion {}{arrow}{})",
                signed_money(impact.cost),
                format_money(impact.bac_before),
                format_money(impact.bac_after)
            ),
            theme.base,
        ),
    ];
    if let (Some(before), Some(after)) = (impact.eac_before, impact.eac_after) {
        lines.push((
            format!(
                "estimate at completion {}{arrow}{}",
                format_money(before),
                format_money(after)
            ),
            theme.base,
        ));
    }
    if impact.cost_disagrees() || impact.days_disagree() {
        let mut declared = Vec::new();
        if let Some(days) = impact.declared_days {
            declared.push(format!("{days:+} days"));
        }
        if let Some(cost) = impact.declared_cost {
            declared.push(signed_money(cost));
        }
        lines.push((
            format!(
                "the request declares {}, which its task edits do not give",
                declared.join(", ")
            ),
            theme.warning,
        ));
    }
    if impact.critical_path_changes() {
        let ids = |ids: &[String]| {
            ids.iter()
                .map(|id| for_terminal(id).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        };
        lines.push((
            format!(
                "critical path {}{arrow}{}",
                ids(&impact.critical_before),
                ids(&impact.critical_after)
            ),
            theme.warning,
        ));
    }
    lines.push((format!("{} task(s) move:", impact.moves.len()), theme.title));
    for task in &impact.moves {
        let id = for_terminal(&task.id);
        let line = match (task.start_before, task.finish_before) {
            (Some(start), Some(finish)) => format!(
                "  {id:<14} {start}..{finish}{arrow}{}..{} ({:+}d)",
                task.start_after, task.finish_after, task.finish_days
            ),
            _ => format!(
                "  {id:<14} new: {}..{}",
                task.start_after, task.finish_after
            ),
        };
        lines.push((line, theme.base));
    }
    lines
}
