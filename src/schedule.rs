//! Working-day calendar, critical path, baselines and load. Pure functions.
//!
//! [`schedule`] turns a [`Plan`] into dates: a forward pass gives every
//! task its earliest start and finish, a backward pass its latest, and the
//! difference is its slack. Time is the line of working days described in
//! SPEC section 2; inside, a point on that line is a *key*: `2 * day` for
//! the beginning of working day `day` (a working-day index, see
//! [`Calendar`]) and `2 * day + 1` for its end. Keys keep milestones
//! honest: one that follows a task ending on Friday sits at the end of
//! Friday, one pinned to a Monday at its beginning, and both are
//! followed by work on Monday. Everything is integer arithmetic, linear in
//! tasks plus dependencies, and independent of how long the tasks are.
//! `docs/scheduling.md` describes the rules in full.

mod calendar;
mod cpm;
mod load;
mod progress;

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::model::{Baseline, Plan, Pos};

pub use calendar::{Calendar, CalendarError};
pub use load::{Load, PersonLoad, WeekLoad, load};

/// The computed dates of a whole plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// The first working day of the project: nothing, not even work logged
    /// before `project.start`, starts earlier.
    pub start: NaiveDate,
    /// The last day any task finishes on.
    pub finish: NaiveDate,
    /// One entry per task, in the order of `plan.tasks`.
    pub tasks: Vec<TaskSchedule>,
    /// The project's span in the chosen baseline: the earliest baseline
    /// start and latest baseline finish of the tasks that have one.
    pub baseline: Option<Baseline>,
    /// Working days the project finish moved since the baseline; positive is late.
    pub slip: Option<i64>,
}

/// The computed dates of one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSchedule {
    /// The first working day of the task; a milestone's date.
    pub start: NaiveDate,
    /// The last working day of the task; a milestone's date.
    pub finish: NaiveDate,
    /// The latest start that does not move the project finish.
    pub late_start: NaiveDate,
    /// The latest finish that does not move the project finish.
    pub late_finish: NaiveDate,
    /// Working days the task can slip without moving the project finish.
    pub total_slack: i64,
    /// Working days the task can slip without moving any successor.
    pub free_slack: i64,
    /// On the critical path: no total slack.
    pub critical: bool,
    pub milestone: bool,
    /// Whether the task's finish instant is the end of its finish day. Always
    /// true for a task with working days; for a milestone, true when it sits
    /// at the end of its day (after a finish) rather than at its beginning
    /// (at a start or a date). Exports that write times need it.
    pub finishes_at_day_end: bool,
    /// The task's dates in the chosen baseline.
    pub baseline: Option<Baseline>,
    /// Working days the finish moved since the baseline; positive is late.
    pub slip: Option<i64>,
}

/// Why a plan cannot be scheduled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    #[error("dependency cycle: {}", .ids.join(" -> "))]
    Cycle {
        /// A task on the cycle.
        task: usize,
        /// The ids around the cycle, each depending on the next; the first repeats at the end.
        ids: Vec<String>,
        pos: Pos,
    },
    #[error("{message}")]
    OutOfRange {
        task: Option<usize>,
        message: String,
        pos: Pos,
    },
}

impl ScheduleError {
    /// The problem as a diagnostic pointing at the value that causes it.
    pub fn diagnostic(&self, plan: &Plan) -> Diagnostic {
        let pos = match self {
            ScheduleError::Calendar(_) => plan.project.pos,
            ScheduleError::Cycle { pos, .. } | ScheduleError::OutOfRange { pos, .. } => *pos,
        };
        Diagnostic::error(pos, self.to_string())
    }

    /// The index of the task the problem is about, when there is one.
    pub fn task(&self) -> Option<usize> {
        match self {
            ScheduleError::Calendar(_) => None,
            ScheduleError::Cycle { task, .. } => Some(*task),
            ScheduleError::OutOfRange { task, .. } => *task,
        }
    }
}

/// Schedules the plan, comparing it with each task's default baseline.
pub fn schedule(plan: &Plan) -> Result<Schedule, ScheduleError> {
    schedule_against(plan, None)
}

/// Schedules the plan, comparing it with the baseline of that name
/// (`None`: the default baseline).
pub fn schedule_against(
    plan: &Plan,
    baseline_name: Option<&str>,
) -> Result<Schedule, ScheduleError> {
    let calendar = Calendar::new(&plan.calendar)?;
    let timing = cpm::compute(plan, &calendar)?;
    let mut tasks = Vec::with_capacity(plan.tasks.len());
    let mut start = calendar.date_of(timing.project_start)?;
    let mut finish = start;
    let mut baseline_span: Option<Baseline> = None;
    let day_dates = timing.day_dates(&calendar);
    for (index, task) in plan.tasks.iter().enumerate() {
        let dates = timing.dates(&day_dates, index)?;
        start = start.min(dates.start);
        finish = finish.max(dates.finish);
        let baseline = match baseline_name {
            None => task.baseline,
            Some(name) => task
                .baselines
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, baseline)| *baseline),
        };
        if let Some(baseline) = baseline {
            baseline_span = Some(match baseline_span {
                None => baseline,
                Some(span) => Baseline {
                    start: span.start.min(baseline.start),
                    finish: span.finish.max(baseline.finish),
                },
            });
        }
        let total_slack = timing.total_slack(index);
        tasks.push(TaskSchedule {
            start: dates.start,
            finish: dates.finish,
            late_start: dates.late_start,
            late_finish: dates.late_finish,
            total_slack,
            free_slack: timing.free_slack(index),
            critical: total_slack == 0,
            milestone: task.is_milestone(),
            finishes_at_day_end: timing.finishes_at_day_end(index),
            baseline,
            slip: baseline
                .map(|baseline| calendar.working_days_between(baseline.finish, dates.finish)),
        });
    }
    for entry in tasks.iter_mut().filter(|entry| entry.milestone) {
        // A milestone at the beginning of the day after the last finish
        // would move the project's finish date.
        entry.late_start = entry.late_start.min(finish);
        entry.late_finish = entry.late_finish.min(finish);
    }
    Ok(Schedule {
        start,
        finish,
        tasks,
        baseline: baseline_span,
        slip: baseline_span.map(|baseline| calendar.working_days_between(baseline.finish, finish)),
    })
}

impl Schedule {
    /// The indices of the critical tasks, in the order they happen.
    pub fn critical_path(&self) -> Vec<usize> {
        let mut path: Vec<usize> = (0..self.tasks.len())
            .filter(|&index| self.tasks[index].critical)
            .collect();
        path.sort_by_key(|&index| (self.tasks[index].start, self.tasks[index].finish, index));
        path
    }
}

/// Scheduling problems as diagnostics, pointing at the value that causes
/// them: `check` reports these once the plan is otherwise valid.
pub fn diagnostics(plan: &Plan) -> Vec<Diagnostic> {
    match schedule(plan) {
        Ok(_) => Vec::new(),
        Err(error) => vec![error.diagnostic(plan)],
    }
}

#[cfg(test)]
mod tests;
