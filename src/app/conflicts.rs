//! The merge conflicts recorded in the plan (`[[conflict]]`), listed with
//! every side's value; each takes ours, theirs or the base with one key,
//! as one change that `u` takes back.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::store::Pick;

use super::{App, Level, Mode};

impl App {
    /// Opens the list of conflicts, or says there are none.
    pub(super) fn show_conflicts(&mut self) {
        if self.file.plan.conflicts.is_empty() {
            self.say(Level::Info, "no merge conflicts in this plan");
        } else {
            self.mode = Mode::Conflicts { selected: 0 };
        }
    }

    /// A key in the list of conflicts.
    pub(super) fn conflicts_key(&mut self, selected: usize, key: KeyEvent) -> Mode {
        let count = self.file.plan.conflicts.len();
        let pick = match key.code {
            KeyCode::Char('j') | KeyCode::Down => {
                return Mode::Conflicts {
                    selected: (selected + 1).min(count.saturating_sub(1)),
                };
            }
            KeyCode::Char('k') | KeyCode::Up => {
                return Mode::Conflicts {
                    selected: selected.saturating_sub(1),
                };
            }
            KeyCode::Char('o') => Pick::Ours,
            KeyCode::Char('t') => Pick::Theirs,
            KeyCode::Char('b') => Pick::Base,
            KeyCode::Char('u') => {
                self.undo();
                return self.conflicts_mode(selected);
            }
            KeyCode::Enter => {
                self.jump_to_conflict(selected);
                return Mode::Normal;
            }
            KeyCode::Esc | KeyCode::Char('q') => return Mode::Normal,
            _ => return Mode::Conflicts { selected },
        };
        self.resolve_conflict(selected, pick);
        self.conflicts_mode(selected)
    }

    /// The list again after a change, or the normal mode once it is empty.
    fn conflicts_mode(&self, selected: usize) -> Mode {
        let count = self.file.plan.conflicts.len();
        if count == 0 {
            Mode::Normal
        } else {
            Mode::Conflicts {
                selected: selected.min(count - 1),
            }
        }
    }

    /// Takes `pick`'s value for the `index`-th conflict, in one undoable change.
    pub fn resolve_conflict(&mut self, index: usize, pick: Pick) {
        let Some(conflict) = self.file.plan.conflicts.get(index).cloned() else {
            return;
        };
        let edits = match self.file.resolution(index, pick) {
            Ok(edits) => edits,
            Err(message) => {
                self.say(Level::Error, format!("{}: {message}", conflict.subject()));
                return;
            }
        };
        if self.apply(edits) {
            let [base, ours, theirs] = conflict.values();
            let value = match pick {
                Pick::Base => base,
                Pick::Ours => ours,
                Pick::Theirs => theirs,
            };
            let left = self.file.plan.conflicts.len();
            let rest = if left == 0 {
                "no conflict left; Ctrl-s saves".to_owned()
            } else {
                format!("{left} left")
            };
            self.say(
                Level::Info,
                format!(
                    "{}: took {} ({value}); u undoes; {rest}",
                    conflict.subject(),
                    pick.name()
                ),
            );
        }
    }

    /// Selects the task a conflict is about, if it is one.
    fn jump_to_conflict(&mut self, index: usize) {
        let Some(conflict) = self.file.plan.conflicts.get(index) else {
            return;
        };
        let task = (conflict.kind.as_deref() == Some("task"))
            .then(|| {
                self.file
                    .plan
                    .tasks
                    .iter()
                    .find(|task| format!("`{}`", task.id.value) == conflict.entity)
                    .map(|task| task.id.value.clone())
            })
            .flatten();
        match task {
            Some(id) => {
                self.pane = super::Pane::Gantt;
                self.goto(&id);
            }
            None => self.say(
                Level::Info,
                format!(
                    "{}: not a task in the plan; C lists the conflicts again",
                    conflict.subject()
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::app::{Action, Origin, key};
    use crate::store::PlanFile;

    const BASE: &str = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"\nduration = 2\n\n[[task]]\nid = \"b\"\nname = \"B\" # the second\nduration = 3\n";

    fn app() -> App {
        let ours = BASE
            .replace("duration = 3", "duration = 8")
            .replace("duration = 2", "duration = 4");
        let theirs = BASE
            .replace("duration = 3", "duration = 6")
            .replace("duration = 2", "duration = 5");
        let merged = crate::store::merge::merge(BASE, &ours, &theirs).expect("merges");
        assert_eq!(merged.conflicts.len(), 2);
        let file = PlanFile::from_text(Path::new("plan.toml"), merged.text).expect("parses");
        let config = crate::config::Config::defaults(crate::theme::Capabilities {
            color: crate::theme::ColorSupport::Ansi16,
            unicode: true,
        });
        let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
        App::new(file, Origin::File, config, today)
    }

    #[test]
    fn a_plan_with_conflicts_opens_on_their_list() {
        let app = app();
        assert_eq!(app.mode, Mode::Conflicts { selected: 0 });
        assert!(
            app.message
                .as_ref()
                .is_some_and(|(_, text)| text.contains("2 merge conflict"))
        );
    }

    #[test]
    fn each_conflict_takes_a_side_in_one_undoable_step() {
        let mut app = app();
        app.update(key(KeyCode::Char('j')));
        assert_eq!(app.mode, Mode::Conflicts { selected: 1 });
        app.update(key(KeyCode::Char('t')));
        assert_eq!(app.file.plan.conflicts.len(), 1);
        assert_eq!(app.file.plan.task("b").map(|t| t.duration.value), Some(6));
        assert!(
            app.file
                .text()
                .contains("name = \"B\" # the second\nduration = 6\n")
        );
        assert_eq!(app.mode, Mode::Conflicts { selected: 0 });
        app.update(key(KeyCode::Char('b')));
        assert!(app.file.plan.conflicts.is_empty());
        assert_eq!(app.file.plan.task("a").map(|t| t.duration.value), Some(2));
        assert_eq!(app.mode, Mode::Normal);
        assert!(!app.file.has_errors());
        // u takes back one resolution at a time, conflict record and all.
        app.update(key(KeyCode::Char('u')));
        assert_eq!(app.file.plan.conflicts.len(), 1);
        assert_eq!(app.file.plan.task("a").map(|t| t.duration.value), Some(4));
        app.update(key(KeyCode::Char('u')));
        assert_eq!(app.file.plan.conflicts.len(), 2);
        assert_eq!(app.file.plan.task("b").map(|t| t.duration.value), Some(8));
        // Redo, then C opens the list again; o keeps ours.
        app.update(Action::Key(KeyEvent::new(
            KeyCode::Char('r'),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        )));
        assert_eq!(app.file.plan.conflicts.len(), 1);
        app.update(key(KeyCode::Char('C')));
        assert_eq!(app.mode, Mode::Conflicts { selected: 0 });
        app.update(key(KeyCode::Char('o')));
        assert!(app.file.plan.conflicts.is_empty());
        assert_eq!(app.file.plan.task("a").map(|t| t.duration.value), Some(4));
        assert_eq!(
            app.file.text(),
            BASE.replace("duration = 3", "duration = 6")
                .replace("duration = 2", "duration = 4")
        );
    }
}
