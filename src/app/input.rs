//! A one-line text input: the command line, search, form fields.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

/// What a key did to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputOutcome {
    Changed,
    Moved,
    Submit,
    Cancel,
    Ignored,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        LineInput {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    fn byte_at(&self, cursor: usize) -> usize {
        self.text
            .char_indices()
            .nth(cursor)
            .map(|(i, _)| i)
            .unwrap_or(self.text.len())
    }

    pub fn handle(&mut self, key: KeyEvent) -> InputOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => InputOutcome::Submit,
            KeyCode::Esc => InputOutcome::Cancel,
            KeyCode::Char('c') if ctrl => InputOutcome::Cancel,
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
                InputOutcome::Changed
            }
            KeyCode::Char('w') if ctrl => {
                let end = self.byte_at(self.cursor);
                let before = &self.text[..end];
                let trimmed = before.trim_end();
                let start = trimmed.rfind([' ', ',']).map(|i| i + 1).unwrap_or(0);
                let removed = self.text[start..end].chars().count();
                self.text.replace_range(start..end, "");
                self.cursor -= removed;
                InputOutcome::Changed
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                InputOutcome::Moved
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = self.text.chars().count();
                InputOutcome::Moved
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                InputOutcome::Changed
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                InputOutcome::Changed
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                InputOutcome::Changed
            }
            KeyCode::Left if self.cursor > 0 => {
                self.cursor -= 1;
                InputOutcome::Moved
            }
            KeyCode::Right if self.cursor < self.text.chars().count() => {
                self.cursor += 1;
                InputOutcome::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                InputOutcome::Moved
            }
            KeyCode::End => {
                self.cursor = self.text.chars().count();
                InputOutcome::Moved
            }
            _ => InputOutcome::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_editing_and_moving() {
        let mut input = LineInput::new("ab");
        input.handle(key(KeyCode::Left));
        input.handle(key(KeyCode::Char('é')));
        assert_eq!(input.text, "aéb");
        input.handle(key(KeyCode::Backspace));
        input.handle(key(KeyCode::Backspace));
        assert_eq!((input.text.as_str(), input.cursor), ("b", 0));
        assert_eq!(input.handle(key(KeyCode::Backspace)), InputOutcome::Ignored);
        input.handle(key(KeyCode::End));
        input.handle(key(KeyCode::Char(',')));
        input.handle(key(KeyCode::Char('x')));
        input.handle(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(input.text, "b,");
        assert_eq!(input.handle(key(KeyCode::Enter)), InputOutcome::Submit);
    }
}
