//! Keys to actions. The help overlay and the status-line hints read the
//! same table, so what they show is always what the keys do.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the user means, independent of the key that says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    NextPane,
    PreviousPane,
    Pane(u8),
    Down,
    Up,
    PageDown,
    PageUp,
    First,
    Last,
    ScrollLeft,
    ScrollRight,
    Today,
    ZoomIn,
    ZoomOut,
    Edit,
    Add,
    Delete,
    MoveDown,
    MoveUp,
    CycleStatus,
    ToggleBlocked,
    ProgressUp,
    ProgressDown,
    LogHours,
    TimeLog,
    ToggleCollapse,
    ToggleCollapseAll,
    ToggleDetails,
    Undo,
    Redo,
    Save,
    CommandLine,
    Search,
    SearchNext,
    SearchPrevious,
    Filter,
    Cancel,
    SortNext,
    SortReverse,
    CloseRisk,
    ReviewRisk,
    EscalateRisk,
    Record,
    History,
    Conflicts,
    // The Plan pane.
    NextSection,
    PreviousSection,
    Approve,
    Reject,
    MarkDone,
    Preview,
    SignOff,
}

impl Command {
    /// Every command with its config name and help text, in help order.
    pub const ALL: &'static [(Command, &'static str, &'static str)] = &[
        (Command::Help, "help", "show this help"),
        (
            Command::Quit,
            "quit",
            "quit (asks when there are unsaved changes)",
        ),
        (Command::Save, "save", "save the plan"),
        (Command::Undo, "undo", "undo the last change"),
        (Command::Redo, "redo", "redo what was undone"),
        (Command::NextPane, "next_pane", "next pane"),
        (Command::PreviousPane, "previous_pane", "previous pane"),
        (Command::Pane(1), "pane_gantt", "Gantt pane"),
        (Command::Pane(2), "pane_risks", "Risks pane"),
        (Command::Pane(3), "pane_checkin", "Check-in pane"),
        (Command::Pane(4), "pane_dashboard", "Dashboard pane"),
        (Command::Pane(5), "pane_plan", "Plan pane"),
        (Command::Down, "down", "move down"),
        (Command::Up, "up", "move up"),
        (Command::PageDown, "page_down", "page down"),
        (Command::PageUp, "page_up", "page up"),
        (Command::First, "first", "first row"),
        (Command::Last, "last", "last row"),
        (
            Command::ScrollLeft,
            "scroll_left",
            "scroll the time axis back",
        ),
        (
            Command::ScrollRight,
            "scroll_right",
            "scroll the time axis forward",
        ),
        (Command::Today, "today", "scroll to today"),
        (Command::ZoomIn, "zoom_in", "zoom in (month, week, day)"),
        (Command::ZoomOut, "zoom_out", "zoom out"),
        (
            Command::Edit,
            "edit",
            "edit the selected task (or fold a phase)",
        ),
        (
            Command::Add,
            "add",
            "add a task (or a risk in the Risks pane)",
        ),
        (
            Command::Delete,
            "delete",
            "delete the selected task or risk",
        ),
        (Command::MoveDown, "move_down", "move the task down"),
        (Command::MoveUp, "move_up", "move the task up"),
        (
            Command::CycleStatus,
            "cycle_status",
            "status: todo, doing, done",
        ),
        (
            Command::ToggleBlocked,
            "toggle_blocked",
            "mark blocked / unblocked",
        ),
        (Command::ProgressUp, "progress_up", "progress +10%"),
        (Command::ProgressDown, "progress_down", "progress -10%"),
        (
            Command::LogHours,
            "log_hours",
            "log hours on the task (date, person, hours, note)",
        ),
        (
            Command::TimeLog,
            "time_log",
            "the task's time log: its entries to edit (Enter), add (a) or delete (d)",
        ),
        (Command::ToggleCollapse, "fold", "fold or unfold the phase"),
        (
            Command::ToggleCollapseAll,
            "fold_all",
            "fold or unfold every phase",
        ),
        (
            Command::ToggleDetails,
            "details",
            "show or hide the detail panel",
        ),
        (
            Command::CommandLine,
            "command",
            "command line (:w :q :goto ID ...)",
        ),
        (Command::Search, "search", "search tasks"),
        (Command::SearchNext, "search_next", "next match"),
        (Command::SearchPrevious, "search_previous", "previous match"),
        (
            Command::Filter,
            "filter",
            "filter by phase, owner or status",
        ),
        (Command::Cancel, "cancel", "cancel / close"),
        (
            Command::SortNext,
            "sort_next",
            "risks: sort by the next column",
        ),
        (
            Command::SortReverse,
            "sort_reverse",
            "risks: reverse the order",
        ),
        (Command::CloseRisk, "close_risk", "risks: close the risk"),
        (
            Command::ReviewRisk,
            "review_risk",
            "risks: mark reviewed (asks for the date)",
        ),
        (
            Command::EscalateRisk,
            "escalate_risk",
            "risks: escalate to urgent (again: back to tracked)",
        ),
        (
            Command::Record,
            "record",
            "check-in: record this week's check-in in the plan",
        ),
        (
            Command::History,
            "history",
            "milestone trend over the plan's git history",
        ),
        (
            Command::Conflicts,
            "conflicts",
            "merge conflicts: keep ours, take theirs or the base, one by one",
        ),
        // The Plan pane.
        (
            Command::NextSection,
            "next_section",
            "plan: next section (also ] there)",
        ),
        (
            Command::PreviousSection,
            "previous_section",
            "plan: previous section (also [ there)",
        ),
        (
            Command::Approve,
            "approve",
            "plan: approve the change request, applying its task edits",
        ),
        (Command::Reject, "reject", "plan: reject the change request"),
        (
            Command::MarkDone,
            "mark_done",
            "plan: mark the change request, or a gate's milestone, done",
        ),
        (
            Command::SignOff,
            "sign_off",
            "plan: sign the quality gate off",
        ),
        (
            Command::Preview,
            "preview",
            "plan: preview the change request's dates in the Gantt pane",
        ),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(command, _, _)| *command == self)
            .map(|(_, name, _)| *name)
            .unwrap_or("?")
    }

    pub fn from_name(name: &str) -> Option<Command> {
        Self::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(command, _, _)| *command)
    }
}

/// A key with its modifiers, as written in the config file: `q`, `ctrl-r`,
/// `shift-tab`, `pagedown`, `f1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// The key of a terminal event; Shift is folded into the character.
    pub fn from_event(event: KeyEvent) -> Key {
        let code = match event.code {
            KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            code => code,
        };
        Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(text: &str) -> Option<Key> {
        let mut key = Key::plain(KeyCode::Null);
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(stripped) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                key.ctrl = true;
                rest = &rest[rest.len() - stripped.len()..];
            } else if let Some(stripped) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                key.alt = true;
                rest = &rest[rest.len() - stripped.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if key.ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "shift-tab" | "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                other => {
                    let number = other.strip_prefix('f')?.parse::<u8>().ok()?;
                    KeyCode::F(number)
                }
            },
        };
        Some(key)
    }

    /// How help and hints show the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Delete => "Del".to_owned(),
            KeyCode::Up => "Up".to_owned(),
            KeyCode::Down => "Down".to_owned(),
            KeyCode::Left => "Left".to_owned(),
            KeyCode::Right => "Right".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
            _ => "?".to_owned(),
        };
        let mut label = String::new();
        if self.ctrl {
            label.push_str("Ctrl-");
        }
        if self.alt {
            label.push_str("Alt-");
        }
        label.push_str(&base);
        label
    }
}

/// The bindings of the normal mode.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<Key, Command>,
}

impl Default for Keymap {
    fn default() -> Self {
        use KeyCode::*;
        let mut keymap = Keymap {
            bindings: HashMap::new(),
        };
        let defaults: &[(Key, Command)] = &[
            (Key::char('q'), Command::Quit),
            (Key::ctrl('c'), Command::Quit),
            (Key::char('?'), Command::Help),
            (Key::plain(F(1)), Command::Help),
            (Key::plain(Tab), Command::NextPane),
            (Key::plain(BackTab), Command::PreviousPane),
            (Key::char('1'), Command::Pane(1)),
            (Key::char('2'), Command::Pane(2)),
            (Key::char('3'), Command::Pane(3)),
            (Key::char('4'), Command::Pane(4)),
            (Key::char('5'), Command::Pane(5)),
            (Key::char('j'), Command::Down),
            (Key::plain(Down), Command::Down),
            (Key::char('k'), Command::Up),
            (Key::plain(Up), Command::Up),
            (Key::plain(PageDown), Command::PageDown),
            (Key::ctrl('d'), Command::PageDown),
            (Key::plain(PageUp), Command::PageUp),
            (Key::ctrl('u'), Command::PageUp),
            (Key::char('g'), Command::First),
            (Key::plain(Home), Command::First),
            (Key::char('G'), Command::Last),
            (Key::plain(End), Command::Last),
            (Key::char('h'), Command::ScrollLeft),
            (Key::plain(Left), Command::ScrollLeft),
            (Key::char('l'), Command::ScrollRight),
            (Key::plain(Right), Command::ScrollRight),
            (Key::char('t'), Command::Today),
            (Key::char('+'), Command::ZoomIn),
            (Key::char('='), Command::ZoomIn),
            (Key::char('-'), Command::ZoomOut),
            (Key::plain(Enter), Command::Edit),
            (Key::char('e'), Command::Edit),
            (Key::char('a'), Command::Add),
            (Key::char('d'), Command::Delete),
            (Key::plain(Delete), Command::Delete),
            (Key::char('J'), Command::MoveDown),
            (Key::char('K'), Command::MoveUp),
            (Key::char(' '), Command::CycleStatus),
            (Key::char('b'), Command::ToggleBlocked),
            (Key::char(']'), Command::ProgressUp),
            (Key::char('['), Command::ProgressDown),
            (Key::char('L'), Command::LogHours),
            (Key::char('T'), Command::TimeLog),
            (Key::char('z'), Command::ToggleCollapse),
            (Key::char('Z'), Command::ToggleCollapseAll),
            (Key::char('i'), Command::ToggleDetails),
            (Key::char('u'), Command::Undo),
            (Key::ctrl('r'), Command::Redo),
            (Key::ctrl('s'), Command::Save),
            (Key::char(':'), Command::CommandLine),
            (Key::char('/'), Command::Search),
            (Key::char('n'), Command::SearchNext),
            (Key::char('N'), Command::SearchPrevious),
            (Key::char('f'), Command::Filter),
            (Key::plain(Esc), Command::Cancel),
            (Key::char('o'), Command::SortNext),
            (Key::char('O'), Command::SortReverse),
            (Key::char('c'), Command::CloseRisk),
            (Key::char('v'), Command::ReviewRisk),
            (Key::char('!'), Command::EscalateRisk),
            (Key::char('R'), Command::Record),
            (Key::char('H'), Command::History),
            (Key::char('C'), Command::Conflicts),
            // The Plan pane.
            (Key::char('}'), Command::NextSection),
            (Key::char('{'), Command::PreviousSection),
            (Key::char('A'), Command::Approve),
            (Key::char('X'), Command::Reject),
            (Key::char('D'), Command::MarkDone),
            (Key::char('p'), Command::Preview),
            (Key::char('S'), Command::SignOff),
        ];
        for (key, command) in defaults {
            keymap.bindings.insert(*key, *command);
        }
        keymap
    }
}

impl Keymap {
    pub fn command(&self, key: Key) -> Option<Command> {
        self.bindings.get(&key).copied()
    }

    /// Binds `key` to `command`, replacing what the key did before.
    pub fn bind(&mut self, key: Key, command: Command) {
        self.bindings.insert(key, command);
    }

    /// Removes every key of `command`.
    pub fn unbind_all(&mut self, command: Command) {
        self.bindings.retain(|_, bound| *bound != command);
    }

    /// The keys of a command, in a stable order (shortest label first).
    pub fn keys_for(&self, command: Command) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .bindings
            .iter()
            .filter(|(_, bound)| **bound == command)
            .map(|(key, _)| *key)
            .collect();
        keys.sort_by_key(|key| {
            (
                key.ctrl,
                matches!(key.code, KeyCode::Char(_))
                    .then_some(0)
                    .unwrap_or(1),
                key.label(),
            )
        });
        keys
    }

    /// "j/Down" for hints and help.
    pub fn label(&self, command: Command) -> String {
        let keys = self.keys_for(command);
        if keys.is_empty() {
            return "unbound".to_owned();
        }
        keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
    }

    /// Every command with its keys and help text, in help order.
    pub fn help(&self) -> Vec<(String, &'static str)> {
        Command::ALL
            .iter()
            .map(|(command, _, text)| (self.label(*command), *text))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_like_the_config_file_writes_them() {
        assert_eq!(Key::parse("q"), Some(Key::char('q')));
        assert_eq!(Key::parse("ctrl-r"), Some(Key::ctrl('r')));
        assert_eq!(Key::parse("C-S"), Some(Key::ctrl('s')));
        assert_eq!(Key::parse("shift-tab"), Some(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("pagedown"), Some(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("f1"), Some(Key::plain(KeyCode::F(1))));
        assert_eq!(Key::parse("space"), Some(Key::char(' ')));
        assert_eq!(Key::parse("nonsense"), None);
    }

    #[test]
    fn spec_keys_are_bound_by_default() {
        let keymap = Keymap::default();
        let expect = [
            (Key::char('1'), Command::Pane(1)),
            (Key::char('5'), Command::Pane(5)),
            (Key::plain(KeyCode::Tab), Command::NextPane),
            (Key::plain(KeyCode::BackTab), Command::PreviousPane),
            (Key::char('j'), Command::Down),
            (Key::plain(KeyCode::Up), Command::Up),
            (Key::plain(KeyCode::Enter), Command::Edit),
            (Key::plain(KeyCode::Esc), Command::Cancel),
            (Key::char('/'), Command::Search),
            (Key::char('u'), Command::Undo),
            (Key::ctrl('r'), Command::Redo),
            (Key::ctrl('s'), Command::Save),
            (Key::char('?'), Command::Help),
            (Key::char('q'), Command::Quit),
            (Key::ctrl('c'), Command::Quit),
        ];
        for (key, command) in expect {
            assert_eq!(keymap.command(key), Some(command), "{}", key.label());
        }
    }

    #[test]
    fn every_command_has_a_key_and_help() {
        let keymap = Keymap::default();
        for (command, name, text) in Command::ALL {
            assert!(!keymap.keys_for(*command).is_empty(), "{name} has no key");
            assert!(!text.is_empty());
            assert_eq!(Command::from_name(name), Some(*command));
        }
    }
}
