//! Reading, editing and saving plan files. The only module that touches the
//! disk or `toml_edit`.
//!
//! The parsed document is kept beside the model: an edit patches the one
//! table whose `id` matches, so everything the edit did not touch is written
//! back byte for byte.

mod chunks;
mod edit;
mod editable;
mod endings;
mod fields;
mod input;
mod load;
mod lock;
pub mod merge;
pub mod pairing;
mod render;
mod resolve;
mod save;
mod source;
mod syntax;
mod tree;

use std::path::{Path, PathBuf};

use crate::diagnostic::{self, Diagnostic};
use crate::model::Plan;

pub use edit::{
    Edit, EditError, RiskField, TaskField, parse_depends, parse_depends_with, toml_date,
};
pub use input::{MAX_PLAN_BYTES, read_bytes, read_regular};
pub use load::{EntityKind, TOP_LEVEL_KEYS, limits};
pub use resolve::Pick;
pub use save::{
    SaveError, SaveOutcome, Saved, split_links_warning, tidy, write_atomically,
    write_atomically_like,
};

/// Writes `text` to the plan at `path` (or creates it), atomically: for
/// commands that make a whole plan (`import`, `merge`). It is written under
/// the lock of its folder, as every save is, so a save of another text at
/// the same moment cannot write over it unseen; where the folder cannot be
/// locked, a lock file is taken only when one is there already, so none is
/// made beside a new file (or git's temporary one). With
/// `expected` (what was read from the file), a file that changed since is
/// refused; without, whatever is there is replaced.
pub fn write_plan(path: &Path, expected: Option<&str>, text: &str) -> Result<Saved, SaveError> {
    save::save_with(
        path,
        expected.unwrap_or(""),
        text,
        expected.is_none(),
        save::Locking::IfPresent,
    )
}

/// A plan read from text: the model and every problem found in it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub plan: Plan,
    /// Sorted by position; may hold errors (the plan is still usable in part).
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Problems that stop a plan from being read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is a folder, not a plan file; give the path of the plan inside it", path.display())]
    IsDirectory { path: PathBuf },
    /// A FIFO, a device or a socket: never read, as it may never end.
    #[error("{} is {kind}, not a plan file; give the path of a regular file", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "{} holds {} ({size} bytes); a plan may hold at most {}, so it was not read",
        path.display(),
        input::describe_size(*size),
        input::describe_size(input::MAX_PLAN_BYTES)
    )]
    TooLarge { path: PathBuf, size: u64 },
    /// The text is not TOML (or not UTF-8): nothing can be shown or saved.
    #[error("{} is not a valid TOML plan", path.display())]
    Syntax {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
}

/// Parses and validates plan text. `Err` holds syntax errors only: a plan
/// that parses always gives a model, with its problems as diagnostics.
///
/// Reads with `toml`'s spanned parser, which borrows the text and is more
/// than twice as fast as the format-preserving one; the result is exactly
/// what [`parse_str_with_document`] gives.
pub fn parse_str(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    read_fast(text).map(|(loaded, _)| loaded)
}

/// [`parse_str`] through `toml_edit`'s format-preserving document, the
/// tree edits are made in. The same model and problems, more slowly: for
/// the tests that hold the two paths equal, and for benchmarks.
#[doc(hidden)]
pub fn parse_str_with_document(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    parse_document(text).map(|(loaded, _, _)| loaded)
}

/// [`parse_str`] with the text cut into pieces of about `piece` bytes;
/// None when the pieces cannot be read alone (see `store/chunks.rs`). For
/// the tests that cut small plans into many pieces.
#[doc(hidden)]
pub fn parse_str_in_pieces(text: &str, piece: usize) -> Option<Loaded> {
    let source = source::Source::new(text);
    let (plan, reader) = chunks::read_in(text, &source, piece)?;
    Some(finish_reading(plan, reader).0)
}

/// The model and its problems by the fast parser. Where that parser fails,
/// or holds a number `toml_edit` would refuse (an integer beyond 64 bits),
/// the format-preserving parser reads the text instead, so a syntax error
/// is always reported in its words and a text is TOML for both or neither.
fn read_fast(text: &str) -> Result<(Loaded, Extraction), Vec<Diagnostic>> {
    let source = source::Source::new(text);
    // A large plan in pieces, to hold one piece's tree at a time...
    if let Some((plan, reader)) = chunks::read(text, &source) {
        return Ok(finish_reading(plan, reader));
    }
    // ...else in one tree, where pieces could not be read alone...
    if let Ok(root) = toml::de::DeTable::parse(text)
        && tree::numbers_fit(root.get_ref())
        // Merge conflicts keep their values as toml_edit writes them.
        && !root.get_ref().contains_key("conflict")
    {
        let mut reader = fields::Reader::new(Some(&source));
        let plan = load::plan(&mut reader, tree::Table::fast(root.get_ref(), text, 0));
        return Ok(finish_reading(plan, reader));
    }
    // ...and with `toml_edit` where that fails, for its words.
    parse_document(text).map(|(loaded, extraction, _)| (loaded, extraction))
}

fn parse_document(
    text: &str,
) -> Result<(Loaded, Extraction, toml_edit::Document<&str>), Vec<Diagnostic>> {
    let document = toml_edit::Document::parse(text)
        .map_err(|error| vec![syntax::diagnostic(text, error.span(), error.message())])?;
    let source = source::Source::new(text);
    let mut reader = fields::Reader::new(Some(&source));
    let root = tree::Table::Edit(document.as_table() as &dyn toml_edit::TableLike);
    let plan = load::plan(&mut reader, root);
    let (loaded, extraction) = finish_reading(plan, reader);
    Ok((loaded, extraction, document))
}

/// Validates a plan just read, keeping the reading problems of each entity apart.
fn finish_reading(mut plan: Plan, reader: fields::Reader<'_>) -> (Loaded, Extraction) {
    let mut extraction = Extraction::from_reader(reader);
    extraction.validation = crate::validate::validate(&mut plan);
    let diagnostics = extraction.combined();
    (Loaded { plan, diagnostics }, extraction)
}

/// The problems found while reading each table, kept apart so an edit of
/// one entity replaces only that entity's.
#[derive(Debug, Clone, Default)]
struct Extraction {
    /// Problems outside entity tables and single tables (unknown tables,
    /// keys before the tables...).
    other: Vec<Diagnostic>,
    by_entity: std::collections::HashMap<(EntityKind, usize), Vec<Diagnostic>>,
    /// Problems of each single table (`[project]`, `[handover]`...; see
    /// `load::SINGLE_TABLES`), the project's absence among the project's.
    by_single: std::collections::HashMap<&'static str, Vec<Diagnostic>>,
    /// What the last validation of the whole plan found.
    validation: Vec<Diagnostic>,
}

impl Extraction {
    fn from_reader(reader: fields::Reader<'_>) -> Extraction {
        let mut owned = vec![None; reader.diagnostics.len()];
        for (kind, index, range) in &reader.owners {
            for slot in &mut owned[range.clone()] {
                *slot = Some((*kind, *index));
            }
        }
        let mut extraction = Extraction::default();
        for (diagnostic, owner) in reader.diagnostics.into_iter().zip(owned) {
            match owner {
                Some(owner) => extraction
                    .by_entity
                    .entry(owner)
                    .or_default()
                    .push(diagnostic),
                None => match load::SINGLE_TABLES
                    .iter()
                    .find(|&&key| key == diagnostic.subject.table)
                {
                    Some(&key) => extraction
                        .by_single
                        .entry(key)
                        .or_default()
                        .push(diagnostic),
                    None => extraction.other.push(diagnostic),
                },
            }
        }
        extraction
    }

    /// Gives the problems of each entity of `kind` the index `new` maps its
    /// old index to, dropping those it maps to None.
    fn reindex(&mut self, kind: EntityKind, new: impl Fn(usize) -> Option<usize>) {
        let keys: Vec<(EntityKind, usize)> = self
            .by_entity
            .keys()
            .filter(|(k, _)| *k == kind)
            .copied()
            .collect();
        let moved: Vec<(usize, Vec<Diagnostic>)> = keys
            .into_iter()
            .filter_map(|key| Some((new(key.1)?, self.by_entity.remove(&key)?)))
            .collect();
        self.by_entity.retain(|(k, _), _| *k != kind);
        for (index, diagnostics) in moved {
            self.by_entity.insert((kind, index), diagnostics);
        }
    }

    /// Every problem, the validation's too, sorted by position.
    fn combined(&self) -> Vec<Diagnostic> {
        let mut diagnostics: Vec<Diagnostic> = self
            .other
            .iter()
            .chain(self.by_entity.values().flatten())
            .chain(self.by_single.values().flatten())
            .chain(&self.validation)
            .cloned()
            .collect();
        diagnostic::sort(&mut diagnostics);
        diagnostics
    }
}

/// Decodes file bytes, locating invalid UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|error| {
        let pos = source::utf8_error_pos(error.as_bytes(), &error.utf8_error());
        Diagnostic::error(pos, "the file is not UTF-8 text; save it as UTF-8")
    })
}

/// The text of the plan file at `path`, read as every plan is (only a
/// regular file, only up to `MAX_PLAN_BYTES`); None when it cannot be read
/// or is not UTF-8. For a look at what is on disk now (the app watching
/// its file): a FIFO put in the plan's place is never waited on.
pub fn read_text_if_readable(path: &Path) -> Option<String> {
    String::from_utf8(input::read_bytes(path).ok()?).ok()
}

/// Reads a plan file to look at, not to edit: cheaper than `PlanFile::open`,
/// which also keeps an editable copy of the document.
pub fn read(path: &Path) -> Result<Loaded, LoadError> {
    let text = read_text(path)?;
    parse_str(&text).map_err(|diagnostics| LoadError::Syntax {
        path: path.to_owned(),
        diagnostics,
    })
}

fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = input::read_bytes(path)?;
    decode(bytes).map_err(|diagnostic| LoadError::Syntax {
        path: path.to_owned(),
        diagnostics: vec![diagnostic],
    })
}

/// A plan file open for editing: its model, its document and what was on disk.
#[derive(Debug)]
pub struct PlanFile {
    /// The path as given (a symlink stays a symlink: saves write its target).
    pub path: PathBuf,
    pub plan: Plan,
    pub diagnostics: Vec<Diagnostic>,
    extraction: Extraction,
    /// Where each id's table is, per kind: built when first needed and
    /// dropped by any edit that adds, removes, moves or renames a table.
    positions: std::cell::RefCell<std::collections::HashMap<EntityKind, edit::IdIndex>>,
    /// The format-preserving document edits patch; perhaps still being
    /// parsed on a thread of its own (`open_deferred`).
    document: editable::Editable,
    /// The document's text, kept current edit by edit.
    rendering: std::cell::RefCell<render::Rendering>,
    /// The bytes last read from or written to disk, to notice changes made by others.
    on_disk: String,
    /// Whether edits since the last parse may have moved lines: positions
    /// in `plan` and `diagnostics` are then those of that parse, or the
    /// edited entity's table (see `locate`).
    moved: bool,
    /// How many hard links the file had, when the last save replaced one
    /// that had more than one (see `split_links`).
    split_links: Option<u64>,
    /// Whether `on_disk` was read from or written to the file: then a file
    /// gone from disk was deleted by someone, and a save does not quietly
    /// make it again.
    from_disk: bool,
}

impl PlanFile {
    /// Reads a plan to edit it, first removing any temporary file that a
    /// killed save left beside it.
    pub fn open(path: &Path) -> Result<PlanFile, LoadError> {
        let text = read_text(path)?;
        save::tidy(path);
        let mut file = Self::from_text(path, text)?;
        file.from_disk = true;
        Ok(file)
    }

    /// A plan file from text already read; `path` is where it will be saved.
    pub fn from_text(path: &Path, text: String) -> Result<PlanFile, LoadError> {
        let (loaded, extraction, document) =
            parse_document(&text).map_err(|diagnostics| LoadError::Syntax {
                path: path.to_owned(),
                diagnostics,
            })?;
        let document = editable::Editable::ready(document.into_mut());
        Ok(PlanFile {
            path: path.to_owned(),
            plan: loaded.plan,
            diagnostics: loaded.diagnostics,
            extraction,
            positions: Default::default(),
            document,
            rendering: std::cell::RefCell::new(render::Rendering::parsed_from(&text)),
            on_disk: text,
            moved: false,
            split_links: None,
            from_disk: false,
        })
    }

    /// Reads a plan to edit it, with the model from the fast read path at
    /// once and the editable document parsed on a thread of its own: for
    /// the app, which shows the plan before the document is needed. The
    /// first edit, save or look at the text waits for the document.
    pub fn open_deferred(path: &Path) -> Result<PlanFile, LoadError> {
        let text = read_text(path)?;
        save::tidy(path);
        let mut file = Self::from_text_deferred(path, text)?;
        file.from_disk = true;
        Ok(file)
    }

    /// `open_deferred` on text already read.
    pub fn from_text_deferred(path: &Path, text: String) -> Result<PlanFile, LoadError> {
        let (loaded, extraction) = read_fast(&text).map_err(|diagnostics| LoadError::Syntax {
            path: path.to_owned(),
            diagnostics,
        })?;
        Ok(PlanFile {
            path: path.to_owned(),
            plan: loaded.plan,
            diagnostics: loaded.diagnostics,
            extraction,
            positions: Default::default(),
            document: editable::Editable::build(&text),
            rendering: std::cell::RefCell::new(render::Rendering::parsed_from(&text)),
            on_disk: text,
            moved: false,
            split_links: None,
            from_disk: false,
        })
    }

    /// Whether the editable document is there: edits and saves then do
    /// not wait.
    pub fn is_editable(&self) -> bool {
        self.document.is_ready()
    }

    /// Waits at most `timeout` for the editable document; whether it is there.
    pub fn wait_editable(&self, timeout: std::time::Duration) -> bool {
        self.document.wait(timeout)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The value of `key` in the entity of `kind` whose id is `id` (as
    /// written, valid or not: `"c d"` finds a task with that id), as the
    /// text a form field shows for it: a string without its quotes, any
    /// other value as TOML writes it (`150`, `2027-01-04`, `["a", "b"]`).
    /// None when the entity or the key is not there.
    ///
    /// The text comes from the plan file: pass it through
    /// `sanitize::for_terminal` before it reaches the terminal.
    pub fn raw_value(&self, kind: EntityKind, id: &str, key: &str) -> Option<String> {
        let index = self.position_of(kind, id)?;
        let item = self.tables(kind)?.get(index)?.get(key)?;
        Some(match item {
            toml_edit::Item::Value(toml_edit::Value::String(text)) => text.value().clone(),
            toml_edit::Item::Value(value) => {
                let mut value = value.clone();
                value.decor_mut().clear();
                value.to_string()
            }
            other => other.to_string().trim().to_owned(),
        })
    }

    /// The item at top-level `key` (`scope`, `handover`, `review`) as the
    /// document holds it, with its comments and layout: an edit that
    /// changes one element of a list in it starts from this copy, so the
    /// rest stays as written. None when it is absent or the document is
    /// not there.
    pub fn top_level_item(&self, key: &str) -> Option<toml_edit::Item> {
        self.document.get().ok()?.get(key).cloned()
    }

    /// The item at `key` of the entity of `kind` whose id is `id`, as the
    /// document holds it (see `top_level_item`).
    pub fn entity_item(&self, kind: EntityKind, id: &str, key: &str) -> Option<toml_edit::Item> {
        let index = self.position_of(kind, id)?;
        self.tables(kind)?.get(index)?.get(key).cloned()
    }

    /// The file's text for `key` of that entity (see `raw_value`) when the
    /// model could not take it: the value has the wrong type or is out of
    /// range (`duration = "five"`, `progress = 150`, `status = "finished"`),
    /// so the model holds a default in its place (duration 1, progress 0,
    /// status todo). A form shows this text instead of the default, so the
    /// user corrects what the file says. None when the value is fine.
    pub fn invalid_value(&self, kind: EntityKind, id: &str, key: &str) -> Option<String> {
        let index = self.position_of(kind, id)?;
        let unreadable = self
            .extraction
            .by_entity
            .get(&(kind, index))?
            .iter()
            .any(|d| d.is_error() && d.subject.key == Some(key) && d.subject.table == kind.key());
        if unreadable {
            self.raw_value(kind, id, key)
        } else {
            None
        }
    }

    /// The plan as it would be saved now, with the file's line endings.
    pub fn text(&self) -> String {
        // Without a document nothing can have been edited: the text is as read.
        let Ok(document) = self.document.get() else {
            return self.on_disk.clone();
        };
        let rendered = self.rendering.borrow_mut().text(document);
        endings::restore(&self.on_disk, rendered)
    }

    /// Makes every position in the model and the diagnostics exact again
    /// after edits, by reading the current text afresh. Edits keep
    /// positions only roughly (an edited entity's problems point at its
    /// table, and lines after an added key are off by one); call this before
    /// showing positions. It costs a load, so only when something moved.
    pub fn locate(&mut self) {
        if !self.moved {
            return;
        }
        if let Ok((loaded, extraction)) = read_fast(&self.text()) {
            self.plan = loaded.plan;
            self.diagnostics = loaded.diagnostics;
            self.extraction = extraction;
        }
        self.moved = false;
    }

    /// Whether there are edits not yet saved.
    pub fn is_modified(&self) -> bool {
        self.text() != self.on_disk
    }

    /// Saves atomically, refusing if the file changed on disk since it was read.
    /// A plan read from a file that is gone since is refused too
    /// (`SaveError::Deleted`): `save_overwriting` brings it back.
    pub fn save(&mut self) -> Result<SaveOutcome, SaveError> {
        let text = self.text();
        let session = save::begin(&self.path)?;
        match session.current() {
            Some(current) if current != self.on_disk.as_bytes() => {
                return Err(SaveError::Conflict {
                    path: self.path.clone(),
                });
            }
            None if self.from_disk => {
                return Err(SaveError::Deleted {
                    path: self.path.clone(),
                });
            }
            _ => {}
        }
        let saved = session.write(&text)?;
        Ok(self.saved(text, saved))
    }

    /// Notes what a save wrote.
    fn saved(&mut self, text: String, saved: Saved) -> SaveOutcome {
        self.on_disk = text;
        self.split_links = saved.split_links();
        self.from_disk = true;
        saved.outcome
    }

    /// When the last save replaced a file that had more than one name
    /// (hard links): how many it had. The save's rename gave the plan's
    /// name a new file; the other names still hold the old text. See
    /// `split_links_warning` for the words.
    pub fn split_links(&self) -> Option<u64> {
        self.split_links
    }

    /// Saves atomically as `save` does, but when the file changed on disk
    /// since it was read, reads it again and makes the change again on it
    /// with `redo` (the edits made since it was read, say), all under the
    /// plan's lock; refused when `redo` cannot. For commands, which make
    /// one change and have no one to ask: two of them run at once both
    /// land, one after the other.
    pub fn save_redoing(
        &mut self,
        redo: impl FnOnce(&mut PlanFile) -> Result<(), EditError>,
    ) -> Result<SaveOutcome, SaveError> {
        let session = save::begin(&self.path)?;
        let current = match session.current() {
            Some(current) if current != self.on_disk.as_bytes() => current.to_vec(),
            None if self.from_disk => {
                return Err(SaveError::Deleted {
                    path: self.path.clone(),
                });
            }
            _ => {
                let text = self.text();
                let saved = session.write(&text)?;
                return Ok(self.saved(text, saved));
            }
        };
        let stale = |reason: String| SaveError::Stale {
            path: self.path.clone(),
            reason,
        };
        let current = decode(current).map_err(|diagnostic| {
            stale(format!("it is not readable now ({})", diagnostic.message))
        })?;
        let mut fresh = PlanFile::from_text(&self.path, current).map_err(|error| match error {
            LoadError::Syntax { diagnostics, .. } => stale(format!(
                "it is not valid TOML now ({})",
                diagnostics
                    .first()
                    .map_or("see `gantry check`", |d| d.message.as_str())
            )),
            other => stale(other.to_string()),
        })?;
        fresh.from_disk = true;
        redo(&mut fresh).map_err(|error| stale(error.to_string()))?;
        let text = fresh.text();
        let saved = session.write(&text)?;
        *self = fresh;
        Ok(self.saved(text, saved))
    }

    /// What was last read from or written to disk.
    pub fn on_disk(&self) -> &str {
        &self.on_disk
    }

    /// Replaces the whole document with `text` (a recovered session, say),
    /// keeping what is known to be on disk, so the change shows as unsaved.
    pub fn replace_text(&mut self, text: &str) -> Result<(), LoadError> {
        let replacement = PlanFile::from_text(&self.path, text.to_owned())?;
        self.plan = replacement.plan;
        self.diagnostics = replacement.diagnostics;
        self.extraction = replacement.extraction;
        self.positions = Default::default();
        self.document = replacement.document;
        self.rendering = replacement.rendering;
        self.moved = false;
        Ok(())
    }

    /// Writes the plan to another path and makes that the plan's path.
    /// An existing file there is refused unless `overwrite`.
    pub fn save_as(&mut self, path: &Path, overwrite: bool) -> Result<SaveOutcome, SaveError> {
        if !overwrite && path.exists() {
            return Err(SaveError::Exists {
                path: path.to_owned(),
            });
        }
        let text = self.text();
        // Overwriting: what is there now is not compared.
        let saved = save::save(path, "", &text, true)?;
        self.path = path.to_owned();
        self.saved(text, saved);
        Ok(SaveOutcome::Written)
    }

    /// Saves even if the file changed on disk since it was read, or was
    /// deleted.
    pub fn save_overwriting(&mut self) -> Result<SaveOutcome, SaveError> {
        let text = self.text();
        let saved = save::save(&self.path, &self.on_disk, &text, true)?;
        Ok(self.saved(text, saved))
    }
}
