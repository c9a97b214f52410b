//! Plans in other tools' formats. Each format is a module with a pure
//! function from the plan and its schedule to the text of the file:
//! [`mermaid`], [`csv`], [`ics`] and [`json`] for `gantry export`, and
//! [`tjp`] for TaskJuggler and [`mspdi`] for Microsoft Project XML. Every
//! one escapes plan text for its format.

pub mod csv;
pub mod ics;
pub mod json;
pub mod mermaid;
pub mod mspdi;
pub mod tjp;

use std::borrow::Cow;

use chrono::NaiveDate;

pub use mspdi::to_mspdi;
pub use tjp::to_tjp;

use crate::cli::{CsvTable, ExportFormat};
use crate::model::Plan;
use crate::schedule::Schedule;

/// What an export needs besides the plan and its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Mermaid: wrap the chart in a Markdown fence.
    pub markdown: bool,
    /// CSV: which table.
    pub table: CsvTable,
    /// The status date: the plan's, else today. The iCalendar's DTSTAMP.
    pub status_date: NaiveDate,
}

/// The plan in `format`.
pub fn export(plan: &Plan, schedule: &Schedule, format: ExportFormat, options: &Options) -> String {
    match format {
        ExportFormat::Mermaid => mermaid::to_mermaid(plan, schedule, options.markdown),
        ExportFormat::Csv => csv::to_csv(plan, schedule, options.table),
        ExportFormat::Ics => ics::to_ics(plan, schedule, options.status_date),
        ExportFormat::Json => json::to_json(plan, schedule),
        ExportFormat::Tjp => tjp::to_tjp(plan, schedule),
        ExportFormat::Mspdi => mspdi::to_mspdi(plan, schedule),
    }
}

/// Whether a character could act on whoever displays the text: control
/// characters (C0, DEL, C1) and the bidirectional overrides and isolates
/// that can make text read other than it is.
pub fn is_hostile(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Plan text with every hostile character but tab and line feed replaced
/// by U+FFFD, so an escape sequence shows as text and does nothing. A
/// carriage return with its line feed becomes the line feed alone.
pub fn inert_text(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_hostile(c) && c != '\t' && c != '\n')
    {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n");
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_hostile(c) && c != '\t' && c != '\n' {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inert_text_keeps_tabs_and_lines_and_defuses_the_rest() {
        assert!(matches!(inert_text("plain\ttext\nok"), Cow::Borrowed(_)));
        assert_eq!(
            inert_text("a\r\nb\u{1b}[2Jc\u{202E}d\re\u{200F}"),
            "a\nb\u{FFFD}[2Jc\u{FFFD}d\u{FFFD}e\u{200F}"
        );
    }
}
