//! The three-way merge of two versions of a plan by entity and field
//! (`gantry merge`, a git merge driver).
//!
//! Each text is cut into units, one per entity table (`units`), and the
//! units of the three versions are paired by entity (`pairing`). A unit
//! only one side changed is taken whole from that side, its text as
//! written there; a unit both changed is merged field by field
//! (`tables`), and what both changed differently keeps ours' value and is
//! recorded in a `[[conflict]]` table (`record`). The order of units is
//! ours', with theirs' additions placed after the unit that comes before
//! them in theirs, and theirs' moves made where ours did not move the unit.
//!
//! The result keeps ours' bytes wherever theirs changed nothing, ours' byte
//! order mark and line endings included.

mod record;
mod tables;
mod units;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

pub use record::{Conflict, Part};
use units::{Unit, UnitKey, Units};

use super::pairing::Identity;

/// One of the three versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Base,
    Ours,
    Theirs,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Base => "the base",
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// A version is not TOML where its tables are cut apart.
    #[error("{} is not TOML at byte {offset}: {message}", side.name())]
    NotToml {
        side: Side,
        /// A byte offset in that version's text, without its byte order mark.
        offset: usize,
        message: &'static str,
    },
}

/// The merged text and what could not be decided.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The plan to write, `[[conflict]]` tables included.
    pub text: String,
    /// Each conflict recorded in `text`, in its order.
    pub conflicts: Vec<Conflict>,
}

/// Merges `ours` and `theirs`, two versions of a plan made from `base`.
pub fn merge(base: &str, ours: &str, theirs: &str) -> Result<Merged, MergeError> {
    let base_text = normalize(base);
    let ours_text = normalize(ours);
    let theirs_text = normalize(theirs);
    fn cut(text: &str, side: Side) -> Result<Units<'_>, MergeError> {
        units::cut(text).map_err(|error| MergeError::NotToml {
            side,
            offset: error.offset,
            message: error.message,
        })
    }
    let base_units = cut(&base_text, Side::Base)?;
    let ours_units = cut(&ours_text, Side::Ours)?;
    let theirs_units = cut(&theirs_text, Side::Theirs)?;
    let sides = Sides {
        base: &base_units,
        ours: &ours_units,
        theirs: &theirs_units,
    };

    let mut conflicts = Vec::new();
    let outcomes = sides.decide(&mut conflicts);
    let mut text = String::with_capacity(ours_text.len() + theirs_text.len() / 8);
    for key in sides.order(&outcomes) {
        let piece = match outcomes.get(key) {
            Some(Outcome::Ours) => sides.ours.get(key).map_or("", |unit| unit.text),
            Some(Outcome::Theirs) => sides.theirs.get(key).map_or("", |unit| unit.text),
            Some(Outcome::Text(text)) => text.as_str(),
            Some(Outcome::Gone) | None => "",
        };
        push_piece(&mut text, piece);
    }
    push_piece(&mut text, &record::render(&conflicts));

    let ours_without_mark = ours.strip_prefix('\u{feff}').unwrap_or(ours);
    let mut text = super::endings::restore(ours_without_mark, text);
    if ours.starts_with('\u{feff}') {
        text.insert(0, '\u{feff}');
    }
    Ok(Merged { text, conflicts })
}

/// The text to merge: no byte order mark, "\n" line endings.
fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Appends a unit's text, on a line of its own.
fn push_piece(text: &mut String, piece: &str) {
    if piece.is_empty() {
        return;
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(piece);
}

/// What the merged plan holds for one unit.
#[derive(Debug, Clone)]
enum Outcome {
    Ours,
    Theirs,
    Text(String),
    Gone,
}

struct Sides<'s, 'a> {
    base: &'s Units<'a>,
    ours: &'s Units<'a>,
    theirs: &'s Units<'a>,
}

impl<'s, 'a> Sides<'s, 'a> {
    /// Every unit's outcome, recording conflicts in the order of ours'
    /// units, then theirs'.
    fn decide(&self, conflicts: &mut Vec<Conflict>) -> HashMap<&'s UnitKey, Outcome> {
        let mut outcomes = HashMap::with_capacity(self.ours.units.len() + 16);
        let keys = self
            .ours
            .units
            .iter()
            .chain(
                self.theirs
                    .units
                    .iter()
                    .filter(|unit| !self.ours.index.contains_key(&unit.key)),
            )
            .chain(self.base.units.iter().filter(|unit| {
                !self.ours.index.contains_key(&unit.key)
                    && !self.theirs.index.contains_key(&unit.key)
            }));
        for unit in keys {
            let key = &unit.key;
            let outcome = decide(
                key,
                self.base.get(key),
                self.ours.get(key),
                self.theirs.get(key),
                conflicts,
            );
            outcomes.insert(key, outcome);
        }
        outcomes
    }

    /// The order of the merged units: ours', less what is gone and what
    /// theirs moved, with theirs' additions and moves each placed after
    /// the unit before it in theirs (and after what ours added there).
    fn order(&self, outcomes: &HashMap<&'s UnitKey, Outcome>) -> Vec<&'s UnitKey> {
        let kept = |key: &UnitKey| !matches!(outcomes.get(key), Some(Outcome::Gone) | None);
        let moved_by_theirs = moved(self.base, self.theirs);
        let moved_by_ours = moved(self.base, self.ours);
        let relocated = |key: &UnitKey| {
            moved_by_theirs.contains(key)
                && !moved_by_ours.contains(key)
                && self.ours.index.contains_key(key)
        };
        let ours_order: Vec<&UnitKey> = self
            .ours
            .units
            .iter()
            .map(|unit| &unit.key)
            .filter(|key| kept(key) && !relocated(key))
            .collect();
        let place_in_ours: HashMap<&UnitKey, usize> = ours_order
            .iter()
            .enumerate()
            .map(|(index, key)| (*key, index))
            .collect();
        let added_by_ours = |key: &UnitKey| {
            !self.base.index.contains_key(key) && !self.theirs.index.contains_key(key)
        };

        let mut after: HashMap<&UnitKey, Vec<&UnitKey>> = HashMap::new();
        let mut before: HashMap<&UnitKey, Vec<&UnitKey>> = HashMap::new();
        let Some(&root) = ours_order.first() else {
            return ours_order;
        };
        let base_index = |key: &UnitKey| self.base.index.get(key).copied();
        // Whether theirs put `first` before `second` where the base had
        // them the other way round.
        let inverted = |first: &UnitKey, second: &UnitKey| matches!((base_index(first), base_index(second)), (Some(a), Some(b)) if b < a);
        let mut anchor: &UnitKey = root;
        for (position, unit) in self.theirs.units.iter().enumerate() {
            let key = &unit.key;
            match key {
                UnitKey::Root => {
                    anchor = root;
                    continue;
                }
                UnitKey::End => continue,
                UnitKey::Table(_) => {}
            }
            if !kept(key) {
                continue;
            }
            if let Some(&index) = place_in_ours.get(key) {
                anchor = ours_order[index];
                continue;
            }
            // A move of theirs is kept against the neighbour it was made
            // against: after the unit before it if theirs put it after that
            // one, else before the unit after it if theirs put it before
            // that one. (Which of two swapped units moved cannot be told;
            // this keeps what theirs changed either way.)
            if self.base.index.contains_key(key) && !inverted(anchor, key) {
                let next = self.theirs.units[position + 1..]
                    .iter()
                    .map(|unit| &unit.key)
                    .find(|next| kept(next) && **next != UnitKey::End);
                if let Some(next) = next
                    && let Some(&index) = place_in_ours.get(next)
                    && inverted(key, next)
                {
                    before.entry(ours_order[index]).or_default().push(key);
                    anchor = key;
                    continue;
                }
            }
            // Added by theirs, or moved after the anchor: placed after it,
            // past what ours added right after it.
            let mut target = anchor;
            if let Some(&start) = place_in_ours.get(anchor) {
                let mut index = start;
                while let Some(next) = ours_order.get(index + 1) {
                    if **next == UnitKey::End || !added_by_ours(next) {
                        break;
                    }
                    index += 1;
                }
                target = ours_order[index];
            }
            after.entry(target).or_default().push(key);
            anchor = key;
        }

        let placed = after
            .values()
            .chain(before.values())
            .map(Vec::len)
            .sum::<usize>();
        let mut order = Vec::with_capacity(ours_order.len() + placed);
        enum Step<'k> {
            Visit(&'k UnitKey),
            Emit(&'k UnitKey),
        }
        for key in &ours_order {
            let mut stack = vec![Step::Visit(key)];
            while let Some(step) = stack.pop() {
                match step {
                    Step::Emit(key) => order.push(key),
                    Step::Visit(key) => {
                        if let Some(children) = after.get(key) {
                            stack.extend(children.iter().rev().map(|child| Step::Visit(child)));
                        }
                        stack.push(Step::Emit(key));
                        if let Some(children) = before.get(key) {
                            stack.extend(children.iter().rev().map(|child| Step::Visit(child)));
                        }
                    }
                }
            }
        }
        order
    }
}

/// The units `side` moved since `base`: among the units both hold, those
/// outside a longest run kept in base's order.
fn moved<'a>(base: &Units<'_>, side: &'a Units<'_>) -> HashSet<&'a UnitKey> {
    let common: Vec<(&UnitKey, usize)> = side
        .units
        .iter()
        .filter(|unit| matches!(unit.key, UnitKey::Table(_)))
        .filter_map(|unit| Some((&unit.key, *base.index.get(&unit.key)?)))
        .collect();
    let in_order = longest_increasing(&common.iter().map(|(_, index)| *index).collect::<Vec<_>>());
    common
        .iter()
        .zip(in_order)
        .filter(|(_, kept)| !kept)
        .map(|((key, _), _)| *key)
        .collect()
}

/// Marks the elements of one longest strictly increasing subsequence.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    // `tails[k]`: the index of the smallest last value of an increasing
    // run of length k + 1 seen so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (index, &value) in values.iter().enumerate() {
        let length = tails.partition_point(|&tail| values[tail] < value);
        previous[index] = length.checked_sub(1).map(|k| tails[k]);
        if length == tails.len() {
            tails.push(index);
        } else {
            tails[length] = index;
        }
    }
    let mut marks = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(index) = at {
        marks[index] = true;
        at = previous[index];
    }
    marks
}

/// The outcome of one unit from its three versions.
fn decide<'a>(
    key: &UnitKey,
    base: Option<&Unit<'a>>,
    ours: Option<&Unit<'a>>,
    theirs: Option<&Unit<'a>>,
    conflicts: &mut Vec<Conflict>,
) -> Outcome {
    let text = |unit: Option<&Unit<'a>>| unit.map(|unit| unit.text);
    let (old, mine, other) = (text(base), text(ours), text(theirs));
    if mine == other || old == other {
        return if mine.is_some() {
            Outcome::Ours
        } else {
            Outcome::Gone
        };
    }
    if old == mine {
        return if other.is_some() {
            Outcome::Theirs
        } else {
            Outcome::Gone
        };
    }
    // Both sides changed the unit.
    let (kind, identity, occurrence, path) = describe_unit(key, ours.or(theirs).or(base));
    let whole = |unit: Option<&Unit<'_>>| unit.map(|unit| tables::unit_value(unit.text, &path));
    match (base, ours, theirs) {
        (Some(base), Some(ours), Some(theirs)) => {
            if *key == UnitKey::End {
                return end_outcome(base.text, ours.text, theirs.text, conflicts);
            }
            let mut cx = tables::Context {
                kind: kind.as_deref(),
                identity: &identity,
                occurrence,
                skip: path.len(),
                conflicts,
            };
            match tables::merge_unit(&mut cx, base.text, ours.text, theirs.text) {
                Some(text) if text == ours.text => Outcome::Ours,
                Some(text) if text == theirs.text => Outcome::Theirs,
                Some(text) => Outcome::Text(text),
                None => {
                    conflicts.push(Conflict {
                        kind,
                        identity,
                        occurrence,
                        key: None,
                        part: Part::Value,
                        base: Some(base.text.into()),
                        ours: Some(ours.text.into()),
                        theirs: Some(theirs.text.into()),
                    });
                    Outcome::Ours
                }
            }
        }
        (None, Some(ours_unit), Some(theirs_unit))
            if tables::same_content(ours_unit.text, theirs_unit.text) =>
        {
            // Added on both sides alike: ours' text.
            Outcome::Ours
        }
        _ => {
            // Removed on one side and changed on the other, or added on
            // both with one name: the whole entity, ours kept.
            conflicts.push(Conflict {
                kind,
                identity,
                occurrence,
                key: None,
                part: Part::Value,
                base: whole(base),
                ours: whole(ours),
                theirs: whole(theirs),
            });
            if ours.is_some() {
                Outcome::Ours
            } else {
                Outcome::Gone
            }
        }
    }
}

/// How a conflict names a unit: its table, identity, occurrence, and the
/// path of keys that leads to its table.
fn describe_unit(
    key: &UnitKey,
    unit: Option<&Unit<'_>>,
) -> (Option<String>, Identity, usize, Vec<String>) {
    match key {
        UnitKey::Table(key) => (
            Some(key.table.clone()),
            key.identity.clone(),
            key.occurrence,
            unit.map(|unit| unit.path.clone())
                .unwrap_or_else(|| vec![key.table.clone()]),
        ),
        UnitKey::Root | UnitKey::End => (None, Identity::Table, 1, Vec::new()),
    }
}

/// The comments at the end of the file, changed on both sides.
fn end_outcome(base: &str, ours: &str, theirs: &str, conflicts: &mut Vec<Conflict>) -> Outcome {
    if ours.split_whitespace().eq(theirs.split_whitespace()) {
        return Outcome::Ours;
    }
    conflicts.push(Conflict {
        kind: None,
        identity: Identity::Table,
        occurrence: 1,
        key: None,
        part: Part::Comment,
        base: Some(base.into()),
        ours: Some(ours.into()),
        theirs: Some(theirs.into()),
    });
    Outcome::Ours
}

#[cfg(test)]
mod tests;
