//! The planned-value curve: how the budget is planned to be earned, working
//! day by working day, and the earned schedule read off it.
//!
//! Time is counted in working days from the curve's origin (the earliest
//! planned start): `k` working days have elapsed at the end of the k-th
//! working day. A task with budget B planned over n working days earns
//! B / n at the end of each of them; a milestone earns its whole budget on
//! its date. Between whole working days the curve is a straight line, so it
//! is piecewise linear with corners on whole days, and can be walked corner
//! by corner whatever the length of the tasks.

use chrono::NaiveDate;

use crate::model::Plan;
use crate::schedule::{Calendar, Schedule};

/// When a task's budget is planned to be earned, in working days from the origin.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Evenly over `days` working days, the first of them `first` working
    /// days after the origin.
    Spread { first: i64, days: i64 },
    /// All at once, by the end of `by` working days from the origin.
    Point { by: i64 },
}

#[derive(Debug, Clone, Copy)]
struct Planned {
    budget: f64,
    shape: Shape,
}

/// The planned-value curve of a plan, measured at a status date.
#[derive(Debug, Clone)]
pub(super) struct Timeline {
    pub origin: NaiveDate,
    pub planned_finish: NaiveDate,
    /// Working days from the origin through the planned finish.
    pub planned_duration: i64,
    /// Working days from the origin through the status date (AT).
    pub elapsed_days: i64,
    /// Planned value at the status date.
    pub planned_value: f64,
    tasks: Vec<Planned>,
}

/// The number of working days `d` with `from <= d <= through`, 0 when none.
#[cfg(test)]
pub(super) fn working_days_through(
    calendar: &Calendar,
    from: NaiveDate,
    through: NaiveDate,
) -> i64 {
    let through_index = calendar.index_of(through) + i64::from(calendar.is_working_day(through));
    (through_index - calendar.index_of(from)).max(0)
}

impl Timeline {
    /// A timeline without a calendar: nothing planned, nothing elapsed.
    pub fn empty(schedule: &Schedule) -> Timeline {
        Timeline {
            origin: schedule.start,
            planned_finish: schedule.finish,
            planned_duration: 0,
            elapsed_days: 0,
            planned_value: 0.0,
            tasks: Vec::new(),
        }
    }

    pub fn new(
        calendar: &Calendar,
        plan: &Plan,
        schedule: &Schedule,
        budgets: &[f64],
        status_date: NaiveDate,
    ) -> Timeline {
        // Each task's planned dates: its baseline, else its scheduled dates.
        let windows: Vec<(NaiveDate, NaiveDate, bool, f64)> = plan
            .tasks
            .iter()
            .zip(&schedule.tasks)
            .zip(budgets)
            .map(|((task, dates), &budget)| {
                let (start, finish) = match dates.baseline {
                    Some(baseline) => (baseline.start, baseline.finish),
                    None => (dates.start, dates.finish),
                };
                (start, finish, task.is_milestone(), budget)
            })
            .collect();
        let origin = windows
            .iter()
            .map(|&(start, finish, _, _)| start.min(finish))
            .min()
            .unwrap_or(schedule.start);
        let planned_finish = windows
            .iter()
            .map(|&(start, finish, _, _)| start.max(finish))
            .max()
            .unwrap_or(schedule.finish);
        // Working-day indices, two calendar look-ups per task: `begin` of a
        // date is the index of the first working day on or after it, `end`
        // one past the last working day on or before it, so a span of
        // dates holds `end(last) - begin(first)` working days.
        let end =
            |date: NaiveDate| calendar.index_of(date) + i64::from(calendar.is_working_day(date));
        let origin_index = calendar.index_of(origin);
        let status_end = end(status_date);
        let mut planned_value = 0.0;
        let tasks = windows
            .iter()
            .map(|&(start, finish, milestone, budget)| {
                let first = calendar.index_of(start);
                let past_last = end(finish);
                let days = (past_last - first).max(0);
                let shape = if milestone || days == 0 {
                    if finish <= status_date {
                        planned_value += budget;
                    }
                    Shape::Point {
                        by: past_last - origin_index,
                    }
                } else {
                    let elapsed = (status_end - first).clamp(0, days);
                    planned_value += budget * elapsed as f64 / days as f64;
                    Shape::Spread {
                        first: first - origin_index,
                        days,
                    }
                };
                Planned { budget, shape }
            })
            .collect();
        Timeline {
            origin,
            planned_finish,
            planned_duration: (end(planned_finish) - origin_index).max(0),
            elapsed_days: (status_end - origin_index).max(0),
            planned_value,
            tasks,
        }
    }

    /// The planned value after `k` whole working days from the origin.
    #[cfg(test)]
    pub fn planned_value_after(&self, k: i64) -> f64 {
        self.tasks
            .iter()
            .map(|planned| match planned.shape {
                Shape::Spread { first, days } => {
                    planned.budget * (k - first).clamp(0, days) as f64 / days as f64
                }
                Shape::Point { by } if k >= by => planned.budget,
                Shape::Point { .. } => 0.0,
            })
            .sum()
    }

    /// Earned schedule: the time, in working days from the origin, at
    /// which the planned-value curve reaches `earned`. Where the curve is
    /// flat at that value (days with nothing planned), every time in the
    /// flat stretch reaches it, and the one nearest `actual` (the working
    /// days elapsed) is taken, so a project exactly on plan has SPI(t) = 1.
    /// `total` is the curve's final value (BAC).
    pub fn earned_schedule(&self, earned: f64, total: f64, actual: f64) -> f64 {
        // Rounding in the sums must not keep a finished project from
        // reaching the end of its own curve, nor make a flat stretch rise.
        let tolerance = total.abs() * 1e-9;
        let flat = total.abs() * 1e-12;
        let (at_origin, corners) = self.corners();
        let end = self.planned_duration as f64;

        // The first time the curve reaches `earned`.
        let mut first = None;
        let (mut time, mut value, mut slope) = (0_i64, at_origin, 0.0_f64);
        if at_origin + tolerance >= earned {
            first = Some(0.0);
        }
        for &(day, change) in corners.iter().filter(|_| first.is_none()) {
            if day > time {
                let length = (day - time) as f64;
                let value_at_day = value + slope * length;
                if slope > flat && value_at_day + tolerance >= earned {
                    let within = ((earned - value) / slope).clamp(0.0, length);
                    first = Some(time as f64 + within);
                    break;
                }
                value = value_at_day;
                time = day;
            }
            slope += change;
        }
        let Some(first) = first else {
            // Never reached: everything planned has been earned.
            return time as f64;
        };

        // The last time the curve is still at `earned`: where it next rises.
        let (mut time, mut value, mut slope) = (0_i64, at_origin, 0.0_f64);
        let mut last = end.max(first);
        for &(day, change) in &corners {
            if day > time {
                let length = (day - time) as f64;
                if slope > flat && value + slope * length > earned + tolerance {
                    let within = ((earned - value) / slope).clamp(0.0, length);
                    last = time as f64 + within;
                    break;
                }
                value += slope * length;
                time = day;
            }
            slope += change;
        }
        actual.clamp(first, last.max(first))
    }

    /// The curve's value at the origin, and its corners: (working day,
    /// change of slope) in time order.
    fn corners(&self) -> (f64, Vec<(i64, f64)>) {
        let mut at_origin = 0.0;
        let mut corners: Vec<(i64, f64)> = Vec::with_capacity(self.tasks.len() * 2);
        for planned in self.tasks.iter().filter(|planned| planned.budget > 0.0) {
            match planned.shape {
                Shape::Spread { first, days } => {
                    let per_day = planned.budget / days as f64;
                    corners.push((first, per_day));
                    corners.push((first + days, -per_day));
                }
                Shape::Point { by } if by <= 0 => at_origin += planned.budget,
                // Earned by the end of day `by`: a straight line over that day.
                Shape::Point { by } => {
                    corners.push((by - 1, planned.budget));
                    corners.push((by, -planned.budget));
                }
            }
        }
        corners.sort_unstable_by_key(|&(day, _)| day);
        (at_origin, corners)
    }

    /// The working day on which `days` working days from the origin end
    /// (a part of a day counts as the whole day); `None` past the calendar's end.
    pub fn date_after(&self, calendar: &Calendar, days: f64) -> Option<NaiveDate> {
        let whole = days.ceil().max(1.0);
        // Far beyond any representable date: no need to convert.
        if !(whole.is_finite() && whole < 1.0e12) {
            return None;
        }
        let index = calendar
            .index_of(self.origin)
            .checked_add(whole as i64 - 1)?;
        calendar.date_of(index).ok()
    }
}
