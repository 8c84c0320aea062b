//! Users: create, read, list, rename/move, delete, and the errors around them.

use std::sync::Arc;

use iamtui::iam::backend::all_users;
use iamtui::iam::*;

use super::util::*;

pub async fn user_lifecycle(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    let tags = vec![Tag::new("team", "blue"), Tag::new("cost-center", "42")];
    let created = b
        .create_user(CreateUser {
            name: "alice".into(),
            path: Some("/eng/".into()),
            permissions_boundary: None,
            tags: tags.clone(),
        })
        .await
        .expect("create user");
    assert_eq!(created.name, "alice");
    assert_eq!(created.path, "/eng/");
    assert_eq!(
        created.arn,
        format!("arn:aws:iam::{account}:user/eng/alice")
    );
    assert!(!created.user_id.is_empty());
    assert_recent(created.create_date, "user create_date");
    assert_eq!(created.password_last_used, None);
    assert_eq!(sorted_tags(&created.tags), sorted_tags(&tags));

    let got = b.get_user(Some("alice")).await.expect("get user");
    assert_eq!(got.name, created.name);
    assert_eq!(got.user_id, created.user_id);
    assert_eq!(got.arn, created.arn);
    assert_eq!(got.path, created.path);
    assert_eq!(
        got.create_date.timestamp(),
        created.create_date.timestamp(),
        "GetUser and CreateUser disagree on the creation time"
    );
    assert_eq!(got.permissions_boundary, None);
    assert_eq!(sorted_tags(&got.tags), sorted_tags(&tags));

    let second = user(&*b, "bob").await;
    let all = all_users(b.as_ref()).await.expect("list users");
    assert_eq!(
        sorted(all.iter().map(|u| u.name.as_str())),
        ["alice", "bob"]
    );
    let listed = all.iter().find(|u| u.name == "alice").unwrap();
    assert_eq!(listed.arn, created.arn);
    assert_eq!(listed.user_id, created.user_id);

    // Path prefixes filter the list.
    let eng = b
        .list_users(PageRequest {
            path_prefix: Some("/eng/".into()),
            ..PageRequest::default()
        })
        .await
        .expect("list /eng/");
    assert_eq!(sorted(eng.items.iter().map(|u| u.name.as_str())), ["alice"]);
    assert_eq!(eng.next_marker, None);

    // Rename and move at once: the id stays, the ARN follows.
    b.update_user("alice", rename(Some("alice2"), Some("/ops/")))
        .await
        .expect("update user");
    assert_err!(b.get_user(Some("alice")).await, ErrorKind::NotFound(_));
    let moved = b.get_user(Some("alice2")).await.expect("get renamed user");
    assert_eq!(moved.user_id, created.user_id);
    assert_eq!(moved.path, "/ops/");
    assert_eq!(moved.arn, format!("arn:aws:iam::{account}:user/ops/alice2"));

    // Path only.
    b.update_user("alice2", rename(None, Some("/")))
        .await
        .expect("move user");
    let moved = b.get_user(Some("alice2")).await.expect("get moved user");
    assert_eq!(moved.path, "/");
    assert_eq!(moved.arn, format!("arn:aws:iam::{account}:user/alice2"));

    b.delete_user("alice2").await.expect("delete user");
    assert_err!(b.get_user(Some("alice2")).await, ErrorKind::NotFound(_));
    let all = all_users(b.as_ref()).await.expect("list users");
    assert_eq!(sorted(all.iter().map(|u| u.name.as_str())), [second.name]);
}

pub async fn user_errors(b: Arc<dyn Backend>) {
    let e = assert_err!(b.get_user(Some("nobody")).await, ErrorKind::NotFound(_));
    assert_eq!(e.operation, "GetUser");
    assert!(e.to_string().contains("GetUser"), "{e}");

    user(&*b, "carol").await;
    let e = assert_err!(
        b.create_user(CreateUser {
            name: "carol".into(),
            ..CreateUser::default()
        })
        .await,
        ErrorKind::AlreadyExists(_)
    );
    assert_eq!(e.operation, "CreateUser");

    assert_err!(
        b.update_user("nobody", rename(Some("x"), None)).await,
        ErrorKind::NotFound(_)
    );
    let e = assert_err!(b.delete_user("nobody").await, ErrorKind::NotFound(_));
    assert_eq!(e.operation, "DeleteUser");
    assert_err!(
        b.list_groups_for_user("nobody").await,
        ErrorKind::NotFound(_)
    );
}

/// IAM refuses to delete a user that still has a managed policy attached or an inline policy.
pub async fn delete_user_with_policies_conflicts(b: Arc<dyn Backend>) {
    user(&*b, "dave").await;
    let p = policy(&*b, "dave-policy").await;
    let dave = EntityRef::user("dave");

    b.attach_policy(&dave, &p.arn).await.expect("attach");
    let e = assert_err!(b.delete_user("dave").await, ErrorKind::DeleteConflict(_));
    assert_eq!(e.operation, "DeleteUser");
    b.get_user(Some("dave")).await.expect("user survives");
    b.detach_policy(&dave, &p.arn).await.expect("detach");

    b.put_inline_policy(&dave, "inline", &allow("s3:ListBucket", "*"))
        .await
        .expect("put inline");
    assert_err!(b.delete_user("dave").await, ErrorKind::DeleteConflict(_));
    b.get_user(Some("dave")).await.expect("user survives");
    b.delete_inline_policy(&dave, "inline")
        .await
        .expect("delete inline");

    b.delete_user("dave")
        .await
        .expect("delete the now bare user");
    assert_err!(b.get_user(Some("dave")).await, ErrorKind::NotFound(_));
}

/// ListUsers pages with a small MaxItems return every user exactly once (an endpoint may also
/// ignore MaxItems and return everything in one page).
pub async fn users_small_pages(b: Arc<dyn Backend>) {
    let names: Vec<String> = (0..7).map(|i| format!("pager-{i}")).collect();
    for n in &names {
        user(&*b, n).await;
    }
    let got = collect_pages("ListUsers", |marker| b.list_users(small_page(marker, 2)))
        .await
        .expect("page through users");
    let got: Vec<String> = got.into_iter().map(|u| u.name).collect();
    assert_eq!(unique(&got), unique(&names));
}

/// A user without a console password has no login profile; deleting one is NotFound.
pub async fn login_profile_absent(b: Arc<dyn Backend>) {
    user(&*b, "nopass").await;
    assert_eq!(b.get_login_profile("nopass").await.expect("get"), None);
    assert_err!(
        b.delete_login_profile("nopass").await,
        ErrorKind::NotFound(_)
    );
    assert_err!(b.get_login_profile("ghost").await, ErrorKind::NotFound(_));
}

pub async fn login_profile_lifecycle(b: Arc<dyn Backend>) {
    user(&*b, "pat").await;
    let password = Password::new("Correct-Horse-9");
    let created = b
        .create_login_profile("pat", &password, false)
        .await
        .expect("create login profile");
    assert_eq!(created.user_name, "pat");
    assert!(!created.password_reset_required);
    assert_recent(created.create_date, "login profile create_date");
    assert_eq!(b.get_login_profile("pat").await.unwrap(), Some(created));
    assert_err!(
        b.create_login_profile("pat", &password, false).await,
        ErrorKind::AlreadyExists(_)
    );
    let new = Password::new("Battery-Staple-7");
    b.update_login_profile("pat", Some(&new), Some(false))
        .await
        .expect("new password");
    assert!(b.get_login_profile("pat").await.unwrap().is_some());

    b.delete_login_profile("pat").await.expect("delete");
    assert_eq!(b.get_login_profile("pat").await.unwrap(), None);
    assert_err!(
        b.create_login_profile("ghost", &password, false).await,
        ErrorKind::NotFound(_)
    );
}
