//! The risk form: every editable field of one risk, checked as it is typed.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::model::Risk;
use crate::store::{Edit, EntityKind, RiskField};

use super::form::{FIX_ERRORS_FIRST, FormField};
use super::input::InputOutcome;
use super::{App, Level};

/// One field of the risk form.
pub type RiskFormField = FormField<RiskField>;

/// Every editable field of one risk, checked as it is typed.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskForm {
    pub risk: String,
    pub fields: Vec<RiskFormField>,
    pub focus: usize,
}

impl RiskForm {
    pub fn new(risk: &Risk) -> RiskForm {
        let fields = RiskField::ALL
            .iter()
            .map(|&field| FormField::new(field, risk_field_text(risk, field)))
            .collect();
        RiskForm {
            risk: risk.id.value.clone(),
            fields,
            focus: 0,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|field| field.error.is_some())
    }
}

/// A risk's field as `gantry risk set` takes it.
pub fn risk_field_text(risk: &Risk, field: RiskField) -> String {
    match field {
        RiskField::Title => risk.title.clone(),
        RiskField::Owner => risk
            .owner
            .as_ref()
            .map(|o| o.id.value.clone())
            .unwrap_or_default(),
        RiskField::Likelihood => risk.likelihood.to_string(),
        RiskField::Impact => risk.impact.to_string(),
        RiskField::Trigger => risk.trigger.map(|d| d.to_string()).unwrap_or_default(),
        RiskField::Mitigation => risk.mitigation.clone().unwrap_or_default(),
        RiskField::Status => risk.status.as_str().to_owned(),
        RiskField::Tier => risk.tier.as_str().to_owned(),
        RiskField::Tasks => risk
            .tasks
            .iter()
            .map(|t| t.id.value.as_str())
            .collect::<Vec<_>>()
            .join(","),
        RiskField::Reviewed => risk.reviewed.map(|d| d.to_string()).unwrap_or_default(),
    }
}

pub fn risk_field_help(field: RiskField) -> &'static str {
    match field {
        RiskField::Title => "what could go wrong",
        RiskField::Owner => "the id of the person who watches it",
        RiskField::Likelihood => "1 (rare) to 5 (almost certain)",
        RiskField::Impact => "1 (minor) to 5 (severe)",
        RiskField::Trigger => "act when this date comes: YYYY-MM-DD or today",
        RiskField::Mitigation => "what we do about it",
        RiskField::Status => "open, mitigated, closed or occurred",
        RiskField::Tier => "urgent (act within 24 h) or tracked (monitor)",
        RiskField::Tasks => "linked task ids, comma-separated",
        RiskField::Reviewed => "last reviewed: YYYY-MM-DD or today",
    }
}

impl App {
    pub(super) fn risk_form_key(&mut self, mut form: RiskForm, key: KeyEvent) -> Option<RiskForm> {
        let count = form.fields.len();
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % count,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + count - 1) % count,
            KeyCode::Enter => {
                if form.has_errors() {
                    self.say(Level::Error, FIX_ERRORS_FIRST);
                    return Some(form);
                }
                self.submit_risk_form(&form);
                return None;
            }
            _ => {
                if form.fields[form.focus].input.handle(key) == InputOutcome::Changed {
                    self.validate_risk_field(&mut form);
                }
            }
        }
        Some(form)
    }

    fn risk_edit(&self, risk: &str, field: &RiskFormField) -> Result<Edit, String> {
        let value = field.field.parse_text(&field.input.text, self.today)?;
        Ok(Edit::Set {
            kind: EntityKind::Risk,
            id: risk.to_owned(),
            key: field.field.key().to_owned(),
            value,
        })
    }

    /// Checks the focused field by trying the edit and taking it back.
    fn validate_risk_field(&mut self, form: &mut RiskForm) {
        let risk = form.risk.clone();
        let focus = form.focus;
        form.fields[focus].error = None;
        if !form.fields[focus].is_changed() {
            return;
        }
        let edit = match self.risk_edit(&risk, &form.fields[focus]) {
            Ok(edit) => edit,
            Err(message) => {
                form.fields[focus].error = Some(message);
                return;
            }
        };
        if let Err(error) = self.file.check_edit(edit) {
            form.fields[focus].error = Some(super::history::refusal_message(&error));
        }
    }

    fn submit_risk_form(&mut self, form: &RiskForm) {
        let mut edits = Vec::new();
        for field in form.fields.iter().filter(|f| f.is_changed()) {
            match self.risk_edit(&form.risk, field) {
                Ok(edit) => edits.push(edit),
                Err(message) => {
                    self.say(Level::Error, message);
                    return;
                }
            }
        }
        let count = edits.len();
        if count > 0 && self.apply(edits) {
            self.say(
                Level::Info,
                format!("{}: {count} field(s) changed", form.risk),
            );
        }
    }
}
