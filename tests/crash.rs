//! `kill -9` in the middle of a save leaves the old plan or the new one,
//! whole, and no partial temporary file.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A plan big enough (about 500 kB) that writing it takes a measurable moment.
fn big_plan() -> String {
    let mut text =
        String::from("# A big plan\n[project]\nname = \"Crash test\"\nstart = 2027-01-04\n\n");
    for index in 0..5_000 {
        text.push_str(&format!(
            "[[task]]\nid = \"t{index}\"\nname = \"Task number {index} with a longer name to make the file big\"\nduration = {}\nprogress = 0\n\n",
            index % 7 + 1
        ));
    }
    text
}

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

#[test]
fn a_save_killed_at_any_moment_leaves_a_whole_plan() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    let old = big_plan();
    let at = old.rfind("progress = 0").unwrap();
    let new = format!(
        "{}progress = 60{}",
        &old[..at],
        &old[at + "progress = 0".len()..]
    );
    let binary = env!("CARGO_BIN_EXE_gantry");
    let save = || {
        Command::new(binary)
            .args(["task", "set"])
            .arg(&path)
            .args(["t4999", "progress=60"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };

    // How long an uninterrupted save takes, to spread the kills over it.
    fs::write(&path, &old).unwrap();
    let started = Instant::now();
    assert!(save().wait().unwrap().success());
    let full = started.elapsed();
    assert_eq!(fs::read_to_string(&path).unwrap(), new);

    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let (mut saw_old, mut saw_new, mut left_behind) = (0, 0, 0);
    for _ in 0..120 {
        fs::write(&path, &old).unwrap();
        let mut child = save();
        // Most kills land late, where the temporary file is written and
        // renamed; the rest anywhere in the run.
        let full_micros = full.as_micros() as u64 + 1;
        let micros = if random.next().is_multiple_of(4) {
            random.next() % full_micros
        } else {
            full_micros / 2 + random.next() % (full_micros * 6 / 10)
        };
        let delay = Duration::from_micros(micros);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        // On Linux the new text is written into a nameless file, which
        // gets a name only once whole: a kill can leave a temporary file
        // only in the instant between naming it and the rename, and then
        // a whole one.
        for entry in fs::read_dir(folder.path()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name == "plan.toml" {
                continue;
            }
            assert!(
                name.starts_with(".plan.toml.gantry-") && name.ends_with(".tmp"),
                "a kill at {delay:?} left {name}"
            );
            left_behind += 1;
            if cfg!(target_os = "linux") {
                let temporary = fs::read_to_string(folder.path().join(&name)).unwrap();
                assert!(
                    temporary == new,
                    "a kill at {delay:?} left {name} with {} of the {} bytes",
                    temporary.len(),
                    new.len()
                );
            }
        }
        let text = fs::read_to_string(&path).unwrap();
        if text == old {
            saw_old += 1;
        } else if text == new {
            saw_new += 1;
        } else {
            panic!(
                "after a kill at {delay:?} the plan is neither the old nor the new one ({} bytes)",
                text.len()
            );
        }
    }
    assert_eq!(saw_old + saw_new, 120);
    assert!(
        saw_old > 0 && saw_new > 0,
        "kills should land both before and after the rename: old {saw_old}, new {saw_new}"
    );

    // A temporary file left by a kill is removed by the next save.
    fs::write(&path, &old).unwrap();
    assert!(save().wait().unwrap().success());
    let names: Vec<String> = fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["plan.toml"],
        "old {saw_old}, new {saw_new}, temporary files left by kills {left_behind}"
    );
}

fn names_in(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn check(path: &std::path::Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_gantry"))
        .arg("check")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

const SMALL: &str =
    "[project]\nname = \"Tidy\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"\n";

#[test]
fn check_removes_what_killed_saves_left_and_nothing_else() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, SMALL).unwrap();
    let write = |name: &str| {
        let file = folder.path().join(name);
        fs::write(&file, SMALL).unwrap();
        file
    };
    // Left by saves of processes that are gone.
    write(".plan.toml.gantry-4000000000-abc123.tmp");
    write(".plan.toml.gantry-4000000001-1a2b3c4d.tmp");
    // A live process's file (this one's), fresh: perhaps a save under way.
    let live = format!(".plan.toml.gantry-{}-Qx9z.tmp", std::process::id());
    write(&live);
    // A live process's file long past any save: its id was reused.
    let stale = write(&format!(
        ".plan.toml.gantry-{}-old1.tmp",
        std::process::id()
    ));
    let long_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    // Not ours to remove: another plan's, and names that only look alike.
    let others = [
        ".other.toml.gantry-4000000000-abc123.tmp",
        ".plan.toml.gantry-recovery",
        ".plan.toml.gantry-4000000000-abc123.tmp.keep",
        ".plan.toml.gantry-40x0-abc123.tmp",
        ".plan.toml.gantry-4000000000-.tmp",
        "plan.toml.gantry-4000000000-abc123.tmp",
    ];
    for name in others {
        write(name);
    }
    check(&path);
    let mut expected: Vec<String> = others.iter().map(|name| name.to_string()).collect();
    expected.extend([live, "plan.toml".to_owned()]);
    expected.sort();
    assert_eq!(names_in(folder.path()), expected);
    assert_eq!(fs::read_to_string(&path).unwrap(), SMALL);
}

#[test]
fn check_leaves_the_files_of_a_save_under_way() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("plan.toml");
    fs::write(&path, SMALL).unwrap();
    let abandoned = folder
        .path()
        .join(".plan.toml.gantry-4000000000-abc123.tmp");
    fs::write(&abandoned, SMALL).unwrap();
    // Someone holds the lock on the plan's folder: a save is under way.
    let lock = fs::File::open(folder.path()).unwrap();
    lock.lock().unwrap();
    check(&path);
    assert!(abandoned.exists());
    drop(lock);
    check(&path);
    assert!(!abandoned.exists());
    // Nothing to tidy: check writes nothing, not even a lock file.
    let clean = tempfile::tempdir().unwrap();
    let plan = clean.path().join("plan.toml");
    fs::write(&plan, SMALL).unwrap();
    check(&plan);
    assert_eq!(names_in(clean.path()), ["plan.toml"]);
}
