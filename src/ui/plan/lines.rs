//! How each line of the Plan pane reads: the line itself, cut to the
//! width, and its whole text for the detail lines under the page.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::style::Style;

use crate::app::App;
use crate::app::plan::{PlanLine, PlanSection, ReviewFact};
use crate::model::{ChangeStatus, ChecklistItem, Plan};
use crate::sanitize::for_terminal;
use crate::schedule::Load;
use crate::theme::Theme;

/// Weeks of load shown beside a person, from the status date's week.
const LOAD_WEEKS: usize = 6;

/// A line as drawn: its text, and a part kept at the right edge.
pub struct Drawn {
    pub text: String,
    pub style: Style,
    pub right: Vec<(String, Style)>,
}

fn drawn(text: String, style: Style) -> Drawn {
    Drawn {
        text,
        style,
        right: Vec::new(),
    }
}

/// What every line of one frame reads from.
pub struct Context<'a> {
    app: &'a App,
    plan: &'a Plan,
    theme: &'a Theme,
    load: Option<&'a Load>,
    /// The Monday of the status date's week.
    week: NaiveDate,
}

fn text(s: &str) -> String {
    for_terminal(s).into_owned()
}

fn monday(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

impl<'a> Context<'a> {
    pub fn new(app: &'a App) -> Context<'a> {
        Context {
            app,
            plan: &app.file.plan,
            theme: &app.config.theme,
            load: app.dashboard.figures.as_ref().map(|figures| &figures.load),
            week: monday(app.status_date()),
        }
    }

    /// A person's hours and capacity in the week starting `week`.
    fn week_load(&self, person: usize, week: NaiveDate) -> (f64, f64) {
        let capacity = self
            .plan
            .people
            .get(person)
            .map(|p| p.capacity * self.plan.calendar.hours_per_day * 5.0)
            .unwrap_or(0.0);
        let Some(load) = self.load.and_then(|load| load.people.get(person)) else {
            return (0.0, capacity);
        };
        for run in &load.weeks {
            let end = run.week + Duration::days(7 * run.weeks);
            if run.week <= week && week < end {
                return (run.hours, run.capacity);
            }
        }
        (0.0, capacity)
    }

    /// "32/40h" this week and a bar per week after it, over capacity in
    /// the warning style.
    fn load_cells(&self, person: usize) -> Vec<(String, Style)> {
        let theme = self.theme;
        let (hours, capacity) = self.week_load(person, self.week);
        let now_style = if hours > capacity + 1e-6 {
            theme.warning
        } else {
            theme.dim
        };
        let mut cells = vec![(format!("{hours:>3.0}/{capacity:.0}h "), now_style)];
        let levels: &[char] = if theme.glyphs.done.is_ascii() {
            &['.', '_', ':', '-', '=', '#']
        } else {
            &['·', '▁', '▂', '▄', '▆', '█']
        };
        for offset in 0..LOAD_WEEKS {
            let week = self.week + Duration::days(7 * offset as i64);
            let (hours, capacity) = self.week_load(person, week);
            let over = hours > capacity + 1e-6;
            let level = if capacity > 0.0 {
                ((hours / capacity) * (levels.len() - 1) as f64).ceil() as usize
            } else if hours > 0.0 {
                levels.len() - 1
            } else {
                0
            };
            let glyph = if over {
                '!'
            } else {
                levels[level.min(levels.len() - 1)]
            };
            let style = if over { theme.warning } else { theme.base };
            cells.push((glyph.to_string(), style));
        }
        cells
    }

    /// The line as the page shows it.
    pub fn line(&self, line: PlanLine) -> Drawn {
        let plan = self.plan;
        let theme = self.theme;
        let project = &plan.project;
        match line {
            PlanLine::Name => drawn(text(&project.name), theme.title),
            PlanLine::Facts => {
                let mut facts = format!("starts {}", project.start);
                if let Some(date) = project.status_date {
                    facts.push_str(&format!(", as of {date}"));
                }
                if let Some(budget) = project.budget {
                    facts.push_str(&format!(
                        ", budget {} {}",
                        crate::metrics::format_money(budget),
                        project.currency.as_deref().map(text).unwrap_or_default()
                    ));
                }
                drawn(facts, theme.dim)
            }
            PlanLine::Description => drawn(
                project.description.as_deref().map(text).unwrap_or_default(),
                theme.base,
            ),
            PlanLine::Gap => drawn(String::new(), theme.base),
            PlanLine::Heading(section) => {
                let mut heading = drawn(section.title().to_owned(), theme.title);
                if section == PlanSection::People {
                    heading.right = vec![(
                        format!("week of {}, then {} more", self.week, LOAD_WEEKS - 1),
                        theme.dim,
                    )];
                }
                heading
            }
            PlanLine::Empty(section) => drawn(
                match section {
                    PlanSection::Handover => "  none yet: Enter names the receiver, a adds an item",
                    PlanSection::Review => "  none yet: Enter dates the review, a adds a note",
                    _ => "  none yet: a adds one",
                }
                .to_owned(),
                theme.dim,
            ),
            PlanLine::GateEmpty(_) => drawn(
                "      no checklist items yet: a adds one".to_owned(),
                theme.dim,
            ),
            PlanLine::Objective(index) => {
                let objective = &plan.objectives[index];
                let target = objective
                    .target
                    .as_deref()
                    .map(|t| format!(" - {}", text(t)))
                    .unwrap_or_default();
                let current = objective
                    .current
                    .as_deref()
                    .map(|c| format!(" (now {})", text(c)))
                    .unwrap_or_default();
                drawn(
                    format!(
                        "  {} {}{target}{current}",
                        text(&objective.id.value),
                        text(&objective.title)
                    ),
                    theme.base,
                )
            }
            PlanLine::ScopeIn(index) => {
                let item = &plan.scope.included[index];
                if plan.scope.dropped.iter().any(|d| d.value == *item) {
                    drawn(format!("  in   {} (dropped)", text(item)), theme.dim)
                } else {
                    drawn(format!("  in   {}", text(item)), theme.base)
                }
            }
            PlanLine::ScopeOut(index) => drawn(
                format!("  out  {}", text(&plan.scope.excluded[index])),
                theme.dim,
            ),
            PlanLine::Person(index) => {
                let mut line = drawn(self.person_text(index), theme.base);
                line.right = self.load_cells(index);
                line
            }
            PlanLine::Change(index) => {
                let change = &plan.changes[index];
                let style = match change.status {
                    ChangeStatus::Proposed => theme.warning,
                    ChangeStatus::Rejected => theme.dim,
                    _ => theme.base,
                };
                drawn(self.change_text(index), style)
            }
            PlanLine::Gate(index) => drawn(self.gate_text(index), theme.base),
            PlanLine::GateItem { gate, item } => {
                checklist_item(&plan.gates[gate].checklist[item], theme)
            }
            PlanLine::Communication(index) => {
                let mut line = drawn(self.communication_text(index), theme.base);
                line.right = self.due_cells(index);
                line
            }
            PlanLine::Handover => drawn(self.handover_text(), theme.base),
            PlanLine::HandoverItem(item) => match &plan.handover {
                Some(handover) => checklist_item(&handover.checklist[item], theme),
                None => drawn(String::new(), theme.base),
            },
            PlanLine::ReviewFact(fact) => {
                drawn(format!("  {}", self.fact_text(fact, false)), theme.base)
            }
            PlanLine::ReviewDate => {
                let date = plan.review.as_ref().and_then(|r| r.date);
                drawn(
                    match date {
                        Some(date) => format!("  held {date}"),
                        None => "  held: not dated yet".to_owned(),
                    },
                    theme.dim,
                )
            }
            PlanLine::ReviewPlanned => {
                let planned = plan.review.as_ref().and_then(|r| r.planned.as_deref());
                drawn(
                    format!("  planned: {}", planned.map(text).unwrap_or_default()),
                    theme.base,
                )
            }
            PlanLine::ReviewActual => {
                let actual = plan.review.as_ref().and_then(|r| r.actual.as_deref());
                drawn(
                    format!("  actual:  {}", actual.map(text).unwrap_or_default()),
                    theme.base,
                )
            }
            PlanLine::ReviewNote { list, index } => {
                let note = plan
                    .review
                    .as_ref()
                    .and_then(|review| list.items(review).get(index))
                    .map(|note| text(note))
                    .unwrap_or_default();
                drawn(format!("  {}: {note}", list.label()), theme.base)
            }
        }
    }

    /// When communication item `index` is next due, in the warning style
    /// when that is past.
    fn due_cells(&self, index: usize) -> Vec<(String, Style)> {
        use crate::governance::Due;
        let item = &self.plan.communications[index];
        let from = match self.app.schedule.as_ref() {
            Ok(schedule) => self.plan.project.start.max(schedule.start),
            Err(_) => self.plan.project.start,
        };
        match crate::governance::next_due(item, from) {
            Due::On(date) if item.last.is_some() && date < self.app.status_date() => {
                vec![(format!("overdue {date}"), self.theme.warning)]
            }
            Due::On(date) => vec![(format!("next {date}"), self.theme.dim)],
            Due::Text(_) | Due::Unscheduled => Vec::new(),
        }
    }

    /// A line of the review's planned-against-actual figures; `whole`
    /// names every scope item for the detail lines.
    fn fact_text(&self, fact: ReviewFact, whole: bool) -> String {
        let Some(facts) = self.app.plan.review.as_ref() else {
            return match fact {
                ReviewFact::Finish => {
                    "the plan cannot be scheduled, so there is nothing to compare".to_owned()
                }
                _ => String::new(),
            };
        };
        let money = crate::metrics::format_money;
        match fact {
            ReviewFact::Finish => {
                let finish = if facts.finished { "actual" } else { "forecast" };
                match (facts.baseline_finish, facts.finish_variance) {
                    (Some(baseline), Some(days)) => format!(
                        "finish: baseline {baseline}, {finish} {} ({days:+} working days)",
                        facts.finish
                    ),
                    _ => format!("finish: {finish} {} (no baseline to compare)", facts.finish),
                }
            }
            ReviewFact::Cost => {
                let budget = facts
                    .budget
                    .map(|b| format!(", budget {}", money(b)))
                    .unwrap_or_default();
                let eac = facts
                    .eac
                    .map(|e| format!(", forecast {}", money(e)))
                    .unwrap_or_default();
                format!(
                    "cost: planned (BAC) {}, actual {}{eac}{budget}",
                    money(facts.bac),
                    money(facts.actual_cost)
                )
            }
            ReviewFact::Scope => {
                let delivered = if facts.finished {
                    "delivered"
                } else {
                    "still to deliver"
                };
                let mut out = format!(
                    "scope: {} {delivered}, {} dropped",
                    facts.delivered.len(),
                    facts.dropped.len()
                );
                if whole && !facts.dropped.is_empty() {
                    let dropped: Vec<String> = facts.dropped.iter().map(|d| text(d)).collect();
                    out.push_str(&format!(" ({})", dropped.join("; ")));
                }
                out
            }
            ReviewFact::Changes => {
                let ids: Vec<String> = facts
                    .approved_changes
                    .iter()
                    .filter_map(|&i| self.plan.changes.get(i))
                    .map(|c| text(&c.id.value))
                    .collect();
                let listed = if ids.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", ids.join(", "))
                };
                format!(
                    "changes: {} approved{listed}, {} rejected, {} open",
                    ids.len(),
                    facts.rejected_changes,
                    facts.open_changes
                )
            }
        }
    }

    fn person_text(&self, index: usize) -> String {
        let person = &self.plan.people[index];
        let role = person.role.as_deref().map(text).unwrap_or_default();
        let rate = person.rate.map(|r| format!(", {r}/h")).unwrap_or_default();
        let capacity = if person.capacity < 1.0 {
            format!(", {:.0}% time", person.capacity * 100.0)
        } else {
            String::new()
        };
        format!(
            "  {:<10} {} - {role}{rate}{capacity}",
            text(&person.id.value),
            text(&person.name)
        )
    }

    fn change_text(&self, index: usize) -> String {
        let change = &self.plan.changes[index];
        let impact = super::changes::impact_summary(self.app, change);
        let impact = if impact.is_empty() {
            String::new()
        } else {
            format!(" [{impact}]")
        };
        let decided = match (&change.decided_by, change.decided) {
            (Some(by), Some(date)) => format!(", by {} on {date}", text(by)),
            (None, Some(date)) => format!(" on {date}"),
            _ => String::new(),
        };
        format!(
            "  {:<6} {:<9} {}{impact}{decided}",
            text(&change.id.value),
            change.status.as_str(),
            text(&change.title),
        )
    }

    fn gate_text(&self, index: usize) -> String {
        let gate = &self.plan.gates[index];
        let mut signed = match (gate.signed, &gate.signed_by) {
            (Some(date), Some(by)) => format!("signed {date} by {}", text(by)),
            (Some(date), None) => format!("signed {date}"),
            (None, _) => "not signed".to_owned(),
        };
        if let Some(overridden) = &gate.overridden {
            signed.push_str(&format!(
                ", overridden by {}: {}",
                text(&overridden.by),
                text(&overridden.reason)
            ));
        }
        let milestone = gate
            .milestone
            .as_ref()
            .map(|m| format!(" guards {}", text(&m.id.value)))
            .unwrap_or_default();
        let done = gate.checklist.iter().filter(|c| c.done).count();
        format!(
            "  {} {}{milestone}: {done}/{} done, {signed}",
            text(&gate.id.value),
            text(&gate.name),
            gate.checklist.len()
        )
    }

    fn communication_text(&self, index: usize) -> String {
        let item = &self.plan.communications[index];
        let parts: Vec<String> = [&item.audience, &item.cadence, &item.channel]
            .into_iter()
            .flatten()
            .map(|s| text(s))
            .collect();
        let owner = item
            .owner
            .as_ref()
            .map(|o| format!(" ({})", text(&o.id.value)))
            .unwrap_or_default();
        format!("  {}: {}{owner}", text(&item.what), parts.join(", "))
    }

    fn handover_text(&self) -> String {
        let handover = self.plan.handover.as_ref();
        let to = handover
            .and_then(|h| h.to.as_deref())
            .map(text)
            .unwrap_or_else(|| "(not named)".to_owned());
        let date = handover
            .and_then(|h| h.date)
            .map(|d| format!(" on {d}"))
            .unwrap_or_default();
        let (done, all) = handover.map_or((0, 0), |h| {
            (
                h.checklist.iter().filter(|c| c.done).count(),
                h.checklist.len(),
            )
        });
        format!("  to {to}{date}: {done}/{all} delivered")
    }

    /// The line's whole text, for the detail lines under the page.
    pub fn detail(&self, line: PlanLine) -> String {
        let plan = self.plan;
        match line {
            PlanLine::Objective(index) => {
                let objective = &plan.objectives[index];
                let mut out = format!("{} {}.", text(&objective.id.value), text(&objective.title));
                match &objective.target {
                    Some(target) => out.push_str(&format!(" Target: {}.", text(target))),
                    None => out.push_str(" No measurable target yet."),
                }
                match &objective.current {
                    Some(current) => out.push_str(&format!(" Now: {}.", text(current))),
                    None => out.push_str(" No reading yet."),
                }
                out
            }
            PlanLine::Person(index) => {
                let person = &plan.people[index];
                let (hours, capacity) = self.week_load(index, self.week);
                let skills = if person.skills.is_empty() {
                    String::new()
                } else {
                    format!(
                        " Skills: {}.",
                        person
                            .skills
                            .iter()
                            .map(|s| text(s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                format!(
                    "{}. Week of {}: {hours:.0} of {capacity:.0} hours booked.{skills}",
                    self.person_text(index).trim(),
                    self.week
                )
            }
            PlanLine::Change(index) => {
                let change = &plan.changes[index];
                let mut out = self.change_text(index).trim().to_owned();
                if let Some(by) = &change.requested_by {
                    out.push_str(&format!(". Requested by {}", text(by)));
                    if let Some(date) = change.requested {
                        out.push_str(&format!(" on {date}"));
                    }
                }
                if let Some(note) = &change.note {
                    out.push_str(&format!(". {}", text(note)));
                }
                out
            }
            PlanLine::Gate(index) => {
                let gate = &plan.gates[index];
                let approver = gate
                    .approver
                    .as_deref()
                    .map(|a| format!(" Approver: {}.", text(a)))
                    .unwrap_or_default();
                format!("{}.{approver}", self.gate_text(index).trim())
            }
            PlanLine::GateItem { .. } | PlanLine::HandoverItem(_) => {
                self.line(line).text.trim().to_owned()
            }
            PlanLine::Handover => self.handover_text().trim().to_owned(),
            PlanLine::ReviewFact(fact) => self.fact_text(fact, true),
            PlanLine::Communication(index) => {
                let due: Vec<String> = self.due_cells(index).into_iter().map(|(t, _)| t).collect();
                format!(
                    "{} {}. {}",
                    text(&plan.communications[index].id.value),
                    self.communication_text(index).trim(),
                    due.join(" ")
                )
            }
            other => self.line(other).text.trim().to_owned(),
        }
    }

    /// The keys that do something on the selected line.
    pub fn hint(&self, line: Option<PlanLine>) -> &'static str {
        match line {
            Some(PlanLine::GateItem { .. }) => "Space tick  S sign off  D milestone done  a add",
            Some(PlanLine::Gate(_)) => "Enter edit  S sign off  D milestone done  a add gate",
            Some(PlanLine::HandoverItem(_)) => {
                "Space tick  Enter edit  a add  d delete  ] next part"
            }
            Some(PlanLine::Empty(_) | PlanLine::GateEmpty(_)) => "a add  ] next part",
            Some(PlanLine::Change(_)) => "Enter what-if  A approve  X reject  D done  p preview",
            Some(PlanLine::Communication(_)) => "Enter edit  D held today  a add  d delete",
            Some(PlanLine::ReviewFact(_)) => "Enter edit the review  a add a note",
            Some(_) => "Enter edit  a add  d delete  ] next part",
            None => "",
        }
    }
}

fn checklist_item(item: &ChecklistItem, theme: &Theme) -> Drawn {
    let (done, open) = if theme.glyphs.done.is_ascii() {
        ("[x]", "[ ]")
    } else {
        ("☑", "☐")
    };
    let mark = if item.done { done } else { open };
    let style = if item.done { theme.dim } else { theme.base };
    drawn(format!("      {mark} {}", for_terminal(&item.item)), style)
}
