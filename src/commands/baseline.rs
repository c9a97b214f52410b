//! `gantry baseline FILE [--name NAME]`: records every task's scheduled
//! start and finish as its baseline, one line per task, leaving the rest of
//! the file as it was.

use crate::cli::BaselineArgs;
use crate::model::{Baseline, is_valid_id};
use crate::schedule;
use crate::store::{Edit, SaveError, SaveOutcome};

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, open_plan};

pub fn run(args: &BaselineArgs) -> anyhow::Result<u8> {
    if let Some(name) = args.name.as_deref().filter(|name| !is_valid_id(name)) {
        eprintln!(
            "gantry: `{}` cannot name a baseline; use letters, digits, '-', '_' and '.', e.g. --name signed-off",
            crate::sanitize::for_terminal(name)
        );
        return Ok(EXIT_USAGE);
    }
    let mut file = match open_plan(&args.file, true)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let schedule = match schedule::schedule(&file.plan) {
        Ok(schedule) => schedule,
        Err(error) => {
            eprintln!("{}", error.diagnostic(&file.plan).display(&args.file));
            return Ok(EXIT_INVALID);
        }
    };
    let edits: Vec<Edit> = file
        .plan
        .tasks
        .iter()
        .zip(&schedule.tasks)
        .map(|(task, dates)| Edit::SetBaseline {
            task: task.id.value.clone(),
            name: args.name.clone(),
            baseline: Baseline {
                start: dates.start,
                finish: dates.finish,
            },
        })
        .collect();
    let count = edits.len();
    // One change: the plan is checked once, not once per task.
    if let Err(error) = file.apply_all(edits) {
        eprintln!("gantry: {error}; {} was not modified", args.file.display());
        return Ok(EXIT_INVALID);
    }
    let what = match &args.name {
        Some(name) => format!("baseline `{name}`"),
        None => "the baseline".to_string(),
    };
    match file.save() {
        Ok(SaveOutcome::Written) => {
            println!(
                "recorded {what} for {count} task{} in {}: {} to {}",
                if count == 1 { "" } else { "s" },
                args.file.display(),
                schedule.start,
                schedule.finish
            );
            Ok(EXIT_OK)
        }
        Ok(SaveOutcome::Unchanged) => {
            println!(
                "{what} already matches the schedule; {} was not modified",
                args.file.display()
            );
            Ok(EXIT_OK)
        }
        Err(error @ SaveError::Conflict { .. }) => {
            eprintln!("gantry: {error}");
            Ok(EXIT_INVALID)
        }
        Err(error) => Err(error.into()),
    }
}
