//! The MS Project XML export against Microsoft Project's scheduling,
//! without Microsoft Project.
//!
//! `tests/fixtures/mspdi/golden/NAME.mpxj.csv` holds, for every plan of
//! `tests/fixtures/tj/` and `examples/`, the start and finish of each task
//! after MPXJ 16.10.0 read the export strictly and rescheduled it with its
//! re-implementation of Microsoft Project's scheduler
//! (`tools/mspdi-golden.sh` regenerates them; `docs/export.md` says how).
//! The export must write exactly those dates, so MS Project opening the
//! file keeps gantry's dates.

// Helpers of a test may stop it: a failed expectation is the test failing.
#![allow(clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

fn plans() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut plans = Vec::new();
    for folder in ["tests/fixtures/tj", "examples"] {
        plans.extend(
            std::fs::read_dir(root.join(folder))
                .expect("folder")
                .map(|entry| entry.expect("entry").path())
                .filter(|path| {
                    path.extension()
                        .is_some_and(|extension| extension == "toml")
                }),
        );
    }
    plans.sort();
    plans
}

/// Each non-summary task's gantry id (Text1), start and finish as written.
fn written_dates(xml: &str) -> HashMap<String, (String, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut dates = HashMap::new();
    let (mut start, mut finish, mut id, mut field, mut summary) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        false,
    );
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(element) => {
                let name = element.name().as_ref().to_string();
                if name == "Task" && path.last().is_some_and(|parent| parent == "Tasks") {
                    (start, finish, id, summary) =
                        (String::new(), String::new(), String::new(), false);
                }
                path.push(name);
            }
            Event::Text(text) => {
                let text = text.xml10_content().into_owned();
                let depth = path.len();
                let at = |names: &[&str]| {
                    depth >= names.len()
                        && path[depth - names.len()..]
                            .iter()
                            .zip(names)
                            .all(|(a, b)| a == b)
                };
                if at(&["Tasks", "Task", "Start"]) {
                    start = text;
                } else if at(&["Tasks", "Task", "Finish"]) {
                    finish = text;
                } else if at(&["Tasks", "Task", "Summary"]) {
                    summary = text == "1";
                } else if at(&["Task", "ExtendedAttribute", "FieldID"]) {
                    field = text;
                } else if at(&["Task", "ExtendedAttribute", "Value"]) && field == "188743731" {
                    id = text;
                }
            }
            // The guard pops the path for every end tag, kept or not.
            Event::End(_)
                if path.pop().as_deref() == Some("Task")
                    && path.last().is_some_and(|parent| parent == "Tasks")
                    && !summary
                    && !id.is_empty() =>
            {
                dates.insert(id.clone(), (start.clone(), finish.clone()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    dates
}

#[test]
fn every_export_has_the_dates_microsoft_scheduling_gives_it() {
    let plans = plans();
    assert!(plans.len() >= 70, "{} plans", plans.len());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mspdi/golden");
    let mut problems = Vec::new();
    let mut tasks = 0;
    for path in plans {
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("plan");
        let plan = gantry::store::parse_str(&text).expect("parses").plan;
        let schedule = gantry::schedule::schedule(&plan).expect("schedules");
        let written = written_dates(&gantry::export::to_mspdi(&plan, &schedule));
        assert_eq!(
            written.len(),
            plan.tasks.len(),
            "{name}: every task has its id"
        );
        let csv_path = golden.join(format!("{name}.mpxj.csv"));
        let csv = std::fs::read_to_string(&csv_path)
            .unwrap_or_else(|_| panic!("{} is missing", csv_path.display()));
        let mut seen = 0;
        for line in csv.lines().filter(|line| !line.starts_with('#')).skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            let [id, start, finish] = fields[..] else {
                panic!("{name}: bad line `{line}`");
            };
            let (ours_start, ours_finish) = written
                .get(id)
                .unwrap_or_else(|| panic!("{name}: `{id}` is not in the export"));
            // MPXJ prints no seconds when they are zero.
            let trim = |stamp: &str| stamp.strip_suffix(":00").unwrap_or(stamp).to_string();
            if (trim(ours_start), trim(ours_finish)) != (start.to_string(), finish.to_string()) {
                problems.push(format!(
                    "{name}: `{id}` written {ours_start} to {ours_finish}, Microsoft scheduling {start} to {finish}"
                ));
            }
            seen += 1;
        }
        assert_eq!(
            seen,
            plan.tasks.len(),
            "{name}: every task has MPXJ's dates"
        );
        tasks += seen;
    }
    assert!(tasks > 10_000, "{tasks} tasks compared");
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
