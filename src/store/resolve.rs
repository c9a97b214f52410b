//! Resolving a merge conflict recorded in the plan (`[[conflict]]`): the
//! field (or entity) takes the base's, ours' or theirs' value as recorded,
//! and the record goes, in one change that undo takes back whole.

use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use super::load::EntityKind;
use super::merge::tables::same_value;
use super::{Edit, PlanFile};

/// Which recorded value a conflict takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Base,
    Ours,
    Theirs,
}

impl Pick {
    pub fn name(self) -> &'static str {
        match self {
            Pick::Base => "base",
            Pick::Ours => "ours",
            Pick::Theirs => "theirs",
        }
    }
}

/// What a record says, read from its table.
struct Record {
    kind: Option<String>,
    id: Option<String>,
    week: Option<String>,
    date: Option<String>,
    task: Option<String>,
    person: Option<String>,
    occurrence: usize,
    key: Option<Vec<String>>,
    comment: bool,
    value: Option<Value>,
}

impl PlanFile {
    /// The edits that resolve the conflict recorded in the `index`-th
    /// `[[conflict]]` table by taking `pick`'s value, its record removed;
    /// a message saying why when it cannot be done here (then the record
    /// says what to change by hand).
    pub fn resolution(&self, index: usize, pick: Pick) -> Result<Vec<Edit>, String> {
        let record = self
            .document
            .get()
            .map_err(str::to_owned)?
            .get("conflict")
            .and_then(Item::as_array_of_tables)
            .and_then(|records| records.get(index))
            .ok_or_else(|| "there is no such conflict in the plan".to_owned())?;
        let record = read_record(record, pick)?;
        let mut edits = match record.kind.as_deref().and_then(EntityKind::from_key) {
            Some(kind) => self.entity_edits(kind, &record)?,
            None => self.top_level_edits(&record)?,
        };
        edits.push(Edit::RemoveAt {
            kind: EntityKind::Conflict,
            index,
        });
        Ok(edits)
    }

    /// For an entity of an array: its table taken out and put back changed
    /// (or taken out, or added).
    fn entity_edits(&self, kind: EntityKind, record: &Record) -> Result<Vec<Edit>, String> {
        let tables = self
            .document
            .get()
            .map_err(str::to_owned)?
            .get(kind.key())
            .and_then(Item::as_array_of_tables);
        let found = tables.and_then(|tables| {
            tables
                .iter()
                .enumerate()
                .filter(|(_, table)| record.names(kind, table))
                .nth(record.occurrence.saturating_sub(1))
        });
        match (&record.key, found) {
            (None, Some((index, table))) if record.comment => {
                let mut new = table.clone();
                if !set_header_comment(&mut new, record.value.as_ref()) {
                    return Ok(Vec::new());
                }
                Ok(vec![
                    Edit::RemoveAt { kind, index },
                    Edit::InsertAt {
                        kind,
                        index,
                        table: new,
                    },
                ])
            }
            (None, Some((index, table))) => match &record.value {
                None => Ok(vec![Edit::RemoveAt { kind, index }]),
                Some(value) if same_entity(table, value) => Ok(Vec::new()),
                Some(value) => {
                    let mut new = table_of(value)?;
                    new.set_position(table.position());
                    *new.decor_mut() = table.decor().clone();
                    Ok(vec![
                        Edit::RemoveAt { kind, index },
                        Edit::InsertAt {
                            kind,
                            index,
                            table: new,
                        },
                    ])
                }
            },
            (None, None) => match &record.value {
                None => Ok(Vec::new()),
                Some(value) => {
                    let mut new = table_of(value)?;
                    new.decor_mut().set_prefix("\n");
                    Ok(vec![Edit::InsertAt {
                        kind,
                        index: tables.map_or(0, |tables| tables.len()),
                        table: new,
                    }])
                }
            },
            (Some(path), Some((index, table))) => {
                let mut new = table.clone();
                if !set_path(&mut new, path, record)? {
                    return Ok(Vec::new());
                }
                Ok(vec![
                    Edit::RemoveAt { kind, index },
                    Edit::InsertAt {
                        kind,
                        index,
                        table: new,
                    },
                ])
            }
            (Some(_), None) => Err(format!(
                "the {} the conflict is about is no longer in the plan",
                crate::model::entity_noun(kind.key())
            )),
        }
    }

    /// For a single table (`[project]`) or a key before the tables.
    fn top_level_edits(&self, record: &Record) -> Result<Vec<Edit>, String> {
        let root = self.document.get().map_err(str::to_owned)?.as_table();
        let (top, path): (String, Vec<String>) = match (&record.kind, &record.key) {
            (Some(kind), path) if !kind.contains('.') => {
                (kind.clone(), path.clone().unwrap_or_default())
            }
            (None, Some(path)) if !path.is_empty() => (path[0].clone(), path[1..].to_vec()),
            _ => {
                return Err(
                    "this conflict is in the comments at the end of the file; edit them there"
                        .to_owned(),
                );
            }
        };
        let current = root.get(&top);
        if path.is_empty() {
            // The whole table, or a key at the top.
            let item = match (&record.value, record.kind.is_some()) {
                (None, _) => None,
                (Some(value), true) => {
                    let mut table = table_of(value)?;
                    if let Some(Item::Table(old)) = current {
                        if same_entity(old, value) {
                            return Ok(Vec::new());
                        }
                        table.set_position(old.position());
                        *table.decor_mut() = old.decor().clone();
                    }
                    Some(Item::Table(table))
                }
                (Some(value), false) => {
                    let mut value = value.clone();
                    if let Some(Item::Value(old)) = current {
                        if same_value(old, &value) && !record.comment {
                            return Ok(Vec::new());
                        }
                        *value.decor_mut() = old.decor().clone();
                    }
                    Some(Item::Value(value))
                }
            };
            if record.comment {
                return Err("a comment at the top of the file: edit it there".to_owned());
            }
            return Ok(vec![Edit::Replace { key: top, item }]);
        }
        let Some(Item::Table(table)) = current else {
            return Err(format!("[{top}] is no longer a table in the plan"));
        };
        let mut new = table.clone();
        if !set_path(&mut new, &path, record)? {
            return Ok(Vec::new());
        }
        Ok(vec![Edit::Replace {
            key: top,
            item: Some(Item::Table(new)),
        }])
    }
}

impl Record {
    /// Whether `table` is the entity of `kind` this record names.
    fn names(&self, kind: EntityKind, table: &Table) -> bool {
        let text = |key: &str| table.get(key).map(item_text);
        match kind {
            EntityKind::Checkin => self.week.is_some() && text("week") == self.week,
            EntityKind::Log => {
                self.date.is_some()
                    && text("date") == self.date
                    && text("task") == self.task
                    && text("person") == self.person
            }
            _ => self.id.is_some() && text("id") == self.id,
        }
    }
}

/// A date or a string as the record writes it: a string's text, a date as
/// written.
fn item_text(item: &Item) -> String {
    match item.as_value() {
        Some(Value::String(text)) => text.value().clone(),
        Some(value) => {
            let mut value = value.clone();
            value.decor_mut().clear();
            value.to_string()
        }
        None => String::new(),
    }
}

fn read_record(record: &Table, pick: Pick) -> Result<Record, String> {
    let text = |key: &str| record.get(key).map(item_text);
    let key = match record.get("key").and_then(Item::as_str) {
        Some(key) => Some(
            toml_edit::Key::parse(key)
                .map_err(|_| format!("the conflict's key {key:?} is not a key path"))?
                .iter()
                .map(|part| part.get().to_owned())
                .collect(),
        ),
        None => None,
    };
    let occurrence = record
        .get("occurrence")
        .and_then(Item::as_integer)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(1);
    Ok(Record {
        kind: record.get("kind").and_then(Item::as_str).map(str::to_owned),
        id: text("id"),
        week: text("week"),
        date: text("date"),
        task: text("task"),
        person: text("person"),
        occurrence,
        key,
        comment: record.get("part").and_then(Item::as_str) == Some("comment"),
        value: record.get(pick.name()).and_then(Item::as_value).cloned(),
    })
}

/// A recorded entity (an inline table) as a table of its own.
fn table_of(value: &Value) -> Result<Table, String> {
    match value {
        Value::InlineTable(inline) => {
            let mut table = inline.clone().into_table();
            table.fmt();
            Ok(table)
        }
        _ => Err("the recorded entity is not a table; edit the plan by hand".to_owned()),
    }
}

fn same_entity(table: &Table, value: &Value) -> bool {
    super::merge::tables::same_item(&Item::Table(table.clone()), &Item::Value(value.clone()))
}

/// Sets the field at `path` in `table` to the record's value (or its
/// comments to the recorded ones); false when it already is that.
fn set_path(table: &mut Table, path: &[String], record: &Record) -> Result<bool, String> {
    let Some((last, parents)) = path.split_last() else {
        return Ok(false);
    };
    let mut current: &mut dyn TableLike = table;
    for parent in parents {
        current = current
            .get_mut(parent)
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| {
                format!("`{parent}` is no longer a table here; edit the plan by hand")
            })?;
    }
    if record.comment {
        return set_comment(current, last, record.value.as_ref());
    }
    match (&record.value, current.get_mut(last)) {
        (None, None) => Ok(false),
        (None, Some(_)) => {
            current.remove(last);
            Ok(true)
        }
        (Some(value), Some(Item::Value(old))) => {
            if same_value(old, value) {
                return Ok(false);
            }
            let decor = old.decor().clone();
            *old = value.clone();
            *old.decor_mut() = decor;
            Ok(true)
        }
        (Some(value), Some(item)) => {
            *item = Item::Value(value.clone());
            Ok(true)
        }
        (Some(value), None) => {
            current.insert(last, Item::Value(value.clone()));
            Ok(true)
        }
    }
}

/// Gives the field `key` the comments of the recorded lines (the field as
/// one side wrote it).
fn set_comment(
    table: &mut dyn TableLike,
    key: &str,
    lines: Option<&Value>,
) -> Result<bool, String> {
    let lines = lines.and_then(Value::as_str).unwrap_or_default();
    let document: DocumentMut = format!("{lines}\n")
        .parse()
        .map_err(|_| "the recorded comment cannot be read; edit the plan by hand".to_owned())?;
    let root = document.as_table();
    let first = root.iter().next().map(|(name, _)| name.to_owned());
    let Some((recorded_key, Item::Value(recorded_value))) =
        first.as_deref().and_then(|name| root.get_key_value(name))
    else {
        return Err("the recorded comment cannot be read; edit the plan by hand".to_owned());
    };
    let Some(mut target_key) = table.key_mut(key) else {
        return Err(format!("`{key}` is no longer in the plan; edit it by hand"));
    };
    *target_key.leaf_decor_mut() = recorded_key.leaf_decor().clone();
    if let Some(Item::Value(value)) = table.get_mut(key) {
        *value.decor_mut() = recorded_value.decor().clone();
    }
    Ok(true)
}

/// Gives a table the comments of a recorded header (`PREFIX[…]SUFFIX`, as
/// the merge writes it); false when it has them already.
fn set_header_comment(table: &mut Table, recorded: Option<&Value>) -> bool {
    let Some((prefix, suffix)) = recorded
        .and_then(Value::as_str)
        .and_then(|text| text.split_once("[…]"))
    else {
        return false;
    };
    let decor = table.decor();
    let same = decor.prefix().and_then(|p| p.as_str()) == Some(prefix)
        && decor.suffix().and_then(|s| s.as_str()) == Some(suffix);
    if same {
        return false;
    }
    table.decor_mut().set_prefix(prefix.to_owned());
    table.decor_mut().set_suffix(suffix.to_owned());
    true
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const BASE: &str = "# The plan.\n[project]\nname = \"P\"\nstart = 2027-01-04\nbudget = 100\n\n[[task]]\nid = \"a\"\nname = \"A\"   # first\nduration = 2\n\n[[task]]\nid = \"b\"\nname = \"B\"\nduration = 3\n\n[[checkin]]\nweek = 2027-01-04\nnote = \"n\"\n";

    fn merged(ours: &str, theirs: &str) -> PlanFile {
        let merged = crate::store::merge::merge(BASE, ours, theirs).expect("merges");
        assert!(!merged.conflicts.is_empty(), "a conflict to resolve");
        PlanFile::from_text(Path::new("plan.toml"), merged.text).expect("parses")
    }

    /// Resolves the first conflict with `pick`, checks the text, then undo.
    fn resolve(file: &mut PlanFile, pick: Pick, expected: &str) {
        let before = file.text();
        let edits = file.resolution(0, pick).expect("resolvable");
        let inverses = file.apply_all(edits).expect("accepted");
        assert_eq!(file.text(), expected, "{pick:?}");
        assert!(file.plan.conflicts.is_empty());
        assert!(!file.has_errors(), "{:?}", file.diagnostics);
        file.apply_all(inverses).expect("undone");
        assert_eq!(file.text(), before, "undo brings the conflict back");
        assert_eq!(file.plan.conflicts.len(), 1);
    }

    #[test]
    fn a_field_takes_each_sides_value_in_one_undoable_change() {
        let ours = BASE.replace("duration = 3", "duration = 8");
        let theirs = BASE.replace("duration = 3", "duration = 6");
        let mut file = merged(&ours, &theirs);
        resolve(
            &mut file,
            Pick::Theirs,
            &BASE.replace("duration = 3", "duration = 6"),
        );
        resolve(&mut file, Pick::Base, BASE);
        resolve(&mut file, Pick::Ours, &ours);
    }

    #[test]
    fn a_field_one_side_removed() {
        let ours = BASE.replace(
            "name = \"A\"   # first\nduration = 2\n",
            "name = \"A\"   # first\n",
        );
        let theirs = BASE.replace("duration = 2", "duration = 5");
        let mut file = merged(&ours, &theirs);
        resolve(&mut file, Pick::Ours, &ours);
        resolve(
            &mut file,
            Pick::Theirs,
            &ours.replace("# first\n", "# first\nduration = 5\n"),
        );
    }

    #[test]
    fn a_removed_entity_comes_back_or_goes() {
        let removed = BASE.replace("\n[[task]]\nid = \"b\"\nname = \"B\"\nduration = 3\n", "");
        let edited = BASE.replace("name = \"B\"", "name = \"Bee\"");
        let mut file = merged(&removed, &edited);
        resolve(&mut file, Pick::Ours, &removed);
        let text = file.text();
        let edits = file.resolution(0, Pick::Theirs).expect("resolvable");
        file.apply_all(edits).expect("accepted");
        assert_eq!(
            file.text(),
            removed.replace(
                "duration = 2\n",
                "duration = 2\n\n[[task]]\nid = \"b\"\nname = \"Bee\"\nduration = 3\n"
            ),
            "back after the last task"
        );
        assert_eq!(file.plan.tasks.len(), 2);
        assert_eq!(file.plan.tasks[1].name, "Bee");
        assert!(file.plan.conflicts.is_empty());
        assert_ne!(file.text(), text);

        let mut file = merged(&edited, &removed);
        resolve(&mut file, Pick::Theirs, &removed);
        resolve(&mut file, Pick::Ours, &edited);
    }

    #[test]
    fn check_ins_single_tables_and_comments() {
        let mut file = merged(
            &BASE.replace("note = \"n\"", "note = \"ours\""),
            &BASE.replace("note = \"n\"", "note = \"theirs\""),
        );
        resolve(
            &mut file,
            Pick::Theirs,
            &BASE.replace("note = \"n\"", "note = \"theirs\""),
        );

        let mut file = merged(
            &BASE.replace("budget = 100", "budget = 120"),
            &BASE.replace("budget = 100", "budget = 90"),
        );
        resolve(
            &mut file,
            Pick::Theirs,
            &BASE.replace("budget = 100", "budget = 90"),
        );
        resolve(&mut file, Pick::Base, BASE);

        let mut file = merged(
            &BASE.replace("# first", "# the first"),
            &BASE.replace("# first", "# number one"),
        );
        resolve(
            &mut file,
            Pick::Theirs,
            &BASE.replace("# first", "# number one"),
        );
    }
}
