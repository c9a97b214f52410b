//! What the Plan pane opens over itself: the charter form and the question
//! before a line is deleted; and what the pane's keys do to the selected
//! line.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::keymap::Command;

use super::super::{App, Level, Mode};
use super::form::PlanForm;
use super::{PlanLine, PlanSection};

/// A dialog of the Plan pane.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanDialog {
    Form(PlanForm),
    /// Delete the line? `what` names it.
    Delete {
        line: PlanLine,
        what: String,
    },
}

impl App {
    /// What a key of the pane does to the selected line.
    pub(super) fn plan_line_command(&mut self, command: Command, line: PlanLine) {
        match command {
            Command::Edit => {
                let form = match line {
                    // An empty part has nothing to edit: add to it.
                    PlanLine::Empty(section)
                        if !matches!(section, PlanSection::Handover | PlanSection::Review) =>
                    {
                        self.plan_add_form(line)
                    }
                    PlanLine::GateEmpty(_) => self.plan_add_form(line),
                    _ => self.plan_edit_form(line),
                };
                if let Some(form) = form {
                    self.mode = Mode::Plan(PlanDialog::Form(form));
                }
            }
            Command::Add => {
                if let Some(form) = self.plan_add_form(line) {
                    self.mode = Mode::Plan(PlanDialog::Form(form));
                }
            }
            Command::Delete => match self.plan_delete_edit(line) {
                Some((_, what)) => self.mode = Mode::Plan(PlanDialog::Delete { line, what }),
                None => self.say(Level::Info, "nothing to delete here"),
            },
            Command::CycleStatus => self.toggle_plan_item(line),
            _ => {}
        }
    }

    /// A key while a Plan pane dialog is open; None closes it.
    pub(in crate::app) fn plan_dialog_key(
        &mut self,
        dialog: PlanDialog,
        key: KeyEvent,
    ) -> Option<PlanDialog> {
        match dialog {
            PlanDialog::Form(form) => self.plan_form_key(form, key).map(PlanDialog::Form),
            PlanDialog::Delete { line, what } => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
                    if let Some((edit, what)) = self.plan_delete_edit(line)
                        && self.apply(vec![edit])
                    {
                        self.say(Level::Info, format!("deleted {what}; u brings it back"));
                        self.clamp_plan_selection();
                    }
                    None
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => None,
                _ => Some(PlanDialog::Delete { line, what }),
            },
        }
    }
}
