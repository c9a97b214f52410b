//! Every metric on a worked example computed by hand, the empty and zero
//! cases, and properties over random plans. Dates in January 2027: the 4th
//! is a Monday; the calendar is Monday to Friday.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::curve::{Timeline, working_days_through};
use super::*;
use crate::schedule::{self, Calendar};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn plan(text: &str) -> Plan {
    let loaded = crate::store::parse_str(text).expect("the test plan parses");
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.plan
}

fn metrics_at(plan: &Plan, status_date: &str) -> Metrics {
    let schedule = schedule::schedule(plan).expect("the test plan schedules");
    compute(plan, &schedule, date(status_date))
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9 * expected.abs().max(1.0)
}

macro_rules! assert_close {
    ($actual:expr, $expected:expr) => {{
        let (actual, expected): (f64, f64) = ($actual, $expected);
        assert!(
            close(actual, expected),
            "{} = {actual}, expected {expected}",
            stringify!($actual)
        );
    }};
}

/// The worked example of `docs/metrics.md`.
///
/// | task   | owner (rate) | planned window          | estimate | budget |
/// |--------|--------------|-------------------------|----------|--------|
/// | design | ana (100)    | Mon 01-04 to Fri 01-08  | 40 h     | 4,000  |
/// | build  | ben (50)     | Mon 01-11 to Fri 01-22  | 80 h     | 4,000  |
/// | docs   | cy (no rate) | Mon 01-04 to Tue 01-05  | 16 h     | 0      |
/// | launch | ana (100)    | milestone Fri 01-22     | 10 h     | 1,000  |
/// | review | ben (50)     | Mon 01-04               | none     | 0      |
///
/// design and build have baselines equal to their scheduled dates; docs
/// and review have none, so their scheduled dates are used.
const WORKED: &str = r#"
[project]
name = "Worked example"
start = 2027-01-04
currency = "EUR"

[[person]]
id = "ana"
rate = 100

[[person]]
id = "ben"
rate = 50

[[person]]
id = "cy"

[[task]]
id = "design"
name = "Design"
owner = "ana"
duration = 5
estimate = 40
status = "done"
progress = 100
baseline = { start = 2027-01-04, finish = 2027-01-08 }

[[task]]
id = "build"
name = "Build"
owner = "ben"
duration = 10
estimate = 80
depends = ["design"]
status = "doing"
progress = 20
baseline = { start = 2027-01-11, finish = 2027-01-22 }

[[task]]
id = "docs"
name = "Docs"
owner = "cy"
duration = 2
estimate = 16

[[task]]
id = "launch"
name = "Launch"
owner = "ana"
milestone = true
estimate = 10
depends = ["build"]
baseline = { start = 2027-01-22, finish = 2027-01-22 }

[[task]]
id = "review"
name = "Review"
owner = "ben"
status = "blocked"
blocked_since = 2027-01-04

[[log]]
date = 2027-01-06
task = "design"
hours = 24

[[log]]
date = 2027-01-08
task = "design"
person = "ana"
hours = 20

[[log]]
date = 2027-01-12
task = "build"
hours = 10

[[log]]
date = 2027-01-13
task = "build"
person = "cy"
hours = 8

[[log]]
date = 2027-01-14
task = "build"
hours = 8
"#;

#[test]
fn the_worked_example_by_hand() {
    let plan = plan(WORKED);
    // Status date: Wednesday 2027-01-13.
    let m = metrics_at(&plan, "2027-01-13");

    // BAC = 40 x 100 + 80 x 50 + 16 x 0 (cy has no rate) + 10 x 100 + 0 = 9,000.
    assert_close!(m.bac, 9000.0);
    // PV: design's 5 days have all passed: 4,000. build has passed 3 of its
    // 10 days (Mon 11, Tue 12, Wed 13): 4,000 x 3/10 = 1,200. launch (Fri 22)
    // has not come: 0. PV = 5,200.
    assert_close!(m.pv, 5200.0);
    // EV: design is done, 4,000; build 20% of 4,000 = 800. EV = 4,800.
    assert_close!(m.ev, 4800.0);
    // AC: 24 h x 100 (design's owner) + 20 h x 100 (ana) + 10 h x 50 (build's
    // owner) + 8 h x 0 (cy has no rate) = 4,900; the 14th is after the status date.
    assert_close!(m.ac, 4900.0);
    // SV = 4,800 - 5,200 = -400; CV = 4,800 - 4,900 = -100.
    assert_close!(m.sv, -400.0);
    assert_close!(m.cv, -100.0);
    // SPI = 4,800 / 5,200 = 12/13; CPI = 4,800 / 4,900 = 48/49.
    assert_close!(m.spi.expect("spi"), 12.0 / 13.0);
    assert_close!(m.cpi.expect("cpi"), 48.0 / 49.0);
    // EAC = 9,000 / (48/49) = 9,187.50; ETC = 9,187.50 - 4,900 = 4,287.50;
    // VAC = 9,000 - 9,187.50 = -187.50.
    assert_close!(m.eac.expect("eac"), 9187.5);
    assert_close!(m.etc.expect("etc"), 4287.5);
    assert_close!(m.vac.expect("vac"), -187.5);
    // Elapsed: Jan 4-8 and 11-13 are 8 working days, 8/5 = 1.6 weeks.
    assert_eq!(m.elapsed_days, 8);
    // Burn = 4,900 / 1.6 = 3,062.50; planned burn = 5,200 / 1.6 = 3,250.
    assert_close!(m.burn_rate.expect("burn"), 3062.5);
    assert_close!(m.planned_burn_rate.expect("planned burn"), 3250.0);
    // One task is blocked; the baseline finish (Jan 22) is the schedule's.
    assert_eq!(m.open_blockers, 1);
    assert_eq!(m.variance_days, Some(0));
    // The planned curve runs from Mon Jan 4 to Fri Jan 22: 15 working days.
    assert_eq!(m.planned_start, date("2027-01-04"));
    assert_eq!(m.planned_finish, date("2027-01-22"));
    assert_eq!(m.planned_duration, 15);
    // ES: the curve reaches 4,000 at the end of day 5 (design) and then
    // grows by 400 a day (build): 4,800 is reached at 5 + 800/400 = 7.
    assert_close!(m.earned_schedule.expect("es"), 7.0);
    // SPI(t) = 7 / 8 = 0.875; IEAC(t) = 15 / 0.875 = 17.142857...
    assert_close!(m.spi_t.expect("spi(t)"), 0.875);
    assert_close!(m.ieac_t.expect("ieac(t)"), 15.0 / 0.875);
    // The 18th working day from Jan 4 (17.14 rounded up) is Wed Jan 27.
    assert_eq!(m.forecast_finish, Some(date("2027-01-27")));
    // Percent complete = 4,800 / 9,000 = 53.33%.
    assert_close!(m.percent_complete, 4800.0 / 9000.0 * 100.0);
}

#[test]
fn the_planned_value_curve_steps_through_the_example() {
    let plan = plan(WORKED);
    let schedule = schedule::schedule(&plan).expect("schedules");
    let calendar = Calendar::new(&plan.calendar).expect("calendar");
    let budgets: Vec<f64> = plan.tasks.iter().map(|t| task_budget(&plan, t)).collect();
    let timeline = Timeline::new(&calendar, &plan, &schedule, &budgets, date("2027-01-13"));
    // 800 a day for five days, 400 a day for ten, and the milestone's 1,000
    // on day 15.
    let expected = [
        0.0, 800.0, 1600.0, 2400.0, 3200.0, 4000.0, 4400.0, 4800.0, 5200.0, 5600.0, 6000.0, 6400.0,
        6800.0, 7200.0, 7600.0, 9000.0, 9000.0,
    ];
    for (k, value) in expected.iter().enumerate() {
        assert_close!(timeline.planned_value_after(k as i64), *value);
    }
    // Between whole days the curve is a straight line: halfway through day
    // 15 (7,600 to 9,000) is 8,300.
    assert_close!(timeline.earned_schedule(8300.0, 9000.0, 8.0), 14.5);
    assert_close!(timeline.earned_schedule(0.0, 9000.0, 8.0), 0.0);
    assert_close!(timeline.earned_schedule(9000.0, 9000.0, 8.0), 15.0);
    assert_close!(timeline.earned_schedule(4000.0, 9000.0, 8.0), 5.0);
}

#[test]
fn planned_value_is_the_curve_at_every_status_date() {
    let plan = plan(WORKED);
    let schedule = schedule::schedule(&plan).expect("schedules");
    let calendar = Calendar::new(&plan.calendar).expect("calendar");
    let budgets: Vec<f64> = plan.tasks.iter().map(|t| task_budget(&plan, t)).collect();
    let mut day = date("2026-12-28");
    while day < date("2027-02-08") {
        let timeline = Timeline::new(&calendar, &plan, &schedule, &budgets, day);
        let k = working_days_through(&calendar, date("2027-01-04"), day);
        assert_close!(timeline.planned_value, timeline.planned_value_after(k));
        day = day.succ_opt().expect("a next day");
    }
}

#[test]
fn on_a_flat_stretch_the_earned_schedule_is_the_actual_time() {
    // a earns 4,000 over Jan 4-8; nothing is planned Jan 11-15; b earns
    // 4,000 over Jan 18-22. On Wed Jan 13 (8 working days) PV = EV = 4,000.
    let text = r#"
[project]
name = "Gap"
start = 2027-01-04

[[person]]
id = "ana"
rate = 100

[[task]]
id = "a"
name = "A"
owner = "ana"
duration = 5
estimate = 40
status = "done"

[[task]]
id = "b"
name = "B"
owner = "ana"
duration = 5
estimate = 40
start = 2027-01-18
"#;
    let m = metrics_at(&plan(text), "2027-01-13");
    assert_close!(m.pv, 4000.0);
    assert_close!(m.ev, 4000.0);
    // The curve is at 4,000 from day 5 to day 10: the time nearest 8 is 8.
    assert_close!(m.earned_schedule.expect("es"), 8.0);
    assert_close!(m.spi_t.expect("spi(t)"), 1.0);
    assert_eq!(m.forecast_finish, Some(date("2027-01-22")));
    // On Mon Jan 25 (15 days) the project should be over: ES is the end of
    // the flat stretch, day 10, and SPI(t) = 10/15.
    let m = metrics_at(&plan(text), "2027-01-25");
    assert_close!(m.earned_schedule.expect("es"), 10.0);
    // Before the gap, on Tue Jan 5, 4,000 is ahead of plan: ES = 5.
    let m = metrics_at(&plan(text), "2027-01-05");
    assert_close!(m.earned_schedule.expect("es"), 5.0);
    assert_close!(m.spi_t.expect("spi(t)"), 2.5);
}

#[test]
fn a_milestone_counts_once_its_date_is_the_status_date() {
    let plan = plan(WORKED);
    // On Thu Jan 21 build has passed 9 of 10 days: 4,000 + 3,600 = 7,600.
    assert_close!(metrics_at(&plan, "2027-01-21").pv, 7600.0);
    // On Fri Jan 22 build is over and the launch milestone is due: 9,000.
    assert_close!(metrics_at(&plan, "2027-01-22").pv, 9000.0);
    // A weekend adds nothing.
    assert_close!(metrics_at(&plan, "2027-01-24").pv, 9000.0);
}

#[test]
fn the_variance_is_the_schedule_slip() {
    // build's baseline ended two working days earlier (Wed Jan 20).
    let text = WORKED.replace(
        "baseline = { start = 2027-01-11, finish = 2027-01-22 }",
        "baseline = { start = 2027-01-11, finish = 2027-01-20 }",
    );
    let text = text.replace(
        "baseline = { start = 2027-01-22, finish = 2027-01-22 }",
        "baseline = { start = 2027-01-20, finish = 2027-01-20 }",
    );
    let plan = plan(&text);
    let schedule = schedule::schedule(&plan).expect("schedules");
    let m = compute(&plan, &schedule, date("2027-01-13"));
    assert_eq!(m.variance_days, Some(2));
    assert_eq!(m.variance_days, schedule.slip);
    // build is now planned over 8 days: 3 of them passed, 4,000 x 3/8 = 1,500.
    assert_close!(m.pv, 5500.0);
}

#[test]
fn without_a_baseline_there_is_no_variance() {
    let plan = plan(&WORKED.replace("baseline = {", "# baseline = {"));
    let m = metrics_at(&plan, "2027-01-13");
    assert_eq!(m.variance_days, None);
    // The scheduled dates are the same as the baselines were: same PV.
    assert_close!(m.pv, 5200.0);
}

const MINIMAL: &str = r#"
[project]
name = "No money"
start = 2027-01-04

[[task]]
id = "a"
name = "A"
duration = 3
status = "done"

[[task]]
id = "b"
name = "B"
duration = 1
progress = 50
depends = ["a"]

[[task]]
id = "m"
name = "M"
milestone = true
depends = ["b"]
"#;

#[test]
fn without_a_budget_ratios_are_none_and_progress_is_by_duration() {
    let m = metrics_at(&plan(MINIMAL), "2027-01-05");
    assert_eq!(m.bac, 0.0);
    assert_eq!(m.pv, 0.0);
    assert_eq!(m.ev, 0.0);
    assert_eq!(m.ac, 0.0);
    assert_eq!(m.spi, None);
    assert_eq!(m.cpi, None);
    assert_eq!(m.eac, None);
    assert_eq!(m.etc, None);
    assert_eq!(m.vac, None);
    assert_eq!(m.earned_schedule, None);
    assert_eq!(m.spi_t, None);
    assert_eq!(m.forecast_finish, None);
    // Two working days (Mon 4, Tue 5) have passed: nothing spent, nothing planned.
    assert_eq!(m.elapsed_days, 2);
    assert_eq!(m.burn_rate, Some(0.0));
    assert_eq!(m.planned_burn_rate, Some(0.0));
    // (3 days x 100% + 1 day x 50% + milestone x 0 days) / 4 days = 87.5%.
    assert_close!(m.percent_complete, 87.5);
}

#[test]
fn without_a_log_there_is_no_cost_index() {
    let text = WORKED
        .split("[[log]]")
        .next()
        .expect("the part before the log")
        .to_string();
    let m = metrics_at(&plan(&text), "2027-01-13");
    assert_eq!(m.ac, 0.0);
    assert_close!(m.cv, 4800.0);
    assert_eq!(m.cpi, None);
    assert_eq!(m.eac, None);
    assert_eq!(m.etc, None);
    assert_eq!(m.vac, None);
    assert_eq!(m.burn_rate, Some(0.0));
    // The schedule side does not need costs.
    assert_close!(m.spi.expect("spi"), 12.0 / 13.0);
    assert_eq!(m.forecast_finish, Some(date("2027-01-27")));
}

#[test]
fn before_the_start_nothing_has_elapsed() {
    let m = metrics_at(&plan(WORKED), "2027-01-01");
    assert_eq!(m.elapsed_days, 0);
    assert_eq!(m.pv, 0.0);
    assert_eq!(m.ac, 0.0);
    assert_eq!(m.spi, None);
    assert_eq!(m.cpi, None);
    assert_eq!(m.burn_rate, None);
    assert_eq!(m.planned_burn_rate, None);
    assert_eq!(m.spi_t, None);
    assert_eq!(m.ieac_t, None);
    assert_eq!(m.forecast_finish, None);
    // Progress is as recorded, whatever the date.
    assert_close!(m.ev, 4800.0);
}

#[test]
fn with_everything_done_the_forecast_is_the_status_date() {
    let text = WORKED
        .replace(
            "status = \"doing\"\nprogress = 20",
            "status = \"done\"\nprogress = 100",
        )
        .replace("milestone = true", "milestone = true\nstatus = \"done\"");
    let m = metrics_at(&plan(&text), "2027-01-13");
    assert_close!(m.ev, 9000.0);
    assert_close!(m.percent_complete, 100.0);
    // All earned by the end of the curve (day 15) after 8 working days:
    // SPI(t) = 15/8, IEAC(t) = 15 / (15/8) = 8 days: Wed Jan 13.
    assert_close!(m.earned_schedule.expect("es"), 15.0);
    assert_close!(m.spi_t.expect("spi(t)"), 15.0 / 8.0);
    assert_eq!(m.forecast_finish, Some(date("2027-01-13")));
    // EAC = 9,000 / (9,000 / 4,900) = 4,900: the money already spent.
    assert_close!(m.eac.expect("eac"), 4900.0);
    assert_close!(m.etc.expect("etc"), 0.0);
}

#[test]
fn nothing_earned_gives_no_forecast() {
    let text = WORKED
        .replace(
            "status = \"done\"\nprogress = 100",
            "status = \"doing\"\nprogress = 0",
        )
        .replace("progress = 20", "progress = 0");
    let m = metrics_at(&plan(&text), "2027-01-13");
    assert_eq!(m.ev, 0.0);
    assert_eq!(m.cpi, Some(0.0));
    // EAC = BAC / 0 has no value.
    assert_eq!(m.eac, None);
    assert_eq!(m.earned_schedule, Some(0.0));
    assert_eq!(m.spi_t, Some(0.0));
    assert_eq!(m.ieac_t, None);
    assert_eq!(m.forecast_finish, None);
}

#[test]
fn an_empty_plan_has_zeros_and_nones() {
    let m = metrics_at(
        &plan("[project]\nname = \"Empty\"\nstart = 2027-01-04\n"),
        "2027-01-13",
    );
    assert_eq!(m.bac, 0.0);
    assert_eq!(m.pv, 0.0);
    assert_eq!(m.percent_complete, 0.0);
    assert_eq!(m.open_blockers, 0);
    assert_eq!(m.spi, None);
    assert_eq!(m.earned_schedule, None);
    assert_eq!(m.forecast_finish, None);
}

#[test]
fn money_is_grouped_in_thousands() {
    assert_eq!(format_money(0.0), "0.00");
    assert_eq!(format_money(-0.001), "0.00");
    assert_eq!(format_money(9187.5), "9,187.50");
    assert_eq!(format_money(-187.5), "-187.50");
    assert_eq!(format_money(1_234_567.891), "1,234,567.89");
    assert_eq!(format_money(999.999), "1,000.00");
    assert_eq!(format_money(f64::NAN), "n/a");
}

#[test]
fn weeks_start_on_monday() {
    assert_eq!(week_monday(date("2027-01-13")), date("2027-01-11"));
    assert_eq!(week_monday(date("2027-01-11")), date("2027-01-11"));
    assert_eq!(week_monday(date("2027-01-17")), date("2027-01-11"));
    assert_eq!(
        week_as_of(date("2027-01-11"), date("2027-01-13")),
        date("2027-01-13")
    );
    assert_eq!(
        week_as_of(date("2027-01-04"), date("2027-01-13")),
        date("2027-01-10")
    );
}

// ---- alerts ----------------------------------------------------------------

const ALERTING: &str = r#"
[project]
name = "Alerts"
start = 2027-01-04

[[person]]
id = "ana"
rate = 100
capacity = 0.5

[[task]]
id = "build"
name = "Build"
owner = "ana"
duration = 10
estimate = 80
status = "blocked"
progress = 10
blocker = "Waiting for   credentials"
blocked_since = 2027-01-04

[[task]]
id = "side"
name = "Side work"
status = "blocked"

[[task]]
id = "fresh"
name = "Fresh blocker"
status = "blocked"
blocked_since = 2027-01-12

[[task]]
id = "live"
name = "Live"
milestone = true
depends = ["build"]

[[log]]
date = 2027-01-05
task = "build"
hours = 20

[[risk]]
id = "R1"
title = "Vendor late"
likelihood = 4
impact = 4
trigger = 2027-01-13
tier = "urgent"

[[risk]]
id = "R2"
title = "Not yet"
likelihood = 2
impact = 2
trigger = 2027-01-14

[[risk]]
id = "R3"
title = "Closed already"
likelihood = 5
impact = 5
trigger = 2027-01-05
status = "closed"

[[gate]]
id = "G1"
name = "Go-live"
milestone = "live"

[[checkin]]
week = 2027-01-04
"#;

fn alerts_at(text: &str, today: &str) -> Vec<Alert> {
    let plan = plan(text);
    let schedule = schedule::schedule(&plan).expect("schedules");
    let metrics = compute(&plan, &schedule, date(today));
    alerts(&plan, &schedule, &metrics, date(today))
}

#[test]
fn every_kind_of_alert_points_at_its_cause() {
    // Wed Jan 13: build (blocked since Jan 4, 9 days) is over a week; side
    // has no date; fresh is a day old. R1 triggers today; R2 tomorrow; R3
    // is closed. live is on Fri Jan 15, in 2 days, and G1 is unsigned.
    // Spent 20 h x 100 = 2,000 for 10% of 8,000 = 800 earned: CPI 0.4.
    // Last week (Jan 4) has a check-in. ana works half time (20 h a week)
    // and build books 40 h a week.
    let alerts = alerts_at(ALERTING, "2027-01-13");
    let summary: Vec<(AlertKind, AlertTarget, AlertSeverity)> = alerts
        .iter()
        .map(|alert| (alert.kind, alert.target, alert.severity))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                AlertKind::RiskPastTrigger,
                AlertTarget::Risk(0),
                AlertSeverity::High
            ),
            (
                AlertKind::LongBlocked,
                AlertTarget::Task(0),
                AlertSeverity::High
            ),
            (
                AlertKind::SpendAbovePlan,
                AlertTarget::Dashboard,
                AlertSeverity::High
            ),
            (
                AlertKind::LongBlocked,
                AlertTarget::Task(1),
                AlertSeverity::Medium
            ),
            (
                AlertKind::GateUnsigned,
                AlertTarget::Gate(0),
                AlertSeverity::Medium
            ),
            (
                AlertKind::OverAllocated,
                AlertTarget::Person(0),
                AlertSeverity::Low
            ),
        ]
    );
    let messages: Vec<&str> = alerts.iter().map(|alert| alert.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "risk R1 is still open and its trigger date 2027-01-13 has come (score 16, urgent)",
            "task build has been blocked for 9 days (since 2027-01-04): Waiting for credentials",
            "spending runs above plan: CPI 0.40, 800.00 earned for 2,000.00 spent",
            "task side is blocked and has no blocked_since date, so for how long is unknown",
            "gate G1 is not signed and its milestone live is due 2027-01-15, in 2 days",
            "ana is over-allocated: 40h booked against 20h in the week of 2027-01-11",
        ]
    );
}

#[test]
fn a_missing_check_in_and_a_past_gate_are_reported() {
    // Tue Jan 19: last week (Jan 11) has no check-in; live was on Jan 15.
    let alerts = alerts_at(ALERTING, "2027-01-19");
    let gate = alerts
        .iter()
        .find(|alert| alert.kind == AlertKind::GateUnsigned)
        .expect("a gate alert");
    assert_eq!(
        gate.message,
        "gate G1 is not signed and its milestone live was due 2027-01-15, 4 days ago"
    );
    assert_eq!(gate.severity, AlertSeverity::High);
    let checkin = alerts
        .iter()
        .find(|alert| alert.kind == AlertKind::MissingCheckin)
        .expect("a check-in alert");
    assert_eq!(
        checkin.message,
        "no check-in recorded for last week (2027-W02, from 2027-01-11)"
    );
    assert_eq!(checkin.target, AlertTarget::Checkin);
    assert_eq!(
        alerts.last().map(|alert| alert.kind),
        Some(AlertKind::MissingCheckin)
    );
    // The over-allocation is over by then.
    assert!(
        !alerts
            .iter()
            .any(|alert| alert.kind == AlertKind::OverAllocated)
    );
}

#[test]
fn a_signed_gate_a_recorded_week_and_an_early_date_raise_nothing() {
    let text = ALERTING
        .replace(
            "milestone = \"live\"",
            "milestone = \"live\"\nsigned = 2027-01-08",
        )
        .replace("week = 2027-01-04", "week = 2027-01-11");
    let alerts = alerts_at(&text, "2027-01-19");
    assert!(!alerts.iter().any(|alert| matches!(
        alert.kind,
        AlertKind::GateUnsigned | AlertKind::MissingCheckin
    )));
    // Before the project starts, no week needs a check-in and no trigger has come.
    let alerts = alerts_at(&text, "2027-01-01");
    assert!(!alerts.iter().any(|alert| matches!(
        alert.kind,
        AlertKind::MissingCheckin | AlertKind::RiskPastTrigger
    )));
}

// ---- check-in drafts and milestones -----------------------------------------

#[test]
fn the_draft_lists_the_week_the_next_week_blockers_and_risks() {
    let text = format!(
        "{WORKED}\n{}",
        r#"
[[risk]]
id = "R1"
title = "Reviewed long ago"
likelihood = 2
impact = 2
reviewed = 2027-01-01

[[risk]]
id = "R2"
title = "Reviewed this week, trigger far away"
likelihood = 5
impact = 5
trigger = 2027-03-01
reviewed = 2027-01-12

[[risk]]
id = "R3"
title = "Trigger soon"
likelihood = 3
impact = 3
trigger = 2027-01-20
reviewed = 2027-01-12
status = "mitigated"

[[risk]]
id = "R4"
title = "Closed"
likelihood = 5
impact = 5
status = "closed"
"#
    );
    let plan = plan(&text);
    let schedule = schedule::schedule(&plan).expect("schedules");
    // Week of Jan 4 (asked for with its Thursday): design (done) finishes
    // Jan 8; docs finishes Jan 5 but is not done. Next week (Jan 11-17):
    // build starts. Blocked: review. Risks: R3 triggers within 7 days of
    // Sunday Jan 10 (Jan 17)? No: Jan 20 is later; R1 was reviewed more
    // than 7 days before Jan 10; R2 and R3 were reviewed after the week.
    let draft = checkin_draft(&plan, &schedule, date("2027-01-07"));
    assert_eq!(draft.week, date("2027-01-04"));
    assert_eq!(draft.done, vec![0]);
    assert_eq!(draft.next, vec![1]);
    assert_eq!(draft.blocked, vec![4]);
    assert_eq!(draft.risks_due, vec![0]);
    // Week of Jan 11: nothing finishes; next week build finishes (Jan 22)
    // and launch is due. R3's trigger (Jan 20) is within 7 days of Jan 17.
    let draft = checkin_draft(&plan, &schedule, date("2027-01-11"));
    assert_eq!(draft.done, Vec::<usize>::new());
    assert_eq!(draft.next, vec![1, 3]);
    assert_eq!(draft.risks_due, vec![2, 0]);
}

#[test]
fn upcoming_milestones_are_within_the_window_and_by_date() {
    let text = format!(
        "{WORKED}\n{}",
        "[[task]]\nid = \"kickoff\"\nname = \"Kick-off\"\nmilestone = true\n"
    );
    let plan = plan(&text);
    let schedule = schedule::schedule(&plan).expect("schedules");
    // kickoff is at the project start (Jan 4), launch on Jan 22.
    assert_eq!(
        upcoming_milestones(&plan, &schedule, date("2027-01-04"), 30),
        vec![5, 3]
    );
    assert_eq!(
        upcoming_milestones(&plan, &schedule, date("2027-01-05"), 17),
        vec![3]
    );
    assert_eq!(
        upcoming_milestones(&plan, &schedule, date("2027-01-05"), 16),
        Vec::<usize>::new()
    );
    assert_eq!(
        upcoming_milestones(&plan, &schedule, date("2027-01-04"), -1),
        Vec::<usize>::new()
    );
}

// ---- properties over random plans -------------------------------------------

/// One random task: duration, estimate, owner, status, progress,
/// dependency (how far back), baseline shift in days.
type TaskSpec = (i64, Option<u16>, Option<usize>, u8, u8, usize, Option<i64>);

fn random_plan_text(
    rates: &[Option<u16>],
    tasks: &[TaskSpec],
    log: &[(usize, i64, u8)],
    status_offset: i64,
) -> String {
    let start = date("2027-01-04");
    let mut text = String::from("[project]\nname = \"Random\"\nstart = 2027-01-04\n");
    let status = start + chrono::Duration::days(status_offset);
    text.push_str(&format!("status_date = {status}\n\n"));
    for (index, rate) in rates.iter().enumerate() {
        text.push_str(&format!("[[person]]\nid = \"p{index}\"\n"));
        if let Some(rate) = rate {
            text.push_str(&format!("rate = {rate}\n"));
        }
        text.push('\n');
    }
    for (index, (duration, estimate, owner, status, progress, back, shift)) in
        tasks.iter().enumerate()
    {
        text.push_str(&format!(
            "[[task]]\nid = \"t{index}\"\nname = \"T{index}\"\nduration = {duration}\n"
        ));
        if let Some(estimate) = estimate {
            text.push_str(&format!("estimate = {estimate}\n"));
        }
        if let Some(owner) = owner.filter(|_| !rates.is_empty()) {
            text.push_str(&format!("owner = \"p{}\"\n", owner % rates.len()));
        }
        let status = ["todo", "doing", "done", "blocked"][usize::from(*status % 4)];
        text.push_str(&format!(
            "status = \"{status}\"\nprogress = {}\n",
            progress % 101
        ));
        if *back > 0 && *back <= index {
            text.push_str(&format!("depends = [\"t{}\"]\n", index - back));
        }
        if let Some(shift) = shift {
            let from = start + chrono::Duration::days(*shift);
            let to = from + chrono::Duration::days((*duration).max(0) * 7 / 5);
            text.push_str(&format!("baseline = {{ start = {from}, finish = {to} }}\n"));
        }
        text.push('\n');
    }
    for (task, offset, hours) in log {
        if tasks.is_empty() {
            break;
        }
        let day = start + chrono::Duration::days(*offset);
        text.push_str(&format!(
            "[[log]]\ndate = {day}\ntask = \"t{}\"\nhours = {}\n\n",
            task % tasks.len(),
            (*hours % 24) + 1
        ));
    }
    text
}

fn task_spec() -> impl Strategy<Value = TaskSpec> {
    (
        0i64..15,
        proptest::option::of(0u16..200),
        proptest::option::of(0usize..5),
        0u8..4,
        0u8..=100,
        0usize..4,
        proptest::option::of(-10i64..60),
    )
}

fn finite(value: f64) -> bool {
    value.is_finite()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn metrics_are_never_nan_or_infinite(
        rates in proptest::collection::vec(proptest::option::of(0u16..300), 0..4),
        tasks in proptest::collection::vec(task_spec(), 0..25),
        log in proptest::collection::vec((0usize..25, 0i64..100, 0u8..30), 0..30),
        status_offset in -30i64..120,
        asked_offset in -30i64..150,
    ) {
        let text = random_plan_text(&rates, &tasks, &log, status_offset);
        let plan = plan(&text);
        let schedule = schedule::schedule(&plan).expect("random plans schedule");
        let status_date = date("2027-01-04") + chrono::Duration::days(asked_offset);
        let m = compute(&plan, &schedule, status_date);
        for value in [m.bac, m.pv, m.ev, m.ac, m.sv, m.cv, m.percent_complete] {
            prop_assert!(finite(value), "{m:?}");
        }
        for value in [m.spi, m.cpi, m.eac, m.etc, m.vac, m.burn_rate, m.planned_burn_rate,
                      m.earned_schedule, m.spi_t, m.ieac_t].into_iter().flatten() {
            prop_assert!(finite(value), "{m:?}");
        }
        let tolerance = 1e-6 * m.bac.max(1.0);
        prop_assert!(m.pv >= 0.0 && m.pv <= m.bac + tolerance, "{m:?}");
        prop_assert!(m.ev >= 0.0 && m.ev <= m.bac + tolerance, "{m:?}");
        prop_assert!((0.0..=100.0).contains(&m.percent_complete), "{m:?}");
        prop_assert!(m.elapsed_days >= 0 && m.planned_duration >= 0);
        if let Some(es) = m.earned_schedule {
            prop_assert!(es >= 0.0 && es <= m.planned_duration as f64 + 1e-9, "{m:?}");
        }
        prop_assert_eq!(m.spi.is_none(), m.pv == 0.0);
        prop_assert_eq!(m.cpi.is_none(), m.ac == 0.0);
        prop_assert_eq!(m.variance_days, schedule.slip);

        // The alerts and the draft take any plan too.
        let alerts = alerts(&plan, &schedule, &m, status_date);
        prop_assert_eq!(
            &alerts,
            &alerts_with_load(&plan, &schedule, &m, &schedule::load(&plan, &schedule))
        );
        for pair in alerts.windows(2) {
            prop_assert!(pair[0].severity <= pair[1].severity);
        }
        let draft = checkin_draft(&plan, &schedule, status_date);
        prop_assert_eq!(draft.week, week_monday(status_date));
        prop_assert!(draft.done.iter().chain(&draft.next).all(|&index| index < plan.tasks.len()));
    }
}

/// One task of 10 days and 100 h at 100 an hour: BAC 10,000, PV 1,000 a day.
fn early_plan(log_days: &[&str]) -> Plan {
    let mut text = String::from(
        "[project]\nname = \"Early\"\nstart = 2027-01-04\n\n[[person]]\nid = \"ana\"\nname = \"Ana\"\nrate = 100\n\n[[task]]\nid = \"a\"\nname = \"A\"\nowner = \"ana\"\nduration = 10\nestimate = 100\nstatus = \"doing\"\nprogress = 1\n",
    );
    for day in log_days {
        text.push_str(&format!(
            "\n[[log]]\ndate = {day}\ntask = \"a\"\nhours = 8\n"
        ));
    }
    plan(&text)
}

#[test]
fn indices_are_meaningful_once_their_denominators_reach_a_tenth() {
    // Day one: PV 1,000 (10% of BAC, enough), AC 800 (8%, not), 1 of 10 days.
    let plan = early_plan(&["2027-01-04"]);
    let m = metrics_at(&plan, "2027-01-04");
    assert_close!(m.pv, 1000.0);
    assert_close!(m.ac, 800.0);
    assert_eq!(
        m.meaningful,
        Meaningful {
            spi: true,
            cpi: false,
            spi_t: true,
            progress_as_of: None
        }
    );
    assert_eq!(
        m.caveats(),
        ["CPI, EAC, ETC and VAC are not yet meaningful: AC is 8.0% of BAC (under 10%)"]
    );
    // CPI 0.13 over 800 spent raises no alert yet...
    assert!(m.cpi.is_some_and(|cpi| cpi < 0.9));
    let schedule = schedule::schedule(&plan).expect("schedules");
    let quiet = alerts(&plan, &schedule, &m, date("2027-01-04"));
    assert!(
        quiet.iter().all(|a| a.kind != AlertKind::SpendAbovePlan),
        "{quiet:?}"
    );
    // ...but over 1,600 it does.
    let plan = early_plan(&["2027-01-04", "2027-01-05"]);
    let m = metrics_at(&plan, "2027-01-05");
    assert!(m.meaningful.all());
    assert!(m.caveats().is_empty());
    let schedule = schedule::schedule(&plan).expect("schedules");
    let loud = alerts(&plan, &schedule, &m, date("2027-01-05"));
    assert!(
        loud.iter().any(|a| a.kind == AlertKind::SpendAbovePlan),
        "{loud:?}"
    );
}

#[test]
fn figures_before_the_plans_own_status_date_are_never_meaningful() {
    let mut plan = early_plan(&["2027-01-04", "2027-01-05", "2027-01-06"]);
    plan.project.status_date = Some(date("2027-01-08"));
    let m = metrics_at(&plan, "2027-01-06");
    assert_eq!(m.meaningful.progress_as_of, Some(date("2027-01-08")));
    assert!(!m.meaningful.spi && !m.meaningful.cpi && !m.meaningful.spi_t);
    assert_eq!(m.caveats().len(), 1);
    let m = metrics_at(&plan, "2027-01-08");
    assert_eq!(m.meaningful.progress_as_of, None);
    assert!(m.meaningful.all());
}
