//! The command-line contract, run on the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;

fn gantry() -> Command {
    Command::cargo_bin("gantry").unwrap()
}

const PLAN: &str = "[project]\nname = \"Demo\"\nstart = 2027-01-04\n\n[[task]]\nid = \"design\"\nname = \"Design\"\nduration = 5\nprogress = 10  # rough\n\n[[task]]\nid = \"api\"\nname = \"API\"\ndepends = [\"design\"]\n";

fn plan_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, text).unwrap();
    (folder, path)
}

#[test]
fn check_a_valid_plan_prints_one_line_and_exits_0() {
    let (_folder, path) = plan_file(PLAN);
    let output = gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(output).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("ok"), "{stdout}");
}

#[test]
fn check_an_invalid_plan_prints_file_line_col_and_exits_1() {
    let (_folder, path) = plan_file(&PLAN.replace("progress = 10", "progress = 101"));
    let expected = format!(
        "{}:9:12: error: `progress` in task `design` is 101, but it must be from 0 to 100\n",
        path.display()
    );
    gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(expected));
}

#[test]
fn check_reports_warnings_on_a_valid_plan() {
    let (_folder, path) = plan_file(&PLAN.replace("duration = 5", "duration = 5\nowner_ = 1"));
    gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            ":9:1: warning: unknown key `owner_` in task `design`; did you mean `owner`?",
        ));
}

#[test]
fn check_json_lists_diagnostics() {
    let (_folder, path) = plan_file(&PLAN.replace("\"design\"]", "\"desing\"]"));
    let output = gantry()
        .args(["check", "--format", "json"])
        .arg(&path)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["line"], 14);
    assert_eq!(report["diagnostics"][0]["column"], 12);
}

#[test]
fn check_never_panics_on_hostile_input() {
    let folder = tempfile::tempdir().unwrap();
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("binary", (0..=255u8).cycle().take(4096).collect()),
        ("invalid-utf8", b"[project]\nname = \"\xff\xfe\"\n".to_vec()),
        ("deep-arrays", format!("a = {}", "[".repeat(100_000)).into_bytes()),
        ("deep-tables", format!("a = {}", "{ b = ".repeat(100_000)).into_bytes()),
        ("deep-keys", format!("{} = 1", vec!["k"; 100_000].join(".")).into_bytes()),
        ("nul", b"[project]\nname = \"a\0b\"\nstart = 2027-01-04\n".to_vec()),
        ("huge-duration", format!("{PLAN}\n[[task]]\nid = \"x\"\nname = \"X\"\nduration = 9223372036854775807\n").into_bytes()),
        ("huge-lag", format!("{PLAN}\n[[task]]\nid = \"x\"\nname = \"X\"\ndepends = [{{ task = \"api\", lag = -9223372036854775808 }}]\n").into_bytes()),
    ];
    for (name, bytes) in inputs {
        let path = folder.path().join(format!("{name}.toml"));
        fs::write(&path, &bytes).unwrap();
        let assert = gantry()
            .arg("check")
            .arg(&path)
            .timeout(std::time::Duration::from_secs(30))
            .assert();
        let output = assert.get_output();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{name}: {:?} {stderr}",
            output.status
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn check_on_a_folder_or_missing_file_is_an_io_error() {
    let folder = tempfile::tempdir().unwrap();
    gantry()
        .arg("check")
        .arg(folder.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a folder, not a plan file"));
    gantry()
        .arg("check")
        .arg(folder.path().join("missing.toml"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("cannot read").and(predicate::str::contains("No such file")),
        );
}

#[test]
fn usage_errors_exit_2() {
    gantry().args(["check"]).assert().code(2);
    gantry().args(["frobnicate", "x.toml"]).assert().code(2);
}

/// A misspelt command is not taken for a plan file: clap suggests the
/// command, while a plan alone still goes to the app.
#[test]
fn a_misspelt_command_gets_did_you_mean() {
    gantry()
        .args(["shedule", "x.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unrecognized subcommand 'shedule'",
        ))
        .stderr(predicate::str::contains(
            "a similar subcommand exists: 'schedule'",
        ))
        .stderr(predicate::str::contains("cannot be used with").not());
    let (folder, _path) = plan_file(PLAN);
    // Not a terminal here, so the app says what to use instead: the plan
    // was taken as the file to open, and so is the default plan.toml.
    for args in [&["plan.toml"][..], &[]] {
        gantry()
            .current_dir(folder.path())
            .args(args)
            .assert()
            .code(2)
            .stderr("gantry: the app needs a terminal; from scripts use `gantry check plan.toml` or `gantry schedule plan.toml`\n");
    }
}

#[test]
fn task_set_changes_one_line() {
    let (_folder, path) = plan_file(PLAN);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["design", "progress=60"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        PLAN.replace("progress = 10  # rough", "progress = 60  # rough")
    );
}

#[test]
fn task_set_refuses_invalid_values_and_leaves_the_file() {
    let (_folder, path) = plan_file(PLAN);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["design", "status=done", "progress=300"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            ":9:12: error: `progress` in task `design` is 300, but it must be from 0 to 100",
        ));
    assert_eq!(fs::read_to_string(&path).unwrap(), PLAN);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["design", "status=finished"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "which is not one of \"todo\", \"doing\", \"done\", \"blocked\"",
        ));
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["api", "depends=api"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("depends on itself"));
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["nope", "status=done"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no task with id `nope`"));
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["api", "colour=red"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a task field"));
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["api", "duration=two"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("takes a whole number"));
    assert_eq!(fs::read_to_string(&path).unwrap(), PLAN);
}

#[test]
fn task_set_never_overwrites_a_file_that_does_not_parse() {
    let broken = PLAN.replace("name = \"API\"", "name = \"API");
    let (_folder, path) = plan_file(&broken);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["design", "status=done"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: TOML syntax"));
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn task_set_can_repair_an_invalid_plan() {
    let (_folder, path) = plan_file(&PLAN.replace("progress = 10", "progress = 110"));
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["design", "progress=100"])
        .assert()
        .success();
    gantry().arg("check").arg(&path).assert().success();
}

/// A plan with several errors: the lines are numbered in the tests below.
const BROKEN: &str = "[project]\nname = \"Broken\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"\nduration = \"five\"\n\n[[task]]\nname = \"No id\"\nduration = 2\n\n[[task]]\nid = \"c d\"\nname = \"Bad id\"\nprogress = 150\n\n[[task]]\nname = \"Another without id\"\nstatus = \"finished\"\n\n[[task]]\nid = \"e\"\nname = \"E\"\ndepends = [\"zzz\"]\n\n[[risk]]\nid = \"R1\"\ntitle = \"Odds\"\nlikelihood = 9\nimpact = 2\n";

#[test]
fn task_set_fixes_one_error_while_others_remain() {
    let (_folder, path) = plan_file(BROKEN);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["a", "duration=5"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        BROKEN.replace("duration = \"five\"", "duration = 5")
    );
    // The task with a malformed id can be addressed as written.
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["c d", "progress=50"])
        .assert()
        .success();
    gantry()
        .args(["risk", "set"])
        .arg(&path)
        .args(["R1", "likelihood=3"])
        .assert()
        .success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("progress = 50\n") && text.contains("likelihood = 3\n"));
    gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::ends_with(format!(
            "{}: 5 errors\n",
            path.display()
        )));
}

#[test]
fn task_set_refuses_a_new_error_of_a_kind_that_exists_elsewhere() {
    let (_folder, path) = plan_file(BROKEN);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["e", "depends=zzz,yyy"])
        .assert()
        .code(1)
        .stderr(format!(
            "{}:26:19: error: task `e` depends on `yyy`, which is not a task\ngantry: change refused; {0} was not modified\n",
            path.display()
        ));
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["c d", "status=finished"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "{}:18:10: error: `status` in task `c d` is \"finished\"",
            path.display()
        )));
    gantry()
        .args(["risk", "set"])
        .arg(&path)
        .args(["R1", "impact=8"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            ":32:10: error: `impact` in risk `R1` is 8, but it must be from 1 to 5",
        ));
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
}

#[test]
fn task_set_adds_and_removes_optional_fields() {
    let (_folder, path) = plan_file(PLAN);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args([
            "api",
            "depends=design:ss+2",
            "start=2027-01-11",
            "milestone=false",
        ])
        .assert()
        .success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.ends_with("depends = [{ task = \"design\", type = \"ss\", lag = 2 }]\nstart = 2027-01-11\nmilestone = false\n"), "{text}");
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["api", "start=", "milestone="])
        .assert()
        .success();
    assert!(fs::read_to_string(&path).unwrap().ends_with("lag = 2 }]\n"));
}

#[test]
fn task_set_reads_an_id_ending_in_a_number_as_that_task() {
    let plan = format!("{PLAN}\n[[task]]\nid = \"step-2\"\nname = \"Step two\"\n");
    let (_folder, path) = plan_file(&plan);
    gantry()
        .args(["task", "set"])
        .arg(&path)
        .args(["api", "depends=step-2, design:fs-2"])
        .assert()
        .success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("depends = [\"step-2\", { task = \"design\", lag = -2 }]"),
        "{text}"
    );
}

#[test]
fn new_writes_a_valid_starter_and_refuses_to_overwrite() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    gantry().arg("new").arg(&path).assert().success();
    let written = fs::read_to_string(&path).unwrap();
    gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stderr("");
    gantry()
        .arg("new")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(fs::read_to_string(&path).unwrap(), written);
}

/// The starter plan starts on the next Monday after today (the dates are
/// computed from the clock here around the run, so midnight cannot flake).
#[test]
fn new_starts_the_plan_on_the_next_monday() {
    use chrono::Datelike;
    let next_monday = |today: chrono::NaiveDate| {
        today + chrono::Days::new(7 - u64::from(today.weekday().num_days_from_monday()))
    };
    let before = next_monday(chrono::Local::now().date_naive());
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    gantry()
        .arg("new")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("a starter plan from Monday "));
    let after = next_monday(chrono::Local::now().date_naive());
    let plan = gantry::store::parse_str(&fs::read_to_string(&path).unwrap())
        .unwrap()
        .plan;
    assert!(
        plan.project.start == before || plan.project.start == after,
        "{}",
        plan.project.start
    );
    assert_eq!(plan.project.start.weekday(), chrono::Weekday::Mon);
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        gantry()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("gantry"));
    }
}

#[test]
fn every_command_has_help() {
    for command in [
        &["check"][..],
        &["schedule"],
        &["baseline"],
        &["task", "set"],
        &["new"],
        &["completions"],
    ] {
        gantry()
            .args(command)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
}

/// Hours logged before the project starts (today's date written into a
/// plan set in the future, say) are an error at the date, and never move
/// the project or the task to start earlier.
#[test]
fn a_log_entry_before_the_project_start_is_an_error_and_moves_nothing() {
    let hotel = include_str!("../examples/hotel-integration.toml");
    let text = format!("{hotel}\n[[log]]\ndate = 2027-01-20\ntask = \"iot-rollout\"\nhours = 3\n");
    let line = text.lines().count() - 2;
    let (_folder, path) = plan_file(&text);
    gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(format!(
            "{}:{line}:8: error: the log entry of 2027-01-20 for `iot-rollout` is dated before the project starts on 2027-02-01, so the task would seem to have started before the project; correct the date, or move `start` in [project]\n{0}: 1 error\n",
            path.display()
        ));
    let before = gantry::store::parse_str(hotel).unwrap().plan;
    let after = gantry::store::parse_str(&text).unwrap().plan;
    let planned = gantry::schedule::schedule(&before).unwrap();
    let logged = gantry::schedule::schedule(&after).unwrap();
    assert_eq!(logged.start, planned.start);
    assert_eq!(logged.start.to_string(), "2027-02-01");
    let index = after.task_index("iot-rollout").unwrap();
    assert_eq!(logged.tasks[index].start.to_string(), "2027-02-01");
}

/// A task with a malformed id stays in the model for the app to fix, but
/// no command that needs a valid plan takes it for a valid one.
#[test]
fn commands_that_need_a_valid_plan_refuse_a_malformed_id() {
    let (_folder, path) = plan_file(&PLAN.replace("id = \"api\"", "id = \"a p i\""));
    let expected = format!(
        "{}:12:6: error: id `a p i` may hold only ASCII letters, digits, '-', '_' and '.'",
        path.display()
    );
    for command in [
        &["schedule"][..],
        &["status"],
        &["report"],
        &["checkin"],
        &["baseline"],
        &["export", "--to", "json"],
        &["export", "--to", "csv"],
    ] {
        gantry()
            .args(command)
            .arg(&path)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::starts_with(expected.clone()));
    }
    gantry()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(expected));
}

/// Characters that must never reach a terminal raw: C1 controls, DEL,
/// bidirectional controls and zero-width characters.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
        )
}

const HOSTILE: &str = "[project]\nname = \"D\u{9b}\u{202E}x\u{200B}\"\nstart = 2027-01-04\nstatus_date = 2027-03-01\n\n[[task]]\nid = \"a\"\nname = \"A\u{9d}\\u007f\u{2066}\"\nstatus = \"blocked\"\nblocked_since = 2027-01-05\nblocker = \"vendor \u{9c}\"\n\n[[risk]]\nid = \"R\"\ntitle = \"T\u{202E}\u{9b}\"\nlikelihood = 2\nimpact = 2\ntrigger = 2027-01-10\n";

#[test]
fn json_output_escapes_c1_del_bidi_and_zero_width_characters() {
    let (_folder, path) = plan_file(HOSTILE);
    for args in [
        vec!["check", "--format", "json"],
        vec!["status", "--json"],
        vec!["risk", "list", "--json"],
        vec!["schedule", "--json"],
    ] {
        let (command, rest) = args.split_at(if args[0] == "risk" { 2 } else { 1 });
        let output = gantry()
            .args(command)
            .arg(&path)
            .args(rest)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(output.status.success(), "{args:?}: {stdout}");
        assert!(!stdout.chars().any(is_unsafe), "{args:?}: {stdout:?}");
        // The escapes decode to the plan's own text.
        let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let text = value.to_string();
        if args[0] == "check" {
            assert!(stdout.contains("\\u009b\\u202e"), "{stdout}");
            assert_eq!(value["summary"]["project"], "D\u{9b}\u{202E}x\u{200B}");
        }
        if args[0] == "risk" {
            assert!(text.contains("T\u{202E}\u{9b}"), "{text}");
        }
    }
}

#[test]
fn text_output_never_prints_plan_text_or_file_names_raw() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan\u{1b}[31m\u{202E}.toml");
    fs::write(
        &path,
        HOSTILE.replace("title = ", "owner = \"x\u{200B}\"\ntitle = "),
    )
    .unwrap();
    let output = gantry().arg("check").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.chars().any(is_unsafe), "{stderr:?}");
    assert!(
        stderr.contains("risk `R` is owned by `x\\u{200b}`, which is not a person"),
        "{stderr}"
    );
    assert!(
        stderr.contains("plan\u{FFFD}[31m\u{FFFD}.toml:"),
        "{stderr}"
    );
    fs::write(&path, HOSTILE).unwrap();
    for args in [
        vec!["check"],
        vec!["status"],
        vec!["schedule"],
        vec!["checkin"],
        vec!["report"],
    ] {
        let output = gantry().args(&args).arg(&path).output().unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(!stdout.chars().any(is_unsafe), "{args:?}: {stdout:?}");
        assert!(!stderr.chars().any(is_unsafe), "{args:?}: {stderr:?}");
    }
}

#[test]
fn a_reader_that_stops_early_is_not_a_panic() {
    let mut text = String::from(PLAN);
    for index in 0..3000 {
        text.push_str(&format!("unknown_{index} = 1\n"));
    }
    let (_folder, path) = plan_file(&text);
    for format in ["text", "json"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("gantry"))
            .args(["check", "--format", format])
            .arg(&path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
    }
}
