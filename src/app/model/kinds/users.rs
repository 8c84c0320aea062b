//! IAM users.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::*;
use crate::app::model::data::Fact;
use crate::app::model::table::Mark;

pub static KIND: Kind = Kind {
    view: ViewKind::Users,
    names: &["users", "user", "usr", "u"],
    title: "Users",
    columns: &[
        col("NAME", 0),
        col("PATH", 3),
        col("CREATED", 2),
        col("PASSWORD USED", 4),
        num("KEYS", 0),
        num("OLDEST KEY", 0),
        col("MFA", 0),
        col("GROUPS", 1),
    ],
    sort: Some(0),
    lists: &[ViewKind::Users, ViewKind::Groups],
    pages: &[paged!(ListUsers, Users, d => d.users)],
    rows,
    status: |d| one(&d.users),
};

fn rows(data: &AccountData, opts: RowOptions) -> Vec<Row> {
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
    // Why a per-user fact is missing: its own call failed, or the report it comes from did.
    let missing = |fact: Fact| {
        data.unavailable(fact, &u.name)
            .or_else(|| data.unavailable(Fact::Report, ""))
            .map_or("…", |why| why.word())
            .to_string()
    };
    let mark = match (mfa, oldest) {
        (_, Some(age)) if age > opts.key_age_warn_days => Mark::Warn,
        (Some(false), _) if u.password_last_used.is_some() => Mark::Warn,
        _ => Mark::Normal,
    };
    Row {
        target: Some(Target::user(&u.name)),
        arn: Some(u.arn.clone()),
        cells: vec![
            u.name.clone(),
            u.path.clone(),
            date(Some(u.create_date)),
            date(u.password_last_used),
            key_dates
                .as_ref()
                .map_or_else(|| missing(Fact::Keys), |d| d.len().to_string()),
            oldest.map_or_else(|| "-".into(), |d| format!("{d}d")),
            match mfa {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => missing(Fact::Mfa),
            },
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
        json: shape::text(shape::user(u)),
        access_key: None,
    }
}

main_reply!(User, User);

pub static DETAIL: DetailKind = DetailKind {
    view: ViewKind::Users,
    noun: "user",
    name: super::same,
    entity: Some(EntityKind::User),
    tabs: &[
        Tab::Permissions,
        Tab::Groups,
        Tab::Credentials,
        Tab::Tags,
        Tab::Json,
    ],
    calls: |name| {
        let name = name.to_string();
        vec![
            (Part::Main, Call::GetUser { name: name.clone() }),
            (Part::UserGroups, Call::GroupsForUser { name: name.clone() }),
            (Part::Keys, Call::AccessKeys { user: name.clone() }),
            (Part::Mfa, Call::UserMfa { user: name.clone() }),
            (Part::Login, Call::LoginProfile { user: name.clone() }),
            (Part::SshKeys, Call::SshKeys { user: name.clone() }),
            (Part::SigningCerts, Call::SigningCerts { user: name }),
        ]
    },
    facts,
    json,
    delete: |name| Ok(Call::DeleteUser { name: name.into() }),
    tags: |name| Ok(TagTarget::User(name.into())),
};

fn facts(d: &Detail) -> Vec<(&'static str, String)> {
    let u = d.main::<User>();
    let main = |show: fn(&User) -> String| fact(d, Part::Main, u, show);
    let password = match (&d.login, u) {
        (Some(None), _) => "no".to_string(),
        (Some(Some(_)), Some(u)) => match u.password_last_used {
            Some(t) => format!("yes, last used {}", date(Some(t))),
            None => "yes, never used".into(),
        },
        // Set, but when it was used is GetUser's to say.
        (Some(Some(_)), None) => format!("yes, last used {}", why(d, Part::Main)),
        (None, _) => why(d, Part::Login),
    };
    vec![
        ("ARN", main(|u| u.arn.clone())),
        ("User ID", main(|u| u.user_id.clone())),
        ("Path", main(|u| u.path.clone())),
        ("Created", main(|u| date(Some(u.create_date)))),
        ("Console password", password),
        (
            "MFA",
            fact(d, Part::Mfa, d.mfa.as_ref(), |m| m.len().to_string()),
        ),
        (
            "Access keys",
            fact(d, Part::Keys, d.keys.as_ref(), |k| k.len().to_string()),
        ),
    ]
}

fn json(d: &Detail) -> Value {
    let base = d.main::<User>().map_or(Value::Null, shape::user);
    shape::with(
        if base.is_null() {
            serde_json::json!({})
        } else {
            base
        },
        vec![
            (
                "AttachedPolicies",
                d.attached.as_deref().map_or(Value::Null, shape::attached),
            ),
            ("UserPolicies", inline(d)),
            ("Groups", shape::list(&d.groups, shape::group)),
            (
                "AccessKeyMetadata",
                shape::list(&d.keys, |k| {
                    shape::with(
                        shape::access_key(k),
                        vec![(
                            "AccessKeyLastUsed",
                            d.last_used
                                .get(&k.access_key_id)
                                .map_or(Value::Null, shape::key_last_used),
                        )],
                    )
                }),
            ),
            ("MFADevices", shape::list(&d.mfa, shape::mfa)),
            (
                "LoginProfile",
                d.login
                    .as_ref()
                    .and_then(Option::as_ref)
                    .map_or(Value::Null, shape::login),
            ),
        ],
    )
}

/// Inline policies as GetUserPolicy/GetRolePolicy/GetGroupPolicy shape them.
pub(super) fn inline(d: &Detail) -> Value {
    if d.inline_docs.is_empty() {
        return Value::Null;
    }
    d.inline_docs
        .iter()
        .map(|(name, doc)| {
            serde_json::json!({"PolicyName": name, "PolicyDocument": shape::document(Some(doc))})
        })
        .collect()
}
