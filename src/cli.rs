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

impl Cli {
    /// Parses the process's arguments, exiting with clap's message (and
    /// code 2) on a usage error.
    pub fn parse_args() -> Cli {
        Cli::try_parse_args(std::env::args_os()).unwrap_or_else(|error| error.exit())
    }

    /// Parses `gantry`, `gantry FILE` or `gantry COMMAND ...`. A first
    /// word that is not a command is the plan to open only when it stands
    /// alone and is not a misspelt command: `gantry shedule x.toml` (or
    /// `gantry shedule` with no such file) gets clap's "a similar
    /// subcommand exists" instead of being taken for a plan file.
    pub fn try_parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        if let Some(first) = args.get(1).and_then(|arg| arg.to_str())
            && !first.starts_with('-')
            && !is_command(first)
        {
            let alone = args.len() == 2;
            let path = std::path::Path::new(first);
            // A lone word that names no file and does not look like one
            // (no extension, no folder) was meant as a command.
            let looks_like_a_plan = path.exists()
                || path.extension().is_some()
                || first.contains(std::path::MAIN_SEPARATOR)
                || first.contains('/');
            if !alone || !path.exists() {
                // What clap says of it as a command, when it is not a plan.
                match Commands::try_parse_from(&args) {
                    Err(error) if !alone || suggests_a_command(&error) || !looks_like_a_plan => {
                        return Err(error);
                    }
                    _ => {}
                }
            }
        }
        Cli::try_parse_from(args)
    }
}

/// The command line read as commands only, for the errors of a word that
/// is neither a command nor a plan.
#[derive(Debug, Parser)]
#[command(
    name = "gantry",
    version,
    override_usage = "gantry [FILE]\n       gantry <COMMAND>"
)]
struct Commands {
    #[command(subcommand)]
    command: Command,
}

/// A date given on the command line; a wrong one is told what is wrong
/// with it ("February 2027 has 28 days"), not only that it is wrong.
fn date(text: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::Datelike;
    if let Ok(date) = text.parse::<chrono::NaiveDate>() {
        return Ok(date);
    }
    let numbers: Vec<u32> = text
        .split('-')
        .map(|part| {
            part.parse()
                .ok()
                .filter(|_| part.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect::<Option<_>>()
        .unwrap_or_default();
    let [year, month, day] = numbers[..] else {
        return Err("expected a date as YYYY-MM-DD, such as 2027-03-01".to_owned());
    };
    let year = i32::try_from(year).unwrap_or(i32::MAX);
    let Some(first) = chrono::NaiveDate::from_ymd_opt(year, month, 1) else {
        return Err(if (1..=12).contains(&month) {
            format!("{year} is beyond the years a date can have")
        } else {
            format!("there is no month {month}: months go from 01 to 12")
        });
    };
    let days = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day());
    Err(format!(
        "there is no day {day} in {}: it has {days} days",
        first.format("%B %Y")
    ))
}

/// A title or a reason: it must say something.
fn words(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        Err("it is blank: say it in a few words".to_owned())
    } else {
        Ok(text.to_owned())
    }
}

fn is_command(word: &str) -> bool {
    use clap::CommandFactory;
    word == "help"
        || Cli::command().get_subcommands().any(|command| {
            command.get_name() == word || command.get_all_aliases().any(|alias| alias == word)
        })
}

fn suggests_a_command(error: &clap::Error) -> bool {
    error
        .get(clap::error::ContextKind::SuggestedSubcommand)
        .is_some()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a plan: exit 0 with a summary, or 1 with every problem as FILE:LINE:COL.
    Check(CheckArgs),
    /// Print the computed schedule (dates, slack, critical path).
    Schedule(ScheduleArgs),
    /// Record every task's current dates as its baseline (--force to replace one).
    Baseline(BaselineArgs),
    /// Change tasks from the command line.
    #[command(subcommand)]
    Task(TaskCommand),
    /// Write a commented starter plan that uses every part of the format.
    New(NewArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the dashboard: earned value, forecast, blockers, variance and alerts.
    #[command(
        long_about = "Print the dashboard's numbers: budget (BAC), planned value (PV), earned value (EV), \
            actual cost (AC), their variances and indices (SV, CV, SPI, CPI), the forecasts (EAC, ETC, \
            VAC and the finish date by earned schedule), the burn rate, open blockers, the variance to \
            the baseline in working days, percent complete, and the alerts.\n\n\
            The numbers are taken at the status date: --date, else the plan's project.status_date, \
            else today. docs/metrics.md defines every number."
    )]
    Status(StatusArgs),
    /// List, add and change risks in the risk register.
    #[command(subcommand)]
    Risk(RiskCommand),
    /// Print this week's check-in drafted from the plan, or record it with --record.
    #[command(
        long_about = "Print the check-in of a week, drafted from the plan: tasks finished that week, \
            tasks starting or due the week after, blocked tasks, risks due for review, and the metrics.\n\n\
            With --record, append it to the plan as a [[checkin]] with the metrics as of that week. \
            The lists are the ones given with --done, --next and --blocked; when none of those is \
            given, the draft's items are recorded. A week that already has a check-in is refused."
    )]
    Checkin(CheckinArgs),
    /// Write the weekly status update: Markdown for an email or a wiki, or one HTML page.
    #[command(
        long_about = "Write the weekly status update: the headline numbers (budget against the \
            forecast cost, scheduled and forecast finish), milestones reached that week and due in \
            the next 30 days, what was done, what is next and what is blocked (as recorded in the \
            week's check-in first, then from the plan), the top open risks, the changes decided \
            that week and the check-in trend.\n\n\
            --format html writes one self-contained page (inline CSS and SVG, no script, nothing \
            loaded from the network) with a Gantt chart and the risk heat map, for a phone, a \
            browser or print. Text from the plan is escaped for the format, so it cannot inject \
            markup."
    )]
    Report(ReportArgs),
    /// Export the plan and its schedule for other tools: Mermaid, CSV, iCalendar or JSON.
    #[command(
        long_about = "Export the plan with its computed schedule in another tool's format, to \
            standard output or, with -o, to a file written atomically.\n\n\
            mermaid: a gantt block for GitHub and GitLab (--markdown wraps it in a fence). \
            csv: one row per task (--what risks|log for the register or the time log), with cells \
            a spreadsheet would run as a formula made inert. ics: an iCalendar of milestones, gate \
            deadlines, risk triggers and check-in days, with stable UIDs. json: the whole plan and \
            its schedule as one versioned document (docs/json.md)."
    )]
    Export(ExportArgs),
    /// Make a new plan from another tool's file (the CSV that `export --to csv` writes).
    #[command(
        long_about = "Read another tool's file and write a new, commented gantry plan. The format \
            is --from, else the input's extension (.csv). Whatever the plan cannot hold is reported \
            as one warning per item. An existing output file is kept unless --force is given."
    )]
    Import(ImportArgs),
    /// Show what changed between two versions of a plan, in plan terms.
    #[command(
        long_about = "Show what changed between two versions of a plan, in plan terms: the story first \
            (how the finish moved and which changes on the critical path explain it, risks opened and \
            closed, change requests decided, gates signed, money, check-ins), then every change in detail.\n\n\
            Forms:\n  gantry diff OLD NEW              two files\n  \
            gantry diff FILE --rev REV       REV against the work tree\n  \
            gantry diff FILE --rev A..B      two revisions (A... B: from their merge base)\n  \
            gantry diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE\n                                   \
            as git's external diff driver (`gantry git setup` configures it)\n\n\
            A side that is missing (/dev/null), does not parse or is invalid is shown with its problems. \
            Exit status: 0, whatever the plans hold; with --exit-code, 1 when they differ in plan terms. \
            2 for a usage or I/O error."
    )]
    Diff(DiffArgs),
    /// The plan over its git history: one line per commit, and a milestone trend chart.
    #[command(
        long_about = "The plan over its git history: one line per commit that changed the file (following \
            renames), oldest first, with the date, author, project finish, slip against the baseline, \
            percent complete, EAC, open risks and blockers; then a milestone trend chart, each milestone's \
            forecast date commit by commit (a milestone drifting right is slipping).\n\n\
            The numbers of a commit are taken at the plan's status date, else at the commit's date."
    )]
    History(HistoryArgs),
    /// Set git up to diff and merge plan files with gantry.
    #[command(subcommand)]
    Git(GitCommand),
    /// Merge two versions of a plan by entity and field; a git merge driver.
    #[command(
        long_about = "Merge OURS and THEIRS, two versions of a plan made from BASE, by entity id \
            and field: edits of different tasks, of different fields of one task, additions on \
            both sides and moves merge cleanly, keeping each side's formatting and comments. \
            A value both sides changed differently keeps ours' and is recorded in a [[conflict]] \
            table, which `gantry check` reports until it is resolved.\n\n\
            The result is written over OURS (or to -o FILE), as git expects of a merge driver:\n\n  \
            git config merge.gantry.name \"gantry plan merge\"\n  \
            git config merge.gantry.driver \"gantry merge %O %A %B %P\"\n  \
            echo 'plan.toml merge=gantry' >> .gitattributes\n\n\
            Exit codes: 0 merged cleanly; 1 conflicts, or errors the merge made (a dependency \
            cycle, a dangling dependency), or a version that is not a plan; 2 usage or I/O error."
    )]
    Merge(MergeArgs),
    /// List, show (with the computed impact), add and decide change requests.
    #[command(
        subcommand,
        long_about = "Change requests: list them, show one with its impact computed by scheduling the \
            plan with its task edits applied (finish before and after, the tasks that move, the \
            critical path, cost and its effect on BAC and EAC), add one, and decide it.\n\n\
            approve applies the change's task edits and new tasks in the same save that records the \
            decision (and, with --baseline NAME, records the new dates as a named baseline); reject \
            leaves the tasks alone; done marks an approved change carried out. A step the change's \
            status does not allow is refused (exit 1) and the file is left as it was."
    )]
    Change(ChangeCommand),
    /// Tick quality-gate checklist items and sign gates off.
    #[command(subcommand)]
    Gate(GateCommand),
    /// Print the post-implementation review as Markdown, with planned versus actual computed.
    #[command(
        long_about = "Print the post-implementation review as Markdown: the baseline finish against the \
            actual or forecast finish, the budget (BAC) against the actual cost, the scope items \
            delivered and dropped, the approved change requests, and what [review] records (what went \
            well, what to improve, lessons). The figures are taken at --date, else the plan's \
            project.status_date, else today."
    )]
    Review(ReviewArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON document on standard output.
    Json,
}

/// How `gantry diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    /// Plain text for a terminal or a pager.
    #[default]
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// One JSON document (docs/diff.md has the schema).
    Json,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// When standard output is a terminal (or git's pager) and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD NEW; FILE with --rev; or the seven arguments git gives an external diff driver.
    #[arg(value_name = "FILE", required = true, num_args = 1..=9)]
    pub files: Vec<PathBuf>,
    /// Compare git revisions of FILE: REV (against the work tree), A..B, A...B.
    #[arg(long, value_name = "REV[..REV]")]
    pub rev: Option<String>,
    /// How to print the change.
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
    /// Print JSON (the same as --format json).
    #[arg(long)]
    pub json: bool,
    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Exit 1 when the plans differ in plan terms, 0 when they do not.
    #[arg(long)]
    pub exit_code: bool,
    /// The status date for the numbers of both sides (YYYY-MM-DD); default:
    /// each side's project.status_date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The plan file, inside a git repository.
    pub file: PathBuf,
    /// The commits to look at, as `git log` takes them: `v1.0..`, `main..topic`, `HEAD~20..`.
    #[arg(long, value_name = "RANGE")]
    pub rev: Option<String>,
    /// Print one JSON document (docs/diff.md has the schema).
    #[arg(long)]
    pub json: bool,
    /// A milestone to chart (repeatable); default: every milestone, or the
    /// twelve that moved most.
    #[arg(long = "milestone", value_name = "ID")]
    pub milestones: Vec<String>,
    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Columns for the text output.
    #[arg(long, value_name = "COLUMNS", default_value_t = 80)]
    pub width: usize,
}

#[derive(Debug, Subcommand)]
pub enum GitCommand {
    /// Write the .gitattributes lines and git config that make `git diff`
    /// and `git merge` use gantry for plan files; safe to run again.
    Setup(GitSetupArgs),
}

#[derive(Debug, Args)]
pub struct GitSetupArgs {
    /// Configure every repository of this user: the global git config and
    /// the global attributes file, instead of this repository's.
    #[arg(long)]
    pub global: bool,
    /// Say what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The plan files, as .gitattributes patterns; default: `plan.toml`
    /// and `*.plan.toml`.
    #[arg(value_name = "PATTERN")]
    pub patterns: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan file.
    pub file: PathBuf,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Treat warnings as errors: exit 1 when there is any.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The date governance warnings are judged at (YYYY-MM-DD); default:
    /// project.status_date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
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
    /// Record over an existing baseline of that name (it is refused otherwise).
    #[arg(long)]
    pub force: bool,
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
    /// Mark a gated milestone done although its gate is open, recording
    /// this reason as an override on the gate (needs --by).
    #[arg(long = "override", value_name = "REASON", requires = "by")]
    pub override_reason: Option<String>,
    /// Who decides the override.
    #[arg(long, value_name = "NAME", requires = "override_reason")]
    pub by: Option<String>,
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

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The plan file.
    pub file: PathBuf,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
    /// The status date (YYYY-MM-DD); default: project.status_date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum RiskCommand {
    /// List the risk register: `gantry risk list plan.toml --sort trigger`.
    List(RiskListArgs),
    /// Add a risk after the last one: `gantry risk add plan.toml R9 --title "..." --likelihood 3 --impact 4`.
    Add(RiskAddArgs),
    /// Set risk fields and save: `gantry risk set plan.toml R2 status=mitigated reviewed=today`.
    Set(RiskSetArgs),
}

/// The order of `gantry risk list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RiskSort {
    /// Highest score (likelihood x impact) first.
    #[default]
    Score,
    /// By id.
    Id,
    /// Earliest trigger date first; risks without one last.
    Trigger,
}

#[derive(Debug, Args)]
pub struct RiskListArgs {
    /// The plan file.
    pub file: PathBuf,
    /// Print the register as JSON.
    #[arg(long)]
    pub json: bool,
    /// How to order the risks.
    #[arg(long, value_enum, default_value_t)]
    pub sort: RiskSort,
}

#[derive(Debug, Args)]
pub struct RiskAddArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The new risk's id, e.g. R9 (letters, digits, '-', '_', '.').
    pub id: String,
    /// What might happen.
    #[arg(long, value_parser = words)]
    pub title: String,
    /// How likely it is, 1 (rare) to 5 (almost certain).
    #[arg(long, value_name = "1-5")]
    pub likelihood: String,
    /// How bad it would be, 1 (minor) to 5 (severe).
    #[arg(long, value_name = "1-5")]
    pub impact: String,
    /// The person (id) who watches it.
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
    /// When to act if it is still open (YYYY-MM-DD or today).
    #[arg(long, value_name = "DATE")]
    pub trigger: Option<String>,
    /// What is done to reduce it, or the fallback.
    #[arg(long)]
    pub mitigation: Option<String>,
    /// urgent (act within 24 hours) or tracked (monitor).
    #[arg(long, value_name = "urgent|tracked")]
    pub tier: Option<String>,
    /// A task (id) the risk affects; repeat for several.
    #[arg(long = "task", value_name = "ID")]
    pub tasks: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RiskSetArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The risk id.
    pub id: String,
    /// FIELD=VALUE pairs: title, owner, likelihood, impact, trigger, mitigation,
    /// status, tier, tasks (comma-separated ids), reviewed. Dates take YYYY-MM-DD
    /// or `today`. An empty value removes an optional field.
    #[arg(required = true, value_name = "FIELD=VALUE")]
    pub assignments: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// The plan file.
    pub file: PathBuf,
    /// Any day of the week (YYYY-MM-DD); default: the status date's week.
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub week: Option<chrono::NaiveDate>,
    /// Append the check-in to the plan instead of printing the draft.
    #[arg(long)]
    pub record: bool,
    /// Something done this week (repeatable; with --record).
    #[arg(long, value_name = "TEXT", requires = "record")]
    pub done: Vec<String>,
    /// Something planned for next week (repeatable; with --record).
    #[arg(long, value_name = "TEXT", requires = "record")]
    pub next: Vec<String>,
    /// Something blocked, and on whom (repeatable; with --record).
    #[arg(long, value_name = "TEXT", requires = "record")]
    pub blocked: Vec<String>,
    /// A note for the week (with --record; several are joined by new lines).
    #[arg(long, value_name = "TEXT", requires = "record")]
    pub note: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The version both sides started from (git's %O).
    pub base: PathBuf,
    /// Our version (git's %A); the merged plan is written over it unless -o is given.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The plan's name in messages (git's %P); default: the file written.
    pub name: Option<PathBuf>,
    /// Write the merged plan to this file instead of over OURS.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The plan file.
    pub file: PathBuf,
    /// Any day of the week to report on (YYYY-MM-DD); default: the status date's week.
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub week: Option<chrono::NaiveDate>,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// markdown or html; default: html when -o ends in .html or .htm, else markdown.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

/// The format of `gantry report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown, for an email or a wiki.
    Markdown,
    /// One self-contained HTML page with a Gantt chart.
    Html,
}

/// The formats of `gantry export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A Mermaid gantt chart (renders on GitHub and GitLab).
    Mermaid,
    /// Comma-separated values for a spreadsheet.
    Csv,
    /// An iCalendar of milestones and deadlines.
    Ics,
    /// The whole plan and its schedule as one JSON document.
    Json,
    /// A TaskJuggler 3 project that `tj3` schedules to gantry's dates.
    Tjp,
    /// Microsoft Project XML (MSPDI), for MS Project, ProjectLibre and GanttProject.
    Mspdi,
}

/// What `gantry export --to csv` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CsvTable {
    /// One row per task.
    #[default]
    Tasks,
    /// One row per risk.
    Risks,
    /// One row per time-log entry.
    Log,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The format to write.
    #[arg(long = "to", value_enum, value_name = "FORMAT")]
    pub to: ExportFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --to mermaid: wrap the chart in a ```mermaid fence for Markdown.
    #[arg(long)]
    pub markdown: bool,
    /// With --to csv: which table to write (default: tasks).
    #[arg(long, value_enum)]
    pub what: Option<CsvTable>,
}

/// The formats `gantry import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// The task table that `gantry export --to csv` writes.
    Csv,
    /// Microsoft Project XML (MSPDI), from MS Project, ProjectLibre or GanttProject.
    Mspdi,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read.
    pub file: PathBuf,
    /// Its format; default: from the extension.
    #[arg(long = "from", value_enum, value_name = "FORMAT")]
    pub from: Option<ImportFormat>,
    /// Where to write the new plan; default: standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_args(std::iter::once("gantry").chain(args.iter().copied()))
    }

    #[test]
    fn a_plan_alone_opens_the_app_and_nothing_opens_the_default() {
        let cli = parse(&["plan.toml"]).expect("parses");
        assert_eq!(cli.file, Some(PathBuf::from("plan.toml")));
        assert!(cli.command.is_none());
        let cli = parse(&["plans/hotel"]).expect("parses");
        assert_eq!(cli.file, Some(PathBuf::from("plans/hotel")));
        let cli = parse(&[]).expect("parses");
        assert!(cli.file.is_none() && cli.command.is_none());
        let cli = parse(&["schedule", "x.toml"]).expect("parses");
        assert!(matches!(cli.command, Some(Command::Schedule(_))));
    }

    #[test]
    fn a_blank_title_or_reason_is_refused() {
        for args in [
            &["change", "add", "x.toml", "C3", "--title", " "][..],
            &["risk", "add", "x.toml", "R9", "--title", ""],
            &[
                "change", "approve", "x.toml", "C3", "--by", "Ana", "--reason", "\t",
            ],
            &[
                "change", "reject", "x.toml", "C3", "--by", "Ana", "--reason", "",
            ],
        ] {
            let message = parse(args).expect_err("refused").to_string();
            assert!(
                message.contains("it is blank: say it in a few words"),
                "{args:?}: {message}"
            );
        }
        assert!(
            parse(&[
                "change",
                "add",
                "x.toml",
                "C3",
                "--title",
                "Add a rollback drill"
            ])
            .is_ok()
        );
    }

    #[test]
    fn a_wrong_date_is_told_what_is_wrong_with_it() {
        assert_eq!(
            date("2027-03-01"),
            Ok(chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap())
        );
        for (text, expected) in [
            (
                "2027-02-30",
                "there is no day 30 in February 2027: it has 28 days",
            ),
            (
                "2028-02-30",
                "there is no day 30 in February 2028: it has 29 days",
            ),
            (
                "2027-04-31",
                "there is no day 31 in April 2027: it has 30 days",
            ),
            (
                "2027-01-00",
                "there is no day 0 in January 2027: it has 31 days",
            ),
            (
                "2027-13-01",
                "there is no month 13: months go from 01 to 12",
            ),
            (
                "03/01/2027",
                "expected a date as YYYY-MM-DD, such as 2027-03-01",
            ),
            (
                "2027-03-+1",
                "expected a date as YYYY-MM-DD, such as 2027-03-01",
            ),
            ("", "expected a date as YYYY-MM-DD, such as 2027-03-01"),
        ] {
            assert_eq!(date(text), Err(expected.to_owned()), "{text}");
        }
        let error = parse(&[
            "change",
            "add",
            "x.toml",
            "C3",
            "--title",
            "t",
            "--requested",
            "2027-02-30",
        ])
        .expect_err("refused");
        let message = error.to_string();
        assert!(
            message.contains("'--requested <YYYY-MM-DD>': there is no day 30 in February 2027"),
            "{message}"
        );
    }

    #[test]
    fn a_misspelt_command_gets_a_suggestion_not_a_plan() {
        for args in [
            &["shedule", "x.toml"][..],
            &["shedule"],
            &["chekc", "x.toml"],
        ] {
            let error = parse(args).expect_err("refused");
            assert_eq!(error.kind(), clap::error::ErrorKind::InvalidSubcommand);
            assert!(suggests_a_command(&error), "{args:?}: {error}");
        }
        let error = parse(&["frobnicate"]).expect_err("refused");
        assert_eq!(error.kind(), clap::error::ErrorKind::InvalidSubcommand);
        assert!(
            !error.to_string().contains("cannot be used with"),
            "{error}"
        );
    }
}

#[derive(Debug, Subcommand)]
pub enum ChangeCommand {
    /// List the change requests: `gantry change list plan.toml`.
    List(ChangeListArgs),
    /// Show one change request and its computed impact: `gantry change show plan.toml C2`.
    Show(ChangeShowArgs),
    /// Add a proposed change request: `gantry change add plan.toml C3 --title "..." --edit api:duration=8`.
    Add(ChangeAddArgs),
    /// Approve a proposed change and apply its task edits: `gantry change approve plan.toml C2 --by Ana`.
    Approve(ChangeApproveArgs),
    /// Reject a proposed change: `gantry change reject plan.toml C2 --by Ana --reason "..."`.
    Reject(ChangeDecideArgs),
    /// Mark an approved change carried out: `gantry change done plan.toml C2`.
    Done(ChangeIdArgs),
}

#[derive(Debug, Args)]
pub struct ChangeListArgs {
    /// The plan file.
    pub file: PathBuf,
    /// Print the change requests as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChangeShowArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The change request id.
    pub id: String,
    /// Print the change and its impact as JSON.
    #[arg(long)]
    pub json: bool,
    /// The status date for EAC (YYYY-MM-DD); default: project.status_date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct ChangeAddArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The new change request's id, e.g. C3 (letters, digits, '-', '_', '.').
    pub id: String,
    /// The change asked for.
    #[arg(long, value_parser = words)]
    pub title: String,
    /// Who asks for it.
    #[arg(long, value_name = "NAME")]
    pub requested_by: Option<String>,
    /// When it was asked (YYYY-MM-DD); default: the status date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub requested: Option<chrono::NaiveDate>,
    /// Declared cost impact, for a change without task edits.
    #[arg(long, allow_hyphen_values = true)]
    pub cost: Option<f64>,
    /// Declared schedule impact in working days, for a change without task edits.
    #[arg(long, allow_hyphen_values = true)]
    pub days: Option<i64>,
    /// A task edit the change carries, TASK:FIELD=VALUE (fields as `task set`); repeat for several.
    #[arg(long = "edit", value_name = "TASK:FIELD=VALUE")]
    pub edits: Vec<String>,
    /// Conditions, follow-up, anything else.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ChangeApproveArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The change request id.
    pub id: String,
    /// Who decides.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date of the decision (YYYY-MM-DD); default: the status date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
    /// Why it is approved.
    #[arg(long, value_parser = words)]
    pub reason: Option<String>,
    /// Record every task's new dates as a baseline of this name.
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
}

#[derive(Debug, Args)]
pub struct ChangeDecideArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The change request id.
    pub id: String,
    /// Who decides.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date of the decision (YYYY-MM-DD); default: the status date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
    /// Why it is rejected.
    #[arg(long, value_parser = words)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ChangeIdArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The change request id.
    pub id: String,
}

#[derive(Debug, Subcommand)]
pub enum GateCommand {
    /// Tick a checklist item (by number from 1, or by its text): `gantry gate check plan.toml G1 2`.
    Check(GateCheckArgs),
    /// Sign a gate off once every item is done: `gantry gate sign plan.toml G1 --by Ana`.
    Sign(GateSignArgs),
}

#[derive(Debug, Args)]
pub struct GateCheckArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The gate id.
    pub gate: String,
    /// The checklist item: its number from 1, or its text (or a unique part of it).
    pub item: String,
    /// Untick the item instead.
    #[arg(long, visible_alias = "open")]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct GateSignArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The gate id.
    pub gate: String,
    /// Who signs.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The sign-off date (YYYY-MM-DD); default: the status date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
    /// Sign although items are open, recording this reason as an override.
    #[arg(long = "override", value_name = "REASON")]
    pub override_reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The plan file.
    pub file: PathBuf,
    /// The date the figures are taken at (YYYY-MM-DD); default: project.status_date, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
}
