//! `gantry schedule` and `gantry baseline` on the real binary.

// Helpers of a test may stop it: a failed expectation is the test failing.
#![allow(clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;

const PLAN: &str = r#"# The storefront plan.
[project]
name = "Storefront replatform with a name long enough to need cutting at eighty columns"
start = 2027-01-04

[calendar]
holidays = [2027-01-18]

[[person]]
id = "ana"
name = "Ana Ruiz"

[[task]]
id = "design"
name = "Design the payment flow"
duration = 5
owner = "ana"

[[task]]
id = "api"
name = "Payment API integration with a rather long name that will not fit"
duration = 5
depends = ["design"]   # after the design
owner = "ana"

[[task]]
id = "ui"
name = "決済システムの画面と\u001b[31mエスケープ"
duration = 3
depends = [{ task = "design", type = "ss", lag = 1 }]
owner = "ana"

[[task]]
id = "live"
name = "Go live"
milestone = true
depends = ["api", "ui"]
"#;

fn gantry() -> Command {
    Command::cargo_bin("gantry").expect("the gantry binary")
}

fn plan_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("plan.toml");
    std::fs::write(&path, text).expect("write the plan");
    (folder, path)
}

fn json(path: &std::path::Path, extra: &[&str]) -> Value {
    let output = gantry()
        .arg("schedule")
        .arg(path)
        .arg("--json")
        .args(extra)
        .output()
        .expect("run gantry");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn json_follows_the_contract() {
    let (_folder, path) = plan_file(PLAN);
    let schedule = json(&path, &[]);
    assert_eq!(
        schedule["project"],
        serde_json::json!({"start": "2027-01-04", "finish": "2027-01-15"})
    );
    let tasks = schedule["tasks"].as_array().expect("tasks");
    assert_eq!(
        tasks[1],
        serde_json::json!({"id": "api", "start": "2027-01-11", "finish": "2027-01-15", "slack": 0, "critical": true, "milestone": false})
    );
    assert_eq!(
        tasks[3],
        serde_json::json!({"id": "live", "start": "2027-01-15", "finish": "2027-01-15", "slack": 0, "critical": true, "milestone": true})
    );
    assert_eq!(tasks[2]["slack"], 6);
    let ids: Vec<&str> = tasks
        .iter()
        .map(|task| task["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["design", "api", "ui", "live"]);
    // Ana books 40 hours of design and 24 of ui in the first week.
    let over = &schedule["overallocated"][0];
    assert_eq!(over["person"], "ana");
    assert_eq!(over["week"], "2027-W01");
    assert_eq!(
        (over["hours"].as_f64(), over["capacity"].as_f64()),
        (Some(64.0), Some(40.0))
    );
    assert_eq!(over["tasks"], serde_json::json!(["design", "ui"]));
}

#[test]
fn critical_lists_only_the_critical_path_in_order() {
    let (_folder, path) = plan_file(PLAN);
    let schedule = json(&path, &["--critical"]);
    let ids: Vec<&str> = schedule["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|task| task["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["design", "api", "live"]);
}

/// Output to a pipe is never cut: every id and name is whole, so an id can
/// be pasted into `task set` (the fitting to a terminal's width is tested
/// on the table itself in `src/commands/schedule.rs`).
#[test]
fn the_table_in_a_pipe_keeps_every_name_whole_and_shows_no_escape_sequences() {
    let long_id = "access-transfer-to-the-hotel-operations-team";
    let (_folder, path) = plan_file(
        &PLAN
            .replace("id = \"api\"", &format!("id = \"{long_id}\""))
            .replace(
                "depends = [\"api\", \"ui\"]",
                &format!("depends = [\"{long_id}\", \"ui\"]"),
            ),
    );
    let output = gantry()
        .arg("schedule")
        .arg(&path)
        .env("COLUMNS", "40")
        .output()
        .expect("run gantry");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains('…'), "{text}");
    assert!(
        text.starts_with(
            "Storefront replatform with a name long enough to need cutting at eighty columns\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("design                                        ! Design the payment flow"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{long_id}  ! Payment API integration with a rather long name that will not fit  "
        )),
        "{text}"
    );
    assert!(text.contains("◆ Go live"), "{text}");
    assert!(
        text.contains("Over-allocated:\n  ana 2027-W01: 64h of 40h — design, ui"),
        "{text}"
    );
}

#[test]
fn baseline_records_one_line_per_task_and_slip_shows_against_it() {
    let (_folder, path) = plan_file(PLAN);
    gantry().arg("baseline").arg(&path).assert().success();
    gantry()
        .arg("baseline")
        .arg(&path)
        .args(["--name", "signed"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).expect("the plan");
    assert!(text.starts_with("# The storefront plan.\n"), "{text}");
    assert!(
        text.contains("depends = [\"design\"]   # after the design\n"),
        "{text}"
    );
    assert!(
        text.contains("baseline = { start = 2027-01-11, finish = 2027-01-15 }\n"),
        "{text}"
    );
    assert!(
        text.contains("baselines = { signed = { start = 2027-01-11, finish = 2027-01-15 } }\n"),
        "{text}"
    );
    // The design takes two more days: everything after it slips by two.
    std::fs::write(
        &path,
        text.replacen("duration = 5\nowner", "duration = 7\nowner", 1),
    )
    .expect("edit");
    let schedule = json(&path, &[]);
    assert_eq!(schedule["project"]["slip"], 2);
    assert_eq!(
        schedule["project"]["baseline"],
        serde_json::json!({"start": "2027-01-04", "finish": "2027-01-15"})
    );
    let api = &schedule["tasks"][1];
    assert_eq!(
        (api["finish"].as_str(), api["slip"].as_i64()),
        (Some("2027-01-20"), Some(2))
    );
    let named = json(&path, &["--baseline", "signed"]);
    assert_eq!(named["tasks"][1]["slip"], 2);
    gantry()
        .arg("schedule")
        .arg(&path)
        .args(["--baseline", "nope"])
        .assert()
        .code(2);
    gantry()
        .arg("baseline")
        .arg(&path)
        .args(["--name", "not a name"])
        .assert()
        .code(2);
}

/// A recorded baseline is what slip is measured against: recording again
/// is refused unless forced, and a forced one says what it replaced.
#[test]
fn baseline_keeps_an_existing_one_unless_forced_and_says_what_it_replaced() {
    let (_folder, path) = plan_file(PLAN);
    gantry().arg("baseline").arg(&path).assert().success();
    let recorded = std::fs::read_to_string(&path).expect("the plan");
    let longer = recorded.replacen("duration = 5\nowner", "duration = 7\nowner", 1);
    std::fs::write(&path, &longer).expect("edit");
    gantry()
        .arg("baseline")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "gantry: {} already has a baseline (4 tasks, 2027-01-04 to 2027-01-15); slip is measured against it, so it is kept: record over it with --force\n",
            path.display()
        ));
    assert_eq!(std::fs::read_to_string(&path).expect("the plan"), longer);
    // The named baselines are kept apart: one of another name is recorded.
    gantry()
        .arg("baseline")
        .arg(&path)
        .args(["--name", "signed"])
        .assert()
        .success();
    gantry()
        .arg("baseline")
        .arg(&path)
        .args(["--name", "signed"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "already has a baseline named `signed`",
        ));
    gantry()
        .arg("baseline")
        .arg(&path)
        .arg("--force")
        .assert()
        .success()
        .stdout(format!(
            "recorded the baseline for 4 tasks in {}: 2027-01-04 to 2027-01-20; it replaced the one recorded before (4 tasks, 2027-01-04 to 2027-01-15), with new dates for 3 tasks\n",
            path.display()
        ));
    let schedule = json(&path, &[]);
    assert_eq!(schedule["project"]["slip"], 0);
}

#[test]
fn a_plan_without_a_baseline_has_no_slip_keys() {
    let (_folder, path) = plan_file(PLAN);
    let schedule = json(&path, &[]);
    assert!(schedule["project"].get("slip").is_none());
    assert!(schedule["tasks"][0].get("baseline").is_none());
}

#[test]
fn a_schedule_past_the_end_of_time_is_an_error_at_the_duration() {
    // The longest duration the format holds, late in the calendar.
    let late = PLAN
        .replacen("start = 2027-01-04", "start = 8027-01-04", 1)
        .replacen("duration = 3", "duration = 1000000", 1);
    let (_folder, path) = plan_file(&late);
    let output = gantry()
        .arg("schedule")
        .arg(&path)
        .output()
        .expect("run gantry");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("plan.toml:29:12: error: the duration of `ui`"),
        "{stderr}"
    );
    gantry().arg("check").arg(&path).assert().code(1);
}

#[test]
fn dates_stay_within_what_a_plan_file_can_write() {
    // 9999-12-20 is a Monday; the week fits, a day more does not.
    let text = "[project]\nname = \"Late\"\nstart = 9999-12-20\n\n[[task]]\nid = \"a\"\nname = \"A\"\nduration = 10\n";
    let (_folder, path) = plan_file(text);
    let schedule = json(&path, &[]);
    assert_eq!(schedule["project"]["finish"], "9999-12-31");

    let (_folder, path) = plan_file(&text.replace("duration = 10", "duration = 11"));
    let output = gantry()
        .arg("check")
        .arg(&path)
        .output()
        .expect("run gantry");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "plan.toml:8:12: error: the duration of `a` takes it past 9999-12-31, the last date a plan can hold"
        ),
        "{stderr}"
    );
    gantry().arg("schedule").arg(&path).assert().code(1);
}

#[test]
fn an_invalid_plan_exits_one_and_a_missing_file_two() {
    let (_folder, path) =
        plan_file(&PLAN.replace("depends = [\"design\"]", "depends = [\"desgin\"]"));
    gantry().arg("schedule").arg(&path).assert().code(1);
    gantry().arg("baseline").arg(&path).assert().code(1);
    gantry()
        .args(["schedule", "/nonexistent/plan.toml"])
        .assert()
        .code(2);
}
