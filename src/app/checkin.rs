//! The Check-in pane: this week's check-in as it is being written, drafted
//! from the plan, and recording it.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use crate::keymap::Command;
use crate::metrics::{self, CheckinDraft, Metrics};
use crate::model::{Plan, TaskStatus};
use crate::store::{Edit, EntityKind};

use super::input::{InputOutcome, LineInput};
use super::{App, Level, Mode};

/// The sections of a check-in, in the order the pane shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Done,
    Next,
    Blocked,
    Note,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Done,
        Section::Next,
        Section::Blocked,
        Section::Note,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Done => "Done this week",
            Section::Next => "Next week",
            Section::Blocked => "Blocked",
            Section::Note => "Note",
        }
    }
}

/// The check-in being written for one week.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckinEditor {
    /// The Monday of the week.
    pub week: NaiveDate,
    pub done: Vec<String>,
    pub next: Vec<String>,
    pub blocked: Vec<String>,
    pub note: String,
    /// The selected line: a position in `lines()`.
    pub selected: usize,
    /// Whether the user changed the draft: unsaved work until recorded.
    pub edited: bool,
    /// Risks due for review that week (shown, not recorded).
    pub risks_due: Vec<usize>,
}

impl CheckinEditor {
    /// A draft pre-filled from the plan.
    pub fn draft(plan: &Plan, draft: &CheckinDraft) -> CheckinEditor {
        let name =
            |index: &usize| crate::sanitize::for_terminal(&plan.tasks[*index].name).into_owned();
        let blocked = draft
            .blocked
            .iter()
            .map(|&index| {
                let task = &plan.tasks[index];
                match &task.blocker {
                    Some(blocker) => format!(
                        "{}: {}",
                        name(&index),
                        crate::sanitize::for_terminal(blocker)
                    ),
                    None => name(&index),
                }
            })
            .collect();
        CheckinEditor {
            week: draft.week,
            done: draft.done.iter().map(name).collect(),
            next: draft.next.iter().map(name).collect(),
            blocked,
            note: String::new(),
            selected: 0,
            edited: false,
            risks_due: draft.risks_due.clone(),
        }
    }

    /// Every line as (section, index within it); each list ends with an
    /// empty slot to add to.
    pub fn lines(&self) -> Vec<(Section, usize)> {
        let mut lines = Vec::new();
        for section in [Section::Done, Section::Next, Section::Blocked] {
            let count = self.items(section).len();
            lines.extend((0..=count).map(|index| (section, index)));
        }
        lines.push((Section::Note, 0));
        lines
    }

    pub fn items(&self, section: Section) -> &[String] {
        match section {
            Section::Done => &self.done,
            Section::Next => &self.next,
            Section::Blocked => &self.blocked,
            Section::Note => std::slice::from_ref(&self.note),
        }
    }

    fn items_mut(&mut self, section: Section) -> Option<&mut Vec<String>> {
        match section {
            Section::Done => Some(&mut self.done),
            Section::Next => Some(&mut self.next),
            Section::Blocked => Some(&mut self.blocked),
            Section::Note => None,
        }
    }

    /// The text of the selected line ("" for an add slot).
    pub fn selected_text(&self) -> String {
        match self.lines().get(self.selected) {
            Some(&(Section::Note, _)) => self.note.clone(),
            Some(&(section, index)) => self.items(section).get(index).cloned().unwrap_or_default(),
            None => String::new(),
        }
    }

    /// Writes `text` into the selected line; an empty text removes an item.
    pub fn set_selected(&mut self, text: String) {
        let Some(&(section, index)) = self.lines().get(self.selected) else {
            return;
        };
        if section == Section::Note {
            self.note = text;
            return;
        }
        if let Some(items) = self.items_mut(section) {
            match (index < items.len(), text.trim().is_empty()) {
                (true, true) => {
                    items.remove(index);
                }
                (true, false) => items[index] = text,
                (false, false) => items.push(text),
                (false, true) => {}
            }
        }
    }

    /// Removes the selected item (not an add slot or the note).
    pub fn delete_selected(&mut self) {
        self.set_selected(String::new());
    }
}

/// The `[[checkin]]` table for a check-in and the metrics of its week.
pub fn checkin_table(editor: &CheckinEditor, metrics: Option<&Metrics>) -> toml_edit::Table {
    let mut table = toml_edit::Table::new();
    table.insert(
        "week",
        toml_edit::Item::Value(crate::store::toml_date(editor.week)),
    );
    for (key, items) in [
        ("done", &editor.done),
        ("next", &editor.next),
        ("blocked", &editor.blocked),
    ] {
        let array: toml_edit::Array = items.iter().map(String::as_str).collect();
        table.insert(key, toml_edit::value(array));
    }
    if !editor.note.trim().is_empty() {
        table.insert("note", toml_edit::value(editor.note.trim()));
    }
    let Some(metrics) = metrics else {
        return table;
    };
    let mut snapshot = toml_edit::InlineTable::new();
    snapshot.insert("percent_complete", round(metrics.percent_complete).into());
    if let Some(spi) = metrics.spi {
        snapshot.insert("spi", round(spi).into());
    }
    if let Some(cpi) = metrics.cpi {
        snapshot.insert("cpi", round(cpi).into());
    }
    snapshot.insert("open_blockers", (metrics.open_blockers as i64).into());
    table.insert("metrics", toml_edit::value(snapshot));
    table
}

/// Two decimals are plenty for a trend.
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Blocked tasks of the plan, for the pane's count.
pub fn blocked_count(plan: &Plan) -> usize {
    plan.tasks
        .iter()
        .filter(|task| task.status == TaskStatus::Blocked)
        .count()
}

impl App {
    /// The week the Check-in pane shows: the status date's, unless the
    /// user stepped to another.
    pub fn checkin_week(&self) -> NaiveDate {
        self.checkin_week
            .unwrap_or_else(|| metrics::week_monday(self.status_date()))
    }

    /// The check-in of the shown week: an edited draft kept for it, the
    /// one on file, or a draft from the plan.
    pub fn ensure_checkin(&mut self) {
        let week = self.checkin_week();
        if self
            .checkin
            .as_ref()
            .is_some_and(|editor| editor.week == week)
        {
            return;
        }
        // An edited draft of the week shown before is kept, not dropped.
        if let Some(previous) = self.checkin.take()
            && previous.edited
        {
            self.checkin_stash.push(previous);
        }
        if let Some(kept) = self
            .checkin_stash
            .iter()
            .position(|editor| editor.week == week)
        {
            self.checkin = Some(self.checkin_stash.remove(kept));
            return;
        }
        let Ok(schedule) = &self.schedule else {
            return;
        };
        let draft = metrics::checkin_draft(&self.file.plan, schedule, week);
        let mut editor = CheckinEditor::draft(&self.file.plan, &draft);
        if let Some(recorded) = self
            .file
            .plan
            .checkins
            .iter()
            .find(|c| c.week.value == week)
        {
            editor.done = recorded.done.clone();
            editor.next = recorded.next.clone();
            editor.blocked = recorded.blocked.clone();
            editor.note = recorded.note.clone().unwrap_or_default();
        }
        self.checkin = Some(editor);
    }

    /// Whether this week's check-in is already in the plan.
    pub fn checkin_recorded(&self) -> bool {
        self.checkin
            .as_ref()
            .is_some_and(|editor| self.week_recorded(editor.week))
    }

    fn week_recorded(&self, week: NaiveDate) -> bool {
        self.file.plan.checkins.iter().any(|c| c.week.value == week)
    }

    /// Check-in drafts the user wrote in and has not recorded: unsaved work.
    pub fn unsaved_drafts(&self) -> Vec<&CheckinEditor> {
        self.checkin
            .iter()
            .chain(&self.checkin_stash)
            .filter(|editor| editor.edited && !self.week_recorded(editor.week))
            .collect()
    }

    /// Whether quitting now would lose anything: unsaved plan changes or
    /// an unrecorded check-in draft.
    pub fn has_unsaved_work(&self) -> bool {
        self.modified || !self.unsaved_drafts().is_empty()
    }

    /// The plan's text with the unsaved changes, and each unrecorded draft
    /// as the check-in of its week, for the recovery file.
    pub fn recovery_text(&self) -> String {
        let mut text = self.file.text();
        let metrics = self.dashboard.figures.as_ref().map(|f| &f.metrics);
        for editor in self.unsaved_drafts() {
            if !text.ends_with('\n') && !text.is_empty() {
                text.push('\n');
            }
            let mut document = toml_edit::DocumentMut::new();
            let mut array = toml_edit::ArrayOfTables::new();
            array.push(checkin_table(editor, metrics));
            document.insert("checkin", toml_edit::Item::ArrayOfTables(array));
            text.push('\n');
            text.push_str(&document.to_string());
        }
        text
    }

    /// Records every unrecorded draft, as one undoable step.
    pub(super) fn record_drafts(&mut self) -> bool {
        let metrics = self.dashboard.figures.as_ref().map(|f| f.metrics.clone());
        let edits: Vec<Edit> = self
            .unsaved_drafts()
            .into_iter()
            .map(|editor| Edit::Add {
                kind: EntityKind::Checkin,
                after: None,
                table: checkin_table(editor, metrics.as_ref()),
            })
            .collect();
        edits.is_empty() || self.apply(edits)
    }

    /// Changes the shown draft as one undoable step.
    fn change_draft(&mut self, change: impl FnOnce(&mut CheckinEditor)) {
        let Some(editor) = &mut self.checkin else {
            return;
        };
        let before = editor.clone();
        change(editor);
        if editor.done == before.done
            && editor.next == before.next
            && editor.blocked == before.blocked
            && editor.note == before.note
        {
            return;
        }
        editor.edited = true;
        self.record_draft_step(before);
    }

    /// Shows the check-in of `week` (keeping an edited draft of the week
    /// shown before).
    pub(super) fn show_checkin_week(&mut self, week: NaiveDate) {
        let status_week = metrics::week_monday(self.status_date());
        self.checkin_week = (week != status_week).then_some(week);
        self.ensure_checkin();
    }

    pub(super) fn checkin_command(&mut self, command: Command) {
        self.ensure_checkin();
        let recorded = self.checkin_recorded();
        let Some(editor) = &mut self.checkin else {
            self.say(
                Level::Error,
                "the plan cannot be scheduled, so there is no check-in to draft",
            );
            return;
        };
        let last = editor.lines().len().saturating_sub(1);
        match command {
            Command::Down => editor.selected = (editor.selected + 1).min(last),
            Command::Up => editor.selected = editor.selected.saturating_sub(1),
            Command::First => editor.selected = 0,
            Command::Last => editor.selected = last,
            Command::Edit | Command::Add if recorded => self.say(
                Level::Info,
                "this week's check-in is recorded; edit it in the file",
            ),
            Command::Edit => self.mode = Mode::CheckinLine(LineInput::new(&editor.selected_text())),
            Command::Add => {
                // Jump to the add slot of the selected line's list.
                let lines = editor.lines();
                if let Some(&(section, _)) = lines.get(editor.selected) {
                    let slot = lines
                        .iter()
                        .rposition(|&(s, _)| s == section)
                        .unwrap_or(editor.selected);
                    editor.selected = slot;
                }
                self.mode = Mode::CheckinLine(LineInput::default());
            }
            Command::Delete if !recorded => self.change_draft(CheckinEditor::delete_selected),
            Command::Record => self.record_checkin(),
            Command::ProgressDown | Command::ProgressUp => {
                let days = if command == Command::ProgressUp {
                    7
                } else {
                    -7
                };
                let week = editor.week + chrono::Duration::days(days);
                self.show_checkin_week(week);
                let state = if self.checkin_recorded() {
                    "recorded"
                } else {
                    "not recorded yet"
                };
                self.say(
                    Level::Info,
                    format!("the week of {week} ({state}); [ and ] step the weeks"),
                );
            }
            _ => {}
        }
    }

    fn record_checkin(&mut self) {
        if self.checkin_recorded() {
            self.say(Level::Warning, "this week's check-in is already recorded");
            return;
        }
        let (Some(editor), Some(dashboard)) = (&self.checkin, &self.dashboard.figures) else {
            return;
        };
        let table = checkin_table(editor, Some(&dashboard.metrics));
        let week = editor.week;
        if self.apply(vec![Edit::Add {
            kind: EntityKind::Checkin,
            after: None,
            table,
        }]) {
            self.say(
                Level::Info,
                format!("recorded the check-in of the week of {week}; Ctrl-s saves it"),
            );
        }
    }

    /// A key typed into the check-in line being edited.
    pub(super) fn checkin_line_key(&mut self, mut input: LineInput, key: KeyEvent) -> Mode {
        match input.handle(key) {
            InputOutcome::Submit => {
                let text = input.text.trim().to_owned();
                self.change_draft(|editor| editor.set_selected(text));
                Mode::Normal
            }
            InputOutcome::Cancel => Mode::Normal,
            _ => Mode::CheckinLine(input),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor() -> CheckinEditor {
        CheckinEditor {
            week: NaiveDate::from_ymd_opt(2027, 1, 11).unwrap(),
            done: vec!["A".to_owned()],
            next: vec![],
            blocked: vec![],
            note: String::new(),
            selected: 0,
            edited: false,
            risks_due: vec![],
        }
    }

    #[test]
    fn lines_have_an_add_slot_per_list_and_the_note_last() {
        let editor = editor();
        assert_eq!(
            editor.lines(),
            vec![
                (Section::Done, 0),
                (Section::Done, 1),
                (Section::Next, 0),
                (Section::Blocked, 0),
                (Section::Note, 0)
            ]
        );
    }

    #[test]
    fn editing_adds_replaces_and_removes_items() {
        let mut editor = editor();
        editor.selected = 1;
        editor.set_selected("B".to_owned());
        assert_eq!(editor.done, ["A", "B"]);
        editor.selected = 0;
        editor.set_selected("A2".to_owned());
        editor.selected = 1;
        editor.delete_selected();
        assert_eq!(editor.done, ["A2"]);
        editor.selected = editor.lines().len() - 1;
        editor.set_selected("on track".to_owned());
        assert_eq!(editor.note, "on track");
    }
}
