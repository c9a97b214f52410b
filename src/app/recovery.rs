//! Unsaved changes survive a lost terminal: on SIGHUP, SIGTERM or a panic
//! they go to a recovery file beside the plan, never over it, and the next
//! open offers to restore or discard them.
//!
//! A recovery file names the plan it belongs to (its canonical path, or
//! the demo) and holds the text the unsaved changes were made on as well
//! as the changed text, so that it is never offered for another plan, and
//! when the plan has changed on disk since, the changes can be merged onto
//! what is there now instead of undoing it:
//!
//! ```text
//! gantry recovery file, format 2
//! plan: "/home/ana/site/plan.toml"
//! edited: 48213 bytes
//! base: 48102 bytes, fnv1a64 9f2c41d0a3b7e615
//!
//! <the edited text><the base text>
//! ```
//!
//! (`plan: demo` for the demo, kept in `.gantry-demo.gantry-recovery` in
//! the folder it ran in.) Files written by gantry before this format hold
//! only the edited text: they are offered only when their `[project]`
//! name is the plan's own, since nothing else ties them to it, and
//! restoring one replaces the plan's text as it did then.

use std::path::{Path, PathBuf};

const MAGIC: &str = "gantry recovery file, format 2";
/// The demo's recovery file, in the folder the demo ran in.
const DEMO_NAME: &str = ".gantry-demo.gantry-recovery";

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

/// Which plan a recovery file belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A plan file, by its canonical path.
    File(PathBuf),
    /// The built-in demo plan.
    Demo,
    /// A file from before recovery files named their plan.
    Unknown,
}

/// What a recovery file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// The recovery file itself.
    pub path: PathBuf,
    pub owner: Owner,
    /// The plan's text with the unsaved changes.
    pub edited: String,
    /// The text the changes were made on; None in the old format.
    pub base: Option<String>,
}

/// The canonical path of `plan`, or the path made absolute when the file
/// is not there.
fn canonical(plan: &Path) -> PathBuf {
    std::fs::canonicalize(plan).unwrap_or_else(|_| {
        if plan.is_absolute() {
            plan.to_owned()
        } else {
            std::env::current_dir()
                .map(|folder| folder.join(plan))
                .unwrap_or_else(|_| plan.to_owned())
        }
    })
}

/// Where the recovery file of `owner` goes; `folder` is where the demo ran.
fn file_for(owner: &Owner, folder: &Path) -> PathBuf {
    match owner {
        Owner::File(plan) => recovery_path(plan),
        Owner::Demo | Owner::Unknown => folder.join(DEMO_NAME),
    }
}

/// Keeps `edited`, made on `base`, in the recovery file of the plan at
/// `plan` (None for the demo, which keeps it in the current folder).
pub fn write(plan: Option<&Path>, base: &str, edited: &str) -> std::io::Result<PathBuf> {
    let owner = match plan {
        Some(plan) => Owner::File(canonical(plan)),
        None => Owner::Demo,
    };
    let path = file_for(&owner, Path::new("."));
    let plan_line = match &owner {
        Owner::File(plan) => {
            serde_json::to_string(&plan.to_string_lossy()).unwrap_or_else(|_| "\"\"".to_owned())
        }
        _ => "demo".to_owned(),
    };
    let mut bytes = format!(
        "{MAGIC}\nplan: {plan_line}\nedited: {} bytes\nbase: {} bytes, fnv1a64 {:016x}\n\n",
        edited.len(),
        base.len(),
        fnv1a64(base.as_bytes())
    )
    .into_bytes();
    bytes.extend_from_slice(edited.as_bytes());
    bytes.extend_from_slice(base.as_bytes());
    match plan {
        Some(plan) => crate::store::write_atomically_like(&path, &bytes, plan)?,
        None => crate::store::write_atomically(&path, &bytes)?,
    }
    Ok(path)
}

/// The largest recovery file read: it holds two texts of a plan, each at
/// most `MAX_PLAN_BYTES`, and a header of a few lines.
const MAX_RECOVERY_BYTES: u64 = 2 * crate::store::MAX_PLAN_BYTES + 64 * 1024;

/// Reads a recovery file: the new format, or a plain text of the old one.
/// Only a regular file of at most `MAX_RECOVERY_BYTES` is read: a FIFO,
/// a device or a folder in its place is refused at once, not waited on.
pub fn read(path: &Path) -> std::io::Result<Recovery> {
    let bytes = crate::store::read_regular(path, MAX_RECOVERY_BYTES)?;
    let invalid = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} is damaged: {what}", path.display()),
        )
    };
    let text = String::from_utf8(bytes).map_err(|_| invalid("it is not UTF-8 text"))?;
    let Some(rest) = text
        .strip_prefix(MAGIC)
        .and_then(|rest| rest.strip_prefix('\n'))
    else {
        return Ok(Recovery {
            path: path.to_owned(),
            owner: Owner::Unknown,
            edited: text,
            base: None,
        });
    };
    let (header, body) = rest
        .split_once("\n\n")
        .ok_or_else(|| invalid("no end to its header"))?;
    let mut owner = None;
    let mut edited_length = None;
    let mut base_length = None;
    let mut base_hash = None;
    for line in header.lines() {
        if let Some(plan) = line.strip_prefix("plan: ") {
            owner = Some(if plan == "demo" {
                Owner::Demo
            } else {
                let plan: String =
                    serde_json::from_str(plan).map_err(|_| invalid("its plan's path"))?;
                Owner::File(PathBuf::from(plan))
            });
        } else if let Some(length) = line.strip_prefix("edited: ") {
            edited_length = length
                .strip_suffix(" bytes")
                .and_then(|n| n.parse::<usize>().ok());
        } else if let Some(base) = line.strip_prefix("base: ") {
            let (length, hash) = base.split_once(" bytes, fnv1a64 ").unwrap_or(("", ""));
            base_length = length.parse::<usize>().ok();
            base_hash = u64::from_str_radix(hash, 16).ok();
        }
    }
    let (Some(owner), Some(edited_length), Some(base_length), Some(base_hash)) =
        (owner, edited_length, base_length, base_hash)
    else {
        return Err(invalid("its header is incomplete"));
    };
    if body.len() != edited_length + base_length || !body.is_char_boundary(edited_length) {
        return Err(invalid("it is not as long as its header says"));
    }
    let (edited, base) = body.split_at(edited_length);
    if fnv1a64(base.as_bytes()) != base_hash {
        return Err(invalid("the text it was based on does not match its hash"));
    }
    Ok(Recovery {
        path: path.to_owned(),
        owner,
        edited: edited.to_owned(),
        base: Some(base.to_owned()),
    })
}

/// What the next session finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Nothing,
    /// A recovery file of this plan, worth offering.
    Offer(Recovery),
    /// A recovery file that is not this plan's, or that cannot be read (it
    /// is damaged, or is not a regular file): left alone, and why.
    NotThisPlan {
        path: PathBuf,
        reason: String,
    },
}

/// Looks for unsaved changes of the plan at `plan` (None for the demo, in
/// the current folder), whose text on disk is `on_disk`. A recovery file
/// that holds nothing new is removed.
pub fn find(plan: Option<&Path>, on_disk: &str) -> Found {
    let (owner, path) = match plan {
        Some(plan) => {
            let owner = Owner::File(canonical(plan));
            let path = file_for(&owner, Path::new("."));
            (owner, path)
        }
        None => (Owner::Demo, Path::new(".").join(DEMO_NAME)),
    };
    if !path.exists() {
        return Found::Nothing;
    }
    let recovery = match read(&path) {
        Ok(recovery) => recovery,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Found::Nothing,
        // Damaged, or not a regular file (a FIFO would never end).
        Err(error) => {
            return Found::NotThisPlan {
                path,
                reason: error.to_string(),
            };
        }
    };
    if recovery.edited == on_disk {
        // Nothing was lost: the file already holds these changes.
        let _ = std::fs::remove_file(&path);
        return Found::Nothing;
    }
    match &recovery.owner {
        Owner::Unknown => {
            if same_project(&recovery.edited, on_disk) {
                Found::Offer(recovery)
            } else {
                Found::NotThisPlan {
                    path,
                    reason: "it is from an older gantry and its [project] name is not this plan's"
                        .to_owned(),
                }
            }
        }
        found if *found == owner => Found::Offer(recovery),
        Owner::Demo => Found::NotThisPlan {
            path,
            reason: "it holds changes to the demo plan".to_owned(),
        },
        Owner::File(other) => Found::NotThisPlan {
            path,
            reason: format!("it belongs to {}", other.display()),
        },
    }
}

/// Whether two plan texts name the same project (both parse and have one
/// non-empty `[project]` name, the same).
fn same_project(left: &str, right: &str) -> bool {
    let name = |text: &str| {
        crate::store::parse_str(text)
            .ok()
            .map(|loaded| loaded.plan.project.name)
            .filter(|name| !name.is_empty())
    };
    matches!((name(left), name(right)), (Some(a), Some(b)) if a == b)
}

/// The 64-bit FNV-1a hash: enough to tell a damaged file, with no crate.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "[project]\nname = \"P\"\nstart = 2027-01-04\n";

    #[test]
    fn a_recovery_file_names_its_plan_and_keeps_both_texts() {
        let folder = tempfile::tempdir().unwrap();
        let plan = folder.path().join("plan.toml");
        std::fs::write(&plan, PLAN).unwrap();
        assert_eq!(find(Some(&plan), PLAN), Found::Nothing);
        let edited = format!("{PLAN}budget = 5\n");
        let written = write(Some(&plan), PLAN, &edited).unwrap();
        assert_eq!(written.file_name().unwrap(), ".plan.toml.gantry-recovery");
        let Found::Offer(recovery) = find(Some(&plan), PLAN) else {
            panic!("offered");
        };
        assert_eq!(recovery.edited, edited);
        assert_eq!(recovery.base.as_deref(), Some(PLAN));
        assert_eq!(
            recovery.owner,
            Owner::File(std::fs::canonicalize(&plan).unwrap())
        );
        // Once the plan holds the changes, the file goes.
        assert_eq!(find(Some(&plan), &edited), Found::Nothing);
        assert!(!written.exists());
        assert_eq!(std::fs::read_to_string(&plan).unwrap(), PLAN);
    }

    #[test]
    fn another_plans_file_is_never_offered() {
        let folder = tempfile::tempdir().unwrap();
        let plan = folder.path().join("plan.toml");
        std::fs::write(&plan, PLAN).unwrap();
        // A recovery file that names another plan, put beside this one.
        let other = folder.path().join("other.toml");
        std::fs::write(&other, PLAN).unwrap();
        let written = write(Some(&other), PLAN, "[project]\nname = \"Q\"\n").unwrap();
        std::fs::rename(&written, recovery_path(&plan)).unwrap();
        assert!(matches!(
            find(Some(&plan), PLAN),
            Found::NotThisPlan { reason, .. } if reason.contains("other.toml")
        ));
        assert!(recovery_path(&plan).exists(), "left alone");
    }

    #[test]
    fn old_files_are_offered_only_for_a_plan_of_their_project() {
        let folder = tempfile::tempdir().unwrap();
        let plan = folder.path().join("plan.toml");
        std::fs::write(&plan, PLAN).unwrap();
        let old = recovery_path(&plan);
        std::fs::write(&old, format!("{PLAN}budget = 5\n")).unwrap();
        assert!(matches!(find(Some(&plan), PLAN), Found::Offer(r) if r.base.is_none()));
        std::fs::write(&old, crate::app::DEMO_PLAN).unwrap();
        assert!(matches!(find(Some(&plan), PLAN), Found::NotThisPlan { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_in_its_place_is_reported_not_waited_on() {
        let folder = tempfile::tempdir().unwrap();
        let plan = folder.path().join("plan.toml");
        std::fs::write(&plan, PLAN).unwrap();
        let path = recovery_path(&plan);
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo failed");
        assert!(matches!(
            find(Some(&plan), PLAN),
            Found::NotThisPlan { reason, .. } if reason == "it is a FIFO (named pipe), not a regular file, so it was not read"
        ));
        assert!(path.exists(), "left alone");
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        assert!(matches!(
            find(Some(&plan), PLAN),
            Found::NotThisPlan { reason, .. } if reason.contains("a character device")
        ));
    }

    #[test]
    fn a_damaged_file_is_reported_not_offered() {
        let folder = tempfile::tempdir().unwrap();
        let plan = folder.path().join("plan.toml");
        std::fs::write(&plan, PLAN).unwrap();
        let written = write(Some(&plan), PLAN, "edited").unwrap();
        let mut bytes = std::fs::read(&written).unwrap();
        bytes.truncate(bytes.len() - 3);
        std::fs::write(&written, bytes).unwrap();
        assert!(matches!(
            find(Some(&plan), PLAN),
            Found::NotThisPlan { reason, .. } if reason.contains("damaged")
        ));
    }
}
