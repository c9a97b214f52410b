//! `gantry gate check|sign`: keep a quality gate's checklist and sign-off.
//!
//! The rules are `governance::gates`'s; changes go through
//! `PlanFile::apply_all`, so a refused step leaves the file as it was.

use crate::cli::{GateCheckArgs, GateCommand, GateSignArgs};
use crate::governance::{self, GovernanceError};
use crate::sanitize::{path, quote};

use super::risk::{apply_edits, save};
use super::status::today;
use super::{EXIT_INVALID, open_plan};

pub fn run(command: GateCommand) -> anyhow::Result<u8> {
    match command {
        GateCommand::Check(args) => check(&args),
        GateCommand::Sign(args) => sign(&args),
    }
}

/// Prints a refused step and gives its exit code.
pub(super) fn refused(file: &std::path::Path, error: &GovernanceError) -> u8 {
    errln!(
        "gantry: {}: {}; the file was not modified",
        path(file),
        crate::sanitize::message(error)
    );
    EXIT_INVALID
}

fn check(args: &GateCheckArgs) -> anyhow::Result<u8> {
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let done = !args.undo;
    let edits = match governance::check_item_edits(&file, &args.gate, &args.item, done) {
        Ok(edits) => edits,
        Err(error) => return Ok(refused(&args.file, &error)),
    };
    let (gate, index) = match governance::gate_index(&file.plan, &args.gate) {
        Ok(gate) => {
            let index = governance::find_item(&file.plan.gates[gate], &args.item).unwrap_or(0);
            (gate, index)
        }
        Err(error) => return Ok(refused(&args.file, &error)),
    };
    let item = quote(&file.plan.gates[gate].checklist[index].item).into_owned();
    let state = if done { "done" } else { "open" };
    if let Err(code) = apply_edits(&mut file, edits.clone())? {
        return Ok(code);
    }
    let gate_id = quote(&args.gate);
    let left = file.plan.gates[gate]
        .checklist
        .iter()
        .filter(|item| !item.done)
        .count();
    save(
        &mut file,
        edits,
        &format!(
            "marked item {} \"{item}\" of gate `{gate_id}` {state} ({left} open)",
            index + 1
        ),
        &format!(
            "item {} \"{item}\" of gate `{gate_id}` is {state} already",
            index + 1
        ),
    )
}

fn sign(args: &GateSignArgs) -> anyhow::Result<u8> {
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let date = args.date.unwrap_or_else(|| file.plan.record_date(today()));
    let edits = match governance::sign_edits(
        &file.plan,
        &args.gate,
        &args.by,
        date,
        args.override_reason.as_deref(),
    ) {
        Ok(edits) => edits,
        Err(error) => return Ok(refused(&args.file, &error)),
    };
    if let Err(code) = apply_edits(&mut file, edits.clone())? {
        return Ok(code);
    }
    let with = if args.override_reason.is_some() {
        ", with an override for the open items"
    } else {
        ""
    };
    save(
        &mut file,
        edits,
        &format!(
            "signed gate `{}` on {date} by {}{with}",
            quote(&args.gate),
            quote(&args.by)
        ),
        &format!("gate `{}` is signed already", quote(&args.gate)),
    )
}
