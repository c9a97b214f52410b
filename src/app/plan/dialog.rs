//! What the Plan pane opens over itself: the charter form and the question
//! before a line is deleted; and what the pane's keys do to the selected
//! line.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::keymap::{Command, Key};

use super::super::input::InputOutcome;
use super::super::{App, Level, LineInput, Mode};
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
    /// A change request with its what-if: the plan before and after it,
    /// and the tasks it moves, from the `scroll`th.
    WhatIf {
        change: String,
        scroll: usize,
    },
    /// Who approves (or rejects) the change request, and why.
    Decide {
        change: String,
        approve: bool,
        input: LineInput,
    },
    /// Who signs the gate off.
    SignOff {
        gate: String,
        input: LineInput,
    },
    /// The gate is open (`reasons`): who marks its milestone `task` done
    /// anyway, and why.
    Override {
        gate: String,
        task: String,
        reasons: String,
        input: LineInput,
    },
}

impl App {
    /// What a key of the pane does to the selected line.
    pub(super) fn plan_line_command(&mut self, command: Command, line: PlanLine) {
        match command {
            Command::Edit if matches!(line, PlanLine::Change(_)) => {
                if let PlanLine::Change(index) = line {
                    let change = self.file.plan.changes[index].id.value.clone();
                    self.mode = Mode::Plan(PlanDialog::WhatIf { change, scroll: 0 });
                }
            }
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
            Command::CycleStatus => match line {
                PlanLine::GateItem { gate, item } => {
                    let gate = self.file.plan.gates[gate].id.value.clone();
                    self.toggle_gate_item(&gate, item);
                }
                _ => self.toggle_plan_item(line),
            },
            Command::MarkDone | Command::SignOff
                if matches!(
                    line,
                    PlanLine::Gate(_) | PlanLine::GateItem { .. } | PlanLine::GateEmpty(_)
                ) =>
            {
                let index = match line {
                    PlanLine::Gate(gate) | PlanLine::GateEmpty(gate) => gate,
                    PlanLine::GateItem { gate, .. } => gate,
                    _ => return,
                };
                let gate = self.file.plan.gates[index].id.value.clone();
                if command == Command::SignOff {
                    self.ask_sign_off(gate);
                } else {
                    self.gate_milestone_done(&gate);
                }
            }
            Command::SignOff => self.say(Level::Info, "select a quality gate to sign it off"),
            Command::MarkDone if matches!(line, PlanLine::Communication(_)) => {
                if let PlanLine::Communication(index) = line {
                    self.communication_held(index);
                }
            }
            Command::Approve | Command::Reject | Command::MarkDone | Command::Preview => match line
            {
                PlanLine::Change(index) => {
                    let change = self.file.plan.changes[index].id.value.clone();
                    self.change_command(command, change);
                }
                _ => self.say(
                    Level::Info,
                    "select a change request first (] moves between the parts)",
                ),
            },
            _ => {}
        }
    }

    /// Approve, reject, done or preview on the change request `change`.
    fn change_command(&mut self, command: Command, change: String) {
        match command {
            Command::Approve | Command::Reject => {
                let approve = command == Command::Approve;
                let last = self
                    .file
                    .plan
                    .changes
                    .iter()
                    .filter_map(|c| c.decided_by.clone())
                    .next_back()
                    .unwrap_or_default();
                self.mode = Mode::Plan(PlanDialog::Decide {
                    change,
                    approve,
                    input: LineInput::new(&last),
                });
            }
            Command::MarkDone => self.change_done(&change),
            Command::Preview => self.preview_change(&change),
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
            PlanDialog::WhatIf { change, scroll } => {
                let command = self.config.keymap.command(Key::from_event(key));
                match command {
                    Some(Command::Down) => Some(PlanDialog::WhatIf {
                        change,
                        scroll: scroll + 1,
                    }),
                    Some(Command::Up) => Some(PlanDialog::WhatIf {
                        change,
                        scroll: scroll.saturating_sub(1),
                    }),
                    Some(Command::Edit) => {
                        let line = self
                            .file
                            .plan
                            .changes
                            .iter()
                            .position(|c| c.id.value == change)
                            .map(PlanLine::Change);
                        if let Some(form) = line.and_then(|line| self.plan_edit_form(line)) {
                            self.mode = Mode::Plan(PlanDialog::Form(form));
                        }
                        None
                    }
                    Some(
                        command @ (Command::Approve
                        | Command::Reject
                        | Command::MarkDone
                        | Command::Preview),
                    ) => {
                        self.change_command(command, change);
                        None
                    }
                    _ => None,
                }
            }
            PlanDialog::Decide {
                change,
                approve,
                mut input,
            } => match input.handle(key) {
                InputOutcome::Submit => {
                    if self.decide_change(&change, approve, &input.text) {
                        None
                    } else {
                        Some(PlanDialog::Decide {
                            change,
                            approve,
                            input,
                        })
                    }
                }
                InputOutcome::Cancel => None,
                _ => Some(PlanDialog::Decide {
                    change,
                    approve,
                    input,
                }),
            },
            PlanDialog::SignOff { gate, mut input } => match input.handle(key) {
                InputOutcome::Submit if !self.sign_gate(&gate, &input.text) => {
                    Some(PlanDialog::SignOff { gate, input })
                }
                InputOutcome::Submit | InputOutcome::Cancel => None,
                _ => Some(PlanDialog::SignOff { gate, input }),
            },
            PlanDialog::Override {
                gate,
                task,
                reasons,
                mut input,
            } => match input.handle(key) {
                InputOutcome::Submit if !self.override_done(&task, &input.text) => {
                    Some(PlanDialog::Override {
                        gate,
                        task,
                        reasons,
                        input,
                    })
                }
                InputOutcome::Submit => None,
                InputOutcome::Cancel => {
                    self.say(Level::Info, format!("{task} stays open"));
                    None
                }
                _ => Some(PlanDialog::Override {
                    gate,
                    task,
                    reasons,
                    input,
                }),
            },
        }
    }
}
