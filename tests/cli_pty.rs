#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Commands whose output is a terminal fit their tables to its width:
//! the real binary in a pseudo-terminal of a chosen size.

use std::io::Read;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const PLAN: &str = "[project]\nname = \"Hotel\"\nstart = 2027-01-04\n\n[[task]]\nid = \"access-transfer-to-operations\"\nname = \"Hand the access cards and the master keys over to the hotel operations team\"\nduration = 3\n";

/// What `gantry ARGS` prints on a terminal `cols` columns wide, as the
/// terminal shows it.
fn run_on_terminal(cols: u16, args: &[&str]) -> Vec<String> {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("plan.toml"), PLAN).unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_gantry"));
    command.args(args);
    command.cwd(folder.path());
    command.env("TERM", "xterm-256color");
    command.env("LANG", "C.UTF-8");
    command.env_remove("COLUMNS");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = reader.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(10), "gantry hangs");
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(pair.master);
    let bytes = reading.join().unwrap();
    let nonzero = |n: u16| std::num::NonZeroU16::new(n).unwrap();
    let mut parser = vt100::Parser::new(nonzero(24), nonzero(cols), 0);
    parser.process(&bytes);
    parser
        .screen()
        .contents()
        .lines()
        .map(|line| line.trim_end().to_owned())
        .collect()
}

#[test]
fn a_table_on_a_terminal_takes_its_width_and_keeps_ids_whole() {
    let narrow = run_on_terminal(80, &["schedule", "plan.toml"]);
    assert!(
        narrow.contains(
            &"access-transfer-to-operations  ! Hand the access…  2027-01-04  2027-01-06      0"
                .to_owned()
        ),
        "{narrow:#?}"
    );
    let wide = run_on_terminal(160, &["schedule", "plan.toml"]);
    assert!(
        wide.contains(&"access-transfer-to-operations  ! Hand the access cards and the master keys over to the hotel operations team  2027-01-04  2027-01-06      0".to_owned()),
        "{wide:#?}"
    );
}
