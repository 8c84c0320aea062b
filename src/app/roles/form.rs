//! The fields of the role forms and IAM's rules for them (CreateRole and UpdateRole in the IAM
//! API Reference): what is typed is checked as it is typed, and read into the request on Enter.

use super::TrustKind;
use crate::app::model::rules::{
    description, new_tags as tags, new_tags_of, not_empty, path, path_of,
};
use crate::app::shell::form::{Field, Form, Value};
use crate::iam::{CreateRole, Role};
use crate::policy::trust::{GITHUB_AUDIENCE, GITHUB_HOST, Trusted, oidc_host};

/// Whole hours, 1 to 12 (IAM's MaxSessionDuration is 3,600 to 43,200 seconds).
fn hours(s: &str) -> Result<(), String> {
    match s.parse::<i32>() {
        Ok(h) if (1..=12).contains(&h) => Ok(()),
        _ => Err("whole hours from 1 to 12".into()),
    }
}

fn account(s: &str) -> Result<(), String> {
    match s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        true => Ok(()),
        false => Err("an account id is 12 digits".into()),
    }
}

fn external_id(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let n = s.chars().count();
    if !(2..=1224).contains(&n) {
        return Err("an ExternalId has 2 to 1,224 characters".into());
    }
    match s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@:/_-".contains(*c)))
    {
        Some(c) => Err(format!(
            "`{c}` cannot be in an ExternalId (letters, digits and +=,.@:/_- only)"
        )),
        None => Ok(()),
    }
}

fn role_name(s: &str) -> Result<(), String> {
    crate::app::model::rules::name(s, "role", 64, "+=,.@_-")
}

/// The dialog's title and its lines above the fields.
pub fn new_role_text(kind: &TrustKind) -> (String, Vec<String>) {
    let who = match kind {
        TrustKind::Service(s) => format!("the service {s} assumes it"),
        TrustKind::Account => "principals of an account assume it".into(),
        TrustKind::WebIdentity => "users of a web identity (OIDC) provider assume it".into(),
        TrustKind::Saml => "users of a SAML 2.0 provider assume it".into(),
    };
    (
        "New role".into(),
        vec![
            format!("Who may assume the role: {who}."),
            "Enter opens its trust policy in the editor, checked as you type; saving it there \
             (ctrl-s) creates the role."
                .into(),
        ],
    )
}

pub fn new_role(kind: &TrustKind, own_account: &str) -> Form {
    let mut fields = vec![
        Field::text("name", "Name", "")
            .check(role_name)
            .hint("1–64 of letters, digits and +=,.@_-; unique in the account, ignoring case"),
    ];
    match kind {
        TrustKind::Service(_) => {}
        TrustKind::Account => fields.extend([
            Field::text("account", "Account", own_account)
                .check(account)
                .hint("the 12-digit id of the account whose principals may assume the role"),
            Field::text("external_id", "ExternalId", "")
                .check(external_id)
                .hint("optional: a secret a third party must pass (confused-deputy protection)"),
            Field::switch("mfa", "Require MFA", false)
                .hint("space: only sessions signed in with MFA may assume the role"),
        ]),
        TrustKind::WebIdentity => fields.extend([
            Field::choice("provider", "Provider", Vec::new())
                .check(not_empty)
                .hint("← →: the account's OIDC providers (reading them…)"),
            Field::text("audience", "Audience", GITHUB_AUDIENCE)
                .check(not_empty)
                .hint("the aud the token must carry (GitHub Actions: sts.amazonaws.com)"),
            Field::text("subject", "Subject", "").hint(
                "the sub the token must carry, * allowed (GitHub: repo:OWNER/REPO:ref:refs/heads/main)",
            ),
        ]),
        TrustKind::Saml => fields.push(
            Field::choice("provider", "Provider", Vec::new())
                .check(not_empty)
                .hint("← →: the account's SAML providers (reading them…)"),
        ),
    }
    fields.extend([
        Field::text("description", "Description", "")
            .check(description)
            .hint("optional, up to 1,000 characters"),
        Field::text("path", "Path", "/")
            .check(path)
            .hint("/ or /a/path/ (starts and ends with /)"),
        Field::text("hours", "Max session (h)", "1")
            .check(hours)
            .hint("how long its sessions may last: 1 to 12 hours"),
        Field::text("boundary", "Boundary", "")
            .hint("optional: a managed policy (name or ARN) that caps the role's permissions"),
        Field::text("tags", "Tags", "")
            .check(tags)
            .hint("optional: key=value words, quoted when they hold spaces"),
    ]);
    Form::new(fields)
}

pub fn edit_role(role: &Role) -> Form {
    let hours_now = (role.max_session_duration / 3600).clamp(1, 12);
    Form::new(vec![
        Field::text(
            "description",
            "Description",
            role.description.as_deref().unwrap_or(""),
        )
        .check(description)
        .hint("up to 1,000 characters; empty removes it"),
        Field::text("hours", "Max session (h)", &hours_now.to_string())
            .check(hours)
            .hint("1 to 12 hours: how long a session of the role may last"),
    ])
}

/// The providers arrived: the choice offers them, or says there is none.
pub fn providers_arrived(form: &mut Form, arns: Vec<String>) {
    let Some(f) = form.fields.iter_mut().find(|f| f.id == "provider") else {
        return;
    };
    let none = arns.is_empty();
    // GitHub's provider first: the template's subject hint is for it.
    let mut arns = arns;
    arns.sort_by_key(|a| !a.ends_with(GITHUB_HOST));
    f.value = Value::Choice {
        options: arns,
        index: 0,
    };
    f.hint = if none {
        "the account has no provider of this kind: add one first (:providers)".into()
    } else {
        "← → choose".into()
    };
    if none {
        f.error = Some("no provider of this kind in the account".into());
    }
}

/// The request and the trust it asks for; `None` (with the problem on its field) when the
/// fields do not make one.
pub fn read_new_role(
    form: &mut Form,
    kind: &TrustKind,
    policies: &[(String, String)],
) -> Option<(CreateRole, Trusted)> {
    let get = |id: &str| form.get(id);
    let optional = |s: String| (!s.is_empty()).then_some(s);
    let trusted = match kind {
        TrustKind::Service(s) => Trusted::Service(s.clone()),
        TrustKind::Account => Trusted::Account {
            account: get("account"),
            external_id: optional(get("external_id")),
            mfa: form.on("mfa"),
        },
        TrustKind::WebIdentity => {
            let provider = get("provider");
            let subject = optional(get("subject"));
            if subject.is_none() && oidc_host(&provider) == GITHUB_HOST {
                form.complain(
                    "subject",
                    "name the repository (repo:OWNER/REPO:*): without it every GitHub \
                     repository's workflows could assume the role",
                );
                return None;
            }
            Trusted::WebIdentity {
                provider,
                audience: get("audience"),
                subject,
            }
        }
        TrustKind::Saml => Trusted::Saml {
            provider: get("provider"),
        },
    };
    let boundary = get("boundary");
    let permissions_boundary = if boundary.is_empty() {
        None
    } else if boundary.starts_with("arn:") {
        Some(boundary)
    } else if let Some((_, arn)) = policies.iter().find(|(n, _)| *n == boundary) {
        Some(arn.clone())
    } else {
        form.complain(
            "boundary",
            format!("no managed policy named `{boundary}` is loaded: type its name or ARN"),
        );
        return None;
    };
    let tags = new_tags_of(&get("tags"));
    let req = CreateRole {
        name: get("name"),
        path: path_of(get("path")),
        assume_role_policy: String::new(),
        description: optional(get("description")),
        max_session_duration: get("hours").parse::<i32>().ok().map(|h| h * 3600),
        permissions_boundary,
        tags,
    };
    Some((req, trusted))
}

fn service(s: &str) -> Result<(), String> {
    match s.ends_with(".amazonaws.com") && s.split('.').count() >= 3 && !s.contains(' ') {
        true => Ok(()),
        false => Err("a service principal, like elasticbeanstalk.amazonaws.com".into()),
    }
}

fn suffix(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    match s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
    {
        true => Ok(()),
        false => Err("up to 64 of letters, digits and +=,.@_-".into()),
    }
}

pub fn linked_role_text() -> Vec<String> {
    vec![
        "IAM names the role for the service (AWSServiceRoleForElasticBeanstalk), puts it under \
         /aws-service-role/ and gives it the permissions the service defines. Only the service \
         changes it; deleting it waits until the service no longer uses it."
            .into(),
        "Most services make their role themselves when first used; make one here when a \
         service's guide says to."
            .into(),
    ]
}

pub fn linked_role() -> Form {
    Form::new(vec![
        Field::text("service", "Service", "")
            .check(service)
            .hint("the service principal, like elasticbeanstalk.amazonaws.com"),
        Field::text("description", "Description", "")
            .check(description)
            .hint("optional, up to 1,000 characters"),
        Field::text("suffix", "Name suffix", "").check(suffix).hint(
            "optional: _SUFFIX after the role's name, for services that allow several (most do not)",
        ),
    ])
}

pub fn read_linked_role(form: &Form) -> crate::iam::CreateServiceLinkedRole {
    let optional = |s: String| (!s.is_empty()).then_some(s);
    crate::iam::CreateServiceLinkedRole {
        service: form.get("service"),
        description: optional(form.get("description")),
        suffix: optional(form.get("suffix")),
    }
}

/// The edit form's description and whole hours (both checked already).
pub fn read_edit(form: &Form) -> (String, i32) {
    (
        form.get("description"),
        form.get("hours").parse().unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iams_rules_for_the_fields() {
        assert!(role_name("deploy-web_1@x").is_ok());
        assert!(role_name("").is_err() && role_name(&"r".repeat(65)).is_err());
        assert!(role_name("has space").unwrap_err().contains("` `"));
        assert!(path("/").is_ok() && path("/teams/web/").is_ok());
        assert!(path("teams/").is_err() && path("/teams").is_err());
        assert!(hours("12").is_ok() && hours("0").is_err() && hours("13").is_err());
        assert!(hours("1.5").is_err());
        assert!(account("444455556666").is_ok() && account("4444").is_err());
        assert!(external_id("").is_ok() && external_id("a").is_err());
        assert!(external_id("partner:7/x").is_ok() && external_id("no spaces").is_err());
        assert!(description("café").is_ok() && description("emoji 🙂").is_err());
        assert!(tags("team=web \"cost center\"=42").is_ok());
        assert!(tags("-team").is_err() && tags("aws:x=1").is_err());
    }

    #[test]
    fn a_github_role_must_name_its_repository() {
        let mut f = new_role(&TrustKind::WebIdentity, "123456789012");
        providers_arrived(
            &mut f,
            vec![
                "arn:aws:iam::123456789012:oidc-provider/accounts.google.com".into(),
                format!("arn:aws:iam::123456789012:oidc-provider/{GITHUB_HOST}"),
            ],
        );
        assert!(f.get("provider").ends_with(GITHUB_HOST));
        f.fields[0].value = Value::Text(crate::app::shell::overlay::Input::with("ci"));
        assert!(read_new_role(&mut f, &TrustKind::WebIdentity, &[]).is_none());
        assert_eq!(f.fields[f.focus].id, "subject");
        f.fields[f.focus].value =
            Value::Text(crate::app::shell::overlay::Input::with("repo:acme/site:*"));
        let (req, trusted) = read_new_role(&mut f, &TrustKind::WebIdentity, &[]).unwrap();
        assert_eq!(req.name, "ci");
        assert_eq!(req.max_session_duration, Some(3600));
        assert!(trusted.document().contains("repo:acme/site:*"));
    }
}
