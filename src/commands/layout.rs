//! How wide the commands' text output may be, and how a table shares that
//! width: ids are never cut (they are pasted into other commands), the
//! one column of free text (a name, a title) takes what is left, and
//! output that goes to a file or a pipe is never cut at all.

use std::io::IsTerminal;

/// A free-text column keeps at least this many columns, however narrow
/// the terminal: past that the line is left to wrap.
pub const MIN_TEXT: usize = 12;

/// The width used to wrap prose (alerts, notes) when there is no terminal.
pub const PROSE: usize = 80;

/// The columns text output may use: the terminal's width when standard
/// output is a terminal (what the terminal reports, else `COLUMNS`, else
/// 80), or None when it goes to a file or a pipe, which get every line
/// whole.
pub fn output_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let reported = ratatui::crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
        .filter(|&columns| columns > 0);
    let columns = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|text| text.trim().parse::<usize>().ok())
            .filter(|&columns| columns > 0)
    };
    Some(reported.or_else(columns).unwrap_or(80))
}

/// The width of a table's free-text column whose longest entry is
/// `content` columns wide, beside columns that take `fixed` in all: all of
/// it without a limit, else what `limit` leaves (at least `MIN_TEXT`, and
/// never more than it needs).
pub fn text_column(content: usize, fixed: usize, limit: Option<usize>) -> usize {
    match limit {
        None => content,
        Some(limit) => content.min(limit.saturating_sub(fixed).max(MIN_TEXT)),
    }
}

/// Where prose is wrapped: the terminal's width, or `PROSE` columns.
pub fn prose_width(limit: Option<usize>) -> usize {
    limit.unwrap_or(PROSE).max(MIN_TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_column_takes_what_the_others_leave() {
        // Without a limit (a pipe): whole.
        assert_eq!(text_column(50, 60, None), 50);
        // 160 columns leave room for all of it.
        assert_eq!(text_column(50, 60, Some(160)), 50);
        // 80 columns leave 20.
        assert_eq!(text_column(50, 60, Some(80)), 20);
        // A narrow terminal still gets a readable name; the line wraps.
        assert_eq!(text_column(50, 60, Some(40)), MIN_TEXT);
        // A short name never takes more than it needs.
        assert_eq!(text_column(5, 60, Some(40)), 5);
    }

    #[test]
    fn prose_wraps_at_the_terminal_or_eighty() {
        assert_eq!(prose_width(None), 80);
        assert_eq!(prose_width(Some(120)), 120);
        assert_eq!(prose_width(Some(3)), MIN_TEXT);
    }
}
