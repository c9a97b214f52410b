//! Properties every schedule has, on random plans and calendars.

// Helpers of a test may stop it: a failed expectation is the test failing.
#![allow(clippy::expect_used)]

use chrono::{Duration, NaiveDate, Weekday};
use gantry::model::{Dependency, DependencyKind, Located, Plan, Pos, Ref, Task, TaskStatus};
use gantry::schedule::{self, Calendar, Schedule};
use proptest::prelude::*;

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date")
}

/// One random task: duration (0 is a milestone), an optional "no earlier
/// than" offset in days, and links as (how far back, kind, lag).
type TaskSpec = (i64, Option<i64>, Vec<(usize, u8, i64)>);

fn task(index: usize, (duration, start, links): &TaskSpec, count_before: usize) -> Task {
    let depends = links
        .iter()
        .filter(|(back, _, _)| *back <= count_before && *back > 0)
        .map(|&(back, kind, lag)| {
            let target = index - back;
            let mut reference = Ref::new(Located::new(format!("t{target}"), Pos::default()));
            reference.index = Some(target);
            Dependency {
                task: reference,
                kind: match kind {
                    0 => DependencyKind::StartToStart,
                    1 => DependencyKind::FinishToFinish,
                    _ => DependencyKind::FinishToStart,
                },
                lag,
            }
        })
        .collect();
    Task {
        id: Located::new(format!("t{index}"), Pos::default()),
        name: format!("Task {index}"),
        phase: None,
        owner: None,
        duration: Located::new(*duration, Pos::default()),
        estimate: None,
        depends,
        start: start.map(|offset| base_date() + Duration::days(offset)),
        milestone: *duration == 0,
        status: TaskStatus::Todo,
        progress: 0,
        blocker: None,
        blocked_since: None,
        notes: None,
        baseline: None,
        baselines: Vec::new(),
        start_pos: Default::default(),
        pos: Pos::default(),
    }
}

fn arbitrary_plan() -> impl Strategy<Value = Plan> {
    let link = (1usize..12, 0u8..6, -4i64..7);
    let task_spec = (
        prop_oneof![1 => Just(0i64), 6 => 1i64..12],
        proptest::option::weighted(0.15, 0i64..120),
        proptest::collection::vec(link, 0..4),
    );
    (
        1u8..128,
        proptest::collection::vec(0i64..400, 0..25),
        0i64..14,
        proptest::collection::vec(task_spec, 1..60),
    )
        .prop_map(|(workday_bits, holidays, start, tasks)| {
            let mut plan = Plan::default();
            plan.project.name = "Random".to_string();
            plan.project.start = base_date() + Duration::days(start);
            plan.calendar.workdays = (0..7)
                .filter(|bit| workday_bits & (1 << bit) != 0)
                .map(|bit| WEEK[bit])
                .collect();
            plan.calendar.holidays = holidays
                .into_iter()
                .map(|offset| base_date() + Duration::days(offset))
                .collect();
            plan.tasks = tasks
                .iter()
                .enumerate()
                .map(|(index, spec)| task(index, spec, index))
                .collect();
            plan
        })
}

/// A random plan with a status date, statuses, progress and a time log.
fn arbitrary_plan_with_progress() -> impl Strategy<Value = Plan> {
    (
        arbitrary_plan(),
        0i64..200,
        proptest::collection::vec((0u8..4, 0u8..=100), 60),
        proptest::collection::vec((0usize..60, 0i64..200), 0..40),
    )
        .prop_map(|(mut plan, status_offset, states, log)| {
            plan.project.status_date = Some(base_date() + Duration::days(status_offset));
            for (task, (status, progress)) in plan.tasks.iter_mut().zip(states) {
                task.status = match status {
                    0 => TaskStatus::Todo,
                    1 => TaskStatus::Doing,
                    2 => TaskStatus::Done,
                    _ => TaskStatus::Blocked,
                };
                task.progress = progress;
            }
            let count = plan.tasks.len();
            for (task, offset) in log {
                let mut reference =
                    Ref::new(Located::new(format!("t{}", task % count), Pos::default()));
                reference.index = Some(task % count);
                plan.log.push(gantry::model::LogEntry {
                    date: base_date() + Duration::days(offset),
                    date_pos: Pos::default(),
                    task: reference,
                    person: None,
                    hours: 1.0,
                    note: None,
                    pos: Pos::default(),
                });
            }
            plan
        })
}

struct Positions {
    start: i64,
    finish: i64,
}

/// A task's place on the line of working days: the index of its first day
/// and the index just after its last.
fn positions(calendar: &Calendar, schedule: &Schedule, index: usize) -> Positions {
    let dates = &schedule.tasks[index];
    Positions {
        start: calendar.index_of(dates.start),
        finish: calendar.index_of(dates.finish) + 1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_link_holds_and_tasks_start_as_soon_as_they_can(plan in arbitrary_plan()) {
        let calendar = Calendar::new(&plan.calendar).expect("a calendar");
        let schedule = schedule::schedule(&plan).expect("a schedule");
        let project_start = calendar.index_of(plan.project.start);
        for (index, task) in plan.tasks.iter().enumerate() {
            let dates = &schedule.tasks[index];
            prop_assert!(dates.start >= plan.project.start);
            if task.is_milestone() {
                continue;
            }
            let own = positions(&calendar, &schedule, index);
            prop_assert!(calendar.is_working_day(dates.start) && calendar.is_working_day(dates.finish));
            prop_assert_eq!(own.finish - own.start, task.duration.value);
            let mut earliest = project_start;
            if let Some(date) = task.start {
                earliest = earliest.max(calendar.index_of(date));
            }
            let mut exact = true;
            for dependency in &task.depends {
                let predecessor = dependency.task.index.expect("resolved");
                if plan.tasks[predecessor].is_milestone() {
                    exact = false;
                    continue;
                }
                let theirs = positions(&calendar, &schedule, predecessor);
                let lag = dependency.lag;
                match dependency.kind {
                    DependencyKind::FinishToStart => {
                        prop_assert!(own.start >= theirs.finish + lag);
                        if lag >= 0 {
                            // Every finish-to-start successor starts after its predecessor finishes.
                            prop_assert!(dates.start > schedule.tasks[predecessor].finish);
                        }
                        earliest = earliest.max(theirs.finish + lag);
                    }
                    DependencyKind::StartToStart => {
                        prop_assert!(own.start >= theirs.start + lag);
                        earliest = earliest.max(theirs.start + lag);
                    }
                    DependencyKind::FinishToFinish => {
                        prop_assert!(own.finish >= theirs.finish + lag);
                        earliest = earliest.max(theirs.finish + lag - task.duration.value);
                    }
                }
            }
            if exact {
                prop_assert_eq!(own.start, earliest, "task {} starts later than it must", index);
            }
        }
    }

    #[test]
    fn slack_is_never_negative_and_the_critical_path_has_none(plan in arbitrary_plan()) {
        let calendar = Calendar::new(&plan.calendar).expect("a calendar");
        let schedule = schedule::schedule(&plan).expect("a schedule");
        for dates in &schedule.tasks {
            prop_assert!(dates.total_slack >= 0);
            prop_assert!(dates.free_slack >= 0 && dates.free_slack <= dates.total_slack);
            prop_assert_eq!(dates.critical, dates.total_slack == 0);
            prop_assert!(dates.late_start >= dates.start && dates.late_finish >= dates.finish);
            if !dates.milestone {
                prop_assert_eq!(calendar.working_days_between(dates.start, dates.late_start), dates.total_slack);
            }
            prop_assert!(dates.finish <= schedule.finish && dates.late_finish <= schedule.finish);
        }
        let path = schedule.critical_path();
        prop_assert!(!path.is_empty());
        prop_assert!(path.iter().all(|&index| schedule.tasks[index].total_slack == 0));
        // Whatever finishes last is critical.
        prop_assert!(schedule.tasks.iter().any(|dates| dates.critical && dates.finish == schedule.finish));
    }

    #[test]
    fn with_progress_slack_stays_sound_and_nothing_unstarted_starts_before_the_status_date(
        plan in arbitrary_plan_with_progress()
    ) {
        let calendar = Calendar::new(&plan.calendar).expect("a calendar");
        let schedule = schedule::schedule(&plan).expect("a schedule");
        let status_date = plan.project.status_date.expect("a status date");
        let floor = calendar.next_working_day_on_or_after(status_date).expect("in range");
        for (task, dates) in plan.tasks.iter().zip(&schedule.tasks) {
            prop_assert!(dates.total_slack >= 0);
            prop_assert!(dates.free_slack >= 0 && dates.free_slack <= dates.total_slack);
            prop_assert_eq!(dates.critical, dates.total_slack == 0);
            prop_assert!(dates.start <= dates.finish);
            let unstarted = task.status != TaskStatus::Done && (task.is_milestone() || (task.status != TaskStatus::Doing && task.progress == 0));
            if unstarted {
                prop_assert!(dates.start >= floor, "{} starts {} before {}", task.id.value, dates.start, floor);
            }
            if task.status != TaskStatus::Done && !task.is_milestone() {
                // Remaining work never ends before the status date.
                prop_assert!(dates.finish >= calendar.add_working_days(floor, -1).expect("in range"));
            }
        }
    }

    #[test]
    fn moving_the_project_a_week_moves_every_date_a_week(plan in arbitrary_plan()) {
        let week = Duration::days(7);
        let mut moved = plan.clone();
        moved.project.start += week;
        for holiday in &mut moved.calendar.holidays {
            *holiday += week;
        }
        for task in &mut moved.tasks {
            task.start = task.start.map(|date| date + week);
        }
        let before = schedule::schedule(&plan).expect("a schedule");
        let after = schedule::schedule(&moved).expect("a schedule");
        prop_assert_eq!(after.start, before.start + week);
        prop_assert_eq!(after.finish, before.finish + week);
        for (old, new) in before.tasks.iter().zip(&after.tasks) {
            prop_assert_eq!(new.start, old.start + week);
            prop_assert_eq!(new.finish, old.finish + week);
            prop_assert_eq!(new.late_start, old.late_start + week);
            prop_assert_eq!((new.total_slack, new.free_slack, new.critical), (old.total_slack, old.free_slack, old.critical));
        }
    }

    #[test]
    fn the_same_plan_always_gives_the_same_schedule(plan in arbitrary_plan()) {
        prop_assert_eq!(schedule::schedule(&plan).expect("a schedule"), schedule::schedule(&plan).expect("a schedule"));
    }

    #[test]
    fn walking_working_days_there_and_back_returns_home(
        workday_bits in 1u8..128,
        holidays in proptest::collection::vec(-3000i64..3000, 0..60),
        from in -2000i64..2000,
        days in -5000i64..5000,
    ) {
        let model = gantry::model::Calendar {
            workdays: (0..7).filter(|bit| workday_bits & (1 << bit) != 0).map(|bit| WEEK[bit]).collect(),
            holidays: holidays.into_iter().map(|offset| base_date() + Duration::days(offset)).collect(),
            hours_per_day: 8.0,
        };
        let calendar = Calendar::new(&model).expect("a calendar");
        let from = calendar.next_working_day_on_or_after(base_date() + Duration::days(from)).expect("in range");
        let there = calendar.add_working_days(from, days).expect("in range");
        prop_assert!(calendar.is_working_day(there));
        prop_assert_eq!(calendar.working_days_between(from, there), days);
        prop_assert_eq!(calendar.add_working_days(there, -days).expect("in range"), from);
    }
}
