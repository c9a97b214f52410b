//! Hand-checked schedules. Dates in January 2027: the 4th is a Monday.

use chrono::{NaiveDate, Weekday};

use super::*;
use crate::model::{Dependency, DependencyKind, Located, LogEntry, Person, Ref, Task, TaskStatus};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn at(line: u32) -> Pos {
    Pos { line, col: 1 }
}

fn task(id: &str, duration: i64) -> Task {
    Task {
        id: Located::new(id.to_string(), at(1)),
        name: format!("Task {id}"),
        phase: None,
        owner: None,
        duration: Located::new(duration, at(2)),
        estimate: None,
        depends: Vec::new(),
        start: None,
        milestone: false,
        status: TaskStatus::Todo,
        progress: 0,
        blocker: None,
        blocked_since: None,
        notes: None,
        baseline: None,
        baselines: Vec::new(),
        start_pos: Default::default(),
        pos: at(1),
    }
}

/// A small plan under construction; `build` resolves the references.
struct Builder {
    plan: Plan,
}

fn plan(start: &str) -> Builder {
    let mut plan = Plan::default();
    plan.project.name = "Test".to_string();
    plan.project.start = date(start);
    Builder { plan }
}

impl Builder {
    fn task(mut self, id: &str, duration: i64) -> Self {
        self.plan.tasks.push(task(id, duration));
        self
    }

    fn milestone(mut self, id: &str) -> Self {
        let mut milestone = task(id, 0);
        milestone.milestone = true;
        self.plan.tasks.push(milestone);
        self
    }

    fn last(&mut self) -> &mut Task {
        self.plan.tasks.last_mut().expect("a task to change")
    }

    fn after(self, on: &str) -> Self {
        self.link(on, DependencyKind::FinishToStart, 0)
    }

    fn link(mut self, on: &str, kind: DependencyKind, lag: i64) -> Self {
        self.last().depends.push(Dependency {
            task: Ref::new(Located::new(on.to_string(), at(3))),
            kind,
            lag,
        });
        self
    }

    fn not_before(mut self, text: &str) -> Self {
        self.last().start = Some(date(text));
        self
    }

    fn holidays(mut self, dates: &[&str]) -> Self {
        self.plan.calendar.holidays = dates.iter().map(|text| date(text)).collect();
        self
    }

    fn build(mut self) -> Plan {
        let ids: Vec<String> = self
            .plan
            .tasks
            .iter()
            .map(|task| task.id.value.clone())
            .collect();
        for task in &mut self.plan.tasks {
            for dependency in &mut task.depends {
                dependency.task.index = ids.iter().position(|id| *id == dependency.task.id.value);
            }
        }
        self.plan
    }
}

fn dates(schedule: &Schedule, plan: &Plan, id: &str) -> (String, String) {
    let entry = &schedule.tasks[plan.task_index(id).expect("task")];
    (entry.start.to_string(), entry.finish.to_string())
}

fn expect(plan: &Plan, expected: &[(&str, &str, &str)]) -> Schedule {
    let schedule = schedule(plan).expect("schedule");
    for (id, start, finish) in expected {
        assert_eq!(
            dates(&schedule, plan, id),
            (start.to_string(), finish.to_string()),
            "task {id}"
        );
    }
    schedule
}

#[test]
fn a_chain_runs_back_to_back_over_the_weekend() {
    let plan = plan("2027-01-04")
        .task("a", 5)
        .task("b", 3)
        .after("a")
        .build();
    let schedule = expect(
        &plan,
        &[
            ("a", "2027-01-04", "2027-01-08"),
            ("b", "2027-01-11", "2027-01-13"),
        ],
    );
    assert_eq!(schedule.start, date("2027-01-04"));
    assert_eq!(schedule.finish, date("2027-01-13"));
    assert!(
        schedule
            .tasks
            .iter()
            .all(|task| task.critical && task.total_slack == 0)
    );
}

#[test]
fn a_task_without_duration_fields_lasts_its_working_days() {
    let plan = plan("2027-01-04").task("a", 1).build();
    expect(&plan, &[("a", "2027-01-04", "2027-01-04")]);
}

#[test]
fn a_milestone_after_a_friday_task_sits_on_friday_and_its_successor_starts_monday() {
    let plan = plan("2027-01-04")
        .task("a", 5)
        .milestone("m")
        .after("a")
        .task("b", 1)
        .after("m")
        .build();
    expect(
        &plan,
        &[
            ("m", "2027-01-08", "2027-01-08"),
            ("b", "2027-01-11", "2027-01-11"),
        ],
    );
}

#[test]
fn a_milestone_at_the_beginning_of_monday_is_followed_by_work_on_monday() {
    let plan = plan("2027-01-04")
        .milestone("m")
        .not_before("2027-01-09")
        .task("b", 2)
        .after("m")
        .build();
    expect(
        &plan,
        &[
            ("m", "2027-01-11", "2027-01-11"),
            ("b", "2027-01-11", "2027-01-12"),
        ],
    );
}

#[test]
fn a_project_starting_on_saturday_starts_work_and_free_milestones_on_monday() {
    let plan = plan("2027-01-02").milestone("kickoff").task("a", 1).build();
    let schedule = expect(
        &plan,
        &[
            ("kickoff", "2027-01-04", "2027-01-04"),
            ("a", "2027-01-04", "2027-01-04"),
        ],
    );
    assert_eq!(schedule.start, date("2027-01-04"));
}

#[test]
fn holidays_inside_a_task_lengthen_it() {
    let plan = plan("2027-01-04")
        .holidays(&["2027-01-06", "2027-01-07"])
        .task("a", 5)
        .build();
    expect(&plan, &[("a", "2027-01-04", "2027-01-12")]);
}

#[test]
fn positive_lags_count_working_days_and_skip_holidays() {
    let plan = plan("2027-01-04")
        .holidays(&["2027-01-12"])
        .task("a", 5)
        .task("b", 1)
        .link("a", DependencyKind::FinishToStart, 2)
        .milestone("m")
        .link("a", DependencyKind::FinishToStart, 2)
        .build();
    // Monday and Wednesday are the two days of lag; the holiday Tuesday is not.
    expect(
        &plan,
        &[
            ("b", "2027-01-14", "2027-01-14"),
            ("m", "2027-01-13", "2027-01-13"),
        ],
    );
}

#[test]
fn negative_lags_overlap_the_predecessor() {
    let plan = plan("2027-01-04")
        .task("a", 5)
        .task("b", 2)
        .link("a", DependencyKind::FinishToStart, -2)
        .task("c", 1)
        .link("a", DependencyKind::FinishToStart, -9)
        .milestone("m")
        .link("a", DependencyKind::FinishToStart, -1)
        .build();
    expect(
        &plan,
        &[
            ("b", "2027-01-07", "2027-01-08"),
            // Nothing starts before the project start.
            ("c", "2027-01-04", "2027-01-04"),
            // One day back from the end of Friday is the beginning of Friday.
            ("m", "2027-01-08", "2027-01-08"),
        ],
    );
}

#[test]
fn start_to_start_and_finish_to_finish_links() {
    let plan = plan("2027-01-04")
        .task("a", 5)
        .task("ss", 2)
        .link("a", DependencyKind::StartToStart, 2)
        .task("ff", 2)
        .link("a", DependencyKind::FinishToFinish, 0)
        .task("ff_lag", 3)
        .link("a", DependencyKind::FinishToFinish, 2)
        .task("ff_back", 1)
        .link("a", DependencyKind::FinishToFinish, -1)
        .milestone("ms")
        .link("a", DependencyKind::StartToStart, 0)
        .milestone("ms_lag")
        .link("a", DependencyKind::StartToStart, 2)
        .build();
    expect(
        &plan,
        &[
            ("ss", "2027-01-06", "2027-01-07"),
            ("ff", "2027-01-07", "2027-01-08"),
            ("ff_lag", "2027-01-08", "2027-01-12"),
            ("ff_back", "2027-01-07", "2027-01-07"),
            ("ms", "2027-01-04", "2027-01-04"),
            // The beginning of Monday plus two days is the end of Tuesday.
            ("ms_lag", "2027-01-05", "2027-01-05"),
        ],
    );
}

#[test]
fn a_start_date_later_than_the_dependencies_wins_and_a_weekend_one_moves_to_monday() {
    let plan = plan("2027-01-04")
        .task("a", 2)
        .task("b", 1)
        .after("a")
        .not_before("2027-01-16")
        .task("c", 1)
        .after("a")
        .not_before("2027-01-05")
        .build();
    expect(
        &plan,
        &[
            ("b", "2027-01-18", "2027-01-18"),
            ("c", "2027-01-06", "2027-01-06"),
        ],
    );
}

#[test]
fn a_diamond_has_one_critical_branch_and_slack_on_the_other() {
    let plan = plan("2027-01-04")
        .task("start", 1)
        .task("long", 5)
        .after("start")
        .task("short", 2)
        .after("start")
        .task("end", 1)
        .after("long")
        .after("short")
        .build();
    let schedule = expect(
        &plan,
        &[
            ("long", "2027-01-05", "2027-01-11"),
            ("short", "2027-01-05", "2027-01-06"),
            ("end", "2027-01-12", "2027-01-12"),
        ],
    );
    let short = &schedule.tasks[2];
    assert_eq!(
        (short.total_slack, short.free_slack, short.critical),
        (3, 3, false)
    );
    assert_eq!(short.late_start, date("2027-01-08"));
    assert_eq!(short.late_finish, date("2027-01-11"));
    let ids: Vec<&str> = schedule
        .critical_path()
        .into_iter()
        .map(|index| plan.tasks[index].id.as_str())
        .collect();
    assert_eq!(ids, ["start", "long", "end"]);
}

#[test]
fn free_slack_is_what_a_task_can_slip_without_moving_a_successor() {
    // a (1) -> b (1) -> d (1); c (4) -> d. a and b have 2 days of total
    // slack, but a has no free slack: moving it moves b.
    let plan = plan("2027-01-04")
        .task("a", 1)
        .task("b", 1)
        .after("a")
        .task("c", 4)
        .task("d", 1)
        .after("b")
        .after("c")
        .build();
    let schedule = schedule(&plan).expect("schedule");
    let slack: Vec<(i64, i64)> = schedule
        .tasks
        .iter()
        .map(|task| (task.total_slack, task.free_slack))
        .collect();
    assert_eq!(slack, [(2, 0), (2, 2), (0, 0), (0, 0)]);
}

#[test]
fn a_milestone_that_ends_the_project_is_critical() {
    let plan = plan("2027-01-04")
        .task("a", 5)
        .task("b", 2)
        .milestone("done")
        .after("a")
        .after("b")
        .build();
    let schedule = schedule(&plan).expect("schedule");
    assert!(schedule.tasks[2].critical);
    assert!(schedule.tasks[0].critical);
    assert_eq!(schedule.tasks[1].total_slack, 3);
    assert_eq!(schedule.finish, date("2027-01-08"));
}

#[test]
fn a_cycle_is_an_error_naming_its_tasks() {
    let plan = plan("2027-01-04")
        .task("free", 1)
        .task("a", 1)
        .after("c")
        .task("b", 1)
        .after("a")
        .task("c", 1)
        .after("b")
        .task("later", 1)
        .after("c")
        .build();
    let error = schedule(&plan).expect_err("a cycle");
    assert_eq!(error.to_string(), "dependency cycle: a -> c -> b -> a");
    assert_eq!(error.task(), Some(1));
}

#[test]
fn a_task_depending_on_itself_is_a_cycle() {
    let plan = plan("2027-01-04").task("a", 1).after("a").build();
    assert!(matches!(schedule(&plan), Err(ScheduleError::Cycle { .. })));
}

#[test]
fn unknown_dependencies_are_skipped() {
    let plan = plan("2027-01-04").task("a", 2).after("ghost").build();
    expect(&plan, &[("a", "2027-01-04", "2027-01-05")]);
}

#[test]
fn four_hundred_thousand_working_days_with_one_workday_a_week_is_no_trouble() {
    let mut plan = plan("2027-01-06")
        .task("long", 400_000)
        .task("next", 1)
        .after("long")
        .build();
    plan.calendar.workdays = vec![Weekday::Wed];
    let schedule = schedule(&plan).expect("schedule");
    assert_eq!(
        schedule.tasks[0].finish,
        date("2027-01-06") + chrono::Duration::weeks(399_999)
    );
    assert_eq!(
        schedule.tasks[1].start,
        date("2027-01-06") + chrono::Duration::weeks(400_000)
    );
}

#[test]
fn a_schedule_past_9999_is_an_error_at_the_duration_that_pushes_it() {
    // 9999-12-20 is a Monday: `a` ends on the 24th, `b` would end on 10000-01-03.
    let plan = plan("9999-12-20")
        .task("a", 5)
        .task("b", 6)
        .after("a")
        .build();
    match schedule(&plan) {
        Err(ScheduleError::OutOfRange { task, message, .. }) => {
            assert_eq!(task, Some(1));
            assert!(message.contains("9999-12-31"), "{message}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_duration_past_the_end_of_time_is_a_diagnostic_at_the_duration() {
    let mut plan = plan("2027-01-04")
        .task("a", 1)
        .task("huge", i64::MAX)
        .after("a")
        .build();
    plan.tasks[1].duration.pos = Pos { line: 9, col: 12 };
    let error = schedule(&plan).expect_err("out of range");
    assert_eq!(error.task(), Some(1));
    let diagnostics = diagnostics(&plan);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].pos, Pos { line: 9, col: 12 });
    assert!(
        diagnostics[0].message.contains("`huge`"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn a_lag_past_the_end_of_time_points_at_the_dependency() {
    let mut plan = plan("2027-01-04")
        .task("a", 1)
        .task("b", 1)
        .link("a", DependencyKind::FinishToStart, i64::MAX)
        .build();
    plan.tasks[1].depends[0].task.id.pos = Pos { line: 7, col: 3 };
    let diagnostics = diagnostics(&plan);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].pos, Pos { line: 7, col: 3 });
    plan.tasks[1].depends[0].lag = i64::MIN;
    expect(&plan, &[("b", "2027-01-04", "2027-01-04")]);
}

#[test]
fn a_project_near_the_end_of_time_is_an_error_not_a_panic() {
    let plan = plan("2027-01-04").task("a", 5).build();
    let mut late = plan.clone();
    late.project.start = NaiveDate::MAX;
    assert!(schedule(&late).is_err());
    let mut nearly = plan;
    nearly.project.start = NaiveDate::MAX - chrono::Duration::days(2);
    assert!(schedule(&nearly).is_err());
    nearly.tasks[0].duration.value = 1;
    let _ = schedule(&nearly);
}

#[test]
fn without_a_status_date_progress_changes_nothing() {
    let mut plan = plan("2027-01-04")
        .task("a", 5)
        .task("b", 2)
        .after("a")
        .build();
    let before = schedule(&plan).expect("schedule");
    plan.tasks[0].status = TaskStatus::Doing;
    plan.tasks[0].progress = 20;
    plan.log.push(log("a", "2027-01-06"));
    assert_eq!(schedule(&plan).expect("schedule"), before);
}

fn log(task: &str, day: &str) -> LogEntry {
    LogEntry {
        date: date(day),
        date_pos: at(1),
        task: Ref::new(Located::new(task.to_string(), at(1))),
        person: None,
        hours: 4.0,
        note: None,
        pos: at(1),
    }
}

fn with_log(mut plan: Plan, entries: &[(&str, &str)]) -> Plan {
    for (task, day) in entries {
        let mut entry = log(task, day);
        entry.task.index = plan.task_index(task);
        plan.log.push(entry);
    }
    plan
}

#[test]
fn with_a_status_date_done_work_keeps_its_actual_dates() {
    let mut plan = plan("2027-01-04")
        .task("a", 3)
        .task("b", 2)
        .after("a")
        .build();
    plan.project.status_date = Some(date("2027-01-13"));
    plan.tasks[0].status = TaskStatus::Done;
    let plan = with_log(
        plan,
        &[
            ("a", "2027-01-05"),
            ("a", "2027-01-09"),
            ("a", "2027-01-07"),
        ],
    );
    // Logged Tuesday to Saturday: the actual dates are Tuesday to Friday.
    // b has not started, so it waits for the status date.
    expect(
        &plan,
        &[
            ("a", "2027-01-05", "2027-01-08"),
            ("b", "2027-01-13", "2027-01-14"),
        ],
    );
}

#[test]
fn with_a_status_date_work_under_way_keeps_its_start_and_finishes_what_is_left() {
    let mut plan = plan("2027-01-04")
        .task("a", 10)
        .task("b", 4)
        .task("c", 1)
        .after("a")
        .task("d", 2)
        .task("e", 2)
        .build();
    plan.project.status_date = Some(date("2027-01-11"));
    // 10 days, 30% done: 7 days left from Monday the 11th.
    plan.tasks[0].status = TaskStatus::Doing;
    plan.tasks[0].progress = 30;
    // Under way without a log: keeps its planned start.
    plan.tasks[1].status = TaskStatus::Doing;
    plan.tasks[1].progress = 50;
    // Done without a log: keeps its planned dates.
    plan.tasks[3].status = TaskStatus::Done;
    let plan = with_log(plan, &[("a", "2027-01-06")]);
    let schedule = expect(
        &plan,
        &[
            ("a", "2027-01-06", "2027-01-19"),
            ("b", "2027-01-04", "2027-01-12"),
            ("c", "2027-01-20", "2027-01-20"),
            ("d", "2027-01-04", "2027-01-05"),
            ("e", "2027-01-11", "2027-01-12"),
        ],
    );
    assert!(schedule.tasks.iter().all(|task| task.total_slack >= 0));
    assert!(schedule.tasks[0].critical && schedule.tasks[2].critical);
}

/// Work logged before the project starts (an error `check` reports) never
/// moves the project's start: the task counts from the project start.
#[test]
fn work_logged_before_the_project_start_does_not_move_it() {
    let mut plan = plan("2027-01-11")
        .task("a", 3)
        .task("b", 5)
        .after("a")
        .task("c", 2)
        .build();
    plan.project.status_date = Some(date("2027-01-13"));
    plan.tasks[0].status = TaskStatus::Done;
    plan.tasks[1].status = TaskStatus::Doing;
    plan.tasks[1].progress = 40;
    plan.tasks[2].status = TaskStatus::Done;
    let plan = with_log(
        plan,
        &[
            ("a", "2027-01-11"),
            ("b", "2026-12-20"),
            ("b", "2027-01-12"),
            ("c", "2027-01-04"),
            ("c", "2027-01-05"),
        ],
    );
    let schedule = expect(
        &plan,
        &[
            ("a", "2027-01-11", "2027-01-11"),
            // 5 days, 40% done: 3 days left from Wednesday the 13th.
            ("b", "2027-01-11", "2027-01-15"),
            // Everything logged before the start: done on the first day.
            ("c", "2027-01-11", "2027-01-11"),
        ],
    );
    assert_eq!(schedule.start, date("2027-01-11"));
}

#[test]
fn slip_is_counted_in_working_days_against_the_chosen_baseline() {
    let mut plan = plan("2027-01-04")
        .task("a", 5)
        .task("b", 2)
        .after("a")
        .task("c", 1)
        .build();
    plan.tasks[0].baseline = Some(Baseline {
        start: date("2027-01-04"),
        finish: date("2027-01-06"),
    });
    plan.tasks[1].baseline = Some(Baseline {
        start: date("2027-01-07"),
        finish: date("2027-01-08"),
    });
    plan.tasks[1].baselines.push((
        "signed".to_string(),
        Baseline {
            start: date("2027-01-13"),
            finish: date("2027-01-14"),
        },
    ));
    let schedule = schedule(&plan).expect("schedule");
    assert_eq!(schedule.tasks[0].slip, Some(2));
    assert_eq!(schedule.tasks[1].slip, Some(2));
    assert_eq!(schedule.tasks[2].slip, None);
    assert_eq!(
        schedule.baseline.map(|baseline| baseline.finish),
        Some(date("2027-01-08"))
    );
    assert_eq!(schedule.slip, Some(2));
    let signed = schedule_against(&plan, Some("signed")).expect("schedule");
    assert_eq!(signed.tasks[0].slip, None);
    assert_eq!(signed.tasks[1].slip, Some(-2));
    assert_eq!(signed.slip, Some(-2));
}

fn person(id: &str, capacity: f64) -> Person {
    Person {
        id: Located::new(id.to_string(), at(1)),
        name: id.to_string(),
        role: None,
        rate: None,
        capacity,
        skills: Vec::new(),
    }
}

fn own(plan: &mut Plan, task: &str, person: &str, estimate: Option<f64>) {
    let person_index = plan.people.iter().position(|p| p.id.value == person);
    let index = plan.task_index(task).expect("task");
    let mut owner = Ref::new(Located::new(person.to_string(), at(1)));
    owner.index = person_index;
    plan.tasks[index].owner = Some(owner);
    plan.tasks[index].estimate = estimate;
}

#[test]
fn load_spreads_estimates_over_weeks_and_flags_overallocation() {
    let mut plan = plan("2027-01-06")
        .holidays(&["2027-01-18"])
        .task("api", 10)
        .task("ui", 3)
        .task("docs", 2)
        .after("ui")
        .build();
    plan.people = vec![person("ana", 1.0), person("bo", 0.5)];
    // Wed 6th to Wed 20th, skipping the holiday: 3 + 5 + 2 days.
    own(&mut plan, "api", "ana", Some(80.0));
    // Wed 6th to Fri 8th, full time on top of api.
    own(&mut plan, "ui", "ana", None);
    own(&mut plan, "docs", "bo", Some(4.0));
    let schedule = schedule(&plan).expect("schedule");
    let load = load(&plan, &schedule);
    let ana = &load.people[0].weeks;
    let summary: Vec<(String, i64, f64, f64, Vec<usize>)> = ana
        .iter()
        .map(|week| {
            (
                week.week.to_string(),
                week.weeks,
                week.hours,
                week.capacity,
                week.tasks.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2027-01-04".to_string(), 1, 48.0, 40.0, vec![0, 1]),
            ("2027-01-11".to_string(), 1, 40.0, 40.0, vec![0]),
            ("2027-01-18".to_string(), 1, 16.0, 32.0, vec![0]),
        ]
    );
    let over: Vec<(usize, String)> = load
        .overallocated()
        .map(|(person, week)| (person, week.week.to_string()))
        .collect();
    assert_eq!(over, [(0, "2027-01-04".to_string())]);
    let bo = &load.people[1].weeks;
    assert_eq!(bo.len(), 1);
    assert_eq!((bo[0].hours, bo[0].capacity), (4.0, 20.0));
}

#[test]
fn load_of_a_very_long_task_is_a_few_runs_of_weeks() {
    let mut plan = plan("2027-01-04")
        .holidays(&["2027-03-03", "2030-01-01"])
        .task("long", 2_000_000)
        .build();
    plan.people = vec![person("ana", 1.0)];
    own(&mut plan, "long", "ana", None);
    let schedule = schedule(&plan).expect("schedule");
    let load = load(&plan, &schedule);
    let weeks = &load.people[0].weeks;
    assert!(weeks.len() <= 6, "{weeks:?}");
    let total_weeks: i64 = weeks.iter().map(|week| week.weeks).sum();
    assert_eq!(total_weeks, 400_001);
    let total_hours: f64 = weeks
        .iter()
        .map(|week| week.hours * week.weeks as f64)
        .sum();
    assert_eq!(total_hours, 16_000_000.0);
    assert_eq!(load.overallocated().count(), 0);
}
