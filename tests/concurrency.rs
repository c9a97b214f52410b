//! Two writers at once never lose an edit: saves take the lock on the
//! plan's folder,
//! and a command whose plan changed under it makes its change again on the
//! new text, or is refused (exit 1) saying so.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use gantry::store::{Edit, PlanFile, SaveError, TaskField};

const PLAN: &str = "# A plan two people edit at once.\n[project]\nname = \"Shared\"\nstart = 2027-01-04\n\n[[task]]\nid = \"alpha\"\nname = \"Alpha\"\nduration = 3\nprogress = 0  # Ana\n\n[[task]]\nid = \"beta\"\nname = \"Beta\"\nduration = 2\nprogress = 0  # Rui\n\n[[task]]\nid = \"gamma\"\nname = \"Gamma\"\ndepends = [\"alpha\", \"beta\"]\n";

/// A small deterministic generator, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn plan_in(folder: &Path) -> PathBuf {
    let path = folder.join("plan.toml");
    fs::write(&path, PLAN).unwrap();
    path
}

fn task_set(path: &Path, task: &str, assignment: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(["task", "set"])
        .arg(path)
        .args([task, assignment])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn progress(text: &str, task: &str) -> u8 {
    let loaded = gantry::store::parse_str(text).expect("the plan parses");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.plan.task(task).unwrap().progress
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Only the plan: no temporary file left over, and no lock file.
fn assert_only_plan(folder: &Path) {
    assert_eq!(names_in(folder), ["plan.toml"]);
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_hundred_pairs_of_concurrent_task_sets_lose_no_edit() {
    let folder = tempfile::tempdir().unwrap();
    let path = plan_in(folder.path());
    let mut random = XorShift(0x2545_F491_4F6C_DD1D);
    let (mut alpha, mut beta) = (0u8, 0u8);
    let mut refused = 0;
    for round in 0..100u64 {
        let value_a = (round % 100 + 1) as u8;
        let value_b = ((round * 37) % 100 + 1) as u8;
        // Started a moment apart, in either order, so the two meet at
        // every step of reading, checking and renaming.
        let delay = Duration::from_micros(random.next() % 4_000);
        let a_first = random.next().is_multiple_of(2);
        let (first, second) = if a_first {
            (("alpha", value_a), ("beta", value_b))
        } else {
            (("beta", value_b), ("alpha", value_a))
        };
        let one = task_set(&path, first.0, &format!("progress={}", first.1));
        std::thread::sleep(delay);
        let two = task_set(&path, second.0, &format!("progress={}", second.1));
        let outputs = [
            (first, one.wait_with_output().unwrap()),
            (second, two.wait_with_output().unwrap()),
        ];
        let text = fs::read_to_string(&path).unwrap();
        for ((task, value), output) in &outputs {
            match output.status.code() {
                Some(0) => {
                    assert_eq!(
                        progress(&text, task),
                        *value,
                        "round {round}: `{task}` progress={value} exited 0 but is not in the file:\n{text}"
                    );
                    if *task == "alpha" {
                        alpha = *value;
                    } else {
                        beta = *value;
                    }
                }
                Some(1) => {
                    let message = stderr(output);
                    assert!(
                        message.contains(&path.display().to_string())
                            && message.contains("nothing was written"),
                        "round {round}: a refusal names the file and says nothing was written: {message}"
                    );
                    refused += 1;
                }
                other => panic!("round {round}: exit {other:?}: {}", stderr(output)),
            }
        }
        // The refused ones changed nothing: each task has its last
        // accepted value.
        assert_eq!(progress(&text, "alpha"), alpha, "round {round}");
        assert_eq!(progress(&text, "beta"), beta, "round {round}");
        // Everything else is as it was, comments too.
        assert_eq!(
            text.replace(&format!("progress = {alpha}  # Ana"), "progress = 0  # Ana")
                .replace(&format!("progress = {beta}  # Rui"), "progress = 0  # Rui"),
            PLAN,
            "round {round}"
        );
    }
    assert_only_plan(folder.path());
    // Each of these edits applies to the other's text: none should need
    // refusing.
    assert_eq!(refused, 0);
}

/// Holds the lock on the plan's folder as another writer would.
fn hold_lock(folder: &Path) -> fs::File {
    let lock = fs::File::open(folder).unwrap();
    lock.lock().unwrap();
    lock
}

#[test]
fn a_writer_waits_for_the_lock_then_saves() {
    let folder = tempfile::tempdir().unwrap();
    let path = plan_in(folder.path());
    let lock = hold_lock(folder.path());
    let child = task_set(&path, "alpha", "progress=30");
    // Well within the wait: the command is still waiting, the file untouched.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(fs::read_to_string(&path).unwrap(), PLAN);
    drop(lock);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(progress(&fs::read_to_string(&path).unwrap(), "alpha"), 30);
}

#[test]
fn a_writer_that_cannot_get_the_lock_is_refused_naming_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = plan_in(folder.path());
    let _lock = hold_lock(folder.path());
    let output = task_set(&path, "alpha", "progress=30")
        .wait_with_output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "{} is being saved by another program, which has held its lock on {} for over 2.5 s; nothing was written",
            path.display(),
            folder.path().display()
        )),
        "{message}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), PLAN);
}

fn set_progress(file: &mut PlanFile, task: &str, progress: i64) -> Edit {
    let edit = Edit::SetTask {
        task: task.to_owned(),
        field: TaskField::Progress,
        value: Some(progress.into()),
    };
    file.apply(edit.clone()).unwrap();
    edit
}

#[test]
fn a_change_made_again_on_the_new_text_keeps_both() {
    let folder = tempfile::tempdir().unwrap();
    let path = plan_in(folder.path());
    let mut mine = PlanFile::open(&path).unwrap();
    let edit = set_progress(&mut mine, "alpha", 40);
    // Someone else saves first.
    let mut theirs = PlanFile::open(&path).unwrap();
    set_progress(&mut theirs, "beta", 70);
    theirs.save().unwrap();
    mine.save_redoing(|file| file.apply(edit).map(|_| ()))
        .unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(progress(&text, "alpha"), 40);
    assert_eq!(progress(&text, "beta"), 70);
    assert_eq!(mine.on_disk(), text);
    assert!(!mine.is_modified());
}

#[test]
fn a_change_that_no_longer_applies_is_refused_and_nothing_is_written() {
    let folder = tempfile::tempdir().unwrap();
    let path = plan_in(folder.path());
    let mut mine = PlanFile::open(&path).unwrap();
    let edit = set_progress(&mut mine, "alpha", 40);
    // Meanwhile alpha is renamed away.
    let theirs = PLAN
        .replace("id = \"alpha\"", "id = \"first\"")
        .replace("[\"alpha\", ", "[\"first\", ");
    fs::write(&path, &theirs).unwrap();
    let error = mine
        .save_redoing(|file| file.apply(edit).map(|_| ()))
        .unwrap_err();
    assert!(matches!(error, SaveError::Stale { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "{} changed on disk while this change was made, and the change cannot be made on the new text: there is no task with id `alpha`",
            path.display()
        )),
        "{message}"
    );
    assert!(message.ends_with("nothing was written"), "{message}");
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn the_app_saving_while_commands_write_never_drops_either_edit() {
    use chrono::NaiveDate;
    use gantry::app::{App, Confirm, Mode, Origin};
    use gantry::config::Config;
    use gantry::theme::{Capabilities, ColorSupport};

    let folder = tempfile::tempdir().unwrap();
    let path = plan_in(folder.path());
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let (mut saved, mut conflicts) = (0, 0);
    for round in 0..30u8 {
        let file = PlanFile::open(&path).unwrap();
        let config = Config::defaults(Capabilities {
            color: ColorSupport::Ansi16,
            unicode: true,
        });
        let today = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let mut app = App::new(file, Origin::File, config, today);
        // The app holds an edit of alpha; a command sets beta meanwhile.
        let mine = round + 1;
        set_progress(&mut app.file, "alpha", i64::from(mine));
        let theirs = 100 - round;
        let command = task_set(&path, "beta", &format!("progress={theirs}"));
        std::thread::sleep(Duration::from_micros(random.next() % 6_000));
        app.save();
        let output = command.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = fs::read_to_string(&path).unwrap();
        // The command's edit always lands: on the text as read, or made
        // again on the app's.
        assert_eq!(progress(&text, "beta"), theirs, "round {round}");
        if app.mode == Mode::Confirm(Confirm::Conflict) {
            // The command saved first: the app asks instead of writing over it.
            conflicts += 1;
            assert_ne!(progress(&text, "alpha"), mine, "round {round}");
        } else {
            // The app saved first, and the command made its change on that.
            saved += 1;
            assert_eq!(progress(&text, "alpha"), mine, "round {round}: {text}");
        }
    }
    assert_eq!(saved + conflicts, 30);
    assert_only_plan(folder.path());
}

fn gantry(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn saves_of_every_kind_leave_nothing_new_in_the_folder() {
    use chrono::NaiveDate;
    use gantry::app::{App, Origin};
    use gantry::config::Config;
    use gantry::theme::{Capabilities, ColorSupport};

    let folder = tempfile::tempdir().unwrap();
    let path = plan_in(folder.path());
    // A command's save.
    let output = task_set(&path, "alpha", "progress=10")
        .wait_with_output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_only_plan(folder.path());
    // The app's save.
    let mut file = PlanFile::open(&path).unwrap();
    set_progress(&mut file, "beta", 20);
    let config = Config::defaults(Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    });
    let today = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let mut app = App::new(file, Origin::File, config, today);
    app.save();
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(progress(&text, "beta"), 20, "{text}");
    assert_only_plan(folder.path());

    // An import, new and over an existing file.
    let csv = folder.path().join("tasks.csv");
    let output = gantry(&[
        "export".as_ref(),
        "--to".as_ref(),
        "csv".as_ref(),
        path.as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    fs::write(&csv, &output.stdout).unwrap();
    let imported = folder.path().join("imported.toml");
    for force in [false, true] {
        let mut args = vec![
            "import".as_ref(),
            csv.as_os_str(),
            "-o".as_ref(),
            imported.as_os_str(),
        ];
        if force {
            args.push("--force".as_ref());
        }
        let output = gantry(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(
            names_in(folder.path()),
            ["imported.toml", "plan.toml", "tasks.csv"]
        );
    }

    // A merge, as git's merge driver runs it over its temporary files.
    let merging = tempfile::tempdir().unwrap();
    let base = merging.path().join("base.toml");
    let ours = merging.path().join("ours.toml");
    let theirs = merging.path().join("theirs.toml");
    fs::write(&base, PLAN).unwrap();
    fs::write(
        &ours,
        PLAN.replace("progress = 0  # Ana", "progress = 10  # Ana"),
    )
    .unwrap();
    fs::write(
        &theirs,
        PLAN.replace("progress = 0  # Rui", "progress = 20  # Rui"),
    )
    .unwrap();
    let output = gantry(&[
        "merge".as_ref(),
        base.as_os_str(),
        ours.as_os_str(),
        theirs.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let merged = fs::read_to_string(&ours).unwrap();
    assert_eq!(
        (progress(&merged, "alpha"), progress(&merged, "beta")),
        (10, 20)
    );
    assert_eq!(
        names_in(merging.path()),
        ["base.toml", "ours.toml", "theirs.toml"]
    );
}

#[test]
fn merge_and_import_wait_for_a_save_under_way() {
    let folder = tempfile::tempdir().unwrap();
    let base = folder.path().join("base.toml");
    let ours = folder.path().join("ours.toml");
    let theirs = folder.path().join("theirs.toml");
    fs::write(&base, PLAN).unwrap();
    fs::write(
        &ours,
        PLAN.replace("progress = 0  # Ana", "progress = 10  # Ana"),
    )
    .unwrap();
    fs::write(
        &theirs,
        PLAN.replace("progress = 0  # Rui", "progress = 20  # Rui"),
    )
    .unwrap();
    let csv = folder.path().join("tasks.csv");
    let output = gantry(&[
        "export".as_ref(),
        "--to".as_ref(),
        "csv".as_ref(),
        base.as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    fs::write(&csv, &output.stdout).unwrap();
    let lock = hold_lock(folder.path());
    let output = gantry(&[
        "merge".as_ref(),
        base.as_os_str(),
        ours.as_os_str(),
        theirs.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "{} is being saved by another program, which has held its lock on {}",
            ours.display(),
            folder.path().display()
        )),
        "{}",
        stderr(&output)
    );
    let output = gantry(&[
        "import".as_ref(),
        csv.as_os_str(),
        "-o".as_ref(),
        ours.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with(&format!(
            "gantry: {} is being saved by another program",
            ours.display()
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read_to_string(&ours).unwrap(),
        PLAN.replace("progress = 0  # Ana", "progress = 10  # Ana")
    );
    drop(lock);
    let output = gantry(&[
        "merge".as_ref(),
        base.as_os_str(),
        ours.as_os_str(),
        theirs.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        names_in(folder.path()),
        ["base.toml", "ours.toml", "tasks.csv", "theirs.toml"]
    );
}
