//! The lock that makes a save one step: whoever writes a plan holds an
//! exclusive advisory lock (`flock`) on the plan's folder while it reads
//! what is on disk, compares it with what it read before, and renames the
//! new text over it. Two writers at once then take turns: the second sees
//! the first one's text, and either makes its change again on it or is
//! refused, but never writes over it unseen.
//!
//! The lock is on the folder, not on the plan: a save replaces the plan by
//! a rename, so a lock on the plan's own file would be on the old file,
//! which nobody opens again, while the folder stays the same folder. No
//! file is made for it, so nothing new shows beside the plan (in a git
//! repository, nothing untracked). All the plans of one folder then take
//! turns to save, which costs nothing: a save takes milliseconds. The app
//! takes the lock only while it saves, so a plan open in the app never
//! blocks a command.
//!
//! Where the file system refuses `flock` on a folder (some network file
//! systems lock only files opened for writing), the lock is on
//! `.NAME.gantry-lock` beside the plan instead, as every writer on that
//! file system finds the same refusal and so the same lock. That file is
//! empty and is never removed (removing it while another process waits on
//! it would let a third take a lock of its own on a new file). Where that
//! cannot be locked either (`flock` refused with `ENOLCK` or `EOPNOTSUPP`),
//! or cannot be opened, the save goes on without a lock: the comparison
//! with what is on disk still catches a change made before it, but not one
//! made in the instant between that comparison and the rename.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a writer waits for another to finish its save before it gives
/// up. A save takes milliseconds; a lock held longer is a stuck process.
pub const WAIT: Duration = Duration::from_millis(2500);

/// How often a waiting writer tries again.
const POLL: Duration = Duration::from_millis(5);

/// A lock on a plan, released when dropped (closing the file releases it,
/// even when the process is killed).
#[derive(Debug)]
pub struct Lock {
    /// The folder or the lock file; None when the save goes on unlocked
    /// (see the module's words).
    _file: Option<File>,
}

/// Another writer held the lock for all of `WAIT`.
#[derive(Debug)]
pub struct Busy {
    /// What is locked: the plan's folder, or its lock file.
    pub lock_path: PathBuf,
}

/// Whether a save may make the lock file when the folder cannot be locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// A plan edited by gantry: the lock file is made if need be.
    Create,
    /// A file written whole (`import -o`, `merge` over the file git gives
    /// it): the lock file is taken only when it is there already, so none
    /// is left beside a new file or git's temporary one.
    IfPresent,
}

/// The lock file of the plan at `target` (a resolved path, not a symlink),
/// for file systems that cannot lock its folder: `.plan.toml.gantry-lock`
/// beside it.
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.gantry-lock"))
}

/// The folder whose lock guards the plan at `target`.
fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Takes the lock of the plan at `target`, waiting up to `WAIT` for
/// another writer to release it.
pub fn acquire(target: &Path, fallback: Fallback) -> Result<Lock, Busy> {
    acquire_within(target, fallback, WAIT)
}

pub fn acquire_within(target: &Path, fallback: Fallback, wait: Duration) -> Result<Lock, Busy> {
    let deadline = Instant::now() + wait;
    let folder = folder_of(target);
    // A folder opens for reading only, which is all `flock` needs.
    if let Ok(file) = File::open(&folder) {
        match wait_for(file, &folder, deadline)? {
            Taken::Locked(lock) => return Ok(lock),
            Taken::Refused => {}
        }
    }
    acquire_lock_file(target, fallback, deadline)
}

/// The lock on the lock file, where the folder cannot be locked.
fn acquire_lock_file(target: &Path, fallback: Fallback, deadline: Instant) -> Result<Lock, Busy> {
    let lock_path = lock_path(target);
    if fallback == Fallback::IfPresent && !lock_path.exists() {
        return Ok(Lock { _file: None });
    }
    let Some(file) = open(&lock_path) else {
        return Ok(Lock { _file: None });
    };
    match wait_for(file, &lock_path, deadline)? {
        Taken::Locked(lock) => Ok(lock),
        // No locks on this file system (ENOLCK, EOPNOTSUPP) or some other
        // refusal: the comparison alone guards the save.
        Taken::Refused => Ok(Lock { _file: None }),
    }
}

enum Taken {
    Locked(Lock),
    /// `flock` failed with an error, not because another holds the lock.
    Refused,
}

/// Locks `file` (which is `path`), trying again until `deadline`.
fn wait_for(file: File, path: &Path, deadline: Instant) -> Result<Taken, Busy> {
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Taken::Locked(Lock { _file: Some(file) })),
            Err(TryLockError::WouldBlock) => {
                if Instant::now() >= deadline {
                    return Err(Busy {
                        lock_path: path.to_owned(),
                    });
                }
                std::thread::sleep(POLL);
            }
            Err(TryLockError::Error(_)) => return Ok(Taken::Refused),
        }
    }
}

/// Opens (creating it if need be) the lock file. A lock file made by
/// another user may not be writable: a lock needs only reading. None when
/// it cannot be opened at all (a read-only folder: the save will say so).
fn open(lock_path: &Path) -> Option<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Anyone who may save the plan may take its lock: the usual bits,
        // less the umask.
        options.mode(0o666);
    }
    options
        .open(lock_path)
        .or_else(|_| File::open(lock_path))
        .ok()
}

#[cfg(test)]
impl Lock {
    /// Whether a lock is held (false: the save goes on unlocked).
    pub fn is_held(&self) -> bool {
        self._file.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_gives_up_and_a_released_lock_is_taken() {
        let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plan = folder.path().join("plan.toml");
        let first = acquire(&plan, Fallback::Create).unwrap_or_else(|busy| panic!("{busy:?}"));
        assert!(first.is_held(), "a local folder can lock");
        let second = acquire_within(&plan, Fallback::Create, Duration::from_millis(30));
        assert!(
            matches!(&second, Err(Busy { lock_path: path }) if path == folder.path()),
            "{second:?}"
        );
        // Another plan in the same folder takes turns too.
        let other = folder.path().join("other.toml");
        assert!(acquire_within(&other, Fallback::Create, Duration::from_millis(30)).is_err());
        drop(first);
        assert!(acquire_within(&plan, Fallback::Create, Duration::from_millis(30)).is_ok());
        // Nothing was made in the folder.
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn where_the_folder_cannot_be_locked_the_lock_file_is() {
        let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plan = folder.path().join("plan.toml");
        let soon = || Instant::now() + Duration::from_millis(30);
        // A whole-file write makes no lock file where there is none.
        let none = acquire_lock_file(&plan, Fallback::IfPresent, soon());
        assert!(none.is_ok_and(|lock| !lock.is_held()));
        assert!(!lock_path(&plan).exists());
        let first = acquire_lock_file(&plan, Fallback::Create, soon())
            .unwrap_or_else(|busy| panic!("{busy:?}"));
        assert!(first.is_held());
        let empty = std::fs::metadata(lock_path(&plan)).map(|m| m.len()).ok();
        assert_eq!(empty, Some(0));
        // Once there, every writer takes turns on it.
        for fallback in [Fallback::Create, Fallback::IfPresent] {
            let second = acquire_lock_file(&plan, fallback, soon());
            assert!(
                matches!(&second, Err(Busy { lock_path: path }) if *path == lock_path(&plan)),
                "{second:?}"
            );
        }
        drop(first);
        let again = acquire_lock_file(&plan, Fallback::IfPresent, soon());
        assert!(again.is_ok_and(|lock| lock.is_held()));
        // The lock file stays.
        assert!(lock_path(&plan).exists());
    }

    #[test]
    fn the_lock_file_is_beside_the_plan() {
        let plan = Path::new("/srv/site/plan.toml");
        assert_eq!(
            lock_path(plan),
            Path::new("/srv/site/.plan.toml.gantry-lock")
        );
        assert_eq!(folder_of(plan), Path::new("/srv/site"));
        assert_eq!(folder_of(Path::new("plan.toml")), Path::new("."));
    }
}
