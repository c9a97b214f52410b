#![allow(clippy::unwrap_used, clippy::expect_used)]

//! `gantry merge` from the command line: where it writes, what it prints,
//! and its exit codes.

use assert_cmd::Command;
use predicates::prelude::*;

const BASE: &str = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"\nduration = 2\n\n[[task]]\nid = \"b\"\nname = \"B\"\nduration = 3\n";

fn folder(ours: &str, theirs: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.toml"), BASE).unwrap();
    std::fs::write(dir.path().join("ours.toml"), ours).unwrap();
    std::fs::write(dir.path().join("theirs.toml"), theirs).unwrap();
    dir
}

fn gantry(dir: &tempfile::TempDir) -> Command {
    let mut command = Command::cargo_bin("gantry").unwrap();
    command.current_dir(dir.path());
    command
}

#[test]
fn a_clean_merge_writes_over_ours_and_exits_0() {
    let ours = BASE.replace("duration = 2", "duration = 4");
    let theirs = BASE.replace("duration = 3", "duration = 5");
    let dir = folder(&ours, &theirs);
    gantry(&dir)
        .args([
            "merge",
            "base.toml",
            "ours.toml",
            "theirs.toml",
            "plan.toml",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("plan.toml: merged cleanly"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ours.toml")).unwrap(),
        ours.replace("duration = 3", "duration = 5")
    );
}

#[test]
fn output_goes_to_the_file_given_and_ours_is_left_alone() {
    let ours = BASE.replace("duration = 2", "duration = 4");
    let theirs = BASE.replace("duration = 2", "duration = 6");
    let dir = folder(&ours, &theirs);
    gantry(&dir)
        .args(["merge", "base.toml", "ours.toml", "theirs.toml", "-o", "out.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "out.toml:18:1: error: unresolved merge conflict: task `a`, `duration`: ours 4 (kept), theirs 6, base 2",
        ))
        .stderr(predicate::str::contains("merged with 1 unresolved conflict;"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ours.toml")).unwrap(),
        ours
    );
    let out = std::fs::read_to_string(dir.path().join("out.toml")).unwrap();
    assert!(out.starts_with(&ours));
    gantry(&dir)
        .args(["check", "out.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "out.toml:18:1: error: unresolved merge conflict",
        ));
}

#[test]
fn a_version_that_is_not_toml_is_reported_and_nothing_written() {
    let ours = BASE.replace("duration = 2", "duration = 4");
    let theirs = BASE.replace("name = \"B\"", "name = \"B");
    let dir = folder(&ours, &theirs);
    gantry(&dir)
        .args(["merge", "base.toml", "ours.toml", "theirs.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("theirs.toml:12:"))
        .stderr(predicate::str::contains(
            "theirs (theirs.toml) is not a plan that can be merged; ours.toml was left as it was",
        ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ours.toml")).unwrap(),
        ours
    );
}

#[test]
fn errors_the_merge_made_fail_it_and_old_ones_are_only_counted() {
    // Each side valid; together a cycle. Ours also has an unknown owner
    // already, which the merge did not make.
    let ours = BASE
        .replace("duration = 2", "duration = 2\ndepends = [\"b\"]")
        .replace("name = \"B\"", "name = \"B\"\nowner = \"nobody\"");
    let theirs = BASE.replace("duration = 3", "duration = 3\ndepends = [\"a\"]");
    let dir = folder(&ours, &theirs);
    gantry(&dir)
        .args([
            "merge",
            "base.toml",
            "ours.toml",
            "theirs.toml",
            "plan.toml",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("dependency cycle"))
        .stderr(predicate::str::contains(
            "merged with 1 error the merge made",
        ))
        .stderr(predicate::str::contains(
            "1 error was already in ours or theirs",
        ))
        .stderr(predicate::str::contains("nobody").not());
}

#[test]
fn missing_arguments_are_a_usage_error() {
    let dir = folder(BASE, BASE);
    gantry(&dir)
        .args(["merge", "base.toml", "ours.toml"])
        .assert()
        .code(2);
    gantry(&dir)
        .args(["merge", "base.toml", "ours.toml", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read missing.toml"));
}
