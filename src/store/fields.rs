//! Typed reading of one TOML table, with a diagnostic for every value that
//! has the wrong type or is out of range, and a warning for unknown keys.

use chrono::NaiveDate;

use crate::diagnostic::{self, Diagnostic, Subject};
use crate::model::{Located, Pos, Ref, is_valid_id};
use crate::sanitize::quote;

use super::source::Source;
use super::tree::{Array, Item, Table};

/// Collects diagnostics while a document is read.
pub struct Reader<'a> {
    pub source: Option<&'a Source<'a>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Which diagnostics each entity table produced: its kind, its index
    /// among the tables of that kind, and the range in `diagnostics`.
    pub owners: Vec<(super::load::EntityKind, usize, std::ops::Range<usize>)>,
    /// The key whose value is being read: problems found are about it
    /// (see `Diagnostic::subject`).
    pub key: Option<&'static str>,
}

impl<'a> Reader<'a> {
    pub fn new(source: Option<&'a Source<'a>>) -> Self {
        Reader {
            source,
            diagnostics: Vec::new(),
            owners: Vec::new(),
            key: None,
        }
    }

    /// The position of a span, or `fallback` when the document carries none
    /// (an edited document).
    pub fn pos(&self, span: Option<std::ops::Range<usize>>, fallback: Pos) -> Pos {
        self.source
            .and_then(|source| source.span_pos(span))
            .unwrap_or(fallback)
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>) {
        let diagnostic = Diagnostic::error(pos, message).about(self.subject());
        self.diagnostics.push(diagnostic);
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>) {
        let diagnostic = Diagnostic::warning(pos, message).about(self.subject());
        self.diagnostics.push(diagnostic);
    }

    /// The key being read; the table and entity are filled in once the
    /// whole table is read.
    fn subject(&self) -> Subject {
        Subject {
            key: self.key,
            ..Subject::default()
        }
    }
}

/// The numbers a key may hold, and how a message says so.
pub struct Range {
    pub min: f64,
    pub max: f64,
    /// Whether `min` itself is allowed (a capacity must be more than 0).
    pub min_allowed: bool,
    /// "from 0 to 1,000,000", said after "it must be".
    pub words: &'static str,
}

impl Range {
    pub fn contains(&self, value: f64) -> bool {
        let above = if self.min_allowed {
            value >= self.min
        } else {
            value > self.min
        };
        above && value <= self.max
    }
}

/// How a message names a number that is not finite.
fn non_finite(number: f64) -> &'static str {
    if number.is_nan() {
        "nan (not a number)"
    } else if number > 0.0 {
        "inf (infinity)"
    } else {
        "-inf (minus infinity)"
    }
}

/// A key's length with its first and last bytes, in one number.
fn fingerprint(key: &str) -> u32 {
    let bytes = key.as_bytes();
    let first = bytes.first().copied().unwrap_or(0);
    let last = bytes.last().copied().unwrap_or(0);
    ((bytes.len().min(0xFFFF) as u32) << 16) | (u32::from(first) << 8) | u32::from(last)
}

/// One table being read: remembers which keys were asked for, so the rest
/// can be reported as unknown.
pub struct Fields<'t, 'r, 'a> {
    pub reader: &'r mut Reader<'a>,
    table: Table<'t>,
    /// The table's keys and values in order, each marked once asked for.
    /// Plan tables hold a handful of keys, so a scan beats hashing each
    /// key asked for (most of which are absent).
    entries: Vec<Entry<'t>>,
    /// Where the table starts: used for missing keys.
    pub pos: Pos,
    /// How messages name this table: "task `api`", "[project]".
    pub what: String,
    known: Vec<&'static str>,
    /// The key of the enclosing table whose value this table is (a
    /// dependency's inline table is part of `depends`), or None for a
    /// top-level table: its problems are about that key.
    scope: Option<&'static str>,
}

struct Entry<'t> {
    key: &'t str,
    /// `fingerprint(key)`: most keys asked for are absent, and comparing
    /// two numbers rules a key out faster than comparing the strings.
    print: u32,
    /// Where the key is, when the tree gave it for free.
    key_span: Option<std::ops::Range<usize>>,
    item: Item<'t>,
    asked: bool,
}

impl<'t, 'r, 'a> Fields<'t, 'r, 'a> {
    pub fn new(
        reader: &'r mut Reader<'a>,
        table: Table<'t>,
        pos: Pos,
        what: impl Into<String>,
    ) -> Self {
        let mut entries = Vec::with_capacity(table.len());
        entries.extend(table.iter().map(|(key, key_span, item)| Entry {
            key,
            print: fingerprint(key),
            key_span,
            item,
            asked: false,
        }));
        let scope = reader.key;
        Fields {
            scope,
            reader,
            table,
            entries,
            pos,
            what: what.into(),
            // Enough for every key of the largest entity, a task.
            known: Vec::with_capacity(24),
        }
    }

    /// Whether the table has `key`.
    pub fn has(&self, key: &str) -> bool {
        let print = fingerprint(key);
        self.entries
            .iter()
            .any(|entry| entry.print == print && entry.key == key)
    }

    /// The value of `key` and where it is, or None when it is absent.
    fn get(&mut self, key: &'static str) -> Option<(Item<'t>, Pos)> {
        self.known.push(key);
        self.reader.key = Some(self.scope.unwrap_or(key));
        let print = fingerprint(key);
        let entry = self
            .entries
            .iter_mut()
            .find(|entry| entry.print == print && entry.key == key)?;
        entry.asked = true;
        let item = entry.item;
        let pos = self.reader.pos(item.span(), self.pos);
        Some((item, pos))
    }

    /// The value of `key` whatever its type, and where it is.
    pub fn any(&mut self, key: &'static str) -> Option<(Item<'t>, Pos)> {
        self.get(key)
    }

    /// Reports a value of the wrong type.
    fn wrong_type(&mut self, key: &str, item: Item<'_>, pos: Pos, expected: &str) {
        let found = item.describe();
        let message = format!("`{key}` in {} must be {expected}, not {found}", self.what);
        self.reader.error(pos, message);
    }

    pub fn missing(&mut self, key: &'static str, example: &str) {
        self.reader.key = Some(self.scope.unwrap_or(key));
        let message = format!("{} has no `{key}`; add one, e.g. {example}", self.what);
        self.reader.error(self.pos, message);
    }

    /// Where a key's value is, or the table's position.
    pub fn pos_of(&self, key: &str) -> Pos {
        let print = fingerprint(key);
        match self
            .entries
            .iter()
            .find(|entry| entry.print == print && entry.key == key)
        {
            Some(entry) => self.reader.pos(entry.item.span(), self.pos),
            None => self.pos,
        }
    }

    pub fn string(&mut self, key: &'static str) -> Option<String> {
        self.located_string(key).map(|located| located.value)
    }

    pub fn located_string(&mut self, key: &'static str) -> Option<Located<String>> {
        let (item, pos) = self.get(key)?;
        match item.as_str() {
            Some(text) => Some(Located::new(text.to_owned(), pos)),
            None => {
                self.wrong_type(key, item, pos, "a string in quotes");
                None
            }
        }
    }

    pub fn required_string(&mut self, key: &'static str, example: &str) -> Option<String> {
        let present = self.has(key);
        let value = self.string(key);
        if !present {
            self.missing(key, example);
        }
        value
    }

    /// The entity's id: present and a string. An id with characters an id
    /// may not hold is reported and still returned.
    pub fn id(&mut self) -> Option<Located<String>> {
        if !self.has("id") {
            self.known.push("id");
            self.missing("id", "id = \"build\"");
            return None;
        }
        let id = self.located_string("id")?;
        if !is_valid_id(&id.value) {
            let message = format!(
                "id `{}` may hold only ASCII letters, digits, '-', '_' and '.'",
                quote(&id.value)
            );
            // Kept as written, so the entity can be shown and its id fixed;
            // validation does not let references resolve to it.
            self.reader.error(id.pos, message);
        }
        Some(id)
    }

    /// A reference to another entity by id.
    pub fn reference(&mut self, key: &'static str) -> Option<Ref> {
        self.located_string(key).map(Ref::new)
    }

    pub fn reference_array(&mut self, key: &'static str) -> Vec<Ref> {
        self.located_string_array(key)
            .into_iter()
            .map(Ref::new)
            .collect()
    }

    pub fn integer(&mut self, key: &'static str) -> Option<Located<i64>> {
        let (item, pos) = self.get(key)?;
        match item.as_integer() {
            Some(number) => Some(Located::new(number, pos)),
            None => {
                match item.as_float() {
                    Some(number) if !number.is_finite() => {
                        let message = format!(
                            "`{key}` in {} must be a whole number, not {}",
                            self.what,
                            non_finite(number)
                        );
                        self.reader.error(pos, message);
                    }
                    Some(_) => self.wrong_type(key, item, pos, "a whole number (no fraction)"),
                    None => self.wrong_type(key, item, pos, "a whole number"),
                }
                None
            }
        }
    }

    /// An integer in `min..=max`.
    pub fn integer_in(&mut self, key: &'static str, min: i64, max: i64) -> Option<Located<i64>> {
        let number = self.integer(key)?;
        if number.value < min || number.value > max {
            let message = format!(
                "`{key}` in {} is {}, but it must be from {min} to {max}",
                self.what, number.value
            );
            self.reader.error(number.pos, message);
            return None;
        }
        Some(number)
    }

    /// Any number, integer or not; never NaN or infinite.
    pub fn number(&mut self, key: &'static str) -> Option<Located<f64>> {
        let (item, pos) = self.get(key)?;
        let number = match (item.as_integer(), item.as_float()) {
            (Some(number), _) => number as f64,
            (None, Some(number)) => number,
            (None, None) => {
                self.wrong_type(key, item, pos, "a number");
                return None;
            }
        };
        if !number.is_finite() {
            let message = format!(
                "`{key}` in {} must be a number, not {}",
                self.what,
                non_finite(number)
            );
            self.reader.error(pos, message);
            return None;
        }
        Some(Located::new(number, pos))
    }

    /// A number in `range`; `range.words` says what is allowed when it is not.
    pub fn number_in(&mut self, key: &'static str, range: &Range) -> Option<Located<f64>> {
        let number = self.number(key)?;
        if !range.contains(number.value) {
            let message = format!(
                "`{key}` in {} is {}, but it must be {}",
                self.what,
                diagnostic::number(number.value),
                range.words
            );
            self.reader.error(number.pos, message);
            return None;
        }
        Some(number)
    }

    pub fn bool(&mut self, key: &'static str) -> Option<bool> {
        let (item, pos) = self.get(key)?;
        match item.as_bool() {
            Some(flag) => Some(flag),
            None => {
                self.wrong_type(key, item, pos, "true or false");
                None
            }
        }
    }

    pub fn date(&mut self, key: &'static str) -> Option<NaiveDate> {
        self.located_date(key).map(|date| date.value)
    }

    pub fn located_date(&mut self, key: &'static str) -> Option<Located<NaiveDate>> {
        let (item, pos) = self.get(key)?;
        if item.as_table().is_some() || item.array_of_tables().is_some() {
            self.wrong_type(key, item, pos, "a date like 2027-01-04");
            return None;
        }
        let what = format!("`{key}` in {}", self.what);
        match date_value(item, &what) {
            Ok(date) => Some(Located::new(date, pos)),
            Err(message) => {
                self.reader.error(pos, message);
                None
            }
        }
    }

    pub fn string_array(&mut self, key: &'static str) -> Vec<String> {
        self.located_string_array(key)
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    pub fn located_string_array(&mut self, key: &'static str) -> Vec<Located<String>> {
        let mut strings = Vec::new();
        let Some(array) = self.array(key) else {
            return strings;
        };
        for element in array.iter() {
            let pos = self.reader.pos(element.span(), self.pos);
            match element.as_str() {
                Some(text) => strings.push(Located::new(text.to_owned(), pos)),
                None => {
                    let message = format!(
                        "every entry of `{key}` in {} must be a string in quotes, not {}",
                        self.what,
                        element.describe()
                    );
                    self.reader.error(pos, message);
                }
            }
        }
        strings
    }

    pub fn date_array(&mut self, key: &'static str) -> Vec<NaiveDate> {
        let mut dates = Vec::new();
        let Some(array) = self.array(key) else {
            return dates;
        };
        let what = format!("an entry of `{key}` in {}", self.what);
        for element in array.iter() {
            match date_value(element, &what) {
                Ok(date) => dates.push(date),
                Err(message) => {
                    let pos = self.reader.pos(element.span(), self.pos);
                    self.reader.error(pos, message);
                }
            }
        }
        dates
    }

    pub fn array(&mut self, key: &'static str) -> Option<Array<'t>> {
        let (item, pos) = self.get(key)?;
        match item.as_array() {
            Some(array) => Some(array),
            None => {
                self.wrong_type(key, item, pos, "an array like [\"a\", \"b\"]");
                None
            }
        }
    }

    /// A table value (inline or standard) with where it is.
    pub fn table(&mut self, key: &'static str) -> Option<(Table<'t>, Pos)> {
        let (item, pos) = self.get(key)?;
        match item.as_table() {
            Some(table) => Some((table, pos)),
            None => {
                self.wrong_type(key, item, pos, "a table like { start = 2027-01-04 }");
                None
            }
        }
    }

    /// One of a fixed set of words.
    pub fn choice<T>(
        &mut self,
        key: &'static str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.located_string(key)?;
        match parse(&text.value) {
            Some(value) => Some(value),
            None => {
                let valid = names
                    .iter()
                    .map(|name| format!("\"{name}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let message = format!(
                    "`{key}` in {} is \"{}\", which is not one of {valid}{}",
                    self.what,
                    quote(&text.value),
                    diagnostic::suggestion(&text.value, names.iter().copied())
                );
                self.reader.error(text.pos, message);
                None
            }
        }
    }

    /// Warns about every key that was never asked for.
    pub fn finish(self) {
        self.reader.key = self.scope;
        for entry in &self.entries {
            if entry.asked {
                continue;
            }
            let key = entry.key;
            let span = entry.key_span.clone().or_else(|| self.table.key_span(key));
            let pos = self.reader.pos(span, self.pos);
            let message = format!(
                "unknown key `{}` in {}{}",
                quote(key),
                self.what,
                diagnostic::suggestion(key, self.known.iter().copied())
            );
            self.reader.warning(pos, message);
        }
    }
}

/// A TOML local date as a calendar date, or a message saying what is wrong.
pub fn date_value(value: Item<'_>, what: &str) -> Result<NaiveDate, String> {
    if let Some(datetime) = value.as_datetime() {
        return match (datetime.date, datetime.time) {
            (Some(date), None) => {
                NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                    .ok_or_else(|| format!("{what} is not a real calendar date"))
            }
            (Some(date), Some(_)) => Err(format!(
                "{what} must be a date without a time: write {:04}-{:02}-{:02}",
                date.year, date.month, date.day
            )),
            (None, _) => Err(format!(
                "{what} must be a date like 2027-01-04, not a time of day"
            )),
        };
    }
    match value.as_str() {
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Err(format!(
                "{what} must be a TOML date, without quotes: write {}",
                date.format("%Y-%m-%d")
            )),
            Err(_) => Err(format!(
                "{what} is \"{}\", which is not a date; write a date like 2027-01-04",
                quote(text)
            )),
        },
        None => Err(format!(
            "{what} must be a date like 2027-01-04, not {}",
            value.describe()
        )),
    }
}
