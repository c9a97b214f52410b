//! Questions the app asks before it does something that cannot be taken
//! back lightly: deleting, quitting with unsaved changes, a recovery file
//! from an earlier session, and a file changed on disk.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::store::{Edit, EntityKind};

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
}

impl App {
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
                if self.apply(vec![Edit::Remove {
                    kind: EntityKind::Task,
                    id: task.clone(),
                }]) {
                    self.say(Level::Info, format!("deleted {task}; u brings it back"));
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
            _ => Some(confirm),
        }
    }
}
