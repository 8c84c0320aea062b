//! The policy editor driven key by key on the fixed demo account: markers and the finding
//! under the cursor as you type, the findings list, the simulate pane with the principal's
//! other policies, and the save paths (diff, errors refused, the five-version limit, a refusal
//! that keeps the text, unsaved edits kept on Esc).

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::view_tests::{demo_at, keys};
use crate::app::editor::{EditTarget, Popup};
use crate::app::harness::Harness;
use crate::iam::{AssumedRole, EntityRef};

fn snapshot(h: &Harness, name: &str) {
    insta::assert_snapshot!(name, h.screen(120, 30));
}

async fn ctrl(h: &mut Harness, c: char) {
    h.key_with(KeyCode::Char(c), KeyModifiers::CONTROL).await;
}

/// The detail of a user, on its Permissions tab, with the row named `row` selected.
async fn open_user_row(h: &mut Harness, user: &str, row: &str) {
    let held = open_user_row_holding(h, user, row, |_| false).await;
    assert!(held.is_empty());
}

/// `open_user_row`, with the detail's calls that `hold` picks kept back and returned.
async fn open_user_row_holding(
    h: &mut Harness,
    user: &str,
    row: &str,
    hold: impl Fn(&crate::app::shell::calls::Call) -> bool,
) -> Vec<crate::app::Effect> {
    h.command(&format!("users {user}")).await;
    let held = h.key_holding(KeyCode::Enter, hold).await;
    select_row(h, row).await;
    held
}

/// Moves down the open detail until the row showing `row` is on screen and selected.
async fn select_row(h: &mut Harness, row: &str) {
    for _ in 0..40 {
        if h.shows(row) && selected_row_contains(h, row) {
            return;
        }
        h.key(KeyCode::Down).await;
    }
    panic!("no row {row}:\n{}", h.screen(120, 40));
}

fn selected_row_contains(h: &Harness, needle: &str) -> bool {
    let crate::app::shell::nav::Screen::Detail(d) = h.app.nav.current() else {
        return false;
    };
    let (rows, _) = crate::app::model::detail::rows(&d.detail, &d.target, d.tab(), h.app.now());
    rows.get(d.selected)
        .is_some_and(|r| r.cells.iter().any(|c| c.contains(needle)))
}

/// What STS (the backend) answers when the harness's identity assumes `role_arn`.
async fn sts_assume(h: &Harness, role_arn: &str) -> crate::iam::error::Result<AssumedRole> {
    let request = crate::iam::AssumeRoleRequest {
        role_arn: role_arn.into(),
        session_name: "check".into(),
        ..Default::default()
    };
    h.backend.assume_role(request).await
}

/// The demo with jenkins-ci's inline policy BuildArtifacts open in the editor.
async fn editing_build_artifacts() -> Harness {
    let mut h = Harness::demo().await;
    open_user_row(&mut h, "jenkins-ci", "BuildArtifacts").await;
    h.key(KeyCode::Char('e')).await;
    h
}

fn editor(h: &Harness) -> &crate::app::editor::Editor {
    h.app.editor.as_deref().expect("the editor is open")
}

/// Moves the cursor to the first occurrence of `needle`, after it.
async fn cursor_after(h: &mut Harness, needle: &str) {
    let e = h.app.editor.as_mut().unwrap();
    let (line, col) = e
        .area
        .lines()
        .iter()
        .enumerate()
        .find_map(|(i, l)| {
            l.find(needle)
                .map(|b| (i, l[..b].chars().count() + needle.chars().count()))
        })
        .unwrap_or_else(|| panic!("no `{needle}` in the document"));
    e.jump(line, col);
}

#[tokio::test]
async fn markers_follow_typing_and_the_finding_under_the_cursor_is_shown() {
    let mut h = editing_build_artifacts().await;
    let e = editor(&h);
    assert!(matches!(&e.target, EditTarget::Inline { name, .. } if name == "BuildArtifacts"));
    assert!(!e.modified());
    assert!(!e.analysis.has_errors(), "{:?}", e.analysis.findings);
    snapshot(&h, "editor-inline");
    // A typo in an action name: the marker appears on its line as it is typed.
    cursor_after(&mut h, "\"s3:PutObject").await;
    h.type_text("x").await;
    let e = editor(&h);
    assert!(e.modified());
    let line = e.cursor().0;
    assert_eq!(
        e.analysis.markers.get(&line),
        Some(&crate::policy::Severity::Error),
        "{:?}",
        e.analysis.findings
    );
    let shown = ["✖", "error unknown-action", "· modified"];
    h.assert_screen((120, 30), &shown, &[]);
    snapshot(&h, "editor-typo");
    // The findings list jumps to a finding.
    ctrl(&mut h, 'l').await;
    assert!(matches!(editor(&h).popup, Some(Popup::Findings { .. })));
    snapshot(&h, "editor-findings");
    h.key(KeyCode::Enter).await;
    assert!(editor(&h).popup.is_none());
    // Fixing it removes the marker.
    cursor_after(&mut h, "s3:PutObjectx").await;
    h.key(KeyCode::Backspace).await;
    let e = editor(&h);
    assert!(!e.analysis.has_errors());
    assert!(!e.modified(), "back to the saved text");
}

#[tokio::test]
async fn next_and_previous_finding_move_the_cursor() {
    let mut h = editing_build_artifacts().await;
    cursor_after(&mut h, "\"s3:PutObject").await;
    h.type_text("x").await;
    let typo = editor(&h).cursor().0;
    h.app.editor.as_mut().unwrap().jump(0, 0);
    ctrl(&mut h, 'n').await;
    let findings = &editor(&h).analysis.findings;
    let first = findings.first().unwrap();
    assert_eq!(editor(&h).cursor(), (first.line, first.column));
    // Walking forward reaches the typo, and back again.
    let mut seen = false;
    for _ in 0..findings.len() + 1 {
        if editor(&h).cursor().0 == typo {
            seen = true;
            break;
        }
        ctrl(&mut h, 'n').await;
    }
    assert!(seen, "ctrl-n never reached line {typo}");
    ctrl(&mut h, 'p').await;
    ctrl(&mut h, 'n').await;
    assert_eq!(editor(&h).cursor().0, typo);
}

#[tokio::test]
async fn the_simulate_pane_evaluates_with_the_principals_other_policies() {
    let mut h = editing_build_artifacts().await;
    ctrl(&mut h, 'e').await;
    let pane = &editor(&h).simulate;
    assert!(pane.whose.contains("user jenkins-ci"), "{}", pane.whose);
    assert_eq!(pane.loading(), 0, "the managed policies loaded");
    assert!(pane.others.iter().any(|o| o.label.contains("attached")));
    // An action only the edited document allows: Allowed, its statement marked.
    h.type_text("s3:PutObject").await;
    h.key(KeyCode::Down).await;
    let doc = editor(&h).text.clone();
    let bucket = doc
        .split('"')
        .find(|s| s.starts_with("arn:aws:s3:::") && s.ends_with("/*"))
        .expect("an object ARN in BuildArtifacts")
        .trim_end_matches('*')
        .to_string();
    h.type_text(&format!("{bucket}build/42.zip")).await;
    let e = editor(&h);
    let d = e.simulate.result.as_ref().expect("a decision");
    assert_eq!(
        d.outcome,
        crate::policy::eval::Outcome::Allowed,
        "{}",
        d.reason
    );
    assert!(!e.simulate.deciding_lines.is_empty(), "{:?}", d.deciding);
    // `┃`: the deciding statement is marked.
    h.assert_screen((120, 30), &["Allowed", "┃"], &[]);
    snapshot(&h, "editor-simulate");
    // Deleting the statement's action from the text changes the decision live.
    h.key(KeyCode::Esc).await; // focus back to the text
    cursor_after(&mut h, "\"s3:PutObject").await;
    h.type_text("x").await;
    // LegacyDeployAutomation still allows it; the edited statement no longer decides.
    let e = editor(&h);
    let d = e.simulate.result.as_ref().expect("a decision");
    assert_eq!(d.outcome, crate::policy::eval::Outcome::Allowed);
    assert!(e.simulate.deciding_lines.is_empty(), "{:?}", d.deciding);
    assert!(!h.screen(120, 30).contains("┃"));
    // Alone (its other policies set aside), the typo denies.
    let e = h.app.editor.as_mut().unwrap();
    let others = std::mem::take(&mut e.simulate.others);
    e.changed();
    let d = editor(&h).simulate.result.as_ref().unwrap();
    assert_eq!(
        d.outcome,
        crate::policy::eval::Outcome::ImplicitDeny,
        "{}",
        d.reason
    );
    h.app.editor.as_mut().unwrap().simulate.others = others;
    // What another attached policy allows is allowed whatever the edited document says.
    let e = h.app.editor.as_mut().unwrap();
    e.simulate.fields[0] = crate::app::shell::overlay::Input::with("ecr:GetAuthorizationToken");
    e.simulate.fields[1] = crate::app::shell::overlay::Input::with("*");
    e.changed();
    let d = editor(&h).simulate.result.as_ref().unwrap();
    assert_eq!(
        d.outcome,
        crate::policy::eval::Outcome::Allowed,
        "{}",
        d.reason
    );
    assert!(
        editor(&h)
            .simulate
            .deciding_elsewhere()
            .iter()
            .any(|s| s.contains("AmazonEC2ContainerRegistryReadOnly")),
        "{:?}",
        editor(&h).simulate.deciding_elsewhere()
    );
}

#[tokio::test]
async fn errors_are_not_sent_and_a_save_shows_the_diff_first() {
    let mut h = editing_build_artifacts().await;
    cursor_after(&mut h, "\"s3:PutObject").await;
    h.type_text("x").await;
    ctrl(&mut h, 's').await;
    assert!(editor(&h).popup.is_none());
    let (m, error) = editor(&h).message.clone().unwrap();
    assert!(error && m.contains("not saved: 1 error"), "{m}");
    // A valid change: the diff, then the put.
    h.key(KeyCode::Backspace).await;
    cursor_after(&mut h, "\"s3:PutObject\"").await;
    h.type_text(", \"s3:GetObject\"").await;
    ctrl(&mut h, 's').await;
    let Some(Popup::Diff { lines, .. }) = &editor(&h).popup else {
        panic!("no diff:\n{}", h.screen(120, 30));
    };
    assert!(
        lines
            .iter()
            .any(|l| l.sign == '+' && l.text.contains("s3:GetObject"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.sign == '-' && !l.text.contains("s3:GetObject"))
    );
    snapshot(&h, "editor-diff");
    h.key(KeyCode::Enter).await;
    let (m, error) = editor(&h).message.clone().unwrap();
    assert!(!error, "{m}");
    assert!(
        m.contains("inline policy BuildArtifacts of user jenkins-ci saved"),
        "{m}"
    );
    assert!(!editor(&h).modified());
    let stored = h
        .backend
        .get_inline_policy(&EntityRef::user("jenkins-ci"), "BuildArtifacts")
        .await
        .unwrap();
    assert!(
        stored.document.contains("s3:GetObject"),
        "{}",
        stored.document
    );
    // Closing after the save asks nothing.
    h.key(KeyCode::Esc).await;
    assert!(h.app.editor.is_none());
}

#[tokio::test]
async fn a_managed_policy_at_five_versions_offers_to_delete_the_oldest() {
    let mut h = demo_at("policies DeveloperAccess").await;
    h.key(KeyCode::Char('e')).await;
    let e = editor(&h);
    assert_eq!(e.versions.as_ref().map(Vec::len), Some(5));
    let EditTarget::Managed { arn, version_id } = e.target.clone() else {
        panic!("{:?}", e.target)
    };
    let before = h.backend.list_policy_versions(&arn).await.unwrap();
    let default = before.iter().find(|v| v.is_default).unwrap();
    assert_eq!(version_id.as_deref(), Some(default.version_id.as_str()));
    cursor_after(&mut h, "\"Sid\": \"").await;
    h.type_text("Edited").await;
    ctrl(&mut h, 's').await;
    h.key(KeyCode::Enter).await;
    let Some(Popup::Prune { version_id: old }) = editor(&h).popup.clone() else {
        panic!("no prune question:\n{}", h.screen(120, 30));
    };
    snapshot(&h, "editor-prune");
    let oldest = crate::app::editor::save::oldest_non_default(&before)
        .unwrap()
        .version_id
        .clone();
    assert_eq!(old, oldest);
    h.key(KeyCode::Char('y')).await;
    let (m, error) = editor(&h).message.clone().unwrap();
    assert!(!error, "{m}");
    let after = h.backend.list_policy_versions(&arn).await.unwrap();
    assert_eq!(after.len(), 5);
    assert!(!after.iter().any(|v| v.version_id == oldest));
    let new = after.iter().find(|v| v.is_default).unwrap();
    assert!(
        m.contains(&format!("saved as version {}", new.version_id)),
        "{m}"
    );
    let doc = h
        .backend
        .get_policy_version(&arn, &new.version_id)
        .await
        .unwrap()
        .document
        .unwrap();
    assert!(doc.contains("Edited"));
}

#[tokio::test]
async fn a_refused_save_keeps_the_text_and_esc_asks_before_dropping_edits() {
    let mut h = demo_at("policies DataLakeReadAccess").await;
    h.key(KeyCode::Char('e')).await;
    let EditTarget::Managed { arn, .. } = editor(&h).target.clone() else {
        panic!()
    };
    cursor_after(&mut h, "\"Sid\": \"").await;
    h.type_text("Mine").await;
    let typed = editor(&h).text.clone();
    // Someone deletes the policy meanwhile: IAM's refusal is shown, nothing is lost.
    for v in h.backend.list_policy_versions(&arn).await.unwrap() {
        if !v.is_default {
            h.backend
                .delete_policy_version(&arn, &v.version_id)
                .await
                .unwrap();
        }
    }
    let used = h
        .backend
        .list_entities_for_policy(&arn, crate::iam::PolicyUsage::PermissionsPolicy)
        .await
        .unwrap();
    for (names, make) in [
        (
            &used.users,
            (|n| EntityRef::user(n)) as fn(String) -> EntityRef,
        ),
        (&used.groups, |n| EntityRef::group(n)),
        (&used.roles, |n| EntityRef::role(n)),
    ] {
        for n in names {
            h.backend
                .detach_policy(&make(n.clone()), &arn)
                .await
                .unwrap();
        }
    }
    h.backend.delete_policy(&arn).await.unwrap();
    ctrl(&mut h, 's').await;
    h.key(KeyCode::Enter).await;
    let e = editor(&h);
    let (m, error) = e.message.clone().unwrap();
    assert!(error && m.starts_with("not saved: "), "{m}");
    assert!(
        m.contains("NoSuchEntity") || m.contains("not found") || m.contains("does not exist"),
        "{m}"
    );
    assert_eq!(e.text, typed);
    // Esc with unsaved edits asks; any key but y goes back to the text.
    h.key(KeyCode::Esc).await;
    assert!(matches!(editor(&h).popup, Some(Popup::Discard)));
    h.key(KeyCode::Char('n')).await;
    assert_eq!(editor(&h).text, typed);
    keys(&mut h, &[KeyCode::Esc, KeyCode::Char('y')]).await;
    assert!(h.app.editor.is_none());
}

#[tokio::test]
async fn a_new_managed_policy_from_a_template() {
    let mut h = demo_at("policies customer").await;
    h.key(KeyCode::Char('N')).await;
    h.assert_shows("New managed policy from a template", true);
    h.submit("s3-bucket").await;
    // IAM's name rule is checked before anything is sent.
    h.submit("Build Artifacts").await;
    h.assert_shows("cannot be in a policy name", true);
    h.repeat(KeyCode::Backspace, "Build Artifacts".len()).await;
    // The form's other fields: path, description, tags.
    h.type_text("BuildArtifactsRW").await;
    h.key(KeyCode::Tab).await;
    ctrl(&mut h, 'u').await;
    h.type_text("/build/").await;
    h.key(KeyCode::Tab).await;
    h.type_text("Read and write the build artifacts").await;
    h.key(KeyCode::Tab).await;
    h.submit(r#"team=ci "cost center"=42"#).await;
    let e = editor(&h);
    assert!(e.text.contains("amzn-s3-demo-bucket"));
    assert!(e.modified(), "a new document is unsaved");
    ctrl(&mut h, 's').await;
    h.key(KeyCode::Enter).await;
    let (m, error) = editor(&h).message.clone().unwrap();
    assert!(!error && m.contains("created policy arn:aws:iam::"), "{m}");
    let EditTarget::Managed { arn, version_id } = editor(&h).target.clone() else {
        panic!()
    };
    assert_eq!(version_id.as_deref(), Some("v1"));
    let p = h.backend.get_policy(&arn).await.unwrap();
    assert_eq!(p.name, "BuildArtifactsRW");
    assert_eq!(p.path, "/build/");
    assert_eq!(
        p.description.as_deref(),
        Some("Read and write the build artifacts")
    );
    let tags = h
        .backend
        .list_tags(&crate::iam::TagTarget::Policy(arn.clone()))
        .await
        .unwrap();
    assert!(
        tags.contains(&crate::iam::Tag::new("cost center", "42")),
        "{tags:?}"
    );
    assert!(
        tags.contains(&crate::iam::Tag::new("team", "ci")),
        "{tags:?}"
    );
    // Saving again makes v2.
    cursor_after(&mut h, "\"Sid\": \"").await;
    h.type_text("X").await;
    ctrl(&mut h, 's').await;
    h.key(KeyCode::Enter).await;
    let (m, _) = editor(&h).message.clone().unwrap();
    assert!(m.contains("saved as version v2"), "{m}");
    h.key(KeyCode::Esc).await;
    assert!(h.app.editor.is_none());
    h.assert_shows("BuildArtifactsRW", true);
}

#[tokio::test]
async fn a_boundary_is_edited_as_a_boundary_and_read_only_saves_nothing() {
    let mut h = Harness::with(true, "default").await;
    let contractor = h
        .backend
        .list_users(crate::iam::PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|u| u.path == "/contractors/")
        .unwrap()
        .name;
    open_user_row(&mut h, &contractor, "EngineeringBoundary").await;
    h.key(KeyCode::Char('e')).await;
    let e = editor(&h);
    assert_eq!(e.policy_type, crate::policy::validate::PolicyType::Boundary);
    assert!(
        e.title
            .starts_with("permissions boundary EngineeringBoundary"),
        "{}",
        e.title
    );
    assert!(e.loading.is_none(), "the default version loaded");
    cursor_after(&mut h, "\"Sid\": \"").await;
    h.type_text("X").await;
    ctrl(&mut h, 's').await;
    let (m, error) = editor(&h).message.clone().unwrap();
    assert!(error && m.contains("read-only"), "{m}");
    assert!(editor(&h).popup.is_none());
}

#[tokio::test]
async fn completion_inserts_the_chosen_action() {
    let mut h = editing_build_artifacts().await;
    cursor_after(&mut h, "\"s3:PutObj").await;
    h.key(KeyCode::Tab).await;
    choose_completion(&mut h, "s3:PutObjectTagging").await;
    let e = editor(&h);
    assert!(e.text.contains("\"s3:PutObjectTagging\""), "{}", e.text);
    assert!(!e.text.contains("s3:PutObject\""));
    assert!(!e.analysis.has_errors());
    // Outside a completable place Tab indents.
    h.app.editor.as_mut().unwrap().jump(0, 0);
    h.key(KeyCode::Tab).await;
    assert!(editor(&h).area.lines()[0].starts_with("    {"));
}

#[tokio::test]
async fn the_assume_dialogs_session_policy_is_edited_in_the_editor() {
    use crate::app::assume::SESSION_POLICY;
    let mut h = Harness::demo_as("daniel.okafor").await;
    h.open_assume("DeveloperSandbox").await;
    h.repeat(KeyCode::Tab, SESSION_POLICY).await;
    ctrl(&mut h, 'e').await;
    let e = editor(&h);
    assert_eq!(e.target, EditTarget::SessionPolicy);
    assert_eq!(e.policy_type, crate::policy::validate::PolicyType::Session);
    assert_eq!(e.limit, 2048);
    h.assert_shows("\"Action\": \"*\"", true);
    // Narrowed to S3, with a typo first: the typo keeps the editor open.
    cursor_after(&mut h, "\"Action\": \"").await;
    h.key(KeyCode::Delete).await;
    h.type_text("s3:Get0bject").await;
    ctrl(&mut h, 's').await;
    let (m, error) = editor(&h).message.clone().unwrap();
    assert!(error && m.contains("1 error"), "{m}");
    h.repeat(KeyCode::Backspace, "0bject".len()).await;
    h.type_text("Object").await;
    ctrl(&mut h, 's').await;
    assert!(h.app.editor.is_none(), "{}", h.screen(120, 30));
    let d = crate::app::harness::overlay!(h, Assume);
    assert_eq!(
        d.fields[SESSION_POLICY].text,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    );
    h.assert_shows("session policy: valid", true);
    // Opening it again starts from the field's text.
    ctrl(&mut h, 'e').await;
    assert!(editor(&h).text.contains("s3:GetObject"));
    assert!(!editor(&h).modified());
}

#[tokio::test]
async fn an_aws_managed_policy_is_saved_as_a_customer_managed_copy() {
    let mut h = demo_at("policies AWSCodeDeployDeployerAccess").await;
    h.key(KeyCode::Char('e')).await;
    h.assert_shows(
        "cannot be changed: ctrl-s saves a customer managed copy",
        true,
    );
    ctrl(&mut h, 's').await;
    h.assert_shows("new policy name: AWSCodeDeployDeployerAccess-copy", true);
    h.key(KeyCode::Enter).await;
    assert!(matches!(editor(&h).popup, Some(Popup::Diff { .. })));
    h.key(KeyCode::Enter).await;
    let (m, error) = editor(&h).message.clone().unwrap();
    assert!(
        !error && m.contains("policy/AWSCodeDeployDeployerAccess-copy (v1)"),
        "{m}"
    );
    let EditTarget::Managed { arn, .. } = editor(&h).target.clone() else {
        panic!()
    };
    let copy = h.backend.get_policy_version(&arn, "v1").await.unwrap();
    assert!(copy.document.unwrap().contains("codedeploy:"));
}

fn is_inline_document(call: &crate::app::shell::calls::Call) -> bool {
    matches!(call, crate::app::shell::calls::Call::InlineDocument { .. })
}

/// `e` on an inline policy whose document has not arrived: the editor opens when it does.
#[tokio::test]
async fn e_on_a_document_still_loading_opens_it_when_it_arrives() {
    let mut h = Harness::demo().await;
    let held =
        open_user_row_holding(&mut h, "jenkins-ci", "BuildArtifacts", is_inline_document).await;
    assert!(!held.is_empty(), "the inline document is fetched");
    h.key(KeyCode::Char('e')).await;
    assert!(h.app.editor.is_none());
    h.assert_shows(
        "the inline policy is still loading; it opens when it arrives",
        true,
    );
    h.settle(held).await;
    let e = editor(&h);
    assert!(matches!(&e.target, EditTarget::Inline { name, .. } if name == "BuildArtifacts"));
    assert!(e.text.contains("s3:PutObject"), "{}", e.text);
}

/// Moving off the row before the document arrives cancels the wish.
#[tokio::test]
async fn moving_away_before_the_document_arrives_opens_nothing() {
    let mut h = Harness::demo().await;
    let held =
        open_user_row_holding(&mut h, "jenkins-ci", "BuildArtifacts", is_inline_document).await;
    keys(&mut h, &[KeyCode::Char('e'), KeyCode::Up]).await;
    h.settle(held).await;
    assert!(h.app.editor.is_none());
}

/// The editor on the row `row` of the Permissions tab of `what` (`groups Developers`).
async fn edit_row(h: &mut Harness, what: &str, row: &str) {
    h.command(what).await;
    h.key(KeyCode::Enter).await;
    select_row(h, row).await;
    h.key(KeyCode::Char('e')).await;
    assert!(h.app.editor.is_some(), "{}", h.screen(120, 40));
}

/// Picks `text` in the open completion list.
async fn choose_completion(h: &mut Harness, text: &str) {
    let Some(Popup::Completion { items, .. }) = &editor(h).popup else {
        panic!("no completion:\n{}", h.screen(120, 30));
    };
    let at = items.iter().position(|c| c.text == text);
    h.repeat(
        KeyCode::Down,
        at.unwrap_or_else(|| panic!("no `{text}` among the completions")),
    )
    .await;
    h.key(KeyCode::Enter).await;
}

fn line_at_cursor(h: &Harness) -> String {
    let e = editor(h);
    e.area.lines()[e.cursor().0].clone()
}

#[tokio::test]
async fn completion_works_in_an_unclosed_string_and_closes_it() {
    let mut h = editing_build_artifacts().await;
    // A new action, typed without its closing quote: one candidate is inserted, closed.
    cursor_after(&mut h, "\"s3:GetObject\",").await;
    h.key(KeyCode::Enter).await;
    h.type_text("\"sts:AssumeRoleWithS").await;
    h.key(KeyCode::Tab).await;
    assert_eq!(line_at_cursor(&h).trim(), "\"sts:AssumeRoleWithSAML\"");
    assert_eq!(
        editor(&h).cursor().1,
        line_at_cursor(&h).chars().count(),
        "the cursor is after the closing quote"
    );
    h.type_text(",").await;
    assert!(!editor(&h).analysis.has_errors(), "{}", editor(&h).text);
    // Several candidates: the list, and the chosen one closed too.
    h.key(KeyCode::Enter).await;
    h.type_text("\"sts:Assu").await;
    h.key(KeyCode::Tab).await;
    choose_completion(&mut h, "sts:AssumeRole").await;
    assert_eq!(line_at_cursor(&h).trim(), "\"sts:AssumeRole\"");
    h.type_text(",").await;
    assert!(!editor(&h).analysis.has_errors(), "{}", editor(&h).text);
    // A statement key, unclosed, is completed and closed the same way.
    cursor_after(&mut h, "\"Effect\": \"Allow\",").await;
    h.key(KeyCode::Enter).await;
    h.type_text("\"Condi").await;
    h.key(KeyCode::Tab).await;
    assert_eq!(line_at_cursor(&h).trim(), "\"Condition\"");
    // A closed string gets no second quote.
    cursor_after(&mut h, "\"s3:PutObj").await;
    keys(&mut h, &[KeyCode::Tab, KeyCode::Enter]).await;
    assert!(
        editor(&h).text.contains("\"s3:PutObject\"\n"),
        "{}",
        editor(&h).text
    );
}

#[tokio::test]
async fn enter_keeps_the_indentation_and_opens_brackets() {
    let mut h = editing_build_artifacts().await;
    // After `[`: one level more than the line above.
    cursor_after(&mut h, "\"Action\": [").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(line_at_cursor(&h), " ".repeat(16));
    assert_eq!(editor(&h).cursor().1, 16);
    // After an element: the same indentation.
    cursor_after(&mut h, "\"s3:GetObject\",").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(line_at_cursor(&h), " ".repeat(16));
    h.type_text("\"s3:ListBucket\",").await;
    // Between a pair: the closer on its own line at the outer indentation.
    cursor_after(&mut h, "\"Effect\": \"Allow\",").await;
    h.key(KeyCode::Enter).await;
    h.type_text("\"Condition\": {}").await;
    keys(&mut h, &[KeyCode::Left, KeyCode::Enter]).await;
    let e = editor(&h);
    let (line, col) = e.cursor();
    let lines = e.area.lines();
    assert_eq!(
        lines[line - 1],
        format!("{}\"Condition\": {{", " ".repeat(12))
    );
    assert_eq!(lines[line], " ".repeat(16));
    assert_eq!(lines[line + 1], format!("{}}}", " ".repeat(12)));
    assert_eq!(col, 16);
    h.type_text("\"Bool\": {\"aws:SecureTransport\": \"true\"}")
        .await;
    keys(&mut h, &[KeyCode::Down, KeyCode::End]).await;
    h.type_text(",").await;
    let e = editor(&h);
    assert!(!e.analysis.has_errors(), "{}", e.text);
}

#[tokio::test]
async fn the_gutter_keeps_line_numbers_when_a_long_line_scrolls() {
    let mut h = editing_build_artifacts().await;
    // Line 11 holds the Resource: made long (and wrong, for a marker), the cursor at its end.
    cursor_after(&mut h, "example-corp-artifacts/*").await;
    assert_eq!(editor(&h).cursor().0, 10);
    h.type_text(&"x".repeat(40)).await;
    h.type_text("\" \"").await;
    assert!(editor(&h).analysis.markers.contains_key(&10));
    let screen = h.screen(70, 24);
    // Each text row: border, marker, bar, then the line number.
    let gutter: Vec<String> = screen
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.chars().skip(1).take(6).collect())
        .collect();
    for (n, marker) in [("10", ' '), ("11", '✖'), ("12", ' ')] {
        let want = format!("{marker}  {n} ");
        assert!(
            gutter.contains(&want),
            "no `{want}` in the gutter:\n{screen}"
        );
    }
    // Only the text scrolled.
    assert!(!screen.contains("\"Resource\""), "{screen}");
    assert!(screen.contains("xxxx"), "{screen}");
}

#[tokio::test]
async fn documents_are_shown_in_iams_key_order() {
    let mut h = demo_at("roles BreakGlass").await;
    keys(&mut h, &[KeyCode::Enter, KeyCode::Tab]).await;
    let screen = h.screen(120, 30);
    let at = |k: &str| {
        screen
            .find(&format!("\"{k}\""))
            .unwrap_or_else(|| panic!("no {k}:\n{screen}"))
    };
    let order = [
        "Version",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "Action",
        "Condition",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{screen}");
    // Enter opens the same text.
    h.key(KeyCode::Enter).await;
    let Some(crate::app::shell::overlay::Overlay::Text { text, .. }) = &h.app.overlay else {
        panic!("no document:\n{}", h.screen(120, 30));
    };
    assert!(text.find("\"Sid\"") < text.find("\"Action\""), "{text}");
}

#[tokio::test]
async fn simulating_assume_role_evaluates_the_roles_trust_policy() {
    use crate::credentials::assume::{Caller, Prediction, predict};
    use crate::policy::eval::Outcome;
    let mut h = Harness::demo_as("daniel.okafor").await;
    edit_row(&mut h, "groups Developers", "AssumeEngineeringRoles").await;
    ctrl(&mut h, 'e').await;
    let member = editor(&h).simulate.fields[3].text.clone();
    assert!(member.contains(":user/"), "{member}");
    h.type_text("sts:AssumeRole").await;
    h.key(KeyCode::Down).await;
    let sandbox = "arn:aws:iam::123456789012:role/engineering/DeveloperSandbox";
    h.type_text(sandbox).await;
    assert!(editor(&h).simulate.result.is_none());
    // Leaving the field asks for the trust policy; the pane says so until it arrives.
    let held = h
        .key_holding(KeyCode::Down, |c| {
            matches!(c, crate::app::shell::calls::Call::GetRole { name } if name == "DeveloperSandbox")
        })
        .await;
    assert_eq!(held.len(), 1);
    let note = editor(&h).simulate.trust_note.clone().unwrap_or_default();
    assert_eq!(note, "loading the trust policy of role DeveloperSandbox…");
    h.assert_shows("loading the trust policy of role", true);
    assert!(editor(&h).simulate.result.is_none());
    h.settle(held).await;
    // The same answer as `iamtui assume`'s prediction, and as STS (the backend) gives.
    let trust = h
        .backend
        .get_role("DeveloperSandbox")
        .await
        .unwrap()
        .assume_role_policy
        .unwrap();
    let caller = Caller {
        arn: member.clone(),
        account: "123456789012".into(),
        principal_arn: member.clone(),
        ..Caller::default()
    };
    let predicted = predict(&trust, sandbox, &caller);
    assert!(
        matches!(
            predicted,
            Prediction::Allowed {
                needs_own_allow: true,
                ..
            }
        ),
        "{predicted:?}"
    );
    let e = editor(&h);
    let d = e.simulate.result.as_ref().expect("a decision");
    assert_eq!(d.outcome, Outcome::Allowed, "{}", d.reason);
    assert!(d.reason.contains("trust policy"), "{}", d.reason);
    assert!(
        !e.simulate.deciding_lines.is_empty(),
        "the group's statement decided"
    );
    let assumed = sts_assume(&h, sandbox).await;
    assert!(assumed.is_ok(), "{assumed:?}");
    assert_eq!(
        editor(&h).simulate.trust_note.as_deref(),
        Some(
            format!(
                "trust policy of role DeveloperSandbox: {}",
                predicted.describe()
            )
            .as_str()
        )
    );
    // A role whose trust policy trusts only EC2: a deny that names the trust policy.
    h.key(KeyCode::Up).await;
    h.repeat(KeyCode::Backspace, sandbox.len()).await;
    let web = "arn:aws:iam::123456789012:role/WebAppInstanceRole";
    h.type_text(web).await;
    h.key(KeyCode::Down).await;
    let e = editor(&h);
    let d = e.simulate.result.as_ref().expect("a decision");
    assert_eq!(d.outcome, Outcome::ImplicitDeny, "{}", d.reason);
    assert!(d.reason.contains("trust policy"), "{}", d.reason);
    let note = e.simulate.trust_note.clone().unwrap_or_default();
    assert!(
        note.contains("WebAppInstanceRole") && note.contains(&Prediction::NotTrusted.describe()),
        "{note}"
    );
    assert!(sts_assume(&h, web).await.is_err());
}
