//! The milestone trend over the plan's git history, as an overlay. git and
//! a parse of every commit take a while on a long history, so they run on
//! a thread of their own: the overlay says it is reading, and shows the
//! chart once `update` finds the result waiting. A frame never waits.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::git::RepoFile;
use crate::history::{self, Snapshot, Trend};

use super::{App, Level, Mode, Origin};

/// What the history thread sends back: the file's path in its repository
/// and its commits, or why they could not be read.
type Outcome = Result<(String, Vec<Snapshot>), String>;

/// The trend overlay's data.
#[derive(Debug, Default)]
pub enum TrendState {
    /// Not asked for yet.
    #[default]
    Idle,
    /// Reading the history on another thread.
    Loading(Receiver<Outcome>),
    Ready(TrendData),
    Failed(String),
}

/// A history ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendData {
    /// The plan's path in its repository.
    pub path: String,
    /// The commits oldest first, then (when it differs from the last
    /// commit) the plan as it stands now.
    pub snapshots: Vec<Snapshot>,
    pub trend: Trend,
    /// How many of `snapshots` are commits.
    pub commits: usize,
}

impl TrendData {
    /// The history of `path` in `commits`, with the plan as it stands now
    /// added when its milestones differ from the last commit's.
    pub fn new(path: String, mut commits: Vec<Snapshot>, now: Option<Snapshot>) -> TrendData {
        let count = commits.len();
        if let Some(now) = now {
            let same = commits
                .last()
                .is_some_and(|last| last.milestones == now.milestones && last.finish == now.finish);
            if !same {
                commits.push(now);
            }
        }
        let trend = history::trend(&commits, &[]);
        TrendData {
            path,
            snapshots: commits,
            trend,
            commits: count,
        }
    }
}

impl TrendState {
    pub fn is_loading(&self) -> bool {
        matches!(self, TrendState::Loading(_))
    }
}

impl App {
    /// Opens the overlay, reading the history the first time.
    pub(super) fn open_trend(&mut self) {
        if !matches!(self.trend, TrendState::Ready(_) | TrendState::Loading(_)) {
            self.load_trend();
        }
        self.mode = Mode::Trend { scroll: None };
    }

    /// Starts reading the history afresh.
    fn load_trend(&mut self) {
        if self.origin == Origin::Demo {
            self.trend = TrendState::Failed(
                "the demo plan is not in git: save it in a repository and commit it to see its history"
                    .to_owned(),
            );
            return;
        }
        let path = self.file.path.clone();
        let (sender, receiver) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("history".to_owned())
            .spawn(move || {
                let outcome = RepoFile::locate(&path)
                    .and_then(|file| Ok((file.path.clone(), history::collect(&file, None)?)))
                    .map_err(|error| error.to_string());
                // The app may have quit meanwhile: nobody to tell.
                let _ = sender.send(outcome);
            });
        self.trend = match spawned {
            Ok(_) => TrendState::Loading(receiver),
            Err(error) => TrendState::Failed(format!("cannot start reading the history: {error}")),
        };
    }

    /// Takes the history if the thread has finished; never waits.
    pub(super) fn poll_trend(&mut self) {
        let TrendState::Loading(receiver) = &self.trend else {
            return;
        };
        let outcome = match receiver.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                Err("reading the history stopped unexpectedly".to_owned())
            }
        };
        self.trend = match outcome {
            Ok((path, commits)) => {
                let now =
                    Snapshot::working(&self.file.plan, self.schedule.as_ref().ok(), self.today);
                TrendState::Ready(TrendData::new(path, commits, Some(now)))
            }
            Err(message) => TrendState::Failed(message),
        };
    }

    /// Whether work on another thread is waiting to be picked up: the
    /// event loop then updates more often than once a second.
    pub fn is_waiting(&self) -> bool {
        self.trend.is_loading()
    }

    /// A key in the overlay: scroll the commits, reload, or close.
    pub(super) fn trend_key(&mut self, scroll: Option<usize>, key: KeyEvent) -> Mode {
        let rows = match &self.trend {
            TrendState::Ready(data) => data.snapshots.len(),
            _ => 0,
        };
        // Without a position yet, the view shows the latest commits.
        let visible = self.trend_rows_visible();
        let current = scroll.unwrap_or(rows.saturating_sub(visible));
        let last = rows.saturating_sub(visible);
        let at = |first: usize| Mode::Trend {
            scroll: Some(first.min(last)),
        };
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => at(current + 1),
            KeyCode::Char('k') | KeyCode::Up => at(current.saturating_sub(1)),
            KeyCode::PageDown => at(current + visible.max(1)),
            KeyCode::PageUp => at(current.saturating_sub(visible.max(1))),
            KeyCode::Char('g') | KeyCode::Home => at(0),
            KeyCode::Char('G') | KeyCode::End => at(last),
            KeyCode::Char('r') => {
                self.load_trend();
                self.say(Level::Info, "reading the history again");
                Mode::Trend { scroll: None }
            }
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('H') | KeyCode::Enter => Mode::Normal,
            _ => Mode::Trend { scroll },
        }
    }

    /// How many commit rows the overlay has room for at the current size.
    pub fn trend_rows_visible(&self) -> usize {
        let legend = match &self.trend {
            TrendState::Ready(data) => data.trend.lines.len(),
            _ => 0,
        };
        trend_layout(self.size.1, legend).rows
    }
}

/// How the overlay's inside is divided, by terminal height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendLayout {
    /// Rows for commits.
    pub rows: usize,
    /// Rows for the legend.
    pub legend: usize,
}

/// The overlay fills the screen but for the pane bar and the status line,
/// less its border; inside: a summary line, two axis lines, the commits, a
/// blank line, the legend (at most a third of the room) and a note.
pub fn trend_layout(height: u16, milestones: usize) -> TrendLayout {
    let inner = usize::from(height).saturating_sub(4);
    let room = inner.saturating_sub(3);
    let legend = milestones.min(room / 3);
    let rows = room.saturating_sub(legend + 2 * usize::from(legend > 0));
    TrendLayout { rows, legend }
}
