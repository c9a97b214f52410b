//! The Gantt pane: task rows grouped by phase on the left, bars on a time
//! axis on the right, and a detail panel for the selected task
//! (`gantt/details.rs`).

mod details;

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::{App, GanttPane, Row, Zoom};
use crate::layout::DETAIL_ROWS;
use crate::model::{Plan, TaskStatus};
use crate::sanitize::for_terminal;
use crate::schedule::{Calendar, Schedule};
use crate::theme::Theme;

use super::fit_with;

pub use crate::layout::label_width;

/// One frame's view of the Gantt pane, borrowing the app.
pub struct GanttView<'a> {
    app: &'a App,
    gantt: &'a GanttPane,
    plan: &'a Plan,
    schedule: Option<&'a Schedule>,
    theme: &'a Theme,
    calendar: Option<Calendar>,
    /// Tasks the selected task depends on, and those that depend on it.
    predecessors: HashSet<usize>,
    successors: HashSet<usize>,
}

impl<'a> GanttView<'a> {
    pub fn new(app: &'a App) -> GanttView<'a> {
        let plan = &app.file.plan;
        let mut predecessors = HashSet::new();
        let mut successors = HashSet::new();
        if let Some(selected) = app.gantt.selected_task() {
            predecessors.extend(
                plan.tasks[selected]
                    .depends
                    .iter()
                    .filter_map(|d| d.task.index),
            );
            successors.extend(app.gantt.derived.successors.of(selected));
        }
        GanttView {
            app,
            gantt: &app.gantt,
            plan,
            schedule: app.schedule.as_ref().ok(),
            theme: &app.config.theme,
            calendar: Calendar::new(&plan.calendar).ok(),
            predecessors,
            successors,
        }
    }

    pub fn render(self, area: Rect, buffer: &mut Buffer) {
        let details = if self.app.details_shown() {
            DETAIL_ROWS
        } else {
            0
        };
        let chart_height = area.height.saturating_sub(details);
        let labels = label_width(area.width);
        let chart = Rect {
            height: chart_height,
            ..area
        };
        self.axis(Rect { height: 1, ..chart }, labels, buffer);
        let rows_area = Rect {
            y: chart.y + 1,
            height: chart.height.saturating_sub(1),
            ..chart
        };
        self.rows(rows_area, labels, buffer);
        if details > 0 {
            self.details(
                Rect {
                    y: area.y + chart_height,
                    height: details,
                    ..area
                },
                buffer,
            );
        }
        if let Err(message) = &self.app.schedule
            && !message.is_empty()
        {
            let text = format!("cannot schedule: {}", for_terminal(message));
            let y = rows_area.y + rows_area.height.saturating_sub(1);
            buffer.set_string(
                area.x + 1,
                y,
                fit_with(
                    &text,
                    area.width.saturating_sub(2) as usize,
                    self.theme.glyphs.ellipsis,
                ),
                self.theme.error,
            );
        }
    }

    /// The date at the left edge of a timeline column.
    fn column_date(&self, column: i64) -> Option<NaiveDate> {
        let zoom = self.gantt.zoom;
        let days = column * zoom.days_per_column() / zoom.columns_per_day();
        self.gantt
            .view_start
            .checked_add_days(Days::new(days.max(0) as u64))
    }

    /// The timeline column of a date, when it is on screen.
    fn date_column(&self, date: NaiveDate, columns: i64) -> Option<i64> {
        let zoom = self.gantt.zoom;
        let days = (date - self.gantt.view_start).num_days();
        if days < 0 {
            return None;
        }
        let column = days * zoom.columns_per_day() / zoom.days_per_column();
        (column < columns).then_some(column)
    }

    fn axis(&self, area: Rect, labels: u16, buffer: &mut Buffer) {
        let theme = self.theme;
        let zoom = self.gantt.zoom;
        let shown = self.rows_shown();
        let columns = i64::from(area.width.saturating_sub(labels));
        // Month zoom names the years it spans, since a January may not show.
        let header = match (zoom, self.column_date(0), self.column_date(columns - 1)) {
            (Zoom::Month, Some(first), Some(last)) if first.year() == last.year() => {
                format!(" {shown} tasks  month {}", first.year())
            }
            (Zoom::Month, Some(first), Some(last)) => format!(
                " {shown} tasks  month {}-{:02}",
                first.year(),
                last.year() % 100
            ),
            _ => format!(" {} tasks  zoom: {}", shown, zoom.name()),
        };
        buffer.set_string(
            area.x,
            area.y,
            fit_with(&header, labels as usize, theme.glyphs.ellipsis),
            theme.dim,
        );
        let x0 = area.x + labels;
        let mut column = 0i64;
        // Month labels are placed where a month starts, never over one another.
        let mut next_free = 0i64;
        while column < columns {
            let Some(date) = self.column_date(column) else {
                break;
            };
            let (label, step) = match zoom {
                // A week's first day (and the view's) names the weekday and
                // the month, the 1st its month; the other days their number
                // where there is room.
                Zoom::Day => {
                    let label = if column == 0 || date.weekday() == chrono::Weekday::Mon {
                        date.format("%a %-d %b").to_string()
                    } else if date.day() == 1 {
                        date.format("%-d %b").to_string()
                    } else {
                        date.day().to_string()
                    };
                    if column >= next_free {
                        next_free = column + label.len() as i64 + 1;
                        (label, 3)
                    } else {
                        (String::new(), 3)
                    }
                }
                Zoom::Week if date.weekday() == chrono::Weekday::Mon => {
                    (date.format("%d %b").to_string(), 7)
                }
                Zoom::Month => {
                    // A column is a week: it starts a month if the 1st falls in it.
                    let last = date.checked_add_days(Days::new(6)).unwrap_or(date);
                    let month = if date.day() == 1 {
                        Some(date)
                    } else if last.month() != date.month() {
                        Some(last)
                    } else if column == 0 {
                        // Name the month the view opens in, unless the
                        // next one starts before its name would end.
                        let soon = self
                            .column_date(4)
                            .is_none_or(|d| d.month() != date.month());
                        (!soon).then_some(date)
                    } else {
                        None
                    };
                    match month {
                        Some(month) if column >= next_free => {
                            let label = if month.month() == 1 {
                                month.format("%Y").to_string()
                            } else {
                                month.format("%b").to_string()
                            };
                            next_free = column + label.len() as i64 + 1;
                            (label, 1)
                        }
                        _ => (String::new(), 1),
                    }
                }
                Zoom::Week => (String::new(), 1),
            };
            if !label.is_empty() {
                let room = (columns - column) as usize;
                let x = x0 + column as u16;
                let style = if zoom == Zoom::Day && !self.is_working_day(date) {
                    theme.weekend
                } else {
                    theme.dim
                };
                buffer.set_string(
                    x,
                    area.y,
                    fit_with(&label, room, theme.glyphs.ellipsis),
                    style,
                );
            }
            column += step.max(1);
        }
    }

    fn is_working_day(&self, date: NaiveDate) -> bool {
        self.calendar
            .as_ref()
            .is_none_or(|calendar| calendar.is_working_day(date))
    }

    fn rows_shown(&self) -> usize {
        self.gantt.tasks_shown
    }

    fn rows(&self, area: Rect, labels: u16, buffer: &mut Buffer) {
        let columns = i64::from(area.width.saturating_sub(labels));
        let visible = area.height as usize;
        let first = self.gantt.row_offset;
        for (offset, row) in self
            .app
            .gantt
            .rows
            .iter()
            .skip(first)
            .take(visible)
            .enumerate()
        {
            let y = area.y + offset as u16;
            let selected = first + offset == self.gantt.selected;
            self.background(Rect::new(area.x + labels, y, columns as u16, 1), buffer);
            match *row {
                Row::Phase {
                    phase,
                    tasks,
                    folded,
                } => self.phase_row(
                    area.x, y, labels, columns, phase, tasks, folded, selected, buffer,
                ),
                Row::Task(task) => {
                    self.task_row(area.x, y, labels, columns, task, selected, buffer)
                }
            }
        }
    }

    /// Non-working days, today and the status date, under the bars.
    fn background(&self, area: Rect, buffer: &mut Buffer) {
        let glyphs = self.theme.glyphs;
        let columns = i64::from(area.width);
        if self.gantt.zoom == Zoom::Day {
            for column in 0..columns {
                if let Some(date) = self.column_date(column)
                    && !self.is_working_day(date)
                {
                    buffer.set_string(
                        area.x + column as u16,
                        area.y,
                        glyphs.weekend.to_string(),
                        self.theme.weekend,
                    );
                }
            }
        }
        if let Some(status_date) = self.plan.project.status_date
            && let Some(column) = self.date_column(status_date, columns)
        {
            buffer.set_string(
                area.x + column as u16,
                area.y,
                glyphs.status_date.to_string(),
                self.theme.status_date,
            );
        }
        if let Some(column) = self.date_column(self.app.today, columns) {
            buffer.set_string(
                area.x + column as u16,
                area.y,
                glyphs.today.to_string(),
                self.theme.today,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn phase_row(
        &self,
        x: u16,
        y: u16,
        labels: u16,
        columns: i64,
        phase: Option<usize>,
        tasks: usize,
        folded: bool,
        selected: bool,
        buffer: &mut Buffer,
    ) {
        let glyphs = self.theme.glyphs;
        let name = match phase {
            Some(phase) => for_terminal(&self.plan.phases[phase].name).into_owned(),
            None => "(no phase)".to_owned(),
        };
        let marker = if folded {
            glyphs.collapsed
        } else {
            glyphs.expanded
        };
        let text = format!("{marker} {name} ({tasks})");
        let style = if selected {
            self.theme.phase.patch(self.theme.selected)
        } else {
            self.theme.phase
        };
        buffer.set_style(Rect::new(x, y, labels, 1), style);
        buffer.set_string(
            x,
            y,
            fit_with(&text, labels.saturating_sub(1) as usize, glyphs.ellipsis),
            style,
        );
        // The phase's span, as a thin line.
        let slot = phase.unwrap_or(self.plan.phases.len());
        let span = self
            .app
            .gantt
            .derived
            .phase_spans
            .get(slot)
            .copied()
            .flatten();
        if let Some((start, finish)) = span {
            self.fill(
                x + labels,
                y,
                columns,
                start,
                finish,
                |_| ('▔', self.theme.phase),
                buffer,
            );
        }
    }

    /// Calls `cell` for each column covered by `start..=finish` and draws what it returns.
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &self,
        x: u16,
        y: u16,
        columns: i64,
        start: NaiveDate,
        finish: NaiveDate,
        cell: impl Fn(f64) -> (char, Style),
        buffer: &mut Buffer,
    ) {
        let zoom = self.gantt.zoom;
        let view_start = self.gantt.view_start;
        let first_day = (start - view_start).num_days();
        let last_day = (finish - view_start).num_days();
        let first_column = (first_day * zoom.columns_per_day()).div_euclid(zoom.days_per_column());
        let last_column =
            ((last_day + 1) * zoom.columns_per_day() - 1).div_euclid(zoom.days_per_column());
        let span = (last_column - first_column + 1).max(1) as f64;
        let ascii = self.theme.glyphs.done.is_ascii();
        for column in first_column.max(0)..=last_column.min(columns - 1) {
            let (mut glyph, style) = cell((column - first_column) as f64 / span);
            if glyph == '▔' && ascii {
                glyph = '-';
            }
            buffer.set_string(x + column as u16, y, glyph.to_string(), style);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn task_row(
        &self,
        x: u16,
        y: u16,
        labels: u16,
        columns: i64,
        index: usize,
        selected: bool,
        buffer: &mut Buffer,
    ) {
        let theme = self.theme;
        let glyphs = theme.glyphs;
        let task = &self.plan.tasks[index];
        let dates = self.schedule.map(|schedule| &schedule.tasks[index]);
        let critical = dates.is_some_and(|d| d.critical) && task.status != TaskStatus::Done;
        let marker = if task.status == TaskStatus::Blocked {
            glyphs.blocked
        } else if self.predecessors.contains(&index) {
            glyphs.predecessor
        } else if self.successors.contains(&index) {
            glyphs.successor
        } else if critical {
            glyphs.critical
        } else {
            ' '
        };
        let done = if task.status == TaskStatus::Done {
            "✓"
        } else {
            ""
        };
        let done = if glyphs.done.is_ascii() && !done.is_empty() {
            "v"
        } else {
            done
        };
        let risk = if self
            .app
            .gantt
            .derived
            .risk_linked
            .get(index)
            .copied()
            .unwrap_or(false)
        {
            glyphs.linked_risk.to_string()
        } else {
            String::new()
        };
        let name = for_terminal(&task.name);
        // The marks go before the name, so a long name cannot push them off.
        let done = if done.is_empty() { " " } else { done };
        let risk = if risk.is_empty() {
            " ".to_owned()
        } else {
            risk
        };
        let text = format!(" {marker}{done}{risk} {name}");
        let mut style = theme.base;
        if critical {
            style = style.patch(theme.bar_critical);
        }
        if task.status == TaskStatus::Blocked {
            style = style.patch(theme.blocked);
        }
        if self.predecessors.contains(&index) || self.successors.contains(&index) {
            style = style.patch(theme.related);
        }
        if selected {
            style = style.patch(theme.selected);
            buffer.set_style(Rect::new(x, y, labels, 1), theme.selected);
        }
        buffer.set_string(
            x,
            y,
            fit_with(&text, labels.saturating_sub(1) as usize, glyphs.ellipsis),
            style,
        );
        let Some(dates) = dates else {
            return;
        };
        let timeline = x + labels;
        // The baseline first, so the bar draws over it: what shows is the slip.
        if let Some(baseline) = dates.baseline {
            self.fill(
                timeline,
                y,
                columns,
                baseline.start,
                baseline.finish,
                |_| (glyphs.baseline, theme.baseline),
                buffer,
            );
        }
        // Where a change request previewed from the Plan pane would put
        // the task, under its bar: what shows is how far it moves.
        if let Some(ghost) = self.app.preview_move(&task.id.value) {
            let glyph = if glyphs.done.is_ascii() { ':' } else { '▒' };
            self.fill(
                timeline,
                y,
                columns,
                ghost.start_after,
                ghost.finish_after,
                |_| (glyph, theme.related),
                buffer,
            );
        }
        if dates.milestone {
            if let Some(column) = self.date_column(dates.start, columns) {
                let style = if critical {
                    theme.milestone.patch(theme.bar_critical)
                } else {
                    theme.milestone
                };
                buffer.set_string(
                    timeline + column as u16,
                    y,
                    glyphs.milestone.to_string(),
                    style,
                );
            }
        } else {
            let progress = if task.status == TaskStatus::Done {
                1.0
            } else {
                f64::from(task.progress) / 100.0
            };
            let planned = if task.status == TaskStatus::Blocked {
                theme.blocked
            } else if critical {
                theme.bar_critical
            } else {
                theme.bar_planned
            };
            self.fill(
                timeline,
                y,
                columns,
                dates.start,
                dates.finish,
                |share| {
                    if share < progress {
                        (glyphs.done, theme.bar_done)
                    } else {
                        (glyphs.planned, planned)
                    }
                },
                buffer,
            );
        }
        if let Some(slip) = dates.slip
            && slip > 0
        {
            let label = format!("+{slip}d");
            let end = dates
                .finish
                .max(dates.baseline.map(|b| b.finish).unwrap_or(dates.finish));
            if let Some(column) = self
                .date_column(end, columns)
                .map(|c| c + 1 + self.gantt.zoom.columns_per_day() - 1)
                && column + (label.len() as i64) < columns
            {
                buffer.set_string(timeline + column as u16, y, label, theme.slip);
            }
        }
    }
}
