//! The versions room driven by keys on the local account, read back from the account.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::view::{Pair, pairs};
use crate::app::harness::Harness;
use crate::iam::CreatePolicy;

/// A document allowing `actions` on one long bucket ARN.
fn doc(actions: &[&str]) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "Buckets",
            "Effect": "Allow",
            "Action": actions,
            "Resource": "arn:aws:s3:::example-corp-a-rather-long-bucket-name-for-wrapping/reports/quarterly/end-of-resource"
        }]
    })
    .to_string()
}

/// A policy `Versioned` with v1 (GetObject), v2 (+PutObject) and v3 (+DeleteObject, the
/// default); the console on its Versions tab, v1 selected.
async fn versioned() -> (Harness, String) {
    let mut h = Harness::demo().await;
    let p = h
        .backend
        .create_policy(CreatePolicy {
            name: "Versioned".into(),
            document: doc(&["s3:GetObject"]),
            ..Default::default()
        })
        .await
        .unwrap();
    for actions in [
        &["s3:GetObject", "s3:PutObject"][..],
        &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    ] {
        h.backend
            .create_policy_version(&p.arn, &doc(actions), true)
            .await
            .unwrap();
    }
    h.command("policies Versioned").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Versions", true);
    (h, p.arn)
}

/// The policy's version ids, and its default version, as the account has them.
async fn versions(h: &Harness, arn: &str) -> (Vec<String>, String) {
    let mut ids: Vec<String> = h
        .backend
        .list_policy_versions(arn)
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.version_id)
        .collect();
    ids.sort();
    let default = h.backend.get_policy(arn).await.unwrap().default_version_id;
    (ids, default)
}

/// Selects the row of version `id` in the Versions tab.
async fn select(h: &mut Harness, id: &str) {
    h.key(KeyCode::Home).await;
    for _ in 0..10 {
        let d = h.app.nav.detail().expect("a detail view");
        if d.selected_row(h.app.now()).map(|r| r.cells[0].clone()) == Some(id.to_string()) {
            return;
        }
        h.key(KeyCode::Down).await;
    }
    panic!("no row {id}:\n{}", h.screen(120, 40));
}

fn ctrl_d() -> (KeyCode, KeyModifiers) {
    (KeyCode::Char('d'), KeyModifiers::CONTROL)
}

#[tokio::test]
async fn d_rolls_back_to_an_older_version_and_forward_again() {
    let (mut h, arn) = versioned().await;
    assert_eq!(versions(&h, &arn).await.1, "v3");
    select(&mut h, "v1").await;
    h.key(KeyCode::Char('D')).await;
    h.assert_shows("Make v1 the default version of policy Versioned?", true);
    h.assert_shows("This rolls back from", true);
    h.key(KeyCode::Char('y')).await;
    assert_eq!(versions(&h, &arn).await.1, "v1");
    h.assert_shows("v1 is now the default version of Versioned", true);
    // The view reloaded: v1's row says default.
    let screen = h.screen(120, 40);
    let row = screen.lines().find(|l| l.starts_with("│v1 ")).unwrap();
    assert!(row.contains("default"), "{screen}");

    // On the default: it says so, and asks nothing.
    select(&mut h, "v1").await;
    h.key(KeyCode::Char('D')).await;
    h.assert_shows("v1 already is the default version of Versioned", true);
    assert!(h.app.overlay.is_none());

    // Forward again: no roll-back said; Esc cancels and nothing changes.
    select(&mut h, "v2").await;
    h.key(KeyCode::Char('D')).await;
    h.assert_shows("Make v2 the default version of policy Versioned?", true);
    h.assert_shows("It replaces v1", true);
    h.key(KeyCode::Esc).await;
    assert_eq!(versions(&h, &arn).await.1, "v1");
    h.key(KeyCode::Char('D')).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(versions(&h, &arn).await.1, "v2");
}

#[tokio::test]
async fn ctrl_d_deletes_a_version_not_the_policy_and_refuses_the_default() {
    let (mut h, arn) = versioned().await;
    select(&mut h, "v3").await;
    let (code, mods) = ctrl_d();
    h.key_with(code, mods).await;
    h.assert_shows("IAM refuses to delete v3: it is the default version", true);
    assert!(h.app.overlay.is_none());
    assert_eq!(
        versions(&h, &arn).await,
        (vec!["v1".into(), "v2".into(), "v3".into()], "v3".into())
    );

    select(&mut h, "v1").await;
    h.key_with(code, mods).await;
    h.assert_shows("Delete version v1 of policy Versioned?", true);
    h.assert_shows("its default version v3 stay", true);
    h.key(KeyCode::Char('y')).await;
    assert_eq!(
        versions(&h, &arn).await,
        (vec!["v2".into(), "v3".into()], "v3".into())
    );
    h.assert_shows("Deleted version v1 of Versioned", true);
    // Still in the policy's detail, which still exists.
    assert!(h.app.nav.detail().is_some());
    h.backend.get_policy(&arn).await.unwrap();

    // With no version row (the versions not loaded yet), delete on the Versions tab does not
    // fall through to deleting the policy.
    if let crate::app::shell::nav::Screen::Detail(d) = h.app.nav.current_mut() {
        d.detail.versions = None;
    }
    h.key_with(code, mods).await;
    h.assert_shows(
        "on the Versions tab, delete deletes the selected version",
        true,
    );
    assert!(h.app.overlay.is_none());
    // From another tab, delete is the policy's again (IAM refuses while versions remain).
    h.key(KeyCode::Tab).await;
    h.key_with(code, mods).await;
    h.assert_shows("Delete policy Versioned", true);
}

#[tokio::test]
async fn equals_twice_shows_the_diff_unified_and_side_by_side() {
    let (mut h, _) = versioned().await;
    // Marked, then forgotten with Esc (the view stays).
    select(&mut h, "v1").await;
    h.key(KeyCode::Char('=')).await;
    h.assert_shows(
        "compare v1 with… select another version and press = again",
        true,
    );
    // The row says so too.
    let screen = h.screen(120, 40);
    let row = screen.lines().find(|l| l.starts_with("│v1 ")).unwrap();
    assert!(row.contains("= compare with…"), "{screen}");
    h.key(KeyCode::Esc).await;
    h.assert_shows("forgot v1", true);
    assert!(h.app.nav.detail().is_some());
    // Forgotten: the next = marks again.
    select(&mut h, "v2").await;
    h.key(KeyCode::Char('=')).await;
    h.assert_shows("compare v2 with…", true);
    h.key(KeyCode::Esc).await;

    // v1 against v3: v1's document was not loaded (only the default's is): it is read.
    select(&mut h, "v1").await;
    h.key(KeyCode::Char('=')).await;
    select(&mut h, "v3").await;
    h.key(KeyCode::Char('=')).await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("Versions of Versioned"), "{screen}");
    assert!(screen.contains("--- v1"), "{screen}");
    let added: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("s3:PutObject") || l.contains("s3:DeleteObject"))
        .collect();
    assert_eq!(added.len(), 2, "{screen}");
    assert!(added.iter().all(|l| l.contains("│+ ")), "{screen}");
    // Formatted in IAM's key order: Sid first, as the formatter puts it.
    assert!(screen.contains("\"Sid\": \"Buckets\""), "{screen}");

    // Side by side at a narrow width: both columns, the changed lines marked, the long ARN
    // wrapped inside its column rather than cut.
    h.key(KeyCode::Char('s')).await;
    let screen = h.screen(100, 40);
    let marked: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(" > ") || l.contains(" | "))
        .collect();
    assert!(
        marked.iter().any(|l| l.contains("s3:DeleteObject")),
        "{screen}"
    );
    let screen = h.screen(70, 40);
    assert_eq!(
        screen.matches("end-of").count(),
        2,
        "each column shows the whole ARN:\n{screen}"
    );
    assert!(screen.contains("v1 → v3"), "{screen}");

    // It scrolls: a short terminal shows the end after End, not the start.
    let top = h.screen(70, 12);
    h.key(KeyCode::End).await;
    let end = h.screen(70, 12);
    assert_ne!(top, end);
    assert!(!end.contains("v1 → v3"), "{end}");
    // Back to unified; Esc closes.
    h.key(KeyCode::Char('s')).await;
    h.key(KeyCode::Esc).await;
    assert!(h.app.overlay.is_none());
    assert!(h.app.nav.detail().is_some());

    // A mark left in this policy does not hold Esc in another policy's view.
    h.key(KeyCode::Char('=')).await;
    h.command("policies DeveloperAccess").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Esc).await;
    assert!(h.app.nav.detail().is_none(), "{}", h.screen(120, 40));
    assert!(h.app.versions.base.is_none());
}

#[tokio::test]
async fn aws_managed_policies_cannot_be_changed() {
    let mut h = Harness::demo().await;
    h.command("policies ReadOnlyAccess").await;
    h.key(KeyCode::Enter).await;
    let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let before = h.backend.list_policy_versions(arn).await.unwrap();
    h.key(KeyCode::Char('D')).await;
    h.assert_shows("ReadOnlyAccess is an AWS managed policy", true);
    assert!(h.app.overlay.is_none());
    let (code, mods) = ctrl_d();
    h.key_with(code, mods).await;
    h.assert_shows("ReadOnlyAccess is an AWS managed policy", true);
    assert!(h.app.overlay.is_none());
    assert_eq!(
        h.backend.list_policy_versions(arn).await.unwrap().len(),
        before.len()
    );
}

#[tokio::test]
async fn read_only_refuses_d_and_delete_but_diffs() {
    let mut h = Harness::with(true, "default").await;
    h.command("policies DeveloperAccess").await;
    h.key(KeyCode::Enter).await;
    let arn = h.app.nav.detail().unwrap().target.id.clone();
    let before = versions(&h, &arn).await;
    select(&mut h, "v3").await;
    h.key(KeyCode::Char('D')).await;
    h.assert_shows("`set_default_version` changes the account; refused", true);
    let (code, mods) = ctrl_d();
    h.key_with(code, mods).await;
    h.assert_shows("`delete` changes the account; refused", true);
    assert!(h.app.overlay.is_none());
    assert_eq!(versions(&h, &arn).await, before);
    // Comparing changes nothing: it works.
    h.key(KeyCode::Char('=')).await;
    select(&mut h, "v4").await;
    h.key(KeyCode::Char('=')).await;
    h.assert_shows("Versions of DeveloperAccess", true);
    // The help leaves D out, and lists =.
    h.key(KeyCode::Esc).await;
    h.key(KeyCode::Char('?')).await;
    let help = h.screen(160, 200);
    assert!(
        !help.contains("Make the selected policy version the default"),
        "{help}"
    );
    assert!(help.contains("Mark a policy version, then ="), "{help}");
}

#[tokio::test]
async fn help_lists_the_version_keys() {
    let mut h = Harness::demo().await;
    h.command("policies DeveloperAccess").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Char('?')).await;
    let help = h.screen(160, 200);
    assert!(
        help.contains("Make the selected policy version the default"),
        "{help}"
    );
    assert!(help.contains("Mark a policy version, then ="), "{help}");
}

#[test]
fn pairs_line_up_the_changes() {
    let old = "a\nb\nc\n";
    let new = "a\nB\nc\nd\n";
    let p = |l: Option<&str>, mark, r: Option<&str>| Pair {
        left: l.map(Into::into),
        mark,
        right: r.map(Into::into),
    };
    assert_eq!(
        pairs(old, new),
        [
            p(Some("a"), ' ', Some("a")),
            p(Some("b"), '|', Some("B")),
            p(Some("c"), ' ', Some("c")),
            p(None, '>', Some("d")),
        ]
    );
    assert_eq!(
        pairs("x\ny\n", "y\n"),
        [p(Some("x"), '<', None), p(Some("y"), ' ', Some("y"))]
    );
}
