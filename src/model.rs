//! Plain data for one implementation plan.
//!
//! Nothing here touches the disk or the terminal. Every identifier and every
//! reference keeps the position it was read from, so validation can point
//! at the offending value; references are resolved to indices after loading.

mod ids;

use chrono::{NaiveDate, Weekday};

pub use ids::{Located, Pos, is_valid_id};

/// One plan file, fully typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub project: Project,
    pub scope: Scope,
    pub calendar: Calendar,
    pub objectives: Vec<Objective>,
    pub people: Vec<Person>,
    pub phases: Vec<Phase>,
    pub tasks: Vec<Task>,
    pub log: Vec<LogEntry>,
    pub risks: Vec<Risk>,
    pub changes: Vec<ChangeRequest>,
    pub gates: Vec<Gate>,
    pub communications: Vec<Communication>,
    pub checkins: Vec<Checkin>,
    pub handover: Option<Handover>,
    pub review: Option<Review>,
    /// What a merge could not decide (`[[conflict]]`), each an error until
    /// resolved.
    pub conflicts: Vec<MergeConflict>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Project {
    pub name: String,
    pub start: NaiveDate,
    /// Where `start` was written, for diagnostics about the project start.
    pub start_pos: Pos,
    pub status_date: Option<NaiveDate>,
    /// Where `status_date` was written (the table's position when absent).
    pub status_date_pos: Pos,
    pub currency: Option<String>,
    pub budget: Option<f64>,
    pub description: Option<String>,
    /// Where the `[project]` table begins.
    pub pos: Pos,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub included: Vec<String>,
    pub excluded: Vec<String>,
    /// Items of `included` that were given up on the way: the review counts
    /// the rest of `included` as delivered.
    pub dropped: Vec<Located<String>>,
}

/// The working calendar as written in the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub workdays: Vec<Weekday>,
    pub holidays: Vec<NaiveDate>,
    pub hours_per_day: f64,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            workdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            holidays: Vec::new(),
            hours_per_day: 8.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub id: Located<String>,
    pub title: String,
    pub target: Option<String>,
    /// The latest reading of the measure the target names.
    pub current: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Located<String>,
    pub name: String,
    pub role: Option<String>,
    pub rate: Option<f64>,
    /// Fraction of a full working day, 1.0 when not given.
    pub capacity: f64,
    pub skills: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub id: Located<String>,
    pub name: String,
}

/// A reference to another entity by id, resolved to its index after loading.
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    pub id: Located<String>,
    pub index: Option<usize>,
}

impl Ref {
    pub fn new(id: Located<String>) -> Self {
        Ref { id, index: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum DependencyKind {
    /// Finish-to-start.
    #[default]
    FinishToStart,
    /// Start-to-start.
    StartToStart,
    /// Finish-to-finish.
    FinishToFinish,
}

impl DependencyKind {
    pub const NAMES: &'static [&'static str] = &["fs", "ss", "ff"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "fs" => Some(Self::FinishToStart),
            "ss" => Some(Self::StartToStart),
            "ff" => Some(Self::FinishToFinish),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FinishToStart => "fs",
            Self::StartToStart => "ss",
            Self::FinishToFinish => "ff",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub task: Ref,
    pub kind: DependencyKind,
    /// Lag in working days; may be negative.
    pub lag: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum TaskStatus {
    #[default]
    Todo,
    Doing,
    Done,
    Blocked,
}

impl TaskStatus {
    pub const NAMES: &'static [&'static str] = &["todo", "doing", "done", "blocked"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "todo" => Some(Self::Todo),
            "doing" => Some(Self::Doing),
            "done" => Some(Self::Done),
            "blocked" => Some(Self::Blocked),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::Doing => "doing",
            Self::Done => "done",
            Self::Blocked => "blocked",
        }
    }
}

/// A recorded pair of planned dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Baseline {
    pub start: NaiveDate,
    pub finish: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: Located<String>,
    pub name: String,
    pub phase: Option<Ref>,
    pub owner: Option<Ref>,
    /// Whole working days; 0 for a milestone.
    pub duration: Located<i64>,
    /// Planned effort in hours.
    pub estimate: Option<f64>,
    pub depends: Vec<Dependency>,
    /// Start no earlier than.
    pub start: Option<NaiveDate>,
    pub milestone: bool,
    pub status: TaskStatus,
    /// Percent complete, 0..=100.
    pub progress: u8,
    pub blocker: Option<String>,
    pub blocked_since: Option<NaiveDate>,
    pub notes: Option<String>,
    /// The default baseline.
    pub baseline: Option<Baseline>,
    /// Named baselines in file order.
    pub baselines: Vec<(String, Baseline)>,
    /// Where `start` was written (the table's position when absent).
    pub start_pos: Pos,
    /// Where the task's table begins.
    pub pos: Pos,
}

impl Task {
    /// The task's length in working days: a milestone has none.
    pub fn working_days(&self) -> i64 {
        if self.milestone {
            0
        } else {
            self.duration.value
        }
    }

    pub fn is_milestone(&self) -> bool {
        self.working_days() == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub date: NaiveDate,
    /// Where `date` is written.
    pub date_pos: Pos,
    pub task: Ref,
    pub person: Option<Ref>,
    pub hours: f64,
    pub note: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum RiskStatus {
    #[default]
    Open,
    Mitigated,
    Closed,
    Occurred,
}

impl RiskStatus {
    pub const NAMES: &'static [&'static str] = &["open", "mitigated", "closed", "occurred"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(Self::Open),
            "mitigated" => Some(Self::Mitigated),
            "closed" => Some(Self::Closed),
            "occurred" => Some(Self::Occurred),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Mitigated => "mitigated",
            Self::Closed => "closed",
            Self::Occurred => "occurred",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum RiskTier {
    /// Act within 24 hours.
    Urgent,
    /// Monitor.
    #[default]
    Tracked,
}

impl RiskTier {
    pub const NAMES: &'static [&'static str] = &["urgent", "tracked"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "urgent" => Some(Self::Urgent),
            "tracked" => Some(Self::Tracked),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Urgent => "urgent",
            Self::Tracked => "tracked",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub id: Located<String>,
    pub title: String,
    pub owner: Option<Ref>,
    /// 1..=5.
    pub likelihood: u8,
    /// 1..=5.
    pub impact: u8,
    pub trigger: Option<NaiveDate>,
    pub mitigation: Option<String>,
    pub status: RiskStatus,
    pub tier: RiskTier,
    pub tasks: Vec<Ref>,
    pub reviewed: Option<NaiveDate>,
}

impl Risk {
    /// Likelihood times impact, 1..=25.
    pub fn score(&self) -> u8 {
        self.likelihood * self.impact
    }

    /// Whether the risk needs acting on at `date`: still open, and its
    /// trigger date has come.
    pub fn is_past_trigger(&self, date: NaiveDate) -> bool {
        self.status == RiskStatus::Open && self.trigger.is_some_and(|trigger| trigger <= date)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum ChangeStatus {
    #[default]
    Proposed,
    Approved,
    Rejected,
    Done,
}

impl ChangeStatus {
    pub const NAMES: &'static [&'static str] = &["proposed", "approved", "rejected", "done"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "proposed" => Some(Self::Proposed),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            "done" => Some(Self::Done),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Done => "done",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRequest {
    pub id: Located<String>,
    pub title: String,
    pub requested_by: Option<String>,
    pub requested: Option<NaiveDate>,
    /// Cost impact in the project currency; may be negative.
    pub cost: Option<f64>,
    /// Where `cost` is written (the table's position when absent).
    pub cost_pos: Pos,
    /// Schedule impact in working days; may be negative.
    pub days: Option<i64>,
    /// Where `days` is written (the table's position when absent).
    pub days_pos: Pos,
    pub status: ChangeStatus,
    pub decided_by: Option<String>,
    pub decided: Option<NaiveDate>,
    pub note: Option<String>,
    /// Why it was decided as it was.
    pub reason: Option<String>,
    /// The named baseline recorded when the change was approved.
    pub baseline: Option<Located<String>>,
    /// Changes to existing tasks the request carries (`[[change.edit]]`).
    pub edits: Vec<TaskPatch>,
    /// New tasks the request carries (`[[change.add]]`).
    pub adds: Vec<Task>,
    /// Where the change's table begins.
    pub pos: Pos,
}

impl ChangeRequest {
    /// Whether the request changes tasks, so its impact can be computed.
    pub fn changes_tasks(&self) -> bool {
        !self.edits.is_empty() || !self.adds.is_empty()
    }
}

/// New values for some fields of one task, as a change request carries
/// them; a field left None keeps the task's value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskPatch {
    /// The task changed.
    pub task: Located<String>,
    pub name: Option<String>,
    pub phase: Option<Ref>,
    pub owner: Option<Ref>,
    pub duration: Option<Located<i64>>,
    pub estimate: Option<f64>,
    pub depends: Option<Vec<Dependency>>,
    pub start: Option<NaiveDate>,
    pub milestone: Option<bool>,
    pub status: Option<TaskStatus>,
    pub progress: Option<u8>,
    pub blocker: Option<String>,
    pub blocked_since: Option<NaiveDate>,
    pub notes: Option<String>,
    /// Where the `[[change.edit]]` table begins.
    pub pos: Pos,
}

impl TaskPatch {
    /// Puts the patch's values into `task`. References keep their ids; their
    /// indices are left for validation to resolve.
    pub fn apply_to(&self, task: &mut Task) {
        if let Some(name) = &self.name {
            task.name = name.clone();
        }
        if let Some(phase) = &self.phase {
            task.phase = Some(Ref::new(phase.id.clone()));
        }
        if let Some(owner) = &self.owner {
            task.owner = Some(Ref::new(owner.id.clone()));
        }
        if let Some(duration) = &self.duration {
            task.duration = duration.clone();
        }
        if let Some(estimate) = self.estimate {
            task.estimate = Some(estimate);
        }
        if let Some(depends) = &self.depends {
            task.depends = depends
                .iter()
                .map(|dependency| Dependency {
                    task: Ref::new(dependency.task.id.clone()),
                    ..dependency.clone()
                })
                .collect();
        }
        if let Some(start) = self.start {
            task.start = Some(start);
        }
        if let Some(milestone) = self.milestone {
            task.milestone = milestone;
        }
        if let Some(status) = self.status {
            task.status = status;
        }
        if let Some(progress) = self.progress {
            task.progress = progress;
        }
        if let Some(blocker) = &self.blocker {
            task.blocker = Some(blocker.clone());
        }
        if let Some(since) = self.blocked_since {
            task.blocked_since = Some(since);
        }
        if let Some(notes) = &self.notes {
            task.notes = Some(notes.clone());
        }
    }

    /// Whether `task` already holds every value of the patch.
    pub fn is_in(&self, task: &Task) -> bool {
        let mut patched = task.clone();
        self.apply_to(&mut patched);
        let same_refs = |a: &Option<Ref>, b: &Option<Ref>| {
            a.as_ref().map(|r| &r.id.value) == b.as_ref().map(|r| &r.id.value)
        };
        let dependencies = |task: &Task| {
            task.depends
                .iter()
                .map(|d| (d.task.id.value.clone(), d.kind, d.lag))
                .collect::<Vec<_>>()
        };
        patched.name == task.name
            && same_refs(&patched.phase, &task.phase)
            && same_refs(&patched.owner, &task.owner)
            && patched.duration.value == task.duration.value
            && patched.estimate == task.estimate
            && dependencies(&patched) == dependencies(task)
            && patched.start == task.start
            && patched.milestone == task.milestone
            && patched.status == task.status
            && patched.progress == task.progress
            && patched.blocker == task.blocker
            && patched.blocked_since == task.blocked_since
            && patched.notes == task.notes
    }
}

/// One line of a checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub item: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub id: Located<String>,
    pub name: String,
    /// The milestone task the gate guards.
    pub milestone: Option<Ref>,
    pub checklist: Vec<ChecklistItem>,
    pub approver: Option<String>,
    pub signed: Option<NaiveDate>,
    /// Who signed the gate off.
    pub signed_by: Option<String>,
    /// A recorded decision to let the milestone be done, or the gate be
    /// signed, while checklist items are open (`override = { ... }`).
    pub overridden: Option<GateOverride>,
    /// Where the gate's table begins.
    pub pos: Pos,
}

impl Gate {
    /// Whether every checklist item is done.
    pub fn checklist_done(&self) -> bool {
        self.checklist.iter().all(|item| item.done)
    }

    /// Whether the gate lets its milestone be done: signed off, every item
    /// done, or overridden.
    pub fn is_passed(&self) -> bool {
        self.overridden.is_some() || (self.signed.is_some() && self.checklist_done())
    }
}

/// Who let a gate's milestone through while the gate was open, when, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct GateOverride {
    pub by: String,
    pub date: Option<NaiveDate>,
    pub reason: String,
    /// Where `override` is written.
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Communication {
    pub id: Located<String>,
    pub what: String,
    pub audience: Option<String>,
    pub cadence: Option<String>,
    pub channel: Option<String>,
    pub owner: Option<Ref>,
    /// When it last took place: the cadence counts from here.
    pub last: Option<NaiveDate>,
    /// Where the item's table begins.
    pub pos: Pos,
}

/// The metrics as they stood in the week of a check-in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckinMetrics {
    pub percent_complete: Option<f64>,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    pub open_blockers: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Checkin {
    /// The Monday of the week.
    pub week: Located<NaiveDate>,
    pub done: Vec<String>,
    pub next: Vec<String>,
    pub blocked: Vec<String>,
    pub note: Option<String>,
    pub metrics: CheckinMetrics,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Handover {
    /// Who receives the running system.
    pub to: Option<String>,
    pub date: Option<NaiveDate>,
    pub checklist: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Review {
    pub date: Option<NaiveDate>,
    pub planned: Option<String>,
    pub actual: Option<String>,
    pub went_well: Vec<String>,
    pub improve: Vec<String>,
    pub lessons: Vec<String>,
}

/// One value two merged versions of the plan disagree on, as recorded by
/// `gantry merge` in a `[[conflict]]` table. The plan holds ours; the record
/// holds every side's value, as TOML text, so the user can choose.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeConflict {
    /// Where the `[[conflict]]` table is.
    pub pos: Pos,
    /// The top-level table of the entity (`task`, `project`); None for a
    /// key at the top of the file.
    pub kind: Option<String>,
    /// How the record names the entity: "`api`", "of week 2027-01-11", or
    /// empty for a single table.
    pub entity: String,
    /// The dotted path of the field in the entity; None when the whole
    /// entity is in conflict (removed on one side and changed on the other,
    /// or added on both with one id).
    pub key: Option<String>,
    /// The comment beside or above the field, rather than its value.
    pub comment: bool,
    /// Each side's value as TOML text; None where that side has none.
    pub base: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
}

impl MergeConflict {
    /// "task `api`, `duration`", "[project], `budget`", "the comment on
    /// task `api`, `name`".
    pub fn subject(&self) -> String {
        let plain = |text: &str| crate::sanitize::for_terminal(text).into_owned();
        let entity = match self.kind.as_deref() {
            None => "the top of the file".to_owned(),
            Some(kind) if self.entity.is_empty() => format!("[{}]", plain(kind)),
            Some(kind) => format!("{} {}", entity_noun(&plain(kind)), self.entity),
        };
        let mut subject = match &self.key {
            Some(key) => format!("{entity}, `{}`", plain(key)),
            None => entity,
        };
        if self.comment {
            subject = format!("the comment on {subject}");
        }
        subject
    }

    /// One line naming the conflict and every side's value.
    pub fn summary(&self) -> String {
        let [base, ours, theirs] = self.values();
        format!(
            "{}: ours {ours} (kept), theirs {theirs}, base {base}",
            self.subject()
        )
    }

    /// The base's, ours' and theirs' values, shortened for one line: "not
    /// set" for a field a side has not, "removed" or "absent" for an entity.
    pub fn values(&self) -> [String; 3] {
        let side = |value: &Option<String>| match value {
            Some(text) => shortened(text, 40),
            None if self.key.is_some() => "not set".to_owned(),
            None => "removed".to_owned(),
        };
        let base = match (&self.base, self.key.is_some()) {
            (None, false) => "absent".to_owned(),
            _ => side(&self.base),
        };
        [base, side(&self.ours), side(&self.theirs)]
    }
}

/// How messages name one entity of a top-level table: "task", "check-in",
/// "log entry".
pub fn entity_noun(table: &str) -> &str {
    match table {
        "checkin" => "check-in",
        "log" => "log entry",
        "change" => "change request",
        "communication" => "communication item",
        "gate" => "quality gate",
        other => other,
    }
}

/// `text` made safe for a terminal and cut to `max` characters, with an
/// ellipsis where it was cut.
fn shortened(text: &str, max: usize) -> String {
    let clean = crate::sanitize::for_terminal(text);
    if clean.chars().count() <= max {
        return clean.into_owned();
    }
    let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

impl Plan {
    /// The date a new record gets unless the user says otherwise: a log
    /// entry, a task's `blocked_since`, a risk's `reviewed`. The plan's
    /// status date when it has one (the plan is kept as of that day), else
    /// `today`; never before the project starts, since nothing in the plan
    /// happens before that. `docs/format.md` states the same rule.
    pub fn record_date(&self, today: NaiveDate) -> NaiveDate {
        let date = self.project.status_date.unwrap_or(today);
        if self.project.start != NaiveDate::default() {
            date.max(self.project.start)
        } else {
            date
        }
    }

    /// The index of the task with this id.
    pub fn task_index(&self, id: &str) -> Option<usize> {
        self.tasks.iter().position(|task| task.id.value == id)
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|task| task.id.value == id)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|person| person.id.value == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn a_new_record_is_dated_the_status_date_else_today_never_before_the_start() {
        let mut plan = Plan::default();
        plan.project.start = date("2027-02-01");
        // Today's clock before a plan set in the future: the project start.
        assert_eq!(plan.record_date(date("2026-05-01")), date("2027-02-01"));
        assert_eq!(plan.record_date(date("2027-03-03")), date("2027-03-03"));
        plan.project.status_date = Some(date("2027-04-09"));
        assert_eq!(plan.record_date(date("2026-05-01")), date("2027-04-09"));
        assert_eq!(plan.record_date(date("2027-06-30")), date("2027-04-09"));
        plan.project.status_date = Some(date("2027-01-15"));
        assert_eq!(plan.record_date(date("2027-06-30")), date("2027-02-01"));
    }
}
