//! The fields of the charter form, part by part: their keys, how their
//! text becomes a value, and the text each shows for an entity.

use chrono::NaiveDate;
use toml_edit::Value;

use crate::model::{Plan, is_valid_id};
use crate::store::EntityKind;

/// How a field's text becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A new entity's id.
    Id,
    /// Text; empty removes it.
    Text,
    /// Text that may not be empty.
    Required,
    /// `YYYY-MM-DD` or `today`; empty removes it.
    Date,
    /// A number; empty removes it.
    Number,
    /// A whole number; empty removes it.
    Integer,
    /// Comma-separated words.
    List,
    /// `yes` or `no`.
    Bool,
    /// One of these words; empty takes the first.
    Choice(&'static [&'static str]),
}

/// One field of the charter form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanField {
    /// The key in the plan file (or `list`: which list a new line goes to).
    pub key: &'static str,
    pub kind: FieldKind,
    pub help: &'static str,
}

pub(super) const fn field(key: &'static str, kind: FieldKind, help: &'static str) -> PlanField {
    PlanField { key, kind, help }
}

pub(super) const SCOPE_LISTS: &[&str] = &["in", "out"];
pub(super) const REVIEW_LISTS: &[&str] = &["went_well", "improve", "lessons"];

pub(super) const OBJECTIVE: &[PlanField] = &[
    field("title", FieldKind::Required, "the objective in a few words"),
    field(
        "target",
        FieldKind::Text,
        "the measurable target, with a number and a date",
    ),
    field(
        "current",
        FieldKind::Text,
        "the latest reading of the measure, with its date",
    ),
];
pub(super) const PERSON: &[PlanField] = &[
    field("name", FieldKind::Text, "full name"),
    field("role", FieldKind::Text, "role in the project"),
    field(
        "rate",
        FieldKind::Number,
        "cost per hour in the project currency",
    ),
    field(
        "capacity",
        FieldKind::Number,
        "fraction of a full day given to the project, 0.01 to 1",
    ),
    field("skills", FieldKind::List, "skills, comma-separated"),
];
pub(super) const CHANGE: &[PlanField] = &[
    field("title", FieldKind::Required, "the change asked for"),
    field("requested_by", FieldKind::Text, "who asked"),
    field("requested", FieldKind::Date, "when: YYYY-MM-DD or today"),
    field(
        "cost",
        FieldKind::Number,
        "cost impact in the project currency; negative for a saving",
    ),
    field(
        "days",
        FieldKind::Integer,
        "schedule impact in working days; negative shortens",
    ),
    field("note", FieldKind::Text, "reasons, conditions, follow-up"),
];
pub(super) const GATE: &[PlanField] = &[
    field("name", FieldKind::Required, "what the gate checks"),
    field(
        "milestone",
        FieldKind::Text,
        "the id of the milestone it guards",
    ),
    field("approver", FieldKind::Text, "who signs it off"),
];
pub(super) const COMMUNICATION: &[PlanField] = &[
    field("what", FieldKind::Required, "the message or meeting"),
    field("audience", FieldKind::Text, "who receives it"),
    field(
        "cadence",
        FieldKind::Text,
        "how often: weekly, Friday / every two weeks / monthly",
    ),
    field(
        "channel",
        FieldKind::Text,
        "email, meeting, shared board, chat",
    ),
    field("owner", FieldKind::Text, "the id of the person responsible"),
    field(
        "last",
        FieldKind::Date,
        "when it last took place: YYYY-MM-DD or today",
    ),
];
pub(super) const HANDOVER: &[PlanField] = &[
    field("to", FieldKind::Text, "the receiving owner or team"),
    field("date", FieldKind::Date, "planned or actual handover date"),
];
pub(super) const REVIEW: &[PlanField] = &[
    field("date", FieldKind::Date, "when the review is or was held"),
    field(
        "planned",
        FieldKind::Text,
        "what was planned: dates, budget, scope",
    ),
    field("actual", FieldKind::Text, "what happened"),
];
pub(super) const SCOPE_ITEM: &[PlanField] =
    &[field("item", FieldKind::Required, "the deliverable")];
pub(super) const NEW_SCOPE_ITEM: &[PlanField] = &[
    field("item", FieldKind::Required, "the deliverable"),
    field(
        "list",
        FieldKind::Choice(SCOPE_LISTS),
        "in: in scope; out: explicitly excluded",
    ),
];
pub(super) const NOTE: &[PlanField] = &[field("item", FieldKind::Required, "the note")];
pub(super) const NEW_NOTE: &[PlanField] = &[
    field("item", FieldKind::Required, "the note"),
    field(
        "list",
        FieldKind::Choice(REVIEW_LISTS),
        "went_well, improve or lessons",
    ),
];
pub(super) const CHECK: &[PlanField] = &[
    field("item", FieldKind::Required, "the criterion or material"),
    field("done", FieldKind::Bool, "yes when it is met or delivered"),
];

pub(super) fn fields_of(kind: EntityKind) -> &'static [PlanField] {
    match kind {
        EntityKind::Objective => OBJECTIVE,
        EntityKind::Person => PERSON,
        EntityKind::Change => CHANGE,
        EntityKind::Gate => GATE,
        _ => COMMUNICATION,
    }
}

/// The text a field shows for an entity, as the form takes it back.
pub(super) fn entity_text(plan: &Plan, kind: EntityKind, id: &str, key: &str) -> String {
    let opt = |value: &Option<String>| value.clone().unwrap_or_default();
    let number = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
    let date = |value: Option<NaiveDate>| value.map(|d| d.to_string()).unwrap_or_default();
    let reference = |value: &Option<crate::model::Ref>| {
        value
            .as_ref()
            .map(|r| r.id.value.clone())
            .unwrap_or_default()
    };
    match kind {
        EntityKind::Objective => match plan.objectives.iter().find(|o| o.id.value == id) {
            Some(o) => match key {
                "title" => o.title.clone(),
                "target" => opt(&o.target),
                "current" => opt(&o.current),
                _ => String::new(),
            },
            None => String::new(),
        },
        EntityKind::Person => match plan.person(id) {
            Some(p) => match key {
                "name" => p.name.clone(),
                "role" => opt(&p.role),
                "rate" => number(p.rate),
                "capacity" => p.capacity.to_string(),
                "skills" => p.skills.join(", "),
                _ => String::new(),
            },
            None => String::new(),
        },
        EntityKind::Change => match plan.changes.iter().find(|c| c.id.value == id) {
            Some(c) => match key {
                "title" => c.title.clone(),
                "requested_by" => opt(&c.requested_by),
                "requested" => date(c.requested),
                "cost" => number(c.cost),
                "days" => c.days.map(|d| d.to_string()).unwrap_or_default(),
                "note" => opt(&c.note),
                _ => String::new(),
            },
            None => String::new(),
        },
        EntityKind::Gate => match plan.gates.iter().find(|g| g.id.value == id) {
            Some(g) => match key {
                "name" => g.name.clone(),
                "milestone" => reference(&g.milestone),
                "approver" => opt(&g.approver),
                _ => String::new(),
            },
            None => String::new(),
        },
        _ => match plan.communications.iter().find(|c| c.id.value == id) {
            Some(c) => match key {
                "what" => c.what.clone(),
                "audience" => opt(&c.audience),
                "cadence" => opt(&c.cadence),
                "channel" => opt(&c.channel),
                "owner" => reference(&c.owner),
                "last" => date(c.last),
                _ => String::new(),
            },
            None => String::new(),
        },
    }
}

/// A fresh id for a new entity: `O3`, `C2`, `G4`.
pub(super) fn fresh_id(plan: &Plan, kind: EntityKind) -> String {
    let (prefix, taken): (&str, Vec<&str>) = match kind {
        EntityKind::Objective => (
            "O",
            plan.objectives
                .iter()
                .map(|o| o.id.value.as_str())
                .collect(),
        ),
        EntityKind::Person => (
            "person",
            plan.people.iter().map(|p| p.id.value.as_str()).collect(),
        ),
        EntityKind::Change => (
            "C",
            plan.changes.iter().map(|c| c.id.value.as_str()).collect(),
        ),
        EntityKind::Gate => (
            "G",
            plan.gates.iter().map(|g| g.id.value.as_str()).collect(),
        ),
        _ => (
            "M",
            plan.communications
                .iter()
                .map(|c| c.id.value.as_str())
                .collect(),
        ),
    };
    let mut number = taken.len() + 1;
    loop {
        let candidate = format!("{prefix}{number}");
        if !taken.contains(&candidate.as_str()) {
            return candidate;
        }
        number += 1;
    }
}

/// Parses a field's text: Ok(None) removes the key.
pub fn parse_field(
    field: PlanField,
    text: &str,
    today: NaiveDate,
) -> Result<Option<Value>, String> {
    let text = text.trim();
    let key = field.key;
    if text.is_empty() {
        return match field.kind {
            FieldKind::Id | FieldKind::Required => Err(format!("`{key}` may not be empty")),
            FieldKind::Bool => Ok(Some(Value::from(false))),
            FieldKind::Choice(words) => Ok(words.first().map(|w| Value::from(*w))),
            _ => Ok(None),
        };
    }
    let value = match field.kind {
        FieldKind::Id => {
            if !is_valid_id(text) {
                return Err(format!(
                    "`{text}` is not an id: use letters, digits, '-', '_' and '.'"
                ));
            }
            Value::from(text)
        }
        FieldKind::Text | FieldKind::Required => Value::from(text),
        FieldKind::Date => {
            let date = if text == "today" {
                today
            } else {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| format!("`{key}` takes a date like 2027-01-04 (or today)"))?
            };
            crate::store::toml_date(date)
        }
        FieldKind::Number => match text.parse::<i64>() {
            Ok(whole) => Value::from(whole),
            Err(_) => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::from)
                .ok_or_else(|| format!("`{key}` takes a number, e.g. 0.5 or 120"))?,
        },
        FieldKind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{key}` takes a whole number, e.g. 3 or -2"))?,
        FieldKind::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|word| !word.is_empty())
                .collect(),
        ),
        FieldKind::Bool => match text.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "x" | "done" => Value::from(true),
            "no" | "n" | "false" | "open" => Value::from(false),
            _ => return Err(format!("`{key}` takes yes or no")),
        },
        FieldKind::Choice(words) => {
            if !words.contains(&text) {
                return Err(format!("`{key}` takes one of {}", words.join(", ")));
            }
            Value::from(text)
        }
    };
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_texts_become_values_or_say_what_is_wrong() {
        let today = NaiveDate::from_ymd_opt(2027, 3, 10).unwrap();
        let parse = |kind, text: &str| parse_field(field("k", kind, ""), text, today);
        let shown = |kind, text: &str| parse(kind, text).map(|v| v.map(|v| v.to_string()));
        assert_eq!(shown(FieldKind::Text, "  "), Ok(None));
        assert!(parse(FieldKind::Required, "").is_err());
        assert_eq!(
            shown(FieldKind::Date, "today"),
            Ok(Some("2027-03-10".into()))
        );
        assert!(parse(FieldKind::Date, "10/03/2027").is_err());
        assert_eq!(shown(FieldKind::Number, "0.5"), Ok(Some("0.5".into())));
        assert_eq!(shown(FieldKind::Integer, "-2"), Ok(Some("-2".into())));
        assert!(parse(FieldKind::Integer, "2.5").is_err());
        assert_eq!(
            shown(FieldKind::List, "a, b,"),
            Ok(Some("[\"a\", \"b\"]".into()))
        );
        assert_eq!(shown(FieldKind::Bool, "yes"), Ok(Some("true".into())));
        assert_eq!(
            shown(FieldKind::Choice(&["in", "out"]), ""),
            Ok(Some("\"in\"".into()))
        );
        assert!(parse(FieldKind::Choice(&["in", "out"]), "maybe").is_err());
        assert!(parse(FieldKind::Id, "two words").is_err());
    }
}
