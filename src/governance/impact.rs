//! What a change request would do to the plan, computed: the plan is
//! re-scheduled in memory with the change's task edits and new tasks, and
//! compared with the plan as it stands.

use chrono::NaiveDate;

use super::{GovernanceError, change_index};
use crate::metrics;
use crate::model::Plan;
use crate::schedule::{self, Calendar, Schedule};

/// The effect of one change request on dates, the critical path and cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Impact {
    /// The change request's id.
    pub change: String,
    /// Whether the figures are computed from the change's task edits; when
    /// the change carries none, they are the declared `cost` and `days`.
    pub computed: bool,
    /// The project finish as the plan stands, and with the change.
    pub finish_before: NaiveDate,
    pub finish_after: NaiveDate,
    /// Working days the project finish moves; positive is later.
    pub days: i64,
    /// Every task whose dates move, and every task the change adds, in plan
    /// order (new tasks last).
    pub moves: Vec<TaskMove>,
    /// The ids of the critical tasks, in the order they happen, before and
    /// after the change.
    pub critical_before: Vec<String>,
    pub critical_after: Vec<String>,
    /// Budget at completion before and after (estimates times rates).
    pub bac_before: f64,
    pub bac_after: f64,
    /// The cost of the change: `bac_after - bac_before`.
    pub cost: f64,
    /// Estimate at completion at the status date, before and after; None
    /// while nothing has been spent (no CPI).
    pub eac_before: Option<f64>,
    pub eac_after: Option<f64>,
    /// What the change request declares, if anything.
    pub declared_cost: Option<f64>,
    pub declared_days: Option<i64>,
}

impl Impact {
    /// Whether the set of critical tasks differs after the change.
    pub fn critical_path_changes(&self) -> bool {
        let mut before = self.critical_before.clone();
        let mut after = self.critical_after.clone();
        before.sort();
        after.sort();
        before != after
    }

    /// Whether the declared cost disagrees with the computed one (to the cent).
    pub fn cost_disagrees(&self) -> bool {
        self.computed
            && self
                .declared_cost
                .is_some_and(|declared| (declared - self.cost).abs() >= 0.005)
    }

    /// Whether the declared days disagree with the computed ones.
    pub fn days_disagree(&self) -> bool {
        self.computed
            && self
                .declared_days
                .is_some_and(|declared| declared != self.days)
    }
}

/// How one task's dates move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskMove {
    pub id: String,
    /// None for a task the change adds.
    pub start_before: Option<NaiveDate>,
    pub finish_before: Option<NaiveDate>,
    pub start_after: NaiveDate,
    pub finish_after: NaiveDate,
    /// Working days the start and the finish move; positive is later, 0
    /// for a new task.
    pub start_days: i64,
    pub finish_days: i64,
}

impl TaskMove {
    pub fn is_new(&self) -> bool {
        self.start_before.is_none()
    }
}

/// The plan with the change request at `index` applied: its task edits
/// made and its new tasks added at the end, references resolved. The
/// plan's change requests are left out of the copy (they are not needed to
/// schedule it, and the new tasks would collide with their own request).
pub fn apply_change(plan: &Plan, index: usize) -> Plan {
    let mut after = Plan {
        changes: Vec::new(),
        ..plan.clone()
    };
    let Some(change) = plan.changes.get(index) else {
        return after;
    };
    for patch in &change.edits {
        if let Some(task) = after
            .tasks
            .iter_mut()
            .find(|task| task.id.value == patch.task.value)
        {
            patch.apply_to(task);
        }
    }
    after.tasks.extend(change.adds.iter().cloned());
    // Resolves every reference again; what it finds is the plan's own
    // diagnostics, which `check` reports.
    let _ = crate::validate::validate(&mut after);
    after
}

/// The impact of the change request `change_id` on `plan`, with earned
/// value taken at `status_date` (the plan's status date, else today, as
/// the metrics take it). For a change whose edits the plan already holds
/// (approved and applied), nothing moves.
pub fn impact(
    plan: &Plan,
    change_id: &str,
    status_date: NaiveDate,
) -> Result<Impact, GovernanceError> {
    let index = change_index(plan, change_id)?;
    let before = schedule::schedule(plan)
        .map_err(|error| GovernanceError::Invalid(vec![error.diagnostic(plan)]))?;
    impact_with(plan, &before, index, status_date)
}

/// [`impact`] for a caller that holds the plan's schedule already (the app).
pub fn impact_with(
    plan: &Plan,
    before: &Schedule,
    index: usize,
    status_date: NaiveDate,
) -> Result<Impact, GovernanceError> {
    let Some(change) = plan.changes.get(index) else {
        return Err(GovernanceError::Refused(format!(
            "there is no change request number {}",
            index + 1
        )));
    };
    let calendar = Calendar::new(&plan.calendar).map_err(|error| {
        GovernanceError::Invalid(vec![crate::diagnostic::Diagnostic::error(
            plan.project.pos,
            error.to_string(),
        )])
    })?;
    let metrics_before = metrics::compute(plan, before, status_date);
    let critical = |plan: &Plan, schedule: &Schedule| -> Vec<String> {
        schedule
            .critical_path()
            .into_iter()
            .map(|task| plan.tasks[task].id.value.clone())
            .collect()
    };
    let critical_before = critical(plan, before);
    if !change.changes_tasks() {
        let cost = change.cost.unwrap_or(0.0);
        let days = change.days.unwrap_or(0);
        return Ok(Impact {
            change: change.id.value.clone(),
            computed: false,
            finish_before: before.finish,
            finish_after: calendar
                .add_working_days(before.finish, days)
                .unwrap_or(before.finish),
            days,
            moves: Vec::new(),
            critical_after: critical_before.clone(),
            critical_before,
            bac_before: metrics_before.bac,
            bac_after: metrics_before.bac + cost,
            cost,
            eac_before: metrics_before.eac,
            eac_after: metrics_before.eac.map(|eac| eac + cost),
            declared_cost: change.cost,
            declared_days: change.days,
        });
    }
    let changed = apply_change(plan, index);
    let after = schedule::schedule(&changed).map_err(|error| {
        let mut diagnostic = error.diagnostic(&changed);
        diagnostic.message = format!(
            "with change request `{}` applied, the plan cannot be scheduled: {}",
            crate::sanitize::quote(&change.id.value),
            diagnostic.message
        );
        diagnostic.pos = change.pos;
        GovernanceError::Invalid(vec![diagnostic])
    })?;
    let metrics_after = metrics::compute(&changed, &after, status_date);
    let mut moves = Vec::new();
    for (index, (old, new)) in before.tasks.iter().zip(&after.tasks).enumerate() {
        if old.start == new.start && old.finish == new.finish {
            continue;
        }
        moves.push(TaskMove {
            id: plan.tasks[index].id.value.clone(),
            start_before: Some(old.start),
            finish_before: Some(old.finish),
            start_after: new.start,
            finish_after: new.finish,
            start_days: calendar.working_days_between(old.start, new.start),
            finish_days: calendar.working_days_between(old.finish, new.finish),
        });
    }
    for (task, new) in changed
        .tasks
        .iter()
        .zip(&after.tasks)
        .skip(before.tasks.len())
    {
        moves.push(TaskMove {
            id: task.id.value.clone(),
            start_before: None,
            finish_before: None,
            start_after: new.start,
            finish_after: new.finish,
            start_days: 0,
            finish_days: 0,
        });
    }
    Ok(Impact {
        change: change.id.value.clone(),
        computed: true,
        finish_before: before.finish,
        finish_after: after.finish,
        days: calendar.working_days_between(before.finish, after.finish),
        moves,
        critical_before,
        critical_after: critical(&changed, &after),
        bac_before: metrics_before.bac,
        bac_after: metrics_after.bac,
        cost: metrics_after.bac - metrics_before.bac,
        eac_before: metrics_before.eac,
        eac_after: metrics_after.eac,
        declared_cost: change.cost,
        declared_days: change.days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    /// design (5) -> api (5) -> live; design -> docs (2) -> live.
    /// Mon 2027-01-04 start: design 01-04..01-08, api 01-11..01-15,
    /// docs 01-11..01-12, live 01-15. Ana 100/h.
    const PLAN: &str = r#"
[project]
name = "Shop"
start = 2027-01-04

[[person]]
id = "ana"
name = "Ana"
rate = 100

[[task]]
id = "design"
name = "Design"
duration = 5
owner = "ana"
estimate = 40

[[task]]
id = "api"
name = "API"
duration = 5
depends = ["design"]
owner = "ana"
estimate = 40

[[task]]
id = "docs"
name = "Docs"
duration = 2
depends = ["design"]

[[task]]
id = "live"
name = "Live"
milestone = true
depends = ["api", "docs"]
"#;

    fn plan_with(change: &str) -> Plan {
        let text = format!("{PLAN}\n{change}");
        let loaded = crate::store::parse_str(&text).expect("parses");
        assert!(
            !loaded.has_errors(),
            "{:?}",
            loaded
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        );
        loaded.plan
    }

    fn impact_of(change: &str) -> Impact {
        impact(&plan_with(change), "C1", date("2027-01-04")).expect("an impact")
    }

    #[test]
    fn a_longer_critical_task_moves_the_finish_and_its_successors() {
        let impact = impact_of(
            "[[change]]\nid = \"C1\"\ntitle = \"More API\"\n\n[[change.edit]]\ntask = \"api\"\nduration = 8\nestimate = 64\n",
        );
        assert!(impact.computed);
        assert_eq!(impact.finish_before, date("2027-01-15"));
        // api 01-11 + 8 working days: 01-20; live follows it.
        assert_eq!(impact.finish_after, date("2027-01-20"));
        assert_eq!(impact.days, 3);
        let ids: Vec<(&str, i64)> = impact
            .moves
            .iter()
            .map(|m| (m.id.as_str(), m.finish_days))
            .collect();
        assert_eq!(ids, [("api", 3), ("live", 3)]);
        // 24 more hours at 100.
        assert_eq!(impact.bac_before, 8000.0);
        assert_eq!(impact.bac_after, 10400.0);
        assert_eq!(impact.cost, 2400.0);
        assert!(!impact.critical_path_changes());
        assert_eq!(impact.critical_before, ["design", "api", "live"]);
    }

    #[test]
    fn a_change_within_the_slack_moves_one_task_and_not_the_finish() {
        let impact = impact_of(
            "[[change]]\nid = \"C1\"\ntitle = \"More docs\"\n\n[[change.edit]]\ntask = \"docs\"\nduration = 4\n",
        );
        assert_eq!(impact.days, 0);
        assert_eq!(impact.finish_after, impact.finish_before);
        assert_eq!(impact.moves.len(), 1);
        assert_eq!(impact.moves[0].id, "docs");
        assert_eq!(impact.moves[0].finish_after, date("2027-01-14"));
        assert_eq!(impact.moves[0].finish_days, 2);
        assert_eq!(impact.cost, 0.0);
        assert!(!impact.critical_path_changes());
    }

    #[test]
    fn a_change_that_makes_another_chain_critical_says_so() {
        let impact = impact_of(
            "[[change]]\nid = \"C1\"\ntitle = \"Docs in depth\"\n\n[[change.edit]]\ntask = \"docs\"\nduration = 7\n",
        );
        // docs 01-11 + 7: 01-19, two days after api; live moves with it.
        assert_eq!(impact.finish_after, date("2027-01-19"));
        assert_eq!(impact.days, 2);
        assert!(impact.critical_path_changes());
        assert_eq!(impact.critical_before, ["design", "api", "live"]);
        assert_eq!(impact.critical_after, ["design", "docs", "live"]);
    }

    #[test]
    fn a_new_task_is_scheduled_and_counted() {
        let impact = impact_of(
            "[[change]]\nid = \"C1\"\ntitle = \"Loyalty\"\n\n[[change.add]]\nid = \"loyalty\"\nname = \"Loyalty points\"\nduration = 3\ndepends = [\"api\"]\nowner = \"ana\"\nestimate = 24\n\n[[change.edit]]\ntask = \"live\"\ndepends = [\"api\", \"docs\", \"loyalty\"]\n",
        );
        // loyalty 01-18..01-20, live after it.
        assert_eq!(impact.finish_after, date("2027-01-20"));
        assert_eq!(impact.days, 3);
        let new = impact
            .moves
            .iter()
            .find(|m| m.is_new())
            .expect("the new task");
        assert_eq!(new.id, "loyalty");
        assert_eq!(
            (new.start_after, new.finish_after),
            (date("2027-01-18"), date("2027-01-20"))
        );
        assert_eq!(impact.cost, 2400.0);
        assert!(impact.critical_after.contains(&"loyalty".to_owned()));
    }

    #[test]
    fn a_change_without_task_edits_takes_its_declared_figures() {
        let impact =
            impact_of("[[change]]\nid = \"C1\"\ntitle = \"Legal\"\ncost = 500\ndays = 2\n");
        assert!(!impact.computed);
        assert_eq!(impact.days, 2);
        assert_eq!(impact.cost, 500.0);
        assert_eq!(impact.finish_after, date("2027-01-19"));
        assert!(!impact.cost_disagrees());
    }

    #[test]
    fn a_declared_figure_that_differs_from_the_computed_one_is_noticed() {
        let impact = impact_of(
            "[[change]]\nid = \"C1\"\ntitle = \"More API\"\ncost = 1000\ndays = 3\n\n[[change.edit]]\ntask = \"api\"\nduration = 8\nestimate = 64\n",
        );
        assert!(impact.cost_disagrees());
        assert!(!impact.days_disagree());
    }

    #[test]
    fn an_unknown_change_names_the_closest_id() {
        let plan = plan_with("[[change]]\nid = \"loyalty\"\ntitle = \"x\"\n");
        let error = impact(&plan, "loyalti", date("2027-01-04")).expect_err("unknown");
        assert_eq!(
            error.to_string(),
            "there is no change request with id `loyalti`; did you mean `loyalty`?"
        );
    }
}
