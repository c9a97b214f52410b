//! Byte offsets to 1-based lines and character columns.

use crate::model::Pos;

/// The text of a plan with its line starts, to turn spans into positions.
pub struct Source<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 24 + 1);
        line_starts.push(0);
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, byte)| byte == b'\n')
                .map(|(index, _)| index + 1),
        );
        Source { text, line_starts }
    }

    /// The position of a byte offset; offsets past the end point just after the text.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
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

    pub fn span_pos(&self, span: Option<std::ops::Range<usize>>) -> Option<Pos> {
        span.map(|span| self.pos(span.start))
    }
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
        assert_eq!(source.pos(13), Pos { line: 4, col: 1 });
        assert_eq!(source.pos(999), Pos { line: 4, col: 2 });
    }

    #[test]
    fn invalid_utf8_is_located() {
        let bytes = b"a = 1\nb = \"\xff\"";
        let error = std::str::from_utf8(bytes).unwrap_err();
        assert_eq!(utf8_error_pos(bytes, &error), Pos { line: 2, col: 6 });
    }
}
