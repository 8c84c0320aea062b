//! Attached and inline policies and permissions boundaries. IAM has a user, a group and a role
//! flavour of each call, each with its own SDK builder; [`per_entity!`] writes the three arms.

use super::*;

/// `$finish` applied to the user, group or role flavour of a call: `$req` is its builder (the
/// SDK's `$method` for the entity's kind), already carrying the entity's name, and `$op` its IAM
/// name (`$pre` `User|Group|Role` `$post`).
macro_rules! per_entity {
    ($b:expr, $entity:expr, $pre:literal $post:literal, [$($method:ident),+],
     |$op:ident, $req:ident| $finish:expr) => {
        per_entity!(@arms $b, $entity, $pre $post, [$($method),+], |$op, $req| $finish,
            [User "User" user_name, Group "Group" group_name, Role "Role" role_name])
    };
    (@arms $b:expr, $entity:expr, $pre:literal $post:literal, [$($method:ident),+],
     |$op:ident, $req:ident| $finish:expr, [$($kind:ident $name:literal $by:ident),+]) => {{
        let name = $entity.name.as_str();
        match $entity.kind {
            $(EntityKind::$kind => {
                let ($op, $req) = (concat!($pre, $name, $post), $b.iam.$method().$by(name));
                $finish
            })+
        }
    }};
}

pub(super) async fn list_attached_policies(
    b: &AwsBackend,
    entity: &EntityRef,
) -> Result<Vec<AttachedPolicy>> {
    per_entity!(
        b,
        entity,
        "ListAttached" "Policies",
        [
            list_attached_user_policies,
            list_attached_group_policies,
            list_attached_role_policies
        ],
        |op, req| all_pages!(op, req.clone(), |out| out
            .attached_policies()
            .iter()
            .map(|p| AttachedPolicy {
                name: p.policy_name().unwrap_or_default().to_string(),
                arn: p.policy_arn().unwrap_or_default().to_string(),
            })
            .collect::<Vec<_>>())
    )
}

pub(super) async fn attach_policy(b: &AwsBackend, entity: &EntityRef, arn: &str) -> Result<()> {
    per_entity!(
        b,
        entity,
        "Attach" "Policy",
        [attach_user_policy, attach_group_policy, attach_role_policy],
        |op, req| send_unit!(op, req.policy_arn(arn))
    )
}

pub(super) async fn detach_policy(b: &AwsBackend, entity: &EntityRef, arn: &str) -> Result<()> {
    per_entity!(
        b,
        entity,
        "Detach" "Policy",
        [detach_user_policy, detach_group_policy, detach_role_policy],
        |op, req| send_unit!(op, req.policy_arn(arn))
    )
}

pub(super) async fn list_inline_policies(
    b: &AwsBackend,
    entity: &EntityRef,
) -> Result<Vec<String>> {
    per_entity!(
        b,
        entity,
        "List" "Policies",
        [list_user_policies, list_group_policies, list_role_policies],
        |op, req| all_pages!(op, req.clone(), |out| out.policy_names().to_vec())
    )
}

pub(super) async fn get_inline_policy(
    b: &AwsBackend,
    entity: &EntityRef,
    policy: &str,
) -> Result<InlinePolicy> {
    let document = per_entity!(
        b,
        entity,
        "Get" "Policy",
        [get_user_policy, get_group_policy, get_role_policy],
        |op, req| send!(op, req.policy_name(policy))?
            .policy_document()
            .to_string()
    );
    Ok(InlinePolicy {
        name: policy.to_string(),
        document: decode_policy_document(&document).into_owned(),
    })
}

pub(super) async fn put_inline_policy(
    b: &AwsBackend,
    entity: &EntityRef,
    policy: &str,
    doc: &str,
) -> Result<()> {
    per_entity!(
        b,
        entity,
        "Put" "Policy",
        [put_user_policy, put_group_policy, put_role_policy],
        |op, req| send_unit!(op, req.policy_name(policy).policy_document(doc))
    )
}

pub(super) async fn delete_inline_policy(
    b: &AwsBackend,
    entity: &EntityRef,
    policy: &str,
) -> Result<()> {
    per_entity!(
        b,
        entity,
        "Delete" "Policy",
        [delete_user_policy, delete_group_policy, delete_role_policy],
        |op, req| send_unit!(op, req.policy_name(policy))
    )
}

// Boundaries exist for users and roles only: two arms, written out.

pub(super) async fn put_permissions_boundary(
    b: &AwsBackend,
    entity: &EntityRef,
    arn: &str,
) -> Result<()> {
    let name = entity.name.as_str();
    match entity.kind {
        EntityKind::User => send_unit!(
            "PutUserPermissionsBoundary",
            b.iam
                .put_user_permissions_boundary()
                .user_name(name)
                .permissions_boundary(arn)
        ),
        EntityKind::Role => send_unit!(
            "PutRolePermissionsBoundary",
            b.iam
                .put_role_permissions_boundary()
                .role_name(name)
                .permissions_boundary(arn)
        ),
        EntityKind::Group => Err(group_boundary("PutUserPermissionsBoundary")),
    }
}

pub(super) async fn delete_permissions_boundary(b: &AwsBackend, entity: &EntityRef) -> Result<()> {
    let name = entity.name.as_str();
    match entity.kind {
        EntityKind::User => send_unit!(
            "DeleteUserPermissionsBoundary",
            b.iam.delete_user_permissions_boundary().user_name(name)
        ),
        EntityKind::Role => send_unit!(
            "DeleteRolePermissionsBoundary",
            b.iam.delete_role_permissions_boundary().role_name(name)
        ),
        EntityKind::Group => Err(group_boundary("DeleteUserPermissionsBoundary")),
    }
}

fn group_boundary(operation: &'static str) -> BackendError {
    BackendError::new(
        operation,
        ErrorKind::Validation("groups cannot have a permissions boundary".into()),
    )
}
