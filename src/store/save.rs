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
    /// The plan was read from disk, and is not there any more.
    #[error(
        "{} was deleted on disk since it was read; nothing was written — save it again explicitly to bring it back",
        path.display()
    )]
    Deleted { path: PathBuf },
    /// Another writer held the plan's lock for longer than a save takes.
    #[error(
        "{} is being saved by another program, which has held its lock on {} for over {} s; nothing was written — try again",
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
    /// The plan has no write permission: it is left as it is, as a file
    /// in a read-only folder would be.
    #[error(
        "cannot save {}: the file is read-only (mode {mode:03o}); make it writable (chmod u+w) or save under another name",
        path.display()
    )]
    ReadOnly { path: PathBuf, mode: u32 },
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
        !matches!(self, SaveError::Io { .. } | SaveError::ReadOnly { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Written,
    /// The text was already what is on disk: the file was not touched.
    Unchanged,
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub outcome: SaveOutcome,
    /// How many names (hard links) the file had before the save; 0 when
    /// there was no file.
    pub links: u64,
}

impl Saved {
    /// How many names the file had, when the save replaced a file that
    /// had more than one: the rename gives this name the new text, and
    /// leaves the others on the old file.
    pub fn split_links(&self) -> Option<u64> {
        (self.outcome == SaveOutcome::Written && self.links > 1).then_some(self.links)
    }
}

/// The warning for a save that split hard links (see `Saved::split_links`).
pub fn split_links_warning(path: &Path, links: u64) -> String {
    let others = links - 1;
    format!(
        "{} had {links} hard links; saving gave this name a new file, so the other {} still show{} the old text",
        path.display(),
        if others == 1 {
            "link".to_owned()
        } else {
            format!("{others} links")
        },
        if others == 1 { "s" } else { "" }
    )
}

/// Writes `text` to `path` atomically. `expected` is what was read from the
/// file; unless `overwrite`, a file whose contents differ from it is refused.
pub fn save(path: &Path, expected: &str, text: &str, overwrite: bool) -> Result<Saved, SaveError> {
    save_with(path, expected, text, overwrite, Locking::Create)
}

/// As `save`, locking as `locking` says.
pub fn save_with(
    path: &Path,
    expected: &str,
    text: &str,
    overwrite: bool,
    locking: Locking,
) -> Result<Saved, SaveError> {
    let session = begin_with(path, locking)?;
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
    /// What is there now (None: nothing).
    metadata: Option<fs::Metadata>,
    _lock: super::lock::Lock,
}

/// Whether a save may make the plan's lock file, where its folder cannot
/// be locked (see `super::lock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locking {
    /// A plan edited by gantry: its saves take turns on the lock.
    Create,
    /// A file written whole (`import -o`, `merge` over the file git gives
    /// it): locked as any save where the folder can be locked; else only
    /// when the plan has a lock file already, so that none is left beside
    /// a new file or git's temporary one.
    IfPresent,
}

/// Takes the lock of the plan at `path` and reads what is there now.
pub fn begin(path: &Path) -> Result<Session, SaveError> {
    begin_with(path, Locking::Create)
}

fn begin_with(path: &Path, locking: Locking) -> Result<Session, SaveError> {
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
    let fallback = match locking {
        Locking::Create => super::lock::Fallback::Create,
        Locking::IfPresent => super::lock::Fallback::IfPresent,
    };
    let lock = super::lock::acquire(&target, fallback).map_err(|busy| SaveError::Busy {
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
    let metadata = match current {
        Some(_) => Some(fs::metadata(&target).map_err(io_error)?),
        None => None,
    };
    Ok(Session {
        path: path.to_owned(),
        target,
        current,
        metadata,
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
    /// releases the lock. A file without write permission is refused: the
    /// rename would replace it all the same, which is not what its mode says.
    pub fn write(self, text: &str) -> Result<Saved, SaveError> {
        let links = self.metadata.as_ref().map_or(0, link_count);
        if self.current.as_deref() == Some(text.as_bytes()) {
            return Ok(Saved {
                outcome: SaveOutcome::Unchanged,
                links,
            });
        }
        if let Some(metadata) = &self.metadata
            && let Some(mode) = read_only(&self.target, metadata)
        {
            return Err(SaveError::ReadOnly {
                path: self.path.clone(),
                mode,
            });
        }
        write_atomically(&self.target, text.as_bytes()).map_err(|source| SaveError::Io {
            path: self.path.clone(),
            source,
        })?;
        Ok(Saved {
            outcome: SaveOutcome::Written,
            links,
        })
    }
}

#[cfg(unix)]
fn link_count(metadata: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(metadata)
}

#[cfg(not(unix))]
fn link_count(_metadata: &fs::Metadata) -> u64 {
    1
}

/// The file's permission bits when this process may not write it: no
/// write bit at all (which even root respects here), or none that is ours.
#[cfg(unix)]
fn read_only(target: &Path, metadata: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o7777;
    if mode & 0o222 == 0 {
        return Some(mode);
    }
    #[cfg(target_os = "linux")]
    if rustix::fs::access(target, rustix::fs::Access::WRITE_OK) == Err(rustix::io::Errno::ACCESS) {
        return Some(mode);
    }
    let _ = target;
    None
}

#[cfg(not(unix))]
fn read_only(_target: &Path, metadata: &fs::Metadata) -> Option<u32> {
    metadata.permissions().readonly().then_some(0o444)
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
    let existing = fs::metadata(target).ok();
    let permissions = existing
        .as_ref()
        .map(|metadata| metadata.permissions())
        .or(new_file_permissions);
    let keep = Keep {
        permissions,
        owner: existing.as_ref().and_then(owner_of),
    };
    let prefix = format!("{}{}-", temp_prefix(target), std::process::id());
    #[cfg(target_os = "linux")]
    if unnamed::write(&folder, target, &prefix, bytes, &keep)? {
        return Ok(());
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    if keep.permissions.is_none() {
        use std::os::unix::fs::PermissionsExt;
        // Less the umask, as for any new file.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder
        .tempfile_in(&folder)
        .map_err(without_temporary_path)?;
    temporary.write_all(bytes)?;
    temporary.flush()?;
    keep.apply(temporary.as_file())?;
    temporary.as_file().sync_all()?;
    temporary
        .persist(target)
        .map_err(|error| without_temporary_path(error.error))?;
    sync_folder(&folder)
}

/// The cause of a failure without the name of our temporary file, which
/// `tempfile` adds (`... at path ".plan.toml.gantry-41-a1b2.tmp"`): the
/// user knows the plan's name, not that one, and every save error names
/// the plan.
fn without_temporary_path(error: std::io::Error) -> std::io::Error {
    if error.raw_os_error().is_some() {
        return error;
    }
    let text = error.to_string();
    match text.find(" at path ") {
        Some(at) => std::io::Error::new(error.kind(), text[..at].to_owned()),
        None => error,
    }
}

/// What the new file keeps of the one it replaces: its permission bits,
/// and its owner and group.
struct Keep {
    permissions: Option<fs::Permissions>,
    /// The user and group ids, where the system has them.
    owner: Option<(u32, u32)>,
}

impl Keep {
    /// Gives `file` the plan's owner and group, then its permission bits
    /// (in that order: a change of owner clears the set-id bits).
    fn apply(&self, file: &fs::File) -> std::io::Result<()> {
        if let Some((user, group)) = self.owner {
            keep_owner(file, user, group);
        }
        if let Some(permissions) = &self.permissions {
            file.set_permissions(permissions.clone())?;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn owner_of(metadata: &fs::Metadata) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.uid(), metadata.gid()))
}

#[cfg(not(unix))]
fn owner_of(_metadata: &fs::Metadata) -> Option<(u32, u32)> {
    None
}

/// Hands the new file to the plan's owner and group. Only root may give a
/// file to another user (a user may give it to another of their own
/// groups): otherwise the new file is the saver's, in the plan's group
/// when that is allowed. A refusal (`EPERM`, or a file system without
/// owners) never stops the save.
#[cfg(unix)]
fn keep_owner(file: &fs::File, user: u32, group: u32) {
    use std::os::unix::fs::MetadataExt;
    let Ok(metadata) = file.metadata() else {
        return;
    };
    if (metadata.uid(), metadata.gid()) == (user, group) {
        return;
    }
    if std::os::unix::fs::fchown(file, Some(user), Some(group)).is_err() && metadata.gid() != group
    {
        let _ = std::os::unix::fs::fchown(file, None, Some(group));
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &fs::File, _user: u32, _group: u32) {}

/// On Linux the new text is written into a file that has no name yet
/// (`O_TMPFILE`), synced, and only then linked into the folder under a
/// temporary name and renamed over the plan. A save killed while writing
/// (the long part) leaves nothing behind: the kernel frees the nameless
/// file. Only a kill in the instant between the link and the rename
/// leaves a temporary file, and that one is whole.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::fs::{self, File};
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
        keep: &super::Keep,
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
        let mode = Mode::from_raw_mode(if keep.permissions.is_some() {
            0o600
        } else {
            0o666
        });
        let Ok(fd) = rustix::fs::openat(&directory, ".", flags, mode) else {
            return Ok(false);
        };
        let mut file = File::from(fd);
        file.write_all(bytes)?;
        keep.apply(&file)?;
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
/// rename left beside it (see `abandoned_temporaries`), unless a save of
/// it is under way: `check` and every open tidy up so, not only saves.
pub fn tidy(path: &Path) {
    let Ok(target) = fs::canonicalize(path) else {
        return;
    };
    let Some(folder) = target.parent() else {
        return;
    };
    let abandoned = abandoned_temporaries(folder, &target);
    if abandoned.is_empty() {
        return;
    }
    // A save holds the lock from before it names its file until after
    // the rename: while someone holds it, their file is not abandoned.
    let Ok(_lock) = super::lock::acquire_within(
        &target,
        super::lock::Fallback::Create,
        std::time::Duration::ZERO,
    ) else {
        return;
    };
    for path in abandoned {
        let _ = fs::remove_file(path);
    }
}

/// Removes what `abandoned_temporaries` finds (for a save, which holds the
/// plan's lock already).
fn remove_abandoned_temporaries(folder: &Path, target: &Path) {
    for path in abandoned_temporaries(folder, target) {
        let _ = fs::remove_file(path);
    }
}

/// How old a temporary file of a live process must be to count as
/// abandoned: a save names its file only once it is written, and renames
/// it at once. Older than this, the process with that id is another one
/// (ids are reused) or a save stuck for good.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// A save killed between naming its temporary file and renaming it leaves
/// that file behind, named `.NAME.gantry-PID-RANDOM.tmp`. The files of that
/// exact shape beside `target` whose process is gone, or that are older
/// than `ABANDONED_AFTER`; nothing else is ever touched.
fn abandoned_temporaries(folder: &Path, target: &Path) -> Vec<PathBuf> {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut abandoned = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|rest| rest.split_once('-'))
            .filter(|(pid, random)| {
                !random.is_empty()
                    && random.bytes().all(|b| b.is_ascii_alphanumeric())
                    && !pid.is_empty()
                    && pid.bytes().all(|b| b.is_ascii_digit())
            })
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        let old = metadata
            .modified()
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > ABANDONED_AFTER);
        if old || !process_is_alive(pid) {
            abandoned.push(entry.path());
        }
    }
    abandoned
}

#[cfg(target_os = "linux")]
fn process_is_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_is_alive(pid: u32) -> bool {
    // Without /proc there is no cheap way to tell: only age counts.
    let _ = pid;
    true
}
