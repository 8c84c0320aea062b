//! Who is calling the local account, and whether their policies allow the call.
//!
//! The account's administrator identity (its root) may do anything. Every other caller — an IAM
//! user signing with an access key (or named with `--as`), a role session, a user's
//! GetSessionToken session — is authorised by the policy engine against its own policies, as
//! IAM does: explicit deny, identity-based allow, permissions boundary, session policy.

use crate::iam::error::{BackendError, Result};
use crate::iam::types::{Credentials, Identity, KeyStatus, Tag, Timestamp};
use crate::policy::eval::{Context, PolicySet, Request, evaluate, policy_decision};
use crate::policy::eval::{Outcome, PolicyOutcome, PolicySource};
use crate::policy::{Policy, parse_policy};
use secrecy::ExposeSecret;

use super::call::iam_arn;
use super::managed;
use super::model::{
    Account, InlinePolicyRecord, SessionPrincipal, SessionRecord, Table, UserRecord,
};

/// How a backend handle authenticates, before it is checked against the account.
#[derive(Debug, Clone)]
pub enum Credential {
    /// The account's administrator identity (its root).
    Administrator,
    /// An IAM user of the account, named on the command line (`--as`), without a key.
    User(String),
    /// Access keys: a user's long-term key or temporary credentials from the local STS.
    Keys(Credentials),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerKind {
    Root,
    User {
        name: String,
    },
    /// GetSessionToken credentials of an IAM user (`user`) or of the root (`None`).
    UserSession {
        user: Option<String>,
    },
    RoleSession {
        role: String,
        session_name: String,
    },
}

/// A caller checked against the account.
#[derive(Debug, Clone)]
pub struct Caller {
    pub kind: CallerKind,
    /// The ARN IAM reports for the caller (an assumed-role ARN for role sessions).
    pub arn: String,
    pub user_id: String,
    pub access_key_id: Option<String>,
    /// When MFA was presented for the credentials in use.
    pub mfa_authenticated: Option<Timestamp>,
    /// Temporary credentials: when they were issued.
    pub issued: Option<Timestamp>,
    pub session_tags: Vec<Tag>,
    pub source_identity: Option<String>,
}

fn credentials_error(operation: &'static str, code: &str, message: &str) -> BackendError {
    BackendError::from_code(operation, Some(code), message, Some(403))
}

impl Caller {
    /// Resolves a credential against the account (keys must exist, match and be active;
    /// sessions must not have expired).
    pub fn resolve(
        account: &Account,
        credential: &Credential,
        now: Timestamp,
        operation: &'static str,
    ) -> Result<Caller> {
        let acct = &account.account_id;
        match credential {
            Credential::Administrator => Ok(Caller::root(acct)),
            Credential::User(name) => {
                let u = account.users.get(name).ok_or_else(|| {
                    credentials_error(
                        operation,
                        "InvalidClientTokenId",
                        &format!("the local account has no user `{name}` to act as"),
                    )
                })?;
                Ok(Caller::user(acct, u, None))
            }
            Credential::Keys(c) => {
                let invalid = || {
                    credentials_error(
                        operation,
                        "InvalidClientTokenId",
                        "The security token included in the request is invalid.",
                    )
                };
                let mismatch = || {
                    credentials_error(
                        operation,
                        "SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
                    )
                };
                if let Some(s) = account.sessions.get(&c.access_key_id) {
                    if s.secret_access_key.expose() != c.secret_access_key.expose_secret() {
                        return Err(mismatch());
                    }
                    if c.session_token.as_ref().map(|t| t.expose_secret())
                        != Some(s.session_token.expose())
                    {
                        return Err(invalid());
                    }
                    if s.expiration <= now {
                        return Err(credentials_error(
                            operation,
                            "ExpiredToken",
                            "The security token included in the request is expired",
                        ));
                    }
                    return Caller::session(account, s).ok_or_else(invalid);
                }
                for u in account.users.iter() {
                    if let Some(k) = u
                        .access_keys
                        .iter()
                        .find(|k| k.access_key_id == c.access_key_id)
                    {
                        if k.secret_access_key.expose() != c.secret_access_key.expose_secret() {
                            return Err(mismatch());
                        }
                        if k.status != KeyStatus::Active {
                            return Err(invalid());
                        }
                        return Ok(Caller::user(acct, u, Some(k.access_key_id.clone())));
                    }
                }
                Err(invalid())
            }
        }
    }

    fn root(account: &str) -> Caller {
        Caller {
            kind: CallerKind::Root,
            arn: format!("arn:aws:iam::{account}:root"),
            user_id: account.to_string(),
            access_key_id: None,
            mfa_authenticated: None,
            issued: None,
            session_tags: Vec::new(),
            source_identity: None,
        }
    }

    fn user(account: &str, u: &UserRecord, key: Option<String>) -> Caller {
        Caller {
            kind: CallerKind::User {
                name: u.name.clone(),
            },
            arn: iam_arn(account, "user", &u.path, &u.name),
            user_id: u.user_id.clone(),
            access_key_id: key,
            ..Caller::root(account)
        }
    }

    fn session(account: &Account, s: &SessionRecord) -> Option<Caller> {
        let acct = &account.account_id;
        let mut c = match &s.principal {
            SessionPrincipal::Root => Caller {
                kind: CallerKind::UserSession { user: None },
                ..Caller::root(acct)
            },
            SessionPrincipal::User { user } => {
                let u = account.users.get(user)?;
                Caller {
                    kind: CallerKind::UserSession {
                        user: Some(u.name.clone()),
                    },
                    ..Caller::user(acct, u, None)
                }
            }
            SessionPrincipal::Role {
                role,
                session_name,
                tags,
                source_identity,
                ..
            } => {
                let r = account.roles.get(role)?;
                Caller {
                    kind: CallerKind::RoleSession {
                        role: r.name.clone(),
                        session_name: session_name.clone(),
                    },
                    arn: format!("arn:aws:sts::{acct}:assumed-role/{}/{session_name}", r.name),
                    user_id: format!("{}:{session_name}", r.role_id),
                    session_tags: tags.clone(),
                    source_identity: source_identity.clone(),
                    ..Caller::root(acct)
                }
            }
        };
        c.access_key_id = Some(s.access_key_id.clone());
        c.mfa_authenticated = s.mfa_authenticated;
        c.issued = Some(s.issued);
        Some(c)
    }

    pub fn identity(&self, account: &str) -> Identity {
        Identity {
            account: account.to_string(),
            arn: self.arn.clone(),
            user_id: self.user_id.clone(),
        }
    }

    /// The IAM user behind the caller, for calls that default to "my own user".
    pub fn user_name(&self) -> Option<&str> {
        match &self.kind {
            CallerKind::User { name } => Some(name),
            CallerKind::UserSession { user } => user.as_deref(),
            _ => None,
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(
            self.kind,
            CallerKind::Root | CallerKind::UserSession { user: None }
        )
    }

    /// The ARN that `aws:PrincipalArn` holds: the role's ARN (with its path) for a role session.
    pub fn principal_arn(&self, account: &Account) -> String {
        match &self.kind {
            CallerKind::RoleSession { role, .. } => account
                .roles
                .get(role)
                .map(|r| iam_arn(&account.account_id, "role", &r.path, &r.name))
                .unwrap_or_else(|| self.arn.clone()),
            _ => self.arn.clone(),
        }
    }

    /// The request context IAM builds for this caller: principal keys, tags, MFA and time.
    pub fn context(&self, account: &Account, now: Timestamp) -> Context {
        let mut ctx = Context::new()
            .with("aws:PrincipalArn", self.principal_arn(account))
            .with("aws:PrincipalAccount", account.account_id.clone())
            .with("aws:userid", self.user_id.clone())
            .with(
                "aws:CurrentTime",
                now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            )
            .with("aws:EpochTime", now.timestamp().to_string())
            .with("aws:SecureTransport", "true")
            .with("aws:RequestedRegion", "us-east-1")
            .with("aws:ViaAWSService", "false");
        let principal_tags: Vec<Tag> = match &self.kind {
            CallerKind::Root | CallerKind::UserSession { user: None } => {
                ctx.insert("aws:PrincipalType", "Account");
                Vec::new()
            }
            CallerKind::User { name } | CallerKind::UserSession { user: Some(name) } => {
                ctx.insert("aws:PrincipalType", "User");
                ctx.insert("aws:username", name.clone());
                account
                    .users
                    .get(name)
                    .map(|u| u.tags.clone())
                    .unwrap_or_default()
            }
            CallerKind::RoleSession { role, .. } => {
                ctx.insert("aws:PrincipalType", "AssumedRole");
                let mut tags = account
                    .roles
                    .get(role)
                    .map(|r| r.tags.clone())
                    .unwrap_or_default();
                // Session tags override the role's tags with the same key.
                for t in &self.session_tags {
                    tags.retain(|x| !x.key.eq_ignore_ascii_case(&t.key));
                    tags.push(t.clone());
                }
                tags
            }
        };
        for t in principal_tags {
            ctx.insert(format!("aws:PrincipalTag/{}", t.key), t.value);
        }
        if let Some(issued) = self.issued {
            ctx.insert(
                "aws:TokenIssueTime",
                issued.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            );
            // Temporary credentials always carry the MFA key; long-term keys never do.
            let mfa = self.mfa_authenticated.is_some();
            ctx.insert("aws:MultiFactorAuthPresent", mfa.to_string());
        }
        if let Some(at) = self.mfa_authenticated {
            ctx.insert(
                "aws:MultiFactorAuthAge",
                (now - at).num_seconds().max(0).to_string(),
            );
        }
        if let Some(si) = &self.source_identity {
            ctx.insert("aws:SourceIdentity", si.clone());
        }
        ctx
    }

    /// The policy documents that apply to this caller: identity-based, boundary, session.
    pub fn policy_texts(&self, account: &Account) -> CallerPolicies {
        let mut out = CallerPolicies::default();
        let managed = |arns: &[String], out: &mut Vec<String>| {
            for arn in arns {
                if let Some(doc) = managed::default_document(account, arn) {
                    out.push(doc.to_string());
                }
            }
        };
        // An entity's inline and attached policies, and its boundary's document.
        let policies =
            |inline: &Table<InlinePolicyRecord>, attached: &[String], out: &mut Vec<String>| {
                out.extend(inline.iter().map(|p| p.document.clone()));
                managed(attached, out);
            };
        let boundary = |arn: &Option<String>| {
            arn.as_deref()
                .and_then(|b| managed::default_document(account, b))
                .map(str::to_string)
        };
        match &self.kind {
            CallerKind::Root | CallerKind::UserSession { user: None } => {}
            CallerKind::User { name } | CallerKind::UserSession { user: Some(name) } => {
                let Some(u) = account.users.get(name) else {
                    return out;
                };
                policies(&u.inline_policies, &u.attached_policies, &mut out.identity);
                for g in u.groups.iter().filter_map(|g| account.groups.get(g)) {
                    policies(&g.inline_policies, &g.attached_policies, &mut out.identity);
                }
                out.boundary = boundary(&u.permissions_boundary);
            }
            CallerKind::RoleSession { role, .. } => {
                let Some(r) = account.roles.get(role) else {
                    return out;
                };
                policies(&r.inline_policies, &r.attached_policies, &mut out.identity);
                out.boundary = boundary(&r.permissions_boundary);
                if let Some(s) = self
                    .access_key_id
                    .as_deref()
                    .and_then(|k| account.sessions.get(k))
                    && let SessionPrincipal::Role {
                        policy,
                        policy_arns,
                        ..
                    } = &s.principal
                {
                    let mut session = Vec::new();
                    session.extend(policy.iter().cloned());
                    managed(policy_arns, &mut session);
                    if !session.is_empty() || policy.is_some() || !policy_arns.is_empty() {
                        out.session = Some(session);
                    }
                }
            }
        }
        out
    }

    /// Whether the caller's policies allow `action` on `resource`; AccessDenied in IAM's words
    /// otherwise.
    pub fn authorize(
        &self,
        account: &Account,
        operation: &'static str,
        action: &str,
        resource: &str,
        now: Timestamp,
        extra: impl FnOnce(&mut Context),
    ) -> Result<()> {
        if self.is_root() {
            return Ok(());
        }
        if let CallerKind::UserSession { .. } = self.kind
            && self.mfa_authenticated.is_none()
            && action.starts_with("iam:")
        {
            // Documented for GetSessionToken: IAM API calls need MFA with these credentials.
            return Err(BackendError::from_code(
                operation,
                Some("AccessDenied"),
                &format!(
                    "User: {} is not authorized to perform: {action} on resource: {resource} because IAM API calls made with GetSessionToken credentials require MFA authentication",
                    self.arn
                ),
                Some(403),
            ));
        }
        let mut context = self.context(account, now);
        extra(&mut context);
        let request = Request::new(self.arn.clone(), action, resource)
            .with_resource_account(account.account_id.clone())
            .with_context(context);
        let texts = self.policy_texts(account);
        let parsed = texts.parse();
        let set = parsed.set();
        let decision = evaluate(&set, &request);
        if decision.outcome == Outcome::Allowed {
            return Ok(());
        }
        let because = match decision.outcome {
            Outcome::ExplicitDeny => {
                let place = match decision.deciding.first().map(|s| s.source) {
                    Some(PolicySource::Boundary) => "a permissions boundary",
                    Some(PolicySource::Session) => "a session policy",
                    Some(PolicySource::Resource) => "a resource-based policy",
                    Some(PolicySource::Scp(_)) => "a service control policy",
                    _ => "an identity-based policy",
                };
                format!("with an explicit deny in {place}")
            }
            _ => {
                let allows = |p: &Policy, source| {
                    policy_decision(p, &request, source).outcome == PolicyOutcome::Allow
                };
                let identity = parsed
                    .identity
                    .iter()
                    .any(|p| allows(p, PolicySource::Identity(0)));
                if !identity {
                    format!("because no identity-based policy allows the {action} action")
                } else if parsed
                    .boundary
                    .as_ref()
                    .is_some_and(|b| !allows(b, PolicySource::Boundary))
                {
                    format!("because no permissions boundary allows the {action} action")
                } else {
                    format!("because no session policy allows the {action} action")
                }
            }
        };
        let who = match self.kind {
            CallerKind::RoleSession { .. } => "",
            _ => "User: ",
        };
        Err(BackendError::from_code(
            operation,
            Some("AccessDenied"),
            &format!(
                "{who}{} is not authorized to perform: {action} on resource: {resource} {because}",
                self.arn
            ),
            Some(403),
        ))
    }
}

/// Policy texts that apply to a caller, before parsing.
#[derive(Debug, Default)]
pub struct CallerPolicies {
    pub identity: Vec<String>,
    pub boundary: Option<String>,
    /// `Some` for a role session created with session policies (their union).
    pub session: Option<Vec<String>>,
}

/// The same, parsed. Documents that do not parse are skipped (the local account refuses them
/// on write; an imported snapshot might still hold one).
pub struct ParsedPolicies {
    pub identity: Vec<Policy>,
    pub boundary: Option<Policy>,
    pub session: Option<Policy>,
}

impl CallerPolicies {
    pub fn parse(&self) -> ParsedPolicies {
        let one = |t: &str| parse_policy(t).policy;
        ParsedPolicies {
            identity: self.identity.iter().filter_map(|t| one(t)).collect(),
            boundary: self.boundary.as_deref().and_then(one),
            session: self.session.as_ref().map(|texts| {
                // Several session policies act as one: their statements together.
                let mut parts = texts.iter().filter_map(|t| one(t));
                let mut merged = parts.next().unwrap_or_else(|| {
                    one(r#"{"Version":"2012-10-17","Statement":[]}"#).expect("an empty policy")
                });
                for p in parts {
                    merged.statements.extend(p.statements);
                }
                merged
            }),
        }
    }
}

impl ParsedPolicies {
    pub fn set(&self) -> PolicySet<'_> {
        PolicySet {
            identity: self.identity.iter().collect(),
            resource: None,
            boundary: self.boundary.as_ref(),
            scps: Vec::new(),
            session: self.session.as_ref(),
        }
    }
}
