//! Only regular files are read as plans: a FIFO, a device, a folder or a
//! file beyond the size limit is refused at once with an I/O error (exit 2)
//! that names it, by every command that reads a plan.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

/// Long enough for a slow machine, short of the forever a FIFO or
/// `/dev/zero` would take: a command still running then is a failure.
const PATIENCE: Duration = Duration::from_secs(60);

fn gantry() -> Command {
    let mut command = Command::cargo_bin("gantry").unwrap();
    command.timeout(PATIENCE);
    command
}

const PLAN: &str = "[project]\nname = \"Demo\"\nstart = 2027-01-04\n\n[[task]]\nid = \"design\"\nname = \"Design\"\nduration = 5\n";

fn fifo(folder: &Path) -> PathBuf {
    let path = folder.join("pipe.toml");
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo failed");
    path
}

/// Runs `gantry ARGS...` and checks it is refused with exit 2 and `message`.
fn refused(args: &[&std::ffi::OsStr], message: &str) {
    let assert = gantry().args(args).assert();
    let output = assert.get_output();
    assert!(
        output.status.code().is_some(),
        "gantry {args:?} did not finish: {output:?}"
    );
    assert
        .code(2)
        .stderr(predicate::str::contains(message))
        .stdout("");
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let folder = tempfile::tempdir().unwrap();
    let pipe = fifo(folder.path());
    let message = format!("{} is a FIFO (named pipe), not a plan file", pipe.display());
    refused(&[os("check"), pipe.as_os_str()], &message);
    refused(
        &[
            os("task"),
            os("set"),
            pipe.as_os_str(),
            os("design"),
            os("progress=5"),
        ],
        &message,
    );
    refused(&[os("schedule"), pipe.as_os_str()], &message);
}

#[test]
fn dev_zero_is_refused_at_once_not_read_forever() {
    let message = "/dev/zero is a character device, not a plan file";
    refused(&[os("check"), os("/dev/zero")], message);
    refused(
        &[os("check"), os("/dev/urandom")],
        "/dev/urandom is a character device",
    );
    refused(&[os("baseline"), os("/dev/zero")], message);
}

#[test]
fn a_symlink_to_dev_zero_is_refused_as_what_it_points_to() {
    let folder = tempfile::tempdir().unwrap();
    let link = folder.path().join("plan.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let message = format!("{} is a character device, not a plan file", link.display());
    refused(&[os("check"), link.as_os_str()], &message);
    refused(
        &[
            os("task"),
            os("set"),
            link.as_os_str(),
            os("design"),
            os("status=done"),
        ],
        &message,
    );
}

#[test]
fn a_folder_is_refused_with_a_clear_error() {
    let folder = tempfile::tempdir().unwrap();
    let message = format!("{} is a folder, not a plan file", folder.path().display());
    refused(&[os("check"), folder.path().as_os_str()], &message);
    refused(
        &[os("risk"), os("list"), folder.path().as_os_str()],
        &message,
    );
}

#[test]
fn a_plan_beyond_the_size_limit_is_refused_before_it_is_read() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    // Sparse: 300 MiB that take no room on disk.
    let file = fs::File::create(&path).unwrap();
    file.set_len(300 * 1024 * 1024).unwrap();
    drop(file);
    let message = format!(
        "{} holds 300 MiB (314572800 bytes); a plan may hold at most 256 MiB, so it was not read",
        path.display()
    );
    refused(&[os("check"), path.as_os_str()], &message);
    refused(
        &[
            os("task"),
            os("set"),
            path.as_os_str(),
            os("design"),
            os("progress=5"),
        ],
        &message,
    );
    assert_eq!(fs::metadata(&path).unwrap().len(), 300 * 1024 * 1024);
}

#[test]
fn diff_merge_and_import_refuse_special_files_too() {
    let folder = tempfile::tempdir().unwrap();
    let plan = folder.path().join("plan.toml");
    fs::write(&plan, PLAN).unwrap();
    let pipe = fifo(folder.path());
    let fifo_message = format!("{} is a FIFO (named pipe)", pipe.display());
    refused(
        &[os("diff"), plan.as_os_str(), os("/dev/zero")],
        "/dev/zero is a character device",
    );
    refused(
        &[os("diff"), pipe.as_os_str(), plan.as_os_str()],
        &fifo_message,
    );
    let ours = folder.path().join("ours.toml");
    fs::write(&ours, PLAN).unwrap();
    refused(
        &[
            os("merge"),
            plan.as_os_str(),
            ours.as_os_str(),
            pipe.as_os_str(),
        ],
        &fifo_message,
    );
    assert_eq!(fs::read_to_string(&ours).unwrap(), PLAN);
    refused(
        &[os("import"), os("--from"), os("csv"), pipe.as_os_str()],
        &fifo_message,
    );
    refused(
        &[os("import"), os("--from"), os("mspdi"), os("/dev/zero")],
        "/dev/zero is a character device",
    );
}

#[test]
fn a_plan_replaced_by_a_fifo_is_not_saved_through() {
    // Read as a regular file, then a FIFO in its place when the save looks
    // at what is on disk: the save is refused instead of blocking.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, PLAN).unwrap();
    let mut file = gantry::store::PlanFile::open(&path).unwrap();
    file.apply(gantry::store::Edit::SetTask {
        task: "design".to_owned(),
        field: gantry::store::TaskField::Progress,
        value: Some(5.into()),
    })
    .unwrap();
    fs::remove_file(&path).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let error = file.save().unwrap_err().to_string();
    assert!(
        error.contains(&path.display().to_string()),
        "the error names the plan: {error}"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&path).unwrap().file_type().is_fifo());
}
