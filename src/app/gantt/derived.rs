//! Facts about the plan that each frame needs but that change only when
//! the plan does: worked out once per edit, so drawing a frame costs the
//! rows on screen, not the size of the plan.

use chrono::NaiveDate;

use crate::model::Plan;
use crate::schedule::Schedule;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// For each task, the tasks that depend on it.
    pub successors: Successors,
    /// For each task, whether a risk is linked to it.
    pub risk_linked: Vec<bool>,
    /// For each phase (and last, tasks without one), the first start and last finish.
    pub phase_spans: Vec<Option<(NaiveDate, NaiveDate)>>,
}

impl Derived {
    pub fn compute(plan: &Plan, schedule: Option<&Schedule>) -> Derived {
        let count = plan.tasks.len();
        let successors = Successors::new(plan);
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

/// The tasks that depend on each task, in two flat arrays: one allocation
/// pair for the whole plan rather than one vector per task.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Successors {
    /// `list[offsets[t]..offsets[t + 1]]` are task t's successors.
    offsets: Vec<u32>,
    list: Vec<u32>,
}

impl Successors {
    fn new(plan: &Plan) -> Successors {
        let count = plan.tasks.len();
        let predecessors = || {
            plan.tasks.iter().enumerate().flat_map(|(index, task)| {
                task.depends
                    .iter()
                    .filter_map(move |d| d.task.index.filter(|&p| p < count).map(|p| (p, index)))
            })
        };
        // Count each task's successors, turn the counts into offsets, then fill.
        let mut offsets = vec![0u32; count + 1];
        for (predecessor, _) in predecessors() {
            offsets[predecessor + 1] += 1;
        }
        for task in 0..count {
            offsets[task + 1] += offsets[task];
        }
        let mut next: Vec<u32> = offsets[..count].to_vec();
        let mut list = vec![0u32; offsets[count] as usize];
        for (predecessor, successor) in predecessors() {
            list[next[predecessor] as usize] = successor as u32;
            next[predecessor] += 1;
        }
        Successors { offsets, list }
    }

    /// The tasks that depend on `task`, in file order; empty for an unknown task.
    pub fn of(&self, task: usize) -> impl Iterator<Item = usize> + '_ {
        let range = match (self.offsets.get(task), self.offsets.get(task + 1)) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        };
        self.list[range].iter().map(|&task| task as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successors_are_listed_per_task_in_file_order() {
        let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n\
            [[task]]\nid = \"a\"\n\n\
            [[task]]\nid = \"b\"\ndepends = [\"a\"]\n\n\
            [[task]]\nid = \"c\"\ndepends = [\"a\", \"b\", \"missing\"]\n\n\
            [[task]]\nid = \"d\"\ndepends = [\"b\"]\n";
        let plan = crate::store::parse_str(text).expect("the plan parses").plan;
        let successors = Successors::new(&plan);
        let of = |task| successors.of(task).collect::<Vec<_>>();
        assert_eq!(of(0), [1, 2]);
        assert_eq!(of(1), [2, 3]);
        assert!(of(2).is_empty());
        assert!(of(3).is_empty());
        assert!(of(4).is_empty(), "past the end: nothing");
    }
}
