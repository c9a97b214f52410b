//! Facts about the plan that each frame needs but that change only when
//! the plan does: worked out once per edit, so drawing a frame costs the
//! rows on screen, not the size of the plan.

use chrono::NaiveDate;

use crate::model::Plan;
use crate::schedule::Schedule;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// For each task, the tasks that depend on it.
    pub successors: Vec<Vec<usize>>,
    /// For each task, whether a risk is linked to it.
    pub risk_linked: Vec<bool>,
    /// For each phase (and last, tasks without one), the first start and last finish.
    pub phase_spans: Vec<Option<(NaiveDate, NaiveDate)>>,
}

impl Derived {
    pub fn compute(plan: &Plan, schedule: Option<&Schedule>) -> Derived {
        let count = plan.tasks.len();
        let mut successors = vec![Vec::new(); count];
        for (index, task) in plan.tasks.iter().enumerate() {
            for dependency in &task.depends {
                if let Some(predecessor) = dependency.task.index {
                    successors[predecessor].push(index);
                }
            }
        }
        let mut risk_linked = vec![false; count];
        for risk in &plan.risks {
            for task in risk.tasks.iter().filter_map(|t| t.index) {
                risk_linked[task] = true;
            }
        }
        let mut phase_spans: Vec<Option<(NaiveDate, NaiveDate)>> =
            vec![None; plan.phases.len() + 1];
        if let Some(schedule) = schedule {
            for (task, dates) in plan.tasks.iter().zip(&schedule.tasks) {
                let slot = task
                    .phase
                    .as_ref()
                    .and_then(|p| p.index)
                    .unwrap_or(plan.phases.len());
                let span = &mut phase_spans[slot];
                *span = Some(match *span {
                    Some((start, finish)) => (start.min(dates.start), finish.max(dates.finish)),
                    None => (dates.start, dates.finish),
                });
            }
        }
        Derived {
            successors,
            risk_linked,
            phase_spans,
        }
    }
}
