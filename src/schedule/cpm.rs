//! The critical path method over keys (see the `schedule` module).
//!
//! A key is `2 * day` for the beginning of working day `day` and
//! `2 * day + 1` for its end. A task of `d` days starting on day `s` has the
//! start key `2s` and the finish key `2(s + d) - 1`; a milestone has one key
//! for both. For slack, only the *position* of a key on the working-time
//! line matters: the end of a day and the beginning of the next are the
//! same position, `ceil(key / 2)`.

use chrono::NaiveDate;

use super::progress::{self, Progress};
use super::{Calendar, ScheduleError};
use crate::model::{DependencyKind, Plan, Pos};

/// Everything the passes computed, still as keys and positions.
pub(super) struct Timing {
    pub project_start: i64,
    start: Vec<i64>,
    finish: Vec<i64>,
    late_start: Vec<i64>,
    late_finish: Vec<i64>,
    free_slack: Vec<i64>,
}

/// A task's dates.
pub(super) struct TaskDates {
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub late_start: NaiveDate,
    pub late_finish: NaiveDate,
}

impl Timing {
    pub fn dates(&self, calendar: &Calendar, task: usize) -> Result<TaskDates, ScheduleError> {
        let start = self.start[task];
        let finish = self.finish[task];
        let out_of_range = |_| ScheduleError::OutOfRange {
            task: Some(task),
            message: format!(
                "the schedule reaches past {}, the last date gantry can represent",
                NaiveDate::MAX
            ),
            pos: Pos::default(),
        };
        let (late_start_day, late_finish_day) = if start == finish {
            // A milestone keeps its side of the day when it moves.
            let side = finish & 1;
            (self.late_start[task] - side, self.late_start[task] - side)
        } else {
            (self.late_start[task], self.late_finish[task] - 1)
        };
        Ok(TaskDates {
            start: calendar.date_of(day_of(start)).map_err(out_of_range)?,
            finish: calendar.date_of(day_of(finish)).map_err(out_of_range)?,
            late_start: calendar.date_of(late_start_day).map_err(out_of_range)?,
            late_finish: calendar.date_of(late_finish_day).map_err(out_of_range)?,
        })
    }

    pub fn total_slack(&self, task: usize) -> i64 {
        (self.late_start[task] - position(self.start[task])).max(0)
    }

    pub fn free_slack(&self, task: usize) -> i64 {
        self.free_slack[task].clamp(0, self.total_slack(task))
    }
}

/// The working day a key falls on.
pub(super) fn day_of(key: i64) -> i64 {
    key.div_euclid(2)
}

/// The position of a key on the working-time line.
pub(super) fn position(key: i64) -> i64 {
    (key + 1).div_euclid(2)
}

/// Moves a key by `lag` working days. Moving forward lands on the end of a
/// day, moving back on the beginning of one, as working time does: the
/// beginning of Monday plus one day is the end of Monday.
fn shift(key: i64, lag: i64) -> i64 {
    match lag.signum() {
        0 => key,
        1 => 2 * (position(key) + lag) - 1,
        _ => 2 * (position(key) + lag),
    }
}

/// What pushed a task to its start, to blame when the schedule runs off the calendar.
#[derive(Clone, Copy)]
enum Cause {
    ProjectStart,
    StartDate,
    StatusDate,
    Dependency(usize),
}

pub(super) fn compute(plan: &Plan, calendar: &Calendar) -> Result<Timing, ScheduleError> {
    let order = topological_order(plan)?;
    let project_start = calendar.index_of(plan.project.start);
    let limits = Limits::new(calendar);
    if project_start > limits.last_day {
        return Err(ScheduleError::OutOfRange {
            task: None,
            message: format!(
                "the project starts after the last working day gantry can represent ({})",
                NaiveDate::MAX
            ),
            pos: plan.project.start_pos,
        });
    }
    let planned = forward(plan, calendar, &order, project_start, &limits, None)?;
    let ((start, finish), fixed) = match plan.project.status_date {
        None => (planned, vec![false; plan.tasks.len()]),
        Some(status_date) => {
            let progress = progress::progress(plan, calendar, status_date, &planned, &limits);
            let fixed = progress.fixed.iter().map(Option::is_some).collect();
            (
                forward(
                    plan,
                    calendar,
                    &order,
                    project_start,
                    &limits,
                    Some(&progress),
                )?,
                fixed,
            )
        }
    };
    let (late_start, late_finish) = backward(plan, &order, &start, &finish, &fixed, &limits);
    let free_slack = free_slack(plan, &start, &finish, &fixed, &limits);
    Ok(Timing {
        project_start,
        start,
        finish,
        late_start,
        late_finish,
        free_slack,
    })
}

/// The representable working days, and the largest span worth computing
/// with: longer durations and lags are clamped to it, so no sum overflows.
pub(super) struct Limits {
    pub last_day: i64,
    pub span: i64,
}

impl Limits {
    fn new(calendar: &Calendar) -> Limits {
        let range = calendar.index_range();
        Limits {
            last_day: *range.end(),
            span: range.end() - range.start() + 2,
        }
    }

    pub fn clamp(&self, days: i64) -> i64 {
        days.clamp(-self.span, self.span)
    }
}

fn forward(
    plan: &Plan,
    calendar: &Calendar,
    order: &[usize],
    project_start: i64,
    limits: &Limits,
    progress: Option<&Progress>,
) -> Result<(Vec<i64>, Vec<i64>), ScheduleError> {
    let count = plan.tasks.len();
    let mut start = vec![0i64; count];
    let mut finish = vec![0i64; count];
    let floor = progress.map(|progress| progress.floor);
    for &index in order {
        let task = &plan.tasks[index];
        if let Some(fixed) = progress.and_then(|progress| progress.fixed[index]) {
            start[index] = fixed.start;
            finish[index] = fixed.finish;
            if day_of(fixed.finish) > limits.last_day {
                return Err(past_the_calendar(plan, index, None));
            }
            continue;
        }
        let days = limits.clamp(task.working_days()).max(0);
        let mut earliest = (2 * project_start, Cause::ProjectStart);
        let mut consider = |key: i64, cause: Cause| {
            if key > earliest.0 {
                earliest = (key, cause);
            }
        };
        if let Some(date) = task.start {
            consider(2 * calendar.index_of(date), Cause::StartDate);
        }
        if let Some(floor) = floor.filter(|_| progress::is_unfinished(task)) {
            consider(2 * floor, Cause::StatusDate);
        }
        for (position_in_list, dependency) in task.depends.iter().enumerate() {
            let Some(predecessor) = dependency.task.index.filter(|&other| other < count) else {
                continue;
            };
            let lag = limits.clamp(dependency.lag);
            let key = match dependency.kind {
                DependencyKind::FinishToStart => shift(finish[predecessor], lag),
                DependencyKind::StartToStart => shift(start[predecessor], lag),
                DependencyKind::FinishToFinish if days == 0 => shift(finish[predecessor], lag),
                DependencyKind::FinishToFinish => {
                    2 * (position(shift(finish[predecessor], lag)) - days)
                }
            };
            consider(key, Cause::Dependency(position_in_list));
        }
        let (key, cause) = earliest;
        if days == 0 {
            start[index] = key;
            finish[index] = key;
        } else {
            let first_day = position(key);
            start[index] = 2 * first_day;
            finish[index] = 2 * (first_day + days) - 1;
        }
        if day_of(start[index]) > limits.last_day {
            return Err(past_the_calendar(plan, index, Some(cause)));
        }
        if day_of(finish[index]) > limits.last_day {
            return Err(past_the_calendar(plan, index, None));
        }
    }
    Ok((start, finish))
}

fn past_the_calendar(plan: &Plan, index: usize, cause: Option<Cause>) -> ScheduleError {
    let task = &plan.tasks[index];
    let id = &task.id.value;
    let last = NaiveDate::MAX;
    let (pos, message) = match cause {
        None => (
            task.duration.pos,
            format!(
                "the duration of `{id}` takes it past {last}, the last date gantry can represent"
            ),
        ),
        Some(Cause::Dependency(position_in_list)) => {
            let dependency = &task.depends[position_in_list];
            (
                dependency.task.id.pos,
                format!(
                    "the dependency of `{id}` on `{}` pushes it past {last}, the last date gantry can represent",
                    dependency.task.id.value
                ),
            )
        }
        Some(Cause::StartDate) => (
            task.pos,
            format!(
                "`{id}` cannot start on or after its start date: no working day follows before {last}"
            ),
        ),
        Some(Cause::StatusDate) => (
            task.pos,
            format!(
                "`{id}` cannot be scheduled after the status date: no working day follows before {last}"
            ),
        ),
        Some(Cause::ProjectStart) => (
            task.pos,
            format!("`{id}` cannot start: no working day follows the project start before {last}"),
        ),
    };
    ScheduleError::OutOfRange {
        task: Some(index),
        message,
        pos,
    }
}

/// Latest start and finish positions that keep the project finish.
fn backward(
    plan: &Plan,
    order: &[usize],
    start: &[i64],
    finish: &[i64],
    fixed: &[bool],
    limits: &Limits,
) -> (Vec<i64>, Vec<i64>) {
    let count = plan.tasks.len();
    let project_finish = finish.iter().map(|&key| position(key)).max().unwrap_or(0);
    let mut late_finish = vec![project_finish; count];
    let mut late_start = vec![i64::MAX; count];
    for &index in order.iter().rev() {
        let length = position(finish[index]) - position(start[index]);
        let latest = late_start[index].min(late_finish[index] - length);
        late_start[index] = latest;
        late_finish[index] = latest + length;
        // Work already under way or done no longer waits for its predecessors.
        if fixed[index] {
            continue;
        }
        for dependency in &plan.tasks[index].depends {
            let Some(predecessor) = dependency.task.index.filter(|&other| other < count) else {
                continue;
            };
            let lag = limits.clamp(dependency.lag);
            match dependency.kind {
                DependencyKind::FinishToStart => {
                    late_finish[predecessor] =
                        late_finish[predecessor].min(late_start[index] - lag);
                }
                DependencyKind::StartToStart => {
                    late_start[predecessor] = late_start[predecessor].min(late_start[index] - lag);
                }
                DependencyKind::FinishToFinish => {
                    late_finish[predecessor] =
                        late_finish[predecessor].min(late_finish[index] - lag);
                }
            }
        }
    }
    (late_start, late_finish)
}

/// How far each task can move before it moves a successor or the project finish.
fn free_slack(
    plan: &Plan,
    start: &[i64],
    finish: &[i64],
    fixed: &[bool],
    limits: &Limits,
) -> Vec<i64> {
    let count = plan.tasks.len();
    let project_finish = finish.iter().map(|&key| position(key)).max().unwrap_or(0);
    let mut free: Vec<i64> = finish
        .iter()
        .map(|&key| project_finish - position(key))
        .collect();
    for (index, task) in plan.tasks.iter().enumerate() {
        if fixed[index] {
            continue;
        }
        for dependency in &task.depends {
            let Some(predecessor) = dependency.task.index.filter(|&other| other < count) else {
                continue;
            };
            let lag = limits.clamp(dependency.lag);
            let gap = match dependency.kind {
                DependencyKind::FinishToStart => {
                    position(start[index]) - (position(finish[predecessor]) + lag)
                }
                DependencyKind::StartToStart => {
                    position(start[index]) - (position(start[predecessor]) + lag)
                }
                DependencyKind::FinishToFinish => {
                    position(finish[index]) - (position(finish[predecessor]) + lag)
                }
            };
            free[predecessor] = free[predecessor].min(gap);
        }
    }
    free
}

/// Tasks ordered so each comes after everything it depends on; a cycle is an error.
pub(super) fn topological_order(plan: &Plan) -> Result<Vec<usize>, ScheduleError> {
    let count = plan.tasks.len();
    let mut unmet = vec![0u32; count];
    let mut successor_offsets = vec![0usize; count + 1];
    for index in 0..count {
        for predecessor in predecessors(plan, index) {
            unmet[index] += 1;
            successor_offsets[predecessor + 1] += 1;
        }
    }
    for index in 0..count {
        successor_offsets[index + 1] += successor_offsets[index];
    }
    let mut successors = vec![0usize; successor_offsets[count]];
    let mut filled = successor_offsets.clone();
    for index in 0..count {
        for predecessor in predecessors(plan, index) {
            successors[filled[predecessor]] = index;
            filled[predecessor] += 1;
        }
    }
    let mut order: Vec<usize> = (0..count).filter(|&index| unmet[index] == 0).collect();
    let mut next = 0;
    while next < order.len() {
        let index = order[next];
        next += 1;
        for &successor in &successors[successor_offsets[index]..successor_offsets[index + 1]] {
            unmet[successor] -= 1;
            if unmet[successor] == 0 {
                order.push(successor);
            }
        }
    }
    if order.len() == count {
        return Ok(order);
    }
    Err(cycle_error(plan, &unmet))
}

fn predecessors(plan: &Plan, index: usize) -> impl Iterator<Item = usize> + '_ {
    let count = plan.tasks.len();
    plan.tasks[index]
        .depends
        .iter()
        .filter_map(move |dependency| dependency.task.index.filter(|&other| other < count))
}

/// Follows unscheduled predecessors from an unscheduled task until one repeats.
fn cycle_error(plan: &Plan, unmet: &[u32]) -> ScheduleError {
    let Some(first) = unmet.iter().position(|&left| left > 0) else {
        return ScheduleError::OutOfRange {
            task: None,
            message: "dependency cycle".to_string(),
            pos: Pos::default(),
        };
    };
    let mut step_of = vec![usize::MAX; plan.tasks.len()];
    let mut walk = Vec::new();
    let mut current = first;
    while step_of[current] == usize::MAX {
        step_of[current] = walk.len();
        walk.push(current);
        match predecessors(plan, current).find(|&predecessor| unmet[predecessor] > 0) {
            Some(predecessor) => current = predecessor,
            None => break,
        }
    }
    let cycle_start = step_of[current].min(walk.len().saturating_sub(1));
    let mut ids: Vec<String> = walk[cycle_start..]
        .iter()
        .map(|&index| plan.tasks[index].id.value.clone())
        .collect();
    let task = walk[cycle_start];
    ids.push(plan.tasks[task].id.value.clone());
    ScheduleError::Cycle {
        task,
        ids,
        pos: plan.tasks[task].id.pos,
    }
}
