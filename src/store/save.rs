//! Atomic saves: a temporary file in the same folder, flushed and synced,
//! renamed over the plan, then the folder synced. A crash at any moment
//! leaves the old file or the new one, whole.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(
        "{} changed on disk since it was read (another editor or a `git pull`?); nothing was written — reload it and apply the change again",
        path.display()
    )]
    Conflict { path: PathBuf },
    #[error("{} already exists; choose another name or overwrite it explicitly", path.display())]
    Exists { path: PathBuf },
    #[error("cannot save {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Written,
    /// The text was already what is on disk: the file was not touched.
    Unchanged,
}

/// Writes `text` to `path` atomically. `expected` is what was read from the
/// file; unless `overwrite`, a file whose contents differ from it is refused.
pub fn save(
    path: &Path,
    expected: &str,
    text: &str,
    overwrite: bool,
) -> Result<SaveOutcome, SaveError> {
    let io_error = |source| SaveError::Io {
        path: path.to_owned(),
        source,
    };
    // Saving through a symlink writes the file it points to.
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            absolute(path).map_err(io_error)?
        }
        Err(error) => return Err(io_error(error)),
    };
    let current = match fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(io_error(error)),
    };
    if !overwrite
        && let Some(current) = &current
        && current.as_slice() != expected.as_bytes()
    {
        return Err(SaveError::Conflict {
            path: path.to_owned(),
        });
    }
    if current.as_deref() == Some(text.as_bytes()) {
        return Ok(SaveOutcome::Unchanged);
    }
    write_atomically(&target, text.as_bytes()).map_err(io_error)?;
    Ok(SaveOutcome::Written)
}

fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_owned())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

/// The prefix of our temporary files beside `target`: `.plan.toml.gantry-PID-`.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    format!(".{name}.gantry-")
}

/// Replaces `target` with `bytes`: write a sibling, fsync, rename, fsync the folder.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
        _ => PathBuf::from("."),
    };
    remove_abandoned_temporaries(&folder, target);
    let permissions = fs::metadata(target)
        .ok()
        .map(|metadata| metadata.permissions());
    let prefix = format!("{}{}-", temp_prefix(target), std::process::id());
    let mut temporary = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&folder)?;
    temporary.write_all(bytes)?;
    temporary.flush()?;
    if let Some(permissions) = permissions {
        fs::set_permissions(temporary.path(), permissions)?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(target).map_err(|error| error.error)?;
    sync_folder(&folder)
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    fs::File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A save killed between creating its temporary file and renaming it leaves
/// that file behind; the next save removes those whose process is gone.
fn remove_abandoned_temporaries(folder: &Path, target: &Path) {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        if !name.ends_with(".tmp") {
            continue;
        }
        let pid = rest
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_is_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn process_is_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_is_alive(pid: u32) -> bool {
    // Without /proc there is no cheap way to tell: leave every file alone.
    let _ = pid;
    true
}
