//! Byte offsets to 1-based lines and character columns.

use std::cell::Cell;

use crate::model::Pos;

/// The text of a plan with its line starts, to turn spans into positions.
pub struct Source<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// The line of the last lookup: loading asks for positions in file
    /// order, so the next one is almost always on that line or just after.
    last_line: Cell<usize>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        Source {
            text,
            line_starts: line_starts(text.as_bytes()),
            last_line: Cell::new(0),
        }
    }

    /// The position of a byte offset; offsets past the end point just after the text.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        Pos {
            line: line as u32 + 1,
            col: col as u32,
        }
    }

    /// The index of the line holding `offset`: the last line starting at or before it.
    fn line_of(&self, offset: usize) -> usize {
        let starts = &self.line_starts;
        let mut line = self.last_line.get().min(starts.len() - 1);
        if starts[line] > offset {
            line = starts.partition_point(|&start| start <= offset) - 1;
        } else {
            // A few steps forward, then a binary search of the rest.
            let mut steps = 0;
            while line + 1 < starts.len() && starts[line + 1] <= offset {
                line += 1;
                steps += 1;
                if steps == 8 {
                    line += starts[line + 1..].partition_point(|&start| start <= offset);
                    break;
                }
            }
        }
        self.last_line.set(line);
        line
    }

    pub fn span_pos(&self, span: Option<std::ops::Range<usize>>) -> Option<Pos> {
        span.map(|span| self.pos(span.start))
    }
}

/// Where each line starts: 0, then just after every '\n'. Reads eight
/// bytes at a time and looks closer only at those holding a '\n'.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut starts = Vec::with_capacity(bytes.len() / 24 + 1);
    starts.push(0);
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let diff = u64::from_ne_bytes(word) ^ NEWLINES;
        // Non-zero when some byte of `diff` is zero, i.e. a '\n' byte.
        if diff.wrapping_sub(ONES) & !diff & HIGHS != 0 {
            starts.extend(
                (0..8)
                    .filter(|&index| chunk[index] == b'\n')
                    .map(|index| base + index + 1),
            );
        }
        base += 8;
    }
    for (index, &byte) in chunks.remainder().iter().enumerate() {
        if byte == b'\n' {
            starts.push(base + index + 1);
        }
    }
    starts
}

/// Where invalid UTF-8 starts, as a position in the lossily decoded text.
pub fn utf8_error_pos(bytes: &[u8], error: &std::str::Utf8Error) -> Pos {
    let valid = &bytes[..error.valid_up_to()];
    // The prefix is valid UTF-8 by definition of valid_up_to.
    let text = std::str::from_utf8(valid).unwrap_or_default();
    Source::new(text).pos(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let source = Source::new("ab\nçd = 1\n\nx");
        assert_eq!(source.pos(0), Pos { line: 1, col: 1 });
        assert_eq!(source.pos(3), Pos { line: 2, col: 1 });
        // 'ç' is two bytes: "d" is the second character.
        assert_eq!(source.pos(5), Pos { line: 2, col: 2 });
        assert_eq!(source.pos(12), Pos { line: 4, col: 1 });
        assert_eq!(source.pos(999), Pos { line: 4, col: 2 });
    }

    #[test]
    fn lookups_in_any_order_agree_with_a_search() {
        let text: String = (0..200)
            .map(|n| format!("{}\n", "x".repeat(n % 7)))
            .collect();
        let source = Source::new(&text);
        let expected = |offset: usize| {
            let offset = offset.min(text.len());
            let line = text[..offset].matches('\n').count();
            let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
            Pos {
                line: line as u32 + 1,
                col: (offset - start) as u32 + 1,
            }
        };
        let mut offsets: Vec<usize> = (0..text.len() + 3).collect();
        offsets.extend((0..text.len()).rev().step_by(5));
        offsets.extend([0, text.len(), 17, 400, 3, 650, 2]);
        for offset in offsets {
            assert_eq!(source.pos(offset), expected(offset), "offset {offset}");
        }
    }

    #[test]
    fn line_starts_are_found_in_every_place_of_a_word() {
        for length in 0..40 {
            for newline in 0..length {
                let mut text = vec![b'x'; length];
                text[newline] = b'\n';
                if length > 20 {
                    text[length - 1] = b'\n';
                }
                let expected: Vec<usize> = std::iter::once(0)
                    .chain((0..length).filter(|&i| text[i] == b'\n').map(|i| i + 1))
                    .collect();
                assert_eq!(line_starts(&text), expected, "{length} {newline}");
            }
        }
        // Bytes with the high bit set next to a newline (UTF-8 text).
        let text = "é\nü€\n\n😀x\n";
        let expected: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        assert_eq!(line_starts(text.as_bytes()), expected);
    }

    #[test]
    #[allow(invalid_from_utf8)]
    fn invalid_utf8_is_located() {
        let bytes = b"a = 1\nb = \"\xff\"";
        let error = std::str::from_utf8(bytes).unwrap_err();
        assert_eq!(utf8_error_pos(bytes, &error), Pos { line: 2, col: 6 });
    }
}
