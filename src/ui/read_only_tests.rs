//! Consoles that must not write: one run with `--read-only`, and the second console on a file
//! another iamtui holds. Every view and detail is browsed and every change the console offers
//! is attempted; the account file and its lock keep their bytes and modification time, and
//! each refusal says why.

use std::path::Path;
use std::time::SystemTime;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::view_tests::keys;
use crate::app::harness::Harness;
use crate::app::shell::overlay::Overlay;

/// The bytes and modification time of a file.
fn fingerprint(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

/// The account file and its lock, to compare before and after.
fn files(h: &Harness) -> [(Vec<u8>, SystemTime); 2] {
    [
        fingerprint(&h.path),
        fingerprint(&h.path.with_file_name("account.json.lock")),
    ]
}

const VIEWS: [&str; 9] = [
    "users",
    "groups",
    "roles",
    "policies customer",
    "keys",
    "mfa",
    "providers",
    "passwordpolicy",
    "whoami",
];

/// Every list, and the detail of each list's first row with all its tabs.
async fn browse_everything(h: &mut Harness) {
    // The KEYS, OLDEST KEY and MFA columns are filled from the credential report.
    h.command("users").await;
    let screen = h.screen(120, 40);
    let alice = screen
        .lines()
        .find(|l| l.contains("alice.nguyen"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        alice.contains(" 1 ") && alice.contains("45d") && alice.contains("yes"),
        "{screen}"
    );
    // Loaded, not waiting (a cell still loading shows a lone `…`; a cut one ends with it).
    assert!(!alice.contains(" … "), "{screen}");
    for view in VIEWS {
        h.command(view).await;
        h.key(KeyCode::Enter).await;
        h.repeat(KeyCode::Tab, 6).await;
        h.key(KeyCode::Esc).await;
    }
}

/// The keys of every change in the default keymap, as (key, modifiers, action).
const CHANGES: [(char, KeyModifiers, &str); 11] = [
    ('n', KeyModifiers::NONE, "create"),
    ('d', KeyModifiers::CONTROL, "delete"),
    ('a', KeyModifiers::NONE, "attach_policy"),
    ('m', KeyModifiers::NONE, "add_member"),
    ('t', KeyModifiers::NONE, "edit_tags"),
    ('R', KeyModifiers::NONE, "rotate_key"),
    ('K', KeyModifiers::NONE, "create_key"),
    ('I', KeyModifiers::NONE, "toggle_key"),
    ('E', KeyModifiers::NONE, "enrol_mfa"),
    ('Y', KeyModifiers::NONE, "resync_mfa"),
    ('N', KeyModifiers::NONE, "new_policy"),
];
const DETAIL_CHANGES: [(char, KeyModifiers, &str); 2] = [
    ('x', KeyModifiers::NONE, "detach_policy"),
    ('M', KeyModifiers::NONE, "remove_member"),
];

async fn refused(h: &mut Harness, (c, modifiers, action): (char, KeyModifiers, &str), why: &str) {
    h.app.status = None;
    h.key_with(KeyCode::Char(c), modifiers).await;
    let status = h.app.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(
        status.starts_with(&format!("`{action}` changes the account; refused: "))
            && status.contains(why),
        "{action}: {status}"
    );
    assert!(
        h.app.overlay.is_none() && h.app.prompt.is_none(),
        "{action}"
    );
}

/// Every change key in every list and detail, and a policy edited and saved: each refused,
/// saying `why`.
async fn attempt_every_change(h: &mut Harness, why: &str) {
    // The lists that offer changes: all but the providers, the password policy and whoami.
    for view in &VIEWS[..6] {
        h.command(view).await;
        for change in CHANGES {
            refused(h, change, why).await;
        }
        h.key(KeyCode::Enter).await;
        for change in CHANGES.into_iter().chain(DETAIL_CHANGES) {
            refused(h, change, why).await;
        }
        h.key(KeyCode::Esc).await;
    }
    // The editor opens (reading is allowed) but does not save.
    h.command("policies DeveloperAccess").await;
    h.key(KeyCode::Char('e')).await;
    h.type_text("x").await;
    h.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL).await;
    let editor = h.app.editor.as_ref().expect("the editor is open");
    let (message, error) = editor.message.clone().unwrap();
    assert!(
        error && message.starts_with("refused: ") && message.contains(why),
        "{message}"
    );
    assert!(message.ends_with("nothing is saved"), "{message}");
    h.app.editor = None;
}

/// Assuming a role mints credentials: allowed, kept in memory, and the console works as it.
async fn assume_and_return(h: &mut Harness) {
    h.open_assume("DeveloperSandbox").await;
    assert!(matches!(h.app.overlay, Some(Overlay::Assume(_))));
    h.key(KeyCode::Enter).await;
    assert!(h.app.assume.session.is_some(), "{}", h.screen(140, 30));
    h.command("roles").await;
    h.assert_shows("DeveloperSandbox", true);
    h.key(KeyCode::Char('U')).await;
    assert!(h.app.assume.session.is_none());
}

#[tokio::test]
async fn read_only_by_the_flag_browses_everything_and_writes_nothing() {
    let h = Harness::with(true, "default").await;
    let before = files(&h);
    let why = "iamtui runs read-only, as --read-only asks";
    // Asked for: the header's [RO] is enough, the status does not repeat it.
    assert!(h.app.status.is_none(), "{:?}", h.app.status);
    every_flow_writes_nothing(h, before, why, Harness::read_only_as("daniel.okafor").await).await;
}

/// Browsing, every change attempted, and (as a user, `dev`) assuming a role and returning:
/// the account file and its lock stay as they were.
async fn every_flow_writes_nothing(
    mut h: Harness,
    before: [(Vec<u8>, SystemTime); 2],
    why: &str,
    mut dev: Harness,
) {
    browse_everything(&mut h).await;
    attempt_every_change(&mut h, why).await;
    assert!(
        files(&h) == before,
        "the account file or its lock was written"
    );
    let before = files(&dev);
    assume_and_return(&mut dev).await;
    assert!(files(&dev) == before, "assuming a role wrote the file");
}

#[tokio::test]
async fn a_second_console_says_who_holds_the_file_and_writes_nothing() {
    let h = Harness::second_console(None).await;
    let before = files(&h);
    let why = format!(
        "is open in another iamtui (pid {}, host ",
        std::process::id()
    );
    assert!(h.header(120).contains("[RO]"));
    // Not asked for: it says why at once.
    let status = h.app.status.clone().expect("a status").text;
    assert!(
        status.contains(&why) && status.ends_with("this one is read-only"),
        "{status}"
    );
    let dev = Harness::second_console(Some("daniel.okafor")).await;
    every_flow_writes_nothing(h, before, &why, dev).await;
}

#[tokio::test]
async fn the_account_refuses_what_a_console_sends_even_if_it_thought_it_could_write() {
    // The console's own lock taken away: what reaches the account is still refused there,
    // with the holder named where the console shows the error.
    let mut h = Harness::second_console(None).await;
    h.app.info.read_only = false;
    h.app.info.read_only_reason = None;
    let before = files(&h);
    let why = format!("open in another iamtui (pid {}", std::process::id());
    let says_why = |h: &Harness| h.screen(200, 40).contains(&why);

    // Create a user.
    h.command("users").await;
    h.key(KeyCode::Char('n')).await;
    h.submit("newcomer").await;
    h.assert_shows("CreateUser failed: refused: ", true);
    assert!(says_why(&h), "{}", h.screen(200, 40));
    // Attach a policy to a group.
    h.command("groups Support").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('a')]).await;
    h.submit("IAMReadOnlyAccess").await;
    assert!(says_why(&h), "{}", h.screen(200, 40));
    h.key(KeyCode::Esc).await;
    // Create a key, enrol MFA, rotate a key.
    for key in ['K', 'E'] {
        h.command("users aaron").await;
        h.app.status = None;
        h.key(KeyCode::Char(key)).await;
        assert!(says_why(&h), "{key}: {}", h.screen(200, 40));
        h.key(KeyCode::Esc).await;
    }
    h.command("keys jenkins").await;
    keys(&mut h, &[KeyCode::Char('R'), KeyCode::Enter]).await;
    assert!(says_why(&h), "{}", h.screen(200, 40));
    h.key(KeyCode::Esc).await;
    // Save a policy: the diff, then (at IAM's five versions) the oldest goes first.
    h.command("policies DeveloperAccess").await;
    h.key(KeyCode::Char('e')).await;
    h.type_text(" ").await;
    h.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL).await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('y')]).await;
    assert!(says_why(&h), "{}", h.screen(200, 40));
    assert!(
        files(&h) == before,
        "the account file or its lock was written"
    );
}
