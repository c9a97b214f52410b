//! Undo and redo: every change to the plan is a group of edits whose
//! inverses are kept, and a version number tells whether what is shown is
//! what was last saved.

use crate::store::{Edit, EditError};

use super::{App, CheckinEditor, Level};

impl App {
    /// Applies edits as one undoable step; on a refusal nothing changes.
    pub fn apply(&mut self, edits: Vec<Edit>) -> bool {
        let selected = self.selected_task_id();
        let risk = self.selected_risk_id();
        let inverses = match self.file.apply_all_unlocated(edits) {
            Ok(inverses) => inverses,
            Err(error) => {
                self.say(Level::Error, refusal_message(&error));
                return false;
            }
        };
        if inverses.is_empty() {
            return true;
        }
        self.undo.push(inverses);
        self.undo_drafts.push(None);
        self.next_state += 1;
        self.undo_ids.push(self.next_state);
        self.redo.clear();
        self.redo_drafts.clear();
        self.redo_ids.clear();
        self.after_edit(selected);
        self.follow_risk(risk);
        true
    }

    /// A change to a check-in draft as one undoable step: `before` is the
    /// draft as it was. The plan's version stays, so saving is not asked
    /// for by a draft alone (recording it is).
    pub(super) fn record_draft_step(&mut self, before: CheckinEditor) {
        self.undo.push(Vec::new());
        self.undo_drafts.push(Some(before));
        self.undo_ids.push(self.state());
        self.redo.clear();
        self.redo_drafts.clear();
        self.redo_ids.clear();
    }

    /// Puts a check-in draft back as it was and returns the one it replaces.
    fn swap_draft(&mut self, draft: CheckinEditor) -> Option<CheckinEditor> {
        self.show_checkin_week(draft.week);
        self.pane = super::Pane::Checkin;
        self.checkin.replace(draft)
    }

    /// Brings the schedule and the rows up to date after the plan changed.
    /// The task that was `selected` stays selected wherever the change put
    /// it (a task moved with J/K, or back by undo); if it is gone, the row
    /// where it was is.
    pub(super) fn after_edit(&mut self, selected: Option<String>) {
        self.modified = self.state() != self.saved_state;
        self.reschedule();
        let task = selected
            .and_then(|id| self.file.plan.task_index(&id))
            .or_else(|| self.gantt.selected_task());
        self.rebuild_rows_selecting(task);
    }

    pub(super) fn undo(&mut self) {
        let Some(edits) = self.undo.pop() else {
            self.say(Level::Info, "nothing to undo");
            return;
        };
        let id = self.undo_ids.pop().unwrap_or(0);
        if let Some(draft) = self.undo_drafts.pop().flatten() {
            let current = self.swap_draft(draft);
            self.redo.push(edits);
            self.redo_drafts.push(current);
            self.redo_ids.push(id);
            self.say(Level::Info, "undone (the check-in draft)");
            return;
        }
        let selected = self.selected_task_id();
        let risk = self.selected_risk_id();
        match self.replay(edits) {
            Ok(inverses) => {
                self.redo.push(inverses);
                self.redo_drafts.push(None);
                self.redo_ids.push(id);
                self.after_edit(selected);
                self.follow_risk(risk);
                self.say(Level::Info, "undone");
            }
            Err(message) => self.say(Level::Error, format!("cannot undo: {message}")),
        }
    }

    pub(super) fn redo(&mut self) {
        let Some(edits) = self.redo.pop() else {
            self.say(Level::Info, "nothing to redo");
            return;
        };
        let id = self.redo_ids.pop().unwrap_or(0);
        if let Some(draft) = self.redo_drafts.pop().flatten() {
            let current = self.swap_draft(draft);
            self.undo.push(edits);
            self.undo_drafts.push(current);
            self.undo_ids.push(id);
            self.say(Level::Info, "redone (the check-in draft)");
            return;
        }
        let selected = self.selected_task_id();
        let risk = self.selected_risk_id();
        match self.replay(edits) {
            Ok(inverses) => {
                self.undo.push(inverses);
                self.undo_drafts.push(None);
                self.undo_ids.push(id);
                self.after_edit(selected);
                self.follow_risk(risk);
                self.say(Level::Info, "redone");
            }
            Err(message) => self.say(Level::Error, format!("cannot redo: {message}")),
        }
    }

    /// Applies a recorded group and returns the group that reverses it.
    /// Not judged: undo and redo go back to a plan that was there, with
    /// whatever was wrong in it then.
    fn replay(&mut self, edits: Vec<Edit>) -> Result<Vec<Edit>, String> {
        self.file
            .replay(edits)
            .map_err(|error| refusal_message(&error))
    }

    /// The plan on disk is what is shown: nothing to recover.
    /// Forgets undo and redo (after a reload the old edits no longer apply).
    pub(super) fn clear_history(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.undo_drafts.clear();
        self.redo_drafts.clear();
        self.undo_ids.clear();
        self.redo_ids.clear();
        self.saved_state = 0;
    }

    pub(super) fn mark_saved(&mut self) {
        self.modified = false;
        self.saved_state = self.state();
    }

    /// Which version of the plan is shown: the id of the last applied edit
    /// group. Undo and redo move between versions; a new edit makes one.
    fn state(&self) -> u64 {
        self.undo_ids.last().copied().unwrap_or(0)
    }
}

/// One line for a refused edit.
pub(super) fn refusal_message(error: &EditError) -> String {
    match error {
        EditError::Invalid(diagnostics) => diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_else(|| "the change would make the plan invalid".to_owned()),
        other => other.to_string(),
    }
}
