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

/// JSON text with every character that could act on a terminal written as
/// a `\uXXXX` escape: DEL and the C1 controls (which JSON allows raw),
/// bidirectional controls and zero-width characters. The document means
/// the same; printed to a terminal, it shows those characters as escapes.
/// `json` must be JSON, where such characters can only be inside strings.
pub fn json_inert(json: String) -> String {
    if !json.chars().any(is_inert_in_json) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_inert_in_json(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn is_inert_in_json(c: char) -> bool {
    // C0 controls other than tab and line breaks never appear raw in JSON text.
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
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

    #[test]
    fn json_keeps_its_meaning_without_raw_terminal_controls() {
        let raw = serde_json::to_string("a\u{9b}2J\u{7f}\u{202E}b\u{200B}c").unwrap_or_default();
        let inert = json_inert(raw);
        assert_eq!(inert, "\"a\\u009b2J\\u007f\\u202eb\\u200bc\"");
        let back: String = serde_json::from_str(&inert).unwrap_or_default();
        assert_eq!(back, "a\u{9b}2J\u{7f}\u{202E}b\u{200B}c");
        assert_eq!(json_inert("{\"a\": 1}\n".to_owned()), "{\"a\": 1}\n");
    }
}
