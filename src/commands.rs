//! One module per command; each returns the exit code it wants.

/// `println!` that never panics: a reader that stops early (`| head`)
/// is not an error, and nothing else is left to do with a line that
/// cannot be written.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics, for the same reason.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod baseline;
mod change;
mod check;
mod checkin;
mod diff;
mod export;
mod gate;
mod git_setup;
mod history;
mod import;
mod layout;
mod merge;
mod new;
mod report;
mod review;
mod risk;
mod schedule;
mod status;
mod task;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory;

pub use diff::render_diff;

use crate::cli::{Cli, Command};
use crate::store::{Edit, EditError, LoadError, Loaded, PlanFile, SaveOutcome};

/// Success.
pub const EXIT_OK: u8 = 0;
/// An invalid plan or a refused change.
pub const EXIT_INVALID: u8 = 1;
/// A usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Schedule(args)) => schedule::run(&args),
        Some(Command::Baseline(args)) => baseline::run(&args),
        Some(Command::Task(command)) => task::run(command),
        Some(Command::New(args)) => new::run(&args),
        Some(Command::Completions(args)) => completions(args.shell),
        Some(Command::Status(args)) => status::run(&args),
        Some(Command::Risk(command)) => risk::run(command),
        Some(Command::Checkin(args)) => checkin::run(&args),
        Some(Command::Report(args)) => report::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Diff(args)) => diff::run(&args),
        Some(Command::History(args)) => history::run(&args),
        Some(Command::Git(command)) => git_setup::run(command),
        Some(Command::Merge(args)) => merge::run(&args),
        Some(Command::Change(command)) => change::run(command),
        Some(Command::Gate(command)) => gate::run(command),
        Some(Command::Review(args)) => review::run(&args),
        None => open_app(cli.file),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            let _ = writeln!(
                std::io::stderr(),
                "gantry: {}",
                crate::sanitize::for_terminal(&format!("{error:#}"))
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "gantry", &mut std::io::stdout());
    Ok(EXIT_OK)
}

fn open_app(file: Option<PathBuf>) -> anyhow::Result<u8> {
    use std::io::IsTerminal;

    use crate::app::{App, Origin};

    let (file, origin) = match file {
        Some(path) => (path, Origin::File),
        None if Path::new("plan.toml").exists() => (PathBuf::from("plan.toml"), Origin::File),
        None => (PathBuf::from("plan.toml"), Origin::Demo),
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the app needs a terminal; from scripts use `gantry check {0}` or `gantry schedule {0}`",
            crate::sanitize::path(&file)
        );
    }
    let plan = match origin {
        Origin::Demo => PlanFile::from_text(&file, crate::app::DEMO_PLAN.to_owned())?,
        // The first frame from the fast read; the editable document is
        // parsed meanwhile, and the first edit waits for it.
        Origin::File => match open_plan_with(&file, false, PlanFile::open_deferred)? {
            Ok(plan) => plan,
            Err(code) => return Ok(code),
        },
    };
    let config = crate::config::Config::load(crate::theme::Capabilities::from_env());
    let today = chrono::Local::now().date_naive();
    crate::app::run::run_app(App::new(plan, origin, config, today), crate::ui::render)
}

/// Leaves a plan (or anything large) to the end of the process instead of
/// freeing it piece by piece: a command is about to exit, and freeing the
/// strings of 100,000 tasks would take longer than the rest of its work
/// after the reading.
pub(crate) fn leave<T>(value: T) {
    std::mem::forget(value);
}

/// Reads a plan for a command that only looks at it: the fast read path,
/// with no editable document. Problems and exit codes as `open_plan`.
pub(crate) fn read_plan(path: &Path, require_valid: bool) -> anyhow::Result<Result<Loaded, u8>> {
    let loaded = match crate::store::read(path) {
        Ok(loaded) => loaded,
        Err(LoadError::Syntax { diagnostics, .. }) => {
            print_diagnostics(path, &diagnostics)?;
            return Ok(Err(EXIT_INVALID));
        }
        Err(error) => return Err(error.into()),
    };
    if require_valid && loaded.has_errors() {
        refuse_invalid(path, &loaded.diagnostics)?;
        return Ok(Err(EXIT_INVALID));
    }
    Ok(Ok(loaded))
}

fn print_diagnostics(
    path: &Path,
    diagnostics: &[crate::diagnostic::Diagnostic],
) -> std::io::Result<()> {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        writeln!(stderr, "{}", diagnostic.display(path))?;
    }
    Ok(())
}

/// Prints a plan's errors and that they stop the command.
fn refuse_invalid(
    path: &Path,
    diagnostics: &[crate::diagnostic::Diagnostic],
) -> std::io::Result<()> {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics.iter().filter(|d| d.is_error()) {
        writeln!(stderr, "{}", diagnostic.display(path))?;
    }
    writeln!(
        stderr,
        "gantry: {} has errors; fix them first (see `gantry check`)",
        crate::sanitize::path(path)
    )
}

/// Opens a plan for a command. Prints the problems and gives the exit code
/// to return when the plan cannot be used: it does not parse, or (with
/// `require_valid`) it has errors. I/O errors are returned as errors (exit 2).
pub(crate) fn open_plan(path: &Path, require_valid: bool) -> anyhow::Result<Result<PlanFile, u8>> {
    open_plan_with(path, require_valid, PlanFile::open)
}

fn open_plan_with(
    path: &Path,
    require_valid: bool,
    open: fn(&Path) -> Result<PlanFile, LoadError>,
) -> anyhow::Result<Result<PlanFile, u8>> {
    let file = match open(path) {
        Ok(file) => file,
        Err(LoadError::Syntax { diagnostics, .. }) => {
            print_diagnostics(path, &diagnostics)?;
            return Ok(Err(EXIT_INVALID));
        }
        Err(error) => return Err(error.into()),
    };
    if require_valid && file.has_errors() {
        refuse_invalid(path, &file.diagnostics)?;
        return Ok(Err(EXIT_INVALID));
    }
    Ok(Ok(file))
}

/// Saves a plan a command changed with `edits`. When the plan changed on
/// disk since it was read (another command saving at the same moment),
/// the edits are made again on the new text, under the plan's lock, and
/// judged again; a refusal is printed and gives the exit code (1), an I/O
/// error is returned (exit 2).
pub(crate) fn save_edits(
    file: &mut PlanFile,
    edits: Vec<Edit>,
) -> anyhow::Result<Result<SaveOutcome, u8>> {
    save_redoing(file, |file| file.apply_all(edits).map(|_| ()))
}

/// As `save_edits`, with `redo` making the change again on the new text.
pub(crate) fn save_redoing(
    file: &mut PlanFile,
    redo: impl FnOnce(&mut PlanFile) -> Result<(), EditError>,
) -> anyhow::Result<Result<SaveOutcome, u8>> {
    match file.save_redoing(redo) {
        Ok(outcome) => {
            warn_split_links(&file.path, file.split_links());
            Ok(Ok(outcome))
        }
        Err(error) if error.is_refusal() => {
            errln!("gantry: {}", crate::sanitize::message(&error));
            Ok(Err(EXIT_INVALID))
        }
        Err(error) => Err(error.into()),
    }
}

/// Says so when a save replaced a file that had other names (hard links):
/// they still show the old text.
pub(crate) fn warn_split_links(path: &Path, links: Option<u64>) {
    if let Some(links) = links {
        errln!(
            "gantry: warning: {}",
            crate::sanitize::for_terminal(&crate::store::split_links_warning(path, links))
        );
    }
}
