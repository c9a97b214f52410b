//! `gantry report FILE [--week DATE] [--format markdown|html] [-o FILE]`:
//! the weekly status update, for the people who do not open a terminal.
//! The content is computed once by `crate::report::build`; this command
//! picks the writer and the destination.

use std::io::{self, Write};
use std::path::Path;

use crate::cli::{ReportArgs, ReportFormat};
use crate::metrics::week_monday;
use crate::report;
use crate::store::write_atomically;

use super::status::{finish_output, open_scheduled, status_date};
use super::{EXIT_OK, EXIT_USAGE};

pub fn run(args: &ReportArgs) -> anyhow::Result<u8> {
    let (file, schedule) = match open_scheduled(&args.file)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let plan = &file.plan;
    let status_date = status_date(plan, None);
    let week = week_monday(args.week.unwrap_or(status_date));
    let format = args
        .format
        .unwrap_or_else(|| format_for(args.output.as_deref()));
    let model = report::build(plan, &schedule, week, status_date);
    let text = match format {
        ReportFormat::Markdown => report::markdown::render(&model),
        ReportFormat::Html => report::html::render(&model),
    };
    write_output(
        &args.file,
        args.output.as_deref(),
        text.as_bytes(),
        &format!("the report for the week of {week}"),
    )
}

/// HTML when the output file's name says so, else Markdown.
pub fn format_for(output: Option<&Path>) -> ReportFormat {
    let html = output
        .and_then(Path::extension)
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("html") || extension.eq_ignore_ascii_case("htm")
        });
    if html {
        ReportFormat::Html
    } else {
        ReportFormat::Markdown
    }
}

/// Writes `bytes` to `output` atomically (never over the plan itself), or
/// to standard output; `what` names it in the message.
pub(super) fn write_output(
    plan: &Path,
    output: Option<&Path>,
    bytes: &[u8],
    what: &str,
) -> anyhow::Result<u8> {
    match output {
        Some(path) if is_same_file(path, plan) => {
            errln!(
                "gantry: {} is the plan itself; write to another file",
                crate::sanitize::path(path)
            );
            Ok(EXIT_USAGE)
        }
        Some(path) => match write_atomically(path, bytes) {
            Ok(()) => {
                outln!("wrote {what} to {}", crate::sanitize::path(path));
                Ok(EXIT_OK)
            }
            Err(error) => {
                errln!(
                    "gantry: cannot write {}: {}",
                    crate::sanitize::path(path),
                    crate::sanitize::message(&error)
                );
                Ok(EXIT_USAGE)
            }
        },
        None => {
            let mut out = io::stdout().lock();
            finish_output(out.write_all(bytes).and_then(|()| out.flush()))
        }
    }
}

/// Whether two paths name the same existing file (through links too).
pub(super) fn is_same_file(first: &Path, second: &Path) -> bool {
    match (std::fs::canonicalize(first), std::fs::canonicalize(second)) {
        (Ok(first), Ok(second)) => first == second,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_name_chooses_html() {
        assert_eq!(format_for(None), ReportFormat::Markdown);
        assert_eq!(format_for(Some(Path::new("a.md"))), ReportFormat::Markdown);
        assert_eq!(format_for(Some(Path::new("a.HTML"))), ReportFormat::Html);
        assert_eq!(format_for(Some(Path::new("w/a.htm"))), ReportFormat::Html);
    }
}
