//! The Risks pane's state: which risk is selected, how the register is
//! sorted and filtered, and the quick actions on a risk.

use std::cmp::Ordering;

use ratatui::crossterm::event::KeyEvent;

use crate::keymap::Command;
use crate::model::{Plan, Risk, RiskTier};
use crate::store::{Edit, EntityKind};

use super::risk_form::RiskForm;
use super::{App, Confirm, InputOutcome, Level, LineInput, Mode};

fn owner(risk: &Risk) -> &str {
    risk.owner
        .as_ref()
        .map(|o| o.id.value.as_str())
        .unwrap_or("")
}

/// The register's columns, in the order `o` steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskSort {
    Score,
    Id,
    Title,
    Owner,
    Likelihood,
    Impact,
    Tier,
    Trigger,
    Status,
    Reviewed,
}

impl RiskSort {
    pub const ALL: [RiskSort; 10] = [
        RiskSort::Score,
        RiskSort::Id,
        RiskSort::Title,
        RiskSort::Owner,
        RiskSort::Likelihood,
        RiskSort::Impact,
        RiskSort::Tier,
        RiskSort::Trigger,
        RiskSort::Status,
        RiskSort::Reviewed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RiskSort::Score => "score",
            RiskSort::Id => "id",
            RiskSort::Title => "title",
            RiskSort::Owner => "owner",
            RiskSort::Likelihood => "likelihood",
            RiskSort::Impact => "impact",
            RiskSort::Tier => "tier",
            RiskSort::Trigger => "trigger",
            RiskSort::Status => "status",
            RiskSort::Reviewed => "reviewed",
        }
    }

    pub fn next(self) -> RiskSort {
        let index = RiskSort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        RiskSort::ALL[(index + 1) % RiskSort::ALL.len()]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskView {
    /// Index into the ordered list.
    pub selected: usize,
    pub sort: RiskSort,
    /// Highest first (the natural order for the score).
    pub descending: bool,
    /// Only risks whose id, title or owner contain this text.
    pub filter: Option<String>,
    /// The heat map folded away, giving its columns to the titles.
    pub map_folded: bool,
}

impl Default for RiskView {
    fn default() -> Self {
        RiskView {
            selected: 0,
            sort: RiskSort::Score,
            descending: true,
            filter: None,
            map_folded: false,
        }
    }
}

impl RiskView {
    /// The risks shown, in display order, as indices into `plan.risks`.
    pub fn ordered(&self, plan: &Plan) -> Vec<usize> {
        let filter = self.filter.as_ref().map(|f| f.to_lowercase());
        let mut risks: Vec<usize> = (0..plan.risks.len())
            .filter(|&index| {
                let risk = &plan.risks[index];
                filter.as_ref().is_none_or(|filter| {
                    risk.id.value.to_lowercase().contains(filter)
                        || risk.title.to_lowercase().contains(filter)
                        || risk
                            .owner
                            .as_ref()
                            .is_some_and(|o| o.id.value.to_lowercase().contains(filter))
                })
            })
            .collect();
        let by_column = |a: &Risk, b: &Risk| -> Ordering {
            match self.sort {
                RiskSort::Score => a.score().cmp(&b.score()).then(a.impact.cmp(&b.impact)),
                RiskSort::Id => a.id.value.cmp(&b.id.value),
                RiskSort::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
                RiskSort::Owner => owner(a).cmp(owner(b)),
                RiskSort::Likelihood => a.likelihood.cmp(&b.likelihood),
                RiskSort::Impact => a.impact.cmp(&b.impact),
                RiskSort::Tier => (a.tier == RiskTier::Urgent).cmp(&(b.tier == RiskTier::Urgent)),
                RiskSort::Trigger => a.trigger.cmp(&b.trigger),
                RiskSort::Status => a.status.as_str().cmp(b.status.as_str()),
                RiskSort::Reviewed => a.reviewed.cmp(&b.reviewed),
            }
        };
        // Missing dates go last whichever way the list runs; ties by id.
        let missing = |risk: &Risk| match self.sort {
            RiskSort::Trigger => risk.trigger.is_none(),
            RiskSort::Reviewed => risk.reviewed.is_none(),
            _ => false,
        };
        risks.sort_by(|&a, &b| {
            let (a, b) = (&plan.risks[a], &plan.risks[b]);
            let column = by_column(a, b);
            let column = if self.descending {
                column.reverse()
            } else {
                column
            };
            missing(a)
                .cmp(&missing(b))
                .then(column)
                .then_with(|| a.id.value.cmp(&b.id.value))
        });
        risks
    }

    pub fn selected_risk(&self, plan: &Plan) -> Option<usize> {
        self.ordered(plan).get(self.selected).copied()
    }

    /// Clears the filter and selects `risk` (an index into `plan.risks`).
    pub fn show(&mut self, plan: &Plan, risk: usize) {
        self.filter = None;
        if let Some(row) = self.ordered(plan).iter().position(|&r| r == risk) {
            self.selected = row;
        }
    }
}

impl App {
    /// The id of the risk selected in the Risks pane.
    pub(super) fn selected_risk_id(&self) -> Option<String> {
        self.risks
            .selected_risk(&self.file.plan)
            .map(|index| self.file.plan.risks[index].id.value.clone())
    }

    /// Keeps the selection on the risk `id` after an edit moved it in the
    /// order (a new score, a new status); the filter stays as it is.
    pub(super) fn follow_risk(&mut self, id: Option<String>) {
        let Some(id) = id else {
            return;
        };
        let plan = &self.file.plan;
        if let Some(row) = self
            .risks
            .ordered(plan)
            .iter()
            .position(|&risk| plan.risks[risk].id.value == id)
        {
            self.risks.selected = row;
        }
    }

    /// The Risks pane's share of the commands.
    pub(super) fn risk_command(&mut self, command: Command) {
        let plan = &self.file.plan;
        let count = self.risks.ordered(plan).len();
        let selected = self.risks.selected_risk(plan);
        let page = self.visible_rows().saturating_sub(8).max(1);
        let last = count.saturating_sub(1);
        match command {
            Command::Down => self.risks.selected = (self.risks.selected + 1).min(last),
            Command::Up => self.risks.selected = self.risks.selected.saturating_sub(1),
            Command::PageDown => self.risks.selected = (self.risks.selected + page).min(last),
            Command::PageUp => self.risks.selected = self.risks.selected.saturating_sub(page),
            Command::First => self.risks.selected = 0,
            Command::Last => self.risks.selected = last,
            Command::SortNext => {
                self.risks.sort = self.risks.sort.next();
                // Scores and dates read best highest or soonest first.
                self.risks.descending = matches!(
                    self.risks.sort,
                    RiskSort::Score | RiskSort::Likelihood | RiskSort::Impact | RiskSort::Tier
                );
                self.say(
                    Level::Info,
                    format!("risks sorted by {}", self.risks.sort.name()),
                );
            }
            Command::SortReverse => self.risks.descending = !self.risks.descending,
            Command::ToggleDetails => {
                self.risks.map_folded = !self.risks.map_folded;
                let said = if self.risks.map_folded {
                    "heat map folded away: the titles get its room; i shows it again"
                } else {
                    "heat map shown; i folds it away"
                };
                self.say(Level::Info, said);
            }
            Command::Search | Command::Filter => {
                let current = self.risks.filter.clone().unwrap_or_default();
                self.mode = Mode::Search(LineInput::new(&current));
            }
            Command::Edit => {
                if let Some(index) = selected {
                    self.mode = Mode::RiskForm(RiskForm::new(&self.file.plan.risks[index]));
                }
            }
            Command::Add => self.add_risk(),
            Command::Delete => {
                if let Some(index) = selected {
                    let risk = self.file.plan.risks[index].id.value.clone();
                    self.mode = Mode::Confirm(Confirm::DeleteRisk { risk });
                }
            }
            Command::CloseRisk => {
                if let Some(index) = selected {
                    self.set_risk(index, "status", "closed".into(), "closed");
                }
            }
            Command::ReviewRisk => {
                if let Some(index) = selected {
                    self.open_reviewed_form(index);
                }
            }
            Command::EscalateRisk => {
                if let Some(index) = selected {
                    let (tier, said) = match self.file.plan.risks[index].tier {
                        RiskTier::Tracked => ("urgent", "escalated to urgent: act within 24 hours"),
                        RiskTier::Urgent => ("tracked", "back to tracked"),
                    };
                    self.set_risk(index, "tier", tier.into(), said);
                }
            }
            _ => {}
        }
    }

    /// A key typed into the risk filter: the list narrows with each letter.
    pub(super) fn risk_search_key(&mut self, mut input: LineInput, key: KeyEvent) -> Mode {
        match input.handle(key) {
            InputOutcome::Submit => Mode::Normal,
            InputOutcome::Cancel => {
                self.risks.filter = None;
                Mode::Normal
            }
            InputOutcome::Changed => {
                self.risks.filter = Some(input.text.trim().to_owned()).filter(|q| !q.is_empty());
                self.risks.selected = 0;
                Mode::Search(input)
            }
            _ => Mode::Search(input),
        }
    }

    fn set_risk(&mut self, index: usize, key: &str, value: toml_edit::Value, said: &str) {
        let id = self.file.plan.risks[index].id.value.clone();
        if self.apply(vec![Edit::Set {
            kind: EntityKind::Risk,
            id: id.clone(),
            key: key.to_owned(),
            value: Some(value),
        }]) {
            self.say(Level::Info, format!("{id}: {said}"));
        }
    }

    fn add_risk(&mut self) {
        let plan = &self.file.plan;
        let mut number = plan.risks.len() + 1;
        let id = loop {
            let candidate = format!("R{number}");
            if !plan.risks.iter().any(|risk| risk.id.value == candidate) {
                break candidate;
            }
            number += 1;
        };
        let after = plan.risks.last().map(|risk| risk.id.value.clone());
        let mut table = toml_edit::Table::new();
        table.insert("id", toml_edit::value(id.as_str()));
        table.insert("title", toml_edit::value("New risk"));
        table.insert("likelihood", toml_edit::value(3));
        table.insert("impact", toml_edit::value(3));
        table.insert("status", toml_edit::value("open"));
        table.insert("tier", toml_edit::value("tracked"));
        if self.apply(vec![Edit::Add {
            kind: EntityKind::Risk,
            after,
            table,
        }]) {
            if let Some(index) = self
                .file
                .plan
                .risks
                .iter()
                .position(|risk| risk.id.value == id)
            {
                self.risks.show(&self.file.plan, index);
                self.mode = Mode::RiskForm(RiskForm::new(&self.file.plan.risks[index]));
            }
            self.say(
                Level::Info,
                format!("added {id}; Esc keeps it as it is, u removes it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n\
            [[risk]]\nid = \"R1\"\ntitle = \"Low\"\nlikelihood = 1\nimpact = 2\n\
            [[risk]]\nid = \"R2\"\ntitle = \"High\"\nlikelihood = 4\nimpact = 5\ntrigger = 2027-02-01\n\
            [[risk]]\nid = \"R3\"\ntitle = \"Mid\"\nlikelihood = 3\nimpact = 3\nstatus = \"closed\"\n";
        crate::store::parse_str(text).unwrap().plan
    }

    #[test]
    fn sorted_by_score_highest_first_then_by_any_column() {
        let plan = plan();
        let mut view = RiskView::default();
        assert_eq!(view.ordered(&plan), [1, 2, 0]);
        view.sort = RiskSort::Id;
        view.descending = false;
        assert_eq!(view.ordered(&plan), [0, 1, 2]);
        view.filter = Some("hi".to_owned());
        assert_eq!(view.ordered(&plan), [1]);
    }

    #[test]
    fn only_open_risks_are_past_their_trigger() {
        let plan = plan();
        let date = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        assert!(plan.risks[1].is_past_trigger(date));
        assert!(!plan.risks[1].is_past_trigger(date.pred_opt().unwrap()));
        assert!(!plan.risks[2].is_past_trigger(date));
    }

    #[test]
    fn risks_without_a_trigger_go_last_either_way() {
        let plan = plan();
        let mut view = RiskView {
            sort: RiskSort::Trigger,
            descending: false,
            ..RiskView::default()
        };
        assert_eq!(view.ordered(&plan), [1, 0, 2]);
        view.descending = true;
        assert_eq!(view.ordered(&plan), [1, 0, 2]);
    }
}
