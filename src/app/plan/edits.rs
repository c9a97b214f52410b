//! The edits behind the Plan pane's lines that are elements of a list —
//! scope lines, review notes, gate and handover checklist items — and of
//! the single tables `[handover]` and `[review]`. Each starts from the
//! document's own copy of the list, so the elements not edited keep their
//! layout and comments, and the change is one edit of one entity.

use toml_edit::{Array, InlineTable, Item, Table, Value};

use crate::model::{ChecklistItem, Plan};
use crate::store::{Edit, EntityKind};

use super::super::App;
use super::{PlanLine, ReviewList};

/// One line of a list in the charter; `index` None for one not yet added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListItem {
    Scope {
        excluded: bool,
        index: Option<usize>,
    },
    Review {
        list: ReviewList,
        index: Option<usize>,
    },
    Gate {
        gate: String,
        index: Option<usize>,
    },
    Handover {
        index: Option<usize>,
    },
}

impl ListItem {
    pub fn of_line(plan: &Plan, line: PlanLine) -> Option<ListItem> {
        Some(match line {
            PlanLine::ScopeIn(index) => ListItem::Scope {
                excluded: false,
                index: Some(index),
            },
            PlanLine::ScopeOut(index) => ListItem::Scope {
                excluded: true,
                index: Some(index),
            },
            PlanLine::ReviewNote { list, index } => ListItem::Review {
                list,
                index: Some(index),
            },
            PlanLine::GateItem { gate, item } => ListItem::Gate {
                gate: plan.gates.get(gate)?.id.value.clone(),
                index: Some(item),
            },
            PlanLine::HandoverItem(index) => ListItem::Handover { index: Some(index) },
            _ => return None,
        })
    }

    pub fn index(&self) -> Option<usize> {
        match self {
            ListItem::Scope { index, .. }
            | ListItem::Review { index, .. }
            | ListItem::Gate { index, .. }
            | ListItem::Handover { index } => *index,
        }
    }

    /// "an in-scope line", "gate G1's checklist", for messages and titles.
    pub fn describe(&self) -> String {
        let number = |index: &Option<usize>| match index {
            Some(index) => format!(" item {}", index + 1),
            None => String::new(),
        };
        match self {
            ListItem::Scope { excluded, index } => format!(
                "{} scope{}",
                if *excluded { "out of" } else { "in" },
                number(index)
            ),
            ListItem::Review { list, index } => {
                format!("review {}{}", list.key(), number(index))
            }
            ListItem::Gate { gate, index } => format!("gate {gate} checklist{}", number(index)),
            ListItem::Handover { index } => format!("handover checklist{}", number(index)),
        }
    }

    fn checklist<'p>(&self, plan: &'p Plan) -> Option<&'p [ChecklistItem]> {
        match self {
            ListItem::Gate { gate, .. } => plan
                .gates
                .iter()
                .find(|g| g.id.value == *gate)
                .map(|g| g.checklist.as_slice()),
            ListItem::Handover { .. } => plan.handover.as_ref().map(|h| h.checklist.as_slice()),
            _ => None,
        }
    }

    /// The line's text in the model.
    pub fn text(&self, plan: &Plan) -> Option<String> {
        let index = self.index()?;
        match self {
            ListItem::Scope { excluded, .. } => {
                let list = if *excluded {
                    &plan.scope.excluded
                } else {
                    &plan.scope.included
                };
                list.get(index).cloned()
            }
            ListItem::Review { list, .. } => plan
                .review
                .as_ref()
                .and_then(|review| list.items(review).get(index).cloned()),
            _ => self.checklist(plan)?.get(index).map(|c| c.item.clone()),
        }
    }

    /// Whether a checklist item is done.
    pub fn is_done(&self, plan: &Plan) -> bool {
        self.index()
            .and_then(|index| self.checklist(plan)?.get(index))
            .is_some_and(|item| item.done)
    }

    /// Where the list is: the top-level table and its key, or the gate.
    fn place(&self) -> (Option<&str>, &'static str) {
        match self {
            ListItem::Scope { excluded, .. } => (
                Some("scope"),
                if *excluded { "excluded" } else { "included" },
            ),
            ListItem::Review { list, .. } => (Some("review"), list.key()),
            ListItem::Handover { .. } => (Some("handover"), "checklist"),
            ListItem::Gate { .. } => (None, "checklist"),
        }
    }
}

/// `value` in place of `old`, wearing `old`'s spaces and comments.
fn keeping_decor(old: &Value, mut value: Value) -> Value {
    *value.decor_mut() = old.decor().clone();
    value
}

/// Sets `key` of an inline table, keeping the old value's decor.
fn set_inline(table: &mut InlineTable, key: &str, value: Value) {
    match table.get_mut(key) {
        Some(slot) => *slot = keeping_decor(slot, value),
        None => {
            table.insert(key, value);
        }
    }
}

/// Sets or removes `key` of a table, keeping the old value's decor.
fn set_in_table(table: &mut Table, key: &str, value: Option<Value>) {
    match value {
        Some(value) => match table.get_mut(key) {
            Some(Item::Value(slot)) => *slot = keeping_decor(slot, value),
            _ => {
                table.insert(key, Item::Value(value));
            }
        },
        None => {
            table.remove(key);
        }
    }
}

impl App {
    /// The top-level table `key` as written, or a new one.
    fn top_level_table(&self, key: &str) -> Option<Table> {
        match self.file.top_level_item(key) {
            Some(Item::Table(table)) => Some(table),
            Some(_) => None,
            None => Some(Table::new()),
        }
    }

    /// The edit that puts `change` (the text, and for a checklist whether
    /// it is done) in place of the line, or adds it when the item has no
    /// index; with `change` None, the edit that removes the line.
    pub(super) fn list_item_edit(
        &self,
        item: &ListItem,
        change: Option<(String, Option<bool>)>,
    ) -> Option<Edit> {
        let (table_key, key) = item.place();
        let mut table = match table_key {
            Some(name) => Some(self.top_level_table(name)?),
            None => None,
        };
        let current = match (&table, item) {
            (Some(table), _) => table.get(key).cloned(),
            (None, ListItem::Gate { gate, .. }) => {
                self.file.entity_item(EntityKind::Gate, gate, key)
            }
            _ => None,
        };
        let mut array = match current {
            Some(Item::Value(Value::Array(array))) => array,
            Some(_) => return None,
            None => Array::new(),
        };
        let checklist = matches!(item, ListItem::Gate { .. } | ListItem::Handover { .. });
        match (item.index(), change) {
            (Some(index), None) => {
                if index >= array.len() {
                    return None;
                }
                array.remove(index);
            }
            (Some(index), Some((text, done))) => {
                let old = array.get(index)?.clone();
                let value = match (checklist, old) {
                    (true, Value::InlineTable(mut inline)) => {
                        set_inline(&mut inline, "item", Value::from(text.as_str()));
                        if let Some(done) = done {
                            set_inline(&mut inline, "done", Value::from(done));
                        }
                        Value::InlineTable(inline)
                    }
                    (true, old) => keeping_decor(&old, Value::InlineTable(check(&text, done))),
                    (false, old) => keeping_decor(&old, Value::from(text.as_str())),
                };
                array.replace(index, value);
            }
            (None, Some((text, done))) => {
                let mut value = if checklist {
                    Value::InlineTable(check(&text, done))
                } else {
                    Value::from(text.as_str())
                };
                // A new line looks like the one before it; after the first
                // of a list on one line, a space.
                let count = array.len();
                if let Some(last) = array.get(count.saturating_sub(1)) {
                    let mut decor = last.decor().clone();
                    let multiline = last
                        .decor()
                        .prefix()
                        .and_then(|p| p.as_str())
                        .is_some_and(|p| p.contains('\n'));
                    if count == 1 && !multiline {
                        decor.set_prefix(" ");
                    }
                    *value.decor_mut() = decor;
                }
                array.push_formatted(value);
            }
            (None, None) => return None,
        }
        let value = Value::Array(array);
        Some(match (table.as_mut(), item) {
            (Some(table), _) => {
                set_in_table(table, key, Some(value));
                Edit::Replace {
                    key: table_key.unwrap_or_default().to_owned(),
                    item: Some(Item::Table(table.clone())),
                }
            }
            (None, ListItem::Gate { gate, .. }) => Edit::Set {
                kind: EntityKind::Gate,
                id: gate.clone(),
                key: key.to_owned(),
                value: Some(value),
            },
            _ => return None,
        })
    }

    /// The edit that sets (or with None removes) keys of `[handover]` or
    /// `[review]`, creating the table when the plan has none.
    pub(super) fn table_keys_edit(&self, key: &str, changes: &[(&str, Option<Value>)]) -> Edit {
        let mut table = self.top_level_table(key).unwrap_or_default();
        for (field, value) in changes {
            set_in_table(&mut table, field, value.clone());
        }
        Edit::Replace {
            key: key.to_owned(),
            item: Some(Item::Table(table)),
        }
    }

    /// The edit that removes what the line stands for, and how the
    /// question names it; None for a line that cannot be removed.
    pub(super) fn plan_delete_edit(&self, line: PlanLine) -> Option<(Edit, String)> {
        let plan = &self.file.plan;
        let entity = |kind: EntityKind, id: &str| {
            let noun = crate::model::entity_noun(kind.key());
            Some((
                Edit::Remove {
                    kind,
                    id: id.to_owned(),
                },
                format!("{noun} {id}"),
            ))
        };
        match line {
            PlanLine::Objective(i) => {
                entity(EntityKind::Objective, &plan.objectives.get(i)?.id.value)
            }
            PlanLine::Person(i) => entity(EntityKind::Person, &plan.people.get(i)?.id.value),
            PlanLine::Change(i) => entity(EntityKind::Change, &plan.changes.get(i)?.id.value),
            PlanLine::Gate(i) => entity(EntityKind::Gate, &plan.gates.get(i)?.id.value),
            PlanLine::Communication(i) => entity(
                EntityKind::Communication,
                &plan.communications.get(i)?.id.value,
            ),
            PlanLine::Handover => Some((
                Edit::Replace {
                    key: "handover".to_owned(),
                    item: None,
                },
                "the handover, with its checklist".to_owned(),
            )),
            PlanLine::ReviewDate | PlanLine::ReviewPlanned | PlanLine::ReviewActual => {
                let field = match line {
                    PlanLine::ReviewDate => "date",
                    PlanLine::ReviewPlanned => "planned",
                    _ => "actual",
                };
                Some((
                    self.table_keys_edit("review", &[(field, None)]),
                    format!("the review's {field}"),
                ))
            }
            _ => {
                let item = ListItem::of_line(plan, line)?;
                let edit = self.list_item_edit(&item, None)?;
                let text = item.text(plan).unwrap_or_default();
                Some((edit, format!("{}: \"{text}\"", item.describe())))
            }
        }
    }

    /// Space on a checklist item: done, or not done again.
    pub(super) fn toggle_plan_item(&mut self, line: PlanLine) {
        let plan = &self.file.plan;
        let Some(item) = ListItem::of_line(plan, line) else {
            self.say(
                super::super::Level::Info,
                "Space ticks a checklist item of a gate or of the handover",
            );
            return;
        };
        if !matches!(item, ListItem::Gate { .. } | ListItem::Handover { .. }) {
            self.say(
                super::super::Level::Info,
                "Space ticks a checklist item of a gate or of the handover",
            );
            return;
        }
        let done = !item.is_done(plan);
        let Some(text) = item.text(plan) else {
            return;
        };
        let Some(edit) = self.list_item_edit(&item, Some((text, Some(done)))) else {
            return;
        };
        if self.apply(vec![edit]) {
            let said = if done { "done" } else { "not done" };
            self.say(
                super::super::Level::Info,
                format!("{}: {said}", item.describe()),
            );
        }
    }
}

/// A new checklist item.
fn check(text: &str, done: Option<bool>) -> InlineTable {
    let mut table = InlineTable::new();
    table.insert("item", Value::from(text));
    table.insert("done", Value::from(done.unwrap_or(false)));
    table
}
