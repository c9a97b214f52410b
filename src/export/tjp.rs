//! The plan as a TaskJuggler 3 project (`.tjp`), which `tj3` schedules to
//! the dates gantry computes.
//!
//! Working days become working hours 9:00–17:00 on the plan's workdays, so
//! one working day is eight working hours; holidays become project-wide
//! leaves; phases become container tasks holding their tasks; a task
//! becomes `length Nd`, a milestone `milestone`. People become resources
//! with a daily rate (`rate × hours_per_day`) and, below full time, a daily
//! limit; a task's owner becomes an allocation. Allocations never move a
//! `length` task in TaskJuggler (its length counts the project's working
//! time, not the resource's), so the dates stay gantry's; an owner booked
//! twice at once is what TaskJuggler warns about. Links become `depends`
//! with `gaplength` for lags and `onstart` for start-to-start. What
//! TaskJuggler cannot say directly is rewritten into an equivalent it can:
//!
//! - `start = D` ("no earlier than") becomes a dependency on a hidden
//!   milestone fixed at D, because TaskJuggler refuses a task with both a
//!   fixed start and dependencies that may push it later.
//! - finish-to-finish on a task of `d` days becomes finish-to-start with
//!   gap `lag - d`, or start-to-start with gap `lag - d + predecessor's
//!   length` when the first would be negative.
//! - a negative finish-to-start lag becomes start-to-start with gap
//!   `predecessor's length + lag`.
//! - with a status date, work that is done or under way is fixed at the
//!   dates gantry gives it (its links in are met and written as comments),
//!   and everything else depends on a hidden milestone at the status date.
//!
//! A link that still needs a negative gap has no TaskJuggler equivalent; it
//! is written as a comment. `docs/export.md` lists what maps to what.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{NaiveDate, Weekday};

use crate::model::{DependencyKind, Plan, Task, TaskStatus};
use crate::schedule::{Calendar, Schedule};

/// TaskJuggler's working hours in one working day.
const HOURS_PER_DAY: f64 = 8.0;

/// The id of each task in the `.tjp` as TaskJuggler reports it, in the
/// order of `plan.tasks`: the plan id with every character TaskJuggler
/// does not allow in an id replaced by `_`, prefixed with `t_`, made
/// unique, and inside its phase's container (`p_build.t_api`).
pub fn task_ids(plan: &Plan) -> Vec<String> {
    let phases = phase_ids(plan);
    local_task_ids(plan)
        .into_iter()
        .zip(&plan.tasks)
        .map(|(id, task)| match phase_of(plan, task) {
            Some(phase) => format!("{}.{id}", phases[phase]),
            None => id,
        })
        .collect()
}

/// The plan as TaskJuggler 3 source, scheduled as `schedule` says. Add a
/// report to see dates, e.g.
/// `taskreport "dates" { formats csv columns id, start, end }`.
pub fn to_tjp(plan: &Plan, schedule: &Schedule) -> String {
    Writer::new(plan, schedule).write()
}

/// `prefix` + `id` with every character TaskJuggler does not allow in an
/// id replaced by `_`, made unique among `taken`.
fn unique_id(prefix: &str, id: &str, index: usize, taken: &mut HashSet<String>) -> String {
    let base: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut id = format!("{prefix}{base}");
    if !taken.insert(id.clone()) {
        id = format!("{prefix}{base}_{index}");
        while !taken.insert(id.clone()) {
            id.push('_');
        }
    }
    id
}

fn local_task_ids(plan: &Plan) -> Vec<String> {
    let mut taken = HashSet::new();
    plan.tasks
        .iter()
        .enumerate()
        .map(|(index, task)| unique_id("t_", &task.id.value, index, &mut taken))
        .collect()
}

fn phase_ids(plan: &Plan) -> Vec<String> {
    let mut taken = HashSet::new();
    plan.phases
        .iter()
        .enumerate()
        .map(|(index, phase)| unique_id("p_", &phase.id.value, index, &mut taken))
        .collect()
}

fn resource_ids(plan: &Plan) -> Vec<String> {
    let mut taken = HashSet::new();
    plan.people
        .iter()
        .enumerate()
        .map(|(index, person)| unique_id("r_", &person.id.value, index, &mut taken))
        .collect()
}

fn phase_of(plan: &Plan, task: &Task) -> Option<usize> {
    task.phase
        .as_ref()
        .and_then(|phase| phase.index)
        .filter(|&index| index < plan.phases.len())
}

/// Whether the status date fixes the task's dates: done, or under way
/// (`docs/scheduling.md`, Progress).
fn fixed_by_progress(plan: &Plan, task: &Task) -> bool {
    plan.project.status_date.is_some()
        && (task.status == TaskStatus::Done
            || (!task.is_milestone() && (task.status == TaskStatus::Doing || task.progress > 0)))
}

struct Writer<'a> {
    plan: &'a Plan,
    schedule: &'a Schedule,
    calendar: Option<Calendar>,
    out: String,
    /// The `.tjp` id of each task as TaskJuggler reports it.
    ids: Vec<String>,
    resources: Vec<String>,
    /// Each task's length in TaskJuggler: its working days, or for work
    /// fixed by progress the working days its dates span.
    lengths: Vec<i64>,
    /// The project start TaskJuggler is given.
    start: NaiveDate,
    end: NaiveDate,
    /// A hidden milestone that keeps work from starting before the plan's
    /// start, when the project reaches back before it (actual dates).
    project_anchor: Option<NaiveDate>,
    /// A hidden milestone at the first working day of the status date.
    status_anchor: Option<NaiveDate>,
}

impl<'a> Writer<'a> {
    fn new(plan: &'a Plan, schedule: &'a Schedule) -> Self {
        let calendar = Calendar::new(&plan.calendar).ok();
        let on_or_after = |date: NaiveDate| {
            calendar
                .as_ref()
                .and_then(|calendar| calendar.next_working_day_on_or_after(date).ok())
                .unwrap_or(date)
        };
        // TaskJuggler places a milestone without dependencies at the very
        // project start, even on a day off; gantry puts it on the first
        // working day, and done work may have started earlier.
        let planned_start = on_or_after(plan.project.start);
        let start = planned_start.min(schedule.start);
        let end = project_end(schedule.finish, start);
        let project_anchor = (start < planned_start).then_some(planned_start);
        let status_anchor = plan
            .project
            .status_date
            .map(on_or_after)
            .filter(|&date| date > start && date < end);
        let lengths = plan
            .tasks
            .iter()
            .zip(&schedule.tasks)
            .map(|(task, dates)| match &calendar {
                Some(calendar) if fixed_by_progress(plan, task) && !task.is_milestone() => {
                    (calendar.working_days_between(dates.start, dates.finish) + 1).max(1)
                }
                _ => task.working_days().max(0),
            })
            .collect();
        Writer {
            plan,
            schedule,
            lengths,
            calendar,
            out: String::new(),
            ids: task_ids(plan),
            resources: resource_ids(plan),
            start,
            end,
            project_anchor,
            status_anchor,
        }
    }

    fn write(mut self) -> String {
        self.header();
        self.resources();
        self.anchors();
        let phases = phase_ids(self.plan);
        let mut in_phase: Vec<Vec<usize>> = vec![Vec::new(); self.plan.phases.len()];
        for (index, task) in self.plan.tasks.iter().enumerate() {
            match phase_of(self.plan, task) {
                Some(phase) => in_phase[phase].push(index),
                None => {
                    let _ = writeln!(self.out);
                    self.task(index, "", true);
                }
            }
        }
        for (phase, tasks) in in_phase.iter().enumerate() {
            let _ = writeln!(self.out);
            let name = quote(&self.plan.phases[phase].name);
            if tasks.is_empty() {
                // TaskJuggler refuses a container without tasks.
                let _ = writeln!(
                    self.out,
                    "# phase {} \"{name}\" has no tasks",
                    phases[phase]
                );
                continue;
            }
            let _ = writeln!(self.out, "task {} \"{name}\" {{", phases[phase]);
            let _ = writeln!(self.out, "  chargeset cost");
            for (position, &index) in tasks.iter().enumerate() {
                if position > 0 {
                    let _ = writeln!(self.out);
                }
                self.task(index, "  ", false);
            }
            let _ = writeln!(self.out, "}}");
        }
        self.out
    }

    fn header(&mut self) {
        let plan = self.plan;
        let out = &mut self.out;
        let _ = writeln!(
            out,
            "# Exported from a gantry plan. Dates are computed by TaskJuggler."
        );
        let _ = writeln!(
            out,
            "project gantry \"{}\" {} - {} {{",
            quote(&plan.project.name),
            self.start,
            self.end
        );
        let _ = writeln!(out, "  timezone \"UTC\"");
        let _ = writeln!(out, "  timingresolution 60min");
        let _ = writeln!(out, "  dailyworkinghours {HOURS_PER_DAY}");
        if let Some(currency) = &plan.project.currency {
            let _ = writeln!(out, "  currency \"{}\"", quote(currency));
        }
        // TaskJuggler refuses a `now` outside the project.
        if let Some(date) = plan
            .project
            .status_date
            .filter(|&date| date >= self.start && date < self.end)
        {
            let _ = writeln!(out, "  now {date}");
        }
        let (working, off): (Vec<Weekday>, Vec<Weekday>) = WEEK
            .iter()
            .partition(|day| plan.calendar.workdays.contains(day));
        if !working.is_empty() {
            let _ = writeln!(
                out,
                "  workinghours {} 9:00 - 17:00",
                weekday_list(&working)
            );
        }
        if !off.is_empty() {
            let _ = writeln!(out, "  workinghours {} off", weekday_list(&off));
        }
        if plan.people.iter().any(|person| person.role.is_some()) {
            let _ = writeln!(out, "  extend resource {{ text Role \"Role\" }}");
        }
        if plan.tasks.iter().any(|task| task.estimate.is_some()) {
            let _ = writeln!(
                out,
                "  extend task {{ number Estimate \"Estimate (hours)\" }}"
            );
        }
        let _ = writeln!(out, "}}");
        if let Some(budget) = plan.project.budget {
            let _ = writeln!(out, "# budget: {budget}");
        }
        let _ = writeln!(out);
        // Costs need an account to book on and a balance to report them.
        let _ = writeln!(out, "account cost \"Cost\"");
        let _ = writeln!(out, "account revenue \"Revenue\"");
        let _ = writeln!(out, "balance cost revenue");

        let mut holidays: Vec<NaiveDate> = plan
            .calendar
            .holidays
            .iter()
            .copied()
            .filter(|&day| day >= self.start && day < self.end)
            .collect();
        holidays.sort_unstable();
        holidays.dedup();
        if !holidays.is_empty() {
            let _ = writeln!(out);
        }
        for holiday in holidays {
            let _ = writeln!(out, "leaves holiday \"Holiday\" {holiday}");
        }
    }

    fn resources(&mut self) {
        let hours_per_day = self.plan.calendar.hours_per_day;
        for (index, person) in self.plan.people.iter().enumerate() {
            if index == 0 {
                let _ = writeln!(self.out);
            }
            let mut attributes = Vec::new();
            if let Some(rate) = person.rate {
                attributes.push(format!("rate {}", number(rate * hours_per_day)));
            }
            if person.capacity < 1.0 {
                let minutes = (person.capacity * HOURS_PER_DAY * 60.0).round().max(1.0);
                attributes.push(format!("limits {{ dailymax {minutes}min }}"));
            }
            if let Some(role) = &person.role {
                attributes.push(format!("Role \"{}\"", quote(role)));
            }
            let _ = write!(
                self.out,
                "resource {} \"{}\"",
                self.resources[index],
                quote(&person.name)
            );
            if attributes.is_empty() {
                let _ = writeln!(self.out);
            } else {
                let _ = writeln!(self.out, " {{\n  {}\n}}", attributes.join("\n  "));
            }
        }
    }

    fn anchors(&mut self) {
        let anchors = [
            (
                self.project_anchor,
                "gantry__project_start",
                "The plan's start",
            ),
            (
                self.status_anchor,
                "gantry__status_date",
                "The status date: unfinished work waits for it",
            ),
        ];
        for (date, id, name) in anchors {
            if let Some(date) = date {
                let _ = writeln!(
                    self.out,
                    "\ntask {id} \"{name}\" {{\n  milestone\n  start {date}\n}}"
                );
            }
        }
    }

    fn index_of(&self, date: NaiveDate) -> i64 {
        self.calendar
            .as_ref()
            .map_or(0, |calendar| calendar.index_of(date))
    }

    fn start_key(&self) -> i64 {
        2 * self.index_of(self.start)
    }

    fn end_index(&self) -> i64 {
        self.index_of(self.end)
    }

    /// The finish instant of a task as a key.
    fn finish_key(&self, task: usize) -> i64 {
        let dates = &self.schedule.tasks[task];
        2 * self.index_of(dates.finish) + i64::from(dates.finishes_at_day_end)
    }

    /// The start instant of a task as a key; a milestone's is its finish.
    fn start_key_of(&self, task: usize) -> i64 {
        if self.lengths[task] == 0 {
            self.finish_key(task)
        } else {
            2 * self.index_of(self.schedule.tasks[task].start)
        }
    }

    /// The earliest start key a link allows a successor of `days` working
    /// days, as the scheduler computes it (`docs/scheduling.md`).
    fn bound(&self, predecessor: usize, days: i64, kind: DependencyKind, lag: i64) -> Option<i64> {
        self.calendar.as_ref()?;
        Some(match kind {
            DependencyKind::FinishToStart => shift(self.finish_key(predecessor), lag),
            DependencyKind::StartToStart => shift(self.start_key_of(predecessor), lag),
            DependencyKind::FinishToFinish if days == 0 => shift(self.finish_key(predecessor), lag),
            DependencyKind::FinishToFinish => {
                2 * (position(shift(self.finish_key(predecessor), lag)) - days)
            }
        })
    }

    /// A key as a TaskJuggler time: the beginning of a working day is its
    /// date (work starts at 9:00), its end 17:00.
    fn instant(&self, key: i64) -> String {
        let date = self
            .calendar
            .as_ref()
            .and_then(|calendar| calendar.date_of(key.div_euclid(2)).ok())
            .unwrap_or(self.start);
        if key.rem_euclid(2) == 1 {
            format!("{date}-17:00")
        } else {
            date.to_string()
        }
    }

    /// One task, indented by `indent`; `top` tasks carry the account.
    fn task(&mut self, index: usize, indent: &str, top: bool) {
        let plan = self.plan;
        let task = &plan.tasks[index];
        let local = self.ids[index].rsplit('.').next().unwrap_or_default();
        let fixed = fixed_by_progress(plan, task);
        // The latest instant (a key, see `keys`) that a start date or a
        // link TaskJuggler cannot express exactly holds the task to.
        let mut held: Option<(i64, String)> = None;
        let mut hold = |key: i64, why: String| {
            if held.as_ref().is_none_or(|(latest, _)| key > *latest) {
                held = Some((key, why));
            }
        };
        if let (Some(date), Some(calendar), false) = (task.start, &self.calendar, fixed) {
            hold(
                2 * calendar.index_of(date),
                format!("starts no earlier than {date}"),
            );
        }
        let mut lines: Vec<String> = Vec::new();
        let days = self.lengths[index];
        let dates = &self.schedule.tasks[index];
        if fixed {
            if task.is_milestone() {
                lines.push("milestone".to_string());
                if dates.finishes_at_day_end {
                    lines.push(format!("start {}-17:00", dates.start));
                } else {
                    lines.push(format!("start {}", dates.start));
                }
            } else {
                lines.push(format!("start {}", dates.start));
                lines.push(format!("length {days}d"));
            }
            let state = if task.status == TaskStatus::Done {
                "done"
            } else {
                "under way"
            };
            lines.push(format!(
                "# fixed by progress: {state} as of {}",
                plan.project.status_date.unwrap_or(self.start)
            ));
        } else if days == 0 {
            lines.push("milestone".to_string());
        } else {
            lines.push(format!("length {days}d"));
        }
        if top {
            lines.push("chargeset cost".to_string());
        }
        if let Some(owner) = task
            .owner
            .as_ref()
            .and_then(|owner| owner.index)
            .filter(|&owner| owner < self.resources.len())
        {
            // Milestones have no time to book.
            if days > 0 {
                lines.push(format!("allocate {}", self.resources[owner]));
            }
        }
        if let Some(estimate) = task.estimate {
            lines.push(format!("Estimate {}", number(estimate)));
        }
        let mut links = Vec::new();
        if !fixed {
            if self.project_anchor.is_some() {
                links.push("gantry__project_start".to_string());
            }
            if self.status_anchor.is_some() {
                links.push("gantry__status_date".to_string());
            }
        }
        let mut merged: Vec<(usize, i64, i64)> = Vec::new();
        for dependency in &task.depends {
            let Some(other) = dependency
                .task
                .index
                .filter(|&other| other < plan.tasks.len())
            else {
                continue;
            };
            let target = self.ids[other].clone();
            if fixed {
                lines.push(format!(
                    "# met: {} on {target} with lag {}",
                    dependency.kind.as_str(),
                    dependency.lag
                ));
                continue;
            }
            let length = self.lengths[other];
            let exact = link(days, length, dependency.kind, dependency.lag).filter(|found| {
                // Into a milestone, only a start-to-start gap lands where
                // SPEC puts it; a rewritten negative lag lands a day off.
                days > 0
                    || !found.on_start
                    || (dependency.kind == DependencyKind::StartToStart && dependency.lag > 0)
            });
            match exact {
                Some(found) => {
                    // TaskJuggler takes one dependency per predecessor: of
                    // several links to it, the one that pushes furthest.
                    let offset = found.after_end(length);
                    match merged.iter_mut().find(|(to, _, _)| *to == other) {
                        Some(entry) => entry.2 = entry.2.max(offset),
                        None => merged.push((other, length, offset)),
                    }
                }
                None => {
                    // TaskJuggler has no negative gaps: the link holds the
                    // task at the instant gantry computes for it.
                    lines.push(format!(
                        "# {} on {target} with lag {}: no TaskJuggler gap says it; held to gantry's date",
                        dependency.kind.as_str(),
                        dependency.lag
                    ));
                    if let Some(key) = self.bound(other, days, dependency.kind, dependency.lag) {
                        hold(
                            key,
                            format!(
                                "{} on {target} with lag {}",
                                dependency.kind.as_str(),
                                dependency.lag
                            ),
                        );
                    }
                }
            }
        }
        if let Some((key, why)) = held.filter(|(key, _)| {
            *key > self.start_key() && self.calendar.is_some() && *key < 2 * self.end_index()
        }) {
            let key = if days > 0 { 2 * position(key) } else { key };
            let when = self.instant(key);
            links.push(format!("{}__start", self.ids[index]));
            lines.push(format!("# held by {local}__start: {}", quote(&why)));
            let _ = writeln!(
                self.out,
                "{indent}task {local}__start \"{} is held to {when}\" {{\n{indent}  milestone\n{indent}  start {when}\n{indent}}}",
                quote(&task.id.value)
            );
        }
        for (other, length, offset) in merged {
            let target = self.ids[other].clone();
            let Link { on_start, gap } = Link::from_after_end(offset, length);
            let mut attributes = Vec::new();
            if on_start {
                attributes.push("onstart".to_string());
            }
            if gap > 0 {
                attributes.push(format!("gaplength {gap}d"));
            }
            links.push(if attributes.is_empty() {
                target
            } else {
                format!("{target} {{ {} }}", attributes.join(" "))
            });
        }
        if !links.is_empty() {
            lines.push(format!("depends {}", links.join(", ")));
        }
        if task.progress > 0 {
            lines.push(format!("complete {}", task.progress.min(100)));
        }
        let _ = writeln!(
            self.out,
            "{indent}task {local} \"{}\" {{",
            quote(&task.name)
        );
        for line in lines {
            let _ = writeln!(self.out, "{indent}  {line}");
        }
        let _ = writeln!(self.out, "{indent}}}");
    }
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn weekday_list(days: &[Weekday]) -> String {
    days.iter()
        .map(|day| match day {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number as TaskJuggler reads it: no exponent, at most a few decimals.
fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Instants as the scheduler keeps them: `2 * day` is the beginning of
/// working day `day`, `2 * day + 1` its end; the end of a day and the
/// beginning of the next are one position on the working-time line.
fn position(key: i64) -> i64 {
    (key + 1).div_euclid(2)
}

/// A key moved by `lag` working days: forward lands on the end of a day,
/// back on the beginning of one.
fn shift(key: i64, lag: i64) -> i64 {
    match lag.signum() {
        0 => key,
        1 => position(key).saturating_add(lag).saturating_mul(2) - 1,
        _ => position(key).saturating_add(lag).saturating_mul(2),
    }
}

/// A TaskJuggler dependency: on the predecessor's start or end, after a gap.
struct Link {
    on_start: bool,
    gap: i64,
}

impl Link {
    /// The gap after the predecessor's end this link amounts to, for a
    /// predecessor of `length` working days (start = end - length).
    fn after_end(&self, length: i64) -> i64 {
        if self.on_start {
            self.gap - length
        } else {
            self.gap
        }
    }

    /// The link of a gap after the end, on the start when it is negative.
    fn from_after_end(offset: i64, length: i64) -> Link {
        if offset >= 0 {
            Link {
                on_start: false,
                gap: offset,
            }
        } else {
            Link {
                on_start: true,
                gap: offset + length,
            }
        }
    }
}

/// The TaskJuggler form of a link, when one exists. Working in whole
/// working days, a successor's start must be at least the predecessor's
/// end plus some amount; TaskJuggler can say "end plus a gap >= 0" or
/// "start plus a gap >= 0", and start = end - length.
fn link(
    successor_days: i64,
    predecessor_days: i64,
    kind: DependencyKind,
    lag: i64,
) -> Option<Link> {
    let after_end = match kind {
        // A milestone starts where it finishes; linking to its end keeps
        // TaskJuggler's loop detection from seeing a loop through it.
        DependencyKind::StartToStart if predecessor_days > 0 => {
            return (lag >= 0).then_some(Link {
                on_start: true,
                gap: lag,
            });
        }
        DependencyKind::StartToStart | DependencyKind::FinishToStart => lag,
        // A milestone's finish is its start; a task's start is its finish minus its length.
        DependencyKind::FinishToFinish => lag.checked_sub(successor_days)?,
    };
    if after_end >= 0 {
        return Some(Link {
            on_start: false,
            gap: after_end,
        });
    }
    let after_start = after_end.checked_add(predecessor_days)?;
    (after_start >= 0).then_some(Link {
        on_start: true,
        gap: after_start,
    })
}

/// A project end safely after every task: gantry's own finish plus a
/// margin. TaskJuggler reads no date after 2035.
fn project_end(finish: NaiveDate, start: NaiveDate) -> NaiveDate {
    let latest_readable = NaiveDate::from_ymd_opt(2035, 12, 31).unwrap_or(NaiveDate::MAX);
    let margin = (finish - start).num_days() / 10 + 60;
    let end = finish
        .checked_add_days(chrono::Days::new(margin.unsigned_abs()))
        .unwrap_or(finish);
    end.min(latest_readable)
        .max(start.succ_opt().unwrap_or(start))
}

/// Text inside a TaskJuggler string. TaskJuggler reads `\"` as a quote and
/// every other backslash as itself, so quotes are escaped and text stays
/// intact, except that a backslash cannot end a string (a space follows
/// it), control characters other than tab become spaces, and macro calls
/// (`${...}`, `$(...)`) get a space after the `$` so they stay text.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '$' if matches!(chars.peek(), Some('{' | '(')) => out.push_str("$ "),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if out.ends_with('\\') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dependency, Located, Person, Phase, Ref};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn task(id: &str, duration: i64) -> Task {
        Task {
            id: Located::new(id.to_string(), Default::default()),
            name: format!("Task \"{id}\""),
            phase: None,
            owner: None,
            duration: Located::new(duration, Default::default()),
            estimate: None,
            depends: Vec::new(),
            start: None,
            milestone: duration == 0,
            status: Default::default(),
            progress: 0,
            blocker: None,
            blocked_since: None,
            notes: None,
            baseline: None,
            baselines: Vec::new(),
            start_pos: Default::default(),
            pos: Default::default(),
        }
    }

    fn depend(task: &mut Task, index: usize, id: &str, kind: DependencyKind, lag: i64) {
        let mut target = Ref::new(Located::new(id.to_string(), Default::default()));
        target.index = Some(index);
        task.depends.push(Dependency {
            task: target,
            kind,
            lag,
        });
    }

    fn reference(id: &str, index: usize) -> Ref {
        let mut target = Ref::new(Located::new(id.to_string(), Default::default()));
        target.index = Some(index);
        target
    }

    fn tjp(plan: &Plan) -> String {
        to_tjp(plan, &crate::schedule::schedule(plan).expect("schedules"))
    }

    #[test]
    fn ids_are_made_valid_and_unique() {
        let mut plan = Plan::default();
        for id in ["api", "qa-env", "qa_env", "v1.2", "9lives"] {
            plan.tasks.push(task(id, 1));
        }
        plan.phases.push(Phase {
            id: Located::new("build-1".to_string(), Default::default()),
            name: "Build".to_string(),
        });
        plan.tasks[4].phase = Some(reference("build-1", 0));
        assert_eq!(
            task_ids(&plan),
            [
                "t_api",
                "t_qa_env",
                "t_qa_env_2",
                "t_v1_2",
                "p_build_1.t_9lives"
            ]
        );
    }

    #[test]
    fn text_is_quoted_for_taskjuggler_strings() {
        assert_eq!(quote("a \"b\" \\ c"), "a \\\"b\\\" \\ c");
        assert_eq!(quote("x\\"), "x\\ ");
        assert_eq!(quote("${id} $(HOME) $5"), "$ {id} $ (HOME) $5");
        assert_eq!(quote("a\nb\u{1b}[31m\tc"), "a b [31m\tc");
        assert_eq!(quote("\u{202e}ltr ]]> <b>"), "\u{202e}ltr ]]> <b>");
    }

    #[test]
    fn a_small_plan_converts_to_the_expected_source() {
        let mut plan = Plan::default();
        plan.project.name = "Shop \"v2\"".to_string();
        plan.project.start = date("2027-01-02");
        plan.calendar.holidays = vec![date("2027-01-18")];
        plan.calendar.workdays = vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu];
        let design = task("design", 5);
        let mut build = task("build", 3);
        depend(&mut build, 0, "design", DependencyKind::FinishToStart, 2);
        build.start = Some(date("2027-01-16"));
        let mut test = task("test", 2);
        depend(&mut test, 1, "build", DependencyKind::StartToStart, 1);
        depend(&mut test, 0, "design", DependencyKind::FinishToFinish, 1);
        depend(&mut test, 0, "design", DependencyKind::FinishToStart, -1);
        let mut live = task("live", 0);
        depend(&mut live, 2, "test", DependencyKind::FinishToStart, 0);
        depend(&mut live, 0, "design", DependencyKind::StartToStart, -1);
        plan.tasks = vec![design, build, test, live];
        let tjp = tjp(&plan);
        assert!(
            tjp.contains("project gantry \"Shop \\\"v2\\\"\" 2027-01-04 - "),
            "{tjp}"
        );
        assert!(
            tjp.contains("workinghours mon, tue, wed, thu 9:00 - 17:00\n"),
            "{tjp}"
        );
        assert!(tjp.contains("workinghours fri, sat, sun off\n"), "{tjp}");
        assert!(
            tjp.contains("leaves holiday \"Holiday\" 2027-01-18\n"),
            "{tjp}"
        );
        assert!(tjp.contains("task t_build__start \"build is held to 2027-01-19\" {\n  milestone\n  start 2027-01-19\n}"), "{tjp}");
        assert!(tjp.contains("task t_build \"Task \\\"build\\\"\" {\n  length 3d\n  chargeset cost\n  # held by t_build__start: starts no earlier than 2027-01-16\n  depends t_build__start, t_design { gaplength 2d }\n}"), "{tjp}");
        assert!(
            tjp.contains(
                "  depends t_build { onstart gaplength 1d }, t_design { onstart gaplength 4d }\n"
            ),
            "{tjp}"
        );
        assert!(tjp.contains("task t_live \"Task \\\"live\\\"\" {\n  milestone\n  chargeset cost\n  # ss on t_design with lag -1: no TaskJuggler gap says it; held to gantry's date\n  depends t_test\n}"), "{tjp}");
    }

    #[test]
    fn people_become_resources_and_owners_allocations() {
        let mut plan = Plan::default();
        plan.project.start = date("2027-01-04");
        plan.project.currency = Some("EUR".to_string());
        plan.calendar.hours_per_day = 7.5;
        plan.people.push(Person {
            id: Located::new("ana".to_string(), Default::default()),
            name: "Ana \"A\" Ruiz".to_string(),
            role: Some("Lead".to_string()),
            rate: Some(90.0),
            capacity: 0.5,
            skills: Vec::new(),
        });
        plan.phases.push(Phase {
            id: Located::new("build".to_string(), Default::default()),
            name: "Build".to_string(),
        });
        let mut api = task("api", 3);
        api.owner = Some(reference("ana", 0));
        api.phase = Some(reference("build", 0));
        api.estimate = Some(12.5);
        let mut done = task("done", 0);
        done.owner = Some(reference("ana", 0));
        depend(&mut done, 0, "api", DependencyKind::FinishToStart, 0);
        plan.tasks = vec![api, done];
        let tjp = tjp(&plan);
        assert!(tjp.contains("  currency \"EUR\"\n"), "{tjp}");
        assert!(tjp.contains("resource r_ana \"Ana \\\"A\\\" Ruiz\" {\n  rate 675\n  limits { dailymax 240min }\n  Role \"Lead\"\n}"), "{tjp}");
        assert!(tjp.contains("task p_build \"Build\" {\n  chargeset cost\n  task t_api \"Task \\\"api\\\"\" {\n    length 3d\n    allocate r_ana\n    Estimate 12.5\n  }\n}"), "{tjp}");
        assert!(
            tjp.contains("  milestone\n  chargeset cost\n  depends p_build.t_api\n"),
            "{tjp}"
        );
    }

    #[test]
    fn progress_fixes_dates_as_of_the_status_date() {
        let mut plan = Plan::default();
        plan.project.start = date("2027-01-04");
        plan.project.status_date = Some(date("2027-01-13"));
        let mut first = task("first", 3);
        first.status = TaskStatus::Done;
        let mut second = task("second", 4);
        second.status = TaskStatus::Doing;
        second.progress = 50;
        depend(&mut second, 0, "first", DependencyKind::FinishToStart, 0);
        let mut third = task("third", 2);
        depend(&mut third, 1, "second", DependencyKind::FinishToStart, 0);
        plan.tasks = vec![first, second, third];
        let tjp = tjp(&plan);
        assert!(tjp.contains("  now 2027-01-13\n"), "{tjp}");
        assert!(tjp.contains("task gantry__status_date \"The status date: unfinished work waits for it\" {\n  milestone\n  start 2027-01-13\n}"), "{tjp}");
        assert!(
            tjp.contains(
                "task t_first \"Task \\\"first\\\"\" {\n  start 2027-01-04\n  length 3d\n"
            ),
            "{tjp}"
        );
        // Half of four days remains from the status date: Wednesday and Thursday.
        assert!(
            tjp.contains(
                "task t_second \"Task \\\"second\\\"\" {\n  start 2027-01-07\n  length 6d\n"
            ),
            "{tjp}"
        );
        assert!(tjp.contains("  # met: fs on t_first with lag 0\n"), "{tjp}");
        assert!(
            tjp.contains("  depends gantry__status_date, t_second\n"),
            "{tjp}"
        );
    }
}
