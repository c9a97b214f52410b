//! A plan and a few task edits: applying, saving and undoing never panic,
//! the saved file parses again, and text outside the edited tasks stays
//! byte for byte.
//!
//! Input: the plan text, then optionally a NUL byte and the edit bytes,
//! three per edit (which task, which field, which value). Without a NUL the
//! edits come from the input's length, so plain plan files are good seeds.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use gantry::store::{Edit, PlanFile, SaveOutcome, TaskField, decode, parse_str, toml_date};
use libfuzzer_sys::fuzz_target;
use toml_edit::{Array, InlineTable, Value};

const MAX_EDITS: usize = 4;

/// One folder for every run; on tmpfs when there is one, since saves fsync.
fn folder() -> &'static PathBuf {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let builder = tempfile::Builder::new()
            .prefix("gantry-fuzz-")
            .tempdir_in(shm);
        let dir = match builder {
            Ok(dir) => dir,
            Err(_) => tempfile::tempdir().expect("a temporary folder"),
        };
        dir.keep()
    })
}

fn value_for(selector: u8, other_task: &str, own_task: &str) -> Option<Value> {
    let value = match selector % 18 {
        0 => return None,
        1 => Value::from("done"),
        2 => Value::from("doing"),
        3 => Value::from(i64::from(selector) - 100),
        4 => Value::from(100),
        5 => Value::from(150),
        6 => Value::from(true),
        7 => Value::from(false),
        8 => toml_date(chrono_date(selector)),
        9 => Value::from("a \"quoted\"\nsecond line # not a comment \u{1b}[31m"),
        10 => Value::Array(Array::from_iter([other_task])),
        11 => {
            let mut dependency = InlineTable::new();
            dependency.insert("task", Value::from(other_task));
            dependency.insert("type", Value::from("ss"));
            dependency.insert("lag", Value::from(-2));
            Value::Array(Array::from_iter([Value::InlineTable(dependency)]))
        }
        12 => Value::from(2.5),
        13 => Value::from(other_task),
        14 => Value::Array(Array::new()),
        15 => Value::Array(Array::from_iter([own_task])),
        16 => Value::InlineTable(InlineTable::new()),
        _ => Value::from(""),
    };
    Some(value)
}

fn chrono_date(selector: u8) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()
        + chrono::Days::new(u64::from(selector))
}

/// Lines split on '\n' only, so a '\r' that goes missing is noticed.
fn lines(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

fuzz_target!(|data: &[u8]| {
    let (plan_bytes, edit_bytes): (&[u8], Vec<u8>) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], data[nul + 1..].to_vec()),
        None => {
            let n = data.len();
            (data, vec![n as u8, 9, (n >> 3) as u8, (n >> 5) as u8, 3, 4])
        }
    };
    let Ok(original) = decode(plan_bytes.to_vec()) else {
        return;
    };
    let path = folder().join("plan.toml");
    std::fs::write(&path, &original).expect("the plan is written");
    let Ok(mut file) = PlanFile::from_text(&path, original.clone()) else {
        return;
    };
    let had_errors = file.has_errors();
    let ids: Vec<String> = file.plan.tasks.iter().map(|t| t.id.value.clone()).collect();
    // Where each task's table begins, by id (the first task with that id).
    let mut header_lines: Vec<(String, u32)> = Vec::new();
    for task in &file.plan.tasks {
        if !header_lines.iter().any(|(id, _)| *id == task.id.value) {
            header_lines.push((task.id.value.clone(), task.pos.line));
        }
    }

    let mut undo = Vec::new();
    let mut edited_lines = Vec::new();
    for chunk in edit_bytes.chunks_exact(3).take(MAX_EDITS) {
        let [task_selector, field_selector, value_selector] = [chunk[0], chunk[1], chunk[2]];
        let task = if ids.is_empty() || task_selector == 255 {
            "no-such-task".to_owned()
        } else {
            ids[usize::from(task_selector) % ids.len()].clone()
        };
        let other = if ids.is_empty() {
            "x".to_owned()
        } else {
            ids[usize::from(value_selector) % ids.len()].clone()
        };
        let field = TaskField::ALL[usize::from(field_selector) % TaskField::ALL.len()];
        let value = value_for(value_selector, &other, &task);
        if let Ok(inverse) = file.apply(Edit::SetTask {
            task: task.clone(),
            field,
            value,
        }) {
            undo.push(inverse);
            if let Some((_, line)) = header_lines.iter().find(|(id, _)| *id == task) {
                edited_lines.push(*line);
            }
        }
    }

    let outcome = file.save().expect("the plan is saved");
    let saved = std::fs::read(&path).expect("the saved plan is read");
    let saved = decode(saved).expect("the saved plan is UTF-8");
    assert_eq!(saved, file.text());
    let reloaded = parse_str(&saved).expect("the saved plan parses");
    if !had_errors {
        let errors: Vec<_> = reloaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(
            errors.is_empty(),
            "an accepted edit made a valid plan invalid: {errors:?}"
        );
    }

    if undo.is_empty() {
        assert_eq!(
            outcome,
            SaveOutcome::Unchanged,
            "nothing changed, yet the file was rewritten"
        );
        assert_eq!(saved, original, "refused edits changed the text");
    } else {
        // Text before the first edited task, and from the next task after
        // the last edited one, is untouched.
        let before = lines(&original);
        let after = lines(&saved);
        let first = edited_lines.iter().copied().min().unwrap_or(1) as usize;
        let last = edited_lines.iter().copied().max().unwrap_or(1);
        let keep_prefix = first.saturating_sub(1).min(before.len());
        assert_eq!(
            &before[..keep_prefix],
            &after[..keep_prefix.min(after.len())]
        );
        if let Some(resume) = header_lines
            .iter()
            .map(|(_, l)| *l)
            .filter(|l| *l > last)
            .min()
        {
            let tail = &before[(resume as usize - 1).min(before.len())..];
            assert!(after.ends_with(tail), "text after the edited tasks changed");
        }
    }

    // Undoing every accepted edit gives back the original text.
    let mut undone = true;
    for inverse in undo.into_iter().rev() {
        undone &= file.apply(inverse).is_ok();
    }
    if undone {
        assert_eq!(file.text(), original, "undo did not restore the text");
    }
});
