//! Asking `git` about a plan file: its blobs at revisions, the commits
//! that changed it, and configuration. Everything goes through the `git`
//! program, so it behaves as git does for the user (worktrees, `GIT_DIR`,
//! alternates, partial clones).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// What went wrong asking git.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0}; is git installed and on the PATH?")]
    Spawn(#[source] std::io::Error),
    #[error("{} is not inside a git repository", path.display())]
    NotARepository { path: PathBuf },
    #[error("`{rev}` is not a revision in this repository")]
    BadRevision { rev: String },
    #[error("git {command} failed: {message}")]
    Failed { command: String, message: String },
    #[error("unexpected output from git {command}: {detail}")]
    Protocol { command: String, detail: String },
    #[error("reading from git: {0}")]
    Io(#[from] std::io::Error),
}

/// A file inside a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoFile {
    /// The top of the work tree.
    pub root: PathBuf,
    /// The file's path from the top, with `/` between parts, as git names it.
    pub path: String,
    /// The file as given.
    pub file: PathBuf,
}

/// One commit that changed a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCommit {
    pub hash: String,
    /// The author date, as git gives it (`2027-01-04T10:00:00+01:00`).
    pub date: String,
    pub author: String,
    pub subject: String,
    /// The file's path in that commit (it may have been renamed since).
    pub path: String,
    /// Whether the commit deleted the file.
    pub deleted: bool,
}

/// Runs git in `dir` with `args` and gives its standard output.
fn run(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(GitError::Failed {
            command: args.first().copied().unwrap_or_default().to_owned(),
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A revision as the user wrote it, refused when git would read it as an
/// option.
fn checked_rev(rev: &str) -> Result<&str, GitError> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains('\0') || rev.contains('\n') {
        return Err(GitError::BadRevision {
            rev: rev.to_owned(),
        });
    }
    Ok(rev)
}

impl RepoFile {
    /// Finds the repository a file is in. The file need not exist, but its
    /// folder must.
    pub fn locate(file: &Path) -> Result<RepoFile, GitError> {
        let name = file
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| GitError::NotARepository {
                path: file.to_owned(),
            })?;
        let dir = match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let output =
            run(&dir, &["rev-parse", "--show-toplevel", "--show-prefix"]).map_err(|error| {
                match error {
                    GitError::Failed { .. } => GitError::NotARepository {
                        path: file.to_owned(),
                    },
                    other => other,
                }
            })?;
        let output = text(output);
        let mut lines = output.lines();
        let root = lines.next().unwrap_or_default();
        let prefix = lines.next().unwrap_or_default();
        if root.is_empty() {
            return Err(GitError::NotARepository {
                path: file.to_owned(),
            });
        }
        Ok(RepoFile {
            root: PathBuf::from(root),
            path: format!("{prefix}{name}"),
            file: file.to_owned(),
        })
    }

    /// The full hash of the commit `rev` names.
    pub fn resolve(&self, rev: &str) -> Result<String, GitError> {
        let rev = checked_rev(rev)?;
        let spec = format!("{rev}^{{commit}}");
        match run(&self.root, &["rev-parse", "--verify", "--quiet", &spec]) {
            Ok(hash) => Ok(text(hash).trim().to_owned()),
            Err(GitError::Failed { .. }) => Err(GitError::BadRevision {
                rev: rev.to_owned(),
            }),
            Err(other) => Err(other),
        }
    }

    /// The best common ancestor of two commits, for `A...B`.
    pub fn merge_base(&self, first: &str, second: &str) -> Result<String, GitError> {
        let output = run(&self.root, &["merge-base", first, second])?;
        Ok(text(output).trim().to_owned())
    }

    /// The commits that changed the file, newest first, following renames.
    /// `range` is what `git log` takes (`main..topic`, `v1.0..`); `None`
    /// means the history of HEAD.
    pub fn log(&self, range: Option<&str>) -> Result<Vec<FileCommit>, GitError> {
        let mut args = vec![
            "log",
            "--follow",
            "-z",
            "--format=%x1e%H%x1f%aI%x1f%an%x1f%s",
            "--name-status",
        ];
        if let Some(range) = range {
            args.push(checked_rev(range)?);
        }
        args.push("--");
        args.push(&self.path);
        let output = run(&self.root, &args).map_err(|error| match (error, range) {
            (GitError::Failed { message, .. }, Some(range))
                if message.contains("bad revision")
                    || message.contains("unknown revision")
                    || message.contains("ambiguous argument") =>
            {
                GitError::BadRevision {
                    rev: range.to_owned(),
                }
            }
            (other, _) => other,
        })?;
        Ok(parse_log(&text(output), &self.path))
    }

    /// Reads blobs at `rev:path` one after another through one git process.
    pub fn blobs(&self) -> Result<BlobReader, GitError> {
        BlobReader::start(&self.root)
    }
}

/// `git log -z --name-status` records, newest first, each with the path
/// the file had in that commit.
fn parse_log(output: &str, path: &str) -> Vec<FileCommit> {
    let mut commits = Vec::new();
    // Going back in time, the name the file had before the newer commit.
    let mut current = path.to_owned();
    for record in output.split('\x1e').filter(|record| !record.is_empty()) {
        let (header, changes) = record.split_once('\0').unwrap_or((record, ""));
        let mut fields = header.split('\x1f');
        let hash = fields.next().unwrap_or_default().trim().to_owned();
        let date = fields.next().unwrap_or_default().to_owned();
        let author = fields.next().unwrap_or_default().to_owned();
        let subject = fields.next().unwrap_or_default().to_owned();
        if hash.is_empty() {
            continue;
        }
        let mut tokens = changes
            .trim_start_matches('\n')
            .split('\0')
            .filter(|token| !token.is_empty());
        let mut commit_path = current.clone();
        let mut deleted = false;
        if let Some(status) = tokens.next() {
            let status = status.trim();
            if status.starts_with('R') || status.starts_with('C') {
                let old = tokens.next().unwrap_or_default().to_owned();
                let new = tokens.next().unwrap_or_default().to_owned();
                commit_path = new;
                if status.starts_with('R') && !old.is_empty() {
                    current = old;
                }
            } else {
                commit_path = tokens.next().unwrap_or(&current).to_owned();
                deleted = status.starts_with('D');
                current = commit_path.clone();
            }
        }
        commits.push(FileCommit {
            hash,
            date,
            author,
            subject,
            path: commit_path,
            deleted,
        });
    }
    commits
}

/// A running `git cat-file --batch`: one request, one answer, so neither
/// side ever waits on a full pipe.
pub struct BlobReader {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl BlobReader {
    fn start(root: &Path) -> Result<BlobReader, GitError> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(GitError::Spawn)?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(GitError::Protocol {
                command: "cat-file".to_owned(),
                detail: "no pipes".to_owned(),
            });
        };
        Ok(BlobReader {
            child,
            input,
            output: BufReader::new(output),
        })
    }

    /// The file at `path` in commit `commit` (a hash), or `None` when the
    /// commit does not have it.
    pub fn read(&mut self, commit: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        if path.contains('\n') {
            return Ok(None);
        }
        writeln!(self.input, "{commit}:{path}")?;
        self.input.flush()?;
        let mut header = String::new();
        self.output.read_line(&mut header)?;
        let header = header.trim_end();
        if header.ends_with(" missing") || header.ends_with(" ambiguous") {
            return Ok(None);
        }
        let protocol = |detail: &str| GitError::Protocol {
            command: "cat-file".to_owned(),
            detail: detail.to_owned(),
        };
        let mut parts = header.rsplitn(3, ' ');
        let size: usize = parts
            .next()
            .and_then(|size| size.parse().ok())
            .ok_or_else(|| protocol(header))?;
        let kind = parts.next().unwrap_or_default();
        let mut content = vec![0; size];
        self.output.read_exact(&mut content)?;
        let mut newline = [0u8; 1];
        self.output.read_exact(&mut newline)?;
        if kind != "blob" {
            // A folder or a submodule under the plan's name: not a plan file.
            return Ok(None);
        }
        Ok(Some(content))
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        // Closing its input ends `git cat-file`; wait so no zombie is left.
        let _ = self.input.flush();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A single blob read by a short-lived process: for a comparison of two
/// revisions, where starting a batch would cost as much.
pub fn show(file: &RepoFile, commit: &str) -> Result<Option<Vec<u8>>, GitError> {
    let mut reader = file.blobs()?;
    reader.read(commit, &file.path)
}

/// A git config value, or `None` when it is not set. `scope` is
/// `--global`, `--local` or `--file=...`.
pub fn config_get(dir: &Path, scope: &str, key: &str) -> Result<Option<String>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["config", scope, "--get", key])
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    match output.status.code() {
        Some(0) => Ok(Some(text(output.stdout).trim_end_matches('\n').to_owned())),
        // 1: the key is not set.
        Some(1) => Ok(None),
        _ => Err(GitError::Failed {
            command: "config".to_owned(),
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        }),
    }
}

/// Sets a git config value.
pub fn config_set(dir: &Path, scope: &str, key: &str, value: &str) -> Result<(), GitError> {
    run(dir, &["config", scope, key, value]).map(|_| ())
}

/// The top of the work tree containing `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    match run(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(output) => {
            let root = text(output).trim().to_owned();
            if root.is_empty() {
                Err(GitError::NotARepository {
                    path: dir.to_owned(),
                })
            } else {
                Ok(PathBuf::from(root))
            }
        }
        Err(GitError::Failed { .. }) => Err(GitError::NotARepository {
            path: dir.to_owned(),
        }),
        Err(other) => Err(other),
    }
}

/// Where the repository's own files are (`.git`, or a worktree's folder).
pub fn git_dir(dir: &Path) -> Result<PathBuf, GitError> {
    let output = run(dir, &["rev-parse", "--absolute-git-dir"])?;
    Ok(PathBuf::from(text(output).trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_records_give_each_commit_the_path_it_had() {
        let output = "\x1eccc\x1f2027-01-03T00:00:00Z\x1fAna\x1fthree\0\nR100\0p.toml\0q.toml\0\
                      \x1ebbb\x1f2027-01-02T00:00:00Z\x1fBen\x1ftwo words\0\nM\0p.toml\0\
                      \x1eaaa\x1f2027-01-01T00:00:00Z\x1fAna\x1fone\0\nA\0p.toml\0";
        let commits = parse_log(output, "q.toml");
        let paths: Vec<&str> = commits.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["q.toml", "p.toml", "p.toml"]);
        assert_eq!(commits[1].author, "Ben");
        assert_eq!(commits[1].subject, "two words");
        assert!(!commits.iter().any(|c| c.deleted));
    }

    #[test]
    fn revisions_that_look_like_options_are_refused() {
        assert!(checked_rev("--output=x").is_err());
        assert!(checked_rev("").is_err());
        assert!(checked_rev("HEAD~2").is_ok());
    }
}
