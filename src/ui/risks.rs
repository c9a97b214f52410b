//! The Risks pane: the register as a sortable table, a 5x5 heat map of
//! likelihood against impact, and the selected risk in full.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

use crate::app::App;
use crate::app::risks::RiskSort;
use crate::model::{RiskStatus, RiskTier};
use crate::sanitize::for_terminal;
use crate::theme::Theme;

use super::{fit_with, rule};

const HEAT_MAP_WIDTH: u16 = 27;

pub fn render(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let plan = &app.file.plan;
    let ellipsis = theme.glyphs.ellipsis;
    let order = app.risks.ordered(plan);
    let selected = order.get(app.risks.selected).copied();
    let status_date = app.status_date();
    let show_map = area.width >= 70 && !app.risks.map_folded;
    let table_width = if show_map {
        area.width - HEAT_MAP_WIDTH - 1
    } else {
        area.width
    };
    let detail_rows: u16 = if area.height >= 18 { 5 } else { 0 };
    let table_height = area.height.saturating_sub(detail_rows);

    // Which columns fit: the narrow set always, owner and reviewed when wide.
    let wide = table_width >= 100;
    let (down, up) = if theme.glyphs.done.is_ascii() {
        ('v', '^')
    } else {
        ('▼', '▲')
    };
    let header = |sort: RiskSort, label: &str| {
        if app.risks.sort == sort {
            format!("{label}{}", if app.risks.descending { down } else { up })
        } else {
            label.to_owned()
        }
    };
    // Narrow: the tier shows only as the `!` marker, the score header shrinks.
    let narrow = table_width < 64;
    let mut columns: Vec<(String, u16)> = vec![
        (String::new(), 3),
        (header(RiskSort::Id, "id"), 6),
        (header(RiskSort::Likelihood, "L"), 3),
        (header(RiskSort::Impact, "I"), 3),
        if narrow {
            (header(RiskSort::Score, "sc"), 4)
        } else {
            (header(RiskSort::Score, "score"), 7)
        },
        (header(RiskSort::Tier, "tier"), 8),
        (header(RiskSort::Trigger, "trigger"), 11),
        (header(RiskSort::Status, "status"), 10),
    ];
    // Below the wide layout the tier shows as the `!` marker only, so the
    // titles keep the room.
    if !wide {
        columns.remove(5);
    }
    if wide {
        columns.push((header(RiskSort::Owner, "owner"), 10));
        columns.push((header(RiskSort::Reviewed, "reviewed"), 11));
    }
    let fixed: u16 = columns.iter().map(|(_, w)| w).sum();
    let title_width = table_width.saturating_sub(fixed + 1).max(8);
    columns.insert(2, (header(RiskSort::Title, "title"), title_width));

    let filter = match &app.risks.filter {
        Some(filter) => format!(
            "  filter \"{}\" (/ to change, Esc in it clears)",
            for_terminal(filter)
        ),
        None => String::new(),
    };
    let heading = format!(
        " {} risk(s), sorted by {}{filter}",
        order.len(),
        app.risks.sort.name()
    );
    buffer.set_string(
        area.x,
        area.y,
        fit_with(&heading, table_width as usize, ellipsis),
        theme.dim,
    );
    let mut x = area.x;
    for (label, width) in &columns {
        buffer.set_string(
            x,
            area.y + 1,
            fit_with(label, *width as usize, ellipsis),
            theme.title,
        );
        x += width;
    }
    let rows = table_height.saturating_sub(2) as usize;
    let first = app.risks.selected.saturating_sub(rows.saturating_sub(1));
    for (offset, &index) in order.iter().enumerate().skip(first).take(rows) {
        let risk = &plan.risks[index];
        let y = area.y + 2 + (offset - first) as u16;
        let urgent = risk.tier == RiskTier::Urgent
            && matches!(risk.status, RiskStatus::Open | RiskStatus::Occurred);
        let due = risk.is_past_trigger(status_date);
        let marker = format!(
            "{}{}",
            if urgent { theme.glyphs.critical } else { ' ' },
            if due { theme.glyphs.today } else { ' ' }
        );
        let mut style = theme.base;
        if matches!(risk.status, RiskStatus::Closed | RiskStatus::Mitigated) {
            style = theme.dim;
        }
        if urgent {
            style = style.patch(theme.warning);
        }
        if due {
            style = style.patch(theme.error);
        }
        if Some(index) == selected {
            style = style.patch(theme.selected);
            buffer.set_style(Rect::new(area.x, y, table_width, 1), theme.selected);
        }
        let score = style.patch(score_style(risk.score(), theme));
        let mut cells: Vec<(String, Style)> = vec![
            (marker, style),
            (risk.id.value.clone(), style),
            (for_terminal(&risk.title).into_owned(), style),
            (risk.likelihood.to_string(), style),
            (risk.impact.to_string(), style),
            (risk.score().to_string(), score),
            (risk.tier.as_str().to_owned(), style),
            (
                risk.trigger
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".to_owned()),
                style,
            ),
            (risk.status.as_str().to_owned(), style),
        ];
        if !wide {
            cells.remove(6);
        }
        if wide {
            cells.push((
                risk.owner
                    .as_ref()
                    .map(|o| o.id.value.clone())
                    .unwrap_or_else(|| "-".to_owned()),
                style,
            ));
            cells.push((
                risk.reviewed
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "never".to_owned()),
                style,
            ));
        }
        let mut x = area.x;
        for ((_, width), (text, cell_style)) in columns.iter().zip(cells) {
            buffer.set_string(
                x,
                y,
                fit_with(&text, width.saturating_sub(1) as usize, ellipsis),
                cell_style,
            );
            x += width;
        }
    }
    if order.is_empty() {
        let text = if plan.risks.is_empty() {
            "No risks yet: press a to add one."
        } else {
            "No risk matches the filter."
        };
        buffer.set_string(area.x + 2, area.y + 3, text, theme.dim);
    }
    if show_map {
        heat_map(
            buffer,
            Rect::new(
                area.x + table_width + 1,
                area.y,
                HEAT_MAP_WIDTH,
                table_height,
            ),
            app,
            selected,
        );
    }
    if detail_rows > 0 {
        details(
            buffer,
            Rect::new(area.x, area.y + table_height, area.width, detail_rows),
            app,
            selected,
        );
    }
}

/// Green, yellow, red by score band; bold marks the top band without colour.
fn score_style(score: u8, theme: &Theme) -> Style {
    if theme.bar_done.fg.is_none() {
        return if score >= 15 {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
    }
    match score {
        0..=4 => Style::new().fg(Color::Green),
        5..=9 => Style::new().fg(Color::Yellow),
        10..=14 => Style::new().fg(Color::LightRed),
        _ => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

fn heat_map(buffer: &mut Buffer, area: Rect, app: &App, selected: Option<usize>) {
    let theme = &app.config.theme;
    let plan = &app.file.plan;
    let mut counts = [[0usize; 5]; 5];
    for risk in plan
        .risks
        .iter()
        .filter(|r| !matches!(r.status, RiskStatus::Closed))
    {
        counts[usize::from(risk.likelihood.clamp(1, 5)) - 1]
            [usize::from(risk.impact.clamp(1, 5)) - 1] += 1;
    }
    let chosen = selected.map(|index| (plan.risks[index].likelihood, plan.risks[index].impact));
    buffer.set_string(area.x, area.y, "heat map (not closed)", theme.dim);
    buffer.set_string(area.x, area.y + 1, "L\\I  1   2   3   4   5", theme.title);
    for likelihood in (1..=5u8).rev() {
        let y = area.y + 2 + u16::from(5 - likelihood);
        if y >= area.y + area.height {
            break;
        }
        buffer.set_string(area.x, y, format!(" {likelihood} "), theme.title);
        for impact in 1..=5u8 {
            let count = counts[usize::from(likelihood) - 1][usize::from(impact) - 1];
            let text = if count == 0 {
                " . ".to_owned()
            } else {
                format!("{count:^3}")
            };
            let mut style = score_style(likelihood * impact, theme);
            if chosen == Some((likelihood, impact)) {
                style = style.add_modifier(Modifier::REVERSED);
            }
            buffer.set_string(
                area.x + 3 + u16::from(impact - 1) * 4,
                y,
                format!("{text} "),
                style,
            );
        }
    }
    let legend_y = area.y + 8;
    if legend_y + 2 < area.y + area.height {
        let glyphs = theme.glyphs;
        buffer.set_string(
            area.x,
            legend_y,
            format!("{} urgent tier", glyphs.critical),
            theme.warning,
        );
        buffer.set_string(
            area.x,
            legend_y + 1,
            format!("{} trigger date come", glyphs.today),
            theme.error,
        );
        buffer.set_string(
            area.x,
            legend_y + 2,
            "o sort  c close  v reviewed",
            theme.dim,
        );
        if legend_y + 3 < area.y + area.height {
            buffer.set_string(area.x, legend_y + 3, "! escalate  a add  e edit", theme.dim);
        }
        if legend_y + 4 < area.y + area.height {
            buffer.set_string(area.x, legend_y + 4, "i folds this map away", theme.dim);
        }
    }
}

fn details(buffer: &mut Buffer, area: Rect, app: &App, selected: Option<usize>) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    rule(buffer, area, theme);
    let Some(index) = selected else {
        return;
    };
    let plan = &app.file.plan;
    let risk = &plan.risks[index];
    let owner = risk
        .owner
        .as_ref()
        .map(|o| match o.index {
            Some(i) => for_terminal(&plan.people[i].name).into_owned(),
            None => o.id.value.clone(),
        })
        .unwrap_or_else(|| "-".to_owned());
    let tasks: Vec<&str> = risk.tasks.iter().map(|t| t.id.value.as_str()).collect();
    let lines = [
        (
            format!("{} {}", risk.id.value, for_terminal(&risk.title)),
            theme.title,
        ),
        (
            format!(
                "owner {owner}   score {} (L{} x I{})   reviewed {}",
                risk.score(),
                risk.likelihood,
                risk.impact,
                risk.reviewed
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "never".to_owned())
            ),
            theme.base,
        ),
        (
            format!(
                "mitigation {}",
                risk.mitigation
                    .as_deref()
                    .map(for_terminal)
                    .unwrap_or_else(|| "-".into())
            ),
            theme.base,
        ),
        (
            format!(
                "linked tasks {}",
                if tasks.is_empty() {
                    "-".to_owned()
                } else {
                    tasks.join(", ")
                }
            ),
            theme.base,
        ),
    ];
    for (row, (text, style)) in lines.iter().enumerate() {
        let y = area.y + 1 + row as u16;
        if y >= area.y + area.height {
            break;
        }
        buffer.set_string(
            area.x + 1,
            y,
            fit_with(text, area.width.saturating_sub(2) as usize, ellipsis),
            *style,
        );
    }
}
