//! Questions the app asks before it does something that cannot be taken
//! back lightly: deleting, quitting with unsaved changes, a recovery file
//! from an earlier session, and a file changed or deleted on disk.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::store::{Edit, EntityKind, TaskField};

use super::recovery::Recovery;
use super::{App, Level, LineInput, Mode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    Delete {
        task: String,
    },
    DeleteRisk {
        risk: String,
    },
    QuitUnsaved,
    /// A recovery file from an earlier session holds unsaved changes;
    /// `changed` when the plan changed on disk since they were made.
    Recovery {
        recovery: Box<Recovery>,
        changed: bool,
    },
    /// Recovered changes that conflict with what changed on disk since:
    /// `merged` is the plan with both and the conflicts recorded in it.
    RecoveryConflict {
        recovery: Box<Recovery>,
        merged: String,
        conflicts: Vec<String>,
    },
    /// The file changed on disk while we hold unsaved changes.
    Conflict,
    /// The file was deleted on disk while we hold unsaved changes.
    Deleted,
}

impl App {
    /// The tasks that depend on `task`, by id.
    pub fn dependents_of(&self, task: &str) -> Vec<String> {
        self.file
            .plan
            .tasks
            .iter()
            .filter(|other| other.depends.iter().any(|d| d.task.id.value == task))
            .map(|other| other.id.value.clone())
            .collect()
    }

    /// The edits that take `task` out of the dependencies of the tasks
    /// that depend on it, keeping their other dependencies as written.
    fn unlink_edits(&self, task: &str) -> Result<Vec<Edit>, String> {
        let plan = &self.file.plan;
        let mut edits = Vec::new();
        for id in self.dependents_of(task) {
            let Some(other) = plan.task(&id) else {
                continue;
            };
            let mut kept = other.clone();
            kept.depends.retain(|d| d.task.id.value != task);
            let text = super::field_text(&kept, TaskField::Depends);
            let value = TaskField::Depends.parse_text_in(&text, plan)?;
            edits.push(Edit::SetTask {
                task: id,
                field: TaskField::Depends,
                value,
            });
        }
        Ok(edits)
    }

    pub(super) fn confirm_key(&mut self, confirm: Confirm, key: KeyEvent) -> Option<Confirm> {
        let answer = match key.code {
            KeyCode::Char(c) => c.to_ascii_lowercase(),
            KeyCode::Esc => 'n',
            KeyCode::Enter => '\n',
            _ => return Some(confirm),
        };
        match (&confirm, answer) {
            (Confirm::Delete { task }, 'y' | '\n') => {
                let task = task.clone();
                let mut edits = match self.unlink_edits(&task) {
                    Ok(edits) => edits,
                    Err(message) => {
                        self.say(Level::Error, message);
                        return None;
                    }
                };
                let unlinked = edits.len();
                edits.push(Edit::Remove {
                    kind: EntityKind::Task,
                    id: task.clone(),
                });
                if self.apply(edits) {
                    let said = if unlinked > 0 {
                        format!("deleted {task}, {unlinked} link(s) removed; u undoes")
                    } else {
                        format!("deleted {task}; u brings it back")
                    };
                    self.say(Level::Info, said);
                }
                None
            }
            (Confirm::Delete { .. }, 'n') => None,
            (Confirm::DeleteRisk { risk }, 'y' | '\n') => {
                let risk = risk.clone();
                if self.apply(vec![Edit::Remove {
                    kind: EntityKind::Risk,
                    id: risk.clone(),
                }]) {
                    self.say(Level::Info, format!("deleted {risk}; u brings it back"));
                }
                None
            }
            (Confirm::DeleteRisk { .. }, 'n') => None,
            (Confirm::QuitUnsaved, 's') => {
                if !self.record_drafts() {
                    return None;
                }
                self.save();
                if !self.modified {
                    self.quit = true;
                } else if matches!(self.mode, Mode::SaveAs(_)) {
                    // The demo asks where first; quit once it is written.
                    self.quit_after_save = true;
                    self.say(
                        Level::Info,
                        "Enter writes the plan to this file and quits; Esc stays",
                    );
                }
                None
            }
            (Confirm::QuitUnsaved, 'y' | 'd') => {
                self.quit = true;
                None
            }
            (Confirm::QuitUnsaved, 'n') => None,
            (Confirm::Recovery { recovery, .. }, 'r') => {
                let recovery = recovery.clone();
                self.restore_recovery(*recovery);
                None
            }
            (Confirm::Recovery { recovery, .. }, 'd') => {
                let _ = std::fs::remove_file(&recovery.path);
                self.say(Level::Info, "discarded the recovered changes");
                None
            }
            (
                Confirm::RecoveryConflict {
                    recovery,
                    merged,
                    conflicts,
                },
                'm',
            ) => {
                let (recovery, merged) = (recovery.clone(), merged.clone());
                let count = conflicts.len();
                self.restore_text(&recovery, &merged, format!(
                    "restored your changes on top of the file; {count} conflict(s) are marked in the plan as [[conflict]] tables (:problems lists them)"
                ));
                None
            }
            (Confirm::RecoveryConflict { recovery, .. }, 'r') => {
                let _ = std::fs::remove_file(&recovery.path);
                self.say(
                    Level::Info,
                    "kept the file as it is on disk; the recovered changes were discarded",
                );
                None
            }
            (Confirm::RecoveryConflict { recovery, .. }, 'o') => {
                let recovery = recovery.clone();
                self.restore_text(
                    &recovery,
                    &recovery.edited,
                    "restored your changes as they were; Ctrl-s writes them over the changes made on disk",
                );
                None
            }
            (Confirm::RecoveryConflict { recovery, .. }, 's') => {
                let recovery = recovery.clone();
                if self.restore_text(&recovery, &recovery.edited, "") {
                    let name = self
                        .file
                        .path
                        .file_stem()
                        .map(|stem| format!("{}.recovered.toml", stem.to_string_lossy()))
                        .unwrap_or_else(|| "recovered.toml".to_owned());
                    let suggestion = self.file.path.with_file_name(name);
                    self.mode = Mode::SaveAs(LineInput::new(&suggestion.display().to_string()));
                    self.say(
                        Level::Info,
                        "save your recovered changes as (Enter to write, Esc to keep them unsaved):",
                    );
                }
                None
            }
            (Confirm::RecoveryConflict { .. }, 'n') => {
                self.say(
                    Level::Warning,
                    "the recovery file was left as it is; it is offered again next time",
                );
                None
            }
            (Confirm::Conflict, 'r') => {
                self.reload();
                None
            }
            (Confirm::Conflict, 'o') => {
                self.overwrite();
                None
            }
            (Confirm::Conflict, 's') => {
                let name = self
                    .file
                    .path
                    .file_stem()
                    .map(|stem| format!("{}.mine.toml", stem.to_string_lossy()))
                    .unwrap_or_else(|| "mine.toml".to_owned());
                let suggestion = self.file.path.with_file_name(name);
                self.mode = Mode::SaveAs(LineInput::new(&suggestion.display().to_string()));
                self.say(
                    Level::Info,
                    "Enter writes your version to this file, leaving the changed one alone; Esc goes back",
                );
                None
            }
            (Confirm::Conflict, 'n') => {
                self.say(
                    Level::Warning,
                    "keeping your changes; saving will ask again",
                );
                None
            }
            (Confirm::Deleted, 's') => {
                self.save_again();
                None
            }
            (Confirm::Deleted, 'a') => {
                self.mode = Mode::SaveAs(LineInput::new(&self.file.path.display().to_string()));
                None
            }
            (Confirm::Deleted, 'n') => {
                self.say(
                    Level::Warning,
                    "not saved: the file stays deleted; your changes are kept, and saving will ask again",
                );
                None
            }
            _ => Some(confirm),
        }
    }

    /// The question asked when the plan was deleted on disk.
    pub fn deleted_question(&self) -> [String; 2] {
        let name = self
            .file
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.path.display().to_string());
        [
            format!(
                "{} was deleted on disk, and you have unsaved changes.",
                crate::sanitize::for_terminal(&name)
            ),
            "s save it again   a save as   Esc cancel".to_owned(),
        ]
    }
}
