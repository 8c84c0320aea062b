//! Resources as IAM's API shapes them (GetUser, ListAccessKeys, ...): the field names of the
//! JSON a detail and `y` show, whatever names the account file uses.

use chrono::SecondsFormat;
use serde_json::{Map, Value, json};

use crate::iam::*;

pub fn time(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| {
        Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true))
    })
}

/// A policy document as a JSON object; kept as text when it does not parse.
pub fn document(text: Option<&str>) -> Value {
    text.map_or(Value::Null, |t| {
        serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string()))
    })
}

pub fn tags(tags: &[Tag]) -> Value {
    if tags.is_empty() {
        return Value::Null;
    }
    tags.iter()
        .map(|t| json!({"Key": t.key, "Value": t.value}))
        .collect()
}

fn boundary(arn: &Option<String>) -> Value {
    arn.as_ref().map_or(
        Value::Null,
        |a| json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": a}),
    )
}

pub fn user(u: &User) -> Value {
    object(vec![
        ("Path", json!(u.path)),
        ("UserName", json!(u.name)),
        ("UserId", json!(u.user_id)),
        ("Arn", json!(u.arn)),
        ("CreateDate", time(Some(u.create_date))),
        ("PasswordLastUsed", time(u.password_last_used)),
        ("PermissionsBoundary", boundary(&u.permissions_boundary)),
        ("Tags", tags(&u.tags)),
    ])
}

pub fn group(g: &Group) -> Value {
    object(vec![
        ("Path", json!(g.path)),
        ("GroupName", json!(g.name)),
        ("GroupId", json!(g.group_id)),
        ("Arn", json!(g.arn)),
        ("CreateDate", time(Some(g.create_date))),
    ])
}

pub fn role(r: &Role) -> Value {
    object(vec![
        ("Path", json!(r.path)),
        ("RoleName", json!(r.name)),
        ("RoleId", json!(r.role_id)),
        ("Arn", json!(r.arn)),
        ("CreateDate", time(Some(r.create_date))),
        (
            "AssumeRolePolicyDocument",
            document(r.assume_role_policy.as_deref()),
        ),
        ("Description", json!(r.description)),
        ("MaxSessionDuration", json!(r.max_session_duration)),
        ("PermissionsBoundary", boundary(&r.permissions_boundary)),
        ("Tags", tags(&r.tags)),
        (
            "RoleLastUsed",
            r.last_used.as_ref().map_or(Value::Null, |l| {
                object(vec![
                    ("LastUsedDate", time(l.date)),
                    ("Region", json!(l.region)),
                ])
            }),
        ),
    ])
}

pub fn policy(p: &ManagedPolicy) -> Value {
    object(vec![
        ("PolicyName", json!(p.name)),
        ("PolicyId", json!(p.policy_id)),
        ("Arn", json!(p.arn)),
        ("Path", json!(p.path)),
        ("DefaultVersionId", json!(p.default_version_id)),
        ("AttachmentCount", json!(p.attachment_count)),
        (
            "PermissionsBoundaryUsageCount",
            json!(p.permissions_boundary_usage_count),
        ),
        ("IsAttachable", json!(p.is_attachable)),
        ("Description", json!(p.description)),
        ("CreateDate", time(Some(p.create_date))),
        ("UpdateDate", time(Some(p.update_date))),
        ("Tags", tags(&p.tags)),
    ])
}

pub fn version(v: &PolicyVersion) -> Value {
    object(vec![
        ("Document", document(v.document.as_deref())),
        ("VersionId", json!(v.version_id)),
        ("IsDefaultVersion", json!(v.is_default)),
        ("CreateDate", time(Some(v.create_date))),
    ])
}

pub fn access_key(k: &AccessKey) -> Value {
    object(vec![
        ("UserName", json!(k.user_name)),
        ("AccessKeyId", json!(k.access_key_id)),
        ("Status", json!(k.status.as_str())),
        ("CreateDate", time(Some(k.create_date))),
    ])
}

pub fn key_last_used(l: &AccessKeyLastUsed) -> Value {
    object(vec![
        ("LastUsedDate", time(l.date)),
        ("ServiceName", json!(l.service.as_deref().unwrap_or("N/A"))),
        ("Region", json!(l.region.as_deref().unwrap_or("N/A"))),
    ])
}

pub fn mfa(m: &MfaDevice) -> Value {
    object(vec![
        ("UserName", json!(m.user_name)),
        ("SerialNumber", json!(m.serial_number)),
        ("EnableDate", time(m.enable_date)),
    ])
}

pub fn login(l: &LoginProfile) -> Value {
    object(vec![
        ("UserName", json!(l.user_name)),
        ("CreateDate", time(Some(l.create_date))),
        ("PasswordResetRequired", json!(l.password_reset_required)),
    ])
}

pub fn instance_profile(p: &InstanceProfile) -> Value {
    object(vec![
        ("Path", json!(p.path)),
        ("InstanceProfileName", json!(p.name)),
        ("InstanceProfileId", json!(p.instance_profile_id)),
        ("Arn", json!(p.arn)),
        ("CreateDate", time(Some(p.create_date))),
        (
            "Roles",
            p.roles.iter().map(|r| json!({"RoleName": r})).collect(),
        ),
        ("Tags", tags(&p.tags)),
    ])
}

pub fn attached(a: &[AttachedPolicy]) -> Value {
    a.iter()
        .map(|a| json!({"PolicyName": a.name, "PolicyArn": a.arn}))
        .collect()
}

pub fn saml(p: &SamlProvider) -> Value {
    object(vec![
        ("Arn", json!(p.arn)),
        ("SAMLMetadataDocument", json!(p.metadata_document)),
        ("CreateDate", time(p.create_date)),
        ("ValidUntil", time(p.valid_until)),
        ("Tags", tags(&p.tags)),
    ])
}

pub fn oidc(p: &OidcProvider) -> Value {
    object(vec![
        ("Arn", json!(p.arn)),
        ("Url", json!(p.url)),
        ("ClientIDList", json!(p.client_ids)),
        ("ThumbprintList", json!(p.thumbprints)),
        ("CreateDate", time(p.create_date)),
        ("Tags", tags(&p.tags)),
    ])
}

/// An optional list: absent while not loaded.
pub fn list<T>(items: &Option<Vec<T>>, f: impl Fn(&T) -> Value) -> Value {
    items
        .as_ref()
        .map_or(Value::Null, |v| v.iter().map(f).collect())
}

/// Adds the fields that have a value to a JSON object.
pub fn with(mut base: Value, fields: Vec<(&str, Value)>) -> Value {
    if let Value::Object(m) = &mut base {
        for (k, v) in fields {
            if !v.is_null() {
                m.insert(k.to_string(), v);
            }
        }
    }
    base
}

/// The compact text a row's `y` copies.
pub fn text(v: Value) -> Option<String> {
    serde_json::to_string(&v).ok()
}

/// An object without the fields that have no value (IAM leaves them out).
fn object(fields: Vec<(&str, Value)>) -> Value {
    with(Value::Object(Map::new()), fields)
}
