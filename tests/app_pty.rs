#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The real binary in a pseudo-terminal: keys go in as bytes, the screen is
//! read back through a terminal emulator, and the plan file on disk is
//! compared line by line afterwards.

use std::path::Path;
use std::time::{Duration, Instant};

mod support;

use support::folder_with_plan;
use support::pty::{ESC, Session};

const HOTEL: &str = include_str!("../examples/hotel-integration.toml");
const MINIMAL: &str = include_str!("../examples/minimal.toml");

const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";
const DOWN: &str = "\x1b[B";
const HOME: &str = "\x1b[H";
const DELETE: &str = "\x1b[3~";

/// The lines that differ, as (line number, before, after); the files must
/// have the same number of lines.
fn changed_lines(before: &str, after: &str) -> Vec<(usize, String, String)> {
    assert_eq!(
        before.lines().count(),
        after.lines().count(),
        "lines were added or removed:\n{after}"
    );
    before
        .lines()
        .zip(after.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(number, (a, b))| (number + 1, a.to_owned(), b.to_owned()))
        .collect()
}

fn line_number_of(text: &str, needle: &str, after: &str) -> usize {
    let start = text.lines().position(|l| l == after).unwrap();
    start + text.lines().skip(start).position(|l| l == needle).unwrap() + 1
}

/// Selects the hotel plan's `kickoff`, the first task under the first
/// phase's row at the top (the Gantt opens on the critical path).
fn select_kickoff(session: &mut Session) {
    session.wait_for("42 tasks");
    session.send("gj");
    session.wait_for(" kickoff Kick-off workshop");
}

/// Selects the hotel plan's `iot-rollout` (status "doing", progress 70).
fn select_iot_rollout(session: &mut Session) {
    session.wait_for("42 tasks");
    // From the top (the Gantt opens on the critical path): 25 rows down,
    // past two phase headers and into a third.
    session.send("g");
    session.send(&"j".repeat(25));
    session.wait_for(" iot-rollout Install room controls");
}

#[test]
fn marking_a_task_done_and_saving_changes_one_line() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_iot_rollout(&mut session);
    session.send(ENTER);
    session.wait_for("Edit task iot-rollout");
    // Down to status; type "done" after "doing", then delete "doing" from the front.
    session.send(&DOWN.repeat(7));
    session.send("done");
    session.wait_for("status doingdone");
    session.send(HOME);
    session.send(&DELETE.repeat(5));
    session.wait_until("status done in the form", |screen| {
        screen
            .lines()
            .any(|l| l.contains("status done") && !l.contains("doingdone"))
    });
    session.send(ENTER);
    session.wait_for("[+]");
    session.wait_gone("Edit task");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    assert!(!session.screen().contains("[+]"));
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
    let saved = std::fs::read_to_string(&path).unwrap();
    let line = line_number_of(HOTEL, "status = \"doing\"", "id = \"iot-rollout\"");
    assert_eq!(
        changed_lines(HOTEL, &saved),
        vec![(
            line,
            "status = \"doing\"".to_owned(),
            "status = \"done\"".to_owned()
        )]
    );
    // Nothing left behind in the folder but the plan.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["plan.toml"]);
}

#[test]
fn space_marks_a_doing_task_done_with_its_progress() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_iot_rollout(&mut session);
    session.send(" ");
    session.wait_for("iot-rollout: done");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let saved = std::fs::read_to_string(&path).unwrap();
    let status = line_number_of(HOTEL, "status = \"doing\"", "id = \"iot-rollout\"");
    assert_eq!(
        changed_lines(HOTEL, &saved),
        vec![
            (
                status,
                "status = \"doing\"".to_owned(),
                "status = \"done\"".to_owned()
            ),
            (
                status + 1,
                "progress = 70".to_owned(),
                "progress = 100".to_owned()
            ),
        ]
    );
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send(" ");
    session.wait_for("[+]");
    session.send("q");
    session.wait_for("The plan has unsaved changes.");
    session.wait_for("d discard and quit");
    // n stays, with the changes.
    session.send("n");
    session.wait_gone("The plan has unsaved changes.");
    assert!(session.screen().contains("[+]"));
    assert!(session.running(), "n must not quit");
    // d quits without saving.
    session.send("q");
    session.wait_for("The plan has unsaved changes.");
    session.send("d");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), HOTEL);
    assert!(!dir.path().join(".plan.toml.gantry-recovery").exists());
}

#[test]
fn undo_after_delete_restores_the_task() {
    let (dir, path) = folder_with_plan(MINIMAL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("3 tasks");
    // The last task: nothing depends on it.
    session.send("G");
    session.wait_for(" switch Point the old address");
    session.send("d");
    session.wait_for("Delete task switch?");
    session.send("y");
    session.wait_for("deleted switch");
    session.wait_for("2 tasks");
    session.send("u");
    session.wait_for("3 tasks");
    session.wait_for("undone");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), MINIMAL);
}

#[test]
fn resizing_below_the_minimum_and_back() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_kickoff(&mut session);
    session.resize(10, 40);
    session.wait_for("terminal too small");
    session.wait_for("40x10: need 60x16");
    session.resize(24, 80);
    session.wait_for("42 tasks");
    session.wait_for(" kickoff Kick-off workshop");
    session.wait_gone("terminal too small");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
}

/// A key typed while the window is being resized is neither lost nor
/// held back until the next key, and the resize is not lost either: each
/// round toggles the detail panel at a new width and waits for both.
#[test]
fn a_key_typed_during_a_resize_is_answered_at_once() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_kickoff(&mut session);
    session.wait_for("slack ");
    for round in 0..60u16 {
        let cols = 100 + round;
        session.resize(24, cols);
        session.send("i");
        let details = round % 2 == 1;
        session.wait_until(
            &format!("round {round}: the detail panel {details} at {cols} columns"),
            |screen| {
                let status = screen.lines().last().unwrap_or("");
                screen.contains("slack ") == details && status.chars().count() == usize::from(cols)
            },
        );
    }
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
}

#[test]
fn hangup_keeps_unsaved_changes_for_the_next_session() {
    let (dir, path) = folder_with_plan(HOTEL);
    let recovery = dir.path().join(".plan.toml.gantry-recovery");
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_kickoff(&mut session);
    session.send(" ");
    session.wait_for("[+]");
    let killed = std::process::Command::new("kill")
        .args(["-HUP", &session.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    session.exit_code();
    assert!(
        recovery.exists(),
        "no recovery file; the screen:\n{}",
        session.screen()
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        HOTEL,
        "the plan itself is untouched"
    );
    let kept = gantry::app::recovery::read(&recovery).unwrap();
    assert_eq!(
        kept.base.as_deref(),
        Some(HOTEL),
        "it knows what it was made on"
    );
    assert_eq!(
        kept.owner,
        gantry::app::recovery::Owner::File(std::fs::canonicalize(&path).unwrap())
    );
    let kept = kept.edited;
    assert_ne!(kept, HOTEL);
    assert_eq!(
        changed_lines(HOTEL, &kept).len(),
        2,
        "kickoff: done -> todo, and its progress back to 0"
    );
    drop(session);

    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("Recovered changes");
    session.wait_for("r restore them");
    session.send("r");
    session.wait_gone("Recovered changes");
    session.wait_for("plan.toml [+]");
    assert!(!recovery.exists(), "a restored recovery file is removed");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        HOTEL,
        "restoring does not save"
    );
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), kept);
}

/// Space on `kickoff` (done, 100) in the app, then SIGTERM: what the
/// recovery file keeps.
fn edit_kickoff_and_terminate(dir: &Path) -> String {
    let mut session = Session::spawn(dir, &["plan.toml"]);
    select_kickoff(&mut session);
    session.send(" ");
    session.wait_for("[+]");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &session.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    session.exit_code();
    let recovery = gantry::app::recovery::read(&dir.join(".plan.toml.gantry-recovery"))
        .expect("a recovery file");
    assert_eq!(recovery.base.as_deref(), Some(HOTEL));
    recovery.edited
}

const UAT_DURATION: &str = "owner = \"rui\"\nduration = 5\nestimate = 20\n";

#[test]
fn recovered_changes_go_on_top_of_a_plan_changed_since() {
    let (dir, path) = folder_with_plan(HOTEL);
    let edited = edit_kickoff_and_terminate(dir.path());
    // Another tool changes another task meanwhile.
    assert_eq!(HOTEL.matches(UAT_DURATION).count(), 1);
    let on_disk = HOTEL.replacen(UAT_DURATION, &UAT_DURATION.replace("5", "6"), 1);
    std::fs::write(&path, &on_disk).unwrap();

    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("Recovered changes");
    session.wait_for("has changed on disk since");
    session.wait_for("on top of the file as it is now");
    session.send("r");
    session.wait_gone("Recovered changes");
    session.wait_for("restored your unsaved changes on top");
    session.wait_for("plan.toml [+]");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        on_disk,
        "not saved yet"
    );
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    // Both changes: the one on disk and the recovered one.
    let both = edited.replacen(UAT_DURATION, &UAT_DURATION.replace("5", "6"), 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), both);
    assert!(!dir.path().join(".plan.toml.gantry-recovery").exists());
}

#[test]
fn recovered_changes_that_conflict_with_the_disk_are_shown_and_can_be_marked() {
    let (dir, path) = folder_with_plan(HOTEL);
    let edited = edit_kickoff_and_terminate(dir.path());
    // The same field changed on disk: kickoff's progress, 100 -> 90.
    let kickoff = "estimate = 8\nstatus = \"done\"\nprogress = 100\n";
    assert_eq!(HOTEL.matches(kickoff).count(), 1);
    let on_disk = HOTEL.replacen(kickoff, &kickoff.replace("100", "90"), 1);
    std::fs::write(&path, &on_disk).unwrap();

    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("has changed on disk since");
    session.send("r");
    session.wait_for("Recovered changes conflict");
    session.wait_for("task `kickoff`, `progress`: yours 0, on disk 90");
    session.wait_for("o overwrite with mine");
    // n decides later: nothing restored, the recovery file kept.
    session.send("n");
    session.wait_gone("Recovered changes conflict");
    assert!(!session.screen().contains("[+]"));
    assert!(dir.path().join(".plan.toml.gantry-recovery").exists());
    session.send("q");
    assert_eq!(session.exit_code(), 0);

    // Offered again; this time both are kept, the conflict marked.
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("has changed on disk since");
    session.send("r");
    session.wait_for("Recovered changes conflict");
    session.send("m");
    session.wait_gone("Recovered changes conflict");
    session.wait_for("[+]");
    session.send(CTRL_S);
    session.wait_for("saved plan.toml");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.starts_with(&on_disk.replacen(
            "status = \"done\"\nprogress = 90",
            "status = \"todo\"\nprogress = 90",
            1
        )),
        "the disk's progress kept, the recovered status applied:\n{saved}"
    );
    assert!(saved.contains("[[conflict]]\nkind = \"task\"\nid = \"kickoff\"\nkey = \"progress\"\nbase = 100\nours = 90\ntheirs = 0\n"), "{saved}");
    assert_ne!(saved, edited);
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(["check", "plan.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stderr)
            .contains("unresolved merge conflict: task `kickoff`, `progress`")
    );
}

#[test]
fn the_demos_recovery_file_is_never_offered_for_a_real_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::spawn(dir.path(), &[]);
    session.wait_for("demo plan");
    session.send(" ");
    session.wait_for("[+]");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &session.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    session.exit_code();
    let demo = dir.path().join(".gantry-demo.gantry-recovery");
    let kept = gantry::app::recovery::read(&demo).unwrap();
    assert_eq!(kept.owner, gantry::app::recovery::Owner::Demo);
    assert!(!dir.path().join(".plan.toml.gantry-recovery").exists());

    // The demo again: its changes are offered back.
    let mut session = Session::spawn(dir.path(), &[]);
    session.wait_for("Recovered changes");
    session.send("d");
    session.wait_gone("Recovered changes");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    assert!(!demo.exists());

    // Once more, then a real plan appears in the folder, with the demo's
    // recovery file and one an older gantry wrote for the demo beside it.
    let mut session = Session::spawn(dir.path(), &[]);
    session.wait_for("demo plan");
    session.send(" ");
    session.wait_for("[+]");
    std::process::Command::new("kill")
        .args(["-TERM", &session.pid().to_string()])
        .status()
        .unwrap();
    session.exit_code();
    assert!(demo.exists());
    let old = dir.path().join(".plan.toml.gantry-recovery");
    std::fs::write(&old, &kept.edited).unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, MINIMAL).unwrap();

    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("3 tasks");
    session.wait_for(".plan.toml.gantry-recovery was left alone");
    assert!(!session.screen().contains("Recovered changes"));
    session.send(CTRL_S);
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), MINIMAL);
    assert!(demo.exists() && old.exists(), "both are left alone");
}

#[test]
fn terminate_without_changes_leaves_no_recovery_file() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &session.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    session.exit_code();
    assert!(!dir.path().join(".plan.toml.gantry-recovery").exists());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), HOTEL);
}

#[test]
fn terminate_gives_the_terminal_back() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &session.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    session.exit_code();
    session.assert_terminal_restored();
}

#[test]
fn a_change_on_disk_under_unsaved_edits_shows_the_conflict_banner() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send(" ");
    session.wait_for("[+]");
    let theirs = format!("{HOTEL}\n# a colleague's note\n");
    std::fs::write(&path, &theirs).unwrap();
    session.wait_for_within(
        "changed on disk, and you have unsaved changes",
        Duration::from_secs(3),
    );
    session.wait_for("o overwrite with mine");
    // Nothing was written over their file.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    // r takes theirs and drops mine.
    session.send("r");
    session.wait_for("reloaded plan.toml");
    session.wait_gone("[+]");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn a_change_on_disk_without_edits_reloads_quietly() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_kickoff(&mut session);
    let theirs = HOTEL.replace(
        "name = \"Kick-off workshop with hotel leadership\"",
        "name = \"Kick-off with the general manager\"",
    );
    assert_ne!(theirs, HOTEL);
    std::fs::write(&path, &theirs).unwrap();
    session.wait_for_within("changed on disk and was reloaded", Duration::from_secs(3));
    session.wait_for(" kickoff Kick-off with the general man");
    assert!(!session.screen().contains("[+]"));
    assert!(!session.screen().contains("unsaved changes"));
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn an_empty_folder_opens_the_demo_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::spawn(dir.path(), &[]);
    session.wait_for("demo plan");
    session.wait_for("42 tasks");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "the demo writes nothing by itself"
    );
}

#[test]
fn a_file_that_does_not_parse_is_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[project]\nname = \"Broken\"\nstart = 2027-01-04\n\n[[task]\nid = \"a\"\n";
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, text).unwrap();
    let mut session = Session::spawn(dir.path(), &["broken.toml"]);
    assert_eq!(session.exit_code(), 1);
    let screen = session.screen();
    let first = screen
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_owned();
    assert!(first.starts_with("broken.toml:5:"), "{screen}");
    assert!(first.contains(": error: "), "{screen}");
    // FILE:LINE:COL: error: MESSAGE
    let mut parts = first.splitn(4, ':');
    assert_eq!(parts.next(), Some("broken.toml"));
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{first}");
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{first}");
    assert!(parts.next().unwrap().starts_with(" error: "), "{first}");
    assert!(!screen.contains("panicked"), "{screen}");
    session.assert_terminal_restored();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "never overwritten"
    );
}

#[test]
fn no_color_shows_no_colour_but_keeps_reverse_video() {
    let (dir, _path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn_with(dir.path(), &["plan.toml"], &[("NO_COLOR", "1")]);
    select_kickoff(&mut session);
    {
        let parser = session.parser.lock().unwrap();
        let screen = parser.screen();
        let mut reversed = 0;
        for row in 0..24 {
            for col in 0..80 {
                let cell = screen.cell(row, col).unwrap();
                assert_eq!(
                    cell.fgcolor(),
                    vt100::Color::Default,
                    "foreground at ({col}, {row})"
                );
                assert_eq!(
                    cell.bgcolor(),
                    vt100::Color::Default,
                    "background at ({col}, {row})"
                );
                reversed += usize::from(cell.inverse());
            }
        }
        // The pane bar, the selected row and the status line stand out by reverse video.
        assert!(
            screen.cell(0, 2).unwrap().inverse(),
            "the pane bar is not reversed"
        );
        assert!(
            screen.cell(23, 2).unwrap().inverse(),
            "the status line is not reversed"
        );
        let selected = (0..24)
            .find(|&row| {
                screen
                    .contents_between(row, 0, row, 80)
                    .contains("Kick-off workshop w")
            })
            .unwrap();
        assert!(
            screen.cell(selected, 6).unwrap().inverse(),
            "the selected row is not reversed"
        );
        assert!(reversed > 80);
    }
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

/// The process ids of `parent`'s children.
fn children_of(parent: u32) -> Vec<u32> {
    let path = format!("/proc/{parent}/task/{parent}/children");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .map(|pid| pid.parse().unwrap())
        .collect()
}

/// Whether `pid` is still running (not gone, not a zombie).
fn is_running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(") ").next().unwrap_or("").chars().next();
            state.is_some_and(|state| state != 'Z' && state != 'X')
        }
        Err(_) => false,
    }
}

/// Waits up to `timeout` for `pid` to end; kills it if it does not.
fn ended_within(pid: u32, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if !is_running(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
    false
}

#[test]
fn closing_the_terminal_keeps_unsaved_changes() {
    // The app leads its session here, so the kernel sends it SIGHUP.
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send(" ");
    session.wait_for("[+]");
    let pid = session.pid();
    session.hang_up();
    assert!(
        ended_within(pid, Duration::from_secs(5)),
        "the app kept running without its terminal"
    );
    assert!(dir.path().join(".plan.toml.gantry-recovery").exists());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), HOTEL);
}

#[test]
fn losing_the_terminal_under_a_shell_keeps_unsaved_changes() {
    // Under `sh -c` (as tmux runs it) the shell leads the session and the
    // app is its child; losing the terminal must still end the app.
    let (dir, path) = folder_with_plan(HOTEL);
    let gantry = env!("CARGO_BIN_EXE_gantry");
    let script = format!("'{gantry}' plan.toml; true");
    let mut session = Session::spawn_program(dir.path(), "sh", &["-c", &script], &[]);
    session.wait_for("42 tasks");
    session.send(" ");
    session.wait_for("[+]");
    let app = children_of(session.pid());
    assert_eq!(app.len(), 1, "sh runs the app as its one child");
    let app = app[0];
    session.hang_up();
    let ended = ended_within(app, Duration::from_secs(5));
    assert!(
        ended,
        "the app kept running (and spinning) without its terminal"
    );
    assert!(dir.path().join(".plan.toml.gantry-recovery").exists());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), HOTEL);
}

#[test]
fn adding_a_risk_with_the_keys_appends_one_entity_and_nothing_else() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("42 tasks");
    session.send("2");
    session.wait_for("heat map");
    session.send("a");
    session.wait_for("Edit risk R9");
    // Replace the title: Ctrl-u clears the field.
    session.send("\x15");
    session.send("Elevator works block the riser");
    session.send(ENTER);
    session.wait_gone("Edit risk R9");
    session.send(CTRL_S);
    session.wait_for("saved");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let after = std::fs::read_to_string(&path).unwrap();
    let added = inserted_block(HOTEL, &after);
    let loaded = gantry::store::parse_str(&after).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(
        added.matches("[[").count(),
        1,
        "one entity appended: {added}"
    );
    assert!(
        added.contains("[[risk]]\nid = \"R9\"\ntitle = \"Elevator works block the riser\""),
        "{added}"
    );
}

#[test]
fn recording_a_checkin_with_the_keys() {
    // A plan whose status week has no check-in yet.
    let plan = HOTEL.replace("status_date = 2027-04-09", "status_date = 2027-04-16");
    assert_ne!(plan, HOTEL, "the fixture sets its status date");
    let (dir, path) = folder_with_plan(&plan);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("tasks");
    session.send("3");
    session.wait_for("Week of 2027-04-12");
    session.send("R");
    session.wait_for("recorded the check-in");
    session.send(CTRL_S);
    session.wait_for("saved");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let after = std::fs::read_to_string(&path).unwrap();
    let loaded = gantry::store::parse_str(&after).unwrap();
    let checkin = loaded
        .plan
        .checkins
        .iter()
        .find(|c| c.week.value.to_string() == "2027-04-12")
        .unwrap();
    assert!(checkin.metrics.percent_complete.is_some());
    let added = inserted_block(&plan, &after);
    assert!(
        added.starts_with("[[checkin]]\nweek = 2027-04-12\n"),
        "{added}"
    );
}

/// The lines `after` adds to `before` in one place; panics if anything else changed.
fn inserted_block(before: &str, after: &str) -> String {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    assert!(new.len() > old.len(), "nothing was added");
    let first = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let added = new.len() - old.len();
    assert_eq!(
        &new[first + added..],
        &old[first..],
        "the rest of the file changed"
    );
    new[first..first + added].join("\n")
}

#[test]
fn an_alert_leads_to_its_task() {
    let plan = "[project]\nname = \"P\"\nstart = 2027-01-04\nstatus_date = 2027-01-20\n\n\
        [[task]]\nid = \"a\"\nname = \"Wiring\"\nduration = 5\n\n\
        [[task]]\nid = \"b\"\nname = \"Vendor contract\"\nstatus = \"blocked\"\nblocked_since = 2027-01-04\n";
    let (dir, _path) = folder_with_plan(plan);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("2 tasks");
    session.send("4");
    session.wait_for("Alerts");
    session.wait_for("b");
    // The blocked-task alert is the only one about a task: find and follow it.
    session.send(ENTER);
    session.wait_for("zoom:");
    session.wait_for("b Vendor contract");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn report_and_export_from_the_command_line_say_where_they_wrote() {
    let (dir, path) = folder_with_plan(HOTEL);
    let before = std::fs::read_to_string(&path).unwrap();
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("plan.toml");
    session.send(":report weekly.html");
    session.send(ENTER);
    session.wait_for("wrote the HTML report for the week of 2027-04-05");
    session.send(":export ics dates.ics");
    session.send(ENTER);
    session.wait_for("wrote the ics export to");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
    let page = std::fs::read_to_string(dir.path().join("weekly.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    let calendar = std::fs::read_to_string(dir.path().join("dates.ics")).unwrap();
    assert!(calendar.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

/// What `Space` makes of each status.
fn cycled(status: gantry::model::TaskStatus) -> gantry::model::TaskStatus {
    use gantry::model::TaskStatus;
    match status {
        TaskStatus::Todo => TaskStatus::Doing,
        TaskStatus::Doing => TaskStatus::Done,
        TaskStatus::Done | TaskStatus::Blocked => TaskStatus::Todo,
    }
}

/// Opens a large plan, types an edit and saves before the editable
/// document can be ready (its parse is slowed down by 1.5 s), then checks
/// that the edit is in the file exactly once and nothing else changed.
fn edit_before_the_document_is_ready(delay: &str, expect_message: bool) {
    let text = gen_plan::generate(&gen_plan::Options::new(5_000));
    let (dir, path) = folder_with_plan(&text);
    let before = gantry::store::parse_str(&text).unwrap().plan;
    let mut session = Session::spawn_with(
        dir.path(),
        &["plan.toml"],
        &[("GANTRY_TEST_DOCUMENT_DELAY_MS", delay)],
    );
    session.wait_for_within("5000 tasks", Duration::from_secs(60));
    // The first task, under the first phase's row: a task whose status
    // cycles without adding a line (the Gantt opens on the critical path).
    session.send("gj");
    session.send(" ");
    if expect_message {
        session.wait_for("getting the plan ready for editing");
    }
    session.send(CTRL_S);
    session.wait_for_within("saved plan.toml", Duration::from_secs(60));
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let saved = std::fs::read_to_string(&path).unwrap();
    let after = gantry::store::parse_str(&saved).unwrap().plan;
    let changed: Vec<usize> = (0..before.tasks.len())
        .filter(|&index| before.tasks[index] != after.tasks[index])
        .collect();
    assert_eq!(changed.len(), 1, "tasks changed: {changed:?}");
    let task = changed[0];
    assert_eq!(after.tasks[task].status, cycled(before.tasks[task].status));
    let lines = changed_lines(&text, &saved);
    assert!(!lines.is_empty() && lines.len() <= 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|(_, old, _)| old.starts_with("status") || old.starts_with("progress")),
        "{lines:?}"
    );
}

#[test]
fn an_edit_typed_before_the_document_is_ready_is_saved_once() {
    edit_before_the_document_is_ready("1500", true);
}

#[test]
fn an_edit_typed_right_after_opening_a_large_plan_is_saved_once() {
    edit_before_the_document_is_ready("0", false);
}

#[test]
fn a_plan_deleted_under_unsaved_edits_is_asked_about_not_recreated() {
    let (dir, path) = folder_with_plan(HOTEL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    select_kickoff(&mut session);
    session.send(" ");
    session.wait_for("[+]");
    std::fs::remove_file(&path).unwrap();
    session.send(CTRL_S);
    session.wait_for("plan.toml was deleted on disk, and you have unsaved changes.");
    session.wait_for("s save it again   a save as   Esc cancel");
    assert!(!path.exists(), "Ctrl-s alone does not bring the file back");
    // Esc keeps the changes and the file stays deleted.
    session.send(ESC);
    session.wait_for("the file stays deleted");
    assert!(session.screen().contains("[+]"));
    assert!(!path.exists());
    // Asked again on the next save; s writes it again, with the change.
    session.send(CTRL_S);
    session.wait_for("was deleted on disk");
    session.send("s");
    session.wait_for("saved plan.toml again, with your changes");
    session.wait_gone("[+]");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
    let saved = std::fs::read_to_string(&path).unwrap();
    let changed: Vec<String> = changed_lines(HOTEL, &saved)
        .into_iter()
        .map(|(_, _, new)| new)
        .collect();
    // Space took the selected task (kickoff, done) back to todo: its
    // status and its progress, and nothing else.
    assert_eq!(changed, ["status = \"todo\"", "progress = 0"], "{saved}");
}

#[test]
fn a_plan_replaced_by_a_fifo_does_not_hang_the_app() {
    let (dir, path) = folder_with_plan(MINIMAL);
    let mut session = Session::spawn(dir.path(), &["plan.toml"]);
    session.wait_for("tasks");
    std::fs::remove_file(&path).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    // The app looks at its file once a second: give it two looks, then it
    // must still answer keys (reading the FIFO would wait forever).
    std::thread::sleep(Duration::from_millis(2500));
    session.send("?");
    session.wait_for("Ctrl-s");
    session.send(ESC);
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo failed");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_the_recovery_file_is_reported_not_waited_on() {
    let (dir, path) = folder_with_plan(MINIMAL);
    let recovery = dir.path().join(".plan.toml.gantry-recovery");
    mkfifo(&recovery);
    let mut session = Session::spawn(dir.path(), &[path.to_str().unwrap()]);
    session.wait_for("Export pages from the old wiki");
    session.wait_for(".plan.toml.gantry-recovery was l");
    // Wide enough for the whole message on the status line.
    session.resize(24, 240);
    session.wait_for(
        ".plan.toml.gantry-recovery was left alone: it is a FIFO (named pipe), not a regular file, so it was not read",
    );
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_terminal_restored();
    // Left as it was: still a FIFO, and the plan untouched.
    use std::os::unix::fs::FileTypeExt;
    assert!(fs_type_is_fifo(&recovery));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), MINIMAL);

    fn fs_type_is_fifo(path: &Path) -> bool {
        std::fs::symlink_metadata(path)
            .map(|metadata| metadata.file_type().is_fifo())
            .unwrap_or(false)
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_named_as_the_config_is_reported_not_waited_on() {
    let (dir, path) = folder_with_plan(MINIMAL);
    let config = dir.path().join("c");
    mkfifo(&config);
    for named in [config.to_str().unwrap(), "/dev/zero"] {
        let mut session = Session::spawn_with(
            dir.path(),
            &[path.to_str().unwrap()],
            &[("GANTRY_CONFIG", named)],
        );
        session.wait_for("Export pages from the old wiki");
        session.wait_for("cannot read");
        session.resize(24, 240);
        session.wait_for(&format!("cannot read {named}: it is a"));
        session.send("q");
        assert_eq!(session.exit_code(), 0);
        session.assert_terminal_restored();
    }
}
