#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `gantry change`, `gantry gate` and `gantry review`: what they print,
//! that a decision changes exactly what it should, and that unknown ids,
//! bad values and refused transitions exit 1 with the file byte for byte
//! as it was. Also the positions `check` gives for the governance keys.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn gantry() -> Command {
    Command::cargo_bin("gantry").unwrap()
}

/// design (5) -> api (5) -> live; Ana at 100 an hour.
const PLAN: &str = r#"[project]
name = "Shop"
start = 2027-01-04
status_date = 2027-01-04

[[person]]
id = "ana"
name = "Ana"
rate = 100

[[task]]
id = "design"
name = "Design"
duration = 5
owner = "ana"
estimate = 40

[[task]]
id = "api"
name = "API"
duration = 5 # agreed in kickoff
depends = ["design"]
owner = "ana"
estimate = 40

[[task]]
id = "live"
name = "Live"
milestone = true
depends = ["api"]

[[gate]]
id = "G1"
name = "Go-live"
milestone = "live"
checklist = [
  { item = "Load test passed", done = true },
  { item = "Runbook written", done = false },
]

[[change]]
id = "C1"
title = "Longer API work"
status = "proposed"

[[change.edit]]
task = "api"
duration = 8
estimate = 64

[[change.add]]
id = "docs"
name = "API docs"
duration = 2
depends = ["api"]

[[change]]
id = "C2"
title = "Legal review"
cost = 500
days = 2
"#;

fn plan_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, text).unwrap();
    (folder, path)
}

/// Runs the command, expects exit 1 and the file untouched; gives stderr.
fn refused(path: &PathBuf, args: &[&str]) -> String {
    let before = fs::read(path).unwrap();
    let output = gantry()
        .args(&args[..2])
        .arg(path)
        .args(&args[2..])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_eq!(fs::read(path).unwrap(), before, "the file changed");
    String::from_utf8(output.stderr).unwrap()
}

fn run(path: &PathBuf, args: &[&str], rest: &[&str]) -> String {
    let output = gantry()
        .args(args)
        .arg(path)
        .args(rest)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn show_prints_the_computed_impact() {
    let (_folder, path) = plan_file(PLAN);
    let text = run(&path, &["change", "show"], &["C1"]);
    assert!(
        text.contains("finish: 2027-01-15 -> 2027-01-22 (+5 working days)"),
        "{text}"
    );
    assert!(
        text.contains("cost: +2,400.00; BAC 8,000.00 -> 10,400.00"),
        "{text}"
    );
    assert!(
        text.contains("critical path changes: design, api, live -> design, api, docs"),
        "{text}"
    );
    assert!(
        text.contains("docs (new): 2027-01-21..2027-01-22"),
        "{text}"
    );
    let json: Value =
        serde_json::from_str(&run(&path, &["change", "show"], &["C1", "--json"])).unwrap();
    assert_eq!(json["impact"]["days"], 5);
    assert_eq!(json["impact"]["cost"], 2400.0);
    assert_eq!(json["impact"]["critical_path_changes"], true);
    assert_eq!(json["impact"]["moves"][0]["id"], "api");
    assert_eq!(json["impact"]["moves"][0]["finish_days"], 3);
    let declared = run(&path, &["change", "show"], &["C2"]);
    assert!(
        declared.contains(
            "impact (declared; the change carries no task edits): +2 working days, cost +500.00"
        ),
        "{declared}"
    );
}

#[test]
fn list_marks_computed_figures() {
    let (_folder, path) = plan_file(PLAN);
    let text = run(&path, &["change", "list"], &[]);
    assert!(
        text.starts_with("2 change requests: 2 proposed, 0 approved, 0 rejected, 0 done\n"),
        "{text}"
    );
    assert!(
        text.contains("C1  proposed     +5*      +2,400.00*  Longer API work"),
        "{text}"
    );
    assert!(
        text.contains("C2  proposed      +2         +500.00  Legal review"),
        "{text}"
    );
}

#[test]
fn approve_applies_the_edits_with_the_decision_and_keeps_the_rest() {
    let (_folder, path) = plan_file(PLAN);
    let out = run(
        &path,
        &["change", "approve"],
        &[
            "C1",
            "--by",
            "Ana",
            "--date",
            "2027-01-05",
            "--reason",
            "Needed for launch",
            "--baseline",
            "after-C1",
        ],
    );
    assert!(
        out.contains(
            "approved change request `C1` and applied its task edits, recorded baseline `after-C1`"
        ),
        "{out}"
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("duration = 8 # agreed in kickoff\ndepends = [\"design\"]\nowner = \"ana\"\nestimate = 64\n"), "{text}");
    assert!(text.contains("status = \"approved\"\ndecided_by = \"Ana\"\ndecided = 2027-01-05\nreason = \"Needed for launch\"\nbaseline = \"after-C1\""), "{text}");
    assert!(
        text.contains(
            "[[task]]\nid = \"docs\"\nname = \"API docs\"\nduration = 2\ndepends = [\"api\"]\n"
        ),
        "{text}"
    );
    gantry().arg("check").arg(&path).assert().success();
    // Now approved: approving again or rejecting is refused; done is not.
    let again = refused(&path, &["change", "approve", "C1", "--by", "Bo"]);
    assert!(again.contains("change request `C1` is already approved by Ana on 2027-01-05; the file was not modified"), "{again}");
    let reject = refused(&path, &["change", "reject", "C1", "--by", "Bo"]);
    assert!(
        reject.contains("so it can no longer be rejected"),
        "{reject}"
    );
    let shown = run(&path, &["change", "show"], &["C1"]);
    assert!(
        shown.contains(
            "impact: the change's task edits are in the plan already, so nothing is left to move"
        ),
        "{shown}"
    );
    run(&path, &["change", "done"], &["C1"]);
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .contains("status = \"done\"")
    );
}

#[test]
fn refused_transitions_unknown_ids_and_bad_values_leave_the_file_alone() {
    let (_folder, path) = plan_file(PLAN);
    let early = refused(&path, &["change", "done", "C1"]);
    assert!(early.contains("is proposed, not approved"), "{early}");
    let unknown = refused(&path, &["change", "approve", "C9", "--by", "Ana"]);
    assert!(
        unknown.contains("there is no change request with id `C9`"),
        "{unknown}"
    );
    let show = refused(&path, &["change", "show", "C3"]);
    assert!(
        show.contains("there is no change request with id `C3`"),
        "{show}"
    );
    run(
        &path,
        &["change", "reject"],
        &["C2", "--by", "Ana", "--reason", "Out of budget"],
    );
    let approve = refused(&path, &["change", "approve", "C2", "--by", "Ana"]);
    assert!(approve.contains("was rejected by Ana"), "{approve}");
    let dup = refused(&path, &["change", "add", "C1", "--title", "Again"]);
    assert!(
        dup.contains("there is already a change request with id `C1`"),
        "{dup}"
    );
    let missing = refused(
        &path,
        &[
            "change",
            "add",
            "C5",
            "--title",
            "x",
            "--edit",
            "apx:duration=3",
        ],
    );
    assert!(
        missing.contains("edits task `apx`, which is not a task; did you mean `api`?"),
        "{missing}"
    );
    let bad = refused(
        &path,
        &[
            "change",
            "add",
            "C5",
            "--title",
            "x",
            "--edit",
            "api:progress=150",
        ],
    );
    assert!(bad.contains("progress"), "{bad}");
    // A usage error for a value that is not a number at all.
    let before = fs::read(&path).unwrap();
    gantry()
        .args(["change", "add"])
        .arg(&path)
        .args(["C5", "--title", "x", "--edit", "api:duration=long"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`duration` takes a whole number"));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn add_writes_a_proposed_change_with_its_edits() {
    let (_folder, path) = plan_file(PLAN);
    run(
        &path,
        &["change", "add"],
        &[
            "C3",
            "--title",
            "Faster design",
            "--requested-by",
            "Bo",
            "--edit",
            "design:duration=4",
            "--edit",
            "design:notes=trimmed",
        ],
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.ends_with("[[change]]\nid = \"C3\"\ntitle = \"Faster design\"\nrequested_by = \"Bo\"\nrequested = 2027-01-04\nstatus = \"proposed\"\n\n[[change.edit]]\ntask = \"design\"\nduration = 4\nnotes = \"trimmed\"\n"), "{text}");
    let shown = run(&path, &["change", "show"], &["C3"]);
    assert!(
        shown.contains("finish: 2027-01-15 -> 2027-01-14 (-1 working day)"),
        "{shown}"
    );
}

#[test]
fn a_gated_milestone_waits_for_its_gate_or_an_override() {
    let (_folder, path) = plan_file(PLAN);
    let stderr = refused(&path, &["task", "set", "live", "status=done"]);
    assert!(stderr.contains("plan.toml:26:1: error: task `live` cannot be done while quality gate `G1` is open: 1 of 2 checklist items is not done (\"Runbook written\") and it is not signed; finish the checklist and sign the gate, or record an override on the gate\n"), "{stderr}");
    assert!(stderr.contains("gantry: tick items with `gantry gate check`, sign with `gantry gate sign`, or add --override \"why\" --by NAME to record an override\n"), "{stderr}");
    let sign = refused(&path, &["gate", "sign", "G1", "--by", "Ana"]);
    assert!(
        sign.contains("cannot be signed while 1 of 2 checklist items is not done"),
        "{sign}"
    );
    let item = refused(&path, &["gate", "check", "G1", "3"]);
    assert!(
        item.contains("quality gate `G1` has 2 checklist items, numbered from 1"),
        "{item}"
    );
    let gate = refused(&path, &["gate", "check", "G2", "1"]);
    assert!(gate.contains("there is no gate with id `G2`"), "{gate}");

    let before = fs::read_to_string(&path).unwrap();
    run(&path, &["gate", "check"], &["G1", "Runbook"]);
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        before.replace(
            "\"Runbook written\", done = false",
            "\"Runbook written\", done = true"
        )
    );
    run(&path, &["gate", "check"], &["G1", "2", "--open"]);
    assert_eq!(fs::read_to_string(&path).unwrap(), before);

    // An override recorded on the gate lets the milestone be done, and check warns of it.
    let out = run(
        &path,
        &["task", "set"],
        &[
            "live",
            "status=done",
            "--override",
            "Runbook follows in week 2",
            "--by",
            "Ana",
        ],
    );
    assert!(out.contains("updated task `live`"), "{out}");
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(
            "override = { by = \"Ana\", date = 2027-01-04, reason = \"Runbook follows in week 2\" }"
        ),
        "{text}"
    );
    gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "plan.toml:41:12: warning: quality gate `G1` was overridden by Ana on 2027-01-04: Runbook follows in week 2",
        ));
    // Denied warnings fail the check, and say so.
    gantry()
        .arg("check")
        .arg(&path)
        .arg("--deny-warnings")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "plan.toml: 1 warning (denied by --deny-warnings)",
        ));
}

#[test]
fn a_gate_signs_once_every_item_is_done() {
    let (_folder, path) = plan_file(PLAN);
    run(&path, &["gate", "check"], &["G1", "2"]);
    let out = run(
        &path,
        &["gate", "sign"],
        &["G1", "--by", "Ana", "--date", "2027-01-14"],
    );
    assert!(
        out.contains("signed gate `G1` on 2027-01-14 by Ana"),
        "{out}"
    );
    let again = refused(&path, &["gate", "sign", "G1", "--by", "Ana"]);
    assert!(
        again.contains("was signed on 2027-01-14 by Ana already"),
        "{again}"
    );
    run(&path, &["task", "set"], &["live", "status=done"]);
}

#[test]
fn check_points_at_the_new_keys() {
    let text = format!(
        "{PLAN}\n[[change]]\nid = \"C4\"\ntitle = \"Broken\"\n\n[[change.edit]]\ntask = \"apj\"\nduration = -2\nowner = \"bob\"\n\n[[change.add]]\nid = \"api\"\nname = \"Again\"\n"
    );
    let (_folder, path) = plan_file(&text);
    let output = gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr
        .lines()
        .map(|line| line.split_once("plan.toml:").map_or(line, |(_, rest)| rest))
        .collect();
    assert!(lines.contains(&"68:8: error: change request `C4` edits task `apj`, which is not a task; did you mean `api`?"), "{stderr}");
    assert!(lines.contains(&"69:12: error: `duration` in the edit of task `apj` in change request `C4` is -2, but a duration is a number of working days, from 0 to 1000000"), "{stderr}");
    assert!(lines.contains(&"70:9: error: the edit of task `apj` of change request `C4` names person `bob`, which is not a person"), "{stderr}");
    assert!(lines.contains(&"73:6: error: change request `C4` adds task `api`, but the plan already has a task with that id; choose another id for the new task"), "{stderr}");
}

#[test]
fn review_prints_planned_against_actual() {
    let text = format!(
        "{}\n[review]\ndate = 2027-02-01\nwent_well = [\"Demos\"]\n",
        PLAN.replace(
            "status_date = 2027-01-04\n",
            "status_date = 2027-01-04\n\n[scope]\nincluded = [\"Checkout\", \"Docs\"]\ndropped = [\"Docs\"]\n"
        )
    );
    let (_folder, path) = plan_file(&text);
    gantry().args(["baseline"]).arg(&path).assert().success();
    run(
        &path,
        &["change", "approve"],
        &["C1", "--by", "Ana", "--date", "2027-01-05"],
    );
    let review = run(&path, &["review"], &[]);
    assert!(
        review.starts_with(
            "# Post-implementation review: Shop\n\nHeld on 2027-02-01. Figures as of 2027-01-04.\n"
        ),
        "{review}"
    );
    assert!(
        review.contains("| finish | 2027-01-15 | 2027-01-22 (5 working days late) |"),
        "{review}"
    );
    assert!(
        review.contains("| cost | 10,400.00 BAC | 0.00 spent so far, too little to forecast |"),
        "{review}"
    );
    assert!(
        review.contains("| scope | 2 items | 1 still to deliver, 1 dropped |"),
        "{review}"
    );
    assert!(
        review.contains(
            "- `C1` Longer API work (approved by Ana on 2027-01-05); 1 task edit, 1 new task"
        ),
        "{review}"
    );
    assert!(
        review.contains("## What went well\n\n- Demos\n"),
        "{review}"
    );
    // A plan with errors is refused, as other reports are.
    let (_folder, broken) = plan_file("[project]\nname = \"x\"\n");
    gantry().arg("review").arg(&broken).assert().code(1);
}

#[test]
fn check_points_at_bad_gate_communication_and_scope_keys() {
    let text = "[project]\nname = \"Shop\"\nstart = 2027-01-04\n\n[scope]\nincluded = [\"Checkout\"]\ndropped = [\"Chekout\"]\n\n[[task]]\nid = \"live\"\nname = \"Live\"\nmilestone = true\n\n[[gate]]\nid = \"G1\"\nname = \"Go\"\nmilestone = \"live\"\nsigned_by = 5\noverride = { by = \"Ana\", date = \"2027-01-05\" }\n\n[[communication]]\nid = \"steer\"\nwhat = \"Steering\"\nlast = \"2027-02-03\"\n";
    let (_folder, path) = plan_file(text);
    let output = gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr
        .lines()
        .map(|line| line.split_once("plan.toml:").map_or(line, |(_, rest)| rest))
        .collect();
    for expected in [
        "7:12: warning: \"Chekout\" in `dropped` in [scope] is not one of `included`; a dropped item is a deliverable that was in scope; did you mean `Checkout`?",
        "18:13: error: `signed_by` in gate `G1` must be a string in quotes, not an integer",
        "19:12: error: the override of gate `G1` has no `reason`; add one, e.g. reason = \"Accepted by the steering group\"",
        "19:33: error: `date` in the override of gate `G1` must be a TOML date, without quotes: write 2027-01-05",
        "24:8: error: `last` in communication `steer` must be a TOML date, without quotes: write 2027-02-03",
    ] {
        assert!(lines.contains(&expected), "{expected}\n{stderr}");
    }
}

#[test]
fn an_override_without_an_open_gate_is_refused_and_list_has_json() {
    let (_folder, path) = plan_file(PLAN);
    let stderr = refused(
        &path,
        &[
            "task",
            "set",
            "api",
            "status=done",
            "--override",
            "why",
            "--by",
            "Ana",
        ],
    );
    assert!(
        stderr.contains("no open quality gate guards task `api`, so there is nothing to override"),
        "{stderr}"
    );
    let json: Value = serde_json::from_str(&run(&path, &["change", "list"], &["--json"])).unwrap();
    assert_eq!(json[0]["id"], "C1");
    assert_eq!(json[0]["edits"][0], "api");
    assert_eq!(json[0]["adds"][0], "docs");
    assert_eq!(json[0]["impact"]["days"], 5);
    assert_eq!(json[1]["declared_cost"], 500.0);
    assert!(json[1]["impact"].is_null());
}

#[test]
fn a_decision_or_sign_off_without_a_name_is_refused() {
    let (_folder, path) = plan_file(PLAN);
    for by in ["", "   "] {
        let approve = refused(&path, &["change", "approve", "C1", "--by", by]);
        assert!(
            approve.contains("change request `C1` needs who decides it"),
            "{approve}"
        );
        assert!(approve.contains("--by NAME"), "{approve}");
        let reject = refused(&path, &["change", "reject", "C1", "--by", by]);
        assert!(
            reject.contains("change request `C1` needs who decides it"),
            "{reject}"
        );
    }
    run(&path, &["gate", "check"], &["G1", "2"]);
    let sign = refused(&path, &["gate", "sign", "G1", "--by", " "]);
    assert!(
        sign.contains("quality gate `G1` needs who signs it off"),
        "{sign}"
    );
    assert!(sign.contains("--by NAME"), "{sign}");
}

#[test]
fn a_change_added_after_one_with_task_edits_leaves_those_edits_to_it() {
    // C1, with its [[change.edit]] and [[change.add]], is the last change.
    let text = PLAN.split("[[change]]\nid = \"C2\"").next().unwrap();
    let (_folder, path) = plan_file(text);
    let before = run(&path, &["change", "show"], &["C1"]);
    run(
        &path,
        &["change", "add"],
        &[
            "C3",
            "--title",
            "Faster design",
            "--edit",
            "design:duration=4",
        ],
    );
    let after = fs::read_to_string(&path).unwrap();
    assert!(after.starts_with(text), "{after}");
    assert_eq!(run(&path, &["change", "show"], &["C1"]), before);
    let c3 = run(&path, &["change", "show"], &["C3"]);
    assert!(c3.contains("edits task design: duration = 4"), "{c3}");
    assert!(!c3.contains("edits task api"), "{c3}");
    assert!(!c3.contains("adds task docs"), "{c3}");
    gantry().arg("check").arg(&path).assert().success();
}

#[test]
fn an_override_with_an_edit_that_does_not_mark_the_milestone_done_is_refused() {
    let (_folder, path) = plan_file(PLAN);
    let stderr = refused(
        &path,
        &[
            "task",
            "set",
            "live",
            "notes=soon",
            "--override",
            "why",
            "--by",
            "Ana",
        ],
    );
    assert!(
        stderr.contains(
            "an override lets task `live` be marked done, but this edit does not set status=done"
        ),
        "{stderr}"
    );
}
