#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `gantry report`: the weekly Markdown update on the shipped examples,
//! with plan text made inert, and written to a file with `-o`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn gantry() -> Command {
    Command::cargo_bin("gantry").unwrap()
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn report(path: &Path, extra: &[&str]) -> String {
    let output = gantry()
        .arg("report")
        .arg(path)
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

/// The lines of one `## ` section, without its heading.
fn section<'a>(report: &'a str, heading: &str) -> Vec<&'a str> {
    let start = report
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading} in:\n{report}"));
    report[start..]
        .lines()
        .skip(2)
        .take_while(|line| !line.starts_with("## "))
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn the_report_of_the_status_week_on_an_example() {
    let text = report(&example("remote-patient-monitoring.toml"), &[]);
    assert!(text.starts_with(
        "# Status update: Remote patient monitoring rollout, week of 2027-05-17\n\n\
         Week 2027-W20 (2027-05-17 to 2027-05-23); figures as of 2027-05-20.\n"
    ));
    // The note recorded in the week's check-in comes first.
    assert!(text.contains(
        "\n**Check-in note:** Pilot start moves from 2027-05-24 to 2027-05-27 at the earliest, \
         and only if the DPA is signed this week.\n"
    ));
    // The budget (project.budget) stands against EAC, BAC is named as
    // such, and each finish date says what it is measured against.
    assert_eq!(
        section(&text, "Headline"),
        [
            "- **Complete:** 61.2%",
            "- **Scheduled finish:** 2027-08-09, 3 working days later than the baseline finish 2027-08-04 (watch)",
            "- **Forecast finish (earned schedule):** 2027-08-31, 16 working days after the scheduled finish; SPI 0.93 (act)",
            "- **Budget:** 104,000.00 EUR; forecast cost (EAC) 94,396.99, 9,603.01 under budget (ok)",
            "- **Spent:** 57,784.00 EUR (AC) of a planned cost of 89,190.00 (BAC); CPI 0.94, variance at completion against BAC -5,206.99",
            "- **Burn rate:** 6,420.44 a week (planned 6,530.89) (ok)",
            "- **Open blockers:** 2 (watch)",
        ]
    );
    assert_eq!(
        section(&text, "Milestones"),
        [
            "Reached this week:",
            "- None",
            "Due in the next 30 days:",
            "- 2027-05-24: Approval to process patient data (`approval`), in 4 days",
            "- 2027-05-26: Pilot ready (`pilot-ready`), in 6 days",
        ]
    );
    // What the check-in recorded is listed first, then what the plan adds.
    assert_eq!(
        section(&text, "Done this week"),
        [
            "Recorded in the check-in:",
            "- Logistics flow agreed with central sterile services"
        ]
    );
    let next = section(&text, "Next week");
    assert_eq!(
        next[..5],
        [
            "Recorded in the check-in:",
            "- Pilot training on the wards",
            "- Onboarding kit",
            "- Sign the DPA",
            "Also from the plan:",
        ]
    );
    // "Onboarding kit" is the recorded line for the task of that name.
    assert!(!next.iter().any(|line| line.contains("`onboarding-kit`")));
    assert!(next.contains(&"- Pilot ready (`pilot-ready`), on 2027-05-26"));
    assert!(next.contains(
        &"- Validate device readings against ward monitors (`device-validation`), 2027-05-14 to 2027-05-24"
    ));
    let blocked = section(&text, "Blocked");
    assert_eq!(blocked[0], "Recorded in the check-in:");
    assert_eq!(
        blocked[1],
        "- Data processing agreement unsigned since 2027-04-19"
    );
    assert_eq!(blocked.len(), 6, "{blocked:?}");
    let risks = section(&text, "Top risks");
    assert_eq!(risks[0], "| Risk | Score | Owner | Trigger | Mitigation |");
    assert_eq!(risks[1], "|---|---|---|---|---|");
    assert!(risks[2].starts_with(
        "| `R3` Home hub firmware drops the connection to the wrist device | 12 (3x4, urgent) | Sofia Rossi | 2027-05-24 |"
    ));
    assert_eq!(section(&text, "Changes decided this week"), ["- None"]);
}

#[test]
fn changes_decided_in_the_week_are_listed_with_their_impact() {
    let text = report(
        &example("hotel-integration.toml"),
        &["--week", "2027-03-03"],
    );
    assert_eq!(
        section(&text, "Changes decided this week"),
        [
            "- `C1` Add the rooftop bar as a third POS outlet: approved by General manager on 2027-03-01 (cost +4,200.00 EUR, +2 working days)",
            "- `C3` Switch to the alternative thermostat model: done by Marta Silva on 2027-03-01 (cost -1,500.00 EUR, +2 working days)",
        ]
    );
    // A week in the past is reported as of its Sunday.
    assert!(text.contains("figures as of 2027-03-07."), "{text}");
    assert_eq!(
        section(&text, "Done this week"),
        [
            "- Segment guest, IoT and POS networks (`vlan`)",
            "- Configure POS outlets, menus and revenue centres (`pos-menu`)",
        ]
    );
}

#[test]
fn every_example_gives_a_report_with_every_section() {
    for name in [
        "digital-twin-pilot.toml",
        "ecommerce-replatform.toml",
        "hotel-integration.toml",
        "minimal.toml",
        "remote-patient-monitoring.toml",
    ] {
        let text = report(&example(name), &["--week", "2027-06-01"]);
        for heading in [
            "Headline",
            "Milestones",
            "Done this week",
            "Next week",
            "Blocked",
            "Top risks",
            "Changes decided this week",
        ] {
            assert!(
                text.contains(&format!("\n## {heading}\n")),
                "{name}: {heading}"
            );
        }
    }
}

const HOSTILE: &str = r##"[project]
name = "Shop `rm -rf` & <b>co</b>"
start = 2027-01-04
status_date = 2027-01-06

[[person]]
id = "ana"
name = "Ana [admin](javascript:alert(1))"

[[task]]
id = "t1"
name = "*x*"
duration = 2
status = "done"

[[task]]
id = "t2"
name = "<script>alert(1)</script>"
duration = 3
status = "blocked"
blocker = "# heading\n- list | pipe"
depends = ["t1"]

[[risk]]
id = "R1"
title = "<img src=x onerror=alert(1)>"
owner = "ana"
likelihood = 5
impact = 5
mitigation = "a | b _c_ ~~d~~ $x$"
"##;

#[test]
fn plan_text_comes_out_inert() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, HOSTILE).unwrap();
    let text = report(&path, &[]);
    assert!(text.starts_with(
        "# Status update: Shop \\`rm -rf\\` \\& \\<b\\>co\\</b\\>, week of 2027-01-04\n"
    ));
    assert_eq!(section(&text, "Done this week"), ["- \\*x\\* (`t1`)"]);
    assert_eq!(
        section(&text, "Blocked"),
        ["- \\<script\\>alert(1)\\</script\\> (`t2`): \\# heading - list \\| pipe"]
    );
    assert_eq!(
        section(&text, "Top risks")[2],
        "| `R1` \\<img src=x onerror=alert(1)\\> | 25 (5x5) | Ana \\[admin\\](javascript:alert(1)) |  | a \\| b \\_c\\_ \\~\\~d\\~\\~ \\$x\\$ |"
    );
    // The report's own Markdown has no `<`, `>`, `[` or `]`: every one in
    // it comes from the plan and must be escaped.
    let chars: Vec<char> = text.chars().collect();
    for (at, c) in chars.iter().enumerate() {
        if matches!(c, '<' | '>' | '[' | ']') {
            assert!(at > 0 && chars[at - 1] == '\\', "unescaped {c} at {at}");
        }
    }
}

#[test]
fn output_goes_to_a_file_with_o() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("weekly.md");
    let path = example("hotel-integration.toml");
    gantry()
        .arg("report")
        .arg(&path)
        .arg("-o")
        .arg(&target)
        .assert()
        .success()
        .stdout(format!(
            "wrote the report for the week of 2027-04-05 to {}\n",
            target.display()
        ));
    assert_eq!(fs::read_to_string(&target).unwrap(), report(&path, &[]));
    // No temporary file is left beside it.
    assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1);

    // The plan itself is never overwritten by its report.
    let plan_copy = folder.path().join("plan.toml");
    fs::copy(&path, &plan_copy).unwrap();
    gantry()
        .arg("report")
        .arg(&plan_copy)
        .arg("-o")
        .arg(&plan_copy)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the plan itself"));
    assert_eq!(
        fs::read_to_string(&plan_copy).unwrap(),
        fs::read_to_string(&path).unwrap()
    );

    let nowhere = folder.path().join("missing-folder").join("weekly.md");
    gantry()
        .arg("report")
        .arg(&path)
        .arg("-o")
        .arg(&nowhere)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(nowhere.display().to_string()));
}

#[test]
fn an_invalid_plan_gives_no_report() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, HOSTILE.replace("likelihood = 5", "likelihood = 7")).unwrap();
    gantry()
        .arg("report")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{}:28:14: error: `likelihood` in risk `R1` is 7",
            path.display()
        )));
}

#[test]
fn the_budget_stands_against_eac_and_the_finish_lines_agree() {
    // The hotel plan has a budget of 96,000 and task budgets (BAC) of
    // 81,520; its scheduled finish is on the baseline while the earned
    // schedule forecasts a later one. Each line names what it compares.
    let text = report(&example("hotel-integration.toml"), &[]);
    let headline = section(&text, "Headline");
    assert_eq!(
        headline[1..5],
        [
            "- **Scheduled finish:** 2027-06-07, on the baseline finish (ok)",
            "- **Forecast finish (earned schedule):** 2027-07-06, 20 working days after the scheduled finish; SPI 0.89 (act)",
            "- **Budget:** 96,000.00 EUR; forecast cost (EAC) 87,770.74, 8,229.26 under budget (ok)",
            "- **Spent:** 54,783.50 EUR (AC) of a planned cost of 81,520.00 (BAC); CPI 0.93, variance at completion against BAC -6,250.74",
        ]
    );
    assert!(!text.contains("budgeted"));
}

/// A past week's indices compare today's progress with that week's plan
/// and cost: the report says they are not meaningful, and does not judge
/// them; the status date's own week is not marked.
#[test]
fn indices_that_are_not_meaningful_are_marked_and_not_judged() {
    let past = report(
        &example("hotel-integration.toml"),
        &["--week", "2027-02-03"],
    );
    let headline = section(&past, "Headline");
    assert!(
        headline.iter().any(|line| line.starts_with(
            "- **Forecast finish (earned schedule):** 2027-02-16, 77 working days before the scheduled finish (not meaningful); SPI 6.97 (not meaningful)"
        ) && !line.contains("(ok)")),
        "{past}"
    );
    assert!(
        past.contains("\nWhy some figures are not meaningful:\n\n- progress is as recorded on 2027-04-09, after 2027-02-07:"),
        "{past}"
    );
    let html = gantry()
        .arg("report")
        .arg(example("hotel-integration.toml"))
        .args(["--week", "2027-02-03", "--format", "html"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("SPI 6.97 (not meaningful), CPI 6.92 (not meaningful)"));
    assert!(html.contains("<li>progress is as recorded on 2027-04-09"));
    let current = report(&example("hotel-integration.toml"), &[]);
    assert!(!current.contains("not meaningful"), "{current}");
}
