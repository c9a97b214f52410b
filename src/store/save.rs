//! Atomic saves: a temporary file in the same folder (on Linux one without
//! a name until it is whole), flushed and synced, renamed over the plan,
//! then the folder synced. A crash at any moment leaves the old file or the
//! new one, whole.

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
    /// Another writer held the plan's lock for longer than a save takes.
    #[error(
        "{} is being saved by another program, which has held its lock ({}) for over {} s; nothing was written — try again",
        path.display(),
        lock.display(),
        super::lock::WAIT.as_secs_f32()
    )]
    Busy { path: PathBuf, lock: PathBuf },
    /// The plan changed on disk while a command made its change, and the
    /// change cannot be made again on the new text.
    #[error(
        "{} changed on disk while this change was made, and the change cannot be made on the new text: {reason}; nothing was written",
        path.display()
    )]
    Stale { path: PathBuf, reason: String },
    #[error("cannot save {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SaveError {
    /// Whether the save was refused to keep someone else's text (a command
    /// exits 1), rather than failed (an I/O error: exit 2).
    pub fn is_refusal(&self) -> bool {
        !matches!(self, SaveError::Io { .. })
    }
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
    let session = begin(path)?;
    if !overwrite
        && let Some(current) = session.current()
        && current != expected.as_bytes()
    {
        return Err(SaveError::Conflict {
            path: path.to_owned(),
        });
    }
    session.write(text)
}

/// A save under way: the plan's lock is held, and what is on disk now has
/// been read. Nobody else saves the plan until this is written or dropped.
#[derive(Debug)]
pub struct Session {
    /// The path as the user gave it, for messages.
    path: PathBuf,
    /// Where the text goes: the path with symlinks resolved.
    target: PathBuf,
    current: Option<Vec<u8>>,
    _lock: super::lock::Lock,
}

/// Takes the lock of the plan at `path` and reads what is there now.
pub fn begin(path: &Path) -> Result<Session, SaveError> {
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
    let lock = super::lock::acquire(&target).map_err(|busy| SaveError::Busy {
        path: path.to_owned(),
        lock: busy.lock_path,
    })?;
    // What is there now, read as a plan is: a FIFO or a device put in
    // the plan's place is refused, not read forever.
    let current = match super::input::read_if_present(&target) {
        Ok(current) => current,
        Err(super::LoadError::Io { source, .. }) => return Err(io_error(source)),
        Err(error) => return Err(io_error(std::io::Error::other(error.to_string()))),
    };
    Ok(Session {
        path: path.to_owned(),
        target,
        current,
        _lock: lock,
    })
}

impl Session {
    /// The file's bytes as they are now, under the lock; None when there is
    /// no file.
    pub fn current(&self) -> Option<&[u8]> {
        self.current.as_deref()
    }

    /// Writes `text` atomically, unless it is what is there already, and
    /// releases the lock.
    pub fn write(self, text: &str) -> Result<SaveOutcome, SaveError> {
        if self.current.as_deref() == Some(text.as_bytes()) {
            return Ok(SaveOutcome::Unchanged);
        }
        write_atomically(&self.target, text.as_bytes()).map_err(|source| SaveError::Io {
            path: self.path.clone(),
            source,
        })?;
        Ok(SaveOutcome::Written)
    }
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

/// Replaces `target` with `bytes`: write a sibling, fsync, rename, fsync the
/// folder. The file keeps its permission bits; a new file gets the usual
/// ones (read and write for all, less the umask).
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(target, bytes, None)
}

/// As `write_atomically`, but a new file takes the permission bits of
/// `like` (a recovery file is no more open than its plan).
pub fn write_atomically_like(target: &Path, bytes: &[u8], like: &Path) -> std::io::Result<()> {
    let permissions = fs::metadata(like)
        .ok()
        .map(|metadata| metadata.permissions());
    write_with(target, bytes, permissions)
}

fn write_with(
    target: &Path,
    bytes: &[u8],
    new_file_permissions: Option<fs::Permissions>,
) -> std::io::Result<()> {
    let folder = match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
        _ => PathBuf::from("."),
    };
    remove_abandoned_temporaries(&folder, target);
    let permissions = fs::metadata(target)
        .ok()
        .map(|metadata| metadata.permissions())
        .or(new_file_permissions);
    let prefix = format!("{}{}-", temp_prefix(target), std::process::id());
    #[cfg(target_os = "linux")]
    if unnamed::write(&folder, target, &prefix, bytes, permissions.as_ref())? {
        return Ok(());
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    if permissions.is_none() {
        use std::os::unix::fs::PermissionsExt;
        // Less the umask, as for any new file.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(&folder)?;
    temporary.write_all(bytes)?;
    temporary.flush()?;
    if let Some(permissions) = permissions {
        fs::set_permissions(temporary.path(), permissions)?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(target).map_err(|error| error.error)?;
    sync_folder(&folder)
}

/// On Linux the new text is written into a file that has no name yet
/// (`O_TMPFILE`), synced, and only then linked into the folder under a
/// temporary name and renamed over the plan. A save killed while writing
/// (the long part) leaves nothing behind: the kernel frees the nameless
/// file. Only a kill in the instant between the link and the rename
/// leaves a temporary file, and that one is whole.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::fs::{self, File, Permissions};
    use std::io::{self, Write};
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags};

    /// Writes `bytes` over `target` as described above, the folder synced
    /// after the rename. `Ok(false)` when
    /// the file system or the system cannot (no `O_TMPFILE`, no `/proc`):
    /// nothing was written, and the caller uses a named temporary file.
    pub fn write(
        folder: &Path,
        target: &Path,
        prefix: &str,
        bytes: &[u8],
        permissions: Option<&Permissions>,
    ) -> io::Result<bool> {
        let Some(name) = target.file_name() else {
            return Ok(false);
        };
        let Ok(directory) = File::open(folder) else {
            return Ok(false);
        };
        let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
        // Private until given the plan's bits; a new file gets the usual
        // bits less the umask.
        let mode = Mode::from_raw_mode(if permissions.is_some() { 0o600 } else { 0o666 });
        let Ok(fd) = rustix::fs::openat(&directory, ".", flags, mode) else {
            return Ok(false);
        };
        let mut file = File::from(fd);
        file.write_all(bytes)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions.clone())?;
        }
        file.sync_all()?;
        let Some(temporary) = link(&directory, &file, prefix)? else {
            return Ok(false);
        };
        if let Err(error) = rustix::fs::renameat(&directory, &temporary, &directory, name) {
            let _ = fs::remove_file(folder.join(&temporary));
            return Err(error.into());
        }
        directory.sync_all()?;
        Ok(true)
    }

    /// Gives the nameless `file` a fresh name `PREFIX<n>.tmp` in
    /// `directory`; None when linking through `/proc` is not possible.
    fn link(directory: &File, file: &File, prefix: &str) -> io::Result<Option<String>> {
        let source = format!("/proc/self/fd/{}", file.as_raw_fd());
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        for attempt in 0..64u32 {
            let temporary = format!("{prefix}{:08x}.tmp", seed.wrapping_add(attempt));
            match rustix::fs::linkat(
                CWD,
                source.as_str(),
                directory,
                temporary.as_str(),
                AtFlags::SYMLINK_FOLLOW,
            ) {
                Ok(()) => return Ok(Some(temporary)),
                Err(rustix::io::Errno::EXIST) => continue,
                Err(_) => return Ok(None),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "no free name for a temporary file",
        ))
    }
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    fs::File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Removes the temporary files that saves of `path` killed before their
/// rename left beside it (see `remove_abandoned_temporaries`).
pub fn tidy(path: &Path) {
    let Ok(target) = fs::canonicalize(path) else {
        return;
    };
    if let Some(folder) = target.parent() {
        remove_abandoned_temporaries(folder, &target);
    }
}

/// A save killed between naming its temporary file and renaming it leaves
/// that file behind; the next open or save removes those whose process is
/// gone.
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
