//! The field-by-field merge of one unit both sides changed: the three
//! texts are parsed alone, theirs' changes are applied to ours' document,
//! and what both changed differently is recorded as a conflict.

use toml_edit::{DocumentMut, Item, Key, Table, Value};

use super::record::{Conflict, Part};
use crate::store::pairing::Identity;

/// Who the conflicts found in a unit are about.
pub struct Context<'c> {
    /// The unit's top-level table (None for the keys before any table).
    pub kind: Option<&'c str>,
    pub identity: &'c Identity,
    pub occurrence: usize,
    /// How many leading keys of a path name the unit's table rather than
    /// a field in it.
    pub skip: usize,
    pub conflicts: &'c mut Vec<Conflict>,
}

impl Context<'_> {
    fn record(
        &mut self,
        path: &[String],
        part: Part,
        base: Option<Value>,
        ours: Option<Value>,
        theirs: Option<Value>,
    ) {
        let key = path
            .get(self.skip..)
            .filter(|rest| !rest.is_empty())
            .map(|rest| {
                rest.iter()
                    .map(|part| Key::new(part.as_str()).display_repr().into_owned())
                    .collect::<Vec<_>>()
                    .join(".")
            });
        self.conflicts.push(Conflict {
            kind: self.kind.map(str::to_owned),
            identity: self.identity.clone(),
            occurrence: self.occurrence,
            key,
            part,
            base,
            ours,
            theirs,
        });
    }
}

/// Parses a unit's text alone (it must end with a line end to come back
/// byte for byte).
pub fn parse(text: &str) -> Option<DocumentMut> {
    if text.ends_with('\n') || text.is_empty() {
        text.parse().ok()
    } else {
        format!("{text}\n").parse().ok()
    }
}

/// Merges one unit changed on both sides; None when a text does not parse
/// alone (the caller keeps ours and records the whole unit).
pub fn merge_unit(cx: &mut Context<'_>, base: &str, ours: &str, theirs: &str) -> Option<String> {
    let base_document = parse(base)?;
    let mut document = parse(ours)?;
    let theirs_document = parse(theirs)?;
    let mut path = Vec::new();
    merge_table(
        cx,
        &mut path,
        Some(base_document.as_table()),
        document.as_table_mut(),
        theirs_document.as_table(),
    );
    let trailing = three_way_text(
        base_document.trailing().as_str(),
        document.trailing().as_str(),
        theirs_document.trailing().as_str(),
    );
    if let Some(trailing) = trailing {
        document.set_trailing(trailing);
    }
    let mut text = document.to_string();
    if !ours.ends_with('\n') && text.ends_with('\n') {
        text.pop();
    }
    Some(text)
}

/// Theirs' text where only theirs changed it; None to keep ours.
fn three_way_text(base: Option<&str>, ours: Option<&str>, theirs: Option<&str>) -> Option<String> {
    (ours == base && theirs != base).then(|| theirs.unwrap_or_default().to_owned())
}

/// Whether two units hold the same entity with the same values (their
/// formatting and comments aside).
pub fn same_content(left: &str, right: &str) -> bool {
    match (parse(left), parse(right)) {
        (Some(left), Some(right)) => same_table(left.as_table(), right.as_table()),
        _ => false,
    }
}

/// The entity a unit holds, as one inline table (for a conflict record):
/// the table named by `path`, or the text itself when it does not parse.
pub fn unit_value(text: &str, path: &[String]) -> Value {
    let Some(document) = parse(text) else {
        return Value::from(text);
    };
    let mut item = document.as_item();
    for part in path {
        let next = match item {
            Item::ArrayOfTables(array) if array.len() == 1 => {
                array.get(0).and_then(|t| t.get(part))
            }
            _ => item.get(part.as_str()),
        };
        match next {
            Some(next) => item = next,
            None => return Value::from(text),
        }
    }
    match item {
        Item::ArrayOfTables(array) if array.len() == 1 => match array.get(0) {
            Some(table) => item_value(&Item::Table(table.clone())),
            None => Value::from(text),
        },
        other => item_value(other),
    }
}

/// An item as a value on one line: tables become inline tables.
pub fn item_value(item: &Item) -> Value {
    match item {
        Item::Value(value) => {
            let mut value = value.clone();
            value.decor_mut().clear();
            value
        }
        Item::Table(table) => {
            let mut inline = table.clone().into_inline_table();
            inline.fmt();
            Value::InlineTable(inline)
        }
        Item::ArrayOfTables(array) => {
            let mut inline = array.clone().into_array();
            inline.fmt();
            Value::Array(inline)
        }
        Item::None => Value::from(""),
    }
}

/// Merges theirs' changes to `theirs` since `base` into `ours`.
fn merge_table(
    cx: &mut Context<'_>,
    path: &mut Vec<String>,
    base: Option<&Table>,
    ours: &mut Table,
    theirs: &Table,
) {
    if path.len() >= cx.skip {
        merge_header_decor(cx, path, base, ours, theirs);
    }
    let mut keys: Vec<String> = ours.iter().map(|(key, _)| key.to_owned()).collect();
    for (key, _) in theirs.iter() {
        if !ours.contains_key(key) {
            keys.push(key.to_owned());
        }
    }
    for key in keys {
        path.push(key.clone());
        let base_entry = base.and_then(|base| base.get_key_value(&key));
        let theirs_entry = theirs.get_key_value(&key);
        let nested = match (base_entry, ours.get(&key), theirs_entry) {
            (None | Some((_, Item::Table(_))), Some(Item::Table(_)), Some((_, Item::Table(_)))) => {
                Nested::Table
            }
            (
                None | Some((_, Item::ArrayOfTables(_))),
                Some(Item::ArrayOfTables(mine)),
                Some((_, Item::ArrayOfTables(other))),
            ) if path.len() <= cx.skip
                && mine.len() == 1
                && other.len() == 1
                && base_entry
                    .and_then(|(_, item)| item.as_array_of_tables())
                    .is_none_or(|array| array.len() == 1) =>
            {
                Nested::Entity
            }
            // Inside an entity: `[[change.edit]]` tables by their task,
            // `[[change.add]]` tables by their id.
            (
                None | Some((_, Item::ArrayOfTables(_))),
                Some(Item::ArrayOfTables(_)),
                Some((_, Item::ArrayOfTables(_))),
            ) if path.len() > cx.skip => match nested_identity(&key) {
                Some(ident) => Nested::Keyed(ident),
                None => Nested::No,
            },
            _ => Nested::No,
        };
        match nested {
            Nested::Table => {
                let base_table = base_entry.and_then(|(_, item)| item.as_table());
                if let (Some(Item::Table(mine)), Some((_, Item::Table(other)))) =
                    (ours.get_mut(&key), theirs_entry)
                {
                    merge_table(cx, path, base_table, mine, other);
                }
            }
            Nested::Entity => {
                let base_table = base_entry
                    .and_then(|(_, item)| item.as_array_of_tables())
                    .and_then(|array| array.get(0));
                if let (Some(Item::ArrayOfTables(mine)), Some((_, Item::ArrayOfTables(other)))) =
                    (ours.get_mut(&key), theirs_entry)
                    && let (Some(mine), Some(other)) = (mine.get_mut(0), other.get(0))
                {
                    merge_table(cx, path, base_table, mine, other);
                }
            }
            Nested::Keyed(ident) => {
                let base_array = base_entry.and_then(|(_, item)| item.as_array_of_tables());
                let merged = match (ours.get(&key), theirs_entry) {
                    (Some(Item::ArrayOfTables(mine)), Some((_, Item::ArrayOfTables(other)))) => {
                        merge_keyed(cx, path, ident, base_array, mine, other)
                    }
                    _ => None,
                };
                match (merged, ours.get_mut(&key)) {
                    (Some(merged), Some(Item::ArrayOfTables(mine))) => *mine = merged,
                    _ => merge_leaf(cx, path, &key, base_entry, ours, theirs),
                }
            }
            Nested::No => merge_leaf(cx, path, &key, base_entry, ours, theirs),
        }
        path.pop();
    }
}

enum Nested {
    Table,
    Entity,
    /// An array of tables inside an entity whose tables are named by the
    /// key given: merged table by table.
    Keyed(&'static str),
    No,
}

/// The key that names each table of the array of tables `key` nested in
/// an entity, for those merged table by table.
fn nested_identity(key: &str) -> Option<&'static str> {
    match key {
        "edit" => Some("task"),
        "add" => Some("id"),
        _ => None,
    }
}

/// The tables of `array` by the text of their `ident` key; None when one
/// has none or two have the same.
fn keyed<'a>(
    array: &'a toml_edit::ArrayOfTables,
    ident: &str,
) -> Option<Vec<(&'a str, &'a Table)>> {
    let mut tables: Vec<(&str, &Table)> = Vec::with_capacity(array.len());
    for table in array.iter() {
        let name = table.get(ident)?.as_str()?;
        if tables.iter().any(|(seen, _)| *seen == name) {
            return None;
        }
        tables.push((name, table));
    }
    Some(tables)
}

/// The table named `name` among `tables`.
fn find<'a>(tables: &[(&str, &'a Table)], name: &str) -> Option<&'a Table> {
    tables
        .iter()
        .find(|(seen, _)| *seen == name)
        .map(|(_, table)| *table)
}

/// Merges two versions of an array of tables named by `ident` table by
/// table: ours' tables in ours' order, each merged with theirs' of the
/// same name, then the tables only theirs added. None when that cannot
/// decide it (a table removed on one side and changed on the other, or
/// both changed one table's value differently): the caller merges the
/// array as one value, which records the conflict.
fn merge_keyed(
    cx: &mut Context<'_>,
    path: &mut Vec<String>,
    ident: &str,
    base: Option<&toml_edit::ArrayOfTables>,
    ours: &toml_edit::ArrayOfTables,
    theirs: &toml_edit::ArrayOfTables,
) -> Option<toml_edit::ArrayOfTables> {
    let base = match base {
        Some(base) => keyed(base, ident)?,
        None => Vec::new(),
    };
    let mine = keyed(ours, ident)?;
    let other = keyed(theirs, ident)?;
    let mut conflicts = Vec::new();
    let mut scratch = Context {
        kind: cx.kind,
        identity: cx.identity,
        occurrence: cx.occurrence,
        skip: cx.skip,
        conflicts: &mut conflicts,
    };
    let mut merged = toml_edit::ArrayOfTables::new();
    for (name, table) in &mine {
        let old = find(&base, name);
        let mut table = (*table).clone();
        match (old, find(&other, name)) {
            (_, Some(theirs_table)) => {
                merge_table(&mut scratch, path, old, &mut table, theirs_table);
            }
            // Theirs removed it: gone, unless ours changed it.
            (Some(old), None) if same_table(old, &table) => continue,
            (Some(_), None) => return None,
            // Ours added it.
            (None, None) => {}
        }
        merged.push(table);
    }
    for (name, table) in &other {
        if find(&mine, name).is_some() {
            continue;
        }
        match find(&base, name) {
            // Ours removed it: gone, unless theirs changed it.
            Some(old) if same_table(old, table) => {}
            Some(_) => return None,
            None => {
                let mut table = (*table).clone();
                // Written after the tables before it in ours.
                table.set_position(None);
                merged.push(table);
            }
        }
    }
    conflicts.is_empty().then_some(merged)
}

/// The comments before and beside a table's header.
fn merge_header_decor(
    cx: &mut Context<'_>,
    path: &[String],
    base: Option<&Table>,
    ours: &mut Table,
    theirs: &Table,
) {
    if ours.is_implicit() || ours.is_dotted() {
        return;
    }
    let text = |table: &Table| decor_text(table.decor());
    let (mine, other) = (text(ours), text(theirs));
    let old = base.map(text);
    if mine == other || old.as_ref() == Some(&other) {
        return;
    }
    if old.as_ref() == Some(&mine) {
        *ours.decor_mut() = theirs.decor().clone();
        return;
    }
    if mine.split_whitespace().eq(other.split_whitespace()) {
        return;
    }
    let header = |table: &Table| Value::from(header_text(table));
    cx.record(
        path,
        Part::Comment,
        base.map(header),
        Some(header(ours)),
        Some(header(theirs)),
    );
}

/// A table's header line with the comments before it, as written.
fn header_text(table: &Table) -> String {
    let decor = table.decor();
    format!("{}[…]{}", raw(decor.prefix()), raw(decor.suffix()))
}

fn raw(text: Option<&toml_edit::RawString>) -> &str {
    text.and_then(toml_edit::RawString::as_str).unwrap_or("")
}

fn decor_text(decor: &toml_edit::Decor) -> String {
    format!("{}\u{0}{}", raw(decor.prefix()), raw(decor.suffix()))
}

/// One key: theirs' change applied where ours did not change it, a
/// conflict recorded where both changed it differently.
fn merge_leaf(
    cx: &mut Context<'_>,
    path: &[String],
    key: &str,
    base: Option<(&Key, &Item)>,
    ours: &mut Table,
    theirs: &Table,
) {
    let theirs_entry = theirs.get_key_value(key);
    let full = |entry: Option<(&Key, &Item)>| entry.map(|(key, item)| entry_text(key, item));
    let mine = full(ours.get_key_value(key));
    let other = full(theirs_entry);
    if mine == other {
        return;
    }
    let old = full(base);
    if old == other {
        return;
    }
    if old == mine {
        match theirs_entry {
            None => {
                ours.remove(key);
            }
            Some((theirs_key, item)) => put(ours, theirs, theirs_key, item.clone()),
        }
        return;
    }
    // Both changed the key.
    let Some((ours_key, ours_item)) = ours.get_key_value(key) else {
        // Ours removed it, theirs changed it.
        cx.record(
            path,
            Part::Value,
            base.map(|(_, item)| item_value(item)),
            None,
            theirs_entry.map(|(_, item)| item_value(item)),
        );
        return;
    };
    let Some((theirs_key, theirs_item)) = theirs_entry else {
        cx.record(
            path,
            Part::Value,
            base.map(|(_, item)| item_value(item)),
            Some(item_value(ours_item)),
            None,
        );
        return;
    };
    let (Item::Value(ours_value), Item::Value(theirs_value)) = (ours_item, theirs_item) else {
        if !same_item(ours_item, theirs_item) {
            cx.record(
                path,
                Part::Value,
                base.map(|(_, item)| item_value(item)),
                Some(item_value(ours_item)),
                Some(item_value(theirs_item)),
            );
        }
        return;
    };
    let base_value = base.and_then(|(_, item)| item.as_value());

    // The value and the comments around it are merged apart: one side may
    // change the value and the other the comment.
    let bare = |value: &Value| super::record::value_text(value);
    let value_choice = match base_value.map(bare) {
        Some(old) if old == bare(theirs_value) => Choice::Ours,
        Some(old) if old == bare(ours_value) => Choice::Theirs,
        _ if same_value(ours_value, theirs_value) => Choice::Ours,
        _ => Choice::Conflict,
    };
    let around = |key: &Key, value: &Value| {
        format!(
            "{}\u{0}{}\u{0}{}",
            decor_text(key.leaf_decor()),
            raw(value.decor().prefix()),
            raw(value.decor().suffix())
        )
    };
    let (mine_around, other_around) = (
        around(ours_key, ours_value),
        around(theirs_key, theirs_value),
    );
    let old_around = base.and_then(|(key, item)| Some(around(key, item.as_value()?)));
    let comment_choice =
        if old_around.as_ref() == Some(&other_around) || mine_around == other_around {
            Choice::Ours
        } else if old_around.as_ref() == Some(&mine_around) {
            Choice::Theirs
        } else if mine_around
            .split_whitespace()
            .eq(other_around.split_whitespace())
        {
            Choice::Ours
        } else {
            Choice::Conflict
        };
    let mut new_key = ours_key.clone();
    let mut new_value = ours_value.clone();
    if value_choice == Choice::Theirs {
        let decor = new_value.decor().clone();
        new_value = theirs_value.clone();
        *new_value.decor_mut() = decor;
    }
    if comment_choice == Choice::Theirs {
        *new_key.leaf_decor_mut() = theirs_key.leaf_decor().clone();
        *new_value.decor_mut() = theirs_value.decor().clone();
    }
    if value_choice == Choice::Conflict {
        cx.record(
            path,
            Part::Value,
            base_value.map(|value| item_value(&Item::Value(value.clone()))),
            Some(item_value(ours_item)),
            Some(item_value(theirs_item)),
        );
    }
    if comment_choice == Choice::Conflict {
        cx.record(
            path,
            Part::Comment,
            base.map(|(key, item)| Value::from(entry_text(key, item))),
            Some(Value::from(entry_text(ours_key, ours_item))),
            Some(Value::from(entry_text(theirs_key, theirs_item))),
        );
    }
    if value_choice == Choice::Theirs || comment_choice == Choice::Theirs {
        ours.insert_formatted(&new_key, Item::Value(new_value));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Ours,
    Theirs,
    Conflict,
}

/// Sets `key` in `ours` to theirs' item: in place if ours has the key,
/// else after the key that comes before it in theirs.
fn put(ours: &mut Table, theirs: &Table, key: &Key, mut item: Item) {
    forget_positions(&mut item);
    let name = key.get().to_owned();
    if ours.contains_key(&name) {
        ours.insert_formatted(key, item);
        return;
    }
    let after = theirs
        .iter()
        .map(|(k, _)| k)
        .take_while(|k| *k != name)
        .filter(|k| ours.contains_key(k))
        .last()
        .map(str::to_owned);
    ours.insert_formatted(key, item);
    let mut order: Vec<String> = ours
        .iter()
        .map(|(k, _)| k.to_owned())
        .filter(|k| *k != name)
        .collect();
    let at = match &after {
        Some(after) => order
            .iter()
            .position(|k| k == after)
            .map_or(order.len(), |i| i + 1),
        None => 0,
    };
    order.insert(at, name);
    ours.sort_values_by(|a, _, b, _| {
        let rank = |k: &Key| {
            order
                .iter()
                .position(|o| o == k.get())
                .unwrap_or(usize::MAX)
        };
        rank(a).cmp(&rank(b))
    });
}

/// Tables taken from theirs follow the table before them when written,
/// instead of a place in theirs' file.
pub fn forget_positions(item: &mut Item) {
    match item {
        Item::Table(table) => forget_table_positions(table),
        Item::ArrayOfTables(array) => {
            for table in array.iter_mut() {
                forget_table_positions(table);
            }
        }
        _ => {}
    }
}

fn forget_table_positions(table: &mut Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        forget_positions(item);
    }
}

/// A key and its item as written, with every comment around them.
fn entry_text(key: &Key, item: &Item) -> String {
    let decor = key.leaf_decor();
    let value = match item {
        Item::Value(value) => value.to_string(),
        Item::Table(table) => {
            let mut document = DocumentMut::new();
            document.insert(key.get(), Item::Table(table.clone()));
            document.to_string()
        }
        Item::ArrayOfTables(array) => {
            let mut document = DocumentMut::new();
            document.insert(key.get(), Item::ArrayOfTables(array.clone()));
            document.to_string()
        }
        Item::None => String::new(),
    };
    format!(
        "{}{}{}={}",
        raw(decor.prefix()),
        key.display_repr(),
        raw(decor.suffix()),
        value
    )
}

/// Whether two items hold the same data, however written.
pub fn same_item(left: &Item, right: &Item) -> bool {
    match (left, right) {
        (Item::Value(left), Item::Value(right)) => same_value(left, right),
        (Item::Table(left), Item::Table(right)) => same_table(left, right),
        (Item::ArrayOfTables(left), Item::ArrayOfTables(right)) => {
            left.len() == right.len()
                && left.iter().zip(right.iter()).all(|(l, r)| same_table(l, r))
        }
        (Item::Table(table), Item::Value(Value::InlineTable(inline)))
        | (Item::Value(Value::InlineTable(inline)), Item::Table(table)) => {
            same_table(table, &inline.clone().into_table())
        }
        (Item::None, Item::None) => true,
        _ => false,
    }
}

fn same_table(left: &Table, right: &Table) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .all(|(key, item)| right.get(key).is_some_and(|other| same_item(item, other)))
}

/// Whether two values are equal as data.
pub fn same_value(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::String(l), Value::String(r)) => l.value() == r.value(),
        (Value::Integer(l), Value::Integer(r)) => l.value() == r.value(),
        (Value::Float(l), Value::Float(r)) => {
            l.value() == r.value() || l.value().is_nan() && r.value().is_nan()
        }
        (Value::Boolean(l), Value::Boolean(r)) => l.value() == r.value(),
        (Value::Datetime(l), Value::Datetime(r)) => l.value() == r.value(),
        (Value::Array(l), Value::Array(r)) => {
            l.len() == r.len() && l.iter().zip(r.iter()).all(|(l, r)| same_value(l, r))
        }
        (Value::InlineTable(l), Value::InlineTable(r)) => {
            l.len() == r.len()
                && l.iter()
                    .all(|(key, value)| r.get(key).is_some_and(|other| same_value(value, other)))
        }
        _ => false,
    }
}
