//! Edits as values: each changes the document and the model together, is
//! checked before it is kept, and yields its inverse for undo.

use chrono::NaiveDate;
use toml_edit::{ArrayOfTables, InlineTable, Item, Table, Value};

use crate::diagnostic::{self, Diagnostic, Subject};
use crate::model::{Baseline, DependencyKind, Plan};

use super::PlanFile;
use super::fields::Reader;
use super::load::{self, EntityKind};

/// The task keys that `gantry task set` and the app may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskField {
    Name,
    Phase,
    Owner,
    Duration,
    Estimate,
    Depends,
    Start,
    Milestone,
    Status,
    Progress,
    Blocker,
    BlockedSince,
    Notes,
}

impl TaskField {
    pub const ALL: &'static [TaskField] = &[
        TaskField::Name,
        TaskField::Phase,
        TaskField::Owner,
        TaskField::Duration,
        TaskField::Estimate,
        TaskField::Depends,
        TaskField::Start,
        TaskField::Milestone,
        TaskField::Status,
        TaskField::Progress,
        TaskField::Blocker,
        TaskField::BlockedSince,
        TaskField::Notes,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TaskField::Name => "name",
            TaskField::Phase => "phase",
            TaskField::Owner => "owner",
            TaskField::Duration => "duration",
            TaskField::Estimate => "estimate",
            TaskField::Depends => "depends",
            TaskField::Start => "start",
            TaskField::Milestone => "milestone",
            TaskField::Status => "status",
            TaskField::Progress => "progress",
            TaskField::Blocker => "blocker",
            TaskField::BlockedSince => "blocked_since",
            TaskField::Notes => "notes",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|field| field.key() == key)
    }

    /// Whether the field may be removed (the task's `name` may not).
    pub fn is_optional(self) -> bool {
        self != TaskField::Name
    }

    /// As [`TaskField::parse_text`], reading `depends` against the plan's
    /// task ids (see [`parse_depends_with`]).
    pub fn parse_text_in(self, text: &str, plan: &Plan) -> Result<Option<Value>, String> {
        if self == TaskField::Depends && !text.is_empty() {
            let ids: rustc_hash::FxHashSet<&str> = plan
                .tasks
                .iter()
                .map(|task| task.id.value.as_str())
                .collect();
            return parse_depends_with(text, |id| ids.contains(id)).map(Some);
        }
        self.parse_text(text)
    }

    /// The TOML value for `FIELD=TEXT`; an empty text removes an optional field.
    pub fn parse_text(self, text: &str) -> Result<Option<Value>, String> {
        let field = self;
        if text.is_empty() {
            return if field.is_optional() {
                Ok(None)
            } else {
                Err(format!("a task must keep its `{}`", field.key()))
            };
        }
        let value = match field {
            TaskField::Name | TaskField::Phase | TaskField::Owner | TaskField::Status => {
                Value::from(text)
            }
            TaskField::Blocker | TaskField::Notes => Value::from(text),
            TaskField::Duration | TaskField::Progress => {
                text.trim().parse::<i64>().map(Value::from).map_err(|_| {
                    format!(
                        "`{}` takes a whole number, e.g. {}=4",
                        field.key(),
                        field.key()
                    )
                })?
            }
            TaskField::Estimate => match text.trim().parse::<i64>() {
                Ok(hours) => Value::from(hours),
                Err(_) => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|hours| hours.is_finite())
                    .map(Value::from)
                    .ok_or_else(|| {
                        "`estimate` takes a number of hours, e.g. estimate=32".to_owned()
                    })?,
            },
            TaskField::Milestone => match text.trim() {
                "true" => Value::from(true),
                "false" => Value::from(false),
                _ => return Err("`milestone` takes true or false".to_owned()),
            },
            TaskField::Start | TaskField::BlockedSince => {
                let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("`{}` takes a date like 2027-01-04", field.key()))?;
                toml_date(date)
            }
            TaskField::Depends => parse_depends(text)?,
        };
        Ok(Some(value))
    }
}

/// The risk keys the app's form and `gantry risk set` may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RiskField {
    Title,
    Owner,
    Likelihood,
    Impact,
    Trigger,
    Mitigation,
    Status,
    Tier,
    Tasks,
    Reviewed,
}

impl RiskField {
    pub const ALL: &'static [RiskField] = &[
        RiskField::Title,
        RiskField::Owner,
        RiskField::Likelihood,
        RiskField::Impact,
        RiskField::Trigger,
        RiskField::Mitigation,
        RiskField::Status,
        RiskField::Tier,
        RiskField::Tasks,
        RiskField::Reviewed,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RiskField::Title => "title",
            RiskField::Owner => "owner",
            RiskField::Likelihood => "likelihood",
            RiskField::Impact => "impact",
            RiskField::Trigger => "trigger",
            RiskField::Mitigation => "mitigation",
            RiskField::Status => "status",
            RiskField::Tier => "tier",
            RiskField::Tasks => "tasks",
            RiskField::Reviewed => "reviewed",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|field| field.key() == key)
    }

    /// The TOML value for `FIELD=TEXT`; an empty text removes an optional
    /// field. `today` is what the word "today" means in a date.
    pub fn parse_text(self, text: &str, today: NaiveDate) -> Result<Option<Value>, String> {
        let required = matches!(
            self,
            RiskField::Title | RiskField::Likelihood | RiskField::Impact
        );
        if text.trim().is_empty() {
            return if required {
                Err(format!("a risk must keep its `{}`", self.key()))
            } else {
                Ok(None)
            };
        }
        let value = match self {
            RiskField::Title
            | RiskField::Owner
            | RiskField::Mitigation
            | RiskField::Status
            | RiskField::Tier => Value::from(text.trim()),
            RiskField::Likelihood | RiskField::Impact => text
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| format!("`{}` takes a whole number from 1 to 5", self.key()))?,
            RiskField::Trigger | RiskField::Reviewed => {
                let text = text.trim();
                let date = if text == "today" {
                    today
                } else {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                        format!("`{}` takes a date like 2027-01-04 (or today)", self.key())
                    })?
                };
                toml_date(date)
            }
            RiskField::Tasks => Value::Array(
                text.split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .collect(),
            ),
        };
        Ok(Some(value))
    }
}

/// `design,vendor:fs+2,qa-env:ss,docs:ff-1` as the `depends` array.
pub fn parse_depends(text: &str) -> Result<Value, String> {
    parse_depends_with(text, |_| false)
}

/// As [`parse_depends`], knowing the plan's task ids: a part without a `:`
/// that is itself a task id is taken whole, so `step-2` depends on the task
/// `step-2` rather than on `step` with a lag of -2 (write `step:fs-2` for
/// that).
pub fn parse_depends_with(text: &str, is_task: impl Fn(&str) -> bool) -> Result<Value, String> {
    let mut array = toml_edit::Array::new();
    for part in text
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        let whole = !part.contains(':') && is_task(part);
        let (head, lag) = match part
            .rfind(['+', '-'])
            .filter(|&at| !whole && at > 0 && part[at + 1..].parse::<i64>().is_ok())
        {
            Some(at) => (
                &part[..at],
                part[at..]
                    .trim_start_matches('+')
                    .parse::<i64>()
                    .unwrap_or(0),
            ),
            None => (part, 0),
        };
        let (id, kind) = match head.split_once(':') {
            Some((id, kind)) => (
                id,
                DependencyKind::parse(kind).ok_or_else(|| {
                    format!("`{kind}` is not a dependency type; use fs, ss or ff")
                })?,
            ),
            None => (head, DependencyKind::FinishToStart),
        };
        if kind == DependencyKind::FinishToStart && lag == 0 {
            array.push(id);
        } else {
            let mut table = InlineTable::new();
            table.insert("task", Value::from(id));
            if kind != DependencyKind::FinishToStart {
                table.insert("type", Value::from(kind.as_str()));
            }
            if lag != 0 {
                table.insert("lag", Value::from(lag));
            }
            array.push(table);
        }
    }
    Ok(Value::Array(array))
}

/// One change to a plan.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Sets one key of a task, or removes it when `value` is None.
    SetTask {
        task: String,
        field: TaskField,
        value: Option<Value>,
    },
    /// Records a baseline for a task: the default one, or a named one.
    SetBaseline {
        task: String,
        name: Option<String>,
        baseline: Baseline,
    },
    /// Restores a task's baseline keys exactly as they were (the inverse of `SetBaseline`).
    RestoreBaselines {
        task: String,
        baseline: Option<Item>,
        baselines: Option<Item>,
    },
    /// Sets one key of any entity with an id, or removes it when `value` is None.
    Set {
        kind: EntityKind,
        id: String,
        key: String,
        value: Option<Value>,
    },
    /// Adds an entity after the one with id `after` (or at the end of its
    /// kind). Kinds without ids (log entries, check-ins) always go at the end.
    Add {
        kind: EntityKind,
        after: Option<String>,
        table: Table,
    },
    /// Removes the entity with this id.
    Remove { kind: EntityKind, id: String },
    /// Puts back a key that an edit removed, with its comments, at the
    /// place it had in its table (the inverse of a removal).
    Restore {
        kind: EntityKind,
        id: String,
        key: toml_edit::Key,
        item: Item,
        index: usize,
    },
    /// Sets one key of the entity at `index` among the tables of its kind,
    /// or removes it when `value` is None: for log entries and check-ins,
    /// which have no id, and for entities whose id is a duplicate. Undoing
    /// a change of an entity's `id` is one of these, since the id no longer
    /// names the entity.
    SetAt {
        kind: EntityKind,
        index: usize,
        key: String,
        value: Option<Value>,
    },
    /// Puts back a key that an edit removed from the entity at `index`,
    /// with its comments, at `position` among its keys (the inverse of a
    /// removal by `SetAt`, or of the removal of an id).
    RestoreAt {
        kind: EntityKind,
        index: usize,
        key: toml_edit::Key,
        item: Item,
        position: usize,
    },
    /// Removes the entity at `index` among its kind (for kinds without ids).
    RemoveAt { kind: EntityKind, index: usize },
    /// Puts a table back at `index` among its kind (the inverse of `RemoveAt`).
    InsertAt {
        kind: EntityKind,
        index: usize,
        table: Table,
    },
    /// Moves the entity with this id to `index` among its kind.
    Move {
        kind: EntityKind,
        id: String,
        index: usize,
    },
    /// Puts `item` in place of the top-level key `key` (a single table such
    /// as `[project]`, or a key before the tables), keeping the key's place
    /// and comments; adds it at the end when absent, removes it when `item`
    /// is None.
    Replace { key: String, item: Option<Item> },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("there is no {kind} with id `{id}`{suggestion}")]
    UnknownId {
        kind: &'static str,
        id: String,
        suggestion: String,
    },
    #[error("{0}")]
    Unsupported(String),
    /// The edit would make the plan invalid; nothing was changed.
    #[error("the change was refused: {}", .0.first().map(|d| d.message.as_str()).unwrap_or("it makes the plan invalid"))]
    Invalid(Vec<Diagnostic>),
}

impl PlanFile {
    /// Applies an edit to the document and the model together. An edit that
    /// would add an error to the plan is refused and leaves both untouched.
    /// Returns the edit that undoes this one.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        Self::single(self.apply_all(vec![edit]))
    }

    /// Whether the plan would accept the edits: they are applied, judged
    /// as `apply_all_unlocated` judges them, and taken back, leaving the
    /// plan as it was (see `check_edit`).
    pub fn check_edits(&mut self, edits: Vec<Edit>) -> Result<(), EditError> {
        let inverses = self.apply_all_unlocated(edits)?;
        // Taking back is not judged: the plan returns to where it was, and
        // whatever was wrong there comes back with it.
        self.replay(inverses).map(|_| ())
    }

    /// As `apply`, for callers that show only the message of a refusal
    /// (see `apply_all_unlocated`).
    pub fn apply_unlocated(&mut self, edit: Edit) -> Result<Edit, EditError> {
        Self::single(self.apply_all_unlocated(vec![edit]))
    }

    /// Whether the plan would accept `edit`: it is applied and taken back,
    /// leaving the plan as it was. A refusal carries the messages only (see
    /// `apply_all_unlocated`); this is for checking a value as it is typed.
    pub fn check_edit(&mut self, edit: Edit) -> Result<(), EditError> {
        self.check_edits(vec![edit])
    }

    fn single(inverses: Result<Vec<Edit>, EditError>) -> Result<Edit, EditError> {
        inverses?
            .pop()
            .ok_or_else(|| EditError::Unsupported("the edit did nothing".to_owned()))
    }

    /// Applies edits as one change: the plan is checked once, after all of
    /// them, and if that finds a new error none of them is kept. Returns
    /// the inverses, to apply in the order given to undo the change. A
    /// refusal's diagnostics point where `check` would, in the text the
    /// edits would have made; finding those positions costs a load of the
    /// whole plan.
    pub fn apply_all(&mut self, edits: Vec<Edit>) -> Result<Vec<Edit>, EditError> {
        self.apply_all_with(edits, Judge::Located)
    }

    /// As `apply_all`, for callers that show only the messages of a refusal
    /// (the app checking a form as the user types): the refusal's positions
    /// are the model's, which spares the load of the whole plan.
    pub fn apply_all_unlocated(&mut self, edits: Vec<Edit>) -> Result<Vec<Edit>, EditError> {
        self.apply_all_with(edits, Judge::Unlocated)
    }

    /// Applies edits without judging them, and returns their inverses as
    /// `apply_all` does. For undo and redo, which take the plan back to a
    /// state it was in: undoing a fix brings its problem back, and that
    /// must not be refused. Fails only when an edit cannot be made at all
    /// (an unknown id), and then changes nothing.
    pub fn replay(&mut self, edits: Vec<Edit>) -> Result<Vec<Edit>, EditError> {
        self.apply_all_with(edits, Judge::Not)
    }

    fn apply_all_with(&mut self, edits: Vec<Edit>, judge: Judge) -> Result<Vec<Edit>, EditError> {
        // Waits for a document still being parsed (see `open_deferred`).
        if let Err(error) = self.document.get() {
            return Err(EditError::Unsupported(format!(
                "this plan cannot be edited: {error}"
            )));
        }
        let mut aliases = Aliases::default();
        // Quality gates guard their milestones (see `governance::gates`).
        let gates_before = match judge {
            Judge::Not => None,
            Judge::Located | Judge::Unlocated => Some(crate::governance::snapshot(&self.plan)),
        };
        // One entity edited in place is read again alone, and one entity
        // added, removed or moved is read alone or shifted in the model;
        // anything else reads the whole document again.
        let mut change: Option<Change> = None;
        let mut inverses = Vec::with_capacity(edits.len());
        for edit in edits {
            let this = self.change_of(&edit);
            change = Some(match change {
                None => this,
                Some(Change::InPlace(kind, index)) if this == Change::InPlace(kind, index) => this,
                Some(Change::Single(key)) if this == Change::Single(key) => this,
                Some(_) => Change::Whole,
            });
            if let Some((kind, old, new)) = self.rename_of(&edit) {
                aliases.join(kind.key(), old, new);
            }
            match self.apply_unchecked(edit) {
                Ok(inverse) => inverses.push(inverse),
                Err(error) => {
                    self.undo_unchecked(std::mem::take(&mut inverses));
                    self.rederive_after(change.map_or(Change::Whole, Change::undone));
                    return Err(error);
                }
            }
        }
        let change = change.unwrap_or(Change::Whole);
        let diagnostics = self.rederive_after(change);
        let new_errors = match judge {
            Judge::Not => Vec::new(),
            Judge::Located | Judge::Unlocated => {
                added_problems(&self.diagnostics, &diagnostics, &aliases)
            }
        };
        let gate_refusals = gates_before
            .map(|before| crate::governance::completion_refusals(&before, &self.plan))
            .unwrap_or_default();
        if new_errors.is_empty() && gate_refusals.is_empty() {
            self.diagnostics = diagnostics;
            inverses.reverse();
            return Ok(inverses);
        }
        // Point the refusal at the exact value, as `check` would.
        let located: Vec<Diagnostic> = if judge != Judge::Located || new_errors.is_empty() {
            Vec::new()
        } else {
            match super::parse_str(&self.text()) {
                Ok(loaded) => added_problems(&self.diagnostics, &loaded.diagnostics, &aliases),
                Err(diagnostics) => diagnostics,
            }
        };
        self.undo_unchecked(inverses);
        // The plan is as it was, and so are its diagnostics.
        self.rederive_after(change.inverse());
        let mut refusal = if located.is_empty() {
            new_errors
        } else {
            located
        };
        refusal.extend(gate_refusals);
        Err(EditError::Invalid(refusal))
    }

    /// Takes back edits already applied (their inverses, in applied order).
    fn undo_unchecked(&mut self, inverses: Vec<Edit>) {
        for inverse in inverses.into_iter().rev() {
            let _ = self.apply_unchecked(inverse);
        }
    }

    fn rederive_after(&mut self, change: Change) -> Vec<Diagnostic> {
        match change {
            Change::InPlace(kind, index) => self.rederive_one(kind, index),
            Change::Inserted(kind, index) => self.rederive_inserted(kind, index),
            Change::Removed(kind, index) => self.rederive_moved(kind, index, None),
            Change::Moved(kind, from, to) => self.rederive_moved(kind, from, Some(to)),
            Change::Single(key) => self.rederive_single(key),
            Change::Whole => self.rederive(),
        }
    }

    fn apply_unchecked(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let reshapes = match &edit {
            Edit::SetTask { .. } | Edit::SetBaseline { .. } | Edit::RestoreBaselines { .. } => {
                false
            }
            Edit::Set { key, .. } | Edit::SetAt { key, .. } => key == "id",
            Edit::Restore { key, .. } | Edit::RestoreAt { key, .. } => key.get() == "id",
            Edit::Add { .. }
            | Edit::Remove { .. }
            | Edit::RemoveAt { .. }
            | Edit::InsertAt { .. }
            | Edit::Move { .. } => true,
            // No entity array changes shape.
            Edit::Replace { .. } => false,
        };
        let in_place = match &edit {
            Edit::SetTask { task, .. }
            | Edit::SetBaseline { task, .. }
            | Edit::RestoreBaselines { task, .. } => Some((EntityKind::Task, task)),
            Edit::Set { kind, id, .. } | Edit::Restore { kind, id, .. } => Some((*kind, id)),
            _ => None,
        };
        let in_place = match (&edit, in_place) {
            // An unknown id changes nothing: the edit fails.
            (_, Some((kind, id))) => self.position_of(kind, id).map(|index| (kind, index)),
            (Edit::SetAt { kind, index, .. } | Edit::RestoreAt { kind, index, .. }, None) => {
                Some((*kind, *index))
            }
            _ => None,
        };
        match in_place {
            Some((kind, index)) => {
                if let Ok(document) = self.document.get() {
                    self.rendering
                        .get_mut()
                        .before_edit_in_place(document, kind, index);
                }
            }
            None => self.rendering.get_mut().forget(),
        }
        self.moved = true;
        // Where a moved table goes, to follow it in the id lookup below.
        let moving = match &edit {
            Edit::Move { kind, id, index } => self
                .position_of(*kind, id)
                .map(|from| (*kind, from, *index)),
            _ => None,
        };
        let kind = match &edit {
            Edit::SetTask { .. } | Edit::SetBaseline { .. } | Edit::RestoreBaselines { .. } => {
                EntityKind::Task
            }
            Edit::Set { kind, .. }
            | Edit::Restore { kind, .. }
            | Edit::SetAt { kind, .. }
            | Edit::RestoreAt { kind, .. }
            | Edit::Add { kind, .. }
            | Edit::Remove { kind, .. }
            | Edit::RemoveAt { kind, .. }
            | Edit::InsertAt { kind, .. }
            | Edit::Move { kind, .. } => *kind,
            Edit::Replace { .. } => EntityKind::Conflict,
        };
        let result = self.apply_in_document(edit);
        // Lookups made during the edit saw the old shape: follow a move of
        // one table among unique ids, forget the rest.
        if reshapes {
            let positions = self.positions.get_mut();
            let followed = match (moving, positions.get_mut(&kind), &result) {
                (Some((_, from, index)), Some(ids), Ok(_)) if ids.unique => {
                    let to = index.min(ids.map.len().saturating_sub(1));
                    for slot in ids.map.values_mut() {
                        *slot = moved_index(*slot, from, to);
                    }
                    true
                }
                _ => false,
            };
            if !followed {
                positions.remove(&kind);
            }
        }
        result
    }

    fn apply_in_document(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::SetTask { task, field, value } => {
                let index = self.index_of(EntityKind::Task, &task)?;
                let table = self.table_mut(EntityKind::Task, index)?;
                Ok(match set_key(table, field.key(), value) {
                    Undo::Set(old) => Edit::SetTask {
                        task,
                        field,
                        value: old,
                    },
                    Undo::Restore { key, item, index } => Edit::Restore {
                        kind: EntityKind::Task,
                        id: task,
                        key,
                        item,
                        index,
                    },
                })
            }
            Edit::SetBaseline {
                task,
                name,
                baseline,
            } => {
                let index = self.index_of(EntityKind::Task, &task)?;
                let table = self.table_mut(EntityKind::Task, index)?;
                let old_baseline = table.get("baseline").cloned();
                let old_baselines = table.get("baselines").cloned();
                let dates = baseline_value(baseline);
                match name {
                    None => {
                        set_key(table, "baseline", Some(dates));
                    }
                    Some(name) => {
                        let mut named = match table.get("baselines").and_then(Item::as_inline_table)
                        {
                            Some(existing) => existing.clone(),
                            None => toml_edit::InlineTable::new(),
                        };
                        match named.get_mut(&name) {
                            Some(slot) => replace_keeping_decor(slot, dates),
                            None => {
                                named.insert(&name, dates);
                            }
                        }
                        set_key(table, "baselines", Some(Value::InlineTable(named)));
                    }
                }
                Ok(Edit::RestoreBaselines {
                    task,
                    baseline: old_baseline,
                    baselines: old_baselines,
                })
            }
            Edit::RestoreBaselines {
                task,
                baseline,
                baselines,
            } => {
                let index = self.index_of(EntityKind::Task, &task)?;
                let table = self.table_mut(EntityKind::Task, index)?;
                let old_baseline = restore_key(table, "baseline", baseline);
                let old_baselines = restore_key(table, "baselines", baselines);
                Ok(Edit::RestoreBaselines {
                    task,
                    baseline: old_baseline,
                    baselines: old_baselines,
                })
            }
            Edit::Set {
                kind,
                id,
                key,
                value,
            } if key == "id" => {
                // Once renamed, the id no longer finds the entity (and a
                // duplicate would find another): undo it by place.
                let index = self.index_of(kind, &id)?;
                self.apply_in_document(Edit::SetAt {
                    kind,
                    index,
                    key,
                    value,
                })
            }
            Edit::SetAt {
                kind,
                index,
                key,
                value,
            } => {
                let table = self.table_mut(kind, index)?;
                Ok(match set_key(table, &key, value) {
                    Undo::Set(old) => Edit::SetAt {
                        kind,
                        index,
                        key,
                        value: old,
                    },
                    Undo::Restore {
                        key,
                        item,
                        index: position,
                    } => Edit::RestoreAt {
                        kind,
                        index,
                        key,
                        item,
                        position,
                    },
                })
            }
            Edit::RestoreAt {
                kind,
                index,
                key,
                item,
                position,
            } => {
                let table = self.table_mut(kind, index)?;
                let name = key.get().to_owned();
                restore_key_at(table, &key, item, position);
                Ok(Edit::SetAt {
                    kind,
                    index,
                    key: name,
                    value: None,
                })
            }
            Edit::Set {
                kind,
                id,
                key,
                value,
            } => {
                let index = self.index_of(kind, &id)?;
                let table = self.table_mut(kind, index)?;
                Ok(match set_key(table, &key, value) {
                    Undo::Set(old) => Edit::Set {
                        kind,
                        id,
                        key,
                        value: old,
                    },
                    Undo::Restore { key, item, index } => Edit::Restore {
                        kind,
                        id,
                        key,
                        item,
                        index,
                    },
                })
            }
            Edit::Restore {
                kind,
                id,
                key,
                item,
                index,
            } => {
                let entity = self.index_of(kind, &id)?;
                let table = self.table_mut(kind, entity)?;
                let name = key.get().to_owned();
                restore_key_at(table, &key, item, index);
                Ok(Edit::Set {
                    kind,
                    id,
                    key: name,
                    value: None,
                })
            }
            Edit::Add { kind, table, .. } if !kind.has_id() => {
                let array = self.array_mut(kind)?;
                let index = array.len();
                self.apply_unchecked(Edit::InsertAt { kind, index, table })
            }
            Edit::InsertAt { kind, index, table } => {
                let array = self.array_mut(kind)?;
                let index = index.min(array.len());
                let mut table = table;
                // Take the place of the table now at `index`, or follow the last one.
                let position = match array.get(index) {
                    Some(next) => next.position().map(|p| p - 1),
                    None => array.iter().filter_map(last_position).max(),
                };
                // A table taken out earlier goes back to the place it had.
                if table.position().is_none() {
                    table.set_position(position);
                }
                array.insert(index, table);
                Ok(Edit::RemoveAt { kind, index })
            }
            Edit::RemoveAt { kind, index } => {
                let array = self.array_mut(kind)?;
                if index >= array.len() {
                    return Err(EditError::Unsupported(format!(
                        "no {} at index {index}",
                        kind.key()
                    )));
                }
                let table = array.remove(index);
                Ok(Edit::InsertAt { kind, index, table })
            }
            Edit::Add { kind, after, table } => {
                let id = table.get("id").and_then(Item::as_str).map(str::to_owned);
                let Some(id) = id else {
                    return Err(EditError::Unsupported(format!(
                        "a new {} needs an `id`",
                        kind.key()
                    )));
                };
                if let Some(index) = self.position_of(kind, &id) {
                    // Where the one there already is, as far as the model knows.
                    let pos = self
                        .lined_up(kind)
                        .and_then(|_| load::entity_id_pos(&self.plan, kind, index))
                        .unwrap_or_default();
                    return Err(EditError::Invalid(vec![
                        Diagnostic::error(
                            pos,
                            format!(
                                "there is already a {} with id `{}`; ids must be unique",
                                kind.key(),
                                crate::sanitize::for_terminal(&id)
                            ),
                        )
                        .about(Subject::entity(kind.key(), &id, "id")),
                    ]));
                }
                let after_index = match &after {
                    Some(after) => Some(self.index_of(kind, after)?),
                    None => None,
                };
                let array = self.array_mut(kind)?;
                let mut table = table;
                let keep_position = table.position().is_some();
                let index = match after_index {
                    Some(index) => {
                        if !keep_position {
                            table.set_position(array.get(index).and_then(last_position));
                        }
                        index + 1
                    }
                    None => {
                        if !keep_position {
                            let last = array.iter().filter_map(last_position).max();
                            table.set_position(last);
                        }
                        array.len()
                    }
                };
                array.insert(index, table);
                Ok(Edit::Remove { kind, id })
            }
            Edit::Remove { kind, id } => {
                let index = self.index_of(kind, &id)?;
                let array = self.array_mut(kind)?;
                let table = array.remove(index);
                // The table keeps its place in the file, so putting it back
                // restores the text exactly, first entity or not.
                Ok(Edit::InsertAt { kind, index, table })
            }
            Edit::Replace { key, item } => {
                if EntityKind::from_key(&key).is_some() {
                    return Err(EditError::Unsupported(format!(
                        "`{key}` holds entities; edit them one by one"
                    )));
                }
                let root = self
                    .document
                    .get_mut()
                    .map_err(EditError::Unsupported)?
                    .as_table_mut();
                let old = match item {
                    Some(item) => match root.get_key_value(&key).map(|(k, _)| k.clone()) {
                        Some(existing) => root.insert_formatted(&existing, item),
                        None => root.insert(&key, item),
                    },
                    None => root.remove(&key),
                };
                Ok(Edit::Replace { key, item: old })
            }
            Edit::Move { kind, id, index } => {
                let from = self.index_of(kind, &id)?;
                let array = self.array_mut(kind)?;
                let to = index.min(array.len().saturating_sub(1));
                // The tables keep the places they had in the file; only what
                // stands in those places changes.
                let mut positions: Vec<Option<isize>> = array.iter().map(Table::position).collect();
                positions.sort();
                let table = array.remove(from);
                array.insert(to, table);
                for (table, position) in array.iter_mut().zip(positions) {
                    table.set_position(position);
                }
                Ok(Edit::Move {
                    kind,
                    id,
                    index: from,
                })
            }
        }
    }

    /// What an edit about to be applied will change, as far as the model
    /// can follow it without reading the whole document.
    fn change_of(&self, edit: &Edit) -> Change {
        if let Some((kind, index)) = self.touched_entity(edit) {
            return Change::InPlace(kind, index);
        }
        let kind = match edit {
            Edit::Add { kind, .. }
            | Edit::Remove { kind, .. }
            | Edit::RemoveAt { kind, .. }
            | Edit::InsertAt { kind, .. }
            | Edit::Move { kind, .. } => *kind,
            Edit::Replace { key, .. } => {
                return match load::SINGLE_TABLES.iter().find(|&&single| single == key) {
                    Some(&key) => Change::Single(key),
                    None => Change::Whole,
                };
            }
            _ => return Change::Whole,
        };
        let Some(tables) = self.lined_up(kind) else {
            return Change::Whole;
        };
        let lined_up = |index: usize, id: &str| {
            load::entity_id(&self.plan, kind, index) == Some(id)
                && self.position_of(kind, id) == Some(index)
        };
        match edit {
            Edit::Add { after, .. } if kind.has_id() => match after {
                Some(after) => match self.position_of(kind, after) {
                    Some(index) if lined_up(index, after) => Change::Inserted(kind, index + 1),
                    _ => Change::Whole,
                },
                None => Change::Inserted(kind, tables),
            },
            Edit::Add { .. } => Change::Inserted(kind, tables),
            Edit::InsertAt { index, .. } => Change::Inserted(kind, (*index).min(tables)),
            Edit::Remove { id, .. } => match self.position_of(kind, id) {
                Some(index) if lined_up(index, id) => Change::Removed(kind, index),
                _ => Change::Whole,
            },
            Edit::RemoveAt { index, .. } if *index < tables => Change::Removed(kind, *index),
            Edit::Move { id, index, .. } => match self.position_of(kind, id) {
                Some(from) if lined_up(from, id) => {
                    Change::Moved(kind, from, (*index).min(tables.saturating_sub(1)))
                }
                _ => Change::Whole,
            },
            _ => Change::Whole,
        }
    }

    /// Reads the one table an edit inserted at `index` among `kind` into the
    /// model, and validates the plan.
    fn rederive_inserted(&mut self, kind: EntityKind, index: usize) -> Vec<Diagnostic> {
        let Some((scratch, diagnostics)) = self.read_alone(kind, index, Default::default()) else {
            return self.rederive();
        };
        let id = self
            .tables(kind)
            .and_then(|array| array.get(index))
            .and_then(|table| table.get("id"))
            .and_then(Item::as_str);
        if load::entity_count(&scratch, kind) != 1
            || (kind.has_id() && load::entity_id(&scratch, kind, 0) != id)
            || !load::insert_entity(&mut self.plan, scratch, kind, index)
        {
            return self.rederive();
        }
        self.extraction
            .reindex(kind, |old| Some(if old >= index { old + 1 } else { old }));
        if !diagnostics.is_empty() {
            self.extraction.by_entity.insert((kind, index), diagnostics);
        }
        self.extraction.validation = crate::validate::validate(&mut self.plan);
        self.extraction.combined()
    }

    /// Follows in the model an edit that moved the entity at `from` among
    /// `kind` to `to`, or removed it (`to` None), and validates the plan.
    fn rederive_moved(
        &mut self,
        kind: EntityKind,
        from: usize,
        to: Option<usize>,
    ) -> Vec<Diagnostic> {
        if !load::move_entity(&mut self.plan, kind, from, to) {
            return self.rederive();
        }
        self.extraction.reindex(kind, |old| match to {
            None if old == from => None,
            None => Some(if old > from { old - 1 } else { old }),
            Some(to) => Some(moved_index(old, from, to)),
        });
        self.extraction.validation = crate::validate::validate(&mut self.plan);
        self.extraction.combined()
    }

    /// The id an edit about to be applied gives an entity, and the one it
    /// had (None: none).
    fn rename_of(&self, edit: &Edit) -> Option<(EntityKind, Option<String>, Option<String>)> {
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
        let current = |kind: EntityKind, index: usize| {
            let table = self.tables(kind)?.get(index)?;
            table.get("id").and_then(Item::as_str).map(str::to_owned)
        };
        match edit {
            Edit::Set {
                kind,
                id,
                key,
                value,
            } if key == "id" => Some((*kind, Some(id.clone()), text(value.as_ref()))),
            Edit::SetAt {
                kind,
                index,
                key,
                value,
            } if key == "id" => Some((*kind, current(*kind, *index), text(value.as_ref()))),
            Edit::RestoreAt {
                kind,
                index,
                key,
                item,
                ..
            } if key.get() == "id" => Some((*kind, current(*kind, *index), text(item.as_value()))),
            _ => None,
        }
    }

    /// The one entity an edit changes in place, when its table and its
    /// model entity line up (they do unless some table lacked an id).
    fn touched_entity(&self, edit: &Edit) -> Option<(EntityKind, usize)> {
        if let Edit::SetAt { kind, index, .. } | Edit::RestoreAt { kind, index, .. } = edit {
            return (*index < self.lined_up(*kind)?).then_some((*kind, *index));
        }
        let (kind, id) = match edit {
            Edit::SetTask { task, .. }
            | Edit::SetBaseline { task, .. }
            | Edit::RestoreBaselines { task, .. } => (EntityKind::Task, task),
            Edit::Set { kind, id, .. } | Edit::Restore { kind, id, .. } => (*kind, id),
            _ => return None,
        };
        let index = self.position_of(kind, id)?;
        self.lined_up(kind)?;
        (load::entity_id(&self.plan, kind, index) == Some(id.as_str())).then_some((kind, index))
    }

    /// Reads one entity again after an edit of its table and validates the
    /// plan: the rest of the model is untouched, so an edit costs the
    /// validation, not a reading of the whole document.
    fn rederive_one(&mut self, kind: EntityKind, index: usize) -> Vec<Diagnostic> {
        let pos = match kind {
            EntityKind::Task => self
                .plan
                .tasks
                .get(index)
                .map(|task| task.pos)
                .unwrap_or_default(),
            _ => Default::default(),
        };
        let Some((scratch, diagnostics)) = self.read_alone(kind, index, pos) else {
            return self.rederive();
        };
        let old_links = match kind {
            EntityKind::Task => self
                .plan
                .tasks
                .get(index)
                .map(|task| (TaskLinks::of(task), task.clone())),
            _ => None,
        };
        // An entity that no longer reads (its id removed, say) changes the
        // alignment of the rest: read everything.
        if load::entity_id(&scratch, kind, 0) != load::entity_id(&self.plan, kind, index)
            || !load::replace_entity(&mut self.plan, scratch, kind, index)
        {
            return self.rederive();
        }
        if diagnostics.is_empty() {
            self.extraction.by_entity.remove(&(kind, index));
        } else {
            self.extraction.by_entity.insert((kind, index), diagnostics);
        }
        // A task whose links, dates and length are as they were (a new
        // status, progress or name) cannot change what validation finds:
        // keep its resolved references and the last validation.
        if let Some((links, old)) = old_links
            && TaskLinks::of(&self.plan.tasks[index]) == links
        {
            let task = &mut self.plan.tasks[index];
            if let (Some(new), Some(old)) = (&mut task.phase, &old.phase) {
                new.index = old.index;
            }
            if let (Some(new), Some(old)) = (&mut task.owner, &old.owner) {
                new.index = old.index;
            }
            for (new, old) in task.depends.iter_mut().zip(&old.depends) {
                new.task.index = old.task.index;
            }
            return self.extraction.combined();
        }
        self.extraction.validation = crate::validate::validate(&mut self.plan);
        self.extraction.combined()
    }

    /// Reads the single table at top-level `key` again alone after an edit
    /// replaced it (see `load::SINGLE_TABLES`), and validates the plan: a
    /// ticked handover item costs the validation, not a reading of every
    /// task.
    fn rederive_single(&mut self, key: &'static str) -> Vec<Diagnostic> {
        let Ok(document) = self.document.get() else {
            return self.diagnostics.clone();
        };
        let mut reader = Reader::new(None);
        let item = document.get(key).map(super::tree::Item::Edit);
        if !load::replace_single(&mut reader, &mut self.plan, key, item) {
            return self.rederive();
        }
        if reader.diagnostics.is_empty() {
            self.extraction.by_single.remove(key);
        } else {
            self.extraction.by_single.insert(key, reader.diagnostics);
        }
        self.extraction.validation = crate::validate::validate(&mut self.plan);
        self.extraction.combined()
    }

    /// Rebuilds the model from the document (no spans: positions come from
    /// the last parse where the entity kept them) and validates it.
    fn rederive(&mut self) -> Vec<Diagnostic> {
        let previous_positions: Vec<(String, crate::model::Pos)> = self
            .plan
            .tasks
            .iter()
            .map(|task| (task.id.value.clone(), task.pos))
            .collect();
        let mut reader = Reader::new(None);
        let Ok(document) = self.document.get() else {
            return self.diagnostics.clone();
        };
        let root = super::tree::Table::Edit(document.as_table() as &dyn toml_edit::TableLike);
        let mut plan = load::plan(&mut reader, root);
        restore_positions(&mut plan, &previous_positions);
        self.extraction = super::Extraction::from_reader(reader);
        self.extraction.validation = crate::validate::validate(&mut plan);
        self.plan = plan;
        self.extraction.combined()
    }

    /// The `[[kind]]` tables of the document.
    pub(super) fn tables(&self, kind: EntityKind) -> Option<&ArrayOfTables> {
        self.document
            .get()
            .ok()?
            .get(kind.key())?
            .as_array_of_tables()
    }

    /// How many tables of `kind` there are, if each has its entity in the
    /// model (they do unless some table did not read, lacking an id, say).
    fn lined_up(&self, kind: EntityKind) -> Option<usize> {
        let tables = self.tables(kind)?.len();
        (load::entity_count(&self.plan, kind) == tables).then_some(tables)
    }

    /// The table at `index` among `kind` read alone (no spans: entities
    /// take `pos`), and the problems reading it found.
    fn read_alone(
        &self,
        kind: EntityKind,
        index: usize,
        pos: crate::model::Pos,
    ) -> Option<(Plan, Vec<Diagnostic>)> {
        let table = self.tables(kind)?.get(index)?;
        let mut reader = Reader::new(None);
        let mut plan = Plan::default();
        load::add_entity(
            &mut reader,
            &mut plan,
            kind,
            super::tree::Table::Edit(table),
            pos,
        );
        Some((plan, reader.diagnostics))
    }

    pub(super) fn position_of(&self, kind: EntityKind, id: &str) -> Option<usize> {
        let array = self.tables(kind)?;
        let mut positions = self.positions.borrow_mut();
        let ids = positions.entry(kind).or_insert_with(|| {
            let mut map = std::collections::HashMap::with_capacity(array.len());
            let mut unique = true;
            for (index, table) in array.iter().enumerate() {
                match table.get("id").and_then(Item::as_str) {
                    Some(id) => match map.entry(id.to_owned()) {
                        // The first of duplicate ids, as a scan would find.
                        std::collections::hash_map::Entry::Occupied(_) => unique = false,
                        std::collections::hash_map::Entry::Vacant(slot) => {
                            slot.insert(index);
                        }
                    },
                    None => unique = false,
                }
            }
            IdIndex { map, unique }
        });
        ids.map.get(id).copied()
    }

    fn index_of(&self, kind: EntityKind, id: &str) -> Result<usize, EditError> {
        if let Some(index) = self.position_of(kind, id) {
            return Ok(index);
        }
        if self.document.get().is_ok_and(|document| {
            document
                .get(kind.key())
                .is_some_and(|item| item.is_array() && !item.is_array_of_tables())
        }) {
            return Err(EditError::Unsupported(format!(
                "the {0} entries of this plan are written as an inline array; write them as [[{0}]] sections to edit them",
                kind.key()
            )));
        }
        let ids: Vec<String> = self
            .tables(kind)
            .map(|array| {
                array
                    .iter()
                    .filter_map(|table| table.get("id").and_then(Item::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Err(EditError::UnknownId {
            kind: kind.key(),
            id: crate::sanitize::for_terminal(id).into_owned(),
            suggestion: diagnostic::suggestion(id, ids.iter().map(String::as_str)),
        })
    }

    fn array_mut(&mut self, kind: EntityKind) -> Result<&mut ArrayOfTables, EditError> {
        let item = self
            .document
            .get_mut()
            .map_err(EditError::Unsupported)?
            .entry(kind.key())
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
        item.as_array_of_tables_mut().ok_or_else(|| {
            EditError::Unsupported(format!(
                "`{}` in this plan is not written as [[{0}]] sections",
                kind.key()
            ))
        })
    }

    fn table_mut(&mut self, kind: EntityKind, index: usize) -> Result<&mut Table, EditError> {
        self.array_mut(kind)?
            .get_mut(index)
            .ok_or_else(|| EditError::Unsupported(format!("no {} at index {index}", kind.key())))
    }
}

/// Where each id's table is among its kind: built when first needed.
#[derive(Debug, Clone, Default)]
pub(super) struct IdIndex {
    map: std::collections::HashMap<String, usize>,
    /// Every table has an id and no two the same: then the index can
    /// follow a move instead of being built again.
    unique: bool,
}

/// The last place in the file that `table` or a table inside it (a
/// change request's `[[change.edit]]`, say) takes: a table written after it
/// goes there, so it does not land between the table and its own sub-tables,
/// which would hand them to the new one.
fn last_position(table: &Table) -> Option<isize> {
    fn nested(item: &Item) -> Option<isize> {
        match item {
            Item::Table(table) => last_position(table),
            Item::ArrayOfTables(array) => array.iter().filter_map(last_position).max(),
            _ => None,
        }
    }
    table
        .iter()
        .filter_map(|(_, item)| nested(item))
        .chain(table.position())
        .max()
}

/// The index of the entity at `index` once the one at `from` has moved to
/// `to` (counted after taking it out).
fn moved_index(index: usize, from: usize, to: usize) -> usize {
    if index == from {
        return to;
    }
    let out = if index > from { index - 1 } else { index };
    if out >= to { out + 1 } else { out }
}

/// What a group of edits changed, for following it in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// The entity at this index had its table edited.
    InPlace(EntityKind, usize),
    /// A table was inserted at this index.
    Inserted(EntityKind, usize),
    /// The table at this index was removed.
    Removed(EntityKind, usize),
    /// The table at the first index was moved to the second.
    Moved(EntityKind, usize, usize),
    /// The single table at this top-level key was replaced (or added or
    /// removed).
    Single(&'static str),
    /// Anything else: the whole document is read again.
    Whole,
}

impl Change {
    /// What to follow when edits fail part way and are taken back before
    /// the model followed them: an entity edited in place is read again;
    /// after a reshaping everything is (a rare path: an unknown id, say).
    fn undone(self) -> Change {
        match self {
            Change::InPlace(..) | Change::Single(_) => self,
            _ => Change::Whole,
        }
    }

    /// What takes the model back once it has followed this change and the
    /// edits are taken back (a refused change).
    fn inverse(self) -> Change {
        match self {
            Change::InPlace(..) | Change::Single(_) | Change::Whole => self,
            Change::Inserted(kind, index) => Change::Removed(kind, index),
            Change::Removed(kind, index) => Change::Inserted(kind, index),
            Change::Moved(kind, from, to) => Change::Moved(kind, to, from),
        }
    }
}

/// How an edit is judged before it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Judge {
    /// Refused if it adds a problem; the refusal points where `check` would.
    Located,
    /// Refused if it adds a problem; the refusal carries the model's positions.
    Unlocated,
    /// Kept whatever it does (undo and redo).
    Not,
}

/// The ids that edits give entities, so that an entity's problems are
/// still its own after it is renamed: each group holds the ids (None: no
/// id) one entity of a kind had during the edits.
#[derive(Debug, Default)]
struct Aliases {
    groups: Vec<(&'static str, Vec<Option<String>>)>,
}

impl Aliases {
    fn join(&mut self, table: &'static str, old: Option<String>, new: Option<String>) {
        let find = |groups: &[(&'static str, Vec<Option<String>>)], id: &Option<String>| {
            groups
                .iter()
                .position(|(kind, ids)| *kind == table && ids.contains(id))
        };
        match (find(&self.groups, &old), find(&self.groups, &new)) {
            (Some(a), Some(b)) if a != b => {
                let (_, merged) = self.groups.remove(a.max(b));
                self.groups[a.min(b)].1.extend(merged);
            }
            (Some(_), Some(_)) => {}
            (Some(group), None) => self.groups[group].1.push(new),
            (None, Some(group)) => self.groups[group].1.push(old),
            (None, None) => self.groups.push((table, vec![old, new])),
        }
    }

    /// The subject with its entity named by the first id of its group.
    fn canonical(&self, subject: &Subject) -> Subject {
        let mut subject = subject.clone();
        if let Some((_, ids)) = self
            .groups
            .iter()
            .find(|(table, ids)| *table == subject.table && ids.contains(&subject.id))
        {
            subject.id = ids[0].clone();
        }
        subject
    }
}

/// The errors of `after` that `before` did not have: for each subject
/// (entity and key, see `Subject`), those beyond the number it had. Among
/// errors about one subject, those with a message `before` had are taken
/// as the old ones, so a refusal names the problem that is new.
fn added_problems(
    before: &[Diagnostic],
    after: &[Diagnostic],
    aliases: &Aliases,
) -> Vec<Diagnostic> {
    let mut budget: std::collections::HashMap<Subject, usize> = std::collections::HashMap::new();
    let mut messages: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for diagnostic in before.iter().filter(|d| d.is_error()) {
        *budget
            .entry(aliases.canonical(&diagnostic.subject))
            .or_default() += 1;
        messages.insert(&diagnostic.message);
    }
    let mut errors: Vec<&Diagnostic> = after.iter().filter(|d| d.is_error()).collect();
    // Stable: known messages first, each group in file order.
    errors.sort_by_key(|d| !messages.contains(d.message.as_str()));
    let mut added: Vec<Diagnostic> = Vec::new();
    for diagnostic in errors {
        // A recorded merge conflict is an error by design; an edit brings
        // one back only when it undoes its resolution.
        if diagnostic.message.starts_with(load::CONFLICT_MESSAGE) {
            continue;
        }
        match budget.get_mut(&aliases.canonical(&diagnostic.subject)) {
            Some(left) if *left > 0 => *left -= 1,
            _ => added.push(diagnostic.clone()),
        }
    }
    diagnostic::sort(&mut added);
    added
}

/// Entities re-read from an edited document have no spans; give tasks back
/// the positions they had when the file was parsed.
fn restore_positions(plan: &mut Plan, previous: &[(String, crate::model::Pos)]) {
    let positions: std::collections::HashMap<&str, crate::model::Pos> = previous
        .iter()
        .map(|(id, pos)| (id.as_str(), *pos))
        .collect();
    for task in &mut plan.tasks {
        if let Some(pos) = positions.get(task.id.value.as_str()) {
            task.pos = *pos;
            if task.duration.pos == Default::default() {
                task.duration.pos = *pos;
            }
            if task.id.pos == Default::default() {
                task.id.pos = *pos;
            }
        }
    }
}

/// Sets or removes `key`, keeping the comment after the old value. Returns the old value.
/// What of a task validation looks at: equal before and after an edit,
/// the edit cannot change what validation finds.
#[derive(Debug, PartialEq)]
struct TaskLinks {
    phase: Option<String>,
    owner: Option<String>,
    depends: Vec<(String, DependencyKind, i64)>,
    duration: i64,
    milestone: bool,
    start: Option<NaiveDate>,
}

impl TaskLinks {
    fn of(task: &crate::model::Task) -> TaskLinks {
        TaskLinks {
            phase: task.phase.as_ref().map(|p| p.id.value.clone()),
            owner: task.owner.as_ref().map(|o| o.id.value.clone()),
            depends: task
                .depends
                .iter()
                .map(|d| (d.task.id.value.clone(), d.kind, d.lag))
                .collect(),
            duration: task.duration.value,
            milestone: task.milestone,
            start: task.start,
        }
    }
}

/// What undoes a `set_key`.
enum Undo {
    /// Set the key to this value again (None: remove it).
    Set(Option<Value>),
    /// Put the removed key back where it was.
    Restore {
        key: toml_edit::Key,
        item: Item,
        index: usize,
    },
}

/// Sets or removes `key`, keeping the comment after the old value.
fn set_key(table: &mut Table, key: &str, value: Option<Value>) -> Undo {
    match value {
        Some(value) => match table.get_mut(key) {
            Some(slot) => {
                let old = slot.as_value().cloned();
                replace_keeping_decor_item(slot, value);
                Undo::Set(old)
            }
            None => {
                table.insert(key, Item::Value(value));
                Undo::Set(None)
            }
        },
        None => {
            let index = table.iter().position(|(k, _)| k == key);
            match (index, table.remove_entry(key)) {
                (Some(index), Some((key, item))) => Undo::Restore { key, item, index },
                _ => Undo::Set(None),
            }
        }
    }
}

/// Puts `key` back into `table` at `index` among its keys; every other key
/// keeps its order.
fn restore_key_at(table: &mut Table, key: &toml_edit::Key, item: Item, index: usize) {
    let name = key.get().to_owned();
    table.insert_formatted(key, item);
    let mut order: Vec<String> = table
        .iter()
        .map(|(k, _)| k.to_owned())
        .filter(|k| *k != name)
        .collect();
    order.insert(index.min(order.len()), name);
    table.sort_values_by(|a, _, b, _| {
        let rank = |k: &toml_edit::Key| {
            order
                .iter()
                .position(|o| o == k.get())
                .unwrap_or(usize::MAX)
        };
        rank(a).cmp(&rank(b))
    });
}

fn restore_key(table: &mut Table, key: &str, item: Option<Item>) -> Option<Item> {
    let old = table.get(key).cloned();
    match item {
        Some(item) => {
            table.insert(key, item);
        }
        None => {
            table.remove(key);
        }
    }
    old
}

fn replace_keeping_decor_item(slot: &mut Item, mut value: Value) {
    if let Some(old) = slot.as_value() {
        *value.decor_mut() = old.decor().clone();
    }
    *slot = Item::Value(value);
}

fn replace_keeping_decor(slot: &mut Value, mut value: Value) {
    *value.decor_mut() = slot.decor().clone();
    *slot = value;
}

fn baseline_value(baseline: Baseline) -> Value {
    let mut table = toml_edit::InlineTable::new();
    table.insert("start", toml_date(baseline.start));
    table.insert("finish", toml_date(baseline.finish));
    Value::InlineTable(table)
}

/// A calendar date as a bare TOML local date.
pub fn toml_date(date: chrono::NaiveDate) -> Value {
    use chrono::Datelike;
    let datetime = toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: date.year() as u16,
            month: date.month() as u8,
            day: date.day() as u8,
        }),
        time: None,
        offset: None,
    };
    Value::from(datetime)
}
