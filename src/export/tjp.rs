//! The plan as a TaskJuggler 3 project (`.tjp`).
//!
//! Working days become working hours 9:00–17:00 on the plan's workdays, so
//! one working day is eight working hours; holidays become project-wide
//! leaves; a task becomes `length Nd`, a milestone `milestone`. Links
//! become `depends` with `gaplength` for lags and `onstart` for
//! start-to-start. What TaskJuggler cannot say directly is rewritten into
//! an equivalent it can:
//!
//! - `start = D` ("no earlier than") becomes a dependency on a hidden
//!   milestone fixed at D, because TaskJuggler refuses a task with both a
//!   fixed start and dependencies that may push it later.
//! - finish-to-finish on a task of `d` days becomes finish-to-start with
//!   gap `lag - d`, or start-to-start with gap `lag - d + predecessor's
//!   length` when the first would be negative.
//! - a negative finish-to-start lag becomes start-to-start with gap
//!   `predecessor's length + lag`.
//!
//! A link that still needs a negative gap has no TaskJuggler equivalent; it
//! is written as a comment. Progress and actual dates are not exported.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{NaiveDate, Weekday};

use crate::model::{DependencyKind, Plan, Task};
use crate::schedule::Calendar;

/// The id of each task in the `.tjp`, in the order of `plan.tasks`: the
/// plan id with every character TaskJuggler does not allow in an id
/// replaced by `_`, prefixed with `t_`, and made unique.
pub fn task_ids(plan: &Plan) -> Vec<String> {
    let mut taken = HashSet::new();
    plan.tasks
        .iter()
        .enumerate()
        .map(|(index, task)| {
            let base: String = task
                .id
                .value
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let mut id = format!("t_{base}");
            if !taken.insert(id.clone()) {
                id = format!("t_{base}_{index}");
                while !taken.insert(id.clone()) {
                    id.push('_');
                }
            }
            id
        })
        .collect()
}

/// The plan as TaskJuggler 3 source. Add a report to see dates, e.g.
/// `taskreport "dates" { formats csv columns id, start, end }`.
pub fn to_tjp(plan: &Plan) -> String {
    let mut out = String::new();
    let ids = task_ids(plan);
    let calendar = Calendar::new(&plan.calendar).ok();
    // TaskJuggler places a milestone without dependencies at the very
    // project start, even on a day off; gantry puts it on the first working day.
    let start = calendar
        .as_ref()
        .and_then(|calendar| {
            calendar
                .next_working_day_on_or_after(plan.project.start)
                .ok()
        })
        .unwrap_or(plan.project.start);
    let end = project_end(plan, calendar.as_ref(), start);

    let _ = writeln!(
        out,
        "# Exported from a gantry plan. Dates are computed by TaskJuggler."
    );
    let _ = writeln!(
        out,
        "project gantry \"{}\" {start} - {end} {{",
        quote(&plan.project.name)
    );
    let _ = writeln!(out, "  timezone \"UTC\"");
    let _ = writeln!(out, "  timingresolution 60min");
    let _ = writeln!(out, "  dailyworkinghours 8");
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
    let _ = writeln!(out, "}}");

    let mut holidays: Vec<NaiveDate> = plan
        .calendar
        .holidays
        .iter()
        .copied()
        .filter(|&day| day >= start && day < end)
        .collect();
    holidays.sort_unstable();
    holidays.dedup();
    if !holidays.is_empty() {
        let _ = writeln!(out);
    }
    for holiday in holidays {
        let _ = writeln!(out, "leaves holiday \"Holiday\" {holiday}");
    }

    for (index, task) in plan.tasks.iter().enumerate() {
        let _ = writeln!(out);
        let anchor = task
            .start
            .and_then(|date| {
                calendar
                    .as_ref()
                    .and_then(|calendar| calendar.next_working_day_on_or_after(date).ok())
            })
            .filter(|&date| date > start && date < end);
        if let Some(date) = anchor {
            let _ = writeln!(
                out,
                "task {}__start \"{} starts no earlier than {date}\" {{\n  milestone\n  start {date}\n}}",
                ids[index],
                quote(&task.id.value)
            );
        }
        let _ = writeln!(out, "task {} \"{}\" {{", ids[index], quote(&task.name));
        let days = task.working_days().max(0);
        if days == 0 {
            let _ = writeln!(out, "  milestone");
        } else {
            let _ = writeln!(out, "  length {days}d");
        }
        let mut links = Vec::new();
        if anchor.is_some() {
            links.push(format!("{}__start", ids[index]));
        }
        for dependency in &task.depends {
            let Some(predecessor) = dependency
                .task
                .index
                .and_then(|other| plan.tasks.get(other).map(|task| (other, task)))
            else {
                continue;
            };
            match link(task, predecessor.1, dependency.kind, dependency.lag) {
                Some(Link { on_start, gap }) => {
                    let mut attributes = Vec::new();
                    if on_start {
                        attributes.push("onstart".to_string());
                    }
                    if gap > 0 {
                        attributes.push(format!("gaplength {gap}d"));
                    }
                    let id = &ids[predecessor.0];
                    links.push(if attributes.is_empty() {
                        id.clone()
                    } else {
                        format!("{id} {{ {} }}", attributes.join(" "))
                    });
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  # not expressible: {} on {} with lag {}",
                        dependency.kind.as_str(),
                        ids[predecessor.0],
                        dependency.lag
                    );
                }
            }
        }
        if !links.is_empty() {
            let _ = writeln!(out, "  depends {}", links.join(", "));
        }
        if task.progress > 0 {
            let _ = writeln!(out, "  complete {}", task.progress.min(100));
        }
        let _ = writeln!(out, "}}");
    }
    out
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

/// A TaskJuggler dependency: on the predecessor's start or end, after a gap.
struct Link {
    on_start: bool,
    gap: i64,
}

/// The TaskJuggler form of a link, when one exists. Working in whole
/// working days, a successor's start must be at least the predecessor's
/// end plus some amount; TaskJuggler can say "end plus a gap >= 0" or
/// "start plus a gap >= 0", and start = end - length.
fn link(successor: &Task, predecessor: &Task, kind: DependencyKind, lag: i64) -> Option<Link> {
    let successor_days = successor.working_days().max(0);
    let predecessor_days = predecessor.working_days().max(0);
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
/// margin, or the sum of all durations and lags when the plan cannot be
/// scheduled. TaskJuggler reads no date after 2035.
fn project_end(plan: &Plan, calendar: Option<&Calendar>, start: NaiveDate) -> NaiveDate {
    let latest_readable = NaiveDate::from_ymd_opt(2035, 12, 31).unwrap_or(NaiveDate::MAX);
    let finish = match crate::schedule::schedule(plan) {
        Ok(schedule) => Some(schedule.finish),
        Err(_) => {
            let mut days: i64 = 0;
            for task in &plan.tasks {
                days = days.saturating_add(task.working_days().max(0));
                for dependency in &task.depends {
                    days = days.saturating_add(dependency.lag.max(0));
                }
            }
            let latest_fixed = plan
                .tasks
                .iter()
                .filter_map(|task| task.start)
                .max()
                .unwrap_or(start)
                .max(start);
            calendar.and_then(|calendar| calendar.add_working_days(latest_fixed, days).ok())
        }
    };
    let end = finish.unwrap_or(latest_readable);
    let margin = (end - start).num_days() / 10 + 60;
    let end = end
        .checked_add_days(chrono::Days::new(margin.unsigned_abs()))
        .unwrap_or(end);
    end.min(latest_readable)
        .max(start.succ_opt().unwrap_or(start))
}

/// Text inside a TaskJuggler string: no quotes, backslashes, macros or controls.
fn quote(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .replace("${", "$ {")
        .replace("$(", "$ (")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dependency, Located, Ref};

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

    #[test]
    fn ids_are_made_valid_and_unique() {
        let mut plan = Plan::default();
        for id in ["api", "qa-env", "qa_env", "v1.2", "9lives"] {
            plan.tasks.push(task(id, 1));
        }
        assert_eq!(
            task_ids(&plan),
            ["t_api", "t_qa_env", "t_qa_env_2", "t_v1_2", "t_9lives"]
        );
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
        let tjp = to_tjp(&plan);
        assert!(
            tjp.contains("project gantry \"Shop 'v2'\" 2027-01-04 - "),
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
        assert!(tjp.contains("task t_build__start \"build starts no earlier than 2027-01-19\" {\n  milestone\n  start 2027-01-19\n}"), "{tjp}");
        assert!(tjp.contains("task t_build \"Task 'build'\" {\n  length 3d\n  depends t_build__start, t_design { gaplength 2d }\n}"), "{tjp}");
        assert!(tjp.contains("  depends t_build { onstart gaplength 1d }, t_design { onstart gaplength 4d }, t_design { onstart gaplength 4d }\n"), "{tjp}");
        assert!(tjp.contains("task t_live \"Task 'live'\" {\n  milestone\n  # not expressible: ss on t_design with lag -1\n  depends t_test\n}"), "{tjp}");
    }
}
