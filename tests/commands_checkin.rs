#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `gantry checkin` on the shipped examples: the printed draft, what
//! `--record` appends (and nothing else), and the weeks it refuses.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn gantry() -> Command {
    Command::cargo_bin("gantry").unwrap()
}

fn example_text(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

fn plan_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, text).unwrap();
    (folder, path)
}

#[test]
fn the_draft_lists_the_week_from_the_plan() {
    let (_folder, path) = plan_file(&example_text("hotel-integration.toml"));
    // Any day of the week will do: Wednesday 2027-03-17 is the week of the 15th.
    // Progress is recorded as of the status date, 2027-04-09: indices for an
    // earlier week mix it with that week's plan and cost, and say so.
    let expected = format!(
        "\
# Check-in: week of 2027-03-15 (2027-W11)
Harbour View Hotel systems integration

## Done this week
- Hardware delivery (supplier lead time) (hw-delivery)

## Next week
- (none)

## Blocked
- Connect guest app mobile check-in to the PMS (mobile-checkin): Guest-app
  vendor has not issued production API keys; request escalated to their account
  manager (since 2027-04-02)

## Risks due for review
- R2 (score 12, mitigated, trigger 2027-03-08, reviewed 2027-03-22):
  Room-control hardware delivery slips

## Metrics as of 2027-03-21
62.4% complete, SPI 1.08*, CPI 1.13*, 1 open blocker
* progress is as recorded on 2027-04-09, after 2027-03-21: EV counts work done
  since, so SPI, CPI and the forecasts are not meaningful for this date

Record it with: gantry checkin {} --week 2027-03-15 --record
",
        path.display()
    );
    gantry()
        .arg("checkin")
        .arg(&path)
        .args(["--week", "2027-03-17"])
        .assert()
        .success()
        .stdout(expected);
}

/// A week already recorded shows what the plan holds for it, and says where
/// to change it, as the refusal of `--record` does: never "Record it with".
#[test]
fn a_recorded_week_shows_the_record_and_where_to_change_it() {
    let (_folder, path) = plan_file(&example_text("hotel-integration.toml"));
    let expected = format!(
        "\
# Check-in: week of 2027-03-08 (2027-W10), recorded
Harbour View Hotel systems integration

## Done this week
- VLANs in place
- New access points installed
- Guest Wi-Fi login working in test

## Next week
- Finish PMS to POS posting
- Key-card encoding

## Blocked
- (none)

## Note
C2 (mobile key) rejected by the GM; scope unchanged.

## Metrics as recorded
33.0% complete, SPI 0.93, CPI 0.96, 0 open blockers

{}:1372:8: the check-in for the week of 2027-03-08 is already recorded; a recorded check-in is changed in the plan file itself
",
        path.display()
    );
    gantry()
        .arg("checkin")
        .arg(&path)
        .args(["--week", "2027-03-12"])
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn the_draft_defaults_to_the_status_dates_week() {
    let (_folder, path) = plan_file(&example_text("remote-patient-monitoring.toml"));
    gantry()
        .arg("checkin")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Check-in: week of 2027-05-17 (2027-W20), recorded\n",
        ))
        .stdout(predicate::str::contains("## Metrics as recorded\n"));
    let unrecorded = example_text("remote-patient-monitoring.toml")
        .replace("week = 2027-05-17", "week = 2027-05-03");
    let (_folder, path) = plan_file(&unrecorded);
    gantry()
        .arg("checkin")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Check-in: week of 2027-05-17 (2027-W20)\n",
        ))
        .stdout(predicate::str::contains("## Metrics as of 2027-05-20\n"));
}

/// The last line of the hotel plan's last check-in.
const LAST_CHECKIN_LINE: &str =
    "metrics = { percent_complete = 62, spi = 0.95, cpi = 0.93, open_blockers = 1 }\n";

#[test]
fn record_appends_the_draft_after_the_last_check_in_and_nothing_else() {
    let original = example_text("hotel-integration.toml");
    assert_eq!(original.matches(LAST_CHECKIN_LINE).count(), 1);
    let (_folder, path) = plan_file(&original);
    gantry()
        .arg("checkin")
        .arg(&path)
        .args(["--week", "2027-03-01", "--record"])
        .assert()
        .success()
        .stdout(format!(
            "recorded the check-in for the week of 2027-03-01 in {}\n",
            path.display()
        ));
    let added = r#"
[[checkin]]
week = 2027-03-01
done = ["Segment guest, IoT and POS networks", "Configure POS outlets, menus and revenue centres"]
next = []
blocked = ["Connect guest app mobile check-in to the PMS: Guest-app vendor has not issued production API keys; request escalated to their account manager"]
metrics = { percent_complete = 62.4, spi = 1.43, cpi = 1.57, open_blockers = 1 }
"#;
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        original.replacen(LAST_CHECKIN_LINE, &format!("{LAST_CHECKIN_LINE}{added}"), 1)
    );
    gantry().arg("check").arg(&path).assert().success();
}

#[test]
fn record_takes_the_lists_and_note_given() {
    let original = example_text("hotel-integration.toml");
    let (_folder, path) = plan_file(&original);
    gantry()
        .arg("checkin")
        .arg(&path)
        .args([
            "--week",
            "2027-04-14",
            "--record",
            "--done",
            "Floor 6 \"installed\"",
            "--done",
            "POS <menus>",
            "--next",
            "SIT",
            "--note",
            "Keys promised for Friday",
        ])
        .assert()
        .success();
    // As of the status date (2027-04-09), which comes before that week. A
    // text with double quotes is written as a literal string.
    let added = r#"
[[checkin]]
week = 2027-04-12
done = ['Floor 6 "installed"', "POS <menus>"]
next = ["SIT"]
blocked = []
note = "Keys promised for Friday"
metrics = { percent_complete = 62.4, spi = 0.89, cpi = 0.93, open_blockers = 1 }
"#;
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        original.replacen(LAST_CHECKIN_LINE, &format!("{LAST_CHECKIN_LINE}{added}"), 1)
    );
}

#[test]
fn record_on_a_plan_without_check_ins_appends_at_the_end() {
    let original = example_text("minimal.toml");
    let (_folder, path) = plan_file(&original);
    gantry()
        .arg("checkin")
        .arg(&path)
        .args(["--week", "2027-01-04", "--record"])
        .assert()
        .success();
    // No money and no time log: only progress and blockers are recorded.
    let added = r#"
[[checkin]]
week = 2027-01-04
done = []
next = ["Point the old address at the new wiki"]
blocked = []
metrics = { percent_complete = 0.0, open_blockers = 0 }
"#;
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("{original}{added}")
    );
}

#[test]
fn a_week_with_a_check_in_is_refused_and_the_file_kept() {
    let original = example_text("hotel-integration.toml");
    let (_folder, path) = plan_file(&original);
    gantry()
        .arg("checkin")
        .arg(&path)
        .args(["--week", "2027-04-07", "--record"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "{}:1394:8: error: the check-in for the week of 2027-04-05 is already recorded; a recorded check-in is changed in the plan file itself\n",
            path.display()
        ));
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn lists_without_record_and_bad_weeks_are_usage_errors() {
    let original = example_text("hotel-integration.toml");
    let (_folder, path) = plan_file(&original);
    gantry()
        .arg("checkin")
        .arg(&path)
        .args(["--done", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--record"));
    gantry()
        .arg("checkin")
        .arg(&path)
        .args(["--week", "next-monday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("next-monday"));
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn an_invalid_plan_is_refused_with_its_problems() {
    let original =
        example_text("minimal.toml").replace("depends = [\"export\"]", "depends = [\"exprot\"]");
    let (_folder, path) = plan_file(&original);
    gantry()
        .arg("checkin")
        .arg(&path)
        .arg("--record")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{}:", path.display())))
        .stderr(predicate::str::contains("did you mean `export`?"));
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
}
