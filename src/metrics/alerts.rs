//! What needs attention at a date: risks past their trigger, old blockers,
//! spending above plan, unsigned gates, a missing check-in, over-allocation.

use chrono::{Datelike, Days, NaiveDate};

use super::{Alert, AlertKind, AlertSeverity, AlertTarget, Metrics, format_money, week_monday};
use crate::model::{Plan, RiskTier, TaskStatus};
use crate::schedule::{self, Load, Schedule};

/// A task blocked for longer than this many days raises an alert.
const BLOCKED_DAYS: i64 = 7;
/// A gate still unsigned this many days before its milestone raises an alert.
const GATE_NOTICE_DAYS: i64 = 7;
/// CPI below this means spending runs above plan.
const CPI_ALERT: f64 = 0.9;
/// CPI below this makes the spending alert a high one.
const CPI_HIGH: f64 = 0.8;
/// A risk with at least this score is high when past its trigger.
const HIGH_RISK_SCORE: u8 = 15;

/// Every alert at the status date, the most urgent first.
///
/// Every rule is judged at `metrics.status_date`, so the app and `gantry
/// status` agree whatever day it is; `metrics` must have been computed for
/// the same plan and schedule. The real date (`_today`) is not used by any
/// rule: the plan's "as of" date decides what is late.
pub fn alerts(
    plan: &Plan,
    schedule: &Schedule,
    metrics: &Metrics,
    _today: NaiveDate,
) -> Vec<Alert> {
    alerts_with_load(plan, schedule, metrics, &schedule::load(plan, schedule))
}

/// [`alerts`] for a caller that already holds the schedule's weekly load
/// (the Dashboard shows it too), which is the costly part to compute.
pub fn alerts_with_load(
    plan: &Plan,
    schedule: &Schedule,
    metrics: &Metrics,
    load: &Load,
) -> Vec<Alert> {
    let status_date = metrics.status_date;
    let mut alerts = Vec::new();
    risks_past_trigger(plan, status_date, &mut alerts);
    long_blocked(plan, schedule, status_date, &mut alerts);
    spend_above_plan(metrics, &mut alerts);
    unsigned_gates(plan, schedule, status_date, &mut alerts);
    missing_checkin(plan, schedule, status_date, &mut alerts);
    over_allocated(plan, load, status_date, &mut alerts);
    // Stable: within a severity, kinds keep the order above and each kind
    // keeps plan order.
    alerts.sort_by_key(|alert| (alert.severity, rank(alert.kind)));
    alerts
}

fn rank(kind: AlertKind) -> u8 {
    match kind {
        AlertKind::RiskPastTrigger => 0,
        AlertKind::LongBlocked => 1,
        AlertKind::GateUnsigned => 2,
        AlertKind::SpendAbovePlan => 3,
        AlertKind::OverAllocated => 4,
        AlertKind::MissingCheckin => 5,
    }
}

/// Whole calendar days from `from` to `to`, negative when `to` is earlier.
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

fn plural(count: i64, one: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {one}s")
    }
}

/// Plan text on one line: runs of whitespace become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn risks_past_trigger(plan: &Plan, status_date: NaiveDate, alerts: &mut Vec<Alert>) {
    for (index, risk) in plan.risks.iter().enumerate() {
        let Some(trigger) = risk.trigger.filter(|_| risk.is_past_trigger(status_date)) else {
            continue;
        };
        let urgent = risk.tier == RiskTier::Urgent;
        let severity = if urgent || risk.score() >= HIGH_RISK_SCORE {
            AlertSeverity::High
        } else {
            AlertSeverity::Medium
        };
        let tier = if urgent { ", urgent" } else { "" };
        alerts.push(Alert {
            kind: AlertKind::RiskPastTrigger,
            message: format!(
                "risk {} is still open and its trigger date {trigger} has come (score {}{tier})",
                risk.id.value,
                risk.score()
            ),
            target: AlertTarget::Risk(index),
            severity,
        });
    }
}

fn long_blocked(plan: &Plan, schedule: &Schedule, status_date: NaiveDate, alerts: &mut Vec<Alert>) {
    for (index, task) in plan.tasks.iter().enumerate() {
        if task.status != TaskStatus::Blocked {
            continue;
        }
        let reason = task
            .blocker
            .as_deref()
            .map(one_line)
            .filter(|reason| !reason.is_empty())
            .map(|reason| format!(": {reason}"))
            .unwrap_or_default();
        let message = match task.blocked_since {
            Some(since) => {
                let days = days_between(since, status_date);
                if days <= BLOCKED_DAYS {
                    continue;
                }
                format!(
                    "task {} has been blocked for {} (since {since}){reason}",
                    task.id.value,
                    plural(days, "day")
                )
            }
            None => format!(
                "task {} is blocked and has no blocked_since date, so for how long is unknown{reason}",
                task.id.value
            ),
        };
        let critical = schedule
            .tasks
            .get(index)
            .is_some_and(|dates| dates.critical);
        alerts.push(Alert {
            kind: AlertKind::LongBlocked,
            message,
            target: AlertTarget::Task(index),
            severity: if critical {
                AlertSeverity::High
            } else {
                AlertSeverity::Medium
            },
        });
    }
}

fn spend_above_plan(metrics: &Metrics, alerts: &mut Vec<Alert>) {
    // A CPI over a sliver of spending says nothing yet.
    let Some(cpi) = metrics
        .cpi
        .filter(|&cpi| cpi < CPI_ALERT && metrics.meaningful.cpi)
    else {
        return;
    };
    alerts.push(Alert {
        kind: AlertKind::SpendAbovePlan,
        message: format!(
            "spending runs above plan: CPI {cpi:.2}, {} earned for {} spent",
            format_money(metrics.ev),
            format_money(metrics.ac)
        ),
        target: AlertTarget::Dashboard,
        severity: if cpi < CPI_HIGH {
            AlertSeverity::High
        } else {
            AlertSeverity::Medium
        },
    });
}

fn unsigned_gates(
    plan: &Plan,
    schedule: &Schedule,
    status_date: NaiveDate,
    alerts: &mut Vec<Alert>,
) {
    for (index, gate) in plan.gates.iter().enumerate() {
        if gate.signed.is_some() {
            continue;
        }
        let Some(milestone) = gate.milestone.as_ref() else {
            continue;
        };
        let Some(date) = milestone
            .index
            .and_then(|task| schedule.tasks.get(task))
            .map(|dates| dates.finish)
        else {
            continue;
        };
        let days = days_between(status_date, date);
        if days > GATE_NOTICE_DAYS {
            continue;
        }
        let when = match days {
            0 => "is due on the status date".to_string(),
            days if days > 0 => format!("is due {date}, in {}", plural(days, "day")),
            days => format!("was due {date}, {} ago", plural(-days, "day")),
        };
        alerts.push(Alert {
            kind: AlertKind::GateUnsigned,
            message: format!(
                "gate {} is not signed and its milestone {} {when}",
                gate.id.value, milestone.id.value
            ),
            target: AlertTarget::Gate(index),
            severity: if days < 0 {
                AlertSeverity::High
            } else {
                AlertSeverity::Medium
            },
        });
    }
}

fn missing_checkin(
    plan: &Plan,
    schedule: &Schedule,
    status_date: NaiveDate,
    alerts: &mut Vec<Alert>,
) {
    let Some(last_week) = week_monday(status_date).checked_sub_days(Days::new(7)) else {
        return;
    };
    let last_sunday = last_week
        .checked_add_days(Days::new(6))
        .unwrap_or(last_week);
    // Only a week in which the project ran needs a check-in.
    let project_start = plan.project.start.min(schedule.start);
    if last_sunday < project_start || last_week > schedule.finish {
        return;
    }
    let recorded = plan
        .checkins
        .iter()
        .any(|checkin| week_monday(checkin.week.value) == last_week);
    if recorded {
        return;
    }
    let week = last_week.iso_week();
    alerts.push(Alert {
        kind: AlertKind::MissingCheckin,
        message: format!(
            "no check-in recorded for last week ({}-W{:02}, from {last_week})",
            week.year(),
            week.week()
        ),
        target: AlertTarget::Checkin,
        severity: AlertSeverity::Low,
    });
}

fn over_allocated(plan: &Plan, load: &Load, status_date: NaiveDate, alerts: &mut Vec<Alert>) {
    let this_week = week_monday(status_date);
    for person_load in &load.people {
        let mut first: Option<(NaiveDate, f64, f64)> = None;
        let mut weeks = 0_i64;
        for run in person_load
            .weeks
            .iter()
            .filter(|run| run.is_overallocated())
        {
            let weeks_before = days_between(run.week, this_week).div_euclid(7).max(0);
            let remaining = run.weeks - weeks_before;
            if remaining <= 0 {
                continue;
            }
            if first.is_none() {
                let week = run.week.max(this_week);
                first = Some((week, run.hours, run.capacity));
            }
            weeks += remaining;
        }
        let Some((week, hours, capacity)) = first else {
            continue;
        };
        let Some(person) = plan.people.get(person_load.person) else {
            continue;
        };
        let more = if weeks > 1 {
            format!(" ({} over capacity from then on)", plural(weeks, "week"))
        } else {
            String::new()
        };
        alerts.push(Alert {
            kind: AlertKind::OverAllocated,
            message: format!(
                "{} is over-allocated: {}h booked against {}h in the week of {week}{more}",
                person.id.value,
                hours_text(hours),
                hours_text(capacity)
            ),
            target: AlertTarget::Person(person_load.person),
            severity: AlertSeverity::Low,
        });
    }
}

/// Hours to one decimal, without a trailing `.0`.
fn hours_text(hours: f64) -> String {
    let rounded = (hours * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}
