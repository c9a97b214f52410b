//! A large plan read in pieces, each parsed, read into the model and
//! dropped before the next: the parser's tokens and tree for a 100,000-task
//! plan take more than 600 MB at once, a piece's a few MB.
//!
//! A piece starts at a top-level table header (`[name]` or `[[name]]`, a
//! bare name at the start of a line, outside any string or bracket) once
//! the piece before it has [`PIECE`] bytes. A header always starts a table
//! and ends the one before, so a piece holds whole tables. What TOML says
//! across tables is kept by one rule: two pieces may share a root key only
//! as parts of one array of tables (`[[task]]` in both). Any other sharing
//! (`[a]` in one piece and `[a.b]` in a later one, say), a piece that does
//! not parse, or a number `toml_edit` would refuse, and the caller reads
//! the text as one tree instead: the pieces then never decide anything.

use rustc_hash::FxHashMap;
use toml::de::DeTable;

use crate::model::Plan;

use super::fields::Reader;
use super::load::PlanBuilder;
use super::source::Source;
use super::tree::{self, Table};

/// The size a piece reaches before the next header starts another.
pub const PIECE: usize = 128 * 1024;

/// Reads the plan piece by piece; None when it must be read as one tree.
pub fn read<'s>(text: &str, source: &'s Source<'s>) -> Option<(Plan, Reader<'s>)> {
    read_in(text, source, PIECE)
}

/// `read` with pieces of `piece` bytes (tests cut small plans into many).
///
/// Parsing is about two thirds of a read. With more than one piece and
/// more than one core, threads of their own parse the pieces (piece `i` on
/// parser `i % parsers`, each at most [`AHEAD`] pieces ahead, so memory
/// stays that of a few pieces) while this thread reads them into the
/// model, in order.
pub fn read_in<'s>(text: &str, source: &'s Source<'s>, piece: usize) -> Option<(Plan, Reader<'s>)> {
    let starts = piece_starts(text, piece);
    let count = starts.len();
    let bounds = |index: usize| {
        let start = starts[index];
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        (start, &text[start..end])
    };
    let mut pieces = Pieces::new(source);
    let parsers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_PARSERS)
        .min(count);
    if parsers < 2 {
        for index in 0..count {
            let (start, piece) = bounds(index);
            pieces.read(parse(piece)?.get_ref(), piece, start)?;
        }
        return Some(pieces.finish());
    }
    std::thread::scope(|scope| {
        let bounds = &bounds;
        let receivers: Vec<_> = (0..parsers)
            .map(|first| {
                let (sender, receiver) = std::sync::mpsc::sync_channel(AHEAD);
                scope.spawn(move || {
                    for index in (first..count).step_by(parsers) {
                        let parsed = parse(bounds(index).1);
                        let failed = parsed.is_none();
                        // The reader gave up (a piece it cannot use): stop too.
                        if sender.send(parsed).is_err() || failed {
                            return;
                        }
                    }
                });
                receiver
            })
            .collect();
        for index in 0..count {
            let root = receivers[index % parsers].recv().ok()??;
            let (start, piece) = bounds(index);
            pieces.read(root.get_ref(), piece, start)?;
        }
        Some(pieces.finish())
    })
}

/// How many parsed pieces may wait for the reader, per parser.
const AHEAD: usize = 1;

/// Parsers beyond this many would wait for the one reader anyway.
const MAX_PARSERS: usize = 3;

/// One piece as a tree; None when it does not parse or holds a number
/// `toml_edit` would refuse.
fn parse(piece: &str) -> Option<toml::Spanned<DeTable<'_>>> {
    let root = DeTable::parse(piece).ok()?;
    tree::numbers_fit(root.get_ref()).then_some(root)
}

/// The model read so far, piece by piece.
struct Pieces<'s> {
    builder: PlanBuilder,
    reader: Reader<'s>,
    /// Each root key seen, and whether it is an array of tables.
    seen: FxHashMap<String, bool>,
}

impl<'s> Pieces<'s> {
    fn new(source: &'s Source<'s>) -> Self {
        Pieces {
            builder: PlanBuilder::default(),
            reader: Reader::new(Some(source)),
            seen: FxHashMap::default(),
        }
    }

    /// Reads one parsed piece; None when the text must be read as one tree.
    fn read(&mut self, root: &DeTable<'_>, piece: &str, start: usize) -> Option<()> {
        let table = Table::fast(root, piece, start);
        for (key, _, item) in table.iter() {
            // Merge conflicts keep their values as toml_edit writes them.
            if key == "conflict" {
                return None;
            }
            let array = item.is_array_of_tables();
            match self.seen.get(key) {
                Some(&earlier) if earlier && array => {}
                Some(_) => return None,
                None => {
                    self.seen.insert(key.to_owned(), array);
                }
            }
        }
        for (key, key_span, item) in table.iter() {
            let span = key_span.or(item.span());
            self.builder.entry(&mut self.reader, key, span, item);
        }
        Some(())
    }

    fn finish(mut self) -> (Plan, Reader<'s>) {
        let plan = self.builder.finish(&mut self.reader);
        (plan, self.reader)
    }
}

/// Where each piece starts: 0, then a top-level header line once the piece
/// before it has at least `min` bytes (the first piece an eighth of that).
pub fn piece_starts(text: &str, min: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    if bytes.len() < 2 * min {
        return starts;
    }
    // Open brackets and braces of values (arrays, inline tables).
    let mut depth = 0_usize;
    let mut at = 0;
    let mut line_start = true;
    while at < bytes.len() {
        let byte = bytes[at];
        if line_start {
            line_start = false;
            if depth == 0 && byte == b'[' {
                let last = starts.last().copied().unwrap_or(0);
                // The first piece is small, so that reading the model can
                // start while the parsers work on the next pieces.
                let least = if starts.len() == 1 {
                    (min / 8).max(1)
                } else {
                    min
                };
                if at - last >= least && is_bare_header(&bytes[at..]) {
                    starts.push(at);
                }
                at = after_header_line(bytes, at);
                line_start = true;
                continue;
            }
        }
        at = match byte {
            b'\n' => {
                line_start = true;
                at + 1
            }
            b'#' => line_end(bytes, at),
            b'"' if bytes[at..].starts_with(b"\"\"\"") => after_multiline(bytes, at + 3, b'"'),
            b'\'' if bytes[at..].starts_with(b"'''") => after_multiline(bytes, at + 3, b'\''),
            b'"' | b'\'' => after_string(bytes, at + 1, byte),
            b'[' | b'{' => {
                depth += 1;
                at + 1
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                at + 1
            }
            _ => {
                // Most bytes matter to none of the above: skip them in one go.
                bytes[at + 1..]
                    .iter()
                    .position(|&byte| MATTERS[usize::from(byte)])
                    .map_or(bytes.len(), |offset| at + 1 + offset)
            }
        };
    }
    starts
}

/// The bytes `piece_starts` looks at.
const MATTERS: [bool; 256] = {
    let mut matters = [false; 256];
    let mut index = 0;
    let special = b"\n#\"'[]{}";
    while index < special.len() {
        matters[special[index] as usize] = true;
        index += 1;
    }
    matters
};

/// `[name]` or `[[name]]` with a bare name, then only blanks, a comment or
/// the end of the line.
fn is_bare_header(line: &[u8]) -> bool {
    let double = line.starts_with(b"[[");
    let open = if double { 2 } else { 1 };
    let name = line[open..]
        .iter()
        .take_while(|&&byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        .count();
    if name == 0 {
        return false;
    }
    let close: &[u8] = if double { b"]]" } else { b"]" };
    let rest = &line[open + name..];
    let Some(rest) = rest.strip_prefix(close) else {
        return false;
    };
    let blanks = rest
        .iter()
        .take_while(|&&byte| byte == b' ' || byte == b'\t')
        .count();
    matches!(
        &rest[blanks..],
        [] | [b'\n', ..] | [b'\r', b'\n', ..] | [b'#', ..]
    )
}

/// Just after the line of a header starting at `at`, whose quoted keys may
/// hold brackets.
fn after_header_line(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => return at + 1,
            quote @ (b'"' | b'\'') => at = after_string(bytes, at + 1, quote),
            _ => at += 1,
        }
    }
    at
}

/// The end of the line (the `\n`, or the end of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&byte| byte == b'\n')
        .map_or(bytes.len(), |offset| at + offset)
}

/// Just after a one-line string that opened before `at`; a string broken
/// by the end of its line stops there (the parser will report it).
fn after_string(bytes: &[u8], mut at: usize, quote: u8) -> usize {
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            b'\n' => return at,
            byte if byte == quote => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Just after a multi-line string that opened before `at`: its three
/// closing quotes and up to two more, which belong to the text.
fn after_multiline(bytes: &[u8], mut at: usize, quote: u8) -> usize {
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            byte if byte == quote && bytes[at..].starts_with(&[quote; 3]) => {
                let mut end = at + 3;
                while end < bytes.len() && end < at + 5 && bytes[end] == quote {
                    end += 1;
                }
                return end;
            }
            _ => at += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, min: usize) -> Vec<&str> {
        let starts = piece_starts(text, min);
        starts
            .iter()
            .enumerate()
            .map(|(index, &start)| {
                &text[start..starts.get(index + 1).copied().unwrap_or(text.len())]
            })
            .collect()
    }

    #[test]
    fn pieces_start_at_top_level_headers_only() {
        let text = "[project]\nname = \"x\"\n\
            [[task]]\nid = \"a\"\nnote = \"\"\"\n[[task]]\n\"\"\"\"\n\
            [task.baselines.v1]\nstart = 2027-01-04\n\
            [[task]]\nid = \"b\"\ndepends = [\n[1],\n[\"x\"]\n]\nx = '[[task]]'\n# [[task]]\n\
            [[task]] # the third\nid = \"c\"\ny = '''\n'''''\n\
            [ risk ]\n[\"quoted\"]\n[[risk]]\r\nid = \"r\"\n";
        assert_eq!(
            pieces(text, 1),
            vec![
                "[project]\nname = \"x\"\n",
                "[[task]]\nid = \"a\"\nnote = \"\"\"\n[[task]]\n\"\"\"\"\n[task.baselines.v1]\nstart = 2027-01-04\n",
                "[[task]]\nid = \"b\"\ndepends = [\n[1],\n[\"x\"]\n]\nx = '[[task]]'\n# [[task]]\n",
                "[[task]] # the third\nid = \"c\"\ny = '''\n'''''\n[ risk ]\n[\"quoted\"]\n",
                "[[risk]]\r\nid = \"r\"\n",
            ]
        );
    }

    #[test]
    fn small_texts_are_one_piece() {
        assert_eq!(piece_starts("[a]\n[b]\n", PIECE), vec![0]);
    }
}
