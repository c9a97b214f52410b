//! Each person's hours per week against their capacity.
//!
//! A task's effort (its `estimate`, or when it has none the owner's whole
//! capacity for every day of it) is spread evenly over its working days
//! and booked to its owner. A week's capacity is the owner's capacity
//! times `calendar.hours_per_day` times the working days of that week.
//! Consecutive weeks with the same figures are kept as one run, so a task
//! of two million days costs as much as one of two days.

use chrono::NaiveDate;

use super::{Calendar, Schedule};
use crate::model::Plan;

/// Weekly load for every person, in the order of `plan.people`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Load {
    pub people: Vec<PersonLoad>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonLoad {
    /// The person's index in `plan.people`.
    pub person: usize,
    /// Runs of weeks in which the person has work, in time order.
    pub weeks: Vec<WeekLoad>,
}

/// One week, or a run of consecutive weeks with the same figures.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekLoad {
    /// The Monday of the (first) week.
    pub week: NaiveDate,
    /// How many consecutive weeks this entry stands for, at least 1.
    pub weeks: i64,
    /// Hours of work booked in each of these weeks.
    pub hours: f64,
    /// Hours the person can give in each of these weeks.
    pub capacity: f64,
    /// Indices of the tasks that book the hours.
    pub tasks: Vec<usize>,
}

impl WeekLoad {
    pub fn is_overallocated(&self) -> bool {
        self.hours > self.capacity + 1e-6
    }
}

impl Load {
    /// Every over-allocated run of weeks, with the index of its person.
    pub fn overallocated(&self) -> impl Iterator<Item = (usize, &WeekLoad)> + '_ {
        self.people.iter().flat_map(|person| {
            person
                .weeks
                .iter()
                .filter(|week| week.is_overallocated())
                .map(move |week| (person.person, week))
        })
    }
}

/// Books every owned task's effort to its owner, week by week.
pub fn load(plan: &Plan, schedule: &Schedule) -> Load {
    let Ok(calendar) = Calendar::new(&plan.calendar) else {
        return Load::default();
    };
    let hours_per_day = finite_or_zero(plan.calendar.hours_per_day);
    let daily_capacity: Vec<f64> = plan
        .people
        .iter()
        .map(|person| finite_or_zero(person.capacity) * hours_per_day)
        .collect();
    // One pass over the tasks in file order gathers what the sweep needs.
    let mut events: Vec<Event> = Vec::new();
    for (index, (task, dates)) in plan.tasks.iter().zip(&schedule.tasks).enumerate() {
        let Some(person) = task
            .owner
            .as_ref()
            .and_then(|owner| owner.index)
            .filter(|&person| person < plan.people.len() && !task.is_milestone())
        else {
            continue;
        };
        let first = calendar.index_of(dates.start);
        let last = calendar.index_of(dates.finish);
        if last < first {
            continue;
        }
        let daily_hours = match task.estimate {
            Some(estimate) => finite_or_zero(estimate) / (last - first + 1) as f64,
            None => daily_capacity[person],
        };
        for (day, starts) in [(first, true), (last + 1, false)] {
            events.push(Event {
                person,
                day,
                starts,
                task: index,
                daily_hours,
            });
        }
    }
    events.sort_unstable_by_key(|event| (event.person, event.day, event.starts, event.task));
    let mut people: Vec<PersonLoad> = (0..plan.people.len())
        .map(|person| PersonLoad {
            person,
            weeks: Vec::new(),
        })
        .collect();
    // The tasks under way, by task index, with their hours a day.
    let mut active: Vec<(usize, f64)> = Vec::new();
    let mut tasks: Vec<usize> = Vec::new();
    for group in events.chunk_by(|a, b| a.person == b.person) {
        let person = group[0].person;
        let mut weeks = WeekBuilder::new(&calendar, daily_capacity[person]);
        active.clear();
        let mut previous = None;
        for event in group {
            if let Some(from) = previous.filter(|&from| from < event.day && !active.is_empty()) {
                tasks.clear();
                tasks.extend(active.iter().map(|&(task, _)| task));
                let daily: f64 = active.iter().map(|&(_, hours)| hours).sum();
                weeks.book(from, event.day, daily, &tasks);
            }
            match active.binary_search_by_key(&event.task, |&(task, _)| task) {
                Err(at) if event.starts => active.insert(at, (event.task, event.daily_hours)),
                Ok(at) if !event.starts => {
                    active.remove(at);
                }
                _ => {}
            }
            previous = Some(event.day);
        }
        people[person].weeks = weeks.finish();
    }
    Load { people }
}

/// A task's work beginning (on `day`) or ending (the day before `day`).
struct Event {
    person: usize,
    day: i64,
    starts: bool,
    task: usize,
    daily_hours: f64,
}

fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    }
}

/// A run of weeks under construction, weeks counted from the epoch's Monday.
struct Run {
    week: i64,
    weeks: i64,
    hours: f64,
    capacity: f64,
    tasks: Vec<usize>,
}

struct WeekBuilder<'a> {
    calendar: &'a Calendar,
    daily_capacity: f64,
    runs: Vec<Run>,
}

impl<'a> WeekBuilder<'a> {
    fn new(calendar: &'a Calendar, daily_capacity: f64) -> Self {
        WeekBuilder {
            calendar,
            daily_capacity,
            runs: Vec::new(),
        }
    }

    /// Books `daily` hours on each working day with an index in `from..to`.
    fn book(&mut self, from: i64, to: i64, daily: f64, tasks: &[usize]) {
        let first_week = self.calendar.day_number_of_index(from).div_euclid(7);
        let last_week = self.calendar.day_number_of_index(to - 1).div_euclid(7);
        let index_at_week = |week: i64| self.calendar.index_of_day_number(week * 7);
        if first_week == last_week {
            self.add_weeks(first_week, 1, daily * (to - from) as f64, tasks);
            return;
        }
        self.add_weeks(
            first_week,
            1,
            daily * (index_at_week(first_week + 1) - from) as f64,
            tasks,
        );
        let mut week = first_week + 1;
        let holidays = self
            .calendar
            .holidays_in_day_range(week * 7, last_week * 7)
            .to_vec();
        for holiday in holidays {
            let holiday_week = holiday.div_euclid(7);
            if holiday_week < week {
                continue;
            }
            if holiday_week > week {
                let full = self.calendar.workdays_per_week();
                self.add_weeks(week, holiday_week - week, daily * full as f64, tasks);
            }
            let days = self
                .calendar
                .working_days_in_day_range(holiday_week * 7, holiday_week * 7 + 7);
            self.add_weeks(holiday_week, 1, daily * days as f64, tasks);
            week = holiday_week + 1;
        }
        if last_week > week {
            let full = self.calendar.workdays_per_week();
            self.add_weeks(week, last_week - week, daily * full as f64, tasks);
        }
        self.add_weeks(
            last_week,
            1,
            daily * (to - index_at_week(last_week)) as f64,
            tasks,
        );
    }

    /// Adds hours to `weeks` consecutive weeks from `week` on; only the last
    /// week booked so far can receive more.
    fn add_weeks(&mut self, week: i64, weeks: i64, hours: f64, tasks: &[usize]) {
        if let Some(last) = self
            .runs
            .last_mut()
            .filter(|last| last.week + last.weeks - 1 == week)
        {
            if last.weeks > 1 {
                last.weeks -= 1;
                let split = Run {
                    week,
                    weeks: 1,
                    hours: last.hours,
                    capacity: last.capacity,
                    tasks: last.tasks.clone(),
                };
                self.runs.push(split);
            }
            if let Some(last) = self.runs.last_mut() {
                last.hours += hours;
                for &task in tasks {
                    if let Err(at) = last.tasks.binary_search(&task) {
                        last.tasks.insert(at, task);
                    }
                }
            }
            if weeks > 1 {
                self.add_weeks(week + 1, weeks - 1, hours, tasks);
            }
            return;
        }
        let working_days = if weeks == 1 {
            self.calendar
                .working_days_in_day_range(week * 7, week * 7 + 7)
        } else {
            self.calendar.workdays_per_week()
        };
        self.runs.push(Run {
            week,
            weeks,
            hours,
            capacity: self.daily_capacity * working_days as f64,
            tasks: tasks.to_vec(),
        });
    }

    fn finish(self) -> Vec<WeekLoad> {
        let mut merged: Vec<Run> = Vec::with_capacity(self.runs.len());
        for run in self.runs {
            if let Some(last) = merged.last_mut()
                && last.week + last.weeks == run.week
                && last.hours == run.hours
                && last.capacity == run.capacity
                && last.tasks == run.tasks
            {
                last.weeks += run.weeks;
                continue;
            }
            merged.push(run);
        }
        merged
            .into_iter()
            .filter_map(|run| {
                let monday =
                    NaiveDate::from_num_days_from_ce_opt(i32::try_from(run.week * 7 + 1).ok()?)?;
                Some(WeekLoad {
                    week: monday,
                    weeks: run.weeks,
                    hours: run.hours,
                    capacity: run.capacity,
                    tasks: run.tasks,
                })
            })
            .collect()
    }
}
