use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = gantry::cli::Cli::parse_args();
    gantry::commands::run(cli)
}
