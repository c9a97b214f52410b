//! The event loop: terminal events, a once-a-second look at the file, and
//! the signals that end a session.

use std::io;
use std::time::{Duration, Instant, SystemTime};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::crossterm::{execute, terminal};

use super::{Action, App, Confirm, Mode, Origin};

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

/// Answers SIGHUP and SIGTERM on a thread of its own: unsaved changes go
/// to the recovery file, the terminal is given back (when there still is
/// one), and the process ends. The main thread may be anywhere, even stuck
/// reading a terminal that has gone away, so it is not asked to help.
fn watch_signals() -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM])?;
        std::thread::Builder::new()
            .name("signals".to_owned())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let kept = super::recovery::write_remembered();
                    if signal == SIGTERM {
                        let _ = execute!(io::stdout(), event::DisableMouseCapture);
                        ratatui::restore();
                    }
                    if let Some(path) = kept {
                        eprintln!("gantry: unsaved changes were kept in {}", path.display());
                    }
                    std::process::exit(if signal == SIGTERM { 143 } else { 129 });
                }
            })?;
    }
    Ok(())
}

/// The file's size and modification time, to notice changes cheaply.
fn stamp(path: &std::path::Path) -> Option<(u64, SystemTime)> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.len(), metadata.modified().ok()?))
}

impl App {
    /// Offers a recovery file left by an earlier session, if any.
    pub fn offer_recovery(&mut self) {
        if self.origin != Origin::File {
            return;
        }
        if let Some(path) = super::recovery::pending(&self.file.path, self.file.on_disk()) {
            self.mode = Mode::Confirm(Confirm::Recovery { path });
        }
    }

    /// Keeps unsaved changes in the recovery file; returns where.
    pub fn write_recovery(&self) -> Option<std::path::PathBuf> {
        if !self.modified {
            return None;
        }
        let plan = match self.origin {
            Origin::File => self.file.path.clone(),
            Origin::Demo => std::path::PathBuf::from("plan.toml"),
        };
        super::recovery::write(&plan, &self.file.text()).ok()
    }

    pub fn run(&mut self, terminal: &mut DefaultTerminal) -> io::Result<Exit> {
        let size = terminal.size()?;
        self.update(Action::Resize {
            width: size.width,
            height: size.height,
        });
        let mut last_stamp = stamp(&self.file.path);
        let mut last_look = Instant::now();
        while !self.quit {
            terminal.draw(|frame| crate::ui::render(frame, self))?;
            let ready = match event::poll(Duration::from_millis(250)) {
                Ok(ready) => ready,
                // The terminal is gone (a dropped SSH session, say).
                Err(_) => {
                    return Ok(Exit::Signal {
                        recovery: self.write_recovery(),
                    });
                }
            };
            if ready {
                let event = match event::read() {
                    Ok(event) => event,
                    Err(_) => {
                        return Ok(Exit::Signal {
                            recovery: self.write_recovery(),
                        });
                    }
                };
                match event {
                    Event::Key(key) if key.kind != KeyEventKind::Release => {
                        self.update(Action::Key(key))
                    }
                    Event::Resize(width, height) => self.update(Action::Resize { width, height }),
                    Event::Mouse(mouse) => match mouse.kind {
                        MouseEventKind::Down(MouseButton::Left) => self.update(Action::Click {
                            column: mouse.column,
                            row: mouse.row,
                        }),
                        MouseEventKind::ScrollDown => self.update(Action::ScrollRows(3)),
                        MouseEventKind::ScrollUp => self.update(Action::ScrollRows(-3)),
                        _ => {}
                    },
                    _ => {}
                }
            }
            if last_look.elapsed() >= Duration::from_secs(1) && self.origin == Origin::File {
                last_look = Instant::now();
                let now = stamp(&self.file.path);
                if now != last_stamp {
                    last_stamp = now;
                    if let Ok(text) = std::fs::read_to_string(&self.file.path) {
                        self.update(Action::FileChanged(text));
                    }
                }
                self.update(Action::Tick);
            }
        }
        Ok(Exit::Quit)
    }
}

/// Opens the terminal, runs the app and always gives the terminal back.
pub fn run_app(mut app: App) -> anyhow::Result<u8> {
    watch_signals()?;
    app.offer_recovery();
    let mouse = app.config.mouse;
    let mut terminal = ratatui::try_init()?;
    if mouse {
        let _ = execute!(io::stdout(), event::EnableMouseCapture);
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.run(&mut terminal)));
    if mouse {
        let _ = execute!(io::stdout(), event::DisableMouseCapture);
    }
    ratatui::restore();
    let _ = terminal::disable_raw_mode();
    match outcome {
        Ok(Ok(Exit::Quit)) => Ok(0),
        Ok(Ok(Exit::Signal { recovery })) => {
            if let Some(path) = recovery {
                eprintln!("gantry: unsaved changes were kept in {}", path.display());
            }
            Ok(0)
        }
        Ok(Err(error)) => {
            let recovery = app.write_recovery();
            if let Some(path) = recovery {
                eprintln!("gantry: unsaved changes were kept in {}", path.display());
            }
            Err(error.into())
        }
        Err(_) => {
            // The panic hook has restored the terminal and printed the panic.
            if let Some(path) = app.write_recovery() {
                eprintln!("gantry: unsaved changes were kept in {}", path.display());
            }
            anyhow::bail!("gantry stopped on an internal error; please report it")
        }
    }
}
