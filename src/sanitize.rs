//! Text from a plan file is untrusted: it passes through here before it
//! reaches a terminal, so escape sequences, control characters and
//! characters that hide or reorder text never do.
//!
//! Three uses, three functions:
//! - [`for_terminal`]: text shown as text (a task's name in the app or a
//!   report): controls, bidirectional controls and invisible characters
//!   become a visible stand-in; letters that need a zero-width joiner keep it.
//! - [`quote`]: a value named in a message (an id, a key, a wrong value):
//!   every invisible or control character is spelt out as `\u{200b}`, and a
//!   long value is cut to [`QUOTE_LIMIT`] characters.
//! - [`json`]: JSON text, with those same characters written as `\uXXXX`
//!   escapes, which JSON allows for any character.

use std::borrow::Cow;
use std::path::Path;

/// How many characters of a value a message quotes at most.
pub const QUOTE_LIMIT: usize = 60;

/// Replaces control characters (C0, DEL, C1), the bidirectional controls
/// that can reorder text, and invisible characters that can disguise it
/// with a visible stand-in (U+FFFD); tabs and line breaks become a space,
/// since the text is shown on one line.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if is_plain(text) || !text.chars().any(needs_replacing) {
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

/// A path as `for_terminal` shows text: a file name may hold anything a
/// plan value may.
pub fn path(path: &Path) -> String {
    for_terminal(&path.to_string_lossy()).into_owned()
}

/// An error or message from elsewhere (which may hold a path or a value)
/// made safe to print.
pub fn message(message: &impl std::fmt::Display) -> String {
    for_terminal(&message.to_string()).into_owned()
}

/// A value as a message quotes it: every control and invisible character
/// spelt out (`a\u{200b}` for "a" and a zero-width space), and at most
/// [`QUOTE_LIMIT`] characters, the rest replaced by "…".
pub fn quote(text: &str) -> Cow<'_, str> {
    let short = text.len() <= QUOTE_LIMIT;
    if short && (is_plain(text) || !text.chars().any(|c| is_hidden(c) || needs_replacing(c))) {
        return Cow::Borrowed(text);
    }
    let mut quoted = String::with_capacity(text.len().min(QUOTE_LIMIT * 4) + 4);
    for (count, c) in text.chars().enumerate() {
        if count == QUOTE_LIMIT {
            quoted.push('…');
            break;
        }
        if is_hidden(c) || needs_replacing(c) {
            quoted.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            quoted.push(c);
        }
    }
    Cow::Owned(quoted)
}

/// JSON text with every control, bidirectional and invisible character
/// written as a `\uXXXX` escape (a pair of them beyond U+FFFF). Such
/// characters only ever stand inside strings in JSON, where the escape
/// means the same character, so the document decodes to the same values.
pub fn json(text: String) -> String {
    // serde_json escapes the C0 controls: only DEL and non-ASCII text can
    // hold what is escaped here.
    if !text.bytes().any(|byte| byte >= 0x7f)
        || !text.chars().any(|c| c != '\n' && escapes_in_json(c))
    {
        return text;
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && escapes_in_json(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                escaped.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Whether `for_terminal` replaces `c`: for other escapers (Markdown, say)
/// that drop such characters instead.
pub fn is_unsafe(c: char) -> bool {
    needs_replacing(c)
}

fn escapes_in_json(c: char) -> bool {
    needs_replacing(c) || is_hidden(c)
}

/// Printable ASCII only: nothing to replace (the common case, checked a
/// word at a time by the compiler).
fn is_plain(text: &str) -> bool {
    text.bytes().all(|byte| (0x20..0x7f).contains(&byte))
}

/// Controls, bidirectional controls, and invisible characters that are
/// never needed to spell a word.
fn needs_replacing(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            c,
            // Bidirectional embeddings, overrides and isolates.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            // Left-to-right, right-to-left and Arabic letter marks.
            | '\u{200E}' | '\u{200F}' | '\u{061C}'
            // Zero-width space, word joiner and the invisible operators.
            | '\u{200B}' | '\u{2060}'..='\u{2064}'
            // Deprecated format controls, and the byte order mark.
            | '\u{206A}'..='\u{206F}' | '\u{FEFF}'
            // Interlinear annotation marks.
            | '\u{FFF9}'..='\u{FFFB}'
            // Mongolian vowel separator, invisible in most fonts.
            | '\u{180E}'
            // Tag characters: invisible, and able to carry a hidden text.
            | '\u{E0000}'..='\u{E007F}'
            // Line and paragraph separators.
            | '\u{2028}' | '\u{2029}'
        )
}

/// Invisible characters that some scripts and emoji need (joiners, the
/// soft hyphen): kept in text, spelt out in a quoted value, where they
/// could make two different ids look the same.
fn is_hidden(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{00AD}' | '\u{034F}')
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
        assert!(matches!(quote("design-review"), Cow::Borrowed(_)));
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

    #[test]
    fn invisible_characters_are_replaced_but_joiners_kept() {
        assert_eq!(
            for_terminal("a\u{200B}b\u{2060}c\u{FEFF}d\u{200F}e\u{E0041}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}"
        );
        // A family emoji is three people joined by zero-width joiners.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(for_terminal(family), family);
    }

    #[test]
    fn quoted_values_spell_out_what_cannot_be_seen() {
        assert_eq!(quote("a\u{200B}"), "a\\u{200b}");
        assert_eq!(quote("x\u{1b}[2J"), "x\\u{1b}[2J");
        assert_eq!(quote("a\u{200D}b"), "a\\u{200d}b");
        assert_eq!(quote("\u{202E}cod"), "\\u{202e}cod");
    }

    #[test]
    fn quoted_values_are_cut_short() {
        let long = "x".repeat(10_000_000);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), QUOTE_LIMIT + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(quote(&"é".repeat(QUOTE_LIMIT)), "é".repeat(QUOTE_LIMIT));
    }

    #[test]
    fn json_escapes_decode_to_the_same_text() {
        let value = "a\u{9b}b\u{7f}c\u{202E}d\u{2066}e\u{200B}f\u{E0041}g\u{9c}\u{9d}";
        let text = json(serde_json::to_string(&value).expect("a string serialises"));
        assert!(text.is_ascii(), "{text}");
        assert!(text.contains("\\u009b") && text.contains("\\u202e"));
        assert!(text.contains("\\udb40\\udc41"), "{text}");
        let back: String = serde_json::from_str(&text).expect("the escapes are valid JSON");
        assert_eq!(back, value);
        let plain = "{\n  \"a\": \"b\"\n}".to_owned();
        assert_eq!(json(plain.clone()), plain);
    }

    #[test]
    fn paths_are_sanitised_like_text() {
        assert_eq!(
            path(Path::new("plan\u{1b}]0;x\u{7}.toml")),
            "plan\u{FFFD}]0;x\u{FFFD}.toml"
        );
    }
}
