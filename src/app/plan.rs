//! The Plan pane: the charter of the project as one page of lines, what
//! each line shows (the drawing decides how), and scrolling through it.

use crate::keymap::Command;
use crate::model::Plan;

use super::App;

/// The Plan pane's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanPane {
    /// The first line shown.
    pub scroll: usize,
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

    pub fn items(self, review: &crate::model::Review) -> &[String] {
        match self {
            ReviewList::WentWell => &review.went_well,
            ReviewList::Improve => &review.improve,
            ReviewList::Lessons => &review.lessons,
        }
    }
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
    Communication(usize),
    /// Whom the project is handed over to, and when.
    Handover,
    HandoverItem(usize),
    ReviewDate,
    ReviewPlanned,
    ReviewActual,
    ReviewNote {
        list: ReviewList,
        index: usize,
    },
}

/// The page: every line of the charter, sections without content left out.
pub fn page(plan: &Plan) -> Vec<PlanLine> {
    let mut out = vec![PlanLine::Name, PlanLine::Facts];
    let heading = |out: &mut Vec<PlanLine>, section: PlanSection| {
        if !out.is_empty() {
            out.push(PlanLine::Gap);
        }
        out.push(PlanLine::Heading(section));
    };
    if plan.project.description.is_some() {
        out.push(PlanLine::Description);
    }
    if !plan.objectives.is_empty() {
        heading(&mut out, PlanSection::Objectives);
        out.extend((0..plan.objectives.len()).map(PlanLine::Objective));
    }
    if !plan.scope.included.is_empty() || !plan.scope.excluded.is_empty() {
        heading(&mut out, PlanSection::Scope);
        out.extend((0..plan.scope.included.len()).map(PlanLine::ScopeIn));
        out.extend((0..plan.scope.excluded.len()).map(PlanLine::ScopeOut));
    }
    if !plan.people.is_empty() {
        heading(&mut out, PlanSection::People);
        out.extend((0..plan.people.len()).map(PlanLine::Person));
    }
    if !plan.changes.is_empty() {
        heading(&mut out, PlanSection::Changes);
        out.extend((0..plan.changes.len()).map(PlanLine::Change));
    }
    if !plan.gates.is_empty() {
        heading(&mut out, PlanSection::Gates);
        for (gate, entry) in plan.gates.iter().enumerate() {
            out.push(PlanLine::Gate(gate));
            out.extend((0..entry.checklist.len()).map(|item| PlanLine::GateItem { gate, item }));
        }
    }
    if !plan.communications.is_empty() {
        heading(&mut out, PlanSection::Communications);
        out.extend((0..plan.communications.len()).map(PlanLine::Communication));
    }
    if let Some(handover) = &plan.handover {
        heading(&mut out, PlanSection::Handover);
        out.push(PlanLine::Handover);
        out.extend((0..handover.checklist.len()).map(PlanLine::HandoverItem));
    }
    if let Some(review) = &plan.review {
        heading(&mut out, PlanSection::Review);
        if review.date.is_some() {
            out.push(PlanLine::ReviewDate);
        }
        if review.planned.is_some() {
            out.push(PlanLine::ReviewPlanned);
        }
        if review.actual.is_some() {
            out.push(PlanLine::ReviewActual);
        }
        for list in ReviewList::ALL {
            let count = list.items(review).len();
            out.extend((0..count).map(|index| PlanLine::ReviewNote { list, index }));
        }
    }
    out
}

impl App {
    /// The Plan pane's share of the commands.
    pub(super) fn plan_command(&mut self, command: Command) {
        let page_rows = self.visible_rows().max(1);
        let scroll = &mut self.plan.scroll;
        match command {
            Command::Down => *scroll += 1,
            Command::Up => *scroll = scroll.saturating_sub(1),
            Command::PageDown => *scroll += page_rows,
            Command::PageUp => *scroll = scroll.saturating_sub(page_rows),
            Command::First => *scroll = 0,
            Command::Last => *scroll = usize::MAX / 2,
            _ => {}
        }
        // Keep the scroll within the page so Up works at once after Last.
        let length = page(&self.file.plan).len();
        let height = usize::from(self.size.1.saturating_sub(crate::layout::FRAME_ROWS));
        self.plan.scroll = self.plan.scroll.min(length.saturating_sub(height));
    }
}
