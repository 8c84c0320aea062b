//! Before calling STS: what the role's trust policy will say to this caller, and why, from the
//! embedded engine. "Requires MFA" and "requires ExternalId" are found by trying the request
//! with and without them; "your account is not trusted" when no statement names the caller.

use crate::policy::ast::Statement;
use crate::policy::eval::{
    Context, PolicyOutcome, PolicySource, Request, policy_decision, principal_matches,
};
use crate::policy::json::LineIndex;
use crate::policy::validate::{Options, PolicyType, validate};
use crate::policy::{Severity, parse_policy};

/// What the console expects STS to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prediction {
    /// The trust policy allows it; when it only names the account, the caller's own policies
    /// must allow `sts:AssumeRole` too.
    Allowed {
        statement: String,
        needs_own_allow: bool,
    },
    /// It would be allowed with an MFA code.
    NeedsMfa { statement: String },
    /// It would be allowed with the right ExternalId.
    NeedsExternalId { statement: String },
    /// It would be allowed with both.
    NeedsMfaAndExternalId { statement: String },
    /// A Deny statement applies.
    Denied { statement: String },
    /// Statements name the caller but their conditions are not met (other keys).
    ConditionsNotMet { statement: String },
    /// No statement names the caller, or their account.
    NotTrusted,
    /// The trust policy does not parse.
    Unreadable,
    /// STS refuses AssumeRole from an account's root user, whatever the trust policy says.
    RootCaller,
}

impl Prediction {
    /// One sentence for the dialog.
    pub fn describe(&self) -> String {
        match self {
            Prediction::Allowed {
                statement,
                needs_own_allow: true,
            } => format!(
                "the trust policy trusts your account ({statement}): your own policies must allow sts:AssumeRole too"
            ),
            Prediction::Allowed { statement, .. } => {
                format!("the trust policy allows you ({statement})")
            }
            Prediction::NeedsMfa { statement } => {
                format!("requires MFA ({statement}): type a code")
            }
            Prediction::NeedsExternalId { statement } => {
                format!("requires ExternalId ({statement})")
            }
            Prediction::NeedsMfaAndExternalId { statement } => {
                format!("requires MFA and an ExternalId ({statement})")
            }
            Prediction::Denied { statement } => format!("denied by {statement}"),
            Prediction::ConditionsNotMet { statement } => {
                format!("{statement} names you, but its conditions are not met with what you gave")
            }
            Prediction::NotTrusted => {
                "your account is not trusted: no statement of the trust policy names you".into()
            }
            Prediction::Unreadable => "the trust policy cannot be read".into(),
            Prediction::RootCaller => {
                "the root user cannot assume roles: sign in as an IAM user (--as NAME) or another profile".into()
            }
        }
    }

    pub fn allowed(&self) -> bool {
        matches!(self, Prediction::Allowed { .. })
    }
}

/// The caller as the trust policy sees it.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The ARN STS will see (a user, or an assumed-role session).
    pub arn: String,
    pub account: String,
    /// `aws:PrincipalArn`: the role's ARN for a session, else the caller's.
    pub principal_arn: String,
    /// MFA is (or will be) part of the request.
    pub mfa: bool,
    pub external_id: Option<String>,
    pub source_identity: Option<String>,
}

fn label(st: &Statement) -> String {
    match &st.sid {
        Some(s) if !s.value.is_empty() => format!("statement `{}`", s.value),
        _ => format!("statement {}", st.index + 1),
    }
}

fn context(c: &Caller, mfa: bool, external_id: Option<&str>) -> Context {
    let mut ctx = Context::new()
        .with("aws:PrincipalArn", c.principal_arn.clone())
        .with("aws:PrincipalAccount", c.account.clone())
        .with("aws:SecureTransport", "true")
        .with(
            "aws:CurrentTime",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        );
    if mfa {
        ctx.insert("aws:MultiFactorAuthPresent", "true");
        ctx.insert("aws:MultiFactorAuthAge", "0");
    }
    if let Some(x) = external_id {
        ctx.insert("sts:ExternalId", x);
    }
    if let Some(s) = &c.source_identity {
        ctx.insert("sts:SourceIdentity", s.clone());
    }
    ctx
}

/// The STS actions on a role that IAM decides with the role's trust policy as its
/// resource-based policy, and that [`predict_action`] answers for: assuming the role, and what
/// an assume may carry (session tags, a source identity).
pub fn is_trust_action(action: &str) -> bool {
    ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action))
}

/// The role a trust-policy request is about: `resource` when it is a role's ARN and `action`
/// one of [`is_trust_action`]'s.
pub fn trusted_role<'a>(action: &str, resource: &'a str) -> Option<&'a str> {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let role = parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "iam"
        && parts[5].starts_with("role/")
        && !parts[5].ends_with('/')
        && !resource.contains(['*', '?']);
    (role && is_trust_action(action)).then_some(resource)
}

/// The request STS evaluates against the trust policy: `action` on `role_arn` by `caller`,
/// in the role's account, with the context STS sets (and MFA, an ExternalId as given).
pub fn trust_request(
    caller: &Caller,
    action: &str,
    role_arn: &str,
    mfa: bool,
    external_id: Option<&str>,
) -> Request {
    let role_account = role_arn.split(':').nth(4).unwrap_or_default();
    Request::new(caller.arn.clone(), action, role_arn)
        .with_resource_account(role_account)
        .with_context(context(caller, mfa, external_id))
}

/// Evaluates `trust` for `sts:AssumeRole` on `role_arn` by `caller`.
pub fn predict(trust: &str, role_arn: &str, caller: &Caller) -> Prediction {
    predict_action(trust, "sts:AssumeRole", role_arn, caller)
}

/// [`predict`] for any of [`is_trust_action`]'s actions (the simulate pane asks for each).
pub fn predict_action(trust: &str, action: &str, role_arn: &str, caller: &Caller) -> Prediction {
    if is_root(&caller.arn) {
        return Prediction::RootCaller;
    }
    let Some(policy) = parse_policy(trust).policy else {
        return Prediction::Unreadable;
    };
    let role_account = role_arn.split(':').nth(4).unwrap_or_default().to_string();
    let decide = |mfa: bool, x: Option<&str>| {
        let req = trust_request(caller, action, role_arn, mfa, x);
        policy_decision(&policy, &req, PolicySource::Resource)
    };
    let label_of = |refs: &[crate::policy::eval::StatementRef]| {
        refs.first()
            .and_then(|r| policy.statements.get(r.statement_index))
            .map(label)
            .unwrap_or_else(|| "the trust policy".into())
    };
    let now = decide(caller.mfa, caller.external_id.as_deref());
    match now.outcome {
        PolicyOutcome::Deny => {
            return Prediction::Denied {
                statement: label_of(&now.denies),
            };
        }
        PolicyOutcome::Allow => {
            let (r, grant) = &now.allows[0];
            let statement = policy
                .statements
                .get(r.statement_index)
                .map(label)
                .unwrap_or_default();
            let cross = role_account != caller.account;
            return Prediction::Allowed {
                statement,
                needs_own_allow: cross
                    || matches!(grant, crate::policy::eval::PrincipalGrant::Account),
            };
        }
        PolicyOutcome::NotApplicable => {}
    }
    // Which statements name the caller at all (whatever their conditions)?
    let naming: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|s| s.is_allow())
        .filter(|s| {
            s.principal
                .as_ref()
                .is_some_and(|p| principal_matches(p, &caller.arn).is_some())
        })
        .filter(|s| {
            s.action
                .as_ref()
                .is_some_and(|a| crate::policy::eval::action_matches(a, action))
        })
        .collect();
    let Some(first) = naming.first() else {
        return Prediction::NotTrusted;
    };
    // What would change the answer: MFA, an ExternalId (any value stands for the right one:
    // the policy's own values are tried), or both.
    let external_ids: Vec<String> = naming
        .iter()
        .flat_map(|s| s.condition.iter().flat_map(|c| c.clauses.iter()))
        .filter(|c| c.key.value.eq_ignore_ascii_case("sts:ExternalId"))
        .flat_map(|c| c.values.iter().map(|v| v.text.clone()))
        .collect();
    let with_mfa =
        !caller.mfa && decide(true, caller.external_id.as_deref()).outcome == PolicyOutcome::Allow;
    let with_x = external_ids
        .iter()
        .any(|x| decide(caller.mfa, Some(x)).outcome == PolicyOutcome::Allow);
    let with_both = external_ids
        .iter()
        .any(|x| decide(true, Some(x)).outcome == PolicyOutcome::Allow);
    let statement = label(first);
    match (with_mfa, with_x, with_both) {
        (true, _, _) => Prediction::NeedsMfa { statement },
        (false, true, _) => Prediction::NeedsExternalId { statement },
        (false, false, true) => Prediction::NeedsMfaAndExternalId { statement },
        _ => Prediction::ConditionsNotMet { statement },
    }
}

/// What a session policy field holds: an inline document, managed policy ARNs, or both absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionPolicy {
    pub inline: Option<String>,
    pub arns: Vec<String>,
}

/// STS takes at most ten managed session policies.
pub const MAX_SESSION_POLICY_ARNS: usize = 10;

/// Reads a session policy as typed: managed policy ARNs (separated by spaces or commas), or a
/// JSON document, which the engine validates as a session policy; the first error is refused
/// with its line and column, as STS would refuse the request (`MalformedPolicyDocument`).
pub fn session_policy(text: &str) -> Result<SessionPolicy, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(SessionPolicy::default());
    }
    if text.starts_with("arn:") {
        let arns: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(bad) = arns.iter().find(|a| {
            let parts: Vec<&str> = a.splitn(6, ':').collect();
            parts.len() != 6 || parts[2] != "iam" || !parts[5].starts_with("policy/")
        }) {
            return Err(format!(
                "`{bad}` is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)"
            ));
        }
        if arns.len() > MAX_SESSION_POLICY_ARNS {
            return Err(format!(
                "{} managed session policies: STS takes at most {MAX_SESSION_POLICY_ARNS}",
                arns.len()
            ));
        }
        return Ok(SessionPolicy { inline: None, arns });
    }
    let report = validate(text, &Options::new(PolicyType::Session));
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        // Two at most: a misspelt key also leaves a required one missing, and both help.
        let lines = LineIndex::new(text);
        let said: Vec<String> = errors
            .iter()
            .take(2)
            .map(|f| {
                let at = lines.position(text, f.span.start);
                format!("{}:{}: {} ({})", at.line, at.column, f.message, f.code)
            })
            .collect();
        let more = match errors.len() {
            n if n > 2 => format!(" (and {} more)", n - 2),
            _ => String::new(),
        };
        return Err(format!("session policy {}{more}", said.join("; ")));
    }
    Ok(SessionPolicy {
        inline: Some(text.to_string()),
        arns: Vec::new(),
    })
}

/// `arn:aws:iam::123456789012:root`, in any partition.
fn is_root(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root"
}

/// The session name the console proposes: the caller's own name, as STS allows it.
pub fn default_session_name(caller_arn: &str) -> String {
    let last = caller_arn.rsplit(['/', ':']).next().unwrap_or("iamtui");
    let name: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c))
        .take(64)
        .collect();
    if name.len() < 2 {
        "iamtui-session".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROLE: &str = "arn:aws:iam::111122223333:role/target";

    fn alice() -> Caller {
        Caller {
            arn: "arn:aws:iam::111122223333:user/alice".into(),
            account: "111122223333".into(),
            principal_arn: "arn:aws:iam::111122223333:user/alice".into(),
            ..Caller::default()
        }
    }

    fn alice_with(change: impl FnOnce(&mut Caller)) -> Caller {
        let mut caller = alice();
        change(&mut caller);
        caller
    }

    fn trust(statement: serde_json::Value) -> String {
        json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
    }

    #[test]
    fn predictions_name_what_is_missing() {
        let st = |sid: &str| format!("statement `{sid}`");
        let allowed = |statement: String, needs_own_allow| Prediction::Allowed {
            statement,
            needs_own_allow,
        };
        let needs_id = || Prediction::NeedsExternalId { statement: st("X") };
        let mfa = json!({"Sid": "M", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}});
        let xid = json!({"Sid": "X", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "secret-42"}}});
        for (statement, expected) in [
            (
                json!({"Sid": "Acct", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}),
                allowed(st("Acct"), true),
            ),
            (
                json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}),
                allowed("statement 1".into(), false),
            ),
            (mfa.clone(), Prediction::NeedsMfa { statement: st("M") }),
            (xid.clone(), needs_id()),
            (
                json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}),
                Prediction::NotTrusted,
            ),
            (
                json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
                Prediction::NotTrusted,
            ),
        ] {
            let doc = trust(statement);
            assert_eq!(predict(&doc, ROLE, &alice()), expected, "{doc}");
        }
        let (mfa, xid) = (trust(mfa), trust(xid));
        assert!(predict(&mfa, ROLE, &alice_with(|c| c.mfa = true)).allowed());
        let with_id = |id: &str| alice_with(|c| c.external_id = Some(id.into()));
        assert!(predict(&xid, ROLE, &with_id("secret-42")).allowed());
        assert_eq!(predict(&xid, ROLE, &with_id("wrong")), needs_id());
        let both = trust(
            json!({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "e"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}),
        );
        assert!(matches!(
            predict(&both, ROLE, &alice()),
            Prediction::NeedsMfaAndExternalId { .. }
        ));
        let deny = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"},
            {"Sid": "NoAlice", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}]}).to_string();
        let denied = Prediction::Denied {
            statement: st("NoAlice"),
        };
        assert_eq!(predict(&deny, ROLE, &alice()), denied);
        let ip = trust(
            json!({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}),
        );
        assert!(matches!(
            predict(&ip, ROLE, &alice()),
            Prediction::ConditionsNotMet { .. }
        ));
        assert_eq!(predict("nope", ROLE, &alice()), Prediction::Unreadable);
        // Cross-account: the caller's own account must allow it as well.
        let theirs = "arn:aws:iam::444455556666:role/target";
        let trusts_us = trust(
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}),
        );
        assert!(matches!(
            predict(&trusts_us, theirs, &alice()),
            Prediction::Allowed {
                needs_own_allow: true,
                ..
            }
        ));
    }

    #[test]
    fn the_root_user_is_told_it_cannot_assume_roles() {
        let account = trust(
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}),
        );
        let with_arn = |arn: &str| alice_with(|c| c.arn = arn.into());
        let root = with_arn("arn:aws:iam::111122223333:root");
        assert_eq!(predict(&account, ROLE, &root), Prediction::RootCaller);
        // A user or role whose name merely ends in "root" is not the root user.
        let named = with_arn("arn:aws:iam::111122223333:user/root");
        assert!(predict(&account, ROLE, &named).allowed());
        assert!(is_root("arn:aws-cn:iam::111122223333:root"));
    }

    #[test]
    fn session_policies_are_arns_or_validated_documents() {
        assert_eq!(session_policy("  ").unwrap(), SessionPolicy::default());
        let arns = session_policy(
            "arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::111122223333:policy/x/Y",
        )
        .unwrap();
        assert_eq!(arns.arns.len(), 2);
        assert!(arns.inline.is_none());
        assert!(
            session_policy("arn:aws:s3:::bucket")
                .unwrap_err()
                .contains("not a managed policy ARN")
        );
        let many = ["arn:aws:iam::aws:policy/P"; 11].join(" ");
        assert!(session_policy(&many).unwrap_err().contains("at most 10"));

        let ok = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(session_policy(ok).unwrap().inline.as_deref(), Some(ok));
        // The engine's finding, with where it is.
        let bad = "{\"Version\":\"2012-10-17\",\n \"Statement\":[{\"Effect\":\"Alow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        let e = session_policy(bad).unwrap_err();
        assert!(e.starts_with("session policy 2:"), "{e}");
        // A session policy must not name a principal.
        let principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        assert!(session_policy(principal).is_err());
        // Nor be larger than STS's 2,048 characters.
        let big = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":[{}]}}]}}"#,
            (0..80)
                .map(|i| format!("\"arn:aws:s3:::bucket-{i}/*\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(session_policy(&big).is_err());
    }

    #[test]
    fn session_names_default_to_the_callers_name() {
        for (arn, name) in [
            ("arn:aws:iam::1:user/eng/alice", "alice"),
            ("arn:aws:sts::1:assumed-role/R/bob", "bob"),
            ("arn:aws:iam::1:root", "root"),
            ("x", "iamtui-session"),
        ] {
            assert_eq!(default_session_name(arn), name);
        }
    }
}
