//! New plans from other tools' files. Each format is a module with a pure
//! function from the file's text to the text of a new, commented plan and
//! the warnings for whatever the plan cannot hold: [`csv`] reads the task
//! table that `gantry export --to csv` writes, [`mspdi`] Microsoft Project
//! XML (MS Project, ProjectLibre, GanttProject).

pub mod csv;
pub mod mspdi;
mod xml;

pub use mspdi::from_mspdi;

use chrono::NaiveDate;

/// Something in the input that the new plan does not hold as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The input's line, when the warning is about one row.
    pub line: Option<u64>,
    pub message: String,
}

/// A new plan, as the text of its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub text: String,
    pub warnings: Vec<Warning>,
}

/// Why the input gives no plan at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
    #[error("{0}")]
    NotATable(String),
}

/// What a new plan needs that the input may not say.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    /// The project's name, when the input has none (the file's name).
    pub name: String,
    /// The project's start, when the input has no date at all.
    pub start: NaiveDate,
    /// The input's file name, for the plan's opening comment.
    pub source: String,
}

/// `text` as a TOML basic string: quoted, with `"`, `\`, every control
/// character and the bidirectional overrides escaped.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Bidirectional overrides too: a plan file that git or an
            // editor shows should read as it is.
            c if crate::export::is_hostile(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(
            toml_string("a\"b\\c\nd\u{1b}"),
            "\"a\\\"b\\\\c\\nd\\u001B\""
        );
        assert_eq!(toml_string("x\u{202E}y\u{200F}"), "\"x\\u202Ey\u{200F}\"");
    }
}
