//! The Plan pane: the charter of the project as one page of lines, which
//! line is selected, and moving through it. What each line shows is the
//! drawing's; what Enter, `a`, `d` and Space do to a line is in `plan/`.

mod changes;
mod dialog;
mod edits;
mod fields;
mod form;
mod gates;

use crate::keymap::Command;
use crate::model::Plan;

use super::App;

pub use dialog::PlanDialog;
pub use fields::{FieldKind, PlanField};
pub use form::{PlanForm, PlanFormField, PlanTarget};

/// The Plan pane's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanPane {
    /// The first line shown.
    pub scroll: usize,
    /// The selected line, an index into `page`.
    pub selected: usize,
    /// The computed impact of the change requests; None once the plan
    /// changed, until a pane needs them again.
    pub impacts: Option<changes::Impacts>,
    /// The change request whose what-if dates the Gantt pane shows.
    pub preview: Option<String>,
    /// The review's planned-against-actual figures; None once the plan
    /// changed, until the pane is shown again.
    pub review: Option<crate::governance::ReviewFacts>,
}

/// The parts of the charter, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanSection {
    Objectives,
    Scope,
    People,
    Changes,
    Gates,
    Communications,
    Handover,
    Review,
}

impl PlanSection {
    pub const ALL: [PlanSection; 8] = [
        PlanSection::Objectives,
        PlanSection::Scope,
        PlanSection::People,
        PlanSection::Changes,
        PlanSection::Gates,
        PlanSection::Communications,
        PlanSection::Handover,
        PlanSection::Review,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PlanSection::Objectives => "Objectives",
            PlanSection::Scope => "Scope",
            PlanSection::People => "People",
            PlanSection::Changes => "Change requests",
            PlanSection::Gates => "Quality gates",
            PlanSection::Communications => "Communication plan",
            PlanSection::Handover => "Handover",
            PlanSection::Review => "Post-implementation review",
        }
    }
}

/// The lists of notes a post-implementation review keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewList {
    WentWell,
    Improve,
    Lessons,
}

impl ReviewList {
    pub const ALL: [ReviewList; 3] = [
        ReviewList::WentWell,
        ReviewList::Improve,
        ReviewList::Lessons,
    ];

    /// The word before each note of the list.
    pub fn label(self) -> &'static str {
        match self {
            ReviewList::WentWell => "went well",
            ReviewList::Improve => "improve",
            ReviewList::Lessons => "lesson",
        }
    }

    /// The key of the list in `[review]`.
    pub fn key(self) -> &'static str {
        match self {
            ReviewList::WentWell => "went_well",
            ReviewList::Improve => "improve",
            ReviewList::Lessons => "lessons",
        }
    }

    pub fn items(self, review: &crate::model::Review) -> &[String] {
        match self {
            ReviewList::WentWell => &review.went_well,
            ReviewList::Improve => &review.improve,
            ReviewList::Lessons => &review.lessons,
        }
    }
}

/// The planned-against-actual lines the review starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFact {
    Finish,
    Cost,
    Scope,
    Changes,
}

impl ReviewFact {
    pub const ALL: [ReviewFact; 4] = [
        ReviewFact::Finish,
        ReviewFact::Cost,
        ReviewFact::Scope,
        ReviewFact::Changes,
    ];
}

/// One line of the page; indices point into the plan's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanLine {
    /// The project's name.
    Name,
    /// Its start, status date and budget.
    Facts,
    Description,
    /// The empty line before a heading.
    Gap,
    Heading(PlanSection),
    /// A section with nothing in it yet.
    Empty(PlanSection),
    Objective(usize),
    ScopeIn(usize),
    ScopeOut(usize),
    Person(usize),
    Change(usize),
    Gate(usize),
    GateItem {
        gate: usize,
        item: usize,
    },
    /// A gate without checklist items.
    GateEmpty(usize),
    Communication(usize),
    /// Whom the project is handed over to, and when.
    Handover,
    HandoverItem(usize),
    /// The review's computed figures: finish, cost, scope and changes.
    ReviewFact(ReviewFact),
    ReviewDate,
    ReviewPlanned,
    ReviewActual,
    ReviewNote {
        list: ReviewList,
        index: usize,
    },
}

impl PlanLine {
    /// Whether the line stands for something that can be edited.
    pub fn is_selectable(self) -> bool {
        !matches!(
            self,
            PlanLine::Name
                | PlanLine::Facts
                | PlanLine::Description
                | PlanLine::Gap
                | PlanLine::Heading(_)
        )
    }

    /// The section the line belongs to; None for the project's lines.
    pub fn section(self) -> Option<PlanSection> {
        Some(match self {
            PlanLine::Name | PlanLine::Facts | PlanLine::Description | PlanLine::Gap => {
                return None;
            }
            PlanLine::Heading(section) | PlanLine::Empty(section) => section,
            PlanLine::Objective(_) => PlanSection::Objectives,
            PlanLine::ScopeIn(_) | PlanLine::ScopeOut(_) => PlanSection::Scope,
            PlanLine::Person(_) => PlanSection::People,
            PlanLine::Change(_) => PlanSection::Changes,
            PlanLine::Gate(_) | PlanLine::GateItem { .. } | PlanLine::GateEmpty(_) => {
                PlanSection::Gates
            }
            PlanLine::Communication(_) => PlanSection::Communications,
            PlanLine::Handover | PlanLine::HandoverItem(_) => PlanSection::Handover,
            PlanLine::ReviewFact(_)
            | PlanLine::ReviewDate
            | PlanLine::ReviewPlanned
            | PlanLine::ReviewActual
            | PlanLine::ReviewNote { .. } => PlanSection::Review,
        })
    }
}

/// The page: every line of the charter. Every section has its heading,
/// with a line saying it is empty when it is, so that it can be added to.
pub fn page(plan: &Plan) -> Vec<PlanLine> {
    let mut out = vec![PlanLine::Name, PlanLine::Facts];
    if plan.project.description.is_some() {
        out.push(PlanLine::Description);
    }
    for section in PlanSection::ALL {
        out.push(PlanLine::Gap);
        out.push(PlanLine::Heading(section));
        let before = out.len();
        section_lines(plan, section, &mut out);
        if out.len() == before {
            out.push(PlanLine::Empty(section));
        }
    }
    out
}

fn section_lines(plan: &Plan, section: PlanSection, out: &mut Vec<PlanLine>) {
    match section {
        PlanSection::Objectives => {
            out.extend((0..plan.objectives.len()).map(PlanLine::Objective));
        }
        PlanSection::Scope => {
            out.extend((0..plan.scope.included.len()).map(PlanLine::ScopeIn));
            out.extend((0..plan.scope.excluded.len()).map(PlanLine::ScopeOut));
        }
        PlanSection::People => out.extend((0..plan.people.len()).map(PlanLine::Person)),
        PlanSection::Changes => out.extend((0..plan.changes.len()).map(PlanLine::Change)),
        PlanSection::Gates => {
            for (gate, entry) in plan.gates.iter().enumerate() {
                out.push(PlanLine::Gate(gate));
                if entry.checklist.is_empty() {
                    out.push(PlanLine::GateEmpty(gate));
                }
                out.extend(
                    (0..entry.checklist.len()).map(|item| PlanLine::GateItem { gate, item }),
                );
            }
        }
        PlanSection::Communications => {
            out.extend((0..plan.communications.len()).map(PlanLine::Communication));
        }
        PlanSection::Handover => {
            if let Some(handover) = &plan.handover {
                out.push(PlanLine::Handover);
                out.extend((0..handover.checklist.len()).map(PlanLine::HandoverItem));
            }
        }
        PlanSection::Review => {
            out.extend(ReviewFact::ALL.map(PlanLine::ReviewFact));
            if plan.review.is_none() {
                out.push(PlanLine::Empty(PlanSection::Review));
            }
            if let Some(review) = &plan.review {
                out.push(PlanLine::ReviewDate);
                out.push(PlanLine::ReviewPlanned);
                out.push(PlanLine::ReviewActual);
                for list in ReviewList::ALL {
                    let count = list.items(review).len();
                    out.extend((0..count).map(|index| PlanLine::ReviewNote { list, index }));
                }
            }
        }
    }
}

/// Rows the detail lines under the page take (a rule and the selected
/// line's whole text), when the pane has room for them.
pub const DETAIL_LINES: u16 = 3;

/// The rows of a pane `height` high that the page gets, and the rows left
/// for the detail lines.
pub fn split_rows(height: u16) -> (u16, u16) {
    if height >= 12 {
        (height - DETAIL_LINES - 1, DETAIL_LINES + 1)
    } else {
        (height, 0)
    }
}

impl PlanPane {
    /// The selected line, moved onto a selectable one if it is not.
    pub fn selected_line(&self, lines: &[PlanLine]) -> Option<PlanLine> {
        let index = selectable_near(lines, self.selected)?;
        lines.get(index).copied()
    }

    /// The first line to show on a page of `rows` rows so that the
    /// selection is on it.
    pub fn first_shown(&self, lines: &[PlanLine], rows: usize) -> usize {
        let rows = rows.max(1);
        let selected = selectable_near(lines, self.selected).unwrap_or(0);
        let mut scroll = self.scroll.min(lines.len().saturating_sub(rows));
        if selected < scroll {
            scroll = selected;
        }
        if selected >= scroll + rows {
            scroll = selected + 1 - rows;
        }
        // The project's lines above the first part, and a heading right
        // above the selection, are worth showing with it.
        if !lines[..selected].iter().any(|line| line.is_selectable()) {
            scroll = 0;
        } else if scroll > 0 && scroll == selected && !lines[selected - 1].is_selectable() {
            scroll -= 1;
        }
        scroll
    }
}

/// The selectable line at `index`, or the nearest one after it, or before.
fn selectable_near(lines: &[PlanLine], index: usize) -> Option<usize> {
    let index = index.min(lines.len().saturating_sub(1));
    (index..lines.len())
        .find(|&i| lines[i].is_selectable())
        .or_else(|| (0..index).rev().find(|&i| lines[i].is_selectable()))
}

impl App {
    /// The Plan pane's rows for the page itself.
    fn plan_page_rows(&self) -> usize {
        let body = self.size.1.saturating_sub(crate::layout::FRAME_ROWS);
        usize::from(split_rows(body).0).max(1)
    }

    /// The Plan pane's share of the commands.
    pub(super) fn plan_command(&mut self, command: Command) {
        let lines = page(&self.file.plan);
        let rows = self.plan_page_rows();
        let current = selectable_near(&lines, self.plan.selected).unwrap_or(0);
        let step = |from: usize, forward: bool| -> usize {
            let found = if forward {
                (from + 1..lines.len()).find(|&i| lines[i].is_selectable())
            } else {
                (0..from).rev().find(|&i| lines[i].is_selectable())
            };
            found.unwrap_or(from)
        };
        let moved = match command {
            Command::Down => Some(step(current, true)),
            Command::Up => Some(step(current, false)),
            Command::PageDown => {
                let target = (current + rows).min(lines.len().saturating_sub(1));
                selectable_near(&lines, target)
            }
            Command::PageUp => {
                let target = current.saturating_sub(rows);
                (target..=current)
                    .find(|&i| lines[i].is_selectable())
                    .or(Some(current))
            }
            Command::First => selectable_near(&lines, 0),
            Command::Last => (0..lines.len()).rev().find(|&i| lines[i].is_selectable()),
            Command::NextSection | Command::ProgressUp => {
                let section = lines.get(current).and_then(|line| line.section());
                (current + 1..lines.len())
                    .find(|&i| lines[i].is_selectable() && lines[i].section() != section)
                    .or(Some(current))
            }
            Command::PreviousSection | Command::ProgressDown => {
                let section = lines.get(current).and_then(|line| line.section());
                // The first line of the section before this one.
                let previous = (0..current)
                    .rev()
                    .find(|&i| lines[i].is_selectable() && lines[i].section() != section)
                    .and_then(|i| lines[i].section());
                match previous {
                    Some(previous) => (0..current).find(|&i| {
                        lines[i].is_selectable() && lines[i].section() == Some(previous)
                    }),
                    None => Some(current),
                }
            }
            _ => {
                self.plan.selected = current;
                if let Some(line) = lines.get(current).copied() {
                    self.plan_line_command(command, line);
                }
                self.clamp_plan_selection();
                return;
            }
        };
        if let Some(index) = moved {
            self.plan.selected = index;
        }
        self.plan.scroll = self.plan.first_shown(&lines, rows);
    }

    /// Keeps the selection on a line of the page after an edit.
    pub(super) fn clamp_plan_selection(&mut self) {
        let lines = page(&self.file.plan);
        self.plan.selected = selectable_near(&lines, self.plan.selected).unwrap_or(0);
        self.plan.scroll = self.plan.first_shown(&lines, self.plan_page_rows());
    }

    /// Whether a line the page shows now, or the selected one, is `wanted`.
    pub(super) fn plan_lines_shown(&self, wanted: impl Fn(PlanLine) -> bool) -> bool {
        let lines = page(&self.file.plan);
        let rows = self.plan_page_rows();
        let first = self.plan.first_shown(&lines, rows);
        lines
            .iter()
            .skip(first)
            .take(rows)
            .any(|line| wanted(*line))
    }

    /// Selects `line` if the page has it.
    pub(super) fn select_plan_line(&mut self, line: PlanLine) {
        let lines = page(&self.file.plan);
        if let Some(index) = lines.iter().position(|l| *l == line) {
            self.plan.selected = index;
        }
        self.plan.scroll = self.plan.first_shown(&lines, self.plan_page_rows());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Plan {
        crate::store::parse_str(text).unwrap().plan
    }

    #[test]
    fn every_section_has_a_heading_and_an_empty_one_says_so() {
        let plan = plan("[project]\nname = \"P\"\nstart = 2027-01-04\n");
        let lines = page(&plan);
        for section in PlanSection::ALL {
            let heading = lines
                .iter()
                .position(|l| *l == PlanLine::Heading(section))
                .unwrap();
            // The review's computed figures come first.
            let first = match section {
                PlanSection::Review => heading + 1 + ReviewFact::ALL.len(),
                _ => heading + 1,
            };
            assert_eq!(lines[first], PlanLine::Empty(section));
        }
    }

    #[test]
    fn the_selection_skips_headings_and_stays_on_the_page() {
        let plan = plan(
            "[project]\nname = \"P\"\nstart = 2027-01-04\n\
             [[objective]]\nid = \"O1\"\ntitle = \"A\"\n",
        );
        let lines = page(&plan);
        let pane = PlanPane::default();
        assert_eq!(pane.selected_line(&lines), Some(PlanLine::Objective(0)));
        let pane = PlanPane {
            selected: 10_000,
            ..PlanPane::default()
        };
        assert_eq!(
            pane.selected_line(&lines),
            Some(PlanLine::Empty(PlanSection::Review))
        );
        assert!(pane.first_shown(&lines, 5) + 5 > lines.len() - 1);
    }
}
