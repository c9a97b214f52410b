//! The Plan pane: the charter of the project in one page — objectives,
//! scope, people with their load, change requests, quality gates, the
//! communication plan, handover and review — one line selected, and under
//! the page that line whole, wrapped, so nothing cut at 80 columns is out
//! of reach. Which lines the page has is the app's (`app::plan::page`);
//! how each reads and looks is drawn here.

mod changes;
mod dialog;
mod lines;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::plan::{page, split_rows};

use super::fit_with;

pub use dialog::dialog;

pub fn render(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let plan = &app.file.plan;
    let lines = page(plan);
    let (rows, detail_rows) = split_rows(area.height);
    let scroll = app.plan.first_shown(&lines, rows as usize);
    let selected = app.plan.selected_line(&lines);
    let selected_index = selected.and_then(|s| lines.iter().position(|l| *l == s));
    let context = lines::Context::new(app);
    let width = area.width.saturating_sub(2) as usize;
    for (row, &page_line) in lines.iter().skip(scroll).take(rows as usize).enumerate() {
        let y = area.y + row as u16;
        let drawn = context.line(page_line);
        let is_selected = Some(scroll + row) == selected_index;
        if is_selected {
            buffer.set_style(Rect::new(area.x, y, area.width, 1), theme.selected);
        }
        let style = |style| {
            if is_selected { theme.selected } else { style }
        };
        // The right-hand part (a person's load) keeps its place; the text
        // before it is cut to fit.
        let right_width: usize = drawn.right.iter().map(|(text, _)| text.width()).sum();
        let room = if right_width > 0 && width > right_width + 20 {
            width - right_width - 1
        } else {
            width
        };
        buffer.set_string(
            area.x + 1,
            y,
            fit_with(&drawn.text, room, theme.glyphs.ellipsis),
            style(drawn.style),
        );
        if room < width {
            let mut x = area.x + 1 + (width - right_width) as u16;
            for (part, part_style) in &drawn.right {
                buffer.set_string(x, y, part, style(*part_style));
                x += part.width() as u16;
            }
        }
    }
    if detail_rows > 0 {
        let detail = Rect {
            y: area.y + rows,
            height: detail_rows,
            ..area
        };
        super::rule(buffer, detail, theme);
        let text = selected
            .map(|line| context.detail(line))
            .unwrap_or_default();
        for (row, part) in wrap(&text, width)
            .iter()
            .take(detail_rows as usize - 1)
            .enumerate()
        {
            buffer.set_string(area.x + 1, detail.y + 1 + row as u16, part, theme.base);
        }
        let hint = context.hint(selected);
        let hint = format!(" {hint} ");
        if hint.width() + 4 < area.width as usize {
            let x = area.x + area.width - hint.width() as u16 - 1;
            buffer.set_string(x, detail.y, hint, theme.dim);
        }
    }
}

/// `text` in lines of at most `width` columns, broken at spaces; a word
/// longer than a line is cut where the line ends.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let joined = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if joined.width() <= width {
            current = joined;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        let mut rest = word.to_owned();
        while rest.width() > width {
            let head = fit_exact(&rest, width);
            rest = rest[head.len()..].to_owned();
            out.push(head);
        }
        current = rest;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The longest start of `text` that fits in `width` columns.
fn fit_exact(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut end = 0;
    for (index, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        end = index + c.len_utf8();
    }
    // Always move on, even past a character wider than the line.
    if end == 0 {
        end = text.chars().next().map_or(0, char::len_utf8);
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert!(wrap("", 5).is_empty());
    }
}
