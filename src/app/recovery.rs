//! Unsaved changes survive a lost terminal: on SIGHUP, SIGTERM or a panic
//! they go to a recovery file beside the plan, never over it, and the next
//! open offers to restore or discard them.

use std::path::{Path, PathBuf};
/// `.plan.toml.gantry-recovery` beside `plan.toml`.
pub fn recovery_path(plan: &Path) -> PathBuf {
    let name = plan
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = plan
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    folder.join(format!(".{name}.gantry-recovery"))
}

/// Writes `text` to the recovery file of `plan`, atomically.
pub fn write(plan: &Path, text: &str) -> std::io::Result<PathBuf> {
    let path = recovery_path(&std::fs::canonicalize(plan).unwrap_or_else(|_| plan.to_owned()));
    crate::store::write_atomically_like(&path, text.as_bytes(), plan)?;
    Ok(path)
}

/// The recovery file of `plan` if there is one worth offering: it exists
/// and differs from the plan as it is on disk.
pub fn pending(plan: &Path, on_disk: &str) -> Option<PathBuf> {
    let path = recovery_path(&std::fs::canonicalize(plan).unwrap_or_else(|_| plan.to_owned()));
    let text = std::fs::read_to_string(&path).ok()?;
    if text == on_disk {
        // Nothing was lost: the file already holds these changes.
        let _ = std::fs::remove_file(&path);
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_files_sit_beside_the_plan_and_are_offered_only_when_different() {
        let folder = tempfile::tempdir().unwrap();
        let plan = folder.path().join("plan.toml");
        std::fs::write(&plan, "a").unwrap();
        assert_eq!(pending(&plan, "a"), None);
        let written = write(&plan, "b").unwrap();
        assert_eq!(written.file_name().unwrap(), ".plan.toml.gantry-recovery");
        assert_eq!(pending(&plan, "a"), Some(written.clone()));
        assert_eq!(pending(&plan, "b"), None);
        assert!(!written.exists());
        assert_eq!(std::fs::read_to_string(&plan).unwrap(), "a");
    }
}
