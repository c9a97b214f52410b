//! `gantry baseline FILE [--name NAME] [--force]`: records every task's
//! scheduled start and finish as its baseline, one line per task, leaving
//! the rest of the file as it was. A baseline is what slip is measured
//! against, so one already recorded is replaced only with `--force`, and
//! the command says what it replaced.

use crate::cli::BaselineArgs;
use crate::model::{Baseline, Plan, is_valid_id};
use crate::schedule;
use crate::store::{Edit, SaveError, SaveOutcome};

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, open_plan};

pub fn run(args: &BaselineArgs) -> anyhow::Result<u8> {
    if let Some(name) = args.name.as_deref().filter(|name| !is_valid_id(name)) {
        errln!(
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
            errln!("{}", error.diagnostic(&file.plan).display(&args.file));
            return Ok(EXIT_INVALID);
        }
    };
    let what = match &args.name {
        Some(name) => format!("baseline `{name}`"),
        None => "the baseline".to_string(),
    };
    let old = Recorded::of(&file.plan, args.name.as_deref());
    if let Some(old) = &old
        && !args.force
    {
        let held = match &args.name {
            Some(name) => format!("a baseline named `{name}`"),
            None => "a baseline".to_string(),
        };
        errln!(
            "gantry: {} already has {held} ({}); slip is measured against it, so it is kept: record over it with --force",
            crate::sanitize::path(&args.file),
            old.describe()
        );
        return Ok(EXIT_INVALID);
    }
    let changed = file
        .plan
        .tasks
        .iter()
        .zip(&schedule.tasks)
        .filter(|(task, dates)| {
            let new = Baseline {
                start: dates.start,
                finish: dates.finish,
            };
            recorded(task, args.name.as_deref()) != Some(new)
        })
        .count();
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
        errln!(
            "gantry: {}; {} was not modified",
            crate::sanitize::message(&error),
            crate::sanitize::path(&args.file)
        );
        return Ok(EXIT_INVALID);
    }
    match file.save() {
        Ok(SaveOutcome::Written) => {
            let replaced = match &old {
                Some(old) => format!(
                    "; it replaced the one recorded before ({}), with new dates for {changed} task{}",
                    old.describe(),
                    plural(changed)
                ),
                None => String::new(),
            };
            outln!(
                "recorded {what} for {count} task{} in {}: {} to {}{replaced}",
                plural(count),
                crate::sanitize::path(&args.file),
                schedule.start,
                schedule.finish
            );
            Ok(EXIT_OK)
        }
        Ok(SaveOutcome::Unchanged) => {
            outln!(
                "{what} already matches the schedule; {} was not modified",
                crate::sanitize::path(&args.file)
            );
            Ok(EXIT_OK)
        }
        Err(error @ SaveError::Conflict { .. }) => {
            errln!("gantry: {}", crate::sanitize::message(&error));
            Ok(EXIT_INVALID)
        }
        Err(error) => Err(error.into()),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A task's baseline of that name (None: the default one).
fn recorded(task: &crate::model::Task, name: Option<&str>) -> Option<Baseline> {
    match name {
        None => task.baseline,
        Some(name) => task
            .baselines
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, baseline)| *baseline),
    }
}

/// A baseline already in the plan: how many tasks have it, and its span.
struct Recorded {
    tasks: usize,
    span: Baseline,
}

impl Recorded {
    fn of(plan: &Plan, name: Option<&str>) -> Option<Recorded> {
        let mut found: Option<Recorded> = None;
        for baseline in plan.tasks.iter().filter_map(|task| recorded(task, name)) {
            found = Some(match found {
                None => Recorded {
                    tasks: 1,
                    span: baseline,
                },
                Some(old) => Recorded {
                    tasks: old.tasks + 1,
                    span: Baseline {
                        start: old.span.start.min(baseline.start),
                        finish: old.span.finish.max(baseline.finish),
                    },
                },
            });
        }
        found
    }

    /// "12 tasks, 2027-02-01 to 2027-06-07".
    fn describe(&self) -> String {
        format!(
            "{} task{}, {} to {}",
            self.tasks,
            plural(self.tasks),
            self.span.start,
            self.span.finish
        )
    }
}
