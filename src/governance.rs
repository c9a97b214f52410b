//! Governance: change requests and their computed impact, the decision
//! workflow, quality gates guarding milestones, the communication cadence,
//! the governance checks and the post-implementation review.
//!
//! Pure functions over the plan: the steps return the edits they make,
//! without applying them, so the commands and the app share one set of
//! rules and apply each step with `PlanFile::apply_all` as one change (one
//! save, one undo step):
//!
//! - [`impact`] (or [`impact_with`], given the plan's schedule)
//!   re-schedules the plan with a change applied, in memory;
//! - [`approve_edits`], [`reject_edits`] and [`done_edits`] give the edits
//!   that record a decision ([`Decision`]); an approval also applies the
//!   change's task edits and new tasks, and may record a named baseline;
//! - [`check_item_edits`], [`sign_edits`] and [`override_edits`] keep a
//!   gate; [`open_guards`] says which gates hold a milestone back, and
//!   [`completion_override_edits`] records the override that lets it be
//!   done; the edit judge takes a [`snapshot`] before every judged edit and
//!   refuses what [`completion_refusals`] finds after it, so a gated
//!   milestone is not marked done while its gate is open;
//! - [`next_due`] reads a communication item's cadence ([`Due`]);
//! - [`check::warnings`] is what `gantry check` adds about governance, and
//!   [`check::structural`] the errors every validation finds in a change's
//!   task edits;
//! - [`review_facts`] gives the planned-versus-actual numbers of the
//!   review, and [`review_markdown`] the review as `gantry review` prints it.
//!
//! `docs/format.md` describes the keys these rules read.

pub mod cadence;
pub mod check;
pub mod gates;
pub mod impact;
pub mod review;
pub mod workflow;

pub use cadence::{Cadence, Due, next_due, parse_cadence};
pub use gates::{
    GateSnapshot, check_item_edits, completion_override_edits, completion_refusals, find_item,
    guards_of, open_guards, override_edits, sign_edits, snapshot,
};
pub use impact::{Impact, TaskMove, apply_change, impact, impact_with};
pub use review::{ReviewFacts, review_facts, review_markdown};
pub use workflow::{Decision, approve_edits, done_edits, reject_edits};

use crate::diagnostic::Diagnostic;
use crate::model::Plan;

/// Why a governance step cannot be taken.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GovernanceError {
    /// No entity of that kind has the id.
    #[error("there is no {kind} with id `{id}`{suggestion}")]
    Unknown {
        kind: &'static str,
        id: String,
        suggestion: String,
    },
    /// The step is not allowed in the entity's present state; the message
    /// says why and what would be allowed.
    #[error("{0}")]
    Refused(String),
    /// The change would leave the plan unschedulable or invalid.
    #[error("{}", .0.first().map(|d| d.message.as_str()).unwrap_or("the change makes the plan invalid"))]
    Invalid(Vec<Diagnostic>),
}

/// The change request with this id, or the error naming the closest id.
pub fn change_index(plan: &Plan, id: &str) -> Result<usize, GovernanceError> {
    plan.changes
        .iter()
        .position(|change| change.id.value == id)
        .ok_or_else(|| GovernanceError::Unknown {
            kind: "change request",
            id: crate::sanitize::for_terminal(id).into_owned(),
            suggestion: crate::diagnostic::suggestion(
                id,
                plan.changes.iter().map(|change| change.id.value.as_str()),
            ),
        })
}

/// The gate with this id, or the error naming the closest id.
pub fn gate_index(plan: &Plan, id: &str) -> Result<usize, GovernanceError> {
    plan.gates
        .iter()
        .position(|gate| gate.id.value == id)
        .ok_or_else(|| GovernanceError::Unknown {
            kind: "gate",
            id: crate::sanitize::for_terminal(id).into_owned(),
            suggestion: crate::diagnostic::suggestion(
                id,
                plan.gates.iter().map(|gate| gate.id.value.as_str()),
            ),
        })
}
