//! Managed policies and their versions.

use super::*;

pub(super) async fn list_policies(
    b: &AwsBackend,
    scope: PolicyScope,
    only_attached: bool,
    req: PageRequest,
) -> Result<Page<ManagedPolicy>> {
    let scope = match scope {
        PolicyScope::All => iam_t::PolicyScopeType::All,
        PolicyScope::Aws => iam_t::PolicyScopeType::Aws,
        PolicyScope::Local => iam_t::PolicyScopeType::Local,
    };
    one_page!(
        "ListPolicies",
        b.iam
            .list_policies()
            .scope(scope)
            .only_attached(only_attached),
        req,
        |out| out.policies().iter().map(policy_from).collect()
    )
}

pub(super) async fn get_policy(b: &AwsBackend, arn: &str) -> Result<ManagedPolicy> {
    let out = send!("GetPolicy", b.iam.get_policy().policy_arn(arn))?;
    out.policy()
        .map(policy_from)
        .ok_or_else(|| BackendError::new("GetPolicy", ErrorKind::NotFound(format!("policy {arn}"))))
}

pub(super) async fn create_policy(b: &AwsBackend, req: CreatePolicy) -> Result<ManagedPolicy> {
    let out = send!(
        "CreatePolicy",
        b.iam
            .create_policy()
            .policy_name(req.name)
            .policy_document(req.document)
            .set_path(req.path)
            .set_description(req.description)
            .set_tags(Some(tags_to(&req.tags)?))
    )?;
    required(out.policy().map(policy_from), "CreatePolicy", "policy")
}

pub(super) async fn list_policy_versions(b: &AwsBackend, arn: &str) -> Result<Vec<PolicyVersion>> {
    all_pages!(
        "ListPolicyVersions",
        b.iam.list_policy_versions().policy_arn(arn),
        |out| out.versions().iter().map(version_from).collect::<Vec<_>>()
    )
}

pub(super) async fn get_policy_version(
    b: &AwsBackend,
    arn: &str,
    version_id: &str,
) -> Result<PolicyVersion> {
    let out = send!(
        "GetPolicyVersion",
        b.iam
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version_id)
    )?;
    out.policy_version().map(version_from).ok_or_else(|| {
        BackendError::new(
            "GetPolicyVersion",
            ErrorKind::NotFound(format!("{arn} version {version_id}")),
        )
    })
}

pub(super) async fn create_policy_version(
    b: &AwsBackend,
    arn: &str,
    document: &str,
    set_as_default: bool,
) -> Result<PolicyVersion> {
    let out = send!(
        "CreatePolicyVersion",
        b.iam
            .create_policy_version()
            .policy_arn(arn)
            .policy_document(document)
            .set_as_default(set_as_default)
    )?;
    let v = out.policy_version().map(version_from);
    let mut v = required(v, "CreatePolicyVersion", "version")?;
    if v.document.is_none() {
        v.document = Some(document.to_string());
    }
    Ok(v)
}

unit_calls! {
    "DeletePolicy" delete_policy(arn: &str).policy_arn(arn);
    "DeletePolicyVersion" delete_policy_version(arn: &str, version_id: &str)
        .policy_arn(arn)
        .version_id(version_id);
    "SetDefaultPolicyVersion" set_default_policy_version(arn: &str, version_id: &str)
        .policy_arn(arn)
        .version_id(version_id);
}

pub(super) async fn list_entities_for_policy(
    b: &AwsBackend,
    arn: &str,
    usage: PolicyUsage,
) -> Result<PolicyEntities> {
    let filter = match usage {
        PolicyUsage::PermissionsPolicy => iam_t::PolicyUsageType::PermissionsPolicy,
        PolicyUsage::PermissionsBoundary => iam_t::PolicyUsageType::PermissionsBoundary,
    };
    let pages = all_pages!(
        "ListEntitiesForPolicy",
        b.iam
            .list_entities_for_policy()
            .policy_arn(arn)
            .policy_usage_filter(filter.clone()),
        |out| vec![(
            out.policy_users()
                .iter()
                .filter_map(|u| u.user_name().map(str::to_string))
                .collect::<Vec<_>>(),
            out.policy_groups()
                .iter()
                .filter_map(|g| g.group_name().map(str::to_string))
                .collect::<Vec<_>>(),
            out.policy_roles()
                .iter()
                .filter_map(|r| r.role_name().map(str::to_string))
                .collect::<Vec<_>>(),
        )]
    )?;
    let mut entities = PolicyEntities::default();
    for (users, groups, roles) in pages {
        entities.users.extend(users);
        entities.groups.extend(groups);
        entities.roles.extend(roles);
    }
    Ok(entities)
}

pub(super) fn policy_from(p: &iam_t::Policy) -> ManagedPolicy {
    let created = ts_opt(p.create_date()).unwrap_or_default();
    ManagedPolicy {
        name: p.policy_name().unwrap_or_default().to_string(),
        policy_id: p.policy_id().unwrap_or_default().to_string(),
        arn: p.arn().unwrap_or_default().to_string(),
        path: p.path().unwrap_or("/").to_string(),
        default_version_id: p.default_version_id().unwrap_or_default().to_string(),
        attachment_count: p.attachment_count().unwrap_or(0),
        permissions_boundary_usage_count: p.permissions_boundary_usage_count().unwrap_or(0),
        is_attachable: p.is_attachable(),
        description: p.description().map(str::to_string),
        create_date: created,
        update_date: ts_opt(p.update_date()).unwrap_or(created),
        tags: tags_from(p.tags()),
    }
}

pub(super) fn version_from(v: &iam_t::PolicyVersion) -> PolicyVersion {
    PolicyVersion {
        version_id: v.version_id().unwrap_or_default().to_string(),
        is_default: v.is_default_version(),
        create_date: ts_opt(v.create_date()).unwrap_or_default(),
        document: v.document().map(|d| decode_policy_document(d).into_owned()),
    }
}
