//! Line endings as the file had them. toml_edit writes every line ending as
//! "\n" (it drops each '\r') and ends the text with one; a save gives each
//! untouched line back its own ending, so it stays byte for byte.

/// `rendered` (toml_edit's text of the document read from `original`, maybe
/// edited since) with the line endings of `original`: lines before the first
/// and after the last change keep theirs exactly, the lines in between take
/// the file's usual ending.
pub fn restore(original: &str, rendered: String) -> String {
    // toml_edit drops a byte order mark, too: the file keeps its own.
    match original.strip_prefix(BOM) {
        Some(rest) => {
            let rendered = match rendered.strip_prefix(BOM) {
                Some(without) => without.to_owned(),
                None => rendered,
            };
            let mut text = String::with_capacity(rendered.len() + BOM.len_utf8());
            text.push(BOM);
            text.push_str(&restore_endings(rest, rendered));
            text
        }
        None => restore_endings(original, rendered),
    }
}

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: char = '\u{feff}';

fn restore_endings(original: &str, mut rendered: String) -> String {
    if original.is_empty() {
        return rendered;
    }
    if !original.ends_with('\n') && rendered.ends_with('\n') {
        rendered.pop();
    }
    if !original.contains('\r') {
        return rendered;
    }
    let old: Vec<(&str, &str)> = split_lines(original).collect();
    let new: Vec<&str> = rendered.split('\n').collect();
    let crlf = old.iter().filter(|(_, ending)| *ending == "\r\n").count();
    let lf = old.iter().filter(|(_, ending)| *ending == "\n").count();
    let usual = if crlf >= lf { "\r\n" } else { "\n" };

    // toml_edit drops every '\r', so a line is unchanged when it matches
    // the original without its '\r's.
    let same = |(line, _): (&str, &str), new_line: &str| {
        if line.contains('\r') {
            line.replace('\r', "") == new_line
        } else {
            line == new_line
        }
    };
    let mut prefix = 0;
    while prefix < old.len() && prefix < new.len() && same(old[prefix], new[prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < old.len() - prefix
        && suffix < new.len() - prefix
        && same(old[old.len() - 1 - suffix], new[new.len() - 1 - suffix])
    {
        suffix += 1;
    }

    let mut text = String::with_capacity(original.len() + rendered.len() / 8);
    let last = new.len() - 1;
    for (index, new_line) in new.iter().enumerate() {
        let kept = if index < prefix {
            Some(old[index])
        } else if index >= new.len() - suffix {
            Some(old[old.len() - (new.len() - index)])
        } else {
            None
        };
        let ending = match kept {
            Some((line, ending)) => {
                text.push_str(line);
                ending
            }
            None => {
                text.push_str(new_line);
                ""
            }
        };
        if index < last {
            text.push_str(if ending.is_empty() { usual } else { ending });
        }
    }
    text
}

/// The lines of `text`, each with its ending ("\r\n", "\n", or "" for the last).
fn split_lines(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix("\r\n") {
            Some(content) => (content, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(content) => (content, "\n"),
                None => (line, ""),
            },
        })
        .chain(text.ends_with('\n').then_some(("", "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What toml_edit makes of a text: no '\r', and a final "\n".
    fn rendered(text: &str) -> String {
        let mut text = text.replace('\r', "");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    #[test]
    fn unchanged_text_comes_back_byte_for_byte() {
        for original in [
            "a = 1\n",
            "a = 1",
            "a = 1\r\nb = 2\r\n",
            "a = 1\r\nb = 2",
            "a = 1\r\nb = 2\n\nc = 3\r\n",
            "a = 1\nb = 2\r\n# last",
            "\r\n\r\n",
            "x",
        ] {
            assert_eq!(
                restore(original, rendered(original)),
                original,
                "{original:?}"
            );
        }
    }

    #[test]
    fn a_changed_line_takes_the_usual_ending_and_the_rest_keep_theirs() {
        let original = "a = 1\r\nb = 2\r\nc = 3\nd = 4\r\n";
        let edited = "a = 1\nb = 20\nc = 3\nd = 4\n".to_owned();
        assert_eq!(
            restore(original, edited),
            "a = 1\r\nb = 20\r\nc = 3\nd = 4\r\n"
        );
    }

    #[test]
    fn added_and_removed_lines() {
        let original = "[t]\r\na = 1\r\n\r\n[u]\r\nb = 2\r\n";
        let added = "[t]\na = 1\nprogress = 60\n\n[u]\nb = 2\n".to_owned();
        assert_eq!(
            restore(original, added),
            "[t]\r\na = 1\r\nprogress = 60\r\n\r\n[u]\r\nb = 2\r\n"
        );
        let removed = "[t]\n\n[u]\nb = 2\n".to_owned();
        assert_eq!(restore(original, removed), "[t]\r\n\r\n[u]\r\nb = 2\r\n");
    }

    #[test]
    fn a_file_without_a_final_line_ending_keeps_it_that_way() {
        assert_eq!(restore("a = 1", "a = 2\n".to_owned()), "a = 2");
        assert_eq!(
            restore("a = 1\r\nb = 2", "a = 1\nb = 3\n".to_owned()),
            "a = 1\r\nb = 3"
        );
    }

    #[test]
    fn a_byte_order_mark_is_kept_with_any_ending() {
        for original in [
            "\u{feff}a = 1\n",
            "\u{feff}a = 1",
            "\u{feff}a = 1\r\nb = 2\r\n",
            "\u{feff}a = 1\r\nb = 2",
        ] {
            // toml_edit renders without the mark.
            let without = rendered(original.trim_start_matches('\u{feff}'));
            assert_eq!(restore(original, without), original, "{original:?}");
            // Nor is it doubled when the rendering has one.
            assert_eq!(
                restore(original, format!("\u{feff}{}", rendered(&original[3..]))),
                original,
                "{original:?}"
            );
        }
        assert_eq!(
            restore("\u{feff}a = 1", "a = 2\n".to_owned()),
            "\u{feff}a = 2"
        );
        assert_eq!(
            restore("\u{feff}a = 1\r\nb = 2", "a = 1\nb = 3\n".to_owned()),
            "\u{feff}a = 1\r\nb = 3"
        );
    }

    #[test]
    fn new_text_is_left_alone() {
        assert_eq!(restore("", "a = 1\n".to_owned()), "a = 1\n");
    }
}
