//! `gantry import FILE [--from csv|mspdi] [-o plan.toml] [--force]`: a new,
//! commented plan made from another tool's file (`crate::import`).

use std::io::{self, Write};
use std::path::Path;

use crate::cli::{ImportArgs, ImportFormat};
use crate::import::{self, Defaults, Imported};
use crate::store;

use super::report::is_same_file;
use super::status::{finish_output, today};
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE};

pub fn run(args: &ImportArgs) -> anyhow::Result<u8> {
    let path = &args.file;
    let format = match args.from.or_else(|| format_for(path)) {
        Some(format) => format,
        None => {
            errln!(
                "gantry: cannot tell the format of {} from its name; say it with --from csv or --from mspdi",
                crate::sanitize::path(path)
            );
            return Ok(EXIT_USAGE);
        }
    };
    if let Some(output) = &args.output {
        if is_same_file(output, path) {
            errln!(
                "gantry: {} is the file being imported; write the plan to another file",
                crate::sanitize::path(output)
            );
            return Ok(EXIT_USAGE);
        }
        if !args.force && output.symlink_metadata().is_ok() {
            errln!(
                "gantry: {} already exists; give --force to replace it, or choose another name",
                crate::sanitize::path(output)
            );
            return Ok(EXIT_INVALID);
        }
    }
    let bytes = store::read_bytes(path)?;
    let Ok(text) = String::from_utf8(bytes) else {
        errln!("gantry: {} is not UTF-8 text", crate::sanitize::path(path));
        return Ok(EXIT_INVALID);
    };
    let defaults = Defaults {
        name: path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .filter(|stem| !stem.is_empty())
            .unwrap_or_else(|| "Imported plan".to_owned()),
        start: today(),
        source: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let imported = match format {
        ImportFormat::Csv => import::csv::from_csv(&text, &defaults).map(|mut imported| {
            imported.warnings.extend(check_dates(&imported.text, &text));
            imported
        }),
        ImportFormat::Mspdi => match import::from_mspdi(&text) {
            // The MSPDI import compares the dates and checks the plan itself.
            Ok(imported) => Ok(Imported {
                text: imported.plan,
                warnings: imported
                    .warnings
                    .iter()
                    .map(|warning| import::Warning {
                        line: Some(u64::from(warning.pos.line)),
                        message: warning.to_string(),
                    })
                    .collect(),
            }),
            Err(error) => {
                let message = error.to_string();
                let message = message
                    .split_once(": ")
                    .map_or(message.as_str(), |(_, rest)| rest);
                errln!(
                    "{}:{}: error: {}",
                    crate::sanitize::path(path),
                    error.pos(),
                    crate::sanitize::for_terminal(message)
                );
                return Ok(EXIT_INVALID);
            }
        },
    };
    let Imported {
        text: plan,
        warnings,
    } = match imported {
        Ok(imported) => imported,
        Err(error) => {
            errln!(
                "{}: error: {}",
                crate::sanitize::path(path),
                crate::sanitize::message(&error)
            );
            return Ok(EXIT_INVALID);
        }
    };

    let mut stderr = io::stderr().lock();
    for warning in &warnings {
        let message = crate::sanitize::for_terminal(&warning.message);
        match warning.line {
            Some(line) => writeln!(
                stderr,
                "{}:{line}: warning: {message}",
                crate::sanitize::path(path)
            )?,
            None => writeln!(
                stderr,
                "{}: warning: {message}",
                crate::sanitize::path(path)
            )?,
        }
    }
    drop(stderr);

    match &args.output {
        Some(output) => match store::write_plan(output, None, &plan) {
            Ok(saved) => {
                super::warn_split_links(output, saved.split_links());
                let tasks = plan.matches("\n[[task]]\n").count();
                outln!(
                    "wrote a plan of {} to {}{}",
                    crate::report::plural(tasks as i64, "task"),
                    crate::sanitize::path(output),
                    match warnings.len() {
                        0 => String::new(),
                        count => format!(" ({})", crate::report::plural(count as i64, "warning")),
                    }
                );
                Ok(EXIT_OK)
            }
            // A refusal (another writer holds the plan, or changed it) is
            // exit 1 as for every command; an I/O error is exit 2. Both
            // messages name the file already.
            Err(error) if error.is_refusal() => {
                errln!("gantry: {}", crate::sanitize::message(&error));
                Ok(EXIT_INVALID)
            }
            Err(error) => {
                let cause = std::error::Error::source(&error)
                    .map(|source| format!(": {source}"))
                    .unwrap_or_default();
                errln!(
                    "gantry: {}{}",
                    crate::sanitize::message(&error),
                    crate::sanitize::message(&cause)
                );
                Ok(EXIT_USAGE)
            }
        },
        None => {
            let mut out = io::stdout().lock();
            finish_output(out.write_all(plan.as_bytes()).and_then(|()| out.flush()))
        }
    }
}

/// The format a file's extension names.
fn format_for(path: &Path) -> Option<ImportFormat> {
    let extension = path.extension()?.to_str()?;
    if extension.eq_ignore_ascii_case("csv") {
        Some(ImportFormat::Csv)
    } else if extension.eq_ignore_ascii_case("xml") {
        Some(ImportFormat::Mspdi)
    } else {
        None
    }
}

/// Problems of the new plan, and tasks it schedules on other dates than
/// the table gave (a calendar's holidays are not in the table), as warnings.
fn check_dates(plan: &str, table: &str) -> Vec<import::Warning> {
    let mut warnings = Vec::new();
    let loaded = match store::parse_str(plan) {
        Ok(loaded) => loaded,
        Err(_) => return warnings,
    };
    for diagnostic in loaded.diagnostics.iter().filter(|d| d.is_error()) {
        warnings.push(import::Warning {
            line: None,
            message: format!("the new plan has a problem to fix: {}", diagnostic.message),
        });
    }
    let Ok(schedule) = crate::schedule::schedule(&loaded.plan) else {
        return warnings;
    };
    let given = import::csv::table_dates(table);
    for (task, dates) in loaded.plan.tasks.iter().zip(&schedule.tasks) {
        if let Some(&(start, finish)) = given.get(&task.id.value)
            && (start, finish) != (dates.start, dates.finish)
        {
            warnings.push(import::Warning {
                line: None,
                message: format!(
                    "task `{}`: the table says {start} to {finish}, the new plan schedules {} to {} \
                     (the table has no calendar: add holidays and workdays under [calendar])",
                    task.id.value, dates.start, dates.finish
                ),
            });
        }
    }
    warnings
}
