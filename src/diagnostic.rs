//! Problems found in a plan, each pointing at the value that causes it.

use std::fmt;
use std::path::Path;

use crate::model::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in a plan file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pos: Pos,
    pub message: String,
    /// What the problem is about, however the lines around it move.
    pub subject: Subject,
}

/// What a problem is about, independent of where it is written and of the
/// wording of its message: the table, the entity by its id, and the key
/// whose value is wrong. Edits are judged by these (an edit is refused
/// when it adds a problem that was not there before, see
/// `PlanFile::apply`), so a problem keeps its identity when the lines
/// around it move or its message names a new value.
///
/// Entities without an id (log entries, check-ins, and tables whose `id`
/// is missing) are not told apart: their problems are counted together per
/// table and key, so adding, removing or moving one never makes another's
/// problem look new.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subject {
    /// The top-level key of the table: "task", "risk", "project"...; empty
    /// for the file as a whole (a syntax error, a missing `[project]`).
    pub table: &'static str,
    /// The entity's `id` as written (valid or not); None for a section like
    /// `[project]` and for entities without an id.
    pub id: Option<String>,
    /// The key whose value is wrong (`"duration"`, `"depends"`); None for
    /// the table as a whole.
    pub key: Option<&'static str>,
}

impl Subject {
    /// The key `key` of the entity of `table` with this id.
    pub fn entity(table: &'static str, id: &str, key: &'static str) -> Self {
        Subject {
            table,
            id: Some(id.to_owned()),
            key: Some(key),
        }
    }

    /// The key `key` of an entity without an id, or of a section.
    pub fn unnamed(table: &'static str, key: &'static str) -> Self {
        Subject {
            table,
            id: None,
            key: Some(key),
        }
    }
}

impl Diagnostic {
    pub fn error(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pos,
            message: message.into(),
            subject: Subject::default(),
        }
    }

    pub fn warning(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            pos,
            message: message.into(),
            subject: Subject::default(),
        }
    }

    /// The same problem, said to be about `subject`.
    pub fn about(mut self, subject: Subject) -> Self {
        self.subject = subject;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `FILE:LINE:COL: error: MESSAGE`, the form editors and CI understand.
    pub fn display<'a>(&'a self, path: &'a Path) -> impl fmt::Display + 'a {
        DisplayWithPath {
            diagnostic: self,
            path,
        }
    }
}

struct DisplayWithPath<'a> {
    diagnostic: &'a Diagnostic,
    path: &'a Path,
}

impl fmt::Display for DisplayWithPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        // Messages quote values already made safe; the path and anything
        // else pass through the same sanitising once more, to be sure.
        write!(
            f,
            "{}:{}:{}: {}: {}",
            crate::sanitize::path(self.path),
            d.pos.line.max(1),
            d.pos.col.max(1),
            d.severity.as_str(),
            crate::sanitize::for_terminal(&d.message)
        )
    }
}

/// Sorts diagnostics by position, errors before warnings on the same spot.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.pos, d.severity));
}

/// A number as a message writes it: as the file would (`2.5`, `-3`), but
/// with an exponent when that is shorter than the digits (`1e-300`,
/// `1.7e308`), so a message never fills a screen with zeros.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "nan".to_owned()
        } else if value > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    let plain = format!("{value}");
    let exponent = format!("{value:e}");
    if plain.len() > 16 && exponent.len() < plain.len() {
        exponent
    } else {
        plain
    }
}

/// The closest candidate to a misspelt name, when one is close enough to suggest.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    // No id is this long: a value that is (pasted text, say) has no near miss.
    if word.len() > 200 {
        return None;
    }
    for candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// `; did you mean `x`?` or nothing.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match did_you_mean(word, candidates) {
        Some(candidate) => format!("; did you mean `{}`?", crate::sanitize::quote(candidate)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_candidate_only_when_close() {
        assert_eq!(did_you_mean("desgin", ["design", "build"]), Some("design"));
        assert_eq!(did_you_mean("zzz", ["design", "build"]), None);
        assert_eq!(
            suggestion("durtion", ["duration", "depends"]),
            "; did you mean `duration`?"
        );
    }

    #[test]
    fn numbers_are_never_wider_than_a_short_word() {
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(1e-300), "1e-300");
        assert_eq!(number(1.7e308), "1.7e308");
        assert_eq!(number(123456789.0), "123456789");
        assert_eq!(number(f64::NAN), "nan");
        for value in [f64::MIN_POSITIVE, f64::MAX, -f64::MAX, 5e-324, 0.1 + 0.2] {
            assert!(number(value).len() <= 24, "{value}: {}", number(value));
        }
    }

    #[test]
    fn displays_in_the_compiler_form() {
        let d = Diagnostic::error(Pos { line: 3, col: 7 }, "bad");
        assert_eq!(
            d.display(Path::new("p.toml")).to_string(),
            "p.toml:3:7: error: bad"
        );
    }
}
