//! Earned value and the dashboard's numbers, computed at the status date.
//! Pure functions over the plan and its schedule; `docs/metrics.md` gives
//! every definition, with a worked example.
//!
//! [`compute`] gives the numbers, [`alerts`] what needs attention,
//! [`checkin_draft`] what a weekly check-in would say, and
//! [`upcoming_milestones`] what is coming. None of them reads the clock:
//! the dates they work at are passed in.

mod alerts;
mod checkin;
mod curve;
#[cfg(test)]
mod tests;

use chrono::{Datelike, Days, NaiveDate};

use crate::model::{Plan, Task, TaskStatus};
use crate::schedule::{Calendar, Schedule};

pub use alerts::{alerts, alerts_at, alerts_with_load};
pub use checkin::{checkin_draft, recorded_checkin_advice, upcoming_milestones};

/// The project's health at one date. Ratios are `None` where their
/// denominator is zero: never NaN, never infinite.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub status_date: NaiveDate,
    /// Budget at completion: the sum of task budgets (estimate x owner's rate).
    pub bac: f64,
    /// Planned value at the status date.
    pub pv: f64,
    /// Earned value at the status date.
    pub ev: f64,
    /// Actual cost: logged hours x rate, up to the status date.
    pub ac: f64,
    pub sv: f64,
    pub cv: f64,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    pub eac: Option<f64>,
    pub etc: Option<f64>,
    pub vac: Option<f64>,
    /// AC per elapsed working week.
    pub burn_rate: Option<f64>,
    /// PV per elapsed working week.
    pub planned_burn_rate: Option<f64>,
    /// Tasks with status `blocked`.
    pub open_blockers: usize,
    /// Project finish minus baseline project finish, in working days; positive is late.
    pub variance_days: Option<i64>,
    /// Earned schedule, in working days from the project start.
    pub earned_schedule: Option<f64>,
    /// SPI(t) = ES / actual time.
    pub spi_t: Option<f64>,
    /// The forecast finish date by earned schedule (IEAC(t)).
    pub forecast_finish: Option<NaiveDate>,
    /// EV / BAC as a percentage; by task durations when there is no budget.
    pub percent_complete: f64,
    /// Where the planned-value curve starts: the earliest planned start (the
    /// baseline's where a task has one, else the schedule's).
    pub planned_start: NaiveDate,
    /// Where the planned-value curve ends: the latest planned finish.
    pub planned_finish: NaiveDate,
    /// Working days from `planned_start` through `planned_finish`.
    pub planned_duration: i64,
    /// Actual time (AT): working days from `planned_start` through the status date.
    pub elapsed_days: i64,
    /// IEAC(t) = planned duration / SPI(t), in working days from `planned_start`.
    pub ieac_t: Option<f64>,
    /// Which indices rest on enough to mean anything yet. An index that
    /// does not is still computed; show it marked, with `caveats`.
    pub meaningful: Meaningful,
}

/// Below this share, a denominator is too small for the index over it to
/// mean anything: PV or AC under 10% of BAC, or under 10% of the planned
/// working days elapsed (`docs/metrics.md`, "Figures not yet meaningful").
pub const MEANINGFUL_SHARE: f64 = 0.10;

/// Whether each index is meaningful at the status date: it has a value,
/// its denominator is at least `MEANINGFUL_SHARE` of the whole, and the
/// progress it compares was recorded as of the same date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Meaningful {
    /// SPI: PV is at least 10% of BAC.
    pub spi: bool,
    /// CPI, and EAC, ETC and VAC built on it: AC is at least 10% of BAC.
    pub cpi: bool,
    /// SPI(t), IEAC(t) and the forecast finish: at least 10% of the
    /// planned working days have elapsed.
    pub spi_t: bool,
    /// The plan's `project.status_date` when the figures are taken at an
    /// earlier date: progress, and so EV, is as recorded then, and counts
    /// work done after the date the PV and AC are taken at. Every index is
    /// then not meaningful.
    pub progress_as_of: Option<NaiveDate>,
}

impl Meaningful {
    /// Whether every index that has a value means something.
    pub fn all(&self) -> bool {
        self.spi && self.cpi && self.spi_t
    }
}

/// How urgent an alert is; the most urgent sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertSeverity {
    /// Act now.
    High,
    /// Act this week.
    Medium,
    /// Worth knowing.
    Low,
}

impl AlertSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertSeverity::High => "high",
            AlertSeverity::Medium => "medium",
            AlertSeverity::Low => "low",
        }
    }
}

/// Something that needs attention, and what it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    pub message: String,
    pub target: AlertTarget,
    pub severity: AlertSeverity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// An open risk whose trigger date has come.
    RiskPastTrigger,
    /// A task blocked for more than a week.
    LongBlocked,
    /// Spend above plan: CPI below 0.9.
    SpendAbovePlan,
    /// A quality gate unsigned within 7 days of its milestone.
    GateUnsigned,
    /// No check-in recorded for last week.
    MissingCheckin,
    /// A person booked over capacity.
    OverAllocated,
    /// A communication item past the date its cadence makes it due.
    CommunicationDue,
}

impl AlertKind {
    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::RiskPastTrigger => "risk_past_trigger",
            AlertKind::LongBlocked => "long_blocked",
            AlertKind::SpendAbovePlan => "spend_above_plan",
            AlertKind::GateUnsigned => "gate_unsigned",
            AlertKind::MissingCheckin => "missing_checkin",
            AlertKind::OverAllocated => "over_allocated",
            AlertKind::CommunicationDue => "communication_due",
        }
    }
}

/// What an alert jumps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertTarget {
    Task(usize),
    Risk(usize),
    Gate(usize),
    Person(usize),
    Checkin,
    /// An item of the communication plan, by its index.
    Communication(usize),
    Dashboard,
}

/// What a check-in for a week would say, drafted from the plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckinDraft {
    /// The Monday of the week.
    pub week: NaiveDate,
    /// Tasks finished this week.
    pub done: Vec<usize>,
    /// Tasks starting or due next week.
    pub next: Vec<usize>,
    /// Blocked tasks.
    pub blocked: Vec<usize>,
    /// Risks due for review: trigger within 7 days, or not reviewed for 7 days.
    pub risks_due: Vec<usize>,
}

/// A task's planned cost: its estimate times its owner's hourly rate, 0 when
/// either is missing.
pub fn task_budget(plan: &Plan, task: &Task) -> f64 {
    let rate = task
        .owner
        .as_ref()
        .and_then(|owner| owner.index)
        .and_then(|index| plan.people.get(index))
        .and_then(|person| person.rate);
    match (task.estimate, rate) {
        (Some(estimate), Some(rate)) => amount(estimate) * amount(rate),
        _ => 0.0,
    }
}

/// The percent a task counts as complete: 100 when done, else its progress.
pub fn task_progress(task: &Task) -> f64 {
    if task.status == TaskStatus::Done {
        100.0
    } else {
        f64::from(task.progress.min(100))
    }
}

/// Whether a task is finished: status `done` or progress 100.
pub fn is_finished(task: &Task) -> bool {
    task.status == TaskStatus::Done || task.progress >= 100
}

/// The Monday of the week `date` falls in.
pub fn week_monday(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        .unwrap_or(date)
}

/// The date a week's figures are taken at: its last day (Sunday), or the
/// status date when that comes first, since nothing after the status date
/// is known yet.
pub fn week_as_of(week: NaiveDate, status_date: NaiveDate) -> NaiveDate {
    let sunday = week_monday(week)
        .checked_add_days(Days::new(6))
        .unwrap_or(week);
    sunday.min(status_date)
}

/// The earned-value numbers and the dashboard's health figures at `status_date`.
pub fn compute(plan: &Plan, schedule: &Schedule, status_date: NaiveDate) -> Metrics {
    let budgets: Vec<f64> = plan
        .tasks
        .iter()
        .map(|task| task_budget(plan, task))
        .collect();
    let bac: f64 = budgets.iter().sum();
    let ev: f64 = plan
        .tasks
        .iter()
        .zip(&budgets)
        .map(|(task, budget)| budget * task_progress(task) / 100.0)
        .sum();
    let ac = actual_cost(plan, status_date);
    let open_blockers = plan
        .tasks
        .iter()
        .filter(|task| task.status == TaskStatus::Blocked)
        .count();

    // A schedule exists only for a plan whose calendar has working days, so
    // the fallback is never used in practice; it keeps this function total.
    let calendar = Calendar::new(&plan.calendar)
        .or_else(|_| Calendar::new(&crate::model::Calendar::default()));
    let timeline = match &calendar {
        Ok(calendar) => curve::Timeline::new(calendar, plan, schedule, &budgets, status_date),
        Err(_) => curve::Timeline::empty(schedule),
    };

    let pv = timeline.planned_value;
    // Less than a cent planned or spent is no base for an index.
    let spi = (pv.abs() >= 0.01).then(|| ratio(ev, pv)).flatten();
    let cpi = (ac.abs() >= 0.01).then(|| ratio(ev, ac)).flatten();
    let eac = cpi.and_then(|cpi| ratio(bac, cpi));
    let etc = eac.map(|eac| eac - ac);
    let vac = eac.map(|eac| bac - eac);
    let weeks = match &calendar {
        Ok(calendar) => timeline.elapsed_days as f64 / calendar.workdays_per_week() as f64,
        Err(_) => 0.0,
    };
    let burn_rate = ratio(ac, weeks);
    let planned_burn_rate = ratio(pv, weeks);

    let earned_schedule = if bac > 0.0 {
        Some(timeline.earned_schedule(ev, bac, timeline.elapsed_days as f64))
    } else {
        None
    };
    let spi_t = earned_schedule.and_then(|es| ratio(es, timeline.elapsed_days as f64));
    let ieac_t = spi_t.and_then(|spi_t| ratio(timeline.planned_duration as f64, spi_t));
    let forecast_finish = match (&calendar, ieac_t) {
        (Ok(calendar), Some(ieac_t)) => timeline.date_after(calendar, ieac_t),
        _ => None,
    };

    let progress_as_of = plan
        .project
        .status_date
        .filter(|&recorded| recorded > status_date);
    let enough = |part: f64, whole: f64| {
        progress_as_of.is_none() && whole > 0.0 && part > 0.0 && part >= MEANINGFUL_SHARE * whole
    };
    let meaningful = Meaningful {
        spi: spi.is_some() && enough(pv, bac),
        cpi: cpi.is_some() && enough(ac, bac),
        spi_t: spi_t.is_some()
            && enough(
                timeline.elapsed_days as f64,
                timeline.planned_duration as f64,
            ),
        progress_as_of,
    };

    let percent_complete = if bac > 0.0 {
        (ev / bac * 100.0).clamp(0.0, 100.0)
    } else {
        duration_weighted_progress(&plan.tasks)
    };

    Metrics {
        status_date,
        bac,
        pv,
        ev,
        ac,
        sv: ev - pv,
        cv: ev - ac,
        spi,
        cpi,
        eac,
        etc,
        vac,
        burn_rate,
        planned_burn_rate,
        open_blockers,
        variance_days: schedule.slip,
        earned_schedule,
        spi_t,
        forecast_finish,
        percent_complete,
        planned_start: timeline.origin,
        planned_finish: timeline.planned_finish,
        planned_duration: timeline.planned_duration,
        elapsed_days: timeline.elapsed_days,
        ieac_t,
        meaningful,
    }
}

impl Metrics {
    /// Why the indices that are not meaningful are not, one sentence each
    /// (empty when all are): shown beside the figures by `status`, the
    /// Dashboard, the check-in draft and the report.
    pub fn caveats(&self) -> Vec<String> {
        let share = |part: f64, whole: f64| {
            let percent = part / whole * 100.0;
            // No NaN, inf or run of digits: a BAC of 0 has no share.
            if !percent.is_finite() {
                "an undefined share (BAC is 0)".to_string()
            } else if percent >= 999.95 {
                "over 999%".to_string()
            } else if percent > 0.0 && percent < 0.1 {
                "under 0.1%".to_string()
            } else {
                format!("{percent:.1}%")
            }
        };
        let threshold = MEANINGFUL_SHARE * 100.0;
        let mut caveats = Vec::new();
        if let Some(recorded) = self.meaningful.progress_as_of {
            caveats.push(format!(
                "progress is as recorded on {recorded}, after {}: EV counts work done since, so SPI, CPI and the forecasts are not meaningful for this date",
                self.status_date
            ));
            return caveats;
        }
        if self.spi.is_some() && !self.meaningful.spi {
            caveats.push(format!(
                "SPI is not yet meaningful: PV is {} of BAC (under {threshold:.0}%)",
                share(self.pv, self.bac)
            ));
        }
        if self.cpi.is_some() && !self.meaningful.cpi {
            caveats.push(format!(
                "CPI, EAC, ETC and VAC are not yet meaningful: AC is {} of BAC (under {threshold:.0}%)",
                share(self.ac, self.bac)
            ));
        }
        if self.spi_t.is_some() && !self.meaningful.spi_t {
            caveats.push(format!(
                "SPI(t) and the forecast finish are not yet meaningful: {} of {} planned working days elapsed (under {threshold:.0}%)",
                self.elapsed_days, self.planned_duration
            ));
        }
        caveats
    }
}

/// Logged hours up to the status date times the rate of who logged them.
fn actual_cost(plan: &Plan, status_date: NaiveDate) -> f64 {
    plan.log
        .iter()
        .filter(|entry| entry.date <= status_date)
        .map(|entry| {
            let person = entry
                .person
                .as_ref()
                .map(|person| person.index)
                .unwrap_or_else(|| {
                    entry
                        .task
                        .index
                        .and_then(|task| plan.tasks.get(task))
                        .and_then(|task| task.owner.as_ref())
                        .and_then(|owner| owner.index)
                });
            let rate = person
                .and_then(|index| plan.people.get(index))
                .and_then(|person| person.rate)
                .map(amount)
                .unwrap_or(0.0);
            amount(entry.hours) * rate
        })
        .sum()
}

/// The mean progress of the tasks weighted by their durations; the plain
/// mean when every task is a milestone; 0 without tasks.
fn duration_weighted_progress(tasks: &[Task]) -> f64 {
    let weight = |task: &Task| task.working_days().max(0) as f64;
    let total: f64 = tasks.iter().map(weight).sum();
    if total > 0.0 {
        let done: f64 = tasks
            .iter()
            .map(|task| weight(task) * task_progress(task))
            .sum();
        return (done / total).clamp(0.0, 100.0);
    }
    if tasks.is_empty() {
        return 0.0;
    }
    let sum: f64 = tasks.iter().map(task_progress).sum();
    sum / tasks.len() as f64
}

/// `numerator / denominator`, or `None` when that is not a finite number.
/// An index (SPI, CPI) to two decimals; from 1000 on, ">999": such an
/// index says only that the baseline of the ratio is nearly nothing.
pub fn format_index(value: f64) -> String {
    if !value.is_finite() {
        "n/a".to_owned()
    } else if value >= 999.995 {
        ">999".to_owned()
    } else if value <= -999.995 {
        "<-999".to_owned()
    } else {
        format!("{value:.2}")
    }
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    if denominator == 0.0 {
        return None;
    }
    let value = numerator / denominator;
    value.is_finite().then_some(value)
}

/// Hours, rates and estimates: a finite, non-negative number, else 0.
fn amount(value: f64) -> f64 {
    if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    }
}

/// Money as `12,345.67`: two decimals, thousands separated by commas.
pub fn format_money(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let cents = (value.abs() * 100.0).round();
    // A billion and more in short form, so the figure fits the columns
    // made for it: "2.35B", "120.00T", "1.20e17".
    if cents >= 1e11 {
        let sign = if value < 0.0 { "-" } else { "" };
        let magnitude = value.abs();
        return match [(1e9, 'B'), (1e12, 'T')]
            .into_iter()
            .rev()
            .find(|(scale, _)| magnitude >= *scale && magnitude < scale * 1e3)
        {
            Some((scale, suffix)) => format!("{sign}{:.2}{suffix}", magnitude / scale),
            None => format!("{sign}{magnitude:.2e}"),
        };
    }
    let cents = cents as u64;
    let whole = (cents / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (position, digit) in whole.chars().enumerate() {
        if position > 0 && (whole.len() - position).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{grouped}.{:02}", cents % 100)
}
