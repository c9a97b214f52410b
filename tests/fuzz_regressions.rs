//! Inputs the fuzz targets in `fuzz/` once failed on, kept so they stay fixed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gantry::store::{Edit, PlanFile, SaveOutcome, TaskField, decode, parse_str};

/// Runs the `load` target's checks on one input.
fn load(bytes: &[u8]) {
    let Ok(text) = decode(bytes.to_vec()) else {
        return;
    };
    let lines = text.split('\n').count() as u32;
    let diagnostics = match parse_str(&text) {
        Ok(loaded) => loaded.diagnostics,
        Err(diagnostics) => diagnostics,
    };
    for diagnostic in diagnostics {
        assert!(diagnostic.pos.line <= lines, "{diagnostic:?}");
    }
}

fn open(text: &str) -> (tempfile::TempDir, std::path::PathBuf, PlanFile) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    std::fs::write(&path, text).unwrap();
    let file = PlanFile::open(&path).unwrap();
    (folder, path, file)
}

const CRLF_PLAN: &str = "[project]\r\nname = \"Windows line endings\"\r\nstart = 2027-01-04\r\n\r\n# first task\r\n[[task]]\r\nid = \"a\"\r\nname = \"A\"  # keep this\r\nduration = 2\r\n\r\n[[task]]\r\nid = \"b\"\r\nname = \"B\"\r\ndepends = [\"a\"]\r\nstatus = \"todo\"\r\n";

#[test]
fn a_crlf_plan_is_not_modified_by_loading() {
    load(CRLF_PLAN.as_bytes());
    let (_folder, path, mut file) = open(CRLF_PLAN);
    assert!(!file.is_modified());
    assert_eq!(file.save().unwrap(), SaveOutcome::Unchanged);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CRLF_PLAN);
}

#[test]
fn saving_an_edit_keeps_crlf_line_endings_on_every_other_line() {
    let (_folder, path, mut file) = open(CRLF_PLAN);
    file.apply(Edit::SetTask {
        task: "b".to_owned(),
        field: TaskField::Status,
        value: Some("done".into()),
    })
    .unwrap();
    file.save().unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved, CRLF_PLAN.replace("\"todo\"", "\"done\""));
    assert!(parse_str(&saved).is_ok());
}

#[test]
fn a_plan_without_a_final_line_ending_is_not_modified_by_loading() {
    // Found by `edit_save`: every save appended a line ending.
    for text in [
        "[project]\nname = \"x\"\nstart = 2027-01-04",
        "[project]\nname = \"x\"\nstart = 2027-01-04 # aligned",
        "[project]\r\nname = \"x\"\r\nstart = 2027-01-04\r\n[[task]]",
    ] {
        load(text.as_bytes());
        let (_folder, path, mut file) = open(text);
        assert!(!file.is_modified(), "{text:?}");
        assert_eq!(file.save().unwrap(), SaveOutcome::Unchanged);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn an_edit_to_a_plan_without_a_final_line_ending_changes_only_its_line() {
    let text = "[project]\nname = \"x\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"\nprogress = 10";
    let (_folder, path, mut file) = open(text);
    file.apply(Edit::SetTask {
        task: "a".to_owned(),
        field: TaskField::Progress,
        value: Some(60.into()),
    })
    .unwrap();
    file.save().unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved, text.replace("progress = 10", "progress = 60"));
}

#[test]
fn a_plan_with_mixed_line_endings_keeps_each_lines_own() {
    // Found by `edit_save`: one line ending in "\n" among "\r\n" ones.
    let text = "[project]\r\nname = \"Mixed\"\r\nstart = 2027-01-04\t\n\r\n# first task\r\n[[task]]\r\nid = \"a\"\r\nname = \"A\"  # keep this\r\nprogress = 10\n[[task]]\r\nid = \"b\"\r\nname = \"B\"\r\n";
    load(text.as_bytes());
    let (_folder, path, mut file) = open(text);
    assert!(!file.is_modified());
    assert_eq!(file.save().unwrap(), SaveOutcome::Unchanged);
    file.apply(Edit::SetTask {
        task: "a".to_owned(),
        field: TaskField::Progress,
        value: Some(60.into()),
    })
    .unwrap();
    file.save().unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved, text.replace("progress = 10\n", "progress = 60\r\n"));
}

#[test]
fn headers_of_one_array_of_tables_spaced_differently_are_kept_as_written() {
    // Found by `edit_save`: toml_edit writes every `[[log]]` header with the
    // first one's spacing, so the document's own rendering is not the text;
    // an edit elsewhere must still leave both headers as they were.
    let text = "[[task]]\nid = \"a\"\nname = \"A\"\n\n[[ log]]\ndate = 2027-01-04\ntask = \"a\"\nhours = 1\n\n[[log]]\ndate = 2027-01-05\ntask = \"a\"\nhours = 2\n";
    let (_folder, path, mut file) = open(text);
    file.apply(Edit::SetTask {
        task: "a".to_owned(),
        field: TaskField::Name,
        value: Some("Renamed".into()),
    })
    .unwrap();
    file.save().unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text.replace("\"A\"", "\"Renamed\"")
    );
}
