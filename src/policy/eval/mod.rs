//! The evaluator: AWS policy evaluation logic for one request.
//!
//! Given the policies that apply to a request ([`PolicySet`]: identity-based policies, a
//! resource-based policy, a permissions boundary, the SCPs of each organization level and a
//! session policy) and the request ([`Request`]: principal, action, resource, resource account,
//! context), [`evaluate`] returns a [`Decision`]: `Allowed`, `ExplicitDeny` or `ImplicitDeny`,
//! the statements that decided it (with spans into the policy text) and one sentence saying why.
//!
//! The logic follows the IAM User Guide:
//! - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>
//!   (explicit deny, SCPs, resource-based policies, identity-based policies, boundaries,
//!   session policies, in that order);
//! - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>
//!   (both accounts must allow);
//! - <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html> and
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>
//!   (which resource-policy grants boundaries and session policies limit).
//!
//! Matching of single statements is public too ([`statement_match`], [`policy_decision`],
//! [`principal_matches`]) so the console can, for example, check a role's trust policy against
//! a caller. Evaluation allocates only for its result (and for values holding policy variables).

pub mod arn;
pub mod condition;
pub mod context;
mod decision;
pub mod principal;
pub mod variables;
pub mod wildcard;

pub use context::{Context, ContextError, ContextValue};
pub use decision::{
    Decision, Outcome, PolicyDecision, PolicyOutcome, PolicySource, StatementRef, evaluate,
    policy_decision,
};
pub use principal::{
    PrincipalGrant, PrincipalInfo, PrincipalKind, not_principal_exempts, parse_principal,
    principal_matches,
};

use crate::policy::ast::{ListClause, Policy, Statement, Version};

/// One request to authorize.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The ARN of the principal making the request (`arn:aws:iam::…:user/alice`, an assumed-role
    /// session ARN, a service name such as `ec2.amazonaws.com`, …).
    pub principal: String,
    /// `service:Action`, compared without regard to case.
    pub action: String,
    /// The resource ARN, or `*` for actions that take no resource.
    pub resource: String,
    /// The account that owns the resource. When `None`, the account in the resource ARN is
    /// used; when that is empty too (S3), the request is taken as same-account.
    pub resource_account: Option<String>,
    /// The whole request context. The evaluator adds no keys of its own.
    pub context: Context,
}

impl Request {
    pub fn new(
        principal: impl Into<String>,
        action: impl Into<String>,
        resource: impl Into<String>,
    ) -> Self {
        Self {
            principal: principal.into(),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: Context::new(),
        }
    }

    pub fn with_resource_account(mut self, account: impl Into<String>) -> Self {
        self.resource_account = Some(account.into());
        self
    }

    pub fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    /// Adds one context key (builder form).
    pub fn with_key(mut self, key: impl Into<String>, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key, value);
        self
    }

    /// The account that owns the resource: `resource_account`, else the ARN's account field.
    pub fn effective_resource_account(&self) -> Option<&str> {
        self.resource_account
            .as_deref()
            .filter(|a| !a.is_empty())
            .or_else(|| arn::Arn::parse(&self.resource).and_then(|a| a.account_id()))
    }
}

/// The policies that apply to one request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    /// Identity-based policies of the principal (user, its groups, or role; inline and managed).
    pub identity: Vec<&'a Policy>,
    /// The resource-based policy (bucket policy, key policy, role trust policy, …).
    pub resource: Option<&'a Policy>,
    /// The principal's permissions boundary.
    pub boundary: Option<&'a Policy>,
    /// SCPs, one policy per level of the organization, root first; every level must allow.
    pub scps: Vec<&'a Policy>,
    /// The session policy of a role or federated-user session.
    pub session: Option<&'a Policy>,
}

impl<'a> PolicySet<'a> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn identity(mut self, policy: &'a Policy) -> Self {
        self.identity.push(policy);
        self
    }
    pub fn resource(mut self, policy: &'a Policy) -> Self {
        self.resource = Some(policy);
        self
    }
    pub fn boundary(mut self, policy: &'a Policy) -> Self {
        self.boundary = Some(policy);
        self
    }
    /// Adds the next (lower) organization level.
    pub fn scp(mut self, policy: &'a Policy) -> Self {
        self.scps.push(policy);
        self
    }
    pub fn session(mut self, policy: &'a Policy) -> Self {
        self.session = Some(policy);
        self
    }
}

/// Action/NotAction: `*` and `?` wildcards, case-insensitive.
pub fn action_matches(clause: &ListClause, action: &str) -> bool {
    let any = clause
        .items
        .iter()
        .any(|item| wildcard::wildcard_match_ignore_ascii_case(&item.value, action));
    any != clause.negated
}

/// Resource/NotResource against the request resource (split once by the caller), with policy
/// variables substituted in the resource part of each ARN (2012-10-17 policies only).
fn resource_matches_split(
    clause: &ListClause,
    version: Version,
    request: &Request,
    resource: &arn::SplitArn<'_>,
) -> bool {
    let any = clause
        .items
        .iter()
        .any(|item| resource_item_matches_split(&item.value, version, request, resource));
    any != clause.negated
}

/// One Resource entry. Variables may only stand in the resource part, after the fifth colon
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-resourceelement>);
/// before it `${…}` is plain text. A variable that cannot be resolved matches no resource.
fn resource_item_matches_split(
    item: &str,
    version: Version,
    request: &Request,
    resource: &arn::SplitArn<'_>,
) -> bool {
    if version == Version::V2012_10_17 && variables::has_variables(item) {
        let split = arn::resource_part_offset(item).unwrap_or(0);
        let mut pieces = Vec::with_capacity(4);
        if split > 0 {
            pieces.push(wildcard::Piece::Glob(&item[..split]));
        }
        if variables::resolve_pieces(&item[split..], &request.context, &mut pieces).is_err() {
            return false;
        }
        return arn::arn_match_pieces(&pieces, &request.resource);
    }
    arn::arn_match_split(item, resource)
}

/// Whether a statement applies to the request (ignoring its effect), and, for a resource-based
/// policy, how its Principal names the caller. Statements without an Effect or an Action never
/// apply (IAM would refuse them); a statement without Resource matches every resource (trust
/// policies). Principal/NotPrincipal is checked only for [`PolicySource::Resource`]; there a
/// statement without either names nobody.
pub fn statement_match(
    stmt: &Statement,
    version: Version,
    request: &Request,
    source: PolicySource,
) -> Option<PrincipalGrant> {
    statement_match_with(stmt, version, request, &Prepared::new(request), source)
}

/// [`statement_match`] as a yes/no.
pub fn statement_applies(
    stmt: &Statement,
    version: Version,
    request: &Request,
    source: PolicySource,
) -> bool {
    statement_match(stmt, version, request, source).is_some()
}

/// What evaluation reads from a request once rather than per statement.
pub(crate) struct Prepared<'r> {
    pub(crate) who: PrincipalInfo<'r>,
    pub(crate) resource: arn::SplitArn<'r>,
    /// The caller has a permissions boundary (it changes what `NotPrincipal` does).
    pub(crate) has_boundary: bool,
}

impl<'r> Prepared<'r> {
    pub(crate) fn new(request: &'r Request) -> Self {
        Self {
            who: parse_principal(&request.principal),
            resource: arn::SplitArn::new(&request.resource),
            has_boundary: false,
        }
    }
}

pub(crate) fn statement_match_with(
    stmt: &Statement,
    version: Version,
    request: &Request,
    prep: &Prepared<'_>,
    source: PolicySource,
) -> Option<PrincipalGrant> {
    stmt.effect.as_ref()?;
    if !action_matches(stmt.action.as_ref()?, &request.action) {
        return None;
    }
    if let Some(resource) = &stmt.resource
        && !resource_matches_split(resource, version, request, &prep.resource)
    {
        return None;
    }
    let grant = if source == PolicySource::Resource {
        let clause = stmt.principal.as_ref()?;
        if clause.negated {
            // NotPrincipal only works with Deny; with a permissions boundary attached to the
            // caller (an IAM user or role) the Deny applies whatever the list says
            // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>).
            if !stmt.is_deny() {
                return None;
            }
            let iam_principal = matches!(
                prep.who.kind,
                PrincipalKind::User
                    | PrincipalKind::Role { .. }
                    | PrincipalKind::AssumedRole { .. }
            );
            if prep.has_boundary && iam_principal {
                PrincipalGrant::Direct
            } else {
                principal::principal_clause_matches(clause, &prep.who)?
            }
        } else {
            principal::principal_clause_matches(clause, &prep.who)?
        }
    } else {
        PrincipalGrant::Direct
    };
    if let Some(block) = &stmt.condition
        && !condition::condition_block_matches(block, version, &request.context)
    {
        return None;
    }
    Some(grant)
}

#[cfg(test)]
mod tests;
