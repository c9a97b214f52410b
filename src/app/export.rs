//! `:export FORMAT PATH` and `:report PATH`: the files `gantry export` and
//! `gantry report` write, written from the app, with a message saying
//! where. They write beside the plan's saves, never over the plan itself.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::cli::{CsvTable, ExportFormat};
use crate::export::{self, Options};
use crate::metrics::week_monday;
use crate::report;
use crate::store::write_atomically;

use super::{App, Level};

/// The names `:export` takes, as `gantry export --to` does.
fn format_names() -> String {
    ExportFormat::value_variants()
        .iter()
        .filter_map(|format| format.to_possible_value())
        .map(|value| value.get_name().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extensions
                .iter()
                .any(|wanted| extension.eq_ignore_ascii_case(wanted))
        })
}

impl App {
    /// `:export FORMAT PATH`.
    pub(super) fn export_command(&mut self, argument: &str) {
        let (format, path) = match argument.split_once(char::is_whitespace) {
            Some((format, path)) => (format, path.trim()),
            None => (argument, ""),
        };
        let Ok(format) = ExportFormat::from_str(format, true) else {
            let message = if format.is_empty() {
                format!(
                    "usage: :export FORMAT PATH, FORMAT one of {}",
                    format_names()
                )
            } else {
                format!(
                    "`{format}` is not an export format; use one of {}",
                    format_names()
                )
            };
            self.say(Level::Error, message);
            return;
        };
        if path.is_empty() {
            self.say(Level::Error, "give the file to write: :export FORMAT PATH");
            return;
        }
        let path = PathBuf::from(path);
        let Some(schedule) = self.exportable() else {
            return;
        };
        let options = Options {
            // A Mermaid chart for a Markdown file gets its fence.
            markdown: format == ExportFormat::Mermaid && has_extension(&path, &["md", "markdown"]),
            table: CsvTable::Tasks,
            status_date: self.status_date(),
        };
        let text = export::export(&self.file.plan, &schedule, format, &options);
        let name = format
            .to_possible_value()
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default();
        self.write_file(&path, &text, &format!("the {name} export"));
    }

    /// `:report PATH`: HTML for a `.html` or `.htm` name, else Markdown;
    /// the week of the status date.
    pub(super) fn report_command(&mut self, argument: &str) {
        if argument.is_empty() {
            self.say(
                Level::Error,
                "give the file to write: :report PATH (.html for a web page, else Markdown)",
            );
            return;
        }
        let path = PathBuf::from(argument);
        let Some(schedule) = self.exportable() else {
            return;
        };
        let status_date = self.status_date();
        let week = week_monday(status_date);
        let model = report::build(&self.file.plan, &schedule, week, status_date);
        let (text, kind) = if has_extension(&path, &["html", "htm"]) {
            (report::html::render(&model), "HTML")
        } else {
            (report::markdown::render(&model), "Markdown")
        };
        self.write_file(
            &path,
            &text,
            &format!("the {kind} report for the week of {week}"),
        );
    }

    /// The schedule to export, or None (with a message) when the plan has
    /// errors or cannot be scheduled.
    fn exportable(&mut self) -> Option<crate::schedule::Schedule> {
        if self.file.has_errors() {
            self.say(
                Level::Error,
                "the plan has errors, so it cannot be exported yet; :problems lists them",
            );
            return None;
        }
        match &self.schedule {
            Ok(schedule) => Some(schedule.clone()),
            Err(message) => {
                let text = format!("the plan cannot be scheduled: {message}");
                self.say(Level::Error, text);
                None
            }
        }
    }

    fn write_file(&mut self, path: &Path, text: &str, what: &str) {
        let same = match (
            std::fs::canonicalize(path),
            std::fs::canonicalize(&self.file.path),
        ) {
            (Ok(target), Ok(plan)) => target == plan,
            _ => path == self.file.path,
        };
        if same {
            self.say(
                Level::Error,
                format!(
                    "{} is the plan itself; write to another file",
                    path.display()
                ),
            );
            return;
        }
        match write_atomically(path, text.as_bytes()) {
            Ok(()) => {
                let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
                self.say(Level::Info, format!("wrote {what} to {}", shown.display()));
            }
            Err(error) => self.say(
                Level::Error,
                format!("cannot write {}: {error}", path.display()),
            ),
        }
    }
}
