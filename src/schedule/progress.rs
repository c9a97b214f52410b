//! Progress as of the status date: what is done keeps its actual dates,
//! what is under way keeps its actual start and finishes its remaining
//! work from the status date, and nothing unfinished starts before it.
//! Only used when the plan sets `project.status_date`.

use chrono::NaiveDate;

use super::Calendar;
use super::cpm::{Limits, day_of};
use crate::model::{Plan, Task, TaskStatus};

/// Start and finish keys that progress has fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fixed {
    pub start: i64,
    pub finish: i64,
}

pub(super) struct Progress {
    /// The first working day on or after the status date.
    pub floor: i64,
    /// Tasks whose dates progress fixes, by task index.
    pub fixed: Vec<Option<Fixed>>,
}

/// A task whose remaining work waits for the status date.
pub(super) fn is_unfinished(task: &Task) -> bool {
    task.status != TaskStatus::Done
}

fn is_under_way(task: &Task) -> bool {
    task.status != TaskStatus::Done
        && !task.is_milestone()
        && (task.status == TaskStatus::Doing || task.progress > 0)
}

/// `planned` holds the start and finish keys of the plan scheduled without
/// progress: the dates a task kept when the time log says nothing.
/// `project_start` is the working day the project starts on: work logged
/// before it (an error `check` reports) counts from that day, so the time
/// log never moves the project's start.
pub(super) fn progress(
    plan: &Plan,
    calendar: &Calendar,
    status_date: NaiveDate,
    planned: &(Vec<i64>, Vec<i64>),
    limits: &Limits,
    project_start: i64,
) -> Progress {
    let floor = calendar.index_of(status_date);
    let logged = logged_days(plan, calendar, project_start);
    let (planned_start, planned_finish) = planned;
    let fixed = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(index, task)| {
            if task.status == TaskStatus::Done {
                Some(match logged[index] {
                    Some((_, last)) if task.is_milestone() => {
                        let key = 2 * last + 1;
                        Fixed {
                            start: key,
                            finish: key,
                        }
                    }
                    Some((first, last)) => Fixed {
                        start: 2 * first,
                        finish: 2 * last.max(first) + 1,
                    },
                    None => Fixed {
                        start: planned_start[index],
                        finish: planned_finish[index],
                    },
                })
            } else if is_under_way(task) {
                let start_day = match logged[index] {
                    Some((first, _)) => first,
                    None => day_of(planned_start[index]),
                };
                let days = limits.clamp(task.working_days()).max(1);
                let remaining = (days * (100 - i64::from(task.progress.min(100))) + 99) / 100;
                let finish_day = if remaining > 0 {
                    floor.max(start_day) + remaining - 1
                } else {
                    (floor - 1).max(start_day)
                };
                Some(Fixed {
                    start: 2 * start_day,
                    finish: 2 * finish_day + 1,
                })
            } else {
                None
            }
        })
        .collect();
    Progress { floor, fixed }
}

/// For each task, the first and last working day with logged hours: the
/// first day moved forward and the last moved back to a working day, and
/// neither before `project_start`.
fn logged_days(plan: &Plan, calendar: &Calendar, project_start: i64) -> Vec<Option<(i64, i64)>> {
    let mut dates: Vec<Option<(NaiveDate, NaiveDate)>> = vec![None; plan.tasks.len()];
    for entry in &plan.log {
        let Some(slot) = entry.task.index.and_then(|index| dates.get_mut(index)) else {
            continue;
        };
        *slot = Some(match *slot {
            None => (entry.date, entry.date),
            Some((first, last)) => (first.min(entry.date), last.max(entry.date)),
        });
    }
    dates
        .into_iter()
        .map(|range| {
            range.map(|(first, last)| {
                let first_day = calendar.index_of(first).max(project_start);
                let last_day = calendar.index_of(last) - i64::from(!calendar.is_working_day(last));
                (first_day, last_day.max(first_day))
            })
        })
        .collect()
}
