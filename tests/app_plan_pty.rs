#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The Plan pane of the real binary in a pseudo-terminal: keys go in as
//! bytes, the screen is read back through a terminal emulator, and the
//! saved plan is compared with the one it started as, so each edit is seen
//! to change exactly its own entity.

use std::path::{Path, PathBuf};

mod support;

use support::folder_with_plan;
use support::pty::{ESC, Session};

const CHARTER: &str = include_str!("fixtures/charter.toml");

const ENTER: &str = "\r";
const TAB: &str = "\t";
const CTRL_S: &str = "\x13";
const CTRL_U: &str = "\x15";

/// Ctrl-s, and the message that says so seen and dismissed.
fn save(session: &mut Session) {
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    session.send(ESC);
    session.wait_gone("saved plan.toml");
}

/// `q`, and the app seen to exit with 0.
fn quit(session: &mut Session) {
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

/// Opens the charter plan in the Plan pane.
fn open_plan_pane() -> (tempfile::TempDir, PathBuf, Session) {
    let (dir, path) = folder_with_plan(CHARTER);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("3 tasks");
    session.send("5");
    session.wait_for("Objectives");
    (dir, path, session)
}

fn saved(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// How `after` differs from `before`: the lines removed and the lines
/// added, between the first and the last line that differ.
fn difference(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let before: Vec<&str> = before.lines().collect();
    let after: Vec<&str> = after.lines().collect();
    let head = before
        .iter()
        .zip(&after)
        .take_while(|(a, b)| a == b)
        .count();
    let tail = before[head..]
        .iter()
        .rev()
        .zip(after[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let owned = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect();
    (
        owned(&before[head..before.len() - tail]),
        owned(&after[head..after.len() - tail]),
    )
}

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|l| (*l).to_owned()).collect()
}

#[test]
fn an_objective_added_edited_and_deleted_changes_only_that_entity() {
    let (_dir, path, mut session) = open_plan_pane();
    // Add after O1: the title first, then the target.
    session.send("a");
    session.wait_for("Edit new objective");
    session.send("Shorter waits on the phone");
    session.send(TAB);
    session.send("Median wait under 1 minute");
    session.send(ENTER);
    session.wait_for("added objective O3");
    save(&mut session);
    let added = CHARTER.replace(
        "current = \"11.5% in February\"\n",
        "current = \"11.5% in February\"\n\n[[objective]]\nid = \"O3\"\n\
         title = \"Shorter waits on the phone\"\ntarget = \"Median wait under 1 minute\"\n",
    );
    assert_eq!(saved(&path), added);
    // Edit it: the target only.
    session.send(ENTER);
    session.wait_for("Edit objective O3");
    session.send(TAB);
    session.send(CTRL_U);
    session.send("Median wait under 40 seconds");
    session.send(ENTER);
    session.wait_for("objective O3: 1 field(s) changed");
    let before_edit = saved(&path);
    save(&mut session);
    assert_eq!(
        difference(&before_edit, &saved(&path)),
        (
            lines(&["target = \"Median wait under 1 minute\""]),
            lines(&["target = \"Median wait under 40 seconds\""])
        )
    );
    // Delete it: asked first, then the file is as it began.
    session.send("d");
    session.wait_for("Delete objective O3?");
    session.send("y");
    session.wait_for("deleted objective O3");
    save(&mut session);
    assert_eq!(saved(&path), CHARTER);
    quit(&mut session);
}

#[test]
fn a_handover_item_ticked_and_undone() {
    let (_dir, path, mut session) = open_plan_pane();
    // The handover is the seventh part; its first item under the receiver.
    session.send("]]]]]]");
    session.wait_for(" to Clinic IT on 2027-04-02: 0/2 delivered");
    session.send("j");
    session.wait_for("Space tick");
    session.send(" ");
    session.wait_for("handover checklist item 1: done");
    save(&mut session);
    assert_eq!(
        difference(CHARTER, &saved(&path)),
        (
            lines(&["  { item = \"Admin accounts handed over\", done = false },"]),
            lines(&["  { item = \"Admin accounts handed over\", done = true },"])
        )
    );
    session.send("u");
    session.wait_for("undone");
    save(&mut session);
    assert_eq!(saved(&path), CHARTER);
    quit(&mut session);
}

#[test]
fn approving_a_change_writes_the_decision_and_its_task_edits_and_undo_restores() {
    let (_dir, path, mut session) = open_plan_pane();
    session.send("]]]");
    session.wait_for("Enter what-if");
    session.send(ENTER);
    session.wait_for("2 task(s) move:");
    session.wait_for("connect");
    session.send("A");
    session.wait_for("Approve C1");
    session.send(CTRL_U);
    session.send("Clinic director; worth three days");
    session.send(ENTER);
    session.wait_for("C1 approved by Clinic director");
    save(&mut session);
    // Exactly the decision on C1 and the task edit it carries.
    let expected = CHARTER
        .replace(
            "days = 3\n",
            "days = 3\nstatus = \"approved\"\ndecided_by = \"Clinic director\"\n\
             decided = 2027-03-10\nreason = \"worth three days\"\n",
        )
        .replace("duration = 5\nestimate = 30", "duration = 8\nestimate = 30");
    assert_eq!(saved(&path), expected);
    // One undo takes back the decision and the task edit together.
    session.send("u");
    session.wait_for("undone");
    save(&mut session);
    assert_eq!(saved(&path), CHARTER);
    quit(&mut session);
}

#[test]
fn a_gated_milestone_is_refused_with_the_reason_and_an_override_is_recorded() {
    let (_dir, path, mut session) = open_plan_pane();
    session.send("]]]]");
    session.wait_for("S sign off");
    session.send("D");
    session.wait_for("Mark live done over gate G1?");
    session.wait_for("1 of 2 checklist items is not done");
    // Esc keeps the milestone open, and nothing changes.
    session.send(ESC);
    session.wait_for("live stays open");
    save(&mut session);
    assert_eq!(saved(&path), CHARTER);
    session.send("D");
    session.wait_for("Mark live done over gate G1?");
    session.send("Clinic director; training ends on the first morning");
    session.send(ENTER);
    session.wait_for("director: training ends on the first morning");
    save(&mut session);
    let after = saved(&path);
    let (removed, added) = difference(CHARTER, &after);
    assert!(removed.len() < added.len(), "{after}");
    assert!(
        after.contains(
            "override = { by = \"Clinic director\", date = 2027-03-10, reason = \"training ends on the first morning\" }"
        ),
        "{after}"
    );
    let loaded = gantry::store::parse_str(&after).unwrap();
    let live = loaded.plan.task("live").unwrap();
    assert_eq!(live.status, gantry::model::TaskStatus::Done);
    quit(&mut session);
}
