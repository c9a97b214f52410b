//! `gantry task set FILE ID FIELD=VALUE...`.

use std::io::Write;

use crate::cli::{TaskCommand, TaskSetArgs};
use crate::diagnostic;
use crate::store::{Edit, EditError, SaveOutcome, TaskField};

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, open_plan, save_edits};

pub fn run(command: TaskCommand) -> anyhow::Result<u8> {
    match command {
        TaskCommand::Set(args) => set(&args),
    }
}

fn set(args: &TaskSetArgs) -> anyhow::Result<u8> {
    let mut edits = Vec::new();
    for assignment in &args.assignments {
        let Some((key, text)) = assignment.split_once('=') else {
            errln!(
                "gantry: `{}` is not FIELD=VALUE; write e.g. status=done",
                crate::sanitize::quote(assignment)
            );
            return Ok(EXIT_USAGE);
        };
        let key = key.trim();
        let Some(field) = TaskField::from_key(key) else {
            let names: Vec<&str> = TaskField::ALL.iter().map(|f| f.key()).collect();
            errln!(
                "gantry: `{}` is not a task field{}; fields: {}",
                crate::sanitize::quote(key),
                diagnostic::suggestion(key, names.iter().copied()),
                names.join(", ")
            );
            return Ok(EXIT_USAGE);
        };
        match field.parse_text(text) {
            Ok(_) => edits.push((field, text)),
            Err(message) => {
                errln!(
                    "gantry: {}={}: {}",
                    crate::sanitize::quote(key),
                    crate::sanitize::quote(text),
                    crate::sanitize::for_terminal(&message)
                );
                return Ok(EXIT_INVALID);
            }
        }
    }
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    // Read again against the plan's ids: `depends = step-2` names the task
    // `step-2` when there is one.
    let mut edits: Vec<Edit> = edits
        .into_iter()
        .filter_map(|(field, text)| {
            let value = field.parse_text_in(text, &file.plan).ok()?;
            Some(Edit::SetTask {
                task: args.id.clone(),
                field,
                value,
            })
        })
        .collect();
    // An override recorded on the open gates guarding the task, in the same
    // change, lets a gated milestone be marked done.
    if let (Some(reason), Some(by)) = (&args.override_reason, &args.by) {
        // An override is recorded only to let the milestone be done: with
        // an edit that does not mark it done it would stand on the gate
        // for nothing.
        let marks_done = args.assignments.iter().any(|assignment| {
            assignment.split_once('=').is_some_and(|(key, text)| {
                key.trim() == "status" && text.trim().eq_ignore_ascii_case("done")
            })
        });
        if !marks_done {
            errln!(
                "gantry: an override lets task `{}` be marked done, but this edit does not set status=done; add status=done, or drop --override; {} was not modified",
                crate::sanitize::quote(&args.id),
                crate::sanitize::path(&args.file)
            );
            return Ok(EXIT_INVALID);
        }
        let date = file.plan.record_date(super::status::today());
        match crate::governance::completion_override_edits(&file.plan, &args.id, by, date, reason) {
            Ok(overrides) if overrides.is_empty() => {
                errln!(
                    "gantry: no open quality gate guards task `{}`, so there is nothing to override; {} was not modified",
                    crate::sanitize::quote(&args.id),
                    crate::sanitize::path(&args.file)
                );
                return Ok(EXIT_INVALID);
            }
            Ok(overrides) => edits.splice(0..0, overrides).for_each(drop),
            Err(error) => {
                errln!(
                    "gantry: {}; {} was not modified",
                    crate::sanitize::message(&error),
                    crate::sanitize::path(&args.file)
                );
                return Ok(EXIT_INVALID);
            }
        }
    }
    // One change, judged once: refused only if, all together, the values
    // add a problem the plan did not have.
    let redo = edits.clone();
    match file.apply_all(edits) {
        Ok(_) => {}
        Err(EditError::Invalid(diagnostics)) => {
            let mut stderr = std::io::stderr().lock();
            for diagnostic in &diagnostics {
                writeln!(stderr, "{}", diagnostic.display(&args.file))?;
            }
            if diagnostics.iter().any(|d| {
                d.message
                    .ends_with(crate::governance::gates::REFUSED_COMPLETION_ADVICE)
            }) {
                writeln!(
                    stderr,
                    "gantry: tick items with `gantry gate check`, sign with `gantry gate sign`, or add --override \"why\" --by NAME to record an override"
                )?;
            }
            writeln!(
                stderr,
                "gantry: change refused; {} was not modified",
                crate::sanitize::path(&args.file)
            )?;
            return Ok(EXIT_INVALID);
        }
        Err(error) => {
            errln!(
                "gantry: {}; {} was not modified",
                crate::sanitize::message(&error),
                crate::sanitize::path(&args.file)
            );
            return Ok(EXIT_INVALID);
        }
    }
    match save_edits(&mut file, redo)? {
        Ok(SaveOutcome::Written) => {
            outln!(
                "updated task `{}` in {}",
                crate::sanitize::quote(&args.id),
                crate::sanitize::path(&args.file)
            );
            Ok(EXIT_OK)
        }
        Ok(SaveOutcome::Unchanged) => {
            outln!(
                "task `{}` already has these values; {} was not modified",
                crate::sanitize::quote(&args.id),
                crate::sanitize::path(&args.file)
            );
            Ok(EXIT_OK)
        }
        Err(code) => Ok(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depends_accepts_types_and_lags() {
        let value = crate::store::parse_depends("design, vendor:fs+2, qa-env:ss, docs:ff-1, a-b-3")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            value.to_string(),
            r#"["design", { task = "vendor", lag = 2 }, { task = "qa-env", type = "ss" }, { task = "docs", type = "ff", lag = -1 }, { task = "a-b", lag = -3 }]"#
        );
    }

    #[test]
    fn a_dependency_on_an_id_ending_in_a_number_is_taken_whole() {
        let is_task = |id: &str| id == "step-2" || id == "step";
        let value = crate::store::parse_depends_with("step-2, step:fs-2, other-3", is_task)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            value.to_string(),
            r#"["step-2", { task = "step", lag = -2 }, { task = "other", lag = -3 }]"#
        );
    }

    #[test]
    fn values_are_typed_by_field() {
        assert_eq!(
            TaskField::Progress
                .parse_text("60")
                .unwrap()
                .unwrap()
                .as_integer(),
            Some(60)
        );
        assert!(TaskField::Progress.parse_text("sixty").is_err());
        assert!(TaskField::Start.parse_text("2027-02-30").is_err());
        assert!(TaskField::Owner.parse_text("").unwrap().is_none());
        assert!(TaskField::Name.parse_text("").is_err());
    }
}
