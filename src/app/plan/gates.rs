//! Quality gates in the Plan pane: ticking a checklist item, signing the
//! gate off with a name, and marking its milestone done, which the plan
//! refuses while the gate is open unless an override is recorded.

use crate::governance;
use crate::store::{Edit, TaskField};

use super::super::{App, Level, LineInput, Mode};
use super::PlanDialog;

/// "Name; why" as the name and the reason.
fn name_and_reason(text: &str) -> (&str, Option<&str>) {
    match text.split_once(';') {
        Some((by, reason)) => (by.trim(), Some(reason.trim()).filter(|r| !r.is_empty())),
        None => (text.trim(), None),
    }
}

impl App {
    /// Ticks checklist item `index` of gate `gate`, or unticks it.
    pub(super) fn toggle_gate_item(&mut self, gate: &str, index: usize) {
        let Some(done) = self
            .file
            .plan
            .gates
            .iter()
            .find(|g| g.id.value == gate)
            .and_then(|g| g.checklist.get(index))
            .map(|item| !item.done)
        else {
            return;
        };
        let number = (index + 1).to_string();
        match governance::check_item_edits(&self.file, gate, &number, done) {
            Ok(edits) => {
                if self.apply(edits) {
                    let said = if done { "done" } else { "not done" };
                    self.say(Level::Info, format!("gate {gate} item {number}: {said}"));
                }
            }
            Err(error) => self.say(Level::Error, error.to_string()),
        }
    }

    /// Asks who signs gate `gate` off.
    pub(super) fn ask_sign_off(&mut self, gate: String) {
        let approver = self
            .file
            .plan
            .gates
            .iter()
            .find(|g| g.id.value == gate)
            .and_then(|g| g.approver.clone())
            .unwrap_or_default();
        self.mode = Mode::Plan(PlanDialog::SignOff {
            gate,
            input: LineInput::new(&approver),
        });
    }

    /// Signs gate `gate` off as `text` says: "Name", or "Name; why" to
    /// sign with items open (recorded as an override). False when refused.
    pub(super) fn sign_gate(&mut self, gate: &str, text: &str) -> bool {
        let (by, reason) = name_and_reason(text);
        if by.is_empty() {
            self.say(Level::Error, "name who signs the gate off");
            return false;
        }
        let date = self.file.plan.record_date(self.today);
        match governance::sign_edits(&self.file.plan, gate, by, date, reason) {
            Ok(edits) => {
                if !self.apply(edits) {
                    return false;
                }
                self.say(
                    Level::Info,
                    format!("gate {gate} signed by {by} on {date}; u takes it back"),
                );
                true
            }
            Err(error) => {
                self.say(Level::Error, error.to_string());
                false
            }
        }
    }

    /// The edits that mark the task `task` done.
    fn done_edits(task: &str) -> Vec<Edit> {
        vec![
            Edit::SetTask {
                task: task.to_owned(),
                field: TaskField::Status,
                value: Some(toml_edit::Value::from("done")),
            },
            Edit::SetTask {
                task: task.to_owned(),
                field: TaskField::Progress,
                value: Some(toml_edit::Value::from(100i64)),
            },
        ]
    }

    /// Marks the milestone gate `gate` guards done; while the gate is open
    /// the plan refuses, and the pane offers to record an override.
    pub(super) fn gate_milestone_done(&mut self, gate: &str) {
        let plan = &self.file.plan;
        let Some(entry) = plan.gates.iter().find(|g| g.id.value == gate) else {
            return;
        };
        let Some(task) = entry
            .milestone
            .as_ref()
            .and_then(|m| m.index)
            .and_then(|index| plan.tasks.get(index))
        else {
            self.say(
                Level::Info,
                format!("gate {gate} guards no milestone: set its milestone first (Enter)"),
            );
            return;
        };
        let task = task.id.value.clone();
        if plan
            .task(&task)
            .is_some_and(|t| t.status == crate::model::TaskStatus::Done)
        {
            self.say(Level::Info, format!("{task} is done already"));
            return;
        }
        let open = !entry.is_passed();
        let reasons = governance::gates::open_reasons(entry);
        if self.apply(Self::done_edits(&task)) {
            self.say(Level::Info, format!("{task} done; u takes it back"));
            return;
        }
        if open {
            self.say(
                Level::Error,
                format!("{task} cannot be done while gate {gate} is open: {reasons}"),
            );
            self.mode = Mode::Plan(PlanDialog::Override {
                gate: gate.to_owned(),
                task,
                reasons,
                input: LineInput::default(),
            });
        }
    }

    /// Marks `task` done over its open gates, the override recorded on
    /// each, as one step. False when refused.
    pub(super) fn override_done(&mut self, task: &str, text: &str) -> bool {
        let (by, reason) = name_and_reason(text);
        let Some(reason) = reason.filter(|_| !by.is_empty()) else {
            self.say(
                Level::Error,
                "an override needs who decides it and why: Name; reason",
            );
            return false;
        };
        let date = self.file.plan.record_date(self.today);
        let mut edits =
            match governance::completion_override_edits(&self.file.plan, task, by, date, reason) {
                Ok(edits) => edits,
                Err(error) => {
                    self.say(Level::Error, error.to_string());
                    return false;
                }
            };
        edits.extend(Self::done_edits(task));
        if !self.apply(edits) {
            return false;
        }
        self.say(
            Level::Warning,
            format!("{task} done over its open gate, override by {by} recorded; u takes it back"),
        );
        true
    }

    /// Records that communication item `index` took place on the plan's
    /// record date, so its next one falls due a period later.
    pub(super) fn communication_held(&mut self, index: usize) {
        let Some(item) = self.file.plan.communications.get(index) else {
            return;
        };
        let id = item.id.value.clone();
        let date = self.file.plan.record_date(self.today);
        if self.apply(vec![Edit::Set {
            kind: crate::store::EntityKind::Communication,
            id: id.clone(),
            key: "last".to_owned(),
            value: Some(crate::store::toml_date(date)),
        }]) {
            self.say(Level::Info, format!("{id} held on {date}; u takes it back"));
        }
    }
}
