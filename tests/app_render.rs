#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The full-screen app without a terminal: whole-screen snapshots drawn on
//! ratatui's `TestBackend`, and flows driven through `App::update`.
//!
//! Every app here has the same `today` and 16-colour Unicode capabilities,
//! so the snapshots do not depend on the clock or the machine.

use std::path::Path;

use chrono::NaiveDate;
use gantry::app::{Action, App, Confirm, Mode, Origin, Pane, Row, Zoom, key, type_text};
use gantry::config::Config;
use gantry::model::TaskStatus;
use gantry::store::PlanFile;
use gantry::theme::{Capabilities, ColorSupport};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

const HOTEL: &str = include_str!("../examples/hotel-integration.toml");

/// A small plan whose rows are easy to count: two phases, four tasks.
const CLINIC: &str = r#"# A small plan for the app tests.
[project]
name = "Clinic scheduling rollout"
start = 2027-03-01

[[phase]]
id = "prep"
name = "Preparation"

[[phase]]
id = "go"
name = "Go-live"

[[task]]
id = "audit"
name = "Audit the booking process"
phase = "prep"
duration = 3
status = "done"
progress = 100

[[task]]
id = "config"
name = "Configure the scheduler"
phase = "prep"
duration = 5
depends = ["audit"]
status = "doing"
progress = 40   # vendor call on Thursday

[[task]]
id = "train"
name = "Train the front desk"
phase = "go"
duration = 2
depends = ["config"]

[[task]]
id = "launch"
name = "Launch"
phase = "go"
depends = ["train"]
milestone = true
"#;

/// Task and phase names that try to reach the terminal, and wide characters.
const HOSTILE: &str = r#"[project]
name = "Escapes \u001b[2J and 漢字"
start = 2027-03-01

[[phase]]
id = "p"
name = "Phase \u001b]0;owned\u0007 title"

[[task]]
id = "clear"
name = "Clear \u001b[2J the screen"
phase = "p"
duration = 3
notes = "bell \u0007 and CSI \u009b31m here"

[[task]]
id = "bell"
name = "Bell \u0007 then \u202Eevil reversed"
phase = "p"
duration = 2
depends = ["clear"]
status = "blocked"
blocker = "waiting \u001b[31m red"

[[task]]
id = "cjk"
name = "決済連携テストと在庫同期の確認作業を行う"
phase = "p"
duration = 4
depends = ["bell"]

[[task]]
id = "mixed"
name = "a決b済c連d携eテfスgトh"
phase = "p"
duration = 1
depends = ["cjk"]
"#;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()
}

fn ansi16() -> Capabilities {
    Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    }
}

fn app_with(text: &str, capabilities: Capabilities) -> App {
    let file = PlanFile::from_text(Path::new("plan.toml"), text.to_owned()).unwrap();
    App::new(file, Origin::File, Config::defaults(capabilities), today())
}

fn hotel() -> App {
    app_with(HOTEL, ansi16())
}

fn clinic() -> App {
    app_with(CLINIC, ansi16())
}

/// Tells the app its size, then draws one frame of that size.
fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Action::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| gantry::ui::render(frame, app))
        .unwrap();
    terminal
}

fn press(app: &mut App, code: KeyCode) {
    app.update(key(code));
}

fn ctrl(app: &mut App, c: char) {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

/// One screen line as text (wide characters once, their trailing cell skipped).
fn line(buffer: &Buffer, y: u16) -> String {
    let mut text = String::new();
    let mut skip = 0;
    for x in 0..buffer.area.width {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let symbol = buffer[(x, y)].symbol();
        skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        text.push_str(symbol);
    }
    text
}

fn screen(buffer: &Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| line(buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

fn selected_id(app: &App) -> Option<String> {
    app.gantt
        .selected_task()
        .map(|task| app.file.plan.tasks[task].id.value.clone())
}

/// Selects the first task, under the first phase's row: the Gantt opens
/// on the critical path instead, and these tests start from the top.
fn first_task(app: &mut App) {
    press(app, KeyCode::Home);
    press(app, KeyCode::Down);
}

fn status_of(app: &App, id: &str) -> TaskStatus {
    app.file.plan.task(id).unwrap().status
}

// ---------------------------------------------------------------- snapshots

#[test]
fn gantt_at_80x24() {
    let mut app = hotel();
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("gantt_80x24", terminal.backend());
}

#[test]
fn merge_conflicts_at_80x24() {
    // Two edits of the clinic plan, merged: the same duration set twice,
    // a note written twice.
    let ours = CLINIC
        .replace("duration = 5", "duration = 6")
        .replace("# vendor call on Thursday", "# vendor call moved to Friday");
    let theirs = CLINIC
        .replace("duration = 5", "duration = 7")
        .replace("# vendor call on Thursday", "# vendor call cancelled");
    let merged = gantry::store::merge::merge(CLINIC, &ours, &theirs).unwrap();
    assert_eq!(merged.conflicts.len(), 2);
    let mut app = app_with(&merged.text, ansi16());
    assert_eq!(app.mode, Mode::Conflicts { selected: 0 });
    press(&mut app, KeyCode::Char('j'));
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("merge_conflicts_80x24", terminal.backend());
}

#[test]
fn gantt_at_160x48() {
    let mut app = hotel();
    let terminal = draw(&mut app, 160, 48);
    insta::assert_snapshot!("gantt_160x48", terminal.backend());
}

#[test]
fn gantt_in_day_zoom() {
    let mut app = hotel();
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, KeyCode::Char('+'));
    assert_eq!(app.gantt.zoom, Zoom::Day);
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("gantt_day_zoom", terminal.backend());
    // Weekends are dotted under the bars.
    assert!(screen(terminal.backend().buffer()).contains('·'));
}

#[test]
fn gantt_in_month_zoom() {
    let mut app = hotel();
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, KeyCode::Char('-'));
    assert_eq!(app.gantt.zoom, Zoom::Month);
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("gantt_month_zoom", terminal.backend());
}

#[test]
fn month_zoom_labels_are_whole() {
    let mut app = hotel();
    first_task(&mut app);
    app.update(Action::Resize {
        width: 120,
        height: 30,
    });
    press(&mut app, KeyCode::Char('-'));
    let terminal = draw(&mut app, 120, 30);
    let axis = line(terminal.backend().buffer(), 1);
    // Each month is named where it starts (January by its year), whole,
    // and none is skipped.
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let timeline: String = axis
        .chars()
        .skip(usize::from(gantry::ui::gantt::label_width(120)))
        .collect();
    let labels: Vec<&str> = timeline.split_whitespace().collect();
    assert!(labels.len() >= 10, "{axis:?}");
    let month_of = |label: &str| match months.iter().position(|m| *m == label) {
        Some(index) => index,
        None => {
            assert!(
                label.len() == 4 && label.chars().all(|c| c.is_ascii_digit()),
                "a cut label {label:?}: {axis:?}"
            );
            0
        }
    };
    for pair in labels.windows(2) {
        assert_eq!(
            (month_of(pair[0]) + 1) % 12,
            month_of(pair[1]),
            "a month is missing: {axis:?}"
        );
    }
}

#[test]
fn gantt_of_the_small_plan_with_its_milestone() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char('G'));
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("gantt_clinic_milestone_selected", terminal.backend());
    let text = screen(terminal.backend().buffer());
    assert!(text.contains('◆'), "the milestone is a diamond:\n{text}");
    // It sits at the end of the Friday its predecessor finishes.
    assert!(text.contains("2027-03-12 (milestone)"), "{text}");
}

#[test]
fn help_overlay() {
    let mut app = hotel();
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.mode, Mode::Help { scroll: 0 });
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("help_overlay", terminal.backend());
    // Any other key closes it.
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn edit_form_shows_checks_message_for_a_bad_progress() {
    let mut app = hotel();
    first_task(&mut app);
    assert_eq!(selected_id(&app).as_deref(), Some("kickoff"));
    press(&mut app, KeyCode::Enter);
    let Mode::Form(form) = &app.mode else {
        panic!("Enter opens the form, not {:?}", app.mode);
    };
    assert_eq!(form.task, "kickoff");
    // Down, unlike Tab, never completes a dependency on the way.
    let progress = form
        .fields
        .iter()
        .position(|f| f.field == gantry::store::TaskField::Progress)
        .unwrap();
    for _ in 0..progress {
        press(&mut app, KeyCode::Down);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "150");
    let Mode::Form(form) = &app.mode else {
        panic!("still in the form");
    };
    assert_eq!(form.focused().input.text, "150");
    let error = form
        .focused()
        .error
        .clone()
        .expect("150 % is refused as you type");
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("edit_form_progress_error", terminal.backend());
    let text = screen(terminal.backend().buffer());
    assert!(
        text.contains(&error[..error.len().min(40)]),
        "the message {error:?} is shown:\n{text}"
    );
    assert!(error.contains("150") && error.contains("100"), "{error}");
    // Enter with an error keeps the form open and changes nothing.
    let before = app.file.text();
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Form(_)));
    assert_eq!(app.file.text(), before);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    assert!(!app.modified);
}

#[test]
fn edit_form_shows_a_bad_duration() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_id(&app).as_deref(), Some("config"));
    press(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "four");
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("edit_form_duration_error", terminal.backend());
    let text = screen(terminal.backend().buffer());
    assert!(text.contains("`duration` takes a whole number"), "{text}");
}

#[test]
fn conflict_banner_after_an_edit_and_a_change_on_disk() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char(' '));
    assert!(app.modified);
    let theirs = CLINIC.replace("Launch\"", "Launch day\"");
    app.update(Action::FileChanged(theirs.clone()));
    assert_eq!(app.mode, Mode::Confirm(Confirm::Conflict));
    assert_eq!(app.conflict.as_deref(), Some(theirs.as_str()));
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("conflict_banner", terminal.backend());
    let buffer = terminal.backend().buffer();
    assert!(
        line(buffer, 1).contains("plan.toml changed on disk"),
        "{}",
        line(buffer, 1)
    );
    assert!(line(buffer, 2).contains("r reload"), "{}", line(buffer, 2));
    // The banner stands out in a colour, not only in words.
    assert_eq!(buffer[(0, 1)].bg, Color::Yellow);
    assert_eq!(buffer[(79, 2)].bg, Color::Yellow);
    // The same text arriving again does not ask twice; n keeps my changes.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.mode, Mode::Normal);
    app.update(Action::FileChanged(theirs));
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.modified);
}

#[test]
fn the_conflict_banner_hides_what_is_under_it() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char(' '));
    app.update(Action::FileChanged(format!("{CLINIC}# theirs\n")));
    let terminal = draw(&mut app, 80, 24);
    let banner = line(terminal.backend().buffer(), 1);
    let message = " plan.toml changed on disk, and you have unsaved changes.";
    assert_eq!(banner.trim_end(), message, "{banner}");
}

#[test]
fn terminal_too_small() {
    let mut app = hotel();
    let terminal = draw(&mut app, 50, 12);
    insta::assert_snapshot!("too_small_50x12", terminal.backend());
    let text = screen(terminal.backend().buffer());
    assert!(text.contains("terminal too small"));
    assert!(text.contains("50x12: need 60x16"));
}

#[test]
fn the_minimum_size_draws_the_gantt() {
    let mut app = hotel();
    let terminal = draw(&mut app, 60, 16);
    insta::assert_snapshot!("minimum_60x16", terminal.backend());
    let text = screen(terminal.backend().buffer());
    assert!(!text.contains("too small"));
    assert!(text.contains(" 1 Gantt "));
    // No room for the detail panel: the rows get the space.
    assert!(!app.details_shown());
    assert_eq!(app.visible_rows(), 13);
}

#[test]
fn tiny_and_degenerate_sizes_do_not_panic() {
    for (width, height) in [
        (0, 0),
        (1, 1),
        (59, 16),
        (60, 15),
        (10, 40),
        (300, 3),
        (60, 16),
        (61, 22),
        (500, 200),
    ] {
        let mut app = hotel();
        press(&mut app, KeyCode::Char('?'));
        draw(&mut app, width, height);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Enter);
        draw(&mut app, width, height);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('G'));
        draw(&mut app, width, height);
    }
}

#[test]
fn names_with_escape_sequences_and_wide_characters() {
    let mut app = app_with(HOSTILE, ansi16());
    assert_eq!(selected_id(&app).as_deref(), Some("clear"));
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("hostile_names", terminal.backend());
    let buffer = terminal.backend().buffer();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            assert!(
                !symbol
                    .chars()
                    .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)),
                "cell ({x}, {y}) holds {symbol:?}"
            );
        }
    }
    let text = screen(buffer);
    assert!(text.contains("決済連携"), "{text}");
    // Each line is exactly as wide as the screen: wide characters never spill.
    for y in 0..buffer.area.height {
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(line(buffer, y).as_str()),
            80,
            "line {y}"
        );
    }
}

#[test]
fn hostile_names_in_the_form_and_status_line_are_defused() {
    let mut app = app_with(HOSTILE, ansi16());
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    let text = screen(buffer);
    assert!(text.contains("Edit task bell"), "{text}");
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'),
        "{text}"
    );
    press(&mut app, KeyCode::Esc);
    // A search for a control character shows it defused in the prompt.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "\u{202E}x");
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    assert!(line(buffer, 23).starts_with("/"), "{}", line(buffer, 23));
    assert!(
        !line(buffer, 23).contains('\u{202E}'),
        "{}",
        line(buffer, 23)
    );
}

#[test]
fn no_color_theme_uses_no_colour() {
    let capabilities = Capabilities {
        color: ColorSupport::None,
        unicode: true,
    };
    type Setup = fn(&mut App);
    let screens: [(&str, Setup); 9] = [
        ("gantt", |_| {}),
        ("help", |app| press(app, KeyCode::Char('?'))),
        ("form", |app| press(app, KeyCode::Enter)),
        ("conflict", |app| {
            press(app, KeyCode::Char(' '));
            app.update(Action::FileChanged(format!("{HOTEL}\n# theirs\n")));
        }),
        ("command line", |app| press(app, KeyCode::Char(':'))),
        ("risks", |app| press(app, KeyCode::Char('2'))),
        ("check-in", |app| press(app, KeyCode::Char('3'))),
        ("dashboard", |app| press(app, KeyCode::Char('4'))),
        ("plan", |app| press(app, KeyCode::Char('5'))),
    ];
    for (name, setup) in screens {
        let mut app = app_with(HOTEL, capabilities);
        setup(&mut app);
        let terminal = draw(&mut app, 80, 24);
        if name == "gantt" {
            insta::assert_snapshot!("no_color_gantt", terminal.backend());
        }
        let buffer = terminal.backend().buffer();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                let cell = &buffer[(x, y)];
                assert_eq!(
                    (cell.fg, cell.bg),
                    (Color::Reset, Color::Reset),
                    "{name}: cell ({x}, {y}) {:?}",
                    cell.symbol()
                );
            }
        }
        // Without colour, the selection (go-live, where the Gantt opens)
        // and the bars still stand out.
        if name == "gantt" {
            let selected = (0..buffer.area.height)
                .find(|&y| line(buffer, y).contains(" Go-live "))
                .unwrap();
            assert!(buffer[(4, selected)].modifier.contains(Modifier::REVERSED));
            assert!(
                buffer[(0, 0)].modifier.contains(Modifier::REVERSED),
                "the pane bar"
            );
        }
    }
}

/// The rows between the pane bar and the detail panel.
fn gantt_area_is_ascii(buffer: &Buffer, app: &App) -> Result<(), String> {
    let bottom = buffer.area.height
        - 1
        - if app.details_shown() {
            gantry::app::DETAIL_ROWS
        } else {
            0
        };
    for y in 1..bottom {
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if !symbol.is_ascii() {
                return Err(format!(
                    "cell ({x}, {y}) holds {symbol:?}:\n{}",
                    screen(buffer)
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn ascii_glyphs_draw_the_gantt_area_in_ascii() {
    let capabilities = Capabilities {
        color: ColorSupport::Ansi16,
        unicode: false,
    };
    let mut app = app_with(HOTEL, capabilities);
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("ascii_gantt", terminal.backend());
    gantt_area_is_ascii(terminal.backend().buffer(), &app).unwrap();
    for zoom in ['+', '-', '-'] {
        press(&mut app, KeyCode::Char(zoom));
        let terminal = draw(&mut app, 100, 30);
        gantt_area_is_ascii(terminal.backend().buffer(), &app).unwrap();
    }
    // Dialogs get ASCII borders.
    press(&mut app, KeyCode::Char('?'));
    let terminal = draw(&mut app, 80, 24);
    gantt_area_is_ascii(terminal.backend().buffer(), &app).unwrap();
}

#[test]
fn ascii_glyphs_keep_the_whole_screen_ascii() {
    // An all-ASCII plan: anything non-ASCII on screen comes from the app.
    let capabilities = Capabilities {
        color: ColorSupport::Ansi16,
        unicode: false,
    };
    let plan = CLINIC.replace(
        "Clinic scheduling rollout",
        "Clinic scheduling rollout for the three downtown sites",
    );
    for (width, height) in [(80, 24), (60, 16), (50, 12), (20, 5)] {
        let mut app = app_with(&plan, capabilities);
        let terminal = draw(&mut app, width, height);
        let buffer = terminal.backend().buffer();
        let text = screen(buffer);
        assert!(text.is_ascii(), "{width}x{height}:\n{text}");
    }
}

#[test]
fn panes_2_to_5() {
    let mut app = hotel();
    for (number, pane) in [
        ('2', Pane::Risks),
        ('3', Pane::Checkin),
        ('4', Pane::Dashboard),
        ('5', Pane::Plan),
    ] {
        press(&mut app, KeyCode::Char(number));
        assert_eq!(app.pane, pane);
        let terminal = draw(&mut app, 80, 24);
        insta::assert_snapshot!(
            format!(
                "pane_{number}_{}",
                pane.title().to_lowercase().replace('-', "")
            ),
            terminal.backend()
        );
    }
    // Tab and Shift-Tab go round.
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Gantt);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.pane, Pane::Plan);
}

#[test]
fn quit_question_and_delete_question_snapshots() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(
        app.mode,
        Mode::Confirm(Confirm::Delete {
            task: "audit".into()
        })
    );
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("delete_question", terminal.backend());
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char('q'));
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("quit_unsaved_question", terminal.backend());
}

#[test]
fn demo_plan_status_line() {
    let file =
        PlanFile::from_text(Path::new("plan.toml"), gantry::app::DEMO_PLAN.to_owned()).unwrap();
    let mut app = App::new(file, Origin::Demo, Config::defaults(ansi16()), today());
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    assert!(
        line(buffer, 23).starts_with(" demo plan (not saved)"),
        "{}",
        line(buffer, 23)
    );
    // Saving a demo asks where.
    ctrl(&mut app, 's');
    assert!(matches!(app.mode, Mode::SaveAs(_)));
}

// ---------------------------------------------------------------- flows

#[test]
fn moving_with_j_k_g_and_capital_g() {
    let mut app = clinic();
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    // Rows: prep, audit, config, go, train, launch. The selection opens
    // on the critical path's first task not done (audit is done).
    assert_eq!(app.gantt.rows.len(), 6);
    assert_eq!(selected_id(&app).as_deref(), Some("config"));
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.gantt.selected, 0);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.gantt.selected, 1);
    assert_eq!(selected_id(&app).as_deref(), Some("audit"));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_id(&app).as_deref(), Some("config"));
    press(&mut app, KeyCode::Char('j'));
    assert!(matches!(
        app.gantt.rows[app.gantt.selected],
        Row::Phase { phase: Some(1), .. }
    ));
    assert_eq!(selected_id(&app), None);
    press(&mut app, KeyCode::Down);
    assert_eq!(selected_id(&app).as_deref(), Some("train"));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Up);
    assert_eq!(selected_id(&app).as_deref(), Some("config"));
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(selected_id(&app).as_deref(), Some("launch"));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(
        selected_id(&app).as_deref(),
        Some("launch"),
        "j stops at the end"
    );
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.gantt.selected, 0);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.gantt.selected, 0, "k stops at the top");
}

#[test]
fn moving_keeps_the_selection_on_screen() {
    let mut app = hotel();
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    let visible = app.visible_rows();
    for _ in 0..30 {
        press(&mut app, KeyCode::Char('j'));
        assert!(
            app.gantt.selected >= app.gantt.row_offset
                && app.gantt.selected < app.gantt.row_offset + visible
        );
    }
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.gantt.selected, app.gantt.rows.len() - 1);
    assert_eq!(app.gantt.row_offset, app.gantt.rows.len() - visible);
    // A smaller terminal scrolls the selection into view.
    app.update(Action::Resize {
        width: 60,
        height: 16,
    });
    assert!(app.gantt.selected < app.gantt.row_offset + app.visible_rows());
}

#[test]
fn space_cycles_the_status() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(selected_id(&app).as_deref(), Some("train"));
    assert_eq!(status_of(&app, "train"), TaskStatus::Todo);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(status_of(&app, "train"), TaskStatus::Doing);
    assert!(app.modified);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(status_of(&app, "train"), TaskStatus::Done);
    assert_eq!(
        app.file.plan.task("train").unwrap().progress,
        100,
        "done means 100%"
    );
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(status_of(&app, "train"), TaskStatus::Todo);
    // The selection stays on the task through the edits.
    assert_eq!(selected_id(&app).as_deref(), Some("train"));
}

#[test]
fn marking_done_changes_only_that_task_in_the_text() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char(' '));
    let text = app.file.text();
    let changed: Vec<(&str, &str)> = CLINIC
        .lines()
        .zip(text.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        vec![
            ("status = \"doing\"", "status = \"done\""),
            (
                "progress = 40   # vendor call on Thursday",
                "progress = 100   # vendor call on Thursday"
            ),
        ]
    );
    assert_eq!(CLINIC.lines().count(), text.lines().count());
}

#[test]
fn undo_and_redo_restore_the_exact_text() {
    let mut app = clinic();
    first_task(&mut app);
    let original = app.file.text();
    assert_eq!(original, CLINIC);
    // One step that changes two keys: doing -> done sets progress to 100 too.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char(' '));
    let done = app.file.text();
    assert_ne!(done, original);
    // A second step on another task.
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.file.plan.task("train").unwrap().progress, 10);
    let both = app.file.text();
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), done);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), original);
    assert!(!app.modified, "back to the text on disk");
    assert_eq!(status_of(&app, "config"), TaskStatus::Doing);
    assert_eq!(app.file.plan.task("config").unwrap().progress, 40);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.message.as_ref().map(|(_, m)| m.as_str()),
        Some("nothing to undo")
    );
    assert_eq!(app.file.text(), original);
    ctrl(&mut app, 'r');
    assert_eq!(app.file.text(), done);
    assert!(app.modified);
    ctrl(&mut app, 'r');
    assert_eq!(app.file.text(), both);
    ctrl(&mut app, 'r');
    assert_eq!(
        app.message.as_ref().map(|(_, m)| m.as_str()),
        Some("nothing to redo")
    );
    // A new edit clears what could be redone.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.redo.len(), 1);
    // `b` asks from when the task is blocked; Enter takes the date proposed.
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Enter);
    assert!(app.redo.is_empty());
    assert_eq!(status_of(&app, "train"), TaskStatus::Blocked);
}

#[test]
fn undo_of_a_form_edit_restores_the_text() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    // Name: add to it; duration: 5 -> 7 without passing through an empty field.
    type_text(&mut app, " and test it");
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    type_text(&mut app, "7");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    let task = app.file.plan.task("config").unwrap();
    assert_eq!(task.name, "Configure the scheduler and test it");
    assert_eq!(task.duration.value, 7);
    let changed: Vec<(&str, String)> = CLINIC
        .lines()
        .zip(
            app.file
                .text()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>(),
        )
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.file.text(),
        CLINIC,
        "one undo takes back the whole form"
    );
    ctrl(&mut app, 'r');
    assert_eq!(app.file.plan.task("config").unwrap().duration.value, 7);
}

#[test]
fn clearing_a_form_field_and_cancelling_leaves_the_text_alone() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    // Duration: clear it, type the same value again, then cancel.
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "5");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.file.text(), CLINIC, "a cancelled form changes nothing");
}

#[test]
fn retyping_a_field_in_the_form_changes_only_its_line() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "7");
    press(&mut app, KeyCode::Enter);
    let expected = CLINIC.replace("duration = 5\n", "duration = 7\n");
    assert_eq!(app.file.text(), expected);
}

#[test]
fn add_then_delete_then_undo() {
    let mut app = clinic();
    first_task(&mut app);
    let original = app.file.text();
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('a'));
    // The new task opens in the form; Esc keeps it as it is.
    let Mode::Form(form) = &app.mode else {
        panic!("a opens the form on the new task, not {:?}", app.mode);
    };
    let id = form.task.clone();
    assert_eq!(id, "task-5");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.file.plan.tasks.len(), 5);
    assert_eq!(selected_id(&app).as_deref(), Some("task-5"));
    // Added after the selected task, in its phase.
    assert_eq!(app.file.plan.tasks[2].id.value, "task-5");
    assert_eq!(
        app.file.plan.tasks[2].phase.as_ref().unwrap().id.value,
        "prep"
    );
    let with_task = app.file.text();
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(
        app.mode,
        Mode::Confirm(Confirm::Delete { task: id.clone() })
    );
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.file.plan.task(&id).is_none());
    assert_eq!(app.file.text(), original);
    press(&mut app, KeyCode::Char('u'));
    assert!(
        app.file.plan.task(&id).is_some(),
        "undo brings the task back"
    );
    assert_eq!(app.file.text(), with_task);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), original);
    assert!(!app.modified);
}

#[test]
fn deleting_a_task_others_depend_on_removes_their_links_in_one_step() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_id(&app).as_deref(), Some("config"));
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.file.plan.task("config").is_none());
    assert!(
        app.file
            .plan
            .tasks
            .iter()
            .all(|t| t.depends.iter().all(|d| d.task.id.value != "config")),
        "no link to it is left"
    );
    assert!(app.modified);
    let (level, message) = app.message.clone().unwrap();
    assert_eq!(level, gantry::app::Level::Info, "{message}");
    // One step: one undo brings back the task and the links.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CLINIC);
}

#[test]
fn deleting_the_first_task_with_its_links_and_undo_restore_the_text() {
    let mut app = clinic();
    first_task(&mut app);
    assert_eq!(selected_id(&app).as_deref(), Some("audit"));
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.file.plan.task("audit").is_none());
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.plan.tasks[0].id.value, "audit");
    assert_eq!(app.file.text(), CLINIC);
}

#[test]
fn undo_after_deleting_the_first_task_restores_the_text() {
    // Nothing depends on `audit` here, so the delete goes through.
    let plan = CLINIC.replace("depends = [\"audit\"]\n", "");
    let mut app = app_with(&plan, ansi16());
    first_task(&mut app);
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.file.plan.task("audit").is_none());
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.plan.tasks[0].id.value, "audit");
    assert_eq!(app.file.text(), plan);
}

#[test]
fn search_and_next_match() {
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Char('/'));
    assert!(matches!(app.mode, Mode::Search(_)));
    type_text(&mut app, "the");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.gantt.search.as_deref(), Some("the"));
    // The selected task matches already.
    assert_eq!(selected_id(&app).as_deref(), Some("audit"));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(selected_id(&app).as_deref(), Some("config"));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(selected_id(&app).as_deref(), Some("train"));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(selected_id(&app).as_deref(), Some("audit"), "n wraps round");
    press(&mut app, KeyCode::Char('N'));
    assert_eq!(selected_id(&app).as_deref(), Some("train"));
    // Ids match too, and the search jumps as you type.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "laun");
    assert_eq!(selected_id(&app).as_deref(), Some("launch"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zzz");
    press(&mut app, KeyCode::Enter);
    assert!(app.message.as_ref().unwrap().1.contains("no task matches"));
}

#[test]
fn goto_a_task_by_id() {
    let mut app = hotel();
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "goto golive");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    let target = "golive";
    assert_eq!(selected_id(&app).as_deref(), Some(target));
    assert!(
        app.gantt.selected >= app.gantt.row_offset
            && app.gantt.selected < app.gantt.row_offset + app.visible_rows()
    );
    // An unknown id is an error that names a close one.
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "goto kickof");
    press(&mut app, KeyCode::Enter);
    let (level, message) = app.message.clone().unwrap();
    assert_eq!(level, gantry::app::Level::Error);
    assert!(message.contains("kickoff"), "{message}");
    assert_eq!(selected_id(&app).as_deref(), Some(target));
}

#[test]
fn goto_clears_a_filter_that_hides_the_task() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "filter status=done");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "goto launch");
    press(&mut app, KeyCode::Enter);
    assert_eq!(selected_id(&app).as_deref(), Some("launch"));
    assert!(app.gantt.filter.is_empty());
}

#[test]
fn filter_by_status() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "filter status=done");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.gantt.rows,
        vec![
            Row::Phase {
                phase: Some(0),
                tasks: 1,
                folded: false
            },
            Row::Task(0)
        ]
    );
    assert_eq!(app.gantt.filter.status, Some(TaskStatus::Done));
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    assert!(
        line(buffer, 23).contains("[status=done]"),
        "{}",
        line(buffer, 23)
    );
    assert!(
        line(buffer, 1).starts_with(" 1 tasks"),
        "{}",
        line(buffer, 1)
    );
    // f opens the command line with `filter ` typed; alone it clears.
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Enter);
    assert!(app.gantt.filter.is_empty());
    assert_eq!(app.gantt.rows.len(), 6);
    // Mistakes are errors and leave the filter alone.
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "filter status=finished");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.message.as_ref().unwrap().0, gantry::app::Level::Error);
    assert!(app.gantt.filter.is_empty());
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "filter phase=go");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.gantt.rows.len(), 3);
}

#[test]
fn quit_with_unsaved_changes_asks() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit, "nothing to lose: q quits at once");

    let mut app = clinic();
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char('q'));
    assert_eq!(app.mode, Mode::Confirm(Confirm::QuitUnsaved));
    assert!(!app.quit);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.mode, Mode::Normal);
    assert!(!app.quit);
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Esc);
    assert!(!app.quit, "Esc stays too");
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Char('d'));
    assert!(app.quit);
}

#[test]
fn colon_q_asks_and_colon_q_bang_quits() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "q");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Confirm(Confirm::QuitUnsaved));
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "q!");
    press(&mut app, KeyCode::Enter);
    assert!(app.quit);
    assert!(app.modified, ":q! drops the changes without saving");
}

#[test]
fn unknown_commands_say_so() {
    let mut app = clinic();
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "frobnicate");
    press(&mut app, KeyCode::Enter);
    let (level, message) = app.message.clone().unwrap();
    assert_eq!(level, gantry::app::Level::Error);
    assert!(message.contains(":frobnicate"), "{message}");
}

#[test]
fn file_changed_without_edits_reloads_quietly() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    std::fs::write(&path, CLINIC).unwrap();
    let file = PlanFile::open(&path).unwrap();
    let mut app = App::new(file, Origin::File, Config::defaults(ansi16()), today());
    let theirs = CLINIC.replace("name = \"Launch\"", "name = \"Launch day\"");
    std::fs::write(&path, &theirs).unwrap();
    app.update(Action::FileChanged(theirs.clone()));
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.file.text(), theirs);
    assert_eq!(app.file.plan.task("launch").unwrap().name, "Launch day");
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .1
            .contains("changed on disk and was reloaded")
    );
}

#[test]
fn tabbing_through_an_empty_depends_field_leaves_it_empty() {
    // `audit` has no dependencies: Tab from name to progress and back must not add one.
    let mut app = clinic();
    first_task(&mut app);
    press(&mut app, KeyCode::Enter);
    for _ in 0..gantry::app::FORM_FIELDS.len() {
        press(&mut app, KeyCode::Tab);
    }
    let Mode::Form(form) = &app.mode else {
        panic!("still in the form");
    };
    let depends = form
        .fields
        .iter()
        .find(|f| f.field == gantry::store::TaskField::Depends)
        .unwrap();
    assert_eq!(
        depends.input.text, "",
        "Tab walked through the field and filled it in"
    );
}

#[test]
fn risks_checkin_and_dashboard_at_160x48() {
    let mut app = hotel();
    for (number, name) in [('2', "risks"), ('3', "checkin"), ('4', "dashboard")] {
        press(&mut app, KeyCode::Char(number));
        let terminal = draw(&mut app, 160, 48);
        insta::assert_snapshot!(format!("pane_{number}_{name}_160x48"), terminal.backend());
    }
}

// ---------------------------------------------------------------- problems

#[test]
fn problems_listed_after_edits_point_at_their_lines_in_the_edited_text() {
    let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n\
        [[task]]\nid = \"a\"\nname = \"A\"\nduration = 2\n\n\
        [[task]]\nid = \"b\"\nname = \"B\"\ncolour = \"red\"\ndepends = [\"a\"]\n";
    let mut app = app_with(text, ansi16());
    draw(&mut app, 80, 24);
    let problem = |app: &App| {
        let diagnostic = &app.file.diagnostics[0];
        (diagnostic.pos.line, diagnostic.pos.col)
    };
    assert_eq!(problem(&app), (13, 1));

    // A new key in `a` pushes `b`'s unknown key one line down; an edit of
    // `b` itself used to leave its problem at the table's header.
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(selected_id(&app).as_deref(), Some("a"));
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Enter);
    assert!(
        app.file.text().lines().count() > text.lines().count(),
        "{}",
        app.file.text()
    );
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_id(&app).as_deref(), Some("b"));
    press(&mut app, KeyCode::Char(' '));

    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "problems");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Problems { .. }));
    let at = app.file.text().find("colour").unwrap();
    let line = app.file.text()[..at].lines().count() + 1;
    assert_eq!(problem(&app), (line as u32, 1));
    let screen = screen(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        screen.contains(&format!("{line}:1 warning: unknown key `colour`")),
        "{screen}"
    );
    // Enter selects the task the problem is in.
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(selected_id(&app).as_deref(), Some("b"));
}

// ---------------------------------------------------------------- moving tasks

#[test]
fn capital_j_and_k_move_the_selected_task_within_its_phase_and_keep_it_selected() {
    let mut app = hotel();
    draw(&mut app, 100, 30);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "goto kickoff");
    press(&mut app, KeyCode::Enter);
    assert_eq!(selected_id(&app).as_deref(), Some("kickoff"));
    let order = |app: &App| {
        app.file
            .plan
            .tasks
            .iter()
            .take(4)
            .map(|t| t.id.value.clone())
            .collect::<Vec<_>>()
    };
    let before = order(&app);
    assert_eq!(before[0], "kickoff");

    press(&mut app, KeyCode::Char('J'));
    assert_eq!(selected_id(&app).as_deref(), Some("kickoff"));
    assert_eq!(order(&app)[..2], [before[1].clone(), "kickoff".to_owned()]);
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(selected_id(&app).as_deref(), Some("kickoff"));
    assert_eq!(order(&app)[2], "kickoff");
    let text = app.file.text();
    assert!(
        text.find(&format!("id = \"{}\"", before[2])) < text.find("id = \"kickoff\""),
        "the file follows the model"
    );

    press(&mut app, KeyCode::Char('K'));
    press(&mut app, KeyCode::Char('K'));
    assert_eq!(selected_id(&app).as_deref(), Some("kickoff"));
    assert_eq!(order(&app), before);
    // The first task of its phase goes no higher.
    press(&mut app, KeyCode::Char('K'));
    assert_eq!(order(&app), before);
    assert_eq!(app.file.text(), HOTEL);

    press(&mut app, KeyCode::Char('J'));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), HOTEL);
    assert_eq!(selected_id(&app).as_deref(), Some("kickoff"));
}

/// Every figure at the top of what the format holds: no pane shows NaN,
/// infinity or a run of digits wider than the figures are given.
#[test]
fn figures_at_the_edges_of_the_format_stay_short_on_every_pane() {
    let text = "[project]\nname = \"Edges\"\nstart = 2027-01-04\nstatus_date = 2027-03-01\nbudget = 1e15\ncurrency = \"EUR\"\n\n\
        [calendar]\nhours_per_day = 0.5\n\n\
        [[person]]\nid = \"p\"\nname = \"P\"\nrate = 1000000\ncapacity = 0.01\n\n\
        [[task]]\nid = \"a\"\nname = \"A\"\nowner = \"p\"\nestimate = 1000000\nduration = 400\nprogress = 50\nstatus = \"doing\"\nbaseline = { start = 2027-01-04, finish = 2027-01-05 }\n\n\
        [[log]]\ndate = 2027-01-05\ntask = \"a\"\nhours = 0.01\n\n\
        [[checkin]]\nweek = 2027-02-22\nmetrics = { percent_complete = 100, spi = 1000, cpi = 1000, open_blockers = 1000000 }\n";
    let mut app = app_with(text, ansi16());
    for pane in ['1', '2', '3', '4', '5'] {
        press(&mut app, KeyCode::Char(pane));
        let terminal = draw(&mut app, 100, 40);
        let shown = screen(terminal.backend().buffer());
        for word in ["NaN", "nan", "inf", "e+", "e-3"] {
            assert!(!shown.contains(word), "pane {pane} shows {word}:\n{shown}");
        }
        // No figure of more than 16 digits in a row (a thousand trillion).
        let longest = shown
            .split(|c: char| !c.is_ascii_digit() && c != ',' && c != '.')
            .map(|run| run.chars().filter(char::is_ascii_digit).count())
            .max()
            .unwrap_or(0);
        assert!(longest <= 16, "pane {pane}:\n{shown}");
        if pane == '4' {
            // CPI is EV (half of 1e12) over AC (a cent of an hour at 1e6).
            assert!(shown.contains(">999"), "{shown}");
        }
    }
}

#[test]
fn renaming_a_task_says_in_the_form_what_enter_does_with_its_references_at_80_columns() {
    let mut app = clinic();
    draw(&mut app, 80, 24);
    while selected_id(&app).as_deref() != Some("audit") {
        press(&mut app, KeyCode::Up);
    }
    press(&mut app, KeyCode::Enter);
    // The id is the form's last line: Up from the first goes there.
    press(&mut app, KeyCode::Up);
    ctrl(&mut app, 'u');
    type_text(&mut app, "review");
    let terminal = draw(&mut app, 80, 24);
    let shown = screen(terminal.backend().buffer());
    // The status line is too narrow for it; the form's footer says it whole.
    assert!(
        shown.contains("1 reference(s) to audit are renamed with it:"),
        "{shown}"
    );
    assert!(shown.contains("Enter renames, Esc keeps the"), "{shown}");
    assert!(!shown.contains("only if you change them too"), "{shown}");
}

#[test]
fn a_message_too_long_for_the_status_line_is_shown_whole_above_it_at_80_columns() {
    let mut app = clinic();
    draw(&mut app, 80, 24);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Esc);
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    let message = app.message.clone().unwrap().1;
    assert!(
        message.ends_with("Esc keeps it as it is, u removes it"),
        "{message}"
    );
    assert!(message.len() > 60, "{message}");
    assert!(message.len() <= 78, "{message}");
    assert_eq!(line(buffer, 22).trim(), message);
    // The file name and the date stay on the status line.
    assert!(
        line(buffer, 23).starts_with(" plan.toml [+]"),
        "{}",
        line(buffer, 23)
    );
    assert!(line(buffer, 23).contains("today 2027-03-15"));
}

#[test]
fn the_cursor_stays_where_typing_goes_in_a_checkin_line_longer_than_the_pane() {
    let mut app = app_with(
        &HOTEL.replace("status_date = 2027-04-09", "status_date = 2027-04-16"),
        ansi16(),
    );
    draw(&mut app, 80, 24);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, &format!("{} tail", "word ".repeat(24)));
    // Back into the middle of the line, out of the last columns.
    for _ in 0..40 {
        press(&mut app, KeyCode::Left);
    }
    type_text(&mut app, "XYZ");
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    let row = (0..24)
        .find(|&y| line(buffer, y).contains("XYZ"))
        .unwrap_or_else(|| panic!("what is typed shows:\n{}", screen(buffer)));
    let text = line(buffer, row);
    let x = text[..text.find("XYZ").unwrap()].chars().count() as u16 + 3;
    let reversed = |x: u16| buffer[(x, row)].modifier.contains(Modifier::REVERSED);
    assert!(reversed(x), "the cursor after XYZ:\n{}", screen(buffer));
    assert!(!reversed(x - 1) && !reversed(x + 1), "the cursor alone");
}
