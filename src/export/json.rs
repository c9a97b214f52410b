//! The whole plan and its computed schedule as one JSON document, for
//! scripts and dashboards. `docs/json.md` is its schema; [`FORMAT`] and
//! [`VERSION`] open every document, and the version goes up whenever a
//! field changes meaning or goes away (adding a field does not).
//!
//! Text is written exactly as the plan has it: JSON escapes control
//! characters itself, and the bidirectional overrides are written as
//! `\u` escapes too, so the document is inert on a terminal and reads back
//! to the same text.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Baseline, ChecklistItem, Plan, Ref};
use crate::schedule::Schedule;

/// The value of the document's `format` field.
pub const FORMAT: &str = "gantry-plan";
/// The value of the document's `version` field.
pub const VERSION: u32 = 1;

type Date = String;

fn date(date: NaiveDate) -> Date {
    date.to_string()
}

fn opt_date(value: Option<NaiveDate>) -> Option<Date> {
    value.map(date)
}

fn reference(value: &Option<Ref>) -> Option<&str> {
    value.as_ref().map(|r| r.id.value.as_str())
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    project: Project<'a>,
    scope: Scope<'a>,
    calendar: CalendarJson,
    objectives: Vec<Objective<'a>>,
    people: Vec<Person<'a>>,
    phases: Vec<Phase<'a>>,
    tasks: Vec<Task<'a>>,
    log: Vec<Log<'a>>,
    risks: Vec<Risk<'a>>,
    changes: Vec<Change<'a>>,
    gates: Vec<Gate<'a>>,
    communications: Vec<Communication<'a>>,
    checkins: Vec<Checkin<'a>>,
    handover: Option<Handover<'a>>,
    review: Option<Review<'a>>,
    schedule: ScheduleJson,
}

#[derive(Serialize)]
struct Project<'a> {
    name: &'a str,
    start: Date,
    status_date: Option<Date>,
    currency: Option<&'a str>,
    budget: Option<f64>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct Scope<'a> {
    included: &'a [String],
    excluded: &'a [String],
}

#[derive(Serialize)]
struct CalendarJson {
    workdays: Vec<String>,
    holidays: Vec<Date>,
    hours_per_day: f64,
}

#[derive(Serialize)]
struct Objective<'a> {
    id: &'a str,
    title: &'a str,
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a str>,
}

#[derive(Serialize)]
struct Person<'a> {
    id: &'a str,
    name: &'a str,
    role: Option<&'a str>,
    rate: Option<f64>,
    capacity: f64,
    skills: &'a [String],
}

#[derive(Serialize)]
struct Phase<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Dependency<'a> {
    task: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    lag: i64,
}

#[derive(Serialize)]
struct Dates {
    start: Date,
    finish: Date,
}

impl From<Baseline> for Dates {
    fn from(baseline: Baseline) -> Self {
        Dates {
            start: date(baseline.start),
            finish: date(baseline.finish),
        }
    }
}

#[derive(Serialize)]
struct Task<'a> {
    id: &'a str,
    name: &'a str,
    phase: Option<&'a str>,
    owner: Option<&'a str>,
    duration: i64,
    estimate: Option<f64>,
    depends: Vec<Dependency<'a>>,
    not_before: Option<Date>,
    milestone: bool,
    status: &'static str,
    progress: u8,
    blocker: Option<&'a str>,
    blocked_since: Option<Date>,
    notes: Option<&'a str>,
    baseline: Option<Dates>,
    baselines: BTreeMap<&'a str, Dates>,
    schedule: TaskScheduleJson,
}

#[derive(Serialize)]
struct TaskScheduleJson {
    start: Date,
    finish: Date,
    late_start: Date,
    late_finish: Date,
    total_slack: i64,
    free_slack: i64,
    critical: bool,
    milestone: bool,
    slip: Option<i64>,
}

#[derive(Serialize)]
struct Log<'a> {
    date: Date,
    task: &'a str,
    person: Option<&'a str>,
    hours: f64,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct Risk<'a> {
    id: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    likelihood: u8,
    impact: u8,
    score: u8,
    trigger: Option<Date>,
    mitigation: Option<&'a str>,
    status: &'static str,
    tier: &'static str,
    tasks: Vec<&'a str>,
    reviewed: Option<Date>,
}

#[derive(Serialize)]
struct Change<'a> {
    id: &'a str,
    title: &'a str,
    requested_by: Option<&'a str>,
    requested: Option<Date>,
    cost: Option<f64>,
    days: Option<i64>,
    status: &'static str,
    decided_by: Option<&'a str>,
    decided: Option<Date>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct Item<'a> {
    item: &'a str,
    done: bool,
}

fn checklist(items: &[ChecklistItem]) -> Vec<Item<'_>> {
    items
        .iter()
        .map(|item| Item {
            item: &item.item,
            done: item.done,
        })
        .collect()
}

#[derive(Serialize)]
struct Gate<'a> {
    id: &'a str,
    name: &'a str,
    milestone: Option<&'a str>,
    checklist: Vec<Item<'a>>,
    approver: Option<&'a str>,
    signed: Option<Date>,
}

#[derive(Serialize)]
struct Communication<'a> {
    id: &'a str,
    what: &'a str,
    audience: Option<&'a str>,
    cadence: Option<&'a str>,
    channel: Option<&'a str>,
    owner: Option<&'a str>,
}

#[derive(Serialize)]
struct CheckinMetrics {
    percent_complete: Option<f64>,
    spi: Option<f64>,
    cpi: Option<f64>,
    open_blockers: Option<i64>,
}

#[derive(Serialize)]
struct Checkin<'a> {
    week: Date,
    done: &'a [String],
    next: &'a [String],
    blocked: &'a [String],
    note: Option<&'a str>,
    metrics: CheckinMetrics,
}

#[derive(Serialize)]
struct Handover<'a> {
    to: Option<&'a str>,
    date: Option<Date>,
    checklist: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Review<'a> {
    date: Option<Date>,
    planned: Option<&'a str>,
    actual: Option<&'a str>,
    went_well: &'a [String],
    improve: &'a [String],
    lessons: &'a [String],
}

#[derive(Serialize)]
struct ScheduleJson {
    start: Date,
    finish: Date,
    baseline: Option<Dates>,
    slip: Option<i64>,
    critical_path: Vec<String>,
}

fn weekday_name(day: chrono::Weekday) -> String {
    day.to_string().to_lowercase()
}

/// The document, pretty-printed, ending in a new line.
pub fn to_json(plan: &Plan, schedule: &Schedule) -> String {
    let document = Document {
        format: FORMAT,
        version: VERSION,
        project: Project {
            name: &plan.project.name,
            start: date(plan.project.start),
            status_date: opt_date(plan.project.status_date),
            currency: plan.project.currency.as_deref(),
            budget: plan.project.budget.filter(|b| b.is_finite()),
            description: plan.project.description.as_deref(),
        },
        scope: Scope {
            included: &plan.scope.included,
            excluded: &plan.scope.excluded,
        },
        calendar: CalendarJson {
            workdays: plan
                .calendar
                .workdays
                .iter()
                .copied()
                .map(weekday_name)
                .collect(),
            holidays: plan.calendar.holidays.iter().copied().map(date).collect(),
            hours_per_day: plan.calendar.hours_per_day,
        },
        objectives: plan
            .objectives
            .iter()
            .map(|o| Objective {
                id: &o.id.value,
                title: &o.title,
                target: o.target.as_deref(),
                current: o.current.as_deref(),
            })
            .collect(),
        people: plan
            .people
            .iter()
            .map(|p| Person {
                id: &p.id.value,
                name: &p.name,
                role: p.role.as_deref(),
                rate: p.rate.filter(|r| r.is_finite()),
                capacity: p.capacity,
                skills: &p.skills,
            })
            .collect(),
        phases: plan
            .phases
            .iter()
            .map(|p| Phase {
                id: &p.id.value,
                name: &p.name,
            })
            .collect(),
        tasks: plan
            .tasks
            .iter()
            .zip(&schedule.tasks)
            .map(|(t, s)| Task {
                id: &t.id.value,
                name: &t.name,
                phase: reference(&t.phase),
                owner: reference(&t.owner),
                duration: t.working_days(),
                estimate: t.estimate.filter(|e| e.is_finite()),
                depends: t
                    .depends
                    .iter()
                    .map(|d| Dependency {
                        task: &d.task.id.value,
                        kind: d.kind.as_str(),
                        lag: d.lag,
                    })
                    .collect(),
                not_before: opt_date(t.start),
                milestone: s.milestone,
                status: t.status.as_str(),
                progress: t.progress,
                blocker: t.blocker.as_deref(),
                blocked_since: opt_date(t.blocked_since),
                notes: t.notes.as_deref(),
                baseline: t.baseline.map(Dates::from),
                baselines: t
                    .baselines
                    .iter()
                    .map(|(name, b)| (name.as_str(), Dates::from(*b)))
                    .collect(),
                schedule: TaskScheduleJson {
                    start: date(s.start),
                    finish: date(s.finish),
                    late_start: date(s.late_start),
                    late_finish: date(s.late_finish),
                    total_slack: s.total_slack,
                    free_slack: s.free_slack,
                    critical: s.critical,
                    milestone: s.milestone,
                    slip: s.slip,
                },
            })
            .collect(),
        log: plan
            .log
            .iter()
            .map(|l| Log {
                date: date(l.date),
                task: &l.task.id.value,
                person: reference(&l.person),
                hours: l.hours,
                note: l.note.as_deref(),
            })
            .collect(),
        risks: plan
            .risks
            .iter()
            .map(|r| Risk {
                id: &r.id.value,
                title: &r.title,
                owner: reference(&r.owner),
                likelihood: r.likelihood,
                impact: r.impact,
                score: r.score(),
                trigger: opt_date(r.trigger),
                mitigation: r.mitigation.as_deref(),
                status: r.status.as_str(),
                tier: r.tier.as_str(),
                tasks: r.tasks.iter().map(|t| t.id.value.as_str()).collect(),
                reviewed: opt_date(r.reviewed),
            })
            .collect(),
        changes: plan
            .changes
            .iter()
            .map(|c| Change {
                id: &c.id.value,
                title: &c.title,
                requested_by: c.requested_by.as_deref(),
                requested: opt_date(c.requested),
                cost: c.cost.filter(|v| v.is_finite()),
                days: c.days,
                status: c.status.as_str(),
                decided_by: c.decided_by.as_deref(),
                decided: opt_date(c.decided),
                note: c.note.as_deref(),
            })
            .collect(),
        gates: plan
            .gates
            .iter()
            .map(|g| Gate {
                id: &g.id.value,
                name: &g.name,
                milestone: reference(&g.milestone),
                checklist: checklist(&g.checklist),
                approver: g.approver.as_deref(),
                signed: opt_date(g.signed),
            })
            .collect(),
        communications: plan
            .communications
            .iter()
            .map(|c| Communication {
                id: &c.id.value,
                what: &c.what,
                audience: c.audience.as_deref(),
                cadence: c.cadence.as_deref(),
                channel: c.channel.as_deref(),
                owner: reference(&c.owner),
            })
            .collect(),
        checkins: plan
            .checkins
            .iter()
            .map(|c| Checkin {
                week: date(c.week.value),
                done: &c.done,
                next: &c.next,
                blocked: &c.blocked,
                note: c.note.as_deref(),
                metrics: CheckinMetrics {
                    percent_complete: c.metrics.percent_complete.filter(|v| v.is_finite()),
                    spi: c.metrics.spi.filter(|v| v.is_finite()),
                    cpi: c.metrics.cpi.filter(|v| v.is_finite()),
                    open_blockers: c.metrics.open_blockers,
                },
            })
            .collect(),
        handover: plan.handover.as_ref().map(|h| Handover {
            to: h.to.as_deref(),
            date: opt_date(h.date),
            checklist: checklist(&h.checklist),
        }),
        review: plan.review.as_ref().map(|r| Review {
            date: opt_date(r.date),
            planned: r.planned.as_deref(),
            actual: r.actual.as_deref(),
            went_well: &r.went_well,
            improve: &r.improve,
            lessons: &r.lessons,
        }),
        schedule: ScheduleJson {
            start: date(schedule.start),
            finish: date(schedule.finish),
            baseline: schedule.baseline.map(Dates::from),
            slip: schedule.slip,
            critical_path: schedule
                .critical_path()
                .into_iter()
                .filter_map(|index| plan.tasks.get(index))
                .map(|task| task.id.value.clone())
                .collect(),
        },
    };
    let text = serde_json::to_string_pretty(&document).unwrap_or_default();
    let mut out = escape_bidi(text);
    out.push('\n');
    out
}

/// The bidirectional overrides and isolates as `\u` escapes: they can only
/// stand inside JSON strings, where the escape means the same character.
fn escape_bidi(text: String) -> String {
    if !text.chars().any(is_bidi) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_overrides_are_escaped_and_read_back() {
        let text = escape_bidi(serde_json::to_string("a\u{202E}b\u{1b}").unwrap_or_default());
        assert_eq!(text, "\"a\\u202eb\\u001b\"");
        let back: String = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, "a\u{202E}b\u{1b}");
    }
}
