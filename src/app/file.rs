//! The plan's file: saving (and saving as), reloading, changes made on
//! disk by someone else, and restoring a recovery file.

use std::path::Path;

use crate::store::{PlanFile, SaveError};

use super::{App, Confirm, Level, LineInput, Mode, Origin};

impl App {
    /// Saves to the plan's file; a demo asks where first.
    pub fn save(&mut self) {
        if self.origin == Origin::Demo {
            self.mode = Mode::SaveAs(LineInput::new("plan.toml"));
            self.say(
                Level::Info,
                "save the demo plan as (Enter to write, Esc to cancel):",
            );
            return;
        }
        match self.file.save() {
            Ok(_) => {
                self.mark_saved();
                self.conflict = None;
                self.say(Level::Info, format!("saved {}", self.file.path.display()));
            }
            Err(SaveError::Conflict { .. }) => {
                self.conflict = std::fs::read_to_string(&self.file.path).ok();
                self.mode = Mode::Confirm(Confirm::Conflict);
            }
            Err(error) => self.say(Level::Error, error.to_string()),
        }
    }

    pub(super) fn save_as(&mut self, path: &Path, overwrite: bool) {
        if path.as_os_str().is_empty() {
            self.say(Level::Error, "give a file name to save to");
            return;
        }
        match self.file.save_as(path, overwrite) {
            Ok(_) => {
                self.origin = Origin::File;
                self.mark_saved();
                self.conflict = None;
                self.say(Level::Info, format!("saved {}", path.display()));
            }
            Err(SaveError::Exists { .. }) => {
                self.mode = Mode::SaveAs(LineInput::new(&path.display().to_string()));
                self.say(
                    Level::Warning,
                    format!(
                        "{} exists; type another name, or :w! {0} to replace it",
                        path.display()
                    ),
                );
            }
            Err(error) => self.say(Level::Error, error.to_string()),
        }
    }

    pub(super) fn overwrite(&mut self) {
        match self.file.save_overwriting() {
            Ok(_) => {
                self.mark_saved();
                self.conflict = None;
                self.say(
                    Level::Info,
                    format!(
                        "saved {} over the changes on disk",
                        self.file.path.display()
                    ),
                );
            }
            Err(error) => self.say(Level::Error, error.to_string()),
        }
    }

    /// Reads the file again, dropping unsaved changes and the undo history.
    pub fn reload(&mut self) {
        if self.origin == Origin::Demo {
            self.say(Level::Info, "the demo plan has no file to reload");
            return;
        }
        match PlanFile::open(&self.file.path) {
            Ok(file) => {
                self.file = file;
                self.clear_history();
                self.mark_saved();
                self.conflict = None;
                self.reschedule();
                self.rebuild_rows();
                self.say(
                    Level::Info,
                    format!("reloaded {}", self.file.path.display()),
                );
            }
            Err(error) => self.say(
                Level::Error,
                format!("cannot reload: {error}; keeping what is shown"),
            ),
        }
    }

    pub(super) fn file_changed(&mut self, text: String) {
        if text == self.file.on_disk() {
            return;
        }
        if !self.modified {
            self.reload();
            if self
                .message
                .as_ref()
                .is_some_and(|(level, _)| *level == Level::Info)
            {
                self.say(
                    Level::Info,
                    format!(
                        "{} changed on disk and was reloaded",
                        self.file.path.display()
                    ),
                );
            }
        } else if self.conflict.as_deref() != Some(text.as_str()) {
            self.conflict = Some(text);
            self.mode = Mode::Confirm(Confirm::Conflict);
        }
    }

    pub(super) fn restore_recovery(&mut self, path: &Path) {
        match std::fs::read_to_string(path) {
            Ok(text) => match self.file.replace_text(&text) {
                Ok(()) => {
                    self.clear_history();
                    // What was restored is not on disk yet.
                    self.saved_state = u64::MAX;
                    self.after_edit(None);
                    let _ = std::fs::remove_file(path);
                    self.say(
                        Level::Info,
                        "restored the unsaved changes; Ctrl-s saves them",
                    );
                }
                Err(error) => self.say(
                    Level::Error,
                    format!("the recovery file cannot be used: {error}"),
                ),
            },
            Err(error) => self.say(
                Level::Error,
                format!("cannot read {}: {error}", path.display()),
            ),
        }
    }

    /// Offers a recovery file left by an earlier session, if any.
    pub fn offer_recovery(&mut self) {
        if self.origin != Origin::File {
            return;
        }
        if let Some(path) = super::recovery::pending(&self.file.path, self.file.on_disk()) {
            self.mode = Mode::Confirm(Confirm::Recovery { path });
        }
    }

    /// Keeps unsaved changes in the recovery file; returns where.
    pub fn write_recovery(&self) -> Option<std::path::PathBuf> {
        if !self.modified {
            return None;
        }
        let plan = match self.origin {
            Origin::File => self.file.path.clone(),
            Origin::Demo => std::path::PathBuf::from("plan.toml"),
        };
        super::recovery::write(&plan, &self.file.text()).ok()
    }
}
