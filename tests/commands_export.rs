#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `gantry export`, `gantry import` and `gantry report --format html` from
//! the command line: destinations, refusals, warnings, and the CSV round
//! trip on every shipped example.

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

const EXAMPLES: &[&str] = &[
    "digital-twin-pilot.toml",
    "ecommerce-replatform.toml",
    "hotel-integration.toml",
    "minimal.toml",
    "remote-patient-monitoring.toml",
];

fn stdout(command: &mut Command) -> String {
    String::from_utf8(command.assert().success().get_output().stdout.clone()).unwrap()
}

fn load(path: &Path) -> gantry::model::Plan {
    let loaded = gantry::store::read(path).unwrap();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.plan
}

#[test]
fn a_csv_round_trip_gives_back_the_same_tasks() {
    let folder = tempfile::tempdir().unwrap();
    for name in EXAMPLES {
        let source = example(name);
        let csv = folder.path().join(format!("{name}.csv"));
        gantry()
            .args(["export", "--to", "csv", "-o"])
            .arg(&csv)
            .arg(&source)
            .assert()
            .success()
            .stdout(format!("wrote the csv export to {}\n", csv.display()));
        let plan_path = folder.path().join(format!("{name}.imported.toml"));
        let assert = gantry()
            .arg("import")
            .arg(&csv)
            .arg("-o")
            .arg(&plan_path)
            .assert()
            .success();
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        let original = load(&source);
        let imported = load(&plan_path);
        assert_eq!(imported.tasks.len(), original.tasks.len(), "{name}");
        for (before, after) in original.tasks.iter().zip(&imported.tasks) {
            let id = &before.id.value;
            assert_eq!(after.id.value, *id);
            assert_eq!(after.name, before.name, "{name} {id}");
            let phase = |t: &gantry::model::Task| t.phase.as_ref().map(|p| p.id.value.clone());
            let owner = |t: &gantry::model::Task| t.owner.as_ref().map(|p| p.id.value.clone());
            assert_eq!(phase(after), phase(before), "{name} {id}");
            assert_eq!(owner(after), owner(before), "{name} {id}");
            assert_eq!(after.working_days(), before.working_days(), "{name} {id}");
            assert_eq!(after.is_milestone(), before.is_milestone(), "{name} {id}");
            assert_eq!(after.estimate, before.estimate, "{name} {id}");
            let links = |t: &gantry::model::Task| {
                t.depends
                    .iter()
                    .map(|d| (d.task.id.value.clone(), d.kind, d.lag))
                    .collect::<Vec<_>>()
            };
            assert_eq!(links(after), links(before), "{name} {id}");
            assert_eq!(after.start, before.start, "{name} {id}");
            assert_eq!(after.status, before.status, "{name} {id}");
            assert_eq!(after.progress, before.progress, "{name} {id}");
            assert_eq!(after.baseline, before.baseline, "{name} {id}");
            assert_eq!(after.blocker, before.blocker, "{name} {id}");
            assert_eq!(after.blocked_since, before.blocked_since, "{name} {id}");
            assert_eq!(after.notes, before.notes, "{name} {id}");
        }
        // Phase and people names come along with their ids.
        for phase in &imported.phases {
            let known = original
                .phases
                .iter()
                .find(|p| p.id.value == phase.id.value)
                .unwrap();
            assert_eq!(phase.name, known.name);
        }
        for person in &imported.people {
            let known = original
                .people
                .iter()
                .find(|p| p.id.value == person.id.value)
                .unwrap();
            assert_eq!(person.name, known.name);
        }
        // The dates agree, unless the plan's calendar (not in a CSV) moves
        // them; each task that moves says so.
        let before = gantry::schedule::schedule(&original).unwrap();
        let after = gantry::schedule::schedule(&imported).unwrap();
        let calendar_free = original.calendar == gantry::model::Calendar::default()
            && original.project.status_date.is_none();
        for ((task, b), a) in original.tasks.iter().zip(&before.tasks).zip(&after.tasks) {
            if calendar_free {
                assert_eq!(
                    (a.start, a.finish),
                    (b.start, b.finish),
                    "{name} {}",
                    task.id.value
                );
            } else if (a.start, a.finish) != (b.start, b.finish) {
                assert!(
                    stderr.contains(&format!("task `{}`: the table says", task.id.value)),
                    "{name}: {stderr}"
                );
            }
        }
    }
}

#[test]
fn the_imported_plan_is_commented_and_refuses_to_overwrite() {
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("tasks.csv");
    let csv_text = stdout(
        gantry()
            .args(["export", "--to", "csv"])
            .arg(example("minimal.toml")),
    );
    fs::write(&csv, &csv_text).unwrap();
    let target = folder.path().join("plan.toml");
    gantry()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&target)
        .assert()
        .success()
        .stdout(format!("wrote a plan of 3 tasks to {}\n", target.display()));
    let text = fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("# A gantry plan made by `gantry import` from tasks.csv.\n"));
    assert!(text.contains("[project]\nname = \"tasks\"\nstart = 2027-01-04"));
    gantry().arg("check").arg(&target).assert().success();

    // An existing file stays as it is without --force.
    fs::write(&target, "keep me").unwrap();
    gantry()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&target)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists; give --force"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
    gantry()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&target)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&target).unwrap(), text);
    // Nothing else is left in the folder but the plan's empty lock file.
    let mut names: Vec<String> = fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let lock = format!(
        ".{}.gantry-lock",
        target.file_name().unwrap().to_string_lossy()
    );
    assert!(names.contains(&lock), "{names:?}");
    assert_eq!(names.len(), 3, "{names:?}");

    // Without -o the plan goes to standard output.
    let printed = stdout(gantry().arg("import").arg(&csv));
    assert_eq!(printed, text);
}

#[test]
fn what_the_plan_cannot_hold_is_a_warning_per_item() {
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("hand.csv");
    fs::write(
        &csv,
        "id,name,duration,status,progress,depends,colour\n\
         a,First,2,todo,0,,red\n\
         b c,Bad id,1,todo,0,,blue\n\
         d,Second,x,waiting,150,\"a:fs+1,ghost,a:zz,d\",green\n\
         a,Again,1,todo,0,,\n",
    )
    .unwrap();
    let path = csv.display().to_string();
    let assert = gantry().arg("import").arg(&csv).assert().success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let expected = [
        format!(
            "{path}:1: warning: column `colour` is not one gantry reads; its values are left out"
        ),
        format!(
            "{path}:3: warning: task id `b c` is not an id (letters, digits, '-', '_', '.'); the row is left out"
        ),
        format!(
            "{path}:4: warning: task `d`: duration `x` is not a whole number of working days, 0 or more; left out (one day)"
        ),
        format!(
            "{path}:4: warning: task `d`: status `waiting` is not todo, doing, done or blocked; left out (todo)"
        ),
        format!(
            "{path}:4: warning: task `d`: progress `150` is not a percent from 0 to 100; left out"
        ),
        format!(
            "{path}:4: warning: task `d`: `zz` in `a:zz` is not a dependency type (fs, ss or ff); the link is left out"
        ),
        format!("{path}:5: warning: task `a` comes twice; the later row is left out"),
        format!(
            "{path}:4: warning: task `d` depends on `ghost`, which is not a task in the table; the link is left out"
        ),
    ];
    for line in &expected {
        assert!(
            stderr.lines().any(|l| l == line),
            "missing {line:?} in:\n{stderr}"
        );
    }
    let plan = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        plan.contains("id = \"d\"\nname = \"Second\"\ndepends = [{ task = \"a\", lag = 1 }]\n"),
        "{plan}"
    );
}

#[test]
fn a_table_that_is_not_of_tasks_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("risks.csv");
    let risks = stdout(
        gantry()
            .args(["export", "--to", "csv", "--what", "risks"])
            .arg(example("hotel-integration.toml")),
    );
    assert!(risks.starts_with("id,title,owner,"));
    fs::write(&csv, risks).unwrap();
    gantry()
        .arg("import")
        .arg(&csv)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("it is not a task table"));
    // The format comes from the extension, or --from.
    let odd = folder.path().join("tasks.txt");
    fs::write(&odd, "id,name\na,A\n").unwrap();
    gantry()
        .arg("import")
        .arg(&odd)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("say it with --from csv"));
    gantry()
        .args(["import", "--from", "csv"])
        .arg(&odd)
        .assert()
        .success()
        .stdout(predicate::str::contains("id = \"a\"\nname = \"A\"\n"));
}

#[test]
fn exports_go_to_standard_output_or_a_file() {
    let folder = tempfile::tempdir().unwrap();
    let plan = example("hotel-integration.toml");
    for (format, start) in [
        ("mermaid", "gantt\n"),
        ("csv", "id,name,phase,"),
        ("ics", "BEGIN:VCALENDAR\r\n"),
        (
            "json",
            "{\n  \"format\": \"gantry-plan\",\n  \"version\": 1,",
        ),
    ] {
        let printed = stdout(gantry().args(["export", "--to", format]).arg(&plan));
        assert!(printed.starts_with(start), "{format}: {printed:.80}");
        let target = folder.path().join(format!("out.{format}"));
        gantry()
            .args(["export", "--to", format, "-o"])
            .arg(&target)
            .arg(&plan)
            .assert()
            .success()
            .stdout(format!(
                "wrote the {format} export to {}\n",
                target.display()
            ));
        assert_eq!(fs::read_to_string(&target).unwrap(), printed);
    }
    assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 4);
    let fenced = stdout(
        gantry()
            .args(["export", "--to", "mermaid", "--markdown"])
            .arg(&plan),
    );
    assert!(fenced.starts_with("```mermaid\ngantt\n") && fenced.ends_with("```\n"));

    // Never over the plan itself.
    let copy = folder.path().join("plan.toml");
    fs::copy(&plan, &copy).unwrap();
    gantry()
        .args(["export", "--to", "json", "-o"])
        .arg(&copy)
        .arg(&copy)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the plan itself"));
    assert_eq!(fs::read(&copy).unwrap(), fs::read(&plan).unwrap());
    // Options that belong to another format are refused.
    gantry()
        .args(["export", "--to", "csv", "--markdown"])
        .arg(&plan)
        .assert()
        .code(2)
        .stderr("gantry: --markdown goes with --to mermaid\n");
    gantry()
        .args(["export", "--to", "json", "--what", "log"])
        .arg(&plan)
        .assert()
        .code(2)
        .stderr("gantry: --what goes with --to csv\n");
    // An unknown format names the ones there are.
    gantry()
        .args(["export", "--to", "xls"])
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "[possible values: mermaid, csv, ics, json, tjp, mspdi]",
        ));
}

#[test]
fn the_html_report_is_written_by_format_or_by_name() {
    let folder = tempfile::tempdir().unwrap();
    let plan = example("hotel-integration.toml");
    let page = stdout(gantry().args(["report", "--format", "html"]).arg(&plan));
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    let target = folder.path().join("weekly.html");
    gantry()
        .arg("report")
        .arg(&plan)
        .arg("-o")
        .arg(&target)
        .assert()
        .success()
        .stdout(format!(
            "wrote the report for the week of 2027-04-05 to {}\n",
            target.display()
        ));
    assert_eq!(fs::read_to_string(&target).unwrap(), page);
    let markdown = stdout(gantry().arg("report").arg(&plan));
    assert!(markdown.starts_with("# Status update: "));
    let forced = folder.path().join("weekly.html.txt");
    gantry()
        .args(["report", "--format", "markdown", "-o"])
        .arg(&forced)
        .arg(&plan)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&forced).unwrap(), markdown);
}

#[test]
fn a_recorded_checkin_is_what_the_report_shows() {
    let folder = tempfile::tempdir().unwrap();
    let plan = folder.path().join("plan.toml");
    fs::copy(example("hotel-integration.toml"), &plan).unwrap();
    gantry()
        .args(["checkin", "--week", "2027-03-15", "--record"])
        .args([
            "--done",
            "Lobby screens wired",
            "--next",
            "Train the front desk",
        ])
        .args([
            "--blocked",
            "Waiting on the lock vendor",
            "--note",
            "Quiet week",
        ])
        .arg(&plan)
        .assert()
        .success();
    for format in ["markdown", "html"] {
        let text = stdout(
            gantry()
                .args(["report", "--week", "2027-03-17", "--format", format])
                .arg(&plan),
        );
        for recorded in [
            "Lobby screens wired",
            "Train the front desk",
            "Waiting on the lock vendor",
            "Quiet week",
            "Recorded in the check-in",
        ] {
            assert!(text.contains(recorded), "{format}: {recorded}");
        }
        // The recorded line comes before anything drawn from the plan.
        let done = text.find("Lobby screens wired").unwrap();
        let heading = text.find("Done this week").unwrap();
        assert!(heading < done);
    }
}
