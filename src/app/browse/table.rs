//! The resource registry: for each list view, its columns and how a loaded resource becomes a
//! row. One generic table view draws them all.

use chrono::{DateTime, Utc};

use crate::commands::palette::ViewKind;
use crate::iam::*;
use crate::policy::ast::{PrincipalType, PrincipalValue};
use crate::policy::parse_policy;

use super::data::AccountData;

/// What a row opens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    User(String),
    Group(String),
    Role(String),
    /// By ARN.
    Policy(String),
    SamlProvider(String),
    OidcProvider(String),
}

impl Target {
    pub fn label(&self) -> String {
        match self {
            Target::User(n) => format!("user {n}"),
            Target::Group(n) => format!("group {n}"),
            Target::Role(n) => format!("role {n}"),
            Target::Policy(arn) => format!("policy {}", arn.rsplit('/').next().unwrap_or(arn)),
            Target::SamlProvider(arn) | Target::OidcProvider(arn) => {
                format!(
                    "provider {}",
                    arn.split_once('/').map_or(arn.as_str(), |(_, n)| n)
                )
            }
        }
    }

    /// The name a delete confirmation asks to type.
    pub fn name(&self) -> &str {
        match self {
            Target::User(n) | Target::Group(n) | Target::Role(n) => n,
            Target::Policy(arn) | Target::SamlProvider(arn) | Target::OidcProvider(arn) => {
                arn.rsplit('/').next().unwrap_or(arn)
            }
        }
    }

    pub fn entity(&self) -> Option<EntityRef> {
        match self {
            Target::User(n) => Some(EntityRef::user(n.clone())),
            Target::Group(n) => Some(EntityRef::group(n.clone())),
            Target::Role(n) => Some(EntityRef::role(n.clone())),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    /// When the terminal is too narrow for every column, the ones with the highest `hide`
    /// go first; 0 never goes.
    pub hide: u8,
    /// Sorted as a number (ages, counts) rather than as text.
    pub numeric: bool,
}

const fn col(title: &'static str, hide: u8) -> Column {
    Column {
        title,
        hide,
        numeric: false,
    }
}

const fn num(title: &'static str, hide: u8) -> Column {
    Column {
        title,
        hide,
        numeric: true,
    }
}

/// How a row should stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Normal,
    /// Worth a look (an old key, no MFA).
    Warn,
    /// Wrong (an administrator without MFA, a failed load).
    Bad,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub target: Option<Target>,
    pub arn: Option<String>,
    pub cells: Vec<String>,
    /// Per column: the number to sort by for numeric columns.
    pub numbers: Vec<Option<i64>>,
    pub mark: Mark,
    /// The raw resource as compact JSON, for `y`.
    pub json: Option<String>,
    /// `(user, key id)` for an access-key row: what key actions act on.
    pub access_key: Option<(String, String)>,
}

const USERS_COLUMNS: &[Column] = &[
    col("NAME", 0),
    col("PATH", 3),
    col("CREATED", 2),
    col("PASSWORD USED", 4),
    num("KEYS", 0),
    num("OLDEST KEY", 0),
    col("MFA", 0),
    col("GROUPS", 1),
];
const GROUPS_COLUMNS: &[Column] = &[
    col("NAME", 0),
    col("PATH", 2),
    num("MEMBERS", 0),
    col("CREATED", 1),
    col("ARN", 3),
];
const ROLES_COLUMNS: &[Column] = &[
    col("NAME", 0),
    col("PATH", 3),
    col("TRUSTED ENTITIES", 0),
    col("LAST USED", 1),
    num("MAX SESSION", 2),
    col("CREATED", 4),
];
const POLICIES_COLUMNS: &[Column] = &[
    col("NAME", 0),
    col("TYPE", 0),
    num("ATTACHED", 0),
    col("DEFAULT", 2),
    col("UPDATED", 1),
    col("PATH", 3),
];
const KEYS_COLUMNS: &[Column] = &[
    col("USER", 0),
    col("KEY ID", 0),
    col("STATUS", 0),
    num("AGE", 0),
    col("LAST USED", 1),
    col("SERVICE", 2),
    col("REGION", 3),
];
const MFA_COLUMNS: &[Column] = &[
    col("SERIAL", 0),
    col("TYPE", 1),
    col("USER", 0),
    col("ENABLED", 2),
];
const PROVIDERS_COLUMNS: &[Column] = &[
    col("NAME", 0),
    col("TYPE", 0),
    col("CREATED", 2),
    col("DETAIL", 1),
];
const PASSWORD_POLICY_COLUMNS: &[Column] = &[col("SETTING", 0), col("VALUE", 0)];
const WHOAMI_COLUMNS: &[Column] = &[col("FIELD", 0), col("VALUE", 0)];

pub fn columns(kind: ViewKind) -> &'static [Column] {
    match kind {
        ViewKind::Users => USERS_COLUMNS,
        ViewKind::Groups => GROUPS_COLUMNS,
        ViewKind::Roles => ROLES_COLUMNS,
        ViewKind::Policies => POLICIES_COLUMNS,
        ViewKind::Keys => KEYS_COLUMNS,
        ViewKind::Mfa => MFA_COLUMNS,
        ViewKind::Providers => PROVIDERS_COLUMNS,
        ViewKind::PasswordPolicy => PASSWORD_POLICY_COLUMNS,
        ViewKind::Whoami => WHOAMI_COLUMNS,
    }
}

fn date(t: Option<Timestamp>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

fn days_since(t: Timestamp, now: DateTime<Utc>) -> i64 {
    (now - t).num_days().max(0)
}

/// Compact: rows are rebuilt often and shown as JSON rarely (`y` indents it then).
fn json<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

/// Options that change how rows look.
#[derive(Debug, Clone, Copy)]
pub struct RowOptions {
    pub now: DateTime<Utc>,
    /// Keys older than this many days are marked.
    pub key_age_warn_days: i64,
}

/// The rows of a list view, in load order (the view sorts and filters them).
pub fn rows(kind: ViewKind, data: &AccountData, opts: RowOptions) -> Vec<Row> {
    match kind {
        ViewKind::Users => {
            let groups = data.groups_by_user();
            let report = data.report_by_user();
            data.users
                .items
                .iter()
                .map(|u| {
                    let g = groups
                        .get(u.name.as_str())
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    user_row(u, data, report.get(u.name.as_str()).copied(), g, opts)
                })
                .collect()
        }
        ViewKind::Groups => data
            .groups
            .items
            .iter()
            .map(|g| {
                let members = data.members.get(&g.name).map(Vec::len);
                Row {
                    target: Some(Target::Group(g.name.clone())),
                    arn: Some(g.arn.clone()),
                    cells: vec![
                        g.name.clone(),
                        g.path.clone(),
                        members.map_or_else(|| "…".into(), |m| m.to_string()),
                        date(Some(g.create_date)),
                        g.arn.clone(),
                    ],
                    numbers: vec![None, None, members.map(|m| m as i64), None, None],
                    mark: Mark::Normal,
                    json: json(g),
                    access_key: None,
                }
            })
            .collect(),
        ViewKind::Roles => data
            .roles
            .items
            .iter()
            .map(|r| {
                let last = r.last_used.as_ref().and_then(|l| l.date);
                Row {
                    target: Some(Target::Role(r.name.clone())),
                    arn: Some(r.arn.clone()),
                    cells: vec![
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
                    numbers: vec![
                        None,
                        None,
                        None,
                        None,
                        Some(r.max_session_duration.into()),
                        None,
                    ],
                    mark: Mark::Normal,
                    json: json(r),
                    access_key: None,
                }
            })
            .collect(),
        ViewKind::Policies => data
            .policies
            .items
            .iter()
            .map(|p| Row {
                target: Some(Target::Policy(p.arn.clone())),
                arn: Some(p.arn.clone()),
                cells: vec![
                    p.name.clone(),
                    if p.is_aws_managed() {
                        "AWS"
                    } else {
                        "customer"
                    }
                    .into(),
                    p.attachment_count.to_string(),
                    p.default_version_id.clone(),
                    date(Some(p.update_date)),
                    p.path.clone(),
                ],
                numbers: vec![
                    None,
                    None,
                    Some(p.attachment_count.into()),
                    None,
                    None,
                    None,
                ],
                mark: Mark::Normal,
                json: json(p),
                access_key: None,
            })
            .collect(),
        ViewKind::Keys => data
            .keys
            .values()
            .flatten()
            .map(|k| {
                let age = days_since(k.create_date, opts.now);
                let last = data.last_used.get(&k.access_key_id);
                let mark = if k.status == KeyStatus::Active && age > opts.key_age_warn_days {
                    Mark::Warn
                } else {
                    Mark::Normal
                };
                Row {
                    target: Some(Target::User(k.user_name.clone())),
                    arn: None,
                    cells: vec![
                        k.user_name.clone(),
                        k.access_key_id.clone(),
                        k.status.as_str().into(),
                        format!("{age}d"),
                        match last {
                            None => "…".into(),
                            Some(l) => l.date.map_or_else(|| "never".into(), |d| date(Some(d))),
                        },
                        last.and_then(|l| l.service.clone()).unwrap_or_default(),
                        last.and_then(|l| l.region.clone()).unwrap_or_default(),
                    ],
                    numbers: vec![None, None, None, Some(age), None, None, None],
                    mark,
                    json: json(k),
                    access_key: Some((k.user_name.clone(), k.access_key_id.clone())),
                }
            })
            .collect(),
        ViewKind::Mfa => data
            .all_mfa()
            .iter()
            .map(|d| Row {
                target: d.user_name.clone().map(Target::User),
                arn: d
                    .serial_number
                    .starts_with("arn:")
                    .then(|| d.serial_number.clone()),
                cells: vec![
                    d.serial_number.clone(),
                    match d.kind {
                        MfaKind::Virtual => "virtual",
                        MfaKind::SecurityKey => "security key",
                        MfaKind::Hardware => "hardware",
                    }
                    .into(),
                    d.user_name.clone().unwrap_or_else(|| "(unassigned)".into()),
                    date(d.enable_date),
                ],
                numbers: vec![None; 4],
                mark: if d.user_name.is_none() {
                    Mark::Warn
                } else {
                    Mark::Normal
                },
                json: json(d),
                access_key: None,
            })
            .collect(),
        ViewKind::Providers => {
            let saml = data.saml.items.iter().map(|p| Row {
                target: Some(Target::SamlProvider(p.arn.clone())),
                arn: Some(p.arn.clone()),
                cells: vec![
                    p.arn.rsplit('/').next().unwrap_or(&p.arn).to_string(),
                    "SAML".into(),
                    date(p.create_date),
                    p.valid_until
                        .map(|v| format!("valid until {}", date(Some(v))))
                        .unwrap_or_default(),
                ],
                numbers: vec![None; 4],
                mark: Mark::Normal,
                json: json(p),
                access_key: None,
            });
            let oidc = data.oidc.items.iter().map(|p| Row {
                target: Some(Target::OidcProvider(p.arn.clone())),
                arn: Some(p.arn.clone()),
                cells: vec![
                    p.arn
                        .split_once(":oidc-provider/")
                        .map_or(p.arn.as_str(), |x| x.1)
                        .to_string(),
                    "OIDC".into(),
                    date(p.create_date),
                    p.client_ids.join(", "),
                ],
                numbers: vec![None; 4],
                mark: Mark::Normal,
                json: json(p),
                access_key: None,
            });
            saml.chain(oidc).collect()
        }
        ViewKind::PasswordPolicy => password_rows(data),
        ViewKind::Whoami => Vec::new(),
    }
}

fn user_row(
    u: &User,
    data: &AccountData,
    report: Option<&CredentialReportRow>,
    groups: &[&str],
    opts: RowOptions,
) -> Row {
    // Keys: the per-user list when loaded, else the credential report's two slots.
    let key_dates: Option<Vec<Timestamp>> = match data.keys.get(&u.name) {
        Some(keys) => Some(keys.iter().map(|k| k.create_date).collect()),
        None => report.map(|r| {
            [&r.access_key_1_last_rotated, &r.access_key_2_last_rotated]
                .into_iter()
                .filter_map(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
                .collect()
        }),
    };
    let oldest = key_dates
        .as_ref()
        .and_then(|d| d.iter().min().copied())
        .map(|t| days_since(t, opts.now));
    let mfa = match (data.user_mfa.get(&u.name), report) {
        (Some(devices), _) => Some(!devices.is_empty()),
        (None, Some(r)) => Some(r.mfa_active == "true"),
        (None, None) => None,
    };
    let mark = match (mfa, oldest) {
        (_, Some(age)) if age > opts.key_age_warn_days => Mark::Warn,
        (Some(false), _) if u.password_last_used.is_some() => Mark::Warn,
        _ => Mark::Normal,
    };
    Row {
        target: Some(Target::User(u.name.clone())),
        arn: Some(u.arn.clone()),
        cells: vec![
            u.name.clone(),
            u.path.clone(),
            date(Some(u.create_date)),
            date(u.password_last_used),
            key_dates
                .as_ref()
                .map_or_else(|| "…".into(), |d| d.len().to_string()),
            oldest.map_or_else(|| "-".into(), |d| format!("{d}d")),
            match mfa {
                Some(true) => "yes",
                Some(false) => "no",
                None => "…",
            }
            .into(),
            groups.join(", "),
        ],
        numbers: vec![
            None,
            None,
            None,
            None,
            key_dates.as_ref().map(|d| d.len() as i64),
            oldest,
            None,
            None,
        ],
        mark,
        json: json(u),
        access_key: None,
    }
}

fn password_rows(data: &AccountData) -> Vec<Row> {
    let setting = |k: &str, v: String| Row {
        target: None,
        arn: None,
        cells: vec![k.to_string(), v],
        numbers: vec![None, None],
        mark: Mark::Normal,
        json: None,
        access_key: None,
    };
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    match &data.password_policy {
        Some(Some(p)) => vec![
            setting(
                "Minimum length",
                p.minimum_password_length
                    .map_or_else(|| "-".into(), |n| n.to_string()),
            ),
            setting(
                "Require uppercase letters",
                yes(p.require_uppercase_characters),
            ),
            setting(
                "Require lowercase letters",
                yes(p.require_lowercase_characters),
            ),
            setting("Require numbers", yes(p.require_numbers)),
            setting("Require symbols", yes(p.require_symbols)),
            setting(
                "Users may change their password",
                yes(p.allow_users_to_change_password),
            ),
            setting(
                "Passwords expire after",
                p.max_password_age
                    .map_or_else(|| "never".into(), |d| format!("{d} days")),
            ),
            setting(
                "Prevent reuse of the last",
                p.password_reuse_prevention
                    .map_or_else(|| "-".into(), |n| format!("{n} passwords")),
            ),
            setting(
                "Expired passwords need an administrator",
                yes(p.hard_expiry.unwrap_or(false)),
            ),
        ],
        Some(None) => vec![setting(
            "Password policy",
            "none: IAM's defaults apply".into(),
        )],
        None => Vec::new(),
    }
}

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
