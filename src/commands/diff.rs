//! `gantry diff`: the change between two versions of a plan, in plan terms.
//!
//! The two versions come from two files, from git revisions of one file
//! (`--rev`), or from git itself calling gantry as an external diff
//! driver with its seven arguments. Either side may be missing, fail to
//! parse or be invalid: its problems are part of the output. Text goes to
//! a terminal or a pager, Markdown to a pull-request comment, JSON to
//! tools (`docs/diff.md`).

pub(crate) mod json;
mod markdown;
mod text;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::{ColorChoice, DiffArgs, DiffFormat};
use crate::diff::{self, Dating, EntityChange, EntitySummary, PlanDiff, Quoting};
use crate::git::{self, RepoFile};

use super::status::{finish_output, today};
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE};

/// What git calls a missing side.
const DEV_NULL: &str = "/dev/null";

/// The two sides and how to name the comparison.
struct Inputs {
    old: Input,
    new: Input,
    /// `diff a/plan.toml b/plan.toml`, and for git the blob ids.
    header: Header,
}

struct Input {
    label: String,
    bytes: Option<Vec<u8>>,
}

pub(crate) struct Header {
    pub old: String,
    pub new: String,
    /// `abc1234..def5678` when git gave the blob ids.
    pub index: Option<String>,
}

pub fn run(args: &DiffArgs) -> anyhow::Result<u8> {
    let inputs = match gather(args) {
        Ok(Some(inputs)) => inputs,
        Ok(None) => return Ok(EXIT_OK),
        Err(Refusal::Usage(message)) => {
            errln!(
                "gantry diff: {}",
                crate::sanitize::for_terminal(&message.to_string())
            );
            return Ok(EXIT_USAGE);
        }
        Err(Refusal::Other(error)) => return Err(error),
    };
    let dating = Dating {
        asked: args.date,
        fallback: today(),
    };
    let plan_diff = diff::compare_bytes(
        (inputs.old.label, inputs.old.bytes),
        (inputs.new.label, inputs.new.bytes),
        dating,
    );
    let format = if args.json {
        DiffFormat::Json
    } else {
        args.format
    };
    let output = render(&plan_diff, &inputs.header, format, use_color(args.color));
    let mut out = io::stdout().lock();
    let code = finish_output(out.write_all(output.as_bytes()).and_then(|()| out.flush()))?;
    if code == EXIT_OK && args.exit_code && plan_diff.has_changes() {
        return Ok(EXIT_INVALID);
    }
    Ok(code)
}

fn render(plan_diff: &PlanDiff, header: &Header, format: DiffFormat, color: bool) -> String {
    match format {
        DiffFormat::Text => text::render(plan_diff, header, color),
        DiffFormat::Markdown => markdown::render(plan_diff, header),
        DiffFormat::Json => json::render(plan_diff),
    }
}

/// The diff as `gantry diff` prints it, headed by the two sides' labels.
pub fn render_diff(plan_diff: &PlanDiff, format: DiffFormat) -> String {
    let header = Header {
        old: plan_diff.old.label.clone(),
        new: plan_diff.new.label.clone(),
        index: None,
    };
    render(plan_diff, &header, format, false)
}

enum Refusal {
    Usage(String),
    Other(anyhow::Error),
}

impl From<std::io::Error> for Refusal {
    fn from(error: std::io::Error) -> Self {
        Refusal::Other(error.into())
    }
}

impl From<git::GitError> for Refusal {
    fn from(error: git::GitError) -> Self {
        match error {
            git::GitError::NotARepository { .. } | git::GitError::BadRevision { .. } => {
                Refusal::Usage(error.to_string())
            }
            other => Refusal::Other(other.into()),
        }
    }
}

/// The two sides from the arguments; `None` when there is nothing to
/// compare (git asking about an unmerged path).
fn gather(args: &DiffArgs) -> Result<Option<Inputs>, Refusal> {
    let files = &args.files;
    match (files.len(), &args.rev) {
        (1, Some(rev)) => revisions(&files[0], rev).map(Some),
        (_, Some(_)) => Err(Refusal::Usage(
            "--rev compares revisions of one file: gantry diff FILE --rev REV[..REV]".to_owned(),
        )),
        (1, None) if std::env::var_os("GIT_DIFF_PATH_TOTAL").is_some() => {
            // git calls an external diff with the path alone for an unmerged file.
            outln!("* Unmerged path {}", crate::sanitize::for_terminal(&files[0].to_string_lossy()));
            Ok(None)
        }
        (2, None) => {
            let old = read_side(&files[0])?;
            let new = read_side(&files[1])?;
            Ok(Some(Inputs {
                header: Header {
                    old: old.label.clone(),
                    new: new.label.clone(),
                    index: None,
                },
                old,
                new,
            }))
        }
        (7..=9, None) => driver(files).map(Some),
        _ => Err(Refusal::Usage(
            "give two files (gantry diff OLD NEW), one file and revisions (gantry diff FILE --rev REV), \
             or the seven arguments git passes an external diff driver"
                .to_owned(),
        )),
    }
}

fn read_side(path: &Path) -> Result<Input, Refusal> {
    let label = path.display().to_string();
    if path == Path::new(DEV_NULL) {
        return Ok(Input { label, bytes: None });
    }
    match crate::store::read_bytes(path) {
        Ok(bytes) => Ok(Input {
            label,
            bytes: Some(bytes),
        }),
        Err(error @ crate::store::LoadError::IsDirectory { .. }) => {
            Err(Refusal::Usage(error.to_string()))
        }
        Err(error) => Err(Refusal::Other(error.into())),
    }
}

/// `path old-file old-hex old-mode new-file new-hex new-mode [new-path [message]]`.
fn driver(files: &[PathBuf]) -> Result<Inputs, Refusal> {
    let arg = |index: usize| files[index].to_string_lossy().into_owned();
    let path = arg(0);
    let new_path = if files.len() >= 8 {
        arg(7)
    } else {
        path.clone()
    };
    let side = |file: usize, hex: usize, mode: usize, label: String| -> Result<Input, Refusal> {
        if files[file] == Path::new(DEV_NULL) || arg(hex) == "." || arg(mode) == "." {
            return Ok(Input { label, bytes: None });
        }
        let bytes =
            crate::store::read_bytes(&files[file]).map_err(|error| Refusal::Other(error.into()))?;
        Ok(Input {
            label,
            bytes: Some(bytes),
        })
    };
    let old = side(1, 2, 3, format!("a/{path}"))?;
    let new = side(4, 5, 6, format!("b/{new_path}"))?;
    let short = |hex: String| -> String {
        if hex == "." {
            "0000000".to_owned()
        } else {
            hex.chars().take(7).collect()
        }
    };
    Ok(Inputs {
        header: Header {
            old: old.label.clone(),
            new: new.label.clone(),
            index: Some(format!("{}..{}", short(arg(2)), short(arg(5)))),
        },
        old,
        new,
    })
}

/// `REV`, `A..B` or `A...B` (an empty end is HEAD).
fn revisions(file: &Path, rev: &str) -> Result<Inputs, Refusal> {
    let repo = RepoFile::locate(file)?;
    let head = |end: &str| {
        if end.is_empty() {
            "HEAD".to_owned()
        } else {
            end.to_owned()
        }
    };
    let blob = |hash: &str| git::show(&repo, hash);
    let (old, new) = if let Some((first, second)) = rev.split_once("...") {
        let (first, second) = (head(first), head(second));
        let second_hash = repo.resolve(&second)?;
        let base = repo
            .merge_base(&repo.resolve(&first)?, &second_hash)
            .map_err(|error| match error {
                git::GitError::Failed { .. } => {
                    Refusal::Usage(format!("{first} and {second} have no common ancestor"))
                }
                other => other.into(),
            })?;
        (
            Input {
                label: format!("{}@merge-base({first}, {second})", repo.path),
                bytes: blob(&base)?,
            },
            Input {
                label: format!("{}@{second}", repo.path),
                bytes: blob(&second_hash)?,
            },
        )
    } else if let Some((first, second)) = rev.split_once("..") {
        let (first, second) = (head(first), head(second));
        let (first_hash, second_hash) = (repo.resolve(&first)?, repo.resolve(&second)?);
        (
            Input {
                label: format!("{}@{first}", repo.path),
                bytes: blob(&first_hash)?,
            },
            Input {
                label: format!("{}@{second}", repo.path),
                bytes: blob(&second_hash)?,
            },
        )
    } else {
        let hash = repo.resolve(rev)?;
        let work_tree = if file.exists() {
            read_side(file)?.bytes
        } else {
            None
        };
        (
            Input {
                label: format!("{}@{rev}", repo.path),
                bytes: blob(&hash)?,
            },
            Input {
                label: file.display().to_string(),
                bytes: work_tree,
            },
        )
    };
    Ok(Inputs {
        header: Header {
            old: old.label.clone(),
            new: new.label.clone(),
            index: None,
        },
        old,
        new,
    })
}

/// Colour when asked, or when the output is a terminal (or git's pager,
/// which shows colour) and `NO_COLOR` is not set.
pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
            let dumb = std::env::var("TERM").is_ok_and(|term| term == "dumb");
            !set("NO_COLOR") && !dumb && (io::stdout().is_terminal() || pager_in_use())
        }
    }
}

/// git sets `GIT_PAGER_IN_USE` when it pipes into its pager, which shows
/// colour (`less -R`): git's own `color.ui = auto` colours then too.
fn pager_in_use() -> bool {
    std::env::var("GIT_PAGER_IN_USE").is_ok_and(|value| {
        matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on"
        )
    })
}

// ---------------------------------------------------------------------
// Shared by the text and Markdown outputs.

/// An added or removed entity on one line: `id "name": fact value, ...`.
pub(crate) fn summary_line(summary: &EntitySummary, quoting: &Quoting<'_>) -> String {
    let mut line = (quoting.id)(&summary.id);
    if !summary.name.is_empty() && !summary.id.is_empty() {
        line.push(' ');
        line.push_str(&(quoting.text)(&summary.name));
    } else if summary.id.is_empty() {
        line = (quoting.text)(&summary.name);
    }
    let facts: Vec<String> = summary
        .facts
        .iter()
        .map(|(key, value)| format!("{key} {}", value.display(quoting)))
        .collect();
    if !facts.is_empty() {
        line.push_str(": ");
        line.push_str(&facts.join(", "));
    }
    line
}

/// A changed entity's heading: `id "name" (was old-id; closed, rescored)`.
pub(crate) fn change_heading(change: &EntityChange, quoting: &Quoting<'_>) -> String {
    let mut line = (quoting.id)(&change.id);
    if !change.name.is_empty() && !change.name.starts_with("week of ") {
        line.push(' ');
        line.push_str(&(quoting.text)(&change.name));
    }
    let mut notes = Vec::new();
    if let Some(old_id) = &change.old_id {
        notes.push(format!("was {}", (quoting.id)(old_id)));
    }
    let events: Vec<&str> = change
        .events
        .iter()
        .filter(|event| **event != diff::Event::IdChanged)
        .map(|event| event_words(*event))
        .collect();
    if !events.is_empty() {
        notes.push(events.join(", "));
    }
    if !notes.is_empty() {
        line.push_str(&format!(" ({})", notes.join("; ")));
    }
    line
}

fn event_words(event: diff::Event) -> &'static str {
    use diff::Event;
    match event {
        Event::Renamed => "renamed",
        Event::IdChanged => "new id",
        Event::MovedPhase => "moved to another phase",
        Event::Started => "started",
        Event::Finished => "finished",
        Event::Reopened => "reopened",
        Event::Blocked => "blocked",
        Event::Unblocked => "unblocked",
        Event::RiskClosed => "closed",
        Event::RiskMitigated => "mitigated",
        Event::RiskOccurred => "occurred",
        Event::RiskReopened => "reopened",
        Event::Rescored => "re-scored",
        Event::Approved => "approved",
        Event::Rejected => "rejected",
        Event::Carried => "carried out",
        Event::Reproposed => "back to proposed",
        Event::Signed => "signed",
        Event::Unsigned => "no longer signed",
    }
}

/// How many moved dates the text and Markdown outputs list; JSON lists all.
pub(crate) const DATES_LISTED: usize = 20;

/// The moves to list: the largest, shown in plan order.
pub(crate) fn listed_moves(diff: &PlanDiff) -> Vec<&diff::DateMove> {
    let moved = &diff.schedule.moved;
    if moved.len() <= DATES_LISTED {
        return moved.iter().collect();
    }
    let mut order: Vec<usize> = (0..moved.len()).collect();
    order.sort_by_key(|&index| {
        let entry = &moved[index];
        (
            std::cmp::Reverse(entry.finish_days.abs().max(entry.start_days.abs())),
            index,
        )
    });
    order.truncate(DATES_LISTED);
    order.sort_unstable();
    order.into_iter().map(|index| &moved[index]).collect()
}

/// `+3` or `-2`, working days.
pub(crate) fn signed_days(days: i64) -> String {
    if days > 0 {
        format!("+{days}")
    } else {
        days.to_string()
    }
}
