//! Drives the real console against the local account in tests: keys in, effects run against
//! the backend until nothing is left in flight, the screen drawn on a `TestBackend`.
//!
//! The account is the demo account made at a fixed moment with every random value (account
//! id, unique ids, key ids, secrets, seeds) replaced by a fixed one, so screens can be
//! compared as snapshots.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use crate::app::shell::calls;
use crate::app::shell::message::{Effect, Message};
use crate::app::shell::state::{App, UiOptions};
use crate::app::shell::update::update;
use crate::backend::local::LocalBackend;
use crate::backend::local::model::Account;
use crate::backend::{ReadOnly, read_only};
use crate::config::{Keymap, Theme};
use crate::iam::Backend;
use crate::ui::test_support::lines;

pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// The demo account with every random value made fixed: ids from a counter, one secret, one
/// seed, account 123456789012.
pub fn fixed_demo() -> Account {
    use crate::backend::local::{demo, names};
    demo::demo_account_with(fixed_now(), &names::SequentialIds::new())
}

/// The open `Overlay::$variant`'s dialog, or a panic showing the screen.
macro_rules! overlay {
    ($h:expr, $variant:ident) => {
        match &$h.app.overlay {
            Some($crate::app::shell::overlay::Overlay::$variant(d)) => d,
            _ => panic!(
                concat!("no ", stringify!($variant), " dialog:\n{}"),
                $h.screen(140, 40)
            ),
        }
    };
}
pub(crate) use overlay;

/// The demo account, at the view `command` opens.
pub async fn demo_at(command: &str) -> Harness {
    let mut h = Harness::demo().await;
    h.command(command).await;
    h
}

/// The codes an authenticator app shows for the base32 `seed`: the previous 30-second step's
/// and the current one's.
pub fn totp_codes(seed: &str) -> (String, String) {
    let key = crate::iam::totp::decode_seed(seed).unwrap();
    let now = Utc::now().timestamp() as u64;
    (
        crate::iam::totp::code_at(&key, now - 30),
        crate::iam::totp::code_at(&key, now),
    )
}

/// A code of the fixed demo's MFA devices, now.
pub fn mfa_code_now() -> String {
    totp_codes(&"JBSWY3DPEHPK3PXP".repeat(4)).1
}

pub struct Harness {
    pub app: App,
    pub backend: Arc<dyn Backend>,
    /// Text the console put on the clipboard.
    pub clipboard: Vec<String>,
    /// The account file.
    pub path: std::path::PathBuf,
    /// Another iamtui holding the account file (see [`Harness::second_console`]).
    pub holder: Option<LocalBackend>,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// The console on the fixed demo account, connected and settled on the users list.
    pub async fn demo() -> Harness {
        Self::with(false, "default").await
    }

    /// The console on the fixed demo account; read-only as `--read-only` makes it (the file
    /// opened read-only, the backend wrapped).
    pub async fn with(read_only: bool, keymap: &str) -> Harness {
        Self::on(fixed_demo, read_only, keymap).await
    }

    /// The console as `--read-only` makes it, acting as one of the demo's users.
    pub async fn read_only_as(user: &str) -> Harness {
        Self::on_as(fixed_demo, true, "default", Some(user)).await
    }

    /// A second console on the fixed demo account while another iamtui holds the file: it
    /// opens read-only because of the lock, without being asked to. Acting as `user`, or as
    /// the administrator.
    pub async fn second_console(user: Option<&str>) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let holder = LocalBackend::open(&path, fixed_demo).unwrap();
        let mut local = LocalBackend::open(&path, || panic!("the file exists")).unwrap();
        assert!(local.locked_by().is_some());
        if let Some(u) = user {
            local = local.acting_as(u);
        }
        let mut h = Self::connect(Arc::new(local), false, "default", dir, path).await;
        h.holder = Some(holder);
        h
    }

    /// The console on the demo account, acting as one of its users.
    pub async fn demo_as(user: &str) -> Harness {
        Self::on_as(fixed_demo, false, "default", Some(user)).await
    }

    /// The console on an account with nothing in it.
    pub async fn empty() -> Harness {
        Self::on(
            || Account::empty("123456789012", fixed_now()),
            false,
            "default",
        )
        .await
    }

    async fn on(account: impl FnOnce() -> Account, read_only: bool, keymap: &str) -> Harness {
        Self::on_as(account, read_only, keymap, None).await
    }

    async fn on_as(
        account: impl FnOnce() -> Account,
        read_only: bool,
        keymap: &str,
        user: Option<&str>,
    ) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let mut local = LocalBackend::open(&path, account).unwrap();
        if read_only {
            // As main opens it for --read-only: the file is never written.
            drop(local);
            local = LocalBackend::open_read_only(&path, read_only::asked_by_flag()).unwrap();
        }
        if let Some(u) = user {
            local = local.acting_as(u);
        }
        let mut backend: Arc<dyn Backend> = Arc::new(local);
        if read_only {
            backend = ReadOnly::wrap(backend);
        }
        Self::connect(backend, read_only, keymap, dir, path).await
    }

    async fn connect(
        backend: Arc<dyn Backend>,
        read_only: bool,
        keymap: &str,
        dir: tempfile::TempDir,
        path: std::path::PathBuf,
    ) -> Harness {
        let mut app = App::with(
            backend.info(),
            Theme::builtin("dark").unwrap(),
            Keymap::builtin(keymap).unwrap(),
            UiOptions {
                read_only,
                ..UiOptions::default()
            },
        );
        app.clock = Some(fixed_now());
        // The audit trail goes to the test's own directory.
        app.audit = Some(crate::app::audit::AuditLog::in_dir(dir.path()));
        let mut h = Harness {
            app,
            backend: backend.clone(),
            clipboard: Vec::new(),
            path,
            holder: None,
            _dir: dir,
        };
        let effects = crate::app::test_support::connect(&mut h.app, Ok(backend));
        h.settle(effects).await;
        // The header shows the file; a temporary directory's name would vary.
        h.app.info.source = "account fixture.json".into();
        h
    }

    /// Runs effects (and the effects their replies lead to) until none is left.
    pub async fn settle(&mut self, effects: Vec<Effect>) {
        let held = self.settle_holding(effects, |_| false).await;
        assert!(held.is_empty());
    }

    /// Like `settle`, but the calls `hold` picks are kept back (as if their replies had not
    /// arrived yet) and returned, to be settled later.
    pub async fn settle_holding(
        &mut self,
        mut effects: Vec<Effect>,
        hold: impl Fn(&calls::Call) -> bool,
    ) -> Vec<Effect> {
        let mut held = Vec::new();
        while !effects.is_empty() {
            let mut next = Vec::new();
            for e in effects {
                match e {
                    Effect::Call { ref call, .. } if hold(call) => held.push(e),
                    Effect::Call {
                        id, call, backend, ..
                    } => {
                        let log = self.app.audit.clone();
                        let (result, failure) =
                            crate::app::audit::execute(backend, call, log.as_deref()).await;
                        if let Some(text) = failure {
                            next.extend(update(&mut self.app, Message::AuditFailed(text)));
                        }
                        next.extend(update(&mut self.app, Message::Reply { id, result }));
                    }
                    Effect::Whoami {
                        generation,
                        backend,
                    } => {
                        let result = backend.whoami().await;
                        if let (Some(log), Ok(identity)) = (&self.app.audit, &result) {
                            log.set_caller(Some(identity.arn.clone()));
                        }
                        next.extend(update(
                            &mut self.app,
                            Message::Identity { generation, result },
                        ));
                    }
                    Effect::Clipboard(text) => self.clipboard.push(text),
                    Effect::ReadAudit(path) => {
                        let records = crate::app::audit::read(&path).map_err(|e| e.to_string());
                        next.extend(update(&mut self.app, Message::AuditLoaded(records)));
                    }
                    Effect::Rotate {
                        generation,
                        backend,
                        options,
                    } => {
                        let mut events = Vec::new();
                        let backend = crate::backend::audited::Audited::wrap_if(
                            backend,
                            self.app.audit.clone(),
                        );
                        let result =
                            crate::credentials::rotate::rotate(backend, *options, &mut |e| {
                                events.push(e)
                            })
                            .await
                            .map(Box::new)
                            .map_err(Box::new);
                        for e in events {
                            next.extend(update(
                                &mut self.app,
                                Message::Rotation {
                                    generation,
                                    update: crate::app::shell::message::RotationUpdate::Step(e),
                                },
                            ));
                        }
                        next.extend(update(
                            &mut self.app,
                            Message::Rotation {
                                generation,
                                update: crate::app::shell::message::RotationUpdate::Finished(
                                    result,
                                ),
                            },
                        ));
                    }
                    Effect::Cancel(_) | Effect::Connect { .. } => {}
                }
            }
            effects = next;
        }
        // Rows catch up with the last replies.
        let e = update(&mut self.app, Message::Tick);
        assert!(e.is_empty());
        held
    }

    /// A key press whose calls `hold` picks are kept back (see `settle_holding`).
    pub async fn key_holding(
        &mut self,
        code: KeyCode,
        hold: impl Fn(&calls::Call) -> bool,
    ) -> Vec<Effect> {
        let effects = self.press(code, KeyModifiers::NONE);
        self.settle_holding(effects, hold).await
    }

    /// The key reaches the app; what it asks for is returned, not run.
    pub fn press(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
        update(
            &mut self.app,
            Message::Input(Event::Key(KeyEvent::new(code, modifiers))),
        )
    }

    pub async fn key(&mut self, code: KeyCode) {
        self.key_with(code, KeyModifiers::NONE).await;
    }

    pub async fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        let effects = self.press(code, modifiers);
        self.settle(effects).await;
    }

    /// The MFA devices of `user`, as the backend has them.
    pub async fn mfa_of(&self, user: &str) -> Vec<crate::iam::MfaDevice> {
        self.backend.list_mfa_devices(Some(user)).await.unwrap()
    }

    /// The serial numbers of the virtual MFA devices `which` picks.
    pub async fn virtual_serials(&self, which: crate::iam::MfaAssignment) -> Vec<String> {
        let all = self.backend.list_virtual_mfa_devices(which).await.unwrap();
        all.into_iter().map(|d| d.serial_number).collect()
    }

    /// Presses `code` `times` times.
    /// ctrl and a letter.
    pub async fn ctrl(&mut self, c: char) {
        self.key_with(KeyCode::Char(c), KeyModifiers::CONTROL).await;
    }

    /// Types into a form's focused field (after clearing it) and moves to the next one.
    pub async fn field(&mut self, text: &str) {
        self.ctrl('u').await;
        self.type_text(text).await;
        self.key(KeyCode::Tab).await;
    }

    pub async fn repeat(&mut self, code: KeyCode, times: usize) {
        for _ in 0..times {
            self.key(code).await;
        }
    }

    /// Types text, a character at a time.
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c)).await;
        }
    }

    /// Types `text`, then Enter.
    pub async fn submit(&mut self, text: &str) {
        self.type_text(text).await;
        self.key(KeyCode::Enter).await;
    }

    /// `:command` then Enter.
    pub async fn command(&mut self, line: &str) {
        self.key(KeyCode::Char(':')).await;
        self.submit(line).await;
    }

    /// The screen as drawn, styles included.
    pub fn drawn(&self, width: u16, height: u16) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| crate::ui::draw(f, &self.app)).unwrap();
        terminal.backend().buffer().clone()
    }

    pub fn screen(&self, width: u16, height: u16) -> String {
        lines(&self.drawn(width, height))
            .iter()
            .map(|l| l.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first line (the identity header) at `width` columns.
    pub fn header(&self, width: u16) -> String {
        let screen = self.screen(width, 30);
        screen.lines().next().unwrap_or_default().to_string()
    }

    /// From the roles list filtered to `role`, opens the assume dialog.
    pub async fn open_assume(&mut self, role: &str) {
        self.command(&format!("roles {role}")).await;
        self.key(KeyCode::Char('A')).await;
    }

    /// Asserts the screen at `width`×`height` shows each of `shown` and none of `hidden`.
    #[track_caller]
    pub fn assert_screen(&self, (width, height): (u16, u16), shown: &[&str], hidden: &[&str]) {
        let screen = self.screen(width, height);
        for needle in shown {
            assert!(screen.contains(needle), "`{needle}` not on:\n{screen}");
        }
        for needle in hidden {
            assert!(!screen.contains(needle), "`{needle}` on:\n{screen}");
        }
    }

    pub fn shows(&self, needle: &str) -> bool {
        self.screen(120, 40).contains(needle)
    }

    /// Asserts the screen shows `needle` (`false`: does not), printing the screen otherwise.
    #[track_caller]
    pub fn assert_shows(&self, needle: &str, shown: bool) {
        let screen = self.screen(120, 40);
        assert_eq!(screen.contains(needle), shown, "`{needle}` on:\n{screen}");
    }
}
