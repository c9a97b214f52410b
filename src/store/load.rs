//! The document tree to the typed plan.

use chrono::Weekday;

use crate::diagnostic;
use crate::model::*;

use super::fields::{Fields, Range, Reader};
use super::tree::{Item, Table};
use crate::sanitize::quote;

/// What the format can hold, per number: beyond these, sums over a plan
/// could overflow or print wider than any column. `docs/format.md` lists
/// the same ranges.
pub mod limits {
    use super::Range;

    pub const BUDGET: Range = Range {
        min: 0.0,
        max: 1e15,
        min_allowed: true,
        words: "from 0 to 1e15 (a thousand trillion)",
    };
    pub const RATE: Range = Range {
        min: 0.0,
        max: 1e6,
        min_allowed: true,
        words: "from 0 to 1000000 per hour",
    };
    pub const CAPACITY: Range = Range {
        min: 0.01,
        max: 1.0,
        min_allowed: true,
        words: "a fraction of a full day, from 0.01 to 1 (0.5 is half time)",
    };
    pub const ESTIMATE: Range = Range {
        min: 0.0,
        max: 1e6,
        min_allowed: true,
        words: "from 0 to 1000000 hours",
    };
    pub const HOURS_PER_DAY: Range = Range {
        min: 0.5,
        max: 24.0,
        min_allowed: true,
        words: "from 0.5 to 24",
    };
    pub const LOG_HOURS: Range = Range {
        min: 0.0,
        max: 24.0,
        min_allowed: false,
        words: "more than 0 and at most 24",
    };
    pub const COST: Range = Range {
        min: -1e15,
        max: 1e15,
        min_allowed: true,
        words: "from -1e15 to 1e15",
    };
    pub const PERCENT: Range = Range {
        min: 0.0,
        max: 100.0,
        min_allowed: true,
        words: "from 0 to 100",
    };
    pub const INDEX: Range = Range {
        min: 0.0,
        max: 1000.0,
        min_allowed: true,
        words: "from 0 to 1000 (1 is on plan)",
    };
    /// Working days: durations, lags, schedule impacts. Ten thousand
    /// years of working days is past the last date a plan can write.
    pub const MAX_DAYS: i64 = 1_000_000;
    pub const MAX_BLOCKERS: i64 = 1_000_000;
}

/// Every top-level key of the format, in the order the documentation lists
/// them. (`[[conflict]]`, which only a merge writes, is read as an entity
/// kind but not offered as a suggestion.)
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "project",
    "scope",
    "calendar",
    "objective",
    "person",
    "phase",
    "task",
    "log",
    "risk",
    "change",
    "gate",
    "communication",
    "checkin",
    "handover",
    "review",
];

/// The top-level keys written as one table each, without an id. An edit
/// that replaces one of them is followed by reading that table alone
/// (see `replace_single`), and its problems are kept apart from the rest.
pub const SINGLE_TABLES: &[&str] = &["project", "scope", "calendar", "handover", "review"];

/// The kinds of entity kept as arrays of tables, by their top-level key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Objective,
    Person,
    Phase,
    Task,
    Log,
    Risk,
    Change,
    Gate,
    Communication,
    Checkin,
    /// What a merge could not decide, recorded for the user (`[[conflict]]`).
    Conflict,
}

impl EntityKind {
    pub const ALL: &'static [EntityKind] = &[
        EntityKind::Objective,
        EntityKind::Person,
        EntityKind::Phase,
        EntityKind::Task,
        EntityKind::Log,
        EntityKind::Risk,
        EntityKind::Change,
        EntityKind::Gate,
        EntityKind::Communication,
        EntityKind::Checkin,
        EntityKind::Conflict,
    ];

    pub fn key(self) -> &'static str {
        match self {
            EntityKind::Objective => "objective",
            EntityKind::Person => "person",
            EntityKind::Phase => "phase",
            EntityKind::Task => "task",
            EntityKind::Log => "log",
            EntityKind::Risk => "risk",
            EntityKind::Change => "change",
            EntityKind::Gate => "gate",
            EntityKind::Communication => "communication",
            EntityKind::Checkin => "checkin",
            EntityKind::Conflict => "conflict",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.key() == key)
    }

    /// Log entries, check-ins and merge conflicts are not named by an id.
    pub fn has_id(self) -> bool {
        !matches!(
            self,
            EntityKind::Log | EntityKind::Checkin | EntityKind::Conflict
        )
    }
}

/// Reads the whole plan from the root table. Problems go to the reader.
pub fn plan(reader: &mut Reader<'_>, root: Table<'_>) -> Plan {
    let mut builder = PlanBuilder::default();
    for (key, key_span, item) in root.iter() {
        let span = key_span.or_else(|| root.key_span(key)).or(item.span());
        builder.entry(reader, key, span, item);
    }
    builder.finish(reader)
}

/// Builds the plan from the root's keys, given one by one in the order of
/// the text: from one tree, or from the trees of the pieces of a large plan
/// (`store::chunks`), each read and dropped in turn. An array of tables may
/// come in several parts; its tables are counted across them.
#[derive(Default)]
pub struct PlanBuilder {
    plan: Plan,
    saw_project: bool,
    /// Tables of each kind read so far, by `EntityKind as usize`.
    tables_read: [usize; EntityKind::ALL.len()],
}

impl PlanBuilder {
    /// Reads the root key `key` (written at `span`) and its value.
    pub fn entry(
        &mut self,
        reader: &mut Reader<'_>,
        key: &str,
        span: Option<std::ops::Range<usize>>,
        item: Item<'_>,
    ) {
        let root_pos = Pos { line: 1, col: 1 };
        let first = reader.diagnostics.len();
        reader.key = None;
        let pos = reader.pos(span, root_pos);
        let plan = &mut self.plan;
        match key {
            "project" => {
                self.saw_project = true;
                if let Some(table) = single_table(reader, key, item, pos) {
                    plan.project = project(reader, table, reader.pos(item.span(), pos));
                }
            }
            "scope" => {
                if let Some(table) = single_table(reader, key, item, pos) {
                    plan.scope = scope(reader, table, pos);
                }
            }
            "calendar" => {
                if let Some(table) = single_table(reader, key, item, pos) {
                    plan.calendar = calendar(reader, table, pos);
                }
            }
            "handover" => {
                if let Some(table) = single_table(reader, key, item, pos) {
                    plan.handover = Some(handover(reader, table, pos));
                }
            }
            "review" => {
                if let Some(table) = single_table(reader, key, item, pos) {
                    plan.review = Some(review(reader, table, pos));
                }
            }
            _ => match EntityKind::from_key(key) {
                Some(kind) => {
                    let tables = entity_tables(reader, key, item, pos);
                    match kind {
                        EntityKind::Task => plan.tasks.reserve(tables.len()),
                        EntityKind::Log => plan.log.reserve(tables.len()),
                        _ => {}
                    }
                    let counter = &mut self.tables_read[kind as usize];
                    for (table, table_pos) in tables {
                        let index = *counter;
                        *counter += 1;
                        let first = reader.diagnostics.len();
                        add_entity(reader, plan, kind, table, table_pos);
                        let last = reader.diagnostics.len();
                        if last > first {
                            reader.owners.push((kind, index, first..last));
                        }
                    }
                }
                None => {
                    let message = format!(
                        "unknown table `{}`{}",
                        quote(key),
                        diagnostic::suggestion(key, TOP_LEVEL_KEYS.iter().copied())
                    );
                    reader.warning(pos, message);
                }
            },
        }
        // What the sections and arrays themselves got wrong is about their table.
        if let Some(&table) = TOP_LEVEL_KEYS.iter().find(|&&known| known == key) {
            for diagnostic in &mut reader.diagnostics[first..] {
                if diagnostic.subject.table.is_empty() {
                    diagnostic.subject.table = table;
                }
            }
        }
    }

    /// The plan, once every root key has been read.
    pub fn finish(self, reader: &mut Reader<'_>) -> Plan {
        if !self.saw_project {
            reader.key = None;
            reader.error(
                Pos { line: 1, col: 1 },
                "the plan has no [project] table; add one with `name = \"...\"` and `start = 2027-01-04`",
            );
            if let Some(diagnostic) = reader.diagnostics.last_mut() {
                diagnostic.subject.table = "project";
            }
        }
        self.plan
    }
}

/// Reads the single table at the top-level `key` (one of `SINGLE_TABLES`)
/// alone, from `item` (None: the key is absent), into `plan` in place of
/// what it held, exactly as reading the whole plan would; its problems go
/// to `reader`. False, and `plan` untouched, for any other key.
pub fn replace_single(
    reader: &mut Reader<'_>,
    plan: &mut Plan,
    key: &str,
    item: Option<Item<'_>>,
) -> bool {
    if !SINGLE_TABLES.contains(&key) {
        return false;
    }
    let mut builder = PlanBuilder {
        // Only the project's absence is a problem of its own.
        saw_project: key != "project",
        ..PlanBuilder::default()
    };
    if let Some(item) = item {
        builder.entry(reader, key, item.span(), item);
    }
    let read = builder.finish(reader);
    match key {
        "project" => plan.project = read.project,
        "scope" => plan.scope = read.scope,
        "calendar" => plan.calendar = read.calendar,
        "handover" => plan.handover = read.handover,
        _ => plan.review = read.review,
    }
    true
}

/// Reads one entity table of `kind` into the plan. Its problems are about
/// that entity (see `Diagnostic::subject`).
pub fn add_entity(
    reader: &mut Reader<'_>,
    plan: &mut Plan,
    kind: EntityKind,
    table: Table<'_>,
    pos: Pos,
) {
    let first = reader.diagnostics.len();
    reader.key = None;
    read_entity(reader, plan, kind, table, pos);
    reader.key = None;
    let id = match kind.has_id() {
        true => table.get("id").and_then(Item::as_str),
        false => None,
    };
    for diagnostic in &mut reader.diagnostics[first..] {
        diagnostic.subject.table = kind.key();
        diagnostic.subject.id = id.map(str::to_owned);
    }
}

fn read_entity(
    reader: &mut Reader<'_>,
    plan: &mut Plan,
    kind: EntityKind,
    table: Table<'_>,
    pos: Pos,
) {
    match kind {
        EntityKind::Objective => plan.objectives.extend(objective(reader, table, pos)),
        EntityKind::Person => plan.people.extend(person(reader, table, pos)),
        EntityKind::Phase => plan.phases.extend(phase(reader, table, pos)),
        EntityKind::Task => plan.tasks.extend(task(reader, table, pos)),
        EntityKind::Log => plan.log.extend(log_entry(reader, table, pos)),
        EntityKind::Risk => plan.risks.extend(risk(reader, table, pos)),
        EntityKind::Change => plan.changes.extend(change(reader, table, pos)),
        EntityKind::Gate => plan.gates.extend(gate(reader, table, pos)),
        EntityKind::Communication => plan
            .communications
            .extend(communication(reader, table, pos)),
        EntityKind::Checkin => plan.checkins.extend(checkin(reader, table, pos)),
        EntityKind::Conflict => plan.conflicts.extend(conflict(reader, table, pos)),
    }
}

/// How many entities of `kind` the plan holds.
pub fn entity_count(plan: &Plan, kind: EntityKind) -> usize {
    match kind {
        EntityKind::Objective => plan.objectives.len(),
        EntityKind::Person => plan.people.len(),
        EntityKind::Phase => plan.phases.len(),
        EntityKind::Task => plan.tasks.len(),
        EntityKind::Log => plan.log.len(),
        EntityKind::Risk => plan.risks.len(),
        EntityKind::Change => plan.changes.len(),
        EntityKind::Gate => plan.gates.len(),
        EntityKind::Communication => plan.communications.len(),
        EntityKind::Checkin => plan.checkins.len(),
        EntityKind::Conflict => plan.conflicts.len(),
    }
}

/// The id of the entity of `kind` at `index`, for kinds with ids.
pub fn entity_id(plan: &Plan, kind: EntityKind, index: usize) -> Option<&str> {
    located_id(plan, kind, index).map(|id| id.value.as_str())
}

/// Where the id of the entity of `kind` at `index` is written, for kinds
/// with ids.
pub fn entity_id_pos(plan: &Plan, kind: EntityKind, index: usize) -> Option<Pos> {
    located_id(plan, kind, index).map(|id| id.pos)
}

fn located_id(plan: &Plan, kind: EntityKind, index: usize) -> Option<&Located<String>> {
    Some(match kind {
        EntityKind::Objective => &plan.objectives.get(index)?.id,
        EntityKind::Person => &plan.people.get(index)?.id,
        EntityKind::Phase => &plan.phases.get(index)?.id,
        EntityKind::Task => &plan.tasks.get(index)?.id,
        EntityKind::Risk => &plan.risks.get(index)?.id,
        EntityKind::Change => &plan.changes.get(index)?.id,
        EntityKind::Gate => &plan.gates.get(index)?.id,
        EntityKind::Communication => &plan.communications.get(index)?.id,
        EntityKind::Log | EntityKind::Checkin | EntityKind::Conflict => return None,
    })
}

/// Moves the one entity of `kind` that `from` holds into `plan` at `index`,
/// replacing what was there. False when `from` holds none.
pub fn replace_entity(plan: &mut Plan, mut from: Plan, kind: EntityKind, index: usize) -> bool {
    fn put<T>(into: &mut [T], from: &mut Vec<T>, index: usize) -> bool {
        match (from.pop(), into.get_mut(index)) {
            (Some(entity), Some(slot)) => {
                *slot = entity;
                true
            }
            _ => false,
        }
    }
    match kind {
        EntityKind::Objective => put(&mut plan.objectives, &mut from.objectives, index),
        EntityKind::Person => put(&mut plan.people, &mut from.people, index),
        EntityKind::Phase => put(&mut plan.phases, &mut from.phases, index),
        EntityKind::Task => {
            let old = plan
                .tasks
                .get(index)
                .map(|task| (task.pos, task.id.pos, task.duration.pos, task.start_pos));
            let replaced = put(&mut plan.tasks, &mut from.tasks, index);
            // The new table has no spans: keep the positions of the last parse.
            if let (true, Some((pos, id_pos, duration_pos, start_pos))) = (replaced, old) {
                let task = &mut plan.tasks[index];
                task.pos = pos;
                task.id.pos = id_pos;
                task.duration.pos = duration_pos;
                task.start_pos = start_pos;
            }
            replaced
        }
        EntityKind::Log => put(&mut plan.log, &mut from.log, index),
        EntityKind::Risk => put(&mut plan.risks, &mut from.risks, index),
        EntityKind::Change => put(&mut plan.changes, &mut from.changes, index),
        EntityKind::Gate => put(&mut plan.gates, &mut from.gates, index),
        EntityKind::Communication => put(&mut plan.communications, &mut from.communications, index),
        EntityKind::Checkin => put(&mut plan.checkins, &mut from.checkins, index),
        EntityKind::Conflict => put(&mut plan.conflicts, &mut from.conflicts, index),
    }
}

/// Inserts the one entity of `kind` that `from` holds into `plan` at
/// `index`. False (and nothing changed) when `from` holds none or `index`
/// is past the end.
pub fn insert_entity(plan: &mut Plan, mut from: Plan, kind: EntityKind, index: usize) -> bool {
    fn insert<T>(into: &mut Vec<T>, from: &mut Vec<T>, index: usize) -> bool {
        if index > into.len() || from.len() != 1 {
            return false;
        }
        match from.pop() {
            Some(entity) => {
                into.insert(index, entity);
                true
            }
            None => false,
        }
    }
    match kind {
        EntityKind::Objective => insert(&mut plan.objectives, &mut from.objectives, index),
        EntityKind::Person => insert(&mut plan.people, &mut from.people, index),
        EntityKind::Phase => insert(&mut plan.phases, &mut from.phases, index),
        EntityKind::Task => insert(&mut plan.tasks, &mut from.tasks, index),
        EntityKind::Log => insert(&mut plan.log, &mut from.log, index),
        EntityKind::Risk => insert(&mut plan.risks, &mut from.risks, index),
        EntityKind::Change => insert(&mut plan.changes, &mut from.changes, index),
        EntityKind::Gate => insert(&mut plan.gates, &mut from.gates, index),
        EntityKind::Communication => {
            insert(&mut plan.communications, &mut from.communications, index)
        }
        EntityKind::Checkin => insert(&mut plan.checkins, &mut from.checkins, index),
        EntityKind::Conflict => insert(&mut plan.conflicts, &mut from.conflicts, index),
    }
}

/// Moves the entity of `kind` at `from` to `to` (`to` counted after taking
/// it out), or removes it when `to` is None. False when `from` or `to` is
/// past the end.
pub fn move_entity(plan: &mut Plan, kind: EntityKind, from: usize, to: Option<usize>) -> bool {
    fn shift<T>(entities: &mut Vec<T>, from: usize, to: Option<usize>) -> bool {
        if from >= entities.len() || to.is_some_and(|to| to >= entities.len()) {
            return false;
        }
        let entity = entities.remove(from);
        if let Some(to) = to {
            entities.insert(to, entity);
        }
        true
    }
    match kind {
        EntityKind::Objective => shift(&mut plan.objectives, from, to),
        EntityKind::Person => shift(&mut plan.people, from, to),
        EntityKind::Phase => shift(&mut plan.phases, from, to),
        EntityKind::Task => shift(&mut plan.tasks, from, to),
        EntityKind::Log => shift(&mut plan.log, from, to),
        EntityKind::Risk => shift(&mut plan.risks, from, to),
        EntityKind::Change => shift(&mut plan.changes, from, to),
        EntityKind::Gate => shift(&mut plan.gates, from, to),
        EntityKind::Communication => shift(&mut plan.communications, from, to),
        EntityKind::Checkin => shift(&mut plan.checkins, from, to),
        EntityKind::Conflict => shift(&mut plan.conflicts, from, to),
    }
}

fn single_table<'t>(
    reader: &mut Reader<'_>,
    key: &str,
    item: Item<'t>,
    pos: Pos,
) -> Option<Table<'t>> {
    match item.as_table() {
        Some(table) => Some(table),
        None => {
            let message = format!(
                "`{key}` must be a table: write [{key}], not {}",
                item.describe()
            );
            reader.error(pos, message);
            None
        }
    }
}

/// The tables of an entity array, written as `[[task]]` or as an array of inline tables.
fn entity_tables<'t>(
    reader: &mut Reader<'_>,
    key: &str,
    item: Item<'t>,
    pos: Pos,
) -> Vec<(Table<'t>, Pos)> {
    if let Some(tables) = item.array_of_tables() {
        return tables
            .into_iter()
            .map(|(table, span)| (table, reader.pos(span, pos)))
            .collect();
    }
    let Some(array) = item.as_array() else {
        let message = format!(
            "`{key}` must be an array of tables: write [[{key}]], not {}",
            item.describe()
        );
        reader.error(pos, message);
        return Vec::new();
    };
    let mut tables = Vec::new();
    for element in array.iter() {
        let element_pos = reader.pos(element.span(), pos);
        match element.as_table() {
            Some(table) => tables.push((table, element_pos)),
            None => {
                let message = format!(
                    "every `{key}` must be a table; write [[{key}]] sections, not {}",
                    element.describe()
                );
                reader.error(element_pos, message);
            }
        }
    }
    tables
}

/// How messages name an entity: "task `api`" by its id as written, else
/// by its name ("the task \"Design review\""), else "this task". Never by
/// its line: the diagnostic's position says where it is, and a message
/// stays the same when lines move.
fn entity_name(kind: &str, table: Table<'_>, name_key: &str) -> String {
    let text = |key: &str| table.get(key).and_then(Item::as_str);
    match (text("id"), text(name_key)) {
        (Some(id), _) if !id.is_empty() => {
            format!("{kind} `{}`", quote(id))
        }
        (_, Some(name)) => format!("the {kind} \"{}\"", quote(name)),
        _ => format!("this {kind}"),
    }
}

/// How messages name an entity without an id: "the log entry of
/// 2027-01-12" by its date, else "this log entry".
fn dated_name(kind: &str, table: Table<'_>, date_key: &str) -> String {
    match table
        .get(date_key)
        .and_then(|value| super::fields::date_value(value, "").ok())
    {
        Some(date) => format!("the {kind} of {date}"),
        None => format!("this {kind}"),
    }
}

fn project(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Project {
    let mut fields = Fields::new(reader, table, pos, "[project]");
    let name = fields.required_string("name", "name = \"Storefront replatform\"");
    let start_present = fields.has("start");
    let start = fields.located_date("start");
    if !start_present {
        fields.missing("start", "start = 2027-01-04");
    }
    let project = Project {
        name: name.unwrap_or_default(),
        start: start.as_ref().map(|s| s.value).unwrap_or_default(),
        start_pos: start.map(|s| s.pos).unwrap_or(pos),
        status_date: fields.date("status_date"),
        status_date_pos: fields.pos_of("status_date"),
        currency: fields.string("currency"),
        budget: fields
            .number_in("budget", &limits::BUDGET)
            .map(|budget| budget.value),
        description: fields.string("description"),
        pos,
    };
    fields.finish();
    project
}

fn scope(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Scope {
    let mut fields = Fields::new(reader, table, pos, "[scope]");
    let scope = Scope {
        included: fields.string_array("included"),
        excluded: fields.string_array("excluded"),
        dropped: fields.located_string_array("dropped"),
    };
    fields.finish();
    scope
}

const WEEKDAY_NAMES: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn calendar(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Calendar {
    let mut fields = Fields::new(reader, table, pos, "[calendar]");
    let mut calendar = Calendar::default();
    if fields.has("workdays") {
        let workdays_pos = fields.pos_of("workdays");
        let mut workdays = Vec::new();
        for day in fields.located_string_array("workdays") {
            let weekday = WEEKDAY_NAMES
                .iter()
                .position(|name| *name == day.value.to_ascii_lowercase())
                .and_then(|index| Weekday::try_from(index as u8).ok());
            match weekday {
                Some(weekday) if workdays.contains(&weekday) => {
                    let message = format!("`{}` appears twice in `workdays`", quote(&day.value));
                    fields.reader.warning(day.pos, message);
                }
                Some(weekday) => workdays.push(weekday),
                None => {
                    let message = format!(
                        "\"{}\" in `workdays` is not a weekday; use \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\" or \"sun\"",
                        quote(&day.value)
                    );
                    fields.reader.error(day.pos, message);
                }
            }
        }
        if workdays.is_empty() {
            fields.reader.error(
                workdays_pos,
                "`workdays` in [calendar] has no working day, so nothing could ever be scheduled; list at least one, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
            );
        } else {
            workdays.sort_by_key(|day: &Weekday| day.num_days_from_monday());
            calendar.workdays = workdays;
        }
    }
    calendar.holidays = fields.date_array("holidays");
    calendar.holidays.sort();
    calendar.holidays.dedup();
    if let Some(hours) = fields.number_in("hours_per_day", &limits::HOURS_PER_DAY) {
        calendar.hours_per_day = hours.value;
    }
    fields.finish();
    calendar
}

fn objective(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Objective> {
    let mut fields = Fields::new(reader, table, pos, entity_name("objective", table, "title"));
    let id = fields.id();
    let title = fields.required_string("title", "title = \"Cut check-in time in half\"");
    let target = fields.string("target");
    let current = fields.string("current");
    fields.finish();
    Some(Objective {
        id: id?,
        title: title.unwrap_or_default(),
        target,
        current,
    })
}

fn person(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Person> {
    let mut fields = Fields::new(reader, table, pos, entity_name("person", table, "name"));
    let id = fields.id();
    let name = fields.string("name");
    let role = fields.string("role");
    let rate = fields
        .number_in("rate", &limits::RATE)
        .map(|rate| rate.value);
    let capacity = fields
        .number_in("capacity", &limits::CAPACITY)
        .map_or(1.0, |capacity| capacity.value);
    let skills = fields.string_array("skills");
    fields.finish();
    let id = id?;
    Some(Person {
        name: name.unwrap_or_else(|| id.value.clone()),
        id,
        role,
        rate,
        capacity,
        skills,
    })
}

fn phase(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Phase> {
    let mut fields = Fields::new(reader, table, pos, entity_name("phase", table, "name"));
    let id = fields.id();
    let name = fields.string("name");
    fields.finish();
    let id = id?;
    Some(Phase {
        name: name.unwrap_or_else(|| id.value.clone()),
        id,
    })
}

fn task(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Task> {
    let mut fields = Fields::new(reader, table, pos, entity_name("task", table, "name"));
    let id = fields.id();
    let name = fields.required_string("name", "name = \"Design review\"");
    let phase = fields.reference("phase");
    let owner = fields.reference("owner");
    let duration = match fields.integer("duration") {
        Some(days) if days.value < 0 || days.value > limits::MAX_DAYS => {
            let message = format!(
                "`duration` in {} is {}, but a duration is a number of working days, from 0 to {}",
                fields.what,
                days.value,
                limits::MAX_DAYS
            );
            fields.reader.error(days.pos, message);
            Located::new(1, days.pos)
        }
        Some(days) => days,
        None => Located::new(1, fields.pos),
    };
    let estimate = fields
        .number_in("estimate", &limits::ESTIMATE)
        .map(|estimate| estimate.value);
    let depends = dependencies(&mut fields);
    let start_pos = fields.pos_of("start");
    let start = fields.date("start");
    let milestone = fields.bool("milestone").unwrap_or(false);
    let status = fields
        .choice("status", TaskStatus::NAMES, TaskStatus::parse)
        .unwrap_or_default();
    let progress = fields
        .integer_in("progress", 0, 100)
        .map(|p| p.value as u8)
        .unwrap_or(0);
    let blocker = fields.string("blocker");
    let blocked_since = fields.date("blocked_since");
    let notes = fields.string("notes");
    let baseline = fields.table("baseline").and_then(|(table, pos)| {
        let what = format!("the baseline of {}", fields.what);
        baseline_value(fields.reader, table, pos, what)
    });
    let mut baselines = Vec::new();
    if let Some((table, table_pos)) = fields.table("baselines") {
        for (name, key_span, item) in table.iter() {
            let item_pos = fields.reader.pos(item.span(), table_pos);
            if !is_valid_id(name) {
                let key_span = key_span.or_else(|| table.key_span(name));
                let key_pos = fields.reader.pos(key_span, item_pos);
                let named = if name.is_empty() {
                    "an empty baseline name".to_owned()
                } else {
                    format!("baseline name `{}`", quote(name))
                };
                let message = format!(
                    "{named} in {}: a baseline name may hold only ASCII letters, digits, '-', '_' and '.', like an id (e.g. signed-off)",
                    fields.what
                );
                fields.reader.error(key_pos, message);
                continue;
            }
            let what = format!("baseline `{name}` of {}", fields.what);
            match item.as_table() {
                Some(inner) => {
                    if let Some(baseline) = baseline_value(fields.reader, inner, item_pos, what) {
                        baselines.push((name.to_owned(), baseline));
                    }
                }
                None => {
                    let message = format!(
                        "{what} must be a table like {{ start = 2027-01-04, finish = 2027-01-08 }}"
                    );
                    fields.reader.error(item_pos, message);
                }
            }
        }
    }
    if milestone && duration.value > 0 && fields.has("duration") {
        let message = format!(
            "{} is a milestone, so its `duration` of {} is ignored; remove it or set milestone = false",
            fields.what, duration.value
        );
        fields.reader.warning(duration.pos, message);
    }
    fields.finish();
    let id = id?;
    Some(Task {
        name: name.unwrap_or_else(|| id.value.clone()),
        id,
        phase,
        owner,
        duration,
        estimate,
        depends,
        start,
        milestone,
        status,
        progress,
        blocker,
        blocked_since,
        notes,
        baseline,
        baselines,
        start_pos,
        pos,
    })
}

fn baseline_value(
    reader: &mut Reader<'_>,
    table: Table<'_>,
    pos: Pos,
    what: String,
) -> Option<Baseline> {
    let mut fields = Fields::new(reader, table, pos, what);
    let start = fields.date("start");
    let finish = fields.date("finish");
    if !fields.has("start") {
        fields.missing("start", "start = 2027-01-04");
    }
    if !fields.has("finish") {
        fields.missing("finish", "finish = 2027-01-08");
    }
    let baseline = match (start, finish) {
        (Some(start), Some(finish)) if finish < start => {
            let message = format!(
                "{} finishes on {finish}, before it starts on {start}",
                fields.what
            );
            fields.reader.error(pos, message);
            None
        }
        (Some(start), Some(finish)) => Some(Baseline { start, finish }),
        _ => None,
    };
    fields.finish();
    baseline
}

fn dependencies(fields: &mut Fields<'_, '_, '_>) -> Vec<Dependency> {
    let mut depends = Vec::new();
    let Some(array) = fields.array("depends") else {
        return depends;
    };
    for element in array.iter() {
        let pos = fields.reader.pos(element.span(), fields.pos);
        if let Some(id) = element.as_str() {
            depends.push(Dependency {
                task: Ref::new(Located::new(id.to_owned(), pos)),
                kind: DependencyKind::FinishToStart,
                lag: 0,
            });
            continue;
        }
        match element.as_table() {
            Some(table) => {
                let what = format!("a dependency of {}", fields.what);
                let mut inner = Fields::new(fields.reader, table, pos, what);
                let task = inner.reference("task");
                if !inner.has("task") {
                    inner.missing("task", "{ task = \"design\", lag = 2 }");
                }
                let kind = inner
                    .choice("type", DependencyKind::NAMES, DependencyKind::parse)
                    .unwrap_or_default();
                let lag = inner
                    .integer_in("lag", -limits::MAX_DAYS, limits::MAX_DAYS)
                    .map(|lag| lag.value)
                    .unwrap_or(0);
                inner.finish();
                if let Some(task) = task {
                    depends.push(Dependency { task, kind, lag });
                }
            }
            None => {
                let message = format!(
                    "a dependency of {} must be a task id like \"design\" or a table like {{ task = \"design\", type = \"ss\", lag = 2 }}, not {}",
                    fields.what,
                    element.describe()
                );
                fields.reader.error(pos, message);
            }
        }
    }
    depends
}

fn log_entry(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<LogEntry> {
    let mut fields = Fields::new(reader, table, pos, dated_name("log entry", table, "date"));
    let date = fields.located_date("date");
    if !fields.has("date") {
        fields.missing("date", "date = 2027-01-12");
    }
    let task = fields.reference("task");
    if !fields.has("task") {
        fields.missing("task", "task = \"api\"");
    }
    let person = fields.reference("person");
    let hours = fields
        .number_in("hours", &limits::LOG_HOURS)
        .map(|hours| hours.value);
    if !fields.has("hours") {
        fields.missing("hours", "hours = 6");
    }
    let note = fields.string("note");
    fields.finish();
    let date = date?;
    Some(LogEntry {
        date: date.value,
        date_pos: date.pos,
        task: task?,
        person,
        hours: hours?,
        note,
        pos,
    })
}

fn risk(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Risk> {
    let mut fields = Fields::new(reader, table, pos, entity_name("risk", table, "title"));
    let id = fields.id();
    let title = fields.required_string("title", "title = \"Vendor delays API access\"");
    let owner = fields.reference("owner");
    let scale = |fields: &mut Fields<'_, '_, '_>, key: &'static str| {
        if !fields.has(key) {
            fields.missing(key, &format!("{key} = 3 (from 1 to 5)"));
            return None;
        }
        fields.integer_in(key, 1, 5).map(|value| value.value as u8)
    };
    let likelihood = scale(&mut fields, "likelihood");
    let impact = scale(&mut fields, "impact");
    let trigger = fields.date("trigger");
    let mitigation = fields.string("mitigation");
    let status = fields
        .choice("status", RiskStatus::NAMES, RiskStatus::parse)
        .unwrap_or_default();
    let tier = fields
        .choice("tier", RiskTier::NAMES, RiskTier::parse)
        .unwrap_or_default();
    let tasks = fields.reference_array("tasks");
    let reviewed = fields.date("reviewed");
    fields.finish();
    Some(Risk {
        id: id?,
        title: title.unwrap_or_default(),
        owner,
        likelihood: likelihood.unwrap_or(1),
        impact: impact.unwrap_or(1),
        trigger,
        mitigation,
        status,
        tier,
        tasks,
        reviewed,
    })
}

fn change(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<ChangeRequest> {
    let mut fields = Fields::new(
        reader,
        table,
        pos,
        entity_name("change request", table, "title"),
    );
    let id = fields.id();
    let title = fields.required_string("title", "title = \"Add loyalty points to checkout\"");
    let cost_pos = fields.pos_of("cost");
    let days_pos = fields.pos_of("days");
    let requested_by = fields.string("requested_by");
    let requested = fields.date("requested");
    let cost = fields
        .number_in("cost", &limits::COST)
        .map(|cost| cost.value);
    let days = fields
        .integer_in("days", -limits::MAX_DAYS, limits::MAX_DAYS)
        .map(|days| days.value);
    let status = fields
        .choice("status", ChangeStatus::NAMES, ChangeStatus::parse)
        .unwrap_or_default();
    let decided_by = fields.string("decided_by");
    let decided = fields.date("decided");
    let note = fields.string("note");
    let reason = fields.string("reason");
    let baseline = fields.located_string("baseline");
    let mut edits = Vec::new();
    if let Some((item, item_pos)) = fields.any("edit") {
        let owner = fields.what.clone();
        for (inner, inner_pos) in entity_tables(fields.reader, "change.edit", item, item_pos) {
            edits.extend(task_patch(fields.reader, inner, inner_pos, &owner));
        }
    }
    let mut adds = Vec::new();
    if let Some((item, item_pos)) = fields.any("add") {
        for (inner, inner_pos) in entity_tables(fields.reader, "change.add", item, item_pos) {
            adds.extend(task(fields.reader, inner, inner_pos));
        }
    }
    fields.finish();
    Some(ChangeRequest {
        id: id?,
        title: title.unwrap_or_default(),
        requested_by,
        requested,
        cost,
        cost_pos,
        days,
        days_pos,
        status,
        decided_by,
        decided,
        note,
        reason,
        baseline,
        edits,
        adds,
        pos,
    })
}

/// One `[[change.edit]]`: the task it changes and any task keys `task set`
/// takes, with the values and ranges a task allows.
fn task_patch(
    reader: &mut Reader<'_>,
    table: Table<'_>,
    pos: Pos,
    change: &str,
) -> Option<TaskPatch> {
    let what = match table.get("task").and_then(Item::as_str) {
        Some(id) => format!("the edit of task `{}` in {change}", quote(id)),
        None => format!("a task edit of {change}"),
    };
    let mut fields = Fields::new(reader, table, pos, what);
    let task = fields.located_string("task");
    if !fields.has("task") {
        fields.missing("task", "task = \"api\"");
    }
    let name = fields.string("name");
    let phase = fields.reference("phase");
    let owner = fields.reference("owner");
    let duration = match fields.integer("duration") {
        Some(days) if days.value < 0 || days.value > limits::MAX_DAYS => {
            let message = format!(
                "`duration` in {} is {}, but a duration is a number of working days, from 0 to {}",
                fields.what,
                days.value,
                limits::MAX_DAYS
            );
            fields.reader.error(days.pos, message);
            None
        }
        other => other,
    };
    let estimate = fields
        .number_in("estimate", &limits::ESTIMATE)
        .map(|estimate| estimate.value);
    let depends = fields.has("depends").then(|| dependencies(&mut fields));
    let start = fields.date("start");
    let milestone = fields.bool("milestone");
    let status = fields.choice("status", TaskStatus::NAMES, TaskStatus::parse);
    let progress = fields.integer_in("progress", 0, 100).map(|p| p.value as u8);
    let blocker = fields.string("blocker");
    let blocked_since = fields.date("blocked_since");
    let notes = fields.string("notes");
    fields.finish();
    Some(TaskPatch {
        task: task?,
        name,
        phase,
        owner,
        duration,
        estimate,
        depends,
        start,
        milestone,
        status,
        progress,
        blocker,
        blocked_since,
        notes,
        pos,
    })
}

fn checklist(fields: &mut Fields<'_, '_, '_>) -> Vec<ChecklistItem> {
    let mut items = Vec::new();
    let Some(array) = fields.array("checklist") else {
        return items;
    };
    for element in array.iter() {
        let pos = fields.reader.pos(element.span(), fields.pos);
        match element.as_table() {
            Some(table) => {
                let what = format!("a checklist item of {}", fields.what);
                let mut inner = Fields::new(fields.reader, table, pos, what);
                let item =
                    inner.required_string("item", "{ item = \"Runbook written\", done = false }");
                let done = inner.bool("done").unwrap_or(false);
                inner.finish();
                if let Some(item) = item {
                    items.push(ChecklistItem { item, done });
                }
            }
            None => {
                let message = format!(
                    "a checklist item of {} must be a table like {{ item = \"Runbook written\", done = false }}",
                    fields.what
                );
                fields.reader.error(pos, message);
            }
        }
    }
    items
}

fn gate(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Gate> {
    let mut fields = Fields::new(reader, table, pos, entity_name("gate", table, "name"));
    let id = fields.id();
    let name = fields.required_string("name", "name = \"Go-live readiness\"");
    let milestone = fields.reference("milestone");
    let checklist = checklist(&mut fields);
    let approver = fields.string("approver");
    let signed = fields.date("signed");
    let signed_by = fields.string("signed_by");
    let overridden = fields.table("override").and_then(|(table, override_pos)| {
        let what = format!("the override of {}", fields.what);
        let mut inner = Fields::new(fields.reader, table, override_pos, what);
        let by = inner.required_string("by", "by = \"ana\"");
        let date = inner.date("date");
        let reason = inner.required_string("reason", "reason = \"Accepted by the steering group\"");
        inner.finish();
        Some(GateOverride {
            by: by?,
            date,
            reason: reason?,
            pos: override_pos,
        })
    });
    fields.finish();
    Some(Gate {
        id: id?,
        name: name.unwrap_or_default(),
        milestone,
        checklist,
        approver,
        signed,
        signed_by,
        overridden,
        pos,
    })
}

fn communication(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Communication> {
    let mut fields = Fields::new(
        reader,
        table,
        pos,
        entity_name("communication", table, "what"),
    );
    let id = fields.id();
    let what = fields.required_string("what", "what = \"Steering committee update\"");
    let communication = Communication {
        id: id?,
        what: what.unwrap_or_default(),
        audience: fields.string("audience"),
        cadence: fields.string("cadence"),
        channel: fields.string("channel"),
        owner: fields.reference("owner"),
        last: fields.date("last"),
        pos,
    };
    fields.finish();
    Some(communication)
}

fn checkin(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<Checkin> {
    let mut fields = Fields::new(reader, table, pos, dated_name("check-in", table, "week"));
    let week = fields.located_date("week");
    if !fields.has("week") {
        fields.missing("week", "week = 2027-01-11 (the Monday of the week)");
    }
    let mut metrics = CheckinMetrics::default();
    if let Some((metrics_table, metrics_pos)) = fields.table("metrics") {
        let what = format!("the metrics of {}", fields.what);
        let mut inner = Fields::new(fields.reader, metrics_table, metrics_pos, what);
        metrics.percent_complete = inner
            .number_in("percent_complete", &limits::PERCENT)
            .map(|v| v.value);
        metrics.spi = inner.number_in("spi", &limits::INDEX).map(|v| v.value);
        metrics.cpi = inner.number_in("cpi", &limits::INDEX).map(|v| v.value);
        metrics.open_blockers = inner
            .integer_in("open_blockers", 0, limits::MAX_BLOCKERS)
            .map(|v| v.value);
        inner.finish();
    }
    let checkin = Checkin {
        week: week?,
        done: fields.string_array("done"),
        next: fields.string_array("next"),
        blocked: fields.string_array("blocked"),
        note: fields.string("note"),
        metrics,
    };
    fields.finish();
    Some(checkin)
}

/// How the error of every recorded merge conflict begins.
pub(crate) const CONFLICT_MESSAGE: &str = "unresolved merge conflict: ";

/// A `[[conflict]]` record left by `gantry merge`: read for the app, and
/// an error until the user resolves it and deletes the record.
fn conflict(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Option<MergeConflict> {
    use super::pairing::Identity;

    let mut fields = Fields::new(
        reader,
        table,
        pos,
        format!("the merge conflict at line {}", pos.line),
    );
    let kind = fields.string("kind");
    let id = fields.string("id");
    let week = fields.any("week").map(|(item, _)| item_toml(item));
    let date = fields.any("date").map(|(item, _)| item_toml(item));
    let task = fields.string("task");
    let person = fields.string("person");
    let occurrence = fields.integer("occurrence").map(|n| n.value);
    let key = fields.string("key");
    let comment = fields.choice("part", &["value", "comment"], |part| match part {
        "value" => Some(false),
        "comment" => Some(true),
        _ => None,
    });
    let side =
        |fields: &mut Fields<'_, '_, '_>, key| fields.any(key).map(|(item, _)| item_toml(item));
    let base = side(&mut fields, "base");
    let ours = side(&mut fields, "ours");
    let theirs = side(&mut fields, "theirs");
    fields.finish();
    let identity = match (id, week, date, task) {
        (Some(id), ..) => Identity::Id(id),
        (None, Some(week), ..) => Identity::Week(week),
        (None, None, Some(date), Some(task)) => Identity::Log { date, task, person },
        _ => Identity::Table,
    };
    let mut entity = identity.describe();
    if let Some(n) = occurrence.filter(|n| *n > 1) {
        entity.push_str(&format!(" (number {n} of that name)"));
    }
    let conflict = MergeConflict {
        pos,
        kind,
        entity,
        key,
        comment: comment.unwrap_or(false),
        base,
        ours,
        theirs,
    };
    reader.error(
        pos,
        format!(
            "{CONFLICT_MESSAGE}{}; keep the value you want in the plan, then delete this [[conflict]] table",
            conflict.summary()
        ),
    );
    Some(conflict)
}

/// A value as TOML text on one line, without the comments around it.
fn item_toml(item: Item<'_>) -> String {
    let item = match item {
        super::tree::Item::Edit(item) => item,
        super::tree::Item::EditValue(value) => {
            let mut value = value.clone();
            value.decor_mut().clear();
            return value.to_string();
        }
        // Plans with [[conflict]] tables are read through toml_edit (see
        // `chunks::read_in`); were one not, the value's own text is its TOML.
        super::tree::Item::Fast(_) => return item.source_text().unwrap_or_default().to_owned(),
    };
    match item {
        toml_edit::Item::Value(value) => {
            let mut value = value.clone();
            value.decor_mut().clear();
            value.to_string()
        }
        toml_edit::Item::Table(table) => {
            let mut inline = table.clone().into_inline_table();
            inline.fmt();
            inline.to_string()
        }
        toml_edit::Item::ArrayOfTables(array) => {
            let mut inline = array.clone().into_array();
            inline.fmt();
            inline.to_string()
        }
        toml_edit::Item::None => String::new(),
    }
}

fn handover(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Handover {
    let mut fields = Fields::new(reader, table, pos, "[handover]");
    let handover = Handover {
        to: fields.string("to"),
        date: fields.date("date"),
        checklist: checklist(&mut fields),
    };
    fields.finish();
    handover
}

fn review(reader: &mut Reader<'_>, table: Table<'_>, pos: Pos) -> Review {
    let mut fields = Fields::new(reader, table, pos, "[review]");
    let review = Review {
        date: fields.date("date"),
        planned: fields.string("planned"),
        actual: fields.string("actual"),
        went_well: fields.string_array("went_well"),
        improve: fields.string_array("improve"),
        lessons: fields.string_array("lessons"),
    };
    fields.finish();
    review
}
