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
pub(super) mod tables;
mod units;

use std::borrow::Cow;

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
    let sides = Sides::new(&base_units, &ours_units, &theirs_units);

    let mut conflicts = Vec::new();
    let outcomes = sides.decide(&mut conflicts);
    let order = sides.order(&outcomes);
    let mut text = String::with_capacity(ours_text.len() + theirs_text.len() / 8);
    for id in order {
        let piece = match &outcomes[id] {
            Outcome::Ours => sides.unit(OURS, id).map_or("", |unit| unit.text),
            Outcome::Theirs => sides.unit(THEIRS, id).map_or("", |unit| unit.text),
            Outcome::Text(text) => text.as_str(),
            Outcome::Gone => "",
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

const BASE: usize = 0;
const OURS: usize = 1;
const THEIRS: usize = 2;

/// The units of the three versions, each unit key numbered once: an
/// entity is a number from here on, and every table about entities is a
/// vector indexed by it.
struct Sides<'s, 'a> {
    units: [&'s Units<'a>; 3],
    /// Each number's key.
    keys: Vec<&'s UnitKey>,
    /// For each version, where each number's unit is among its units.
    at: [Vec<Option<usize>>; 3],
}

impl<'s, 'a> Sides<'s, 'a> {
    fn new(base: &'s Units<'a>, ours: &'s Units<'a>, theirs: &'s Units<'a>) -> Self {
        let units = [base, ours, theirs];
        let total = base.units.len().max(ours.units.len()) + theirs.units.len() / 8 + 16;
        let mut numbers: rustc_hash::FxHashMap<&'s UnitKey, usize> = Default::default();
        numbers.reserve(total);
        let mut keys: Vec<&'s UnitKey> = Vec::with_capacity(total);
        let mut at: [Vec<Option<usize>>; 3] = Default::default();
        // Ours first, so that numbers follow ours' order where they can.
        for side in [OURS, THEIRS, BASE] {
            for (index, unit) in units[side].units.iter().enumerate() {
                let number = *numbers.entry(&unit.key).or_insert_with(|| {
                    keys.push(&unit.key);
                    keys.len() - 1
                });
                let slots = &mut at[side];
                if slots.len() <= number {
                    slots.resize(number + 1, None);
                }
                slots[number] = Some(index);
            }
        }
        for slots in &mut at {
            slots.resize(keys.len(), None);
        }
        Sides { units, keys, at }
    }

    fn unit(&self, side: usize, id: usize) -> Option<&'s Unit<'a>> {
        let index = self.at[side][id]?;
        self.units[side].units.get(index)
    }

    fn has(&self, side: usize, id: usize) -> bool {
        self.at[side][id].is_some()
    }

    /// Every unit's outcome, recording conflicts in the order of ours'
    /// units, then theirs'.
    fn decide(&self, conflicts: &mut Vec<Conflict>) -> Vec<Outcome> {
        (0..self.keys.len())
            .map(|id| {
                decide(
                    self.keys[id],
                    self.unit(BASE, id),
                    self.unit(OURS, id),
                    self.unit(THEIRS, id),
                    conflicts,
                )
            })
            .collect()
    }

    /// The numbers of `side`'s units, in its order.
    fn sequence(&self, side: usize) -> Vec<usize> {
        let mut sequence = vec![0; self.units[side].units.len()];
        for (id, index) in self.at[side].iter().enumerate() {
            if let Some(index) = index {
                sequence[*index] = id;
            }
        }
        sequence
    }

    /// The units `side` moved since the base: among the units both hold,
    /// those outside a longest run kept in the base's order.
    fn moved(&self, side: usize) -> Vec<bool> {
        let common: Vec<usize> = self
            .sequence(side)
            .into_iter()
            .filter(|&id| matches!(self.keys[id], UnitKey::Table(_)) && self.has(BASE, id))
            .collect();
        let base_order: Vec<usize> = common.iter().filter_map(|&id| self.at[BASE][id]).collect();
        let mut moved = vec![false; self.keys.len()];
        for (&id, kept) in common.iter().zip(longest_increasing(&base_order)) {
            moved[id] = !kept;
        }
        moved
    }

    /// The order of the merged units: ours', less what is gone and what
    /// theirs moved, with theirs' additions and moves each placed after
    /// the unit before it in theirs (and after what ours added there).
    fn order(&self, outcomes: &[Outcome]) -> Vec<usize> {
        let kept = |id: usize| !matches!(outcomes[id], Outcome::Gone);
        let moved_by_theirs = self.moved(THEIRS);
        let moved_by_ours = self.moved(OURS);
        let relocated = |id: usize| moved_by_theirs[id] && !moved_by_ours[id] && self.has(OURS, id);
        let ours_order: Vec<usize> = self
            .sequence(OURS)
            .into_iter()
            .filter(|&id| kept(id) && !relocated(id))
            .collect();
        let mut place_in_ours: Vec<Option<usize>> = vec![None; self.keys.len()];
        for (place, &id) in ours_order.iter().enumerate() {
            place_in_ours[id] = Some(place);
        }
        let is_end = |id: usize| *self.keys[id] == UnitKey::End;
        let added_by_ours = |id: usize| !self.has(BASE, id) && !self.has(THEIRS, id);
        // Whether theirs put `first` before `second` where the base had
        // them the other way round.
        let inverted = |first: usize, second: usize| matches!((self.at[BASE][first], self.at[BASE][second]), (Some(a), Some(b)) if b < a);

        let mut after: Vec<Vec<usize>> = vec![Vec::new(); self.keys.len()];
        let mut before: Vec<Vec<usize>> = vec![Vec::new(); self.keys.len()];
        let Some(&root) = ours_order.first() else {
            return ours_order;
        };
        let theirs_order = self.sequence(THEIRS);
        let mut anchor = root;
        for (position, &id) in theirs_order.iter().enumerate() {
            match self.keys[id] {
                UnitKey::Root => {
                    anchor = root;
                    continue;
                }
                UnitKey::End => continue,
                UnitKey::Table(_) => {}
            }
            if !kept(id) {
                continue;
            }
            if place_in_ours[id].is_some() {
                anchor = id;
                continue;
            }
            // A move of theirs is kept against the neighbour it was made
            // against: after the unit before it if theirs put it after that
            // one, else before the unit after it if theirs put it before
            // that one. (Which of two swapped units moved cannot be told;
            // this keeps what theirs changed either way.)
            if self.has(BASE, id) && !inverted(anchor, id) {
                let next = theirs_order[position + 1..]
                    .iter()
                    .copied()
                    .find(|&next| kept(next) && !is_end(next));
                if let Some(next) = next
                    && place_in_ours[next].is_some()
                    && inverted(id, next)
                {
                    before[next].push(id);
                    anchor = id;
                    continue;
                }
            }
            // Added by theirs, or moved after the anchor: placed after it,
            // past what ours added right after it.
            let mut target = anchor;
            if let Some(start) = place_in_ours[anchor] {
                let mut place = start;
                while let Some(&next) = ours_order.get(place + 1) {
                    if is_end(next) || !added_by_ours(next) {
                        break;
                    }
                    place += 1;
                }
                target = ours_order[place];
            }
            after[target].push(id);
            anchor = id;
        }

        enum Step {
            Visit(usize),
            Emit(usize),
        }
        let mut order = Vec::with_capacity(self.keys.len());
        for &id in &ours_order {
            let mut stack = vec![Step::Visit(id)];
            while let Some(step) = stack.pop() {
                match step {
                    Step::Emit(id) => order.push(id),
                    Step::Visit(id) => {
                        stack.extend(after[id].iter().rev().map(|&child| Step::Visit(child)));
                        stack.push(Step::Emit(id));
                        stack.extend(before[id].iter().rev().map(|&child| Step::Visit(child)));
                    }
                }
            }
        }
        order
    }
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
