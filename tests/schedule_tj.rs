//! gantry's dates against TaskJuggler's, without TaskJuggler.
//!
//! Every `tests/fixtures/tj/NAME.toml` has beside it `NAME.tj.csv`: the
//! start and end TaskJuggler 3.7.1 printed for each task when given the
//! plan through `gantry::export::to_tjp` (regenerate them with
//! `cargo run --release --example tj_golden`). TaskJuggler prints a
//! task's start as the moment it may begin (the end of its predecessor,
//! say, Friday 17:00), so the day work begins is the first working day
//! whose working hours (9:00) are not before that moment. The calendar
//! arithmetic here walks day by day on purpose: it is the slow, obvious
//! oracle for the fast calendar under test.

// Helpers of a test may stop it: a failed expectation is the test failing.
#![allow(clippy::expect_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use gantry::model::Plan;

fn fixtures() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tj");
    let mut plans: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("fixture folder")
        .map(|entry| entry.expect("fixture").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    plans.sort();
    plans
}

struct SlowCalendar {
    workdays: Vec<chrono::Weekday>,
    holidays: HashSet<NaiveDate>,
}

impl SlowCalendar {
    fn of(plan: &Plan) -> Self {
        SlowCalendar {
            workdays: plan.calendar.workdays.clone(),
            holidays: plan.calendar.holidays.iter().copied().collect(),
        }
    }

    fn is_working_day(&self, date: NaiveDate) -> bool {
        self.workdays.contains(&date.weekday()) && !self.holidays.contains(&date)
    }

    /// The day work can begin at or after this moment.
    fn work_begins(&self, moment: NaiveDateTime) -> NaiveDate {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("9:00");
        let mut day = moment.date();
        if moment.time() > nine {
            day = day.succ_opt().expect("a next day");
        }
        while !self.is_working_day(day) {
            day = day.succ_opt().expect("a next day");
        }
        day
    }
}

fn moment(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a TaskJuggler time")
}

/// The shipped example plans, whose TaskJuggler dates are in
/// `tests/fixtures/tj/examples/NAME.tj.csv`.
fn examples() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut plans: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("examples folder")
        .map(|entry| entry.expect("example").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    plans.sort();
    plans
}

fn golden_of(plan_path: &Path) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tj");
    let stem = plan_path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    if plan_path.starts_with(&folder) {
        folder.join(format!("{stem}.tj.csv"))
    } else {
        folder.join("examples").join(format!("{stem}.tj.csv"))
    }
}

/// Compares one fixture; returns a line per difference.
fn differences(plan_path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(plan_path).expect("plan");
    let loaded = gantry::store::parse_str(&text).expect("the plan parses");
    assert!(
        !loaded.has_errors(),
        "{}: {:?}",
        plan_path.display(),
        loaded.diagnostics
    );
    let plan = loaded.plan;
    // Every link of the fixtures has a TaskJuggler equivalent.
    let schedule = gantry::schedule::schedule(&plan).expect("the plan schedules");
    let calendar = SlowCalendar::of(&plan);
    let csv_path = golden_of(plan_path);
    let csv = std::fs::read_to_string(&csv_path)
        .unwrap_or_else(|_| panic!("{} is missing", csv_path.display()));
    let name = plan_path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let mut seen = 0;
    let mut problems = Vec::new();
    for line in csv.lines().filter(|line| !line.starts_with('#')).skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [id, start, end] = fields[..] else {
            panic!("{}: bad line `{line}`", csv_path.display());
        };
        let index = plan
            .task_index(id)
            .unwrap_or_else(|| panic!("{name}: unknown task `{id}`"));
        let task = &plan.tasks[index];
        let ours = &schedule.tasks[index];
        let (expected_start, expected_finish) = if task.is_milestone() {
            (moment(start).date(), moment(start).date())
        } else {
            (calendar.work_begins(moment(start)), moment(end).date())
        };
        if (ours.start, ours.finish) != (expected_start, expected_finish) {
            problems.push(format!(
                "{name}: `{id}` gantry {} to {}, TaskJuggler {expected_start} to {expected_finish} (raw {start} / {end})",
                ours.start, ours.finish
            ));
        }
        seen += 1;
    }
    assert_eq!(
        seen,
        plan.tasks.len(),
        "{name}: every task has TaskJuggler's dates"
    );
    problems
}

#[test]
fn every_fixture_has_the_dates_taskjuggler_computed() {
    let plans = fixtures();
    let random = plans
        .iter()
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("random-"))
        })
        .count();
    assert!(random >= 50, "at least 50 random plans, found {random}");
    assert!(plans.len() - random >= 9, "the hand-made cases are there");
    let problems: Vec<String> = plans.iter().flat_map(|path| differences(path)).collect();
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_shipped_example_has_the_dates_taskjuggler_computed() {
    let plans = examples();
    assert!(plans.len() >= 5, "the shipped examples are there");
    let problems: Vec<String> = plans.iter().flat_map(|path| differences(path)).collect();
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The random plans also carry what TaskJuggler books but must not move
/// dates for: people with rates and part-time capacity, owners allocated
/// to tasks, phases as containers, and, in every third plan, a status date
/// with work done (some with logged hours) or under way.
#[test]
fn the_random_plans_use_resources_phases_and_progress() {
    let mut owned = 0;
    let mut part_time = 0;
    let mut phased = 0;
    let mut tracked = 0;
    let mut done = 0;
    let mut logged = 0;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).expect("plan");
        let plan = gantry::store::parse_str(&text)
            .expect("the plan parses")
            .plan;
        owned += plan
            .tasks
            .iter()
            .filter(|task| task.owner.is_some())
            .count();
        phased += plan
            .tasks
            .iter()
            .filter(|task| task.phase.is_some())
            .count();
        part_time += plan
            .people
            .iter()
            .filter(|person| person.capacity < 1.0)
            .count();
        tracked += usize::from(plan.project.status_date.is_some());
        if plan.project.status_date.is_some() {
            done += plan
                .tasks
                .iter()
                .filter(|task| task.status == gantry::model::TaskStatus::Done)
                .count();
        }
        logged += plan.log.len();
    }
    assert!(owned > 1000, "{owned} tasks with owners");
    assert!(phased > 1000, "{phased} tasks in phases");
    assert!(part_time > 10, "{part_time} part-time people");
    assert!(tracked >= 20, "{tracked} plans with a status date");
    assert!(done > 500, "{done} done tasks");
    assert!(logged > 200, "{logged} log entries");
}

#[test]
fn the_random_plans_are_large_and_use_every_kind_of_link() {
    let mut largest = 0;
    let mut tasks = 0;
    let mut kinds = HashSet::new();
    let mut negative_lags = 0;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).expect("plan");
        let plan = gantry::store::parse_str(&text)
            .expect("the plan parses")
            .plan;
        largest = largest.max(plan.tasks.len());
        tasks += plan.tasks.len();
        for dependency in plan.tasks.iter().flat_map(|task| &task.depends) {
            kinds.insert(dependency.kind);
            negative_lags += usize::from(dependency.lag < 0);
        }
    }
    assert_eq!(largest, 500);
    assert!(tasks > 10_000, "{tasks} tasks in all");
    assert_eq!(kinds.len(), 3);
    assert!(negative_lags > 50, "{negative_lags} negative lags");
}

/// The converter's output for a hand-made plan, as TaskJuggler will read it.
#[test]
fn the_converted_plan_says_what_taskjuggler_needs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tj/fixed-starts.toml");
    let plan = gantry::store::parse_str(&std::fs::read_to_string(path).expect("plan"))
        .expect("the plan parses")
        .plan;
    let schedule = gantry::schedule::schedule(&plan).expect("the plan schedules");
    let tjp = gantry::export::to_tjp(&plan, &schedule);
    assert!(
        tjp.contains("project gantry \"Fixed starts\" 2027-01-04 - "),
        "{tjp}"
    );
    assert!(
        tjp.contains("leaves holiday \"Holiday\" 2027-02-01"),
        "{tjp}"
    );
    assert!(tjp.contains("task t_later__start"), "{tjp}");
    assert!(tjp.contains("  depends t_later__start, t_a\n"), "{tjp}");
}
