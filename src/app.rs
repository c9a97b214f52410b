//! The app's state and the one function that changes it, `update`.
//!
//! Nothing here draws or reads the terminal: `run` (in `app/run.rs`) turns
//! terminal events into [`Action`]s, and `ui` draws a frame from `&App`.
//! Tests drive the app with `app.update(Action::...)` and no terminal.

mod command_line;
mod confirm;
pub mod derived;
mod file;
mod history;
mod input;
pub mod recovery;
mod risk_form;
pub mod risks;
mod rows;
pub mod run;
mod task_form;
pub mod weekly;

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::{Datelike, Days, NaiveDate};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::Config;
use crate::keymap::{Command, Key};
use crate::model::TaskStatus;
use crate::schedule::Schedule;
use crate::store::{Edit, EntityKind, PlanFile, TaskField};

pub use confirm::Confirm;
pub use input::{InputOutcome, LineInput};
pub use risk_form::{RiskForm, RiskFormField, risk_field_help, risk_field_text};
pub use rows::{Filter, Row};
pub use task_form::{FORM_FIELDS, FormField, TaskForm, field_text, fuzzy_matches};

/// The built-in demo plan shown when there is no plan to open.
pub const DEMO_PLAN: &str = include_str!("../examples/hotel-integration.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Gantt,
    Risks,
    Checkin,
    Dashboard,
    Plan,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Gantt,
        Pane::Risks,
        Pane::Checkin,
        Pane::Dashboard,
        Pane::Plan,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Gantt => "Gantt",
            Pane::Risks => "Risks",
            Pane::Checkin => "Check-in",
            Pane::Dashboard => "Dashboard",
            Pane::Plan => "Plan",
        }
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

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

/// What the keyboard is talking to.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Help {
        scroll: usize,
    },
    CommandLine(LineInput),
    Search(LineInput),
    Form(TaskForm),
    RiskForm(RiskForm),
    /// Editing one line of this week's check-in.
    CheckinLine(LineInput),
    /// Hours (and an optional note) to log on a task.
    LogHours {
        task: String,
        input: LineInput,
    },
    /// Where to write a plan that has no file yet (the demo) or a copy.
    SaveAs(LineInput),
    Confirm(Confirm),
    /// The plan's problems, one selected; Enter jumps to it.
    Problems {
        selected: usize,
    },
}

/// Everything the user can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Key(KeyEvent),
    Command(Command),
    /// The terminal changed size.
    Resize {
        width: u16,
        height: u16,
    },
    /// A mouse click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    ScrollRows(i64),
    /// About once a second: look at the file on disk.
    Tick,
    /// The file on disk differs from what we read: its new text.
    FileChanged(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// Where the plan came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File,
    /// The built-in demo: saving asks where to write it.
    Demo,
}

pub struct App {
    pub file: PlanFile,
    pub origin: Origin,
    pub schedule: Result<Schedule, String>,
    pub config: Config,
    pub today: NaiveDate,
    pub pane: Pane,
    pub mode: Mode,
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
    pub risks: risks::RiskView,
    /// The first line shown in the Plan pane.
    pub plan_scroll: usize,
    /// Links and spans the Gantt pane draws, recomputed on every edit.
    pub derived: derived::Derived,
    /// How many task rows the filters and folds leave.
    pub tasks_shown: usize,
    /// The Dashboard's figures, recomputed on every edit.
    pub dashboard: Option<weekly::Dashboard>,
    /// The selected alert on the Dashboard.
    pub alert_selected: usize,
    /// This week's check-in as it is being written.
    pub checkin: Option<weekly::CheckinEditor>,
    pub undo: Vec<Vec<Edit>>,
    pub redo: Vec<Vec<Edit>>,
    /// The version each undo and redo group leads to (see `state`).
    undo_ids: Vec<u64>,
    redo_ids: Vec<u64>,
    next_state: u64,
    /// The version last saved or loaded.
    saved_state: u64,
    pub modified: bool,
    pub message: Option<(Level, String)>,
    /// Text on disk that differs from ours, while the conflict is open.
    pub conflict: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
}

/// Rows of chrome around the Gantt rows: pane bar, axis, status line.
const CHROME_ROWS: u16 = 3;
/// Rows the detail panel takes when shown.
pub const DETAIL_ROWS: u16 = 7;
/// Below this the app shows "terminal too small".
pub const MIN_SIZE: (u16, u16) = (60, 16);

impl App {
    pub fn new(file: PlanFile, origin: Origin, config: Config, today: NaiveDate) -> App {
        let mut app = App {
            file,
            origin,
            schedule: Err(String::new()),
            config,
            today,
            pane: Pane::Gantt,
            mode: Mode::Normal,
            rows: Vec::new(),
            selected: 0,
            row_offset: 0,
            view_start: today,
            zoom: Zoom::Week,
            folded: HashSet::new(),
            filter: Filter::default(),
            search: None,
            show_details: true,
            risks: risks::RiskView::default(),
            plan_scroll: 0,
            derived: derived::Derived::default(),
            tasks_shown: 0,
            dashboard: None,
            alert_selected: 0,
            checkin: None,
            undo: Vec::new(),
            redo: Vec::new(),
            undo_ids: Vec::new(),
            redo_ids: Vec::new(),
            next_state: 0,
            saved_state: 0,
            modified: false,
            message: None,
            conflict: None,
            size: (80, 24),
            quit: false,
        };
        app.reschedule();
        app.rebuild_rows();
        app.select_first_task();
        app.view_start = app.default_view_start();
        if let Some(warning) = app.config.warnings.first().cloned() {
            app.message = Some((Level::Warning, warning));
        } else if app.file.has_errors() {
            let count = app.file.diagnostics.iter().filter(|d| d.is_error()).count();
            app.message = Some((
                Level::Error,
                format!("the plan has {count} error(s): fix them here; :problems lists them again"),
            ));
            app.mode = Mode::Problems { selected: 0 };
        } else if app.origin == Origin::Demo {
            app.message = Some((
                Level::Info,
                "a demo plan: explore freely; Ctrl-s asks where to save it".to_owned(),
            ));
        }
        app
    }

    /// The plan's display name for the status line.
    pub fn file_name(&self) -> String {
        match self.origin {
            Origin::Demo => "demo plan (not saved)".to_owned(),
            Origin::File => self.file.path.display().to_string(),
        }
    }

    /// The date progress is measured at: the plan's status date, else today.
    pub fn status_date(&self) -> NaiveDate {
        self.file.plan.project.status_date.unwrap_or(self.today)
    }

    fn default_view_start(&self) -> NaiveDate {
        let start = match &self.schedule {
            Ok(schedule) => schedule.start,
            Err(_) => self.file.plan.project.start,
        };
        // A few days of context before the first task, on a Monday.
        let monday = start - Days::new(start.weekday().num_days_from_monday().into());
        monday.checked_sub_days(Days::new(7)).unwrap_or(monday)
    }

    pub fn reschedule(&mut self) {
        self.schedule = crate::schedule::schedule(&self.file.plan).map_err(|error| {
            let diagnostic = error.diagnostic(&self.file.plan);
            diagnostic.message
        });
        self.derived = derived::Derived::compute(&self.file.plan, self.schedule.as_ref().ok());
        // The Dashboard's figures are worked out when a pane needs them.
        self.dashboard = None;
        self.refresh_dashboard();
    }

    /// Computes the Dashboard's figures if a pane that shows them is open
    /// and they are out of date.
    pub fn refresh_dashboard(&mut self) {
        if self.dashboard.is_some() || !matches!(self.pane, Pane::Dashboard | Pane::Checkin) {
            return;
        }
        self.dashboard = self.schedule.as_ref().ok().map(|schedule| {
            weekly::Dashboard::compute(&self.file.plan, schedule, self.status_date())
        });
        if let Some(dashboard) = &self.dashboard {
            self.alert_selected = self
                .alert_selected
                .min(dashboard.alerts.len().saturating_sub(1));
        }
    }

    pub fn rebuild_rows(&mut self) {
        let selected_task = self.selected_task();
        self.rebuild_rows_selecting(selected_task);
    }

    /// Rebuilds the rows and selects `task`'s row if it is shown.
    fn rebuild_rows_selecting(&mut self, selected_task: Option<usize>) {
        self.rows = rows::build(&self.file.plan, &self.filter, &self.folded);
        self.tasks_shown = self
            .rows
            .iter()
            .filter(|row| matches!(row, Row::Task(_)))
            .count();
        if let Some(task) = selected_task
            && let Some(row) = self.rows.iter().position(|row| *row == Row::Task(task))
        {
            self.selected = row;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.keep_selection_visible();
    }

    fn select_first_task(&mut self) {
        if let Some(row) = self.rows.iter().position(|row| matches!(row, Row::Task(_))) {
            self.selected = row;
        }
    }

    pub fn selected_task(&self) -> Option<usize> {
        match self.rows.get(self.selected) {
            Some(Row::Task(task)) => Some(*task),
            _ => None,
        }
    }

    fn selected_task_id(&self) -> Option<String> {
        self.selected_task()
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
        self.show_details && self.size.1 >= 22
    }

    fn keep_selection_visible(&mut self) {
        let visible = self.visible_rows();
        if self.selected < self.row_offset {
            self.row_offset = self.selected;
        } else if self.selected >= self.row_offset + visible {
            self.row_offset = self.selected + 1 - visible;
        }
        let max_offset = self.rows.len().saturating_sub(visible);
        self.row_offset = self.row_offset.min(max_offset);
    }

    fn select(&mut self, row: usize) {
        self.selected = row.min(self.rows.len().saturating_sub(1));
        self.keep_selection_visible();
    }

    fn say(&mut self, level: Level, text: impl Into<String>) {
        self.message = Some((level, text.into()));
    }

    /// The single place state changes.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Resize { width, height } => {
                self.size = (width, height);
                self.keep_selection_visible();
            }
            Action::Tick => {}
            Action::FileChanged(text) => self.file_changed(text),
            Action::Click { column, row } => self.click(column, row),
            Action::ScrollRows(delta) => {
                let target = self.selected as i64 + delta;
                self.select(target.max(0) as usize);
            }
            Action::Command(command) => self.command(command),
            Action::Key(key) => self.key(key),
        }
        self.refresh_dashboard();
        if self.pane == Pane::Checkin {
            self.ensure_checkin();
        }
    }

    fn key(&mut self, key: KeyEvent) {
        let mode = std::mem::replace(&mut self.mode, Mode::Normal);
        self.mode = match mode {
            Mode::Normal => {
                // A fresh key clears the last message.
                if let Some(command) = self.config.keymap.command(Key::from_event(key)) {
                    self.message = None;
                    self.command(command);
                }
                return;
            }
            Mode::Help { scroll } => match key.code {
                KeyCode::Char('j') | KeyCode::Down => Mode::Help { scroll: scroll + 1 },
                KeyCode::Char('k') | KeyCode::Up => Mode::Help {
                    scroll: scroll.saturating_sub(1),
                },
                KeyCode::PageDown => Mode::Help {
                    scroll: scroll + 10,
                },
                KeyCode::PageUp => Mode::Help {
                    scroll: scroll.saturating_sub(10),
                },
                _ => Mode::Normal,
            },
            Mode::CommandLine(mut input) => match input.handle(key) {
                InputOutcome::Submit => {
                    self.run_command_line(input.text.trim());
                    return;
                }
                InputOutcome::Cancel => Mode::Normal,
                _ => Mode::CommandLine(input),
            },
            Mode::Search(mut input) if self.pane == Pane::Risks => match input.handle(key) {
                InputOutcome::Submit => Mode::Normal,
                InputOutcome::Cancel => {
                    self.risks.filter = None;
                    Mode::Normal
                }
                InputOutcome::Changed => {
                    self.risks.filter =
                        Some(input.text.trim().to_owned()).filter(|q| !q.is_empty());
                    self.risks.selected = 0;
                    Mode::Search(input)
                }
                _ => Mode::Search(input),
            },
            Mode::Search(mut input) => match input.handle(key) {
                InputOutcome::Submit => {
                    let query = input.text.trim().to_owned();
                    self.search = (!query.is_empty()).then_some(query);
                    self.search_step(true, true);
                    Mode::Normal
                }
                InputOutcome::Cancel => Mode::Normal,
                InputOutcome::Changed => {
                    self.search = Some(input.text.clone()).filter(|q| !q.is_empty());
                    self.search_step(true, true);
                    Mode::Search(input)
                }
                _ => Mode::Search(input),
            },
            Mode::SaveAs(mut input) => match input.handle(key) {
                InputOutcome::Submit => {
                    let path = PathBuf::from(input.text.trim());
                    self.save_as(&path, false);
                    return;
                }
                InputOutcome::Cancel => Mode::Normal,
                _ => Mode::SaveAs(input),
            },
            Mode::LogHours { task, mut input } => match input.handle(key) {
                InputOutcome::Submit => {
                    self.log_hours(&task, input.text.trim());
                    return;
                }
                InputOutcome::Cancel => Mode::Normal,
                _ => Mode::LogHours { task, input },
            },
            Mode::Problems { selected } => {
                let count = self.file.diagnostics.len();
                match key.code {
                    KeyCode::Char('j') | KeyCode::Down => Mode::Problems {
                        selected: (selected + 1).min(count.saturating_sub(1)),
                    },
                    KeyCode::Char('k') | KeyCode::Up => Mode::Problems {
                        selected: selected.saturating_sub(1),
                    },
                    KeyCode::Enter => {
                        self.jump_to_problem(selected);
                        Mode::Normal
                    }
                    _ => Mode::Normal,
                }
            }
            Mode::CheckinLine(mut input) => match input.handle(key) {
                InputOutcome::Submit => {
                    if let Some(editor) = &mut self.checkin {
                        editor.set_selected(input.text.trim().to_owned());
                    }
                    Mode::Normal
                }
                InputOutcome::Cancel => Mode::Normal,
                _ => Mode::CheckinLine(input),
            },
            Mode::RiskForm(form) => match self.risk_form_key(form, key) {
                Some(form) => Mode::RiskForm(form),
                None => return,
            },
            Mode::Form(form) => match self.form_key(form, key) {
                Some(form) => Mode::Form(form),
                None => return,
            },
            Mode::Confirm(confirm) => match self.confirm_key(confirm, key) {
                Some(confirm) => Mode::Confirm(confirm),
                None => return,
            },
        };
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Quit => {
                if self.modified {
                    self.mode = Mode::Confirm(Confirm::QuitUnsaved);
                } else {
                    self.quit = true;
                }
            }
            Command::Help => self.mode = Mode::Help { scroll: 0 },
            Command::NextPane => self.pane = Pane::ALL[(self.pane.index() + 1) % Pane::ALL.len()],
            Command::PreviousPane => {
                self.pane = Pane::ALL[(self.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
            }
            Command::Pane(number) => {
                if let Some(pane) = Pane::ALL.get(usize::from(number).saturating_sub(1)) {
                    self.pane = *pane;
                }
            }
            Command::Cancel => {
                self.mode = Mode::Normal;
                self.message = None;
            }
            Command::Save => self.save(),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::CommandLine => self.mode = Mode::CommandLine(LineInput::default()),
            Command::Filter => self.mode = Mode::CommandLine(LineInput::new("filter ")),
            _ if self.pane == Pane::Risks => self.risk_command(command),
            _ if self.pane == Pane::Plan => self.plan_command(command),
            _ if self.pane == Pane::Checkin => self.checkin_command(command),
            _ if self.pane == Pane::Dashboard => self.dashboard_command(command),
            _ if self.pane != Pane::Gantt => {}
            Command::Down => self.select(self.selected + 1),
            Command::Up => self.select(self.selected.saturating_sub(1)),
            Command::PageDown => self.select(self.selected + self.visible_rows()),
            Command::PageUp => self.select(self.selected.saturating_sub(self.visible_rows())),
            Command::First => self.select(0),
            Command::Last => self.select(self.rows.len().saturating_sub(1)),
            Command::ScrollLeft => self.scroll_time(-1),
            Command::ScrollRight => self.scroll_time(1),
            Command::Today => {
                let before = self.visible_days() / 4;
                self.view_start = self
                    .today
                    .checked_sub_days(Days::new(before as u64))
                    .unwrap_or(self.today);
            }
            Command::ZoomIn => self.set_zoom(match self.zoom {
                Zoom::Month => Zoom::Week,
                _ => Zoom::Day,
            }),
            Command::ZoomOut => self.set_zoom(match self.zoom {
                Zoom::Day => Zoom::Week,
                _ => Zoom::Month,
            }),
            Command::Search => self.mode = Mode::Search(LineInput::default()),
            Command::SearchNext => self.search_step(true, false),
            Command::SearchPrevious => self.search_step(false, false),
            Command::ToggleCollapse => self.toggle_fold(),
            Command::ToggleCollapseAll => self.toggle_fold_all(),
            Command::ToggleDetails => {
                self.show_details = !self.show_details;
                self.keep_selection_visible();
            }
            Command::Edit => match self.rows.get(self.selected) {
                Some(Row::Phase { .. }) => self.toggle_fold(),
                Some(Row::Task(task)) => {
                    self.mode = Mode::Form(TaskForm::new(&self.file.plan.tasks[*task]))
                }
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
            Command::CycleStatus => {
                if let Some(task) = self.selected_task() {
                    let next = match self.file.plan.tasks[task].status {
                        TaskStatus::Todo => TaskStatus::Doing,
                        TaskStatus::Doing => TaskStatus::Done,
                        TaskStatus::Done | TaskStatus::Blocked => TaskStatus::Todo,
                    };
                    self.set_status(task, next);
                }
            }
            Command::ToggleBlocked => {
                if let Some(task) = self.selected_task() {
                    let next = if self.file.plan.tasks[task].status == TaskStatus::Blocked {
                        TaskStatus::Doing
                    } else {
                        TaskStatus::Blocked
                    };
                    self.set_status(task, next);
                }
            }
            Command::ProgressUp => self.step_progress(10),
            Command::ProgressDown => self.step_progress(-10),
            Command::LogHours => {
                if let Some(task) = self.selected_task_id() {
                    self.mode = Mode::LogHours {
                        task,
                        input: LineInput::default(),
                    };
                }
            }
            Command::SortNext
            | Command::SortReverse
            | Command::CloseRisk
            | Command::ReviewRisk
            | Command::EscalateRisk
            | Command::Record => {}
        }
    }

    fn plan_command(&mut self, command: Command) {
        let page = self.visible_rows().max(1);
        match command {
            Command::Down => self.plan_scroll += 1,
            Command::Up => self.plan_scroll = self.plan_scroll.saturating_sub(1),
            Command::PageDown => self.plan_scroll += page,
            Command::PageUp => self.plan_scroll = self.plan_scroll.saturating_sub(page),
            Command::First => self.plan_scroll = 0,
            Command::Last => self.plan_scroll = usize::MAX / 2,
            _ => {}
        }
        // Keep the scroll within the page so Up works at once after Last.
        let length = crate::ui::plan_lines(&self.file.plan, &self.config.theme);
        let height = usize::from(self.size.1.saturating_sub(2));
        self.plan_scroll = self.plan_scroll.min(length.saturating_sub(height));
    }

    /// Days the time axis shows at the current size and zoom.
    pub fn visible_days(&self) -> i64 {
        let columns = i64::from(
            self.size
                .0
                .saturating_sub(crate::ui::gantt::label_width(self.size.0)),
        );
        columns * self.zoom.days_per_column() / self.zoom.columns_per_day()
    }

    fn scroll_time(&mut self, direction: i64) {
        let step = (self.visible_days() / 4).max(1) * direction;
        let moved = if step >= 0 {
            self.view_start.checked_add_days(Days::new(step as u64))
        } else {
            self.view_start.checked_sub_days(Days::new((-step) as u64))
        };
        if let Some(date) = moved {
            self.view_start = date;
        }
    }

    fn set_zoom(&mut self, zoom: Zoom) {
        // Keep the selected task (or the middle of the view) in view.
        let anchor = match (self.selected_task(), &self.schedule) {
            (Some(task), Ok(schedule)) => schedule.tasks[task].start,
            _ => self.view_start + Days::new((self.visible_days() / 2) as u64),
        };
        self.zoom = zoom;
        let before = (self.visible_days() / 4) as u64;
        self.view_start = anchor.checked_sub_days(Days::new(before)).unwrap_or(anchor);
    }

    fn toggle_fold(&mut self) {
        let phase = match self.rows.get(self.selected) {
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
        if !self.folded.remove(&phase) {
            self.folded.insert(phase);
        }
        self.rebuild_rows();
        if self.folded.contains(&phase)
            && let Some(row) = self
                .rows
                .iter()
                .position(|row| matches!(row, Row::Phase { phase: p, .. } if *p == phase))
        {
            self.select(row);
        }
    }

    fn toggle_fold_all(&mut self) {
        if self.folded.is_empty() {
            self.folded = (0..self.file.plan.phases.len())
                .map(Some)
                .chain([None])
                .collect();
        } else {
            self.folded.clear();
        }
        self.rebuild_rows();
    }

    fn search_step(&mut self, forward: bool, include_current: bool) {
        let Some(query) = self.search.clone() else {
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
        let count = self.rows.len();
        if count == 0 {
            return;
        }
        let start = if include_current { 0 } else { 1 };
        for step in start..=count {
            let row = if forward {
                (self.selected + step) % count
            } else {
                (self.selected + count * 2 - step) % count
            };
            if matches(&self.rows[row]) {
                self.select(row);
                return;
            }
        }
        let hidden = if self.filter.is_empty() && self.folded.is_empty() {
            ""
        } else {
            " among the shown tasks"
        };
        self.say(
            Level::Warning,
            format!("no task matches \"{query}\"{hidden}"),
        );
    }

    fn set_status(&mut self, task: usize, status: TaskStatus) {
        let id = self.file.plan.tasks[task].id.value.clone();
        let mut edits = vec![Edit::SetTask {
            task: id.clone(),
            field: TaskField::Status,
            value: Some(status.as_str().into()),
        }];
        if status == TaskStatus::Done && self.file.plan.tasks[task].progress != 100 {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::Progress,
                value: Some(100.into()),
            });
        }
        // Back to todo from done: the work is not finished after all.
        if status == TaskStatus::Todo
            && self.file.plan.tasks[task].status == TaskStatus::Done
            && self.file.plan.tasks[task].progress == 100
        {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::Progress,
                value: Some(0.into()),
            });
        }
        if status == TaskStatus::Blocked && self.file.plan.tasks[task].blocked_since.is_none() {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::BlockedSince,
                value: Some(crate::store::toml_date(self.today)),
            });
        }
        if status != TaskStatus::Blocked && self.file.plan.tasks[task].blocked_since.is_some() {
            edits.push(Edit::SetTask {
                task: id.clone(),
                field: TaskField::BlockedSince,
                value: None,
            });
        }
        if self.apply(edits) {
            self.say(Level::Info, format!("{id}: {}", status.as_str()));
        }
    }

    fn step_progress(&mut self, delta: i64) {
        let Some(task) = self.selected_task() else {
            return;
        };
        let current = i64::from(self.file.plan.tasks[task].progress);
        let next = ((current + delta) / 10 * 10).clamp(0, 100);
        if next == current {
            return;
        }
        let id = self.file.plan.tasks[task].id.value.clone();
        if self.apply(vec![Edit::SetTask {
            task: id.clone(),
            field: TaskField::Progress,
            value: Some(next.into()),
        }]) {
            self.say(Level::Info, format!("{id}: {next}% done"));
        }
    }

    fn add_task(&mut self) {
        let plan = &self.file.plan;
        let mut number = plan.tasks.len() + 1;
        let id = loop {
            let candidate = format!("task-{number}");
            if plan.task(&candidate).is_none() {
                break candidate;
            }
            number += 1;
        };
        let after = self
            .selected_task()
            .map(|task| plan.tasks[task].id.value.clone());
        let phase = match self.rows.get(self.selected) {
            Some(Row::Task(task)) => plan.tasks[*task].phase.as_ref().map(|p| p.id.value.clone()),
            Some(Row::Phase {
                phase: Some(phase), ..
            }) => Some(plan.phases[*phase].id.value.clone()),
            _ => None,
        };
        // After the last task of a phase header's group, or at the end.
        let after = after.or_else(|| {
            let phase_index = match self.rows.get(self.selected) {
                Some(Row::Phase { phase, .. }) => *phase,
                _ => None,
            };
            plan.tasks
                .iter()
                .rev()
                .find(|task| {
                    task.phase.as_ref().and_then(|p| p.index) == phase_index
                        && phase_index.is_some()
                })
                .map(|task| task.id.value.clone())
        });
        let mut table = toml_edit::Table::new();
        table.insert("id", toml_edit::value(id.as_str()));
        table.insert("name", toml_edit::value("New task"));
        if let Some(phase) = phase {
            table.insert("phase", toml_edit::value(phase));
        }
        table.insert("duration", toml_edit::value(1));
        if self.apply(vec![Edit::Add {
            kind: EntityKind::Task,
            after,
            table,
        }]) {
            self.folded.clear();
            self.rebuild_rows();
            if let Some(index) = self.file.plan.task_index(&id)
                && let Some(row) = self.rows.iter().position(|row| *row == Row::Task(index))
            {
                self.select(row);
                self.mode = Mode::Form(TaskForm::new(&self.file.plan.tasks[index]));
            }
            self.say(
                Level::Info,
                format!("added {id}; Esc keeps it as it is, u removes it"),
            );
        }
    }

    fn move_task(&mut self, direction: i64) {
        let Some(task) = self.selected_task() else {
            return;
        };
        let plan = &self.file.plan;
        let phase = plan.tasks[task].phase.as_ref().and_then(|p| p.index);
        // The neighbour within the same phase, in file order.
        let neighbour = if direction > 0 {
            (task + 1..plan.tasks.len())
                .find(|&i| plan.tasks[i].phase.as_ref().and_then(|p| p.index) == phase)
        } else {
            (0..task)
                .rev()
                .find(|&i| plan.tasks[i].phase.as_ref().and_then(|p| p.index) == phase)
        };
        let Some(neighbour) = neighbour else {
            return;
        };
        let id = plan.tasks[task].id.value.clone();
        self.apply(vec![Edit::Move {
            kind: EntityKind::Task,
            id,
            index: neighbour,
        }]);
    }

    fn log_hours(&mut self, task: &str, text: &str) {
        let (hours_text, note) = match text.split_once(char::is_whitespace) {
            Some((hours, note)) => (hours, Some(note.trim())),
            None => (text, None),
        };
        let hours: f64 = match hours_text.parse() {
            Ok(hours) if hours > 0.0 && hours <= 24.0 => hours,
            _ => {
                self.say(Level::Error, format!("`{hours_text}` is not a number of hours from 0 to 24; type e.g. 6 sandbox setup"));
                self.mode = Mode::LogHours {
                    task: task.to_owned(),
                    input: LineInput::new(text),
                };
                return;
            }
        };
        let date = self.today.min(
            self.file
                .plan
                .project
                .status_date
                .unwrap_or(self.today)
                .max(self.today),
        );
        let mut table = toml_edit::Table::new();
        table.insert(
            "date",
            toml_edit::Item::Value(crate::store::toml_date(date)),
        );
        table.insert("task", toml_edit::value(task));
        table.insert("hours", toml_edit::value(hours));
        if let Some(note) = note.filter(|n| !n.is_empty()) {
            table.insert("note", toml_edit::value(note));
        }
        if self.apply(vec![Edit::Add {
            kind: EntityKind::Log,
            after: None,
            table,
        }]) {
            self.say(
                Level::Info,
                format!("logged {hours} h on {task} for {date}"),
            );
        }
    }

    fn goto(&mut self, id: &str) {
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
        let row = self.rows.iter().position(|row| *row == Row::Task(task));
        let row = match row {
            Some(row) => row,
            None => {
                // Hidden by a filter or a fold: show everything.
                self.filter = Filter::default();
                self.folded.clear();
                self.rebuild_rows();
                match self.rows.iter().position(|row| *row == Row::Task(task)) {
                    Some(row) => row,
                    None => return,
                }
            }
        };
        self.select(row);
        if let Ok(schedule) = &self.schedule {
            let start = schedule.tasks[task].start;
            let before = (self.visible_days() / 4) as u64;
            self.view_start = start.checked_sub_days(Days::new(before)).unwrap_or(start);
        }
    }

    fn set_filter(&mut self, argument: &str) {
        let mut filter = Filter::default();
        for part in argument.split_whitespace() {
            let Some((key, value)) = part.split_once('=') else {
                self.say(
                    Level::Error,
                    format!("`{part}`: write phase=ID, owner=ID or status=todo|doing|done|blocked"),
                );
                return;
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
                        format!("cannot filter by `{key}`: use phase, owner or status"),
                    );
                    return;
                }
            }
        }
        self.filter = filter;
        self.rebuild_rows();
        if self.filter.is_empty() {
            self.say(Level::Info, "showing every task");
        } else {
            let shown = self
                .rows
                .iter()
                .filter(|r| matches!(r, Row::Task(_)))
                .count();
            self.say(
                Level::Info,
                format!(
                    "filter {}: {shown} task(s); :filter alone clears it",
                    self.filter.describe()
                ),
            );
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        if row == 0 {
            // The pane bar: each title is a button.
            let mut x = 0u16;
            for (index, pane) in Pane::ALL.iter().enumerate() {
                let width = crate::ui::pane_label(index, *pane).chars().count() as u16;
                if column >= x && column < x + width {
                    self.pane = *pane;
                    return;
                }
                x += width;
            }
            return;
        }
        if self.pane != Pane::Gantt || !matches!(self.mode, Mode::Normal) {
            return;
        }
        // Task rows start under the pane bar and the time axis.
        let first = 2u16;
        if row < first {
            return;
        }
        let index = self.row_offset + usize::from(row - first);
        if index < self.rows.len() && (usize::from(row - first)) < self.visible_rows() {
            self.select(index);
        }
    }
}

/// A key with no modifiers, for tests and scripted input.
pub fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Every character of `text` as a key press.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}
