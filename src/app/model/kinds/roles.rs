//! IAM roles, and who their trust policies let in.

use serde_json::Value;

use super::*;
use crate::policy::ast::{PrincipalType, PrincipalValue};
use crate::policy::parse_policy;

pub static KIND: Kind = Kind {
    view: ViewKind::Roles,
    names: &["roles", "role", "r"],
    title: "Roles",
    columns: &[
        col("NAME", 0),
        col("PATH", 3),
        col("TRUSTED ENTITIES", 0),
        col("LAST USED", 1),
        num("MAX SESSION", 2),
        col("CREATED", 4),
    ],
    sort: Some(0),
    lists: &[ViewKind::Roles],
    pages: &[paged!(ListRoles, Roles, d => d.roles)],
    rows,
    status: |d| one(&d.roles),
};

fn rows(data: &AccountData, _: RowOptions) -> Vec<Row> {
    data.roles
        .items
        .iter()
        .map(|r| {
            let last = r.last_used.as_ref().and_then(|l| l.date);
            let mut row = row(
                Some(Target::role(&r.name)),
                Some(r.arn.clone()),
                vec![
                    r.name.clone(),
                    r.path.clone(),
                    r.assume_role_policy
                        .as_deref()
                        .map(trust_summary)
                        .unwrap_or_default(),
                    date(last),
                    format!("{}h", r.max_session_duration / 3600),
                    date(Some(r.create_date)),
                ],
            );
            row.numbers[4] = Some(r.max_session_duration.into());
            row.json = shape::text(shape::role(r));
            row
        })
        .collect()
}

main_reply!(Role, Role);

pub static DETAIL: DetailKind = DetailKind {
    view: ViewKind::Roles,
    noun: "role",
    name: super::same,
    entity: Some(EntityKind::Role),
    tabs: &[Tab::Permissions, Tab::Trust, Tab::Tags, Tab::Json],
    calls: |name| {
        vec![
            (Part::Main, Call::GetRole { name: name.into() }),
            (Part::Profiles, Call::InstanceProfiles { role: name.into() }),
        ]
    },
    facts: |d| {
        main_facts(
            d,
            d.main::<Role>(),
            &[
                ("ARN", |r| r.arn.clone()),
                ("Path", |r| r.path.clone()),
                ("Created", |r| date(Some(r.create_date))),
                ("Max session", |r| {
                    format!("{}h", r.max_session_duration / 3600)
                }),
                ("Last used", |r| {
                    match r.last_used.as_ref().and_then(|l| l.date) {
                        Some(t) => date(Some(t)),
                        None => "never".into(),
                    }
                }),
                ("Boundary", |r| {
                    r.permissions_boundary
                        .as_deref()
                        .map_or("none", |b| b.rsplit('/').next().unwrap_or(b))
                        .to_string()
                }),
            ],
        )
    },
    json: |d| {
        let base = d
            .main::<Role>()
            .map_or_else(|| serde_json::json!({}), shape::role);
        shape::with(
            base,
            vec![
                (
                    "AttachedPolicies",
                    d.attached.as_deref().map_or(Value::Null, shape::attached),
                ),
                ("RolePolicies", super::users::inline(d)),
                (
                    "InstanceProfiles",
                    shape::list(&d.profiles, shape::instance_profile),
                ),
            ],
        )
    },
    delete: |name| Ok(Call::DeleteRole { name: name.into() }),
    tags: |name| Ok(TagTarget::Role(name.into())),
};

/// Who a trust policy lets in, in a few words: `ec2, lambda`, `account 444455556666
/// (ExternalId)`, `this account (MFA)`, `OIDC token.actions.githubusercontent.com`, `anyone!`.
pub fn trust_summary(document: &str) -> String {
    let Some(policy) = parse_policy(document).policy else {
        return "(unreadable trust policy)".into();
    };
    let mut parts: Vec<String> = Vec::new();
    for st in policy.statements.iter().filter(|s| s.is_allow()) {
        let Some(p) = &st.principal else { continue };
        if p.negated {
            continue;
        }
        let mut who: Vec<String> = Vec::new();
        match &p.value {
            PrincipalValue::Any => who.push("anyone".into()),
            PrincipalValue::Map(entries) => {
                for e in entries {
                    for v in &e.values {
                        who.push(principal_words(e.kind, &v.value));
                    }
                }
            }
        }
        let keys: Vec<String> = st
            .condition
            .iter()
            .flat_map(|c| c.clauses.iter())
            .map(|c| c.key.value.to_ascii_lowercase())
            .collect();
        let mut notes = Vec::new();
        if keys.iter().any(|k| k == "sts:externalid") {
            notes.push("ExternalId");
        }
        if keys.iter().any(|k| k.starts_with("aws:multifactorauth")) {
            notes.push("MFA");
        }
        let mut text = who.join(", ");
        if !notes.is_empty() {
            text.push_str(&format!(" ({})", notes.join(", ")));
        }
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
    }
    if parts.is_empty() {
        "nobody".into()
    } else {
        parts.join("; ")
    }
}

fn principal_words(kind: PrincipalType, value: &str) -> String {
    match kind {
        PrincipalType::Service => value
            .strip_suffix(".amazonaws.com")
            .unwrap_or(value)
            .to_string(),
        PrincipalType::Federated => match value.split_once(":oidc-provider/") {
            Some((_, url)) => format!("OIDC {url}"),
            None => match value.split_once(":saml-provider/") {
                Some((_, name)) => format!("SAML {name}"),
                None => value.to_string(),
            },
        },
        PrincipalType::CanonicalUser => "canonical user".into(),
        PrincipalType::Aws => {
            if value == "*" {
                return "anyone".into();
            }
            let account = value
                .strip_prefix("arn:aws:iam::")
                .and_then(|r| r.split(':').next())
                .unwrap_or(value);
            match value.rsplit_once(':').map(|(_, r)| r) {
                Some("root") | None => format!("account {account}"),
                Some(resource) => resource.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_summaries_say_who_in_a_few_words() {
        let t = |doc: serde_json::Value| trust_summary(&doc.to_string());
        assert_eq!(
            t(
                serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]})
            ),
            "ec2, lambda"
        );
        assert_eq!(
            t(
                serde_json::json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}})
            ),
            "account 444455556666 (ExternalId)"
        );
        assert_eq!(
            t(
                serde_json::json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/alice", "111122223333"]}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}})
            ),
            "user/alice, account 111122223333 (MFA)"
        );
        assert_eq!(
            t(
                serde_json::json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}})
            ),
            "OIDC token.actions.githubusercontent.com"
        );
        assert_eq!(
            t(
                serde_json::json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}})
            ),
            "anyone"
        );
        assert_eq!(trust_summary("not json"), "(unreadable trust policy)");
    }
}
