//! The post-implementation review: planned against actual, computed from
//! the plan (baseline finish against the actual or forecast finish, budget
//! against actual cost, scope delivered and dropped, the approved change
//! requests), beside what `[review]` records.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::metrics::{self, format_money};
use crate::model::{ChangeStatus, Plan, TaskStatus};
use crate::report::markdown::escape_markdown;
use crate::schedule::Schedule;

/// The computed half of the review, as `gantry review` prints it and the
/// app's Plan pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewFacts {
    /// The date the figures are taken at.
    pub status_date: NaiveDate,
    /// The project finish in the baseline, when tasks have one.
    pub baseline_finish: Option<NaiveDate>,
    /// The project finish as scheduled: actual when `finished`, else forecast.
    pub finish: NaiveDate,
    /// Whether every task is done.
    pub finished: bool,
    /// Working days the finish moved from the baseline; positive is late.
    pub finish_variance: Option<i64>,
    /// `[project]` `budget`, when set.
    pub budget: Option<f64>,
    /// Budget at completion: estimates times rates.
    pub bac: f64,
    /// Logged hours times rates, up to the status date.
    pub actual_cost: f64,
    /// Estimate at completion (None while nothing has been spent).
    pub eac: Option<f64>,
    pub percent_complete: f64,
    /// `[scope]` `included` less `dropped`, and `dropped`.
    pub delivered: Vec<String>,
    pub dropped: Vec<String>,
    /// Indices of the change requests approved or done, in plan order.
    pub approved_changes: Vec<usize>,
    /// How many change requests were rejected, and are still proposed.
    pub rejected_changes: usize,
    pub open_changes: usize,
}

impl ReviewFacts {
    /// Actual cost less BAC; positive is over.
    pub fn cost_variance(&self) -> f64 {
        self.actual_cost - self.bac
    }
}

/// The planned-versus-actual figures of `plan` at `status_date`.
pub fn review_facts(plan: &Plan, schedule: &Schedule, status_date: NaiveDate) -> ReviewFacts {
    let figures = metrics::compute(plan, schedule, status_date);
    let dropped: Vec<String> = plan
        .scope
        .dropped
        .iter()
        .map(|item| item.value.clone())
        .collect();
    let count = |status: ChangeStatus| {
        plan.changes
            .iter()
            .filter(|change| change.status == status)
            .count()
    };
    ReviewFacts {
        status_date,
        baseline_finish: schedule.baseline.map(|baseline| baseline.finish),
        finish: schedule.finish,
        finished: !plan.tasks.is_empty()
            && plan
                .tasks
                .iter()
                .all(|task| task.status == TaskStatus::Done),
        finish_variance: schedule.slip,
        budget: plan.project.budget,
        bac: figures.bac,
        actual_cost: figures.ac,
        eac: figures.eac,
        percent_complete: figures.percent_complete,
        delivered: plan
            .scope
            .included
            .iter()
            .filter(|item| !dropped.contains(item))
            .cloned()
            .collect(),
        dropped,
        approved_changes: plan
            .changes
            .iter()
            .enumerate()
            .filter(|(_, change)| {
                matches!(change.status, ChangeStatus::Approved | ChangeStatus::Done)
            })
            .map(|(index, _)| index)
            .collect(),
        rejected_changes: count(ChangeStatus::Rejected),
        open_changes: count(ChangeStatus::Proposed),
    }
}

fn days(days: i64) -> String {
    match days {
        0 => "on the baseline".to_owned(),
        1 => "1 working day late".to_owned(),
        -1 => "1 working day early".to_owned(),
        days if days > 0 => format!("{days} working days late"),
        days => format!("{} working days early", -days),
    }
}

fn bullets(out: &mut String, items: &[String]) {
    for item in items {
        let _ = writeln!(out, "- {}", escape_markdown(item));
    }
}

/// The review as Markdown: the computed figures, then what `[review]` records.
pub fn review_markdown(plan: &Plan, facts: &ReviewFacts) -> String {
    let mut out = String::new();
    let review = plan.review.clone().unwrap_or_default();
    let _ = writeln!(
        out,
        "# Post-implementation review: {}\n",
        escape_markdown(&plan.project.name)
    );
    let held = review
        .date
        .map(|date| format!("Held on {date}. "))
        .unwrap_or_default();
    let _ = writeln!(out, "{held}Figures as of {}.\n", facts.status_date);
    let _ = writeln!(out, "## Planned and actual\n");
    let actual = if facts.finished { "actual" } else { "forecast" };
    let _ = writeln!(out, "| | planned | {actual} |");
    let _ = writeln!(out, "|---|---|---|");
    let planned_finish = facts
        .baseline_finish
        .map(|date| date.to_string())
        .unwrap_or_else(|| "no baseline".to_owned());
    let variance = facts
        .finish_variance
        .map(|slip| format!(" ({})", days(slip)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "| finish | {planned_finish} | {}{variance} |",
        facts.finish
    );
    let currency = plan
        .project
        .currency
        .as_deref()
        .map(|c| format!(" {}", escape_markdown(c)))
        .unwrap_or_default();
    let budget = facts
        .budget
        .map(|budget| format!(" (budget {}{currency})", format_money(budget)))
        .unwrap_or_default();
    // Until every task is done, the cost to compare with BAC is the
    // forecast (EAC), not what has been spent so far.
    let against_bac = |cost: f64| {
        let over = cost - facts.bac;
        if over > 0.005 {
            format!(", {} over", format_money(over))
        } else if over < -0.005 {
            format!(", {} under", format_money(-over))
        } else {
            String::new()
        }
    };
    let cost_cell = match (facts.finished, facts.eac) {
        (true, _) => format!(
            "{}{currency} spent{}",
            format_money(facts.actual_cost),
            against_bac(facts.actual_cost)
        ),
        (false, Some(eac)) => format!(
            "{}{currency} EAC{}; {}{currency} spent so far",
            format_money(eac),
            against_bac(eac),
            format_money(facts.actual_cost)
        ),
        (false, None) => format!(
            "{}{currency} spent so far, too little to forecast",
            format_money(facts.actual_cost)
        ),
    };
    let _ = writeln!(
        out,
        "| cost | {}{currency} BAC{budget} | {cost_cell} |",
        format_money(facts.bac),
    );
    let included = facts.delivered.len() + facts.dropped.len();
    let delivered = if facts.finished {
        "delivered"
    } else {
        "still to deliver"
    };
    let _ = writeln!(
        out,
        "| scope | {included} item{} | {} {delivered}, {} dropped |",
        if included == 1 { "" } else { "s" },
        facts.delivered.len(),
        facts.dropped.len()
    );
    let _ = writeln!(
        out,
        "| complete | 100% | {:.0}% |\n",
        facts.percent_complete
    );
    if let (true, Some(eac)) = (facts.finished, facts.eac) {
        let _ = writeln!(
            out,
            "Estimate at completion: {}{currency}.\n",
            format_money(eac)
        );
    }
    if !facts.delivered.is_empty() {
        let heading = if facts.finished {
            "Delivered"
        } else {
            "In scope, not yet all delivered"
        };
        let _ = writeln!(out, "### {heading}\n");
        bullets(&mut out, &facts.delivered);
        out.push('\n');
    }
    if !facts.dropped.is_empty() {
        let _ = writeln!(out, "### Dropped\n");
        bullets(&mut out, &facts.dropped);
        out.push('\n');
    }
    if !plan.scope.excluded.is_empty() {
        let _ = writeln!(out, "### Out of scope from the start\n");
        bullets(&mut out, &plan.scope.excluded);
        out.push('\n');
    }
    let _ = writeln!(out, "## Approved changes\n");
    if facts.approved_changes.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for &index in &facts.approved_changes {
        let change = &plan.changes[index];
        let mut line = format!(
            "- `{}` {} ({}",
            escape_markdown(&change.id.value),
            escape_markdown(&change.title),
            change.status.as_str()
        );
        if let Some(by) = &change.decided_by {
            let _ = write!(line, " by {}", escape_markdown(by));
        }
        if let Some(date) = change.decided {
            let _ = write!(line, " on {date}");
        }
        line.push(')');
        if let Some(days) = change.days {
            let _ = write!(line, "; declared {days:+} days");
        }
        if let Some(cost) = change.cost {
            let _ = write!(line, "; declared cost {}", format_money(cost));
        }
        if change.changes_tasks() {
            let _ = write!(
                line,
                "; {} task edit{}, {} new task{}",
                change.edits.len(),
                if change.edits.len() == 1 { "" } else { "s" },
                change.adds.len(),
                if change.adds.len() == 1 { "" } else { "s" }
            );
        }
        let _ = writeln!(out, "{line}");
    }
    if facts.rejected_changes + facts.open_changes > 0 {
        let _ = writeln!(
            out,
            "\n{} rejected, {} still proposed.",
            facts.rejected_changes, facts.open_changes
        );
    }
    out.push('\n');
    if review.planned.is_some() || review.actual.is_some() {
        let _ = writeln!(out, "## As recorded\n");
        if let Some(planned) = &review.planned {
            let _ = writeln!(out, "- Planned: {}", escape_markdown(planned));
        }
        if let Some(actual) = &review.actual {
            let _ = writeln!(out, "- Actual: {}", escape_markdown(actual));
        }
        out.push('\n');
    }
    for (title, items) in [
        ("What went well", &review.went_well),
        ("What to improve", &review.improve),
        ("Lessons", &review.lessons),
    ] {
        let _ = writeln!(out, "## {title}\n");
        if items.is_empty() {
            let _ = writeln!(out, "Not recorded yet.");
        }
        bullets(&mut out, items);
        out.push('\n');
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    const PLAN: &str = "[project]\nname = \"Shop\"\nstart = 2027-01-04\nbudget = 5000\n\n[scope]\nincluded = [\"Checkout\", \"Loyalty\"]\ndropped = [\"Loyalty\"]\nexcluded = [\"Mobile app\"]\n\n[[person]]\nid = \"ana\"\nname = \"Ana\"\nrate = 100\n\n[[task]]\nid = \"api\"\nname = \"API\"\nduration = 6\nowner = \"ana\"\nestimate = 40\nstatus = \"done\"\nbaseline = { start = 2027-01-04, finish = 2027-01-08 }\n\n[[log]]\ndate = 2027-01-05\ntask = \"api\"\nhours = 20\n\n[[log]]\ndate = 2027-01-06\ntask = \"api\"\nhours = 20\n\n[[log]]\ndate = 2027-01-07\ntask = \"api\"\nhours = 5\n\n[[change]]\nid = \"C1\"\ntitle = \"One more day\"\nstatus = \"done\"\ndecided_by = \"Bo\"\ndecided = 2027-01-05\ndays = 1\n\n[[change]]\nid = \"C2\"\ntitle = \"Points\"\nstatus = \"rejected\"\n\n[review]\ndate = 2027-02-01\nwent_well = [\"Daily demos\"]\nlessons = [\"Book *vendor* access early\"]\n";

    fn facts() -> (Plan, ReviewFacts) {
        let plan = crate::store::parse_str(PLAN).expect("parses").plan;
        let schedule = crate::schedule::schedule(&plan).expect("schedules");
        let facts = review_facts(&plan, &schedule, date("2027-01-29"));
        (plan, facts)
    }

    #[test]
    fn the_facts_compare_the_baseline_with_what_happened() {
        let (_, facts) = facts();
        assert_eq!(facts.baseline_finish, Some(date("2027-01-08")));
        assert_eq!(facts.finish, date("2027-01-11"));
        assert!(facts.finished);
        assert_eq!(facts.finish_variance, Some(1));
        assert_eq!(facts.bac, 4000.0);
        assert_eq!(facts.actual_cost, 4500.0);
        assert_eq!(facts.cost_variance(), 500.0);
        assert_eq!(facts.delivered, ["Checkout"]);
        assert_eq!(facts.dropped, ["Loyalty"]);
        assert_eq!(facts.approved_changes, [0]);
        assert_eq!(facts.rejected_changes, 1);
    }

    #[test]
    fn the_markdown_shows_the_figures_and_the_record() {
        let (plan, facts) = facts();
        let text = review_markdown(&plan, &facts);
        assert!(text.starts_with("# Post-implementation review: Shop\n\nHeld on 2027-02-01. Figures as of 2027-01-29.\n"), "{text}");
        assert!(text.contains("| | planned | actual |\n|---|---|---|\n| finish | 2027-01-08 | 2027-01-11 (1 working day late) |\n| cost | 4,000.00 BAC (budget 5,000.00) | 4,500.00 spent, 500.00 over |\n| scope | 2 items | 1 delivered, 1 dropped |\n"), "{text}");
        assert!(text.contains("### Dropped\n\n- Loyalty\n"), "{text}");
        assert!(text.contains("- `C1` One more day (done by Bo on 2027-01-05); declared +1 days\n\n1 rejected, 0 still proposed."), "{text}");
        assert!(
            text.contains("## Lessons\n\n- Book \\*vendor\\* access early\n"),
            "{text}"
        );
        assert!(
            text.contains("## What to improve\n\nNot recorded yet.\n"),
            "{text}"
        );
        assert!(text.ends_with("early\n"), "{text}");
    }

    #[test]
    fn a_review_before_the_end_compares_the_forecast_and_claims_nothing_delivered() {
        let plan = crate::store::parse_str(include_str!("../../examples/hotel-integration.toml"))
            .expect("parses")
            .plan;
        let schedule = crate::schedule::schedule(&plan).expect("schedules");
        let status_date = plan.project.status_date.expect("a status date");
        let facts = review_facts(&plan, &schedule, status_date);
        assert!(!facts.finished);
        let text = review_markdown(&plan, &facts);
        let eac = crate::metrics::format_money(facts.eac.expect("a forecast"));
        assert!(
            text.contains(&format!("| {eac} EUR EAC, ")),
            "the forecast, not the spend so far, is set against BAC: {text}"
        );
        assert!(text.contains("spent so far |"), "{text}");
        assert!(text.contains(" still to deliver, 0 dropped |"), "{text}");
        assert!(!text.contains("### Delivered"), "{text}");
    }
}
