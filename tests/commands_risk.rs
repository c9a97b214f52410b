#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `gantry risk list|add|set` on the shipped hotel example: what they print,
//! that edits change exactly the lines they should, and that refused
//! changes leave the file as it was.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn gantry() -> Command {
    Command::cargo_bin("gantry").unwrap()
}

fn hotel_text() -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hotel-integration.toml"),
    )
    .unwrap()
}

fn plan_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("hotel.toml");
    fs::write(&path, text).unwrap();
    (folder, path)
}

fn listed_ids(path: &Path, sort: &str) -> Vec<String> {
    let output = gantry()
        .args(["risk", "list", "--json", "--sort", sort])
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let risks: Value = serde_json::from_slice(&output).unwrap();
    risks
        .as_array()
        .unwrap()
        .iter()
        .map(|risk| risk["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_sorts_by_score_id_or_trigger() {
    let (_folder, path) = plan_file(&hotel_text());
    assert_eq!(
        listed_ids(&path, "score"),
        ["R1", "R2", "R8", "R4", "R3", "R5", "R6", "R7"]
    );
    assert_eq!(
        listed_ids(&path, "id"),
        ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"]
    );
    // By trigger date; those without one last, by score.
    assert_eq!(
        listed_ids(&path, "trigger"),
        ["R1", "R2", "R8", "R3", "R5", "R4", "R6", "R7"]
    );
}

#[test]
fn list_json_carries_every_field() {
    let (_folder, path) = plan_file(&hotel_text());
    let output = gantry()
        .args(["risk", "list", "--json"])
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let risks: Value = serde_json::from_slice(&output).unwrap();
    let r8 = risks
        .as_array()
        .unwrap()
        .iter()
        .find(|risk| risk["id"] == "R8")
        .unwrap();
    assert_eq!(r8["owner"], "marta");
    assert_eq!(r8["likelihood"], 4);
    assert_eq!(r8["impact"], 3);
    assert_eq!(r8["score"], 12);
    assert_eq!(r8["trigger"], "2027-04-09");
    // The status date is 2027-04-09: the trigger has come.
    assert_eq!(r8["past_trigger"], true);
    assert_eq!(r8["status"], "open");
    assert_eq!(r8["tier"], "urgent");
    assert_eq!(r8["tasks"], serde_json::json!(["mobile-checkin", "uat"]));
    assert_eq!(r8["reviewed"], "2027-04-08");
}

#[test]
fn list_text_marks_risks_past_their_trigger() {
    let (_folder, path) = plan_file(&hotel_text());
    let output = gantry()
        .args(["risk", "list"])
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(output).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "8 risks, 4 open, 1 past the trigger date (as of 2027-04-09)"
    );
    assert_eq!(
        lines[1],
        "  ID  SCORE     STATUS     TIER     TRIGGER     OWNER  TITLE"
    );
    // In a pipe the title is whole (at a terminal it takes the width left).
    assert_eq!(
        lines[4],
        "! R8  12 (4x3)  open       urgent   2027-04-09  marta  Guest-app production keys still missing; mobile check-in stalled"
    );
    assert!(!stdout.contains('…'), "{stdout}");
}

const NEW_RISK: &str = r#"
[[risk]]
id = "R9"
title = "Lift *out* of <b>order</b>"
owner = "rui"
likelihood = 2
impact = 3
trigger = 2027-05-01
mitigation = "Book the service lift"
status = "open"
tier = "urgent"
tasks = ["iot-rollout", "perf"]
"#;

#[test]
fn add_appends_one_table_after_the_last_risk_and_nothing_else() {
    let original = hotel_text();
    let (_folder, path) = plan_file(&original);
    gantry()
        .args(["risk", "add"])
        .arg(&path)
        .args([
            "R9",
            "--title",
            "Lift *out* of <b>order</b>",
            "--likelihood",
            "2",
            "--impact",
            "3",
            "--owner",
            "rui",
            "--trigger",
            "2027-05-01",
            "--mitigation",
            "Book the service lift",
            "--tier",
            "urgent",
            "--task",
            "iot-rollout",
            "--task",
            "perf",
        ])
        .assert()
        .success()
        .stdout(format!("added risk `R9` in {}\n", path.display()));
    // R8 is the last risk; its last line is unique in the file.
    let last_line = "reviewed = 2027-04-08\n";
    assert_eq!(original.matches(last_line).count(), 1);
    let expected = original.replacen(last_line, &format!("{last_line}{NEW_RISK}"), 1);
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    gantry().arg("check").arg(&path).assert().success();
}

#[test]
fn add_to_a_plan_without_risks_appends_at_the_end() {
    let original =
        "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"\n";
    let (_folder, path) = plan_file(original);
    gantry()
        .args(["risk", "add"])
        .arg(&path)
        .args(["R1", "--title", "T", "--likelihood", "1", "--impact", "5"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!(
            "{original}\n[[risk]]\nid = \"R1\"\ntitle = \"T\"\nlikelihood = 1\nimpact = 5\nstatus = \"open\"\n"
        )
    );
}

#[test]
fn set_changes_only_the_lines_of_the_fields_set() {
    let original = hotel_text();
    let (_folder, path) = plan_file(&original);
    gantry()
        .args(["risk", "set"])
        .arg(&path)
        .args(["R3", "likelihood=4", "status=mitigated", "trigger="])
        .assert()
        .success()
        .stdout(format!("updated risk `R3` in {}\n", path.display()));
    let start = original.find("id = \"R3\"").unwrap();
    let (before, after) = original.split_at(start);
    let after = after
        .replacen("likelihood = 3\n", "likelihood = 4\n", 1)
        .replacen("trigger = 2027-04-12\n", "", 1)
        .replacen(
            "reviewed = 2027-04-05\n",
            "reviewed = 2027-04-05\nstatus = \"mitigated\"\n",
            1,
        );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("{before}{after}")
    );
}

#[test]
fn set_keeps_the_comment_after_a_value() {
    let original = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[risk]]\nid = \"R1\"\ntitle = \"T\"\nlikelihood = 3   # a guess\nimpact = 2\n";
    let (_folder, path) = plan_file(original);
    gantry()
        .args(["risk", "set"])
        .arg(&path)
        .args(["R1", "likelihood=5"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        original.replace("likelihood = 3   # a guess", "likelihood = 5   # a guess")
    );
}

#[test]
fn reviewed_today_writes_the_date() {
    let original = hotel_text();
    let (_folder, path) = plan_file(&original);
    let before = chrono::Local::now().date_naive();
    gantry()
        .args(["risk", "set"])
        .arg(&path)
        .args(["R8", "reviewed=today"])
        .assert()
        .success();
    let after = chrono::Local::now().date_naive();
    let text = fs::read_to_string(&path).unwrap();
    let expected = |date: chrono::NaiveDate| {
        original.replacen(
            "reviewed = 2027-04-08\n",
            &format!("reviewed = {date}\n"),
            1,
        )
    };
    assert!(
        text == expected(before) || text == expected(after),
        "{text}"
    );
}

/// Runs `gantry ARGS` on a copy of the hotel plan, expecting `code` and a
/// message on stderr, and checks the file is byte for byte unchanged.
fn refused(args: &[&str], code: i32, message: &str) {
    let original = hotel_text();
    let (_folder, path) = plan_file(&original);
    let (command, rest) = args.split_at(2);
    gantry()
        .args(command)
        .arg(&path)
        .args(rest)
        .assert()
        .code(code)
        .stdout("")
        .stderr(predicate::str::contains(
            message.replace("FILE", &path.display().to_string()),
        ));
    assert_eq!(fs::read_to_string(&path).unwrap(), original, "{args:?}");
}

#[test]
fn set_refuses_unknown_ids_and_fields_and_bad_values() {
    refused(
        &["risk", "set", "R33", "status=closed"],
        1,
        "gantry: FILE: there is no risk with id `R33`; did you mean `R3`?",
    );
    refused(
        &["risk", "set", "R3", "stauts=closed"],
        2,
        "gantry: FILE: `stauts` is not a risk field; did you mean `status`?",
    );
    refused(
        &["risk", "set", "R3", "status"],
        2,
        "gantry: FILE: `status` is not FIELD=VALUE",
    );
    refused(
        &["risk", "set", "R3", "likelihood=9"],
        1,
        "FILE:1138:14: error: `likelihood` in risk `R3` is 9, but it must be from 1 to 5",
    );
    refused(
        &["risk", "set", "R3", "likelihood=high"],
        1,
        "gantry: FILE: likelihood=high: `likelihood` takes a whole number from 1 to 5",
    );
    refused(
        &["risk", "set", "R3", "status=clsoed"],
        1,
        "is \"clsoed\", which is not one of \"open\", \"mitigated\", \"closed\", \"occurred\"; did you mean `closed`?",
    );
    refused(
        &["risk", "set", "R3", "owner=rut"],
        1,
        "risk `R3` is owned by `rut`, which is not a person; did you mean `rui`?",
    );
    refused(
        &["risk", "set", "R3", "trigger=2027-02-30"],
        1,
        "FILE: trigger=2027-02-30: `trigger` takes a date like 2027-01-04",
    );
    refused(
        &["risk", "set", "R3", "title="],
        1,
        "a risk must keep its `title`",
    );
    refused(
        &["risk", "set", "R3", "status=closed", "tier=urgnet"],
        1,
        "did you mean `urgent`?",
    );
}

#[test]
fn add_refuses_duplicates_and_bad_values() {
    refused(
        &[
            "risk",
            "add",
            "R1",
            "--title",
            "x",
            "--likelihood",
            "1",
            "--impact",
            "1",
        ],
        1,
        "FILE:1110:6: error: there is already a risk with id `R1`; choose another id",
    );
    refused(
        &[
            "risk",
            "add",
            "R 10",
            "--title",
            "x",
            "--likelihood",
            "1",
            "--impact",
            "1",
        ],
        1,
        "id `R 10` may hold only ASCII letters, digits",
    );
    refused(
        &[
            "risk",
            "add",
            "R10",
            "--title",
            "x",
            "--likelihood",
            "6",
            "--impact",
            "1",
        ],
        1,
        "`likelihood` in risk `R10` is 6, but it must be from 1 to 5",
    );
    refused(
        &[
            "risk",
            "add",
            "R10",
            "--title",
            "x",
            "--likelihood",
            "1",
            "--impact",
            "1",
            "--task",
            "nope",
        ],
        1,
        "risk `R10` is linked to `nope`, which is not a task",
    );
    refused(
        &[
            "risk",
            "add",
            "R10",
            "--title",
            "x",
            "--likelihood",
            "1",
            "--impact",
            "1",
            "--trigger",
            "soon",
        ],
        1,
        "`trigger` takes a date like 2027-01-04",
    );
    refused(
        &["risk", "add", "R10", "--likelihood", "1", "--impact", "1"],
        2,
        "--title",
    );
}

#[test]
fn a_file_that_does_not_parse_is_never_written() {
    let original = "[project\nname = \"broken\"\n";
    let (_folder, path) = plan_file(original);
    gantry()
        .args(["risk", "set"])
        .arg(&path)
        .args(["R1", "status=closed"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: TOML syntax"));
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
}
