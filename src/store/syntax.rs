//! TOML syntax errors, said in words a plan's author can act on.
//!
//! The parser's own messages are kept for most errors; a few that mislead
//! are explained instead: a NUL byte (which the parser reports as whatever
//! token it broke), a key nested too deeply (reported without a position),
//! and a key or table defined twice (reported as "duplicate key", even when
//! an array of tables meets a table of the same name).

use crate::diagnostic::Diagnostic;
use crate::model::Pos;
use crate::sanitize::quote;

use super::source::Source;

/// The most parts a dotted key or table header may have (the parser's limit).
const MAX_KEY_PARTS: usize = 79;

/// The diagnostic for a syntax error the parser reported at `span` with `message`.
pub fn diagnostic(text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> Diagnostic {
    let source = Source::new(text);
    let message = message.trim().replace('\n', "; ");
    let at = span.clone().map(|span| span.start);
    if let Some(nul) = text.find('\0')
        && at.is_none_or(|at| nul <= at || caused_by_nul(text, at))
    {
        return Diagnostic::error(
            source.pos(nul),
            "TOML syntax: a NUL byte (U+0000) is here, and TOML text may not hold one; \
             this looks like a binary or damaged file — remove the byte or restore the file from git",
        );
    }
    if message == "recursion limit" {
        return match deep_key(text) {
            Some((offset, parts)) => Diagnostic::error(
                source.pos(offset),
                format!(
                    "TOML syntax: this key is nested {parts} levels deep (a.b.c... with {parts} parts), but a key may have at most {MAX_KEY_PARTS} parts; write a shorter key"
                ),
            ),
            None => Diagnostic::error(
                Pos { line: 1, col: 1 },
                format!(
                    "TOML syntax: a key is nested more than {MAX_KEY_PARTS} levels deep, but a key may have at most {MAX_KEY_PARTS} parts; write shorter keys"
                ),
            ),
        };
    }
    let pos = source
        .span_pos(span.clone())
        .unwrap_or(Pos { line: 1, col: 1 });
    if message.starts_with("cannot recurse further") {
        return Diagnostic::error(
            pos,
            "TOML syntax: arrays or inline tables are nested too deeply here (more than 80 levels); nest them less",
        );
    }
    if message == "duplicate key"
        && let Some(span) = span
        && let Some(explained) = explain_duplicate(text, &source, span)
    {
        return Diagnostic::error(pos, explained);
    }
    Diagnostic::error(pos, format!("TOML syntax: {message}"))
}

/// Whether the error at `at` goes away or moves when the NUL bytes do:
/// then they, not what the parser named, are the first problem.
fn caused_by_nul(text: &str, at: usize) -> bool {
    let cleaned = text.replace('\0', " ");
    match toml_edit::Document::parse(cleaned.as_str()) {
        Ok(_) => true,
        Err(error) => error.span().is_none_or(|span| span.start != at),
    }
}

/// Where the first key with too many dotted parts starts, and its parts.
fn deep_key(text: &str) -> Option<(usize, usize)> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut run_start = None;
        let mut dots = 0;
        let mut quote_char = None;
        let mut escaped = false;
        for (index, c) in line.char_indices() {
            if let Some(open) = quote_char {
                if escaped {
                    escaped = false;
                } else if c == '\\' && open == '"' {
                    escaped = true;
                } else if c == open {
                    quote_char = None;
                }
                continue;
            }
            match c {
                '"' | '\'' => {
                    quote_char = Some(c);
                    run_start.get_or_insert(index);
                }
                '.' => {
                    dots += 1;
                    run_start.get_or_insert(index);
                }
                c if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' ' || c == '\t' => {
                    if c != ' ' && c != '\t' {
                        run_start.get_or_insert(index);
                    }
                }
                _ => {
                    if dots >= MAX_KEY_PARTS {
                        return Some((line_start + run_start.unwrap_or(0), dots + 1));
                    }
                    if c == '#' {
                        break;
                    }
                    run_start = None;
                    dots = 0;
                }
            }
        }
        if dots >= MAX_KEY_PARTS {
            return Some((line_start + run_start.unwrap_or(0), dots + 1));
        }
        line_start += line.len();
    }
    None
}

/// A table header: its key path and whether it is `[[...]]`.
struct Header {
    path: Vec<String>,
    array: bool,
    line: u32,
}

/// Reads `[a.b]` or `[[a.b]]` (after leading whitespace) from a line.
fn header(line: &str, number: u32) -> Option<Header> {
    let trimmed = line.trim_start();
    let (array, rest) = if let Some(rest) = trimmed.strip_prefix("[[") {
        (true, rest)
    } else {
        (false, trimmed.strip_prefix('[')?)
    };
    let close = if array { "]]" } else { "]" };
    let end = closing(rest, close)?;
    Some(Header {
        path: key_parts(&rest[..end]),
        array,
        line: number,
    })
}

/// Where `close` ends a key, outside quotes.
fn closing(text: &str, close: &str) -> Option<usize> {
    let mut quote_char = None;
    for (index, c) in text.char_indices() {
        match quote_char {
            Some(open) if c == open => quote_char = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote_char = Some(c),
            None if text[index..].starts_with(close) => return Some(index),
            None => {}
        }
    }
    None
}

/// The parts of a dotted key, unquoted.
fn key_parts(key: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut quote_char = None;
    for c in key.chars() {
        match quote_char {
            Some(open) if c == open => quote_char = None,
            Some(_) => part.push(c),
            None if c == '"' || c == '\'' => quote_char = Some(c),
            None if c == '.' => parts.push(std::mem::take(&mut part).trim().to_owned()),
            None => part.push(c),
        }
    }
    parts.push(part.trim().to_owned());
    parts
}

/// Says what was defined twice, and where first, for the "duplicate key"
/// error at `span`; None when the text does not show it plainly.
fn explain_duplicate(
    text: &str,
    source: &Source<'_>,
    span: std::ops::Range<usize>,
) -> Option<String> {
    let line_index = source.pos(span.start).line as usize - 1;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = lines.get(line_index)?;
    if let Some(here) = header(line, line_index as u32 + 1) {
        let name = quote(&here.path.join(".")).into_owned();
        let earlier = lines[..line_index]
            .iter()
            .enumerate()
            .filter_map(|(index, line)| header(line, index as u32 + 1))
            .find(|earlier| earlier.path == here.path);
        return Some(match (earlier, here.array) {
            (Some(earlier), false) if earlier.array => format!(
                "TOML syntax: duplicate key: [{name}] makes `{name}` one table, but line {} already started an array of tables with [[{name}]]; write [[{name}]] here too",
                earlier.line
            ),
            (Some(earlier), true) if !earlier.array => format!(
                "TOML syntax: duplicate key: [[{name}]] adds to an array of tables, but line {} already made `{name}` one table with [{name}]; write [[{name}]] there too, or use another name",
                earlier.line
            ),
            (Some(earlier), _) => format!(
                "TOML syntax: duplicate key: the table [{name}] is defined twice, here and at line {}; merge them into one",
                earlier.line
            ),
            (None, _) => format!(
                "TOML syntax: duplicate key: `{name}` is already defined above (by a dotted key or a table that holds it); define it once"
            ),
        });
    }
    // A key set twice: look for it since the last header.
    let key = key_parts(text.get(span.clone())?);
    let key = key.first()?;
    let name = quote(key).into_owned();
    let earlier = lines[..line_index]
        .iter()
        .enumerate()
        .rev()
        .take_while(|(_, line)| !line.trim_start().starts_with('['))
        .find(|(_, line)| {
            line.split_once('=')
                .is_some_and(|(left, _)| key_parts(left).first() == Some(key))
        });
    Some(match earlier {
        Some((index, _)) => format!(
            "TOML syntax: duplicate key `{name}`: line {} already sets `{name}` in this table; keep one of them",
            index + 1
        ),
        None => format!(
            "TOML syntax: duplicate key `{name}`: this table already has `{name}`; keep one of them"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_keys_are_found_on_their_line() {
        let text = format!("a = 1\nb.c = \"x.y\"\n  {} = 1\n", vec!["k"; 100].join("."));
        assert_eq!(deep_key(&text), Some((text.find('k').unwrap_or(0), 100)));
        assert_eq!(deep_key("a.b.c = 1.5\n"), None);
    }

    #[test]
    fn headers_and_keys_are_split_outside_quotes() {
        assert_eq!(key_parts(" a . \"b.c\" . 'd' "), vec!["a", "b.c", "d"]);
        let parsed = header("  [[task.\"x]\"]]  # c", 3).map(|h| (h.path, h.array));
        assert_eq!(
            parsed,
            Some((vec!["task".to_owned(), "x]".to_owned()], true))
        );
    }
}
