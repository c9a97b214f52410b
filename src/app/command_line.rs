//! The `:` command line: writing and quitting, reloading, baselines,
//! jumping to a task, filters, zoom, the list of the plan's problems,
//! writing exports and reports, and the milestone trend over the git history.

use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::keymap::Command;
use crate::store::Edit;

use super::{App, Level, Mode, Zoom};

impl App {
    pub(super) fn run_command_line(&mut self, line: &str) {
        let (name, argument) = match line.split_once(char::is_whitespace) {
            Some((name, argument)) => (name, argument.trim()),
            None => (line, ""),
        };
        match name {
            "" => {}
            "w" | "write" if argument.is_empty() => self.save(),
            "w" | "write" => self.save_as_asking(Path::new(argument)),
            "w!" => self.save_as(Path::new(argument), true),
            "q" | "quit" => self.command(Command::Quit),
            "q!" | "quit!" => self.quit = true,
            "wq" | "x" => {
                self.save();
                if !self.modified && self.conflict.is_none() && matches!(self.mode, Mode::Normal) {
                    self.quit = true;
                }
            }
            "e!" | "reload" => self.reload(),
            "baseline" => self.record_baseline(argument),
            "goto" | "g" => self.goto(argument),
            "filter" => self.set_filter(argument),
            "problems" => self.show_problems(),
            "history" | "trend" => self.open_trend(),
            "conflicts" => self.show_conflicts(),
            "zoom" => match argument {
                "day" => self.set_zoom(Zoom::Day),
                "week" => self.set_zoom(Zoom::Week),
                "month" => self.set_zoom(Zoom::Month),
                _ => self.say(Level::Error, "zoom takes day, week or month"),
            },
            "export" => self.export_command(argument),
            "report" => self.report_command(argument),
            "help" => self.mode = Mode::Help { scroll: 0 },
            other => self.say(
                Level::Error,
                format!("unknown command :{other}; try :w :q :q! :wq :e! :baseline :goto ID :filter :problems :conflicts :export :report :history"),
            ),
        }
    }

    /// A key in the list of problems: move, or Enter to jump to one.
    pub(super) fn problems_key(&mut self, selected: usize, key: KeyEvent) -> Mode {
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

    fn show_problems(&mut self) {
        // Edits since the plan was read may have moved lines.
        self.file.locate();
        if self.file.diagnostics.is_empty() {
            self.say(Level::Info, "no problems in this plan");
        } else {
            self.mode = Mode::Problems { selected: 0 };
        }
    }

    /// Selects the task a problem is in: the last task that starts at or
    /// before the problem's line.
    pub(super) fn jump_to_problem(&mut self, index: usize) {
        let Some(problem) = self.file.diagnostics.get(index) else {
            return;
        };
        let line = problem.pos.line;
        let task = self
            .file
            .plan
            .tasks
            .iter()
            .filter(|task| task.pos.line <= line)
            .max_by_key(|task| task.pos.line)
            .map(|task| task.id.value.clone());
        match task {
            Some(id) => self.goto(&id),
            None => self.say(
                Level::Info,
                format!("line {line} is outside the tasks: edit it in the file"),
            ),
        }
    }

    pub(super) fn record_baseline(&mut self, name: &str) {
        let Ok(schedule) = &self.schedule else {
            self.say(
                Level::Error,
                "the plan cannot be scheduled, so there are no dates to record",
            );
            return;
        };
        let name = (!name.is_empty()).then(|| name.to_owned());
        let edits: Vec<Edit> = self
            .file
            .plan
            .tasks
            .iter()
            .zip(&schedule.tasks)
            .map(|(task, dates)| Edit::SetBaseline {
                task: task.id.value.clone(),
                name: name.clone(),
                baseline: crate::model::Baseline {
                    start: dates.start,
                    finish: dates.finish,
                },
            })
            .collect();
        let count = edits.len();
        if self.apply(edits) {
            self.say(
                Level::Info,
                format!("recorded the baseline of {count} task(s)"),
            );
        }
    }
}
