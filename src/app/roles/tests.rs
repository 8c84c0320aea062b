//! Roles made and edited from the console on the demo account, read back from the account.

use ratatui::crossterm::event::KeyCode;

use crate::app::harness::{Harness, demo_at};
use crate::iam::Tag;

/// ctrl-s, then Enter on the diff: the editor's save.
async fn save(h: &mut Harness) {
    h.ctrl('s').await;
    h.key(KeyCode::Enter).await;
}

#[tokio::test]
async fn a_service_role_is_made_with_every_field_of_the_form() {
    let mut h = demo_at("roles").await;
    h.key(KeyCode::Char('n')).await;
    h.assert_shows("New role: who may assume it?", true);
    h.key(KeyCode::Enter).await;
    h.assert_shows("which service assumes it?", true);
    h.type_text("lambda.amazonaws").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("the service lambda.amazonaws.com assumes it", true);
    // A name IAM refuses is said under the field as it is typed; Enter goes nowhere.
    h.type_text("fn runner").await;
    h.assert_shows("` ` cannot be in a role name", true);
    h.key(KeyCode::Enter).await;
    assert!(h.app.editor.is_none());
    h.field("fn-runner").await;
    h.field("Runs the storefront's functions").await;
    h.field("/apps/").await;
    h.field("13").await;
    h.assert_shows("whole hours from 1 to 12", true);
    h.key(KeyCode::BackTab).await;
    h.field("4").await;
    h.field("EngineeringBoundary").await;
    h.field(r#"team=web "cost center"=42"#).await;
    h.key(KeyCode::Enter).await;

    // The trust policy is in the editor, checked as a trust policy; nothing is made yet.
    let e = h.app.editor.as_ref().expect("the editor opens");
    assert!(
        e.text.contains(r#""Service": "lambda.amazonaws.com""#),
        "{}",
        e.text
    );
    assert!(e.title.contains("new role fn-runner"));
    assert!(h.backend.get_role("fn-runner").await.is_err());
    save(&mut h).await;
    h.assert_shows("created role arn:aws:iam::", true);

    let role = h.backend.get_role("fn-runner").await.unwrap();
    assert_eq!(role.path, "/apps/");
    assert_eq!(
        role.description.as_deref(),
        Some("Runs the storefront's functions")
    );
    assert_eq!(role.max_session_duration, 4 * 3600);
    let boundary = role.permissions_boundary.expect("a boundary");
    assert_eq!(
        boundary,
        "arn:aws:iam::123456789012:policy/boundaries/EngineeringBoundary"
    );
    assert!(role.tags.contains(&Tag::new("cost center", "42")));
    assert!(role.tags.contains(&Tag::new("team", "web")));
    let trust = role.assume_role_policy.unwrap();
    assert!(trust.contains("lambda.amazonaws.com"), "{trust}");
}

#[tokio::test]
async fn an_account_role_requires_its_external_id_and_mfa() {
    let mut h = demo_at("roles").await;
    h.key(KeyCode::Char('n')).await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("principals of an account assume it", true);
    h.field("partner-audit").await;
    h.field("4444").await;
    h.assert_shows("an account id is 12 digits", true);
    h.key(KeyCode::BackTab).await;
    h.field("444455556666").await;
    h.field("audit-2026").await;
    h.key(KeyCode::Char(' ')).await;
    h.assert_shows("[x]", true);
    h.key(KeyCode::Enter).await;
    save(&mut h).await;
    let role = h.backend.get_role("partner-audit").await.unwrap();
    let trust = role.assume_role_policy.unwrap();
    assert!(trust.contains("arn:aws:iam::444455556666:root"), "{trust}");
    assert!(
        trust.contains(r#""sts:ExternalId": "audit-2026""#),
        "{trust}"
    );
    assert!(trust.contains("aws:MultiFactorAuthPresent"), "{trust}");
    assert_eq!(role.max_session_duration, 3600);
    assert_eq!(role.path, "/");
}

#[tokio::test]
async fn a_github_actions_role_names_its_repository() {
    let mut h = demo_at("roles").await;
    h.key(KeyCode::Char('n')).await;
    h.repeat(KeyCode::Down, 2).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("token.actions.githubusercontent.com", true);
    h.field("gha-deploy").await;
    // Provider and audience as offered; the subject left empty is refused on Enter.
    h.repeat(KeyCode::Tab, 2).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("name the repository", true);
    assert!(h.app.editor.is_none());
    h.type_text("repo:acme/storefront:ref:refs/heads/main")
        .await;
    h.key(KeyCode::Enter).await;
    save(&mut h).await;
    let trust = h
        .backend
        .get_role("gha-deploy")
        .await
        .unwrap()
        .assume_role_policy
        .unwrap();
    assert!(trust.contains("sts:AssumeRoleWithWebIdentity"), "{trust}");
    assert!(
        trust.contains(r#""token.actions.githubusercontent.com:sub": "repo:acme/storefront:ref:refs/heads/main""#),
        "{trust}"
    );
    assert!(trust.contains(r#""token.actions.githubusercontent.com:aud": "sts.amazonaws.com""#));
}

#[tokio::test]
async fn a_trust_policy_with_errors_is_not_sent_and_a_name_taken_keeps_the_text() {
    let mut h = demo_at("roles").await;
    let taken = h.app.data.roles.items[0].name.clone();
    h.key(KeyCode::Char('n')).await;
    h.repeat(KeyCode::Down, 3).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Okta", true);
    h.field(&taken).await;
    h.key(KeyCode::Enter).await;
    save(&mut h).await;
    let e = h.app.editor.as_ref().expect("the editor stays open");
    assert!(
        e.message
            .as_ref()
            .is_some_and(|(m, _)| m.contains("not saved")),
        "{:?}",
        e.message
    );
    assert!(e.text.contains("sts:AssumeRoleWithSAML"));
}

#[tokio::test]
async fn u_edits_a_roles_description_and_max_session() {
    let mut h = demo_at("roles Bastion").await;
    let name = "BastionHostRole";
    h.key(KeyCode::Char('u')).await;
    h.assert_shows(&format!("Edit role {name}"), true);
    h.field("Reviewed 2026-12").await;
    h.field("8").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows(&format!("Updated role {name}"), true);
    let role = h.backend.get_role(name).await.unwrap();
    assert_eq!(role.description.as_deref(), Some("Reviewed 2026-12"));
    assert_eq!(role.max_session_duration, 8 * 3600);

    // Service-linked roles belong to their service.
    h.command("roles AWSServiceRoleForRDS").await;
    h.key(KeyCode::Char('u')).await;
    assert!(h.app.overlay.is_none());
    h.assert_shows("a service-linked role is defined by its service", true);
}

#[tokio::test]
async fn read_only_refuses_making_and_editing_roles() {
    let mut h = Harness::with(true, "default").await;
    h.command("roles").await;
    h.key(KeyCode::Char('u')).await;
    assert!(h.app.overlay.is_none());
    h.key(KeyCode::Char('n')).await;
    assert!(h.app.overlay.is_none());
    h.assert_shows("read-only", true);
}

#[tokio::test]
async fn a_service_linked_role_is_made_and_deleted_with_its_services_calls() {
    let mut h = demo_at("roles").await;
    h.key(KeyCode::Char('n')).await;
    h.repeat(KeyCode::Down, 4).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("New service-linked role", true);
    h.field("elasticbeanstalk").await;
    h.assert_shows("a service principal, like", true);
    h.key(KeyCode::BackTab).await;
    h.field("elasticbeanstalk.amazonaws.com").await;
    h.field("For the storefront's environments").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows(
        "Created service-linked role AWSServiceRoleForElasticBeanstalk",
        true,
    );
    let role = h
        .backend
        .get_role("AWSServiceRoleForElasticBeanstalk")
        .await
        .unwrap();
    assert_eq!(
        role.path,
        "/aws-service-role/elasticbeanstalk.amazonaws.com/"
    );
    assert_eq!(
        role.description.as_deref(),
        Some("For the storefront's environments")
    );

    // Deleting it is its service's call, followed until the task ends.
    h.command("roles AWSServiceRoleForElasticBeanstalk").await;
    h.ctrl('d').await;
    h.assert_shows(
        "DeleteServiceLinkedRole AWSServiceRoleForElasticBeanstalk",
        true,
    );
    h.submit("AWSServiceRoleForElasticBeanstalk").await;
    h.assert_shows(
        "Deleted role AWSServiceRoleForElasticBeanstalk (1 calls)",
        true,
    );
    assert!(
        h.backend
            .get_role("AWSServiceRoleForElasticBeanstalk")
            .await
            .is_err()
    );
}
