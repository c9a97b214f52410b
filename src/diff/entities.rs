//! Field by field: what differs in each entity both versions hold, and
//! which entities only one of them holds.

use std::collections::HashMap;

use crate::model::{
    Baseline, ChangeStatus, ChecklistItem, Dependency, Plan, Ref, RiskStatus, Task, TaskStatus,
};

use super::pair::{self, Pairing, PlanPairing};
use super::{
    DateMove, EntityChange, EntityDiff, EntitySummary, Event, FieldChange, LogDiff, LogSummary,
    PlanDiff, Side, Value,
};

/// What the story needs from the comparison.
pub(super) struct Context {
    /// Old task ids that changed, to their new ids.
    pub renamed: HashMap<String, String>,
    pub old_of_new: Vec<Option<usize>>,
    pub new_of_old: Vec<Option<usize>>,
    /// For each new task index, its entry in `diff.tasks.changed`.
    pub change_of_new: Vec<Option<usize>>,
}

/// Compares everything but the story, filling `diff`.
pub(super) fn compare_all(old: &Side<'_>, new: &Side<'_>, diff: &mut PlanDiff) -> Context {
    let mut pairing = pair::pair_plans(old.plan, new.plan);
    let renamed_pairs = pair::pair_renamed(
        &mut pairing.tasks,
        &old.plan.tasks,
        &new.plan.tasks,
        |task| (!task.name.trim().is_empty()).then_some(task.name.as_str()),
    );
    let renamed: HashMap<String, String> = renamed_pairs
        .iter()
        .map(|&(o, n)| {
            (
                old.plan.tasks[o].id.value.clone(),
                new.plan.tasks[n].id.value.clone(),
            )
        })
        .collect();
    let ids = Renames(&renamed);

    if old.present && new.present {
        diff.project = project_fields(old.plan, new.plan);
    }
    let (task_diff, changed_tasks) = tasks(old.plan, new.plan, &pairing.tasks, &ids);
    diff.tasks = task_diff;
    diff.phases = entity_diff(
        &pairing.phases,
        &old.plan.phases,
        &new.plan.phases,
        |phase| summary(&phase.id.value, &phase.name, Vec::new()),
        |o, n, fields| {
            fields.check("name", &o.name, &n.name, |v| Value::text(v));
            events_if(fields, "name", Event::Renamed)
        },
    );
    diff.people = entity_diff(
        &pairing.people,
        &old.plan.people,
        &new.plan.people,
        |person| {
            let mut facts = Vec::new();
            if let Some(role) = &person.role {
                facts.push(("role", Value::text(role)));
            }
            if let Some(rate) = person.rate {
                facts.push(("rate", Value::Number(rate)));
            }
            summary(&person.id.value, &person.name, facts)
        },
        |o, n, fields| {
            fields.check("name", &o.name, &n.name, |v| Value::text(v));
            fields.check("role", &o.role, &n.role, |v| Value::opt_text(v.as_deref()));
            fields.number("rate", o.rate, n.rate);
            fields.number("capacity", Some(o.capacity), Some(n.capacity));
            fields.check("skills", &o.skills, &n.skills, |v| Value::list(v));
            Vec::new()
        },
    );
    diff.objectives = entity_diff(
        &pairing.objectives,
        &old.plan.objectives,
        &new.plan.objectives,
        |objective| {
            let facts = objective
                .target
                .iter()
                .map(|target| ("target", Value::text(target)))
                .collect();
            summary(&objective.id.value, &objective.title, facts)
        },
        |o, n, fields| {
            fields.check("title", &o.title, &n.title, |v| Value::text(v));
            fields.check("target", &o.target, &n.target, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("current", &o.current, &n.current, |v| {
                Value::opt_text(v.as_deref())
            });
            Vec::new()
        },
    );
    diff.risks = risks(old.plan, new.plan, &pairing, &ids);
    diff.changes = changes(old.plan, new.plan, &pairing);
    diff.gates = entity_diff(
        &pairing.gates,
        &old.plan.gates,
        &new.plan.gates,
        |gate| {
            let mut facts = Vec::new();
            if let Some(milestone) = &gate.milestone {
                facts.push(("milestone", Value::opt_id(Some(&milestone.id.value))));
            }
            facts.push(("checklist", checklist(&gate.checklist)));
            if let Some(signed) = gate.signed {
                facts.push(("signed", Value::Date(signed)));
            }
            summary(&gate.id.value, &gate.name, facts)
        },
        |o, n, fields| {
            fields.check("name", &o.name, &n.name, |v| Value::text(v));
            fields.check(
                "milestone",
                &o.milestone.as_ref().map(|r| ids.of(&r.id.value)),
                &n.milestone.as_ref().map(|r| r.id.value.as_str()),
                |v| Value::opt_id(*v),
            );
            fields.check("checklist", &o.checklist, &n.checklist, |v| checklist(v));
            fields.check("approver", &o.approver, &n.approver, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("signed", &o.signed, &n.signed, |v| Value::opt_date(*v));
            fields.check("signed_by", &o.signed_by, &n.signed_by, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check(
                "override",
                &o.overridden.as_ref().map(override_text),
                &n.overridden.as_ref().map(override_text),
                |v| Value::opt_text(v.as_deref()),
            );
            let mut events = events_if(fields, "name", Event::Renamed);
            match (o.signed, n.signed) {
                (None, Some(_)) => events.push(Event::Signed),
                (Some(_), None) => events.push(Event::Unsigned),
                _ => {}
            }
            events
        },
    );
    diff.communications = entity_diff(
        &pairing.communications,
        &old.plan.communications,
        &new.plan.communications,
        |item| {
            let mut facts = Vec::new();
            if let Some(audience) = &item.audience {
                facts.push(("audience", Value::text(audience)));
            }
            if let Some(cadence) = &item.cadence {
                facts.push(("cadence", Value::text(cadence)));
            }
            summary(&item.id.value, &item.what, facts)
        },
        |o, n, fields| {
            fields.check("what", &o.what, &n.what, |v| Value::text(v));
            fields.check("audience", &o.audience, &n.audience, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("cadence", &o.cadence, &n.cadence, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("channel", &o.channel, &n.channel, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("owner", &ref_id(&o.owner), &ref_id(&n.owner), |v| {
                Value::opt_id(*v)
            });
            Vec::new()
        },
    );
    diff.checkins = entity_diff(
        &pairing.checkins,
        &old.plan.checkins,
        &new.plan.checkins,
        |checkin| {
            let mut facts = vec![
                ("done", Value::Int(checkin.done.len() as i64)),
                ("next", Value::Int(checkin.next.len() as i64)),
                ("blocked", Value::Int(checkin.blocked.len() as i64)),
            ];
            if let Some(note) = &checkin.note {
                facts.push(("note", Value::text(note)));
            }
            let week = checkin.week.value.to_string();
            summary(&week, &format!("week of {week}"), facts)
        },
        |o, n, fields| {
            fields.check("done", &o.done, &n.done, |v| Value::list(v));
            fields.check("next", &o.next, &n.next, |v| Value::list(v));
            fields.check("blocked", &o.blocked, &n.blocked, |v| Value::list(v));
            fields.check("note", &o.note, &n.note, |v| Value::opt_text(v.as_deref()));
            let (om, nm) = (&o.metrics, &n.metrics);
            fields.number(
                "metrics.percent_complete",
                om.percent_complete,
                nm.percent_complete,
            );
            fields.number("metrics.spi", om.spi, nm.spi);
            fields.number("metrics.cpi", om.cpi, nm.cpi);
            fields.check(
                "metrics.open_blockers",
                &om.open_blockers,
                &nm.open_blockers,
                |v| Value::opt_int(*v),
            );
            Vec::new()
        },
    );
    diff.log = log(old.plan, new.plan, &pairing);
    let old_of_new = pairing.tasks.old_of_new(new.plan.tasks.len());
    let new_of_old = pairing.tasks.new_of_old(old.plan.tasks.len());
    let mut change_of_new = vec![None; new.plan.tasks.len()];
    for (position, index) in changed_tasks.into_iter().enumerate() {
        if let Some(slot) = change_of_new.get_mut(index) {
            *slot = Some(position);
        }
    }
    let context = Context {
        renamed,
        old_of_new,
        new_of_old,
        change_of_new,
    };
    dates(old, new, &context, diff);
    context
}

/// Old ids read as new ones, so a renamed task's dependents do not all
/// show a changed dependency.
struct Renames<'a>(&'a HashMap<String, String>);

impl Renames<'_> {
    fn of<'s>(&'s self, id: &'s str) -> &'s str {
        self.0.get(id).map_or(id, String::as_str)
    }
}

/// The changed fields of one entity.
#[derive(Default)]
struct Fields {
    list: Vec<FieldChange>,
}

impl Fields {
    fn check<T: PartialEq + ?Sized>(
        &mut self,
        field: &str,
        old: &T,
        new: &T,
        value: impl Fn(&T) -> Value,
    ) {
        if old != new {
            self.list.push(FieldChange {
                field: field.to_owned(),
                old: value(old),
                new: value(new),
            });
        }
    }

    /// Numbers compare by their bits, so a NaN read from the file is not a
    /// change every time.
    fn number(&mut self, field: &str, old: Option<f64>, new: Option<f64>) {
        if old.map(f64::to_bits) != new.map(f64::to_bits) {
            self.list.push(FieldChange {
                field: field.to_owned(),
                old: Value::opt_number(old),
                new: Value::opt_number(new),
            });
        }
    }

    fn has(&self, field: &str) -> bool {
        self.list.iter().any(|change| change.field == field)
    }
}

fn events_if(fields: &Fields, field: &str, event: Event) -> Vec<Event> {
    if fields.has(field) {
        vec![event]
    } else {
        Vec::new()
    }
}

fn summary(id: &str, name: &str, facts: Vec<(&'static str, Value)>) -> EntitySummary {
    EntitySummary {
        id: id.to_owned(),
        name: name.to_owned(),
        facts,
    }
}

trait Named {
    fn id(&self) -> &str;
    fn name(&self) -> String;
}

macro_rules! named {
    ($type:ty, $field:ident) => {
        impl Named for $type {
            fn id(&self) -> &str {
                &self.id.value
            }
            fn name(&self) -> String {
                self.$field.clone()
            }
        }
    };
}

named!(crate::model::Phase, name);
named!(crate::model::Person, name);
named!(crate::model::Objective, title);
named!(crate::model::Task, name);
named!(crate::model::Risk, title);
named!(crate::model::ChangeRequest, title);
named!(crate::model::Gate, name);
named!(crate::model::Communication, what);

impl Named for crate::model::Checkin {
    fn id(&self) -> &str {
        ""
    }
    fn name(&self) -> String {
        format!("week of {}", self.week.value)
    }
}

/// Added, removed and changed entities of one kind, in the new version's
/// order (removed ones in the old version's).
fn entity_diff_indexed<T: Named>(
    pairing: &Pairing,
    old: &[T],
    new: &[T],
    describe: impl Fn(&T) -> EntitySummary,
    compare: impl Fn(&T, &T, &mut Fields) -> Vec<Event>,
) -> (EntityDiff, Vec<usize>) {
    let mut diff = EntityDiff {
        added: pairing.added.iter().map(|&i| describe(&new[i])).collect(),
        removed: pairing.removed.iter().map(|&i| describe(&old[i])).collect(),
        changed: Vec::new(),
    };
    let mut changed_new = Vec::new();
    let mut matched = pairing.matched.clone();
    matched.sort_unstable_by_key(|pair| pair.1);
    for (o, n) in matched {
        let (old_item, new_item) = (&old[o], &new[n]);
        let mut fields = Fields::default();
        let mut events = compare(old_item, new_item, &mut fields);
        let old_id = (old_item.id() != new_item.id()).then(|| old_item.id().to_owned());
        if old_id.is_some() {
            events.insert(0, Event::IdChanged);
        }
        if fields.list.is_empty() && old_id.is_none() {
            continue;
        }
        let id = if new_item.id().is_empty() {
            // Check-ins are known by their week.
            describe(new_item).id
        } else {
            new_item.id().to_owned()
        };
        changed_new.push(n);
        diff.changed.push(EntityChange {
            id,
            old_id,
            name: new_item.name(),
            fields: fields.list,
            events,
        });
    }
    (diff, changed_new)
}

fn entity_diff<T: Named>(
    pairing: &Pairing,
    old: &[T],
    new: &[T],
    describe: impl Fn(&T) -> EntitySummary,
    compare: impl Fn(&T, &T, &mut Fields) -> Vec<Event>,
) -> EntityDiff {
    entity_diff_indexed(pairing, old, new, describe, compare).0
}

fn ref_id(reference: &Option<Ref>) -> Option<&str> {
    reference.as_ref().map(|r| r.id.value.as_str())
}

/// A dependency as `gantry task set` takes it: `ID`, `ID:ss`, `ID:fs+2`.
pub(super) fn dependency_text(id: &str, dependency: &Dependency) -> String {
    use crate::model::DependencyKind;
    let lag = match dependency.lag {
        0 => String::new(),
        lag if lag > 0 => format!("+{lag}"),
        lag => lag.to_string(),
    };
    if dependency.kind == DependencyKind::FinishToStart && lag.is_empty() {
        id.to_owned()
    } else {
        format!("{id}:{}{lag}", dependency.kind.as_str())
    }
}

fn checklist(items: &[ChecklistItem]) -> Value {
    Value::Checklist(items.iter().map(|i| (i.item.clone(), i.done)).collect())
}

fn baseline_text(baseline: &Option<Baseline>) -> Value {
    baseline.map_or(Value::None, |b| {
        Value::keyword(format!("{}..{}", b.start, b.finish))
    })
}

fn task_summary(task: &Task) -> EntitySummary {
    let mut facts = Vec::new();
    if let Some(phase) = &task.phase {
        facts.push(("phase", Value::opt_id(Some(&phase.id.value))));
    }
    if task.is_milestone() {
        facts.push(("milestone", Value::Bool(true)));
    } else {
        facts.push(("duration", Value::Int(task.working_days())));
    }
    if let Some(owner) = &task.owner {
        facts.push(("owner", Value::opt_id(Some(&owner.id.value))));
    }
    if !task.depends.is_empty() {
        facts.push((
            "depends",
            Value::Ids(
                task.depends
                    .iter()
                    .map(|d| dependency_text(&d.task.id.value, d))
                    .collect(),
            ),
        ));
    }
    if task.status != TaskStatus::Todo {
        facts.push(("status", Value::keyword(task.status.as_str())));
    }
    summary(&task.id.value, &task.name, facts)
}

fn tasks(old: &Plan, new: &Plan, pairing: &Pairing, ids: &Renames<'_>) -> (EntityDiff, Vec<usize>) {
    entity_diff_indexed(
        pairing,
        &old.tasks,
        &new.tasks,
        task_summary,
        |o, n, fields| {
            fields.check("name", &o.name, &n.name, |v| Value::text(v));
            fields.check("phase", &ref_id(&o.phase), &ref_id(&n.phase), |v| {
                Value::opt_id(*v)
            });
            fields.check("owner", &ref_id(&o.owner), &ref_id(&n.owner), |v| {
                Value::opt_id(*v)
            });
            fields.check("milestone", &o.milestone, &n.milestone, |v| Value::Bool(*v));
            fields.check("duration", &o.duration.value, &n.duration.value, |v| {
                Value::Int(*v)
            });
            fields.number("estimate", o.estimate, n.estimate);
            let same_links = o.depends.len() == n.depends.len()
                && o.depends.iter().zip(&n.depends).all(|(a, b)| {
                    ids.of(&a.task.id.value) == b.task.id.value
                        && a.kind == b.kind
                        && a.lag == b.lag
                });
            if !same_links {
                fields.list.push(FieldChange {
                    field: "depends".to_owned(),
                    old: Value::Ids(
                        o.depends
                            .iter()
                            .map(|d| dependency_text(ids.of(&d.task.id.value), d))
                            .collect(),
                    ),
                    new: Value::Ids(
                        n.depends
                            .iter()
                            .map(|d| dependency_text(&d.task.id.value, d))
                            .collect(),
                    ),
                });
            }
            fields.check("start", &o.start, &n.start, |v| Value::opt_date(*v));
            fields.check("status", &o.status, &n.status, |v| {
                Value::keyword(v.as_str())
            });
            fields.check("progress", &o.progress, &n.progress, |v| {
                Value::Int(i64::from(*v))
            });
            fields.check("blocker", &o.blocker, &n.blocker, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("blocked_since", &o.blocked_since, &n.blocked_since, |v| {
                Value::opt_date(*v)
            });
            fields.check("notes", &o.notes, &n.notes, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("baseline", &o.baseline, &n.baseline, baseline_text);
            fields.check("baselines", &o.baselines, &n.baselines, |v| {
                Value::List(
                    v.iter()
                        .map(|(name, b)| format!("{name} {}..{}", b.start, b.finish))
                        .collect(),
                )
            });
            let mut events = events_if(fields, "name", Event::Renamed);
            if fields.has("phase") {
                events.push(Event::MovedPhase);
            }
            let finished = |t: &Task| crate::metrics::is_finished(t);
            match (finished(o), finished(n)) {
                (false, true) => events.push(Event::Finished),
                (true, false) => events.push(Event::Reopened),
                _ => {
                    if o.status == TaskStatus::Todo && n.status == TaskStatus::Doing {
                        events.push(Event::Started);
                    }
                }
            }
            match (
                o.status == TaskStatus::Blocked,
                n.status == TaskStatus::Blocked,
            ) {
                (false, true) => events.push(Event::Blocked),
                (true, false) => events.push(Event::Unblocked),
                _ => {}
            }
            events
        },
    )
}

fn risks(old: &Plan, new: &Plan, pairing: &PlanPairing, ids: &Renames<'_>) -> EntityDiff {
    entity_diff(
        &pairing.risks,
        &old.risks,
        &new.risks,
        |risk| {
            let mut facts = vec![
                ("score", Value::Int(i64::from(risk.score()))),
                ("likelihood", Value::Int(i64::from(risk.likelihood))),
                ("impact", Value::Int(i64::from(risk.impact))),
                ("status", Value::keyword(risk.status.as_str())),
            ];
            if let Some(owner) = &risk.owner {
                facts.push(("owner", Value::opt_id(Some(&owner.id.value))));
            }
            summary(&risk.id.value, &risk.title, facts)
        },
        |o, n, fields| {
            fields.check("title", &o.title, &n.title, |v| Value::text(v));
            fields.check("owner", &ref_id(&o.owner), &ref_id(&n.owner), |v| {
                Value::opt_id(*v)
            });
            fields.check("likelihood", &o.likelihood, &n.likelihood, |v| {
                Value::Int(i64::from(*v))
            });
            fields.check("impact", &o.impact, &n.impact, |v| {
                Value::Int(i64::from(*v))
            });
            fields.check("score", &o.score(), &n.score(), |v| {
                Value::Int(i64::from(*v))
            });
            fields.check("trigger", &o.trigger, &n.trigger, |v| Value::opt_date(*v));
            fields.check("mitigation", &o.mitigation, &n.mitigation, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("status", &o.status, &n.status, |v| {
                Value::keyword(v.as_str())
            });
            fields.check("tier", &o.tier, &n.tier, |v| Value::keyword(v.as_str()));
            let old_tasks: Vec<&str> = o.tasks.iter().map(|t| ids.of(&t.id.value)).collect();
            let new_tasks: Vec<&str> = n.tasks.iter().map(|t| t.id.value.as_str()).collect();
            fields.check("tasks", &old_tasks, &new_tasks, |v| {
                Value::Ids(v.iter().map(|s| s.to_string()).collect())
            });
            fields.check("reviewed", &o.reviewed, &n.reviewed, |v| {
                Value::opt_date(*v)
            });
            let mut events = events_if(fields, "title", Event::Renamed);
            if o.status != n.status {
                events.push(match n.status {
                    RiskStatus::Open => Event::RiskReopened,
                    RiskStatus::Mitigated => Event::RiskMitigated,
                    RiskStatus::Closed => Event::RiskClosed,
                    RiskStatus::Occurred => Event::RiskOccurred,
                });
            }
            if o.score() != n.score() {
                events.push(Event::Rescored);
            }
            events
        },
    )
}

fn changes(old: &Plan, new: &Plan, pairing: &PlanPairing) -> EntityDiff {
    entity_diff(
        &pairing.changes,
        &old.changes,
        &new.changes,
        |change| {
            let mut facts = vec![("status", Value::keyword(change.status.as_str()))];
            if let Some(cost) = change.cost {
                facts.push(("cost", Value::Number(cost)));
            }
            if let Some(days) = change.days {
                facts.push(("days", Value::Int(days)));
            }
            if let Some(by) = &change.requested_by {
                facts.push(("requested_by", Value::text(by)));
            }
            summary(&change.id.value, &change.title, facts)
        },
        |o, n, fields| {
            fields.check("title", &o.title, &n.title, |v| Value::text(v));
            fields.check("requested_by", &o.requested_by, &n.requested_by, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("requested", &o.requested, &n.requested, |v| {
                Value::opt_date(*v)
            });
            fields.number("cost", o.cost, n.cost);
            fields.check("days", &o.days, &n.days, |v| Value::opt_int(*v));
            fields.check("status", &o.status, &n.status, |v| {
                Value::keyword(v.as_str())
            });
            fields.check("decided_by", &o.decided_by, &n.decided_by, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check("decided", &o.decided, &n.decided, |v| Value::opt_date(*v));
            fields.check("note", &o.note, &n.note, |v| Value::opt_text(v.as_deref()));
            fields.check("reason", &o.reason, &n.reason, |v| {
                Value::opt_text(v.as_deref())
            });
            fields.check(
                "baseline",
                &o.baseline.as_ref().map(|b| &b.value),
                &n.baseline.as_ref().map(|b| &b.value),
                |v| Value::opt_text(v.map(String::as_str)),
            );
            fields.check("edit", &task_edits(&o.edits), &task_edits(&n.edits), |v| {
                Value::List(v.clone())
            });
            fields.check("add", &new_tasks(&o.adds), &new_tasks(&n.adds), |v| {
                Value::List(v.clone())
            });
            let mut events = events_if(fields, "title", Event::Renamed);
            if o.status != n.status {
                events.push(match n.status {
                    ChangeStatus::Proposed => Event::Reproposed,
                    ChangeStatus::Approved => Event::Approved,
                    ChangeStatus::Rejected => Event::Rejected,
                    ChangeStatus::Done => Event::Carried,
                });
            }
            events
        },
    )
}

/// A change request's task edits, one line each as `change show` writes
/// them: `api: duration = 8, estimate = 64`.
fn task_edits(edits: &[crate::model::TaskPatch]) -> Vec<String> {
    edits
        .iter()
        .map(|patch| {
            let values: Vec<String> = crate::governance::workflow::patch_values(patch)
                .into_iter()
                .map(|(field, value)| format!("{} = {}", field.key(), value.to_string().trim()))
                .collect();
            format!("{}: {}", patch.task.value, values.join(", "))
        })
        .collect()
}

/// A change request's new tasks, one line each: `loyalty: Loyalty points`,
/// and the task's keys when they change.
fn new_tasks(adds: &[Task]) -> Vec<String> {
    adds.iter()
        .map(|task| {
            let depends: Vec<String> = task
                .depends
                .iter()
                .map(|d| dependency_text(&d.task.id.value, d))
                .collect();
            let mut text = format!("{}: {}", task.id.value, task.name);
            text.push_str(&format!(", {} days", task.working_days()));
            if !depends.is_empty() {
                text.push_str(&format!(", after {}", depends.join(", ")));
            }
            text
        })
        .collect()
}

fn log(old: &Plan, new: &Plan, pairing: &PlanPairing) -> LogDiff {
    let summary = |entry: &crate::model::LogEntry| LogSummary {
        date: entry.date,
        task: entry.task.id.value.clone(),
        person: entry.person.as_ref().map(|p| p.id.value.clone()),
        hours: entry.hours,
        note: entry.note.clone(),
    };
    let mut matched = pairing.log.matched.clone();
    matched.sort_unstable_by_key(|pair| pair.1);
    let changed = matched
        .into_iter()
        .filter(|&(o, n)| {
            old.log[o].hours.to_bits() != new.log[n].hours.to_bits()
                || old.log[o].note != new.log[n].note
        })
        .map(|(o, n)| (summary(&old.log[o]), summary(&new.log[n])))
        .collect();
    LogDiff {
        added: pairing
            .log
            .added
            .iter()
            .map(|&i| summary(&new.log[i]))
            .collect(),
        removed: pairing
            .log
            .removed
            .iter()
            .map(|&i| summary(&old.log[i]))
            .collect(),
        changed,
    }
}

fn weekday_names(days: &[chrono::Weekday]) -> Value {
    Value::Keywords(
        days.iter()
            .map(|day| day.to_string().to_ascii_lowercase())
            .collect(),
    )
}

fn checklist_of(handover: Option<&crate::model::Handover>) -> Value {
    checklist(handover.map_or(&[][..], |h| &h.checklist))
}

/// `[project]`, `[calendar]`, `[scope]`, `[handover]` and `[review]`.
fn project_fields(old: &Plan, new: &Plan) -> Vec<FieldChange> {
    let mut fields = Fields::default();
    let (o, n) = (&old.project, &new.project);
    fields.check("project.name", &o.name, &n.name, |v| Value::text(v));
    fields.check("project.start", &o.start, &n.start, |v| Value::Date(*v));
    fields.check("project.status_date", &o.status_date, &n.status_date, |v| {
        Value::opt_date(*v)
    });
    fields.check("project.currency", &o.currency, &n.currency, |v| {
        Value::opt_text(v.as_deref())
    });
    fields.number("project.budget", o.budget, n.budget);
    fields.check("project.description", &o.description, &n.description, |v| {
        Value::opt_text(v.as_deref())
    });
    let (o, n) = (&old.calendar, &new.calendar);
    fields.check("calendar.workdays", &o.workdays, &n.workdays, |v| {
        weekday_names(v)
    });
    fields.check("calendar.holidays", &o.holidays, &n.holidays, |v| {
        Value::Keywords(v.iter().map(|d| d.to_string()).collect())
    });
    fields.number(
        "calendar.hours_per_day",
        Some(o.hours_per_day),
        Some(n.hours_per_day),
    );
    fields.check(
        "scope.included",
        &old.scope.included,
        &new.scope.included,
        |v| Value::list(v),
    );
    fields.check(
        "scope.excluded",
        &old.scope.excluded,
        &new.scope.excluded,
        |v| Value::list(v),
    );
    let (o, n) = (old.handover.as_ref(), new.handover.as_ref());
    fields.check(
        "handover.to",
        &o.and_then(|h| h.to.as_deref()),
        &n.and_then(|h| h.to.as_deref()),
        |v| Value::opt_text(*v),
    );
    fields.check(
        "handover.date",
        &o.and_then(|h| h.date),
        &n.and_then(|h| h.date),
        |v| Value::opt_date(*v),
    );
    let (oc, nc) = (checklist_of(o), checklist_of(n));
    fields.check("handover.checklist", &oc, &nc, |v| v.clone());
    let (o, n) = (
        old.review.clone().unwrap_or_default(),
        new.review.clone().unwrap_or_default(),
    );
    fields.check("review.date", &o.date, &n.date, |v| Value::opt_date(*v));
    fields.check("review.planned", &o.planned, &n.planned, |v| {
        Value::opt_text(v.as_deref())
    });
    fields.check("review.actual", &o.actual, &n.actual, |v| {
        Value::opt_text(v.as_deref())
    });
    fields.check("review.went_well", &o.went_well, &n.went_well, |v| {
        Value::list(v)
    });
    fields.check("review.improve", &o.improve, &n.improve, |v| Value::list(v));
    fields.check("review.lessons", &o.lessons, &n.lessons, |v| Value::list(v));
    fields.list
}

/// The dates that moved, and the critical path's membership.
fn dates(old: &Side<'_>, new: &Side<'_>, context: &Context, diff: &mut PlanDiff) {
    let (Some(old_schedule), Some(new_schedule)) = (old.schedule, new.schedule) else {
        return;
    };
    let days = |from: chrono::NaiveDate, to: chrono::NaiveDate| match new.calendar {
        Some(calendar) => calendar.working_days_between(from, to),
        None => (to - from).num_days(),
    };
    for (index, task) in new.plan.tasks.iter().enumerate() {
        let Some(old_index) = context.old_of_new[index] else {
            continue;
        };
        let (Some(before), Some(after)) = (
            old_schedule.tasks.get(old_index),
            new_schedule.tasks.get(index),
        ) else {
            continue;
        };
        if before.start != after.start || before.finish != after.finish {
            diff.schedule.moved.push(DateMove {
                id: task.id.value.clone(),
                name: task.name.clone(),
                old_start: before.start,
                new_start: after.start,
                old_finish: before.finish,
                new_finish: after.finish,
                start_days: days(before.start, after.start),
                finish_days: days(before.finish, after.finish),
                old_critical: before.critical,
                new_critical: after.critical,
                edited: context.change_of_new[index].is_some(),
            });
        }
    }
    for index in new_schedule.critical_path() {
        let was_critical = context.old_of_new[index]
            .and_then(|old_index| old_schedule.tasks.get(old_index))
            .is_some_and(|entry| entry.critical);
        if !was_critical && let Some(task) = new.plan.tasks.get(index) {
            diff.schedule.entered_critical.push(task.id.value.clone());
        }
    }
    for index in old_schedule.critical_path() {
        let still_critical = context.new_of_old[index]
            .and_then(|new_index| new_schedule.tasks.get(new_index))
            .is_some_and(|entry| entry.critical);
        if !still_critical && let Some(task) = old.plan.tasks.get(index) {
            diff.schedule.left_critical.push(task.id.value.clone());
        }
    }
}

/// A gate's override in words: `by Ana on 2027-01-08: the runbook follows`.
fn override_text(overridden: &crate::model::GateOverride) -> String {
    match overridden.date {
        Some(date) => format!("by {} on {date}: {}", overridden.by, overridden.reason),
        None => format!("by {}: {}", overridden.by, overridden.reason),
    }
}
