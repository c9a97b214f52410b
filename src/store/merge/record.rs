//! The conflicts a merge could not decide, and the `[[conflict]]` tables
//! that record them in the merged plan (`docs/format.md`).

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::store::pairing::Identity;

/// Which part of a field the sides disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Value,
    /// The comments around the field (or a table's header); each side's
    /// text is then the field's lines as written.
    Comment,
}

/// One thing both sides changed differently. The merged plan holds ours.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The entity's top-level table; None for a key at the top of the file
    /// (or the comments at its end).
    pub kind: Option<String>,
    pub identity: Identity,
    pub occurrence: usize,
    /// The dotted path of the field in the entity; None for the whole
    /// entity (removed on one side and changed on the other, or added on
    /// both sides with one name).
    pub key: Option<String>,
    pub part: Part,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
}

impl Conflict {
    /// "task `api`, `duration`: ours 8 (kept), theirs 6, base 5".
    pub fn describe(&self) -> String {
        self.to_model().summary()
    }

    /// The conflict as the plan's model holds it once recorded (with no
    /// position).
    pub fn to_model(&self) -> crate::model::MergeConflict {
        let text = |value: &Option<Value>| value.as_ref().map(value_text);
        crate::model::MergeConflict {
            kind: self.kind.clone(),
            entity: entity_name(&self.identity, self.occurrence),
            key: self.key.clone(),
            comment: self.part == Part::Comment,
            base: text(&self.base),
            ours: text(&self.ours),
            theirs: text(&self.theirs),
            ..Default::default()
        }
    }

    fn table(&self) -> Table {
        let mut table = Table::new();
        if let Some(kind) = &self.kind {
            table.insert("kind", toml_edit::value(kind.as_str()));
        }
        match &self.identity {
            Identity::Id(id) => {
                table.insert("id", toml_edit::value(id.as_str()));
            }
            Identity::Week(week) => {
                table.insert("week", date_or_text(week));
            }
            Identity::Log { date, task, person } => {
                table.insert("date", date_or_text(date));
                table.insert("task", toml_edit::value(task.as_str()));
                if let Some(person) = person {
                    table.insert("person", toml_edit::value(person.as_str()));
                }
            }
            Identity::Table | Identity::Content(_) => {}
        }
        if self.occurrence > 1 {
            table.insert(
                "occurrence",
                toml_edit::value(i64::try_from(self.occurrence).unwrap_or(i64::MAX)),
            );
        }
        if let Some(key) = &self.key {
            table.insert("key", toml_edit::value(key.as_str()));
        }
        if self.part == Part::Comment {
            table.insert("part", toml_edit::value("comment"));
        }
        for (name, value) in [
            ("base", &self.base),
            ("ours", &self.ours),
            ("theirs", &self.theirs),
        ] {
            if let Some(value) = value {
                let mut value = value.clone();
                value.decor_mut().clear();
                table.insert(name, Item::Value(value));
            }
        }
        table
    }
}

/// How the model names an entity of this identity (see `MergeConflict`).
fn entity_name(identity: &Identity, occurrence: usize) -> String {
    let mut name = identity.describe();
    if occurrence > 1 {
        name.push_str(&format!(" (number {occurrence} of that name)"));
    }
    name
}

fn date_or_text(text: &str) -> Item {
    match text.parse::<toml_edit::Datetime>() {
        Ok(date) => toml_edit::value(date),
        Err(_) => toml_edit::value(text),
    }
}

/// A value as TOML text on one line, without its comments.
pub fn value_text(value: &Value) -> String {
    let mut value = value.clone();
    value.decor_mut().clear();
    value.to_string()
}

/// The `[[conflict]]` tables for `conflicts`, after a comment that says
/// what they are; empty when there are none.
pub fn render(conflicts: &[Conflict]) -> String {
    if conflicts.is_empty() {
        return String::new();
    }
    let mut array = ArrayOfTables::new();
    for (index, conflict) in conflicts.iter().enumerate() {
        let mut table = conflict.table();
        let prefix = if index == 0 {
            "\n# `gantry merge` could not decide what follows; the plan keeps ours.\n\
             # For each [[conflict]], keep the value you want, then delete the table\n\
             # (or open the plan in gantry, which lists them: o keeps ours, t takes theirs).\n"
        } else {
            "\n"
        };
        table.decor_mut().set_prefix(prefix);
        array.push(table);
    }
    let mut document = DocumentMut::new();
    document.insert("conflict", Item::ArrayOfTables(array));
    document.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_as_the_conflicts_they_are() {
        let conflicts = vec![
            Conflict {
                kind: Some("task".to_owned()),
                identity: Identity::Id("api".to_owned()),
                occurrence: 1,
                key: Some("duration".to_owned()),
                part: Part::Value,
                base: Some(5.into()),
                ours: Some(8.into()),
                theirs: Some(6.into()),
            },
            Conflict {
                kind: Some("log".to_owned()),
                identity: Identity::Log {
                    date: "2027-01-12".to_owned(),
                    task: "api".to_owned(),
                    person: None,
                },
                occurrence: 2,
                key: None,
                part: Part::Value,
                base: None,
                ours: None,
                theirs: Some(Value::InlineTable(toml_edit::InlineTable::new())),
            },
        ];
        let text = format!(
            "[project]\nname = \"P\"\nstart = 2027-01-04\n{}",
            render(&conflicts)
        );
        let loaded = crate::store::parse_str(&text).expect("the records parse");
        assert_eq!(loaded.plan.conflicts.len(), 2);
        let errors: Vec<&str> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("task `api`, `duration`: ours 8 (kept), theirs 6, base 5"),
            "{}",
            errors[0]
        );
        assert_eq!(conflicts[0].describe(), loaded.plan.conflicts[0].summary());
        assert!(
            errors[1].contains("log entry of 2027-01-12 on `api` (number 2 of that name): ours removed (kept), theirs {}, base absent"),
            "{}",
            errors[1]
        );
        assert_eq!(conflicts[1].describe(), loaded.plan.conflicts[1].summary());
        assert!(
            !loaded.diagnostics.iter().any(|d| !d.is_error()),
            "{:?}",
            loaded.diagnostics
        );
    }
}
