//! The Check-in pane: this week's check-in as it is being written, and the
//! earlier weeks with the trend of their figures.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_width::UnicodeWidthStr;

use crate::app::checkin::Section;
use crate::app::{App, Mode};
use crate::model::Checkin;
use crate::sanitize::for_terminal;

use super::{fit_with, rule, tail_fit};

/// A series as a one-line chart, scaled between its own minimum and maximum.
fn sparkline(values: &[Option<f64>], ascii: bool) -> String {
    let levels: Vec<char> = if ascii {
        " .:-=+*#".chars().collect()
    } else {
        "▁▂▃▄▅▆▇█".chars().collect()
    };
    let known: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let (min, max) = known
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    values
        .iter()
        .map(|value| match value {
            Some(v) if v.is_finite() => {
                let share = if max > min {
                    (v - min) / (max - min)
                } else {
                    0.5
                };
                levels[((share * (levels.len() - 1) as f64).round() as usize).min(levels.len() - 1)]
            }
            _ => ' ',
        })
        .collect()
}

pub fn render(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let Some(editor) = &app.checkin else {
        buffer.set_string(
            area.x + 1,
            area.y + 1,
            "The plan cannot be scheduled, so there is no check-in to draft.",
            theme.error,
        );
        return;
    };
    let recorded = app.checkin_recorded();
    let wide = area.width >= 110;
    let left_width = if wide { area.width * 3 / 5 } else { area.width };
    let history_height = if wide {
        area.height
    } else {
        7.min(area.height / 3)
    };
    let editor_height = if wide {
        area.height
    } else {
        area.height - history_height
    };
    let editing = match &app.mode {
        Mode::CheckinLine(input) => Some(input),
        _ => None,
    };
    let state = if recorded {
        "recorded"
    } else if editing.is_some() {
        "editing: Enter keeps the line, Esc cancels, an empty line removes it"
    } else {
        "draft: Enter edits a line, a adds, d removes, R records, [ ] other weeks"
    };
    buffer.set_string(
        area.x + 1,
        area.y,
        fit_with(
            &format!("Week of {}  ({state})", editor.week),
            left_width.saturating_sub(2) as usize,
            ellipsis,
        ),
        theme.title,
    );
    let lines = editor.lines();
    let mut rows: Vec<(String, Style, bool)> = Vec::new();
    // The column of the cursor in the line being edited.
    let mut cursor = None;
    let mut last_section = None;
    for (position, &(section, index)) in lines.iter().enumerate() {
        if last_section != Some(section) {
            rows.push((format!("{}:", section.title()), theme.key, false));
            last_section = Some(section);
        }
        let items = editor.items(section);
        if let (Some(input), true) = (editing, position == editor.selected) {
            let prefix = if section == Section::Note {
                "  "
            } else {
                "  - "
            };
            let typed = for_terminal(&input.text);
            let before: String = typed.chars().take(input.cursor).collect();
            cursor = Some((
                prefix.width() + before.width(),
                prefix.chars().count() + before.chars().count(),
            ));
            rows.push((format!("{prefix}{typed}"), theme.input, true));
            continue;
        }
        let text = match section {
            Section::Note => {
                if editor.note.is_empty() {
                    "  (none)".to_owned()
                } else {
                    format!("  {}", for_terminal(&editor.note))
                }
            }
            _ => match items.get(index) {
                Some(item) => format!("  - {}", for_terminal(item)),
                None if recorded => continue,
                None => "  + add".to_owned(),
            },
        };
        let style = if text.starts_with("  + add") || text == "  (none)" {
            theme.dim
        } else {
            theme.base
        };
        rows.push((text, style, position == editor.selected));
    }
    if !editor.risks_due.is_empty() {
        rows.push(("Risks due for review:".to_owned(), theme.key, false));
        for &risk in &editor.risks_due {
            let risk = &app.file.plan.risks[risk];
            rows.push((
                format!(
                    "  {} {} (score {})",
                    risk.id.value,
                    for_terminal(&risk.title),
                    risk.score()
                ),
                theme.warning,
                false,
            ));
        }
    }
    let visible = editor_height.saturating_sub(1) as usize;
    let selected_row = rows
        .iter()
        .position(|(_, _, selected)| *selected)
        .unwrap_or(0);
    let first = selected_row.saturating_sub(visible.saturating_sub(2));
    for (offset, (text, style, selected)) in rows.iter().skip(first).take(visible).enumerate() {
        let y = area.y + 1 + offset as u16;
        let mut style = *style;
        let typing = *selected && cursor.is_some();
        // The line being typed keeps the input style, so that the cursor
        // (drawn reversed) stands out from it.
        if *selected && !typing {
            style = style.patch(theme.selected);
            buffer.set_style(Rect::new(area.x, y, left_width, 1), theme.selected);
        }
        let room = left_width.saturating_sub(2) as usize;
        match cursor.filter(|_| *selected) {
            Some((column, chars)) => {
                // Keep the cursor in view: a long line is shown up to the
                // cursor, which stands at the right edge.
                let (shown, column) = if column + 1 > room {
                    let head: String = text.chars().take(chars).collect();
                    let rest: String = text.chars().skip(chars).collect();
                    let head = tail_fit(&head, room.saturating_sub(1), ellipsis);
                    let column = head.width();
                    let rest = fit_with(&rest, room.saturating_sub(column), ellipsis);
                    (format!("{head}{rest}"), column)
                } else {
                    (fit_with(text, room, ellipsis), column)
                };
                buffer.set_string(area.x + 1, y, &shown, style);
                let column = column.min(shown.width());
                buffer.set_style(
                    Rect::new(area.x + 1 + column as u16, y, 1, 1),
                    Style::new().add_modifier(Modifier::REVERSED),
                );
            }
            None => {
                buffer.set_string(area.x + 1, y, fit_with(text, room, ellipsis), style);
            }
        }
    }
    let history = if wide {
        Rect::new(
            area.x + left_width + 1,
            area.y,
            area.width - left_width - 1,
            area.height,
        )
    } else {
        Rect::new(area.x, area.y + editor_height, area.width, history_height)
    };
    checkin_history(buffer, history, app);
}

fn checkin_history(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let mut checkins: Vec<&Checkin> = app.file.plan.checkins.iter().collect();
    checkins.sort_by_key(|c| c.week.value);
    rule(buffer, area, theme);
    buffer.set_string(
        area.x + 1,
        area.y,
        format!(" Earlier weeks ({}) ", checkins.len()),
        theme.title,
    );
    if checkins.is_empty() {
        buffer.set_string(
            area.x + 1,
            area.y + 1,
            "No check-ins recorded yet.",
            theme.dim,
        );
        return;
    }
    let ascii = theme.glyphs.done.is_ascii();
    let width = (area.width as usize).saturating_sub(24).max(4);
    let recent: Vec<&Checkin> = checkins.iter().rev().take(width).rev().copied().collect();
    let series = [
        (
            "complete %",
            recent
                .iter()
                .map(|c| c.metrics.percent_complete)
                .collect::<Vec<_>>(),
        ),
        ("SPI", recent.iter().map(|c| c.metrics.spi).collect()),
        ("CPI", recent.iter().map(|c| c.metrics.cpi).collect()),
        (
            "blockers",
            recent
                .iter()
                .map(|c| c.metrics.open_blockers.map(|b| b as f64))
                .collect(),
        ),
    ];
    for (row, (label, values)) in series.iter().enumerate() {
        let y = area.y + 1 + row as u16;
        if y >= area.y + area.height {
            return;
        }
        let last = values
            .last()
            .copied()
            .flatten()
            // At most 7 characters: indices reach 1000, blockers a million.
            .map(|v| {
                if v.abs() < 1000.0 {
                    format!("{v:.2}")
                } else {
                    format!("{v:.0}")
                }
            })
            .unwrap_or_else(|| "-".to_owned());
        buffer.set_string(area.x + 1, y, format!("{label:<11}"), theme.dim);
        buffer.set_string(area.x + 12, y, sparkline(values, ascii), theme.bar_planned);
        let x = area.x + 12 + values.len() as u16 + 1;
        if x + 6 < area.x + area.width {
            buffer.set_string(x, y, last, theme.base);
        }
    }
    let first_row = area.y + 1 + series.len() as u16;
    for (y, checkin) in (first_row..area.y + area.height).zip(checkins.iter().rev()) {
        let note = checkin
            .note
            .as_deref()
            .map(for_terminal)
            .unwrap_or_default();
        let text = format!(
            "{}  done {}  next {}  blocked {}  {note}",
            checkin.week.value,
            checkin.done.len(),
            checkin.next.len(),
            checkin.blocked.len()
        );
        buffer.set_string(
            area.x + 1,
            y,
            fit_with(&text, area.width.saturating_sub(2) as usize, ellipsis),
            theme.base,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_between_the_extremes_and_leave_gaps() {
        assert_eq!(
            sparkline(&[Some(0.0), Some(50.0), Some(100.0)], false),
            "▁▅█"
        );
        assert_eq!(sparkline(&[Some(1.0), None, Some(1.0)], true), "= =");
    }
}
