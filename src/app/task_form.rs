//! The task form: every editable field of one task, validated as you type
//! with the same messages `check` gives.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::model::{DependencyKind, Task};
use crate::store::{Edit, EntityKind, PlanFile, TaskField};

use super::form::{FIX_ERRORS_FIRST, FormField};
use super::history::refusal_message;
use super::input::{InputOutcome, LineInput};
use super::{App, Level};

/// The fields the form shows, in order.
pub const FORM_FIELDS: &[TaskField] = &[
    TaskField::Name,
    TaskField::Phase,
    TaskField::Owner,
    TaskField::Duration,
    TaskField::Estimate,
    TaskField::Depends,
    TaskField::Start,
    TaskField::Status,
    TaskField::Progress,
    TaskField::Blocker,
];

#[derive(Debug, Clone, PartialEq)]
pub struct TaskForm {
    pub task: String,
    pub fields: Vec<FormField<TaskField>>,
    /// The task's id, the form's last line (focus `fields.len()`).
    pub id: FormField<()>,
    /// The field with the cursor: an index in `fields`, or `fields.len()`
    /// for the id.
    pub focus: usize,
    /// Ids offered for the dependency under the cursor.
    pub suggestions: Vec<String>,
    /// What a changed id would rename with it, said in the form's footer
    /// (the status line is too narrow for it at 80 columns).
    pub renames: Option<String>,
}

impl TaskForm {
    pub fn new(task: &Task) -> TaskForm {
        let fields = FORM_FIELDS
            .iter()
            .map(|&field| FormField::new(field, field_text(task, field)))
            .collect();
        TaskForm {
            task: task.id.value.clone(),
            fields,
            id: FormField::new((), task.id.value.clone()),
            focus: 0,
            suggestions: Vec::new(),
            renames: None,
        }
    }

    /// The form of the task at `index`, showing the values the file holds
    /// where the plan could not read them (a duration of -3, a status of
    /// "wip"), with what is wrong, so that they can be corrected.
    pub fn open(file: &PlanFile, index: usize) -> TaskForm {
        let task = &file.plan.tasks[index];
        let mut form = TaskForm::new(task);
        let id = task.id.value.as_str();
        let problem = |key: &str| {
            file.diagnostics
                .iter()
                .find(|d| {
                    d.is_error()
                        && d.subject.table == "task"
                        && d.subject.id.as_deref() == Some(id)
                        && d.subject.key == Some(key)
                })
                .map(|d| d.message.clone())
        };
        for field in &mut form.fields {
            let key = field.field.key();
            if let Some(raw) = file.invalid_value(EntityKind::Task, id, key) {
                *field = FormField::new(field.field, raw);
            }
            field.problem = problem(key);
        }
        form.id.problem = problem("id");
        form
    }

    /// Whether the cursor is on the id.
    pub fn on_id(&self) -> bool {
        self.focus >= self.fields.len()
    }

    /// The focused field (the last task field while the cursor is on the id).
    pub fn focused(&self) -> &FormField<TaskField> {
        &self.fields[self.focus.min(self.fields.len() - 1)]
    }

    pub fn focused_mut(&mut self) -> &mut FormField<TaskField> {
        let last = self.fields.len() - 1;
        &mut self.fields[self.focus.min(last)]
    }

    /// The input with the cursor, whichever line it is.
    fn focused_input(&mut self) -> &mut LineInput {
        if self.on_id() {
            &mut self.id.input
        } else {
            &mut self.focused_mut().input
        }
    }

    pub fn has_errors(&self) -> bool {
        self.id.error.is_some() || self.fields.iter().any(|field| field.error.is_some())
    }
}

/// A task's field as the text `gantry task set` would take.
pub fn field_text(task: &Task, field: TaskField) -> String {
    match field {
        TaskField::Name => task.name.clone(),
        TaskField::Phase => task
            .phase
            .as_ref()
            .map(|p| p.id.value.clone())
            .unwrap_or_default(),
        TaskField::Owner => task
            .owner
            .as_ref()
            .map(|o| o.id.value.clone())
            .unwrap_or_default(),
        TaskField::Duration => task.duration.value.to_string(),
        TaskField::Estimate => task.estimate.map(format_number).unwrap_or_default(),
        TaskField::Depends => task
            .depends
            .iter()
            .map(|dependency| {
                let mut text = dependency.task.id.value.clone();
                if dependency.kind != DependencyKind::FinishToStart {
                    text.push(':');
                    text.push_str(dependency.kind.as_str());
                }
                if dependency.lag != 0 {
                    text.push_str(&format!("{:+}", dependency.lag));
                }
                text
            })
            .collect::<Vec<_>>()
            .join(","),
        TaskField::Start => task.start.map(|d| d.to_string()).unwrap_or_default(),
        TaskField::Milestone => task.milestone.to_string(),
        TaskField::Status => task.status.as_str().to_owned(),
        TaskField::Progress => task.progress.to_string(),
        TaskField::Blocker => task.blocker.clone().unwrap_or_default(),
        TaskField::BlockedSince => task
            .blocked_since
            .map(|d| d.to_string())
            .unwrap_or_default(),
        TaskField::Notes => task.notes.clone().unwrap_or_default(),
    }
}

fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        number.to_string()
    }
}

/// Ids that fuzzy-match `query` (its characters in order), best first.
pub fn fuzzy_matches<'a>(
    query: &str,
    candidates: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let query = query.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|candidate| {
            fuzzy_score(&query, &candidate.to_lowercase()).map(|score| (score, candidate))
        })
        .collect();
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    scored
        .into_iter()
        .take(limit)
        .map(|(_, id)| id.to_owned())
        .collect()
}

/// Lower is better: the spread of the match, with prefix matches first.
fn fuzzy_score(query: &str, candidate: &str) -> Option<usize> {
    if query.is_empty() {
        return Some(0);
    }
    if candidate.starts_with(query) {
        return Some(0);
    }
    if let Some(at) = candidate.find(query) {
        return Some(1 + at);
    }
    let mut chars = candidate.char_indices();
    let mut first = None;
    let mut last = 0;
    for wanted in query.chars() {
        let (index, _) = chars.find(|(_, c)| *c == wanted)?;
        first.get_or_insert(index);
        last = index;
    }
    Some(100 + last - first.unwrap_or(0))
}

impl App {
    pub(super) fn form_key(&mut self, mut form: TaskForm, key: KeyEvent) -> Option<TaskForm> {
        let count = form.fields.len() + 1;
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Tab | KeyCode::Down => {
                let typing_an_id = form
                    .focused()
                    .input
                    .text
                    .rsplit(',')
                    .next()
                    .is_some_and(|token| !token.trim().is_empty());
                if key.code == KeyCode::Tab
                    && !form.on_id()
                    && form.focused().field == TaskField::Depends
                    && typing_an_id
                    && !form.suggestions.is_empty()
                {
                    complete_dependency(&mut form);
                    self.validate_field(&mut form);
                    return Some(form);
                }
                form.focus = (form.focus + 1) % count;
            }
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + count - 1) % count,
            KeyCode::Enter => {
                if form.has_errors() {
                    self.say(Level::Error, FIX_ERRORS_FIRST);
                    return Some(form);
                }
                self.submit_form(&form);
                return None;
            }
            _ => {
                if form.focused_input().handle(key) == InputOutcome::Changed {
                    self.validate_field(&mut form);
                }
            }
        }
        self.update_suggestions(&mut form);
        Some(form)
    }

    /// Checks one field by trying the edit and taking it back.
    pub(super) fn validate_field(&mut self, form: &mut TaskForm) {
        let task = form.task.clone();
        if form.on_id() {
            form.renames = None;
            let field = &mut form.id;
            field.error = None;
            if !field.is_changed() {
                return;
            }
            let new = field.input.text.clone();
            let mut edits = vec![rename(&task, &new)];
            let references = match self.reference_edits(&task, new.trim()) {
                Ok(references) => references,
                Err(message) => {
                    form.id.error = Some(message);
                    return;
                }
            };
            let count = references.len();
            edits.extend(references);
            match self.file.check_edits(edits) {
                Err(error) => form.id.error = Some(refusal_message(&error)),
                Ok(()) if count > 0 => {
                    let note = format!(
                        "{count} reference(s) to {task} are renamed with it: Enter renames, Esc keeps the id"
                    );
                    self.say(Level::Info, note.clone());
                    form.renames = Some(note);
                }
                Ok(()) => {}
            }
            return;
        }
        let field = form.focused_mut();
        field.error = None;
        if !field.is_changed() {
            return;
        }
        let value = match field
            .field
            .parse_text_in(&field.input.text, &self.file.plan)
        {
            Ok(value) => value,
            Err(message) => {
                field.error = Some(message);
                return;
            }
        };
        let edit = Edit::SetTask {
            task: task.clone(),
            field: field.field,
            value,
        };
        let done = matches!(&edit, Edit::SetTask { field: TaskField::Status, value: Some(v), .. }
            if v.as_str() == Some("done"));
        if let Err(error) = self.file.check_edit(edit) {
            let mut message = refusal_message(&error);
            // The form cannot override the gate; say where it is done.
            if done
                && let Some(index) = self.file.plan.task_index(&task)
                && let Some((gate, _)) = self.open_gate_of(index)
            {
                message.push_str(&format!(
                    " (Esc, then 5 and D on gate {gate} asks for the override)"
                ));
            }
            field.error = Some(message);
        }
        self.update_suggestions(form);
    }

    pub(super) fn update_suggestions(&self, form: &mut TaskForm) {
        form.suggestions.clear();
        let field = form.focused();
        if form.on_id() || field.field != TaskField::Depends {
            return;
        }
        let text = field.input.text.clone();
        let token = text.rsplit(',').next().unwrap_or("").trim();
        let token = token.split([':', '+']).next().unwrap_or("");
        let own = form.task.as_str();
        let ids = self
            .file
            .plan
            .tasks
            .iter()
            .map(|t| t.id.value.as_str())
            .filter(|id| *id != own);
        form.suggestions = fuzzy_matches(token, ids, 6);
        if form.suggestions.first().is_some_and(|s| s == token) {
            form.suggestions.clear();
        }
    }

    pub(super) fn submit_form(&mut self, form: &TaskForm) {
        let mut edits = Vec::new();
        for field in form.fields.iter().filter(|f| f.is_changed()) {
            match field
                .field
                .parse_text_in(&field.input.text, &self.file.plan)
            {
                Ok(value) => edits.push(Edit::SetTask {
                    task: form.task.clone(),
                    field: field.field,
                    value,
                }),
                Err(message) => {
                    self.say(Level::Error, message);
                    return;
                }
            }
        }
        // The id last: the other edits name the task by its old id.
        let mut name = form.task.clone();
        let mut references = 0;
        if form.id.is_changed() {
            name = form.id.input.text.trim().to_owned();
            edits.push(rename(&form.task, &name));
            // What names the task by its old id follows it, in the same step.
            match self.reference_edits(&form.task, &name) {
                Ok(more) => {
                    references = more.len();
                    edits.extend(more);
                }
                Err(message) => {
                    self.say(Level::Error, message);
                    return;
                }
            }
        }
        if edits.is_empty() {
            return;
        }
        let count = edits.len() - references;
        if self.apply(edits) {
            let said = if references > 0 {
                format!(
                    "{name}: {count} field(s) changed, {references} reference(s) renamed; u undoes"
                )
            } else {
                format!("{name}: {count} field(s) changed")
            };
            self.say(Level::Info, said);
            if let Some(index) = self.file.plan.task_index(&name)
                && let Some(row) = self
                    .gantt
                    .rows
                    .iter()
                    .position(|row| *row == super::Row::Task(index))
            {
                self.select(row);
            }
        }
    }
}

impl App {
    /// The edits that make what names the task `old` name `new` instead:
    /// other tasks' `depends`, risks' `tasks`, gates' `milestone` and log
    /// entries' `task`. To apply after the rename (a dependency is read
    /// against the plan's ids).
    fn reference_edits(&self, old: &str, new: &str) -> Result<Vec<Edit>, String> {
        let plan = &self.file.plan;
        let mut edits = Vec::new();
        for task in plan
            .tasks
            .iter()
            .filter(|t| t.depends.iter().any(|d| d.task.id.value == old))
        {
            let text = field_text(task, TaskField::Depends);
            let mut value = TaskField::Depends.parse_text_in(&text, plan)?;
            if let Some(value) = &mut value {
                rename_in(value, old, new);
            }
            edits.push(Edit::SetTask {
                task: task.id.value.clone(),
                field: TaskField::Depends,
                value,
            });
        }
        for (index, risk) in plan.risks.iter().enumerate() {
            if risk.tasks.iter().any(|t| t.id.value == old) {
                let tasks: toml_edit::Array = risk
                    .tasks
                    .iter()
                    .map(|t| {
                        if t.id.value == old {
                            new
                        } else {
                            t.id.value.as_str()
                        }
                    })
                    .collect();
                edits.push(Edit::SetAt {
                    kind: EntityKind::Risk,
                    index,
                    key: "tasks".to_owned(),
                    value: Some(tasks.into()),
                });
            }
        }
        for (index, gate) in plan.gates.iter().enumerate() {
            if gate.milestone.as_ref().is_some_and(|m| m.id.value == old) {
                edits.push(Edit::SetAt {
                    kind: EntityKind::Gate,
                    index,
                    key: "milestone".to_owned(),
                    value: Some(new.into()),
                });
            }
        }
        for (index, entry) in plan.log.iter().enumerate() {
            if entry.task.id.value == old {
                edits.push(Edit::SetAt {
                    kind: EntityKind::Log,
                    index,
                    key: "task".to_owned(),
                    value: Some(new.into()),
                });
            }
        }
        Ok(edits)
    }
}

/// Renames `old` to `new` in a `depends` value: its ids, and the `task` of
/// its tables.
fn rename_in(value: &mut toml_edit::Value, old: &str, new: &str) {
    match value {
        toml_edit::Value::String(id) if id.value() == old => {
            let decor = id.decor().clone();
            let mut renamed = toml_edit::Value::from(new);
            *renamed.decor_mut() = decor;
            *value = renamed;
        }
        toml_edit::Value::Array(items) => {
            for item in items.iter_mut() {
                rename_in(item, old, new);
            }
        }
        toml_edit::Value::InlineTable(table) => {
            if let Some(task) = table.get_mut("task") {
                rename_in(task, old, new);
            }
        }
        _ => {}
    }
}

/// The edit that gives the task `task` the id `id`.
fn rename(task: &str, id: &str) -> Edit {
    Edit::Set {
        kind: EntityKind::Task,
        id: task.to_owned(),
        key: "id".to_owned(),
        value: Some(id.trim().into()),
    }
}

/// Replaces the dependency under the cursor with the first suggestion.
fn complete_dependency(form: &mut TaskForm) {
    let Some(choice) = form.suggestions.first().cloned() else {
        return;
    };
    let input = &mut form.focused_mut().input;
    let head = match input.text.rfind(',') {
        Some(at) => input.text[..=at].to_owned(),
        None => String::new(),
    };
    let tail = input.text[head.len()..].trim_start();
    let suffix = tail
        .find([':', '+', '-'])
        .map(|at| tail[at..].to_owned())
        .unwrap_or_default();
    // A '-' inside an id is part of it, not a lag: keep only real suffixes.
    let suffix = if suffix.starts_with(':') || suffix.starts_with('+') {
        suffix
    } else {
        String::new()
    };
    *input = LineInput::new(&format!("{head}{choice}{suffix}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_prefers_prefixes_then_substrings_then_spread() {
        let ids = ["design", "api-design", "deploy-sign", "qa"];
        assert_eq!(
            fuzzy_matches("des", ids.iter().copied(), 5),
            ["design", "api-design", "deploy-sign"]
        );
        assert_eq!(
            fuzzy_matches("dsn", ids.iter().copied(), 5),
            ["design", "api-design", "deploy-sign"]
        );
        assert_eq!(fuzzy_matches("", ids.iter().copied(), 2), ["qa", "design"]);
    }

    #[test]
    fn fields_render_as_task_set_takes_them() {
        let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n[[task]]\nid = \"a\"\nname = \"A\"\n\
            [[task]]\nid = \"b\"\nname = \"B\"\nestimate = 12\ndepends = [\"a\", { task = \"a\", type = \"ss\", lag = -2 }]\n";
        let plan = crate::store::parse_str(text).unwrap().plan;
        let task = &plan.tasks[1];
        assert_eq!(field_text(task, TaskField::Depends), "a,a:ss-2");
        assert_eq!(field_text(task, TaskField::Estimate), "12");
        assert_eq!(field_text(task, TaskField::Duration), "1");
    }
}
