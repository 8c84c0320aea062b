//! Every view on fixed data (the demo account with its random values fixed, a fixed clock),
//! as snapshots, and the console's flows driven key by key against the local account.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::app::harness::{Harness, mfa_code_now, overlay, totp_codes};
use crate::app::shell::nav::Screen;
use crate::commands::palette::ViewKind;
use crate::iam::{EntityRef, PageRequest};

fn snapshot(h: &Harness, name: &str) {
    insta::assert_snapshot!(name, h.screen(120, 30));
}

/// Moves the selection down to the first row showing `text` (in a detail's tab).
async fn select_line(h: &mut Harness, text: &str) {
    let screen = h.screen(120, 30);
    let line = screen
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no `{text}` on:\n{screen}"));
    // Below the title, the summary strip and the tab bar.
    h.repeat(KeyCode::Down, line - 5).await;
}

pub(super) use crate::app::harness::demo_at;

/// Presses each key in turn.
pub(super) async fn keys(h: &mut Harness, codes: &[KeyCode]) {
    for &code in codes {
        h.key(code).await;
    }
}

#[tokio::test]
async fn every_list_view() {
    let mut h = Harness::demo().await;
    snapshot(&h, "users");
    for view in [
        "groups",
        "roles",
        "keys",
        "mfa",
        "providers",
        "passwordpolicy",
        "whoami",
    ] {
        h.command(view).await;
        snapshot(&h, view);
    }
    // Customer policies first-hand: the AWS ones are 1,594 rows.
    h.command("policies customer").await;
    snapshot(&h, "policies-customer");
}

#[tokio::test]
async fn a_users_tabs_and_a_link_to_its_group() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char('/')).await;
    h.type_text("daniel").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Enter]).await;
    snapshot(&h, "user-permissions");
    for tab in ["user-groups", "user-credentials", "user-tags", "user-json"] {
        h.key(KeyCode::Tab).await;
        snapshot(&h, tab);
    }
    // Groups tab → Enter follows the link to the group; Esc comes back.
    keys(&mut h, &[KeyCode::BackTab, KeyCode::BackTab]).await;
    keys(&mut h, &[KeyCode::BackTab, KeyCode::Enter]).await;
    h.assert_screen((120, 30), &["Users › user daniel.okafor › group"], &[]);
    h.key(KeyCode::Tab).await;
    snapshot(&h, "group-members");
    h.key(KeyCode::Esc).await;
    h.assert_screen((120, 30), &["Users › user daniel.okafor ─"], &[]);
    h.key(KeyCode::Esc).await;
    assert!(matches!(h.app.nav.current(), Screen::List(_)));
}

#[tokio::test]
async fn a_roles_trust_and_a_policys_versions() {
    let mut h = demo_at("roles BreakGlass").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Tab]).await;
    snapshot(&h, "role-trust");
    h.command("policies DeveloperAccess").await;
    h.key(KeyCode::Enter).await;
    snapshot(&h, "policy-versions");
    // A version whose document is not loaded yet (v5; v6 is the default) loads on Enter, then
    // shows beside the list.
    keys(&mut h, &[KeyCode::Down, KeyCode::Down]).await;
    h.assert_screen((120, 30), &[], &["document (Enter opens)"]);
    h.key(KeyCode::Enter).await;
    h.assert_screen((120, 30), &["document (Enter opens)"], &[]);
    h.key(KeyCode::Tab).await;
    snapshot(&h, "policy-attached-to");
}

#[tokio::test]
async fn help_is_generated_from_the_keymap_and_hides_changes_when_read_only() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char('?')).await;
    let shown = [
        "ctrl-d        Delete the selection",
        "g g           Go to the first row",
    ];
    h.assert_screen((120, 60), &shown, &[]);
    let mut ro = Harness::with(true, "default").await;
    ro.key(KeyCode::Char('?')).await;
    let hidden = ["Delete the selection", "Attach a managed policy"];
    ro.assert_screen((120, 100), &["Read-only"], &hidden);
    assert!(ro.header(120).contains("[RO]"));
    // And the keys do nothing.
    ro.key(KeyCode::Esc).await;
    ro.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    assert!(ro.app.overlay.is_none());
    // The vim keymap's help shows its own keys.
    let mut vim = Harness::with(false, "vim").await;
    vim.key(KeyCode::Char('?')).await;
    vim.assert_screen((120, 80), &["j "], &[]);
}

#[tokio::test]
async fn the_filter_narrows_inverts_and_says_when_nothing_matches() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char('/')).await;
    h.type_text("contractors").await;
    h.assert_screen((120, 30), &["Users (4/35) /contractors"], &[]);
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('/')]).await;
    h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
    h.type_text("!contractors").await;
    h.assert_shows("Users (31/35) /!contractors", true);
    assert_eq!(prompt_text(&h).as_deref(), Some("!contractors"));
    h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
    h.type_text("zzzzqq").await;
    h.assert_shows("no users match /zzzzqq", true);
    // Esc in the prompt restores the filter it replaced; Esc in the list clears it.
    h.key(KeyCode::Esc).await;
    h.assert_shows("Users (4/35) /contractors", true);
    h.key(KeyCode::Esc).await;
    h.assert_shows("Users (35)", true);
}

#[tokio::test]
async fn sorting_by_a_column_and_reversing() {
    let mut h = Harness::demo().await;
    // Sort by OLDEST KEY (the sixth column), descending: the 400-day keys first.
    h.repeat(KeyCode::Char('s'), 6).await;
    h.key(KeyCode::Char('S')).await;
    // The selection follows its row through the sort; go to the top.
    h.key(KeyCode::Home).await;
    let screen = h.screen(120, 30);
    assert!(screen.contains("OLDEST KEY ↓"), "{screen}");
    let first = screen.lines().nth(3).unwrap();
    assert!(first.contains("400d"), "{screen}");
}

#[tokio::test]
async fn history_walks_back_and_forward() {
    let mut h = demo_at("roles").await;
    h.command("groups").await;
    h.key(KeyCode::Char('[')).await;
    h.assert_shows("Roles (", true);
    h.key(KeyCode::Char('[')).await;
    h.assert_shows("Users (", true);
    h.key(KeyCode::Char(']')).await;
    h.assert_shows("Roles (", true);
    h.key(KeyCode::Char('-')).await;
    h.assert_shows("Users (", true);
}

#[tokio::test]
async fn deleting_lists_every_call_then_asks_for_the_name() {
    let mut h = Harness::demo().await;
    // A user with keys, groups and policies: every call that removes them, in order.
    h.key(KeyCode::Char('/')).await;
    h.submit("sysadmin").await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    snapshot(&h, "delete-cascade");
    h.key(KeyCode::Esc).await;
    // A new user has nothing: one call, DeleteUser.
    keys(&mut h, &[KeyCode::Esc, KeyCode::Char('n')]).await;
    h.submit("/tmp/throwaway").await;
    h.assert_shows("Created user throwaway", true);
    assert!(h.backend.get_user(Some("throwaway")).await.is_ok());
    h.key(KeyCode::Char('/')).await;
    h.submit("throwaway").await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows("Type throwaway and press Enter to make these 1 calls", true);
    h.submit("throwawa").await;
    h.assert_shows("that is not `throwaway`", true);
    h.submit("y").await;
    h.assert_shows("Deleted user throwaway (1 calls)", true);
    assert!(h.backend.get_user(Some("throwaway")).await.is_err());
}

#[tokio::test]
async fn attach_from_a_fuzzy_picker_and_detach() {
    let mut h = demo_at("groups Support").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('a')]).await;
    h.type_text("IAMReadOnlyAccess").await;
    snapshot(&h, "attach-picker");
    h.key(KeyCode::Enter).await;
    h.assert_shows("Attached IAMReadOnlyAccess to group Support", true);
    let attached = h
        .backend
        .list_attached_policies(&EntityRef::group("Support"))
        .await
        .unwrap();
    assert!(attached.iter().any(|a| a.name == "IAMReadOnlyAccess"));
    // Select it in the Permissions tab and detach.
    select_line(&mut h, "IAMReadOnlyAccess").await;
    h.key(KeyCode::Char('x')).await;
    h.assert_shows("Detach IAMReadOnlyAccess from group Support?", true);
    h.key(KeyCode::Char('y')).await;
    let attached = h
        .backend
        .list_attached_policies(&EntityRef::group("Support"))
        .await
        .unwrap();
    assert!(!attached.iter().any(|a| a.name == "IAMReadOnlyAccess"));
}

#[tokio::test]
async fn members_and_tags() {
    let mut h = demo_at("groups ReadOnly").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('m')]).await;
    h.submit("aaron").await;
    let members = h.backend.get_group("ReadOnly").await.unwrap().members;
    assert!(members.iter().any(|u| u.name == "aaron.bell"));
    h.key(KeyCode::Tab).await;
    select_line(&mut h, "aaron.bell").await;
    keys(&mut h, &[KeyCode::Char('M'), KeyCode::Enter]).await;
    let members = h.backend.get_group("ReadOnly").await.unwrap().members;
    assert!(!members.iter().any(|u| u.name == "aaron.bell"));

    // Tags: the prompt holds the current ones; the text becomes the new set.
    h.command("users aaron").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('t')]).await;
    h.assert_shows("Department=", true);
    h.key(KeyCode::End).await;
    h.submit(" Reviewed=2026").await;
    let tags = h.backend.get_user(Some("aaron.bell")).await.unwrap().tags;
    assert!(
        tags.iter()
            .any(|t| t.key == "Reviewed" && t.value == "2026"),
        "{tags:?}"
    );
}

#[tokio::test]
async fn copy_the_arn_and_show_json() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char('c')).await;
    assert_eq!(
        h.clipboard,
        ["arn:aws:iam::123456789012:user/sales/aaron.bell"]
    );
    h.assert_shows(
        "copied arn:aws:iam::123456789012:user/sales/aaron.bell",
        true,
    );
    h.key(KeyCode::Char('y')).await;
    h.assert_shows("\"UserId\": \"AIDA", true);
    h.key(KeyCode::Esc).await;
    assert!(h.app.overlay.is_none());
}

#[tokio::test]
async fn a_change_refused_by_iam_shows_the_call_and_the_reason() {
    let mut h = Harness::demo().await;
    // The group exists: the backend refuses, and the console names the call.
    h.command("groups").await;
    h.key(KeyCode::Char('n')).await;
    h.submit("Admins").await;
    h.assert_screen((120, 30), &["CreateGroup failed: already exists"], &[]);
}

#[tokio::test]
async fn small_and_large_terminals_and_themes() {
    let mut h = Harness::demo().await;
    snapshot_at(&h, "users-80x24", 80, 24);
    for (w, hgt) in [(40, 10), (200, 60), (0, 0), (10, 3)] {
        h.screen(w, hgt);
    }
    h.command("theme light").await;
    assert_eq!(h.app.theme.name(), "light");
    h.key_with(KeyCode::Char('t'), KeyModifiers::CONTROL).await;
    assert_ne!(h.app.theme.name(), "light");
    h.command("theme nope").await;
    h.assert_shows("no theme `nope`", true);
    // A long filter and paging to the end do not break the layout.
    keys(&mut h, &[KeyCode::End, KeyCode::PageUp, KeyCode::Char('/')]).await;
    h.type_text(&"x".repeat(300)).await;
    h.screen(80, 24);
}

fn snapshot_at(h: &Harness, name: &str, w: u16, hgt: u16) {
    insta::assert_snapshot!(name, h.screen(w, hgt));
}

#[tokio::test]
async fn command_completion_and_errors() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char(':')).await;
    h.type_text("ro").await;
    h.key(KeyCode::Tab).await;
    assert_eq!(h.app.prompt.as_ref().unwrap().input.text, "roles ");
    h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
    h.submit("rolez").await;
    h.assert_shows("unknown command `rolez`; did you mean `roles`?", true);
    h.key(KeyCode::Esc).await;
    assert!(h.app.prompt.is_none());
}

#[tokio::test]
async fn the_local_backend_sees_the_same_users() {
    let h = Harness::demo().await;
    let n = h
        .backend
        .list_users(PageRequest::first())
        .await
        .unwrap()
        .items
        .len();
    h.assert_shows(&format!("Users ({n})"), true);
}

#[tokio::test]
async fn an_empty_account_shows_every_view_without_trouble() {
    let mut h = Harness::empty().await;
    h.assert_shows("no users", true);
    for (view, says) in [
        ("groups", "no groups"),
        ("roles", "no roles"),
        ("keys", "no keys"),
        ("mfa", "no mfa"),
        ("providers", "no providers"),
        ("passwordpolicy", "IAM's defaults apply"),
    ] {
        h.command(view).await;
        assert!(h.shows(says), "{view}: {}", h.screen(120, 30));
        // Keys that act on a selection have nothing to act on, and say nothing wrong.
        for code in [
            KeyCode::Enter,
            KeyCode::Down,
            KeyCode::End,
            KeyCode::Char('c'),
            KeyCode::Char('y'),
        ] {
            h.key(code).await;
        }
        h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
        keys(&mut h, &[KeyCode::Esc, KeyCode::Esc]).await;
        h.screen(80, 24);
    }
    // The AWS managed policies are there even in an empty account.
    h.command("policies AdministratorAccess").await;
    h.assert_shows("AdministratorAccess", true);
}

// --- access keys and MFA ------------------------------------------------------------------------

use secrecy::ExposeSecret;

/// The access keys of `user`, as the backend has them.
async fn keys_of(h: &Harness, user: &str) -> Vec<crate::iam::AccessKey> {
    h.backend.list_access_keys(Some(user)).await.unwrap()
}

#[tokio::test]
async fn a_new_key_is_shown_once_masked_until_revealed() {
    let mut h = Harness::demo().await;
    // aaron.bell has no key.
    h.key(KeyCode::Char('K')).await;
    let d = overlay!(h, NewKey);
    let secret = d.key.secret_access_key.expose_secret().to_string();
    let id = d.key.key.access_key_id.clone();
    h.assert_screen((120, 30), &[&id, "shown only now"], &[&secret]);
    h.key(KeyCode::Char('r')).await;
    h.assert_shows(&secret, true);
    h.key(KeyCode::Char('c')).await;
    assert_eq!(h.clipboard.last(), Some(&secret));
    h.key(KeyCode::Char('e')).await;
    let copied = h.clipboard.last().unwrap();
    assert!(copied.contains("export AWS_SECRET_ACCESS_KEY="), "{copied}");
    h.key(KeyCode::Esc).await;
    assert!(h.app.overlay.is_none());
    let keys = keys_of(&h, "aaron.bell").await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].access_key_id, id);
}

#[tokio::test]
async fn keys_are_deactivated_reactivated_and_deleted_from_the_keys_view() {
    let mut h = demo_at("keys jenkins").await;
    let key = keys_of(&h, "jenkins-ci").await.remove(0);
    h.key(KeyCode::Char('I')).await;
    h.assert_shows(
        &format!("Deactivate {} of jenkins-ci?", key.access_key_id),
        true,
    );
    h.key(KeyCode::Char('y')).await;
    let status = async |h: &Harness| {
        let keys = keys_of(h, "jenkins-ci").await;
        let key = keys.iter().find(|k| k.access_key_id == key.access_key_id);
        key.map(|k| k.status)
    };
    assert_eq!(status(&h).await, Some(crate::iam::KeyStatus::Inactive));
    h.key(KeyCode::Char('I')).await;
    h.assert_shows("Reactivate", true);
    h.key(KeyCode::Enter).await;
    assert_eq!(status(&h).await, Some(crate::iam::KeyStatus::Active));
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows(&format!("Type {} and press Enter", key.access_key_id), true);
    h.submit(&key.access_key_id).await;
    assert_eq!(status(&h).await, None);
}

#[tokio::test]
async fn rotating_another_users_key_shows_each_step_then_the_key_for_hand_over() {
    let mut h = demo_at("keys jenkins").await;
    let old = keys_of(&h, "jenkins-ci").await.remove(0);
    h.key(KeyCode::Char('R')).await;
    h.assert_shows("Rotate access key", true);
    h.key(KeyCode::Enter).await;
    let d = overlay!(h, NewKey);
    let new_id = d.key.key.access_key_id.clone();
    h.assert_shows("hand this one over", true);
    let keys = keys_of(&h, "jenkins-ci").await;
    assert_eq!(keys.len(), 2);
    let by = |id: &str| keys.iter().find(|k| k.access_key_id == id).unwrap().status;
    assert_eq!(by(&old.access_key_id), crate::iam::KeyStatus::Inactive);
    assert_eq!(by(&new_id), crate::iam::KeyStatus::Active);
}

/// The device the open MFA dialog created.
fn mfa_device(h: &Harness) -> &crate::iam::NewVirtualMfa {
    overlay!(h, Mfa).device.as_ref().expect("created")
}

/// The serial numbers of every virtual MFA device, assigned or not.
async fn virtual_serials(h: &Harness) -> Vec<String> {
    h.virtual_serials(crate::iam::MfaAssignment::Any).await
}

#[tokio::test]
async fn enrolling_mfa_draws_a_qr_code_and_checks_two_real_codes() {
    let mut h = demo_at("users aaron").await;
    h.key(KeyCode::Char('E')).await;
    let device = mfa_device(&h);
    let seed = device.seed_base32.expose_secret().to_string();
    let serial = device.serial_number.clone();
    // The code and the text fit an 80×24 terminal; the seed is masked.
    h.assert_screen((80, 24), &["█", "code 1"], &[&seed]);
    // Wrong codes: refused, and the unassigned device is deleted.
    h.submit("000000111111").await;
    h.assert_shows("device was deleted", true);
    assert!(!virtual_serials(&h).await.contains(&serial));
    h.key(KeyCode::Esc).await;

    // Again, with the codes an authenticator app would show.
    h.key(KeyCode::Char('E')).await;
    let (c1, c2) = totp_codes(mfa_device(&h).seed_base32.expose_secret());
    h.submit(&format!("{c1}{c2}")).await;
    h.assert_shows("MFA enabled for aaron.bell", true);
    assert_eq!(h.mfa_of("aaron.bell").await.len(), 1);
}

#[tokio::test]
async fn leaving_an_unfinished_enrolment_deletes_the_device() {
    let mut h = demo_at("users aaron").await;
    h.key(KeyCode::Char('E')).await;
    let serial = mfa_device(&h).serial_number.clone();
    h.key(KeyCode::Esc).await;
    assert!(
        !virtual_serials(&h).await.contains(&serial),
        "the device was left dangling"
    );
}

#[tokio::test]
async fn old_keys_are_counted_in_the_status_bar() {
    let h = Harness::demo().await;
    let screen = h.screen(160, 30);
    let last = screen.lines().last().unwrap();
    assert!(last.contains("active keys older than 90 days"), "{last}");
}

#[tokio::test]
async fn a_device_is_resynchronised_and_removed_with_a_warning_when_policies_need_mfa() {
    let mut h = demo_at("users aaron").await;
    h.key(KeyCode::Char('E')).await;
    let (c1, c2) = totp_codes(mfa_device(&h).seed_base32.expose_secret());
    h.type_text(&format!("{c1}{c2}")).await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Esc]).await;
    // In the user's Security credentials tab, the device row.
    keys(&mut h, &[KeyCode::Enter, KeyCode::Tab, KeyCode::Tab]).await;
    select_line(&mut h, "MFA device").await;
    // Resync needs two newer codes.
    h.key(KeyCode::Char('Y')).await;
    h.assert_shows("Resynchronise MFA for aaron.bell", true);
    h.submit(&format!("{c1}{c2}")).await;
    // Reused codes are refused.
    h.assert_shows("failed", true);
    h.key(KeyCode::Esc).await;
    // Removing it asks first and says what depends on MFA.
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows("Deactivate arn:aws:iam::123456789012:mfa/aaron.bell", true);
    h.key(KeyCode::Char('y')).await;
    assert!(h.mfa_of("aaron.bell").await.is_empty());
    assert!(
        !virtual_serials(&h)
            .await
            .iter()
            .any(|s| s.ends_with("/aaron.bell")),
        "the virtual device is deleted"
    );
}

// --- assuming roles -----------------------------------------------------------------------------

use crate::app::assume::FIELDS;

#[tokio::test]
async fn the_root_user_is_warned_and_stss_refusal_is_shown() {
    // The policy trusts the account, but STS never lets the root user assume a role: the
    // prediction says so, and trying anyway shows STS's own words.
    let mut h = demo_at("roles DeveloperSandbox").await;
    h.key(KeyCode::Char('A')).await;
    h.assert_shows("prediction: the root user cannot assume roles", true);
    h.key(KeyCode::Enter).await;
    let d = overlay!(h, Assume);
    let e = d.error.clone().unwrap_or_default();
    assert!(
        e.contains("AssumeRole failed") && e.contains("Roles may not be assumed by root accounts"),
        "{e}"
    );
}

#[tokio::test]
async fn the_console_works_as_the_assumed_role_and_returns() {
    let mut h = Harness::demo_as("daniel.okafor").await;
    h.open_assume("DeveloperSandbox").await;
    let name = format!("{:<22}daniel.okafor", FIELDS[0]);
    h.assert_screen((140, 30), &["your own policies must", &name], &[]);
    h.key(KeyCode::Enter).await;
    let screen = h.screen(160, 30);
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains("user/engineering/daniel.okafor ›"),
        "{header}"
    );
    assert!(
        header.contains("assumed-role/DeveloperSandbox/daniel.okafor"),
        "{header}"
    );
    assert!(
        header.contains("expires in 59m") || header.contains("expires in 1h00m"),
        "{header}"
    );
    assert!(h.app.assume.session.is_some());
    // The role's own permissions: PowerUserAccess lists no IAM users.
    h.command("users").await;
    h.assert_shows("ListUsers failed: access denied to iam:ListUsers", true);
    // Hand the credentials on.
    keys(&mut h, &[KeyCode::Char('X'), KeyCode::Char('b')]).await;
    let copied = h.clipboard.last().unwrap();
    assert!(copied.contains("export AWS_SESSION_TOKEN='"), "{copied}");
    h.key(KeyCode::Esc).await;
    // Back to the starting identity.
    h.key(KeyCode::Char('U')).await;
    assert!(h.app.assume.session.is_none());
    let me = h.app.identity.loaded().unwrap().arn.clone();
    assert!(me.ends_with(":user/engineering/daniel.okafor"), "{me}");
    h.assert_shows(&format!("back to {me}"), true);
    let header = h.header(160);
    assert!(
        header.contains(":user/engineering/daniel.okafor") && !header.contains("assumed-role"),
        "{header}"
    );
    // The role is in the quick-switch list.
    h.command("ctx").await;
    h.assert_shows("DeveloperSandbox", true);
}

#[tokio::test]
async fn a_session_policy_narrows_the_assumed_role() {
    use crate::app::assume::SESSION_POLICY;
    let mut h = Harness::demo_as("daniel.okafor").await;
    h.open_assume("DeveloperSandbox").await;
    h.repeat(KeyCode::Tab, SESSION_POLICY).await;
    // A typo is refused with the engine's finding and where it is; STS is not called.
    h.type_text(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resourse":"*"}}"#,
    )
    .await;
    // Said as it is typed, before Enter.
    h.assert_shows("session policy 1:", true);
    h.key(KeyCode::Enter).await;
    let d = overlay!(h, Assume);
    let e = d.error.clone().unwrap_or_default();
    assert!(e.starts_with("session policy 1:"), "{e}");
    assert!(e.contains("Resourse"), "{e}");
    assert!(h.app.assume.session.is_none());
    // Fixed: the session may only use S3, so the role's own ListRoles is denied.
    h.repeat(KeyCode::Backspace, 15).await;
    h.type_text(r#"Resource":"*"}}"#).await;
    h.assert_shows("session policy: valid, 86 of 2,048", true);
    h.key(KeyCode::Enter).await;
    assert!(h.app.assume.session.is_some(), "{}", h.screen(140, 30));
    h.command("roles").await;
    h.assert_shows("ListRoles failed: access denied to iam:ListRoles", true);
    // Without the session policy the same role lists roles.
    h.key(KeyCode::Char('U')).await;
    h.open_assume("DeveloperSandbox").await;
    keys(&mut h, &[KeyCode::Enter]).await;
    h.command("roles").await;
    h.assert_shows("DeveloperSandbox", true);
    h.assert_screen((140, 30), &[], &["ListRoles failed"]);
}

#[tokio::test]
async fn one_mfa_code_serves_many_assumes() {
    let mut h = Harness::demo_as("alice.nguyen").await;
    h.open_assume("BreakGlassAdmin").await;
    h.assert_shows("prediction: requires MFA", true);
    // The focus is on the code already.
    h.type_text(&mfa_code_now()).await;
    // With a code typed, MFA is expected.
    h.assert_shows("prediction: the trust policy", true);
    h.key(KeyCode::Enter).await;
    let header = h.header(160);
    assert!(
        header.contains("assumed-role/BreakGlassAdmin/alice.nguyen"),
        "{header}\n{}",
        h.screen(140, 30)
    );
    h.key(KeyCode::Char('U')).await;
    // Again, without a code: the MFA session from the first assume serves.
    h.open_assume("BreakGlassAdmin").await;
    h.assert_shows("an MFA session is active", true);
    h.key(KeyCode::Enter).await;
    let header = h.header(160);
    assert!(header.contains("assumed-role/BreakGlassAdmin"), "{header}");
    // Chaining shows its one-hour limit.
    h.open_assume("DeveloperSandbox").await;
    h.assert_shows("role chaining: the session lasts one hour at most", true);
}

// --- the traps the shared widgets fix, at 80×24 ---------------------------------------------

fn screen80(h: &Harness) -> String {
    h.screen(80, 24)
}

#[tokio::test]
async fn deleting_an_access_key_shows_the_input_line_at_80x24() {
    let mut h = demo_at("keys").await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.type_text("AKIA").await;
    h.assert_screen((80, 24), &["> AKIA", "Esc cancels"], &[]);
}

#[tokio::test]
async fn the_mfa_delete_dialog_keeps_its_last_sentence_at_80x24() {
    let mut h = demo_at("mfa").await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    let crate::app::shell::overlay::Overlay::Confirm(c) = h.app.overlay.as_ref().unwrap() else {
        panic!("no confirmation");
    };
    let last = c.lines.last().unwrap().clone();
    let screen = screen80(&h).replace("│\n│", " ");
    // The sentence may wrap; its last words are on screen.
    let tail: String = last
        .split_whitespace()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let tail_words: Vec<&str> = tail.split(' ').rev().collect();
    assert!(
        screen.contains(tail_words.join(" ").as_str()),
        "{last}\n{screen}"
    );
}

#[tokio::test]
async fn an_assume_error_keeps_the_keys_in_the_box_at_80x24() {
    let mut h = demo_at("roles").await;
    h.key(KeyCode::Char('A')).await;
    let Some(crate::app::shell::overlay::Overlay::Assume(d)) = &mut h.app.overlay else {
        panic!("no assume dialog");
    };
    d.error = Some(format!(
        "AssumeRole failed: access denied: {}",
        "because ".repeat(60)
    ));
    h.assert_screen((80, 24), &["Enter assumes"], &[]);
}

#[tokio::test]
async fn a_users_json_tab_scrolls() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Enter).await;
    for _ in 0..10 {
        match h.app.nav.current() {
            Screen::Detail(d) if d.tab() == crate::app::model::detail::Tab::Json => break,
            _ => h.key(KeyCode::Tab).await,
        }
    }
    h.assert_screen((80, 24), &[" 1–"], &[]);
    h.key(KeyCode::Down).await;
    h.assert_screen((80, 24), &[" 2–"], &[]);
    h.key(KeyCode::End).await;
    let end = screen80(&h);
    let (shown, total) = position(&end);
    assert_eq!(shown, total, "{end}");
    h.key(KeyCode::Home).await;
    assert!(screen80(&h).contains(" 1–"), "{}", screen80(&h));
}

/// The last row shown and the total of a position indicator ("3–20/143").
fn position(screen: &str) -> (usize, usize) {
    let at = screen.find('–').expect("a position");
    let rest = &screen[at + '–'.len_utf8()..];
    let (last, rest) = rest.split_once('/').unwrap();
    let total: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (last.parse().unwrap(), total.parse().unwrap())
}

#[tokio::test]
async fn the_json_overlay_end_shows_the_last_page_and_home_the_first() {
    let mut h = Harness::demo().await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('y')]).await;
    let first = screen80(&h);
    keys(&mut h, &[KeyCode::End, KeyCode::End]).await;
    let end = screen80(&h);
    let (shown, total) = position(&end);
    assert_eq!(shown, total, "{end}");
    assert!(
        end.lines().filter(|l| l.contains('"')).count() > 5,
        "blank page:\n{end}"
    );
    h.key(KeyCode::Home).await;
    assert_eq!(screen80(&h), first);
}

#[tokio::test]
async fn the_help_stops_at_its_last_page() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char('?')).await;
    for _ in 0..20 {
        h.key(KeyCode::PageDown).await;
        screen80(&h);
    }
    let screen = screen80(&h);
    assert!(screen.contains("Commands: :users"), "{screen}");
    let (shown, total) = position(&screen);
    assert_eq!(shown, total, "{screen}");
}

#[tokio::test]
async fn a_trust_policy_is_shown_as_json_not_an_escaped_string() {
    let mut h = demo_at("roles").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Char('y')]).await;
    let Some(crate::app::shell::overlay::Overlay::Text { text, .. }) = &h.app.overlay else {
        panic!("no JSON overlay");
    };
    assert!(text.contains("\"AssumeRolePolicyDocument\": {"), "{text}");
    assert!(!text.contains("\\\""), "{text}");
}

#[tokio::test]
async fn a_refused_name_keeps_the_prompt_with_the_whole_error_and_the_log_keeps_it() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char('n')).await;
    h.submit("bad name!").await;
    let p = h.app.prompt.as_ref().expect("the prompt stays open");
    assert_eq!(p.input.text, "bad name!");
    let error = p.error.clone().expect("the error is kept");
    assert!(error.contains("CreateUser"), "{error}");
    let screen = screen80(&h);
    // The whole error, wrapped under the prompt; its end is on screen.
    let last_word = error.split_whitespace().last().unwrap();
    assert!(screen.contains(last_word), "{error}\n{screen}");
    assert!(
        screen.contains("new user ([/path/]name): bad name!"),
        "{screen}"
    );
    // The log has it in full.
    h.key(KeyCode::Esc).await;
    h.command("messages").await;
    let log = h.screen(200, 40);
    assert!(log.contains(error.as_str()), "{error}\n{log}");
}

#[tokio::test]
async fn a_long_status_is_cut_with_a_marker_and_a_pointer_to_the_log() {
    let mut h = Harness::demo().await;
    h.app
        .set_error(format!("something failed: {}", "detail ".repeat(30)));
    let screen = screen80(&h);
    let footer = screen.lines().last().unwrap();
    assert!(footer.contains("… (:messages)"), "{footer}");
}

#[tokio::test]
async fn the_credentials_tab_keeps_last_used_at_80x24() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char('/')).await;
    h.type_text("daniel").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Enter, KeyCode::Tab]).await;
    h.key(KeyCode::Tab).await;
    // `…`: a cut is marked.
    h.assert_screen((80, 24), &["last used 2026-", "…"], &[]);
}

fn prompt_text(h: &Harness) -> Option<String> {
    h.app.prompt.as_ref().map(|p| p.input.text.clone())
}

/// `t` on a list row loads the row's tags, then opens the prompt with them; groups say IAM
/// does not tag them.
#[tokio::test]
async fn tags_are_edited_from_a_lists_selected_row() {
    use crate::app::shell::calls::Call;
    let mut h = demo_at("users aaron").await;
    // The prompt opens only once the tags have arrived.
    let held = h
        .key_holding(KeyCode::Char('t'), |c| matches!(c, Call::Tags { .. }))
        .await;
    assert_eq!(held.len(), 1, "the row's tags are asked for");
    assert!(h.app.prompt.is_none());
    h.settle(held).await;
    assert_eq!(
        prompt_text(&h).as_deref(),
        Some("Department=Sales Team=sales-ops CostCenter=CC-3010")
    );
    h.key(KeyCode::End).await;
    h.submit(r#" Note="Data Platform""#).await;
    let tags = h.backend.get_user(Some("aaron.bell")).await.unwrap().tags;
    assert!(
        tags.iter()
            .any(|t| t.key == "Note" && t.value == "Data Platform"),
        "{tags:?}"
    );
    // Opened again, the value with a space is quoted; confirmed unchanged, nothing is called.
    h.key(KeyCode::Char('t')).await;
    assert!(
        prompt_text(&h)
            .unwrap()
            .ends_with(r#"Note="Data Platform""#),
        "{:?}",
        prompt_text(&h)
    );
    let effects = h.press(KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, crate::app::Effect::Call { .. })),
        "{effects:?}"
    );
    h.assert_shows("tags unchanged", true);

    for (view, shows) in [
        (
            "roles BastionHostRole",
            "Team=platform Environment=production",
        ),
        ("policies BackupWriter", "Owner=platform"),
    ] {
        h.command(view).await;
        h.key(KeyCode::Char('t')).await;
        assert_eq!(prompt_text(&h).as_deref(), Some(shows), "{view}");
        h.key(KeyCode::Esc).await;
    }
    h.command("providers").await;
    h.key(KeyCode::Char('t')).await;
    let text = prompt_text(&h).expect("a provider's tags");
    assert!(text.starts_with("Owner="), "{text}");
    h.key(KeyCode::Esc).await;

    h.command("groups Admins").await;
    h.key(KeyCode::Char('t')).await;
    assert!(h.app.prompt.is_none());
    h.assert_shows("IAM does not tag groups", true);
}

/// A tag IAM would refuse keeps the prompt open with its text and says why; nothing is sent.
#[tokio::test]
async fn a_tag_iam_would_refuse_keeps_the_prompt() {
    let mut h = demo_at("users aaron").await;
    keys(&mut h, &[KeyCode::Char('t'), KeyCode::End]).await;
    h.type_text(" aws:owner=me").await;
    let effects = h.press(KeyCode::Enter, KeyModifiers::NONE);
    assert!(effects.is_empty(), "{effects:?}");
    let p = h.app.prompt.as_ref().expect("the prompt stays");
    assert!(p.input.text.ends_with(" aws:owner=me"));
    assert!(
        p.error.as_deref().unwrap().contains("reserved"),
        "{:?}",
        p.error
    );
    h.assert_shows("reserved", true);
}

/// `x` on a managed policy's "Attached to" tab detaches it from the selected entity.
#[tokio::test]
async fn detach_from_a_policys_attached_to_tab() {
    let mut h = demo_at("policies DeveloperAccess").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Tab]).await;
    let d = h.app.nav.detail().expect("a detail");
    let arn = d
        .target
        .is(ViewKind::Policies)
        .expect("a policy")
        .to_string();
    let entities = d.detail.entities.clone().expect("loaded");
    let group = entities
        .groups
        .first()
        .expect("attached to a group")
        .clone();
    // Users come first in the tab: move to the group.
    h.repeat(KeyCode::Down, entities.users.len()).await;
    h.key(KeyCode::Char('x')).await;
    h.assert_shows(&format!("Detach DeveloperAccess from group {group}?"), true);
    h.key(KeyCode::Char('y')).await;
    let attached = h
        .backend
        .list_attached_policies(&EntityRef::group(&group))
        .await
        .unwrap();
    assert!(!attached.iter().any(|a| a.arn == arn));
    // Reloaded: the tab no longer lists the group.
    let d = h.app.nav.detail().expect("a detail");
    let now = d.detail.entities.clone().expect("reloaded");
    assert!(!now.groups.contains(&group), "{now:?}");
}

#[tokio::test]
async fn x_on_a_boundary_row_of_attached_to_says_it_is_no_attachment() {
    let mut h = demo_at("policies EngineeringBoundary").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Tab]).await;
    let d = h.app.nav.detail().expect("a detail");
    let entities = d.detail.entities.clone().expect("loaded");
    // The boundary's users and roles follow the attachments in the tab.
    let attached = entities.users.len() + entities.groups.len() + entities.roles.len();
    h.repeat(KeyCode::Down, attached).await;
    h.key(KeyCode::Char('x')).await;
    h.assert_shows(
        "this row is a permissions boundary, not an attachment",
        true,
    );
    assert!(h.app.overlay.is_none(), "nothing to confirm");
}

fn selected_policy(h: &Harness) -> String {
    let l = h.app.nav.list().expect("a list");
    l.selected_row().expect("a row").cells[0].clone()
}

/// The held pages of the policies list (all of them, or those after the first).
fn policy_pages(after_first: bool) -> impl Fn(&crate::app::shell::calls::Call) -> bool {
    move |c| {
        matches!(c, crate::app::shell::calls::Call::ListPolicies { marker }
            if marker.is_some() || !after_first)
    }
}

/// A policy selected, then the list reloaded with the page holding it held back: Enter and
/// `ctrl-d` pressed while another row stands in act on the chosen policy once it is back.
#[tokio::test]
async fn a_row_action_during_a_reload_waits_for_the_chosen_row() {
    let mut h = demo_at("policies").await;
    {
        let Screen::List(l) = h.app.nav.current_mut() else {
            panic!("not a list")
        };
        let i = l
            .rows
            .iter()
            .position(|r| r.cells[0] == "DataLakeReadAccess")
            .unwrap();
        l.selected = i;
        l.chosen = true;
    }
    for key in [KeyCode::Enter, KeyCode::Char('d')] {
        let mods = if key == KeyCode::Char('d') {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        let effects = h.press(KeyCode::Char('r'), KeyModifiers::CONTROL);
        let held = h.settle_holding(effects, policy_pages(true)).await;
        assert!(!held.is_empty());
        assert_ne!(
            selected_policy(&h),
            "DataLakeReadAccess",
            "another row stands in"
        );
        let effects = h.press(key, mods);
        let mut more = h.settle_holding(effects, policy_pages(true)).await;
        more.extend(held);
        h.settle(more).await;
        match key {
            KeyCode::Enter => {
                let Screen::Detail(d) = h.app.nav.current() else {
                    panic!("no detail: {}", h.screen(120, 30))
                };
                assert_eq!(d.target.name(), "DataLakeReadAccess");
                h.key(KeyCode::Esc).await;
                assert_eq!(selected_policy(&h), "DataLakeReadAccess");
            }
            _ => h.assert_shows("Delete policy DataLakeReadAccess", true),
        }
    }
}

/// `:policies DataRead` then `e` before any row has arrived: the editor opens on the row the
/// list selects once loaded, not on a first match that came early.
#[tokio::test]
async fn edit_pressed_before_the_rows_arrive_opens_the_row_shown_once_loaded() {
    let mut h = Harness::demo().await;
    h.key(KeyCode::Char(':')).await;
    h.type_text("policies DataRead").await;
    let held = h.key_holding(KeyCode::Enter, policy_pages(false)).await;
    assert_eq!(held.len(), 1);
    let effects = h.press(KeyCode::Char('e'), KeyModifiers::NONE);
    let mut more = h.settle_holding(effects, policy_pages(false)).await;
    assert!(h.app.editor.is_none(), "nothing to edit yet");
    more.extend(held);
    h.settle(more).await;
    let shown = selected_policy(&h);
    let editor = h.app.editor.as_ref().expect("the editor opened");
    match &editor.target {
        crate::app::editor::EditTarget::Managed { arn, .. } => {
            assert!(arn.ends_with(&format!("/{shown}")), "{arn} vs {shown}")
        }
        t => panic!("{t:?}"),
    }
}
