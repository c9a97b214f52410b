//! The rows of the Gantt pane: phases as headers, their tasks below, with
//! folding and filters applied.

use std::collections::HashSet;

use crate::model::{Plan, TaskStatus};

/// One line of the task list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A phase header; `None` gathers tasks without a phase.
    Phase {
        phase: Option<usize>,
        tasks: usize,
        folded: bool,
    },
    Task(usize),
}

/// Which tasks to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub phase: Option<String>,
    pub owner: Option<String>,
    pub status: Option<TaskStatus>,
    /// Only the unfinished tasks on the critical path.
    pub critical: bool,
    /// Only tasks whose id, name, owner or phase contains this text.
    pub text: Option<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.phase.is_none()
            && self.owner.is_none()
            && self.status.is_none()
            && !self.critical
            && self.text.is_none()
    }

    /// Whether the task passes; `critical` says whether it is on the
    /// critical path.
    pub fn matches(&self, plan: &Plan, task: usize, critical: bool) -> bool {
        let task = &plan.tasks[task];
        let critical_ok = !self.critical || (critical && task.status != TaskStatus::Done);
        let text_ok = self.text.as_ref().is_none_or(|text| {
            let text = text.to_lowercase();
            let has = |value: &str| value.to_lowercase().contains(&text);
            has(&task.id.value)
                || has(&task.name)
                || task.owner.as_ref().is_some_and(|o| has(&o.id.value))
                || task.phase.as_ref().is_some_and(|p| has(&p.id.value))
        });
        let phase_ok = self
            .phase
            .as_ref()
            .is_none_or(|phase| task.phase.as_ref().is_some_and(|p| &p.id.value == phase));
        let owner_ok = self
            .owner
            .as_ref()
            .is_none_or(|owner| task.owner.as_ref().is_some_and(|o| &o.id.value == owner));
        let status_ok = self.status.is_none_or(|status| task.status == status);
        phase_ok && owner_ok && status_ok && critical_ok && text_ok
    }

    /// "phase=build owner=ana", for the status line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(phase) = &self.phase {
            parts.push(format!("phase={phase}"));
        }
        if let Some(owner) = &self.owner {
            parts.push(format!("owner={owner}"));
        }
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if self.critical {
            parts.push("critical".to_owned());
        }
        if let Some(text) = &self.text {
            parts.push(format!("\"{text}\""));
        }
        parts.join(" ")
    }
}

/// The visible rows. Phases appear in file order with their tasks in file
/// order; tasks without a (known) phase come last, under a header only
/// when the plan has phases at all.
/// `critical[i]` tells whether task `i` is on the critical path (empty when
/// the plan cannot be scheduled).
pub fn build(
    plan: &Plan,
    filter: &Filter,
    folded: &HashSet<Option<usize>>,
    critical: &[bool],
) -> Vec<Row> {
    let mut by_phase: Vec<Vec<usize>> = vec![Vec::new(); plan.phases.len() + 1];
    let unphased = plan.phases.len();
    for index in 0..plan.tasks.len() {
        if !filter.matches(plan, index, critical.get(index).copied().unwrap_or(false)) {
            continue;
        }
        let slot = plan.tasks[index]
            .phase
            .as_ref()
            .and_then(|phase| phase.index)
            .unwrap_or(unphased);
        by_phase[slot].push(index);
    }
    let mut rows = Vec::with_capacity(plan.tasks.len() + plan.phases.len() + 1);
    for (slot, tasks) in by_phase.into_iter().enumerate() {
        let phase = (slot < unphased).then_some(slot);
        if phase.is_none() && plan.phases.is_empty() {
            rows.extend(tasks.into_iter().map(Row::Task));
            continue;
        }
        if tasks.is_empty() && (phase.is_none() || !filter.is_empty()) {
            continue;
        }
        let is_folded = folded.contains(&phase);
        rows.push(Row::Phase {
            phase,
            tasks: tasks.len(),
            folded: is_folded,
        });
        if !is_folded {
            rows.extend(tasks.into_iter().map(Row::Task));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n\
            [[phase]]\nid = \"a\"\n[[phase]]\nid = \"b\"\n\
            [[task]]\nid = \"t1\"\nname = \"1\"\nphase = \"b\"\n\
            [[task]]\nid = \"t2\"\nname = \"2\"\nphase = \"a\"\nstatus = \"done\"\n\
            [[task]]\nid = \"t3\"\nname = \"3\"\n";
        crate::store::parse_str(text).unwrap().plan
    }

    #[test]
    fn tasks_are_grouped_by_phase_in_file_order() {
        let rows = build(&plan(), &Filter::default(), &HashSet::new(), &[]);
        assert_eq!(
            rows,
            vec![
                Row::Phase {
                    phase: Some(0),
                    tasks: 1,
                    folded: false
                },
                Row::Task(1),
                Row::Phase {
                    phase: Some(1),
                    tasks: 1,
                    folded: false
                },
                Row::Task(0),
                Row::Phase {
                    phase: None,
                    tasks: 1,
                    folded: false
                },
                Row::Task(2),
            ]
        );
    }

    #[test]
    fn folded_phases_hide_their_tasks_and_filters_hide_empty_phases() {
        let folded = HashSet::from([Some(0)]);
        let rows = build(&plan(), &Filter::default(), &folded, &[]);
        assert_eq!(
            rows[0],
            Row::Phase {
                phase: Some(0),
                tasks: 1,
                folded: true
            }
        );
        assert_eq!(
            rows[1],
            Row::Phase {
                phase: Some(1),
                tasks: 1,
                folded: false
            }
        );
        let filter = Filter {
            status: Some(TaskStatus::Done),
            ..Filter::default()
        };
        let rows = build(&plan(), &filter, &HashSet::new(), &[]);
        assert_eq!(
            rows,
            vec![
                Row::Phase {
                    phase: Some(0),
                    tasks: 1,
                    folded: false
                },
                Row::Task(1)
            ]
        );
    }
}
