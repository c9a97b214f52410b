//! `gantry export FILE --to FORMAT [-o OUT]`: the plan and its schedule in
//! another tool's format (`crate::export`), to standard output or a file.

use crate::cli::{ExportArgs, ExportFormat};
use crate::export::{self, Options};

use super::EXIT_USAGE;
use super::report::write_output;
use super::status::{open_scheduled, status_date};

pub fn run(args: &ExportArgs) -> anyhow::Result<u8> {
    let (file, schedule) = match open_scheduled(&args.file)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    if args.markdown && args.to != ExportFormat::Mermaid {
        errln!("gantry: --markdown goes with --to mermaid");
        return Ok(EXIT_USAGE);
    }
    if args.what.is_some() && args.to != ExportFormat::Csv {
        errln!("gantry: --what goes with --to csv");
        return Ok(EXIT_USAGE);
    }
    let plan = &file.plan;
    let options = Options {
        markdown: args.markdown,
        table: args.what.unwrap_or_default(),
        status_date: status_date(plan, None),
    };
    let text = export::export(plan, &schedule, args.to, &options);
    let name = clap::ValueEnum::to_possible_value(&args.to)
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default();
    write_output(
        &args.file,
        args.output.as_deref(),
        text.as_bytes(),
        &format!("the {name} export"),
    )
}
