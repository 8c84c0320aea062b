//! Who is asking, and whether a `Principal`/`NotPrincipal` element names them.
//!
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>)
//! - `"*"` and `{"AWS": "*"}` name everyone.
//! - An account id or `arn:aws:iam::ID:root` names the account: it delegates to the account
//!   rather than granting to one identity, and matches every principal of that account.
//! - A user ARN names that user; an assumed-role session ARN or federated-user ARN that session.
//! - A role ARN names the role and its sessions (`arn:aws:sts::ID:assumed-role/NAME/SESSION`;
//!   the role ARN may carry a path, the session ARN does not).
//! - `Service`, `Federated` and `CanonicalUser` values are compared exactly.
//!
//! Principals take no wildcards except the lone `*`.

use crate::policy::ast::{PrincipalClause, PrincipalType, PrincipalValue};

/// What kind of principal made the request, read from its ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind<'a> {
    /// The account root user (`arn:aws:iam::ID:root`, or a bare account id).
    Root,
    User,
    /// A role ARN used as the caller (e.g. to ask what the role may do).
    Role {
        name: &'a str,
    },
    AssumedRole {
        role_name: &'a str,
        session: &'a str,
    },
    /// A session from `GetFederationToken`.
    FederatedUser,
    /// `something.amazonaws.com`.
    Service,
    /// Anything else (an identity-provider ARN, a canonical user id, `*`).
    Other,
}

/// The request principal, parsed once per evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrincipalInfo<'a> {
    pub text: &'a str,
    pub partition: Option<&'a str>,
    pub account: Option<&'a str>,
    pub kind: PrincipalKind<'a>,
}

impl PrincipalInfo<'_> {
    /// A session principal (role session or federated user), to which session policies apply.
    pub fn is_session(&self) -> bool {
        matches!(
            self.kind,
            PrincipalKind::AssumedRole { .. } | PrincipalKind::FederatedUser
        )
    }
}

fn is_account_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub fn parse_principal(text: &str) -> PrincipalInfo<'_> {
    let other = PrincipalInfo {
        text,
        partition: None,
        account: None,
        kind: PrincipalKind::Other,
    };
    if is_account_id(text) {
        return PrincipalInfo {
            account: Some(text),
            kind: PrincipalKind::Root,
            ..other
        };
    }
    let Some(arn) = super::arn::Arn::parse(text) else {
        if text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn") {
            return PrincipalInfo {
                kind: PrincipalKind::Service,
                ..other
            };
        }
        return other;
    };
    let account = arn.account_id();
    let kind = match (arn.service, arn.resource) {
        ("iam", "root") => PrincipalKind::Root,
        ("iam", r) if r.starts_with("user/") => PrincipalKind::User,
        ("iam", r) if r.starts_with("role/") => PrincipalKind::Role {
            name: r.rsplit('/').next().unwrap_or(r),
        },
        ("sts", r) if r.starts_with("assumed-role/") => {
            let rest = &r["assumed-role/".len()..];
            match rest.split_once('/') {
                Some((role_name, session)) => PrincipalKind::AssumedRole { role_name, session },
                None => PrincipalKind::Other,
            }
        }
        ("sts", r) if r.starts_with("federated-user/") => PrincipalKind::FederatedUser,
        _ => PrincipalKind::Other,
    };
    PrincipalInfo {
        text,
        partition: Some(arn.partition),
        account,
        kind,
    }
}

/// How a resource-based policy statement names the request principal. The order is by
/// strength: a direct grant is never limited by implicit denies elsewhere, a role grant is
/// limited by the role's permissions boundary and session policy, and an account grant only
/// delegates (the identity side must allow too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalGrant {
    /// The account (id or root ARN): delegation to the account.
    Account,
    /// The role ARN, matching one of its sessions.
    Role,
    /// The principal itself: `*`, the user, the session, a service, `NotPrincipal`.
    Direct,
}

/// Whether a `Principal`/`NotPrincipal` clause names the request principal, and how.
/// `NotPrincipal` names everyone its list does not exempt (a match is `Direct`); see
/// [`not_principal_exempts`].
pub fn principal_matches(
    clause: &PrincipalClause,
    request_principal: &str,
) -> Option<PrincipalGrant> {
    principal_clause_matches(clause, &parse_principal(request_principal))
}

pub fn principal_clause_matches(
    clause: &PrincipalClause,
    who: &PrincipalInfo<'_>,
) -> Option<PrincipalGrant> {
    if clause.negated {
        return (!not_principal_exempts(&clause.value, who)).then_some(PrincipalGrant::Direct);
    }
    match &clause.value {
        PrincipalValue::Any => Some(PrincipalGrant::Direct),
        PrincipalValue::Map(entries) => entries
            .iter()
            .flat_map(|e| e.values.iter().map(move |v| (e.kind, v.value.as_str())))
            .filter_map(|(kind, v)| principal_value_matches(kind, v, who))
            .max(),
    }
}

/// Whether a `NotPrincipal` list exempts the request principal. AWS checks the whole chain of
/// the principal — its account, then the role, then the session (or the user) — so each link
/// must be listed: `[user ARN, account]` exempts that user, `[session ARN, role ARN, account]`
/// that session; the account alone exempts only the account's root user
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>).
pub fn not_principal_exempts(value: &PrincipalValue, who: &PrincipalInfo<'_>) -> bool {
    let PrincipalValue::Map(entries) = value else {
        return true; // "NotPrincipal": "*"
    };
    let listed = |pred: &dyn Fn(PrincipalType, &str) -> bool| {
        entries.iter().any(|e| {
            e.values
                .iter()
                .any(|v| v.value == "*" || pred(e.kind, &v.value))
        })
    };
    let aws_exact = |text: &str| listed(&|k, v| k == PrincipalType::Aws && v == text);
    let account_listed = || match who.account {
        Some(account) => listed(&|k, v| {
            k == PrincipalType::Aws
                && (v == account
                    || super::arn::Arn::parse(v).is_some_and(|a| {
                        a.service == "iam"
                            && a.resource == "root"
                            && a.account == account
                            && who.partition.is_none_or(|p| p == a.partition)
                    }))
        }),
        None => true,
    };
    let role_listed = |name: &str| {
        listed(&|k, v| {
            k == PrincipalType::Aws
                && super::arn::Arn::parse(v).is_some_and(|a| {
                    a.service == "iam"
                        && a.resource.starts_with("role/")
                        && a.resource.rsplit('/').next() == Some(name)
                        && who.account == Some(a.account)
                })
        })
    };
    match who.kind {
        PrincipalKind::Root => account_listed(),
        PrincipalKind::User | PrincipalKind::FederatedUser => {
            account_listed() && aws_exact(who.text)
        }
        PrincipalKind::Role { name } => account_listed() && role_listed(name),
        PrincipalKind::AssumedRole { role_name, .. } => {
            account_listed() && role_listed(role_name) && aws_exact(who.text)
        }
        PrincipalKind::Service | PrincipalKind::Other => listed(&|_, v| v == who.text),
    }
}

/// One value of a principal map (`"AWS": "…"`) against the request principal.
pub fn principal_value_matches(
    kind: PrincipalType,
    value: &str,
    who: &PrincipalInfo<'_>,
) -> Option<PrincipalGrant> {
    if value == "*" {
        // `{"AWS": "*"}` is everyone; `*` is accepted for the other types too.
        return Some(PrincipalGrant::Direct);
    }
    if kind != PrincipalType::Aws {
        return (value == who.text).then_some(PrincipalGrant::Direct);
    }
    if is_account_id(value) {
        return (who.account == Some(value)).then_some(PrincipalGrant::Account);
    }
    let Some(arn) = super::arn::Arn::parse(value) else {
        // Unique ids (AIDA…, AROA…) and anything else: exact.
        return (value == who.text).then_some(PrincipalGrant::Direct);
    };
    let same_account = |a: &str| who.account == Some(a) && who.partition == Some(arn.partition);
    match (arn.service, arn.resource) {
        ("iam", "root") => same_account(arn.account).then_some(PrincipalGrant::Account),
        ("iam", r) if r.starts_with("role/") => {
            if value == who.text {
                return Some(PrincipalGrant::Role);
            }
            let role_name = r.rsplit('/').next().unwrap_or(r);
            match who.kind {
                PrincipalKind::AssumedRole { role_name: n, .. }
                    if n == role_name && same_account(arn.account) =>
                {
                    Some(PrincipalGrant::Role)
                }
                _ => None,
            }
        }
        _ => (value == who.text).then_some(PrincipalGrant::Direct),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::ast::{PrincipalEntry, Spanned};
    use crate::policy::json::Span;

    fn clause(negated: bool, entries: &[(PrincipalType, &[&str])]) -> PrincipalClause {
        PrincipalClause {
            negated,
            value: PrincipalValue::Map(
                entries
                    .iter()
                    .map(|(kind, values)| PrincipalEntry {
                        kind: *kind,
                        kind_span: Span::default(),
                        values: values
                            .iter()
                            .map(|v| Spanned::new(v.to_string(), Span::default()))
                            .collect(),
                        is_array: true,
                        span: Span::default(),
                    })
                    .collect(),
            ),
            key_span: Span::default(),
            span: Span::default(),
        }
    }

    fn aws(values: &[&str]) -> PrincipalClause {
        clause(false, &[(PrincipalType::Aws, values)])
    }

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Dev/alice-session";

    #[test]
    fn parses_request_principals() {
        use PrincipalKind::*;
        let dev = AssumedRole {
            role_name: "Dev",
            session: "alice-session",
        };
        for (arn, kind) in [
            (ALICE, User),
            (SESSION, dev),
            (
                "arn:aws:iam::111122223333:role/team/Dev",
                Role { name: "Dev" },
            ),
            ("arn:aws:iam::111122223333:root", Root),
            ("111122223333", Root),
            ("ec2.amazonaws.com", Service),
            (
                "arn:aws:sts::111122223333:federated-user/bob",
                FederatedUser,
            ),
        ] {
            assert_eq!(parse_principal(arn).kind, kind, "{arn}");
        }
        assert_eq!(parse_principal(ALICE).account, Some("111122223333"));
        assert_eq!(parse_principal("ec2.amazonaws.com").account, None);
        assert!(parse_principal(SESSION).is_session());
    }

    #[test]
    fn everyone() {
        let any = PrincipalClause {
            negated: false,
            value: PrincipalValue::Any,
            key_span: Span::default(),
            span: Span::default(),
        };
        assert_eq!(principal_matches(&any, ALICE), Some(PrincipalGrant::Direct));
        assert_eq!(
            principal_matches(&any, "anonymous"),
            Some(PrincipalGrant::Direct)
        );
    }

    /// `AWS` principals: the policy's entries, the request's principal, the grant.
    #[test]
    fn aws_principals() {
        use PrincipalGrant::{Account, Direct, Role};
        const ACCOUNT: &str = "111122223333";
        const ROOT: &str = "arn:aws:iam::111122223333:root";
        const ROLE: &str = "arn:aws:iam::111122223333:role/Dev";
        const ERIN: &str = "arn:aws:iam::444455556666:user/erin";
        const OTHER_SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Dev/other";
        let cases: &[(&[&str], &str, Option<PrincipalGrant>)] = &[
            (&["*"], SESSION, Some(Direct)),
            // Accounts delegate, in either form.
            (&[ACCOUNT], ALICE, Some(Account)),
            (&[ACCOUNT], SESSION, Some(Account)),
            (&[ACCOUNT], ROOT, Some(Account)),
            (&[ACCOUNT], ERIN, None),
            (&[ROOT], ALICE, Some(Account)),
            (&[ROOT], SESSION, Some(Account)),
            (&[ROOT], ROOT, Some(Account)),
            (&[ROOT], ERIN, None),
            (&["arn:aws-cn:iam::111122223333:root"], ALICE, None),
            (&[ACCOUNT], "ec2.amazonaws.com", None),
            // Users exactly.
            (&[ALICE], ALICE, Some(Direct)),
            (&["arn:aws:iam::111122223333:user/Alice"], ALICE, None),
            (&["arn:aws:iam::111122223333:user/*"], ALICE, None),
            (&[ALICE], SESSION, None),
            // Roles match their sessions, with or without a path.
            (&[ROLE], SESSION, Some(Role)),
            (&[ROLE], ROLE, Some(Role)),
            (
                &["arn:aws:iam::111122223333:role/team/eng/Dev"],
                SESSION,
                Some(Role),
            ),
            // Same name in another account.
            (&["arn:aws:iam::444455556666:role/Dev"], SESSION, None),
            (&["arn:aws:iam::111122223333:role/Ops"], SESSION, None),
            (&[SESSION], SESSION, Some(Direct)),
            (&[OTHER_SESSION], SESSION, None),
            // The strongest form wins when several entries name the principal.
            (&[ACCOUNT, ROLE, SESSION], SESSION, Some(Direct)),
        ];
        for (values, principal, grant) in cases {
            assert_eq!(
                principal_matches(&aws(values), principal),
                *grant,
                "{values:?} for {principal}"
            );
        }
    }

    #[test]
    fn services_federated_canonical() {
        use PrincipalGrant::Direct;
        use PrincipalType::{CanonicalUser, Federated, Service};
        let saml = "arn:aws:iam::111122223333:saml-provider/Okta";
        let cognito = "cognito-identity.amazonaws.com";
        for (kind, value, principal, grant) in [
            (
                Service,
                "ec2.amazonaws.com",
                "ec2.amazonaws.com",
                Some(Direct),
            ),
            (Service, "ec2.amazonaws.com", "lambda.amazonaws.com", None),
            (Federated, cognito, cognito, Some(Direct)),
            (Federated, saml, saml, Some(Direct)),
            (CanonicalUser, "79a59df9", "79a59df9", Some(Direct)),
        ] {
            let c = clause(false, &[(kind, &[value])]);
            assert_eq!(principal_matches(&c, principal), grant, "{principal}");
        }
    }

    #[test]
    fn not_principal_exempts_only_fully_listed_chains() {
        use PrincipalType::{Aws, Service};
        const BOB: &str = "arn:aws:iam::444455556666:user/Bob";
        const ROOT: &str = "arn:aws:iam::444455556666:root";
        const CAROL: &str = "arn:aws:iam::444455556666:user/Carol";
        const OTHER: &str = "arn:aws:sts::111122223333:assumed-role/Dev/other";
        const EC2: &str = "ec2.amazonaws.com";
        let (exempt, applies) = (None, Some(PrincipalGrant::Direct));
        let chain: &[&str] = &[
            SESSION,
            "arn:aws:iam::111122223333:role/team/Dev",
            "111122223333",
        ];
        let no_session: &[&str] = &["arn:aws:iam::111122223333:role/Dev", "111122223333"];
        let cases: &[(PrincipalType, &[&str], &str, Option<PrincipalGrant>)] = &[
            (Aws, &[BOB, ROOT], ALICE, applies),
            // User and account listed.
            (Aws, &[BOB, ROOT], BOB, exempt),
            // The account entry does not exempt the account's users.
            (Aws, &[BOB, ROOT], CAROL, applies),
            (Aws, &[BOB, ROOT], ROOT, exempt),
            // The user without the account: the account link is not exempt.
            (Aws, &[BOB], BOB, applies),
            // A role session needs the session, the role and the account.
            (Aws, chain, SESSION, exempt),
            (Aws, chain, OTHER, applies),
            (Aws, no_session, SESSION, applies),
            (Service, &[EC2], EC2, exempt),
            (Service, &[EC2], ALICE, applies),
            (Aws, &["*"], ALICE, exempt),
        ];
        for (kind, values, principal, grant) in cases {
            let np = clause(true, &[(*kind, values)]);
            assert_eq!(
                principal_matches(&np, principal),
                *grant,
                "{values:?} for {principal}"
            );
        }
    }
}
