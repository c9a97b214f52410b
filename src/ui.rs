//! Drawing. Views read the app's state and never change it; text from the
//! plan goes through `sanitize::for_terminal` before any widget sees it.

mod checkin;
mod dashboard;
pub mod gantt;
mod overlays;
mod plan;
mod risks;
mod trend;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::{App, Level, Mode, Pane};
use crate::layout::{FRAME_ROWS, MIN_SIZE};
use crate::sanitize::for_terminal;

/// Draws one frame of the whole app.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let buffer = frame.buffer_mut();
    render_to(buffer, area, app);
}

/// Draws into any buffer (the tests and benchmarks use this directly).
pub fn render_to(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    buffer.set_style(area, theme.base);
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(buffer, area, app);
        return;
    }
    pane_bar(buffer, Rect { height: 1, ..area }, app);
    let body = Rect {
        y: area.y + 1,
        height: area.height - FRAME_ROWS,
        ..area
    };
    match app.pane {
        Pane::Gantt => gantt::GanttView::new(app).render(body, buffer),
        Pane::Risks => risks::render(buffer, body, app),
        Pane::Plan => plan::render(buffer, body, app),
        Pane::Checkin => checkin::render(buffer, body, app),
        Pane::Dashboard => dashboard::render(buffer, body, app),
    }
    status_line(
        buffer,
        Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        },
        app,
    );
    overlays::render(buffer, area, app);
}

fn too_small(buffer: &mut Buffer, area: Rect, app: &App) {
    let (min_width, min_height) = MIN_SIZE;
    let lines = [
        "terminal too small".to_owned(),
        format!(
            "{}x{}: need {min_width}x{min_height}",
            area.width, area.height
        ),
        "q quits".to_owned(),
    ];
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (offset, line) in lines.iter().enumerate() {
        let y = top + offset as u16;
        if y >= area.y + area.height {
            break;
        }
        let text = fit_with(line, area.width as usize, app.config.theme.glyphs.ellipsis);
        let x = area.x + (area.width.saturating_sub(text.width() as u16)) / 2;
        buffer.set_string(x, y, text, app.config.theme.warning);
    }
}

fn pane_bar(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    buffer.set_style(area, theme.status_bar);
    let mut x = area.x;
    for pane in Pane::ALL {
        let label = pane.label();
        let style = if pane == app.pane {
            theme.pane_active
        } else {
            theme.status_bar
        };
        let width = label.width() as u16;
        if x + width > area.x + area.width {
            break;
        }
        buffer.set_string(x, area.y, &label, style);
        x += width;
    }
    let name = for_terminal(&app.file.plan.project.name);
    let room = (area.x + area.width).saturating_sub(x + 2) as usize;
    if room > 4 {
        let text = fit_with(&name, room, theme.glyphs.ellipsis);
        let start = area.x + area.width - text.width() as u16 - 1;
        buffer.set_string(start, area.y, text, theme.status_bar.patch(theme.title));
    }
}

fn status_line(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    buffer.set_style(area, theme.status_bar);
    let prompt = match &app.mode {
        Mode::CommandLine(input) => Some((":", input)),
        Mode::Search(input) => Some(("/", input)),
        Mode::SaveAs(input) => Some(("save as: ", input)),
        _ => None,
    };
    if let Some((label, input)) = prompt {
        // What Enter will do, or what the last Enter did, above the prompt.
        let default_hint = match &app.mode {
            Mode::CommandLine(_) => Some(
                "Enter runs the command (:w, :q, :goto ID, :filter, :compare, :help); Esc cancels",
            ),
            Mode::Search(_) => Some("Enter keeps the search (n, N step through it); Esc cancels"),
            Mode::SaveAs(_) => Some("Enter writes the plan to this file; Esc cancels"),
            _ => None,
        };
        let shown = app
            .message
            .clone()
            .or_else(|| default_hint.map(|hint| (Level::Info, hint.to_owned())));
        if let Some((level, text)) = &shown
            && area.y > 0
        {
            let style = match level {
                Level::Info => theme.status_bar.patch(theme.info),
                Level::Warning => theme.status_bar.patch(theme.warning),
                Level::Error => theme.status_bar.patch(theme.error),
            };
            let above = Rect {
                y: area.y - 1,
                ..area
            };
            buffer.set_style(above, theme.status_bar);
            buffer.set_string(
                area.x + 1,
                above.y,
                fit_with(
                    &for_terminal(text),
                    area.width.saturating_sub(2) as usize,
                    theme.glyphs.ellipsis,
                ),
                style,
            );
        }
        buffer.set_style(area, theme.base);
        buffer.set_string(area.x, area.y, label, theme.key);
        let x = area.x + label.width() as u16;
        let room = area.width.saturating_sub(label.width() as u16 + 1) as usize;
        let text = for_terminal(&input.text);
        // Show the end of a long input, where the cursor usually is.
        let shown = tail_fit(&text, room, theme.glyphs.ellipsis);
        buffer.set_string(x, area.y, &shown, theme.input);
        let cursor_x = x + shown.width().min(
            text.chars()
                .take(input.cursor)
                .map(|c| c.width().unwrap_or(0))
                .sum::<usize>(),
        ) as u16;
        if cursor_x < area.x + area.width {
            buffer.set_style(
                Rect::new(cursor_x, area.y, 1, 1),
                Style::new().add_modifier(ratatui::style::Modifier::REVERSED),
            );
        }
        return;
    }
    let mut left = format!(" {}", for_terminal(&app.file_name()));
    if app.has_unsaved_work() {
        left.push_str(" [+]");
    }
    if !app.gantt.filter.is_empty() {
        left.push_str(&format!(" [{}]", app.gantt.filter.describe()));
    }
    if let Some(baseline) = &app.baseline {
        left.push_str(&format!(" [vs {}]", for_terminal(baseline)));
    }
    let right = format!(
        " {} {} ",
        if app.file.plan.project.status_date.is_some() {
            "as of"
        } else {
            "today"
        },
        app.status_date()
    );
    let left = fit_with(&left, area.width as usize, theme.glyphs.ellipsis);
    buffer.set_string(area.x, area.y, &left, theme.status_bar);
    let used = left.width() as u16;
    let right_width = right.width() as u16;
    let middle_start = area.x + used + 2;
    let middle_end = (area.x + area.width).saturating_sub(right_width + 1);
    if middle_end > middle_start {
        let room = (middle_end - middle_start) as usize;
        let (text, style) = match &app.message {
            Some((level, text)) => (
                for_terminal(text).into_owned(),
                match level {
                    Level::Info => theme.status_bar.patch(theme.info),
                    Level::Warning => theme.status_bar.patch(theme.warning),
                    Level::Error => theme.status_bar.patch(theme.error),
                },
            ),
            None => (hints(app, room), theme.status_bar),
        };
        if app.message.is_some() && text.width() > room && area.y > 0 {
            // Too long for the room beside the file name: the line above,
            // the width of the terminal, as a prompt's message is shown.
            let above = Rect {
                y: area.y - 1,
                ..area
            };
            buffer.set_style(above, theme.status_bar);
            buffer.set_string(
                area.x + 1,
                above.y,
                fit_with(
                    &text,
                    area.width.saturating_sub(2) as usize,
                    theme.glyphs.ellipsis,
                ),
                style,
            );
        } else {
            buffer.set_string(
                middle_start,
                area.y,
                fit_with(&text, room, theme.glyphs.ellipsis),
                style,
            );
        }
    }
    if area.width > used + right_width + 2 {
        buffer.set_string(
            area.x + area.width - right_width,
            area.y,
            &right,
            theme.status_bar,
        );
    }
}

/// Key hints for the status line, read from the live key map; as many as
/// fit in `room` columns, most useful first.
fn hints(app: &App, room: usize) -> String {
    use crate::keymap::Command;
    let keymap = &app.config.keymap;
    let first = |command: Command| {
        keymap
            .keys_for(command)
            .first()
            .map(|key| match (key.ctrl, key.code) {
                (true, ratatui::crossterm::event::KeyCode::Char(c)) => {
                    format!("^{}", c.to_ascii_uppercase())
                }
                _ => key.label(),
            })
            .unwrap_or_else(|| "?".to_owned())
    };
    let mut hints = vec![format!("{} help", first(Command::Help))];
    if app.pane == Pane::Gantt {
        hints.push(format!("{} edit", first(Command::Edit)));
        hints.push(format!("{} status", first(Command::CycleStatus)));
    }
    hints.push(format!("{} save", first(Command::Save)));
    hints.push(format!("{} quit", first(Command::Quit)));
    hints.push(format!("{} undo", first(Command::Undo)));
    if app.pane == Pane::Gantt {
        hints.push(format!("{} add", first(Command::Add)));
        hints.push(format!("{} search", first(Command::Search)));
    }
    let mut line = String::new();
    for hint in hints {
        let next = if line.is_empty() {
            hint
        } else {
            format!("{line}  {hint}")
        };
        if next.width() > room {
            break;
        }
        line = next;
    }
    line
}

/// A dim horizontal line across the top row of `area`, over a panel.
fn rule(buffer: &mut Buffer, area: Rect, theme: &crate::theme::Theme) {
    let line = if theme.glyphs.done.is_ascii() {
        '-'
    } else {
        '─'
    };
    let rule: String = std::iter::repeat_n(line, area.width as usize).collect();
    buffer.set_string(area.x, area.y, &rule, theme.dim);
}

/// `text` cut to `width` display columns, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    fit_with(text, width, '…')
}

/// `fit` with a chosen ellipsis (ASCII terminals get `~`).
pub fn fit_with(text: &str, width: usize, ellipsis: char) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push(ellipsis);
    out
}

/// The end of `text` that fits in `width` columns.
fn tail_fit(text: &str, width: usize, ellipsis: char) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut used = 0;
    let mut chars = Vec::new();
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        chars.push(c);
        used += w;
    }
    chars.push(ellipsis);
    chars.into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("Payment", 10), "Payment");
        assert_eq!(fit("Payment API", 8), "Payment…");
        // Wide characters take two columns each.
        assert_eq!(fit("決済連携テスト", 7), "決済連…");
        assert!(fit("決済連携テスト", 7).width() <= 7);
        assert_eq!(tail_fit("abcdef", 4, '~'), "~def");
    }
}
