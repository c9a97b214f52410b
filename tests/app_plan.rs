#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The Plan pane without a terminal: snapshots of the charter with every
//! part present, and its edits driven through `App::update`, each checked
//! against the text the plan would be saved as.

use std::path::Path;

use chrono::NaiveDate;
use gantry::app::{Action, App, Mode, Origin, Pane, key, type_text};
use gantry::config::Config;
use gantry::store::PlanFile;
use gantry::theme::{Capabilities, ColorSupport};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A plan with something in every part of the charter.
const CHARTER: &str = include_str!("fixtures/charter.toml");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()
}

fn app_with(text: &str) -> App {
    let file = PlanFile::from_text(Path::new("plan.toml"), text.to_owned()).unwrap();
    let capabilities = Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    };
    let mut app = App::new(file, Origin::File, Config::defaults(capabilities), today());
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    app.update(key(KeyCode::Char('5')));
    assert_eq!(app.pane, Pane::Plan);
    app
}

fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Action::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| gantry::ui::render(frame, app))
        .unwrap();
    terminal
}

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

fn press(app: &mut App, code: KeyCode) {
    app.update(key(code));
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn clear_field(app: &mut App) {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
}

/// The lines that differ between two texts of the same length in lines.
fn changed_lines(before: &str, after: &str) -> Vec<(String, String)> {
    assert_eq!(before.lines().count(), after.lines().count(), "{after}");
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn plan_pane_at_80x24() {
    let mut app = app_with(CHARTER);
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn plan_pane_at_80x24_scrolled_to_the_end() {
    let mut app = app_with(CHARTER);
    press(&mut app, KeyCode::Char('G'));
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn plan_pane_at_160x48() {
    let mut app = app_with(CHARTER);
    let terminal = draw(&mut app, 160, 48);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_target_cut_at_80_columns_is_whole_in_the_detail_lines() {
    let mut app = app_with(CHARTER);
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    // The line is cut...
    assert!(text.contains("O1 Fewer missed appointments - No-shows down"));
    assert!(
        !text
            .lines()
            .any(|l| l.contains("O1") && l.contains("go-live"))
    );
    // ...and the detail lines under the page have all of it.
    let detail: String = text
        .lines()
        .skip(19)
        .take(4)
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        detail.contains("measured over the four weeks after go-live. Now: 11.5% in February."),
        "{text}"
    );
}

#[test]
fn sections_are_reached_with_brackets_and_braces() {
    let mut app = app_with(CHARTER);
    let selected = |app: &App| {
        let lines = gantry::app::plan::page(&app.file.plan);
        app.plan.selected_line(&lines)
    };
    use gantry::app::plan::PlanLine;
    assert_eq!(selected(&app), Some(PlanLine::Objective(0)));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(selected(&app), Some(PlanLine::ScopeIn(0)));
    keys(&mut app, "}}");
    assert_eq!(selected(&app), Some(PlanLine::Change(0)));
    press(&mut app, KeyCode::Char('['));
    assert_eq!(selected(&app), Some(PlanLine::Person(0)));
    press(&mut app, KeyCode::Char('{'));
    assert_eq!(selected(&app), Some(PlanLine::ScopeIn(0)));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected(&app), Some(PlanLine::ScopeOut(0)));
}

// ---------------------------------------------------------------- edits

#[test]
fn editing_an_objective_changes_its_lines_only_and_undoes_in_one_step() {
    let mut app = app_with(CHARTER);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Plan(_)));
    // title, then target, then current.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    type_text(&mut app, "9.8% on 2027-03-12");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Normal));
    let after = app.file.text();
    assert_eq!(
        changed_lines(CHARTER, &after),
        vec![(
            "current = \"11.5% in February\"".to_owned(),
            "current = \"9.8% on 2027-03-12\"".to_owned()
        )]
    );
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CHARTER);
}

#[test]
fn a_bad_value_in_the_form_is_shown_and_not_saved() {
    let mut app = app_with(CHARTER);
    keys(&mut app, "}}");
    // The first person: name, role, rate.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    type_text(&mut app, "lots");
    let Mode::Plan(gantry::app::PlanDialog::Form(form)) = &app.mode else {
        panic!("the form is open");
    };
    assert_eq!(
        form.fields[2].error.as_deref(),
        Some("`rate` takes a number, e.g. 0.5 or 120")
    );
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Plan(_)), "the form stays open");
    assert_eq!(app.file.text(), CHARTER);
    // A value the plan refuses is caught as it is typed.
    clear_field(&mut app);
    type_text(&mut app, "-5");
    let Mode::Plan(gantry::app::PlanDialog::Form(form)) = &app.mode else {
        panic!("the form is open");
    };
    assert!(form.fields[2].error.is_some(), "{form:?}");
}

#[test]
fn adding_an_objective_inserts_one_table_after_the_selected_one() {
    let mut app = app_with(CHARTER);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Shorter waits on the phone");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Median wait under 1 minute by 2027-05-31");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.message);
    let after = app.file.text();
    let expected = CHARTER.replace(
        "current = \"11.5% in February\"\n",
        "current = \"11.5% in February\"\n\n[[objective]]\nid = \"O3\"\n\
         title = \"Shorter waits on the phone\"\n\
         target = \"Median wait under 1 minute by 2027-05-31\"\n",
    );
    assert_eq!(after, expected);
    assert_eq!(app.file.plan.objectives[1].id.value, "O3");
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CHARTER);
}

#[test]
fn deleting_a_change_request_asks_first() {
    let mut app = app_with(CHARTER);
    keys(&mut app, "}}}");
    press(&mut app, KeyCode::Char('d'));
    assert!(matches!(app.mode, Mode::Plan(_)));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.file.plan.changes.len(), 2);
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.file.plan.changes.len(), 1);
    assert_eq!(app.file.plan.changes[0].id.value, "C2");
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CHARTER);
}

#[test]
fn space_ticks_a_handover_item_in_its_line_and_undo_unticks_it() {
    let mut app = app_with(CHARTER);
    // Handover is the seventh part; its first item is under the receiver.
    keys(&mut app, "}}}}}}j");
    press(&mut app, KeyCode::Char(' '));
    assert!(app.file.plan.handover.as_ref().unwrap().checklist[0].done);
    assert_eq!(
        changed_lines(CHARTER, &app.file.text()),
        vec![(
            "  { item = \"Admin accounts handed over\", done = false },".to_owned(),
            "  { item = \"Admin accounts handed over\", done = true },".to_owned()
        )]
    );
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CHARTER);
}

#[test]
fn space_ticks_a_gate_item_in_its_line() {
    let mut app = app_with(CHARTER);
    keys(&mut app, "}}}}jj ");
    assert_eq!(
        changed_lines(CHARTER, &app.file.text()),
        vec![(
            "  { item = \"Front desk trained\", done = false },".to_owned(),
            "  { item = \"Front desk trained\", done = true },".to_owned()
        )]
    );
}

#[test]
fn a_scope_line_is_added_to_the_list_chosen_and_edited_in_place() {
    let mut app = app_with(CHARTER);
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Insurance checks");
    press(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    type_text(&mut app, "out");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.file.plan.scope.excluded,
        ["Billing", "Insurance checks"]
    );
    assert_eq!(
        changed_lines(CHARTER, &app.file.text()),
        vec![(
            "excluded = [\"Billing\"]".to_owned(),
            "excluded = [\"Billing\", \"Insurance checks\"]".to_owned()
        )]
    );
    press(&mut app, KeyCode::Char('u'));
    // The second included line, edited: the rest of the list as written.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    clear_field(&mut app);
    type_text(&mut app, "Reminder texts two days before");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        changed_lines(CHARTER, &app.file.text()),
        vec![(
            "  \"Reminder texts the day before\",".to_owned(),
            "  \"Reminder texts two days before\",".to_owned()
        )]
    );
}

#[test]
fn a_review_note_is_edited_in_place_and_one_added_to_an_empty_list() {
    let mut app = app_with(CHARTER);
    press(&mut app, KeyCode::Char('G'));
    // The last line is the improve note.
    press(&mut app, KeyCode::Enter);
    clear_field(&mut app);
    type_text(&mut app, "Book the training room a month ahead");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        changed_lines(CHARTER, &app.file.text()),
        vec![(
            "improve = [\"Book the training room earlier\"]".to_owned(),
            "improve = [\"Book the training room a month ahead\"]".to_owned()
        )]
    );
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Measure no-shows from day one");
    press(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    type_text(&mut app, "lessons");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.file.plan.review.as_ref().unwrap().lessons,
        ["Measure no-shows from day one"]
    );
    // Two steps back is the plan as it was.
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CHARTER);
}

#[test]
fn a_plan_without_a_charter_can_be_given_one() {
    let plain = "[project]\nname = \"P\"\nstart = 2027-03-01\n";
    let mut app = app_with(plain);
    // Every part is there, empty; the handover's Enter names the receiver.
    keys(&mut app, "}}}}}}");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "Operations");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.file.plan.handover.as_ref().unwrap().to.as_deref(),
        Some("Operations")
    );
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Runbook");
    press(&mut app, KeyCode::Enter);
    let handover = app.file.plan.handover.as_ref().unwrap();
    assert_eq!(handover.checklist.len(), 1);
    assert!(!handover.checklist[0].done);
    let text = app.file.text();
    assert!(text.starts_with(plain), "{text}");
    assert!(
        gantry::store::parse_str(&text)
            .unwrap()
            .diagnostics
            .is_empty()
    );
}

// ---------------------------------------------------------------- change requests

/// Selects the first change request, C1.
fn select_c1(app: &mut App) {
    keys(app, "}}}");
    let lines = gantry::app::plan::page(&app.file.plan);
    assert_eq!(
        app.plan.selected_line(&lines),
        Some(gantry::app::plan::PlanLine::Change(0))
    );
}

#[test]
fn a_proposed_change_shows_its_computed_impact_and_its_what_if() {
    let mut app = app_with(CHARTER);
    select_c1(&mut app);
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    assert!(
        text.contains("C1     proposed  Add a fourth clinic [finish 03-23 → 03-26 (+3d)"),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn approving_a_change_records_the_decision_and_applies_its_edits_as_one_step() {
    let mut app = app_with(CHARTER);
    select_c1(&mut app);
    press(&mut app, KeyCode::Char('A'));
    // The last decider is proposed; a reason goes after a semicolon.
    type_text(&mut app, "; one more clinic is worth three days");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.message);
    let expected = CHARTER
        .replace(
            "days = 3\n",
            "days = 3\nstatus = \"approved\"\ndecided_by = \"Clinic director\"\n\
             decided = 2027-03-10\nreason = \"one more clinic is worth three days\"\n",
        )
        .replace("duration = 5\nestimate = 30", "duration = 8\nestimate = 30");
    assert_eq!(app.file.text(), expected);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CHARTER);
}

#[test]
fn a_decided_change_cannot_be_approved_and_the_reason_is_said() {
    let mut app = app_with(CHARTER);
    select_c1(&mut app);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Enter);
    let (_, message) = app.message.clone().unwrap();
    assert!(message.contains("already approved"), "{message}");
    assert_eq!(app.file.text(), CHARTER);
    // Done is for an approved change.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('D'));
    assert!(app.file.text().contains("status = \"done\""));
}

#[test]
fn previewing_a_change_draws_ghost_bars_in_the_gantt_pane() {
    let mut app = app_with(CHARTER);
    select_c1(&mut app);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.pane, Pane::Gantt);
    assert!(app.preview_move("connect").is_some());
    let terminal = draw(&mut app, 100, 24);
    insta::assert_snapshot!(terminal.backend());
}

// ---------------------------------------------------------------- quality gates

/// Selects gate G1's header.
fn select_g1(app: &mut App) {
    keys(app, "}}}}");
    let lines = gantry::app::plan::page(&app.file.plan);
    assert_eq!(
        app.plan.selected_line(&lines),
        Some(gantry::app::plan::PlanLine::Gate(0))
    );
}

#[test]
fn a_gated_milestone_is_not_done_while_its_gate_is_open_unless_overridden() {
    let mut app = app_with(CHARTER);
    select_g1(&mut app);
    press(&mut app, KeyCode::Char('D'));
    let (_, message) = app.message.clone().unwrap();
    assert!(
        message.contains("live cannot be done while gate G1 is open: 1 of 2 checklist items is not done (\"Front desk trained\")"),
        "{message}"
    );
    assert!(matches!(app.mode, Mode::Plan(_)), "the override is offered");
    assert_eq!(app.file.text(), CHARTER);
    // A name alone is not enough: an override says why.
    type_text(&mut app, "Clinic director");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Plan(_)));
    type_text(&mut app, "; training finishes on the first morning");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.message);
    let gate = &app.file.plan.gates[0];
    let overridden = gate.overridden.as_ref().unwrap();
    assert_eq!(overridden.by, "Clinic director");
    assert_eq!(overridden.reason, "training finishes on the first morning");
    assert_eq!(
        app.file.plan.task("live").unwrap().status,
        gantry::model::TaskStatus::Done
    );
    // One step back is the plan as it was.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.file.text(), CHARTER);
}

#[test]
fn a_gate_is_signed_once_its_items_are_ticked() {
    let mut app = app_with(CHARTER);
    select_g1(&mut app);
    press(&mut app, KeyCode::Char('S'));
    // The approver is proposed.
    press(&mut app, KeyCode::Enter);
    let (_, message) = app.message.clone().unwrap();
    assert!(
        message.contains("cannot be signed while 1 of 2"),
        "{message}"
    );
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "jj ");
    press(&mut app, KeyCode::Char('S'));
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.message);
    let gate = &app.file.plan.gates[0];
    assert_eq!(gate.signed, NaiveDate::from_ymd_opt(2027, 3, 10));
    assert_eq!(gate.signed_by.as_deref(), Some("Clinic director"));
    // Now the milestone may be done.
    press(&mut app, KeyCode::Char('D'));
    assert_eq!(
        app.file.plan.task("live").unwrap().status,
        gantry::model::TaskStatus::Done
    );
}

// ---------------------------------------------------------------- communication and review

#[test]
fn a_communication_item_shows_when_it_is_next_due_and_d_records_it_held() {
    let mut app = app_with(CHARTER);
    keys(&mut app, "}}}}}");
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    assert!(
        text.lines()
            .any(|l| l.contains("Status mail") && l.contains("next 2027-03-12")),
        "{text}"
    );
    press(&mut app, KeyCode::Char('D'));
    assert_eq!(
        changed_lines(CHARTER, &app.file.text()),
        vec![(
            "last = 2027-03-05".to_owned(),
            "last = 2027-03-10".to_owned()
        )]
    );
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    assert!(text.contains("next 2027-03-19"), "{text}");
}

#[test]
fn the_review_starts_with_planned_against_actual() {
    let mut app = app_with(CHARTER);
    press(&mut app, KeyCode::Char('G'));
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    for expected in [
        "finish: baseline 2027-03-19, forecast 2027-03-23 (+2 working days)",
        "cost: planned (BAC) 6,100.00, actual 0.00, budget 20,000.00",
        "scope: 2 still to deliver, 0 dropped",
        "changes: 1 approved (C2), 0 rejected, 1 open",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    // Approving C1 shows in the figures at once.
    keys(&mut app, "g}}}");
    let lines = gantry::app::plan::page(&app.file.plan);
    assert_eq!(
        app.plan.selected_line(&lines),
        Some(gantry::app::plan::PlanLine::Change(0))
    );
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('G'));
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    assert!(
        text.contains("changes: 2 approved (C1, C2), 0 rejected, 0 open"),
        "{text}"
    );
    assert!(
        text.contains("forecast 2027-03-26 (+5 working days)"),
        "{text}"
    );
}

// ---------------------------------------------------------------- terminals

#[test]
fn in_ascii_every_part_of_the_pane_is_ascii() {
    let file = PlanFile::from_text(Path::new("plan.toml"), CHARTER.to_owned()).unwrap();
    let capabilities = Capabilities {
        color: ColorSupport::Ansi16,
        unicode: false,
    };
    let mut app = App::new(file, Origin::File, Config::defaults(capabilities), today());
    app.update(key(KeyCode::Char('5')));
    for position in ["g", "G", "}}}"] {
        keys(&mut app, position);
        let terminal = draw(&mut app, 120, 40);
        let text = screen(terminal.backend().buffer());
        assert!(text.is_ascii(), "{text}");
    }
    // The what-if too.
    press(&mut app, KeyCode::Enter);
    let terminal = draw(&mut app, 120, 40);
    let text = screen(terminal.backend().buffer());
    assert!(text.contains("03-23 -> 03-26"), "{text}");
    assert!(text.is_ascii(), "{text}");
}

#[test]
fn escape_sequences_in_the_charter_do_not_reach_the_terminal() {
    let hostile = CHARTER.replace(
        "title = \"Fewer missed appointments\"",
        "title = \"Fewer \\u001b[2J missed\"",
    );
    let mut app = app_with(&hostile);
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("O1 Fewer"), "{text}");
    press(&mut app, KeyCode::Enter);
    let terminal = draw(&mut app, 80, 24);
    assert!(!screen(terminal.backend().buffer()).contains('\u{1b}'));
}

#[test]
fn a_persons_load_is_their_booked_hours_against_a_working_week() {
    let over = CHARTER.replace("duration = 5\nestimate = 50", "duration = 5\nestimate = 80");
    let mut app = app_with(&over);
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    // 16 hours a day from Wednesday: 48 of 40 this week, 32 the next.
    let ana = text.lines().find(|l| l.contains("Ana Ruiz")).unwrap();
    assert!(ana.ends_with(" 48/40h !▆···· "), "{ana}");
    // Half time: 20 hours a week.
    let ben = text.lines().find(|l| l.contains("Ben Okafor")).unwrap();
    assert!(ben.contains(" 0/20h "), "{ben}");
}

#[test]
fn the_override_prompt_says_what_to_type_at_80_columns_when_many_items_are_open() {
    let mut app = app_with(include_str!("../examples/hotel-integration.toml"));
    keys(&mut app, "}}}}");
    for _ in 0..10 {
        let lines = gantry::app::plan::page(&app.file.plan);
        if app.plan.selected_line(&lines) == Some(gantry::app::plan::PlanLine::Gate(1)) {
            break;
        }
        press(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(app.file.plan.gates[1].id.value, "G2");
    press(&mut app, KeyCode::Char('D'));
    assert!(matches!(app.mode, Mode::Plan(_)), "the override is offered");
    for (width, height) in [(80, 24), (160, 48)] {
        let terminal = draw(&mut app, width, height);
        let text = screen(terminal.backend().buffer());
        assert!(text.contains("Name; reason"), "{width}x{height}:\n{text}");
    }
}

#[test]
fn a_form_label_as_long_as_requested_by_keeps_a_space_before_its_value() {
    let mut app = app_with(CHARTER);
    select_c1(&mut app);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Pool heaters");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Ana");
    let terminal = draw(&mut app, 80, 24);
    let text = screen(terminal.backend().buffer());
    assert!(text.contains("requested_by Ana"), "{text}");
    assert!(text.contains("       title Pool heaters"), "{text}");
}
