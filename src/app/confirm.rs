//! Questions the app asks before it does something that cannot be taken
//! back lightly: deleting, quitting with unsaved changes, a recovery file
//! from an earlier session, and a file changed on disk.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::store::{Edit, EntityKind};

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
    /// A recovery file from an earlier session holds unsaved changes.
    Recovery {
        path: PathBuf,
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
                self.save();
                if !self.modified {
                    self.quit = true;
                }
                None
            }
            (Confirm::QuitUnsaved, 'y' | 'd') => {
                self.quit = true;
                None
            }
            (Confirm::QuitUnsaved, 'n') => None,
            (Confirm::Recovery { path }, 'r') => {
                let path = path.clone();
                self.restore_recovery(&path);
                None
            }
            (Confirm::Recovery { path }, 'd') => {
                let _ = std::fs::remove_file(path);
                self.say(Level::Info, "discarded the recovered changes");
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
                self.mode = Mode::SaveAs(LineInput::new(&self.file.path.display().to_string()));
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
