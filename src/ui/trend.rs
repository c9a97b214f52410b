//! The milestone trend overlay: each milestone's forecast date commit by
//! commit, from `history::chart`, the same layout `gantry history` prints.
//! A milestone whose letter drifts right from row to row is slipping.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use crate::app::{App, TrendData, TrendState, trend_layout};
use crate::diff::SideState;
use crate::history::{self, Cell};
use crate::sanitize::for_terminal;

use super::fit_with;
use super::overlays::dialog;

/// `2027-01-04 a1b2c3d `: the date and commit before each row.
const LABEL_WIDTH: u16 = 19;

pub fn render(buffer: &mut Buffer, area: Rect, app: &App, scroll: Option<usize>) {
    let theme = &app.config.theme;
    // Everything between the pane bar and the status line.
    let width = area.width;
    let height = area.height.saturating_sub(2);
    let title = "Milestone trend (j/k scroll, r reload, Esc close)";
    let inner = dialog(buffer, area, app, width, height, title);
    let ellipsis = theme.glyphs.ellipsis;
    let say = |buffer: &mut Buffer, y: u16, text: &str, style: Style| {
        if y < inner.y + inner.height {
            buffer.set_string(
                inner.x,
                y,
                fit_with(text, inner.width as usize, ellipsis),
                style,
            );
        }
    };
    match &app.trend {
        TrendState::Idle | TrendState::Loading(_) => {
            let name = for_terminal(&app.file.path.display().to_string()).into_owned();
            say(
                buffer,
                inner.y,
                &format!("Reading the history of {name} from git…"),
                theme.dim,
            );
        }
        TrendState::Failed(message) => {
            say(buffer, inner.y, &for_terminal(message), theme.error);
        }
        TrendState::Ready(data) => chart(buffer, inner, app, data, scroll),
    }
}

fn chart(buffer: &mut Buffer, inner: Rect, app: &App, data: &TrendData, scroll: Option<usize>) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let path = for_terminal(&data.path);
    let bottom = inner.y + inner.height;
    let line = |buffer: &mut Buffer, x: u16, y: u16, text: &str, style: Style| {
        if y < bottom && x < inner.x + inner.width {
            let room = (inner.x + inner.width - x) as usize;
            buffer.set_string(x, y, fit_with(text, room, ellipsis), style);
        }
    };
    if data.commits == 0 {
        line(
            buffer,
            inner.x,
            inner.y,
            &format!("No commit has changed {path} yet: commit it to start its history."),
            theme.dim,
        );
        return;
    }
    let summary = format!(
        "{path}: {} commit{}; a milestone drifting right is slipping{}",
        data.commits,
        if data.commits == 1 { "" } else { "s" },
        if data.trend.lines.len() < data.trend.total {
            format!(
                " ({} of {} milestones)",
                data.trend.lines.len(),
                data.trend.total
            )
        } else {
            String::new()
        }
    );
    line(buffer, inner.x, inner.y, &summary, theme.dim);
    if data.trend.lines.is_empty() {
        line(
            buffer,
            inner.x,
            inner.y + 1,
            "The plan has no milestones to chart.",
            theme.dim,
        );
        return;
    }
    let layout = trend_layout(inner.height + 4, data.trend.lines.len());
    let chart_width = inner.width.saturating_sub(LABEL_WIDTH).max(10);
    let chart = history::chart(&data.snapshots, &data.trend, usize::from(chart_width));
    let chart_x = inner.x + LABEL_WIDTH;
    line(buffer, chart_x, inner.y + 1, &chart.axis[0], theme.dim);
    let ticks: String = if theme.glyphs.done.is_ascii() {
        chart.axis[1].clone()
    } else {
        chart.axis[1].replace('-', "─").replace('|', "┼")
    };
    line(buffer, chart_x, inner.y + 2, &ticks, theme.dim);
    let total = data.snapshots.len();
    let visible = layout.rows.min(usize::from(inner.height.saturating_sub(3)));
    let first = scroll
        .unwrap_or(total.saturating_sub(visible))
        .min(total.saturating_sub(visible));
    let palette = [
        theme.milestone,
        theme.info,
        theme.warning,
        theme.key,
        theme.error,
        theme.title,
    ];
    let grid = if theme.glyphs.done.is_ascii() {
        "."
    } else {
        "·"
    };
    let mut several = false;
    let mut drawn = 0u16;
    for (offset, index) in (first..total).take(visible).enumerate() {
        drawn += 1;
        let y = inner.y + 3 + offset as u16;
        let snapshot = &data.snapshots[index];
        let label = if snapshot.hash.is_empty() {
            format!("{} now", snapshot.date)
        } else {
            format!("{} {}", snapshot.date, snapshot.short_hash())
        };
        let label_style = if snapshot.hash.is_empty() {
            theme.key
        } else {
            theme.dim
        };
        line(buffer, inner.x, y, &label, label_style);
        if snapshot.milestones.is_empty() && snapshot.state != SideState::Valid {
            let problem =
                for_terminal(snapshot.problem.as_deref().unwrap_or_default()).into_owned();
            let why = match snapshot.state {
                SideState::Absent => "the file was removed".to_owned(),
                SideState::Unparsable => format!("does not parse: {problem}"),
                _ => format!("cannot be scheduled: {problem}"),
            };
            line(buffer, chart_x, y, &why, theme.warning);
            continue;
        }
        for (column, cell) in chart.rows[index].iter().enumerate() {
            let x = chart_x + column as u16;
            if x >= inner.x + inner.width {
                break;
            }
            match cell {
                Cell::Empty => {}
                Cell::Grid => {
                    buffer.set_string(x, y, grid, theme.dim);
                }
                Cell::Milestone(n) => {
                    buffer.set_string(
                        x,
                        y,
                        history::mark(*n).to_string(),
                        palette[n % palette.len()],
                    );
                }
                Cell::Several => {
                    several = true;
                    buffer.set_string(x, y, "*", theme.title);
                }
            }
        }
    }
    let legend_y = inner.y + 3 + drawn + 1;
    for (index, trend_line) in data.trend.lines.iter().enumerate().take(layout.legend) {
        let y = legend_y + index as u16;
        let dates = match (trend_line.first(), trend_line.last()) {
            (Some(first), Some(last)) if first == last => format!("{last}, unchanged"),
            (Some(first), Some(last)) => {
                format!("{first} → {last} ({:+} working days)", trend_line.drift)
            }
            _ => String::new(),
        };
        let mark = history::mark(index).to_string();
        line(buffer, inner.x, y, &mark, palette[index % palette.len()]);
        let name = format!(
            "{} {}",
            for_terminal(&trend_line.id),
            for_terminal(&trend_line.name)
        );
        let room = (inner.width as usize)
            .saturating_sub(dates.width() + 4)
            .max(8);
        let name = fit_with(&name, room, ellipsis);
        line(buffer, inner.x + 2, y, &name, theme.base);
        let style = if trend_line.drift > 0 {
            theme.error
        } else {
            theme.dim
        };
        line(
            buffer,
            inner.x + 2 + name.width() as u16 + 2,
            y,
            &dates,
            style,
        );
    }
    let after = legend_y + layout.legend.min(data.trend.lines.len()) as u16;
    let note = if layout.legend < data.trend.lines.len() {
        Some(format!(
            "… {} more milestones: gantry history lists them",
            data.trend.lines.len() - layout.legend
        ))
    } else if several {
        Some("* several milestones on one day".to_owned())
    } else {
        None
    };
    if let Some(note) = note {
        line(buffer, inner.x, after, &note, theme.dim);
    }
}
