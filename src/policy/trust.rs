//! Trust policies for a new role, as the IAM console's "trusted entity" choices write them: an
//! AWS service, another account (with an ExternalId and/or MFA), a web identity provider (with
//! the audience and, for GitHub Actions, the subject the token must carry) and SAML 2.0
//! federation. The result is a starting point the user edits and the validator checks.

use serde_json::{Map, Value, json};

/// Who may assume the role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trusted {
    /// An AWS service principal such as `lambda.amazonaws.com`.
    Service(String),
    /// Another account (or this one): its id, an ExternalId it must pass, whether MFA is
    /// required.
    Account {
        account: String,
        external_id: Option<String>,
        mfa: bool,
    },
    /// An OIDC provider of the account (its ARN), the audience (`aud`) the token is for and,
    /// when given, the subjects (`sub`, wildcards allowed) that may assume the role.
    WebIdentity {
        provider: String,
        audience: String,
        subject: Option<String>,
    },
    /// A SAML provider of the account (its ARN).
    Saml { provider: String },
}

/// The audience GitHub Actions tokens carry for AWS.
pub const GITHUB_AUDIENCE: &str = "sts.amazonaws.com";
/// The host of GitHub Actions' OIDC provider.
pub const GITHUB_HOST: &str = "token.actions.githubusercontent.com";
/// The audience of SAML assertions for the AWS console and STS.
pub const SAML_AUDIENCE: &str = "https://signin.aws.amazon.com/saml";

/// The provider's host (`token.actions.githubusercontent.com`), which prefixes its condition
/// keys: everything after `oidc-provider/` in the ARN.
pub fn oidc_host(provider_arn: &str) -> &str {
    provider_arn
        .split_once(":oidc-provider/")
        .map_or(provider_arn, |(_, host)| host)
}

impl Trusted {
    /// The trust policy, formatted with IAM's key order.
    pub fn document(&self) -> String {
        let (principal, action, condition) = match self {
            Trusted::Service(service) => (json!({"Service": service}), "sts:AssumeRole", None),
            Trusted::Account {
                account,
                external_id,
                mfa,
            } => {
                let mut c = Map::new();
                if let Some(id) = external_id {
                    c.insert("StringEquals".into(), json!({"sts:ExternalId": id}));
                }
                if *mfa {
                    c.insert("Bool".into(), json!({"aws:MultiFactorAuthPresent": "true"}));
                }
                (
                    json!({"AWS": format!("arn:aws:iam::{account}:root")}),
                    "sts:AssumeRole",
                    Some(c),
                )
            }
            Trusted::WebIdentity {
                provider,
                audience,
                subject,
            } => {
                let host = oidc_host(provider);
                let mut c = Map::new();
                c.insert(
                    "StringEquals".into(),
                    json!({format!("{host}:aud"): audience}),
                );
                if let Some(sub) = subject {
                    c.insert("StringLike".into(), json!({format!("{host}:sub"): sub}));
                }
                (
                    json!({"Federated": provider}),
                    "sts:AssumeRoleWithWebIdentity",
                    Some(c),
                )
            }
            Trusted::Saml { provider } => (
                json!({"Federated": provider}),
                "sts:AssumeRoleWithSAML",
                Some(Map::from_iter([(
                    "StringEquals".to_string(),
                    json!({"SAML:aud": SAML_AUDIENCE}),
                )])),
            ),
        };
        let mut statement = json!({"Effect": "Allow", "Principal": principal, "Action": action});
        if let Some(c) = condition.filter(|c| !c.is_empty()) {
            statement["Condition"] = Value::Object(c);
        }
        let doc = json!({"Version": "2012-10-17", "Statement": [statement]});
        super::format::format_policy(&doc.to_string()).expect("serde_json writes valid JSON")
    }
}

/// The identity providers a trust policy lets federate: the `Federated` principals of its
/// Allow statements (a `NotPrincipal` names who is left out, not who is trusted). A document
/// that does not parse names none.
pub fn federated_principals(document: &str) -> Vec<String> {
    use super::ast::{PrincipalType, PrincipalValue};
    let Some(policy) = super::parse_policy(document).policy else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for s in policy.statements.iter().filter(|s| s.is_allow()) {
        let Some(p) = s.principal.as_ref().filter(|p| !p.negated) else {
            continue;
        };
        let PrincipalValue::Map(entries) = &p.value else {
            continue;
        };
        for e in entries
            .iter()
            .filter(|e| e.kind == PrincipalType::Federated)
        {
            for v in &e.values {
                if !out.contains(&v.value) {
                    out.push(v.value.clone());
                }
            }
        }
    }
    out
}

/// The service principals a role is commonly made for: `(principal, what assumes the role)`.
pub fn service_principals() -> impl Iterator<Item = (&'static str, &'static str)> {
    include_str!("../../data/catalog/service-principals.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::validate::{Options, PolicyType, validate};

    fn errors(doc: &str) -> Vec<String> {
        validate(doc, &Options::new(PolicyType::Trust))
            .findings
            .iter()
            .filter(|f| f.severity == crate::policy::Severity::Error)
            .map(|f| f.message.clone())
            .collect()
    }

    #[test]
    fn federated_principals_are_those_an_allow_statement_trusts() {
        let saml = "arn:aws:iam::123456789012:saml-provider/Okta";
        let oidc = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        let doc = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
                {{"Effect": "Allow", "Principal": {{"Federated": ["{saml}", "{oidc}"]}},
                  "Action": "sts:AssumeRoleWithSAML"}},
                {{"Effect": "Deny", "Principal": {{"Federated": "arn:aws:iam::1:saml-provider/X"}},
                  "Action": "sts:AssumeRoleWithSAML"}},
                {{"Effect": "Allow", "Principal": {{"Service": "ec2.amazonaws.com"}},
                  "Action": "sts:AssumeRole"}}]}}"#
        );
        assert_eq!(federated_principals(&doc), [saml, oidc]);
        let service = Trusted::Service("lambda.amazonaws.com".into()).document();
        assert!(federated_principals(&service).is_empty());
        assert!(federated_principals("not json").is_empty());
    }

    #[test]
    fn each_trusted_entity_makes_a_valid_trust_policy() {
        let cases = [
            Trusted::Service("lambda.amazonaws.com".into()),
            Trusted::Account {
                account: "444455556666".into(),
                external_id: Some("partner-7".into()),
                mfa: true,
            },
            Trusted::Account {
                account: "444455556666".into(),
                external_id: None,
                mfa: false,
            },
            Trusted::WebIdentity {
                provider: format!("arn:aws:iam::123456789012:oidc-provider/{GITHUB_HOST}"),
                audience: GITHUB_AUDIENCE.into(),
                subject: Some("repo:acme/site:ref:refs/heads/main".into()),
            },
            Trusted::Saml {
                provider: "arn:aws:iam::123456789012:saml-provider/Okta".into(),
            },
        ];
        for t in cases {
            let doc = t.document();
            assert_eq!(errors(&doc), Vec::<String>::new(), "{doc}");
        }
    }

    #[test]
    fn conditions_follow_what_was_asked() {
        let doc = Trusted::Account {
            account: "444455556666".into(),
            external_id: Some("x-1".into()),
            mfa: true,
        }
        .document();
        assert!(doc.contains(r#""sts:ExternalId": "x-1""#), "{doc}");
        assert!(doc.contains(r#""aws:MultiFactorAuthPresent": "true""#));
        assert!(doc.contains("arn:aws:iam::444455556666:root"));
        // IAM's key order: Effect, Principal, Action, Condition.
        let at = |k: &str| doc.find(k).unwrap();
        assert!(at("Effect") < at("Principal") && at("Action") < at("Condition"));
        let plain = Trusted::Account {
            account: "444455556666".into(),
            external_id: None,
            mfa: false,
        }
        .document();
        assert!(!plain.contains("Condition"), "{plain}");

        let gh = Trusted::WebIdentity {
            provider: format!("arn:aws:iam::1:oidc-provider/{GITHUB_HOST}"),
            audience: GITHUB_AUDIENCE.into(),
            subject: Some("repo:acme/*".into()),
        }
        .document();
        assert!(gh.contains(&format!(r#""{GITHUB_HOST}:aud": "sts.amazonaws.com""#)));
        assert!(gh.contains(&format!(r#""{GITHUB_HOST}:sub": "repo:acme/*""#)));
        assert!(gh.contains("sts:AssumeRoleWithWebIdentity"));
    }

    #[test]
    fn the_service_principals_list_is_well_formed() {
        let all: Vec<_> = service_principals().collect();
        assert!(all.len() > 30);
        for (p, what) in all {
            assert!(p.ends_with(".amazonaws.com") && !what.is_empty(), "{p}");
        }
    }
}
