//! The event loop: terminal events, a once-a-second look at the file, and
//! the signals that end a session.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::crossterm::{execute, terminal};
use ratatui::{DefaultTerminal, Frame};

use super::{Action, App, Origin};

/// Why the loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// SIGHUP, SIGTERM or a lost terminal; where unsaved changes were kept, if any.
    Signal {
        recovery: Option<std::path::PathBuf>,
    },
}

/// The app, shared between the event loop and the signal thread. The loop
/// holds the lock only while it updates or draws, never while it waits for
/// a key, so a signal is answered even when the terminal read is stuck.
type Shared = Arc<Mutex<App>>;

/// Gives the terminal back: raw mode off, the main screen, the cursor shown.
/// The terminal may be gone (a dropped SSH session): every step is tried
/// and failures are ignored, never printed, since printing to a lost
/// terminal panics in `eprintln!`.
fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        event::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

/// A line on standard error that is dropped, not a panic, when the
/// terminal is gone.
fn note(line: &str) {
    use io::Write as _;
    let _ = writeln!(io::stderr(), "{line}");
}

/// Restores the terminal before the panic is reported. (ratatui's own hook
/// prints when restoring fails, and a panic inside a panic hook aborts the
/// process before unsaved changes can be kept.)
fn set_panic_hook() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        report(info);
    }));
}

/// Raw mode and the alternate screen, and a terminal to draw on.
fn init_terminal() -> io::Result<DefaultTerminal> {
    set_panic_hook();
    terminal::enable_raw_mode()?;
    execute!(io::stdout(), terminal::EnterAlternateScreen)?;
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))
}

fn lock(shared: &Mutex<App>) -> MutexGuard<'_, App> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Answers SIGHUP and SIGTERM on a thread of its own: unsaved changes go
/// to the recovery file, the terminal is given back (when there still is
/// one), and the process ends. The main thread may be anywhere, even stuck
/// reading a terminal that has gone away (crossterm spins on a dead
/// terminal), so it is not asked to help.
fn watch_signals(shared: Shared) -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM])?;
        std::thread::Builder::new()
            .name("signals".to_owned())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends, so no frame is drawn
                    // over the restored terminal.
                    let app = lock(&shared);
                    let kept = app.write_recovery();
                    // With SIGTERM the terminal is still there; after SIGHUP it
                    // may be too (`kill -HUP`), and writing to a lost one fails fast.
                    restore_terminal();
                    if let Some(path) = kept {
                        note(&kept_message(&path));
                    }
                    std::process::exit(if signal == SIGTERM { 143 } else { 129 });
                }
            })?;
    }
    #[cfg(not(unix))]
    let _ = shared;
    Ok(())
}

/// The file's size and modification time, to notice changes cheaply.
fn stamp(path: &std::path::Path) -> Option<(u64, SystemTime)> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.len(), metadata.modified().ok()?))
}

/// How a frame of the app is drawn (`ui::render`); the loop is given it,
/// so the app knows nothing of drawing.
pub type Draw = fn(&mut Frame, &App);

/// Draws, waits for an event, updates; and once a second looks at the file.
fn event_loop(shared: &Mutex<App>, terminal: &mut DefaultTerminal, draw: Draw) -> io::Result<Exit> {
    let size = terminal.size()?;
    let path = {
        let mut app = lock(shared);
        app.update(Action::Resize {
            width: size.width,
            height: size.height,
        });
        app.file.path.clone()
    };
    let mut last_stamp = stamp(&path);
    let mut last_look = Instant::now();
    loop {
        let waiting = {
            let app = lock(shared);
            if app.quit {
                return Ok(Exit::Quit);
            }
            terminal.draw(|frame| draw(frame, &app))?;
            app.is_waiting() || app.waits_for_document()
        };
        let lost = || Exit::Signal {
            recovery: lock(shared).write_recovery(),
        };
        // Actions waiting for the editable document are applied as soon
        // as it is there, not at the next key.
        let timeout = Duration::from_millis(if waiting { 10 } else { 250 });
        let ready = match event::poll(timeout) {
            Ok(ready) => ready,
            // The terminal is gone (a dropped SSH session, say).
            Err(_) => return Ok(lost()),
        };
        let action = if ready {
            match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
                Ok(Event::Resize(width, height)) => Some(Action::Resize { width, height }),
                Ok(Event::Mouse(mouse)) => match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                        column: mouse.column,
                        row: mouse.row,
                    }),
                    MouseEventKind::ScrollDown => Some(Action::ScrollRows(3)),
                    MouseEventKind::ScrollUp => Some(Action::ScrollRows(-3)),
                    _ => None,
                },
                Ok(_) => None,
                Err(_) => return Ok(lost()),
            }
        } else {
            None
        };
        let mut app = lock(shared);
        if let Some(action) = action {
            app.update(action);
        } else if app.is_waiting() {
            // Work on another thread (the git history) may have finished.
            app.update(Action::Tick);
        }
        if app.waits_for_document() {
            app.update(Action::Tick);
        }
        if last_look.elapsed() >= Duration::from_secs(1) && app.origin == Origin::File {
            last_look = Instant::now();
            let path = app.file.path.clone();
            let now = stamp(&path);
            if now != last_stamp {
                last_stamp = now;
                if let Some(text) = crate::store::read_text_if_readable(&path) {
                    app.update(Action::FileChanged(text));
                }
            }
            app.update(Action::Tick);
        }
    }
}

/// Opens the terminal, runs the app drawing each frame with `draw`, and
/// always gives the terminal back.
pub fn run_app(mut app: App, draw: Draw) -> anyhow::Result<u8> {
    app.offer_recovery();
    let mouse = app.config.mouse;
    let shared: Shared = Arc::new(Mutex::new(app));
    watch_signals(Arc::clone(&shared))?;
    let mut terminal = match init_terminal() {
        Ok(terminal) => terminal,
        Err(error) => {
            restore_terminal();
            return Err(error.into());
        }
    };
    if mouse {
        let _ = execute!(io::stdout(), event::EnableMouseCapture);
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&shared, &mut terminal, draw)
    }));
    restore_terminal();
    let kept = |shared: &Mutex<App>| {
        if let Some(path) = lock(shared).write_recovery() {
            note(&kept_message(&path));
        }
    };
    match outcome {
        Ok(Ok(Exit::Quit)) => Ok(0),
        Ok(Ok(Exit::Signal { recovery })) => {
            if let Some(path) = recovery {
                note(&kept_message(&path));
            }
            Ok(0)
        }
        Ok(Err(error)) => {
            kept(&shared);
            Err(error.into())
        }
        Err(_) => {
            // The panic hook has restored the terminal and printed the panic.
            kept(&shared);
            anyhow::bail!("gantry stopped on an internal error; please report it")
        }
    }
}

fn kept_message(path: &std::path::Path) -> String {
    format!("gantry: unsaved changes were kept in {}", path.display())
}
