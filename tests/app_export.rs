//! `:export FORMAT PATH` and `:report PATH` driven through `App::update`:
//! they write the same files as the commands, and say where.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use gantry::app::{Action, App, Level, Origin, key, type_text};
use gantry::cli::{CsvTable, ExportFormat};
use gantry::config::Config;
use gantry::store::PlanFile;
use gantry::theme::{Capabilities, ColorSupport};
use ratatui::crossterm::event::KeyCode;

const HOTEL: &str = include_str!("../examples/hotel-integration.toml");

fn app_at(path: &Path, text: &str) -> App {
    fs::write(path, text).unwrap();
    let file = PlanFile::open(path).unwrap();
    let config = Config::defaults(Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    });
    let mut app = App::new(
        file,
        Origin::File,
        config,
        NaiveDate::from_ymd_opt(2027, 4, 9).unwrap(),
    );
    app.update(Action::Resize {
        width: 100,
        height: 30,
    });
    app
}

fn command_line(app: &mut App, line: &str) {
    app.update(key(KeyCode::Char(':')));
    type_text(app, line);
    app.update(key(KeyCode::Enter));
}

fn message(app: &App) -> (Level, String) {
    app.message.clone().expect("a message")
}

#[test]
fn export_writes_each_format_and_says_where() {
    let folder = tempfile::tempdir().unwrap();
    let plan_path = folder.path().join("plan.toml");
    let mut app = app_at(&plan_path, HOTEL);
    let schedule = gantry::schedule::schedule(&app.file.plan).unwrap();
    let options = gantry::export::Options {
        markdown: false,
        table: CsvTable::Tasks,
        status_date: NaiveDate::from_ymd_opt(2027, 4, 9).unwrap(),
    };
    for (name, format, file) in [
        ("mermaid", ExportFormat::Mermaid, "chart.mmd"),
        ("csv", ExportFormat::Csv, "tasks.csv"),
        ("ics", ExportFormat::Ics, "dates.ics"),
        ("json", ExportFormat::Json, "plan.json"),
    ] {
        let target = folder.path().join(file);
        command_line(&mut app, &format!("export {name} {}", target.display()));
        assert_eq!(
            message(&app),
            (
                Level::Info,
                format!("wrote the {name} export to {}", target.display())
            )
        );
        let expected = gantry::export::export(&app.file.plan, &schedule, format, &options);
        assert_eq!(fs::read_to_string(&target).unwrap(), expected, "{name}");
    }
    // A Markdown file gets a fenced chart.
    let markdown = folder.path().join("chart.md");
    command_line(&mut app, &format!("export mermaid {}", markdown.display()));
    assert!(
        fs::read_to_string(&markdown)
            .unwrap()
            .starts_with("```mermaid\ngantt\n")
    );
    // Nothing was changed in the plan.
    assert!(!app.modified);
    assert_eq!(fs::read_to_string(&plan_path).unwrap(), HOTEL);
}

#[test]
fn report_writes_html_or_markdown_by_the_file_name() {
    let folder = tempfile::tempdir().unwrap();
    let plan_path = folder.path().join("plan.toml");
    let mut app = app_at(&plan_path, HOTEL);
    let page = folder.path().join("weekly.html");
    command_line(&mut app, &format!("report {}", page.display()));
    assert_eq!(
        message(&app),
        (
            Level::Info,
            format!(
                "wrote the HTML report for the week of 2027-04-05 to {}",
                page.display()
            )
        )
    );
    let plan = &app.file.plan;
    let schedule = gantry::schedule::schedule(plan).unwrap();
    let status = NaiveDate::from_ymd_opt(2027, 4, 9).unwrap();
    let model = gantry::report::build(plan, &schedule, status, status);
    assert_eq!(
        fs::read_to_string(&page).unwrap(),
        gantry::report::html::render(&model)
    );
    let notes = folder.path().join("weekly.md");
    command_line(&mut app, &format!("report {}", notes.display()));
    assert_eq!(
        fs::read_to_string(&notes).unwrap(),
        gantry::report::markdown::render(&model)
    );
}

#[test]
fn mistakes_are_messages_and_write_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let plan_path = folder.path().join("plan.toml");
    let mut app = app_at(&plan_path, HOTEL);
    for (line, expected) in [
        (
            "export",
            "usage: :export FORMAT PATH, FORMAT one of mermaid, csv, ics, json, tjp, mspdi",
        ),
        (
            "export xls out.xls",
            "`xls` is not an export format; use one of mermaid, csv, ics, json, tjp, mspdi",
        ),
        ("export csv", "give the file to write: :export FORMAT PATH"),
        (
            "report",
            "give the file to write: :report PATH (.html for a web page, else Markdown)",
        ),
    ] {
        command_line(&mut app, line);
        assert_eq!(message(&app), (Level::Error, expected.to_owned()), "{line}");
    }
    // Never over the plan itself.
    command_line(&mut app, &format!("export json {}", plan_path.display()));
    assert_eq!(
        message(&app),
        (
            Level::Error,
            format!(
                "{} is the plan itself; write to another file",
                plan_path.display()
            )
        )
    );
    assert_eq!(fs::read_to_string(&plan_path).unwrap(), HOTEL);
    // A folder that is not there.
    let nowhere = folder.path().join("missing").join("out.csv");
    command_line(&mut app, &format!("export csv {}", nowhere.display()));
    let (level, text) = message(&app);
    assert_eq!(level, Level::Error);
    assert!(
        text.starts_with(&format!("cannot write {}", nowhere.display())),
        "{text}"
    );
    assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1);

    // A plan with errors is not exported.
    let broken = folder.path().join("broken.toml");
    let mut app = app_at(&broken, &HOTEL.replacen("duration = 4", "duration = -4", 1));
    // The list of problems opens with the plan; close it.
    app.update(key(KeyCode::Esc));
    command_line(
        &mut app,
        &format!("export csv {}", folder.path().join("x.csv").display()),
    );
    assert_eq!(
        message(&app),
        (
            Level::Error,
            "the plan has errors, so it cannot be exported yet; :problems lists them".to_owned()
        )
    );
    assert!(!folder.path().join("x.csv").exists());
}
