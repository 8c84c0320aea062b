//! What can sit on top of a view: the help, a text (JSON, a policy document), a confirmation,
//! a fuzzy picker, and the one-line prompt (`:` commands, `/` filter, names, tags).

use std::cell::Cell;

use super::calls::Call;
use super::nav::DetailView;

/// A line of editable text with a cursor (in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub text: String,
    pub cursor: usize,
}

impl Input {
    pub fn with(text: &str) -> Self {
        Self {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        let at = self.byte(self.cursor - 1);
        self.text.remove(at);
        self.cursor -= 1;
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    /// Deletes the word before the cursor (ctrl-w).
    pub fn delete_word(&mut self) {
        while self.cursor > 0 && self.char_before().is_some_and(char::is_whitespace) {
            self.backspace();
        }
        while self.cursor > 0 && self.char_before().is_some_and(|c| !c.is_whitespace()) {
            self.backspace();
        }
    }

    fn char_before(&self) -> Option<char> {
        self.cursor
            .checked_sub(1)
            .and_then(|i| self.text.chars().nth(i))
    }
}

/// What a prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// `:` commands.
    Command,
    /// `/` filter of the current list; keeps the filter it replaced, for Esc.
    Filter { before: String },
    /// The name (and optional path) of a new user or group.
    CreateName { what: Creating },
    /// Tags as `key=value` words; `-key` removes.
    Tags {
        target: crate::iam::TagTarget,
        before: Vec<crate::iam::Tag>,
    },
    /// The name of a new policy made from a template (index into `templates()`).
    PolicyName {
        template: String,
        purpose: crate::app::editor::templates_ui::TemplateFor,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creating {
    User,
    Group,
    InstanceProfile,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
    /// A problem with what was typed, shown under it.
    pub error: Option<String>,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Self {
        Self {
            kind,
            input: Input::with(text),
            error: None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Command => ":",
            PromptKind::Filter { .. } => "/",
            PromptKind::CreateName {
                what: Creating::User,
            } => "new user ([/path/]name): ",
            PromptKind::CreateName {
                what: Creating::Group,
            } => "new group ([/path/]name): ",
            PromptKind::CreateName {
                what: Creating::InstanceProfile,
            } => "new instance profile ([/path/]name): ",
            PromptKind::Tags { .. } => "tags (key=value … ; -key removes): ",
            PromptKind::PolicyName { .. } => "new policy name: ",
        }
    }
}

/// A change waiting for the user's go-ahead.
#[derive(Debug, Clone)]
pub struct Pending {
    /// What the calls do, in words ("Delete user alice").
    pub what: String,
    pub calls: Vec<Call>,
    /// Leave the detail view it was made from once done (a deleted resource).
    pub leave_detail: bool,
}

impl Pending {
    /// Calls that leave the view where it is.
    pub fn new(what: impl Into<String>, calls: Vec<Call>) -> Self {
        let what = what.into();
        Pending {
            what,
            calls,
            leave_detail: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// Type this to go ahead (deletes); `None`: `y`/Enter confirms.
    pub expect: Option<String>,
    pub input: Input,
    /// Nothing to confirm: IAM would refuse (the lines say why).
    pub blocked: bool,
    /// Still checking what stands in the way.
    pub checking: Option<DetailView>,
    pub pending: Pending,
}

impl Confirm {
    /// A question `y` or Enter answers: the change it describes runs on yes.
    pub fn yes_no(title: String, line: String, pending: Pending) -> Self {
        Confirm {
            title,
            lines: vec![line, "Enter or y confirms; Esc cancels.".into()],
            expect: None,
            input: Input::default(),
            blocked: false,
            checking: None,
            pending,
        }
    }
}

/// Choose one of many with a fuzzy filter. The choices come from the loaded data each time
/// they are shown, so a list still loading fills in while the picker is open.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub input: Input,
    pub selected: usize,
    pub purpose: PickFor,
}

impl Overlay {
    /// A picker with nothing typed, the first choice selected.
    pub fn picker(title: impl Into<String>, purpose: PickFor) -> Self {
        Overlay::Picker(Picker {
            title: title.into(),
            input: Input::default(),
            selected: 0,
            purpose,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickFor {
    /// Attach the chosen policy ARN to this entity.
    Attach(crate::iam::EntityRef),
    /// Make the chosen policy ARN this user's or role's permissions boundary.
    Boundary(crate::iam::EntityRef),
    /// Add the chosen user to this group.
    MemberOf(String),
    /// Add this user to the chosen group.
    JoinGroup(String),
    /// Put the chosen role in this instance profile.
    ProfileRole(String),
    /// Assume the chosen role (the roles assumed lately).
    Assume,
    /// Start a new policy from the chosen template.
    Template(crate::app::editor::templates_ui::TemplateFor),
    /// A step of making a role (who it trusts, which service).
    Roles(crate::app::roles::Pick),
    /// A policy or group for the marked rows (the bulk room).
    Bulk(crate::app::bulk::Picked),
    /// A step of making an identity provider (which kind).
    Providers(crate::app::providers::Pick),
}

/// A form in a dialog (see [`super::form`]); what it is for decides what Enter does.
#[derive(Debug, Clone)]
pub struct FormDialog {
    pub title: String,
    /// Lines above the fields: what the form does, what IAM requires.
    pub intro: Vec<String>,
    pub form: super::form::Form,
    pub purpose: FormFor,
    /// A submission is in flight.
    pub busy: bool,
    /// What the last submission did, or why it failed.
    pub message: Option<String>,
}

/// What a form is for, by the room that handles its submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormFor {
    Roles(crate::app::roles::FormPurpose),
    Account(crate::app::account::FormPurpose),
    Editor(crate::app::editor::templates_ui::EditorForm),
    Providers(crate::app::providers::FormPurpose),
}

/// A new access key, shown once: masked until revealed, then copied, exported or written to a
/// profile. Its secret is wiped from memory when the dialog closes (`SecretString` zeroizes).
#[derive(Debug, Clone)]
pub struct NewKeyDialog {
    pub user: String,
    pub key: crate::iam::NewAccessKey,
    pub revealed: bool,
    /// What the last action did (or why it failed).
    pub message: Option<String>,
    /// Typing the profile name to write the key into.
    pub profile: Option<Input>,
    /// Typing where to save the CSV (starts as the data directory's `USER_accessKeys.csv`).
    pub csv: Option<Input>,
}

impl NewKeyDialog {
    pub fn new(user: String, key: crate::iam::NewAccessKey, message: Option<String>) -> Self {
        Self {
            user,
            key,
            revealed: false,
            message,
            profile: None,
            csv: None,
        }
    }

    /// What the keys do now.
    pub fn footer(&self) -> &'static str {
        if self.profile.is_some() {
            "Enter writes the key into this profile · Esc cancels"
        } else if self.csv.is_some() {
            "Enter saves the CSV here (never over an existing file) · Esc cancels"
        } else {
            "r reveal/hide · c copy secret · e copy as env lines · p write to a profile · v save as CSV · Esc close"
        }
    }
}

/// Setting a user's console password: generated to the account's password policy or typed,
/// then shown once.
#[derive(Debug, Clone)]
pub struct PasswordDialog {
    pub user: String,
    /// Whether the user has a password already (`None` until GetLoginProfile answers).
    pub exists: Option<bool>,
    /// The account's password policy (`None` until it is read; `Some(None)`: IAM's default).
    pub policy: Option<Option<crate::iam::PasswordPolicy>>,
    /// Typing a password instead of generating one.
    pub typed: Option<Input>,
    /// The user must change it at the next sign-in.
    pub reset_required: bool,
    pub busy: bool,
    /// The password set: shown once, masked until revealed.
    pub set: Option<crate::iam::Password>,
    pub revealed: bool,
    pub message: Option<String>,
}

impl PasswordDialog {
    /// What the keys do now.
    pub fn footer(&self) -> &'static str {
        if self.set.is_some() {
            "r reveal/hide · c copy · Esc close"
        } else if self.typed.is_some() {
            "Enter sets this password · Tab: must change at next sign-in · Esc cancels"
        } else {
            "Enter generates and sets a password · t types one · Tab: must change at next sign-in · Esc cancels"
        }
    }
}

/// A rotation: first its options, then its steps as they happen.
#[derive(Debug, Clone)]
pub struct RotationDialog {
    pub user: String,
    /// The key to rotate (`None`: the engine picks the user's key).
    pub key: Option<String>,
    pub delete_old: bool,
    /// The user already has two keys (IAM's limit): this one is deleted first.
    pub delete_first: Option<String>,
    /// Optional MFA code for one MFA session that serves every step.
    pub code: Input,
    pub generation: u64,
    pub started: bool,
    pub steps: Vec<String>,
    /// The end: a summary, or the failure with what is active where.
    pub outcome: Option<Result<String, String>>,
}

/// Enrolling a virtual MFA device.
#[derive(Debug, Clone)]
pub struct MfaDialog {
    pub user: String,
    /// Set once the device exists.
    pub device: Option<crate::iam::NewVirtualMfa>,
    pub account: String,
    pub revealed: bool,
    pub code1: Input,
    pub code2: Input,
    /// Which code the keys type into (0 or 1).
    pub focus: usize,
    pub busy: bool,
    pub message: Option<String>,
    pub done: bool,
    /// Resynchronising this existing device instead of enrolling a new one.
    pub resync: Option<String>,
    /// An unassigned device of the same name, left by an enrolment that did not finish, was
    /// deleted to make room for this one (tried once).
    pub replaced: Option<String>,
}

impl MfaDialog {
    /// What the keys do now (a line each): only an enrolment that has not finished deletes
    /// its device on Esc.
    pub fn footer(&self) -> &'static str {
        if self.done {
            "Esc closes"
        } else if self.resync.is_some() {
            if self.busy {
                "resynchronising… Esc closes"
            } else {
                "Enter resynchronises · Tab: code 2 · Shift-Tab: code 1 · Esc cancels"
            }
        } else if self.device.is_none() {
            "Esc cancels (a device made meanwhile is deleted)"
        } else if self.busy {
            "enabling… Esc closes"
        } else {
            "Enter enables · Tab: code 2 · Shift-Tab: code 1\nEsc cancels (the new device is deleted)"
        }
    }
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Assume(Box<crate::app::assume::AssumeDialog>),
    Export(Box<crate::app::assume::ExportDialog>),
    NewKey(Box<NewKeyDialog>),
    Rotation(Box<RotationDialog>),
    Mfa(Box<MfaDialog>),
    Password(Box<PasswordDialog>),
    Form(Box<FormDialog>),
    Help {
        scroll: TextScroll,
    },
    Text {
        title: String,
        text: String,
        scroll: TextScroll,
    },
    Confirm(Box<Confirm>),
    Picker(Picker),
    /// Two versions of a managed policy compared.
    VersionDiff(Box<crate::app::versions::DiffView>),
    /// A bulk action on the marked rows.
    Bulk(Box<crate::app::bulk::BulkDialog>),
    Cascade(Box<crate::app::cascade::Dialog>),
}

impl Overlay {
    pub fn help() -> Self {
        Overlay::Help {
            scroll: TextScroll::wrapped(),
        }
    }

    /// A text shown as it is (JSON): long lines scroll sideways.
    pub fn text(title: impl Into<String>, text: impl Into<String>) -> Self {
        Overlay::Text {
            title: title.into(),
            text: text.into(),
            scroll: TextScroll::default(),
        }
    }
}

/// Where a scrollable text is. The draw clamps `top` and `left` to the text and records the
/// page height, so the keys need not know how long the text is once laid out.
#[derive(Debug, Clone, Default)]
pub struct TextScroll {
    pub top: Cell<usize>,
    pub left: Cell<usize>,
    /// Long lines wrap instead of scrolling sideways.
    pub wrap: bool,
    /// Rows shown at the last draw (PageUp/PageDown move by it).
    pub page: Cell<usize>,
}

impl TextScroll {
    pub fn wrapped() -> Self {
        Self {
            wrap: true,
            ..Self::default()
        }
    }

    pub fn by(&self, rows: isize) {
        self.top.set(self.top.get().saturating_add_signed(rows));
    }

    pub fn pages(&self, pages: isize) {
        self.by(pages.saturating_mul(self.page.get().max(1) as isize));
    }

    pub fn home(&self) {
        self.top.set(0);
    }

    /// Past the end: the draw clamps it to the last page.
    pub fn end(&self) {
        self.top.set(usize::MAX);
    }

    pub fn sideways(&self, columns: isize) {
        self.left
            .set(self.left.get().saturating_add_signed(columns));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_edits_by_character() {
        let mut i = Input::with("héllo");
        assert_eq!(i.cursor, 5);
        i.left();
        i.left();
        i.insert('X');
        assert_eq!(i.text, "hélXlo");
        i.home();
        i.delete();
        assert_eq!(i.text, "élXlo");
        i.end();
        i.backspace();
        assert_eq!(i.text, "élXl");
        let mut w = Input::with("roles /admin  ");
        w.delete_word();
        assert_eq!(w.text, "roles ");
        i.home();
        i.backspace();
        assert_eq!(i.text, "élXl");
    }
}
