//! The weekly check-in drafted from the plan, and the milestones ahead.

use chrono::{Days, NaiveDate};

use super::{CheckinDraft, is_finished, week_monday};
use crate::model::{Plan, RiskStatus, Task, TaskStatus};
use crate::schedule::{Schedule, TaskSchedule};

/// A risk whose trigger is this close to the week's end, or that was not
/// reviewed for this long, is due for review.
const REVIEW_DAYS: u64 = 7;

/// What to say of a week whose check-in is already in the plan: gantry
/// records a week once, and a recorded check-in is changed in the plan
/// file. `gantry checkin` says this, and so does the app.
pub fn recorded_checkin_advice(week: NaiveDate) -> String {
    format!(
        "the check-in for the week of {} is already recorded; a recorded check-in is changed in the plan file itself",
        week_monday(week)
    )
}

/// What a check-in for the week of `week` (any day of it) would say:
/// tasks finished that week, tasks starting or finishing the week after
/// and not done, blocked tasks, and risks due for review.
pub fn checkin_draft(plan: &Plan, schedule: &Schedule, week: NaiveDate) -> CheckinDraft {
    let monday = week_monday(week);
    let sunday = monday.checked_add_days(Days::new(6)).unwrap_or(monday);
    let next_monday = monday.checked_add_days(Days::new(7)).unwrap_or(sunday);
    let next_sunday = monday.checked_add_days(Days::new(13)).unwrap_or(sunday);
    let in_week = |date: NaiveDate| monday <= date && date <= sunday;
    let in_next_week = |date: NaiveDate| next_monday <= date && date <= next_sunday;

    let dated: Vec<(usize, &Task, &TaskSchedule)> = plan
        .tasks
        .iter()
        .zip(&schedule.tasks)
        .enumerate()
        .map(|(index, (task, dates))| (index, task, dates))
        .collect();
    let mut done: Vec<(NaiveDate, usize)> = dated
        .iter()
        .filter(|(_, task, dates)| in_week(dates.finish) && is_finished(task))
        .map(|(index, _, dates)| (dates.finish, *index))
        .collect();
    done.sort_unstable();
    let mut next: Vec<(NaiveDate, usize)> = dated
        .iter()
        .filter(|(_, task, dates)| {
            (in_next_week(dates.start) || in_next_week(dates.finish)) && !is_finished(task)
        })
        .map(|(index, _, dates)| (dates.start, *index))
        .collect();
    next.sort_unstable();
    let blocked = plan
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, task)| task.status == TaskStatus::Blocked)
        .map(|(index, _)| index)
        .collect();

    let trigger_horizon = sunday
        .checked_add_days(Days::new(REVIEW_DAYS))
        .unwrap_or(sunday);
    let review_horizon = sunday
        .checked_sub_days(Days::new(REVIEW_DAYS))
        .unwrap_or(sunday);
    let mut risks_due: Vec<usize> = plan
        .risks
        .iter()
        .enumerate()
        .filter(|(_, risk)| matches!(risk.status, RiskStatus::Open | RiskStatus::Mitigated))
        .filter(|(_, risk)| {
            let trigger_near = risk
                .trigger
                .is_some_and(|trigger| trigger <= trigger_horizon);
            let review_old = risk
                .reviewed
                .is_none_or(|reviewed| reviewed < review_horizon);
            trigger_near || review_old
        })
        .map(|(index, _)| index)
        .collect();
    risks_due.sort_by_key(|&index| (std::cmp::Reverse(plan.risks[index].score()), index));

    CheckinDraft {
        week: monday,
        done: done.into_iter().map(|(_, index)| index).collect(),
        next: next.into_iter().map(|(_, index)| index).collect(),
        blocked,
        risks_due,
    }
}

/// The milestones dated from `from` to `days` days later (both included),
/// by date.
pub fn upcoming_milestones(
    plan: &Plan,
    schedule: &Schedule,
    from: NaiveDate,
    days: i64,
) -> Vec<usize> {
    let Ok(days) = u64::try_from(days) else {
        return Vec::new();
    };
    let until = from
        .checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX);
    let mut milestones: Vec<(NaiveDate, usize)> = plan
        .tasks
        .iter()
        .zip(&schedule.tasks)
        .enumerate()
        .filter(|(_, (task, dates))| {
            (dates.milestone || task.is_milestone())
                && from <= dates.finish
                && dates.finish <= until
        })
        .map(|(index, (_, dates))| (dates.finish, index))
        .collect();
    milestones.sort_unstable();
    milestones.into_iter().map(|(_, index)| index).collect()
}
