//! The real binary in a pseudo-terminal: keys go in as bytes and the
//! screen is read back through a terminal emulator.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long a test waits for the screen before it fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// After Esc, so the next key is not read as Alt+key.
pub const ESC_PAUSE: Duration = Duration::from_millis(150);

pub const ESC: &str = "\x1b";

pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Both ends of the terminal we hold; `None` once hung up.
    writer: Option<Box<dyn Write + Send>>,
    master: Option<Box<dyn MasterPty + Send>>,
    /// Tells the reader thread to stop after its next read.
    stop_reading: Arc<AtomicBool>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

impl Session {
    /// Runs `gantry ARGS` in `dir` on an 80x24 terminal.
    pub fn spawn(dir: &Path, args: &[&str]) -> Session {
        Session::spawn_with(dir, args, &[])
    }

    /// `spawn` with extra environment variables.
    pub fn spawn_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::spawn_program(dir, env!("CARGO_BIN_EXE_gantry"), args, env)
    }

    /// Runs `gantry ARGS` in `dir` on a `cols`x24 terminal.
    pub fn spawn_sized(dir: &Path, args: &[&str], cols: u16, env: &[(&str, &str)]) -> Session {
        Session::spawn_program_sized(dir, env!("CARGO_BIN_EXE_gantry"), args, cols, env)
    }

    /// Runs `program ARGS` in `dir` on an 80x24 terminal.
    pub fn spawn_program(
        dir: &Path,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Session {
        Session::spawn_program_sized(dir, program, args, 80, env)
    }

    /// Runs `program ARGS` in `dir` on a `cols`x24 terminal.
    pub fn spawn_program_sized(
        dir: &Path,
        program: &str,
        args: &[&str],
        cols: u16,
        env: &[(&str, &str)],
    ) -> Session {
        let pair = native_pty_system().openpty(size(24, cols)).unwrap();
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.cwd(dir);
        command.env("TERM", "xterm-256color");
        command.env("LANG", "C.UTF-8");
        // A developer's own settings must not change what the tests see.
        command.env("GANTRY_CONFIG", "/nonexistent");
        for name in ["NO_COLOR", "COLORTERM", "LC_ALL", "LC_CTYPE"] {
            command.env_remove(name);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).unwrap();
        // Only the child holds the slave end, so reads end when it exits.
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(24),
            nonzero(cols),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let screen = Arc::clone(&parser);
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => screen.lock().unwrap().process(&buffer[..n]),
                }
                if stop.load(Ordering::Relaxed) {
                    break;
                }
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Session {
            parser,
            writer: Some(writer),
            master: Some(pair.master),
            stop_reading,
            child,
            reader: Some(reader),
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `check` holds for the screen; fails with the screen shown.
    pub fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) {
        self.wait_until_within(what, TIMEOUT, check);
    }

    /// `wait_until`, giving up after `timeout`.
    pub fn wait_until_within(&self, what: &str, timeout: Duration, check: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if check(&screen) {
                return;
            }
            if start.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {what}; the screen:\n{screen}\n");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_for_within(text, TIMEOUT);
    }

    pub fn wait_for_within(&self, text: &str, timeout: Duration) {
        self.wait_until_within(&format!("{text:?}"), timeout, |screen| {
            screen.contains(text)
        });
    }

    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go"), |screen| !screen.contains(text));
    }

    pub fn send(&mut self, keys: &str) {
        let writer = self.writer.as_mut().expect("the terminal is still there");
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
        if keys.ends_with(ESC) {
            std::thread::sleep(ESC_PAUSE);
        }
    }

    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        let master = self.master.as_ref().expect("the terminal is still there");
        master.resize(size(rows, cols)).unwrap();
    }

    pub fn find(&self, text: &str) -> Option<(u16, u16)> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        for row in 0..rows.get() {
            let line: String = (0..cols.get())
                .map(|col| {
                    screen
                        .cell(row, col)
                        .map(|cell| cell.contents().chars().next().unwrap_or(' '))
                        .unwrap_or(' ')
                })
                .collect();
            if let Some(byte) = line.find(text) {
                return Some((row, line[..byte].chars().count() as u16));
            }
        }
        None
    }

    pub fn inverse_at(&self, row: u16, col: u16) -> bool {
        let parser = self.parser.lock().unwrap();
        parser
            .screen()
            .cell(row, col)
            .is_some_and(|cell| cell.inverse())
    }

    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub fn terminate(&mut self) {
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &self.child.process_id().unwrap().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        self.exit_code();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    /// Waits for the process to end and for the last of its output.
    pub fn exit_code(&mut self) -> u32 {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                panic!("the app did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(25));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        status.exit_code()
    }

    /// Closes our end of the terminal, as a dropped SSH connection or a
    /// closed terminal window does.
    pub fn hang_up(&mut self) {
        self.stop_reading.store(true, Ordering::Relaxed);
        // A key that redraws the screen wakes the reader so that it stops.
        self.send("j");
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.writer = None;
        self.master = None;
    }

    /// After the app ends, the terminal is back to normal.
    pub fn assert_terminal_restored(&self) {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
