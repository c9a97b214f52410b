//! `gantry check FILE`: every problem in a plan, or a one-line summary.

use std::io::Write;

use serde_json::json;

use crate::cli::{CheckArgs, OutputFormat};
use crate::diagnostic::{self, Diagnostic};
use crate::model::Plan;
use crate::store::{self, LoadError};

use super::{EXIT_INVALID, EXIT_OK};

pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    // What a killed save left beside the plan goes, as when the plan is
    // opened to edit.
    store::tidy(&args.file);
    let (plan, diagnostics) = match store::read(&args.file) {
        Ok(loaded) => {
            let mut diagnostics = loaded.diagnostics;
            if !diagnostics.iter().any(Diagnostic::is_error) {
                diagnostics.extend(crate::schedule::diagnostics(&loaded.plan));
            }
            if !diagnostics.iter().any(Diagnostic::is_error) {
                let date = super::status::status_date(&loaded.plan, args.date);
                diagnostics.extend(crate::governance::check::warnings(&loaded.plan, date));
            }
            diagnostic::sort(&mut diagnostics);
            (Some(loaded.plan), diagnostics)
        }
        Err(LoadError::Syntax { diagnostics, .. }) => (None, diagnostics),
        Err(error) => return Err(error.into()),
    };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let denied = args.deny_warnings && warnings > 0;
    let valid = errors == 0 && !denied;
    match args.format {
        OutputFormat::Text => {
            let mut stderr = std::io::stderr().lock();
            for diagnostic in &diagnostics {
                writeln!(stderr, "{}", diagnostic.display(&args.file))?;
            }
            match (&plan, valid) {
                (Some(plan), true) => {
                    let mut line = format!(
                        "{}: ok — {}",
                        crate::sanitize::path(&args.file),
                        summary(plan)
                    );
                    if warnings > 0 {
                        line.push_str(&format!("; {}", count(warnings, "warning")));
                    }
                    outln!("{line}");
                }
                _ if errors == 0 => {
                    writeln!(
                        stderr,
                        "{}: {} (denied by --deny-warnings)",
                        crate::sanitize::path(&args.file),
                        count(warnings, "warning"),
                    )?;
                }
                _ => {
                    writeln!(
                        stderr,
                        "{}: {}{}",
                        crate::sanitize::path(&args.file),
                        count(errors, "error"),
                        if warnings > 0 {
                            format!(", {}", count(warnings, "warning"))
                        } else {
                            String::new()
                        }
                    )?;
                }
            }
        }
        OutputFormat::Json => {
            let report = json!({
                "file": args.file.to_string_lossy(),
                "valid": valid,
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diagnostics.iter().map(|d| json!({
                    "severity": d.severity.as_str(),
                    "line": d.pos.line.max(1),
                    "column": d.pos.col.max(1),
                    "message": d.message,
                })).collect::<Vec<_>>(),
                "summary": plan.as_ref().filter(|_| valid).map(|plan| json!({
                    "project": plan.project.name,
                    "tasks": plan.tasks.len(),
                    "phases": plan.phases.len(),
                    "people": plan.people.len(),
                    "risks": plan.risks.len(),
                })),
            });
            let text = serde_json::to_string_pretty(&report)?;
            let mut out = std::io::stdout().lock();
            let written =
                writeln!(out, "{}", crate::sanitize::json(text)).and_then(|()| out.flush());
            if let Err(error) = written
                && error.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(error.into());
            }
        }
    }
    super::leave(plan);
    Ok(if valid { EXIT_OK } else { EXIT_INVALID })
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "42 tasks in 5 phases, 6 people, 9 risks".
pub fn summary(plan: &Plan) -> String {
    let mut parts = vec![format!(
        "\"{}\": {}",
        crate::sanitize::quote(&plan.project.name),
        count(plan.tasks.len(), "task")
    )];
    if !plan.phases.is_empty() {
        parts[0].push_str(&format!(" in {}", count(plan.phases.len(), "phase")));
    }
    if !plan.people.is_empty() {
        parts.push(count(plan.people.len(), "person").replace("persons", "people"));
    }
    if !plan.risks.is_empty() {
        parts.push(count(plan.risks.len(), "risk"));
    }
    parts.join(", ")
}
