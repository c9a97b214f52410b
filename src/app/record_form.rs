//! Records the app writes with a date: a log entry (new or edited), a
//! task's `blocked_since`, a risk's `reviewed`. Each asks in a small form
//! whose date is proposed by `Plan::record_date` and can be changed; the
//! time log of a task lists its entries to edit and delete.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::model::TaskStatus;
use crate::store::{Edit, EntityKind, TaskField};

use super::form::{FIX_ERRORS_FIRST, FormField};
use super::input::InputOutcome;
use super::{App, Level, Mode};

/// What the form records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKind {
    /// A new `[[log]]` entry on the task.
    NewLog { task: String },
    /// The `[[log]]` entry at this index among the log tables.
    EditLog { index: usize, task: String },
    /// Marks the task blocked, from a date.
    Blocked { task: String },
    /// Marks the risk reviewed on a date.
    Reviewed { risk: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordForm {
    pub kind: RecordKind,
    pub fields: Vec<FormField<&'static str>>,
    pub focus: usize,
    /// Why the last Enter was refused, in `check`'s words.
    pub refused: Option<String>,
}

impl RecordForm {
    /// The dialog's title: what Enter does.
    pub fn title(&self) -> String {
        let name = |id: &str| crate::sanitize::for_terminal(id).into_owned();
        match &self.kind {
            RecordKind::NewLog { task } => {
                format!("Log hours on {} (Enter logs, Esc cancels)", name(task))
            }
            RecordKind::EditLog { task, .. } => format!(
                "Edit a log entry of {} (Enter saves, Esc cancels)",
                name(task)
            ),
            RecordKind::Blocked { task } => {
                format!("Mark {} blocked (Enter marks, Esc cancels)", name(task))
            }
            RecordKind::Reviewed { risk } => {
                format!("Mark {} reviewed (Enter marks, Esc cancels)", name(risk))
            }
        }
    }

    fn text(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|field| field.field == label)
            .map(|field| field.input.text.trim())
            .unwrap_or("")
    }

    fn changed(&self, label: &str) -> bool {
        self.fields
            .iter()
            .any(|field| field.field == label && field.is_changed())
    }
}

/// What each field of a record form takes.
pub fn record_field_help(label: &str) -> &'static str {
    match label {
        "date" | "since" => {
            "YYYY-MM-DD or today; proposed: the status date, else today (never before the project start)"
        }
        "person" => "the id of who did the work; empty for the task's owner",
        "hours" => "hours worked that day: more than 0, at most 24",
        "note" => "what was done; empty for none",
        "blocker" => "why the task is blocked",
        _ => "",
    }
}

fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if text == "today" {
        return Ok(today);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD, e.g. 2027-04-09, or today"))
}

/// Hours as TOML: a whole number is written without a fraction.
fn hours_value(hours: f64) -> toml_edit::Value {
    if hours.fract() == 0.0 {
        (hours as i64).into()
    } else {
        hours.into()
    }
}

fn parse_hours(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(hours) if hours > 0.0 && hours <= 24.0 => Ok(hours),
        _ => Err(format!(
            "`{text}` is not a number of hours more than 0 and at most 24, e.g. 6 or 1.5"
        )),
    }
}

impl App {
    /// The date proposed for a new record (see `Plan::record_date`).
    pub fn record_date(&self) -> NaiveDate {
        self.file.plan.record_date(self.today)
    }

    fn record_form(&self, kind: RecordKind, fields: Vec<(&'static str, String)>) -> RecordForm {
        let fields = fields
            .into_iter()
            .map(|(label, text)| FormField::new(label, text))
            .collect();
        RecordForm {
            kind,
            fields,
            focus: 0,
            refused: None,
        }
    }

    /// `L`: hours on the task, with its date and person.
    pub(super) fn open_log_form(&mut self, task: usize) {
        let task = &self.file.plan.tasks[task];
        let owner = task
            .owner
            .as_ref()
            .map(|o| o.id.value.clone())
            .unwrap_or_default();
        let form = self.record_form(
            RecordKind::NewLog {
                task: task.id.value.clone(),
            },
            vec![
                ("hours", String::new()),
                ("date", self.record_date().to_string()),
                ("person", owner),
                ("note", String::new()),
            ],
        );
        self.mode = Mode::RecordForm(form);
    }

    /// A log entry of the time log, to change.
    pub(super) fn open_log_entry(&mut self, index: usize) {
        let Some(entry) = self.file.plan.log.get(index) else {
            return;
        };
        let task = entry.task.id.value.clone();
        let person = entry
            .person
            .as_ref()
            .map(|p| p.id.value.clone())
            .unwrap_or_default();
        let hours = if entry.hours.fract() == 0.0 {
            format!("{}", entry.hours as i64)
        } else {
            entry.hours.to_string()
        };
        let form = self.record_form(
            RecordKind::EditLog { index, task },
            vec![
                ("hours", hours),
                ("date", entry.date.to_string()),
                ("person", person),
                ("note", entry.note.clone().unwrap_or_default()),
            ],
        );
        self.mode = Mode::RecordForm(form);
    }

    /// `b` on a task that is not blocked: from when, and why.
    pub(super) fn open_blocked_form(&mut self, task: usize) {
        let task = &self.file.plan.tasks[task];
        let since = task.blocked_since.unwrap_or_else(|| self.record_date());
        let form = self.record_form(
            RecordKind::Blocked {
                task: task.id.value.clone(),
            },
            vec![
                ("since", since.to_string()),
                ("blocker", task.blocker.clone().unwrap_or_default()),
            ],
        );
        self.mode = Mode::RecordForm(form);
    }

    /// `v` on a risk: reviewed on which day.
    pub(super) fn open_reviewed_form(&mut self, risk: usize) {
        let risk = &self.file.plan.risks[risk];
        let form = self.record_form(
            RecordKind::Reviewed {
                risk: risk.id.value.clone(),
            },
            vec![("date", self.record_date().to_string())],
        );
        self.mode = Mode::RecordForm(form);
    }

    pub(super) fn record_form_key(&mut self, mut form: RecordForm, key: KeyEvent) -> Option<Mode> {
        let count = form.fields.len();
        match key.code {
            KeyCode::Esc => return self.after_record_form(&form),
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % count,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + count - 1) % count,
            KeyCode::Enter => {
                if form.fields.iter().any(|f| f.error.is_some()) {
                    self.say(Level::Error, FIX_ERRORS_FIRST);
                    return Some(Mode::RecordForm(form));
                }
                match self.record_edits(&form) {
                    Err(message) => {
                        form.refused = Some(message.clone());
                        self.say(Level::Error, message);
                        return Some(Mode::RecordForm(form));
                    }
                    Ok(None) => return self.after_record_form(&form),
                    Ok(Some((edits, said))) => {
                        if self.apply(edits) {
                            self.say(Level::Info, said);
                            return self.after_record_form(&form);
                        }
                        // Refused: the form stays, with why.
                        form.refused = self.message.as_ref().map(|(_, text)| text.clone());
                        return Some(Mode::RecordForm(form));
                    }
                }
            }
            _ => {
                let field = &mut form.fields[form.focus];
                if field.input.handle(key) == InputOutcome::Changed {
                    form.refused = None;
                    field.error = self.check_record_field(field.field, field.input.text.trim());
                }
            }
        }
        Some(Mode::RecordForm(form))
    }

    /// Where a closed record form leads: back to the time log it came from.
    fn after_record_form(&mut self, form: &RecordForm) -> Option<Mode> {
        match &form.kind {
            RecordKind::EditLog { task, index } => Some(Mode::TimeLog {
                task: task.clone(),
                selected: self
                    .task_log_entries(task)
                    .iter()
                    .position(|entry| entry == index)
                    .unwrap_or(0),
            }),
            RecordKind::NewLog { task } if self.time_log_open_for.as_deref() == Some(task) => {
                Some(Mode::TimeLog {
                    task: task.clone(),
                    selected: 0,
                })
            }
            _ => {
                self.time_log_open_for = None;
                None
            }
        }
    }

    fn check_record_field(&self, label: &str, text: &str) -> Option<String> {
        match label {
            "date" | "since" => parse_date(text, self.today).err(),
            "hours" => parse_hours(text).err(),
            _ => None,
        }
    }

    /// The edits a record form asks for and what to say once they are
    /// made; None when nothing changes.
    fn record_edits(&self, form: &RecordForm) -> Result<Option<(Vec<Edit>, String)>, String> {
        let today = self.today;
        match &form.kind {
            RecordKind::NewLog { task } => {
                let hours = parse_hours(form.text("hours"))?;
                let date = parse_date(form.text("date"), today)?;
                let mut table = toml_edit::Table::new();
                table.insert(
                    "date",
                    toml_edit::Item::Value(crate::store::toml_date(date)),
                );
                table.insert("task", toml_edit::value(task.as_str()));
                let person = form.text("person");
                if !person.is_empty() {
                    table.insert("person", toml_edit::value(person));
                }
                table.insert("hours", toml_edit::Item::Value(hours_value(hours)));
                let note = form.text("note");
                if !note.is_empty() {
                    table.insert("note", toml_edit::value(note));
                }
                let who = if person.is_empty() {
                    String::new()
                } else {
                    format!(" by {person}")
                };
                Ok(Some((
                    vec![Edit::Add {
                        kind: EntityKind::Log,
                        after: None,
                        table,
                    }],
                    format!("logged {hours} h on {task} for {date}{who}; u takes it back"),
                )))
            }
            RecordKind::EditLog { index, task } => {
                let mut edits = Vec::new();
                for field in form.fields.iter().filter(|f| f.is_changed()) {
                    let text = field.input.text.trim();
                    let value: Option<toml_edit::Value> = match field.field {
                        "hours" => Some(hours_value(parse_hours(text)?)),
                        "date" => Some(crate::store::toml_date(parse_date(text, today)?)),
                        _ if text.is_empty() => None,
                        _ => Some(text.into()),
                    };
                    edits.push(Edit::SetAt {
                        kind: EntityKind::Log,
                        index: *index,
                        key: field.field.to_owned(),
                        value,
                    });
                }
                if edits.is_empty() {
                    return Ok(None);
                }
                Ok(Some((edits, format!("changed a log entry of {task}"))))
            }
            RecordKind::Blocked { task } => {
                let date = parse_date(form.text("since"), today)?;
                let mut edits = vec![
                    Edit::SetTask {
                        task: task.clone(),
                        field: TaskField::Status,
                        value: Some(TaskStatus::Blocked.as_str().into()),
                    },
                    Edit::SetTask {
                        task: task.clone(),
                        field: TaskField::BlockedSince,
                        value: Some(crate::store::toml_date(date)),
                    },
                ];
                if form.changed("blocker") {
                    let blocker = form.text("blocker");
                    edits.push(Edit::SetTask {
                        task: task.clone(),
                        field: TaskField::Blocker,
                        value: (!blocker.is_empty()).then(|| blocker.into()),
                    });
                }
                Ok(Some((edits, format!("{task}: blocked since {date}"))))
            }
            RecordKind::Reviewed { risk } => {
                let date = parse_date(form.text("date"), today)?;
                Ok(Some((
                    vec![Edit::Set {
                        kind: EntityKind::Risk,
                        id: risk.clone(),
                        key: "reviewed".to_owned(),
                        value: Some(crate::store::toml_date(date)),
                    }],
                    format!("{risk}: reviewed on {date}"),
                )))
            }
        }
    }

    /// The log entries of `task`, as indexes among the plan's logs, newest first.
    pub fn task_log_entries(&self, task: &str) -> Vec<usize> {
        let mut entries: Vec<usize> = self
            .file
            .plan
            .log
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.task.id.value == task)
            .map(|(index, _)| index)
            .collect();
        entries.sort_by_key(|&index| std::cmp::Reverse(self.file.plan.log[index].date));
        entries
    }

    /// `T`: the selected task's time log.
    pub(super) fn open_time_log(&mut self) {
        if let Some(task) = self.selected_task_id() {
            self.time_log_open_for = Some(task.clone());
            self.mode = Mode::TimeLog { task, selected: 0 };
        }
    }

    /// A key in the time log: move, Enter edits, a adds, d deletes, Esc closes.
    pub(super) fn time_log_key(&mut self, task: String, selected: usize, key: KeyEvent) -> Mode {
        let entries = self.task_log_entries(&task);
        let last = entries.len().saturating_sub(1);
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => Mode::TimeLog {
                task,
                selected: (selected + 1).min(last),
            },
            KeyCode::Char('k') | KeyCode::Up => Mode::TimeLog {
                task,
                selected: selected.saturating_sub(1),
            },
            KeyCode::Enter | KeyCode::Char('e') => {
                if let Some(&index) = entries.get(selected) {
                    self.open_log_entry(index);
                    return std::mem::replace(&mut self.mode, Mode::Normal);
                }
                Mode::TimeLog { task, selected }
            }
            KeyCode::Char('a') | KeyCode::Char('L') => {
                if let Some(index) = self.file.plan.task_index(&task) {
                    self.open_log_form(index);
                    return std::mem::replace(&mut self.mode, Mode::Normal);
                }
                Mode::TimeLog { task, selected }
            }
            KeyCode::Char('d') | KeyCode::Delete => {
                if let Some(&index) = entries.get(selected) {
                    let entry = &self.file.plan.log[index];
                    let said = format!(
                        "deleted {} h of {} on {}; u brings it back",
                        entry.hours, task, entry.date
                    );
                    if self.apply(vec![Edit::RemoveAt {
                        kind: EntityKind::Log,
                        index,
                    }]) {
                        self.say(Level::Info, said);
                    }
                }
                let left = self.task_log_entries(&task).len();
                Mode::TimeLog {
                    task,
                    selected: selected.min(left.saturating_sub(1)),
                }
            }
            KeyCode::Char('u') => {
                self.undo();
                Mode::TimeLog { task, selected }
            }
            _ => {
                self.time_log_open_for = None;
                Mode::Normal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hours_are_read_or_explained() {
        let today = NaiveDate::from_ymd_opt(2027, 4, 9).unwrap();
        assert_eq!(parse_date("today", today), Ok(today));
        assert_eq!(
            parse_date("2027-01-04", today),
            Ok(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap())
        );
        assert!(parse_date("4/1", today).unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(parse_hours("1.5"), Ok(1.5));
        assert!(parse_hours("25").is_err());
        assert!(parse_hours("0").is_err());
    }
}
