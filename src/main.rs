use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = gantry::cli::Cli::parse();
    gantry::commands::run(cli)
}
