//! The plan's file: saving (and saving as), reloading, changes made on
//! disk by someone else, and restoring a recovery file.

use std::path::Path;

use crate::store::{PlanFile, SaveError};

use super::recovery::{self, Found, Recovery};
use super::{App, Confirm, Level, LineInput, Mode, Origin};

/// An error with what caused it: "cannot save plan.toml: Permission
/// denied (os error 13)".
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        text.push_str(": ");
        text.push_str(&error.to_string());
        cause = error.source();
    }
    text
}

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
                self.say_saved(format!("saved {}", self.file.path.display()));
            }
            Err(SaveError::Conflict { .. }) => {
                self.conflict = std::fs::read_to_string(&self.file.path).ok();
                self.mode = Mode::Confirm(Confirm::Conflict);
            }
            Err(error) => self.say(Level::Error, with_causes(&error)),
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
                self.say_saved(format!("saved {}", path.display()));
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
            Err(error) => self.say(Level::Error, with_causes(&error)),
        }
    }

    pub(super) fn overwrite(&mut self) {
        match self.file.save_overwriting() {
            Ok(_) => {
                self.mark_saved();
                self.conflict = None;
                self.say_saved(format!(
                    "saved {} over the changes on disk",
                    self.file.path.display()
                ));
            }
            Err(error) => self.say(Level::Error, with_causes(&error)),
        }
    }

    /// Says a save is done, or warns when it split the plan's hard links.
    fn say_saved(&mut self, message: String) {
        match self.file.split_links() {
            Some(links) => {
                let warning = crate::store::split_links_warning(&self.file.path, links);
                self.say(Level::Warning, warning);
            }
            None => self.say(Level::Info, message),
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

    /// Restores what a recovery file holds: as it is when the plan is
    /// still the text the changes were made on (or the file is from an
    /// older gantry), else merged onto the plan as it is now, asking what
    /// to do where the two conflict.
    pub(super) fn restore_recovery(&mut self, recovery: Recovery) {
        let on_disk = self.file.on_disk().to_owned();
        let base = match &recovery.base {
            Some(base) if *base != on_disk => base.clone(),
            _ => {
                let edited = recovery.edited.clone();
                self.restore_text(
                    &recovery,
                    &edited,
                    "restored the unsaved changes; Ctrl-s saves them",
                );
                return;
            }
        };
        match crate::store::merge::merge(&base, &on_disk, &recovery.edited) {
            Ok(merged) if merged.conflicts.is_empty() => {
                self.restore_text(
                    &recovery,
                    &merged.text,
                    "restored your unsaved changes on top of the file as it is now; Ctrl-s saves them",
                );
            }
            Ok(merged) => {
                // Ours is the file now, theirs the recovered changes.
                let conflicts = merged
                    .conflicts
                    .iter()
                    .map(|conflict| {
                        let conflict = conflict.to_model();
                        let [before, on_disk, yours] = conflict.values();
                        format!(
                            "{}: yours {yours}, on disk {on_disk}, before {before}",
                            conflict.subject()
                        )
                    })
                    .collect();
                self.mode = Mode::Confirm(Confirm::RecoveryConflict {
                    recovery: Box::new(recovery),
                    merged: merged.text,
                    conflicts,
                });
            }
            Err(error) => {
                // A text that cannot be cut into tables cannot be merged:
                // the same choices, with nothing merged to restore.
                self.mode = Mode::Confirm(Confirm::RecoveryConflict {
                    recovery: Box::new(recovery.clone()),
                    merged: recovery.edited.clone(),
                    conflicts: vec![format!("the texts cannot be merged: {error}")],
                });
            }
        }
    }

    /// Puts `text` in place of the plan as unsaved changes and removes the
    /// recovery file; false (and a message) when the text is not a plan.
    pub(super) fn restore_text(
        &mut self,
        recovery: &Recovery,
        text: &str,
        message: impl Into<String>,
    ) -> bool {
        match self.file.replace_text(text) {
            Ok(()) => {
                self.clear_history();
                // What was restored is not on disk yet.
                self.saved_state = u64::MAX;
                self.after_edit(None);
                let _ = std::fs::remove_file(&recovery.path);
                let message = message.into();
                if !message.is_empty() {
                    self.say(Level::Info, message);
                }
                true
            }
            Err(error) => {
                self.say(
                    Level::Error,
                    format!("the recovery file cannot be used: {error}"),
                );
                false
            }
        }
    }

    /// Offers a recovery file left by an earlier session of this plan (or
    /// of the demo, when this is the demo), and says so when the one beside
    /// it belongs to another.
    pub fn offer_recovery(&mut self) {
        let plan = match self.origin {
            Origin::File => Some(self.file.path.clone()),
            Origin::Demo => None,
        };
        match recovery::find(plan.as_deref(), self.file.on_disk()) {
            Found::Nothing => {}
            Found::Offer(recovery) => {
                let changed = recovery
                    .base
                    .as_ref()
                    .is_some_and(|base| base != self.file.on_disk());
                self.mode = Mode::Confirm(Confirm::Recovery {
                    recovery: Box::new(recovery),
                    changed,
                });
            }
            Found::NotThisPlan { path, reason } => {
                let name = path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.say(
                    Level::Warning,
                    format!(
                        "{} was left alone: {}",
                        crate::sanitize::for_terminal(&name),
                        crate::sanitize::for_terminal(&reason)
                    ),
                );
            }
        }
    }

    /// Keeps unsaved changes in the recovery file, with the text they were
    /// made on; returns where.
    pub fn write_recovery(&self) -> Option<std::path::PathBuf> {
        if !self.has_unsaved_work() {
            return None;
        }
        let plan = match self.origin {
            Origin::File => Some(self.file.path.as_path()),
            Origin::Demo => None,
        };
        recovery::write(plan, self.file.on_disk(), &self.recovery_text()).ok()
    }
}
