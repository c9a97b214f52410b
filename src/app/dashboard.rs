//! The Dashboard pane: the project's figures and alerts, worked out from
//! the plan when a pane that shows them is open, and the selected alert,
//! which leads to its cause.

use chrono::NaiveDate;

use crate::keymap::Command;
use crate::metrics::{self, Alert, AlertTarget, Metrics};
use crate::model::Plan;
use crate::schedule::{Load, Schedule};

use super::{App, Level, Pane};

/// Everything the Dashboard shows, computed once per edit.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub metrics: Metrics,
    pub alerts: Vec<Alert>,
    pub load: Load,
    /// Milestones in the next 30 days, or when none falls in them, the
    /// next few whenever they are.
    pub milestones: Vec<usize>,
    /// Whether `milestones` are those of the next 30 days.
    pub milestones_soon: bool,
}

impl Dashboard {
    /// The plan's facts are judged at `status_date`; its communication
    /// items, which fall due in real time, at the later of it and `today`
    /// (see `metrics::alerts`).
    pub fn compute(
        plan: &Plan,
        schedule: &Schedule,
        status_date: NaiveDate,
        today: NaiveDate,
    ) -> Dashboard {
        let metrics = metrics::compute(plan, schedule, status_date);
        let load = crate::schedule::load(plan, schedule);
        let alerts = metrics::alerts_at(plan, schedule, &metrics, &load, today);
        let soon = metrics::upcoming_milestones(plan, schedule, status_date, 30);
        let milestones_soon = !soon.is_empty();
        let milestones = if milestones_soon {
            soon
        } else {
            let mut later = metrics::upcoming_milestones(plan, schedule, status_date, 365 * 100);
            later.truncate(4);
            later
        };
        Dashboard {
            alerts,
            load,
            milestones,
            milestones_soon,
            metrics,
        }
    }
}

/// The Dashboard pane's state.
#[derive(Debug, Clone, Default)]
pub struct DashboardPane {
    /// The figures; `None` until a pane needs them after an edit (and
    /// while the plan cannot be scheduled).
    pub figures: Option<Dashboard>,
    /// The selected alert.
    pub selected: usize,
}

impl App {
    /// Computes the Dashboard's figures if a pane that shows them is open
    /// and they are out of date.
    pub fn refresh_dashboard(&mut self) {
        if self.dashboard.figures.is_some()
            || !matches!(self.pane, Pane::Dashboard | Pane::Checkin | Pane::Plan)
        {
            return;
        }
        self.dashboard.figures = self.schedule.as_ref().ok().map(|schedule| {
            Dashboard::compute(&self.file.plan, schedule, self.status_date(), self.today)
        });
        if let Some(dashboard) = &self.dashboard.figures {
            self.dashboard.selected = self
                .dashboard
                .selected
                .min(dashboard.alerts.len().saturating_sub(1));
        }
    }

    pub(super) fn dashboard_command(&mut self, command: Command) {
        let count = self
            .dashboard
            .figures
            .as_ref()
            .map(|d| d.alerts.len())
            .unwrap_or(0);
        match command {
            Command::Down => {
                self.dashboard.selected = (self.dashboard.selected + 1).min(count.saturating_sub(1))
            }
            Command::Up => self.dashboard.selected = self.dashboard.selected.saturating_sub(1),
            Command::First => self.dashboard.selected = 0,
            Command::Last => self.dashboard.selected = count.saturating_sub(1),
            Command::Edit => self.jump_to_alert(),
            _ => {}
        }
    }

    /// Shows the cause of the selected alert.
    fn jump_to_alert(&mut self) {
        let Some(alert) = self
            .dashboard
            .figures
            .as_ref()
            .and_then(|d| d.alerts.get(self.dashboard.selected))
        else {
            return;
        };
        match alert.target {
            AlertTarget::Task(task) => {
                let id = self.file.plan.tasks[task].id.value.clone();
                self.goto(&id);
            }
            AlertTarget::Risk(risk) => {
                self.pane = Pane::Risks;
                self.risks.show(&self.file.plan, risk);
            }
            AlertTarget::Gate(gate) => {
                let milestone = self.file.plan.gates[gate]
                    .milestone
                    .as_ref()
                    .and_then(|m| m.index);
                match milestone {
                    Some(task) => {
                        let id = self.file.plan.tasks[task].id.value.clone();
                        self.goto(&id);
                    }
                    None => self.pane = Pane::Plan,
                }
            }
            AlertTarget::Person(person) => {
                let id = self.file.plan.people[person].id.value.clone();
                self.pane = Pane::Gantt;
                self.gantt.filter = super::Filter {
                    owner: Some(id.clone()),
                    ..super::Filter::default()
                };
                self.rebuild_rows();
                self.say(
                    Level::Info,
                    format!("showing the tasks of {id}; :filter clears"),
                );
            }
            AlertTarget::Checkin => {
                self.pane = Pane::Checkin;
                self.ensure_checkin();
            }
            AlertTarget::Communication(item) => {
                self.pane = Pane::Plan;
                self.select_plan_line(super::plan::PlanLine::Communication(item));
            }
            AlertTarget::Dashboard => {}
        }
    }
}
