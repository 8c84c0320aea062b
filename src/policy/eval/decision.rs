//! The decision for one request across all policy layers.

use std::fmt;
use std::str::FromStr;

use super::principal::{PrincipalGrant, PrincipalInfo, PrincipalKind};
use super::{PolicySet, Prepared, Request, arn, statement_match_with};
use crate::policy::ast::{Policy, Statement};
use crate::policy::json::Span;

spelled_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Outcome (as_str, parse, Display) {
        Allowed,
        ExplicitDeny,
        ImplicitDeny,
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| {
            format!("`{s}` is not a decision (Allowed, ExplicitDeny or ImplicitDeny)")
        })
    }
}

/// Which policy of the set a statement comes from. Indexes are 0-based; sentences for people
/// count from 1 (identity policy 1, SCP level 1 = the organization root).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicySource {
    Identity(usize),
    Resource,
    Boundary,
    Scp(usize),
    Session,
}

impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySource::Identity(i) => write!(f, "identity policy {}", i + 1),
            PolicySource::Resource => f.write_str("the resource-based policy"),
            PolicySource::Boundary => f.write_str("the permissions boundary"),
            PolicySource::Scp(l) => write!(f, "the SCP at level {}", l + 1),
            PolicySource::Session => f.write_str("the session policy"),
        }
    }
}

/// A statement that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    pub source: PolicySource,
    /// Position in the policy's Statement array.
    pub statement_index: usize,
    pub sid: Option<String>,
    /// The statement's span in its policy text.
    pub span: Span,
}

impl StatementRef {
    pub fn new(source: PolicySource, stmt: &Statement) -> Self {
        Self {
            source,
            statement_index: stmt.index,
            sid: stmt.sid.as_ref().map(|s| s.value.clone()),
            span: stmt.span,
        }
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(sid) if !sid.is_empty() => write!(f, "statement `{sid}` of {}", self.source),
            _ => write!(
                f,
                "statement {} of {}",
                self.statement_index + 1,
                self.source
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    /// ExplicitDeny: every Deny statement that applies. Allowed: the Allow statements that
    /// granted (identity-based and/or resource-based) plus the boundary, session-policy and SCP
    /// allows that let it through. ImplicitDeny: the Allow statements that applied but were not
    /// enough (empty when none applied); `reason` names the layer that failed.
    pub deciding: Vec<StatementRef>,
    /// One sentence for people.
    pub reason: String,
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allowed
    }
}

/// One policy's verdict on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOutcome {
    /// A Deny statement applies.
    Deny,
    /// An Allow statement applies and no Deny does.
    Allow,
    /// No statement applies.
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDecision {
    pub outcome: PolicyOutcome,
    pub denies: Vec<StatementRef>,
    /// Allow statements that apply, with how their Principal names the caller (`Direct` outside
    /// resource-based policies).
    pub allows: Vec<(StatementRef, PrincipalGrant)>,
}

/// Evaluates one policy alone. `source` says how to read it: [`PolicySource::Resource`] checks
/// Principal/NotPrincipal (a role trust policy, a bucket policy), any other source ignores it.
pub fn policy_decision(policy: &Policy, request: &Request, source: PolicySource) -> PolicyDecision {
    let prep = Prepared::new(request);
    let mut hits = Vec::new();
    scan(policy, source, request, &prep, &mut hits);
    let denies: Vec<StatementRef> = hits
        .iter()
        .filter(|h| !h.allow)
        .map(|h| StatementRef::new(h.source, h.stmt))
        .collect();
    let allows: Vec<(StatementRef, PrincipalGrant)> = hits
        .iter()
        .filter(|h| h.allow)
        .map(|h| (StatementRef::new(h.source, h.stmt), h.grant))
        .collect();
    let outcome = if !denies.is_empty() {
        PolicyOutcome::Deny
    } else if !allows.is_empty() {
        PolicyOutcome::Allow
    } else {
        PolicyOutcome::NotApplicable
    };
    PolicyDecision {
        outcome,
        denies,
        allows,
    }
}

#[derive(Clone, Copy)]
struct Hit<'p> {
    source: PolicySource,
    stmt: &'p Statement,
    allow: bool,
    grant: PrincipalGrant,
}

fn scan<'p>(
    policy: &'p Policy,
    source: PolicySource,
    request: &Request,
    prep: &Prepared<'_>,
    hits: &mut Vec<Hit<'p>>,
) {
    let version = policy.effective_version();
    for stmt in &policy.statements {
        if let Some(grant) = statement_match_with(stmt, version, request, prep, source) {
            hits.push(Hit {
                source,
                stmt,
                allow: stmt.is_allow(),
                grant,
            });
        }
    }
}

/// Which kind of resource-based policy must allow even within one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Required {
    No,
    KeyPolicy,
    TrustPolicy,
}

impl Required {
    fn name(self) -> &'static str {
        match self {
            Required::KeyPolicy => "the key policy",
            Required::TrustPolicy => "the role trust policy",
            Required::No => "the resource-based policy",
        }
    }
}

/// KMS key policies and role trust policies must allow access themselves, even in the same
/// account (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>).
fn required_resource_policy(request: &Request) -> Required {
    let Some(a) = arn::Arn::parse(&request.resource) else {
        return Required::No;
    };
    if a.service == "kms" {
        return Required::KeyPolicy;
    }
    let action = request.action.as_str();
    let prefixed = |p: &str| {
        action
            .get(..p.len())
            .is_some_and(|a| a.eq_ignore_ascii_case(p))
    };
    let trust_action = prefixed("sts:AssumeRole")
        || ["sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"]
            .iter()
            .any(|p| action.eq_ignore_ascii_case(p));
    if a.service == "iam" && a.resource.starts_with("role/") && trust_action {
        return Required::TrustPolicy;
    }
    Required::No
}

/// Evaluates the request against every policy of the set.
pub fn evaluate(set: &PolicySet<'_>, request: &Request) -> Decision {
    let prep = Prepared {
        has_boundary: set.boundary.is_some(),
        ..Prepared::new(request)
    };
    let mut hits: Vec<Hit<'_>> = Vec::new();
    let layers = (set.identity.iter().enumerate())
        .map(|(i, p)| (*p, PolicySource::Identity(i)))
        .chain(set.resource.map(|p| (p, PolicySource::Resource)))
        .chain(set.boundary.map(|p| (p, PolicySource::Boundary)))
        .chain((set.scps.iter().enumerate()).map(|(level, p)| (*p, PolicySource::Scp(level))))
        .chain(set.session.map(|p| (p, PolicySource::Session)));
    for (p, source) in layers {
        scan(p, source, request, &prep, &mut hits);
    }
    Evaluation {
        set,
        request,
        who: prep.who,
        hits,
    }
    .decide()
}

struct Evaluation<'s, 'p, 'r> {
    set: &'s PolicySet<'p>,
    request: &'r Request,
    who: PrincipalInfo<'r>,
    hits: Vec<Hit<'p>>,
}

/// Groups of Allow statements, for building `deciding` lists in a stable order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Identity,
    Resource(Option<PrincipalGrant>),
    Boundary,
    Session,
    Scp,
}

impl Want {
    fn wants(self, h: &Hit<'_>) -> bool {
        h.allow
            && match self {
                Want::Identity => matches!(h.source, PolicySource::Identity(_)),
                Want::Resource(g) => {
                    h.source == PolicySource::Resource && g.is_none_or(|g| g == h.grant)
                }
                Want::Boundary => h.source == PolicySource::Boundary,
                Want::Session => h.source == PolicySource::Session,
                Want::Scp => matches!(h.source, PolicySource::Scp(_)),
            }
    }
}

/// "s3:GetObject on arn:…", or the action alone for a `*` resource.
struct What<'a>(&'a Request);

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.resource == "*" {
            f.write_str(&self.0.action)
        } else {
            write!(f, "{} on {}", self.0.action, self.0.resource)
        }
    }
}

/// A statement named for people, without building a [`StatementRef`].
struct Named<'a, 'p>(Option<&'a Hit<'p>>);

impl fmt::Display for Named<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(h) = self.0 else {
            return f.write_str("a statement");
        };
        match h.stmt.sid.as_ref().map(|s| s.value.as_str()) {
            Some(sid) if !sid.is_empty() => write!(f, "statement `{sid}` of {}", h.source),
            _ => write!(f, "statement {} of {}", h.stmt.index + 1, h.source),
        }
    }
}

impl<'p> Evaluation<'_, 'p, '_> {
    fn has(&self, want: Want) -> bool {
        self.hits.iter().any(|h| want.wants(h))
    }

    fn first(&self, want: Want) -> Option<&Hit<'p>> {
        self.hits.iter().find(|h| want.wants(h))
    }

    /// The Allow statements of the wanted groups, group by group.
    fn refs(&self, wants: &[Want]) -> Vec<StatementRef> {
        let mut out = Vec::new();
        for w in wants {
            out.extend(
                self.hits
                    .iter()
                    .filter(|h| w.wants(h))
                    .map(|h| StatementRef::new(h.source, h.stmt)),
            );
        }
        out
    }

    fn decision(&self, outcome: Outcome, wants: &[Want], reason: String) -> Decision {
        Decision {
            outcome,
            deciding: self.refs(wants),
            reason,
        }
    }

    fn decide(&self) -> Decision {
        let what = What(self.request);
        let action = &self.request.action;

        // 1. An explicit deny in any policy wins.
        if let Some(first) = self.hits.iter().find(|h| !h.allow) {
            let deciding: Vec<StatementRef> = self
                .hits
                .iter()
                .filter(|h| !h.allow)
                .map(|h| StatementRef::new(h.source, h.stmt))
                .collect();
            let reason = match deciding.len() {
                1 => format!("{} explicitly denies {what}", Named(Some(first))),
                2 => format!(
                    "{} explicitly denies {what} (and 1 more Deny statement)",
                    Named(Some(first))
                ),
                n => format!(
                    "{} explicitly denies {what} (and {} more Deny statements)",
                    Named(Some(first)),
                    n - 1
                ),
            };
            return Decision {
                outcome: Outcome::ExplicitDeny,
                deciding,
                reason,
            };
        }

        // 2. Every SCP level must allow.
        for level in 0..self.set.scps.len() {
            if !self
                .hits
                .iter()
                .any(|h| h.allow && h.source == PolicySource::Scp(level))
            {
                let reason = if level == 0 {
                    format!("no SCP at level 1 (the organization root) allows {action}")
                } else {
                    format!("no SCP at level {} allows {action}", level + 1)
                };
                return self.decision(Outcome::ImplicitDeny, &[Want::Scp], reason);
            }
        }

        // 3. The identity side: an identity-based allow (the root user needs none), within the
        //    permissions boundary and the session policy when there are. A federated-user
        //    session without a session policy has no permissions; a role session without one
        //    keeps its role's.
        let has_identity = self.has(Want::Identity);
        let is_root = self.who.kind == PrincipalKind::Root;
        let boundary_ok = self.set.boundary.is_none() || self.has(Want::Boundary);
        let federated_without_policy =
            self.who.kind == PrincipalKind::FederatedUser && self.set.session.is_none();
        let session_ok = if self.set.session.is_some() {
            self.has(Want::Session)
        } else {
            !federated_without_policy
        };
        let identity_ok = (is_root || has_identity) && boundary_ok && session_ok;
        let identity_failure = IdentityFailure {
            what: &what,
            no_identity_allow: !has_identity && !is_root,
            boundary_ok,
            session_ok,
            federated_without_policy,
        };
        const IDENTITY_SIDE: [Want; 4] = [Want::Identity, Want::Boundary, Want::Session, Want::Scp];
        // What an allow needs from both sides: the resource-based policy's grant, then the
        // identity side.
        let both_sides = |grant| {
            let [i, b, s, scp] = IDENTITY_SIDE;
            [Want::Resource(grant), i, b, s, scp]
        };

        // 4. The resource side: how the resource-based policy names the principal.
        let best_grant = self
            .hits
            .iter()
            .filter(|h| h.allow && h.source == PolicySource::Resource)
            .map(|h| h.grant)
            .max();
        let resource_account = self.request.effective_resource_account();
        let same_account = match (self.who.account, resource_account) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        // A key or role always has its policy: when the set holds none, nothing in it allows,
        // and the identity side alone is not enough.
        let required = required_resource_policy(self.request);
        let limits = match (self.set.boundary.is_some(), self.set.session.is_some()) {
            (true, true) => " within the permissions boundary and the session policy",
            (true, false) => " within the permissions boundary",
            (false, true) => " within the session policy",
            (false, false) => "",
        };
        let identity_allows = |what: &What<'_>| {
            if is_root && !has_identity {
                "the caller is the account root user".to_string()
            } else {
                format!(
                    "{} allows {what}{limits}",
                    Named(self.first(Want::Identity))
                )
            }
        };

        if same_account {
            // A grant to the user, the session or everyone is not limited by implicit denies in
            // identity-based policies, boundaries or session policies.
            if best_grant == Some(PrincipalGrant::Direct) {
                let g = Want::Resource(Some(PrincipalGrant::Direct));
                let reason = format!(
                    "{} allows {what} for {} directly",
                    Named(self.first(g)),
                    self.who.text
                );
                return self.decision(Outcome::Allowed, &[g, Want::Scp], reason);
            }
            // A grant to the role ARN is limited by the boundary and the session policy.
            if best_grant == Some(PrincipalGrant::Role) && boundary_ok && session_ok {
                let g = Want::Resource(Some(PrincipalGrant::Role));
                let reason = format!(
                    "{} allows {what} for the role{limits}",
                    Named(self.first(g))
                );
                return self.decision(
                    Outcome::Allowed,
                    &[g, Want::Boundary, Want::Session, Want::Scp],
                    reason,
                );
            }
            match required {
                Required::No if identity_ok => {
                    let reason = if is_root && !has_identity {
                        format!("the account root user may {what} (no policy denies it)")
                    } else {
                        identity_allows(&what)
                    };
                    return self.decision(Outcome::Allowed, &IDENTITY_SIDE, reason);
                }
                Required::KeyPolicy | Required::TrustPolicy
                    if identity_ok && best_grant == Some(PrincipalGrant::Account) =>
                {
                    let reason = format!(
                        "{} delegates to the account and {}",
                        required.name(),
                        identity_allows(&what)
                    );
                    let wants = both_sides(Some(PrincipalGrant::Account));
                    return self.decision(Outcome::Allowed, &wants, reason);
                }
                _ => {}
            }
            // Implicit deny: say which layer fell short.
            let reason = if required != Required::No && best_grant.is_none() {
                format!(
                    "{} does not allow {} to {action} (it must allow access itself, directly or through the account)",
                    required.name(),
                    self.who.text,
                )
            } else if required != Required::No && best_grant == Some(PrincipalGrant::Account) {
                format!(
                    "{} delegates to the account, but {identity_failure}",
                    required.name()
                )
            } else if best_grant == Some(PrincipalGrant::Role) {
                // Identity-based policies do not limit a grant to the role ARN.
                let limit = IdentityFailure {
                    no_identity_allow: false,
                    ..identity_failure
                };
                format!("the resource-based policy allows the role, but {limit}")
            } else if best_grant == Some(PrincipalGrant::Account) && !has_identity && !is_root {
                format!(
                    "the resource-based policy only delegates to the account, and no identity-based policy allows {what}"
                )
            } else if !has_identity && !is_root {
                if self.set.resource.is_some() {
                    format!("no identity-based or resource-based policy allows {what}")
                } else {
                    format!("no identity-based policy allows {what}")
                }
            } else {
                identity_failure.to_string()
            };
            return self.decision(
                Outcome::ImplicitDeny,
                &[
                    Want::Resource(Some(PrincipalGrant::Role)),
                    Want::Resource(Some(PrincipalGrant::Account)),
                    Want::Identity,
                ],
                reason,
            );
        }

        // Cross-account: the principal's account must allow (identity side) and the resource's
        // account must allow (its resource-based policy names the principal or its account).
        let owner = resource_account.unwrap_or("another account");
        if identity_ok && best_grant.is_some() {
            let grant = Named(self.first(Want::Resource(None)));
            let reason = if is_root && !has_identity {
                format!(
                    "cross-account: the caller is its account's root user, and {grant} in account {owner} grants {what}"
                )
            } else {
                format!(
                    "cross-account: {}, and {grant} in account {owner} grants it",
                    identity_allows(&what)
                )
            };
            return self.decision(Outcome::Allowed, &both_sides(None), reason);
        }
        let resource_failure = if self.set.resource.is_none() {
            format!("the resource in account {owner} has no resource-based policy to grant access")
        } else {
            format!(
                "the resource-based policy in account {owner} does not grant {action} to {}",
                self.who.text
            )
        };
        let reason = if !identity_ok {
            if best_grant.is_none() {
                format!("cross-account request: {identity_failure}, and {resource_failure}")
            } else {
                format!("cross-account request: {identity_failure}")
            }
        } else {
            format!("cross-account request: {resource_failure}")
        };
        self.decision(
            Outcome::ImplicitDeny,
            &[Want::Resource(None), Want::Identity],
            reason,
        )
    }
}

/// Why the identity side (identity-based policies, boundary, session policy) does not allow.
#[derive(Clone, Copy)]
struct IdentityFailure<'a, 'r> {
    what: &'a What<'r>,
    no_identity_allow: bool,
    boundary_ok: bool,
    session_ok: bool,
    federated_without_policy: bool,
}

impl fmt::Display for IdentityFailure<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = self.what;
        if self.no_identity_allow {
            write!(f, "no identity-based policy allows {what}")
        } else if !self.boundary_ok {
            write!(f, "the permissions boundary does not allow {what}")
        } else if self.federated_without_policy {
            f.write_str("a federated user session without a session policy has no permissions")
        } else if !self.session_ok {
            write!(f, "the session policy does not allow {what}")
        } else {
            write!(f, "no identity-based policy allows {what}")
        }
    }
}
