//! `gantry merge BASE OURS THEIRS [NAME] [-o OUT]`: the three-way merge of
//! a plan by entity and field, usable as a git merge driver
//! (`gantry merge %O %A %B %P`).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::MergeArgs;
use crate::diagnostic::{self, Diagnostic};
use crate::store;
use crate::store::merge::{self, MergeError, Side};

use super::{EXIT_INVALID, EXIT_OK};

pub fn run(args: &MergeArgs) -> anyhow::Result<u8> {
    let name = args
        .name
        .clone()
        .or_else(|| args.output.clone())
        .unwrap_or_else(|| args.ours.clone());
    let mut texts = Vec::with_capacity(3);
    for (path, side) in [
        (&args.base, Side::Base),
        (&args.ours, Side::Ours),
        (&args.theirs, Side::Theirs),
    ] {
        match read(path)? {
            Ok(text) => texts.push(text),
            Err(diagnostic) => {
                report_unreadable(path, side, &[diagnostic], args)?;
                return Ok(EXIT_INVALID);
            }
        }
    }
    let [base, ours, theirs] = [&texts[0], &texts[1], &texts[2]];
    let merged = match merge::merge(base, ours, theirs) {
        Ok(merged) => merged,
        Err(MergeError::NotToml { side, .. }) => {
            let (path, text) = match side {
                Side::Base => (&args.base, base),
                Side::Ours => (&args.ours, ours),
                Side::Theirs => (&args.theirs, theirs),
            };
            let diagnostics = match store::parse_str(text) {
                Err(diagnostics) => diagnostics,
                Ok(_) => vec![Diagnostic::error(
                    Default::default(),
                    "the file's tables cannot be told apart; check its quotes and brackets",
                )],
            };
            report_unreadable(path, side, &diagnostics, args)?;
            return Ok(EXIT_INVALID);
        }
    };
    let loaded = match store::parse_str(&merged.text) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            // Two versions that parse gave one that does not (a table both
            // sides added under one name in different shapes, say): nothing
            // is written, so git keeps ours and marks the file conflicted.
            let mut stderr = std::io::stderr().lock();
            for diagnostic in &diagnostics {
                writeln!(
                    stderr,
                    "{} (merged): {}",
                    crate::sanitize::path(&name),
                    crate::sanitize::for_terminal(&diagnostic.message)
                )?;
            }
            writeln!(
                stderr,
                "gantry merge: the merged plan would not parse; {} was left as it was — merge it by hand",
                crate::sanitize::path(args.output.as_ref().unwrap_or(&args.ours))
            )?;
            return Ok(EXIT_INVALID);
        }
    };

    let target = args.output.as_ref().unwrap_or(&args.ours);
    let unchanged = args.output.is_none() && merged.text == *ours;
    if !unchanged {
        // Over ours only if ours is still the text merged; an output file
        // is replaced.
        let expected = args.output.is_none().then_some(ours.as_str());
        match store::write_plan(target, expected, &merged.text) {
            Ok(saved) => super::warn_split_links(target, saved.split_links()),
            Err(error) if error.is_refusal() => {
                errln!("gantry merge: {}", crate::sanitize::message(&error));
                return Ok(EXIT_INVALID);
            }
            Err(error) => {
                return Err(anyhow::Error::new(error).context(format!(
                    "cannot write the merged plan to {}",
                    target.display()
                )));
            }
        }
    }

    // What to report: every unresolved conflict, and the errors the merge
    // made (a cycle or a dangling dependency out of two valid sides).
    let conflict_positions: HashSet<_> = loaded.plan.conflicts.iter().map(|c| c.pos).collect();
    let mut diagnostics = loaded.diagnostics.clone();
    if !loaded.has_errors() {
        diagnostics.extend(crate::schedule::diagnostics(&loaded.plan));
        diagnostic::sort(&mut diagnostics);
    }
    let is_conflict = |d: &Diagnostic| d.is_error() && conflict_positions.contains(&d.pos);
    let other_errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error() && !is_conflict(d))
        .collect();
    let (new_errors, old_errors): (Vec<&Diagnostic>, Vec<&Diagnostic>) = if other_errors.is_empty()
    {
        (Vec::new(), Vec::new())
    } else {
        let before: HashSet<String> = error_messages(ours)
            .into_iter()
            .chain(error_messages(theirs))
            .collect();
        other_errors
            .into_iter()
            .partition(|d| !before.contains(&d.message))
    };

    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics
        .iter()
        .filter(|d| is_conflict(d) || new_errors.contains(d))
    {
        writeln!(stderr, "{}", diagnostic.display(&name))?;
    }
    let conflicts = loaded.plan.conflicts.len();
    let clean = conflicts == 0 && new_errors.is_empty();
    let mut summary = format!("{}: ", crate::sanitize::path(&name));
    if clean {
        summary.push_str("merged cleanly");
    } else {
        let mut parts = Vec::new();
        if conflicts > 0 {
            parts.push(count(conflicts, "unresolved conflict"));
        }
        if !new_errors.is_empty() {
            parts.push(count(new_errors.len(), "error the merge made"));
        }
        summary.push_str(&format!("merged with {}", parts.join(" and ")));
        if conflicts > 0 {
            summary.push_str(
                "; ours' values are kept and each conflict is recorded in a [[conflict]] table at the end",
            );
        }
    }
    if !old_errors.is_empty() {
        summary.push_str(&format!(
            "; {} already in ours or theirs (see `gantry check`)",
            count(old_errors.len(), "error was").replace("errors was", "errors were")
        ));
    }
    writeln!(stderr, "{summary}")?;
    Ok(if clean { EXIT_OK } else { EXIT_INVALID })
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if let Some((first, rest)) = noun.split_once(' ') {
        format!("{n} {first}s {rest}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A file's text, or where it is not UTF-8.
fn read(path: &Path) -> anyhow::Result<Result<String, Diagnostic>> {
    let bytes = store::read_bytes(path)?;
    Ok(store::decode(bytes))
}

fn report_unreadable(
    path: &Path,
    side: Side,
    diagnostics: &[Diagnostic],
    args: &MergeArgs,
) -> anyhow::Result<()> {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        writeln!(stderr, "{}", diagnostic.display(path))?;
    }
    let kept: &PathBuf = args.output.as_ref().unwrap_or(&args.ours);
    writeln!(
        stderr,
        "gantry merge: {} ({}) is not a plan that can be merged; {} was left as it was",
        side.name(),
        crate::sanitize::path(path),
        crate::sanitize::path(kept)
    )?;
    Ok(())
}

/// The errors `check` would report for a text, by message.
fn error_messages(text: &str) -> Vec<String> {
    match store::parse_str(text) {
        Ok(loaded) => {
            let mut diagnostics = loaded.diagnostics;
            if !diagnostics.iter().any(Diagnostic::is_error) {
                diagnostics.extend(crate::schedule::diagnostics(&loaded.plan));
            }
            diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .map(|d| d.message)
                .collect()
        }
        Err(diagnostics) => diagnostics.into_iter().map(|d| d.message).collect(),
    }
}
