//! Change requests in the Plan pane: their computed impact, kept until the
//! plan changes; deciding one (approve, reject, done) as one undoable
//! step; and the change whose what-if dates the Gantt pane previews.

use crate::governance::{self, Decision, Impact, TaskMove};
use crate::model::ChangeStatus;

use super::super::{App, Level, Pane};

/// The computed impact of each change request, by index into
/// `plan.changes`: None for one that is decided (its figures are the
/// declared ones) or carries no task edits.
pub type Impacts = Vec<Option<Result<Impact, String>>>;

impl App {
    /// Works out the impacts when the Plan pane, or a preview in the Gantt
    /// pane, needs them and they are out of date.
    pub(in crate::app) fn refresh_plan_pane(&mut self) {
        let needed = self.pane == Pane::Plan || self.plan.preview.is_some();
        if !needed {
            return;
        }
        // The review's figures cost a pass of the metrics: only once its
        // lines are on the page.
        let review_shown = self.pane == Pane::Plan
            && self.plan.review.is_none()
            && self.plan_lines_shown(|line| matches!(line, super::PlanLine::ReviewFact(_)));
        let Ok(schedule) = self.schedule.as_ref() else {
            return;
        };
        let plan = &self.file.plan;
        let status_date = self.status_date();
        if review_shown {
            self.plan.review = Some(governance::review_facts(plan, schedule, status_date));
        }
        if self.plan.impacts.is_some() {
            return;
        }
        let impacts = plan
            .changes
            .iter()
            .enumerate()
            .map(|(index, change)| {
                (change.status == ChangeStatus::Proposed && change.changes_tasks()).then(|| {
                    governance::impact_with(plan, schedule, index, status_date)
                        .map_err(|error| error.to_string())
                })
            })
            .collect();
        self.plan.impacts = Some(impacts);
    }

    /// The computed impact of the change request `id`, if there is one.
    pub fn change_impact(&self, id: &str) -> Option<&Impact> {
        let index = self
            .file
            .plan
            .changes
            .iter()
            .position(|c| c.id.value == id)?;
        self.plan
            .impacts
            .as_ref()?
            .get(index)?
            .as_ref()?
            .as_ref()
            .ok()
    }

    /// Why the impact of the change request `id` could not be computed.
    pub fn change_impact_error(&self, id: &str) -> Option<&str> {
        let index = self
            .file
            .plan
            .changes
            .iter()
            .position(|c| c.id.value == id)?;
        match self.plan.impacts.as_ref()?.get(index)?.as_ref()? {
            Err(message) => Some(message),
            Ok(_) => None,
        }
    }

    /// How the previewed change would move the task `id` (the Gantt
    /// pane's ghost bar).
    pub fn preview_move(&self, id: &str) -> Option<&TaskMove> {
        let change = self.plan.preview.as_deref()?;
        self.change_impact(change)?
            .moves
            .iter()
            .find(|task| task.id == id)
    }

    /// Approves (or rejects) the change request `id` as decided by `text`:
    /// "Name" or "Name; reason". Approval applies the change's task edits
    /// with the decision, as one step. False when it was refused.
    pub(super) fn decide_change(&mut self, id: &str, approve: bool, text: &str) -> bool {
        let (by, reason) = match text.split_once(';') {
            Some((by, reason)) => (by.trim(), Some(reason.trim()).filter(|r| !r.is_empty())),
            None => (text.trim(), None),
        };
        if by.is_empty() {
            self.say(
                Level::Error,
                "name who decides, e.g. Clinic director; reason after a ;",
            );
            return false;
        }
        let plan = &self.file.plan;
        let decision = Decision {
            by: by.to_owned(),
            date: plan.record_date(self.today),
            reason: reason.map(str::to_owned),
        };
        let edits = if approve {
            governance::approve_edits(plan, id, &decision, None)
        } else {
            governance::reject_edits(plan, id, &decision)
        };
        let edits = match edits {
            Ok(edits) => edits,
            Err(error) => {
                self.say(Level::Error, error.to_string());
                return false;
            }
        };
        let task_edits = edits
            .iter()
            .filter(|edit| {
                !matches!(
                    edit,
                    crate::store::Edit::Set {
                        kind: crate::store::EntityKind::Change,
                        ..
                    }
                )
            })
            .count();
        if !self.apply(edits) {
            return false;
        }
        let said = if approve {
            format!("{id} approved by {by}: {task_edits} task edit(s) applied; u takes it all back")
        } else {
            format!("{id} rejected by {by}; u takes it back")
        };
        self.say(Level::Info, said);
        if self.plan.preview.as_deref() == Some(id) {
            self.plan.preview = None;
        }
        true
    }

    /// Marks the approved change request `id` done.
    pub(super) fn change_done(&mut self, id: &str) {
        match governance::done_edits(&self.file.plan, id) {
            Ok(edits) => {
                if self.apply(edits) {
                    self.say(Level::Info, format!("{id} done; u takes it back"));
                }
            }
            Err(error) => self.say(Level::Error, error.to_string()),
        }
    }

    /// Shows the change's what-if dates as ghost bars in the Gantt pane,
    /// or stops showing them.
    pub(super) fn preview_change(&mut self, id: &str) {
        if self.plan.preview.as_deref() == Some(id) {
            self.plan.preview = None;
            self.say(Level::Info, format!("no longer previewing {id}"));
            return;
        }
        self.plan.preview = Some(id.to_owned());
        self.refresh_plan_pane();
        let moves = self
            .change_impact(id)
            .map_or(0, |impact| impact.moves.len());
        self.pane = Pane::Gantt;
        self.say(
            Level::Info,
            format!(
                "previewing {id}: {moves} task(s) move, ghost bars show where; 5 and p again stops"
            ),
        );
    }
}
