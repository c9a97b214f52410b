#![allow(clippy::unwrap_used, clippy::expect_used)]

//! What a first-time user meets, in the real binary in a pseudo-terminal:
//! keys go in as bytes and the screen is read back through a terminal
//! emulator.

use std::path::Path;
use std::time::Duration;

mod support;

use support::folder_with_plan;
use support::pty::{ESC, Session};

const HOTEL: &str = include_str!("../examples/hotel-integration.toml");

const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";
const CTRL_R: &str = "\x12";
const LEFT: &str = "\x1b[D";
const UP: &str = "\x1b[A";
const DOWN: &str = "\x1b[B";

/// Fails with the lines that differ, not the whole texts.
fn assert_same_text(actual: &str, expected: &str) {
    if actual == expected {
        return;
    }
    let differ: Vec<String> = actual
        .lines()
        .zip(expected.lines())
        .enumerate()
        .filter(|(_, (a, e))| a != e)
        .take(5)
        .map(|(n, (a, e))| format!("line {}: {a:?}, expected {e:?}", n + 1))
        .collect();
    panic!(
        "the texts differ ({} and {} lines): {differ:#?}\nthe end: {:?}",
        actual.lines().count(),
        expected.lines().count(),
        &actual[actual.len().saturating_sub(300)..]
    );
}

/// The hotel plan with a status week that has no check-in yet.
fn hotel_without_this_weeks_checkin() -> String {
    let plan = HOTEL.replace("status_date = 2027-04-09", "status_date = 2027-04-16");
    assert_ne!(plan, HOTEL);
    plan
}

// 1. The check-in editor shows what is typed, with a cursor.

#[test]
fn typing_a_checkin_line_shows_the_text_and_the_cursor() {
    let (dir, _path) = folder_with_plan(&hotel_without_this_weeks_checkin());
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("tasks");
    session.send("3");
    session.wait_for("Week of 2027-04-12");
    session.send("a");
    session.wait_for("editing: Enter keeps the line");
    session.send("Runbook draft");
    session.wait_for("- Runbook draft");
    let (row, col) = session.find("- Runbook draft").unwrap();
    let end = col + "- Runbook draft".len() as u16;
    assert!(session.inverse_at(row, end), "the cursor after the text");
    // Only the cursor: the line being typed is not drawn inverse around it.
    assert!(
        !session.inverse_at(row, end - 1) && !session.inverse_at(row, end + 1),
        "the cursor stands out from the line"
    );
    // The cursor moves back, and typing goes in where it is.
    session.send(&LEFT.repeat(5));
    session.send("ok ");
    session.wait_for("- Runbook ok draft");
    assert!(
        session.inverse_at(row, end - 2),
        "the cursor before \"draft\""
    );
    assert!(!session.inverse_at(row, end - 1), "the cursor alone");
    session.send(ENTER);
    session.wait_gone("editing: Enter keeps the line");
    session.wait_for("- Runbook ok draft");
}

// 2. A check-in draft is unsaved work: [+], the quit prompt, undo, the
// recovery file; and the pane steps through the weeks.

#[test]
fn an_edited_checkin_draft_is_unsaved_work() {
    let (dir, _path) = folder_with_plan(&hotel_without_this_weeks_checkin());
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("tasks");
    session.send("3");
    session.wait_for("Week of 2027-04-12");
    assert!(!session.screen().contains("[+]"));
    session.send("a");
    session.send("Runbook draft");
    session.send(ENTER);
    session.wait_for("[+]");
    // Saving says where the draft goes.
    session.send(CTRL_S);
    session.wait_for("no plan changes to save; R records the draft");
    session.send("q");
    session.wait_for("The check-in draft of the week of 2027-04-12 is not recorded.");
    session.send("n");
    session.wait_gone("is not recorded");
    assert!(session.running(), "n stays");
    session.send("u");
    session.wait_for("undone (the check-in draft)");
    session.wait_gone("- Runbook draft");
    session.wait_gone("[+]");
    session.send(CTRL_R);
    session.wait_for("- Runbook draft");
    session.wait_for("[+]");
    // Another week, and back: the draft is kept.
    session.send("]");
    session.wait_for("Week of 2027-04-19");
    session.wait_gone("- Runbook draft");
    session.send("[[");
    session.wait_for("Week of 2027-04-05");
    session.send("]");
    session.wait_for("Week of 2027-04-12");
    session.wait_for("- Runbook draft");
    session.terminate();
    let recovery = gantry::app::recovery::read(&dir.path().join(".plan.toml.gantry-recovery"))
        .expect("a recovery file");
    let kept = gantry::store::parse_str(&recovery.edited).unwrap();
    let checkin = kept
        .plan
        .checkins
        .iter()
        .find(|c| c.week.value.to_string() == "2027-04-12")
        .expect("the draft kept as the week's check-in");
    assert!(checkin.done.iter().any(|line| line == "Runbook draft"));
}

#[test]
fn save_and_quit_records_the_checkin_draft() {
    let (dir, path) = folder_with_plan(&hotel_without_this_weeks_checkin());
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("tasks");
    session.send("3");
    session.wait_for("Week of 2027-04-12");
    session.send("a");
    session.send("Runbook draft");
    session.send(ENTER);
    session.wait_for("[+]");
    session.send("q");
    session.wait_for("s records it, saves and quits");
    session.send("s");
    assert_eq!(session.exit_code(), 0);
    let saved = gantry::store::parse_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        saved
            .plan
            .checkins
            .iter()
            .any(|c| c.week.value.to_string() == "2027-04-12"
                && c.done.iter().any(|line| line == "Runbook draft"))
    );
}

// 5. Save-as prompts say what Enter does, and do it.

#[test]
fn save_and_quit_of_the_demo_writes_the_file_and_quits() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::spawn(dir.path(), &[]);
    session.wait_for("demo plan");
    session.wait_for("42 tasks");
    session.send(" ");
    session.wait_for("[+]");
    session.send("q");
    session.wait_for("The plan has unsaved changes.");
    session.send("s");
    session.wait_for("Enter writes the plan to this file and quits");
    session.wait_for("save as: plan.toml");
    session.send(ENTER);
    assert_eq!(session.exit_code(), 0);
    let saved = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    assert_ne!(saved, HOTEL, "with the change");
    assert!(gantry::store::parse_str(&saved).is_ok());
}

#[test]
fn saving_elsewhere_from_the_changed_on_disk_banner_says_what_it_does() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send(" ");
    session.wait_for("[+]");
    let theirs = format!("{HOTEL}\n# a colleague's note\n");
    std::fs::write(&path, &theirs).unwrap();
    session.wait_for("changed on disk, and you have unsaved changes");
    session.send(CTRL_S);
    session.wait_for("Enter writes your version to this file");
    session.wait_for("plan.mine.toml");
    session.send(ENTER);
    session.wait_for("saved");
    session.wait_gone("[+]");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    let mine = std::fs::read_to_string(dir.path().join("plan.mine.toml")).unwrap();
    assert_ne!(mine, HOTEL);
    assert!(!mine.contains("a colleague's note"));
}

#[test]
fn writing_over_an_existing_file_asks_for_a_second_enter() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "# someone else's\n").unwrap();
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send(":w other.toml");
    session.send(ENTER);
    session.wait_for("other.toml exists: Enter again replaces it");
    session.wait_for("save as: other.toml");
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "# someone else's\n"
    );
    session.send(ENTER);
    session.wait_for("saved other.toml");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), HOTEL);
}

// 3. Broken plans can be fixed in the app.

/// A plan with four errors: a negative duration, progress over 100, a
/// malformed id and an unknown status.
const BROKEN: &str = "[project]\nname = \"Broken\"\nstart = 2027-01-04\n\n\
[[task]]\nid = \"design\"\nname = \"Design\"\nduration = -3\n\n\
[[task]]\nid = \"build\"\nname = \"Build\"\nduration = 5\nprogress = 150\ndepends = [\"design\"]\n\n\
[[task]]\nid = \"Bad Id!\"\nname = \"Malformed\"\nduration = 2\n\n\
[[task]]\nid = \"test\"\nname = \"Test\"\nduration = 3\nstatus = \"wip\"\n";

#[test]
fn the_task_form_shows_invalid_values_and_saves_one_fix_at_a_time() {
    let (dir, path) = folder_with_plan(BROKEN);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("the plan has 4 error(s)");
    session.send(ESC);
    // The malformed id has a row to fix it from.
    session.wait_for("Malformed");
    session.send("g");
    session.send(ENTER);
    session.wait_for("Edit task design");
    session.wait_for("duration -3");
    // What is wrong with it shows while the cursor is on it.
    session.send(&DOWN.repeat(3));
    session.wait_for("is -3, but a duration is a number of working");
    session.send("\x7f\x7f3");
    session.wait_for("duration 3");
    session.send(ENTER);
    session.wait_for("design: 1 field(s) changed");
    // The other three problems stay, and the fix saves.
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved, BROKEN.replace("duration = -3", "duration = 3"));
    // The other values show as they are in the file.
    session.send("j");
    session.send(ENTER);
    session.wait_for("Edit task build");
    session.wait_for("progress 150");
    session.send(ESC);
    session.send("G");
    session.send(ENTER);
    session.wait_for("Edit task test");
    session.wait_for("status wip");
}

#[test]
fn a_task_with_a_malformed_id_can_be_renamed_in_the_form() {
    let (dir, path) = folder_with_plan(BROKEN);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("the plan has 4 error(s)");
    session.send(ESC);
    session.wait_for("Malformed");
    session.send("gjj");
    session.send(ENTER);
    session.wait_for("Edit task Bad Id!");
    session.wait_for("id Bad Id!");
    // The id is the form's last line: Up from the first.
    session.send(UP);
    session.send("\x15bad-id");
    session.wait_for("id bad-id");
    session.send(ENTER);
    session.wait_for("field(s) changed");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved, BROKEN.replace("\"Bad Id!\"", "\"bad-id\""));
    // Undo goes back to the broken id, though it is a problem, and redo
    // forward again.
    session.send("u");
    session.wait_for("undone");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), BROKEN);
    session.send(CTRL_R);
    session.wait_for("redone");
}

// 4. The dates the app writes are shown, proposed and editable.

/// Selects the hotel plan's `iot-rollout` (owner priya, doing).
fn select_iot_rollout(session: &mut Session) {
    session.wait_for("42 tasks");
    // From the top (the first phase's row; the Gantt opens on the
    // critical path).
    session.send("g");
    session.send(&"j".repeat(25));
    session.wait_for(" iot-rollout Install room controls");
}

#[test]
fn logging_hours_asks_for_the_date_and_person_and_refuses_a_day_before_the_start() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_iot_rollout(&mut session);
    session.send("L");
    session.wait_for("Log hours on iot-rollout (Enter logs, Esc cancels)");
    // The status date, not the computer's clock; the task's owner.
    session.wait_for("date 2027-04-09");
    session.wait_for("person priya");
    session.send("6");
    session.send(DOWN);
    session.send("\x15");
    session.send("2027-01-15");
    session.send(ENTER);
    session.wait_for("before the project");
    session.wait_for("Log hours on iot-rollout");
    session.send("\x15");
    session.send("2027-04-08");
    session.send(DOWN);
    session.send("\x15joao");
    session.send(DOWN);
    session.send("cabling");
    session.send(ENTER);
    session.wait_for("logged 6 h on iot-rollout for 2027-04-08 by");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = std::fs::read_to_string(&path).unwrap();
    let at = saved.find("[[log]]\ndate = 2027-04-08\ntask = \"iot-rollout\"");
    let end = &saved[saved.len().saturating_sub(300)..];
    let entry = "[[log]]\ndate = 2027-04-08\ntask = \"iot-rollout\"\nperson = \"joao\"\nhours = 6\nnote = \"cabling\"\n";
    assert!(at.is_some_and(|at| saved[at..].starts_with(entry)), "{end}");
}

#[test]
fn blocking_a_task_and_reviewing_a_risk_show_the_date_they_write() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_iot_rollout(&mut session);
    session.send("b");
    session.wait_for("Mark iot-rollout blocked (Enter marks, Esc cancels)");
    session.wait_for("since 2027-04-09");
    session.send("\x152027-04-07");
    session.send(DOWN);
    session.send("no controllers");
    session.send(ENTER);
    session.wait_for("iot-rollout: blocked since 2027-04-07");
    session.send("2");
    session.wait_for("Risks");
    session.send("v");
    session.wait_for("reviewed (Enter marks, Esc cancels)");
    session.wait_for("date 2027-04-09");
    session.send(ENTER);
    session.wait_for("reviewed on 2027-04-09");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = gantry::store::parse_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let task = saved.plan.task("iot-rollout").unwrap();
    assert_eq!(task.blocked_since.unwrap().to_string(), "2027-04-07");
    assert_eq!(task.blocker.as_deref(), Some("no controllers"));
    assert!(
        saved
            .plan
            .risks
            .iter()
            .any(|r| r.reviewed.is_some_and(|d| d.to_string() == "2027-04-09"))
    );
}

// 9. The time log: hours against the estimate, entries to edit and delete.

#[test]
fn the_time_log_edits_and_deletes_entries_with_undo() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    // kickoff, under the first phase's row at the top.
    session.send("gj");
    // kickoff: 7.5 h and 4 h logged against 8 h.
    session.wait_for("effort 11.5 h logged / 8 h estimated");
    session.send("T");
    session.wait_for("Time log of kickoff: 11.5 h of 8 h estimated");
    session.wait_for("2027-02-01      4 h  joao");
    session.send("j");
    session.send(ENTER);
    session.wait_for("Edit a log entry of kickoff");
    session.wait_for("hours 4");
    session.send("\x155");
    session.send(ENTER);
    session.wait_for("changed a log entry of kickoff");
    session.wait_for("Time log of kickoff: 12.5 h");
    session.wait_for("5 h  joao");
    // The edited entry stays selected: d deletes it.
    session.send("d");
    session.wait_for("deleted 5 h of kickoff");
    session.wait_for("Time log of kickoff: 7.5 h");
    session.send("u");
    session.wait_for("Time log of kickoff: 12.5 h");
    session.send(ESC);
    session.wait_gone("Time log of kickoff");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_same_text(
        &saved,
        &HOTEL.replace(
            "task = \"kickoff\"\nperson = \"joao\"\nhours = 4\n",
            "task = \"kickoff\"\nperson = \"joao\"\nhours = 5\n",
        ),
    );
}

#[test]
fn a_task_with_no_hours_logged_shows_zero_hours_not_minus_zero() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send(":goto cutover-plan");
    session.send(ENTER);
    session.wait_for("effort 20 h estimated, none logged");
    session.send("T");
    session.wait_for("No hours logged yet");
    assert!(
        session
            .screen()
            .contains("Time log of cutover-plan: 0 h of 20 h estimated"),
        "{}",
        session.screen()
    );
}

// 6. The Risks pane keeps the edited risk selected.

#[test]
fn a_risk_stays_selected_when_an_edit_moves_it_in_the_order() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send("2");
    session.wait_for("sorted by score");
    // R3 (score 9) is in the middle of the register.
    session.send("g");
    for _ in 0..8 {
        if session
            .screen()
            .contains("R3 Rooms cannot be taken out of sale")
        {
            break;
        }
        session.send("j");
        std::thread::sleep(Duration::from_millis(50));
    }
    session.wait_for("R3 Rooms cannot be taken out of sale");
    session.send(ENTER);
    session.wait_for("Edit risk R3");
    // Likelihood 3 -> 5: score 15, to the top of the register.
    session.send(&DOWN.repeat(2));
    session.send("\x155");
    session.send(ENTER);
    session.wait_for("R3: 1 field(s) changed");
    session.wait_for("R3 Rooms cannot be taken out of sale");
    session.wait_for("score 15 (L5 x I3)");
}

// 13. Narrow screens: the heat map folds away and titles get its room.

#[test]
fn the_heat_map_folds_away_at_80_columns() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send("2");
    session.wait_for("heat map (not closed)");
    assert!(!session.screen().contains("Guest-app production keys still"));
    session.send("i");
    session.wait_for("heat map folded away");
    session.wait_gone("heat map (not closed)");
    session.wait_for("Guest-app production keys still");
    session.send("i");
    session.wait_for("heat map (not closed)");
}

// 7. Every warning about the settings file is shown.

#[test]
fn every_warning_about_the_settings_is_listed() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[keys]\nquitt = \"x\"\nsave = \"nonsense\"\n[colors]\nselectd = { fg = \"red\" }\n",
    )
    .unwrap();
    let mut session = Session::spawn_sized(
        dir.path(),
        &["plan.toml"],
        80,
        &[("GANTRY_CONFIG", config.to_str().unwrap())],
    );
    session.wait_for("3 warnings about the settings (any key goes on)");
    session.wait_for("has no command `quitt`");
    session.wait_for("`nonsense` is not a key");
    session.wait_for("has no style `selectd`");
    session.send("x");
    session.wait_gone("any key goes on");
    session.wait_for("42 tasks");
}

// 8. The Gantt opens on the status date and the critical path, follows
// the selection, and its axis names weekdays, months and years.

/// The time axis: the second line of the screen.
fn axis(session: &Session) -> String {
    session.screen().lines().nth(1).unwrap_or("").to_owned()
}

#[test]
fn the_gantt_opens_on_the_status_date_and_follows_the_selection() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    // The status date is 2027-04-09; the plan starts on 2027-02-01.
    assert!(axis(&session).contains("05 Apr"), "{}", axis(&session));
    assert!(!axis(&session).contains("01 Feb"), "{}", axis(&session));
    // The selection opens on the critical path's first task not done,
    // go-live (2027-05-17), scrolled into view.
    session.wait_for(" golive Go-live");
    session.wait_for("slack    0 day(s), critical");
    // kickoff (2027-02-01), at the top under its phase: its bar is off
    // screen, so the axis follows the selection.
    session.send("gj");
    session.wait_for(" kickoff ");
    session.wait_until("the axis to follow the selection", |screen| {
        screen.lines().nth(1).is_some_and(|l| l.contains("01 Feb"))
    });
    session.send(".");
    session.wait_for("the status date, 2027-04-09");
    assert!(axis(&session).contains("05 Apr"), "{}", axis(&session));
    // Day zoom: weekdays and months.
    session.send("+");
    session.wait_for("zoom: day");
    session.wait_until("a weekday and a month on the axis", |screen| {
        let axis = screen.lines().nth(1).unwrap_or("");
        axis.contains("Mon ") && (axis.contains(" Apr") || axis.contains(" Feb"))
    });
    // Month zoom: the year.
    session.send("--");
    session.wait_for("42 tasks  month 2026-27");
}

// 10. A new task's id is asked for; deleting a task others depend on
// removes their links in the same step.

const MINIMAL: &str = include_str!("../examples/minimal.toml");

#[test]
fn adding_a_task_asks_for_its_id() {
    let (dir, path) = folder_with_plan(MINIMAL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("3 tasks");
    session.send("G");
    session.send("a");
    session.wait_for("Edit task task-4");
    session.wait_for("type its id or keep it");
    session.wait_for("id task-4");
    session.send("\x15announce");
    session.wait_for("id announce");
    session.send(ENTER);
    session.wait_for("announce: 1 field(s) changed");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.ends_with("[[task]]\nid = \"announce\"\nname = \"New task\"\nduration = 1\n"),
        "{saved}"
    );
}

#[test]
fn deleting_a_task_others_depend_on_removes_the_links_in_one_step() {
    let (dir, path) = folder_with_plan(MINIMAL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("3 tasks");
    // export: import depends on it.
    session.send("g");
    session.send("d");
    session.wait_for("Delete task export?");
    session.wait_for("import depend(s) on it: y also removes those links");
    session.send("y");
    session.wait_for("deleted export, 1 link(s) removed; u undoes");
    session.wait_for("2 tasks");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(!saved.contains("export"), "{saved}");
    assert!(
        gantry::store::parse_str(&saved)
            .unwrap()
            .diagnostics
            .is_empty()
    );
    // One undo brings back the task and its link.
    session.send("u");
    session.wait_for("3 tasks");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    assert_same_text(&std::fs::read_to_string(&path).unwrap(), MINIMAL);
}

// 11. The baseline compared with can be chosen.

const BASELINES: &str = "[project]\nname = \"B\"\nstart = 2027-01-04\n\n\
[[task]]\nid = \"build\"\nname = \"Build\"\nduration = 5\n\
baseline = { start = 2027-01-04, finish = 2027-01-06 }\n\
baselines = { contract = { start = 2027-01-04, finish = 2027-01-04 } }\n";

#[test]
fn a_key_and_a_command_choose_the_baseline_compared_with() {
    let (dir, _path) = folder_with_plan(BASELINES);
    let mut session = Session::spawn_sized(dir.path(), &["plan.toml"], 120, &[]);
    session.wait_for("1 tasks");
    session.wait_for("baseline 2027-01-04 to 2027-01-06, slip +2d");
    session.send("B");
    session.wait_for("comparing with baseline contract (1 task(s) have it)");
    session.wait_for("[vs contract]");
    session.wait_for("baseline 2027-01-04 to 2027-01-04, slip +4d");
    session.send("B");
    session.wait_for("comparing with the default baseline");
    session.wait_gone("[vs contract]");
    session.wait_for("slip +2d");
    session.send(":compare contrat");
    session.send(ENTER);
    session.wait_for("there is no baseline `contrat`");
    session.send(":compare contract");
    session.send(ENTER);
    session.wait_for("[vs contract]");
    session.wait_for("slip +4d");
}

// 12. The Dashboard: the planned finish, the budget, the next milestones.

#[test]
fn the_dashboard_shows_the_plan_beside_the_forecast_and_the_next_milestones() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send("4");
    session.wait_for("Forecast finish");
    session.wait_for("plan 2027-06-07");
    session.wait_for("EAC/budget 87,770.74 / 96,000.00");
    // No milestone falls in the 30 days after 2027-04-09: the next ones show.
    session.wait_for("Next milestones (none in 30 days)");
    session.wait_for("2027-05-10 UAT signed off");
}

// 15. The help lists every pane's keys and every glyph; any other key closes it.

#[test]
fn the_help_lists_every_panes_keys_and_the_glyphs() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send("?");
    session.wait_for("Help (j/k, PgDn/PgUp scroll; any other key closes)");
    let mut seen = String::new();
    for _ in 0..12 {
        seen.push_str(&session.screen());
        session.send("\x1b[6~");
        std::thread::sleep(Duration::from_millis(80));
    }
    seen.push_str(&session.screen());
    for wanted in [
        "Check-in pane",
        "the previous week",
        "record the check-in in the plan",
        "Dashboard pane",
        "show the alert's cause",
        "ok needs nothing, watch is drifting",
        "What the Gantt draws",
        "← ",
        "the selected task depends on this one",
        "→ ",
        "this one depends on the selected task",
        "⚑ ",
        "linked to a risk",
        "✓ ",
        "the status date",
        "fold the heat map away",
    ] {
        assert!(seen.contains(wanted), "the help has no {wanted:?}");
    }
    session.send("x");
    session.wait_gone("Help (j/k");
    assert!(session.running());
}

// 14. Search counts its matches; filters take text and `critical`.

#[test]
fn search_counts_matches_and_filters_take_text_and_critical() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    // Each prompt says what Enter does.
    session.send("/");
    session.wait_for("Enter keeps the search");
    session.send("install");
    session.wait_for("match 1 of 4");
    session.send(ENTER);
    session.send("n");
    session.wait_for("match 2 of 4");
    session.send("N");
    session.wait_for("match 1 of 4");
    session.send(":");
    session.wait_for("Enter runs the command");
    session.send("filter critical");
    session.send(ENTER);
    session.wait_for("[critical]");
    session.wait_until("fewer tasks shown", |screen| !screen.contains("42 tasks"));
    session.send(":filter room controls");
    session.send(ENTER);
    session.wait_for("[\"room controls\"]");
    session.wait_for("5 tasks");
    session.send(":filter");
    session.send(ENTER);
    session.wait_for("42 tasks");
}

/// Ten tasks, each with one error: ten errors in all.
fn ten_errors() -> String {
    let mut plan = "[project]\nname = \"Ten\"\nstart = 2027-01-04\n".to_owned();
    for number in 1..=10 {
        plan.push_str(&format!(
            "\n[[task]]\nid = \"t{number}\"\nname = \"Task {number}\"\nduration = -{number}\n"
        ));
    }
    plan
}

#[test]
fn in_a_plan_with_ten_errors_one_fixed_in_the_form_saves() {
    let plan = ten_errors();
    assert_eq!(
        gantry::store::parse_str(&plan)
            .unwrap()
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count(),
        10
    );
    let (dir, path) = folder_with_plan(&plan);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("the plan has 10 error(s)");
    session.send(ESC);
    session.send("g");
    session.send(ENTER);
    session.wait_for("Edit task t1");
    session.wait_for("duration -1");
    session.send(&DOWN.repeat(3));
    session.send("\x152");
    session.send(ENTER);
    session.wait_for("t1: 1 field(s) changed");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    assert_same_text(
        &std::fs::read_to_string(&path).unwrap(),
        &plan.replacen("duration = -1\n", "duration = 2\n", 1),
    );
}

// 11. Communications fall due in real time: the Dashboard judges them at
// today when the plan's status date is older, and Enter on the alert
// opens the item in the Plan pane.

#[test]
fn an_overdue_communication_is_on_the_dashboard_and_enter_opens_it_in_the_plan_pane() {
    use gantry::app::{Action, App, Origin, Pane};
    use gantry::config::Config;
    use gantry::keymap::Command;
    use gantry::metrics::AlertTarget;
    use gantry::theme::{Capabilities, ColorSupport};

    // Due on 2027-01-22 (a week after its last one): after the status
    // date, before today.
    let text = "[project]\nname = \"P\"\nstart = 2027-01-04\nstatus_date = 2027-01-20\n\
        [[task]]\nid = \"build\"\nname = \"Build\"\nduration = 80\n\
        [[communication]]\nid = \"kickoff-mail\"\nwhat = \"Kick-off mail\"\ncadence = \"weekly\"\n\
        [[communication]]\nid = \"steer\"\nwhat = \"Steering update\"\ncadence = \"weekly, Friday\"\nlast = 2027-01-15\n";
    let file = gantry::store::PlanFile::from_text(Path::new("plan.toml"), text.to_owned()).unwrap();
    let config = Config::defaults(Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    });
    let today = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let mut app = App::new(file, Origin::File, config, today);
    app.update(Action::Resize {
        width: 100,
        height: 30,
    });
    app.update(Action::Command(Command::Pane(4)));
    let alerts = app.dashboard.figures.clone().unwrap().alerts;
    let at = alerts
        .iter()
        .position(|a| a.target == AlertTarget::Communication(1))
        .unwrap_or_else(|| panic!("no alert for `steer`: {alerts:?}"));
    assert!(
        alerts[at]
            .message
            .starts_with("communication steer (Steering update) was due 2027-01-22, 38 days ago"),
        "{}",
        alerts[at].message
    );
    for _ in 0..at {
        app.update(Action::Command(Command::Down));
    }
    app.update(Action::Command(Command::Edit));
    assert_eq!(app.pane, Pane::Plan);
    let lines = gantry::app::plan::page(&app.file.plan);
    assert_eq!(
        app.plan.selected_line(&lines),
        Some(gantry::app::plan::PlanLine::Communication(1))
    );
}

// 12. Marking a gated milestone done from the Gantt pane: refused while
// its gate is open, with the same override prompt as the Plan pane.

#[test]
fn space_on_a_milestone_behind_an_open_gate_offers_the_override() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    // The Gantt opens on go-live, which gate G3 guards.
    session.wait_for(" golive Go-live");
    session.send(" ");
    session.wait_for("golive: doing");
    session.send(" ");
    session.wait_for("Mark golive done over gate G3? (Enter record, Esc keep open)");
    session.wait_for("golive: gate G3 is open; override it or Esc");
    session.wait_for("Who decides, and why: Name; reason. The gate is open: 2 of 3 checklist");
    // Esc keeps it open; asked again on the next Space.
    session.send(ESC);
    session.wait_for("golive stays open");
    session.send(" ");
    session.wait_for("Mark golive done over gate G3?");
    session.send("Marta Silva; the general manager accepts the risk");
    session.send(ENTER);
    session.wait_for("golive done over its open gate, override by");
    session.wait_for("status done 100%");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    let saved = gantry::store::parse_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        saved.plan.task("golive").unwrap().status,
        gantry::model::TaskStatus::Done
    );
    let gate = saved
        .plan
        .gates
        .iter()
        .find(|g| g.id.value == "G3")
        .unwrap();
    let recorded = gate.overridden.as_ref().unwrap();
    assert_eq!(recorded.by, "Marta Silva");
    assert_eq!(recorded.reason, "the general manager accepts the risk");
}

/// The hotel plan in the app, its clock on the status date, at 100x30.
fn hotel_app() -> gantry::app::App {
    use gantry::app::{Action, App, Origin};
    use gantry::theme::{Capabilities, ColorSupport};
    let file =
        gantry::store::PlanFile::from_text(Path::new("plan.toml"), HOTEL.to_owned()).unwrap();
    let config = gantry::config::Config::defaults(Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    });
    let today = chrono::NaiveDate::from_ymd_opt(2027, 4, 9).unwrap();
    let mut app = App::new(file, Origin::File, config, today);
    app.update(Action::Resize {
        width: 100,
        height: 30,
    });
    app
}

#[test]
fn status_done_in_the_form_behind_an_open_gate_says_how_to_override() {
    use gantry::app::{Mode, key, type_text};
    use ratatui::crossterm::event::KeyCode;
    let mut app = hotel_app();
    // The Gantt opens on go-live, which gate G3 guards.
    assert_eq!(
        app.gantt
            .selected_task()
            .map(|t| app.file.plan.tasks[t].id.value.clone()),
        Some("golive".to_owned())
    );
    app.update(key(KeyCode::Enter));
    let Mode::Form(form) = &app.mode else {
        panic!("Enter opens the form, not {:?}", app.mode);
    };
    let status = form
        .fields
        .iter()
        .position(|f| f.field == gantry::store::TaskField::Status)
        .unwrap();
    for _ in 0..status {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::End));
    for _ in 0.."todo".len() {
        app.update(key(KeyCode::Backspace));
    }
    type_text(&mut app, "done");
    let Mode::Form(form) = &app.mode else {
        panic!("still in the form");
    };
    let error = form.fields[status].error.clone().unwrap_or_default();
    assert!(
        error.contains("cannot be done while quality gate `G3` is open")
            && error.ends_with("(Esc, then 5 and D on gate G3 asks for the override)"),
        "{error}"
    );
}

// 13. Renaming a task others name renames what names it, in one step.

#[test]
fn renaming_a_task_in_the_form_renames_what_names_it_in_one_step() {
    use gantry::app::{Action, App, Mode, Origin, key, type_text};
    use gantry::theme::{Capabilities, ColorSupport};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let text = format!(
        "{MINIMAL}milestone = true\n\n[[person]]\nid = \"ana\"\nname = \"Ana\"\n\n\
         [[risk]]\nid = \"R1\"\ntitle = \"Broken links\"\nlikelihood = 3\nimpact = 3\ntasks = [\"import\", \"export\"]\n\n\
         [[gate]]\nid = \"G1\"\nname = \"Ready\"\nmilestone = \"switch\"\n\n\
         [[log]]\ndate = 2027-01-05\ntask = \"import\"\nperson = \"ana\"\nhours = 3\n"
    );
    let file = gantry::store::PlanFile::from_text(Path::new("plan.toml"), text.clone()).unwrap();
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    let config = gantry::config::Config::defaults(Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    });
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
    let mut app = App::new(file, Origin::File, config, today);
    app.update(Action::Resize {
        width: 100,
        height: 30,
    });
    let rename = |app: &mut App, from: &str, to: &str| {
        app.update(Action::Command(gantry::keymap::Command::First));
        while app
            .gantt
            .selected_task()
            .is_none_or(|t| app.file.plan.tasks[t].id.value != from)
        {
            app.update(key(KeyCode::Down));
        }
        app.update(key(KeyCode::Enter));
        // The id is the form's last line: Up from the first goes there.
        app.update(key(KeyCode::Up));
        app.update(Action::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::CONTROL,
        )));
        type_text(app, to);
        let Mode::Form(form) = &app.mode else {
            panic!("the form is open, not {:?}", app.mode);
        };
        assert_eq!(
            form.id.error, None,
            "renaming {from} is offered, not refused"
        );
        app.update(key(KeyCode::Enter));
        assert_eq!(app.mode, Mode::Normal);
    };
    rename(&mut app, "import", "load");
    let said = app.message.clone().unwrap().1;
    assert_eq!(
        said,
        "load: 1 field(s) changed, 3 reference(s) renamed; u undoes"
    );
    let expected = text
        .replace("id = \"import\"", "id = \"load\"")
        .replace("depends = [\"import\"]", "depends = [\"load\"]")
        .replace(
            "tasks = [\"import\", \"export\"]",
            "tasks = [\"load\", \"export\"]",
        )
        .replace("task = \"import\"", "task = \"load\"");
    assert_eq!(app.file.text(), expected);
    rename(&mut app, "switch", "live");
    assert!(app.file.text().contains("milestone = \"live\""));
    assert!(app.file.diagnostics.is_empty());
    // Each rename is one step.
    app.update(key(KeyCode::Char('u')));
    assert_eq!(app.file.text(), expected);
    app.update(key(KeyCode::Char('u')));
    assert_eq!(app.file.text(), text);
}

#[test]
fn with_the_critical_path_done_the_selection_opens_on_the_first_task_not_done() {
    use gantry::app::{App, Origin};
    use gantry::theme::{Capabilities, ColorSupport};
    let open = |text: &str| {
        let file =
            gantry::store::PlanFile::from_text(Path::new("plan.toml"), text.to_owned()).unwrap();
        let config = gantry::config::Config::defaults(Capabilities {
            color: ColorSupport::Ansi16,
            unicode: true,
        });
        let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        let app = App::new(file, Origin::File, config, today);
        app.gantt
            .selected_task()
            .map(|t| app.file.plan.tasks[t].id.value.clone())
    };
    // `long` is the critical path, and done; `short` has slack.
    let text = "[project]\nname = \"P\"\nstart = 2027-01-04\n\
        [[task]]\nid = \"long\"\nname = \"Long\"\nduration = 5\nstatus = \"done\"\nprogress = 100\n\
        [[task]]\nid = \"short\"\nname = \"Short\"\nduration = 1\n";
    assert_eq!(open(text).as_deref(), Some("short"));
    // Everything done: the first row.
    let done = text.replace(
        "duration = 1\n",
        "duration = 1\nstatus = \"done\"\nprogress = 100\n",
    );
    assert_eq!(open(&done).as_deref(), Some("long"));
    // The critical path's first task not done comes before the rows' order.
    let ahead = text.replace("status = \"done\"\nprogress = 100\n", "");
    assert_eq!(open(&ahead).as_deref(), Some("long"));
    let reordered = "[project]\nname = \"P\"\nstart = 2027-01-04\n\
        [[task]]\nid = \"short\"\nname = \"Short\"\nduration = 1\n\
        [[task]]\nid = \"long\"\nname = \"Long\"\nduration = 5\n";
    assert_eq!(open(reordered).as_deref(), Some("long"));
}
