use chrono::TimeZone;
use ratatui::crossterm::event::KeyCode;
use secrecy::ExposeSecret;

use super::*;
use crate::app::harness::{Harness, overlay, totp_codes};
use crate::iam::{BackendError, EntityRef, ErrorKind, Password};

fn info() -> BackendInfo {
    BackendInfo {
        kind: "local",
        source: "account.json".into(),
        region: None,
        read_only: false,
        read_only_reason: None,
    }
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

fn json(record: &Record) -> serde_json::Value {
    serde_json::to_value(record).unwrap()
}

#[test]
fn a_record_is_one_json_object_with_the_documented_fields() {
    let call = Call::PutInline {
        entity: EntityRef::new(EntityKind::Role, "deployer"),
        name: "S3".into(),
        document: r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
    };
    let before = Some(r#"{"Version":"2012-10-17"}"#.to_string());
    let caller = Some("arn:aws:iam::123456789012:user/admin".to_string());
    let r = Record::of(at(), caller, &info(), &call, &Ok(Reply::Done), before);
    assert_eq!(
        json(&r),
        serde_json::json!({
            "time": "2026-06-01T12:00:00Z",
            "caller": "arn:aws:iam::123456789012:user/admin",
            "backend": "local",
            "source": "account.json",
            "operation": "PutRolePolicy",
            "resource": "role/deployer/policy/S3",
            "outcome": "ok",
            "document": {
                "before": {"Version": "2012-10-17"},
                "after": {"Version": "2012-10-17", "Statement": []},
            },
        })
    );
    // A line reads back as the same record.
    let line = serde_json::to_string(&r).unwrap();
    assert!(!line.contains('\n'));
    assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r);
}

#[test]
fn a_failed_call_records_its_error_and_calls_without_documents_have_none() {
    let call = Call::DeleteUser { name: "bob".into() };
    let err = BackendError::new("DeleteUser", ErrorKind::NotFound("no user bob".into()));
    let r = Record::of(at(), None, &info(), &call, &Err(err), None);
    let v = json(&r);
    assert_eq!(
        v["outcome"],
        serde_json::json!({"error": "DeleteUser failed: not found: no user bob"})
    );
    assert_eq!(v["caller"], serde_json::Value::Null);
    assert_eq!(v["resource"], "bob");
    assert!(v.get("document").is_none(), "{v}");
    assert!(
        r.human()
            .ends_with("-  DeleteUser  bob  error: DeleteUser failed: not found: no user bob")
    );
}

#[test]
fn calls_are_named_by_their_iam_operation_and_what_they_act_on() {
    let cases = [
        (
            Call::AddMember {
                group: "admins".into(),
                user: "ann".into(),
            },
            "AddUserToGroup",
            "admins",
        ),
        (
            Call::Attach {
                entity: EntityRef::new(EntityKind::Group, "g"),
                arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            },
            "AttachGroupPolicy",
            "group/g",
        ),
        (
            Call::Tag {
                target: TagTarget::Role("r".into()),
                tags: Vec::new(),
            },
            "TagResource",
            "role/r",
        ),
        (
            Call::UpdateTrust {
                role: "r".into(),
                document: "{}".into(),
            },
            "UpdateAssumeRolePolicy",
            "r",
        ),
        (
            Call::CreateUser {
                name: "ann".into(),
                path: None,
            },
            "CreateUser",
            "ann",
        ),
    ];
    for (call, operation, resource) in cases {
        assert!(call.mutates());
        assert_eq!(call.operation(), operation);
        assert_eq!(resource_of(&call).as_deref(), Some(resource), "{call:?}");
    }
}

fn resource_of(call: &Call) -> Option<String> {
    super::resource(call)
}

#[test]
fn a_password_or_mfa_code_in_a_call_never_reaches_the_record() {
    let calls = [
        Call::CreateLoginProfile {
            user: "ann".into(),
            password: Password::new("Sup3r-Secret-Passw0rd!"),
            reset_required: true,
        },
        Call::EnableMfa {
            user: "ann".into(),
            serial: "arn:aws:iam::123456789012:mfa/ann".into(),
            code1: "918273".into(),
            code2: "564738".into(),
        },
    ];
    for call in calls {
        let line = serde_json::to_string(&Record::of(
            at(),
            None,
            &info(),
            &call,
            &Ok(Reply::Done),
            None,
        ))
        .unwrap();
        for secret in ["Sup3r-Secret-Passw0rd!", "918273", "564738"] {
            assert!(!line.contains(secret), "{line}");
        }
    }
}

fn log_text(h: &Harness) -> String {
    std::fs::read_to_string(h.app.audit.as_ref().unwrap().path()).unwrap_or_default()
}

fn records(h: &Harness) -> Vec<Record> {
    read(h.app.audit.as_ref().unwrap().path()).unwrap()
}

#[tokio::test]
async fn a_saved_inline_policy_is_recorded_with_its_document_before_and_after() {
    let mut h = Harness::demo().await;
    let entity = EntityRef::user("jenkins-ci");
    let before = h
        .backend
        .get_inline_policy(&entity, "BuildArtifacts")
        .await
        .unwrap()
        .document;
    assert!(records(&h).is_empty(), "reading records nothing");
    h.command("users jenkins-ci").await;
    h.key(KeyCode::Enter).await;
    // The Permissions tab: down to the inline policy, then edit it.
    for _ in 0..40 {
        if let crate::app::shell::nav::Screen::Detail(d) = h.app.nav.current() {
            let (rows, _) =
                crate::app::model::detail::rows(&d.detail, &d.target, d.tab(), h.app.now());
            if rows
                .get(d.selected)
                .is_some_and(|r| r.cells.iter().any(|c| c.contains("BuildArtifacts")))
            {
                break;
            }
        }
        h.key(KeyCode::Down).await;
    }
    h.key(KeyCode::Char('e')).await;
    let e = h.app.editor.as_mut().expect("the editor is open");
    let (line, col) = e
        .area
        .lines()
        .iter()
        .enumerate()
        .find_map(|(i, l)| l.find("\"s3:PutObject\"").map(|b| (i, b + 14)))
        .expect("the action in the document");
    e.jump(line, col);
    h.type_text(", \"s3:GetObject\"").await;
    h.ctrl('s').await;
    h.key(KeyCode::Enter).await;
    let after = h
        .backend
        .get_inline_policy(&entity, "BuildArtifacts")
        .await
        .unwrap()
        .document;
    assert!(after.contains("s3:GetObject"), "{after}");

    let all = records(&h);
    assert_eq!(all.len(), 1, "{}", log_text(&h));
    let r = &all[0];
    assert_eq!(r.operation, "PutUserPolicy");
    assert_eq!(
        r.resource.as_deref(),
        Some("user/jenkins-ci/policy/BuildArtifacts")
    );
    assert_eq!(r.outcome, Outcome::Ok);
    assert_eq!(r.backend, "local");
    let caller = r.caller.as_deref().unwrap_or_default();
    assert!(caller.starts_with("arn:aws:iam::123456789012:"), "{caller}");
    let docs = r.document.as_ref().expect("the documents");
    assert_eq!(docs.before, Some(document_value(&before)));
    assert_eq!(docs.after, Some(document_value(&after)));
    assert_ne!(docs.before, docs.after);

    // `:audit` lists it, and Enter shows the record with both documents.
    h.key(KeyCode::Esc).await;
    h.command("audit").await;
    h.assert_shows("PutUserPolicy", true);
    h.assert_shows("user/jenkins-ci/policy/BuildArtifacts", true);
    h.key(KeyCode::Enter).await;
    let shown = h.screen(140, 60);
    assert!(h.app.overlay.is_some(), "{shown}");
    assert!(shown.contains("\"before\""), "{shown}");
    assert!(shown.contains("s3:GetObject"), "{shown}");
}

#[tokio::test]
async fn the_audit_view_filters_and_lists_the_newest_first() {
    let mut h = Harness::demo().await;
    let log = h.app.audit.clone().unwrap();
    for (i, user) in ["first-user", "second-user"].into_iter().enumerate() {
        let call = Call::CreateUser {
            name: user.into(),
            path: None,
        };
        let time = at() + chrono::Duration::minutes(i as i64);
        let r = Record::of(time, None, &info(), &call, &Ok(Reply::Done), None);
        log.append(&r).unwrap();
    }
    h.command("audit").await;
    let screen = h.screen(140, 30);
    let first = screen.find("first-user").expect(&screen);
    let second = screen.find("second-user").expect(&screen);
    assert!(second < first, "newest first:\n{screen}");
    h.key(KeyCode::Char('/')).await;
    h.type_text("first").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("first-user", true);
    h.assert_shows("second-user", false);
}

#[tokio::test]
async fn secrets_made_through_the_console_never_reach_the_log() {
    let mut h = Harness::demo().await;
    // A new access key: its secret is shown once, never recorded.
    h.key(KeyCode::Char('K')).await;
    let secret = overlay!(h, NewKey)
        .key
        .secret_access_key
        .expose_secret()
        .to_string();
    h.key(KeyCode::Esc).await;
    // A console password.
    h.command("users jenkins").await;
    h.key(KeyCode::Char('P')).await;
    h.key(KeyCode::Enter).await;
    let password = overlay!(h, Password).set.clone().expect("the password set");
    h.key(KeyCode::Esc).await;
    // An MFA device: its seed and the two codes.
    h.command("users chloe").await;
    h.key(KeyCode::Char('E')).await;
    let seed = overlay!(h, Mfa)
        .device
        .as_ref()
        .expect("a device")
        .seed_base32
        .expose_secret()
        .to_string();
    let (c1, c2) = totp_codes(&seed);
    h.submit(&format!("{c1}{c2}")).await;
    h.assert_shows("MFA enabled for chloe.kim", true);

    let text = log_text(&h);
    let operations: Vec<String> = records(&h).into_iter().map(|r| r.operation).collect();
    for op in ["CreateAccessKey", "CreateLoginProfile", "EnableMFADevice"] {
        assert!(operations.iter().any(|o| o == op), "{op}: {text}");
    }
    for s in [secret.as_str(), password.expose(), seed.as_str(), &c1, &c2] {
        assert!(!text.contains(s), "a secret in the log: {text}");
    }
}

#[tokio::test]
async fn a_log_that_cannot_be_written_is_reported_once_and_the_change_still_happens() {
    let mut h = Harness::demo().await;
    // Under the account file, which is no directory.
    h.app.audit = Some(AuditLog::at(h.path.join("audit.jsonl")));
    let before = h
        .backend
        .list_access_keys(Some("aaron.bell"))
        .await
        .unwrap();
    h.key(KeyCode::Char('K')).await;
    h.key(KeyCode::Esc).await;
    h.key(KeyCode::Char('K')).await;
    h.key(KeyCode::Esc).await;
    let said: Vec<_> = h
        .app
        .messages
        .iter()
        .filter(|m| m.text.contains("cannot write the audit log"))
        .collect();
    assert_eq!(said.len(), 1, "{:?}", h.app.messages);
    assert!(said[0].error);
    let keys = h
        .backend
        .list_access_keys(Some("aaron.bell"))
        .await
        .unwrap();
    assert_eq!(keys.len(), before.len() + 2, "{keys:?}");
}

#[tokio::test]
async fn writes_a_read_only_backend_refuses_are_not_recorded() {
    let call = || Call::CreateUser {
        name: "audited".into(),
        path: None,
    };
    let h = Harness::with(true, "default").await;
    let (result, failure) = execute(h.backend.clone(), call(), h.app.audit.as_deref()).await;
    assert!(result.is_err() && failure.is_none());
    assert!(log_text(&h).is_empty(), "{}", log_text(&h));
    // The same call on a writable console is.
    let h = Harness::demo().await;
    let (result, _) = execute(h.backend.clone(), call(), h.app.audit.as_deref()).await;
    assert!(result.is_ok());
    let all = records(&h);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].operation, "CreateUser");
    assert_eq!(all[0].resource.as_deref(), Some("audited"));
}
