//! The document's text, kept current without rendering the whole document.
//!
//! toml_edit writes a document table by table, each table's header and keys
//! in one piece. An edit made in place changes one entity's table, so the
//! new text is the old text with that table's piece replaced: the piece is
//! written alone before the first such edit and again at save time, and
//! spliced in where the old piece stands. Whenever that cannot be shown to
//! be safe (the piece is not found exactly once, an edit added, removed or
//! moved tables, the file has '\r's), the whole document is written.

use toml_edit::{ArrayOfTables, DocumentMut, Item};

use super::load::EntityKind;

/// The most tables edited in place whose pieces are spliced in.
const MOST_SPLICED: usize = 32;

#[derive(Debug, Clone, Default)]
pub(super) struct Rendering {
    /// The document as toml_edit writes it, before the tables in `touched`
    /// were edited; None when not known.
    base: Option<String>,
    /// Entity tables edited in place since `base`, with their text then.
    touched: Vec<Touched>,
    /// Whether `base` was what toml_edit writes for the document when the
    /// first table was touched. Almost always: but toml_edit writes every
    /// header of an array of tables with the first one's spacing, so
    /// `[[ log]]` then `[[log]]` does not come back as written. The splice
    /// keeps the file as written; only a document that toml_edit gives
    /// back exactly can be checked against the whole rendering.
    #[cfg(debug_assertions)]
    exact: bool,
}

#[derive(Debug, Clone)]
struct Touched {
    kind: EntityKind,
    index: usize,
    before: String,
}

impl Rendering {
    /// For a document parsed from `text`. toml_edit gives back the text it
    /// parsed byte for byte, except that it drops '\r's and ends with a
    /// newline: for a text of neither kind, the text is the rendering.
    pub(super) fn parsed_from(text: &str) -> Rendering {
        let known = text.ends_with('\n') && !text.contains('\r');
        // Nor does it write a byte order mark (the file's own is put back
        // by `endings::restore`).
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Rendering {
            base: known.then(|| text.to_owned()),
            touched: Vec::new(),
            #[cfg(debug_assertions)]
            exact: false,
        }
    }

    /// Call before an edit changes the table at `index` among `kind` and
    /// nothing else.
    pub(super) fn before_edit_in_place(
        &mut self,
        document: &DocumentMut,
        kind: EntityKind,
        index: usize,
    ) {
        if self.base.is_none()
            || self
                .touched
                .iter()
                .any(|t| t.kind == kind && t.index == index)
        {
            return;
        }
        // Each piece is looked for in the whole text: past a few, writing
        // the document once is cheaper (`baseline` edits every task).
        if self.touched.len() >= MOST_SPLICED {
            self.forget();
            return;
        }
        #[cfg(debug_assertions)]
        if self.touched.is_empty() {
            self.exact = self.base.as_deref() == Some(document.to_string().as_str());
        }
        match table_alone(document, kind, index) {
            Some(before) => self.touched.push(Touched {
                kind,
                index,
                before,
            }),
            None => self.forget(),
        }
    }

    /// Call before any other edit: the next text is written whole.
    pub(super) fn forget(&mut self) {
        self.base = None;
        self.touched.clear();
    }

    /// The document's text, as `document.to_string()` would give it.
    pub(super) fn text(&mut self, document: &DocumentMut) -> String {
        let spliced = self.spliced(document);
        #[cfg(debug_assertions)]
        if spliced.is_some() && self.exact {
            assert_eq!(
                spliced.as_deref(),
                Some(document.to_string().as_str()),
                "the spliced text differs from the whole rendering"
            );
        }
        let text = spliced.unwrap_or_else(|| document.to_string());
        self.base = Some(text.clone());
        self.touched.clear();
        text
    }

    fn spliced(&mut self, document: &DocumentMut) -> Option<String> {
        let mut text = self.base.take()?;
        for touched in std::mem::take(&mut self.touched) {
            let after = table_alone(document, touched.kind, touched.index)?;
            if after == touched.before {
                continue;
            }
            let at = find_once(&text, &touched.before)?;
            text.replace_range(at..at + touched.before.len(), &after);
        }
        Some(text)
    }
}

/// The text toml_edit writes for one entity table (with the tables nested
/// in it), as in the whole document.
fn table_alone(document: &DocumentMut, kind: EntityKind, index: usize) -> Option<String> {
    let (key, item) = document.as_table().get_key_value(kind.key())?;
    let table = item.as_array_of_tables()?.get(index)?;
    let mut array = ArrayOfTables::new();
    array.push(table.clone());
    let mut alone = DocumentMut::new();
    alone
        .as_table_mut()
        .insert_formatted(key, Item::ArrayOfTables(array));
    Some(alone.to_string())
}

/// Where `needle` is in `text`, if it is there exactly once.
fn find_once(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let at = text.find(needle)?;
    let next = at + needle.chars().next().map_or(1, char::len_utf8);
    text[next..].find(needle).is_none().then_some(at)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::{Edit, PlanFile, TaskField};
    use super::*;
    use crate::model::Baseline;

    /// Tables laid out every way a person might: comments before, beside
    /// and after headers, no blank lines, a nested table, odd spacing.
    const KNOTTY: &str = r#"# A plan written by hand.
[project]
name = "Knotty"
start = 2027-01-04

[[task]]   # the first
id = "a"
name = "A"   # keep me
duration = 3

# before b
[[task]]
id = "b"
name    =   "B"
depends = ["a"]
[[task]]
id="c"
name="C"
notes = """
two
lines"""

[task.extra]
x = 1

[[risk]]
id = "R1"
title = "Risk" # why
likelihood = 2
impact = 3
# trailing comment
"#;

    fn open(text: &str) -> PlanFile {
        PlanFile::from_text(Path::new("plan.toml"), text.to_owned()).expect("the plan parses")
    }

    /// The spliced text, which must exist and equal the whole rendering.
    fn assert_spliced(file: &PlanFile) {
        let mut rendering = file.rendering.borrow().clone();
        let spliced = rendering.spliced(file.document.get().unwrap());
        assert_eq!(
            spliced.as_deref(),
            Some(file.document.get().unwrap().to_string().as_str()),
            "splicing must be possible and give the whole rendering"
        );
    }

    fn set(file: &mut PlanFile, task: &str, field: TaskField, value: Option<toml_edit::Value>) {
        file.apply(Edit::SetTask {
            task: task.to_owned(),
            field,
            value,
        })
        .expect("the edit is accepted");
    }

    #[test]
    fn a_parsed_text_is_its_own_rendering() {
        let file = open(KNOTTY);
        assert_eq!(file.document.get().unwrap().to_string(), KNOTTY);
        assert_eq!(
            file.rendering.borrow().base.as_deref(),
            Some(KNOTTY),
            "no rendering is needed before the first edit"
        );
    }

    #[test]
    fn edits_in_place_are_spliced_into_the_text() {
        let mut file = open(KNOTTY);
        set(&mut file, "a", TaskField::Name, Some("Alpha".into()));
        set(&mut file, "b", TaskField::Notes, Some("new key".into()));
        set(&mut file, "c", TaskField::Notes, None);
        set(&mut file, "a", TaskField::Progress, Some(50.into()));
        file.apply(Edit::Set {
            kind: EntityKind::Risk,
            id: "R1".to_owned(),
            key: "title".to_owned(),
            value: Some("Renamed".into()),
        })
        .expect("the risk edit is accepted");
        assert_spliced(&file);
        let text = file.text();
        assert!(text.contains("name = \"Alpha\"   # keep me\n"));
        assert!(text.contains("title = \"Renamed\" # why\n"));
        assert!(text.contains("[task.extra]\nx = 1\n"));

        // The text just made is the base for the next edits.
        set(&mut file, "c", TaskField::Name, Some("Gamma".into()));
        file.apply(Edit::SetBaseline {
            task: "b".to_owned(),
            name: Some("v1".to_owned()),
            baseline: Baseline {
                start: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date"),
                finish: chrono::NaiveDate::from_ymd_opt(2027, 1, 5).expect("a date"),
            },
        })
        .expect("the baseline is recorded");
        assert_spliced(&file);
    }

    #[test]
    fn an_edit_undone_leaves_the_text_as_it_was() {
        let mut file = open(KNOTTY);
        let undo = file
            .apply(Edit::SetTask {
                task: "b".to_owned(),
                field: TaskField::Duration,
                value: Some(4.into()),
            })
            .expect("the edit is accepted");
        file.apply(undo).expect("the undo is accepted");
        assert_spliced(&file);
        assert_eq!(file.text(), KNOTTY);
    }

    #[test]
    fn reshaping_edits_render_the_whole_document() {
        let mut file = open(KNOTTY);
        file.apply(Edit::Move {
            kind: EntityKind::Task,
            id: "c".to_owned(),
            index: 0,
        })
        .expect("the move is accepted");
        assert!(file.rendering.borrow().base.is_none());
        let moved = file.text();
        assert_eq!(moved, file.document.get().unwrap().to_string());
        // Once written whole, edits in place splice again.
        set(
            &mut file,
            "a",
            TaskField::Name,
            Some("After the move".into()),
        );
        assert_spliced(&file);
    }

    #[test]
    fn a_table_split_by_another_is_rendered_whole() {
        // `[task.extra]` belongs to `c` but stands after `[calendar]`: the
        // table's text is not in one piece, so it cannot be spliced.
        let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[task]]\nid = \"c\"\nname = \"C\"\n\n[calendar]\nworkdays = [\"mon\"]\n\n[task.extra]\nx = 1\n";
        let mut file = open(text);
        assert_eq!(file.document.get().unwrap().to_string(), text);
        set(&mut file, "c", TaskField::Name, Some("Gamma".into()));
        let mut rendering = file.rendering.borrow().clone();
        assert_eq!(rendering.spliced(file.document.get().unwrap()), None);
        assert_eq!(file.text(), file.document.get().unwrap().to_string());
        assert!(file.text().contains("name = \"Gamma\"\n\n[calendar]"));
    }

    #[test]
    fn texts_that_toml_edit_does_not_give_back_are_rendered_whole() {
        for text in [
            "[project]\r\nname = \"P\"\r\nstart = 2027-01-04\r\n",
            "[project]\nname = \"P\"\nstart = 2027-01-04",
        ] {
            assert!(open(text).rendering.borrow().base.is_none(), "{text:?}");
        }
    }

    #[test]
    fn identical_tables_are_not_spliced() {
        // Two tables with the same text (a duplicate id is an error, but
        // the plan still opens): the piece is not found exactly once.
        let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[risk]]\nid = \"R1\"\ntitle = \"T\"\n\n[[risk]]\nid = \"R1\"\ntitle = \"T\"\n";
        let mut file = open(text);
        let mut rendering = Rendering::parsed_from(text);
        rendering.before_edit_in_place(file.document.get().unwrap(), EntityKind::Risk, 1);
        file.document.get_mut().unwrap()["risk"]
            .as_array_of_tables_mut()
            .and_then(|array| array.get_mut(1))
            .expect("the second risk")
            .insert("title", toml_edit::value("Other"));
        assert_eq!(rendering.spliced(file.document.get().unwrap()), None);
        assert_eq!(
            rendering.text(file.document.get().unwrap()),
            file.document.get().unwrap().to_string(),
            "the whole rendering is used instead"
        );
    }

    fn example(index: usize) -> String {
        let names = [
            "hotel-integration.toml",
            "ecommerce-replatform.toml",
            "remote-patient-monitoring.toml",
            "digital-twin-pilot.toml",
        ];
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(names[index % names.len()]);
        std::fs::read_to_string(path).expect("the example is readable")
    }

    #[derive(Debug, Clone)]
    enum Step {
        Set(usize, TaskField, Option<String>),
        Progress(usize, i64),
        Text,
    }

    fn step() -> impl Strategy<Value = Step> {
        let text_field = prop_oneof![
            Just(TaskField::Name),
            Just(TaskField::Notes),
            Just(TaskField::Blocker),
        ];
        prop_oneof![
            (
                any::<usize>(),
                text_field,
                proptest::option::of("[a-z \"\\\\#\u{e9}\u{4e2d}\n]{0,12}")
            )
                .prop_map(|(task, field, value)| Step::Set(task, field, value)),
            (any::<usize>(), 0..=100i64).prop_map(|(task, value)| Step::Progress(task, value)),
            Just(Step::Text),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any run of edits in place, with texts taken in between, gives
        /// the text toml_edit would write for the whole document, and
        /// never needs to write it whole.
        #[test]
        fn splicing_matches_the_whole_rendering(
            plan in 0usize..4,
            steps in proptest::collection::vec(step(), 1..24),
        ) {
            let mut file = open(&example(plan));
            let ids: Vec<String> = file.plan.tasks.iter().map(|t| t.id.value.clone()).collect();
            for step in steps {
                match step {
                    Step::Set(task, field, value) => {
                        let edit = Edit::SetTask {
                            task: ids[task % ids.len()].clone(),
                            field,
                            value: value.map(Into::into),
                        };
                        // A refused edit leaves the document as it was.
                        let _ = file.apply(edit);
                    }
                    Step::Progress(task, value) => {
                        let _ = file.apply(Edit::SetTask {
                            task: ids[task % ids.len()].clone(),
                            field: TaskField::Progress,
                            value: Some(value.into()),
                        });
                    }
                    Step::Text => {
                        assert_spliced(&file);
                        prop_assert_eq!(file.text(), file.document.get().unwrap().to_string());
                    }
                }
            }
            assert_spliced(&file);
        }
    }
}
