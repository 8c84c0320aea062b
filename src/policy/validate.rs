//! The validator: every finding a policy deserves, for the policy type it is.
//!
//! Structural findings come from lowering (`lower.rs`); this adds what needs the policy type and
//! AWS facts from the catalog. Findings are sorted by position and never stop at the first.

use std::collections::{HashMap, HashSet};

use super::ast::*;
use super::catalog::{self, AccessLevel, ActionRef, Catalog};
use super::eval::arn::Arn;
use super::eval::condition::{base64_decode, numeric_cmp, parse_cidr, parse_date};
use super::eval::wildcard::wildcard_match_ignore_ascii_case as wildcard_match_ci;
use super::finding::{Finding, QUOTED_CHARS, did_you_mean, hint, shorten};
use super::json::Span;
use super::lower::parse_policy;
use super::operator::{BaseOperator, OperandType, SetQualifier};
use super::redundancy::redundant_statements;

spelled_enum! {
    /// Where a policy is used; it changes which elements are required or forbidden.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum PolicyType (name, from_name) {
        /// Attached to a user, group or role (managed or inline).
        Identity = "identity",
        /// Attached to a resource (bucket policy, key policy, queue policy, ...).
        Resource = "resource",
        /// A role's trust policy.
        Trust = "trust",
        /// A service control policy.
        Scp = "scp",
        /// A permissions boundary.
        Boundary = "boundary",
        /// A session policy passed to AssumeRole / GetFederationToken.
        Session = "session",
    }
}

impl PolicyType {
    /// The kind of policy as a sentence names it: "an identity policy", "an SCP".
    pub fn described(self) -> &'static str {
        match self {
            Self::Identity => "an identity-based policy",
            Self::Resource => "a resource-based policy",
            Self::Trust => "a role trust policy",
            Self::Scp => "a service control policy",
            Self::Boundary => "a permissions boundary",
            Self::Session => "a session policy",
        }
    }

    /// Policies that name who they apply to.
    fn has_principal(self) -> bool {
        matches!(self, Self::Resource | Self::Trust)
    }

    /// Policies whose `Allow` grants access. SCPs, permissions boundaries and session policies
    /// only set the most a principal may do: an `Allow` there grants nothing by itself (AWS's
    /// default SCP, FullAWSAccess, is `Allow * on *`).
    fn grants(self) -> bool {
        matches!(self, Self::Identity | Self::Resource | Self::Trust)
    }

    /// IAM's default size limit for the type, in characters not counting whitespace. Where a
    /// policy is stored changes the limit (user inline 2,048, group inline 5,120, role inline
    /// 10,240): callers that know it pass it in [`Options::size_limit`].
    pub fn default_size_limit(self) -> Option<usize> {
        match self {
            Self::Identity | Self::Boundary => Some(limits::MANAGED),
            Self::Trust => Some(limits::TRUST),
            Self::Scp => Some(limits::SCP),
            Self::Session => Some(limits::SESSION),
            Self::Resource => None,
        }
    }
}

/// IAM and Organizations quotas on policy size (characters, whitespace not counted).
pub mod limits {
    pub const MANAGED: usize = 6_144;
    pub const USER_INLINE: usize = 2_048;
    pub const GROUP_INLINE: usize = 5_120;
    pub const ROLE_INLINE: usize = 10_240;
    /// The default quota for a role trust policy (it can be raised to 4,096).
    pub const TRUST: usize = 2_048;
    pub const SCP: usize = 5_120;
    pub const SESSION: usize = 2_048;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub policy_type: PolicyType,
    /// Overrides the type's default size limit; `Some(usize::MAX)` turns the check off.
    pub size_limit: Option<usize>,
}

impl Options {
    pub fn new(policy_type: PolicyType) -> Self {
        Self {
            policy_type,
            size_limit: None,
        }
    }
    pub fn with_limit(mut self, limit: usize) -> Self {
        self.size_limit = Some(limit);
        self
    }
}

/// The result of validating a document: its AST (when it parsed) and all findings, in order.
#[derive(Debug, Clone)]
pub struct Report {
    pub policy: Option<Policy>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == super::Severity::Error)
    }
}

/// Characters IAM counts against the size quota: everything but whitespace.
pub fn policy_size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

pub fn validate(text: &str, options: &Options) -> Report {
    let parsed = parse_policy(text);
    let mut findings = parsed.findings;
    if let Some(policy) = &parsed.policy {
        let mut v = Validator {
            catalog: catalog::catalog(),
            options,
            version: policy.effective_version(),
            findings: &mut findings,
        };
        v.policy(policy);
    }
    let limit = options
        .size_limit
        .or_else(|| options.policy_type.default_size_limit());
    if let Some(limit) = limit {
        let size = policy_size(text);
        if size > limit {
            findings.push(Finding::error(
                "policy-too-large",
                // The first character, whole: a document may start with a multi-byte one.
                Span::new(0, text.chars().next().map_or(0, char::len_utf8)),
                format!(
                    "the policy has {size} characters (whitespace not counted); IAM allows {limit} here"
                ),
            ));
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.severity).cmp(&(b.span.start, b.span.end, b.severity))
    });
    Report {
        policy: parsed.policy,
        findings,
    }
}

struct Validator<'a> {
    catalog: &'static Catalog,
    options: &'a Options,
    version: Version,
    findings: &'a mut Vec<Finding>,
}

const TRUST_ACTIONS: [&str; 6] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

impl Validator<'_> {
    fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    fn policy(&mut self, p: &Policy) {
        match &p.version {
            None => self.push(Finding::warning(
                "missing-version",
                Span::new(p.span.start, p.span.start + 1),
                "the policy has no `Version`: IAM reads it as 2008-10-17, where policy variables are plain text; add \"Version\": \"2012-10-17\"",
            )),
            Some(v) if v.value != "2012-10-17" && v.value != "2008-10-17" => {
                self.push(Finding::error(
                    "unknown-version",
                    v.span,
                    format!(
                        "`{}` is not a policy language version; use \"2012-10-17\"",
                        v.value
                    ),
                ))
            }
            Some(v) if v.value == "2008-10-17" => self.push(Finding::suggestion(
                "old-version",
                v.span,
                "2008-10-17 is the old policy language: policy variables are not replaced; use \"2012-10-17\"",
            )),
            _ => {}
        }
        let Some(stmt_span) = p.statement_span else {
            self.push(Finding::error(
                "missing-statement",
                Span::new(p.span.start, p.span.start + 1),
                "the policy has no `Statement`",
            ));
            return;
        };
        if p.statements.is_empty() {
            self.push(Finding::error(
                "missing-statement",
                stmt_span,
                "the policy has no statements",
            ));
        }
        let mut sids: HashMap<&str, Span> = HashMap::new();
        for st in &p.statements {
            if let Some(sid) = &st.sid
                && sids.insert(sid.value.as_str(), sid.span).is_some()
                && !sid.value.is_empty()
            {
                self.push(Finding::error(
                    "duplicate-sid",
                    sid.span,
                    format!(
                        "the Sid `{}` is used by an earlier statement; Sids must be unique",
                        sid.value
                    ),
                ));
            }
            self.statement(st);
        }
        self.redundancy(&p.statements);
    }

    fn statement(&mut self, st: &Statement) {
        let ty = self.options.policy_type;
        let head = Span::new(st.span.start, st.span.start + 1);

        if let Some(sid) = &st.sid {
            // IAM (unlike some resource policies) allows only ASCII letters and digits.
            if ty != PolicyType::Resource && !sid.value.chars().all(|c| c.is_ascii_alphanumeric()) {
                self.push(Finding::error(
                    "invalid-sid",
                    sid.span,
                    "a Sid in an IAM policy may contain only ASCII letters and digits",
                ));
            }
        }

        // Principal: required in resource and trust policies, forbidden elsewhere.
        match (&st.principal, ty.has_principal()) {
            (Some(p), false) => self.push(Finding::error(
                "principal-not-allowed",
                p.key_span,
                format!(
                    "{} cannot have `{}`: it applies to whoever it is attached to",
                    ty.described(),
                    if p.negated {
                        "NotPrincipal"
                    } else {
                        "Principal"
                    }
                ),
            )),
            (None, true) => self.push(Finding::error(
                "missing-principal",
                head,
                format!("a statement in {} needs a `Principal`", ty.described()),
            )),
            (Some(p), true) => self.principal(st, p),
            (None, false) => {}
        }

        // Action.
        match &st.action {
            None => self.push(Finding::error(
                "missing-action",
                head,
                "the statement has no `Action` or `NotAction`",
            )),
            Some(a) => self.actions(st, a),
        }

        // Resource: trust policies have none; every other type needs one.
        match (&st.resource, ty) {
            (Some(r), PolicyType::Trust) => self.push(Finding::error(
                "resource-not-allowed",
                r.key_span,
                "a trust policy cannot have `Resource`: the resource is the role itself",
            )),
            (None, PolicyType::Trust) => {}
            (None, _) => self.push(Finding::error(
                "missing-resource",
                head,
                "the statement has no `Resource` or `NotResource`",
            )),
            (Some(r), _) => self.resources(st, r),
        }

        if let Some(c) = &st.condition {
            self.conditions(st, c);
        }

        self.security(st);
    }

    // --- principals -------------------------------------------------------------------------

    fn principal(&mut self, st: &Statement, p: &PrincipalClause) {
        if p.negated && st.is_allow() {
            self.push(Finding::security(
                "allow-with-not-principal",
                p.key_span,
                "`Allow` with `NotPrincipal` grants access to every principal not listed, including anonymous users",
            ));
        }
        let PrincipalValue::Map(entries) = &p.value else {
            return;
        };
        if entries.is_empty() {
            self.push(Finding::error(
                "empty-principal",
                p.span,
                "the principal object names no principal",
            ));
        }
        for e in entries {
            if e.is_array && e.values.is_empty() {
                self.push(Finding::warning(
                    "empty-array",
                    e.span,
                    format!("the `{}` principal list is empty", e.kind.name()),
                ));
            }
            for v in &e.values {
                let text = v.value.as_str();
                match e.kind {
                    PrincipalType::Aws => {
                        if text != "*" && !is_account_id(text) && !valid_principal_arn(text) {
                            self.push(Finding::error(
                                "invalid-principal",
                                v.span,
                                format!(
                                    "`{text}` is not an AWS principal: use a 12-digit account id, an IAM or STS ARN, or \"*\""
                                ),
                            ));
                        } else if text != "*" && (text.contains('*') || text.contains('?')) {
                            self.push(Finding::error(
                                "wildcard-in-principal",
                                v.span,
                                "wildcards are not allowed in a principal ARN; use \"*\" with a condition such as aws:PrincipalArn",
                            ));
                        }
                    }
                    PrincipalType::Service => {
                        if text != "*" && !text.contains('.') {
                            self.push(Finding::error(
                                "invalid-principal",
                                v.span,
                                format!(
                                    "`{text}` is not a service principal (like `ec2.amazonaws.com`)"
                                ),
                            ));
                        }
                    }
                    PrincipalType::Federated => {
                        if text.is_empty() {
                            self.push(Finding::error(
                                "invalid-principal",
                                v.span,
                                "an empty federated principal",
                            ));
                        }
                    }
                    PrincipalType::CanonicalUser => {
                        if !(text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()))
                            && text != "*"
                        {
                            self.push(Finding::error(
                                "invalid-principal",
                                v.span,
                                "a canonical user id is 64 hexadecimal characters",
                            ));
                        }
                    }
                }
            }
        }
    }

    /// An empty `[]` for `Action` or `Resource` (`key`, or `NotKey` when negated).
    fn empty_list(&mut self, l: &ListClause, key: &str, what: &str) {
        if l.is_array && l.items.is_empty() {
            let key = if l.negated {
                format!("Not{key}")
            } else {
                key.to_owned()
            };
            self.push(Finding::warning(
                "empty-array",
                l.span,
                format!("the `{key}` list is empty: the statement matches no {what}"),
            ));
        }
    }

    // --- actions ----------------------------------------------------------------------------

    fn actions(&mut self, st: &Statement, a: &ListClause) {
        self.empty_list(a, "Action", "action");
        let mut seen = SeenIgnoringCase::default();
        for item in &a.items {
            let text = item.value.as_str();
            if !seen.insert(text) {
                self.push(Finding::suggestion(
                    "duplicate-action",
                    item.span,
                    format!("`{text}` is listed twice"),
                ));
                continue;
            }
            if text == "*" {
                continue;
            }
            let well_formed = text.split_once(':').filter(|(service, name)| {
                !service.is_empty()
                    && !name.is_empty()
                    && !name.contains(':')
                    && service
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '?'))
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '-' | '_'))
            });
            let Some((service, name)) = well_formed else {
                self.push(Finding::error(
                    "malformed-action",
                    item.span,
                    format!(
                        "`{text}` is not an action: write `service:Action`, e.g. `s3:GetObject`"
                    ),
                ));
                continue;
            };
            let service_known = if service.contains(['*', '?']) {
                self.catalog.pattern_matches_any(text)
            } else {
                self.catalog.service(service).is_some()
            };
            if !service_known {
                let hint = hint(service, self.catalog.service_prefixes());
                self.push(Finding::error(
                    "unknown-service",
                    item.span,
                    format!("`{service}` is not an AWS service prefix{hint}"),
                ));
                continue;
            }
            // Retired services and actions AWS never documented: IAM accepts them, and AWS
            // managed policies use them, so they are a warning, not an error.
            if let Some(svc) = self.catalog.service(service).filter(|s| !s.documented) {
                let documented = self.catalog.services().filter(|s| s.documented);
                let hint = hint(service, documented.map(|s| s.prefix));
                self.push(Finding::warning(
                    "undocumented-service",
                    item.span,
                    format!(
                        "`{}` is not in the Service Authorization Reference: only AWS managed policies use it (a retired service, or a misspelling){hint}",
                        svc.prefix
                    ),
                ));
                continue;
            }
            let action = if name.contains(['*', '?']) {
                None
            } else {
                self.catalog.action(text)
            };
            if let Some(action) = action
                && action.access_level() == AccessLevel::Undocumented
            {
                self.push(Finding::warning(
                    "undocumented-action",
                    item.span,
                    format!(
                        "`{text}` is not in the Service Authorization Reference: only AWS managed policies use it, and it may no longer grant anything"
                    ),
                ));
            }
            // A name found by lookup matches; only others need the scan of the service.
            if action.is_none() && !self.catalog.pattern_matches_any(text) {
                let hint = if name.contains(['*', '?']) {
                    String::new()
                } else {
                    did_you_mean(name, self.catalog.action_names(service))
                        .map(|s| format!("; did you mean `{service}:{s}`?"))
                        .unwrap_or_default()
                };
                self.push(Finding::error(
                    "unknown-action",
                    item.span,
                    format!("`{text}` matches no {service} action{hint}"),
                ));
            }
            if st.is_allow() && self.options.policy_type == PolicyType::Trust {
                let lower = text.to_ascii_lowercase();
                if !TRUST_ACTIONS.iter().any(|t| wildcard_match_ci(&lower, t)) {
                    self.push(Finding::error(
                        "invalid-trust-action",
                        item.span,
                        format!(
                            "a trust policy allows only STS actions that start a session ({}); `{text}` is not one",
                            TRUST_ACTIONS.join(", ")
                        ),
                    ));
                }
            }
        }
    }

    // --- resources --------------------------------------------------------------------------

    fn resources(&mut self, st: &Statement, r: &ListClause) {
        self.empty_list(r, "Resource", "resource");
        let action_services = self.action_services(st);
        // Computed once per statement, when a resource first needs it.
        let mut accepted: Option<HashSet<String>> = None;
        for item in &r.items {
            let text = item.value.as_str();
            self.variables(text, item.span);
            if text == "*" {
                continue;
            }
            let Some(arn) = Arn::parse(text) else {
                self.push(Finding::error(
                    "malformed-arn",
                    item.span,
                    format!(
                        "`{text}` is not an ARN: write `arn:partition:service:region:account:resource`, or \"*\""
                    ),
                ));
                continue;
            };
            if !arn.partition.contains(['*', '?', '$'])
                && !matches!(
                    arn.partition,
                    "aws"
                        | "aws-cn"
                        | "aws-us-gov"
                        | "aws-iso"
                        | "aws-iso-b"
                        | "aws-iso-e"
                        | "aws-iso-f"
                        | "aws-eusc"
                )
            {
                self.push(Finding::error(
                    "malformed-arn",
                    item.span,
                    format!(
                        "`{}` is not an AWS partition (aws, aws-cn, aws-us-gov, ...)",
                        arn.partition
                    ),
                ));
                continue;
            }
            if arn.service.is_empty() {
                self.push(Finding::error(
                    "malformed-arn",
                    item.span,
                    "the ARN has no service",
                ));
                continue;
            }
            // A resource of another service than every action's: almost always a mistake.
            if let Some(services) = &action_services {
                let svc = arn.service.to_ascii_lowercase();
                if !svc.contains(['*', '?', '$'])
                    && !services.iter().any(|s| wildcard_match_ci(&svc, s))
                    && !accepted
                        .get_or_insert_with(|| services_accepted(self.catalog, action_patterns(st)))
                        .contains(&svc)
                {
                    self.push(Finding::warning(
                        "resource-service-mismatch",
                        item.span,
                        format!(
                            "this `{}` resource matches none of the statement's actions ({})",
                            arn.service,
                            list_some(services, LISTED_SERVICES)
                        ),
                    ));
                }
            }
        }
    }

    /// Lowercase service prefixes of a plain `Action` list; `None` when any wildcard service or
    /// NotAction makes the set open-ended.
    fn action_services(&self, st: &Statement) -> Option<Vec<String>> {
        let a = st.action.as_ref()?;
        if a.negated {
            return None;
        }
        let mut out: Vec<String> = Vec::new();
        let mut seen = SeenIgnoringCase::default();
        for item in &a.items {
            let (svc, _) = item.value.split_once(':')?;
            if svc.contains(['*', '?']) {
                return None;
            }
            if seen.insert(svc) {
                out.push(svc.to_ascii_lowercase());
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Policy variables are plain text in 2008-10-17 policies: almost certainly not intended.
    fn variables(&mut self, text: &str, span: Span) {
        if self.version == Version::V2008_10_17 && text.contains("${") {
            self.push(Finding::error(
                "variable-in-old-version",
                span,
                "policy variables like ${aws:username} work only with \"Version\": \"2012-10-17\"; here they are plain text",
            ));
        }
    }

    // --- conditions -------------------------------------------------------------------------

    fn conditions(&mut self, st: &Statement, block: &ConditionBlock) {
        let mut actions = KeySupport::new(st);
        for clause in &block.clauses {
            let Some(op) = clause.operator else {
                let name = clause.operator_name.value.as_str();
                let message = if name.starts_with("Null") && name.ends_with("IfExists") {
                    "`Null` has no IfExists form".to_string()
                } else {
                    let hint = hint(name, Operator::all_names_static());
                    format!("`{name}` is not a condition operator{hint}")
                };
                self.push(Finding::error(
                    "unknown-condition-operator",
                    clause.operator_name.span,
                    message,
                ));
                continue;
            };
            if clause.is_array && clause.values.is_empty() {
                self.push(Finding::warning(
                    "empty-array",
                    clause.values_span,
                    "the condition has no values: it never matches",
                ));
            }
            for v in &clause.values {
                self.variables(&v.text, v.span);
                self.condition_value(op.base, v);
            }
            self.condition_key(clause, op, &mut actions);
        }
    }

    fn condition_value(&mut self, op: BaseOperator, v: &ConditionValue) {
        let text = v.text.as_str();
        if text.contains("${") && self.version == Version::V2012_10_17 {
            return; // replaced at request time: its type is known only then
        }
        let problem = match op.operand_type() {
            OperandType::Bool | OperandType::Null => (!text.eq_ignore_ascii_case("true")
                && !text.eq_ignore_ascii_case("false"))
            .then(|| format!("`{}` takes true or false", op.name())),
            OperandType::Numeric => numeric_cmp(text, "0")
                .is_none()
                .then(|| format!("`{}` takes a number", op.name())),
            OperandType::Date => parse_date(text).is_none().then(|| {
                format!(
                    "`{}` takes a date (ISO 8601 such as 2026-01-31T12:00:00Z, or epoch seconds)",
                    op.name()
                )
            }),
            OperandType::Ip => parse_cidr(text).is_none().then(|| {
                format!(
                    "`{}` takes an IPv4 or IPv6 address or CIDR block such as 203.0.113.0/24",
                    op.name()
                )
            }),
            OperandType::Arn => (!(text.starts_with("arn:") || text == "*"))
                .then(|| format!("`{}` takes an ARN (wildcards allowed)", op.name())),
            OperandType::Binary => base64_decode(text)
                .is_none()
                .then(|| format!("`{}` takes a base64-encoded value", op.name())),
            OperandType::String => None,
        };
        if let Some(message) = problem {
            self.push(Finding::error(
                "invalid-condition-value",
                v.span,
                format!("`{text}` is not valid here: {message}"),
            ));
        }
    }

    fn condition_key(&mut self, clause: &ConditionClause, op: Operator, actions: &mut KeySupport) {
        let key = clause.key.value.as_str();
        let span = clause.key.span;
        let Some((prefix, _)) = key.split_once(':') else {
            self.push(Finding::warning(
                "unknown-condition-key",
                span,
                format!(
                    "`{key}` is not a condition key: keys look like `aws:SourceIp` or `s3:prefix`"
                ),
            ));
            return;
        };
        let Some(info) = self.catalog.condition_key(key) else {
            if is_oidc_provider_key(prefix) {
                // `token.actions.githubusercontent.com:sub`, `oidc.eks.<region>.amazonaws.com/id/X:aud`:
                // keys named after an OIDC provider's URL, which no catalog can list.
                return;
            }
            if prefix.eq_ignore_ascii_case("aws") {
                let global = self.catalog.global_condition_keys().iter();
                let hint = hint(key, global.map(|k| k.name));
                self.push(Finding::warning(
                    "unknown-global-condition-key",
                    span,
                    format!("`{key}` is not an AWS global condition key{hint}"),
                ));
            } else {
                self.push(Finding::warning(
                    "unknown-condition-key",
                    span,
                    format!("`{key}` is not a condition key of `{prefix}`"),
                ));
            }
            return;
        };
        // A key no action of the statement supports is never in the request context.
        if !info.global && !actions.is_empty() {
            let supported = actions.supports(self.catalog, key);
            if !supported {
                self.push(Finding::warning(
                    "condition-key-not-supported",
                    span,
                    format!("none of the statement's actions supports `{key}`: the condition never applies as written"),
                ));
            }
        }
        // Set qualifiers belong with multivalued keys, and multivalued keys need one.
        let multivalued = info.ty.is_multivalued();
        match (op.set, multivalued) {
            (Some(q), false) if op.base != BaseOperator::Null => self.push(Finding::warning(
                "set-operator-on-single-valued-key",
                clause.operator_name.span,
                format!(
                    "`{}` is for multivalued keys; `{key}` has one value, so {}",
                    if q == SetQualifier::ForAllValues { "ForAllValues" } else { "ForAnyValue" },
                    if q == SetQualifier::ForAllValues {
                        "the condition is also true when the key is missing"
                    } else {
                        "write the operator without the qualifier"
                    }
                ),
            )),
            (None, true) if op.base != BaseOperator::Null => self.push(Finding::warning(
                "missing-set-operator",
                clause.operator_name.span,
                format!("`{key}` can have several values; use ForAllValues: or ForAnyValue: to say how they combine"),
            )),
            _ => {}
        }
    }

    // --- security ---------------------------------------------------------------------------

    fn security(&mut self, st: &Statement) {
        if !st.is_allow() || !self.options.policy_type.grants() {
            return;
        }
        if let Some(a) = &st.action
            && a.negated
        {
            self.push(Finding::security(
                    "allow-with-not-action",
                    a.key_span,
                    "`Allow` with `NotAction` grants every action not listed, including ones AWS adds later",
                ));
        }
        if let Some(r) = &st.resource
            && r.negated
        {
            self.push(Finding::security(
                    "allow-with-not-resource",
                    r.key_span,
                    "`Allow` with `NotResource` grants access to every resource not listed, including future ones",
                ));
        }
        let all_resources = st
            .resource
            .as_ref()
            .is_some_and(|r| !r.negated && r.items.iter().any(|i| i.value == "*"));
        if let (Some(a), true) = (&st.action, all_resources)
            && !a.negated
        {
            if let Some(item) = a.items.iter().find(|i| i.value == "*" || i.value == "*:*") {
                self.push(Finding::security(
                        "allow-all-actions-all-resources",
                        item.span,
                        "this statement allows every action on every resource: full administrator access",
                    ));
            } else if let Some(item) = a
                .items
                .iter()
                .find(|i| wildcard_match_ci(&i.value, "iam:PassRole"))
            {
                self.push(Finding::security(
                        "pass-role-all-resources",
                        item.span,
                        "iam:PassRole on \"*\" lets the principal give any role to a service; list the roles it may pass",
                    ));
            }
        }
        if self.options.policy_type.has_principal()
            && !has_conditions(st)
            && let Some(p) = &st.principal
            && !p.negated
            && principal_is_anyone(&p.value)
        {
            let (code, message) = if self.options.policy_type == PolicyType::Trust {
                (
                    "trust-any-principal",
                    "the role trusts every AWS principal (\"*\") without a condition: anyone can assume it",
                )
            } else {
                (
                    "public-access",
                    "the statement grants access to everyone (\"*\") without a condition",
                )
            };
            self.push(Finding::security(code, p.span, message));
        }
    }

    // --- redundancy -------------------------------------------------------------------------

    /// A statement whose actions and resources are all covered by another statement with the
    /// same effect, principal and conditions adds nothing.
    fn redundancy(&mut self, statements: &[Statement]) {
        for (i, j) in redundant_statements(statements) {
            let (a, b) = (&statements[i], &statements[j]);
            self.push(Finding::suggestion(
                "redundant-statement",
                Span::new(a.span.start, a.span.start + 1),
                format!(
                    "statement {}{} is covered by statement {}{}: it can be removed",
                    a.index,
                    sid_note(a),
                    b.index,
                    sid_note(b),
                ),
            ));
        }
    }
}

/// ` (Sid)` after a statement's number, the Sid shortened: a message about one statement must
/// not copy another's text in full.
fn sid_note(st: &Statement) -> String {
    st.sid
        .as_ref()
        .map(|s| format!(" ({})", shorten(&s.value, QUOTED_CHARS)))
        .unwrap_or_default()
}

use super::operator::Operator;

impl Operator {
    fn all_names_static() -> impl Iterator<Item = &'static str> {
        static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        NAMES
            .get_or_init(|| Operator::all_names().collect())
            .iter()
            .map(String::as_str)
    }
}

/// Whether the statement has a condition that can limit it: `"Condition": {}` (or an operator
/// with no keys) limits nothing.
fn has_conditions(st: &Statement) -> bool {
    st.condition.as_ref().is_some_and(|c| !c.clauses.is_empty())
}

/// The statement's `Action` patterns (none for `NotAction`).
fn action_patterns(st: &Statement) -> impl Iterator<Item = &str> {
    st.action
        .iter()
        .filter(|a| !a.negated)
        .flat_map(|a| a.items.iter().map(|i| i.value.as_str()))
}

/// Texts seen so far, compared ignoring ASCII case: a list while short (no hashing, no
/// allocation), a set once long (scanning a list makes a long `Action` array quadratic).
#[derive(Default)]
struct SeenIgnoringCase<'t> {
    list: Vec<&'t str>,
    set: HashSet<String>,
}

impl<'t> SeenIgnoringCase<'t> {
    const SHORT: usize = 16;

    /// Remembers `text`; false when it was seen before.
    fn insert(&mut self, text: &'t str) -> bool {
        if self.list.len() < Self::SHORT {
            if self.list.iter().any(|s| s.eq_ignore_ascii_case(text)) {
                return false;
            }
            self.list.push(text);
            return true;
        }
        if self.set.is_empty() {
            self.set
                .extend(self.list.iter().map(|s| s.to_ascii_lowercase()));
        }
        self.set.insert(text.to_ascii_lowercase())
    }
}

fn principal_is_anyone(p: &PrincipalValue) -> bool {
    match p {
        PrincipalValue::Any => true,
        PrincipalValue::Map(entries) => entries
            .iter()
            .any(|e| e.kind == PrincipalType::Aws && e.values.iter().any(|v| v.value == "*")),
    }
}

/// A condition key prefix that is an OIDC identity provider's URL (host and optional path, no
/// scheme): service prefixes never contain a dot or a slash.
fn is_oidc_provider_key(prefix: &str) -> bool {
    prefix.contains(['.', '/'])
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn valid_principal_arn(s: &str) -> bool {
    Arn::parse(s).is_some_and(|a| {
        matches!(a.service, "iam" | "sts") && a.region.is_empty() && !a.resource.is_empty()
    })
}

/// The services (lowercase) whose resource types some action the patterns match takes:
/// `ssm:SendCommand` acts on EC2 instances, `sts:AssumeRole` on IAM roles.
fn services_accepted<'p>(
    catalog: &'static Catalog,
    patterns: impl Iterator<Item = &'p str>,
) -> HashSet<String> {
    const HEAD: &str = "arn:${Partition}:";
    let mut out = HashSet::new();
    for action in distinct_actions(catalog, patterns) {
        for r in action.resource_types() {
            for format in r.resource_type.arn_formats() {
                let service = format
                    .get(..HEAD.len())
                    .filter(|head| head.eq_ignore_ascii_case(HEAD))
                    .and_then(|_| format[HEAD.len()..].split_once(':'))
                    .map(|(service, _)| service);
                if let Some(service) = service {
                    out.insert(service.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// The first `max` items joined with commas, and how many more there are.
fn list_some(items: &[String], max: usize) -> String {
    let shown = items[..items.len().min(max)].join(", ");
    match items.len().saturating_sub(max) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Services a `resource-service-mismatch` message names.
const LISTED_SERVICES: usize = 10;

/// Which condition keys a statement's actions support. Asking each action pattern for each key
/// is quadratic in a statement with many of both; instead the actions the patterns match are
/// listed once (at most the catalog), on the first question, and each answer is kept.
struct KeySupport<'s> {
    statement: &'s Statement,
    actions: Option<Vec<ActionRef<'static>>>,
    answers: HashMap<String, bool>,
}

impl<'s> KeySupport<'s> {
    fn new(statement: &'s Statement) -> Self {
        Self {
            statement,
            actions: None,
            answers: HashMap::new(),
        }
    }

    fn is_empty(&self) -> bool {
        action_patterns(self.statement).next().is_none()
    }

    fn supports(&mut self, catalog: &'static Catalog, key: &str) -> bool {
        if let Some(&known) = self.answers.get(key) {
            return known;
        }
        let statement = self.statement;
        let answer = self
            .actions
            .get_or_insert_with(|| distinct_actions(catalog, action_patterns(statement)))
            .iter()
            .any(|a| a.supports_condition_key(key));
        self.answers.insert(key.to_string(), answer);
        answer
    }
}

/// Every action some pattern matches, once.
fn distinct_actions<'p>(
    catalog: &'static Catalog,
    patterns: impl Iterator<Item = &'p str>,
) -> Vec<ActionRef<'static>> {
    let mut distinct = SeenIgnoringCase::default();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for pattern in patterns.filter(|p| distinct.insert(p)) {
        for action in catalog.matching_actions(pattern) {
            if seen.insert(std::ptr::from_ref(action.action)) {
                out.push(action);
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
