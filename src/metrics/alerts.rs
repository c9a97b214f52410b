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

/// Every alert, the most urgent first.
///
/// What the plan records is judged at `metrics.status_date`, the plan's
/// "as of" date, so the app and `gantry status` agree whatever day it is:
/// a risk past its trigger, a long blocker, spending above plan, an
/// unsigned gate, a missing check-in for the week before, over-allocation.
/// A communication item is judged at the later of the status date and
/// `today`: a meeting falls due in real time, whether or not the plan has
/// been brought up to date since. `metrics` must have been computed for
/// the same plan and schedule.
pub fn alerts(plan: &Plan, schedule: &Schedule, metrics: &Metrics, today: NaiveDate) -> Vec<Alert> {
    alerts_at(
        plan,
        schedule,
        metrics,
        &schedule::load(plan, schedule),
        today,
    )
}

/// [`alerts`] for a caller that already holds the schedule's weekly load
/// (the Dashboard shows it too), which is the costly part to compute, and
/// takes the status date for today.
pub fn alerts_with_load(
    plan: &Plan,
    schedule: &Schedule,
    metrics: &Metrics,
    load: &Load,
) -> Vec<Alert> {
    alerts_at(plan, schedule, metrics, load, metrics.status_date)
}

/// [`alerts`] with the weekly load given.
pub fn alerts_at(
    plan: &Plan,
    schedule: &Schedule,
    metrics: &Metrics,
    load: &Load,
    today: NaiveDate,
) -> Vec<Alert> {
    let status_date = metrics.status_date;
    let mut alerts = Vec::new();
    risks_past_trigger(plan, status_date, &mut alerts);
    long_blocked(plan, schedule, status_date, &mut alerts);
    spend_above_plan(metrics, &mut alerts);
    unsigned_gates(plan, schedule, status_date, &mut alerts);
    missing_checkin(plan, schedule, status_date, &mut alerts);
    over_allocated(plan, load, status_date, &mut alerts);
    communications_due(plan, schedule, status_date.max(today), &mut alerts);
    // Stable: within a severity, kinds keep the order above and each kind
    // keeps plan order.
    alerts.sort_by_key(|alert| (alert.severity, rank(alert.kind)));
    alerts
}

/// Communication items past their due date (see `governance::next_due`),
/// while the project runs. Only an item that records when it `last` took
/// place is followed: without it, whether it was held is not known.
fn communications_due(plan: &Plan, schedule: &Schedule, date: NaiveDate, alerts: &mut Vec<Alert>) {
    for (index, communication) in plan
        .communications
        .iter()
        .enumerate()
        .filter(|(_, c)| c.last.is_some())
    {
        let crate::governance::Due::On(due) =
            crate::governance::next_due(communication, plan.project.start.max(schedule.start))
        else {
            continue;
        };
        if due >= date || due > schedule.finish {
            continue;
        }
        let days = days_between(due, date);
        alerts.push(Alert {
            kind: AlertKind::CommunicationDue,
            message: format!(
                "communication {} ({}) was due {due}, {} ago",
                communication.id.value,
                one_line(&communication.what),
                plural(days, "day")
            ),
            target: AlertTarget::Communication(index),
            severity: if days > 7 {
                AlertSeverity::Medium
            } else {
                AlertSeverity::Low
            },
        });
    }
}

fn rank(kind: AlertKind) -> u8 {
    match kind {
        AlertKind::RiskPastTrigger => 0,
        AlertKind::LongBlocked => 1,
        AlertKind::GateUnsigned => 2,
        AlertKind::SpendAbovePlan => 3,
        AlertKind::OverAllocated => 4,
        AlertKind::MissingCheckin => 5,
        AlertKind::CommunicationDue => 6,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    const PLAN: &str = "[project]\nname = \"Shop\"\nstart = 2027-01-04\nstatus_date = 2027-01-20\n\n[[task]]\nid = \"build\"\nname = \"Build\"\nduration = 40\n\n[[checkin]]\nweek = 2027-01-11\n\n[[communication]]\nid = \"steering\"\nwhat = \"Steering update\"\ncadence = \"weekly, Friday\"\nlast = 2027-01-08\n\n[[communication]]\nid = \"demo\"\nwhat = \"Demo\"\ncadence = \"monthly\"\n";

    fn alerts_today(today: &str) -> Vec<Alert> {
        let plan = crate::store::parse_str(PLAN).expect("parses").plan;
        let schedule = schedule::schedule(&plan).expect("schedules");
        let metrics = super::super::compute(&plan, &schedule, date("2027-01-20"));
        alerts(&plan, &schedule, &metrics, date(today))
    }

    fn kinds(alerts: &[Alert]) -> Vec<AlertKind> {
        alerts.iter().map(|alert| alert.kind).collect()
    }

    #[test]
    fn a_communication_is_judged_at_the_later_of_the_status_date_and_today() {
        // Due Friday 2027-01-15; the status date is the 20th.
        let at_status = alerts_today("2027-01-10");
        assert_eq!(kinds(&at_status), [AlertKind::CommunicationDue]);
        assert_eq!(
            at_status[0].message,
            "communication steering (Steering update) was due 2027-01-15, 5 days ago"
        );
        assert_eq!(at_status[0].severity, AlertSeverity::Low);
        let later = alerts_today("2027-01-30");
        assert_eq!(
            later[0].message,
            "communication steering (Steering update) was due 2027-01-15, 15 days ago"
        );
        assert_eq!(later[0].severity, AlertSeverity::Medium);
    }

    #[test]
    fn the_plan_s_own_records_are_judged_at_the_status_date_whatever_today_is() {
        // Last week (from 2027-01-11) has its check-in as of the status
        // date; a later today does not move the week looked at.
        let later = alerts_today("2027-02-15");
        assert!(
            !kinds(&later).contains(&AlertKind::MissingCheckin),
            "{later:?}"
        );
    }
}
