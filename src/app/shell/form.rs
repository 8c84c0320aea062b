//! A dialog of several fields: each has a label, a value (text, a switch or a choice), a check
//! that runs as it is typed, and the problem the check found, drawn under it. Tab and Shift-Tab
//! (or the arrows) move between fields; Enter submits once every field passes. Rooms own what a
//! form is for (`FormFor`) and what its submission does; this module only edits and checks.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::actions::edit_input;
use super::overlay::Input;
use crate::commands::PromptCommand;

/// A field's check: `Err` says what is wrong with the text, in words for the user.
pub type Check = fn(&str) -> Result<(), String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(Input),
    /// On or off: space or Enter on it flips it.
    Switch(bool),
    /// One of a few options: ← and → step through them.
    Choice {
        options: Vec<String>,
        index: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    /// What the room asks for it by.
    pub id: &'static str,
    pub label: &'static str,
    pub value: Value,
    /// Shown, dim, while the field has the focus (the rule it follows, an example).
    pub hint: String,
    pub check: Option<Check>,
    /// The check's complaint about what is typed now; `None` when it passes or was not run.
    pub error: Option<String>,
    /// Drawn as dots (a password).
    pub secret: bool,
}

impl Field {
    pub fn text(id: &'static str, label: &'static str, value: &str) -> Self {
        Field {
            id,
            label,
            value: Value::Text(Input::with(value)),
            hint: String::new(),
            check: None,
            error: None,
            secret: false,
        }
    }

    pub fn switch(id: &'static str, label: &'static str, on: bool) -> Self {
        Field {
            value: Value::Switch(on),
            ..Field::text(id, label, "")
        }
    }

    pub fn choice(id: &'static str, label: &'static str, options: Vec<String>) -> Self {
        Field {
            value: Value::Choice { options, index: 0 },
            ..Field::text(id, label, "")
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn check(mut self, check: Check) -> Self {
        self.check = Some(check);
        self
    }

    /// What the field holds, as text: the typed text (trimmed), `true`/`false`, or the option.
    pub fn as_text(&self) -> String {
        match &self.value {
            Value::Text(i) => i.text.trim().to_string(),
            Value::Switch(on) => on.to_string(),
            Value::Choice { options, index } => options.get(*index).cloned().unwrap_or_default(),
        }
    }

    fn run_check(&mut self) {
        self.error = self.check.and_then(|c| c(&self.as_text()).err());
    }
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// Enter, and every field passes its check.
    Submit,
    /// Esc.
    Cancel,
    /// Typed, moved, or a key the form ignores.
    Handled,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Self {
        Form { fields, focus: 0 }
    }

    /// The field `id`. Panics on an id the form does not have: a typo in the room's code.
    pub fn field(&self, id: &str) -> &Field {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("the form has no field `{id}`"))
    }

    /// The field's value as text (see [`Field::as_text`]).
    pub fn get(&self, id: &str) -> String {
        self.field(id).as_text()
    }

    pub fn on(&self, id: &str) -> bool {
        matches!(self.field(id).value, Value::Switch(true))
    }

    /// Says what is wrong with field `id` (a check the fields cannot make alone, or IAM's
    /// refusal) and moves the focus to it.
    pub fn complain(&mut self, id: &str, why: impl Into<String>) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id) {
            self.fields[i].error = Some(why.into());
            self.focus = i;
        }
    }

    /// Runs every check; the focus goes to the first field that fails. True when all pass.
    pub fn validate(&mut self) -> bool {
        for f in &mut self.fields {
            f.run_check();
        }
        match self.fields.iter().position(|f| f.error.is_some()) {
            Some(i) => {
                self.focus = i;
                false
            }
            None => true,
        }
    }

    fn step(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    pub fn on_key(&mut self, key: KeyEvent, action: Option<PromptCommand>) -> FormKey {
        match (action, key.code) {
            (Some(PromptCommand::Cancel), _) => return FormKey::Cancel,
            (Some(PromptCommand::Confirm), _) => {
                return if self.validate() {
                    FormKey::Submit
                } else {
                    FormKey::Handled
                };
            }
            (_, KeyCode::Tab | KeyCode::Down) => self.step(true),
            (_, KeyCode::BackTab | KeyCode::Up) => self.step(false),
            _ => {
                let Some(f) = self.fields.get_mut(self.focus) else {
                    return FormKey::Handled;
                };
                let changed = match (&mut f.value, key.code) {
                    (Value::Text(input), _) => edit_input(input, key),
                    (Value::Switch(on), KeyCode::Char(' ')) => {
                        *on = !*on;
                        true
                    }
                    (Value::Choice { options, index }, KeyCode::Right | KeyCode::Char(' ')) => {
                        *index = (*index + 1) % options.len().max(1);
                        true
                    }
                    (Value::Choice { options, index }, KeyCode::Left) => {
                        let n = options.len().max(1);
                        *index = (*index + n - 1) % n;
                        true
                    }
                    _ => false,
                };
                // Checked as it is typed: the problem shows while it can still be fixed.
                if changed {
                    f.run_check();
                }
            }
        }
        FormKey::Handled
    }
}

/// Feeds a key to the open form dialog: Esc closes it (also while a submission is in flight,
/// whose reply then finds no dialog); true when Enter submitted a form whose every field passes.
pub fn dialog_key(
    app: &mut super::state::App,
    key: KeyEvent,
    action: Option<PromptCommand>,
) -> bool {
    let Some(super::overlay::Overlay::Form(d)) = &mut app.overlay else {
        return false;
    };
    if d.busy {
        if action == Some(PromptCommand::Cancel) {
            app.overlay = None;
        }
        return false;
    }
    match d.form.on_key(key, action) {
        FormKey::Cancel => {
            app.overlay = None;
            false
        }
        FormKey::Submit => true,
        FormKey::Handled => false,
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyModifiers;

    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn digits(s: &str) -> Result<(), String> {
        match s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() {
            true => Ok(()),
            false => Err("digits only".into()),
        }
    }

    fn form() -> Form {
        Form::new(vec![
            Field::text("name", "Name", "").check(digits),
            Field::switch("mfa", "Require MFA", false),
            Field::choice("kind", "Kind", vec!["a".into(), "b".into(), "c".into()]),
        ])
    }

    #[test]
    fn typing_checks_the_field_and_enter_goes_to_the_first_problem() {
        let mut f = form();
        f.on_key(key(KeyCode::Char('x')), None);
        assert_eq!(f.fields[0].error.as_deref(), Some("digits only"));
        f.on_key(key(KeyCode::Backspace), None);
        f.on_key(key(KeyCode::Char('7')), None);
        assert_eq!(f.fields[0].error, None);
        f.on_key(key(KeyCode::Tab), None);
        f.on_key(key(KeyCode::Char(' ')), None);
        assert!(f.on("mfa"));
        f.on_key(key(KeyCode::Tab), None);
        f.on_key(key(KeyCode::Left), None);
        assert_eq!(f.get("kind"), "c");
        // A field emptied elsewhere fails on Enter and takes the focus.
        f.fields[0].value = Value::Text(Input::default());
        assert_eq!(
            f.on_key(key(KeyCode::Enter), Some(PromptCommand::Confirm)),
            FormKey::Handled
        );
        assert_eq!(f.focus, 0);
        f.on_key(key(KeyCode::Char('1')), None);
        assert_eq!(
            f.on_key(key(KeyCode::Enter), Some(PromptCommand::Confirm)),
            FormKey::Submit
        );
        assert_eq!(f.get("name"), "1");
    }

    #[test]
    fn tab_order_wraps_both_ways_and_a_complaint_takes_the_focus() {
        let mut f = form();
        f.on_key(key(KeyCode::BackTab), None);
        assert_eq!(f.focus, 2);
        f.on_key(key(KeyCode::Down), None);
        assert_eq!(f.focus, 0);
        f.complain("kind", "IAM says no");
        assert_eq!(f.focus, 2);
        assert_eq!(f.fields[2].error.as_deref(), Some("IAM says no"));
        assert_eq!(
            f.on_key(key(KeyCode::Esc), Some(PromptCommand::Cancel)),
            FormKey::Cancel
        );
    }
}
