//! The command line: `gantry [FILE]` opens the app, `gantry COMMAND ...` works from scripts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "gantry",
    version,
    about = "A terminal planner for project implementation plans",
    long_about = "A terminal planner for project implementation plans.\n\n\
        A plan is one TOML file kept in git beside the code. `gantry plan.toml` opens it; \
        the commands below do the same work from scripts, CI and pre-commit hooks.\n\n\
        Exit codes: 0 success, 1 an invalid plan or a refused change, 2 usage or I/O error.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The plan to open (default: plan.toml in the current folder).
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a plan: exit 0 with a summary, or 1 with every problem as FILE:LINE:COL.
    Check(CheckArgs),
    /// Print the computed schedule (dates, slack, critical path).
    Schedule(ScheduleArgs),
    /// Record every task's current dates as its baseline.
    Baseline(BaselineArgs),
    /// Change tasks from the command line.
    #[command(subcommand)]
    Task(TaskCommand),
    /// Write a commented starter plan that uses every part of the format.
    New(NewArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON document on standard output.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan file.
    pub file: PathBuf,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The plan file.
    pub file: PathBuf,
    /// Print the schedule as JSON.
    #[arg(long)]
    pub json: bool,
    /// List only the tasks on the critical path.
    #[arg(long)]
    pub critical: bool,
    /// Compare with this named baseline instead of the default one.
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// The plan file.
    pub file: PathBuf,
    /// Keep the baseline under this name beside the default one.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Set task fields and save: `gantry task set plan.toml api status=done progress=100`.
    Set(TaskSetArgs),
}

#[derive(Debug, Args)]
pub struct TaskSetArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The task id.
    pub id: String,
    /// FIELD=VALUE pairs: name, phase, owner, duration, estimate, depends, start,
    /// milestone, status, progress, blocker, blocked_since, notes. An empty value
    /// removes an optional field.
    #[arg(required = true, value_name = "FIELD=VALUE")]
    pub assignments: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Where to write the plan.
    #[arg(default_value = "plan.toml")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}
