//! Roles and instance profiles.

use super::*;

pub(super) async fn list_roles(b: &AwsBackend, req: PageRequest) -> Result<Page<Role>> {
    one_page!("ListRoles", b.iam.list_roles(), req, |out| out
        .roles()
        .iter()
        .map(role_from)
        .collect())
}

pub(super) async fn get_role(b: &AwsBackend, name: &str) -> Result<Role> {
    let out = send!("GetRole", b.iam.get_role().role_name(name))?;
    out.role()
        .map(role_from)
        .ok_or_else(|| BackendError::new("GetRole", ErrorKind::NotFound(format!("role {name}"))))
}

pub(super) async fn create_role(b: &AwsBackend, req: CreateRole) -> Result<Role> {
    let out = send!(
        "CreateRole",
        b.iam
            .create_role()
            .role_name(req.name)
            .assume_role_policy_document(req.assume_role_policy)
            .set_path(req.path)
            .set_description(req.description)
            .set_max_session_duration(req.max_session_duration)
            .set_permissions_boundary(req.permissions_boundary)
            .set_tags(Some(tags_to(&req.tags)?))
    )?;
    required(out.role().map(role_from), "CreateRole", "role")
}

pub(super) async fn create_service_linked_role(
    b: &AwsBackend,
    req: CreateServiceLinkedRole,
) -> Result<Role> {
    let out = send!(
        "CreateServiceLinkedRole",
        b.iam
            .create_service_linked_role()
            .aws_service_name(req.service)
            .set_description(req.description)
            .set_custom_suffix(req.suffix)
    )?;
    required(out.role().map(role_from), "CreateServiceLinkedRole", "role")
}

pub(super) async fn delete_service_linked_role(b: &AwsBackend, name: &str) -> Result<String> {
    let out = send!(
        "DeleteServiceLinkedRole",
        b.iam.delete_service_linked_role().role_name(name)
    )?;
    Ok(out.deletion_task_id().to_string())
}

pub(super) async fn get_service_linked_role_deletion_status(
    b: &AwsBackend,
    task_id: &str,
) -> Result<RoleDeletion> {
    let out = send!(
        "GetServiceLinkedRoleDeletionStatus",
        b.iam
            .get_service_linked_role_deletion_status()
            .deletion_task_id(task_id)
    )?;
    let reason = out.reason();
    let usages = reason
        .map(|r| {
            r.role_usage_list()
                .iter()
                .map(|u| {
                    format!(
                        "{}: {}",
                        u.region().unwrap_or("?"),
                        u.resources().join(", ")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(RoleDeletion {
        status: out.status().as_str().to_string(),
        reason: reason.and_then(|r| r.reason()).map(str::to_string),
        usages,
    })
}

unit_calls! {
    "UpdateRole" update_role(name: &str, description: Option<&str>, max_session: Option<i32>)
        .role_name(name)
        .set_description(description.map(str::to_string))
        .set_max_session_duration(max_session);
    "UpdateAssumeRolePolicy" update_assume_role_policy(name: &str, document: &str)
        .role_name(name)
        .policy_document(document);
    "DeleteRole" delete_role(name: &str).role_name(name);
}

pub(super) async fn list_instance_profiles(
    b: &AwsBackend,
    req: PageRequest,
) -> Result<Page<InstanceProfile>> {
    one_page!(
        "ListInstanceProfiles",
        b.iam.list_instance_profiles(),
        req,
        |out| out
            .instance_profiles()
            .iter()
            .map(instance_profile_from)
            .collect()
    )
}

pub(super) async fn get_instance_profile(b: &AwsBackend, name: &str) -> Result<InstanceProfile> {
    let out = send!(
        "GetInstanceProfile",
        b.iam.get_instance_profile().instance_profile_name(name)
    )?;
    let p = out.instance_profile().map(instance_profile_from);
    required(p, "GetInstanceProfile", "instance profile")
}

pub(super) async fn list_instance_profiles_for_role(
    b: &AwsBackend,
    role: &str,
) -> Result<Vec<InstanceProfile>> {
    all_pages!(
        "ListInstanceProfilesForRole",
        b.iam.list_instance_profiles_for_role().role_name(role),
        |out| out
            .instance_profiles()
            .iter()
            .map(instance_profile_from)
            .collect::<Vec<_>>()
    )
}

pub(super) async fn create_instance_profile(
    b: &AwsBackend,
    name: &str,
    path: Option<&str>,
) -> Result<InstanceProfile> {
    let out = send!(
        "CreateInstanceProfile",
        b.iam
            .create_instance_profile()
            .instance_profile_name(name)
            .set_path(path.map(str::to_string))
    )?;
    let p = out.instance_profile().map(instance_profile_from);
    required(p, "CreateInstanceProfile", "instance profile")
}

unit_calls! {
    "AddRoleToInstanceProfile" add_role_to_instance_profile(profile: &str, role: &str)
        .instance_profile_name(profile)
        .role_name(role);
    "RemoveRoleFromInstanceProfile" remove_role_from_instance_profile(profile: &str, role: &str)
        .instance_profile_name(profile)
        .role_name(role);
    "DeleteInstanceProfile" delete_instance_profile(name: &str).instance_profile_name(name);
}

pub(super) fn role_from(r: &iam_t::Role) -> Role {
    Role {
        name: r.role_name().to_string(),
        role_id: r.role_id().to_string(),
        arn: r.arn().to_string(),
        path: r.path().to_string(),
        create_date: ts(r.create_date()),
        description: r.description().map(str::to_string),
        max_session_duration: r.max_session_duration().unwrap_or(3600),
        assume_role_policy: r
            .assume_role_policy_document()
            .map(|d| decode_policy_document(d).into_owned()),
        permissions_boundary: r
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
        tags: tags_from(r.tags()),
        last_used: r.role_last_used().map(|l| RoleLastUsed {
            date: ts_opt(l.last_used_date()),
            region: l.region().map(str::to_string),
        }),
    }
}

pub(super) fn instance_profile_from(p: &iam_t::InstanceProfile) -> InstanceProfile {
    InstanceProfile {
        name: p.instance_profile_name().to_string(),
        instance_profile_id: p.instance_profile_id().to_string(),
        arn: p.arn().to_string(),
        path: p.path().to_string(),
        create_date: ts(p.create_date()),
        roles: p
            .roles()
            .iter()
            .map(|r| r.role_name().to_string())
            .collect(),
        tags: tags_from(p.tags()),
    }
}
