//! The planner: a loaded detail to the ordered calls that delete the resource the way the AWS
//! console does: everything IAM refuses the delete for is removed first, in the order IAM's
//! documentation gives ("Deleting an IAM user (AWS CLI)", DeleteGroup, DeleteRole, DeletePolicy),
//! then the resource itself. Pure: no I/O, no app state.

use crate::app::model::detail::{Detail, Part};
use crate::app::model::table::Target;
use crate::app::shell::calls::Call;
use crate::commands::palette::ViewKind;
use crate::iam::*;

/// One call of a cascade, with the line the confirmation shows for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub call: Call,
    /// `DeleteAccessKey AKIA… (alice)`: IAM's operation, then what it acts on.
    pub label: String,
}

fn step(call: Call, label: String) -> Step {
    Step { call, label }
}

/// Why a cascade cannot be planned: a part it needs did not load (or is still loading).
fn need<'a, T>(d: &Detail, value: &'a Option<T>, part: Part, what: &str) -> Result<&'a T, String> {
    value.as_ref().ok_or_else(|| {
        let why = d
            .unavailable(&part)
            .map_or("not loaded", |u| u.word())
            .to_string();
        format!("cannot tell the {what} ({why}); not deleting")
    })
}

/// The calls that delete `target` with everything in its way, in order; or why the console
/// will not (a part did not load, a service-linked role, an AWS managed policy).
pub fn plan(d: &Detail, target: &Target) -> Result<Vec<Step>, String> {
    if let Some(name) = target.is(ViewKind::Users) {
        return user(d, name);
    }
    if let Some(name) = target.is(ViewKind::Groups) {
        return group(d, name);
    }
    if let Some(name) = target.is(ViewKind::Roles) {
        return role(d, name);
    }
    if let Some(arn) = target.is(ViewKind::Policies) {
        return policy(d, arn);
    }
    if let Some(name) = target.is(ViewKind::InstanceProfiles) {
        return instance_profile(d, name);
    }
    // Nothing stands in the way of the other kinds: their own delete call is the plan.
    let call = (target.kind.delete)(&target.id)?;
    // IAM's names, where they differ from the call's.
    let op = match &call {
        Call::DeleteSamlProvider { .. } => "DeleteSAMLProvider",
        Call::DeleteOidcProvider { .. } => "DeleteOpenIDConnectProvider",
        call => call.label(),
    };
    let label = format!("{op} {}", (target.kind.name)(&target.id));
    Ok(vec![step(call, label)])
}

/// RemoveRoleFromInstanceProfile for the role it holds (the role stays), then
/// DeleteInstanceProfile.
fn instance_profile(d: &Detail, name: &str) -> Result<Vec<Step>, String> {
    let p = d.main::<InstanceProfile>().ok_or(
        "cannot tell what the instance profile holds (GetInstanceProfile did not answer); not \
         deleting",
    )?;
    let mut out: Vec<Step> = p
        .roles
        .iter()
        .map(|role| {
            step(
                Call::RemoveRoleFromInstanceProfile {
                    profile: name.to_string(),
                    role: role.clone(),
                },
                format!("RemoveRoleFromInstanceProfile {name} ({role})"),
            )
        })
        .collect();
    out.push(step(
        Call::DeleteInstanceProfile { name: name.into() },
        format!("DeleteInstanceProfile {name}"),
    ));
    Ok(out)
}

/// DeleteUserPolicy/DeleteGroupPolicy/DeleteRolePolicy for each inline policy, then the
/// matching Detach call for each attached managed policy.
fn policies(d: &Detail, entity: &EntityRef, out: &mut Vec<Step>) -> Result<(), String> {
    let inline = need(d, &d.inline, Part::InlineNames, "inline policies")?;
    let attached = need(d, &d.attached, Part::Attached, "attached policies")?;
    let [del, detach] = match entity.kind {
        EntityKind::User => ["DeleteUserPolicy", "DetachUserPolicy"],
        EntityKind::Group => ["DeleteGroupPolicy", "DetachGroupPolicy"],
        EntityKind::Role => ["DeleteRolePolicy", "DetachRolePolicy"],
    };
    for name in inline {
        out.push(step(
            Call::DeleteInline {
                entity: entity.clone(),
                name: name.clone(),
            },
            format!("{del} {name} ({})", entity.name),
        ));
    }
    for a in attached {
        out.push(step(
            Call::Detach {
                entity: entity.clone(),
                arn: a.arn.clone(),
            },
            format!("{detach} {} ({})", a.name, entity.name),
        ));
    }
    Ok(())
}

fn user(d: &Detail, name: &str) -> Result<Vec<Step>, String> {
    let login = need(d, &d.login, Part::Login, "console password")?;
    let keys = need(d, &d.keys, Part::Keys, "access keys")?;
    let certs = need(
        d,
        &d.signing_certs,
        Part::SigningCerts,
        "signing certificates",
    )?;
    let ssh = need(d, &d.ssh_keys, Part::SshKeys, "SSH public keys")?;
    let mfa = need(d, &d.mfa, Part::Mfa, "MFA devices")?;
    let groups = need(d, &d.groups, Part::UserGroups, "groups")?;
    let user = name.to_string();
    let mut out = Vec::new();
    if login.is_some() {
        out.push(step(
            Call::DeleteLoginProfile { user: user.clone() },
            format!("DeleteLoginProfile ({name})"),
        ));
    }
    for k in keys {
        out.push(step(
            Call::DeleteAccessKey {
                user: user.clone(),
                key_id: k.access_key_id.clone(),
            },
            format!("DeleteAccessKey {} ({name})", k.access_key_id),
        ));
    }
    for c in certs {
        out.push(step(
            Call::DeleteSigningCert {
                user: user.clone(),
                cert_id: c.certificate_id.clone(),
            },
            format!("DeleteSigningCertificate {} ({name})", c.certificate_id),
        ));
    }
    for k in ssh {
        out.push(step(
            Call::DeleteSshKey {
                user: user.clone(),
                key_id: k.ssh_public_key_id.clone(),
            },
            format!("DeleteSSHPublicKey {} ({name})", k.ssh_public_key_id),
        ));
    }
    for m in mfa {
        out.push(step(
            Call::DeactivateMfa {
                user: user.clone(),
                serial: m.serial_number.clone(),
            },
            format!("DeactivateMFADevice {} ({name})", m.serial_number),
        ));
        if m.kind == MfaKind::Virtual {
            out.push(step(
                Call::DeleteVirtualMfa {
                    serial: m.serial_number.clone(),
                },
                format!("DeleteVirtualMFADevice {}", m.serial_number),
            ));
        }
    }
    policies(d, &EntityRef::user(user.clone()), &mut out)?;
    for g in groups {
        out.push(step(
            Call::RemoveMember {
                group: g.name.clone(),
                user: user.clone(),
            },
            format!("RemoveUserFromGroup {} ({name})", g.name),
        ));
    }
    out.push(step(
        Call::DeleteUser { name: user },
        format!("DeleteUser {name}"),
    ));
    Ok(out)
}

fn group(d: &Detail, name: &str) -> Result<Vec<Step>, String> {
    let g = d
        .main::<GroupDetail>()
        .ok_or("cannot tell the members (GetGroup did not answer); not deleting")?;
    let mut out = Vec::new();
    for u in &g.members {
        out.push(step(
            Call::RemoveMember {
                group: name.to_string(),
                user: u.name.clone(),
            },
            format!("RemoveUserFromGroup {} ({name})", u.name),
        ));
    }
    policies(d, &EntityRef::group(name.to_string()), &mut out)?;
    out.push(step(
        Call::DeleteGroup { name: name.into() },
        format!("DeleteGroup {name}"),
    ));
    Ok(out)
}

fn role(d: &Detail, name: &str) -> Result<Vec<Step>, String> {
    let r = d
        .main::<Role>()
        .ok_or("cannot tell what the role is (GetRole did not answer); not deleting")?;
    if r.path.starts_with("/aws-service-role/") {
        // Its service's call: IAM deletes it once nothing of the service uses it (the status
        // of that check is asked for until it ends).
        return Ok(vec![step(
            Call::DeleteServiceLinkedRole { name: name.into() },
            format!("DeleteServiceLinkedRole {name} (its service checks nothing uses it)"),
        )]);
    }
    let profiles = need(d, &d.profiles, Part::Profiles, "instance profiles")?;
    let mut out = Vec::new();
    for p in profiles {
        out.push(step(
            Call::RemoveRoleFromInstanceProfile {
                profile: p.name.clone(),
                role: name.to_string(),
            },
            format!("RemoveRoleFromInstanceProfile {} ({name})", p.name),
        ));
    }
    policies(d, &EntityRef::role(name.to_string()), &mut out)?;
    out.push(step(
        Call::DeleteRole { name: name.into() },
        format!("DeleteRole {name}"),
    ));
    Ok(out)
}

fn policy(d: &Detail, arn: &str) -> Result<Vec<Step>, String> {
    if is_aws_managed_arn(arn) {
        return Err("AWS managed policies cannot be deleted".into());
    }
    let entities = need(d, &d.entities, Part::Entities, "attachments")?;
    let boundary_of = need(d, &d.boundary_of, Part::BoundaryOf, "boundary uses")?;
    let versions = need(d, &d.versions, Part::Versions, "versions")?;
    let name = arn.rsplit('/').next().unwrap_or(arn);
    let mut out = Vec::new();
    let attached = [
        (EntityKind::User, &entities.users, "DetachUserPolicy"),
        (EntityKind::Group, &entities.groups, "DetachGroupPolicy"),
        (EntityKind::Role, &entities.roles, "DetachRolePolicy"),
    ];
    for (kind, names, op) in attached {
        for n in names {
            out.push(step(
                Call::Detach {
                    entity: EntityRef {
                        kind,
                        name: n.clone(),
                    },
                    arn: arn.to_string(),
                },
                format!("{op} {name} ({n})"),
            ));
        }
    }
    // A boundary is not an attachment, but the policy cannot go while it is one (the local
    // account refuses DeletePolicy then, as the console's delete did): taking the boundary
    // off first may widen what those principals can do, which the confirmation says.
    let bounded = [
        (
            EntityKind::User,
            &boundary_of.users,
            "DeleteUserPermissionsBoundary",
        ),
        (
            EntityKind::Role,
            &boundary_of.roles,
            "DeleteRolePermissionsBoundary",
        ),
    ];
    for (kind, names, op) in bounded {
        for n in names {
            out.push(step(
                Call::DeleteBoundary {
                    entity: EntityRef {
                        kind,
                        name: n.clone(),
                    },
                },
                format!("{op} ({n})"),
            ));
        }
    }
    for v in versions.iter().filter(|v| !v.is_default) {
        out.push(step(
            Call::DeletePolicyVersion {
                arn: arn.to_string(),
                version_id: v.version_id.clone(),
            },
            format!("DeletePolicyVersion {name} {}", v.version_id),
        ));
    }
    out.push(step(
        Call::DeletePolicy { arn: arn.into() },
        format!("DeletePolicy {name}"),
    ));
    Ok(out)
}
