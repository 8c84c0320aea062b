//! Groups and their members.

use super::*;

pub(super) async fn list_groups(b: &AwsBackend, req: PageRequest) -> Result<Page<Group>> {
    one_page!("ListGroups", b.iam.list_groups(), req, |out| out
        .groups()
        .iter()
        .map(group_from)
        .collect())
}

pub(super) async fn get_group(b: &AwsBackend, name: &str) -> Result<GroupDetail> {
    // GetGroup pages over members; the group itself repeats on every page.
    let mut group = None;
    let mut members = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = send!(
            "GetGroup",
            b.iam
                .get_group()
                .group_name(name)
                .set_marker(marker.clone())
        )?;
        if group.is_none() {
            group = out.group().map(group_from);
        }
        members.extend(out.users().iter().map(user_from));
        match out.marker().filter(|_| out.is_truncated()) {
            Some(next) if Some(next) != marker.as_deref() => marker = Some(next.to_string()),
            _ => break,
        }
    }
    let group = group.ok_or_else(|| {
        BackendError::new("GetGroup", ErrorKind::NotFound(format!("group {name}")))
    })?;
    Ok(GroupDetail { group, members })
}

pub(super) async fn create_group(b: &AwsBackend, name: &str, path: Option<&str>) -> Result<Group> {
    let out = send!(
        "CreateGroup",
        b.iam
            .create_group()
            .group_name(name)
            .set_path(path.map(str::to_string))
    )?;
    required(out.group().map(group_from), "CreateGroup", "group")
}

unit_calls! {
    "UpdateGroup" update_group(name: &str, change: Rename)
        .group_name(name)
        .set_new_group_name(change.new_name)
        .set_new_path(change.new_path);
    "DeleteGroup" delete_group(name: &str).group_name(name);
    "AddUserToGroup" add_user_to_group(group: &str, user: &str).group_name(group).user_name(user);
    "RemoveUserFromGroup" remove_user_from_group(group: &str, user: &str)
        .group_name(group)
        .user_name(user);
}

pub(super) fn group_from(g: &iam_t::Group) -> Group {
    Group {
        name: g.group_name().to_string(),
        group_id: g.group_id().to_string(),
        arn: g.arn().to_string(),
        path: g.path().to_string(),
        create_date: ts(g.create_date()),
    }
}
