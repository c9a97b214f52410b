#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The milestone trend overlay: drawn on `TestBackend`, and opened through
//! `App::update` on a plan in a real git repository, where the history is
//! read on a thread of its own while frames go on being drawn.

use std::fs;
use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use gantry::app::{Action, App, Mode, Origin, TrendData, TrendState, key};
use gantry::config::Config;
use gantry::git::FileCommit;
use gantry::history::Snapshot;
use gantry::store::PlanFile;
use gantry::theme::{Capabilities, ColorSupport};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

fn plan(api_days: u32, beta_lag: u32) -> String {
    format!(
        "[project]\nname = \"Clinic rollout\"\nstart = 2027-03-01\n\n\
         [[task]]\nid = \"kickoff\"\nname = \"Kick-off\"\nmilestone = true\n\n\
         [[task]]\nid = \"api\"\nname = \"Booking API\"\nduration = {api_days}\n\n\
         [[task]]\nid = \"beta\"\nname = \"Beta with two clinics\"\nmilestone = true\n\
         depends = [{{ task = \"api\", lag = {beta_lag} }}]\n\n\
         [[task]]\nid = \"golive\"\nname = \"Go-live\"\nmilestone = true\n\
         depends = [{{ task = \"beta\", lag = 3 }}]\n"
    )
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()
}

fn app_at(path: &Path, text: &str) -> App {
    let capabilities = Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    };
    let file = PlanFile::from_text(path, text.to_owned()).unwrap();
    App::new(file, Origin::File, Config::defaults(capabilities), today())
}

fn commit(hash: &str, date: &str, author: &str) -> FileCommit {
    FileCommit {
        hash: hash.to_owned(),
        date: format!("{date}T10:00:00+00:00"),
        author: author.to_owned(),
        subject: "plan update".to_owned(),
        path: "plan.toml".to_owned(),
        deleted: false,
    }
}

fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Action::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| gantry::ui::render(frame, app))
        .unwrap();
    terminal
}

/// A history of four commits whose beta milestone slips, one that does
/// not parse, and the go-live following it.
fn history() -> Vec<Snapshot> {
    vec![
        Snapshot::of(
            &commit("a1b2c3d4e5", "2027-03-01", "Ana"),
            Some(plan(5, 0).into_bytes()),
        ),
        Snapshot::of(
            &commit("b2c3d4e5f6", "2027-03-08", "Ben"),
            Some(plan(8, 0).into_bytes()),
        ),
        Snapshot::of(
            &commit("c3d4e5f6a7", "2027-03-09", "Ben"),
            Some(b"[project\n".to_vec()),
        ),
        Snapshot::of(
            &commit("d4e5f6a7b8", "2027-03-15", "Ana"),
            Some(plan(8, 5).into_bytes()),
        ),
    ]
}

#[test]
fn trend_overlay_snapshot() {
    let mut app = app_at(Path::new("plan.toml"), &plan(8, 5));
    app.trend = TrendState::Ready(TrendData::new("plan.toml".to_owned(), history(), None));
    app.update(key(KeyCode::Char('H')));
    assert_eq!(app.mode, Mode::Trend { scroll: None });
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("trend_overlay_80x24", terminal.backend());
}

#[test]
fn the_working_copy_is_a_row_when_it_differs_and_rows_scroll() {
    let mut app = app_at(Path::new("plan.toml"), &plan(12, 5));
    let now = Snapshot::working(&app.file.plan, app.schedule.as_ref().ok(), today());
    let data = TrendData::new("plan.toml".to_owned(), history(), Some(now.clone()));
    assert_eq!(data.commits, 4);
    assert_eq!(
        data.snapshots.len(),
        5,
        "the unsaved plan moves the milestones"
    );
    let long: Vec<Snapshot> = history().into_iter().chain(history()).collect();
    let data = TrendData::new("plan.toml".to_owned(), long, Some(now.clone()));
    assert_eq!(data.snapshots.len(), 9);
    let beta = data.trend.lines.iter().find(|l| l.id == "beta").unwrap();
    assert_eq!(beta.dates[0], NaiveDate::from_ymd_opt(2027, 3, 5));
    assert_eq!(
        beta.dates[2], None,
        "the commit that does not parse has no dates"
    );
    assert!(beta.drift > 0);
    // The same plan as the last commit adds no row.
    let same_app = app_at(Path::new("plan.toml"), &plan(8, 5));
    let same = Snapshot::working(
        &same_app.file.plan,
        same_app.schedule.as_ref().ok(),
        today(),
    );
    assert_eq!(
        TrendData::new("p".into(), history(), Some(same))
            .snapshots
            .len(),
        4
    );

    app.trend = TrendState::Ready(data);
    app.update(key(KeyCode::Char('H')));
    let terminal = draw(&mut app, 80, 16);
    let text = format!("{:?}", terminal.backend());
    assert!(text.contains("now"), "{text}");
    // Few rows fit at 16 lines: j and k move through the commits.
    let visible = app.trend_rows_visible();
    assert!(visible < 9, "{visible}");
    app.update(key(KeyCode::Char('g')));
    assert_eq!(app.mode, Mode::Trend { scroll: Some(0) });
    app.update(key(KeyCode::Char('j')));
    assert_eq!(app.mode, Mode::Trend { scroll: Some(1) });
    app.update(key(KeyCode::Char('G')));
    assert_eq!(
        app.mode,
        Mode::Trend {
            scroll: Some(9 - visible)
        }
    );
    app.update(key(KeyCode::Esc));
    assert_eq!(app.mode, Mode::Normal);
}

fn git(dir: &Path, home: &Path, args: &[&str]) {
    let output = Process::new("git")
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn opening_the_trend_reads_git_off_the_event_loop() {
    let home = tempfile::tempdir().unwrap();
    let repo = home.path().join("repo");
    fs::create_dir(&repo).unwrap();
    git(
        &repo,
        home.path(),
        &["-c", "init.defaultBranch=main", "init", "-q"],
    );
    git(&repo, home.path(), &["config", "user.name", "Ana Ruiz"]);
    git(
        &repo,
        home.path(),
        &["config", "user.email", "ana@example.com"],
    );
    let path = repo.join("plan.toml");
    for (days, message) in [(5, "first"), (8, "api takes longer"), (10, "and longer")] {
        fs::write(&path, plan(days, 0)).unwrap();
        git(
            &repo,
            home.path(),
            &["commit", "-q", "-a", "--allow-empty", "-m", message],
        );
        git(&repo, home.path(), &["add", "plan.toml"]);
        git(
            &repo,
            home.path(),
            &["commit", "-q", "--amend", "--no-edit"],
        );
    }
    let mut app = app_at(&path, &plan(10, 0));
    app.update(key(KeyCode::Char('H')));
    assert_eq!(app.mode, Mode::Trend { scroll: None });
    // A frame while git is being read says so and does not wait.
    let first = draw(&mut app, 80, 24);
    let text = format!("{:?}", first.backend());
    if app.trend.is_loading() {
        assert!(text.contains("Reading the history"), "{text}");
    }
    let started = Instant::now();
    while app.trend.is_loading() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the history never came"
        );
        std::thread::sleep(Duration::from_millis(10));
        app.update(Action::Tick);
    }
    let TrendState::Ready(data) = &app.trend else {
        panic!("{:?}", app.trend);
    };
    assert_eq!(data.path, "plan.toml");
    assert_eq!(data.commits, 3);
    let beta = data.trend.lines.iter().find(|l| l.id == "beta").unwrap();
    assert_eq!(beta.drift, 5);
    let ready = draw(&mut app, 80, 24);
    let text = format!("{:?}", ready.backend());
    assert!(text.contains("plan.toml: 3 commits"), "{text}");
    // r reads it again; Esc closes.
    app.update(key(KeyCode::Char('r')));
    assert!(app.trend.is_loading() || matches!(app.trend, TrendState::Ready(_)));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_plan_outside_git_says_why_there_is_no_trend() {
    let folder = tempfile::tempdir().unwrap();
    let mut app = app_at(&folder.path().join("plan.toml"), &plan(5, 0));
    app.update(Action::Command(gantry::keymap::Command::History));
    let started = Instant::now();
    while app.trend.is_loading() {
        assert!(started.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(10));
        app.update(Action::Tick);
    }
    let TrendState::Failed(message) = &app.trend else {
        panic!("{:?}", app.trend);
    };
    assert!(message.contains("not inside a git repository"), "{message}");
    let terminal = draw(&mut app, 80, 24);
    assert!(format!("{:?}", terminal.backend()).contains("not inside a git repository"));
    // The demo plan has no file at all.
    let mut demo = App::new(
        PlanFile::from_text(Path::new("plan.toml"), plan(5, 0)).unwrap(),
        Origin::Demo,
        Config::defaults(Capabilities {
            color: ColorSupport::None,
            unicode: false,
        }),
        today(),
    );
    demo.update(key(KeyCode::Char('H')));
    assert!(matches!(&demo.trend, TrendState::Failed(m) if m.contains("demo plan")));
}
