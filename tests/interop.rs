//! TaskJuggler and MS Project XML: export, import, and the round trip
//! between them. `tests/schedule_tj.rs` checks the `.tjp` dates against
//! TaskJuggler's own.

// Helpers of a test may stop it: a failed expectation is the test failing.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use gantry::model::Plan;
use quick_xml::events::Event;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> Vec<PathBuf> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .map(|entry| entry.expect("example").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    plans.sort();
    assert!(plans.len() >= 5);
    plans
}

fn load(text: &str) -> Plan {
    let loaded = gantry::store::parse_str(text).expect("the plan parses");
    assert!(!loaded.has_errors(), "{:?}\n{text}", loaded.diagnostics);
    loaded.plan
}

/// Every element's text, in document order, read by quick-xml itself.
fn texts_of(xml: &str, name: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    let mut current = String::new();
    let mut found = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) if start.name().as_ref() == name => {
                inside = true;
                current.clear();
            }
            Event::End(end) if end.name().as_ref() == name => {
                inside = false;
                found.push(std::mem::take(&mut current));
            }
            Event::Text(text) if inside => current.push_str(&text.xml10_content()),
            Event::GeneralRef(reference) if inside => {
                match reference.resolve_char_ref().expect("a character reference") {
                    Some(c) => current.push(c),
                    None => current.push_str(match &*reference.clone().into_inner() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unknown entity {other}"),
                    }),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

fn export_mspdi(plan: &Plan) -> String {
    let schedule = gantry::schedule::schedule(plan).expect("schedules");
    gantry::export::to_mspdi(plan, &schedule)
}

/// Export then import: the same tasks, links, lags, dates and resources.
/// The time log does not travel (MSPDI holds effort per assignment, not
/// per day), so the comparison drops it on both sides.
#[test]
fn every_example_comes_back_from_ms_project_xml_as_it_was() {
    for path in examples() {
        let mut plan = load(&std::fs::read_to_string(&path).expect("example"));
        plan.log.clear();
        let xml = export_mspdi(&plan);
        let imported = gantry::import::from_mspdi(&xml).expect("imports");
        let name = path.display();
        assert!(
            imported.warnings.is_empty(),
            "{name}: {:#?}",
            imported.warnings
        );
        let back = load(&imported.plan);
        assert_eq!(back.project.name, plan.project.name, "{name}");
        assert_eq!(back.project.start, plan.project.start, "{name}");
        assert_eq!(back.project.status_date, plan.project.status_date, "{name}");
        assert_eq!(back.calendar.workdays, plan.calendar.workdays, "{name}");
        let mut holidays = plan.calendar.holidays.clone();
        holidays.retain(|day| {
            plan.calendar
                .workdays
                .contains(&chrono::Datelike::weekday(day))
        });
        holidays.sort();
        holidays.dedup();
        assert_eq!(back.calendar.holidays, holidays, "{name}");
        assert_eq!(back.people.len(), plan.people.len(), "{name}");
        for person in &plan.people {
            let other = back.person(&person.id.value).expect("the person is back");
            assert_eq!(
                (
                    &other.name,
                    &other.role,
                    other.rate,
                    other.capacity,
                    &other.skills
                ),
                (
                    &person.name,
                    &person.role,
                    person.rate,
                    person.capacity,
                    &person.skills
                ),
                "{name}: {}",
                person.id.value
            );
        }
        let ours = gantry::schedule::schedule(&plan).expect("schedules");
        let theirs = gantry::schedule::schedule(&back).expect("schedules");
        assert_eq!(back.tasks.len(), plan.tasks.len(), "{name}");
        for (index, task) in plan.tasks.iter().enumerate() {
            let other_index = back.task_index(&task.id.value).expect("the task is back");
            let other = &back.tasks[other_index];
            let id = &task.id.value;
            assert_eq!(other.name, task.name, "{name}: {id}");
            assert_eq!(other.working_days(), task.working_days(), "{name}: {id}");
            assert_eq!(other.is_milestone(), task.is_milestone(), "{name}: {id}");
            // A start on a day off comes back as the working day it means.
            let working = |date: chrono::NaiveDate| {
                gantry::schedule::Calendar::new(&plan.calendar)
                    .expect("calendar")
                    .next_working_day_on_or_after(date)
                    .expect("a working day")
            };
            // No earlier than the project start, or (for work not under
            // way) the status date, is what every task does anyway.
            let first = working(plan.project.start);
            let floor = plan.project.status_date.map(working);
            let fixed = task.status == gantry::model::TaskStatus::Done
                || (!task.is_milestone()
                    && (task.status == gantry::model::TaskStatus::Doing || task.progress > 0));
            let start = task
                .start
                .map(working)
                .filter(|&date| date > first && (fixed || floor.is_none_or(|floor| date > floor)));
            assert_eq!(other.start, start, "{name}: {id}");
            assert_eq!(other.progress, task.progress, "{name}: {id}");
            assert_eq!(other.status, task.status, "{name}: {id}");
            assert_eq!(other.estimate, task.estimate, "{name}: {id}");
            assert_eq!(other.notes, task.notes, "{name}: {id}");
            assert_eq!(other.baseline, task.baseline, "{name}: {id}");
            let owner = |task: &gantry::model::Task| {
                task.owner.as_ref().map(|owner| owner.id.value.clone())
            };
            assert_eq!(owner(other), owner(task), "{name}: {id}");
            let phase = |plan: &Plan, task: &gantry::model::Task| {
                task.phase
                    .as_ref()
                    .and_then(|phase| phase.index)
                    .map(|index| plan.phases[index].name.clone())
            };
            assert_eq!(phase(&back, other), phase(&plan, task), "{name}: {id}");
            let links = |task: &gantry::model::Task| {
                task.depends
                    .iter()
                    .map(|dependency| {
                        (
                            dependency.task.id.value.clone(),
                            dependency.kind,
                            dependency.lag,
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(links(other), links(task), "{name}: {id}");
            let (a, b) = (&ours.tasks[index], &theirs.tasks[other_index]);
            assert_eq!(
                (a.start, a.finish),
                (b.start, b.finish),
                "{name}: dates of {id}"
            );
        }
    }
}

fn hostile_plan() -> String {
    let hostile = "<script>alert(1)</script> & \"q\" 'a' ]]> =cmd|' /C calc'!A0 : # ; \\ ${x} $(y) \t tab \u{1b}[31mred\u{1b}[0m \u{7} \u{202e}rtl\u{202c} \u{200b} \u{85} end\\";
    let quoted = toml_edit::Value::from(hostile).to_string();
    let multi = toml_edit::Value::from("line one\nline two\r\nline three").to_string();
    format!(
        "[project]\nname = {quoted}\nstart = 2027-01-04\ncurrency = \"EUR\"\ndescription = {multi}\n\n\
         [[person]]\nid = \"p\"\nname = {quoted}\nrole = {quoted}\nrate = 50\n\n\
         [[phase]]\nid = \"ph\"\nname = {quoted}\n\n\
         [[task]]\nid = \"a\"\nname = {quoted}\nphase = \"ph\"\nowner = \"p\"\nduration = 2\nnotes = {multi}\n\n\
         [[task]]\nid = \"b\"\nname = {quoted}\ndepends = [\"a\"]\n"
    )
}

/// Hostile text survives XML escaping: quick-xml reads it back intact,
/// and the import gives back the very text.
#[test]
fn hostile_text_round_trips_through_ms_project_xml() {
    let plan = load(&hostile_plan());
    let hostile = plan.tasks[0].name.clone();
    let xml = export_mspdi(&plan);
    assert!(!xml.contains("<script>"), "markup is escaped");
    assert!(!xml.contains('\u{1b}'), "no raw escape character");
    // XML 1.0 cannot hold ESC or BEL: they travel as control pictures.
    let pictured = hostile
        .replace('\u{1b}', "\u{241b}")
        .replace('\u{7}', "\u{2407}");
    let names = texts_of(&xml, "Name");
    assert!(
        names.iter().filter(|name| **name == pictured).count() >= 4,
        "{names:#?}"
    );
    let notes = texts_of(&xml, "Notes");
    assert!(
        notes.contains(&"line one\nline two\r\nline three".to_string()),
        "{notes:#?}"
    );
    let imported = gantry::import::from_mspdi(&xml).expect("imports");
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
    let back = load(&imported.plan);
    assert_eq!(back.project.name, hostile);
    assert_eq!(back.tasks[0].name, hostile);
    assert_eq!(back.tasks[1].name, hostile);
    assert_eq!(back.people[0].name, hostile);
    assert_eq!(back.people[0].role.as_deref(), Some(hostile.as_str()));
    assert_eq!(back.phases[0].name, hostile);
    assert_eq!(
        back.task("a").and_then(|task| task.notes.as_deref()),
        Some("line one\nline two\r\nline three")
    );
    assert_eq!(
        back.project.description.as_deref(),
        Some("line one\nline two\r\nline three")
    );
    // The plan's comments never carry the text raw.
    for line in imported.plan.lines().filter(|line| line.starts_with('#')) {
        assert!(!line.contains('\u{1b}'), "{line}");
    }
}

/// Hostile text in `.tjp` strings: quotes escaped, macros defused,
/// controls gone, one string per line.
#[test]
fn hostile_text_is_inert_in_taskjuggler_source() {
    let plan = load(&hostile_plan());
    let schedule = gantry::schedule::schedule(&plan).expect("schedules");
    let tjp = gantry::export::to_tjp(&plan, &schedule);
    assert!(!tjp.contains('\u{1b}'));
    assert!(!tjp.contains("${") && !tjp.contains("$("), "{tjp}");
    for line in tjp
        .lines()
        .filter(|line| line.trim_start().starts_with("task "))
    {
        // Between the first quote and the last, every quote is escaped.
        let (Some(first), Some(last)) = (line.find('"'), line.rfind('"')) else {
            continue;
        };
        let inner = &line[first + 1..last];
        let unescaped_quotes = inner
            .char_indices()
            .filter(|&(at, c)| c == '"' && !inner[..at].ends_with('\\'))
            .count();
        assert_eq!(unescaped_quotes, 0, "{line}");
        assert!(!inner.ends_with('\\'), "{line}");
    }
}

fn import_fixture(name: &str) -> (gantry::import::mspdi::Imported, Plan) {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/mspdi").join(name)).expect("fixture");
    let imported = gantry::import::from_mspdi(&text).expect("imports");
    let plan = load(&imported.plan);
    (imported, plan)
}

fn warned(imported: &gantry::import::mspdi::Imported, text: &str) -> bool {
    imported
        .warnings
        .iter()
        .any(|warning| warning.to_string().contains(text))
}

#[test]
fn an_ms_project_file_imports_with_a_warning_for_each_loss() {
    let (imported, plan) = import_fixture("msproject-style.xml");
    assert_eq!(plan.project.name, "Clinic move & refit");
    assert_eq!(plan.project.currency.as_deref(), Some("EUR"));
    assert_eq!(
        plan.project.description.as_deref(),
        Some("Move the clinic to the new building over Easter.")
    );
    assert_eq!(plan.calendar.holidays.len(), 2, "Easter, two days");
    let phases: Vec<&str> = plan
        .phases
        .iter()
        .map(|phase| phase.name.as_str())
        .collect();
    assert_eq!(
        phases,
        [
            "Preparation",
            "Building works / Electrics",
            "Building works"
        ]
    );
    let task = |name: &str| {
        plan.tasks
            .iter()
            .find(|task| task.name == name)
            .expect(name)
    };
    let survey = task("Survey the new rooms");
    assert_eq!(survey.status, gantry::model::TaskStatus::Done);
    assert_eq!(
        survey.baseline.map(|baseline| baseline.finish.to_string()),
        Some("2027-03-02".to_string())
    );
    assert_eq!(
        survey.owner.as_ref().map(|owner| owner.id.value.as_str()),
        Some("dana-kowalski")
    );
    let order = task("Order furniture");
    assert_eq!(
        order.depends[0].kind,
        gantry::model::DependencyKind::StartToStart
    );
    assert_eq!(order.depends[0].lag, 2, "9600 tenths of a minute");
    assert_eq!(
        order.start.map(|date| date.to_string()),
        Some("2027-03-03".to_string())
    );
    assert_eq!(order.progress, 40);
    let test = task("Test the circuits");
    assert_eq!(test.depends.len(), 1, "the start-to-finish link is dropped");
    assert_eq!(
        test.depends[0].kind,
        gantry::model::DependencyKind::FinishToFinish
    );
    assert_eq!(test.depends[0].lag, 1);
    let move_in = task("Move in");
    assert!(move_in.is_milestone());
    let lags: Vec<i64> = move_in
        .depends
        .iter()
        .map(|dependency| dependency.lag)
        .collect();
    assert_eq!(lags, [3, -1], "50% of five days, and a negative day");
    assert_eq!(
        plan.people.len(),
        2,
        "the material and the blank resources are not people"
    );
    for expected in [
        "makes 2027-04-10 to 2027-04-10 working time",
        "has 200% maximum units",
        "has an overtime rate",
        "is a material resource",
        "is a summary inside a summary",
        "must start on 2027-03-15",
        "\"finish no later than\"",
        "has a deadline",
        "is scheduled manually",
        "lasts 4.50 working days",
        "has a lag of 0.50 working days",
        "start-to-finish link",
        "elapsed lag",
        "depends on summary task 5",
        "50% of its predecessor",
        "has several resources",
    ] {
        assert!(
            warned(&imported, expected),
            "no warning `{expected}`: {:#?}",
            imported.warnings
        );
    }
    // Every warning points at a line of the file.
    assert!(imported.warnings.iter().all(|warning| warning.pos.line > 1));
}

#[test]
fn a_projectlibre_file_imports_its_calendar_and_links() {
    let (imported, plan) = import_fixture("projectlibre-style.xml");
    assert_eq!(plan.project.name, "Kiosk rollout");
    assert_eq!(plan.calendar.hours_per_day, 7.0);
    assert_eq!(plan.calendar.workdays.len(), 6, "Monday to Saturday");
    let holidays: Vec<String> = plan
        .calendar
        .holidays
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        holidays,
        ["2027-05-13", "2027-05-14"],
        "old-style exceptions"
    );
    assert_eq!(plan.people[0].capacity, 0.5);
    assert_eq!(plan.people[0].rate, Some(60.0));
    let configure = plan.task("configure-kiosks").expect("task");
    let links: Vec<(gantry::model::DependencyKind, i64)> = configure
        .depends
        .iter()
        .map(|dependency| (dependency.kind, dependency.lag))
        .collect();
    assert_eq!(
        links,
        [
            (gantry::model::DependencyKind::StartToStart, 2),
            (gantry::model::DependencyKind::FinishToFinish, 6)
        ],
        "8400 tenths of a minute at 7 hours a day, and 42 hours"
    );
    let live = plan.task("kiosks-live").expect("milestone");
    // No earlier than the end of 2027-05-12: the next day, a holiday, so Saturday.
    let schedule = gantry::schedule::schedule(&plan).expect("schedules");
    let index = plan.task_index("kiosks-live").expect("index");
    assert!(live.is_milestone());
    assert_eq!(schedule.tasks[index].start.to_string(), "2027-05-15");
    // The file's dates for Configure kiosks disagree with its links: said so.
    assert!(
        warned(&imported, "but gantry schedules it"),
        "{:#?}",
        imported.warnings
    );
}

#[test]
fn broken_xml_is_an_error_with_its_position() {
    let error = gantry::import::from_mspdi("<Project>\n  <Tasks>\n  </Task>\n</Project>")
        .expect_err("not well-formed");
    assert_eq!(error.pos().line, 3, "{error}");
    let error = gantry::import::from_mspdi("<html></html>").expect_err("not a project");
    assert!(
        error.to_string().contains("not an MS Project XML"),
        "{error}"
    );
}

#[test]
fn import_writes_a_plan_that_passes_check_and_never_overwrites_unasked() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let output = folder.path().join("plan.toml");
    let source = root().join("tests/fixtures/mspdi/msproject-style.xml");
    Command::cargo_bin("gantry")
        .expect("binary")
        .arg("import")
        .arg(&source)
        .arg("-o")
        .arg(&output)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "msproject-style.xml:115: warning: task 6",
        ));
    Command::cargo_bin("gantry")
        .expect("binary")
        .arg("check")
        .arg(&output)
        .assert()
        .success();
    std::fs::write(&output, "# mine\n").expect("write");
    Command::cargo_bin("gantry")
        .expect("binary")
        .arg("import")
        .arg(&source)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&output).expect("read"), "# mine\n");
    Command::cargo_bin("gantry")
        .expect("binary")
        .args(["import", "--force", "-o"])
        .arg(&output)
        .arg(&source)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&output)
            .expect("read")
            .contains("[[task]]")
    );
}

#[test]
fn export_writes_each_format_to_a_file_or_standard_output() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let plan = root().join("examples/hotel-integration.toml");
    for (format, marker) in [("tjp", "project gantry "), ("mspdi", "<Project xmlns=")] {
        let output = folder.path().join(format!("out.{format}"));
        Command::cargo_bin("gantry")
            .expect("binary")
            .args(["export"])
            .arg(&plan)
            .args(["--to", format, "-o"])
            .arg(&output)
            .assert()
            .success();
        assert!(
            std::fs::read_to_string(&output)
                .expect("written")
                .contains(marker)
        );
        Command::cargo_bin("gantry")
            .expect("binary")
            .args(["export"])
            .arg(&plan)
            .args(["--to", format])
            .assert()
            .success()
            .stdout(predicates::str::contains(marker));
    }
    Command::cargo_bin("gantry")
        .expect("binary")
        .args(["export"])
        .arg(&plan)
        .args(["--to", "docx"])
        .assert()
        .code(2);
}

/// The MSPDI export is well-formed for every example and keeps the
/// schema's basics: a UID and an ID for each task, outline levels, links.
#[test]
fn every_example_exports_well_formed_ms_project_xml() {
    for path in examples() {
        let plan = load(&std::fs::read_to_string(&path).expect("example"));
        let xml = export_mspdi(&plan);
        let uids = texts_of(&xml, "UID");
        let levels = texts_of(&xml, "OutlineLevel");
        assert!(
            levels.len()
                == plan.tasks.len()
                    + 1
                    + plan
                        .phases
                        .iter()
                        .filter(|phase| plan.tasks.iter().any(|task| task
                            .phase
                            .as_ref()
                            .is_some_and(|p| p.id.value == phase.id.value)))
                        .count()
        );
        assert!(uids.len() > plan.tasks.len());
        let links: usize = plan.tasks.iter().map(|task| task.depends.len()).sum();
        assert_eq!(
            texts_of(&xml, "PredecessorUID").len(),
            links,
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_ganttproject_file_imports_with_its_text_and_holidays() {
    let (imported, plan) = import_fixture("ganttproject-style.xml");
    assert_eq!(plan.project.name, "Café relaunch", "character references");
    let holidays: Vec<String> = plan
        .calendar
        .holidays
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        holidays,
        [
            "2027-08-16",
            "2027-08-17",
            "2027-08-18",
            "2027-08-19",
            "2027-08-20"
        ],
        "a week of company holidays, weekend days left out"
    );
    assert_eq!(plan.phases[0].name, "Menu & décor");
    let ids: Vec<&str> = plan
        .people
        .iter()
        .map(|person| person.id.value.as_str())
        .collect();
    assert_eq!(ids, ["renee", "omar"], "ids from names, accents folded");
    assert_eq!(plan.people[1].rate, None, "a zero rate is no rate");
    let tasting = plan.task("tasting-menu").expect("task");
    assert_eq!(
        tasting.notes.as_deref(),
        Some("Chef's <b>five</b> dishes & a \"secret\" one"),
        "CDATA notes"
    );
    let photos = plan.task("photos-for-the-menu").expect("task");
    assert_eq!(photos.depends[0].lag, -1);
    let paint = plan.task("paint-the-walls").expect("task");
    assert_eq!(
        paint.start.map(|date| date.to_string()),
        Some("2027-08-04".to_string())
    );
    assert_eq!(
        paint.owner.as_ref().map(|owner| owner.id.value.as_str()),
        Some("omar")
    );
    // The file's dates agree with gantry's, across the holidays too.
    assert_eq!(imported.warnings.len(), 1, "{:#?}", imported.warnings);
    assert!(warned(
        &imported,
        "has several resources; `omar` is the owner, `renee` is dropped"
    ));
}

#[test]
fn import_reports_broken_xml_at_its_line_and_writes_nothing() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let source = folder.path().join("broken.xml");
    std::fs::write(
        &source,
        "<Project>\n  <Name>x &bogus\u{1b}; y</Name>\n</Project>\n",
    )
    .expect("write");
    let output = folder.path().join("plan.toml");
    let assert = Command::cargo_bin("gantry")
        .expect("binary")
        .arg("import")
        .arg(&source)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("broken.xml:2:"));
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(!output.exists());
}

/// Damaged and altered files never panic the import, and whatever it
/// accepts gives a plan that passes `gantry check`: links into loops,
/// odd numbers, cut-off text.
#[test]
fn altered_files_import_to_valid_plans_or_fail_cleanly() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/mspdi/msproject-style.xml"))
        .expect("fixture");
    let looped = text.replace(
        "<UID>2</UID><ID>2</ID><Name>Survey the new rooms</Name>",
        "<UID>2</UID><ID>2</ID><Name>Survey the new rooms</Name><PredecessorLink><PredecessorUID>9</PredecessorUID><Type>1</Type></PredecessorLink>",
    );
    let imported = gantry::import::from_mspdi(&looped).expect("imports");
    load(&imported.plan);
    assert!(
        warned(&imported, "would make a loop"),
        "{:#?}",
        imported.warnings
    );
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let digits: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(at, _)| at)
        .collect();
    for round in 0..300 {
        let mut altered = text.clone();
        match round % 3 {
            0 => {
                let at = digits[next(digits.len())];
                let digit = char::from(b'0' + next(10) as u8);
                altered.replace_range(at..at + 1, &digit.to_string());
            }
            1 => {
                let at = digits[next(digits.len())];
                altered.insert_str(at, &"9".repeat(next(12) + 1));
            }
            _ => {
                let mut cut = next(altered.len());
                while !altered.is_char_boundary(cut) {
                    cut -= 1;
                }
                altered.truncate(cut);
            }
        }
        if let Ok(imported) = gantry::import::from_mspdi(&altered) {
            let loaded = gantry::store::parse_str(&imported.plan).expect("the plan parses");
            let problems: Vec<String> = loaded
                .diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.is_error())
                .map(|diagnostic| format!("{diagnostic:?}"))
                .collect();
            assert!(
                problems.is_empty() && gantry::schedule::schedule(&loaded.plan).is_ok(),
                "round {round}: {problems:#?}\n{}",
                imported.plan
            );
        }
    }
}
