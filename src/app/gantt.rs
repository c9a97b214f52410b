//! The Gantt pane's state and keys: the rows the filters and folds leave,
//! the selection, the part of the time axis on screen, and moving about.
//! The edits made from the pane are in `tasks.rs`.

pub mod derived;
mod rows;
mod tasks;

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};
use ratatui::crossterm::event::KeyEvent;

use crate::keymap::Command;
use crate::layout::{CHROME_ROWS, DETAIL_ROWS, label_width};
use crate::model::TaskStatus;

use super::{App, Confirm, InputOutcome, Level, LineInput, Mode, Pane, TaskForm};
use derived::Derived;

pub use rows::{Filter, Row};

/// Time-axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoom {
    /// Three columns a day.
    Day,
    /// One column a day.
    Week,
    /// One column a week.
    Month,
}

impl Zoom {
    /// Calendar days one column stands for, and columns one day takes.
    pub fn days_per_column(self) -> i64 {
        match self {
            Zoom::Day | Zoom::Week => 1,
            Zoom::Month => 7,
        }
    }

    pub fn columns_per_day(self) -> i64 {
        match self {
            Zoom::Day => 3,
            Zoom::Week | Zoom::Month => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Zoom::Day => "day",
            Zoom::Week => "week",
            Zoom::Month => "month",
        }
    }
}

/// The Gantt pane's state.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttPane {
    pub rows: Vec<Row>,
    /// Index into `rows`.
    pub selected: usize,
    /// The first visible row.
    pub row_offset: usize,
    /// The first day of the time axis.
    pub view_start: NaiveDate,
    pub zoom: Zoom,
    pub folded: HashSet<Option<usize>>,
    pub filter: Filter,
    pub search: Option<String>,
    pub show_details: bool,
    /// Links and spans the pane draws, recomputed on every edit.
    pub derived: Derived,
    /// How many task rows the filters and folds leave.
    pub tasks_shown: usize,
}

impl GanttPane {
    /// Every task shown, the axis starting at `view_start`.
    pub fn new(view_start: NaiveDate) -> GanttPane {
        GanttPane {
            rows: Vec::new(),
            selected: 0,
            row_offset: 0,
            view_start,
            zoom: Zoom::Week,
            folded: HashSet::new(),
            filter: Filter::default(),
            search: None,
            show_details: true,
            derived: Derived::default(),
            tasks_shown: 0,
        }
    }

    /// The task on the selected row, if it is a task row.
    pub fn selected_task(&self) -> Option<usize> {
        match self.rows.get(self.selected) {
            Some(Row::Task(task)) => Some(*task),
            _ => None,
        }
    }
}

impl App {
    /// The Gantt pane's share of the commands.
    pub(super) fn gantt_command(&mut self, command: Command) {
        match command {
            Command::Down => self.select(self.gantt.selected + 1),
            Command::Up => self.select(self.gantt.selected.saturating_sub(1)),
            Command::PageDown => self.select(self.gantt.selected + self.visible_rows()),
            Command::PageUp => self.select(self.gantt.selected.saturating_sub(self.visible_rows())),
            Command::First => self.select(0),
            Command::Last => self.select(self.gantt.rows.len().saturating_sub(1)),
            Command::ScrollLeft => self.scroll_time(-1),
            Command::ScrollRight => self.scroll_time(1),
            Command::Today => self.show_date(self.today),
            Command::StatusDate => {
                self.show_date(self.status_date());
                let what = if self.file.plan.project.status_date.is_some() {
                    "the status date"
                } else {
                    "today (the plan has no status date)"
                };
                self.say(Level::Info, format!("{what}, {}", self.status_date()));
            }
            Command::ZoomIn => self.set_zoom(match self.gantt.zoom {
                Zoom::Month => Zoom::Week,
                _ => Zoom::Day,
            }),
            Command::ZoomOut => self.set_zoom(match self.gantt.zoom {
                Zoom::Day => Zoom::Week,
                _ => Zoom::Month,
            }),
            Command::Search => self.mode = Mode::Search(LineInput::default()),
            Command::SearchNext => self.search_step(true, false),
            Command::SearchPrevious => self.search_step(false, false),
            Command::ToggleCollapse => self.toggle_fold(),
            Command::ToggleCollapseAll => self.toggle_fold_all(),
            Command::ToggleDetails => {
                self.gantt.show_details = !self.gantt.show_details;
                self.keep_selection_visible();
            }
            Command::Edit => match self.gantt.rows.get(self.gantt.selected) {
                Some(Row::Phase { .. }) => self.toggle_fold(),
                Some(Row::Task(task)) => self.mode = Mode::Form(TaskForm::open(&self.file, *task)),
                None => {}
            },
            Command::Add => self.add_task(),
            Command::Delete => {
                if let Some(task) = self.selected_task_id() {
                    self.mode = Mode::Confirm(Confirm::Delete { task });
                }
            }
            Command::MoveDown => self.move_task(1),
            Command::MoveUp => self.move_task(-1),
            Command::CycleStatus => self.cycle_status(),
            Command::ToggleBlocked => self.toggle_blocked(),
            Command::ProgressUp => self.step_progress(10),
            Command::ProgressDown => self.step_progress(-10),
            Command::LogHours => {
                if let Some(task) = self.gantt.selected_task() {
                    self.open_log_form(task);
                }
            }
            Command::TimeLog => self.open_time_log(),
            _ => {}
        }
    }

    /// A key typed into the task search: the selection follows each letter.
    pub(super) fn task_search_key(&mut self, mut input: LineInput, key: KeyEvent) -> Mode {
        match input.handle(key) {
            InputOutcome::Submit => {
                let query = input.text.trim().to_owned();
                self.gantt.search = (!query.is_empty()).then_some(query);
                self.search_step(true, true);
                Mode::Normal
            }
            InputOutcome::Cancel => Mode::Normal,
            InputOutcome::Changed => {
                self.gantt.search = Some(input.text.clone()).filter(|q| !q.is_empty());
                self.search_step(true, true);
                Mode::Search(input)
            }
            _ => Mode::Search(input),
        }
    }

    /// A click in the task rows selects the row under it.
    pub(super) fn click_row(&mut self, row: u16) {
        // Task rows start under the pane bar and the time axis.
        let first = 2u16;
        if row < first {
            return;
        }
        let index = self.gantt.row_offset + usize::from(row - first);
        if index < self.gantt.rows.len() && (usize::from(row - first)) < self.visible_rows() {
            self.select(index);
        }
    }

    /// Where the time axis opens: on the status date (today without one),
    /// where the work in progress and the critical path ahead of it are;
    /// a plan that starts later opens on its start.
    pub(super) fn default_view_start(&self) -> NaiveDate {
        let start = match &self.schedule {
            Ok(schedule) => schedule.start,
            Err(_) => self.file.plan.project.start,
        };
        let date = self.status_date().max(start);
        let before = (self.visible_days() / 4).max(7) as u64;
        let early = date.checked_sub_days(Days::new(before)).unwrap_or(date);
        // On a Monday, a little before.
        early - Days::new(early.weekday().num_days_from_monday().into())
    }

    /// Scrolls the time axis so that `date` is a quarter of the way in.
    pub(super) fn show_date(&mut self, date: NaiveDate) {
        let before = self.visible_days() / 4;
        self.gantt.view_start = date
            .checked_sub_days(Days::new(before as u64))
            .unwrap_or(date);
    }

    /// When the selected task's bar is wholly off the time axis, brings
    /// its start into view.
    fn follow_selected_bar(&mut self) {
        let (Some(task), Ok(schedule)) = (self.gantt.selected_task(), &self.schedule) else {
            return;
        };
        let Some(dates) = schedule.tasks.get(task) else {
            return;
        };
        let (start, finish) = (dates.start, dates.finish);
        let first = self.gantt.view_start;
        let last = first + Days::new(self.visible_days().max(1) as u64);
        if finish < first || start >= last {
            self.show_date(start);
        }
    }

    pub fn rebuild_rows(&mut self) {
        let selected_task = self.gantt.selected_task();
        self.rebuild_rows_selecting(selected_task);
    }

    /// Rebuilds the rows and selects `task`'s row if it is shown.
    pub(super) fn rebuild_rows_selecting(&mut self, selected_task: Option<usize>) {
        let critical: Vec<bool> = match &self.schedule {
            Ok(schedule) => schedule.tasks.iter().map(|t| t.critical).collect(),
            Err(_) => Vec::new(),
        };
        self.gantt.rows = rows::build(
            &self.file.plan,
            &self.gantt.filter,
            &self.gantt.folded,
            &critical,
        );
        self.gantt.tasks_shown = self
            .gantt
            .rows
            .iter()
            .filter(|row| matches!(row, Row::Task(_)))
            .count();
        if let Some(task) = selected_task
            && let Some(row) = self
                .gantt
                .rows
                .iter()
                .position(|row| *row == Row::Task(task))
        {
            self.gantt.selected = row;
        }
        self.gantt.selected = self
            .gantt
            .selected
            .min(self.gantt.rows.len().saturating_sub(1));
        self.keep_selection_visible();
    }

    /// Where the selection opens: on the earliest task of the critical
    /// path that is not done, else on the first task not done, else on
    /// the first row; scrolled into view (the time axis stays where
    /// `default_view_start` puts it).
    pub(super) fn select_opening_row(&mut self) {
        let tasks = &self.file.plan.tasks;
        let open = |task: usize| {
            tasks
                .get(task)
                .is_some_and(|t| t.status != TaskStatus::Done)
        };
        let row_of = |task: usize| {
            self.gantt
                .rows
                .iter()
                .position(|row| *row == Row::Task(task))
        };
        let critical = match &self.schedule {
            Ok(schedule) => schedule.critical_path(),
            Err(_) => Vec::new(),
        };
        let row = critical
            .into_iter()
            .filter(|&task| open(task))
            .find_map(row_of)
            .or_else(|| {
                self.gantt
                    .rows
                    .iter()
                    .position(|row| matches!(row, Row::Task(task) if open(*task)))
            })
            .unwrap_or(0);
        self.gantt.selected = row.min(self.gantt.rows.len().saturating_sub(1));
        self.gantt.row_offset = 0;
        self.keep_selection_visible();
    }

    pub(super) fn selected_task_id(&self) -> Option<String> {
        self.gantt
            .selected_task()
            .map(|task| self.file.plan.tasks[task].id.value.clone())
    }

    /// How many task rows fit on screen now.
    pub fn visible_rows(&self) -> usize {
        let (_, height) = self.size;
        let details = if self.details_shown() { DETAIL_ROWS } else { 0 };
        height.saturating_sub(CHROME_ROWS + details).max(1) as usize
    }

    /// The detail panel is shown when asked for and when there is room.
    pub fn details_shown(&self) -> bool {
        self.gantt.show_details && self.size.1 >= 22
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let visible = self.visible_rows();
        if self.gantt.selected < self.gantt.row_offset {
            self.gantt.row_offset = self.gantt.selected;
        } else if self.gantt.selected >= self.gantt.row_offset + visible {
            self.gantt.row_offset = self.gantt.selected + 1 - visible;
        }
        let max_offset = self.gantt.rows.len().saturating_sub(visible);
        self.gantt.row_offset = self.gantt.row_offset.min(max_offset);
    }

    pub(super) fn select(&mut self, row: usize) {
        self.gantt.selected = row.min(self.gantt.rows.len().saturating_sub(1));
        self.keep_selection_visible();
        self.follow_selected_bar();
    }

    /// Days the time axis shows at the current size and zoom.
    pub fn visible_days(&self) -> i64 {
        let columns = i64::from(self.size.0.saturating_sub(label_width(self.size.0)));
        columns * self.gantt.zoom.days_per_column() / self.gantt.zoom.columns_per_day()
    }

    pub(super) fn scroll_time(&mut self, direction: i64) {
        let step = (self.visible_days() / 4).max(1) * direction;
        let moved = if step >= 0 {
            self.gantt
                .view_start
                .checked_add_days(Days::new(step as u64))
        } else {
            self.gantt
                .view_start
                .checked_sub_days(Days::new((-step) as u64))
        };
        if let Some(date) = moved {
            self.gantt.view_start = date;
        }
    }

    pub(super) fn set_zoom(&mut self, zoom: Zoom) {
        // Keep the selected task (or the middle of the view) in view.
        let anchor = match (self.gantt.selected_task(), &self.schedule) {
            (Some(task), Ok(schedule)) => schedule.tasks[task].start,
            _ => self.gantt.view_start + Days::new((self.visible_days() / 2) as u64),
        };
        self.gantt.zoom = zoom;
        let before = (self.visible_days() / 4) as u64;
        self.gantt.view_start = anchor.checked_sub_days(Days::new(before)).unwrap_or(anchor);
    }

    pub(super) fn toggle_fold(&mut self) {
        let phase = match self.gantt.rows.get(self.gantt.selected) {
            Some(Row::Phase { phase, .. }) => *phase,
            Some(Row::Task(task)) => {
                let task = &self.file.plan.tasks[*task];
                match &task.phase {
                    Some(phase) if phase.index.is_some() => phase.index,
                    _ if self.file.plan.phases.is_empty() => return,
                    _ => None,
                }
            }
            None => return,
        };
        if !self.gantt.folded.remove(&phase) {
            self.gantt.folded.insert(phase);
        }
        self.rebuild_rows();
        if self.gantt.folded.contains(&phase)
            && let Some(row) = self
                .gantt
                .rows
                .iter()
                .position(|row| matches!(row, Row::Phase { phase: p, .. } if *p == phase))
        {
            self.select(row);
        }
    }

    pub(super) fn toggle_fold_all(&mut self) {
        if self.gantt.folded.is_empty() {
            self.gantt.folded = (0..self.file.plan.phases.len())
                .map(Some)
                .chain([None])
                .collect();
        } else {
            self.gantt.folded.clear();
        }
        self.rebuild_rows();
    }

    pub(super) fn search_step(&mut self, forward: bool, include_current: bool) {
        let Some(query) = self.gantt.search.clone() else {
            self.say(Level::Info, "no search yet: press / to search");
            return;
        };
        let query = query.to_lowercase();
        let matches = |row: &Row| match row {
            Row::Task(task) => {
                let task = &self.file.plan.tasks[*task];
                task.id.value.to_lowercase().contains(&query)
                    || task.name.to_lowercase().contains(&query)
            }
            Row::Phase { .. } => false,
        };
        let count = self.gantt.rows.len();
        if count == 0 {
            return;
        }
        let start = if include_current { 0 } else { 1 };
        for step in start..=count {
            let row = if forward {
                (self.gantt.selected + step) % count
            } else {
                (self.gantt.selected + count * 2 - step) % count
            };
            if matches(&self.gantt.rows[row]) {
                let found: Vec<usize> = (0..count)
                    .filter(|&r| matches(&self.gantt.rows[r]))
                    .collect();
                let number = found.iter().position(|&r| r == row).unwrap_or(0) + 1;
                let total = found.len();
                self.select(row);
                self.say(
                    Level::Info,
                    format!("match {number} of {total}; n next, N previous"),
                );
                return;
            }
        }
        let hidden = if self.gantt.filter.is_empty() && self.gantt.folded.is_empty() {
            ""
        } else {
            " among the shown tasks"
        };
        self.say(
            Level::Warning,
            format!("no task matches \"{query}\"{hidden}"),
        );
    }

    pub(super) fn goto(&mut self, id: &str) {
        let Some(task) = self.file.plan.task_index(id) else {
            let ids = self.file.plan.tasks.iter().map(|t| t.id.value.as_str());
            self.say(
                Level::Error,
                format!(
                    "there is no task `{id}`{}",
                    crate::diagnostic::suggestion(id, ids)
                ),
            );
            return;
        };
        self.pane = Pane::Gantt;
        let row = self
            .gantt
            .rows
            .iter()
            .position(|row| *row == Row::Task(task));
        let row = match row {
            Some(row) => row,
            None => {
                // Hidden by a filter or a fold: show everything.
                self.gantt.filter = Filter::default();
                self.gantt.folded.clear();
                self.rebuild_rows();
                match self
                    .gantt
                    .rows
                    .iter()
                    .position(|row| *row == Row::Task(task))
                {
                    Some(row) => row,
                    None => return,
                }
            }
        };
        self.select(row);
        if let Ok(schedule) = &self.schedule {
            let start = schedule.tasks[task].start;
            let before = (self.visible_days() / 4) as u64;
            self.gantt.view_start = start.checked_sub_days(Days::new(before)).unwrap_or(start);
        }
    }

    pub(super) fn set_filter(&mut self, argument: &str) {
        let mut filter = Filter::default();
        let mut words = Vec::new();
        for part in argument.split_whitespace() {
            let Some((key, value)) = part.split_once('=') else {
                // `critical`, or text to look for in ids, names, owners, phases.
                if part == "critical" {
                    filter.critical = true;
                } else {
                    words.push(part);
                }
                continue;
            };
            match key {
                "phase" => {
                    if !self.file.plan.phases.iter().any(|p| p.id.value == value) {
                        let ids = self.file.plan.phases.iter().map(|p| p.id.value.as_str());
                        let hint = crate::diagnostic::suggestion(value, ids);
                        self.say(Level::Error, format!("there is no phase `{value}`{hint}"));
                        return;
                    }
                    filter.phase = Some(value.to_owned());
                }
                "owner" => {
                    if self.file.plan.person(value).is_none() {
                        let ids = self.file.plan.people.iter().map(|p| p.id.value.as_str());
                        let hint = crate::diagnostic::suggestion(value, ids);
                        self.say(Level::Error, format!("there is no person `{value}`{hint}"));
                        return;
                    }
                    filter.owner = Some(value.to_owned());
                }
                "status" => match TaskStatus::parse(value) {
                    Some(status) => filter.status = Some(status),
                    None => {
                        self.say(Level::Error, "status is one of todo, doing, done, blocked");
                        return;
                    }
                },
                _ => {
                    self.say(
                        Level::Error,
                        format!(
                            "cannot filter by `{key}`: use phase=ID, owner=ID, status=S, critical or any text"
                        ),
                    );
                    return;
                }
            }
        }
        if !words.is_empty() {
            filter.text = Some(words.join(" "));
        }
        self.gantt.filter = filter;
        self.rebuild_rows();
        if self.gantt.filter.is_empty() {
            self.say(Level::Info, "showing every task");
        } else {
            let shown = self
                .gantt
                .rows
                .iter()
                .filter(|r| matches!(r, Row::Task(_)))
                .count();
            self.say(
                Level::Info,
                format!(
                    "filter {}: {shown} task(s); :filter alone clears it",
                    self.gantt.filter.describe()
                ),
            );
        }
    }
}
