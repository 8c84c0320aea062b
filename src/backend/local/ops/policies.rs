//! Managed policies and their versions, attachments, inline policies and permissions
//! boundaries.

use crate::iam::error::Result;
use crate::iam::types::*;
use crate::policy::validate::{Options, PolicyType, limits, policy_size};

use super::super::call::Call;
use super::super::managed::{self, PolicyRef};
use super::super::model::{InlinePolicyRecord, Named, PolicyRecord, PolicyVersionRecord, Table};
use super::super::names::{check_description, check_name, check_tags};
use super::identities::{
    check_boundary, first, group_arn, max_items, new_path, no_such, request_tags, role_arn,
    user_arn,
};
use super::{check_document, quota};

fn no_policy<T>(c: &Call<'_>, arn: &str) -> Result<T> {
    c.fail(
        "NoSuchEntity",
        format!("Policy {arn} does not exist or is not attachable."),
    )
}

fn no_version<T>(c: &Call<'_>, arn: &str, version_id: &str) -> Result<T> {
    c.fail(
        "NoSuchEntity",
        format!("Policy {arn} version {version_id} does not exist or is not attachable."),
    )
}

fn find<'a>(c: &'a Call<'_>, arn: &str) -> Result<PolicyRef<'a>> {
    match managed::find(c.account, arn) {
        Some(p) => Ok(p),
        None => no_policy(c, arn),
    }
}

/// The customer-managed policy an ARN names, for calls that change it (AWS managed policies
/// cannot be changed).
fn customer_mut<'a>(c: &'a mut Call<'_>, arn: &str) -> Result<&'a mut PolicyRecord> {
    match managed::find(c.account, arn) {
        Some(PolicyRef::Customer(p)) => {
            let name = p.name.clone();
            Ok(&mut c.account.policies[&name])
        }
        Some(_) => c.fail(
            "AccessDenied",
            format!("Policy {arn} is an AWS managed policy; only AWS can change it."),
        ),
        None => no_policy(c, arn),
    }
}

// --- managed policies -------------------------------------------------------------------------

pub fn list_policies(
    c: &mut Call<'_>,
    scope: PolicyScope,
    only_attached: bool,
    page: PageRequest,
) -> Result<Page<ManagedPolicy>> {
    c.authorize("iam:ListPolicies", "*")?;
    let max = max_items(c, &page)?;
    let counts = managed::counts(c.account);
    let account = c.account_id().to_string();
    let all = managed::all(c.account);
    let start = match &page.marker {
        None => 0,
        Some(m) => match all.iter().position(|p| &p.arn(&account) == m) {
            Some(i) => i + 1,
            None => {
                return c.fail("ValidationError", "Invalid Marker.");
            }
        },
    };
    let prefix = page.path_prefix.as_deref().unwrap_or_default();
    let matching = all[start..].iter().filter(|p| {
        let in_scope = match scope {
            PolicyScope::All => true,
            PolicyScope::Aws => p.is_aws(),
            PolicyScope::Local => !p.is_aws(),
        };
        let unattached = || counts.get(&p.arn(&account)).is_none_or(|(a, _)| *a == 0);
        in_scope && p.path().starts_with(prefix) && !(only_attached && unattached())
    });
    let (items, more) = first(matching, max);
    let items: Vec<ManagedPolicy> = items
        .into_iter()
        .map(|p| p.as_managed(&account, &counts))
        .collect();
    Ok(Page {
        next_marker: items.last().filter(|_| more).map(|p| p.arn.clone()),
        items,
    })
}

pub fn get_policy(c: &mut Call<'_>, arn: &str) -> Result<ManagedPolicy> {
    c.authorize("iam:GetPolicy", arn)?;
    let counts = managed::counts(c.account);
    Ok(find(c, arn)?.as_managed(c.account_id(), &counts))
}

pub fn create_policy(c: &mut Call<'_>, req: CreatePolicy) -> Result<ManagedPolicy> {
    let path = new_path(c, ("policyName", &req.name, 128), req.path.as_deref())?;
    check_tags(c.operation, &req.tags)?;
    if let Some(d) = &req.description {
        check_description(c.operation, d)?;
    }
    let arn = c.arn("policy", &path, &req.name);
    c.authorize_with("iam:CreatePolicy", &arn, |ctx| request_tags(ctx, &req.tags))?;
    check_document(c, &req.document, Options::new(PolicyType::Identity))?;
    if c.account.policies.contains(&req.name) {
        return c.fail(
            "EntityAlreadyExists",
            format!(
                "A policy called {} already exists. Duplicate names are not allowed.",
                req.name
            ),
        );
    }
    quota(
        c,
        c.account.policies.len(),
        super::CUSTOMER_POLICIES,
        "PoliciesPerAccount",
    )?;
    let record = PolicyRecord {
        name: req.name.clone(),
        policy_id: c.ids.unique_id("ANPA"),
        path,
        description: req.description,
        create_date: c.now,
        update_date: c.now,
        default_version_id: "v1".into(),
        next_version: 2,
        versions: vec![PolicyVersionRecord {
            version_id: "v1".into(),
            document: req.document,
            create_date: c.now,
        }],
        tags: req.tags,
    };
    c.account.policies.insert(record);
    let counts = managed::Counts::new();
    Ok(find(c, &arn)?.as_managed(c.account_id(), &counts))
}

pub fn delete_policy(c: &mut Call<'_>, arn: &str) -> Result<()> {
    c.authorize("iam:DeletePolicy", arn)?;
    let name = customer_mut(c, arn)?.name.clone();
    let counts = managed::counts(c.account);
    if counts.get(arn).is_some_and(|(a, b)| a + b > 0) {
        return c.fail(
            "DeleteConflict",
            "Cannot delete a policy attached to entities.",
        );
    }
    let p = &c.account.policies[&name];
    if p.versions.len() > 1 {
        return c.fail(
            "DeleteConflict",
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
    }
    c.account.policies.remove(&name);
    Ok(())
}

pub fn list_policy_versions(c: &mut Call<'_>, arn: &str) -> Result<Vec<PolicyVersion>> {
    c.authorize("iam:ListPolicyVersions", arn)?;
    Ok(find(c, arn)?.versions())
}

pub fn get_policy_version(c: &mut Call<'_>, arn: &str, version_id: &str) -> Result<PolicyVersion> {
    c.authorize("iam:GetPolicyVersion", arn)?;
    match find(c, arn)?.version(version_id) {
        Some(v) => Ok(v),
        None => no_version(c, arn, version_id),
    }
}

pub fn create_policy_version(
    c: &mut Call<'_>,
    arn: &str,
    document: &str,
    set_as_default: bool,
) -> Result<PolicyVersion> {
    c.authorize("iam:CreatePolicyVersion", arn)?;
    customer_mut(c, arn)?;
    check_document(c, document, Options::new(PolicyType::Identity))?;
    let now = c.now;
    let too_many = customer_mut(c, arn)?.versions.len() >= super::VERSIONS_PER_POLICY;
    if too_many {
        return c.fail(
            "LimitExceeded",
            format!(
                "A managed policy can have up to {} versions. Before you create a new version, you must delete an existing version.",
                super::VERSIONS_PER_POLICY
            ),
        );
    }
    let p = customer_mut(c, arn)?;
    let id = format!("v{}", p.next_version);
    p.next_version += 1;
    p.versions.push(PolicyVersionRecord {
        version_id: id.clone(),
        document: document.to_string(),
        create_date: now,
    });
    if set_as_default {
        p.default_version_id = id.clone();
        p.update_date = now;
    }
    Ok(PolicyVersion {
        version_id: id,
        is_default: set_as_default,
        create_date: now,
        document: Some(document.to_string()),
    })
}

pub fn delete_policy_version(c: &mut Call<'_>, arn: &str, version_id: &str) -> Result<()> {
    c.authorize("iam:DeletePolicyVersion", arn)?;
    let p = customer_mut(c, arn)?;
    let is_default = p.default_version_id == version_id;
    let exists = p.versions.iter().any(|v| v.version_id == version_id);
    if !exists {
        return no_version(c, arn, version_id);
    }
    if is_default {
        return c.fail(
            "DeleteConflict",
            "Cannot delete the default version of a policy.",
        );
    }
    customer_mut(c, arn)?
        .versions
        .retain(|v| v.version_id != version_id);
    Ok(())
}

pub fn set_default_policy_version(c: &mut Call<'_>, arn: &str, version_id: &str) -> Result<()> {
    c.authorize("iam:SetDefaultPolicyVersion", arn)?;
    let now = c.now;
    let p = customer_mut(c, arn)?;
    if !p.versions.iter().any(|v| v.version_id == version_id) {
        return no_version(c, arn, version_id);
    }
    let p = customer_mut(c, arn)?;
    p.default_version_id = version_id.to_string();
    p.update_date = now;
    Ok(())
}

pub fn list_entities_for_policy(
    c: &mut Call<'_>,
    arn: &str,
    usage: PolicyUsage,
) -> Result<PolicyEntities> {
    c.authorize("iam:ListEntitiesForPolicy", arn)?;
    find(c, arn)?;
    let a = &c.account;
    let has = |list: &[String]| list.iter().any(|x| x == arn);
    let boundary = |b: &Option<String>| b.as_deref() == Some(arn);
    Ok(match usage {
        PolicyUsage::PermissionsPolicy => PolicyEntities {
            users: names_where(&a.users, |u| has(&u.attached_policies)),
            groups: names_where(&a.groups, |g| has(&g.attached_policies)),
            roles: names_where(&a.roles, |r| has(&r.attached_policies)),
        },
        PolicyUsage::PermissionsBoundary => PolicyEntities {
            users: names_where(&a.users, |u| boundary(&u.permissions_boundary)),
            groups: Vec::new(),
            roles: names_where(&a.roles, |r| boundary(&r.permissions_boundary)),
        },
    })
}

/// The names of the entities of `table` that `keep` selects.
fn names_where<T: Named>(table: &Table<T>, keep: impl Fn(&T) -> bool) -> Vec<String> {
    table
        .iter()
        .filter(|e| keep(e))
        .map(|e| e.table_key().to_string())
        .collect()
}

// --- attachments and inline policies ----------------------------------------------------------

/// The IAM action for an entity operation: `iam:{verb}{User|Group|Role}{noun}`.
fn action(verb: &str, entity: &EntityRef, noun: &str) -> String {
    format!("iam:{verb}{}{noun}", title(entity.kind))
}

/// `User`, `Group` or `Role`, as IAM's action and quota names spell the kind.
fn title(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::User => "User",
        EntityKind::Group => "Group",
        EntityKind::Role => "Role",
    }
}

fn entity_arn(c: &Call<'_>, e: &EntityRef) -> String {
    match e.kind {
        EntityKind::User => user_arn(c, &e.name),
        EntityKind::Group => group_arn(c, &e.name),
        EntityKind::Role => role_arn(c, &e.name),
    }
}

fn no_entity<T>(c: &Call<'_>, e: &EntityRef) -> Result<T> {
    no_such(c, e.kind.as_str(), &e.name)
}

fn no_inline<T>(c: &Call<'_>, e: &EntityRef, name: &str) -> Result<T> {
    let kind = e.kind.as_str();
    c.fail(
        "NoSuchEntity",
        format!("The {kind} policy with name {name} cannot be found."),
    )
}

/// The entity's attached-policy list, inline policies and permissions boundary (users and roles
/// only), mutably.
type Parts<'a> = (
    &'a mut Vec<String>,
    &'a mut Table<InlinePolicyRecord>,
    Option<&'a mut Option<String>>,
);

fn parts<'a>(c: &'a mut Call<'_>, e: &EntityRef) -> Option<Parts<'a>> {
    let a = &mut *c.account;
    match e.kind {
        EntityKind::User => a.users.get_mut(&e.name).map(|u| {
            let boundary = Some(&mut u.permissions_boundary);
            (&mut u.attached_policies, &mut u.inline_policies, boundary)
        }),
        EntityKind::Group => a
            .groups
            .get_mut(&e.name)
            .map(|g| (&mut g.attached_policies, &mut g.inline_policies, None)),
        EntityKind::Role => a.roles.get_mut(&e.name).map(|r| {
            let boundary = Some(&mut r.permissions_boundary);
            (&mut r.attached_policies, &mut r.inline_policies, boundary)
        }),
    }
}

pub fn list_attached_policies(c: &mut Call<'_>, e: &EntityRef) -> Result<Vec<AttachedPolicy>> {
    c.authorize(&action("ListAttached", e, "Policies"), &entity_arn(c, e))?;
    let Some((attached, ..)) = parts(c, e) else {
        return no_entity(c, e);
    };
    let arns = attached.clone();
    Ok(arns
        .iter()
        .map(|arn| AttachedPolicy {
            name: managed::find(c.account, arn)
                .map(|p| p.name().to_string())
                .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn).to_string()),
            arn: arn.clone(),
        })
        .collect())
}

pub fn attach_policy(c: &mut Call<'_>, e: &EntityRef, arn: &str) -> Result<()> {
    c.authorize_with(&action("Attach", e, "Policy"), &entity_arn(c, e), |ctx| {
        ctx.insert("iam:PolicyARN", arn.to_string())
    })?;
    if parts(c, e).is_none() {
        return no_entity(c, e);
    }
    find(c, arn)?;
    let kind = format!("PoliciesPer{}", title(e.kind));
    let (attached, ..) = parts(c, e).expect("exists");
    if attached.iter().any(|a| a == arn) {
        return Ok(());
    }
    let n = attached.len();
    quota(c, n, super::MANAGED_POLICIES_PER_ENTITY, &kind)?;
    parts(c, e).expect("exists").0.push(arn.to_string());
    Ok(())
}

pub fn detach_policy(c: &mut Call<'_>, e: &EntityRef, arn: &str) -> Result<()> {
    c.authorize_with(&action("Detach", e, "Policy"), &entity_arn(c, e), |ctx| {
        ctx.insert("iam:PolicyARN", arn.to_string())
    })?;
    let Some((attached, ..)) = parts(c, e) else {
        return no_entity(c, e);
    };
    let before = attached.len();
    attached.retain(|a| a != arn);
    if attached.len() == before {
        return c.fail("NoSuchEntity", format!("Policy {arn} was not found."));
    }
    Ok(())
}

pub fn list_inline_policies(c: &mut Call<'_>, e: &EntityRef) -> Result<Vec<String>> {
    c.authorize(&action("List", e, "Policies"), &entity_arn(c, e))?;
    let Some((_, inline, _)) = parts(c, e) else {
        return no_entity(c, e);
    };
    Ok(inline.iter().map(|p| p.name.clone()).collect())
}

pub fn get_inline_policy(c: &mut Call<'_>, e: &EntityRef, name: &str) -> Result<InlinePolicy> {
    c.authorize(&action("Get", e, "Policy"), &entity_arn(c, e))?;
    let Some((_, inline, _)) = parts(c, e) else {
        return no_entity(c, e);
    };
    match inline.get(name) {
        Some(p) => Ok(InlinePolicy {
            name: p.name.clone(),
            document: p.document.clone(),
        }),
        None => no_inline(c, e, name),
    }
}

/// IAM limits the inline policies of one identity together (user 2,048, group 5,120, role
/// 10,240 characters, whitespace not counted).
fn inline_limit(kind: EntityKind) -> usize {
    match kind {
        EntityKind::User => limits::USER_INLINE,
        EntityKind::Group => limits::GROUP_INLINE,
        EntityKind::Role => limits::ROLE_INLINE,
    }
}

pub fn put_inline_policy(
    c: &mut Call<'_>,
    e: &EntityRef,
    name: &str,
    document: &str,
) -> Result<()> {
    check_name(c.operation, "policyName", name, 128)?;
    c.authorize(&action("Put", e, "Policy"), &entity_arn(c, e))?;
    if parts(c, e).is_none() {
        return no_entity(c, e);
    }
    let limit = inline_limit(e.kind);
    check_document(
        c,
        document,
        Options::new(PolicyType::Identity).with_limit(usize::MAX),
    )?;
    let (_, inline, _) = parts(c, e).expect("exists");
    let others: usize = inline
        .iter()
        .filter(|p| !p.name.eq_ignore_ascii_case(name))
        .map(|p| policy_size(&p.document))
        .sum();
    if others + policy_size(document) > limit {
        return c.fail(
            "LimitExceeded",
            format!(
                "Maximum policy size of {limit} bytes exceeded for {} {}",
                e.kind.as_str(),
                e.name
            ),
        );
    }
    parts(c, e).expect("exists").1.insert(InlinePolicyRecord {
        name: name.to_string(),
        document: document.to_string(),
    });
    Ok(())
}

pub fn delete_inline_policy(c: &mut Call<'_>, e: &EntityRef, name: &str) -> Result<()> {
    c.authorize(&action("Delete", e, "Policy"), &entity_arn(c, e))?;
    let Some((_, inline, _)) = parts(c, e) else {
        return no_entity(c, e);
    };
    match inline.remove(name) {
        Some(_) => Ok(()),
        None => no_inline(c, e, name),
    }
}

fn refuse_group_boundary(c: &Call<'_>, e: &EntityRef) -> Result<()> {
    if e.kind == EntityKind::Group {
        return c.fail(
            "InvalidInput",
            "Permissions boundaries can be set on users and roles only, not on groups.",
        );
    }
    Ok(())
}

pub fn put_permissions_boundary(c: &mut Call<'_>, e: &EntityRef, arn: &str) -> Result<()> {
    refuse_group_boundary(c, e)?;
    c.authorize_with(
        &action("Put", e, "PermissionsBoundary"),
        &entity_arn(c, e),
        |ctx| ctx.insert("iam:PermissionsBoundary", arn.to_string()),
    )?;
    if parts(c, e).is_none() {
        return no_entity(c, e);
    }
    check_boundary(c, Some(arn))?;
    let (.., boundary) = parts(c, e).expect("exists");
    *boundary.expect("a user or a role") = Some(arn.to_string());
    Ok(())
}

pub fn delete_permissions_boundary(c: &mut Call<'_>, e: &EntityRef) -> Result<()> {
    refuse_group_boundary(c, e)?;
    c.authorize(
        &action("Delete", e, "PermissionsBoundary"),
        &entity_arn(c, e),
    )?;
    let Some((.., Some(slot))) = parts(c, e) else {
        return no_entity(c, e);
    };
    if slot.take().is_none() {
        return c.fail(
            "NoSuchEntity",
            format!(
                "The {} with name {} has no permissions boundary.",
                e.kind.as_str(),
                e.name
            ),
        );
    }
    Ok(())
}
