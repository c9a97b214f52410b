//! The edits made from the Gantt pane: status and progress, adding,
//! moving and logging hours on a task.

use crate::model::TaskStatus;
use crate::store::{Edit, EntityKind, TaskField};

use super::super::{App, Level, LineInput, Mode, PlanDialog, TaskForm};
use super::Row;

impl App {
    /// Todo, doing, done and round again (blocked goes back to todo).
    pub(super) fn cycle_status(&mut self) {
        if let Some(task) = self.gantt.selected_task() {
            let next = match self.file.plan.tasks[task].status {
                TaskStatus::Todo => TaskStatus::Doing,
                TaskStatus::Doing => TaskStatus::Done,
                TaskStatus::Done | TaskStatus::Blocked => TaskStatus::Todo,
            };
            self.set_status(task, next);
        }
    }

    /// Blocked, or back to doing.
    /// Unblocks at once; blocking asks from when (and why) first.
    pub(super) fn toggle_blocked(&mut self) {
        if let Some(task) = self.gantt.selected_task() {
            if self.file.plan.tasks[task].status == TaskStatus::Blocked {
                self.set_status(task, TaskStatus::Doing);
            } else {
                self.open_blocked_form(task);
            }
        }
    }

    fn set_status(&mut self, task: usize, status: TaskStatus) {
        let id = self.file.plan.tasks[task].id.value.clone();
        let mut edits = vec![Edit::SetTask {
            task: id.clone(),
            field: TaskField::Status,
            value: Some(status.as_str().into()),
        }];
        if status == TaskStatus::Done && self.file.plan.tasks[task].progress != 100 {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::Progress,
                value: Some(100.into()),
            });
        }
        // Back to todo from done: the work is not finished after all.
        if status == TaskStatus::Todo
            && self.file.plan.tasks[task].status == TaskStatus::Done
            && self.file.plan.tasks[task].progress == 100
        {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::Progress,
                value: Some(0.into()),
            });
        }
        if status == TaskStatus::Blocked && self.file.plan.tasks[task].blocked_since.is_none() {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::BlockedSince,
                value: Some(crate::store::toml_date(self.record_date())),
            });
        }
        if status != TaskStatus::Blocked && self.file.plan.tasks[task].blocked_since.is_some() {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::BlockedSince,
                value: None,
            });
        }
        if self.apply(edits) {
            self.say(Level::Info, format!("{id}: {}", status.as_str()));
        } else if status == TaskStatus::Done {
            self.offer_gate_override(task);
        }
    }

    /// The first open quality gate guarding the milestone `task`, and why
    /// it is open.
    pub(in crate::app) fn open_gate_of(&self, task: usize) -> Option<(String, String)> {
        self.file
            .plan
            .gates
            .iter()
            .find(|gate| {
                !gate.is_passed() && gate.milestone.as_ref().and_then(|m| m.index) == Some(task)
            })
            .map(|gate| {
                (
                    gate.id.value.clone(),
                    crate::governance::gates::open_reasons(gate),
                )
            })
    }

    /// After marking `task` done was refused: when an open gate is why,
    /// asks who overrides it and why, as `D` on the gate in the Plan pane
    /// does (the override is recorded on the gate with the task done, as
    /// one step).
    fn offer_gate_override(&mut self, task: usize) {
        let Some((gate, reasons)) = self.open_gate_of(task) else {
            return;
        };
        let id = self.file.plan.tasks[task].id.value.clone();
        self.say(
            Level::Error,
            format!("{id}: gate {gate} is open; override it or Esc"),
        );
        self.mode = Mode::Plan(PlanDialog::Override {
            gate,
            task: id,
            reasons,
            input: LineInput::default(),
        });
    }

    pub(super) fn step_progress(&mut self, delta: i64) {
        let Some(task) = self.gantt.selected_task() else {
            return;
        };
        let current = i64::from(self.file.plan.tasks[task].progress);
        let next = ((current + delta) / 10 * 10).clamp(0, 100);
        if next == current {
            return;
        }
        let id = self.file.plan.tasks[task].id.value.clone();
        if self.apply(vec![Edit::SetTask {
            task: id.clone(),
            field: TaskField::Progress,
            value: Some(next.into()),
        }]) {
            self.say(Level::Info, format!("{id}: {next}% done"));
        }
    }

    pub(super) fn add_task(&mut self) {
        let plan = &self.file.plan;
        let mut number = plan.tasks.len() + 1;
        let id = loop {
            let candidate = format!("task-{number}");
            if plan.task(&candidate).is_none() {
                break candidate;
            }
            number += 1;
        };
        let after = self
            .gantt
            .selected_task()
            .map(|task| plan.tasks[task].id.value.clone());
        let phase = match self.gantt.rows.get(self.gantt.selected) {
            Some(Row::Task(task)) => plan.tasks[*task].phase.as_ref().map(|p| p.id.value.clone()),
            Some(Row::Phase {
                phase: Some(phase), ..
            }) => Some(plan.phases[*phase].id.value.clone()),
            _ => None,
        };
        // After the last task of a phase header's group, or at the end.
        let after = after.or_else(|| {
            let phase_index = match self.gantt.rows.get(self.gantt.selected) {
                Some(Row::Phase { phase, .. }) => *phase,
                _ => None,
            };
            plan.tasks
                .iter()
                .rev()
                .find(|task| {
                    task.phase.as_ref().and_then(|p| p.index) == phase_index
                        && phase_index.is_some()
                })
                .map(|task| task.id.value.clone())
        });
        let mut table = toml_edit::Table::new();
        table.insert("id", toml_edit::value(id.as_str()));
        table.insert("name", toml_edit::value("New task"));
        if let Some(phase) = phase {
            table.insert("phase", toml_edit::value(phase));
        }
        table.insert("duration", toml_edit::value(1));
        if self.apply(vec![Edit::Add {
            kind: EntityKind::Task,
            after,
            table,
        }]) {
            self.gantt.folded.clear();
            self.rebuild_rows();
            if let Some(index) = self.file.plan.task_index(&id)
                && let Some(row) = self
                    .gantt
                    .rows
                    .iter()
                    .position(|row| *row == Row::Task(index))
            {
                self.select(row);
                // The id first: proposed free, to keep or type over.
                let mut form = TaskForm::open(&self.file, index);
                form.focus = form.fields.len();
                self.mode = Mode::Form(form);
            }
            self.say(
                Level::Info,
                format!("added {id}: type its id or keep it; Esc keeps it as it is, u removes it"),
            );
        }
    }

    pub(super) fn move_task(&mut self, direction: i64) {
        let Some(task) = self.gantt.selected_task() else {
            return;
        };
        let plan = &self.file.plan;
        let phase = plan.tasks[task].phase.as_ref().and_then(|p| p.index);
        // The neighbour within the same phase, in file order.
        let neighbour = if direction > 0 {
            (task + 1..plan.tasks.len())
                .find(|&i| plan.tasks[i].phase.as_ref().and_then(|p| p.index) == phase)
        } else {
            (0..task)
                .rev()
                .find(|&i| plan.tasks[i].phase.as_ref().and_then(|p| p.index) == phase)
        };
        let Some(neighbour) = neighbour else {
            return;
        };
        let id = plan.tasks[task].id.value.clone();
        self.apply(vec![Edit::Move {
            kind: EntityKind::Task,
            id,
            index: neighbour,
        }]);
    }
}
