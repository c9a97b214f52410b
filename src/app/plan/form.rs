//! The charter form: every editable field of one part of the Plan pane —
//! an objective, a person, a change request, a gate, a communication item,
//! a scope or review line, a checklist item, the handover or the review —
//! checked as it is typed, saved as one undoable edit.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use toml_edit::Value;

use crate::store::{Edit, EntityKind};

use super::super::form::{FIX_ERRORS_FIRST, FormField};
use super::super::input::InputOutcome;
use super::super::{App, Level};
use super::edits::ListItem;
use super::fields::{
    CHECK, FieldKind, HANDOVER, NEW_NOTE, NEW_SCOPE_ITEM, NOTE, PlanField, REVIEW, SCOPE_ITEM,
    entity_text, field, fields_of, fresh_id, parse_field,
};
use super::{PlanLine, ReviewList};

/// What the form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanTarget {
    /// An entity with an id: `id` None for a new one, added after `after`.
    Entity {
        kind: EntityKind,
        id: Option<String>,
        after: Option<String>,
    },
    /// A line of a list; `index` None for a new one.
    Item { item: ListItem },
    /// The keys of `[handover]` or `[review]` (`key`).
    Table { key: &'static str },
}

/// One field of the charter form.
pub type PlanFormField = FormField<PlanField>;

#[derive(Debug, Clone, PartialEq)]
pub struct PlanForm {
    pub target: PlanTarget,
    pub fields: Vec<PlanFormField>,
    pub focus: usize,
}

impl PlanForm {
    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|field| field.error.is_some())
    }

    /// What the title says the form edits: "objective O1", "new gate".
    pub fn subject(&self) -> String {
        match &self.target {
            PlanTarget::Entity { kind, id, .. } => {
                let noun = crate::model::entity_noun(kind.key());
                match id {
                    Some(id) => format!("{noun} {id}"),
                    None => format!("new {noun}"),
                }
            }
            PlanTarget::Item { item } => item.describe(),
            PlanTarget::Table { key } => format!("[{key}]"),
        }
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.field.key == key)
            .map(|f| f.input.text.as_str())
    }
}

impl App {
    /// The form for the selected line (Enter).
    pub(super) fn plan_edit_form(&self, line: PlanLine) -> Option<PlanForm> {
        let plan = &self.file.plan;
        let (target, fields, texts): (PlanTarget, &[PlanField], Vec<String>) = match line {
            PlanLine::Objective(i) => {
                self.entity_form(EntityKind::Objective, &plan.objectives.get(i)?.id.value)
            }
            PlanLine::Person(i) => {
                self.entity_form(EntityKind::Person, &plan.people.get(i)?.id.value)
            }
            PlanLine::Change(i) => {
                self.entity_form(EntityKind::Change, &plan.changes.get(i)?.id.value)
            }
            PlanLine::Gate(i) => self.entity_form(EntityKind::Gate, &plan.gates.get(i)?.id.value),
            PlanLine::Communication(i) => self.entity_form(
                EntityKind::Communication,
                &plan.communications.get(i)?.id.value,
            ),
            PlanLine::Handover | PlanLine::Empty(super::PlanSection::Handover) => {
                let handover = plan.handover.clone().unwrap_or_default();
                (
                    PlanTarget::Table { key: "handover" },
                    HANDOVER,
                    vec![
                        handover.to.unwrap_or_default(),
                        handover.date.map(|d| d.to_string()).unwrap_or_default(),
                    ],
                )
            }
            PlanLine::ReviewDate
            | PlanLine::ReviewPlanned
            | PlanLine::ReviewActual
            | PlanLine::ReviewFact(_)
            | PlanLine::Empty(super::PlanSection::Review) => {
                let review = plan.review.clone().unwrap_or_default();
                (
                    PlanTarget::Table { key: "review" },
                    REVIEW,
                    vec![
                        review.date.map(|d| d.to_string()).unwrap_or_default(),
                        review.planned.unwrap_or_default(),
                        review.actual.unwrap_or_default(),
                    ],
                )
            }
            _ => {
                let item = ListItem::of_line(plan, line)?;
                let text = item.text(plan)?;
                match item {
                    ListItem::Gate { .. } | ListItem::Handover { .. } => {
                        let done = if item.is_done(plan) { "yes" } else { "no" };
                        (
                            PlanTarget::Item { item },
                            CHECK,
                            vec![text, done.to_owned()],
                        )
                    }
                    ListItem::Scope { .. } => (PlanTarget::Item { item }, SCOPE_ITEM, vec![text]),
                    ListItem::Review { .. } => (PlanTarget::Item { item }, NOTE, vec![text]),
                }
            }
        };
        Some(build(target, fields, texts))
    }

    fn entity_form(
        &self,
        kind: EntityKind,
        id: &str,
    ) -> (PlanTarget, &'static [PlanField], Vec<String>) {
        let fields = fields_of(kind);
        let texts = fields
            .iter()
            .map(|f| entity_text(&self.file.plan, kind, id, f.key))
            .collect();
        (
            PlanTarget::Entity {
                kind,
                id: Some(id.to_owned()),
                after: None,
            },
            fields,
            texts,
        )
    }

    /// The form for a new line in the selected line's section (`a`).
    pub(super) fn plan_add_form(&self, line: PlanLine) -> Option<PlanForm> {
        use super::PlanSection as S;
        let plan = &self.file.plan;
        let new_entity = |kind: EntityKind, after: Option<String>| {
            let id = fresh_id(plan, kind);
            let mut fields = vec![field("id", FieldKind::Id, "a unique id")];
            fields.extend_from_slice(fields_of(kind));
            let mut texts = vec![id];
            texts.extend(fields_of(kind).iter().map(|_| String::new()));
            let mut form = build_owned(
                PlanTarget::Entity {
                    kind,
                    id: None,
                    after,
                },
                fields,
                texts,
            );
            // The id is proposed; the title is what to type first.
            form.focus = 1;
            form
        };
        let after_id = |ids: Vec<&str>, index: Option<usize>| {
            index.and_then(|i| ids.get(i).map(|s| (*s).to_owned()))
        };
        let new_item = |item: ListItem, fields: &'static [PlanField], list: &str| {
            let mut texts = vec![String::new()];
            if fields.len() > 1 {
                texts.push(list.to_owned());
            }
            build(PlanTarget::Item { item }, fields, texts)
        };
        Some(match line {
            PlanLine::Objective(i) => new_entity(
                EntityKind::Objective,
                after_id(
                    plan.objectives
                        .iter()
                        .map(|o| o.id.value.as_str())
                        .collect(),
                    Some(i),
                ),
            ),
            PlanLine::Empty(S::Objectives) => new_entity(EntityKind::Objective, None),
            PlanLine::Person(i) => new_entity(
                EntityKind::Person,
                after_id(
                    plan.people.iter().map(|o| o.id.value.as_str()).collect(),
                    Some(i),
                ),
            ),
            PlanLine::Empty(S::People) => new_entity(EntityKind::Person, None),
            PlanLine::Change(i) => new_entity(
                EntityKind::Change,
                after_id(
                    plan.changes.iter().map(|o| o.id.value.as_str()).collect(),
                    Some(i),
                ),
            ),
            PlanLine::Empty(S::Changes) => new_entity(EntityKind::Change, None),
            PlanLine::Gate(i) => new_entity(
                EntityKind::Gate,
                after_id(
                    plan.gates.iter().map(|o| o.id.value.as_str()).collect(),
                    Some(i),
                ),
            ),
            PlanLine::Empty(S::Gates) => new_entity(EntityKind::Gate, None),
            PlanLine::Communication(i) => new_entity(
                EntityKind::Communication,
                after_id(
                    plan.communications
                        .iter()
                        .map(|o| o.id.value.as_str())
                        .collect(),
                    Some(i),
                ),
            ),
            PlanLine::Empty(S::Communications) => new_entity(EntityKind::Communication, None),
            PlanLine::GateItem { gate, .. } | PlanLine::GateEmpty(gate) => {
                let id = plan.gates.get(gate)?.id.value.clone();
                new_item(
                    ListItem::Gate {
                        gate: id,
                        index: None,
                    },
                    CHECK,
                    "no",
                )
            }
            PlanLine::Handover | PlanLine::HandoverItem(_) | PlanLine::Empty(S::Handover) => {
                new_item(ListItem::Handover { index: None }, CHECK, "no")
            }
            PlanLine::ScopeIn(_) | PlanLine::Empty(S::Scope) => new_item(
                ListItem::Scope {
                    excluded: false,
                    index: None,
                },
                NEW_SCOPE_ITEM,
                "in",
            ),
            PlanLine::ScopeOut(_) => new_item(
                ListItem::Scope {
                    excluded: true,
                    index: None,
                },
                NEW_SCOPE_ITEM,
                "out",
            ),
            PlanLine::ReviewNote { list, .. } => {
                new_item(ListItem::Review { list, index: None }, NEW_NOTE, list.key())
            }
            PlanLine::ReviewDate
            | PlanLine::ReviewPlanned
            | PlanLine::ReviewActual
            | PlanLine::ReviewFact(_)
            | PlanLine::Empty(S::Review) => new_item(
                ListItem::Review {
                    list: ReviewList::WentWell,
                    index: None,
                },
                NEW_NOTE,
                "went_well",
            ),
            _ => return None,
        })
    }

    pub(super) fn plan_form_key(&mut self, mut form: PlanForm, key: KeyEvent) -> Option<PlanForm> {
        let count = form.fields.len();
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % count,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + count - 1) % count,
            KeyCode::Enter => {
                if form.has_errors() {
                    self.say(Level::Error, FIX_ERRORS_FIRST);
                    return Some(form);
                }
                return if self.submit_plan_form(&form) {
                    None
                } else {
                    Some(form)
                };
            }
            _ => {
                if form.fields[form.focus].input.handle(key) == InputOutcome::Changed {
                    self.validate_plan_field(&mut form);
                }
            }
        }
        Some(form)
    }

    /// Checks the focused field: its text must parse, and a changed field
    /// of an entity must leave the plan valid.
    fn validate_plan_field(&mut self, form: &mut PlanForm) {
        let focus = form.focus;
        let today = self.file.plan.record_date(self.today);
        let field = &mut form.fields[focus];
        field.error = None;
        let value = match parse_field(field.field, &field.input.text, today) {
            Ok(value) => value,
            Err(message) => {
                field.error = Some(message);
                return;
            }
        };
        if let PlanTarget::Entity {
            kind, id: Some(id), ..
        } = &form.target
            && field.is_changed()
        {
            let edit = Edit::Set {
                kind: *kind,
                id: id.clone(),
                key: field.field.key.to_owned(),
                value,
            };
            if let Err(error) = self.file.check_edit(edit) {
                form.fields[focus].error = Some(super::super::history::refusal_message(&error));
            }
        }
    }

    /// Saves the form as one edit; false (with the reason said) when the
    /// plan refuses it.
    fn submit_plan_form(&mut self, form: &PlanForm) -> bool {
        let today = self.file.plan.record_date(self.today);
        let mut values = Vec::new();
        for field in &form.fields {
            match parse_field(field.field, &field.input.text, today) {
                Ok(value) => values.push((field.field.key, value, field.is_changed())),
                Err(message) => {
                    self.say(Level::Error, message);
                    return false;
                }
            }
        }
        let changed = values.iter().filter(|(_, _, changed)| *changed).count();
        let subject = form.subject();
        let (edits, said, select) = match &form.target {
            PlanTarget::Entity {
                kind, id: Some(id), ..
            } => {
                let edits: Vec<Edit> = values
                    .into_iter()
                    .filter(|(_, _, changed)| *changed)
                    .map(|(key, value, _)| Edit::Set {
                        kind: *kind,
                        id: id.clone(),
                        key: key.to_owned(),
                        value,
                    })
                    .collect();
                (
                    edits,
                    format!("{subject}: {changed} field(s) changed"),
                    None,
                )
            }
            PlanTarget::Entity {
                kind,
                id: None,
                after,
            } => {
                let mut table = toml_edit::Table::new();
                for (key, value, _) in values {
                    if let Some(value) = value {
                        table.insert(key, toml_edit::Item::Value(value));
                    }
                }
                let id = form.text("id").unwrap_or_default().trim().to_owned();
                let edit = Edit::Add {
                    kind: *kind,
                    after: after.clone(),
                    table,
                };
                let noun = crate::model::entity_noun(kind.key());
                (
                    vec![edit],
                    format!("added {noun} {id}; u takes it back"),
                    Some((*kind, id)),
                )
            }
            PlanTarget::Item { item } => {
                if changed == 0 {
                    return true;
                }
                let text = form.text("item").unwrap_or_default().trim().to_owned();
                let done = form
                    .text("done")
                    .map(|t| matches!(parse_field(CHECK[1], t, today), Ok(Some(v)) if v.as_bool() == Some(true)));
                let item = match (item, form.text("list")) {
                    (ListItem::Scope { index: None, .. }, Some(list)) => ListItem::Scope {
                        excluded: list.trim() == "out",
                        index: None,
                    },
                    (ListItem::Review { index: None, .. }, Some(list)) => ListItem::Review {
                        list: match list.trim() {
                            "improve" => ReviewList::Improve,
                            "lessons" => ReviewList::Lessons,
                            _ => ReviewList::WentWell,
                        },
                        index: None,
                    },
                    (item, _) => item.clone(),
                };
                let Some(edit) = self.list_item_edit(&item, Some((text, done))) else {
                    self.say(
                        Level::Error,
                        format!("{} is no longer in the plan", item.describe()),
                    );
                    return false;
                };
                let said = match item.index() {
                    Some(_) => format!("{} changed", item.describe()),
                    None => format!("added to {}; u takes it back", item.describe()),
                };
                (vec![edit], said, None)
            }
            PlanTarget::Table { key } => {
                if changed == 0 {
                    return true;
                }
                let changes: Vec<(&str, Option<Value>)> = values
                    .into_iter()
                    .filter(|(_, _, changed)| *changed)
                    .map(|(key, value, _)| (key, value))
                    .collect();
                let edit = self.table_keys_edit(key, &changes);
                (
                    vec![edit],
                    format!("[{key}]: {changed} field(s) changed"),
                    None,
                )
            }
        };
        if edits.is_empty() {
            return true;
        }
        if !self.apply(edits) {
            return false;
        }
        self.say(Level::Info, said);
        if let Some((kind, id)) = select {
            let plan = &self.file.plan;
            let line = match kind {
                EntityKind::Objective => plan
                    .objectives
                    .iter()
                    .position(|o| o.id.value == id)
                    .map(PlanLine::Objective),
                EntityKind::Person => plan
                    .people
                    .iter()
                    .position(|o| o.id.value == id)
                    .map(PlanLine::Person),
                EntityKind::Change => plan
                    .changes
                    .iter()
                    .position(|o| o.id.value == id)
                    .map(PlanLine::Change),
                EntityKind::Gate => plan
                    .gates
                    .iter()
                    .position(|o| o.id.value == id)
                    .map(PlanLine::Gate),
                _ => plan
                    .communications
                    .iter()
                    .position(|o| o.id.value == id)
                    .map(PlanLine::Communication),
            };
            if let Some(line) = line {
                self.select_plan_line(line);
            }
        }
        self.clamp_plan_selection();
        true
    }
}

fn build(target: PlanTarget, fields: &'static [PlanField], texts: Vec<String>) -> PlanForm {
    build_owned(target, fields.to_vec(), texts)
}

fn build_owned(target: PlanTarget, fields: Vec<PlanField>, texts: Vec<String>) -> PlanForm {
    let fields = fields
        .into_iter()
        .zip(texts)
        .map(|(field, text)| FormField::new(field, text))
        .collect();
    PlanForm {
        target,
        fields,
        focus: 0,
    }
}
