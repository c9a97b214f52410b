//! What the task and risk forms share: a field being edited, with the text
//! it had when the form opened and why its current text cannot be saved.

use super::input::LineInput;

/// Said when Enter is pressed on a form that still has errors.
pub(super) const FIX_ERRORS_FIRST: &str =
    "fix the fields marked with an error first, or Esc to cancel";

/// One field of a form; `F` names the field (`TaskField`, `RiskField`).
#[derive(Debug, Clone, PartialEq)]
pub struct FormField<F> {
    pub field: F,
    pub input: LineInput,
    /// The text the entity had when the form opened.
    pub original: String,
    /// Why the current text cannot be saved, in `check`'s words.
    pub error: Option<String>,
    /// What is wrong with the value in the file, while it is unchanged:
    /// shown so it can be corrected, but no reason to refuse the form.
    pub problem: Option<String>,
}

impl<F> FormField<F> {
    /// A field showing `text`, as yet unchanged.
    pub fn new(field: F, text: String) -> FormField<F> {
        FormField {
            field,
            input: LineInput::new(&text),
            original: text,
            error: None,
            problem: None,
        }
    }

    /// The message to show beside the field: its error, else the file's
    /// problem with its unchanged value.
    pub fn message(&self) -> Option<&str> {
        self.error.as_deref().or_else(|| {
            (!self.is_changed())
                .then_some(self.problem.as_deref())
                .flatten()
        })
    }

    pub fn is_changed(&self) -> bool {
        self.input.text != self.original
    }
}
