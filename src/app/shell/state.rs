//! Everything the screen shows, owned by the loop and changed only by `update`.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;

use super::calls::Call;
use super::loadable::Load;
use super::loadable::Loadable;
use super::nav::{ListView, Nav};
use super::overlay::{Overlay, Pending, Prompt};
use crate::app::model::data::AccountData;
use crate::commands::palette::ViewKind;
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::iam::backend::BackendInfo;
use crate::iam::{Backend, Identity};

/// Why the console ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit, or the terminal went away.
    Normal,
    /// A signal asked us to: the process exits 128 + its number.
    Signal(super::signals::Signal),
    /// A background task panicked.
    Crashed,
}

/// Which list a page belongs to: the view whose descriptor says how it loads.
pub type ListKind = ViewKind;

/// What a reply is for: the room it goes back to, and what for there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Browse(crate::app::browse::loading::Purpose),
    Keys(crate::app::keys::Purpose),
    Roles(crate::app::roles::Purpose),
    Account(crate::app::account::Purpose),
    Assume(crate::app::assume::Purpose),
    Editor(crate::app::editor::Purpose),
    Shell(ShellPurpose),
    Versions(crate::app::versions::Purpose),
    Bulk(crate::app::bulk::Purpose),
    Cascade(crate::app::cascade::Purpose),
    Providers(crate::app::providers::Purpose),
}

/// The shell's own requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellPurpose {
    /// A change the user confirmed.
    Change { what: String, leave_detail: bool },
}

macro_rules! room_purpose {
    ($($room:ident: $ty:ty),*) => {$(
        impl From<$ty> for Purpose {
            fn from(p: $ty) -> Purpose {
                Purpose::$room(p)
            }
        }
    )*};
}
room_purpose!(
    Browse: crate::app::browse::loading::Purpose,
    Keys: crate::app::keys::Purpose,
    Roles: crate::app::roles::Purpose,
    Account: crate::app::account::Purpose,
    Assume: crate::app::assume::Purpose,
    Editor: crate::app::editor::Purpose,
    Shell: ShellPurpose,
    Versions: crate::app::versions::Purpose,
    Bulk: crate::app::bulk::Purpose,
    Cascade: crate::app::cascade::Purpose,
    Providers: crate::app::providers::Purpose
);

impl Purpose {
    /// Purposes that go through the bounded fan-out queue (one call per entity).
    pub fn fans_out(&self) -> bool {
        matches!(self, Purpose::Browse(p) if p.fans_out())
    }
}

/// A line in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub error: bool,
}

/// A status-bar text kept in full in the message log (`:messages`). Status texts never hold
/// secrets (those stay in their dialogs), so neither does the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub text: String,
    pub error: bool,
}

/// The log keeps this many, dropping the oldest.
const LOG_LIMIT: usize = 1000;

/// Settings that change what the console shows and allows.
#[derive(Debug, Clone, Copy)]
pub struct UiOptions {
    /// Read-only asked for (`--read-only`, the configuration): mutating actions are removed
    /// from keys, menus and help (the backend refuses them too). A backend that cannot write
    /// (see [`BackendInfo::read_only`]) has the same effect.
    pub read_only: bool,
    /// Keys older than this are marked.
    pub key_age_warn_days: i64,
    /// The limit of a whole key rotation (`rotation_wait_seconds`).
    pub rotation_wait: std::time::Duration,
}

impl Default for UiOptions {
    fn default() -> Self {
        Self {
            read_only: false,
            key_age_warn_days: 90,
            rotation_wait: crate::credentials::rotate::DEFAULT_WAIT,
        }
    }
}

/// How many per-entity calls run at once: enough to fill a slow link, few enough not to be
/// throttled by IAM.
pub const FANOUT: usize = 8;

pub struct App {
    /// What the header shows: what the command line asked for until the backend is connected,
    /// then what the backend reports.
    pub info: BackendInfo,
    pub backend: Loadable<Arc<dyn Backend>>,
    pub identity: Loadable<Identity>,
    /// Set when the loop should stop.
    pub exit: Option<Exit>,
    pub options: UiOptions,
    pub theme: Theme,
    pub keymap: Keymap,
    pub data: AccountData,
    pub nav: Nav,
    pub overlay: Option<Overlay>,
    /// The policy editor, over the view it was opened from.
    pub editor: Option<Box<crate::app::editor::Editor>>,
    pub prompt: Option<Prompt>,
    pub status: Option<StatusLine>,
    /// Every status-bar text with its time, oldest first.
    pub messages: VecDeque<LogEntry>,
    /// A prompt whose input was sent to the backend (a new user's name): re-opened with its
    /// text and the error if the backend refuses it.
    pub refusable_prompt: Option<Prompt>,
    /// Keys of a chord typed so far (`g` of `g g`).
    pub pending_keys: Vec<KeyEvent>,
    /// The editor room's state beside the open editor (a document waited for).
    pub editor_room: crate::app::editor::State,
    /// What rooms asked of each other, run after the current message (see `intent`).
    pub intents: VecDeque<super::intent::Intent>,
    /// Requests in flight, by id.
    pub requests: HashMap<u64, Purpose>,
    pub next_request: u64,
    /// Per-entity calls waiting for a slot, and how many are running.
    pub fanout: VecDeque<(Purpose, Call)>,
    pub fanout_running: usize,
    /// The detail generation counter.
    pub generations: u64,
    /// Calls of a confirmed change still to run, in order, after the one in flight.
    pub queued_changes: Vec<Call>,
    /// Rows the body showed at the last draw (page up/down moves by it).
    pub viewport: Cell<usize>,
    /// A fixed clock for tests; `None` uses the real one.
    pub clock: Option<DateTime<Utc>>,
    /// The credentials-file profile the AWS backend signs with (rotating the console's own key
    /// rewrites it).
    pub profile: Option<String>,
    /// The MFA code used last, refused if typed again (a reused TOTP window fails halfway).
    pub last_mfa_code: Option<String>,
    /// The assume room: the identity stack, the MFA session, the roles assumed lately.
    pub assume: crate::app::assume::State,
    /// The view the console opens on once connected.
    pub initial_view: ViewKind,
    /// When the current list's rows were last rebuilt.
    pub last_rebuild: std::time::Instant,
    /// The versions room: the version marked as a diff's base, the documents waited for.
    pub versions: crate::app::versions::State,
    /// The audit trail changes are recorded in (`None`: nothing is recorded, as in tests).
    pub audit: Option<std::sync::Arc<crate::app::audit::AuditLog>>,
}

impl App {
    pub fn new(info: BackendInfo) -> Self {
        Self::with(
            info,
            Theme::builtin(Theme::default_name(None)).expect("the default theme is built in"),
            Keymap::builtin("default").expect("the default keymap is built in"),
            UiOptions::default(),
        )
    }

    pub fn with(info: BackendInfo, theme: Theme, keymap: Keymap, options: UiOptions) -> Self {
        Self {
            info,
            backend: Loadable::default(),
            identity: Loadable::default(),
            exit: None,
            options,
            theme,
            keymap,
            data: AccountData::default(),
            nav: Nav::new(ListView::new(ViewKind::Whoami, None)),
            overlay: None,
            prompt: None,
            status: None,
            messages: VecDeque::new(),
            refusable_prompt: None,
            pending_keys: Vec::new(),
            editor_room: Default::default(),
            intents: VecDeque::new(),
            requests: HashMap::new(),
            next_request: 1,
            fanout: VecDeque::new(),
            fanout_running: 0,
            generations: 0,
            queued_changes: Vec::new(),
            viewport: Cell::new(20),
            clock: None,
            profile: None,
            last_mfa_code: None,
            assume: Default::default(),
            editor: None,
            initial_view: ViewKind::Users,
            last_rebuild: std::time::Instant::now(),
            versions: Default::default(),
            audit: None,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.unwrap_or_else(Utc::now)
    }

    pub fn read_only(&self) -> bool {
        self.options.read_only || self.info.read_only
    }

    /// Why changes are refused, as a refusal says it after "refused: ".
    pub fn read_only_reason(&self) -> String {
        self.info
            .read_only_reason
            .clone()
            .unwrap_or_else(|| "iamtui runs read-only".into())
    }

    /// The account's id, once the caller's identity is known.
    pub fn account_id(&self) -> Option<String> {
        match self.identity.state() {
            Load::Loaded(id) => Some(id.account.clone()),
            _ => None,
        }
    }

    /// The caller's own IAM user name, from its ARN (`None` for a role or the root).
    pub fn own_user(&self) -> Option<String> {
        let Load::Loaded(id) = self.identity.state() else {
            return None;
        };
        let (_, resource) = id.arn.rsplit_once(':')?;
        resource
            .strip_prefix("user/")
            .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
    }

    /// Asks yes or no before the calls of `pending` run.
    pub fn confirm(&mut self, title: String, line: String, pending: Pending) {
        let dialog = super::overlay::Confirm::yes_no(title, line, pending);
        self.overlay = Some(Overlay::Confirm(Box::new(dialog)));
    }

    pub fn set_status(&mut self, text: impl Into<String>) {
        self.show(text.into(), false);
    }

    pub fn set_error(&mut self, text: impl Into<String>) {
        self.show(text.into(), true);
    }

    fn show(&mut self, text: String, error: bool) {
        if self.messages.len() == LOG_LIMIT {
            self.messages.pop_front();
        }
        self.messages.push_back(LogEntry {
            at: self.now(),
            text: text.clone(),
            error,
        });
        self.status = Some(StatusLine { text, error });
    }

    /// The message log as text, oldest first: `12:00:01 ! text` for an error.
    pub fn message_log(&self) -> String {
        if self.messages.is_empty() {
            return "no messages yet".into();
        }
        self.messages
            .iter()
            .map(|m| {
                let local = m.at.with_timezone(&chrono::Local);
                let mark = if m.error { '!' } else { ' ' };
                format!("{} {mark} {}", local.format("%H:%M:%S"), m.text)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
