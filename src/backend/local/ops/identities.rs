//! Users, groups and roles: IAM's names, quotas and dependency rules.

use crate::iam::error::Result;
use crate::iam::types::*;
use crate::policy::validate::{Options, PolicyType};

use super::super::call::Call;
use super::super::managed;
use super::super::model::{
    self, Account, GroupRecord, InstanceProfileRecord, Named, RoleRecord, SessionPrincipal, Table,
    UserRecord,
};
use super::super::names::{
    check_description, check_name, check_password, check_path, check_path_prefix, check_tags,
};
use super::{quota, range};

pub(crate) fn user_of(account: &str, u: &UserRecord) -> User {
    User {
        name: u.name.clone(),
        user_id: u.user_id.clone(),
        arn: super::super::call::iam_arn(account, "user", &u.path, &u.name),
        path: u.path.clone(),
        create_date: u.create_date,
        password_last_used: u.password_last_used,
        permissions_boundary: u.permissions_boundary.clone(),
        tags: u.tags.clone(),
    }
}

/// ListUsers and GetGroup leave tags and the boundary out, as IAM does.
fn listed_user(account: &str, u: &UserRecord) -> User {
    User {
        permissions_boundary: None,
        tags: Vec::new(),
        ..user_of(account, u)
    }
}

pub(crate) fn group_of(account: &str, g: &GroupRecord) -> Group {
    Group {
        name: g.name.clone(),
        group_id: g.group_id.clone(),
        arn: super::super::call::iam_arn(account, "group", &g.path, &g.name),
        path: g.path.clone(),
        create_date: g.create_date,
    }
}

pub(crate) fn role_of(account: &str, r: &RoleRecord, detail: bool) -> Role {
    Role {
        name: r.name.clone(),
        role_id: r.role_id.clone(),
        arn: super::super::call::iam_arn(account, "role", &r.path, &r.name),
        path: r.path.clone(),
        create_date: r.create_date,
        description: r.description.clone(),
        max_session_duration: r.max_session_duration,
        assume_role_policy: Some(r.assume_role_policy.clone()),
        permissions_boundary: detail.then(|| r.permissions_boundary.clone()).flatten(),
        tags: super::detail_only(detail, &r.tags),
        last_used: detail.then(|| RoleLastUsed {
            date: r.last_used.date,
            region: r.last_used.region.clone(),
        }),
    }
}

/// One page of a table, filtered by path prefix: IAM's MaxItems and Marker.
pub(crate) fn page_of<'a, T: Named, U>(
    c: &Call<'_>,
    table: &'a Table<T>,
    page: &PageRequest,
    path_of: impl Fn(&T) -> &str,
    map: impl Fn(&str, &'a T) -> U,
) -> Result<Page<U>> {
    let max = max_items(c, page)?;
    let prefix = page.path_prefix.as_deref().unwrap_or_default();
    let matching = table.after(page.marker.as_deref());
    let (items, more) = first(matching.filter(|t| path_of(t).starts_with(prefix)), max);
    Ok(Page {
        next_marker: items.last().copied().filter(|_| more).map(Table::marker_of),
        items: items.into_iter().map(|t| map(c.account_id(), t)).collect(),
    })
}

/// Checks a list call's PathPrefix and MaxItems (default 100, at most 1,000); the most items
/// its page may hold.
pub(crate) fn max_items(c: &Call<'_>, page: &PageRequest) -> Result<usize> {
    if let Some(p) = &page.path_prefix {
        check_path_prefix(c.operation, p)?;
    }
    range(c, "maxItems", page.max_items, 1, 1000)?;
    Ok(page.max_items.map_or(100, |n| n as usize))
}

/// The first `max` of `items`, and whether more follow (IAM's IsTruncated).
pub(crate) fn first<I: Iterator>(items: I, max: usize) -> (Vec<I::Item>, bool) {
    let mut items = items.peekable();
    let page = items.by_ref().take(max).collect();
    (page, items.peek().is_some())
}

/// NoSuchEntity for the `kind` (`user`, `group`, `role`) named `name`, in IAM's words.
pub(crate) fn no_such<T>(c: &Call<'_>, kind: &str, name: &str) -> Result<T> {
    c.fail(
        "NoSuchEntity",
        format!("The {kind} with name {name} cannot be found."),
    )
}

/// EntityAlreadyExists for the `kind` (`user`, `group`, `role`) named `name`, in IAM's words.
fn name_taken<T>(c: &Call<'_>, kind: &str, name: &str) -> Result<T> {
    let kind = kind[..1].to_uppercase() + &kind[1..];
    c.fail(
        "EntityAlreadyExists",
        format!("{kind} with name {name} already exists."),
    )
}

/// The entity of `table` named `name`, or IAM's NoSuchEntity for that `kind`.
pub(crate) fn named<'a, T: Named>(
    c: &Call<'_>,
    table: &'a Table<T>,
    kind: &str,
    name: &str,
) -> Result<&'a T> {
    match table.get(name) {
        Some(e) => Ok(e),
        None => no_such(c, kind, name),
    }
}

/// Checks the name (the API's `field`, at most `max` long) and the path (default `/`) of an
/// entity to create; the path.
pub(crate) fn new_path(
    c: &Call<'_>,
    (field, name, max): (&str, &str, usize),
    path: Option<&str>,
) -> Result<String> {
    check_name(c.operation, field, name, max)?;
    let path = path.unwrap_or("/").to_string();
    check_path(c.operation, "path", &path)?;
    Ok(path)
}

/// `fn $f(c, name)`: the ARN of the entity of the table `$table` named `name`, under the root
/// path when there is none.
macro_rules! arn_of {
    ($($f:ident: $table:ident $kind:literal),+) => {
        $(pub(crate) fn $f(c: &Call<'_>, name: &str) -> String {
            match c.account.$table.get(name) {
                Some(e) => c.arn($kind, &e.path, &e.name),
                None => c.arn($kind, "/", name),
            }
        })+
    };
}
arn_of!(
    user_arn: users "user",
    group_arn: groups "group",
    role_arn: roles "role",
    profile_arn: instance_profiles "instance-profile"
);

// Why IAM refuses to delete a user, group or role that still has policies.
const HAS_INLINE: &str = "must delete policies first";
const HAS_ATTACHED: &str = "must detach all policies first";

/// DeleteConflict for the first of `blockers` that holds (IAM checks them in this order).
fn refuse_delete(c: &Call<'_>, blockers: &[(bool, &str)]) -> Result<()> {
    match blockers.iter().find(|(blocks, _)| *blocks) {
        Some((_, why)) => c.fail("DeleteConflict", format!("Cannot delete entity, {why}.")),
        None => Ok(()),
    }
}

/// Context keys of a request that carries tags (`aws:RequestTag/…`, `aws:TagKeys`).
pub(crate) fn request_tags(ctx: &mut crate::policy::eval::Context, tags: &[Tag]) {
    for t in tags {
        ctx.insert(format!("aws:RequestTag/{}", t.key), t.value.clone());
    }
    if !tags.is_empty() {
        ctx.insert(
            "aws:TagKeys",
            tags.iter().map(|t| t.key.clone()).collect::<Vec<_>>(),
        );
    }
}

/// Context keys of the tags on the resource a request acts on, if it exists
/// (`aws:ResourceTag/…`).
fn resource_tags(ctx: &mut crate::policy::eval::Context, tags: Option<&Vec<Tag>>) {
    for t in tags.into_iter().flatten() {
        ctx.insert(format!("aws:ResourceTag/{}", t.key), t.value.clone());
    }
}

/// NoSuchEntity, in IAM's words, for a permissions boundary that names no managed policy.
pub(crate) fn check_boundary(c: &Call<'_>, arn: Option<&str>) -> Result<()> {
    if let Some(arn) = arn
        && managed::find(c.account, arn).is_none()
    {
        return c.fail(
            "NoSuchEntity",
            format!("Scope ARN: {arn} does not exist or is not attachable."),
        );
    }
    Ok(())
}

// --- users ------------------------------------------------------------------------------------

pub fn list_users(c: &mut Call<'_>, page: PageRequest) -> Result<Page<User>> {
    c.authorize("iam:ListUsers", &c.arn("user", "/", "*"))?;
    page_of(c, &c.account.users, &page, |u| &u.path, listed_user)
}

pub fn get_user(c: &mut Call<'_>, name: Option<&str>) -> Result<User> {
    if name.is_none() && c.caller.is_root() {
        // The root's own "user", as GetUser without a name returns it for root credentials.
        let arn = c.caller.arn.clone();
        c.authorize("iam:GetUser", &arn)?;
        return Ok(User {
            name: "<root_account>".into(),
            user_id: c.account_id().to_string(),
            arn,
            path: "/".into(),
            create_date: c.account.created,
            password_last_used: None,
            permissions_boundary: None,
            tags: Vec::new(),
        });
    }
    let name = c.own_user(name)?;
    c.authorize_with("iam:GetUser", &user_arn(c, &name), |ctx| {
        resource_tags(ctx, c.account.users.get(&name).map(|u| &u.tags))
    })?;
    let u = named(c, &c.account.users, "user", &name)?;
    Ok(user_of(c.account_id(), u))
}

pub fn create_user(c: &mut Call<'_>, req: CreateUser) -> Result<User> {
    let path = new_path(c, ("userName", &req.name, 64), req.path.as_deref())?;
    check_tags(c.operation, &req.tags)?;
    if req.tags.len() > 50 {
        return c.fail(
            "LimitExceeded",
            "The number of tags has reached the maximum limit of 50.",
        );
    }
    c.authorize_with("iam:CreateUser", &c.arn("user", &path, &req.name), |ctx| {
        request_tags(ctx, &req.tags);
        if let Some(b) = &req.permissions_boundary {
            ctx.insert("iam:PermissionsBoundary", b.clone());
        }
    })?;
    if c.account.users.contains(&req.name) {
        return name_taken(c, "user", &req.name);
    }
    check_boundary(c, req.permissions_boundary.as_deref())?;
    quota(c, c.account.users.len(), super::USERS, "UsersPerAccount")?;
    let record = UserRecord {
        name: req.name.clone(),
        user_id: c.ids.unique_id("AIDA"),
        path,
        create_date: c.now,
        permissions_boundary: req.permissions_boundary,
        tags: req.tags,
        ..Default::default()
    };
    let user = user_of(c.account_id(), &record);
    c.account.users.insert(record);
    Ok(user)
}

/// UpdateUser and UpdateGroup: checks `change` (the new name at most `max` long), authorizes
/// `action` on `arn`, then files the entity of `kind` of `table` under its new name and path.
/// Returns the old and the new name, for what names the entity to follow.
fn rename<T: Named + Clone>(
    c: &mut Call<'_>,
    (action, arn): (&str, String),
    (kind, field, max): (&str, &str, usize),
    table: fn(&mut Account) -> &mut Table<T>,
    name_path: fn(&mut T) -> (&mut String, &mut String),
    name: &str,
    change: Rename,
) -> Result<(String, String)> {
    if let Some(n) = &change.new_name {
        check_name(c.operation, field, n, max)?;
    }
    if let Some(p) = &change.new_path {
        check_path(c.operation, "newPath", p)?;
    }
    c.authorize(action, &arn)?;
    let Some(mut e) = table(c.account).get(name).cloned() else {
        return no_such(c, kind, name);
    };
    let old = name_path(&mut e).0.clone();
    if let Some(new) = &change.new_name
        && !new.eq_ignore_ascii_case(&old)
        && table(c.account).contains(new)
    {
        return name_taken(c, kind, new);
    }
    table(c.account).remove(&old);
    let (n, p) = name_path(&mut e);
    if let Some(new) = change.new_name {
        *n = new;
    }
    if let Some(new) = change.new_path {
        *p = new;
    }
    let new = n.clone();
    table(c.account).insert(e);
    Ok((old, new))
}

pub fn update_user(c: &mut Call<'_>, name: &str, change: Rename) -> Result<()> {
    let (old, new) = rename(
        c,
        ("iam:UpdateUser", user_arn(c, name)),
        ("user", "newUserName", 64),
        |a| &mut a.users,
        |u| (&mut u.name, &mut u.path),
        name,
        change,
    )?;
    // Everything that names the user by name follows the rename.
    for d in c.account.virtual_mfa_devices.iter_mut() {
        if d.user.as_deref() == Some(old.as_str()) {
            d.user = Some(new.clone());
        }
    }
    for s in c.account.sessions.iter_mut() {
        if let SessionPrincipal::User { user } = &mut s.principal
            && user.eq_ignore_ascii_case(&old)
        {
            *user = new.clone();
        }
    }
    Ok(())
}

pub fn delete_user(c: &mut Call<'_>, name: &str) -> Result<()> {
    c.authorize("iam:DeleteUser", &user_arn(c, name))?;
    let u = named(c, &c.account.users, "user", name)?;
    // IAM's order and wording: what must go before the user can.
    refuse_delete(
        c,
        &[
            (u.login_profile.is_some(), "must delete login profile first"),
            (!u.access_keys.is_empty(), "must delete access keys first"),
            (
                !u.signing_certificates.is_empty(),
                "must delete signing certificates first",
            ),
            (
                !u.ssh_public_keys.is_empty(),
                "must delete SSH public keys first",
            ),
            (!u.mfa_devices.is_empty(), "must delete MFA device first"),
            (!u.inline_policies.is_empty(), HAS_INLINE),
            (!u.attached_policies.is_empty(), HAS_ATTACHED),
            (
                !u.groups.is_empty(),
                "must remove user from all groups first",
            ),
        ],
    )?;
    let name = u.name.clone();
    c.account.users.remove(&name);
    // Its GetSessionToken sessions end with it.
    c.account.sessions.retain(|s| {
        !matches!(&s.principal, SessionPrincipal::User { user } if user.eq_ignore_ascii_case(&name))
    });
    Ok(())
}

pub fn list_groups_for_user(c: &mut Call<'_>, name: &str) -> Result<Vec<Group>> {
    c.authorize("iam:ListGroupsForUser", &user_arn(c, name))?;
    let u = named(c, &c.account.users, "user", name)?;
    Ok(u.groups
        .iter()
        .filter_map(|g| c.account.groups.get(g))
        .map(|g| group_of(c.account_id(), g))
        .collect())
}

// --- groups -----------------------------------------------------------------------------------

pub fn list_groups(c: &mut Call<'_>, page: PageRequest) -> Result<Page<Group>> {
    c.authorize("iam:ListGroups", &c.arn("group", "/", "*"))?;
    page_of(c, &c.account.groups, &page, |g| &g.path, group_of)
}

pub fn get_group(c: &mut Call<'_>, name: &str) -> Result<GroupDetail> {
    c.authorize("iam:GetGroup", &group_arn(c, name))?;
    let g = named(c, &c.account.groups, "group", name)?;
    let members = c
        .account
        .users
        .iter()
        .filter(|u| u.groups.iter().any(|m| m.eq_ignore_ascii_case(&g.name)))
        .map(|u| listed_user(c.account_id(), u))
        .collect();
    Ok(GroupDetail {
        group: group_of(c.account_id(), g),
        members,
    })
}

pub fn create_group(c: &mut Call<'_>, name: &str, path: Option<&str>) -> Result<Group> {
    let path = new_path(c, ("groupName", name, 128), path)?;
    c.authorize("iam:CreateGroup", &c.arn("group", &path, name))?;
    if c.account.groups.contains(name) {
        return name_taken(c, "group", name);
    }
    quota(c, c.account.groups.len(), super::GROUPS, "GroupsPerAccount")?;
    let record = GroupRecord {
        name: name.to_string(),
        group_id: c.ids.unique_id("AGPA"),
        path,
        create_date: c.now,
        ..Default::default()
    };
    let g = group_of(c.account_id(), &record);
    c.account.groups.insert(record);
    Ok(g)
}

pub fn update_group(c: &mut Call<'_>, name: &str, change: Rename) -> Result<()> {
    let (old, new) = rename(
        c,
        ("iam:UpdateGroup", group_arn(c, name)),
        ("group", "newGroupName", 128),
        |a| &mut a.groups,
        |g| (&mut g.name, &mut g.path),
        name,
        change,
    )?;
    for u in c.account.users.iter_mut() {
        for m in u.groups.iter_mut() {
            if m.eq_ignore_ascii_case(&old) {
                *m = new.clone();
            }
        }
    }
    Ok(())
}

pub fn delete_group(c: &mut Call<'_>, name: &str) -> Result<()> {
    c.authorize("iam:DeleteGroup", &group_arn(c, name))?;
    let g = named(c, &c.account.groups, "group", name)?;
    let has_members = c
        .account
        .users
        .iter()
        .any(|u| u.groups.iter().any(|m| m.eq_ignore_ascii_case(&g.name)));
    refuse_delete(
        c,
        &[
            (has_members, "must remove users from group first"),
            (!g.inline_policies.is_empty(), HAS_INLINE),
            (!g.attached_policies.is_empty(), HAS_ATTACHED),
        ],
    )?;
    let name = g.name.clone();
    c.account.groups.remove(&name);
    Ok(())
}

pub fn add_user_to_group(c: &mut Call<'_>, group: &str, user: &str) -> Result<()> {
    c.authorize("iam:AddUserToGroup", &group_arn(c, group))?;
    let g = named(c, &c.account.groups, "group", group)?.name.clone();
    let u = named(c, &c.account.users, "user", user)?;
    if u.groups.iter().any(|m| m.eq_ignore_ascii_case(&g)) {
        return Ok(());
    }
    quota(c, u.groups.len(), super::GROUPS_PER_USER, "GroupsPerUser")?;
    c.account.users[user].groups.push(g);
    Ok(())
}

pub fn remove_user_from_group(c: &mut Call<'_>, group: &str, user: &str) -> Result<()> {
    c.authorize("iam:RemoveUserFromGroup", &group_arn(c, group))?;
    named(c, &c.account.groups, "group", group)?;
    named(c, &c.account.users, "user", user)?;
    let u = &mut c.account.users[user];
    let before = u.groups.len();
    u.groups.retain(|m| !m.eq_ignore_ascii_case(group));
    if u.groups.len() == before {
        return c.fail(
            "NoSuchEntity",
            format!("User {user} is not in group {group}."),
        );
    }
    Ok(())
}

// --- roles ------------------------------------------------------------------------------------

/// Checks a trust policy as IAM does on CreateRole/UpdateAssumeRolePolicy.
pub(crate) fn check_trust_policy(c: &Call<'_>, document: &str) -> Result<()> {
    super::check_document(c, document, Options::new(PolicyType::Trust))
}

pub fn list_roles(c: &mut Call<'_>, page: PageRequest) -> Result<Page<Role>> {
    c.authorize("iam:ListRoles", &c.arn("role", "/", "*"))?;
    page_of(
        c,
        &c.account.roles,
        &page,
        |r| &r.path,
        |a, r| role_of(a, r, false),
    )
}

pub fn get_role(c: &mut Call<'_>, name: &str) -> Result<Role> {
    c.authorize_with("iam:GetRole", &role_arn(c, name), |ctx| {
        resource_tags(ctx, c.account.roles.get(name).map(|r| &r.tags))
    })?;
    let r = named(c, &c.account.roles, "role", name)?;
    Ok(role_of(c.account_id(), r, true))
}

pub fn create_role(c: &mut Call<'_>, req: CreateRole) -> Result<Role> {
    let path = new_path(c, ("roleName", &req.name, 64), req.path.as_deref())?;
    check_tags(c.operation, &req.tags)?;
    if let Some(d) = &req.description {
        check_description(c.operation, d)?;
    }
    let max_session = req.max_session_duration.unwrap_or(3600);
    range(c, "maxSessionDuration", Some(max_session), 3600, 43200)?;
    c.authorize_with("iam:CreateRole", &c.arn("role", &path, &req.name), |ctx| {
        request_tags(ctx, &req.tags);
        if let Some(b) = &req.permissions_boundary {
            ctx.insert("iam:PermissionsBoundary", b.clone());
        }
    })?;
    check_trust_policy(c, &req.assume_role_policy)?;
    if c.account.roles.contains(&req.name) {
        return name_taken(c, "role", &req.name);
    }
    check_boundary(c, req.permissions_boundary.as_deref())?;
    quota(c, c.account.roles.len(), super::ROLES, "RolesPerAccount")?;
    let record = RoleRecord {
        name: req.name,
        role_id: c.ids.unique_id("AROA"),
        path,
        create_date: c.now,
        description: req.description,
        max_session_duration: max_session,
        assume_role_policy: req.assume_role_policy,
        permissions_boundary: req.permissions_boundary,
        tags: req.tags,
        ..Default::default()
    };
    let role = role_of(c.account_id(), &record, true);
    c.account.roles.insert(record);
    Ok(role)
}

/// The role named `name`, for a call that changes it: service-linked roles (path
/// `/aws-service-role/`) belong to their service.
fn modifiable_role<'a>(c: &'a Call<'_>, name: &str) -> Result<&'a RoleRecord> {
    let r = named(c, &c.account.roles, "role", name)?;
    if r.path.starts_with("/aws-service-role/") {
        return c.fail(
            "UnmodifiableEntity",
            format!(
                "Cannot perform the operation on the protected role '{}' - this role is only modifiable by AWS",
                r.name
            ),
        );
    }
    Ok(r)
}

pub fn update_role(
    c: &mut Call<'_>,
    name: &str,
    description: Option<&str>,
    max_session_duration: Option<i32>,
) -> Result<()> {
    if let Some(d) = description {
        check_description(c.operation, d)?;
    }
    range(c, "maxSessionDuration", max_session_duration, 3600, 43200)?;
    c.authorize("iam:UpdateRole", &role_arn(c, name))?;
    modifiable_role(c, name)?;
    let r = &mut c.account.roles[name];
    if let Some(d) = description {
        r.description = Some(d.to_string());
    }
    if let Some(m) = max_session_duration {
        r.max_session_duration = m;
    }
    Ok(())
}

pub fn update_assume_role_policy(c: &mut Call<'_>, name: &str, document: &str) -> Result<()> {
    c.authorize("iam:UpdateAssumeRolePolicy", &role_arn(c, name))?;
    modifiable_role(c, name)?;
    check_trust_policy(c, document)?;
    c.account.roles[name].assume_role_policy = document.to_string();
    Ok(())
}

pub fn delete_role(c: &mut Call<'_>, name: &str) -> Result<()> {
    c.authorize("iam:DeleteRole", &role_arn(c, name))?;
    let r = modifiable_role(c, name)?;
    let in_profile = c
        .account
        .instance_profiles
        .iter()
        .any(|p| p.roles.iter().any(|x| x.eq_ignore_ascii_case(&r.name)));
    refuse_delete(
        c,
        &[
            (in_profile, "must remove roles from instance profile first"),
            (!r.inline_policies.is_empty(), HAS_INLINE),
            (!r.attached_policies.is_empty(), HAS_ATTACHED),
        ],
    )?;
    let name = r.name.clone();
    c.account.roles.remove(&name);
    Ok(())
}

// --- console passwords ------------------------------------------------------------------------

pub fn get_login_profile(c: &mut Call<'_>, user: &str) -> Result<Option<LoginProfile>> {
    c.authorize("iam:GetLoginProfile", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    Ok(u.login_profile.as_ref().map(|p| LoginProfile {
        user_name: u.name.clone(),
        create_date: p.create_date,
        password_reset_required: p.password_reset_required,
    }))
}

pub fn create_login_profile(
    c: &mut Call<'_>,
    user: &str,
    password: &Password,
    reset_required: bool,
) -> Result<LoginProfile> {
    c.authorize("iam:CreateLoginProfile", &user_arn(c, user))?;
    let name = named(c, &c.account.users, "user", user)?.name.clone();
    check_password(
        "CreateLoginProfile",
        c.account.password_policy.as_ref(),
        password.expose(),
    )?;
    let u = &mut c.account.users[user];
    if u.login_profile.is_some() {
        return c.fail(
            "EntityAlreadyExists",
            format!("Login Profile for user {name} already exists."),
        );
    }
    // Only that a password exists is kept: the local account signs nobody in with it.
    u.login_profile = Some(model::LoginProfile {
        create_date: c.now,
        password_reset_required: reset_required,
    });
    Ok(LoginProfile {
        user_name: name,
        create_date: c.now,
        password_reset_required: reset_required,
    })
}

pub fn update_login_profile(
    c: &mut Call<'_>,
    user: &str,
    password: Option<&Password>,
    reset_required: Option<bool>,
) -> Result<()> {
    c.authorize("iam:UpdateLoginProfile", &user_arn(c, user))?;
    named(c, &c.account.users, "user", user)?;
    if let Some(p) = password {
        check_password(
            "UpdateLoginProfile",
            c.account.password_policy.as_ref(),
            p.expose(),
        )?;
    }
    let Some(profile) = c.account.users[user].login_profile.as_mut() else {
        return c.fail(
            "NoSuchEntity",
            format!("Login Profile for User {user} cannot be found."),
        );
    };
    if let Some(reset) = reset_required {
        profile.password_reset_required = reset;
    }
    Ok(())
}

pub fn delete_login_profile(c: &mut Call<'_>, user: &str) -> Result<()> {
    c.authorize("iam:DeleteLoginProfile", &user_arn(c, user))?;
    named(c, &c.account.users, "user", user)?;
    let u = &mut c.account.users[user];
    if u.login_profile.take().is_none() {
        return c.fail(
            "NoSuchEntity",
            format!("Login Profile for User {user} cannot be found."),
        );
    }
    u.password_last_used = None;
    Ok(())
}

// --- instance profiles ------------------------------------------------------------------------

pub(crate) const INSTANCE_PROFILES: usize = 5_000;

fn profile_of(account: &str, p: &InstanceProfileRecord) -> InstanceProfile {
    InstanceProfile {
        name: p.name.clone(),
        instance_profile_id: p.instance_profile_id.clone(),
        arn: super::super::call::iam_arn(account, "instance-profile", &p.path, &p.name),
        path: p.path.clone(),
        create_date: p.create_date,
        roles: p.roles.clone(),
        tags: p.tags.clone(),
    }
}

/// The instance profile named `name`, or IAM's NoSuchEntity.
fn find_profile<'a>(c: &'a Call<'_>, name: &str) -> Result<&'a InstanceProfileRecord> {
    match c.account.instance_profiles.get(name) {
        Some(p) => Ok(p),
        None => c.fail(
            "NoSuchEntity",
            format!("Instance Profile {name} cannot be found."),
        ),
    }
}

pub fn list_instance_profiles(
    c: &mut Call<'_>,
    page: PageRequest,
) -> Result<Page<InstanceProfile>> {
    c.authorize(
        "iam:ListInstanceProfiles",
        &c.arn("instance-profile", "/", "*"),
    )?;
    page_of(
        c,
        &c.account.instance_profiles,
        &page,
        |p| &p.path,
        profile_of,
    )
}

pub fn get_instance_profile(c: &mut Call<'_>, name: &str) -> Result<InstanceProfile> {
    c.authorize("iam:GetInstanceProfile", &profile_arn(c, name))?;
    Ok(profile_of(c.account_id(), find_profile(c, name)?))
}

pub fn list_instance_profiles_for_role(
    c: &mut Call<'_>,
    role: &str,
) -> Result<Vec<InstanceProfile>> {
    c.authorize("iam:ListInstanceProfilesForRole", &role_arn(c, role))?;
    named(c, &c.account.roles, "role", role)?;
    Ok(c.account
        .instance_profiles
        .iter()
        .filter(|p| p.roles.iter().any(|r| r.eq_ignore_ascii_case(role)))
        .map(|p| profile_of(c.account_id(), p))
        .collect())
}

pub fn create_instance_profile(
    c: &mut Call<'_>,
    name: &str,
    path: Option<&str>,
) -> Result<InstanceProfile> {
    let path = new_path(c, ("instanceProfileName", name, 128), path)?;
    c.authorize(
        "iam:CreateInstanceProfile",
        &c.arn("instance-profile", &path, name),
    )?;
    if c.account.instance_profiles.contains(name) {
        return c.fail(
            "EntityAlreadyExists",
            format!("Instance Profile {name} already exists."),
        );
    }
    quota(
        c,
        c.account.instance_profiles.len(),
        INSTANCE_PROFILES,
        "InstanceProfilesPerAccount",
    )?;
    let record = InstanceProfileRecord {
        name: name.to_string(),
        instance_profile_id: c.ids.unique_id("AIPA"),
        path,
        create_date: c.now,
        ..Default::default()
    };
    let out = profile_of(c.account_id(), &record);
    c.account.instance_profiles.insert(record);
    Ok(out)
}

pub fn add_role_to_instance_profile(c: &mut Call<'_>, profile: &str, role: &str) -> Result<()> {
    c.authorize("iam:AddRoleToInstanceProfile", &profile_arn(c, profile))?;
    let p = find_profile(c, profile)?;
    let r = named(c, &c.account.roles, "role", role)?.name.clone();
    // IAM allows one role per instance profile.
    quota(c, p.roles.len(), 1, "InstanceSessionsPerInstanceProfile")?;
    c.account.instance_profiles[profile].roles.push(r);
    Ok(())
}

pub fn remove_role_from_instance_profile(
    c: &mut Call<'_>,
    profile: &str,
    role: &str,
) -> Result<()> {
    c.authorize(
        "iam:RemoveRoleFromInstanceProfile",
        &profile_arn(c, profile),
    )?;
    find_profile(c, profile)?;
    let p = &mut c.account.instance_profiles[profile];
    let before = p.roles.len();
    p.roles.retain(|r| !r.eq_ignore_ascii_case(role));
    if p.roles.len() == before {
        return c.fail(
            "NoSuchEntity",
            format!("The role with name {role} cannot be found in instance profile {profile}."),
        );
    }
    Ok(())
}

pub fn delete_instance_profile(c: &mut Call<'_>, name: &str) -> Result<()> {
    c.authorize("iam:DeleteInstanceProfile", &profile_arn(c, name))?;
    let p = find_profile(c, name)?;
    refuse_delete(
        c,
        &[(
            !p.roles.is_empty(),
            "must remove roles from instance profile first",
        )],
    )?;
    let name = p.name.clone();
    c.account.instance_profiles.remove(&name);
    Ok(())
}
