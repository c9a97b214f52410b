//! A plan's text cut into units, each one entity's table with the tables
//! nested under it, so that a merge compares and copies text, and parses
//! only the few units both sides changed.
//!
//! The cut follows the way `toml_edit` attaches text to tables: the blank
//! and comment lines before a header belong to that header's table, and
//! those after the last table to the end of the file. The units of a text,
//! in order, are the text exactly.

use crate::store::load::EntityKind;
use crate::store::pairing::{Identity, MatchKey};

/// What names a unit across the three versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UnitKey {
    /// The keys before the first table.
    Root,
    Table(MatchKey),
    /// The blank lines and comments after the last table.
    End,
}

/// One unit: its key and its text, a slice of the whole text.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub key: UnitKey,
    pub text: &'a str,
    /// The keys of the unit's table (`["task"]`, `["task", "extra"]` for a
    /// nested table apart from its parent); empty for the root and the end.
    pub path: Vec<String>,
}

/// Where a text could not be cut: it is not TOML there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub offset: usize,
    pub message: &'static str,
}

/// A plan's units in the text's order: the root first, the end last.
#[derive(Debug, Clone)]
pub struct Units<'a> {
    pub units: Vec<Unit<'a>>,
}

/// Cuts `text` (line endings "\n", no byte order mark) into units.
pub fn cut(text: &str) -> Result<Units<'_>, ScanError> {
    let chunks = Scanner::new(text).chunks()?;
    // The chunks that begin a unit, with the unit's table.
    let mut starts: Vec<(Chunk, Option<String>)> = Vec::with_capacity(chunks.len());
    // The top-level key of the open unit, to attach nested tables to it.
    let mut current: Option<String> = None;
    let mut end_start = text.len();
    for (position, chunk) in chunks.into_iter().enumerate() {
        match &chunk.header {
            None if position == 0 => starts.push((chunk, None)),
            None => end_start = chunk.start,
            Some(header) => {
                let first = header.path.first().map(String::as_str).unwrap_or_default();
                if header.path.len() > 1 && current.as_deref() == Some(first) {
                    // `[task.extra]` right after its `[[task]]`: the same unit.
                    continue;
                }
                let table = if header.path.len() == 1 {
                    first.to_owned()
                } else {
                    // A nested table apart from its parent: named by its path.
                    header.path.join(".")
                };
                current = Some(first.to_owned());
                starts.push((chunk, Some(table)));
            }
        }
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|(next, _)| next.start)
        .chain([end_start])
        .collect();
    let mut units = Vec::with_capacity(starts.len() + 1);
    for ((chunk, table), end) in starts.into_iter().zip(ends) {
        let key = match (table, &chunk.header) {
            (Some(table), Some(header)) => {
                let identity = if header.array && header.path.len() == 1 {
                    identity(&table, &chunk, text, &text[chunk.header_start..end])
                } else {
                    Identity::Table
                };
                UnitKey::Table(MatchKey {
                    table,
                    identity,
                    occurrence: 1,
                })
            }
            _ => UnitKey::Root,
        };
        units.push(Unit {
            key,
            text: &text[chunk.start..end],
            path: chunk.header.map(|header| header.path).unwrap_or_default(),
        });
    }
    units.push(Unit {
        key: UnitKey::End,
        text: &text[end_start..],
        path: Vec::new(),
    });
    // The second and later entities of one name are told apart by number.
    let repeats: Vec<(usize, usize)> = {
        let mut seen: rustc_hash::FxHashMap<&UnitKey, usize> = Default::default();
        seen.reserve(units.len());
        units
            .iter()
            .enumerate()
            .filter_map(|(index, unit)| {
                let count = seen.entry(&unit.key).or_insert(0);
                *count += 1;
                (*count > 1).then_some((index, *count))
            })
            .collect()
    };
    for (index, occurrence) in repeats {
        if let UnitKey::Table(key) = &mut units[index].key {
            key.occurrence = occurrence;
        }
    }
    Ok(Units { units })
}

/// The identity of an entity table from its simple `key = value` lines;
/// `body` is its text from the header on.
fn identity(table: &str, chunk: &Chunk, text: &str, body: &str) -> Identity {
    let value = |name: &str| {
        chunk
            .fields
            .iter()
            .find(|(key_start, key_end, _, _)| &text[*key_start..*key_end] == name)
            .and_then(|(_, _, value_start, value_end)| decode(&text[*value_start..*value_end]))
    };
    // From the header on: comments above it do not change what it is.
    let content = || Identity::Content(body.trim_end().to_owned());
    match EntityKind::from_key(table) {
        Some(kind) if kind.has_id() => value("id").map_or_else(content, Identity::Id),
        Some(EntityKind::Checkin) => value("week").map_or_else(content, Identity::Week),
        Some(EntityKind::Log) => match (value("date"), value("task")) {
            (Some(date), Some(task)) => Identity::Log {
                date,
                task,
                person: value("person"),
            },
            _ => content(),
        },
        _ => content(),
    }
}

/// The value of a simple TOML value as a key: the text of a string, or a
/// date or number as written. None for anything else.
fn decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    match bytes.first()? {
        b'"' if !raw.starts_with("\"\"\"") => {
            let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
            if inner.contains('\\') {
                // Escapes: let the TOML parser read it.
                parse_value(raw)
            } else {
                Some(inner.to_owned())
            }
        }
        b'\'' if !raw.starts_with("'''") => {
            Some(raw.strip_prefix('\'')?.strip_suffix('\'')?.to_owned())
        }
        // A local date or a plain number reads as written.
        b'0'..=b'9' if raw.bytes().all(|b| b.is_ascii_digit() || b == b'-') => Some(raw.to_owned()),
        b'0'..=b'9' => match parse_value(raw) {
            Some(text) => Some(text),
            None => Some(raw.to_owned()),
        },
        _ => parse_value(raw),
    }
}

/// A value read by the TOML parser: a string's text, or anything else as written.
fn parse_value(raw: &str) -> Option<String> {
    let document = toml_edit::Document::parse(format!("v = {raw}\n")).ok()?;
    let value = document.get("v")?.as_value()?;
    Some(match value {
        toml_edit::Value::String(text) => text.value().clone(),
        toml_edit::Value::Datetime(datetime) => datetime.value().to_string(),
        other => other.to_string().trim().to_owned(),
    })
}

/// A table header: `[a.b]` or `[[a]]`, its path decoded.
#[derive(Debug, Clone)]
struct Header {
    array: bool,
    path: Vec<String>,
}

/// A table header with the lines before it and the keys after it: from
/// the first blank or comment line before the header to the end of the
/// last key before the next header. The first chunk is the root's.
#[derive(Debug, Clone)]
struct Chunk {
    start: usize,
    header_start: usize,
    header: Option<Header>,
    /// The simple `key = value` lines of the table: key and value spans.
    fields: Vec<(usize, usize, usize, usize)>,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn error(&self, message: &'static str) -> ScanError {
        ScanError {
            offset: self.at,
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn starts_with(&self, prefix: &str) -> bool {
        self.bytes[self.at..].starts_with(prefix.as_bytes())
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Past the next "\n" (or to the end).
    fn skip_line(&mut self) {
        match memchr(b'\n', &self.bytes[self.at..]) {
            Some(offset) => self.at += offset + 1,
            None => self.at = self.bytes.len(),
        }
    }

    /// The chunks of the whole text, the root's first; a last chunk with
    /// no header stands for the end of the file when it has text.
    fn chunks(mut self) -> Result<Vec<Chunk>, ScanError> {
        let mut chunks = vec![Chunk {
            start: 0,
            header_start: 0,
            header: None,
            fields: Vec::new(),
        }];
        // Where the run of blank and comment lines before here began.
        let mut decor: Option<usize> = None;
        while self.at < self.bytes.len() {
            let line = self.at;
            self.skip_blanks();
            match self.peek() {
                None => {
                    decor.get_or_insert(line);
                }
                Some(b'\n') => {
                    decor.get_or_insert(line);
                    self.at += 1;
                }
                Some(b'\r') if self.bytes.get(self.at + 1) == Some(&b'\n') => {
                    decor.get_or_insert(line);
                    self.at += 2;
                }
                Some(b'#') => {
                    decor.get_or_insert(line);
                    self.skip_line();
                }
                Some(b'[') => {
                    let start = decor.take().unwrap_or(line);
                    let header_start = self.at;
                    let header = self.header()?;
                    self.rest_of_line();
                    chunks.push(Chunk {
                        start,
                        header_start,
                        header: Some(header),
                        fields: Vec::new(),
                    });
                }
                Some(_) => {
                    decor = None;
                    let field = self.key_value()?;
                    self.rest_of_line();
                    if let (Some(last), Some(field)) = (chunks.last_mut(), field) {
                        last.fields.push(field);
                    }
                }
            }
        }
        if let Some(start) = decor {
            chunks.push(Chunk {
                start,
                header_start: start,
                header: None,
                fields: Vec::new(),
            });
        }
        Ok(chunks)
    }

    /// After a value or a header: blanks, maybe a comment, the line end.
    fn rest_of_line(&mut self) {
        self.skip_line();
    }

    fn header(&mut self) -> Result<Header, ScanError> {
        let array = self.starts_with("[[");
        self.at += if array { 2 } else { 1 };
        let start = self.at;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error("a table header without its `]`")),
                Some(b'"') => self.basic_string()?,
                Some(b'\'') => self.literal_string()?,
                Some(b']') => break,
                Some(_) => self.at += 1,
            }
        }
        let raw = &self.text[start..self.at];
        if array {
            if !self.starts_with("]]") {
                return Err(self.error("an array of tables header must end with `]]`"));
            }
            self.at += 2;
        } else {
            self.at += 1;
        }
        let path = if raw.contains(['"', '\'']) {
            toml_edit::Key::parse(raw)
                .map_err(|_| self.error("a table header that is not a key"))?
                .iter()
                .map(|key| key.get().to_owned())
                .collect()
        } else {
            raw.split('.').map(|part| part.trim().to_owned()).collect()
        };
        Ok(Header { array, path })
    }

    /// A `key = value` line; the spans of a simple key and its value.
    fn key_value(&mut self) -> Result<Option<(usize, usize, usize, usize)>, ScanError> {
        let key_start = self.at;
        let mut simple = true;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error("a key with no `=` and value")),
                Some(b'"') => {
                    simple = false;
                    self.basic_string()?;
                }
                Some(b'\'') => {
                    simple = false;
                    self.literal_string()?;
                }
                Some(b'=') => break,
                Some(b'.') => {
                    simple = false;
                    self.at += 1;
                }
                Some(_) => self.at += 1,
            }
        }
        let key_end = key_start + self.text[key_start..self.at].trim_end().len();
        self.at += 1;
        self.skip_blanks();
        let value_start = self.at;
        self.value()?;
        let value_end = value_start + self.text[value_start..self.at].trim_end().len();
        Ok(simple.then_some((key_start, key_end, value_start, value_end)))
    }

    /// Past one value, which may span lines.
    fn value(&mut self) -> Result<(), ScanError> {
        match self.peek() {
            Some(b'"') => self.basic_string(),
            Some(b'\'') => self.literal_string(),
            Some(b'[' | b'{') => self.nested(),
            _ => {
                while let Some(byte) = self.peek() {
                    if matches!(byte, b'\n' | b'#') {
                        break;
                    }
                    self.at += 1;
                }
                Ok(())
            }
        }
    }

    /// Past an array or inline table, with what it holds.
    fn nested(&mut self) -> Result<(), ScanError> {
        let mut depth = 0usize;
        while let Some(byte) = self.peek() {
            match byte {
                b'[' | b'{' => {
                    depth += 1;
                    self.at += 1;
                }
                b']' | b'}' => {
                    self.at += 1;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                b'"' => self.basic_string()?,
                b'\'' => self.literal_string()?,
                b'#' => {
                    // To the line end, which stays for the loop.
                    match memchr(b'\n', &self.bytes[self.at..]) {
                        Some(offset) => self.at += offset,
                        None => self.at = self.bytes.len(),
                    }
                }
                _ => self.at += 1,
            }
        }
        Err(self.error("an array or inline table without its end"))
    }

    /// Past a `"..."` or `"""..."""` string.
    fn basic_string(&mut self) -> Result<(), ScanError> {
        if self.starts_with("\"\"\"") {
            self.at += 3;
            loop {
                match self.peek() {
                    None => return Err(self.error("a `\"\"\"` string without its end")),
                    Some(b'\\') => self.at += 2,
                    Some(b'"') if self.starts_with("\"\"\"") => {
                        self.at += 3;
                        // Up to two quotes more belong to the string.
                        for _ in 0..2 {
                            if self.peek() == Some(b'"') {
                                self.at += 1;
                            }
                        }
                        return Ok(());
                    }
                    Some(_) => self.at += 1,
                }
            }
        }
        self.at += 1;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error("a string without its closing quote")),
                Some(b'\\') => self.at += 2,
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(_) => self.at += 1,
            }
        }
    }

    /// Past a `'...'` or `'''...'''` string.
    fn literal_string(&mut self) -> Result<(), ScanError> {
        if self.starts_with("'''") {
            self.at += 3;
            loop {
                match self.peek() {
                    None => return Err(self.error("a `'''` string without its end")),
                    Some(b'\'') if self.starts_with("'''") => {
                        self.at += 3;
                        for _ in 0..2 {
                            if self.peek() == Some(b'\'') {
                                self.at += 1;
                            }
                        }
                        return Ok(());
                    }
                    Some(_) => self.at += 1,
                }
            }
        }
        self.at += 1;
        match memchr(b'\'', &self.bytes[self.at..]) {
            Some(offset) if !self.bytes[self.at..self.at + offset].contains(&b'\n') => {
                self.at += offset + 1;
                Ok(())
            }
            _ => Err(self.error("a string without its closing quote")),
        }
    }
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&byte| byte == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(String, &str)> {
        cut(text)
            .expect("cuts")
            .units
            .iter()
            .map(|unit| (format!("{:?}", unit.key), unit.text))
            .collect()
    }

    #[test]
    fn units_cover_the_text_and_follow_the_headers() {
        let text = "top = 1 # c\n\n# about the project\n[project]\nname = \"P\"\n\n[[task]]  # first\nid = \"a\"\nnotes = \"\"\"\n[not a header]\n\"\"\"\ndepends = [\n  \"x\", # [nor this]\n  [1],\n]\n[task.extra]\nx = 1\n\n[[task]]\nid = 'b'\n[[log]]\ndate = 2027-01-04\ntask = \"a\"\nhours = 2\n\n# the end\n";
        let units = cut(text).expect("cuts");
        let joined: String = units.units.iter().map(|unit| unit.text).collect();
        assert_eq!(joined, text);
        let shown = texts(text);
        assert_eq!(shown.len(), 6, "{shown:#?}");
        assert_eq!(shown[0].1, "top = 1 # c\n");
        assert!(shown[1].1.starts_with("\n# about the project\n[project]"));
        assert!(shown[2].0.contains("Id(\"a\")"), "{}", shown[2].0);
        assert!(shown[2].1.ends_with("[task.extra]\nx = 1\n"));
        assert!(shown[3].0.contains("Id(\"b\")"));
        assert!(shown[4].0.contains("Log"), "{}", shown[4].0);
        assert_eq!(shown[5], ("End".to_owned(), "\n# the end\n"));
    }

    #[test]
    fn identities_read_escapes_and_number_duplicates() {
        let text = "[[task]]\nid = \"\\u0061\"\n[[task]]\nid = \"a\"\n[[checkin]]\nweek = 2027-01-11\n[[risk]]\ntitle = \"no id\"\n";
        let units = cut(text).expect("cuts");
        let keys: Vec<&UnitKey> = units.units.iter().map(|unit| &unit.key).collect();
        let UnitKey::Table(second) = keys[2] else {
            panic!("a table")
        };
        assert_eq!(second.identity, Identity::Id("a".to_owned()));
        assert_eq!(second.occurrence, 2);
        let UnitKey::Table(week) = keys[3] else {
            panic!("a table")
        };
        assert_eq!(week.identity, Identity::Week("2027-01-11".to_owned()));
        let UnitKey::Table(risk) = keys[4] else {
            panic!("a table")
        };
        assert!(matches!(risk.identity, Identity::Content(_)));
    }

    #[test]
    fn a_nested_table_apart_from_its_parent_is_a_unit_of_its_own() {
        let text =
            "[[task]]\nid = \"c\"\n\n[calendar]\nworkdays = [\"mon\"]\n\n[task.extra]\nx = 1\n";
        let shown = texts(text);
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert!(shown[3].0.contains("task.extra"));
    }

    #[test]
    fn broken_text_is_an_error_not_a_panic() {
        for text in [
            "a = \"open\n",
            "[[task]\n",
            "a = [1, 2\n",
            "a = \"\"\"x",
            "x",
            "[a",
            "a = '''",
            "a = \"\\",
        ] {
            let _ = cut(text);
        }
        assert!(cut("a = [1, 2\n").is_err());
    }
}
