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

use crate::model::{Baseline, ChecklistItem, Dependency as DependencyModel, Plan, Ref, TaskPatch};
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
    dropped: Vec<&'a str>,
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
    /// The keys a task has in the file, as a new task of a change has them.
    #[serde(flatten)]
    fields: NewTask<'a>,
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
    reason: Option<&'a str>,
    baseline: Option<&'a str>,
    edit: Vec<TaskEdit<'a>>,
    add: Vec<NewTask<'a>>,
}

/// A `[[change.edit]]` table: the keys it sets, None for those it leaves.
#[derive(Serialize)]
struct TaskEdit<'a> {
    task: &'a str,
    name: Option<&'a str>,
    phase: Option<&'a str>,
    owner: Option<&'a str>,
    duration: Option<i64>,
    estimate: Option<f64>,
    depends: Option<Vec<Dependency<'a>>>,
    not_before: Option<Date>,
    milestone: Option<bool>,
    status: Option<&'static str>,
    progress: Option<u8>,
    blocker: Option<&'a str>,
    blocked_since: Option<Date>,
    notes: Option<&'a str>,
}

/// A `[[change.add]]` table: a task as the plan would hold it once the
/// change is done, not scheduled yet.
#[derive(Serialize)]
struct NewTask<'a> {
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
}

fn dependencies(depends: &[DependencyModel]) -> Vec<Dependency<'_>> {
    depends
        .iter()
        .map(|d| Dependency {
            task: &d.task.id.value,
            kind: d.kind.as_str(),
            lag: d.lag,
        })
        .collect()
}

fn task_edit(patch: &TaskPatch) -> TaskEdit<'_> {
    TaskEdit {
        task: &patch.task.value,
        name: patch.name.as_deref(),
        phase: reference(&patch.phase),
        owner: reference(&patch.owner),
        duration: patch.duration.as_ref().map(|d| d.value),
        estimate: patch.estimate.filter(|e| e.is_finite()),
        depends: patch.depends.as_deref().map(dependencies),
        not_before: opt_date(patch.start),
        milestone: patch.milestone,
        status: patch.status.map(|s| s.as_str()),
        progress: patch.progress,
        blocker: patch.blocker.as_deref(),
        blocked_since: opt_date(patch.blocked_since),
        notes: patch.notes.as_deref(),
    }
}

fn new_task(task: &crate::model::Task) -> NewTask<'_> {
    NewTask {
        id: &task.id.value,
        name: &task.name,
        phase: reference(&task.phase),
        owner: reference(&task.owner),
        duration: task.working_days(),
        estimate: task.estimate.filter(|e| e.is_finite()),
        depends: dependencies(&task.depends),
        not_before: opt_date(task.start),
        milestone: task.is_milestone(),
        status: task.status.as_str(),
        progress: task.progress,
        blocker: task.blocker.as_deref(),
        blocked_since: opt_date(task.blocked_since),
        notes: task.notes.as_deref(),
    }
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
    signed_by: Option<&'a str>,
    #[serde(rename = "override")]
    overridden: Option<Override<'a>>,
}

#[derive(Serialize)]
struct Override<'a> {
    by: &'a str,
    date: Option<Date>,
    reason: &'a str,
}

#[derive(Serialize)]
struct Communication<'a> {
    id: &'a str,
    what: &'a str,
    audience: Option<&'a str>,
    cadence: Option<&'a str>,
    channel: Option<&'a str>,
    owner: Option<&'a str>,
    last: Option<Date>,
    next_due: Option<Date>,
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
            dropped: plan
                .scope
                .dropped
                .iter()
                .map(|item| item.value.as_str())
                .collect(),
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
                fields: NewTask {
                    milestone: s.milestone,
                    ..new_task(t)
                },
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
                reason: c.reason.as_deref(),
                baseline: c.baseline.as_ref().map(|b| b.value.as_str()),
                edit: c.edits.iter().map(task_edit).collect(),
                add: c.adds.iter().map(new_task).collect(),
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
                signed_by: g.signed_by.as_deref(),
                overridden: g.overridden.as_ref().map(|o| Override {
                    by: &o.by,
                    date: opt_date(o.date),
                    reason: &o.reason,
                }),
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
                last: opt_date(c.last),
                // As the dashboard and `check` count it.
                next_due: match crate::governance::next_due(
                    c,
                    plan.project.start.max(schedule.start),
                ) {
                    crate::governance::Due::On(due) => Some(date(due)),
                    crate::governance::Due::Text(_) | crate::governance::Due::Unscheduled => None,
                },
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

    const GOVERNED: &str = r#"
[project]
name = "Governed"
start = 2027-01-04

[scope]
included = ["Checkout", "Loyalty"]
dropped = ["Loyalty"]

[[objective]]
id = "O1"
title = "Faster checkout"
target = "p75 under 2 s"
current = "2.7 s"

[[objective]]
id = "O2"
title = "Fewer calls"

[[task]]
id = "api"
name = "Payment API"
duration = 5

[[task]]
id = "live"
name = "Go live"
milestone = true
depends = ["api"]

[[change]]
id = "C1"
title = "Loyalty points"
status = "approved"
reason = "Worth the week"
baseline = "after-c1"

[[change.edit]]
task = "api"
duration = 8
depends = [{ task = "live", type = "ss", lag = 1 }]

[[change.add]]
id = "loyalty"
name = "Loyalty points"
duration = 3
depends = ["api"]

[[change]]
id = "C2"
title = "Nothing to apply"

[[gate]]
id = "G1"
name = "Go-live readiness"
milestone = "live"
checklist = [{ item = "Runbook", done = false }]
signed = 2027-01-12
signed_by = "Ana"
override = { by = "Ben", date = 2027-01-11, reason = "Runbook follows" }

[[gate]]
id = "G2"
name = "Open"

[[communication]]
id = "weekly"
what = "Status report"
cadence = "weekly, Friday"
last = 2027-01-08

[[communication]]
id = "ad-hoc"
what = "Change notices"
cadence = "per change"
"#;

    fn governed() -> serde_json::Value {
        let loaded = crate::store::parse_str(GOVERNED).unwrap_or_else(|d| panic!("{d:?}"));
        let schedule = crate::schedule::schedule(&loaded.plan).unwrap_or_else(|e| panic!("{e:?}"));
        serde_json::from_str(&to_json(&loaded.plan, &schedule)).unwrap_or_default()
    }

    #[test]
    fn governance_keys_are_exported() {
        let d = governed();
        assert_eq!(d["version"], 1);
        assert_eq!(d["scope"]["dropped"], serde_json::json!(["Loyalty"]));
        assert_eq!(d["objectives"][0]["current"], "2.7 s");
        // Every key is present, null when the plan does not set it.
        assert!(
            d["objectives"][1]
                .as_object()
                .is_some_and(|o| o["current"].is_null())
        );

        let c1 = &d["changes"][0];
        assert_eq!(c1["reason"], "Worth the week");
        assert_eq!(c1["baseline"], "after-c1");
        let edit = &c1["edit"][0];
        assert_eq!(edit["task"], "api");
        assert_eq!(edit["duration"], 8);
        assert_eq!(
            edit["depends"],
            serde_json::json!([{ "task": "live", "type": "ss", "lag": 1 }])
        );
        // What the edit leaves alone is null, not absent.
        assert!(
            edit.as_object()
                .is_some_and(|o| o["name"].is_null() && o["status"].is_null())
        );
        let add = &c1["add"][0];
        assert_eq!(add["id"], "loyalty");
        assert_eq!(add["duration"], 3);
        assert_eq!(add["status"], "todo");
        assert_eq!(add["depends"][0]["task"], "api");
        let c2 = &d["changes"][1];
        assert_eq!(c2["edit"], serde_json::json!([]));
        assert_eq!(c2["add"], serde_json::json!([]));
        assert!(c2["reason"].is_null() && c2["baseline"].is_null());

        let g1 = &d["gates"][0];
        assert_eq!(g1["signed_by"], "Ana");
        assert_eq!(
            g1["override"],
            serde_json::json!({ "by": "Ben", "date": "2027-01-11", "reason": "Runbook follows" })
        );
        assert!(
            d["gates"][1]
                .as_object()
                .is_some_and(|g| g["override"].is_null() && g["signed_by"].is_null())
        );

        let weekly = &d["communications"][0];
        assert_eq!(weekly["last"], "2027-01-08");
        // One week after the last, on its Friday.
        assert_eq!(weekly["next_due"], "2027-01-15");
        let ad_hoc = &d["communications"][1];
        assert!(
            ad_hoc
                .as_object()
                .is_some_and(|c| c["last"].is_null() && c["next_due"].is_null())
        );
    }

    #[test]
    fn bidi_overrides_are_escaped_and_read_back() {
        let text = escape_bidi(serde_json::to_string("a\u{202E}b\u{1b}").unwrap_or_default());
        assert_eq!(text, "\"a\\u202eb\\u001b\"");
        let back: String = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, "a\u{202E}b\u{1b}");
    }
}
