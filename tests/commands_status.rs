#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `gantry status` on the shipped examples and on the worked example of
//! `docs/metrics.md`, as JSON and as text, and its errors.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn gantry() -> Command {
    Command::cargo_bin("gantry").unwrap()
}

fn examples() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
    paths.sort();
    assert!(paths.len() >= 5, "{paths:?}");
    paths
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn plan_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, text).unwrap();
    (folder, path)
}

fn status_json(path: &Path, extra: &[&str]) -> Value {
    let output = gantry()
        .arg("status")
        .arg(path)
        .arg("--json")
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).unwrap()
}

/// The worked example of `docs/metrics.md`; its numbers are worked out there.
const WORKED: &str = r#"[project]
name = "Worked example"
start = 2027-01-04
status_date = 2027-01-13
currency = "EUR"

[[person]]
id = "ana"
rate = 100

[[person]]
id = "ben"
rate = 50

[[person]]
id = "cy"

[[task]]
id = "design"
name = "Design"
owner = "ana"
duration = 5
estimate = 40
status = "done"
progress = 100
baseline = { start = 2027-01-04, finish = 2027-01-08 }

[[task]]
id = "build"
name = "Build"
owner = "ben"
duration = 10
estimate = 80
depends = ["design"]
status = "doing"
progress = 20
baseline = { start = 2027-01-11, finish = 2027-01-22 }

[[task]]
id = "docs"
name = "Docs"
owner = "cy"
duration = 2
estimate = 16
status = "done"
progress = 100

[[task]]
id = "launch"
name = "Launch"
owner = "ana"
milestone = true
estimate = 10
depends = ["build"]
baseline = { start = 2027-01-22, finish = 2027-01-22 }

[[task]]
id = "review"
name = "Review"
owner = "ben"
status = "blocked"
blocked_since = 2027-01-04

[[log]]
date = 2027-01-06
task = "design"
hours = 24

[[log]]
date = 2027-01-08
task = "design"
person = "ana"
hours = 20

[[log]]
date = 2027-01-12
task = "build"
hours = 10

[[log]]
date = 2027-01-13
task = "build"
person = "cy"
hours = 8

[[log]]
date = 2027-01-14
task = "build"
hours = 8
"#;

const KEYS: &[&str] = &[
    "status_date",
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac",
    "etc",
    "vac",
    "burn_rate",
    "planned_burn_rate",
    "open_blockers",
    "variance_days",
    "forecast_finish",
    "percent_complete",
    "alerts",
    // Added later, beside the keys above: which indices mean something yet.
    "meaningful",
    "caveats",
];

const MONEY: &[&str] = &[
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "eac",
    "etc",
    "vac",
    "burn_rate",
    "planned_burn_rate",
];

fn is_date(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok())
}

#[test]
fn status_json_has_exactly_the_contract_keys_on_every_example() {
    for path in examples() {
        let report = status_json(&path, &[]);
        let object = report.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected, "{}", path.display());
        assert!(is_date(&report["status_date"]), "{report}");
        assert!(report["forecast_finish"].is_null() || is_date(&report["forecast_finish"]));
        for key in MONEY {
            let value = &report[*key];
            if let Some(number) = value.as_f64() {
                let cents = number * 100.0;
                assert!((cents - cents.round()).abs() < 1e-6, "{key} = {number}");
            } else {
                assert!(value.is_null(), "{key} = {value}");
            }
        }
        for key in ["spi", "cpi", "variance_days"] {
            assert!(report[key].is_number() || report[key].is_null(), "{key}");
        }
        assert!(report["open_blockers"].is_u64());
        let percent = report["percent_complete"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&percent));
        for alert in report["alerts"].as_array().unwrap() {
            let alert = alert.as_object().unwrap();
            let mut keys: Vec<&str> = alert.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["kind", "message"]);
        }
        let meaningful = report["meaningful"].as_object().unwrap();
        let mut keys: Vec<&str> = meaningful.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["cpi", "progress_as_of", "spi", "spi_t"]);
        assert!(report["caveats"].is_array());
    }
}

/// Early in a project, indices over a sliver of planned value or cost are
/// flagged, in text and JSON, with the reason; the figures are still given.
#[test]
fn indices_over_tiny_denominators_are_flagged_as_not_yet_meaningful() {
    let (_folder, path) = plan_file(&WORKED.replace("status_date = 2027-01-13\n", ""));
    // Day one: PV is 800 of 9,000 and nothing is spent yet.
    let report = status_json(&path, &["--date", "2027-01-04"]);
    assert_eq!(report["spi"], 6.0);
    assert!(report["cpi"].is_null());
    assert_eq!(
        report["meaningful"],
        serde_json::json!({"spi": false, "cpi": false, "spi_t": false, "progress_as_of": null})
    );
    assert_eq!(
        report["caveats"],
        serde_json::json!([
            "SPI is not yet meaningful: PV is 8.9% of BAC (under 10%)",
            "SPI(t) and the forecast finish are not yet meaningful: 1 of 15 planned working days elapsed (under 10%)"
        ])
    );
    // Day two: PV is 1,600, over 10% of BAC.
    let report = status_json(&path, &["--date", "2027-01-05"]);
    assert_eq!(report["meaningful"]["spi"], true);
    assert_eq!(report["meaningful"]["spi_t"], true);
    let hotel = fs::read_to_string(example("hotel-integration.toml"))
        .unwrap()
        .replace("status_date = 2027-04-09\n", "");
    let (_hotel_folder, hotel) = plan_file(&hotel);
    let report = status_json(&hotel, &["--date", "2027-02-03"]);
    assert_eq!(
        report["caveats"],
        serde_json::json!([
            "SPI is not yet meaningful: PV is 4.0% of BAC (under 10%)",
            "CPI, EAC, ETC and VAC are not yet meaningful: AC is 4.5% of BAC (under 10%)",
            "SPI(t) and the forecast finish are not yet meaningful: 3 of 89 planned working days elapsed (under 10%)"
        ])
    );
    // A status date before the one the progress was recorded at: EV is later.
    let report = status_json(
        &example("hotel-integration.toml"),
        &["--date", "2027-02-01"],
    );
    assert_eq!(report["meaningful"]["progress_as_of"], "2027-04-09");
    assert_eq!(report["meaningful"]["spi"], false);
    assert_eq!(report["spi"], 74.826, "the figure is still given");
    let output = gantry()
        .arg("status")
        .arg(example("hotel-integration.toml"))
        .args(["--date", "2027-02-01"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("SPI     74.83*   CPI     50.01*   EAC  1,630.18*\n"),
        "{text}"
    );
    assert!(
        text.contains("\n* progress is as recorded on 2027-04-09, after 2027-02-01: EV counts work done\n  since,"),
        "{text}"
    );
    // At the plan's own status date nothing is marked.
    let report = status_json(&example("hotel-integration.toml"), &[]);
    assert_eq!(
        report["meaningful"],
        serde_json::json!({"spi": true, "cpi": true, "spi_t": true, "progress_as_of": null})
    );
    assert_eq!(report["caveats"], serde_json::json!([]));
}

#[test]
fn status_json_gives_the_worked_example_numbers() {
    let (_folder, path) = plan_file(WORKED);
    let report = status_json(&path, &[]);
    let expected = serde_json::json!({
        "status_date": "2027-01-13",
        "bac": 9000.0,
        "pv": 5200.0,
        "ev": 4800.0,
        "ac": 4900.0,
        "sv": -400.0,
        "cv": -100.0,
        "spi": 0.923,
        "cpi": 0.98,
        "eac": 9187.5,
        "etc": 4287.5,
        "vac": -187.5,
        "burn_rate": 3062.5,
        "planned_burn_rate": 3250.0,
        "open_blockers": 1,
        "variance_days": 0,
        "forecast_finish": "2027-01-27",
        "percent_complete": 53.33,
        "alerts": [
            {
                "kind": "long_blocked",
                "message": "task review has been blocked for 9 days (since 2027-01-04)"
            },
            {
                // With the status date, review (ben's, no estimate: a full
                // day) moves to Jan 13, beside build's 80 h over 9 days.
                "kind": "over_allocated",
                "message": "ben is over-allocated: 43.6h booked against 40h in the week of 2027-01-11 (2 weeks over capacity from then on)"
            },
            {
                "kind": "missing_checkin",
                "message": "no check-in recorded for last week (2027-W01, from 2027-01-04)"
            }
        ],
        "meaningful": {"spi": true, "cpi": true, "spi_t": true, "progress_as_of": null},
        "caveats": []
    });
    assert_eq!(report, expected);
}

#[test]
fn the_date_option_overrides_the_status_date() {
    let (_folder, path) = plan_file(WORKED);
    // Fri Jan 22: design, build's 10 days and the launch milestone are all due.
    let report = status_json(&path, &["--date", "2027-01-22"]);
    assert_eq!(report["status_date"], "2027-01-22");
    assert_eq!(report["pv"], 9000.0);
    // The log entry of Jan 14 now counts: 4,900 + 8 h x 50.
    assert_eq!(report["ac"], 5300.0);
}

#[test]
fn without_money_or_dates_ratios_are_null() {
    let report = status_json(&example("minimal.toml"), &["--date", "2027-01-05"]);
    for key in [
        "spi",
        "cpi",
        "eac",
        "etc",
        "vac",
        "forecast_finish",
        "variance_days",
    ] {
        assert!(report[key].is_null(), "{key}: {report}");
    }
    assert_eq!(report["bac"], 0.0);
    assert_eq!(report["burn_rate"], 0.0);
    assert_eq!(report["percent_complete"], 0.0);
    // Before the project starts nothing has elapsed: no rates at all.
    let report = status_json(&example("minimal.toml"), &["--date", "2026-12-31"]);
    assert!(report["burn_rate"].is_null());
    assert!(report["planned_burn_rate"].is_null());
}

#[test]
fn status_json_on_the_examples_names_their_alerts() {
    let report = status_json(&example("hotel-integration.toml"), &[]);
    assert_eq!(report["status_date"], "2027-04-09");
    assert_eq!(report["open_blockers"], 1);
    let kinds: Vec<&str> = report["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|alert| alert["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["risk_past_trigger", "over_allocated"]);
    assert!(
        report["alerts"][0]["message"]
            .as_str()
            .unwrap()
            .contains("risk R8")
    );

    let report = status_json(&example("remote-patient-monitoring.toml"), &[]);
    assert_eq!(report["variance_days"], 3);
    let kinds: Vec<&str> = report["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|alert| alert["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "long_blocked",
            "gate_unsigned",
            "gate_unsigned",
            "over_allocated"
        ]
    );
}

#[test]
fn status_text_fits_80_columns_on_every_example() {
    for path in examples() {
        let output = gantry().arg("status").arg(&path).assert().success();
        let stdout = String::from_utf8(output.get_output().stdout.clone()).unwrap();
        for line in stdout.lines() {
            assert!(
                unicode_width(line) <= 80,
                "{}: {line:?} is {} columns",
                path.display(),
                unicode_width(line)
            );
        }
        assert!(stdout.contains("BAC"), "{stdout}");
        assert!(stdout.contains("Forecast finish"), "{stdout}");
    }
}

/// Columns, counting the characters these outputs use as one column each.
fn unicode_width(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn status_text_shows_the_worked_example() {
    let (_folder, path) = plan_file(WORKED);
    let expected = "\
Worked example
Status at 2027-01-13; money in EUR

Complete        53.3%                   Open blockers   1
Forecast finish 2027-01-27              Planned finish  2027-01-22
Variance        on the baseline         SPI(t)          0.88
Burn rate       3,062.50/wk             Planned burn    3,250.00/wk

BAC 9,000.00   PV  5,200.00   EV  4,800.00
AC  4,900.00   SV   -400.00   CV   -100.00
SPI     0.92   CPI     0.98   EAC 9,187.50
ETC 4,287.50   VAC  -187.50

Alerts (3):
  !  task review has been blocked for 9 days (since 2027-01-04)
  -  ben is over-allocated: 43.6h booked against 40h in the week of 2027-01-11
     (2 weeks over capacity from then on)
  -  no check-in recorded for last week (2027-W01, from 2027-01-04)
";
    gantry()
        .arg("status")
        .arg(&path)
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn plan_text_cannot_reach_the_terminal_raw() {
    let (_folder, path) = plan_file(&WORKED.replace(
        "name = \"Worked example\"",
        "name = \"Evil \\u001b[2J\\u0007 plan\"",
    ));
    let output = gantry().arg("status").arg(&path).assert().success();
    let stdout = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(!stdout.contains('\u{7}'), "{stdout:?}");
    assert!(
        stdout.starts_with("Evil \u{FFFD}[2J\u{FFFD} plan\n"),
        "{stdout:?}"
    );
}

#[test]
fn status_errors_name_the_file_and_exit_1_or_2() {
    let (folder, path) = plan_file(&WORKED.replace("progress = 20", "progress = 200"));
    gantry()
        .arg("status")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{}:36:12: error: `progress` in task `build` is 200",
            path.display()
        )));
    let missing = folder.path().join("missing.toml");
    gantry()
        .arg("status")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(missing.display().to_string()));
    let (_folder, path) = plan_file(WORKED);
    gantry()
        .args(["status", "--date", "2027-02-30"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2027-02-30"));
    let (_folder, path) =
        plan_file(&WORKED.replace("depends = [\"design\"]", "depends = [\"launch\"]"));
    gantry()
        .arg("status")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cycle"));
}

#[test]
fn the_new_commands_have_help() {
    for command in [
        &["status"][..],
        &["risk", "list"],
        &["risk", "add"],
        &["risk", "set"],
        &["checkin"],
        &["report"],
    ] {
        gantry()
            .args(command)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
}
