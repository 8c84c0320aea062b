//! Users and their console passwords.

use super::*;

pub(super) async fn list_users(b: &AwsBackend, req: PageRequest) -> Result<Page<User>> {
    one_page!("ListUsers", b.iam.list_users(), req, |out| out
        .users()
        .iter()
        .map(user_from)
        .collect())
}

pub(super) async fn get_user(b: &AwsBackend, name: Option<&str>) -> Result<User> {
    let out = send!(
        "GetUser",
        b.iam.get_user().set_user_name(name.map(str::to_string))
    )?;
    required(out.user().map(user_from), "GetUser", "user")
}

pub(super) async fn create_user(b: &AwsBackend, req: CreateUser) -> Result<User> {
    let out = send!(
        "CreateUser",
        b.iam
            .create_user()
            .user_name(req.name)
            .set_path(req.path)
            .set_permissions_boundary(req.permissions_boundary)
            .set_tags(Some(tags_to(&req.tags)?))
    )?;
    required(out.user().map(user_from), "CreateUser", "user")
}

unit_calls! {
    "UpdateUser" update_user(name: &str, change: Rename)
        .user_name(name)
        .set_new_user_name(change.new_name)
        .set_new_path(change.new_path);
    "DeleteUser" delete_user(name: &str).user_name(name);
    "UpdateLoginProfile" update_login_profile(
        user: &str,
        password: Option<&Password>,
        reset_required: Option<bool>
    )
        .user_name(user)
        .set_password(password.map(|p| p.expose().to_string()))
        .set_password_reset_required(reset_required);
    "DeleteLoginProfile" delete_login_profile(user: &str).user_name(user);
}

fn login_profile_from(p: &aws_sdk_iam::types::LoginProfile) -> LoginProfile {
    LoginProfile {
        user_name: p.user_name().to_string(),
        create_date: ts(p.create_date()),
        password_reset_required: p.password_reset_required(),
    }
}

pub(super) async fn create_login_profile(
    b: &AwsBackend,
    user: &str,
    password: &Password,
    reset_required: bool,
) -> Result<LoginProfile> {
    let out = send!(
        "CreateLoginProfile",
        b.iam
            .create_login_profile()
            .user_name(user)
            .password(password.expose())
            .password_reset_required(reset_required)
    )?;
    let profile = out.login_profile().map(login_profile_from);
    required(profile, "CreateLoginProfile", "login profile")
}

pub(super) async fn list_groups_for_user(b: &AwsBackend, name: &str) -> Result<Vec<Group>> {
    all_pages!(
        "ListGroupsForUser",
        b.iam.list_groups_for_user().user_name(name),
        |out| out.groups().iter().map(group_from).collect::<Vec<_>>()
    )
}

pub(super) async fn get_login_profile(b: &AwsBackend, user: &str) -> Result<Option<LoginProfile>> {
    match send!("GetLoginProfile", b.iam.get_login_profile().user_name(user)) {
        Ok(out) => Ok(out.login_profile().map(login_profile_from)),
        // IAM answers NoSuchEntity both for a missing user and for a user without a
        // password; tell them apart by asking for the user.
        Err(e) if e.is_not_found() => {
            send!("GetUser", b.iam.get_user().user_name(user))?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub(super) fn user_from(u: &iam_t::User) -> User {
    User {
        name: u.user_name().to_string(),
        user_id: u.user_id().to_string(),
        arn: u.arn().to_string(),
        path: u.path().to_string(),
        create_date: ts(u.create_date()),
        password_last_used: ts_opt(u.password_last_used()),
        permissions_boundary: u
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
        tags: tags_from(u.tags()),
    }
}
