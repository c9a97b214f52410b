//! The lock that makes a save one step: whoever writes a plan holds an
//! exclusive advisory lock (`flock`) on a lock file beside it while it
//! reads what is on disk, compares it with what it read before, and
//! renames the new text over it. Two writers at once then take turns: the
//! second sees the first one's text, and either makes its change again on
//! it or is refused, but never writes over it unseen.
//!
//! The lock is on `.NAME.gantry-lock` beside the plan, not on the plan: a
//! save replaces the plan by a rename, so a lock on the plan's own file
//! would be on the old file, which nobody opens again. The lock file is
//! empty and is never removed (removing it while another process waits on
//! it would let a third take a lock of its own on a new file). The app
//! takes the lock only while it saves, so a plan open in the app never
//! blocks a command.
//!
//! Where the file system cannot lock (`flock` refused with `ENOLCK` or
//! `EOPNOTSUPP`, as some network file systems do), or the lock file cannot
//! be opened, the save goes on without the lock: the comparison with what
//! is on disk still catches a change made before it, but not one made in
//! the instant between that comparison and the rename.

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
    /// None when the save goes on unlocked (see the module's words).
    _file: Option<File>,
}

/// Another writer held the lock for all of `WAIT`.
#[derive(Debug)]
pub struct Busy {
    pub lock_path: PathBuf,
}

/// The lock file of the plan at `target` (a resolved path, not a symlink):
/// `.plan.toml.gantry-lock` beside it.
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.gantry-lock"))
}

/// Takes the lock of the plan at `target`, waiting up to `WAIT` for
/// another writer to release it.
pub fn acquire(target: &Path) -> Result<Lock, Busy> {
    acquire_within(target, WAIT)
}

pub fn acquire_within(target: &Path, wait: Duration) -> Result<Lock, Busy> {
    let lock_path = lock_path(target);
    let Some(file) = open(&lock_path) else {
        return Ok(Lock { _file: None });
    };
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: Some(file) }),
            Err(TryLockError::WouldBlock) => {
                if Instant::now() >= deadline {
                    return Err(Busy { lock_path });
                }
                std::thread::sleep(POLL);
            }
            // No locks on this file system (ENOLCK, EOPNOTSUPP) or some
            // other refusal: the comparison alone guards the save.
            Err(TryLockError::Error(_)) => return Ok(Lock { _file: None }),
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
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_gives_up_and_a_released_lock_is_taken() {
        let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plan = folder.path().join("plan.toml");
        assert_eq!(
            lock_path(&plan),
            folder.path().join(".plan.toml.gantry-lock")
        );
        let first = acquire(&plan).unwrap_or_else(|busy| panic!("{busy:?}"));
        assert!(first._file.is_some(), "a local folder can lock");
        let second = acquire_within(&plan, Duration::from_millis(30));
        assert!(
            matches!(&second, Err(Busy { lock_path: path }) if *path == lock_path(&plan)),
            "{second:?}"
        );
        drop(first);
        assert!(acquire_within(&plan, Duration::from_millis(30)).is_ok());
        // The lock file stays.
        assert!(lock_path(&plan).exists());
    }
}
