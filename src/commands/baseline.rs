//! `gantry baseline FILE [--name NAME] [--force]`: records every task's
//! scheduled start and finish as its baseline, one line per task, leaving
//! the rest of the file as it was. A baseline is what slip is measured
//! against, so one already recorded is replaced only with `--force`, and
//! the command says what it replaced.

use chrono::NaiveDate;

use crate::cli::BaselineArgs;
use crate::model::{Baseline, Plan, is_valid_id};
use crate::schedule;
use crate::store::{Edit, EditError, PlanFile, SaveOutcome};

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, open_plan, save_redoing};

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
    let mut recording = match Recording::of(&file, args) {
        Ok(recording) => recording,
        Err(Refusal::Unschedulable(line)) => {
            errln!("{line}");
            return Ok(EXIT_INVALID);
        }
        Err(Refusal::Recorded(message)) => {
            errln!("gantry: {message}");
            return Ok(EXIT_INVALID);
        }
    };
    // One change: the plan is checked once, not once per task.
    if let Err(error) = file.apply_all(std::mem::take(&mut recording.edits)) {
        errln!(
            "gantry: {}; {} was not modified",
            crate::sanitize::message(&error),
            crate::sanitize::path(&args.file)
        );
        return Ok(EXIT_INVALID);
    }
    // When another command saved the plan meanwhile, the baseline is that
    // of the plan as it is now: its schedule is worked out again.
    let mut redone = None;
    let saved = save_redoing(&mut file, |file| {
        let mut again = Recording::of(file, args)
            .map_err(|refusal| EditError::Unsupported(refusal.into_reason()))?;
        file.apply_all(std::mem::take(&mut again.edits))?;
        redone = Some(again);
        Ok(())
    })?;
    let recording = redone.unwrap_or(recording);
    let what = match &args.name {
        Some(name) => format!("baseline `{name}`"),
        None => "the baseline".to_string(),
    };
    match saved {
        Ok(SaveOutcome::Written) => {
            let replaced = match &recording.old {
                Some(old) => format!(
                    "; it replaced the one recorded before ({}), with new dates for {} task{}",
                    old.describe(),
                    recording.changed,
                    plural(recording.changed)
                ),
                None => String::new(),
            };
            outln!(
                "recorded {what} for {} task{} in {}: {} to {}{replaced}",
                recording.count,
                plural(recording.count),
                crate::sanitize::path(&args.file),
                recording.start,
                recording.finish
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
        Err(code) => Ok(code),
    }
}

/// What recording the baseline does to a plan: the edits, and what the
/// command says about them.
struct Recording {
    edits: Vec<Edit>,
    /// The baseline of that name recorded before, replaced with --force.
    old: Option<Recorded>,
    /// How many tasks get new dates, and how many are recorded.
    changed: usize,
    count: usize,
    start: NaiveDate,
    finish: NaiveDate,
}

impl Recording {
    /// The baseline of `file`'s schedule, or why it is not recorded.
    fn of(file: &PlanFile, args: &BaselineArgs) -> Result<Recording, Refusal> {
        let schedule = schedule::schedule(&file.plan).map_err(|error| {
            Refusal::Unschedulable(error.diagnostic(&file.plan).display(&args.file).to_string())
        })?;
        let old = Recorded::of(&file.plan, args.name.as_deref());
        if let Some(old) = &old
            && !args.force
        {
            let held = match &args.name {
                Some(name) => format!("a baseline named `{name}`"),
                None => "a baseline".to_string(),
            };
            return Err(Refusal::Recorded(format!(
                "{} already has {held} ({}); slip is measured against it, so it is kept: record over it with --force",
                crate::sanitize::path(&args.file),
                old.describe()
            )));
        }
        let mut changed = 0;
        let edits: Vec<Edit> = file
            .plan
            .tasks
            .iter()
            .zip(&schedule.tasks)
            .map(|(task, dates)| {
                let baseline = Baseline {
                    start: dates.start,
                    finish: dates.finish,
                };
                if recorded(task, args.name.as_deref()) != Some(baseline) {
                    changed += 1;
                }
                Edit::SetBaseline {
                    task: task.id.value.clone(),
                    name: args.name.clone(),
                    baseline,
                }
            })
            .collect();
        Ok(Recording {
            count: edits.len(),
            edits,
            old,
            changed,
            start: schedule.start,
            finish: schedule.finish,
        })
    }
}

/// Why a baseline is not recorded.
enum Refusal {
    /// The plan cannot be scheduled: the diagnostic's line.
    Unschedulable(String),
    /// One is recorded already, and --force was not given.
    Recorded(String),
}

impl Refusal {
    fn into_reason(self) -> String {
        match self {
            Refusal::Unschedulable(line) => line,
            Refusal::Recorded(message) => message,
        }
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
