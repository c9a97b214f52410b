//! The app's state and the one function that changes it, `update`.
//!
//! Nothing here draws or reads the terminal: `run` (in `app/run.rs`) turns
//! terminal events into [`Action`]s, and `ui` draws a frame from `&App`.
//! Tests drive the app with `app.update(Action::...)` and no terminal.

pub mod checkin;
mod command_line;
mod confirm;
mod conflicts;
pub mod dashboard;
mod export;
mod file;
mod form;
pub mod gantt;
mod history;
mod input;
pub mod plan;
mod record_form;
pub mod recovery;
mod risk_form;
pub mod risks;
pub mod run;
mod task_form;
pub mod trend;

use std::path::PathBuf;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::Config;
use crate::keymap::{Command, Key};
use crate::schedule::Schedule;
use crate::store::{Edit, PlanFile};

pub use crate::layout::{DETAIL_ROWS, MIN_SIZE};
pub use checkin::CheckinEditor;
pub use confirm::Confirm;
pub use dashboard::{Dashboard, DashboardPane};
pub use form::FormField;
pub use gantt::{Filter, GanttPane, Row, Zoom};
pub use input::{InputOutcome, LineInput};
pub use plan::{PlanDialog, PlanForm, PlanPane};
pub use record_form::{RecordForm, RecordKind, record_field_help};
pub use risk_form::{RiskForm, RiskFormField, risk_field_help, risk_field_text};
pub use risks::RiskView;
pub use task_form::{FORM_FIELDS, TaskForm, field_text, fuzzy_matches};
pub use trend::{TrendData, TrendLayout, TrendState, trend_layout};

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

    /// `" 1 Gantt "`: the pane's label in the bar (also its click target).
    pub fn label(self) -> String {
        format!(" {} {} ", self.index() + 1, self.title())
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
    /// A record with a date to write: a log entry, blocked, reviewed.
    RecordForm(RecordForm),
    /// The log entries of a task, one selected.
    TimeLog {
        task: String,
        selected: usize,
    },
    /// Where to write a plan that has no file yet (the demo) or a copy.
    SaveAs(LineInput),
    Confirm(Confirm),
    /// The plan's problems, one selected; Enter jumps to it.
    Problems {
        selected: usize,
    },
    /// The milestone trend over the plan's git history; `scroll` is the
    /// first commit shown, `None` to show the latest.
    Trend {
        scroll: Option<usize>,
    },
    /// The merge conflicts recorded in the plan, one selected.
    Conflicts {
        selected: usize,
    },
    /// Lines to read (every warning about the settings file); any key
    /// closes it and goes on to `then`.
    Notice {
        title: String,
        lines: Vec<String>,
        then: Box<Mode>,
    },
    /// A form or question of the Plan pane.
    Plan(plan::PlanDialog),
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
    pub gantt: GanttPane,
    pub risks: RiskView,
    /// The Plan pane (the plan itself is `file.plan`).
    pub plan: PlanPane,
    pub dashboard: DashboardPane,
    /// The shown week's check-in as it is being written.
    pub checkin: Option<CheckinEditor>,
    /// The week the Check-in pane shows, when not the status date's.
    checkin_week: Option<NaiveDate>,
    /// Edited drafts of weeks not shown now, kept until recorded.
    checkin_stash: Vec<CheckinEditor>,
    /// The milestone trend over the git history, once asked for.
    pub trend: TrendState,
    pub undo: Vec<Vec<Edit>>,
    pub redo: Vec<Vec<Edit>>,
    /// Beside each undo and redo group: the check-in draft it changed, as
    /// it was before (a draft step has no edits).
    undo_drafts: Vec<Option<CheckinEditor>>,
    redo_drafts: Vec<Option<CheckinEditor>>,
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
    /// The named baseline the schedule is compared with; None for each
    /// task's default `baseline`.
    pub baseline: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    /// Quit once the save-as prompt has written the plan ("save and quit"
    /// of the demo).
    quit_after_save: bool,
    /// A file the save-as prompt was told exists: Enter on it again replaces it.
    replace_confirmed: Option<PathBuf>,
    /// The task whose time log a record form was opened from.
    time_log_open_for: Option<String>,
    /// Actions that came while the editable document was still being
    /// parsed, to apply in order once it is there (see `defer`).
    waiting: Vec<Action>,
}

/// How long an action waits quietly for the editable document before it is
/// queued behind a message.
const QUIET_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// The message shown while actions wait for the editable document.
const GETTING_READY: &str = "getting the plan ready for editing…";

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
            gantt: GanttPane::new(today),
            risks: RiskView::default(),
            plan: PlanPane::default(),
            dashboard: DashboardPane::default(),
            checkin: None,
            checkin_week: None,
            checkin_stash: Vec::new(),
            trend: TrendState::Idle,
            undo: Vec::new(),
            redo: Vec::new(),
            undo_drafts: Vec::new(),
            redo_drafts: Vec::new(),
            undo_ids: Vec::new(),
            redo_ids: Vec::new(),
            next_state: 0,
            saved_state: 0,
            modified: false,
            message: None,
            conflict: None,
            baseline: None,
            size: (80, 24),
            quit: false,
            quit_after_save: false,
            replace_confirmed: None,
            time_log_open_for: None,
            waiting: Vec::new(),
        };
        app.reschedule();
        app.rebuild_rows();
        app.select_opening_row();
        app.gantt.view_start = app.default_view_start();
        if !app.file.plan.conflicts.is_empty() {
            let count = app.file.plan.conflicts.len();
            app.message = Some((
                Level::Warning,
                format!(
                    "{count} merge conflict(s) to resolve: o keeps ours, t takes theirs, b the base"
                ),
            ));
            app.mode = Mode::Conflicts { selected: 0 };
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
        // Every warning about the settings, read first; the plan's own
        // questions follow.
        match app.config.warnings.as_slice() {
            [] => {}
            [warning] => app.message = Some((Level::Warning, warning.clone())),
            warnings => {
                let count = warnings.len();
                app.message = Some((
                    Level::Warning,
                    format!(
                        "{count} warnings about the settings: {}",
                        warnings.join("; ")
                    ),
                ));
                let then = std::mem::replace(&mut app.mode, Mode::Normal);
                app.mode = Mode::Notice {
                    title: format!("{count} warnings about the settings (any key goes on)"),
                    lines: warnings.to_vec(),
                    then: Box::new(then),
                };
            }
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

    pub fn reschedule(&mut self) {
        self.schedule =
            crate::schedule::schedule_against(&self.file.plan, self.baseline.as_deref()).map_err(
                |error| {
                    let diagnostic = error.diagnostic(&self.file.plan);
                    diagnostic.message
                },
            );
        self.gantt.derived =
            gantt::derived::Derived::compute(&self.file.plan, self.schedule.as_ref().ok());
        // The Dashboard's figures are worked out when a pane needs them.
        self.dashboard.figures = None;
        self.plan.impacts = None;
        self.plan.review = None;
        self.refresh_dashboard();
    }

    fn say(&mut self, level: Level, text: impl Into<String>) {
        self.message = Some((level, text.into()));
    }

    /// The single place state changes.
    pub fn update(&mut self, action: Action) {
        self.poll_trend();
        if self.defer(&action) {
            return;
        }
        if !self.waiting.is_empty() {
            for waiting in std::mem::take(&mut self.waiting) {
                self.handle(waiting);
            }
            if self
                .message
                .as_ref()
                .is_some_and(|(_, text)| text == GETTING_READY)
            {
                self.message = None;
            }
        }
        self.handle(action);
    }

    /// Whether actions are waiting for the editable document.
    pub fn waits_for_document(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// Queues `action` while the editable document is still being parsed
    /// (a large plan opens before it is ready): an action that may edit
    /// waits for it up to `QUIET_WAIT`, then goes in the queue behind a
    /// message, and every action after it too, so that all apply in the
    /// order given, once. Moving around needs no document and never waits.
    fn defer(&mut self, action: &Action) -> bool {
        if matches!(action, Action::Resize { .. }) || self.file.is_editable() {
            return false;
        }
        if self.waiting.is_empty() {
            if matches!(action, Action::Tick) || self.needs_no_document(action) {
                return false;
            }
            if self.file.wait_editable(QUIET_WAIT) {
                return false;
            }
            self.say(Level::Info, GETTING_READY);
        }
        if !matches!(action, Action::Tick) {
            self.waiting.push(action.clone());
        }
        true
    }

    /// Actions that only move around or change the view.
    fn needs_no_document(&self, action: &Action) -> bool {
        let command = match action {
            Action::ScrollRows(_) => return true,
            Action::Command(command) => *command,
            Action::Key(key) if matches!(self.mode, Mode::Normal) => {
                match self.config.keymap.command(Key::from_event(*key)) {
                    Some(command) => command,
                    None => return true,
                }
            }
            _ => return false,
        };
        matches!(
            command,
            Command::Help
                | Command::NextPane
                | Command::PreviousPane
                | Command::Pane(_)
                | Command::Down
                | Command::Up
                | Command::PageDown
                | Command::PageUp
                | Command::First
                | Command::Last
                | Command::ScrollLeft
                | Command::ScrollRight
                | Command::Today
                | Command::StatusDate
                | Command::CycleBaseline
                | Command::ZoomIn
                | Command::ZoomOut
                | Command::ToggleCollapse
                | Command::ToggleCollapseAll
                | Command::ToggleDetails
                | Command::SearchNext
                | Command::SearchPrevious
                | Command::SortNext
                | Command::SortReverse
                | Command::Cancel
                | Command::NextSection
                | Command::PreviousSection
        )
    }

    fn handle(&mut self, action: Action) {
        match action {
            Action::Resize { width, height } => {
                self.size = (width, height);
                self.keep_selection_visible();
            }
            Action::Tick => {}
            Action::FileChanged(text) => self.file_changed(text),
            Action::Click { column, row } => self.click(column, row),
            Action::ScrollRows(delta) => {
                let target = self.gantt.selected as i64 + delta;
                self.select(target.max(0) as usize);
            }
            Action::Command(command) => self.command(command),
            Action::Key(key) => self.key(key),
        }
        self.refresh_dashboard();
        self.refresh_plan_pane();
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
            Mode::Search(input) => match self.pane {
                Pane::Risks => self.risk_search_key(input, key),
                _ => self.task_search_key(input, key),
            },
            Mode::SaveAs(mut input) => match input.handle(key) {
                InputOutcome::Submit => {
                    let path = PathBuf::from(input.text.trim());
                    self.save_as_asking(&path);
                    return;
                }
                InputOutcome::Cancel => {
                    self.quit_after_save = false;
                    self.replace_confirmed = None;
                    self.say(Level::Info, "not saved");
                    Mode::Normal
                }
                _ => Mode::SaveAs(input),
            },
            Mode::RecordForm(form) => match self.record_form_key(form, key) {
                Some(mode) => mode,
                None => return,
            },
            Mode::TimeLog { task, selected } => self.time_log_key(task, selected, key),
            Mode::Problems { selected } => self.problems_key(selected, key),
            Mode::Trend { scroll } => self.trend_key(scroll, key),
            Mode::Conflicts { selected } => self.conflicts_key(selected, key),
            Mode::Notice { then, .. } => *then,
            Mode::CheckinLine(input) => self.checkin_line_key(input, key),
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
            Mode::Plan(dialog) => match self.plan_dialog_key(dialog, key) {
                Some(dialog) => Mode::Plan(dialog),
                None => return,
            },
        };
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Quit => {
                if self.has_unsaved_work() {
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
            Command::Save if !self.modified && !self.unsaved_drafts().is_empty() => {
                self.say(Level::Info, "no plan changes to save; R records the draft")
            }
            Command::Save => self.save(),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::CommandLine => self.mode = Mode::CommandLine(LineInput::default()),
            Command::Filter => self.mode = Mode::CommandLine(LineInput::new("filter ")),
            Command::History => self.open_trend(),
            Command::Conflicts => self.show_conflicts(),
            Command::CycleBaseline => self.cycle_baseline(),
            _ => match self.pane {
                Pane::Gantt => self.gantt_command(command),
                Pane::Risks => self.risk_command(command),
                Pane::Checkin => self.checkin_command(command),
                Pane::Dashboard => self.dashboard_command(command),
                Pane::Plan => self.plan_command(command),
            },
        }
    }

    /// Saves as `path` from the prompt or `:w PATH`: a file that exists is
    /// replaced only when Enter is pressed on it a second time, and "save
    /// and quit" quits once the plan is written.
    fn save_as_asking(&mut self, path: &std::path::Path) {
        let overwrite = self.replace_confirmed.as_deref() == Some(path);
        self.save_as(path, overwrite);
        if matches!(self.mode, Mode::SaveAs(_)) {
            if path.exists() {
                self.replace_confirmed = Some(path.to_owned());
                self.say(
                    Level::Warning,
                    format!(
                        "{} exists: Enter again replaces it, or type another name (Esc cancels)",
                        crate::sanitize::for_terminal(&path.display().to_string())
                    ),
                );
            }
            return;
        }
        self.replace_confirmed = None;
        if self.quit_after_save && !self.modified {
            self.quit = true;
        }
        self.quit_after_save = false;
    }

    fn click(&mut self, column: u16, row: u16) {
        if row == 0 {
            // The pane bar: each title is a button.
            let mut x = 0u16;
            for pane in Pane::ALL {
                let width = pane.label().chars().count() as u16;
                if column >= x && column < x + width {
                    self.pane = pane;
                    return;
                }
                x += width;
            }
            return;
        }
        if self.pane == Pane::Gantt && matches!(self.mode, Mode::Normal) {
            self.click_row(row);
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
