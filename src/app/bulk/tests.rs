//! Bulk actions driven by keys on the local account, read back from the account.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::{BulkDialog, Stage};
use crate::app::harness::{Harness, overlay};
use crate::iam::{CreateRole, CreateUser, EntityRef, Tag, TagTarget};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

async fn users(h: &Harness, names: &[&str]) {
    for n in names {
        let req = CreateUser {
            name: n.to_string(),
            ..Default::default()
        };
        h.backend.create_user(req).await.unwrap();
    }
}

/// Opens `view` filtered by `filter` on data read afresh, and marks every row shown.
async fn mark_all(h: &mut Harness, view: &str, filter: &str, expect: usize) {
    h.command(&format!("{view} {filter}")).await;
    h.key_with(KeyCode::Char('r'), KeyModifiers::CONTROL).await;
    h.key(KeyCode::Char('*')).await;
    let l = h.app.nav.list().expect("a list");
    assert_eq!(l.rows.len(), expect, "{}", h.screen(120, 40));
    assert_eq!(l.marks.len(), expect);
}

fn dialog(h: &Harness) -> &BulkDialog {
    overlay!(h, Bulk)
}

async fn tags(h: &Harness, user: &str) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = h
        .backend
        .list_tags(&TagTarget::User(user.into()))
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect();
    t.sort();
    t
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Three marked users get a tag set and one removed; each keeps its other tags.
#[tokio::test]
async fn marked_users_are_tagged_together() {
    let mut h = Harness::demo().await;
    users(&h, &["zzbulk1", "zzbulk2", "zzbulk3"]).await;
    let old = [Tag::new("old", "x"), Tag::new("keep", "1")];
    h.backend
        .tag(&TagTarget::User("zzbulk2".into()), &old)
        .await
        .unwrap();
    mark_all(&mut h, "users", "zzbulk", 3).await;
    h.assert_shows("· 3 marked", true);
    h.key(KeyCode::Char('t')).await;
    h.assert_shows("Tags of 3 marked users", true);
    // IAM's rules are checked first; the text stays to be corrected.
    h.submit("aws:x=1").await;
    assert_eq!(dialog(&h).stage, Stage::Tags);
    assert!(dialog(&h).error.as_deref().unwrap().contains("reserved"));
    assert_eq!(dialog(&h).input.text, "aws:x=1");
    h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
    h.submit("team=blue -old").await;
    assert_eq!(dialog(&h).stage, Stage::Confirm);
    h.assert_shows("user zzbulk1: TagUser team=blue; UntagUser old", true);
    h.key(KeyCode::Char('y')).await;
    let d = dialog(&h);
    assert_eq!(d.stage, Stage::Done, "{}", h.screen(120, 40));
    assert!(d.jobs.iter().all(|j| j.result == Some(Ok(()))));
    h.assert_shows("done: 3/3 rows, 3 ✓, 0 ✗", true);
    assert_eq!(tags(&h, "zzbulk1").await, pairs(&[("team", "blue")]));
    assert_eq!(tags(&h, "zzbulk3").await, pairs(&[("team", "blue")]));
    assert_eq!(
        tags(&h, "zzbulk2").await,
        pairs(&[("keep", "1"), ("team", "blue")])
    );
    h.key(KeyCode::Esc).await;
    assert!(h.app.overlay.is_none());
    // The marks stay on the rows after the reload.
    assert_eq!(h.app.nav.list().unwrap().marks.len(), 3);
}

/// Marked users join a group picked once.
#[tokio::test]
async fn marked_users_are_added_to_a_group() {
    let mut h = Harness::demo().await;
    users(&h, &["zzjoin1", "zzjoin2"]).await;
    h.backend.create_group("zzcrew", None).await.unwrap();
    mark_all(&mut h, "users", "zzjoin", 2).await;
    h.key(KeyCode::Char('m')).await;
    h.assert_shows("Add 2 marked users to a group", true);
    h.submit("zzcrew").await;
    h.assert_shows("user zzjoin2: AddUserToGroup zzcrew", true);
    h.key(KeyCode::Enter).await;
    assert_eq!(dialog(&h).stage, Stage::Done);
    for u in ["zzjoin1", "zzjoin2"] {
        let groups = h.backend.list_groups_for_user(u).await.unwrap();
        assert!(groups.iter().any(|g| g.name == "zzcrew"), "{u}: {groups:?}");
    }
    // Marked groups have no bulk add: it says so.
    h.key(KeyCode::Esc).await;
    mark_all(&mut h, "groups", "zzcrew", 1).await;
    h.key(KeyCode::Char('m')).await;
    h.assert_shows("adds the marked users to a group", true);
}

/// Two policies attached to marked roles one after another, then one detached from every
/// marked role; a role without it is reported as skipped.
#[tokio::test]
async fn policies_are_attached_to_and_detached_from_marked_roles() {
    let mut h = Harness::demo().await;
    for r in ["zzrole1", "zzrole2", "zzrole3"] {
        let req = CreateRole {
            name: r.into(),
            assume_role_policy: TRUST.into(),
            ..Default::default()
        };
        h.backend.create_role(req).await.unwrap();
    }
    let attached = |h: &Harness, r: &'static str| {
        let b = h.backend.clone();
        async move {
            let mut v: Vec<String> = b
                .list_attached_policies(&EntityRef::role(r))
                .await
                .unwrap()
                .into_iter()
                .map(|p| p.name)
                .collect();
            v.sort();
            v
        }
    };
    // Only the first two roles get the policies.
    h.command("roles zzrole").await;
    h.key_with(KeyCode::Char('r'), KeyModifiers::CONTROL).await;
    h.key(KeyCode::Char(' ')).await;
    h.key(KeyCode::Char(' ')).await;
    assert_eq!(h.app.nav.list().unwrap().marks.len(), 2);
    for policy in ["ReadOnlyAccess", "IAMUserChangePassword"] {
        h.key(KeyCode::Char('a')).await;
        h.assert_shows("Attach a policy to 2 marked roles", true);
        h.submit(policy).await;
        h.assert_shows(&format!("AttachRolePolicy {policy}"), true);
        h.key(KeyCode::Char('y')).await;
        assert_eq!(dialog(&h).stage, Stage::Done, "{}", h.screen(120, 40));
        h.key(KeyCode::Esc).await;
    }
    let both = vec!["IAMUserChangePassword".to_string(), "ReadOnlyAccess".into()];
    assert_eq!(attached(&h, "zzrole1").await, both);
    assert_eq!(attached(&h, "zzrole2").await, both);
    assert!(attached(&h, "zzrole3").await.is_empty());

    // All three marked; detach ReadOnlyAccess: the third has it not.
    h.key(KeyCode::Char('*')).await;
    assert_eq!(h.app.nav.list().unwrap().marks.len(), 3);
    h.key(KeyCode::Char('x')).await;
    h.assert_shows("Detach a policy from 3 marked roles", true);
    h.submit("ReadOnlyAccess").await;
    assert_eq!(dialog(&h).stage, Stage::Confirm, "{}", h.screen(120, 40));
    h.assert_shows(
        "role zzrole3: skipped: the policy is not attached to it",
        true,
    );
    h.assert_shows("2 of the 3 marked rows", true);
    h.key(KeyCode::Enter).await;
    assert_eq!(dialog(&h).stage, Stage::Done);
    let rest = vec!["IAMUserChangePassword".to_string()];
    assert_eq!(attached(&h, "zzrole1").await, rest);
    assert_eq!(attached(&h, "zzrole2").await, rest);
    assert!(attached(&h, "zzrole3").await.is_empty());
}

/// A bulk delete asks for the count to be typed; a user with an access key is refused
/// (DeleteConflict, IAM's message shown) and the others are deleted.
#[tokio::test]
async fn a_bulk_delete_reports_the_refused_row_and_deletes_the_others() {
    let mut h = Harness::demo().await;
    users(&h, &["zzgone1", "zzgone2", "zzgone3"]).await;
    h.backend.create_access_key(Some("zzgone2")).await.unwrap();
    mark_all(&mut h, "users", "zzgone", 3).await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows("Delete 3 marked users", true);
    h.assert_shows("type `delete 3`", true);
    h.submit("delete 2").await;
    assert_eq!(dialog(&h).error.as_deref(), Some("that is not `delete 3`"));
    assert_eq!(dialog(&h).stage, Stage::Confirm);
    h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
    h.submit("delete 3").await;
    let d = dialog(&h);
    assert_eq!(d.stage, Stage::Done, "{}", h.screen(120, 40));
    let refused = d.jobs.iter().find(|j| j.label == "user zzgone2").unwrap();
    let message = refused.result.clone().unwrap().unwrap_err();
    assert!(
        message.contains("DeleteConflict") || message.contains("access keys"),
        "{message}"
    );
    h.assert_shows("✗ user zzgone2", true);
    h.assert_shows("2 ✓, 1 ✗", true);
    for (u, exists) in [("zzgone1", false), ("zzgone2", true), ("zzgone3", false)] {
        assert_eq!(h.backend.get_user(Some(u)).await.is_ok(), exists, "{u}");
    }
    // The deleted rows lose their marks once the list is back.
    h.key(KeyCode::Esc).await;
    let l = h.app.nav.list().unwrap();
    assert_eq!(l.marks.len(), 1, "{:?}", l.marks);
    h.assert_shows("· 1 marked", true);
}

/// Read-only: the bulk path is refused like the single one, and nothing changes.
#[tokio::test]
async fn a_read_only_console_refuses_bulk_actions() {
    let mut h = Harness::with(true, "default").await;
    h.command("users").await;
    h.key(KeyCode::Char('*')).await;
    assert!(
        !h.app.nav.list().unwrap().marks.is_empty(),
        "marking is reading"
    );
    let before = h.backend.list_users(Default::default()).await.unwrap();
    for key in ['t', 'a', 'm', 'x'] {
        h.app.status = None;
        h.key(KeyCode::Char(key)).await;
        assert!(h.app.overlay.is_none(), "{key}");
        let status = h.app.status.clone().expect("a refusal").text;
        assert!(status.contains("changes the account; refused"), "{status}");
    }
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    assert!(h.app.overlay.is_none());
    // Were a dialog open anyway, starting it is refused too and sends nothing.
    let rows = super::marked(&h.app).unwrap().1;
    let mut d = BulkDialog::new(&mut h.app, "x".into(), super::Action::Delete, rows.clone());
    d.jobs = rows
        .iter()
        .map(|t| super::Job::new(t, vec![(t.kind.delete)(&t.id).unwrap()]))
        .collect();
    h.app.overlay = Some(crate::app::shell::overlay::Overlay::Bulk(Box::new(d)));
    let effects = super::start(&mut h.app);
    assert!(effects.is_empty());
    assert!(
        dialog(&h)
            .error
            .as_deref()
            .unwrap()
            .starts_with("refused: ")
    );
    let after = h.backend.list_users(Default::default()).await.unwrap();
    assert_eq!(before.items.len(), after.items.len());
}

/// The tags of marked instance profiles, and `t` on an instance profile's detail.
#[tokio::test]
async fn instance_profiles_are_tagged_from_the_list_and_the_detail() {
    let mut h = Harness::demo().await;
    for p in ["zzprof1", "zzprof2"] {
        h.backend.create_instance_profile(p, None).await.unwrap();
    }
    mark_all(&mut h, "instanceprofiles", "zzprof", 2).await;
    h.key(KeyCode::Char('t')).await;
    h.submit("env=prod").await;
    h.assert_shows("TagInstanceProfile env=prod", true);
    h.key(KeyCode::Char('y')).await;
    assert_eq!(dialog(&h).stage, Stage::Done, "{}", h.screen(120, 40));
    h.key(KeyCode::Esc).await;
    for p in ["zzprof1", "zzprof2"] {
        let tags = h
            .backend
            .list_tags(&TagTarget::InstanceProfile(p.into()))
            .await
            .unwrap();
        assert_eq!(tags, [Tag::new("env", "prod")], "{p}");
    }
    // One at a time from its detail: the prompt starts with its tags.
    h.key(KeyCode::Char('*')).await;
    assert!(h.app.nav.list().unwrap().marks.is_empty());
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Char('t')).await;
    let p = h.app.prompt.as_ref().expect("the tags prompt");
    assert_eq!(p.input.text, "env=prod");
    h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
    h.submit("env=dev").await;
    let name = h.app.nav.detail().unwrap().target.id.clone();
    let tags = h
        .backend
        .list_tags(&TagTarget::InstanceProfile(name.clone()))
        .await
        .unwrap();
    assert_eq!(tags, [Tag::new("env", "dev")], "{name}");
}

/// Marked policies: the customer-managed ones are tagged, the AWS managed ones (which only AWS
/// tags) are listed as skipped.
#[tokio::test]
async fn aws_managed_policies_among_the_marked_are_skipped() {
    let mut h = crate::app::harness::demo_at("policies DeveloperAccess").await;
    h.key(KeyCode::Char('*')).await;
    let l = h.app.nav.list().unwrap();
    let marked: Vec<(String, String)> = l
        .marked_rows()
        .iter()
        .map(|r| (r.cells[0].clone(), r.arn.clone().unwrap()))
        .collect();
    assert!(
        marked.iter().any(|(n, _)| n == "DeveloperAccess"),
        "{marked:?}"
    );
    assert!(
        marked
            .iter()
            .any(|(n, _)| n == "AWSCodeBuildDeveloperAccess")
    );
    h.key(KeyCode::Char('t')).await;
    h.submit("team=x").await;
    h.assert_shows("policy AWSCodeBuildDeveloperAccess: skipped", true);
    h.key(KeyCode::Char('y')).await;
    assert_eq!(dialog(&h).stage, Stage::Done, "{}", h.screen(120, 40));
    for (name, arn) in marked {
        let tags = h.backend.list_tags(&TagTarget::Policy(arn.clone())).await;
        if arn.starts_with("arn:aws:iam::aws:") {
            assert!(tags.is_err() || tags.unwrap().is_empty(), "{name}");
        } else {
            assert!(tags.unwrap().contains(&Tag::new("team", "x")), "{name}");
        }
    }
}
