//! Groups and their members.

use std::sync::Arc;

use iamtui::iam::backend::all_groups;
use iamtui::iam::*;

use super::util::*;

pub async fn group_lifecycle(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    let created = b
        .create_group("devs", Some("/eng/"))
        .await
        .expect("create group");
    assert_eq!(created.name, "devs");
    assert_eq!(created.path, "/eng/");
    assert_eq!(
        created.arn,
        format!("arn:aws:iam::{account}:group/eng/devs")
    );
    assert!(!created.group_id.is_empty());
    assert_recent(created.create_date, "group create_date");

    let detail = b.get_group("devs").await.expect("get group");
    assert_eq!(detail.group.name, "devs");
    assert_eq!(detail.group.group_id, created.group_id);
    assert_eq!(detail.group.arn, created.arn);
    assert!(detail.members.is_empty(), "{:?}", detail.members);

    let ann = user(&*b, "ann").await;
    user(&*b, "ben").await;
    b.add_user_to_group("devs", "ann").await.expect("add ann");
    b.add_user_to_group("devs", "ben").await.expect("add ben");

    let detail = b.get_group("devs").await.expect("get group");
    assert_eq!(
        sorted(detail.members.iter().map(|u| u.name.as_str())),
        ["ann", "ben"]
    );
    let member = detail.members.iter().find(|u| u.name == "ann").unwrap();
    assert_eq!(member.arn, ann.arn);
    assert_eq!(member.user_id, ann.user_id);

    let of_ann = b.list_groups_for_user("ann").await.expect("groups for ann");
    assert_eq!(of_ann.len(), 1);
    assert_eq!(of_ann[0].name, "devs");
    assert_eq!(of_ann[0].arn, created.arn);

    user(&*b, "loner").await;
    assert!(
        b.list_groups_for_user("loner")
            .await
            .expect("groups for loner")
            .is_empty()
    );

    b.create_group("ops", None).await.expect("create ops");
    let all = all_groups(b.as_ref()).await.expect("list groups");
    assert_eq!(sorted(all.iter().map(|g| g.name.as_str())), ["devs", "ops"]);

    b.remove_user_from_group("devs", "ben")
        .await
        .expect("remove ben");
    let detail = b.get_group("devs").await.expect("get group");
    assert_eq!(
        sorted(detail.members.iter().map(|u| u.name.as_str())),
        ["ann"]
    );
    assert!(b.list_groups_for_user("ben").await.unwrap().is_empty());

    // Rename and move: the id stays, members stay.
    b.update_group("devs", rename(Some("developers"), Some("/ops/")))
        .await
        .expect("update group");
    assert_err!(b.get_group("devs").await, ErrorKind::NotFound(_));
    let detail = b.get_group("developers").await.expect("renamed group");
    assert_eq!(detail.group.group_id, created.group_id);
    assert_eq!(detail.group.path, "/ops/");
    assert_eq!(
        detail.group.arn,
        format!("arn:aws:iam::{account}:group/ops/developers")
    );
    assert_eq!(
        sorted(detail.members.iter().map(|u| u.name.as_str())),
        ["ann"]
    );
    let of_ann = b.list_groups_for_user("ann").await.unwrap();
    assert_eq!(
        sorted(of_ann.iter().map(|g| g.name.as_str())),
        ["developers"]
    );

    b.remove_user_from_group("developers", "ann")
        .await
        .expect("remove ann");
    b.delete_group("developers").await.expect("delete group");
    assert_err!(b.get_group("developers").await, ErrorKind::NotFound(_));
    let all = all_groups(b.as_ref()).await.expect("list groups");
    assert_eq!(sorted(all.iter().map(|g| g.name.as_str())), ["ops"]);
}

pub async fn group_errors(b: Arc<dyn Backend>) {
    let e = assert_err!(b.get_group("nope").await, ErrorKind::NotFound(_));
    assert_eq!(e.operation, "GetGroup");
    group(&*b, "g1").await;
    assert_err!(
        b.create_group("g1", None).await,
        ErrorKind::AlreadyExists(_)
    );
    user(&*b, "u1").await;
    assert_err!(
        b.add_user_to_group("g1", "nobody").await,
        ErrorKind::NotFound(_)
    );
    assert_err!(
        b.add_user_to_group("nogroup", "u1").await,
        ErrorKind::NotFound(_)
    );
    assert_err!(b.delete_group("nope").await, ErrorKind::NotFound(_));
    assert_err!(
        b.update_group("nope", rename(Some("x"), None)).await,
        ErrorKind::NotFound(_)
    );
}

/// ListGroups pages with a small MaxItems return every group exactly once.
pub async fn groups_small_pages(b: Arc<dyn Backend>) {
    let names: Vec<String> = (0..7).map(|i| format!("pager-{i}")).collect();
    for n in &names {
        group(&*b, n).await;
    }
    let got = collect_pages("ListGroups", |marker| b.list_groups(small_page(marker, 3)))
        .await
        .expect("page through groups");
    let got: Vec<String> = got.into_iter().map(|g| g.name).collect();
    assert_eq!(unique(&got), unique(&names));
}
