//! The Plan pane's dialogs: the charter form, drawn as the task and risk
//! forms are, and the question before deleting a line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::App;
use crate::app::plan::PlanDialog;
use crate::sanitize::for_terminal;

use super::super::fit_with;
use super::super::overlays::{FormRow, dialog as frame, draw_form, question_box};

pub fn dialog(buffer: &mut Buffer, area: Rect, app: &App, dialog: &PlanDialog) {
    match dialog {
        PlanDialog::Form(form) => {
            let rows: Vec<FormRow> = form
                .fields
                .iter()
                .map(|field| FormRow {
                    label: field.field.key,
                    input: &field.input,
                    error: field.error.as_deref(),
                })
                .collect();
            let focused = &form.fields[form.focus];
            let footer = match &focused.error {
                Some(error) => (for_terminal(error).into_owned(), true),
                None => (focused.field.help.to_owned(), false),
            };
            let title = format!(
                "Edit {} (Tab next, Enter save, Esc cancel)",
                for_terminal(&form.subject())
            );
            draw_form(buffer, area, app, &title, &rows, form.focus, footer);
        }
        PlanDialog::WhatIf { change, scroll } => what_if(buffer, area, app, change, *scroll),
        PlanDialog::Decide {
            change,
            approve,
            input,
        } => {
            let verb = if *approve { "Approve" } else { "Reject" };
            let rows = [FormRow {
                label: "decided by",
                input,
                error: None,
            }];
            let footer = if *approve {
                "who approves; a reason after a ; (the change's task edits are applied)"
            } else {
                "who rejects; a reason after a ;"
            };
            let title = format!(
                "{verb} {} (Enter {}, Esc cancel)",
                for_terminal(change),
                verb.to_lowercase()
            );
            draw_form(
                buffer,
                area,
                app,
                &title,
                &rows,
                0,
                (footer.to_owned(), false),
            );
        }
        PlanDialog::SignOff { gate, input } => {
            let rows = [FormRow {
                label: "signed by",
                input,
                error: None,
            }];
            let title = format!(
                "Sign gate {} off (Enter sign, Esc cancel)",
                for_terminal(gate)
            );
            let footer = "who signs; with items open, a reason after a ; records an override";
            draw_form(
                buffer,
                area,
                app,
                &title,
                &rows,
                0,
                (footer.to_owned(), false),
            );
        }
        PlanDialog::Override {
            gate,
            task,
            reasons,
            input,
        } => {
            let rows = [FormRow {
                label: "override",
                input,
                error: None,
            }];
            let title = format!(
                "Mark {} done over gate {}? (Enter record, Esc keep open)",
                for_terminal(task),
                for_terminal(gate)
            );
            // What to type first: the reasons the gate is open can be
            // longer than the two lines the footer has.
            let footer = format!(
                "Who decides, and why: Name; reason. The gate is open: {}",
                for_terminal(reasons)
            );
            draw_form(buffer, area, app, &title, &rows, 0, (footer, true));
        }
        PlanDialog::Delete { what, .. } => {
            let lines = [
                format!("Delete {}?", for_terminal(what)),
                "y delete   n keep".to_owned(),
            ];
            question_box(buffer, area, app, "Delete", 20, &lines);
        }
    }
}

/// The change request's what-if, scrolled to `scroll`.
fn what_if(buffer: &mut Buffer, area: Rect, app: &App, change: &str, scroll: usize) {
    let theme = &app.config.theme;
    let lines = super::changes::what_if(app, change);
    let keymap = &app.config.keymap;
    let label = |command| keymap.label(command);
    use crate::keymap::Command;
    let keys = format!(
        "{} approve  {} reject  {} done  {} preview  {} edit  Esc close",
        label(Command::Approve),
        label(Command::Reject),
        label(Command::MarkDone),
        label(Command::Preview),
        label(Command::Edit)
    );
    let height = (lines.len() as u16 + 3).min(area.height.saturating_sub(2));
    let inner = frame(
        buffer,
        area,
        app,
        area.width.saturating_sub(4).min(100),
        height,
        "What if",
    );
    let rows = inner.height.saturating_sub(1) as usize;
    let first = scroll.min(lines.len().saturating_sub(rows));
    for (row, (line, style)) in lines.iter().skip(first).take(rows).enumerate() {
        buffer.set_string(
            inner.x + 1,
            inner.y + row as u16,
            fit_with(
                line,
                inner.width.saturating_sub(1) as usize,
                theme.glyphs.ellipsis,
            ),
            *style,
        );
    }
    buffer.set_string(
        inner.x + 1,
        inner.y + inner.height.saturating_sub(1),
        fit_with(
            &keys,
            inner.width.saturating_sub(1) as usize,
            theme.glyphs.ellipsis,
        ),
        theme.key,
    );
}
