//! Text from a plan file is untrusted: it passes through here before it
//! reaches a terminal, so escape sequences and control characters never do.

use std::borrow::Cow;

/// Replaces control characters (C0, DEL, C1) and the bidirectional overrides
/// that can disguise text with a visible stand-in; tabs and line breaks
/// become a space, since the text is shown on one line.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_replacing) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if needs_replacing(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

fn needs_replacing(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            for_terminal("Payment API — 決済"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_and_controls_are_defused() {
        let cleaned = for_terminal("a\u{1b}[2Jb\rc\u{7}\u{9b}d\u{202E}e\tf\n");
        assert!(!cleaned.chars().any(|c| c.is_control()));
        assert_eq!(cleaned, "a\u{FFFD}[2Jb c\u{FFFD}\u{FFFD}d\u{FFFD}e f ");
    }
}
