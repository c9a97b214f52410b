//! The weekly status report: one computed model of what the report says
//! ([`Report`], built by [`build`]), written as Markdown ([`markdown`]) or
//! as one self-contained HTML page ([`html`]). Both writers read the same
//! model, so the two reports always say the same things.
//!
//! Pure functions: nothing here reads the clock or the disk. The week, the
//! status date and the plan are passed in.

pub mod html;
pub mod markdown;

use chrono::{Datelike, Days, NaiveDate};

use crate::metrics::{
    self, Meaningful, Metrics, is_finished, task_progress, week_as_of, week_monday,
};
use crate::model::{ChangeStatus, Plan, RiskStatus, RiskTier, TaskStatus};
use crate::schedule::{Calendar, Schedule};

/// How many open risks the report lists.
pub const TOP_RISKS: usize = 5;
/// How far ahead the report looks for milestones, in days.
pub const MILESTONE_DAYS: i64 = 30;
/// At most this many tasks drawn from the plan are listed under done,
/// next and blocked; the rest are counted.
pub const LIST_LIMIT: usize = 25;
/// Above this many tasks the HTML Gantt shows one row per phase instead
/// of one per task, so the chart stays readable (docs/report.md).
pub const GANTT_TASK_LIMIT: usize = 150;

/// How a headline number stands: the word and the colour the reports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Ok,
    Watch,
    Act,
    /// Not enough data yet to judge.
    Unknown,
}

impl Health {
    pub fn word(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Watch => "watch",
            Health::Act => "act",
            Health::Unknown => "n/a",
        }
    }
}

/// The headline numbers, with how healthy each is.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub percent_complete: f64,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    /// The finish the schedule computes today.
    pub scheduled_finish: NaiveDate,
    /// The project finish in the baseline, when tasks have one.
    pub baseline_finish: Option<NaiveDate>,
    /// Scheduled finish minus baseline finish, in working days; positive is late.
    pub variance_days: Option<i64>,
    pub variance_health: Health,
    /// The finish forecast by earned schedule.
    pub forecast_finish: Option<NaiveDate>,
    /// Forecast finish minus scheduled finish, in working days; positive is later.
    pub forecast_vs_scheduled_days: Option<i64>,
    pub forecast_health: Health,
    /// Budget at completion: the sum of the task budgets.
    pub bac: f64,
    /// `project.budget`, the money the project was given.
    pub budget: Option<f64>,
    /// Actual cost to the status date.
    pub ac: f64,
    pub eac: Option<f64>,
    /// Variance at completion against BAC: BAC - EAC.
    pub vac: Option<f64>,
    /// Budget - EAC: positive is money left over.
    pub budget_margin: Option<f64>,
    pub budget_health: Health,
    pub burn_rate: Option<f64>,
    pub planned_burn_rate: Option<f64>,
    pub burn_health: Health,
    pub open_blockers: usize,
    pub blocker_health: Health,
    /// Which indices mean something yet (`docs/metrics.md`, "Figures not
    /// yet meaningful"); one that does not is shown marked, and its health
    /// is not judged.
    pub meaningful: Meaningful,
    /// Why the others do not, one sentence each.
    pub caveats: Vec<String>,
}

impl Headline {
    /// "(not meaningful)" after a figure that has a value but is not
    /// meaningful yet, else nothing.
    pub fn mark(value_is_some: bool, meaningful: bool) -> &'static str {
        if value_is_some && !meaningful {
            " (not meaningful)"
        } else {
            ""
        }
    }
}

/// One line of done, next or blocked: a recorded line, or a task of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The recorded line, or the task's name.
    pub text: String,
    /// The task's id, for lines drawn from the plan.
    pub task: Option<String>,
    /// The task's start and finish, for what comes next.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    /// Why the task is blocked.
    pub blocker: Option<String>,
    pub blocked_since: Option<NaiveDate>,
}

impl Item {
    fn line(text: &str) -> Item {
        Item {
            text: text.to_owned(),
            task: None,
            dates: None,
            blocker: None,
            blocked_since: None,
        }
    }
}

/// Done, next or blocked: what the check-in recorded first, then what the
/// plan says and the check-in did not mention.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemList {
    pub recorded: Vec<Item>,
    pub from_plan: Vec<Item>,
    /// Tasks from the plan left out of `from_plan` (over [`LIST_LIMIT`]).
    pub more: usize,
}

impl ItemList {
    pub fn is_empty(&self) -> bool {
        self.recorded.is_empty() && self.from_plan.is_empty()
    }

    fn capped(mut self) -> ItemList {
        self.more = self.from_plan.len().saturating_sub(LIST_LIMIT);
        self.from_plan.truncate(LIST_LIMIT);
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub id: String,
    pub name: String,
    pub date: NaiveDate,
    /// Days from the status date to the milestone; negative when passed.
    pub days_away: i64,
    pub finished: bool,
    pub baseline: Option<NaiveDate>,
    /// Working days later than the baseline; positive is late.
    pub slip: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RiskLine {
    pub id: String,
    pub title: String,
    pub score: u8,
    pub likelihood: u8,
    pub impact: u8,
    pub urgent: bool,
    pub owner: Option<String>,
    pub trigger: Option<NaiveDate>,
    pub trigger_passed: bool,
    pub mitigation: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: String,
    pub title: String,
    pub status: ChangeStatus,
    pub decided_by: Option<String>,
    pub decided: Option<NaiveDate>,
    pub cost: Option<f64>,
    pub days: Option<i64>,
}

/// One week of the check-in trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub week: NaiveDate,
    pub percent_complete: Option<f64>,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    pub open_blockers: Option<i64>,
    /// The report's own week, computed now rather than recorded.
    pub computed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GanttRowKind {
    Phase,
    Task,
}

/// One row of the Gantt chart: a phase (its span) or a task.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttRow {
    pub kind: GanttRowKind,
    pub id: String,
    pub name: String,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    /// Percent complete, 0 to 100.
    pub progress: f64,
    pub critical: bool,
    pub milestone: bool,
    pub finished: bool,
    pub blocked: bool,
    pub baseline: Option<(NaiveDate, NaiveDate)>,
    /// Milestones drawn on a phase row when tasks are collapsed.
    pub milestones: Vec<NaiveDate>,
    /// How many tasks a phase row stands for.
    pub tasks: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gantt {
    /// The first day the axis shows.
    pub from: NaiveDate,
    /// The last day the axis shows.
    pub to: NaiveDate,
    /// Tasks are folded into their phases (more than [`GANTT_TASK_LIMIT`]).
    pub collapsed: bool,
    pub task_count: usize,
    pub rows: Vec<GanttRow>,
}

/// Everything the weekly report says, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub project: String,
    pub currency: Option<String>,
    /// The Monday of the week reported on.
    pub week: NaiveDate,
    pub sunday: NaiveDate,
    pub iso_year: i32,
    pub iso_week: u32,
    /// The date the figures are taken at.
    pub as_of: NaiveDate,
    pub headline: Headline,
    /// The week has a recorded `[[checkin]]`.
    pub checkin_recorded: bool,
    pub note: Option<String>,
    pub done: ItemList,
    pub next: ItemList,
    pub blocked: ItemList,
    pub reached: Vec<Milestone>,
    pub ahead: Vec<Milestone>,
    /// Every milestone of the plan, by date.
    pub milestones: Vec<Milestone>,
    /// The open risks with the highest scores, at most [`TOP_RISKS`].
    pub top_risks: Vec<RiskLine>,
    /// How many open risks are left out of `top_risks`.
    pub more_risks: usize,
    /// Risks that are not closed, by likelihood (row 0 = 1) and impact (column 0 = 1).
    pub heat_map: [[usize; 5]; 5],
    pub changes: Vec<Change>,
    pub trend: Vec<TrendPoint>,
    pub gantt: Gantt,
}

/// The report for the week that `week` falls in, with the figures as of
/// the end of that week or `status_date`, whichever comes first.
pub fn build(plan: &Plan, schedule: &Schedule, week: NaiveDate, status_date: NaiveDate) -> Report {
    let week = week_monday(week);
    let sunday = week.checked_add_days(Days::new(6)).unwrap_or(week);
    let as_of = week_as_of(week, status_date);
    let metrics = metrics::compute(plan, schedule, as_of);
    let draft = metrics::checkin_draft(plan, schedule, week);
    let calendar = Calendar::new(&plan.calendar)
        .or_else(|_| Calendar::new(&crate::model::Calendar::default()))
        .ok();
    let iso = week.iso_week();

    let recorded = plan
        .checkins
        .iter()
        .find(|checkin| week_monday(checkin.week.value) == week);

    let task_item = |index: usize| -> Item {
        let task = &plan.tasks[index];
        Item {
            text: task.name.clone(),
            task: Some(task.id.value.clone()),
            dates: None,
            blocker: None,
            blocked_since: None,
        }
    };
    let done_plan: Vec<Item> = draft.done.iter().map(|&index| task_item(index)).collect();
    let next_plan: Vec<Item> = draft
        .next
        .iter()
        .map(|&index| {
            let dates = &schedule.tasks[index];
            Item {
                dates: Some((dates.start, dates.finish)),
                ..task_item(index)
            }
        })
        .collect();
    let blocked_plan: Vec<Item> = draft
        .blocked
        .iter()
        .map(|&index| {
            let task = &plan.tasks[index];
            Item {
                blocker: task
                    .blocker
                    .as_deref()
                    .filter(|blocker| !blocker.trim().is_empty())
                    .map(str::to_owned),
                blocked_since: task.blocked_since,
                ..task_item(index)
            }
        })
        .collect();
    let (done, next, blocked, note) = match recorded {
        Some(checkin) => (
            merge(&checkin.done, done_plan),
            merge(&checkin.next, next_plan),
            merge(&checkin.blocked, blocked_plan),
            checkin
                .note
                .as_deref()
                .filter(|note| !note.trim().is_empty())
                .map(str::to_owned),
        ),
        None => (
            merge(&[], done_plan),
            merge(&[], next_plan),
            merge(&[], blocked_plan),
            None,
        ),
    };
    let (done, next, blocked) = (done.capped(), next.capped(), blocked.capped());

    let milestones = milestones(plan, schedule, as_of);
    let reached = milestones
        .iter()
        .filter(|m| week <= m.date && m.date <= as_of)
        .cloned()
        .collect();
    let ahead_until = as_of
        .checked_add_days(Days::new(MILESTONE_DAYS as u64))
        .unwrap_or(NaiveDate::MAX);
    let ahead = milestones
        .iter()
        .filter(|m| as_of < m.date && m.date <= ahead_until)
        .cloned()
        .collect();

    let (top_risks, more_risks) = top_risks(plan, as_of);
    let mut heat_map = [[0usize; 5]; 5];
    for risk in plan.risks.iter().filter(|r| r.status != RiskStatus::Closed) {
        let row = usize::from(risk.likelihood.clamp(1, 5) - 1);
        let column = usize::from(risk.impact.clamp(1, 5) - 1);
        heat_map[row][column] += 1;
    }

    let changes = plan
        .changes
        .iter()
        .filter(|change| {
            change
                .decided
                .is_some_and(|date| week <= date && date <= sunday)
        })
        .map(|change| Change {
            id: change.id.value.clone(),
            title: change.title.clone(),
            status: change.status,
            decided_by: change.decided_by.clone(),
            decided: change.decided,
            cost: change.cost,
            days: change.days,
        })
        .collect();

    Report {
        project: plan.project.name.clone(),
        currency: plan.project.currency.clone(),
        week,
        sunday,
        iso_year: iso.year(),
        iso_week: iso.week(),
        as_of,
        headline: headline(plan, schedule, &metrics, calendar.as_ref()),
        checkin_recorded: recorded.is_some(),
        note,
        done,
        next,
        blocked,
        reached,
        ahead,
        milestones,
        top_risks,
        more_risks,
        heat_map,
        changes,
        trend: trend(plan, &metrics, week),
        gantt: gantt(plan, schedule),
    }
}

/// The recorded lines, then the plan's items that none of them mentions
/// (by task id or name), so a check-in drafted from the plan is not listed twice.
fn merge(recorded: &[String], from_plan: Vec<Item>) -> ItemList {
    let lines: Vec<String> = recorded.iter().map(|line| line.to_lowercase()).collect();
    let mentioned = |item: &Item| {
        let name = item.text.to_lowercase();
        lines.iter().any(|line| {
            (!name.trim().is_empty() && line.contains(&name))
                || (line.trim().chars().count() >= 8 && name.contains(line.trim()))
                || item.task.as_deref().is_some_and(|id| {
                    // The id as a word of its own, as in "done (api)".
                    let id = id.to_lowercase();
                    line.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
                        .any(|word| word == id)
                })
        })
    };
    ItemList {
        recorded: recorded
            .iter()
            .filter(|line| !line.trim().is_empty())
            .map(|line| Item::line(line))
            .collect(),
        from_plan: from_plan
            .into_iter()
            .filter(|item| !mentioned(item))
            .collect(),
        more: 0,
    }
}

fn headline(
    plan: &Plan,
    schedule: &Schedule,
    metrics: &Metrics,
    calendar: Option<&Calendar>,
) -> Headline {
    let baseline_finish = schedule.baseline.map(|baseline| baseline.finish);
    let variance_days = metrics.variance_days;
    let forecast_vs_scheduled_days = match (metrics.forecast_finish, calendar) {
        (Some(forecast), Some(calendar)) => {
            Some(calendar.working_days_between(schedule.finish, forecast))
        }
        _ => None,
    };
    let budget = plan
        .project
        .budget
        .filter(|budget| budget.is_finite() && *budget > 0.0);
    let budget_margin = match (budget, metrics.eac) {
        (Some(budget), Some(eac)) => Some(budget - eac),
        _ => None,
    };
    let budget_health = match (budget, metrics.eac) {
        (Some(budget), Some(eac)) if eac <= budget => Health::Ok,
        (Some(budget), Some(eac)) if eac <= budget * 1.1 => Health::Watch,
        (Some(_), Some(_)) => Health::Act,
        (None, Some(_)) => match metrics.cpi {
            Some(cpi) if cpi >= 0.95 => Health::Ok,
            Some(cpi) if cpi >= 0.85 => Health::Watch,
            Some(_) => Health::Act,
            None => Health::Unknown,
        },
        _ => Health::Unknown,
    };
    // The same thresholds as the app's dashboard (docs/metrics.md).
    let burn_health = match (metrics.burn_rate, metrics.planned_burn_rate) {
        (Some(actual), Some(planned)) if planned > 0.0 => {
            if actual <= planned * 1.05 {
                Health::Ok
            } else if actual <= planned * 1.2 {
                Health::Watch
            } else {
                Health::Act
            }
        }
        (Some(_), _) => Health::Watch,
        _ => Health::Unknown,
    };
    let meaningful = metrics.meaningful;
    // An index that is not meaningful yet is no ground for ok, watch or act.
    let schedule_index = match (metrics.spi_t, metrics.spi) {
        (Some(spi_t), _) => Some(spi_t).filter(|_| meaningful.spi_t),
        (None, spi) => spi.filter(|_| meaningful.spi),
    };
    let forecast_health = match schedule_index {
        Some(spi) if spi >= 0.95 => Health::Ok,
        Some(spi) if spi >= 0.85 => Health::Watch,
        Some(_) => Health::Act,
        None => Health::Unknown,
    };
    let budget_health = if metrics.eac.is_some() && !meaningful.cpi {
        Health::Unknown
    } else {
        budget_health
    };
    let blocker_health = match metrics.open_blockers {
        0 => Health::Ok,
        1 | 2 => Health::Watch,
        _ => Health::Act,
    };
    let variance_health = match variance_days {
        Some(days) if days <= 0 => Health::Ok,
        Some(days) if days <= 5 => Health::Watch,
        Some(_) => Health::Act,
        None => Health::Unknown,
    };
    Headline {
        percent_complete: metrics.percent_complete,
        spi: metrics.spi,
        cpi: metrics.cpi,
        scheduled_finish: schedule.finish,
        baseline_finish,
        variance_days,
        variance_health,
        forecast_finish: metrics.forecast_finish,
        forecast_vs_scheduled_days,
        forecast_health,
        bac: metrics.bac,
        budget,
        ac: metrics.ac,
        eac: metrics.eac,
        vac: metrics.vac,
        budget_margin,
        budget_health,
        burn_rate: metrics.burn_rate,
        planned_burn_rate: metrics.planned_burn_rate,
        burn_health,
        open_blockers: metrics.open_blockers,
        blocker_health,
        meaningful,
        caveats: metrics.caveats(),
    }
}

fn milestones(plan: &Plan, schedule: &Schedule, as_of: NaiveDate) -> Vec<Milestone> {
    let mut milestones: Vec<Milestone> = plan
        .tasks
        .iter()
        .zip(&schedule.tasks)
        .filter(|(task, dates)| dates.milestone || task.is_milestone())
        .map(|(task, dates)| Milestone {
            id: task.id.value.clone(),
            name: task.name.clone(),
            date: dates.finish,
            days_away: dates.finish.signed_duration_since(as_of).num_days(),
            finished: is_finished(task),
            baseline: dates.baseline.map(|baseline| baseline.finish),
            slip: dates.slip,
        })
        .collect();
    milestones.sort_by_key(|milestone| milestone.date);
    milestones
}

fn top_risks(plan: &Plan, as_of: NaiveDate) -> (Vec<RiskLine>, usize) {
    let mut open: Vec<usize> = (0..plan.risks.len())
        .filter(|&index| plan.risks[index].status == RiskStatus::Open)
        .collect();
    open.sort_by_key(|&index| (std::cmp::Reverse(plan.risks[index].score()), index));
    let more = open.len().saturating_sub(TOP_RISKS);
    let lines = open
        .into_iter()
        .take(TOP_RISKS)
        .map(|index| {
            let risk = &plan.risks[index];
            RiskLine {
                id: risk.id.value.clone(),
                title: risk.title.clone(),
                score: risk.score(),
                likelihood: risk.likelihood,
                impact: risk.impact,
                urgent: risk.tier == RiskTier::Urgent,
                owner: risk
                    .owner
                    .as_ref()
                    .and_then(|owner| owner.index.and_then(|person| plan.people.get(person)))
                    .map(|person| person.name.clone()),
                trigger: risk.trigger,
                trigger_passed: risk.trigger.is_some_and(|trigger| trigger <= as_of),
                mitigation: risk.mitigation.clone(),
            }
        })
        .collect();
    (lines, more)
}

/// The recorded check-ins up to the report's week, then the report's own
/// week as computed now when it has none recorded.
fn trend(plan: &Plan, metrics: &Metrics, week: NaiveDate) -> Vec<TrendPoint> {
    let mut points: Vec<TrendPoint> = plan
        .checkins
        .iter()
        .filter(|checkin| week_monday(checkin.week.value) <= week)
        .map(|checkin| TrendPoint {
            week: week_monday(checkin.week.value),
            percent_complete: checkin.metrics.percent_complete,
            spi: checkin.metrics.spi,
            cpi: checkin.metrics.cpi,
            open_blockers: checkin.metrics.open_blockers,
            computed: false,
        })
        .collect();
    points.sort_by_key(|point| point.week);
    points.dedup_by_key(|point| point.week);
    if points.last().is_none_or(|point| point.week != week) {
        points.push(TrendPoint {
            week,
            percent_complete: Some(metrics.percent_complete),
            spi: metrics.spi,
            cpi: metrics.cpi,
            open_blockers: i64::try_from(metrics.open_blockers).ok(),
            computed: true,
        });
    }
    points
}

fn gantt(plan: &Plan, schedule: &Schedule) -> Gantt {
    let collapsed = plan.tasks.len() > GANTT_TASK_LIMIT;
    let mut from = schedule.start;
    let mut to = schedule.finish;
    for dates in &schedule.tasks {
        from = from.min(dates.start);
        to = to.max(dates.finish);
        if let Some(baseline) = dates.baseline {
            from = from.min(baseline.start);
            to = to.max(baseline.finish);
        }
    }

    // Phases in file order, then the tasks without a phase.
    let mut groups: Vec<(Option<usize>, Vec<usize>)> = plan
        .phases
        .iter()
        .enumerate()
        .map(|(index, _)| (Some(index), Vec::new()))
        .collect();
    let mut loose = Vec::new();
    for (index, task) in plan.tasks.iter().enumerate() {
        match task
            .phase
            .as_ref()
            .and_then(|phase| phase.index)
            .and_then(|phase| groups.get_mut(phase))
        {
            Some((_, members)) => members.push(index),
            None => loose.push(index),
        }
    }
    if !loose.is_empty() {
        groups.push((None, loose));
    }

    let mut rows = Vec::new();
    for (phase, members) in groups {
        let Some(&first) = members.first() else {
            continue;
        };
        let task_row = |index: usize| -> GanttRow {
            let task = &plan.tasks[index];
            let dates = &schedule.tasks[index];
            GanttRow {
                kind: GanttRowKind::Task,
                id: task.id.value.clone(),
                name: task.name.clone(),
                start: dates.start,
                finish: dates.finish,
                progress: task_progress(task),
                critical: dates.critical,
                milestone: dates.milestone,
                finished: is_finished(task),
                blocked: task.status == TaskStatus::Blocked,
                baseline: dates.baseline.map(|b| (b.start, b.finish)),
                milestones: Vec::new(),
                tasks: 1,
            }
        };
        let mut span = task_row(first);
        let mut weight = 0.0;
        let mut weighted = 0.0;
        let mut baseline: Option<(NaiveDate, NaiveDate)> = None;
        for &index in &members {
            let row = task_row(index);
            span.start = span.start.min(row.start);
            span.finish = span.finish.max(row.finish);
            span.critical |= row.critical;
            span.blocked |= row.blocked;
            let days = plan.tasks[index].working_days().max(0) as f64;
            weight += days;
            weighted += days * row.progress;
            if let Some((start, finish)) = row.baseline {
                baseline = Some(match baseline {
                    Some((s, f)) => (s.min(start), f.max(finish)),
                    None => (start, finish),
                });
            }
            if row.milestone {
                span.milestones.push(row.finish);
            }
        }
        let progress = if weight > 0.0 {
            weighted / weight
        } else {
            members
                .iter()
                .map(|&index| task_progress(&plan.tasks[index]))
                .sum::<f64>()
                / members.len() as f64
        };
        let (id, name) = match phase.and_then(|index| plan.phases.get(index)) {
            Some(phase) => (phase.id.value.clone(), phase.name.clone()),
            None => (String::new(), "Without a phase".to_owned()),
        };
        rows.push(GanttRow {
            kind: GanttRowKind::Phase,
            id,
            name,
            progress,
            milestone: false,
            finished: members.iter().all(|&index| is_finished(&plan.tasks[index])),
            baseline,
            tasks: members.len(),
            ..span
        });
        if !collapsed {
            rows.extend(members.iter().map(|&index| task_row(index)));
        }
    }
    Gantt {
        from,
        to,
        collapsed,
        task_count: plan.tasks.len(),
        rows,
    }
}

/// `count` followed by the noun, plural when it is not one.
pub(crate) fn plural(count: i64, one: &str) -> String {
    if count.abs() == 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {one}s")
    }
}

/// The sentence for the scheduled finish against the baseline.
pub(crate) fn finish_against_baseline(headline: &Headline) -> String {
    match (headline.variance_days, headline.baseline_finish) {
        (Some(0), _) => "on the baseline finish".to_owned(),
        (Some(days), Some(baseline)) if days > 0 => format!(
            "{} later than the baseline finish {baseline}",
            plural(days, "working day")
        ),
        (Some(days), Some(baseline)) => format!(
            "{} earlier than the baseline finish {baseline}",
            plural(-days, "working day")
        ),
        _ => "no baseline recorded".to_owned(),
    }
}

/// The forecast finish against the scheduled finish, without the date.
pub(crate) fn forecast_relation(headline: &Headline) -> String {
    match (
        headline.forecast_finish,
        headline.forecast_vs_scheduled_days,
    ) {
        (None, _) => "not yet known: no work earned yet".to_owned(),
        (Some(_), Some(0)) => "the same day as the scheduled finish".to_owned(),
        (Some(_), Some(days)) if days > 0 => {
            format!("{} after the scheduled finish", plural(days, "working day"))
        }
        (Some(_), Some(days)) => format!(
            "{} before the scheduled finish",
            plural(-days, "working day")
        ),
        (Some(_), None) => "against the scheduled finish: not known".to_owned(),
    }
}

/// The sentence for the forecast finish against the scheduled finish.
pub(crate) fn forecast_against_schedule(headline: &Headline) -> String {
    match headline.forecast_finish {
        None => forecast_relation(headline),
        Some(date) => format!("{date}, {}", forecast_relation(headline)),
    }
}

/// The change's status in words, for "decided this week".
pub(crate) fn change_status_word(status: ChangeStatus) -> &'static str {
    status.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headline() -> Headline {
        let date = |day| NaiveDate::from_ymd_opt(2027, 7, day).unwrap_or_default();
        Headline {
            percent_complete: 50.0,
            spi: Some(1.0),
            cpi: Some(1.0),
            scheduled_finish: date(6),
            baseline_finish: Some(date(6)),
            variance_days: Some(0),
            variance_health: Health::Ok,
            forecast_finish: Some(date(6)),
            forecast_vs_scheduled_days: Some(0),
            forecast_health: Health::Ok,
            bac: 100.0,
            budget: Some(120.0),
            ac: 50.0,
            eac: Some(100.0),
            vac: Some(0.0),
            budget_margin: Some(20.0),
            budget_health: Health::Ok,
            burn_rate: None,
            planned_burn_rate: None,
            burn_health: Health::Unknown,
            open_blockers: 0,
            blocker_health: Health::Ok,
            meaningful: Meaningful {
                spi: true,
                cpi: true,
                spi_t: true,
                progress_as_of: None,
            },
            caveats: Vec::new(),
        }
    }

    #[test]
    fn the_finish_sentences_name_what_they_compare() {
        let mut h = headline();
        assert_eq!(finish_against_baseline(&h), "on the baseline finish");
        assert_eq!(
            forecast_against_schedule(&h),
            "2027-07-06, the same day as the scheduled finish"
        );
        h.variance_days = Some(-1);
        h.baseline_finish = NaiveDate::from_ymd_opt(2027, 7, 7);
        assert_eq!(
            finish_against_baseline(&h),
            "1 working day earlier than the baseline finish 2027-07-07"
        );
        h.forecast_finish = NaiveDate::from_ymd_opt(2027, 7, 13);
        h.forecast_vs_scheduled_days = Some(5);
        assert_eq!(
            forecast_against_schedule(&h),
            "2027-07-13, 5 working days after the scheduled finish"
        );
        h.forecast_finish = None;
        assert_eq!(
            forecast_against_schedule(&h),
            "not yet known: no work earned yet"
        );
        h.variance_days = None;
        assert_eq!(finish_against_baseline(&h), "no baseline recorded");
    }

    #[test]
    fn recorded_lines_come_first_and_the_plan_adds_what_they_miss() {
        let task = |name: &str, id: &str| Item {
            text: name.to_owned(),
            task: Some(id.to_owned()),
            dates: None,
            blocker: None,
            blocked_since: None,
        };
        let list = merge(
            &[
                "Finished the API (api)".to_owned(),
                "Docs.".to_owned(),
                " ".to_owned(),
            ],
            vec![
                task("Payment API", "api"),
                task("Write the docs", "docs"),
                task("Onboarding kit: steps", "kit"),
            ],
        );
        assert_eq!(
            list.recorded
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>(),
            ["Finished the API (api)", "Docs."]
        );
        // "(api)" names the task by its id; "Docs." is not the id `docs`,
        // and too short to stand for a task's name.
        assert_eq!(
            list.from_plan
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>(),
            ["Write the docs", "Onboarding kit: steps"]
        );
    }

    #[test]
    fn long_lists_from_the_plan_are_cut_and_counted() {
        let mut text = String::from("[project]\nname = \"P\"\nstart = 2027-01-04\n");
        for index in 0..30 {
            text.push_str(&format!(
                "\n[[task]]\nid = \"t{index}\"\nname = \"Task {index}\"\nstatus = \"blocked\"\n"
            ));
        }
        let loaded = crate::store::parse_str(&text).unwrap();
        let schedule = crate::schedule::schedule(&loaded.plan).unwrap();
        let monday = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let report = build(&loaded.plan, &schedule, monday, monday);
        assert_eq!(report.blocked.from_plan.len(), LIST_LIMIT);
        assert_eq!(report.blocked.more, 5);
        let markdown = markdown::render(&report);
        assert!(markdown.contains("\n- and 5 more tasks (`gantry checkin` lists them all)\n"));
        assert!(html::render(&report).contains("and 5 more tasks (<code>gantry checkin</code>"));
    }
}
