//! `gantry git setup [--global] [PATTERN...]`: the attributes and config
//! that make git diff (and merge) plan files with gantry.
//!
//! The attributes go to the repository's `.gitattributes` (committed, so
//! the whole team's git knows which files are plans) or, with `--global`,
//! to the user's attributes file; the commands to the repository's or the
//! user's git config (never shared, so each person runs this once). Running
//! it again changes nothing and says so.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use crate::cli::{Cli, GitCommand, GitSetupArgs};
use crate::git::{self, GitError};
use crate::store::write_atomically;

use super::{EXIT_OK, EXIT_USAGE};

/// The driver name in attributes and config.
const DRIVER: &str = "gantry";
/// The plan files when none are named.
const DEFAULT_PATTERNS: &[&str] = &["plan.toml", "*.plan.toml"];

pub fn run(command: GitCommand) -> anyhow::Result<u8> {
    match command {
        GitCommand::Setup(args) => setup(&args),
    }
}

fn setup(args: &GitSetupArgs) -> anyhow::Result<u8> {
    let patterns: Vec<String> = if args.patterns.is_empty() {
        DEFAULT_PATTERNS.iter().map(|p| (*p).to_owned()).collect()
    } else {
        args.patterns.clone()
    };
    for pattern in &patterns {
        if let Err(problem) = check_pattern(pattern) {
            errln!(
                "gantry git setup: {}",
                crate::sanitize::for_terminal(&problem.to_string())
            );
            return Ok(EXIT_USAGE);
        }
    }
    let cwd = std::env::current_dir()?;
    let (attributes, scope) = if args.global {
        (global_attributes_file(&cwd)?, "--global")
    } else {
        match git::toplevel(&cwd) {
            Ok(root) => (root.join(".gitattributes"), "--local"),
            Err(GitError::NotARepository { .. }) => {
                errln!(
                    "gantry git setup: {} is not inside a git repository; run this inside one, \
                     or use --global to set up every repository of yours",
                    crate::sanitize::path(&cwd)
                );
                return Ok(EXIT_USAGE);
            }
            Err(error) => return Err(error.into()),
        }
    };
    let program = program_name();
    let merges = Cli::command().find_subcommand("merge").is_some();
    let entries = config_entries(&program, merges);
    let attribute_values = attribute_values(merges);

    let verb = |done: &str, would: &str| {
        if args.dry_run {
            would.to_owned()
        } else {
            done.to_owned()
        }
    };
    let mut report = Vec::new();

    // Only a regular file: a FIFO named `.gitattributes` is refused, not
    // waited on.
    let current = match crate::store::read_regular(&attributes, crate::store::MAX_PLAN_BYTES) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => {
            return Err(
                anyhow::Error::new(error).context(format!("cannot read {}", attributes.display()))
            );
        }
    };
    let (updated, changes) = update_attributes(&current, &patterns, &attribute_values);
    let shown = display_path(&attributes, &cwd);
    if changes.is_empty() {
        report.push(format!(
            "{shown}: already set up for {}",
            patterns.join(", ")
        ));
    } else {
        if !args.dry_run {
            if let Some(parent) = attributes.parent() {
                std::fs::create_dir_all(parent)?;
            }
            write_atomically(&attributes, updated.as_bytes()).map_err(|error| {
                anyhow::Error::new(error).context(format!("cannot write {}", attributes.display()))
            })?;
        }
        for change in changes {
            report.push(format!(
                "{shown}: {} `{}`",
                verb(change.done(), change.would()),
                change.line()
            ));
        }
    }

    let config_name = if args.global {
        "global git config"
    } else {
        "git config"
    };
    for (key, value) in &entries {
        match git::config_get(&cwd, scope, key)? {
            Some(existing) if existing == *value => {
                report.push(format!("{config_name}: {key} already set"));
            }
            existing => {
                if !args.dry_run {
                    git::config_set(&cwd, scope, key, value)?;
                }
                let what = match existing {
                    Some(old) => format!(
                        "{} {key} = {value} (was {old})",
                        verb("changed", "would change")
                    ),
                    None => format!("{} {key} = {value}", verb("set", "would set")),
                };
                report.push(format!("{config_name}: {what}"));
            }
        }
    }
    if !merges {
        report.push("merge driver: not configured, this gantry has no `merge` command".to_owned());
    }
    for line in report {
        outln!("{}", crate::sanitize::for_terminal(&line));
    }
    Ok(EXIT_OK)
}

/// The git config this program needs: the diff driver, and the merge
/// driver when this gantry has a `merge` command.
fn config_entries(program: &str, merges: bool) -> Vec<(String, String)> {
    let mut entries = vec![(
        format!("diff.{DRIVER}.command"),
        format!("{program} diff --"),
    )];
    if merges {
        entries.push((
            format!("merge.{DRIVER}.name"),
            "gantry plan merge".to_owned(),
        ));
        entries.push((
            format!("merge.{DRIVER}.driver"),
            format!("{program} merge %O %A %B %P"),
        ));
    }
    entries
}

/// The attributes each plan file pattern gets.
fn attribute_values(merges: bool) -> Vec<String> {
    let mut values = vec![format!("diff={DRIVER}")];
    if merges {
        values.push(format!("merge={DRIVER}"));
    }
    values
}

/// Patterns that git would read as something else are refused.
fn check_pattern(pattern: &str) -> Result<(), String> {
    if pattern.is_empty() || pattern.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{pattern:?} is not a pattern git attributes can hold: no spaces or control characters"
        ));
    }
    if pattern.starts_with('#') || pattern.starts_with('!') || pattern.starts_with('"') {
        return Err(format!(
            "{pattern:?} would not be read as a file pattern (a leading '#', '!' or '\"' means something else)"
        ));
    }
    Ok(())
}

/// The user's attributes file: `core.attributesFile`, else git's default
/// under the XDG config folder.
fn global_attributes_file(cwd: &Path) -> anyhow::Result<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Some(configured) = git::config_get(cwd, "--global", "core.attributesFile")? {
        if let Some(rest) = configured.strip_prefix("~/")
            && let Some(home) = &home
        {
            return Ok(home.join(rest));
        }
        return Ok(PathBuf::from(configured));
    }
    let config = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(folder) => PathBuf::from(folder),
        None => match home {
            Some(home) => home.join(".config"),
            None => anyhow::bail!(
                "neither HOME nor XDG_CONFIG_HOME is set: cannot find the global attributes file"
            ),
        },
    };
    Ok(config.join("git").join("attributes"))
}

fn display_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

/// The program as git should call it: `gantry` when that is this program
/// on the PATH, else this program's full path, quoted for the shell.
fn program_name() -> String {
    let Ok(this) = std::env::current_exe().and_then(|path| path.canonicalize()) else {
        return "gantry".to_owned();
    };
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("gantry"))
            .find(|candidate| candidate.is_file())
    });
    if on_path
        .and_then(|found| found.canonicalize().ok())
        .as_deref()
        == Some(this.as_path())
    {
        return "gantry".to_owned();
    }
    shell_quoted(&this.to_string_lossy())
}

fn shell_quoted(text: &str) -> String {
    if !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '/' | '.' | '_' | '-' | '+' | ':' | '@' | '%' | ',')
        })
    {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// One change made to the attributes file.
#[derive(Debug, PartialEq, Eq)]
enum AttributeChange {
    Added(String),
    Updated(String),
}

impl AttributeChange {
    fn line(&self) -> &str {
        match self {
            AttributeChange::Added(line) | AttributeChange::Updated(line) => line,
        }
    }

    fn done(&self) -> &'static str {
        match self {
            AttributeChange::Added(_) => "added",
            AttributeChange::Updated(_) => "updated",
        }
    }

    fn would(&self) -> &'static str {
        match self {
            AttributeChange::Added(_) => "would add",
            AttributeChange::Updated(_) => "would update",
        }
    }
}

/// The attribute a token sets (`diff` for `diff=x`, `-diff`, `!diff`).
fn attribute_name(token: &str) -> &str {
    let token = token.trim_start_matches(['-', '!']);
    token.split_once('=').map_or(token, |(name, _)| name)
}

/// The attributes text with each pattern's line carrying `values`: an
/// existing line for the pattern gets what it lacks (a value for the same
/// attribute is replaced), a missing one is appended. Everything else,
/// comments and line endings included, stays as it was.
fn update_attributes(
    text: &str,
    patterns: &[String],
    values: &[String],
) -> (String, Vec<AttributeChange>) {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let mut changes = Vec::new();
    for pattern in patterns {
        let found = lines.iter().position(|line| {
            let content = line.trim_end_matches(['\n', '\r']);
            content.split_whitespace().next() == Some(pattern.as_str())
        });
        match found {
            Some(index) => {
                let line = &lines[index];
                let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
                let content = line.trim_end_matches(['\n', '\r']);
                let mut tokens: Vec<String> =
                    content.split_whitespace().map(str::to_owned).collect();
                let mut changed = false;
                for value in values {
                    let name = attribute_name(value);
                    match tokens
                        .iter()
                        .skip(1)
                        .position(|t| attribute_name(t) == name)
                    {
                        Some(position) if tokens[position + 1] == *value => {}
                        Some(position) => {
                            tokens[position + 1] = value.clone();
                            changed = true;
                        }
                        None => {
                            tokens.push(value.clone());
                            changed = true;
                        }
                    }
                }
                if changed {
                    let joined = tokens.join(" ");
                    changes.push(AttributeChange::Updated(joined.clone()));
                    lines[index] = format!("{joined}{ending}");
                }
            }
            None => {
                if let Some(last) = lines.last_mut()
                    && !last.ends_with('\n')
                {
                    last.push_str(newline);
                }
                let line = format!("{pattern} {}", values.join(" "));
                changes.push(AttributeChange::Added(line.clone()));
                lines.push(format!("{line}{newline}"));
            }
        }
    }
    (lines.concat(), changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Vec<String> {
        vec!["diff=gantry".to_owned(), "merge=gantry".to_owned()]
    }

    fn patterns() -> Vec<String> {
        vec!["plan.toml".to_owned(), "*.plan.toml".to_owned()]
    }

    #[test]
    fn appends_missing_lines_and_keeps_the_rest() {
        let text = "# ours\n*.png binary";
        let (updated, changes) = update_attributes(text, &patterns(), &values());
        assert_eq!(
            updated,
            "# ours\n*.png binary\nplan.toml diff=gantry merge=gantry\n*.plan.toml diff=gantry merge=gantry\n"
        );
        assert_eq!(changes.len(), 2);
        let (again, none) = update_attributes(&updated, &patterns(), &values());
        assert_eq!(again, updated);
        assert!(none.is_empty());
    }

    #[test]
    fn completes_an_existing_line_replacing_another_driver() {
        let text = "plan.toml text -diff eol=lf\r\n";
        let (updated, changes) = update_attributes(text, &patterns()[..1], &values());
        assert_eq!(
            updated,
            "plan.toml text diff=gantry eol=lf merge=gantry\r\n"
        );
        assert_eq!(
            changes,
            vec![AttributeChange::Updated(
                "plan.toml text diff=gantry eol=lf merge=gantry".to_owned()
            )]
        );
    }

    #[test]
    fn the_merge_driver_is_configured_only_with_a_merge_command() {
        let keys = |merges| -> Vec<String> {
            config_entries("gantry", merges)
                .into_iter()
                .map(|(key, _)| key)
                .collect()
        };
        assert_eq!(keys(false), ["diff.gantry.command"]);
        assert_eq!(
            keys(true),
            [
                "diff.gantry.command",
                "merge.gantry.name",
                "merge.gantry.driver"
            ]
        );
        assert_eq!(
            config_entries("'/opt/my tools/gantry'", true)[2].1,
            "'/opt/my tools/gantry' merge %O %A %B %P"
        );
        assert_eq!(attribute_values(true), ["diff=gantry", "merge=gantry"]);
        assert_eq!(attribute_values(false), ["diff=gantry"]);
    }

    #[test]
    fn quotes_program_paths_for_the_shell() {
        assert_eq!(
            shell_quoted("/usr/local/bin/gantry"),
            "/usr/local/bin/gantry"
        );
        assert_eq!(
            shell_quoted("/home/a b/it's/gantry"),
            "'/home/a b/it'\\''s/gantry'"
        );
    }

    #[test]
    fn refuses_patterns_git_would_misread() {
        assert!(check_pattern("plan.toml").is_ok());
        assert!(check_pattern("plans/*.toml").is_ok());
        assert!(check_pattern("my plan.toml").is_err());
        assert!(check_pattern("!plan.toml").is_err());
        assert!(check_pattern("#plan").is_err());
    }
}
