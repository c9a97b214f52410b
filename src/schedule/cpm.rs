//! The critical path method over keys (see the `schedule` module).
//!
//! A key is `2 * day` for the beginning of working day `day` and
//! `2 * day + 1` for its end. A task of `d` days starting on day `s` has the
//! start key `2s` and the finish key `2(s + d) - 1`; a milestone has one key
//! for both. For slack, only the *position* of a key on the working-time
//! line matters: the end of a day and the beginning of the next are the
//! same position, `ceil(key / 2)`.
//!
//! The passes read a [`Network`]: the few numbers of each task and its
//! links, gathered in one sweep over the plan into flat arrays, so the
//! passes themselves touch little memory.

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
    /// A converter from working days to dates for this schedule.
    pub fn day_dates<'a>(&self, calendar: &'a Calendar) -> DayDates<'a> {
        let first = self.start.iter().map(|&key| day_of(key)).min().unwrap_or(0);
        let last = self
            .finish
            .iter()
            .map(|&key| position(key))
            .max()
            .unwrap_or(0);
        DayDates::new(calendar, first, last, 4 * self.start.len() + 1024)
    }

    pub fn dates(&self, day_dates: &DayDates<'_>, task: usize) -> Result<TaskDates, ScheduleError> {
        let start = self.start[task];
        let finish = self.finish[task];
        let out_of_range = |_| ScheduleError::OutOfRange {
            task: Some(task),
            message: format!(
                "the schedule reaches past {}, the last date a plan can hold",
                super::calendar::LAST_DATE
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
            start: day_dates.date(day_of(start)).map_err(out_of_range)?,
            finish: day_dates.date(day_of(finish)).map_err(out_of_range)?,
            late_start: day_dates.date(late_start_day).map_err(out_of_range)?,
            late_finish: day_dates.date(late_finish_day).map_err(out_of_range)?,
        })
    }

    /// Whether the task finishes at the end of its finish day rather than
    /// at its beginning (only a milestone can do that).
    pub fn finishes_at_day_end(&self, task: usize) -> bool {
        self.finish[task] & 1 == 1
    }

    pub fn total_slack(&self, task: usize) -> i64 {
        (self.late_start[task] - position(self.start[task])).max(0)
    }

    pub fn free_slack(&self, task: usize) -> i64 {
        self.free_slack[task].clamp(0, self.total_slack(task))
    }
}

/// The dates of working days: looked up in a table of the schedule's days
/// when they are not too many, else computed by the calendar.
pub(super) struct DayDates<'a> {
    calendar: &'a Calendar,
    first: i64,
    table: Vec<NaiveDate>,
}

impl<'a> DayDates<'a> {
    fn new(calendar: &'a Calendar, first: i64, last: i64, most: usize) -> Self {
        let mut table = Vec::new();
        let wanted = usize::try_from(last - first + 1).unwrap_or(0);
        if wanted <= most {
            table.reserve(wanted);
            let mut date = calendar.date_of(first).ok();
            while let Some(day) = date.filter(|_| table.len() < wanted) {
                table.push(day);
                date = day.succ_opt();
                while let Some(next) = date.filter(|&next| !calendar.is_working_day(next)) {
                    date = next.succ_opt();
                }
            }
        }
        DayDates {
            calendar,
            first,
            table,
        }
    }

    pub fn date(&self, day: i64) -> Result<NaiveDate, super::CalendarError> {
        match usize::try_from(day - self.first)
            .ok()
            .and_then(|offset| self.table.get(offset))
        {
            Some(&date) => Ok(date),
            None => self.calendar.date_of(day),
        }
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
    /// The link at this position in the task's `depends`.
    Dependency(u32),
}

/// One resolved link to a predecessor.
#[derive(Clone, Copy)]
struct Link {
    predecessor: u32,
    kind: DependencyKind,
    /// Clamped to the calendar's span, so sums cannot overflow.
    lag: i64,
    /// Where the link is in the task's `depends`, to point at it.
    source: u32,
}

/// The plan reduced to what the passes need, in flat arrays by task index.
pub(super) struct Network {
    /// Working days of each task, clamped; 0 for a milestone.
    days: Vec<i64>,
    /// The start key a "no earlier than" date allows, or `i64::MIN`.
    not_before: Vec<i64>,
    /// Whether unfinished work waits for the status date.
    unfinished: Vec<bool>,
    /// `links[link_offsets[t]..link_offsets[t + 1]]` are task t's links.
    link_offsets: Vec<u32>,
    links: Vec<Link>,
}

impl Network {
    fn new(plan: &Plan, calendar: &Calendar, limits: &Limits) -> Network {
        let count = plan.tasks.len();
        let mut network = Network {
            days: Vec::with_capacity(count),
            not_before: Vec::with_capacity(count),
            unfinished: Vec::with_capacity(count),
            link_offsets: Vec::with_capacity(count + 1),
            links: Vec::with_capacity(count * 2),
        };
        network.link_offsets.push(0);
        for task in &plan.tasks {
            network.days.push(limits.clamp(task.working_days()).max(0));
            network.not_before.push(
                task.start
                    .map_or(i64::MIN, |date| 2 * calendar.index_of(date)),
            );
            network.unfinished.push(progress::is_unfinished(task));
            for (source, dependency) in task.depends.iter().enumerate() {
                let Some(predecessor) = dependency.task.index.filter(|&other| other < count) else {
                    continue;
                };
                network.links.push(Link {
                    predecessor: predecessor as u32,
                    kind: dependency.kind,
                    lag: limits.clamp(dependency.lag),
                    source: source as u32,
                });
            }
            network.link_offsets.push(network.links.len() as u32);
        }
        network
    }

    fn len(&self) -> usize {
        self.days.len()
    }

    fn links(&self, task: usize) -> &[Link] {
        &self.links[self.link_offsets[task] as usize..self.link_offsets[task + 1] as usize]
    }
}

pub(super) fn compute(plan: &Plan, calendar: &Calendar) -> Result<Timing, ScheduleError> {
    let limits = Limits::new(calendar);
    let network = Network::new(plan, calendar, &limits);
    let order = topological_order(plan, &network)?;
    let project_start = calendar.index_of(plan.project.start);
    if project_start > limits.last_day {
        return Err(ScheduleError::OutOfRange {
            task: None,
            message: format!(
                "the project starts after the last working day a plan can hold ({})",
                super::calendar::LAST_DATE
            ),
            pos: plan.project.start_pos,
        });
    }
    let passes = Passes {
        plan,
        network: &network,
        order: &order,
        project_start,
        limits: &limits,
    };
    let planned = passes.forward(None)?;
    let ((start, finish), fixed) = match plan.project.status_date {
        None => (planned, vec![false; plan.tasks.len()]),
        Some(status_date) => {
            let progress = progress::progress(
                plan,
                calendar,
                status_date,
                &planned,
                &limits,
                project_start,
            );
            let fixed = progress.fixed.iter().map(Option::is_some).collect();
            (passes.forward(Some(&progress))?, fixed)
        }
    };
    let (late_start, late_finish) = passes.backward(&start, &finish, &fixed);
    let free_slack = passes.free_slack(&start, &finish, &fixed);
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

struct Passes<'a> {
    plan: &'a Plan,
    network: &'a Network,
    order: &'a [usize],
    project_start: i64,
    limits: &'a Limits,
}

impl Passes<'_> {
    /// Earliest start and finish keys, in topological order.
    fn forward(&self, progress: Option<&Progress>) -> Result<(Vec<i64>, Vec<i64>), ScheduleError> {
        let network = self.network;
        let count = network.len();
        let mut start = vec![0i64; count];
        let mut finish = vec![0i64; count];
        let floor = progress.map(|progress| 2 * progress.floor);
        for &index in self.order {
            if let Some(fixed) = progress.and_then(|progress| progress.fixed[index]) {
                start[index] = fixed.start;
                finish[index] = fixed.finish;
                if day_of(fixed.finish) > self.limits.last_day {
                    return Err(past_the_calendar(self.plan, index, None));
                }
                continue;
            }
            let days = network.days[index];
            let mut earliest = (2 * self.project_start, Cause::ProjectStart);
            if network.not_before[index] > earliest.0 {
                earliest = (network.not_before[index], Cause::StartDate);
            }
            if let Some(floor) =
                floor.filter(|&floor| floor > earliest.0 && network.unfinished[index])
            {
                earliest = (floor, Cause::StatusDate);
            }
            for link in network.links(index) {
                let predecessor = link.predecessor as usize;
                let key = match link.kind {
                    DependencyKind::FinishToStart => shift(finish[predecessor], link.lag),
                    DependencyKind::StartToStart => shift(start[predecessor], link.lag),
                    DependencyKind::FinishToFinish if days == 0 => {
                        shift(finish[predecessor], link.lag)
                    }
                    DependencyKind::FinishToFinish => {
                        2 * (position(shift(finish[predecessor], link.lag)) - days)
                    }
                };
                if key > earliest.0 {
                    earliest = (key, Cause::Dependency(link.source));
                }
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
            if day_of(start[index]) > self.limits.last_day {
                return Err(past_the_calendar(self.plan, index, Some(cause)));
            }
            if day_of(finish[index]) > self.limits.last_day {
                return Err(past_the_calendar(self.plan, index, None));
            }
        }
        Ok((start, finish))
    }

    /// Latest start and finish positions that keep the project finish.
    fn backward(&self, start: &[i64], finish: &[i64], fixed: &[bool]) -> (Vec<i64>, Vec<i64>) {
        let count = self.network.len();
        let project_finish = finish.iter().map(|&key| position(key)).max().unwrap_or(0);
        let mut late_finish = vec![project_finish; count];
        let mut late_start = vec![i64::MAX; count];
        for &index in self.order.iter().rev() {
            let length = position(finish[index]) - position(start[index]);
            let latest = late_start[index].min(late_finish[index] - length);
            late_start[index] = latest;
            late_finish[index] = latest + length;
            // Work already under way or done no longer waits for its predecessors.
            if fixed[index] {
                continue;
            }
            for link in self.network.links(index) {
                let predecessor = link.predecessor as usize;
                match link.kind {
                    DependencyKind::FinishToStart => {
                        late_finish[predecessor] =
                            late_finish[predecessor].min(late_start[index] - link.lag);
                    }
                    DependencyKind::StartToStart => {
                        late_start[predecessor] =
                            late_start[predecessor].min(late_start[index] - link.lag);
                    }
                    DependencyKind::FinishToFinish => {
                        late_finish[predecessor] =
                            late_finish[predecessor].min(late_finish[index] - link.lag);
                    }
                }
            }
        }
        (late_start, late_finish)
    }

    /// How far each task can move before it moves a successor or the project finish.
    fn free_slack(&self, start: &[i64], finish: &[i64], fixed: &[bool]) -> Vec<i64> {
        let project_finish = finish.iter().map(|&key| position(key)).max().unwrap_or(0);
        let mut free: Vec<i64> = finish
            .iter()
            .map(|&key| project_finish - position(key))
            .collect();
        for index in 0..self.network.len() {
            if fixed[index] {
                continue;
            }
            for link in self.network.links(index) {
                let predecessor = link.predecessor as usize;
                let gap = match link.kind {
                    DependencyKind::FinishToStart => {
                        position(start[index]) - (position(finish[predecessor]) + link.lag)
                    }
                    DependencyKind::StartToStart => {
                        position(start[index]) - (position(start[predecessor]) + link.lag)
                    }
                    DependencyKind::FinishToFinish => {
                        position(finish[index]) - (position(finish[predecessor]) + link.lag)
                    }
                };
                free[predecessor] = free[predecessor].min(gap);
            }
        }
        free
    }
}

fn past_the_calendar(plan: &Plan, index: usize, cause: Option<Cause>) -> ScheduleError {
    let task = &plan.tasks[index];
    let id = crate::sanitize::quote(&task.id.value);
    let last = super::calendar::LAST_DATE;
    let (pos, message) = match cause {
        None => (
            task.duration.pos,
            format!("the duration of `{id}` takes it past {last}, the last date a plan can hold"),
        ),
        Some(Cause::Dependency(source)) => {
            let dependency = &task.depends[source as usize];
            (
                dependency.task.id.pos,
                format!(
                    "the dependency of `{id}` on `{}` pushes it past {last}, the last date a plan can hold",
                    crate::sanitize::quote(&dependency.task.id.value)
                ),
            )
        }
        Some(Cause::StartDate) => (
            task.start_pos,
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

/// Tasks ordered so each comes after everything it depends on; a cycle is an error.
fn topological_order(plan: &Plan, network: &Network) -> Result<Vec<usize>, ScheduleError> {
    let count = network.len();
    // Plans are mostly written in order; then the file order will do, and
    // the passes walk memory front to back.
    let in_file_order = (0..count).all(|index| {
        network
            .links(index)
            .iter()
            .all(|link| (link.predecessor as usize) < index)
    });
    if in_file_order {
        return Ok((0..count).collect());
    }
    let mut unmet = vec![0u32; count];
    let mut successor_offsets = vec![0u32; count + 1];
    for (index, waiting) in unmet.iter_mut().enumerate() {
        for link in network.links(index) {
            *waiting += 1;
            successor_offsets[link.predecessor as usize + 1] += 1;
        }
    }
    for index in 0..count {
        successor_offsets[index + 1] += successor_offsets[index];
    }
    let mut successors = vec![0u32; successor_offsets[count] as usize];
    let mut filled = successor_offsets.clone();
    for index in 0..count {
        for link in network.links(index) {
            let slot = &mut filled[link.predecessor as usize];
            successors[*slot as usize] = index as u32;
            *slot += 1;
        }
    }
    let mut order: Vec<usize> = Vec::with_capacity(count);
    order.extend((0..count).filter(|&index| unmet[index] == 0));
    let mut next = 0;
    while next < order.len() {
        let index = order[next];
        next += 1;
        for &successor in
            &successors[successor_offsets[index] as usize..successor_offsets[index + 1] as usize]
        {
            let successor = successor as usize;
            unmet[successor] -= 1;
            if unmet[successor] == 0 {
                order.push(successor);
            }
        }
    }
    if order.len() == count {
        return Ok(order);
    }
    Err(cycle_error(plan, network, &unmet))
}

/// Follows unscheduled predecessors from an unscheduled task until one repeats.
fn cycle_error(plan: &Plan, network: &Network, unmet: &[u32]) -> ScheduleError {
    let first = unmet.iter().position(|&left| left > 0).unwrap_or(0);
    let mut step_of = vec![usize::MAX; network.len()];
    let mut walk = Vec::new();
    let mut current = first;
    while step_of[current] == usize::MAX {
        step_of[current] = walk.len();
        walk.push(current);
        match network
            .links(current)
            .iter()
            .map(|link| link.predecessor as usize)
            .find(|&predecessor| unmet[predecessor] > 0)
        {
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
