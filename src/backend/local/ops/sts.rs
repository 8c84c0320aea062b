//! STS: who am I, AssumeRole (trust policy evaluated by the engine, with MFA and ExternalId),
//! GetSessionToken.

use chrono::Duration;
use secrecy::SecretString;

use crate::iam::error::Result;
use crate::iam::types::*;
use crate::policy::eval::{Outcome, PolicySet, Request, evaluate};
use crate::policy::parse_policy;
use crate::policy::validate::{Options, PolicyType, limits, policy_size};

use super::super::call::{Call, split_iam_arn};
use super::super::caller::CallerKind;
use super::super::managed;
use super::super::model::{Secret, SessionPrincipal, SessionRecord};
use super::super::names::check_tags;
use super::check_document;
use super::credentials::check_one_code;
use super::identities::request_tags;

pub fn whoami(c: &mut Call<'_>) -> Result<Identity> {
    // GetCallerIdentity needs no permission.
    Ok(c.caller.identity(c.account_id()))
}

fn denied<T>(c: &Call<'_>, resource: &str, why: &str) -> Result<T> {
    c.fail(
        "AccessDenied",
        format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {resource}{why}",
            c.caller.arn
        ),
    )
}

fn session_name_ok(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "_+=,.@-".contains(ch))
}

/// Checks MFA presented with a request: the device must be the caller's and the code current.
/// Returns when MFA was presented (now) or was already part of the caller's session.
fn mfa(c: &mut Call<'_>, serial: Option<&str>, code: Option<&str>) -> Result<Option<Timestamp>> {
    match (serial, code) {
        (None, None) => Ok(c.caller.mfa_authenticated),
        (Some(serial), Some(code)) => {
            let Some(user) = c.caller.user_name().map(str::to_string) else {
                return c.fail(
                    "AccessDenied",
                    "MultiFactorAuthentication failed: the caller has no MFA device",
                );
            };
            if check_one_code(c, &user, serial, code) {
                Ok(Some(c.now))
            } else {
                c.fail(
                    "AccessDenied",
                    "MultiFactorAuthentication failed with invalid MFA one time pass code.",
                )
            }
        }
        _ => c.fail(
            "ValidationError",
            "SerialNumber and TokenCode must be given together",
        ),
    }
}

fn mint(
    c: &mut Call<'_>,
    principal: SessionPrincipal,
    seconds: i64,
    mfa_at: Option<Timestamp>,
) -> Credentials {
    let record = SessionRecord {
        access_key_id: c.ids.access_key_id("ASIA"),
        secret_access_key: Secret(c.ids.secret_access_key()),
        session_token: Secret(c.ids.session_token()),
        issued: c.now,
        expiration: c.now + Duration::seconds(seconds),
        mfa_authenticated: mfa_at,
        principal,
    };
    let creds = Credentials {
        access_key_id: record.access_key_id.clone(),
        secret_access_key: SecretString::from(record.secret_access_key.expose().to_string()),
        session_token: Some(SecretString::from(
            record.session_token.expose().to_string(),
        )),
        expiration: Some(record.expiration),
    };
    let now = c.now;
    c.account.sessions.retain(|s| s.expiration > now);
    c.account.sessions.insert(record);
    creds
}

pub fn assume_role(c: &mut Call<'_>, req: AssumeRoleRequest) -> Result<AssumedRole> {
    if !session_name_ok(&req.session_name) {
        return c.fail(
            "ValidationError",
            format!("1 validation error detected: Value '{}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*", req.session_name),
        );
    }
    if let Some(x) = &req.external_id
        && !(2..=1224).contains(&x.len())
    {
        return c.fail(
            "ValidationError",
            "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224",
        );
    }
    check_tags(c.operation, &req.tags)?;
    if c.caller.is_root() {
        return c.fail("AccessDenied", "Roles may not be assumed by root accounts.");
    }
    let Some((_, role_name)) = split_iam_arn(&req.role_arn, c.account_id(), "role") else {
        return denied(c, &req.role_arn, " (the local account holds no such role)");
    };
    let Some(role) = c.account.roles.get(role_name).cloned() else {
        return denied(c, &req.role_arn, "");
    };
    if c.arn("role", &role.path, &role.name) != req.role_arn {
        return denied(c, &req.role_arn, "");
    }
    // Role chaining caps the session at one hour.
    let chained = matches!(c.caller.kind, CallerKind::RoleSession { .. });
    let max = if chained {
        3600
    } else {
        role.max_session_duration
    };
    let seconds = req.duration_seconds.unwrap_or(3600.min(max));
    if seconds < 900 || seconds > max {
        let msg = if chained && seconds > 3600 {
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.".to_string()
        } else {
            format!(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role ({max}), or is below 900."
            )
        };
        return c.fail("ValidationError", msg);
    }
    let mut session_size = 0;
    if let Some(p) = &req.policy {
        check_document(
            c,
            p,
            Options::new(PolicyType::Session).with_limit(usize::MAX),
        )?;
        session_size += policy_size(p);
    }
    if req.policy_arns.len() > 10 {
        return c.fail(
            "ValidationError",
            "At most 10 managed session policies may be passed.",
        );
    }
    for arn in &req.policy_arns {
        if managed::find(c.account, arn).is_none() {
            return c.fail(
                "InvalidParameterValue",
                format!("Policy {arn} does not exist or is not attachable."),
            );
        }
        session_size += arn.len();
    }
    session_size += req
        .tags
        .iter()
        .map(|t| t.key.len() + t.value.len())
        .sum::<usize>();
    let utilization = (session_size * 100 / limits::SESSION) as i32;
    if utilization > 100 {
        return c.fail(
            "PackedPolicyTooLarge",
            format!("Packed policy consumes {utilization}% of allotted space, please use smaller policy for this request."),
        );
    }
    let mfa_at = mfa(c, req.serial_number.as_deref(), req.token_code.as_deref())?;

    // The trust policy is the role's resource-based policy for sts:AssumeRole; the caller's own
    // policies must allow it too unless the trust policy names the caller directly.
    let Some(trust) = parse_policy(&role.assume_role_policy).policy else {
        return denied(
            c,
            &req.role_arn,
            " because the role's trust policy does not parse",
        );
    };
    let mut context = c.caller.context(c.account, c.now);
    context.insert("sts:RoleSessionName", req.session_name.clone());
    if let Some(x) = &req.external_id {
        context.insert("sts:ExternalId", x.clone());
    }
    if let Some(at) = mfa_at {
        context.insert("aws:MultiFactorAuthPresent", "true");
        context.insert(
            "aws:MultiFactorAuthAge",
            (c.now - at).num_seconds().max(0).to_string(),
        );
    }
    if let Some(si) = &req.source_identity {
        context.insert("sts:SourceIdentity", si.clone());
    }
    if !req.transitive_tag_keys.is_empty() {
        context.insert("sts:TransitiveTagKeys", req.transitive_tag_keys.clone());
    }
    request_tags(&mut context, &req.tags);
    let texts = c.caller.policy_texts(c.account);
    let parsed = texts.parse();
    let mut actions = vec!["sts:AssumeRole"];
    if !req.tags.is_empty() {
        actions.push("sts:TagSession");
    }
    if req.source_identity.is_some() {
        actions.push("sts:SetSourceIdentity");
    }
    for action in actions {
        let request = Request::new(c.caller.arn.clone(), action, req.role_arn.clone())
            .with_resource_account(c.account_id().to_string())
            .with_context(context.clone());
        let set = PolicySet {
            resource: Some(&trust),
            ..parsed.set()
        };
        let decision = evaluate(&set, &request);
        if decision.outcome != Outcome::Allowed {
            let why = match decision.outcome {
                Outcome::ExplicitDeny => " with an explicit deny".to_string(),
                _ => format!(" ({})", decision.reason),
            };
            return c.fail(
                "AccessDenied",
                format!(
                    "User: {} is not authorized to perform: {action} on resource: {}{why}",
                    c.caller.arn, req.role_arn
                ),
            );
        }
    }

    let now = c.now;
    if let Some(r) = c.account.roles.get_mut(&role.name) {
        r.last_used.date = Some(now);
        r.last_used.region = Some("us-east-1".into());
    }
    let principal = SessionPrincipal::Role {
        role: role.name.clone(),
        session_name: req.session_name.clone(),
        policy: req.policy.clone(),
        policy_arns: req.policy_arns.clone(),
        tags: req.tags.clone(),
        source_identity: req.source_identity.clone(),
    };
    let credentials = mint(c, principal, i64::from(seconds), mfa_at);
    Ok(AssumedRole {
        credentials,
        assumed_role_arn: format!(
            "arn:aws:sts::{}:assumed-role/{}/{}",
            c.account_id(),
            role.name,
            req.session_name
        ),
        assumed_role_id: format!("{}:{}", role.role_id, req.session_name),
        session_token_utilization: (session_size > 0).then_some(utilization),
        source_identity: req.source_identity,
    })
}

pub fn get_session_token(c: &mut Call<'_>, req: GetSessionTokenRequest) -> Result<Credentials> {
    let principal = match &c.caller.kind {
        CallerKind::Root => SessionPrincipal::Root,
        CallerKind::User { name } => SessionPrincipal::User { user: name.clone() },
        _ => {
            return c.fail(
                "AccessDenied",
                "Cannot call GetSessionToken with session credentials",
            );
        }
    };
    let (default, max) = if matches!(principal, SessionPrincipal::Root) {
        (3600, 3600)
    } else {
        (43_200, 129_600)
    };
    let seconds = req.duration_seconds.unwrap_or(default);
    super::range(c, "durationSeconds", Some(seconds), 900, max)?;
    let mfa_at = mfa(c, req.serial_number.as_deref(), req.token_code.as_deref())?;
    Ok(mint(c, principal, i64::from(seconds), mfa_at))
}
