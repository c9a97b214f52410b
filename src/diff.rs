//! The change between two versions of a plan, told in plan terms.
//!
//! [`Version::from_bytes`] reads one side (which may be missing, not
//! parse, or be invalid: its problems are kept, never raised), and
//! [`compare`] lines two versions up entity by entity ([`pair`]), compares
//! their fields, their schedules and their numbers, and writes the story a
//! reviewer reads first: how the finish moved and which changes on the
//! critical path explain it. Nothing here touches the disk or the
//! terminal: text from the plan is kept as written, and whoever shows it
//! sanitises or escapes it (see [`Span`]).

mod entities;
pub mod pair;
mod story;
mod value;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Severity};
use crate::metrics::{self, Metrics};
use crate::model::{Plan, RiskStatus};
use crate::schedule::{self, Calendar, Schedule};
use crate::store;

pub use story::{delta_text, metric_text};
pub use value::{Quoting, Value, describe_change, number_text};

/// How the status date of a version is chosen: the one asked for, else the
/// plan's `project.status_date`, else `fallback` (today, or a commit's date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dating {
    pub asked: Option<NaiveDate>,
    pub fallback: NaiveDate,
}

impl Dating {
    pub fn status_date(&self, plan: &Plan) -> NaiveDate {
        self.asked
            .or(plan.project.status_date)
            .unwrap_or(self.fallback)
    }
}

/// One side of a comparison: a plan file as it stood in one place or revision.
#[derive(Debug, Clone)]
pub struct Version {
    /// How the side is named in the output: a path, `a/plan.toml`, `plan.toml@HEAD~1`.
    pub label: String,
    pub content: Content,
}

/// What a version holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// No file: the plan was added or removed.
    Absent,
    /// Not UTF-8 or not TOML: only its problems are known.
    Unparsable { diagnostics: Vec<Diagnostic> },
    /// A plan model, valid or not.
    Plan(Box<Analysed>),
}

/// A parsed plan with everything worked out from it.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub plan: Plan,
    /// Every problem, scheduling problems included, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    pub schedule: Option<Schedule>,
    /// Why the plan could not be scheduled.
    pub schedule_error: Option<String>,
    pub metrics: Option<Metrics>,
    calendar: Option<Calendar>,
}

impl Analysed {
    /// Schedules the plan and computes its numbers at the status date.
    pub fn new(loaded: store::Loaded, dating: Dating) -> Analysed {
        let store::Loaded {
            plan,
            mut diagnostics,
        } = loaded;
        let (schedule, schedule_error) = match schedule::schedule(&plan) {
            Ok(schedule) => (Some(schedule), None),
            Err(error) => {
                let diagnostic = error.diagnostic(&plan);
                let message = diagnostic.message.clone();
                if !diagnostics.contains(&diagnostic) {
                    diagnostics.push(diagnostic);
                    crate::diagnostic::sort(&mut diagnostics);
                }
                (None, Some(message))
            }
        };
        let metrics = schedule
            .as_ref()
            .map(|schedule| metrics::compute(&plan, schedule, dating.status_date(&plan)));
        let calendar = Calendar::new(&plan.calendar).ok();
        Analysed {
            plan,
            diagnostics,
            schedule,
            schedule_error,
            metrics,
            calendar,
        }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The ids on the critical path, in the order they happen.
    pub fn critical_path(&self) -> Vec<String> {
        match &self.schedule {
            Some(schedule) => schedule
                .critical_path()
                .into_iter()
                .filter_map(|index| self.plan.tasks.get(index))
                .map(|task| task.id.value.clone())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Risks still open.
    pub fn open_risks(&self) -> usize {
        self.plan
            .risks
            .iter()
            .filter(|risk| risk.status == RiskStatus::Open)
            .count()
    }
}

impl Version {
    /// A side from a file's bytes; `None` when there is no file.
    pub fn from_bytes(label: impl Into<String>, bytes: Option<Vec<u8>>, dating: Dating) -> Version {
        let content = match bytes {
            None => Content::Absent,
            Some(bytes) => match store::decode(bytes) {
                Err(diagnostic) => Content::Unparsable {
                    diagnostics: vec![diagnostic],
                },
                Ok(text) => Self::content_of_text(&text, dating),
            },
        };
        Version {
            label: label.into(),
            content,
        }
    }

    /// A side from text.
    pub fn from_text(label: impl Into<String>, text: &str, dating: Dating) -> Version {
        Version {
            label: label.into(),
            content: Self::content_of_text(text, dating),
        }
    }

    fn content_of_text(text: &str, dating: Dating) -> Content {
        match store::parse_str(text) {
            Err(diagnostics) => Content::Unparsable { diagnostics },
            Ok(loaded) => Content::Plan(Box::new(Analysed::new(loaded, dating))),
        }
    }

    pub fn analysed(&self) -> Option<&Analysed> {
        match &self.content {
            Content::Plan(analysed) => Some(analysed),
            _ => None,
        }
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.content {
            Content::Absent => &[],
            Content::Unparsable { diagnostics } => diagnostics,
            Content::Plan(analysed) => &analysed.diagnostics,
        }
    }
}

/// What state a side is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideState {
    Absent,
    Unparsable,
    Invalid,
    Valid,
}

impl SideState {
    pub fn as_str(self) -> &'static str {
        match self {
            SideState::Absent => "absent",
            SideState::Unparsable => "unparsable",
            SideState::Invalid => "invalid",
            SideState::Valid => "valid",
        }
    }
}

/// One side as the output describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SideSummary {
    pub label: String,
    pub state: SideState,
    pub name: Option<String>,
    pub tasks: usize,
    pub finish: Option<NaiveDate>,
    /// Working days the finish lies after the baseline's; positive is late.
    pub slip: Option<i64>,
    pub critical_path: Vec<String>,
    pub schedule_error: Option<String>,
    pub metrics: Option<MetricsSummary>,
    pub diagnostics: Vec<Diagnostic>,
}

impl SideSummary {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// The numbers a reviewer compares, at the side's status date.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsSummary {
    pub status_date: NaiveDate,
    pub budget: Option<f64>,
    pub bac: f64,
    pub ev: f64,
    pub ac: f64,
    pub eac: Option<f64>,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    pub percent_complete: f64,
    pub open_blockers: usize,
    pub open_risks: usize,
}

/// A piece of a sentence: words of the output, or text from the plan,
/// which the output sanitises or escapes.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Plain(String),
    /// An entity id from the plan.
    Id(String),
    /// Other text from the plan: a name, a title, a note.
    Text(String),
    /// A field's change, said as [`describe_change`] says it.
    Change(Value, Value),
    /// A value from the plan.
    Value(Value),
}

/// One sentence of the story.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub topic: Topic,
    /// Whether the news is good or bad for the project, for colour.
    pub tone: Tone,
    pub spans: Vec<Span>,
}

impl Sentence {
    /// The sentence as text, plan text made safe by `quoting`.
    pub fn render(&self, quoting: &Quoting<'_>) -> String {
        let mut out = String::new();
        for span in &self.spans {
            match span {
                Span::Plain(words) => out.push_str(words),
                Span::Id(value) => out.push_str(&(quoting.id)(value)),
                Span::Text(value) => out.push_str(&(quoting.text)(value)),
                Span::Change(old, new) => out.push_str(&describe_change(old, new, quoting)),
                Span::Value(value) => out.push_str(&value.display(quoting)),
            }
        }
        out
    }
}

/// What a sentence of the story is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Problems,
    Added,
    Removed,
    Finish,
    Baseline,
    CriticalPath,
    Tasks,
    Progress,
    Blockers,
    Risks,
    Changes,
    Gates,
    Money,
    Checkins,
    Effort,
    Other,
    Unchanged,
}

impl Topic {
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Problems => "problems",
            Topic::Added => "added",
            Topic::Removed => "removed",
            Topic::Finish => "finish",
            Topic::Baseline => "baseline",
            Topic::CriticalPath => "critical_path",
            Topic::Tasks => "tasks",
            Topic::Progress => "progress",
            Topic::Blockers => "blockers",
            Topic::Risks => "risks",
            Topic::Changes => "changes",
            Topic::Gates => "gates",
            Topic::Money => "money",
            Topic::Checkins => "checkins",
            Topic::Effort => "effort",
            Topic::Other => "other",
            Topic::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Neutral => "neutral",
        }
    }
}

/// A field that differs, with its value on each side.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// Something worth naming that a change amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// A task's, phase's or risk's name or title changed.
    Renamed,
    /// The entity's id changed (it was recognised by its name).
    IdChanged,
    /// A task moved to another phase.
    MovedPhase,
    Started,
    Finished,
    Reopened,
    Blocked,
    Unblocked,
    RiskClosed,
    RiskMitigated,
    RiskOccurred,
    RiskReopened,
    Rescored,
    Approved,
    Rejected,
    Carried,
    Reproposed,
    Signed,
    Unsigned,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Renamed => "renamed",
            Event::IdChanged => "id_changed",
            Event::MovedPhase => "moved_phase",
            Event::Started => "started",
            Event::Finished => "finished",
            Event::Reopened => "reopened",
            Event::Blocked => "blocked",
            Event::Unblocked => "unblocked",
            Event::RiskClosed => "closed",
            Event::RiskMitigated => "mitigated",
            Event::RiskOccurred => "occurred",
            Event::RiskReopened => "reopened",
            Event::Rescored => "rescored",
            Event::Approved => "approved",
            Event::Rejected => "rejected",
            Event::Carried => "done",
            Event::Reproposed => "proposed",
            Event::Signed => "signed",
            Event::Unsigned => "unsigned",
        }
    }
}

/// An entity present on one side only.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySummary {
    pub id: String,
    /// Its name or title.
    pub name: String,
    /// A few facts that say what it is (phase, duration, score...).
    pub facts: Vec<(&'static str, Value)>,
}

/// An entity on both sides whose fields differ.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityChange {
    /// The id in the new version.
    pub id: String,
    /// Its id in the old version, when it changed.
    pub old_id: Option<String>,
    /// Its name or title in the new version.
    pub name: String,
    pub fields: Vec<FieldChange>,
    pub events: Vec<Event>,
}

impl EntityChange {
    pub fn field(&self, name: &str) -> Option<&FieldChange> {
        self.fields.iter().find(|change| change.field == name)
    }

    pub fn has(&self, event: Event) -> bool {
        self.events.contains(&event)
    }
}

/// The changes of one kind of entity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntityDiff {
    pub added: Vec<EntitySummary>,
    pub removed: Vec<EntitySummary>,
    pub changed: Vec<EntityChange>,
}

impl EntityDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    pub fn with_event(&self, event: Event) -> impl Iterator<Item = &EntityChange> {
        self.changed.iter().filter(move |change| change.has(event))
    }
}

/// A log entry on one side only.
#[derive(Debug, Clone, PartialEq)]
pub struct LogSummary {
    pub date: NaiveDate,
    pub task: String,
    pub person: Option<String>,
    pub hours: f64,
    pub note: Option<String>,
}

/// Log entries, known by their day, task and person.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogDiff {
    pub added: Vec<LogSummary>,
    pub removed: Vec<LogSummary>,
    /// Entries on both sides whose hours or note changed: `(old, new)`.
    pub changed: Vec<(LogSummary, LogSummary)>,
}

impl LogDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Hours logged in the new version less those in the old one.
    pub fn net_hours(&self) -> f64 {
        let sum =
            |entries: &mut dyn Iterator<Item = &LogSummary>| entries.map(|e| e.hours).sum::<f64>();
        sum(&mut self.added.iter()) - sum(&mut self.removed.iter())
            + sum(&mut self.changed.iter().map(|(_, new)| new))
            - sum(&mut self.changed.iter().map(|(old, _)| old))
    }
}

/// A task on both sides whose dates moved.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMove {
    pub id: String,
    pub name: String,
    pub old_start: NaiveDate,
    pub new_start: NaiveDate,
    pub old_finish: NaiveDate,
    pub new_finish: NaiveDate,
    /// Working days the start moved; positive is later.
    pub start_days: i64,
    /// Working days the finish moved; positive is later.
    pub finish_days: i64,
    pub old_critical: bool,
    pub new_critical: bool,
    /// Whether the task's own fields changed too (else it moved only as a
    /// consequence of other changes).
    pub edited: bool,
}

/// How the project finish moved, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishChange {
    pub old: NaiveDate,
    pub new: NaiveDate,
    /// Working days from the old finish to the new; positive is a slip.
    pub working_days: i64,
    /// The changes on the critical path that explain the move, largest first.
    pub causes: Vec<Cause>,
}

/// A change that explains a move of the finish.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub kind: CauseKind,
    /// The task concerned (its id in the version the cause is found in).
    pub task: Option<String>,
    /// Another task the cause involves: the predecessor of a link.
    pub other: Option<String>,
    pub old: Value,
    pub new: Value,
    /// Working days the change accounts for, when it can be said.
    pub days: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseKind {
    /// A task on the new critical path was added.
    TaskAdded,
    /// A task on the old critical path was removed.
    TaskRemoved,
    /// A critical task's duration changed.
    Duration,
    /// A critical task gained a dependency.
    LinkAdded,
    /// A task on the old critical path lost a dependency.
    LinkRemoved,
    /// A link's lag or type changed.
    LinkChanged,
    /// A critical task's start-no-earlier-than date changed.
    StartConstraint,
    /// A critical task's status or progress changed, with a status date.
    Progress,
    /// The project start moved.
    ProjectStart,
    /// Holidays added or removed within the project.
    Holidays,
    /// The working weekdays changed.
    Workdays,
    /// The status date moved with critical work unfinished.
    StatusDate,
}

impl CauseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CauseKind::TaskAdded => "task_added",
            CauseKind::TaskRemoved => "task_removed",
            CauseKind::Duration => "duration",
            CauseKind::LinkAdded => "link_added",
            CauseKind::LinkRemoved => "link_removed",
            CauseKind::LinkChanged => "link_changed",
            CauseKind::StartConstraint => "start_constraint",
            CauseKind::Progress => "progress",
            CauseKind::ProjectStart => "project_start",
            CauseKind::Holidays => "holidays",
            CauseKind::Workdays => "workdays",
            CauseKind::StatusDate => "status_date",
        }
    }
}

/// The schedule's side of the change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScheduleDiff {
    /// When both sides could be scheduled.
    pub finish: Option<FinishChange>,
    /// Tasks on both sides whose dates moved, in the new version's order.
    pub moved: Vec<DateMove>,
    /// Ids (new) on the new critical path that were not on the old one.
    pub entered_critical: Vec<String>,
    /// Ids (old) on the old critical path that are not on the new one.
    pub left_critical: Vec<String>,
}

/// A number that differs between the sides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricChange {
    pub metric: Metric,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

impl MetricChange {
    pub fn delta(&self) -> Option<f64> {
        Some(self.new? - self.old?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Budget,
    Bac,
    Eac,
    Ac,
    Ev,
    PercentComplete,
    Spi,
    Cpi,
    OpenBlockers,
    OpenRisks,
}

impl Metric {
    pub const ALL: &'static [Metric] = &[
        Metric::Budget,
        Metric::Bac,
        Metric::Eac,
        Metric::Ac,
        Metric::Ev,
        Metric::PercentComplete,
        Metric::Spi,
        Metric::Cpi,
        Metric::OpenBlockers,
        Metric::OpenRisks,
    ];

    /// The key in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Budget => "budget",
            Metric::Bac => "bac",
            Metric::Eac => "eac",
            Metric::Ac => "ac",
            Metric::Ev => "ev",
            Metric::PercentComplete => "percent_complete",
            Metric::Spi => "spi",
            Metric::Cpi => "cpi",
            Metric::OpenBlockers => "open_blockers",
            Metric::OpenRisks => "open_risks",
        }
    }

    /// The name in text.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Budget => "budget",
            Metric::Bac => "BAC",
            Metric::Eac => "EAC",
            Metric::Ac => "AC",
            Metric::Ev => "EV",
            Metric::PercentComplete => "complete",
            Metric::Spi => "SPI",
            Metric::Cpi => "CPI",
            Metric::OpenBlockers => "open blockers",
            Metric::OpenRisks => "open risks",
        }
    }

    /// How the numbers are written.
    pub fn unit(self) -> MetricUnit {
        match self {
            Metric::Budget | Metric::Bac | Metric::Eac | Metric::Ac | Metric::Ev => {
                MetricUnit::Money
            }
            Metric::PercentComplete => MetricUnit::Percent,
            Metric::Spi | Metric::Cpi => MetricUnit::Index,
            Metric::OpenBlockers | Metric::OpenRisks => MetricUnit::Count,
        }
    }

    fn of(self, metrics: &MetricsSummary) -> Option<f64> {
        match self {
            Metric::Budget => metrics.budget,
            Metric::Bac => Some(metrics.bac),
            Metric::Eac => metrics.eac,
            Metric::Ac => Some(metrics.ac),
            Metric::Ev => Some(metrics.ev),
            Metric::PercentComplete => Some(metrics.percent_complete),
            Metric::Spi => metrics.spi,
            Metric::Cpi => metrics.cpi,
            Metric::OpenBlockers => Some(metrics.open_blockers as f64),
            Metric::OpenRisks => Some(metrics.open_risks as f64),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricUnit {
    Money,
    Percent,
    Index,
    Count,
}

/// Problems that one side has and the other has not, by severity and
/// message (positions move when lines are added above them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProblemsDiff {
    /// In the new version only.
    pub introduced: Vec<Diagnostic>,
    /// In the old version only.
    pub fixed: Vec<Diagnostic>,
}

/// Everything that differs between two versions of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDiff {
    pub old: SideSummary,
    pub new: SideSummary,
    /// Whether the plans could be compared entity by entity: neither side
    /// failed to parse.
    pub comparable: bool,
    /// The change in a few sentences, most important first.
    pub story: Vec<Sentence>,
    pub schedule: ScheduleDiff,
    /// `[project]`, `[calendar]`, `[scope]`, `[handover]` and `[review]`
    /// fields, named `calendar.holidays` and so on.
    pub project: Vec<FieldChange>,
    pub tasks: EntityDiff,
    pub phases: EntityDiff,
    pub people: EntityDiff,
    pub objectives: EntityDiff,
    pub risks: EntityDiff,
    pub changes: EntityDiff,
    pub gates: EntityDiff,
    pub communications: EntityDiff,
    pub checkins: EntityDiff,
    pub log: LogDiff,
    pub metrics: Vec<MetricChange>,
    pub problems: ProblemsDiff,
}

impl PlanDiff {
    /// Whether anything differs in plan terms (problems included).
    pub fn has_changes(&self) -> bool {
        self.old.state != self.new.state
            || !self.project.is_empty()
            || !self.tasks.is_empty()
            || !self.phases.is_empty()
            || !self.people.is_empty()
            || !self.objectives.is_empty()
            || !self.risks.is_empty()
            || !self.changes.is_empty()
            || !self.gates.is_empty()
            || !self.communications.is_empty()
            || !self.checkins.is_empty()
            || !self.log.is_empty()
            || !self.schedule.moved.is_empty()
            || !self.metrics.is_empty()
            || !self.problems.introduced.is_empty()
            || !self.problems.fixed.is_empty()
    }

    /// The entity kinds in the order the details show them, with their
    /// names in the singular and plural and their changes.
    pub fn entity_sections(&self) -> [(&'static str, &'static str, &EntityDiff); 9] {
        [
            ("task", "tasks", &self.tasks),
            ("phase", "phases", &self.phases),
            ("person", "people", &self.people),
            ("risk", "risks", &self.risks),
            ("change", "changes", &self.changes),
            ("gate", "gates", &self.gates),
            ("check-in", "check-ins", &self.checkins),
            ("objective", "objectives", &self.objectives),
            ("communication", "communications", &self.communications),
        ]
    }
}

fn summarise(version: &Version) -> SideSummary {
    let mut summary = SideSummary {
        label: version.label.clone(),
        state: SideState::Absent,
        name: None,
        tasks: 0,
        finish: None,
        slip: None,
        critical_path: Vec::new(),
        schedule_error: None,
        metrics: None,
        diagnostics: version.diagnostics().to_vec(),
    };
    match &version.content {
        Content::Absent => {}
        Content::Unparsable { .. } => summary.state = SideState::Unparsable,
        Content::Plan(analysed) => {
            summary.state = if analysed.errors() > 0 {
                SideState::Invalid
            } else {
                SideState::Valid
            };
            summary.name = Some(analysed.plan.project.name.clone());
            summary.tasks = analysed.plan.tasks.len();
            summary.finish = analysed.schedule.as_ref().map(|s| s.finish);
            summary.slip = analysed.schedule.as_ref().and_then(|s| s.slip);
            summary.critical_path = analysed.critical_path();
            summary.schedule_error = analysed.schedule_error.clone();
            summary.metrics = analysed.metrics.as_ref().map(|metrics| MetricsSummary {
                status_date: metrics.status_date,
                budget: analysed.plan.project.budget,
                bac: metrics.bac,
                ev: metrics.ev,
                ac: metrics.ac,
                eac: metrics.eac,
                spi: metrics.spi,
                cpi: metrics.cpi,
                percent_complete: metrics.percent_complete,
                open_blockers: metrics.open_blockers,
                open_risks: analysed.open_risks(),
            });
        }
    }
    summary
}

/// The numbers that differ, to the precision the output shows them.
fn metric_changes(old: Option<&MetricsSummary>, new: Option<&MetricsSummary>) -> Vec<MetricChange> {
    let (Some(old), Some(new)) = (old, new) else {
        return Vec::new();
    };
    Metric::ALL
        .iter()
        .filter_map(|&metric| {
            let (old_value, new_value) = (metric.of(old), metric.of(new));
            let shown = |value: Option<f64>| {
                value.map(|value| match metric.unit() {
                    MetricUnit::Money => (value * 100.0).round() as i64,
                    MetricUnit::Percent => (value * 10.0).round() as i64,
                    MetricUnit::Index => (value * 100.0).round() as i64,
                    MetricUnit::Count => value.round() as i64,
                })
            };
            (shown(old_value) != shown(new_value)).then_some(MetricChange {
                metric,
                old: old_value,
                new: new_value,
            })
        })
        .collect()
}

fn problems_diff(old: &[Diagnostic], new: &[Diagnostic]) -> ProblemsDiff {
    let key = |d: &Diagnostic| (d.severity == Severity::Error, d.message.clone());
    let pairing = pair::pair_by(old, new, key);
    ProblemsDiff {
        introduced: pairing.added.iter().map(|&i| new[i].clone()).collect(),
        fixed: pairing.removed.iter().map(|&i| old[i].clone()).collect(),
    }
}

/// A version as compared: its plan, schedule and calendar, or an empty
/// plan for a missing file.
struct Side<'a> {
    plan: &'a Plan,
    schedule: Option<&'a Schedule>,
    calendar: Option<&'a Calendar>,
    present: bool,
}

/// Compares two versions of a plan.
pub fn compare(old: &Version, new: &Version) -> PlanDiff {
    let empty = Plan::default();
    let old_summary = summarise(old);
    let new_summary = summarise(new);
    let problems = problems_diff(old.diagnostics(), new.diagnostics());
    let metrics = metric_changes(old_summary.metrics.as_ref(), new_summary.metrics.as_ref());
    let mut diff = PlanDiff {
        comparable: !matches!(old.content, Content::Unparsable { .. })
            && !matches!(new.content, Content::Unparsable { .. }),
        old: old_summary,
        new: new_summary,
        story: Vec::new(),
        schedule: ScheduleDiff::default(),
        project: Vec::new(),
        tasks: EntityDiff::default(),
        phases: EntityDiff::default(),
        people: EntityDiff::default(),
        objectives: EntityDiff::default(),
        risks: EntityDiff::default(),
        changes: EntityDiff::default(),
        gates: EntityDiff::default(),
        communications: EntityDiff::default(),
        checkins: EntityDiff::default(),
        log: LogDiff::default(),
        metrics,
        problems,
    };
    if diff.comparable {
        let old_side = side_of(old, &empty);
        let new_side = side_of(new, &empty);
        let context = entities::compare_all(&old_side, &new_side, &mut diff);
        story::explain(&old_side, &new_side, &context, &mut diff);
    } else {
        story::unparsable(&mut diff);
    }
    diff
}

/// Reads both sides at once (parsing a large plan is most of the work of
/// a diff) and compares them. Each side is a label and the file's bytes,
/// `None` for no file.
pub fn compare_bytes(
    old: (String, Option<Vec<u8>>),
    new: (String, Option<Vec<u8>>),
    dating: Dating,
) -> PlanDiff {
    let (old_label, old_bytes) = old;
    let fallback_label = old_label.clone();
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(move || Version::from_bytes(old_label, old_bytes, dating));
        let new = Version::from_bytes(new.0, new.1, dating);
        (old.join(), new)
    });
    let old = old.unwrap_or_else(|_| Version {
        // Reading a plan does not panic; were it ever to, the side is shown
        // as unreadable rather than the command failing.
        label: fallback_label,
        content: Content::Unparsable {
            diagnostics: vec![Diagnostic::error(
                crate::model::Pos { line: 1, col: 1 },
                "this version could not be read",
            )],
        },
    });
    compare(&old, &new)
}

fn side_of<'a>(version: &'a Version, empty: &'a Plan) -> Side<'a> {
    match &version.content {
        Content::Plan(analysed) => Side {
            plan: &analysed.plan,
            schedule: analysed.schedule.as_ref(),
            calendar: analysed.calendar.as_ref(),
            present: true,
        },
        _ => Side {
            plan: empty,
            schedule: None,
            calendar: None,
            present: false,
        },
    }
}

#[cfg(test)]
mod tests;
