//! The Gantt pane's detail panel: everything about the selected task (or
//! phase) under the chart.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::Row;
use crate::sanitize::for_terminal;
use crate::ui::{fit_with, rule};

use super::GanttView;

impl GanttView<'_> {
    pub(super) fn details(&self, area: Rect, buffer: &mut Buffer) {
        let theme = self.theme;
        let glyphs = theme.glyphs;
        rule(buffer, area, theme);
        let Some(index) = self.gantt.selected_task() else {
            if let Some(Row::Phase {
                phase: Some(phase),
                tasks,
                ..
            }) = self.gantt.rows.get(self.gantt.selected)
            {
                let phase = &self.plan.phases[*phase];
                let text = format!(
                    " phase {}: {} ({tasks} tasks); z folds it",
                    phase.id.value,
                    for_terminal(&phase.name)
                );
                buffer.set_string(
                    area.x,
                    area.y + 1,
                    fit_with(&text, area.width as usize, glyphs.ellipsis),
                    theme.base,
                );
            }
            return;
        };
        let task = &self.plan.tasks[index];
        let dates = self.schedule.map(|schedule| &schedule.tasks[index]);
        let person = |reference: &Option<crate::model::Ref>| {
            reference
                .as_ref()
                .map(|r| match r.index {
                    Some(i) => for_terminal(&self.plan.people[i].name).into_owned(),
                    None => r.id.value.clone(),
                })
                .unwrap_or_else(|| "-".to_owned())
        };
        let phase = task
            .phase
            .as_ref()
            .map(|p| {
                p.index
                    .map(|i| for_terminal(&self.plan.phases[i].name).into_owned())
                    .unwrap_or_else(|| p.id.value.clone())
            })
            .unwrap_or_else(|| "-".to_owned());
        let when = match dates {
            Some(d) if d.milestone => format!("{} (milestone)", d.start),
            Some(d) => format!(
                "{} to {} ({} working day{})",
                d.start,
                d.finish,
                task.working_days(),
                if task.working_days() == 1 { "" } else { "s" }
            ),
            None => "not scheduled".to_owned(),
        };
        let slack = match dates {
            Some(d) => format!(
                "{} day(s){}",
                d.total_slack,
                if d.critical { ", critical" } else { "" }
            ),
            None => "-".to_owned(),
        };
        let baseline = match dates.and_then(|d| d.baseline.map(|b| (b, d.slip))) {
            Some((b, slip)) => format!(
                "{} to {}{}",
                b.start,
                b.finish,
                slip.map(|s| format!(", slip {s:+}d")).unwrap_or_default()
            ),
            None => "none".to_owned(),
        };
        let depends = if task.depends.is_empty() {
            "-".to_owned()
        } else {
            crate::app::field_text(task, crate::store::TaskField::Depends).replace(',', ", ")
        };
        let mut successors: Vec<&str> = self
            .successors
            .iter()
            .map(|&i| self.plan.tasks[i].id.value.as_str())
            .collect();
        successors.sort_unstable();
        let logged: f64 = self
            .plan
            .log
            .iter()
            .filter(|entry| entry.task.id.value == task.id.value)
            .map(|entry| entry.hours)
            .sum();
        let estimate = match (task.estimate, logged > 0.0) {
            (Some(e), true) => format!("{logged} h logged / {e} h estimated"),
            (Some(e), false) => format!("{e} h estimated, none logged"),
            (None, true) => format!("{logged} h logged, no estimate"),
            (None, false) => "-".to_owned(),
        };
        let left = [
            format!("{} {}", task.id.value, for_terminal(&task.name)),
            format!("phase  {phase}"),
            format!("owner  {}", person(&task.owner)),
            format!("status {} {}%", task.status.as_str(), task.progress),
            format!("effort {estimate}"),
            match &task.blocker {
                Some(blocker) => format!("blocker {}", for_terminal(blocker)),
                None => String::new(),
            },
        ];
        let right = [
            format!("dates    {when}"),
            format!("slack    {slack}"),
            format!("baseline {baseline}"),
            format!("after    {}", for_terminal(&depends)),
            format!(
                "before   {}",
                if successors.is_empty() {
                    "-".to_owned()
                } else {
                    successors.join(", ")
                }
            ),
            match &task.notes {
                Some(notes) => format!("notes    {}", for_terminal(notes)),
                None => String::new(),
            },
        ];
        let half = area.width / 2;
        for (row, (l, r)) in left.iter().zip(right.iter()).enumerate() {
            let y = area.y + 1 + row as u16;
            if y >= area.y + area.height {
                break;
            }
            let style = if row == 0 { theme.title } else { theme.base };
            buffer.set_string(
                area.x + 1,
                y,
                fit_with(l, half.saturating_sub(2) as usize, glyphs.ellipsis),
                style,
            );
            buffer.set_string(
                area.x + half,
                y,
                fit_with(
                    r,
                    (area.width - half).saturating_sub(1) as usize,
                    glyphs.ellipsis,
                ),
                theme.base,
            );
        }
    }
}
