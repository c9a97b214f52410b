//! The Dashboard pane: health, earned value, the next milestones, the
//! load on people, and the alerts, the selected one leading to its cause.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

use crate::app::App;
use crate::metrics::{AlertSeverity, format_money};
use crate::sanitize::for_terminal;
use crate::theme::Theme;

use super::fit_with;

/// Good, watch, bad: green, yellow, red in colour; plain, bold, reverse in mono.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    Good,
    Watch,
    Bad,
    Unknown,
}

fn health_style(health: Health, theme: &Theme) -> Style {
    let mono = theme.bar_done.fg.is_none();
    match (health, mono) {
        (Health::Good, false) => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        (Health::Watch, false) => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        (Health::Bad, false) => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        (Health::Good, true) => Style::new().add_modifier(Modifier::BOLD),
        (Health::Watch, true) => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        (Health::Bad, true) => Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        (Health::Unknown, _) => theme.dim,
    }
}

fn health_word(health: Health) -> &'static str {
    match health {
        Health::Good => "ok",
        Health::Watch => "watch",
        Health::Bad => "act",
        Health::Unknown => "",
    }
}

fn ratio(value: Option<f64>) -> String {
    value
        .map(crate::metrics::format_index)
        .unwrap_or_else(|| "n/a".to_owned())
}

pub fn render(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let Some(dashboard) = &app.dashboard.figures else {
        buffer.set_string(
            area.x + 1,
            area.y + 1,
            "The plan cannot be scheduled, so there are no figures yet.",
            theme.error,
        );
        return;
    };
    let plan = &app.file.plan;
    let m = &dashboard.metrics;
    let currency = plan
        .project
        .currency
        .as_deref()
        .map(|c| format!(" {}", for_terminal(c)))
        .unwrap_or_default();

    // The four numbers.
    let burn_health = match (m.burn_rate, m.planned_burn_rate) {
        (Some(actual), Some(planned)) if planned > 0.0 => {
            if actual <= planned * 1.05 {
                Health::Good
            } else if actual <= planned * 1.2 {
                Health::Watch
            } else {
                Health::Bad
            }
        }
        (Some(_), _) => Health::Watch,
        _ => Health::Unknown,
    };
    let forecast_health = match m.spi_t.or(m.spi) {
        Some(spi) if spi >= 0.95 => Health::Good,
        Some(spi) if spi >= 0.85 => Health::Watch,
        Some(_) => Health::Bad,
        None => Health::Unknown,
    };
    let blocker_health = match m.open_blockers {
        0 => Health::Good,
        1 | 2 => Health::Watch,
        _ => Health::Bad,
    };
    let variance_health = match m.variance_days {
        Some(days) if days <= 0 => Health::Good,
        Some(days) if days <= 5 => Health::Watch,
        Some(_) => Health::Bad,
        None => Health::Unknown,
    };
    let cards = [
        (
            "Burn rate / week",
            m.burn_rate
                .map(format_money)
                .unwrap_or_else(|| "n/a".to_owned()),
            format!(
                "plan {}",
                m.planned_burn_rate
                    .map(format_money)
                    .unwrap_or_else(|| "n/a".to_owned())
            ),
            burn_health,
        ),
        (
            "Forecast finish",
            m.forecast_finish
                .map(|d| d.to_string())
                .unwrap_or_else(|| "n/a".to_owned()),
            format!("plan {}", m.planned_finish),
            forecast_health,
        ),
        (
            "Open blockers",
            m.open_blockers.to_string(),
            format!("{} alert(s)", dashboard.alerts.len()),
            blocker_health,
        ),
        (
            "Variance",
            match m.variance_days {
                Some(days) => format!("{days:+} days"),
                None => "no baseline".to_owned(),
            },
            match m.variance_days {
                Some(days) if days > 0 => "late".to_owned(),
                Some(days) if days < 0 => "early".to_owned(),
                Some(_) => "on baseline".to_owned(),
                None => ":baseline records one".to_owned(),
            },
            variance_health,
        ),
    ];
    let card_width = area.width / 4;
    for (index, (title, value, detail, health)) in cards.iter().enumerate() {
        let x = area.x + card_width * index as u16;
        let width = card_width.saturating_sub(1) as usize;
        let style = health_style(*health, theme);
        buffer.set_string(x + 1, area.y, fit_with(title, width, ellipsis), theme.dim);
        let value_line = format!("{value} {}", health_word(*health));
        buffer.set_string(
            x + 1,
            area.y + 1,
            fit_with(&value_line, width, ellipsis),
            style,
        );
        buffer.set_string(
            x + 1,
            area.y + 2,
            fit_with(detail, width, ellipsis),
            theme.dim,
        );
    }

    // Earned value on the left, what is coming on the right.
    let top = area.y + 4;
    let half = area.width / 2;
    let ev_rows = [
        ("BAC", format!("{}{currency}", format_money(m.bac))),
        (
            "PV / EV",
            format!("{} / {}", format_money(m.pv), format_money(m.ev)),
        ),
        ("AC", format_money(m.ac)),
        (
            "SV / CV",
            format!("{} / {}", format_money(m.sv), format_money(m.cv)),
        ),
        ("SPI / CPI", format!("{} / {}", ratio(m.spi), ratio(m.cpi))),
        (
            "EAC/budget",
            format!(
                "{} / {}",
                m.eac.map(format_money).unwrap_or_else(|| "n/a".into()),
                plan.project
                    .budget
                    .map(format_money)
                    .unwrap_or_else(|| "none set".into())
            ),
        ),
        (
            "ETC / VAC",
            format!(
                "{} / {}",
                m.etc.map(format_money).unwrap_or_else(|| "n/a".into()),
                m.vac.map(format_money).unwrap_or_else(|| "n/a".into())
            ),
        ),
        ("SPI(t)", ratio(m.spi_t)),
        ("complete", format!("{:.1}%", m.percent_complete)),
    ];
    buffer.set_string(
        area.x + 1,
        top,
        format!("Earned value at {}", m.status_date),
        theme.title,
    );
    for (row, (label, value)) in ev_rows.iter().enumerate() {
        let y = top + 1 + row as u16;
        buffer.set_string(area.x + 1, y, format!("{label:<10}"), theme.dim);
        buffer.set_string(
            area.x + 12,
            y,
            fit_with(value, half.saturating_sub(13) as usize, ellipsis),
            theme.base,
        );
    }
    let mut y = top;
    let heading = if dashboard.milestones_soon || dashboard.milestones.is_empty() {
        "Milestones, next 30 days"
    } else {
        "Next milestones (none in 30 days)"
    };
    buffer.set_string(area.x + half, y, heading, theme.title);
    y += 1;
    if dashboard.milestones.is_empty() {
        buffer.set_string(area.x + half + 1, y, "none", theme.dim);
        y += 1;
    }
    let schedule = app.schedule.as_ref().ok();
    for &task in dashboard.milestones.iter().take(4) {
        let date = schedule
            .map(|s| s.tasks[task].start.to_string())
            .unwrap_or_default();
        let text = format!(
            "{} {date} {}",
            theme.glyphs.milestone,
            for_terminal(&plan.tasks[task].name)
        );
        buffer.set_string(
            area.x + half + 1,
            y,
            fit_with(
                &text,
                (area.width - half).saturating_sub(2) as usize,
                ellipsis,
            ),
            theme.base,
        );
        y += 1;
    }
    buffer.set_string(area.x + half, y, "Over-allocated", theme.title);
    y += 1;
    let over: Vec<String> = dashboard
        .load
        .people
        .iter()
        .flat_map(|person| {
            person
                .weeks
                .iter()
                .filter(|week| {
                    week.hours > week.capacity + 0.01
                        && week.week >= crate::metrics::week_monday(m.status_date)
                })
                .map(move |week| (person.person, week))
        })
        .take(3)
        .map(|(person, week)| {
            format!(
                "{} wk {}: {:.0} h of {:.0}",
                for_terminal(&plan.people[person].name),
                week.week,
                week.hours,
                week.capacity
            )
        })
        .collect();
    if over.is_empty() {
        buffer.set_string(area.x + half + 1, y, "nobody", theme.dim);
    }
    for line in over {
        if y >= top + 10 {
            break;
        }
        buffer.set_string(
            area.x + half + 1,
            y,
            fit_with(
                &line,
                (area.width - half).saturating_sub(2) as usize,
                ellipsis,
            ),
            theme.warning,
        );
        y += 1;
    }

    // Alerts, each a way to its cause.
    let alerts_top = top + 11;
    if alerts_top >= area.y + area.height {
        return;
    }
    buffer.set_string(
        area.x + 1,
        alerts_top,
        format!(
            "Alerts ({}): j/k choose, Enter shows the cause",
            dashboard.alerts.len()
        ),
        theme.title,
    );
    let rows = (area.y + area.height).saturating_sub(alerts_top + 1) as usize;
    if dashboard.alerts.is_empty() {
        buffer.set_string(
            area.x + 2,
            alerts_top + 1,
            "Nothing needs attention.",
            theme.dim,
        );
    }
    let first = app
        .dashboard
        .selected
        .saturating_sub(rows.saturating_sub(1));
    for (index, alert) in dashboard.alerts.iter().enumerate().skip(first).take(rows) {
        let y = alerts_top + 1 + (index - first) as u16;
        let marker = match alert.severity {
            AlertSeverity::High => theme.glyphs.critical,
            AlertSeverity::Medium => '*',
            AlertSeverity::Low => ' ',
        };
        let mut style = match alert.severity {
            AlertSeverity::High => theme.error,
            AlertSeverity::Medium => theme.warning,
            AlertSeverity::Low => theme.base,
        };
        if index == app.dashboard.selected {
            style = style.patch(theme.selected);
            buffer.set_style(Rect::new(area.x, y, area.width, 1), theme.selected);
        }
        let text = format!("{marker} {}", for_terminal(&alert.message));
        buffer.set_string(
            area.x + 1,
            y,
            fit_with(&text, area.width.saturating_sub(2) as usize, ellipsis),
            style,
        );
    }
}
